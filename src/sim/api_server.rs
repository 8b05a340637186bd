//! The API server, the store's write path: apply, create and delete objects, admission
//! (including the Fargate mutating webhook), graceful pod deletion and the eviction subresource
//! with PDB checks. It is not a controller: controllers write through it.

use crate::sim::api::status::StatusError;
use crate::sim::api::validation::validate_manifest;
use crate::sim::api::{Kind, ObjectKey, ObjectMeta, ObjectRef, Pod, PodConditionType, PodPhase};
use crate::sim::billing::CostComponent;
use crate::sim::catalog::prices;
use crate::sim::event::{EventType, reason};
use crate::sim::spec::Manifest;
use crate::sim::{Simulation, Timer};

pub mod admission;
pub mod patch;
pub mod watch;

/// The file kubectl names in its errors for `kubectl apply -f -`: how the lab's console,
/// forms and timeline apply manifests (kubectl's `FilenameOptions` reads `-` as `STDIN`).
pub(crate) const APPLY_SOURCE: &str = "STDIN";

fn connected(sim: &Simulation) -> Result<(), String> {
    if sim.state.cluster.is_active() {
        return Ok(());
    }
    Err(format!(
        "Unable to connect to the server: cluster \"{}\" is not ACTIVE yet (status {})",
        sim.state.cluster.name,
        sim.state.cluster.status.as_str()
    ))
}

/// What the API server checks before it stores a new or changed object: the namespace
/// exists (the NamespaceLifecycle admission plugin, which runs before validation), then the
/// kind's validation (`sim::api::validation`).
fn admit(sim: &Simulation, m: &Manifest) -> Result<(), StatusError> {
    let ns = m.namespace();
    if !ns.is_empty() && !sim.state.namespaces.contains_key(ns) {
        return Err(StatusError::namespace_not_found(ns));
    }
    let errs = validate_manifest(m);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(StatusError::invalid(m.kind(), m.name(), errs))
    }
}

/// `kubectl create deployment|namespace` and `kubectl autoscale`: like `apply`, but an
/// object that exists already is `AlreadyExists`. kubectl prints the server's errors
/// (`Error from server (AlreadyExists): namespaces "batch" already exists`, `The Namespace
/// "Batch_NS" is invalid: ...`), except that `create deployment` wraps them in
/// `error: failed to create deployment: ...` (kubectl `pkg/cmd/create/create_deployment.go`).
pub(crate) fn create(sim: &mut Simulation, m: Manifest) -> Result<String, String> {
    connected(sim)?;
    let kind = m.kind();
    // `kubectl autoscale` reads its target first (kubectl `pkg/cmd/autoscale`).
    if let Manifest::HorizontalPodAutoscaler(h) = &m {
        let target = ObjectKey::new(h.meta.namespace.clone(), h.spec.target_name.clone());
        if !sim.state.deployments.contains_key(&target) {
            return Err(StatusError::not_found(Kind::Deployment, &target.name).kubectl());
        }
    }
    let exists = match &m {
        Manifest::Namespace(n) => sim.state.namespaces.contains_key(&n.meta.name),
        Manifest::Deployment(d) => sim.state.deployments.contains_key(&d.meta.key()),
        Manifest::DaemonSet(d) => sim.state.daemonsets.contains_key(&d.meta.key()),
        Manifest::Job(j) => sim.state.jobs.contains_key(&j.meta.key()),
        Manifest::PodDisruptionBudget(p) => sim.state.pdbs.contains_key(&p.meta.key()),
        Manifest::Pod(p) => sim.state.pods.contains_key(&p.meta.key()),
        Manifest::HorizontalPodAutoscaler(h) => sim.state.hpas.contains_key(&h.meta.key()),
        Manifest::VerticalPodAutoscaler(v) => sim.state.vpas.contains_key(&v.meta.key()),
    };
    let checked = admit(sim, &m).and_then(|()| {
        if exists {
            Err(StatusError::already_exists(kind, m.name()))
        } else {
            Ok(())
        }
    });
    match checked {
        Ok(()) => {
            crate::sim::api::bounds::validate(&m)?;
            store(sim, m)
        }
        Err(e) => Err(e.kubectl_create(kind)),
    }
}

