//! The API server's error responses (`metav1.Status` as `apierrors.StatusError`) and the
//! way kubectl prints them. Ported from apimachinery `pkg/api/errors/errors.go`
//! (`NewNotFound`, `NewAlreadyExists`, `NewInvalid`) and kubectl `pkg/cmd/util/helpers.go`
//! (`checkErr`, `StandardErrorMessage`, `MultilineError`, `AddSourceToErr`), release-1.35.

use std::fmt;

use super::Kind;
use super::validation::field::{FieldError, aggregate, go_quote, unique_messages};

/// `metav1.StatusReason` for the errors the lab returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Invalid,
}

impl Reason {
    pub const fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Invalid => "Invalid",
        }
    }
}

/// The API group and resource of a kind (`apps`, `deployments`); empty group for core.
pub const fn group_resource(kind: Kind) -> (&'static str, &'static str) {
    match kind {
        Kind::Pod => ("", "pods"),
        Kind::Node => ("", "nodes"),
        Kind::Namespace => ("", "namespaces"),
        Kind::Deployment => ("apps", "deployments"),
        Kind::ReplicaSet => ("apps", "replicasets"),
        Kind::DaemonSet => ("apps", "daemonsets"),
        Kind::Job => ("batch", "jobs"),
        Kind::PodDisruptionBudget => ("policy", "poddisruptionbudgets"),
        Kind::HorizontalPodAutoscaler => ("autoscaling", "horizontalpodautoscalers"),
        Kind::VerticalPodAutoscaler => ("autoscaling.k8s.io", "verticalpodautoscalers"),
        Kind::Cluster
        | Kind::Nodegroup
        | Kind::FargateProfile
        | Kind::Addon
        | Kind::AutoScalingGroup
        | Kind::Instance => ("", ""),
    }
}

/// `schema.GroupResource.String()`: `deployments.apps`, `namespaces`.
pub fn qualified_resource(kind: Kind) -> String {
    match group_resource(kind) {
        ("", r) => r.to_string(),
        (g, r) => format!("{r}.{g}"),
    }
}

/// `schema.GroupKind.String()`: `Deployment.apps`, `Namespace`.
pub fn qualified_kind(kind: Kind) -> String {
    match group_resource(kind) {
        ("", _) => kind.as_str().to_string(),
        (g, _) => format!("{}.{g}", kind.as_str()),
    }
}

/// An error response from the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusError {
    pub reason: Reason,
    /// `status.message`, what `err.Error()` gives.
    pub message: String,
    /// `details.kind` and `details.name` (the kind without its group, as kubectl prints it).
    pub kind: Kind,
    pub name: String,
    /// `details.causes` of an Invalid error.
    pub causes: Vec<FieldError>,
}

impl StatusError {
    /// `NewNotFound`: `deployments.apps "web" not found`.
    pub fn not_found(kind: Kind, name: &str) -> StatusError {
        StatusError {
            reason: Reason::NotFound,
            message: format!("{} {} not found", qualified_resource(kind), go_quote(name)),
            kind,
            name: name.to_string(),
            causes: Vec::new(),
        }
    }

    /// What the NamespaceLifecycle admission plugin answers for an object in a namespace
    /// that does not exist: `namespaces "shop" not found`.
    pub fn namespace_not_found(namespace: &str) -> StatusError {
        StatusError::not_found(Kind::Namespace, namespace)
    }

    /// `NewAlreadyExists`: `namespaces "batch" already exists`.
    pub fn already_exists(kind: Kind, name: &str) -> StatusError {
        StatusError {
            reason: Reason::AlreadyExists,
            message: format!(
                "{} {} already exists",
                qualified_resource(kind),
                go_quote(name)
            ),
            kind,
            name: name.to_string(),
            causes: Vec::new(),
        }
    }

