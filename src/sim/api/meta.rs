//! Object metadata, references, label selectors and int-or-percent values.

use std::collections::BTreeMap;
use std::fmt;

use crate::sim::clock::SimTime;

/// The kinds of object the lab knows, Kubernetes and EKS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Pod,
    Node,
    Namespace,
    Deployment,
    ReplicaSet,
    DaemonSet,
    Job,
    PodDisruptionBudget,
    HorizontalPodAutoscaler,
    VerticalPodAutoscaler,
    Cluster,
    Nodegroup,
    FargateProfile,
    Addon,
    AutoScalingGroup,
    Instance,
}

impl Kind {
    /// The name kubectl uses in `kind/name` references (`pod/web-1`, `deployment/web`);
    /// EKS and EC2 kinds use the lab's own lower-case names.
    pub const fn ref_name(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Node => "node",
            Kind::Namespace => "namespace",
            Kind::Deployment => "deployment",
            Kind::ReplicaSet => "replicaset",
            Kind::DaemonSet => "daemonset",
            Kind::Job => "job",
            Kind::PodDisruptionBudget => "poddisruptionbudget",
            Kind::HorizontalPodAutoscaler => "horizontalpodautoscaler",
            Kind::VerticalPodAutoscaler => "verticalpodautoscaler",
            Kind::Cluster => "cluster",
            Kind::Nodegroup => "nodegroup",
            Kind::FargateProfile => "fargateprofile",
            Kind::Addon => "addon",
            Kind::AutoScalingGroup => "autoscalinggroup",
            Kind::Instance => "instance",
        }
    }

    /// The API kind as manifests spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Node => "Node",
            Kind::Namespace => "Namespace",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job => "Job",
            Kind::PodDisruptionBudget => "PodDisruptionBudget",
            Kind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
            Kind::VerticalPodAutoscaler => "VerticalPodAutoscaler",
            Kind::Cluster => "Cluster",
            Kind::Nodegroup => "Nodegroup",
            Kind::FargateProfile => "FargateProfile",
            Kind::Addon => "Addon",
            Kind::AutoScalingGroup => "AutoScalingGroup",
            Kind::Instance => "Instance",
        }
    }
}

/// Namespace and name: the key of every namespaced object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObjectKey {
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> ObjectKey {
        ObjectKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// A reference to an object, as events carry it (`involvedObject`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    pub fn new(kind: Kind, namespace: impl Into<String>, name: impl Into<String>) -> ObjectRef {
        ObjectRef {
            kind,
            namespace: namespace.into(),
            name: name.into(),
        }
    }
    pub fn cluster_scoped(kind: Kind, name: impl Into<String>) -> ObjectRef {
        ObjectRef::new(kind, "", name)
    }
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.namespace.clone(), self.name.clone())
    }
}

/// `kind/name`, the OBJECT column of `kubectl get events`.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.ref_name(), self.name)
    }
}

/// The controller that owns an object (`metadata.ownerReferences` with `controller: true`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OwnerRef {
    pub kind: Kind,
    pub name: String,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    pub name: String,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub owner: Option<OwnerRef>,
    pub uid: u64,
    pub creation_timestamp: SimTime,
    pub deletion_timestamp: Option<SimTime>,
    /// Bumped on every spec change (`metadata.generation`).
    pub generation: u64,
}

impl ObjectMeta {
    pub fn named(namespace: impl Into<String>, name: impl Into<String>) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: namespace.into(),
            generation: 1,
            ..ObjectMeta::default()
        }
    }
    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.namespace.clone(), self.name.clone())
    }
}

/// A label selector requirement operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl SelectorOperator {
    pub fn parse(text: &str) -> Option<SelectorOperator> {
        match text {
            "In" => Some(SelectorOperator::In),
            "NotIn" => Some(SelectorOperator::NotIn),
            "Exists" => Some(SelectorOperator::Exists),
            "DoesNotExist" => Some(SelectorOperator::DoesNotExist),
            _ => None,
        }
    }
}

/// One `matchExpressions` entry (also used for required node affinity terms).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    pub values: Vec<String>,
}

