//! eksctl `managedNodeGroups[]` and `nodeGroups[]` (self-managed): instance types, sizes,
//! labels, taints and update settings, with eksctl's defaults.

mod instances;
mod sizes;
mod taints;

pub use instances::check_instance_type;
pub use sizes::{
    SizeField, check_size_order, managed_max_size, max_pods_per_node, size, volume_size,
};

use super::schema::{
    ADDON_POLICIES, MANAGED_NODE_GROUP, NODE_GROUP, NODE_GROUP_IAM, UPDATE_CONFIG, open, sub,
};
use super::vpc::{self, SubnetMap};
use crate::scenario::decode::{Obj, Sink, join, string};
use crate::scenario::yaml::Node;
use crate::sim::eks::{NodegroupUpdateConfig, UpdateStrategy};
use crate::sim::spec::{ClusterSpec, NodegroupSpec};

/// The AMI families eksctl accepts (the schema's `amiFamily` enum; eksctl matches them
/// case-insensitively, validation.go `normalizeAMIFamily`).
pub const AMI_FAMILIES: &[&str] = &[
    "AmazonLinux2023",
    "AmazonLinux2",
    "UbuntuPro2604",
    "Ubuntu2604",
    "UbuntuPro2404",
    "Ubuntu2404",
    "UbuntuPro2204",
    "Ubuntu2204",
    "UbuntuPro2004",
    "Ubuntu2004",
    "Bottlerocket",
    "BottlerocketFips",
    "WindowsServer2019CoreContainer",
    "WindowsServer2019FullContainer",
    "WindowsServer2022CoreContainer",
    "WindowsServer2022FullContainer",
    "WindowsServer2025CoreContainer",
    "WindowsServer2025FullContainer",
];

/// EBS volume types.
pub const VOLUME_TYPES: &[&str] = &["gp2", "gp3", "io1", "io2", "sc1", "st1"];

/// eksctl's size defaults: 2/2/2; only desired given → min = max = desired; only min or max
/// given → desired = min (or the default clamped under max). Returns (min, desired, max).
pub fn sizes(desired: Option<i32>, min: Option<i32>, max: Option<i32>) -> (i32, i32, i32) {
    let desired = desired
        .or(min)
        .unwrap_or_else(|| max.map_or(2, |m| m.min(2)));
    let min = min.unwrap_or_else(|| max.map_or(desired, |m| desired.min(m)));
    let max = max.unwrap_or_else(|| desired.max(min));
    (min, desired, max)
}

/// A node group name as eksctl checks it on the command line and for `nodeGroups[]`
/// (`IsInvalidNameArg` in pkg/ctl/create/nodegroup.go and validation.go
/// `validateNodeGroupName`), with eksctl's message. Nodes carry the name as a label value
/// (`alpha.eksctl.io/nodegroup-name`, `eks.amazonaws.com/nodegroup`), which Kubernetes caps at 63
/// characters.
pub fn check_name(name: &str) -> Result<(), String> {
    super::check_eksctl_name(name)?;
    check_label_length(name)
}

fn check_label_length(name: &str) -> Result<(), String> {
    if name.len() > 63 {
        return Err(format!(
            "node group name {name:?} has {} characters: its nodes carry it as a label value, which must be no more than 63 characters",
            name.len()
        ));
    }
    Ok(())
}

/// A `managedNodeGroups[]` name: eksctl checks none from a config file (only that it is set
/// and unique), so EKS's rule applies: at most 63 characters, starting with a letter or digit,
/// then letters, digits, hyphens and underscores (EKS User Guide, create-managed-node-group).
pub fn check_managed_name(name: &str) -> Result<(), String> {
    let ok = name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(format!(
            "EKS refuses the node group name {name:?}: it must start with a letter or digit, followed by letters, digits, hyphens and underscores"
        ));
    }
    check_label_length(name)
}

