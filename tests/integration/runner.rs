//! The facts sheet pinned through the command-line runner: each test writes a scenario file,
//! runs `ekslab run FILE --json` and reads the numbers back from the report.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn scenario_file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("runner-scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text).unwrap();
    path
}

fn ekslab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ekslab"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run_json(name: &str, text: &str, extra: &[&str]) -> Value {
    let path = scenario_file(name, text);
    let mut args = vec!["run", path.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let (code, out, err) = ekslab(&args);
    assert_eq!(code, 0, "ekslab failed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

/// A cluster that is already ACTIVE, with the given node groups and extra documents.
fn lab(cluster_extra: &str, docs: &str, lab_spec: &str) -> String {
    format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n  region: us-east-1\n  version: \"1.34\"\n{cluster_extra}\n{docs}\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata:\n  name: test\nspec:\n  seed: 3\n  skipClusterCreation: true\n{lab_spec}\n"
    )
}

fn nodes_of<'a>(report: &'a Value, group: &str) -> Vec<&'a Value> {
    report["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["nodegroup"] == group)
        .collect()
}

#[test]
fn max_pods_follow_the_eni_formula_and_the_managed_cap() {
    // eks-facts §3: t3.medium 17, m5.large 29, m5.4xlarge 234 (self-managed, uncapped) and 110
    // in a managed node group.
    let cluster = "nodeGroups:\n  - {name: sm-t3m, instanceType: t3.medium, desiredCapacity: 1}\n  - {name: sm-m5l, instanceType: m5.large, desiredCapacity: 1}\n  - {name: sm-m54x, instanceType: m5.4xlarge, desiredCapacity: 1}\nmanagedNodeGroups:\n  - {name: mng-m54x, instanceType: m5.4xlarge, desiredCapacity: 1}\n";
    let r = run_json("max-pods", &lab(cluster, "", "  duration: 10m"), &[]);
    for (group, pods) in [
        ("sm-t3m", 17),
        ("sm-m5l", 29),
        ("sm-m54x", 234),
        ("mng-m54x", 110),
    ] {
        let n = nodes_of(&r, group);
        assert_eq!(n.len(), 1, "{group}");
        assert_eq!(n[0]["max_pods"], pods, "{group}");
    }
    assert_eq!(nodes_of(&r, "mng-m54x")[0]["kind"], "managed");
    assert_eq!(nodes_of(&r, "sm-m54x")[0]["kind"], "self-managed");
}

#[test]
fn allocatable_is_capacity_minus_kube_reserved_and_eviction_threshold() {
    // eks-facts §1.3: m5.large 1930m / 6903Mi; t3.medium 1930m / 3246Mi; a managed m5.4xlarge
    // reserves memory for its capped 110 pods: 60620 − (11×110+255) − 100 = 59055Mi.
    let cluster = "nodeGroups:\n  - {name: a, instanceType: m5.large, desiredCapacity: 1}\n  - {name: b, instanceType: t3.medium, desiredCapacity: 1}\nmanagedNodeGroups:\n  - {name: c, instanceType: m5.4xlarge, desiredCapacity: 1}\n";
    let r = run_json("allocatable", &lab(cluster, "", "  duration: 10m"), &[]);
    let alloc = |g: &str| {
        let n = nodes_of(&r, g)[0];
        (
            n["cpu_allocatable_m"].as_u64().unwrap(),
            n["memory_allocatable_mib"].as_u64().unwrap(),
        )
    };
    assert_eq!(alloc("a"), (1930, 6903));
    assert_eq!(alloc("b"), (1930, 3246));
    assert_eq!(alloc("c"), (15890, 59055));
}

