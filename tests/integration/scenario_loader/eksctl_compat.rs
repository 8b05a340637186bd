//! eksctl compatibility, from eksctl's `ClusterConfig` schema (schema.json @ 99984ad) and its
//! validation code: fields eksctl knows load (decoded, or with a "not modelled" warning that
//! names them), fields it does not know stay errors with a hint, subnets may be given by ID,
//! names follow eksctl's rules and versions EKS no longer runs are refused saying so.

use eks_lab::scenario::{Diagnostic, Loaded, Severity, load};
use eks_lab::sim::Simulation;
use eks_lab::sim::catalog::KubernetesVersion;

const HEAD: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n";

fn loaded(text: &str) -> Loaded {
    load(text).unwrap_or_else(|d| panic!("{}\n---\n{text}", lines(&d)))
}

fn refused(text: &str) -> Vec<Diagnostic> {
    match load(text) {
        Ok(l) => panic!(
            "loaded, with warnings:\n{}\n---\n{text}",
            lines(&l.warnings)
        ),
        Err(d) => d
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect(),
    }
}

fn lines(d: &[Diagnostic]) -> String {
    d.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// (line, column, path, message) of each diagnostic.
fn positioned(d: &[Diagnostic]) -> Vec<(usize, usize, &str, &str)> {
    d.iter()
        .map(|d| (d.line, d.column, d.path.as_str(), d.message.as_str()))
        .collect()
}

const IGNORED: &str = "not modelled by the lab; ignored";

#[path = "eksctl_compat/subnets.rs"]
mod subnets;

// ---- the fields issue 9 names ----

#[test]
fn fields_the_issue_names_warn_instead_of_failing() {
    // (the file after HEAD, line, column, path, message)
    let cases: [(&str, usize, usize, &str, String); 5] = [
        (
            "controlPlaneScalingConfig:\n  tier: tier-xl\n",
            5,
            1,
            "controlPlaneScalingConfig",
            format!(
                "{IGNORED}: the lab runs the standard control plane and does not bill a Provisioned Control Plane tier"
            ),
        ),
        (
            "capabilities:\n  - name: argocd\n    type: ARGOCD\n    roleArn: arn:aws:iam::111122223333:role/argocd\n",
            5,
            1,
            "capabilities",
            format!("{IGNORED}: the lab does not install EKS capabilities (Argo CD, ACK, kro)"),
        ),
        (
            "vpc:\n  controlPlaneSubnetIDs: [subnet-0a1b2c3d, subnet-4e5f6a7b]\n",
            6,
            3,
            "vpc.controlPlaneSubnetIDs",
            format!(
                "{IGNORED}: the lab places the control plane's network interfaces in all of the cluster's subnets"
            ),
        ),
        (
            "vpc:\n  controlPlaneSecurityGroupIDs: [sg-0123456789abcdef0]\n",
            6,
            3,
            "vpc.controlPlaneSecurityGroupIDs",
            format!("{IGNORED}: the lab shows a cluster security group of its own"),
        ),
        (
            "nodeGroups:\n  - name: ng-1\n    asgMetricsCollection:\n      - granularity: 1Minute\n        metrics: [GroupDesiredCapacity]\n",
            7,
            5,
            "nodeGroups[0].asgMetricsCollection",
            IGNORED.to_string(),
        ),
    ];
    for (body, line, column, path, message) in cases {
        let l = loaded(&format!("{HEAD}{body}"));
        assert_eq!(
            positioned(&l.warnings),
            [(line, column, path, message.as_str())],
            "{body}"
        );
        assert_eq!(l.warnings[0].document, 1);
    }
}

#[test]
fn control_plane_on_private_subnets_is_what_the_lab_does() {
    // The lab's subnets are all private: no warning, and eksctl's own checks apply.
    let l = loaded(&format!(
        "{HEAD}vpc:\n  controlPlaneOnPrivateSubnets: true\n"
    ));
    assert!(l.warnings.is_empty(), "{}", lines(&l.warnings));
    let e = refused(&format!(
        "{HEAD}vpc:\n  controlPlaneOnPrivateSubnets: true\n  controlPlaneSubnetIDs: [subnet-0a1b2c3d]\n"
    ));
    assert_eq!(
        positioned(&e),
        [(
            6,
            3,
            "vpc.controlPlaneOnPrivateSubnets",
            "only one of vpc.controlPlaneSubnetIDs and vpc.controlPlaneOnPrivateSubnets can be specified"
        )]
    );
    let e = refused(&format!(
        "{HEAD}vpc:\n  controlPlaneOnPrivateSubnets: true\n  subnets:\n    private:\n      us-east-1a: {{id: subnet-0a1b2c3d}}\n"
    ));
    assert_eq!(
        e[0].message,
        "vpc.controlPlaneOnPrivateSubnets requires at least 2 private subnets, got 1"
    );
}

#[test]
fn many_unmodelled_fields_load_with_one_positioned_warning_each() {
    // The ClusterConfig is the second document: positions count from the file's start.
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n---\napiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: lab\n  annotations: {team: web}\n  rollbackConfig: {timeoutMinutes: 240}\nkubernetesNetworkConfig:\n  ipFamily: IPv4\nsecretsEncryption:\n  keyARN: arn:aws:kms:us-east-1:111122223333:key/abc\nzonalShiftConfig: {enabled: true}\nkubeControllerManagerConfig:\n  horizontalPodAutoscalerControllerConfig: {horizontalPodAutoscalerSyncPeriod: 30s}\nvpc:\n  hostnameType: resource-name\n  extraCIDRs: [10.1.0.0/16]\naddons:\n  - name: coredns\n    configurationValues: '{\"replicaCount\": 3}'\n    owners: [aws-marketplace]\nmanagedNodeGroups:\n  - name: web\n    nodeRepairConfig: {enabled: true}\n    launchTemplate: {id: lt-0123456789abcdef0}\n    instanceMarketOptions: {marketType: capacity-block}\nnodeGroups:\n  - name: batch\n    warmPool: {minSize: 1}\n    enclaveEnabled: true\n    asgMetricsCollection: [{granularity: 1Minute}]\nfargateProfiles:\n  - name: fp\n    podExecutionRoleARN: arn:aws:iam::111122223333:role/fargate\n    selectors: [{namespace: batch}]\n";
    let l = loaded(text);
    let got: Vec<(usize, usize, usize, &str)> = l
        .warnings
        .iter()
        .map(|w| (w.document, w.line, w.column, w.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2, 10, 3, "metadata.annotations"),
            (2, 11, 3, "metadata.rollbackConfig"),
            (2, 12, 1, "kubernetesNetworkConfig"),
            (2, 14, 1, "secretsEncryption"),
            (2, 16, 1, "zonalShiftConfig"),
            (2, 17, 1, "kubeControllerManagerConfig"),
            (2, 20, 3, "vpc.hostnameType"),
            (2, 21, 3, "vpc.extraCIDRs"),
            (2, 24, 5, "addons[0].configurationValues"),
            (2, 25, 5, "addons[0].owners"),
            (2, 28, 5, "managedNodeGroups[0].nodeRepairConfig"),
            (2, 29, 5, "managedNodeGroups[0].launchTemplate"),
            (2, 30, 5, "managedNodeGroups[0].instanceMarketOptions"),
            (2, 33, 5, "nodeGroups[0].warmPool"),
            (2, 34, 5, "nodeGroups[0].enclaveEnabled"),
            (2, 35, 5, "nodeGroups[0].asgMetricsCollection"),
            (2, 38, 5, "fargateProfiles[0].podExecutionRoleARN"),
        ]
    );
    assert!(l.warnings.iter().all(|w| w.message.starts_with(IGNORED)));
    let notes: Vec<&str> = l
        .warnings
        .iter()
        .filter_map(|w| w.message.strip_prefix(IGNORED)?.strip_prefix(": "))
        .collect();
    assert_eq!(
        notes,
        [
            "the lab's cluster is IPv4, with pod IPs from the VPC CNI",
            "the lab's HorizontalPodAutoscalers sync every 15 s, the controller manager's default",
            "the lab's VPC has only the CIDR of vpc.cidr",
            "the lab runs the add-on with its default configuration",
            "the lab does not repair unhealthy nodes",
            "the lab builds the group's launch template from the fields of this file",
            "the lab's Auto Scaling group has no warm pool: scale-ups launch new instances",
            "the lab shows its own role, eksctl-<cluster>-FargatePodExecutionRole",
        ]
    );
}

