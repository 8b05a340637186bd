//! `kubectl get <kind> <name> -o yaml` for the inspector's YAML tab: apiVersion, kind,
//! metadata, spec and status with the API's field names, including the fields the API server
//! defaults and the kubelet reports. Node groups and Fargate profiles are shown as the AWS
//! CLI's `--output yaml`.

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::meta::SelectorOperator;
use crate::sim::api::pod::ContainerState;
use crate::sim::api::{
    Container, DaemonSet, Deployment, DeploymentStrategy, IntOrPercent, Job, Kind, LabelSelector,
    Node, ObjectMeta, Pod, PodDisruptionBudget, PodSpec, PodTemplateSpec, TaintEffect, Volume,
    VolumeSource,
};
use crate::sim::clock::SimTime;
use crate::sim::quantity::Resources;

use super::doc::{Obj, Val, YamlStyle, to_yaml};
use super::facts::{
    api_access_volume, container_id, container_times, cpu, ephemeral_storage,
    has_container_statuses, image_id, kube_proxy_version, mem, mem_ki, node_conditions,
    node_hostname, node_info, node_taints, object_uid, pod_conditions, pod_tolerations, priority,
    qos_class, service_account,
};
use super::{ObjectId, cal};

/// The YAML for an inspector object.
pub(super) fn yaml(sim: &Simulation, id: &ObjectId) -> Option<String> {
    let st = sim.state();
    let (doc, style) = match id {
        ObjectId::Pod(k) => (pod_doc(sim, st.pods.get(k)?), YamlStyle::Kubectl),
        ObjectId::Node(n) => (node_doc(sim, st.nodes.get(n)?), YamlStyle::Kubectl),
        ObjectId::Deployment(k) => (
            deployment_doc(sim, st.deployments.get(k)?),
            YamlStyle::Kubectl,
        ),
        ObjectId::DaemonSet(k) => (
            daemonset_doc(sim, st.daemonsets.get(k)?),
            YamlStyle::Kubectl,
        ),
        ObjectId::Job(k) => (job_doc(sim, st.jobs.get(k)?), YamlStyle::Kubectl),
        ObjectId::Pdb(k) => (pdb_doc(sim, st.pdbs.get(k)?), YamlStyle::Kubectl),
        ObjectId::Hpa(k) => (
            super::hpa::hpa_doc(sim, st.hpas.get(k)?),
            YamlStyle::Kubectl,
        ),
        ObjectId::Vpa(k) => (
            super::vpa::vpa_doc(sim, st.vpas.get(k)?),
            YamlStyle::Kubectl,
        ),
        ObjectId::Nodegroup(n) => (
            super::eksctl::nodegroup_or_asg_doc(sim, n)?,
            YamlStyle::AwsCli,
        ),
        ObjectId::FargateProfile(n) => (
            super::eksctl::fargate_profile_doc(sim, st.fargate_profiles.get(n)?),
            YamlStyle::AwsCli,
        ),
    };
    Some(to_yaml(&doc, style))
}

fn ts(sim: &Simulation, t: SimTime) -> Val {
    Val::str(cal(sim, t).rfc3339())
}

fn api_version(kind: Kind) -> &'static str {
    match kind {
        Kind::Deployment | Kind::ReplicaSet | Kind::DaemonSet => "apps/v1",
        Kind::Job => "batch/v1",
        Kind::PodDisruptionBudget => "policy/v1",
        _ => "v1",
    }
}

/// `metadata` with the server-set fields.
fn metadata(
    sim: &Simulation,
    kind: Kind,
    m: &ObjectMeta,
    labels: &BTreeMap<String, String>,
    annotations: &BTreeMap<String, String>,
    generation: bool,
) -> Val {
    let owner = m.owner.as_ref().map(|o| {
        let owner_uid = owner_uid(sim, o.kind, &m.namespace, &o.name);
        Val::Seq(vec![
            Obj::new()
                .put_str("apiVersion", api_version(o.kind))
                .put("blockOwnerDeletion", Val::bool(true))
                .put("controller", Val::bool(true))
                .put_str("kind", o.kind.as_str())
                .put_str("name", o.name.clone())
                .put_str("uid", owner_uid)
                .build(),
        ])
    });
    let generate_name = m
        .owner
        .as_ref()
        .filter(|_| kind == Kind::Pod)
        .map(|o| Val::str(format!("{}-", o.name)));
    Obj::new()
        .put_nonempty("annotations", Val::string_map(annotations))
        .put("creationTimestamp", ts(sim, m.creation_timestamp))
        .put_opt(
            "deletionTimestamp",
            m.deletion_timestamp.map(|t| ts(sim, t)),
        )
        .put_opt("generateName", generate_name)
        .put_opt(
            "generation",
            generation.then(|| Val::num(m.generation.max(1))),
        )
        .put_nonempty("labels", Val::string_map(labels))
        .put_str("name", m.name.clone())
        .put_nonempty_str("namespace", &m.namespace)
        .put_opt("ownerReferences", owner)
        .put_str("uid", object_uid(kind, &m.namespace, &m.name, m.uid))
        .build()
}