/// `kubectl apply -f -`: creates or updates an object; the message is kubectl's.
pub(crate) fn apply(sim: &mut Simulation, m: Manifest) -> Result<String, String> {
    connected(sim)?;
    if let Err(e) = admit(sim, &m) {
        return Err(e.with_source("creating", APPLY_SOURCE).kubectl());
    }
    // The numbers' rules and the lab's limits (after names and namespaces, as the API
    // server's validation would list them).
    crate::sim::api::bounds::validate(&m)?;
    store(sim, m)
}

/// Stores an admitted object: `created`, `configured` or `unchanged`, as kubectl says.
fn store(sim: &mut Simulation, m: Manifest) -> Result<String, String> {
    let now = sim.now();
    match m {
        Manifest::Namespace(mut n) => {
            if sim.state.namespaces.contains_key(&n.meta.name) {
                return Ok(format!("namespace/{} unchanged", n.meta.name));
            }
            let name = n.meta.name.clone();
            n.meta.creation_timestamp = now;
            n.meta.uid = sim.uid();
            sim.state.namespaces.insert(name.clone(), n);
            sim.state.touch();
            Ok(format!("namespace/{name} created"))
        }
        Manifest::Deployment(mut d) => {
            let key = d.meta.key();
            if let Some(existing) = sim.state.deployments.get_mut(&key) {
                if existing.spec == d.spec {
                    return Ok(format!("deployment.apps/{} unchanged", key.name));
                }
                existing.spec = d.spec;
                existing.meta.generation += 1;
                sim.state.touch();
                return Ok(format!("deployment.apps/{} configured", key.name));
            }
            init_meta(sim, &mut d.meta);
            sim.state.deployments.insert(key.clone(), d);
            sim.state.touch();
            Ok(format!("deployment.apps/{} created", key.name))
        }
        Manifest::DaemonSet(mut d) => {
            let key = d.meta.key();
            if let Some(existing) = sim.state.daemonsets.get_mut(&key) {
                if existing.template == d.template {
                    return Ok(format!("daemonset.apps/{} unchanged", key.name));
                }
                existing.template = d.template;
                existing.meta.generation += 1;
                sim.state.touch();
                return Ok(format!("daemonset.apps/{} configured", key.name));
            }
            init_meta(sim, &mut d.meta);
            sim.state.daemonsets.insert(key.clone(), d);
            sim.state.touch();
            Ok(format!("daemonset.apps/{} created", key.name))
        }
        Manifest::Job(mut j) => {
            let key = j.meta.key();
            if let Some(existing) = sim.state.jobs.get(&key) {
                if existing.spec == j.spec {
                    return Ok(format!("job.batch/{} unchanged", key.name));
                }
                return Err(format!(
                    "The Job \"{}\" is invalid: spec.template: Invalid value: field is immutable",
                    key.name
                ));
            }
            init_meta(sim, &mut j.meta);
            j.status.start_time = Some(now);
            sim.state.jobs.insert(key.clone(), j);
            sim.state.touch();
            Ok(format!("job.batch/{} created", key.name))
        }
        Manifest::PodDisruptionBudget(mut p) => {
            let key = p.meta.key();
            if let Some(existing) = sim.state.pdbs.get_mut(&key) {
                if existing.spec == p.spec {
                    return Ok(format!("poddisruptionbudget.policy/{} unchanged", key.name));
                }
                existing.spec = p.spec;
                sim.state.touch();
                return Ok(format!(
                    "poddisruptionbudget.policy/{} configured",
                    key.name
                ));
            }
            init_meta(sim, &mut p.meta);
            sim.state.pdbs.insert(key.clone(), p);
            sim.state.touch();
            Ok(format!("poddisruptionbudget.policy/{} created", key.name))
        }
        Manifest::Pod(p) => {
            let key = p.meta.key();
            if sim.state.pods.contains_key(&key) {
                return Ok(format!("pod/{} unchanged", key.name));
            }
            create_pod(sim, p).map_err(|e| {
                format!("Error from server (Forbidden): error when creating \"STDIN\": {e}")
            })?;
            Ok(format!("pod/{} created", key.name))
        }
        Manifest::HorizontalPodAutoscaler(mut h) => {
            let key = h.meta.key();
            if let Some(existing) = sim.state.hpas.get_mut(&key) {
                if existing.spec == h.spec {
                    return Ok(format!(
                        "horizontalpodautoscaler.autoscaling/{} unchanged",
                        key.name
                    ));
                }
                existing.spec = h.spec;
                existing.meta.generation += 1;
                sim.state.touch();
                return Ok(format!(
                    "horizontalpodautoscaler.autoscaling/{} configured",
                    key.name
                ));
            }
            init_meta(sim, &mut h.meta);
            sim.state.hpas.insert(key.clone(), h);
            sim.state.touch();
            Ok(format!(
                "horizontalpodautoscaler.autoscaling/{} created",
                key.name
            ))
        }
        Manifest::VerticalPodAutoscaler(mut v) => {
            let key = v.meta.key();
            if let Some(existing) = sim.state.vpas.get_mut(&key) {
                if existing.spec == v.spec {
                    return Ok(format!(
                        "verticalpodautoscaler.autoscaling.k8s.io/{} unchanged",
                        key.name
                    ));
                }
                existing.spec = v.spec;
                existing.meta.generation += 1;
                sim.state.touch();
                return Ok(format!(
                    "verticalpodautoscaler.autoscaling.k8s.io/{} configured",
                    key.name
                ));
            }
            init_meta(sim, &mut v.meta);
            sim.state.vpas.insert(key.clone(), v);
            sim.state.touch();
            Ok(format!(
                "verticalpodautoscaler.autoscaling.k8s.io/{} created",
                key.name
            ))
        }
    }
}

