//! Upgrades: control plane, managed node groups, self-managed blue/green, add-ons, Fargate.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use eks_lab::cli::{CommandContext, format_command};
use eks_lab::report::{DataPlaneUpgrade, UpgradeWatch, updates, upgrades};
use eks_lab::sim::Simulation;
use eks_lab::sim::api::{IntOrPercent, ObjectKey, Pod, PodPhase};
use eks_lab::sim::billing::CostComponent;
use eks_lab::sim::catalog::{AddonName, KubernetesVersion};
use eks_lab::sim::clock::{Date, SimDuration, SimTime};
use eks_lab::sim::command::{Command, DrainOptions};
use eks_lab::sim::eks::{
    AddonStatus, ClusterStatus, ErrorCode, FargateProfileSelector, Fault, InstanceState,
    NodegroupUpdateConfig, SupportType, Update, UpdateStatus, UpdateStrategy, UpdateTarget,
};
use eks_lab::sim::spec::{
    AddonManagement, FargateProfileSpec, Manifest, NodegroupSpec, SubnetSpec,
};
use support::{deployment, fixed_size, pdb, quick_spec};

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

/// `eksctl upgrade nodegroup --name=NAME [--force-upgrade]` to the control plane's version.
fn upgrade_nodegroup(sim: &mut Simulation, name: &str, force: bool) -> Result<String, String> {
    submit(
        sim,
        Command::UpgradeNodegroup {
            name: name.into(),
            version: None,
            force,
        },
    )
}

/// `eksctl upgrade cluster --version=1.<minor> --approve`, then 20 minutes: long enough for
/// the 8–13 minute update to finish.
fn upgrade_control_plane(sim: &mut Simulation, minor: u32) {
    submit(
        sim,
        Command::UpgradeCluster {
            version: Some(v(minor)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(20));
    assert_eq!(sim.state().cluster.version, v(minor));
}

fn managed_lab(nodes: i32) -> Simulation {
    let mut spec = quick_spec();
    let ng = fixed_size(NodegroupSpec::managed("ng-1"), nodes);
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
    upgrade_control_plane(&mut sim, 35);
    let out = upgrade_nodegroup(&mut sim, "ng-1", false);
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
    let ng = fixed_size(NodegroupSpec::managed("ng-1"), 2);
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
    upgrade_control_plane(&mut sim, 35);
    upgrade_nodegroup(&mut sim, "ng-1", false).unwrap();
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
    // The failed update left its surge (desired and max 2 + 6)...
    let s = sim.state().nodegroups["ng-1"].scaling;
    assert_eq!((s.desired_size, s.max_size), (8, 8));
    upgrade_nodegroup(&mut sim, "ng-1", true).unwrap();
    sim.run_for(SimDuration::from_mins(90));
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful, "{u:#?}");
    // ...and the forced retry returns to the sizes from before the first attempt.
    let s = sim.state().nodegroups["ng-1"].scaling;
    assert_eq!((s.min_size, s.desired_size, s.max_size), (2, 2, 2));
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
    assert_eq!(
        before.keys().filter(|k| k.starts_with("default/")).count(),
        4
    );
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
    let out = submit(&mut sim, Command::InjectFault(Fault::SecurityGroupDeleted));
    let sg = eks_lab::sim::eks::vpc::security_group_id("lab");
    assert_eq!(
        out,
        Ok(format!(
            "fault injected: deleted the cluster security group {sg}"
        ))
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
    upgrade_control_plane(&mut sim, 35);
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
        id: None,
    });
    let ng = fixed_size(NodegroupSpec::managed("ng-1"), 3);
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
    assert_eq!(u.errors[0].resource_ids, std::slice::from_ref(&tiny.id));
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
    assert!(
        !e.contains("ng-new"),
        "only the group that breaks the rule: {e}"
    );
    assert!(sim.state().updates.is_empty());
    assert_eq!(sim.state().cluster.version, v(33));
    assert_eq!(sim.state().cluster.status, ClusterStatus::Active);
}

// ---- managed node groups: MINIMAL, maxUnavailablePercentage, the report's extra cost ----

/// Runs `sim` one step at a time through `watch` until `done` or `limit` steps, calling
/// `check` after every step.
fn run_until(
    sim: &mut Simulation,
    watch: &mut UpgradeWatch,
    limit: u64,
    mut check: impl FnMut(&Simulation),
    done: impl Fn(&Simulation) -> bool,
) {
    for _ in 0..limit {
        sim.step();
        watch.observe(sim);
        check(sim);
        if done(sim) {
            return;
        }
    }
    panic!("not done after {limit} steps at {:?}", sim.now());
}

fn last_update_done(sim: &Simulation) -> bool {
    !sim.state().updates.last().unwrap().is_in_progress()
}

/// The cluster at 1.35 with `ng-1` of `nodes` managed m5.large nodes still at 1.34.
fn upgraded_control_plane(nodes: i32) -> (Simulation, UpgradeWatch) {
    let mut sim = managed_lab(nodes);
    let mut watch = UpgradeWatch::default();
    watch.observe(&sim);
    submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    run_until(&mut sim, &mut watch, 20 * 60, |_| {}, last_update_done);
    assert_eq!(sim.state().cluster.version, v(35));
    (sim, watch)
}

