//! The Vertical Pod Autoscaler end to end: the recommendation under steady traffic, each
//! update mode, the updater's limits (minReplicas, eviction tolerance, PodDisruptionBudgets),
//! in-place resize and its fallback, resource policies, Fargate right-sizing and its saving,
//! what happens without its pods or without metrics, manifest errors and the export round
//! trip.

use eks_lab::scenario::{Severity, load, to_yaml};
use eks_lab::sim::Simulation;
use eks_lab::sim::api::vpa::VerticalPodAutoscaler;
use eks_lab::sim::api::{ObjectKey, Pod, PodPhase};
use eks_lab::sim::clock::SimTime;
use eks_lab::sim::controllers::vertical_pod_autoscaler::{SavingsCompute, savings};
use eks_lab::sim::event::Event;
use eks_lab::sim::quantity::{MIB, Resources};
use eks_lab::view::console::run_query;

const CLUSTER: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nmanagedNodeGroups: [{name: ng}]\naddons: [{name: metrics-server}]\n";

/// A Deployment `web` (in `default`) with one container `web`.
fn deployment(replicas: u64, resources: &str) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: web, image: nginx, resources: {resources}}}]}}\n"
    )
}

/// A VPA `web` for Deployment `web`; `extra` is added to its spec.
fn vpa(mode: &str, extra: &str) -> String {
    format!(
        "---\napiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  targetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  updatePolicy: {{updateMode: \"{mode}\"}}\n{extra}"
    )
}

/// The Lab document: the VPA installed, 100 req/s × 10 ms of CPU on `web`, and `more` lines
/// of spec.
fn lab(rps: u64, more: &str) -> String {
    format!(
        "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: t}}\nspec:\n  skipClusterCreation: true\n  verticalPodAutoscaler: true\n  traffic: [{{deployment: web, rps: {rps}, cpuPerRequest: 10m}}]\n{more}"
    )
}

fn start(text: &str) -> Simulation {
    let loaded = load(text).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    Simulation::new(loaded.spec).unwrap()
}

fn at_min(sim: &mut Simulation, m: u64) {
    sim.step_until(SimTime::from_mins(m));
}

fn web_vpa(sim: &Simulation) -> &VerticalPodAutoscaler {
    &sim.state().vpas[&ObjectKey::new("default", "web")]
}

fn web_pods(sim: &Simulation) -> Vec<&Pod> {
    sim.state()
        .pods
        .values()
        .filter(|p| {
            p.meta.labels.get("app").map(String::as_str) == Some("web") && !p.is_terminating()
        })
        .collect()
}

fn events<'a>(sim: &'a Simulation, reason: &str) -> Vec<&'a Event> {
    sim.events()
        .all()
        .iter()
        .filter(|e| e.reason == reason)
        .collect()
}

fn explanation(sim: &Simulation) -> String {
    web_vpa(sim).status.explanation.join("\n")
}

/// The target the recommender must reach for a steady `usage_m` millicores per pod: the end
/// of the histogram bucket holding it (buckets start at 10m × (1.05^n − 1) / 0.05), truncated
/// to millicores, plus 15% (truncated), at least 25m.
fn expected_cpu_target(usage_m: u64) -> u64 {
    let start = |n: i32| 10.0 * (1.05f64.powi(n) - 1.0) / 0.05;
    let mut n = 0;
    while start(n + 1) <= usage_m as f64 {
        n += 1;
    }
    let end = start(n + 1) as u64;
    (end + end * 15 / 100).max(25)
}

