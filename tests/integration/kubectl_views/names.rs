//! Names and namespaces in the console: what kubectl prints when the API server refuses a
//! name (`The Namespace "Batch_NS" is invalid: ...`), when an object exists already, and when
//! its namespace does not exist, for `create`, `apply -f -` and the other verbs.

use eks_lab::cli::{CommandContext, parse_command};
use eks_lab::scenario::load_manifests;
use eks_lab::sim::Simulation;
use eks_lab::sim::command::Command;
use eks_lab::sim::spec::{LabSpec, NodegroupSpec};
use eks_lab::view::console::run_query;

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn lab() -> Simulation {
    let mut spec = LabSpec::default();
    spec.settings.skip_cluster_creation = true;
    spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
    let mut sim = Simulation::new(spec).unwrap();
    sim.step();
    sim
}

/// A console line: reads answer at once, changes apply at the next step.
fn run(sim: &mut Simulation, line: &str) -> Result<String, String> {
    if let Some(r) = run_query(sim, line) {
        return r;
    }
    let cmd = parse_command(line, &CommandContext::new(sim.state().cluster.name.clone()))?;
    submit(sim, cmd, line)
}

fn submit(sim: &mut Simulation, cmd: Command, text: &str) -> Result<String, String> {
    let before = sim.outcomes().len();
    sim.submit(cmd, text);
    sim.step();
    sim.outcomes()[before].result.clone()
}

#[test]
fn create_namespace_is_refused_with_the_api_servers_message() {
    let mut sim = lab();
    assert_eq!(
        run(&mut sim, "kubectl create namespace Batch_NS"),
        Err(format!(
            "The Namespace \"Batch_NS\" is invalid: metadata.name: Invalid value: \"Batch_NS\": {LABEL_MSG}"
        ))
    );
    assert_eq!(
        run(&mut sim, "kubectl create namespace web.v2"),
        Err("The Namespace \"web.v2\" is invalid: metadata.name: Invalid value: \"web.v2\": must not contain dots".into())
    );
    let long = "a".repeat(64);
    assert_eq!(
        run(&mut sim, &format!("kubectl create namespace {long}")),
        Err(format!(
            "The Namespace \"{long}\" is invalid: metadata.name: Invalid value: \"{long}\": must be no more than 63 characters"
        ))
    );
    assert_eq!(
        run(&mut sim, "kubectl create namespace shop"),
        Ok("namespace/shop created".into())
    );
    assert_eq!(
        run(&mut sim, "kubectl create ns shop"),
        Err("Error from server (AlreadyExists): namespaces \"shop\" already exists".into())
    );
    assert!(!sim.state().namespaces.contains_key("Batch_NS"));
    // Each refusal is logged like any failed command, with the line and kubectl's text.
    let failed: Vec<&str> = sim
        .events()
        .all()
        .iter()
        .filter(|e| e.reason == "CommandFailed")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(failed.len(), 4);
    assert_eq!(
        failed[3],
        "kubectl create ns shop: Error from server (AlreadyExists): namespaces \"shop\" already exists"
    );
}

#[test]
fn create_deployment_wraps_the_servers_answer() {
    let mut sim = lab();
    assert_eq!(
        run(&mut sim, "kubectl create deployment Bad_Name --image=nginx"),
        Err(format!(
            "error: failed to create deployment: Deployment.apps \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": {SUBDOMAIN_MSG}"
        ))
    );
    assert_eq!(
        run(
            &mut sim,
            "kubectl create deployment web --image=nginx -n foo"
        ),
        Err("error: failed to create deployment: namespaces \"foo\" not found".into())
    );
    // An invalid namespace name is a namespace that cannot exist: the NamespaceLifecycle
    // admission plugin answers before validation does.
    assert_eq!(
        run(
            &mut sim,
            "kubectl create deployment web --image=nginx -n Bad_NS"
        ),
        Err("error: failed to create deployment: namespaces \"Bad_NS\" not found".into())
    );
    assert_eq!(
        run(&mut sim, "kubectl create deployment web --image=nginx"),
        Ok("deployment.apps/web created".into())
    );
    assert_eq!(
        run(&mut sim, "kubectl create deployment web --image=nginx:1.28"),
        Err("error: failed to create deployment: deployments.apps \"web\" already exists".into())
    );
    // kubectl labels the Deployment `app=<name>`: a 64-character name breaks the label, the
    // selector, and so the selector's conversion.
    let long = "w".repeat(64);
    let q = format!("\"{long}\"");
    assert_eq!(
        run(
            &mut sim,
            &format!("kubectl create deployment {long} --image=nginx")
        ),
        Err(format!(
            "error: failed to create deployment: Deployment.apps {q} is invalid: [metadata.labels: Invalid value: {q}: must be no more than 63 bytes, spec.selector.matchLabels: Invalid value: {q}: must be no more than 63 bytes, spec.selector: Invalid value: {{\"matchLabels\":{{\"app\":{q}}}}}: invalid label selector]"
        ))
    );
}

