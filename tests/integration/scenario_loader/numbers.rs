//! Numbers in scenario files: each refused where it is written, with the real API server's,
//! eksctl's or the lab's own words, at the limit and one past it.

use super::{CLUSTER, errors, ok};
use eks_lab::sim::api::IntOrPercent;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::quantity::{Bytes, MilliCpu};
use eks_lab::sim::spec::Manifest;
use eks_lab::sim::traffic::TrafficPattern;

/// A Deployment document (document 2) whose `spec` ends with `extra` (indented by 2) and
/// whose container ends with `container` (indented by 10).
fn deployment(extra: &str, container: &str) -> String {
    format!(
        "{CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n{container}{extra}"
    )
}

/// (line, column, path, message) of every error.
fn refused(text: &str) -> Vec<(usize, usize, String, String)> {
    errors(text)
        .into_iter()
        .map(|d| (d.line, d.column, d.path, d.message))
        .collect()
}

fn one(
    line: usize,
    column: usize,
    path: &str,
    message: &str,
) -> Vec<(usize, usize, String, String)> {
    vec![(line, column, path.to_string(), message.to_string())]
}

fn loaded_deployment(text: &str) -> eks_lab::sim::api::Deployment {
    ok(text)
        .spec
        .manifests
        .into_iter()
        .find_map(|m| match m {
            Manifest::Deployment(d) => Some(d),
            _ => None,
        })
        .unwrap()
}

#[test]
fn replicas_are_an_int32_bounded_by_the_lab() {
    for (value, want) in [
        ("0", 0),
        ("10000", 10_000),
        ("1e3", 1000),
        ("3.0", 3),
        ("0x10", 16),
    ] {
        let d = loaded_deployment(&deployment(&format!("  replicas: {value}\n"), ""));
        assert_eq!(d.spec.replicas, want, "{value}");
    }
    let at = |value: &str| refused(&deployment(&format!("  replicas: {value}\n"), ""));
    assert_eq!(
        at("10001"),
        one(
            17,
            13,
            "spec.replicas",
            "the lab runs at most 10000 pods: 10001 is more than that"
        )
    );
    assert_eq!(
        at("2147483647"),
        one(
            17,
            13,
            "spec.replicas",
            "the lab runs at most 10000 pods: 2147483647 is more than that"
        )
    );
    assert_eq!(
        at("2147483648"),
        one(
            17,
            13,
            "spec.replicas",
            "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32"
        )
    );
    assert_eq!(
        at("3000000000"),
        one(
            17,
            13,
            "spec.replicas",
            "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"
        )
    );
    assert_eq!(
        at("-1"),
        one(
            17,
            13,
            "spec.replicas",
            "Invalid value: -1: must be greater than or equal to 0"
        )
    );
    assert_eq!(
        at("2.5"),
        one(
            17,
            13,
            "spec.replicas",
            "json: cannot unmarshal number 2.5 into Go struct field DeploymentSpec.spec.replicas of type int32"
        )
    );
    assert_eq!(
        at("\"3\""),
        one(
            17,
            13,
            "spec.replicas",
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        )
    );
}

#[test]
fn ports_are_1_to_65535() {
    let at = |ports: &str| refused(&deployment("", &format!("          ports: [{ports}]\n")));
    assert_eq!(
        at("{containerPort: 65536}"),
        one(
            17,
            35,
            "spec.template.spec.containers[0].ports[0].containerPort",
            "Invalid value: 65536: must be between 1 and 65535, inclusive"
        )
    );
    assert_eq!(
        at("{containerPort: 0}"),
        one(
            17,
            35,
            "spec.template.spec.containers[0].ports[0].containerPort",
            "Invalid value: 0: must be between 1 and 65535, inclusive"
        )
    );
    assert_eq!(
        at("{containerPort: 80}, {containerPort: 99999999999}"),
        one(
            17,
            56,
            "spec.template.spec.containers[0].ports[1].containerPort",
            "json: cannot unmarshal number 99999999999 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"
        )
    );
    // A hostPort of 0 means none, as the API server reads it.
    let d = loaded_deployment(&deployment(
        "",
        "          ports: [{containerPort: 65535, hostPort: 0}]\n",
    ));
    let p = &d.spec.template.spec.containers[0].ports[0];
    assert_eq!((p.container_port, p.host_port), (65535, None));
}

