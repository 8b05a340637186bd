//! What the Scaling tab shows besides its forms, derived from the simulation: why each pending
//! pod waits (the scheduler's message and the Cluster Autoscaler's answer), the Cluster
//! Autoscaler's view of each node group, each VPA's recommendation and saving, and Spot
//! interruptions in progress.

use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::sim::api::vpa::VerticalPodAutoscaler;
use crate::sim::controllers::{cluster_autoscaler, scheduler, spot, vertical_pod_autoscaler};
use crate::sim::eks::{CapacityType, NodegroupKind};
use crate::sim::quantity::{MIB, MilliCpu};

/// A pending pod and why it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingPod {
    /// `namespace/name`.
    pub pod: String,
    /// The scheduler's last `FailedScheduling` message.
    pub scheduler: Option<String>,
    /// The Cluster Autoscaler's answer (`pod triggered scale-up`, `pod didn't trigger ...`).
    pub autoscaler: Option<String>,
}

/// One node group as the Cluster Autoscaler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaGroup {
    pub name: String,
    /// `managed` or `self-managed`.
    pub kind: &'static str,
    pub min: u64,
    pub desired: u64,
    pub max: u64,
    pub ready: u64,
    /// Why it did or did not scale this group.
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaPanel {
    pub installed: bool,
    /// `--expander` and `--scale-down-unneeded-time`, as flags.
    pub flags: String,
    pub groups: Vec<CaGroup>,
}

/// One container's VPA recommendation next to what its pods request now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpaRow {
    pub container: String,
    /// The Deployment template's requests (`250m / 256Mi`).
    pub requests: String,
    pub target: String,
    pub lower: String,
    pub upper: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpaCard {
    pub name: String,
    pub target: String,
    pub mode: &'static str,
    pub rows: Vec<VpaRow>,
    /// `saves $0.0415/h over 2 replicas` or `costs ... more`.
    pub saving: Option<String>,
    /// The saving's computation, then the recommender's and updater's last decisions.
    pub lines: Vec<String>,
}

/// A Spot instance between its rebalance recommendation and its reclaim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotRow {
    pub instance: String,
    pub notice_at: String,
    pub reclaim_at: String,
    /// Seconds until the reclaim (0 once due).
    pub reclaim_in_s: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotPanel {
    pub interruptions_per_1000_hours: u64,
    pub spot_groups: Vec<String>,
    pub node_termination_handler: bool,
    pub in_progress: Vec<SpotRow>,
}

fn res(cpu: u64, mem: u64) -> String {
    format!("{} / {}Mi", MilliCpu(cpu), mem / MIB)
}

/// How many pods wait for the default scheduler (the count `pending_pods` lists from).
pub fn pending_count(sim: &Simulation) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| scheduler::is_pending_default(p) && !p.is_terminating())
        .count()
}

/// Every pod without a node (not Fargate's or a DaemonSet's alone), at most `limit`.
pub fn pending_pods(sim: &Simulation, limit: usize) -> Vec<PendingPod> {
    sim.state()
        .pods
        .values()
        .filter(|p| scheduler::is_pending_default(p) && !p.is_terminating())
        .take(limit)
        .map(|p| {
            let key = p.meta.key();
            PendingPod {
                pod: key.to_string(),
                scheduler: crate::view::cluster::pending_reason(sim, p),
                autoscaler: cluster_autoscaler::pod_reason(sim, &key),
            }
        })
        .collect()
}

pub fn cluster_autoscaler_panel(sim: &Simulation) -> CaPanel {
    let st = sim.state();
    let why = cluster_autoscaler::explain(sim);
    let groups = st
        .nodegroups
        .values()
        .map(|g| CaGroup {
            name: g.name.clone(),
            kind: match g.kind {
                NodegroupKind::Managed => "managed",
                NodegroupKind::SelfManaged => "self-managed",
            },
            min: crate::sim::api::count(g.scaling.min_size),
            desired: crate::sim::api::count(g.scaling.desired_size),
            max: crate::sim::api::count(g.scaling.max_size),
            ready: st
                .nodes
                .values()
                .filter(|n| {
                    n.is_ready()
                        && !n.data_plane.is_fargate()
                        && n.data_plane.group_name() == g.name
                })
                .count() as u64,
            why: why
                .iter()
                .find(|(n, _)| *n == g.name)
                .map(|(_, w)| w.clone())
                .unwrap_or_default(),
        })
        .collect();
    let settings = sim.spec.settings.cluster_autoscaler.as_ref();
    CaPanel {
        installed: settings.is_some(),
        flags: settings.map_or_else(String::new, |s| {
            format!(
                "--expander={} --scale-down-unneeded-time={}m --scale-down-utilization-threshold=0.{}",
                s.expander.as_str(),
                s.scale_down_unneeded_time.as_secs() / 60,
                format!("{:03}", s.scale_down_utilization_threshold_permille).trim_end_matches('0')
            )
        }),
        groups,
    }
}