/// The EC2 rate (nano-dollars per hour) of a group's running instances now.
fn group_rate(sim: &Simulation, groups: &[&str]) -> u64 {
    sim.state()
        .instances
        .values()
        .filter(|i| groups.contains(&i.nodegroup.as_str()) && i.state == InstanceState::Running)
        .map(|i| i.price_nusd_per_hour)
        .sum()
}

fn upgrade_of<'a>(r: &'a [DataPlaneUpgrade], name: &str) -> &'a DataPlaneUpgrade {
    r.iter().find(|d| d.name == name).unwrap()
}

#[test]
fn the_report_prices_the_surge_nodes_of_a_managed_update() {
    let (mut sim, mut watch) = upgraded_control_plane(3);
    let out = upgrade_nodegroup(&mut sim, "ng-1", false);
    assert!(out.is_ok(), "{out:?}");
    watch.observe(&sim);
    let started = sim.now().as_secs();
    let old: BTreeSet<String> = sim.state().nodes.keys().cloned().collect();
    // The report's rule, second by second: the rate above the three original nodes'.
    let base = group_rate(&sim, &["ng-1"]);
    assert_eq!(
        base,
        3 * 96_000_000,
        "three m5.large at $0.096/h (eks-facts §1.3)"
    );
    let mut extra: Vec<(u64, u128)> = Vec::new();
    let any_old = |s: &Simulation| {
        s.state()
            .nodes
            .values()
            .any(|n| n.status.kubelet_version == "v1.34.0-eks")
    };
    let mut last_old = 0;
    run_until(
        &mut sim,
        &mut watch,
        90 * 60,
        |s| {
            let over = group_rate(s, &["ng-1"]).saturating_sub(base);
            extra.push((s.now().as_secs(), u128::from(over)));
            if any_old(s) {
                last_old = s.now().as_secs();
            }
        },
        last_update_done,
    );
    let u = sim.state().updates.last().unwrap().clone();
    assert_eq!(u.status, UpdateStatus::Successful);
    let ended = u.ended_at.unwrap().as_secs();
    // The last old node may still be shutting down when the update ends (its Node object goes
    // when the instance is terminated): a few more minutes.
    for _ in 0..5 * 60 {
        sim.step();
        watch.observe(&sim);
        let over = group_rate(&sim, &["ng-1"]).saturating_sub(base);
        extra.push((sim.now().as_secs(), u128::from(over)));
        if any_old(&sim) {
            last_old = sim.now().as_secs();
        }
    }
    let r = upgrades(&sim, &watch);
    let ng = upgrade_of(&r, "ng-1");
    assert_eq!(ng.kind, "managed");
    assert_eq!(ng.version.as_deref(), Some("1.35"));
    assert_eq!(ng.nodes_on_old_version, 0);
    assert_eq!(ng.steps, 1, "eksctl upgrade nodegroup");
    assert_eq!(ng.started_s, Some(started));
    // Finished the second the last 1.34 Node object was gone (with this seed after the update
    // ended: the last old instance was still shutting down).
    let last_old_gone = last_old + 1;
    assert_eq!(ng.finished_s, Some(last_old_gone));
    assert!(last_old_gone > ended);
    assert!(
        sim.events().all().iter().any(|e| e.reason == "RemovingNode"
            && e.time.as_secs() == last_old_gone
            && old.contains(&e.object.name)),
        "with the node controller's RemovingNode event"
    );
    // The window runs to the later of that and the end of the update (its scale-down phase).
    let end = last_old_gone.max(ended);
    let want: u128 = extra
        .iter()
        .filter(|(t, _)| *t < end)
        .map(|(_, x)| *x)
        .sum::<u128>()
        / 3600
        / 1000;
    assert!(want > 0);
    assert_eq!(ng.extra_cost_usd, Some(want as f64 / 1e6));
    assert_eq!(ng.replaced_by, None);
    // The report's `updates` entry.
    let ur = &updates(&sim)[1];
    assert_eq!(ur.target, "nodegroup/ng-1");
    assert_eq!(ur.type_, "VersionUpdate");
    assert_eq!(ur.status, "Successful");
    assert_eq!(ur.version.as_deref(), Some("1.35"));
    assert_eq!((ur.created_s, ur.ended_s), (started, Some(ended)));
    assert_eq!(ur.duration_s, ended - started);
    let phases: Vec<&str> = ur.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(phases, ["Setup", "ScaleUp", "Upgrade", "ScaleDown"]);
    assert_eq!(ur.phases[0].start_s, started);
    // Setup takes 30 s (nodegroup_update.rs); each phase starts when the previous ends.
    assert_eq!(ur.phases[0].end_s, Some(started + 30));
    for w in ur.phases.windows(2) {
        assert_eq!(w[0].end_s, Some(w[1].start_s));
    }
    assert_eq!(ur.phases[3].end_s, Some(ended));
    assert_eq!(ur.nodes_replaced, 3);
    assert!(ur.errors.is_empty());
}

