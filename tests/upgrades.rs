//! Upgrades: control plane, managed node groups, self-managed blue/green, add-ons, Fargate.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use eks_lab::scenario::{CommandContext, format_command};
use eks_lab::sim::Simulation;
use eks_lab::sim::api::{IntOrPercent, PodPhase};
use eks_lab::sim::catalog::KubernetesVersion;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::command::Command;
use eks_lab::sim::controllers::control_plane_update;
use eks_lab::sim::eks::{ClusterStatus, ErrorCode, Fault, Update, UpdateStatus, UpdateTarget};
use eks_lab::sim::spec::{Manifest, NodegroupSpec, SubnetSpec};
use support::{deployment, pdb, quick_spec};

fn v(minor: u32) -> KubernetesVersion {
    KubernetesVersion::new(minor)
}

/// Submits a command with the command line the console would show for it, runs one step and
/// returns its outcome.
fn submit(sim: &mut Simulation, c: Command) -> Result<String, String> {
    let text = format_command(&c, &CommandContext::new("lab")).unwrap_or_default();
    sim.submit(c, text);
    sim.step();
    sim.outcomes().last().unwrap().result.clone()
}

fn managed_lab(nodes: u64) -> Simulation {
    let mut spec = quick_spec();
    let mut ng = NodegroupSpec::managed("ng-1");
    ng.min_size = nodes;
    ng.desired_capacity = nodes;
    ng.max_size = nodes;
    spec.nodegroups.push(ng);
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", 4, 250, 256,
    )));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    sim
}

#[test]
fn control_plane_upgrade_takes_minutes_and_changes_the_version() {
    let mut sim = managed_lab(3);
    let out = submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    );
    assert!(out.is_ok(), "{out:?}");
    sim.run_for(SimDuration::from_mins(20));
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful, "{u:?}");
    assert_eq!(sim.state().cluster.version, v(35));
    let took = u.ended_at.unwrap().saturating_sub(u.created_at).as_secs();
    assert!((480..=900).contains(&took), "{took}");
    let names: Vec<&str> = u.phases.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        [
            "LaunchNewApiServers",
            "HealthChecks",
            "ReplaceOldApiServers"
        ]
    );
}

#[test]
fn two_minors_at_once_is_refused() {
    let mut sim = managed_lab(2);
    let out = submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(36)),
            approve: true,
        },
    );
    let e = out.unwrap_err();
    assert!(
        e.contains("upgrading more than one version at a time is not supported"),
        "{e}"
    );
    assert_eq!(sim.state().cluster.version, v(34));
}

#[test]
fn managed_nodegroup_surges_and_returns() {
    let mut sim = managed_lab(3);
    submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(20));
    let out = submit(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    );
    assert!(out.is_ok(), "{out:?}");
    let mut max_desired = 0;
    let mut max_max = 0;
    for _ in 0..(90 * 60) {
        sim.step();
        let s = sim.state().nodegroups["ng-1"].scaling;
        max_desired = max_desired.max(s.desired_size);
        max_max = max_max.max(s.max_size);
        let u = sim.state().updates.last().unwrap();
        if !u.is_in_progress() {
            break;
        }
    }
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful, "{u:#?}");
    assert_eq!(u.target, UpdateTarget::Nodegroup("ng-1".into()));
    // 3 AZs, maxUnavailable 1: surge max(2 × 3, 1) = 6 (eks-facts §4).
    assert_eq!(max_desired, 9);
    assert_eq!(max_max, 9);
    let s = sim.state().nodegroups["ng-1"].scaling;
    assert_eq!((s.min_size, s.desired_size, s.max_size), (3, 3, 3));
    let names: Vec<&str> = u.phases.iter().map(|p| p.name).collect();
    assert_eq!(names, ["Setup", "ScaleUp", "Upgrade", "ScaleDown"]);
    sim.run_for(SimDuration::from_mins(10));
    for n in sim.state().nodes.values() {
        assert_eq!(n.status.kubelet_version, "v1.35.0-eks", "{}", n.name());
    }
    assert_eq!(sim.state().nodes.len(), 3);
}

