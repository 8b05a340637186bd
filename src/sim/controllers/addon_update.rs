//! Add-on updates (eks-facts §5): EKS-managed add-ons through `eksctl update addon` /
//! `aws eks update-addon` (an `AddonUpdate`), self-managed ones through `eksctl utils
//! update-aws-node|update-kube-proxy|update-coredns`, and `eksctl create addon --force`, which
//! makes a self-managed add-on EKS-managed.
//!
//! An update changes the image of the add-on's workload (the aws-node and kube-proxy
//! DaemonSets roll node by node, CoreDNS's Deployment rolls within its PDB) and is done when
//! every pod runs the new image and is ready. Versions must be compatible with the cluster's
//! Kubernetes version, and the VPC CNI moves one minor version at a time.

use crate::sim::Simulation;
use crate::sim::api::{Kind, ObjectRef};
use crate::sim::catalog::{
    AddonName, addon_compatible, addon_default_version, addon_minor, addon_skips_minor,
};
use crate::sim::eks::{AddonStatus, Update, UpdateStatus, UpdateTarget, UpdateType};
use crate::sim::eks::{addon_image as image, addon_workload as workload};
use crate::sim::event::{EventType, reason};

/// The add-on update controller's state.
#[derive(Debug, Clone, Default)]
pub struct AddonUpdateState {
    /// Rollouts in progress.
    pub ops: Vec<AddonUpdateOp>,
}

/// An add-on rollout in progress.
#[derive(Debug, Clone)]
pub struct AddonUpdateOp {
    /// The EKS update (None for a self-managed add-on, which EKS knows nothing about).
    pub update_id: Option<String>,
    pub addon: AddonName,
    pub version: String,
}

fn addon_ref(name: AddonName) -> ObjectRef {
    ObjectRef::cluster_scoped(Kind::Addon, name.as_str())
}

/// The catalog's build of the VPC CNI for a minor version (eks-facts §5 table).
fn vpc_cni_build(minor: u32) -> String {
    match minor {
        18 => "v1.18.5-eksbuild.1".to_string(),
        19 => "v1.19.0-eksbuild.1".to_string(),
        20 => "v1.20.1-eksbuild.3".to_string(),
        m => format!("v1.{m}.0-eksbuild.1"),
    }
}

fn self_managed_command(name: AddonName) -> &'static str {
    match name {
        AddonName::VpcCni => "eksctl utils update-aws-node --approve",
        AddonName::KubeProxy => "eksctl utils update-kube-proxy --approve",
        AddonName::CoreDns => "eksctl utils update-coredns --approve",
        AddonName::MetricsServer => "kubectl apply -f metrics-server's components.yaml",
    }
}

/// The update running on an add-on, if any.
pub fn in_progress(sim: &Simulation, name: AddonName) -> Option<&AddonUpdateOp> {
    sim.controllers
        .addon_update
        .ops
        .iter()
        .find(|o| o.addon == name)
}

/// The checks shared by both kinds of update; `Ok(None)` means nothing to do.
fn check_target(
    sim: &Simulation,
    name: AddonName,
    version: Option<&str>,
) -> Result<Option<String>, String> {
    let v = sim.state.cluster.version;
    let Some(addon) = sim.state.cluster.addons.get(&name) else {
        return Err(format!(
            "Error: addon {} not found in cluster \"{}\"",
            name.as_str(),
            sim.state.cluster.name
        ));
    };
    if in_progress(sim, name).is_some() {
        return Err(format!(
            "Error: ResourceInUseException: an update of addon {} is already in progress",
            name.as_str()
        ));
    }
    // eksctl keeps the installed version unless told `--version=latest` or a version.
    let target = match version {
        None => addon.version.clone(),
        Some("latest" | "default") => addon_default_version(name, v).to_string(),
        Some(t) => t.to_string(),
    };
    if addon_minor(&target).is_none() {
        return Err(format!(
            "Error: InvalidParameterException: {target:?} is not a version of {} (expected e.g. {})",
            name.as_str(),
            addon_default_version(name, v)
        ));
    }
    if !addon_compatible(name, &target, v) {
        return Err(format!(
            "Error: InvalidParameterException: Addon version {target} of {} is not compatible with Kubernetes {v}; the version for {v} is {}",
            name.as_str(),
            addon_default_version(name, v)
        ));
    }
    if let Some(next) = addon_skips_minor(name, &addon.version, &target) {
        return Err(format!(
            "Error: updating {} from {} to {target} skips a minor version: the VPC CNI is updated one minor version at a time; update to {} first",
            name.as_str(),
            addon.version,
            vpc_cni_build(next)
        ));
    }
    if target == addon.version {
        return Ok(None);
    }
    Ok(Some(target))
}

