//! Big inputs cost time in proportion to their size: mappings of 50,000 keys load within the
//! per-input time budget, and lists cost four times as much for four times the items (a walk
//! quadratic in their length would take minutes on the longest lists a file may hold).

use std::time::Duration;

use eks_lab::limits::{MAX_DIAGNOSTICS, MAX_TEXT_BYTES};

use super::budget::TIME_BUDGET;
use super::budget::Watchdog;
use super::limits::{CLUSTER, accepted, concat, load, measured};

/// `text`, checked to fit the text limit (so what is measured is the load, not the refusal
/// of its size).
fn fits(text: String) -> String {
    assert!(text.len() <= MAX_TEXT_BYTES, "{} bytes", text.len());
    text
}

#[test]
fn mappings_of_50000_keys_load_in_the_time_budget() {
    let dog = Watchdog::measuring_cpu("scale-keys");
    let n = 50_000;
    let labels = concat((0..n).map(|i| format!("    l{i}: v\n")));
    let many_labels = fits(format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: big\n  labels:\n{labels}"
    ));
    let l = accepted(&dog, &many_labels);
    let eks_lab::sim::spec::Manifest::Namespace(ns) = &l.spec.manifests[0] else {
        panic!("{:?}", l.spec.manifests[0])
    };
    assert_eq!(ns.meta.labels.len(), n);
    // A Deployment's labels, selector and template labels.
    let pairs = concat((0..n / 5).map(|i| format!("l{i}: v, ")));
    let deployment = fits(format!(
        "{CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {{{pairs}app: web}}\nspec:\n  selector: {{matchLabels: {{{pairs}app: web}}}}\n  template:\n    metadata: {{labels: {{{pairs}app: web}}}}\n    spec:\n      containers: [{{name: web, image: nginx}}]\n"
    ));
    accepted(&dog, &deployment);
    // Tags of the cluster: a string map.
    let tags = concat((0..n).map(|i| format!("    t{i}: v\n")));
    accepted(&dog, &fits(format!("{CLUSTER}  tags:\n{tags}")));
    // 50,000 unknown top-level keys: 50,000 errors, the first thousand listed.
    let unknown = concat((0..n).map(|i| format!("f{i}: 1\n")));
    let (r, _) = load(&dog, &fits(format!("{CLUSTER}{unknown}")));
    let e = r.unwrap_err();
    assert_eq!(e.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(
        (e[7].line, e[7].message.as_str()),
        (13, "unknown field \"f7\"")
    );
    assert!(
        e[MAX_DIAGNOSTICS]
            .message
            .starts_with("49000 more errors not listed")
    );
    // Every key of 45,000 repeated (90,000 keys in one mapping), and a merge of 50,000 keys.
    let flow = |n: usize| concat((0..n).map(|i| format!("t{i}: v,")));
    let repeated = flow(45_000);
    let (r, _) = load(
        &dog,
        &fits(format!("{CLUSTER}  tags: {{{repeated}{repeated}a: b}}\n")),
    );
    let e = r.unwrap_err();
    assert_eq!(e.len(), MAX_DIAGNOSTICS + 1);
    assert_eq!(e[0].message, "duplicate key \"t0\" in this mapping");
    let merged = fits(format!(
        "{CLUSTER}  tags:\n    <<: {{{}a: b}}\n    own: tag\n",
        flow(n)
    ));
    let l = accepted(&dog, &merged);
    assert_eq!(l.spec.cluster.tags.len(), n + 2);
}

