//! Control plane version updates (eks-facts §5): `eksctl upgrade cluster` and
//! `aws eks update-cluster-version`, the automatic upgrade at the end of support, and the
//! faults that make an update fail and roll back.
//!
//! One minor version at a time; refused while a node's kubelet would fall outside the skew
//! policy (at most 3 minors older from kubelet 1.25, 2 before; never newer). EKS launches new
//! API server instances at the new version, health-checks them and then replaces the old ones;
//! if the checks fail (a deleted subnet or security group, too few free IPs) it reverts the
//! infrastructure and the cluster stays on its old version with every workload untouched. An
//! update cannot be paused or cancelled once started, and takes "several minutes" (8–15 min
//! modelled, eks-facts §7, U).

use crate::sim::api::{Kind, ObjectRef};
use crate::sim::catalog::versions::{SupportStatus, max_kubelet_skew};
use crate::sim::catalog::{
    AddonName, KubernetesVersion, addon_behind, addon_compatible, addon_default_version,
    version_info,
};
use crate::sim::clock::SimDuration;
use crate::sim::eks::{
    ClusterStatus, ControlPlaneInstance, ControlPlaneRole, ErrorCode, Fault, SupportType, Update,
    UpdateError, UpdateStatus, UpdateTarget, UpdateType,
};
use crate::sim::event::{EventType, reason};
use crate::sim::rng::Delay;
use crate::sim::{Simulation, Timer};

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

fn cluster_ref(sim: &Simulation) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Cluster, sim.state.cluster.name.clone())
}

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

/// `eksctl upgrade cluster`.
pub(crate) fn upgrade_cluster(
    sim: &mut Simulation,
    version: Option<KubernetesVersion>,
    approve: bool,
) -> Result<String, String> {
    let current = sim.state.cluster.version;
    if version == Some(current) && in_progress(sim).is_none() {
        return Ok(format!(
            "cluster \"{}\" control plane is already at version {current}; no upgrade needed",
            sim.state.cluster.name
        ));
    }
    let target = check_upgrade(sim, version)?;
    let name = sim.state.cluster.name.clone();
    if !approve {
        return Ok(format!(
            "(plan) would upgrade cluster \"{name}\" control plane from current version \"{current}\" to \"{target}\"\nno changes were applied, run again with '--approve' to apply the changes"
        ));
    }
    let id = start(sim, target, false);
    Ok(format!(
        "will upgrade cluster \"{name}\" control plane from current version \"{current}\" to \"{target}\" (update {id})\nan upgrade takes several minutes and cannot be paused; nodes and add-ons are upgraded separately"
    ))
}

/// Starts the update: new API server instances at the target version.
fn start(sim: &mut Simulation, target: KubernetesVersion, automatic: bool) -> String {
    let now = sim.now();
    let id = sim.rng.updates.uuid();
    let current = sim.state.cluster.version;
    sim.state.updates.push(Update::start(
        id.clone(),
        UpdateTarget::Cluster,
        UpdateType::VersionUpdate,
        vec![
            ("Version", target.to_string()),
            ("PlatformVersion", "eks.1".to_string()),
        ],
        PHASE_LAUNCH,
        now,
    ));
    sim.state.cluster.status = ClusterStatus::Updating;
    let zones: Vec<String> = sim
        .state
        .cluster
        .control_plane
        .iter()
        .filter(|i| i.role == ControlPlaneRole::ApiServer)
        .map(|i| i.zone.clone())
        .collect();
    let next = sim
        .state
        .cluster
        .control_plane
        .iter()
        .filter(|i| i.role == ControlPlaneRole::ApiServer)
        .count();
    for (k, zone) in zones.into_iter().enumerate() {
        sim.state.cluster.control_plane.push(ControlPlaneInstance {
            name: format!("kube-apiserver-{}", next + k + 1),
            role: ControlPlaneRole::ApiServer,
            zone,
            version: target,
            healthy: false,
        });
    }
    sim.state.touch();
    let how = if automatic {
        "automatic upgrade at the end of support: "
    } else {
        ""
    };
    let msg = format!(
        "{how}updating control plane from Kubernetes {current} to {target} (update {id}): launching new API server instances"
    );
    let obj = cluster_ref(sim);
    sim.record(EventType::Normal, reason::CLUSTER_UPDATING, obj, msg, "eks");
    let d = sim.rng.cluster.delay(LAUNCH_DELAY);
    sim.after(d, Timer::ControlPlaneUpdate(id.clone()));
    id
}