fn init_meta(sim: &mut Simulation, meta: &mut ObjectMeta) {
    meta.uid = sim.uid();
    meta.creation_timestamp = sim.now();
    meta.generation = 1;
}

/// A pod name from `generateName` (`web-7d4b9c-`): the owner's name and a dash, cut to 58
/// characters, and five random characters, drawn again while a pod of that name exists (the API server retries a
/// colliding generated name, KEP-4420), so ten thousand pods never overwrite one another.
pub(crate) fn generate_name(sim: &mut Simulation, namespace: &str, owner: &str) -> String {
    let base = format!("{owner}-");
    loop {
        let suffix = sim.rng.names.k8s_suffix(5);
        let name = crate::sim::api::validation::generate_name(&base, &suffix);
        if !sim
            .state
            .pods
            .contains_key(&ObjectKey::new(namespace, name.as_str()))
        {
            return name;
        }
    }
}

/// The refusal of a pod beyond the lab's limit (`limits::MAX_PODS`), worded as the API
/// server words a ResourceQuota's (`pods "web-1" is forbidden: exceeded quota: ...`).
pub(crate) fn pod_limit_error(name: &str) -> String {
    format!(
        "pods \"{name}\" is forbidden: exceeded the lab's limit of {} pods",
        crate::limits::MAX_PODS
    )
}

/// Admits and stores a new pod: the lab's pod limit, the VPA and Fargate webhooks, then the
/// scheduler queue. Beyond the limit the pod is refused, as a ResourceQuota refuses it.
pub(crate) fn create_pod(sim: &mut Simulation, mut pod: Pod) -> Result<ObjectKey, String> {
    if sim.state.pods.len() >= crate::limits::MAX_PODS as usize {
        return Err(pod_limit_error(&pod.meta.name));
    }
    init_meta(sim, &mut pod.meta);
    if pod.spec.scheduler_name.is_empty() {
        pod.spec.scheduler_name = crate::sim::api::pod::DEFAULT_SCHEDULER.to_string();
    }
    crate::sim::controllers::vertical_pod_autoscaler::admission::admit(sim, &mut pod);
    admission::fargate_profile(sim, &mut pod);
    let key = pod.meta.key();
    let uid = pod.meta.uid;
    let scheduler_name = pod.spec.scheduler_name.clone();
    let preassigned = pod.spec.node_name.is_some();
    sim.state.pods.insert(key.clone(), pod);
    sim.state.touch();
    if preassigned {
        sim.watch.scheduler_cache.insert(key.clone());
        sim.watch.kubelet.add(uid, &key);
    } else if scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER {
        sim.watch.fargate.add(uid, &key);
    } else {
        sim.watch.scheduler.add(uid, &key);
    }
    Ok(key)
}

/// Records what a workload controller's pod creation came to: `SuccessfulCreate`, or
/// `FailedCreate` with `Error creating: ...` (upstream `controller_utils.go`). A failure is
/// recorded once until a creation for the same owner succeeds again, as the event recorder
/// folds repeats into one event. Returns whether the pod was created.
pub(crate) fn record_creation(
    sim: &mut Simulation,
    owner: ObjectRef,
    name: &str,
    result: Result<ObjectKey, String>,
    source: &'static str,
) -> bool {
    match result {
        Ok(_) => {
            sim.controllers.create_failed.remove(&owner);
            sim.record(
                EventType::Normal,
                reason::SUCCESSFUL_CREATE,
                owner,
                format!("Created pod: {name}"),
                source,
            );
            true
        }
        Err(e) => {
            if sim.controllers.create_failed.insert(owner.clone()) {
                sim.record(
                    EventType::Warning,
                    reason::FAILED_CREATE,
                    owner,
                    format!("Error creating: {e}"),
                    source,
                );
            }
            false
        }
    }
}

