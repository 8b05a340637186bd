//! The Kubernetes-shaped, append-only event log: time, type, reason, object, message.
//!
//! It is both the learner's `kubectl get events` panel and the golden-test surface; a running
//! digest makes "same seed, same log" a cheap comparison, natively and in the browser.

use std::fmt;

use super::api::ObjectRef;
use super::clock::SimTime;
use super::digest::Digest;

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub seq: u64,
    pub time: SimTime,
    pub type_: EventType,
    pub reason: &'static str,
    pub object: ObjectRef,
    pub message: String,
    /// The component that reported it (`default-scheduler`, `kubelet`, `eks`, ...).
    pub source: &'static str,
}

/// `t+00:02:10 Normal Scheduled pod/web-1 Successfully assigned ...`: the golden-file line.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "t+{} {} {} {} {}",
            self.time,
            self.type_.as_str(),
            self.reason,
            self.object,
            self.message
        )
    }
}

/// The append-only log with its running digest.
#[derive(Debug, Clone, Default)]
pub struct EventLog {
    events: Vec<Event>,
    digest: Digest,
}

impl EventLog {
    pub fn push(
        &mut self,
        time: SimTime,
        type_: EventType,
        reason: &'static str,
        object: ObjectRef,
        message: String,
        source: &'static str,
    ) {
        let seq = self.events.len() as u64;
        let ev = Event {
            seq,
            time,
            type_,
            reason,
            object,
            message,
            source,
        };
        let line = ev.to_string();
        self.digest = self.digest.update(line.as_bytes()).update(b"\n");
        self.events.push(ev);
    }

    pub fn all(&self) -> &[Event] {
        &self.events
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// FNV-1a over every event line in order.
    pub fn digest(&self) -> u64 {
        self.digest.value()
    }

    /// Events about one object, oldest first (for `kubectl describe`).
    pub fn for_object<'a>(&'a self, obj: &'a ObjectRef) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| &e.object == obj)
    }
}

