//! NodeUnschedulable: cordoned nodes take no new pods unless the pod tolerates
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use super::{NodeInfo, Status};
use crate::sim::api::node::taints;
use crate::sim::api::{Pod, Taint, TaintEffect};

pub const NAME: &str = "NodeUnschedulable";
/// Upstream `ErrReasonUnschedulable`.
pub const ERR_REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";

pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    if !info.node.spec.unschedulable {
        return Status::Success;
    }
    let taint = Taint::new(taints::UNSCHEDULABLE, "", TaintEffect::NoSchedule);
    if pod.spec.tolerations.iter().any(|t| t.tolerates(&taint)) {
        Status::Success
    } else {
        Status::UnschedulableAndUnresolvable(vec![ERR_REASON_UNSCHEDULABLE.to_string()])
    }
}