fn owner_uid(sim: &Simulation, kind: Kind, namespace: &str, name: &str) -> String {
    let key = crate::sim::api::ObjectKey::new(namespace, name);
    let st = sim.state();
    let uid = match kind {
        Kind::ReplicaSet => st.replicasets.get(&key).map(|o| o.meta.uid),
        Kind::Deployment => st.deployments.get(&key).map(|o| o.meta.uid),
        Kind::DaemonSet => st.daemonsets.get(&key).map(|o| o.meta.uid),
        Kind::Job => st.jobs.get(&key).map(|o| o.meta.uid),
        _ => None,
    };
    object_uid(kind, namespace, name, uid.unwrap_or(0))
}

fn resource_map(r: Resources, gpus: u64) -> Val {
    let mut o = Obj::new();
    if r.cpu.0 > 0 {
        o = o.put_str("cpu", cpu(r.cpu));
    }
    if r.memory.0 > 0 {
        o = o.put_str("memory", mem(r.memory));
    }
    if gpus > 0 {
        o = o.put_str("nvidia.com/gpu", gpus.to_string());
    }
    o.build()
}

fn pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None if !image.contains('@') => "Always",
        _ => "IfNotPresent",
    }
}

fn container_doc(c: &Container, token_volume: Option<&str>) -> Val {
    let ports = Val::Seq(
        c.ports
            .iter()
            .map(|p| {
                Obj::new()
                    .put("containerPort", Val::num(p.container_port))
                    .put_opt("hostPort", p.host_port.map(Val::num))
                    .put_str(
                        "protocol",
                        if p.protocol.is_empty() {
                            "TCP"
                        } else {
                            &p.protocol
                        },
                    )
                    .build()
            })
            .collect(),
    );
    let resources = Obj::new()
        .put_nonempty("limits", resource_map(c.limits, c.gpus))
        .put_nonempty("requests", resource_map(c.requests, c.gpus))
        .build();
    let security = c
        .privileged
        .then(|| Obj::new().put("privileged", Val::bool(true)).build());
    let mounts = token_volume.map(|v| {
        Val::Seq(vec![
            Obj::new()
                .put_str("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
                .put_str("name", v)
                .put("readOnly", Val::bool(true))
                .build(),
        ])
    });
    Obj::new()
        .put_nonempty("command", Val::strs(&c.command))
        .put_str("image", c.image.clone())
        .put_str("imagePullPolicy", pull_policy(&c.image))
        .put_str("name", c.name.clone())
        .put_nonempty("ports", ports)
        .put("resources", resources)
        .put_opt("securityContext", security)
        .put_str("terminationMessagePath", "/dev/termination-log")
        .put_str("terminationMessagePolicy", "File")
        .put_opt("volumeMounts", mounts)
        .build()
}

fn volume_doc(v: &Volume) -> Val {
    let source = match &v.source {
        VolumeSource::EmptyDir { memory } => (
            "emptyDir",
            if *memory {
                Obj::new().put_str("medium", "Memory").build()
            } else {
                Obj::new().build()
            },
        ),
        VolumeSource::HostPath => ("hostPath", Obj::new().put_str("path", "").build()),
        VolumeSource::PersistentVolumeClaim { claim_name, .. } => (
            "persistentVolumeClaim",
            Obj::new().put_str("claimName", claim_name.clone()).build(),
        ),
        VolumeSource::ConfigMap => (
            "configMap",
            Obj::new()
                .put("defaultMode", Val::num(420))
                .put_str("name", v.name.clone())
                .build(),
        ),
        VolumeSource::Secret => (
            "secret",
            Obj::new()
                .put("defaultMode", Val::num(420))
                .put_str("secretName", v.name.clone())
                .build(),
        ),
        VolumeSource::Other(kind) => (kind.as_str(), Obj::new().build()),
    };
    Obj::new()
        .put(source.0, source.1)
        .put_str("name", v.name.clone())
        .build()
}

/// The projected service-account token volume the ServiceAccount admission plugin adds.
fn token_volume_doc(name: &str) -> Val {
    let items = |key: &str| {
        Val::Seq(vec![
            Obj::new().put_str("key", key).put_str("path", key).build(),
        ])
    };
    Obj::new()
        .put_str("name", name)
        .put(
            "projected",
            Obj::new()
                .put("defaultMode", Val::num(420))
                .put(
                    "sources",
                    Val::Seq(vec![
                        Obj::new()
                            .put(
                                "serviceAccountToken",
                                Obj::new()
                                    .put("expirationSeconds", Val::num(3607))
                                    .put_str("path", "token")
                                    .build(),
                            )
                            .build(),
                        Obj::new()
                            .put(
                                "configMap",
                                Obj::new()
                                    .put("items", items("ca.crt"))
                                    .put_str("name", "kube-root-ca.crt")
                                    .build(),
                            )
                            .build(),
                        Obj::new()
                            .put(
                                "downwardAPI",
                                Obj::new()
                                    .put(
                                        "items",
                                        Val::Seq(vec![
                                            Obj::new()
                                                .put(
                                                    "fieldRef",
                                                    Obj::new()
                                                        .put_str("apiVersion", "v1")
                                                        .put_str("fieldPath", "metadata.namespace")
                                                        .build(),
                                                )
                                                .put_str("path", "namespace")
                                                .build(),
                                        ]),
                                    )
                                    .build(),
                            )
                            .build(),
                    ]),
                )
                .build(),
        )
        .build()
}

fn affinity_doc(spec: &PodSpec) -> Option<Val> {
    if spec.node_affinity.is_empty() {
        return None;
    }
    let terms: Vec<Val> = spec
        .node_affinity
        .iter()
        .map(|term| {
            let exprs: Vec<Val> = term
                .iter()
                .map(|r| {
                    let op = match r.operator {
                        SelectorOperator::In => "In",
                        SelectorOperator::NotIn => "NotIn",
                        SelectorOperator::Exists => "Exists",
                        SelectorOperator::DoesNotExist => "DoesNotExist",
                    };
                    Obj::new()
                        .put_str("key", r.key.clone())
                        .put_str("operator", op)
                        .put_nonempty("values", Val::strs(&r.values))
                        .build()
                })
                .collect();
            Obj::new().put("matchExpressions", Val::Seq(exprs)).build()
        })
        .collect();
    Some(
        Obj::new()
            .put(
                "nodeAffinity",
                Obj::new()
                    .put(
                        "requiredDuringSchedulingIgnoredDuringExecution",
                        Obj::new().put("nodeSelectorTerms", Val::Seq(terms)).build(),
                    )
                    .build(),
            )
            .build(),
    )
}

fn effect_str(e: Option<TaintEffect>) -> Option<Val> {
    e.map(|e| Val::str(e.as_str()))
}

/// A pod spec; `pod` adds what admission and scheduling filled in on a real pod.
fn pod_spec_doc(spec: &PodSpec, pod: Option<&Pod>, service_account: Option<String>) -> Val {
    let token = pod.map(api_access_volume);
    let containers = |list: &[Container]| {
        Val::Seq(
            list.iter()
                .map(|c| container_doc(c, token.as_deref()))
                .collect(),
        )
    };
    let tolerations: Vec<Val> = match pod {
        Some(p) => pod_tolerations(p)
            .into_iter()
            .map(|t| {
                Obj::new()
                    .put_opt("effect", effect_str(t.effect))
                    .put_nonempty_str("key", &t.key)
                    .put_str("operator", t.operator)
                    .put_opt("tolerationSeconds", t.seconds.map(Val::num))
                    .put_nonempty_str("value", &t.value)
                    .build()
            })
            .collect(),
        None => spec
            .tolerations
            .iter()
            .map(|t| {
                Obj::new()
                    .put_opt("effect", effect_str(t.effect))
                    .put_nonempty_str("key", &t.key)
                    .put_str(
                        "operator",
                        match t.operator {
                            crate::sim::api::TolerationOperator::Exists => "Exists",
                            crate::sim::api::TolerationOperator::Equal => "Equal",
                        },
                    )
                    .put_nonempty_str("value", &t.value)
                    .build()
            })
            .collect(),
    };
    let mut volumes: Vec<Val> = spec.volumes.iter().map(volume_doc).collect();
    if let Some(t) = &token {
        volumes.push(token_volume_doc(t));
    }
    let scheduler = if spec.scheduler_name.is_empty() {
        "default-scheduler"
    } else {
        &spec.scheduler_name
    };
    let restart = if spec.restart_policy.is_empty() {
        "Always"
    } else {
        &spec.restart_policy
    };
    Obj::new()
        .put_opt("affinity", affinity_doc(spec))
        .put("containers", containers(&spec.containers))
        .put_str(
            "dnsPolicy",
            if spec.host_network {
                "ClusterFirstWithHostNet"
            } else {
                "ClusterFirst"
            },
        )
        .put("enableServiceLinks", Val::bool(true))
        .put_opt("hostNetwork", spec.host_network.then(|| Val::bool(true)))
        .put_nonempty("initContainers", containers(&spec.init_containers))
        .put_opt("nodeName", spec.node_name.clone().map(Val::str))
        .put_nonempty("nodeSelector", Val::string_map(&spec.node_selector))
        .put_opt(
            "preemptionPolicy",
            pod.map(|_| Val::str("PreemptLowerPriority")),
        )
        .put_opt("priority", pod.map(|p| Val::num(priority(p))))
        .put_nonempty_str("priorityClassName", &spec.priority_class_name)
        .put_str("restartPolicy", restart)
        .put_str("schedulerName", scheduler)
        .put("securityContext", Obj::new().build())
        .put_opt("serviceAccount", service_account.clone().map(Val::str))
        .put_opt("serviceAccountName", service_account.map(Val::str))
        .put(
            "terminationGracePeriodSeconds",
            Val::num(spec.termination_grace_period_secs),
        )
        .put_nonempty("tolerations", Val::Seq(tolerations))
        .put_nonempty("volumes", Val::Seq(volumes))
        .build()
}

fn template_doc(t: &PodTemplateSpec, labels: &BTreeMap<String, String>, sa: Option<String>) -> Val {
    Obj::new()
        .put(
            "metadata",
            Obj::new()
                .put_nonempty("annotations", Val::string_map(&t.annotations))
                .put_nonempty("labels", Val::string_map(labels))
                .build(),
        )
        .put("spec", pod_spec_doc(&t.spec, None, sa))
        .build()
}

fn selector_doc(s: &LabelSelector) -> Val {
    let exprs: Vec<Val> = s
        .match_expressions
        .iter()
        .map(|r| {
            let op = match r.operator {
                SelectorOperator::In => "In",
                SelectorOperator::NotIn => "NotIn",
                SelectorOperator::Exists => "Exists",
                SelectorOperator::DoesNotExist => "DoesNotExist",
            };
            Obj::new()
                .put_str("key", r.key.clone())
                .put_str("operator", op)
                .put_nonempty("values", Val::strs(&r.values))
                .build()
        })
        .collect();
    Obj::new()
        .put_nonempty("matchExpressions", Val::Seq(exprs))
        .put_nonempty("matchLabels", Val::string_map(&s.match_labels))
        .build()
}

fn int_or_percent(v: IntOrPercent) -> Val {
    match v {
        IntOrPercent::Int(n) => Val::num(n),
        IntOrPercent::Percent(_) => Val::str(v.to_string()),
    }
}

fn condition(
    sim: &Simulation,
    type_: &str,
    status: &str,
    at: SimTime,
    reason: &str,
    message: &str,
    probe: bool,
) -> Val {
    Obj::new()
        .put_opt("lastProbeTime", probe.then_some(Val::Null))
        .put("lastTransitionTime", ts(sim, at))
        .put_nonempty_str("message", message)
        .put_nonempty_str("reason", reason)
        .put_str("status", status)
        .put_str("type", type_)
        .build()
}

fn pod_doc(sim: &Simulation, p: &Pod) -> Val {
    let labels = super::describe::pod_labels(sim, p);
    let conditions: Vec<Val> = pod_conditions(p)
        .into_iter()
        .map(|c| {
            condition(
                sim,
                c.type_,
                c.status,
                c.last_transition,
                &c.reason,
                &c.message,
                true,
            )
        })
        .collect();
    let statuses: Vec<Val> = if has_container_statuses(p) {
        let (started, finished) = container_times(sim, p);
        p.spec
            .containers
            .iter()
            .map(|c| {
                let (state, ready, running) = match &p.status.container_state {
                    ContainerState::Running { started_at } => (
                        Obj::new()
                            .put(
                                "running",
                                Obj::new().put("startedAt", ts(sim, *started_at)).build(),
                            )
                            .build(),
                        p.is_ready(),
                        true,
                    ),
                    ContainerState::Waiting { reason } => (
                        Obj::new()
                            .put(
                                "waiting",
                                Obj::new().put_nonempty_str("reason", reason).build(),
                            )
                            .build(),
                        false,
                        false,
                    ),
                    ContainerState::Terminated { reason, exit_code } => (
                        Obj::new()
                            .put(
                                "terminated",
                                Obj::new()
                                    .put_str("containerID", container_id(p, &c.name))
                                    .put("exitCode", Val::num(exit_code))
                                    .put_opt("finishedAt", finished.map(|t| ts(sim, t)))
                                    .put_nonempty_str("reason", reason)
                                    .put_opt("startedAt", started.map(|t| ts(sim, t)))
                                    .build(),
                            )
                            .build(),
                        false,
                        false,
                    ),
                };
                let waiting = matches!(p.status.container_state, ContainerState::Waiting { .. });
                Obj::new()
                    .put_nonempty_str("containerID", &container_id(p, &c.name))
                    .put_str("image", c.image.clone())
                    .put_str(
                        "imageID",
                        if waiting {
                            String::new()
                        } else {
                            image_id(&c.image)
                        },
                    )
                    .put("lastState", Obj::new().build())
                    .put_str("name", c.name.clone())
                    .put("ready", Val::bool(ready))
                    .put("restartCount", Val::num(p.status.restart_count))
                    .put("started", Val::bool(running))
                    .put("state", state)
                    .build()
            })
            .collect()
    } else {
        Vec::new()
    };
    let ip_list = |ip: &Option<String>| {
        ip.as_ref()
            .map(|ip| Val::Seq(vec![Obj::new().put_str("ip", ip.clone()).build()]))
    };
    let status = Obj::new()
        .put_nonempty("conditions", Val::Seq(conditions))
        .put_nonempty("containerStatuses", Val::Seq(statuses))
        .put_opt("hostIP", p.status.host_ip.clone().map(Val::str))
        .put_opt("hostIPs", ip_list(&p.status.host_ip))
        .put_nonempty_str("message", &p.status.message)
        .put_str("phase", p.status.phase.as_str())
        .put_opt("podIP", p.status.pod_ip.clone().map(Val::str))
        .put_opt("podIPs", ip_list(&p.status.pod_ip))
        .put_str("qosClass", qos_class(p))
        .put_nonempty_str("reason", &p.status.reason)
        .put_opt("startTime", p.status.start_time.map(|t| ts(sim, t)))
        .build();
    Obj::new()
        .put_str("apiVersion", "v1")
        .put_str("kind", "Pod")
        .put(
            "metadata",
            metadata(sim, Kind::Pod, &p.meta, &labels, &p.meta.annotations, false),
        )
        .put(
            "spec",
            pod_spec_doc(&p.spec, Some(p), Some(service_account(p))),
        )
        .put("status", status)
        .build()
}

fn node_doc(sim: &Simulation, n: &Node) -> Val {
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
    let taints: Vec<Val> = node_taints(n)
        .iter()
        .map(|t| {
            Obj::new()
                .put_str("effect", t.effect.as_str())
                .put_str("key", t.key.clone())
                .put_nonempty_str("value", &t.value)
                .build()
        })
        .collect();
    let spec = Obj::new()
        .put_nonempty_str("providerID", &n.spec.provider_id)
        .put_nonempty("taints", Val::Seq(taints))
        .put_opt(
            "unschedulable",
            n.spec.unschedulable.then(|| Val::bool(true)),
        )
        .build();
    let (storage_ki, storage_alloc) = ephemeral_storage(sim, n);
    let list = |r: Resources, storage: String| {
        Obj::new()
            .put_str("cpu", cpu(r.cpu))
            .put_str("ephemeral-storage", storage)
            .put_str("hugepages-1Gi", "0")
            .put_str("hugepages-2Mi", "0")
            .put_str("memory", mem_ki(r.memory))
            .put_str("pods", n.status.max_pods.to_string())
            .build()
    };
    let host = node_hostname(n);
    let addresses = Val::Seq(
        [
            ("InternalIP", n.status.internal_ip.clone()),
            ("InternalDNS", host.clone()),
            ("Hostname", host),
        ]
        .into_iter()
        .map(|(t, a)| Obj::new().put_str("address", a).put_str("type", t).build())
        .collect(),
    );
    let conditions: Vec<Val> = node_conditions(sim.now(), n)
        .into_iter()
        .map(|c| {
            Obj::new()
                .put("lastHeartbeatTime", ts(sim, c.heartbeat))
                .put("lastTransitionTime", ts(sim, c.transition))
                .put_str("message", c.message)
                .put_str("reason", c.reason)
                .put_str("status", c.status)
                .put_str("type", c.type_)
                .build()
        })
        .collect();
    let info = node_info(n);
    let node_info_doc = Obj::new()
        .put_str("architecture", info.architecture)
        .put_str("bootID", info.boot_id)
        .put_str("containerRuntimeVersion", info.container_runtime)
        .put_str("kernelVersion", info.kernel)
        .put_str("kubeProxyVersion", kube_proxy_version(n))
        .put_str("kubeletVersion", n.status.kubelet_version.clone())
        .put_str("machineID", info.machine_id)
        .put_str("operatingSystem", "linux")
        .put_str("osImage", info.os_image)
        .put_str("systemUUID", info.system_uuid)
        .build();
    let status = Obj::new()
        .put("addresses", addresses)
        .put(
            "allocatable",
            list(n.status.allocatable, storage_alloc.to_string()),
        )
        .put(
            "capacity",
            list(n.status.capacity, format!("{storage_ki}Ki")),
        )
        .put("conditions", Val::Seq(conditions))
        .put(
            "daemonEndpoints",
            Obj::new()
                .put(
                    "kubeletEndpoint",
                    Obj::new().put("Port", Val::num(10250)).build(),
                )
                .build(),
        )
        .put("nodeInfo", node_info_doc)
        .build();
    Obj::new()
        .put_str("apiVersion", "v1")
        .put_str("kind", "Node")
        .put(
            "metadata",
            metadata(
                sim,
                Kind::Node,
                &n.meta,
                &n.meta.labels,
                &annotations,
                false,
            ),
        )
        .put("spec", spec)
        .put("status", status)
        .build()
}

fn addon_service_account(namespace: &str, name: &str) -> Option<String> {
    (namespace == "kube-system" && matches!(name, "aws-node" | "kube-proxy" | "coredns"))
        .then(|| name.to_string())
}

fn deployment_doc(sim: &Simulation, d: &Deployment) -> Val {
    let revision = sim
        .state()
        .replicasets
        .values()
        .filter(|r| {
            r.meta.namespace == d.meta.namespace
                && r.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Deployment && o.name == d.meta.name)
        })
        .map(|r| r.revision)
        .max();
    let mut annotations = d.meta.annotations.clone();
    if let Some(r) = revision {
        annotations.insert("deployment.kubernetes.io/revision".into(), r.to_string());
    }
    let strategy = match d.spec.strategy {
        DeploymentStrategy::RollingUpdate {
            max_surge,
            max_unavailable,
        } => Obj::new()
            .put(
                "rollingUpdate",
                Obj::new()
                    .put("maxSurge", int_or_percent(max_surge))
                    .put("maxUnavailable", int_or_percent(max_unavailable))
                    .build(),
            )
            .put_str("type", "RollingUpdate")
            .build(),
        DeploymentStrategy::Recreate => Obj::new().put_str("type", "Recreate").build(),
    };
    let s = &d.status;
    let spec = Obj::new()
        .put_opt(
            "minReadySeconds",
            (d.spec.min_ready_seconds > 0).then(|| Val::num(d.spec.min_ready_seconds)),
        )
        .put_opt("paused", d.spec.paused.then(|| Val::bool(true)))
        .put("progressDeadlineSeconds", Val::num(600))
        .put("replicas", Val::num(d.spec.replicas))
        .put("revisionHistoryLimit", Val::num(10))
        .put("selector", selector_doc(&d.spec.selector))
        .put("strategy", strategy)
        .put(
            "template",
            template_doc(
                &d.spec.template,
                &d.spec.template.labels,
                addon_service_account(&d.meta.namespace, &d.meta.name),
            ),
        )
        .build();
    let max_unavailable = match d.spec.strategy {
        DeploymentStrategy::RollingUpdate {
            max_unavailable, ..
        } => max_unavailable.scaled(d.spec.replicas, false),
        DeploymentStrategy::Recreate => 0,
    };
    let available = s.available_replicas + max_unavailable >= d.spec.replicas;
    let t = d.meta.creation_timestamp;
    let cond = |type_: &str, ok: bool, reason: &str, message: String| {
        Obj::new()
            .put("lastTransitionTime", ts(sim, t))
            .put("lastUpdateTime", ts(sim, t))
            .put_str("message", message)
            .put_str("reason", reason)
            .put_str("status", if ok { "True" } else { "False" })
            .put_str("type", type_)
            .build()
    };
    let conditions = Val::Seq(vec![
        if available {
            cond(
                "Available",
                true,
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
            )
        } else {
            cond(
                "Available",
                false,
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
            )
        },
        cond(
            "Progressing",
            true,
            "NewReplicaSetAvailable",
            format!(
                "Deployment \"{}\" has successfully progressed.",
                d.meta.name
            ),
        ),
    ]);
    let nonzero = |n: i32| (n > 0).then(|| Val::num(n));
    let status = Obj::new()
        .put_opt("availableReplicas", nonzero(s.available_replicas))
        .put("conditions", conditions)
        .put("observedGeneration", Val::num(s.observed_generation.max(1)))
        .put_opt("readyReplicas", nonzero(s.ready_replicas))
        .put_opt("replicas", nonzero(s.replicas))
        .put_opt("unavailableReplicas", nonzero(s.unavailable_replicas))
        .put_opt("updatedReplicas", nonzero(s.updated_replicas))
        .build();
    Obj::new()
        .put_str("apiVersion", "apps/v1")
        .put_str("kind", "Deployment")
        .put(
            "metadata",
            metadata(
                sim,
                Kind::Deployment,
                &d.meta,
                &d.meta.labels,
                &annotations,
                true,
            ),
        )
        .put("spec", spec)
        .put("status", status)
        .build()
}

