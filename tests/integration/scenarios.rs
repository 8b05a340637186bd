//! Golden event logs: every example scenario, run for its duration, must produce exactly the
//! event log in `tests/golden/<name>.events` (one event per line, `t+HH:MM:SS Type Reason
//! kind/name message`). `UPDATE_GOLDEN=1 cargo test --test scenarios` rewrites them after an
//! intended change; review the diff like code. The digest files are what the browser test
//! (tests/web.rs) compares its own run against.

#[path = "scenarios/limits.rs"]
mod limits;

use eks_lab::scenario;
use eks_lab::sim::Simulation;
use eks_lab::sim::clock::SimDuration;

const EXAMPLES: [&str; 11] = [
    "managed-nodegroup",
    "self-managed-nodegroup",
    "fargate",
    "mixed",
    "hpa",
    "cluster-autoscaler",
    "vpa",
    "spot",
    "upgrade",
    "upgrade-pdb-failure",
    "upgrade-rollback",
];

fn run(name: &str) -> (String, String) {
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = scenario::load(&text).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    let duration = loaded.spec.duration.unwrap_or(SimDuration::from_hours(1));
    let mut sim = Simulation::new(loaded.spec).unwrap();
    sim.run_for(duration);
    let mut log = String::new();
    for e in sim.events().all() {
        log.push_str(&e.to_string());
        log.push('\n');
    }
    (
        log,
        format!("{:016x} {}\n", sim.digest(), sim.events().len()),
    )
}

fn check(name: &str) {
    let dir = format!("{}/tests/golden", env!("CARGO_MANIFEST_DIR"));
    let (log, digest) = run(name);
    let events_path = format!("{dir}/{name}.events");
    let digest_path = format!("{dir}/{name}.digest");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&events_path, &log).unwrap();
        std::fs::write(&digest_path, &digest).unwrap();
    }
    let want = std::fs::read_to_string(&events_path)
        .unwrap_or_else(|_| panic!("{events_path} missing: run with UPDATE_GOLDEN=1"));
    if want != log {
        let first = want
            .lines()
            .zip(log.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(want.lines().count().min(log.lines().count()));
        panic!(
            "{name}: event log differs from {events_path} at line {}:\n  want: {}\n  got:  {}",
            first + 1,
            want.lines().nth(first).unwrap_or("<end>"),
            log.lines().nth(first).unwrap_or("<end>")
        );
    }
    assert_eq!(
        std::fs::read_to_string(&digest_path).unwrap(),
        digest,
        "{name}: digest"
    );
}

#[test]
fn managed_nodegroup_golden() {
    check(EXAMPLES[0]);
}

#[test]
fn self_managed_nodegroup_golden() {
    check(EXAMPLES[1]);
}

#[test]
fn fargate_golden() {
    check(EXAMPLES[2]);
}

#[test]
fn mixed_golden() {
    check(EXAMPLES[3]);
}

#[test]
fn golden_logs_carry_the_lessons() {
    // Spot checks that read like the lessons the examples teach.
    let (log, _) = run("managed-nodegroup");
    assert!(
        log.contains("Warning FailedScheduling"),
        "scaling past capacity leaves pods Pending"
    );
    assert!(log.contains("Insufficient cpu"), "with the upstream reason");
    assert!(
        log.contains("Scaling nodegroup ng-1: desired 2 -> 4"),
        "then the node group grows"
    );
    let (log, _) = run("fargate");
    assert!(
        log.contains("Successfully assigned") && log.contains("fargate-ip-"),
        "pods land on Fargate nodes"
    );
    let (log, _) = run("hpa");
    assert!(log.contains(
        "SuccessfulRescale horizontalpodautoscaler/web New size: 4; reason: cpu resource utilization (percentage of request) above target"
    ));
    assert!(log.contains("New size: 2; reason: All metrics below target"));
    let (log, _) = run("cluster-autoscaler");
    assert!(log.contains("TriggeredScaleUp") && log.contains("2->4 (max: 5)"));
    assert!(log.contains("ScaleDown node/"), "idle nodes leave again");
    let (log, _) = run("vpa");
    assert!(log.contains(
        "EvictedByVPA pod/web-69885484b5-6tv68 Pod was evicted by VPA Updater to apply resource recommendation."
    ));
    let (log, _) = run("spot");
    assert!(log.contains("RebalanceRecommendation") && log.contains("(2-minute notice)"));
}

#[test]
fn hpa_golden() {
    check(EXAMPLES[4]);
}

#[test]
fn cluster_autoscaler_golden() {
    check(EXAMPLES[5]);
}

#[test]
fn vpa_golden() {
    check(EXAMPLES[6]);
}

#[test]
fn spot_golden() {
    check(EXAMPLES[7]);
}

#[test]
fn upgrade_golden() {
    check(EXAMPLES[8]);
}

#[test]
fn upgrade_pdb_failure_golden() {
    check(EXAMPLES[9]);
}

#[test]
fn upgrade_rollback_golden() {
    check(EXAMPLES[10]);
}

#[test]
fn upgrade_logs_carry_the_lessons() {
    let (log, _) = run("upgrade");
    assert!(
        log.contains("Warning ExtendedSupport cluster/lab Kubernetes 1.33 left standard support")
    );
    assert!(
        log.contains("ClusterUpdated cluster/lab control plane update")
            && log.contains("Kubernetes 1.33 -> 1.34")
    );
    assert!(log.contains(
        "AddonUpdated addon/kube-proxy kube-proxy updated v1.33.5-eksbuild.2 -> v1.34.1-eksbuild.2"
    ));
    assert!(log.contains("scaling up the Auto Scaling group by 6 (desired 3 -> 9, max 3 -> 9)"));
    assert!(log.contains("NodegroupDeleted nodegroup/ng-self"));
    let (log, _) = run("upgrade-pdb-failure");
    assert!(log.contains(
        "Failed: PodEvictionFailure: Reached max retries while trying to evict pods from nodes in node group ng-1"
    ));
    assert!(log.contains("force update of nodegroup \"ng-1\""));
    let (log, _) = run("upgrade-rollback");
    assert!(log.contains("(SecurityGroupNotFound: The security group sg-"));
    assert!(log.contains("Failed: cluster \"lab\" stays on Kubernetes 1.34"));
    assert!(log.contains("Successful: Kubernetes 1.34 -> 1.35"));
}
