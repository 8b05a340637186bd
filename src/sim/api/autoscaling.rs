//! `HorizontalPodAutoscaler` (autoscaling/v2) and the resource metrics the metrics-server
//! serves (`metrics.k8s.io`).

use super::meta::{Kind, ObjectMeta};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::quantity::Resources;

/// A resource an HPA or VPA can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceName {
    Cpu,
    Memory,
}

impl ResourceName {
    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceName::Cpu => "cpu",
            ResourceName::Memory => "memory",
        }
    }
}

/// `metrics[].resource.target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricTarget {
    /// `averageUtilization`: percent of the pods' requests.
    Utilization(u64),
    /// `averageValue`: millicores for CPU, bytes for memory.
    AverageValue(u64),
}

/// One `metrics[]` entry of type Resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MetricSpec {
    pub resource: ResourceName,
    pub target: MetricTarget,
}

/// `behavior.*.policies[].type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    Pods,
    Percent,
}

/// `behavior.*.policies[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HpaPolicy {
    pub type_: PolicyType,
    pub value: u64,
    pub period_secs: u64,
}

/// `behavior.*.selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

/// `behavior.scaleUp` / `behavior.scaleDown`; `None` fields take the upstream defaults.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ScalingRules {
    pub stabilization_window_secs: Option<u64>,
    pub select_policy: Option<SelectPolicy>,
    /// Empty: the defaults for the direction.
    pub policies: Vec<HpaPolicy>,
    /// Per-HPA tolerance in thousandths (`HPAConfigurableTolerance`); `None`: 0.1.
    pub tolerance_permille: Option<u64>,
}

/// `behavior`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HpaBehavior {
    pub scale_up: ScalingRules,
    pub scale_down: ScalingRules,
}

/// HPA `spec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HorizontalPodAutoscalerSpec {
    /// `scaleTargetRef.kind` (Deployment) and name, in the HPA's namespace.
    pub target_kind: Kind,
    pub target_name: String,
    pub min_replicas: u64,
    pub max_replicas: u64,
    pub metrics: Vec<MetricSpec>,
    pub behavior: HpaBehavior,
}

/// One HPA condition (`AbleToScale`, `ScalingActive`, `ScalingLimited`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpaCondition {
    pub type_: &'static str,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_transition_time: SimTime,
}

/// What the HPA measured for one metric at its last sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricStatus {
    pub resource: ResourceName,
    /// Percent of requests, when the target is a utilization.
    pub current_utilization: Option<u64>,
    /// Average per pod: millicores or bytes.
    pub current_average: u64,
}

/// The last computation, kept so the lab can explain it step by step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HpaExplanation {
    pub time: SimTime,
    /// One line per step, as a learner would read the algorithm.
    pub lines: Vec<String>,
}

/// HPA `status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HorizontalPodAutoscalerStatus {
    pub current_replicas: u64,
    pub desired_replicas: u64,
    pub last_scale_time: Option<SimTime>,
    pub current_metrics: Vec<MetricStatus>,
    pub conditions: Vec<HpaCondition>,
    pub explanation: HpaExplanation,
}

/// A HorizontalPodAutoscaler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HorizontalPodAutoscaler {
    pub meta: ObjectMeta,
    pub spec: HorizontalPodAutoscalerSpec,
    pub status: HorizontalPodAutoscalerStatus,
}

/// A pod's (or node's) usage as the metrics-server reports it (`kubectl top`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceMetrics {
    pub timestamp: SimTime,
    pub window: SimDuration,
    pub usage: Resources,
}
