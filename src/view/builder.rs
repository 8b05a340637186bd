//! The cluster builder's model: a draft of the cluster and its data planes as form fields,
//! the choices the forms offer (versions with support status and price, instance types with
//! size, price and max pods), the help behind every field (with the eksctl field it maps to),
//! and who runs what for each data plane. `Draft::to_spec` checks the fields and names the
//! one that is wrong.

pub mod numbers;

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::validation;
use crate::sim::catalog::instance_types::{INSTANCE_TYPES, MaxPodsPolicy};
use crate::sim::catalog::prices;
use crate::sim::catalog::versions::VERSIONS;
use crate::sim::catalog::{AddonName, KubernetesVersion, SupportStatus};
use crate::sim::clock::Date;
use crate::sim::clock::SimDuration;
use crate::sim::eks::{
    EndpointAccess, FargateProfileSelector, LogType, NodegroupKind, NodegroupUpdateConfig,
    SupportType, UpdateStrategy,
};
use crate::sim::sort::CollectSorted;
use crate::sim::spec::{
    AddonManagement, ClusterAutoscalerSettings, Expander, FargateProfileSpec, LabSpec,
    NodegroupSpec,
};

/// Every AZ of us-east-1 the builder offers (use1-az3 aside, which EKS does not allow for
/// cluster subnets, eks-facts §3; the lab names AZs by letter).
pub const ZONES: [&str; 6] = [
    "us-east-1a",
    "us-east-1b",
    "us-east-1c",
    "us-east-1d",
    "us-east-1e",
    "us-east-1f",
];

/// Endpoint access modes (eks-facts §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointMode {
    Public,
    PublicAndPrivate,
    Private,
}

impl EndpointMode {
    pub const ALL: [EndpointMode; 3] = [
        EndpointMode::Public,
        EndpointMode::PublicAndPrivate,
        EndpointMode::Private,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            EndpointMode::Public => "Public (default)",
            EndpointMode::PublicAndPrivate => "Public and private",
            EndpointMode::Private => "Private only",
        }
    }

    pub const fn id(self) -> &'static str {
        match self {
            EndpointMode::Public => "public",
            EndpointMode::PublicAndPrivate => "public-private",
            EndpointMode::Private => "private",
        }
    }

    pub fn from_id(id: &str) -> EndpointMode {
        EndpointMode::ALL
            .into_iter()
            .find(|m| m.id() == id)
            .unwrap_or(EndpointMode::Public)
    }

    fn from_access(a: &EndpointAccess) -> EndpointMode {
        match (a.public, a.private) {
            (true, true) => EndpointMode::PublicAndPrivate,
            (false, _) => EndpointMode::Private,
            _ => EndpointMode::Public,
        }
    }

    fn to_access(self) -> EndpointAccess {
        let (public, private) = match self {
            EndpointMode::Public => (true, false),
            EndpointMode::PublicAndPrivate => (true, true),
            EndpointMode::Private => (false, true),
        };
        EndpointAccess {
            public,
            private,
            ..EndpointAccess::default()
        }
    }
}

/// Which data plane a draft entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaneKind {
    Managed,
    SelfManaged,
    Fargate,
}

impl PlaneKind {
    pub const fn label(self) -> &'static str {
        match self {
            PlaneKind::Managed => "Managed node group",
            PlaneKind::SelfManaged => "Self-managed node group",
            PlaneKind::Fargate => "Fargate profile",
        }
    }
}

/// One data plane as form fields (strings, as typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaneDraft {
    pub kind: PlaneKind,
    pub name: String,
    pub instance_type: String,
    pub min: String,
    pub desired: String,
    pub max: String,
    pub spot: bool,
    /// `role=web, tier=frontend`.
    pub labels: String,
    /// Fargate: one selector per line, `namespace` or `namespace: key=value, key=value`.
    pub selectors: String,
    /// Node group Kubernetes version (kubelet); empty: the cluster's.
    pub version: String,
    /// Managed: `updateConfig.maxUnavailable` (`1`) or `maxUnavailablePercentage` (`33%`).
    pub max_unavailable: String,
    /// Managed: `updateConfig.updateStrategy`, `DEFAULT` or `MINIMAL`.
    pub strategy: String,
}

impl PlaneDraft {
    pub fn new(kind: PlaneKind, name: &str) -> PlaneDraft {
        PlaneDraft {
            kind,
            name: name.to_string(),
            instance_type: "m5.large".into(),
            min: "1".into(),
            desired: "2".into(),
            max: "4".into(),
            spot: false,
            labels: String::new(),
            selectors: if kind == PlaneKind::Fargate {
                "batch".into()
            } else {
                String::new()
            },
            version: String::new(),
            max_unavailable: "1".into(),
            strategy: "DEFAULT".into(),
        }
    }
}

