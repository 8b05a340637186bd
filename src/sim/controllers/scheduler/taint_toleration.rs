//! TaintToleration: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule taints
//! lower the score.

use super::{NodeInfo, Status};
use crate::sim::api::{Pod, TaintEffect};

pub const NAME: &str = "TaintToleration";

pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    // Not-ready and cordon taints are added by the node lifecycle controller; the cordon one is
    // NodeUnschedulable's business, so it is left out here.
    let taints = info.node.effective_taints();
    let untolerated = taints.iter().find(|t| {
        matches!(t.effect, TaintEffect::NoSchedule | TaintEffect::NoExecute)
            && t.key != crate::sim::api::node::taints::UNSCHEDULABLE
            && !pod.spec.tolerations.iter().any(|tol| tol.tolerates(t))
    });
    match untolerated {
        None => Status::Success,
        // Upstream: fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value)
        Some(t) => Status::UnschedulableAndUnresolvable(vec![format!(
            "node(s) had untolerated taint {{{}: {}}}",
            t.key, t.value
        )]),
    }
}

/// 100 for no intolerable PreferNoSchedule taints, less for each one.
pub fn score(pod: &Pod, info: &NodeInfo<'_>) -> i64 {
    let n = info
        .node
        .spec
        .taints
        .iter()
        .filter(|t| {
            t.effect == TaintEffect::PreferNoSchedule
                && !pod.spec.tolerations.iter().any(|tol| tol.tolerates(t))
        })
        .count() as i64;
    (100 - 25 * n).max(0)
}
