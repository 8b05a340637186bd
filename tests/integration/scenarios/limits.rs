//! The lab's object limits at work: a workload scaled by thousands grows in upstream's bursts
//! (500 pods a ReplicaSet sync), the API server refuses pods past `limits::MAX_PODS` with one
//! `FailedCreate` per workload, and Auto Scaling groups stop at `limits::MAX_INSTANCES` with
//! EC2's `InstanceLimitExceeded`.

use eks_lab::limits::{MAX_INSTANCES, MAX_PODS};
use eks_lab::scenario;
use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;

const CLUSTER: &str =
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n";

fn deployment(name: &str, replicas: u32) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: app, image: nginx, resources: {{requests: {{cpu: 100m}}}}}}]\n"
    )
}

fn lab(timeline: &str) -> String {
    format!(
        "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: limits}}\nspec:\n  skipClusterCreation: true\n  timeline:\n{timeline}"
    )
}

fn sim_of(text: &str) -> Simulation {
    let loaded = scenario::load(text).unwrap_or_else(|d| panic!("{d:?}"));
    Simulation::new(loaded.spec).unwrap()
}

fn count(sim: &Simulation, reason: &str) -> usize {
    sim.events()
        .all()
        .iter()
        .filter(|e| e.reason == reason)
        .count()
}

fn pods_of(sim: &Simulation, app: &str) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| p.meta.labels.get("app").is_some_and(|a| a == app))
        .count()
}

#[test]
fn workloads_grow_in_bursts_and_stop_at_the_pod_limit() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment("a", 6000),
        deployment("b", 6000),
        lab("    - at: 2m\n      run: kubectl scale deployment a --replicas=0\n")
    );
    let mut sim = sim_of(&text);
    let mut before = sim.state().pods.len();
    let mut grew = Vec::new();
    for _ in 0..60 {
        sim.step();
        let now = sim.state().pods.len();
        grew.push(now.saturating_sub(before));
        before = now;
    }
    // Two ReplicaSets, each at most 500 pods a sync (upstream BurstReplicas), plus the system
    // pods in the first step: ten steps to reach the limit.
    assert!(grew.iter().all(|g| *g <= 1002), "{grew:?}");
    assert_eq!(grew.iter().take_while(|g| **g > 0).count(), 10, "{grew:?}");
    assert_eq!(sim.state().pods.len(), MAX_PODS as usize);
    let failed: Vec<String> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "FailedCreate")
        .map(|e| format!("{} {}", e.object, e.message))
        .collect();
    assert_eq!(
        failed.len(),
        2,
        "one FailedCreate per ReplicaSet: {failed:?}"
    );
    for f in &failed {
        let (_, msg) = f.split_once(' ').unwrap();
        let name = msg
            .strip_prefix("Error creating: pods \"")
            .and_then(|r| r.split_once('"'))
            .map_or_else(|| panic!("{msg}"), |(n, _)| n);
        assert_eq!(
            msg,
            format!(
                "Error creating: pods \"{name}\" is forbidden: exceeded the lab's limit of 10000 pods"
            )
        );
    }
    let user_creates = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate" && e.message.starts_with("Created pod: "))
        .filter(|e| e.object.namespace == "default")
        .count();
    let system = sim
        .state()
        .pods
        .values()
        .filter(|p| p.meta.namespace == "kube-system")
        .count();
    assert_eq!(user_creates + system, MAX_PODS as usize);
    // Scaled to zero at 2m, a's pods go (500 a sync) and b fills the room they leave.
    sim.run_for(SimDuration::from_mins(3));
    assert_eq!(pods_of(&sim, "a"), 0);
    assert_eq!(pods_of(&sim, "b"), 6000);
    assert_eq!(count(&sim, "FailedCreate"), 2, "no repeats while refused");
}

#[test]
fn auto_scaling_groups_stop_at_the_instance_limit() {
    let group = |name: &str| {
        format!(
            "  - {{name: {name}, instanceType: t3.small, desiredCapacity: 400, minSize: 0, maxSize: 400}}\n"
        )
    };
    let groups = format!("nodeGroups:\n{}{}{}", group("a"), group("b"), group("c"));
    let text = format!(
        "{CLUSTER}vpc: {{cidr: 10.0.0.0/16}}\n{groups}{}",
        lab("    - at: 1h\n      run: eksctl scale nodegroup --cluster=lab --name=a --nodes=100\n")
    );
    let mut sim = sim_of(&text);
    sim.run_for(SimDuration::from_mins(5));
    let live = |sim: &Simulation| {
        sim.state()
            .instances
            .values()
            .filter(|i| i.is_live())
            .count()
    };
    assert_eq!(live(&sim), MAX_INSTANCES as usize);
    let refused: Vec<_> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "InstanceLimitExceeded")
        .collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!(refused[0].object.to_string(), "nodegroup/c");
    assert_eq!(
        refused[0].message,
        "Launching a new EC2 instance failed. Status Reason: You have requested more instances (1001) than your current instance limit of 1000 allows for the specified instance type. (The lab runs at most 1000 EC2 instances.)"
    );
    // Room made in one group lets the other finish.
    sim.run_for(SimDuration::from_mins(60));
    let in_group = |g: &str| {
        sim.state()
            .instances
            .values()
            .filter(|i| i.is_live() && i.nodegroup == g)
            .count()
    };
    assert_eq!(
        (in_group("a"), in_group("b"), in_group("c")),
        (100, 400, 400)
    );
}

#[test]
fn a_timeline_holds_at_most_the_lab_s_limit_of_entries() {
    use eks_lab::limits::MAX_TIMELINE_ENTRIES;
    let with = |n: usize| {
        let entries = "    - {at: 1m, run: kubectl scale deployment a --replicas=1}\n".repeat(n);
        format!("{CLUSTER}{}{}", deployment("a", 1), lab(&entries))
    };
    let at_limit = scenario::load(&with(MAX_TIMELINE_ENTRIES)).unwrap();
    assert_eq!(at_limit.spec.timeline.len(), MAX_TIMELINE_ENTRIES);
    let text = with(MAX_TIMELINE_ENTRIES + 1);
    let first_entry = text
        .lines()
        .position(|l| l.starts_with("    - {at"))
        .unwrap()
        + 1;
    let errs = scenario::load(&text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert_eq!(
        (e.document, e.line, e.path.as_str()),
        (
            3,
            first_entry + MAX_TIMELINE_ENTRIES,
            "spec.timeline[10000]"
        )
    );
    assert_eq!(
        e.message,
        "the timeline has 10001 entries; the lab keeps at most 10000"
    );
}
