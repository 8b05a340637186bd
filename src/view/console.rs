//! The console's read-only side: `kubectl get`, `kubectl describe`, `eksctl get`, the AWS
//! CLI's `describe-cluster`, `describe-nodegroup`, `list-updates` and `describe-update`, and
//! `help`, answered from the simulation in the real tools' formats. Commands that change the lab go
//! through `cli::parse_command` instead; `run_query` returns `None` for those.

pub mod history;

use crate::cli::tokenize;
use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::view::kubectl::{self, ObjectId, Table};

/// What the console prints for `help`.
pub const HELP: &str = "Commands the lab understands (as kubectl, eksctl and the AWS CLI spell them):
  kubectl get pods|nodes|deployments|replicasets|daemonsets|jobs|pdb|hpa|vpa|namespaces|events [NAME] [-n NS | -A] [-o wide|yaml]
  kubectl describe pod|node|deployment|daemonset|job|pdb|hpa|vpa NAME [-n NS]
  kubectl top pods|nodes [NAME] [-n NS | -A]   (needs the metrics-server add-on)
  kubectl autoscale deployment NAME --cpu-percent=50 --min=N --max=N
  kubectl scale deployment NAME --replicas=N
  kubectl create deployment NAME --image=IMAGE [--replicas=N]      kubectl create namespace NAME
  kubectl set image deployment/NAME CONTAINER=IMAGE                 kubectl rollout restart deployment/NAME
  kubectl set resources deployment NAME --requests=cpu=500m,memory=256Mi
  kubectl delete pod|deployment|daemonset|job|pdb|hpa|namespace NAME   kubectl cordon|uncordon|drain NODE
  eksctl get cluster|nodegroup|fargateprofile|addons [--name NAME]
  eksctl scale nodegroup --cluster=CLUSTER --name=NG --nodes=N [--nodes-min=N --nodes-max=N]
  eksctl create nodegroup --cluster=CLUSTER --name=NG [--node-type=TYPE --nodes=N --managed=false]
  eksctl create|delete fargateprofile --cluster CLUSTER --name NAME [--namespace NS]
  eksctl delete nodegroup --cluster=CLUSTER --name=NG
  eksctl utils update-cluster-logging --cluster=CLUSTER --enable-types=api,audit
  eksctl upgrade cluster --name=CLUSTER [--version=1.35] [--approve]
  eksctl upgrade nodegroup --cluster=CLUSTER --name=NG [--kubernetes-version=1.35] [--force-upgrade]
  eksctl update addon --cluster=CLUSTER --name=coredns [--version=V]     eksctl create addon ... --force
  eksctl utils update-aws-node|update-kube-proxy|update-coredns --cluster=CLUSTER [--approve]
  aws eks update-cluster-version --name CLUSTER --kubernetes-version 1.35
  aws eks update-nodegroup-version --cluster-name CLUSTER --nodegroup-name NG [--force]
  aws eks update-nodegroup-config --cluster-name CLUSTER --nodegroup-name NG --update-config maxUnavailable=2,updateStrategy=MINIMAL
  aws eks update-addon --cluster-name CLUSTER --addon-name coredns [--addon-version V]
  aws eks describe-cluster --name CLUSTER      aws eks describe-nodegroup --cluster-name CLUSTER --nodegroup-name NG
  aws eks list-updates --name CLUSTER [--nodegroup-name NG | --addon-name A]
  aws eks describe-update --name CLUSTER --update-id ID [--nodegroup-name NG | --addon-name A]
  aws autoscaling terminate-instance-in-auto-scaling-group --instance-id ID --[no-]should-decrement-desired-capacity
  ekslab set-ami nodegroup/NG --kubernetes-version=1.35   ekslab inject-fault subnet-deleted|security-group-deleted   ekslab clear-faults
Keys: Enter runs, Up/Down walk the history.";

