//! Property tests over many random labs: after every step, the invariants hold (no
//! overcommitted node, no pod over max pods, no pod lost or duplicated, min <= desired <= max,
//! cost never decreasing, event times never decreasing), and PodDisruptionBudgets are
//! respected by drains.

use crate::support;

use eks_lab::sim::Simulation;
use eks_lab::sim::api::IntOrPercent;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::command::{Command, DrainOptions};
use eks_lab::sim::rng::SimRng;
use eks_lab::sim::spec::{Manifest, NodegroupSpec};
use support::{check_invariants, deployment, pdb, quick_spec, random_spec};

const SEEDS: u64 = 60;

#[test]
fn invariants_hold_after_every_step_of_random_labs() {
    for seed in 0..SEEDS {
        let mut sim =
            Simulation::new(random_spec(seed)).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let mut chaos = SimRng::stream(seed, "chaos");
        let mut cost = [0u64; 5];
        let mut ev = (0u64, 0usize);
        for step in 0..2400 {
            // Now and then a learner cordons, drains or uncordons a random node.
            if step % 120 == 60 && !sim.state().nodes.is_empty() {
                let names: Vec<String> = sim.state().nodes.keys().cloned().collect();
                let node = names[chaos.index(names.len())].clone();
                let cmd = match chaos.index(3) {
                    0 => Command::Cordon {
                        node,
                        unschedulable: true,
                    },
                    1 => Command::Cordon {
                        node,
                        unschedulable: false,
                    },
                    _ => Command::Drain {
                        node,
                        options: DrainOptions {
                            ignore_daemonsets: true,
                            delete_emptydir_data: true,
                            force: true,
                            disable_eviction: false,
                        },
                    },
                };
                sim.submit(cmd, "chaos");
            }
            sim.step();
            if let Err(e) = check_invariants(&sim, &mut cost, &mut ev) {
                panic!("seed {seed}, t={}: {e}", sim.now());
            }
        }
    }
}

#[test]
fn drains_never_take_a_protected_deployment_below_its_budget() {
    for seed in 0..20 {
        let mut spec = quick_spec();
        spec.seed = seed;
        let mut ng = NodegroupSpec::managed("ng");
        ng.min_size = 4;
        ng.desired_capacity = 4;
        ng.max_size = 4;
        spec.nodegroups.push(ng);
        spec.manifests.push(Manifest::Deployment(deployment(
            "default", "web", 4, 200, 128,
        )));
        spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
            "default",
            "web",
            Some(IntOrPercent::Int(3)),
            None,
        )));
        let mut sim = Simulation::new(spec).unwrap();
        sim.run_for(SimDuration::from_mins(5));
        let ready = |sim: &Simulation| {
            sim.state()
                .pods
                .values()
                .filter(|p| {
                    p.meta.labels.get("app").map(String::as_str) == Some("web")
                        && p.is_ready()
                        && !p.is_terminating()
                })
                .count()
        };
        assert_eq!(ready(&sim), 4, "seed {seed}: web is up before the drains");
        let mut r = SimRng::stream(seed, "drains");
        // Drain the nodes one after another without waiting; evictions must queue behind the PDB.
        let nodes: Vec<String> = sim.state().nodes.keys().cloned().collect();
        for (i, node) in nodes.iter().enumerate().take(3) {
            let opts = DrainOptions {
                ignore_daemonsets: true,
                ..DrainOptions::default()
            };
            sim.submit(
                Command::Drain {
                    node: node.clone(),
                    options: opts,
                },
                format!("kubectl drain {node}"),
            );
            for _ in 0..r.between(1, 40) + i as u64 {
                sim.step();
                assert!(
                    ready(&sim) >= 3,
                    "seed {seed}, t={}: only {} ready web pods (budget 3)",
                    sim.now(),
                    ready(&sim)
                );
            }
        }
        for _ in 0..900 {
            sim.step();
            assert!(
                ready(&sim) >= 3,
                "seed {seed}, t={}: only {} ready web pods",
                sim.now(),
                ready(&sim)
            );
        }
        // Three of four nodes are cordoned and drained; web ends up on the last one... or Pending
        // if it does not fit, but the budget held throughout.
        assert!(
            sim.state()
                .nodes
                .values()
                .filter(|n| n.spec.unschedulable)
                .count()
                >= 3
        );
    }
}

