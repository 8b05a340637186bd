//! The mutating admission webhooks the API server calls before it stores a new pod. EKS's
//! Fargate profile webhook is here; the VPA's admission controller still lives with the VPA,
//! whose recommendations and notes it shares.

use crate::sim::Simulation;
use crate::sim::api::{Kind, Pod};
use crate::sim::eks::FargateProfileStatus;
use crate::sim::eks::fargate_profile::{COMPUTE_TYPE, FARGATE_SCHEDULER, PROFILE_LABEL};

/// The Fargate admission webhook: a pod that matches an ACTIVE profile (the first by name, or
/// the one its label pins) is handed to `fargate-scheduler`.
pub(crate) fn fargate_profile(sim: &Simulation, pod: &mut Pod) {
    if pod.spec.node_name.is_some()
        || pod
            .meta
            .owner
            .as_ref()
            .is_some_and(|o| o.kind == Kind::DaemonSet)
    {
        return;
    }
    if pod.meta.annotations.get(COMPUTE_TYPE).map(String::as_str) == Some("ec2") {
        return;
    }
    let pinned = pod.meta.labels.get(PROFILE_LABEL).cloned();
    let profile = sim
        .state
        .fargate_profiles
        .values()
        .filter(|p| pinned.as_ref().is_none_or(|name| &p.name == name))
        .find(|p| {
            p.status == FargateProfileStatus::Active
                && p.matches(&pod.meta.namespace, &pod.meta.labels)
        });
    if let Some(p) = profile {
        pod.spec.scheduler_name = FARGATE_SCHEDULER.to_string();
        pod.meta
            .labels
            .insert(PROFILE_LABEL.to_string(), p.name.clone());
    }
}
