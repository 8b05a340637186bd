//! Kubernetes objects and eksctl entries as value trees for the exporter, written the way a
//! learner would write them: defaults left out unless they teach something.

use std::collections::BTreeMap;

use super::writer::{MapBuilder, Y};
use crate::scenario::pod::{RUN_DURATION_ANNOTATION, derived_run_for};
use crate::sim::api::meta::{SelectorOperator, SelectorRequirement};
use crate::sim::api::{
    Container, DeploymentStrategy, IntOrPercent, LabelSelector, ObjectMeta, PodSpec,
    PodTemplateSpec, TolerationOperator, VolumeSource,
};
use crate::sim::clock::SimDuration;
use crate::sim::eks::{NodegroupKind, NodegroupUpdateConfig, UpdateStrategy};
use crate::sim::quantity::Resources;
use crate::sim::spec::{FargateProfileSpec, Manifest, NodegroupSpec};

fn int_or_percent(v: IntOrPercent) -> Y {
    match v {
        IntOrPercent::Int(n) => Y::num(n),
        IntOrPercent::Percent(p) => Y::str(format!("{p}%")),
    }
}

fn meta(m: &ObjectMeta, extra_annotations: &BTreeMap<String, String>) -> Y {
    let mut annotations = m.annotations.clone();
    annotations.remove(RUN_DURATION_ANNOTATION);
    annotations.extend(extra_annotations.clone());
    MapBuilder::new()
        .put("name", Y::str(&m.name))
        .put_if(!m.namespace.is_empty(), "namespace", || {
            Y::str(&m.namespace)
        })
        .put_nonempty("labels", Y::string_map(&m.labels))
        .put_nonempty("annotations", Y::string_map(&annotations))
        .build()
}

fn requirement(r: &SelectorRequirement) -> Y {
    let op = match r.operator {
        SelectorOperator::In => "In",
        SelectorOperator::NotIn => "NotIn",
        SelectorOperator::Exists => "Exists",
        SelectorOperator::DoesNotExist => "DoesNotExist",
    };
    MapBuilder::new()
        .put("key", Y::str(&r.key))
        .put("operator", Y::str(op))
        .put_nonempty("values", Y::strs(&r.values))
        .build()
}

fn selector(s: &LabelSelector) -> Y {
    MapBuilder::new()
        .put_nonempty("matchLabels", Y::string_map(&s.match_labels))
        .put_nonempty(
            "matchExpressions",
            Y::Seq(s.match_expressions.iter().map(requirement).collect()),
        )
        .build()
}

fn resource_list(r: Resources, other: Resources, gpus: u64) -> Y {
    // A request of zero is written when the limit is set, so loading does not copy the limit.
    let mut b = MapBuilder::new()
        .put_if(r.cpu.0 > 0 || other.cpu.0 > 0, "cpu", || {
            Y::str(r.cpu.to_string())
        })
        .put_if(r.memory.0 > 0 || other.memory.0 > 0, "memory", || {
            Y::str(r.memory.to_string())
        });
    if gpus > 0 {
        b = b.put("nvidia.com/gpu", Y::num(gpus));
    }
    b.build()
}

fn container(c: &Container) -> Y {
    let ports = c
        .ports
        .iter()
        .map(|p| {
            MapBuilder::new()
                .put("containerPort", Y::num(p.container_port))
                .put_if(p.host_port.is_some(), "hostPort", || {
                    Y::num(p.host_port.unwrap_or_default())
                })
                .put_if(p.protocol != "TCP", "protocol", || Y::str(&p.protocol))
                .build()
        })
        .collect();
    let resources = MapBuilder::new()
        .put_nonempty("requests", resource_list(c.requests, c.limits, 0))
        .put_nonempty("limits", resource_list(c.limits, Resources::ZERO, c.gpus))
        .build();
    MapBuilder::new()
        .put("name", Y::str(&c.name))
        .put("image", Y::str(&c.image))
        .put_nonempty("command", Y::strs(&c.command))
        .put_nonempty("ports", Y::Seq(ports))
        .put_nonempty("resources", resources)
        .put_if(c.privileged, "securityContext", || {
            MapBuilder::new().put("privileged", Y::bool(true)).build()
        })
        .build()
}