#[test]
fn steady_traffic_converges_to_the_exact_target_and_off_changes_nothing() {
    // 100 req/s × 10 ms over 2 ready pods + 10m idle = 510m per pod; memory 64 MiB idle +
    // 50 × 256 KiB in flight = 76.5 MiB, under the 250 MiB per-pod minimum.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Off", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    assert_eq!(expected_cpu_target(510), 587);
    at_min(&mut sim, 3);
    let uids: Vec<(String, u64)> = web_pods(&sim)
        .iter()
        .map(|p| (p.meta.name.clone(), p.meta.uid))
        .collect();
    assert_eq!(uids.len(), 2);
    // The first recommendation comes within a few minutes of the pods starting, and is exact.
    let target = Resources::new(587, 250 * MIB);
    for minutes in [4, 60, 6 * 60] {
        at_min(&mut sim, minutes);
        let r = &web_vpa(&sim).status.recommendations[0];
        assert_eq!(r.container_name, "web");
        assert_eq!(r.target, target, "at {minutes} minutes");
        assert_eq!(r.uncapped_target, target);
        assert!(r.lower_bound.cpu.0 <= 587 && r.upper_bound.cpu.0 >= 587);
    }
    // The bounds narrow as history grows: after 6 hours the upper bound is ×(1 + 1/0.25).
    let r = &web_vpa(&sim).status.recommendations[0];
    assert!(r.upper_bound.cpu.0 < 5 * 600, "{:?}", r.upper_bound);
    let e = explanation(&sim);
    assert!(
        e.contains("cpu: P90 of 5h") && e.contains("of usage = 511m (the top of its 5%-wide histogram bucket), +15% margin = 587m → target 587m; request today 1 → would save 413m per pod"),
        "{e}"
    );
    assert!(
        e.contains("raised to the 250Mi per-pod minimum → target 250Mi"),
        "{e}"
    );
    assert!(e.contains("updater: mode Off"), "{e}");
    // Off: the same pods, untouched.
    let now: Vec<(String, u64)> = web_pods(&sim)
        .iter()
        .map(|p| (p.meta.name.clone(), p.meta.uid))
        .collect();
    assert_eq!(now, uids);
    for p in web_pods(&sim) {
        assert_eq!(p.requests(), Resources::new(1000, 1024 * MIB));
        assert!(!p.meta.annotations.contains_key("vpaUpdates"));
    }
    assert!(events(&sim, "EvictedByVPA").is_empty());
    let table = run_query(&sim, "kubectl get vpa").unwrap().unwrap();
    assert_eq!(
        table,
        "NAME   MODE   CPU    MEM     PROVIDED   AGE\nweb    Off    587m   250Mi   True       5h58m\n"
    );
}

#[test]
fn initial_applies_at_creation_only() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(
            2,
            "{requests: {cpu: \"1\", memory: 1Gi}, limits: {memory: 2Gi}}"
        ),
        vpa("Initial", ""),
        lab(
            100,
            "  timeline:\n    - at: 3h\n      run: kubectl rollout restart deployment web\n"
        )
    );
    let mut sim = start(&text);
    at_min(&mut sim, 170);
    // Running pods are left alone, however long they run.
    for p in web_pods(&sim) {
        assert_eq!(p.requests(), Resources::new(1000, 1024 * MIB));
    }
    assert!(explanation(&sim).contains("updater: mode Initial"));
    at_min(&mut sim, 200);
    let pods = web_pods(&sim);
    assert_eq!(pods.len(), 2);
    for p in pods {
        assert_eq!(
            p.requests(),
            Resources::new(587, 250 * MIB),
            "{}",
            p.meta.name
        );
        // The memory limit keeps its 2:1 ratio to the request.
        assert_eq!(p.spec.containers[0].limits.memory.0, 500 * MIB);
        assert_eq!(
            p.meta.annotations["vpaUpdates"],
            "Pod resources updated by web: container 0: cpu request, memory request, memory limit"
        );
        assert_eq!(p.meta.annotations["vpaObservedContainers"], "web");
    }
    assert!(events(&sim, "EvictedByVPA").is_empty());
    assert!(explanation(&sim).contains("admission: web-"));
}

#[test]
fn recreate_evicts_half_at_a_time_and_new_pods_get_the_recommendation() {
    // 4 pods asking 100m while each uses 260m: below the lower bound after a few minutes.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(4, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 30);
    let evicted = events(&sim, "EvictedByVPA");
    assert!(evicted.len() >= 4, "{evicted:?}");
    // The first round takes exactly half: eviction tolerance 50% of 4.
    let first = evicted[0].time;
    assert_eq!(evicted.iter().filter(|e| e.time == first).count(), 2);
    assert_eq!(
        evicted[0].message,
        "Pod was evicted by VPA Updater to apply resource recommendation."
    );
    assert_eq!(events(&sim, "EvictedPod").len(), evicted.len());
    // Every pod now runs with the VPA's requests, set by the admission controller.
    let pods = web_pods(&sim);
    assert_eq!(pods.len(), 4);
    for p in &pods {
        assert!(
            p.requests().cpu.0 > 100,
            "{}: {:?}",
            p.meta.name,
            p.requests()
        );
        assert_eq!(p.requests().memory.0, 250 * MIB);
        assert!(p.meta.annotations["vpaUpdates"].starts_with("Pod resources updated by web"));
    }
    let log: Vec<String> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.source == "vpa-updater")
        .map(ToString::to_string)
        .collect();
    assert!(
        log.iter()
            .any(|l| l.contains("verticalpodautoscaler/web VPA Updater evicted Pod web-")),
        "{log:?}"
    );
}

