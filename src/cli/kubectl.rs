//! The kubectl commands the lab runs: scale, delete, cordon, uncordon, drain, set image,
//! set resources, rollout restart, create deployment and create namespace.

mod autoscale;
mod create;

use super::{Args, CommandContext, Flag, Tool, Verb, flag, parse_resource_list, switch};
use crate::sim::api::{Kind, ObjectKey};
use crate::sim::command::{Command, DrainOptions};

pub(super) const GLOBAL_FLAGS: &[Flag] = &[flag("namespace", Some('n'))];

pub(super) const VERBS: &[Verb] = &[
    Verb {
        tool: Tool::Kubectl,
        path: &["scale"],
        flags: &[flag("replicas", None)],
        build: scale,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["delete"],
        flags: &[],
        build: delete,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["cordon"],
        flags: &[],
        build: cordon,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["uncordon"],
        flags: &[],
        build: uncordon,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["drain"],
        flags: &[
            switch("ignore-daemonsets", None),
            switch("delete-emptydir-data", None),
            switch("delete-local-data", None),
            switch("force", None),
            switch("disable-eviction", None),
        ],
        build: drain,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["set", "image"],
        flags: &[],
        build: set_image,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["set", "resources"],
        flags: &[
            flag("containers", Some('c')),
            flag("requests", None),
            flag("limits", None),
        ],
        build: set_resources,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["rollout", "restart"],
        flags: &[],
        build: rollout_restart,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["create", "deployment|deploy"],
        flags: &[
            flag("image", None),
            flag("replicas", Some('r')),
            flag("port", None),
        ],
        build: create::create_deployment,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["create", "namespace|ns"],
        flags: &[],
        build: create::create_namespace,
    },
    Verb {
        tool: Tool::Kubectl,
        path: &["autoscale"],
        flags: &[
            flag("min", None),
            flag("max", None),
            flag("cpu-percent", None),
            flag("cpu", None),
            flag("memory", None),
            flag("name", None),
        ],
        build: autoscale::autoscale,
    },
];

/// Resource type names and aliases kubectl accepts, with the kind they mean.
const RESOURCES: &[(&str, Kind)] = &[
    (
        "deployment|deployments|deploy|deployment.apps|deployments.apps",
        Kind::Deployment,
    ),
    (
        "daemonset|daemonsets|ds|daemonset.apps|daemonsets.apps",
        Kind::DaemonSet,
    ),
    ("pod|pods|po", Kind::Pod),
    ("job|jobs|job.batch|jobs.batch", Kind::Job),
    (
        "poddisruptionbudget|poddisruptionbudgets|pdb|pdbs|poddisruptionbudget.policy",
        Kind::PodDisruptionBudget,
    ),
    (
        "horizontalpodautoscaler|horizontalpodautoscalers|hpa|horizontalpodautoscaler.autoscaling",
        Kind::HorizontalPodAutoscaler,
    ),
    ("namespace|namespaces|ns", Kind::Namespace),
    ("node|nodes|no", Kind::Node),
];

fn err(msg: impl std::fmt::Display) -> String {
    Tool::Kubectl.error(msg)
}

fn resource_kind(name: &str) -> Result<Kind, String> {
    RESOURCES
        .iter()
        .find(|(names, _)| names.split('|').any(|n| n == name))
        .map(|(_, k)| *k)
        .ok_or_else(|| err(format!("the server doesn't have a resource type {name:?}")))
}

/// `TYPE NAME` or `TYPE/NAME`, exactly one object.
fn one_object(args: &Args, verb: &str) -> Result<(Kind, String), String> {
    let p = &args.positionals;
    let Some(first) = p.first() else {
        return Err(err(format!(
            "you must specify the type of resource to {verb} and its name"
        )));
    };
    let (kind, name, extra) = if let Some((t, n)) = first.split_once('/') {
        (resource_kind(t)?, n.to_string(), p.len() > 1)
    } else {
        let kind = resource_kind(first)?;
        let Some(name) = p.get(1) else {
            return Err(err(format!(
                "resource(s) were provided, but no name was specified: kubectl {verb} {first} NAME"
            )));
        };
        (kind, name.clone(), p.len() > 2)
    };
    if name.is_empty() {
        return Err(err(
            "arguments in resource/name form must have a single resource and name",
        ));
    }
    if extra {
        return Err(err(format!("the lab {verb}s one object per command")));
    }
    Ok((kind, name))
}

fn key_for(kind: Kind, name: String, args: &Args, ctx: &CommandContext) -> ObjectKey {
    match kind {
        Kind::Namespace | Kind::Node => ObjectKey::new("", name),
        _ => ObjectKey::new(args.namespace(ctx), name),
    }
}

/// A Deployment reference; other kinds are refused with `what`.
fn deployment(args: &Args, ctx: &CommandContext, verb: &str) -> Result<ObjectKey, String> {
    let (kind, name) = one_object(args, verb)?;
    if kind != Kind::Deployment {
        return Err(err(format!(
            "the lab can {verb} deployments only, not {}s",
            kind.ref_name()
        )));
    }
    Ok(key_for(kind, name, args, ctx))
}