/// Random managed node groups go through a control plane upgrade and a rolling node group
/// update: the invariants hold after every step, a PDB-protected deployment never drops below
/// its budget (the update is not forced), and the group ends at its original sizes with every
/// node at the new version.
#[test]
fn rolling_updates_keep_the_invariants_and_the_budget() {
    use eks_lab::sim::catalog::KubernetesVersion;
    use eks_lab::sim::eks::{NodegroupUpdateConfig, UpdateStatus, UpdateStrategy};
    const TYPES: [&str; 3] = ["m5.large", "m5.xlarge", "c5.large"];
    for seed in 0..12 {
        let mut r = SimRng::stream(seed, "rolling-updates");
        let mut spec = quick_spec();
        spec.seed = seed;
        let mut ng = NodegroupSpec::managed("ng");
        ng.instance_types = vec![TYPES[r.index(TYPES.len())].to_string()];
        // Small draws: they fit the API's int32 counts.
        let mut small = |lo: u64, hi: u64| i32::try_from(r.between(lo, hi)).unwrap();
        ng.min_size = small(2, 4);
        ng.desired_capacity = ng.min_size;
        ng.max_size = ng.min_size + small(0, 2);
        ng.update_config = if r.index(2) == 0 {
            NodegroupUpdateConfig::MaxUnavailable(i32::try_from(r.between(1, 2)).unwrap())
        } else {
            NodegroupUpdateConfig::MaxUnavailablePercentage(
                i32::try_from(r.between(10, 60)).unwrap(),
            )
        };
        ng.update_strategy = if r.index(3) == 0 {
            UpdateStrategy::Minimal
        } else {
            UpdateStrategy::Default
        };
        let original = (ng.min_size, ng.desired_capacity, ng.max_size);
        spec.nodegroups.push(ng);
        let replicas = i32::try_from(r.between(2, 5)).unwrap();
        let budget = replicas - 1;
        spec.manifests.push(Manifest::Deployment(deployment(
            "default", "web", replicas, 200, 128,
        )));
        spec.manifests.push(Manifest::PodDisruptionBudget(pdb(
            "default",
            "web",
            Some(IntOrPercent::Int(budget)),
            None,
        )));
        let mut sim = Simulation::new(spec).unwrap();
        let mut cost = [0u64; 5];
        let mut ev = (0u64, 0usize);
        sim.run_for(SimDuration::from_mins(5));
        sim.submit(
            Command::UpgradeCluster {
                version: None,
                approve: true,
            },
            "eksctl upgrade cluster --name=lab --approve",
        );
        sim.run_for(SimDuration::from_mins(20));
        assert_eq!(sim.state().cluster.version, KubernetesVersion::new(35));
        sim.submit(
            Command::UpgradeNodegroup {
                name: "ng".into(),
                version: None,
                force: false,
            },
            "eksctl upgrade nodegroup --cluster=lab --name=ng",
        );
        let ready = |sim: &Simulation| {
            sim.state()
                .pods
                .values()
                .filter(|p| {
                    p.meta.labels.get("app").map(String::as_str) == Some("web")
                        && p.is_ready()
                        && !p.is_terminating()
                })
                .count()
        };
        let budget_pods = usize::try_from(budget).unwrap();
        for _ in 0..(3 * 3600) {
            sim.step();
            if let Err(e) = check_invariants(&sim, &mut cost, &mut ev) {
                panic!("seed {seed}, t={}: {e}", sim.now());
            }
            assert!(
                ready(&sim) >= budget_pods,
                "seed {seed}, t={}: {} ready web pods, budget {budget}",
                sim.now(),
                ready(&sim)
            );
            if sim
                .state()
                .updates
                .last()
                .is_some_and(|u| !u.is_in_progress())
            {
                break;
            }
        }
        let u = sim.state().updates.last().unwrap();
        assert_eq!(u.status, UpdateStatus::Successful, "seed {seed}: {u:#?}");
        let s = sim.state().nodegroups["ng"].scaling;
        assert_eq!(
            (s.min_size, s.desired_size, s.max_size),
            original,
            "seed {seed}"
        );
        sim.run_for(SimDuration::from_mins(5));
        assert!(
            sim.state()
                .nodes
                .values()
                .all(|n| n.status.kubelet_version == "v1.35.0-eks"),
            "seed {seed}"
        );
    }
}
