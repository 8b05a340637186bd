//! The Cluster Autoscaler (stub: being written).

use crate::sim::Simulation;

/// Cluster Autoscaler bookkeeping between scans.
#[derive(Debug, Clone, Default)]
pub struct ClusterAutoscalerState {}

/// Delayed Cluster Autoscaler work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaTimer {}

pub(crate) fn reconcile(_sim: &mut Simulation) {}

#[expect(clippy::needless_pass_by_value, reason = "the stub's timer type has no values yet")]
pub(crate) fn fire(_sim: &mut Simulation, t: CaTimer) {
    match t {}
}
