//! The Cluster Autoscaler end to end, from scenario files: scale-up after the launch delay with
//! upstream's events, NotTriggerScaleUp reasons, max and min sizes, scale-down after the
//! unneeded time and the delay after a scale-up, every scale-down blocker, the expanders, no
//! scaling without the CA pod, and auto-discovery of self-managed groups.

use eks_lab::scenario;
use eks_lab::sim::Simulation;
use eks_lab::sim::clock::{SimDuration, SimTime};
use eks_lab::sim::controllers::cluster_autoscaler as ca;
use eks_lab::sim::event::Event;

/// A web Deployment: `replicas` pods of 500m CPU and 512Mi, with extra pod-spec YAML.
fn web(replicas: u64, extra: &str) -> String {
    format!(
        r"apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{extra}      containers:
        - name: web
          image: nginx
          resources: {{requests: {{cpu: 500m, memory: 512Mi}}}}
"
    )
}

/// A lab: node groups (eksctl YAML under `managedNodeGroups:` or `nodeGroups:`), manifests, and
/// Lab spec lines (the CA is installed unless `ca` is empty).
fn lab(groups: &str, manifests: &[String], ca: &str, spec: &str) -> Simulation {
    let mut text = format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: lab, region: us-east-1, version: \"1.34\"}}\n{groups}"
    );
    for m in manifests {
        text.push_str("---\n");
        text.push_str(m);
    }
    text.push_str(
        "---\napiVersion: ekslab.dev/v1alpha1\nkind: Lab\nmetadata: {name: t}\nspec:\n  seed: 3\n  skipClusterCreation: true\n",
    );
    text.push_str(ca);
    text.push_str(spec);
    let loaded = scenario::load(&text).unwrap_or_else(|d| panic!("{d:?}\n{text}"));
    Simulation::new(loaded.spec).unwrap()
}

const CA: &str = "  clusterAutoscaler: {}\n";

fn one_group(min: u64, desired: u64, max: u64) -> String {
    format!(
        "managedNodeGroups:\n  - {{name: ng-1, instanceType: m5.large, minSize: {min}, desiredCapacity: {desired}, maxSize: {max}}}\n"
    )
}

fn events<'a>(sim: &'a Simulation, reason: &str) -> Vec<&'a Event> {
    sim.events()
        .all()
        .iter()
        .filter(|e| e.reason == reason)
        .collect()
}

fn first(sim: &Simulation, reason: &str) -> Option<SimTime> {
    events(sim, reason).first().map(|e| e.time)
}

fn asg(sim: &Simulation, ng: &str) -> String {
    sim.state().nodegroups[ng].asg_name()
}

fn desired(sim: &Simulation, ng: &str) -> i32 {
    sim.state().nodegroups[ng].scaling.desired_size
}

fn why(sim: &Simulation, ng: &str) -> Vec<String> {
    ca::explain(sim)
        .into_iter()
        .find(|(g, _)| g == ng)
        .map(|(_, l)| l)
        .unwrap_or_default()
}

fn pending(sim: &Simulation) -> usize {
    sim.state()
        .pods
        .values()
        .filter(|p| p.spec.node_name.is_none())
        .count()
}

fn at(sim: &mut Simulation, t: SimTime) {
    sim.step_until(t);
}

fn mins(m: u64) -> SimDuration {
    SimDuration::from_mins(m)
}

