//! HorizontalPodAutoscaler manifests written back as YAML.

use super::writer::{MapBuilder, Y};
use crate::sim::api::HorizontalPodAutoscaler;

/// The `spec` mapping of an HPA (stub: being written).
pub(super) fn spec(h: &HorizontalPodAutoscaler) -> Y {
    MapBuilder::new()
        .put("maxReplicas", Y::num(h.spec.max_replicas))
        .build()
}
