//! The add-on steps: the EKS add-ons (vpc-cni, coredns, kube-proxy) in eks-facts §5's order,
//! then third-party ones (metrics-server, and the Cluster Autoscaler whose image tracks the
//! cluster's minor version, eks-facts §6.2), each with its installed version, the version EKS
//! ships for now and for the next minor, and whether it works there.

use super::{AddonPlan, Ctx, StepState, Who, actions};
use crate::sim::Simulation;
use crate::sim::api::{Kind, ObjectKey};
use crate::sim::catalog::{
    AddonName, KubernetesVersion, addon_behind, addon_compatible, addon_default_version,
    version_info,
};
use crate::sim::eks::{AddonStatus, addon_workload};

/// The Cluster Autoscaler's Deployment image and the minor it names, if installed.
pub(super) fn autoscaler_image(sim: &Simulation) -> Option<(String, Option<KubernetesVersion>)> {
    let d = sim
        .state()
        .deployments
        .get(&ObjectKey::new("kube-system", "cluster-autoscaler"))?;
    let image = d.spec.template.spec.containers.first()?.image.clone();
    let tag = image.rsplit(':').next().unwrap_or_default().to_string();
    let v = KubernetesVersion::parse(&tag).ok();
    Some((tag, v))
}

/// EKS add-ons first (vpc-cni, coredns, kube-proxy: eks-facts §5's order), then third-party
/// ones (metrics-server; the Cluster Autoscaler, whose image tracks the minor version).
pub(super) fn plans(ctx: &Ctx) -> Vec<AddonPlan> {
    let sim = ctx.sim;
    let installed = &sim.state().cluster.addons;
    let next_known = version_info(ctx.next).is_some();
    let mut out = Vec::new();
    for name in [
        AddonName::VpcCni,
        AddonName::CoreDns,
        AddonName::KubeProxy,
        AddonName::MetricsServer,
    ] {
        let Some(a) = installed.get(&name) else {
            continue;
        };
        let behind = addon_behind(name, &a.version, ctx.cp);
        let state = if a.status == AddonStatus::Updating {
            StepState::InProgress("rolling out".to_string())
        } else if behind || !addon_compatible(name, &a.version, ctx.cp) {
            StepState::Ready
        } else if ctx.cp < ctx.cycle && addon_behind(name, &a.version, ctx.cycle) {
            StepState::Later
        } else {
            StepState::Done
        };
        let how = actions::addon_command_text(&ctx.cluster, name, a.managed);
        let who = if a.managed {
            Who {
                you: format!("Start it: {how}"),
                aws: format!(
                    "EKS rolls the add-on's {} to the new image and reports an AddonUpdate",
                    match addon_workload(name).0 {
                        Kind::DaemonSet => "DaemonSet",
                        _ => "Deployment",
                    }
                ),
            }
        } else {
            Who {
                you: format!("Self-managed: {how} (eksctl patches the image; EKS is not involved)"),
                aws: "Nothing: EKS does not manage this add-on".to_string(),
            }
        };
        let action = (state == StepState::Ready)
            .then(|| actions::update_addon(&ctx.cluster, name, a.managed));
        out.push(AddonPlan {
            name: name.as_str().to_string(),
            managed: a.managed,
            third_party: name == AddonName::MetricsServer,
            installed: a.version.clone(),
            for_current: addon_default_version(name, ctx.cp).to_string(),
            for_target: next_known.then(|| addon_default_version(name, ctx.next).to_string()),
            compatible_now: addon_compatible(name, &a.version, ctx.cp),
            compatible_target: next_known.then(|| addon_compatible(name, &a.version, ctx.next)),
            state,
            who,
            action,
        });
    }
    if let Some((tag, v)) = autoscaler_image(sim) {
        let want = |k: KubernetesVersion| format!("v{k}.0");
        let behind = v.is_none_or(|v| v < ctx.cp);
        let state = if behind {
            StepState::Ready
        } else if ctx.cp < ctx.cycle {
            StepState::Later
        } else {
            StepState::Done
        };
        let action = behind.then(|| actions::set_autoscaler_image(&ctx.cluster, &want(ctx.cp)));
        // The CA's minor should match the cluster's (eks-facts §6.2); one minor apart works.
        let close = |k: KubernetesVersion| v.is_some_and(|v| v <= k && v.minors_behind(k) <= 1);
        out.push(AddonPlan {
            name: "cluster-autoscaler".to_string(),
            managed: false,
            third_party: true,
            installed: tag,
            for_current: want(ctx.cp),
            for_target: next_known.then(|| want(ctx.next)),
            compatible_now: close(ctx.cp),
            compatible_target: next_known.then(|| close(ctx.next)),
            state,
            who: Who {
                you: "Yours: kubectl set image deployment/cluster-autoscaler -n kube-system cluster-autoscaler=registry.k8s.io/autoscaling/cluster-autoscaler:vMINOR.0 (its minor tracks the cluster's)".to_string(),
                aws: "Nothing: the Cluster Autoscaler is a Deployment you installed".to_string(),
            },
            action,
        });
    }
    out
}
