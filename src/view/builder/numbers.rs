//! The numbers the forms take (the cluster builder's node group sizes, the workloads form's
//! replicas and requests, the node group card's maxUnavailable), checked by the same
//! functions that check them in files and on the console, so the three agree.

use crate::scenario::eksctl::nodegroup::{SizeField, check_size_order, managed_max_size, size};
use crate::sim::api::bounds;
use crate::sim::eks::NodegroupUpdateConfig;
use crate::sim::quantity::{Bytes, MilliCpu};

/// A whole number as a learner types it (surrounding spaces allowed), or `"x" is not a whole
/// number`. Digits beyond any integer type read as the largest, for the range checks.
fn whole(text: &str) -> Result<i128, String> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{text:?} is not a whole number"));
    }
    let magnitude = digits.parse::<i128>().unwrap_or(i128::MAX);
    Ok(if t.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// A Deployment's replicas: the API server's `≥ 0` and the lab's `MAX_REPLICAS`.
pub fn replicas(text: &str) -> Result<i32, String> {
    let v = whole(text)?;
    crate::limits::check::replicas(v, v)?;
    let v = i32::try_from(v.max(i128::from(i32::MIN))).unwrap_or(i32::MIN);
    bounds::replicas(v)?;
    Ok(v)
}

/// A CPU request (`250m`, `0.5`), as a manifest's.
pub fn cpu(text: &str) -> Result<MilliCpu, String> {
    MilliCpu::parse(text.trim())
}

/// A memory request (`256Mi`), as a manifest's.
pub fn memory(text: &str) -> Result<Bytes, String> {
    Bytes::parse(text.trim())
}

/// A message about one form field (`min`, `desired`, `max`).
pub type FieldMessage = (&'static str, String);

/// A node group's sizes from the builder, checked as eksctl checks a ClusterConfig's (and the
/// lab's node group limit, and EKS's quota for a managed group). Errors name the form field
/// (`min`, `desired`, `max`).
pub fn nodegroup_sizes(
    managed: bool,
    min: &str,
    desired: &str,
    max: &str,
) -> Result<(i32, i32, i32), Vec<FieldMessage>> {
    let field_name = |f: SizeField| match f {
        SizeField::Desired => "desired",
        SizeField::Min => "min",
        SizeField::Max => "max",
    };
    let mut errors = Vec::new();
    let mut read = |field: SizeField, text: &str| {
        let v = whole(text).and_then(|v| {
            let v = i64::try_from(v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)))
                .unwrap_or(i64::MAX);
            size(field, v, text.trim())
        });
        v.map_err(|e| errors.push((field_name(field), e))).ok()
    };
    let (mn, d, mx) = (
        read(SizeField::Min, min),
        read(SizeField::Desired, desired),
        read(SizeField::Max, max),
    );
    let (Some(mn), Some(d), Some(mx)) = (mn, d, mx) else {
        return Err(errors);
    };
    if let Err((field, e)) = check_size_order(managed, Some(d), Some(mn), Some(mx)) {
        return Err(vec![(field_name(field), e)]);
    }
    if managed && let Err(e) = managed_max_size(mx) {
        return Err(vec![("max", e)]);
    }
    Ok((mn, d, mx))
}

/// `1` → maxUnavailable 1; `33%` → maxUnavailablePercentage 33 (1 to 100, eks-facts §4).
pub fn max_unavailable(text: &str) -> Result<NodegroupUpdateConfig, String> {
    let t = text.trim();
    let (n, pct) = match t.strip_suffix('%') {
        Some(p) => (p.trim(), true),
        None => (t, false),
    };
    match whole(n).ok().and_then(|v| i32::try_from(v).ok()) {
        Some(v) if (1..=100).contains(&v) => Ok(if pct {
            NodegroupUpdateConfig::MaxUnavailablePercentage(v)
        } else {
            NodegroupUpdateConfig::MaxUnavailable(v)
        }),
        _ => Err(format!(
            "{t:?}: a number of nodes (1 to 100) or a percentage such as 33%"
        )),
    }
}

