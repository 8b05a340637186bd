//! `kubectl create deployment` and `kubectl create namespace`: the objects kubectl builds
//! from flags (a Deployment labelled `app=<name>`, a Namespace).

use std::collections::BTreeMap;

use super::err;
use crate::cli::{Args, CommandContext};
use crate::sim::api::{
    Container, ContainerPort, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy,
    LabelSelector, Namespace, ObjectMeta, PodSpec, PodTemplateSpec,
};
use crate::sim::command::Command;
use crate::sim::spec::Manifest;

/// The container name kubectl derives from an image: the last path part, without tag or digest.
pub(crate) fn container_name(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let base = last.split(['@', ':']).next().unwrap_or(last);
    base.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn single_name(args: &Args, what: &str) -> Result<String, String> {
    match args.positionals.as_slice() {
        [name] => Ok(name.clone()),
        [] => Err(err(format!(
            "exactly one NAME is required, got 0 (kubectl create {what} NAME)"
        ))),
        more => Err(err(format!(
            "exactly one NAME is required, got {}",
            more.len()
        ))),
    }
}

pub(super) fn create_deployment(args: &Args, ctx: &CommandContext) -> Result<Command, String> {
    let name = single_name(args, "deployment")?;
    args.required("image")?;
    let images = args.values("image");
    // `--replicas` and `--port` are int32 flags (`Int32VarP`, `Int32Var`); a negative port
    // means none, as kubectl reads it. The API server checks the rest when the Deployment is
    // applied (a negative count, a port of 0); the lab's pod limit is named here.
    let replicas = args.int32("replicas")?.unwrap_or(1);
    crate::limits::check::replicas(i128::from(replicas), format_args!("--replicas={replicas}"))
        .map_err(err)?;
    let port = args.int32("port")?.filter(|p| *p >= 0);
    let labels: BTreeMap<String, String> =
        crate::sim::sort::map([("app".to_string(), name.clone())]);
    let containers = images
        .iter()
        .map(|image| Container {
            name: container_name(image),
            image: (*image).to_string(),
            ports: port
                .map(|p| {
                    vec![ContainerPort {
                        container_port: p,
                        host_port: None,
                        protocol: "TCP".into(),
                    }]
                })
                .unwrap_or_default(),
            ..Container::default()
        })
        .collect();
    let mut meta = ObjectMeta::named(args.namespace(ctx), name);
    meta.labels = labels.clone();
    let spec = PodSpec {
        containers,
        termination_grace_period_secs: 30,
        restart_policy: "Always".into(),
        ..PodSpec::default()
    };
    Ok(Command::Create(Manifest::Deployment(Deployment {
        meta,
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(labels.clone()),
            template: PodTemplateSpec {
                labels,
                annotations: BTreeMap::new(),
                spec,
            },
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    })))
}

pub(super) fn create_namespace(args: &Args, _: &CommandContext) -> Result<Command, String> {
    let name = single_name(args, "namespace")?;
    Ok(Command::Create(Manifest::Namespace(Namespace {
        meta: ObjectMeta::named("", name),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_come_from_the_image() {
        assert_eq!(container_name("nginx:1.27"), "nginx");
        assert_eq!(
            container_name("public.ecr.aws/docker/library/httpd:2.4"),
            "httpd"
        );
        assert_eq!(
            container_name("registry:5000/team/my_app@sha256:abc"),
            "my-app"
        );
    }
}