#[test]
fn minimal_strategy_never_raises_desired_above_the_original() {
    let (mut sim, mut watch) = upgraded_control_plane(3);
    let out = submit(
        &mut sim,
        Command::UpdateNodegroupConfig {
            name: "ng-1".into(),
            update_config: None,
            strategy: Some(UpdateStrategy::Minimal),
        },
    );
    assert_eq!(
        out,
        Ok("updated nodegroup \"ng-1\": maxUnavailable=1,updateStrategy=MINIMAL".into())
    );
    upgrade_nodegroup(&mut sim, "ng-1", false).unwrap();
    let mut most_live = 0;
    let mut fewest_live = usize::MAX;
    run_until(
        &mut sim,
        &mut watch,
        90 * 60,
        |s| {
            let g = s.state().nodegroups["ng-1"].scaling;
            assert!(
                g.desired_size <= 3 && g.max_size <= 3,
                "{g:?} at {:?}",
                s.now()
            );
            let live = s
                .state()
                .instances
                .values()
                .filter(|i| i.nodegroup == "ng-1" && i.is_live() && !i.terminating)
                .count();
            most_live = most_live.max(live);
            fewest_live = fewest_live.min(live);
        },
        last_update_done,
    );
    assert_eq!(
        most_live, 3,
        "an old node goes before its replacement comes"
    );
    // maxUnavailable 1: one node at a time, each replacement in before the next goes.
    assert_eq!(fewest_live, 2, "never more than maxUnavailable nodes down");
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful, "{u:#?}");
    let names: Vec<&str> = u.phases.iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["Setup", "Upgrade", "ScaleDown"],
        "no scale-up phase"
    );
    assert_eq!(u.nodes_replaced, 3);
    sim.run_for(SimDuration::from_mins(5));
    watch.observe(&sim);
    assert!(
        sim.state()
            .nodes
            .values()
            .all(|n| n.status.kubelet_version == "v1.35.0-eks")
    );
    let r = upgrades(&sim, &watch);
    assert_eq!(
        upgrade_of(&r, "ng-1").extra_cost_usd,
        Some(0.0),
        "never more nodes than before"
    );
    assert_eq!(
        upgrade_of(&r, "ng-1").steps,
        2,
        "update-nodegroup-config, upgrade"
    );
}

#[test]
fn max_unavailable_percentage_sets_how_many_nodes_drain_at_once() {
    // 4 nodes, maxUnavailablePercentage 50: ceil(4 × 50%) = 2 at a time (eks-facts §4); the
    // surge is still max(2 × 3 AZs, 2) = 6.
    let (mut sim, mut watch) = upgraded_control_plane(4);
    submit(
        &mut sim,
        Command::UpdateNodegroupConfig {
            name: "ng-1".into(),
            update_config: Some(NodegroupUpdateConfig::MaxUnavailablePercentage(50)),
            strategy: None,
        },
    )
    .unwrap();
    upgrade_nodegroup(&mut sim, "ng-1", false).unwrap();
    let old: BTreeSet<String> = sim.state().nodes.keys().cloned().collect();
    let mut most_desired = 0;
    let mut most_draining = 0;
    run_until(
        &mut sim,
        &mut watch,
        90 * 60,
        |s| {
            most_desired = most_desired.max(s.state().nodegroups["ng-1"].scaling.desired_size);
            // Old nodes being drained: named by a drain event, not yet terminated.
            let draining = old
                .iter()
                .filter(|n| {
                    s.state()
                        .nodes
                        .get(*n)
                        .is_some_and(|node| !s.state().instances[&node.instance_id].terminating)
                        && s.events().all().iter().any(|e| {
                            e.reason == "NodegroupUpdating"
                                && e.message.contains("draining")
                                && e.message.contains(n.as_str())
                        })
                })
                .count();
            most_draining = most_draining.max(draining);
        },
        last_update_done,
    );
    assert_eq!(most_desired, 10);
    assert_eq!(most_draining, 2);
    let drains: Vec<&str> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "NodegroupUpdating" && e.message.contains("draining"))
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(drains.len(), 2, "{drains:#?}");
    assert!(
        drains
            .iter()
            .all(|m| m.ends_with("(2 of maxUnavailable 2)")),
        "{drains:?}"
    );
    let u = sim.state().updates.last().unwrap();
    assert_eq!(u.status, UpdateStatus::Successful);
    assert_eq!(u.nodes_replaced, 4);
}

// ---- self-managed blue/green ----

/// Pods of `app` that are Ready and not on their way out.
fn ready_pods(sim: &Simulation, app: &str) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| {
            p.meta.labels.get("app").map(String::as_str) == Some(app)
                && p.is_ready()
                && !p.is_terminating()
        })
        .count()
}