#[test]
fn quantities_take_every_form_kubernetes_does() {
    let requests = |cpu: &str, memory: &str| {
        format!("          resources: {{requests: {{cpu: {cpu}, memory: {memory}}}}}\n")
    };
    for (cpu, memory, want_cpu, want_mem) in [
        ("500m", "256Mi", 500, 256 << 20),
        ("0.5", "1e3", 500, 1000),
        (".25", "1.5Gi", 250, 3 << 29),
        ("1E2", "12e6", 100_000, 12_000_000),
        ("100k", "64Ti", 100_000_000, 64 << 40),
        ("1n", "0.5", 1, 1),
    ] {
        let d = loaded_deployment(&deployment("", &requests(cpu, memory)));
        let r = d.spec.template.spec.containers[0].requests;
        assert_eq!(
            (r.cpu, r.memory),
            (MilliCpu(want_cpu), Bytes(want_mem)),
            "{cpu} {memory}"
        );
    }
    let path = "spec.template.spec.containers[0].resources.requests.cpu";
    let at = |cpu: &str| refused(&deployment("", &requests(cpu, "1Mi")));
    assert_eq!(
        at("-1"),
        one(
            17,
            39,
            path,
            "Invalid value: \"-1\": must be greater than or equal to 0"
        )
    );
    assert_eq!(
        at("100001"),
        one(
            17,
            39,
            path,
            "the lab takes CPU quantities up to 100000 cores: 100001 is more than that"
        )
    );
    assert_eq!(
        at("1e999999"),
        one(
            17,
            39,
            path,
            "the lab takes CPU quantities up to 100000 cores: 1e999999 is more than that"
        )
    );
    assert_eq!(
        at("2x"),
        one(
            17,
            39,
            path,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        )
    );
    assert_eq!(
        refused(&deployment("", &requests("1", "99999999999999999999Ei"))),
        one(
            17,
            50,
            "spec.template.spec.containers[0].resources.requests.memory",
            "the lab takes memory and storage quantities up to 64Ti: 99999999999999999999Ei is more than that"
        )
    );
}

fn hpa(spec: &str) -> String {
    format!(
        "{CLUSTER}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{kind: Deployment, name: web}}\n{spec}"
    )
}

#[test]
fn hpa_bounds_are_the_api_servers_and_the_labs() {
    assert_eq!(
        refused(&hpa("  minReplicas: 0\n  maxReplicas: 5\n")),
        one(
            11,
            16,
            "spec.minReplicas",
            "Invalid value: 0: must be greater than or equal to 1"
        )
    );
    assert_eq!(
        refused(&hpa("  maxReplicas: 0\n")),
        one(
            11,
            16,
            "spec.maxReplicas",
            "Invalid value: 0: must be greater than 0"
        )
    );
    assert_eq!(
        refused(&hpa("  maxReplicas: 10001\n")),
        one(
            11,
            16,
            "spec.maxReplicas",
            "the lab runs at most 10000 pods: 10001 is more than that"
        )
    );
    assert_eq!(
        refused(&hpa("  maxReplicas: 2147483648\n")),
        one(
            11,
            16,
            "spec.maxReplicas",
            "json: cannot unmarshal number 2147483648 into Go struct field HorizontalPodAutoscalerSpec.spec.maxReplicas of type int32"
        )
    );
    assert_eq!(
        refused(&hpa(
            "  maxReplicas: 5\n  behavior: {scaleDown: {stabilizationWindowSeconds: -1}}\n"
        )),
        one(
            12,
            54,
            "spec.behavior.scaleDown.stabilizationWindowSeconds",
            "Invalid value: -1: must be greater than or equal to zero"
        )
    );
    assert_eq!(
        refused(&hpa(
            "  maxReplicas: 5\n  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: -5}}}]\n"
        ))[0]
            .3,
        "Invalid value: -5: must be greater than 0"
    );
    assert!(ok(&hpa("  maxReplicas: 10000\n")).spec.manifests.len() == 1);
}