#[test]
fn pdb_blocking_makes_rolling_update_fail_and_force_proceeds() {
    let mut spec = quick_spec();
    let mut ng = NodegroupSpec::managed("ng-1");
    ng.min_size = 2;
    ng.desired_capacity = 2;
    ng.max_size = 2;
    spec.nodegroups.push(ng);
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "db", 2, 250, 256,
    )));
    spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
        "default",
        "db",
        None,
        Some(IntOrPercent::Int(0)),
    )));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(20));
    submit(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(60));
    let u = sim.state().updates.last().unwrap().clone();
    assert_eq!(u.status, UpdateStatus::Failed, "{u:#?}");
    assert_eq!(u.errors[0].code, ErrorCode::PodEvictionFailure);
    // The drain gives up 15 minutes after it started (eks-facts §4).
    let at = |reason: &str, text: &str| {
        sim.events()
            .all()
            .iter()
            .find(|e| e.reason == reason && e.message.contains(text))
            .map(|e| e.time.as_secs())
            .unwrap()
    };
    let drained = at("NodegroupUpdating", "draining");
    let failed = at("NodegroupUpdateFailed", "PodEvictionFailure");
    assert_eq!(failed - drained, 15 * 60);
    submit(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(60));
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful, "{u:#?}");
}

// ---- control plane: faults and rollback, version skew ----

/// Running pods: `namespace/name` → uid.
fn running_pods(sim: &Simulation) -> BTreeMap<String, u64> {
    sim.state()
        .pods
        .values()
        .filter(|p| p.status.phase == PodPhase::Running && !p.is_terminating())
        .map(|p| (format!("{}/{}", p.meta.namespace, p.meta.name), p.meta.uid))
        .collect()
}

/// Upgrades the control plane to 1.35 and runs until the update ends; checks that the cluster
/// stayed on 1.34, ACTIVE, with every pod that was Running untouched. Returns the update.
fn upgrade_rolls_back(mut sim: Simulation) -> (Simulation, Update) {
    let before = running_pods(&sim);
    assert_eq!(before.keys().filter(|k| k.starts_with("default/")).count(), 4);
    let out = submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    );
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(sim.state().cluster.status, ClusterStatus::Updating);
    for _ in 0..30 * 60 {
        sim.step();
        // Workloads keep running the whole time: the old API servers never stop serving.
        assert_eq!(running_pods(&sim), before, "at {:?}", sim.now());
        if !sim.state().updates.last().unwrap().is_in_progress() {
            break;
        }
    }
    let u = sim.state().updates.last().unwrap().clone();
    assert_eq!(u.status, UpdateStatus::Failed, "{u:#?}");
    assert_eq!(sim.state().cluster.version, v(34));
    assert_eq!(sim.state().cluster.status, ClusterStatus::Active);
    assert!(
        sim.state()
            .cluster
            .control_plane
            .iter()
            .all(|i| i.version == v(34)),
        "the new API server instances are gone"
    );
    let names: Vec<&str> = u.phases.iter().map(|p| p.name).collect();
    assert_eq!(names, ["LaunchNewApiServers", "HealthChecks", "RollBack"]);
    assert!(u.phases.iter().all(|p| p.ended.is_some()));
    // Launch 4–6 min, health checks 1–2 min, roll-back 2–3 min (control_plane_update.rs).
    let took = u.ended_at.unwrap().saturating_sub(u.created_at).as_secs();
    assert!((420..=660).contains(&took), "{took}");
    assert_eq!(running_pods(&sim), before);
    (sim, u)
}