#[test]
fn recreate_explains_the_eviction_it_makes() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(4, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    let first = loop {
        let now = sim.now();
        sim.step_until(SimTime::from_secs(now.as_secs() + 60));
        if !events(&sim, "EvictedByVPA").is_empty() {
            break explanation(&sim);
        }
        assert!(sim.now() < SimTime::from_mins(30), "no eviction");
    };
    assert!(
        first.contains("updater: evicting web-")
            && first.contains("(cpu request 100m outside ")
            && first.contains("at most 2 of 4 pods may go at once (eviction tolerance 50%)"),
        "{first}"
    );
}

#[test]
fn never_below_min_replicas() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(1, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 60);
    assert!(events(&sim, "EvictedByVPA").is_empty());
    let e = explanation(&sim);
    assert!(
        e.contains("updater: not evicting: only 1 live replica (minReplicas 2)"),
        "{e}"
    );
    // minReplicas: 1 on the VPA lets the single pod go.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(1, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", "").replace(
            "updateMode: \"Recreate\"",
            "updateMode: \"Recreate\", minReplicas: 1"
        ),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 30);
    assert_eq!(events(&sim, "EvictedByVPA").len(), 1);
}

#[test]
fn a_pdb_without_disruptions_blocks_the_updater() {
    let pdb = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web-pdb}\nspec:\n  maxUnavailable: 0\n  selector: {matchLabels: {app: web}}\n";
    let text = format!(
        "{CLUSTER}{}{pdb}{}{}",
        deployment(4, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 60);
    assert!(events(&sim, "EvictedByVPA").is_empty());
    let e = explanation(&sim);
    assert!(
        e.contains("PodDisruptionBudget web-pdb allows no disruption now (Cannot evict pod as it would violate the pod's disruption budget.)"),
        "{e}"
    );
    // The updater tries every pod (none has gone, so the tolerance allows each); each refusal
    // is reported once, not every minute.
    let blocked = events(&sim, "EvictionBlocked");
    assert_eq!(blocked.len(), 4, "{blocked:?}");
    assert!(blocked.iter().all(|e| e.time == blocked[0].time));
    for p in web_pods(&sim) {
        assert_eq!(p.requests().cpu.0, 100);
    }
}

#[test]
fn in_place_or_recreate_resizes_running_pods_in_place() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("InPlaceOrRecreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 2);
    let before: Vec<(String, u64)> = web_pods(&sim)
        .iter()
        .map(|p| (p.meta.name.clone(), p.meta.uid))
        .collect();
    let said = loop {
        let now = sim.now();
        sim.step_until(SimTime::from_secs(now.as_secs() + 60));
        if !events(&sim, "InPlaceResizedByVPA").is_empty() {
            break explanation(&sim);
        }
        assert!(sim.now() < SimTime::from_mins(20), "no resize");
    };
    assert!(
        said.contains("updater: resized web-")
            && said.contains(" in place (cpu request 100m outside ")
            && said.contains("the pod keeps running (same name and uid, no restart)"),
        "{said}"
    );
    at_min(&mut sim, 20);
    let after: Vec<(String, u64)> = web_pods(&sim)
        .iter()
        .map(|p| (p.meta.name.clone(), p.meta.uid))
        .collect();
    assert_eq!(after, before, "same pods, same uids");
    // Resizing in place keeps both pods serving, so usage stays at 510m each and the target
    // at 587m / 250Mi: exactly what the pods now ask for.
    assert_eq!(
        web_vpa(&sim).status.recommendations[0].target,
        Resources::new(587, 250 * MIB)
    );
    for p in web_pods(&sim) {
        assert_eq!(p.status.phase, PodPhase::Running);
        assert_eq!(p.status.restart_count, 0);
        assert_eq!(
            p.requests(),
            Resources::new(587, 250 * MIB),
            "{}",
            p.meta.name
        );
        assert_eq!(p.meta.annotations["vpaInPlaceUpdated"], "true");
    }
    assert!(events(&sim, "EvictedByVPA").is_empty());
    let resized = events(&sim, "InPlaceResizedByVPA");
    assert!(resized.len() >= 2);
    assert_eq!(
        resized[0].message,
        "Pod was resized in place by VPA Updater."
    );
    let done = events(&sim, "ResizeCompleted");
    assert!(
        done[0]
            .message
            .starts_with("Pod resize completed: {\"containers\":[{\"name\":\"web\",\"resources\":{\"requests\":{\"cpu\":\""),
        "{}",
        done[0].message
    );
    // One pod at a time: the second waits for the next minute (tolerance 50% of 2).
    assert_eq!(resized.len(), 2);
    assert_eq!(
        resized[1].time.as_millis() - resized[0].time.as_millis(),
        60_000
    );
    // The kubelet's own events: the resize started and completed, the pod was not restarted.
    assert_eq!(events(&sim, "ResizeStarted").len(), 2);
    assert!(
        events(&sim, "Killing")
            .iter()
            .all(|e| !e.object.name.starts_with("web-"))
    );
}

