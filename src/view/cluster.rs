//! The cluster as the UI draws it: the control plane, one column per AZ holding its node
//! groups and nodes, pods as chips, and the pods no node has taken yet.

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::node::DataPlane;
use crate::sim::api::{Kind, Pod, PodPhase};
use crate::sim::catalog::{KubernetesVersion, version_info};
use crate::sim::controllers::scheduler;
use crate::sim::eks::ControlPlaneRole;

/// Which data plane a group or node belongs to; every view shows it as a labelled badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DataPlaneKind {
    Managed,
    SelfManaged,
    Fargate,
}

impl DataPlaneKind {
    pub const fn label(self) -> &'static str {
        match self {
            DataPlaneKind::Managed => "Managed node group",
            DataPlaneKind::SelfManaged => "Self-managed node group",
            DataPlaneKind::Fargate => "Fargate",
        }
    }
    pub const fn short(self) -> &'static str {
        match self {
            DataPlaneKind::Managed => "MNG",
            DataPlaneKind::SelfManaged => "SELF",
            DataPlaneKind::Fargate => "FARGATE",
        }
    }
    pub const fn css(self) -> &'static str {
        match self {
            DataPlaneKind::Managed => "managed",
            DataPlaneKind::SelfManaged => "self-managed",
            DataPlaneKind::Fargate => "fargate",
        }
    }
}

impl From<&DataPlane> for DataPlaneKind {
    fn from(d: &DataPlane) -> Self {
        match d {
            DataPlane::Managed { .. } => DataPlaneKind::Managed,
            DataPlane::SelfManaged { .. } => DataPlaneKind::SelfManaged,
            DataPlane::Fargate { .. } => DataPlaneKind::Fargate,
        }
    }
}

/// A pod's state as a chip shows it (shape and outline as well as colour).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChipState {
    Pending,
    Creating,
    Running,
    Terminating,
    Succeeded,
    Failed,
}

impl ChipState {
    pub const fn css(self) -> &'static str {
        match self {
            ChipState::Pending => "pending",
            ChipState::Creating => "creating",
            ChipState::Running => "running",
            ChipState::Terminating => "terminating",
            ChipState::Succeeded => "succeeded",
            ChipState::Failed => "failed",
        }
    }
}

/// One pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodChip {
    pub namespace: String,
    pub name: String,
    /// The owning workload (`deployment/web`, `daemonset/aws-node`, `job/report`, or the pod).
    pub workload: String,
    /// Index into the colour-blind-safe palette; `None` for system pods (drawn grey).
    pub colour: Option<u8>,
    pub state: ChipState,
    /// `kubectl get pods` STATUS.
    pub status: String,
    /// Why a pending pod is waiting (the scheduler's message).
    pub reason: Option<String>,
}

/// Where a node stands in an upgrade, shown on its card in words as well as by border style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeRollout {
    /// Nothing going on.
    Steady,
    /// Launched from the group's newest launch template while older nodes remain (a managed
    /// node group update's surge or replacement, or a self-managed group's new AMI).
    New,
    /// Being drained (kubectl drain, or EKS draining it in an update).
    Draining,
    /// Drained by a managed node group update, waiting its 60 s before termination
    /// (eks-facts §4).
    Drained,
    /// Its instance is being terminated.
    Terminating,
}

impl NodeRollout {
    pub const fn label(self) -> &'static str {
        match self {
            NodeRollout::Steady => "",
            NodeRollout::New => "NEW",
            NodeRollout::Draining => "DRAINING",
            NodeRollout::Drained => "DRAINED · 60 s WAIT",
            NodeRollout::Terminating => "TERMINATING",
        }
    }
    pub const fn css(self) -> &'static str {
        match self {
            NodeRollout::Steady => "steady",
            NodeRollout::New => "new",
            NodeRollout::Draining => "draining",
            NodeRollout::Drained => "drained",
            NodeRollout::Terminating => "terminating",
        }
    }
}

