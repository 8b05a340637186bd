//! How EKS updates a managed node group (eks-facts §4): the phases an update reports, their
//! timing, how many nodes it updates at once and how many it adds first, and the AMI it
//! launches. The node group update controller runs them; the upgrade planner estimates with them.

use crate::sim::api::{count, int32, int32_len};
use crate::sim::catalog::{KubernetesVersion, instance_type};
use crate::sim::clock::SimDuration;
use crate::sim::eks::quotas::MAX_UNAVAILABLE_QUOTA;
use crate::sim::eks::{NodegroupUpdateConfig, UpdateStrategy};

pub const PHASE_SETUP: &str = "Setup";
pub const PHASE_SCALE_UP: &str = "ScaleUp";
pub const PHASE_UPGRADE: &str = "Upgrade";
pub const PHASE_SCALE_DOWN: &str = "ScaleDown";

/// How long EKS takes to create the launch template version and switch the ASG (U).
pub const SETUP_TIME: SimDuration = SimDuration::from_secs(30);
/// After a node's pods are evicted EKS cordons it and waits 60 s before terminating it
/// (eks-facts §4).
pub const WAIT_AFTER_DRAIN: SimDuration = SimDuration::from_secs(60);
/// How long the scale-up phase waits for new nodes before `NodeCreationFailure` (U: the user
/// guide names the failure, not the time; the lab uses the drain's 15 minutes).
pub const NODE_CREATION_TIMEOUT: SimDuration = SimDuration::from_mins(15);

/// Nodes to update in parallel: maxUnavailable, or the percentage of the group's nodes rounded
/// up; at least 1, at most the quota of 100 (eks-facts §4).
pub fn parallelism(config: NodegroupUpdateConfig, nodes: u64) -> i32 {
    let n = match config {
        NodegroupUpdateConfig::MaxUnavailable(n) => n,
        NodegroupUpdateConfig::MaxUnavailablePercentage(p) => {
            int32(nodes.saturating_mul(count(p)).div_ceil(100))
        }
    };
    n.clamp(1, MAX_UNAVAILABLE_QUOTA)
}

/// The scale-up increment: the larger of twice the group's AZs and maxUnavailable (eks-facts
/// §4); none with the MINIMAL strategy.
pub fn surge(strategy: UpdateStrategy, zones: usize, max_unavailable: i32) -> i32 {
    match strategy {
        UpdateStrategy::Default => int32_len(zones.saturating_mul(2)).max(max_unavailable),
        UpdateStrategy::Minimal => 0,
    }
}

/// The EKS AMI for a version and the instance type's architecture (managed nodes carry it in
/// the `eks.amazonaws.com/nodegroup-image` label).
pub fn ami_name(version: KubernetesVersion, instance_type_name: &str) -> String {
    let arch = instance_type(instance_type_name).map_or("x86_64", |t| {
        if t.arch.as_str() == "arm64" {
            "arm64"
        } else {
            "x86_64"
        }
    });
    format!("amazon-eks-node-al2023-{arch}-standard-{version}-v20260701")
}

/// The AMI release version EKS reports (`1.35.0-20260701`).
pub fn release_version(version: KubernetesVersion) -> String {
    format!("{version}.0-20260701")
}