#[test]
fn a_self_managed_blue_green_migration_keeps_the_pdb_and_the_report_counts_its_steps() {
    let mut spec = quick_spec();
    spec.nodegroups.push(NodegroupSpec::self_managed("ng-1"));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", 3, 250, 256,
    )));
    spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
        "default",
        "web",
        Some(IntOrPercent::Int(2)),
        None,
    )));
    let mut sim = Simulation::new(spec).unwrap();
    let mut watch = UpgradeWatch::default();
    sim.run_for(SimDuration::from_mins(5));
    watch.observe(&sim);
    assert_eq!(ready_pods(&sim, "web"), 3);
    let at_least_two = |s: &Simulation| {
        assert!(
            ready_pods(s, "web") >= 2,
            "PDB minAvailable 2 broken at {:?}",
            s.now()
        );
    };
    let run = |sim: &mut Simulation, watch: &mut UpgradeWatch, mins: u64| {
        for _ in 0..mins * 60 {
            sim.step();
            watch.observe(sim);
            at_least_two(sim);
        }
    };
    let step = |sim: &mut Simulation, watch: &mut UpgradeWatch, c: Command| {
        let out = submit(sim, c);
        watch.observe(sim);
        at_least_two(sim);
        out
    };
    step(
        &mut sim,
        &mut watch,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    run(&mut sim, &mut watch, 20);
    assert_eq!(sim.state().cluster.version, v(35));
    // EKS does not upgrade a self-managed group.
    let e = step(
        &mut sim,
        &mut watch,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    )
    .unwrap_err();
    assert!(e.contains("is an unmanaged nodegroup"), "{e}");
    let old: Vec<String> = sim.state().nodes.keys().cloned().collect();
    assert_eq!(old.len(), 2);
    // Green: a new group at the control plane's version.
    let created = sim.now().as_secs() + 1;
    let out = step(
        &mut sim,
        &mut watch,
        Command::CreateNodegroup(NodegroupSpec::self_managed("ng-2")),
    );
    assert!(out.is_ok(), "{out:?}");
    run(&mut sim, &mut watch, 5);
    let green: Vec<String> = sim
        .state()
        .nodes
        .values()
        .filter(|n| n.data_plane.group_name() == "ng-2" && n.is_ready())
        .map(|n| n.name().to_string())
        .collect();
    assert_eq!(green.len(), 2);
    assert!(
        green
            .iter()
            .all(|n| sim.state().nodes[n].status.kubelet_version == "v1.35.0-eks")
    );
    for n in &old {
        step(
            &mut sim,
            &mut watch,
            Command::Cordon {
                node: n.clone(),
                unschedulable: true,
            },
        )
        .unwrap();
    }
    let options = DrainOptions {
        ignore_daemonsets: true,
        delete_emptydir_data: true,
        ..DrainOptions::default()
    };
    for n in &old {
        step(
            &mut sim,
            &mut watch,
            Command::Drain {
                node: n.clone(),
                options,
            },
        )
        .unwrap();
        run(&mut sim, &mut watch, 3);
        assert!(
            sim.state()
                .pods_on_node(n)
                .all(|p| p.meta.namespace == "kube-system"),
            "{n} drained"
        );
    }
    assert_eq!(ready_pods(&sim, "web"), 3);
    let blocked = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "EvictionBlocked" && e.message.contains("pods/\"web-"))
        .count();
    assert!(blocked >= 1, "the PDB made a drain wait");
    step(
        &mut sim,
        &mut watch,
        Command::DeleteNodegroup {
            name: "ng-1".into(),
        },
    )
    .unwrap();
    run(&mut sim, &mut watch, 10);
    assert!(!sim.state().nodegroups.contains_key("ng-1"));
    assert!(
        sim.state()
            .pods
            .values()
            .filter(|p| p.meta.labels.get("app").map(String::as_str) == Some("web"))
            .all(|p| green.contains(p.spec.node_name.as_ref().unwrap()))
    );
    let last_old_gone = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "RemovingNode" && old.contains(&e.object.name))
        .map(|e| e.time.as_secs())
        .max()
        .unwrap();
    let r = upgrades(&sim, &watch);
    assert_eq!(r.len(), 2);
    let blue = upgrade_of(&r, "ng-1");
    assert_eq!(blue.kind, "self-managed");
    assert_eq!(blue.version.as_deref(), Some("1.34"));
    assert_eq!(blue.nodes_on_old_version, 0);
    // create ng-2, 2 × cordon, 2 × drain, delete ng-1 (the refused upgrade does not count).
    assert_eq!(blue.steps, 6);
    assert_eq!(blue.started_s, Some(created));
    assert_eq!(blue.finished_s, Some(last_old_gone));
    assert_eq!(blue.replaced_by.as_deref(), Some("ng-2"));
    // Two m5.large of ng-2 on top of ng-1's two, from each one's running state to the moment
    // the old ones started shutting down.
    let blue_stops: BTreeSet<u64> = sim
        .state()
        .instances
        .values()
        .filter(|o| o.nodegroup == "ng-1")
        .filter_map(|o| o.stopped_at.map(SimTime::as_secs))
        .collect();
    assert_eq!(blue_stops.len(), 1, "eksctl deletes both instances at once");
    let blue_stop = blue_stops.first().copied().unwrap();
    let overlap: u64 = sim
        .state()
        .instances
        .values()
        .filter(|i| i.nodegroup == "ng-2")
        .map(|i| blue_stop - i.running_at.unwrap().as_secs())
        .sum();
    let micro = u128::from(overlap) * 96_000_000 / 3600 / 1000;
    assert_eq!(blue.extra_cost_usd, Some(micro as f64 / 1e6));
    let green_up = upgrade_of(&r, "ng-2");
    assert_eq!(green_up.version.as_deref(), Some("1.35"));
    assert_eq!(
        (green_up.steps, green_up.started_s, green_up.finished_s),
        (1, Some(created), Some(created)),
        "never behind"
    );
    assert_eq!(green_up.extra_cost_usd, Some(0.0));
}