/// One node card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCard {
    pub name: String,
    pub kind: DataPlaneKind,
    pub instance_type: String,
    pub ready: bool,
    pub cordoned: bool,
    /// `status.nodeInfo.kubeletVersion` (`v1.34.0-eks`).
    pub kubelet_version: String,
    /// The kubelet is an older minor version than the control plane.
    pub behind: bool,
    pub rollout: NodeRollout,
    pub cpu_requested: u64,
    pub cpu_allocatable: u64,
    pub mem_requested: u64,
    pub mem_allocatable: u64,
    pub pods: u64,
    pub max_pods: u64,
    pub chips: Vec<PodChip>,
}

impl NodeCard {
    /// The STATUS column of `kubectl get nodes`: `Ready`, `NotReady`, `Ready,SchedulingDisabled`.
    pub fn status(&self) -> String {
        let base = if self.ready { "Ready" } else { "NotReady" };
        if self.cordoned {
            format!("{base},SchedulingDisabled")
        } else {
            base.to_string()
        }
    }
}

/// Past this many nodes, or `MAX_POD_CHIPS` pods, the cluster is drawn group by group (one
/// summary per AZ, node group and capacity type, pods as counts and bars) instead of node by
/// node, so the page stays responsive with thousands of nodes; a group can be opened to see its
/// nodes.
pub const MAX_NODE_CARDS: usize = 60;
pub const MAX_POD_CHIPS: usize = 2000;
/// Nodes drawn when one group is opened; the rest are counted.
pub const MAX_OPEN_CARDS: usize = 100;
/// Pods listed in the tray of unscheduled pods; the rest are counted.
pub const MAX_PENDING_CHIPS: usize = 50;

/// Which instances a group's nodes run on: what `eks.amazonaws.com/capacityType` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capacity {
    OnDemand,
    Spot,
    /// Fargate pods run on capacity AWS manages.
    Fargate,
}

impl Capacity {
    pub const fn label(self) -> &'static str {
        match self {
            Capacity::OnDemand => "On-Demand",
            Capacity::Spot => "Spot",
            Capacity::Fargate => "Fargate",
        }
    }
}

/// One group of the drawn-by-group cluster: an AZ, a node group and a capacity type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey {
    pub zone: String,
    pub group: String,
    pub kind: DataPlaneKind,
    pub capacity: Capacity,
}

/// The sums a group's summary shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupSummary {
    pub nodes: u64,
    pub ready: u64,
    pub cordoned: u64,
    /// Nodes whose kubelet is older than the control plane.
    pub behind: u64,
    pub cpu_requested: u64,
    pub cpu_allocatable: u64,
    pub mem_requested: u64,
    pub mem_allocatable: u64,
    pub pods: u64,
    pub max_pods: u64,
    pub running: u64,
    /// Bound to a node, not running yet (pulling, starting).
    pub creating: u64,
    pub terminating: u64,
}

/// A node group's nodes within one AZ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    pub name: String,
    pub kind: DataPlaneKind,
    /// The group's Kubernetes version and status (`1.34`, `UPDATING`); empty for Fargate.
    pub version: String,
    pub status: &'static str,
    /// Drawn by group: the group's capacity type (groups are split by it) and its key.
    pub capacity: Option<Capacity>,
    pub summary: GroupSummary,
    /// The node cards: every node when drawn node by node; when drawn by group, the first
    /// `MAX_OPEN_CARDS` of an opened group and none of the others.
    pub nodes: Vec<NodeCard>,
    /// Drawn by group, this group is the one opened.
    pub open: bool,
}

impl GroupView {
    /// The key to open this group with (drawn by group only).
    pub fn key(&self, zone: &str) -> Option<GroupKey> {
        self.capacity.map(|capacity| GroupKey {
            zone: zone.to_string(),
            group: self.name.clone(),
            kind: self.kind,
            capacity,
        })
    }
}

/// One AZ column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneView {
    pub zone: String,
    pub subnet: String,
    pub free_ips: u32,
    pub groups: Vec<GroupView>,
}

