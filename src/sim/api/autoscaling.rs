//! `HorizontalPodAutoscaler` (autoscaling/v2) and the resource metrics the metrics-server
//! serves (`metrics.k8s.io`).

use super::meta::{Kind, ObjectKey, ObjectMeta};
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
    Utilization(i32),
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

impl PolicyType {
    pub const fn as_str(self) -> &'static str {
        match self {
            PolicyType::Pods => "Pods",
            PolicyType::Percent => "Percent",
        }
    }
}

/// `behavior.*.policies[]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HpaPolicy {
    pub type_: PolicyType,
    pub value: i32,
    pub period_secs: i32,
}

/// `behavior.*.selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

impl SelectPolicy {
    pub const fn as_str(self) -> &'static str {
        match self {
            SelectPolicy::Max => "Max",
            SelectPolicy::Min => "Min",
            SelectPolicy::Disabled => "Disabled",
        }
    }
}

/// `behavior.scaleUp` / `behavior.scaleDown` as written; `None` fields take the upstream
/// defaults (see [`ScalingRules::scale_up_defaulted`] and [`ScalingRules::scale_down_defaulted`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ScalingRules {
    pub stabilization_window_secs: Option<i32>,
    pub select_policy: Option<SelectPolicy>,
    /// Empty: the defaults for the direction.
    pub policies: Vec<HpaPolicy>,
    /// Per-HPA tolerance in thousandths (`HPAConfigurableTolerance`); `None`: 0.1.
    pub tolerance_permille: Option<u64>,
}

/// The default scale-up policies (`k8s.io/kubernetes/pkg/apis/autoscaling/v2/defaults.go`):
/// add up to 4 pods or double, whichever is more, every 15 seconds (eks-facts §6.1).
pub const DEFAULT_SCALE_UP_POLICIES: [HpaPolicy; 2] = [
    HpaPolicy {
        type_: PolicyType::Pods,
        value: 4,
        period_secs: 15,
    },
    HpaPolicy {
        type_: PolicyType::Percent,
        value: 100,
        period_secs: 15,
    },
];

/// The default scale-down policy: remove up to all pods every 15 seconds (eks-facts §6.1).
pub const DEFAULT_SCALE_DOWN_POLICIES: [HpaPolicy; 1] = [HpaPolicy {
    type_: PolicyType::Percent,
    value: 100,
    period_secs: 15,
}];

impl ScalingRules {
    /// `behavior.scaleUp` as the API server stores it (`GenerateHPAScaleUpRules`): window 0,
    /// `selectPolicy: Max`, the default policies, unless set.
    #[must_use]
    pub fn scale_up_defaulted(&self) -> ScalingRules {
        ScalingRules {
            stabilization_window_secs: Some(self.stabilization_window_secs.unwrap_or(0)),
            select_policy: Some(self.select_policy.unwrap_or(SelectPolicy::Max)),
            policies: if self.policies.is_empty() {
                DEFAULT_SCALE_UP_POLICIES.to_vec()
            } else {
                self.policies.clone()
            },
            tolerance_permille: self.tolerance_permille,
        }
    }

    /// `behavior.scaleDown` as the API server stores it (`GenerateHPAScaleDownRules`): the
    /// window stays unset (the controller then uses its `--horizontal-pod-autoscaler-downscale-
    /// stabilization` flag, 5 minutes), `selectPolicy: Max`, the default policy, unless set.
    #[must_use]
    pub fn scale_down_defaulted(&self) -> ScalingRules {
        ScalingRules {
            stabilization_window_secs: self.stabilization_window_secs,
            select_policy: Some(self.select_policy.unwrap_or(SelectPolicy::Max)),
            policies: if self.policies.is_empty() {
                DEFAULT_SCALE_DOWN_POLICIES.to_vec()
            } else {
                self.policies.clone()
            },
            tolerance_permille: self.tolerance_permille,
        }
    }
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
    /// Defaulted to 1 when the manifest leaves it out, as the API server does.
    /// int32 upstream (k8s.io/api autoscaling/v2 types.go), like the status counts.
    pub min_replicas: i32,
    pub max_replicas: i32,
    /// Defaulted to CPU at 80% when the manifest has none, as the API server does.
    pub metrics: Vec<MetricSpec>,
    /// `None` when the manifest has no `behavior`: the controller then keeps its classic
    /// rules (scale up at most to max(2 × current, 4) per sync, 5-minute downscale window).
    pub behavior: Option<HpaBehavior>,
}

