//! The kubectl and eksctl text views against small deterministic labs: exact header and row
//! text with kubectl's spacing, describe layouts, the scheduler's upstream messages, Fargate
//! sizing annotations, node allocatable, QoS classes, ages, timestamps and column alignment.

#[path = "kubectl_views/console_numbers.rs"]
mod console_numbers;

use std::collections::BTreeMap;

use eks_lab::sim::Simulation;
use eks_lab::sim::api::pod::PodLab;
use eks_lab::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, IntOrPercent, Job,
    JobSpec, JobStatus, Kind, LabelSelector, Namespace, ObjectKey, ObjectMeta, ObjectRef, Pod,
    PodDisruptionBudget, PodDisruptionBudgetSpec, PodDisruptionBudgetStatus, PodPhase, PodSpec,
    PodStatus, PodTemplateSpec,
};
use eks_lab::sim::catalog::{AddonName, KubernetesVersion};
use eks_lab::sim::clock::{SimDuration, SimTime};
use eks_lab::sim::command::Command;
use eks_lab::sim::eks::FargateProfileSelector;
use eks_lab::sim::eks::Fault;
use eks_lab::sim::quantity::{MIB, Resources};
use eks_lab::sim::spec::{FargateProfileSpec, LabSpec, Manifest, NodegroupSpec};
use eks_lab::view::console::run_query;
use eks_lab::view::kubectl::{
    self, ObjectId, Table, describe, describe_deployment, describe_fargate_profile, describe_node,
    describe_nodegroup, describe_pdb, describe_pod, eksctl_get_addons, eksctl_get_cluster,
    eksctl_get_fargateprofiles, eksctl_get_nodegroups, get_daemonsets, get_deployments, get_events,
    get_jobs, get_namespaces, get_nodes, get_pods, yaml,
};
use serde_json::json;

#[path = "kubectl_views/names.rs"]
mod names;

// ---- fixtures ----

fn labels(app: &str) -> BTreeMap<String, String> {
    [("app".to_string(), app.to_string())].into_iter().collect()
}

fn container(name: &str, requests: Resources, limits: Resources) -> Container {
    Container {
        name: name.to_string(),
        image: "nginx:1.27".to_string(),
        requests,
        limits,
        ..Container::default()
    }
}

fn template(name: &str, requests: Resources, limits: Resources) -> PodTemplateSpec {
    PodTemplateSpec {
        labels: labels(name),
        annotations: BTreeMap::new(),
        spec: PodSpec {
            containers: vec![container(name, requests, limits)],
            restart_policy: "Always".into(),
            termination_grace_period_secs: 30,
            ..PodSpec::default()
        },
    }
}

fn deployment(
    ns: &str,
    name: &str,
    replicas: i32,
    requests: Resources,
    limits: Resources,
) -> Manifest {
    Manifest::Deployment(Deployment {
        meta: ObjectMeta::named(ns, name),
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(labels(name)),
            template: template(name, requests, limits),
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    })
}

fn namespace(name: &str) -> Manifest {
    Manifest::Namespace(Namespace {
        meta: ObjectMeta::named("", name),
    })
}

fn res(cpu_m: u64, mem_mib: u64) -> Resources {
    Resources::new(cpu_m, mem_mib * MIB)
}

/// Two m5.large nodes; `web` (3 Guaranteed replicas), `hog` (asks for more CPU than a node
/// has, so it stays Pending), a BestEffort pod, a finished Job in its own namespace and a PDB.
fn ec2_lab() -> Simulation {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
    spec.manifests.push(namespace("jobs"));
    spec.manifests.push(deployment(
        "default",
        "web",
        3,
        res(250, 256),
        res(250, 256),
    ));
    spec.manifests.push(deployment(
        "default",
        "hog",
        1,
        res(1900, 0),
        Resources::ZERO,
    ));
    spec.manifests.push(Manifest::Pod(Pod {
        meta: ObjectMeta::named("default", "scratch"),
        spec: PodSpec {
            containers: vec![container("scratch", Resources::ZERO, Resources::ZERO)],
            restart_policy: "Always".into(),
            termination_grace_period_secs: 30,
            ..PodSpec::default()
        },
        status: PodStatus::default(),
        lab: PodLab::default(),
    }));
    spec.manifests.push(Manifest::Job(Job {
        meta: ObjectMeta::named("jobs", "report"),
        spec: JobSpec {
            completions: 1,
            parallelism: 1,
            backoff_limit: 6,
            template: template("report", res(100, 64), Resources::ZERO),
            ttl_seconds_after_finished: None,
            run_for_ms: 60_000,
        },
        status: JobStatus::default(),
    }));
    spec.manifests
        .push(Manifest::PodDisruptionBudget(PodDisruptionBudget {
            meta: ObjectMeta::named("default", "web-pdb"),
            spec: PodDisruptionBudgetSpec {
                min_available: Some(IntOrPercent::Int(2)),
                max_unavailable: None,
                selector: LabelSelector::from_labels(labels("web")),
            },
            status: PodDisruptionBudgetStatus::default(),
        }));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(15));
    sim
}

/// No node groups: one Fargate profile for `batch` and a worker asking for 1 vCPU and 8 GiB.
fn fargate_lab() -> Simulation {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec.fargate_profiles.push(FargateProfileSpec {
        name: "fp-batch".into(),
        selectors: vec![FargateProfileSelector {
            namespace: "batch".into(),
            labels: BTreeMap::new(),
        }],
        subnets: Vec::new(),
    });
    spec.manifests.push(namespace("batch"));
    spec.manifests.push(deployment(
        "batch",
        "worker",
        1,
        res(1000, 8192),
        Resources::ZERO,
    ));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(10));
    sim
}

// ---- helpers ----

fn pods_of<'a>(sim: &'a Simulation, ns: &str, app: &str) -> Vec<&'a Pod> {
    sim.state()
        .pods
        .values()
        .filter(|p| {
            p.meta.namespace == ns && p.meta.labels.get("app").map(String::as_str) == Some(app)
        })
        .collect()
}

