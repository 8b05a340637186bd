//! `kubectl describe` for pods, nodes, deployments, daemonsets, jobs and PodDisruptionBudgets,
//! following kubectl's describers line for line (`describePod`, `describeNode`, …) so that
//! the tabwriter aligns the output exactly as kubectl does.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::sim::Simulation;
use crate::sim::api::pod::ContainerState;
use crate::sim::api::{
    Container, DeploymentStrategy, Kind, ObjectKey, ObjectRef, Pod, PodTemplateSpec, Taint, Volume,
    VolumeSource,
};
use crate::sim::quantity::Resources;

use super::facts::{
    ShownToleration, aggregated_events, api_access_volume, container_id, container_times,
    count_phase, cpu, ephemeral_storage, format_labels, format_selector, has_container_statuses,
    image_id, kube_proxy_version, mem, mem_ki, node_conditions, node_hostname, node_info,
    node_taints, object_uid, percent, pod_conditions, pod_limits, pod_tolerations, priority,
    qos_class, service_account, taint_text, toleration_text,
};
use super::tabwriter::TabWriter;
use super::{age, cal};

/// kubectl's `PrefixWriter`: two spaces per level, once per write.
#[derive(Debug, Default)]
pub(super) struct W(String);

impl W {
    pub(super) fn w(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.0.push_str("  ");
        }
        self.0.push_str(text);
    }

    pub(super) fn finish(self) -> String {
        TabWriter::KUBECTL_DESCRIBE.format(&self.0)
    }
}

/// `printLabelsMultiline`: `Labels:\tk=v` then `\tk2=v2`, or `<none>`.
pub(super) fn labels_multiline(w: &mut W, title: &str, labels: &BTreeMap<String, String>) {
    w.w(0, &format!("{title}:\t"));
    if labels.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{k}={v}\n"));
    }
}

/// `printAnnotationsMultiline`: `key: value`, long or multi-line values on lines of their own.
pub(super) fn annotations_multiline(
    w: &mut W,
    title: &str,
    annotations: &BTreeMap<String, String>,
) {
    const MAX_ANNOTATION_LEN: usize = 140;
    w.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .keys()
        .filter(|k| *k != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if annotations.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    for (i, k) in keys.into_iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        let value = annotations[k].trim_end_matches('\n');
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.w(0, &format!("{k}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    format!("{}...", &s[..s.floor_char_boundary(MAX_ANNOTATION_LEN - 2)])
                } else {
                    s.to_string()
                };
                w.w(0, &format!("\t  {short}\n"));
            }
        } else {
            w.w(0, &format!("{k}: {value}\n"));
        }
    }
}

/// `printTaintsMultiline`, sorted by effect then key.
fn taints_multiline(w: &mut W, title: &str, taints: &[Taint]) {
    w.w(0, &format!("{title}:\t"));
    if taints.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    crate::sim::sort::sort_by_key(&mut sorted, |t| format!("{},{}", t.effect.as_str(), t.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{}\n", taint_text(t)));
    }
}

/// `printPodTolerationsMultiline`, sorted by key (a stable sort, as Go's is for short lists).
fn tolerations_multiline(w: &mut W, title: &str, tolerations: &[ShownToleration]) {
    w.w(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.w(0, "<none>\n");
        return;
    }
    let mut sorted: Vec<&ShownToleration> = tolerations.iter().collect();
    crate::sim::sort::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            w.w(0, "\t");
        }
        w.w(0, &format!("{}\n", toleration_text(t)));
    }
}

/// `DescribeEvents`: `Events:\t<none>`, or the Type/Reason/Age/From/Message table with
/// repeated events shown as `3m (x4 over 10m)`.
pub(super) fn events(w: &mut W, sim: &Simulation, obj: &ObjectRef) {
    let evs = aggregated_events(sim, |o| o == obj);
    if evs.is_empty() {
        w.w(0, "Events:\t<none>\n");
        return;
    }
    w.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.w(1, "----\t------\t----\t----\t-------\n");
    for e in evs {
        let first = age(sim, e.first);
        let interval = if e.count > 1 {
            format!("{} (x{} over {first})", age(sim, e.last), e.count)
        } else {
            first
        };
        w.w(
            1,
            &format!(
                "{}\t{}\t{interval}\t{}\t{}\n",
                e.type_.as_str(),
                e.reason,
                e.source,
                e.message
            ),
        );
    }
}

