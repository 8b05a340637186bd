//! AWS-side objects: the EKS cluster with its control plane and add-ons, node groups,
//! Fargate profiles, EC2 instances and the VPC's subnets.

pub mod cluster;
pub mod ec2;
pub mod fargate_profile;
pub mod managed_update;
pub mod nodegroup;
pub mod quotas;
pub mod update;
pub mod validation;
pub mod version_update;
pub mod vpc;

pub use cluster::{
    Addon, AddonStatus, AuthenticationMode, Cluster, ClusterStatus, ControlPlaneInstance,
    ControlPlaneRole, EndpointAccess, LogType, SupportType,
};
pub use ec2::{Instance, InstanceLifecycle, InstanceState};
pub use fargate_profile::{FargateProfile, FargateProfileSelector, FargateProfileStatus};
pub use nodegroup::{
    CapacityType, Nodegroup, NodegroupKind, NodegroupScalingConfig, NodegroupStatus,
    NodegroupUpdateConfig, UpdateStrategy,
};
pub use update::{
    ErrorCode, Fault, Update, UpdateError, UpdatePhase, UpdateStatus, UpdateTarget, UpdateType,
};
pub use vpc::Subnet;

/// The registry EKS pulls its add-on images from (us-east-1).
pub const ECR: &str = "602401143452.dkr.ecr.us-east-1.amazonaws.com";

/// Images the EKS AMI pre-caches: the VPC CNI and kube-proxy of the cluster's version.
pub fn precached_images(
    v: crate::sim::catalog::KubernetesVersion,
) -> std::collections::BTreeSet<String> {
    use crate::sim::catalog::{AddonName, addon_default_version};
    use crate::sim::sort::CollectSorted;
    [
        format!(
            "{ECR}/amazon-k8s-cni:{}",
            addon_default_version(AddonName::VpcCni, v)
        ),
        format!(
            "{ECR}/eks/kube-proxy:{}",
            addon_default_version(AddonName::KubeProxy, v)
                .replace("-eksbuild", "-minimal-eksbuild")
        ),
    ]
    .into_iter()
    .collect_set()
}

/// The workload that runs an add-on.
pub fn addon_workload(
    name: crate::sim::catalog::AddonName,
) -> (crate::sim::api::Kind, crate::sim::api::ObjectKey) {
    use crate::sim::api::{Kind, ObjectKey};
    use crate::sim::catalog::AddonName;
    let key = |n: &str| ObjectKey::new("kube-system", n);
    match name {
        AddonName::VpcCni => (Kind::DaemonSet, key("aws-node")),
        AddonName::KubeProxy => (Kind::DaemonSet, key("kube-proxy")),
        AddonName::CoreDns => (Kind::Deployment, key("coredns")),
        AddonName::MetricsServer => (Kind::Deployment, key("metrics-server")),
    }
}

/// The image an add-on's container runs at `version`.
pub fn addon_image(name: crate::sim::catalog::AddonName, version: &str) -> String {
    use crate::sim::catalog::AddonName;
    let ecr = ECR;
    match name {
        AddonName::VpcCni => format!("{ecr}/amazon-k8s-cni:{version}"),
        AddonName::KubeProxy => format!(
            "{ecr}/eks/kube-proxy:{}",
            version.replace("-eksbuild", "-minimal-eksbuild")
        ),
        AddonName::CoreDns => format!("{ecr}/eks/coredns:{version}"),
        AddonName::MetricsServer => format!("{ecr}/eks/metrics-server:{version}"),
    }
}
