//! The report's `updates` and `upgrade` sections.
//!
//! `updates` lists every EKS update (control plane, managed node group, add-on) with its
//! phases. `upgrade` sums up, for each data plane, how a version upgrade went: which nodes are
//! still behind the control plane, how many commands it took, when it started and finished and
//! what the extra nodes cost.
//!
//! Some of that is history the simulation does not keep (a Fargate pod's node is gone once the
//! pod is), so the runner drives the lab through an [`UpgradeWatch`], which looks at the data
//! planes after every step in which the store or the control plane version changed.

use crate::sim::sort::CollectSorted;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::sim::Simulation;
use crate::sim::catalog::KubernetesVersion;
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::eks::{Instance, UpdateTarget};

/// One EKS update (`aws eks describe-update`), with the lab's phases.
#[derive(Debug, Serialize)]
pub struct UpdateReport {
    pub id: String,
    /// `cluster`, `nodegroup/ng-1`, `addon/coredns`.
    pub target: String,
    #[serde(rename = "type")]
    pub type_: String,
    /// `InProgress`, `Failed`, `Cancelled` or `Successful`.
    pub status: String,
    /// The `Version` param (control plane, node group) or the `AddonVersion` param (add-on).
    pub version: Option<String>,
    pub created_s: u64,
    /// `null` while the update runs.
    pub ended_s: Option<u64>,
    /// Ended minus created; while it runs, the time so far.
    pub duration_s: u64,
    pub phases: Vec<PhaseReport>,
    pub errors: Vec<UpdateErrorReport>,
    pub pods_evicted: u64,
    pub nodes_replaced: u64,
}

#[derive(Debug, Serialize)]
pub struct PhaseReport {
    pub name: String,
    pub start_s: u64,
    /// `null` while the phase runs.
    pub end_s: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct UpdateErrorReport {
    pub code: String,
    pub message: String,
    pub resource_ids: Vec<String>,
}

/// Every EKS update, oldest first.
pub fn updates(sim: &Simulation) -> Vec<UpdateReport> {
    let now = sim.now();
    sim.state()
        .updates
        .iter()
        .map(|u| UpdateReport {
            id: u.id.clone(),
            target: u.target.label(),
            type_: u.type_.as_str().to_string(),
            status: u.status.as_str().to_string(),
            version: u
                .param("Version")
                .or_else(|| u.param("AddonVersion"))
                .map(str::to_string),
            created_s: u.created_at.as_secs(),
            ended_s: u.ended_at.map(SimTime::as_secs),
            duration_s: u
                .ended_at
                .unwrap_or(now)
                .saturating_sub(u.created_at)
                .as_secs(),
            phases: u
                .phases
                .iter()
                .map(|p| PhaseReport {
                    name: p.name.to_string(),
                    start_s: p.started.as_secs(),
                    end_s: p.ended.map(SimTime::as_secs),
                })
                .collect(),
            errors: u
                .errors
                .iter()
                .map(|e| UpdateErrorReport {
                    code: e.code.as_str().to_string(),
                    message: e.message.clone(),
                    resource_ids: e.resource_ids.clone(),
                })
                .collect(),
            pods_evicted: u.pods_evicted,
            nodes_replaced: u.nodes_replaced,
        })
        .collect()
}

/// What the watch remembers of one data plane.
#[derive(Debug, Clone)]
struct Track {
    kind: &'static str,
    /// The node group's version when last seen (node groups only).
    version: Option<KubernetesVersion>,
    /// Every node seen in it.
    nodes: BTreeSet<String>,
    /// Some node of it runs a kubelet older than the control plane (as of the last look).
    behind: bool,
    /// The last time `behind` went from true to false.
    caught_up_at: Option<SimTime>,
    /// Node groups of the same kind that were behind when this one first appeared.
    appeared_while_behind: Vec<String>,
}

impl Track {
    fn new(kind: &'static str) -> Track {
        Track {
            kind,
            version: None,
            nodes: BTreeSet::new(),
            behind: false,
            caught_up_at: None,
            appeared_while_behind: Vec::new(),
        }
    }

