//! The Upgrades tab's planner, timeline and chart on small labs, natively: what it says before
//! and after each step, that its refusals are the commands' own, that its time estimates
//! bracket what the simulation then does, and that the cluster view marks old, new, cordoned
//! and draining nodes while an update runs.

use crate::support;

#[path = "upgrade_view/cluster_view.rs"]
mod cluster_view;

use std::collections::BTreeMap;

use eks_lab::sim::Simulation;
use eks_lab::sim::api::IntOrPercent;
use eks_lab::sim::catalog::KubernetesVersion;
use eks_lab::sim::clock::{Date, SimDuration, SimTime};
use eks_lab::sim::command::Command;
use eks_lab::sim::eks::{
    FargateProfileSelector, NodegroupUpdateConfig, UpdateStatus, UpdateStrategy,
};
use eks_lab::sim::spec::{FargateProfileSpec, LabSpec, Manifest, NodegroupSpec};
use eks_lab::view::charts::{ChartKind, ChartSeries, draw_chart};
use eks_lab::view::cluster::{ClusterView, NodeRollout};
use eks_lab::view::upgrade::{StepState, Timeline, UpgradePlan, duration_range};
use plotters::prelude::*;
use support::{deployment, fixed_size, namespace, pdb, quick_spec};

fn v(minor: u32) -> KubernetesVersion {
    KubernetesVersion::new(minor)
}

fn run(sim: &mut Simulation, c: Command) -> Result<String, String> {
    sim.submit(c, "");
    sim.step();
    sim.outcomes().last().unwrap().result.clone()
}

fn managed(nodes: u64) -> NodegroupSpec {
    fixed_size(
        NodegroupSpec::managed("ng-1"),
        i32::try_from(nodes).unwrap(),
    )
}

fn lab(spec: LabSpec) -> Simulation {
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    sim
}

fn managed_lab(nodes: u64) -> Simulation {
    let mut spec = quick_spec();
    spec.nodegroups.push(managed(nodes));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", 4, 250, 256,
    )));
    lab(spec)
}

fn upgrade_control_plane(sim: &mut Simulation) {
    run(
        sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(20));
    assert_eq!(sim.state().cluster.version, v(35));
}

/// Steps until the last update ends (at most `limit`), returning the largest desired size seen.
fn run_update(sim: &mut Simulation, ng: &str, limit: SimDuration) -> i32 {
    let end = sim.now() + limit;
    let mut max_desired = 0;
    while sim.now() < end {
        sim.step();
        max_desired = max_desired.max(sim.state().nodegroups[ng].scaling.desired_size);
        if !sim.state().updates.last().unwrap().is_in_progress() {
            break;
        }
    }
    max_desired
}

/// An add-on row as the tests compare it: name, installed, for the target, compatible, state.
type AddonRow<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<bool>,
    &'a StepState,
);

