//! The scenario loader end to end: the example files load to the exact spec they describe,
//! every kind of mistake comes back as a positioned diagnostic, mangled input never panics,
//! exported scenarios load back to the same spec, the command-line parser understands every
//! command it claims to, and every example runs in the simulation.

#[path = "scenario_loader/numbers.rs"]
mod numbers;

use std::collections::BTreeMap;

use eks_lab::cli::{CommandContext, format_command, parse_command};
use eks_lab::scenario::{Diagnostic, Severity, load, to_yaml};
use eks_lab::sim::Simulation;
use eks_lab::sim::api::{
    DeploymentStrategy, IntOrPercent, Kind, ObjectKey, PodPhase, Taint, TaintEffect,
};
use eks_lab::sim::catalog::AddonName;
use eks_lab::sim::catalog::KubernetesVersion;
use eks_lab::sim::clock::{Date, SimDuration};
use eks_lab::sim::command::{Command, DrainOptions, ResourcePatch};
use eks_lab::sim::eks::{Fault, LogType, NodegroupKind, NodegroupUpdateConfig, UpdateStrategy};
use eks_lab::sim::quantity::{Bytes, MIB, MilliCpu, Resources};
use eks_lab::sim::spec::{LabSpec, Manifest};

#[path = "scenario_loader/eksctl_compat.rs"]
mod eksctl_compat;
#[path = "scenario_loader/names.rs"]
mod names;

const EXAMPLES: [&str; 4] = [
    "managed-nodegroup",
    "self-managed-nodegroup",
    "fargate",
    "mixed",
];