// ---- add-ons ----

fn kube_proxy_pods(sim: &Simulation) -> Vec<&Pod> {
    sim.state()
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == "kube-system"
                && p.meta
                    .owner
                    .as_ref()
                    .is_some_and(|o| o.name == "kube-proxy")
        })
        .collect()
}

#[test]
fn kube_proxy_rolls_node_by_node_after_the_control_plane_upgrade() {
    let (mut sim, mut watch) = upgraded_control_plane(4);
    assert_eq!(
        sim.state().cluster.addons[&AddonName::KubeProxy].version,
        "v1.34.1-eksbuild.2"
    );
    let out = submit(
        &mut sim,
        Command::UpdateAddon {
            name: AddonName::KubeProxy,
            version: Some("latest".into()),
        },
    );
    // kube-proxy tracks the Kubernetes minor (eks-facts §5).
    assert_eq!(
        out,
        Ok("updating addon kube-proxy to v1.35.0-eksbuild.1".into())
    );
    let started = sim.now();
    // The DaemonSet's maxUnavailable is 10% of 4 nodes, rounded up: 1.
    let ds = &sim.state().daemonsets[&ObjectKey::new("kube-system", "kube-proxy")];
    assert_eq!(ds.max_unavailable, IntOrPercent::Percent(10));
    let mut worst = 0;
    run_until(
        &mut sim,
        &mut watch,
        30 * 60,
        |s| {
            let covered: BTreeSet<&str> = kube_proxy_pods(s)
                .into_iter()
                .filter(|p| p.is_ready() && !p.is_terminating())
                .filter_map(|p| p.spec.node_name.as_deref())
                .collect();
            let without = s
                .state()
                .nodes
                .values()
                .filter(|n| n.is_ready() && !covered.contains(n.name()))
                .count();
            worst = worst.max(without);
        },
        last_update_done,
    );
    assert_eq!(worst, 1, "one node at a time without a ready kube-proxy");
    let deletes: Vec<u64> = sim
        .events()
        .all()
        .iter()
        .filter(|e| {
            e.time >= started && e.reason == "SuccessfulDelete" && e.object.name == "kube-proxy"
        })
        .map(|e| e.time.as_secs())
        .collect();
    assert_eq!(deletes.len(), 4);
    assert!(
        deletes.windows(2).all(|w| w[0] < w[1]),
        "each replacement waits for the previous one: {deletes:?}"
    );
    let a = &sim.state().cluster.addons[&AddonName::KubeProxy];
    assert_eq!(
        (a.version.as_str(), a.status),
        ("v1.35.0-eksbuild.1", AddonStatus::Active)
    );
    let pods = kube_proxy_pods(&sim);
    assert_eq!(pods.len(), 4);
    assert!(pods.iter().all(|p| {
        p.spec.containers[0]
            .image
            .ends_with("/eks/kube-proxy:v1.35.0-minimal-eksbuild.1")
    }));
    let u = &updates(&sim)[1];
    assert_eq!(
        (u.target.as_str(), u.type_.as_str(), u.status.as_str()),
        ("addon/kube-proxy", "AddonUpdate", "Successful")
    );
    assert_eq!(u.version.as_deref(), Some("v1.35.0-eksbuild.1"));
    assert_eq!(u.phases.len(), 1);
    assert_eq!(u.phases[0].name, "RollOut");
    assert_eq!(u.phases[0].end_s, u.ended_s);
}