#[derive(Debug, Default)]
struct Flags {
    namespace: Option<String>,
    all: bool,
    output: Option<String>,
    positionals: Vec<String>,
}

fn flags(words: &[String]) -> Result<Flags, String> {
    let mut f = Flags::default();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "-A" | "--all-namespaces" => f.all = true,
            "-n" | "--namespace" => {
                f.namespace = Some(
                    it.next()
                        .ok_or("error: flag needs an argument: 'n' in -n")?
                        .clone(),
                );
            }
            "-o" | "--output" => {
                f.output = Some(
                    it.next()
                        .ok_or("error: flag needs an argument: 'o' in -o")?
                        .clone(),
                );
            }
            w if w.starts_with("--namespace=") => {
                f.namespace = Some(w["--namespace=".len()..].to_string());
            }
            w if w.starts_with("-o=") || w.starts_with("--output=") => {
                f.output = w.split_once('=').map(|(_, v)| v.to_string());
            }
            w if w.starts_with("-o") && w.len() > 2 => f.output = Some(w[2..].to_string()),
            w if w.starts_with("--cluster") || w.starts_with("--region") || w == "-c" => {
                if !w.contains('=') && (w == "--cluster" || w == "--region" || w == "-c") {
                    it.next();
                }
            }
            w if w.starts_with('-') => return Err(format!("error: unknown flag: {w}")),
            w => f.positionals.push(w.to_string()),
        }
    }
    Ok(f)
}

fn resource(word: &str) -> Option<&'static str> {
    Some(match word {
        "po" | "pod" | "pods" => "pods",
        "no" | "node" | "nodes" => "nodes",
        "deploy" | "deployment" | "deployments" => "deployments",
        "rs" | "replicaset" | "replicasets" => "replicasets",
        "ds" | "daemonset" | "daemonsets" => "daemonsets",
        "job" | "jobs" => "jobs",
        "pdb" | "poddisruptionbudget" | "poddisruptionbudgets" => "pdb",
        "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => "hpa",
        "vpa" | "verticalpodautoscaler" | "verticalpodautoscalers" => "vpa",
        "ns" | "namespace" | "namespaces" => "namespaces",
        "ev" | "event" | "events" => "events",
        _ => return None,
    })
}

/// Answers a read-only command; `None` when the line is not one (it may change the lab).
pub fn run_query(sim: &Simulation, line: &str) -> Option<Result<String, String>> {
    // The same limit as a command that changes the lab (parse_command).
    if let Err(e) = crate::limits::check::command_bytes(line.len()) {
        return Some(Err(format!("error: {e}")));
    }
    let words = match tokenize(line) {
        Ok(w) => w,
        Err(e) => return Some(Err(format!("bash: {e}"))),
    };
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["help" | "?"] => Some(Ok(HELP.to_string())),
        ["kubectl", "get", rest @ ..] => Some(get(sim, &words[2..], rest)),
        ["kubectl", "describe", ..] => Some(describe(sim, &words[2..])),
        ["kubectl", "top", ..] => Some(top(sim, &words[2..])),
        ["eksctl", "get", what, ..] => Some(eksctl_get(sim, what, &words[3..])),
        ["aws", "eks", op, ..] if AWS_QUERIES.contains(op) => Some(aws_eks(sim, op, &words[3..])),
        _ => None,
    }
}

/// The AWS CLI's read-only EKS operations the console answers.
const AWS_QUERIES: [&str; 4] = [
    "describe-cluster",
    "describe-nodegroup",
    "list-updates",
    "describe-update",
];

