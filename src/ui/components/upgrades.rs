//! Upgrades: the planner for the next Kubernetes minor version (where the cluster stands on
//! the EKS calendar, the order, what is blocked, who acts for each component, the impact and
//! the estimates), the buttons that submit the real commands, the timeline of EKS updates and
//! the chart of a node group's Auto Scaling group sizes. Every button emits its commands
//! through `on_submit`, with the command line `format_command` gives.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::command::Command;
use crate::ui::components::charts::Chart;
use crate::ui::components::form::event_value;
use crate::ui::components::upgrade_nodegroup::NodegroupCard;
use crate::ui::components::upgrade_timeline::UpdateTimeline;
use crate::view::charts::ChartKind;
use crate::view::format;
use crate::view::upgrade::{
    Action, AddonPlan, Estimate, FargatePlan, StepState, UpgradesModel, VersionFacts, Who,
    duration_range,
};

#[derive(Properties, Debug, PartialEq)]
pub struct UpgradesProps {
    /// The planner, the timeline and the charts (`view::upgrade::UpgradesModel`).
    pub model: Rc<UpgradesModel>,
    pub on_submit: Callback<(Command, String)>,
}

/// A step's state as a badge: a symbol and a word as well as a colour.
pub fn state_badge(s: &StepState) -> Html {
    let icon = match s {
        StepState::Done => "✓",
        StepState::Ready => "▶",
        StepState::InProgress(_) => "⟳",
        StepState::Later => "…",
        StepState::Blocked(_) => "✕",
    };
    let text = match s {
        StepState::InProgress(p) => format!("{icon} {p}"),
        _ => format!("{icon} {}", s.label()),
    };
    html! { <span class={classes!("state", s.css())} data-state={s.css()}>{ text }</span> }
}

pub fn who(w: &Who) -> Html {
    html! {
        <dl class="who">
            <dt>{ "You" }</dt><dd>{ w.you.clone() }</dd>
            <dt>{ "AWS" }</dt><dd>{ w.aws.clone() }</dd>
        </dl>
    }
}

/// A button that submits an action's commands in order, with the first command line under it.
pub fn action_button(a: &Action, on_submit: &Callback<(Command, String)>, primary: bool) -> Html {
    let cmds = a.commands.clone();
    let on_submit = on_submit.clone();
    let onclick = Callback::from(move |_: MouseEvent| {
        for c in &cmds {
            on_submit.emit(c.clone());
        }
    });
    let line = a.commands.first().map(|(_, t)| {
        if a.commands.len() > 1 {
            format!("{t}  (+{} more)", a.commands.len() - 1)
        } else {
            t.clone()
        }
    });
    html! {
        <div class="action">
            <button type="button" class={classes!(primary.then_some("primary"))} data-action={a.id.clone()}
                    disabled={!a.enabled} title={a.note.clone().unwrap_or_default()} {onclick}>{ a.label.clone() }</button>
            if let Some(l) = line { <code class="cmd">{ l }</code> }
            if let Some(n) = &a.note { <span class="action-note">{ n.clone() }</span> }
        </div>
    }
}

fn version_card(label: &str, f: Option<&VersionFacts>, version: &str, test_id: &str) -> Html {
    let Some(f) = f else {
        return html! {
            <div class="version-card" data-testid={test_id.to_string()}>
                <span class="v-label">{ label }</span><span class="v-num">{ version }</span>
                <p>{ "Not on the EKS calendar yet" }</p>
            </div>
        };
    };
    let (line1, line2) = match f.status {
        "standard support" => (
            format!(
                "until {} ({} days)",
                f.end_of_standard, f.days_to_end_of_standard
            ),
            format!("then extended support until {}", f.end_of_extended),
        ),
        "extended support" => (
            format!("since {}, until {}", f.end_of_standard, f.end_of_extended),
            format!("EKS release {}", f.eks_release),
        ),
        "not yet released" => (
            format!("EKS release {}", f.eks_release),
            format!("standard support until {}", f.end_of_standard),
        ),
        _ => (format!("ended {}", f.end_of_extended), String::new()),
    };
    html! {
        <div class="version-card" data-testid={test_id.to_string()}>
            <span class="v-label">{ label }</span>
            <span class="v-num" data-testid={format!("{test_id}-version")}>{ f.version.clone() }</span>
            <span class={classes!("badge", "support", f.status.replace(' ', "-"))}>{ f.status }</span>
            <p>{ line1 }{ " · " }<strong>{ crate::view::upgrade::rate(f.price_nusd_per_hour) }</strong></p>
            <p class="help">{ line2 }</p>
        </div>
    }
}