    fn set_behind(&mut self, behind: bool, now: SimTime) {
        if self.behind && !behind {
            self.caught_up_at = Some(now);
        }
        self.behind = behind;
    }
}

/// Watches the data planes step by step for the `upgrade` section. Drive the lab with
/// [`UpgradeWatch::run_for`] (or call [`UpgradeWatch::observe`] after every step).
#[derive(Debug, Clone, Default)]
pub struct UpgradeWatch {
    /// The store revision and control plane version at the last look.
    seen: Option<(u64, KubernetesVersion)>,
    groups: BTreeMap<String, Track>,
    fargate: Option<Track>,
}

/// Whether a node's kubelet is older than the control plane.
fn kubelet_behind(kubelet: &str, cp: KubernetesVersion) -> bool {
    KubernetesVersion::parse(kubelet).is_ok_and(|k| k < cp)
}

impl UpgradeWatch {
    /// Runs the lab for `d`, looking at it after every step (and once before the first).
    pub fn run_for(&mut self, sim: &mut Simulation, d: SimDuration) {
        self.observe(sim);
        let end = sim.now() + d;
        while sim.now() < end {
            sim.step();
            self.observe(sim);
        }
    }

    /// Looks at the data planes now; cheap when nothing changed since the last look.
    pub fn observe(&mut self, sim: &Simulation) {
        let st = sim.state();
        let cp = st.cluster.version;
        if self.seen == Some((st.revision, cp)) {
            return;
        }
        self.seen = Some((st.revision, cp));
        let now = sim.now();
        let mut behind: BTreeMap<&str, bool> = BTreeMap::new();
        let mut fargate_behind = false;
        for n in st.nodes.values() {
            let old = kubelet_behind(&n.status.kubelet_version, cp);
            if n.data_plane.is_fargate() {
                let t = self.fargate.get_or_insert_with(|| Track::new("fargate"));
                t.nodes.insert(n.name().to_string());
                fargate_behind |= old;
            } else {
                let g = n.data_plane.group_name();
                if !self.groups.contains_key(g) {
                    let t = self.new_group(n.data_plane.kind_str());
                    self.groups.insert(g.to_string(), t);
                }
                if let Some(t) = self.groups.get_mut(g) {
                    t.nodes.insert(n.name().to_string());
                }
                *behind.entry(g).or_default() |= old;
            }
        }
        for g in st.nodegroups.values() {
            if !self.groups.contains_key(&g.name) {
                let t = self.new_group(g.kind.as_str());
                self.groups.insert(g.name.clone(), t);
            }
            if let Some(t) = self.groups.get_mut(&g.name) {
                t.version = Some(g.version);
            }
        }
        if !st.fargate_profiles.is_empty() && self.fargate.is_none() {
            self.fargate = Some(Track::new("fargate"));
        }
        for (name, t) in &mut self.groups {
            t.set_behind(behind.get(name.as_str()).copied().unwrap_or(false), now);
        }
        if let Some(t) = &mut self.fargate {
            t.set_behind(fargate_behind, now);
        }
    }

    fn new_group(&self, kind: &'static str) -> Track {
        let mut t = Track::new(kind);
        t.appeared_while_behind = self
            .groups
            .iter()
            .filter(|(_, o)| o.kind == kind && o.behind)
            .map(|(n, _)| n.clone())
            .collect();
        t
    }
}

/// One data plane's upgrade.
#[derive(Debug, Serialize)]
pub struct DataPlaneUpgrade {
    /// The node group's name, or `fargate` for every Fargate profile together.
    pub name: String,
    /// `managed`, `self-managed` or `fargate`.
    pub kind: String,
    /// The node group's Kubernetes version (the last one seen, for a deleted group); for
    /// Fargate the oldest kubelet among its nodes (`null` when none runs).
    pub version: Option<String>,
    /// Nodes at the end whose kubelet is older than the control plane.
    pub nodes_on_old_version: u64,
    /// The successful commands that concerned it (see [`upgrades`] for the rule).
    pub steps: u64,
    /// When the first of those commands ran.
    pub started_s: Option<u64>,
    /// From then on, the moment no node of it ran a kubelet older than the control plane and
    /// none did again until the end; `null` if it never started or is still behind.
    pub finished_s: Option<u64>,
    /// What the extra nodes cost (see [`upgrades`]); `null` for Fargate, which runs no EC2.
    pub extra_cost_usd: Option<f64>,
    /// The node group that took over from this one in a blue/green migration.
    pub replaced_by: Option<String>,
}

/// Splits a command line into the words that can name things: `--name=ng-1`,
/// `deployment/web` and `a,b` give `ng-1`, `web`, `a` and `b` among others.
fn words(text: &str) -> BTreeSet<&str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '=' | '/' | ',' | '"' | '\''))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Sum over `[from, to)` of the rate above `base`, from running intervals with their prices
/// (nano-dollars per hour), in nano-dollar-seconds per hour.
fn surplus(intervals: &[(u64, Option<u64>, u64)], base: u64, from: u64, to: u64) -> u128 {
    let mut cuts: BTreeSet<u64> = [from, to].into_iter().collect_set();
    for &(start, stop, _) in intervals {
        for t in [Some(start), stop].into_iter().flatten() {
            if from < t && t < to {
                cuts.insert(t);
            }
        }
    }
    let cuts: Vec<u64> = cuts.into_iter().collect();
    let mut total = 0u128;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let rate: u64 = intervals
            .iter()
            .filter(|&&(start, stop, _)| start <= a && stop.is_none_or(|s| s > a))
            .map(|&(_, _, price)| price)
            .sum();
        total += u128::from(rate.saturating_sub(base)) * u128::from(b - a);
    }
    total
}