#[test]
fn pdb_and_rolling_update_percentages() {
    let pdb = |min: &str| {
        format!(
            "{CLUSTER}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: p}}\nspec:\n  minAvailable: {min}\n  selector: {{matchLabels: {{app: web}}}}\n"
        )
    };
    assert_eq!(
        refused(&pdb("\"101%\"")),
        one(
            10,
            17,
            "spec.minAvailable",
            "Invalid value: \"101%\": must not be greater than 100%"
        )
    );
    assert_eq!(
        refused(&pdb("-1")),
        one(
            10,
            17,
            "spec.minAvailable",
            "Invalid value: -1: must be greater than or equal to 0"
        )
    );
    let loaded = ok(&pdb("\"100%\""));
    let Some(Manifest::PodDisruptionBudget(p)) = loaded.spec.manifests.first() else {
        panic!()
    };
    assert_eq!(p.spec.min_available, Some(IntOrPercent::Percent(100)));
    // maxSurge may pass 100%; maxUnavailable may not.
    let strategy = |surge: &str, unavailable: &str| {
        deployment(
            &format!(
                "  strategy: {{rollingUpdate: {{maxSurge: \"{surge}\", maxUnavailable: \"{unavailable}\"}}}}\n"
            ),
            "",
        )
    };
    assert_eq!(
        loaded_deployment(&strategy("200%", "100%")).spec.replicas,
        1
    );
    assert_eq!(
        refused(&strategy("25%", "150%")),
        one(
            17,
            63,
            "spec.strategy.rollingUpdate.maxUnavailable",
            "Invalid value: \"150%\": must not be greater than 100%"
        )
    );
}

fn nodegroup(kind: &str, fields: &str) -> String {
    format!("{CLUSTER}{kind}:\n  - name: ng-1\n{fields}")
}

#[test]
fn nodegroup_sizes_as_eksctl_and_the_lab_check_them() {
    let managed = |f: &str| refused(&nodegroup("managedNodeGroups", f));
    let self_managed = |f: &str| refused(&nodegroup("nodeGroups", f));
    assert_eq!(
        managed("    maxSize: 451\n"),
        one(
            7,
            14,
            "managedNodeGroups[0].maxSize",
            "maxSize (451) exceeds the quota of 450 nodes per managed node group"
        )
    );
    let big = ok(&nodegroup(
        "nodeGroups",
        "    minSize: 0\n    maxSize: 1000\n",
    ));
    assert_eq!(big.spec.nodegroups[0].max_size, 1000);
    assert_eq!(
        self_managed("    maxSize: 1001\n"),
        one(
            7,
            14,
            "nodeGroups[0].maxSize",
            "the lab runs at most 1000 nodes in a node group: 1001 is more than that"
        )
    );
    assert_eq!(
        self_managed("    desiredCapacity: 3000000000\n"),
        one(
            7,
            22,
            "nodeGroups[0].desiredCapacity",
            "the lab runs at most 1000 nodes in a node group: 3000000000 is more than that"
        )
    );
    assert_eq!(
        self_managed("    minSize: 99999999999999999999\n"),
        one(
            7,
            14,
            "nodeGroups[0].minSize",
            "json: cannot unmarshal number 99999999999999999999 into Go struct field NodeGroup.nodeGroups.minSize of type int"
        )
    );
    assert_eq!(
        managed("    minSize: -1\n"),
        one(
            7,
            14,
            "managedNodeGroups[0].minSize",
            "minimum number of nodes must be 0 or greater"
        )
    );
    assert_eq!(
        managed("    desiredCapacity: 5\n    maxSize: 3\n"),
        one(
            7,
            22,
            "managedNodeGroups[0].desiredCapacity",
            "cannot use --nodes-max=3 and --nodes=5 at the same time"
        )
    );
    assert_eq!(
        managed("    maxPodsPerNode: -1\n"),
        one(
            7,
            21,
            "managedNodeGroups[0].maxPodsPerNode",
            "managedNodeGroups[0].maxPodsPerNode cannot be negative"
        )
    );
    assert_eq!(
        managed("    maxPodsPerNode: 10001\n"),
        one(
            7,
            21,
            "managedNodeGroups[0].maxPodsPerNode",
            "the lab runs at most 10000 pods: 10001 is more than that"
        )
    );
    // 0 leaves it to eksctl ("set automatically if unspecified").
    let auto = ok(&nodegroup("managedNodeGroups", "    maxPodsPerNode: 0\n"));
    assert_eq!(auto.spec.nodegroups[0].max_pods_per_node, None);
    assert_eq!(
        managed("    volumeSize: 65537\n"),
        one(
            7,
            17,
            "managedNodeGroups[0].volumeSize",
            "the lab takes memory and storage quantities up to 64Ti: 65537 GiB is more than that"
        )
    );
    assert_eq!(
        managed("    updateConfig: {maxUnavailable: 101}\n"),
        one(
            7,
            36,
            "managedNodeGroups[0].updateConfig.maxUnavailable",
            "must be between 1 and 100, got 101"
        )
    );
}