    /// `NewInvalid`: `Deployment.apps "Bad_Name" is invalid: metadata.name: ...`.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> StatusError {
        let agg = aggregate(&causes);
        let head = format!("{} {} is invalid", qualified_kind(kind), go_quote(name));
        StatusError {
            reason: Reason::Invalid,
            message: if agg.is_empty() {
                head
            } else {
                format!("{head}: {agg}")
            },
            kind,
            name: name.to_string(),
            causes,
        }
    }

    /// `cmdutil.AddSourceToErr`: `error when creating "STDIN": ...` in the message.
    #[must_use]
    pub fn with_source(mut self, verb: &str, source: &str) -> StatusError {
        self.message = format!("error when {verb} {}: {}", go_quote(source), self.message);
        self
    }

    /// What `kubectl` prints for this error (`cmdutil.CheckErr`): Invalid errors from
    /// their details (`The Namespace "Batch_NS" is invalid: metadata.name: ...`, one cause
    /// per `* ` line when there are several), the others as
    /// `Error from server (NotFound): ...`.
    pub fn kubectl(&self) -> String {
        if self.reason != Reason::Invalid {
            return format!(
                "Error from server ({}): {}",
                self.reason.as_str(),
                self.message
            );
        }
        let head = format!(
            "The {} {} is invalid",
            self.kind.as_str(),
            go_quote(&self.name)
        );
        let causes = unique_messages(&self.causes);
        match causes.as_slice() {
            [] => head,
            [one] => format!("{head}: {one}"),
            many => {
                let lines: Vec<String> = many.iter().map(|c| format!("* {c}")).collect();
                format!("{head}: \n{}", lines.join("\n"))
            }
        }
    }
}

impl StatusError {
    /// What the `kubectl create` command that creates a `created` prints for this error:
    /// `create deployment` wraps the server's message (`error: failed to create deployment:
    /// ...`, kubectl `pkg/cmd/create/create_deployment.go`); `create namespace` and
    /// `autoscale` return it as it is, so kubectl prints it as [`StatusError::kubectl`] does.
    pub fn kubectl_create(&self, created: Kind) -> String {
        if created == Kind::Deployment {
            format!("error: failed to create deployment: {}", self.message)
        } else {
            self.kubectl()
        }
    }
}

/// `Error()`: the message.
impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_and_already_exists_name_the_resource() {
        let e = StatusError::namespace_not_found("shop");
        assert_eq!(e.to_string(), "namespaces \"shop\" not found");
        assert_eq!(
            e.kubectl(),
            "Error from server (NotFound): namespaces \"shop\" not found"
        );
        assert_eq!(
            StatusError::namespace_not_found("shop")
                .with_source("creating", "STDIN")
                .kubectl(),
            "Error from server (NotFound): error when creating \"STDIN\": namespaces \"shop\" not found"
        );
        assert_eq!(
            StatusError::already_exists(Kind::Deployment, "web").kubectl(),
            "Error from server (AlreadyExists): deployments.apps \"web\" already exists"
        );
        assert_eq!(
            StatusError::not_found(Kind::HorizontalPodAutoscaler, "web").to_string(),
            "horizontalpodautoscalers.autoscaling \"web\" not found"
        );
    }

    #[test]
    fn invalid_errors_print_their_causes() {
        let a = FieldError::invalid("metadata.name", "Bad_Name", "bad");
        let b = FieldError::invalid("metadata.labels", "x y", "worse");
        let one = StatusError::invalid(Kind::Deployment, "Bad_Name", vec![a.clone(), a.clone()]);
        assert_eq!(
            one.to_string(),
            "Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": bad"
        );
        assert_eq!(
            one.kubectl(),
            "The Deployment \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": bad"
        );
        let two = StatusError::invalid(Kind::Deployment, "Bad_Name", vec![a, b]);
        assert_eq!(
            two.to_string(),
            "Deployment.apps \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": bad, metadata.labels: Invalid value: \"x y\": worse]"
        );
        assert_eq!(
            two.kubectl(),
            "The Deployment \"Bad_Name\" is invalid: \n* metadata.name: Invalid value: \"Bad_Name\": bad\n* metadata.labels: Invalid value: \"x y\": worse"
        );
        // The source kubectl adds shows in the message but not in what kubectl prints.
        assert_eq!(
            two.with_source("creating", "STDIN")
                .kubectl()
                .lines()
                .next(),
            Some("The Deployment \"Bad_Name\" is invalid: ")
        );
    }
}
