//! The horizontal-pod-autoscaler controller (stub: being written).

use crate::sim::Simulation;

/// HPA bookkeeping between syncs.
#[derive(Debug, Clone, Default)]
pub struct HpaState {}

pub(crate) fn reconcile(_sim: &mut Simulation) {}
