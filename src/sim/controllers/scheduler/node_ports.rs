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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::controllers::scheduler::testing::{info, node, pod};

    fn conflict() -> Status {
        Status::Unschedulable(vec![ERR_REASON.to_string()])
    }

    #[test]
    fn filter() {
        let cases = [
            (
                "no ports",
                pod("p").obj(),
                vec![pod("q").host_port(80).obj()],
                Status::Success,
            ),
            (
                "free port",
                pod("p").host_port(8080).obj(),
                vec![],
                Status::Success,
            ),
            (
                "another port in use",
                pod("p").host_port(8080).obj(),
                vec![pod("q").host_port(80).obj()],
                Status::Success,
            ),
            (
                "the same port in use",
                pod("p").host_port(8080).obj(),
                vec![pod("q").host_port(8080).obj()],
                conflict(),
            ),
            (
                "one of several ports in use",
                pod("p").host_port(80).host_port(443).obj(),
                vec![pod("q").host_port(443).obj()],
                conflict(),
            ),
        ];
        for (name, pod, existing, want) in cases {
            let n = node("n").obj();
            assert_eq!(super::filter(&pod, &info(&n, &existing)), want, "{name}");
        }
    }
}
