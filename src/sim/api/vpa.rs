//! `VerticalPodAutoscaler` (autoscaling.k8s.io/v1, the VPA custom resource).

use super::meta::{Kind, ObjectMeta};
use crate::sim::clock::SimTime;
use crate::sim::quantity::Resources;

/// `updatePolicy.updateMode` (eks-facts §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateMode {
    Off,
    Initial,
    Recreate,
    InPlaceOrRecreate,
    /// Deprecated; behaves as Recreate.
    Auto,
}

impl UpdateMode {
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
        Some(match text {
            "Off" => UpdateMode::Off,
            "Initial" => UpdateMode::Initial,
            "Recreate" => UpdateMode::Recreate,
            "InPlaceOrRecreate" => UpdateMode::InPlaceOrRecreate,
            "Auto" => UpdateMode::Auto,
            _ => return None,
        })
    }
}

/// `resourcePolicy.containerPolicies[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerResourcePolicy {
    /// `*` for every container.
    pub container_name: String,
    pub min_allowed: Option<Resources>,
    pub max_allowed: Option<Resources>,
}

/// VPA `spec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerticalPodAutoscalerSpec {
    pub target_kind: Kind,
    pub target_name: String,
    pub update_mode: UpdateMode,
    /// `updatePolicy.minReplicas`; `None`: the updater's `--min-replicas` (2).
    pub min_replicas: Option<u64>,
    pub resource_policies: Vec<ContainerResourcePolicy>,
}

/// One container's recommendation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendedContainerResources {
    pub container_name: String,
    pub target: Resources,
    pub lower_bound: Resources,
    pub upper_bound: Resources,
    pub uncapped_target: Resources,
}

/// VPA `status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerticalPodAutoscalerStatus {
    pub recommendations: Vec<RecommendedContainerResources>,
    pub last_update: Option<SimTime>,
    /// Plain-language lines on the last recommendation and update decisions.
    pub explanation: Vec<String>,
}

/// A VerticalPodAutoscaler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerticalPodAutoscaler {
    pub meta: ObjectMeta,
    pub spec: VerticalPodAutoscalerSpec,
    pub status: VerticalPodAutoscalerStatus,
}
