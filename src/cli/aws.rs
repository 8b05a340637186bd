//! The AWS CLI commands the lab runs: the EKS update operations and the Auto Scaling group's
//! `terminate-instance-in-auto-scaling-group`.
//!
//! ```text
//! aws eks update-cluster-version --name lab --kubernetes-version 1.35
//! aws eks update-nodegroup-version --cluster-name lab --nodegroup-name ng-1 [--kubernetes-version 1.35] [--force]
//! aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config maxUnavailable=2,updateStrategy=MINIMAL
//! aws eks update-addon --cluster-name lab --addon-name coredns [--addon-version V] [--resolve-conflicts OVERWRITE]
//! aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-0abc --no-should-decrement-desired-capacity
//! ```
//!
//! Messages follow the AWS CLI: its argument parser says `aws: error: the following arguments
//! are required: --name`, `Unknown options: --x`, and botocore's client-side validation says
//! `Parameter validation failed:`; what the service refuses reads `An error occurred (Code)
//! when calling the Operation operation: ...`. The read-only operations (`describe-cluster`,
//! `list-updates`, `describe-update`, `describe-nodegroup`) are answered by the console
//! (`view::console`), not by this parser.

use super::{Args, CommandContext, Flag, Tool, Verb, addon_name, flag, kubernetes_version, switch};
use crate::sim::command::Command;
use crate::sim::eks::{NodegroupUpdateConfig, UpdateStrategy};

/// Options every AWS CLI command takes (the ones learners type; all are accepted and ignored).
pub(super) const GLOBAL_FLAGS: &[Flag] = &[
    flag("region", None),
    flag("output", None),
    flag("profile", None),
    switch("no-cli-pager", None),
];

pub(super) const VERBS: &[Verb] = &[
    Verb {
        tool: Tool::Aws,
        path: &["eks", "update-cluster-version"],
        flags: &[
            flag("name", None),
            flag("kubernetes-version", None),
            // `--force` skips the upgrade insights checks, which the lab does not model.
            switch("force", None),
            switch("no-force", None),
        ],
        build: update_cluster_version,
    },
    Verb {
        tool: Tool::Aws,
        path: &["eks", "update-nodegroup-version"],
        flags: &[
            flag("cluster-name", None),
            flag("nodegroup-name", None),
            flag("kubernetes-version", None),
            flag("release-version", None),
            flag("launch-template", None),
            switch("force", None),
            switch("no-force", None),
        ],
        build: update_nodegroup_version,
    },
    Verb {
        tool: Tool::Aws,
        path: &["eks", "update-nodegroup-config"],
        flags: &[
            flag("cluster-name", None),
            flag("nodegroup-name", None),
            flag("update-config", None),
            flag("scaling-config", None),
            flag("labels", None),
            flag("taints", None),
        ],
        build: update_nodegroup_config,
    },
    Verb {
        tool: Tool::Aws,
        path: &["eks", "update-addon"],
        flags: &[
            flag("cluster-name", None),
            flag("addon-name", None),
            flag("addon-version", None),
            flag("resolve-conflicts", None),
        ],
        build: update_addon,
    },
    Verb {
        tool: Tool::Aws,
        path: &["autoscaling", "terminate-instance-in-auto-scaling-group"],
        flags: &[
            flag("instance-id", None),
            switch("should-decrement-desired-capacity", None),
            switch("no-should-decrement-desired-capacity", None),
        ],
        build: terminate_instance,
    },
];

/// Operations the console answers from the simulation (read-only), by service.
pub(crate) const QUERIES: &[(&str, &str)] = &[
    ("eks", "describe-cluster"),
    ("eks", "describe-nodegroup"),
    ("eks", "describe-update"),
    ("eks", "list-updates"),
];

