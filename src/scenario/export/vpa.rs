//! VerticalPodAutoscaler manifests written back as YAML: `targetRef` and `updatePolicy`
//! always, container policies with only what differs from the CRD's defaults, so the file
//! loads back to the same spec.

use super::writer::{MapBuilder, Y};
use crate::sim::api::VerticalPodAutoscaler;
use crate::sim::api::vpa::{
    ContainerResourcePolicy, ContainerScalingMode, ControlledValues, DEFAULT_CONTROLLED_RESOURCES,
};
use crate::sim::quantity::Resources;

/// `minAllowed` / `maxAllowed`: the resources that are set.
fn resource_list(r: Resources) -> Y {
    MapBuilder::new()
        .put_if(r.cpu.0 > 0, "cpu", || Y::str(r.cpu.to_string()))
        .put_if(r.memory.0 > 0, "memory", || Y::str(r.memory.to_string()))
        .build()
}

fn container_policy(p: &ContainerResourcePolicy) -> Y {
    let mut b = MapBuilder::new()
        .put("containerName", Y::str(&p.container_name))
        .put_if(p.mode == ContainerScalingMode::Off, "mode", || {
            Y::str(p.mode.as_str())
        });
    if let Some(min) = p.min_allowed {
        b = b.put("minAllowed", resource_list(min));
    }
    if let Some(max) = p.max_allowed {
        b = b.put("maxAllowed", resource_list(max));
    }
    b.put_if(
        p.controlled_resources != DEFAULT_CONTROLLED_RESOURCES,
        "controlledResources",
        || Y::strs(p.controlled_resources.iter().map(|r| r.as_str())),
    )
    .put_if(
        p.controlled_values != ControlledValues::RequestsAndLimits,
        "controlledValues",
        || Y::str(p.controlled_values.as_str()),
    )
    .build()
}

/// The `spec` mapping of a VPA.
pub(super) fn spec(v: &VerticalPodAutoscaler) -> Y {
    let s = &v.spec;
    let target = MapBuilder::new()
        .put("apiVersion", Y::str("apps/v1"))
        .put("kind", Y::str(s.target_kind.as_str()))
        .put("name", Y::str(&s.target_name))
        .build();
    let update = MapBuilder::new()
        .put("updateMode", Y::str(s.update_mode.as_str()))
        .put_if(s.min_replicas.is_some(), "minReplicas", || {
            Y::num(s.min_replicas.unwrap_or_default())
        })
        .build();
    let mut b = MapBuilder::new()
        .put("targetRef", target)
        .put("updatePolicy", update);
    if !s.resource_policies.is_empty() {
        b = b.put(
            "resourcePolicy",
            MapBuilder::new()
                .put(
                    "containerPolicies",
                    Y::Seq(s.resource_policies.iter().map(container_policy).collect()),
                )
                .build(),
        );
    }
    b.build()
}