/// A control plane instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPlaneBox {
    pub name: String,
    pub role: &'static str,
    pub zone: String,
    pub healthy: bool,
    /// The Kubernetes version it runs.
    pub version: String,
    /// During a control plane update: `old` (the version the cluster reports) or `new` (an
    /// instance at the target version); empty otherwise.
    pub generation: &'static str,
}

/// The whole picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterView {
    pub name: String,
    pub version: String,
    pub status: &'static str,
    pub support: &'static str,
    pub control_plane: Vec<ControlPlaneBox>,
    pub zones: Vec<ZoneView>,
    /// The first `MAX_PENDING_CHIPS` pods no node has taken yet.
    pub pending: Vec<PodChip>,
    /// How many pods no node has taken yet.
    pub pending_total: usize,
    /// Too many nodes or pods to draw one by one: the zones hold group summaries.
    pub by_group: bool,
    pub node_total: usize,
    pub pod_total: usize,
}

/// The Okabe-Ito palette has seven colours besides black.
pub const PALETTE_SIZE: u8 = 7;

fn workload_of(p: &Pod) -> (String, Option<u8>) {
    let workload = match &p.meta.owner {
        Some(o) if o.kind == Kind::ReplicaSet => {
            let rs = o.name.as_str();
            let dep = if p.lab.template_hash.is_empty() {
                rs
            } else {
                rs.strip_suffix(&format!("-{}", p.lab.template_hash))
                    .unwrap_or(rs)
            };
            format!("deployment/{dep}")
        }
        Some(o) => format!("{}/{}", o.kind.ref_name(), o.name),
        None => format!("pod/{}", p.meta.name),
    };
    let colour = if p.meta.namespace == "kube-system" {
        None
    } else {
        let h = crate::sim::digest::fnv1a64(format!("{}/{workload}", p.meta.namespace).as_bytes());
        Some((h % u64::from(PALETTE_SIZE)) as u8)
    };
    (workload, colour)
}

/// A pod as a chip.
pub fn chip(sim: &Simulation, p: &Pod) -> PodChip {
    let (workload, colour) = workload_of(p);
    let state = if p.is_terminating() {
        ChipState::Terminating
    } else {
        match p.status.phase {
            PodPhase::Pending if p.spec.node_name.is_some() => ChipState::Creating,
            PodPhase::Pending | PodPhase::Unknown => ChipState::Pending,
            PodPhase::Running => ChipState::Running,
            PodPhase::Succeeded => ChipState::Succeeded,
            PodPhase::Failed => ChipState::Failed,
        }
    };
    let reason = if p.spec.node_name.is_none() {
        pending_reason(sim, p)
    } else {
        None
    };
    PodChip {
        namespace: p.meta.namespace.clone(),
        name: p.meta.name.clone(),
        workload,
        colour,
        state,
        status: p.display_status(),
        reason,
    }
}

/// Why a pod has no node yet, in the words of whichever scheduler owns it.
pub fn pending_reason(sim: &Simulation, p: &Pod) -> Option<String> {
    let key = p.meta.key();
    if let Some(m) = scheduler::pending_reason(sim, &key) {
        return Some(m);
    }
    let obj = crate::sim::api::ObjectRef::new(Kind::Pod, key.namespace.clone(), key.name.clone());
    sim.events()
        .for_object(&obj)
        .filter(|e| e.reason == crate::sim::event::reason::FAILED_SCHEDULING)
        .last()
        .map(|e| e.message.clone())
}

/// What one node carries, gathered in one pass over the pods.
#[derive(Default)]
struct Load<'a> {
    cpu: u64,
    mem: u64,
    pods: u64,
    running: u64,
    creating: u64,
    terminating: u64,
    chips: Vec<&'a Pod>,
}

impl ClusterView {
    /// The cluster, with no group opened.
    pub fn from_sim(sim: &Simulation) -> ClusterView {
        ClusterView::open(sim, None)
    }

