//! NodeAffinity: `nodeSelector` and required node affinity terms must match the node's labels.

use super::{NodeInfo, Status};
use crate::sim::api::Pod;

pub const NAME: &str = "NodeAffinity";
/// Upstream `ErrReasonPod`.
pub const ERR_REASON_POD: &str = "node(s) didn't match Pod's node affinity/selector";

pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    if matches(pod, info.node.labels()) {
        Status::Success
    } else {
        Status::UnschedulableAndUnresolvable(vec![ERR_REASON_POD.to_string()])
    }
}

/// Does a pod's selector and required affinity accept these node labels?
pub fn matches(pod: &Pod, labels: &std::collections::BTreeMap<String, String>) -> bool {
    let selector_ok = pod
        .spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v));
    let affinity_ok = pod.spec.node_affinity.is_empty()
        || pod
            .spec
            .node_affinity
            .iter()
            .any(|term| term.iter().all(|r| r.matches(labels)));
    selector_ok && affinity_ok
}