/// Event reasons, spelled as upstream components spell them.
pub mod reason {
    // kube-scheduler
    pub const SCHEDULED: &str = "Scheduled";
    pub const FAILED_SCHEDULING: &str = "FailedScheduling";
    // kubelet
    pub const PULLING: &str = "Pulling";
    pub const PULLED: &str = "Pulled";
    pub const CREATED: &str = "Created";
    pub const STARTED: &str = "Started";
    pub const KILLING: &str = "Killing";
    pub const FAILED_CREATE_POD_SANDBOX: &str = "FailedCreatePodSandBox";
    pub const NODE_READY: &str = "NodeReady";
    pub const NODE_NOT_READY: &str = "NodeNotReady";
    pub const STARTING: &str = "Starting";
    pub const REGISTERED_NODE: &str = "RegisteredNode";
    pub const NODE_NOT_SCHEDULABLE: &str = "NodeNotSchedulable";
    pub const NODE_SCHEDULABLE: &str = "NodeSchedulable";
    pub const REMOVING_NODE: &str = "RemovingNode";
    // controllers
    pub const SCALING_REPLICA_SET: &str = "ScalingReplicaSet";
    pub const SUCCESSFUL_CREATE: &str = "SuccessfulCreate";
    pub const FAILED_CREATE: &str = "FailedCreate";
    pub const SUCCESSFUL_DELETE: &str = "SuccessfulDelete";
    pub const COMPLETED: &str = "Completed";
    pub const NO_PODS: &str = "NoPods";
    pub const EVICTED: &str = "Evicted";
    /// The lab's record of a refused eviction (kubectl prints it; there is no API event).
    pub const EVICTION_BLOCKED: &str = "EvictionBlocked";
    /// The lab's record of a finished `kubectl drain`.
    pub const DRAINED: &str = "Drained";
    pub const TAINT_MANAGER_EVICTION: &str = "TaintManagerEviction";
    pub const LOGGING_ENABLED: &str = "LoggingEnabled";
    pub const LOGGING_DISABLED: &str = "LoggingDisabled";
    /// The lab's warning for workloads a Fargate profile selects but Fargate cannot run.
    pub const NOT_SUPPORTED_ON_FARGATE: &str = "NotSupportedOnFargate";
    // EKS / EC2 / the lab (these are the lab's names for AWS-side happenings; real AWS reports
    // them through the console, CloudFormation and the EKS API rather than Kubernetes events)
    pub const CLUSTER_CREATING: &str = "ClusterCreating";
    pub const CLUSTER_ACTIVE: &str = "ClusterActive";
    pub const CLUSTER_READY: &str = "ClusterReady";
    pub const CLUSTER_UPDATED: &str = "ClusterUpdated";
    pub const ADDON_ACTIVE: &str = "AddonActive";
    pub const NODEGROUP_CREATING: &str = "NodegroupCreating";
    pub const NODEGROUP_ACTIVE: &str = "NodegroupActive";
    pub const NODEGROUP_SCALED: &str = "NodegroupScaled";
    pub const NODEGROUP_DELETING: &str = "NodegroupDeleting";
    pub const NODEGROUP_DELETED: &str = "NodegroupDeleted";
    pub const FARGATE_PROFILE_ACTIVE: &str = "FargateProfileActive";
    pub const FARGATE_PROFILE_DELETED: &str = "FargateProfileDeleted";
    pub const LAUNCHING_INSTANCE: &str = "Launching";
    pub const TERMINATING_INSTANCE: &str = "Terminating";
    pub const INSUFFICIENT_IPS: &str = "InsufficientFreeAddressesInSubnet";
    /// EC2's error code for a launch beyond the account's instance quota.
    pub const INSTANCE_LIMIT_EXCEEDED: &str = "InstanceLimitExceeded";
    // cluster-autoscaler (events on pods and nodes; the ones upstream records on its status
    // ConfigMap are recorded on the node group here)
    pub const TRIGGERED_SCALE_UP: &str = "TriggeredScaleUp";
    pub const NOT_TRIGGER_SCALE_UP: &str = "NotTriggerScaleUp";
    pub const SCALED_UP_GROUP: &str = "ScaledUpGroup";
    pub const SCALE_DOWN: &str = "ScaleDown";
    pub const SCALE_DOWN_FAILED: &str = "ScaleDownFailed";
    pub const SCALE_UP_TIMED_OUT: &str = "ScaleUpTimedOut";
    pub const DELETE_UNREGISTERED: &str = "DeleteUnregistered";
    // Spot (the lab's names for EC2's instance metadata and EventBridge signals)
    pub const REBALANCE_RECOMMENDATION: &str = "RebalanceRecommendation";
    pub const SPOT_INTERRUPTION_NOTICE: &str = "SpotInterruptionNotice";
    pub const SPOT_INTERRUPTED: &str = "SpotInterrupted";
    // Upgrades (the lab's names for what the EKS console and API report about updates)
    pub const CLUSTER_UPDATING: &str = "ClusterUpdating";
    pub const CLUSTER_UPDATE_FAILED: &str = "ClusterUpdateFailed";
    pub const EXTENDED_SUPPORT: &str = "ExtendedSupport";
    pub const ADDON_BEHIND: &str = "AddonVersionBehind";
    pub const ADDON_UPDATING: &str = "AddonUpdating";
    pub const ADDON_UPDATED: &str = "AddonUpdated";
    pub const NODEGROUP_BEHIND: &str = "NodegroupVersionBehind";
    pub const NODEGROUP_UPDATING: &str = "NodegroupUpdating";
    pub const NODEGROUP_UPDATED: &str = "NodegroupUpdated";
    pub const NODEGROUP_UPDATE_FAILED: &str = "NodegroupUpdateFailed";
    pub const FAULT_INJECTED: &str = "FaultInjected";
    pub const COMMAND: &str = "Command";
    pub const COMMAND_FAILED: &str = "CommandFailed";
}
