//! `vpc.subnets.{private,public}.<name>: {id, az, cidr}` and the subnets node groups and Fargate
//! profiles name.
//!
//! The lab simulates one private subnet per cluster Availability Zone. A private subnet the file
//! describes becomes the lab's subnet of its zone, with the file's CIDR and ID. eksctl looks a
//! subnet given only by ID (or, in an existing VPC, only by CIDR) up in EC2 to learn its zone; the
//! lab cannot, so it places such a subnet in the next cluster zone that has none, in file order,
//! and says so. Public subnets are read for node groups' references but not simulated.

use crate::scenario::decode::{Obj, Sink, join};
use crate::scenario::eksctl::is_zone_of;
use crate::scenario::eksctl::schema::{AZ_SUBNET_SPEC, open};
use crate::scenario::yaml::{Mark, Node};
use crate::sim::spec::{ClusterSpec, SubnetSpec};

/// A subnet of `vpc.subnets` as the lab placed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappedSubnet {
    /// Its key in `vpc.subnets.<topology>`.
    pub name: String,
    pub id: Option<String>,
    /// Its Availability Zone, when the file names it or the lab placed it.
    pub zone: Option<String>,
    pub private: bool,
    /// It is the lab's subnet of its zone (a private subnet the lab did not leave out); its `id`
    /// is then the one the lab shows.
    pub simulated: bool,
    /// The file lists it (the others are the lab's subnets of the remaining zones).
    pub listed: bool,
}

/// The subnets of `vpc.subnets`, for the names and IDs node groups and Fargate profiles give.
#[derive(Debug, Clone, Default)]
pub(crate) struct SubnetMap {
    pub subnets: Vec<MappedSubnet>,
}

impl SubnetMap {
    /// The lab's subnets of a spec (for node groups of the timeline), by zone and ID.
    pub fn from_cluster(c: &ClusterSpec) -> SubnetMap {
        let mut map = SubnetMap::default();
        map.complete(c);
        map
    }

    /// Gives the lab's subnets that the file named without an ID the ID the lab gives them, and
    /// adds the zones' subnets the file does not name, keyed by zone as eksctl keys the subnets
    /// of a VPC it creates. The lab's IDs shown by `aws eks describe-cluster` then resolve too.
    fn complete(&mut self, c: &ClusterSpec) {
        for zone in &c.zones {
            let default = crate::sim::eks::vpc::default_subnet_id(&c.name, zone);
            let id = c
                .subnets
                .iter()
                .find(|s| &s.zone == zone)
                .and_then(|s| s.id.clone())
                .unwrap_or(default);
            match self
                .subnets
                .iter_mut()
                .find(|s| s.simulated && s.zone.as_ref() == Some(zone))
            {
                Some(s) => s.id = Some(id),
                None => self.subnets.push(MappedSubnet {
                    name: zone.clone(),
                    id: Some(id),
                    zone: Some(zone.clone()),
                    private: true,
                    simulated: true,
                    listed: false,
                }),
            }
        }
    }

    /// eksctl's `findInConfiguredVPC` (pkg/vpc/vpc.go): by name, then by ID, in one topology.
    pub(super) fn find(&self, reference: &str, private: bool) -> Option<&MappedSubnet> {
        let topology = || self.subnets.iter().filter(move |s| s.private == private);
        topology()
            .find(|s| s.name == reference)
            .or_else(|| topology().find(|s| s.id.as_deref() == Some(reference)))
    }

    /// The private subnets the file lists.
    pub fn private_count(&self) -> usize {
        self.subnets
            .iter()
            .filter(|s| s.private && s.listed)
            .count()
    }

    /// The distinct zones of the private subnets the file lists, by `az` or by key (eksctl's
    /// `distinctSubnetAZs`), sorted.
    pub fn private_zone_names(&self) -> Vec<String> {
        let mut zones: Vec<String> = self
            .subnets
            .iter()
            .filter(|s| s.private && s.listed)
            .map(|s| s.zone.clone().unwrap_or_else(|| s.name.clone()))
            .collect();
        crate::sim::sort::sort(&mut zones);
        zones.dedup();
        zones
    }
}

/// One entry as written.
struct Entry {
    name: String,
    mark: Mark,
    path: String,
    private: bool,
    id: Option<String>,
    /// `az`, or the key when it is a zone of the region.
    zone: Option<String>,
    cidr: Option<(String, Mark)>,
}

