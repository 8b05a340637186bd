//! The scheduler's node cache (upstream `pkg/scheduler/backend/cache`): what is bound to each
//! node, kept up to date as pods are bound, finish or go, instead of rebuilt every cycle.
//!
//! Pods are recorded with what they hold (upstream's `podStates`), so a pod that goes is taken
//! off its node without reading it again. Owners and zones are small integers; each owner's pods
//! per zone (PodTopologySpread's counts) are kept with the rest. Nodes are matched to the store
//! at the start of each cycle (`align`): a node that appeared gets an entry, one that went stops
//! counting towards its zone, so the counts are always over the nodes that exist, as a snapshot
//! built from the store would have them.

use std::collections::{BTreeMap, BTreeSet};

use super::NodeInfo;
use crate::sim::api::{Kind, Node, ObjectKey, Pod};
use crate::sim::quantity::Resources;

/// An interned owner (`(Kind, namespace/name)` of the controller).
pub type OwnerId = u32;
/// An interned zone name.
pub type ZoneId = u32;

/// What is bound to one node.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeUsage {
    pub requested: Resources,
    pub pods: u64,
    pub gpus: u64,
    /// Host ports in use, once per pod using them (a pod that goes frees only its own).
    pub host_ports: Vec<i32>,
    /// Pods per owner.
    pub owners: Vec<(OwnerId, u32)>,
    /// The zone its pods count in: the node's, or `None` while no such node exists.
    pub zone: Option<ZoneId>,
}

impl NodeUsage {
    /// The view the filter plugins read.
    pub fn info<'a>(&self, node: &'a Node) -> NodeInfo<'a> {
        let mut host_ports = BTreeSet::new();
        host_ports.extend(self.host_ports.iter().copied());
        NodeInfo {
            node,
            requested: self.requested,
            pods: self.pods,
            gpus: self.gpus,
            host_ports,
        }
    }

    /// Counts a pod here or takes it off.
    fn apply(&mut self, pod: &PodFacts, spread: &mut [Vec<u32>], change: Change) {
        let add = change == Change::Add;
        if add {
            self.requested = self.requested.saturating_add(pod.requests);
            self.pods += 1;
            self.gpus += pod.gpus;
            self.host_ports.extend(pod.host_ports.iter().copied());
        } else {
            self.requested = self.requested.saturating_sub(pod.requests);
            self.pods = self.pods.saturating_sub(1);
            self.gpus = self.gpus.saturating_sub(pod.gpus);
            for p in &pod.host_ports {
                if let Some(i) = self.host_ports.iter().position(|h| h == p) {
                    self.host_ports.swap_remove(i);
                }
            }
        }
        let Some(owner) = pod.owner else { return };
        let i = self
            .owners
            .iter()
            .position(|(o, _)| *o == owner)
            .unwrap_or_else(|| {
                self.owners.push((owner, 0));
                self.owners.len() - 1
            });
        let n = &mut self.owners[i].1;
        *n = if add { *n + 1 } else { n.saturating_sub(1) };
        if *n == 0 {
            self.owners.swap_remove(i);
        }
        if let Some(z) = self.zone {
            let counts = &mut spread[owner as usize];
            let z = z as usize;
            if counts.len() <= z {
                counts.resize(z + 1, 0);
            }
            counts[z] = if add {
                counts[z] + 1
            } else {
                counts[z].saturating_sub(1)
            };
        }
    }

    /// Moves this node's pods to another zone's counts.
    fn relabel(&mut self, zone: Option<ZoneId>, spread: &mut [Vec<u32>]) {
        for &(owner, n) in &self.owners {
            let counts = &mut spread[owner as usize];
            if let Some(z) = self.zone
                && let Some(c) = counts.get_mut(z as usize)
            {
                *c = c.saturating_sub(n);
            }
            if let Some(z) = zone {
                let z = z as usize;
                if counts.len() <= z {
                    counts.resize(z + 1, 0);
                }
                counts[z] += n;
            }
        }
        self.zone = zone;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Add,
    Remove,
}

/// What one pod holds, computed once (upstream's PreFilter state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodFacts {
    pub requests: Resources,
    pub gpus: u64,
    pub host_ports: Vec<i32>,
    pub owner: Option<OwnerId>,
}

/// The node cache.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    /// What is bound to each node, by node name (the store's order).
    nodes: BTreeMap<String, NodeUsage>,
    /// The pods counted, with their node and what they hold.
    pods: BTreeMap<ObjectKey, (String, PodFacts)>,
    owner_ids: BTreeMap<(Kind, ObjectKey), OwnerId>,
    zone_ids: Vec<String>,
    /// Per owner, its pods per zone.
    spread: Vec<Vec<u32>>,
}

impl Cache {
    /// The pod's requests, GPUs, host ports and owner.
    pub fn facts(&mut self, pod: &Pod) -> PodFacts {
        let owner = pod.meta.owner.as_ref().map(|o| {
            let key = (
                o.kind,
                ObjectKey::new(pod.meta.namespace.clone(), o.name.clone()),
            );
            if let Some(id) = self.owner_ids.get(&key) {
                return *id;
            }
            let id = self.spread.len() as OwnerId;
            self.spread.push(Vec::new());
            self.owner_ids.insert(key, id);
            id
        });
        PodFacts {
            requests: pod.requests(),
            gpus: pod.spec.gpus(),
            host_ports: pod.spec.host_ports().collect(),
            owner,
        }
    }

