//! The API server's validation of each kind the lab models, limited to what the lab's
//! objects hold (names, namespaces, labels, annotations, selectors, container names, the
//! scale target's name). Ported from kubernetes/kubernetes `pkg/apis/core/validation`
//! (`ValidateNamespace`, `ValidatePod`, `ValidatePodTemplateSpec`, container names),
//! `pkg/apis/apps/validation` (`ValidateDeployment`, `ValidateDaemonSet`: names are DNS
//! subdomains), `pkg/apis/batch/validation` (`ValidateJob`: the pods carry the Job's name as
//! the `batch.kubernetes.io/job-name` and `job-name` label values, so it must fit a label
//! value), `pkg/apis/policy/validation` (`ValidatePodDisruptionBudget`: only the spec; the
//! name is checked by the generic registry) and `pkg/apis/autoscaling/validation`
//! (`ValidateHorizontalPodAutoscaler`, `ValidateCrossVersionObjectReference`); custom
//! resources (the VPA) get `NameIsDNSSubdomain` from apiextensions. As in the registry's
//! `BeforeCreate`, the kind's own validation runs first and, when it passes, the generic
//! `ValidateObjectMetaAccessor` with `ValidatePathSegmentName`.

use std::collections::{BTreeMap, BTreeSet};

use super::NameRule;
use super::field::{FieldError, json_map};
use super::meta::{
    Scope, child, index, selector_converts, selector_json, validate_annotations,
    validate_label_name, validate_label_selector, validate_labels, validate_object_meta,
};
use crate::sim::api::{Kind, LabelSelector, ObjectMeta, PodSpec, PodTemplateSpec};
use crate::sim::spec::Manifest;

/// The label the Job controller puts on its pods with the Job's name
/// (`batch.kubernetes.io/job-name`), and its legacy twin.
pub const JOB_NAME_LABELS: [&str; 2] = ["batch.kubernetes.io/job-name", "job-name"];

/// The rule a kind's `metadata.name` follows.
pub const fn name_rule(kind: Kind) -> NameRule {
    match kind {
        Kind::Namespace => NameRule::DnsLabel,
        Kind::PodDisruptionBudget => NameRule::PathSegment,
        _ => NameRule::DnsSubdomain,
    }
}

/// Every problem the API server finds with `m` on create, in its order.
pub fn validate_manifest(m: &Manifest) -> Vec<FieldError> {
    let errs = match m {
        Manifest::Namespace(n) => {
            validate_object_meta(&n.meta, Scope::Cluster, NameRule::DnsLabel, "metadata")
        }
        Manifest::Pod(p) => {
            let mut errs = namespaced_meta(&p.meta, Kind::Pod);
            errs.extend(validate_pod_spec(&p.spec, "spec"));
            errs
        }
        Manifest::Deployment(d) => {
            let mut errs = namespaced_meta(&d.meta, Kind::Deployment);
            errs.extend(replica_set_like(
                &d.spec.selector,
                &d.spec.template,
                "deployment",
            ));
            errs
        }
        Manifest::DaemonSet(d) => {
            let mut errs = namespaced_meta(&d.meta, Kind::DaemonSet);
            errs.extend(validate_label_selector(&d.selector, "spec.selector"));
            if selector_converts(&d.selector) && !d.selector.matches(&d.template.labels) {
                errs.push(mismatch(&d.template.labels));
            }
            if d.selector.is_empty() {
                errs.push(FieldError::invalid_json(
                    "spec.selector",
                    selector_json(&d.selector),
                    "empty selector is invalid for daemonset",
                ));
            }
            errs.extend(validate_pod_template(
                &d.template,
                &BTreeMap::new(),
                "spec.template",
            ));
            errs
        }
        Manifest::Job(j) => {
            let mut errs = namespaced_meta(&j.meta, Kind::Job);
            // The registry's `generateSelector` labels the template before validation.
            let generated: BTreeMap<String, String> = crate::sim::sort::map(
                JOB_NAME_LABELS
                    .iter()
                    .map(|k| ((*k).to_string(), j.meta.name.clone())),
            );
            errs.extend(validate_pod_template(
                &j.spec.template,
                &generated,
                "spec.template",
            ));
            errs
        }
        Manifest::PodDisruptionBudget(p) => {
            validate_label_selector(&p.spec.selector, "spec.selector")
        }
        Manifest::HorizontalPodAutoscaler(h) => {
            let mut errs = namespaced_meta(&h.meta, Kind::HorizontalPodAutoscaler);
            let path = "spec.scaleTargetRef.name";
            if h.spec.target_name.is_empty() {
                errs.push(FieldError::required(path, ""));
            }
            for msg in super::is_valid_path_segment_name(&h.spec.target_name) {
                errs.push(FieldError::invalid(path, &h.spec.target_name, &msg));
            }
            errs
        }
        Manifest::VerticalPodAutoscaler(v) => namespaced_meta(&v.meta, Kind::VerticalPodAutoscaler),
    };
    if !errs.is_empty() {
        return errs;
    }
    let (meta, scope) = meta_of(m);
    validate_object_meta(meta, scope, NameRule::PathSegment, "metadata")
}