/// kubectl's age for anything between ten minutes and three hours: whole minutes.
fn minutes_age(sim: &Simulation, t: SimTime) -> String {
    let mins = sim.now().saturating_sub(t).as_secs() / 60;
    assert!(
        (10..180).contains(&mins),
        "fixture ages should read in minutes, got {mins}"
    );
    format!("{mins}m")
}

/// The value of a describe line `Key:   value`.
fn line_of<'a>(text: &'a str, prefix: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in\n{text}"))
}

/// Every row's cells start where the header's columns start and read back as the table's
/// cells; cells are separated by at least the three spaces of kubectl's padding.
fn assert_aligned(table: &Table, text: &str) {
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut offsets = Vec::new();
    let mut from = 0;
    for col in &table.columns {
        let at = from
            + header[from..]
                .find(col.as_str())
                .unwrap_or_else(|| panic!("{col} in {header}"));
        offsets.push(at);
        from = at + col.len();
    }
    assert_eq!(offsets[0], 0);
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), table.rows.len(), "{text}");
    for (line, row) in rows.iter().zip(&table.rows) {
        for (i, cell) in row.cells.iter().enumerate() {
            let start = offsets[i];
            let end = offsets.get(i + 1).copied().unwrap_or(line.len());
            assert_eq!(
                line[start..end].trim_end(),
                cell,
                "column {} of {line:?}",
                table.columns[i]
            );
            if i > 0 {
                assert_eq!(
                    &line[start - 3..start],
                    "   ",
                    "padding before {cell:?} in {line:?}"
                );
            }
        }
        assert_eq!(
            line.trim_end(),
            *line,
            "no trailing spaces after the last column"
        );
    }
}

/// Reads an AGE back as seconds (`45s`, `2m30s`, `13m`, `3h5m`).
fn age_secs(age: &str) -> u64 {
    let mut total = 0;
    let mut n = 0;
    for c in age.chars() {
        match c {
            '0'..='9' => n = n * 10 + u64::from(c as u8 - b'0'),
            's' => (total, n) = (total + n, 0),
            'm' => (total, n) = (total + n * 60, 0),
            'h' => (total, n) = (total + n * 3600, 0),
            'd' => (total, n) = (total + n * 86_400, 0),
            _ => panic!("unexpected age {age}"),
        }
    }
    total
}

/// Columns of a line once tabs are expanded to eight-column stops.
fn tab_columns(line: &str) -> Vec<usize> {
    let mut col = 0;
    let mut starts = vec![0];
    let mut after_tab = false;
    for c in line.chars() {
        if c == '\t' {
            col = (col / 8 + 1) * 8;
            after_tab = true;
        } else {
            if after_tab {
                starts.push(col);
                after_tab = false;
            }
            col += 1;
        }
    }
    starts
}

// ---- kubectl get ----

#[test]
fn get_pods_rows_have_kubectl_spacing() {
    let sim = ec2_lab();
    let out = get_pods(&sim, Some("default"), false);
    let names: Vec<&str> = sim
        .state()
        .pods
        .keys()
        .filter(|k| k.namespace == "default")
        .map(|k| k.name.as_str())
        .collect();
    let w = names.iter().map(|n| n.len()).max().unwrap() + 3;
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("{:<w$}READY   STATUS    RESTARTS   AGE", "NAME")
    );
    let web = pods_of(&sim, "default", "web");
    assert_eq!(web.len(), 3);
    for p in &web {
        let age = minutes_age(&sim, p.meta.creation_timestamp);
        let expected = format!("{:<w$}1/1     Running   0          {age}", p.meta.name);
        assert!(out.lines().any(|l| l == expected), "{expected:?} in\n{out}");
    }
    let hog = pods_of(&sim, "default", "hog")[0];
    let age = minutes_age(&sim, hog.meta.creation_timestamp);
    let expected = format!("{:<w$}0/1     Pending   0          {age}", hog.meta.name);
    assert!(out.lines().any(|l| l == expected), "{expected:?} in\n{out}");
    assert_eq!(out.lines().count(), names.len() + 1);
}

#[test]
fn wide_and_all_namespace_tables_stay_aligned() {
    let sim = ec2_lab();
    let cases: Vec<(Table, String)> = vec![
        (
            kubectl::pods_table(&sim, None, true),
            get_pods(&sim, None, true),
        ),
        (
            kubectl::pods_table(&sim, Some("default"), false),
            get_pods(&sim, Some("default"), false),
        ),
        (kubectl::nodes_table(&sim, true), get_nodes(&sim, true)),
        (
            kubectl::deployments_table(&sim, None),
            get_deployments(&sim, None),
        ),
        (
            kubectl::replicasets_table(&sim, None),
            kubectl::get_replicasets(&sim, None),
        ),
        (
            kubectl::daemonsets_table(&sim, None),
            get_daemonsets(&sim, None),
        ),
        (kubectl::jobs_table(&sim, None), get_jobs(&sim, None)),
        (kubectl::pdb_table(&sim, None), kubectl::get_pdb(&sim, None)),
        (kubectl::namespaces_table(&sim), get_namespaces(&sim)),
        (
            kubectl::events_table(&sim, None, None),
            get_events(&sim, None, None),
        ),
        (
            kubectl::events_table(&sim, Some("default"), None),
            get_events(&sim, Some("default"), None),
        ),
    ];
    for (table, text) in &cases {
        assert!(!table.rows.is_empty(), "{text}");
        assert_eq!(&table.render(), text);
        assert_aligned(table, text);
    }
    // The wide pod table names every pod's node and IP, `<none>` for the pending one.
    let wide = &cases[0].0;
    assert_eq!(
        wide.columns,
        [
            "NAMESPACE",
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES"
        ]
    );
    let hog = wide
        .rows
        .iter()
        .find(|r| r.cells[1].starts_with("hog-"))
        .unwrap();
    assert_eq!(&hog.cells[6..], ["<none>", "<none>", "<none>", "<none>"]);
    assert!(matches!(&hog.object, Some(ObjectId::Pod(k)) if k.name == hog.cells[1]));
}

