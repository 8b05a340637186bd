//! eksctl's `get` tables (cluster, node groups, Fargate profiles, add-ons) and the AWS CLI's
//! `describe-nodegroup`, `describe-fargate-profile` and, for self-managed groups,
//! `autoscaling describe-auto-scaling-groups`.
//!
//! eksctl renders tables with kops' table printer: rows sorted by their cells, columns padded
//! with tabs to eight-column stops. IDs the lab does not model (VPC, security group, launch
//! template, AMI, ARN suffixes) are derived deterministically from names.

use crate::sim::Simulation;
use crate::sim::catalog::{addon_behind, addon_default_version, instance_type};
use crate::sim::eks::{
    FargateProfile, InstanceState, Nodegroup, NodegroupKind, NodegroupStatus, NodegroupUpdateConfig,
};

use super::cal;
use super::doc::{Obj, Val, to_json};
use super::facts::{hex, uuid};
use super::tabwriter::{TabWriter, tab_lines};

/// The AWS account the lab pretends to run in (the Fargate pod execution role uses it too).
pub(super) const ACCOUNT: &str = "111122223333";

/// Renders an eksctl table: header, then rows sorted lexicographically by their cells.
fn eksctl_table(columns: &[&str], mut rows: Vec<Vec<String>>) -> String {
    crate::sim::sort::sort(&mut rows);
    let lines = std::iter::once(columns.iter().map(|c| (*c).to_string()).collect()).chain(rows);
    TabWriter::EKSCTL.format(&tab_lines(lines))
}

/// eksctl's log line prefix: `2026-11-01 00:12:40 [ℹ]  `.
fn log_info(sim: &Simulation, message: &str) -> String {
    let t = cal(sim, sim.now());
    let (y, m, d) = t.date.ymd();
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} [ℹ]  {message}\n",
        t.hour, t.minute, t.second
    )
}

pub(super) fn vpc_id(sim: &Simulation) -> String {
    format!(
        "vpc-0{}",
        hex(&format!("{}/vpc", sim.state().cluster.name), 16)
    )
}

/// The cluster security group: the same ID the upgrade health checks name when it is gone.
pub(super) fn security_group_id(sim: &Simulation) -> String {
    crate::sim::eks::vpc::security_group_id(&sim.state().cluster.name)
}

/// `eksctl get cluster --name <name>`.
pub fn eksctl_get_cluster(sim: &Simulation) -> String {
    let c = &sim.state().cluster;
    let mut subnets: Vec<String> = sim.state().subnets.iter().map(|s| s.id.clone()).collect();
    crate::sim::sort::sort(&mut subnets);
    let row = vec![
        c.name.clone(),
        c.version.to_string(),
        c.status.as_str().to_string(),
        cal(sim, c.created_at).rfc3339(),
        vpc_id(sim),
        subnets.join(","),
        security_group_id(sim),
        "EKS".to_string(),
    ];
    eksctl_table(
        &[
            "NAME",
            "VERSION",
            "STATUS",
            "CREATED",
            "VPC",
            "SUBNETS",
            "SECURITYGROUPS",
            "PROVIDER",
        ],
        vec![row],
    )
}

/// The AMI type of a managed group (`AL2023_x86_64_STANDARD`).
fn ami_type(ng: &Nodegroup) -> &'static str {
    let arm = ng
        .instance_types
        .first()
        .and_then(|t| instance_type(t))
        .is_some_and(|t| t.arch == crate::sim::catalog::Arch::Arm64);
    if arm {
        "AL2023_ARM_64_STANDARD"
    } else {
        "AL2023_x86_64_STANDARD"
    }
}

/// The status eksctl shows: the EKS status for managed groups, the CloudFormation stack
/// status for self-managed ones.
fn nodegroup_status(ng: &Nodegroup) -> &'static str {
    match ng.kind {
        NodegroupKind::Managed => ng.status.as_str(),
        NodegroupKind::SelfManaged => match ng.status {
            NodegroupStatus::Creating => "CREATE_IN_PROGRESS",
            NodegroupStatus::Active | NodegroupStatus::Degraded => "CREATE_COMPLETE",
            NodegroupStatus::Updating => "UPDATE_IN_PROGRESS",
            NodegroupStatus::Deleting => "DELETE_IN_PROGRESS",
            NodegroupStatus::CreateFailed => "CREATE_FAILED",
        },
    }
}