fn example(name: &str) -> String {
    let path = format!("{}/examples/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn ok(text: &str) -> eks_lab::scenario::Loaded {
    load(text).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match load(text) {
        Ok(_) => panic!("expected errors in:\n{text}"),
        Err(d) => d
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
    }
}

/// The first error as (document, line, column, path, message).
fn first_error(text: &str) -> (usize, usize, usize, String, String) {
    let e = errors(text)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no error in:\n{text}"));
    (e.document, e.line, e.column, e.path, e.message)
}

const CLUSTER: &str =
    "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n";

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

// ---- the full mixed example ----

#[test]
fn mixed_example_loads_with_exact_values() {
    let loaded = ok(&example("mixed"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let spec = loaded.spec;
    assert_eq!(
        (spec.seed, spec.duration),
        (42, Some(SimDuration::from_hours(2)))
    );
    assert_eq!(spec.cluster.name, "lab");
    assert_eq!(spec.cluster.version, KubernetesVersion::new(34));
    assert_eq!(
        spec.cluster.zones,
        ["us-east-1a", "us-east-1b", "us-east-1c"]
    );
    assert!(spec.cluster.endpoint_access.public && spec.cluster.endpoint_access.private);
    assert_eq!(spec.cluster.addons.len(), 3);

    let [web, batch] = spec.nodegroups.as_slice() else {
        panic!("{:?}", spec.nodegroups)
    };
    assert_eq!(
        (web.name.as_str(), web.kind),
        ("ng-web", NodegroupKind::Managed)
    );
    assert_eq!(web.instance_types, ["m5.large"]);
    assert_eq!(
        (web.min_size, web.desired_capacity, web.max_size),
        (2, 2, 4)
    );
    assert_eq!(web.labels, labels(&[("role", "web")]));
    assert_eq!(web.update_config, NodegroupUpdateConfig::MaxUnavailable(1));
    assert_eq!(
        (batch.name.as_str(), batch.kind),
        ("ng-batch", NodegroupKind::SelfManaged)
    );
    assert_eq!(batch.instance_types, ["c5.xlarge"]);
    assert_eq!(
        (batch.min_size, batch.desired_capacity, batch.max_size),
        (1, 1, 3)
    );
    assert_eq!(
        batch.taints,
        [Taint::new("dedicated", "batch", TaintEffect::NoSchedule)]
    );

    let [fp] = spec.fargate_profiles.as_slice() else {
        panic!()
    };
    assert_eq!(fp.name, "fp-serverless");
    assert_eq!(fp.selectors[0].namespace, "serverless");
    assert!(fp.selectors[0].labels.is_empty());

    let kinds: Vec<Kind> = spec.manifests.iter().map(Manifest::kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Namespace,
            Kind::Deployment,
            Kind::PodDisruptionBudget,
            Kind::Job,
            Kind::Deployment
        ]
    );
    let Manifest::Deployment(d) = &spec.manifests[1] else {
        panic!()
    };
    assert_eq!(d.meta.key(), ObjectKey::new("default", "web"));
    assert_eq!(d.spec.replicas, 4);
    assert_eq!(
        d.spec.template.spec.containers[0].requests,
        Resources::new(500, 256 * MIB)
    );
    assert_eq!(
        d.spec.template.spec.node_selector,
        labels(&[("role", "web")])
    );
    assert_eq!(
        d.spec.strategy,
        DeploymentStrategy::RollingUpdate {
            max_surge: IntOrPercent::Int(1),
            max_unavailable: IntOrPercent::Int(0)
        }
    );
    let Manifest::PodDisruptionBudget(pdb) = &spec.manifests[2] else {
        panic!()
    };
    assert_eq!(
        (pdb.spec.min_available, pdb.spec.max_unavailable),
        (None, Some(IntOrPercent::Int(1)))
    );
    assert_eq!(pdb.spec.selector.match_labels, labels(&[("app", "web")]));
    let Manifest::Job(j) = &spec.manifests[3] else {
        panic!()
    };
    assert_eq!(
        (j.spec.completions, j.spec.parallelism, j.spec.run_for_ms),
        (4, 2, 300_000)
    );
    assert_eq!(j.spec.template.spec.tolerations.len(), 1);
    let Manifest::Deployment(hello) = &spec.manifests[4] else {
        panic!()
    };
    assert_eq!(hello.meta.key(), ObjectKey::new("serverless", "hello"));

    let at: Vec<u64> = spec.timeline.iter().map(|e| e.at.as_secs() / 60).collect();
    assert_eq!(at, [30, 40, 45, 60, 70, 90]);
    let web_key = ObjectKey::new("default", "web");
    assert_eq!(
        spec.timeline[0].command,
        Command::SetImage {
            key: web_key.clone(),
            container: "web".into(),
            image: "public.ecr.aws/nginx/nginx:1.28".into()
        }
    );
    assert_eq!(
        spec.timeline[1].command,
        Command::ScaleDeployment {
            key: web_key,
            replicas: 8
        }
    );
    assert_eq!(
        spec.timeline[2].command,
        Command::ScaleNodegroup {
            name: "ng-web".into(),
            desired: Some(4),
            min: None,
            max: None
        }
    );
    assert_eq!(
        spec.timeline[3].command,
        Command::UpdateClusterLogging {
            enable: vec![LogType::Api, LogType::Audit],
            disable: vec![]
        }
    );
    assert_eq!(
        spec.timeline[4].command,
        Command::ScaleDeployment {
            key: ObjectKey::new("serverless", "hello"),
            replicas: 4
        }
    );
    let Command::CreateNodegroup(spot) = &spec.timeline[5].command else {
        panic!()
    };
    assert!(spot.spot);
    assert_eq!(spot.instance_types, ["m5.large", "m6i.large"]);
    assert_eq!(
        (spot.min_size, spot.desired_capacity, spot.max_size),
        (0, 1, 3)
    );
    assert_eq!(
        spec.timeline[3].text,
        "eksctl utils update-cluster-logging --cluster=lab --enable-types=api,audit --approve"
    );
}

#[test]
fn fargate_example_sizes_and_inline_apply() {
    let s = ok(&example("fargate")).spec;
    assert!(s.nodegroups.is_empty());
    let names: Vec<&str> = s.fargate_profiles.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["fp-default", "fp-batch"]);
    assert_eq!(
        s.fargate_profiles[1].selectors[0].labels,
        labels(&[("compute", "fargate")])
    );
    let Manifest::Deployment(d) = &s.manifests[1] else {
        panic!()
    };
    assert_eq!(
        d.spec.template.spec.containers[0].requests,
        Resources::new(1000, 8192 * MIB)
    );
    let Manifest::Job(j) = &s.manifests[2] else {
        panic!()
    };
    assert_eq!(
        (j.spec.ttl_seconds_after_finished, j.spec.run_for_ms),
        (Some(300), 120_000)
    );
    let Command::Apply(Manifest::Job(j2)) = &s.timeline[1].command else {
        panic!()
    };
    assert_eq!(j2.spec.run_for_ms, 180_000);
    assert!(
        j2.meta.annotations.is_empty(),
        "the run-duration annotation is a lab directive"
    );
    assert_eq!(s.timeline[1].text, "kubectl apply -f - (Job/report-2)");
}

// ---- defaults ----

#[test]
fn eksctl_defaults() {
    let s = ok(&format!(
        "{CLUSTER}managedNodeGroups:\n  - name: ng-1\nnodeGroups:\n  - name: ng-2\n"
    ))
    .spec;
    for ng in &s.nodegroups {
        assert_eq!(ng.instance_types, ["m5.large"]);
        assert_eq!((ng.min_size, ng.desired_capacity, ng.max_size), (2, 2, 2));
        assert_eq!((ng.volume_size_gib, ng.volume_type.as_str()), (80, "gp3"));
        assert_eq!(ng.ami_family, "AmazonLinux2023");
        assert!(!ng.spot);
    }
    assert_eq!(s.nodegroups[1].kind, NodegroupKind::SelfManaged);
    assert_eq!(s.cluster.region, "us-east-1");
    assert_eq!(s.cluster.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert_eq!(s.cluster.version, KubernetesVersion::new(34));
    assert_eq!(s.seed, 1);
    assert_eq!(s.start_date, eks_lab::sim::spec::DEFAULT_START_DATE);
    let only_desired = ok(&format!(
        "{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    desiredCapacity: 5\n"
    ))
    .spec;
    let ng = &only_desired.nodegroups[0];
    assert_eq!((ng.min_size, ng.desired_capacity, ng.max_size), (5, 5, 5));
    let min_max = ok(&format!(
        "{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    minSize: 1\n    maxSize: 4\n"
    ))
    .spec;
    let ng = &min_max.nodegroups[0];
    assert_eq!((ng.min_size, ng.desired_capacity, ng.max_size), (1, 1, 4));
}

#[test]
fn version_1_30_stays_1_30() {
    let lab = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: old}\nspec:\n  startDate: \"2025-06-01\"\n";
    for v in ["1.30", "\"1.30\"", "'1.30'"] {
        let s = ok(&format!("{CLUSTER}  version: {v}\n{lab}")).spec;
        assert_eq!(s.cluster.version, KubernetesVersion::new(30), "{v}");
        assert_eq!(s.start_date, Date::from_ymd(2025, 6, 1));
    }
    // On the default start date (2026-11-01) 1.30 is past its end of extended support.
    let (_, line, col, path, msg) = first_error(&format!("{CLUSTER}  version: 1.30\n"));
    assert_eq!((line, col, path.as_str()), (5, 12, "metadata.version"));
    assert!(
        msg.contains("1.30") && msg.contains("end of extended support"),
        "{msg}"
    );
}

// ---- every error class, positioned ----

#[test]
fn yaml_syntax_error() {
    let text =
        format!("{CLUSTER}managedNodeGroups:\n  - name: [ng-1\n    instanceType: m5.large\n");
    assert_eq!(
        first_error(&text),
        (
            1,
            7,
            17,
            String::new(),
            "YAML syntax error: illegal placement of ':' indicator".to_string()
        )
    );
}

#[test]
fn unknown_fields_in_manifests_and_cluster_config() {
    let deploy = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    assert_eq!(
        first_error(&format!("{CLUSTER}{deploy}")),
        (
            2,
            11,
            3,
            "spec.replica".to_string(),
            "unknown field \"replica\" (did you mean \"replicas\"?)".to_string()
        )
    );
    let text = format!("{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    instancetype: m5.large\n");
    assert_eq!(
        first_error(&text),
        (
            1,
            7,
            5,
            "managedNodeGroups[0].instancetype".to_string(),
            "unknown field \"instancetype\" (did you mean \"instanceType\"?)".to_string()
        )
    );
}

#[test]
fn bad_quantity() {
    let deploy = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          resources:\n            requests:\n              cpu: 500x\n";
    let e = errors(&format!("{CLUSTER}{deploy}"));
    assert_eq!(
        e[0].to_string(),
        "error: document 2, line 20, column 20: spec.template.spec.containers[0].resources.requests.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    );
}

#[test]
fn bad_instance_type() {
    let text = format!("{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    instanceType: m5.larg\n");
    let (doc, line, col, path, msg) = first_error(&text);
    assert_eq!(
        (doc, line, col, path.as_str()),
        (1, 7, 19, "managedNodeGroups[0].instanceType")
    );
    assert!(
        msg.starts_with("unknown instance type \"m5.larg\" (did you mean \"m5.large\"?)"),
        "{msg}"
    );
}

#[test]
fn min_greater_than_max() {
    let text = format!("{CLUSTER}nodeGroups:\n  - name: ng-1\n    minSize: 4\n    maxSize: 2\n");
    assert_eq!(
        first_error(&text),
        (
            1,
            7,
            14,
            "nodeGroups[0].minSize".to_string(),
            // eksctl's stack builder for a self-managed group (pkg/cfn/builder/nodegroup.go).
            "--nodes-min value (4) cannot be greater than --nodes-max value (2)".to_string()
        )
    );
}

#[test]
fn both_instance_type_and_instance_types() {
    let text = format!(
        "{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    instanceType: m5.large\n    instanceTypes: [m5.large, c5.large]\n"
    );
    assert_eq!(
        first_error(&text),
        (
            1,
            8,
            5,
            "managedNodeGroups[0].instanceTypes".to_string(),
            "instanceType and instanceTypes cannot both be set".to_string()
        )
    );
}

#[test]
fn missing_cluster_config() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: batch\n";
    let (doc, line, col, _, msg) = first_error(text);
    assert_eq!((doc, line, col), (1, 1, 1));
    assert!(msg.starts_with("no eksctl ClusterConfig document"), "{msg}");
}

#[test]
fn bad_timeline_command() {
    let lab = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata:\n  name: t\nspec:\n  timeline:\n    - at: 30m\n      run: kubectl scale deployment web --replica=10\n    - at: 40m\n      run: eksctl scale nodegroup --cluster=other --name=ng-1 --nodes=3\n    - at: soon\n      run: kubectl cordon n1\n";
    let e = errors(&format!("{CLUSTER}{lab}"));
    let got: Vec<(usize, usize, usize, &str, &str)> = e
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
        .collect();
    assert_eq!(
        got[0],
        (
            2,
            13,
            12,
            "spec.timeline[0].run",
            "error: unknown flag: --replica"
        )
    );
    assert_eq!(
        (got[1].1, got[1].2, got[1].3),
        (15, 12, "spec.timeline[1].run")
    );
    assert!(
        got[1].4.starts_with("Error: cluster \"other\" not found"),
        "{}",
        got[1].4
    );
    assert_eq!(
        (got[2].1, got[2].2, got[2].3),
        (16, 11, "spec.timeline[2].at")
    );
    assert!(
        got[2].4.starts_with("invalid duration \"soon\""),
        "{}",
        got[2].4
    );
}

#[test]
fn bad_upgrade_commands_in_a_timeline_are_positioned() {
    let lab = "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata:\n  name: t\nspec:\n  timeline:\n    - at: 10m\n      run: aws eks update-cluster-version --name prod --kubernetes-version 1.35\n    - at: 20m\n      run: eksctl update addon --cluster=lab --name=kube-dns\n    - at: 30m\n      run: ekslab inject-fault power-cut\n    - at: 40m\n      run: aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config updateStrategy=FAST\n";
    let e = errors(&format!("{CLUSTER}{lab}"));
    let got: Vec<(usize, usize, &str, &str)> = e
        .iter()
        .map(|d| (d.line, d.column, d.path.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                13,
                12,
                "spec.timeline[0].run",
                "An error occurred (ResourceNotFoundException) when calling the UpdateClusterVersion operation: No cluster found for name: prod. This lab's cluster is \"lab\"."
            ),
            (
                15,
                12,
                "spec.timeline[1].run",
                "Error: unknown add-on \"kube-dns\": the lab models vpc-cni, kube-proxy, coredns, metrics-server"
            ),
            (
                17,
                12,
                "spec.timeline[2].run",
                "error: unknown fault \"power-cut\": the lab can inject security-group-deleted, subnet-deleted"
            ),
            (
                19,
                12,
                "spec.timeline[3].run",
                "An error occurred (InvalidParameterException) when calling the UpdateNodegroupConfig operation: updateStrategy must be DEFAULT or MINIMAL, not \"FAST\""
            ),
        ]
    );
}

