//! TaintToleration: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule taints
//! lower the score.

use super::{NodeInfo, Status};
use crate::sim::api::node::taints;
use crate::sim::api::{Pod, Taint, TaintEffect};

pub const NAME: &str = "TaintToleration";

pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    // Not-ready and cordon taints are added by the node lifecycle controller; the cordon one is
    // NodeUnschedulable's business, so it is left out here. The node's own taints come first,
    // as in `Node::effective_taints`; the not-ready ones are only built for a node that is not
    // ready.
    let untolerated = |t: &&Taint| {
        matches!(t.effect, TaintEffect::NoSchedule | TaintEffect::NoExecute)
            && t.key != taints::UNSCHEDULABLE
            && !pod.spec.tolerations.iter().any(|tol| tol.tolerates(t))
    };
    let node = info.node;
    let found = match node.spec.taints.iter().find(untolerated) {
        Some(t) => Some(t.clone()),
        None if !node.is_ready() => node.effective_taints().iter().find(untolerated).cloned(),
        None => None,
    };
    match found {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::TaintEffect::{NoExecute, NoSchedule, PreferNoSchedule};
    use crate::sim::api::TolerationOperator::{Equal, Exists};
    use crate::sim::controllers::scheduler::testing::{info, node, pod};

    fn untolerated(key: &str, value: &str) -> Status {
        Status::UnschedulableAndUnresolvable(vec![format!(
            "node(s) had untolerated taint {{{key}: {value}}}"
        )])
    }

    #[test]
    fn filter() {
        let cases = [
            (
                "no taints",
                pod("p").obj(),
                node("n").obj(),
                Status::Success,
            ),
            (
                "untolerated NoSchedule",
                pod("p").obj(),
                node("n").taint("dedicated", "gpu", NoSchedule).obj(),
                untolerated("dedicated", "gpu"),
            ),
            (
                "untolerated NoExecute",
                pod("p").obj(),
                node("n").taint("dedicated", "gpu", NoExecute).obj(),
                untolerated("dedicated", "gpu"),
            ),
            (
                "PreferNoSchedule does not filter",
                pod("p").obj(),
                node("n").taint("dedicated", "gpu", PreferNoSchedule).obj(),
                Status::Success,
            ),
            (
                "tolerated by key and value",
                pod("p")
                    .toleration("dedicated", Equal, "gpu", Some(NoSchedule))
                    .obj(),
                node("n").taint("dedicated", "gpu", NoSchedule).obj(),
                Status::Success,
            ),
            (
                "toleration with another value",
                pod("p")
                    .toleration("dedicated", Equal, "cpu", Some(NoSchedule))
                    .obj(),
                node("n").taint("dedicated", "gpu", NoSchedule).obj(),
                untolerated("dedicated", "gpu"),
            ),
            (
                "toleration for another effect",
                pod("p")
                    .toleration("dedicated", Exists, "", Some(NoExecute))
                    .obj(),
                node("n").taint("dedicated", "gpu", NoSchedule).obj(),
                untolerated("dedicated", "gpu"),
            ),
            (
                "the first untolerated taint is reported",
                pod("p").toleration("a", Exists, "", None).obj(),
                node("n")
                    .taint("a", "1", NoSchedule)
                    .taint("b", "2", NoSchedule)
                    .taint("c", "3", NoExecute)
                    .obj(),
                untolerated("b", "2"),
            ),
            (
                "a booting node is not-ready",
                pod("p").obj(),
                node("n").not_ready("KubeletNotReady").obj(),
                untolerated(taints::NOT_READY, ""),
            ),
            (
                "a node that stopped reporting is unreachable",
                pod("p").obj(),
                node("n").not_ready("NodeStatusUnknown").obj(),
                untolerated(taints::UNREACHABLE, ""),
            ),
            (
                "the node's own taints come before not-ready",
                pod("p").obj(),
                node("n")
                    .taint("dedicated", "gpu", NoSchedule)
                    .not_ready("KubeletNotReady")
                    .obj(),
                untolerated("dedicated", "gpu"),
            ),
            (
                "not-ready tolerated",
                pod("p")
                    .toleration(taints::NOT_READY, Exists, "", None)
                    .obj(),
                node("n").not_ready("KubeletNotReady").obj(),
                Status::Success,
            ),
            (
                "the cordon taint is NodeUnschedulable's",
                pod("p").obj(),
                node("n").unschedulable().obj(),
                Status::Success,
            ),
        ];
        for (name, pod, node, want) in cases {
            assert_eq!(super::filter(&pod, &info(&node, &[])), want, "{name}");
        }
    }

    #[test]
    fn score() {
        let cases = [
            ("no taints", pod("p").obj(), node("n").obj(), 100),
            (
                "one untolerated PreferNoSchedule",
                pod("p").obj(),
                node("n").taint("a", "", PreferNoSchedule).obj(),
                75,
            ),
            (
                "a tolerated one does not count",
                pod("p")
                    .toleration("a", Exists, "", Some(PreferNoSchedule))
                    .obj(),
                node("n")
                    .taint("a", "", PreferNoSchedule)
                    .taint("b", "", PreferNoSchedule)
                    .obj(),
                75,
            ),
            (
                "NoSchedule does not score",
                pod("p").obj(),
                node("n").taint("a", "", NoSchedule).obj(),
                100,
            ),
            (
                "never below 0",
                pod("p").obj(),
                node("n")
                    .taint("a", "", PreferNoSchedule)
                    .taint("b", "", PreferNoSchedule)
                    .taint("c", "", PreferNoSchedule)
                    .taint("d", "", PreferNoSchedule)
                    .taint("e", "", PreferNoSchedule)
                    .obj(),
                0,
            ),
        ];
        for (name, pod, node, want) in cases {
            assert_eq!(super::score(&pod, &info(&node, &[])), want, "{name}");
        }
    }
}