/// Real operations the lab does not run.
const NOT_MODELLED: &[(&str, &str)] = &[
    ("eks", "create-cluster"),
    ("eks", "delete-cluster"),
    ("eks", "list-clusters"),
    ("eks", "update-cluster-config"),
    ("eks", "create-nodegroup"),
    ("eks", "delete-nodegroup"),
    ("eks", "list-nodegroups"),
    ("eks", "create-addon"),
    ("eks", "delete-addon"),
    ("eks", "describe-addon"),
    ("eks", "list-addons"),
    ("eks", "describe-addon-versions"),
    ("eks", "create-fargate-profile"),
    ("eks", "delete-fargate-profile"),
    ("eks", "describe-fargate-profile"),
    ("eks", "list-fargate-profiles"),
    ("eks", "update-kubeconfig"),
    ("eks", "list-insights"),
    ("eks", "describe-insight"),
    ("autoscaling", "describe-auto-scaling-groups"),
    ("autoscaling", "set-desired-capacity"),
    ("autoscaling", "update-auto-scaling-group"),
    ("autoscaling", "describe-scaling-activities"),
];

/// `An error occurred (Code) when calling the Operation operation: message`.
fn api_error(operation: &str, code: &str, msg: impl std::fmt::Display) -> String {
    format!("An error occurred ({code}) when calling the {operation} operation: {msg}")
}

/// botocore's client-side check of the parameters.
fn validation(msg: impl std::fmt::Display) -> String {
    format!("Parameter validation failed:\n{msg}")
}