fn bool_text(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// `Limits:` and `Requests:` with their resources in name order.
fn resources(w: &mut W, c: &Container) {
    let list = |r: Resources| {
        let mut v = Vec::new();
        if r.cpu.0 > 0 {
            v.push(("cpu", cpu(r.cpu)));
        }
        if r.memory.0 > 0 {
            v.push(("memory", mem(r.memory)));
        }
        if c.gpus > 0 {
            // Extended resources: requests default to limits.
            v.push(("nvidia.com/gpu", c.gpus.to_string()));
        }
        v
    };
    let limits = list(c.limits);
    if !limits.is_empty() {
        w.w(2, "Limits:\n");
    }
    for (name, q) in limits {
        w.w(3, &format!("{name}:\t{q}\n"));
    }
    let requests = list(c.requests);
    if !requests.is_empty() {
        w.w(2, "Requests:\n");
    }
    for (name, q) in requests {
        w.w(3, &format!("{name}:\t{q}\n"));
    }
}

/// How the kubelet reports one container of a pod.
fn container_state(w: &mut W, sim: &Simulation, pod: &Pod, init: bool) {
    let (started, finished) = container_times(sim, pod);
    let rfc = |t: Option<crate::sim::clock::SimTime>| {
        t.map(|t| cal(sim, t).rfc1123z()).unwrap_or_default()
    };
    if init {
        // Init containers ran to completion before the pod's containers started.
        let at = pod.status.start_time;
        w.w(2, "State:\tTerminated\n");
        w.w(3, "Reason:\tCompleted\n");
        w.w(3, "Exit Code:\t0\n");
        w.w(3, &format!("Started:\t{}\n", rfc(at)));
        w.w(3, &format!("Finished:\t{}\n", rfc(at)));
        w.w(2, "Ready:\tTrue\n");
        w.w(2, "Restart Count:\t0\n");
        return;
    }
    match &pod.status.container_state {
        ContainerState::Running { started_at } => {
            w.w(2, "State:\tRunning\n");
            w.w(
                3,
                &format!("Started:\t{}\n", cal(sim, *started_at).rfc1123z()),
            );
        }
        ContainerState::Waiting { reason } => {
            w.w(2, "State:\tWaiting\n");
            if !reason.is_empty() {
                w.w(3, &format!("Reason:\t{reason}\n"));
            }
        }
        ContainerState::Terminated { reason, exit_code } => {
            w.w(2, "State:\tTerminated\n");
            if !reason.is_empty() {
                w.w(3, &format!("Reason:\t{reason}\n"));
            }
            w.w(3, &format!("Exit Code:\t{exit_code}\n"));
            w.w(3, &format!("Started:\t{}\n", rfc(started)));
            w.w(3, &format!("Finished:\t{}\n", rfc(finished)));
        }
    }
    let ready =
        matches!(pod.status.container_state, ContainerState::Running { .. }) && pod.is_ready();
    w.w(2, &format!("Ready:\t{}\n", bool_text(ready)));
    w.w(
        2,
        &format!("Restart Count:\t{}\n", pod.status.restart_count),
    );
}

/// `describeContainers`: for a pod (with statuses and the token mount) or a template.
fn containers(
    w: &mut W,
    sim: &Simulation,
    label: &str,
    list: &[Container],
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    let init = label == "Init Containers";
    for c in list {
        let name_indent = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{name_indent}{}:\n", c.name));
        let status =
            pod.filter(|p| has_container_statuses(p) && (!init || p.status.start_time.is_some()));
        if let Some(p) = status {
            let id = if init && p.status.start_time.is_some() {
                container_id(p, &format!("init/{}", c.name))
            } else {
                container_id(p, &c.name)
            };
            w.w(2, &format!("Container ID:\t{id}\n"));
        }
        w.w(2, &format!("Image:\t{}\n", c.image));
        if let Some(p) = status {
            let started =
                init || !matches!(p.status.container_state, ContainerState::Waiting { .. });
            let id = if started {
                image_id(&c.image)
            } else {
                String::new()
            };
            w.w(2, &format!("Image ID:\t{id}\n"));
        }
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.container_port, protocol(&p.protocol)))
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.host_port.unwrap_or(0), protocol(&p.protocol)))
            .collect();
        let joined = ports.join(", ");
        if joined.contains(',') {
            w.w(2, &format!("Ports:\t{joined}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(&joined)));
        }
        let joined = host_ports.join(", ");
        if joined.contains(',') {
            w.w(2, &format!("Host Ports:\t{joined}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(&joined)));
        }
        if !c.command.is_empty() {
            w.w(2, "Command:\n");
            for part in &c.command {
                for line in part.split('\n') {
                    w.w(3, &format!("{line}\n"));
                }
            }
        }
        if let Some(p) = status {
            container_state(w, sim, p, init);
        }
        resources(w, c);
        w.w(2, "Environment:\t<none>\n");
        match pod {
            Some(p) => {
                w.w(2, "Mounts:\n");
                w.w(
                    3,
                    &format!(
                        "/var/run/secrets/kubernetes.io/serviceaccount from {} (ro)\n",
                        api_access_volume(p)
                    ),
                );
            }
            None => w.w(2, "Mounts:\t<none>\n"),
        }
    }
}

fn protocol(p: &str) -> &str {
    if p.is_empty() { "TCP" } else { p }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "<none>" } else { s }
}

/// `describeVolumes`; pods also list the projected service-account token volume.
fn volumes(w: &mut W, list: &[Volume], token_volume: Option<String>, space: &str) {
    if list.is_empty() && token_volume.is_none() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in list {
        w.w(1, &format!("{name_indent}{}:\n", v.name));
        match &v.source {
            VolumeSource::EmptyDir { memory } => w.w(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t<unset>\n",
                    if *memory { "Memory" } else { "" }
                ),
            ),
            // The lab does not keep the host path itself.
            VolumeSource::HostPath => w.w(
                2,
                "Type:\tHostPath (bare host directory volume)\n    Path:\t\n    HostPathType:\t<none>\n",
            ),
            VolumeSource::PersistentVolumeClaim { claim_name, .. } => w.w(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{claim_name}\n    ReadOnly:\tfalse\n"
                ),
            ),
            VolumeSource::ConfigMap => w.w(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\tfalse\n",
                    v.name
                ),
            ),
            VolumeSource::Secret => w.w(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\tfalse\n",
                    v.name
                ),
            ),
            VolumeSource::Other(_) => w.w(1, "<unknown>\n"),
        }
    }
    if let Some(name) = token_volume {
        w.w(1, &format!("{name_indent}{name}:\n"));
        w.w(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        );
        w.w(2, "TokenExpirationSeconds:\t3607\n");
        w.w(
            2,
            "ConfigMapName:\tkube-root-ca.crt\n    Optional:\tfalse\n",
        );
        w.w(2, "DownwardAPI:\ttrue\n");
    }
}

