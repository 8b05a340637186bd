//! The inspector: the selected object as `kubectl describe` (or the AWS CLI for node groups and
//! Fargate profiles) shows it, with its YAML one tab away, and for a Pending pod the reason in
//! plain sight. Emits `on_close`.

use yew::prelude::*;

use crate::sim::Simulation;
use crate::ui::state::Selection;
use crate::view::kubectl::{self, ObjectId};

/// What the inspector shows for one selection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorModel {
    pub title: String,
    pub describe: String,
    pub yaml: Option<String>,
    /// For a pod without a node: why it waits.
    pub pending_reason: Option<String>,
    pub gone: bool,
}

impl InspectorModel {
    pub fn build(sim: &Simulation, sel: &Selection) -> InspectorModel {
        let id = match sel {
            Selection::Pod(k) => Some(ObjectId::Pod(k.clone())),
            Selection::Node(n) => Some(ObjectId::Node(n.clone())),
            Selection::Deployment(k) => Some(ObjectId::Deployment(k.clone())),
            Selection::Nodegroup(n) => Some(ObjectId::Nodegroup(n.clone())),
            Selection::FargateProfile(n) => Some(ObjectId::FargateProfile(n.clone())),
            Selection::Cluster => None,
        };
        let title = match sel {
            Selection::Pod(k) => format!("kubectl describe pod {} -n {}", k.name, k.namespace),
            Selection::Node(n) => format!("kubectl describe node {n}"),
            Selection::Deployment(k) => {
                format!("kubectl describe deployment {} -n {}", k.name, k.namespace)
            }
            Selection::Nodegroup(n) => {
                let managed = sim
                    .state()
                    .nodegroups
                    .get(n)
                    .is_some_and(|g| g.kind == crate::sim::eks::NodegroupKind::Managed);
                if managed {
                    format!(
                        "aws eks describe-nodegroup --cluster-name {} --nodegroup-name {n}",
                        sim.state().cluster.name
                    )
                } else {
                    format!(
                        "aws autoscaling describe-auto-scaling-groups  # self-managed node group {n}"
                    )
                }
            }
            Selection::FargateProfile(n) => format!(
                "aws eks describe-fargate-profile --cluster-name {} --fargate-profile-name {n}",
                sim.state().cluster.name
            ),
            Selection::Cluster => "eksctl get cluster; eksctl get addons".to_string(),
        };
        let (describe, yaml) = match &id {
            Some(id) => (kubectl::describe(sim, id), kubectl::yaml(sim, id)),
            None => (
                Some(format!(
                    "{}\n{}",
                    kubectl::eksctl_get_cluster(sim),
                    kubectl::eksctl_get_addons(sim)
                )),
                None,
            ),
        };
        let pending_reason = match sel {
            Selection::Pod(k) => sim
                .state()
                .pods
                .get(k)
                .filter(|p| p.spec.node_name.is_none())
                .and_then(|p| crate::view::cluster::pending_reason(sim, p)),
            _ => None,
        };
        InspectorModel {
            title,
            gone: describe.is_none(),
            describe: describe.unwrap_or_default(),
            yaml,
            pending_reason,
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct InspectorProps {
    pub model: Option<InspectorModel>,
    pub on_close: Callback<()>,
}

#[function_component(Inspector)]
pub fn inspector(p: &InspectorProps) -> Html {
    let show_yaml = use_state(|| false);
    let Some(m) = &p.model else {
        return html! { <div class="inspector"><p class="empty">{ "Click a node, a pod, a node group or the control plane to inspect it." }</p></div> };
    };
    let close = p.on_close.reform(|_: MouseEvent| ());
    let tab = |yaml: bool, label: &'static str| {
        let show = show_yaml.clone();
        let active = *show_yaml == yaml;
        html! { <button type="button" class={classes!("subtab", active.then_some("active"))} aria-pressed={active.to_string()} onclick={Callback::from(move |_: MouseEvent| show.set(yaml))}>{ label }</button> }
    };
    html! {
        <div class="inspector" data-testid="inspector">
            <div class="inspector-head">
                <code class="command">{ format!("$ {}", m.title) }</code>
                <button type="button" onclick={close} aria-label="Close the inspector">{ "Close" }</button>
            </div>
            if let Some(r) = &m.pending_reason {
                <p class="why-pending" role="note"><strong>{ "Why Pending: " }</strong>{ r.clone() }</p>
            }
            if m.gone {
                <p class="empty">{ "This object no longer exists (deleted, or its node was removed)." }</p>
            } else {
                if m.yaml.is_some() {
                    <div class="subtabs">{ tab(false, "Describe") }{ tab(true, "YAML") }</div>
                }
                <pre class="describe" tabindex="0" aria-label="Object details">{
                    if *show_yaml { m.yaml.clone().unwrap_or_default() } else { m.describe.clone() }
                }</pre>
            }
        </div>
    }
}
