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
