//! What the API server, admission plugins and the kubelet would have filled in on real objects,
//! derived from the simulation's state: QoS class, priority, default tolerations, the
//! service-account token volume, container and image IDs, node conditions and system info,
//! and the event correlator's aggregation.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::sim::Simulation;
use crate::sim::api::meta::{SelectorOperator, SelectorRequirement};
use crate::sim::api::node::{DataPlane, taints};
use crate::sim::api::pod::ContainerState;
use crate::sim::api::{
    Kind, LabelSelector, Node, ObjectRef, Pod, PodConditionType, PodPhase, Taint, TaintEffect,
    TolerationOperator,
};
use crate::sim::clock::SimTime;
use crate::sim::digest::fnv1a64;
use crate::sim::event::EventType;
use crate::sim::quantity::{Bytes, MilliCpu, Resources};

// ---- deterministic identifiers ----

fn mix(mut z: u64) -> u64 {
    // SplitMix64's finaliser spreads FNV's output over every bit.
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `n` lowercase hex digits derived from `seed` (stable across runs and platforms).
pub fn hex(seed: &str, n: usize) -> String {
    let base = fnv1a64(seed.as_bytes());
    let mut s = String::with_capacity(n + 16);
    let mut i = 0u64;
    while s.len() < n {
        let _ = write!(s, "{:016x}", mix(base ^ i.wrapping_mul(0x100_0000_01b3)));
        i += 1;
    }
    s.truncate(n);
    s
}

/// A version-4-shaped UUID derived from `seed`, as `metadata.uid` looks.
pub fn uuid(seed: &str) -> String {
    let h = hex(seed, 32);
    // RFC 4122: version 4 in the third group, variant `10xx` in the fourth.
    let variant = ["8", "9", "a", "b"][usize::from(h.as_bytes()[16] % 4)];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A Kubernetes-style random suffix (`SafeEncodeString` alphabet) derived from `seed`.
pub fn k8s_suffix(seed: &str, n: usize) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut v = mix(fnv1a64(seed.as_bytes()));
    (0..n)
        .map(|_| {
            let c = ALPHANUMS[(v % ALPHANUMS.len() as u64) as usize] as char;
            v /= ALPHANUMS.len() as u64;
            c
        })
        .collect()
}

/// The object's `metadata.uid`.
pub fn object_uid(kind: Kind, namespace: &str, name: &str, uid: u64) -> String {
    uuid(&format!("{}/{namespace}/{name}/{uid}", kind.as_str()))
}

// ---- quantities and selectors ----

/// A CPU quantity as `Quantity.String()` prints it (`250m`, `2`, `0`).
pub fn cpu(m: MilliCpu) -> String {
    m.to_string()
}

/// A memory quantity as written in a manifest (`256Mi`, `1Gi`, `0`).
pub fn mem(b: Bytes) -> String {
    b.to_string()
}

/// Memory as the kubelet reports node capacity: in `Ki`.
pub fn mem_ki(b: Bytes) -> String {
    format!("{}Ki", b.0 / 1024)
}

/// `labels.FormatLabels`: `k=v,k2=v2`, or `<none>`.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn requirement_text(r: &SelectorRequirement) -> String {
    let mut values = r.values.clone();
    crate::sim::sort::sort(&mut values);
    match r.operator {
        SelectorOperator::In => format!("{} in ({})", r.key, values.join(",")),
        SelectorOperator::NotIn => format!("{} notin ({})", r.key, values.join(",")),
        SelectorOperator::Exists => r.key.clone(),
        SelectorOperator::DoesNotExist => format!("!{}", r.key),
    }
}

