//! The lab that opens by default: a small cluster with a managed node group and a Fargate
//! profile, a web app on EC2 and a batch worker on Fargate.

use std::collections::BTreeMap;

use crate::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStrategy, LabelSelector, Namespace,
    ObjectMeta, PodSpec, PodTemplateSpec,
};
use crate::sim::eks::FargateProfileSelector;
use crate::sim::quantity::{MIB, Resources};
use crate::sim::spec::{FargateProfileSpec, LabSpec, Manifest, NodegroupSpec};

fn deployment(
    ns: &str,
    name: &str,
    replicas: i32,
    cpu_m: u64,
    mem_mib: u64,
    image: &str,
) -> Deployment {
    let labels: BTreeMap<String, String> =
        crate::sim::sort::map([("app".to_string(), name.to_string())]);
    Deployment {
        meta: ObjectMeta::named(ns, name),
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(labels.clone()),
            template: PodTemplateSpec {
                labels,
                annotations: BTreeMap::new(),
                spec: PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
                        image: image.to_string(),
                        requests: Resources::new(cpu_m, mem_mib * MIB),
                        limits: Resources::new(cpu_m, mem_mib * MIB),
                        ..Container::default()
                    }],
                    restart_policy: "Always".into(),
                    termination_grace_period_secs: 30,
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: crate::sim::api::DeploymentStatus::default(),
    }
}

/// The default lab.
pub fn demo_spec() -> LabSpec {
    let mut spec = LabSpec::default();
    spec.cluster.name = "lab".into();
    spec.settings.skip_cluster_creation = true;
    let mut ng = NodegroupSpec::managed("ng-general");
    ng.min_size = 2;
    ng.desired_capacity = 3;
    ng.max_size = 6;
    spec.nodegroups.push(ng);
    spec.fargate_profiles.push(FargateProfileSpec {
        name: "fp-batch".into(),
        selectors: vec![FargateProfileSelector {
            namespace: "batch".into(),
            labels: BTreeMap::new(),
        }],
        subnets: Vec::new(),
    });
    spec.manifests.push(Manifest::Namespace(Namespace {
        meta: ObjectMeta::named("", "batch"),
    }));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default",
        "web",
        4,
        250,
        256,
        "nginx:1.27",
    )));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default",
        "api",
        3,
        500,
        512,
        "public.ecr.aws/docker/library/python:3.13",
    )));
    spec.manifests.push(Manifest::Deployment(deployment(
        "batch",
        "worker",
        2,
        1000,
        2048,
        "public.ecr.aws/docker/library/busybox:1.37",
    )));
    spec
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::sim::api::PodPhase;
    use crate::sim::clock::SimDuration;

    #[test]
    fn demo_runs_with_everything_scheduled() {
        let mut sim = Simulation::new(demo_spec()).unwrap();
        sim.run_for(SimDuration::from_mins(10));
        let pending = sim.state().count_pods(PodPhase::Pending);
        assert_eq!(
            pending,
            0,
            "{:?}",
            sim.events().all().iter().rev().take(5).collect::<Vec<_>>()
        );
        let fargate = sim
            .state()
            .nodes
            .values()
            .filter(|n| n.data_plane.is_fargate())
            .count();
        assert_eq!(fargate, 2);
    }
}
