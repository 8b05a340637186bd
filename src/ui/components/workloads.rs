//! Workloads: deploy from a form or a pasted manifest, and scale or delete what runs.
//! Dispatches `LabAction::Submit` with `kubectl`-equivalent commands.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::sim::api::{
    Container, Deployment, DeploymentSpec, DeploymentStatus, DeploymentStrategy, Kind,
    LabelSelector, Namespace, ObjectKey, ObjectMeta, PodSpec, PodTemplateSpec,
};
use crate::sim::command::Command;
use crate::sim::quantity::Resources;
use crate::sim::spec::Manifest;
use crate::ui::components::form::event_value;
use crate::view::builder::numbers;

/// One row of the deployments list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRow {
    pub namespace: String,
    pub name: String,
    pub replicas: u64,
    pub ready: u64,
    pub pending: u64,
    pub fargate: bool,
}

#[derive(Properties, PartialEq, Debug)]
pub struct WorkloadsProps {
    pub rows: Rc<Vec<DeploymentRow>>,
    pub namespaces: Rc<Vec<String>>,
    pub on_submit: Callback<(Command, String)>,
    /// The last command's result line, to show under the forms.
    pub last_result: Option<Result<String, String>>,
    /// Things a learner should know before deploying (cluster not ready, profile creating).
    pub cautions: Rc<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    name: String,
    namespace: String,
    image: String,
    replicas: String,
    cpu: String,
    memory: String,
    labels: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            name: "web".into(),
            namespace: "default".into(),
            image: "public.ecr.aws/nginx/nginx:1.27".into(),
            replicas: "3".into(),
            cpu: "250m".into(),
            memory: "256Mi".into(),
            labels: String::new(),
        }
    }
}

fn build_deployment(f: &Form) -> Result<Deployment, String> {
    let name = f.name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err("Name: use lower-case letters, digits and hyphens".into());
    }
    let ns = f.namespace.trim();
    if ns.is_empty() {
        return Err("Namespace is required".into());
    }
    // The same checks as a manifest's and the console's (view::builder::numbers).
    let replicas = numbers::replicas(&f.replicas).map_err(|e| format!("Replicas: {e}"))?;
    let cpu = numbers::cpu(&f.cpu).map_err(|e| format!("CPU request: {e}"))?;
    let memory = numbers::memory(&f.memory).map_err(|e| format!("Memory request: {e}"))?;
    let mut labels: BTreeMap<String, String> = [("app".to_string(), name.to_string())]
        .into_iter()
        .collect();
    for part in f.labels.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("Labels: {part:?} is not key=value"))?;
        labels.insert(k.trim().to_string(), v.trim().to_string());
    }
    let requests = Resources { cpu, memory };
    Ok(Deployment {
        meta: ObjectMeta::named(ns, name),
        spec: DeploymentSpec {
            replicas,
            selector: LabelSelector::from_labels(
                [("app".to_string(), name.to_string())]
                    .into_iter()
                    .collect(),
            ),
            template: PodTemplateSpec {
                labels,
                annotations: BTreeMap::new(),
                spec: PodSpec {
                    containers: vec![Container {
                        name: name.to_string(),
                        image: f.image.trim().to_string(),
                        requests,
                        // Requests equal limits (Guaranteed QoS), as Fargate expects.
                        limits: requests,
                        ..Container::default()
                    }],
                    restart_policy: "Always".into(),
                    termination_grace_period_secs: 30,
                    ..PodSpec::default()
                },
            },
            strategy: DeploymentStrategy::default(),
            min_ready_seconds: 0,
            paused: false,
        },
        status: DeploymentStatus::default(),
    })
}

