//! metrics-server: every 15 seconds (its upstream `--metric-resolution=15s`, eks-facts §6.1) it
//! collects each running pod's CPU and memory usage from the kubelets and serves them as
//! `metrics.k8s.io` (`kubectl top`, the HPA, the VPA). It runs only where the metrics-server
//! add-on is installed and its pod is Ready: without it, `kubectl top` and resource-based HPAs
//! fail exactly as they do on a real cluster.
//!
//! Usage comes from the workload's traffic model (`sim::traffic`); pods without one are
//! assumed to use a steady share of their requests.

use crate::sim::sort::CollectSorted;
use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::sim::api::metrics::available;
use crate::sim::api::{Kind, ObjectKey, Pod, PodPhase, ResourceMetrics};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::quantity::{MIB, Resources};
use crate::sim::traffic::{ActiveTraffic, TrafficSpec};

/// `--metric-resolution` (eks-facts §6.1, M).
pub const RESOLUTION: SimDuration = SimDuration::from_secs(15);

/// Without a traffic model, a pod uses this share of its CPU request (percent)...
pub const DEFAULT_CPU_SHARE: u64 = 20;
/// ...and this share of its memory request (percent), with the floors below (U: an assumption
/// the lab makes visible in the inspector, not a measured figure).
pub const DEFAULT_MEMORY_SHARE: u64 = 50;
const FLOOR: Resources = Resources::new(2, 16 * MIB);

/// What the node's own daemons (kubelet, containerd, OS) use on top of its pods: half of
/// kube-reserved (U: an estimate for `kubectl top nodes`).
const SYSTEM_SHARE_OF_RESERVED: u64 = 50;

/// Scrape bookkeeping.
#[derive(Debug, Clone, Default)]
pub struct MetricsServerState {
    pub next_scrape: SimTime,
    pub last_scrape: Option<SimTime>,
}

/// What usage computations need, gathered once per pass over the pods: which Deployment owns
/// each ReplicaSet, and how many ready pods share each Deployment's traffic.
#[derive(Debug)]
pub struct UsageContext<'a> {
    sim: &'a Simulation,
    /// (namespace, ReplicaSet) → Deployment name.
    owners: BTreeMap<(&'a str, &'a str), &'a str>,
    /// (namespace, Deployment) → ready pods, for Deployments with traffic.
    ready: BTreeMap<(&'a str, &'a str), u64>,
    traffic: BTreeMap<(&'a str, &'a str), &'a ActiveTraffic>,
}

