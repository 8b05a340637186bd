//! The EKS `Cluster`: version, endpoint access, logging, access, control plane and add-ons.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::catalog::{AddonName, KubernetesVersion};
use crate::sim::clock::SimTime;

/// `Cluster.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterStatus {
    Creating,
    Active,
    Updating,
    Deleting,
    Failed,
}

impl ClusterStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ClusterStatus::Creating => "CREATING",
            ClusterStatus::Active => "ACTIVE",
            ClusterStatus::Updating => "UPDATING",
            ClusterStatus::Deleting => "DELETING",
            ClusterStatus::Failed => "FAILED",
        }
    }
}

/// Endpoint access mode (eks-facts §8). Public only is the default for new clusters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAccess {
    pub public: bool,
    pub private: bool,
    pub public_access_cidrs: Vec<String>,
}

impl Default for EndpointAccess {
    fn default() -> Self {
        EndpointAccess {
            public: true,
            private: false,
            public_access_cidrs: vec!["0.0.0.0/0".to_string()],
        }
    }
}

impl EndpointAccess {
    pub fn describe(&self) -> &'static str {
        match (self.public, self.private) {
            (true, false) => "Public",
            (true, true) => "Public and private",
            (false, true) => "Private",
            (false, false) => "None",
        }
    }
}

/// Control plane log types (eks-facts §8); all off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogType {
    Api,
    Audit,
    Authenticator,
    ControllerManager,
    Scheduler,
}

impl LogType {
    pub const ALL: [LogType; 5] = [
        LogType::Api,
        LogType::Audit,
        LogType::Authenticator,
        LogType::ControllerManager,
        LogType::Scheduler,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            LogType::Api => "api",
            LogType::Audit => "audit",
            LogType::Authenticator => "authenticator",
            LogType::ControllerManager => "controllerManager",
            LogType::Scheduler => "scheduler",
        }
    }

    pub fn parse(text: &str) -> Option<LogType> {
        LogType::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

/// Cluster authentication mode (eks-facts §8); eksctl's default is `API_AND_CONFIG_MAP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthenticationMode {
    ConfigMap,
    ApiAndConfigMap,
    Api,
}

impl AuthenticationMode {
    pub const fn as_str(self) -> &'static str {
        match self {
            AuthenticationMode::ConfigMap => "CONFIG_MAP",
            AuthenticationMode::ApiAndConfigMap => "API_AND_CONFIG_MAP",
            AuthenticationMode::Api => "API",
        }
    }

    pub fn parse(text: &str) -> Option<AuthenticationMode> {
        match text {
            "CONFIG_MAP" => Some(AuthenticationMode::ConfigMap),
            "API_AND_CONFIG_MAP" => Some(AuthenticationMode::ApiAndConfigMap),
            "API" => Some(AuthenticationMode::Api),
            _ => None,
        }
    }
}

/// `upgradePolicy.supportType` (eks-facts §5, §10): eksctl's default is `EXTENDED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupportType {
    Standard,
    Extended,
}

impl SupportType {
    pub const fn as_str(self) -> &'static str {
        match self {
            SupportType::Standard => "STANDARD",
            SupportType::Extended => "EXTENDED",
        }
    }
}

/// What a control plane instance runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControlPlaneRole {
    ApiServer,
    Etcd,
}

impl ControlPlaneRole {
    pub const fn as_str(self) -> &'static str {
        match self {
            ControlPlaneRole::ApiServer => "kube-apiserver",
            ControlPlaneRole::Etcd => "etcd",
        }
    }
}

/// One instance of the AWS-run control plane (eks-facts §8: at least two API server instances
/// and three etcd instances across three AZs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPlaneInstance {
    pub name: String,
    pub role: ControlPlaneRole,
    pub zone: String,
    pub version: KubernetesVersion,
    pub healthy: bool,
}

/// Add-on status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddonStatus {
    Creating,
    Active,
    Updating,
    Degraded,
}

impl AddonStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            AddonStatus::Creating => "CREATING",
            AddonStatus::Active => "ACTIVE",
            AddonStatus::Updating => "UPDATING",
            AddonStatus::Degraded => "DEGRADED",
        }
    }
}

/// An installed add-on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addon {
    pub name: AddonName,
    pub version: String,
    pub status: AddonStatus,
    /// EKS-managed add-on (true) or a self-managed manifest the user upgrades (false).
    pub managed: bool,
}

/// The EKS cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub name: String,
    pub region: String,
    pub version: KubernetesVersion,
    pub status: ClusterStatus,
    pub endpoint_access: EndpointAccess,
    pub logging: BTreeSet<LogType>,
    pub authentication_mode: AuthenticationMode,
    pub support_type: SupportType,
    pub zones: Vec<String>,
    pub vpc_cidr: String,
    pub control_plane: Vec<ControlPlaneInstance>,
    pub addons: BTreeMap<AddonName, Addon>,
    pub created_at: SimTime,
    pub active_at: Option<SimTime>,
    pub tags: BTreeMap<String, String>,
    /// `platformVersion` (`eks.N`), reset to `eks.1` by a version update.
    pub platform_version: u32,
    /// Faults injected with `ekslab inject-fault`.
    pub faults: BTreeSet<super::Fault>,
}

impl Cluster {
    pub fn is_active(&self) -> bool {
        matches!(self.status, ClusterStatus::Active | ClusterStatus::Updating)
    }
}