/// Starts graceful deletion: unbound pods go at once; bound ones get `Killing` and leave
/// after their containers stop (bounded by the grace period).
pub(crate) fn delete_pod(sim: &mut Simulation, key: &ObjectKey) {
    let now = sim.now();
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return;
    };
    if pod.is_terminating() {
        return;
    }
    pod.meta.deletion_timestamp = Some(now);
    let uid = pod.meta.uid;
    let bound_running = pod.spec.node_name.is_some() && pod.status.phase == PodPhase::Running;
    let containers: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
    let grace = pod.spec.termination_grace_period_secs;
    sim.state.touch();
    if bound_running {
        for c in containers {
            sim.record(
                EventType::Normal,
                reason::KILLING,
                pod_ref(key),
                format!("Stopping container {c}"),
                "kubelet",
            );
        }
        // Most containers exit within a few seconds of SIGTERM; never beyond the grace period.
        let stop = sim
            .rng
            .kubelet
            .between(1000, 4000)
            .min(grace.max(1).saturating_mul(1000));
        sim.after(
            crate::sim::clock::SimDuration(stop),
            Timer::PodTerminated {
                key: key.clone(),
                uid,
            },
        );
    } else {
        remove_pod(sim, key);
    }
}

/// Removes a pod if it is still the one a timer was set for.
pub(crate) fn remove_pod_if(sim: &mut Simulation, key: &ObjectKey, uid: u64) {
    if sim.state.pods.get(key).is_some_and(|p| p.meta.uid == uid) {
        remove_pod(sim, key);
    }
}

/// Final removal from the store: frees the pod IP and, on Fargate, the pod's own node and
/// its billing (one-minute minimum, eks-facts §1.2).
pub(crate) fn remove_pod(sim: &mut Simulation, key: &ObjectKey) {
    let Some(pod) = sim.state.pods.remove(key) else {
        return;
    };
    sim.state.touch();
    sim.watch.capacity_revision += 1;
    sim.watch.scheduler.delete(key);
    sim.watch.kubelet.delete(key);
    sim.watch.fargate.delete(key);
    crate::sim::controllers::fargate::forget(sim, key);
    if let (Some(ip), Some(node)) = (&pod.status.pod_ip, &pod.spec.node_name)
        && !pod.spec.host_network
    {
        crate::sim::vpc_cni::release_pod_ip(sim, node, ip);
    }
    if let (Some(size), Some(start)) = (pod.lab.fargate_size, pod.lab.billing_start) {
        let billed = sim.now().saturating_sub(start).as_secs();
        if billed < prices::FARGATE_MINIMUM_BILLED_SECS {
            let rate = prices::fargate_rate(size.cpu.0, size.memory_mib);
            sim.billing.charge(
                CostComponent::Fargate,
                rate,
                prices::FARGATE_MINIMUM_BILLED_SECS - billed,
            );
        }
    }
    if pod.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER
        && let Some(node) = &pod.spec.node_name
    {
        remove_fargate_node(sim, node);
    }
}

/// The pods/binding subresource: sets `spec.nodeName` and the PodScheduled condition, records
/// `Scheduled` for `scheduler` and hands the pod to its node's kubelet. False if the pod is gone.
pub(crate) fn bind(
    sim: &mut Simulation,
    key: &ObjectKey,
    node_name: &str,
    scheduler: &'static str,
) -> bool {
    let now = sim.now();
    let Some(pod) = sim.state.pods.get_mut(key) else {
        return false;
    };
    pod.spec.node_name = Some(node_name.to_string());
    pod.set_condition(PodConditionType::PodScheduled, true, "", "", now);
    let uid = pod.meta.uid;
    sim.state.touch();
    let msg = format!(
        "Successfully assigned {}/{} to {}",
        key.namespace, key.name, node_name
    );
    sim.record(
        EventType::Normal,
        reason::SCHEDULED,
        ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone()),
        msg,
        scheduler,
    );
    sim.watch.kubelet.add(uid, key);
    sim.watch.scheduler_cache.insert(key.clone());
    true
}