/// The labels the API server would show on a pod: a Job's pods also carry its controller uid.
pub(super) fn pod_labels(sim: &Simulation, pod: &Pod) -> BTreeMap<String, String> {
    let mut labels = pod.meta.labels.clone();
    if let Some(o) = pod.meta.owner.as_ref().filter(|o| o.kind == Kind::Job) {
        let key = ObjectKey::new(pod.meta.namespace.clone(), o.name.clone());
        let uid = sim.state().jobs.get(&key).map_or(0, |j| j.meta.uid);
        let u = object_uid(Kind::Job, &key.namespace, &key.name, uid);
        labels.insert("batch.kubernetes.io/controller-uid".into(), u.clone());
        labels.insert("controller-uid".into(), u);
    }
    labels
}

/// `kubectl describe pod`.
pub fn describe_pod(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let p = sim.state().pods.get(key)?;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", p.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", p.meta.namespace));
    w.w(0, &format!("Priority:\t{}\n", priority(p)));
    if !p.spec.priority_class_name.is_empty() {
        w.w(
            0,
            &format!("Priority Class Name:\t{}\n", p.spec.priority_class_name),
        );
    }
    w.w(0, &format!("Service Account:\t{}\n", service_account(p)));
    match &p.spec.node_name {
        None => w.w(0, "Node:\t<none>\n"),
        Some(n) => w.w(
            0,
            &format!("Node:\t{n}/{}\n", p.status.host_ip.as_deref().unwrap_or("")),
        ),
    }
    if let Some(t) = p.status.start_time {
        w.w(0, &format!("Start Time:\t{}\n", cal(sim, t).rfc1123z()));
    }
    labels_multiline(&mut w, "Labels", &pod_labels(sim, p));
    annotations_multiline(&mut w, "Annotations", &p.meta.annotations);
    match p.meta.deletion_timestamp {
        Some(t) if !p.status.phase.is_terminal() => {
            w.w(
                0,
                &format!("Status:\tTerminating (lasts {})\n", age(sim, t)),
            );
            w.w(
                0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    p.spec.termination_grace_period_secs
                ),
            );
        }
        _ => w.w(0, &format!("Status:\t{}\n", p.status.phase.as_str())),
    }
    if !p.status.reason.is_empty() {
        w.w(0, &format!("Reason:\t{}\n", p.status.reason));
    }
    if !p.status.message.is_empty() {
        w.w(0, &format!("Message:\t{}\n", p.status.message));
    }
    let ip = p.status.pod_ip.clone().unwrap_or_default();
    w.w(0, &format!("IP:\t{ip}\n"));
    if ip.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        w.w(0, &format!("  IP:\t{ip}\n"));
    }
    if let Some(o) = &p.meta.owner {
        w.w(
            0,
            &format!("Controlled By:\t{}/{}\n", o.kind.as_str(), o.name),
        );
    }
    if !p.spec.init_containers.is_empty() {
        containers(
            &mut w,
            sim,
            "Init Containers",
            &p.spec.init_containers,
            Some(p),
            "",
        );
    }
    containers(&mut w, sim, "Containers", &p.spec.containers, Some(p), "");
    let conds = pod_conditions(p);
    if !conds.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.w(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    volumes(&mut w, &p.spec.volumes, Some(api_access_volume(p)), "");
    w.w(0, &format!("QoS Class:\t{}\n", qos_class(p)));
    labels_multiline(&mut w, "Node-Selectors", &p.spec.node_selector);
    tolerations_multiline(&mut w, "Tolerations", &pod_tolerations(p));
    events(
        &mut w,
        sim,
        &ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone()),
    );
    Some(w.finish())
}

