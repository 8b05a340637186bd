//! `autoscaling.k8s.io/v1` VerticalPodAutoscaler manifests, with the CRD's defaults
//! (`updateMode: Recreate`, container policies `mode: Auto`, `controlledResources: [cpu,
//! memory]`, `controlledValues: RequestsAndLimits`) and the VPA admission webhook's
//! validation (`pkg/admission-controller/resource/vpa/handler.go`). The lab's VPA targets
//! Deployments; other targets are positioned errors that say so.

use crate::scenario::decode::{Fields, Obj, Sink, cpu, join, memory, obj};
use crate::scenario::yaml::{Node, Style};
use crate::sim::api::autoscaling::ResourceName;
use crate::sim::api::vpa::{
    ContainerResourcePolicy, ContainerScalingMode, ControlledValues, UpdateMode,
    VerticalPodAutoscalerSpec, VerticalPodAutoscalerStatus,
};
use crate::sim::api::{ObjectMeta, VerticalPodAutoscaler};
use crate::sim::quantity::Resources;

/// The fields of a VPA `spec`.
pub(super) const SPEC: Fields = Fields {
    known: &["targetRef", "updatePolicy", "resourcePolicy"],
    unmodelled: &["recommenders", "startupBoost"],
    silent: &[],
};
const TARGET_REF: Fields = Fields::known(&["apiVersion", "kind", "name"]);
const UPDATE_POLICY: Fields = Fields {
    known: &["updateMode", "minReplicas"],
    unmodelled: &["evictionRequirements", "evictAfterOOMSeconds"],
    silent: &[],
};
const RESOURCE_POLICY: Fields = Fields::known(&["containerPolicies"]);
const CONTAINER_POLICY: Fields = Fields {
    known: &[
        "containerName",
        "mode",
        "minAllowed",
        "maxAllowed",
        "controlledResources",
        "controlledValues",
    ],
    unmodelled: &["oomBumpUpRatio", "oomMinBumpUp", "startupBoost"],
    silent: &[],
};

/// Kubernetes' `field.NotSupported` text.
fn unsupported(value: &str, supported: &[&str]) -> String {
    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
    format!(
        "Unsupported value: {value:?}: supported values: {}",
        list.join(", ")
    )
}

/// Plain words kubectl's YAML 1.1 reader takes for booleans (`Off`, `on`, `yes`, …).
const YAML11_BOOLS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

/// An enum field written as an unquoted YAML 1.1 boolean: kubectl (sigs.k8s.io/yaml over
/// go-yaml v2) sends it as `false`, and the CRD's schema refuses a boolean. Reports it and
/// returns true.
fn yaml11_boolean(sink: &mut Sink, o: &Obj<'_>, key: &str) -> bool {
    let Some(Node::Scalar(s)) = o.get(key) else {
        return false;
    };
    if s.style == Style::Quoted || !YAML11_BOOLS.contains(&s.text.as_str()) {
        return false;
    }
    let path = o.at(key);
    sink.error(
        s.mark,
        &path,
        format!(
            "Invalid value: \"boolean\": {path} in body must be of type string: \"boolean\" (kubectl reads an unquoted {} as a YAML 1.1 boolean: write \"{}\" in quotes)",
            s.text, s.text
        ),
    );
    true
}

