//! EC2 instance types the lab knows: size, price, network limits (eks-facts §1.3 and §3).

use crate::sim::quantity::{Bytes, MIB, MilliCpu, Resources};

/// CPU architecture of an instance type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    Amd64,
    Arm64,
}

impl Arch {
    pub const fn as_str(self) -> &'static str {
        match self {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
        }
    }
}

/// One row of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceType {
    pub name: &'static str,
    pub arch: Arch,
    pub vcpu: u64,
    pub memory_gib: u64,
    /// On-Demand price, us-east-1 Linux, in nano-dollars per hour (eks-facts §1.3).
    pub price_nusd_per_hour: u64,
    /// Maximum network interfaces (eks-facts §3).
    pub enis: u64,
    /// IPv4 addresses per ENI (eks-facts §3).
    pub ipv4_per_eni: u64,
    pub gpus: u64,
}

macro_rules! it {
    ($name:literal, $arch:ident, $vcpu:literal, $mem:literal, $usd:literal, $enis:literal, $ips:literal, $gpus:literal) => {
        InstanceType {
            name: $name,
            arch: Arch::$arch,
            vcpu: $vcpu,
            memory_gib: $mem,
            price_nusd_per_hour: $usd,
            enis: $enis,
            ipv4_per_eni: $ips,
            gpus: $gpus,
        }
    };
}

/// eks-facts §1.3 (vCPU, memory, $/h; KARP pricing data, H) and §3 (ENIs, IPv4 per ENI;
/// AMI instance-info.jsonl, H). Prices are nano-dollars per hour: $0.0960/h = 96_000_000.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    it!("t3.small", Amd64, 2, 2, 20_800_000, 3, 4, 0),
    it!("t3.medium", Amd64, 2, 4, 41_600_000, 3, 6, 0),
    it!("t3.large", Amd64, 2, 8, 83_200_000, 3, 12, 0),
    it!("t3.xlarge", Amd64, 4, 16, 166_400_000, 4, 15, 0),
    it!("t4g.medium", Arm64, 2, 4, 33_600_000, 3, 6, 0),
    it!("t4g.large", Arm64, 2, 8, 67_200_000, 3, 12, 0),
    it!("m5.large", Amd64, 2, 8, 96_000_000, 3, 10, 0),
    it!("m5.xlarge", Amd64, 4, 16, 192_000_000, 4, 15, 0),
    it!("m5.2xlarge", Amd64, 8, 32, 384_000_000, 4, 15, 0),
    it!("m5.4xlarge", Amd64, 16, 64, 768_000_000, 8, 30, 0),
    it!("c5.large", Amd64, 2, 4, 85_000_000, 3, 10, 0),
    it!("c5.xlarge", Amd64, 4, 8, 170_000_000, 4, 15, 0),
    it!("c5.2xlarge", Amd64, 8, 16, 340_000_000, 4, 15, 0),
    it!("r5.large", Amd64, 2, 16, 126_000_000, 3, 10, 0),
    it!("r5.xlarge", Amd64, 4, 32, 252_000_000, 4, 15, 0),
    it!("m6i.large", Amd64, 2, 8, 96_000_000, 3, 10, 0),
    it!("m6i.xlarge", Amd64, 4, 16, 192_000_000, 4, 15, 0),
    it!("m7i.large", Amd64, 2, 8, 100_800_000, 3, 10, 0),
    it!("m6g.large", Arm64, 2, 8, 77_000_000, 3, 10, 0),
    it!("m7g.large", Arm64, 2, 8, 81_600_000, 3, 10, 0),
    it!("m7g.xlarge", Arm64, 4, 16, 163_200_000, 4, 15, 0),
    it!("c6g.large", Arm64, 2, 4, 68_000_000, 3, 10, 0),
    it!("c7g.large", Arm64, 2, 4, 72_500_000, 3, 10, 0),
    it!("r6i.large", Amd64, 2, 16, 126_000_000, 3, 10, 0),
    it!("g4dn.xlarge", Amd64, 4, 16, 526_000_000, 3, 10, 1),
    it!("g5.xlarge", Amd64, 4, 16, 1_006_000_000, 4, 15, 1),
];

/// Looks up an instance type by name.
pub fn instance_type(name: &str) -> Option<&'static InstanceType> {
    INSTANCE_TYPES.iter().find(|t| t.name == name)
}

/// Names of every known type, for error messages.
pub fn known_instance_types() -> String {
    INSTANCE_TYPES
        .iter()
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a node's max pods is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxPodsPolicy {
    /// Self-managed nodes on the EKS AMI: the ENI formula, uncapped (AL2023 nodeadm default).
    EniFormula,
    /// Managed node groups without a custom AMI: the ENI formula capped at 110 (≤ 30 vCPU) or
    /// 250 (> 30 vCPU), "whether prefix delegation is enabled or not" (eks-facts §3).
    ManagedNodegroupCap,
}

impl InstanceType {
    /// `maxPods = ENIs × (IPv4 per ENI − 1) + 2` (eks-facts §3, AMI eni_max_pods.go).
    pub const fn eni_max_pods(&self) -> u64 {
        self.enis * (self.ipv4_per_eni - 1) + 2
    }

    /// Max pods under the given policy (eks-facts §3).
    pub fn max_pods(&self, policy: MaxPodsPolicy) -> u64 {
        let formula = self.eni_max_pods();
        match policy {
            MaxPodsPolicy::EniFormula => formula,
            MaxPodsPolicy::ManagedNodegroupCap => {
                let cap = if self.vcpu > 30 { 250 } else { 110 };
                formula.min(cap)
            }
        }
    }

