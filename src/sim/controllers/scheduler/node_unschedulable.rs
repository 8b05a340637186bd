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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::TolerationOperator::{Equal, Exists};
    use crate::sim::controllers::scheduler::testing::{info, node, pod};

    fn unresolvable() -> Status {
        Status::UnschedulableAndUnresolvable(vec![ERR_REASON_UNSCHEDULABLE.to_string()])
    }

    #[test]
    fn filter() {
        let cases = [
            (
                "schedulable node",
                pod("p").obj(),
                node("n").obj(),
                Status::Success,
            ),
            (
                "cordoned node",
                pod("p").obj(),
                node("n").unschedulable().obj(),
                unresolvable(),
            ),
            (
                "cordoned node, pod tolerates the unschedulable taint",
                pod("p")
                    .toleration(
                        taints::UNSCHEDULABLE,
                        Exists,
                        "",
                        Some(TaintEffect::NoSchedule),
                    )
                    .obj(),
                node("n").unschedulable().obj(),
                Status::Success,
            ),
            (
                "cordoned node, pod tolerates everything",
                pod("p").toleration("", Exists, "", None).obj(),
                node("n").unschedulable().obj(),
                Status::Success,
            ),
            (
                "cordoned node, toleration for another effect",
                pod("p")
                    .toleration(
                        taints::UNSCHEDULABLE,
                        Exists,
                        "",
                        Some(TaintEffect::NoExecute),
                    )
                    .obj(),
                node("n").unschedulable().obj(),
                unresolvable(),
            ),
            (
                "cordoned node, toleration with another value",
                pod("p")
                    .toleration(taints::UNSCHEDULABLE, Equal, "x", None)
                    .obj(),
                node("n").unschedulable().obj(),
                unresolvable(),
            ),
        ];
        for (name, pod, node, want) in cases {
            assert_eq!(super::filter(&pod, &info(&node, &[])), want, "{name}");
        }
    }
}
