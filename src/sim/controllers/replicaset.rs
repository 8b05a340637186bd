//! The ReplicaSet controller: creates pods from the template until the count matches, and
//! deletes surplus pods in upstream's preferred order.

use crate::sim::Simulation;
use crate::sim::api::pod::PodLab;
use crate::sim::api::{Kind, ObjectKey, ObjectMeta, ObjectRef, OwnerRef, Pod, PodPhase, PodStatus};
use crate::sim::event::{EventType, reason};

const SOURCE: &str = "replicaset-controller";

/// Most pods one sync creates or deletes (upstream `BurstReplicas`, replica_set.go): a
/// Deployment scaled by thousands grows 500 pods a step.
pub const BURST_REPLICAS: u64 = 500;

pub(crate) fn reconcile(sim: &mut Simulation) {
    if sim.state.replicasets.is_empty() {
        return;
    }
    // Index live pods by owning ReplicaSet once.
    let mut owned: std::collections::BTreeMap<ObjectKey, Vec<ObjectKey>> =
        std::collections::BTreeMap::new();
    for p in sim.state.pods.values() {
        if let Some(o) = &p.meta.owner
            && o.kind == Kind::ReplicaSet
            && !p.is_terminating()
            && !p.status.phase.is_terminal()
        {
            owned
                .entry(ObjectKey::new(p.meta.namespace.clone(), o.name.clone()))
                .or_default()
                .push(p.meta.key());
        }
    }
    let keys: Vec<ObjectKey> = sim.state.replicasets.keys().cloned().collect();
    for key in keys {
        let pods = owned.remove(&key).unwrap_or_default();
        let ready = pods
            .iter()
            .filter(|k| sim.state.pods[*k].is_ready())
            .count() as u64;
        let want = crate::sim::api::count(sim.state.replicasets[&key].replicas);
        let have = pods.len() as u64;
        if have < want {
            for _ in 0..(want - have).min(BURST_REPLICAS) {
                if !create_pod(sim, &key) {
                    break;
                }
            }
        } else if have > want {
            let mut ranked = pods;
            rank_for_deletion(sim, &mut ranked);
            let n = (have - want).min(BURST_REPLICAS) as usize;
            for pk in ranked.into_iter().take(n) {
                crate::sim::api_server::delete_pod(sim, &pk);
                sim.record(
                    EventType::Normal,
                    reason::SUCCESSFUL_DELETE,
                    rs_ref(&key),
                    format!("Deleted pod: {}", pk.name),
                    SOURCE,
                );
            }
        }
        if let Some(rs) = sim.state.replicasets.get_mut(&key) {
            rs.status_replicas = crate::sim::api::int32(have);
            rs.status_ready = crate::sim::api::int32(ready);
            rs.status_available = crate::sim::api::int32(ready);
        }
    }
}

fn rs_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(Kind::ReplicaSet, key.namespace.clone(), key.name.clone())
}

/// Creates one pod from the template; false when the API server refused it.
fn create_pod(sim: &mut Simulation, rs_key: &ObjectKey) -> bool {
    let rs = &sim.state.replicasets[rs_key];
    let template = rs.template.clone();
    let hash = rs.template_hash.clone();
    let name = crate::sim::api_server::generate_name(sim, &rs_key.namespace, &rs_key.name);
    let mut meta = ObjectMeta::named(rs_key.namespace.clone(), name.clone());
    meta.labels = template.labels.clone();
    meta.annotations = template.annotations.clone();
    meta.owner = Some(OwnerRef {
        kind: Kind::ReplicaSet,
        name: rs_key.name.clone(),
    });
    let pod = Pod {
        meta,
        spec: template.spec,
        status: PodStatus::default(),
        lab: PodLab {
            template_hash: hash,
            ..PodLab::default()
        },
    };
    let result = crate::sim::api_server::create_pod(sim, pod);
    crate::sim::api_server::record_creation(sim, rs_ref(rs_key), &name, result, SOURCE)
}

/// Upstream `ActivePodsWithRanks` order, simplified: unscheduled before scheduled, Pending
/// before Running, not ready before ready, pods doubled up on a node first, newer first.
fn rank_for_deletion(sim: &Simulation, pods: &mut [ObjectKey]) {
    let mut per_node: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for k in pods.iter() {
        if let Some(n) = sim.state.pods[k].spec.node_name.clone() {
            *per_node.entry(n).or_default() += 1;
        }
    }
    crate::sim::sort::sort_by_key(pods, |k| {
        let p = &sim.state.pods[k];
        let assigned = p.spec.node_name.is_some();
        let phase = match p.status.phase {
            PodPhase::Pending => 0,
            PodPhase::Unknown => 1,
            _ => 2,
        };
        let doubled = p.spec.node_name.as_ref().map_or(0, |n| per_node[n]);
        (
            assigned,
            phase,
            p.is_ready(),
            std::cmp::Reverse(doubled),
            std::cmp::Reverse(p.meta.creation_timestamp),
            std::cmp::Reverse(p.meta.uid),
        )
    });
}