fn daemonset_doc(sim: &Simulation, ds: &DaemonSet) -> Val {
    let mut annotations = ds.meta.annotations.clone();
    annotations.insert(
        "deprecated.daemonset.template.generation".into(),
        ds.meta.generation.max(1).to_string(),
    );
    let spec = Obj::new()
        .put("revisionHistoryLimit", Val::num(10))
        .put("selector", selector_doc(&ds.selector))
        .put(
            "template",
            template_doc(
                &ds.template,
                &ds.template.labels,
                addon_service_account(&ds.meta.namespace, &ds.meta.name),
            ),
        )
        .put(
            "updateStrategy",
            Obj::new()
                .put(
                    "rollingUpdate",
                    Obj::new()
                        .put("maxSurge", Val::num(0))
                        .put("maxUnavailable", Val::num(1))
                        .build(),
                )
                .put_str("type", "RollingUpdate")
                .build(),
        )
        .build();
    let status = Obj::new()
        .put(
            "currentNumberScheduled",
            Val::num(ds.current_number_scheduled),
        )
        .put(
            "desiredNumberScheduled",
            Val::num(ds.desired_number_scheduled),
        )
        .put("numberAvailable", Val::num(ds.number_ready))
        .put("numberMisscheduled", Val::num(0))
        .put("numberReady", Val::num(ds.number_ready))
        .put("observedGeneration", Val::num(ds.meta.generation.max(1)))
        .put(
            "updatedNumberScheduled",
            Val::num(ds.current_number_scheduled),
        )
        .build();
    Obj::new()
        .put_str("apiVersion", "apps/v1")
        .put_str("kind", "DaemonSet")
        .put(
            "metadata",
            metadata(
                sim,
                Kind::DaemonSet,
                &ds.meta,
                &ds.meta.labels,
                &annotations,
                true,
            ),
        )
        .put("spec", spec)
        .put("status", status)
        .build()
}