#[test]
fn features_the_lab_cannot_simulate_say_what_it_does_instead() {
    let l = loaded(&format!(
        "{HEAD}managedNodeGroups:\n  - name: win\n    amiFamily: windowsserver2022corecontainer\n  - name: br\n    amiFamily: Bottlerocket\n    instanceSelector: {{vCPUs: 2, memory: 4GiB}}\n"
    ));
    assert_eq!(
        positioned(&l.warnings),
        [
            (
                7,
                16,
                "managedNodeGroups[0].amiFamily",
                "the lab has no Windows nodes: this group's nodes run the EKS-optimized Amazon Linux 2023 AMI (kubernetes.io/os=linux), so pods that select Windows nodes stay Pending"
            ),
            (
                9,
                16,
                "managedNodeGroups[1].amiFamily",
                "Bottlerocket is not modelled by the lab: this group's nodes run the EKS-optimized Amazon Linux 2023 AMI, with its max pods and kube-reserved"
            ),
            (
                10,
                5,
                "managedNodeGroups[1].instanceSelector",
                "not modelled by the lab; ignored: the lab does not pick instance types for you: the group uses its instanceType(s), m5.large by default"
            ),
        ]
    );
    // eksctl matches the family case-insensitively (normalizeAMIFamily).
    assert_eq!(
        l.spec.nodegroups[0].ami_family,
        "WindowsServer2022CoreContainer"
    );
    assert_eq!(l.spec.nodegroups[1].instance_types, ["m5.large"]);
}