/// `metav1.FormatLabelSelector`: requirements sorted by key, `<none>` when empty.
pub fn format_selector(sel: &LabelSelector) -> String {
    let mut parts: Vec<(String, String)> = sel
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    parts.extend(
        sel.match_expressions
            .iter()
            .map(|r| (r.key.clone(), requirement_text(r))),
    );
    crate::sim::sort::sort_by(&mut parts, |a, b| a.0.cmp(&b.0));
    if parts.is_empty() {
        "<none>".to_string()
    } else {
        parts
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `int64(float64(part) / float64(whole) * 100)`, as kubectl computes its percentages.
pub fn percent(part: u64, whole: u64) -> i64 {
    if whole == 0 {
        return 0;
    }
    (part as f64 / whole as f64 * 100.0) as i64
}

// ---- pods ----

/// Pod limits: the sum over containers, at least the largest init container's
/// (`resourcehelper.PodRequestsAndLimits`).
pub fn pod_limits(pod: &Pod) -> Resources {
    let sum = pod
        .spec
        .containers
        .iter()
        .fold(Resources::ZERO, |acc, c| acc.saturating_add(c.limits));
    let init = pod
        .spec
        .init_containers
        .iter()
        .fold(Resources::ZERO, |acc, c| acc.max(c.limits));
    sum.max(init)
}

/// `qos.GetPodQOS`: Guaranteed when every container limits both CPU and memory and the pod's
/// requests equal its limits; BestEffort when nothing is requested or limited.
pub fn qos_class(pod: &Pod) -> &'static str {
    let mut req = (0u64, 0u64);
    let mut lim = (0u64, 0u64);
    let mut guaranteed = true;
    for c in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
        req.0 += c.requests.cpu.0;
        req.1 += c.requests.memory.0;
        lim.0 += c.limits.cpu.0;
        lim.1 += c.limits.memory.0;
        if c.limits.cpu.0 == 0 || c.limits.memory.0 == 0 {
            guaranteed = false;
        }
    }
    let req_names = [req.0 > 0, req.1 > 0];
    let lim_names = [lim.0 > 0, lim.1 > 0];
    if req_names == [false, false] && lim_names == [false, false] {
        return "BestEffort";
    }
    if guaranteed
        && (req.0 == 0 || req.0 == lim.0)
        && (req.1 == 0 || req.1 == lim.1)
        && req_names == lim_names
    {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// `spec.priority` from the priority class (the two system classes, or 0).
pub fn priority(pod: &Pod) -> i64 {
    match pod.spec.priority_class_name.as_str() {
        "system-node-critical" => 2_000_001_000,
        "system-cluster-critical" => 2_000_000_000,
        _ => 0,
    }
}

/// The owning workload's name (the Deployment for ReplicaSet-owned pods).
fn workload_name(pod: &Pod) -> Option<String> {
    let owner = pod.meta.owner.as_ref()?;
    if owner.kind == Kind::ReplicaSet && !pod.lab.template_hash.is_empty() {
        let suffix = format!("-{}", pod.lab.template_hash);
        return Some(
            owner
                .name
                .strip_suffix(&suffix)
                .unwrap_or(&owner.name)
                .to_string(),
        );
    }
    Some(owner.name.clone())
}

/// `spec.serviceAccountName`: the EKS add-ons run as their own service accounts; everything
/// else gets `default` from the ServiceAccount admission plugin.
pub fn service_account(pod: &Pod) -> String {
    if pod.meta.namespace == "kube-system"
        && let Some(w) = workload_name(pod)
        && matches!(w.as_str(), "aws-node" | "kube-proxy" | "coredns")
    {
        return w;
    }
    "default".to_string()
}

/// The projected service-account token volume every pod gets (`kube-api-access-xxxxx`).
pub fn api_access_volume(pod: &Pod) -> String {
    format!(
        "kube-api-access-{}",
        k8s_suffix(
            &format!("{}/{}/{}", pod.meta.namespace, pod.meta.name, pod.meta.uid),
            5
        )
    )
}

/// Ready and total containers (the READY column).
pub fn ready_containers(pod: &Pod) -> (usize, usize) {
    let total = pod.spec.containers.len();
    let running = matches!(pod.status.container_state, ContainerState::Running { .. });
    (if running && pod.is_ready() { total } else { 0 }, total)
}

/// Has the kubelet reported container statuses yet?
pub fn has_container_statuses(pod: &Pod) -> bool {
    pod.status.start_time.is_some()
        || matches!(&pod.status.container_state, ContainerState::Waiting { reason } if !reason.is_empty())
}

/// `containerd://…` once the container exists.
pub fn container_id(pod: &Pod, container: &str) -> String {
    match pod.status.container_state {
        ContainerState::Running { .. } | ContainerState::Terminated { .. } => format!(
            "containerd://{}",
            hex(
                &format!("{}/{}/{container}", pod.meta.uid, pod.meta.name),
                64
            )
        ),
        ContainerState::Waiting { .. } => String::new(),
    }
}

/// The image digest the runtime resolved (`docker.io/library/nginx@sha256:…`).
pub fn image_id(image: &str) -> String {
    let repo = match image.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => image,
    };
    let first = repo.split('/').next().unwrap_or("");
    let qualified = if !repo.contains('/') {
        format!("docker.io/library/{repo}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        repo.to_string()
    } else {
        format!("docker.io/{repo}")
    };
    format!("{qualified}@sha256:{}", hex(image, 64))
}

/// When the containers started and (for finished pods) stopped, from the kubelet's events
/// and the Ready condition.
pub fn container_times(sim: &Simulation, pod: &Pod) -> (Option<SimTime>, Option<SimTime>) {
    let started = if let ContainerState::Running { started_at } = pod.status.container_state {
        Some(started_at)
    } else {
        let obj = ObjectRef::new(Kind::Pod, pod.meta.namespace.clone(), pod.meta.name.clone());
        sim.events()
            .for_object(&obj)
            .filter(|e| e.reason == crate::sim::event::reason::STARTED)
            .last()
            .map(|e| e.time)
    };
    let finished = match pod.status.container_state {
        ContainerState::Terminated { .. } => pod
            .condition(PodConditionType::Ready)
            .map(|c| c.last_transition_time),
        _ => None,
    };
    (started, finished)
}

/// A pod condition as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownCondition {
    pub type_: &'static str,
    pub status: &'static str,
    pub last_transition: SimTime,
    pub reason: String,
    pub message: String,
}

fn status_str(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// `status.conditions` in the kubelet's order: PodReadyToStartContainers, Initialized, Ready,
/// ContainersReady, PodScheduled (only PodScheduled before the pod is bound).
pub fn pod_conditions(pod: &Pod) -> Vec<ShownCondition> {
    let get = |t| pod.condition(t);
    let scheduled = get(PodConditionType::PodScheduled);
    let mut out = Vec::new();
    let Some(node_bound_at) = pod
        .spec
        .node_name
        .as_ref()
        .map(|_| scheduled.map_or(pod.meta.creation_timestamp, |c| c.last_transition_time))
    else {
        if let Some(c) = scheduled {
            out.push(ShownCondition {
                type_: "PodScheduled",
                status: status_str(c.status),
                last_transition: c.last_transition_time,
                reason: c.reason.clone(),
                message: c.message.clone(),
            });
        }
        return out;
    };
    let names: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
    let unready_message = format!("containers with unready status: [{}]", names.join(" "));
    let sandbox = pod.status.start_time.is_some() && !pod.status.phase.is_terminal();
    let sandbox_at = match (pod.status.start_time, get(PodConditionType::Ready)) {
        (Some(_), Some(r)) if pod.status.phase.is_terminal() => r.last_transition_time,
        (Some(t), _) => t,
        (None, _) => node_bound_at,
    };
    out.push(ShownCondition {
        type_: "PodReadyToStartContainers",
        status: status_str(sandbox),
        last_transition: sandbox_at,
        reason: String::new(),
        message: String::new(),
    });
    out.push(ShownCondition {
        type_: "Initialized",
        status: "True",
        last_transition: get(PodConditionType::Initialized)
            .map_or(node_bound_at, |c| c.last_transition_time),
        reason: String::new(),
        message: String::new(),
    });
    for t in [PodConditionType::Ready, PodConditionType::ContainersReady] {
        let shown = match get(t) {
            Some(c) => ShownCondition {
                type_: t.as_str(),
                status: status_str(c.status),
                last_transition: c.last_transition_time,
                reason: if c.status || !c.reason.is_empty() {
                    c.reason.clone()
                } else {
                    "ContainersNotReady".to_string()
                },
                message: if c.status || c.reason == "PodCompleted" {
                    c.message.clone()
                } else {
                    unready_message.clone()
                },
            },
            None => ShownCondition {
                type_: t.as_str(),
                status: "False",
                last_transition: node_bound_at,
                reason: "ContainersNotReady".to_string(),
                message: unready_message.clone(),
            },
        };
        out.push(shown);
    }
    out.push(ShownCondition {
        type_: "PodScheduled",
        status: "True",
        last_transition: node_bound_at,
        reason: String::new(),
        message: String::new(),
    });
    if let Some(c) = get(PodConditionType::DisruptionTarget) {
        out.push(ShownCondition {
            type_: "DisruptionTarget",
            status: status_str(c.status),
            last_transition: c.last_transition_time,
            reason: c.reason.clone(),
            message: c.message.clone(),
        });
    }
    out
}

/// A toleration as the API stores it, including `tolerationSeconds`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownToleration {
    pub key: String,
    pub operator: &'static str,
    pub value: String,
    pub effect: Option<TaintEffect>,
    pub seconds: Option<u64>,
}

/// The pod's tolerations plus the two the DefaultTolerationSeconds admission plugin adds
/// (`not-ready` and `unreachable`, NoExecute, 300 s) unless the pod already tolerates them.
pub fn pod_tolerations(pod: &Pod) -> Vec<ShownToleration> {
    const UNREACHABLE: &str = "node.kubernetes.io/unreachable";
    let mut out: Vec<ShownToleration> = pod
        .spec
        .tolerations
        .iter()
        .map(|t| ShownToleration {
            key: t.key.clone(),
            operator: match t.operator {
                TolerationOperator::Exists => "Exists",
                TolerationOperator::Equal => "Equal",
            },
            value: t.value.clone(),
            effect: t.effect,
            seconds: None,
        })
        .collect();
    for key in [taints::NOT_READY, UNREACHABLE] {
        let tolerated = pod.spec.tolerations.iter().any(|t| {
            (t.key == key || t.key.is_empty())
                && t.effect.is_none_or(|e| e == TaintEffect::NoExecute)
        });
        if !tolerated {
            out.push(ShownToleration {
                key: key.to_string(),
                operator: "Exists",
                value: String::new(),
                effect: Some(TaintEffect::NoExecute),
                seconds: Some(300),
            });
        }
    }
    out
}

/// One toleration as `kubectl describe` prints it.
pub fn toleration_text(t: &ShownToleration) -> String {
    let mut s = t.key.clone();
    if !t.value.is_empty() {
        s.push('=');
        s.push_str(&t.value);
    }
    if let Some(e) = t.effect {
        s.push(':');
        s.push_str(e.as_str());
    }
    if t.operator == "Exists" && t.value.is_empty() {
        if t.key.is_empty() && t.effect.is_none() {
            s.push_str("op=Exists");
        } else {
            s.push_str(" op=Exists");
        }
    }
    if let Some(secs) = t.seconds {
        let _ = write!(s, " for {secs}s");
    }
    s
}

/// `Taint.ToString()`: `key=value:Effect` or `key:Effect`.
pub fn taint_text(t: &Taint) -> String {
    if t.value.is_empty() {
        format!("{}:{}", t.key, t.effect.as_str())
    } else {
        format!("{}={}:{}", t.key, t.value, t.effect.as_str())
    }
}

// ---- nodes ----

/// What the kubelet reports about the machine (`status.nodeInfo`). The values are
/// illustrative of the EKS AL2023 AMI and Fargate's Amazon Linux 2 micro-VMs; the simulation
/// does not model them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeInfo {
    pub os_image: &'static str,
    pub kernel: String,
    pub container_runtime: &'static str,
    pub architecture: String,
    pub machine_id: String,
    pub system_uuid: String,
    pub boot_id: String,
}