/// The `upgrade` section: every node group seen during the run (deleted ones too), then
/// Fargate if the lab had a Fargate profile or a Fargate node.
///
/// - **steps**: the successful command outcomes (`sim.outcomes()`; a refused command changed
///   nothing) whose command line contains, as a whole word (words are split at spaces, `=`,
///   `/`, `,` and quotes), the node group's name, one of its nodes' names or one of its
///   instances' ids; for Fargate, a Fargate profile's name, a namespace a profile selects
///   (`-n serverless`) or a Fargate node's name. Commands submitted without a command line
///   are not counted. A blue/green migration counts for the old group: a node group of the
///   same kind that first appeared while the old one had nodes behind the control plane, the
///   old group then ending with no nodes, is its successor (`replaced_by`), and the commands
///   naming the successor up to the moment the old group caught up count as the old group's
///   steps too.
/// - **started_s** is the first of those commands; **finished_s** is the later of started_s
///   and the last moment a node older than the control plane left (a node counts while its
///   Node object exists, cordoned, NotReady or not), provided none is left at the end.
/// - **extra_cost_usd**: over the window from started_s to the later of finished_s and the end
///   of the group's last EKS update (a managed update's scale-down phase removes the surge
///   nodes after the last old node is gone), or to the end of the run while not finished,
///   the integral of the EC2 rate of the group's instances (and its successor's) above the
///   rate of the instances it had running at started_s: per second, `max(0, rate(t) -
///   rate(started_s))`. Instance prices are integer nano-dollars per hour and an instance
///   costs from its `running` state until it starts shutting down, as the meter bills it; the
///   sum is exact, reported in whole micro-dollars rounded down. A MINIMAL update never runs
///   more nodes than before, so it costs nothing extra. EC2's 60-second minimum is ignored
///   (extra nodes run for minutes).
pub fn upgrades(sim: &Simulation, watch: &UpgradeWatch) -> Vec<DataPlaneUpgrade> {
    let st = sim.state();
    let cp = st.cluster.version;
    let now = sim.now().as_secs();
    let ok: Vec<(u64, BTreeSet<&str>)> = sim
        .outcomes()
        .iter()
        .filter(|o| o.result.is_ok())
        .map(|o| (o.at.as_secs(), words(&o.text)))
        .collect();
    let names_of = |group: &str, t: &Track| -> BTreeSet<String> {
        let mut names: BTreeSet<String> = t.nodes.clone();
        names.insert(group.to_string());
        for i in st.instances.values().filter(|i| i.nodegroup == group) {
            names.insert(i.id.clone());
            if !i.node_name.is_empty() {
                names.insert(i.node_name.clone());
            }
        }
        names
    };
    let names_hit =
        |names: &BTreeSet<String>, w: &BTreeSet<&str>| names.iter().any(|n| w.contains(n.as_str()));
    let finished = |started: Option<u64>, t: &Track| -> Option<u64> {
        let s = started?;
        if t.behind {
            return None;
        }
        Some(t.caught_up_at.map_or(s, |c| c.as_secs().max(s)))
    };
    let mut out = Vec::new();
    for (name, t) in &watch.groups {
        let emptied = !st
            .nodes
            .values()
            .any(|n| !n.data_plane.is_fargate() && n.data_plane.group_name() == name.as_str());
        let successor = emptied
            .then(|| {
                watch
                    .groups
                    .iter()
                    .find(|(_, o)| o.appeared_while_behind.contains(name))
                    .map(|(n, _)| n.clone())
            })
            .flatten();
        let own = names_of(name, t);
        let theirs = successor.as_ref().map(|s| names_of(s, &watch.groups[s]));
        // The successor's commands count until the old group caught up.
        let until = (!t.behind)
            .then_some(t.caught_up_at.map(SimTime::as_secs))
            .flatten();
        let times: Vec<u64> = ok
            .iter()
            .filter(|(at, w)| {
                names_hit(&own, w)
                    || theirs
                        .as_ref()
                        .is_some_and(|th| until.is_none_or(|u| *at <= u) && names_hit(th, w))
            })
            .map(|(at, _)| *at)
            .collect();
        let started = times.first().copied();
        let finished_s = finished(started, t);
        let extra = started.map_or(0, |s| {
            let last_update = st
                .updates
                .iter()
                .filter(|u| u.target == UpdateTarget::Nodegroup(name.clone()))
                .map(|u| u.ended_at.map_or(now, SimTime::as_secs))
                .max();
            let end = finished_s.map_or(now, |f| f.max(last_update.unwrap_or(f)));
            let running = |i: &Instance| {
                i.running_at.map(|r| {
                    (
                        r.as_secs(),
                        i.stopped_at.map(SimTime::as_secs),
                        i.price_nusd_per_hour,
                    )
                })
            };
            let intervals: Vec<(u64, Option<u64>, u64)> = st
                .instances
                .values()
                .filter(|i| i.nodegroup == *name || successor.as_ref() == Some(&i.nodegroup))
                .filter_map(running)
                .collect();
            // The baseline: the group's own instances running when it started.
            let base: u64 = st
                .instances
                .values()
                .filter(|i| i.nodegroup == *name)
                .filter_map(running)
                .filter(|&(start, stop, _)| start <= s && stop.is_none_or(|x| x > s))
                .map(|(_, _, price)| price)
                .sum();
            (surplus(&intervals, base, s, end.max(s)) / 3600 / 1000) as u64
        });
        let old = st
            .nodes
            .values()
            .filter(|n| {
                !n.data_plane.is_fargate()
                    && n.data_plane.group_name() == name.as_str()
                    && kubelet_behind(&n.status.kubelet_version, cp)
            })
            .count() as u64;
        out.push(DataPlaneUpgrade {
            name: name.clone(),
            kind: t.kind.to_string(),
            version: t.version.map(|v| v.to_string()),
            nodes_on_old_version: old,
            steps: times.len() as u64,
            started_s: started,
            finished_s,
            extra_cost_usd: Some(super::dollars(extra)),
            replaced_by: successor,
        });
    }
    if let Some(t) = &watch.fargate {
        let mut names: BTreeSet<String> = t.nodes.clone();
        for p in st.fargate_profiles.values() {
            names.insert(p.name.clone());
            for s in &p.selectors {
                names.insert(s.namespace.clone());
            }
        }
        for p in &sim.spec().fargate_profiles {
            names.insert(p.name.clone());
            for s in &p.selectors {
                names.insert(s.namespace.clone());
            }
        }
        let times: Vec<u64> = ok
            .iter()
            .filter(|(_, w)| names_hit(&names, w))
            .map(|(at, _)| *at)
            .collect();
        let started = times.first().copied();
        let fargate_nodes = || st.nodes.values().filter(|n| n.data_plane.is_fargate());
        out.push(DataPlaneUpgrade {
            name: "fargate".to_string(),
            kind: "fargate".to_string(),
            version: fargate_nodes()
                .filter_map(|n| KubernetesVersion::parse(&n.status.kubelet_version).ok())
                .min()
                .map(|v| v.to_string()),
            nodes_on_old_version: fargate_nodes()
                .filter(|n| kubelet_behind(&n.status.kubelet_version, cp))
                .count() as u64,
            steps: times.len() as u64,
            started_s: started,
            finished_s: finished(started, t),
            extra_cost_usd: None,
            replaced_by: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_flags_paths_and_lists() {
        let w = words("eksctl upgrade nodegroup --cluster=lab --name=ng-1 --force-upgrade");
        assert!(w.contains("ng-1") && w.contains("lab") && !w.contains("ng"));
        let w = words("kubectl rollout restart deployment/web -n serverless");
        assert!(w.contains("web") && w.contains("serverless"));
    }

    #[test]
    fn surplus_counts_only_the_rate_above_the_base() {
        // Two nodes at 100/h from t=0; a third from 10 s to 40 s; a fourth from 20 s on.
        let iv = [
            (0, None, 100),
            (0, None, 100),
            (10, Some(40), 100),
            (20, None, 50),
        ];
        // Base 200 over [0, 60): 100 × 30 s (third) + 50 × 40 s (fourth).
        assert_eq!(surplus(&iv, 200, 0, 60), 3000 + 2000);
        // A window with a node fewer than the base costs nothing extra.
        assert_eq!(surplus(&[(0, Some(5), 100)], 200, 0, 60), 0);
    }
}