// ---- fields eksctl does not know ----

#[test]
fn fields_eksctl_does_not_know_are_errors_with_a_hint() {
    let cases = [
        (
            "controlPlaneScalingConfg: {tier: tier-xl}\n",
            (5, 1, "controlPlaneScalingConfg"),
            "unknown field \"controlPlaneScalingConfg\" (did you mean \"controlPlaneScalingConfig\"?)",
        ),
        (
            "vpc:\n  controlPlaneSubnetIds: [subnet-0a1b2c3d]\n",
            (6, 3, "vpc.controlPlaneSubnetIds"),
            "unknown field \"controlPlaneSubnetIds\" (did you mean \"controlPlaneSubnetIDs\"?)",
        ),
        (
            "vpc:\n  subnets:\n    private:\n      us-east-1a: {idd: subnet-0a1b2c3d}\n",
            (8, 20, "vpc.subnets.private.us-east-1a.idd"),
            "unknown field \"idd\" (did you mean \"id\"?)",
        ),
        (
            "nodeGroups:\n  - name: ng\n    asgMetricCollection: []\n",
            (7, 5, "nodeGroups[0].asgMetricCollection"),
            "unknown field \"asgMetricCollection\" (did you mean \"asgMetricsCollection\"?)",
        ),
        // eksctl's ClusterMeta.AccountID and ClusterConfig.Status are `json:"-"`.
        ("status: {}\n", (5, 1, "status"), "unknown field \"status\""),
    ];
    for (body, (line, column, path), message) in cases {
        let e = refused(&format!("{HEAD}{body}"));
        assert_eq!(positioned(&e), [(line, column, path, message)], "{body}");
    }
    let e = refused(&format!("{HEAD}  accountID: \"111122223333\"\n"));
    assert_eq!(e[0].path, "metadata.accountID");
    assert!(e[0].message.starts_with("unknown field \"accountID\""));
}

