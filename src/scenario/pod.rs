//! Pod templates and pod specs: containers and their defaults, with resources, scheduling
//! constraints and volumes decoded by the submodules, into `sim::api` types with Kubernetes'
//! defaults and validation.

mod resources;
mod scheduling;
mod volumes;

pub(crate) use scheduling::requirement;

use std::collections::BTreeMap;

use super::decode::{Fields, Obj, Sink, join, obj};
use super::manifest::labels_field;
use super::yaml::Node;
use crate::sim::api::{Container, PodSpec, PodTemplateSpec};
use crate::sim::clock::SimDuration;

/// Who owns the pod template: it decides `restartPolicy` defaults and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Deployment,
    DaemonSet,
    Job,
    Pod,
}

impl Owner {
    /// The default `restartPolicy`: `Always`, except Jobs (the lab's Job pods use `Never`).
    pub fn default_restart_policy(self) -> &'static str {
        if self == Owner::Job {
            "Never"
        } else {
            "Always"
        }
    }
}

/// The annotation that sets how long a Job's pods run.
pub const RUN_DURATION_ANNOTATION: &str = "ekslab.dev/run-duration";
/// How long a Job pod runs when nothing says otherwise.
pub const DEFAULT_RUN_FOR: SimDuration = SimDuration::from_secs(60);

const POD_SPEC: Fields = Fields {
    known: &[
        "containers",
        "initContainers",
        "nodeSelector",
        "affinity",
        "tolerations",
        "nodeName",
        "schedulerName",
        "hostNetwork",
        "volumes",
        "terminationGracePeriodSeconds",
        "restartPolicy",
        "priorityClassName",
    ],
    unmodelled: &[
        "serviceAccountName",
        "serviceAccount",
        "automountServiceAccountToken",
        "securityContext",
        "dnsPolicy",
        "dnsConfig",
        "hostPID",
        "hostIPC",
        "hostAliases",
        "hostname",
        "subdomain",
        "imagePullSecrets",
        "topologySpreadConstraints",
        "priority",
        "preemptionPolicy",
        "runtimeClassName",
        "shareProcessNamespace",
        "enableServiceLinks",
        "activeDeadlineSeconds",
        "readinessGates",
        "overhead",
        "setHostnameAsFQDN",
        "os",
        "schedulingGates",
        "resourceClaims",
        "ephemeralContainers",
        "hostUsers",
        "resources",
    ],
    silent: &[],
};

const CONTAINER: Fields = Fields {
    known: &[
        "name",
        "image",
        "command",
        "args",
        "resources",
        "ports",
        "securityContext",
    ],
    unmodelled: &[
        "env",
        "envFrom",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "volumeMounts",
        "volumeDevices",
        "imagePullPolicy",
        "lifecycle",
        "workingDir",
        "stdin",
        "stdinOnce",
        "tty",
        "terminationMessagePath",
        "terminationMessagePolicy",
        "resizePolicy",
        "restartPolicy",
        "restartPolicyRules",
    ],
    silent: &[],
};

/// `spec.template`: labels, annotations and the pod spec.
pub(crate) fn template(
    sink: &mut Sink,
    node: &Node,
    path: &str,
    owner: Owner,
) -> Option<PodTemplateSpec> {
    let t = obj(sink, node, path, &Fields::known(&["metadata", "spec"]))?;
    let mut out = PodTemplateSpec::default();
    if let Some(m) = t.obj(
        sink,
        "metadata",
        &Fields {
            known: &["labels", "annotations"],
            unmodelled: &[],
            silent: &["name", "namespace", "creationTimestamp", "generateName"],
        },
    ) {
        out.labels = labels_field(sink, &m, "labels");
        out.annotations = m.string_map(sink, "annotations").unwrap_or_default();
    }
    let Some(spec) = t.get("spec") else {
        sink.error(t.mark, &t.at("spec"), "required field is missing");
        return None;
    };
    out.spec = pod_spec(sink, spec, &t.at("spec"), owner)?;
    Some(out)
}