#[test]
fn a_burst_scales_up_after_the_launch_delay() {
    let mut sim = lab(
        &one_group(1, 2, 5),
        &[web(2, "")],
        CA,
        "  timeline:\n    - {at: 5m, run: kubectl scale deployment web --replicas=12}\n",
    );
    // Right after the scale-up, the explanation and the pods say what happened...
    while events(&sim, "ScaledUpGroup").is_empty() {
        sim.step();
        assert!(sim.now() < SimTime::from_mins(6), "no scale-up");
    }
    let lines = why(&sim, "ng-1");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "scale-up: 6 pending pods fit on 2 new m5.large nodes; least-waste chose ng-1 (waste "
        )),
        "{lines:?}"
    );
    let helped = events(&sim, "TriggeredScaleUp")[0].object.key();
    let reason = ca::pod_reason(&sim, &helped).unwrap();
    assert!(
        reason.starts_with("triggered scale-up of ng-1 at t+00:05:"),
        "{reason}"
    );
    // ...and at the next scan the pods wait for the nodes already asked for.
    sim.run_for(SimDuration::from_secs(10));
    let reason = ca::pod_reason(&sim, &helped).unwrap();
    assert!(
        reason.starts_with("waiting for a new node of ng-1"),
        "{reason}"
    );
    assert!(
        events(&sim, "ScaledUpGroup").len() == 1,
        "no second scale-up for the same pods"
    );
    sim.run_for(mins(6));
    let unschedulable = events(&sim, "FailedScheduling")
        .into_iter()
        .find(|e| e.object.name.starts_with("web-"))
        .map(|e| e.time)
        .expect("the burst exceeds two m5.large nodes");
    let scaled = events(&sim, "ScaledUpGroup");
    assert_eq!(scaled.len(), 1, "one scale-up covers the whole burst");
    let asg = asg(&sim, "ng-1");
    assert_eq!(
        scaled[0].message,
        format!("Scale-up: setting group {asg} size to 4 instead of 2 (max: 5)")
    );
    let reaction = scaled[0].time.saturating_sub(unschedulable);
    assert!(
        reaction <= SimDuration::from_secs(10),
        "desired changes within one scan interval, took {reaction}"
    );
    let triggered = events(&sim, "TriggeredScaleUp");
    assert_eq!(triggered.len(), 6, "six pods did not fit");
    for e in &triggered {
        assert_eq!(
            e.message,
            format!("pod triggered scale-up: [{{{asg} 2->4 (max: 5)}}]")
        );
        assert_eq!(e.time, scaled[0].time);
        assert_eq!(e.source, "cluster-autoscaler");
    }
    // The new nodes join 1–2 minutes after the scale-up, and the pods run on them.
    let ready: Vec<SimTime> = events(&sim, "NodeReady")
        .into_iter()
        .map(|e| e.time)
        .filter(|t| *t > scaled[0].time)
        .collect();
    assert_eq!(ready.len(), 2);
    for t in &ready {
        let d = t.saturating_sub(scaled[0].time);
        assert!(
            d >= SimDuration::from_secs(45) && d <= mins(2),
            "node Ready {d} after the scale-up"
        );
    }
    assert_eq!(desired(&sim, "ng-1"), 4);
    assert_eq!(sim.state().nodes.len(), 4);
    assert_eq!(pending(&sim), 0);
    assert_eq!(ca::pod_reason(&sim, &helped), None, "scheduled");
    let status = ca::status_text(&sim);
    assert!(status.contains("Cluster-wide:"), "{status}");
    assert!(status.contains(&format!("Name:        {asg}")), "{status}");
    assert!(
        status.contains("cloudProviderTarget=4 (minSize=1, maxSize=5)"),
        "{status}"
    );
}

#[test]
fn pods_the_ca_cannot_help_get_not_trigger_scale_up_once() {
    let big = r"apiVersion: v1
kind: Pod
metadata: {name: huge}
spec:
  containers:
    - name: huge
      image: nginx
      resources: {requests: {cpu: '4'}}
"
    .to_string();
    let picky = r"apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  nodeSelector: {disk: ssd}
  containers:
    - name: picky
      image: nginx
"
    .to_string();
    let mut sim = lab(&one_group(1, 2, 5), &[big, picky], CA, "");
    sim.run_for(mins(10));
    let nt = events(&sim, "NotTriggerScaleUp");
    let msg = |pod: &str| -> Vec<String> {
        nt.iter()
            .filter(|e| e.object.name == pod)
            .map(|e| e.message.clone())
            .collect()
    };
    assert_eq!(
        msg("huge"),
        ["pod didn't trigger scale-up: 1 Insufficient cpu"]
    );
    assert_eq!(
        msg("picky"),
        ["pod didn't trigger scale-up: 1 node(s) didn't match Pod's node affinity/selector"]
    );
    assert!(events(&sim, "ScaledUpGroup").is_empty());
    assert_eq!(desired(&sim, "ng-1"), 2);
    let key = eks_lab::sim::api::ObjectKey::new("default", "huge");
    assert_eq!(
        ca::pod_reason(&sim, &key).as_deref(),
        Some("pod didn't trigger scale-up: 1 Insufficient cpu")
    );
}

