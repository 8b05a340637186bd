//! Spot interruptions end to end: Capacity Rebalancing on managed node groups (replacement
//! first, then the drain), the two-minute notice without a lead, self-managed groups with and
//! without the Node Termination Handler, determinism, and On-Demand instances left alone.

use eks_lab::scenario;
use eks_lab::sim::Simulation;
use eks_lab::sim::api::PodPhase;
use eks_lab::sim::clock::{SimDuration, SimTime};
use eks_lab::sim::eks::InstanceLifecycle;
use eks_lab::sim::event::Event;

const MANAGED: &str = "managedNodeGroups:\n  - {name: ng-spot, instanceTypes: [m5.large], spot: true, minSize: 2, desiredCapacity: 2, maxSize: 4}\n";
const SELF_MANAGED: &str = "nodeGroups:\n  - name: ng-spot\n    minSize: 2\n    desiredCapacity: 2\n    maxSize: 4\n    instancesDistribution: {instanceTypes: [m5.large], onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0}\n";

/// Two nodes, four 700m web pods: two per node, so pods that leave a node need a new one.
fn lab(groups: &str, spot: &str, seed: u64) -> Simulation {
    let text = format!(
        r#"apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {{name: lab, region: us-east-1, version: "1.34"}}
{groups}---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: 4
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: nginx
          resources: {{requests: {{cpu: 700m, memory: 256Mi}}}}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata: {{name: t}}
spec:
  seed: {seed}
  skipClusterCreation: true
  spot: {spot}
"#
    );
    let loaded = scenario::load(&text).unwrap_or_else(|d| panic!("{d:?}"));
    Simulation::new(loaded.spec).unwrap()
}

fn events<'a>(sim: &'a Simulation, reason: &str) -> Vec<&'a Event> {
    sim.events()
        .all()
        .iter()
        .filter(|e| e.reason == reason)
        .collect()
}

/// The first interruption: (time of the rebalance recommendation, instance, node).
fn first_interruption(sim: &mut Simulation) -> (SimTime, String, String) {
    loop {
        sim.step();
        if let Some(e) = events(sim, "RebalanceRecommendation").first() {
            let id = e
                .message
                .trim_start_matches("EC2 instance rebalance recommendation for ")
                .split(':')
                .next()
                .unwrap()
                .to_string();
            let node = sim.state().instances[&id].node_name.clone();
            assert_eq!(e.object.name, node);
            assert_eq!(e.source, "ec2");
            return (e.time, id, node);
        }
        assert!(sim.now() < SimTime::from_mins(120), "no interruption");
    }
}

/// Web pods Running and Ready on nodes other than `node`.
fn web_running_elsewhere(sim: &Simulation, node: &str) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| {
            p.meta.name.starts_with("web-")
                && p.status.phase == PodPhase::Running
                && p.is_ready()
                && !p.is_terminating()
                && p.spec.node_name.as_deref() != Some(node)
        })
        .count()
}

fn web_on(sim: &Simulation, node: &str) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| p.meta.name.starts_with("web-") && p.spec.node_name.as_deref() == Some(node))
        .count()
}

fn secs(s: u64) -> SimDuration {
    SimDuration::from_secs(s)
}

