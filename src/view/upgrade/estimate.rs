//! How long the upgrade should take and what it costs on top of the usual bill.
//!
//! The control plane's range is the lab's model of "several minutes" (8–15 min, eks-facts §7,
//! U). A managed node group's is built from its parts (eks-facts §4): setup; scale-up (the
//! surge nodes launch and become Ready, 1–2 min in the lab, §7 U); one batch per
//! maxUnavailable old nodes, each a drain (an estimate: the lab's pods stop 1–4 s after
//! SIGTERM, a PDB holds an eviction until a replacement is Ready) plus the documented 60 s
//! wait; then the scale-down. Only the 60 s wait and the 15-minute drain limit are documented;
//! the rest are estimates and say so. The extra cost is the surge nodes' price for that long
//! (eks-facts §1.3 prices), and the control plane's extended-support premium (§1.1).

use super::{NodegroupPlan, VersionFacts};
use crate::sim::Simulation;
use crate::sim::catalog::prices::{
    CONTROL_PLANE_EXTENDED, CONTROL_PLANE_STANDARD, HOURS_IN_30_DAYS,
};
use crate::sim::catalog::{KubernetesVersion, instance_type};
use crate::sim::eks::managed_update;
use crate::sim::eks::version_update;
use crate::sim::eks::{CapacityType, Nodegroup, SupportType, UpdateStrategy};
use crate::view::format;

/// The drain of one batch: at least this long (pods stop 1–4 s after SIGTERM, U).
pub const DRAIN_LO_SECS: u64 = 5;
/// ... and, when nothing blocks it, at most about this long (evictions a PDB holds until the
/// replacement pod is Ready, U). A blocking PDB takes the full 15 minutes (eks-facts §4).
pub const DRAIN_HI_SECS: u64 = 60;
/// The scale-down phase: the ASG gives back the surge nodes one step at a time (lab model, U).
pub const SCALE_DOWN_HI_SECS: u64 = 60;

/// One part of an estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EstimatePart {
    pub what: String,
    pub lo_secs: u64,
    pub hi_secs: u64,
    /// Where the numbers come from.
    pub basis: String,
    /// Documented (eks-facts, H) rather than estimated.
    pub documented: bool,
}

/// A managed node group update's duration and surge cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEstimate {
    pub parts: Vec<EstimatePart>,
    pub lo_secs: u64,
    pub hi_secs: u64,
    pub surge_nodes: u64,
    /// One surge node's price, nano-dollars per hour (Spot discounted for Spot groups).
    pub price_nusd_per_hour: u64,
    /// The surge nodes for the whole update, nano-dollars.
    pub extra_lo_nusd: u64,
    pub extra_hi_nusd: u64,
}

/// The upgrade's time and money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub control_plane: EstimatePart,
    /// Control plane then each managed group one after another.
    pub total_lo_secs: u64,
    pub total_hi_secs: u64,
    pub extra_lo_nusd: u64,
    pub extra_hi_nusd: u64,
    /// The control plane's price now and after the upgrade, with the extended-support premium.
    pub support: Vec<String>,
}

/// `8–13 min`, `45 s–2 min`: whole minutes, the low end rounded down and the high end up.
pub fn duration_range(lo: u64, hi: u64) -> String {
    let part = |s: u64, up: bool| {
        if s < 60 {
            format!("{s} s")
        } else if up {
            format!("{} min", s.div_ceil(60))
        } else {
            format!("{} min", s / 60)
        }
    };
    if lo == hi {
        return part(lo, false);
    }
    match (lo < 60, hi < 60) {
        (false, false) => format!("{}–{} min", lo / 60, hi.div_ceil(60)),
        (true, true) => format!("{lo}–{hi} s"),
        _ => format!("{}–{}", part(lo, false), part(hi, true)),
    }
}

