//! Shared test helpers: builders for specs and manifests, a random lab generator for property
//! tests, and the invariant checker.

use std::collections::{BTreeMap, BTreeSet};

use eks_lab::sim::Simulation;
use eks_lab::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, IntOrPercent,
    Kind, LabelSelector, Namespace, ObjectMeta, PodDisruptionBudget, PodDisruptionBudgetSpec,
    PodDisruptionBudgetStatus, PodSpec, PodTemplateSpec,
};
use eks_lab::sim::command::Command;
use eks_lab::sim::eks::FargateProfileSelector;
use eks_lab::sim::quantity::{MIB, Resources};
use eks_lab::sim::rng::SimRng;
use eks_lab::sim::spec::{FargateProfileSpec, LabSpec, Manifest, NodegroupSpec, TimelineEntry};

pub fn labels(app: &str) -> BTreeMap<String, String> {
    [("app".to_string(), app.to_string())].into_iter().collect()
}

pub fn deployment(ns: &str, name: &str, replicas: i32, cpu_m: u64, mem_mib: u64) -> Deployment {
    Deployment {
        meta: ObjectMeta::named(ns, name),
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(labels(name)),
            template: PodTemplateSpec {
                labels: labels(name),
                annotations: BTreeMap::new(),
                spec: PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
                        image: format!("example/{name}:1"),
                        requests: Resources::new(cpu_m, mem_mib * MIB),
                        limits: Resources::new(cpu_m, mem_mib * MIB),
                        ..Container::default()
                    }],
                    restart_policy: "Always".into(),
                    termination_grace_period_secs: 30,
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    }
}

pub fn pdb(
    ns: &str,
    app: &str,
    min_available: Option<IntOrPercent>,
    max_unavailable: Option<IntOrPercent>,
) -> PodDisruptionBudget {
    PodDisruptionBudget {
        meta: ObjectMeta::named(ns, app),
        spec: PodDisruptionBudgetSpec {
            min_available,
            max_unavailable,
            selector: LabelSelector::from_labels(labels(app)),
        },
        status: PodDisruptionBudgetStatus::default(),
    }
}

pub fn namespace(name: &str) -> Manifest {
    Manifest::Namespace(Namespace {
        meta: ObjectMeta::named("", name),
    })
}

/// A node group held at `n` nodes (min = desired = max).
pub fn fixed_size(mut ng: NodegroupSpec, n: i32) -> NodegroupSpec {
    ng.min_size = n;
    ng.desired_capacity = n;
    ng.max_size = n;
    ng
}

/// A lab that starts ACTIVE (no 10–15 minute creation wait).
pub fn quick_spec() -> LabSpec {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec
}

const TYPES: [&str; 5] = ["t3.medium", "m5.large", "m5.xlarge", "c5.large", "t3.small"];

/// A random but valid lab: 1–3 node groups of both kinds, maybe a Fargate profile, a few
/// deployments (some with PDBs) and a timeline of scale commands.
pub fn random_spec(seed: u64) -> LabSpec {
    let mut r = SimRng::stream(seed, "property-test");
    let mut spec = quick_spec();
    spec.seed = seed;
    for i in 0..r.between(1, 3) {
        let mut ng = if r.chance_per_million(500_000) {
            NodegroupSpec::managed(&format!("ng-{i}"))
        } else {
            NodegroupSpec::self_managed(&format!("ng-{i}"))
        };
        ng.instance_types = vec![TYPES[r.index(TYPES.len())].to_string()];
        // Small draws: they fit the API's int32 sizes.
        let int32 = |v: u64| i32::try_from(v).unwrap();
        let count = |v: i32| u64::try_from(v).unwrap();
        ng.min_size = int32(r.between(0, 2));
        ng.desired_capacity = int32(r.between(count(ng.min_size), count(ng.min_size) + 3));
        ng.max_size = int32(r.between(count(ng.desired_capacity), count(ng.desired_capacity) + 3));
        ng.spot = r.chance_per_million(200_000);
        spec.nodegroups.push(ng);
    }
    spec.manifests.push(namespace("batch"));
    if r.chance_per_million(500_000) {
        spec.fargate_profiles.push(FargateProfileSpec {
            name: "fp-batch".into(),
            selectors: vec![FargateProfileSelector {
                namespace: "batch".into(),
                labels: BTreeMap::new(),
            }],
            subnets: Vec::new(),
        });
    }
    let n_deploy = r.between(1, 4);
    for i in 0..n_deploy {
        let ns = if r.chance_per_million(300_000) {
            "batch"
        } else {
            "default"
        };
        let name = format!("app-{i}");
        let d = deployment(
            ns,
            &name,
            i32::try_from(r.between(1, 8)).unwrap(),
            r.between(50, 1500),
            r.between(64, 2048),
        );
        spec.manifests.push(Manifest::Deployment(d));
        if r.chance_per_million(400_000) {
            spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
                ns,
                &name,
                None,
                Some(IntOrPercent::Int(1)),
            )));
        }
        for _ in 0..r.between(0, 3) {
            let at = eks_lab::sim::clock::SimDuration::from_secs(r.between(60, 1800));
            let replicas = i32::try_from(r.between(0, 12)).unwrap();
            spec.timeline.push(TimelineEntry {
                at,
                command: Command::ScaleDeployment {
                    key: eks_lab::sim::api::ObjectKey::new(ns, name.clone()),
                    replicas,
                },
                text: format!("kubectl scale deployment {name} -n {ns} --replicas={replicas}"),
            });
        }
    }
    for ng in spec.nodegroups.clone() {
        if r.chance_per_million(500_000) {
            let at = eks_lab::sim::clock::SimDuration::from_secs(r.between(60, 1800));
            // Sometimes out of bounds on purpose: the command must fail cleanly.
            let desired =
                i32::try_from(r.between(0, u64::try_from(ng.max_size).unwrap() + 2)).unwrap();
            spec.timeline.push(TimelineEntry {
                at,
                command: Command::ScaleNodegroup {
                    name: ng.name.clone(),
                    desired: Some(desired),
                    min: None,
                    max: None,
                },
                text: format!(
                    "eksctl scale nodegroup --cluster=lab --name={} --nodes={desired}",
                    ng.name
                ),
            });
        }
    }
    spec
}