/// Decodes a VPA `spec`.
pub(super) fn decode(
    sink: &mut Sink,
    spec: &Obj<'_>,
    meta: ObjectMeta,
) -> Option<VerticalPodAutoscaler> {
    let before = sink.error_count();
    let target_name = target_ref(sink, spec);
    let mut out =
        VerticalPodAutoscalerSpec::for_deployment(target_name.clone().unwrap_or_default());
    if let Some(up) = spec.obj(sink, "updatePolicy", &UPDATE_POLICY) {
        if !yaml11_boolean(sink, &up, "updateMode")
            && let Some(text) = up.str(sink, "updateMode")
        {
            if let Some(m) = UpdateMode::parse(&text) {
                out.update_mode = m;
            } else {
                let names: Vec<&str> = UpdateMode::ALL.iter().map(|m| m.as_str()).collect();
                let mut msg = unsupported(&text, &names);
                if text == "InPlace" {
                    msg.push_str(
                        " (InPlace, which never evicts, is alpha behind the updater's InPlace feature gate and not modelled; InPlaceOrRecreate resizes in place and evicts when it must)",
                    );
                }
                sink.error(up.value_mark("updateMode"), &up.at("updateMode"), msg);
            }
        }
        if up.has("minReplicas") {
            // `PodUpdatePolicy.MinReplicas` is an int32 (VPA CRD, format int32); the
            // admission webhook's `validateVPA` refuses anything below 1.
            match up.i32(sink, "minReplicas", "PodUpdatePolicy") {
                Some(n) if n <= 0 => sink.error(
                    up.value_mark("minReplicas"),
                    &up.at("minReplicas"),
                    format!("MinReplicas has to be positive, got {n}"),
                ),
                Some(n) => out.min_replicas = Some(n),
                None => {}
            }
        }
    }
    if let Some(rp) = spec.obj(sink, "resourcePolicy", &RESOURCE_POLICY) {
        for (path, node) in rp.seq(sink, "containerPolicies") {
            if let Some(p) = container_policy(sink, node, &path) {
                if out
                    .resource_policies
                    .iter()
                    .any(|q| q.container_name == p.container_name)
                {
                    sink.error(
                        node.mark(),
                        &join(&path, "containerName"),
                        format!(
                            "Duplicate value: {:?}: one policy per container",
                            p.container_name
                        ),
                    );
                }
                out.resource_policies.push(p);
            }
        }
    }
    if sink.error_count() != before || target_name.is_none() {
        return None;
    }
    Some(VerticalPodAutoscaler {
        meta,
        spec: out,
        status: VerticalPodAutoscalerStatus::default(),
    })
}

/// `targetRef`: required, a Deployment (`apps/v1`).
fn target_ref(sink: &mut Sink, spec: &Obj<'_>) -> Option<String> {
    if !spec.has("targetRef") {
        sink.error(
            spec.mark,
            &spec.at("targetRef"),
            "TargetRef is required. If you're using v1beta1 version of the API, please migrate to v1",
        );
        return None;
    }
    let t = spec.obj(sink, "targetRef", &TARGET_REF)?;
    let kind = t.req_str(sink, "kind");
    let name = t.req_str(sink, "name");
    if let Some(k) = &kind
        && k != "Deployment"
    {
        sink.error(
            t.value_mark("kind"),
            &t.at("kind"),
            format!(
                "Unsupported value: {k:?}: the lab's VPA targets Deployments (a real VPA also takes StatefulSets, DaemonSets, Jobs and other controllers with a scale subresource)"
            ),
        );
        return None;
    }
    if let Some(v) = t.str(sink, "apiVersion")
        && v != "apps/v1"
    {
        sink.error(
            t.value_mark("apiVersion"),
            &t.at("apiVersion"),
            format!("Invalid value: {v:?}: Deployments are served as apps/v1"),
        );
        return None;
    }
    kind?;
    name
}

/// One `containerPolicies[]` entry.
fn container_policy(sink: &mut Sink, node: &Node, path: &str) -> Option<ContainerResourcePolicy> {
    let before = sink.error_count();
    let o = obj(sink, node, path, &CONTAINER_POLICY)?;
    if !o.has("containerName") {
        sink.error(
            o.mark,
            &o.at("containerName"),
            "ContainerPolicies.ContainerName is required",
        );
        return None;
    }
    let name = o.req_str(sink, "containerName")?;
    let mut p = ContainerResourcePolicy::new(name);
    if !yaml11_boolean(sink, &o, "mode")
        && let Some(m) = o.str(sink, "mode")
    {
        match m.as_str() {
            "Auto" => p.mode = ContainerScalingMode::Auto,
            "Off" => p.mode = ContainerScalingMode::Off,
            other => sink.error(
                o.value_mark("mode"),
                &o.at("mode"),
                unsupported(other, &["Auto", "Off"]),
            ),
        }
    }
    p.min_allowed = o
        .get("minAllowed")
        .and_then(|n| resource_list(sink, n, &o.at("minAllowed")));
    p.max_allowed = o
        .get("maxAllowed")
        .and_then(|n| resource_list(sink, n, &o.at("maxAllowed")));
    if let (Some(min), Some(max)) = (p.min_allowed, p.max_allowed) {
        for (r, lo, hi) in [
            ("cpu", min.cpu.0, max.cpu.0),
            ("memory", min.memory.0, max.memory.0),
        ] {
            if lo > 0 && hi > 0 && hi < lo {
                sink.error(
                    o.value_mark("maxAllowed"),
                    &join(&o.at("maxAllowed"), r),
                    format!("max resource for {r} is lower than min"),
                );
            }
        }
    }
    if let Some(list) = o.string_list(sink, "controlledResources") {
        let mut resources = Vec::new();
        for (i, r) in list.iter().enumerate() {
            match r.as_str() {
                "cpu" => resources.push(ResourceName::Cpu),
                "memory" => resources.push(ResourceName::Memory),
                other => sink.error(
                    o.get("controlledResources").map_or(o.mark, |n| match n {
                        Node::Seq { items, .. } => items.get(i).map_or(n.mark(), Node::mark),
                        _ => n.mark(),
                    }),
                    &format!("{}[{i}]", o.at("controlledResources")),
                    unsupported(other, &["cpu", "memory"]),
                ),
            }
        }
        p.controlled_resources = resources;
    }
    if let Some(v) = o.str(sink, "controlledValues") {
        match v.as_str() {
            "RequestsAndLimits" => p.controlled_values = ControlledValues::RequestsAndLimits,
            "RequestsOnly" => p.controlled_values = ControlledValues::RequestsOnly,
            other => sink.error(
                o.value_mark("controlledValues"),
                &o.at("controlledValues"),
                unsupported(other, &["RequestsAndLimits", "RequestsOnly"]),
            ),
        }
        if p.mode == ContainerScalingMode::Off
            && p.controlled_values == ControlledValues::RequestsAndLimits
        {
            sink.error(
                o.value_mark("controlledValues"),
                &o.at("controlledValues"),
                "ControlledValues shouldn't be specified if container scaling mode is off.",
            );
        }
    }
    (sink.error_count() == before).then_some(p)
}