/// Both node group lists of a `ClusterConfig`, checked for duplicate names across both as
/// eksctl does (validation.go `ValidateClusterConfig`, `nameSet.checkUnique`).
pub(crate) fn decode_all(
    sink: &mut Sink,
    top: &Obj<'_>,
    cluster: &ClusterSpec,
    subnets: &SubnetMap,
) -> Vec<NodegroupSpec> {
    let mut out: Vec<NodegroupSpec> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (field, managed) in [("managedNodeGroups", true), ("nodeGroups", false)] {
        for (p, n) in top.seq(sink, field) {
            let Some(ng) = decode_in(sink, n, &p, managed, cluster, subnets) else {
                continue;
            };
            if !names.insert(ng.name.clone()) {
                let mark = n.get("name").map_or(n.mark(), Node::mark);
                let path = join(&p, "name");
                sink.error(mark, &path, format!("{path} {:?} is not unique", ng.name));
                continue;
            }
            out.push(ng);
        }
    }
    out
}

/// One node group entry; `managed` picks `managedNodeGroups` or `nodeGroups` rules. Its
/// `subnets` resolve against the cluster's own subnets (as in a node group of the timeline).
pub(crate) fn decode(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    managed: bool,
    cluster: &ClusterSpec,
) -> Option<NodegroupSpec> {
    decode_in(
        sink,
        node,
        path,
        managed,
        cluster,
        &SubnetMap::from_cluster(cluster),
    )
}

fn decode_in(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    managed: bool,
    cluster: &ClusterSpec,
    subnets: &SubnetMap,
) -> Option<NodegroupSpec> {
    let table = if managed {
        &MANAGED_NODE_GROUP
    } else {
        &NODE_GROUP
    };
    let before = sink.error_count();
    let o = open(sink, node, path, table)?;
    // validation.go `validateNg`: "%s.name must be set".
    let Some(name) = o.str(sink, "name").filter(|n| !n.is_empty()) else {
        sink.error(
            o.value_mark("name"),
            &o.at("name"),
            format!("{} must be set", o.at("name")),
        );
        return None;
    };
    let named = if managed {
        check_managed_name(&name)
    } else {
        check_name(&name)
    };
    if let Err(e) = named {
        sink.error(o.value_mark("name"), &o.at("name"), e);
    }
    let mut ng = if managed {
        NodegroupSpec::managed(&name)
    } else {
        NodegroupSpec::self_managed(&name)
    };
    instances::instance_types(sink, &o, managed, &mut ng);
    sizes::scaling(sink, &o, &mut ng, managed);
    if let Some(labels) = o.string_map(sink, "labels") {
        ng.labels = labels;
    }
    if let Some(t) = o.get("taints") {
        ng.taints = taints::taints(sink, t, &o.at("taints"), managed);
    }
    if let Some(u) = o.get("updateConfig") {
        if !managed {
            sink.warn(o.key_mark("updateConfig"), &o.at("updateConfig"), "eksctl uses updateConfig only when it updates managed node groups; the lab uses it for the rolling replacements of this self-managed group");
        }
        let (cfg, strategy) = update_config(sink, u, &o.at("updateConfig"), managed);
        if let Some(cfg) = cfg {
            ng.update_config = cfg;
        }
        if let Some(strategy) = strategy {
            ng.update_strategy = strategy;
        }
    }
    let go_struct = if managed {
        "ManagedNodeGroup"
    } else {
        "NodeGroup"
    };
    if let Some(v) = o.go_int(sink, "volumeSize", go_struct) {
        match volume_size(v, v) {
            Ok(gib) => ng.volume_size_gib = gib,
            Err(e) => sink.error(o.value_mark("volumeSize"), &o.at("volumeSize"), e),
        }
    }
    one_of(sink, &o, "volumeType", VOLUME_TYPES, &mut ng.volume_type);
    ami_family(sink, &o, &mut ng.ami_family);
    if let Some(p) = o.bool(sink, "privateNetworking") {
        ng.private_networking = p;
    }
    if let Some(m) = o.go_int(sink, "maxPodsPerNode", go_struct) {
        match max_pods_per_node(m, m, path) {
            Ok(v) => ng.max_pods_per_node = v,
            Err(e) => sink.error(o.value_mark("maxPodsPerNode"), &o.at("maxPodsPerNode"), e),
        }
    }
    for (p, n) in o.seq(sink, "availabilityZones") {
        let Some(z) = string(sink, n, &p) else {
            continue;
        };
        if cluster.zones.contains(&z) {
            ng.zones.push(z);
        } else {
            sink.error(
                n.mark(),
                &p,
                format!(
                    "{z:?} is not one of the cluster's availabilityZones ({})",
                    cluster.zones.join(", ")
                ),
            );
        }
    }
    if o.has("subnets") {
        ng.zones = vpc::nodegroup_zones(sink, &o, subnets, ng.private_networking, &cluster.zones);
    }
    if let Some(v) = o.get("releaseVersion")
        && let Some(version) = super::parse_version(sink, v, &o.at("releaseVersion"))
    {
        if version > cluster.version {
            sink.error(v.mark(), &o.at("releaseVersion"), format!("kubelet {version} would be newer than the control plane {}; nodes may not be newer than the API server", cluster.version));
        } else {
            ng.version = Some(version);
        }
    }
    // eksctl tags a self-managed group's ASG with `k8s.io/cluster-autoscaler/enabled` and
    // `k8s.io/cluster-autoscaler/<cluster>` when the Cluster Autoscaler policy is requested; EKS
    // tags every managed group's ASG itself (the simulation honours that either way).
    if let Some(iam) = sub(sink, &o, "iam", &NODE_GROUP_IAM)
        && let Some(p) = sub(sink, &iam, "withAddonPolicies", &ADDON_POLICIES)
        && let Some(b) = p.bool(sink, "autoScaler")
    {
        ng.autoscaler_tags = b;
    }
    if let Some(s) = o.bool(sink, "spot") {
        if !managed {
            sink.warn(o.key_mark("spot"), &o.at("spot"), "eksctl's self-managed nodeGroups have no spot field (use instancesDistribution with onDemandPercentageAboveBaseCapacity: 0); the lab reads it as that");
        }
        ng.spot = ng.spot || s;
    }
    (sink.error_count() == before).then_some(ng)
}