impl SelectorRequirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let v = labels.get(&self.key);
        match self.operator {
            SelectorOperator::In => v.is_some_and(|v| self.values.contains(v)),
            SelectorOperator::NotIn => v.is_none_or(|v| !self.values.contains(v)),
            SelectorOperator::Exists => v.is_some(),
            SelectorOperator::DoesNotExist => v.is_none(),
        }
    }
}

/// `matchLabels` plus `matchExpressions`. An empty selector matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<SelectorRequirement>,
}

impl LabelSelector {
    pub fn from_labels(labels: BTreeMap<String, String>) -> LabelSelector {
        LabelSelector {
            match_labels: labels,
            match_expressions: Vec::new(),
        }
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }

    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

impl fmt::Display for LabelSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        write!(f, "{}", parts.join(","))
    }
}

/// `IntOrString` as used by `maxSurge`, `maxUnavailable`, `minAvailable`: its integer is an
/// int32 (k8s.io/apimachinery `intstr.IntOrString.IntVal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntOrPercent {
    Int(i32),
    /// The number before `%`. Upstream reads it with `strconv.Atoi`, which clamps a number
    /// too large for it to the largest one; the lab clamps to `i32::MAX` the same way.
    Percent(i32),
}

impl IntOrPercent {
    /// Parses `3` or `"25%"`.
    pub fn parse(text: &str) -> Result<IntOrPercent, String> {
        let t = text.trim();
        if let Some(p) = t.strip_suffix('%') {
            let p = p.trim();
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid percentage {text:?}"));
            }
            // All digits: only a value too large for i32 fails, and it clamps like Atoi.
            Ok(IntOrPercent::Percent(p.parse().unwrap_or(i32::MAX)))
        } else {
            let v: i32 = t.parse().map_err(|_| {
                format!("invalid value {text:?}: expected an integer or a percentage")
            })?;
            Ok(IntOrPercent::Int(v))
        }
    }

    /// Scales against `total`, rounding up or down (`intstr.GetScaledValueFromIntOrPercent`).
    /// The product is taken in i64 and the result clamped to i32, so no percentage overflows.
    pub fn scaled(self, total: i32, round_up: bool) -> i32 {
        match self {
            IntOrPercent::Int(v) => v,
            IntOrPercent::Percent(p) => {
                let product = i64::from(p.max(0)) * i64::from(total.max(0));
                let v = if round_up {
                    (product + 99) / 100
                } else {
                    product / 100
                };
                i32::try_from(v).unwrap_or(i32::MAX)
            }
        }
    }
}

impl fmt::Display for IntOrPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrPercent::Int(v) => write!(f, "{v}"),
            IntOrPercent::Percent(p) => write!(f, "{p}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn selectors_match_labels_and_expressions() {
        let mut sel = LabelSelector::from_labels(labels(&[("app", "web")]));
        assert!(sel.matches(&labels(&[("app", "web"), ("tier", "fe")])));
        assert!(!sel.matches(&labels(&[("app", "api")])));
        sel.match_expressions.push(SelectorRequirement {
            key: "tier".into(),
            operator: SelectorOperator::NotIn,
            values: vec!["db".into()],
        });
        assert!(sel.matches(&labels(&[("app", "web")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("tier", "db")])));
        assert!(LabelSelector::default().matches(&labels(&[])));
    }

    #[test]
    fn int_or_percent_scales_like_intstr() {
        assert_eq!(IntOrPercent::parse("25%"), Ok(IntOrPercent::Percent(25)));
        assert_eq!(IntOrPercent::parse("2"), Ok(IntOrPercent::Int(2)));
        assert_eq!(IntOrPercent::Percent(25).scaled(10, true), 3);
        assert_eq!(IntOrPercent::Percent(25).scaled(10, false), 2);
        assert!(IntOrPercent::parse("x%").is_err());
        assert!(IntOrPercent::parse("-5%").is_err());
        assert_eq!(
            IntOrPercent::parse("99999999999999999999%"),
            Ok(IntOrPercent::Percent(i32::MAX))
        );
        assert!(IntOrPercent::parse("2147483648").is_err());
        assert_eq!(
            IntOrPercent::Percent(i32::MAX).scaled(10_000, true),
            i32::MAX
        );
        assert_eq!(IntOrPercent::Percent(200).scaled(i32::MAX, false), i32::MAX);
        assert_eq!(IntOrPercent::Percent(100).scaled(7, true), 7);
    }
}