fn volume(name: &str, source: &VolumeSource) -> Y {
    let (key, value) = match source {
        VolumeSource::EmptyDir { memory } => (
            "emptyDir".to_string(),
            MapBuilder::new()
                .put_if(*memory, "medium", || Y::str("Memory"))
                .build(),
        ),
        // The lab does not keep the host path; any path reads back the same.
        VolumeSource::HostPath => (
            "hostPath".to_string(),
            MapBuilder::new().put("path", Y::str("/")).build(),
        ),
        VolumeSource::PersistentVolumeClaim { claim_name, .. } => (
            "persistentVolumeClaim".to_string(),
            MapBuilder::new()
                .put("claimName", Y::str(claim_name))
                .build(),
        ),
        VolumeSource::ConfigMap => (
            "configMap".to_string(),
            MapBuilder::new().put("name", Y::str(name)).build(),
        ),
        VolumeSource::Secret => (
            "secret".to_string(),
            MapBuilder::new().put("secretName", Y::str(name)).build(),
        ),
        VolumeSource::Other(kind) => (kind.clone(), Y::Map(Vec::new())),
    };
    MapBuilder::new()
        .put("name", Y::str(name))
        .put(&key, value)
        .build()
}

/// A pod spec; `default_restart` is the owner's default `restartPolicy`.
pub fn pod_spec(s: &PodSpec, default_restart: &str) -> Y {
    let tolerations = s
        .tolerations
        .iter()
        .map(|t| {
            MapBuilder::new()
                .put_if(!t.key.is_empty(), "key", || Y::str(&t.key))
                .put_if(t.operator == TolerationOperator::Exists, "operator", || {
                    Y::str("Exists")
                })
                .put_if(!t.value.is_empty(), "value", || Y::str(&t.value))
                .put_if(t.effect.is_some(), "effect", || {
                    Y::str(t.effect.map_or("", |e| e.as_str()))
                })
                .build()
        })
        .collect();
    let affinity = if s.node_affinity.is_empty() {
        Y::Map(Vec::new())
    } else {
        let terms = s.node_affinity.iter().map(|t| {
            MapBuilder::new()
                .put(
                    "matchExpressions",
                    Y::Seq(t.iter().map(requirement).collect()),
                )
                .build()
        });
        let required = MapBuilder::new()
            .put("nodeSelectorTerms", Y::Seq(terms.collect()))
            .build();
        let node = MapBuilder::new()
            .put("requiredDuringSchedulingIgnoredDuringExecution", required)
            .build();
        MapBuilder::new().put("nodeAffinity", node).build()
    };
    MapBuilder::new()
        .put_nonempty(
            "initContainers",
            Y::Seq(s.init_containers.iter().map(container).collect()),
        )
        .put(
            "containers",
            Y::Seq(s.containers.iter().map(container).collect()),
        )
        .put_nonempty("nodeSelector", Y::string_map(&s.node_selector))
        .put_nonempty("affinity", affinity)
        .put_nonempty("tolerations", Y::Seq(tolerations))
        .put_if(s.node_name.is_some(), "nodeName", || {
            Y::str(s.node_name.clone().unwrap_or_default())
        })
        .put_if(!s.scheduler_name.is_empty(), "schedulerName", || {
            Y::str(&s.scheduler_name)
        })
        .put_if(s.host_network, "hostNetwork", || Y::bool(true))
        .put_if(
            !s.priority_class_name.is_empty(),
            "priorityClassName",
            || Y::str(&s.priority_class_name),
        )
        .put_if(
            s.restart_policy != default_restart && !s.restart_policy.is_empty(),
            "restartPolicy",
            || Y::str(&s.restart_policy),
        )
        .put_if(
            s.termination_grace_period_secs != 30,
            "terminationGracePeriodSeconds",
            || Y::num(s.termination_grace_period_secs),
        )
        .put_nonempty(
            "volumes",
            Y::Seq(
                s.volumes
                    .iter()
                    .map(|v| volume(&v.name, &v.source))
                    .collect(),
            ),
        )
        .build()
}

fn template(t: &PodTemplateSpec, default_restart: &str) -> Y {
    let mut annotations = t.annotations.clone();
    annotations.remove(RUN_DURATION_ANNOTATION);
    let metadata = MapBuilder::new()
        .put_nonempty("labels", Y::string_map(&t.labels))
        .put_nonempty("annotations", Y::string_map(&annotations))
        .build();
    MapBuilder::new()
        .put_nonempty("metadata", metadata)
        .put("spec", pod_spec(&t.spec, default_restart))
        .build()
}