/// Each list a scenario may hold, with `n` items.
fn lists(n: usize) -> Vec<(&'static str, String)> {
    let lab = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: x}\nspec:\n";
    let pod = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n";
    vec![
        (
            "managedNodeGroups",
            format!(
                "{CLUSTER}managedNodeGroups:\n{}",
                concat((0..n).map(|i| format!("  - name: ng-{i}\n")))
            ),
        ),
        (
            "fargateProfiles",
            format!(
                "{CLUSTER}fargateProfiles:\n{}",
                concat((0..n).map(|i| format!(
                    "  - {{name: fp-{i}, selectors: [{{namespace: default}}]}}\n"
                )))
            ),
        ),
        (
            "containers",
            format!(
                "{CLUSTER}{pod}  containers:\n{}",
                concat((0..n).map(|i| format!("  - {{name: c{i}, image: nginx}}\n")))
            ),
        ),
        (
            "volumes",
            format!(
                "{CLUSTER}{pod}  containers: [{{name: c, image: nginx}}]\n  volumes:\n{}",
                concat((0..n).map(|i| format!("  - {{name: v{i}, emptyDir: {{}}}}\n")))
            ),
        ),
        (
            "tolerations",
            format!(
                "{CLUSTER}{pod}  containers: [{{name: c, image: nginx}}]\n  tolerations:\n{}",
                concat((0..n).map(|i| format!("  - {{key: k{i}, operator: Exists}}\n")))
            ),
        ),
        (
            "timeline",
            format!(
                "{CLUSTER}{lab}  timeline:\n{}",
                concat(
                    (0..n.min(eks_lab::limits::MAX_TIMELINE_ENTRIES))
                        .map(|i| format!("  - {{at: {i}s, run: kubectl cordon n{i}}}\n"))
                )
            ),
        ),
        (
            "traffic",
            format!(
                "{CLUSTER}{lab}  traffic:\n{}",
                concat((0..n).map(|i| format!("  - {{deployment: d{i}, rps: 1}}\n")))
            ),
        ),
        (
            "nodegroupVersions",
            format!(
                "{CLUSTER}nodeGroups:\n{}{lab}  nodegroupVersions:\n{}",
                concat((0..n).map(|i| format!("  - name: ng-{i}\n"))),
                concat((0..n).map(|i| format!("    ng-{i}: \"1.33\"\n")))
            ),
        ),
        (
            "availabilityZones",
            format!(
                "{CLUSTER}availabilityZones: [{}]\n",
                (0..n)
                    .map(|i| format!("us-east-1{i}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    ]
}

#[test]
fn lists_load_in_time_proportional_to_their_length() {
    let dog = Watchdog::measuring_cpu("scale-lists");
    let (small, big) = (4_000, 16_000);
    let mut slow = Vec::new();
    // The CPU clock ticks every 10 ms or so: a load is repeated until its runs add up to 200 ms
    // (at most 32 runs), and the time of one run is their mean, so neither side of the ratio is
    // a tick or two.
    let per_run = |text: &str| {
        let (mut total, mut runs) = (Duration::ZERO, 0u32);
        while runs < 32 && total < Duration::from_millis(200) {
            total += measured(&dog, text).1;
            runs += 1;
        }
        total / runs
    };
    for ((what, short), (_, long)) in lists(small).into_iter().zip(lists(big)) {
        let t_small = per_run(&short);
        let t_big = per_run(&fits(long));
        // Four times the items: about four times the work (n log n: a little more); a walk
        // quadratic in the length takes sixteen times as long. Only runs long enough to time
        // (100 ms) are compared.
        let ratio = t_big.as_secs_f64() / t_small.as_secs_f64().max(0.001);
        println!(
            "{what}: {small} items {} ms, {big} items {} ms",
            t_small.as_millis(),
            t_big.as_millis()
        );
        if t_big > TIME_BUDGET || (t_big.as_millis() >= 100 && ratio > 8.0) {
            slow.push(format!(
                "{what}: {small} items cost {} ms, {big} cost {} ms ({ratio:.1} times)",
                t_small.as_millis(),
                t_big.as_millis()
            ));
        }
    }
    assert!(
        slow.is_empty(),
        "lists whose cost grows faster than their length:\n{}",
        slow.join("\n")
    );
}