#[test]
fn in_place_falls_back_to_eviction_when_the_node_lacks_room() {
    // 400 req/s over 2 pods: 2010m each, so the target is above an m5.large's 1930m.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("InPlaceOrRecreate", ""),
        lab(400, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 15);
    let infeasible = events(&sim, "ResizeInfeasible");
    assert!(!infeasible.is_empty());
    assert!(
        infeasible[0]
            .message
            .contains("\"error\":\"Node didn't have enough capacity: cpu, requested: "),
        "{}",
        infeasible[0].message
    );
    let evicted = events(&sim, "EvictedByVPA");
    assert!(!evicted.is_empty());
    // A pod found infeasible is evicted at a later updater loop (one pod of the two may be
    // changed at a time, so the other's attempt can make it wait a minute).
    let tried = infeasible
        .iter()
        .find(|e| e.object == evicted[0].object)
        .expect("the evicted pod was resized first");
    assert!(evicted[0].time.as_millis() - tried.time.as_millis() >= 60_000);
    assert!(
        events(&sim, "EvictedByVPA")
            .iter()
            .all(|e| infeasible.iter().any(|i| i.object == e.object))
    );
    // Its replacement asks for more than a node has: it waits for a bigger node.
    assert!(
        web_pods(&sim)
            .iter()
            .any(|p| p.status.phase == PodPhase::Pending && p.requests().cpu.0 > 1930)
    );
}

