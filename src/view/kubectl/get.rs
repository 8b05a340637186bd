//! `kubectl get` tables: pods, nodes, deployments, replicasets, daemonsets, jobs, PDBs,
//! namespaces and events, with kubectl's columns and cell values.

use crate::sim::Simulation;
use crate::sim::api::{ObjectKey, ObjectRef};

use super::facts::{
    aggregated_events, event_namespace, format_labels, is_kubernetes_kind, node_info, node_status,
    ready_containers,
};
use super::{ObjectId, Table, age};

/// `No resources found in default namespace.` or, across namespaces or for cluster-scoped
/// kinds, `No resources found`.
fn empty_message(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

fn in_namespace(key: &ObjectKey, namespace: Option<&str>) -> bool {
    namespace.is_none_or(|ns| key.namespace == ns)
}

/// Columns with `NAMESPACE` first when listing across namespaces (`-A`).
fn columns<'a>(namespace: Option<&str>, cols: &[&'a str]) -> Vec<&'a str> {
    let mut v = Vec::with_capacity(cols.len() + 1);
    if namespace.is_none() {
        v.push("NAMESPACE");
    }
    v.extend_from_slice(cols);
    v
}

fn cells(namespace: Option<&str>, key: &ObjectKey, rest: Vec<String>) -> Vec<String> {
    let mut v = Vec::with_capacity(rest.len() + 1);
    if namespace.is_none() {
        v.push(key.namespace.clone());
    }
    v.extend(rest);
    v
}

fn or_none(s: Option<&String>) -> String {
    s.filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| "<none>".to_string())
}

/// `kubectl get pods` (`namespace: None` is `-A`; `wide` is `-o wide`).
pub fn pods_table(sim: &Simulation, namespace: Option<&str>, wide: bool) -> Table {
    let mut cols = columns(namespace, &["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        cols.extend_from_slice(&["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    let mut t = Table::new(&cols, empty_message(namespace));
    for (key, p) in &sim.state().pods {
        if !in_namespace(key, namespace) {
            continue;
        }
        let (ready, total) = ready_containers(p);
        let mut row = vec![
            p.meta.name.clone(),
            format!("{ready}/{total}"),
            p.display_status(),
            p.status.restart_count.to_string(),
            age(sim, p.meta.creation_timestamp),
        ];
        if wide {
            row.push(or_none(p.status.pod_ip.as_ref()));
            row.push(or_none(p.spec.node_name.as_ref()));
            row.push("<none>".to_string());
            row.push("<none>".to_string());
        }
        t.push(Some(ObjectId::Pod(key.clone())), cells(namespace, key, row));
    }
    t
}

pub fn get_pods(sim: &Simulation, namespace: Option<&str>, wide: bool) -> String {
    pods_table(sim, namespace, wide).render()
}

/// `kubectl get nodes` (`-o wide` adds addresses and the illustrative OS details).
pub fn nodes_table(sim: &Simulation, wide: bool) -> Table {
    let mut cols = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
    if wide {
        cols.extend_from_slice(&[
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ]);
    }
    let mut t = Table::new(&cols, empty_message(None));
    for (name, n) in &sim.state().nodes {
        let mut row = vec![
            name.clone(),
            node_status(n),
            "<none>".to_string(),
            age(sim, n.meta.creation_timestamp),
            n.status.kubelet_version.clone(),
        ];
        if wide {
            let info = node_info(n);
            row.push(n.status.internal_ip.clone());
            // The lab's nodes live in private subnets: no public address.
            row.push("<none>".to_string());
            row.push(info.os_image.to_string());
            row.push(info.kernel);
            row.push(info.container_runtime.to_string());
        }
        t.push(Some(ObjectId::Node(name.clone())), row);
    }
    t
}

pub fn get_nodes(sim: &Simulation, wide: bool) -> String {
    nodes_table(sim, wide).render()
}

/// `kubectl get deployments`.
pub fn deployments_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let cols = columns(
        namespace,
        &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    );
    let mut t = Table::new(&cols, empty_message(namespace));
    for (key, d) in &sim.state().deployments {
        if !in_namespace(key, namespace) {
            continue;
        }
        let row = vec![
            d.meta.name.clone(),
            format!("{}/{}", d.status.ready_replicas, d.spec.replicas),
            d.status.updated_replicas.to_string(),
            d.status.available_replicas.to_string(),
            age(sim, d.meta.creation_timestamp),
        ];
        t.push(
            Some(ObjectId::Deployment(key.clone())),
            cells(namespace, key, row),
        );
    }
    t
}

pub fn get_deployments(sim: &Simulation, namespace: Option<&str>) -> String {
    deployments_table(sim, namespace).render()
}

/// `kubectl get replicasets`.
pub fn replicasets_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let cols = columns(namespace, &["NAME", "DESIRED", "CURRENT", "READY", "AGE"]);
    let mut t = Table::new(&cols, empty_message(namespace));
    for (key, rs) in &sim.state().replicasets {
        if !in_namespace(key, namespace) {
            continue;
        }
        let row = vec![
            rs.meta.name.clone(),
            rs.replicas.to_string(),
            rs.status_replicas.to_string(),
            rs.status_ready.to_string(),
            age(sim, rs.meta.creation_timestamp),
        ];
        t.push(None, cells(namespace, key, row));
    }
    t
}