fn meta_of(m: &Manifest) -> (&ObjectMeta, Scope) {
    match m {
        Manifest::Namespace(o) => (&o.meta, Scope::Cluster),
        Manifest::Deployment(o) => (&o.meta, Scope::Namespaced),
        Manifest::DaemonSet(o) => (&o.meta, Scope::Namespaced),
        Manifest::Job(o) => (&o.meta, Scope::Namespaced),
        Manifest::PodDisruptionBudget(o) => (&o.meta, Scope::Namespaced),
        Manifest::Pod(o) => (&o.meta, Scope::Namespaced),
        Manifest::HorizontalPodAutoscaler(o) => (&o.meta, Scope::Namespaced),
        Manifest::VerticalPodAutoscaler(o) => (&o.meta, Scope::Namespaced),
    }
}

fn namespaced_meta(meta: &ObjectMeta, kind: Kind) -> Vec<FieldError> {
    validate_object_meta(meta, Scope::Namespaced, name_rule(kind), "metadata")
}

fn mismatch(labels: &BTreeMap<String, String>) -> FieldError {
    FieldError::invalid_json(
        "spec.template.metadata.labels",
        json_map(labels),
        "`selector` does not match template `labels`",
    )
}

/// `ValidateDeploymentSpec`'s selector and template part (also a ReplicaSet's): a selector
/// that does not convert is `invalid label selector` and the template is then not checked.
fn replica_set_like(
    selector: &LabelSelector,
    template: &PodTemplateSpec,
    kind: &str,
) -> Vec<FieldError> {
    let mut errs = validate_label_selector(selector, "spec.selector");
    if selector.is_empty() {
        errs.push(FieldError::invalid_json(
            "spec.selector",
            selector_json(selector),
            &format!("empty selector is invalid for {kind}"),
        ));
    }
    if !selector_converts(selector) {
        errs.push(FieldError::invalid_json(
            "spec.selector",
            selector_json(selector),
            "invalid label selector",
        ));
        return errs;
    }
    if !selector.is_empty() && !selector.matches(&template.labels) {
        errs.push(mismatch(&template.labels));
    }
    errs.extend(validate_pod_template(
        template,
        &BTreeMap::new(),
        "spec.template",
    ));
    errs
}

/// `ValidatePodTemplateSpec`: labels (with any the registry adds), annotations, pod spec.
fn validate_pod_template(
    t: &PodTemplateSpec,
    generated: &BTreeMap<String, String>,
    path: &str,
) -> Vec<FieldError> {
    let mut labels = t.labels.clone();
    for (k, v) in generated {
        labels.entry(k.clone()).or_insert_with(|| v.clone());
    }
    let mut errs = validate_labels(&labels, &child(path, "labels"));
    errs.extend(validate_annotations(
        &t.annotations,
        &child(path, "annotations"),
    ));
    errs.extend(validate_pod_spec(&t.spec, &child(path, "spec")));
    errs
}

