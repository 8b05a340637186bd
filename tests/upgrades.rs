//! Upgrades: control plane, managed node groups, self-managed blue/green, add-ons, Fargate.

mod support;

use eks_lab::sim::Simulation;
use eks_lab::sim::api::IntOrPercent;
use eks_lab::sim::catalog::KubernetesVersion;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::command::Command;
use eks_lab::sim::eks::{ErrorCode, UpdateStatus, UpdateTarget};
use eks_lab::sim::spec::{Manifest, NodegroupSpec};
use support::{deployment, pdb, quick_spec};

fn v(minor: u32) -> KubernetesVersion {
    KubernetesVersion::new(minor)
}

fn submit(sim: &mut Simulation, c: Command) -> Result<String, String> {
    sim.submit(c, "");
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
