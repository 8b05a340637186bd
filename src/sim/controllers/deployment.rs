//! The deployment controller: one ReplicaSet per pod template, rolling updates with
//! `maxSurge`/`maxUnavailable` (or Recreate), `ScalingReplicaSet` events; and the kubectl verbs
//! that change a Deployment.

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::{
    Deployment, DeploymentStrategy, Kind, ObjectKey, ObjectMeta, ObjectRef, OwnerRef, ReplicaSet,
    count, int32,
};
use crate::sim::event::{EventType, reason};

use crate::sim::api::workloads::template_hash;

const SOURCE: &str = "deployment-controller";

/// Live pods of a ReplicaSet: (active, available).
fn rs_pod_counts(sim: &Simulation) -> BTreeMap<ObjectKey, (u64, u64)> {
    let mut m: BTreeMap<ObjectKey, (u64, u64)> = BTreeMap::new();
    for p in sim.state.pods.values() {
        let Some(o) = &p.meta.owner else { continue };
        if o.kind != Kind::ReplicaSet || p.is_terminating() || p.status.phase.is_terminal() {
            continue;
        }
        let e = m
            .entry(ObjectKey::new(p.meta.namespace.clone(), o.name.clone()))
            .or_default();
        e.0 += 1;
        if p.is_ready() {
            e.1 += 1;
        }
    }
    m
}

pub(crate) fn reconcile(sim: &mut Simulation) {
    let keys: Vec<ObjectKey> = sim.state.deployments.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    let counts = rs_pod_counts(sim);
    for key in keys {
        sync(sim, &key, &counts);
    }
}

fn owned_rs(sim: &Simulation, d: &ObjectKey) -> Vec<ObjectKey> {
    let mut v: Vec<&ReplicaSet> = sim
        .state
        .replicasets
        .values()
        .filter(|r| {
            r.meta.namespace == d.namespace
                && r.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Deployment && o.name == d.name)
        })
        .collect();
    crate::sim::sort::sort_by_key(&mut v, |r| (r.revision, r.meta.creation_timestamp));
    v.into_iter().map(|r| r.meta.key()).collect()
}

fn sync(sim: &mut Simulation, key: &ObjectKey, counts: &BTreeMap<ObjectKey, (u64, u64)>) {
    let Some(d) = sim.state.deployments.get(key).cloned() else {
        return;
    };
    let hash = template_hash(&d.spec.template);
    let rss = owned_rs(sim, key);
    let new_key = rss
        .iter()
        .find(|k| sim.state.replicasets[*k].template_hash == hash)
        .cloned();
    let old: Vec<ObjectKey> = rss
        .iter()
        .filter(|k| Some(*k) != new_key.as_ref())
        .cloned()
        .collect();
    let available = |k: &ObjectKey| counts.get(k).map_or(0, |c| c.1);
    let active = |k: &ObjectKey| counts.get(k).map_or(0, |c| c.0);
    // The API's counts are int32; the arithmetic below runs in u64 on non-negative counts.
    let replicas = |sim: &Simulation, k: &ObjectKey| {
        sim.state
            .replicasets
            .get(k)
            .map_or(0, |r| count(r.replicas))
    };
    let spec_replicas = count(d.spec.replicas);

    let new_key = if let Some(k) = new_key {
        k
    } else {
        let initial = match d.spec.strategy {
            // With nothing old around, the first ReplicaSet starts at full size.
            _ if old.iter().all(|k| replicas(sim, k) == 0 && active(k) == 0) => spec_replicas,
            DeploymentStrategy::Recreate => 0,
            DeploymentStrategy::RollingUpdate { max_surge, .. } => {
                let surge = count(max_surge.scaled(d.spec.replicas, true));
                let total: u64 = old.iter().map(|k| replicas(sim, k)).sum();
                (spec_replicas + surge)
                    .saturating_sub(total)
                    .min(spec_replicas)
            }
        };
        let revision = old
            .iter()
            .map(|k| sim.state.replicasets[k].revision)
            .max()
            .unwrap_or(0)
            + 1;
        create_rs(sim, &d, &hash, revision, initial)
    };

    match d.spec.strategy {
        DeploymentStrategy::Recreate => {
            for k in &old {
                if replicas(sim, k) > 0 {
                    scale_rs(sim, &d, k, 0);
                }
            }
            if old.iter().all(|k| active(k) == 0) && replicas(sim, &new_key) != spec_replicas {
                scale_rs(sim, &d, &new_key, spec_replicas);
            }
        }
        DeploymentStrategy::RollingUpdate {
            max_surge,
            max_unavailable,
        } => {
            let want = spec_replicas;
            let mut surge = count(max_surge.scaled(d.spec.replicas, true));
            let unavailable = count(max_unavailable.scaled(d.spec.replicas, false));
            if surge == 0 && unavailable == 0 {
                surge = 1;
            }
            // reconcileNewReplicaSet
            let new_replicas = replicas(sim, &new_key);
            if new_replicas > want {
                scale_rs(sim, &d, &new_key, want);
            } else if new_replicas < want {
                let total: u64 = rss_all(&old, &new_key)
                    .iter()
                    .map(|k| replicas(sim, k))
                    .sum();
                let max_total = want + surge;
                if total < max_total {
                    let up = (max_total - total).min(want - new_replicas);
                    scale_rs(sim, &d, &new_key, new_replicas + up);
                }
            }
            // reconcileOldReplicaSets
            let old_total: u64 = old.iter().map(|k| replicas(sim, k)).sum();
            if old_total > 0 {
                let all_pods: u64 = rss_all(&old, &new_key)
                    .iter()
                    .map(|k| replicas(sim, k))
                    .sum();
                let min_available = want.saturating_sub(unavailable);
                let new_unavailable = replicas(sim, &new_key).saturating_sub(available(&new_key));
                let max_scaled_down =
                    all_pods as i64 - min_available as i64 - new_unavailable as i64;
                if max_scaled_down > 0 {
                    let mut budget = max_scaled_down as u64;
                    // cleanupUnhealthyReplicas: old pods that are not available go first.
                    for k in &old {
                        if budget == 0 {
                            break;
                        }
                        let r = replicas(sim, k);
                        let unhealthy = r.saturating_sub(available(k));
                        let down = unhealthy.min(budget);
                        if down > 0 {
                            scale_rs(sim, &d, k, r - down);
                            budget -= down;
                        }
                    }
                    // scaleDownOldReplicaSetsForRollingUpdate
                    let total_available: u64 = rss_all(&old, &new_key)
                        .iter()
                        .map(|k| available(k).min(replicas(sim, k)))
                        .sum();
                    if total_available > min_available {
                        let mut todo = total_available - min_available;
                        for k in &old {
                            if todo == 0 {
                                break;
                            }
                            let r = replicas(sim, k);
                            if r == 0 {
                                continue;
                            }
                            let down = r.min(todo);
                            scale_rs(sim, &d, k, r - down);
                            todo -= down;
                        }
                    }
                }
            }
        }
    }

    // Status.
    let all = rss_all(&old, &new_key);
    let status_replicas: u64 = all.iter().map(&active).sum();
    let ready: u64 = all.iter().map(available).sum();
    let updated = active(&new_key);
    if let Some(dep) = sim.state.deployments.get_mut(key) {
        dep.status.replicas = int32(status_replicas);
        dep.status.updated_replicas = int32(updated);
        dep.status.ready_replicas = int32(ready);
        dep.status.available_replicas = int32(ready);
        dep.status.unavailable_replicas = int32(count(dep.spec.replicas).saturating_sub(ready));
        dep.status.observed_generation = dep.meta.generation;
    }
}

