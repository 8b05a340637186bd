//! The eksctl `ClusterConfig` document (`eksctl.io/v1alpha5`): cluster, VPC, endpoint access,
//! logging, access and add-ons, with eksctl's defaults (eks-facts §10) and the lab's us-east-1.
//! Node groups and Fargate profiles are decoded in `eksctl/nodegroup.rs`.

pub(crate) mod fargate;
pub(crate) mod nodegroup;
pub(crate) mod schema;
mod vpc;

pub use vpc::parse_cidr;

use super::decode::{Obj, Sink, string};
use super::yaml::Node;
use crate::sim::catalog::versions::{VERSIONS, known_versions};
use crate::sim::catalog::{AddonName, KubernetesVersion, version_info};
use crate::sim::eks::{AuthenticationMode, LogType, SupportType};
use crate::sim::spec::{AddonSpec, ClusterSpec, FargateProfileSpec, NodegroupSpec};
use schema::{
    ACCESS_CONFIG, ADDON, CLOUD_WATCH, CLUSTER_CONFIG, CLUSTER_LOGGING, CLUSTER_META, CLUSTER_VPC,
    UPGRADE_POLICY, open, sub,
};

/// What a `ClusterConfig` document describes.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClusterConfig {
    pub cluster: ClusterSpec,
    pub nodegroups: Vec<NodegroupSpec>,
    pub fargate_profiles: Vec<FargateProfileSpec>,
}

/// The apiVersion of eksctl's config file.
pub const API_VERSION: &str = "eksctl.io/v1alpha5";

/// The lab's region: prices and AZ names are us-east-1's.
pub const LAB_REGION: &str = "us-east-1";

/// Decodes a whole `ClusterConfig` document.
pub(crate) fn decode(sink: &mut Sink, root: &Node) -> ClusterConfig {
    let mut out = ClusterConfig::default();
    let Some(top) = open(sink, root, "", &CLUSTER_CONFIG) else {
        return out;
    };
    let c = &mut out.cluster;
    metadata(sink, &top, c);
    zones(sink, &top, c);
    let subnets = match sub(sink, &top, "vpc", &CLUSTER_VPC) {
        Some(vpc) => vpc::decode_vpc(sink, &vpc, c, top.has("availabilityZones")),
        None => vpc::SubnetMap::from_cluster(c),
    };
    addons(sink, &top, c);
    logging(sink, &top, c);
    if let Some(access) = sub(sink, &top, "accessConfig", &ACCESS_CONFIG)
        && let Some(mode) = access.str(sink, "authenticationMode")
    {
        match AuthenticationMode::parse(&mode) {
            Some(m) => c.authentication_mode = m,
            None => sink.error(
                access.value_mark("authenticationMode"),
                &access.at("authenticationMode"),
                format!("invalid authentication mode {mode:?}: use CONFIG_MAP, API_AND_CONFIG_MAP or API"),
            ),
        }
    }
    if let Some(policy) = sub(sink, &top, "upgradePolicy", &UPGRADE_POLICY)
        && let Some(t) = policy.str(sink, "supportType")
    {
        match t.as_str() {
            "STANDARD" => c.support_type = SupportType::Standard,
            "EXTENDED" => c.support_type = SupportType::Extended,
            _ => sink.error(
                policy.value_mark("supportType"),
                &policy.at("supportType"),
                format!("invalid support type {t:?}: use STANDARD or EXTENDED"),
            ),
        }
    }
    let cluster = out.cluster.clone();
    out.nodegroups = nodegroup::decode_all(sink, &top, &cluster, &subnets);
    out.fargate_profiles = fargate::decode_fargate_profiles(sink, &top, &subnets);
    out
}

