//! The cluster view at scale: past `MAX_NODE_CARDS` nodes or `MAX_POD_CHIPS` pods it is drawn
//! by AZ, node group and capacity type, with summed bars and pod counts, and one group can be
//! opened to show its nodes.

use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::spec::{LabSpec, Manifest, NodegroupSpec};
use eks_lab::view::cluster::{
    Capacity, ClusterView, DataPlaneKind, GroupView, MAX_NODE_CARDS, MAX_OPEN_CARDS,
    MAX_PENDING_CHIPS, MAX_POD_CHIPS,
};

use super::support::{deployment, fixed_size, quick_spec};

fn lab(on_demand: i32, spot: i32, replicas: i32) -> Simulation {
    let mut spec: LabSpec = quick_spec();
    spec.nodegroups
        .push(fixed_size(NodegroupSpec::managed("ng-od"), on_demand));
    if spot > 0 {
        let mut ng = fixed_size(NodegroupSpec::managed("ng-spot"), spot);
        ng.spot = true;
        spec.nodegroups.push(ng);
    }
    spec.manifests.push(Manifest::Deployment(deployment(
        "default", "web", replicas, 100, 128,
    )));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(10));
    sim
}

fn groups(v: &ClusterView) -> Vec<(&str, &GroupView)> {
    v.zones
        .iter()
        .flat_map(|z| z.groups.iter().map(move |g| (z.zone.as_str(), g)))
        .collect()
}

#[test]
fn a_small_cluster_is_drawn_node_by_node() {
    let sim = lab(3, 0, 6);
    let v = ClusterView::from_sim(&sim);
    assert!(!v.by_group);
    let cards: usize = groups(&v).iter().map(|(_, g)| g.nodes.len()).sum();
    assert_eq!(cards, 3);
    assert!(groups(&v).iter().all(|(_, g)| g.capacity.is_none()));
    let chips: usize = groups(&v)
        .iter()
        .flat_map(|(_, g)| &g.nodes)
        .map(|n| n.chips.len())
        .sum();
    // The six web pods and the system pods (CoreDNS, aws-node, kube-proxy) are chips.
    assert_eq!(
        chips,
        sim.state()
            .pods
            .values()
            .filter(|p| p.spec.node_name.is_some())
            .count()
    );
}

#[test]
fn past_the_card_limit_the_cluster_is_drawn_by_group_with_exact_sums() {
    let sim = lab(MAX_NODE_CARDS as i32 - 9, 10, 300);
    let st = sim.state();
    assert_eq!(st.nodes.len(), MAX_NODE_CARDS + 1);
    let v = ClusterView::from_sim(&sim);
    assert!(v.by_group, "{} nodes", st.nodes.len());
    assert_eq!((v.node_total, v.pod_total), (st.nodes.len(), st.pods.len()));
    let gs = groups(&v);
    // No node cards until a group is opened.
    assert!(gs.iter().all(|(_, g)| g.nodes.is_empty() && !g.open));
    // Split by AZ, node group and capacity type: the spot group is Spot, the other On-Demand.
    for (_, g) in &gs {
        let want = if g.name == "ng-spot" {
            Capacity::Spot
        } else {
            Capacity::OnDemand
        };
        assert_eq!(g.capacity, Some(want), "{}", g.name);
        assert_eq!(g.kind, DataPlaneKind::Managed);
    }
    // The sums add up to the cluster's nodes and the pods bound to them.
    let nodes: u64 = gs.iter().map(|(_, g)| g.summary.nodes).sum();
    assert_eq!(nodes, st.nodes.len() as u64);
    let ready: u64 = gs.iter().map(|(_, g)| g.summary.ready).sum();
    assert_eq!(
        ready,
        st.nodes.values().filter(|n| n.is_ready()).count() as u64
    );
    let occupying: u64 = gs.iter().map(|(_, g)| g.summary.pods).sum();
    let want = st
        .pods
        .values()
        .filter(|p| p.spec.node_name.is_some() && p.occupies_node())
        .count() as u64;
    assert_eq!(occupying, want);
    let running: u64 = gs.iter().map(|(_, g)| g.summary.running).sum();
    assert_eq!(
        running,
        st.pods
            .values()
            .filter(|p| p.spec.node_name.is_some()
                && p.status.phase == eks_lab::sim::api::PodPhase::Running
                && !p.is_terminating())
            .count() as u64
    );
    let cpu: u64 = gs.iter().map(|(_, g)| g.summary.cpu_allocatable).sum();
    assert_eq!(
        cpu,
        st.nodes
            .values()
            .map(|n| n.status.allocatable.cpu.0)
            .sum::<u64>()
    );
    // Each group's summary equals the sum of its node cards once opened.
    for (zone, g) in &gs {
        let open = ClusterView::open(&sim, g.key(zone).as_ref());
        let (_, og) = groups(&open)
            .into_iter()
            .find(|(z, o)| z == zone && o.name == g.name && o.capacity == g.capacity)
            .unwrap();
        assert!(og.open);
        assert_eq!(og.nodes.len() as u64, g.summary.nodes);
        assert_eq!(
            og.nodes.iter().map(|n| n.cpu_requested).sum::<u64>(),
            g.summary.cpu_requested
        );
        assert_eq!(og.nodes.iter().map(|n| n.pods).sum::<u64>(), g.summary.pods);
        // The others stay closed.
        assert_eq!(groups(&open).iter().filter(|(_, o)| o.open).count(), 1);
    }
}

#[test]
fn at_the_card_limit_the_cluster_is_still_drawn_node_by_node() {
    let sim = lab(MAX_NODE_CARDS as i32, 0, 10);
    assert_eq!(sim.state().nodes.len(), MAX_NODE_CARDS);
    assert!(!ClusterView::from_sim(&sim).by_group);
}

#[test]
fn past_the_chip_limit_too_and_an_opened_group_shows_at_most_its_cap() {
    // Three nodes and more pods than chips: drawn by group because of the pods.
    let sim = lab(3, 0, MAX_POD_CHIPS as i32);
    assert!(sim.state().pods.len() > MAX_POD_CHIPS);
    assert!(ClusterView::from_sim(&sim).by_group);
    let sim = lab(MAX_OPEN_CARDS as i32 + 20, 0, MAX_POD_CHIPS as i32);
    let v = ClusterView::from_sim(&sim);
    assert!(v.by_group);
    let (zone, biggest) = groups(&v)
        .into_iter()
        .max_by_key(|(_, g)| g.summary.nodes)
        .unwrap();
    let open = ClusterView::open(&sim, biggest.key(zone).as_ref());
    let (_, og) = groups(&open).into_iter().find(|(_, g)| g.open).unwrap();
    assert_eq!(
        og.nodes.len() as u64,
        og.summary.nodes.min(MAX_OPEN_CARDS as u64)
    );
}

#[test]
fn the_unscheduled_tray_lists_its_first_pods_and_counts_all() {
    // Two small nodes cannot hold 400 pods of 100m: most stay Pending.
    let sim = lab(2, 0, 400);
    let v = ClusterView::from_sim(&sim);
    let pending = sim
        .state()
        .pods
        .values()
        .filter(|p| p.spec.node_name.is_none() && !p.status.phase.is_terminal())
        .count();
    assert!(pending > MAX_PENDING_CHIPS, "{pending} pending");
    assert_eq!(v.pending_total, pending);
    assert_eq!(v.pending.len(), MAX_PENDING_CHIPS);
}