#[test]
fn managed_groups_replace_and_drain_before_the_reclaim() {
    let mut sim = lab(
        MANAGED,
        "{interruptionsPer1000Hours: 2000, rebalanceLead: {base: 5m, jitter: 0s}}",
        1,
    );
    let (t0, id, node) = first_interruption(&mut sim);
    assert_eq!(web_on(&sim, &node), 2);
    // The ASG launches the replacement right away (Capacity Rebalancing).
    sim.run_for(secs(2));
    let launch = events(&sim, "Launching")
        .into_iter()
        .find(|e| e.time >= t0)
        .expect("a replacement");
    assert!(launch.time.saturating_sub(t0) <= secs(1));
    // Just before the reclaim (5 min lead + 2 min notice), the pods already run elsewhere and
    // the old instance is gone.
    sim.step_until(t0 + secs(7 * 60 - 1));
    assert_eq!(web_running_elsewhere(&sim, &node), 4);
    assert!(!sim.state().instances[&id].is_live());
    let cordon = events(&sim, "NodeNotSchedulable")
        .into_iter()
        .find(|e| e.object.name == node)
        .expect("the old node is cordoned");
    let replacement_ready = events(&sim, "NodeReady")
        .into_iter()
        .find(|e| e.time > t0)
        .expect("the replacement is Ready");
    assert_eq!(
        cordon.time, replacement_ready.time,
        "EKS drains once the replacement is Ready"
    );
    let term = events(&sim, "Terminating")
        .into_iter()
        .find(|e| e.message.contains(&id))
        .unwrap();
    assert!(
        term.message
            .ends_with("in response to an EC2 instance rebalance recommendation")
    );
    // The notice and the reclaim never come: the instance went first.
    assert!(
        events(&sim, "SpotInterruptionNotice")
            .iter()
            .all(|e| !e.message.contains(&id))
    );
    assert_eq!(sim.state().nodegroups["ng-spot"].scaling.desired_size, 2);
}

#[test]
fn without_a_lead_pods_leave_at_the_notice_and_return_on_the_replacement() {
    let mut sim = lab(
        MANAGED,
        "{interruptionsPer1000Hours: 2000, rebalanceLead: {base: 0s, jitter: 0s}}",
        1,
    );
    let (t0, id, node) = first_interruption(&mut sim);
    let notice = events(&sim, "SpotInterruptionNotice");
    assert_eq!(notice.len(), 1);
    assert_eq!(
        notice[0].time, t0,
        "the recommendation comes with the notice"
    );
    let reclaim = t0 + SimDuration::from_mins(2);
    let s = reclaim.as_secs();
    assert_eq!(
        notice[0].message,
        format!(
            "Spot instance {id} will be interrupted at 2026-11-01T{:02}:{:02}:{:02}Z (2-minute notice)",
            s / 3600,
            s / 60 % 60,
            s % 60
        )
    );
    // Drained at once: the web pods leave the node and wait for room.
    sim.run_for(secs(10));
    assert_eq!(web_on(&sim, &node), 0);
    assert!(web_running_elsewhere(&sim, &node) < 4);
    // Once the replacement is Ready they run again.
    sim.step_until(t0 + SimDuration::from_mins(4));
    assert_eq!(web_running_elsewhere(&sim, &node), 4);
    assert!(!sim.state().instances[&id].is_live());
}

#[test]
fn self_managed_without_nth_loses_the_pods_at_reclaim() {
    let mut sim = lab(
        SELF_MANAGED,
        "{interruptionsPer1000Hours: 2000, rebalanceLead: {base: 1m, jitter: 0s}}",
        1,
    );
    let (t0, id, node) = first_interruption(&mut sim);
    let reclaim = t0 + SimDuration::from_mins(3);
    // Nobody drains: the pods stay on the node until EC2 takes it.
    sim.step_until(t0 + secs(3 * 60 - 1));
    assert_eq!(web_on(&sim, &node), 2);
    assert!(events(&sim, "NodeNotSchedulable").is_empty());
    assert_eq!(events(&sim, "SpotInterruptionNotice").len(), 1);
    sim.step();
    let gone = events(&sim, "SpotInterrupted");
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].time, reclaim);
    assert!(gone[0].message.contains(&id));
    // They come back on the replacement the ASG launches once the instance is gone.
    sim.run_for(SimDuration::from_mins(4));
    assert!(!sim.state().nodes.contains_key(&node));
    assert_eq!(web_running_elsewhere(&sim, &node), 4);
    let launches: Vec<SimTime> = events(&sim, "Launching")
        .into_iter()
        .map(|e| e.time)
        .filter(|t| *t >= t0)
        .collect();
    assert_eq!(launches.len(), 1);
    assert!(launches[0] >= reclaim);
}

