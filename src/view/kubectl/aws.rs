//! The AWS CLI's read-only EKS operations on the lab: `describe-cluster`, `list-updates` and
//! `describe-update` (for the cluster, a managed node group or an add-on), and
//! `describe-nodegroup`, as JSON the way the AWS CLI prints it (keys in response order).
//!
//! Errors read like the CLI's report of a service error: `An error occurred
//! (ResourceNotFoundException) when calling the DescribeUpdate operation: ...`.

use crate::sim::Simulation;
use crate::sim::catalog::AddonName;
use crate::sim::eks::{LogType, NodegroupKind, Update, UpdateTarget};

use super::cal;
use super::doc::{Obj, Val, to_json};
use super::eksctl::{ACCOUNT, nodegroup_doc, security_group_id, vpc_id};
use super::facts::hex;

/// What `list-updates` and `describe-update` look at: the cluster itself
/// (`--name` alone), one node group (`--nodegroup-name`) or one add-on (`--addon-name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateScope<'a> {
    Cluster,
    Nodegroup(&'a str),
    Addon(&'a str),
}

fn api_error(operation: &str, code: &str, msg: impl std::fmt::Display) -> String {
    format!("An error occurred ({code}) when calling the {operation} operation: {msg}")
}

/// The cluster `name` must be the lab's.
fn check_cluster(sim: &Simulation, name: &str, operation: &str) -> Result<(), String> {
    if name == sim.state().cluster.name {
        Ok(())
    } else {
        Err(api_error(
            operation,
            "ResourceNotFoundException",
            format!("No cluster found for name: {name}."),
        ))
    }
}

/// The target an update scope stands for, checked to exist.
fn target(
    sim: &Simulation,
    scope: UpdateScope<'_>,
    operation: &str,
) -> Result<UpdateTarget, String> {
    let c = &sim.state().cluster;
    match scope {
        UpdateScope::Cluster => Ok(UpdateTarget::Cluster),
        UpdateScope::Nodegroup(n) => match sim.state().nodegroups.get(n) {
            Some(ng) if ng.kind == NodegroupKind::Managed => {
                Ok(UpdateTarget::Nodegroup(n.to_string()))
            }
            _ => Err(api_error(
                operation,
                "ResourceNotFoundException",
                format!("No node group found for name: {n}."),
            )),
        },
        UpdateScope::Addon(a) => match AddonName::parse(a).and_then(|n| c.addons.get(&n)) {
            Some(addon) if addon.managed => Ok(UpdateTarget::Addon(a.to_string())),
            _ => Err(api_error(
                operation,
                "ResourceNotFoundException",
                format!("No addon: {a} found in cluster: {}", c.name),
            )),
        },
    }
}

/// `aws eks list-updates --name C [--nodegroup-name NG | --addon-name A]`: the update IDs of
/// that resource, oldest first.
pub fn list_updates(
    sim: &Simulation,
    cluster: &str,
    scope: UpdateScope<'_>,
) -> Result<String, String> {
    const OP: &str = "ListUpdates";
    check_cluster(sim, cluster, OP)?;
    let t = target(sim, scope, OP)?;
    let ids: Vec<&str> = sim
        .state()
        .updates
        .iter()
        .filter(|u| u.target == t)
        .map(|u| u.id.as_str())
        .collect();
    Ok(to_json(
        &Obj::new().put("updateIds", Val::strs(ids)).build(),
    ))
}

/// The `DescribeUpdate` response for one update.
pub(super) fn update_doc(sim: &Simulation, u: &Update) -> Val {
    let params = u
        .params
        .iter()
        .map(|(k, v)| {
            Obj::new()
                .put_str("type", *k)
                .put_str("value", v.clone())
                .build()
        })
        .collect();
    let errors = u
        .errors
        .iter()
        .map(|e| {
            Obj::new()
                .put_str("errorCode", e.code.as_str())
                .put_str("errorMessage", e.message.clone())
                .put("resourceIds", Val::strs(&e.resource_ids))
                .build()
        })
        .collect();
    let update = Obj::new()
        .put_str("id", u.id.clone())
        .put_str("status", u.status.as_str())
        .put_str("type", u.type_.as_str())
        .put("params", Val::Seq(params))
        .put_str("createdAt", cal(sim, u.created_at).aws_cli())
        .put("errors", Val::Seq(errors))
        .build();
    Obj::new().put("update", update).build()
}

/// `aws eks describe-update --name C --update-id ID [--nodegroup-name NG | --addon-name A]`.
/// As in EKS, a node group's or an add-on's update is found only with its name.
pub fn describe_update(
    sim: &Simulation,
    cluster: &str,
    scope: UpdateScope<'_>,
    id: &str,
) -> Result<String, String> {
    const OP: &str = "DescribeUpdate";
    check_cluster(sim, cluster, OP)?;
    let t = target(sim, scope, OP)?;
    sim.state()
        .updates
        .iter()
        .find(|u| u.id == id && u.target == t)
        .map(|u| to_json(&update_doc(sim, u)))
        .ok_or_else(|| {
            api_error(
                OP,
                "ResourceNotFoundException",
                format!("No update found for ID: {id}"),
            )
        })
}

/// `aws eks describe-cluster --name C`: the version and platform version, and `UPDATING`
/// while a version update runs (the version changes when it succeeds).
pub fn describe_cluster(sim: &Simulation, cluster: &str) -> Result<String, String> {
    check_cluster(sim, cluster, "DescribeCluster")?;
    let c = &sim.state().cluster;
    let mut subnets: Vec<String> = sim.state().subnets.iter().map(|s| s.id.clone()).collect();
    crate::sim::sort::sort(&mut subnets);
    let (on, off): (Vec<LogType>, Vec<LogType>) = LogType::ALL
        .into_iter()
        .partition(|l| c.logging.contains(l));
    let logging_entry = |types: &[LogType], enabled: bool| {
        Obj::new()
            .put("types", Val::strs(types.iter().map(|t| t.as_str())))
            .put("enabled", Val::bool(enabled))
            .build()
    };
    let mut logging = Vec::new();
    if !on.is_empty() {
        logging.push(logging_entry(&on, true));
    }
    if !off.is_empty() {
        logging.push(logging_entry(&off, false));
    }
    let id = hex(&format!("{}/endpoint", c.name), 32).to_uppercase();
    let endpoint_access = &c.endpoint_access;
    let doc = Obj::new()
        .put_str("name", c.name.clone())
        .put_str(
            "arn",
            format!("arn:aws:eks:{}:{ACCOUNT}:cluster/{}", c.region, c.name),
        )
        .put_str("createdAt", cal(sim, c.created_at).aws_cli())
        .put_str("version", c.version.to_string())
        .put_str(
            "endpoint",
            format!("https://{id}.gr7.{}.eks.amazonaws.com", c.region),
        )
        .put_str(
            "roleArn",
            format!(
                "arn:aws:iam::{ACCOUNT}:role/eksctl-{}-cluster-ServiceRole-{}",
                c.name,
                hex(&format!("{}/service-role", c.name), 12).to_uppercase()
            ),
        )
        .put(
            "resourcesVpcConfig",
            Obj::new()
                .put("subnetIds", Val::strs(subnets))
                .put("securityGroupIds", Val::Seq(Vec::new()))
                .put_str("clusterSecurityGroupId", security_group_id(sim))
                .put_str("vpcId", vpc_id(sim))
                .put("endpointPublicAccess", Val::bool(endpoint_access.public))
                .put("endpointPrivateAccess", Val::bool(endpoint_access.private))
                .put(
                    "publicAccessCidrs",
                    Val::strs(&endpoint_access.public_access_cidrs),
                )
                .build(),
        )
        .put(
            "kubernetesNetworkConfig",
            Obj::new()
                .put_str("serviceIpv4Cidr", "10.100.0.0/16")
                .put_str("ipFamily", "ipv4")
                .build(),
        )
        .put(
            "logging",
            Obj::new().put("clusterLogging", Val::Seq(logging)).build(),
        )
        .put(
            "identity",
            Obj::new()
                .put(
                    "oidc",
                    Obj::new()
                        .put_str(
                            "issuer",
                            format!("https://oidc.eks.{}.amazonaws.com/id/{id}", c.region),
                        )
                        .build(),
                )
                .build(),
        )
        .put_str("status", c.status.as_str())
        .put_str("platformVersion", format!("eks.{}", c.platform_version))
        .put("tags", Val::string_map(&c.tags))
        .put(
            "health",
            Obj::new().put("issues", Val::Seq(Vec::new())).build(),
        )
        .put(
            "accessConfig",
            Obj::new()
                .put_str("authenticationMode", c.authentication_mode.as_str())
                .build(),
        )
        .put(
            "upgradePolicy",
            Obj::new()
                .put_str("supportType", c.support_type.as_str())
                .build(),
        )
        .build();
    Ok(to_json(&Obj::new().put("cluster", doc).build()))
}

/// `aws eks describe-nodegroup --cluster-name C --nodegroup-name NG`: managed node groups
/// only; a self-managed group is an Auto Scaling group EKS does not know.
pub fn describe_nodegroup_cli(
    sim: &Simulation,
    cluster: &str,
    name: &str,
) -> Result<String, String> {
    const OP: &str = "DescribeNodegroup";
    check_cluster(sim, cluster, OP)?;
    match sim.state().nodegroups.get(name) {
        Some(ng) if ng.kind == NodegroupKind::Managed => Ok(to_json(&nodegroup_doc(sim, ng))),
        Some(ng) => Err(api_error(
            OP,
            "ResourceNotFoundException",
            format!(
                "No node group found for name: {name}. ({name} is self-managed: its Auto Scaling group is {})",
                ng.asg_name()
            ),
        )),
        None => Err(api_error(
            OP,
            "ResourceNotFoundException",
            format!("No node group found for name: {name}."),
        )),
    }
}