/// A pod spec.
pub(crate) fn pod_spec(sink: &mut Sink, node: &Node, path: &str, owner: Owner) -> Option<PodSpec> {
    let s = obj(sink, node, path, &POD_SPEC)?;
    let mut spec = PodSpec {
        termination_grace_period_secs: 30,
        restart_policy: owner.default_restart_policy().to_string(),
        ..PodSpec::default()
    };
    spec.containers = containers(sink, &s, "containers");
    if spec.containers.is_empty() && !s.has("containers") {
        sink.error(
            s.mark,
            &s.at("containers"),
            "required field is missing: a pod needs at least one container",
        );
    }
    spec.init_containers = containers(sink, &s, "initContainers");
    spec.node_selector = s.string_map(sink, "nodeSelector").unwrap_or_default();
    spec.node_affinity = scheduling::affinity(sink, &s);
    spec.tolerations = s
        .seq(sink, "tolerations")
        .into_iter()
        .filter_map(|(p, n)| scheduling::toleration(sink, n, &p))
        .collect();
    spec.node_name = s.str(sink, "nodeName");
    spec.scheduler_name = s.str(sink, "schedulerName").unwrap_or_default();
    spec.host_network = s.bool(sink, "hostNetwork").unwrap_or(false);
    spec.volumes = volumes::volumes(sink, &s);
    if let Some(g) = s.u64(sink, "terminationGracePeriodSeconds") {
        spec.termination_grace_period_secs = g;
    }
    if let Some(r) = s.str(sink, "restartPolicy") {
        let allowed: &[&str] = match owner {
            Owner::Deployment | Owner::DaemonSet => &["Always"],
            Owner::Job => &["OnFailure", "Never"],
            Owner::Pod => &["Always", "OnFailure", "Never"],
        };
        if allowed.contains(&r.as_str()) {
            spec.restart_policy = r;
        } else {
            let list: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
            sink.error(
                s.value_mark("restartPolicy"),
                &s.at("restartPolicy"),
                format!(
                    "Unsupported value: {r:?}: supported values: {}",
                    list.join(", ")
                ),
            );
        }
    }
    spec.priority_class_name = s.str(sink, "priorityClassName").unwrap_or_default();
    Some(spec)
}

fn containers(sink: &mut Sink, s: &Obj<'_>, key: &str) -> Vec<Container> {
    s.seq(sink, key)
        .into_iter()
        .filter_map(|(p, n)| container(sink, n, &p))
        .collect()
}

fn container(sink: &mut Sink, node: &Node, path: &str) -> Option<Container> {
    let c = obj(sink, node, path, &CONTAINER)?;
    let name = c.req_str(sink, "name");
    let image = c.req_str(sink, "image");
    let mut out = Container {
        name: name.unwrap_or_default(),
        image: image.unwrap_or_default(),
        ..Container::default()
    };
    let mut words = c.string_list(sink, "command").unwrap_or_default();
    words.extend(c.string_list(sink, "args").unwrap_or_default());
    out.command = words;
    if let Some(r) = c.obj(
        sink,
        "resources",
        &Fields {
            known: &["requests", "limits"],
            unmodelled: &["claims"],
            silent: &[],
        },
    ) {
        resources::resources(sink, &r, &mut out);
    }
    for (p, n) in c.seq(sink, "ports") {
        if let Some(port) = resources::container_port(sink, n, &p) {
            out.ports.push(port);
        }
    }
    if let Some(sc) = c.obj(
        sink,
        "securityContext",
        &Fields {
            known: &["privileged"],
            unmodelled: &[
                "runAsUser",
                "runAsGroup",
                "runAsNonRoot",
                "allowPrivilegeEscalation",
                "capabilities",
                "readOnlyRootFilesystem",
                "seccompProfile",
                "seLinuxOptions",
                "procMount",
                "windowsOptions",
                "appArmorProfile",
            ],
            silent: &[],
        },
    ) {
        out.privileged = sc.bool(sink, "privileged").unwrap_or(false);
    }
    Some(out)
}

/// How long a Job's pods run when no annotation says: `sleep N` in the first container's
/// command and arguments, else 60 s.
pub(crate) fn derived_run_for(template: &PodTemplateSpec) -> SimDuration {
    let words = template
        .spec
        .containers
        .first()
        .map(|c| c.command.join(" "))
        .unwrap_or_default();
    let tokens: Vec<&str> = words
        .split(|c: char| c.is_whitespace() || ";&|()'\"".contains(c))
        .filter(|t| !t.is_empty())
        .collect();
    tokens
        .windows(2)
        .find_map(|w| match w {
            ["sleep", n] if n.starts_with(|c: char| c.is_ascii_digit()) => {
                SimDuration::parse(n).ok()
            }
            _ => None,
        })
        .unwrap_or(DEFAULT_RUN_FOR)
}