/// The builder's form. Each bool is one checkbox on the form.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one field per checkbox of the form"
)]
pub struct Draft {
    pub name: String,
    pub version: String,
    pub zones: BTreeSet<String>,
    pub endpoint: EndpointMode,
    pub logging: BTreeSet<LogType>,
    pub seed: String,
    pub skip_creation: bool,
    /// Keep the base lab's manifests and timeline when building (off: an empty cluster).
    pub keep_workloads: bool,
    /// The metrics-server add-on (the HPA, the VPA and `kubectl top` need it).
    pub metrics_server: bool,
    /// Install the Cluster Autoscaler (keeps its flags when the base lab had them).
    pub cluster_autoscaler: bool,
    /// `--expander`, as its flag value (`least-waste`, ...).
    pub ca_expander: String,
    /// `--scale-down-unneeded-time` in minutes, as typed.
    pub ca_unneeded_minutes: String,
    pub vertical_pod_autoscaler: bool,
    /// Self-managed node groups run the AWS Node Termination Handler.
    pub node_termination_handler: bool,
    /// Spot interruptions per 1,000 instance-hours, as typed.
    pub spot_interruptions: String,
    /// The lab's calendar start (`YYYY-MM-DD`): it decides support status and price.
    pub start_date: String,
    /// `upgradePolicy.supportType`: `EXTENDED` or `STANDARD`.
    pub upgrade_policy: String,
    /// Created with `eksctl create cluster` flags and no config file: self-managed add-ons.
    pub self_managed_addons: bool,
    pub planes: Vec<PlaneDraft>,
}

/// A field that does not check out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `name`, `version`, `planes[1].max`, ...
    pub field: String,
    pub message: String,
}

fn labels_text(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `key=value, key=value`; keys and values get the API server's label checks (node labels
/// and Fargate selector labels are Kubernetes labels).
fn parse_labels(
    text: &str,
    field: &str,
    path: &str,
    errors: &mut Vec<FieldError>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                let (k, v) = (k.trim(), v.trim());
                let problems = validation::meta::validate_label_name(k, path)
                    .into_iter()
                    .chain(validation::meta::validate_label_value(v, path));
                errors.extend(problems.map(|e| FieldError {
                    field: field.into(),
                    message: e.to_string(),
                }));
                out.insert(k.to_string(), v.to_string());
            }
            _ => errors.push(FieldError {
                field: field.into(),
                message: format!("{part:?} is not key=value"),
            }),
        }
    }
    out
}

fn dns_name_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