fn job_doc(sim: &Simulation, j: &Job) -> Val {
    let uid = object_uid(Kind::Job, &j.meta.namespace, &j.meta.name, j.meta.uid);
    let mut generated = BTreeMap::new();
    generated.insert(
        "batch.kubernetes.io/controller-uid".to_string(),
        uid.clone(),
    );
    generated.insert(
        "batch.kubernetes.io/job-name".to_string(),
        j.meta.name.clone(),
    );
    generated.insert("controller-uid".to_string(), uid.clone());
    generated.insert("job-name".to_string(), j.meta.name.clone());
    let mut template_labels = j.spec.template.labels.clone();
    template_labels.extend(generated.clone());
    let labels = if j.meta.labels.is_empty() {
        generated
    } else {
        j.meta.labels.clone()
    };
    let mut selector = BTreeMap::new();
    selector.insert("batch.kubernetes.io/controller-uid".to_string(), uid);
    let spec = Obj::new()
        .put("backoffLimit", Val::num(j.spec.backoff_limit))
        .put_str("completionMode", "NonIndexed")
        .put("completions", Val::num(j.spec.completions))
        .put("manualSelector", Val::bool(false))
        .put("parallelism", Val::num(j.spec.parallelism))
        .put_str("podReplacementPolicy", "TerminatingOrFailed")
        .put(
            "selector",
            Obj::new()
                .put("matchLabels", Val::string_map(&selector))
                .build(),
        )
        .put("suspend", Val::bool(false))
        .put(
            "template",
            template_doc(&j.spec.template, &template_labels, None),
        )
        .put_opt(
            "ttlSecondsAfterFinished",
            j.spec.ttl_seconds_after_finished.map(Val::num),
        )
        .build();
    let ready = sim
        .state()
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == j.meta.namespace
                && p.is_ready()
                && p.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.kind == Kind::Job && o.name == j.meta.name)
        })
        .count();
    let conditions = j.status.completion_time.map(|t| {
        let c = |type_: &str| {
            Obj::new()
                .put("lastProbeTime", ts(sim, t))
                .put("lastTransitionTime", ts(sim, t))
                .put_str("message", "Reached expected number of succeeded pods")
                .put_str("reason", "CompletionsReached")
                .put_str("status", "True")
                .put_str("type", type_)
                .build()
        };
        Val::Seq(vec![c("SuccessCriteriaMet"), c("Complete")])
    });
    let nonzero = |n: i32| (n > 0).then(|| Val::num(n));
    let status = Obj::new()
        .put_opt("active", nonzero(j.status.active))
        .put_opt(
            "completionTime",
            j.status.completion_time.map(|t| ts(sim, t)),
        )
        .put_opt("conditions", conditions)
        .put_opt("failed", nonzero(j.status.failed))
        .put("ready", Val::num(ready))
        .put_opt("startTime", j.status.start_time.map(|t| ts(sim, t)))
        .put_opt("succeeded", nonzero(j.status.succeeded))
        .put("terminating", Val::num(0))
        .put("uncountedTerminatedPods", Obj::new().build())
        .build();
    Obj::new()
        .put_str("apiVersion", "batch/v1")
        .put_str("kind", "Job")
        .put(
            "metadata",
            metadata(sim, Kind::Job, &j.meta, &labels, &j.meta.annotations, true),
        )
        .put("spec", spec)
        .put("status", status)
        .build()
}

