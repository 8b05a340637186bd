//! The eksctl commands the lab runs: scale/create/delete nodegroup, create/delete
//! fargateprofile, upgrade cluster/nodegroup, create/update addon, and the `utils` updates of
//! cluster logging, endpoint access and the self-managed add-ons.

use super::{
    Args, CommandContext, Flag, Tool, Verb, addon_name, flag, kubernetes_version, parse_pairs,
    switch,
};
use crate::scenario::eksctl::nodegroup::{
    AMI_FAMILIES, SizeField, VOLUME_TYPES, check_instance_type, check_name, check_size_order,
    managed_max_size, max_pods_per_node, size, sizes, volume_size,
};
use crate::scenario::eksctl::parse_cidr;
use crate::sim::catalog::AddonName;
use crate::sim::command::Command;
use crate::sim::eks::{FargateProfileSelector, LogType};
use crate::sim::spec::{FargateProfileSpec, NodegroupSpec};

pub(super) const GLOBAL_FLAGS: &[Flag] = &[flag("region", Some('r')), flag("cluster", Some('c'))];

const NODEGROUP: &str = "nodegroup|nodegroups|ng";
const FARGATE: &str = "fargateprofile|fargateprofiles|fp";
const ADDON: &str = "addon|addons";

pub(super) const VERBS: &[Verb] = &[
    Verb {
        tool: Tool::Eksctl,
        path: &["scale", NODEGROUP],
        flags: &[
            flag("name", Some('n')),
            flag("nodes", Some('N')),
            flag("nodes-min", Some('m')),
            flag("nodes-max", Some('M')),
            switch("wait", Some('w')),
        ],
        build: scale_nodegroup,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["create", NODEGROUP],
        flags: &[
            flag("name", Some('n')),
            flag("node-type", Some('t')),
            flag("nodes", Some('N')),
            flag("nodes-min", Some('m')),
            flag("nodes-max", Some('M')),
            switch("managed", None),
            switch("spot", None),
            flag("instance-types", None),
            flag("node-labels", None),
            flag("node-volume-size", None),
            flag("node-volume-type", None),
            flag("node-ami-family", None),
            switch("node-private-networking", Some('P')),
            flag("node-zones", None),
            flag("max-pods-per-node", None),
            flag("version", None),
        ],
        build: create_nodegroup,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["delete", NODEGROUP],
        flags: &[
            flag("name", Some('n')),
            switch("wait", Some('w')),
            switch("approve", None),
            switch("drain", None),
        ],
        build: delete_nodegroup,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["create", FARGATE],
        flags: &[
            flag("name", Some('n')),
            flag("namespace", None),
            flag("labels", Some('l')),
        ],
        build: create_fargate_profile,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["delete", FARGATE],
        flags: &[flag("name", Some('n')), switch("wait", Some('w'))],
        build: delete_fargate_profile,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["utils", "update-cluster-logging"],
        flags: &[
            flag("enable-types", None),
            flag("disable-types", None),
            switch("approve", None),
        ],
        build: update_logging,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["utils", "update-cluster-vpc-config"],
        flags: &[
            switch("public-access", None),
            switch("private-access", None),
            flag("public-access-cidrs", None),
            switch("approve", None),
        ],
        build: update_vpc_config,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["upgrade", "cluster"],
        flags: &[
            flag("name", Some('n')),
            flag("version", None),
            switch("approve", None),
            switch("wait", Some('w')),
        ],
        build: upgrade_cluster,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["upgrade", NODEGROUP],
        flags: &[
            flag("name", Some('n')),
            flag("kubernetes-version", None),
            switch("force-upgrade", None),
            flag("launch-template-version", None),
            flag("release-version", None),
            switch("wait", Some('w')),
        ],
        build: upgrade_nodegroup,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["update", ADDON],
        flags: &[
            flag("name", Some('n')),
            flag("version", None),
            switch("force", None),
            switch("wait", Some('w')),
        ],
        build: update_addon,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["create", ADDON],
        flags: &[
            flag("name", Some('n')),
            flag("version", None),
            switch("force", None),
            switch("wait", Some('w')),
        ],
        build: create_addon,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["utils", "update-aws-node"],
        flags: &[switch("approve", None)],
        build: update_aws_node,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["utils", "update-kube-proxy"],
        flags: &[switch("approve", None)],
        build: update_kube_proxy,
    },
    Verb {
        tool: Tool::Eksctl,
        path: &["utils", "update-coredns"],
        flags: &[switch("approve", None)],
        build: update_coredns,
    },
];