#[test]
fn other_verbs_in_a_missing_namespace_get_not_found() {
    let mut sim = lab();
    run(&mut sim, "kubectl create deployment web --image=nginx").unwrap();
    for (line, want) in [
        (
            "kubectl scale deployment web -n foo --replicas=2",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
        (
            "kubectl delete deployment web -n foo",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
        (
            "kubectl rollout restart deployment/web -n foo",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
        (
            "kubectl set image deployment/web nginx=nginx:1.28 -n foo",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
        (
            "kubectl autoscale deployment web -n foo --max=3",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
        (
            "kubectl describe deployment web -n foo",
            "Error from server (NotFound): deployments.apps \"web\" not found",
        ),
    ] {
        assert_eq!(run(&mut sim, line), Err(want.to_string()), "{line}");
    }
    assert_eq!(
        run(&mut sim, "kubectl get pods -n foo"),
        Ok("No resources found in foo namespace.\n".into())
    );
    assert_eq!(
        run(&mut sim, "kubectl autoscale deployment web --max=3"),
        Ok("horizontalpodautoscaler.autoscaling/web created".into())
    );
    assert_eq!(
        run(&mut sim, "kubectl autoscale deployment web --max=4"),
        Err("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"web\" already exists".into())
    );
}

#[test]
fn apply_of_stdin_names_its_source() {
    let mut sim = lab();
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: foo}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
    let manifests = load_manifests(text).unwrap();
    let cmd = Command::Apply(manifests[0].clone());
    assert_eq!(
        submit(&mut sim, cmd.clone(), "kubectl apply -f -"),
        Err("Error from server (NotFound): error when creating \"STDIN\": namespaces \"foo\" not found".into())
    );
    run(&mut sim, "kubectl create namespace foo").unwrap();
    assert_eq!(
        submit(&mut sim, cmd.clone(), "kubectl apply -f -"),
        Ok("deployment.apps/web created".into())
    );
    assert_eq!(
        submit(&mut sim, cmd, "kubectl apply -f -"),
        Ok("deployment.apps/web unchanged".into())
    );
    // What the paste box refuses never reaches the cluster: the same check, with positions.
    let bad = text.replace("name: web, namespace: foo", "name: Web, namespace: foo");
    let err = load_manifests(&bad).unwrap_err();
    assert_eq!(
        (err[0].line, err[0].column, err[0].path.as_str()),
        (3, 18, "metadata.name")
    );
    assert_eq!(
        err[0].message,
        format!("Invalid value: \"Web\": {SUBDOMAIN_MSG}")
    );
}

#[test]
fn pods_of_a_long_named_deployment_get_names_cut_like_generate_name() {
    let mut sim = lab();
    let name = "d".repeat(60);
    run(
        &mut sim,
        &format!("kubectl create deployment {name} --image=nginx --replicas=2"),
    )
    .unwrap();
    sim.run_for(eks_lab::sim::clock::SimDuration::from_secs(30));
    let pods: Vec<&str> = sim
        .state()
        .pods
        .keys()
        .filter(|k| k.name.starts_with('d'))
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(pods.len(), 2);
    for p in pods {
        // `<deployment>-<hash>-` cut to 58 characters, then 5 random ones.
        assert_eq!(p.len(), 63, "{p}");
        assert_eq!(&p[..58], &name[..58], "{p}");
        assert!(
            eks_lab::sim::api::validation::is_dns1123_label(p).is_empty(),
            "{p}"
        );
    }
}
