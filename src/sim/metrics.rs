//! Time series sampled once per simulated minute, for charts and the report's timeline.

use super::Simulation;
use super::api::{ObjectKey, PodPhase};
use super::billing::CostComponent;
use super::clock::{SimDuration, SimTime};
use super::controllers::metrics_server;
use super::quantity::Resources;

/// How often a sample is taken.
pub const SAMPLE_EVERY: SimDuration = SimDuration::from_mins(1);

/// One sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub t: SimTime,
    pub nodes: u64,
    pub nodes_ready: u64,
    pub pods_running: u64,
    pub pods_pending: u64,
    /// Micro-dollars so far: total and by component (control plane, EC2, Fargate, EBS).
    pub cost_micro_usd: u64,
    pub cost_by_component: [u64; 4],
    /// Nano-dollars per hour at the sample.
    pub rate_nusd_per_hour: u64,
    /// Requests of pods bound to nodes vs the nodes' allocatable.
    pub requested: Resources,
    pub allocatable: Resources,
    /// Every Deployment outside kube-system.
    pub workloads: Vec<WorkloadSample>,
    /// Every node group.
    pub nodegroups: Vec<NodegroupSample>,
}

/// One Deployment at a sample: replicas, load and CPU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSample {
    pub key: ObjectKey,
    /// `spec.replicas` (what the HPA or the learner asked for).
    pub replicas: u64,
    pub ready: u64,
    /// Requests per second from its traffic model (0 without one).
    pub rps: u64,
    /// CPU used and requested by its running pods, in millicores.
    pub cpu_usage_m: u64,
    pub cpu_request_m: u64,
    /// The HPA's CPU utilization target in percent, if one targets this Deployment.
    pub hpa_cpu_target: Option<u64>,
}

/// One node group at a sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodegroupSample {
    pub name: String,
    pub min: u64,
    pub desired: u64,
    pub max: u64,
    pub nodes_ready: u64,
}

/// All samples so far.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    samples: Vec<Sample>,
}

impl Metrics {
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn last(&self) -> Option<&Sample> {
        self.samples.last()
    }

    pub(crate) fn push(&mut self, sample: Sample) {
        self.samples.push(sample);
    }
}

/// Takes a sample of the lab now.
pub(crate) fn take(sim: &Simulation) -> Sample {
    let state = &sim.state;
    let billing = &sim.billing;
    let mut requested = Resources::ZERO;
    let (mut running, mut pending) = (0, 0);
    for p in state.pods.values() {
        match p.status.phase {
            PodPhase::Running => running += 1,
            PodPhase::Pending => pending += 1,
            _ => {}
        }
        if p.occupies_node() {
            requested = requested.saturating_add(p.requests());
        }
    }
    let allocatable = state.nodes.values().fold(Resources::ZERO, |a, n| {
        a.saturating_add(n.status.allocatable)
    });
    let cost_by_component = CostComponent::ALL.map(|c| billing.micro_usd(c));
    let workloads = state
        .deployments
        .values()
        .filter(|d| d.meta.namespace != "kube-system")
        .map(|d| {
            let key = d.meta.key();
            // From the Deployment's status and template rather than a pass over every pod:
            // sampling stays cheap on large clusters.
            let ready = super::api::count(d.status.ready_replicas);
            let per_pod_request = d.spec.template.spec.effective_requests().cpu.0;
            let cpu_request_m = per_pod_request.saturating_mul(ready);
            let cpu_usage_m = match state.traffic.get(&key) {
                Some(t) => t
                    .spec
                    .usage_per_pod(t.rps(sim.now()), ready)
                    .cpu
                    .0
                    .saturating_mul(ready),
                None => (per_pod_request * metrics_server::DEFAULT_CPU_SHARE / 100)
                    .max(2)
                    .saturating_mul(ready),
            };
            let hpa_cpu_target = state
                .hpas
                .values()
                .find(|h| h.meta.namespace == key.namespace && h.spec.target_name == key.name)
                .and_then(|h| {
                    h.spec
                        .metrics
                        .iter()
                        .find_map(|m| match (m.resource, m.target) {
                            (
                                super::api::autoscaling::ResourceName::Cpu,
                                super::api::autoscaling::MetricTarget::Utilization(u),
                            ) => Some(super::api::count(u)),
                            _ => None,
                        })
                });
            WorkloadSample {
                rps: state.traffic.get(&key).map_or(0, |t| t.rps(sim.now())),
                key,
                replicas: super::api::count(d.spec.replicas),
                ready,
                cpu_usage_m,
                cpu_request_m,
                hpa_cpu_target,
            }
        })
        .collect();
    let nodegroups = state
        .nodegroups
        .values()
        .map(|g| NodegroupSample {
            name: g.name.clone(),
            min: super::api::count(g.scaling.min_size),
            desired: super::api::count(g.scaling.desired_size),
            max: super::api::count(g.scaling.max_size),
            nodes_ready: state
                .nodes
                .values()
                .filter(|n| {
                    n.is_ready()
                        && !n.data_plane.is_fargate()
                        && n.data_plane.group_name() == g.name
                })
                .count() as u64,
        })
        .collect();
    Sample {
        t: sim.now(),
        nodes: state.nodes.len() as u64,
        nodes_ready: state.nodes.values().filter(|n| n.is_ready()).count() as u64,
        pods_running: running,
        pods_pending: pending,
        cost_micro_usd: billing.total_micro_usd(),
        cost_by_component,
        rate_nusd_per_hour: billing.total_rate(),
        requested,
        allocatable,
        workloads,
        nodegroups,
    }
}