#[test]
fn max_size_is_respected_with_upstream_message() {
    let mut sim = lab(
        &one_group(1, 2, 3),
        &[web(2, "")],
        CA,
        "  timeline:\n    - {at: 5m, run: kubectl scale deployment web --replicas=14}\n",
    );
    sim.run_for(mins(15));
    assert_eq!(desired(&sim, "ng-1"), 3, "never above maxSize");
    assert_eq!(sim.state().nodes.len(), 3);
    let scaled = events(&sim, "ScaledUpGroup");
    assert_eq!(scaled.len(), 1);
    assert!(
        scaled[0]
            .message
            .ends_with("size to 3 instead of 2 (max: 3)")
    );
    let nt = events(&sim, "NotTriggerScaleUp");
    assert!(!nt.is_empty());
    for e in &nt {
        assert_eq!(
            e.message,
            "pod didn't trigger scale-up: 1 max node group size reached"
        );
    }
    // Each pod is told once, however many scans pass.
    let mut pods: Vec<&str> = nt.iter().map(|e| e.object.name.as_str()).collect();
    let n = pods.len();
    eks_lab::sim::sort::sort(&mut pods);
    pods.dedup();
    assert_eq!(pods.len(), n);
    assert!(pending(&sim) > 0);
    assert!(
        why(&sim, "ng-1").iter().any(|l| l == "at max size 3"),
        "{:?}",
        why(&sim, "ng-1")
    );
}

#[test]
fn idle_nodes_leave_only_after_the_unneeded_time() {
    let mut sim = lab(&one_group(1, 3, 5), &[], CA, "");
    // Find a node the CA considers unneeded.
    let (node, since) = loop {
        sim.run_for(SimDuration::from_secs(10));
        let found = sim
            .state()
            .nodes
            .keys()
            .find_map(|n| ca::unneeded_since(&sim, n).map(|t| (n.clone(), t)));
        if let Some(f) = found {
            break f;
        }
        assert!(sim.now() < SimTime::from_mins(10), "no unneeded node");
    };
    assert!(
        why(&sim, "ng-1")
            .iter()
            .any(|l| l.starts_with(&format!("scale-down: {node} unneeded for"))),
        "{:?}",
        why(&sim, "ng-1")
    );
    at(&mut sim, since + SimDuration::from_secs(599));
    let n = &sim.state().nodes[&node];
    assert!(n.spec.taints.is_empty(), "still untouched at 9m59s");
    assert_eq!(desired(&sim, "ng-1"), 3);
    at(&mut sim, since + mins(10));
    let marked = events(&sim, "ScaleDown");
    assert!(
        marked.iter().any(|e| e.object.name == node
            && e.message == "marked the node as toBeDeleted/unschedulable"
            && e.time == since + mins(10)),
        "removed at exactly 10 minutes"
    );
    assert!(
        sim.state().nodes[&node]
            .spec
            .taints
            .iter()
            .any(|t| t.key == ca::TO_BE_DELETED_TAINT)
    );
    // Termination: the node is gone once the instance has shut down, and the ASG shrank.
    sim.run_for(mins(2));
    assert!(!sim.state().nodes.contains_key(&node));
    assert!(desired(&sim, "ng-1") < 3);
    let term = events(&sim, "Terminating");
    assert!(
        term.iter().any(|e| e
            .message
            .contains("in response to a user request, shrinking the capacity from 3 to 2")),
        "{term:?}"
    );
}