#[test]
fn self_managed_add_ons_refuse_eksctl_update_addon_and_take_utils_update_kube_proxy() {
    let mut spec = quick_spec();
    spec.cluster.addon_management = AddonManagement::SelfManaged;
    spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    upgrade_control_plane(&mut sim, 35);
    assert!(
        sim.events().all().iter().any(|e| e.reason == "AddonVersionBehind"
            && e.message
                == "kube-proxy v1.34.1-eksbuild.2 is still compatible, but behind with Kubernetes 1.35: update it to v1.35.0-eksbuild.1 (eksctl utils update-kube-proxy --approve)"),
        "the upgrade says how to catch up"
    );
    let e = submit(
        &mut sim,
        Command::UpdateAddon {
            name: AddonName::KubeProxy,
            version: None,
        },
    )
    .unwrap_err();
    assert!(e.contains("addon kube-proxy is self-managed"), "{e}");
    assert!(
        e.contains("eksctl utils update-kube-proxy --approve"),
        "{e}"
    );
    let image = |s: &Simulation| {
        s.state().daemonsets[&ObjectKey::new("kube-system", "kube-proxy")]
            .template
            .spec
            .containers[0]
            .image
            .clone()
    };
    let before = image(&sim);
    let plan = submit(
        &mut sim,
        Command::UpdateSelfManagedAddon {
            name: AddonName::KubeProxy,
            approve: false,
        },
    )
    .unwrap();
    assert!(
        plan.ends_with("no changes were applied, run again with '--approve' to apply the changes")
    );
    assert_eq!(image(&sim), before);
    let out = submit(
        &mut sim,
        Command::UpdateSelfManagedAddon {
            name: AddonName::KubeProxy,
            approve: true,
        },
    )
    .unwrap();
    let new = before.replace("v1.34.1-minimal-eksbuild.2", "v1.35.0-minimal-eksbuild.1");
    assert_eq!(out, format!("\"kube-proxy\" is now set to \"{new}\""));
    assert_eq!(image(&sim), new);
    sim.run_for(SimDuration::from_mins(5));
    let a = &sim.state().cluster.addons[&AddonName::KubeProxy];
    assert_eq!(a.version, "v1.35.0-eksbuild.1");
    assert!(!a.managed, "still self-managed");
    assert_eq!(
        sim.state().updates.len(),
        1,
        "EKS knows nothing of a self-managed add-on's update: only the control plane's"
    );
    assert!(sim.events().all().iter().any(|e| e.reason == "AddonUpdated"
        && e.source == "eksctl"
        && e.message == "kube-proxy updated v1.34.1-eksbuild.2 -> v1.35.0-eksbuild.1"));
}

// ---- the support calendar ----

/// A lab on 1.33 starting the day before its end of standard support (2026-07-29, eks-facts
/// §5), with one node.
fn lab_before_end_of_standard(support: SupportType) -> Simulation {
    let mut spec = quick_spec();
    spec.start_date = Date::from_ymd(2026, 7, 28);
    spec.cluster.version = v(33);
    spec.cluster.support_type = support;
    let mut ng = NodegroupSpec::managed("ng-1");
    ng.min_size = 1;
    ng.desired_capacity = 1;
    spec.nodegroups.push(ng);
    Simulation::new(spec).unwrap()
}

#[test]
fn upgrade_policy_standard_upgrades_the_control_plane_at_the_end_of_standard_support() {
    let mut sim = lab_before_end_of_standard(SupportType::Standard);
    sim.run_for(SimDuration::from_secs(86_399));
    assert!(
        sim.state().updates.is_empty(),
        "still in standard support on 2026-07-28"
    );
    sim.run_for(SimDuration::from_hours(1));
    let u = &sim.state().updates[0];
    // The first step of 2026-07-29 (UTC).
    assert_eq!(u.created_at.as_secs(), 86_400);
    assert_eq!(u.status, UpdateStatus::Successful);
    assert_eq!(u.param("Version"), Some("1.34"));
    assert_eq!(sim.state().cluster.version, v(34));
    let e = sim
        .events()
        .all()
        .iter()
        .find(|e| e.reason == "ClusterUpdating")
        .unwrap();
    assert!(
        e.message.starts_with(
            "automatic upgrade at the end of support: updating control plane from Kubernetes 1.33 to 1.34"
        ),
        "{}",
        e.message
    );
    // Nodes are not upgraded with it (eks-facts §5).
    assert!(
        sim.state()
            .nodes
            .values()
            .all(|n| n.status.kubelet_version == "v1.33.0-eks")
    );
    assert!(
        sim.events()
            .all()
            .iter()
            .any(|e| e.reason == "NodegroupVersionBehind")
    );
    // A STANDARD cluster is never in extended support: $0.10 an hour throughout, the minutes
    // of the automatic upgrade included (eks-facts §1.1).
    assert_eq!(
        sim.billing().micro_usd(CostComponent::ControlPlane),
        100_000 * (86_399 + 3600) / 3600
    );
}

#[test]
fn upgrade_policy_extended_enters_extended_support_at_six_times_the_price() {
    let mut sim = lab_before_end_of_standard(SupportType::Extended);
    sim.run_for(SimDuration::from_secs(86_399));
    // 23:59:59 at $0.10 (eks-facts §1.1).
    assert_eq!(sim.billing().rate(CostComponent::ControlPlane), 100_000_000);
    assert_eq!(
        sim.billing().micro_usd(CostComponent::ControlPlane),
        100_000 * 86_399 / 3600
    );
    sim.run_for(SimDuration::from_secs(1));
    let day_one = sim.billing().micro_usd(CostComponent::ControlPlane);
    // The step that reaches midnight is billed at the new day's rate (each step is billed at
    // the state after it): 86,399 s at $0.10 and 1 s at $0.60.
    assert_eq!(day_one, (100_000 * 86_399 + 600_000) / 3600);
    sim.run_for(SimDuration::from_hours(24));
    // Then a whole day at $0.60 from the start of the end-of-standard day, UTC (eks-facts
    // §1.1): six times the day before.
    assert_eq!(sim.billing().rate(CostComponent::ControlPlane), 600_000_000);
    assert_eq!(
        sim.billing().micro_usd(CostComponent::ControlPlane) - day_one,
        14_400_000
    );
    assert!(sim.state().updates.is_empty(), "no automatic upgrade");
    assert_eq!(sim.state().cluster.version, v(33));
    let e: Vec<_> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "ExtendedSupport")
        .collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].time.as_secs(), 86_400);
    assert_eq!(
        e[0].message,
        "Kubernetes 1.33 left standard support on 2026-07-29: the cluster is in extended support until 2027-07-29 and the control plane costs $0.60 per hour instead of $0.10 (upgrade policy EXTENDED)"
    );
}

