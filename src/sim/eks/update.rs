//! EKS `Update` objects: what `aws eks describe-update` returns for a control plane version
//! update, a managed node group update or an add-on update, with the lab's record of each
//! phase (start and end in simulated time) so learners and the runner report can see them.

use crate::sim::clock::SimTime;

/// `Update.type` (EKS API `UpdateType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UpdateType {
    VersionUpdate,
    AddonUpdate,
}

impl UpdateType {
    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateType::VersionUpdate => "VersionUpdate",
            UpdateType::AddonUpdate => "AddonUpdate",
        }
    }
}

/// `Update.status` (EKS API `UpdateStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStatus {
    InProgress,
    Failed,
    Cancelled,
    Successful,
}

impl UpdateStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateStatus::InProgress => "InProgress",
            UpdateStatus::Failed => "Failed",
            UpdateStatus::Cancelled => "Cancelled",
            UpdateStatus::Successful => "Successful",
        }
    }
}

/// `ErrorDetail.errorCode` values of the EKS API that the lab produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorCode {
    SubnetNotFound,
    SecurityGroupNotFound,
    InsufficientFreeAddresses,
    NodeCreationFailure,
    PodEvictionFailure,
}

impl ErrorCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::SubnetNotFound => "SubnetNotFound",
            ErrorCode::SecurityGroupNotFound => "SecurityGroupNotFound",
            ErrorCode::InsufficientFreeAddresses => "InsufficientFreeAddresses",
            ErrorCode::NodeCreationFailure => "NodeCreationFailure",
            ErrorCode::PodEvictionFailure => "PodEvictionFailure",
        }
    }
}

/// `ErrorDetail`: a code, a message and the resources concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateError {
    pub code: ErrorCode,
    pub message: String,
    pub resource_ids: Vec<String>,
}

/// What an update acts on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum UpdateTarget {
    Cluster,
    Nodegroup(String),
    Addon(String),
}

impl UpdateTarget {
    /// `cluster`, `nodegroup/ng-1`, `addon/coredns`.
    pub fn label(&self) -> String {
        match self {
            UpdateTarget::Cluster => "cluster".to_string(),
            UpdateTarget::Nodegroup(n) => format!("nodegroup/{n}"),
            UpdateTarget::Addon(n) => format!("addon/{n}"),
        }
    }
}

/// One phase of an update as the lab shows it (EKS reports only the overall status; the
/// phases are the documented steps, eks-facts §4 and §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePhase {
    pub name: &'static str,
    pub started: SimTime,
    pub ended: Option<SimTime>,
}

/// An EKS update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub id: String,
    pub target: UpdateTarget,
    pub type_: UpdateType,
    pub status: UpdateStatus,
    /// `params`: `Version`, `PlatformVersion`, `ReleaseVersion`, `AddonVersion`, `Force`, ...
    pub params: Vec<(&'static str, String)>,
    pub created_at: SimTime,
    pub ended_at: Option<SimTime>,
    pub phases: Vec<UpdatePhase>,
    pub errors: Vec<UpdateError>,
    /// Pods this update evicted (or deleted, when forced).
    pub pods_evicted: u64,
    /// Nodes it replaced.
    pub nodes_replaced: u64,
}

impl Update {
    /// A new update, InProgress, in its first phase.
    pub(crate) fn start(
        id: String,
        target: UpdateTarget,
        type_: UpdateType,
        params: Vec<(&'static str, String)>,
        first_phase: &'static str,
        now: SimTime,
    ) -> Update {
        Update {
            id,
            target,
            type_,
            status: UpdateStatus::InProgress,
            params,
            created_at: now,
            ended_at: None,
            phases: vec![UpdatePhase {
                name: first_phase,
                started: now,
                ended: None,
            }],
            errors: Vec::new(),
            pods_evicted: 0,
            nodes_replaced: 0,
        }
    }

    pub fn is_in_progress(&self) -> bool {
        self.status == UpdateStatus::InProgress
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The phase now running, if any.
    pub fn current_phase(&self) -> Option<&'static str> {
        self.phases
            .last()
            .filter(|p| p.ended.is_none())
            .map(|p| p.name)
    }

    /// Ends the running phase and starts `name`.
    pub(crate) fn enter(&mut self, name: &'static str, now: SimTime) {
        self.end_phase(now);
        self.phases.push(UpdatePhase {
            name,
            started: now,
            ended: None,
        });
    }

    pub(crate) fn end_phase(&mut self, now: SimTime) {
        if let Some(p) = self.phases.last_mut()
            && p.ended.is_none()
        {
            p.ended = Some(now);
        }
    }

    pub(crate) fn finish(&mut self, status: UpdateStatus, now: SimTime) {
        self.end_phase(now);
        self.status = status;
        self.ended_at = Some(now);
    }
}

/// Something broken on purpose, so learners see an upgrade fail and roll back (the lab's
/// `ekslab inject-fault`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// The cluster security group was deleted.
    SecurityGroupDeleted,
    /// One of the subnets given at cluster creation was deleted.
    SubnetDeleted,
}

impl Fault {
    pub const ALL: [Fault; 2] = [Fault::SecurityGroupDeleted, Fault::SubnetDeleted];

    pub const fn as_str(self) -> &'static str {
        match self {
            Fault::SecurityGroupDeleted => "security-group-deleted",
            Fault::SubnetDeleted => "subnet-deleted",
        }
    }

    pub fn parse(text: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_open_and_close_in_order() {
        let mut u = Update {
            id: "u".into(),
            target: UpdateTarget::Cluster,
            type_: UpdateType::VersionUpdate,
            status: UpdateStatus::InProgress,
            params: vec![("Version", "1.35".into())],
            created_at: SimTime::EPOCH,
            ended_at: None,
            phases: Vec::new(),
            errors: Vec::new(),
            pods_evicted: 0,
            nodes_replaced: 0,
        };
        let t = |s| SimTime::EPOCH + crate::sim::clock::SimDuration::from_secs(s);
        u.enter("Setup", t(0));
        u.enter("ScaleUp", t(10));
        assert_eq!(u.current_phase(), Some("ScaleUp"));
        assert_eq!(u.phases[0].ended, Some(t(10)));
        u.finish(UpdateStatus::Successful, t(20));
        assert_eq!(u.current_phase(), None);
        assert_eq!(u.param("Version"), Some("1.35"));
        assert_eq!(Fault::parse("subnet-deleted"), Some(Fault::SubnetDeleted));
        assert_eq!(
            UpdateTarget::Nodegroup("ng-1".into()).label(),
            "nodegroup/ng-1"
        );
    }
}