#[test]
fn update_strategy_in_the_cluster_config() {
    let text = format!(
        "{CLUSTER}managedNodeGroups:\n  - name: gpu\n    updateConfig:\n      maxUnavailable: 1\n      updateStrategy: MINIMAL\n"
    );
    let spec = ok(&text).spec;
    assert_eq!(spec.nodegroups[0].update_strategy, UpdateStrategy::Minimal);
    let back = to_yaml(&spec);
    assert!(back.contains("      updateStrategy: MINIMAL\n"), "{back}");
    assert_eq!(ok(&back).spec, spec);
    let bad = format!(
        "{CLUSTER}managedNodeGroups:\n  - name: gpu\n    updateConfig:\n      maxUnavailable: 1\n      updateStrategy: SURGE\n"
    );
    assert_eq!(
        first_error(&bad),
        (
            1,
            9,
            23,
            "managedNodeGroups[0].updateConfig.updateStrategy".to_string(),
            "unknown updateStrategy \"SURGE\": use DEFAULT or MINIMAL".to_string()
        )
    );
}

#[test]
fn duplicate_key() {
    let text =
        format!("{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    minSize: 1\n    minSize: 2\n");
    assert_eq!(
        first_error(&text),
        (
            1,
            8,
            5,
            String::new(),
            "duplicate key \"minSize\" in this mapping".to_string()
        )
    );
}

