//! The Workloads tab's deploy form as a draft: its fields as typed, the Deployment it
//! applies (as `kubectl apply -f -` would), and what is wrong with it next to the field it
//! is about. Names, namespaces and labels get the API server's own messages (from
//! `sim::api::validation`, as the console and scenario files do); a namespace that does not
//! exist gets kubectl's `NotFound` answer, for the form never creates one.

use std::collections::BTreeMap;

use crate::sim::api::status::StatusError;
use crate::sim::api::validation::validate_manifest;
use crate::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, LabelSelector,
    ObjectMeta, PodSpec, PodTemplateSpec,
};
use crate::sim::api_server::APPLY_SOURCE;
use crate::sim::quantity::{Bytes, MilliCpu, Resources};
use crate::sim::spec::Manifest;
use crate::view::builder::{FieldError, numbers};

/// The form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployForm {
    pub name: String,
    pub namespace: String,
    pub image: String,
    pub replicas: String,
    pub cpu: String,
    pub memory: String,
    /// Extra pod labels, `compute=fargate, tier=web`.
    pub labels: String,
}

impl Default for DeployForm {
    fn default() -> Self {
        DeployForm {
            name: "web".into(),
            namespace: "default".into(),
            image: "public.ecr.aws/nginx/nginx:1.27".into(),
            replicas: "3".into(),
            cpu: "250m".into(),
            memory: "256Mi".into(),
            labels: String::new(),
        }
    }
}

/// The form's fields, for [`FieldError::field`].
pub const FIELDS: [&str; 7] = [
    "name",
    "namespace",
    "image",
    "replicas",
    "cpu",
    "memory",
    "labels",
];

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_string(),
        message: message.into(),
    }
}

/// Which form field an API server error is about: the object's name (which also names the
/// container and the `app` label), its namespace, or the extra labels.
fn field_of(e: &crate::sim::api::validation::FieldError, name: &str) -> &'static str {
    use crate::sim::api::validation::field::BadValue;
    let about_name = matches!(&e.bad_value, BadValue::Str(v) if v == name);
    match e.field.as_str() {
        "metadata.namespace" => "namespace",
        "spec.template.labels" if !about_name => "labels",
        _ => "name",
    }
}