#[test]
fn fargate_rounds_one_vcpu_eight_gb_up_to_two_vcpu_nine_gb() {
    // eks-facts §2: request 1 vCPU + 8 GB, +256 MB → 2 vCPU / 9 GB; no requests → 0.25/0.5.
    let cluster = "fargateProfiles:\n  - name: fp\n    selectors:\n      - namespace: batch\n";
    let docs = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: batch}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big, namespace: batch}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: big}}\n  template:\n    metadata: {labels: {app: big}}\n    spec:\n      containers:\n        - name: big\n          image: busybox:1.37\n          resources:\n            requests: {cpu: \"1\", memory: 8Gi}\n            limits: {cpu: \"1\", memory: 8Gi}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tiny, namespace: batch}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: tiny}}\n  template:\n    metadata: {labels: {app: tiny}}\n    spec:\n      containers:\n        - {name: tiny, image: busybox:1.37}\n";
    let r = run_json("fargate-sizes", &lab(cluster, docs, "  duration: 15m"), &[]);
    let mut sizes: Vec<String> = r["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "fargate")
        .map(|n| n["instance_type"].as_str().unwrap().to_string())
        .collect();
    eks_lab::sim::sort::sort(&mut sizes);
    assert_eq!(sizes, ["0.25vCPU 0.5GB", "2vCPU 9GB"]);
    assert!(r["cost"]["fargate_usd"].as_f64().unwrap() > 0.0);
    assert_eq!(
        r["cost"]["ec2_usd"], 0.0,
        "a Fargate-only cluster runs no EC2"
    );
}

#[test]
fn ec2_bills_at_least_sixty_seconds() {
    // eks-facts §1.3: per-second billing with a 60 s minimum. The t3.small ($0.0208/h) is
    // running for 5–15 s when the group is scaled to zero, and is billed 60 s:
    // 0.0208 × 60 / 3600 = $0.000346 (to the micro-dollar, rounded down).
    let cluster = "nodeGroups:\n  - {name: ng, instanceType: t3.small, minSize: 0, desiredCapacity: 1, maxSize: 1}\n";
    let timeline = "  duration: 10m\n  timeline:\n    - at: 25s\n      run: eksctl scale nodegroup --cluster=lab --name=ng --nodes=0\n";
    let r = run_json("ec2-minimum", &lab(cluster, "", timeline), &[]);
    assert_eq!(r["cost"]["ec2_usd"], 0.000_346);
    assert_eq!(
        r["nodes"].as_array().unwrap().len(),
        0,
        "the instance is gone"
    );
}

#[test]
fn fargate_bills_at_least_one_minute() {
    // eks-facts §1.2: per second with a one-minute minimum. A 10 s Job on 0.25 vCPU / 0.5 GB
    // ($0.0123425/h) whose pod is deleted right after it finishes bills exactly 60 s:
    // 0.0123425 × 60 / 3600 = $0.000205 (rounded down to the micro-dollar).
    let cluster = "fargateProfiles:\n  - name: fp\n    selectors:\n      - namespace: batch\n";
    let docs = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: batch}\n---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: quick, namespace: batch}\nspec:\n  ttlSecondsAfterFinished: 0\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: quick\n          image: busybox:1.37\n          command: [\"sh\", \"-c\", \"sleep 10\"]\n";
    let r = run_json(
        "fargate-minimum",
        &lab(cluster, docs, "  duration: 20m"),
        &[],
    );
    assert_eq!(r["cost"]["fargate_usd"], 0.000_205);
    assert!(
        r["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["reason"] == "Completed" && e["object"] == "job/quick")
    );
}

#[test]
fn control_plane_costs_ten_cents_an_hour_or_sixty_in_extended_support() {
    // eks-facts §1.1: $0.10 per cluster-hour in standard support; $0.60 in extended support.
    // On the lab's default date (2026-11-01), 1.34 is in standard support and 1.32 in extended.
    let r = run_json("cp-standard", &lab("", "", "  duration: 24h"), &[]);
    assert_eq!(r["cost"]["control_plane_usd"], 2.4);
    assert_eq!(r["cluster"]["support_status"], "standard support");
    let extended = lab("", "", "  duration: 24h").replace("version: \"1.34\"", "version: \"1.32\"");
    let r = run_json("cp-extended", &extended, &[]);
    assert_eq!(r["cost"]["control_plane_usd"], 14.4);
    assert_eq!(r["cluster"]["support_status"], "extended support");
}

#[test]
fn pods_that_do_not_fit_stay_pending_with_the_upstream_message() {
    let cluster = "nodeGroups:\n  - {name: ng, instanceType: t3.medium, desiredCapacity: 1}\n";
    let docs = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hog}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: hog}}\n  template:\n    metadata: {labels: {app: hog}}\n    spec:\n      containers:\n        - name: hog\n          image: busybox:1.37\n          resources: {requests: {cpu: \"1\", memory: 256Mi}}\n";
    let r = run_json("pending", &lab(cluster, docs, "  duration: 15m"), &[]);
    assert_eq!(r["pods"]["Pending"], 2);
    let msg = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    let hits = r["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "FailedScheduling" && e["message"] == msg)
        .count();
    assert_eq!(
        hits, 2,
        "each pending pod got the upstream FailedScheduling message"
    );
}

#[test]
fn same_file_and_seed_give_byte_identical_reports_and_flags_override_the_file() {
    let cluster =
        "managedNodeGroups:\n  - {name: ng, instanceType: m5.large, desiredCapacity: 2}\n";
    let path = scenario_file("identical", &lab(cluster, "", "  duration: 30m"));
    let file = path.to_str().unwrap();
    let (_, a, _) = ekslab(&["run", file, "--json"]);
    let (_, b, _) = ekslab(&["run", file, "--json"]);
    assert!(!a.is_empty());
    assert_eq!(a, b, "two runs of the same file differ");
    let (_, c, _) = ekslab(&["run", file, "--json", "--seed", "99"]);
    let (va, vc): (Value, Value) = (
        serde_json::from_str(&a).unwrap(),
        serde_json::from_str(&c).unwrap(),
    );
    assert_eq!(va["seed"], 3);
    assert_eq!(vc["seed"], 99);
    assert_ne!(
        va["event_digest"], vc["event_digest"],
        "another seed, other node names and timings"
    );
    let (_, d, _) = ekslab(&["run", file, "--json", "--duration", "2h"]);
    let vd: Value = serde_json::from_str(&d).unwrap();
    assert_eq!(va["duration_s"], 1800);
    assert_eq!(vd["duration_s"], 7200);
    assert_eq!(
        vd["timeline"].as_array().unwrap().len(),
        121,
        "one sample per simulated minute, plus t=0"
    );
}

#[test]
fn a_file_with_only_a_cluster_config_runs_with_defaults() {
    let path = scenario_file(
        "bare",
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: bare\nmanagedNodeGroups:\n  - name: ng-1\n",
    );
    let (code, out, err) = ekslab(&["run", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["duration_s"], 3600, "default duration is one hour");
    assert_eq!(r["seed"], 1);
    assert_eq!(r["cluster"]["version"], "1.34", "eksctl's default version");
    assert_eq!(r["nodegroups"][0]["desired"], 2, "eksctl's default 2/2/2");
    // Cluster creation takes 10–15 minutes, then the two default m5.large nodes join.
    assert_eq!(nodes_of(&r, "ng-1").len(), 2);
    assert!(
        nodes_of(&r, "ng-1")
            .iter()
            .all(|n| n["instance_type"] == "m5.large")
    );
}

#[test]
fn validate_reports_problems_with_positions_and_exits_non_zero() {
    let path = scenario_file(
        "invalid",
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: bad\nmanagedNodeGroups:\n  - name: ng-1\n    instanceType: m9.huge\n",
    );
    let (code, _, err) = ekslab(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("line 7"), "{err}");
    assert!(err.contains("m9.huge"), "{err}");
    let (code, _, err) = ekslab(&["run", "/no/such/file.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, err) = ekslab(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("usage"), "{err}");
}

fn example(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("examples/{name}.yaml")).unwrap();
    run_json(&format!("example-{name}"), &text, &[])
}

fn points(series: &Value, kind: &str, name: &str, field: &str) -> Vec<u64> {
    series[kind]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} series {name}"))["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[field].as_u64().unwrap())
        .collect()
}

#[test]
fn the_report_carries_replica_series_and_hpa_events() {
    let r = example("hpa");
    let replicas = points(&r["series"], "workloads", "web", "replicas");
    // One point a minute from the first sample (the cluster becomes ACTIVE) to the end.
    let t = points(&r["series"], "workloads", "web", "t_s");
    assert!(t.windows(2).all(|w| w[1] - w[0] == 60), "{t:?}");
    assert_eq!((t[0], replicas.len()), (960, 45), "{t:?}");
    assert_eq!(replicas.iter().max(), Some(&9), "{replicas:?}");
    assert_eq!((replicas[0], replicas[replicas.len() - 1]), (2, 2));
    let rescales: Vec<&str> = r["autoscaling"]["hpa_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "SuccessfulRescale")
        .map(|e| e["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        rescales,
        [
            "New size: 4; reason: cpu resource utilization (percentage of request) above target",
            "New size: 8; reason: cpu resource utilization (percentage of request) above target",
            "New size: 9; reason: ",
            "New size: 3; reason: All metrics below target",
            "New size: 2; reason: All metrics below target",
        ]
    );
    let hpa = &r["autoscaling"]["hpas"][0];
    assert_eq!(hpa["name"], "web");
    assert_eq!(
        (hpa["min_replicas"].as_u64(), hpa["max_replicas"].as_u64()),
        (Some(2), Some(10))
    );
    assert_eq!(
        hpa["explanation"][0],
        "cpu: average 44% of request across 2 pods (target 50%)"
    );
    assert!(
        r["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"].as_str().is_some_and(|s| !s.is_empty())),
        "every event names its source"
    );
}

#[test]
fn the_report_carries_desired_size_series_and_cluster_autoscaler_events() {
    let r = example("cluster-autoscaler");
    let desired = points(&r["series"], "nodegroups", "ng-1", "desired");
    let ready = points(&r["series"], "nodegroups", "ng-1", "nodes_ready");
    assert_eq!(desired.iter().max(), Some(&4), "{desired:?}");
    assert_eq!(
        desired.last(),
        Some(&1),
        "scaled down to minSize: {desired:?}"
    );
    // Nodes become Ready a minute or two after the desired size rises (the launch delay).
    let up = desired.iter().position(|&d| d == 4).unwrap();
    assert!(
        ready[up] < 4 && ready[up + 1..].iter().take(3).any(|&n| n == 4),
        "{ready:?}"
    );
    let ca = r["autoscaling"]["cluster_autoscaler_events"]
        .as_array()
        .unwrap();
    let reasons: Vec<&str> = ca.iter().map(|e| e["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons[0], "ScaledUpGroup");
    assert!(
        reasons.contains(&"TriggeredScaleUp") && reasons.contains(&"ScaleDown"),
        "{reasons:?}"
    );
    assert!(ca.iter().all(|e| e["source"] == "cluster-autoscaler"));
    assert_eq!(r["autoscaling"]["cluster_autoscaler"]["installed"], true);
    let why = &r["autoscaling"]["cluster_autoscaler"]["nodegroups"][0];
    assert_eq!(why["name"], "ng-1");
    assert!(!why["why"].as_array().unwrap().is_empty());
}

#[test]
fn the_report_carries_vpa_recommendations_savings_and_events() {
    let r = example("vpa");
    let vpa = &r["autoscaling"]["vpas"][0];
    assert_eq!(vpa["name"], "web");
    assert_eq!(vpa["update_mode"], "Recreate");
    assert_eq!(vpa["recommendations"][0]["target_cpu_m"], 379);
    assert!(vpa["savings_usd_per_hour"].as_f64().unwrap() > 0.0);
    let evicted = r["autoscaling"]["vpa_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["reason"] == "EvictedByVPA")
        .count();
    assert_eq!(evicted, 2, "one pod at a time, both replaced");
}

#[test]
fn the_report_carries_each_update_with_its_phases_and_each_data_planes_upgrade() {
    let (_, first, _) = ekslab(&["run", "examples/upgrade.yaml", "--json"]);
    let (_, again, _) = ekslab(&["run", "examples/upgrade.yaml", "--json"]);
    assert_eq!(first, again, "byte-stable");
    let r: Value = serde_json::from_str(&first).unwrap();
    let updates = r["updates"].as_array().unwrap();
    let targets: Vec<&str> = updates
        .iter()
        .map(|u| u["target"].as_str().unwrap())
        .collect();
    // CoreDNS v1.12.4 serves 1.33 and 1.34 alike: `eksctl update addon` has nothing to do.
    assert_eq!(
        targets,
        ["cluster", "addon/kube-proxy", "nodegroup/ng-managed"]
    );
    let phase_names = |u: &Value| -> Vec<String> {
        u["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        phase_names(&updates[0]),
        [
            "LaunchNewApiServers",
            "HealthChecks",
            "ReplaceOldApiServers"
        ]
    );
    assert_eq!(phase_names(&updates[1]), ["RollOut"]);
    assert_eq!(
        phase_names(&updates[2]),
        ["Setup", "ScaleUp", "Upgrade", "ScaleDown"]
    );
    for (u, (type_, version, created)) in updates.iter().zip([
        ("VersionUpdate", "1.34", 1200),
        ("AddonUpdate", "v1.34.1-eksbuild.2", 2100),
        ("VersionUpdate", "1.34", 2400),
    ]) {
        assert_eq!(u["status"], "Successful", "{u}");
        assert_eq!(u["type"], type_);
        assert_eq!(u["version"], version);
        assert_eq!(u["created_s"], created, "at the timeline's time");
        assert!(u["errors"].as_array().unwrap().is_empty());
        let (start, end) = (
            u["created_s"].as_u64().unwrap(),
            u["ended_s"].as_u64().unwrap(),
        );
        assert_eq!(u["duration_s"].as_u64(), Some(end - start));
        // The phases tile the update: each starts when the previous one ends.
        let mut at = start;
        for p in u["phases"].as_array().unwrap() {
            assert_eq!(p["start_s"].as_u64(), Some(at), "{u}");
            at = p["end_s"].as_u64().unwrap();
            assert!(at >= p["start_s"].as_u64().unwrap());
        }
        assert_eq!(at, end);
    }
    // The control plane takes 8 to 13 minutes (control_plane_update.rs, eks-facts §7).
    let cp = updates[0]["duration_s"].as_u64().unwrap();
    assert!((480..=780).contains(&cp), "{cp}");
    // Managed setup takes 30 s; three nodes replaced one at a time.
    assert_eq!(updates[2]["phases"][0]["end_s"], 2430);
    assert_eq!(updates[2]["nodes_replaced"], 3);
    let upgrade = r["upgrade"].as_array().unwrap();
    let names: Vec<&str> = upgrade
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ng-managed", "ng-self", "ng-self-134", "fargate"]);
    for (d, (kind, version, steps, started)) in upgrade.iter().zip([
        // eksctl upgrade nodegroup
        ("managed", "1.34", 1, 2400),
        // eksctl create nodegroup ng-self-134, eksctl delete nodegroup ng-self
        ("self-managed", "1.33", 2, 4200),
        ("self-managed", "1.34", 1, 4200),
        // kubectl rollout restart ... --namespace serverless
        ("fargate", "1.34", 1, 6000),
    ]) {
        assert_eq!(d["kind"], kind, "{d}");
        assert_eq!(d["version"], version, "{d}");
        assert_eq!(d["steps"], steps, "{d}");
        assert_eq!(d["started_s"], started, "{d}");
        assert_eq!(d["nodes_on_old_version"], 0, "{d}");
        let finished = d["finished_s"].as_u64().unwrap_or_else(|| panic!("{d}"));
        assert!(finished >= started, "{d}");
    }
    // The managed group is done before its update ends (the scale-down phase comes after
    // the last old node); the old self-managed group once its last node is gone; the new one
    // was never behind.
    assert!(upgrade[0]["finished_s"].as_u64().unwrap() < updates[2]["ended_s"].as_u64().unwrap());
    assert!(
        upgrade[1]["finished_s"].as_u64().unwrap() > 4800,
        "after the delete"
    );
    assert_eq!(upgrade[2]["finished_s"], 4200);
    assert_eq!(upgrade[1]["replaced_by"], "ng-self-134");
    // Extra EC2: the managed update's six surge nodes and the two green nodes next to the blue
    // ones (m5.large at $0.096/h, eks-facts §1.3); Fargate runs no EC2.
    let extra = |i: usize| upgrade[i]["extra_cost_usd"].as_f64().unwrap();
    assert!(extra(0) > 0.0 && extra(1) > 0.0, "{upgrade:?}");
    let window = updates[2]["duration_s"].as_f64().unwrap();
    assert!(
        extra(0) <= 6.0 * 0.096 * window / 3600.0,
        "at most six extra nodes over the update"
    );
    assert_eq!(upgrade[2]["extra_cost_usd"], 0.0);
    assert_eq!(upgrade[3]["extra_cost_usd"], Value::Null);
    assert_eq!(r["cluster"]["version"], "1.34");
    assert_eq!(r["cluster"]["support_status"], "standard support");
}

#[test]
fn duration_beyond_the_labs_simulated_time_is_refused() {
    let path = scenario_file("too-long", &lab("", "", "  duration: 10m"));
    let file = path.to_str().unwrap();
    for (flag, want) in [
        (
            "31d",
            "ekslab: --duration: the lab simulates at most 30 days: 31d is more than that",
        ),
        (
            "18446744073709552",
            "ekslab: --duration: invalid duration \"18446744073709552\": too long",
        ),
    ] {
        let (code, out, err) = ekslab(&["run", file, "--json", "--duration", flag]);
        assert_eq!(code, 2, "{flag}");
        assert!(out.is_empty(), "{flag}: no work, no report");
        assert_eq!(err.lines().next(), Some(want), "{flag}");
    }
}