/// Takes the run-duration annotation out of `annotations` (it is a lab directive, not pod
/// metadata) and parses it.
pub(crate) fn take_run_duration(
    sink: &mut Sink,
    annotations: &mut BTreeMap<String, String>,
    mark: super::yaml::Mark,
    path: &str,
) -> Option<SimDuration> {
    let text = annotations.remove(RUN_DURATION_ANNOTATION)?;
    let path = join(path, RUN_DURATION_ANNOTATION);
    SimDuration::parse(&text)
        .map_err(|e| sink.error(mark, &path, e))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::api::{ContainerPort, VolumeSource};
    use crate::sim::quantity::{MIB, Resources};

    fn spec(text: &str, owner: Owner) -> (Option<PodSpec>, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        (pod_spec(&mut sink, &root, "spec", owner), sink)
    }

    #[test]
    fn containers_resources_and_defaults() {
        let (s, sink) = spec(
            "containers:\n  - name: web\n    image: nginx:1.27\n    resources:\n      requests: {cpu: 250m}\n      limits: {cpu: 500m, memory: 256Mi, nvidia.com/gpu: 1}\n    ports: [{containerPort: 80, hostPort: 8080}]\n    env: [{name: A, value: b}]\n",
            Owner::Deployment,
        );
        let s = s.unwrap();
        let c = &s.containers[0];
        assert_eq!(c.requests, Resources::new(250, 256 * MIB));
        assert_eq!(c.limits, Resources::new(500, 256 * MIB));
        assert_eq!(c.gpus, 1);
        assert_eq!(
            c.ports[0],
            ContainerPort {
                container_port: 80,
                host_port: Some(8080),
                protocol: "TCP".into()
            }
        );
        assert_eq!(
            (s.restart_policy.as_str(), s.termination_grace_period_secs),
            ("Always", 30)
        );
        assert_eq!(sink.diags.len(), 1);
        assert_eq!(sink.diags[0].path, "spec.containers[0].env");
    }

    #[test]
    fn scheduling_constraints() {
        let (s, sink) = spec(
            "containers: [{name: a, image: b}]\nnodeSelector: {disk: ssd}\ntolerations:\n  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}\n  - {operator: Exists}\naffinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n        - matchExpressions:\n            - {key: zone, operator: In, values: [us-east-1a]}\nvolumes:\n  - {name: cache, emptyDir: {medium: Memory}}\n  - {name: data, persistentVolumeClaim: {claimName: data}}\n  - {name: proj, projected: {sources: []}}\n",
            Owner::Pod,
        );
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        let s = s.unwrap();
        assert_eq!(s.tolerations.len(), 2);
        assert_eq!(s.node_affinity[0][0].values, ["us-east-1a"]);
        assert_eq!(s.volumes[0].source, VolumeSource::EmptyDir { memory: true });
        assert_eq!(
            s.volumes[1].source,
            VolumeSource::PersistentVolumeClaim {
                claim_name: "data".into(),
                ebs: true
            }
        );
        assert_eq!(s.volumes[2].source, VolumeSource::Other("projected".into()));
    }

    #[test]
    fn validation_errors() {
        let (_, sink) = spec(
            "containers:\n  - name: a\n    image: b\n    resources: {requests: {cpus: 1}}\nrestartPolicy: Always\ntolerations: [{operator: Exists, value: x}]\nvolumes: [{name: v, emptydir: {}}]\n",
            Owner::Job,
        );
        let msgs: Vec<&str> = sink.diags.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs[0].starts_with("unknown resource name \"cpus\""),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("Unsupported value: \"Always\""))
        );
        assert!(msgs.iter().any(|m| m.contains("value must be empty")));
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown field \"emptydir\""))
        );
    }

    #[test]
    fn run_duration_comes_from_sleep() {
        let (s, _) = spec(
            "containers: [{name: a, image: busybox, command: [sh, -c], args: [\"echo hi; sleep 45\"]}]\n",
            Owner::Job,
        );
        let t = PodTemplateSpec {
            spec: s.unwrap(),
            ..PodTemplateSpec::default()
        };
        assert_eq!(derived_run_for(&t), SimDuration::from_secs(45));
        assert_eq!(
            derived_run_for(&PodTemplateSpec::default()),
            DEFAULT_RUN_FOR
        );
    }
}
