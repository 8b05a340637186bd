//! `autoscaling/v2` HorizontalPodAutoscaler manifests.

use crate::scenario::decode::{Fields, Obj, Sink};
use crate::sim::api::{HorizontalPodAutoscaler, ObjectMeta};

/// The fields of an HPA `spec`.
pub(super) const SPEC: Fields = Fields::known(&[
    "scaleTargetRef",
    "minReplicas",
    "maxReplicas",
    "metrics",
    "behavior",
]);

/// Decodes an HPA `spec` (stub: being written).
pub(super) fn decode(
    sink: &mut Sink,
    spec: &Obj<'_>,
    _meta: ObjectMeta,
) -> Option<HorizontalPodAutoscaler> {
    sink.error(
        spec.mark,
        &spec.path,
        "HorizontalPodAutoscaler support is being written",
    );
    None
}