fn metadata(sink: &mut Sink, top: &Obj<'_>, c: &mut ClusterSpec) {
    let Some(meta) = sub(sink, top, "metadata", &CLUSTER_META) else {
        sink.error(
            top.mark,
            "metadata.name",
            "required field is missing: the cluster needs a name",
        );
        return;
    };
    if let Some(name) = meta.req_str(sink, "name") {
        match check_cluster_name(&name) {
            Ok(()) => c.name = name,
            Err(e) => sink.error(meta.value_mark("name"), &meta.at("name"), e),
        }
    }
    if let Some(region) = meta.str(sink, "region") {
        let mark = meta.value_mark("region");
        if !is_region(&region) {
            sink.error(
                mark,
                &meta.at("region"),
                format!("invalid region {region:?}: expected a name like us-east-1"),
            );
        } else if region != LAB_REGION {
            sink.warn(
                mark,
                &meta.at("region"),
                format!(
                    "region {region:?} is accepted, but the lab's prices are us-east-1's and its AZ names follow the us-east-1 pattern ({region}a, {region}b, ...)"
                ),
            );
            c.zones = ["a", "b", "c"]
                .iter()
                .map(|z| format!("{region}{z}"))
                .collect();
            c.region = region;
        }
    }
    if let Some(node) = meta.get("version")
        && let Some(v) = read_version(sink, node, &meta.at("version"), true)
    {
        c.version = v;
    }
    if let Some(tags) = meta.string_map(sink, "tags") {
        c.tags = tags;
    }
}

/// eksctl's name rule (pkg/apis/eksctl.io/v1alpha5/validation.go `IsInvalidNameArg`: only
/// letters, digits and hyphens), with eksctl's message (`ErrInvalidName`, whose pattern text is
/// stricter than the check: a leading digit passes).
pub(crate) fn check_eksctl_name(name: &str) -> Result<(), String> {
    if name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
    {
        Ok(())
    } else {
        Err(format!(
            "validation for {name} failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*"
        ))
    }
}

/// A cluster name: eksctl's rule (pkg/ctl/create/cluster.go checks `IsInvalidNameArg`), then
/// EKS's (CreateCluster: 1–100 characters starting with a letter or digit; EKS User Guide,
/// create-cluster), which eksctl leaves to the API.
pub(crate) fn check_cluster_name(name: &str) -> Result<(), String> {
    check_eksctl_name(name)?;
    if !name.starts_with(|ch: char| ch.is_ascii_alphanumeric()) {
        return Err(format!(
            "EKS refuses the cluster name {name:?}: it must start with a letter or digit"
        ));
    }
    if name.len() > 100 {
        return Err(format!(
            "EKS refuses the cluster name: it has {} characters, and at most 100 are allowed",
            name.len()
        ));
    }
    Ok(())
}

/// `us-east-1a` for region `us-east-1`: the region and one lowercase letter.
pub(crate) fn is_zone_of(region: &str, zone: &str) -> bool {
    zone.strip_prefix(region)
        .is_some_and(|s| s.len() == 1 && s.chars().all(|ch| ch.is_ascii_lowercase()))
}

/// `us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`.
fn is_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .first()
            .is_some_and(|p| p.len() == 2 && p.chars().all(|ch| ch.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_digit()))
        && parts
            .iter()
            .skip(1)
            .take(parts.len() - 2)
            .all(|p| !p.is_empty() && p.chars().all(|ch| ch.is_ascii_lowercase()))
}

/// A Kubernetes version written as `"1.33"` or `1.33` (the raw text, so `1.30` stays 1.30).
/// `auto`/`default` mean eksctl's default and `latest` the newest the lab knows.
pub(crate) fn parse_version(sink: &mut Sink, node: &Node, path: &str) -> Option<KubernetesVersion> {
    read_version(sink, node, path, false)
}

/// [`parse_version`]; with `retired`, a 1.x version older than the lab's calendar is returned
/// too, for `validate_spec` to refuse with the lab's date (EKS no longer runs it).
fn read_version(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    retired: bool,
) -> Option<KubernetesVersion> {
    let text = match node {
        Node::Scalar(s) if !s.is_null() => s.text.clone(),
        other => {
            sink.error(
                other.mark(),
                path,
                format!(
                    "expected a version such as \"1.33\", got {}",
                    other.describe()
                ),
            );
            return None;
        }
    };
    let v = match text.as_str() {
        "auto" | "default" => crate::sim::catalog::versions::EKSCTL_DEFAULT_VERSION,
        "latest" => VERSIONS
            .last()
            .map_or(crate::sim::catalog::versions::EKSCTL_DEFAULT_VERSION, |r| {
                r.version
            }),
        _ => match KubernetesVersion::parse(&text) {
            Ok(v) => v,
            Err(e) => {
                sink.error(node.mark(), path, e);
                return None;
            }
        },
    };
    if version_info(v).is_none() {
        // `1.3` is what a YAML number `1.30` looks like to tools that read it as a float.
        let hint = KubernetesVersion::parse(&format!("{text}0"))
            .ok()
            .filter(|long| version_info(*long).is_some() && !text.ends_with('0'))
            .map(|long| format!(" (did you mean \"{long}\"? quote the version)"))
            .unwrap_or_default();
        let oldest = VERSIONS.first().map(|r| r.version);
        if retired && hint.is_empty() && v.major == 1 && oldest.is_some_and(|o| v < o) {
            return Some(v);
        }
        sink.error(
            node.mark(),
            path,
            format!(
                "unknown Kubernetes version {text:?}{hint}: EKS versions the lab knows are {}",
                known_versions()
            ),
        );
        return None;
    }
    Some(v)
}