/// A price per hour with cents: `$0.10/h`, `$0.576/h` (three decimals when cents hide it).
pub fn rate(nusd_per_hour: u64) -> String {
    let mills = nusd_per_hour / 1_000_000;
    if mills.is_multiple_of(10) {
        format!("${}.{:02}/h", mills / 1000, (mills % 1000) / 10)
    } else {
        format!("${}.{:03}/h", mills / 1000, mills % 1000)
    }
}

fn cost(nusd_per_hour: u64, secs: u64) -> u64 {
    (u128::from(nusd_per_hour) * u128::from(secs) / 3600) as u64
}

/// Launch until Ready in the lab: EC2 running, kubelet registered, CNI up (§7, U).
fn node_ready(sim: &Simulation) -> (u64, u64) {
    let d = &sim.spec().settings.delays;
    let parts = [d.instance_running, d.node_register, d.node_ready];
    let lo = parts.iter().map(|p| p.base.as_secs()).sum();
    let hi = parts
        .iter()
        .map(|p| (p.base + p.jitter).as_secs())
        .sum::<u64>();
    (lo, hi)
}

/// The estimate for a managed group replacing `old` nodes.
pub(super) fn nodegroup(
    sim: &Simulation,
    g: &Nodegroup,
    old: u64,
    max_unavailable: u64,
    surge: u64,
) -> GroupEstimate {
    let (ready_lo, ready_hi) = node_ready(sim);
    let batches = old.div_ceil(max_unavailable.max(1));
    let wait = managed_update::WAIT_AFTER_DRAIN.as_secs();
    let setup = managed_update::SETUP_TIME.as_secs();
    let mut parts = vec![EstimatePart {
        what: "Setup: new launch template version, ASG switched to it".to_string(),
        lo_secs: setup,
        hi_secs: setup,
        basis: "lab model (U)".to_string(),
        documented: false,
    }];
    if surge > 0 {
        parts.push(EstimatePart {
            what: format!("Scale up: {surge} new node(s) launch and become Ready"),
            lo_secs: ready_lo,
            hi_secs: ready_hi + 10,
            basis: "node launch to Ready, 1–2 min (eks-facts §7, U)".to_string(),
            documented: false,
        });
    }
    let minimal = g.update_strategy == UpdateStrategy::Minimal;
    // MINIMAL: no surge, so the last replacements come up at the end (and a batch may wait for
    // the previous one's); DEFAULT: the surge nodes take the pods, replacements come later.
    let (lo, hi) = if minimal {
        (
            batches * (DRAIN_LO_SECS + wait) + ready_lo,
            batches * (DRAIN_HI_SECS + wait + ready_hi),
        )
    } else {
        (
            batches * (DRAIN_LO_SECS + wait),
            batches * (DRAIN_HI_SECS + wait) + ready_hi,
        )
    };
    parts.push(EstimatePart {
        what: format!(
            "Upgrade: {batches} batch(es) of up to {max_unavailable} node(s), each a drain ({DRAIN_LO_SECS}–{DRAIN_HI_SECS} s, estimate) and the 60 s wait{}",
            if minimal {
                ", then the replacements become Ready"
            } else {
                ""
            }
        ),
        lo_secs: lo,
        hi_secs: hi,
        basis: "60 s after each drain (eks-facts §4, H); a drain stuck on a PDB fails after 15 min".to_string(),
        documented: true,
    });
    if surge > 0 {
        parts.push(EstimatePart {
            what: format!(
                "Scale down: back to desired {} / max {}",
                g.scaling.desired_size, g.scaling.max_size
            ),
            lo_secs: 0,
            hi_secs: SCALE_DOWN_HI_SECS,
            basis: "one step at a time (lab model, U)".to_string(),
            documented: false,
        });
    }
    let lo = parts.iter().map(|p| p.lo_secs).sum();
    let hi = parts.iter().map(|p| p.hi_secs).sum();
    let mut price = g
        .instance_types
        .first()
        .and_then(|t| instance_type(t))
        .map_or(0, |t| t.price_nusd_per_hour);
    if g.capacity_type == CapacityType::Spot {
        price = price * (100 - sim.spec().settings.spot_discount_percent.min(100)) / 100;
    }
    GroupEstimate {
        parts,
        lo_secs: lo,
        hi_secs: hi,
        surge_nodes: surge,
        price_nusd_per_hour: price,
        extra_lo_nusd: cost(price * surge, lo),
        extra_hi_nusd: cost(price * surge, hi),
    }
}

