//! kubectl's changes to a Deployment's spec through the API server: the scale subresource,
//! `set resources`, `set image` and `rollout restart`. The HPA scales, the add-on updates set
//! images and EKS restarts rollouts the same way; the Deployment controller sees the new
//! generation on its turn.

use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::sim::command::ResourcePatch;

fn not_found(key: &ObjectKey) -> String {
    format!(
        "Error from server (NotFound): deployments.apps \"{}\" not found",
        key.name
    )
}

/// `kubectl scale deployment web --replicas=N`.
pub(crate) fn scale(
    sim: &mut Simulation,
    key: &ObjectKey,
    replicas: i32,
) -> Result<String, String> {
    // The scale subresource's validation (`ValidateScale`), then the lab's pod limit: every
    // path that scales (kubectl, the workloads buttons, the HPA) is bounded here too.
    crate::sim::api::bounds::nonnegative(replicas)
        .map_err(|e| format!("The Scale {:?} is invalid: spec.replicas: {e}", key.name))?;
    crate::limits::check::replicas(i128::from(replicas), format_args!("--replicas={replicas}"))
        .map_err(|e| format!("error: {e}"))?;
    let d = sim
        .state
        .deployments
        .get_mut(key)
        .ok_or_else(|| not_found(key))?;
    d.spec.replicas = replicas;
    d.meta.generation += 1;
    sim.state.touch();
    Ok(format!("deployment.apps/{} scaled", key.name))
}

/// `kubectl set resources deployment web --requests=cpu=500m,memory=256Mi`.
pub(crate) fn set_resources(
    sim: &mut Simulation,
    key: &ObjectKey,
    container: Option<&str>,
    requests: Option<ResourcePatch>,
    limits: Option<ResourcePatch>,
) -> Result<String, String> {
    let d = sim
        .state
        .deployments
        .get_mut(key)
        .ok_or_else(|| not_found(key))?;
    let mut touched = false;
    for c in &mut d.spec.template.spec.containers {
        if container.is_some_and(|n| n != c.name) {
            continue;
        }
        if let Some(r) = requests {
            r.apply_to(&mut c.requests);
        }
        if let Some(l) = limits {
            l.apply_to(&mut c.limits);
        }
        touched = true;
    }
    if !touched {
        return Err(format!(
            "error: unable to find container named \"{}\"",
            container.unwrap_or_default()
        ));
    }
    d.meta.generation += 1;
    sim.state.touch();
    Ok(format!(
        "deployment.apps/{} resource requirements updated",
        key.name
    ))
}

/// `kubectl set image deployment/web web=nginx:1.27`.
pub(crate) fn set_image(
    sim: &mut Simulation,
    key: &ObjectKey,
    container: &str,
    image: &str,
) -> Result<String, String> {
    let d = sim
        .state
        .deployments
        .get_mut(key)
        .ok_or_else(|| not_found(key))?;
    let Some(c) = d
        .spec
        .template
        .spec
        .containers
        .iter_mut()
        .find(|c| c.name == container || container == "*")
    else {
        return Err(format!(
            "error: unable to find container named \"{container}\""
        ));
    };
    c.image = image.to_string();
    d.meta.generation += 1;
    sim.state.touch();
    Ok(format!("deployment.apps/{} image updated", key.name))
}

/// `kubectl rollout restart deployment web`: a template annotation change rolls every pod.
pub(crate) fn rollout_restart(sim: &mut Simulation, key: &ObjectKey) -> Result<String, String> {
    let now = sim.now();
    let d = sim
        .state
        .deployments
        .get_mut(key)
        .ok_or_else(|| not_found(key))?;
    d.spec.template.annotations.insert(
        "kubectl.kubernetes.io/restartedAt".into(),
        format!("t+{now}"),
    );
    d.meta.generation += 1;
    sim.state.touch();
    Ok(format!("deployment.apps/{} restarted", key.name))
}
