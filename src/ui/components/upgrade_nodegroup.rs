//! One EC2 node group in the Upgrades tab: its version and kubelets, its Auto Scaling group
//! sizes (which a managed update raises by the surge), the update settings EKS will use
//! (strategy and maxUnavailable, changed with `aws eks update-nodegroup-config`), the update's
//! progress, the estimate, who does what, and the buttons: Rolling update and Force update for
//! a managed group, the blue/green steps for a self-managed one. Emits `on_submit`.

use yew::prelude::*;

use crate::sim::command::Command;
use crate::sim::eks::UpdateStrategy;
use crate::ui::components::form::event_value;
use crate::ui::components::upgrades::{action_button, state_badge, who};
use crate::view::cluster::DataPlaneKind;
use crate::view::format;
use crate::view::upgrade::{NodegroupPlan, duration_range, update_config};

#[derive(Properties, PartialEq, Debug)]
pub struct NodegroupCardProps {
    pub plan: NodegroupPlan,
    pub cluster: String,
    pub on_submit: Callback<(Command, String)>,
}

/// The settings form as typed: strategy, count or percentage, value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ConfigForm {
    strategy: String,
    percent: bool,
    value: String,
}

impl ConfigForm {
    fn from_plan(g: &NodegroupPlan) -> ConfigForm {
        let (key, value) = g
            .update_config
            .split_once('=')
            .unwrap_or(("maxUnavailable", "1"));
        ConfigForm {
            strategy: g.strategy.to_string(),
            percent: key == "maxUnavailablePercentage",
            value: value.to_string(),
        }
    }
}

#[function_component(NodegroupCard)]
pub fn nodegroup_card(p: &NodegroupCardProps) -> Html {
    let g = &p.plan;
    let form = use_state(|| ConfigForm::from_plan(g));
    let error = use_state(|| None::<String>);
    let managed = g.kind == DataPlaneKind::Managed;
    let set = |f: fn(&mut ConfigForm, String)| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let mut v = (*form).clone();
            f(&mut v, event_value(&e));
            form.set(v);
        })
    };
    let apply = {
        let (form, error, on_submit, cluster, name) = (
            form.clone(),
            error.clone(),
            p.on_submit.clone(),
            p.cluster.clone(),
            g.name.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let config =
                match crate::view::builder::numbers::update_config(&form.value, form.percent) {
                    Ok(c) => c,
                    Err(e) => {
                        error.set(Some(e));
                        return;
                    }
                };
            error.set(None);
            on_submit.emit(update_config(
                &cluster,
                &name,
                Some(config),
                UpdateStrategy::parse(&form.strategy),
            ));
        })
    };
    let kubelets = g
        .kubelets
        .iter()
        .map(|(v, n)| format!("{n} × {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let surge_now = g
        .progress
        .as_ref()
        .map(|pr| (pr.original_desired, pr.original_max, pr.surge));
    html! {
        <section class={classes!("plan-card", "nodegroup", g.kind.css())} aria-label={format!("Node group {}", g.name)} data-nodegroup={g.name.clone()}>
            <h3><span class={classes!("badge", g.kind.css())} title={g.kind.label()}>{ g.kind.short() }</span>
                { format!(" {} · {} → {} ", g.name, g.version, g.target) }{ state_badge(&g.state) }</h3>
            <p>{ format!("{} node(s), {}; kubelets: {}", g.nodes, g.instance_type, if kubelets.is_empty() { "none".to_string() } else { kubelets }) }</p>
            <p class="asg" data-testid={format!("asg-{}", g.name)} data-desired={g.desired.to_string()} data-max={g.max.to_string()}>
                { "Auto Scaling group: " }
                <strong>{ format!("desired {}", g.desired) }</strong>{ format!(" · min {} · max {}", g.min, g.max) }
                if let Some((d, m, s)) = surge_now { <span class="surge">{ format!(" (was {d}/{m}; surge +{s})") }</span> }
            </p>
            <div class="actions">{ for g.actions.iter().map(|a| action_button(a, &p.on_submit, a.id.starts_with("rolling"))) }</div>
            if let Some(pr) = &g.progress {
                <p class="progress">{ format!("Update {}: phase {}{}", &pr.update_id[..8.min(pr.update_id.len())], pr.phase,
                    if pr.batch.is_empty() { String::new() } else { format!("; replacing {}", pr.batch.join(", ")) }) }</p>
            }
            if managed {
                <p>{ format!("EKS will use: {} strategy, {} → {} node(s) at a time, surge {}, {} batch(es)", g.strategy, g.update_config, g.max_unavailable, g.surge, g.batches) }</p>
                <form class="update-config" onsubmit={apply} aria-label={format!("Update settings of {}", g.name)}>
                    <label>{ "Strategy" }
                        <select onchange={set(|f, v| f.strategy = v)} data-testid={format!("strategy-{}", g.name)}>
                            { for ["DEFAULT", "MINIMAL"].iter().map(|s| html! { <option value={*s} selected={form.strategy == *s}>{ *s }</option> }) }
                        </select>
                    </label>
                    <label>{ "maxUnavailable" }
                        <select onchange={set(|f, v| f.percent = v == "percent")} aria-label="Count or percentage">
                            <option value="count" selected={!form.percent}>{ "nodes" }</option>
                            <option value="percent" selected={form.percent}>{ "percent" }</option>
                        </select>
                    </label>
                    <label>{ "Value" }<input inputmode="numeric" value={form.value.clone()} onchange={set(|f, v| f.value = v)} data-testid={format!("max-unavailable-{}", g.name)} /></label>
                    <button type="submit">{ "Apply settings" }</button>
                </form>
                <p class="help">{ "DEFAULT adds new nodes first; MINIMAL terminates an old node before its replacement starts. " }<code>{ "aws eks update-nodegroup-config --update-config" }</code></p>
            }
            if let Some(e) = &*error { <p class="error" role="alert">{ e.clone() }</p> }
            if let Some(e) = &g.estimate {
                <details class="estimate">
                    <summary>{ format!("Estimate: {}, extra {}–{} ({} surge node(s) at {})", duration_range(e.lo_secs, e.hi_secs),
                        format::usd(e.extra_lo_nusd / 1000), format::usd(e.extra_hi_nusd / 1000), e.surge_nodes, crate::view::upgrade::rate(e.price_nusd_per_hour)) }</summary>
                    <ul>{ for e.parts.iter().map(|pt| html! {
                        <li>{ format!("{}: {}", pt.what, duration_range(pt.lo_secs, pt.hi_secs)) }
                            <span class="basis">{ format!(" {} {}", if pt.documented { "documented:" } else { "estimate:" }, pt.basis) }</span></li>
                    }) }</ul>
                </details>
            }
            { who(&g.who) }
        </section>
    }
}
