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
    /// Memory in MiB, exact (c5n.large has 5376 MiB, 5.25 GiB; t2.nano 512 MiB).
    pub memory_mib: u64,
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
            memory_mib: $mem,
            price_nusd_per_hour: $usd,
            enis: $enis,
            ipv4_per_eni: $ips,
            gpus: $gpus,
        }
    };
}

/// eks-facts §1.3 (vCPU, memory, $/h) and §3 (ENIs, IPv4 per ENI), from the snapshots the sheet
/// names: prices from KARP `pkg/providers/pricing/zz_generated.pricing_aws.go` @ 1d92708 (generated
/// 2026-07-20, us-east-1 On-Demand Linux); arch, vCPU, memory (MiB, EC2 `MemoryInfo.SizeInMiB`) and
/// GPUs from KARP `website/content/en/docs/reference/instance-types.md` @ 1d92708; ENIs and IPv4
/// per ENI from AMI `nodeadm/internal/kubelet/instance-info.jsonl` @ 81fec2e (same values in the
/// CNI's `pkg/vpc/vpc_ip_resource_limit.go` @ b521883 and KARP `zz_generated.vpclimits.go`), all H.
/// Prices are nano-dollars per hour: $0.0960/h = 96_000_000. Memory is MiB: 8 GiB = 8192.
pub const INSTANCE_TYPES: &[InstanceType] = &[
    it!("t3.small", Amd64, 2, 2048, 20_800_000, 3, 4, 0),
    it!("t3.medium", Amd64, 2, 4096, 41_600_000, 3, 6, 0),
    it!("t3.large", Amd64, 2, 8192, 83_200_000, 3, 12, 0),
    it!("t3.xlarge", Amd64, 4, 16384, 166_400_000, 4, 15, 0),
    it!("t4g.medium", Arm64, 2, 4096, 33_600_000, 3, 6, 0),
    it!("t4g.large", Arm64, 2, 8192, 67_200_000, 3, 12, 0),
    it!("m5.large", Amd64, 2, 8192, 96_000_000, 3, 10, 0),
    it!("m5.xlarge", Amd64, 4, 16384, 192_000_000, 4, 15, 0),
    it!("m5.2xlarge", Amd64, 8, 32768, 384_000_000, 4, 15, 0),
    it!("m5.4xlarge", Amd64, 16, 65536, 768_000_000, 8, 30, 0),
    it!("c5.large", Amd64, 2, 4096, 85_000_000, 3, 10, 0),
    it!("c5.xlarge", Amd64, 4, 8192, 170_000_000, 4, 15, 0),
    it!("c5.2xlarge", Amd64, 8, 16384, 340_000_000, 4, 15, 0),
    it!("r5.large", Amd64, 2, 16384, 126_000_000, 3, 10, 0),
    it!("r5.xlarge", Amd64, 4, 32768, 252_000_000, 4, 15, 0),
    it!("m6i.large", Amd64, 2, 8192, 96_000_000, 3, 10, 0),
    it!("m6i.xlarge", Amd64, 4, 16384, 192_000_000, 4, 15, 0),
    it!("m7i.large", Amd64, 2, 8192, 100_800_000, 3, 10, 0),
    it!("m6g.large", Arm64, 2, 8192, 77_000_000, 3, 10, 0),
    it!("m7g.large", Arm64, 2, 8192, 81_600_000, 3, 10, 0),
    it!("m7g.xlarge", Arm64, 4, 16384, 163_200_000, 4, 15, 0),
    it!("c6g.large", Arm64, 2, 4096, 68_000_000, 3, 10, 0),
    it!("c7g.large", Arm64, 2, 4096, 72_500_000, 3, 10, 0),
    it!("r6i.large", Amd64, 2, 16384, 126_000_000, 3, 10, 0),
    it!("g4dn.xlarge", Amd64, 4, 16384, 526_000_000, 3, 10, 1),
    it!("g5.xlarge", Amd64, 4, 16384, 1_006_000_000, 4, 15, 1),
    // Larger m5 and c5 sizes.
    it!("m5.8xlarge", Amd64, 32, 131_072, 1_536_000_000, 8, 30, 0),
    it!("m5.12xlarge", Amd64, 48, 196_608, 2_304_000_000, 8, 30, 0),
    it!("m5.16xlarge", Amd64, 64, 262_144, 3_072_000_000, 15, 50, 0),
    it!("m5.24xlarge", Amd64, 96, 393_216, 4_608_000_000, 15, 50, 0),
    it!("m5.metal", Amd64, 96, 393_216, 4_608_000_000, 15, 50, 0),
    it!("c5.4xlarge", Amd64, 16, 32768, 680_000_000, 8, 30, 0),
    it!("c5.9xlarge", Amd64, 36, 73728, 1_530_000_000, 8, 30, 0),
    it!("c5.12xlarge", Amd64, 48, 98304, 2_040_000_000, 8, 30, 0),
    it!("c5.18xlarge", Amd64, 72, 147_456, 3_060_000_000, 15, 50, 0),
    it!("c5.24xlarge", Amd64, 96, 196_608, 4_080_000_000, 15, 50, 0),
    it!("c5.metal", Amd64, 96, 196_608, 4_080_000_000, 15, 50, 0),
    // m5a (AMD EPYC), m5d and c5d (local NVMe), c5n (100 Gbps networking), c5a (AMD).
    it!("m5a.large", Amd64, 2, 8192, 86_000_000, 3, 10, 0),
    it!("m5a.xlarge", Amd64, 4, 16384, 172_000_000, 4, 15, 0),
    it!("m5a.2xlarge", Amd64, 8, 32768, 344_000_000, 4, 15, 0),
    it!("m5a.4xlarge", Amd64, 16, 65536, 688_000_000, 8, 30, 0),
    it!("m5a.8xlarge", Amd64, 32, 131_072, 1_376_000_000, 8, 30, 0),
    it!("m5a.12xlarge", Amd64, 48, 196_608, 2_064_000_000, 8, 30, 0),
    it!("m5a.16xlarge", Amd64, 64, 262_144, 2_752_000_000, 15, 50, 0),
    it!("m5a.24xlarge", Amd64, 96, 393_216, 4_128_000_000, 15, 50, 0),
    it!("m5d.large", Amd64, 2, 8192, 113_000_000, 3, 10, 0),
    it!("m5d.xlarge", Amd64, 4, 16384, 226_000_000, 4, 15, 0),
    it!("m5d.2xlarge", Amd64, 8, 32768, 452_000_000, 4, 15, 0),
    it!("m5d.4xlarge", Amd64, 16, 65536, 904_000_000, 8, 30, 0),
    it!("m5d.8xlarge", Amd64, 32, 131_072, 1_808_000_000, 8, 30, 0),
    it!("m5d.12xlarge", Amd64, 48, 196_608, 2_712_000_000, 8, 30, 0),
    it!("m5d.16xlarge", Amd64, 64, 262_144, 3_616_000_000, 15, 50, 0),
    it!("m5d.24xlarge", Amd64, 96, 393_216, 5_424_000_000, 15, 50, 0),
    it!("m5d.metal", Amd64, 96, 393_216, 5_424_000_000, 15, 50, 0),
    it!("c5n.large", Amd64, 2, 5376, 108_000_000, 3, 10, 0),
    it!("c5n.xlarge", Amd64, 4, 10752, 216_000_000, 4, 15, 0),
    it!("c5n.2xlarge", Amd64, 8, 21504, 432_000_000, 4, 15, 0),
    it!("c5n.4xlarge", Amd64, 16, 43008, 864_000_000, 8, 30, 0),
    it!("c5n.9xlarge", Amd64, 36, 98304, 1_944_000_000, 8, 30, 0),
    it!("c5n.18xlarge", Amd64, 72, 196_608, 3_888_000_000, 15, 50, 0),
    it!("c5n.metal", Amd64, 72, 196_608, 3_888_000_000, 15, 50, 0),
    it!("c5d.large", Amd64, 2, 4096, 96_000_000, 3, 10, 0),
    it!("c5d.xlarge", Amd64, 4, 8192, 192_000_000, 4, 15, 0),
    it!("c5d.2xlarge", Amd64, 8, 16384, 384_000_000, 4, 15, 0),
    it!("c5d.4xlarge", Amd64, 16, 32768, 768_000_000, 8, 30, 0),
    it!("c5d.9xlarge", Amd64, 36, 73728, 1_728_000_000, 8, 30, 0),
    it!("c5d.12xlarge", Amd64, 48, 98304, 2_304_000_000, 8, 30, 0),
    it!("c5d.18xlarge", Amd64, 72, 147_456, 3_456_000_000, 15, 50, 0),
    it!("c5d.24xlarge", Amd64, 96, 196_608, 4_608_000_000, 15, 50, 0),
    it!("c5d.metal", Amd64, 96, 196_608, 4_608_000_000, 15, 50, 0),
    it!("c5a.large", Amd64, 2, 4096, 77_000_000, 3, 10, 0),
    it!("c5a.xlarge", Amd64, 4, 8192, 154_000_000, 4, 15, 0),
    it!("c5a.2xlarge", Amd64, 8, 16384, 308_000_000, 4, 15, 0),
    it!("c5a.4xlarge", Amd64, 16, 32768, 616_000_000, 8, 30, 0),
    it!("c5a.8xlarge", Amd64, 32, 65536, 1_232_000_000, 8, 30, 0),
    it!("c5a.12xlarge", Amd64, 48, 98304, 1_848_000_000, 8, 30, 0),
    it!("c5a.16xlarge", Amd64, 64, 131_072, 2_464_000_000, 15, 50, 0),
    it!("c5a.24xlarge", Amd64, 96, 196_608, 3_696_000_000, 15, 50, 0),
    // Xen (non-Nitro) families: t2, c4, c3 and p3 below. HypervisorType "xen" in the CNI's
    // vpc_ip_resource_limit.go @ b521883; the lab does not model prefix delegation, which
    // needs Nitro (eks-facts §3), so their max pods are the ENI formula for every type.
    it!("t2.nano", Amd64, 1, 512, 5_800_000, 2, 2, 0),
    it!("t2.micro", Amd64, 1, 1024, 11_600_000, 2, 2, 0),
    it!("t2.small", Amd64, 1, 2048, 23_000_000, 3, 4, 0),
    it!("t2.medium", Amd64, 2, 4096, 46_400_000, 3, 6, 0),
    it!("t2.large", Amd64, 2, 8192, 92_800_000, 3, 12, 0),
    it!("t2.xlarge", Amd64, 4, 16384, 185_600_000, 3, 15, 0),
    it!("t2.2xlarge", Amd64, 8, 32768, 371_200_000, 3, 15, 0),
    it!("c4.large", Amd64, 2, 3840, 100_000_000, 3, 10, 0),
    it!("c4.xlarge", Amd64, 4, 7680, 199_000_000, 4, 15, 0),
    it!("c4.2xlarge", Amd64, 8, 15360, 398_000_000, 4, 15, 0),
    it!("c4.4xlarge", Amd64, 16, 30720, 796_000_000, 8, 30, 0),
    it!("c4.8xlarge", Amd64, 36, 61440, 1_591_000_000, 8, 30, 0),
    it!("c3.large", Amd64, 2, 3840, 105_000_000, 3, 10, 0),
    it!("c3.xlarge", Amd64, 4, 7680, 210_000_000, 4, 15, 0),
    it!("c3.2xlarge", Amd64, 8, 15360, 420_000_000, 4, 15, 0),
    it!("c3.4xlarge", Amd64, 16, 30720, 840_000_000, 8, 30, 0),
    it!("c3.8xlarge", Amd64, 32, 61440, 1_680_000_000, 8, 30, 0),
    // p3.2xlarge/8xlarge/16xlarge: specs from KARP website/content/en/v1.12/reference/
    // instance-types.md @ 9e1d72f and ENIs from instance-info.jsonl @ 575e052 (both removed
    // later: KARP fe623d5, AMI 29a698b, so EC2 may no longer launch them); p3dn.24xlarge is
    // Nitro and current in every source.
    it!("p3.2xlarge", Amd64, 8, 62464, 3_060_000_000, 4, 15, 1),
    it!("p3.8xlarge", Amd64, 32, 249_856, 12_240_000_000, 8, 30, 4),
    it!("p3.16xlarge", Amd64, 64, 499_712, 24_480_000_000, 8, 30, 8),
    it!(
        "p3dn.24xlarge",
        Amd64,
        96,
        786_432,
        31_212_000_000,
        15,
        50,
        8
    ),
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
    /// Memory in GiB as AWS writes it: `8`, `5.25`, `0.5`.
    pub fn memory_gib_text(&self) -> String {
        let whole = self.memory_mib / 1024;
        let thousandths = (self.memory_mib % 1024) * 1000 / 1024;
        if thousandths == 0 {
            whole.to_string()
        } else {
            let frac = format!("{thousandths:03}");
            format!("{whole}.{}", frac.trim_end_matches('0'))
        }
    }

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
        let mib = self.memory_mib * 925 / 1000;
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

    /// The rows added for eksctl's examples (research table from the sources the module names):
    /// vCPU, MiB, nano-dollars per hour, max pods on the EKS AMI (eni-max-pods.txt, the ENI
    /// formula) and in a managed node group (capped at 110, or 250 above 30 vCPU, eks-facts §3).
    const ADDED: &[(&str, u64, u64, u64, u64, u64)] = &[
        ("m5.8xlarge", 32, 131_072, 1_536_000_000, 234, 234),
        ("m5.12xlarge", 48, 196_608, 2_304_000_000, 234, 234),
        ("m5.16xlarge", 64, 262_144, 3_072_000_000, 737, 250),
        ("m5.24xlarge", 96, 393_216, 4_608_000_000, 737, 250),
        ("m5.metal", 96, 393_216, 4_608_000_000, 737, 250),
        ("c5.4xlarge", 16, 32768, 680_000_000, 234, 110),
        ("c5.9xlarge", 36, 73728, 1_530_000_000, 234, 234),
        ("c5.12xlarge", 48, 98304, 2_040_000_000, 234, 234),
        ("c5.18xlarge", 72, 147_456, 3_060_000_000, 737, 250),
        ("c5.24xlarge", 96, 196_608, 4_080_000_000, 737, 250),
        ("c5.metal", 96, 196_608, 4_080_000_000, 737, 250),
        ("m5a.large", 2, 8192, 86_000_000, 29, 29),
        ("m5a.xlarge", 4, 16384, 172_000_000, 58, 58),
        ("m5a.2xlarge", 8, 32768, 344_000_000, 58, 58),
        ("m5a.4xlarge", 16, 65536, 688_000_000, 234, 110),
        ("m5a.8xlarge", 32, 131_072, 1_376_000_000, 234, 234),
        ("m5a.12xlarge", 48, 196_608, 2_064_000_000, 234, 234),
        ("m5a.16xlarge", 64, 262_144, 2_752_000_000, 737, 250),
        ("m5a.24xlarge", 96, 393_216, 4_128_000_000, 737, 250),
        ("m5d.large", 2, 8192, 113_000_000, 29, 29),
        ("m5d.xlarge", 4, 16384, 226_000_000, 58, 58),
        ("m5d.2xlarge", 8, 32768, 452_000_000, 58, 58),
        ("m5d.4xlarge", 16, 65536, 904_000_000, 234, 110),
        ("m5d.8xlarge", 32, 131_072, 1_808_000_000, 234, 234),
        ("m5d.12xlarge", 48, 196_608, 2_712_000_000, 234, 234),
        ("m5d.16xlarge", 64, 262_144, 3_616_000_000, 737, 250),
        ("m5d.24xlarge", 96, 393_216, 5_424_000_000, 737, 250),
        ("m5d.metal", 96, 393_216, 5_424_000_000, 737, 250),
        ("c5n.large", 2, 5376, 108_000_000, 29, 29),
        ("c5n.xlarge", 4, 10752, 216_000_000, 58, 58),
        ("c5n.2xlarge", 8, 21504, 432_000_000, 58, 58),
        ("c5n.4xlarge", 16, 43008, 864_000_000, 234, 110),
        ("c5n.9xlarge", 36, 98304, 1_944_000_000, 234, 234),
        ("c5n.18xlarge", 72, 196_608, 3_888_000_000, 737, 250),
        ("c5n.metal", 72, 196_608, 3_888_000_000, 737, 250),
        ("c5d.large", 2, 4096, 96_000_000, 29, 29),
        ("c5d.xlarge", 4, 8192, 192_000_000, 58, 58),
        ("c5d.2xlarge", 8, 16384, 384_000_000, 58, 58),
        ("c5d.4xlarge", 16, 32768, 768_000_000, 234, 110),
        ("c5d.9xlarge", 36, 73728, 1_728_000_000, 234, 234),
        ("c5d.12xlarge", 48, 98304, 2_304_000_000, 234, 234),
        ("c5d.18xlarge", 72, 147_456, 3_456_000_000, 737, 250),
        ("c5d.24xlarge", 96, 196_608, 4_608_000_000, 737, 250),
        ("c5d.metal", 96, 196_608, 4_608_000_000, 737, 250),
        ("c5a.large", 2, 4096, 77_000_000, 29, 29),
        ("c5a.xlarge", 4, 8192, 154_000_000, 58, 58),
        ("c5a.2xlarge", 8, 16384, 308_000_000, 58, 58),
        ("c5a.4xlarge", 16, 32768, 616_000_000, 234, 110),
        ("c5a.8xlarge", 32, 65536, 1_232_000_000, 234, 234),
        ("c5a.12xlarge", 48, 98304, 1_848_000_000, 234, 234),
        ("c5a.16xlarge", 64, 131_072, 2_464_000_000, 737, 250),
        ("c5a.24xlarge", 96, 196_608, 3_696_000_000, 737, 250),
        ("t2.nano", 1, 512, 5_800_000, 4, 4),
        ("t2.micro", 1, 1024, 11_600_000, 4, 4),
        ("t2.small", 1, 2048, 23_000_000, 11, 11),
        ("t2.medium", 2, 4096, 46_400_000, 17, 17),
        ("t2.large", 2, 8192, 92_800_000, 35, 35),
        ("t2.xlarge", 4, 16384, 185_600_000, 44, 44),
        ("t2.2xlarge", 8, 32768, 371_200_000, 44, 44),
        ("c4.large", 2, 3840, 100_000_000, 29, 29),
        ("c4.xlarge", 4, 7680, 199_000_000, 58, 58),
        ("c4.2xlarge", 8, 15360, 398_000_000, 58, 58),
        ("c4.4xlarge", 16, 30720, 796_000_000, 234, 110),
        ("c4.8xlarge", 36, 61440, 1_591_000_000, 234, 234),
        ("c3.large", 2, 3840, 105_000_000, 29, 29),
        ("c3.xlarge", 4, 7680, 210_000_000, 58, 58),
        ("c3.2xlarge", 8, 15360, 420_000_000, 58, 58),
        ("c3.4xlarge", 16, 30720, 840_000_000, 234, 110),
        ("c3.8xlarge", 32, 61440, 1_680_000_000, 234, 234),
        ("p3.2xlarge", 8, 62464, 3_060_000_000, 58, 58),
        ("p3.8xlarge", 32, 249_856, 12_240_000_000, 234, 234),
        ("p3.16xlarge", 64, 499_712, 24_480_000_000, 234, 234),
        ("p3dn.24xlarge", 96, 786_432, 31_212_000_000, 737, 250),
    ];

    #[test]
    fn added_rows_pin_price_size_and_max_pods() {
        for &(name, vcpu, mib, price, pods, managed) in ADDED {
            let it = t(name);
            assert_eq!(
                (it.vcpu, it.memory_mib, it.price_nusd_per_hour),
                (vcpu, mib, price),
                "{name}"
            );
            assert_eq!(it.max_pods(MaxPodsPolicy::EniFormula), pods, "{name}");
            assert_eq!(
                it.max_pods(MaxPodsPolicy::ManagedNodegroupCap),
                managed,
                "{name}"
            );
        }
        assert_eq!(ADDED.len(), 73);
        assert_eq!(INSTANCE_TYPES.len(), 26 + 73);
    }

    #[test]
    fn rows_are_unique_and_usable() {
        for (i, it) in INSTANCE_TYPES.iter().enumerate() {
            assert!(
                INSTANCE_TYPES[..i].iter().all(|o| o.name != it.name),
                "{} twice",
                it.name
            );
            assert!(
                it.vcpu > 0 && it.memory_mib > 0 && it.price_nusd_per_hour > 0,
                "{}",
                it.name
            );
            assert!(it.enis > 0 && it.ipv4_per_eni > 1, "{}", it.name);
        }
    }

    #[test]
    fn memory_is_exact_mib() {
        // c5n.large 5376 MiB, t2.nano 512 MiB, c4.large 3840 MiB (eks-facts §1.3 sources).
        assert_eq!(t("c5n.large").memory_gib_text(), "5.25");
        assert_eq!(t("t2.nano").memory_gib_text(), "0.5");
        assert_eq!(t("c4.large").memory_gib_text(), "3.75");
        assert_eq!(t("m5.large").memory_gib_text(), "8");
        // capacity = 92.5 % of the MiB; allocatable = capacity − (11 × maxPods + 255) − 100 MiB.
        for (name, cap_mib, cpu, alloc_mib) in [
            ("c5n.large", 4972, 1930, 4972 - (11 * 29 + 255) - 100),
            ("t2.nano", 473, 940, 473 - (11 * 4 + 255) - 100),
            ("c4.xlarge", 7104, 3920, 7104 - (11 * 58 + 255) - 100),
        ] {
            let it = t(name);
            let a = it.allocatable(it.max_pods(MaxPodsPolicy::EniFormula));
            assert_eq!(it.capacity().memory.as_mib(), cap_mib, "{name}");
            assert_eq!((a.cpu.0, a.memory.as_mib()), (cpu, alloc_mib), "{name}");
        }
    }

    #[test]
    fn prices_are_the_us_east_1_on_demand_rates() {
        assert_eq!(t("m5.large").price_nusd_per_hour, 96_000_000);
        assert_eq!(t("t3.medium").price_nusd_per_hour, 41_600_000);
        assert_eq!(t("g5.xlarge").price_nusd_per_hour, 1_006_000_000);
    }
}
