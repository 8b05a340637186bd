use eks_lab::sim::{Simulation, spec::{LabSpec, NodegroupSpec, FargateProfileSpec, Manifest}, clock::SimDuration};
use eks_lab::sim::api::*;
use eks_lab::sim::eks::FargateProfileSelector;
use eks_lab::sim::quantity::*;
use std::collections::BTreeMap;
fn main() {
    let mut spec = LabSpec::default();
    spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
    spec.fargate_profiles.push(FargateProfileSpec{ name: "fp-batch".into(), selectors: vec![FargateProfileSelector{namespace:"batch".into(), labels: BTreeMap::new()}], subnets: vec![]});
    let mut labels = BTreeMap::new(); labels.insert("app".to_string(), "web".to_string());
    let dep = |ns: &str, name: &str, replicas: u64, cpu: u64| {
        let mut l = BTreeMap::new(); l.insert("app".to_string(), name.to_string());
        Deployment { meta: ObjectMeta::named(ns, name), spec: DeploymentSpec { replicas, selector: LabelSelector::from_labels(l.clone()), template: PodTemplateSpec { labels: l, annotations: BTreeMap::new(), spec: PodSpec { containers: vec![Container{ name: name.into(), image: "nginx:1.27".into(), requests: Resources::new(cpu, 256*MIB), ..Default::default()}], ..Default::default() } }, strategy: DeploymentStrategy::default(), min_ready_seconds: 0, paused: false }, status: Default::default() }
    };
    spec.manifests.push(Manifest::Namespace(Namespace{ meta: ObjectMeta::named("", "batch")}));
    spec.manifests.push(Manifest::Deployment(dep("default","web", 6, 500)));
    spec.manifests.push(Manifest::Deployment(dep("batch","worker", 2, 1000)));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(30));
    for e in sim.events().all() { println!("{e}"); }
    for n in sim.state().nodes.values() { println!("{} {} {} {:?} pods={}", n.name(), n.instance_type, n.zone, n.status.allocatable, sim.state().pods_on_node(n.name()).count()); }
    for p in sim.state().pods.values() { println!("{} {} {:?} {:?}", p.meta.key(), p.display_status(), p.spec.node_name, p.meta.annotations.get("CapacityProvisioned")); }
    println!("cost µ$ {} rate {}", sim.billing().total_micro_usd(), sim.billing().total_rate());
    for c in eks_lab::sim::billing::CostComponent::ALL { println!("  {:?} {}", c, sim.billing().micro_usd(c)); }
}
