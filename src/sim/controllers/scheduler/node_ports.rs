//! NodePorts: a host port can be used by one pod per node.

use super::{NodeInfo, Status};
use crate::sim::api::Pod;

pub const NAME: &str = "NodePorts";
/// Upstream `ErrReason`.
pub const ERR_REASON: &str = "node(s) didn't have free ports for the requested pod ports";

pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    if pod.spec.host_ports().any(|p| info.host_ports.contains(&p)) {
        Status::Unschedulable(vec![ERR_REASON.to_string()])
    } else {
        Status::Success
    }
}