#[test]
fn every_error_is_reported_at_once_and_sorted() {
    let text = format!(
        "{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    instanceType: nope\n    desiredCapacity: many\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers: [{{name: a, image: b, resources: {{limits: {{memory: 1Zi}}}}}}]\n"
    );
    let e = errors(&text);
    assert_eq!(e.len(), 3, "{e:?}");
    let pos: Vec<(usize, usize)> = e.iter().map(|d| (d.document, d.line)).collect();
    assert_eq!(pos, [(1, 7), (1, 8), (2, 14)]);
}

#[test]
fn selector_must_match_template() {
    let deploy = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    let (doc, line, _, path, msg) = first_error(&format!("{CLUSTER}{deploy}"));
    assert_eq!(
        (doc, line, path.as_str()),
        (2, 15, "spec.template.metadata.labels")
    );
    assert!(msg.contains("`selector` does not match template `labels`"));
}

#[test]
fn wrong_types_are_errors() {
    let pdb = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec:\n  minAvailable: \"two\"\n  selector: {matchLabels: {app: web}}\n";
    let (_, line, col, path, msg) = first_error(&format!("{CLUSTER}{pdb}"));
    assert_eq!((line, col, path.as_str()), (10, 17, "spec.minAvailable"));
    // The API server's `ValidatePositiveIntOrPercent` (`IsValidPercent`).
    assert_eq!(
        msg,
        "Invalid value: \"two\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
    );
    let cidr = format!("{CLUSTER}vpc:\n  cidr: 10.0.0.0/33\n");
    assert_eq!(first_error(&cidr).3, "vpc.cidr");
    let lab = format!(
        "{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: x}}\nspec:\n  seed: \"42\"\n  duration: 2 hours\n"
    );
    let e = errors(&lab);
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].message, "expected an integer, got a string \"42\"");
    assert!(e[1].message.contains("invalid duration"));
}

// ---- warnings ----

#[test]
fn unmodelled_fields_warn_with_their_path() {
    let text = format!(
        "{CLUSTER}iam:\n  withOIDC: true\nvpc:\n  nat: {{gateway: Single}}\nmanagedNodeGroups:\n  - name: ng-1\n    ssh: {{allow: true}}\n    iam: {{withAddonPolicies: {{autoScaler: true, ebs: true}}}}\ncloudWatch:\n  clusterLogging:\n    enableTypes: [\"*\"]\n    logRetentionInDays: 30\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      serviceAccountName: web\n      containers:\n        - name: web\n          image: nginx\n          env: [{{name: A, value: b}}]\n          livenessProbe: {{httpGet: {{path: /, port: 80}}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: web}}\n"
    );
    let l = ok(&text);
    let paths: Vec<&str> = l.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "iam",
            "vpc.nat",
            "managedNodeGroups[0].ssh",
            "managedNodeGroups[0].iam.withAddonPolicies.ebs",
            "cloudWatch.clusterLogging.logRetentionInDays",
            "spec.template.spec.serviceAccountName",
            "spec.template.spec.containers[0].env",
            "spec.template.spec.containers[0].livenessProbe",
            "kind",
        ]
    );
    let messages: Vec<&str> = l.warnings.iter().map(|w| w.message.as_str()).collect();
    // Where ignoring a field changes what a real cluster would show, the warning says so.
    assert_eq!(
        messages[..2],
        [
            "not modelled by the lab; ignored: the lab creates no IAM roles, OIDC provider or service accounts, and shows its own eksctl-named roles",
            "not modelled by the lab; ignored: the lab does not bill NAT gateways (about $0.045 per hour each on AWS)",
        ]
    );
    assert!(
        messages[2..8]
            .iter()
            .all(|m| *m == "not modelled by the lab; ignored")
    );
    assert_eq!(
        l.warnings[8].message,
        "kind Service is not modelled by the lab; ignored"
    );
    assert_eq!(l.spec.cluster.logging, LogType::ALL);
    assert!(
        l.warnings[0]
            .to_string()
            .starts_with("warning: document 1, line 5, column 1: iam: ")
    );
}

#[test]
fn other_regions_warn() {
    let l = ok(&format!("{CLUSTER}  region: eu-west-1\n"));
    assert_eq!(l.spec.cluster.region, "eu-west-1");
    assert_eq!(
        l.spec.cluster.zones,
        ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    );
    assert_eq!(
        (l.warnings[0].line, l.warnings[0].path.as_str()),
        (5, "metadata.region")
    );
    assert!(l.warnings[0].message.contains("us-east-1"));
}

