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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::meta::SelectorOperator::{DoesNotExist, Exists, In, NotIn};
    use crate::sim::controllers::scheduler::testing::{info, node, pod};

    fn unresolvable() -> Status {
        Status::UnschedulableAndUnresolvable(vec![ERR_REASON_POD.to_string()])
    }

    #[test]
    fn filter() {
        let zone = "topology.kubernetes.io/zone";
        let cases = [
            (
                "no selector",
                pod("p").obj(),
                node("n").obj(),
                Status::Success,
            ),
            (
                "nodeSelector matches",
                pod("p").node_selector("disk", "ssd").obj(),
                node("n").label("disk", "ssd").obj(),
                Status::Success,
            ),
            (
                "nodeSelector with another value",
                pod("p").node_selector("disk", "ssd").obj(),
                node("n").label("disk", "hdd").obj(),
                unresolvable(),
            ),
            (
                "nodeSelector on a missing label",
                pod("p").node_selector("disk", "ssd").obj(),
                node("n").obj(),
                unresolvable(),
            ),
            (
                "every nodeSelector entry must match",
                pod("p")
                    .node_selector("disk", "ssd")
                    .node_selector("arch", "arm64")
                    .obj(),
                node("n").label("disk", "ssd").label("arch", "amd64").obj(),
                unresolvable(),
            ),
            (
                "affinity In",
                pod("p")
                    .affinity_term(zone, In, &["us-east-1a", "us-east-1b"])
                    .obj(),
                node("n").label(zone, "us-east-1b").obj(),
                Status::Success,
            ),
            (
                "affinity In, another zone",
                pod("p").affinity_term(zone, In, &["us-east-1a"]).obj(),
                node("n").label(zone, "us-east-1c").obj(),
                unresolvable(),
            ),
            (
                "affinity NotIn",
                pod("p").affinity_term(zone, NotIn, &["us-east-1a"]).obj(),
                node("n").label(zone, "us-east-1a").obj(),
                unresolvable(),
            ),
            (
                "affinity Exists",
                pod("p").affinity_term("gpu", Exists, &[]).obj(),
                node("n").label("gpu", "true").obj(),
                Status::Success,
            ),
            (
                "affinity DoesNotExist",
                pod("p").affinity_term("gpu", DoesNotExist, &[]).obj(),
                node("n").label("gpu", "true").obj(),
                unresolvable(),
            ),
            (
                "terms are ORed",
                pod("p")
                    .affinity_term(zone, In, &["us-east-1a"])
                    .affinity_term("gpu", Exists, &[])
                    .obj(),
                node("n")
                    .label(zone, "us-east-1c")
                    .label("gpu", "true")
                    .obj(),
                Status::Success,
            ),
            (
                "selector and affinity must both match",
                pod("p")
                    .node_selector("disk", "ssd")
                    .affinity_term("gpu", Exists, &[])
                    .obj(),
                node("n").label("gpu", "true").obj(),
                unresolvable(),
            ),
        ];
        for (name, pod, node, want) in cases {
            assert_eq!(super::filter(&pod, &info(&node, &[])), want, "{name}");
        }
    }
}
