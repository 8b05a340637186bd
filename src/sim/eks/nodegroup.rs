//! Node groups: EKS managed node groups and self-managed (eksctl `nodeGroups`) Auto Scaling
//! groups, side by side.

use std::collections::BTreeMap;

use crate::sim::api::Taint;
use crate::sim::api::meta::IntOrPercent;
use crate::sim::catalog::KubernetesVersion;
use crate::sim::clock::SimTime;

/// Who owns the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodegroupKind {
    /// EKS managed node group: AWS creates and updates nodes; you own scaling choices.
    Managed,
    /// Self-managed: an Auto Scaling group you own, AMI, version and all.
    SelfManaged,
}

impl NodegroupKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            NodegroupKind::Managed => "managed",
            NodegroupKind::SelfManaged => "self-managed",
        }
    }
}

/// `capacityType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CapacityType {
    OnDemand,
    Spot,
}

impl CapacityType {
    pub const fn as_str(self) -> &'static str {
        match self {
            CapacityType::OnDemand => "ON_DEMAND",
            CapacityType::Spot => "SPOT",
        }
    }
}

/// `scalingConfig`: min ≤ desired ≤ max always holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Integers in the EKS API (`NodegroupScalingConfig`: Java `Integer`, Go `*int32`), as are an
/// Auto Scaling group's `MinSize`, `MaxSize` and `DesiredCapacity`.
pub struct NodegroupScalingConfig {
    pub min_size: i32,
    pub desired_size: i32,
    pub max_size: i32,
}

impl NodegroupScalingConfig {
    pub fn is_valid(&self) -> bool {
        self.min_size <= self.desired_size && self.desired_size <= self.max_size
    }
}

/// `updateConfig` (eks-facts §4): exactly one of the two; default one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodegroupUpdateConfig {
    /// `NodegroupUpdateConfig.maxUnavailable` and `maxUnavailablePercentage` are Integers in the
    /// EKS API (Go `*int32`).
    MaxUnavailable(i32),
    MaxUnavailablePercentage(i32),
}

impl Default for NodegroupUpdateConfig {
    fn default() -> Self {
        NodegroupUpdateConfig::MaxUnavailable(1)
    }
}

impl NodegroupUpdateConfig {
    pub fn as_int_or_percent(self) -> IntOrPercent {
        match self {
            NodegroupUpdateConfig::MaxUnavailable(n) => IntOrPercent::Int(n),
            NodegroupUpdateConfig::MaxUnavailablePercentage(p) => IntOrPercent::Percent(p),
        }
    }
}

/// `updateConfig.updateStrategy` (eks-facts §4): `DEFAULT` surges new nodes first; `MINIMAL`
/// terminates an old node before its replacement launches (no surge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateStrategy {
    #[default]
    Default,
    Minimal,
}

impl UpdateStrategy {
    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateStrategy::Default => "DEFAULT",
            UpdateStrategy::Minimal => "MINIMAL",
        }
    }

    pub fn parse(text: &str) -> Option<UpdateStrategy> {
        match text {
            "DEFAULT" => Some(UpdateStrategy::Default),
            "MINIMAL" => Some(UpdateStrategy::Minimal),
            _ => None,
        }
    }
}

/// `Nodegroup.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodegroupStatus {
    Creating,
    Active,
    Updating,
    Deleting,
    CreateFailed,
    Degraded,
}

impl NodegroupStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            NodegroupStatus::Creating => "CREATING",
            NodegroupStatus::Active => "ACTIVE",
            NodegroupStatus::Updating => "UPDATING",
            NodegroupStatus::Deleting => "DELETING",
            NodegroupStatus::CreateFailed => "CREATE_FAILED",
            NodegroupStatus::Degraded => "DEGRADED",
        }
    }
}

/// A node group and the Auto Scaling group behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nodegroup {
    pub name: String,
    pub kind: NodegroupKind,
    pub scaling: NodegroupScalingConfig,
    pub instance_types: Vec<String>,
    pub capacity_type: CapacityType,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub update_config: NodegroupUpdateConfig,
    pub update_strategy: UpdateStrategy,
    pub volume_size_gib: u64,
    pub volume_type: String,
    pub ami_family: String,
    /// Kubelet version of new nodes.
    pub version: KubernetesVersion,
    /// AMI release, e.g. `amazon-eks-node-al2023-x86_64-standard-1.33-v20260701`.
    pub ami_name: String,
    pub zones: Vec<String>,
    pub max_pods_override: Option<u64>,
    pub status: NodegroupStatus,
    pub launch_template_version: u64,
    pub created_at: SimTime,
    /// Spot interruption rate, per million per hour for each instance (later issues use it).
    pub spot_interruptions_per_million_hours: u64,
    pub private_networking: bool,
    /// The Cluster Autoscaler discovers this group (its ASG carries the auto-discovery tags).
    pub autoscaler_tags: bool,
}

impl Nodegroup {
    pub fn asg_name(&self) -> String {
        match self.kind {
            // EKS appends the node group's UUID; the lab derives a stable one from the name.
            NodegroupKind::Managed => {
                let h = crate::sim::digest::fnv1a64(self.name.as_bytes());
                let g = crate::sim::digest::fnv1a64(&h.to_le_bytes());
                format!(
                    "eks-{}-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    self.name,
                    h >> 32,
                    (h >> 16) & 0xffff,
                    h & 0xffff,
                    g >> 48,
                    g & 0xffff_ffff_ffff
                )
            }
            NodegroupKind::SelfManaged => format!("eksctl-{}-nodegroup", self.name),
        }
    }
}