#[test]
fn min_size_is_respected() {
    let mut sim = lab(&one_group(2, 2, 5), &[], CA, "");
    sim.run_for(mins(30));
    assert_eq!(sim.state().nodes.len(), 2);
    assert!(events(&sim, "ScaleDown").is_empty());
    assert!(
        why(&sim, "ng-1")
            .iter()
            .any(|l| l.contains("is at its min size 2")),
        "{:?}",
        why(&sim, "ng-1")
    );
}

#[test]
fn pods_that_fit_nowhere_else_keep_their_node() {
    // One pod per node holds host port 8080: neither can move to the other node.
    let hostport = r"apiVersion: apps/v1
kind: Deployment
metadata: {name: agent}
spec:
  replicas: 2
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - name: agent
          image: nginx
          ports: [{containerPort: 80, hostPort: 8080}]
          resources: {requests: {cpu: 100m}}
"
    .to_string();
    let mut sim = lab(&one_group(1, 2, 5), &[hostport], CA, "");
    sim.run_for(mins(25));
    assert_eq!(sim.state().nodes.len(), 2);
    let lines = why(&sim, "ng-1");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("cannot be removed: pod default/agent-")
                && l.contains("fits on no other node")),
        "{lines:?}"
    );
}

#[test]
fn scale_down_waits_the_delay_after_a_scale_up() {
    let mut sim = lab(
        &one_group(2, 2, 5),
        &[web(2, "")],
        "  clusterAutoscaler: {scaleDownUnneededTime: 1m}\n",
        "  timeline:\n    - {at: 5m, run: kubectl scale deployment web --replicas=8}\n    - {at: 7m, run: kubectl scale deployment web --replicas=1}\n",
    );
    sim.run_for(mins(12));
    let up = first(&sim, "ScaledUpGroup").expect("scale-up");
    assert!(
        why(&sim, "ng-1")
            .iter()
            .any(|l| l.starts_with("scale-down in cooldown:")),
        "{:?}",
        why(&sim, "ng-1")
    );
    // Nodes have been unneeded for well over the one-minute unneeded time...
    assert!(
        sim.state()
            .nodes
            .keys()
            .filter_map(|n| ca::unneeded_since(&sim, n))
            .any(|t| sim.now().saturating_sub(t) > mins(2))
    );
    assert!(events(&sim, "ScaleDown").is_empty());
    sim.run_for(mins(8));
    // ...but they go only once the 10-minute delay after the scale-up has passed.
    let down = first(&sim, "ScaleDown").expect("scale-down after the delay");
    let after = down.saturating_sub(up);
    assert!(
        after >= mins(10) && after <= mins(10) + SimDuration::from_secs(10),
        "first removal {after} after the scale-up"
    );
}

#[test]
fn a_pdb_keeps_a_node_and_the_explanation_says_why() {
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n".to_string();
    let mut sim = lab(
        &one_group(1, 2, 5),
        &[web(1, ""), pdb],
        CA,
        "  timeline:\n    - {at: 25m, run: kubectl delete pdb web}\n",
    );
    sim.run_for(mins(24));
    assert_eq!(
        sim.state().nodes.len(),
        2,
        "nothing removed while the PDB holds"
    );
    let web_node = sim
        .state()
        .pods
        .values()
        .find(|p| p.meta.name.starts_with("web-"))
        .and_then(|p| p.spec.node_name.clone())
        .unwrap();
    let line = format!(
        "{web_node} cannot be removed: pod default/{} is protected by PodDisruptionBudget default/web, which allows no more disruptions",
        sim.state()
            .pods
            .values()
            .find(|p| p.meta.name.starts_with("web-"))
            .unwrap()
            .meta
            .name
    );
    assert!(
        why(&sim, "ng-1").iter().any(|l| l.starts_with(&line)),
        "{:?}",
        why(&sim, "ng-1")
    );
    // Without the PDB the node empties onto the other one and goes.
    sim.run_for(mins(14));
    assert!(!sim.state().nodes.contains_key(&web_node));
    assert_eq!(sim.state().nodes.len(), 1);
    assert_eq!(pending(&sim), 0);
}