#[test]
fn before_any_upgrade_the_planner_names_the_next_minor_who_acts_and_the_order() {
    let sim = managed_lab(3);
    let p = UpgradePlan::from_sim(&sim);
    // The lab's calendar starts on 2026-11-01; 1.34's standard support ends 2026-12-02.
    assert_eq!(p.date, "2026-11-01");
    let cur = &p.current;
    assert_eq!(
        (
            cur.version.as_str(),
            cur.status,
            cur.end_of_standard.as_str()
        ),
        ("1.34", "standard support", "2026-12-02")
    );
    assert_eq!(
        (cur.days_to_end_of_standard, cur.price_nusd_per_hour),
        (31, 100_000_000)
    );
    let n = p.next.as_ref().unwrap();
    assert_eq!(
        (
            n.version.as_str(),
            n.eks_release.as_str(),
            n.end_of_standard.as_str(),
            n.end_of_extended.as_str()
        ),
        ("1.35", "2026-01-27", "2027-03-27", "2028-03-27")
    );
    assert_eq!(p.cycle, "1.35");
    let cp = &p.control_plane;
    assert_eq!(cp.state, StepState::Ready);
    let act = cp.action.as_ref().unwrap();
    assert_eq!(act.label, "Upgrade control plane to 1.35");
    assert_eq!(
        act.commands[0].1,
        "eksctl upgrade cluster --name=lab --version=1.35 --approve"
    );
    assert!(
        cp.who
            .aws
            .starts_with("AWS runs it: launches new API server instances")
    );

    let g = &p.nodegroups[0];
    // 3 AZs and maxUnavailable 1: surge max(2 × 3, 1) = 6, three batches (eks-facts §4).
    assert_eq!(
        (
            g.name.as_str(),
            g.version.as_str(),
            g.target.as_str(),
            g.nodes,
            g.old_nodes
        ),
        ("ng-1", "1.34", "1.35", 3, 3)
    );
    assert_eq!(
        (g.max_unavailable, g.surge, g.batches, g.zones),
        (1, 6, 3, 3)
    );
    assert_eq!(
        (g.strategy, g.update_config.as_str()),
        ("DEFAULT", "maxUnavailable=1")
    );
    assert_eq!(g.kubelets, [("1.34".to_string(), 3)]);
    assert_eq!(g.state, StepState::Later);
    let labels: Vec<(&str, bool)> = g
        .actions
        .iter()
        .map(|a| (a.label.as_str(), a.enabled))
        .collect();
    assert_eq!(labels, [("Rolling update", false), ("Force update", false)]);
    assert_eq!(
        g.actions[1].commands[0].1,
        "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --force-upgrade"
    );
    assert_eq!(
        g.who.aws,
        "EKS rolls the nodes: adds 6 new node(s) first (the larger of 2 × 3 AZs and maxUnavailable 1), cordons the old ones, drains 1 at a time through the eviction API, waits 60 s, terminates them, then scales back"
    );

    let addons: Vec<AddonRow> = p
        .addons
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.installed.as_str(),
                a.for_target.as_deref(),
                a.compatible_target,
                &a.state,
            )
        })
        .collect();
    assert_eq!(
        addons,
        [
            (
                "vpc-cni",
                "v1.20.1-eksbuild.3",
                Some("v1.20.1-eksbuild.3"),
                Some(true),
                &StepState::Done
            ),
            (
                "coredns",
                "v1.12.4-eksbuild.1",
                Some("v1.13.2-eksbuild.4"),
                Some(true),
                &StepState::Later
            ),
            (
                "kube-proxy",
                "v1.34.1-eksbuild.2",
                Some("v1.35.0-eksbuild.1"),
                Some(true),
                &StepState::Later
            ),
        ]
    );
    let order: Vec<(&str, &StepState)> = p
        .order
        .iter()
        .map(|o| (o.title.as_str(), &o.state))
        .collect();
    assert_eq!(
        order,
        [
            ("1. Control plane to 1.35", &StepState::Ready),
            ("2. Nodes to 1.35", &StepState::Later),
            ("3. Add-ons for 1.35", &StepState::Later),
        ]
    );
    assert!(p.blocked.is_empty() && p.cautions.is_empty(), "{p:#?}");
    let impact: Vec<&str> = p.impact.iter().map(|i| i.text.as_str()).collect();
    assert_eq!(
        impact[1],
        "CoreDNS: PDB maxUnavailable 1 over 2 replicas, so its pods are evicted one at a time and DNS keeps answering"
    );

    // Time: control plane 8–13 min (480–780 s); the group 280–660 s:
    // setup 30 + scale-up 55–110 + 3 × (5–60 s drain + 60 s) (+ up to 100 s for the last
    // replacement) + scale-down 0–60.
    let est = g.estimate.as_ref().unwrap();
    let parts: Vec<(u64, u64)> = est.parts.iter().map(|p| (p.lo_secs, p.hi_secs)).collect();
    assert_eq!(parts, [(30, 30), (55, 110), (195, 460), (0, 60)]);
    assert_eq!((est.lo_secs, est.hi_secs), (280, 660));
    // 6 surge m5.large at $0.096/h for 280–660 s: $0.0448–$0.1056.
    assert_eq!(
        (est.extra_lo_nusd, est.extra_hi_nusd),
        (44_800_000, 105_600_000)
    );
    assert_eq!(
        (
            p.estimate.control_plane.lo_secs,
            p.estimate.control_plane.hi_secs
        ),
        (480, 780)
    );
    assert_eq!(
        (p.estimate.total_lo_secs, p.estimate.total_hi_secs),
        (760, 1440)
    );
    assert_eq!(duration_range(760, 1440), "12–24 min");
    assert_eq!(
        p.estimate.support,
        [
            "Kubernetes 1.34 is in standard support until 2026-12-02 (31 days): the control plane costs $0.10/h.",
            "Not upgraded by then, it enters extended support: $0.60/h instead of $0.10/h (+$0.50/h, +$360.00 per 30 days) until 2027-12-02 (upgrade policy EXTENDED).",
            "Kubernetes 1.35 on 2026-11-01: standard support until 2027-03-27 — $0.10/h.",
        ]
    );
}

