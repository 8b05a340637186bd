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
use crate::sim::catalog::versions::SupportStatus;
use crate::sim::catalog::{
    AddonName, KubernetesVersion, addon_behind, addon_compatible, addon_default_version,
    version_info,
};
use crate::sim::eks::version_update::{
    FREE_IPS_NEEDED, HEALTH_DELAY, LAUNCH_DELAY, PHASE_HEALTH, PHASE_LAUNCH, PHASE_REPLACE,
    PHASE_ROLLBACK, REPLACE_DELAY, ROLLBACK_DELAY, check_upgrade, in_progress,
};
use crate::sim::eks::vpc::security_group_id;
use crate::sim::eks::{
    ClusterStatus, ControlPlaneInstance, ControlPlaneRole, ErrorCode, Fault, SupportType, Update,
    UpdateError, UpdateStatus, UpdateTarget, UpdateType,
};
use crate::sim::event::{EventType, reason};
use crate::sim::{Simulation, Timer};

/// The control plane update controller's state.
#[derive(Debug, Clone, Default)]
pub struct ControlPlaneUpdateState {
    /// The simulated day the support calendar was last checked.
    pub support_day: Option<u64>,
    /// The version whose entry into extended support was announced.
    pub support_announced: Option<KubernetesVersion>,
}

fn cluster_ref(sim: &Simulation) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Cluster, sim.state.cluster.name.clone())
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
    if sim.controllers.control_plane_update.support_day == Some(day) {
        return;
    }
    // Checked again every step until the cluster can act on it: a cluster still being created
    // (or updating) when the day begins gets the day's check once it is ACTIVE.
    if !sim.state.cluster.is_active() || in_progress(sim).is_some() {
        return;
    }
    sim.controllers.control_plane_update.support_day = Some(day);
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
    let announced = sim.controllers.control_plane_update.support_announced;
    if status == SupportStatus::Extended && !due && announced != Some(version) {
        sim.controllers.control_plane_update.support_announced = Some(version);
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