/// Checks the model's invariants; returns what is broken.
pub fn check_invariants(
    sim: &Simulation,
    prev_cost: &mut [u64; 5],
    prev_event: &mut (u64, usize),
) -> Result<(), String> {
    let st = sim.state();
    // Requests on a node never exceed allocatable; pods never exceed max pods.
    for n in st.nodes.values() {
        let mut req = Resources::ZERO;
        let mut count = 0;
        for p in st.pods_on_node(n.name()) {
            req = req.saturating_add(p.requests());
            count += 1;
        }
        if !req.fits_in(n.status.allocatable) {
            return Err(format!(
                "node {} overcommitted: requests {:?} > allocatable {:?}",
                n.name(),
                req,
                n.status.allocatable
            ));
        }
        if count > n.status.max_pods {
            return Err(format!(
                "node {} has {count} pods > max pods {}",
                n.name(),
                n.status.max_pods
            ));
        }
    }
    // Every bound pod's node exists; pod IPs are unique; owned pods have owners (or are leaving).
    let mut ips = BTreeSet::new();
    for p in st.pods.values() {
        if let Some(n) = &p.spec.node_name
            && !st.nodes.contains_key(n)
        {
            return Err(format!("pod {} bound to missing node {n}", p.meta.key()));
        }
        if let Some(ip) = &p.status.pod_ip
            && !p.spec.host_network
            && !p.status.phase.is_terminal()
            && !ips.insert(ip.clone())
        {
            return Err(format!("IP {ip} used twice (pod {})", p.meta.key()));
        }
        if let Some(o) = &p.meta.owner {
            let k = eks_lab::sim::api::ObjectKey::new(p.meta.namespace.clone(), o.name.clone());
            let exists = match o.kind {
                Kind::ReplicaSet => st.replicasets.contains_key(&k),
                Kind::DaemonSet => st.daemonsets.contains_key(&k),
                Kind::Job => st.jobs.contains_key(&k),
                _ => true,
            };
            if !exists && !p.is_terminating() {
                return Err(format!(
                    "pod {} lost its owner {}/{}",
                    p.meta.key(),
                    o.kind.as_str(),
                    o.name
                ));
            }
        }
    }
    // Each ReplicaSet never has more live pods than it asked for.
    for rs in st.replicasets.values() {
        let live = st
            .pods
            .values()
            .filter(|p| {
                p.meta.namespace == rs.meta.namespace
                    && p.meta
                        .owner
                        .as_ref()
                        .is_some_and(|o| o.kind == Kind::ReplicaSet && o.name == rs.meta.name)
                    && !p.is_terminating()
                    && !p.status.phase.is_terminal()
            })
            .count();
        if live > usize::try_from(rs.replicas).unwrap_or(0) {
            return Err(format!(
                "replicaset {} has {live} live pods for {} replicas",
                rs.meta.key(),
                rs.replicas
            ));
        }
    }
    // min ≤ desired ≤ max.
    for g in st.nodegroups.values() {
        if !g.scaling.is_valid() {
            return Err(format!(
                "nodegroup {} scaling {:?} breaks min <= desired <= max",
                g.name, g.scaling
            ));
        }
    }
    // Subnets never hand out more than they hold.
    for s in &st.subnets {
        if s.used.len() as u32 > s.capacity() {
            return Err(format!("subnet {} over capacity", s.cidr));
        }
    }
    // Cost never decreases, in total or by component.
    let b = sim.billing();
    let now_cost = [
        b.total_micro_usd(),
        b.micro_usd(eks_lab::sim::billing::CostComponent::ControlPlane),
        b.micro_usd(eks_lab::sim::billing::CostComponent::Ec2),
        b.micro_usd(eks_lab::sim::billing::CostComponent::Fargate),
        b.micro_usd(eks_lab::sim::billing::CostComponent::Ebs),
    ];
    for i in 0..5 {
        if now_cost[i] < prev_cost[i] {
            return Err(format!(
                "cost went down: component {i} {} -> {}",
                prev_cost[i], now_cost[i]
            ));
        }
    }
    *prev_cost = now_cost;
    // Event times never decrease.
    let events = sim.events().all();
    for e in &events[prev_event.1..] {
        if e.time.as_millis() < prev_event.0 {
            return Err(format!("event time went back: {e}"));
        }
        prev_event.0 = e.time.as_millis();
    }
    prev_event.1 = events.len();
    Ok(())
}