#[test]
fn after_the_control_plane_the_nodes_and_add_ons_are_due() {
    let mut sim = managed_lab(3);
    run(
        &mut sim,
        Command::UpgradeCluster {
            version: Some(v(35)),
            approve: true,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(3));
    let p = UpgradePlan::from_sim(&sim);
    assert_eq!(
        p.control_plane.state,
        StepState::InProgress("LaunchNewApiServers".into())
    );
    assert!(p.control_plane.action.is_none());
    // Two new API servers at 1.35 launch next to the two at 1.34.
    let versions: Vec<(&str, bool)> = p
        .control_plane
        .api_servers
        .iter()
        .map(|(_, v, h)| (v.as_str(), *h))
        .collect();
    assert_eq!(
        versions,
        [
            ("1.34", true),
            ("1.34", true),
            ("1.35", false),
            ("1.35", false)
        ]
    );
    let view = ClusterView::from_sim(&sim);
    let gens: Vec<(&str, &str)> = view
        .control_plane
        .iter()
        .filter(|c| c.role == "API server")
        .map(|c| (c.version.as_str(), c.generation))
        .collect();
    assert_eq!(
        gens,
        [
            ("1.34", "old"),
            ("1.34", "old"),
            ("1.35", "new"),
            ("1.35", "new")
        ]
    );

    sim.run_for(SimDuration::from_mins(17));
    let p = UpgradePlan::from_sim(&sim);
    assert_eq!(
        (p.current.version.as_str(), p.cycle.as_str()),
        ("1.35", "1.35")
    );
    // The next hop is not on the EKS calendar: the planner quotes the refusal.
    assert_eq!(
        p.blocked,
        [
            "Error: InvalidParameterException: unsupported Kubernetes version 1.36 (known: 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35)"
        ]
    );
    let g = &p.nodegroups[0];
    assert_eq!(
        (g.state.clone(), g.target.as_str()),
        (StepState::Ready, "1.35")
    );
    assert!(g.actions.iter().all(|a| a.enabled));
    assert_eq!(
        p.cautions,
        [
            "kubelet version skew: 3 node(s) of ng-1 run kubelet 1.34, behind the control plane 1.35; upgrade them before the next control plane upgrade"
        ]
    );
    let due: Vec<(&str, &str)> = p
        .addons
        .iter()
        .filter(|a| a.state == StepState::Ready)
        .map(|a| {
            (
                a.name.as_str(),
                a.action.as_ref().unwrap().commands[0].1.as_str(),
            )
        })
        .collect();
    assert_eq!(
        due,
        [
            (
                "coredns",
                "eksctl update addon --cluster=lab --name=coredns --version=latest"
            ),
            (
                "kube-proxy",
                "eksctl update addon --cluster=lab --name=kube-proxy --version=latest"
            ),
        ]
    );
    let order: Vec<&StepState> = p.order.iter().map(|o| &o.state).collect();
    assert_eq!(
        order,
        [&StepState::Done, &StepState::Ready, &StepState::Ready]
    );

    let t = Timeline::from_sim(&sim);
    let r = &t.rows[0];
    assert_eq!(
        (r.target.as_str(), r.what.as_str(), r.status),
        ("cluster", "Kubernetes 1.35", "Successful")
    );
    let names: Vec<&str> = r.phases.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "LaunchNewApiServers",
            "HealthChecks",
            "ReplaceOldApiServers"
        ]
    );
    // The bars tile the update from its start to its end on one axis.
    assert_eq!(r.phases[0].left_permille, 0);
    assert!(
        r.phases
            .windows(2)
            .all(|w| w[0].end_secs == w[1].start_secs)
    );
    assert!(r.phases.iter().all(|b| !b.running));
}