impl DeployForm {
    /// The Deployment this form applies into one of `namespaces`, or every problem by field
    /// (in [`FIELDS`] order).
    pub fn to_deployment(&self, namespaces: &[String]) -> Result<Deployment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        let ns = self.namespace.trim();
        // The same checks as a manifest's and the console's (view::builder::numbers).
        let replicas = numbers::replicas(&self.replicas).unwrap_or_else(|e| {
            errors.push(error("replicas", e));
            0
        });
        let cpu = numbers::cpu(&self.cpu).unwrap_or_else(|e| {
            errors.push(error("cpu", e));
            MilliCpu(0)
        });
        let memory = numbers::memory(&self.memory).unwrap_or_else(|e| {
            errors.push(error("memory", e));
            Bytes(0)
        });
        if self.image.trim().is_empty() {
            errors.push(error(
                "image",
                "spec.template.spec.containers[0].image: Required value",
            ));
        }
        let app: BTreeMap<String, String> =
            crate::sim::sort::map([("app".to_string(), name.to_string())]);
        let mut labels = app.clone();
        for part in self
            .labels
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.split_once('=') {
                Some((k, v)) => {
                    labels.insert(k.trim().to_string(), v.trim().to_string());
                }
                None => errors.push(error("labels", format!("{part:?} is not key=value"))),
            }
        }
        let requests = Resources { cpu, memory };
        let d = Deployment {
            meta: ObjectMeta::named(ns, name),
            spec: DeploymentSpec {
                replicas,
                selector: LabelSelector::from_labels(app),
                template: PodTemplateSpec {
                    labels,
                    annotations: BTreeMap::new(),
                    spec: PodSpec {
                        containers: vec![Container {
                            name: name.to_string(),
                            image: self.image.trim().to_string(),
                            requests,
                            // Requests equal limits (Guaranteed QoS), as Fargate expects.
                            limits: requests,
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
        };
        let manifest = Manifest::Deployment(d);
        let mut seen = std::collections::BTreeSet::new();
        for e in validate_manifest(&manifest) {
            let field = field_of(&e, name);
            let message = e.to_string();
            if seen.insert((field, message.clone())) {
                errors.push(error(field, message));
            }
        }
        let ns_valid = !errors.iter().any(|e| e.field == "namespace");
        if ns_valid && !namespaces.iter().any(|n| n == ns) {
            errors.push(error(
                "namespace",
                StatusError::namespace_not_found(ns)
                    .with_source("creating", APPLY_SOURCE)
                    .kubectl(),
            ));
        }
        let Manifest::Deployment(d) = manifest else {
            unreachable!("built as a Deployment above")
        };
        if errors.is_empty() {
            Ok(d)
        } else {
            crate::sim::sort::sort_by_key(&mut errors, |e| {
                FIELDS.iter().position(|f| *f == e.field)
            });
            Err(errors)
        }
    }
}

/// Every message for `field`, one per line, for the form to show under it.
pub fn errors_for(errors: &[FieldError], field: &str) -> Option<String> {
    let msgs: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    (!msgs.is_empty()).then(|| msgs.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn namespaces() -> Vec<String> {
        ["default", "kube-system", "shop"]
            .iter()
            .map(|s| (*s).to_string())
            .collect()
    }

    fn form(name: &str, ns: &str) -> DeployForm {
        DeployForm {
            name: name.into(),
            namespace: ns.into(),
            ..DeployForm::default()
        }
    }

    #[test]
    fn a_good_form_builds_the_deployment() {
        let d = form("web", "shop").to_deployment(&namespaces()).unwrap();
        assert_eq!(d.meta.key(), crate::sim::api::ObjectKey::new("shop", "web"));
        assert_eq!(d.spec.replicas, 3);
        assert!(d.spec.selector.matches(&d.spec.template.labels));
    }

    #[test]
    fn names_get_the_api_servers_message_next_to_the_name() {
        let errs = form("Bad_Name", "default")
            .to_deployment(&namespaces())
            .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:#?}");
        assert_eq!(errs[0].field, "name");
        assert_eq!(
            errs[0].message,
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
        // The form names the container after the Deployment: a container name is a label.
        assert!(
            errs[1]
                .message
                .starts_with("spec.template.spec.containers[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 label")
        );
        assert_eq!(
            errors_for(&errs, "name").map(|m| m.lines().count()),
            Some(2)
        );
    }

    #[test]
    fn a_namespace_must_be_valid_and_exist() {
        let errs = form("web", "Batch_NS")
            .to_deployment(&namespaces())
            .unwrap_err();
        assert_eq!((errs.len(), errs[0].field.as_str()), (1, "namespace"));
        assert!(
            errs[0]
                .message
                .starts_with("metadata.namespace: Invalid value: \"Batch_NS\": a lowercase RFC 1123 label must consist"),
            "{}",
            errs[0].message
        );
        let errs = form("web", "batch")
            .to_deployment(&namespaces())
            .unwrap_err();
        assert_eq!(
            errs,
            [error(
                "namespace",
                "Error from server (NotFound): error when creating \"STDIN\": namespaces \"batch\" not found"
            )]
        );
    }

    #[test]
    fn extra_labels_are_checked_as_labels() {
        let f = DeployForm {
            labels: "tier=web, bad key=x, team=no spaces, oops".into(),
            ..DeployForm::default()
        };
        let errs = f.to_deployment(&namespaces()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["labels", "labels", "labels"]);
        assert_eq!(errs[0].message, "\"oops\" is not key=value");
        assert!(errs[1].message.starts_with(
            "spec.template.labels: Invalid value: \"bad key\": name part must consist"
        ));
        assert!(errs[2].message.starts_with("spec.template.labels: Invalid value: \"no spaces\": a valid label must be an empty string"));
    }

    #[test]
    fn numbers_and_quantities_are_named() {
        let f = DeployForm {
            replicas: "lots".into(),
            cpu: "fast".into(),
            image: " ".into(),
            ..DeployForm::default()
        };
        let fields: Vec<String> = f
            .to_deployment(&namespaces())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["image", "replicas", "cpu"]);
    }
}
