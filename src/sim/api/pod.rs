//! `Pod`: spec, status, phases and conditions as Kubernetes names them.

use std::collections::BTreeMap;

use super::meta::ObjectMeta;
use super::node::{Taint, TaintEffect};
use crate::sim::catalog::FargateSize;
use crate::sim::clock::SimTime;
use crate::sim::quantity::Resources;

/// `status.phase`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    pub const ALL: [PodPhase; 5] = [
        PodPhase::Pending,
        PodPhase::Running,
        PodPhase::Succeeded,
        PodPhase::Failed,
        PodPhase::Unknown,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }

    pub const fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

/// `status.conditions[].type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PodConditionType {
    PodScheduled,
    Initialized,
    ContainersReady,
    Ready,
    /// Set on pods being evicted or preempted (`DisruptionTarget`, Kubernetes ≥ 1.26).
    DisruptionTarget,
}

impl PodConditionType {
    pub const fn as_str(self) -> &'static str {
        match self {
            PodConditionType::PodScheduled => "PodScheduled",
            PodConditionType::Initialized => "Initialized",
            PodConditionType::ContainersReady => "ContainersReady",
            PodConditionType::Ready => "Ready",
            PodConditionType::DisruptionTarget => "DisruptionTarget",
        }
    }
}

/// One pod condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodCondition {
    pub type_: PodConditionType,
    pub status: bool,
    pub reason: String,
    pub message: String,
    pub last_transition_time: SimTime,
}

/// A container port; `host_port` makes NodePorts filter apply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerPort {
    /// `containerPort` and `hostPort` are int32 upstream (k8s.io/api core/v1 types.go),
    /// validated to 1–65535.
    pub container_port: i32,
    pub host_port: Option<i32>,
    pub protocol: String,
}

/// One container of a pod.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub requests: Resources,
    pub limits: Resources,
    pub ports: Vec<ContainerPort>,
    pub privileged: bool,
    /// `nvidia.com/gpu` limit.
    pub gpus: u64,
    pub command: Vec<String>,
}

/// Where a volume comes from; only what changes scheduling or autoscaling behaviour is modelled.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VolumeSource {
    EmptyDir {
        memory: bool,
    },
    HostPath,
    /// A PVC; `ebs` when it is backed by the EBS CSI driver (Fargate cannot mount it).
    PersistentVolumeClaim {
        claim_name: String,
        ebs: bool,
    },
    ConfigMap,
    Secret,
    Other(String),
}

/// `spec.volumes[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Volume {
    pub name: String,
    pub source: VolumeSource,
}

/// `tolerations[].operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TolerationOperator {
    Exists,
    Equal,
}

/// `spec.tolerations[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Toleration {
    /// Empty key with `Exists` tolerates everything.
    pub key: String,
    pub operator: TolerationOperator,
    pub value: String,
    /// `None` tolerates every effect.
    pub effect: Option<TaintEffect>,
}

impl Toleration {
    /// `ToleratesTaint` from `k8s.io/api/core/v1/toleration.go`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator {
            TolerationOperator::Exists => true,
            TolerationOperator::Equal => self.value == taint.value,
        }
    }
}

/// The `spec.schedulerName` the API server defaults an empty one to: kube-scheduler's name.
pub const DEFAULT_SCHEDULER: &str = "default-scheduler";

/// `spec`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub init_containers: Vec<Container>,
    pub node_selector: BTreeMap<String, String>,
    /// Required node affinity: a list of terms, any of which must match (ORed), each a list
    /// of requirements (ANDed).
    pub node_affinity: Vec<Vec<super::meta::SelectorRequirement>>,
    pub tolerations: Vec<Toleration>,
    pub node_name: Option<String>,
    /// `default-scheduler`, or `fargate-scheduler` once the Fargate webhook mutates the pod.
    pub scheduler_name: String,
    pub host_network: bool,
    pub volumes: Vec<Volume>,
    pub termination_grace_period_secs: u64,
    /// `Always`, `OnFailure` or `Never`.
    pub restart_policy: String,
    pub priority_class_name: String,
}

impl PodSpec {
    /// Effective requests for scheduling: `max(max(init), sum(containers))` per resource.
    pub fn effective_requests(&self) -> Resources {
        let sum = self
            .containers
            .iter()
            .fold(Resources::ZERO, |acc, c| acc.saturating_add(c.requests));
        let init = self
            .init_containers
            .iter()
            .fold(Resources::ZERO, |acc, c| acc.max(c.requests));
        sum.max(init)
    }

    pub fn host_ports(&self) -> impl Iterator<Item = i32> + '_ {
        self.containers
            .iter()
            .flat_map(|c| c.ports.iter().filter_map(|p| p.host_port))
    }

    pub fn gpus(&self) -> u64 {
        self.containers.iter().map(|c| c.gpus).sum()
    }
}

/// `spec.template` of a controller: labels, annotations and a pod spec.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodTemplateSpec {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: PodSpec,
}

/// What a container is doing, for the STATUS column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    Waiting { reason: String },
    Running { started_at: SimTime },
    Terminated { reason: String, exit_code: i32 },
}

