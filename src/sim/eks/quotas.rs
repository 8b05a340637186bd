//! EKS service quotas the lab enforces: the scenario loader, the command line, the forms and
//! the simulated EKS API all read them here.

/// EKS quotas the lab enforces (eks-facts §2, §8; 2021 quota table, M).
pub const MAX_NODES_PER_MANAGED_NODEGROUP: i32 = 450;
pub const MAX_FARGATE_PROFILES: usize = 10;
pub const MAX_SELECTORS_PER_PROFILE: usize = 5;
pub const MAX_LABELS_PER_SELECTOR: usize = 5;
/// A managed node group update's `maxUnavailable` quota (eks-facts §4).
pub const MAX_UNAVAILABLE_QUOTA: i32 = 100;