/// `eksctl update addon --name NAME [--version V]`.
pub(crate) fn update_addon(
    sim: &mut Simulation,
    name: AddonName,
    version: Option<&str>,
) -> Result<String, String> {
    if let Some(a) = sim.state.cluster.addons.get(&name)
        && !a.managed
    {
        return Err(format!(
            "Error: addon {} is self-managed in cluster \"{}\" (installed by eksctl without a config file): EKS does not manage it. Update it with `{}`, or make it EKS-managed with `eksctl create addon --name {} --force`",
            name.as_str(),
            sim.state.cluster.name,
            self_managed_command(name),
            name.as_str()
        ));
    }
    let Some(target) = check_target(sim, name, version)? else {
        let cur = sim.state.cluster.addons[&name].version.clone();
        return Ok(format!(
            "addon {} is already at version {cur}",
            name.as_str()
        ));
    };
    let now = sim.now();
    let id = sim.rng.updates.uuid();
    sim.state.updates.push(Update::start(
        id.clone(),
        UpdateTarget::Addon(name.as_str().to_string()),
        UpdateType::AddonUpdate,
        vec![("AddonVersion", target.clone())],
        "RollOut",
        now,
    ));
    start(sim, name, &target, Some(id));
    Ok(format!("updating addon {} to {target}", name.as_str()))
}

/// `eksctl utils update-kube-proxy|update-coredns|update-aws-node [--approve]`.
pub(crate) fn update_self_managed(
    sim: &mut Simulation,
    name: AddonName,
    approve: bool,
) -> Result<String, String> {
    if let Some(a) = sim.state.cluster.addons.get(&name)
        && a.managed
    {
        return Err(format!(
            "Error: {} is an EKS-managed add-on in this cluster: update it with `eksctl update addon --name {}`",
            name.as_str(),
            name.as_str()
        ));
    }
    let Some(target) = check_target(sim, name, Some("latest"))? else {
        return Ok(format!("\"{}\" is already up-to-date", name.as_str()));
    };
    let cur = sim.state.cluster.addons[&name].version.clone();
    if !approve {
        return Ok(format!(
            "(plan) \"{}\" is currently set to \"{}\"\n(plan) \"{}\" will be updated to \"{}\"\nno changes were applied, run again with '--approve' to apply the changes",
            name.as_str(),
            image(name, &cur),
            name.as_str(),
            image(name, &target)
        ));
    }
    start(sim, name, &target, None);
    Ok(format!(
        "\"{}\" is now set to \"{}\"",
        name.as_str(),
        image(name, &target)
    ))
}

/// `eksctl create addon --name NAME [--version V] [--force]`.
pub(crate) fn create_addon(
    sim: &mut Simulation,
    name: AddonName,
    version: Option<&str>,
    force: bool,
) -> Result<String, String> {
    let Some(a) = sim.state.cluster.addons.get(&name) else {
        return Err(format!(
            "Error: the lab installs {} from the cluster config's addons list; it cannot be created later",
            name.as_str()
        ));
    };
    if a.managed {
        return Err(format!(
            "Error: addon {} already exists in cluster \"{}\"",
            name.as_str(),
            sim.state.cluster.name
        ));
    }
    if !force {
        let (kind, key) = workload(name);
        return Err(format!(
            "Error: creating addon: ConfigurationConflict: Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts: {}.apps {} - .spec.template.spec.containers[name=\"{}\"].image (use --force to overwrite the self-managed configuration)",
            kind.as_str(),
            key.name,
            key.name
        ));
    }
    if let Some(a) = sim.state.cluster.addons.get_mut(&name) {
        a.managed = true;
    }
    sim.state.touch();
    let cur = sim.state.cluster.addons[&name].version.clone();
    sim.record(
        EventType::Normal,
        reason::ADDON_ACTIVE,
        addon_ref(name),
        format!(
            "add-on {} {cur} is now EKS-managed (self-managed configuration overwritten)",
            name.as_str()
        ),
        "eks",
    );
    let mut out = format!(
        "creating addon {}: the self-managed {} is now an EKS-managed add-on",
        name.as_str(),
        name.as_str()
    );
    if version.is_some_and(|v| v != cur) {
        out.push('\n');
        out.push_str(&update_addon(sim, name, version)?);
    }
    Ok(out)
}