#[test]
fn a_deleted_security_group_rolls_the_upgrade_back() {
    let mut sim = managed_lab(3);
    let out = submit(
        &mut sim,
        Command::InjectFault(Fault::SecurityGroupDeleted),
    );
    let sg = control_plane_update::security_group_id("lab");
    assert_eq!(
        out,
        Ok(format!("fault injected: deleted the cluster security group {sg}"))
    );
    let (mut sim, u) = upgrade_rolls_back(sim);
    assert_eq!(u.errors.len(), 1);
    assert_eq!(u.errors[0].code, ErrorCode::SecurityGroupNotFound);
    assert_eq!(
        u.errors[0].message,
        format!("The security group {sg} associated with the cluster no longer exists")
    );
    assert_eq!(u.errors[0].resource_ids, [sg]);
    // With the fault cleared the same upgrade goes through.
    submit(&mut sim, Command::ClearFaults).unwrap();
    submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(20));
    assert_eq!(
        sim.state().updates.last().unwrap().status,
        UpdateStatus::Successful
    );
    assert_eq!(sim.state().cluster.version, v(35));
}

#[test]
fn a_subnet_with_fewer_than_five_free_ips_rolls_the_upgrade_back() {
    // A /28 in us-east-1a: 16 addresses, 5 reserved by AWS, 11 usable; the node there leaves
    // fewer than the five an update needs (eks-facts §5).
    let mut spec = quick_spec();
    spec.cluster.subnets.push(SubnetSpec {
        zone: "us-east-1a".into(),
        cidr: "192.168.0.0/28".into(),
    });
    let mut ng = NodegroupSpec::managed("ng-1");
    ng.min_size = 3;
    ng.desired_capacity = 3;
    ng.max_size = 3;
    spec.nodegroups.push(ng);
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", 4, 250, 256,
    )));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    let tiny = sim.state().subnets[0].clone();
    assert_eq!((tiny.zone.as_str(), tiny.capacity()), ("us-east-1a", 11));
    // The m5.large there holds 10 of them on its first ENI (primary + 9 secondaries, eks-facts
    // §3); the warm ENI does not fit.
    assert_eq!(tiny.free(), 1);
    let (_, u) = upgrade_rolls_back(sim);
    assert_eq!(u.errors.len(), 1);
    assert_eq!(u.errors[0].code, ErrorCode::InsufficientFreeAddresses);
    assert_eq!(u.errors[0].resource_ids, [tiny.id.clone()]);
    assert!(
        u.errors[0].message.contains(&format!(
            "subnet {} (us-east-1a) has {} free; EKS needs up to 5",
            tiny.id,
            tiny.free()
        )),
        "{}",
        u.errors[0].message
    );
}

#[test]
fn a_group_three_minors_behind_blocks_the_next_upgrade_with_the_skew_rule() {
    // Cluster 1.33, self-managed ng-old at 1.30 (3 behind: allowed). 1.34 would make it 4,
    // beyond the skew policy's 3 (eks-facts §5): refused, nothing starts.
    let mut spec = quick_spec();
    spec.cluster.version = v(33);
    let mut old = NodegroupSpec::self_managed("ng-old");
    old.version = Some(v(30));
    spec.nodegroups.push(old);
    spec.nodegroups.push(NodegroupSpec::managed("ng-new"));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    let kubelets: BTreeSet<String> = sim
        .state()
        .nodes
        .values()
        .map(|n| n.status.kubelet_version.clone())
        .collect();
    assert_eq!(
        kubelets,
        ["v1.30.0-eks", "v1.33.0-eks"]
            .map(String::from)
            .into_iter()
            .collect()
    );
    let e = submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(34)),
            approve: true,
        },
    )
    .unwrap_err();
    assert!(e.contains("version skew"), "{e}");
    assert!(
        e.contains("at most 3 minor versions older than the API server"),
        "{e}"
    );
    assert!(
        e.contains("1.34 would leave 2 nodes behind: ng-old (2 node(s) at kubelet 1.30)"),
        "{e}"
    );
    assert!(!e.contains("ng-new"), "only the group that breaks the rule: {e}");
    assert!(sim.state().updates.is_empty());
    assert_eq!(sim.state().cluster.version, v(33));
    assert_eq!(sim.state().cluster.status, ClusterStatus::Active);
}