fn fargate_card(f: &FargatePlan, on_submit: &Callback<(Command, String)>) -> Html {
    html! {
        <section class="plan-card fargate" aria-label="Fargate" data-testid="upgrade-fargate">
            <h3><span class="badge fargate">{ "FARGATE" }</span>{ format!(" Fargate ({})", f.profiles.join(", ")) } { state_badge(&f.state) }</h3>
            <p>{ format!("{} pod(s); {} on an older kubelet than the control plane. Kubelets: {}", f.pods, f.old_pods,
                f.kubelets.iter().map(|(v, n)| format!("{n} × {v}")).collect::<Vec<_>>().join(", ")) }</p>
            { who(&f.who) }
            <div class="actions">{ for f.actions.iter().map(|a| action_button(a, on_submit, false)) }</div>
        </section>
    }
}

fn addons_table(addons: &[AddonPlan], next: &str, on_submit: &Callback<(Command, String)>) -> Html {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "–",
    };
    html! {
        <section class="plan-card addons" aria-label="Add-ons">
            <h3>{ "Add-ons" }</h3>
            <table>
                <thead><tr><th>{ "Add-on" }</th><th>{ "Installed" }</th><th>{ "For now" }</th><th>{ format!("For {next}") }</th><th>{ format!("OK on {next}") }</th><th>{ "Step" }</th></tr></thead>
                <tbody>
                    { for addons.iter().map(|a| html! {
                        <>
                            <tr data-addon={a.name.clone()}>
                                <td><strong>{ a.name.clone() }</strong><br/><span class="help">{ if a.third_party { "third-party" } else if a.managed { "EKS-managed" } else { "self-managed" } }</span></td>
                                <td class={classes!((!a.compatible_now).then_some("bad"))}>{ a.installed.clone() }</td>
                                <td>{ a.for_current.clone() }</td>
                                <td>{ a.for_target.clone().unwrap_or_else(|| "–".into()) }</td>
                                <td class={classes!((a.compatible_target == Some(false)).then_some("bad"))}>{ yes_no(a.compatible_target) }</td>
                                <td>{ state_badge(&a.state) }</td>
                            </tr>
                            <tr class="addon-detail"><td colspan="6">
                                { who(&a.who) }
                                if let Some(act) = &a.action { { action_button(act, on_submit, false) } }
                            </td></tr>
                        </>
                    }) }
                </tbody>
            </table>
        </section>
    }
}