impl Draft {
    /// The form as it would show `spec`.
    pub fn from_spec(spec: &LabSpec) -> Draft {
        let ca = spec.settings.cluster_autoscaler.clone().unwrap_or_default();
        let mut planes: Vec<PlaneDraft> = spec
            .nodegroups
            .iter()
            .map(|n| PlaneDraft {
                kind: if n.kind == NodegroupKind::Managed {
                    PlaneKind::Managed
                } else {
                    PlaneKind::SelfManaged
                },
                name: n.name.clone(),
                instance_type: n.instance_types.first().cloned().unwrap_or_default(),
                min: n.min_size.to_string(),
                desired: n.desired_capacity.to_string(),
                max: n.max_size.to_string(),
                spot: n.spot,
                labels: labels_text(&n.labels),
                selectors: String::new(),
                version: n.version.map(|v| v.to_string()).unwrap_or_default(),
                max_unavailable: match n.update_config {
                    NodegroupUpdateConfig::MaxUnavailable(m) => m.to_string(),
                    NodegroupUpdateConfig::MaxUnavailablePercentage(p) => format!("{p}%"),
                },
                strategy: n.update_strategy.as_str().to_string(),
            })
            .collect();
        planes.extend(spec.fargate_profiles.iter().map(|f| {
            PlaneDraft {
                kind: PlaneKind::Fargate,
                name: f.name.clone(),
                instance_type: String::new(),
                min: String::new(),
                desired: String::new(),
                max: String::new(),
                spot: false,
                labels: String::new(),
                version: String::new(),
                max_unavailable: String::new(),
                strategy: String::new(),
                selectors: f
                    .selectors
                    .iter()
                    .map(|s| {
                        if s.labels.is_empty() {
                            s.namespace.clone()
                        } else {
                            format!("{}: {}", s.namespace, labels_text(&s.labels))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            }
        }));
        Draft {
            name: spec.cluster.name.clone(),
            version: spec.cluster.version.to_string(),
            zones: spec.cluster.zones.iter().cloned().collect_set(),
            endpoint: EndpointMode::from_access(&spec.cluster.endpoint_access),
            logging: spec.cluster.logging.iter().copied().collect_set(),
            seed: spec.seed.to_string(),
            skip_creation: spec.settings.skip_cluster_creation,
            keep_workloads: true,
            metrics_server: spec
                .cluster
                .addons
                .iter()
                .any(|a| a.name == crate::sim::catalog::AddonName::MetricsServer),
            cluster_autoscaler: spec.settings.cluster_autoscaler.is_some(),
            ca_expander: ca.expander.as_str().to_string(),
            ca_unneeded_minutes: (ca.scale_down_unneeded_time.as_secs() / 60).to_string(),
            vertical_pod_autoscaler: spec.settings.vertical_pod_autoscaler,
            node_termination_handler: spec.settings.spot.node_termination_handler,
            spot_interruptions: spec.settings.spot.interruptions_per_1000_hours.to_string(),
            start_date: spec.start_date.to_string(),
            upgrade_policy: spec.cluster.support_type.as_str().to_string(),
            self_managed_addons: spec.cluster.addon_management == AddonManagement::SelfManaged,
            planes,
        }
    }

    /// The spec this form describes, keeping `base`'s workloads, timeline and settings.
    pub fn to_spec(&self, base: &LabSpec) -> Result<LabSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let err = |errors: &mut Vec<FieldError>, field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        };
        let mut spec = base.clone();
        if !dns_name_ok(&self.name) {
            err(
                &mut errors,
                "name",
                "use 1–63 lower-case letters, digits and hyphens".into(),
            );
        }
        spec.cluster.name.clone_from(&self.name);
        match KubernetesVersion::parse(&self.version) {
            Ok(v) if crate::sim::catalog::version_info(v).is_some() => spec.cluster.version = v,
            _ => err(
                &mut errors,
                "version",
                format!(
                    "{:?} is not a Kubernetes version EKS offers in the lab",
                    self.version
                ),
            ),
        }
        if self.zones.len() < 2 {
            err(
                &mut errors,
                "zones",
                "EKS needs subnets in at least two Availability Zones".into(),
            );
        }
        spec.cluster.zones = ZONES
            .iter()
            .filter(|z| self.zones.contains(**z))
            .map(|z| (*z).to_string())
            .collect();
        spec.cluster
            .subnets
            .retain(|s| self.zones.contains(&s.zone));
        spec.cluster.endpoint_access = self.endpoint.to_access();
        spec.cluster.logging = self.logging.iter().copied().collect();
        match self.seed.trim().parse::<u64>() {
            Ok(s) => spec.seed = s,
            Err(_) => err(&mut errors, "seed", "the seed is a whole number".into()),
        }
        spec.settings.skip_cluster_creation = self.skip_creation;
        match Date::parse(&self.start_date) {
            Ok(d) => spec.start_date = d,
            Err(e) => err(&mut errors, "start_date", e),
        }
        match self.upgrade_policy.as_str() {
            "STANDARD" => spec.cluster.support_type = SupportType::Standard,
            "EXTENDED" => spec.cluster.support_type = SupportType::Extended,
            other => err(
                &mut errors,
                "upgrade_policy",
                format!("{other:?}: use STANDARD or EXTENDED"),
            ),
        }
        spec.cluster.addon_management = if self.self_managed_addons {
            AddonManagement::SelfManaged
        } else {
            AddonManagement::EksManaged
        };
        if !self.keep_workloads {
            spec.manifests.clear();
            spec.timeline.clear();
            spec.traffic.clear();
        }
        let has_ms = spec
            .cluster
            .addons
            .iter()
            .any(|a| a.name == AddonName::MetricsServer);
        if self.metrics_server && !has_ms {
            spec.cluster.addons.push(crate::sim::spec::AddonSpec {
                name: AddonName::MetricsServer,
                version: None,
            });
        } else if !self.metrics_server {
            spec.cluster
                .addons
                .retain(|a| a.name != AddonName::MetricsServer);
        }
        if self.cluster_autoscaler {
            let ca = spec
                .settings
                .cluster_autoscaler
                .get_or_insert_with(ClusterAutoscalerSettings::default);
            match Expander::parse(&self.ca_expander) {
                Some(e) => ca.expander = e,
                None => err(
                    &mut errors,
                    "ca_expander",
                    "one of least-waste, random, most-pods, least-nodes, priority".into(),
                ),
            }
            match self.ca_unneeded_minutes.trim().parse::<u64>() {
                Ok(m) if (1..=1440).contains(&m) => {
                    ca.scale_down_unneeded_time = SimDuration::from_mins(m);
                }
                _ => err(
                    &mut errors,
                    "ca_unneeded_minutes",
                    "whole minutes, 1 to 1440 (upstream default 10)".into(),
                ),
            }
        } else {
            spec.settings.cluster_autoscaler = None;
        }
        spec.settings.vertical_pod_autoscaler = self.vertical_pod_autoscaler;
        spec.settings.spot.node_termination_handler = self.node_termination_handler;
        match self.spot_interruptions.trim().parse::<u64>() {
            Ok(r) if r <= 1000 => spec.settings.spot.interruptions_per_1000_hours = r,
            _ => err(
                &mut errors,
                "spot_interruptions",
                "a whole number of interruptions per 1,000 instance-hours, 0 to 1000".into(),
            ),
        }
        // Fields the form does not show (taints, zones, volumes, ...) are kept from the base
        // spec's group of the same name and kind.
        let base_groups = std::mem::take(&mut spec.nodegroups);
        spec.fargate_profiles.clear();
        let mut names = BTreeSet::new();
        for (i, p) in self.planes.iter().enumerate() {
            let f = |field: &str| format!("planes[{i}].{field}");
            if !dns_name_ok(&p.name) {
                err(
                    &mut errors,
                    &f("name"),
                    "use 1–63 lower-case letters, digits and hyphens".into(),
                );
            } else if !names.insert((p.kind == PlaneKind::Fargate, p.name.clone())) {
                err(
                    &mut errors,
                    &f("name"),
                    format!("another data plane is already called {:?}", p.name),
                );
            }
            match p.kind {
                PlaneKind::Fargate => {
                    let mut selectors = Vec::new();
                    for line in p.selectors.lines().map(str::trim).filter(|l| !l.is_empty()) {
                        let (ns, labels) = line.split_once(':').unwrap_or((line, ""));
                        let j = selectors.len();
                        for m in validation::fargate_selector_namespace(ns.trim()) {
                            let e = validation::FieldError::invalid(
                                &format!("selectors[{j}].namespace"),
                                ns.trim(),
                                &m,
                            );
                            err(&mut errors, &f("selectors"), e.to_string());
                        }
                        let labels = parse_labels(
                            labels,
                            &f("selectors"),
                            &format!("selectors[{j}].labels"),
                            &mut errors,
                        );
                        selectors.push(FargateProfileSelector {
                            namespace: ns.trim().to_string(),
                            labels,
                        });
                    }
                    if selectors.is_empty() {
                        err(
                            &mut errors,
                            &f("selectors"),
                            "a Fargate profile needs at least one selector with a namespace".into(),
                        );
                    } else if selectors.len() > 5 {
                        err(
                            &mut errors,
                            &f("selectors"),
                            "at most 5 selectors per profile (eks-facts §2)".into(),
                        );
                    }
                    spec.fargate_profiles.push(FargateProfileSpec {
                        name: p.name.clone(),
                        selectors,
                        subnets: Vec::new(),
                    });
                }
                PlaneKind::Managed | PlaneKind::SelfManaged => {
                    // eksctl's checks on a ClusterConfig's sizes, and the lab's limit.
                    let (min, desired, max) = numbers::nodegroup_sizes(
                        p.kind == PlaneKind::Managed,
                        &p.min,
                        &p.desired,
                        &p.max,
                    )
                    .unwrap_or_else(|e| {
                        for (field, message) in e {
                            err(&mut errors, &f(field), message);
                        }
                        (0, 0, 0)
                    });
                    if crate::sim::catalog::instance_type(&p.instance_type).is_none() {
                        err(
                            &mut errors,
                            &f("instance_type"),
                            format!("{:?} is not in the lab's instance catalog", p.instance_type),
                        );
                    }
                    let kind = if p.kind == PlaneKind::Managed {
                        NodegroupKind::Managed
                    } else {
                        NodegroupKind::SelfManaged
                    };
                    let mut ng = base_groups
                        .iter()
                        .find(|g| g.name == p.name && g.kind == kind)
                        .cloned()
                        .unwrap_or_else(|| match kind {
                            NodegroupKind::Managed => NodegroupSpec::managed(&p.name),
                            NodegroupKind::SelfManaged => NodegroupSpec::self_managed(&p.name),
                        });
                    ng.version = match p.version.trim() {
                        "" => None,
                        t => match KubernetesVersion::parse(t) {
                            Ok(v) => Some(v),
                            Err(e) => {
                                err(&mut errors, &f("version"), e);
                                None
                            }
                        },
                    };
                    if kind == NodegroupKind::Managed {
                        match numbers::max_unavailable(&p.max_unavailable) {
                            Ok(c) => ng.update_config = c,
                            Err(e) => err(&mut errors, &f("max_unavailable"), e),
                        }
                        match UpdateStrategy::parse(&p.strategy) {
                            Some(s) => ng.update_strategy = s,
                            None => err(
                                &mut errors,
                                &f("strategy"),
                                format!("{:?}: use DEFAULT or MINIMAL", p.strategy),
                            ),
                        }
                    }
                    ng.instance_types = vec![p.instance_type.clone()];
                    ng.min_size = min;
                    ng.desired_capacity = desired;
                    ng.max_size = max;
                    ng.spot = p.spot;
                    ng.labels = parse_labels(&p.labels, &f("labels"), "labels", &mut errors);
                    spec.nodegroups.push(ng);
                }
            }
        }
        if errors.is_empty()
            && let Err(e) = crate::sim::eks::validation::validate_spec(&spec)
        {
            err(&mut errors, "cluster", e);
        }
        if errors.is_empty() {
            Ok(spec)
        } else {
            Err(errors)
        }
    }
}

/// One version in the picker: `1.34 · standard support · $0.10/h`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChoice {
    pub version: String,
    pub status: SupportStatus,
    pub label: String,
}

