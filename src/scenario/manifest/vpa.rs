//! `autoscaling.k8s.io/v1` VerticalPodAutoscaler manifests.

use crate::scenario::decode::{Fields, Obj, Sink};
use crate::sim::api::{ObjectMeta, VerticalPodAutoscaler};

/// The fields of a VPA `spec`.
pub(super) const SPEC: Fields = Fields::known(&[
    "targetRef",
    "updatePolicy",
    "resourcePolicy",
    "recommenders",
]);

/// Decodes a VPA `spec` (stub: being written).
pub(super) fn decode(
    sink: &mut Sink,
    spec: &Obj<'_>,
    _meta: ObjectMeta,
) -> Option<VerticalPodAutoscaler> {
    sink.error(
        spec.mark,
        &spec.path,
        "VerticalPodAutoscaler support is being written",
    );
    None
}