#[test]
fn the_contents_of_an_unmodelled_field_are_not_read() {
    // eksctl would refuse `tierr`; the lab ignores the whole field and says so once.
    let l = loaded(&format!(
        "{HEAD}controlPlaneScalingConfig: {{tierr: x}}\ngitops: [1, 2]\n"
    ));
    let paths: Vec<&str> = l.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["controlPlaneScalingConfig", "gitops"]);
}

// ---- names by eksctl's rules ----

#[test]
fn names_follow_eksctl_at_the_edges() {
    let long = |n: usize| "a".repeat(n);
    // (the file after `kind`, the error or None)
    let cluster = |name: &str| {
        format!(
            "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: \"{name}\"\n"
        )
    };
    let cases: Vec<(String, Option<String>)> = vec![
        (cluster("1-cluster"), None),
        (cluster("a"), None),
        (cluster(&long(100)), None),
        (
            cluster(&long(101)),
            Some("EKS refuses the cluster name: it has 101 characters, and at most 100 are allowed".into()),
        ),
        (
            cluster("my_cluster"),
            Some("validation for my_cluster failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*".into()),
        ),
        (
            cluster("-lab"),
            Some("EKS refuses the cluster name \"-lab\": it must start with a letter or digit".into()),
        ),
        // nodeGroups: eksctl's IsInvalidNameArg, so a leading digit is fine.
        (format!("{HEAD}nodeGroups:\n  - name: 1-gpu-spot-p3-2xlarge\n"), None),
        (format!("{HEAD}nodeGroups:\n  - name: {}\n", long(63)), None),
        (
            format!("{HEAD}nodeGroups:\n  - name: ng_1\n"),
            Some("validation for ng_1 failed, name must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*".into()),
        ),
        (
            format!("{HEAD}nodeGroups:\n  - name: {}\n", long(64)),
            Some(format!("node group name \"{}\" has 64 characters: its nodes carry it as a label value, which must be no more than 63 characters", long(64))),
        ),
        // managedNodeGroups: eksctl checks no characters; EKS allows underscores.
        (format!("{HEAD}managedNodeGroups:\n  - name: ng_1\n"), None),
        (format!("{HEAD}managedNodeGroups:\n  - name: 0ng\n"), None),
        (
            format!("{HEAD}managedNodeGroups:\n  - name: _ng\n"),
            Some("EKS refuses the node group name \"_ng\": it must start with a letter or digit, followed by letters, digits, hyphens and underscores".into()),
        ),
        (
            format!("{HEAD}managedNodeGroups:\n  - name: ng.1\n"),
            Some("EKS refuses the node group name \"ng.1\": it must start with a letter or digit, followed by letters, digits, hyphens and underscores".into()),
        ),
        (
            format!("{HEAD}managedNodeGroups:\n  - name: ng\nnodeGroups:\n  - name: ng\n"),
            Some("nodeGroups[0].name \"ng\" is not unique".into()),
        ),
        (
            format!("{HEAD}managedNodeGroups:\n  - name: \"\"\n"),
            Some("managedNodeGroups[0].name must be set".into()),
        ),
        // Fargate profiles: only the empty name and AWS's eks- prefix are refused.
        (format!("{HEAD}fargateProfiles:\n  - name: EKS-fp_1.x\n    selectors: [{{namespace: a}}]\n"), None),
        (
            format!("{HEAD}fargateProfiles:\n  - name: eks-fp\n    selectors: [{{namespace: a}}]\n"),
            Some("invalid Fargate profile \"eks-fp\": name should NOT start with \"eks-\"".into()),
        ),
        (
            format!("{HEAD}fargateProfiles:\n  - selectors: [{{namespace: a}}]\n"),
            Some("invalid Fargate profile: empty name".into()),
        ),
        // Add-ons: a name is required; a name the lab does not model is a warning.
        (format!("{HEAD}addons:\n  - name: aws-ebs-csi-driver\n"), None),
        (
            format!("{HEAD}addons:\n  - version: latest\n"),
            Some("invalid configuration for \"\" addon: name is required".into()),
        ),
    ];
    for (text, want) in cases {
        match (load(&text), want) {
            (Ok(_), None) => {}
            (Err(d), Some(msg)) => {
                let e: Vec<&str> = d
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.message.as_str())
                    .collect();
                assert_eq!(e, [msg.as_str()], "{text}");
            }
            (Ok(_), Some(msg)) => panic!("loaded, expected {msg:?}:\n{text}"),
            (Err(d), None) => panic!("{}\n---\n{text}", lines(&d)),
        }
    }
}