// ---- robustness ----

/// A deterministic byte stream for the fuzz-ish tests.
fn lcg(seed: u64) -> impl Iterator<Item = u8> {
    let mut x = seed;
    std::iter::repeat_with(move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as u8
    })
}

#[test]
fn mangled_inputs_never_panic() {
    let mixed = example("mixed");
    let mut inputs: Vec<String> = Vec::new();
    // Truncated at many places (on character boundaries).
    for cut in (0..mixed.len()).step_by(mixed.len() / 12) {
        let mut c = cut;
        while !mixed.is_char_boundary(c) {
            c += 1;
        }
        inputs.push(mixed[..c].to_string());
    }
    // Random bytes, and random bytes spliced into a valid file.
    for seed in 0..4 {
        let bytes: Vec<u8> = lcg(seed).take(400).collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
        let printable: String = lcg(seed + 10)
            .take(200)
            .map(|b| char::from(b % 95 + 32))
            .collect();
        inputs.push(format!(
            "{}{printable}{}",
            &mixed[..mixed.len() / 2],
            &mixed[mixed.len() / 2..]
        ));
    }
    inputs.extend([
        "[".repeat(100_000),
        "{a: ".repeat(5_000),
        (0..200)
            .map(|i| format!("{}a:\n", "  ".repeat(i)))
            .collect::<Vec<_>>()
            .concat(),
        "- ".repeat(10_000) + "x",
        format!("{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    desiredCapacity: 99999999999999999999999999999\n"),
        format!("{CLUSTER}managedNodeGroups:\n  - name: ng-1\n    maxSize: -5\n    volumeSize: 1e400\n"),
        format!("{CLUSTER}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {{containers: [{{name: a, image: b, resources: {{requests: {{cpu: 99999999999999999999999999999999999Ti, memory: 9999999999999999999999999Ti}}}}}}]}}\n"),
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n\tname: lab\n".to_string(),
        "\tapiVersion: eksctl.io/v1alpha5\n".to_string(),
        "a: &x [*x]\n".to_string(),
        "a: *nope\n".to_string(),
        "\u{feff}apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\n".to_string(),
        "apiVersion: eksctl.io/v1alpha5\r\nkind: ClusterConfig\r\nmetadata:\r\n  name: lab\r\n".to_string(),
        "\0\0\0".to_string(),
        "---\n...\n---\n...\n".to_string(),
        "%YAML 1.2\n%TAG ! tag:x,2000:\n--- !foo\na: !!binary aGk=\n".to_string(),
        "? a\n? b\n: c\n".to_string(),
        format!("{CLUSTER}metadata: {{name: again}}\n"),
        "x".repeat(100_000),
        "---\n".repeat(6_000),
        format!("{CLUSTER}---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: x}}\nspec:\n  timeline:\n    - at: 99999999999999999999h\n      run: \"kubectl '\"\n    - {{at: 1m, run: [a]}}\n    - at: 1m\n      apply: {{kind: Pod}}\n"),
        "'unterminated".to_string(),
        "a: \"\\uD800\"\n".to_string(),
    ]);
    let mut bomb = vec!["a: &a [x, x, x, x, x, x, x, x, x, x]".to_string()];
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        bomb.push(format!(
            "l{i}: &l{i} [{}]",
            vec![format!("*{prev}"); 10].join(", ")
        ));
    }
    inputs.push(bomb.join("\n"));
    assert!(inputs.len() >= 30, "{}", inputs.len());
    for text in &inputs {
        // Ok or Err, never a panic; every diagnostic has a position.
        if let Err(diags) = load(text) {
            assert!(!diags.is_empty());
            assert!(
                diags
                    .iter()
                    .all(|d| d.line >= 1 && d.column >= 1 && d.document >= 1),
                "{diags:?}"
            );
        }
    }
}

#[test]
fn mutated_examples_never_panic_and_round_trip_when_valid() {
    let texts: Vec<Vec<char>> = EXAMPLES
        .iter()
        .map(|n| example(n).chars().collect())
        .collect();
    let pieces = [
        "[", "]", "{", "}", ":", "- ", "&a ", "*a", "!", "|", ">", "'", "\"", "#", "\t", "\n",
        "---\n", "? ", ",", "  ", "-1", "1.5", "~", "true", "é",
    ];
    let mut rnd = lcg(2024);
    let mut next =
        move || u64::from(rnd.next().unwrap_or(0)) << 8 | u64::from(rnd.next().unwrap_or(0));
    let mut loaded = 0;
    for i in 0..400 {
        let mut chars = texts[(next() % 4) as usize].clone();
        for _ in 0..=next() % 4 {
            let pos = (next() as usize) % (chars.len() + 1);
            let piece = pieces[(next() as usize) % pieces.len()];
            if next() % 2 == 0 {
                for (k, c) in piece.chars().enumerate() {
                    chars.insert(pos + k, c);
                }
            } else if pos < chars.len() {
                chars.remove(pos);
            }
        }
        let text: String = chars.into_iter().collect();
        if let Ok(l) = load(&text) {
            loaded += 1;
            let again = load(&to_yaml(&l.spec)).map(|b| b.spec);
            assert_eq!(
                again.as_ref().ok(),
                Some(&l.spec),
                "mutant {i} does not round trip:\n{text}"
            );
        }
    }
    assert!(
        loaded > 20,
        "the mutants should not all be broken ({loaded} loaded)"
    );
}

// ---- export ----

