//! Every EKS update so far on one time axis: its phases as bars (the running one marked), its
//! status, the error EKS reports when it fails (`PodEvictionFailure` with the pods that would
//! not leave), and the pods it evicted and nodes it replaced.

use crate::sim::Simulation;
use crate::sim::clock::SimTime;
use crate::sim::eks::{Update, UpdateStatus, UpdateTarget};
use crate::view::charts::{TimeAxis, format_sim_time};

/// A phase as a bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseBar {
    pub name: String,
    pub start_secs: u64,
    /// The phase's end, or now while it runs.
    pub end_secs: u64,
    pub running: bool,
    /// Where it sits on the axis, in thousandths of its width.
    pub left_permille: u32,
    pub width_permille: u32,
    /// `4m 02s`.
    pub took: String,
}

/// An error as EKS reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateErrorLine {
    pub code: &'static str,
    pub message: String,
    pub resources: Vec<String>,
}

/// One update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub id: String,
    /// `cluster`, `nodegroup/ng-1`, `addon/coredns`.
    pub target: String,
    /// `Kubernetes 1.35`, `1.35, rolling update`, `v1.13.2-eksbuild.4`.
    pub what: String,
    /// `InProgress`, `Successful`, `Failed`, `Cancelled`.
    pub status: &'static str,
    pub started: String,
    pub ended: Option<String>,
    pub took: String,
    pub phases: Vec<PhaseBar>,
    pub errors: Vec<UpdateErrorLine>,
    pub pods_evicted: u64,
    pub nodes_replaced: u64,
}

/// The timeline: a shared axis and one row per update, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    pub start_secs: u64,
    pub end_secs: u64,
    /// Tick positions (thousandths of the width) and labels (`30m`, `1h`).
    pub ticks: Vec<(u32, String)>,
    pub rows: Vec<TimelineRow>,
}

/// `45s`, `4m 02s`, `1h 05m`.
pub fn duration_text(secs: u64) -> String {
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h {:02}m", secs / 3600, secs / 60 % 60)
    }
}

fn what(u: &Update) -> String {
    match &u.target {
        UpdateTarget::Cluster => format!("Kubernetes {}", u.param("Version").unwrap_or("?")),
        UpdateTarget::Nodegroup(_) => format!(
            "{}, {} update",
            u.param("Version").unwrap_or("?"),
            if u.param("Force") == Some("true") {
                "force"
            } else {
                "rolling"
            }
        ),
        UpdateTarget::Addon(_) => u.param("AddonVersion").unwrap_or("?").to_string(),
    }
}

impl Timeline {
    pub fn from_sim(sim: &Simulation) -> Timeline {
        let updates = &sim.state().updates;
        let now = sim.now().as_secs();
        let Some(first) = updates.first() else {
            return Timeline::default();
        };
        let start = first.created_at.as_secs();
        let last_end = updates
            .iter()
            .map(|u| u.ended_at.map_or(now, SimTime::as_secs))
            .max()
            .unwrap_or(now);
        // The axis spans at least ten minutes, so the first seconds of an update do not fill it.
        let end = last_end.max(start + 600);
        let span = (end - start).max(1);
        let at = |t: u64| ((t.saturating_sub(start)).min(span) * 1000 / span) as u32;
        let ticks = TimeAxis::new(start, end)
            .ticks(6)
            .into_iter()
            .map(|t| (at(t), format_sim_time(t)))
            .collect();
        let rows = updates
            .iter()
            .map(|u| {
                let ended = u.ended_at.map(SimTime::as_secs);
                let phases = u
                    .phases
                    .iter()
                    .map(|p| {
                        let s = p.started.as_secs();
                        let e = p.ended.map_or(now, SimTime::as_secs);
                        let left = at(s);
                        PhaseBar {
                            name: p.name.to_string(),
                            start_secs: s,
                            end_secs: e,
                            running: p.ended.is_none() && u.is_in_progress(),
                            left_permille: left,
                            width_permille: at(e).saturating_sub(left).max(4),
                            took: duration_text(e.saturating_sub(s)),
                        }
                    })
                    .collect();
                TimelineRow {
                    id: u.id.clone(),
                    target: u.target.label(),
                    what: what(u),
                    status: u.status.as_str(),
                    started: u.created_at.to_string(),
                    ended: u.ended_at.map(|e| e.to_string()),
                    took: duration_text(
                        ended.unwrap_or(now).saturating_sub(u.created_at.as_secs()),
                    ),
                    phases,
                    errors: u
                        .errors
                        .iter()
                        .map(|e| UpdateErrorLine {
                            code: e.code.as_str(),
                            message: e.message.clone(),
                            resources: e.resource_ids.clone(),
                        })
                        .collect(),
                    pods_evicted: u.pods_evicted,
                    nodes_replaced: u.nodes_replaced,
                }
            })
            .collect();
        Timeline {
            start_secs: start,
            end_secs: end,
            ticks,
            rows,
        }
    }

    /// Whether any update is running.
    pub fn in_progress(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.status == UpdateStatus::InProgress.as_str())
    }
}