// ---- versions EKS no longer runs ----

#[test]
fn versions_eks_no_longer_runs_are_refused_saying_so() {
    let supported = "supported values: 1.31, 1.32, 1.33, 1.34, 1.35";
    for (version, why) in [
        (
            "1.14",
            "its end of extended support came before 1.23's, 2024-10-11",
        ),
        (
            "1.18",
            "its end of extended support came before 1.23's, 2024-10-11",
        ),
        (
            "1.21",
            "its end of extended support came before 1.23's, 2024-10-11",
        ),
        (
            "1.22",
            "its end of extended support came before 1.23's, 2024-10-11",
        ),
        ("1.29", "its end of extended support was 2026-03-23"),
        ("1.30", "its end of extended support was 2026-07-23"),
    ] {
        let e = refused(&format!("{HEAD}  version: \"{version}\"\n"));
        assert_eq!(
            positioned(&e),
            [(
                5,
                12,
                "metadata.version",
                format!("EKS no longer runs Kubernetes {version}: {why}, and on the lab's date, 2026-11-01, the oldest version EKS runs is 1.31 (eksctl: invalid version, {version} is no longer supported, {supported})").as_str()
            )]
        );
    }
    // On an earlier lab date 1.29 is in extended support and loads.
    let l = loaded(&format!(
        "{HEAD}  version: \"1.29\"\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: lab}}\nspec:\n  startDate: 2025-06-01\n"
    ));
    assert_eq!(l.spec.cluster.version, KubernetesVersion::new(29));
    let e = refused(&format!(
        "{HEAD}  version: \"1.22\"\n---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {{name: lab}}\nspec:\n  startDate: 2025-06-01\n"
    ));
    assert!(
        e[0].message
            .contains("on the lab's date, 2025-06-01, the oldest version EKS runs is 1.26"),
        "{}",
        e[0].message
    );
    // A version EKS never had is unknown, not retired.
    let e = refused(&format!("{HEAD}  version: \"1.99\"\n"));
    assert!(
        e[0].message.starts_with(
            "unknown Kubernetes version \"1.99\": EKS versions the lab knows are 1.23"
        ),
        "{}",
        e[0].message
    );
}

// ---- instance types of eksctl's examples ----

#[test]
fn the_instance_families_of_eksctls_examples_load() {
    let l = loaded(&format!(
        "{HEAD}managedNodeGroups:\n  - name: mixed\n    instanceTypes: [c3.large, c4.large, c5.large, c5d.large, c5n.large, c5a.large, m5a.2xlarge, m5d.large]\nnodeGroups:\n  - name: big\n    instanceType: c5.12xlarge\n  - name: gpu\n    instanceType: p3.2xlarge\n  - name: old\n    instanceType: t2.large\n"
    ));
    assert!(l.warnings.is_empty(), "{}", lines(&l.warnings));
    let mut sim = Simulation::new(l.spec).unwrap();
    sim.run_for(eks_lab::sim::clock::SimDuration::from_mins(30));
    let mut types: Vec<String> = sim
        .state()
        .nodes
        .values()
        .map(|n| n.instance_type.clone())
        .collect();
    eks_lab::sim::sort::sort(&mut types);
    types.dedup();
    assert!(types.contains(&"c5.12xlarge".to_string()), "{types:?}");
    assert!(types.contains(&"p3.2xlarge".to_string()), "{types:?}");
    assert!(types.contains(&"t2.large".to_string()), "{types:?}");
}
