//! The HorizontalPodAutoscaler end to end: labs built from scenario YAML (so the manifest
//! decoder runs too), driven through the public API, with upstream's outcomes: the 15-second
//! sync, the 10% tolerance, the five-minute scale-down window, the scale-up limits, min/max
//! clamping, missing metrics-server, memory and multiple metrics, custom behaviors, `kubectl
//! autoscale`, `kubectl get/describe hpa`, and the scenario round trip.

use eks_lab::cli::{CommandContext, parse_command};
use eks_lab::scenario::{self, Severity, to_yaml};
use eks_lab::sim::Simulation;
use eks_lab::sim::api::{HorizontalPodAutoscaler, ObjectKey};
use eks_lab::sim::clock::{SimDuration, SimTime};
use eks_lab::sim::command::Command;
use eks_lab::sim::spec::Manifest;
use eks_lab::view::console::run_query;

/// A lab: three m5.large nodes, optionally the metrics-server add-on, a `web` Deployment
/// with 200m CPU and 256Mi memory requests, the HPA `spec` given, and the Lab `spec` extras
/// (traffic, timeline).
fn lab(metrics_server: bool, replicas: u64, hpa_spec: Option<&str>, lab_extra: &str) -> String {
    let addons = if metrics_server {
        "addons: [{name: metrics-server}]\n"
    } else {
        ""
    };
    let hpa = hpa_spec.map_or(String::new(), |s| {
        format!(
            "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n{s}"
        )
    });
    format!(
        "apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {{name: lab}}
{addons}managedNodeGroups: [{{name: ng, instanceType: m5.large, desiredCapacity: 3, minSize: 3, maxSize: 3}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec: {{containers: [{{name: web, image: nginx, resources: {{requests: {{cpu: 200m, memory: 256Mi}}}}}}]}}
{hpa}---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata: {{name: t}}
spec:
  skipClusterCreation: true
{lab_extra}"
    )
}

/// The HPA spec lines for a CPU utilization target.
fn cpu_hpa(min: u64, max: u64, target: u64) -> String {
    format!(
        "  minReplicas: {min}\n  maxReplicas: {max}\n  metrics: [{{type: Resource, resource: {{name: cpu, target: {{type: Utilization, averageUtilization: {target}}}}}}}]\n"
    )
}

fn sim(text: &str) -> Simulation {
    let spec = scenario::load(text)
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .spec;
    Simulation::new(spec).unwrap()
}

fn key() -> ObjectKey {
    ObjectKey::new("default", "web")
}

fn hpa(sim: &Simulation) -> &HorizontalPodAutoscaler {
    &sim.state().hpas[&key()]
}

fn replicas(sim: &Simulation) -> i32 {
    sim.state().deployments[&key()].spec.replicas
}

/// `(time, message)` of every event with this reason from the HPA controller.
fn hpa_events(sim: &Simulation, reason: &str) -> Vec<(SimTime, String)> {
    sim.events()
        .all()
        .iter()
        .filter(|e| e.source == "horizontal-pod-autoscaler" && e.reason == reason)
        .map(|e| (e.time, e.message.clone()))
        .collect()
}

fn rescales(sim: &Simulation) -> Vec<(SimTime, String)> {
    hpa_events(sim, "SuccessfulRescale")
}

/// Steps until the HPA has synced with an explanation containing `line`; returns the time.
fn step_until_explained(sim: &mut Simulation, line: &str, limit: SimDuration) -> SimTime {
    let end = sim.now() + limit;
    while sim.now() < end {
        sim.step();
        let Some(h) = sim.state().hpas.get(&key()) else {
            continue;
        };
        let e = &h.status.explanation;
        if e.time == sim.now() && e.lines.iter().any(|l| l.contains(line)) {
            return sim.now();
        }
    }
    panic!(
        "no sync explained {line:?} by {end}; last: {:#?}",
        hpa(sim).status.explanation
    );
}

/// Two pods at 100% of their CPU request: 38 req/s × 10m over 2 pods = 190m, plus 10m idle.
const FULL_LOAD: &str = "  traffic: [{deployment: web, rps: 38, cpuPerRequest: 10m}]\n";

#[test]
fn two_pods_at_double_the_target_become_four_on_the_next_sync() {
    let mut sim = sim(&lab(true, 2, Some(&cpu_hpa(2, 10, 50)), FULL_LOAD));
    let t = step_until_explained(
        &mut sim,
        "cpu: average 100% of request across 2 pods",
        SimDuration::from_mins(10),
    );
    assert_eq!(replicas(&sim), 4);
    assert_eq!(
        hpa(&sim).status.explanation.lines,
        [
            "cpu: average 100% of request across 2 pods (target 50%)",
            "ratio 2.00 > 1.1 (tolerance 10%): scale up",
            "proposal ceil(2 × 2.00) = 4",
            "stabilized (window 300 s): 4",
            "scale-up limit max(2 × 2, 4) = 4",
            "within 2..10: 4",
            "scale the Deployment 2 → 4",
        ]
    );
    assert_eq!(
        rescales(&sim),
        [(
            t,
            "New size: 4; reason: cpu resource utilization (percentage of request) above target"
                .to_string()
        )]
    );
    // Syncs run every 15 s from the HPA's creation.
    let created = hpa(&sim).meta.creation_timestamp;
    assert_eq!((t.as_secs() - created.as_secs()) % 15, 0);
    let st = &hpa(&sim).status;
    assert_eq!((st.current_replicas, st.desired_replicas), (2, 4));
    assert_eq!(st.last_scale_time, Some(t));
    assert_eq!(
        st.condition("AbleToScale").map(|c| c.reason.as_str()),
        Some("SucceededRescale")
    );
    // Four pods share the load: 105m each is 52%, within tolerance, so it stays at 4.
    sim.run_for(SimDuration::from_mins(10));
    assert_eq!(replicas(&sim), 4);
    assert_eq!(rescales(&sim).len(), 1);
}

#[test]
fn a_five_percent_deviation_does_not_rescale() {
    // 19 req/s × 10m over 2 pods = 95m + 10m = 105m: 52% of 200m, ratio 1.04.
    let traffic = "  traffic: [{deployment: web, rps: 19, cpuPerRequest: 10m}]\n";
    let mut sim = sim(&lab(true, 2, Some(&cpu_hpa(2, 10, 50)), traffic));
    step_until_explained(
        &mut sim,
        "ratio 1.04 within 0.9..1.1 (tolerance 10%): no change",
        SimDuration::from_mins(10),
    );
    sim.run_for(SimDuration::from_mins(15));
    assert!(rescales(&sim).is_empty(), "{:?}", rescales(&sim));
    assert_eq!(replicas(&sim), 2);
}

#[test]
fn replicas_drop_only_after_the_300_s_stabilization_window() {
    // Full load for the first 6 minutes, then almost none.
    let traffic = "  traffic: [{deployment: web, spike: {base: 2, peak: 38, at: 0s, for: 6m}, cpuPerRequest: 10m}]\n";
    let mut sim = sim(&lab(true, 2, Some(&cpu_hpa(2, 10, 50)), traffic));
    sim.run_for(SimDuration::from_mins(5));
    assert_eq!(replicas(&sim), 4);
    // The first sync that sees the drop: 10m + 2 × 10m / 4 = 15m is 7%, ratio 0.14.
    let t = step_until_explained(
        &mut sim,
        "proposal ceil(4 × 0.14) = 1",
        SimDuration::from_mins(5),
    );
    assert_eq!(
        hpa(&sim).status.explanation.lines[2..],
        [
            "proposal ceil(4 × 0.14) = 1",
            "stabilized (window 300 s): 4, the highest recommendation of the last 300 s",
            "within 2..10: 4",
            "no change: 4",
        ]
    );
    sim.step_until(t + SimDuration::from_secs(299));
    assert_eq!(replicas(&sim), 4, "still inside the window at +299 s");
    sim.step_until(t + SimDuration::from_secs(300));
    assert_eq!(replicas(&sim), 2, "the window has passed at +300 s");
    assert_eq!(
        rescales(&sim).last().unwrap(),
        &(
            t + SimDuration::from_secs(300),
            "New size: 2; reason: All metrics below target".to_string()
        )
    );
    let limited = hpa(&sim).status.condition("ScalingLimited").unwrap();
    assert_eq!(
        (limited.status, limited.reason.as_str()),
        (true, "TooFewReplicas")
    );
}

/// Sizes of the successive rescales.
fn sizes(sim: &Simulation) -> Vec<u64> {
    rescales(sim)
        .iter()
        .map(|(_, m)| {
            m.trim_start_matches("New size: ")
                .split(';')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect()
}

#[test]
fn the_default_scale_up_policy_allows_max_of_double_and_four_more_per_15_s() {
    // 198 req/s × 10m over 2 pods: 1000m each, 500% of request, ten times the target.
    let traffic = "  traffic: [{deployment: web, rps: 198, cpuPerRequest: 10m}]\n";
    // A behavior (here only for scale-down) turns on the default scale-up policies.
    let spec = format!(
        "{}  behavior: {{scaleDown: {{stabilizationWindowSeconds: 60}}}}\n",
        cpu_hpa(2, 20, 50)
    );
    let mut sim = sim(&lab(true, 2, Some(&spec), traffic));
    step_until_explained(
        &mut sim,
        "proposal ceil(2 × 10.00) = 20",
        SimDuration::from_mins(10),
    );
    assert_eq!(replicas(&sim), 6);
    assert!(
        hpa(&sim)
            .status
            .explanation
            .lines
            .contains(&"scale-up limit max(+4 pods → 6, 100% → 4) = 6".to_string())
    );
    let limited = hpa(&sim).status.condition("ScalingLimited").unwrap();
    assert_eq!(
        (limited.status, limited.reason.as_str()),
        (true, "ScaleUpLimit")
    );
    sim.run_for(SimDuration::from_mins(5));
    let sizes = sizes(&sim);
    assert_eq!(sizes[0], 6);
    let mut previous = 2;
    for (i, s) in sizes.iter().enumerate() {
        assert!(
            *s <= (2 * previous).max(previous + 4),
            "step {i}: {previous} → {s}"
        );
        if i > 0 {
            let gap = rescales(&sim)[i].0.as_secs() - rescales(&sim)[i - 1].0.as_secs();
            assert!(gap >= 15, "{gap}");
        }
        previous = *s;
    }
    assert_eq!(*sizes.last().unwrap(), 20);

    // Without a behavior the controller's classic limit applies: max(2 × 2, 4) = 4.
    let mut classic = sim_for(traffic, &cpu_hpa(2, 20, 50));
    step_until_explained(
        &mut classic,
        "proposal ceil(2 × 10.00) = 20",
        SimDuration::from_mins(10),
    );
    assert_eq!(replicas(&classic), 4);
}

fn sim_for(traffic: &str, spec: &str) -> Simulation {
    sim(&lab(true, 2, Some(spec), traffic))
}

#[test]
fn min_and_max_clamp_with_the_scaling_limited_condition() {
    let mut capped = sim_for(FULL_LOAD, &cpu_hpa(2, 3, 50));
    step_until_explained(
        &mut capped,
        "proposal ceil(2 × 2.00) = 4",
        SimDuration::from_mins(10),
    );
    assert_eq!(replicas(&capped), 3);
    let c = hpa(&capped).status.condition("ScalingLimited").unwrap();
    assert_eq!(
        (c.status, c.reason.as_str(), c.message.as_str()),
        (
            true,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count"
        )
    );
    assert_eq!(
        hpa(&capped).status.explanation.lines.last().unwrap(),
        "scale the Deployment 2 → 3"
    );

    // Almost no load: the proposal is 1, below minReplicas once the window has passed.
    let idle = "  traffic: [{deployment: web, rps: 0}]\n";
    let mut floor = sim_for(idle, &cpu_hpa(2, 10, 50));
    floor.run_for(SimDuration::from_mins(10));
    assert_eq!(replicas(&floor), 2);
    let c = hpa(&floor).status.condition("ScalingLimited").unwrap();
    assert_eq!(
        (c.status, c.reason.as_str(), c.message.as_str()),
        (
            true,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count"
        )
    );
    assert!(rescales(&floor).is_empty());
}

#[test]
fn without_metrics_server_nothing_scales_and_the_hpa_warns_once() {
    let mut sim = sim(&lab(false, 2, Some(&cpu_hpa(2, 10, 50)), FULL_LOAD));
    sim.run_for(SimDuration::from_mins(10));
    assert_eq!(replicas(&sim), 2);
    assert!(rescales(&sim).is_empty());
    let cause = "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)";
    let warnings = hpa_events(&sim, "FailedGetResourceMetric");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].1, cause);
    assert_eq!(
        hpa_events(&sim, "FailedComputeMetricsReplicas")[0].1,
        format!(
            "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {cause}"
        )
    );
    let c = hpa(&sim).status.condition("ScalingActive").unwrap();
    assert_eq!(
        (c.status, c.reason.as_str(), c.message.clone()),
        (
            false,
            "FailedGetResourceMetric",
            format!("the HPA was unable to compute the replica count: {cause}")
        )
    );
    let table = run_query(&sim, "kubectl get hpa").unwrap().unwrap();
    assert!(table.contains("cpu: <unknown>/50%"), "{table}");
}

#[test]
fn pods_without_a_cpu_request_cannot_be_autoscaled_on_cpu() {
    let text = lab(true, 2, Some(&cpu_hpa(2, 10, 50)), FULL_LOAD).replace(
        "requests: {cpu: 200m, memory: 256Mi}",
        "requests: {memory: 256Mi}",
    );
    let mut sim = sim(&text);
    sim.run_for(SimDuration::from_mins(8));
    assert!(rescales(&sim).is_empty());
    let warnings = hpa_events(&sim, "FailedGetResourceMetric");
    let last = &warnings.last().unwrap().1;
    assert!(
        last.starts_with(
            "failed to get cpu utilization: missing request for cpu in container web of Pod web-"
        ),
        "{last}"
    );
    let c = hpa(&sim).status.condition("ScalingActive").unwrap();
    assert_eq!(c.reason, "FailedGetResourceMetric");
}

#[test]
fn memory_targets_scale_on_memory_use() {
    // 100 req/s × 2Mi over 2 pods = 100Mi + 64Mi idle = 164Mi: 64% of 256Mi, ratio 1.28.
    let traffic =
        "  traffic: [{deployment: web, rps: 100, cpuPerRequest: 1m, memoryPerRequest: 2Mi}]\n";
    let spec = "  minReplicas: 2\n  maxReplicas: 10\n  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 50}}}]\n";
    let mut sim = sim_for(traffic, spec);
    step_until_explained(
        &mut sim,
        "memory: average 64% of request across 2 pods",
        SimDuration::from_mins(10),
    );
    assert_eq!(replicas(&sim), 3);
    assert_eq!(
        rescales(&sim)[0].1,
        "New size: 3; reason: memory resource utilization (percentage of request) above target"
    );
    let describe = run_query(&sim, "kubectl describe hpa web")
        .unwrap()
        .unwrap();
    assert!(
        describe
            .contains("resource memory on pods  (as a percentage of request):  64% (164Mi) / 50%"),
        "{describe}"
    );
}

#[test]
fn two_metrics_take_the_larger_proposal() {
    // CPU: 100% of request against 80% → ceil(2 × 1.25) = 3.
    // Memory: 64Mi + 38 × 5Mi / 2 = 159Mi, 62% against 40% → ceil(2 × 1.55) = 4.
    let traffic = "  traffic: [{deployment: web, rps: 38, cpuPerRequest: 10m, memoryPerRequest: 5Mi}]\n  timeline:\n    - at: 5m\n      run: kubectl autoscale deployment web --cpu=80% --memory=40% --min=2 --max=10\n";
    let mut sim = sim(&lab(true, 2, None, traffic));
    step_until_explained(&mut sim, "largest proposal: 4", SimDuration::from_mins(6));
    let lines = &hpa(&sim).status.explanation.lines;
    assert!(
        lines.contains(&"proposal ceil(2 × 1.25) = 3".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"proposal ceil(2 × 1.55) = 4".to_string()),
        "{lines:#?}"
    );
    assert_eq!(replicas(&sim), 4);
    assert_eq!(
        rescales(&sim)[0].1,
        "New size: 4; reason: memory resource utilization (percentage of request) above target"
    );
}

#[test]
fn a_custom_scale_down_policy_removes_one_pod_per_minute() {
    let idle = "  traffic: [{deployment: web, rps: 0}]\n";
    let spec = format!(
        "{}  behavior:\n    scaleDown:\n      policies: [{{type: Pods, value: 1, periodSeconds: 60}}]\n",
        cpu_hpa(1, 10, 50)
    );
    let mut sim = sim(&lab(true, 6, Some(&spec), idle));
    sim.run_for(SimDuration::from_mins(15));
    assert_eq!(sizes(&sim), [5, 4, 3, 2, 1]);
    let times: Vec<u64> = rescales(&sim).iter().map(|(t, _)| t.as_secs()).collect();
    for w in times.windows(2) {
        assert_eq!(w[1] - w[0], 60, "{times:?}");
    }
    // The first step waits for the default 300 s scale-down window after the first sync.
    let created = hpa(&sim).meta.creation_timestamp.as_secs();
    assert_eq!(times[0], created + 300);
    assert!(
        rescales(&sim)
            .iter()
            .all(|(_, m)| m.ends_with("; reason: All metrics below target"))
    );
}

#[test]
fn scaling_is_disabled_while_the_deployment_has_zero_replicas() {
    let extra = format!(
        "{FULL_LOAD}  timeline:\n    - at: 4m\n      run: kubectl scale deployment web --replicas=0\n"
    );
    let mut sim = sim(&lab(true, 2, Some(&cpu_hpa(2, 10, 50)), &extra));
    sim.run_for(SimDuration::from_mins(8));
    assert_eq!(replicas(&sim), 0);
    let c = hpa(&sim).status.condition("ScalingActive").unwrap();
    assert_eq!(
        (c.status, c.reason.as_str(), c.message.as_str()),
        (
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero"
        )
    );
}

#[test]
fn kubectl_autoscale_creates_the_same_hpa_as_the_manifest() {
    let text = lab(true, 2, Some(&cpu_hpa(2, 10, 50)), "");
    let from_manifest = scenario::load(&text)
        .unwrap()
        .spec
        .manifests
        .into_iter()
        .find(|m| matches!(m, Manifest::HorizontalPodAutoscaler(_)))
        .unwrap();
    let from_kubectl = parse_command(
        "kubectl autoscale deployment web --cpu-percent=50 --min=2 --max=10",
        &CommandContext::new("lab"),
    );
    assert_eq!(from_kubectl, Ok(Command::Create(from_manifest)));
}

#[test]
fn kubectl_get_and_describe_hpa() {
    let mut sim = sim_for(FULL_LOAD, &cpu_hpa(2, 10, 50));
    sim.run_for(SimDuration::from_mins(10));
    let table = run_query(&sim, "kubectl get hpa").unwrap().unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines,
        [
            "NAME   REFERENCE        TARGETS        MINPODS   MAXPODS   REPLICAS   AGE",
            "web    Deployment/web   cpu: 52%/50%   2         10        4          8m33s",
        ]
    );
    let all = run_query(&sim, "kubectl get horizontalpodautoscalers -A")
        .unwrap()
        .unwrap();
    assert!(all.starts_with("NAMESPACE   NAME   REFERENCE "), "{all}");
    let describe = run_query(&sim, "kubectl describe hpa web")
        .unwrap()
        .unwrap();
    let head: Vec<&str> = describe.lines().take(17).collect();
    assert_eq!(
        head,
        [
            "Name:                                                  web",
            "Namespace:                                             default",
            "Labels:                                                <none>",
            "Annotations:                                           <none>",
            "CreationTimestamp:                                     Sun, 01 Nov 2026 00:01:27 +0000",
            "Reference:                                             Deployment/web",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  52% (105m) / 50%",
            "Min replicas:                                          2",
            "Max replicas:                                          10",
            "Deployment pods:                                       4 current / 4 desired",
            "Conditions:",
            "  Type            Status  Reason              Message",
            "  ----            ------  ------              -------",
            "  AbleToScale     True    ReadyForNewScale    recommended size matches current size",
            "  ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
            "  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range",
        ]
    );
    assert!(describe.contains(
        "  Normal   SuccessfulRescale             7m48s  horizontal-pod-autoscaler  New size: 4; reason: cpu resource utilization (percentage of request) above target"
    ), "{describe}");
    let yaml = run_query(&sim, "kubectl get hpa web -o yaml")
        .unwrap()
        .unwrap();
    assert!(
        yaml.starts_with("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains(
            "      current:\n        averageUtilization: 52\n        averageValue: 105m\n"
        ),
        "{yaml}"
    );
    assert_eq!(
        run_query(&sim, "kubectl describe hpa nope").unwrap(),
        Err(
            "Error from server (NotFound): horizontalpodautoscalers.autoscaling \"nope\" not found"
                .to_string()
        )
    );
}

#[test]
fn describe_shows_the_behavior_with_its_defaults() {
    let spec = format!(
        "{}  behavior:\n    scaleDown:\n      policies: [{{type: Pods, value: 1, periodSeconds: 60}}]\n",
        cpu_hpa(1, 10, 50)
    );
    let mut sim = sim_for("", &spec);
    sim.run_for(SimDuration::from_mins(3));
    let describe = run_query(&sim, "kubectl describe hpa web")
        .unwrap()
        .unwrap();
    let start = describe.find("Behavior:").unwrap();
    let block: Vec<&str> = describe[start..].lines().take(13).collect();
    assert_eq!(
        block,
        [
            "Behavior:",
            "  Scale Up:",
            "    Stabilization Window: 0 seconds",
            "    Select Policy: Max",
            "    Policies:",
            "      - Type: Pods     Value: 4    Period: 15 seconds",
            "      - Type: Percent  Value: 100  Period: 15 seconds",
            "  Scale Down:",
            "    Select Policy: Max",
            "    Policies:",
            // kubectl's tabwriter aligns this policy line with the next one only.
            "      - Type: Pods  Value: 1  Period: 60 seconds",
            "Deployment pods:    2 current / 2 desired",
            "Conditions:",
        ]
    );
}

#[test]
fn hpas_round_trip_through_the_scenario_file() {
    let full = "  minReplicas: 3\n  maxReplicas: 12\n  metrics:\n    - type: Resource\n      resource: {name: cpu, target: {type: AverageValue, averageValue: 300m}}\n    - type: Resource\n      resource: {name: memory, target: {type: AverageValue, averageValue: 500M}}\n    - type: Resource\n      resource: {name: memory, target: {type: Utilization, averageUtilization: 70}}\n  behavior:\n    scaleUp:\n      stabilizationWindowSeconds: 30\n      selectPolicy: Min\n      tolerance: \"0.05\"\n      policies: [{type: Percent, value: 50, periodSeconds: 30}]\n    scaleDown:\n      selectPolicy: Disabled\n";
    for spec in [
        full.to_string(),
        cpu_hpa(2, 10, 50),
        format!("{}  behavior: {{}}\n", cpu_hpa(1, 4, 60)),
    ] {
        let loaded = scenario::load(&lab(true, 2, Some(&spec), FULL_LOAD))
            .unwrap()
            .spec;
        let text = to_yaml(&loaded);
        assert_eq!(scenario::load(&text).map(|l| l.spec), Ok(loaded), "{text}");
    }
    // A timeline `kubectl autoscale` line round-trips as written.
    let extra = "  timeline:\n    - at: 5m\n      run: kubectl autoscale deployment web --cpu=70% --max=6\n";
    let loaded = scenario::load(&lab(true, 2, None, extra)).unwrap().spec;
    let text = to_yaml(&loaded);
    assert!(
        text.contains("run: kubectl autoscale deployment web --cpu=70% --max=6"),
        "{text}"
    );
    assert_eq!(scenario::load(&text).map(|l| l.spec), Ok(loaded));
}

#[test]
fn manifest_errors_are_positioned() {
    let head = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n";
    for (body, line, column, path, message) in [
        (
            "  maxReplicas: 5\n",
            9,
            3,
            "spec.scaleTargetRef",
            "required field is missing",
        ),
        (
            "  scaleTargetRef: {kind: Deployment, name: web}\n  minReplicas: 6\n  maxReplicas: 5\n",
            11,
            16,
            "spec.maxReplicas",
            "Invalid value: 5: must be greater than or equal to `minReplicas`",
        ),
        (
            "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 5\n  metrics:\n    - type: Pods\n      pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: 10}}\n",
            12,
            13,
            "spec.metrics[0].type",
            "metric type Pods is not modelled: the lab models Resource metrics only (cpu and memory from metrics-server)",
        ),
        (
            "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 5\n  metrics: [{type: External, external: {}}]\n",
            11,
            20,
            "spec.metrics[0].type",
            "metric type External is not modelled: the lab models Resource metrics only (cpu and memory from metrics-server)",
        ),
        (
            "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 5\n  metrics: [{type: Object}]\n",
            11,
            20,
            "spec.metrics[0].type",
            "metric type Object is not modelled: the lab models Resource metrics only (cpu and memory from metrics-server)",
        ),
        (
            "  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 5\n  behaviour: {}\n",
            11,
            3,
            "spec.behaviour",
            "unknown field \"behaviour\" (did you mean \"behavior\"?)",
        ),
    ] {
        let diags = scenario::load(&format!("{head}{body}")).unwrap_err();
        let d = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        assert_eq!(
            (
                d.document,
                d.line,
                d.column,
                d.path.as_str(),
                d.message.as_str()
            ),
            (2, line, column, path, message),
            "{body}"
        );
    }
}
