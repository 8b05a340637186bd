//! Kubernetes API objects, shaped like their upstream types: metadata, spec (desired state) and
//! status (observed state).

pub mod autoscaling;
pub mod meta;
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
pub use workloads::{
    DaemonSet, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, Job, JobSpec,
    JobStatus, Namespace, ReplicaSet,
};