#[test]
fn get_nodes_matches_kubectl() {
    let sim = ec2_lab();
    let out = get_nodes(&sim, false);
    let nodes = &sim.state().nodes;
    assert_eq!(nodes.len(), 2);
    let w = nodes.keys().map(String::len).max().unwrap() + 3;
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("{:<w$}STATUS   ROLES    AGE   VERSION", "NAME")
    );
    for (name, n) in nodes {
        assert_eq!(
            n.status.kubelet_version,
            format!("v{}.0-eks", sim.state().cluster.version)
        );
        let age = minutes_age(&sim, n.meta.creation_timestamp);
        assert_eq!(
            lines.next().unwrap(),
            format!(
                "{name:<w$}Ready    <none>   {age:<6}{}",
                n.status.kubelet_version
            )
        );
    }
    let wide = get_nodes(&sim, true);
    let header = wide.lines().next().unwrap();
    assert!(header.ends_with("INTERNAL-IP       EXTERNAL-IP   OS-IMAGE                       KERNEL-VERSION                   CONTAINER-RUNTIME"), "{header}");
    for line in wide.lines().skip(1) {
        assert!(
            line.contains("   <none>        Amazon Linux 2023."),
            "{line}"
        );
        assert!(
            line.ends_with("amzn2023.x86_64   containerd://1.7.27"),
            "{line}"
        );
    }
}

#[test]
fn fargate_nodes_show_as_in_eks() {
    let sim = fargate_lab();
    let out = get_nodes(&sim, true);
    let row = out.lines().nth(1).unwrap();
    assert!(row.starts_with("fargate-ip-192-168-"), "{out}");
    assert!(row.contains(".ec2.internal   Ready    <none>   "), "{out}");
    assert!(row.contains("   Amazon Linux 2   5.10."), "{out}");
}

#[test]
fn workload_tables_match_kubectl() {
    let sim = ec2_lab();
    let deployments = &sim.state().deployments;
    let age = |k: &str| {
        minutes_age(
            &sim,
            deployments[&ObjectKey::new("default", k)]
                .meta
                .creation_timestamp,
        )
    };
    assert_eq!(
        get_deployments(&sim, Some("default")),
        format!(
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n\
             hog    0/1     1            0           {}\n\
             web    3/3     3            3           {}\n",
            age("hog"),
            age("web")
        )
    );

    let job = &sim.state().jobs[&ObjectKey::new("jobs", "report")];
    let duration = job
        .status
        .completion_time
        .unwrap()
        .saturating_sub(job.status.start_time.unwrap());
    let secs = duration.as_secs();
    assert!((60..120).contains(&secs), "{secs}");
    assert_eq!(
        get_jobs(&sim, Some("jobs")),
        format!(
            "NAME     STATUS     COMPLETIONS   DURATION   AGE\n\
             report   Complete   1/1           {:<11}{}\n",
            format!("{secs}s"),
            minutes_age(&sim, job.meta.creation_timestamp)
        )
    );

    let ns = get_namespaces(&sim);
    let mut lines = ns.lines();
    assert_eq!(lines.next().unwrap(), "NAME              STATUS   AGE");
    for (name, n) in &sim.state().namespaces {
        assert_eq!(
            lines.next().unwrap(),
            format!(
                "{name:<18}Active   {}",
                minutes_age(&sim, n.meta.creation_timestamp)
            )
        );
    }

    assert_eq!(
        get_daemonsets(&sim, Some("default")),
        "No resources found in default namespace.\n"
    );
    let ds = get_daemonsets(&sim, Some("kube-system"));
    assert_eq!(
        ds.lines().next().unwrap(),
        "NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE"
    );
    assert!(
        ds.contains(
            "\naws-node     2         2         2       2            2           <none>          "
        ),
        "{ds}"
    );

    let pdb = kubectl::get_pdb(&sim, Some("default"));
    assert!(pdb.starts_with("NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb-pdb   2               N/A               1                     "), "{pdb}");
}

#[test]
fn events_are_kubernetes_only_and_oldest_first() {
    let sim = ec2_lab();
    let table = kubectl::events_table(&sim, None, None);
    assert_eq!(
        table.columns,
        [
            "NAMESPACE",
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "MESSAGE"
        ]
    );
    let ages: Vec<u64> = table.rows.iter().map(|r| age_secs(&r.cells[1])).collect();
    assert!(ages.windows(2).all(|w| w[0] >= w[1]), "{ages:?}");
    assert!(
        table
            .rows
            .iter()
            .all(|r| !r.cells[4].starts_with("nodegroup/") && !r.cells[4].starts_with("cluster/"))
    );
    // Node events live in `default`.
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.cells[0] == "default" && r.cells[4].starts_with("node/"))
    );
    let hog = pods_of(&sim, "default", "hog")[0];
    let obj = ObjectRef::new(Kind::Pod, "default", hog.meta.name.clone());
    let one = kubectl::events_table(&sim, Some("default"), Some(&obj));
    assert_eq!(one.rows.len(), 1, "{}", one.render());
    assert_eq!(one.rows[0].cells[1], "Warning");
    assert_eq!(one.rows[0].cells[2], "FailedScheduling");
    assert_eq!(one.rows[0].cells[3], format!("pod/{}", hog.meta.name));
}

// ---- kubectl describe ----