/// `--key value` / `--key=value` options of an AWS CLI line, as argparse reads them.
fn aws_options<'a>(words: &'a [String], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    const GLOBAL: [&str; 3] = ["region", "output", "profile"];
    let mut out = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let Some(opt) = w.strip_prefix("--") else {
            return Err(format!("aws: error: Unknown options: {w}"));
        };
        if opt == "no-cli-pager" {
            continue;
        }
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (opt, None),
        };
        if !known.contains(&name) && !GLOBAL.contains(&name) {
            return Err(format!("aws: error: Unknown options: --{name}"));
        }
        let value = match value {
            Some(v) => v,
            None => it
                .next()
                .map(String::as_str)
                .ok_or_else(|| format!("aws: error: argument --{name}: expected one argument"))?,
        };
        if name == "output" && value != "json" {
            return Err(format!(
                "aws: error: the lab prints the AWS CLI's JSON output, not --output {value}"
            ));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// `aws eks describe-cluster|describe-nodegroup|list-updates|describe-update ...`.
fn aws_eks(sim: &Simulation, op: &str, words: &[String]) -> Result<String, String> {
    let known: &[&str] = match op {
        "describe-cluster" => &["name"],
        "describe-nodegroup" => &["cluster-name", "nodegroup-name"],
        "list-updates" => &["name", "nodegroup-name", "addon-name"],
        _ => &["name", "update-id", "nodegroup-name", "addon-name"],
    };
    let opts = aws_options(words, known)?;
    let get = |k: &str| opts.iter().rev().find(|(n, _)| *n == k).map(|(_, v)| *v);
    let required: Vec<&str> = match op {
        "describe-cluster" | "list-updates" => vec!["name"],
        "describe-nodegroup" => vec!["cluster-name", "nodegroup-name"],
        _ => vec!["name", "update-id"],
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|k| get(k).is_none())
        .map(|k| format!("--{k}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "aws: error: the following arguments are required: {}",
            missing.join(", ")
        ));
    }
    let scope = match (get("nodegroup-name"), get("addon-name")) {
        (Some(_), Some(_)) => {
            let operation = if op == "list-updates" {
                "ListUpdates"
            } else {
                "DescribeUpdate"
            };
            return Err(format!(
                "An error occurred (InvalidParameterException) when calling the {operation} operation: give --nodegroup-name or --addon-name, not both"
            ));
        }
        (Some(n), None) => kubectl::UpdateScope::Nodegroup(n),
        (None, Some(a)) => kubectl::UpdateScope::Addon(a),
        (None, None) => kubectl::UpdateScope::Cluster,
    };
    let name = get("name").unwrap_or_default();
    match op {
        "describe-cluster" => kubectl::describe_cluster(sim, name),
        "describe-nodegroup" => kubectl::describe_nodegroup_cli(
            sim,
            get("cluster-name").unwrap_or_default(),
            get("nodegroup-name").unwrap_or_default(),
        ),
        "list-updates" => kubectl::list_updates(sim, name, scope),
        _ => kubectl::describe_update(sim, name, scope, get("update-id").unwrap_or_default()),
    }
}

/// `kubectl top pods|nodes [NAME] [-n NS | -A]`, from the metrics-server's last scrape.
fn top(sim: &Simulation, words: &[String]) -> Result<String, String> {
    let f = flags(words)?;
    let Some((what, names)) = f.positionals.split_first() else {
        return Err(
            "error: You must specify the type of resource to top. Valid types: node, pod".into(),
        );
    };
    let table = match resource(what) {
        Some("pods") => {
            let ns = if f.all {
                None
            } else {
                Some(f.namespace.as_deref().unwrap_or("default"))
            };
            crate::view::top::top_pods(sim, ns)?
        }
        Some("nodes") => crate::view::top::top_nodes(sim)?,
        _ => {
            return Err(format!(
                "error: unknown command \"{what}\" for \"kubectl top\"\nValid types: node, pod"
            ));
        }
    };
    if names.is_empty() {
        return Ok(table);
    }
    // A name keeps the header and that row, as `kubectl top pod NAME` prints.
    let mut lines = table.lines();
    let header = lines.next().unwrap_or_default();
    let col = usize::from(f.all);
    let rows: Vec<&str> = lines
        .filter(|l| {
            l.split_whitespace()
                .nth(col)
                .is_some_and(|n| names.iter().any(|w| w == n))
        })
        .collect();
    if rows.is_empty() {
        let kind = if resource(what) == Some("nodes") {
            "node"
        } else {
            "pod"
        };
        return Err(format!(
            "Error from server (NotFound): {kind}metrics.metrics.k8s.io \"{}\" not found",
            names[0]
        ));
    }
    let mut out = format!("{header}\n");
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    Ok(out)
}

