//! VerticalPodAutoscaler manifests written back as YAML.

use super::writer::{MapBuilder, Y};
use crate::sim::api::VerticalPodAutoscaler;

/// The `spec` mapping of a VPA (stub: being written).
pub(super) fn spec(v: &VerticalPodAutoscaler) -> Y {
    MapBuilder::new()
        .put(
            "updatePolicy",
            MapBuilder::new()
                .put("updateMode", Y::str(v.spec.update_mode.as_str()))
                .build(),
        )
        .build()
}