/// The default target when an HPA lists no metrics (`autoscaling.DefaultCPUUtilization`).
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

/// One HPA condition (`AbleToScale`, `ScalingActive`, `ScalingLimited`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HpaCondition {
    pub type_: &'static str,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_transition_time: SimTime,
}

/// What the HPA measured for one metric at its last sync (`status.currentMetrics[]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricStatus {
    pub resource: ResourceName,
    /// Percent of requests, when the target is a utilization.
    pub current_utilization: Option<u64>,
    /// Average per pod in the API's milli-units: millicores for CPU, thousandths of a byte
    /// for memory (the API prints memory averages like `13474133333m`).
    pub current_average_milli: u64,
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
    pub current_replicas: i32,
    pub desired_replicas: i32,
    pub last_scale_time: Option<SimTime>,
    /// One entry per `spec.metrics[]`; `None` where the metric could not be read (the API
    /// shows an empty `type: ""` entry there, kubectl `<unknown>`).
    pub current_metrics: Vec<Option<MetricStatus>>,
    pub conditions: Vec<HpaCondition>,
    pub explanation: HpaExplanation,
}

impl HorizontalPodAutoscalerStatus {
    pub fn condition(&self, type_: &str) -> Option<&HpaCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// A HorizontalPodAutoscaler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HorizontalPodAutoscaler {
    pub meta: ObjectMeta,
    pub spec: HorizontalPodAutoscalerSpec,
    pub status: HorizontalPodAutoscalerStatus,
}

impl HorizontalPodAutoscaler {
    /// The scale target's key (same namespace as the HPA).
    pub fn target_key(&self) -> ObjectKey {
        ObjectKey::new(self.meta.namespace.clone(), self.spec.target_name.clone())
    }
}

/// A quantity in milli-units written as `resource.Quantity.String()` writes it for the HPA's
/// status (`buildQuantity`): CPU in decimal SI (`225m`, `1`, `1500m`), memory in binary SI
/// when it is a whole number of bytes of at least 1 KiB (`150Mi`, `1224Ki`, `1000000000`),
/// else in decimal SI (`13474133333m`, `512`).
pub fn milli_quantity(resource: ResourceName, milli: u64) -> String {
    if resource == ResourceName::Memory && milli.is_multiple_of(1000) && milli / 1000 >= 1024 {
        let mut v = milli / 1000;
        let mut i = 0;
        while v.is_multiple_of(1024) && i < 6 {
            v /= 1024;
            i += 1;
        }
        return format!("{v}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i]);
    }
    decimal_si(milli)
}

/// A target quantity (`averageValue`) as a manifest would spell it: millicores for CPU;
/// for memory the binary suffix when it divides evenly (`100Mi`), else the decimal one
/// (`500M`).
pub fn target_quantity(resource: ResourceName, value: u64) -> String {
    match resource {
        ResourceName::Cpu => decimal_si(value),
        ResourceName::Memory if value >= 1024 && value.is_multiple_of(1024) => {
            milli_quantity(resource, value.saturating_mul(1000))
        }
        ResourceName::Memory => decimal_si(value.saturating_mul(1000)),
    }
}

/// Decimal SI of a milli-value: `0`, `225m`, `2`, `1500`, `1k`, `13474133333m`.
fn decimal_si(milli: u64) -> String {
    if milli == 0 {
        return "0".to_string();
    }
    if !milli.is_multiple_of(1000) {
        return format!("{milli}m");
    }
    let mut v = milli / 1000;
    let mut i = 0;
    while v.is_multiple_of(1000) && i < 6 {
        v /= 1000;
        i += 1;
    }
    format!("{v}{}", ["", "k", "M", "G", "T", "P", "E"][i])
}

/// A pod's (or node's) usage as the metrics-server reports it (`kubectl top`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceMetrics {
    pub timestamp: SimTime,
    pub window: SimDuration,
    pub usage: Resources,
}
