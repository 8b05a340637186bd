//! The `vpc` section of a `ClusterConfig`: the VPC CIDR, private subnets per AZ and the
//! cluster endpoint's public and private access.

use crate::scenario::decode::{Fields, Obj, Sink, obj, string};
use crate::scenario::yaml::Node;
use crate::sim::eks::vpc::parse_ip;
use crate::sim::spec::{ClusterSpec, SubnetSpec};

pub(super) const VPC: Fields = Fields {
    known: &["cidr", "subnets", "clusterEndpoints", "publicAccessCIDRs"],
    unmodelled: &[
        "id",
        "ipv6Cidr",
        "ipv6Pool",
        "securityGroup",
        "extraCIDRs",
        "extraIPv6CIDRs",
        "sharedNodeSecurityGroup",
        "manageSharedNodeSecurityGroupRules",
        "autoAllocateIPv6",
        "nat",
        "hostnameType",
    ],
    silent: &[],
};

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
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    if base & !mask != 0 {
        return Err(format!(
            "invalid CIDR {text:?}: address is not aligned to the prefix"
        ));
    }
    Ok((base, prefix))
}

pub(super) fn decode_vpc(sink: &mut Sink, vpc: &Obj<'_>, c: &mut ClusterSpec) {
    let mut vpc_block = parse_cidr(&c.vpc_cidr).ok();
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
    if let Some(subnets) = vpc.obj(
        sink,
        "subnets",
        &Fields {
            known: &["private"],
            unmodelled: &["public"],
            silent: &[],
        },
    ) && let Some(private) = subnets.get("private")
    {
        private_subnets(sink, private, &subnets.at("private"), vpc_block, c);
    }
    if let Some(ep) = vpc.obj(
        sink,
        "clusterEndpoints",
        &Fields::known(&["publicAccess", "privateAccess"]),
    ) {
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
}

fn private_subnets(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    vpc: Option<(u32, u32)>,
    c: &mut ClusterSpec,
) {
    let Node::Map { entries, .. } = node else {
        sink.error(
            node.mark(),
            path,
            format!(
                "expected a mapping of subnets by AZ, got {}",
                node.describe()
            ),
        );
        return;
    };
    for (key, value) in entries {
        let p = crate::scenario::decode::join(path, &key.text);
        let Some(s) = obj(
            sink,
            value,
            &p,
            &Fields {
                known: &["cidr", "az"],
                unmodelled: &["id"],
                silent: &[],
            },
        ) else {
            continue;
        };
        let zone = s.str(sink, "az").unwrap_or_else(|| key.text.clone());
        if !c.zones.contains(&zone) {
            sink.error(
                key.mark,
                &p,
                format!("{zone:?} is not one of the cluster's availabilityZones ({}); name the subnet after its AZ or set az", c.zones.join(", ")),
            );
            continue;
        }
        let Some(cidr) = s.str(sink, "cidr") else {
            continue;
        };
        let mark = s.value_mark("cidr");
        match parse_cidr(&cidr) {
            Ok((_, prefix)) if !(16..=28).contains(&prefix) => {
                sink.error(
                    mark,
                    &s.at("cidr"),
                    format!("invalid subnet CIDR {cidr:?}: the prefix must be between /16 and /28"),
                );
            }
            Ok((base, prefix)) => {
                if let Some((vbase, vprefix)) = vpc {
                    let vmask = if vprefix == 0 {
                        0
                    } else {
                        u32::MAX << (32 - vprefix)
                    };
                    if prefix < vprefix || base & vmask != vbase {
                        sink.error(
                            mark,
                            &s.at("cidr"),
                            format!("subnet {cidr} is not inside the VPC CIDR {}", c.vpc_cidr),
                        );
                        continue;
                    }
                }
                if c.subnets.iter().any(|x| x.zone == zone) {
                    sink.error(
                        key.mark,
                        &p,
                        format!("a private subnet for {zone} is already defined"),
                    );
                } else {
                    c.subnets.push(SubnetSpec { zone, cidr });
                }
            }
            Err(e) => sink.error(mark, &s.at("cidr"), e),
        }
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