/// `kubectl describe node`.
pub fn describe_node(sim: &Simulation, name: &str) -> Option<String> {
    let n = sim.state().nodes.get(name)?;
    let now = sim.now();
    let mut w = W::default();
    w.w(0, &format!("Name:\t{name}\n"));
    w.w(0, "Roles:\t<none>\n");
    labels_multiline(&mut w, "Labels", &n.meta.labels);
    // The kubelet's own annotations, on every EKS node.
    let mut annotations = n.meta.annotations.clone();
    annotations.insert(
        "alpha.kubernetes.io/provided-node-ip".into(),
        n.status.internal_ip.clone(),
    );
    annotations.insert("node.alpha.kubernetes.io/ttl".into(), "0".into());
    annotations.insert(
        "volumes.kubernetes.io/controller-managed-attach-detach".into(),
        "true".into(),
    );
    annotations_multiline(&mut w, "Annotations", &annotations);
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            cal(sim, n.meta.creation_timestamp).rfc1123z()
        ),
    );
    taints_multiline(&mut w, "Taints", &node_taints(n));
    w.w(0, &format!("Unschedulable:\t{}\n", n.spec.unschedulable));
    // The kubelet renews its Lease every 10 s while it runs.
    let renew = if n.is_ready() || n.status.ready.reason != "NodeStatusUnknown" {
        let since = now.saturating_sub(n.meta.creation_timestamp).as_millis();
        crate::sim::clock::SimTime(n.meta.creation_timestamp.as_millis() + since / 10_000 * 10_000)
    } else {
        n.status.ready.last_transition_time
    };
    w.w(0, "Lease:\n");
    w.w(1, &format!("HolderIdentity:\t{name}\n"));
    w.w(1, "AcquireTime:\t<unset>\n");
    w.w(1, &format!("RenewTime:\t{}\n", cal(sim, renew).rfc1123z()));
    w.w(
        0,
        "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
    );
    w.w(
        1,
        "----\t------\t-----------------\t------------------\t------\t-------\n",
    );
    for c in node_conditions(now, n) {
        w.w(
            1,
            &format!(
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                c.type_,
                c.status,
                cal(sim, c.heartbeat).rfc1123z(),
                cal(sim, c.transition).rfc1123z(),
                c.reason,
                c.message
            ),
        );
    }
    let host = node_hostname(n);
    w.w(0, "Addresses:\n");
    w.w(1, &format!("InternalIP:\t{}\n", n.status.internal_ip));
    w.w(1, &format!("InternalDNS:\t{host}\n"));
    w.w(1, &format!("Hostname:\t{host}\n"));
    let (storage_ki, storage_alloc) = ephemeral_storage(sim, n);
    let resource_list = |w: &mut W, r: Resources, storage: String| {
        w.w(0, &format!("  cpu:\t{}\n", cpu(r.cpu)));
        w.w(0, &format!("  ephemeral-storage:\t{storage}\n"));
        w.w(0, "  hugepages-1Gi:\t0\n");
        w.w(0, "  hugepages-2Mi:\t0\n");
        w.w(0, &format!("  memory:\t{}\n", mem_ki(r.memory)));
        w.w(0, &format!("  pods:\t{}\n", n.status.max_pods));
    };
    w.w(0, "Capacity:\n");
    resource_list(&mut w, n.status.capacity, format!("{storage_ki}Ki"));
    w.w(0, "Allocatable:\n");
    resource_list(&mut w, n.status.allocatable, storage_alloc.to_string());
    let info = node_info(n);
    w.w(0, "System Info:\n");
    w.w(0, &format!("  Machine ID:\t{}\n", info.machine_id));
    w.w(0, &format!("  System UUID:\t{}\n", info.system_uuid));
    w.w(0, &format!("  Boot ID:\t{}\n", info.boot_id));
    w.w(0, &format!("  Kernel Version:\t{}\n", info.kernel));
    w.w(0, &format!("  OS Image:\t{}\n", info.os_image));
    w.w(0, "  Operating System:\tlinux\n");
    w.w(0, &format!("  Architecture:\t{}\n", info.architecture));
    w.w(
        0,
        &format!("  Container Runtime Version:\t{}\n", info.container_runtime),
    );
    w.w(
        0,
        &format!("  Kubelet Version:\t{}\n", n.status.kubelet_version),
    );
    w.w(
        0,
        &format!("  Kube-Proxy Version:\t{}\n", kube_proxy_version(n)),
    );
    if !n.spec.provider_id.is_empty() {
        w.w(0, &format!("ProviderID:\t{}\n", n.spec.provider_id));
    }
    // Non-terminated pods, in API order (namespace, name).
    let pods: Vec<&Pod> = sim
        .state()
        .pods
        .values()
        .filter(|p| p.spec.node_name.as_deref() == Some(name) && !p.status.phase.is_terminal())
        .collect();
    let alloc = n.status.allocatable;
    w.w(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.w(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.w(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let (mut req_total, mut lim_total) = (Resources::ZERO, Resources::ZERO);
    for p in &pods {
        let req = p.requests();
        let lim = pod_limits(p);
        req_total = req_total.saturating_add(req);
        lim_total = lim_total.saturating_add(lim);
        w.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                p.meta.namespace,
                p.meta.name,
                cpu(req.cpu),
                percent(req.cpu.0, alloc.cpu.0),
                cpu(lim.cpu),
                percent(lim.cpu.0, alloc.cpu.0),
                mem(req.memory),
                percent(req.memory.0, alloc.memory.0),
                mem(lim.memory),
                percent(lim.memory.0, alloc.memory.0),
                age(sim, p.meta.creation_timestamp)
            ),
        );
    }
    w.w(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.w(1, "Resource\tRequests\tLimits\n");
    w.w(1, "--------\t--------\t------\n");
    w.w(
        1,
        &format!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cpu(req_total.cpu),
            percent(req_total.cpu.0, alloc.cpu.0),
            cpu(lim_total.cpu),
            percent(lim_total.cpu.0, alloc.cpu.0)
        ),
    );
    w.w(
        1,
        &format!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            mem(req_total.memory),
            percent(req_total.memory.0, alloc.memory.0),
            mem(lim_total.memory),
            percent(lim_total.memory.0, alloc.memory.0)
        ),
    );
    for r in ["ephemeral-storage", "hugepages-1Gi", "hugepages-2Mi"] {
        w.w(1, &format!("{r}\t0 (0%)\t0 (0%)\n"));
    }
    events(&mut w, sim, &ObjectRef::cluster_scoped(Kind::Node, name));
    Some(w.finish())
}

