//! The Vertical Pod Autoscaler: recommender, updater and admission controller (stub: being
//! written).

use crate::sim::Simulation;

/// VPA bookkeeping between runs.
#[derive(Debug, Clone, Default)]
pub struct VpaState {}

pub(crate) fn reconcile(_sim: &mut Simulation) {}
