//! NodeResourcesFit: pod count, CPU, memory and GPU requests must fit the node's allocatable;
//! scoring prefers the least allocated nodes (LeastAllocated) with balanced CPU and memory.

use super::{NodeInfo, Status};
use crate::sim::api::Pod;

pub const NAME: &str = "NodeResourcesFit";

/// Every insufficient resource is reported, as upstream's `fitsRequest` does.
pub fn filter(pod: &Pod, info: &NodeInfo<'_>) -> Status {
    let mut reasons = Vec::new();
    let alloc = info.node.status.allocatable;
    if info.pods + 1 > info.node.status.max_pods {
        reasons.push("Too many pods".to_string());
    }
    let req = pod.requests();
    if req.cpu.0 > 0 && info.requested.cpu.0 + req.cpu.0 > alloc.cpu.0 {
        reasons.push("Insufficient cpu".to_string());
    }
    if req.memory.0 > 0 && info.requested.memory.0 + req.memory.0 > alloc.memory.0 {
        reasons.push("Insufficient memory".to_string());
    }
    let gpus = pod.spec.gpus();
    if gpus > 0 && info.gpus + gpus > gpu_capacity(info) {
        reasons.push("Insufficient nvidia.com/gpu".to_string());
    }
    if reasons.is_empty() {
        Status::Success
    } else {
        Status::Unschedulable(reasons)
    }
}

fn gpu_capacity(info: &NodeInfo<'_>) -> u64 {
    crate::sim::catalog::instance_type(&info.node.instance_type).map_or(0, |t| t.gpus)
}

/// Upstream LeastAllocated: mean over CPU and memory of `(allocatable − requested) × 100 /
/// allocatable` after placing the pod. Pods without requests count as 100m CPU / 200 MiB
/// (upstream's non-zero defaults for scoring).
pub fn least_allocated_score(pod: &Pod, info: &NodeInfo<'_>) -> i64 {
    let (cpu, mem) = after(pod, info);
    let alloc = info.node.status.allocatable;
    let part = |used: u64, cap: u64| {
        if cap == 0 || used > cap {
            0
        } else {
            ((cap - used) * 100 / cap) as i64
        }
    };
    i64::midpoint(part(cpu, alloc.cpu.0), part(mem, alloc.memory.0))
}

/// Upstream BalancedAllocation: 100 minus the spread between CPU and memory fractions.
pub fn balanced_allocation_score(pod: &Pod, info: &NodeInfo<'_>) -> i64 {
    let (cpu, mem) = after(pod, info);
    let alloc = info.node.status.allocatable;
    if alloc.cpu.0 == 0 || alloc.memory.0 == 0 {
        return 0;
    }
    let fc = (cpu * 1000 / alloc.cpu.0).min(1000) as i64;
    let fm = (mem.saturating_mul(1000) / alloc.memory.0).min(1000) as i64;
    100 - (fc - fm).abs() / 20
}

fn after(pod: &Pod, info: &NodeInfo<'_>) -> (u64, u64) {
    let req = pod.requests();
    let cpu = if req.cpu.0 == 0 { 100 } else { req.cpu.0 };
    let mem = if req.memory.0 == 0 {
        200 * crate::sim::quantity::MIB
    } else {
        req.memory.0
    };
    (info.requested.cpu.0 + cpu, info.requested.memory.0 + mem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::controllers::scheduler::testing::{info, node, pod};

    fn insufficient(reasons: &[&str]) -> Status {
        Status::Unschedulable(reasons.iter().map(|r| (*r).to_string()).collect())
    }

    #[test]
    fn filter() {
        // Nodes of 4 CPUs and 8 GiB unless a case says otherwise.
        let cases = [
            (
                "no requests",
                pod("p").obj(),
                node("n"),
                vec![],
                Status::Success,
            ),
            (
                "fits exactly",
                pod("p").requests(1000, 2048).obj(),
                node("n"),
                vec![pod("q").requests(3000, 6144).obj()],
                Status::Success,
            ),
            (
                "too much cpu",
                pod("p").requests(1001, 0).obj(),
                node("n"),
                vec![pod("q").requests(3000, 0).obj()],
                insufficient(&["Insufficient cpu"]),
            ),
            (
                "too much memory",
                pod("p").requests(0, 4097).obj(),
                node("n"),
                vec![pod("q").requests(0, 4096).obj()],
                insufficient(&["Insufficient memory"]),
            ),
            (
                "every insufficient resource is reported",
                pod("p").requests(5000, 9000).obj(),
                node("n").max_pods(1),
                vec![pod("q").obj()],
                insufficient(&["Too many pods", "Insufficient cpu", "Insufficient memory"]),
            ),
            (
                "pod count",
                pod("p").obj(),
                node("n").max_pods(2),
                vec![pod("q").obj(), pod("r").obj()],
                insufficient(&["Too many pods"]),
            ),
            (
                "a node without GPUs",
                pod("p").gpus(1).obj(),
                node("n"),
                vec![],
                insufficient(&["Insufficient nvidia.com/gpu"]),
            ),
            (
                "a GPU node with a free GPU",
                pod("p").gpus(1).obj(),
                node("n").instance_type("g4dn.xlarge"),
                vec![],
                Status::Success,
            ),
            (
                "a GPU node whose GPU is taken",
                pod("p").gpus(1).obj(),
                node("n").instance_type("g4dn.xlarge"),
                vec![pod("q").gpus(1).obj()],
                insufficient(&["Insufficient nvidia.com/gpu"]),
            ),
        ];
        for (name, pod, node, existing, want) in cases {
            let n = node.obj();
            assert_eq!(super::filter(&pod, &info(&n, &existing)), want, "{name}");
        }
    }

    #[test]
    fn least_allocated_and_balanced_scores() {
        // (case, pod, already requested on a 4-CPU 8-GiB node, least allocated, balanced)
        // LeastAllocated: mean of (4000 − cpu) × 100 / 4000 and (8192 − MiB) × 100 / 8192;
        // BalancedAllocation: 100 − |cpu‰ − memory‰| / 20.
        let cases = [
            (
                "empty node, default 100m and 200 MiB",
                pod("p").obj(),
                (0, 0),
                97,
                100,
            ),
            (
                "half the cpu, a quarter of the memory",
                pod("p").requests(2000, 2048).obj(),
                (0, 0),
                62,
                88,
            ),
            (
                "full after placing",
                pod("p").requests(2000, 4096).obj(),
                (2000, 4096),
                0,
                100,
            ),
            (
                "cpu over allocatable counts as full",
                pod("p").requests(4000, 0).obj(),
                (1000, 0),
                48,
                52,
            ),
        ];
        for (name, pod, (cpu, mem), least, balanced) in cases {
            let n = node("n").obj();
            let existing = [super::super::testing::pod("q").requests(cpu, mem).obj()];
            let existing = if cpu + mem == 0 {
                &existing[..0]
            } else {
                &existing[..]
            };
            let i = info(&n, existing);
            assert_eq!(
                least_allocated_score(&pod, &i),
                least,
                "{name}: least allocated"
            );
            assert_eq!(
                balanced_allocation_score(&pod, &i),
                balanced,
                "{name}: balanced"
            );
        }
    }
}