/// Decodes `vpc.subnets` into the cluster's subnets (and, without `availabilityZones`, its zones).
pub(super) fn decode(
    sink: &mut Sink,
    subnets: &Obj<'_>,
    vpc_block: Option<(u32, u32)>,
    existing_vpc: bool,
    zones_given: bool,
    c: &mut ClusterSpec,
) -> SubnetMap {
    let mut entries = Vec::new();
    for (topology, private) in [("private", true), ("public", false)] {
        let Some(node) = subnets.get(topology) else {
            continue;
        };
        read_entries(sink, node, &subnets.at(topology), private, c, &mut entries);
    }
    if !zones_given {
        derive_zones(&entries, c);
    }
    let mut map = SubnetMap::default();
    // Subnets that name their zone claim it first; the others take the zones left, in order.
    let mut placed: Vec<Option<String>> = vec![None; entries.len()];
    for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.zone.is_some()) {
        let zone = e.zone.clone().unwrap_or_default();
        if c.zones.contains(&zone) {
            placed[i] = Some(zone);
        } else {
            sink.error(
                e.mark,
                &e.path,
                format!(
                    "{zone:?} is not one of the cluster's availabilityZones ({})",
                    c.zones.join(", ")
                ),
            );
        }
    }
    for (i, e) in entries.iter().enumerate() {
        if e.zone.is_some() || !e.private {
            continue;
        }
        let what = match (&e.id, &e.cidr) {
            (Some(id), _) => id.clone(),
            (None, Some((cidr, _))) if existing_vpc => format!("the subnet with CIDR {cidr}"),
            _ => {
                sink.error(
                    e.mark,
                    &e.path,
                    format!(
                        "{:?} is not an Availability Zone of region {}: name the subnet after its zone, or set az, or id for an existing subnet",
                        e.name, c.region
                    ),
                );
                continue;
            }
        };
        let taken = |z: &String| {
            entries
                .iter()
                .zip(&placed)
                .any(|(o, p)| o.private && p.as_ref() == Some(z))
        };
        match c.zones.iter().find(|z| !taken(z)).cloned() {
            Some(zone) => {
                sink.warn(e.mark, &e.path, format!("eksctl looks up the Availability Zone of {what} in EC2; the lab cannot, so it places this subnet in {zone}, the next of the cluster's zones without a private subnet"));
                placed[i] = Some(zone);
            }
            None => sink.warn(e.mark, &e.path, format!("eksctl looks up the Availability Zone of {what} in EC2; the lab cannot, and every zone of the cluster already has a private subnet, so it leaves this one out")),
        }
    }
    for (e, zone) in entries.iter().zip(placed) {
        let simulated = e.private
            && zone
                .as_ref()
                .is_some_and(|z| claim(sink, e, z, vpc_block, c, &map));
        map.subnets.push(MappedSubnet {
            name: e.name.clone(),
            id: e.id.clone(),
            zone,
            private: e.private,
            simulated,
            listed: true,
        });
    }
    map.complete(c);
    if subnets.has("public") {
        sink.warn(
            subnets.key_mark("public"),
            &subnets.at("public"),
            "not modelled by the lab; ignored: the lab's nodes and Fargate pods use the private subnet of their Availability Zone",
        );
    }
    map
}

/// Reads the entries of one topology, checking their fields.
fn read_entries(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    private: bool,
    c: &ClusterSpec,
    out: &mut Vec<Entry>,
) {
    let Node::Map { entries, .. } = node else {
        if !node.is_null() {
            sink.error(
                node.mark(),
                path,
                format!(
                    "expected a mapping of subnets by Availability Zone or name, got {}",
                    node.describe()
                ),
            );
        }
        return;
    };
    for (key, value) in entries {
        let p = join(path, &key.text);
        let Some(s) = open(sink, value, &p, &AZ_SUBNET_SPEC) else {
            continue;
        };
        let id = s.str(sink, "id");
        if let Some(id) = &id
            && !is_subnet_id(id)
        {
            sink.error(
                s.value_mark("id"),
                &s.at("id"),
                format!("invalid subnet ID {id:?}: subnet IDs look like subnet-0123456789abcdef0"),
            );
            continue;
        }
        if let Some(id) = &id
            && out.iter().any(|e| e.id.as_ref() == Some(id))
        {
            sink.error(
                s.value_mark("id"),
                &s.at("id"),
                format!("subnet {id} is listed twice in vpc.subnets"),
            );
            continue;
        }
        let az = s.str(sink, "az");
        if let Some(z) = &az
            && !is_zone_of(&c.region, z)
        {
            sink.error(
                s.value_mark("az"),
                &s.at("az"),
                format!("{z:?} is not an Availability Zone of region {}", c.region),
            );
            continue;
        }
        let zone = az.or_else(|| is_zone_of(&c.region, &key.text).then(|| key.text.clone()));
        let cidr = s.str(sink, "cidr").map(|t| (t, s.value_mark("cidr")));
        out.push(Entry {
            name: key.text.clone(),
            mark: key.mark,
            path: p,
            private,
            id,
            zone,
            cidr,
        });
    }
}

/// Without `availabilityZones`, eksctl uses the zones of the subnets it is given; subnets known
/// only by ID or CIDR take the region's first zones (a, b, c) the others leave free.
fn derive_zones(entries: &[Entry], c: &mut ClusterSpec) {
    let mut named: Vec<String> = Vec::new();
    for z in entries.iter().filter_map(|e| e.zone.clone()) {
        if !named.contains(&z) {
            named.push(z);
        }
    }
    if named.is_empty() {
        return;
    }
    let unnamed = entries
        .iter()
        .filter(|e| e.private && e.zone.is_none())
        .count();
    let wanted = (named.len() + unnamed).max(2);
    let defaults = ["a", "b", "c"].map(|s| format!("{}{s}", c.region));
    for d in defaults {
        if named.len() >= wanted {
            break;
        }
        if !named.contains(&d) {
            named.push(d);
        }
    }
    c.zones = named;
}