    /// Kubernetes node capacity. Memory is the nominal size less the 7.5 % the hypervisor and
    /// OS keep (eks-facts §1.3, Karpenter `VM_MEMORY_OVERHEAD_PERCENT=0.075`), in whole MiB.
    pub fn capacity(&self) -> Resources {
        let nominal_mib = self.memory_gib * 1024;
        let mib = nominal_mib * 925 / 1000;
        Resources {
            cpu: MilliCpu::cores(self.vcpu),
            memory: Bytes(mib * MIB),
        }
    }

    /// kube-reserved CPU on the EKS-optimized AMI: 6 % of the first core, 1 % of the second,
    /// 0.5 % of cores 3–4 and 0.25 % of each core above 4 (eks-facts §1.3, nodeadm config.go).
    pub fn kube_reserved_cpu(&self) -> MilliCpu {
        // In tenths of a millicore so the 0.25 % steps stay exact.
        let cores = self.vcpu;
        let mut tenths = 0;
        if cores >= 1 {
            tenths += 600;
        }
        if cores >= 2 {
            tenths += 100;
        }
        tenths += 50 * cores.clamp(2, 4).saturating_sub(2);
        tenths += 25 * cores.saturating_sub(4);
        MilliCpu(tenths / 10)
    }

    /// kube-reserved memory = `11 × maxPods + 255` MiB (eks-facts §1.3).
    pub const fn kube_reserved_memory(max_pods: u64) -> Bytes {
        Bytes((11 * max_pods + 255) * MIB)
    }

    /// allocatable = capacity − kube-reserved − eviction threshold (`memory.available<100Mi`),
    /// eks-facts §1.3.
    pub fn allocatable(&self, max_pods: u64) -> Resources {
        let cap = self.capacity();
        let reserved = Resources {
            cpu: self.kube_reserved_cpu(),
            memory: Bytes(Self::kube_reserved_memory(max_pods).0 + EVICTION_HARD_MEMORY.0),
        };
        cap.saturating_sub(reserved)
    }
}

/// `evictionHard: memory.available<100Mi` on the EKS AMI (eks-facts §1.3).
pub const EVICTION_HARD_MEMORY: Bytes = Bytes::mib(100);

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str) -> &'static InstanceType {
        instance_type(name).unwrap()
    }

    #[test]
    fn max_pods_match_eni_max_pods_txt() {
        // eks-facts §3 table, eni-max-pods.txt column.
        for (name, pods) in [
            ("t3.small", 11),
            ("t3.medium", 17),
            ("t3.large", 35),
            ("t3.xlarge", 58),
            ("m5.large", 29),
            ("m5.xlarge", 58),
            ("m5.2xlarge", 58),
            ("m5.4xlarge", 234),
            ("c5.large", 29),
            ("g4dn.xlarge", 29),
            ("g5.xlarge", 58),
        ] {
            assert_eq!(t(name).max_pods(MaxPodsPolicy::EniFormula), pods, "{name}");
        }
    }

    #[test]
    fn managed_node_groups_cap_max_pods_at_110() {
        // eks-facts §3: MNG cap applies even without prefix delegation; m5.4xlarge → 110.
        assert_eq!(
            t("m5.4xlarge").max_pods(MaxPodsPolicy::ManagedNodegroupCap),
            110
        );
        assert_eq!(
            t("m5.large").max_pods(MaxPodsPolicy::ManagedNodegroupCap),
            29
        );
    }

    #[test]
    fn kube_reserved_cpu_matches_nodeadm() {
        // eks-facts §1.3: 2 vCPU → 70m; 4 → 80m; 8 → 90m; 16 → 110m.
        assert_eq!(t("m5.large").kube_reserved_cpu(), MilliCpu(70));
        assert_eq!(t("m5.xlarge").kube_reserved_cpu(), MilliCpu(80));
        assert_eq!(t("m5.2xlarge").kube_reserved_cpu(), MilliCpu(90));
        assert_eq!(t("m5.4xlarge").kube_reserved_cpu(), MilliCpu(110));
    }

    #[test]
    fn allocatable_matches_the_facts_table() {
        // eks-facts §1.3 "Karpenter alloc CPU / mem" (uncapped max pods).
        for (name, cpu, mem_mib) in [
            ("t3.small", 1930, 1418),
            ("t3.medium", 1930, 3246),
            ("t3.large", 1930, 6837),
            ("t3.xlarge", 3920, 14162),
            ("m5.large", 1930, 6903),
            ("m5.xlarge", 3920, 14162),
            ("m5.2xlarge", 7910, 29317),
            ("m5.4xlarge", 15890, 57691),
            ("c5.large", 1930, 3114),
            ("c5.xlarge", 3920, 6584),
            ("r5.large", 1930, 14481),
            ("r5.xlarge", 3920, 29317),
        ] {
            let it = t(name);
            let a = it.allocatable(it.max_pods(MaxPodsPolicy::EniFormula));
            assert_eq!((a.cpu.0, a.memory.as_mib()), (cpu, mem_mib), "{name}");
        }
    }

    #[test]
    fn prices_are_the_us_east_1_on_demand_rates() {
        assert_eq!(t("m5.large").price_nusd_per_hour, 96_000_000);
        assert_eq!(t("t3.medium").price_nusd_per_hour, 41_600_000);
        assert_eq!(t("g5.xlarge").price_nusd_per_hour, 1_006_000_000);
    }
}
