//! Writes a `LabSpec` as a scenario file: the eksctl `ClusterConfig`, one document per
//! manifest, and the `Lab` document with settings and timeline. `load(&to_yaml(spec))` gives
//! back the same spec.

mod autoscaling;
mod hpa;
mod objects;
mod vpa;
mod writer;

pub use writer::{needs_quotes, scalar};

use objects::{fargate_profile, manifest, nodegroup};
use writer::{MapBuilder, Y, render};

use super::lab::{self, DELAY_NAMES, structured_text};
use crate::cli::{CommandContext, format_command, parse_command};
use crate::sim::clock::SimDuration;
use crate::sim::command::Command;
use crate::sim::eks::{AuthenticationMode, EndpointAccess, NodegroupKind, SupportType};
use crate::sim::spec::{AddonManagement, ClusterSpec, Delays, LabSpec, TimelineEntry};

/// The scenario file for `spec`.
pub fn to_yaml(spec: &LabSpec) -> String {
    let mut docs = vec![cluster_config(spec)];
    docs.extend(spec.manifests.iter().map(manifest));
    docs.push(lab_document(spec));
    let body: Vec<String> = docs.iter().map(render).collect();
    format!(
        "# EKS Lab scenario for cluster \"{}\".\n{}",
        spec.cluster.name.replace('\n', " "),
        body.join("---\n")
    )
}

fn cluster_config(spec: &LabSpec) -> Y {
    let c = &spec.cluster;
    let metadata = MapBuilder::new()
        .put("name", Y::str(&c.name))
        .put("region", Y::str(&c.region))
        .put("version", Y::str(c.version.to_string()))
        .put_nonempty("tags", Y::string_map(&c.tags))
        .build();
    let managed: Vec<Y> = spec
        .nodegroups
        .iter()
        .filter(|n| n.kind == NodegroupKind::Managed)
        .map(|n| nodegroup(n, false))
        .collect();
    let unmanaged: Vec<Y> = spec
        .nodegroups
        .iter()
        .filter(|n| n.kind == NodegroupKind::SelfManaged)
        .map(|n| nodegroup(n, false))
        .collect();
    let addons = c
        .addons
        .iter()
        .map(|a| {
            MapBuilder::new()
                .put("name", Y::str(a.name.as_str()))
                .put_if(a.version.is_some(), "version", || {
                    Y::str(a.version.clone().unwrap_or_default())
                })
                .build()
        })
        .collect();
    let logging = if c.logging.is_empty() {
        Y::Map(Vec::new())
    } else {
        let types = Y::strs(c.logging.iter().map(|l| l.as_str()));
        MapBuilder::new()
            .put(
                "clusterLogging",
                MapBuilder::new().put("enableTypes", types).build(),
            )
            .build()
    };
    MapBuilder::new()
        .put("apiVersion", Y::str(super::eksctl::API_VERSION))
        .put("kind", Y::str("ClusterConfig"))
        .put("metadata", metadata)
        .put("availabilityZones", Y::strs(&c.zones))
        .put("vpc", vpc(c))
        .put_if(
            c.authentication_mode != AuthenticationMode::ApiAndConfigMap,
            "accessConfig",
            || {
                MapBuilder::new()
                    .put("authenticationMode", Y::str(c.authentication_mode.as_str()))
                    .build()
            },
        )
        .put_if(
            c.support_type != SupportType::Extended,
            "upgradePolicy",
            || {
                MapBuilder::new()
                    .put("supportType", Y::str(c.support_type.as_str()))
                    .build()
            },
        )
        .put_nonempty("cloudWatch", logging)
        .put_nonempty("addons", Y::Seq(addons))
        .put_nonempty("managedNodeGroups", Y::Seq(managed))
        .put_nonempty("nodeGroups", Y::Seq(unmanaged))
        .put_nonempty(
            "fargateProfiles",
            Y::Seq(spec.fargate_profiles.iter().map(fargate_profile).collect()),
        )
        .build()
}

