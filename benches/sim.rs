//! Benchmarks: 24 simulated hours of a 100-node, 3,000-pod cluster, and the scheduler alone
//! placing pods on 500, 1,000 and 5,000 nodes. Prints figures; the targets (under 1 s for the
//! day, under 10 s for 100,000 pods on 5,000 nodes, natively) are numbers to watch, not tests
//! that fail.
//! Run with `make bench` (also runs the same workload in wasm32 under headless Chromium).

use std::time::Instant;

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;

#[path = "../tests/integration/support/bench_spec.rs"]
mod bench_spec;

#[expect(
    clippy::disallowed_methods,
    reason = "a benchmark measures wall-clock time by definition"
)]
fn main() {
    let spec = bench_spec::spec();
    let t0 = Instant::now();
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(30));
    let setup = t0.elapsed();
    let pods = sim.state().pods.len();
    let nodes = sim.state().nodes.len();
    let t1 = Instant::now();
    sim.run_for(SimDuration::from_hours(24) - SimDuration::from_mins(30));
    let rest = t1.elapsed();
    let total = t0.elapsed();
    println!("bench sim/24h-100-nodes-3000-pods (native, release)");
    println!(
        "  cluster: {nodes} nodes, {pods} pods, {} events",
        sim.events().len()
    );
    println!(
        "  first 30 min (creation and scheduling): {:.3} s",
        setup.as_secs_f64()
    );
    println!("  remaining 23.5 h: {:.3} s", rest.as_secs_f64());
    println!("  total 24 h: {:.3} s (target < 1 s)", total.as_secs_f64());
    println!(
        "  cost after 24 h: ${:.2}",
        eks_lab::sim::billing::usd(sim.billing().total_micro_usd())
    );
    placement::report(500, 10_000, "");
    placement::report(1_000, 30_000, "");
    placement::report(5_000, 100_000, " (target < 10 s)");
}

/// The scheduler on its own, through its public API: nodes and pods written into a store
/// (the lab's `MAX_PODS` and `MAX_INSTANCES` hold for what a learner builds; the scheduler's
/// cost is measured past them), the queue filled in ReplicaSet bursts of 500 and one
/// `schedule_queue` cycle per burst. Binding (the store write and the `Scheduled` event) is
/// the caller's and is not timed.
mod placement {
    use std::collections::{BTreeMap, BTreeSet};
    use std::time::{Duration, Instant};

    use eks_lab::sim::Simulation;
    use eks_lab::sim::api::node::DataPlane;
    use eks_lab::sim::api::pod::DEFAULT_SCHEDULER;
    use eks_lab::sim::api::pod::PodLab;
    use eks_lab::sim::api::{
        Container, Kind, Node, NodeCondition, NodeSpec, NodeStatus, ObjectMeta, OwnerRef, Pod,
        PodSpec, PodStatus,
    };
    use eks_lab::sim::catalog::instance_type;
    use eks_lab::sim::catalog::instance_types::MaxPodsPolicy;
    use eks_lab::sim::clock::SimTime;
    use eks_lab::sim::controllers::scheduler::{self, SchedulerState};
    use eks_lab::sim::quantity::{MIB, Resources};
    use eks_lab::sim::rng::SimRng;
    use eks_lab::sim::spec::LabSpec;
    use eks_lab::sim::state::State;

    const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const BURST: usize = 500;

    fn node(i: usize) -> Node {
        let it = instance_type("m5.2xlarge").unwrap();
        let max_pods = it.max_pods(MaxPodsPolicy::EniFormula);
        let zone = ZONES[i % ZONES.len()];
        let name = format!("ip-10-{}-{}-{}.ec2.internal", i % 3, i / 250, i % 250);
        let mut meta = ObjectMeta::named("", &name);
        meta.uid = i as u64 + 1;
        let labels: BTreeMap<String, String> = [
            ("kubernetes.io/hostname", name.as_str()),
            ("topology.kubernetes.io/zone", zone),
            ("node.kubernetes.io/instance-type", it.name),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        meta.labels = labels;
        Node {
            meta,
            spec: NodeSpec::default(),
            status: NodeStatus {
                capacity: it.capacity(),
                allocatable: it.allocatable(max_pods),
                max_pods,
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
            zone: zone.to_string(),
            instance_id: format!("i-{i:017x}"),
            instance_type: it.name.to_string(),
            images: BTreeSet::default(),
        }
    }

    fn pod(i: usize, owners: usize, uid: u64) -> Pod {
        let owner = format!("svc-{:03}-7d4b9c8f5", i % owners);
        let mut meta = ObjectMeta::named("default", format!("{owner}-{i:06}"));
        meta.uid = uid;
        meta.owner = Some(OwnerRef {
            kind: Kind::ReplicaSet,
            name: owner,
        });
        Pod {
            meta,
            spec: PodSpec {
                containers: vec![Container {
                    name: "app".into(),
                    image: "example/app:1".into(),
                    requests: Resources::new(100, 128 * MIB),
                    ..Container::default()
                }],
                scheduler_name: DEFAULT_SCHEDULER.into(),
                ..PodSpec::default()
            },
            status: PodStatus::default(),
            lab: PodLab::default(),
        }
    }

    /// Places `n_pods` pods of 100 owners on `n_nodes` empty m5.2xlarge nodes in three zones;
    /// returns the pods placed and the time the cycles took.
    #[expect(
        clippy::disallowed_methods,
        reason = "a benchmark measures wall-clock time by definition"
    )]
    pub fn place(n_nodes: usize, n_pods: usize) -> (usize, Duration) {
        let mut spec = LabSpec::default();
        spec.settings.skip_cluster_creation = true;
        let mut state: State = Simulation::new(spec).unwrap().state().clone();
        state.pods.clear();
        for i in 0..n_nodes {
            let n = node(i);
            state.nodes.insert(n.meta.name.clone(), n);
        }
        let mut queue = Vec::new();
        for i in 0..n_pods {
            let p = pod(i, 100, 1_000_000 + i as u64);
            queue.push((p.meta.uid, p.meta.key()));
            state.pods.insert(p.meta.key(), p);
        }
        let mut s = SchedulerState::default();
        let mut rng = SimRng::stream(1, "scheduler");
        let mut placed = 0;
        let mut took = Duration::ZERO;
        for burst in queue.chunks(BURST) {
            s.active.extend(burst.iter().cloned());
            let t0 = Instant::now();
            let cycle = scheduler::schedule_queue(&state, &mut s, &mut rng);
            took += t0.elapsed();
            // The binding, untimed: the store says what the cache already counts.
            placed += cycle.bindings.len();
            for (key, node) in cycle.bindings {
                if let Some(p) = state.pods.get_mut(&key) {
                    p.spec.node_name = Some(node);
                }
            }
        }
        (placed, took)
    }

    /// `cargo test --all-targets` runs this in a debug build, where the scheduler checks its
    /// cache against the store every cycle: there the clusters are a hundred times smaller.
    pub fn report(n_nodes: usize, n_pods: usize, target: &str) {
        let (n_nodes, n_pods, build) = if cfg!(debug_assertions) {
            (n_nodes / 100, n_pods / 100, "debug, sizes / 100")
        } else {
            (n_nodes, n_pods, "native, release")
        };
        let (placed, took) = place(n_nodes, n_pods);
        println!("bench scheduler/place-{n_pods}-pods-on-{n_nodes}-nodes ({build})");
        println!(
            "  placed {placed} of {n_pods} in {:.3} s{target}; {:.0} placements/s",
            took.as_secs_f64(),
            placed as f64 / took.as_secs_f64()
        );
    }
}