/// What the health checks find wrong, if anything.
fn health_check(sim: &Simulation) -> Option<UpdateError> {
    let c = &sim.state.cluster;
    if c.faults.contains(&Fault::SecurityGroupDeleted) {
        let sg = security_group_id(&c.name);
        return Some(UpdateError {
            code: ErrorCode::SecurityGroupNotFound,
            message: format!(
                "The security group {sg} associated with the cluster no longer exists"
            ),
            resource_ids: vec![sg],
        });
    }
    if c.faults.contains(&Fault::SubnetDeleted) {
        let id = sim
            .state
            .subnets
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        return Some(UpdateError {
            code: ErrorCode::SubnetNotFound,
            message: format!("The subnet ID {id} does not exist"),
            resource_ids: vec![id],
        });
    }
    if let Some(s) = sim
        .state
        .subnets
        .iter()
        .find(|s| s.free() < FREE_IPS_NEEDED)
    {
        return Some(UpdateError {
            code: ErrorCode::InsufficientFreeAddresses,
            message: format!(
                "One or more of the subnets associated with your cluster does not have enough available IP addresses: subnet {} ({}) has {} free; EKS needs up to {FREE_IPS_NEEDED}",
                s.id,
                s.zone,
                s.free()
            ),
            resource_ids: vec![s.id.clone()],
        });
    }
    None
}

/// The cluster security group's id, derived from the cluster name.
pub fn security_group_id(cluster: &str) -> String {
    format!(
        "sg-0{:016x}",
        crate::sim::digest::fnv1a64(format!("{cluster}/cluster-sg").as_bytes()) >> 4
    )
}

/// The next phase of update `id`.
pub(crate) fn fire(sim: &mut Simulation, id: &str) {
    let now = sim.now();
    let Some(pos) = sim
        .state
        .updates
        .iter()
        .position(|u| u.id == id && u.is_in_progress())
    else {
        return;
    };
    let phase = sim.state.updates[pos].current_phase();
    let Some(target) = sim.state.updates[pos]
        .param("Version")
        .and_then(|v| KubernetesVersion::parse(v).ok())
    else {
        return;
    };
    match phase {
        Some(PHASE_LAUNCH) => {
            sim.state.updates[pos].enter(PHASE_HEALTH, now);
            sim.state.touch();
            let d = sim.rng.cluster.delay(HEALTH_DELAY);
            sim.after(d, Timer::ControlPlaneUpdate(id.to_string()));
        }
        Some(PHASE_HEALTH) => {
            if let Some(err) = health_check(sim) {
                let msg = format!(
                    "control plane update {id} to {target}: health checks of the new API server instances failed ({}: {}); reverting to the previous version",
                    err.code.as_str(),
                    err.message
                );
                let u = &mut sim.state.updates[pos];
                u.errors.push(err);
                u.enter(PHASE_ROLLBACK, now);
                sim.state.touch();
                let obj = cluster_ref(sim);
                sim.record(
                    EventType::Warning,
                    reason::CLUSTER_UPDATE_FAILED,
                    obj,
                    msg,
                    "eks",
                );
                let d = sim.rng.cluster.delay(ROLLBACK_DELAY);
                sim.after(d, Timer::ControlPlaneUpdate(id.to_string()));
            } else {
                for i in &mut sim.state.cluster.control_plane {
                    if i.version == target {
                        i.healthy = true;
                    }
                }
                sim.state.updates[pos].enter(PHASE_REPLACE, now);
                sim.state.touch();
                let d = sim.rng.cluster.delay(REPLACE_DELAY);
                sim.after(d, Timer::ControlPlaneUpdate(id.to_string()));
            }
        }
        Some(PHASE_ROLLBACK) => {
            // The new instances go; the old ones never stopped serving.
            let old = sim.state.cluster.version;
            sim.state
                .cluster
                .control_plane
                .retain(|i| i.role == ControlPlaneRole::Etcd || i.version == old);
            sim.state.cluster.status = ClusterStatus::Active;
            sim.state.updates[pos].finish(UpdateStatus::Failed, now);
            sim.state.touch();
            let obj = cluster_ref(sim);
            let name = sim.state.cluster.name.clone();
            sim.record(
                EventType::Warning,
                reason::CLUSTER_UPDATE_FAILED,
                obj,
                format!(
                    "control plane update {id} Failed: cluster \"{name}\" stays on Kubernetes {old}; its nodes and workloads were not touched"
                ),
                "eks",
            );
        }
        Some(PHASE_REPLACE) => complete(sim, pos, target),
        _ => {}
    }
}