/// `minAllowed` / `maxAllowed`: cpu and memory.
fn resource_list(sink: &mut Sink, node: &Node, path: &str) -> Option<Resources> {
    let Node::Map { entries, .. } = node else {
        if !node.is_null() {
            sink.error(
                node.mark(),
                path,
                format!("expected a mapping, got {}", node.describe()),
            );
            return None;
        }
        return Some(Resources::ZERO);
    };
    let mut r = Resources::ZERO;
    let mut ok = true;
    for (k, v) in entries {
        let p = join(path, &k.text);
        match k.text.as_str() {
            "cpu" => match cpu(sink, v, &p) {
                Some(c) => r.cpu = c,
                None => ok = false,
            },
            "memory" => match memory(sink, v, &p) {
                Some(m) => r.memory = m,
                None => ok = false,
            },
            other => {
                sink.error(
                    k.mark,
                    &p,
                    format!("unknown resource name {other:?}: the VPA controls cpu and memory"),
                );
                ok = false;
            }
        }
    }
    ok.then_some(r)
}

#[cfg(test)]
mod tests {
    use crate::scenario::decode::Sink;
    use crate::scenario::yaml::Node;
    use crate::sim::api::autoscaling::ResourceName;
    use crate::sim::api::vpa::{ContainerScalingMode, ControlledValues, UpdateMode};
    use crate::sim::quantity::{MIB, Resources};
    use crate::sim::spec::Manifest;

    fn load(text: &str) -> (Option<Manifest>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        let kind = root
            .get("kind")
            .and_then(Node::as_text)
            .unwrap_or_default()
            .to_string();
        (super::super::decode(&mut sink, &root, "", &kind), sink)
    }

    const VPA: &str = "apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  targetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n";