/// `amiFamily`, matched case-insensitively as eksctl does; the lab's nodes run Amazon Linux
/// 2023 whatever the family, and the warning says so.
fn ami_family(sink: &mut Sink, o: &Obj<'_>, target: &mut String) {
    let Some(v) = o.str(sink, "amiFamily") else {
        return;
    };
    let (mark, path) = (o.value_mark("amiFamily"), o.at("amiFamily"));
    let Some(family) = AMI_FAMILIES.iter().find(|f| f.eq_ignore_ascii_case(&v)) else {
        sink.error(
            mark,
            &path,
            format!(
                "invalid value {v:?}: use one of {}",
                AMI_FAMILIES.join(", ")
            ),
        );
        return;
    };
    if family.starts_with("Windows") {
        sink.warn(mark, &path, "the lab has no Windows nodes: this group's nodes run the EKS-optimized Amazon Linux 2023 AMI (kubernetes.io/os=linux), so pods that select Windows nodes stay Pending");
    } else if *family != "AmazonLinux2023" {
        sink.warn(mark, &path, format!("{family} is not modelled by the lab: this group's nodes run the EKS-optimized Amazon Linux 2023 AMI, with its max pods and kube-reserved"));
    }
    *target = (*family).to_string();
}

fn one_of(sink: &mut Sink, o: &Obj<'_>, key: &str, allowed: &[&str], target: &mut String) {
    let Some(v) = o.str(sink, key) else { return };
    if allowed.contains(&v.as_str()) {
        *target = v;
    } else {
        sink.error(
            o.value_mark(key),
            &o.at(key),
            format!("invalid value {v:?}: use one of {}", allowed.join(", ")),
        );
    }
}

/// `updateConfig`: exactly one of `maxUnavailable` and `maxUnavailablePercentage` (eks-facts
/// §4, §10), and `updateStrategy` (`DEFAULT` or `MINIMAL`, eks-facts §4; managed groups only).
fn update_config(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    managed: bool,
) -> (Option<NodegroupUpdateConfig>, Option<UpdateStrategy>) {
    let Some(u) = open(sink, node, path, &UPDATE_CONFIG) else {
        return (None, None);
    };
    let strategy = u.str(sink, "updateStrategy").and_then(|s| {
        let parsed = UpdateStrategy::parse(&s);
        if parsed.is_none() {
            sink.error(
                u.value_mark("updateStrategy"),
                &u.at("updateStrategy"),
                format!("unknown updateStrategy {s:?}: use DEFAULT or MINIMAL"),
            );
        } else if !managed {
            sink.warn(
                u.key_mark("updateStrategy"),
                &u.at("updateStrategy"),
                "updateStrategy applies to managed node groups (EKS replaces their nodes); a self-managed group's nodes are yours to replace, so it is ignored",
            );
            return None;
        }
        parsed
    });
    (update_limit(sink, &u), strategy)
}