#[test]
fn rolling_updates_take_as_long_as_estimated_and_surge_as_planned() {
    let cases = [
        (
            1,
            NodegroupUpdateConfig::MaxUnavailable(1),
            UpdateStrategy::Default,
            6,
        ),
        (
            3,
            NodegroupUpdateConfig::MaxUnavailable(1),
            UpdateStrategy::Default,
            6,
        ),
        (
            5,
            NodegroupUpdateConfig::MaxUnavailable(2),
            UpdateStrategy::Default,
            6,
        ),
        (
            4,
            NodegroupUpdateConfig::MaxUnavailablePercentage(50),
            UpdateStrategy::Default,
            6,
        ),
        (
            3,
            NodegroupUpdateConfig::MaxUnavailable(1),
            UpdateStrategy::Minimal,
            0,
        ),
    ];
    for (nodes, config, strategy, surge) in cases {
        let mut spec = quick_spec();
        let mut ng = managed(nodes);
        ng.update_config = config;
        ng.update_strategy = strategy;
        spec.nodegroups.push(ng);
        spec.manifests.push(Manifest::Deployment(deployment(
            "default", "web", 4, 250, 256,
        )));
        let mut sim = lab(spec);
        upgrade_control_plane(&mut sim);
        let p = UpgradePlan::from_sim(&sim);
        let g = &p.nodegroups[0];
        assert_eq!(g.surge, surge, "{nodes} {config:?} {strategy:?}");
        let e = g.estimate.clone().unwrap();
        let cmd = g.actions[0].commands[0].0.clone();
        run(&mut sim, cmd).unwrap();
        let max_desired = run_update(&mut sim, "ng-1", SimDuration::from_mins(90));
        let u = sim.state().updates.last().unwrap();
        assert_eq!(u.status, UpdateStatus::Successful, "{u:#?}");
        let took = u.ended_at.unwrap().saturating_sub(u.created_at).as_secs();
        assert!(
            (e.lo_secs..=e.hi_secs).contains(&took),
            "{nodes} nodes {config:?} {strategy:?}: took {took} s, estimated {}–{} s",
            e.lo_secs,
            e.hi_secs
        );
        assert_eq!(
            u64::try_from(max_desired).unwrap(),
            nodes + surge,
            "{nodes} {config:?}"
        );
        assert_eq!(u.nodes_replaced, nodes);
    }
}