pub fn node_info(node: &Node) -> NodeInfo {
    let arch = node
        .labels()
        .get("kubernetes.io/arch")
        .cloned()
        .unwrap_or_else(|| "amd64".to_string());
    let machine = if arch == "arm64" { "aarch64" } else { "x86_64" };
    let name = node.name();
    let system_uuid = if node.data_plane.is_fargate() {
        uuid(&format!("{name}/system"))
    } else {
        // EC2 system UUIDs start with `ec2`.
        let u = uuid(&format!("{name}/system"));
        format!("ec2{}", &u[3..])
    };
    let minor = node
        .status
        .kubelet_version
        .trim_start_matches('v')
        .split('.')
        .nth(1)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    let (os_image, kernel) = if node.data_plane.is_fargate() {
        (
            "Amazon Linux 2",
            format!("5.10.240-238.955.amzn2.{machine}"),
        )
    } else if minor >= 33 {
        (
            "Amazon Linux 2023.9.20260629",
            format!("6.12.40-63.114.amzn2023.{machine}"),
        )
    } else {
        (
            "Amazon Linux 2023.9.20260629",
            format!("6.1.147-172.266.amzn2023.{machine}"),
        )
    };
    NodeInfo {
        os_image,
        kernel,
        container_runtime: "containerd://1.7.27",
        architecture: arch,
        machine_id: hex(&format!("{name}/machine"), 32),
        system_uuid,
        boot_id: uuid(&format!("{name}/boot/{}", node.meta.uid)),
    }
}

