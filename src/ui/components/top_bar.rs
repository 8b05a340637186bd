//! The top bar: cluster name and version with support status, the sim clock (elapsed and
//! calendar date), play/pause, step, speed, and the cost ticker. Emits `on_toggle`, `on_step`,
//! `on_speed`.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::sim::billing::CostComponent;
use crate::sim::catalog::version_info;
use crate::ui::state::{LabState, SPEEDS};
use crate::view::format;

/// What the bar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopBarModel {
    pub cluster: String,
    pub version: String,
    pub support: String,
    pub elapsed: String,
    pub date: String,
    pub running: bool,
    /// Playing slower than the chosen speed: the cluster is too big for this machine's frames.
    pub lagging: bool,
    pub speed_idx: usize,
    pub total: String,
    pub rate: String,
    pub projected: String,
    pub breakdown: Vec<(String, String)>,
}

impl TopBarModel {
    pub fn from_state(lab: &LabState) -> TopBarModel {
        let sim = lab.sim.borrow();
        let c = &sim.state().cluster;
        let b = sim.billing();
        TopBarModel {
            cluster: c.name.clone(),
            version: c.version.to_string(),
            support: version_info(c.version)
                .map_or("unknown", |v| v.status_on(sim.date()).as_str())
                .to_string(),
            elapsed: sim.now().to_string(),
            date: sim.date().to_string(),
            running: lab.running,
            lagging: lab.running && lab.lagging,
            speed_idx: lab.speed_idx,
            total: format::usd(b.total_micro_usd()),
            rate: format::usd_per_hour(b.total_rate()),
            projected: format::usd(b.projected_30_day_micro_usd()),
            breakdown: CostComponent::ALL
                .iter()
                .map(|c| (c.label().to_string(), format::usd(b.micro_usd(*c))))
                .collect(),
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct TopBarProps {
    pub model: TopBarModel,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<usize>,
}

#[function_component(TopBar)]
pub fn top_bar(p: &TopBarProps) -> Html {
    let m = &p.model;
    let toggle = p.on_toggle.reform(|_: MouseEvent| ());
    let step = p.on_step.reform(|_: MouseEvent| ());
    let on_speed = p.on_speed.clone();
    let speed_change = Callback::from(move |e: Event| {
        let sel: HtmlSelectElement = e.target_unchecked_into();
        if let Ok(i) = sel.value().parse::<usize>() {
            on_speed.emit(i);
        }
    });
    let support_class = classes!("badge", "support", m.support.replace(' ', "-"));
    let breakdown = m
        .breakdown
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" · ");
    html! {
        <header class="top-bar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "⎈" }</span>
                <h1>{ "EKS Lab" }</h1>
            </div>
            <div class="cluster-id">
                <span class="cluster-name" data-testid="cluster-name">{ &m.cluster }</span>
                <span class="version">{ format!("Kubernetes {}", m.version) }</span>
                <span class={support_class}>{ &m.support }</span>
            </div>
            <div class="clock" aria-live="off">
                <span class="elapsed" data-testid="sim-clock" title="Simulated time since the lab started">{ &m.elapsed }</span>
                <span class="date" title="Simulated calendar date (UTC)">{ &m.date }</span>
            </div>
            <div class="controls" role="group" aria-label="Time controls">
                <button class="play" onclick={toggle} aria-pressed={m.running.to_string()}
                        aria-label={if m.running { "Pause" } else { "Play" }} title="Play or pause (space)">
                    { if m.running { "❚❚ Pause" } else { "▶ Play" } }
                </button>
                <button onclick={step} aria-label="Step one second" title="Advance one simulated second (.)">{ "Step" }</button>
                <label class="speed">
                    <span>{ "Speed" }</span>
                    <select onchange={speed_change} aria-label="Speed" title="Simulated seconds per real second (+/-)">
                        { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                            <option value={i.to_string()} selected={i == m.speed_idx}>{ format!("{s}x") }</option>
                        }) }
                    </select>
                </label>
                if m.lagging {
                    <span class="badge lagging" data-testid="lagging" title="Each frame takes as many simulated seconds as it has time for; the lab stays responsive">{ "slower than asked" }</span>
                }
            </div>
            <div class="cost" title={breakdown}>
                <div><span class="label">{ "Cost so far" }</span><span class="value" data-testid="cost-total">{ &m.total }</span></div>
                <div><span class="label">{ "Now" }</span><span class="value">{ &m.rate }</span></div>
                <div><span class="label">{ "30 days" }</span><span class="value">{ &m.projected }</span></div>
            </div>
        </header>
    }
}
