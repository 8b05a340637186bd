//! Static reference data from `eks-facts.md`: instance types, Kubernetes versions and their
//! support dates, Fargate sizes, add-on versions and prices. Each table cites its section.

pub mod addons;
pub mod fargate_sizes;
pub mod instance_types;
pub mod prices;
pub mod versions;

pub use addons::{
    AddonName, addon_behind, addon_compatible, addon_default_version, addon_minor,
    addon_skips_minor,
};
pub use fargate_sizes::{FargateSize, fargate_size_for};
pub use instance_types::{Arch, InstanceType, instance_type};
pub use versions::{KubernetesVersion, SupportStatus, VersionInfo, version_info};
