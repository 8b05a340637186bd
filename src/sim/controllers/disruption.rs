//! The disruption controller: keeps each PodDisruptionBudget's status (expected pods, healthy
//! pods, disruptions allowed) current.

use std::collections::BTreeSet;

use crate::sim::Simulation;
use crate::sim::api::{IntOrPercent, Kind, ObjectKey, count, int32};

pub(crate) fn reconcile(sim: &mut Simulation) {
    if sim.state.pdbs.is_empty() {
        return;
    }
    let keys: Vec<ObjectKey> = sim.state.pdbs.keys().cloned().collect();
    for key in keys {
        let pdb = &sim.state.pdbs[&key];
        let mut healthy = 0u64;
        let mut n_pods = 0u64;
        let mut owners: BTreeSet<(Kind, String)> = BTreeSet::new();
        for p in sim.state.pods.values() {
            if p.meta.namespace != key.namespace
                || p.status.phase.is_terminal()
                || !pdb.spec.selector.matches(&p.meta.labels)
            {
                continue;
            }
            n_pods += 1;
            if p.is_ready() && !p.is_terminating() {
                healthy += 1;
            }
            if let Some(o) = &p.meta.owner {
                owners.insert((o.kind, o.name.clone()));
            }
        }
        // Integer minAvailable counts pods; percentages and maxUnavailable count the owning
        // controllers' scale (upstream getExpectedPodCount).
        let by_pods = matches!(pdb.spec.min_available, Some(IntOrPercent::Int(_)))
            && pdb.spec.max_unavailable.is_none();
        let expected = if by_pods {
            n_pods
        } else {
            owners
                .iter()
                .map(|(kind, name)| {
                    let k = ObjectKey::new(key.namespace.clone(), name.clone());
                    match kind {
                        Kind::ReplicaSet => sim
                            .state
                            .replicasets
                            .get(&k)
                            .map_or(0, |r| count(r.replicas)),
                        Kind::DaemonSet => sim
                            .state
                            .daemonsets
                            .get(&k)
                            .map_or(0, |d| count(d.desired_number_scheduled)),
                        Kind::Job => sim
                            .state
                            .jobs
                            .get(&k)
                            .map_or(0, |j| count(j.spec.parallelism)),
                        _ => 1,
                    }
                })
                .sum()
        };
        let (expected, healthy) = (int32(expected), int32(healthy));
        let desired = pdb.desired_healthy(expected);
        if let Some(p) = sim.state.pdbs.get_mut(&key) {
            p.status.expected_pods = expected;
            p.status.current_healthy = healthy;
            p.status.desired_healthy = desired;
            p.status.disruptions_allowed = (healthy - desired).max(0);
        }
    }
}