fn pdb_doc(sim: &Simulation, p: &PodDisruptionBudget) -> Val {
    let spec = Obj::new()
        .put_opt("maxUnavailable", p.spec.max_unavailable.map(int_or_percent))
        .put_opt("minAvailable", p.spec.min_available.map(int_or_percent))
        .put("selector", selector_doc(&p.spec.selector))
        .build();
    let s = &p.status;
    let allowed = s.disruptions_allowed > 0;
    let condition = Obj::new()
        .put("lastTransitionTime", ts(sim, p.meta.creation_timestamp))
        .put_str("message", "")
        .put("observedGeneration", Val::num(p.meta.generation.max(1)))
        .put_str(
            "reason",
            if allowed {
                "SufficientPods"
            } else {
                "InsufficientPods"
            },
        )
        .put_str("status", if allowed { "True" } else { "False" })
        .put_str("type", "DisruptionAllowed")
        .build();
    let status = Obj::new()
        .put("conditions", Val::Seq(vec![condition]))
        .put("currentHealthy", Val::num(s.current_healthy))
        .put("desiredHealthy", Val::num(s.desired_healthy))
        .put("disruptionsAllowed", Val::num(s.disruptions_allowed))
        .put("expectedPods", Val::num(s.expected_pods))
        .put("observedGeneration", Val::num(p.meta.generation.max(1)))
        .build();
    Obj::new()
        .put_str("apiVersion", "policy/v1")
        .put_str("kind", "PodDisruptionBudget")
        .put(
            "metadata",
            metadata(
                sim,
                Kind::PodDisruptionBudget,
                &p.meta,
                &p.meta.labels,
                &p.meta.annotations,
                true,
            ),
        )
        .put("spec", spec)
        .put("status", status)
        .build()
}
