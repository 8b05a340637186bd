//! The ranges the Kubernetes API server puts on the int32 numbers the lab models, with its
//! validation messages, and the lab's own limits on the same fields. The file decoders, the
//! forms and the API server's `apply` (for objects the console and the forms build) all check
//! through these functions, so a number is refused the same way wherever it comes from.
//!
//! Messages are `field.Invalid`'s body (`Invalid value: -1: must be greater than or equal to
//! 0`); the caller puts the field path in front, as the API server does.

use std::fmt::Display;

use crate::limits::check;
use crate::sim::api::{Container, HorizontalPodAutoscaler, IntOrPercent, PodSpec};
use crate::sim::spec::Manifest;

/// k8s.io/apimachinery `validation.IsNegativeErrorMsg`.
pub const IS_NEGATIVE: &str = "must be greater than or equal to 0";

/// k8s.io/apimachinery `validation.IsValidPortNum` (`InclusiveRangeError(1, 65535)`).
pub const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

/// k8s.io/apimachinery `validation.IsValidPercent` (`RegexError(percentErrMsg, percentFmt,
/// "1%", "93%")`, double space included).
pub const PERCENT_FORMAT: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// k8s.io/kubernetes `apps/validation` `IsNotMoreThan100Percent`.
pub const NOT_MORE_THAN_100_PERCENT: &str = "must not be greater than 100%";

/// `field.Invalid(path, value, detail)` without its path: `Invalid value: <value>: <detail>`.
pub fn invalid(value: impl Display, detail: impl Display) -> String {
    format!("Invalid value: {value}: {detail}")
}

/// `ValidateNonnegativeField`.
pub fn nonnegative(v: i32) -> Result<(), String> {
    if v < 0 {
        return Err(invalid(v, IS_NEGATIVE));
    }
    Ok(())
}

/// A workload's replica count (Deployment `replicas`, Job `completions` and `parallelism`):
/// not negative, and within the lab's `MAX_REPLICAS`.
pub fn replicas(v: i32) -> Result<(), String> {
    nonnegative(v)?;
    check::replicas(i128::from(v), v)
}

/// A `containerPort` (`IsValidPortNum`).
pub fn port(v: i32) -> Result<(), String> {
    if !(1..=65535).contains(&v) {
        return Err(invalid(v, PORT_RANGE));
    }
    Ok(())
}

/// A `hostPort`: 0 means none (the API server checks it only when set).
pub fn host_port(v: i32) -> Result<Option<i32>, String> {
    if v == 0 {
        return Ok(None);
    }
    port(v).map(|()| Some(v))
}

/// An `IntOrString` of a rolling update or a PDB (`ValidatePositiveIntOrPercent`): a
/// non-negative integer; with `at_most_100`, a percentage of at most 100%.
pub fn int_or_percent(v: IntOrPercent, at_most_100: bool) -> Result<(), String> {
    match v {
        IntOrPercent::Int(n) => nonnegative(n),
        IntOrPercent::Percent(p) if at_most_100 && p > 100 => {
            Err(invalid(format_args!("\"{p}%\""), NOT_MORE_THAN_100_PERCENT))
        }
        IntOrPercent::Percent(_) => Ok(()),
    }
}

/// An HPA's `minReplicas` (`None`: defaulted to 1) and `maxReplicas`, as
/// `validateHorizontalPodAutoscalerSpec` checks them, then the lab's `MAX_REPLICAS` on
/// `maxReplicas`: each failure with the field it is about.
pub fn hpa_replicas(min: Option<i32>, max: i32) -> Vec<(&'static str, String)> {
    let mut errs = Vec::new();
    if let Some(m) = min
        && m < 1
    {
        errs.push((
            "minReplicas",
            invalid(m, "must be greater than or equal to 1"),
        ));
    }
    if max < 1 {
        errs.push(("maxReplicas", invalid(max, "must be greater than 0")));
    }
    if let Some(m) = min
        && max < m
    {
        errs.push((
            "maxReplicas",
            invalid(max, "must be greater than or equal to `minReplicas`"),
        ));
    }
    if let Err(e) = check::replicas(i128::from(max), max) {
        errs.push(("maxReplicas", e));
    }
    errs
}

/// A metric's `averageUtilization` (`validateMetricTarget`).
pub fn utilization(v: i32) -> Result<(), String> {
    if v < 1 {
        return Err(invalid(v, "must be greater than 0"));
    }
    Ok(())
}

fn containers(spec: &PodSpec, path: &str) -> Result<(), String> {
    let all = spec.containers.iter().enumerate();
    for (i, c) in all {
        container(c, &format!("{path}.containers[{i}]"))?;
    }
    Ok(())
}

fn container(c: &Container, path: &str) -> Result<(), String> {
    for (j, p) in c.ports.iter().enumerate() {
        port(p.container_port).map_err(|e| format!("{path}.ports[{j}].containerPort: {e}"))?;
        if let Some(h) = p.host_port {
            port(h).map_err(|e| format!("{path}.ports[{j}].hostPort: {e}"))?;
        }
    }
    Ok(())
}