fn vpc(c: &ClusterSpec) -> Y {
    let default = EndpointAccess::default();
    let ep = &c.endpoint_access;
    let subnets = if c.subnets.is_empty() {
        Y::Map(Vec::new())
    } else {
        let private = Y::Map(
            c.subnets
                .iter()
                .map(|s| {
                    let mut entry = MapBuilder::new();
                    if let Some(id) = &s.id {
                        entry = entry.put("id", Y::str(id));
                    }
                    (s.zone.clone(), entry.put("cidr", Y::str(&s.cidr)).build())
                })
                .collect(),
        );
        MapBuilder::new().put("private", private).build()
    };
    MapBuilder::new()
        .put("cidr", Y::str(&c.vpc_cidr))
        .put_nonempty("subnets", subnets)
        .put_if(
            ep.public != default.public || ep.private != default.private,
            "clusterEndpoints",
            || {
                MapBuilder::new()
                    .put("publicAccess", Y::bool(ep.public))
                    .put("privateAccess", Y::bool(ep.private))
                    .build()
            },
        )
        .put_if(
            ep.public_access_cidrs != default.public_access_cidrs,
            "publicAccessCIDRs",
            || Y::strs(&ep.public_access_cidrs),
        )
        .build()
}

fn delays(d: &Delays) -> Y {
    let mut current = *d;
    let mut defaults = Delays::default();
    let entries = DELAY_NAMES
        .iter()
        .zip(
            lab::delays_mut(&mut current)
                .into_iter()
                .zip(lab::delays_mut(&mut defaults)),
        )
        .filter(|(_, (cur, def))| **cur != **def)
        .map(|(name, (cur, _))| {
            let v = MapBuilder::new()
                .put("base", Y::str(SimDuration::text(cur.base)))
                .put("jitter", Y::str(SimDuration::text(cur.jitter)))
                .build();
            ((*name).to_string(), v)
        })
        .collect();
    Y::Map(entries)
}

fn lab_document(spec: &LabSpec) -> Y {
    let s = &spec.settings;
    let versions = Y::Map(
        spec.nodegroups
            .iter()
            .filter_map(|n| n.version.map(|v| (n.name.clone(), Y::str(v.to_string()))))
            .collect(),
    );
    let ctx = CommandContext::new(spec.cluster.name.clone());
    let timeline: Vec<Y> = spec
        .timeline
        .iter()
        .filter_map(|e| timeline_entry(e, &ctx))
        .collect();
    let body = MapBuilder::new()
        .put("seed", Y::num(spec.seed))
        .put("startDate", Y::str(spec.start_date.to_string()))
        .put_if(spec.duration.is_some(), "duration", || {
            Y::str(SimDuration::text(spec.duration.unwrap_or_default()))
        })
        .put("spotDiscountPercent", Y::num(s.spot_discount_percent))
        .put_if(s.skip_cluster_creation, "skipClusterCreation", || {
            Y::bool(true)
        })
        .put_if(
            spec.cluster.addon_management == AddonManagement::SelfManaged,
            "addonManagement",
            || Y::str("SelfManaged"),
        )
        .put_nonempty("nodegroupVersions", versions)
        .put_nonempty("delays", delays(&s.delays))
        .put_nonempty(
            "traffic",
            Y::Seq(spec.traffic.iter().map(autoscaling::traffic).collect()),
        )
        .put_if(s.cluster_autoscaler.is_some(), "clusterAutoscaler", || {
            autoscaling::cluster_autoscaler(s.cluster_autoscaler.as_ref())
        })
        .put_if(s.vertical_pod_autoscaler, "verticalPodAutoscaler", || {
            Y::bool(true)
        })
        .put_nonempty("spot", autoscaling::spot(&s.spot))
        .put_nonempty("timeline", Y::Seq(timeline))
        .build();
    MapBuilder::new()
        .put("apiVersion", Y::str(lab::API_VERSION))
        .put("kind", Y::str(lab::KIND))
        .put(
            "metadata",
            MapBuilder::new()
                .put("name", Y::str(&spec.cluster.name))
                .build(),
        )
        .put("spec", body)
        .build()
}