fn get(sim: &Simulation, words: &[String], _rest: &[&str]) -> Result<String, String> {
    let f = flags(words)?;
    let Some(first) = f.positionals.first() else {
        return Err("error: you must specify the type of resource to get.".into());
    };
    let (res_word, name) = match first.split_once('/') {
        Some((r, n)) => (r.to_string(), Some(n.to_string())),
        None => (first.clone(), f.positionals.get(1).cloned()),
    };
    let res = resource(&res_word)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{res_word}\""))?;
    let ns_owned = f.namespace.clone().unwrap_or_else(|| "default".to_string());
    let ns = if f.all { None } else { Some(ns_owned.as_str()) };
    let wide = f.output.as_deref() == Some("wide");
    if let Some(out) = f.output.as_deref()
        && !matches!(out, "wide" | "yaml")
    {
        return Err(format!(
            "error: the lab prints tables, -o wide and -o yaml, not -o {out}"
        ));
    }
    if f.output.as_deref() == Some("yaml") {
        let name = name.ok_or("error: the lab prints -o yaml for one object: give its name")?;
        let key = ObjectKey::new(ns_owned.clone(), name.clone());
        let id = match res {
            "pods" => ObjectId::Pod(key),
            "nodes" => ObjectId::Node(name.clone()),
            "deployments" => ObjectId::Deployment(key),
            "daemonsets" => ObjectId::DaemonSet(key),
            "jobs" => ObjectId::Job(key),
            "pdb" => ObjectId::Pdb(key),
            "hpa" => ObjectId::Hpa(key),
            "vpa" => ObjectId::Vpa(key),
            other => {
                return Err(format!(
                    "error: the lab prints -o yaml for pods, nodes, deployments, daemonsets, jobs, pdb, hpa and vpa, not {other}"
                ));
            }
        };
        return kubectl::yaml(sim, &id).ok_or_else(|| not_found(res, &name));
    }
    let table: Table = match res {
        "pods" => kubectl::pods_table(sim, ns, wide),
        "nodes" => kubectl::nodes_table(sim, wide),
        "deployments" => kubectl::deployments_table(sim, ns),
        "replicasets" => kubectl::replicasets_table(sim, ns),
        "daemonsets" => kubectl::daemonsets_table(sim, ns),
        "jobs" => kubectl::jobs_table(sim, ns),
        "pdb" => kubectl::pdb_table(sim, ns),
        "hpa" => kubectl::hpa_table(sim, ns),
        "vpa" => kubectl::vpa_table(sim, ns),
        "namespaces" => kubectl::namespaces_table(sim),
        _ => return Ok(kubectl::get_events(sim, ns, None)),
    };
    match name {
        None => Ok(table.render()),
        Some(n) => {
            let col = usize::from(table.columns.first().is_some_and(|c| c == "NAMESPACE"));
            let mut one = table.clone();
            one.rows.retain(|r| r.cells.get(col) == Some(&n));
            if one.rows.is_empty() {
                Err(not_found(res, &n))
            } else {
                Ok(one.render())
            }
        }
    }
}

fn not_found(res: &str, name: &str) -> String {
    let api = match res {
        "deployments" | "replicasets" | "daemonsets" => format!("{res}.apps"),
        "jobs" => "jobs.batch".to_string(),
        "pdb" => "poddisruptionbudgets.policy".to_string(),
        "hpa" => "horizontalpodautoscalers.autoscaling".to_string(),
        "vpa" => "verticalpodautoscalers.autoscaling.k8s.io".to_string(),
        other => other.to_string(),
    };
    format!("Error from server (NotFound): {api} \"{name}\" not found")
}