fn hpa(h: &HorizontalPodAutoscaler) -> Result<(), String> {
    if let Some((field, e)) = hpa_replicas(Some(h.spec.min_replicas), h.spec.max_replicas)
        .into_iter()
        .next()
    {
        return Err(format!("spec.{field}: {e}"));
    }
    for (i, m) in h.spec.metrics.iter().enumerate() {
        if let crate::sim::api::autoscaling::MetricTarget::Utilization(u) = m.target {
            utilization(u).map_err(|e| {
                format!("spec.metrics[{i}].resource.target.averageUtilization: {e}")
            })?;
        }
    }
    Ok(())
}

/// Checks the numbers of an object the API server is asked to store, whoever built it (a
/// console command, a form): the API server's own rules with its message (`The Deployment
/// "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`),
/// and the lab's limits.
pub fn validate(m: &Manifest) -> Result<(), String> {
    let checked = match m {
        Manifest::Deployment(d) => replicas(d.spec.replicas)
            .map_err(|e| format!("spec.replicas: {e}"))
            .and_then(|()| {
                nonnegative(d.spec.min_ready_seconds)
                    .map_err(|e| format!("spec.minReadySeconds: {e}"))
            })
            .and_then(|()| containers(&d.spec.template.spec, "spec.template.spec")),
        Manifest::DaemonSet(d) => containers(&d.template.spec, "spec.template.spec"),
        Manifest::Job(j) => [
            ("completions", j.spec.completions),
            ("parallelism", j.spec.parallelism),
        ]
        .into_iter()
        .try_for_each(|(f, v)| replicas(v).map_err(|e| format!("spec.{f}: {e}")))
        .and_then(|()| {
            nonnegative(j.spec.backoff_limit).map_err(|e| format!("spec.backoffLimit: {e}"))
        })
        .and_then(|()| containers(&j.spec.template.spec, "spec.template.spec")),
        Manifest::Pod(p) => containers(&p.spec, "spec"),
        Manifest::HorizontalPodAutoscaler(h) => hpa(h),
        Manifest::Namespace(_)
        | Manifest::PodDisruptionBudget(_)
        | Manifest::VerticalPodAutoscaler(_) => Ok(()),
    };
    checked.map_err(|e| format!("The {} {:?} is invalid: {e}", m.kind().as_str(), m.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_at_their_bounds_and_one_past() {
        assert_eq!(nonnegative(0), Ok(()));
        assert_eq!(
            nonnegative(-1),
            Err("Invalid value: -1: must be greater than or equal to 0".into())
        );
        assert_eq!(replicas(10_000), Ok(()));
        assert_eq!(
            replicas(10_001),
            Err("the lab runs at most 10000 pods: 10001 is more than that".into())
        );
        assert_eq!(
            replicas(i32::MAX),
            Err("the lab runs at most 10000 pods: 2147483647 is more than that".into())
        );
        assert_eq!(
            replicas(i32::MIN),
            Err("Invalid value: -2147483648: must be greater than or equal to 0".into())
        );
    }

    #[test]
    fn ports_are_1_to_65535_and_a_zero_host_port_is_none() {
        for ok in [1, 80, 65535] {
            assert_eq!(port(ok), Ok(()));
        }
        for bad in [0, -1, 65536, i32::MAX] {
            assert_eq!(
                port(bad),
                Err(format!(
                    "Invalid value: {bad}: must be between 1 and 65535, inclusive"
                ))
            );
        }
        assert_eq!(host_port(0), Ok(None));
        assert_eq!(host_port(8080), Ok(Some(8080)));
        assert!(host_port(70_000).is_err());
    }

    #[test]
    fn hpa_bounds_name_their_field() {
        assert!(hpa_replicas(Some(1), 10_000).is_empty());
        assert!(hpa_replicas(None, 1).is_empty());
        assert_eq!(
            hpa_replicas(Some(0), 5),
            vec![(
                "minReplicas",
                "Invalid value: 0: must be greater than or equal to 1".to_string()
            )]
        );
        assert_eq!(
            hpa_replicas(Some(3), 2),
            vec![(
                "maxReplicas",
                "Invalid value: 2: must be greater than or equal to `minReplicas`".to_string()
            )]
        );
        assert_eq!(
            hpa_replicas(None, 0),
            vec![(
                "maxReplicas",
                "Invalid value: 0: must be greater than 0".to_string()
            )]
        );
        assert_eq!(
            hpa_replicas(Some(1), 10_001),
            vec![(
                "maxReplicas",
                "the lab runs at most 10000 pods: 10001 is more than that".to_string()
            )]
        );
        assert_eq!(
            utilization(0),
            Err("Invalid value: 0: must be greater than 0".into())
        );
    }

    #[test]
    fn percentages_over_100_where_the_api_forbids_them() {
        assert_eq!(int_or_percent(IntOrPercent::Percent(100), true), Ok(()));
        assert_eq!(
            int_or_percent(IntOrPercent::Percent(101), true),
            Err("Invalid value: \"101%\": must not be greater than 100%".into())
        );
        assert_eq!(int_or_percent(IntOrPercent::Percent(250), false), Ok(()));
        assert!(int_or_percent(IntOrPercent::Int(-1), false).is_err());
    }
}