    #[test]
    fn defaults_follow_the_crd() {
        let (m, sink) = load(VPA);
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::VerticalPodAutoscaler(v)) = m else {
            panic!()
        };
        assert_eq!(v.spec.target_name, "web");
        assert_eq!(v.spec.update_mode, UpdateMode::Recreate);
        assert_eq!(v.spec.min_replicas, None);
        assert!(v.spec.resource_policies.is_empty());
    }

    #[test]
    fn policies_decode_with_their_defaults() {
        let text = format!(
            "{VPA}  updatePolicy: {{updateMode: InPlaceOrRecreate, minReplicas: 1}}\n  resourcePolicy:\n    containerPolicies:\n      - containerName: '*'\n        minAllowed: {{cpu: 100m}}\n        maxAllowed: {{cpu: 1, memory: 500Mi}}\n      - containerName: sidecar\n        mode: \"Off\"\n      - containerName: web\n        controlledResources: [cpu]\n        controlledValues: RequestsOnly\n"
        );
        let (m, sink) = load(&text);
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let Some(Manifest::VerticalPodAutoscaler(v)) = m else {
            panic!()
        };
        assert_eq!(v.spec.update_mode, UpdateMode::InPlaceOrRecreate);
        assert_eq!(v.spec.min_replicas, Some(1));
        let p = &v.spec.resource_policies;
        assert_eq!(p[0].min_allowed, Some(Resources::new(100, 0)));
        assert_eq!(p[0].max_allowed, Some(Resources::new(1000, 500 * MIB)));
        assert_eq!(p[1].mode, ContainerScalingMode::Off);
        assert_eq!(p[2].controlled_resources, vec![ResourceName::Cpu]);
        assert_eq!(p[2].controlled_values, ControlledValues::RequestsOnly);
        assert_eq!(v.spec.policy_for("other").unwrap().container_name, "*");
    }

    #[test]
    fn mistakes_are_positioned() {
        // (replacement of the targetRef block's tail, line, column, path, message start).
        let cases: [(&str, usize, usize, &str, &str); 6] = [
            (
                "    name: web\n  updatePolicy: {updateMode: Sometimes}\n",
                10,
                30,
                "spec.updatePolicy.updateMode",
                "Unsupported value: \"Sometimes\": supported values: \"Off\", \"Initial\"",
            ),
            (
                "    name: web\n  updatePolicy:\n    minReplicas: 0\n",
                11,
                18,
                "spec.updatePolicy.minReplicas",
                "MinReplicas has to be positive, got 0",
            ),
            (
                "    name: web\n  resourcePolicy:\n    containerPolicies:\n      - containerName: web\n        minAllowed: {cpu: 2}\n        maxAllowed: {cpu: 1}\n",
                14,
                21,
                "spec.resourcePolicy.containerPolicies[0].maxAllowed.cpu",
                "max resource for cpu is lower than min",
            ),
            (
                "    name: web\n  updatePolicy: {updateMod: Off}\n",
                10,
                18,
                "spec.updatePolicy.updateMod",
                "unknown field \"updateMod\" (did you mean \"updateMode\"?)",
            ),
            (
                "    name: web\n  resourcePolicy:\n    containerPolicies:\n      - containerName: web\n        controlledResources: [cpu, gpu]\n",
                13,
                36,
                "spec.resourcePolicy.containerPolicies[0].controlledResources[1]",
                "Unsupported value: \"gpu\"",
            ),
            (
                "    name: web\n  resourcePolicy:\n    containerPolicies:\n      - mode: \"Off\"\n",
                12,
                9,
                "spec.resourcePolicy.containerPolicies[0].containerName",
                "ContainerPolicies.ContainerName is required",
            ),
        ];
        for (tail, line, column, path, message) in cases {
            let (m, sink) = load(&VPA.replace("    name: web\n", tail));
            assert!(m.is_none(), "{tail}");
            let e = &sink.diags[0];
            assert_eq!(
                (e.line, e.column, e.path.as_str()),
                (line, column, path),
                "{tail}: {e:?}"
            );
            assert!(e.message.starts_with(message), "{tail}: {}", e.message);
        }
    }

    #[test]
    fn other_targets_are_refused_and_recommenders_warn() {
        let (m, sink) = load(&format!("{VPA}  updatePolicy:\n    updateMode: Off\n"));
        assert!(m.is_none());
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (11, 17));
        assert!(
            sink.diags[0]
                .message
                .contains("must be of type string: \"boolean\" (kubectl reads an unquoted Off as a YAML 1.1 boolean"),
            "{}",
            sink.diags[0].message
        );
        let (m, sink) = load(&VPA.replace("kind: Deployment", "kind: StatefulSet"));
        assert!(m.is_none());
        assert_eq!(sink.diags[0].path, "spec.targetRef.kind");
        assert_eq!((sink.diags[0].line, sink.diags[0].column), (8, 11));
        let (m, sink) = load(&format!("{VPA}  recommenders: [{{name: frugal}}]\n"));
        assert!(m.is_some());
        assert_eq!(sink.diags[0].severity, crate::scenario::Severity::Warning);
        assert_eq!(sink.diags[0].path, "spec.recommenders");
        let (m, sink) = load(&VPA.replace(
            "  targetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n",
            "  updatePolicy: {updateMode: \"Off\"}\n",
        ));
        assert!(m.is_none());
        assert!(sink.diags[0].message.starts_with("TargetRef is required"));
    }
}