fn update_limit(sink: &mut Sink, u: &Obj<'_>) -> Option<NodegroupUpdateConfig> {
    // `*int` in eksctl's `NodeGroupUpdateConfig`; the EKS API takes 1 to 100 (eks-facts §4).
    let n = u.go_int(sink, "maxUnavailable", "NodeGroupUpdateConfig");
    let p = u.go_int(sink, "maxUnavailablePercentage", "NodeGroupUpdateConfig");
    let range = |sink: &mut Sink, key: &str, v: i64| {
        if (1..=100).contains(&v) {
            true
        } else {
            sink.error(
                u.value_mark(key),
                &u.at(key),
                format!("must be between 1 and 100, got {v}"),
            );
            false
        }
    };
    match (n, p) {
        (Some(_), Some(_)) => {
            sink.error(
                u.key_mark("maxUnavailablePercentage"),
                &u.path,
                "set exactly one of maxUnavailable and maxUnavailablePercentage",
            );
            None
        }
        // In range, so within an i32.
        (Some(v), None) => range(sink, "maxUnavailable", v)
            .then(|| NodegroupUpdateConfig::MaxUnavailable(i32::try_from(v).unwrap_or(1))),
        (None, Some(v)) => range(sink, "maxUnavailablePercentage", v).then(|| {
            NodegroupUpdateConfig::MaxUnavailablePercentage(i32::try_from(v).unwrap_or(1))
        }),
        (None, None) => {
            if !u.has("maxUnavailable") && !u.has("maxUnavailablePercentage") {
                sink.error(
                    u.mark,
                    &u.path,
                    "set exactly one of maxUnavailable and maxUnavailablePercentage",
                );
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::api::{Taint, TaintEffect};

    fn ng(text: &str, managed: bool) -> (Option<NodegroupSpec>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        let out = decode(
            &mut sink,
            &root,
            "managedNodeGroups[0]",
            managed,
            &ClusterSpec::default(),
        );
        (out, sink)
    }

    #[test]
    fn size_defaults_follow_eksctl() {
        assert_eq!(sizes(None, None, None), (2, 2, 2));
        assert_eq!(sizes(Some(5), None, None), (5, 5, 5));
        assert_eq!(sizes(None, Some(1), Some(4)), (1, 1, 4));
        assert_eq!(sizes(Some(3), Some(1), None), (1, 3, 3));
        assert_eq!(sizes(None, None, Some(1)), (1, 1, 1));
        assert_eq!(sizes(Some(5), None, Some(3)), (3, 5, 3));
    }

    #[test]
    fn managed_group_fields() {
        let (g, sink) = ng(
            "name: web\ninstanceTypes: [m5.large, m5.xlarge]\nspot: true\nminSize: 1\nmaxSize: 5\nlabels: {role: web}\ntaints:\n  - {key: dedicated, value: web, effect: NoSchedule}\nupdateConfig: {maxUnavailablePercentage: 33}\nvolumeSize: 50\nreleaseVersion: \"1.33\"\niam: {withAddonPolicies: {autoScaler: true}}\n",
            true,
        );
        let g = g.unwrap();
        assert_eq!(g.instance_types, ["m5.large", "m5.xlarge"]);
        assert!(g.spot);
        assert_eq!((g.min_size, g.desired_capacity, g.max_size), (1, 1, 5));
        assert_eq!(
            g.taints,
            [Taint::new("dedicated", "web", TaintEffect::NoSchedule)]
        );
        assert_eq!(
            g.update_config,
            NodegroupUpdateConfig::MaxUnavailablePercentage(33)
        );
        assert_eq!(g.volume_size_gib, 50);
        assert_eq!(
            g.version,
            Some(crate::sim::catalog::KubernetesVersion::new(33))
        );
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        assert!(g.autoscaler_tags);
    }

    #[test]
    fn the_autoscaler_addon_policy_tags_self_managed_groups() {
        let (g, sink) = ng("name: batch\n", false);
        assert!(sink.diags.is_empty());
        assert!(!g.unwrap().autoscaler_tags);
        let (g, sink) = ng(
            "name: batch\niam:\n  withAddonPolicies: {autoScaler: true, ebs: true}\n  attachPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]\n",
            false,
        );
        assert!(g.unwrap().autoscaler_tags);
        let paths: Vec<&str> = sink.diags.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "managedNodeGroups[0].iam.attachPolicyARNs",
                "managedNodeGroups[0].iam.withAddonPolicies.ebs"
            ]
        );
    }

    #[test]
    fn self_managed_groups_take_legacy_taints_and_instances_distribution() {
        let (g, sink) = ng(
            "name: batch\ninstancesDistribution:\n  instanceTypes: [c5.large, c5.xlarge]\n  onDemandBaseCapacity: 0\n  onDemandPercentageAboveBaseCapacity: 0\ntaints:\n  dedicated: \"batch:NoSchedule\"\n",
            false,
        );
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let g = g.unwrap();
        assert!(g.spot);
        assert_eq!(g.instance_types, ["c5.large", "c5.xlarge"]);
        assert_eq!(
            g.taints,
            [Taint::new("dedicated", "batch", TaintEffect::NoSchedule)]
        );
    }

    #[test]
    fn errors_are_positioned_at_the_field() {
        let (g, sink) = ng(
            "name: web\ninstanceType: m5.larg\nminSize: 3\nmaxSize: 2\n",
            true,
        );
        assert!(g.is_none());
        let got: Vec<(usize, usize, &str)> = sink
            .diags
            .iter()
            .map(|d| (d.line, d.column, d.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (2, 15, "managedNodeGroups[0].instanceType"),
                (3, 10, "managedNodeGroups[0].minSize")
            ]
        );
        assert!(sink.diags[0].message.contains("did you mean \"m5.large\""));
        // eksctl's own words (ValidateManagedNodeGroup), flags and all.
        assert_eq!(
            sink.diags[1].message,
            "cannot use --nodes-min=3 and --nodes-max=2 at the same time"
        );
        let (_, sink) = ng(
            "name: web\ninstanceType: m5.large\ninstanceTypes: [m5.large]\n",
            true,
        );
        assert_eq!(
            sink.diags[0].message,
            "instanceType and instanceTypes cannot both be set"
        );
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (3, 1));
    }

    #[test]
    fn update_config_needs_exactly_one_field() {
        let (_, sink) = ng(
            "name: web\nupdateConfig: {maxUnavailable: 1, maxUnavailablePercentage: 10}\n",
            true,
        );
        assert!(sink.diags[0].message.contains("exactly one"));
        let (_, sink) = ng("name: web\nupdateConfig: {maxUnavailable: 0}\n", true);
        assert!(sink.diags[0].message.contains("between 1 and 100"));
        let (_, sink) = ng("name: web\nupdateConfig: {updateStrategy: MINIMAL}\n", true);
        assert_eq!(
            sink.diags[0].message,
            "set exactly one of maxUnavailable and maxUnavailablePercentage"
        );
    }

    #[test]
    fn update_strategy_is_read_and_checked() {
        let (g, sink) = ng(
            "name: web\nupdateConfig:\n  maxUnavailable: 2\n  updateStrategy: MINIMAL\n",
            true,
        );
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let g = g.unwrap();
        assert_eq!(
            (g.update_config, g.update_strategy),
            (
                NodegroupUpdateConfig::MaxUnavailable(2),
                UpdateStrategy::Minimal
            )
        );
        let (g, sink) = ng(
            "name: web\nupdateConfig:\n  maxUnavailable: 2\n  updateStrategy: minimal\n",
            true,
        );
        assert!(g.is_none());
        let got: Vec<(usize, usize, &str, &str)> = sink
            .diags
            .iter()
            .map(|d| (d.line, d.column, d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                4,
                19,
                "managedNodeGroups[0].updateConfig.updateStrategy",
                "unknown updateStrategy \"minimal\": use DEFAULT or MINIMAL"
            )]
        );
        let (g, sink) = ng(
            "name: batch\nupdateConfig: {maxUnavailable: 1, updateStrategy: MINIMAL}\n",
            false,
        );
        assert_eq!(g.unwrap().update_strategy, UpdateStrategy::Default);
        let paths: Vec<&str> = sink.diags.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "managedNodeGroups[0].updateConfig",
                "managedNodeGroups[0].updateConfig.updateStrategy"
            ]
        );
    }
}
