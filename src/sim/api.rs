//! Kubernetes API objects, shaped like their upstream types: metadata, spec (desired state) and
//! status (observed state).

pub mod autoscaling;
pub mod bounds;
pub mod meta;
pub mod metrics;
pub mod node;
pub mod pod;
pub mod policy;
pub mod status;
pub mod validation;
pub mod vpa;
pub mod workloads;

pub use autoscaling::{
    HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec, HorizontalPodAutoscalerStatus,
    ResourceMetrics,
};
pub use meta::{IntOrPercent, Kind, LabelSelector, ObjectKey, ObjectMeta, ObjectRef, OwnerRef};
pub use node::{Node, NodeCondition, NodeSpec, NodeStatus, Taint, TaintEffect};
pub use pod::{
    Container, ContainerPort, Pod, PodCondition, PodConditionType, PodPhase, PodSpec, PodStatus,
    PodTemplateSpec, Toleration, TolerationOperator, Volume, VolumeSource,
};
pub use policy::{PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus};
pub use vpa::{VerticalPodAutoscaler, VerticalPodAutoscalerSpec, VerticalPodAutoscalerStatus};
/// An int32 count of the API (replicas, sizes, status counts) as a `u64` for the controllers'
/// arithmetic; a negative count, which validation never lets in, reads as 0.
pub fn count(n: i32) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A count the controllers computed, stored back into an int32 field (saturating: a count
/// beyond int32 cannot arise from bounded input, and must not wrap if it did).
pub fn int32(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A number of items as an int32 count (`status.replicas` from a list of pods), saturating.
pub fn int32_len(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub use workloads::{
    DaemonSet, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, Job, JobSpec,
    JobStatus, Namespace, ReplicaSet,
};