#[test]
fn an_update_in_progress_shows_on_the_planner_the_nodes_and_the_chart() {
    let mut sim = managed_lab(3);
    upgrade_control_plane(&mut sim);
    let since = sim.now();
    run(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    )
    .unwrap();
    // Into the upgrade phase: six new nodes Ready, the three old ones cordoned, one draining.
    let mut seen_draining = false;
    for _ in 0..1200 {
        sim.step();
        let view = ClusterView::from_sim(&sim);
        let cards: Vec<_> = view
            .zones
            .iter()
            .flat_map(|z| &z.groups)
            .flat_map(|g| &g.nodes)
            .collect();
        if cards.iter().any(|c| c.rollout == NodeRollout::Draining) {
            seen_draining = true;
            let old: Vec<_> = cards.iter().filter(|c| c.behind).collect();
            let new: Vec<_> = cards
                .iter()
                .filter(|c| c.rollout == NodeRollout::New)
                .collect();
            assert_eq!((old.len(), new.len()), (3, 6), "{cards:#?}");
            assert!(
                old.iter()
                    .all(|c| c.cordoned && c.status() == "Ready,SchedulingDisabled")
            );
            assert!(old.iter().all(|c| c.kubelet_version == "v1.34.0-eks"));
            assert!(
                new.iter()
                    .all(|c| c.kubelet_version == "v1.35.0-eks" && !c.behind)
            );
            let p = UpgradePlan::from_sim(&sim);
            let g = &p.nodegroups[0];
            assert_eq!(g.state, StepState::InProgress("Upgrade".into()));
            let pr = g.progress.as_ref().unwrap();
            assert_eq!(
                (
                    pr.surge,
                    pr.max_unavailable,
                    pr.original_desired,
                    pr.original_max
                ),
                (6, 1, 3, 3)
            );
            assert_eq!(pr.batch.len(), 1);
            assert_eq!((g.desired, g.max), (9, 9));
            assert!(g.actions.iter().all(|a| !a.enabled));
            let groups = &view.zones[0].groups[0];
            assert_eq!(
                (groups.version.as_str(), groups.status),
                ("1.35", "UPDATING")
            );
            break;
        }
    }
    assert!(seen_draining, "a node was drained");
    run_update(&mut sim, "ng-1", SimDuration::from_mins(60));
    sim.run_for(SimDuration::from_mins(2));
    let view = ClusterView::from_sim(&sim);
    let cards: Vec<_> = view
        .zones
        .iter()
        .flat_map(|z| &z.groups)
        .flat_map(|g| &g.nodes)
        .collect();
    assert_eq!(cards.len(), 3);
    assert!(cards.iter().all(|c| c.kubelet_version == "v1.35.0-eks"
        && !c.behind
        && c.rollout == NodeRollout::Steady));
    let t = Timeline::from_sim(&sim);
    let r = &t.rows[1];
    assert_eq!(
        (r.target.as_str(), r.what.as_str(), r.status),
        ("nodegroup/ng-1", "1.35, rolling update", "Successful")
    );
    let names: Vec<&str> = r.phases.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["Setup", "ScaleUp", "Upgrade", "ScaleDown"]);
    assert_eq!(r.nodes_replaced, 3);

    // The Auto Scaling group chart: desired and max step up by the surge and come back.
    let from = SimTime::from_secs(since.as_secs() - 120);
    let s = ChartSeries::for_nodegroup(sim.metrics().samples(), "ng-1", from);
    let desired: Vec<u64> = s.points.iter().map(|p| p.ng_desired).collect();
    let max: Vec<u64> = s.points.iter().map(|p| p.ng_max).collect();
    assert_eq!(
        (
            desired[0],
            *desired.iter().max().unwrap(),
            *desired.last().unwrap()
        ),
        (3, 9, 3)
    );
    assert_eq!(
        (max[0], *max.iter().max().unwrap(), *max.last().unwrap()),
        (3, 9, 3)
    );
    assert_eq!(s.points.last().unwrap().ng_ready, 3);
    assert_eq!(
        ChartKind::NodegroupSize.summary(&s),
        format!(
            "Auto Scaling group: desired and max of nodegroup ng-1: desired 3, max 3, 3 nodes Ready at {}",
            eks_lab::view::charts::format_sim_time(s.points.last().unwrap().t.as_secs())
        )
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 260)).into_drawing_area();
        draw_chart(ChartKind::NodegroupSize, &root, &s, 1.0).unwrap();
    }
    for label in [
        "Max",
        "Desired",
        "Ready nodes",
        "max 3",
        "desired 3",
        "3 Ready",
    ] {
        let found = svg.split("<text").skip(1).any(|t| {
            t.split_once('>')
                .and_then(|(_, rest)| rest.split_once("</text>"))
                .is_some_and(|(text, _)| text.trim() == label)
        });
        assert!(found, "{label} in the SVG");
    }
}

#[test]
fn a_pdb_that_allows_no_disruption_is_called_out_and_fails_the_update() {
    let mut spec = quick_spec();
    spec.nodegroups.push(managed(2));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "db", 2, 250, 256,
    )));
    spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
        "default",
        "db",
        None,
        Some(IntOrPercent::Int(0)),
    )));
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "solo", 1, 100, 128,
    )));
    let mut sim = lab(spec);
    upgrade_control_plane(&mut sim);
    let p = UpgradePlan::from_sim(&sim);
    let warnings: Vec<&str> = p
        .impact
        .iter()
        .filter(|i| i.warn)
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(
        warnings,
        [
            "pdb/default/db allows 0 disruptions: a rolling update of ng-1 fails with PodEvictionFailure after 15 minutes unless forced (Force update deletes the pods, ignoring the PDB)",
            "Single replica, so a restart means a short outage: default/solo",
        ]
    );
    run(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    )
    .unwrap();
    sim.run_for(SimDuration::from_mins(40));
    let timeline = Timeline::from_sim(&sim);
    let r = timeline.rows.last().unwrap();
    assert_eq!(r.status, "Failed");
    let e = &r.errors[0];
    assert_eq!(e.code, "PodEvictionFailure");
    assert_eq!(
        e.message,
        "Reached max retries while trying to evict pods from nodes in node group ng-1"
    );
    assert!(
        !e.resources.is_empty() && e.resources.iter().all(|r| r.starts_with("default/db-")),
        "{e:?}"
    );
    // The failed update leaves the group ACTIVE at its old version: Rolling and Force again.
    let p = UpgradePlan::from_sim(&sim);
    let g = &p.nodegroups[0];
    assert_eq!(
        (g.status, g.version.as_str(), g.state.clone()),
        ("ACTIVE", "1.34", StepState::Ready)
    );
}