#[function_component(Workloads)]
pub fn workloads(p: &WorkloadsProps) -> Html {
    let form = use_state(Form::default);
    let error = use_state(|| None::<String>);
    let manifest = use_state(String::new);
    let set = |f: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut x = (*form).clone();
            f(&mut x, event_value(&e));
            form.set(x);
        })
    };
    let deploy = {
        let (form, error, on_submit, namespaces) = (
            form.clone(),
            error.clone(),
            p.on_submit.clone(),
            p.namespaces.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match build_deployment(&form) {
                Ok(d) => {
                    error.set(None);
                    let ns = d.meta.namespace.clone();
                    if !namespaces.contains(&ns) {
                        let n = Namespace {
                            meta: ObjectMeta::named("", ns.clone()),
                        };
                        on_submit.emit((
                            Command::Apply(Manifest::Namespace(n)),
                            format!("kubectl create namespace {ns}"),
                        ));
                    }
                    let text = format!(
                        "kubectl apply -f {}.yaml  # Deployment {}/{}",
                        d.meta.name, ns, d.meta.name
                    );
                    on_submit.emit((Command::Apply(Manifest::Deployment(d)), text));
                }
                Err(msg) => error.set(Some(msg)),
            }
        })
    };
    let apply_manifest = {
        let (manifest, error, on_submit) = (manifest.clone(), error.clone(), p.on_submit.clone());
        Callback::from(
            move |_: MouseEvent| match crate::scenario::load_manifests(&manifest) {
                Ok(list) => {
                    error.set(None);
                    for m in list {
                        let text =
                            format!("kubectl apply -f -  # {} {}", m.kind().as_str(), m.name());
                        on_submit.emit((Command::Apply(m), text));
                    }
                }
                Err(diags) => error.set(Some(
                    diags
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                )),
            },
        )
    };
    let f = &*form;
    html! {
        <div class="workloads">
            <h2>{ "Workloads" }</h2>
            { for p.cautions.iter().map(|c| html! { <p class="caution" role="note">{ c.clone() }</p> }) }
            <form class="deploy" onsubmit={deploy} aria-label="Deploy a workload">
                <div class="row">
                    <label>{ "Name" }<input id="w-name" value={f.name.clone()} oninput={set(|f, v| f.name = v)} /></label>
                    <label>{ "Namespace" }<input id="w-namespace" list="w-namespaces" value={f.namespace.clone()} oninput={set(|f, v| f.namespace = v)} /></label>
                    <datalist id="w-namespaces">{ for p.namespaces.iter().map(|n| html! { <option value={n.clone()} /> }) }</datalist>
                </div>
                <label>{ "Image" }<input id="w-image" value={f.image.clone()} oninput={set(|f, v| f.image = v)} /></label>
                <div class="row">
                    <label>{ "Replicas" }<input id="w-replicas" inputmode="numeric" value={f.replicas.clone()} oninput={set(|f, v| f.replicas = v)} /></label>
                    <label>{ "CPU request" }<input id="w-cpu" value={f.cpu.clone()} oninput={set(|f, v| f.cpu = v)} /></label>
                    <label>{ "Memory request" }<input id="w-memory" value={f.memory.clone()} oninput={set(|f, v| f.memory = v)} /></label>
                </div>
                <label>{ "Extra pod labels" }<input id="w-labels" placeholder="compute=fargate" value={f.labels.clone()} oninput={set(|f, v| f.labels = v)} /></label>
                <p class="help">{ "Requests decide where pods fit and, on Fargate, the size and the bill. Same as " }<code>{ "kubectl apply -f" }</code>{ " with a Deployment." }</p>
                <button type="submit" class="primary">{ "Deploy" }</button>
            </form>
            <details class="paste">
                <summary>{ "Paste a manifest" }</summary>
                <textarea id="w-manifest" rows="8" aria-label="Kubernetes manifest YAML" placeholder="apiVersion: apps/v1\nkind: Deployment\n..."
                    value={(*manifest).clone()} oninput={{ let m = manifest.clone(); Callback::from(move |e: InputEvent| m.set(event_value(&e))) }} />
                <button type="button" onclick={apply_manifest}>{ "kubectl apply" }</button>
            </details>
            if let Some(e) = &*error { <pre class="error" role="alert">{ e }</pre> }
            if let Some(r) = &p.last_result {
                <pre class={classes!("result", r.is_err().then_some("error"))} aria-live="polite">{ match r { Ok(s) | Err(s) => s.clone() } }</pre>
            }
            <h3>{ "Deployments" }</h3>
            <table class="deployments">
                <thead><tr><th>{ "NAME" }</th><th>{ "READY" }</th><th>{ "SCALE" }</th><th></th></tr></thead>
                <tbody>
                { for p.rows.iter().map(|r| deployment_row(r, &p.on_submit)) }
                </tbody>
            </table>
        </div>
    }
}