fn err(msg: impl std::fmt::Display) -> String {
    Tool::Eksctl.error(msg)
}

/// `--cluster` must name the lab's cluster.
fn check_cluster(args: &Args, ctx: &CommandContext) -> Result<(), String> {
    let c = args.required("cluster")?;
    if c == ctx.cluster {
        Ok(())
    } else {
        Err(err(format!(
            "cluster {c:?} not found (this lab's cluster is {:?})",
            ctx.cluster
        )))
    }
}

/// The resource name: `--name` or a single positional word.
fn resource_name(args: &Args) -> Result<String, String> {
    match (args.value("name"), args.positionals.as_slice()) {
        (Some(n), []) => Ok(n.to_string()),
        (None, [n]) => Ok(n.clone()),
        (Some(_), [_, ..]) => Err(err(
            "--name=<name> and argument <name> cannot be used at the same time",
        )),
        (None, []) => Err(err("--name must be set")),
        (None, [_, ..]) => Err(err("only one name can be given")),
    }
}

/// eksctl's `--nodes`, `--nodes-min` and `--nodes-max` (`fs.IntP`: Go ints), each within the
/// lab's node group limit, shown as written.
fn size_flags(args: &Args) -> Result<[Option<i64>; 3], String> {
    let mut out = [None; 3];
    for (slot, field) in out
        .iter_mut()
        .zip([SizeField::Desired, SizeField::Min, SizeField::Max])
    {
        let flag = field.flag();
        if let Some(v) = args.int(flag)? {
            crate::limits::check::nodegroup_size(i128::from(v), format_args!("--{flag}={v}"))
                .map_err(err)?;
            *slot = Some(v);
        }
    }
    Ok(out)
}