/// Each blocker on the node the workload lands on keeps both nodes; a movable control pod does
/// not.
#[test]
fn each_blocker_keeps_its_node() {
    let deploy = |ns: &str, annotations: &str, volumes: &str| {
        format!(
            r"apiVersion: apps/v1
kind: Deployment
metadata: {{name: app, namespace: {ns}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: app}}}}
  template:
    metadata:
      labels: {{app: app}}
      annotations: {{{annotations}}}
    spec:
      containers:
        - name: app
          image: nginx
          resources: {{requests: {{cpu: 100m}}}}
{volumes}"
        )
    };
    let empty_dir = "      volumes:\n        - name: scratch\n          emptyDir: {}\n";
    let bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n    - {name: app, image: nginx, resources: {requests: {cpu: 100m}}}\n".to_string();
    let cases: Vec<(&str, String, Option<&str>)> = vec![
        (
            "kube-system pod without PDB",
            deploy("kube-system", "", ""),
            Some("is a kube-system pod not run by a DaemonSet and without a PodDisruptionBudget"),
        ),
        ("bare pod", bare, Some("has no controller")),
        (
            "local storage",
            deploy("default", "", empty_dir),
            Some("has local storage (volume scratch)"),
        ),
        (
            "safe-to-evict false",
            deploy(
                "default",
                "cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\"",
                "",
            ),
            Some("is annotated cluster-autoscaler.kubernetes.io/safe-to-evict: \"false\""),
        ),
        (
            "local storage declared safe",
            deploy(
                "default",
                "cluster-autoscaler.kubernetes.io/safe-to-evict-local-volumes: scratch",
                empty_dir,
            ),
            None,
        ),
        ("movable pod", deploy("default", "", ""), None),
    ];
    for (name, manifest, blocker) in cases {
        let mut sim = lab(&one_group(1, 2, 5), &[manifest], CA, "");
        sim.run_for(mins(25));
        let lines = why(&sim, "ng-1");
        match blocker {
            Some(text) => {
                assert_eq!(sim.state().nodes.len(), 2, "{name}: {lines:?}");
                assert!(
                    lines.iter().any(|l| l.contains("cannot be removed: pod ")
                        && l.contains("/app")
                        && l.contains(text)),
                    "{name}: {lines:?}"
                );
            }
            None => assert_eq!(sim.state().nodes.len(), 1, "{name}: {lines:?}"),
        }
    }
}

/// Two app groups that start empty (scale from zero) and a small system group: six 500m pods
/// fit three to an m5.large (at most one more) and all on an m5.2xlarge.
fn expander_lab(ca: &str) -> Simulation {
    let groups = r"managedNodeGroups:
  - {name: ng-sys, instanceType: m5.large, minSize: 1, desiredCapacity: 1, maxSize: 1}
  - {name: ng-small, instanceType: m5.large, minSize: 0, desiredCapacity: 0, maxSize: 1, labels: {role: app}}
  - {name: ng-big, instanceType: m5.2xlarge, minSize: 0, desiredCapacity: 0, maxSize: 1, labels: {role: app}}
";
    let mut sim = lab(
        groups,
        &[web(6, "      nodeSelector: {role: app}\n")],
        ca,
        "",
    );
    sim.run_for(mins(3));
    sim
}

fn first_scaled_group(sim: &Simulation) -> String {
    events(sim, "ScaledUpGroup")
        .first()
        .map(|e| e.object.name.clone())
        .expect("a scale-up")
}

