//! The subnets node groups and Fargate profiles name: names of `vpc.subnets` or subnet IDs,
//! resolved against the subnets `subnets.rs` placed.

use super::subnets::{SubnetMap, is_subnet_id};
use crate::scenario::decode::{Obj, Sink};

/// A node group's `subnets` (names in `vpc.subnets` or subnet IDs), as eksctl's
/// `selectNodeGroupSubnetsFromIDs` reads them, turned into the zones of the group.
pub(crate) fn nodegroup_zones(
    sink: &mut Sink,
    o: &Obj<'_>,
    map: &SubnetMap,
    private_networking: bool,
    cluster_zones: &[String],
) -> Vec<String> {
    let mut zones: Vec<String> = Vec::new();
    if o.has("subnets") && o.has("availabilityZones") {
        // validation.go `validateNodeGroupBase`.
        let p = o.path.clone();
        sink.error(
            o.key_mark("subnets"),
            &o.at("subnets"),
            format!("only one of {p}.subnets or {p}.availabilityZones should be set"),
        );
        return zones;
    }
    for (p, n) in o.seq(sink, "subnets") {
        let Some(reference) = crate::scenario::decode::string(sink, n, &p) else {
            continue;
        };
        let first = map.find(&reference, private_networking);
        let found = first.or_else(|| map.find(&reference, !private_networking));
        // What eksctl would look up: the subnet's ID, with its name when the file gives one.
        let what = match found.and_then(|s| s.id.as_ref().map(|id| (id, &s.name))) {
            Some((id, name)) if *name == reference => format!("{id} ({reference})"),
            _ => reference.clone(),
        };
        let zone = match found {
            Some(s) if s.private && !private_networking => {
                sink.error(n.mark(), &p, format!("subnet {reference} is specified as private in ClusterConfig, thus must only be used when `privateNetworking` is enabled"));
                continue;
            }
            Some(s) => {
                if first.is_none() {
                    sink.warn(n.mark(), &p, format!("public subnet {reference} is being used with `privateNetworking` enabled, please ensure this is the desired behaviour"));
                }
                s.zone.clone()
            }
            None if is_subnet_id(&reference) => None,
            None => {
                sink.error(
                    n.mark(),
                    &p,
                    format!("{reference:?} is neither a subnet of vpc.subnets nor a subnet ID (eksctl: subnet with ID {reference:?} not found)"),
                );
                continue;
            }
        };
        match zone {
            Some(z) if cluster_zones.contains(&z) => {
                if !zones.contains(&z) {
                    zones.push(z);
                }
            }
            Some(z) => sink.warn(n.mark(), &p, format!("{z} is not one of the cluster's availabilityZones, so the lab leaves this subnet out")),
            None => sink.warn(n.mark(), &p, format!("eksctl looks up the Availability Zone of {what} in EC2; the lab cannot, so this entry does not restrict the group's zones")),
        }
    }
    zones
}

/// A Fargate profile's `subnets`: IDs of the cluster's private subnets, which eksctl passes to
/// EKS as they are (pkg/fargate/create.go). Returns the IDs the lab's subnets carry.
pub(crate) fn fargate_subnets(sink: &mut Sink, o: &Obj<'_>, map: &SubnetMap) -> Vec<String> {
    let mut out = Vec::new();
    for (p, n) in o.seq(sink, "subnets") {
        let Some(id) = crate::scenario::decode::string(sink, n, &p) else {
            continue;
        };
        let by_id = map
            .subnets
            .iter()
            .find(|s| s.id.as_deref() == Some(id.as_str()));
        match by_id {
            Some(s) if !s.private => sink.error(n.mark(), &p, format!("Fargate runs pods only in private subnets; {id} is vpc.subnets.public.{}", s.name)),
            Some(s) if s.simulated => out.push(id),
            Some(_) | None if is_subnet_id(&id) => sink.warn(n.mark(), &p, format!("EKS looks {id} up in EC2; the lab cannot, so the profile leaves it out (a profile left with no subnet uses all of the cluster's private subnets)")),
            _ => {
                let hint = map
                    .subnets
                    .iter()
                    .find(|s| s.name == id)
                    .map(|s| match &s.id {
                        Some(sid) => format!(" (vpc.subnets names it {id}: use its id, {sid})"),
                        None => format!(" (vpc.subnets names it {id}, but gives it no id)"),
                    })
                    .unwrap_or_default();
                sink.error(n.mark(), &p, format!("{id:?} is not a subnet ID: eksctl passes Fargate profile subnets to EKS as they are, and EKS takes only subnet IDs{hint}"));
            }
        }
    }
    out
}