// ---- Fargate ----

#[test]
fn fargate_pods_keep_their_kubelet_until_a_rollout_restart() {
    let mut spec = quick_spec();
    spec.fargate_profiles.push(FargateProfileSpec {
        name: "fp-serverless".into(),
        selectors: vec![FargateProfileSelector {
            namespace: "serverless".into(),
            labels: BTreeMap::new(),
        }],
        subnets: Vec::new(),
    });
    spec.manifests.push(support::namespace("serverless"));
    spec.manifests.push(Manifest::Deployment(deployment(
        "serverless",
        "hello",
        2,
        250,
        512,
    )));
    let mut sim = Simulation::new(spec).unwrap();
    let mut watch = UpgradeWatch::default();
    watch.run_for(&mut sim, SimDuration::from_mins(10));
    let kubelets = |s: &Simulation| -> Vec<String> {
        s.state()
            .nodes
            .values()
            .filter(|n| n.data_plane.is_fargate())
            .map(|n| n.status.kubelet_version.clone())
            .collect()
    };
    assert_eq!(kubelets(&sim), ["v1.34.0-eks"; 2]);
    submit(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    watch.run_for(&mut sim, SimDuration::from_mins(30));
    assert_eq!(sim.state().cluster.version, v(35));
    assert_eq!(
        kubelets(&sim),
        ["v1.34.0-eks"; 2],
        "Fargate pods are not upgraded"
    );
    let r = upgrades(&sim, &watch);
    assert_eq!(r.len(), 1);
    let f = &r[0];
    assert_eq!((f.name.as_str(), f.kind.as_str()), ("fargate", "fargate"));
    assert_eq!(f.version.as_deref(), Some("1.34"));
    assert_eq!(f.nodes_on_old_version, 2);
    assert_eq!((f.steps, f.started_s, f.finished_s), (0, None, None));
    assert_eq!(f.extra_cost_usd, None, "Fargate runs no EC2");
    let restarted = sim.now().as_secs() + 1;
    let out = submit(
        &mut sim,
        Command::RolloutRestart {
            key: ObjectKey::new("serverless", "hello"),
        },
    );
    assert!(out.is_ok(), "{out:?}");
    watch.observe(&sim);
    let mut last_old = 0;
    for _ in 0..10 * 60 {
        sim.step();
        watch.observe(&sim);
        if kubelets(&sim).iter().any(|k| k == "v1.34.0-eks") {
            last_old = sim.now().as_secs();
        }
    }
    // New pods, new Fargate nodes, at the control plane's version.
    assert_eq!(kubelets(&sim), ["v1.35.0-eks"; 2]);
    let r = upgrades(&sim, &watch);
    let f = &r[0];
    assert_eq!(f.version.as_deref(), Some("1.35"));
    assert_eq!(f.nodes_on_old_version, 0);
    assert_eq!(f.steps, 1, "kubectl rollout restart ... -n serverless");
    assert_eq!(f.started_s, Some(restarted));
    assert_eq!(f.finished_s, Some(last_old + 1));
    assert!(last_old > restarted);
}

// ---- the upgrade examples ----

fn example(name: &str) -> Simulation {
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let loaded = eks_lab::scenario::load(&std::fs::read_to_string(path).unwrap()).unwrap();
    Simulation::new(loaded.spec).unwrap()
}

/// Runs the example to its end and returns, per app, the fewest ready pods seen in any second
/// from the moment it first had all its replicas ready.
fn fewest_ready(sim: &mut Simulation, apps: &[&str], replicas: usize) -> BTreeMap<String, usize> {
    let end = sim.now() + sim.spec().duration.unwrap();
    let mut fewest: BTreeMap<String, usize> = BTreeMap::new();
    while sim.now() < end {
        sim.step();
        for app in apps {
            let n = ready_pods(sim, app);
            if let Some(f) = fewest.get_mut(*app) {
                *f = (*f).min(n);
            } else if n == replicas {
                fewest.insert((*app).to_string(), n);
            }
        }
    }
    assert!(
        sim.outcomes().iter().all(|o| o.result.is_ok()),
        "{:#?}",
        sim.outcomes()
    );
    fewest
}

#[test]
fn the_upgrade_example_keeps_two_web_pods_ready_on_every_data_plane() {
    let mut sim = example("upgrade");
    let fewest = fewest_ready(&mut sim, &["web-managed", "web-self", "web"], 3);
    // Each PodDisruptionBudget (minAvailable 2) holds through the managed update and the
    // blue/green migration; the Fargate restart is a rolling update (maxSurge 25% of 3 rounds
    // up to 1, maxUnavailable 25% down to 0) that never goes below three.
    assert_eq!(
        fewest,
        [("web", 3), ("web-managed", 2), ("web-self", 2)]
            .map(|(a, n)| (a.to_string(), n))
            .into_iter()
            .collect()
    );
    assert_eq!(sim.state().cluster.version, v(34));
    assert!(
        sim.state()
            .nodes
            .values()
            .all(|n| n.status.kubelet_version == "v1.34.0-eks")
    );
    assert_eq!(
        sim.state().nodegroups.keys().collect::<Vec<_>>(),
        ["ng-managed", "ng-self-134"]
    );
    assert_eq!(
        sim.state().cluster.addons[&AddonName::KubeProxy].version,
        "v1.34.1-eksbuild.2"
    );
    assert!(
        sim.state()
            .updates
            .iter()
            .all(|u| u.status == UpdateStatus::Successful)
    );
}

#[test]
fn the_pdb_failure_example_holds_the_budget_until_forced() {
    let mut sim = example("upgrade-pdb-failure");
    let failed_at = SimTime::from_secs(40 * 60 + 15 * 60);
    let end = sim.now() + sim.spec().duration.unwrap();
    let (mut before_force, mut after_force) = (usize::MAX, usize::MAX);
    while sim.now() < end {
        sim.step();
        let n = ready_pods(&sim, "db");
        if sim.now() > SimTime::from_mins(20) && sim.now() < SimTime::from_mins(60) {
            before_force = before_force.min(n);
        } else if sim.now() >= SimTime::from_mins(60) {
            after_force = after_force.min(n);
        }
    }
    assert_eq!(
        before_force, 2,
        "the rolling update never disrupts a db pod"
    );
    assert_eq!(
        after_force, 1,
        "the forced one deletes them, one node at a time"
    );
    let ups: Vec<&Update> = sim
        .state()
        .updates
        .iter()
        .filter(|u| u.target == UpdateTarget::Nodegroup("ng-1".into()))
        .collect();
    assert_eq!(ups.len(), 2);
    assert_eq!(ups[0].status, UpdateStatus::Failed);
    assert_eq!(ups[0].errors[0].code, ErrorCode::PodEvictionFailure);
    assert!(ups[0].ended_at.unwrap() > failed_at);
    assert_eq!(ups[1].status, UpdateStatus::Successful);
    assert_eq!(ups[1].param("Force"), Some("true"));
    let s = sim.state().nodegroups["ng-1"].scaling;
    assert_eq!((s.min_size, s.desired_size, s.max_size), (2, 2, 2));
    assert_eq!(sim.state().nodes.len(), 2);
}

#[test]
fn the_rollback_example_fails_then_succeeds_without_touching_the_web_pods() {
    let mut sim = example("upgrade-rollback");
    sim.run_for(SimDuration::from_mins(19));
    let before = running_pods(&sim);
    assert_eq!(
        before
            .keys()
            .filter(|k| k.starts_with("default/web-"))
            .count(),
        3
    );
    sim.run_for(SimDuration::from_mins(21));
    let u = &sim.state().updates[0];
    assert_eq!(u.status, UpdateStatus::Failed);
    assert_eq!(u.errors[0].code, ErrorCode::SecurityGroupNotFound);
    assert_eq!(sim.state().cluster.version, v(34));
    assert_eq!(running_pods(&sim), before, "same pods, same uids");
    sim.run_for(sim.spec().duration.unwrap() - SimDuration::from_mins(40));
    assert_eq!(sim.state().updates[1].status, UpdateStatus::Successful);
    assert_eq!(sim.state().cluster.version, v(35));
    assert_eq!(
        running_pods(&sim),
        before,
        "a control plane upgrade moves no pod"
    );
}

#[test]
fn a_cluster_created_in_extended_support_says_so_once_active() {
    // 1.33 left standard support on 2026-07-29; the lab's default date is 2026-11-01. The
    // day's support check waits for the cluster to be ACTIVE (10–15 minutes of creation).
    let mut spec = eks_lab::sim::spec::LabSpec::default();
    spec.cluster.version = v(33);
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(20));
    let active = sim.state().cluster.active_at.unwrap();
    let e: Vec<_> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "ExtendedSupport")
        .collect();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].time, active);
    assert!(
        e[0].message
            .starts_with("Kubernetes 1.33 left standard support on 2026-07-29")
    );
    assert_eq!(sim.billing().rate(CostComponent::ControlPlane), 600_000_000);
}

#[test]
fn a_new_node_group_is_checked_against_the_upgraded_control_plane() {
    // Blue/green after a control plane upgrade: the new group at the new version is accepted,
    // one newer than the control plane is refused.
    let mut sim = managed_lab(2);
    upgrade_control_plane(&mut sim, 35);
    let mut ng = NodegroupSpec::self_managed("ng-blue");
    ng.version = Some(v(35));
    assert!(submit(&mut sim, Command::CreateNodegroup(ng.clone())).is_ok());
    let mut ng36 = NodegroupSpec::self_managed("ng-36");
    ng36.version = Some(v(36));
    let e = submit(&mut sim, Command::CreateNodegroup(ng36)).unwrap_err();
    assert!(e.contains("newer than the control plane 1.35"), "{e}");
}
