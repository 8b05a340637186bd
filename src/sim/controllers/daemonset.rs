//! The DaemonSet controller: one pod per eligible node, bound there through node affinity on
//! `kubernetes.io/hostname`, with the tolerations DaemonSet pods get by default.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::Simulation;
use crate::sim::api::meta::{SelectorOperator, SelectorRequirement};
use crate::sim::api::pod::PodLab;
use crate::sim::api::workloads::{daemon_pod_tolerations, daemonset_eligible};
use crate::sim::api::{
    DaemonSet, Kind, ObjectKey, ObjectMeta, ObjectRef, OwnerRef, Pod, PodStatus, count, int32_len,
};
use crate::sim::event::{EventType, reason};

/// The DaemonSet controller's state.
#[derive(Debug, Clone, Default)]
pub struct DaemonSetState {
    /// DaemonSets already warned that Fargate runs none of their pods (logged once).
    pub fargate_warned: BTreeSet<ObjectKey>,
}

const SOURCE: &str = "daemonset-controller";

/// Most pods one sync creates (upstream `BurstReplicas`, daemon_controller.go: "values that
/// are too high can cause registry DoS issues").
pub const BURST_REPLICAS: usize = 250;

pub(crate) fn reconcile(sim: &mut Simulation) {
    if sim.state.daemonsets.is_empty() {
        return;
    }
    let mut by_ds: BTreeMap<ObjectKey, Vec<(ObjectKey, Option<String>, bool)>> = BTreeMap::new();
    for p in sim.state.pods.values() {
        if let Some(o) = &p.meta.owner
            && o.kind == Kind::DaemonSet
            && !p.is_terminating()
        {
            let target = p
                .spec
                .node_affinity
                .iter()
                .flatten()
                .find(|r| r.key == "kubernetes.io/hostname")
                .and_then(|r| r.values.first().cloned());
            by_ds
                .entry(ObjectKey::new(p.meta.namespace.clone(), o.name.clone()))
                .or_default()
                .push((p.meta.key(), target, p.is_ready()));
        }
    }
    let keys: Vec<ObjectKey> = sim.state.daemonsets.keys().cloned().collect();
    for key in keys {
        let ds = sim.state.daemonsets[&key].clone();
        let eligible_nodes: BTreeSet<String> = crate::sim::sort::set(
            sim.state
                .nodes
                .values()
                .filter(|n| daemonset_eligible(&ds, n))
                .map(|n| n.name().to_string()),
        );
        let pods = by_ds.remove(&key).unwrap_or_default();
        let covered: BTreeSet<String> =
            crate::sim::sort::set(pods.iter().filter_map(|(_, n, _)| n.clone()));
        for node in eligible_nodes.difference(&covered).take(BURST_REPLICAS) {
            if !create_pod(sim, &ds, node) {
                break;
            }
        }
        for (pk, target, _) in &pods {
            if target.as_ref().is_none_or(|n| !eligible_nodes.contains(n)) {
                crate::sim::api_server::delete_pod(sim, pk);
                sim.record(
                    EventType::Normal,
                    reason::SUCCESSFUL_DELETE,
                    ds_ref(&key),
                    format!("Deleted pod: {}", pk.name),
                    SOURCE,
                );
            }
        }
        rolling_update(sim, &ds, &eligible_nodes, &pods);
        let ready = pods.iter().filter(|(_, _, r)| *r).count();
        if let Some(d) = sim.state.daemonsets.get_mut(&key) {
            d.desired_number_scheduled = int32_len(eligible_nodes.len());
            d.current_number_scheduled = int32_len(covered.intersection(&eligible_nodes).count());
            d.number_ready = int32_len(ready);
        }
        warn_if_fargate_selected(sim, &ds);
    }
}

/// DaemonSets never run on Fargate (eks-facts §2). If a Fargate profile selects this
/// DaemonSet's pods, say so once instead of leaving learners to wonder.
fn warn_if_fargate_selected(sim: &mut Simulation, ds: &DaemonSet) {
    let key = ds.meta.key();
    if sim.controllers.daemonset.fargate_warned.contains(&key) {
        return;
    }
    let excluded = ds.template.spec.node_affinity.iter().flatten().any(|r| {
        r.key == crate::sim::eks::fargate_profile::COMPUTE_TYPE
            && r.operator == SelectorOperator::NotIn
    });
    if excluded {
        return;
    }
    let Some(profile) = crate::sim::eks::fargate_profile::active_profile_for(
        &sim.state.fargate_profiles,
        &ds.meta.namespace,
        &ds.template.labels,
    ) else {
        return;
    };
    sim.controllers.daemonset.fargate_warned.insert(key.clone());
    let msg = format!(
        "Fargate profile \"{profile}\" selects this DaemonSet's pods, but DaemonSets are not supported on Fargate: its pods run only on EC2 nodes. Run the agent as a sidecar on Fargate pods instead."
    );
    sim.record(
        EventType::Warning,
        reason::NOT_SUPPORTED_ON_FARGATE,
        ds_ref(&key),
        msg,
        "eks",
    );
}