/// Every required option, named together when several are missing (as argparse does).
fn required<'a, const N: usize>(args: &'a Args, names: [&str; N]) -> Result<[&'a str; N], String> {
    let missing: Vec<String> = names
        .iter()
        .filter(|n| args.value(n).is_none())
        .map(|n| format!("--{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(Tool::Aws.error(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    Ok(names.map(|n| args.value(n).unwrap_or_default()))
}

/// The cluster named must be the lab's.
fn check_cluster(name: &str, ctx: &CommandContext, operation: &str) -> Result<(), String> {
    if name == ctx.cluster {
        Ok(())
    } else {
        Err(api_error(
            operation,
            "ResourceNotFoundException",
            format!(
                "No cluster found for name: {name}. This lab's cluster is {:?}.",
                ctx.cluster
            ),
        ))
    }
}

/// A `--x | --no-x` pair: the last one given wins, as in the AWS CLI.
fn boolean(args: &Args, long: &str) -> Option<bool> {
    let negative = format!("no-{long}");
    args.flags.iter().rev().find_map(|(l, _)| {
        if *l == long {
            Some(true)
        } else if *l == negative {
            Some(false)
        } else {
            None
        }
    })
}

/// Options that are real but that the lab does not model.
fn not_modelled(args: &Args, operation: &str, flags: &[(&str, &str)]) -> Result<(), String> {
    match flags.iter().find(|(f, _)| args.has(f)) {
        Some((f, why)) => Err(Tool::Aws.error(format!(
            "--{f} is not modelled by the lab ({operation}): {why}"
        ))),
        None => Ok(()),
    }
}

fn update_cluster_version(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    const OP: &str = "UpdateClusterVersion";
    let [name, version] = required(args, ["name", "kubernetes-version"])?;
    check_cluster(name, ctx, OP)?;
    let version =
        kubernetes_version(version).map_err(|e| api_error(OP, "InvalidParameterException", e))?;
    Ok(Command::UpgradeCluster {
        version: Some(version),
        approve: true,
    })
}

fn update_nodegroup_version(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    const OP: &str = "UpdateNodegroupVersion";
    let [cluster, name] = required(args, ["cluster-name", "nodegroup-name"])?;
    check_cluster(cluster, ctx, OP)?;
    not_modelled(
        args,
        "update-nodegroup-version",
        &[
            (
                "release-version",
                "a managed node group gets the latest EKS AMI release for its Kubernetes version; set --kubernetes-version",
            ),
            (
                "launch-template",
                "the lab's managed node groups use the launch template EKS creates",
            ),
        ],
    )?;
    let version = args
        .value("kubernetes-version")
        .map(|v| kubernetes_version(v).map_err(|e| api_error(OP, "InvalidParameterException", e)))
        .transpose()?;
    Ok(Command::UpgradeNodegroup {
        name: name.to_string(),
        version,
        force: boolean(args, "force").unwrap_or(false),
    })
}

/// `--update-config` in the AWS CLI's shorthand (`maxUnavailable=2,updateStrategy=MINIMAL`) or
/// as JSON (`{"maxUnavailablePercentage": 25}`).
pub(super) fn parse_update_config(
    text: &str,
) -> Result<(Option<NodegroupUpdateConfig>, Option<UpdateStrategy>), String> {
    const OP: &str = "UpdateNodegroupConfig";
    const KEYS: &str = "maxUnavailable, maxUnavailablePercentage, updateStrategy";
    let t = text.trim();
    let (json, body) = match t.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        Some(b) => (true, b),
        None => (false, t),
    };
    let mut count = None;
    let mut percent = None;
    let mut strategy = None;
    for part in body.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let sep = if json { ':' } else { '=' };
        let Some((k, v)) = part.split_once(sep) else {
            return Err(format!(
                "Error parsing parameter '--update-config': Expected: '{sep}', received: 'EOF' for input: {text}"
            ));
        };
        let key = k.trim().trim_matches('"');
        let value = v.trim().trim_matches('"');
        match key {
            "maxUnavailable" | "maxUnavailablePercentage" => {
                // Python's int(): any size. botocore checks the model's minimum (1); EKS
                // the maximum (the sim's `update_config`, eks-facts §4), named here so that
                // the value fits the API's Integer.
                let n: i128 = value.parse().map_err(|_| {
                    validation(format!(
                        "Invalid type for parameter updateConfig.{key}, value: {value}, type: <class 'str'>, valid types: <class 'int'>"
                    ))
                })?;
                if n < 1 {
                    return Err(validation(format!(
                        "Invalid value for parameter updateConfig.{key}, value: {n}, valid min value: 1"
                    )));
                }
                let max = i128::from(crate::sim::eks::quotas::MAX_UNAVAILABLE_QUOTA);
                let n = i32::try_from(n)
                    .ok()
                    .filter(|n| i128::from(*n) <= max)
                    .ok_or_else(|| {
                        api_error(
                            OP,
                            "InvalidParameterException",
                            format!("{key} must be between 1 and {max}"),
                        )
                    })?;
                if key == "maxUnavailable" {
                    count = Some(n);
                } else {
                    percent = Some(n);
                }
            }
            "updateStrategy" => {
                strategy = Some(UpdateStrategy::parse(value).ok_or_else(|| {
                    api_error(
                        OP,
                        "InvalidParameterException",
                        format!("updateStrategy must be DEFAULT or MINIMAL, not {value:?}"),
                    )
                })?);
            }
            other => {
                return Err(validation(format!(
                    "Unknown parameter in updateConfig: \"{other}\", must be one of: {KEYS}"
                )));
            }
        }
    }
    let config = match (count, percent) {
        (Some(_), Some(_)) => {
            return Err(api_error(
                OP,
                "InvalidParameterException",
                "Only one of maxUnavailable and maxUnavailablePercentage can be specified",
            ));
        }
        (Some(n), None) => Some(NodegroupUpdateConfig::MaxUnavailable(n)),
        (None, Some(p)) => Some(NodegroupUpdateConfig::MaxUnavailablePercentage(p)),
        (None, None) => None,
    };
    if config.is_none() && strategy.is_none() {
        return Err(api_error(
            OP,
            "InvalidParameterException",
            format!("updateConfig is empty: set one of {KEYS}"),
        ));
    }
    Ok((config, strategy))
}

fn update_nodegroup_config(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    const OP: &str = "UpdateNodegroupConfig";
    let [cluster, name] = required(args, ["cluster-name", "nodegroup-name"])?;
    check_cluster(cluster, ctx, OP)?;
    not_modelled(
        args,
        "update-nodegroup-config",
        &[
            (
                "scaling-config",
                "change sizes with eksctl scale nodegroup --name=NG --nodes=N --nodes-min=N --nodes-max=N",
            ),
            (
                "labels",
                "labels are set when a node group is created (eksctl create nodegroup --node-labels)",
            ),
            (
                "taints",
                "taints are set in the ClusterConfig when a node group is created",
            ),
        ],
    )?;
    let text = args.value("update-config").ok_or_else(|| {
        api_error(
            OP,
            "InvalidParameterException",
            "No changes needed: the lab's update-nodegroup-config changes --update-config",
        )
    })?;
    let (update_config, strategy) = parse_update_config(text)?;
    Ok(Command::UpdateNodegroupConfig {
        name: name.to_string(),
        update_config,
        strategy,
    })
}

