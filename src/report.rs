//! The runner's JSON report: the cluster, the bill by component, the final nodes, pods and
//! node groups, a per-minute timeline, the command outcomes and every event.
//!
//! Field order is fixed by these structs and floats come from integers, so the same run gives
//! a byte-identical report.

use serde::Serialize;

use crate::sim::Simulation;
use crate::sim::api::PodPhase;
use crate::sim::billing::{CostComponent, usd};
use crate::sim::catalog::version_info;

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
    pub min: u64,
    pub desired: u64,
    pub max: u64,
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
}

/// Six decimals: micro-dollars exactly.
fn dollars(micro: u64) -> f64 {
    usd(micro)
}

impl Report {
    pub fn build(sim: &Simulation, warnings: Vec<String>) -> Report {
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
            events: sim
                .events()
                .all()
                .iter()
                .map(|e| EventReport {
                    t_s: e.time.as_secs(),
                    type_: e.type_.as_str().to_string(),
                    reason: e.reason.to_string(),
                    object: e.object.to_string(),
                    message: e.message.clone(),
                })
                .collect(),
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