/// The service account an add-on's pod template names (the EKS add-on manifests set it).
fn template_service_account(namespace: &str, workload: &str) -> Option<&'static str> {
    match (namespace, workload) {
        ("kube-system", "aws-node") => Some("aws-node"),
        ("kube-system", "kube-proxy") => Some("kube-proxy"),
        ("kube-system", "coredns") => Some("coredns"),
        _ => None,
    }
}

/// `DescribePodTemplate`.
fn pod_template(
    w: &mut W,
    sim: &Simulation,
    t: &PodTemplateSpec,
    labels: &BTreeMap<String, String>,
    service_account: Option<&str>,
) {
    w.w(0, "Pod Template:\n");
    labels_multiline(w, "  Labels", labels);
    if !t.annotations.is_empty() {
        annotations_multiline(w, "  Annotations", &t.annotations);
    }
    if let Some(sa) = service_account {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        containers(
            w,
            sim,
            "Init Containers",
            &t.spec.init_containers,
            None,
            "  ",
        );
    }
    containers(w, sim, "Containers", &t.spec.containers, None, "  ");
    volumes(w, &t.spec.volumes, None, "  ");
    if !t.spec.priority_class_name.is_empty() {
        w.w(
            1,
            &format!("Priority Class Name:\t{}\n", t.spec.priority_class_name),
        );
    }
    labels_multiline(w, "  Node-Selectors", &t.spec.node_selector);
    let tolerations: Vec<ShownToleration> = t
        .spec
        .tolerations
        .iter()
        .map(|x| ShownToleration {
            key: x.key.clone(),
            operator: match x.operator {
                crate::sim::api::TolerationOperator::Exists => "Exists",
                crate::sim::api::TolerationOperator::Equal => "Equal",
            },
            value: x.value.clone(),
            effect: x.effect,
            seconds: None,
        })
        .collect();
    tolerations_multiline(w, "  Tolerations", &tolerations);
}