#[test]
fn pending_pod_describe_shows_the_scheduler_message() {
    let sim = ec2_lab();
    let hog = pods_of(&sim, "default", "hog")[0];
    assert_eq!(hog.status.phase, PodPhase::Pending);
    let out = describe_pod(&sim, &hog.meta.key()).unwrap();
    assert_eq!(
        line_of(&out, "Name:"),
        format!("Name:             {}", hog.meta.name)
    );
    assert_eq!(line_of(&out, "Node:"), "Node:             <none>");
    assert_eq!(line_of(&out, "Status:"), "Status:           Pending");
    assert_eq!(line_of(&out, "IP:"), "IP:               ");
    assert_eq!(line_of(&out, "IPs:"), "IPs:              <none>");
    assert_eq!(
        line_of(&out, "Controlled By:"),
        format!(
            "Controlled By:    ReplicaSet/{}",
            hog.meta.owner.as_ref().unwrap().name
        )
    );
    assert!(
        out.contains("\n    Requests:\n      cpu:        1900m\n    Environment:  <none>\n"),
        "{out}"
    );
    assert!(
        out.contains("\nConditions:\n  Type           Status\n  PodScheduled   False \n"),
        "{out}"
    );
    assert_eq!(
        line_of(&out, "QoS Class:"),
        "QoS Class:                   Burstable"
    );
    let obj = ObjectRef::new(Kind::Pod, "default", hog.meta.name.clone());
    let first = sim.events().for_object(&obj).next().unwrap().time;
    let age = kubectl::time::age(sim.now(), first);
    let aw = age.len().max(4) + 2;
    let expected = format!(
        "  Warning  FailedScheduling  {age:<aw$}default-scheduler  0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    );
    assert!(
        out.contains("\nEvents:\n  Type     Reason            Age"),
        "{out}"
    );
    assert!(out.ends_with(&format!("{expected}\n")), "{out}");
}

#[test]
fn running_pod_describe_has_kubectls_layout() {
    let sim = ec2_lab();
    let p = pods_of(&sim, "default", "web")[0];
    let out = describe_pod(&sim, &p.meta.key()).unwrap();
    let node = p.spec.node_name.as_deref().unwrap();
    assert_eq!(
        line_of(&out, "Node:"),
        format!(
            "Node:             {node}/{}",
            p.status.host_ip.as_deref().unwrap()
        )
    );
    // Start Time on the lab calendar (2026-11-01 is a Sunday).
    let s = p.status.start_time.unwrap().as_secs();
    assert!(s < 3600);
    assert_eq!(
        line_of(&out, "Start Time:"),
        format!(
            "Start Time:       Sun, 01 Nov 2026 00:{:02}:{:02} +0000",
            s / 60,
            s % 60
        )
    );
    assert_eq!(line_of(&out, "Priority:"), "Priority:         0");
    assert_eq!(
        line_of(&out, "Service Account:"),
        "Service Account:  default"
    );
    let hash = &p.lab.template_hash;
    assert!(out.contains(&format!("Labels:           app=web\n                  pod-template-hash={hash}\nAnnotations:      <none>\n")), "{out}");
    let ip = p.status.pod_ip.as_deref().unwrap();
    assert!(out.contains(&format!("IP:               {ip}\nIPs:\n  IP:           {ip}\nControlled By:  ReplicaSet/web-{hash}\n")), "{out}");
    assert!(out.contains("    Limits:\n      cpu:     250m\n      memory:  256Mi\n    Requests:\n      cpu:        250m\n      memory:     256Mi\n"), "{out}");
    assert!(
        out.contains("\n    State:          Running\n      Started:      Sun, 01 Nov 2026 00:"),
        "{out}"
    );
    assert!(
        out.contains("\n    Ready:          True\n    Restart Count:  0\n"),
        "{out}"
    );
    assert!(out.contains(
        "Conditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n  Initialized                 True \n  Ready                       True \n  ContainersReady             True \n  PodScheduled                True \n"
    ), "{out}");
    assert_eq!(
        line_of(&out, "QoS Class:"),
        "QoS Class:                   Guaranteed"
    );
    assert!(out.contains(
        "Node-Selectors:              <none>\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:\n"
    ), "{out}");
    assert!(
        out.contains(&format!(
            "default-scheduler  Successfully assigned default/{} to {node}\n",
            p.meta.name
        )),
        "{out}"
    );
}

#[test]
fn qos_classes_are_computed_from_requests_and_limits() {
    let sim = ec2_lab();
    for (app, class) in [("web", "Guaranteed"), ("hog", "Burstable")] {
        let p = pods_of(&sim, "default", app)[0];
        assert_eq!(kubectl::qos_class(p), class);
    }
    let scratch = &sim.state().pods[&ObjectKey::new("default", "scratch")];
    assert_eq!(kubectl::qos_class(scratch), "BestEffort");
    let out = describe_pod(&sim, &scratch.meta.key()).unwrap();
    assert_eq!(
        line_of(&out, "QoS Class:"),
        "QoS Class:                   BestEffort"
    );
    assert!(
        !out.contains("Requests:") && !out.contains("Limits:"),
        "{out}"
    );
}

#[test]
fn fargate_pod_describe_shows_the_provisioned_capacity() {
    let sim = fargate_lab();
    let p = pods_of(&sim, "batch", "worker")[0];
    assert_eq!(p.status.phase, PodPhase::Running);
    let out = describe_pod(&sim, &p.meta.key()).unwrap();
    assert_eq!(
        line_of(&out, "Annotations:"),
        "Annotations:      CapacityProvisioned: 2vCPU 9GB"
    );
    assert!(
        line_of(&out, "Node:").starts_with("Node:             fargate-ip-192-168-"),
        "{out}"
    );
    assert!(
        out.contains("    Requests:\n      cpu:        1\n      memory:     8Gi\n"),
        "{out}"
    );
    assert_eq!(
        line_of(&out, "QoS Class:"),
        "QoS Class:                   Burstable"
    );
    assert!(
        out.contains("  fargate-scheduler  Successfully assigned batch/"),
        "{out}"
    );
    let node = describe_node(&sim, p.spec.node_name.as_deref().unwrap()).unwrap();
    assert_eq!(
        line_of(&node, "Taints:"),
        "Taints:             eks.amazonaws.com/compute-type=fargate:NoSchedule"
    );
    assert!(
        node.contains("Capacity:\n  cpu:                2\n"),
        "{node}"
    );
    assert!(
        node.contains("  memory:             9437184Ki\n  pods:               1\n"),
        "{node}"
    );
}

#[test]
fn node_describe_shows_allocatable_and_allocated_resources() {
    let sim = ec2_lab();
    let (name, node) = sim.state().nodes.iter().next().unwrap();
    assert_eq!(node.instance_type, "m5.large");
    let out = describe_node(&sim, name).unwrap();
    assert_eq!(
        line_of(&out, "Name:"),
        format!("Name:               {name}")
    );
    assert_eq!(line_of(&out, "Roles:"), "Roles:              <none>");
    assert_eq!(line_of(&out, "Taints:"), "Taints:             <none>");
    assert_eq!(line_of(&out, "Unschedulable:"), "Unschedulable:      false");
    assert!(out.contains(
        "Capacity:\n  cpu:                2\n  ephemeral-storage:  83873772Ki\n  hugepages-1Gi:      0\n  hugepages-2Mi:      0\n  memory:             7758848Ki\n  pods:               29\n"
    ), "{out}");
    assert!(
        out.contains("Allocatable:\n  cpu:                1930m\n"),
        "{out}"
    );
    assert!(
        out.contains("  memory:             7068672Ki\n  pods:               29\nSystem Info:\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  Kubelet Version:            {}\n",
            node.status.kubelet_version
        )),
        "{out}"
    );
    assert!(
        line_of(&out, "ProviderID:").starts_with("ProviderID:                   aws:///us-east-1"),
        "{out}"
    );
    assert!(out.contains("\n  Ready            True    "), "{out}");

    let pods: Vec<&Pod> = sim.state().pods_on_node(name).collect();
    assert_eq!(
        line_of(&out, "Non-terminated Pods:"),
        format!("Non-terminated Pods:          ({} in total)", pods.len())
    );
    let requested: u64 = pods.iter().map(|p| p.requests().cpu.0).sum();
    let cpu = line_of(&out, "  cpu   ");
    let fields: Vec<&str> = cpu.split_whitespace().collect();
    assert_eq!(
        fields[..3],
        [
            "cpu",
            &format!("{requested}m"),
            &format!("({}%)", requested * 100 / 1930)
        ]
    );
    // The pod table lines up under its header.
    let lines: Vec<&str> = out.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("  Namespace "))
        .unwrap();
    let name_at = lines[header].find("Name ").unwrap();
    let cpu_at = lines[header].find("CPU Requests").unwrap();
    for row in &lines[header + 2..header + 2 + pods.len()] {
        let pod_name = row[name_at..].split_whitespace().next().unwrap();
        assert!(pods.iter().any(|p| p.meta.name == pod_name), "{row}");
        assert_eq!(&row[cpu_at - 2..cpu_at], "  ");
        assert!(
            row[cpu_at..].starts_with(|c: char| c.is_ascii_digit()),
            "{row}"
        );
    }
    assert!(
        out.contains(&format!(
            "kubelet          Node {name} status is now: NodeReady\n"
        )),
        "{out}"
    );
}