#[test]
fn expanders_choose_as_documented() {
    let sim = expander_lab(CA);
    assert_eq!(
        first_scaled_group(&sim),
        "ng-small",
        "least-waste is the default"
    );
    assert!(
        events(&sim, "ScaledUpGroup")[0]
            .message
            .ends_with("size to 1 instead of 0 (max: 1)"),
        "scale from zero"
    );
    let sim = expander_lab("  clusterAutoscaler: {expander: most-pods}\n");
    assert_eq!(
        first_scaled_group(&sim),
        "ng-big",
        "most-pods: six pods beat three"
    );
    let sim = expander_lab(
        "  clusterAutoscaler:\n    expander: priority\n    priorities: {\"50\": [ng-big], \"10\": [\"*\"]}\n",
    );
    assert_eq!(first_scaled_group(&sim), "ng-big");
    let sim = expander_lab(
        "  clusterAutoscaler:\n    expander: priority\n    priorities: {\"50\": [\"ng-sm*\"], \"10\": [\"*\"]}\n",
    );
    assert_eq!(first_scaled_group(&sim), "ng-small");
}

#[test]
fn least_waste_explains_its_choice() {
    let mut sim = lab(
        r"managedNodeGroups:
  - {name: ng-sys, instanceType: m5.large, minSize: 1, desiredCapacity: 1, maxSize: 1}
  - {name: ng-small, instanceType: m5.large, minSize: 0, desiredCapacity: 0, maxSize: 1, labels: {role: app}}
  - {name: ng-big, instanceType: m5.2xlarge, minSize: 0, desiredCapacity: 0, maxSize: 1, labels: {role: app}}
",
        &[web(2, "      nodeSelector: {role: app}\n")],
        CA,
        "",
    );
    // Stop right after the first scale-up, while the explanation still describes it.
    while events(&sim, "ScaledUpGroup").is_empty() {
        sim.step();
        assert!(sim.now() < SimTime::from_mins(5));
    }
    let lines = why(&sim, "ng-small");
    assert!(
        lines.iter().any(|l| l
            == "scale-up: 2 pending pods fit on 1 new m5.large node; least-waste chose ng-small (waste 68%) over ng-big (waste 92%)"),
        "{lines:?}"
    );
}

#[test]
fn no_ca_pod_no_scaling() {
    let mut sim = lab(
        &one_group(1, 2, 5),
        &[web(2, "")],
        CA,
        "  timeline:\n    - {at: 2s, run: kubectl delete deployment cluster-autoscaler -n kube-system}\n    - {at: 5m, run: kubectl scale deployment web --replicas=12}\n",
    );
    sim.run_for(mins(15));
    assert!(events(&sim, "ScaledUpGroup").is_empty());
    assert!(events(&sim, "TriggeredScaleUp").is_empty());
    assert_eq!(desired(&sim, "ng-1"), 2);
    assert!(pending(&sim) > 0);
    assert!(
        why(&sim, "ng-1")[0].starts_with("cluster-autoscaler is not running"),
        "{:?}",
        why(&sim, "ng-1")
    );
}

#[test]
fn self_managed_groups_need_the_autoscaler_policy() {
    let burst = "  timeline:\n    - {at: 5m, run: kubectl scale deployment web --replicas=12}\n";
    let untagged = "nodeGroups:\n  - {name: ng-self, instanceType: m5.large, minSize: 1, desiredCapacity: 2, maxSize: 5}\n";
    let mut sim = lab(untagged, &[web(2, "")], CA, burst);
    sim.run_for(mins(10));
    assert!(events(&sim, "ScaledUpGroup").is_empty());
    assert_eq!(desired(&sim, "ng-self"), 2);
    assert!(
        why(&sim, "ng-self")[0].starts_with("not managed:"),
        "{:?}",
        why(&sim, "ng-self")
    );
    let tagged = "nodeGroups:\n  - name: ng-self\n    instanceType: m5.large\n    minSize: 1\n    desiredCapacity: 2\n    maxSize: 5\n    iam: {withAddonPolicies: {autoScaler: true}}\n";
    let mut sim = lab(tagged, &[web(2, "")], CA, burst);
    sim.run_for(mins(10));
    let scaled = events(&sim, "ScaledUpGroup");
    assert_eq!(scaled.len(), 1);
    assert!(
        scaled[0]
            .message
            .starts_with("Scale-up: setting group eksctl-ng-self-nodegroup size to")
    );
    assert_eq!(pending(&sim), 0);
}

