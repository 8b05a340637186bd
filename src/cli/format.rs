//! The reverse of the parser: writes a `Command` as the kubectl or eksctl line that parses back
//! to it, for exporting timelines. Commands no single line can express give `None`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::CommandContext;
use crate::sim::api::Kind;
use crate::sim::catalog::AddonName;
use crate::sim::command::{Command, ResourcePatch};
use crate::sim::eks::{NodegroupKind, NodegroupUpdateConfig, UpdateStrategy};

use crate::sim::spec::{Manifest, NodegroupSpec};

/// Quotes a word for the tokenizer when it holds anything but plain characters.
fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=,@+%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn resources(r: ResourcePatch) -> String {
    let mut parts = Vec::new();
    if let Some(c) = r.cpu {
        parts.push(format!("cpu={c}"));
    }
    if let Some(m) = r.memory {
        parts.push(format!("memory={m}"));
    }
    parts.join(",")
}

fn pairs(map: &BTreeMap<String, String>) -> Option<String> {
    let clean = map
        .iter()
        .all(|(k, v)| !k.is_empty() && !format!("{k}{v}").contains([',', '=']));
    clean.then(|| {
        map.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    })
}

fn namespace_flag(ns: &str, ctx: &CommandContext) -> String {
    if ns == ctx.namespace {
        String::new()
    } else {
        format!(" -n {}", quote(ns))
    }
}