#[test]
fn the_node_termination_handler_drains_at_the_notice() {
    let mut sim = lab(
        SELF_MANAGED,
        "{interruptionsPer1000Hours: 2000, rebalanceLead: {base: 1m, jitter: 0s}, nodeTerminationHandler: true}",
        1,
    );
    let (t0, _, node) = first_interruption(&mut sim);
    let notice = t0 + SimDuration::from_mins(1);
    sim.step_until(t0 + secs(59));
    assert_eq!(
        web_on(&sim, &node),
        2,
        "nothing happens on the recommendation"
    );
    sim.run_for(secs(10));
    let cordon = events(&sim, "NodeNotSchedulable");
    assert_eq!(cordon.len(), 1);
    assert_eq!(cordon[0].time, notice);
    assert_eq!(web_on(&sim, &node), 0, "evicted at the notice");
    sim.run_for(SimDuration::from_mins(5));
    assert_eq!(web_running_elsewhere(&sim, &node), 4);
}

fn interruption_log(seed: u64) -> Vec<String> {
    let mut sim = lab(MANAGED, "{interruptionsPer1000Hours: 3000}", seed);
    sim.run_for(SimDuration::from_hours(2));
    sim.events()
        .all()
        .iter()
        .filter(|e| {
            [
                "RebalanceRecommendation",
                "SpotInterruptionNotice",
                "SpotInterrupted",
            ]
            .contains(&e.reason)
        })
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_interruptions() {
    let a = interruption_log(5);
    assert!(a.len() >= 2, "{a:?}");
    assert_eq!(a, interruption_log(5));
    assert_ne!(a, interruption_log(6));
}

#[test]
fn on_demand_instances_are_never_interrupted() {
    let groups = "managedNodeGroups:\n  - {name: ng-od, instanceType: m5.large, minSize: 2, desiredCapacity: 2, maxSize: 2}\n  - {name: ng-spot, instanceTypes: [m5.large], spot: true, minSize: 1, desiredCapacity: 1, maxSize: 2}\n";
    let mut sim = lab(groups, "{interruptionsPer1000Hours: 20000}", 2);
    sim.run_for(SimDuration::from_hours(1));
    let recs = events(&sim, "RebalanceRecommendation");
    assert!(recs.len() >= 3, "{}", recs.len());
    for e in recs {
        let id = e
            .message
            .trim_start_matches("EC2 instance rebalance recommendation for ")
            .split(':')
            .next()
            .unwrap();
        let inst = &sim.state().instances[id];
        assert_eq!(inst.lifecycle, InstanceLifecycle::Spot);
        assert_eq!(inst.nodegroup, "ng-spot");
    }
    assert!(
        sim.state()
            .instances
            .values()
            .filter(|i| i.nodegroup == "ng-od")
            .all(eks_lab::sim::eks::Instance::is_live)
    );
}

#[test]
fn the_example_lesson_rebalances_without_losing_the_service() {
    let path = format!("{}/examples/spot.yaml", env!("CARGO_MANIFEST_DIR"));
    let loaded = scenario::load(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let duration = loaded.spec.duration.unwrap();
    let mut sim = Simulation::new(loaded.spec).unwrap();
    // Whenever web pods are Running, the PDB keeps at least five of six Ready through drains.
    let mut worst = 6;
    while sim.now() < SimTime::EPOCH + duration {
        sim.run_for(secs(5));
        if sim.now() > SimTime::from_mins(25) {
            worst = worst.min(web_running_elsewhere(&sim, ""));
        }
    }
    assert_eq!(events(&sim, "RebalanceRecommendation").len(), 5);
    assert_eq!(events(&sim, "SpotInterruptionNotice").len(), 2);
    assert!(worst >= 4, "{worst}");
    assert_eq!(web_running_elsewhere(&sim, ""), 6);
    assert_eq!(sim.state().nodes.len(), 3);
}
