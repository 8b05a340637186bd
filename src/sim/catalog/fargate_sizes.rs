//! Fargate pod sizing: the valid vCPU/memory combinations and the rounding rule (eks-facts §2).

use std::fmt;

use crate::sim::quantity::{Bytes, MIB, MilliCpu, Resources};

/// A Fargate configuration: vCPU in millicores and memory in MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FargateSize {
    pub cpu: MilliCpu,
    pub memory_mib: u64,
}

/// The kubelet, kube-proxy and containerd reservation added to every Fargate pod (eks-facts §2).
pub const FARGATE_OVERHEAD_MIB: u64 = 256;

/// Valid memory sizes (GB, as MiB) for each vCPU tier, eks-facts §2 table.
fn memory_options(cpu_m: u64) -> Vec<u64> {
    let gb = |g: u64| g * 1024;
    match cpu_m {
        250 => vec![512, gb(1), gb(2)],
        500 => (1..=4).map(gb).collect(),
        1000 => (2..=8).map(gb).collect(),
        2000 => (4..=16).map(gb).collect(),
        4000 => (8..=30).map(gb).collect(),
        8000 => (16..=60).step_by(4).map(gb).collect(),
        16000 => (32..=120).step_by(8).map(gb).collect(),
        _ => Vec::new(),
    }
}

const CPU_TIERS: [u64; 7] = [250, 500, 1000, 2000, 4000, 8000, 16000];

/// The smallest Fargate size with `vCPU ≥ req.cpu` and `memory ≥ req.memory + 256 MB`,
/// searching vCPU tiers ascending (eks-facts §2 steps 4–6). `None` when nothing is big enough.
///
/// `requests` is already `max(max(init), sum(containers))` per resource (steps 1–3).
pub fn fargate_size_for(requests: Resources) -> Option<FargateSize> {
    let need_mib = requests.memory.0.div_ceil(MIB) + FARGATE_OVERHEAD_MIB;
    for cpu in CPU_TIERS {
        if cpu < requests.cpu.0 {
            continue;
        }
        if let Some(mem) = memory_options(cpu).into_iter().find(|m| *m >= need_mib) {
            return Some(FargateSize {
                cpu: MilliCpu(cpu),
                memory_mib: mem,
            });
        }
    }
    None
}

impl FargateSize {
    pub fn resources(self) -> Resources {
        Resources {
            cpu: self.cpu,
            memory: Bytes(self.memory_mib * MIB),
        }
    }
}

/// As the `CapacityProvisioned` annotation writes it: `0.25vCPU 0.5GB`, `2vCPU 9GB`.
impl fmt::Display for FargateSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cpu = self.cpu.0;
        if cpu.is_multiple_of(1000) {
            write!(f, "{}vCPU ", cpu / 1000)?;
        } else {
            write!(f, "{}vCPU ", trim_decimal(cpu, 1000))?;
        }
        if self.memory_mib.is_multiple_of(1024) {
            write!(f, "{}GB", self.memory_mib / 1024)
        } else {
            write!(f, "{}GB", trim_decimal(self.memory_mib, 1024))
        }
    }
}

fn trim_decimal(value: u64, unit: u64) -> String {
    // Quarter and half units only occur here (0.25, 0.5); print them without float noise.
    let whole = value / unit;
    let frac = (value % unit) * 100 / unit;
    let mut s = format!("{whole}.{frac:02}");
    while s.ends_with('0') {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(cpu_m: u64, mem_mib: u64) -> Resources {
        Resources::new(cpu_m, mem_mib * MIB)
    }

    #[test]
    fn documented_example_one_vcpu_eight_gb_becomes_two_vcpu_nine_gb() {
        // eks-facts §2: 1 vCPU + 8 GB → +256 MB → 2 vCPU / 9 GB.
        let s = fargate_size_for(req(1000, 8 * 1024)).unwrap();
        assert_eq!(s.to_string(), "2vCPU 9GB");
    }

    #[test]
    fn no_requests_gets_the_smallest_size() {
        let s = fargate_size_for(Resources::ZERO).unwrap();
        assert_eq!(s.to_string(), "0.25vCPU 0.5GB");
    }

    #[test]
    fn rounds_up_through_the_table() {
        assert_eq!(
            fargate_size_for(req(250, 256)).unwrap().to_string(),
            "0.25vCPU 0.5GB"
        );
        assert_eq!(
            fargate_size_for(req(250, 257)).unwrap().to_string(),
            "0.25vCPU 1GB"
        );
        assert_eq!(
            fargate_size_for(req(500, 1024)).unwrap().to_string(),
            "0.5vCPU 2GB"
        );
        assert_eq!(
            fargate_size_for(req(300, 512)).unwrap().to_string(),
            "0.5vCPU 1GB"
        );
        assert_eq!(
            fargate_size_for(req(4000, 40 * 1024)).unwrap().to_string(),
            "8vCPU 44GB"
        );
        assert_eq!(fargate_size_for(req(16000, 200 * 1024)), None);
    }
}
