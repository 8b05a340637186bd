//! Time series sampled once per simulated minute, for charts and the report's timeline.

use super::api::PodPhase;
use super::billing::{Billing, CostComponent};
use super::clock::{SimDuration, SimTime};
use super::quantity::Resources;
use super::state::State;

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

    pub(crate) fn sample(&mut self, state: &State, billing: &Billing, t: SimTime) {
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
        self.samples.push(Sample {
            t,
            nodes: state.nodes.len() as u64,
            nodes_ready: state.nodes.values().filter(|n| n.is_ready()).count() as u64,
            pods_running: running,
            pods_pending: pending,
            cost_micro_usd: billing.total_micro_usd(),
            cost_by_component,
            rate_nusd_per_hour: billing.total_rate(),
            requested,
            allocatable,
        });
    }
}