fn support_lines(sim: &Simulation, current: &VersionFacts, next: KubernetesVersion) -> Vec<String> {
    let premium = CONTROL_PLANE_EXTENDED - CONTROL_PLANE_STANDARD;
    let month = format::usd(premium / 1000 * HOURS_IN_30_DAYS);
    let policy = sim.state().cluster.support_type;
    let mut out = Vec::new();
    match current.status {
        "standard support" => {
            out.push(format!(
                "Kubernetes {} is in standard support until {} ({} days): the control plane costs {}.",
                current.version,
                current.end_of_standard,
                current.days_to_end_of_standard,
                rate(current.price_nusd_per_hour)
            ));
            out.push(match policy {
                SupportType::Extended => format!(
                    "Not upgraded by then, it enters extended support: {} instead of {} (+{}, +{month} per 30 days) until {} (upgrade policy EXTENDED).",
                    rate(CONTROL_PLANE_EXTENDED),
                    rate(CONTROL_PLANE_STANDARD),
                    rate(premium),
                    current.end_of_extended
                ),
                SupportType::Standard => format!(
                    "Upgrade policy STANDARD: EKS upgrades the control plane itself on {} (nodes are not upgraded).",
                    current.end_of_standard
                ),
            });
        }
        "extended support" | "end of support" => out.push(format!(
            "Kubernetes {} left standard support on {}: the control plane costs {} instead of {}; a version in standard support saves {} ({month} per 30 days).",
            current.version,
            current.end_of_standard,
            rate(CONTROL_PLANE_EXTENDED),
            rate(CONTROL_PLANE_STANDARD),
            rate(premium)
        )),
        _ => {}
    }
    if let Some(n) = super::VersionFacts::of(next, sim) {
        out.push(format!(
            "Kubernetes {} on {}: {}{} — {}.",
            n.version,
            sim.date(),
            n.status,
            if n.status == "standard support" {
                format!(" until {}", n.end_of_standard)
            } else {
                String::new()
            },
            rate(n.price_nusd_per_hour)
        ));
    }
    out
}

pub(super) fn estimate(
    sim: &Simulation,
    cp_in_round: bool,
    groups: &[NodegroupPlan],
    current: &VersionFacts,
    next: KubernetesVersion,
) -> Estimate {
    let (lo, hi) = version_update::expected_duration();
    let control_plane = EstimatePart {
        what: "Control plane: launch new API servers, health checks, replace the old ones"
            .to_string(),
        lo_secs: lo.as_secs(),
        hi_secs: hi.as_secs(),
        basis: "\"several minutes\": 8–15 min (eks-facts §7, U)".to_string(),
        documented: false,
    };
    let groups: Vec<&super::GroupEstimate> =
        groups.iter().filter_map(|g| g.estimate.as_ref()).collect();
    let (cp_lo, cp_hi) = if cp_in_round {
        (control_plane.lo_secs, control_plane.hi_secs)
    } else {
        (0, 0)
    };
    Estimate {
        total_lo_secs: cp_lo + groups.iter().map(|g| g.lo_secs).sum::<u64>(),
        total_hi_secs: cp_hi + groups.iter().map(|g| g.hi_secs).sum::<u64>(),
        extra_lo_nusd: groups.iter().map(|g| g.extra_lo_nusd).sum(),
        extra_hi_nusd: groups.iter().map(|g| g.extra_hi_nusd).sum(),
        control_plane,
        support: support_lines(sim, current, next),
    }
}
