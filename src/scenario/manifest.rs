//! Kubernetes manifests: which apiVersion/kind pairs the lab models, object metadata, names,
//! labels and label selectors. The kinds themselves are decoded in `manifest/kinds.rs`.

mod hpa;
mod kinds;
mod validate;
mod vpa;

pub(crate) use kinds::decode;

use std::collections::BTreeMap;

use super::decode::{Fields, Obj, Sink, obj};
use super::pod;
use super::yaml::Node;
use crate::sim::api::validation::FieldError;
use crate::sim::api::validation::meta::{Scope, validate_object_meta};
use crate::sim::api::validation::objects::name_rule;
use crate::sim::api::{Kind, LabelSelector, ObjectMeta};

/// The kinds the lab simulates, with their apiVersion.
pub const MODELLED: &[(&str, &str)] = &[
    ("v1", "Namespace"),
    ("v1", "Pod"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "DaemonSet"),
    ("batch/v1", "Job"),
    ("policy/v1", "PodDisruptionBudget"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("autoscaling.k8s.io/v1", "VerticalPodAutoscaler"),
];

/// Real Kubernetes (and common EKS add-on) kinds the lab accepts and ignores with a warning.
pub const UNMODELLED: &[&str] = &[
    "Service",
    "ConfigMap",
    "Secret",
    "ServiceAccount",
    "Ingress",
    "IngressClass",
    "StatefulSet",
    "CronJob",
    "ReplicaSet",
    "ReplicationController",
    "Role",
    "RoleBinding",
    "ClusterRole",
    "ClusterRoleBinding",
    "NetworkPolicy",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "StorageClass",
    "LimitRange",
    "ResourceQuota",
    "PriorityClass",
    "Endpoints",
    "EndpointSlice",
    "CustomResourceDefinition",
    "PodTemplate",
    "Lease",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "NodePool",
    "EC2NodeClass",
    "TargetGroupBinding",
];

/// How the lab treats an apiVersion/kind pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Modelled,
    Unmodelled,
    /// A modelled kind under another apiVersion; holds the right one.
    WrongVersion(&'static str),
    Unknown,
}

pub(crate) fn classify(api_version: &str, kind: &str) -> Class {
    if MODELLED.contains(&(api_version, kind)) {
        return Class::Modelled;
    }
    if let Some((v, _)) = MODELLED.iter().find(|(_, k)| *k == kind) {
        return Class::WrongVersion(v);
    }
    if UNMODELLED.contains(&kind) {
        Class::Unmodelled
    } else {
        Class::Unknown
    }
}

const METADATA: Fields = Fields {
    known: &["name", "namespace", "labels", "annotations"],
    unmodelled: &["ownerReferences", "finalizers", "generateName"],
    silent: &[
        "uid",
        "resourceVersion",
        "creationTimestamp",
        "managedFields",
        "selfLink",
        "generation",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ],
};

/// A label mapping (`metadata.labels`, `matchLabels`, ...). Its keys and values are
/// checked with the rest of the object by the API server's validation (`validate.rs`).
pub(crate) fn labels_field(sink: &mut Sink, o: &Obj<'_>, key: &str) -> BTreeMap<String, String> {
    o.string_map(sink, key).unwrap_or_default()
}

/// `metadata` of an object; `namespaced` objects default to `default`. Its name, namespace,
/// labels and annotations are validated at once, with the kind's rule for names.
pub(super) fn metadata(
    sink: &mut Sink,
    top: &Obj<'_>,
    kind: Kind,
    namespaced: bool,
) -> Option<ObjectMeta> {
    let Some(m) = top.obj(sink, "metadata", &METADATA) else {
        sink.error(
            top.mark,
            &top.at("metadata"),
            "required field is missing: the object needs metadata.name",
        );
        return None;
    };
    let since = sink.diags.len();
    let name = m.req_str(sink, "name")?;
    let namespace = if namespaced {
        m.str(sink, "namespace")
            .unwrap_or_else(|| "default".to_string())
    } else {
        if m.has("namespace") {
            sink.warn(
                m.key_mark("namespace"),
                &m.at("namespace"),
                "a Namespace is cluster-scoped; metadata.namespace is ignored",
            );
        }
        String::new()
    };
    let mut meta = ObjectMeta::named(namespace, name);
    meta.labels = labels_field(sink, &m, "labels");
    meta.annotations = m.string_map(sink, "annotations").unwrap_or_default();
    let scope = if namespaced {
        Scope::Namespaced
    } else {
        Scope::Cluster
    };
    let errs = validate_object_meta(&meta, scope, name_rule(kind), "metadata");
    if let Some(node) = top.get("metadata") {
        validate::report(sink, node, &m.path, &strip(&errs, "metadata"), since);
    }
    Some(meta)
}

/// `errs` with `prefix.` taken off their fields (to report them from the node at `prefix`).
fn strip(errs: &[FieldError], prefix: &str) -> Vec<FieldError> {
    errs.iter()
        .map(|e| {
            let mut e = e.clone();
            if let Some(rest) = e.field.strip_prefix(prefix) {
                e.field = rest.trim_start_matches('.').to_string();
            }
            e
        })
        .collect()
}

/// `selector` with `matchLabels` and `matchExpressions`.
pub(crate) fn label_selector(sink: &mut Sink, node: &Node, path: &str) -> Option<LabelSelector> {
    let s = obj(
        sink,
        node,
        path,
        &Fields::known(&["matchLabels", "matchExpressions"]),
    )?;
    let mut out = LabelSelector {
        match_labels: labels_field(sink, &s, "matchLabels"),
        match_expressions: Vec::new(),
    };
    for (p, n) in s.seq(sink, "matchExpressions") {
        if let Some(r) = pod::requirement(sink, n, &p, false) {
            out.match_expressions.push(r);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::api::{DeploymentStrategy, IntOrPercent};
    use crate::sim::quantity::{MIB, Resources};
    use crate::sim::spec::Manifest;

    fn load(text: &str) -> (Option<Manifest>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        let kind = root
            .get("kind")
            .and_then(Node::as_text)
            .unwrap_or_default()
            .to_string();
        (decode(&mut sink, &root, "", &kind), sink)
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          resources:\n            requests: {cpu: 500m, memory: 256Mi}\n";

    #[test]
    fn deployment_defaults() {
        let (m, sink) = load(DEPLOY);
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::Deployment(d)) = m else {
            panic!()
        };
        assert_eq!(d.meta.namespace, "default");
        assert_eq!(d.spec.replicas, 1);
        assert_eq!(d.spec.strategy, DeploymentStrategy::default());
        assert_eq!(
            d.spec.template.spec.containers[0].requests,
            Resources::new(500, 256 * MIB)
        );
        assert_eq!(d.spec.template.spec.restart_policy, "Always");
    }

    #[test]
    fn selector_must_match_template_labels() {
        let (m, sink) = load(&DEPLOY.replace("labels: {app: web}", "labels: {app: api}"));
        assert!(m.is_none());
        assert_eq!(sink.diags[0].path, "spec.template.metadata.labels");
        assert!(
            sink.diags[0]
                .message
                .contains("`selector` does not match template `labels`")
        );
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (10, 15));
    }

    #[test]
    fn unknown_fields_and_typos() {
        let (m, sink) =
            load(&DEPLOY.replace("spec:\n  selector", "spec:\n  replica: 3\n  selector"));
        assert!(m.is_none());
        assert_eq!(
            sink.diags[0].message,
            "unknown field \"replica\" (did you mean \"replicas\"?)"
        );
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (6, 3));
    }

    #[test]
    fn jobs_take_their_run_time_from_the_annotation_or_sleep() {
        let job = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations: {ekslab.dev/run-duration: 5m, team: a}\nspec:\n  ttlSecondsAfterFinished: 60\n  template:\n    spec:\n      containers: [{name: j, image: busybox, command: [sleep, \"30\"]}]\n";
        let (m, sink) = load(job);
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::Job(j)) = m else { panic!() };
        assert_eq!(j.spec.run_for_ms, 300_000);
        assert_eq!(j.meta.annotations.len(), 1);
        assert_eq!(
            (j.spec.completions, j.spec.parallelism, j.spec.backoff_limit),
            (1, 1, 6)
        );
        assert_eq!(j.spec.ttl_seconds_after_finished, Some(60));
        assert_eq!(j.spec.template.spec.restart_policy, "Never");
        let (m, _) = load(&job.replace("ekslab.dev/run-duration: 5m, ", ""));
        let Some(Manifest::Job(j)) = m else { panic!() };
        assert_eq!(j.spec.run_for_ms, 30_000);
    }

    #[test]
    fn pdb_needs_exactly_one_bound() {
        let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector: {matchLabels: {app: web}}\n";
        let (m, sink) = load(pdb);
        assert!(m.is_none());
        assert_eq!(
            sink.diags[0].message,
            "set exactly one of minAvailable and maxUnavailable"
        );
        let (m, _) = load(&pdb.replace("  minAvailable: 1\n", ""));
        let Some(Manifest::PodDisruptionBudget(p)) = m else {
            panic!()
        };
        assert_eq!(p.spec.max_unavailable, Some(IntOrPercent::Int(1)));
    }

    #[test]
    fn classify_kinds() {
        assert_eq!(classify("apps/v1", "Deployment"), Class::Modelled);
        assert_eq!(
            classify("extensions/v1beta1", "Deployment"),
            Class::WrongVersion("apps/v1")
        );
        assert_eq!(classify("v1", "Service"), Class::Unmodelled);
        assert_eq!(classify("v1", "Banana"), Class::Unknown);
    }

    #[test]
    fn labels_are_validated() {
        let (_, sink) = load(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n  labels: {\"-bad\": ok, good: \"no spaces\"}\n",
        );
        assert_eq!(sink.error_count(), 2);
    }
}