/// Versions a cluster can be created on at `date`, newest first, with status and price.
pub fn version_choices(date: Date) -> Vec<VersionChoice> {
    VERSIONS
        .iter()
        .rev()
        .filter(|v| {
            matches!(
                v.status_on(date),
                SupportStatus::Standard | SupportStatus::Extended
            )
        })
        .map(|v| {
            let status = v.status_on(date);
            let price = if status == SupportStatus::Extended {
                prices::CONTROL_PLANE_EXTENDED
            } else {
                prices::CONTROL_PLANE_STANDARD
            };
            let until = if status == SupportStatus::Extended {
                v.end_of_extended
            } else {
                v.end_of_standard
            };
            VersionChoice {
                version: v.version.to_string(),
                status,
                label: format!(
                    "{} · {} until {until} · {}",
                    v.version,
                    status.as_str(),
                    super::format::usd_per_hour(price)
                ),
            }
        })
        .collect()
}

/// One instance type in the picker: `m5.large · 2 vCPU 8 GiB · $0.0960/h · 29 pods`.
pub fn instance_type_choices(kind: PlaneKind) -> Vec<(String, String)> {
    let policy = if kind == PlaneKind::Managed {
        MaxPodsPolicy::ManagedNodegroupCap
    } else {
        MaxPodsPolicy::EniFormula
    };
    INSTANCE_TYPES
        .iter()
        .map(|t| {
            let gpu = if t.gpus > 0 {
                format!(" · {} GPU", t.gpus)
            } else {
                String::new()
            };
            (
                t.name.to_string(),
                format!(
                    "{} · {} vCPU {} GiB{gpu} · {} · {} pods",
                    t.name,
                    t.vcpu,
                    t.memory_gib_text(),
                    super::format::usd_per_hour(t.price_nusd_per_hour),
                    t.max_pods(policy)
                ),
            )
        })
        .collect()
}