#[test]
fn launches_that_never_register_time_out_and_back_off() {
    // A /27 subnet holds one m5.large and its warm ENI: the ASG cannot launch a second node.
    let groups = "availabilityZones: [us-east-1a, us-east-1b]\nvpc:\n  subnets:\n    private:\n      us-east-1a: {cidr: 192.168.0.0/27}\n      us-east-1b: {cidr: 192.168.0.32/27}\nmanagedNodeGroups:\n  - {name: ng-1, instanceType: m5.large, minSize: 1, desiredCapacity: 1, maxSize: 3, availabilityZones: [us-east-1a]}\n";
    let mut sim = lab(
        groups,
        &[web(1, "")],
        CA,
        "  timeline:\n    - {at: 5m, run: kubectl scale deployment web --replicas=6}\n",
    );
    sim.run_for(mins(19));
    let up = first(&sim, "ScaledUpGroup").expect("a scale-up");
    assert!(!events(&sim, "InsufficientFreeAddressesInSubnet").is_empty());
    assert_eq!(desired(&sim, "ng-1"), 2, "still waiting for the node");
    assert!(events(&sim, "ScaleUpTimedOut").is_empty());
    sim.run_for(mins(3));
    let asg = asg(&sim, "ng-1");
    let timed_out = events(&sim, "ScaleUpTimedOut");
    assert_eq!(timed_out.len(), 1);
    assert!(timed_out[0].time.saturating_sub(up) > mins(15));
    assert!(timed_out[0].time.saturating_sub(up) <= mins(15) + SimDuration::from_secs(10));
    assert_eq!(
        timed_out[0].message,
        format!("Nodes added to group {asg} failed to register within 15m10s")
    );
    let removed = events(&sim, "DeleteUnregistered");
    assert_eq!(removed.len(), 1);
    assert_eq!(
        removed[0].message,
        format!("Removed unregistered node i-placeholder-{asg}-1")
    );
    assert_eq!(
        desired(&sim, "ng-1"),
        1,
        "the capacity that never came is given up"
    );
    assert!(
        events(&sim, "NotTriggerScaleUp")
            .iter()
            .any(|e| e.message == "pod didn't trigger scale-up: 1 in backoff after failed scale-up")
    );
    assert!(
        why(&sim, "ng-1")
            .iter()
            .any(|l| l.starts_with("in backoff after failed scale-up until t+")),
        "{:?}",
        why(&sim, "ng-1")
    );
}

#[test]
fn the_autoscaler_policy_round_trips_through_export() {
    let text = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: lab}\nnodeGroups:\n  - name: ng-self\n    iam: {withAddonPolicies: {autoScaler: true}}\n  - name: ng-plain\n";
    let loaded = scenario::load(text).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let spec = loaded.spec;
    assert!(spec.nodegroups[0].autoscaler_tags);
    assert!(!spec.nodegroups[1].autoscaler_tags);
    let yaml = scenario::to_yaml(&spec);
    assert!(yaml.contains("autoScaler: true"), "{yaml}");
    assert_eq!(scenario::load(&yaml).unwrap().spec, spec);
}

#[test]
fn the_example_lesson_scales_up_then_down() {
    let path = format!(
        "{}/examples/cluster-autoscaler.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let loaded = scenario::load(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let duration = loaded.spec.duration.unwrap();
    let mut sim = Simulation::new(loaded.spec).unwrap();
    sim.step_until(SimTime::from_mins(30));
    assert_eq!(sim.state().nodes.len(), 4, "two nodes added for the burst");
    assert_eq!(pending(&sim), 0);
    sim.step_until(SimTime::EPOCH + duration);
    assert!(sim.outcomes().iter().all(|o| o.result.is_ok()));
    assert_eq!(sim.state().nodes.len(), 1, "back to one node once idle");
    let up = first(&sim, "ScaledUpGroup").unwrap();
    let down = first(&sim, "ScaleDown").unwrap();
    assert!(down.saturating_sub(SimTime::from_mins(40)) >= mins(10));
    assert!(down.saturating_sub(up) >= mins(10));
}