/// One timeline entry: the line as written when it still parses to the same command, the
/// structured form when the entry came from one, else a generated line or structured form.
fn timeline_entry(e: &TimelineEntry, ctx: &CommandContext) -> Option<Y> {
    let at = ("at".to_string(), Y::str(SimDuration::text(e.at)));
    let run = |line: &str| Y::Map(vec![at.clone(), ("run".to_string(), Y::str(line))]);
    if parse_command(&e.text, ctx).as_ref() == Ok(&e.command) {
        return Some(run(&e.text));
    }
    let structured = || -> Option<Y> {
        let (key, value) = match &e.command {
            // A `kubectl create` whose line no longer reads back is kept as its object.
            Command::Apply(m) | Command::Create(m) => ("apply", manifest(m)),
            Command::CreateNodegroup(ng) if ng.kind == NodegroupKind::Managed => {
                ("managedNodeGroup", nodegroup(ng, true))
            }
            Command::CreateNodegroup(ng) => ("nodeGroup", nodegroup(ng, false)),
            Command::CreateFargateProfile(fp) => ("fargateProfile", fargate_profile(fp)),
            Command::SetTraffic(t) => ("traffic", autoscaling::traffic(t)),
            _ => return None,
        };
        Some(Y::Map(vec![at.clone(), (key.to_string(), value)]))
    };
    if structured_text(&e.command).as_deref() == Some(e.text.as_str())
        && let Some(y) = structured()
    {
        return Some(y);
    }
    if let Some(line) = format_command(&e.command, ctx) {
        return Some(run(&line));
    }
    structured()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;
    use crate::sim::api::{Taint, TaintEffect};
    use crate::sim::eks::NodegroupUpdateConfig;
    use crate::sim::spec::NodegroupSpec;

    #[test]
    fn durations_read_back() {
        for d in [
            SimDuration::ZERO,
            SimDuration::from_secs(45),
            SimDuration::from_mins(90),
            SimDuration::from_hours(30),
            SimDuration(61_500),
        ] {
            assert_eq!(
                SimDuration::parse(&SimDuration::text(d)),
                Ok(d),
                "{}",
                SimDuration::text(d)
            );
        }
        assert_eq!(SimDuration::text(SimDuration::from_mins(90)), "1h30m");
    }

    #[test]
    fn a_default_spec_round_trips() {
        let spec = LabSpec::default();
        let text = to_yaml(&spec);
        assert_eq!(load(&text).map(|l| l.spec), Ok(spec), "{text}");
    }

    #[test]
    fn update_strategies_round_trip() {
        use crate::sim::eks::UpdateStrategy;
        let mut spec = LabSpec::default();
        let mut minimal = NodegroupSpec::managed("gpu");
        minimal.update_strategy = UpdateStrategy::Minimal;
        let mut both = NodegroupSpec::managed("web");
        both.update_strategy = UpdateStrategy::Minimal;
        both.update_config = NodegroupUpdateConfig::MaxUnavailablePercentage(25);
        spec.nodegroups = vec![minimal, both];
        let text = to_yaml(&spec);
        assert!(
            text.contains(
                "    updateConfig:\n      maxUnavailable: 1\n      updateStrategy: MINIMAL\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "    updateConfig:\n      maxUnavailablePercentage: 25\n      updateStrategy: MINIMAL\n"
            ),
            "{text}"
        );
        assert_eq!(load(&text).map(|l| l.spec), Ok(spec), "{text}");
        // A timeline node group with a strategy has no eksctl line: it is written out whole.
        let mut spec = LabSpec::default();
        let mut ng = NodegroupSpec::managed("later");
        ng.update_strategy = UpdateStrategy::Minimal;
        spec.timeline.push(TimelineEntry {
            at: SimDuration::from_mins(5),
            command: Command::CreateNodegroup(ng),
            text: String::new(),
        });
        let text = to_yaml(&spec);
        assert!(text.contains("managedNodeGroup:"), "{text}");
        let back = load(&text).unwrap().spec;
        assert_eq!(back.timeline[0].command, spec.timeline[0].command);
    }

    #[test]
    fn timeline_commands_without_a_line_use_the_structured_form() {
        let mut spec = LabSpec::default();
        let mut ng = NodegroupSpec::managed("tainted");
        ng.taints
            .push(Taint::new("dedicated", "gpu", TaintEffect::NoSchedule));
        ng.update_config = NodegroupUpdateConfig::MaxUnavailablePercentage(50);
        spec.timeline.push(TimelineEntry {
            at: SimDuration::from_mins(30),
            command: Command::CreateNodegroup(ng),
            text: String::new(),
        });
        let text = to_yaml(&spec);
        assert!(text.contains("managedNodeGroup:"), "{text}");
        let back = load(&text).unwrap().spec;
        assert_eq!(back.timeline[0].command, spec.timeline[0].command);
        assert_eq!(
            back.timeline[0].text,
            "eksctl create nodegroup -f - (managedNodeGroups/tainted)"
        );
    }
}
