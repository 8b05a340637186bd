//! The VPC's subnets and IP address bookkeeping (eks-facts §3).

use std::collections::BTreeSet;

/// A subnet in one AZ. AWS reserves 5 addresses in every subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub id: String,
    pub zone: String,
    pub cidr: String,
    /// First address of the block, as a u32.
    pub base: u32,
    /// Block size (2^(32 − prefix)).
    pub size: u32,
    /// Offsets in use (AWS's five reserved ones are not stored, just skipped).
    pub used: BTreeSet<u32>,
    pub private: bool,
}

/// AWS reserves the first four addresses and the last one of every subnet.
pub const AWS_RESERVED_PER_SUBNET: u32 = 5;

impl Subnet {
    /// Parses `10.0.0.0/19`.
    pub fn new(id: &str, zone: &str, cidr: &str, private: bool) -> Result<Subnet, String> {
        let (base, size) = parse_cidr(cidr)?;
        if size < 16 {
            return Err(format!(
                "subnet {cidr} is too small: EKS needs at least a /28"
            ));
        }
        Ok(Subnet {
            id: id.to_string(),
            zone: zone.to_string(),
            cidr: cidr.to_string(),
            base,
            size,
            used: BTreeSet::new(),
            private,
        })
    }

    pub fn capacity(&self) -> u32 {
        self.size - AWS_RESERVED_PER_SUBNET
    }

    pub fn free(&self) -> u32 {
        self.capacity() - self.used.len() as u32
    }

    /// Allocates a free address, preferring `hint` (an offset) and scanning up from it, so
    /// the caller controls the spread with its own random stream. `None` when full.
    pub fn allocate(&mut self, hint: u32) -> Option<String> {
        if self.free() == 0 {
            return None;
        }
        let first = 4;
        let last = self.size - 2;
        let span = last - first + 1;
        let start = first + hint % span;
        let mut off = start;
        loop {
            if !self.used.contains(&off) {
                self.used.insert(off);
                return Some(format_ip(self.base + off));
            }
            off = if off == last { first } else { off + 1 };
            if off == start {
                return None;
            }
        }
    }

    pub fn release(&mut self, ip: &str) {
        if let Ok(addr) = parse_ip(ip)
            && addr >= self.base
            && addr < self.base + self.size
        {
            self.used.remove(&(addr - self.base));
        }
    }
}

pub fn parse_ip(text: &str) -> Result<u32, String> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return Err(format!("invalid IPv4 address {text:?}"));
    }
    let mut v: u32 = 0;
    for p in parts {
        let o: u8 = p
            .parse()
            .map_err(|_| format!("invalid IPv4 address {text:?}"))?;
        v = (v << 8) | u32::from(o);
    }
    Ok(v)
}

pub fn format_ip(v: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        v >> 24,
        (v >> 16) & 0xff,
        (v >> 8) & 0xff,
        v & 0xff
    )
}

/// Parses a CIDR block into (base address, size).
pub fn parse_cidr(cidr: &str) -> Result<(u32, u32), String> {
    let (ip, prefix) = cidr
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR {cidr:?}: expected a.b.c.d/n"))?;
    let base = parse_ip(ip)?;
    let prefix: u32 = prefix
        .parse()
        .map_err(|_| format!("invalid CIDR {cidr:?}"))?;
    if !(16..=28).contains(&prefix) {
        return Err(format!(
            "invalid CIDR {cidr:?}: prefix must be between /16 and /28"
        ));
    }
    let size = 1u32 << (32 - prefix);
    if base % size != 0 {
        return Err(format!(
            "invalid CIDR {cidr:?}: address is not aligned to the prefix"
        ));
    }
    Ok((base, size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_nineteen_holds_8187_usable_addresses() {
        let s = Subnet::new("subnet-1", "us-east-1a", "192.168.96.0/19", true).unwrap();
        assert_eq!(s.capacity(), 8192 - 5);
    }

    #[test]
    fn allocation_skips_reserved_and_used_addresses() {
        let mut s = Subnet::new("subnet-1", "us-east-1a", "10.0.0.0/28", true).unwrap();
        assert_eq!(s.capacity(), 11);
        let ips: Vec<String> = (0..11).map(|_| s.allocate(0).unwrap()).collect();
        assert_eq!(ips[0], "10.0.0.4");
        assert_eq!(ips[10], "10.0.0.14");
        assert_eq!(s.allocate(0), None);
        s.release("10.0.0.9");
        assert_eq!(s.allocate(3), Some("10.0.0.9".to_string()));
    }

    #[test]
    fn rejects_bad_cidrs() {
        assert!(parse_cidr("10.0.0.0").is_err());
        assert!(parse_cidr("10.0.0.1/24").is_err());
        assert!(parse_cidr("10.0.0.0/8").is_err());
    }
}

/// The private subnet eksctl carves for the `index`-th AZ out of the VPC CIDR: the VPC is
/// split into eight equal blocks (a /16 gives /19s), public subnets first, then private ones
/// (eksctl's default layout: 192.168.96.0/19, 192.168.128.0/19, 192.168.160.0/19 for three AZs).
pub fn eksctl_private_subnet(vpc_cidr: &str, index: usize, zones: usize) -> Result<String, String> {
    let (base, size) = parse_cidr_any(vpc_cidr).map_err(|e| format!("vpc.cidr: {e}"))?;
    let blocks: u32 = if zones * 2 <= 8 { 8 } else { 16 };
    let block = size / blocks;
    if block < 16 {
        return Err(format!(
            "vpc.cidr: {vpc_cidr} is too small to split into subnets for {zones} AZs"
        ));
    }
    let start = base + block * (zones as u32 + index as u32);
    let prefix = 32 - block.trailing_zeros();
    Ok(format!("{}/{prefix}", format_ip(start)))
}

/// Parses a VPC CIDR (/16 to /24).
fn parse_cidr_any(cidr: &str) -> Result<(u32, u32), String> {
    let (ip, prefix) = cidr
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR {cidr:?}: expected a.b.c.d/n"))?;
    let base = parse_ip(ip)?;
    let prefix: u32 = prefix
        .parse()
        .map_err(|_| format!("invalid CIDR {cidr:?}"))?;
    if !(16..=24).contains(&prefix) {
        return Err(format!(
            "invalid CIDR {cidr:?}: a VPC prefix must be between /16 and /24"
        ));
    }
    let size = 1u32 << (32 - prefix);
    if base % size != 0 {
        return Err(format!(
            "invalid CIDR {cidr:?}: address is not aligned to the prefix"
        ));
    }
    Ok((base, size))
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn eksctl_default_private_subnets() {
        let got: Vec<String> = (0..3)
            .map(|i| eksctl_private_subnet("192.168.0.0/16", i, 3).unwrap())
            .collect();
        assert_eq!(
            got,
            ["192.168.96.0/19", "192.168.128.0/19", "192.168.160.0/19"]
        );
    }
}

/// The ID the lab gives the subnet of `zone` when the file gives none.
pub fn default_subnet_id(cluster: &str, zone: &str) -> String {
    format!(
        "subnet-0{:016x}",
        crate::sim::digest::fnv1a64(format!("{cluster}/{zone}").as_bytes()) >> 4
    )
}

/// The cluster security group's id, derived from the cluster name.
pub fn security_group_id(cluster: &str) -> String {
    format!(
        "sg-0{:016x}",
        crate::sim::digest::fnv1a64(format!("{cluster}/cluster-sg").as_bytes()) >> 4
    )
}