/// Makes `e` the lab's private subnet of `zone`; false when the zone already has one or the
/// CIDR is wrong.
fn claim(
    sink: &mut Sink,
    e: &Entry,
    zone: &str,
    vpc: Option<(u32, u32)>,
    c: &mut ClusterSpec,
    map: &SubnetMap,
) -> bool {
    if let Some(other) = map
        .subnets
        .iter()
        .find(|o| o.simulated && o.zone.as_deref() == Some(zone))
    {
        let first = match &other.id {
            Some(id) => format!("{id} (vpc.subnets.private.{})", other.name),
            None => format!("vpc.subnets.private.{}", other.name),
        };
        sink.warn(e.mark, &e.path, format!("the lab simulates one private subnet per Availability Zone, and {zone} already has {first}: it leaves this one out"));
        return false;
    }
    let cidr = match &e.cidr {
        Some((cidr, mark)) => {
            let cpath = join(&e.path, "cidr");
            match super::parse_cidr(cidr) {
                Ok((_, prefix)) if !(16..=28).contains(&prefix) => {
                    sink.error(
                        *mark,
                        &cpath,
                        format!(
                            "invalid subnet CIDR {cidr:?}: the prefix must be between /16 and /28"
                        ),
                    );
                    return false;
                }
                Ok((base, prefix)) => {
                    if let Some((vbase, vprefix)) = vpc
                        && (prefix < vprefix || base & super::mask(vprefix) != vbase)
                    {
                        sink.error(
                            *mark,
                            &cpath,
                            format!("subnet {cidr} is not inside the VPC CIDR {}", c.vpc_cidr),
                        );
                        return false;
                    }
                    cidr.clone()
                }
                Err(err) => {
                    sink.error(*mark, &cpath, err);
                    return false;
                }
            }
        }
        // A subnet given only by ID gets the CIDR the lab would carve for its zone.
        None if e.id.is_some() => {
            let index = c.zones.iter().position(|z| z == zone).unwrap_or(0);
            match crate::sim::eks::vpc::eksctl_private_subnet(&c.vpc_cidr, index, c.zones.len()) {
                Ok(cidr) => cidr,
                Err(err) => {
                    sink.error(e.mark, &e.path, err);
                    return false;
                }
            }
        }
        // Nothing to override: the lab's default subnet of the zone.
        None => return true,
    };
    c.subnets.push(SubnetSpec {
        zone: zone.to_string(),
        cidr,
        id: e.id.clone(),
    });
    true
}

/// `subnet-` and hex digits (EC2 IDs are 8 or 17 of them; examples use shorter ones).
pub(crate) fn is_subnet_id(text: &str) -> bool {
    text.strip_prefix("subnet-")
        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::eksctl::decode as decode_config;

    fn config(vpc: &str) -> (ClusterSpec, Sink) {
        let text = format!(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: lab}}\nvpc:\n{vpc}"
        );
        let (root, mut sink) = crate::scenario::decode::first_document(&text);
        (decode_config(&mut sink, &root).cluster, sink)
    }

    #[test]
    fn subnet_ids_are_subnet_and_alphanumerics() {
        for (id, ok) in [
            ("subnet-0b2512f8c6ae9bf30", true),
            ("subnet-1234", true),
            ("subnet-", false),
            ("sn-1234", false),
            ("subnet-12 34", false),
        ] {
            assert_eq!(is_subnet_id(id), ok, "{id}");
        }
    }

    #[test]
    fn one_named_zone_is_completed_from_the_regions_first_zones() {
        // us-east-1d is named; two subnets known only by ID need two more zones.
        let (c, sink) = config(
            "  subnets:\n    private:\n      us-east-1d: {id: subnet-0d}\n      x: {id: subnet-0x}\n      y: {id: subnet-0y}\n",
        );
        assert_eq!(c.zones, ["us-east-1d", "us-east-1a", "us-east-1b"]);
        let placed: Vec<(&str, Option<&str>)> = c
            .subnets
            .iter()
            .map(|s| (s.zone.as_str(), s.id.as_deref()))
            .collect();
        assert_eq!(
            placed,
            [
                ("us-east-1d", Some("subnet-0d")),
                ("us-east-1a", Some("subnet-0x")),
                ("us-east-1b", Some("subnet-0y")),
            ]
        );
        assert_eq!(sink.diags.len(), 2, "{:?}", sink.diags);
    }

    #[test]
    fn a_second_subnet_in_a_zone_is_left_out_with_a_warning() {
        let (c, sink) = config(
            "  subnets:\n    private:\n      us-east-1a: {id: subnet-01}\n      other: {id: subnet-02, az: us-east-1a}\n",
        );
        assert_eq!(c.subnets.len(), 1);
        assert_eq!(
            sink.diags[0].message,
            "the lab simulates one private subnet per Availability Zone, and us-east-1a already has subnet-01 (vpc.subnets.private.us-east-1a): it leaves this one out"
        );
    }
}