/// `kubectl describe deployment`.
pub fn describe_deployment(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let d = sim.state().deployments.get(key)?;
    let owned: Vec<&crate::sim::api::ReplicaSet> = sim
        .state()
        .replicasets
        .values()
        .filter(|r| {
            r.meta.namespace == key.namespace
                && r.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Deployment && o.name == key.name)
        })
        .collect();
    let hash = crate::sim::api::workloads::template_hash(&d.spec.template);
    let new_rs = owned.iter().find(|r| r.template_hash == hash);
    let revision = owned.iter().map(|r| r.revision).max().unwrap_or(0);
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", d.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", d.meta.namespace));
    w.w(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            cal(sim, d.meta.creation_timestamp).rfc1123z()
        ),
    );
    labels_multiline(&mut w, "Labels", &d.meta.labels);
    let mut annotations = d.meta.annotations.clone();
    if revision > 0 {
        annotations.insert(
            "deployment.kubernetes.io/revision".into(),
            revision.to_string(),
        );
    }
    annotations_multiline(&mut w, "Annotations", &annotations);
    w.w(
        0,
        &format!("Selector:\t{}\n", format_selector(&d.spec.selector)),
    );
    let s = &d.status;
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.spec.replicas,
            s.updated_replicas,
            s.replicas,
            s.available_replicas,
            s.unavailable_replicas
        ),
    );
    let strategy = match d.spec.strategy {
        DeploymentStrategy::RollingUpdate { .. } => "RollingUpdate",
        DeploymentStrategy::Recreate => "Recreate",
    };
    w.w(0, &format!("StrategyType:\t{strategy}\n"));
    w.w(
        0,
        &format!("MinReadySeconds:\t{}\n", d.spec.min_ready_seconds),
    );
    if let DeploymentStrategy::RollingUpdate {
        max_surge,
        max_unavailable,
    } = d.spec.strategy
    {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{max_unavailable} max unavailable, {max_surge} max surge\n"
            ),
        );
    }
    pod_template(
        &mut w,
        sim,
        &d.spec.template,
        &d.spec.template.labels,
        template_service_account(&key.namespace, &key.name),
    );
    // Conditions as the deployment controller keeps them.
    let max_unavailable = match d.spec.strategy {
        DeploymentStrategy::RollingUpdate {
            max_unavailable, ..
        } => max_unavailable.scaled(d.spec.replicas, false),
        DeploymentStrategy::Recreate => 0,
    };
    let available = s.available_replicas + max_unavailable >= d.spec.replicas;
    let complete = s.updated_replicas == d.spec.replicas
        && s.replicas == d.spec.replicas
        && s.available_replicas == d.spec.replicas;
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    w.w(
        1,
        &format!(
            "Available \t{}\t{}\n",
            bool_text(available),
            if available {
                "MinimumReplicasAvailable"
            } else {
                "MinimumReplicasUnavailable"
            }
        ),
    );
    w.w(
        1,
        &format!(
            "Progressing \tTrue\t{}\n",
            if complete {
                "NewReplicaSetAvailable"
            } else {
                "ReplicaSetUpdated"
            }
        ),
    );
    let rs_text = |r: &crate::sim::api::ReplicaSet| {
        format!(
            "{} ({}/{} replicas created)",
            r.meta.name, r.status_replicas, r.replicas
        )
    };
    // Every old ReplicaSet, scaled down or not (`GetAllReplicaSetsInChunks`' allOldRSs).
    let old: Vec<String> = owned
        .iter()
        .filter(|r| r.template_hash != hash)
        .map(|r| rs_text(r))
        .collect();
    if !old.is_empty() || new_rs.is_some() {
        w.w(
            0,
            &format!(
                "OldReplicaSets:\t{}\n",
                if old.is_empty() {
                    "<none>".to_string()
                } else {
                    old.join(", ")
                }
            ),
        );
        w.w(
            0,
            &format!(
                "NewReplicaSet:\t{}\n",
                new_rs.map_or("<none>".to_string(), |r| rs_text(r))
            ),
        );
    }
    events(
        &mut w,
        sim,
        &ObjectRef::new(Kind::Deployment, key.namespace.clone(), key.name.clone()),
    );
    Some(w.finish())
}

