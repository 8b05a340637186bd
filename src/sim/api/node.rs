//! `Node`: taints, capacity, allocatable and the Ready condition, plus the lab's link to the
//! data plane that runs it.

use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use crate::sim::clock::SimTime;
use crate::sim::quantity::Resources;

/// `spec.taints[].effect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    pub const fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    /// Parses the Kubernetes spelling; eksctl's managed node groups also accept the EKS API
    /// spelling (`NO_SCHEDULE`).
    pub fn parse(text: &str) -> Option<TaintEffect> {
        match text {
            "NoSchedule" | "NO_SCHEDULE" => Some(TaintEffect::NoSchedule),
            "PreferNoSchedule" | "PREFER_NO_SCHEDULE" => Some(TaintEffect::PreferNoSchedule),
            "NoExecute" | "NO_EXECUTE" => Some(TaintEffect::NoExecute),
            _ => None,
        }
    }
}

/// A node taint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl Taint {
    pub fn new(key: &str, value: &str, effect: TaintEffect) -> Taint {
        Taint {
            key: key.to_string(),
            value: value.to_string(),
            effect,
        }
    }
}

/// Taint keys Kubernetes and EKS put on nodes.
pub mod taints {
    /// Added by the node lifecycle controller while a node is not Ready.
    pub const NOT_READY: &str = "node.kubernetes.io/not-ready";
    /// Added when the node stops reporting (its kubelet is gone).
    pub const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
    /// Added while `spec.unschedulable` is true (cordon).
    pub const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
    /// Every Fargate node carries `eks.amazonaws.com/compute-type=fargate:NoSchedule`.
    pub const FARGATE_COMPUTE_TYPE: &str = "eks.amazonaws.com/compute-type";
}

/// `spec`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeSpec {
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    /// `aws:///us-east-1a/i-0abc…`.
    pub provider_id: String,
}

/// The Ready condition and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCondition {
    pub ready: bool,
    pub reason: String,
    pub last_transition_time: SimTime,
}

/// `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeStatus {
    pub capacity: Resources,
    pub allocatable: Resources,
    /// `capacity.pods` (= allocatable pods): the node's max pods.
    pub max_pods: u64,
    pub ready: NodeCondition,
    pub kubelet_version: String,
    pub internal_ip: String,
}

/// Which data plane runs a node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataPlane {
    /// An EKS managed node group.
    Managed { nodegroup: String },
    /// A self-managed node group (an Auto Scaling group the user owns).
    SelfManaged { nodegroup: String },
    /// A Fargate micro-VM running exactly one pod.
    Fargate { profile: String },
}

impl DataPlane {
    /// `self-managed`, `managed` or `fargate`, as the report names them.
    pub const fn kind_str(&self) -> &'static str {
        match self {
            DataPlane::Managed { .. } => "managed",
            DataPlane::SelfManaged { .. } => "self-managed",
            DataPlane::Fargate { .. } => "fargate",
        }
    }

    pub fn group_name(&self) -> &str {
        match self {
            DataPlane::Managed { nodegroup } | DataPlane::SelfManaged { nodegroup } => nodegroup,
            DataPlane::Fargate { profile } => profile,
        }
    }

    pub const fn is_fargate(&self) -> bool {
        matches!(self, DataPlane::Fargate { .. })
    }
}

/// A node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub meta: ObjectMeta,
    pub spec: NodeSpec,
    pub status: NodeStatus,
    pub data_plane: DataPlane,
    pub zone: String,
    /// The EC2 instance behind the node; empty for Fargate.
    pub instance_id: String,
    /// `m5.large`, or the Fargate size (`0.25vCPU 0.5GB`) for Fargate nodes.
    pub instance_type: String,
    /// Images already pulled on the node (the EKS AMI pre-caches the add-on images).
    pub images: std::collections::BTreeSet<String>,
}

impl Node {
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.meta.labels
    }

    pub fn is_ready(&self) -> bool {
        self.status.ready.ready
    }

    pub fn name(&self) -> &str {
        &self.meta.name
    }

    /// Taints as the scheduler sees them, including the ones the node lifecycle controller
    /// adds for NotReady and cordoned nodes.
    pub fn effective_taints(&self) -> Vec<Taint> {
        let mut taints = self.spec.taints.clone();
        if !self.is_ready() {
            // A node whose kubelet stopped reporting is unreachable; one that reports NotReady
            // (still booting) is not-ready. The node lifecycle controller adds both effects.
            let key = if self.status.ready.reason == "NodeStatusUnknown" {
                taints::UNREACHABLE
            } else {
                taints::NOT_READY
            };
            taints.push(Taint::new(key, "", TaintEffect::NoSchedule));
            taints.push(Taint::new(key, "", TaintEffect::NoExecute));
        }
        if self.spec.unschedulable {
            taints.push(Taint::new(
                taints::UNSCHEDULABLE,
                "",
                TaintEffect::NoSchedule,
            ));
        }
        taints
    }
}