#[test]
fn a_self_managed_group_migrates_blue_green_one_button_at_a_time() {
    let mut spec = quick_spec();
    let ng = fixed_size(NodegroupSpec::self_managed("ng-self"), 2);
    spec.nodegroups.push(ng);
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", 2, 250, 256,
    )));
    let mut sim = lab(spec);
    let p = UpgradePlan::from_sim(&sim);
    assert_eq!(p.nodegroups[0].state, StepState::Later);
    assert!(p.nodegroups[0].actions.is_empty());
    assert_eq!(
        p.nodegroups[0].who.aws,
        "Nothing: EKS does not manage this Auto Scaling group or its AMI."
    );
    upgrade_control_plane(&mut sim);
    let step = |sim: &Simulation| UpgradePlan::from_sim(sim).nodegroups[0].actions.clone();
    let a = step(&sim);
    let labels: Vec<(&str, bool)> = a.iter().map(|a| (a.label.as_str(), a.enabled)).collect();
    assert_eq!(
        labels,
        [
            ("1. Create ng-self-1-35 at 1.35", true),
            ("2. Cordon and drain 2 old node(s)", false),
            ("3. Delete ng-self", false),
        ]
    );
    assert_eq!(
        a[0].commands[0].1,
        "eksctl create nodegroup --cluster=lab --name=ng-self-1-35 --managed=false --nodes=2 --nodes-min=2 --nodes-max=2"
    );
    for (c, _) in &a[0].commands {
        run(&mut sim, c.clone()).unwrap();
    }
    sim.run_for(SimDuration::from_mins(5));
    let a = step(&sim);
    assert!(a[1].enabled, "{a:#?}");
    let lines: Vec<&str> = a[1].commands.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.starts_with("kubectl drain ")
        && l.ends_with(" --ignore-daemonsets --delete-emptydir-data")));
    for (c, _) in &a[1].commands {
        run(&mut sim, c.clone()).unwrap();
    }
    sim.run_for(SimDuration::from_mins(2));
    let a = step(&sim);
    assert_eq!((a[1].enabled, a[2].enabled), (false, true), "{a:#?}");
    assert_eq!(
        a[2].commands[0].1,
        "eksctl delete nodegroup --cluster=lab --name=ng-self"
    );
    run(&mut sim, a[2].commands[0].0.clone()).unwrap();
    sim.run_for(SimDuration::from_mins(10));
    let p = UpgradePlan::from_sim(&sim);
    let groups: Vec<(&str, &str, &StepState)> = p
        .nodegroups
        .iter()
        .map(|g| (g.name.as_str(), g.version.as_str(), &g.state))
        .collect();
    assert_eq!(groups, [("ng-self-1-35", "1.35", &StepState::Done)]);
    assert_eq!(
        sim.state()
            .deployments
            .values()
            .find(|d| d.meta.name == "web")
            .unwrap()
            .status
            .ready_replicas,
        2
    );
}

#[test]
fn fargate_pods_keep_their_kubelet_until_restarted() {
    let mut spec = quick_spec();
    spec.fargate_profiles.push(FargateProfileSpec {
        name: "fp-batch".into(),
        selectors: vec![FargateProfileSelector {
            namespace: "batch".into(),
            labels: BTreeMap::new(),
        }],
        subnets: Vec::new(),
    });
    spec.manifests.push(namespace("batch"));
    spec.manifests.push(Manifest::Deployment(deployment(
        "batch", "worker", 2, 250, 256,
    )));
    let mut sim = lab(spec);
    let f = UpgradePlan::from_sim(&sim).fargate.unwrap();
    assert_eq!(
        (f.pods, f.old_pods, f.state.clone()),
        (2, 0, StepState::Later)
    );
    upgrade_control_plane(&mut sim);
    let f = UpgradePlan::from_sim(&sim).fargate.unwrap();
    assert_eq!(
        (f.pods, f.old_pods, f.state.clone()),
        (2, 2, StepState::Ready)
    );
    assert_eq!(f.kubelets, [("1.34".to_string(), 2)]);
    assert_eq!(f.workloads, ["batch/worker"]);
    assert_eq!(f.actions[0].label, "Restart deployment/worker");
    assert_eq!(
        f.actions[0].commands[0].1,
        "kubectl rollout restart deployment/worker -n batch"
    );
    run(&mut sim, f.actions[0].commands[0].0.clone()).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    let f = UpgradePlan::from_sim(&sim).fargate.unwrap();
    assert_eq!((f.pods, f.old_pods, f.state), (2, 0, StepState::Done));
    assert_eq!(f.kubelets, [("1.35".to_string(), 2)]);
}