fn describe(sim: &Simulation, words: &[String]) -> Result<String, String> {
    let f = flags(words)?;
    let (res_word, name) = match (f.positionals.first(), f.positionals.get(1)) {
        (Some(first), None) if first.contains('/') => {
            let (r, n) = first.split_once('/').unwrap_or((first, ""));
            (r.to_string(), n.to_string())
        }
        (Some(r), Some(n)) => (r.clone(), n.clone()),
        _ => {
            return Err(
                "error: the lab describes one named object: kubectl describe KIND NAME".into(),
            );
        }
    };
    let res = resource(&res_word)
        .ok_or_else(|| format!("error: the server doesn't have a resource type \"{res_word}\""))?;
    let key = ObjectKey::new(
        f.namespace.unwrap_or_else(|| "default".into()),
        name.clone(),
    );
    let id = match res {
        "pods" => ObjectId::Pod(key),
        "nodes" => ObjectId::Node(name.clone()),
        "deployments" => ObjectId::Deployment(key),
        "daemonsets" => ObjectId::DaemonSet(key),
        "jobs" => ObjectId::Job(key),
        "pdb" => ObjectId::Pdb(key),
        "hpa" => ObjectId::Hpa(key),
        "vpa" => ObjectId::Vpa(key),
        other => {
            return Err(format!(
                "error: the lab describes pods, nodes, deployments, daemonsets, jobs, pdb, hpa and vpa, not {other}"
            ));
        }
    };
    kubectl::describe(sim, &id).ok_or_else(|| not_found(res, &name))
}