    /// Pods of `owner` per zone.
    pub fn spread(&self, owner: OwnerId) -> &[u32] {
        &self.spread[owner as usize]
    }

    /// Records a pod on `node` (upstream `AssumePod`/`AddPod`); a pod already recorded there
    /// with the same facts is left as it is.
    pub fn add(&mut self, key: &ObjectKey, node: &str, pod: PodFacts) {
        if let Some((n, f)) = self.pods.get(key) {
            if n == node && *f == pod {
                return;
            }
            self.remove(key);
        }
        let usage = match self.nodes.get_mut(node) {
            Some(u) => u,
            None => self.nodes.entry(node.to_string()).or_default(),
        };
        usage.apply(&pod, &mut self.spread, Change::Add);
        self.pods.insert(key.clone(), (node.to_string(), pod));
    }

    /// Takes a pod off its node (upstream `RemovePod`).
    pub fn remove(&mut self, key: &ObjectKey) {
        let Some((node, pod)) = self.pods.remove(key) else {
            return;
        };
        if let Some(u) = self.nodes.get_mut(&node) {
            u.apply(&pod, &mut self.spread, Change::Remove);
        }
    }

    /// Matches the entries to the store's nodes (upstream `AddNode`/`RemoveNode`, found by
    /// comparing): every node has an entry counting in its zone; an entry whose node went
    /// stops counting in any zone, and goes once it holds no pods.
    pub fn align(&mut self, nodes: &BTreeMap<String, Node>) {
        // Most cycles nothing changed: the same names, each node in the zone its entry has.
        let zones = &self.zone_ids;
        if self.nodes.len() == nodes.len()
            && self.nodes.iter().zip(nodes).all(|((n, u), (m, node))| {
                n == m && u.zone.is_some_and(|z| zones[z as usize] == node.zone)
            })
        {
            return;
        }
        for (name, node) in nodes {
            let zone = self.zone_ids.iter().position(|z| *z == node.zone);
            let zone = Some(zone.unwrap_or_else(|| {
                self.zone_ids.push(node.zone.clone());
                self.zone_ids.len() - 1
            }) as ZoneId);
            match self.nodes.get_mut(name) {
                Some(u) if u.zone != zone => u.relabel(zone, &mut self.spread),
                Some(_) => {}
                None => {
                    self.nodes.insert(
                        name.clone(),
                        NodeUsage {
                            zone,
                            ..NodeUsage::default()
                        },
                    );
                }
            }
        }
        if self.nodes.len() != nodes.len() {
            let spread = &mut self.spread;
            self.nodes.retain(|name, u| {
                if nodes.contains_key(name) {
                    return true;
                }
                if u.zone.is_some() {
                    u.relabel(None, spread);
                }
                u.pods > 0
            });
        }
    }

    /// After `align`: each node of the store with its usage, in the store's order.
    pub fn usages<'c, 'n>(
        &'c self,
        nodes: &'n BTreeMap<String, Node>,
    ) -> impl Iterator<Item = (&'n Node, &'c NodeUsage)> + use<'c, 'n> {
        let exact = self.nodes.len() == nodes.len();
        self.nodes
            .iter()
            .filter(move |(name, _)| exact || nodes.contains_key(*name))
            .zip(nodes.values())
            .map(|((_, u), n)| (n, u))
    }

    /// Checks the cache against the store: what a snapshot built from scratch would hold.
    /// Debug builds run it every cycle, so a store change that misses the cache fails tests.
    ///
    /// # Panics
    ///
    /// When the cache and the store disagree.
    #[cfg(debug_assertions)]
    pub fn check(&self, state: &crate::sim::state::State) {
        let mut fresh = Cache::default();
        fresh.owner_ids.clone_from(&self.owner_ids);
        fresh.zone_ids.clone_from(&self.zone_ids);
        fresh.spread = vec![Vec::new(); self.spread.len()];
        fresh.align(&state.nodes);
        for pod in state.pods.values() {
            if let (true, Some(node)) = (pod.occupies_node(), &pod.spec.node_name) {
                let facts = fresh.facts(pod);
                fresh.add(&pod.meta.key(), node, facts);
            }
        }
        fresh.align(&state.nodes);
        for ((n, u), (_, f)) in self.usages(&state.nodes).zip(fresh.usages(&state.nodes)) {
            let mut u = u.clone();
            let mut f = f.clone();
            for x in [&mut u, &mut f] {
                crate::sim::sort::sort(&mut x.host_ports);
                crate::sim::sort::sort_by_key(&mut x.owners, |o| o.0);
            }
            assert_eq!(u, f, "scheduler cache out of date for node {}", n.name());
        }
        for (o, counts) in fresh.spread.iter().enumerate() {
            let mine = self.spread.get(o).map_or(&[][..], Vec::as_slice);
            for z in 0..counts.len().max(mine.len()) {
                assert_eq!(
                    mine.get(z).copied().unwrap_or(0),
                    counts.get(z).copied().unwrap_or(0),
                    "scheduler spread counts out of date (owner {o}, zone {z})"
                );
            }
        }
    }
}