fn start(sim: &mut Simulation, name: AddonName, target: &str, update_id: Option<String>) {
    let img = image(name, target);
    let (kind, key) = workload(name);
    match kind {
        Kind::DaemonSet => {
            if let Some(ds) = sim.state.daemonsets.get_mut(&key)
                && let Some(c) = ds.template.spec.containers.first_mut()
            {
                c.image.clone_from(&img);
            }
        }
        _ => {
            let _ = crate::sim::api_server::patch::set_image(sim, &key, "*", &img);
        }
    }
    if let Some(a) = sim.state.cluster.addons.get_mut(&name) {
        a.status = AddonStatus::Updating;
    }
    sim.state.touch();
    let from = sim.state.cluster.addons[&name].version.clone();
    sim.record(
        EventType::Normal,
        reason::ADDON_UPDATING,
        addon_ref(name),
        format!(
            "updating {} {from} -> {target}: rolling {} {}",
            name.as_str(),
            kind.as_str(),
            key.name
        ),
        if update_id.is_some() { "eks" } else { "eksctl" },
    );
    sim.controllers.addon_update.ops.push(AddonUpdateOp {
        update_id,
        addon: name,
        version: target.to_string(),
    });
}

/// Every rollout: done when each pod of the workload runs the new image and is ready.
pub(crate) fn reconcile(sim: &mut Simulation) {
    if sim.controllers.addon_update.ops.is_empty() {
        return;
    }
    let ops = sim.controllers.addon_update.ops.clone();
    for op in ops {
        if !rolled_out(sim, &op) {
            continue;
        }
        let now = sim.now();
        sim.controllers
            .addon_update
            .ops
            .retain(|o| o.addon != op.addon);
        let from = sim
            .state
            .cluster
            .addons
            .get(&op.addon)
            .map(|a| a.version.clone())
            .unwrap_or_default();
        if let Some(a) = sim.state.cluster.addons.get_mut(&op.addon) {
            a.version.clone_from(&op.version);
            a.status = AddonStatus::Active;
        }
        if let Some(id) = &op.update_id
            && let Some(u) = sim.state.updates.iter_mut().find(|u| &u.id == id)
        {
            u.finish(UpdateStatus::Successful, now);
        }
        sim.state.touch();
        sim.record(
            EventType::Normal,
            reason::ADDON_UPDATED,
            addon_ref(op.addon),
            format!("{} updated {from} -> {}", op.addon.as_str(), op.version),
            if op.update_id.is_some() {
                "eks"
            } else {
                "eksctl"
            },
        );
    }
}

fn rolled_out(sim: &Simulation, op: &AddonUpdateOp) -> bool {
    let img = image(op.addon, &op.version);
    let (kind, key) = workload(op.addon);
    let expected = match kind {
        Kind::DaemonSet => sim
            .state
            .daemonsets
            .get(&key)
            .map_or(0, |d| d.desired_number_scheduled),
        _ => sim
            .state
            .deployments
            .get(&key)
            .map_or(0, |d| d.spec.replicas),
    };
    let owned_by = |p: &crate::sim::api::Pod| match kind {
        Kind::DaemonSet => p
            .meta
            .owner
            .as_ref()
            .is_some_and(|o| o.kind == Kind::DaemonSet && o.name == key.name),
        _ => p.meta.owner.as_ref().is_some_and(|o| {
            o.kind == Kind::ReplicaSet && o.name.starts_with(&format!("{}-", key.name))
        }),
    };
    let pods: Vec<&crate::sim::api::Pod> = sim
        .state
        .pods
        .values()
        .filter(|p| p.meta.namespace == key.namespace && owned_by(p))
        .collect();
    let current = pods
        .iter()
        .filter(|p| {
            !p.is_terminating() && p.spec.containers.first().is_some_and(|c| c.image == img)
        })
        .filter(|p| p.is_ready())
        .count() as u64;
    let stale = pods
        .iter()
        .any(|p| p.spec.containers.first().is_some_and(|c| c.image != img));
    current >= crate::sim::api::count(expected) && !stale
}