/// A manifest document.
pub fn manifest(m: &Manifest) -> Y {
    let none = BTreeMap::new();
    let (api, kind, metadata, spec) = match m {
        Manifest::Namespace(n) => ("v1", "Namespace", meta(&n.meta, &none), None),
        Manifest::Deployment(d) => {
            let s = &d.spec;
            let strategy = match s.strategy {
                DeploymentStrategy::Recreate => {
                    MapBuilder::new().put("type", Y::str("Recreate")).build()
                }
                st if st == DeploymentStrategy::default() => Y::Map(Vec::new()),
                DeploymentStrategy::RollingUpdate {
                    max_surge,
                    max_unavailable,
                } => {
                    let ru = MapBuilder::new()
                        .put("maxSurge", int_or_percent(max_surge))
                        .put("maxUnavailable", int_or_percent(max_unavailable))
                        .build();
                    MapBuilder::new()
                        .put("type", Y::str("RollingUpdate"))
                        .put("rollingUpdate", ru)
                        .build()
                }
            };
            let spec = MapBuilder::new()
                .put("replicas", Y::num(s.replicas))
                .put("selector", selector(&s.selector))
                .put_nonempty("strategy", strategy)
                .put_if(s.min_ready_seconds > 0, "minReadySeconds", || {
                    Y::num(s.min_ready_seconds)
                })
                .put_if(s.paused, "paused", || Y::bool(true))
                .put("template", template(&s.template, "Always"))
                .build();
            ("apps/v1", "Deployment", meta(&d.meta, &none), Some(spec))
        }
        Manifest::DaemonSet(d) => {
            let spec = MapBuilder::new()
                .put("selector", selector(&d.selector))
                .put("template", template(&d.template, "Always"))
                .build();
            ("apps/v1", "DaemonSet", meta(&d.meta, &none), Some(spec))
        }
        Manifest::Job(j) => {
            let s = &j.spec;
            let mut extra = BTreeMap::new();
            if SimDuration(s.run_for_ms) != derived_run_for(&s.template) {
                extra.insert(
                    RUN_DURATION_ANNOTATION.to_string(),
                    SimDuration::text(SimDuration(s.run_for_ms)),
                );
            }
            let spec = MapBuilder::new()
                .put_if(s.completions != 1, "completions", || Y::num(s.completions))
                .put_if(s.parallelism != 1, "parallelism", || Y::num(s.parallelism))
                .put_if(s.backoff_limit != 6, "backoffLimit", || {
                    Y::num(s.backoff_limit)
                })
                .put_if(
                    s.ttl_seconds_after_finished.is_some(),
                    "ttlSecondsAfterFinished",
                    || Y::num(s.ttl_seconds_after_finished.unwrap_or_default()),
                )
                .put("template", template(&s.template, "Never"))
                .build();
            ("batch/v1", "Job", meta(&j.meta, &extra), Some(spec))
        }
        Manifest::PodDisruptionBudget(p) => {
            let s = &p.spec;
            let spec = MapBuilder::new()
                .put_if(s.min_available.is_some(), "minAvailable", || {
                    int_or_percent(s.min_available.unwrap_or(IntOrPercent::Int(0)))
                })
                .put_if(s.max_unavailable.is_some(), "maxUnavailable", || {
                    int_or_percent(s.max_unavailable.unwrap_or(IntOrPercent::Int(0)))
                })
                .put("selector", selector(&s.selector))
                .build();
            (
                "policy/v1",
                "PodDisruptionBudget",
                meta(&p.meta, &none),
                Some(spec),
            )
        }
        Manifest::Pod(p) => (
            "v1",
            "Pod",
            meta(&p.meta, &none),
            Some(pod_spec(&p.spec, "Always")),
        ),
        Manifest::HorizontalPodAutoscaler(h) => (
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            meta(&h.meta, &none),
            Some(super::hpa::spec(h)),
        ),
        Manifest::VerticalPodAutoscaler(v) => (
            "autoscaling.k8s.io/v1",
            "VerticalPodAutoscaler",
            meta(&v.meta, &none),
            Some(super::vpa::spec(v)),
        ),
    };
    let mut b = MapBuilder::new()
        .put("apiVersion", Y::str(api))
        .put("kind", Y::str(kind))
        .put("metadata", metadata);
    if let Some(spec) = spec {
        b = b.put("spec", spec);
    }
    b.build()
}