fn scale(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let key = deployment(args, ctx, "scale")?;
    args.required("replicas")?;
    // kubectl's `--replicas` is an `int` (64-bit) and `ScaleOptions.Validate` refuses a
    // negative one (kubernetes/kubectl pkg/cmd/scale/scale.go). kubectl would then narrow it
    // to int32 unchecked; the lab refuses anything above its pod limit first.
    let replicas = args.int("replicas")?.unwrap_or_default();
    if replicas < 0 {
        return Err(err(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
        ));
    }
    crate::limits::check::replicas(i128::from(replicas), format_args!("--replicas={replicas}"))
        .map_err(err)?;
    Ok(Command::ScaleDeployment {
        key,
        replicas: i32::try_from(replicas).map_err(err)?,
    })
}

fn delete(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let (kind, name) = one_object(args, "delete")?;
    Ok(Command::Delete {
        kind,
        key: key_for(kind, name, args, ctx),
    })
}

fn node_arg(args: &Args, verb: &str) -> Result<String, String> {
    match args.positionals.as_slice() {
        [node] => Ok(node.strip_prefix("node/").unwrap_or(node).to_string()),
        [] => Err(err(format!("USAGE: {verb} NODE [flags]"))),
        _ => Err(err(format!("the lab {verb}s one node per command"))),
    }
}

fn cordon(args: &Args, _: &CommandContext) -> Result<Command, String> {
    Ok(Command::Cordon {
        node: node_arg(args, "cordon")?,
        unschedulable: true,
    })
}

fn uncordon(args: &Args, _: &CommandContext) -> Result<Command, String> {
    Ok(Command::Cordon {
        node: node_arg(args, "uncordon")?,
        unschedulable: false,
    })
}

fn drain(args: &Args, _: &CommandContext) -> Result<Command, String> {
    let options = DrainOptions {
        ignore_daemonsets: args.switch("ignore-daemonsets", false)?,
        delete_emptydir_data: args.switch("delete-emptydir-data", false)?
            || args.switch("delete-local-data", false)?,
        force: args.switch("force", false)?,
        disable_eviction: args.switch("disable-eviction", false)?,
    };
    Ok(Command::Drain {
        node: node_arg(args, "drain")?,
        options,
    })
}

fn set_image(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    // `deployment/web c=img` or `deployment web c=img`: the pairs are the words with `=`.
    let (refs, pairs): (Vec<String>, Vec<String>) = args
        .positionals
        .iter()
        .cloned()
        .partition(|w| !w.contains('='));
    let sub = Args {
        positionals: refs,
        ..args.clone()
    };
    let key = deployment(&sub, ctx, "set image")?;
    let [pair] = pairs.as_slice() else {
        return Err(err(if pairs.is_empty() {
            "at least one image update is required: CONTAINER=IMAGE".to_string()
        } else {
            "the lab sets one container image per command".to_string()
        }));
    };
    let (container, image) = pair.split_once('=').unwrap_or((pair, ""));
    if container.is_empty() || image.is_empty() {
        return Err(err(format!(
            "invalid image update {pair:?}: expected CONTAINER=IMAGE"
        )));
    }
    Ok(Command::SetImage {
        key,
        container: container.to_string(),
        image: image.to_string(),
    })
}

fn set_resources(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let key = deployment(args, ctx, "set resources")?;
    let requests = args
        .value("requests")
        .map(parse_resource_list)
        .transpose()?;
    let limits = args.value("limits").map(parse_resource_list).transpose()?;
    if requests.is_none() && limits.is_none() {
        return Err(err(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        ));
    }
    let container = args
        .value("containers")
        .filter(|c| *c != "*")
        .map(str::to_string);
    Ok(Command::SetResources {
        key,
        container,
        requests,
        limits,
    })
}

fn rollout_restart(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    Ok(Command::RolloutRestart {
        key: deployment(args, ctx, "restart")?,
    })
}

#[cfg(test)]
mod tests {
    use super::super::parse_command;
    use super::*;
    use crate::sim::api::{Namespace, ObjectMeta};
    use crate::sim::command::ResourcePatch;
    use crate::sim::quantity::{Bytes, MIB, MilliCpu};
    use crate::sim::spec::Manifest;

    fn parse(line: &str) -> Result<Command, String> {
        parse_command(line, &CommandContext::new("lab"))
    }

    fn key(ns: &str, name: &str) -> ObjectKey {
        ObjectKey::new(ns, name)
    }

