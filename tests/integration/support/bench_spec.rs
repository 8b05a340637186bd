//! The benchmark workload, shared by the native bench and the wasm32 bench: 100 m5.2xlarge
//! nodes in four managed node groups and 3,000 pods in 30 deployments.

use std::collections::BTreeMap;

use eks_lab::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, LabelSelector,
    ObjectMeta, PodSpec, PodTemplateSpec,
};
use eks_lab::sim::quantity::{MIB, Resources};
use eks_lab::sim::spec::{LabSpec, Manifest, NodegroupSpec};

pub fn spec() -> LabSpec {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    for i in 0..4 {
        let mut ng = NodegroupSpec::managed(&format!("ng-{i}"));
        ng.instance_types = vec!["m5.2xlarge".into()];
        ng.min_size = 25;
        ng.desired_capacity = 25;
        ng.max_size = 30;
        spec.nodegroups.push(ng);
    }
    for d in 0..30 {
        let name = format!("svc-{d:02}");
        let labels: BTreeMap<String, String> =
            [("app".to_string(), name.clone())].into_iter().collect();
        spec.manifests.push(Manifest::Deployment(Deployment {
            meta: ObjectMeta::named("default", &name),
            spec: DeploymentSpec {
                replicas: 100,
                selector: LabelSelector::from_labels(labels.clone()),
                template: PodTemplateSpec {
                    labels,
                    annotations: BTreeMap::new(),
                    spec: PodSpec {
                        containers: vec![Container {
                            name: name.clone(),
                            image: format!("example/{name}:1"),
                            requests: Resources::new(100, 128 * MIB),
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
            status: DeploymentStatus::default(),
        }));
    }
    spec
}
