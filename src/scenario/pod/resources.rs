//! Container resources (`requests`, `limits`, GPUs) and ports.

use crate::scenario::decode::{Fields, Obj, Sink, cpu, join, memory, obj};
use crate::scenario::yaml::Node;
use crate::sim::api::{Container, ContainerPort, bounds};
use crate::sim::quantity::Resources;

/// CPU, memory and GPUs of one `requests` or `limits` block; other names warn or fail.
fn resource_list(sink: &mut Sink, node: &Node, path: &str) -> (Resources, Option<u64>, bool) {
    let mut r = Resources::ZERO;
    let mut gpus = None;
    let mut ok = true;
    let Node::Map { entries, .. } = node else {
        if !node.is_null() {
            sink.error(
                node.mark(),
                path,
                format!("expected a mapping, got {}", node.describe()),
            );
        }
        return (r, gpus, node.is_null());
    };
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
            "nvidia.com/gpu" => {
                match crate::scenario::decode::scalar_text(sink, v, &p)
                    .map(|t| (t.parse::<u64>(), t))
                {
                    Some((Ok(g), _)) => gpus = Some(g),
                    Some((Err(_), t)) => {
                        sink.error(
                            v.mark(),
                            &p,
                            format!("invalid GPU count {t:?}: must be a whole number"),
                        );
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            other
                if other == "ephemeral-storage"
                    || other.starts_with("hugepages-")
                    || other.contains('/') =>
            {
                sink.warn(k.mark, &p, "not modelled by the lab; ignored");
            }
            other => {
                sink.error(
                    k.mark,
                    &p,
                    format!("unknown resource name {other:?}: use cpu, memory or nvidia.com/gpu"),
                );
                ok = false;
            }
        }
    }
    (r, gpus, ok)
}

pub(super) fn resources(sink: &mut Sink, r: &Obj<'_>, c: &mut Container) {
    let (requests, req_gpus, req_ok) = r
        .get("requests")
        .map_or((Resources::ZERO, None, true), |n| {
            resource_list(sink, n, &r.at("requests"))
        });
    let (limits, lim_gpus, lim_ok) = r.get("limits").map_or((Resources::ZERO, None, true), |n| {
        resource_list(sink, n, &r.at("limits"))
    });
    if !(req_ok && lim_ok) {
        return;
    }
    // Kubernetes: a resource with a limit and no request gets the limit as its request.
    let req_node = r.get("requests");
    let given = |name: &str| {
        req_node
            .and_then(|n| n.get(name))
            .is_some_and(|v| !v.is_null())
    };
    c.requests = Resources {
        cpu: if given("cpu") {
            requests.cpu
        } else {
            limits.cpu
        },
        memory: if given("memory") {
            requests.memory
        } else {
            limits.memory
        },
    };
    c.limits = limits;
    let check = |sink: &mut Sink, name: &str, req: u64, lim: u64| {
        if lim > 0 && req > lim {
            sink.error(
                r.value_mark("requests"),
                &join(&r.at("requests"), name),
                format!("must be less than or equal to {name} limit"),
            );
        }
    };
    check(sink, "cpu", c.requests.cpu.0, limits.cpu.0);
    check(sink, "memory", c.requests.memory.0, limits.memory.0);
    match (req_gpus, lim_gpus) {
        (Some(_), None) => sink.error(
            r.value_mark("requests"),
            &join(&r.at("limits"), "nvidia.com/gpu"),
            "Required value: a limit is needed for nvidia.com/gpu (extended resources cannot be overcommitted)",
        ),
        (Some(q), Some(l)) if q != l => sink.error(
            r.value_mark("requests"),
            &join(&r.at("requests"), "nvidia.com/gpu"),
            "must be equal to nvidia.com/gpu limit",
        ),
        (_, Some(l)) => c.gpus = l,
        (None, None) => {}
    }
}

pub(super) fn container_port(sink: &mut Sink, node: &Node, path: &str) -> Option<ContainerPort> {
    let p = obj(
        sink,
        node,
        path,
        &Fields {
            known: &["containerPort", "hostPort", "protocol"],
            unmodelled: &["hostIP"],
            silent: &["name"],
        },
    )?;
    // int32 fields of `ContainerPort` (k8s.io/api core/v1), then `IsValidPortNum`; a
    // `hostPort` of 0 means none, as the API server reads it.
    let container_port =
        p.i32(sink, "containerPort", "ContainerPort")
            .and_then(|v| match bounds::port(v) {
                Ok(()) => Some(v),
                Err(e) => {
                    sink.error(p.value_mark("containerPort"), &p.at("containerPort"), e);
                    None
                }
            });
    if !p.has("containerPort") {
        sink.error(p.mark, &p.at("containerPort"), "required field is missing");
    }
    let host_port =
        p.i32(sink, "hostPort", "ContainerPort")
            .and_then(|v| match bounds::host_port(v) {
                Ok(h) => h,
                Err(e) => {
                    sink.error(p.value_mark("hostPort"), &p.at("hostPort"), e);
                    None
                }
            });
    let protocol = p.str(sink, "protocol").unwrap_or_else(|| "TCP".to_string());
    if !["TCP", "UDP", "SCTP"].contains(&protocol.as_str()) {
        sink.error(
            p.value_mark("protocol"),
            &p.at("protocol"),
            format!(
                "Unsupported value: {protocol:?}: supported values: \"TCP\", \"UDP\", \"SCTP\""
            ),
        );
        return None;
    }
    Some(ContainerPort {
        container_port: container_port?,
        host_port,
        protocol,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::quantity::MIB;

    fn container(text: &str) -> (Container, Sink) {
        let (root, mut sink) = crate::scenario::decode::first_document(text);
        let o = obj(
            &mut sink,
            &root,
            "resources",
            &Fields::known(&["requests", "limits"]),
        )
        .unwrap();
        let mut c = Container::default();
        resources(&mut sink, &o, &mut c);
        (c, sink)
    }

    #[test]
    fn requests_default_to_limits_per_resource() {
        let (c, sink) = container("limits: {cpu: 1, memory: 1Gi}\nrequests: {memory: 512Mi}\n");
        assert!(sink.diags.is_empty(), "{:?}", sink.diags);
        assert_eq!(c.requests, Resources::new(1000, 512 * MIB));
        assert_eq!(c.limits, Resources::new(1000, 1024 * MIB));
    }

    #[test]
    fn requests_above_limits_and_gpu_rules() {
        let (_, sink) = container("limits: {cpu: 500m}\nrequests: {cpu: 1}\n");
        assert_eq!(
            sink.diags[0].message,
            "must be less than or equal to cpu limit"
        );
        let (_, sink) = container("requests: {nvidia.com/gpu: 1}\n");
        assert!(
            sink.diags[0]
                .message
                .contains("a limit is needed for nvidia.com/gpu")
        );
        let (c, sink) = container("limits: {nvidia.com/gpu: 2, ephemeral-storage: 1Gi}\n");
        assert_eq!(c.gpus, 2);
        assert_eq!(sink.diags[0].path, "resources.limits.ephemeral-storage");
    }
}