fn complete(sim: &mut Simulation, pos: usize, target: KubernetesVersion) {
    let now = sim.now();
    let old = sim.state.cluster.version;
    let c = &mut sim.state.cluster;
    c.control_plane
        .retain(|i| i.role == ControlPlaneRole::Etcd || i.version == target);
    // Renumber the API servers so the names stay kube-apiserver-1, -2.
    let mut k = 0;
    for i in &mut c.control_plane {
        if i.role == ControlPlaneRole::ApiServer {
            k += 1;
            i.name = format!("kube-apiserver-{k}");
        } else {
            i.version = target;
        }
    }
    c.version = target;
    c.platform_version = 1;
    c.status = ClusterStatus::Active;
    let id = sim.state.updates[pos].id.clone();
    sim.state.updates[pos].finish(UpdateStatus::Successful, now);
    sim.state.touch();
    let obj = cluster_ref(sim);
    sim.record(
        EventType::Normal,
        reason::CLUSTER_UPDATED,
        obj,
        format!(
            "control plane update {id} Successful: Kubernetes {old} -> {target} (platform version eks.1)"
        ),
        "eks",
    );
    warn_behind(sim);
}

/// After an upgrade: say which add-ons and node groups are now behind the control plane.
fn warn_behind(sim: &mut Simulation) {
    let v = sim.state.cluster.version;
    let addons: Vec<(AddonName, String, bool)> = sim
        .state
        .cluster
        .addons
        .values()
        .map(|a| (a.name, a.version.clone(), a.managed))
        .collect();
    for (name, installed, managed) in addons {
        if !addon_behind(name, &installed, v) {
            continue;
        }
        let latest = addon_default_version(name, v);
        let how = match (managed, name) {
            (true, _) => format!("eksctl update addon --name {}", name.as_str()),
            (false, AddonName::VpcCni) => "eksctl utils update-aws-node --approve".to_string(),
            (false, AddonName::KubeProxy) => "eksctl utils update-kube-proxy --approve".to_string(),
            (false, AddonName::CoreDns) => "eksctl utils update-coredns --approve".to_string(),
            (false, AddonName::MetricsServer) => "kubectl apply -f components.yaml".to_string(),
        };
        let compat = if addon_compatible(name, &installed, v) {
            "still compatible, but behind"
        } else {
            "not compatible"
        };
        let obj = ObjectRef::cluster_scoped(Kind::Addon, name.as_str());
        sim.record(
            EventType::Warning,
            reason::ADDON_BEHIND,
            obj,
            format!(
                "{} {installed} is {compat} with Kubernetes {v}: update it to {latest} ({how})",
                name.as_str()
            ),
            "eks",
        );
    }
    let behind: Vec<(String, KubernetesVersion)> = sim
        .state
        .nodegroups
        .values()
        .filter(|g| g.version < v)
        .map(|g| (g.name.clone(), g.version))
        .collect();
    for (name, ngv) in behind {
        let obj = ObjectRef::cluster_scoped(Kind::Nodegroup, name.clone());
        sim.record(
            EventType::Normal,
            reason::NODEGROUP_BEHIND,
            obj,
            format!(
                "nodegroup \"{name}\" runs kubelet {ngv}, {} minor(s) behind the control plane {v}; EKS does not upgrade nodes with the control plane",
                ngv.minors_behind(v)
            ),
            "eks",
        );
    }
}