#[test]
fn deployment_and_pdb_describe_follow_kubectl() {
    let sim = ec2_lab();
    let out = describe_deployment(&sim, &ObjectKey::new("default", "web")).unwrap();
    let hash = &pods_of(&sim, "default", "web")[0].lab.template_hash;
    assert!(out.starts_with("Name:                   web\nNamespace:              default\nCreationTimestamp:      Sun, 01 Nov 2026 00:"), "{out}");
    assert!(out.contains("\nAnnotations:            deployment.kubernetes.io/revision: 1\nSelector:               app=web\nReplicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   web:\n"), "{out}");
    assert!(out.contains("\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n  Progressing    True    NewReplicaSetAvailable\n"), "{out}");
    assert!(out.contains(&format!("\nOldReplicaSets:  <none>\nNewReplicaSet:   web-{hash} (3/3 replicas created)\nEvents:\n")), "{out}");
    assert!(
        out.contains(&format!(
            "deployment-controller  Scaled up replica set web-{hash} to 3\n"
        )),
        "{out}"
    );

    let pdb = describe_pdb(&sim, &ObjectKey::new("default", "web-pdb")).unwrap();
    assert_eq!(
        pdb,
        "Name:           web-pdb\nNamespace:      default\nMin available:  2\nSelector:       app=web\nStatus:\n    Allowed disruptions:  1\n    Current:              3\n    Desired:              2\n    Total:                3\nEvents:                   <none>\n"
    );
}

// ---- eksctl and the AWS CLI ----

#[test]
fn eksctl_tables_use_tab_stops() {
    let sim = ec2_lab();
    assert_eq!(
        eksctl_get_nodegroups(&sim),
        "CLUSTER\tNODEGROUP\tSTATUS\tCREATED\t\t\tMIN SIZE\tMAX SIZE\tDESIRED CAPACITY\tINSTANCE TYPE\tIMAGE ID\t\tASG NAME\t\t\t\t\tTYPE\n\
         lab\tng-1\t\tACTIVE\t2026-11-01T00:00:00Z\t2\t\t2\t\t2\t\t\tm5.large\tAL2023_x86_64_STANDARD\teks-ng-1-f7db83ba-ab19-5b64-798f-02e9fecd1f11\tmanaged\n"
    );
    for out in [eksctl_get_cluster(&sim), eksctl_get_addons(&sim)] {
        let table: Vec<&str> = out.lines().filter(|l| !l.contains("[ℹ]")).collect();
        let header = tab_columns(table[0]);
        for row in &table[1..] {
            let cols = tab_columns(row);
            assert_eq!(cols[..], header[..cols.len()], "{out}");
        }
    }
    let cluster = eksctl_get_cluster(&sim);
    assert!(
        cluster.starts_with("NAME\tVERSION\tSTATUS\tCREATED\t\t\tVPC\t\t\tSUBNETS"),
        "{cluster}"
    );
    assert!(
        cluster.contains("\nlab\t1.34\tACTIVE\t2026-11-01T00:00:00Z\tvpc-0"),
        "{cluster}"
    );
    let addons = eksctl_get_addons(&sim);
    assert!(
        addons.starts_with(
            "2026-11-01 00:15:00 [ℹ]  Kubernetes version \"1.34\" in use by cluster \"lab\"\n"
        ),
        "{addons}"
    );
    assert!(addons.contains("NAME\t\tVERSION\t\t\tSTATUS\tISSUES\tIAMROLE\tUPDATE AVAILABLE\tCONFIGURATION VALUES\ncoredns\t\t"), "{addons}");

    let fargate = fargate_lab();
    let out = eksctl_get_fargateprofiles(&fargate);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0]
            .starts_with("NAME\t\tSELECTOR_NAMESPACE\tSELECTOR_LABELS\tPOD_EXECUTION_ROLE_ARN\t"),
        "{out}"
    );
    assert!(lines[1].starts_with("fp-batch\tbatch\t\t\t<none>\t\tarn:aws:iam::111122223333:role/eksctl-lab-FargatePodExecutionRole\t"), "{out}");
    assert!(lines[1].ends_with("\t<none>\tACTIVE"), "{out}");
    assert_eq!(tab_columns(lines[0]), tab_columns(lines[1]));
    assert_eq!(
        eksctl_get_nodegroups(&fargate),
        "Error: No nodegroups found\n"
    );
}