#[test]
fn a_deferred_resize_falls_back_to_eviction_after_five_minutes() {
    // One m5.large (1930m allocatable): system pods 575m, a 900m filler and the two web pods
    // at 100m leave 255m, less than the 487m a resize to 587m adds, though 587m alone fits.
    let cluster = CLUSTER.replace(
        "managedNodeGroups: [{name: ng}]",
        "managedNodeGroups: [{name: ng, minSize: 1, desiredCapacity: 1, maxSize: 1}]",
    );
    let filler = deployment(1, "{requests: {cpu: 900m}}")
        .replace("web", "filler")
        .replace("image: nginx", "image: busybox");
    let text = format!(
        "{cluster}{filler}{}{}{}",
        deployment(2, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("InPlaceOrRecreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 20);
    let deferred = events(&sim, "ResizeDeferred");
    assert!(!deferred.is_empty());
    assert!(
        deferred[0]
            .message
            .contains("\"error\":\"Node didn't have enough resource: cpu, requested: 587, used: 1575, capacity: 1930\""),
        "{}",
        deferred[0].message
    );
    let evicted = events(&sim, "EvictedByVPA");
    assert!(!evicted.is_empty());
    let first = deferred
        .iter()
        .find(|e| e.object == evicted[0].object)
        .unwrap();
    // `DeferredResizeUpdateTimeout`: more than 5 minutes deferred, then evicted.
    assert_eq!(
        evicted[0].time.as_millis() - first.time.as_millis(),
        6 * 60_000
    );
}

#[test]
fn resource_policy_caps_the_target_and_keeps_the_uncapped_one() {
    let policy = "  resourcePolicy:\n    containerPolicies:\n      - containerName: '*'\n        maxAllowed: {cpu: 300m}\n        minAllowed: {memory: 300Mi}\n";
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Off", policy),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 60);
    let r = &web_vpa(&sim).status.recommendations[0];
    assert_eq!(r.target, Resources::new(300, 300 * MIB));
    assert_eq!(r.uncapped_target, Resources::new(587, 250 * MIB));
    assert!(r.upper_bound.cpu.0 <= 300 && r.lower_bound.memory.0 >= 300 * MIB);
    let e = explanation(&sim);
    assert!(
        e.contains("capped by the resourcePolicy to 300m (uncapped target 587m kept)"),
        "{e}"
    );
    let d = run_query(&sim, "kubectl describe vpa web")
        .unwrap()
        .unwrap();
    for want in [
        "      Container Name:  *\n      Max Allowed:\n        Cpu:  300m\n      Min Allowed:\n        Memory:  300Mi\n",
        "      Target:\n        Cpu:     300m\n        Memory:  300Mi\n      Uncapped Target:\n        Cpu:     587m\n        Memory:  250Mi\n",
    ] {
        assert!(d.contains(want), "{d}");
    }
    assert!(d.starts_with("Name:         web\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  autoscaling.k8s.io/v1\nKind:         VerticalPodAutoscaler\nMetadata:\n"), "{d}");
    let y = run_query(&sim, "kubectl get vpa web -o yaml")
        .unwrap()
        .unwrap();
    assert!(
        y.starts_with("apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\n"),
        "{y}"
    );
    assert!(
        y.contains("      uncappedTarget:\n        cpu: 587m\n        memory: 250Mi\n"),
        "{y}"
    );
}

#[test]
fn fargate_pods_are_right_sized_and_the_saving_is_exact() {
    let cluster = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nmanagedNodeGroups: [{name: ng}]\nfargateProfiles: [{name: fp-shop, selectors: [{namespace: shop}]}]\naddons: [{name: metrics-server}]\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    let dep = deployment(
        2,
        "{requests: {cpu: \"1\", memory: 2Gi}, limits: {cpu: \"1\", memory: 2Gi}}",
    )
    .replace(
        "metadata: {name: web}",
        "metadata: {name: web, namespace: shop}",
    );
    let v = vpa("Recreate", "").replace(
        "metadata: {name: web}",
        "metadata: {name: web, namespace: shop}",
    );
    let l = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  skipClusterCreation: true\n  verticalPodAutoscaler: true\n  traffic: [{deployment: web, namespace: shop, rps: 20, cpuPerRequest: 10m}]\n";
    let mut sim = start(&format!("{cluster}{dep}{v}{l}"));
    let key = ObjectKey::new("shop", "web");
    let shop_pods = |sim: &Simulation| -> Vec<Pod> {
        sim.state()
            .pods
            .values()
            .filter(|p| p.meta.namespace == "shop" && !p.is_terminating())
            .cloned()
            .collect()
    };
    at_min(&mut sim, 10);
    for p in shop_pods(&sim) {
        assert_eq!(p.meta.annotations["CapacityProvisioned"], "1vCPU 3GB");
    }
    // 1 vCPU / 2 GiB + 256 MB → 1 vCPU / 3 GB at $0.053815/h; the recommendation (126m, the
    // 250Mi minimum) + 256 MB → 0.25 vCPU / 0.5 GB at $0.0123425/h.
    let s = savings(&sim, &key).unwrap();
    assert_eq!(s.replicas, 2);
    assert_eq!(s.current_per_pod, Resources::new(1000, 2048 * MIB));
    assert_eq!(s.recommended_per_pod, Resources::new(126, 250 * MIB));
    match &s.compute {
        SavingsCompute::Fargate {
            before,
            after,
            rate_before,
            rate_after,
        } => {
            assert_eq!(before.to_string(), "1vCPU 3GB");
            assert_eq!(after.to_string(), "0.25vCPU 0.5GB");
            assert_eq!((*rate_before, *rate_after), (53_815_000, 12_342_500));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.nusd_per_hour, 2 * (53_815_000 - 12_342_500));
    assert!(
        s.explanation
            .iter()
            .any(|l| l.contains("1vCPU 3GB ($0.053815/h) → 0.25vCPU 0.5GB ($0.0123425/h) per pod, saves $0.0414725/h per pod, saves $0.082945/h for 2 pods")),
        "{:?}",
        s.explanation
    );
    // Recreate: once the history says 2 GiB is far above the upper bound, the pods are
    // recreated at the smaller size.
    at_min(&mut sim, 3 * 60);
    assert!(!events(&sim, "EvictedByVPA").is_empty());
    let pods = shop_pods(&sim);
    assert_eq!(pods.len(), 2);
    for p in &pods {
        assert_eq!(
            p.meta.annotations["CapacityProvisioned"], "0.25vCPU 0.5GB",
            "{}",
            p.meta.name
        );
        assert_eq!(p.spec.containers[0].limits, p.spec.containers[0].requests);
    }
}

#[test]
fn ec2_savings_price_the_freed_requests() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Off", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 30);
    let s = savings(&sim, &ObjectKey::new("default", "web")).unwrap();
    // m5.large: $0.096/h for 2 vCPU and 8 GiB, split 2 × 0.04048 : 8 × 0.004445.
    let SavingsCompute::Ec2 {
        instance_type,
        vcpu_nusd_per_hour,
        gib_nusd_per_hour,
        ..
    } = &s.compute
    else {
        panic!("{:?}", s.compute)
    };
    assert_eq!(instance_type, "m5.large");
    assert_eq!(
        (*vcpu_nusd_per_hour, *gib_nusd_per_hour),
        (
            96_000_000 * 40_480_000 / 116_520_000,
            96_000_000 * 4_445_000 / 116_520_000
        )
    );
    // Freed: 2 × (1000m − 587m) and 2 × (1024 − 250) MiB.
    let want = 826 * vcpu_nusd_per_hour / 1000 + (1548 * MIB) * gib_nusd_per_hour / (1024 * MIB);
    assert_eq!(s.nusd_per_hour, want as i64);
}

#[test]
fn without_its_pods_or_metrics_there_is_no_recommendation() {
    // No metrics-server: the recommender has nothing to learn from.
    let no_metrics = CLUSTER.replace("addons: [{name: metrics-server}]\n", "");
    let text = format!(
        "{no_metrics}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Recreate", ""),
        lab(100, "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 30);
    assert!(web_vpa(&sim).status.recommendations.is_empty());
    assert!(
        explanation(&sim).contains("recommender: no pod metrics: the metrics-server add-on is not installed or its pod is not Ready"),
        "{}",
        explanation(&sim)
    );
    assert_eq!(
        run_query(&sim, "kubectl get vpa").unwrap().unwrap(),
        "NAME   MODE       CPU   MEM   PROVIDED   AGE\nweb    Recreate               False      28m\n"
    );
    // The VPA not installed at all: a clear word instead of silence.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Recreate", ""),
        lab(100, "").replace("  verticalPodAutoscaler: true\n", "")
    );
    let mut sim = start(&text);
    at_min(&mut sim, 10);
    assert!(web_vpa(&sim).status.recommendations.is_empty());
    assert!(explanation(&sim).contains("the Vertical Pod Autoscaler is not installed"));
    // No recommender pod.
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: \"1\", memory: 1Gi}}"),
        vpa("Recreate", ""),
        lab(
            100,
            "  timeline:\n    - at: 1s\n      run: kubectl delete deployment vpa-recommender -n kube-system\n"
        )
    );
    let mut sim = start(&text);
    at_min(&mut sim, 10);
    assert!(web_vpa(&sim).status.recommendations.is_empty());
    assert!(
        explanation(&sim).contains("recommender: no Ready vpa-recommender pod in kube-system, so no recommendation is computed"),
        "{}",
        explanation(&sim)
    );
}

#[test]
fn without_the_admission_controller_new_pods_keep_their_requests() {
    let text = format!(
        "{CLUSTER}{}{}{}",
        deployment(2, "{requests: {cpu: 100m, memory: 256Mi}}"),
        vpa("Recreate", ""),
        lab(
            100,
            "  timeline:\n    - at: 1s\n      run: kubectl delete deployment vpa-admission-controller -n kube-system\n    - at: 20m\n      run: kubectl rollout restart deployment web\n"
        )
    );
    let mut sim = start(&text);
    at_min(&mut sim, 30);
    // The updater refuses to evict, and recreated pods keep the template's requests.
    assert!(events(&sim, "EvictedByVPA").is_empty());
    assert!(!web_vpa(&sim).status.recommendations.is_empty());
    for p in web_pods(&sim) {
        assert_eq!(p.requests(), Resources::new(100, 256 * MIB));
        assert!(!p.meta.annotations.contains_key("vpaUpdates"));
    }
    assert!(
        explanation(&sim).contains(
            "updater: the vpa-admission-controller is not Ready, so the updater evicts nothing"
        ),
        "{}",
        explanation(&sim)
    );
}

#[test]
fn manifest_mistakes_are_positioned_in_the_file() {
    let bad = format!(
        "{CLUSTER}{}---\napiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  targetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  updatePolicy:\n    updateMode: Off\n  resourcePolicy:\n    containerPolicies:\n      - containerName: web\n        maxAllowed: {{cpu: 1, gpu: 1}}\n{}",
        deployment(1, "{requests: {cpu: 100m}}"),
        lab(100, "")
    );
    let errors: Vec<String> = load(&bad)
        .unwrap_err()
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errors,
        [
            "error: document 3, line 23, column 17: spec.updatePolicy.updateMode: Invalid value: \"boolean\": spec.updatePolicy.updateMode in body must be of type string: \"boolean\" (kubectl reads an unquoted Off as a YAML 1.1 boolean: write \"Off\" in quotes)",
            "error: document 3, line 27, column 30: spec.resourcePolicy.containerPolicies[0].maxAllowed.gpu: unknown resource name \"gpu\": the VPA controls cpu and memory",
        ]
    );
}

