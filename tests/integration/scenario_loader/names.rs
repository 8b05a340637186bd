//! Names and namespaces in scenario files: the API server's messages at the field they are
//! about (document, line, column, path), and warnings for every object and timeline entry
//! that uses a namespace the scenario has not created when it runs.

use std::fmt::Write;

use eks_lab::scenario::{Diagnostic, Severity, load};

use super::{CLUSTER, errors, ok};

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/// (document, line, column, path, message) of each diagnostic.
fn places(diags: &[Diagnostic]) -> Vec<(usize, usize, usize, &str, &str)> {
    diags
        .iter()
        .map(|d| {
            (
                d.document,
                d.line,
                d.column,
                d.path.as_str(),
                d.message.as_str(),
            )
        })
        .collect()
}

fn warnings(text: &str) -> Vec<Diagnostic> {
    ok(text)
        .warnings
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect()
}

fn deployment(name: &str, ns: &str) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n"
    )
}

#[test]
fn a_namespace_named_batch_ns_is_refused_with_its_message() {
    // CLUSTER is 4 lines; the Namespace document starts on line 5.
    let text =
        format!("{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: Batch_NS\n");
    let e = errors(&text);
    assert_eq!(
        places(&e),
        [(
            2,
            9,
            9,
            "metadata.name",
            format!("Invalid value: \"Batch_NS\": {LABEL_MSG}").as_str()
        )]
    );
    assert_eq!(
        e[0].to_string(),
        format!(
            "error: document 2, line 9, column 9: metadata.name: Invalid value: \"Batch_NS\": {LABEL_MSG}"
        )
    );
    let long = "n".repeat(64);
    let text =
        format!("{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {long}\n");
    assert_eq!(
        errors(&text)[0].message,
        format!("Invalid value: \"{long}\": must be no more than 63 characters")
    );
    let ok63 = format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}\n",
        "n".repeat(63)
    );
    assert!(load(&ok63).is_ok());
}

#[test]
fn every_name_and_label_error_is_at_its_field() {
    // Document 2 starts at line 5: Deployment with a bad name, a namespace that cannot
    // exist, bad label keys and values, two containers named alike, a selector that does
    // not match the template.
    let text = format!(
        "{CLUSTER}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Bad_Name\n  namespace: Bad_NS\n  labels:\n    -bad: ok\n    good: no spaces\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: api}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n        - name: web\n          image: nginx\n"
    );
    let e = errors(&text);
    let got: Vec<(usize, usize, &str)> = e
        .iter()
        .map(|d| (d.line, d.column, d.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (9, 9, "metadata.name"),
            (10, 14, "metadata.namespace"),
            (12, 5, "metadata.labels"),
            (13, 11, "metadata.labels"),
            (19, 15, "spec.template.metadata.labels"),
            (24, 17, "spec.template.spec.containers[1].name"),
        ]
    );
    assert_eq!(
        e[0].message,
        format!("Invalid value: \"Bad_Name\": {SUBDOMAIN_MSG}")
    );
    assert_eq!(
        e[1].message,
        format!("Invalid value: \"Bad_NS\": {LABEL_MSG}")
    );
    assert!(
        e[2].message.starts_with(
            "Invalid value: \"-bad\": name part must consist of alphanumeric characters"
        )
    );
    assert!(
        e[3].message
            .starts_with("Invalid value: \"no spaces\": a valid label must be an empty string")
    );
    assert_eq!(
        e[4].message,
        "Invalid value: {\"app\":\"api\"}: `selector` does not match template `labels`"
    );
    assert_eq!(e[5].message, "Duplicate value: \"web\"");
}

