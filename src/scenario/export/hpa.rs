//! HorizontalPodAutoscaler manifests written back as YAML: `scaleTargetRef` with its
//! apiVersion, the (defaulted) replica bounds and metrics, and `behavior` only as written,
//! so that loading the file gives back the same spec.

use super::writer::{MapBuilder, Y};
use crate::sim::api::HorizontalPodAutoscaler;
use crate::sim::api::autoscaling::{MetricSpec, MetricTarget, ScalingRules, target_quantity};

/// The `spec` mapping of an HPA.
pub(super) fn spec(h: &HorizontalPodAutoscaler) -> Y {
    let s = &h.spec;
    let target_ref = MapBuilder::new()
        .put("apiVersion", Y::str("apps/v1"))
        .put("kind", Y::str(s.target_kind.as_str()))
        .put("name", Y::str(&s.target_name))
        .build();
    let mut b = MapBuilder::new()
        .put("scaleTargetRef", target_ref)
        .put("minReplicas", Y::num(s.min_replicas))
        .put("maxReplicas", Y::num(s.max_replicas))
        .put("metrics", Y::Seq(s.metrics.iter().map(metric).collect()));
    if let Some(behavior) = &s.behavior {
        // `behavior: {}` is kept: it switches the controller to the behavior rules.
        b = b.put(
            "behavior",
            MapBuilder::new()
                .put_nonempty("scaleUp", rules(&behavior.scale_up))
                .put_nonempty("scaleDown", rules(&behavior.scale_down))
                .build(),
        );
    }
    b.build()
}

fn metric(m: &MetricSpec) -> Y {
    let target = match m.target {
        MetricTarget::Utilization(u) => MapBuilder::new()
            .put("type", Y::str("Utilization"))
            .put("averageUtilization", Y::num(u)),
        MetricTarget::AverageValue(v) => MapBuilder::new()
            .put("type", Y::str("AverageValue"))
            .put("averageValue", Y::str(target_quantity(m.resource, v))),
    };
    let resource = MapBuilder::new()
        .put("name", Y::str(m.resource.as_str()))
        .put("target", target.build())
        .build();
    MapBuilder::new()
        .put("type", Y::str("Resource"))
        .put("resource", resource)
        .build()
}

/// A tolerance in thousandths as a decimal quantity: `50` → `0.05`.
pub(crate) fn tolerance_text(permille: u64) -> String {
    let frac = format!("{:03}", permille % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        (permille / 1000).to_string()
    } else {
        format!("{}.{frac}", permille / 1000)
    }
}

fn rules(r: &ScalingRules) -> Y {
    let policies = r
        .policies
        .iter()
        .map(|p| {
            MapBuilder::new()
                .put("type", Y::str(p.type_.as_str()))
                .put("value", Y::num(p.value))
                .put("periodSeconds", Y::num(p.period_secs))
                .build()
        })
        .collect();
    MapBuilder::new()
        .put_if(
            r.stabilization_window_secs.is_some(),
            "stabilizationWindowSeconds",
            || Y::num(r.stabilization_window_secs.unwrap_or_default()),
        )
        .put_if(r.select_policy.is_some(), "selectPolicy", || {
            Y::str(r.select_policy.map_or("", |p| p.as_str()))
        })
        .put_nonempty("policies", Y::Seq(policies))
        .put_if(r.tolerance_permille.is_some(), "tolerance", || {
            Y::str(tolerance_text(r.tolerance_permille.unwrap_or_default()))
        })
        .build()
}
