//! The `vpc` section of a `ClusterConfig`: the VPC (by CIDR, or by the ID of an existing one),
//! its subnets (in `vpc/subnets.rs`), the cluster endpoint's public and private access and the
//! control plane's subnets.

mod references;
mod subnets;

pub(crate) use references::{fargate_subnets, nodegroup_zones};
pub(crate) use subnets::SubnetMap;

use super::schema::{self, CLUSTER_ENDPOINTS, CLUSTER_SUBNETS};
use crate::scenario::decode::{Obj, Sink, string};
use crate::scenario::yaml::Node;
use crate::sim::eks::vpc::parse_ip;
use crate::sim::spec::ClusterSpec;

/// Parses `a.b.c.d/n`; returns (base, prefix).
pub fn parse_cidr(text: &str) -> Result<(u32, u32), String> {
    let (ip, prefix) = text
        .split_once('/')
        .ok_or_else(|| format!("invalid CIDR {text:?}: expected a.b.c.d/n"))?;
    let base = parse_ip(ip).map_err(|_| format!("invalid CIDR {text:?}: bad IPv4 address"))?;
    let prefix: u32 = prefix
        .parse()
        .map_err(|_| format!("invalid CIDR {text:?}: bad prefix length"))?;
    if prefix > 32 {
        return Err(format!(
            "invalid CIDR {text:?}: prefix length must be at most 32"
        ));
    }
    if base & !mask(prefix) != 0 {
        return Err(format!(
            "invalid CIDR {text:?}: address is not aligned to the prefix"
        ));
    }
    Ok((base, prefix))
}

/// The network mask of a prefix length.
fn mask(prefix: u32) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix.min(32))
    }
}

/// Decodes `vpc`; `zones_given` says whether the file set `availabilityZones` (without it,
/// eksctl takes the zones of an existing VPC's subnets). Returns the subnets by the names the
/// file gives them, for node groups' and Fargate profiles' `subnets`.
pub(super) fn decode_vpc(
    sink: &mut Sink,
    vpc: &Obj<'_>,
    c: &mut ClusterSpec,
    zones_given: bool,
) -> SubnetMap {
    let mut vpc_block = parse_cidr(&c.vpc_cidr).ok();
    if let Some(id) = vpc.str(sink, "id") {
        // eksctl imports an existing VPC by ID from EC2 (pkg/vpc/vpc.go `importVPC`).
        let cidr = vpc
            .get("cidr")
            .and_then(Node::as_text)
            .unwrap_or(&c.vpc_cidr);
        sink.warn(
            vpc.key_mark("id"),
            &vpc.at("id"),
            format!("eksctl looks {id} up in EC2; the lab cannot, so it simulates a VPC of its own with the CIDR of vpc.cidr ({cidr}) and an ID of its own"),
        );
    }
    if let Some(cidr) = vpc.str(sink, "cidr") {
        let mark = vpc.value_mark("cidr");
        match parse_cidr(&cidr) {
            Ok((_, prefix)) if !(16..=24).contains(&prefix) => {
                sink.error(
                    mark,
                    &vpc.at("cidr"),
                    format!("invalid VPC CIDR {cidr:?}: the prefix must be between /16 and /24"),
                );
            }
            Ok(block) => {
                c.vpc_cidr = cidr;
                vpc_block = Some(block);
            }
            Err(e) => sink.error(mark, &vpc.at("cidr"), e),
        }
    }
    let map = match schema::sub(sink, vpc, "subnets", &CLUSTER_SUBNETS) {
        Some(s) => subnets::decode(sink, &s, vpc_block, vpc.has("id"), zones_given, c),
        None => SubnetMap::default(),
    };
    if let Some(ep) = schema::sub(sink, vpc, "clusterEndpoints", &CLUSTER_ENDPOINTS) {
        if let Some(p) = ep.bool(sink, "publicAccess") {
            c.endpoint_access.public = p;
        }
        if let Some(p) = ep.bool(sink, "privateAccess") {
            c.endpoint_access.private = p;
        }
        if !c.endpoint_access.public && !c.endpoint_access.private {
            sink.error(
                ep.mark,
                &ep.path,
                "at least one of publicAccess and privateAccess must be true",
            );
        }
    }
    if let Some(node) = vpc.get("publicAccessCIDRs") {
        let path = vpc.at("publicAccessCIDRs");
        let mut cidrs = Vec::new();
        for (p, n) in crate::scenario::decode::seq(sink, node, &path) {
            if let Some(s) = string(sink, n, &p) {
                match parse_cidr(&s) {
                    Ok(_) => cidrs.push(s),
                    Err(e) => sink.error(n.mark(), &p, e),
                }
            }
        }
        if !cidrs.is_empty() {
            c.endpoint_access.public_access_cidrs = cidrs;
        }
    }
    control_plane_subnets(sink, vpc, &map);
    map
}

/// `controlPlaneSubnetIDs` and `controlPlaneOnPrivateSubnets`, with eksctl's checks
/// (pkg/apis/eksctl.io/v1alpha5/validation.go `validateControlPlaneOnPrivateSubnets`).
fn control_plane_subnets(sink: &mut Sink, vpc: &Obj<'_>, map: &SubnetMap) {
    let ids = vpc
        .string_list(sink, "controlPlaneSubnetIDs")
        .unwrap_or_default();
    let on_private = vpc.bool(sink, "controlPlaneOnPrivateSubnets") == Some(true);
    if on_private && !ids.is_empty() {
        sink.error(
            vpc.key_mark("controlPlaneOnPrivateSubnets"),
            &vpc.at("controlPlaneOnPrivateSubnets"),
            "only one of vpc.controlPlaneSubnetIDs and vpc.controlPlaneOnPrivateSubnets can be specified",
        );
    } else if on_private && vpc.has("subnets") {
        let private = map.private_count();
        let zones = map.private_zone_names();
        if private < 2 {
            sink.error(
                vpc.key_mark("controlPlaneOnPrivateSubnets"),
                &vpc.at("controlPlaneOnPrivateSubnets"),
                format!("vpc.controlPlaneOnPrivateSubnets requires at least 2 private subnets, got {private}"),
            );
        } else if zones.len() < 2 {
            sink.error(
                vpc.key_mark("controlPlaneOnPrivateSubnets"),
                &vpc.at("controlPlaneOnPrivateSubnets"),
                format!(
                    "vpc.controlPlaneOnPrivateSubnets requires private subnets in at least 2 availability zones, got {} ([{}])",
                    zones.len(),
                    zones.join(" ")
                ),
            );
        }
    }
    // The lab's subnets are all private, so `controlPlaneOnPrivateSubnets: true` is what it
    // does anyway; the control plane's network interfaces are not placed per subnet.
    if !ids.is_empty() {
        sink.warn(
            vpc.key_mark("controlPlaneSubnetIDs"),
            &vpc.at("controlPlaneSubnetIDs"),
            "not modelled by the lab; ignored: the lab places the control plane's network interfaces in all of the cluster's subnets",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parser_checks_alignment() {
        assert_eq!(parse_cidr("10.0.0.0/8"), Ok((0x0a00_0000, 8)));
        assert!(parse_cidr("10.0.0.1/8").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("0.0.0.0/0").is_ok());
        assert!(parse_cidr("10.0.0/8").is_err());
    }
}