fn deployment_row(r: &DeploymentRow, on_submit: &Callback<(Command, String)>) -> Html {
    let key = ObjectKey::new(r.namespace.clone(), r.name.clone());
    let scale = |to: u64| {
        let (key, on_submit) = (key.clone(), on_submit.clone());
        Callback::from(move |_: MouseEvent| {
            let text = format!(
                "kubectl scale deployment {} -n {} --replicas={to}",
                key.name, key.namespace
            );
            on_submit.emit((
                Command::ScaleDeployment {
                    key: key.clone(),
                    // Saturating; the API server refuses what is past the lab's limit.
                    replicas: crate::sim::api::int32(to),
                },
                text,
            ));
        })
    };
    let delete = {
        let (key, on_submit) = (key.clone(), on_submit.clone());
        Callback::from(move |_: MouseEvent| {
            let text = format!(
                "kubectl delete deployment {} -n {}",
                key.name, key.namespace
            );
            on_submit.emit((
                Command::Delete {
                    kind: Kind::Deployment,
                    key: key.clone(),
                },
                text,
            ));
        })
    };
    let label = format!("{}/{}", r.namespace, r.name);
    html! {
        <tr data-deployment={label.clone()}>
            <td>{ &label }{ if r.fargate { html! { <span class="badge fargate">{ "FARGATE" }</span> } } else { html! {} } }</td>
            <td>{ format!("{}/{}", r.ready, r.replicas) }{ if r.pending > 0 { html! { <span class="pending-count">{ format!(" {} Pending", r.pending) }</span> } } else { html! {} } }</td>
            <td class="scale">
                <button type="button" onclick={scale(r.replicas.saturating_sub(1))} aria-label={format!("Scale {label} down")}>{ "−" }</button>
                <span>{ r.replicas }</span>
                <button type="button" onclick={scale(r.replicas + 1)} aria-label={format!("Scale {label} up")}>{ "+" }</button>
                <button type="button" onclick={scale(r.replicas * 2 + u64::from(r.replicas == 0))} aria-label={format!("Double {label}")}>{ "×2" }</button>
            </td>
            <td><button type="button" class="remove" onclick={delete} aria-label={format!("Delete {label}")}>{ "Delete" }</button></td>
        </tr>
    }
}

/// What a learner should know before deploying right now.
pub fn cautions(sim: &crate::sim::Simulation) -> Vec<String> {
    let st = sim.state();
    let mut out = Vec::new();
    if !st.cluster.is_active() {
        out.push(format!(
            "The cluster is {}: kubectl cannot reach it until it is ACTIVE.",
            st.cluster.status.as_str()
        ));
    }
    for p in st.fargate_profiles.values() {
        if p.status != crate::sim::eks::FargateProfileStatus::Active {
            out.push(format!(
                "Fargate profile {} is {}: pods created now are not sent to Fargate (they are matched only when created).",
                p.name,
                p.status.as_str()
            ));
        }
    }
    if st.cluster.is_active()
        && st.nodes.values().all(|n| !n.is_ready())
        && st.fargate_profiles.is_empty()
    {
        out.push("No node is Ready yet: new pods wait as Pending until one is.".to_string());
    }
    out
}

/// Rows for the deployments list, from the simulation.
pub fn deployment_rows(sim: &crate::sim::Simulation) -> Vec<DeploymentRow> {
    let st = sim.state();
    st.deployments
        .values()
        .filter(|d| d.meta.namespace != "kube-system")
        .map(|d| {
            let pods: Vec<_> = st
                .pods
                .values()
                .filter(|p| {
                    p.meta.namespace == d.meta.namespace
                        && d.spec.selector.matches(&p.meta.labels)
                        && !p.is_terminating()
                })
                .collect();
            DeploymentRow {
                namespace: d.meta.namespace.clone(),
                name: d.meta.name.clone(),
                replicas: crate::sim::api::count(d.spec.replicas),
                ready: pods.iter().filter(|p| p.is_ready()).count() as u64,
                pending: pods.iter().filter(|p| p.spec.node_name.is_none()).count() as u64,
                fargate: pods.iter().any(|p| {
                    p.spec.scheduler_name == crate::sim::controllers::fargate::FARGATE_SCHEDULER
                }),
            }
        })
        .collect()
}
