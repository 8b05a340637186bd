//! The pricing meter: integer accrual per step, by component.
//!
//! Rates are nano-dollars per hour; each step adds `rate × seconds` to an accumulator in
//! nano-dollar-seconds-per-hour, which is exact. Totals are reported in micro-dollars.

use super::Simulation;
use super::catalog::prices;
use super::catalog::versions::{SupportStatus, version_info};
use super::clock::{Date, SimDuration};
use super::eks::{InstanceState, SupportType};

/// What a charge is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CostComponent {
    ControlPlane,
    Ec2,
    Fargate,
    Ebs,
}

impl CostComponent {
    pub const ALL: [CostComponent; 4] = [
        CostComponent::ControlPlane,
        CostComponent::Ec2,
        CostComponent::Fargate,
        CostComponent::Ebs,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            CostComponent::ControlPlane => "control_plane",
            CostComponent::Ec2 => "ec2",
            CostComponent::Fargate => "fargate",
            CostComponent::Ebs => "ebs",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            CostComponent::ControlPlane => "EKS control plane",
            CostComponent::Ec2 => "EC2 instances",
            CostComponent::Fargate => "Fargate",
            CostComponent::Ebs => "EBS volumes",
        }
    }

    const fn idx(self) -> usize {
        self as usize
    }
}

/// Running totals and current rates.
#[derive(Debug, Clone, Default)]
pub struct Billing {
    /// Nano-dollar-seconds per hour, by component.
    acc: [u128; 4],
    /// Nano-dollars per hour, by component, as of the last recompute.
    rates: [u64; 4],
    rates_revision: Option<u64>,
    rates_date: Option<Date>,
}

const NANO_PER_MICRO: u128 = 1000;
const SECS_PER_HOUR: u128 = 3600;

impl Billing {
    /// Cost so far of one component in micro-dollars (rounded down).
    pub fn micro_usd(&self, c: CostComponent) -> u64 {
        (self.acc[c.idx()] / SECS_PER_HOUR / NANO_PER_MICRO) as u64
    }

    /// Total cost so far in micro-dollars. Summed before rounding, so it can exceed the sum of
    /// the rounded parts by up to three micro-dollars.
    pub fn total_micro_usd(&self) -> u64 {
        (self.acc.iter().sum::<u128>() / SECS_PER_HOUR / NANO_PER_MICRO) as u64
    }

    /// Current rate of one component, nano-dollars per hour.
    pub fn rate(&self, c: CostComponent) -> u64 {
        self.rates[c.idx()]
    }

    /// Current total rate, nano-dollars per hour.
    pub fn total_rate(&self) -> u64 {
        self.rates.iter().sum()
    }

    /// What 30 days at the current rate would cost, in micro-dollars.
    pub fn projected_30_day_micro_usd(&self) -> u64 {
        self.total_rate() * prices::HOURS_IN_30_DAYS / 1000
    }

    /// Adds a one-off charge of `secs` at `rate` (used for billing minimums).
    pub(crate) fn charge(&mut self, c: CostComponent, rate_nusd_per_hour: u64, secs: u64) {
        self.acc[c.idx()] += u128::from(rate_nusd_per_hour) * u128::from(secs);
    }
}

/// Micro-dollars as a USD amount for display and reports.
pub fn usd(micro: u64) -> f64 {
    micro as f64 / 1_000_000.0
}

/// Accrues one step's cost, recomputing rates when the state or the calendar day changed.
pub(crate) fn accrue(sim: &mut Simulation, dt: SimDuration) {
    let date = sim.date();
    if sim.billing.rates_revision != Some(sim.state.revision)
        || sim.billing.rates_date != Some(date)
    {
        sim.billing.rates = current_rates(sim, date);
        sim.billing.rates_revision = Some(sim.state.revision);
        sim.billing.rates_date = Some(date);
    }
    let secs = u128::from(dt.as_secs());
    for i in 0..4 {
        sim.billing.acc[i] += u128::from(sim.billing.rates[i]) * secs;
    }
}

/// The control plane's hourly price on `date` (eks-facts §1.1). Only a cluster actually in
/// extended support pays the extended price: with upgrade policy STANDARD the cluster never
/// enters it (EKS upgrades it at the end of standard support, eks-facts §5), so the minutes
/// of that automatic upgrade still cost $0.10 an hour.
pub fn control_plane_rate(sim: &Simulation, date: Date) -> u64 {
    let status = version_info(sim.state.cluster.version)
        .map_or(SupportStatus::Standard, |v| v.status_on(date));
    let extended = match status {
        SupportStatus::Extended => sim.state.cluster.support_type == SupportType::Extended,
        SupportStatus::EndOfLife => true,
        SupportStatus::Standard | SupportStatus::NotYetReleased => false,
    };
    if extended {
        prices::CONTROL_PLANE_EXTENDED
    } else {
        prices::CONTROL_PLANE_STANDARD
    }
}

fn current_rates(sim: &Simulation, date: Date) -> [u64; 4] {
    let mut r = [0u64; 4];
    r[CostComponent::ControlPlane.idx()] = control_plane_rate(sim, date);
    for inst in sim.state.instances.values() {
        // EC2 bills while running (eks-facts §1.3); the EBS root volume exists from launch
        // until termination (gp3, eks-facts §1.5).
        if inst.state == InstanceState::Running {
            r[CostComponent::Ec2.idx()] += inst.price_nusd_per_hour;
        }
        if inst.state != InstanceState::Terminated {
            r[CostComponent::Ebs.idx()] += inst.volume_gib * prices::EBS_GP3_GB_HOUR;
        }
    }
    for pod in sim.state.pods.values() {
        if let (Some(size), Some(_)) = (pod.lab.fargate_size, pod.lab.billing_start) {
            r[CostComponent::Fargate.idx()] += prices::fargate_rate(size.cpu.0, size.memory_mib);
        }
    }
    r
}