fn vpa_card(sim: &Simulation, key: &ObjectKey, v: &VerticalPodAutoscaler) -> VpaCard {
    let template = sim
        .state()
        .deployments
        .get(&ObjectKey::new(
            key.namespace.clone(),
            v.spec.target_name.clone(),
        ))
        .map(|d| d.spec.template.spec.clone());
    let rows = v
        .status
        .recommendations
        .iter()
        .map(|r| {
            let requests = template
                .as_ref()
                .and_then(|t| t.containers.iter().find(|c| c.name == r.container_name))
                .map_or_else(
                    || "-".to_string(),
                    |c| res(c.requests.cpu.0, c.requests.memory.0),
                );
            VpaRow {
                container: r.container_name.clone(),
                requests,
                target: res(r.target.cpu.0, r.target.memory.0),
                lower: res(r.lower_bound.cpu.0, r.lower_bound.memory.0),
                upper: res(r.upper_bound.cpu.0, r.upper_bound.memory.0),
            }
        })
        .collect();
    let saving = vertical_pod_autoscaler::savings(sim, key);
    let mut lines = saving
        .as_ref()
        .map(|s| s.explanation.clone())
        .unwrap_or_default();
    lines.extend(v.status.explanation.iter().cloned());
    VpaCard {
        name: key.to_string(),
        target: format!("deployment/{}", v.spec.target_name),
        mode: v.spec.update_mode.as_str(),
        rows,
        saving: saving.map(|s| {
            let verb = if s.nusd_per_hour >= 0 {
                "saves"
            } else {
                "costs more:"
            };
            format!(
                "{verb} ${}/h over {} replica(s)",
                vertical_pod_autoscaler::usd(s.nusd_per_hour.abs()),
                s.replicas
            )
        }),
        lines,
    }
}

pub fn vpa_cards(sim: &Simulation) -> Vec<VpaCard> {
    sim.state()
        .vpas
        .iter()
        .map(|(k, v)| vpa_card(sim, k, v))
        .collect()
}

pub fn spot_panel(sim: &Simulation) -> SpotPanel {
    let now = sim.now();
    SpotPanel {
        interruptions_per_1000_hours: sim.spec.settings.spot.interruptions_per_1000_hours,
        spot_groups: sim
            .state()
            .nodegroups
            .values()
            .filter(|g| g.capacity_type == CapacityType::Spot)
            .map(|g| g.name.clone())
            .collect(),
        node_termination_handler: sim.spec.settings.spot.node_termination_handler,
        in_progress: spot::in_progress(sim)
            .into_iter()
            .map(|(instance, notice, reclaim)| SpotRow {
                instance,
                notice_at: notice.to_string(),
                reclaim_at: reclaim.to_string(),
                reclaim_in_s: reclaim.as_secs().saturating_sub(now.as_secs()),
            })
            .collect(),
    }
}

/// Pending pods the Scaling tab lists with their reasons; more are counted.
pub const PENDING_SHOWN: usize = 12;

/// An HPA as the Scaling tab shows it: what it scales and its last computation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpaCard {
    pub name: String,
    /// `hpa/web → deployment/web: 2 → 5 replicas`.
    pub heading: String,
    pub lines: Vec<String>,
}

/// Everything the Scaling tab draws besides its forms, so the tab takes this instead of the
/// simulation and redraws only when it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalingModel {
    pub cluster: String,
    /// Deployments outside kube-system, `namespace/name`: the forms' targets.
    pub deployments: Vec<String>,
    /// Each traffic model: `default/web: 120 req/s now, constant 120 req/s`.
    pub traffic: Vec<String>,
    pub hpas: Vec<HpaCard>,
    pub pending: Vec<PendingPod>,
    pub pending_total: usize,
    pub cluster_autoscaler: CaPanel,
    pub vpas: Vec<VpaCard>,
    pub vpa_installed: bool,
    pub spot: SpotPanel,
}