#[test]
fn every_example_round_trips_through_to_yaml() {
    for name in EXAMPLES {
        let spec = ok(&example(name)).spec;
        let text = to_yaml(&spec);
        let back = load(&text).unwrap_or_else(|d| panic!("{name}:\n{text}\n{d:?}"));
        assert_eq!(back.spec, spec, "{name}:\n{text}");
        assert_eq!(to_yaml(&back.spec), text, "{name}: export is stable");
    }
}

#[test]
fn a_spec_with_every_setting_round_trips() {
    let mut spec = ok(&example("mixed")).spec;
    spec.start_date = Date::from_ymd(2026, 3, 1);
    spec.settings.spot_discount_percent = 60;
    spec.settings.skip_cluster_creation = true;
    spec.settings.delays.cluster_create.base = SimDuration::from_mins(3);
    spec.cluster.addon_management = eks_lab::sim::spec::AddonManagement::SelfManaged;
    spec.cluster.tags = labels(&[("team", "platform"), ("cost-center", "1234")]);
    // A self-managed group may lag the control plane (managed ones start at its version).
    spec.nodegroups[1].version = Some(KubernetesVersion::new(33));
    spec.nodegroups[0].update_strategy = UpdateStrategy::Minimal;
    spec.nodegroups[1].spot = true;
    spec.nodegroups[1].instance_types = vec!["c5.large".into(), "c5.xlarge".into()];
    spec.timeline.push(eks_lab::sim::spec::TimelineEntry {
        at: SimDuration::from_secs(6000),
        command: Command::Drain {
            node: "ip-1".into(),
            options: DrainOptions {
                ignore_daemonsets: true,
                ..DrainOptions::default()
            },
        },
        text: "kubectl drain ip-1 --ignore-daemonsets".into(),
    });
    for (secs, line) in [
        (6100, "eksctl upgrade cluster --name=lab --approve"),
        (
            6200,
            "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config maxUnavailablePercentage=50,updateStrategy=MINIMAL",
        ),
        (6300, "ekslab inject-fault subnet-deleted"),
    ] {
        spec.timeline.push(eks_lab::sim::spec::TimelineEntry {
            at: SimDuration::from_secs(secs),
            command: parse_command(line, &CommandContext::new("lab")).unwrap(),
            text: line.into(),
        });
    }
    let text = to_yaml(&spec);
    assert_eq!(ok(&text).spec, spec, "{text}");
}

// ---- the command line ----