fn lab(spec: &str) -> String {
    format!(
        "{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: x}}\nspec:\n{spec}"
    )
}

#[test]
fn simulated_time_is_bounded_by_the_lab() {
    assert_eq!(
        ok(&lab("  duration: 30d\n")).spec.duration,
        Some(SimDuration::from_hours(720))
    );
    assert_eq!(
        refused(&lab("  duration: 30d1s\n")),
        one(
            10,
            13,
            "spec.duration",
            "the lab simulates at most 30 days: 30d1s is more than that"
        )
    );
    assert_eq!(
        refused(&lab("  duration: 99999999999999999\n")),
        one(
            10,
            13,
            "spec.duration",
            "invalid duration \"99999999999999999\": too long"
        )
    );
    let entry = |at: &str| {
        lab(&format!(
            "  timeline:\n    - at: {at}\n      run: kubectl scale deployment web --replicas=2\n"
        ))
    };
    assert_eq!(
        ok(&entry("720h")).spec.timeline[0].at,
        SimDuration::from_hours(720)
    );
    assert_eq!(
        refused(&entry("721h")),
        one(
            11,
            11,
            "spec.timeline[0].at",
            "the lab simulates at most 30 days: 721h is more than that"
        )
    );
}

#[test]
fn timeline_commands_and_traffic_are_bounded_too() {
    let run = |line: &str| lab(&format!("  timeline:\n    - at: 1m\n      run: {line}\n"));
    assert_eq!(
        refused(&run("kubectl scale deployment web --replicas=999999999999")),
        one(
            12,
            12,
            "spec.timeline[0].run",
            "error: the lab runs at most 10000 pods: --replicas=999999999999 is more than that"
        )
    );
    assert_eq!(
        refused(&run(
            "eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=-1"
        )),
        one(
            12,
            12,
            "spec.timeline[0].run",
            "Error: number of nodes must be 0 or greater"
        )
    );
    let traffic = |rate: &str| {
        lab(&format!(
            "  traffic:\n    - deployment: web\n      rps: {rate}\n"
        ))
    };
    assert_eq!(
        ok(&traffic("1000000")).spec.traffic[0].pattern,
        TrafficPattern::Constant { rps: 1_000_000 }
    );
    assert_eq!(
        refused(&traffic("1000001")),
        one(
            12,
            12,
            "spec.traffic[0].rps",
            "the lab's traffic model takes at most 1000000 requests per second: 1000001 is more than that"
        )
    );
    let spike = lab("  traffic:\n    - deployment: web\n      spike: {peak: 2000000, for: 5m}\n");
    assert_eq!(refused(&spike)[0].2, "spec.traffic[0].spike.peak");
}