/// The Node object goes (its instance is gone): the pod garbage collector force-deletes the
/// pods bound to it, and their controllers make replacements.
pub(crate) fn delete_node(sim: &mut Simulation, name: &str) {
    if sim.state.nodes.remove(name).is_none() {
        return;
    }
    sim.state.touch();
    sim.watch.capacity_revision += 1;
    let obj = ObjectRef::cluster_scoped(Kind::Node, name.to_string());
    sim.record(
        EventType::Normal,
        reason::REMOVING_NODE,
        obj,
        format!("Node {name} event: Removing Node {name} from Controller"),
        "node-controller",
    );
    let pods: Vec<ObjectKey> = sim
        .state
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(name))
        .map(|p| p.meta.key())
        .collect();
    for k in pods {
        remove_pod(sim, &k);
    }
}

/// A Fargate pod is gone: so is its node, and its address goes back to the subnet.
fn remove_fargate_node(sim: &mut Simulation, node: &str) {
    let Some(n) = sim.state.nodes.remove(node) else {
        return;
    };
    if let Some(si) = sim.state.subnet_index(&n.zone) {
        sim.state.subnets[si].release(&n.status.internal_ip);
    }
    sim.state.touch();
}

/// Why an eviction was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvictionError {
    /// HTTP 429 from the eviction subresource.
    DisruptionBudget {
        pdb: String,
    },
    NotFound,
}

impl std::fmt::Display for EvictionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvictionError::DisruptionBudget { .. } => {
                write!(
                    f,
                    "Cannot evict pod as it would violate the pod's disruption budget."
                )
            }
            EvictionError::NotFound => write!(f, "pods not found"),
        }
    }
}

/// The eviction subresource: refuses when a matching PDB allows no disruption, otherwise
/// takes one disruption from every matching PDB and starts graceful deletion.
pub(crate) fn evict(sim: &mut Simulation, key: &ObjectKey) -> Result<(), EvictionError> {
    let now = sim.now();
    let pod = sim.state.pods.get(key).ok_or(EvictionError::NotFound)?;
    if pod.is_terminating() {
        return Ok(());
    }
    // Pending and finished pods are not guarded by budgets (upstream `canIgnorePDB`).
    let guarded = pod.status.phase == PodPhase::Running;
    let labels = pod.meta.labels.clone();
    let ready = pod.is_ready();
    let matching: Vec<ObjectKey> = sim
        .state
        .pdbs
        .values()
        .filter(|p| p.meta.namespace == key.namespace && p.spec.selector.matches(&labels))
        .map(|p| p.meta.key())
        .collect();
    if guarded {
        for k in &matching {
            let st = &sim.state.pdbs[k].status;
            // A healthy pod needs a disruption to spare; a running but not-ready pod may go
            // only while the budget is met (default `unhealthyPodEvictionPolicy: IfHealthyBudget`).
            let allowed = if ready {
                st.disruptions_allowed > 0
            } else {
                st.current_healthy >= st.desired_healthy
            };
            if !allowed {
                return Err(EvictionError::DisruptionBudget {
                    pdb: k.name.clone(),
                });
            }
        }
        if ready {
            for k in &matching {
                if let Some(pdb) = sim.state.pdbs.get_mut(k) {
                    pdb.status.disruptions_allowed -= 1;
                    pdb.status.current_healthy = (pdb.status.current_healthy - 1).max(0);
                }
            }
        }
    }
    if let Some(pod) = sim.state.pods.get_mut(key) {
        pod.set_condition(
            PodConditionType::DisruptionTarget,
            true,
            "EvictionByEvictionAPI",
            "Eviction API: evicting",
            now,
        );
    }
    delete_pod(sim, key);
    Ok(())
}