#[test]
fn command_parser_table() {
    let ctx = CommandContext::new("lab");
    let web = ObjectKey::new("default", "web");
    let table: Vec<(&str, Command)> = vec![
        (
            "kubectl scale deployment web --replicas=10",
            Command::ScaleDeployment {
                key: web.clone(),
                replicas: 10,
            },
        ),
        (
            "kubectl scale deployment/web --replicas 3 -n shop",
            Command::ScaleDeployment {
                key: ObjectKey::new("shop", "web"),
                replicas: 3,
            },
        ),
        (
            "kubectl delete pod web-1",
            Command::Delete {
                kind: Kind::Pod,
                key: ObjectKey::new("default", "web-1"),
            },
        ),
        (
            "kubectl delete deploy web",
            Command::Delete {
                kind: Kind::Deployment,
                key: web.clone(),
            },
        ),
        (
            "kubectl delete ds/agent -n kube-system",
            Command::Delete {
                kind: Kind::DaemonSet,
                key: ObjectKey::new("kube-system", "agent"),
            },
        ),
        (
            "kubectl delete jobs crunch",
            Command::Delete {
                kind: Kind::Job,
                key: ObjectKey::new("default", "crunch"),
            },
        ),
        (
            "kubectl delete pdb web",
            Command::Delete {
                kind: Kind::PodDisruptionBudget,
                key: web.clone(),
            },
        ),
        (
            "kubectl delete ns batch",
            Command::Delete {
                kind: Kind::Namespace,
                key: ObjectKey::new("", "batch"),
            },
        ),
        (
            "kubectl delete no n1",
            Command::Delete {
                kind: Kind::Node,
                key: ObjectKey::new("", "n1"),
            },
        ),
        (
            "kubectl cordon n1",
            Command::Cordon {
                node: "n1".into(),
                unschedulable: true,
            },
        ),
        (
            "kubectl uncordon n1",
            Command::Cordon {
                node: "n1".into(),
                unschedulable: false,
            },
        ),
        (
            "kubectl drain n1 --ignore-daemonsets --delete-emptydir-data --force --disable-eviction",
            Command::Drain {
                node: "n1".into(),
                options: DrainOptions {
                    ignore_daemonsets: true,
                    delete_emptydir_data: true,
                    force: true,
                    disable_eviction: true,
                },
            },
        ),
        (
            "kubectl set image deployment/web web=nginx:1.28",
            Command::SetImage {
                key: web.clone(),
                container: "web".into(),
                image: "nginx:1.28".into(),
            },
        ),
        (
            "kubectl set resources deployment web -c web --requests=cpu=500m,memory=256Mi",
            Command::SetResources {
                key: web.clone(),
                container: Some("web".into()),
                requests: Some(ResourcePatch {
                    cpu: Some(MilliCpu(500)),
                    memory: Some(Bytes(256 * MIB)),
                }),
                limits: None,
            },
        ),
        (
            "kubectl rollout restart deployment/web",
            Command::RolloutRestart { key: web.clone() },
        ),
        (
            "eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=5",
            Command::ScaleNodegroup {
                name: "ng-1".into(),
                desired: Some(5),
                min: None,
                max: None,
            },
        ),
        (
            "eksctl scale nodegroup --cluster lab -n ng-1 -N 5 -m 1 -M 6",
            Command::ScaleNodegroup {
                name: "ng-1".into(),
                desired: Some(5),
                min: Some(1),
                max: Some(6),
            },
        ),
        (
            "eksctl delete nodegroup --cluster=lab --name=ng-1",
            Command::DeleteNodegroup {
                name: "ng-1".into(),
            },
        ),
        (
            "eksctl delete fargateprofile --cluster lab --name fp-x",
            Command::DeleteFargateProfile {
                name: "fp-x".into(),
            },
        ),
        (
            "eksctl utils update-cluster-logging --cluster=lab --enable-types=api,audit --approve",
            Command::UpdateClusterLogging {
                enable: vec![LogType::Api, LogType::Audit],
                disable: vec![],
            },
        ),
        (
            "eksctl utils update-cluster-vpc-config --cluster=lab --public-access=false --private-access=true --approve",
            Command::UpdateEndpointAccess {
                public: false,
                private: true,
            },
        ),
    ];
    let upgrades: Vec<(&str, Command)> = vec![
        (
            "eksctl upgrade cluster --name=lab --version=1.35 --approve",
            Command::UpgradeCluster {
                version: Some(KubernetesVersion::new(35)),
                approve: true,
            },
        ),
        (
            "aws eks update-cluster-version --name lab --kubernetes-version 1.35",
            Command::UpgradeCluster {
                version: Some(KubernetesVersion::new(35)),
                approve: true,
            },
        ),
        (
            "eksctl upgrade nodegroup --cluster=lab --name=ng-1 --kubernetes-version=1.35",
            Command::UpgradeNodegroup {
                name: "ng-1".into(),
                version: Some(KubernetesVersion::new(35)),
                force: false,
            },
        ),
        (
            "aws eks update-nodegroup-version --cluster-name lab --nodegroup-name ng-1 --force",
            Command::UpgradeNodegroup {
                name: "ng-1".into(),
                version: None,
                force: true,
            },
        ),
        (
            "aws eks update-nodegroup-config --cluster-name lab --nodegroup-name ng-1 --update-config '{\"maxUnavailable\": 2}'",
            Command::UpdateNodegroupConfig {
                name: "ng-1".into(),
                update_config: Some(NodegroupUpdateConfig::MaxUnavailable(2)),
                strategy: None,
            },
        ),
        (
            "aws eks update-addon --cluster-name lab --addon-name kube-proxy --addon-version v1.35.0-eksbuild.1",
            Command::UpdateAddon {
                name: AddonName::KubeProxy,
                version: Some("v1.35.0-eksbuild.1".into()),
            },
        ),
        (
            "eksctl create addon --cluster lab --name coredns --force",
            Command::CreateAddon {
                name: AddonName::CoreDns,
                version: None,
                force: true,
            },
        ),
        (
            "eksctl utils update-aws-node --cluster lab --approve",
            Command::UpdateSelfManagedAddon {
                name: AddonName::VpcCni,
                approve: true,
            },
        ),
        (
            "ekslab set-ami nodegroup/ng-2 --kubernetes-version=1.35",
            Command::SetNodegroupAmi {
                name: "ng-2".into(),
                version: KubernetesVersion::new(35),
            },
        ),
        (
            "aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-1 --no-should-decrement-desired-capacity",
            Command::TerminateInstance {
                instance_id: "i-1".into(),
                decrement: false,
            },
        ),
        (
            "ekslab inject-fault security-group-deleted",
            Command::InjectFault(Fault::SecurityGroupDeleted),
        ),
        ("ekslab clear-faults", Command::ClearFaults),
    ];
    for (line, want) in table.into_iter().chain(upgrades) {
        assert_eq!(parse_command(line, &ctx), Ok(want.clone()), "{line}");
        let again = format_command(&want, &ctx).unwrap();
        assert_eq!(parse_command(&again, &ctx), Ok(want), "{line} -> {again}");
    }
    // Commands that build objects.
    let Ok(Command::Create(Manifest::Deployment(d))) = parse_command(
        "kubectl create deployment web --image=nginx:1.27 --replicas=3 --port=80",
        &ctx,
    ) else {
        panic!()
    };
    assert_eq!(
        (
            d.spec.replicas,
            d.spec.template.spec.containers[0].name.as_str()
        ),
        (3, "nginx")
    );
    assert_eq!(d.spec.template.labels, labels(&[("app", "web")]));
    assert!(matches!(
        parse_command("kubectl create namespace batch", &ctx),
        Ok(Command::Create(Manifest::Namespace(_)))
    ));
    let Ok(Command::CreateNodegroup(ng)) = parse_command(
        "eksctl create nodegroup --cluster=lab --name=ng-2 --node-type=m5.xlarge --nodes=3 --nodes-min=1 --nodes-max=5 --managed=false",
        &ctx,
    ) else {
        panic!()
    };
    assert_eq!(
        (
            ng.kind,
            ng.instance_types.as_slice(),
            ng.min_size,
            ng.desired_capacity,
            ng.max_size
        ),
        (
            NodegroupKind::SelfManaged,
            ["m5.xlarge".to_string()].as_slice(),
            1,
            3,
            5
        )
    );
    let Ok(Command::CreateFargateProfile(fp)) = parse_command(
        "eksctl create fargateprofile --cluster lab --name fp-x --namespace ns --labels a=b,c=d",
        &ctx,
    ) else {
        panic!()
    };
    assert_eq!(fp.selectors[0].labels, labels(&[("a", "b"), ("c", "d")]));
}