/// `Kube-Proxy Version`: the kubelet stopped filling it in at 1.33 (DisableNodeKubeProxyVersion).
pub fn kube_proxy_version(node: &Node) -> String {
    let v = &node.status.kubelet_version;
    let minor = v
        .trim_start_matches('v')
        .split('.')
        .nth(1)
        .and_then(|m| m.parse::<u32>().ok())
        .unwrap_or(0);
    if minor >= 33 {
        String::new()
    } else {
        v.clone()
    }
}

/// The node's taints as stored on the API object (the lifecycle controller's included).
pub fn node_taints(node: &Node) -> Vec<Taint> {
    node.effective_taints()
}

/// One node condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConditionRow {
    pub type_: &'static str,
    pub status: &'static str,
    pub heartbeat: SimTime,
    pub transition: SimTime,
    pub reason: &'static str,
    pub message: &'static str,
}

/// MemoryPressure, DiskPressure, PIDPressure and Ready, as the kubelet posts them (every five
/// minutes when nothing changes) or as the node controller marks them when the kubelet stops.
pub fn node_conditions(now: SimTime, node: &Node) -> Vec<NodeConditionRow> {
    let created = node.meta.creation_timestamp;
    let ready = &node.status.ready;
    let unknown = !ready.ready && ready.reason == "NodeStatusUnknown";
    let report_every = 300_000;
    let since = now.saturating_sub(ready.last_transition_time).as_millis();
    let heartbeat = if unknown {
        ready.last_transition_time
    } else {
        SimTime(ready.last_transition_time.as_millis() + since / report_every * report_every)
    };
    let pressure = |type_, reason, message| NodeConditionRow {
        type_,
        status: if unknown { "Unknown" } else { "False" },
        heartbeat,
        transition: if unknown {
            ready.last_transition_time
        } else {
            created
        },
        reason: if unknown { "NodeStatusUnknown" } else { reason },
        message: if unknown {
            "Kubelet stopped posting node status."
        } else {
            message
        },
    };
    let ready_row = if ready.ready {
        NodeConditionRow {
            type_: "Ready",
            status: "True",
            heartbeat,
            transition: ready.last_transition_time,
            reason: "KubeletReady",
            message: "kubelet is posting ready status",
        }
    } else if unknown {
        NodeConditionRow {
            type_: "Ready",
            status: "Unknown",
            heartbeat,
            transition: ready.last_transition_time,
            reason: "NodeStatusUnknown",
            message: "Kubelet stopped posting node status.",
        }
    } else {
        NodeConditionRow {
            type_: "Ready",
            status: "False",
            heartbeat,
            transition: ready.last_transition_time,
            reason: "KubeletNotReady",
            message: "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
        }
    };
    vec![
        pressure(
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        pressure(
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        pressure(
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
        ready_row,
    ]
}

/// The STATUS column of `kubectl get nodes`.
pub fn node_status(node: &Node) -> String {
    let mut s = if node.is_ready() { "Ready" } else { "NotReady" }.to_string();
    if node.spec.unschedulable {
        s.push_str(",SchedulingDisabled");
    }
    s
}

/// The node's EC2 private DNS name (`ip-192-168-1-2.ec2.internal`), also its hostname.
pub fn node_hostname(node: &Node) -> String {
    crate::sim::eks::ec2::node_name_for_ip(&node.status.internal_ip)
}

/// Ephemeral storage capacity in KiB and allocatable in bytes. Illustrative: the root volume
/// less filesystem overhead; allocatable keeps back the 10 % eviction threshold and 1 GiB.
pub fn ephemeral_storage(sim: &Simulation, node: &Node) -> (u64, u64) {
    let capacity_ki = if let DataPlane::Fargate { .. } = node.data_plane {
        30_787_492
    } else {
        let gib = sim
            .state()
            .instances
            .get(&node.instance_id)
            .map_or(20, |i| i.volume_gib);
        (gib * 1_048_576).saturating_sub(12_308)
    };
    let bytes = capacity_ki * 1024;
    (capacity_ki, bytes - bytes / 10 - (1 << 30))
}

// ---- events ----

/// Is this a Kubernetes kind (one `kubectl get events` can show)?
pub fn is_kubernetes_kind(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Pod
            | Kind::Node
            | Kind::Namespace
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::PodDisruptionBudget
            | Kind::HorizontalPodAutoscaler
            | Kind::VerticalPodAutoscaler
    )
}

/// Identical events about one object folded into one with a count, as the client-go event
/// correlator does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregatedEvent {
    pub object: ObjectRef,
    pub type_: EventType,
    pub reason: &'static str,
    pub source: &'static str,
    pub message: String,
    pub first: SimTime,
    pub last: SimTime,
    pub count: u64,
    /// Sequence number of the first occurrence (a stable tiebreak).
    pub seq: u64,
}

/// Aggregates the events that pass `filter`, sorted by last occurrence (then first seen).
pub fn aggregated_events(
    sim: &Simulation,
    filter: impl Fn(&ObjectRef) -> bool,
) -> Vec<AggregatedEvent> {
    type Key<'a> = (
        &'a ObjectRef,
        EventType,
        &'static str,
        &'static str,
        &'a str,
    );
    let mut index: BTreeMap<Key<'_>, usize> = BTreeMap::new();
    let mut out: Vec<AggregatedEvent> = Vec::new();
    for e in sim.events().all() {
        if !filter(&e.object) {
            continue;
        }
        let key = (&e.object, e.type_, e.reason, e.source, e.message.as_str());
        if let Some(&i) = index.get(&key) {
            let a = &mut out[i];
            a.count += 1;
            a.last = e.time;
        } else {
            index.insert(key, out.len());
            out.push(AggregatedEvent {
                object: e.object.clone(),
                type_: e.type_,
                reason: e.reason,
                source: e.source,
                message: e.message.trim().to_string(),
                first: e.time,
                last: e.time,
                count: 1,
                seq: e.seq,
            });
        }
    }
    crate::sim::sort::sort_by_key(&mut out, |a| (a.last, a.seq));
    out
}