#[test]
fn refusals_are_the_commands_own_messages() {
    // Not yet released on the lab's date: 1.35 reaches EKS on 2026-01-27.
    let mut spec = quick_spec();
    spec.start_date = Date::from_ymd(2025, 12, 1);
    spec.nodegroups.push(managed(1));
    let sim = lab(spec);
    let p = UpgradePlan::from_sim(&sim);
    assert_eq!(
        p.control_plane.state,
        StepState::Blocked(
            "Error: InvalidParameterException: Kubernetes 1.35 is not available on EKS until 2026-01-27 (lab date 2025-12-01)".into()
        )
    );
    assert_eq!(p.next.as_ref().map(|n| n.status), Some("not yet released"));
    assert_eq!(p.blocked.len(), 1);

    // Kubelet skew: a self-managed group three minors behind stops the control plane.
    let mut spec = quick_spec();
    let mut ng = fixed_size(NodegroupSpec::self_managed("old"), 1);
    ng.version = Some(v(31));
    spec.nodegroups.push(ng);
    let sim = lab(spec);
    let p = UpgradePlan::from_sim(&sim);
    let StepState::Blocked(m) = &p.control_plane.state else {
        panic!("{:?}", p.control_plane.state);
    };
    assert_eq!(
        m,
        "Error: kubelet version skew: the Kubernetes version skew policy lets a kubelet be at most 3 minor versions older than the API server (2 for kubelets before 1.25), and 1.35 would leave 1 node behind: old (1 node(s) at kubelet 1.31). Upgrade those nodes first"
    );
    assert_eq!(p.blocked, std::slice::from_ref(m));
    assert_eq!(p.cycle, "1.34");
}

#[test]
fn extended_support_costs_fifty_cents_more_per_hour() {
    let mut spec = quick_spec();
    spec.start_date = Date::from_ymd(2027, 1, 4);
    spec.nodegroups.push(managed(1));
    let sim = lab(spec);
    let p = UpgradePlan::from_sim(&sim);
    assert_eq!(
        (p.current.status, p.current.price_nusd_per_hour),
        ("extended support", 600_000_000)
    );
    assert_eq!(p.current.days_to_end_of_standard, -33);
    assert_eq!(
        p.estimate.support[0],
        "Kubernetes 1.34 left standard support on 2026-12-02: the control plane costs $0.60/h instead of $0.10/h; a version in standard support saves $0.50/h ($360.00 per 30 days)."
    );
    assert_eq!(
        sim.billing()
            .rate(eks_lab::sim::billing::CostComponent::ControlPlane),
        600_000_000
    );
}

#[test]
fn the_timeline_puts_every_update_on_one_axis() {
    let mut sim = managed_lab(2);
    upgrade_control_plane(&mut sim);
    run(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: true,
        },
    )
    .unwrap();
    sim.step_until(sim.now() + SimDuration::from_secs(45));
    let t = Timeline::from_sim(&sim);
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.start_secs, t.rows[0].phases[0].start_secs);
    assert_eq!(t.end_secs, sim.now().as_secs());
    let r = &t.rows[1];
    assert_eq!(
        (r.what.as_str(), r.status),
        ("1.35, force update", "InProgress")
    );
    let running: Vec<&str> = r
        .phases
        .iter()
        .filter(|b| b.running)
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(running, ["ScaleUp"]);
    // The second update starts where the first ended plus the time between them, on the
    // same axis: its bar begins right of the first row's bars.
    assert!(r.phases[0].left_permille > t.rows[0].phases[2].left_permille);
    let labels: Vec<&str> = t.ticks.iter().map(|(_, l)| l.as_str()).collect();
    assert!(
        !labels.is_empty() && labels.iter().all(|l| l.ends_with('m')),
        "{labels:?}"
    );
    assert_eq!(eks_lab::view::upgrade::duration_text(242), "4m 02s");
}