/// The command line for `cmd`, or `None` when no kubectl/eksctl line says the same thing
/// (inline manifests, node groups with taints, multi-selector Fargate profiles...).
pub fn format_command(cmd: &Command, ctx: &CommandContext) -> Option<String> {
    let cluster = quote(&ctx.cluster);
    let line = match cmd {
        Command::Create(Manifest::Namespace(n))
            if n.meta.labels.is_empty() && n.meta.annotations.is_empty() =>
        {
            format!("kubectl create namespace {}", quote(&n.meta.name))
        }
        Command::Apply(_) | Command::Create(_) => return None,
        Command::Delete { kind, key } => {
            let ty = match kind {
                Kind::Pod
                | Kind::Deployment
                | Kind::DaemonSet
                | Kind::Job
                | Kind::Namespace
                | Kind::Node => kind.ref_name(),
                Kind::PodDisruptionBudget => "pdb",
                _ => return None,
            };
            let ns = if matches!(kind, Kind::Namespace | Kind::Node) {
                String::new()
            } else {
                namespace_flag(&key.namespace, ctx)
            };
            format!("kubectl delete {ty} {}{ns}", quote(&key.name))
        }
        Command::ScaleDeployment { key, replicas } => {
            format!(
                "kubectl scale deployment {} --replicas={replicas}{}",
                quote(&key.name),
                namespace_flag(&key.namespace, ctx)
            )
        }
        Command::SetResources {
            key,
            container,
            requests,
            limits,
        } => {
            if requests.is_none() && limits.is_none() {
                return None;
            }
            let mut words = vec![format!(
                "kubectl set resources deployment {}",
                quote(&key.name)
            )];
            words.extend(container.as_ref().map(|c| format!("-c {}", quote(c))));
            words.extend(requests.map(|r| format!("--requests={}", resources(r))));
            words.extend(limits.map(|l| format!("--limits={}", resources(l))));
            words.join(" ") + &namespace_flag(&key.namespace, ctx)
        }
        Command::SetImage {
            key,
            container,
            image,
        } => {
            if container.contains('=') {
                return None;
            }
            format!(
                "kubectl set image deployment/{} {}{}",
                quote(&key.name),
                quote(&format!("{container}={image}")),
                namespace_flag(&key.namespace, ctx)
            )
        }
        Command::RolloutRestart { key } => {
            format!(
                "kubectl rollout restart deployment/{}{}",
                quote(&key.name),
                namespace_flag(&key.namespace, ctx)
            )
        }
        Command::Cordon {
            node,
            unschedulable,
        } => {
            format!(
                "kubectl {} {}",
                if *unschedulable { "cordon" } else { "uncordon" },
                quote(node)
            )
        }
        Command::Drain { node, options } => {
            let mut words = vec![format!("kubectl drain {}", quote(node))];
            for (on, flag) in [
                (options.ignore_daemonsets, "--ignore-daemonsets"),
                (options.delete_emptydir_data, "--delete-emptydir-data"),
                (options.force, "--force"),
                (options.disable_eviction, "--disable-eviction"),
            ] {
                if on {
                    words.push(flag.to_string());
                }
            }
            words.join(" ")
        }
        Command::ScaleNodegroup {
            name,
            desired,
            min,
            max,
        } => {
            if desired.is_none() && min.is_none() && max.is_none() {
                return None;
            }
            let mut words = vec![format!(
                "eksctl scale nodegroup --cluster={cluster} --name={}",
                quote(name)
            )];
            for (v, flag) in [(desired, "nodes"), (min, "nodes-min"), (max, "nodes-max")] {
                words.extend(v.map(|v| format!("--{flag}={v}")));
            }
            words.join(" ")
        }
        Command::CreateNodegroup(ng) => create_nodegroup(ng, &cluster)?,
        Command::DeleteNodegroup { name } => format!(
            "eksctl delete nodegroup --cluster={cluster} --name={}",
            quote(name)
        ),
        Command::CreateFargateProfile(fp) => {
            let [sel] = fp.selectors.as_slice() else {
                return None;
            };
            if !fp.subnets.is_empty() {
                return None;
            }
            let line = format!(
                "eksctl create fargateprofile --cluster {cluster} --name {} --namespace {}",
                quote(&fp.name),
                quote(&sel.namespace)
            );
            if sel.labels.is_empty() {
                line
            } else {
                format!("{line} --labels {}", quote(&pairs(&sel.labels)?))
            }
        }
        Command::DeleteFargateProfile { name } => format!(
            "eksctl delete fargateprofile --cluster {cluster} --name {}",
            quote(name)
        ),
        Command::UpdateClusterLogging { enable, disable } => {
            if enable.is_empty() && disable.is_empty() {
                return None;
            }
            let names = |l: &[crate::sim::eks::LogType]| {
                l.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")
            };
            let mut words = vec![format!(
                "eksctl utils update-cluster-logging --cluster={cluster}"
            )];
            if !enable.is_empty() {
                words.push(format!("--enable-types={}", names(enable)));
            }
            if !disable.is_empty() {
                words.push(format!("--disable-types={}", names(disable)));
            }
            words.push("--approve".to_string());
            words.join(" ")
        }
        Command::UpdateEndpointAccess { public, private } => {
            format!(
                "eksctl utils update-cluster-vpc-config --cluster={cluster} --public-access={public} --private-access={private} --approve"
            )
        }
        Command::UpgradeCluster { version, approve } => {
            let mut line = format!("eksctl upgrade cluster --name={cluster}");
            if let Some(v) = version {
                let _ = write!(line, " --version={v}");
            }
            if *approve {
                line.push_str(" --approve");
            }
            line
        }
        Command::UpgradeNodegroup {
            name,
            version,
            force,
        } => {
            let mut line = format!(
                "eksctl upgrade nodegroup --cluster={cluster} --name={}",
                quote(name)
            );
            if let Some(v) = version {
                let _ = write!(line, " --kubernetes-version={v}");
            }
            if *force {
                line.push_str(" --force-upgrade");
            }
            line
        }
        Command::UpdateNodegroupConfig {
            name,
            update_config,
            strategy,
        } => {
            let mut parts = Vec::new();
            match update_config {
                Some(NodegroupUpdateConfig::MaxUnavailable(n)) => {
                    parts.push(format!("maxUnavailable={n}"));
                }
                Some(NodegroupUpdateConfig::MaxUnavailablePercentage(p)) => {
                    parts.push(format!("maxUnavailablePercentage={p}"));
                }
                None => {}
            }
            if let Some(s) = strategy {
                parts.push(format!("updateStrategy={}", s.as_str()));
            }
            if parts.is_empty() {
                return None;
            }
            format!(
                "aws eks update-nodegroup-config --cluster-name {cluster} --nodegroup-name {} --update-config {}",
                quote(name),
                parts.join(",")
            )
        }
        Command::UpdateAddon { name, version } => {
            let mut line = format!(
                "eksctl update addon --cluster={cluster} --name={}",
                name.as_str()
            );
            if let Some(v) = version {
                let _ = write!(line, " --version={}", quote(v));
            }
            line
        }
        Command::CreateAddon {
            name,
            version,
            force,
        } => {
            let mut line = format!(
                "eksctl create addon --cluster={cluster} --name={}",
                name.as_str()
            );
            if let Some(v) = version {
                let _ = write!(line, " --version={}", quote(v));
            }
            if *force {
                line.push_str(" --force");
            }
            line
        }
        Command::UpdateSelfManagedAddon { name, approve } => {
            let util = match name {
                AddonName::VpcCni => "update-aws-node",
                AddonName::KubeProxy => "update-kube-proxy",
                AddonName::CoreDns => "update-coredns",
                AddonName::MetricsServer => return None,
            };
            let approve = if *approve { " --approve" } else { "" };
            format!("eksctl utils {util} --cluster={cluster}{approve}")
        }
        Command::SetNodegroupAmi { name, version } => format!(
            "ekslab set-ami nodegroup/{} --kubernetes-version={version}",
            quote(name)
        ),
        Command::TerminateInstance {
            instance_id,
            decrement,
        } => format!(
            "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id {} --{}should-decrement-desired-capacity",
            quote(instance_id),
            if *decrement { "" } else { "no-" }
        ),
        Command::InjectFault(f) => format!("ekslab inject-fault {}", f.as_str()),
        Command::ClearFaults => "ekslab clear-faults".to_string(),
        Command::SetTraffic(t) => return super::ekslab::format_traffic(t, ctx),
        Command::ClearTraffic { key } => {
            format!(
                "ekslab traffic deployment/{} --clear{}",
                quote(&key.name),
                namespace_flag(&key.namespace, ctx)
            )
        }
    };
    Some(line)
}