/// `kubectl describe daemonset`.
pub fn describe_daemonset(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let ds = sim.state().daemonsets.get(key)?;
    let pods = sim.state().pods.values().filter(|p| {
        p.meta.namespace == key.namespace
            && p.meta
                .owner
                .as_ref()
                .is_some_and(|o| o.kind == Kind::DaemonSet && o.name == key.name)
    });
    let [running, waiting, succeeded, failed] = count_phase(pods);
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", ds.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", ds.meta.namespace));
    w.w(
        0,
        &format!("Selector:\t{}\n", format_selector(&ds.selector)),
    );
    w.w(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(&ds.template.spec.node_selector)
        ),
    );
    labels_multiline(&mut w, "Labels", &ds.meta.labels);
    let mut annotations = ds.meta.annotations.clone();
    annotations.insert(
        "deprecated.daemonset.template.generation".into(),
        ds.meta.generation.max(1).to_string(),
    );
    annotations_multiline(&mut w, "Annotations", &annotations);
    let _ = write!(
        w.0,
        "Desired Number of Nodes Scheduled: {}\nCurrent Number of Nodes Scheduled: {}\nNumber of Nodes Scheduled with Up-to-date Pods: {}\nNumber of Nodes Scheduled with Available Pods: {}\nNumber of Nodes Misscheduled: 0\n",
        ds.desired_number_scheduled,
        ds.current_number_scheduled,
        ds.current_number_scheduled,
        ds.number_ready
    );
    w.w(
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    pod_template(
        &mut w,
        sim,
        &ds.template,
        &ds.template.labels,
        template_service_account(&key.namespace, &key.name),
    );
    events(
        &mut w,
        sim,
        &ObjectRef::new(Kind::DaemonSet, key.namespace.clone(), key.name.clone()),
    );
    Some(w.finish())
}