impl<'a> UsageContext<'a> {
    pub fn new(sim: &'a Simulation) -> UsageContext<'a> {
        let owners: BTreeMap<(&str, &str), &str> = sim
            .state
            .replicasets
            .values()
            .filter_map(|rs| {
                let o = rs
                    .meta
                    .owner
                    .as_ref()
                    .filter(|o| o.kind == Kind::Deployment)?;
                Some((
                    (rs.meta.namespace.as_str(), rs.meta.name.as_str()),
                    o.name.as_str(),
                ))
            })
            .collect_map();
        let traffic = sim
            .state
            .traffic
            .iter()
            .map(|(k, t)| ((k.namespace.as_str(), k.name.as_str()), t))
            .collect_map();
        let mut ctx = UsageContext {
            sim,
            owners,
            ready: BTreeMap::new(),
            traffic,
        };
        let mut ready = BTreeMap::new();
        for p in sim.state.pods.values() {
            if p.is_ready()
                && !p.is_terminating()
                && let Some(d) = ctx.deployment_of(p).filter(|d| ctx.traffic.contains_key(d))
            {
                *ready.entry(d).or_default() += 1;
            }
        }
        ctx.ready = ready;
        ctx
    }

    /// (namespace, Deployment) of a pod, without allocating.
    pub fn deployment_of(&self, pod: &'a Pod) -> Option<(&'a str, &'a str)> {
        let o = pod
            .meta
            .owner
            .as_ref()
            .filter(|o| o.kind == Kind::ReplicaSet)?;
        let d = self
            .owners
            .get(&(pod.meta.namespace.as_str(), o.name.as_str()))?;
        Some((pod.meta.namespace.as_str(), d))
    }

    /// A pod's usage right now.
    pub fn usage(&self, pod: &'a Pod) -> Resources {
        if let Some(d) = self.deployment_of(pod)
            && let Some(t) = self.traffic.get(&d)
        {
            // Only ready pods receive requests; a starting pod idles at the base.
            if !pod.is_ready() {
                return t.spec.base;
            }
            let n = self.ready.get(&d).copied().unwrap_or(0);
            return t.spec.usage_per_pod(t.rps(self.sim.now()), n);
        }
        let r = pod.requests();
        Resources::new(
            (r.cpu.0 * DEFAULT_CPU_SHARE / 100).max(FLOOR.cpu.0),
            (r.memory.0 * DEFAULT_MEMORY_SHARE / 100).max(FLOOR.memory.0),
        )
    }
}

/// A pod's usage right now (builds a context; use `UsageContext` for many pods).
pub fn pod_usage(sim: &Simulation, pod: &Pod) -> Resources {
    UsageContext::new(sim).usage(pod)
}

/// Scrapes every 15 s while a metrics-server pod is Ready.
pub(crate) fn reconcile(sim: &mut Simulation) {
    let now = sim.now();
    if now < sim.controllers.metrics_server.next_scrape {
        return;
    }
    sim.controllers.metrics_server.next_scrape = now + RESOLUTION;
    if !available(&sim.state.deployments) {
        sim.state.pod_metrics.clear();
        sim.state.node_metrics.clear();
        return;
    }
    let ctx = UsageContext::new(sim);
    let mut pods = BTreeMap::new();
    let mut per_node: BTreeMap<String, Resources> = BTreeMap::new();
    for p in sim.state.pods.values() {
        if p.status.phase != PodPhase::Running || p.is_terminating() {
            continue;
        }
        let usage = ctx.usage(p);
        pods.insert(
            p.meta.key(),
            ResourceMetrics {
                timestamp: now,
                window: RESOLUTION,
                usage,
            },
        );
        if let Some(n) = &p.spec.node_name {
            let e = per_node.entry(n.clone()).or_insert(Resources::ZERO);
            *e = e.saturating_add(usage);
        }
    }
    let mut nodes = BTreeMap::new();
    for n in sim.state.nodes.values().filter(|n| n.is_ready()) {
        let pods_usage = per_node.get(n.name()).copied().unwrap_or(Resources::ZERO);
        let reserved = n.status.capacity.saturating_sub(n.status.allocatable);
        let system = Resources::new(
            reserved.cpu.0 * SYSTEM_SHARE_OF_RESERVED / 100,
            reserved.memory.0 * SYSTEM_SHARE_OF_RESERVED / 100,
        );
        let usage = if n.data_plane.is_fargate() {
            pods_usage
        } else {
            pods_usage.saturating_add(system)
        };
        nodes.insert(
            n.name().to_string(),
            ResourceMetrics {
                timestamp: now,
                window: RESOLUTION,
                usage,
            },
        );
    }
    sim.state.pod_metrics = pods;
    sim.state.node_metrics = nodes;
    sim.controllers.metrics_server.last_scrape = Some(now);
}

/// `ekslab traffic deployment/web --rps=N`: puts a load model on a Deployment from now on.
pub(crate) fn set_traffic(sim: &mut Simulation, spec: TrafficSpec) -> Result<String, String> {
    let key = spec.target.clone();
    if !sim.state.deployments.contains_key(&key) {
        return Err(format!(
            "Error from server (NotFound): deployments.apps \"{}\" not found",
            key.name
        ));
    }
    let what = spec.pattern.describe();
    sim.state.traffic.insert(
        key.clone(),
        ActiveTraffic {
            spec,
            since: sim.now(),
        },
    );
    sim.state.touch();
    Ok(format!(
        "traffic on deployment.apps/{} set: {what}",
        key.name
    ))
}

/// Removes the load model from a Deployment.
pub(crate) fn clear_traffic(sim: &mut Simulation, key: &ObjectKey) -> Result<String, String> {
    if sim.state.traffic.remove(key).is_none() {
        return Err(format!("deployment.apps/{} has no traffic model", key.name));
    }
    sim.state.touch();
    Ok(format!("traffic on deployment.apps/{} removed", key.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::spec::LabSpec;

    #[test]
    fn metrics_follow_traffic_once_the_add_on_runs() {
        let text = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nmanagedNodeGroups: [{name: ng}]\naddons: [{name: metrics-server}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 500m, memory: 256Mi}}}]}\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  skipClusterCreation: true\n  traffic: [{deployment: web, rps: 100}]\n";
        let spec = crate::scenario::load(text).unwrap().spec;
        let mut sim = Simulation::new(spec).unwrap();
        sim.run_for(SimDuration::from_mins(5));
        assert!(available(&sim.state.deployments));
        let web: Vec<_> = sim
            .state()
            .pods
            .values()
            .filter(|p| p.meta.labels.get("app").map(String::as_str) == Some("web"))
            .collect();
        assert_eq!(web.len(), 2);
        for p in web {
            // 100 req/s × 10 ms over 2 ready pods = 500m, plus 10m idle.
            let m = sim.state().pod_metrics[&p.meta.key()];
            assert_eq!(m.usage.cpu.0, 510, "{}", p.meta.name);
            assert_eq!(m.window, RESOLUTION);
        }
        assert!(!sim.state().node_metrics.is_empty());
    }

    #[test]
    fn no_metrics_without_the_add_on() {
        let mut spec = LabSpec::default();
        spec.settings.skip_cluster_creation = true;
        spec.nodegroups
            .push(crate::sim::spec::NodegroupSpec::managed("ng"));
        let mut sim = Simulation::new(spec).unwrap();
        sim.run_for(SimDuration::from_mins(5));
        assert!(!available(&sim.state.deployments));
        assert!(sim.state().pod_metrics.is_empty());
    }
}