fn estimate_section(e: &Estimate) -> Html {
    html! {
        <section class="plan-card upgrade-estimate" aria-label="Estimate">
            <h3>{ format!("Time: {} in all, one step after another", duration_range(e.total_lo_secs, e.total_hi_secs)) }</h3>
            <ul>
                <li>{ format!("{}: {} ", e.control_plane.what, duration_range(e.control_plane.lo_secs, e.control_plane.hi_secs)) }<span class="basis">{ format!("estimate: {}", e.control_plane.basis) }</span></li>
            </ul>
            <h3>{ format!("Extra cost: {}–{} for surge nodes", format::usd(e.extra_lo_nusd / 1000), format::usd(e.extra_hi_nusd / 1000)) }</h3>
            <ul>{ for e.support.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
        </section>
    }
}

#[function_component(Upgrades)]
pub fn upgrades(p: &UpgradesProps) -> Html {
    let m = &*p.model;
    let plan = &m.plan;
    let timeline = Rc::new(m.timeline.clone());
    let chart_group = use_state(String::new);
    let groups: Vec<String> = m.charts.iter().map(|(g, _)| g.clone()).collect();
    let (shown, series) = m
        .chart(&chart_group)
        .map(|(g, s)| (g.clone(), Rc::new(s.clone())))
        .unwrap_or_default();
    let on_chart_group = {
        let chart_group = chart_group.clone();
        Callback::from(move |e: Event| chart_group.set(event_value(&e)))
    };
    let on_submit = &p.on_submit;
    let cp = &plan.control_plane;
    html! {
        <div class="upgrades">
            <h2>{ format!("Upgrades · {}", plan.cluster) }<span class="lab-date">{ format!("lab date {}", plan.date) }</span></h2>
            <div class="versions">
                { version_card("Control plane", Some(&plan.current), &plan.current.version, "upgrade-current") }
                { version_card("Next minor", plan.next.as_ref(), &plan.next_version, "upgrade-next") }
            </div>
            <section class="plan-card order" aria-label="Order">
                <h3>{ format!("Order of this round (to {})", plan.cycle) }</h3>
                <ol>{ for plan.order.iter().map(|o| html! {
                    <li title={o.detail.clone()}>{ state_badge(&o.state) }<strong>{ o.title.clone() }</strong><span class="help">{ o.detail.clone() }</span></li>
                }) }</ol>
            </section>
            if !plan.blocked.is_empty() {
                <section class="blocked" role="alert" aria-label="Blocked" data-testid="upgrade-blocked">
                    <h3>{ "Blocked" }</h3>
                    <ul>{ for plan.blocked.iter().map(|b| html! { <li>{ b.clone() }</li> }) }</ul>
                </section>
            }
            if !plan.cautions.is_empty() {
                <section class="cautions" aria-label="Upgrade insights">
                    <h3>{ "Upgrade insights" }</h3>
                    <ul>{ for plan.cautions.iter().map(|b| html! { <li>{ b.clone() }</li> }) }</ul>
                </section>
            }
            <section class="plan-card control-plane-card" aria-label="Control plane" data-testid="upgrade-control-plane">
                <h3>{ format!("Control plane {} → {} ", cp.version, cp.target) }{ state_badge(&cp.state) }</h3>
                <div class="api-servers">{ for cp.api_servers.iter().map(|(n, v, healthy)| html! {
                    <span class={classes!("cp", (*v != cp.version).then_some("new"), healthy.then_some("healthy"))}>{ format!("{n} · {v}{}", if *healthy { "" } else { " · starting" }) }</span>
                }) }</div>
                if let Some(a) = &cp.action { { action_button(a, on_submit, true) } }
                { who(&cp.who) }
            </section>
            { for plan.nodegroups.iter().map(|g| html! {
                <NodegroupCard plan={g.clone()} cluster={plan.cluster.clone()} on_submit={on_submit.clone()} />
            }) }
            if let Some(f) = &plan.fargate { { fargate_card(f, on_submit) } }
            { addons_table(&plan.addons, &plan.next_version, on_submit) }
            <section class="plan-card impact" aria-label="Impact on workloads">
                <h3>{ "Impact on workloads" }</h3>
                <ul>{ for plan.impact.iter().map(|i| html! { <li class={classes!(i.warn.then_some("warn"))}>{ if i.warn { "⚠ " } else { "" } }{ i.text.clone() }</li> }) }</ul>
            </section>
            { estimate_section(&plan.estimate) }
            <UpdateTimeline timeline={timeline} />
            if !groups.is_empty() {
                <section class="plan-card asg-chart" aria-label="Auto Scaling group sizes">
                    if groups.len() > 1 {
                        <label>{ "Node group " }
                            <select aria-label="Node group the chart follows" onchange={on_chart_group}>
                                { for groups.iter().map(|g| html! { <option value={g.clone()} selected={*g == shown}>{ g }</option> }) }
                            </select>
                        </label>
                    }
                    <Chart series={series} kind={ChartKind::NodegroupSize} />
                </section>
            }
        </div>
    }
}