impl ScalingModel {
    pub fn from_sim(sim: &Simulation) -> ScalingModel {
        let st = sim.state();
        let now = sim.now();
        ScalingModel {
            cluster: st.cluster.name.clone(),
            deployments: st
                .deployments
                .keys()
                .filter(|k| k.namespace != "kube-system")
                .map(ToString::to_string)
                .collect(),
            traffic: st
                .traffic
                .iter()
                .map(|(k, a)| {
                    format!(
                        "{k}: {} req/s now, {}",
                        a.rps(now),
                        a.spec.pattern.describe()
                    )
                })
                .collect(),
            hpas: st
                .hpas
                .values()
                .map(|h| HpaCard {
                    name: h.meta.name.clone(),
                    heading: format!(
                        "hpa/{} → deployment/{}: {} → {} replicas",
                        h.meta.name,
                        h.spec.target_name,
                        h.status.current_replicas,
                        h.status.desired_replicas
                    ),
                    lines: h.status.explanation.lines.clone(),
                })
                .collect(),
            pending: pending_pods(sim, PENDING_SHOWN),
            pending_total: pending_count(sim),
            cluster_autoscaler: cluster_autoscaler_panel(sim),
            vpas: vpa_cards(sim),
            vpa_installed: sim.spec.settings.vertical_pod_autoscaler,
            spot: spot_panel(sim),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::SimTime;

    fn example(name: &str) -> Simulation {
        let text = std::fs::read_to_string(format!(
            "{}/examples/{name}.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        Simulation::new(crate::scenario::load(&text).unwrap().spec).unwrap()
    }

    #[test]
    fn the_scaling_model_holds_what_the_tab_draws() {
        let mut sim = example("hpa");
        sim.run_for(crate::sim::clock::SimDuration::from_mins(20));
        let m = ScalingModel::from_sim(&sim);
        assert_eq!(m.cluster, sim.state().cluster.name);
        assert!(m.deployments.iter().all(|d| !d.starts_with("kube-system/")));
        assert!(
            m.deployments.contains(&"default/web".to_string()),
            "{:?}",
            m.deployments
        );
        assert_eq!(m.traffic.len(), sim.state().traffic.len());
        assert!(m.traffic[0].starts_with("default/web: "), "{:?}", m.traffic);
        assert!(m.traffic[0].contains(" req/s now, "), "{:?}", m.traffic);
        let h = &m.hpas[0];
        let hpa = sim.state().hpas.values().next().unwrap();
        assert_eq!(
            h.heading,
            format!(
                "hpa/{} → deployment/web: {} → {} replicas",
                hpa.meta.name, hpa.status.current_replicas, hpa.status.desired_replicas
            )
        );
        assert_eq!(h.lines, hpa.status.explanation.lines);
        assert!(!h.lines.is_empty(), "the HPA explains its last computation");
        assert_eq!(m.pending_total, pending_count(&sim));
        assert!(m.pending.len() <= PENDING_SHOWN);
        // The same lab gives the same model: the tab redraws only when something changed.
        assert_eq!(m, ScalingModel::from_sim(&sim));
    }

    #[test]
    fn pending_pods_carry_the_scheduler_and_autoscaler_answers() {
        let mut sim = example("cluster-autoscaler");
        // 25m01s: the burst's pods are Pending and the CA has just asked for two nodes.
        sim.step_until(SimTime::from_secs(25 * 60 + 2));
        let pending = pending_pods(&sim, 50);
        assert!(!pending.is_empty());
        // The count covers every pending pod, however few are listed.
        assert_eq!(pending_count(&sim), pending.len());
        assert_eq!(pending_pods(&sim, 1).len(), 1);
        let p = &pending[0];
        assert!(p.pod.starts_with("default/web-"), "{p:?}");
        assert!(
            p.scheduler
                .as_deref()
                .is_some_and(|m| m.contains("Insufficient cpu")),
            "{p:?}"
        );
        assert!(
            p.autoscaler
                .as_deref()
                .is_some_and(|m| m.starts_with("triggered scale-up of ng-1")),
            "{p:?}"
        );
        let ca = cluster_autoscaler_panel(&sim);
        assert!(ca.installed);
        assert_eq!(
            ca.flags,
            "--expander=least-waste --scale-down-unneeded-time=10m --scale-down-utilization-threshold=0.5"
        );
        let g = &ca.groups[0];
        assert_eq!(
            (g.name.as_str(), g.kind, g.min, g.desired, g.max),
            ("ng-1", "managed", 1, 4, 5)
        );
        assert!(!g.why.is_empty());
    }

    #[test]
    fn vpa_cards_show_requests_against_the_recommendation_and_the_saving() {
        let mut sim = example("vpa");
        sim.step_until(SimTime::from_mins(60));
        let cards = vpa_cards(&sim);
        let c = &cards[0];
        assert_eq!(
            (c.name.as_str(), c.target.as_str(), c.mode),
            ("default/web", "deployment/web", "Recreate")
        );
        assert_eq!(c.rows[0].container, "web");
        assert_eq!(c.rows[0].requests, "1 / 2048Mi", "{:?}", c.rows[0]);
        assert!(c.rows[0].target.ends_with("Mi"), "{:?}", c.rows[0]);
        assert!(
            c.saving
                .as_deref()
                .is_some_and(|s| s.starts_with("saves $")),
            "{c:?}"
        );
        assert!(!c.lines.is_empty());
    }

    #[test]
    fn spot_panel_lists_interruptions_in_progress() {
        let mut sim = example("spot");
        sim.step_until(SimTime::from_mins(13));
        let p = spot_panel(&sim);
        assert_eq!(p.spot_groups, ["ng-spot"]);
        assert!(p.interruptions_per_1000_hours > 0 && p.in_progress.is_empty());
        // The golden log's first interruption: "will be interrupted at 00:15:53", two minutes
        // after the notice.
        sim.step_until(SimTime::from_secs(13 * 60 + 55));
        let p = spot_panel(&sim);
        assert_eq!(p.in_progress.len(), 1, "{p:?}");
        let r = &p.in_progress[0];
        assert_eq!(
            (r.notice_at.as_str(), r.reclaim_at.as_str()),
            ("00:13:53", "00:15:53")
        );
        assert_eq!(r.reclaim_in_s, 118);
    }
}