/// The node group card's maxUnavailable value (`percent`: maxUnavailablePercentage).
pub fn update_config(text: &str, percent: bool) -> Result<NodegroupUpdateConfig, String> {
    let v = whole(text)?;
    let v = i32::try_from(v.clamp(i128::from(i32::MIN), i128::from(i32::MAX))).unwrap_or_default();
    Ok(if percent {
        NodegroupUpdateConfig::MaxUnavailablePercentage(v)
    } else {
        NodegroupUpdateConfig::MaxUnavailable(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_at_the_limits() {
        assert_eq!(replicas(" 3 "), Ok(3));
        assert_eq!(replicas("10000"), Ok(10_000));
        for over in [
            "10001",
            "2147483648",
            "99999999999999999999999999999999999999999",
        ] {
            assert_eq!(
                replicas(over),
                Err(format!(
                    "the lab runs at most 10000 pods: {} is more than that",
                    over.parse::<i128>().unwrap_or(i128::MAX)
                )),
                "{over}"
            );
        }
        assert_eq!(
            replicas("-1"),
            Err("Invalid value: -1: must be greater than or equal to 0".into())
        );
        assert_eq!(replicas("3x"), Err("\"3x\" is not a whole number".into()));
        assert_eq!(replicas(""), Err("\"\" is not a whole number".into()));
    }

    #[test]
    fn requests_parse_as_manifests_do() {
        assert_eq!(cpu(" 250m "), Ok(MilliCpu(250)));
        assert_eq!(memory("1e3"), Ok(Bytes(1000)));
        assert_eq!(
            cpu("-1"),
            Err("Invalid value: \"-1\": must be greater than or equal to 0".into())
        );
        assert!(
            memory("65Ti")
                .unwrap_err()
                .starts_with("the lab takes memory")
        );
    }

    #[test]
    fn nodegroup_sizes_as_eksctl_and_the_lab_check_them() {
        assert_eq!(nodegroup_sizes(true, "1", "2", "3"), Ok((1, 2, 3)));
        assert_eq!(nodegroup_sizes(false, "0", "0", "1000"), Ok((0, 0, 1000)));
        assert_eq!(
            nodegroup_sizes(false, "0", "0", "1001"),
            Err(vec![(
                "max",
                "the lab runs at most 1000 nodes in a node group: 1001 is more than that".into()
            )])
        );
        assert_eq!(
            nodegroup_sizes(true, "0", "0", "451"),
            Err(vec![(
                "max",
                "maxSize (451) exceeds the quota of 450 nodes per managed node group".into()
            )])
        );
        assert_eq!(
            nodegroup_sizes(true, "3", "2", "4"),
            Err(vec![(
                "desired",
                "cannot use --nodes-min=3 and --nodes=2 at the same time".into()
            )])
        );
        assert_eq!(
            nodegroup_sizes(true, "-1", "x", "99999999999999999999"),
            Err(vec![
                (
                    "min",
                    "minimum number of nodes must be 0 or greater".to_string()
                ),
                ("desired", "\"x\" is not a whole number".to_string()),
                (
                    "max",
                    "the lab runs at most 1000 nodes in a node group: 99999999999999999999 is more than that"
                        .to_string()
                ),
            ])
        );
    }

    #[test]
    fn max_unavailable_is_1_to_100() {
        assert_eq!(
            max_unavailable("33%"),
            Ok(NodegroupUpdateConfig::MaxUnavailablePercentage(33))
        );
        assert_eq!(
            max_unavailable("1"),
            Ok(NodegroupUpdateConfig::MaxUnavailable(1))
        );
        for bad in ["0", "101", "-1", "4294967297", "x"] {
            assert!(max_unavailable(bad).is_err(), "{bad}");
        }
        assert_eq!(
            update_config("99999999999", false),
            Ok(NodegroupUpdateConfig::MaxUnavailable(i32::MAX))
        );
        assert_eq!(
            update_config("two", true),
            Err("\"two\" is not a whole number".into())
        );
    }
}
