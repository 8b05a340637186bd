//! `VerticalPodAutoscaler` (autoscaling.k8s.io/v1, the VPA custom resource).

use super::autoscaling::ResourceName;
use super::meta::{Kind, ObjectMeta};
use crate::sim::clock::SimTime;
use crate::sim::quantity::Resources;

/// `updatePolicy.updateMode` (eks-facts §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UpdateMode {
    /// Recommend only.
    Off,
    /// Apply the recommendation when a pod is created, never to running pods.
    Initial,
    /// Evict pods whose requests are off the recommendation (now the default, eks-facts §6.3).
    #[default]
    Recreate,
    /// Resize running pods in place; evict when that is not possible.
    InPlaceOrRecreate,
    /// Deprecated; behaves as Recreate.
    Auto,
}

impl UpdateMode {
    pub const ALL: [UpdateMode; 5] = [
        UpdateMode::Off,
        UpdateMode::Initial,
        UpdateMode::Recreate,
        UpdateMode::InPlaceOrRecreate,
        UpdateMode::Auto,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateMode::Off => "Off",
            UpdateMode::Initial => "Initial",
            UpdateMode::Recreate => "Recreate",
            UpdateMode::InPlaceOrRecreate => "InPlaceOrRecreate",
            UpdateMode::Auto => "Auto",
        }
    }

    pub fn parse(text: &str) -> Option<UpdateMode> {
        UpdateMode::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Does the admission controller set requests on new pods in this mode?
    pub const fn applies_at_creation(self) -> bool {
        !matches!(self, UpdateMode::Off)
    }

    /// Does the updater act on running pods in this mode?
    pub const fn updates_running_pods(self) -> bool {
        matches!(
            self,
            UpdateMode::Recreate | UpdateMode::InPlaceOrRecreate | UpdateMode::Auto
        )
    }
}

/// `containerPolicies[].mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ContainerScalingMode {
    #[default]
    Auto,
    /// The container gets no recommendation and is never changed.
    Off,
}

impl ContainerScalingMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ContainerScalingMode::Auto => "Auto",
            ContainerScalingMode::Off => "Off",
        }
    }
}

/// `containerPolicies[].controlledValues`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ControlledValues {
    /// Requests follow the recommendation; limits keep their ratio to the requests.
    #[default]
    RequestsAndLimits,
    /// Only requests change (and never above the limit).
    RequestsOnly,
}

impl ControlledValues {
    pub const fn as_str(self) -> &'static str {
        match self {
            ControlledValues::RequestsAndLimits => "RequestsAndLimits",
            ControlledValues::RequestsOnly => "RequestsOnly",
        }
    }
}

/// `resourcePolicy.containerPolicies[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerResourcePolicy {
    /// `*` for every container without a policy of its own.
    pub container_name: String,
    pub mode: ContainerScalingMode,
    /// Per resource; a zero field means "no bound" for that resource.
    pub min_allowed: Option<Resources>,
    /// Per resource; a zero field means "no bound" for that resource.
    pub max_allowed: Option<Resources>,
    /// `controlledResources` (default cpu and memory).
    pub controlled_resources: Vec<ResourceName>,
    pub controlled_values: ControlledValues,
}

impl ContainerResourcePolicy {
    /// A policy with the API's defaults.
    pub fn new(container_name: impl Into<String>) -> ContainerResourcePolicy {
        ContainerResourcePolicy {
            container_name: container_name.into(),
            mode: ContainerScalingMode::Auto,
            min_allowed: None,
            max_allowed: None,
            controlled_resources: DEFAULT_CONTROLLED_RESOURCES.to_vec(),
            controlled_values: ControlledValues::RequestsAndLimits,
        }
    }

    pub fn controls(&self, r: ResourceName) -> bool {
        self.controlled_resources.contains(&r)
    }
}

/// `controlledResources` when unset (upstream `DefaultControlledResources`).
pub const DEFAULT_CONTROLLED_RESOURCES: [ResourceName; 2] =
    [ResourceName::Cpu, ResourceName::Memory];

/// VPA `spec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerticalPodAutoscalerSpec {
    /// `targetRef.kind` (the lab's VPA targets Deployments) and name, in the VPA's namespace.
    pub target_kind: Kind,
    pub target_name: String,
    pub update_mode: UpdateMode,
    /// `updatePolicy.minReplicas`; `None`: the updater's `--min-replicas` (2).
    pub min_replicas: Option<i32>,
    pub resource_policies: Vec<ContainerResourcePolicy>,
}

impl VerticalPodAutoscalerSpec {
    /// A VPA for a Deployment with the API's defaults.
    pub fn for_deployment(name: impl Into<String>) -> VerticalPodAutoscalerSpec {
        VerticalPodAutoscalerSpec {
            target_kind: Kind::Deployment,
            target_name: name.into(),
            update_mode: UpdateMode::default(),
            min_replicas: None,
            resource_policies: Vec::new(),
        }
    }

    /// The policy for a container: its own, else the `*` one (upstream
    /// `GetContainerResourcePolicy`).
    pub fn policy_for(&self, container: &str) -> Option<&ContainerResourcePolicy> {
        self.resource_policies
            .iter()
            .find(|p| p.container_name == container)
            .or_else(|| {
                self.resource_policies
                    .iter()
                    .find(|p| p.container_name == "*")
            })
    }
}

/// One container's recommendation. A resource the policy does not control is zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendedContainerResources {
    pub container_name: String,
    pub target: Resources,
    pub lower_bound: Resources,
    pub upper_bound: Resources,
    /// The target before `minAllowed`/`maxAllowed` were applied.
    pub uncapped_target: Resources,
}

/// `status.conditions[]` (`RecommendationProvided`, `NoPodsMatched`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpaCondition {
    pub type_: &'static str,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_transition_time: SimTime,
}

/// VPA `status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerticalPodAutoscalerStatus {
    /// Sorted by container name, as the recommender writes them.
    pub recommendations: Vec<RecommendedContainerResources>,
    pub conditions: Vec<VpaCondition>,
    /// When the recommender last wrote the recommendation.
    pub last_update: Option<SimTime>,
    /// Plain-language lines on the last recommendation and update decisions.
    pub explanation: Vec<String>,
}

impl VerticalPodAutoscalerStatus {
    pub fn recommendation_for(&self, container: &str) -> Option<&RecommendedContainerResources> {
        self.recommendations
            .iter()
            .find(|r| r.container_name == container)
    }

    pub fn condition(&self, type_: &str) -> Option<&VpaCondition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// A VerticalPodAutoscaler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerticalPodAutoscaler {
    pub meta: ObjectMeta,
    pub spec: VerticalPodAutoscalerSpec,
    pub status: VerticalPodAutoscalerStatus,
}
