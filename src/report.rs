//! The runner's JSON report: the cluster, the bill by component, the final nodes, pods and
//! node groups, a per-minute timeline, the autoscalers, the EKS updates and each data plane's
//! upgrade, the command outcomes and every event.
//!
//! Field order is fixed by these structs and floats come from integers, so the same run gives
//! a byte-identical report.

use serde::Serialize;

use crate::sim::Simulation;
use crate::sim::api::PodPhase;
use crate::sim::billing::{CostComponent, usd};
use crate::sim::catalog::version_info;

mod upgrade;

pub use upgrade::{
    DataPlaneUpgrade, PhaseReport, UpdateErrorReport, UpdateReport, UpgradeWatch, updates, upgrades,
};

#[derive(Debug, Serialize)]
pub struct Report {
    pub cluster: ClusterReport,
    pub seed: u64,
    pub start_date: String,
    pub duration_s: u64,
    pub cost: CostReport,
    pub nodes: Vec<NodeReport>,
    pub pods: PodCounts,
    pub nodegroups: Vec<NodegroupReport>,
    pub fargate_profiles: Vec<FargateProfileReport>,
    pub timeline: Vec<TimelineSample>,
    /// Per-workload and per-node-group series, one point per simulated minute.
    pub series: SeriesReport,
    /// The three autoscalers' state at the end and every event they recorded.
    pub autoscaling: AutoscalingReport,
    /// Every EKS update (control plane, node group, add-on) with its phases, oldest first.
    pub updates: Vec<UpdateReport>,
    /// Each data plane's version upgrade: nodes still behind, steps, start, finish, extra cost.
    pub upgrade: Vec<DataPlaneUpgrade>,
    pub commands: Vec<CommandReport>,
    pub events: Vec<EventReport>,
    /// FNV-1a digest of the event log (equal digests, equal logs).
    pub event_digest: String,
    /// Loader warnings (fields the lab does not model).
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ClusterReport {
    pub name: String,
    pub region: String,
    pub version: String,
    pub status: String,
    pub support_status: String,
    pub endpoint_access: String,
    pub logging: Vec<String>,
    pub addons: Vec<AddonReport>,
}

#[derive(Debug, Serialize)]
pub struct AddonReport {
    pub name: String,
    pub version: String,
    pub managed: bool,
}

#[derive(Debug, Serialize)]
pub struct CostReport {
    pub total_usd: f64,
    pub control_plane_usd: f64,
    pub ec2_usd: f64,
    pub fargate_usd: f64,
    pub ebs_usd: f64,
    pub rate_usd_per_hour: f64,
    pub projected_30_day_usd: f64,
}

#[derive(Debug, Serialize)]
pub struct NodeReport {
    pub name: String,
    pub nodegroup: String,
    /// `self-managed`, `managed` or `fargate`.
    pub kind: String,
    /// EC2 instance type, or the Fargate size (`2vCPU 9GB`).
    pub instance_type: String,
    pub zone: String,
    pub ready: bool,
    pub max_pods: u64,
    pub pods: u64,
    pub cpu_allocatable_m: u64,
    pub memory_allocatable_mib: u64,
    pub cpu_requested_m: u64,
    pub memory_requested_mib: u64,
    pub kubelet_version: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PodCounts {
    pub pending: u64,
    pub running: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub unknown: u64,
    #[serde(rename = "total")]
    pub total: u64,
}

#[derive(Debug, Serialize)]
pub struct NodegroupReport {
    pub name: String,
    pub kind: String,
    pub status: String,
    pub min: i32,
    pub desired: i32,
    pub max: i32,
    pub instance_types: Vec<String>,
    pub capacity_type: String,
    pub version: String,
}

#[derive(Debug, Serialize)]
pub struct FargateProfileReport {
    pub name: String,
    pub status: String,
    pub selectors: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TimelineSample {
    pub t_s: u64,
    pub nodes: u64,
    pub pods_running: u64,
    pub pods_pending: u64,
    pub cost_usd: f64,
}

#[derive(Debug, Serialize)]
pub struct SeriesReport {
    pub workloads: Vec<WorkloadSeries>,
    pub nodegroups: Vec<NodegroupSeries>,
}

#[derive(Debug, Serialize)]
pub struct WorkloadSeries {
    pub namespace: String,
    pub name: String,
    pub points: Vec<WorkloadPoint>,
}

#[derive(Debug, Serialize)]
pub struct WorkloadPoint {
    pub t_s: u64,
    /// `spec.replicas`: what the learner or the HPA asked for.
    pub replicas: u64,
    pub ready: u64,
    pub rps: u64,
    /// CPU used as a percentage of the ready pods' requests (what the HPA compares).
    pub cpu_utilization_percent: Option<u64>,
    pub hpa_cpu_target_percent: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct NodegroupSeries {
    pub name: String,
    pub points: Vec<NodegroupPoint>,
}

#[derive(Debug, Serialize)]
pub struct NodegroupPoint {
    pub t_s: u64,
    pub min: u64,
    pub desired: u64,
    pub max: u64,
    pub nodes_ready: u64,
}

fn series(sim: &Simulation) -> SeriesReport {
    use std::collections::BTreeMap;
    let mut workloads: BTreeMap<(String, String), Vec<WorkloadPoint>> = BTreeMap::new();
    let mut nodegroups: BTreeMap<String, Vec<NodegroupPoint>> = BTreeMap::new();
    for s in sim.metrics().samples() {
        for w in &s.workloads {
            workloads
                .entry((w.key.namespace.clone(), w.key.name.clone()))
                .or_default()
                .push(WorkloadPoint {
                    t_s: s.t.as_secs(),
                    replicas: w.replicas,
                    ready: w.ready,
                    rps: w.rps,
                    cpu_utilization_percent: (w.cpu_request_m > 0)
                        .then(|| w.cpu_usage_m * 100 / w.cpu_request_m),
                    hpa_cpu_target_percent: w.hpa_cpu_target,
                });
        }
        for g in &s.nodegroups {
            nodegroups
                .entry(g.name.clone())
                .or_default()
                .push(NodegroupPoint {
                    t_s: s.t.as_secs(),
                    min: g.min,
                    desired: g.desired,
                    max: g.max,
                    nodes_ready: g.nodes_ready,
                });
        }
    }
    SeriesReport {
        workloads: workloads
            .into_iter()
            .map(|((namespace, name), points)| WorkloadSeries {
                namespace,
                name,
                points,
            })
            .collect(),
        nodegroups: nodegroups
            .into_iter()
            .map(|(name, points)| NodegroupSeries { name, points })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct CommandReport {
    pub t_s: u64,
    pub command: String,
    pub ok: bool,
    pub output: String,
}

#[derive(Debug, Serialize)]
pub struct EventReport {
    pub t_s: u64,
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    pub object: String,
    pub message: String,
    /// The reporting component (`kubectl get events -o wide`'s SOURCE).
    pub source: String,
}

impl EventReport {
    fn of(e: &crate::sim::event::Event) -> EventReport {
        EventReport {
            t_s: e.time.as_secs(),
            type_: e.type_.as_str().to_string(),
            reason: e.reason.to_string(),
            object: e.object.to_string(),
            message: e.message.clone(),
            source: e.source.to_string(),
        }
    }
}

/// The autoscalers at the end of the run: each HPA's last computation, the Cluster
/// Autoscaler's view of each node group, each VPA's recommendation and saving, and the events
/// each recorded (HPA: `horizontal-pod-autoscaler`; CA: `cluster-autoscaler`; VPA:
/// `vpa-recommender`, `vpa-updater`, `vpa-admission-controller`).
#[derive(Debug, Serialize)]
pub struct AutoscalingReport {
    pub hpas: Vec<HpaReport>,
    pub cluster_autoscaler: ClusterAutoscalerReport,
    pub vpas: Vec<VpaReport>,
    pub hpa_events: Vec<EventReport>,
    pub cluster_autoscaler_events: Vec<EventReport>,
    pub vpa_events: Vec<EventReport>,
}

#[derive(Debug, Serialize)]
pub struct HpaReport {
    pub namespace: String,
    pub name: String,
    pub target: String,
    pub min_replicas: i32,
    pub max_replicas: i32,
    pub current_replicas: i32,
    pub desired_replicas: i32,
    /// The last computation in sentences (current, target, ratio, tolerance, stabilization).
    pub explanation: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ClusterAutoscalerReport {
    pub installed: bool,
    /// Why it did or did not scale each node group.
    pub nodegroups: Vec<CaGroupReport>,
}

#[derive(Debug, Serialize)]
pub struct CaGroupReport {
    pub name: String,
    pub why: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct VpaReport {
    pub namespace: String,
    pub name: String,
    pub target: String,
    pub update_mode: String,
    pub recommendations: Vec<VpaRecommendationReport>,
    /// Dollars per hour the recommendation saves over all replicas (negative: it costs more).
    pub savings_usd_per_hour: Option<f64>,
    pub explanation: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct VpaRecommendationReport {
    pub container: String,
    pub target_cpu_m: u64,
    pub target_memory_mib: u64,
    pub lower_cpu_m: u64,
    pub upper_cpu_m: u64,
}

fn autoscaling(sim: &Simulation) -> AutoscalingReport {
    use crate::sim::controllers::{cluster_autoscaler, vertical_pod_autoscaler};
    use crate::sim::quantity::MIB;
    let st = sim.state();
    let by = |pred: &dyn Fn(&str) -> bool| -> Vec<EventReport> {
        sim.events()
            .all()
            .iter()
            .filter(|e| pred(e.source))
            .map(EventReport::of)
            .collect()
    };
    AutoscalingReport {
        hpas: st
            .hpas
            .iter()
            .map(|(k, h)| HpaReport {
                namespace: k.namespace.clone(),
                name: k.name.clone(),
                target: format!("deployment/{}", h.spec.target_name),
                min_replicas: h.spec.min_replicas,
                max_replicas: h.spec.max_replicas,
                current_replicas: h.status.current_replicas,
                desired_replicas: h.status.desired_replicas,
                explanation: h.status.explanation.lines.clone(),
            })
            .collect(),
        cluster_autoscaler: ClusterAutoscalerReport {
            installed: sim.spec.settings.cluster_autoscaler.is_some(),
            nodegroups: cluster_autoscaler::explain(sim)
                .into_iter()
                .map(|(name, why)| CaGroupReport { name, why })
                .collect(),
        },
        vpas: st
            .vpas
            .iter()
            .map(|(k, v)| VpaReport {
                namespace: k.namespace.clone(),
                name: k.name.clone(),
                target: format!("deployment/{}", v.spec.target_name),
                update_mode: v.spec.update_mode.as_str().to_string(),
                recommendations: v
                    .status
                    .recommendations
                    .iter()
                    .map(|r| VpaRecommendationReport {
                        container: r.container_name.clone(),
                        target_cpu_m: r.target.cpu.0,
                        target_memory_mib: r.target.memory.0 / MIB,
                        lower_cpu_m: r.lower_bound.cpu.0,
                        upper_cpu_m: r.upper_bound.cpu.0,
                    })
                    .collect(),
                savings_usd_per_hour: vertical_pod_autoscaler::savings(sim, k)
                    .map(|s| nano_dollars(s.nusd_per_hour)),
                explanation: v.status.explanation.clone(),
            })
            .collect(),
        hpa_events: by(&|s| s == "horizontal-pod-autoscaler"),
        cluster_autoscaler_events: by(&|s| s == cluster_autoscaler::SOURCE),
        vpa_events: by(&|s| s.starts_with("vpa-")),
    }
}

/// Nano-dollars (signed) as dollars for JSON.
#[expect(
    clippy::cast_precision_loss,
    reason = "hourly savings are far below 2^53 nano-dollars"
)]
fn nano_dollars(n: i64) -> f64 {
    n as f64 / 1e9
}

/// Six decimals: micro-dollars exactly.
fn dollars(micro: u64) -> f64 {
    usd(micro)
}

impl Report {
    /// The report of a lab run through `watch` (see [`UpgradeWatch::run_for`]).
    pub fn build(sim: &Simulation, watch: &UpgradeWatch, warnings: Vec<String>) -> Report {
        let st = sim.state();
        let c = &st.cluster;
        let b = sim.billing();
        let nodes = st
            .nodes
            .values()
            .map(|n| {
                let (mut cpu, mut mem, mut pods) = (0, 0, 0);
                for p in st.pods_on_node(n.name()) {
                    let r = p.requests();
                    cpu += r.cpu.0;
                    mem += r.memory.0;
                    pods += 1;
                }
                NodeReport {
                    name: n.name().to_string(),
                    nodegroup: n.data_plane.group_name().to_string(),
                    kind: n.data_plane.kind_str().to_string(),
                    instance_type: n.instance_type.clone(),
                    zone: n.zone.clone(),
                    ready: n.is_ready(),
                    max_pods: n.status.max_pods,
                    pods,
                    cpu_allocatable_m: n.status.allocatable.cpu.0,
                    memory_allocatable_mib: n.status.allocatable.memory.as_mib(),
                    cpu_requested_m: cpu,
                    memory_requested_mib: mem / crate::sim::quantity::MIB,
                    kubelet_version: n.status.kubelet_version.clone(),
                }
            })
            .collect();
        let count = |ph: PodPhase| st.count_pods(ph) as u64;
        Report {
            cluster: ClusterReport {
                name: c.name.clone(),
                region: c.region.clone(),
                version: c.version.to_string(),
                status: c.status.as_str().to_string(),
                support_status: version_info(c.version)
                    .map_or("unknown", |v| v.status_on(sim.date()).as_str())
                    .to_string(),
                endpoint_access: c.endpoint_access.describe().to_string(),
                logging: c.logging.iter().map(|l| l.as_str().to_string()).collect(),
                addons: c
                    .addons
                    .values()
                    .map(|a| AddonReport {
                        name: a.name.as_str().to_string(),
                        version: a.version.clone(),
                        managed: a.managed,
                    })
                    .collect(),
            },
            seed: sim.spec().seed,
            start_date: sim.spec().start_date.to_string(),
            duration_s: sim.now().as_secs(),
            cost: CostReport {
                total_usd: dollars(b.total_micro_usd()),
                control_plane_usd: dollars(b.micro_usd(CostComponent::ControlPlane)),
                ec2_usd: dollars(b.micro_usd(CostComponent::Ec2)),
                fargate_usd: dollars(b.micro_usd(CostComponent::Fargate)),
                ebs_usd: dollars(b.micro_usd(CostComponent::Ebs)),
                rate_usd_per_hour: dollars(b.total_rate() / 1000),
                projected_30_day_usd: dollars(b.projected_30_day_micro_usd()),
            },
            nodes,
            pods: PodCounts {
                pending: count(PodPhase::Pending),
                running: count(PodPhase::Running),
                succeeded: count(PodPhase::Succeeded),
                failed: count(PodPhase::Failed),
                unknown: count(PodPhase::Unknown),
                total: st.pods.len() as u64,
            },
            nodegroups: st
                .nodegroups
                .values()
                .map(|g| NodegroupReport {
                    name: g.name.clone(),
                    kind: g.kind.as_str().to_string(),
                    status: g.status.as_str().to_string(),
                    min: g.scaling.min_size,
                    desired: g.scaling.desired_size,
                    max: g.scaling.max_size,
                    instance_types: g.instance_types.clone(),
                    capacity_type: g.capacity_type.as_str().to_string(),
                    version: g.version.to_string(),
                })
                .collect(),
            fargate_profiles: st
                .fargate_profiles
                .values()
                .map(|p| FargateProfileReport {
                    name: p.name.clone(),
                    status: p.status.as_str().to_string(),
                    selectors: p
                        .selectors
                        .iter()
                        .map(|s| {
                            let labels: Vec<String> =
                                s.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                            if labels.is_empty() {
                                s.namespace.clone()
                            } else {
                                format!("{} ({})", s.namespace, labels.join(","))
                            }
                        })
                        .collect(),
                })
                .collect(),
            timeline: sim
                .metrics()
                .samples()
                .iter()
                .map(|s| TimelineSample {
                    t_s: s.t.as_secs(),
                    nodes: s.nodes,
                    pods_running: s.pods_running,
                    pods_pending: s.pods_pending,
                    cost_usd: dollars(s.cost_micro_usd),
                })
                .collect(),
            series: series(sim),
            autoscaling: autoscaling(sim),
            updates: updates(sim),
            upgrade: upgrades(sim, watch),
            commands: sim
                .outcomes()
                .iter()
                .map(|o| CommandReport {
                    t_s: o.at.as_secs(),
                    command: o.text.clone(),
                    ok: o.result.is_ok(),
                    output: match &o.result {
                        Ok(s) | Err(s) => s.clone(),
                    },
                })
                .collect(),
            events: sim.events().all().iter().map(EventReport::of).collect(),
            event_digest: format!("{:016x}", sim.digest()),
            warnings,
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}
