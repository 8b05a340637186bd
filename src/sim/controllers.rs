//! Controllers, named after the real components, run in a fixed order every step.
//!
//! Order: EKS (cluster, node group status) → auto scaling groups → deployment → replicaset →
//! daemonset → job → disruption (PDB status) → control plane update → add-on update →
//! metrics-server → horizontal-pod-autoscaler → vertical-pod-autoscaler → fargate-scheduler →
//! default-scheduler → cluster-autoscaler → spot interruptions → kubelet → node drains → node
//! group update. The first seven are change-driven: they run only when the state's revision
//! moved (every change bumps it, so no periodic resync is needed). The rest keep their own
//! periods, or drain the work queues the API server fills (`api_server::watch`: the schedulers'
//! and the kubelet's), which makes an idle hour of a large cluster cost almost nothing to
//! simulate. Controllers do not call each other: they read the store and their own queue, and
//! write back through the API server (`tests/integration/tidy.rs` lists the calls not yet cut).

pub mod addon_update;
pub mod auto_scaling_group;
pub mod cluster_autoscaler;
pub mod control_plane_update;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod eks;
pub mod fargate;
pub mod horizontal_pod_autoscaler;
pub mod job;
pub mod kubelet;
pub mod metrics_server;
pub mod node_drain;
pub mod nodegroup_update;
pub mod replicaset;
pub mod scheduler;
pub mod spot;
pub mod vertical_pod_autoscaler;

use super::{Simulation, Timer, api_server};

/// Controllers' private bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct ControllerState {
    last_revision: Option<u64>,
    pub scheduler: scheduler::SchedulerState,
    pub kubelet: kubelet::KubeletState,
    pub fargate: fargate::FargateState,
    pub node_drain: node_drain::NodeDrainState,
    pub asg: auto_scaling_group::AsgState,
    pub daemonset: daemonset::DaemonSetState,
    /// Workloads whose last pod creation failed (their `FailedCreate` is logged once); kept
    /// by `api_server::record_creation`, which the ReplicaSet, DaemonSet and Job controllers
    /// share as upstream's controllers share `controller_utils`.
    pub create_failed: std::collections::BTreeSet<super::api::ObjectRef>,
    pub eks: eks::EksState,
    pub metrics_server: metrics_server::MetricsServerState,
    pub hpa: horizontal_pod_autoscaler::HpaState,
    pub vpa: vertical_pod_autoscaler::VpaState,
    pub cluster_autoscaler: cluster_autoscaler::ClusterAutoscalerState,
    pub spot: spot::SpotState,
    pub control_plane_update: control_plane_update::ControlPlaneUpdateState,
    pub nodegroup_update: nodegroup_update::NodegroupUpdateState,
    pub addon_update: addon_update::AddonUpdateState,
}

/// One pass of every controller, in order.
pub(crate) fn run(sim: &mut Simulation) {
    let rev = sim.state.revision;
    if sim.controllers.last_revision != Some(rev) {
        sim.controllers.last_revision = Some(rev);
        eks::reconcile(sim);
        auto_scaling_group::reconcile(sim);
        deployment::reconcile(sim);
        replicaset::reconcile(sim);
        daemonset::reconcile(sim);
        job::reconcile(sim);
        disruption::reconcile(sim);
    }
    // Time-driven controllers, each on its own period (metrics-server 15 s, HPA 15 s, VPA
    // 1 min, Cluster Autoscaler 10 s) or per step (Spot interruptions).
    control_plane_update::reconcile(sim);
    addon_update::reconcile(sim);
    metrics_server::reconcile(sim);
    horizontal_pod_autoscaler::reconcile(sim);
    vertical_pod_autoscaler::reconcile(sim);
    fargate::reconcile(sim);
    scheduler::reconcile(sim);
    cluster_autoscaler::reconcile(sim);
    spot::reconcile(sim);
    kubelet::reconcile(sim);
    node_drain::reconcile(sim);
    nodegroup_update::reconcile(sim);
}

/// Dispatches a due timer to its controller.
pub(crate) fn fire(sim: &mut Simulation, timer: Timer) {
    match timer {
        Timer::ClusterActive => eks::activate(sim),
        Timer::FargateProfileActive(name) => eks::fargate_profile_active(sim, &name),
        Timer::FargateProfileDeleted(name) => eks::fargate_profile_deleted(sim, &name),
        Timer::InstanceRunning(id) => auto_scaling_group::instance_running(sim, &id),
        Timer::NodeRegistered(id) => kubelet::register_node(sim, &id),
        Timer::NodeReady(node) => kubelet::node_ready(sim, &node),
        Timer::InstanceTerminated(id) => auto_scaling_group::instance_terminated(sim, &id),
        Timer::PodImagePulled { key, uid } => kubelet::image_pulled(sim, &key, uid),
        Timer::PodContainerStarted { key, uid } => kubelet::container_started(sim, &key, uid),
        Timer::PodContainerExited { key, uid } => kubelet::container_exited(sim, &key, uid),
        Timer::PodTerminated { key, uid } => api_server::remove_pod_if(sim, &key, uid),
        Timer::FargateCapacityReady { key, uid } => fargate::capacity_ready(sim, &key, uid),
        Timer::JobTtlExpired(key) => job::ttl_expired(sim, &key),
        Timer::Spot(t) => spot::fire(sim, t),
        Timer::ClusterAutoscaler(t) => cluster_autoscaler::fire(sim, t),
        Timer::ControlPlaneUpdate(id) => control_plane_update::fire(sim, &id),
    }
}
