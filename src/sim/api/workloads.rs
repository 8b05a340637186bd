//! Workload controllers' objects: Namespace, Deployment, ReplicaSet, DaemonSet, Job.

use super::meta::{IntOrPercent, LabelSelector, ObjectMeta};
use super::node::taints;
use super::pod::PodTemplateSpec;
use super::{Node, TaintEffect, Toleration, TolerationOperator};
use crate::sim::clock::SimTime;

/// A namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub meta: ObjectMeta,
}

/// `spec.strategy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeploymentStrategy {
    /// Defaults: `maxSurge: 25%`, `maxUnavailable: 25%`.
    RollingUpdate {
        max_surge: IntOrPercent,
        max_unavailable: IntOrPercent,
    },
    Recreate,
}

impl Default for DeploymentStrategy {
    fn default() -> Self {
        DeploymentStrategy::RollingUpdate {
            max_surge: IntOrPercent::Percent(25),
            max_unavailable: IntOrPercent::Percent(25),
        }
    }
}

/// Deployment `spec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentSpec {
    /// `replicas` (int32 upstream, like every count below: k8s.io/api apps/v1 types.go).
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    pub strategy: DeploymentStrategy,
    pub min_ready_seconds: i32,
    pub paused: bool,
}

/// Deployment `status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeploymentStatus {
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub unavailable_replicas: i32,
    /// int64 upstream, like `metadata.generation`.
    pub observed_generation: u64,
}

/// A Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub meta: ObjectMeta,
    pub spec: DeploymentSpec,
    pub status: DeploymentStatus,
}

/// A ReplicaSet, owned by a Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaSet {
    pub meta: ObjectMeta,
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// The `pod-template-hash` label value.
    pub template_hash: String,
    /// `deployment.kubernetes.io/revision`.
    pub revision: u64,
    pub status_replicas: i32,
    pub status_ready: i32,
    pub status_available: i32,
}

/// A DaemonSet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaemonSet {
    pub meta: ObjectMeta,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
    /// `updateStrategy.rollingUpdate.maxUnavailable` (upstream default 1; the EKS add-on
    /// manifests of aws-node and kube-proxy use 10%). Percentages round up.
    pub max_unavailable: IntOrPercent,
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
}

/// Job `spec`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// int32 upstream (k8s.io/api batch/v1 types.go), like the status counts.
    pub completions: i32,
    pub parallelism: i32,
    pub backoff_limit: i32,
    pub template: PodTemplateSpec,
    pub ttl_seconds_after_finished: Option<i32>,
    /// How long each pod's container runs before exiting 0 (from `sleep N` in the command or
    /// the `ekslab.dev/run-duration` annotation; default 60 s).
    pub run_for_ms: u64,
}

/// Job `status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JobStatus {
    pub active: i32,
    pub succeeded: i32,
    pub failed: i32,
    pub start_time: Option<SimTime>,
    pub completion_time: Option<SimTime>,
}

/// A Job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub meta: ObjectMeta,
    pub spec: JobSpec,
    pub status: JobStatus,
}

impl Job {
    pub fn is_complete(&self) -> bool {
        self.status.completion_time.is_some()
    }
}

/// `pod-template-hash`: FNV-32a of the template, encoded with Kubernetes' `SafeEncodeString`.
pub fn template_hash(t: &PodTemplateSpec) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let full = crate::sim::digest::Digest::new()
        .update(format!("{t:?}").as_bytes())
        .value();
    let h32 = (full ^ (full >> 32)) as u32;
    h32.to_string()
        .bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// The Deployment that owns a pod (through its ReplicaSet), if any.
pub fn owning_deployment(
    replicasets: &std::collections::BTreeMap<super::ObjectKey, ReplicaSet>,
    pod: &super::Pod,
) -> Option<super::ObjectKey> {
    let o = pod.meta.owner.as_ref()?;
    if o.kind != super::Kind::ReplicaSet {
        return None;
    }
    let rs = replicasets.get(&super::ObjectKey::new(
        pod.meta.namespace.clone(),
        o.name.clone(),
    ))?;
    let d = rs.meta.owner.as_ref()?;
    (d.kind == super::Kind::Deployment)
        .then(|| super::ObjectKey::new(pod.meta.namespace.clone(), d.name.clone()))
}

/// Tolerations the DaemonSet controller adds to every pod it makes.
pub fn daemon_pod_tolerations() -> Vec<Toleration> {
    let t = |key: &str, effect: TaintEffect| Toleration {
        key: key.to_string(),
        operator: TolerationOperator::Exists,
        value: String::new(),
        effect: Some(effect),
    };
    vec![
        t(taints::NOT_READY, TaintEffect::NoExecute),
        t(taints::UNREACHABLE, TaintEffect::NoExecute),
        t("node.kubernetes.io/disk-pressure", TaintEffect::NoSchedule),
        t(
            "node.kubernetes.io/memory-pressure",
            TaintEffect::NoSchedule,
        ),
        t("node.kubernetes.io/pid-pressure", TaintEffect::NoSchedule),
        t(taints::UNSCHEDULABLE, TaintEffect::NoSchedule),
    ]
}

/// Should this DaemonSet run a pod on this node? (affinity and NoSchedule/NoExecute taints)
pub fn daemonset_eligible(ds: &DaemonSet, node: &Node) -> bool {
    let spec = &ds.template.spec;
    let selector_ok = spec
        .node_selector
        .iter()
        .all(|(k, v)| node.labels().get(k) == Some(v));
    let affinity_ok = spec.node_affinity.is_empty()
        || spec
            .node_affinity
            .iter()
            .any(|t| t.iter().all(|r| r.matches(node.labels())));
    let tolerations: Vec<Toleration> = spec
        .tolerations
        .iter()
        .cloned()
        .chain(daemon_pod_tolerations())
        .collect();
    let taints_ok = node
        .spec
        .taints
        .iter()
        .filter(|t| matches!(t.effect, TaintEffect::NoSchedule | TaintEffect::NoExecute))
        .all(|t| tolerations.iter().any(|tol| tol.tolerates(t)));
    selector_ok && affinity_ok && taints_ok
}