/// `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodStatus {
    pub phase: PodPhase,
    pub conditions: Vec<PodCondition>,
    pub pod_ip: Option<String>,
    pub host_ip: Option<String>,
    pub start_time: Option<SimTime>,
    pub container_state: ContainerState,
    pub reason: String,
    pub message: String,
    pub restart_count: u32,
}

impl Default for PodStatus {
    fn default() -> Self {
        PodStatus {
            phase: PodPhase::Pending,
            conditions: Vec::new(),
            pod_ip: None,
            host_ip: None,
            start_time: None,
            container_state: ContainerState::Waiting {
                reason: String::new(),
            },
            reason: String::new(),
            message: String::new(),
            restart_count: 0,
        }
    }
}

/// Lab-side bookkeeping that has no Kubernetes field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodLab {
    /// The Fargate size after rounding (the `CapacityProvisioned` annotation drives the bill).
    pub fargate_size: Option<FargateSize>,
    /// When Fargate billing started (start of image download, eks-facts §1.2).
    pub billing_start: Option<SimTime>,
    /// For Job pods: how long the container runs before it exits 0.
    pub run_for_ms: Option<u64>,
    /// The ReplicaSet template hash (`pod-template-hash` label) or revision.
    pub template_hash: String,
    /// Kubelet version the pod's node ran when the pod started.
    pub kubelet_version: String,
    /// How long the current image pull takes, for the `Pulled` message.
    pub pull_ms: u64,
}

/// A pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub meta: ObjectMeta,
    pub spec: PodSpec,
    pub status: PodStatus,
    pub lab: PodLab,
}

impl Pod {
    pub fn is_terminating(&self) -> bool {
        self.meta.deletion_timestamp.is_some()
    }

    pub fn is_ready(&self) -> bool {
        self.condition(PodConditionType::Ready)
            .is_some_and(|c| c.status)
    }

    pub fn condition(&self, t: PodConditionType) -> Option<&PodCondition> {
        self.status.conditions.iter().find(|c| c.type_ == t)
    }

    pub fn set_condition(
        &mut self,
        type_: PodConditionType,
        status: bool,
        reason: &str,
        message: &str,
        now: SimTime,
    ) {
        if let Some(c) = self.status.conditions.iter_mut().find(|c| c.type_ == type_) {
            if c.status != status {
                c.last_transition_time = now;
            }
            c.status = status;
            c.reason = reason.to_string();
            c.message = message.to_string();
        } else {
            self.status.conditions.push(PodCondition {
                type_,
                status,
                reason: reason.to_string(),
                message: message.to_string(),
                last_transition_time: now,
            });
        }
    }

    /// Is this pod still holding resources on a node (bound and not finished)?
    pub fn occupies_node(&self) -> bool {
        self.spec.node_name.is_some() && !self.status.phase.is_terminal()
    }

    /// The STATUS column of `kubectl get pods`.
    pub fn display_status(&self) -> String {
        if self.is_terminating() && !self.status.phase.is_terminal() {
            return "Terminating".to_string();
        }
        match (&self.status.phase, &self.status.container_state) {
            (PodPhase::Succeeded, _) => "Completed".to_string(),
            (PodPhase::Failed, _) if !self.status.reason.is_empty() => self.status.reason.clone(),
            (PodPhase::Failed, ContainerState::Terminated { reason, .. }) => reason.clone(),
            (PodPhase::Pending, ContainerState::Waiting { reason }) if !reason.is_empty() => {
                reason.clone()
            }
            (phase, _) => phase.as_str().to_string(),
        }
    }

    /// The owning controller's kind and name, if any.
    pub fn controller(&self) -> Option<(&super::meta::Kind, &str)> {
        self.meta.owner.as_ref().map(|o| (&o.kind, o.name.as_str()))
    }

    pub fn requests(&self) -> Resources {
        self.spec.effective_requests()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quantity::MIB;

    fn container(cpu: u64, mem_mib: u64) -> Container {
        Container {
            requests: Resources::new(cpu, mem_mib * MIB),
            ..Container::default()
        }
    }

    #[test]
    fn effective_requests_take_max_of_init_and_sum_of_containers() {
        let spec = PodSpec {
            containers: vec![container(250, 256), container(250, 256)],
            init_containers: vec![container(1000, 128), container(100, 64)],
            ..PodSpec::default()
        };
        assert_eq!(spec.effective_requests(), Resources::new(1000, 512 * MIB));
    }

    #[test]
    fn tolerations_follow_upstream_rules() {
        let taint = Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: TaintEffect::NoSchedule,
        };
        let exists_all = Toleration {
            key: String::new(),
            operator: TolerationOperator::Exists,
            value: String::new(),
            effect: None,
        };
        let equal = Toleration {
            key: "dedicated".into(),
            operator: TolerationOperator::Equal,
            value: "gpu".into(),
            effect: Some(TaintEffect::NoSchedule),
        };
        let wrong_value = Toleration {
            value: "cpu".into(),
            ..equal.clone()
        };
        let wrong_effect = Toleration {
            effect: Some(TaintEffect::NoExecute),
            ..equal.clone()
        };
        assert!(exists_all.tolerates(&taint));
        assert!(equal.tolerates(&taint));
        assert!(!wrong_value.tolerates(&taint));
        assert!(!wrong_effect.tolerates(&taint));
    }
}