#[test]
fn scenarios_with_vpas_round_trip() {
    let policy = "  resourcePolicy:\n    containerPolicies:\n      - containerName: '*'\n        minAllowed: {cpu: 50m, memory: 100Mi}\n        maxAllowed: {cpu: 2}\n      - containerName: sidecar\n        mode: \"Off\"\n      - containerName: web\n        controlledResources: [memory]\n        controlledValues: RequestsOnly\n        minAllowed: {}\n";
    for v in [
        vpa("Off", ""),
        vpa("Initial", policy),
        vpa("InPlaceOrRecreate", policy).replace(
            "updateMode: \"InPlaceOrRecreate\"",
            "updateMode: \"InPlaceOrRecreate\", minReplicas: 3",
        ),
        vpa("Auto", ""),
    ] {
        let text = format!(
            "{CLUSTER}{}{v}{}",
            deployment(2, "{requests: {cpu: 100m}}"),
            lab(100, "")
        );
        let spec = load(&text).unwrap().spec;
        let yaml = to_yaml(&spec);
        let back = load(&yaml).unwrap_or_else(|d| panic!("{d:?}\n{yaml}"));
        assert_eq!(back.spec, spec, "{yaml}");
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    }
}

#[test]
fn the_lesson_example_shows_the_recommendation_and_the_saving() {
    let text = std::fs::read_to_string(format!("{}/examples/vpa.yaml", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    let loaded = load(&text).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let mut sim = Simulation::new(loaded.spec.clone()).unwrap();
    // The lesson's 3 hours: the target the comments promise, both pods recreated with it.
    sim.step_until(SimTime::from_mins(3 * 60));
    let key = ObjectKey::new("default", "web");
    let v = &sim.state().vpas[&key];
    assert_eq!(
        v.status.recommendations[0].target,
        Resources::new(379, 250 * MIB)
    );
    assert_eq!(events(&sim, "EvictedByVPA").len(), 2);
    for p in web_pods(&sim) {
        assert_eq!(p.requests(), Resources::new(379, 250 * MIB));
    }
    let s = savings(&sim, &key).unwrap();
    assert!(s.nusd_per_hour > 0, "{s:?}");
    // The updater's events on the VPA show in `kubectl get events` as on a real cluster.
    let ev = run_query(&sim, "kubectl get events").unwrap().unwrap();
    assert!(
        ev.lines()
            .any(|l| l.contains("EvictedPod") && l.contains("verticalpodautoscaler/web")),
        "{ev}"
    );
    // Same scenario, same log.
    let mut again = Simulation::new(loaded.spec).unwrap();
    again.step_until(SimTime::from_mins(3 * 60));
    assert_eq!(again.digest(), sim.digest());
}