/// `eksctl scale nodegroup`: eksctl's `validateNumberOfNodesCLI` (pkg/ctl/cmdutils/scale.go),
/// in its order and words, then the lab's node group limit.
fn scale_nodegroup(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let name = resource_name(args)?;
    let [desired, min, max] = size_flags(args)?;
    if desired.is_none() && min.is_none() && max.is_none() {
        return Err(err(
            "at least one of minimum, maximum and desired nodes must be set",
        ));
    }
    let negative = |v: Option<i64>| v.is_some_and(|v| v < 0);
    if negative(desired) {
        return Err(err("number of nodes must be 0 or greater"));
    }
    if negative(min) {
        return Err(err("minimum of nodes must be 0 or greater"));
    }
    if negative(max) {
        return Err(err("maximum of nodes must be 0 or greater"));
    }
    if let (Some(mx), Some(mn)) = (max, min)
        && mx < mn
    {
        return Err(err(
            "maximum number of nodes must be greater than minimum number of nodes",
        ));
    }
    if let (Some(mx), Some(d)) = (max, desired)
        && mx < d
    {
        return Err(err(
            "maximum number of nodes must be greater than or equal to number of nodes",
        ));
    }
    if let (Some(mn), Some(d)) = (min, desired)
        && mn > d
    {
        return Err(err(
            "minimum number of nodes must be fewer than or equal to number of nodes",
        ));
    }
    // Within 0..=MAX_NODEGROUP_SIZE now, so each is an int32 as the EKS API has it.
    let narrow = |v: Option<i64>| v.and_then(|v| i32::try_from(v).ok());
    Ok(Command::ScaleNodegroup {
        name,
        desired: narrow(desired),
        min: narrow(min),
        max: narrow(max),
    })
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn create_nodegroup(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let name = args
        .value("name")
        .map(str::to_string)
        .map_or_else(|| resource_name(args), Ok)?;
    check_name(&name).map_err(err)?;
    let managed = args.switch("managed", true)?;
    let mut ng = if managed {
        NodegroupSpec::managed(&name)
    } else {
        NodegroupSpec::self_managed(&name)
    };
    ng.spot = args.switch("spot", false)?;
    if ng.spot && !managed {
        return Err(err(
            "--spot is only valid with managed nodegroups (--managed)",
        ));
    }
    match (args.value("node-type"), args.value("instance-types")) {
        (Some(_), Some(_)) => {
            return Err(err(
                "--node-type and --instance-types cannot be used at the same time",
            ));
        }
        (Some(t), None) => ng.instance_types = vec![t.to_string()],
        (None, Some(ts)) => {
            if !managed {
                return Err(err(
                    "--instance-types is only valid with managed nodegroups (--managed)",
                ));
            }
            ng.instance_types = list(ts);
        }
        (None, None) => {}
    }
    for t in &ng.instance_types {
        check_instance_type(t).map_err(err)?;
    }
    let [d, mn, mx] = size_flags(args)?;
    let mut given = [None; 3];
    for ((slot, v), field) in
        given
            .iter_mut()
            .zip([d, mn, mx])
            .zip([SizeField::Desired, SizeField::Min, SizeField::Max])
    {
        if let Some(v) = v {
            *slot = Some(size(field, v, format_args!("--{}={v}", field.flag())).map_err(err)?);
        }
    }
    let [d, mn, mx] = given;
    check_size_order(managed, d, mn, mx).map_err(|(_, e)| err(e))?;
    let (min, desired, max) = sizes(d, mn, mx);
    if managed {
        managed_max_size(max).map_err(err)?;
    }
    (ng.min_size, ng.desired_capacity, ng.max_size) = (min, desired, max);
    if let Some(l) = args.value("node-labels") {
        ng.labels = parse_pairs(Tool::Eksctl, "node-labels", l)?;
    }
    if let Some(v) = args.int("node-volume-size")? {
        ng.volume_size_gib = volume_size(v, format_args!("--node-volume-size={v}"))
            .map_err(|e| err(format!("--node-volume-size: {e}")))?;
    }
    let pick = |flag: &str, allowed: &[&str], target: &mut String| -> Result<(), String> {
        if let Some(v) = args.value(flag) {
            if !allowed.contains(&v) {
                return Err(err(format!(
                    "invalid --{flag} {v:?}: use one of {}",
                    allowed.join(", ")
                )));
            }
            *target = v.to_string();
        }
        Ok(())
    };
    pick("node-volume-type", VOLUME_TYPES, &mut ng.volume_type)?;
    pick("node-ami-family", AMI_FAMILIES, &mut ng.ami_family)?;
    ng.private_networking = args.switch("node-private-networking", false)?;
    if let Some(z) = args.value("node-zones") {
        ng.zones = list(z);
    }
    if let Some(m) = args.int("max-pods-per-node")? {
        let path = if managed {
            "managedNodeGroups[0]"
        } else {
            "nodeGroups[0]"
        };
        ng.max_pods_per_node =
            max_pods_per_node(m, format_args!("--max-pods-per-node={m}"), path).map_err(err)?;
    }
    if let Some(v) = args.value("version") {
        ng.version = Some(kubernetes_version(v).map_err(err)?);
    }
    Ok(Command::CreateNodegroup(ng))
}

fn delete_nodegroup(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    if !args.switch("drain", true)? {
        return Err(err(
            "--drain=false is not supported by the lab: deleting a node group always drains it",
        ));
    }
    Ok(Command::DeleteNodegroup {
        name: resource_name(args)?,
    })
}

fn create_fargate_profile(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let name = resource_name(args)?;
    let namespace = args.value("namespace").ok_or_else(|| {
        err("invalid Fargate profile: empty selector namespace (set --namespace)")
    })?;
    let labels = args
        .value("labels")
        .map(|l| parse_pairs(Tool::Eksctl, "labels", l))
        .transpose()?
        .unwrap_or_default();
    Ok(Command::CreateFargateProfile(FargateProfileSpec {
        name,
        selectors: vec![FargateProfileSelector {
            namespace: namespace.to_string(),
            labels,
        }],
        subnets: Vec::new(),
    }))
}

fn delete_fargate_profile(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    Ok(Command::DeleteFargateProfile {
        name: resource_name(args)?,
    })
}

fn log_types(flag: &str, text: &str) -> Result<Vec<LogType>, String> {
    let mut out = Vec::new();
    for t in list(text) {
        let add: Vec<LogType> = if t == "all" || t == "*" {
            LogType::ALL.to_vec()
        } else {
            vec![LogType::parse(&t).ok_or_else(|| {
                err(format!("unknown log type {t:?} in --{flag}: use api, audit, authenticator, controllerManager, scheduler or all"))
            })?]
        };
        for l in add {
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    Ok(out)
}

fn update_logging(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let enable = args
        .value("enable-types")
        .map(|t| log_types("enable-types", t))
        .transpose()?
        .unwrap_or_default();
    let disable = args
        .value("disable-types")
        .map(|t| log_types("disable-types", t))
        .transpose()?
        .unwrap_or_default();
    if enable.is_empty() && disable.is_empty() {
        return Err(err(
            "at least one of --enable-types and --disable-types must be set",
        ));
    }
    if let Some(both) = enable.iter().find(|l| disable.contains(l)) {
        return Err(err(format!(
            "log type {:?} cannot be both enabled and disabled",
            both.as_str()
        )));
    }
    Ok(Command::UpdateClusterLogging { enable, disable })
}

fn update_vpc_config(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    if let Some(c) = args.value("public-access-cidrs") {
        for cidr in list(c) {
            parse_cidr(&cidr).map_err(err)?;
        }
        return Err(err(
            "--public-access-cidrs is not supported by the lab; set vpc.publicAccessCIDRs in the ClusterConfig",
        ));
    }
    if !args.has("public-access") || !args.has("private-access") {
        return Err(err(
            "the lab needs both --public-access and --private-access (true or false)",
        ));
    }
    let public = args.switch("public-access", true)?;
    let private = args.switch("private-access", false)?;
    if !public && !private {
        return Err(err(
            "at least one of public and private endpoint access must be enabled",
        ));
    }
    Ok(Command::UpdateEndpointAccess { public, private })
}

/// `eksctl upgrade cluster`: the cluster is `--name`, `--cluster` or the one argument.
fn upgrade_cluster(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let by_name = match (args.value("name"), args.positionals.as_slice()) {
        (Some(n), []) => Some(n.to_string()),
        (None, [n]) => Some(n.clone()),
        (None, []) => None,
        (Some(n), [a, ..]) => {
            return Err(err(format!(
                "--name={n} and argument {a} cannot be used at the same time"
            )));
        }
        (None, [_, ..]) => return Err(err("only one cluster name can be given")),
    };
    let name = match (by_name, args.value("cluster")) {
        (Some(a), Some(b)) if a != b => {
            return Err(err(format!(
                "--name={a} and --cluster={b} name different clusters"
            )));
        }
        (Some(a), _) => a,
        (None, Some(b)) => b.to_string(),
        (None, None) => return Err(err("--name must be set")),
    };
    if name != ctx.cluster {
        return Err(err(format!(
            "cluster {name:?} not found (this lab's cluster is {:?})",
            ctx.cluster
        )));
    }
    // eksctl's default target is the next minor version (`--version=auto` says so too).
    let version = match args.value("version") {
        None | Some("auto") => None,
        Some(v) => Some(kubernetes_version(v).map_err(err)?),
    };
    Ok(Command::UpgradeCluster {
        version,
        approve: args.switch("approve", false)?,
    })
}

fn upgrade_nodegroup(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let name = resource_name(args)?;
    if args.has("launch-template-version") {
        return Err(err(
            "--launch-template-version is not modelled by the lab: managed node groups use the launch template EKS creates; upgrade with --kubernetes-version",
        ));
    }
    if args.has("release-version") {
        return Err(err(
            "--release-version is not modelled by the lab: a node group gets the latest EKS AMI release for its Kubernetes version; upgrade with --kubernetes-version",
        ));
    }
    let version = args
        .value("kubernetes-version")
        .map(|v| kubernetes_version(v).map_err(err))
        .transpose()?;
    Ok(Command::UpgradeNodegroup {
        name,
        version,
        force: args.switch("force-upgrade", false)?,
    })
}

fn addon(args: &Args) -> Result<AddonName, String> {
    addon_name(&resource_name(args)?).map_err(err)
}

/// `eksctl update addon`; `--force` (overwrite conflicting fields) is accepted: the lab's
/// add-on updates always take over the fields they manage.
fn update_addon(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    let name = addon(args)?;
    args.switch("force", false)?;
    Ok(Command::UpdateAddon {
        name,
        version: args.value("version").map(str::to_string),
    })
}

fn create_addon(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    Ok(Command::CreateAddon {
        name: addon(args)?,
        version: args.value("version").map(str::to_string),
        force: args.switch("force", false)?,
    })
}

fn update_self_managed(
    args: &Args,
    ctx: &CommandContext,
    name: AddonName,
) -> Result<Command, String> {
    check_cluster(args, ctx)?;
    if let Some(extra) = args.positionals.first() {
        return Err(err(format!("unexpected argument {extra:?}")));
    }
    Ok(Command::UpdateSelfManagedAddon {
        name,
        approve: args.switch("approve", false)?,
    })
}

fn update_aws_node(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    update_self_managed(args, ctx, AddonName::VpcCni)
}

fn update_kube_proxy(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    update_self_managed(args, ctx, AddonName::KubeProxy)
}

fn update_coredns(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    update_self_managed(args, ctx, AddonName::CoreDns)
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;
    use crate::sim::eks::NodegroupKind;

    fn parse(line: &str) -> Result<Command, String> {
        parse_command(line, &CommandContext::new("lab"))
    }

    #[test]
    fn scale_nodegroup_forms() {
        let want = Command::ScaleNodegroup {
            name: "ng-1".into(),
            desired: Some(5),
            min: None,
            max: Some(6),
        };
        assert_eq!(
            parse("eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=5 --nodes-max=6"),
            Ok(want.clone())
        );
        assert_eq!(parse("eksctl scale ng ng-1 -c lab -N 5 -M 6"), Ok(want));
        // pflag's error for an `IntP` flag with a shorthand (spf13/pflag v1.0.10).
        assert_eq!(
            parse("eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=x"),
            Err("Error: invalid argument \"x\" for \"-N, --nodes\" flag: strconv.ParseInt: parsing \"x\": invalid syntax".into())
        );
        assert!(
            parse("eksctl scale nodegroup --cluster=other --name=ng-1 --nodes=1")
                .unwrap_err()
                .starts_with("Error: cluster \"other\" not found")
        );
        assert_eq!(
            parse("eksctl scale nodegroup --name=ng-1 --nodes=1"),
            Err("Error: --cluster must be set".into())
        );
        assert!(
            parse("eksctl scale nodegroup --cluster=lab --name=ng-1")
                .unwrap_err()
                .contains("at least one")
        );
    }

    #[test]
    fn create_nodegroup_defaults_and_flags() {
        let Ok(Command::CreateNodegroup(ng)) =
            parse("eksctl create nodegroup --cluster=lab --name=ng-2")
        else {
            panic!()
        };
        assert_eq!(ng, NodegroupSpec::managed("ng-2"));
        let Ok(Command::CreateNodegroup(ng)) = parse(
            "eksctl create nodegroup --cluster lab --name ng-3 --managed=false --node-type=c5.xlarge --nodes=3 --nodes-max=6 --node-labels=role=batch,tier=b --node-zones=us-east-1a,us-east-1b",
        ) else {
            panic!()
        };
        assert_eq!(ng.kind, NodegroupKind::SelfManaged);
        assert_eq!(ng.instance_types, ["c5.xlarge"]);
        assert_eq!((ng.min_size, ng.desired_capacity, ng.max_size), (3, 3, 6));
        assert_eq!(ng.labels.len(), 2);
        assert_eq!(ng.zones, ["us-east-1a", "us-east-1b"]);
        let Ok(Command::CreateNodegroup(ng)) = parse(
            "eksctl create nodegroup --cluster=lab --name=spot --spot --instance-types=m5.large,m6i.large",
        ) else {
            panic!()
        };
        assert!(ng.spot);
        assert_eq!(ng.instance_types.len(), 2);
        assert!(
            parse("eksctl create nodegroup --cluster=lab --name=x --node-type=m5.huge")
                .unwrap_err()
                .contains("unknown instance type")
        );
        assert!(
            parse("eksctl create nodegroup --cluster=lab --name=x --managed=false --spot")
                .unwrap_err()
                .contains("--spot")
        );
        assert_eq!(
            parse("eksctl create nodegroup --cluster=lab --name=x --nodes-min=3 --nodes-max=2"),
            Err("Error: cannot use --nodes-min=3 and --nodes-max=2 at the same time".into())
        );
        assert_eq!(
            parse(
                "eksctl create nodegroup --cluster=lab --name=x --managed=false --nodes-min=3 --nodes-max=2"
            ),
            Err("Error: --nodes-min value (3) cannot be greater than --nodes-max value (2)".into())
        );
    }

    #[test]
    fn delete_and_fargate() {
        assert_eq!(
            parse("eksctl delete nodegroup --cluster=lab --name=ng-1"),
            Ok(Command::DeleteNodegroup {
                name: "ng-1".into()
            })
        );
        let Ok(Command::CreateFargateProfile(fp)) = parse(
            "eksctl create fargateprofile --cluster lab --name fp-x --namespace batch --labels a=b,c=d",
        ) else {
            panic!()
        };
        assert_eq!(fp.selectors[0].namespace, "batch");
        assert_eq!(fp.selectors[0].labels.len(), 2);
        assert_eq!(
            parse("eksctl delete fargateprofile --cluster lab --name fp-x"),
            Ok(Command::DeleteFargateProfile {
                name: "fp-x".into()
            })
        );
    }

    #[test]
    fn utils_updates() {
        assert_eq!(
            parse(
                "eksctl utils update-cluster-logging --cluster=lab --enable-types=api,audit --disable-types=scheduler --approve"
            ),
            Ok(Command::UpdateClusterLogging {
                enable: vec![LogType::Api, LogType::Audit],
                disable: vec![LogType::Scheduler]
            })
        );
        assert_eq!(
            parse("eksctl utils update-cluster-logging --cluster=lab --enable-types=all"),
            Ok(Command::UpdateClusterLogging {
                enable: LogType::ALL.to_vec(),
                disable: vec![]
            })
        );
        assert!(
            parse("eksctl utils update-cluster-logging --cluster=lab --enable-types=apis")
                .unwrap_err()
                .contains("unknown log type")
        );
        assert_eq!(
            parse(
                "eksctl utils update-cluster-vpc-config --cluster=lab --public-access=false --private-access=true --approve"
            ),
            Ok(Command::UpdateEndpointAccess {
                public: false,
                private: true
            })
        );
        assert!(parse("eksctl utils update-cluster-vpc-config --cluster=lab --public-access=false --private-access=false").is_err());
    }

    #[test]
    fn upgrade_and_addon_commands() {
        use crate::sim::catalog::KubernetesVersion;
        assert_eq!(
            parse("eksctl upgrade cluster --name=lab"),
            Ok(Command::UpgradeCluster {
                version: None,
                approve: false
            })
        );
        for line in [
            "eksctl upgrade cluster lab --version 1.35 --approve",
            "eksctl upgrade cluster --cluster=lab --version=v1.35 --approve",
            "eksctl upgrade cluster -n lab -c lab --version=1.35 --approve",
        ] {
            assert_eq!(
                parse(line),
                Ok(Command::UpgradeCluster {
                    version: Some(KubernetesVersion::new(35)),
                    approve: true
                }),
                "{line}"
            );
        }
        assert_eq!(
            parse("eksctl upgrade cluster --name=lab --version=auto"),
            Ok(Command::UpgradeCluster {
                version: None,
                approve: false
            })
        );
        assert_eq!(
            parse("eksctl upgrade ng ng-1 -c lab --force-upgrade"),
            Ok(Command::UpgradeNodegroup {
                name: "ng-1".into(),
                version: None,
                force: true
            })
        );
        assert_eq!(
            parse("eksctl update addon --cluster lab --name vpc-cni --force --wait"),
            Ok(Command::UpdateAddon {
                name: AddonName::VpcCni,
                version: None
            })
        );
        assert_eq!(
            parse("eksctl utils update-kube-proxy --cluster=lab"),
            Ok(Command::UpdateSelfManagedAddon {
                name: AddonName::KubeProxy,
                approve: false
            })
        );
        assert_eq!(
            parse("eksctl utils update-coredns -c lab --approve"),
            Ok(Command::UpdateSelfManagedAddon {
                name: AddonName::CoreDns,
                approve: true
            })
        );
    }

    #[test]
    fn upgrade_mistakes_read_like_eksctl() {
        let known = crate::sim::catalog::versions::known_versions();
        for (line, want) in [
            ("eksctl upgrade cluster", "Error: --name must be set".to_string()),
            (
                "eksctl upgrade cluster --name=prod --approve",
                "Error: cluster \"prod\" not found (this lab's cluster is \"lab\")".into(),
            ),
            (
                "eksctl upgrade cluster lab --name=lab",
                "Error: --name=lab and argument lab cannot be used at the same time".into(),
            ),
            (
                "eksctl upgrade cluster --name=lab --cluster=prod",
                "Error: --name=lab and --cluster=prod name different clusters".into(),
            ),
            (
                "eksctl upgrade cluster --name=lab --version=1.99",
                format!("Error: invalid version \"1.99\": EKS versions the lab knows are {known}"),
            ),
            (
                "eksctl upgrade cluster --name=lab --version=latest",
                "Error: invalid Kubernetes version \"latest\": expected MAJOR.MINOR, e.g. 1.33".into(),
            ),
            (
                "eksctl upgrade cluster --name=lab --approve=yes",
                "Error: invalid argument \"yes\" for \"--approve\" flag: must be true or false".into(),
            ),
            ("eksctl upgrade nodegroup --cluster=lab", "Error: --name must be set".into()),
            ("eksctl upgrade nodegroup --name=ng-1", "Error: --cluster must be set".into()),
            (
                "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --release-version=1.35.0-20260701",
                "Error: --release-version is not modelled by the lab: a node group gets the latest EKS AMI release for its Kubernetes version; upgrade with --kubernetes-version".into(),
            ),
            (
                "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --launch-template-version=3",
                "Error: --launch-template-version is not modelled by the lab: managed node groups use the launch template EKS creates; upgrade with --kubernetes-version".into(),
            ),
            (
                "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --kubernetes-version=1.3x",
                "Error: invalid Kubernetes version \"1.3x\"".into(),
            ),
            (
                "eksctl update addon --cluster=lab --name=kube-dns",
                "Error: unknown add-on \"kube-dns\": the lab models vpc-cni, kube-proxy, coredns, metrics-server".into(),
            ),
            ("eksctl create addon --cluster=lab", "Error: --name must be set".into()),
            ("eksctl utils update-coredns --approve", "Error: --cluster must be set".into()),
            (
                "eksctl utils update-aws-node --cluster=lab extra",
                "Error: unexpected argument \"extra\"".into(),
            ),
            (
                "eksctl update iamserviceaccount --cluster=lab",
                "Error: \"eksctl update iamserviceaccount\" is not supported by the lab yet".into(),
            ),
            (
                "eksctl upgrade banana",
                "Error: unknown command \"banana\" for \"eksctl upgrade\"".into(),
            ),
            ("eksctl update", "Error: \"eksctl update\" needs a sub-command".into()),
        ] {
            assert_eq!(parse(line), Err(want), "{line}");
        }
    }
}