#[test]
fn aws_cli_describes_are_json() {
    let sim = ec2_lab();
    let json: serde_json::Value =
        serde_json::from_str(&describe_nodegroup(&sim, "ng-1").unwrap()).unwrap();
    let ng = &json["nodegroup"];
    assert_eq!(ng["nodegroupName"], "ng-1");
    assert_eq!(ng["clusterName"], "lab");
    assert_eq!(ng["status"], "ACTIVE");
    assert_eq!(ng["amiType"], "AL2023_x86_64_STANDARD");
    assert_eq!(ng["scalingConfig"]["desiredSize"], 2);
    assert_eq!(ng["instanceTypes"][0], "m5.large");
    assert_eq!(
        ng["resources"]["autoScalingGroups"][0]["name"],
        "eks-ng-1-f7db83ba-ab19-5b64-798f-02e9fecd1f11"
    );
    assert!(describe_nodegroup(&sim, "nope").is_none());

    let fargate = fargate_lab();
    let text = describe_fargate_profile(&fargate, "fp-batch").unwrap();
    assert!(
        text.starts_with(
            "{\n    \"fargateProfile\": {\n        \"fargateProfileName\": \"fp-batch\",\n"
        ),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["fargateProfile"]["selectors"][0]["namespace"], "batch");
    assert_eq!(json["fargateProfile"]["status"], "ACTIVE");
}

// ---- the inspector API ----

#[test]
fn every_listed_object_can_be_described_and_shown_as_yaml() {
    let sim = ec2_lab();
    let mut ids: Vec<ObjectId> = Vec::new();
    for table in [
        kubectl::pods_table(&sim, None, false),
        kubectl::nodes_table(&sim, false),
        kubectl::deployments_table(&sim, None),
        kubectl::daemonsets_table(&sim, None),
        kubectl::jobs_table(&sim, None),
        kubectl::pdb_table(&sim, None),
    ] {
        ids.extend(table.rows.into_iter().filter_map(|r| r.object));
    }
    ids.push(ObjectId::Nodegroup("ng-1".into()));
    assert!(ids.len() > 15);
    for id in &ids {
        let d = describe(&sim, id).unwrap_or_else(|| panic!("describe {id:?}"));
        assert!(!d.is_empty());
        let y = yaml(&sim, id).unwrap_or_else(|| panic!("yaml {id:?}"));
        assert!(y.ends_with('\n') && !y.contains('\t'), "{y}");
    }
    for missing in [
        ObjectId::Pod(ObjectKey::new("default", "nope")),
        ObjectId::Node("nope".into()),
        ObjectId::Deployment(ObjectKey::new("default", "nope")),
        ObjectId::Nodegroup("nope".into()),
        ObjectId::FargateProfile("nope".into()),
        ObjectId::Pdb(ObjectKey::new("default", "nope")),
        ObjectId::DaemonSet(ObjectKey::new("default", "nope")),
        ObjectId::Job(ObjectKey::new("default", "nope")),
    ] {
        assert!(describe(&sim, &missing).is_none());
        assert!(yaml(&sim, &missing).is_none());
    }

    let job = describe(&sim, &ObjectId::Job(ObjectKey::new("jobs", "report"))).unwrap();
    assert!(
        job.contains("\nParallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\n"),
        "{job}"
    );
    assert!(
        job.contains("\nPods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n"),
        "{job}"
    );
}

#[test]
fn yaml_reads_like_kubectl_get_o_yaml() {
    let sim = ec2_lab();
    let p = pods_of(&sim, "default", "web")[0];
    let y = yaml(&sim, &ObjectId::Pod(p.meta.key())).unwrap();
    assert!(
        y.starts_with(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-11-01T00:"
        ),
        "{y}"
    );
    assert!(
        y.contains(&format!("\n  generateName: web-{}-\n", p.lab.template_hash)),
        "{y}"
    );
    assert!(y.contains("\n  labels:\n    app: web\n"), "{y}");
    assert!(y.contains("\n  ownerReferences:\n  - apiVersion: apps/v1\n    blockOwnerDeletion: true\n    controller: true\n    kind: ReplicaSet\n"), "{y}");
    assert!(
        y.contains(&format!(
            "\n  nodeName: {}\n",
            p.spec.node_name.as_deref().unwrap()
        )),
        "{y}"
    );
    assert!(y.contains("\n    resources:\n      limits:\n        cpu: 250m\n        memory: 256Mi\n      requests:\n        cpu: 250m\n        memory: 256Mi\n"), "{y}");
    assert!(y.contains("\n  - lastProbeTime: null\n"), "{y}");
    assert!(y.contains("\n  phase: Running\n"), "{y}");
    assert!(y.contains("\n  qosClass: Guaranteed\n"), "{y}");

    let d = yaml(
        &sim,
        &ObjectId::Deployment(ObjectKey::new("default", "web")),
    )
    .unwrap();
    assert!(d.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    deployment.kubernetes.io/revision: \"1\"\n"), "{d}");
    assert!(d.contains("\nspec:\n  progressDeadlineSeconds: 600\n  replicas: 3\n  revisionHistoryLimit: 10\n  selector:\n    matchLabels:\n      app: web\n  strategy:\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 25%\n    type: RollingUpdate\n"), "{d}");

    let ng = yaml(&sim, &ObjectId::Nodegroup("ng-1".into())).unwrap();
    assert!(
        ng.starts_with("nodegroup:\n  nodegroupName: ng-1\n"),
        "{ng}"
    );
    assert!(ng.contains("\n  version: '1.34'\n"), "{ng}");
}

// ---- upgrades: the AWS CLI's update views and eksctl's tables ----

fn q(sim: &Simulation, line: &str) -> Result<String, String> {
    run_query(sim, line).unwrap_or_else(|| panic!("{line} is not a console query"))
}

