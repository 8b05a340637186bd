//! Spot capacity: interruptions, rebalance recommendations and replacements (stub: being
//! written).

use crate::sim::Simulation;

/// Spot bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct SpotState {}

/// Delayed Spot work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpotTimer {}

pub(crate) fn reconcile(_sim: &mut Simulation) {}

#[expect(clippy::needless_pass_by_value, reason = "the stub's timer type has no values yet")]
pub(crate) fn fire(_sim: &mut Simulation, t: SpotTimer) {
    match t {}
}