/// Help for a field: what it does and the eksctl field behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldHelp {
    pub label: &'static str,
    pub eksctl: &'static str,
    pub help: &'static str,
}

/// The help text of each builder field.
pub fn help(field: &str) -> FieldHelp {
    let h = |label, eksctl, help| FieldHelp {
        label,
        eksctl,
        help,
    };
    match field {
        "name" => h(
            "Cluster name",
            "metadata.name",
            "Names the cluster and prefixes its AWS resources.",
        ),
        "version" => h(
            "Kubernetes version",
            "metadata.version",
            "Versions get 14 months of standard support ($0.10/h), then 12 months of extended support ($0.60/h).",
        ),
        "zones" => h(
            "Availability Zones",
            "availabilityZones",
            "At least two. Each gets a subnet; nodes and Fargate pods spread across them.",
        ),
        "endpoint" => h(
            "API endpoint access",
            "vpc.clusterEndpoints",
            "Public (default), public and private, or private only (kubectl must then run inside the VPC).",
        ),
        "logging" => h(
            "Control plane logs",
            "cloudWatch.clusterLogging.enableTypes",
            "Off by default. Each enabled type streams to CloudWatch Logs and is billed at CloudWatch rates.",
        ),
        "seed" => h(
            "Seed",
            "Lab spec.seed",
            "Same seed, same cluster: node names, timings and choices repeat exactly.",
        ),
        "skip_creation" => h(
            "Skip cluster creation",
            "Lab spec.skipClusterCreation",
            "Real clusters take 10–15 minutes to create; skip that wait in class.",
        ),
        "metrics_server" => h(
            "metrics-server add-on",
            "addons[].name: metrics-server",
            "Serves pod and node usage (kubectl top); the HPA and the VPA need it. Not installed by default on EKS.",
        ),
        "cluster_autoscaler" => h(
            "Cluster Autoscaler",
            "Lab spec.clusterAutoscaler",
            "Adds nodes when pods are Pending and removes underused ones after 10 minutes. Runs as a pod in kube-system.",
        ),
        "ca_expander" => h(
            "Expander",
            "clusterAutoscaler.expander (--expander)",
            "Which node group grows when several could: least-waste (default) leaves the least idle CPU and memory; most-pods fits the most pending pods; least-nodes adds the fewest nodes; random; priority follows a priority list.",
        ),
        "ca_unneeded_minutes" => h(
            "Unneeded time",
            "clusterAutoscaler.scaleDownUnneededTime (--scale-down-unneeded-time)",
            "Minutes a node must stay under 50% of its allocatable (by requests) before the Cluster Autoscaler removes it. Upstream default 10.",
        ),
        "node_termination_handler" => h(
            "Node Termination Handler",
            "Lab spec.spot.nodeTerminationHandler",
            "On self-managed Spot groups, cordons and drains a node at the two-minute notice. Managed node groups do this without it.",
        ),
        "vertical_pod_autoscaler" => h(
            "Vertical Pod Autoscaler",
            "Lab spec.verticalPodAutoscaler",
            "Recommends (and can apply) pod requests from observed usage: recommender, updater and admission controller.",
        ),
        "spot_interruptions" => h(
            "Spot interruptions",
            "Lab spec.spot.interruptionsPer1000Hours",
            "How often AWS reclaims Spot instances, per 1,000 instance-hours (0: never). Each gets a two-minute notice.",
        ),
        "keep_workloads" => h(
            "Keep workloads",
            "",
            "Deploy this lab's manifests and replay its timeline on the new cluster; off starts empty.",
        ),
        "instance_type" => h(
            "Instance type",
            "managedNodeGroups[].instanceType",
            "Sets vCPU, memory, price and how many pods fit (max pods from the ENI limits).",
        ),
        "sizes" => h(
            "Min / desired / max",
            "minSize / desiredCapacity / maxSize",
            "The Auto Scaling group keeps desired nodes; autoscalers move it between min and max.",
        ),
        "spot" => h(
            "Spot",
            "managedNodeGroups[].spot",
            "Spare EC2 capacity at a discount (70% in the lab); AWS can reclaim it with two minutes' notice.",
        ),
        "labels" => h(
            "Node labels",
            "managedNodeGroups[].labels",
            "Labels on every node, for nodeSelector and affinity.",
        ),
        "start_date" => h(
            "Lab date",
            "Lab spec.startDate",
            "The calendar day the lab starts on. Support status, the control plane price and automatic upgrades follow the EKS calendar from here.",
        ),
        "upgrade_policy" => h(
            "Upgrade policy",
            "upgradePolicy.supportType",
            "EXTENDED (API default): at the end of standard support the cluster enters extended support at $0.60/h. STANDARD: EKS upgrades the control plane automatically instead.",
        ),
        "self_managed_addons" => h(
            "Self-managed add-ons",
            "eksctl create cluster without --config-file",
            "A cluster created by eksctl flags gets self-managed vpc-cni, kube-proxy and CoreDNS, which you upgrade with eksctl utils; from a config file or the console they are EKS-managed.",
        ),
        "ng_version" => h(
            "Kubernetes version",
            "managedNodeGroups[].version",
            "The kubelet version of new nodes; empty means the cluster's. Managed node groups are created at the cluster's version; self-managed ones may lag it by up to 3 minors, never lead it.",
        ),
        "max_unavailable" => h(
            "Max unavailable",
            "managedNodeGroups[].updateConfig.maxUnavailable(Percentage)",
            "How many nodes an update replaces at once: a count (default 1, at most 100) or a percentage like 33%.",
        ),
        "strategy" => h(
            "Update strategy",
            "managedNodeGroups[].updateConfig.updateStrategy",
            "DEFAULT launches new nodes first (surge of twice the AZs); MINIMAL terminates an old node before its replacement comes, for scarce or costly capacity.",
        ),
        "selectors" => h(
            "Selectors",
            "fargateProfiles[].selectors",
            "One per line: a namespace (required), optionally `: key=value` labels the pod must all carry. Up to 5.",
        ),
        _ => h("", "", ""),
    }
}