fn zones(sink: &mut Sink, top: &Obj<'_>, c: &mut ClusterSpec) {
    let Some(node) = top.get("availabilityZones") else {
        return;
    };
    let path = top.at("availabilityZones");
    let mut ok = matches!(node, Node::Seq { .. });
    let mut zones: Vec<String> = Vec::new();
    for (p, n) in super::decode::seq(sink, node, &path) {
        let Some(z) = string(sink, n, &p) else {
            ok = false;
            continue;
        };
        if !is_zone_of(&c.region, &z) {
            sink.error(
                n.mark(),
                &p,
                format!("{z:?} is not an Availability Zone of region {}", c.region),
            );
            ok = false;
        } else if zones.contains(&z) {
            sink.error(n.mark(), &p, format!("{z} is listed twice"));
            ok = false;
        } else {
            zones.push(z);
        }
    }
    if ok && zones.len() < 2 {
        sink.error(
            node.mark(),
            &path,
            "EKS needs subnets in at least two Availability Zones: list at least two",
        );
    } else if ok {
        c.zones = zones;
    }
}

fn addons(sink: &mut Sink, top: &Obj<'_>, c: &mut ClusterSpec) {
    for (p, n) in top.seq(sink, "addons") {
        let Some(a) = open(sink, n, &p, &ADDON) else {
            continue;
        };
        // eksctl: `invalid configuration for "" addon: name is required` (addon.go `Validate`).
        let Some(name) = a.str(sink, "name").filter(|n| !n.is_empty()) else {
            sink.error(
                a.value_mark("name"),
                &a.at("name"),
                "invalid configuration for \"\" addon: name is required",
            );
            continue;
        };
        let version = a
            .get("version")
            .and_then(|v| super::decode::scalar_text(sink, v, &a.at("version")));
        let Some(addon) = AddonName::parse(&name) else {
            sink.warn(
                a.value_mark("name"),
                &a.at("name"),
                format!("add-on {name:?} is not modelled by the lab; ignored"),
            );
            continue;
        };
        if c.addons.iter().any(|x| x.name == addon) {
            sink.error(
                a.value_mark("name"),
                &a.at("name"),
                format!("add-on {name:?} is listed twice"),
            );
            continue;
        }
        c.addons.push(AddonSpec {
            name: addon,
            version,
        });
    }
}

