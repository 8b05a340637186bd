//! Workloads: deploy from a form or a pasted manifest, and scale or delete what runs.
//! Dispatches `LabAction::Submit` with `kubectl`-equivalent commands. The form's checks
//! (`view::workloads`) show next to their field; it applies into namespaces that exist.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::api::{Kind, ObjectKey};
use crate::sim::command::Command;
use crate::sim::spec::Manifest;
use crate::ui::components::form::event_value;
use crate::view::builder::FieldError;
use crate::view::workloads::{DeployForm, errors_for};

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

#[function_component(Workloads)]
pub fn workloads(p: &WorkloadsProps) -> Html {
    let form = use_state(DeployForm::default);
    let field_errors = use_state(Vec::<FieldError>::new);
    let error = use_state(|| None::<String>);
    let manifest = use_state(String::new);
    let set = |f: fn(&mut DeployForm, String)| {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let mut x = (*form).clone();
            f(&mut x, event_value(&e));
            form.set(x);
        })
    };
    let deploy = {
        let (form, field_errors, error, on_submit, namespaces) = (
            form.clone(),
            field_errors.clone(),
            error.clone(),
            p.on_submit.clone(),
            p.namespaces.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            error.set(None);
            match form.to_deployment(&namespaces) {
                Ok(d) => {
                    field_errors.set(Vec::new());
                    let text = format!(
                        "kubectl apply -f -  # Deployment {}/{}",
                        d.meta.namespace, d.meta.name
                    );
                    on_submit.emit((Command::Apply(Manifest::Deployment(d)), text));
                }
                Err(errs) => field_errors.set(errs),
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
    let errs = &*field_errors;
    let field_error = |field: &str| match errors_for(errs, field) {
        Some(msg) => {
            html! { <pre class="error" role="alert" data-field-error={field.to_string()}>{ msg }</pre> }
        }
        None => html! {},
    };
    let namespace_missing = errors_for(errs, "namespace").is_some_and(|m| m.contains("not found"));
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
                { field_error("name") }
                { field_error("namespace") }
                if namespace_missing {
                    <p class="help">{ "Create the namespace first, in the console: " }<code>{ format!("kubectl create namespace {}", f.namespace.trim()) }</code></p>
                }
                <label>{ "Image" }<input id="w-image" value={f.image.clone()} oninput={set(|f, v| f.image = v)} /></label>
                { field_error("image") }
                <div class="row">
                    <label>{ "Replicas" }<input id="w-replicas" inputmode="numeric" value={f.replicas.clone()} oninput={set(|f, v| f.replicas = v)} /></label>
                    <label>{ "CPU request" }<input id="w-cpu" value={f.cpu.clone()} oninput={set(|f, v| f.cpu = v)} /></label>
                    <label>{ "Memory request" }<input id="w-memory" value={f.memory.clone()} oninput={set(|f, v| f.memory = v)} /></label>
                </div>
                { field_error("replicas") }
                { field_error("cpu") }
                { field_error("memory") }
                <label>{ "Extra pod labels" }<input id="w-labels" placeholder="compute=fargate" value={f.labels.clone()} oninput={set(|f, v| f.labels = v)} /></label>
                { field_error("labels") }
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
                    p.spec.scheduler_name == crate::sim::eks::fargate_profile::FARGATE_SCHEDULER
                }),
            }
        })
        .collect()
}