/// Who runs what, for each data plane.
pub fn responsibilities(kind: PlaneKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        PlaneKind::Managed => (
            &[
                "Launches EC2 instances in an Auto Scaling group",
                "Provides the EKS-optimized AMI and labels nodes",
                "Drains nodes before scale-in and during version updates",
            ],
            &[
                "Choose instance types and sizes",
                "Start version updates (they are not automatic)",
                "Protect apps with PodDisruptionBudgets",
                "Pay for EC2 and EBS",
            ],
        ),
        PlaneKind::SelfManaged => (
            &["Runs the EC2 instances you launch"],
            &[
                "Choose and patch the AMI",
                "Own the Auto Scaling group and bootstrap",
                "Upgrade by blue/green migration or AMI replacement",
                "Drain nodes yourself before removing them",
                "Pay for EC2 and EBS",
            ],
        ),
        PlaneKind::Fargate => (
            &[
                "Runs one micro-VM per pod, sized from its requests",
                "Patches and upgrades the OS and kubelet",
                "Bills per pod, per second (1-minute minimum)",
            ],
            &[
                "Set pod requests (they decide the size and the bill)",
                "Write profile selectors",
                "No DaemonSets, privileged pods, hostNetwork, GPUs or EBS",
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_of_a_spec_builds_the_same_spec() {
        let spec = crate::view::demo::demo_spec();
        let draft = Draft::from_spec(&spec);
        assert_eq!(draft.to_spec(&spec).unwrap(), spec);
    }

    #[test]
    fn upgrade_settings_round_trip_and_bad_ones_are_named() {
        let mut spec = LabSpec::default();
        let mut ng = NodegroupSpec::managed("ng-1");
        ng.taints.push(crate::sim::api::Taint {
            key: "dedicated".into(),
            value: "web".into(),
            effect: crate::sim::api::TaintEffect::NoSchedule,
        });
        spec.nodegroups.push(ng);
        let mut d = Draft::from_spec(&spec);
        assert_eq!(d.start_date, "2026-11-01");
        assert_eq!(d.upgrade_policy, "EXTENDED");
        d.upgrade_policy = "STANDARD".into();
        d.self_managed_addons = true;
        d.start_date = "2026-12-01".into();
        d.planes[0].max_unavailable = "33%".into();
        d.planes[0].strategy = "MINIMAL".into();
        d.planes[0].version = "1.33".into();
        // A managed node group is created at the cluster's version (EKS API CreateNodegroup).
        let e = d.to_spec(&spec).unwrap_err();
        assert_eq!(e[0].field, "cluster");
        assert!(
            e[0].message
                .contains("created at the cluster's Kubernetes version (1.34)")
        );
        d.planes[0].version = "1.34".into();
        let out = d.to_spec(&spec).unwrap();
        assert_eq!(out.cluster.support_type, SupportType::Standard);
        assert_eq!(out.cluster.addon_management, AddonManagement::SelfManaged);
        assert_eq!(out.start_date, Date::from_ymd(2026, 12, 1));
        let g = &out.nodegroups[0];
        assert_eq!(
            g.update_config,
            NodegroupUpdateConfig::MaxUnavailablePercentage(33)
        );
        assert_eq!(g.update_strategy, UpdateStrategy::Minimal);
        assert_eq!(g.version, Some(KubernetesVersion::new(34)));
        // What the form does not show is kept.
        assert_eq!(g.taints.len(), 1);
        assert_eq!(Draft::from_spec(&out), d);
        d.planes[0].max_unavailable = "0".into();
        d.planes[0].strategy = "FAST".into();
        d.upgrade_policy = "NEVER".into();
        d.start_date = "next tuesday".into();
        let errs = d.to_spec(&spec).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "start_date",
                "upgrade_policy",
                "planes[0].max_unavailable",
                "planes[0].strategy"
            ]
        );
    }

    #[test]
    fn building_without_workloads_starts_empty() {
        let spec = crate::view::demo::demo_spec();
        let mut d = Draft::from_spec(&spec);
        d.keep_workloads = false;
        let built = d.to_spec(&spec).unwrap();
        assert!(built.manifests.is_empty() && built.timeline.is_empty());
        assert_eq!(built.nodegroups, spec.nodegroups);
    }

    #[test]
    fn bad_fields_are_named() {
        let spec = crate::view::demo::demo_spec();
        let mut d = Draft::from_spec(&spec);
        d.name = "My Cluster".into();
        d.zones = ["us-east-1a".to_string()].into_iter().collect();
        d.planes[0].max = "1".into();
        d.planes[0].instance_type = "m9.huge".into();
        d.planes.push(PlaneDraft {
            selectors: String::new(),
            ..PlaneDraft::new(PlaneKind::Fargate, "fp-empty")
        });
        let errs = d.to_spec(&spec).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "zones",
                "planes[0].desired",
                "planes[0].instance_type",
                "planes[2].selectors"
            ]
        );
    }

    #[test]
    fn node_group_sizes_are_checked_as_files_and_the_console_check_them() {
        let spec = crate::view::demo::demo_spec();
        let draft = |kind: PlaneKind, min: &str, desired: &str, max: &str| {
            let mut d = Draft::from_spec(&spec);
            d.planes = vec![PlaneDraft {
                min: min.into(),
                desired: desired.into(),
                max: max.into(),
                ..PlaneDraft::new(kind, "ng-x")
            }];
            d.to_spec(&spec)
                .map(|s| {
                    let g = &s.nodegroups[0];
                    (g.min_size, g.desired_capacity, g.max_size)
                })
                .map_err(|e| {
                    e.into_iter()
                        .map(|e| (e.field, e.message))
                        .collect::<Vec<_>>()
                })
        };
        assert_eq!(
            draft(PlaneKind::SelfManaged, "0", "1", "1000"),
            Ok((0, 1, 1000))
        );
        assert_eq!(
            draft(PlaneKind::SelfManaged, "0", "1", "1001"),
            Err(vec![(
                "planes[0].max".to_string(),
                "the lab runs at most 1000 nodes in a node group: 1001 is more than that"
                    .to_string()
            )])
        );
        assert_eq!(draft(PlaneKind::Managed, "1", "2", "450"), Ok((1, 2, 450)));
        assert_eq!(
            draft(PlaneKind::Managed, "1", "2", "451"),
            Err(vec![(
                "planes[0].max".to_string(),
                "maxSize (451) exceeds the quota of 450 nodes per managed node group".to_string()
            )])
        );
        assert_eq!(
            draft(PlaneKind::Managed, "-1", "2", "3"),
            Err(vec![(
                "planes[0].min".to_string(),
                "minimum number of nodes must be 0 or greater".to_string()
            )])
        );
    }

    #[test]
    fn labels_and_selector_namespaces_get_the_api_servers_checks() {
        let spec = crate::view::demo::demo_spec();
        let mut d = Draft::from_spec(&spec);
        d.planes[0].labels = "role=web, -bad=x".into();
        d.planes.push(PlaneDraft {
            selectors: "Batch_NS\nprod-*: team=no spaces".into(),
            ..PlaneDraft::new(PlaneKind::Fargate, "fp-x")
        });
        let n = d.planes.len() - 1;
        let errs = d.to_spec(&spec).unwrap_err();
        let got: Vec<(&str, &str)> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(got.len(), 3, "{got:#?}");
        let selectors = format!("planes[{n}].selectors");
        assert_eq!(got[0].0, "planes[0].labels");
        assert!(
            got[0]
                .1
                .starts_with("labels: Invalid value: \"-bad\": name part must consist")
        );
        assert_eq!(got[1].0, selectors);
        assert!(got[1].1.starts_with("selectors[0].namespace: Invalid value: \"Batch_NS\": a lowercase RFC 1123 label must consist"));
        assert_eq!(got[2].0, selectors);
        assert!(got[2].1.starts_with("selectors[1].labels: Invalid value: \"no spaces\": a valid label must be an empty string"));
    }

    #[test]
    fn autoscaler_settings_round_trip_and_bad_ones_are_named() {
        let spec = crate::view::demo::demo_spec();
        let mut d = Draft::from_spec(&spec);
        assert!(!d.cluster_autoscaler && !d.metrics_server);
        assert_eq!(
            (d.ca_expander.as_str(), d.ca_unneeded_minutes.as_str()),
            ("least-waste", "10")
        );
        d.metrics_server = true;
        d.cluster_autoscaler = true;
        d.ca_expander = "most-pods".into();
        d.ca_unneeded_minutes = "5".into();
        d.vertical_pod_autoscaler = true;
        d.node_termination_handler = true;
        d.spot_interruptions = "20".into();
        let built = d.to_spec(&spec).unwrap();
        let ca = built.settings.cluster_autoscaler.as_ref().unwrap();
        assert_eq!(ca.expander, Expander::MostPods);
        assert_eq!(ca.scale_down_unneeded_time, SimDuration::from_mins(5));
        assert!(built.settings.vertical_pod_autoscaler);
        assert!(built.settings.spot.node_termination_handler);
        assert_eq!(built.settings.spot.interruptions_per_1000_hours, 20);
        assert!(
            built
                .cluster
                .addons
                .iter()
                .any(|a| a.name == AddonName::MetricsServer)
        );
        assert_eq!(
            Draft::from_spec(&built),
            d,
            "the draft of the built spec is the same draft"
        );
        d.ca_expander = "price".into();
        d.ca_unneeded_minutes = "0".into();
        d.spot_interruptions = "lots".into();
        let fields: Vec<String> = d
            .to_spec(&spec)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["ca_expander", "ca_unneeded_minutes", "spot_interruptions"]
        );
    }

    #[test]
    fn versions_show_status_and_price_on_the_lab_date() {
        let choices = version_choices(Date::from_ymd(2026, 11, 1));
        let v134 = choices.iter().find(|c| c.version == "1.34").unwrap();
        assert_eq!(v134.status, SupportStatus::Standard);
        assert!(v134.label.contains("$0.1000/h"), "{}", v134.label);
        let v132 = choices.iter().find(|c| c.version == "1.32").unwrap();
        assert!(
            v132.label.contains("extended support") && v132.label.contains("$0.6000/h"),
            "{}",
            v132.label
        );
        assert!(
            choices.iter().all(|c| c.version != "1.29"),
            "1.29 left extended support in March 2026"
        );
    }

    #[test]
    fn instance_choices_show_max_pods_by_policy() {
        let m = instance_type_choices(PlaneKind::Managed);
        let s = instance_type_choices(PlaneKind::SelfManaged);
        let find =
            |v: &[(String, String)], n: &str| v.iter().find(|(k, _)| k == n).unwrap().1.clone();
        assert!(find(&m, "m5.4xlarge").ends_with("110 pods"));
        assert!(find(&s, "m5.4xlarge").ends_with("234 pods"));
        assert!(find(&m, "m5.large").contains("$0.0960/h"));
    }
}