/// `eksctl create nodegroup` with every flag needed to rebuild `ng`; `None` when the group
/// has settings no flag sets (taints, update config or strategy, Spot or several types when
/// self-managed).
fn create_nodegroup(ng: &NodegroupSpec, cluster: &str) -> Option<String> {
    let base = match ng.kind {
        NodegroupKind::Managed => NodegroupSpec::managed(&ng.name),
        NodegroupKind::SelfManaged => NodegroupSpec::self_managed(&ng.name),
    };
    let managed = ng.kind == NodegroupKind::Managed;
    if !ng.taints.is_empty()
        || ng.update_config != NodegroupUpdateConfig::default()
        || ng.update_strategy != UpdateStrategy::Default
        || ng.instance_types.is_empty()
    {
        return None;
    }
    if !managed && (ng.spot || ng.instance_types.len() > 1) {
        return None;
    }
    let mut w = vec![format!(
        "eksctl create nodegroup --cluster={cluster} --name={}",
        quote(&ng.name)
    )];
    if !managed {
        w.push("--managed=false".to_string());
    }
    if ng.instance_types != base.instance_types {
        match ng.instance_types.as_slice() {
            [one] => w.push(format!("--node-type={}", quote(one))),
            many => w.push(format!("--instance-types={}", quote(&many.join(",")))),
        }
    }
    w.push(format!(
        "--nodes={} --nodes-min={} --nodes-max={}",
        ng.desired_capacity, ng.min_size, ng.max_size
    ));
    if ng.spot {
        w.push("--spot".to_string());
    }
    if !ng.labels.is_empty() {
        w.push(format!("--node-labels={}", quote(&pairs(&ng.labels)?)));
    }
    if ng.volume_size_gib != base.volume_size_gib {
        w.push(format!("--node-volume-size={}", ng.volume_size_gib));
    }
    if ng.volume_type != base.volume_type {
        w.push(format!("--node-volume-type={}", quote(&ng.volume_type)));
    }
    if ng.ami_family != base.ami_family {
        w.push(format!("--node-ami-family={}", quote(&ng.ami_family)));
    }
    if ng.private_networking {
        w.push("--node-private-networking".to_string());
    }
    if !ng.zones.is_empty() {
        w.push(format!("--node-zones={}", quote(&ng.zones.join(","))));
    }
    if let Some(m) = ng.max_pods_per_node {
        w.push(format!("--max-pods-per-node={m}"));
    }
    if let Some(v) = ng.version {
        w.push(format!("--version={v}"));
    }
    Some(w.join(" "))
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;

    #[test]
    fn every_parsed_line_formats_back_to_the_same_command() {
        let ctx = CommandContext::new("lab");
        for line in [
            "kubectl scale deployment web --replicas=10 -n shop",
            "kubectl delete pdb web",
            "kubectl delete namespace batch",
            "kubectl delete node ip-1",
            "kubectl cordon ip-1",
            "kubectl drain ip-1 --ignore-daemonsets --force",
            "kubectl set image deployment/web web=nginx:1.28",
            "kubectl set resources deployment web -c web --requests=cpu=500m --limits=cpu=1,memory=1Gi",
            "kubectl rollout restart deployment/web",
            "eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=5 --nodes-max=6",
            "eksctl create nodegroup --cluster=lab --name=ng-2 --node-type=m5.xlarge --nodes=3 --spot",
            "eksctl create nodegroup --cluster=lab --name=ng-3 --managed=false --nodes-min=1 --nodes-max=4 --node-labels=a=b",
            "eksctl delete nodegroup --cluster=lab --name=ng-1",
            "eksctl create fargateprofile --cluster lab --name fp-x --namespace batch --labels a=b",
            "eksctl delete fargateprofile --cluster lab --name fp-x",
            "eksctl utils update-cluster-logging --cluster=lab --enable-types=api,audit --disable-types=scheduler",
            "eksctl utils update-cluster-vpc-config --cluster=lab --public-access=true --private-access=true",
        ] {
            let cmd = parse_command(line, &ctx).unwrap();
            let text = format_command(&cmd, &ctx).unwrap();
            assert_eq!(parse_command(&text, &ctx), Ok(cmd), "{line} -> {text}");
        }
    }

    #[test]
    fn every_upgrade_command_formats_to_a_line_that_parses_back() {
        use crate::sim::catalog::KubernetesVersion;
        use crate::sim::eks::Fault;
        let ctx = CommandContext::new("lab");
        let v = |m| Some(KubernetesVersion::new(m));
        let mut cmds = Vec::new();
        for version in [None, v(35)] {
            for approve in [false, true] {
                cmds.push(Command::UpgradeCluster { version, approve });
            }
            for force in [false, true] {
                cmds.push(Command::UpgradeNodegroup {
                    name: "ng-1".into(),
                    version,
                    force,
                });
            }
        }
        for update_config in [
            None,
            Some(NodegroupUpdateConfig::MaxUnavailable(3)),
            Some(NodegroupUpdateConfig::MaxUnavailablePercentage(25)),
        ] {
            for strategy in [
                None,
                Some(UpdateStrategy::Default),
                Some(UpdateStrategy::Minimal),
            ] {
                if update_config.is_some() || strategy.is_some() {
                    cmds.push(Command::UpdateNodegroupConfig {
                        name: "ng-1".into(),
                        update_config,
                        strategy,
                    });
                }
            }
        }
        for name in AddonName::KNOWN {
            for version in [None, Some("v1.13.2-eksbuild.4".to_string())] {
                cmds.push(Command::UpdateAddon {
                    name,
                    version: version.clone(),
                });
                for force in [false, true] {
                    cmds.push(Command::CreateAddon {
                        name,
                        version: version.clone(),
                        force,
                    });
                }
            }
        }
        for name in AddonName::ALL {
            for approve in [false, true] {
                cmds.push(Command::UpdateSelfManagedAddon { name, approve });
            }
        }
        cmds.push(Command::SetNodegroupAmi {
            name: "ng-2".into(),
            version: KubernetesVersion::new(34),
        });
        for decrement in [false, true] {
            cmds.push(Command::TerminateInstance {
                instance_id: "i-0123456789abcdef0".into(),
                decrement,
            });
        }
        cmds.extend(Fault::ALL.map(Command::InjectFault));
        cmds.push(Command::ClearFaults);
        assert_eq!(cmds.len(), 52);
        for cmd in cmds {
            let line = format_command(&cmd, &ctx).unwrap_or_else(|| panic!("{cmd:?}"));
            assert_eq!(parse_command(&line, &ctx), Ok(cmd), "{line}");
        }
    }

    #[test]
    fn upgrade_lines_read_as_the_tools_write_them() {
        let ctx = CommandContext::new("lab");
        for line in [
            "eksctl upgrade cluster --name=lab --version=1.35 --approve",
            "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --kubernetes-version=1.35 --force-upgrade",
            "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config maxUnavailable=2,updateStrategy=MINIMAL",
            "eksctl update addon --cluster=lab --name=coredns --version=v1.13.2-eksbuild.4",
            "eksctl create addon --cluster=lab --name=kube-proxy --force",
            "eksctl utils update-aws-node --cluster=lab --approve",
            "ekslab set-ami nodegroup/ng-2 --kubernetes-version=1.35",
            "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-0abc --no-should-decrement-desired-capacity",
            "ekslab inject-fault security-group-deleted",
            "ekslab clear-faults",
        ] {
            let cmd = parse_command(line, &ctx).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(format_command(&cmd, &ctx).as_deref(), Some(line));
        }
    }

    #[test]
    fn a_node_group_with_an_update_strategy_has_no_create_line() {
        let ctx = CommandContext::new("lab");
        let mut ng = NodegroupSpec::managed("ng-9");
        assert!(format_command(&Command::CreateNodegroup(ng.clone()), &ctx).is_some());
        ng.update_strategy = UpdateStrategy::Minimal;
        assert_eq!(format_command(&Command::CreateNodegroup(ng), &ctx), None);
    }

    #[test]
    fn odd_names_are_quoted() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("nginx:1.27"), "nginx:1.27");
    }
}