/// `ng-1` (two m5.large), then a control plane update that fails on a deleted subnet, a
/// second one that succeeds, a node group update and an add-on update, with the console's
/// answers pinned at each step.
#[test]
fn upgrade_views_follow_the_aws_cli_and_eksctl() {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
    let mut sim = Simulation::new(spec).unwrap();
    sim.run_for(SimDuration::from_mins(5));
    assert_eq!(
        q(&sim, "aws eks list-updates --name lab").unwrap(),
        "{\n    \"updateIds\": []\n}\n"
    );
    sim.submit(Command::InjectFault(Fault::SubnetDeleted), "");
    sim.submit(
        Command::UpgradeCluster {
            version: Some(KubernetesVersion::new(35)),
            approve: true,
        },
        "",
    );
    sim.run_for(SimDuration::from_mins(1));
    // While the update runs the cluster is UPDATING and still reports its old version.
    assert_eq!(
        q(
            &sim,
            "aws eks describe-cluster --name lab --region us-east-1"
        )
        .unwrap(),
        r#"{
    "cluster": {
        "name": "lab",
        "arn": "arn:aws:eks:us-east-1:111122223333:cluster/lab",
        "createdAt": "2026-11-01T00:00:00.000000+00:00",
        "version": "1.34",
        "endpoint": "https://1E735BDF5FA434DBB515551DF045C642.gr7.us-east-1.eks.amazonaws.com",
        "roleArn": "arn:aws:iam::111122223333:role/eksctl-lab-cluster-ServiceRole-81A6B6232455",
        "resourcesVpcConfig": {
            "subnetIds": [
                "subnet-000deaf1c2edd19fd",
                "subnet-000deaf2c2edd1a18",
                "subnet-000deaf3c2edd1a33"
            ],
            "securityGroupIds": [],
            "clusterSecurityGroupId": "sg-003f77ffda7df262b",
            "vpcId": "vpc-0662826c1c6ff7bd6",
            "endpointPublicAccess": true,
            "endpointPrivateAccess": false,
            "publicAccessCidrs": [
                "0.0.0.0/0"
            ]
        },
        "kubernetesNetworkConfig": {
            "serviceIpv4Cidr": "10.100.0.0/16",
            "ipFamily": "ipv4"
        },
        "logging": {
            "clusterLogging": [
                {
                    "types": [
                        "api",
                        "audit",
                        "authenticator",
                        "controllerManager",
                        "scheduler"
                    ],
                    "enabled": false
                }
            ]
        },
        "identity": {
            "oidc": {
                "issuer": "https://oidc.eks.us-east-1.amazonaws.com/id/1E735BDF5FA434DBB515551DF045C642"
            }
        },
        "status": "UPDATING",
        "platformVersion": "eks.1",
        "tags": {},
        "health": {
            "issues": []
        },
        "accessConfig": {
            "authenticationMode": "API_AND_CONFIG_MAP"
        },
        "upgradePolicy": {
            "supportType": "EXTENDED"
        }
    }
}
"#
    );
    assert_eq!(
        q(&sim, "aws eks list-updates --name lab").unwrap(),
        r#"{
    "updateIds": [
        "2e8b56a8-6c90-4501-9305-85618bee9929"
    ]
}
"#
    );
    sim.run_for(SimDuration::from_mins(19));
    let failed = sim.state().updates[0].id.clone();
    assert_eq!(
        q(
            &sim,
            &format!("aws eks describe-update --name lab --update-id {failed}")
        )
        .unwrap(),
        r#"{
    "update": {
        "id": "2e8b56a8-6c90-4501-9305-85618bee9929",
        "status": "Failed",
        "type": "VersionUpdate",
        "params": [
            {
                "type": "Version",
                "value": "1.35"
            },
            {
                "type": "PlatformVersion",
                "value": "eks.1"
            }
        ],
        "createdAt": "2026-11-01T00:05:01.000000+00:00",
        "errors": [
            {
                "errorCode": "SubnetNotFound",
                "errorMessage": "The subnet ID subnet-000deaf3c2edd1a33 does not exist",
                "resourceIds": [
                    "subnet-000deaf3c2edd1a33"
                ]
            }
        ]
    }
}
"#
    );
    sim.submit(Command::ClearFaults, "");
    sim.submit(
        Command::UpgradeCluster {
            version: None,
            approve: true,
        },
        "",
    );
    sim.run_for(SimDuration::from_mins(20));
    let cluster: serde_json::Value =
        serde_json::from_str(&q(&sim, "aws eks describe-cluster --name lab").unwrap()).unwrap();
    assert_eq!(
        (
            &cluster["cluster"]["version"],
            &cluster["cluster"]["status"],
            &cluster["cluster"]["platformVersion"]
        ),
        (&json!("1.35"), &json!("ACTIVE"), &json!("eks.1"))
    );
    // After the control plane update, kube-proxy and CoreDNS are behind.
    assert_eq!(
        q(&sim, "eksctl get addons --cluster lab").unwrap(),
        "2026-11-01 00:45:00 [ℹ]  Kubernetes version \"1.35\" in use by cluster \"lab\"\n\
         2026-11-01 00:45:00 [ℹ]  to see issues for an addon run `eksctl get addon --name <addon-name> --cluster <cluster-name>`\n\
         NAME\t\tVERSION\t\t\tSTATUS\tISSUES\tIAMROLE\tUPDATE AVAILABLE\tCONFIGURATION VALUES\n\
         coredns\t\tv1.12.4-eksbuild.1\tACTIVE\t0\t\tv1.13.2-eksbuild.4\t\n\
         kube-proxy\tv1.34.1-eksbuild.2\tACTIVE\t0\t\tv1.35.0-eksbuild.1\t\n\
         vpc-cni\t\tv1.20.1-eksbuild.3\tACTIVE\t0\t\t\t\t\t\n\
         "
    );
    sim.submit(
        Command::UpgradeNodegroup {
            name: "ng-1".into(),
            version: None,
            force: false,
        },
        "",
    );
    sim.run_for(SimDuration::from_secs(150));
    assert_eq!(
        q(&sim, "eksctl get nodegroup --cluster lab --name ng-1").unwrap(),
        "CLUSTER\tNODEGROUP\tSTATUS\t\tCREATED\t\t\tMIN SIZE\tMAX SIZE\tDESIRED CAPACITY\tINSTANCE TYPE\tIMAGE ID\t\tASG NAME\t\t\t\t\tTYPE\n\
         lab\tng-1\t\tUPDATING\t2026-11-01T00:00:00Z\t2\t\t8\t\t8\t\t\tm5.large\tAL2023_x86_64_STANDARD\teks-ng-1-f7db83ba-ab19-5b64-798f-02e9fecd1f11\tmanaged\n\
         "
    );
    // Mid-update, the old nodes' kubelets are 1.34 and the surge nodes' 1.35.
    let nodes = q(&sim, "kubectl get nodes").unwrap();
    let mut versions = std::collections::BTreeSet::new();
    for row in nodes.lines().skip(1) {
        let cells: Vec<&str> = row.split_whitespace().collect();
        let node = &sim.state().nodes[cells[0]];
        assert_eq!(cells[4], node.status.kubelet_version, "{nodes}");
        versions.insert(cells[4]);
    }
    assert_eq!(
        versions.into_iter().collect::<Vec<_>>(),
        ["v1.34.0-eks", "v1.35.0-eks"],
        "{nodes}"
    );
    let ng_update = sim.state().updates.last().unwrap().id.clone();
    sim.submit(
        Command::UpdateAddon {
            name: AddonName::KubeProxy,
            version: Some("latest".into()),
        },
        "",
    );
    sim.run_for(SimDuration::from_secs(5));
    let addon_update = sim.state().updates.last().unwrap().id.clone();
    assert_eq!(
        q(
            &sim,
            &format!(
                "aws eks describe-update --name lab --update-id {addon_update} --addon-name kube-proxy"
            )
        )
        .unwrap(),
        r#"{
    "update": {
        "id": "1200638a-cbdb-4af1-9dd4-5a650dcbec75",
        "status": "InProgress",
        "type": "AddonUpdate",
        "params": [
            {
                "type": "AddonVersion",
                "value": "v1.35.0-eksbuild.1"
            }
        ],
        "createdAt": "2026-11-01T00:47:31.000000+00:00",
        "errors": []
    }
}
"#
    );
    assert_eq!(
        q(
            &sim,
            "aws eks list-updates --name lab --nodegroup-name ng-1"
        )
        .unwrap(),
        format!("{{\n    \"updateIds\": [\n        \"{ng_update}\"\n    ]\n}}\n")
    );
    assert!(
        q(&sim, "eksctl get addon --cluster lab --name kube-proxy")
            .unwrap()
            .ends_with("\nkube-proxy\tv1.34.1-eksbuild.2\tUPDATING\t0\t\tv1.35.0-eksbuild.1\t\n")
    );

    // Mistakes read like the AWS CLI and eksctl.
    for (line, want) in [
        (
            format!("aws eks describe-update --name lab --update-id {ng_update}"),
            format!("An error occurred (ResourceNotFoundException) when calling the DescribeUpdate operation: No update found for ID: {ng_update}"),
        ),
        (
            "aws eks list-updates --name prod".to_string(),
            "An error occurred (ResourceNotFoundException) when calling the ListUpdates operation: No cluster found for name: prod.".to_string(),
        ),
        (
            "aws eks list-updates --name lab --nodegroup-name ng-9".into(),
            "An error occurred (ResourceNotFoundException) when calling the ListUpdates operation: No node group found for name: ng-9.".into(),
        ),
        (
            "aws eks list-updates --name lab --addon-name metrics-server".into(),
            "An error occurred (ResourceNotFoundException) when calling the ListUpdates operation: No addon: metrics-server found in cluster: lab".into(),
        ),
        (
            "aws eks describe-update --name lab".into(),
            "aws: error: the following arguments are required: --update-id".into(),
        ),
        (
            "aws eks describe-nodegroup --cluster-name lab".into(),
            "aws: error: the following arguments are required: --nodegroup-name".into(),
        ),
        (
            "aws eks list-updates --name lab --max-results 5".into(),
            "aws: error: Unknown options: --max-results".into(),
        ),
        (
            "aws eks describe-cluster --name lab --output table".into(),
            "aws: error: the lab prints the AWS CLI's JSON output, not --output table".into(),
        ),
        (
            "aws eks describe-cluster --name".into(),
            "aws: error: argument --name: expected one argument".into(),
        ),
        (
            "eksctl get nodegroup --cluster lab --name ng-9".into(),
            "Error: nodegroup with name ng-9 not found".into(),
        ),
        (
            "eksctl get addons --cluster prod".into(),
            "Error: cluster \"prod\" not found (this lab's cluster is \"lab\")".into(),
        ),
        (
            "eksctl get addon --cluster lab --name metrics-server".into(),
            "Error: addon metrics-server not found in cluster \"lab\"".into(),
        ),
    ] {
        assert_eq!(q(&sim, &line), Err(want), "{line}");
    }
}