#[test]
fn each_kind_checks_names_by_its_own_rule() {
    let ns = "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";
    // A PodDisruptionBudget's name is only a path segment; a Deployment's a DNS subdomain.
    let pdb = |name: &str| {
        format!(
            "{CLUSTER}{ns}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}\n  namespace: shop\nspec:\n  maxUnavailable: 1\n  selector: {{matchLabels: {{app: web}}}}\n"
        )
    };
    assert!(load(&pdb("Web_PDB")).is_ok());
    assert_eq!(
        places(&errors(&pdb("\"a/b\""))),
        [(
            3,
            13,
            9,
            "metadata.name",
            "Invalid value: \"a/b\": may not contain '/'"
        )]
    );
    assert!(load(&format!("{CLUSTER}{ns}{}", deployment("web.v2", "shop"))).is_ok());
    // A Job's pods carry its name as a label value: at most 63 characters.
    let job = |name: &str| {
        format!(
            "{CLUSTER}---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  template:\n    spec:\n      containers: [{{name: j, image: busybox}}]\n"
        )
    };
    assert!(load(&job(&"j".repeat(63))).is_ok());
    let long = "j".repeat(64);
    assert_eq!(
        places(&errors(&job(&long))),
        [(
            2,
            12,
            5,
            "spec.template.labels",
            format!("Invalid value: \"{long}\": must be no more than 63 bytes").as_str()
        )]
    );
    // Selector expressions and node selectors are labels too.
    let text = format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  nodeSelector: {{\"bad key\": x}}\n  containers: [{{name: Main, image: busybox}}]\n"
    );
    let e = errors(&text);
    assert_eq!(
        (e[0].line, e[0].column, e[0].path.as_str()),
        (10, 18, "spec.nodeSelector")
    );
    assert!(
        e[0].message
            .starts_with("Invalid value: \"bad key\": name part must consist")
    );
    assert_eq!(
        (e[1].line, e[1].column, e[1].path.as_str()),
        (11, 23, "spec.containers[0].name")
    );
    assert_eq!(
        e[1].message,
        format!("Invalid value: \"Main\": {LABEL_MSG}")
    );
}

#[test]
fn a_timeline_line_whose_object_will_be_refused_is_warned_about_with_kubectls_text() {
    let text = format!(
        "{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: t}}\nspec:\n  timeline:\n    - at: 5m\n      run: kubectl create namespace Batch_NS\n    - at: 6m\n      run: kubectl create deployment Bad_Name --image=nginx\n"
    );
    // A save folds the learner's failed commands into its timeline: it must still load.
    assert_eq!(
        places(&warnings(&text)),
        [
            (
                2,
                12,
                12,
                "spec.timeline[0].run",
                format!("The Namespace \"Batch_NS\" is invalid: metadata.name: Invalid value: \"Batch_NS\": {LABEL_MSG}").as_str()
            ),
            (
                2,
                14,
                12,
                "spec.timeline[1].run",
                format!("error: failed to create deployment: Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": {SUBDOMAIN_MSG}").as_str()
            ),
        ]
    );
}

#[test]
fn namespaces_used_before_they_exist_get_a_warning_naming_them() {
    let lab = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  timeline:\n    - at: 5m\n      run: kubectl create deployment web --image=nginx -n shop\n    - at: 10m\n      run: kubectl create namespace shop\n    - at: 12m\n      apply:\n        apiVersion: v1\n        kind: Pod\n        metadata: {name: p, namespace: jobs}\n        spec:\n          containers: [{name: p, image: busybox}]\n    - at: 20m\n      run: kubectl delete namespace shop\n    - at: 25m\n      run: kubectl scale deployment web -n shop --replicas=3\n";
    let text = format!("{CLUSTER}{lab}{}", deployment("api", "shop"));
    let w = warnings(&text);
    assert_eq!(
        places(&w),
        [
            (
                2,
                12,
                12,
                "spec.timeline[0].run",
                "namespace \"shop\" is created only at 10m in the timeline, after this entry; it will fail"
            ),
            (
                2,
                19,
                40,
                "spec.timeline[2].apply.metadata.namespace",
                "namespace \"jobs\" is not created by this scenario (add a Namespace document or create it earlier in the timeline); this command will fail"
            ),
            (
                2,
                25,
                12,
                "spec.timeline[4].run",
                "namespace \"shop\" is deleted at 20m in the timeline, before this entry; it will fail"
            ),
            (
                3,
                31,
                14,
                "metadata.namespace",
                "namespace \"shop\" is created only at 10m in the timeline, after the scenario's objects are applied (add a Namespace document); applying this object will fail"
            ),
        ]
    );
    // Entries run in order of time, not of the file: a namespace created at 1m is there
    // for an entry written before it that runs at 2m. A Namespace document serves all.
    let reordered = format!(
        "{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: t}}\nspec:\n  timeline:\n    - at: 2m\n      run: kubectl create deployment web --image=nginx -n shop\n    - at: 1m\n      run: kubectl create namespace shop\n    - at: 3m\n      run: kubectl create deployment web --image=nginx -n team\n---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: team}}\n"
    );
    assert!(
        warnings(&reordered).is_empty(),
        "{:?}",
        warnings(&reordered)
    );
    // A namespace whose name is invalid can never be created: the command will get NotFound.
    let bad = format!(
        "{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: t}}\nspec:\n  timeline:\n    - at: 2m\n      run: kubectl create deployment web --image=nginx -n Bad_NS\n"
    );
    assert_eq!(
        places(&warnings(&bad)),
        [(2, 12, 12, "spec.timeline[0].run", format!("namespace \"Bad_NS\" can never exist ({LABEL_MSG}); this command will fail: namespaces \"Bad_NS\" not found").as_str())]
    );
    // Every kind: a PodDisruptionBudget in a missing namespace is named too.
    let pdb = format!(
        "{CLUSTER}---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {{name: p, namespace: web}}\nspec:\n  maxUnavailable: 1\n  selector: {{matchLabels: {{app: web}}}}\n"
    );
    assert_eq!(
        places(&warnings(&pdb)),
        [(
            2,
            8,
            32,
            "metadata.namespace",
            "namespace \"web\" is not created by this scenario (add a Namespace document); applying this object will fail"
        )]
    );
}

#[test]
fn a_save_with_refused_console_commands_restores() {
    use eks_lab::cli::{CommandContext, parse_command};
    use eks_lab::sim::clock::{SimDuration, SimTime};
    use eks_lab::sim::spec::TimelineEntry;
    use eks_lab::view::persist::{decode_save, encode_save};
    let mut spec = ok(CLUSTER).spec;
    let ctx = CommandContext::new("lab");
    for (secs, line) in [
        (60, "kubectl create namespace Batch_NS"),
        (61, "kubectl create deployment Bad_Name --image=nginx"),
        (62, "kubectl create deployment web --image=nginx -n shop"),
    ] {
        spec.timeline.push(TimelineEntry {
            at: SimDuration::from_secs(secs),
            command: parse_command(line, &ctx).unwrap(),
            text: line.to_string(),
        });
    }
    let saved = encode_save(&spec, SimTime(62_000), 1);
    let restored = decode_save(&saved).unwrap();
    assert_eq!(restored.spec.timeline, spec.timeline);
}

#[test]
fn each_of_many_bad_labels_is_placed_at_its_key() {
    let n = 10_000;
    let mut labels = String::new();
    for i in 0..n {
        let _ = writeln!(labels, "    k{i}-: v");
    }
    let text = format!(
        "{CLUSTER}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n{labels}"
    );
    let e = errors(&text);
    // The first MAX_DIAGNOSTICS are listed, each at its key; the rest are counted.
    let kept = eks_lab::limits::MAX_DIAGNOSTICS;
    assert_eq!(e.len(), kept + 1);
    // Each listed error names its key and is placed at it (key `k{i}-` is on line 11 + i).
    for d in &e[..kept] {
        let i: usize = d
            .message
            .strip_prefix("Invalid value: \"k")
            .and_then(|r| r.split_once('-'))
            .and_then(|(i, _)| i.parse().ok())
            .unwrap_or_else(|| panic!("{}", d.message));
        assert_eq!((d.line, d.column), (11 + i, 5), "{}", d.message);
        assert!(
            d.message.contains("name part must consist"),
            "{}",
            d.message
        );
    }
    assert!(
        e[kept]
            .message
            .starts_with(&format!("{} more errors not listed", n - kept)),
        "{}",
        e[kept].message
    );
}