/// `eksctl get cluster|nodegroup|fargateprofile|addon [--cluster C] [--name N | N]`.
fn eksctl_get(sim: &Simulation, what: &str, words: &[String]) -> Result<String, String> {
    let mut cluster = None;
    let mut name = None;
    let mut it = words.iter();
    while let Some(w) = it.next() {
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
            _ => (w.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("Error: flag needs an argument: {flag}"))
        };
        match flag {
            "--cluster" | "-c" => cluster = Some(value()?),
            "--name" | "-n" => name = Some(value()?),
            "--region" | "-r" => {
                value()?;
            }
            f if f.starts_with('-') => return Err(format!("Error: unknown flag: {f}")),
            positional => name = Some(positional.to_string()),
        }
    }
    let lab = &sim.state().cluster.name;
    if let Some(c) = &cluster
        && c != lab
        && !matches!(what, "cluster" | "clusters")
    {
        return Err(format!(
            "Error: cluster {c:?} not found (this lab's cluster is {lab:?})"
        ));
    }
    let name = name.as_deref();
    match what {
        "cluster" | "clusters" => match name.or(cluster.as_deref()) {
            Some(n) if n != lab => Err(format!(
                "Error: cluster {n:?} not found (this lab's cluster is {lab:?})"
            )),
            _ => Ok(kubectl::eksctl_get_cluster(sim)),
        },
        "nodegroup" | "nodegroups" | "ng" => kubectl::eksctl_get_nodegroup(sim, name),
        "fargateprofile" | "fargateprofiles" => Ok(kubectl::eksctl_get_fargateprofiles(sim)),
        "addon" | "addons" => kubectl::eksctl_get_addon(sim, name),
        other => Err(format!(
            "Error: unknown resource type {other:?} for \"eksctl get\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::SimDuration;

    fn lab() -> Simulation {
        let mut sim = Simulation::new(crate::view::demo::demo_spec()).unwrap();
        sim.run_for(SimDuration::from_mins(5));
        sim
    }

    #[test]
    fn get_describe_and_eksctl_answer_in_the_tools_formats() {
        let sim = lab();
        let pods = run_query(&sim, "kubectl get pods").unwrap().unwrap();
        assert!(pods.starts_with("NAME "), "{pods}");
        assert!(pods.contains("web-"));
        let all = run_query(&sim, "kubectl get po -A -o wide")
            .unwrap()
            .unwrap();
        assert!(all.starts_with("NAMESPACE "), "{all}");
        assert!(all.contains("fargate-ip-"));
        let node = sim
            .state()
            .nodes
            .keys()
            .find(|n| n.starts_with("ip-"))
            .unwrap()
            .clone();
        let d = run_query(&sim, &format!("kubectl describe node {node}"))
            .unwrap()
            .unwrap();
        assert!(d.contains("Allocatable:") && d.contains("1930m"), "{d}");
        let one = run_query(&sim, &format!("kubectl get nodes {node}"))
            .unwrap()
            .unwrap();
        assert_eq!(one.lines().count(), 2, "{one}");
        assert!(
            run_query(&sim, "eksctl get nodegroup --cluster lab")
                .unwrap()
                .unwrap()
                .contains("ng-general")
        );
        assert!(
            run_query(&sim, "kubectl get deploy web -o yaml")
                .unwrap()
                .unwrap()
                .contains("kind: Deployment")
        );
        assert!(
            run_query(&sim, "help")
                .unwrap()
                .unwrap()
                .contains("kubectl get")
        );
    }

    #[test]
    fn mistakes_read_like_kubectl() {
        let sim = lab();
        assert_eq!(
            run_query(&sim, "kubectl get pod nope")
                .unwrap()
                .unwrap_err(),
            "Error from server (NotFound): pods \"nope\" not found"
        );
        assert!(
            run_query(&sim, "kubectl get widgets")
                .unwrap()
                .unwrap_err()
                .contains("doesn't have a resource type \"widgets\"")
        );
        assert!(
            run_query(&sim, "kubectl get pods --bogus")
                .unwrap()
                .unwrap_err()
                .contains("unknown flag")
        );
        assert_eq!(
            run_query(&sim, "kubectl top nodes").unwrap().unwrap_err(),
            "error: Metrics API not available"
        );
        assert!(
            run_query(&sim, "kubectl scale deployment web --replicas=3").is_none(),
            "changes go to the command parser"
        );
    }

    #[test]
    fn top_answers_from_metrics_server() {
        let spec = crate::scenario::load(include_str!("../../examples/hpa.yaml"))
            .unwrap()
            .spec;
        let mut sim = Simulation::new(spec).unwrap();
        sim.run_for(SimDuration::from_mins(30));
        let pods = run_query(&sim, "kubectl top pods").unwrap().unwrap();
        assert!(
            pods.starts_with("NAME ") && pods.contains("CPU(cores)"),
            "{pods}"
        );
        assert!(
            pods.lines().skip(1).all(|l| l.starts_with("web-")),
            "{pods}"
        );
        let all = run_query(&sim, "kubectl top po -A").unwrap().unwrap();
        assert!(
            all.starts_with("NAMESPACE ") && all.contains("kube-system"),
            "{all}"
        );
        let nodes = run_query(&sim, "kubectl top nodes").unwrap().unwrap();
        assert_eq!(
            nodes.lines().count(),
            4,
            "three nodes and a header: {nodes}"
        );
        let first = nodes
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        let one = run_query(&sim, &format!("kubectl top node {first}"))
            .unwrap()
            .unwrap();
        assert_eq!(one.lines().count(), 2, "{one}");
        assert_eq!(
            run_query(&sim, "kubectl top pod nope")
                .unwrap()
                .unwrap_err(),
            "Error from server (NotFound): podmetrics.metrics.k8s.io \"nope\" not found"
        );
        assert!(
            run_query(&sim, "kubectl top")
                .unwrap()
                .unwrap_err()
                .contains("Valid types: node, pod")
        );
    }
}