/// The `controller-revision-hash` label of the DaemonSet's current template.
pub fn revision_hash(ds: &DaemonSet) -> String {
    crate::sim::api::workloads::template_hash(&ds.template)
}

/// `RollingUpdate`: pods of an older template are deleted (and so recreated from the new one)
/// while no more than `maxUnavailable` of the eligible nodes lack a ready pod.
fn rolling_update(
    sim: &mut Simulation,
    ds: &DaemonSet,
    eligible: &BTreeSet<String>,
    pods: &[(ObjectKey, Option<String>, bool)],
) {
    let hash = revision_hash(ds);
    let stale: Vec<&(ObjectKey, Option<String>, bool)> = pods
        .iter()
        .filter(|(k, _, _)| {
            sim.state.pods.get(k).is_some_and(|p| {
                p.meta
                    .labels
                    .get(REVISION_LABEL)
                    .is_some_and(|h| *h != hash)
            })
        })
        .collect();
    if stale.is_empty() {
        return;
    }
    let max_unavailable = count(
        ds.max_unavailable
            .scaled(int32_len(eligible.len()), true)
            .max(1),
    );
    let ready_nodes = pods
        .iter()
        .filter(|(_, n, r)| *r && n.as_ref().is_some_and(|n| eligible.contains(n)))
        .count() as u64;
    let unavailable = (eligible.len() as u64).saturating_sub(ready_nodes);
    let mut budget = max_unavailable.saturating_sub(unavailable);
    // Not-ready stale pods first: replacing them costs no availability.
    let mut order = stale;
    crate::sim::sort::sort_by_key(&mut order, |(k, _, r)| (*r, k.clone()));
    for (k, _, ready) in order {
        if *ready {
            if budget == 0 {
                break;
            }
            budget -= 1;
        }
        crate::sim::api_server::delete_pod(sim, k);
        sim.record(
            EventType::Normal,
            reason::SUCCESSFUL_DELETE,
            ds_ref(&ds.meta.key()),
            format!("Deleted pod: {}", k.name),
            SOURCE,
        );
    }
}

/// The label DaemonSet pods carry with their template's hash.
pub const REVISION_LABEL: &str = "controller-revision-hash";

fn ds_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(Kind::DaemonSet, key.namespace.clone(), key.name.clone())
}

/// Creates the DaemonSet's pod for `node`; false when the API server refused it.
fn create_pod(sim: &mut Simulation, ds: &DaemonSet, node: &str) -> bool {
    let name = crate::sim::api_server::generate_name(sim, &ds.meta.namespace, &ds.meta.name);
    let mut meta = ObjectMeta::named(ds.meta.namespace.clone(), name.clone());
    meta.labels = ds.template.labels.clone();
    meta.labels.insert(REVISION_LABEL.into(), revision_hash(ds));
    meta.annotations = ds.template.annotations.clone();
    meta.owner = Some(OwnerRef {
        kind: Kind::DaemonSet,
        name: ds.meta.name.clone(),
    });
    let mut spec = ds.template.spec.clone();
    let pin = SelectorRequirement {
        key: "kubernetes.io/hostname".into(),
        operator: SelectorOperator::In,
        values: vec![node.to_string()],
    };
    if spec.node_affinity.is_empty() {
        spec.node_affinity = vec![vec![pin]];
    } else {
        for term in &mut spec.node_affinity {
            term.push(pin.clone());
        }
    }
    spec.tolerations.extend(daemon_pod_tolerations());
    let pod = Pod {
        meta,
        spec,
        status: PodStatus::default(),
        lab: PodLab::default(),
    };
    let result = crate::sim::api_server::create_pod(sim, pod);
    crate::sim::api_server::record_creation(sim, ds_ref(&ds.meta.key()), &name, result, SOURCE)
}