#[test]
fn third_party_add_ons_come_last_and_the_cluster_autoscaler_tracks_the_minor() {
    let mut spec = quick_spec();
    spec.nodegroups.push(managed(2));
    spec.cluster.addons.push(eks_lab::sim::spec::AddonSpec {
        name: eks_lab::sim::catalog::AddonName::MetricsServer,
        version: None,
    });
    spec.settings.cluster_autoscaler =
        Some(eks_lab::sim::spec::ClusterAutoscalerSettings::default());
    let mut sim = lab(spec);
    let p = UpgradePlan::from_sim(&sim);
    let third: Vec<(&str, &str, &str, Option<&str>)> = p
        .addons
        .iter()
        .filter(|a| a.third_party)
        .map(|a| {
            (
                a.name.as_str(),
                a.installed.as_str(),
                a.for_current.as_str(),
                a.for_target.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        third,
        [
            (
                "metrics-server",
                "v0.7.2-eksbuild.1",
                "v0.7.2-eksbuild.1",
                Some("v0.7.2-eksbuild.1")
            ),
            ("cluster-autoscaler", "v1.34.0", "v1.34.0", Some("v1.35.0")),
        ]
    );
    assert_eq!(p.order[3].title, "4. Third-party add-ons");
    assert_eq!(p.order[3].detail, "metrics-server, cluster-autoscaler");
    upgrade_control_plane(&mut sim);
    let p = UpgradePlan::from_sim(&sim);
    let ca = p
        .addons
        .iter()
        .find(|a| a.name == "cluster-autoscaler")
        .unwrap();
    assert_eq!(ca.state, StepState::Ready);
    let act = ca.action.as_ref().unwrap();
    assert_eq!(
        act.commands[0].1,
        "kubectl set image deployment/cluster-autoscaler cluster-autoscaler=registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0 -n kube-system"
    );
    run(&mut sim, act.commands[0].0.clone()).unwrap();
    sim.run_for(SimDuration::from_mins(2));
    let p = UpgradePlan::from_sim(&sim);
    let ca = p
        .addons
        .iter()
        .find(|a| a.name == "cluster-autoscaler")
        .unwrap();
    assert_eq!(
        (ca.installed.as_str(), &ca.state),
        ("v1.35.0", &StepState::Done)
    );
    let ms = p
        .addons
        .iter()
        .find(|a| a.name == "metrics-server")
        .unwrap();
    assert_eq!(ms.state, StepState::Done);
}

#[test]
fn the_upgrades_model_holds_the_plan_the_timeline_and_a_chart_per_group() {
    let mut spec = quick_spec();
    spec.nodegroups.push(managed(2));
    spec.nodegroups
        .push(fixed_size(NodegroupSpec::managed("ng-2"), 1));
    let mut sim = lab(spec);
    let m = eks_lab::view::upgrade::UpgradesModel::from_sim(&sim);
    assert_eq!(m.plan, UpgradePlan::from_sim(&sim));
    assert_eq!(m.timeline, Timeline::from_sim(&sim));
    let names: Vec<&str> = m.charts.iter().map(|(g, _)| g.as_str()).collect();
    let planned: Vec<&str> = m.plan.nodegroups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, planned);
    assert_eq!(m.chart("ng-2").unwrap().0, "ng-2");
    assert_eq!(
        m.chart("").unwrap().0,
        names[0],
        "no choice yet: the first group"
    );
    assert_eq!(
        m.chart("gone").unwrap().0,
        names[0],
        "a deleted group: the first"
    );
    // Before any update a chart shows the last hour; once the group is updated it starts five
    // minutes before the update.
    let (_, before) = m.chart("ng-1").unwrap();
    upgrade_control_plane(&mut sim);
    run(
        &mut sim,
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
    )
    .unwrap();
    let started = sim.now();
    sim.run_for(SimDuration::from_mins(2));
    let after = eks_lab::view::upgrade::UpgradesModel::from_sim(&sim);
    let (_, series) = after.chart("ng-1").unwrap();
    assert_ne!(series, before);
    assert_eq!(
        series,
        &ChartSeries::for_nodegroup(
            sim.metrics().samples(),
            "ng-1",
            SimTime::from_secs(started.as_secs().saturating_sub(300)),
        )
    );
}