fn update_addon(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    const OP: &str = "UpdateAddon";
    let [cluster, addon] = required(args, ["cluster-name", "addon-name"])?;
    check_cluster(cluster, ctx, OP)?;
    let name = addon_name(addon).map_err(|e| {
        api_error(
            OP,
            "ResourceNotFoundException",
            format!("No addon: {addon} found in cluster: {cluster} ({e})"),
        )
    })?;
    if let Some(r) = args.value("resolve-conflicts")
        && !["OVERWRITE", "NONE", "PRESERVE"].contains(&r)
    {
        return Err(api_error(
            OP,
            "InvalidParameterException",
            format!("resolveConflicts must be one of OVERWRITE, NONE, PRESERVE, not {r:?}"),
        ));
    }
    Ok(Command::UpdateAddon {
        name,
        version: args.value("addon-version").map(str::to_string),
    })
}

fn terminate_instance(args: &Args, _ctx: &CommandContext) -> Result<Command, String> {
    let decrement = boolean(args, "should-decrement-desired-capacity");
    let mut missing = Vec::new();
    if args.value("instance-id").is_none() {
        missing.push("--instance-id");
    }
    if decrement.is_none() {
        missing
            .push("--should-decrement-desired-capacity | --no-should-decrement-desired-capacity");
    }
    if !missing.is_empty() {
        return Err(Tool::Aws.error(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    Ok(Command::TerminateInstance {
        instance_id: args.value("instance-id").unwrap_or_default().to_string(),
        decrement: decrement.unwrap_or(false),
    })
}

/// Every operation the lab knows for a service, for "Invalid choice" messages.
fn operations(verbs: &[&Verb], service: &str) -> Vec<&'static str> {
    let mut ops: Vec<&'static str> = verbs
        .iter()
        .filter(|v| v.path.first() == Some(&service))
        .filter_map(|v| v.path.get(1).copied())
        .chain(
            QUERIES
                .iter()
                .filter(|(s, _)| *s == service)
                .map(|(_, o)| *o),
        )
        .collect();
    crate::sim::sort::sort(&mut ops);
    ops
}

/// argparse's messages for a missing or unknown service or operation.
pub(super) fn unknown_command(verbs: &[&Verb], positionals: &[String]) -> String {
    let err = |m: String| Tool::Aws.error(m);
    let Some(service) = positionals.first() else {
        return err("the following arguments are required: command".to_string());
    };
    if let Some(msg) = unsupported(positionals) {
        return msg;
    }
    let ops = operations(verbs, service);
    if ops.is_empty() {
        return err(format!(
            "argument command: Invalid choice {service:?}; the lab runs: autoscaling | eks"
        ));
    }
    match positionals.get(1) {
        None => err("the following arguments are required: operation".to_string()),
        Some(op) => err(format!(
            "argument operation: Invalid choice {op:?}; the lab runs: {}",
            ops.join(" | ")
        )),
    }
}

/// Real operations that the lab does not run here: the console's read-only ones (a timeline
/// only changes the lab) and the ones it does not model.
pub(super) fn unsupported(positionals: &[String]) -> Option<String> {
    let [service, op, ..] = positionals else {
        return None;
    };
    let key = (service.as_str(), op.as_str());
    if QUERIES.contains(&key) {
        return Some(Tool::Aws.error(format!(
            "\"aws {service} {op}\" only reads the lab: type it in the console (a timeline entry must change something)"
        )));
    }
    NOT_MODELLED.contains(&key).then(|| {
        Tool::Aws.error(format!(
            "\"aws {service} {op}\" is not supported by the lab yet"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;
    use crate::sim::catalog::{AddonName, KubernetesVersion};

    fn parse(line: &str) -> Result<Command, String> {
        parse_command(line, &CommandContext::new("lab"))
    }

    #[test]
    fn eks_update_operations() {
        assert_eq!(
            parse("aws eks update-cluster-version --name lab --kubernetes-version 1.35"),
            Ok(Command::UpgradeCluster {
                version: Some(KubernetesVersion::new(35)),
                approve: true
            })
        );
        assert_eq!(
            parse(
                "aws eks update-nodegroup-version --cluster-name lab --nodegroup-name ng-1 --force --region us-east-1"
            ),
            Ok(Command::UpgradeNodegroup {
                name: "ng-1".into(),
                version: None,
                force: true
            })
        );
        assert_eq!(
            parse(
                "aws eks update-nodegroup-version --cluster-name=lab --nodegroup-name=ng-1 --kubernetes-version=1.34 --force --no-force"
            ),
            Ok(Command::UpgradeNodegroup {
                name: "ng-1".into(),
                version: Some(KubernetesVersion::new(34)),
                force: false
            })
        );
        assert_eq!(
            parse(
                "aws eks update-addon --cluster-name lab --addon-name coredns --addon-version v1.13.2-eksbuild.4 --resolve-conflicts OVERWRITE"
            ),
            Ok(Command::UpdateAddon {
                name: AddonName::CoreDns,
                version: Some("v1.13.2-eksbuild.4".into())
            })
        );
        assert_eq!(
            parse(
                "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-0abc --should-decrement-desired-capacity"
            ),
            Ok(Command::TerminateInstance {
                instance_id: "i-0abc".into(),
                decrement: true
            })
        );
    }

    #[test]
    fn update_config_shorthand_and_json() {
        let want = Ok((
            Some(NodegroupUpdateConfig::MaxUnavailable(2)),
            Some(UpdateStrategy::Minimal),
        ));
        assert_eq!(
            parse_update_config("maxUnavailable=2,updateStrategy=MINIMAL"),
            want
        );
        assert_eq!(
            parse_update_config(r#"{"maxUnavailable": 2, "updateStrategy": "MINIMAL"}"#),
            want
        );
        assert_eq!(
            parse_update_config("maxUnavailablePercentage=25"),
            Ok((
                Some(NodegroupUpdateConfig::MaxUnavailablePercentage(25)),
                None
            ))
        );
        assert_eq!(
            parse_update_config("updateStrategy=DEFAULT"),
            Ok((None, Some(UpdateStrategy::Default)))
        );
        assert_eq!(
            parse_update_config("maxUnavailable=two"),
            Err("Parameter validation failed:\nInvalid type for parameter updateConfig.maxUnavailable, value: two, type: <class 'str'>, valid types: <class 'int'>".into())
        );
        assert_eq!(
            parse_update_config("maxUnavailable=0"),
            Err("Parameter validation failed:\nInvalid value for parameter updateConfig.maxUnavailable, value: 0, valid min value: 1".into())
        );
        assert_eq!(
            parse_update_config("maxSurge=1"),
            Err("Parameter validation failed:\nUnknown parameter in updateConfig: \"maxSurge\", must be one of: maxUnavailable, maxUnavailablePercentage, updateStrategy".into())
        );
        assert_eq!(
            parse_update_config("updateStrategy=FAST"),
            Err("An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: updateStrategy must be DEFAULT or MINIMAL, not \"FAST\"".into())
        );
        assert_eq!(
            parse_update_config("maxUnavailable=1,maxUnavailablePercentage=10"),
            Err("An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: Only one of maxUnavailable and maxUnavailablePercentage can be specified".into())
        );
        assert_eq!(
            parse_update_config("maxUnavailable"),
            Err("Error parsing parameter '--update-config': Expected: '=', received: 'EOF' for input: maxUnavailable".into())
        );
    }

    #[test]
    fn mistakes_read_like_the_aws_cli() {
        let known = crate::sim::catalog::versions::known_versions();
        for (line, want) in [
            (
                "aws eks update-cluster-version",
                "aws: error: the following arguments are required: --name, --kubernetes-version".to_string(),
            ),
            (
                "aws eks update-cluster-version --name lab",
                "aws: error: the following arguments are required: --kubernetes-version".into(),
            ),
            (
                "aws eks update-cluster-version --name prod --kubernetes-version 1.35",
                "An error occurred (ResourceNotFoundException) when calling the UpdateClusterVersion operation: No cluster found for name: prod. This lab's cluster is \"lab\".".into(),
            ),
            (
                "aws eks update-cluster-version --name lab --kubernetes-version 1.99",
                format!("An error occurred (InvalidParameterException) when calling the UpdateClusterVersion operation: invalid version \"1.99\": EKS versions the lab knows are {known}"),
            ),
            (
                "aws eks update-cluster-version --name lab --kubernetes-version 1.35 --bogus",
                "aws: error: Unknown options: --bogus".into(),
            ),
            (
                "aws eks update-cluster-version lab --kubernetes-version 1.35",
                "aws: error: Unknown options: lab".into(),
            ),
            (
                "aws eks update-cluster-version --kubernetes-version 1.35 --name",
                "aws: error: argument --name: expected one argument".into(),
            ),
            (
                "aws eks update-nodegroup-version --cluster-name lab",
                "aws: error: the following arguments are required: --nodegroup-name".into(),
            ),
            (
                "aws eks update-nodegroup-version --cluster-name lab --nodegroup-name ng-1 --release-version 1.35.0-20260701",
                "aws: error: --release-version is not modelled by the lab (update-nodegroup-version): a managed node group gets the latest EKS AMI release for its Kubernetes version; set --kubernetes-version".into(),
            ),
            (
                "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --scaling-config minSize=1",
                "aws: error: --scaling-config is not modelled by the lab (update-nodegroup-config): change sizes with eksctl scale nodegroup --name=NG --nodes=N --nodes-min=N --nodes-max=N".into(),
            ),
            (
                "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1",
                "An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: No changes needed: the lab's update-nodegroup-config changes --update-config".into(),
            ),
            (
                "aws eks update-addon --cluster-name lab --addon-name kube-dns",
                "An error occurred (ResourceNotFoundException) when calling the UpdateAddon operation: No addon: kube-dns found in cluster: lab (unknown add-on \"kube-dns\": the lab models vpc-cni, kube-proxy, coredns, metrics-server)".into(),
            ),
            (
                "aws eks update-addon --cluster-name lab --addon-name coredns --resolve-conflicts overwrite",
                "An error occurred (InvalidParameterException) when calling the UpdateAddon operation: resolveConflicts must be one of OVERWRITE, NONE, PRESERVE, not \"overwrite\"".into(),
            ),
            (
                "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-0abc",
                "aws: error: the following arguments are required: --should-decrement-desired-capacity | --no-should-decrement-desired-capacity".into(),
            ),
            (
                "aws autoscaling terminate-instance-in-auto-scaling-group",
                "aws: error: the following arguments are required: --instance-id, --should-decrement-desired-capacity | --no-should-decrement-desired-capacity".into(),
            ),
            ("aws", "aws: error: the following arguments are required: command".into()),
            ("aws eks", "aws: error: the following arguments are required: operation".into()),
            (
                "aws s3 ls",
                "aws: error: argument command: Invalid choice \"s3\"; the lab runs: autoscaling | eks".into(),
            ),
            (
                "aws eks upgrade-cluster --name lab",
                "aws: error: argument operation: Invalid choice \"upgrade-cluster\"; the lab runs: describe-cluster | describe-nodegroup | describe-update | list-updates | update-addon | update-cluster-version | update-nodegroup-config | update-nodegroup-version".into(),
            ),
            (
                "aws eks list-updates --name lab --nodegroup-name ng-1",
                "aws: error: \"aws eks list-updates\" only reads the lab: type it in the console (a timeline entry must change something)".into(),
            ),
            (
                "aws eks describe-update --name lab --update-id 1234",
                "aws: error: \"aws eks describe-update\" only reads the lab: type it in the console (a timeline entry must change something)".into(),
            ),
            (
                "aws eks create-cluster --name lab",
                "aws: error: \"aws eks create-cluster\" is not supported by the lab yet".into(),
            ),
        ] {
            assert_eq!(parse(line), Err(want), "{line}");
        }
    }
}
