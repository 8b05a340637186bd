//! The object store: every Kubernetes and AWS object of the lab, in ordered maps.
//!
//! Controllers read and write it; `revision` is bumped on every change so controllers that
//! react to changes can skip steps where nothing happened.

use std::collections::BTreeMap;

use super::api::{
    DaemonSet, Deployment, Job, Namespace, Node, ObjectKey, Pod, PodDisruptionBudget, PodPhase,
    ReplicaSet,
};
use super::eks::{Cluster, FargateProfile, Instance, Nodegroup, Subnet};

/// Everything that exists in the lab.
#[derive(Debug, Clone)]
pub struct State {
    pub cluster: Cluster,
    pub nodegroups: BTreeMap<String, Nodegroup>,
    pub fargate_profiles: BTreeMap<String, FargateProfile>,
    pub instances: BTreeMap<String, Instance>,
    pub subnets: Vec<Subnet>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub nodes: BTreeMap<String, Node>,
    pub pods: BTreeMap<ObjectKey, Pod>,
    pub deployments: BTreeMap<ObjectKey, Deployment>,
    pub replicasets: BTreeMap<ObjectKey, ReplicaSet>,
    pub daemonsets: BTreeMap<ObjectKey, DaemonSet>,
    pub jobs: BTreeMap<ObjectKey, Job>,
    pub pdbs: BTreeMap<ObjectKey, PodDisruptionBudget>,
    pub hpas: BTreeMap<ObjectKey, super::api::HorizontalPodAutoscaler>,
    pub vpas: BTreeMap<ObjectKey, super::api::VerticalPodAutoscaler>,
    /// Load on each Deployment (keyed like the Deployment).
    pub traffic: BTreeMap<ObjectKey, super::traffic::ActiveTraffic>,
    /// What the metrics-server last scraped (`kubectl top pods`); empty without metrics-server.
    pub pod_metrics: BTreeMap<ObjectKey, super::api::ResourceMetrics>,
    /// `kubectl top nodes`.
    pub node_metrics: BTreeMap<String, super::api::ResourceMetrics>,
    /// EKS updates (control plane, node groups, add-ons), oldest first.
    pub updates: Vec<super::eks::Update>,
    /// Bumped on every change.
    pub revision: u64,
}

impl State {
    pub fn touch(&mut self) {
        self.revision += 1;
    }

    /// Pods bound to `node` that still hold resources there.
    pub fn pods_on_node<'a>(&'a self, node: &'a str) -> impl Iterator<Item = &'a Pod> + 'a {
        self.pods
            .values()
            .filter(move |p| p.spec.node_name.as_deref() == Some(node) && p.occupies_node())
    }

    pub fn count_pods(&self, phase: PodPhase) -> usize {
        self.pods
            .values()
            .filter(|p| p.status.phase == phase)
            .count()
    }

    /// The private subnet of a zone (the lab keeps one subnet per AZ).
    pub fn subnet_index(&self, zone: &str) -> Option<usize> {
        self.subnets.iter().position(|s| s.zone == zone)
    }
}