#[test]
fn command_parser_errors_read_like_the_real_tools() {
    let ctx = CommandContext::new("lab");
    for (line, want) in [
        (
            "kubectl foo",
            "error: unknown command \"foo\" for \"kubectl\"",
        ),
        (
            "kubectl scale deployment web --replica=10",
            "error: unknown flag: --replica",
        ),
        (
            "kubectl scale deployment web",
            "error: required flag(s) \"replicas\" not set",
        ),
        (
            "eksctl scale nodegroup --cluster=lab --name=ng-1 --nodes=five",
            "Error: invalid argument \"five\" for \"-N, --nodes\" flag: strconv.ParseInt: parsing \"five\": invalid syntax",
        ),
        (
            "eksctl scale nodegroup --name=ng-1 --nodes=1",
            "Error: --cluster must be set",
        ),
        (
            "kubectl create deployment web",
            "error: required flag(s) \"image\" not set",
        ),
        (
            "kubectl delete widget x",
            "error: the server doesn't have a resource type \"widget\"",
        ),
        ("", "empty command"),
        ("# a comment", "empty command"),
    ] {
        assert_eq!(parse_command(line, &ctx), Err(want.to_string()), "{line}");
    }
    assert!(
        parse_command("eksctl create nodegroup --cluster=prod --name=x", &ctx)
            .unwrap_err()
            .starts_with("Error: cluster \"prod\" not found")
    );
}

// ---- the examples run ----

fn pending(sim: &Simulation) -> Vec<String> {
    sim.state()
        .pods
        .values()
        .filter(|p| p.status.phase == PodPhase::Pending)
        .map(|p| p.meta.key().to_string())
        .collect()
}

/// Runs an example for its duration and returns the simulation.
fn run(name: &str) -> Simulation {
    let spec: LabSpec = ok(&example(name)).spec;
    let duration = spec.duration.unwrap_or(SimDuration::from_hours(1));
    let mut sim = Simulation::new(spec).unwrap_or_else(|e| panic!("{name}: {e}"));
    sim.run_for(duration);
    for o in sim.outcomes() {
        assert!(
            o.result.is_ok(),
            "{name}: {} failed: {:?}",
            o.text,
            o.result
        );
    }
    sim
}

#[test]
fn managed_nodegroup_example_runs_out_of_room_then_scales() {
    let spec = ok(&example("managed-nodegroup")).spec;
    let mut sim = Simulation::new(spec).unwrap();
    // After the scale-up to 10 replicas and before the node group grows, pods are Pending...
    sim.run_for(SimDuration::from_mins(35));
    assert!(
        !pending(&sim).is_empty(),
        "two m5.large nodes cannot hold 10 web pods"
    );
    // ...and at the end everything runs on four nodes.
    sim.run_for(SimDuration::from_mins(25));
    assert_eq!(pending(&sim), Vec::<String>::new());
    assert_eq!(sim.state().nodes.len(), 4);
    assert!(sim.outcomes().iter().all(|o| o.result.is_ok()));
}

#[test]
fn self_managed_example_scales_in_and_out() {
    let spec = ok(&example("self-managed-nodegroup")).spec;
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(35));
    assert_eq!(sim.state().nodes.len(), 1);
    assert!(
        !pending(&sim).is_empty(),
        "one c5.large cannot hold four 500m api pods"
    );
    sim.run_for(SimDuration::from_mins(25));
    assert_eq!(pending(&sim), Vec::<String>::new());
    assert_eq!(sim.state().nodes.len(), 3);
    let agents = sim
        .state()
        .pods
        .keys()
        .filter(|k| k.name.starts_with("log-agent-"))
        .count();
    assert_eq!(agents, 3, "one log agent per node");
}

#[test]
fn fargate_example_runs_everything_on_fargate() {
    let sim = run("fargate");
    assert_eq!(pending(&sim), Vec::<String>::new());
    let state = sim.state();
    assert!(state.nodes.values().all(|n| n.data_plane.is_fargate()));
    let web: Vec<_> = state
        .pods
        .values()
        .filter(|p| p.meta.name.starts_with("web-"))
        .collect();
    assert_eq!(web.len(), 3);
    for p in web {
        assert_eq!(
            p.meta
                .annotations
                .get("CapacityProvisioned")
                .map(String::as_str),
            Some("2vCPU 9GB")
        );
    }
    assert!(
        state.pods.keys().any(|k| k.name.starts_with("coredns-")),
        "CoreDNS runs on Fargate"
    );
    // Both Jobs finished and their TTL removed them.
    assert!(
        state.jobs.is_empty(),
        "{:?}",
        state.jobs.keys().collect::<Vec<_>>()
    );
}

#[test]
fn mixed_example_places_each_workload_on_its_data_plane() {
    let sim = run("mixed");
    assert_eq!(pending(&sim), Vec::<String>::new());
    let state = sim.state();
    let node_of = |p: &eks_lab::sim::api::Pod| {
        p.spec
            .node_name
            .as_ref()
            .and_then(|n| state.nodes.get(n))
            .map(|n| n.data_plane.kind_str())
    };
    for p in state.pods.values() {
        let want = if p.meta.name.starts_with("web-") {
            Some("managed")
        } else if p.meta.name.starts_with("crunch-") {
            Some("self-managed")
        } else if p.meta.namespace == "serverless" {
            Some("fargate")
        } else {
            None
        };
        if want.is_some() {
            assert_eq!(node_of(p), want, "{}", p.meta.name);
        }
    }
    let crunch = state
        .jobs
        .get(&ObjectKey::new("default", "crunch"))
        .unwrap();
    assert_eq!(crunch.status.succeeded, 4);
    assert_eq!(state.nodegroups.len(), 3, "the timeline added ng-spot");
}

#[test]
fn every_example_runs_for_its_duration_without_pending_pods() {
    for name in EXAMPLES {
        let sim = run(name);
        assert_eq!(pending(&sim), Vec::<String>::new(), "{name}");
    }
}