/// `kubectl delete <kind> <name>`: the object and, through the garbage collector, what it owns.
pub(crate) fn delete(sim: &mut Simulation, kind: Kind, key: &ObjectKey) -> Result<String, String> {
    let not_found = |res: &str| {
        Err(format!(
            "Error from server (NotFound): {res} \"{}\" not found",
            key.name
        ))
    };
    match kind {
        Kind::Pod => {
            if !sim.state.pods.contains_key(key) {
                return not_found("pods");
            }
            delete_pod(sim, key);
            Ok(format!("pod \"{}\" deleted", key.name))
        }
        Kind::Deployment => {
            if sim.state.deployments.remove(key).is_none() {
                return not_found("deployments.apps");
            }
            let rss: Vec<ObjectKey> = sim
                .state
                .replicasets
                .values()
                .filter(|r| {
                    r.meta.namespace == key.namespace
                        && r.meta
                            .owner
                            .as_ref()
                            .is_some_and(|o| o.kind == Kind::Deployment && o.name == key.name)
                })
                .map(|r| r.meta.key())
                .collect();
            for rs in rss {
                sim.state.replicasets.remove(&rs);
                delete_owned_pods(sim, Kind::ReplicaSet, &rs);
            }
            sim.state.touch();
            Ok(format!("deployment.apps \"{}\" deleted", key.name))
        }
        Kind::DaemonSet => {
            if sim.state.daemonsets.remove(key).is_none() {
                return not_found("daemonsets.apps");
            }
            delete_owned_pods(sim, Kind::DaemonSet, key);
            sim.state.touch();
            Ok(format!("daemonset.apps \"{}\" deleted", key.name))
        }
        Kind::Job => {
            if sim.state.jobs.remove(key).is_none() {
                return not_found("jobs.batch");
            }
            delete_owned_pods(sim, Kind::Job, key);
            sim.state.touch();
            Ok(format!("job.batch \"{}\" deleted", key.name))
        }
        Kind::HorizontalPodAutoscaler => {
            if sim.state.hpas.remove(key).is_none() {
                return not_found("horizontalpodautoscalers.autoscaling");
            }
            sim.state.touch();
            Ok(format!(
                "horizontalpodautoscaler.autoscaling \"{}\" deleted",
                key.name
            ))
        }
        Kind::VerticalPodAutoscaler => {
            if sim.state.vpas.remove(key).is_none() {
                return not_found("verticalpodautoscalers.autoscaling.k8s.io");
            }
            sim.state.touch();
            Ok(format!(
                "verticalpodautoscaler.autoscaling.k8s.io \"{}\" deleted",
                key.name
            ))
        }
        Kind::PodDisruptionBudget => {
            if sim.state.pdbs.remove(key).is_none() {
                return not_found("poddisruptionbudgets.policy");
            }
            sim.state.touch();
            Ok(format!(
                "poddisruptionbudget.policy \"{}\" deleted",
                key.name
            ))
        }
        Kind::Namespace => {
            if ["default", "kube-system", "kube-public", "kube-node-lease"]
                .contains(&key.name.as_str())
            {
                return Err(format!(
                    "Error from server (Forbidden): namespaces \"{}\" is forbidden: this namespace may not be deleted",
                    key.name
                ));
            }
            if sim.state.namespaces.remove(&key.name).is_none() {
                return not_found("namespaces");
            }
            let ns = key.name.clone();
            sim.state.deployments.retain(|k, _| k.namespace != ns);
            sim.state.replicasets.retain(|k, _| k.namespace != ns);
            sim.state.daemonsets.retain(|k, _| k.namespace != ns);
            sim.state.jobs.retain(|k, _| k.namespace != ns);
            sim.state.pdbs.retain(|k, _| k.namespace != ns);
            sim.state.hpas.retain(|k, _| k.namespace != ns);
            sim.state.vpas.retain(|k, _| k.namespace != ns);
            sim.state.traffic.retain(|k, _| k.namespace != ns);
            let pods: Vec<ObjectKey> = sim
                .state
                .pods
                .keys()
                .filter(|k| k.namespace == ns)
                .cloned()
                .collect();
            for p in pods {
                delete_pod(sim, &p);
            }
            sim.state.touch();
            Ok(format!("namespace \"{}\" deleted", key.name))
        }
        Kind::Node => {
            if !sim.state.nodes.contains_key(&key.name) {
                return not_found("nodes");
            }
            delete_node(sim, &key.name);
            Ok(format!("node \"{}\" deleted", key.name))
        }
        other => Err(format!(
            "error: the server doesn't have a resource type \"{}\"",
            other.ref_name()
        )),
    }
}

fn delete_owned_pods(sim: &mut Simulation, kind: Kind, owner: &ObjectKey) {
    let pods: Vec<ObjectKey> = sim
        .state
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == owner.namespace
                && p.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == kind && o.name == owner.name)
        })
        .map(|p| p.meta.key())
        .collect();
    for p in pods {
        delete_pod(sim, &p);
    }
}

pub(crate) fn pod_ref(key: &ObjectKey) -> ObjectRef {
    ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone())
}
