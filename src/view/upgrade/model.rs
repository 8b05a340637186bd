//! What the Upgrades tab draws, derived once from the simulation: the planner, the update
//! timeline, and each node group's Auto Scaling group chart, so the tab takes this instead of
//! the simulation and redraws only when it changed.

use crate::sim::Simulation;
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::eks::UpdateTarget;
use crate::view::charts::ChartSeries;
use crate::view::upgrade::{Timeline, UpgradePlan};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradesModel {
    pub plan: UpgradePlan,
    pub timeline: Timeline,
    /// Each node group's desired, maximum and Ready sizes, in the planner's order.
    pub charts: Vec<(String, ChartSeries)>,
}

impl UpgradesModel {
    pub fn from_sim(sim: &Simulation) -> UpgradesModel {
        let plan = UpgradePlan::from_sim(sim);
        let charts = plan
            .nodegroups
            .iter()
            .map(|g| {
                let series = ChartSeries::for_nodegroup(
                    sim.metrics().samples(),
                    &g.name,
                    chart_since(sim, &g.name),
                );
                (g.name.clone(), series)
            })
            .collect();
        UpgradesModel {
            timeline: Timeline::from_sim(sim),
            plan,
            charts,
        }
    }

    /// The chart of `group`, or of the first group when it has none (or `group` is empty).
    pub fn chart(&self, group: &str) -> Option<&(String, ChartSeries)> {
        self.charts
            .iter()
            .find(|(g, _)| g == group)
            .or_else(|| self.charts.first())
    }
}

/// The window a node group's chart shows: from five minutes before its first update, or the
/// last hour.
fn chart_since(sim: &Simulation, ng: &str) -> SimTime {
    let first = sim
        .state()
        .updates
        .iter()
        .find(|u| u.target == UpdateTarget::Nodegroup(ng.to_string()))
        .map(|u| u.created_at);
    let back =
        |t: SimTime, d: SimDuration| SimTime::from_secs(t.as_secs().saturating_sub(d.as_secs()));
    first.map_or_else(
        || back(sim.now(), SimDuration::from_hours(1)),
        |t| back(t, SimDuration::from_mins(5)),
    )
}