fn ami_id(ng: &Nodegroup) -> String {
    format!("ami-0{}", hex(&ng.ami_name, 16))
}

/// `eksctl get nodegroups --cluster <name>`.
pub fn eksctl_get_nodegroups(sim: &Simulation) -> String {
    eksctl_get_nodegroup(sim, None).unwrap_or_else(|e| format!("{e}\n"))
}

/// `eksctl get nodegroup --cluster <name> [--name <ng>]`. eksctl's table has no version
/// column; `aws eks describe-nodegroup` shows `version` and `releaseVersion`.
pub fn eksctl_get_nodegroup(sim: &Simulation, name: Option<&str>) -> Result<String, String> {
    let cluster = &sim.state().cluster.name;
    let rows: Vec<Vec<String>> = sim
        .state()
        .nodegroups
        .values()
        .filter(|ng| name.is_none_or(|n| n == ng.name))
        .map(|ng| {
            let (image, kind) = match ng.kind {
                NodegroupKind::Managed => (ami_type(ng).to_string(), "managed"),
                NodegroupKind::SelfManaged => (ami_id(ng), "unmanaged"),
            };
            vec![
                cluster.clone(),
                ng.name.clone(),
                nodegroup_status(ng).to_string(),
                cal(sim, ng.created_at).rfc3339(),
                ng.scaling.min_size.to_string(),
                ng.scaling.max_size.to_string(),
                ng.scaling.desired_size.to_string(),
                ng.instance_types.join(","),
                image,
                ng.asg_name(),
                kind.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Err(match name {
            None => "Error: No nodegroups found".to_string(),
            Some(n) => format!("Error: nodegroup with name {n} not found"),
        });
    }
    Ok(eksctl_table(
        &[
            "CLUSTER",
            "NODEGROUP",
            "STATUS",
            "CREATED",
            "MIN SIZE",
            "MAX SIZE",
            "DESIRED CAPACITY",
            "INSTANCE TYPE",
            "IMAGE ID",
            "ASG NAME",
            "TYPE",
        ],
        rows,
    ))
}

fn labels_text(labels: &std::collections::BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        "<none>".to_string()
    } else {
        labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// `eksctl get fargateprofile --cluster <name>`: one row per selector.
pub fn eksctl_get_fargateprofiles(sim: &Simulation) -> String {
    let mut rows = Vec::new();
    for fp in sim.state().fargate_profiles.values() {
        let subnets = if fp.subnets.is_empty() {
            "<none>".to_string()
        } else {
            fp.subnets.join(",")
        };
        for s in &fp.selectors {
            rows.push(vec![
                fp.name.clone(),
                s.namespace.clone(),
                labels_text(&s.labels),
                fp.pod_execution_role_arn.clone(),
                subnets.clone(),
                "<none>".to_string(),
                fp.status.as_str().to_string(),
            ]);
        }
    }
    if rows.is_empty() {
        return "No fargate profiles found\n".to_string();
    }
    eksctl_table(
        &[
            "NAME",
            "SELECTOR_NAMESPACE",
            "SELECTOR_LABELS",
            "POD_EXECUTION_ROLE_ARN",
            "SUBNETS",
            "TAGS",
            "STATUS",
        ],
        rows,
    )
}

/// `eksctl get addons --cluster <name>`: EKS-managed add-ons only (self-managed add-ons are
/// plain manifests eksctl does not list), with the newer catalog version as UPDATE AVAILABLE.
pub fn eksctl_get_addons(sim: &Simulation) -> String {
    eksctl_get_addon(sim, None).unwrap_or_else(|e| format!("{e}\n"))
}

/// `eksctl get addon --cluster <name> [--name <addon>]`.
pub fn eksctl_get_addon(sim: &Simulation, name: Option<&str>) -> Result<String, String> {
    let c = &sim.state().cluster;
    if let Some(n) = name
        && !c.addons.values().any(|a| a.managed && a.name.as_str() == n)
    {
        return Err(format!(
            "Error: addon {n} not found in cluster \"{}\"",
            c.name
        ));
    }
    let mut out = log_info(
        sim,
        &format!(
            "Kubernetes version \"{}\" in use by cluster \"{}\"",
            c.version, c.name
        ),
    );
    let rows: Vec<Vec<String>> = c
        .addons
        .values()
        .filter(|a| a.managed && name.is_none_or(|n| n == a.name.as_str()))
        .map(|a| {
            // eksctl lists the newer versions EKS offers for this Kubernetes version; the
            // lab's catalog has one build per line (eks-facts §5), the default.
            let update = if addon_behind(a.name, &a.version, c.version) {
                addon_default_version(a.name, c.version).to_string()
            } else {
                String::new()
            };
            vec![
                a.name.as_str().to_string(),
                a.version.clone(),
                a.status.as_str().to_string(),
                "0".to_string(),
                String::new(),
                update,
                String::new(),
            ]
        })
        .collect();
    if rows.is_empty() {
        out.push_str("No addons found\n");
        return Ok(out);
    }
    out.push_str(&log_info(
        sim,
        "to see issues for an addon run `eksctl get addon --name <addon-name> --cluster <cluster-name>`",
    ));
    out.push_str(&eksctl_table(
        &[
            "NAME",
            "VERSION",
            "STATUS",
            "ISSUES",
            "IAMROLE",
            "UPDATE AVAILABLE",
            "CONFIGURATION VALUES",
        ],
        rows,
    ));
    Ok(out)
}

/// The subnets a group launches into (its zones, or every cluster zone).
fn nodegroup_subnets(sim: &Simulation, ng: &Nodegroup) -> Vec<String> {
    sim.state()
        .subnets
        .iter()
        .filter(|s| ng.zones.is_empty() || ng.zones.contains(&s.zone))
        .map(|s| s.id.clone())
        .collect()
}

fn launch_template(sim: &Simulation, ng: &Nodegroup) -> (String, String) {
    let cluster = &sim.state().cluster.name;
    (
        format!("lt-0{}", hex(&format!("{cluster}/{}/lt", ng.name), 16)),
        format!("eksctl-{cluster}-nodegroup-{}", ng.name),
    )
}

/// The `DescribeNodegroup` response for a managed node group.
pub(super) fn nodegroup_doc(sim: &Simulation, ng: &Nodegroup) -> Val {
    let c = &sim.state().cluster;
    let created = cal(sim, ng.created_at).aws_cli();
    let release = ng
        .ami_name
        .rsplit_once("-v")
        .map_or(String::new(), |(_, date)| {
            format!("{}.0-{date}", ng.version)
        });
    let taints = Val::Seq(
        ng.taints
            .iter()
            .map(|t| {
                Obj::new()
                    .put_str("key", t.key.clone())
                    .put_nonempty_str("value", &t.value)
                    .put_str(
                        "effect",
                        match t.effect {
                            crate::sim::api::TaintEffect::NoSchedule => "NO_SCHEDULE",
                            crate::sim::api::TaintEffect::PreferNoSchedule => "PREFER_NO_SCHEDULE",
                            crate::sim::api::TaintEffect::NoExecute => "NO_EXECUTE",
                        },
                    )
                    .build()
            })
            .collect(),
    );
    let update = match ng.update_config {
        NodegroupUpdateConfig::MaxUnavailable(n) => Obj::new().put("maxUnavailable", Val::num(n)),
        NodegroupUpdateConfig::MaxUnavailablePercentage(p) => {
            Obj::new().put("maxUnavailablePercentage", Val::num(p))
        }
    }
    .put_str("updateStrategy", ng.update_strategy.as_str());
    let (lt_id, lt_name) = launch_template(sim, ng);
    let node_role = format!(
        "arn:aws:iam::{ACCOUNT}:role/eksctl-{}-nodegroup-{}-NodeInstanceRole-{}",
        c.name,
        ng.name,
        hex(&format!("{}/{}/role", c.name, ng.name), 12).to_uppercase()
    );
    let ng_doc = Obj::new()
        .put_str("nodegroupName", ng.name.clone())
        .put_str(
            "nodegroupArn",
            format!(
                "arn:aws:eks:{}:{ACCOUNT}:nodegroup/{}/{}/{}",
                c.region,
                c.name,
                ng.name,
                uuid(&format!("{}/{}/nodegroup", c.name, ng.name))
            ),
        )
        .put_str("clusterName", c.name.clone())
        .put_str("version", ng.version.to_string())
        .put_str("releaseVersion", release)
        .put_str("createdAt", created.clone())
        .put_str("modifiedAt", created)
        .put_str("status", ng.status.as_str())
        .put_str("capacityType", ng.capacity_type.as_str())
        .put(
            "scalingConfig",
            Obj::new()
                .put("minSize", Val::num(ng.scaling.min_size))
                .put("maxSize", Val::num(ng.scaling.max_size))
                .put("desiredSize", Val::num(ng.scaling.desired_size))
                .build(),
        )
        .put("instanceTypes", Val::strs(&ng.instance_types))
        .put("subnets", Val::strs(nodegroup_subnets(sim, ng)))
        .put_str("amiType", ami_type(ng))
        .put_str("nodeRole", node_role)
        .put("labels", Val::string_map(&ng.labels))
        .put_nonempty("taints", taints)
        .put(
            "resources",
            Obj::new()
                .put(
                    "autoScalingGroups",
                    Val::Seq(vec![Obj::new().put_str("name", ng.asg_name()).build()]),
                )
                .build(),
        )
        .put(
            "health",
            Obj::new().put("issues", Val::Seq(Vec::new())).build(),
        )
        .put("updateConfig", update.build())
        .put(
            "launchTemplate",
            Obj::new()
                .put_str("name", lt_name)
                .put_str("version", ng.launch_template_version.to_string())
                .put_str("id", lt_id)
                .build(),
        )
        .put(
            "tags",
            Obj::new()
                .put_str("alpha.eksctl.io/cluster-name", c.name.clone())
                .put_str("alpha.eksctl.io/nodegroup-name", ng.name.clone())
                .put_str("alpha.eksctl.io/nodegroup-type", "managed")
                .build(),
        )
        .build();
    Obj::new().put("nodegroup", ng_doc).build()
}

/// The `DescribeAutoScalingGroups` response for a self-managed group's Auto Scaling group.
pub(super) fn asg_doc(sim: &Simulation, ng: &Nodegroup) -> Val {
    let c = &sim.state().cluster;
    let (lt_id, lt_name) = launch_template(sim, ng);
    let lt = |version: u64| {
        Obj::new()
            .put_str("LaunchTemplateId", lt_id.clone())
            .put_str("LaunchTemplateName", lt_name.clone())
            .put_str("Version", version.to_string())
            .build()
    };
    let instances: Vec<Val> = sim
        .state()
        .instances
        .values()
        .filter(|i| i.nodegroup == ng.name && i.state != InstanceState::Terminated)
        .map(|i| {
            let lifecycle = match i.state {
                InstanceState::Pending => "Pending",
                InstanceState::Running if i.terminating => "Terminating:Wait",
                InstanceState::Running => "InService",
                InstanceState::ShuttingDown | InstanceState::Terminated => "Terminating",
            };
            Obj::new()
                .put_str("InstanceId", i.id.clone())
                .put_str("InstanceType", i.instance_type.clone())
                .put_str("AvailabilityZone", i.zone.clone())
                .put_str("LifecycleState", lifecycle)
                .put_str("HealthStatus", "Healthy")
                .put("LaunchTemplate", lt(i.launch_template_version))
                .put("ProtectedFromScaleIn", Val::bool(false))
                .build()
        })
        .collect();
    let zones: Vec<String> = sim
        .state()
        .subnets
        .iter()
        .filter(|s| ng.zones.is_empty() || ng.zones.contains(&s.zone))
        .map(|s| s.zone.clone())
        .collect();
    let tag = |k: &str, v: &str| {
        Obj::new()
            .put_str("ResourceId", ng.asg_name())
            .put_str("ResourceType", "auto-scaling-group")
            .put_str("Key", k)
            .put_str("Value", v)
            .put("PropagateAtLaunch", Val::bool(true))
            .build()
    };
    let group = Obj::new()
        .put_str("AutoScalingGroupName", ng.asg_name())
        .put_str(
            "AutoScalingGroupARN",
            format!(
                "arn:aws:autoscaling:{}:{ACCOUNT}:autoScalingGroup:{}:autoScalingGroupName/{}",
                c.region,
                uuid(&format!("{}/{}/asg", c.name, ng.name)),
                ng.asg_name()
            ),
        )
        .put("LaunchTemplate", lt(ng.launch_template_version))
        .put("MinSize", Val::num(ng.scaling.min_size))
        .put("MaxSize", Val::num(ng.scaling.max_size))
        .put("DesiredCapacity", Val::num(ng.scaling.desired_size))
        .put("DefaultCooldown", Val::num(300))
        .put("AvailabilityZones", Val::strs(zones))
        .put("LoadBalancerNames", Val::Seq(Vec::new()))
        .put("TargetGroupARNs", Val::Seq(Vec::new()))
        .put_str("HealthCheckType", "EC2")
        .put("HealthCheckGracePeriod", Val::num(0))
        .put("Instances", Val::Seq(instances))
        .put_str("CreatedTime", cal(sim, ng.created_at).aws_cli())
        .put("SuspendedProcesses", Val::Seq(Vec::new()))
        .put_str("VPCZoneIdentifier", nodegroup_subnets(sim, ng).join(","))
        .put("EnabledMetrics", Val::Seq(Vec::new()))
        .put(
            "Tags",
            Val::Seq(vec![
                tag("Name", &format!("{}-{}-Node", c.name, ng.name)),
                tag("alpha.eksctl.io/cluster-name", &c.name),
                tag("alpha.eksctl.io/nodegroup-name", &ng.name),
                tag("alpha.eksctl.io/nodegroup-type", "unmanaged"),
                tag(&format!("kubernetes.io/cluster/{}", c.name), "owned"),
            ]),
        )
        .put("TerminationPolicies", Val::strs(["Default"]))
        .put("NewInstancesProtectedFromScaleIn", Val::bool(false))
        .put_str(
            "ServiceLinkedRoleARN",
            format!(
                "arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
            ),
        )
        .put("CapacityRebalance", Val::bool(false))
        .put("TrafficSources", Val::Seq(Vec::new()))
        .build();
    Obj::new()
        .put("AutoScalingGroups", Val::Seq(vec![group]))
        .build()
}

/// The AWS CLI document for a node group: `aws eks describe-nodegroup` for a managed group;
/// a self-managed group is not an EKS node group (`describe-nodegroup` would answer
/// ResourceNotFoundException), so it is `aws autoscaling describe-auto-scaling-groups` for its
/// Auto Scaling group.
pub(super) fn nodegroup_or_asg_doc(sim: &Simulation, name: &str) -> Option<Val> {
    let ng = sim.state().nodegroups.get(name)?;
    Some(match ng.kind {
        NodegroupKind::Managed => nodegroup_doc(sim, ng),
        NodegroupKind::SelfManaged => asg_doc(sim, ng),
    })
}

/// `aws eks describe-nodegroup --cluster-name <c> --nodegroup-name <name>` for managed groups,
/// `aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names <asg>` for
/// self-managed ones.
pub fn describe_nodegroup(sim: &Simulation, name: &str) -> Option<String> {
    nodegroup_or_asg_doc(sim, name).map(|d| to_json(&d))
}

/// The `DescribeFargateProfile` response.
pub(super) fn fargate_profile_doc(sim: &Simulation, fp: &FargateProfile) -> Val {
    let c = &sim.state().cluster;
    let selectors = Val::Seq(
        fp.selectors
            .iter()
            .map(|s| {
                Obj::new()
                    .put_str("namespace", s.namespace.clone())
                    .put_nonempty("labels", Val::string_map(&s.labels))
                    .build()
            })
            .collect(),
    );
    let doc = Obj::new()
        .put_str("fargateProfileName", fp.name.clone())
        .put_str(
            "fargateProfileArn",
            format!(
                "arn:aws:eks:{}:{ACCOUNT}:fargateprofile/{}/{}/{}",
                c.region,
                c.name,
                fp.name,
                uuid(&format!("{}/{}/fargateprofile", c.name, fp.name))
            ),
        )
        .put_str("clusterName", c.name.clone())
        .put_str("createdAt", cal(sim, fp.created_at).aws_cli())
        .put_str("podExecutionRoleArn", fp.pod_execution_role_arn.clone())
        .put("subnets", Val::strs(&fp.subnets))
        .put("selectors", selectors)
        .put_str("status", fp.status.as_str())
        .put("tags", Obj::new().build())
        .put(
            "health",
            Obj::new().put("issues", Val::Seq(Vec::new())).build(),
        )
        .build();
    Obj::new().put("fargateProfile", doc).build()
}

/// `aws eks describe-fargate-profile --cluster-name <c> --fargate-profile-name <name>`.
pub fn describe_fargate_profile(sim: &Simulation, name: &str) -> Option<String> {
    let fp = sim.state().fargate_profiles.get(name)?;
    Some(to_json(&fargate_profile_doc(sim, fp)))
}
