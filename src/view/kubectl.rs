//! Text views of the simulated cluster in the exact formats of `kubectl` and `eksctl`: tables
//! (`get`), `describe`, `-o yaml`, and the AWS CLI's `describe-cluster`, `describe-nodegroup`,
//! `describe-fargate-profile`, `list-updates` and `describe-update`.
//!
//! Everything is derived from `Simulation` state; nothing here changes the lab. Column
//! alignment goes through a port of Go's `text/tabwriter` with the parameters each tool
//! uses, ages through `duration.HumanDuration`, and timestamps through the lab calendar
//! (`spec().start_date` plus the object's simulated time).
//!
//! Values the simulation does not model but real output always shows (machine IDs, kernel
//! versions, container IDs, image digests, VPC and security-group IDs) are derived
//! deterministically from object names, so the same lab always prints the same text.

mod aws;
mod describe;
mod doc;
mod eksctl;
mod facts;
mod get;
mod hpa;
mod manifest;
pub mod tabwriter;
pub mod time;
mod vpa;

pub use aws::{
    UpdateScope, describe_cluster, describe_nodegroup_cli, describe_update, list_updates,
};
pub use describe::{
    describe_daemonset, describe_deployment, describe_job, describe_node, describe_pdb,
    describe_pod,
};
pub use eksctl::{
    describe_fargate_profile, describe_nodegroup, eksctl_get_addon, eksctl_get_addons,
    eksctl_get_cluster, eksctl_get_fargateprofiles, eksctl_get_nodegroup, eksctl_get_nodegroups,
};
pub use facts::qos_class;
pub use get::{
    daemonsets_table, deployments_table, events_table, get_daemonsets, get_deployments, get_events,
    get_jobs, get_namespaces, get_nodes, get_pdb, get_pods, get_replicasets, jobs_table,
    namespaces_table, nodes_table, pdb_table, pods_table, replicasets_table,
};
pub use hpa::{describe_hpa, get_hpa, hpa_table, targets as hpa_targets};
pub use vpa::{describe_vpa, get_vpa, vpa_table};

use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::sim::clock::SimTime;
use tabwriter::{TabWriter, tab_lines};
use time::CalendarTime;

/// An object the inspector can show.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectId {
    Pod(ObjectKey),
    Node(String),
    Deployment(ObjectKey),
    /// A node group, managed or self-managed.
    Nodegroup(String),
    FargateProfile(String),
    Pdb(ObjectKey),
    DaemonSet(ObjectKey),
    Job(ObjectKey),
    /// A HorizontalPodAutoscaler.
    Hpa(ObjectKey),
    /// A VerticalPodAutoscaler.
    Vpa(ObjectKey),
}

/// One row of a `kubectl get` table, with the object it shows when the inspector can open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub object: Option<ObjectId>,
    pub cells: Vec<String>,
}

/// A `kubectl get` table: the structured form the UI renders, and `render` for the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// What kubectl prints when there is nothing to list (`No resources found in default
    /// namespace.`).
    pub empty_message: String,
}

impl Table {
    fn new(columns: &[&str], empty_message: String) -> Table {
        Table {
            columns: columns.iter().map(|c| (*c).to_string()).collect(),
            rows: Vec::new(),
            empty_message,
        }
    }

    fn push(&mut self, object: Option<ObjectId>, cells: Vec<String>) {
        self.rows.push(Row { object, cells });
    }

    /// The text kubectl prints: the header and rows aligned by its tabwriter, or the empty
    /// message.
    pub fn render(&self) -> String {
        if self.rows.is_empty() {
            return format!("{}\n", self.empty_message);
        }
        let lines =
            std::iter::once(self.columns.clone()).chain(self.rows.iter().map(|r| r.cells.clone()));
        TabWriter::KUBECTL_GET.format(&tab_lines(lines))
    }
}

/// `kubectl describe` for an object, or `describe-nodegroup`/`describe-fargate-profile` from the
/// AWS CLI for the EKS ones. `None` when the object does not exist.
pub fn describe(sim: &Simulation, id: &ObjectId) -> Option<String> {
    match id {
        ObjectId::Pod(k) => describe_pod(sim, k),
        ObjectId::Node(n) => describe_node(sim, n),
        ObjectId::Deployment(k) => describe_deployment(sim, k),
        ObjectId::Nodegroup(n) => describe_nodegroup(sim, n),
        ObjectId::FargateProfile(n) => describe_fargate_profile(sim, n),
        ObjectId::Pdb(k) => describe_pdb(sim, k),
        ObjectId::DaemonSet(k) => describe_daemonset(sim, k),
        ObjectId::Job(k) => describe_job(sim, k),
        ObjectId::Hpa(k) => describe_hpa(sim, k),
        ObjectId::Vpa(k) => describe_vpa(sim, k),
    }
}

/// `kubectl get -o yaml` for Kubernetes objects; the AWS CLI's `--output yaml` for node groups
/// and Fargate profiles. `None` when the object does not exist.
pub fn yaml(sim: &Simulation, id: &ObjectId) -> Option<String> {
    manifest::yaml(sim, id)
}

/// The lab-calendar time of a simulated instant.
fn cal(sim: &Simulation, t: SimTime) -> CalendarTime {
    CalendarTime::at(sim.spec().start_date, t)
}

/// The AGE of something created at `t`.
fn age(sim: &Simulation, t: SimTime) -> String {
    time::age(sim.now(), t)
}