/// The names in `ValidatePodSpec`: containers then init containers (each a DNS label, no
/// name twice), node selector labels, toleration keys and node affinity keys.
pub fn validate_pod_spec(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let lists = [
        ("containers", &spec.containers),
        ("initContainers", &spec.init_containers),
    ];
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (field, list) in lists {
        for (i, c) in list.iter().enumerate() {
            let p = child(&index(&child(path, field), i), "name");
            if c.name.is_empty() {
                errs.push(FieldError::required(&p, ""));
            } else {
                for m in super::is_dns1123_label(&c.name) {
                    errs.push(FieldError::invalid(&p, &c.name, &m));
                }
            }
            if !seen.insert(&c.name) {
                errs.push(FieldError::duplicate(&p, &c.name));
            }
        }
    }
    errs.extend(validate_labels(
        &spec.node_selector,
        &child(path, "nodeSelector"),
    ));
    let terms = child(
        path,
        "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms",
    );
    for (i, term) in spec.node_affinity.iter().enumerate() {
        for (j, r) in term.iter().enumerate() {
            let p = index(&child(&index(&terms, i), "matchExpressions"), j);
            errs.extend(validate_label_name(&r.key, &child(&p, "key")));
        }
    }
    for (i, t) in spec.tolerations.iter().enumerate() {
        if !t.key.is_empty() {
            errs.extend(validate_label_name(
                &t.key,
                &child(&index(&child(path, "tolerations"), i), "key"),
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::api::Container;
    use crate::sim::api::autoscaling::HorizontalPodAutoscalerSpec;
    use crate::sim::api::{
        DaemonSet, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy,
        HorizontalPodAutoscaler, HorizontalPodAutoscalerStatus, IntOrPercent, Job, JobSpec,
        JobStatus, Namespace, PodDisruptionBudget, PodDisruptionBudgetSpec,
        PodDisruptionBudgetStatus,
    };

    const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    fn labels(name: &str) -> BTreeMap<String, String> {
        [("app".to_string(), name.to_string())]
            .into_iter()
            .collect()
    }

    fn template(name: &str, container: &str) -> PodTemplateSpec {
        PodTemplateSpec {
            labels: labels(name),
            annotations: BTreeMap::new(),
            spec: PodSpec {
                containers: vec![Container {
                    name: container.into(),
                    image: "nginx".into(),
                    ..Container::default()
                }],
                ..PodSpec::default()
            },
        }
    }

    /// What `kubectl create deployment NAME --image=nginx -n NS` sends.
    fn deployment(ns: &str, name: &str) -> Manifest {
        let mut meta = ObjectMeta::named(ns, name);
        meta.labels = labels(name);
        Manifest::Deployment(Deployment {
            meta,
            spec: DeploymentSpec {
                replicas: 1,
                selector: LabelSelector::from_labels(labels(name)),
                template: template(name, "nginx"),
                strategy: DeploymentStrategy::default(),
                min_ready_seconds: 0,
                paused: false,
            },
            status: DeploymentStatus::default(),
        })
    }

    fn texts(m: &Manifest) -> Vec<String> {
        validate_manifest(m)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn names_follow_their_kinds_rule() {
        assert_eq!(texts(&deployment("default", "web")), Vec::<String>::new());
        assert_eq!(
            texts(&deployment("default", "Bad_Name")),
            [format!(
                "metadata.name: Invalid value: \"Bad_Name\": {SUBDOMAIN_MSG}"
            )]
        );
        let ns = |name: &str| {
            Manifest::Namespace(Namespace {
                meta: ObjectMeta::named("", name),
            })
        };
        assert_eq!(texts(&ns("batch")), Vec::<String>::new());
        assert_eq!(
            texts(&ns("Batch_NS")),
            [
                "metadata.name: Invalid value: \"Batch_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
            ]
        );
        assert_eq!(
            texts(&ns("web.v2")),
            ["metadata.name: Invalid value: \"web.v2\": must not contain dots"]
        );
        // A PodDisruptionBudget's name is only a path segment: upper case is fine, `/` not.
        let pdb = |name: &str| {
            Manifest::PodDisruptionBudget(PodDisruptionBudget {
                meta: ObjectMeta::named("default", name),
                spec: PodDisruptionBudgetSpec {
                    min_available: Some(IntOrPercent::Int(1)),
                    max_unavailable: None,
                    selector: LabelSelector::from_labels(labels("web")),
                },
                status: PodDisruptionBudgetStatus::default(),
            })
        };
        assert_eq!(texts(&pdb("Web_PDB")), Vec::<String>::new());
        assert_eq!(
            texts(&pdb("a/b")),
            ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]
        );
    }

    #[test]
    fn a_long_create_deployment_name_breaks_its_labels_and_selector() {
        let name = "a".repeat(64);
        let long = format!("\"{name}\"");
        assert_eq!(
            texts(&deployment("default", &name)),
            [
                format!("metadata.labels: Invalid value: {long}: must be no more than 63 bytes"),
                format!(
                    "spec.selector.matchLabels: Invalid value: {long}: must be no more than 63 bytes"
                ),
                format!(
                    "spec.selector: Invalid value: {{\"matchLabels\":{{\"app\":{long}}}}}: invalid label selector"
                ),
            ]
        );
        assert_eq!(
            texts(&deployment("default", &"a".repeat(63))),
            Vec::<String>::new()
        );
    }

    #[test]
    fn templates_must_match_their_selector_and_name_containers_well() {
        let Manifest::Deployment(mut d) = deployment("default", "web") else {
            unreachable!()
        };
        d.spec.template.labels = labels("api");
        d.spec.template.spec.containers.push(Container {
            name: "nginx".into(),
            ..Container::default()
        });
        d.spec.template.spec.init_containers.push(Container {
            name: "Init".into(),
            ..Container::default()
        });
        let got = texts(&Manifest::Deployment(d));
        assert_eq!(
            got[0],
            "spec.template.metadata.labels: Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"
        );
        assert_eq!(
            got[1],
            "spec.template.spec.containers[1].name: Duplicate value: \"nginx\""
        );
        assert!(got[2].starts_with("spec.template.spec.initContainers[0].name: Invalid value: \"Init\": a lowercase RFC 1123 label"));
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn a_job_name_must_fit_a_label_value() {
        let job = |name: &str| {
            Manifest::Job(Job {
                meta: ObjectMeta::named("default", name),
                spec: JobSpec {
                    completions: 1,
                    parallelism: 1,
                    backoff_limit: 6,
                    template: template("report", "report"),
                    ttl_seconds_after_finished: None,
                    run_for_ms: 60_000,
                },
                status: JobStatus::default(),
            })
        };
        assert_eq!(texts(&job(&"j".repeat(63))), Vec::<String>::new());
        let name = "j".repeat(64);
        // Both generated labels carry the same value; the aggregate keeps one.
        assert_eq!(
            super::super::aggregate(&validate_manifest(&job(&name))),
            format!(
                "spec.template.labels: Invalid value: \"{name}\": must be no more than 63 bytes"
            )
        );
    }

    #[test]
    fn daemonsets_and_hpas() {
        let ds = Manifest::DaemonSet(DaemonSet {
            meta: ObjectMeta::named("kube-system", "agent"),
            selector: LabelSelector::default(),
            template: template("agent", "agent"),
            max_unavailable: IntOrPercent::Int(1),
            desired_number_scheduled: 0,
            current_number_scheduled: 0,
            number_ready: 0,
        });
        assert_eq!(
            texts(&ds),
            ["spec.selector: Invalid value: {}: empty selector is invalid for daemonset"]
        );
        let hpa = Manifest::HorizontalPodAutoscaler(HorizontalPodAutoscaler {
            meta: ObjectMeta::named("default", "web"),
            spec: HorizontalPodAutoscalerSpec {
                target_kind: Kind::Deployment,
                target_name: "web/x".into(),
                min_replicas: 1,
                max_replicas: 3,
                metrics: Vec::new(),
                behavior: None,
            },
            status: HorizontalPodAutoscalerStatus::default(),
        });
        assert_eq!(
            texts(&hpa),
            ["spec.scaleTargetRef.name: Invalid value: \"web/x\": may not contain '/'"]
        );
    }
}