/// Once a day of simulated time: the support calendar (eks-facts §5). With upgrade policy
/// STANDARD the control plane is upgraded at the end of standard support; otherwise it enters
/// extended support ($0.60/h, billed by `billing`) and is upgraded at its end. Nodes are not.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let day = sim.now().as_secs() / 86_400;
    if sim.controllers.support_day == Some(day) {
        return;
    }
    // Checked again every step until the cluster can act on it: a cluster still being created
    // (or updating) when the day begins gets the day's check once it is ACTIVE.
    if !sim.state.cluster.is_active() || in_progress(sim).is_some() {
        return;
    }
    sim.controllers.support_day = Some(day);
    let (version, support_type) = (sim.state.cluster.version, sim.state.cluster.support_type);
    let Some(info) = version_info(version) else {
        return;
    };
    let status = info.status_on(sim.date());
    let due = match status {
        SupportStatus::EndOfLife => true,
        SupportStatus::Extended => support_type == SupportType::Standard,
        _ => false,
    };
    let announced = sim.controllers.support_announced;
    if status == SupportStatus::Extended && !due && announced != Some(version) {
        sim.controllers.support_announced = Some(version);
        let msg = format!(
            "Kubernetes {version} left standard support on {}: the cluster is in extended support until {} and the control plane costs $0.60 per hour instead of $0.10 (upgrade policy EXTENDED)",
            info.end_of_standard, info.end_of_extended
        );
        let obj = cluster_ref(sim);
        sim.record(
            EventType::Warning,
            reason::EXTENDED_SUPPORT,
            obj,
            msg,
            "eks",
        );
    }
    if due && version_info(version.next()).is_some() {
        // EKS upgrades the control plane whatever the nodes run; the skew that leaves is the
        // learner's to fix.
        let target = version.next();
        start(sim, target, true);
    }
}

/// `ekslab inject-fault`.
pub(crate) fn inject_fault(sim: &mut Simulation, fault: Fault) -> String {
    sim.state.cluster.faults.insert(fault);
    sim.state.touch();
    let what = match fault {
        Fault::SecurityGroupDeleted => format!(
            "deleted the cluster security group {}",
            security_group_id(&sim.state.cluster.name)
        ),
        Fault::SubnetDeleted => format!(
            "deleted cluster subnet {}",
            sim.state
                .subnets
                .first()
                .map(|s| s.id.as_str())
                .unwrap_or_default()
        ),
    };
    let obj = cluster_ref(sim);
    sim.record(
        EventType::Warning,
        reason::FAULT_INJECTED,
        obj,
        format!("{what}: the next control plane update's health checks will fail"),
        "ekslab",
    );
    format!("fault injected: {what}")
}

/// `ekslab clear-faults`.
pub(crate) fn clear_faults(sim: &mut Simulation) -> String {
    let n = sim.state.cluster.faults.len();
    sim.state.cluster.faults.clear();
    sim.state.touch();
    format!("cleared {n} fault(s)")
}

/// How long the control plane update takes at most and at least (for the planner).
pub fn expected_duration() -> (SimDuration, SimDuration) {
    let lo = LAUNCH_DELAY.base + HEALTH_DELAY.base + REPLACE_DELAY.base;
    let hi = lo + LAUNCH_DELAY.jitter + HEALTH_DELAY.jitter + REPLACE_DELAY.jitter;
    (lo, hi)
}