pub fn get_replicasets(sim: &Simulation, namespace: Option<&str>) -> String {
    replicasets_table(sim, namespace).render()
}

/// `kubectl get daemonsets`. The lab does not track up-to-date and available pods apart
/// from scheduled and ready ones, so those columns repeat them.
pub fn daemonsets_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let cols = columns(
        namespace,
        &[
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ],
    );
    let mut t = Table::new(&cols, empty_message(namespace));
    for (key, ds) in &sim.state().daemonsets {
        if !in_namespace(key, namespace) {
            continue;
        }
        let row = vec![
            ds.meta.name.clone(),
            ds.desired_number_scheduled.to_string(),
            ds.current_number_scheduled.to_string(),
            ds.number_ready.to_string(),
            ds.current_number_scheduled.to_string(),
            ds.number_ready.to_string(),
            format_labels(&ds.template.spec.node_selector),
            age(sim, ds.meta.creation_timestamp),
        ];
        t.push(
            Some(ObjectId::DaemonSet(key.clone())),
            cells(namespace, key, row),
        );
    }
    t
}

pub fn get_daemonsets(sim: &Simulation, namespace: Option<&str>) -> String {
    daemonsets_table(sim, namespace).render()
}

/// The STATUS column of `kubectl get jobs`.
fn job_status(j: &crate::sim::api::Job) -> &'static str {
    if j.is_complete() {
        "Complete"
    } else if j.meta.deletion_timestamp.is_some() {
        "Terminating"
    } else {
        "Running"
    }
}

/// `kubectl get jobs`.
pub fn jobs_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let cols = columns(
        namespace,
        &["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
    );
    let mut t = Table::new(&cols, empty_message(namespace));
    for (key, j) in &sim.state().jobs {
        if !in_namespace(key, namespace) {
            continue;
        }
        let duration = match (j.status.start_time, j.status.completion_time) {
            (None, _) => String::new(),
            (Some(s), None) => age(sim, s),
            (Some(s), Some(c)) => super::time::human_duration(c.saturating_sub(s)),
        };
        let row = vec![
            j.meta.name.clone(),
            job_status(j).to_string(),
            format!("{}/{}", j.status.succeeded, j.spec.completions),
            duration,
            age(sim, j.meta.creation_timestamp),
        ];
        t.push(Some(ObjectId::Job(key.clone())), cells(namespace, key, row));
    }
    t
}

pub fn get_jobs(sim: &Simulation, namespace: Option<&str>) -> String {
    jobs_table(sim, namespace).render()
}

