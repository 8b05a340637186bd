//! Fargate profiles and their selectors (eks-facts §2).

use std::collections::BTreeMap;

use crate::sim::clock::SimTime;

/// The scheduler EKS runs for pods its Fargate webhook selects (`spec.schedulerName`).
pub const FARGATE_SCHEDULER: &str = "fargate-scheduler";
/// The label the webhook sets (and users may set to pin a profile).
pub const PROFILE_LABEL: &str = "eks.amazonaws.com/fargate-profile";
/// Pods annotated `eks.amazonaws.com/compute-type: ec2` are never sent to Fargate.
pub const COMPUTE_TYPE: &str = "eks.amazonaws.com/compute-type";

/// The ACTIVE profile that selects this namespace and these labels, if any (the first by name).
pub fn active_profile_for(
    profiles: &BTreeMap<String, FargateProfile>,
    namespace: &str,
    labels: &BTreeMap<String, String>,
) -> Option<String> {
    profiles
        .values()
        .find(|p| p.status == FargateProfileStatus::Active && p.matches(namespace, labels))
        .map(|p| p.name.clone())
}

/// `FargateProfile.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FargateProfileStatus {
    Creating,
    Active,
    Deleting,
}

impl FargateProfileStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            FargateProfileStatus::Creating => "CREATING",
            FargateProfileStatus::Active => "ACTIVE",
            FargateProfileStatus::Deleting => "DELETING",
        }
    }
}

/// One selector: a namespace (required) and labels the pod must all carry.
/// Namespaces and label values may use `*` and `?` wildcards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargateProfileSelector {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
}

impl FargateProfileSelector {
    pub fn matches(&self, namespace: &str, labels: &BTreeMap<String, String>) -> bool {
        wildcard_match(&self.namespace, namespace)
            && self.labels.iter().all(|(k, v)| {
                labels
                    .iter()
                    .any(|(lk, lv)| wildcard_match(k, lk) && wildcard_match(v, lv))
            })
    }
}

/// A Fargate profile. Profiles are immutable: change means create new, delete old.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargateProfile {
    pub name: String,
    pub selectors: Vec<FargateProfileSelector>,
    pub subnets: Vec<String>,
    pub pod_execution_role_arn: String,
    pub status: FargateProfileStatus,
    pub created_at: SimTime,
}

impl FargateProfile {
    pub fn matches(&self, namespace: &str, labels: &BTreeMap<String, String>) -> bool {
        self.status == FargateProfileStatus::Active
            && self.selectors.iter().any(|s| s.matches(namespace, labels))
    }
}

/// Glob match with `*` (any run) and `?` (one character).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn wildcards_match_like_eks() {
        assert!(wildcard_match("dev-*", "dev-team1"));
        assert!(wildcard_match("batch?", "batch1"));
        assert!(!wildcard_match("batch?", "batch12"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("prod", "production"));
    }

    #[test]
    fn selector_needs_the_namespace_and_all_labels() {
        let s = FargateProfileSelector {
            namespace: "jobs".into(),
            labels: labels(&[("compute", "fargate")]),
        };
        assert!(s.matches("jobs", &labels(&[("compute", "fargate"), ("app", "x")])));
        assert!(!s.matches("jobs", &labels(&[("app", "x")])));
        assert!(!s.matches("default", &labels(&[("compute", "fargate")])));
    }
}