/// `kubectl describe job`.
pub fn describe_job(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let j = sim.state().jobs.get(key)?;
    let uid = object_uid(Kind::Job, &key.namespace, &key.name, j.meta.uid);
    let mut template_labels = j.spec.template.labels.clone();
    template_labels.insert("batch.kubernetes.io/controller-uid".into(), uid.clone());
    template_labels.insert("batch.kubernetes.io/job-name".into(), key.name.clone());
    template_labels.insert("controller-uid".into(), uid.clone());
    template_labels.insert("job-name".into(), key.name.clone());
    let mut labels = j.meta.labels.clone();
    if labels.is_empty() {
        // The API copies the template's generated labels onto a Job that has none.
        labels.insert("batch.kubernetes.io/controller-uid".into(), uid.clone());
        labels.insert("batch.kubernetes.io/job-name".into(), key.name.clone());
        labels.insert("controller-uid".into(), uid.clone());
        labels.insert("job-name".into(), key.name.clone());
    }
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", j.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", j.meta.namespace));
    w.w(
        0,
        &format!("Selector:\tbatch.kubernetes.io/controller-uid={uid}\n"),
    );
    labels_multiline(&mut w, "Labels", &labels);
    annotations_multiline(&mut w, "Annotations", &j.meta.annotations);
    w.w(0, &format!("Parallelism:\t{}\n", j.spec.parallelism));
    w.w(0, &format!("Completions:\t{}\n", j.spec.completions));
    w.w(0, "Completion Mode:\tNonIndexed\n");
    w.w(0, "Suspend:\tfalse\n");
    w.w(0, &format!("Backoff Limit:\t{}\n", j.spec.backoff_limit));
    if let Some(ttl) = j.spec.ttl_seconds_after_finished {
        w.w(0, &format!("TTL Seconds After Finished:\t{ttl}\n"));
    }
    if let Some(t) = j.status.start_time {
        w.w(0, &format!("Start Time:\t{}\n", cal(sim, t).rfc1123z()));
    }
    if let Some(t) = j.status.completion_time {
        w.w(0, &format!("Completed At:\t{}\n", cal(sim, t).rfc1123z()));
    }
    if let (Some(s), Some(c)) = (j.status.start_time, j.status.completion_time) {
        w.w(
            0,
            &format!(
                "Duration:\t{}\n",
                super::time::human_duration(c.saturating_sub(s))
            ),
        );
    }
    let ready = sim
        .state()
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == key.namespace
                && p.is_ready()
                && p.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Job && o.name == key.name)
        })
        .count();
    w.w(
        0,
        &format!(
            "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
            j.status.active, j.status.succeeded, j.status.failed
        ),
    );
    pod_template(&mut w, sim, &j.spec.template, &template_labels, None);
    events(
        &mut w,
        sim,
        &ObjectRef::new(Kind::Job, key.namespace.clone(), key.name.clone()),
    );
    Some(w.finish())
}

/// `kubectl describe pdb`.
pub fn describe_pdb(sim: &Simulation, key: &ObjectKey) -> Option<String> {
    let p = sim.state().pdbs.get(key)?;
    let mut w = W::default();
    w.w(0, &format!("Name:\t{}\n", p.meta.name));
    w.w(0, &format!("Namespace:\t{}\n", p.meta.namespace));
    if let Some(m) = p.spec.min_available {
        w.w(0, &format!("Min available:\t{m}\n"));
    } else if let Some(m) = p.spec.max_unavailable {
        w.w(0, &format!("Max unavailable:\t{m}\n"));
    }
    w.w(
        0,
        &format!("Selector:\t{}\n", format_selector(&p.spec.selector)),
    );
    w.w(0, "Status:\n");
    w.w(
        2,
        &format!("Allowed disruptions:\t{}\n", p.status.disruptions_allowed),
    );
    w.w(2, &format!("Current:\t{}\n", p.status.current_healthy));
    w.w(2, &format!("Desired:\t{}\n", p.status.desired_healthy));
    w.w(2, &format!("Total:\t{}\n", p.status.expected_pods));
    events(
        &mut w,
        sim,
        &ObjectRef::new(
            Kind::PodDisruptionBudget,
            key.namespace.clone(),
            key.name.clone(),
        ),
    );
    Some(w.finish())
}
