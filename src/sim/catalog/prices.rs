//! Prices the meter charges, in nano-dollars per hour (us-east-1), with their sources.
//!
//! Money in the lab is integer: rates are nano-USD per hour, accrued per second as
//! nano-USD-seconds-per-hour (exact), and reported in micro-dollars.

/// EKS control plane, version in standard support: $0.10 per cluster-hour (eks-facts §1.1).
pub const CONTROL_PLANE_STANDARD: u64 = 100_000_000;
/// EKS control plane, version in extended support: $0.60 per cluster-hour (eks-facts §1.1).
pub const CONTROL_PLANE_EXTENDED: u64 = 600_000_000;
/// Fargate: $0.04048 per vCPU-hour (eks-facts §1.2), per whole vCPU.
pub const FARGATE_VCPU_HOUR: u64 = 40_480_000;
/// Fargate: $0.004445 per GB-hour (eks-facts §1.2), per whole GB.
pub const FARGATE_GB_HOUR: u64 = 4_445_000;
/// EBS gp3: $0.08 per GB-month (eks-facts §1.5), spread over AWS's 730-hour month:
/// 0.08 / 730 $ = 109,589 nano-dollars per GB-hour (rounded down from 109,589.04).
pub const EBS_GP3_GB_HOUR: u64 = 109_589;
/// EC2 per-second billing has a 60-second minimum (eks-facts §1.3).
pub const EC2_MINIMUM_BILLED_SECS: u64 = 60;
/// Fargate per-second billing has a one-minute minimum (eks-facts §1.2).
pub const FARGATE_MINIMUM_BILLED_SECS: u64 = 60;
/// Default Spot discount off On-Demand, in percent. Realised discounts for common m/c/r types
/// are ~60–75 % (eks-facts §1.4, U); the scenario can set its own.
pub const DEFAULT_SPOT_DISCOUNT_PERCENT: u64 = 70;
/// Hours in the "projected 30-day" bill.
pub const HOURS_IN_30_DAYS: u64 = 720;

/// Fargate price per hour for a size in millicores and MiB (memory priced per GB = 1024 MiB;
/// sizes are whole or half GB, so the product is exact).
pub const fn fargate_rate(cpu_m: u64, memory_mib: u64) -> u64 {
    FARGATE_VCPU_HOUR * cpu_m / 1000 + FARGATE_GB_HOUR * memory_mib / 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_worked_example() {
        // eks-facts §1.2: 0.25 vCPU / 0.5 GB = $0.01234/h (0.01012 + 0.0022225).
        assert_eq!(fargate_rate(250, 512), 12_342_500);
    }

    #[test]
    fn ebs_rate_is_eight_cents_per_gb_month() {
        // 80 GiB root volume for a 730-hour month ≈ $6.40.
        let month = EBS_GP3_GB_HOUR * 80 * 730;
        assert!((6_399_000_000..=6_400_000_000).contains(&month), "{month}");
    }
}