fn rss_all(old: &[ObjectKey], new_key: &ObjectKey) -> Vec<ObjectKey> {
    let mut v = old.to_vec();
    v.push(new_key.clone());
    v
}

fn create_rs(
    sim: &mut Simulation,
    d: &Deployment,
    hash: &str,
    revision: u64,
    replicas: u64,
) -> ObjectKey {
    let name = format!("{}-{hash}", d.meta.name);
    let mut meta = ObjectMeta::named(d.meta.namespace.clone(), name.clone());
    meta.uid = sim.uid();
    meta.creation_timestamp = sim.now();
    meta.owner = Some(OwnerRef {
        kind: Kind::Deployment,
        name: d.meta.name.clone(),
    });
    meta.labels = d.spec.template.labels.clone();
    meta.labels
        .insert("pod-template-hash".into(), hash.to_string());
    meta.annotations.insert(
        "deployment.kubernetes.io/revision".into(),
        revision.to_string(),
    );
    let mut template = d.spec.template.clone();
    template
        .labels
        .insert("pod-template-hash".into(), hash.to_string());
    let mut selector = d.spec.selector.clone();
    selector
        .match_labels
        .insert("pod-template-hash".into(), hash.to_string());
    let rs = ReplicaSet {
        meta,
        replicas: int32(replicas),
        selector,
        template,
        template_hash: hash.to_string(),
        revision,
        status_replicas: 0,
        status_ready: 0,
        status_available: 0,
    };
    let key = rs.meta.key();
    sim.state.replicasets.insert(key.clone(), rs);
    sim.state.touch();
    sim.record(
        EventType::Normal,
        reason::SCALING_REPLICA_SET,
        ObjectRef::new(
            Kind::Deployment,
            d.meta.namespace.clone(),
            d.meta.name.clone(),
        ),
        format!("Scaled up replica set {name} to {replicas}"),
        SOURCE,
    );
    key
}

fn scale_rs(sim: &mut Simulation, d: &Deployment, rs: &ObjectKey, to: u64) {
    let Some(r) = sim.state.replicasets.get_mut(rs) else {
        return;
    };
    let from = count(r.replicas);
    if from == to {
        return;
    }
    r.replicas = int32(to);
    sim.state.touch();
    let dir = if to > from { "up" } else { "down" };
    sim.record(
        EventType::Normal,
        reason::SCALING_REPLICA_SET,
        ObjectRef::new(
            Kind::Deployment,
            d.meta.namespace.clone(),
            d.meta.name.clone(),
        ),
        format!("Scaled {dir} replica set {} to {to} from {from}", rs.name),
        SOURCE,
    );
}