/// What the drafted cluster costs per hour before any Fargate pods: the control plane at the
/// lab's start date, the desired EC2 instances (Spot at the lab's discount) and their EBS root
/// volumes, in nano-dollars per hour.
pub fn estimate_hourly(spec: &LabSpec) -> u64 {
    let cp = match crate::sim::catalog::version_info(spec.cluster.version)
        .map(|v| v.status_on(spec.start_date))
    {
        Some(SupportStatus::Extended | SupportStatus::EndOfLife) => prices::CONTROL_PLANE_EXTENDED,
        _ => prices::CONTROL_PLANE_STANDARD,
    };
    let nodes: u64 = spec
        .nodegroups
        .iter()
        .map(|n| {
            let price = n
                .instance_types
                .first()
                .and_then(|t| crate::sim::catalog::instance_type(t))
                .map_or(0, |t| t.price_nusd_per_hour);
            let price = if n.spot {
                price * (100 - spec.settings.spot_discount_percent.min(100)) / 100
            } else {
                price
            };
            // Sizes are bounded where they are read; saturating keeps the estimate total anyway.
            crate::sim::api::count(n.desired_capacity).saturating_mul(
                price.saturating_add(n.volume_size_gib.saturating_mul(prices::EBS_GP3_GB_HOUR)),
            )
        })
        .sum();
    cp + nodes
}

#[cfg(test)]
mod estimate_tests {
    use super::*;

    #[test]
    fn estimate_adds_control_plane_instances_and_volumes() {
        // Demo: 1.34 (standard, $0.10/h) + 3 × m5.large ($0.096/h) + 3 × 80 GiB gp3.
        let spec = crate::view::demo::demo_spec();
        assert_eq!(
            estimate_hourly(&spec),
            100_000_000 + 3 * (96_000_000 + 80 * 109_589)
        );
    }
}
