//! The timeline of EKS updates: one row per update on a shared simulated-time axis, its
//! phases as bars (the running one striped and outlined), its status, the error EKS reports
//! when it fails (in red, with the pods that blocked it), and the pods evicted and nodes
//! replaced. Dispatches nothing.

use std::rc::Rc;

use yew::prelude::*;

use crate::view::upgrade::{Timeline, TimelineRow};

#[derive(Properties, PartialEq, Debug)]
pub struct UpdateTimelineProps {
    pub timeline: Rc<Timeline>,
}

fn pct(permille: u32) -> String {
    format!("{}.{}%", permille / 10, permille % 10)
}

fn row(r: &TimelineRow) -> Html {
    let status = r.status.to_ascii_lowercase();
    html! {
        <div class={classes!("update", status.clone())} data-update={r.target.clone()} data-status={r.status}>
            <div class="update-head">
                <strong>{ r.target.clone() }</strong>
                <span>{ r.what.clone() }</span>
                <span class={classes!("update-status", status)}>{ r.status }</span>
                <span class="help">{ format!("{} → {} ({})", r.started, r.ended.clone().unwrap_or_else(|| "now".into()), r.took) }</span>
            </div>
            // SVG, so positions are attributes and the Content-Security-Policy needs no inline
            // styles; the viewBox is 1000 wide, one unit a permille of the axis.
            <svg class="track" viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" aria-label={format!("{} phases: {}", r.target, r.phases.iter().map(|b| format!("{} {}", b.name, b.took)).collect::<Vec<_>>().join(", "))}>
                { for r.phases.iter().enumerate().map(|(i, b)| html! {
                    <rect class={classes!("phase", format!("p{}", i % 4), b.running.then_some("running"))} data-phase={b.name.clone()}
                          x={b.left_permille.to_string()} width={b.width_permille.max(2).to_string()} height="10">
                        <title>{ format!("{} {}{}", b.name, b.took, if b.running { " (running)" } else { "" }) }</title>
                    </rect>
                }) }
            </svg>
            <ol class="phase-list">{ for r.phases.iter().enumerate().map(|(i, b)| html! {
                <li class={classes!(b.running.then_some("running"))}>
                    <span class={classes!("swatch", format!("p{}", i % 4))}></span>
                    { format!("{} {}{}", b.name, b.took, if b.running { " · running" } else { "" }) }
                </li>
            }) }</ol>
            { for r.errors.iter().map(|e| html! {
                <p class="update-error" role="alert">
                    <strong>{ e.code }</strong>{ format!(": {}", e.message) }
                    if !e.resources.is_empty() { <br/>{ format!("Blocked by: {}", e.resources.join(", ")) } }
                </p>
            }) }
            if r.pods_evicted > 0 || r.nodes_replaced > 0 || r.target.starts_with("nodegroup/") {
                <p class="counts">{ format!("{} pod(s) evicted · {} node(s) replaced", r.pods_evicted, r.nodes_replaced) }</p>
            }
        </div>
    }
}

#[function_component(UpdateTimeline)]
pub fn update_timeline(p: &UpdateTimelineProps) -> Html {
    let t = &p.timeline;
    html! {
        <section class="plan-card timeline" aria-label="Timeline of EKS updates" data-testid="upgrade-timeline">
            <h3>{ "Timeline of EKS updates" }</h3>
            if t.rows.is_empty() {
                <p class="empty">{ "No update yet. aws eks list-updates would list none." }</p>
            } else {
                <svg class="axis" aria-hidden="true">
                    { for t.ticks.iter().map(|(at, label)| html! { <text x={pct(*at)} y="75%" text-anchor="middle">{ label.clone() }</text> }) }
                </svg>
                { for t.rows.iter().map(row) }
            }
        </section>
    }
}