fn logging(sink: &mut Sink, top: &Obj<'_>, c: &mut ClusterSpec) {
    let Some(cw) = sub(sink, top, "cloudWatch", &CLOUD_WATCH) else {
        return;
    };
    let Some(cl) = sub(sink, &cw, "clusterLogging", &CLUSTER_LOGGING) else {
        return;
    };
    for (p, n) in cl.seq(sink, "enableTypes") {
        let Some(t) = string(sink, n, &p) else {
            continue;
        };
        if t == "*" || t == "all" {
            for l in LogType::ALL {
                if !c.logging.contains(&l) {
                    c.logging.push(l);
                }
            }
        } else if let Some(l) = LogType::parse(&t) {
            if !c.logging.contains(&l) {
                c.logging.push(l);
            }
        } else {
            sink.error(
                n.mark(),
                &p,
                format!("unknown log type {t:?}: use api, audit, authenticator, controllerManager, scheduler, or \"*\""),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::spec::SubnetSpec;

    fn decode_text(text: &str) -> (ClusterConfig, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        let cfg = decode(&mut sink, &root);
        (cfg, sink)
    }

    const HEAD: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n";

    #[test]
    fn defaults_follow_eksctl_with_the_lab_region() {
        let (cfg, sink) = decode_text(&format!("{HEAD}metadata:\n  name: demo\n"));
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let c = cfg.cluster;
        assert_eq!(c.name, "demo");
        assert_eq!(c.region, "us-east-1");
        assert_eq!(c.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert_eq!(c.vpc_cidr, "192.168.0.0/16");
        assert_eq!(c.support_type, SupportType::Extended);
    }

    #[test]
    fn version_keeps_its_raw_text() {
        let (cfg, _) = decode_text(&format!("{HEAD}metadata:\n  name: demo\n  version: 1.30\n"));
        assert_eq!(cfg.cluster.version, KubernetesVersion::new(30));
        let (_, sink) = decode_text(&format!(
            "{HEAD}metadata:\n  name: demo\n  version: \"1.99\"\n"
        ));
        assert!(
            sink.diags[0]
                .message
                .starts_with("unknown Kubernetes version \"1.99\"")
        );
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (5, 12));
        // Older than the lab's calendar: kept for validate_spec, which knows the lab's date.
        let (cfg, sink) = decode_text(&format!(
            "{HEAD}metadata:\n  name: demo\n  version: \"1.19\"\n"
        ));
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        assert_eq!(cfg.cluster.version, KubernetesVersion::new(19));
        let (_, sink) = decode_text(&format!("{HEAD}metadata:\n  name: demo\n  version: 1.3\n"));
        assert!(
            sink.diags[0].message.contains("did you mean \"1.30\""),
            "{}",
            sink.diags[0].message
        );
    }

    #[test]
    fn other_regions_warn_and_shift_the_zones() {
        let (cfg, sink) = decode_text(&format!(
            "{HEAD}metadata:\n  name: demo\n  region: eu-west-1\n"
        ));
        assert_eq!(cfg.cluster.zones[0], "eu-west-1a");
        assert_eq!(sink.diags.len(), 1);
        assert!(sink.diags[0].message.contains("us-east-1"));
    }

    #[test]
    fn vpc_endpoints_logging_and_access() {
        let text = format!(
            "{HEAD}metadata: {{name: demo}}\nvpc:\n  cidr: 10.42.0.0/16\n  nat: {{gateway: Single}}\n  subnets:\n    private:\n      us-east-1a: {{cidr: 10.42.0.0/19}}\n  clusterEndpoints: {{publicAccess: true, privateAccess: true}}\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\ncloudWatch:\n  clusterLogging:\n    enableTypes: [api, audit]\naccessConfig: {{authenticationMode: API}}\nupgradePolicy: {{supportType: STANDARD}}\naddons:\n  - name: vpc-cni\n    version: latest\n  - name: eks-pod-identity-agent\n"
        );
        let (cfg, sink) = decode_text(&text);
        let c = cfg.cluster;
        assert_eq!(c.vpc_cidr, "10.42.0.0/16");
        assert_eq!(
            c.subnets,
            [SubnetSpec {
                zone: "us-east-1a".into(),
                cidr: "10.42.0.0/19".into(),
                id: None,
            }]
        );
        assert!(c.endpoint_access.private);
        assert_eq!(c.endpoint_access.public_access_cidrs, ["203.0.113.0/24"]);
        assert_eq!(c.logging, [LogType::Api, LogType::Audit]);
        assert_eq!(c.authentication_mode, AuthenticationMode::Api);
        assert_eq!(c.support_type, SupportType::Standard);
        assert_eq!(
            c.addons,
            [AddonSpec {
                name: AddonName::VpcCni,
                version: Some("latest".into())
            }]
        );
        let warnings: Vec<&str> = sink.diags.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(warnings, ["vpc.nat", "addons[1].name"]);
    }

    #[test]
    fn bad_cidrs_and_zones_are_positioned_errors() {
        let text = format!(
            "{HEAD}metadata: {{name: demo}}\navailabilityZones: [us-east-1a, us-west-2b]\nvpc:\n  cidr: 10.0.0.1/16\n"
        );
        let (_, sink) = decode_text(&text);
        let errs: Vec<(usize, usize, &str)> = sink
            .diags
            .iter()
            .map(|d| (d.line, d.column, d.path.as_str()))
            .collect();
        assert_eq!(errs, [(4, 33, "availabilityZones[1]"), (6, 9, "vpc.cidr")]);
    }
}