    #[test]
    fn scale_forms() {
        let want = Command::ScaleDeployment {
            key: key("default", "web"),
            replicas: 10,
        };
        assert_eq!(
            parse("kubectl scale deployment web --replicas=10"),
            Ok(want.clone())
        );
        assert_eq!(
            parse("kubectl scale deploy/web --replicas 10"),
            Ok(want.clone())
        );
        assert_eq!(
            parse("kubectl scale --replicas=10 deployments web"),
            Ok(want)
        );
        assert_eq!(
            parse("kubectl -n shop scale deployment web --replicas=0"),
            Ok(Command::ScaleDeployment {
                key: key("shop", "web"),
                replicas: 0
            })
        );
        assert_eq!(
            parse("kubectl scale deployment web"),
            Err("error: required flag(s) \"replicas\" not set".into())
        );
        assert_eq!(
            parse("kubectl scale deployment web --replicas=x"),
            Err(
                "error: invalid argument \"x\" for \"--replicas\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
                    .into()
            )
        );
        assert_eq!(
            parse("kubectl scale daemonset x --replicas=1"),
            Err("error: the lab can scale deployments only, not daemonsets".into())
        );
    }

    #[test]
    fn delete_kinds() {
        for (line, kind, k) in [
            (
                "kubectl delete pod web-1",
                Kind::Pod,
                key("default", "web-1"),
            ),
            (
                "kubectl delete deployment/web -n shop",
                Kind::Deployment,
                key("shop", "web"),
            ),
            (
                "kubectl delete ds agent --namespace=kube-system",
                Kind::DaemonSet,
                key("kube-system", "agent"),
            ),
            (
                "kubectl delete job batch-1",
                Kind::Job,
                key("default", "batch-1"),
            ),
            (
                "kubectl delete pdb web",
                Kind::PodDisruptionBudget,
                key("default", "web"),
            ),
            (
                "kubectl delete namespace batch",
                Kind::Namespace,
                key("", "batch"),
            ),
            (
                "kubectl delete node ip-10-0-0-1.ec2.internal",
                Kind::Node,
                key("", "ip-10-0-0-1.ec2.internal"),
            ),
        ] {
            assert_eq!(parse(line), Ok(Command::Delete { kind, key: k }), "{line}");
        }
        assert_eq!(
            parse("kubectl delete service web"),
            Err("error: the server doesn't have a resource type \"service\"".into())
        );
    }

    #[test]
    fn node_commands() {
        assert_eq!(
            parse("kubectl cordon n1"),
            Ok(Command::Cordon {
                node: "n1".into(),
                unschedulable: true
            })
        );
        assert_eq!(
            parse("kubectl uncordon node/n1"),
            Ok(Command::Cordon {
                node: "n1".into(),
                unschedulable: false
            })
        );
        let options = DrainOptions {
            ignore_daemonsets: true,
            delete_emptydir_data: true,
            force: false,
            disable_eviction: true,
        };
        assert_eq!(
            parse(
                "kubectl drain n1 --ignore-daemonsets --delete-emptydir-data --disable-eviction --force=false"
            ),
            Ok(Command::Drain {
                node: "n1".into(),
                options
            })
        );
        assert_eq!(
            parse("kubectl drain"),
            Err("error: USAGE: drain NODE [flags]".into())
        );
    }

    #[test]
    fn set_and_rollout() {
        assert_eq!(
            parse("kubectl set image deployment/web web=nginx:1.28"),
            Ok(Command::SetImage {
                key: key("default", "web"),
                container: "web".into(),
                image: "nginx:1.28".into()
            })
        );
        assert_eq!(
            parse(
                "kubectl set resources deployment web -c web --requests=cpu=500m,memory=256Mi --limits=memory=512Mi"
            ),
            Ok(Command::SetResources {
                key: key("default", "web"),
                container: Some("web".into()),
                requests: Some(ResourcePatch {
                    cpu: Some(MilliCpu(500)),
                    memory: Some(Bytes(256 * MIB))
                }),
                limits: Some(ResourcePatch {
                    cpu: None,
                    memory: Some(Bytes(512 * MIB))
                }),
            })
        );
        assert!(
            parse("kubectl set resources deployment web")
                .unwrap_err()
                .contains("--requests/--limits")
        );
        assert_eq!(
            parse("kubectl rollout restart deployment/web"),
            Ok(Command::RolloutRestart {
                key: key("default", "web")
            })
        );
        assert_eq!(
            parse("kubectl set foo deployment/web"),
            Err("error: unknown command \"foo\" for \"kubectl set\"".into())
        );
    }

    #[test]
    fn create_deployment_like_kubectl() {
        let Ok(Command::Create(Manifest::Deployment(d))) = parse(
            "kubectl create deployment web --image=public.ecr.aws/nginx/nginx:1.27 --replicas=3 --port=80 -n shop",
        ) else {
            panic!()
        };
        assert_eq!(d.meta.key(), key("shop", "web"));
        assert_eq!(d.meta.labels.get("app").map(String::as_str), Some("web"));
        assert!(d.spec.selector.matches(&d.spec.template.labels));
        assert_eq!(d.spec.replicas, 3);
        let c = &d.spec.template.spec.containers[0];
        assert_eq!((c.name.as_str(), c.ports[0].container_port), ("nginx", 80));
        assert_eq!(
            parse("kubectl create deployment web"),
            Err("error: required flag(s) \"image\" not set".into())
        );
        assert_eq!(
            parse("kubectl create ns batch"),
            Ok(Command::Create(Manifest::Namespace(Namespace {
                meta: ObjectMeta::named("", "batch")
            })))
        );
    }
}
