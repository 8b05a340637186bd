//! The VPA admission controller (kubernetes/autoscaler
//! `vertical-pod-autoscaler/pkg/admission-controller`): a mutating webhook that writes the
//! current recommendation into each new pod of a targeted Deployment, for every update mode
//! but Off (the VPA matcher skips Off VPAs).
//!
//! Requests become the target; limits keep their ratio to the requests unless the container
//! policy says `controlledValues: RequestsOnly` (upstream `GetProportionalLimit`). The pod is
//! annotated as upstream does: `vpaObservedContainers: web` and, when something changed,
//! `vpaUpdates: Pod resources updated by web: container 0: cpu request, memory request`
//! (upstream joins the resources in Go map order; the lab always writes cpu, then memory).
//! Without a Ready admission-controller pod the webhook is not called at all
//! (`failurePolicy: Ignore`), so pods keep their template's requests.

use super::{
    ADMISSION_CONTROLLER, apply_recommendation, component_ready, deployment_of, notes_mut,
    updater::mem_text,
};
use crate::sim::Simulation;
use crate::sim::api::Pod;
use crate::sim::api::vpa::UpdateMode;

/// The annotation naming the containers the admission controller saw.
pub const OBSERVED_CONTAINERS_ANNOTATION: &str = "vpaObservedContainers";
/// The annotation listing what the admission controller changed.
pub const UPDATES_ANNOTATION: &str = "vpaUpdates";

/// Applies the recommendation of the VPA targeting the pod's Deployment (called by the API
/// server's `create_pod`, before the Fargate webhook, so Fargate sizes the pod from the new
/// requests).
pub(crate) fn admit(sim: &mut Simulation, pod: &mut Pod) {
    if !sim.spec.settings.vertical_pod_autoscaler || !component_ready(sim, ADMISSION_CONTROLLER) {
        return;
    }
    let Some(deployment) = deployment_of(sim, pod) else {
        return;
    };
    let Some(vpa) = sim
        .state
        .vpas
        .values()
        .find(|v| {
            v.meta.namespace == deployment.namespace
                && v.spec.target_name == deployment.name
                && v.spec.update_mode != UpdateMode::Off
        })
        .cloned()
    else {
        return;
    };
    let before = pod.requests();
    let changes = apply_recommendation(&vpa, &mut pod.spec);
    let observed: Vec<&str> = pod
        .spec
        .containers
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    pod.meta.annotations.insert(
        OBSERVED_CONTAINERS_ANNOTATION.to_string(),
        observed.join(", "),
    );
    let line = if changes.is_empty() {
        format!(
            "admission: {} was created without changes (no recommendation for its containers yet)",
            pod.meta.name
        )
    } else {
        let what: Vec<String> = changes
            .iter()
            .map(|(i, words)| format!("container {i}: {}", words.join(", ")))
            .collect();
        pod.meta.annotations.insert(
            UPDATES_ANNOTATION.to_string(),
            format!(
                "Pod resources updated by {}: {}",
                vpa.meta.name,
                what.join("; ")
            ),
        );
        let after = pod.requests();
        format!(
            "admission: {} was created with {} CPU / {} memory requests (the template asks {} / {})",
            pod.meta.name,
            after.cpu,
            mem_text(after.memory.0),
            before.cpu,
            mem_text(before.memory.0)
        )
    };
    notes_mut(sim, &vpa.meta.key()).admission = Some(line);
}
