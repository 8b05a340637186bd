//! Object builders for the scheduler's tests, after upstream's `pkg/scheduler/testing`
//! wrappers (`MakePod().Name("p").Req(...).Obj()`): `pod("web-1").requests(500, 256).obj()`,
//! `node("n1").allocatable(2000, 4096).taint("k", "v", NoSchedule).obj()`.

use std::collections::BTreeSet;

use super::NodeInfo;
use crate::sim::api::meta::{SelectorOperator, SelectorRequirement};
use crate::sim::api::node::DataPlane;
use crate::sim::api::{
    Container, ContainerPort, Kind, Node, NodeCondition, NodeSpec, NodeStatus, ObjectMeta,
    OwnerRef, Pod, PodSpec, PodStatus, Taint, TaintEffect, Toleration, TolerationOperator,
};
use crate::sim::clock::SimTime;
use crate::sim::quantity::{MIB, Resources};

pub struct NodeWrapper(Node);

/// A Ready node in `us-east-1a` with 4 CPUs, 8 GiB and room for 110 pods.
pub fn node(name: &str) -> NodeWrapper {
    NodeWrapper(Node {
        meta: ObjectMeta::named("", name),
        spec: NodeSpec::default(),
        status: NodeStatus {
            capacity: Resources::new(4000, 8192 * MIB),
            allocatable: Resources::new(4000, 8192 * MIB),
            max_pods: 110,
            ready: NodeCondition {
                ready: true,
                reason: "KubeletReady".into(),
                last_transition_time: SimTime::EPOCH,
            },
            kubelet_version: "v1.33.0-eks".into(),
            internal_ip: String::new(),
        },
        data_plane: DataPlane::Managed {
            nodegroup: "ng".into(),
        },
        zone: "us-east-1a".into(),
        instance_id: String::new(),
        instance_type: "m5.xlarge".into(),
        images: BTreeSet::new(),
    })
}

impl NodeWrapper {
    /// Allocatable CPU (millicores) and memory (MiB).
    pub fn allocatable(mut self, cpu_m: u64, mem_mib: u64) -> Self {
        self.0.status.allocatable = Resources::new(cpu_m, mem_mib * MIB);
        self
    }
    pub fn max_pods(mut self, n: u64) -> Self {
        self.0.status.max_pods = n;
        self
    }
    pub fn taint(mut self, key: &str, value: &str, effect: TaintEffect) -> Self {
        self.0.spec.taints.push(Taint::new(key, value, effect));
        self
    }
    pub fn unschedulable(mut self) -> Self {
        self.0.spec.unschedulable = true;
        self
    }
    /// NotReady while booting (`reason` KubeletNotReady) or unreachable (NodeStatusUnknown).
    pub fn not_ready(mut self, reason: &str) -> Self {
        self.0.status.ready.ready = false;
        self.0.status.ready.reason = reason.into();
        self
    }
    pub fn label(mut self, key: &str, value: &str) -> Self {
        self.0.meta.labels.insert(key.into(), value.into());
        self
    }
    pub fn zone(mut self, zone: &str) -> Self {
        self.0.zone = zone.into();
        self
    }
    pub fn instance_type(mut self, name: &str) -> Self {
        self.0.instance_type = name.into();
        self
    }
    pub fn obj(self) -> Node {
        self.0
    }
}

pub struct PodWrapper(Pod);

/// A pending pod in `default` with one container and no requests.
pub fn pod(name: &str) -> PodWrapper {
    PodWrapper(Pod {
        meta: ObjectMeta::named("default", name),
        spec: PodSpec {
            containers: vec![Container {
                name: "app".into(),
                image: "nginx".into(),
                ..Container::default()
            }],
            scheduler_name: super::DEFAULT_SCHEDULER.into(),
            ..PodSpec::default()
        },
        status: PodStatus::default(),
        lab: crate::sim::api::pod::PodLab::default(),
    })
}

impl PodWrapper {
    /// CPU (millicores) and memory (MiB) requests of the first container.
    pub fn requests(mut self, cpu_m: u64, mem_mib: u64) -> Self {
        self.0.spec.containers[0].requests = Resources::new(cpu_m, mem_mib * MIB);
        self
    }
    pub fn gpus(mut self, n: u64) -> Self {
        self.0.spec.containers[0].gpus = n;
        self
    }
    pub fn host_port(mut self, port: i32) -> Self {
        self.0.spec.containers[0].ports.push(ContainerPort {
            container_port: port,
            host_port: Some(port),
            protocol: "TCP".into(),
        });
        self
    }
    /// A toleration; an empty `value` with `Exists`, `None` effect for every effect.
    pub fn toleration(
        mut self,
        key: &str,
        operator: TolerationOperator,
        value: &str,
        effect: Option<TaintEffect>,
    ) -> Self {
        self.0.spec.tolerations.push(Toleration {
            key: key.into(),
            operator,
            value: value.into(),
            effect,
        });
        self
    }
    pub fn node_selector(mut self, key: &str, value: &str) -> Self {
        self.0.spec.node_selector.insert(key.into(), value.into());
        self
    }
    /// A required node affinity term of one requirement (terms are ORed).
    pub fn affinity_term(mut self, key: &str, operator: SelectorOperator, values: &[&str]) -> Self {
        self.0.spec.node_affinity.push(vec![SelectorRequirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| (*v).to_string()).collect(),
        }]);
        self
    }
    pub fn owner(mut self, kind: Kind, name: &str) -> Self {
        self.0.meta.owner = Some(OwnerRef {
            kind,
            name: name.into(),
        });
        self
    }
    pub fn uid(mut self, uid: u64) -> Self {
        self.0.meta.uid = uid;
        self
    }
    /// Bound to `node`.
    pub fn node(mut self, node: &str) -> Self {
        self.0.spec.node_name = Some(node.into());
        self
    }
    pub fn obj(self) -> Pod {
        self.0
    }
}

/// `node` with `pods` bound to it (upstream `framework.NewNodeInfo(pods...)`).
pub fn info<'a>(node: &'a Node, pods: &[Pod]) -> NodeInfo<'a> {
    let mut info = NodeInfo {
        node,
        requested: Resources::ZERO,
        pods: 0,
        gpus: 0,
        host_ports: BTreeSet::new(),
    };
    for p in pods {
        info.requested = info.requested.saturating_add(p.requests());
        info.pods += 1;
        info.gpus += p.spec.gpus();
        info.host_ports.extend(p.spec.host_ports());
    }
    info
}
