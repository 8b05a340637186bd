//! The rules of an EKS cluster version update (eks-facts §5, §7): the phases it reports and
//! their durations, the checks EKS and eksctl make before it starts (one minor version at a time,
//! released versions, the kubelet skew policy) and the update in progress. The control plane
//! update controller runs them; the upgrade planner quotes them.

use crate::sim::Simulation;
use crate::sim::catalog::versions::{SupportStatus, max_kubelet_skew};
use crate::sim::catalog::{KubernetesVersion, version_info};
use crate::sim::clock::SimDuration;
use crate::sim::eks::{ClusterStatus, Update, UpdateTarget};
use crate::sim::rng::Delay;

/// Phases of a control plane update as the lab shows them.
pub const PHASE_LAUNCH: &str = "LaunchNewApiServers";
pub const PHASE_HEALTH: &str = "HealthChecks";
pub const PHASE_REPLACE: &str = "ReplaceOldApiServers";
pub const PHASE_ROLLBACK: &str = "RollBack";

/// Phase durations: together 8–13 minutes, within the 8–15 min of eks-facts §7 (U).
pub const LAUNCH_DELAY: Delay = Delay::secs(240, 120);
pub const HEALTH_DELAY: Delay = Delay::secs(60, 60);
pub const REPLACE_DELAY: Delay = Delay::secs(180, 120);
pub const ROLLBACK_DELAY: Delay = Delay::secs(120, 60);

/// EKS needs up to five free IPs in the cluster's subnets for an update (eks-facts §5, §11).
pub const FREE_IPS_NEEDED: u32 = 5;

/// A node whose kubelet the target version would leave outside the skew policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkewViolation {
    pub node: String,
    /// Node group name, or `fargate` for a Fargate pod's node.
    pub group: String,
    pub kubelet: KubernetesVersion,
    pub allowed: u32,
}

/// Nodes that would break the kubelet skew rule if the API server were at `target`.
pub fn skew_violations(sim: &Simulation, target: KubernetesVersion) -> Vec<SkewViolation> {
    sim.state
        .nodes
        .values()
        .filter_map(|n| {
            let kubelet = KubernetesVersion::parse(&n.status.kubelet_version).ok()?;
            let allowed = max_kubelet_skew(kubelet);
            (kubelet.minors_behind(target) > allowed).then(|| SkewViolation {
                node: n.name().to_string(),
                group: if n.data_plane.is_fargate() {
                    "fargate".to_string()
                } else {
                    n.data_plane.group_name().to_string()
                },
                kubelet,
                allowed,
            })
        })
        .collect()
}

/// The rule, named, with the nodes that break it grouped by node group.
pub fn skew_message(target: KubernetesVersion, v: &[SkewViolation]) -> String {
    let mut groups: std::collections::BTreeMap<&str, (KubernetesVersion, usize)> =
        std::collections::BTreeMap::new();
    for s in v {
        let e = groups.entry(s.group.as_str()).or_insert((s.kubelet, 0));
        e.0 = e.0.min(s.kubelet);
        e.1 += 1;
    }
    let list: Vec<String> = groups
        .iter()
        .map(|(g, (k, n))| format!("{g} ({n} node(s) at kubelet {k})"))
        .collect();
    let allowed = v.iter().map(|s| s.allowed).min().unwrap_or(3);
    format!(
        "kubelet version skew: the Kubernetes version skew policy lets a kubelet be at most {allowed} minor versions older than the API server (2 for kubelets before 1.25), and {target} would leave {} behind: {}. Upgrade those nodes first",
        if v.len() == 1 {
            "1 node".to_string()
        } else {
            format!("{} nodes", v.len())
        },
        list.join(", ")
    )
}

/// The update in progress on the control plane, if any.
pub fn in_progress(sim: &Simulation) -> Option<&Update> {
    sim.state
        .updates
        .iter()
        .find(|u| u.target == UpdateTarget::Cluster && u.is_in_progress())
}

/// Why the control plane cannot go to `target` now (the checks `eksctl upgrade cluster` and
/// the EKS API make before they start anything), or `Ok` with the target.
pub fn check_upgrade(
    sim: &Simulation,
    target: Option<KubernetesVersion>,
) -> Result<KubernetesVersion, String> {
    let c = &sim.state.cluster;
    let current = c.version;
    let target = target.unwrap_or(current.next());
    if c.status == ClusterStatus::Creating {
        return Err(format!(
            "Error: cluster \"{}\" is still being created (status CREATING)",
            c.name
        ));
    }
    if let Some(u) = in_progress(sim) {
        return Err(format!(
            "Error: ResourceInUseException: update {} is already in progress on cluster \"{}\"; a control plane update cannot be paused, cancelled or run alongside another",
            u.id, c.name
        ));
    }
    if target < current {
        return Err(format!(
            "Error: cannot upgrade to a lower version. Found given target version \"{target}\", current cluster version \"{current}\""
        ));
    }
    if target.minor > current.minor + 1 {
        return Err(format!(
            "Error: upgrading more than one version at a time is not supported. Found upgrade from \"{current}\" to \"{target}\". Please upgrade to \"{}\" first",
            current.next()
        ));
    }
    let Some(info) = version_info(target) else {
        return Err(format!(
            "Error: InvalidParameterException: unsupported Kubernetes version {target} (known: {})",
            crate::sim::catalog::versions::known_versions()
        ));
    };
    if info.status_on(sim.date()) == SupportStatus::NotYetReleased {
        return Err(format!(
            "Error: InvalidParameterException: Kubernetes {target} is not available on EKS until {} (lab date {})",
            info.eks_release,
            sim.date()
        ));
    }
    let v = skew_violations(sim, target);
    if !v.is_empty() {
        return Err(format!("Error: {}", skew_message(target, &v)));
    }
    Ok(target)
}

/// How long the control plane update takes at most and at least (for the planner).
pub fn expected_duration() -> (SimDuration, SimDuration) {
    let lo = LAUNCH_DELAY.base + HEALTH_DELAY.base + REPLACE_DELAY.base;
    let hi = lo + LAUNCH_DELAY.jitter + HEALTH_DELAY.jitter + REPLACE_DELAY.jitter;
    (lo, hi)
}