/// The namespace an event lives in: its object's, or `default` for cluster-scoped objects.
pub fn event_namespace(obj: &ObjectRef) -> &str {
    if obj.namespace.is_empty() {
        "default"
    } else {
        &obj.namespace
    }
}

/// Pods of a phase, for "Pods Status" lines.
pub fn count_phase<'a>(pods: impl Iterator<Item = &'a Pod>) -> [u64; 4] {
    let mut c = [0u64; 4];
    for p in pods {
        match p.status.phase {
            PodPhase::Running => c[0] += 1,
            PodPhase::Pending | PodPhase::Unknown => c[1] += 1,
            PodPhase::Succeeded => c[2] += 1,
            PodPhase::Failed => c[3] += 1,
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::{Container, ObjectMeta, PodSpec, PodStatus};
    use crate::sim::quantity::MIB;

    fn pod(containers: Vec<(Resources, Resources)>) -> Pod {
        Pod {
            meta: ObjectMeta::named("default", "p"),
            spec: PodSpec {
                containers: containers
                    .into_iter()
                    .map(|(requests, limits)| Container {
                        name: "c".into(),
                        requests,
                        limits,
                        ..Container::default()
                    })
                    .collect(),
                ..PodSpec::default()
            },
            status: PodStatus::default(),
            lab: crate::sim::api::pod::PodLab::default(),
        }
    }

    #[test]
    fn qos_classes_follow_upstream() {
        let r = |c, m| Resources::new(c, m * MIB);
        assert_eq!(
            qos_class(&pod(vec![(Resources::ZERO, Resources::ZERO)])),
            "BestEffort"
        );
        assert_eq!(
            qos_class(&pod(vec![(r(250, 256), r(250, 256))])),
            "Guaranteed"
        );
        assert_eq!(
            qos_class(&pod(vec![(r(250, 256), r(500, 256))])),
            "Burstable"
        );
        assert_eq!(
            qos_class(&pod(vec![(r(250, 0), Resources::ZERO)])),
            "Burstable"
        );
        // A container limiting only memory is Burstable (CoreDNS).
        assert_eq!(qos_class(&pod(vec![(r(100, 70), r(0, 170))])), "Burstable");
        // Every container must limit both resources.
        assert_eq!(
            qos_class(&pod(vec![
                (r(250, 256), r(250, 256)),
                (Resources::ZERO, Resources::ZERO)
            ])),
            "Burstable"
        );
    }

    #[test]
    fn identifiers_are_stable_and_well_formed() {
        let u = uuid("x");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!("89ab".contains(&u[19..20]), "{u}");
        assert_eq!(uuid("x"), u);
        assert_ne!(uuid("y"), u);
        assert_eq!(hex("a", 64).len(), 64);
        assert_eq!(k8s_suffix("a", 5).len(), 5);
    }

    #[test]
    fn image_ids_name_the_registry() {
        assert!(image_id("nginx:1.27").starts_with("docker.io/library/nginx@sha256:"));
        assert!(image_id("bitnami/redis:7").starts_with("docker.io/bitnami/redis@sha256:"));
        assert!(
            image_id("public.ecr.aws/docker/library/busybox:1.37")
                .starts_with("public.ecr.aws/docker/library/busybox@sha256:")
        );
        assert!(image_id("localhost:5000/app").starts_with("localhost:5000/app@sha256:"));
    }

    #[test]
    fn percentages_truncate_like_go() {
        assert_eq!(percent(1330, 1930), 68);
        assert_eq!(percent(965, 1930), 50);
        assert_eq!(percent(1, 0), 0);
        // 29/100*100 is 28.999999999999996 in binary floating point; Go prints 28.
        assert_eq!(percent(29, 100), 28);
    }
}