    /// The cluster; drawn by group, `zoom` is the group opened to show its nodes.
    pub fn open(sim: &Simulation, zoom: Option<&GroupKey>) -> ClusterView {
        let st = sim.state();
        let c = &st.cluster;
        let support =
            version_info(c.version).map_or("unknown", |v| v.status_on(sim.date()).as_str());
        let mixed = c
            .control_plane
            .iter()
            .any(|i| i.role == ControlPlaneRole::ApiServer && i.version != c.version);
        let control_plane = c
            .control_plane
            .iter()
            .map(|i| ControlPlaneBox {
                name: i.name.clone(),
                role: match i.role {
                    ControlPlaneRole::ApiServer => "API server",
                    ControlPlaneRole::Etcd => "etcd",
                },
                zone: i.zone.clone(),
                healthy: i.healthy,
                // etcd runs its own release line (3.5.x), not a Kubernetes version.
                version: match i.role {
                    ControlPlaneRole::ApiServer => i.version.to_string(),
                    ControlPlaneRole::Etcd => String::new(),
                },
                generation: match (mixed, i.role, i.version == c.version) {
                    (true, ControlPlaneRole::ApiServer, true) => "old",
                    (true, ControlPlaneRole::ApiServer, false) => "new",
                    _ => "",
                },
            })
            .collect();
        // Each group's newest launch template version among its live instances, and whether
        // older ones remain (then the newest are "new").
        let mut templates: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for i in st.instances.values().filter(|i| i.is_live()) {
            let e = templates
                .entry(i.nodegroup.as_str())
                .or_insert((i.launch_template_version, i.launch_template_version));
            e.0 = e.0.min(i.launch_template_version);
            e.1 = e.1.max(i.launch_template_version);
        }
        let draining: Vec<&str> = crate::sim::controllers::node_drain::in_progress(sim)
            .iter()
            .map(|d| d.node.as_str())
            .collect();
        let drained: Vec<&str> = sim
            .controllers
            .nodegroup_update
            .ops
            .iter()
            .flat_map(|o| o.batch.iter())
            .filter(|(_, done)| done.is_some())
            .map(|(n, _)| n.as_str())
            .collect();
        let by_group = st.nodes.len() > MAX_NODE_CARDS || st.pods.len() > MAX_POD_CHIPS;
        let open = zoom.filter(|_| by_group);
        // Chips are drawn for every node, or for the opened group's: drawn by group with none
        // opened, no pod needs one.
        let chips_drawn = !by_group || open.is_some();
        let capacity_of = |n: &crate::sim::api::Node| match n.data_plane {
            DataPlane::Fargate { .. } => Capacity::Fargate,
            _ => match st.instances.get(&n.instance_id).map(|i| i.lifecycle) {
                Some(crate::sim::eks::ec2::InstanceLifecycle::Spot) => Capacity::Spot,
                _ => Capacity::OnDemand,
            },
        };
        // Is this node in the opened group?
        let in_open = |n: &crate::sim::api::Node| {
            open.is_some_and(|k| {
                k.zone == n.zone
                    && k.group == n.data_plane.group_name()
                    && k.kind == DataPlaneKind::from(&n.data_plane)
                    && k.capacity == capacity_of(n)
            })
        };
        // One pass over the pods: each node's requests and pod states, its chips when drawn,
        // and the unscheduled pods.
        let mut load: BTreeMap<&str, Load<'_>> = BTreeMap::new();
        let mut pending = Vec::new();
        let mut pending_total = 0;
        for p in st.pods.values() {
            match p.spec.node_name.as_deref() {
                Some(n) => {
                    let carried = load.entry(n).or_default();
                    if p.occupies_node() {
                        let r = p.requests();
                        carried.cpu += r.cpu.0;
                        carried.mem += r.memory.0;
                        carried.pods += 1;
                    }
                    if p.is_terminating() {
                        carried.terminating += 1;
                    } else if p.status.phase == PodPhase::Running {
                        carried.running += 1;
                    } else if p.status.phase == PodPhase::Pending {
                        carried.creating += 1;
                    }
                    if chips_drawn {
                        carried.chips.push(p);
                    }
                }
                None if !p.status.phase.is_terminal() => {
                    pending_total += 1;
                    if pending.len() < MAX_PENDING_CHIPS {
                        pending.push(chip(sim, p));
                    }
                }
                None => {}
            }
        }
        let mut zones: Vec<ZoneView> = st
            .subnets
            .iter()
            .map(|s| ZoneView {
                zone: s.zone.clone(),
                subnet: s.cidr.clone(),
                free_ips: s.free(),
                groups: Vec::new(),
            })
            .collect();
        let empty = Load::default();
        for n in st.nodes.values() {
            let Some(z) = zones.iter_mut().find(|z| z.zone == n.zone) else {
                continue;
            };
            let kind = DataPlaneKind::from(&n.data_plane);
            let group = n.data_plane.group_name();
            let capacity = by_group.then(|| capacity_of(n));
            let carried = load.get(n.name()).unwrap_or(&empty);
            let behind =
                KubernetesVersion::parse(&n.status.kubelet_version).is_ok_and(|k| k < c.version);
            let i = z
                .groups
                .iter()
                .position(|g| g.name == group && g.kind == kind && g.capacity == capacity)
                .unwrap_or_else(|| {
                    let ng = st.nodegroups.get(group);
                    z.groups.push(GroupView {
                        version: ng.map(|g| g.version.to_string()).unwrap_or_default(),
                        status: ng.map_or("", |g| g.status.as_str()),
                        name: group.to_string(),
                        kind,
                        capacity,
                        summary: GroupSummary::default(),
                        nodes: Vec::new(),
                        open: by_group && in_open(n),
                    });
                    z.groups.len() - 1
                });
            let g = &mut z.groups[i];
            let sum = &mut g.summary;
            sum.nodes += 1;
            sum.ready += u64::from(n.is_ready());
            sum.cordoned += u64::from(n.spec.unschedulable);
            sum.behind += u64::from(behind);
            sum.cpu_requested += carried.cpu;
            sum.cpu_allocatable += n.status.allocatable.cpu.0;
            sum.mem_requested += carried.mem;
            sum.mem_allocatable += n.status.allocatable.memory.0;
            sum.pods += carried.pods;
            sum.max_pods += n.status.max_pods;
            sum.running += carried.running;
            sum.creating += carried.creating;
            sum.terminating += carried.terminating;
            if by_group && !(g.open && g.nodes.len() < MAX_OPEN_CARDS) {
                continue;
            }
            let inst = st.instances.get(&n.instance_id);
            let rollout = if draining.contains(&n.name()) {
                NodeRollout::Draining
            } else if drained.contains(&n.name()) {
                NodeRollout::Drained
            } else if inst.is_some_and(|i| i.terminating || !i.is_live()) {
                NodeRollout::Terminating
            } else if inst.is_some_and(|i| {
                templates
                    .get(i.nodegroup.as_str())
                    .is_some_and(|(lo, hi)| lo < hi && i.launch_template_version == *hi)
            }) {
                NodeRollout::New
            } else {
                NodeRollout::Steady
            };
            g.nodes.push(NodeCard {
                name: n.name().to_string(),
                kind,
                instance_type: n.instance_type.clone(),
                ready: n.is_ready(),
                cordoned: n.spec.unschedulable,
                kubelet_version: n.status.kubelet_version.clone(),
                behind,
                rollout,
                cpu_requested: carried.cpu,
                cpu_allocatable: n.status.allocatable.cpu.0,
                mem_requested: carried.mem,
                mem_allocatable: n.status.allocatable.memory.0,
                pods: carried.pods,
                max_pods: n.status.max_pods,
                chips: carried.chips.iter().map(|p| chip(sim, p)).collect(),
            });
        }
        for z in &mut zones {
            crate::sim::sort::sort_by(&mut z.groups, |a, b| {
                (a.kind, &a.name, a.capacity).cmp(&(b.kind, &b.name, b.capacity))
            });
        }
        ClusterView {
            name: c.name.clone(),
            version: c.version.to_string(),
            status: c.status.as_str(),
            support,
            control_plane,
            zones,
            pending,
            pending_total,
            by_group,
            node_total: st.nodes.len(),
            pod_total: st.pods.len(),
        }
    }
}