#[test]
fn describe_nodegroup_from_the_console_is_for_managed_groups() {
    let sim = ec2_lab();
    let text = q(
        &sim,
        "aws eks describe-nodegroup --cluster-name lab --nodegroup-name ng-1",
    )
    .unwrap();
    assert_eq!(Some(text), describe_nodegroup(&sim, "ng-1"));
    let json: serde_json::Value =
        serde_json::from_str(&describe_nodegroup(&sim, "ng-1").unwrap()).unwrap();
    assert_eq!(
        (
            &json["nodegroup"]["version"],
            &json["nodegroup"]["releaseVersion"],
            &json["nodegroup"]["updateConfig"]
        ),
        (
            &json!("1.34"),
            &json!("1.34.0-20260701"),
            &json!({"maxUnavailable": 1, "updateStrategy": "DEFAULT"})
        )
    );
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec.nodegroups.push(NodegroupSpec::self_managed("ng-2"));
    let sim = Simulation::new(spec).unwrap();
    assert_eq!(
        q(&sim, "aws eks describe-nodegroup --cluster-name lab --nodegroup-name ng-2"),
        Err("An error occurred (ResourceNotFoundException) when calling the DescribeNodegroup operation: No node group found for name: ng-2. (ng-2 is self-managed: its Auto Scaling group is eksctl-ng-2-nodegroup)".into())
    );
}