/// `kubectl get pdb`.
pub fn pdb_table(sim: &Simulation, namespace: Option<&str>) -> Table {
    let cols = columns(
        namespace,
        &[
            "NAME",
            "MIN AVAILABLE",
            "MAX UNAVAILABLE",
            "ALLOWED DISRUPTIONS",
            "AGE",
        ],
    );
    let mut t = Table::new(&cols, empty_message(namespace));
    let na =
        |v: Option<crate::sim::api::IntOrPercent>| v.map_or("N/A".to_string(), |v| v.to_string());
    for (key, p) in &sim.state().pdbs {
        if !in_namespace(key, namespace) {
            continue;
        }
        let row = vec![
            p.meta.name.clone(),
            na(p.spec.min_available),
            na(p.spec.max_unavailable),
            p.status.disruptions_allowed.to_string(),
            age(sim, p.meta.creation_timestamp),
        ];
        t.push(Some(ObjectId::Pdb(key.clone())), cells(namespace, key, row));
    }
    t
}

pub fn get_pdb(sim: &Simulation, namespace: Option<&str>) -> String {
    pdb_table(sim, namespace).render()
}

/// `kubectl get namespaces`.
pub fn namespaces_table(sim: &Simulation) -> Table {
    let mut t = Table::new(&["NAME", "STATUS", "AGE"], empty_message(None));
    for (name, ns) in &sim.state().namespaces {
        let status = if ns.meta.deletion_timestamp.is_some() {
            "Terminating"
        } else {
            "Active"
        };
        t.push(
            None,
            vec![
                name.clone(),
                status.to_string(),
                age(sim, ns.meta.creation_timestamp),
            ],
        );
    }
    t
}

pub fn get_namespaces(sim: &Simulation) -> String {
    namespaces_table(sim).render()
}

/// `kubectl get events --sort-by=.lastTimestamp`, optionally for one object
/// (`--field-selector involvedObject.name=…`). Identical events are folded into one, as the
/// event recorder does; node events live in `default`. The lab's AWS-side events (cluster,
/// node groups, add-ons, instances) are not Kubernetes events and are left out.
pub fn events_table(
    sim: &Simulation,
    namespace: Option<&str>,
    object: Option<&ObjectRef>,
) -> Table {
    let cols = columns(
        namespace,
        &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
    );
    let mut t = Table::new(&cols, empty_message(namespace));
    let events = aggregated_events(sim, |o| {
        is_kubernetes_kind(o.kind)
            && namespace.is_none_or(|ns| event_namespace(o) == ns)
            && object.is_none_or(|want| want == o)
    });
    for e in events {
        let mut row = Vec::with_capacity(6);
        if namespace.is_none() {
            row.push(event_namespace(&e.object).to_string());
        }
        row.push(age(sim, e.last));
        row.push(e.type_.as_str().to_string());
        row.push(e.reason.to_string());
        row.push(e.object.to_string());
        row.push(e.message.clone());
        t.push(object_id(&e.object), row);
    }
    t
}

pub fn get_events(sim: &Simulation, namespace: Option<&str>, object: Option<&ObjectRef>) -> String {
    events_table(sim, namespace, object).render()
}

/// The inspector's id for an event's object, when it has one.
fn object_id(o: &ObjectRef) -> Option<ObjectId> {
    use crate::sim::api::Kind;
    let key = o.key();
    Some(match o.kind {
        Kind::Pod => ObjectId::Pod(key),
        Kind::Node => ObjectId::Node(o.name.clone()),
        Kind::Deployment => ObjectId::Deployment(key),
        Kind::DaemonSet => ObjectId::DaemonSet(key),
        Kind::Job => ObjectId::Job(key),
        Kind::PodDisruptionBudget => ObjectId::Pdb(key),
        Kind::HorizontalPodAutoscaler => ObjectId::Hpa(key),
        Kind::VerticalPodAutoscaler => ObjectId::Vpa(key),
        Kind::Nodegroup => ObjectId::Nodegroup(o.name.clone()),
        Kind::FargateProfile => ObjectId::FargateProfile(o.name.clone()),
        _ => return None,
    })
}