/// A `managedNodeGroups[]` or `nodeGroups[]` entry; `release_version` writes the kubelet
/// version as `releaseVersion` (managed groups in the timeline).
pub fn nodegroup(ng: &NodegroupSpec, release_version: bool) -> Y {
    let managed = ng.kind == NodegroupKind::Managed;
    let base = NodegroupSpec::managed(&ng.name);
    let distribution = !managed && (ng.spot || ng.instance_types.len() > 1);
    let mut b = MapBuilder::new().put("name", Y::str(&ng.name));
    if distribution {
        let d = MapBuilder::new()
            .put("instanceTypes", Y::strs(&ng.instance_types))
            .put("onDemandBaseCapacity", Y::num(0))
            .put(
                "onDemandPercentageAboveBaseCapacity",
                Y::num(if ng.spot { 0 } else { 100 }),
            )
            .build();
        b = b.put("instancesDistribution", d);
    } else if let [one] = ng.instance_types.as_slice() {
        b = b.put("instanceType", Y::str(one));
    } else {
        b = b.put_nonempty("instanceTypes", Y::strs(&ng.instance_types));
    }
    let taints = ng
        .taints
        .iter()
        .map(|t| {
            MapBuilder::new()
                .put("key", Y::str(&t.key))
                .put_if(!t.value.is_empty(), "value", || Y::str(&t.value))
                .put("effect", Y::str(t.effect.as_str()))
                .build()
        })
        .collect();
    // `updateConfig` needs one of its two limits whenever it is written (eks-facts §4), so a
    // non-default strategy brings the limit along even when that is the default one node.
    let strategy = (ng.update_strategy != UpdateStrategy::Default).then_some(ng.update_strategy);
    let update = if ng.update_config == NodegroupUpdateConfig::default() && strategy.is_none() {
        Y::Map(Vec::new())
    } else {
        match ng.update_config {
            NodegroupUpdateConfig::MaxUnavailable(n) => {
                MapBuilder::new().put("maxUnavailable", Y::num(n))
            }
            NodegroupUpdateConfig::MaxUnavailablePercentage(p) => {
                MapBuilder::new().put("maxUnavailablePercentage", Y::num(p))
            }
        }
        .put_if(strategy.is_some(), "updateStrategy", || {
            Y::str(ng.update_strategy.as_str())
        })
        .build()
    };
    b.put("desiredCapacity", Y::num(ng.desired_capacity))
        .put("minSize", Y::num(ng.min_size))
        .put("maxSize", Y::num(ng.max_size))
        .put_if(managed && ng.spot, "spot", || Y::bool(true))
        .put_nonempty("labels", Y::string_map(&ng.labels))
        .put_nonempty("taints", Y::Seq(taints))
        .put_nonempty("updateConfig", update)
        .put("volumeSize", Y::num(ng.volume_size_gib))
        .put("volumeType", Y::str(&ng.volume_type))
        .put_if(ng.ami_family != base.ami_family, "amiFamily", || {
            Y::str(&ng.ami_family)
        })
        .put_if(ng.private_networking, "privateNetworking", || Y::bool(true))
        .put_nonempty("availabilityZones", Y::strs(&ng.zones))
        .put_if(ng.max_pods_per_node.is_some(), "maxPodsPerNode", || {
            Y::num(ng.max_pods_per_node.unwrap_or_default())
        })
        .put_if(
            release_version && ng.version.is_some(),
            "releaseVersion",
            || Y::str(ng.version.map(|v| v.to_string()).unwrap_or_default()),
        )
        // Written only when it differs from the kind's default (managed groups are tagged by
        // EKS, self-managed ones only with the Cluster Autoscaler add-on policy).
        .put_if(ng.autoscaler_tags != managed, "iam", || {
            let policies = MapBuilder::new()
                .put("autoScaler", Y::bool(ng.autoscaler_tags))
                .build();
            MapBuilder::new().put("withAddonPolicies", policies).build()
        })
        .build()
}

/// A `fargateProfiles[]` entry.
pub fn fargate_profile(fp: &FargateProfileSpec) -> Y {
    let selectors = fp
        .selectors
        .iter()
        .map(|s| {
            MapBuilder::new()
                .put("namespace", Y::str(&s.namespace))
                .put_nonempty("labels", Y::string_map(&s.labels))
                .build()
        })
        .collect();
    MapBuilder::new()
        .put("name", Y::str(&fp.name))
        .put("selectors", Y::Seq(selectors))
        .put_nonempty("subnets", Y::strs(&fp.subnets))
        .build()
}
