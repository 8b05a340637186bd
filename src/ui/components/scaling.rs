//! Scaling: put load on a workload (`ekslab traffic`), create an HPA (`kubectl autoscale`), and
//! see why each autoscaler did or did not act: the HPA's last computation, the Cluster
//! Autoscaler's view of each node group, the VPA's recommendations and savings. Every action
//! is a command line, parsed by the same parser as the console and timelines, and emitted
//! through `on_submit`.

use std::rc::Rc;

use yew::prelude::*;

use crate::cli::{CommandContext, parse_command};
use crate::sim::command::Command;
use crate::ui::components::form::event_value;
use crate::view::scaling::{CaPanel, PENDING_SHOWN, PendingPod, ScalingModel, SpotPanel, VpaCard};

/// The VPA manifest the form applies: what a learner would write and `kubectl apply`.
fn vpa_manifest(target: &str, mode: &str) -> String {
    let (ns, name) = target.split_once('/').unwrap_or(("default", target));
    format!(
        "apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  targetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {name}\n  updatePolicy:\n    updateMode: \"{mode}\"\n"
    )
}

#[derive(Properties, Debug, PartialEq)]
pub struct ScalingProps {
    /// What the tab draws besides its forms (`view::scaling::ScalingModel`).
    pub model: Rc<ScalingModel>,
    pub on_submit: Callback<(Command, String)>,
}

/// The traffic form's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TrafficForm {
    deployment: String,
    pattern: String,
    rps: String,
    peak: String,
    duration: String,
    cpu_per_request: String,
}

impl Default for TrafficForm {
    fn default() -> Self {
        TrafficForm {
            deployment: String::new(),
            pattern: "constant".into(),
            rps: "100".into(),
            peak: "800".into(),
            duration: "10m".into(),
            cpu_per_request: "10m".into(),
        }
    }
}

impl TrafficForm {
    /// The `ekslab traffic` line this form describes.
    fn line(&self) -> String {
        let (ns, name) = self
            .deployment
            .split_once('/')
            .unwrap_or(("default", self.deployment.as_str()));
        let flags = match self.pattern.as_str() {
            "spike" => format!(
                "--rps={} --spike={} --for={}",
                self.rps, self.peak, self.duration
            ),
            "ramp" => format!(
                "--rps={} --ramp-to={} --over={}",
                self.rps, self.peak, self.duration
            ),
            "diurnal" => format!("--diurnal={}-{}", self.rps, self.peak),
            _ => format!("--rps={}", self.rps),
        };
        format!(
            "ekslab traffic deployment/{name} -n {ns} {flags} --cpu-per-request={}",
            self.cpu_per_request
        )
    }
}

#[function_component(Scaling)]
pub fn scaling(p: &ScalingProps) -> Html {
    let m = &*p.model;
    let deployments = &m.deployments;
    let traffic = use_state(TrafficForm::default);
    let hpa = use_state(|| ("50".to_string(), "2".to_string(), "10".to_string()));
    let vpa_mode = use_state(|| "Off".to_string());
    let error = use_state(|| None::<String>);
    let cluster = m.cluster.clone();
    let submit_line = {
        let (on_submit, error, cluster) = (p.on_submit.clone(), error.clone(), cluster.clone());
        move |line: String| match parse_command(&line, &CommandContext::new(cluster.clone())) {
            Ok(cmd) => {
                error.set(None);
                on_submit.emit((cmd, line));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let target = if traffic.deployment.is_empty() {
        deployments.first().cloned().unwrap_or_default()
    } else {
        traffic.deployment.clone()
    };
    let set = |f: fn(&mut TrafficForm, String)| {
        let traffic = traffic.clone();
        Callback::from(move |e: Event| {
            let mut t = (*traffic).clone();
            f(&mut t, event_value(&e));
            traffic.set(t);
        })
    };
    let apply_traffic = {
        let (traffic, submit_line, target) = (traffic.clone(), submit_line.clone(), target.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut t = (*traffic).clone();
            t.deployment.clone_from(&target);
            submit_line(t.line());
        })
    };
    let autoscale = {
        let (hpa, submit_line, target) = (hpa.clone(), submit_line.clone(), target.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (ns, name) = target
                .split_once('/')
                .unwrap_or(("default", target.as_str()));
            submit_line(format!(
                "kubectl autoscale deployment {name} -n {ns} --cpu-percent={} --min={} --max={}",
                hpa.0, hpa.1, hpa.2
            ));
        })
    };
    let create_vpa = {
        let (on_submit, error, target, mode) = (
            p.on_submit.clone(),
            error.clone(),
            target.clone(),
            vpa_mode.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match crate::scenario::load_manifests(&vpa_manifest(&target, &mode)) {
                Ok(list) => {
                    error.set(None);
                    for m in list {
                        let text =
                            format!("kubectl apply -f -  # VerticalPodAutoscaler {}", m.name());
                        on_submit.emit((Command::Apply(m), text));
                    }
                }
                Err(d) => error.set(Some(
                    d.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                )),
            }
        })
    };
    let on_vpa_mode = {
        let vpa_mode = vpa_mode.clone();
        Callback::from(move |e: Event| vpa_mode.set(event_value(&e)))
    };
    let hpa_set = |i: usize| {
        let hpa = hpa.clone();
        Callback::from(move |e: Event| {
            let mut h = (*hpa).clone();
            let v = event_value(&e);
            match i {
                0 => h.0 = v,
                1 => h.1 = v,
                _ => h.2 = v,
            }
            hpa.set(h);
        })
    };
    let t = &*traffic;
    let vpa_installed = m.vpa_installed;
    html! {
        <div class="scaling">
            <h2>{ "Scaling" }</h2>
            if deployments.is_empty() {
                <p class="empty">{ "Deploy a workload first (Workloads tab)." }</p>
            }
            <form class="traffic" onsubmit={apply_traffic} aria-label="Traffic">
                <h3>{ "Traffic" }</h3>
                <div class="row">
                    <label>{ "Deployment" }
                        <select id="s-deployment" onchange={set(|t, v| t.deployment = v)}>
                            { for deployments.iter().map(|d| html! { <option value={d.clone()} selected={*d == target}>{ d }</option> }) }
                        </select>
                    </label>
                    <label>{ "Pattern" }
                        <select id="s-pattern" onchange={set(|t, v| t.pattern = v)}>
                            { for [("constant", "Constant"), ("spike", "Spike"), ("ramp", "Ramp"), ("diurnal", "Daily cycle")].iter().map(|(v, l)| html! {
                                <option value={*v} selected={t.pattern == *v}>{ *l }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <div class="row">
                    <label>{ if t.pattern == "diurnal" { "Min req/s" } else { "Req/s" } }<input id="s-rps" inputmode="numeric" value={t.rps.clone()} onchange={set(|t, v| t.rps = v)} /></label>
                    if t.pattern != "constant" {
                        <label>{ match t.pattern.as_str() { "ramp" => "Ramp to", "diurnal" => "Max req/s", _ => "Peak req/s" } }<input id="s-peak" inputmode="numeric" value={t.peak.clone()} onchange={set(|t, v| t.peak = v)} /></label>
                    }
                    if t.pattern == "spike" || t.pattern == "ramp" {
                        <label>{ if t.pattern == "ramp" { "Over" } else { "For" } }<input id="s-duration" value={t.duration.clone()} onchange={set(|t, v| t.duration = v)} /></label>
                    }
                    <label>{ "CPU/request" }<input id="s-cpu" value={t.cpu_per_request.clone()} onchange={set(|t, v| t.cpu_per_request = v)} /></label>
                </div>
                <p class="help">{ "Each request costs CPU (10m = 10 ms) and memory; ready pods share the load, so usage follows the rate. " }<code>{ "ekslab traffic" }</code></p>
                <button type="submit" class="primary" disabled={deployments.is_empty()}>{ "Apply traffic" }</button>
                <ul class="status-list">
                    { for m.traffic.iter().map(|t| html! { <li>{ t.clone() }</li> }) }
                </ul>
            </form>
            <form class="hpa" onsubmit={autoscale} aria-label="Horizontal Pod Autoscaler">
                <h3>{ "Horizontal Pod Autoscaler" }</h3>
                <div class="row">
                    <label>{ "CPU target %" }<input id="s-hpa-cpu" inputmode="numeric" value={hpa.0.clone()} onchange={hpa_set(0)} /></label>
                    <label>{ "Min" }<input id="s-hpa-min" inputmode="numeric" value={hpa.1.clone()} onchange={hpa_set(1)} /></label>
                    <label>{ "Max" }<input id="s-hpa-max" inputmode="numeric" value={hpa.2.clone()} onchange={hpa_set(2)} /></label>
                </div>
                <p class="help">{ "Needs the metrics-server add-on. Every 15 s: desired = ceil(replicas × usage ÷ target), ±10% tolerance, scale-down after a 5-minute window. " }<code>{ "kubectl autoscale" }</code></p>
                <button type="submit" disabled={deployments.is_empty()}>{ format!("Autoscale {target}") }</button>
                { for m.hpas.iter().map(|h| html! {
                    <div class="explain" data-hpa={h.name.clone()}>
                        <h4>{ h.heading.clone() }</h4>
                        <ul>{ for h.lines.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
                    </div>
                }) }
            </form>
            { pending_section(&m.pending, m.pending_total) }
            { ca_section(&m.cluster_autoscaler) }
            <form class="vpa" onsubmit={create_vpa} aria-label="Vertical Pod Autoscaler">
                <h3>{ "Vertical Pod Autoscaler" }</h3>
                if !vpa_installed {
                    <p class="note">{ "Not installed: the VPA object is accepted but nothing acts on it. Turn it on in Build → Add-ons and autoscalers." }</p>
                }
                <div class="row">
                    <label>{ "Update mode" }
                        <select id="s-vpa-mode" onchange={on_vpa_mode}>
                            { for [("Off", "Off: recommend only"), ("Initial", "Initial: at pod creation"), ("Recreate", "Recreate: evict to apply"), ("InPlaceOrRecreate", "InPlaceOrRecreate: resize in place")].iter().map(|(v, l)| html! {
                                <option value={*v} selected={*vpa_mode == *v}>{ *l }</option>
                            }) }
                        </select>
                    </label>
                </div>
                <details>
                    <summary>{ "Manifest" }</summary>
                    <pre class="manifest">{ vpa_manifest(&target, &vpa_mode) }</pre>
                </details>
                <p class="help">{ "Recommends requests from observed usage: target P90 + 15% margin, bounds P50/P95; the updater evicts at most half the pods at once and never below 2 replicas or past a PodDisruptionBudget." }</p>
                <button type="submit" disabled={deployments.is_empty()}>{ format!("Create VPA for {target}") }</button>
                { for m.vpas.iter().map(vpa_card) }
            </form>
            { spot_section(&m.spot) }
            if let Some(e) = &*error { <pre class="error" role="alert">{ e.clone() }</pre> }
        </div>
    }
}

fn pending_section(pending: &[PendingPod], total: usize) -> Html {
    let title = if total > pending.len() {
        format!("Pending pods: {total} (the first {} shown)", pending.len())
    } else {
        format!("Pending pods ({total})")
    };
    html! {
        <section class="pending" aria-label="Pending pods">
            <h3>{ title }</h3>
            if pending.is_empty() {
                <p class="empty">{ "None: every pod has a node." }</p>
            }
            <ul class="explain-list">
                { for pending.iter().take(PENDING_SHOWN).map(|p| html! {
                    <li data-pending={p.pod.clone()}>
                        <strong>{ p.pod.clone() }</strong>
                        if let Some(m) = &p.scheduler { <div><span class="who">{ "scheduler" }</span>{ m.clone() }</div> }
                        if let Some(m) = &p.autoscaler { <div><span class="who">{ "cluster-autoscaler" }</span>{ m.clone() }</div> }
                    </li>
                }) }
            </ul>
        </section>
    }
}

fn ca_section(ca: &CaPanel) -> Html {
    html! {
        <section class="ca" aria-label="Cluster Autoscaler">
            <h3>{ "Cluster Autoscaler" }</h3>
            if ca.installed {
                <p class="help"><code>{ ca.flags.clone() }</code></p>
            } else {
                <p class="note">{ "Not installed: node groups keep their desired size. Turn it on in Build → Add-ons and autoscalers." }</p>
            }
            <table class="ca-groups">
                <thead><tr><th>{ "Node group" }</th><th>{ "Kind" }</th><th>{ "Min" }</th><th>{ "Desired" }</th><th>{ "Max" }</th><th>{ "Ready" }</th></tr></thead>
                <tbody>
                    { for ca.groups.iter().map(|g| html! {
                        <>
                            <tr data-ca-group={g.name.clone()}>
                                <td>{ g.name.clone() }</td><td>{ g.kind }</td><td>{ g.min }</td><td class="num">{ g.desired }</td><td>{ g.max }</td><td>{ g.ready }</td>
                            </tr>
                            if ca.installed {
                                <tr class="why"><td colspan="6"><ul>{ for g.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul></td></tr>
                            }
                        </>
                    }) }
                </tbody>
            </table>
            if ca.groups.is_empty() { <p class="empty">{ "No EC2 node groups (Fargate scales per pod, without the Cluster Autoscaler)." }</p> }
        </section>
    }
}

fn vpa_card(c: &VpaCard) -> Html {
    html! {
        <div class="explain" data-vpa={c.name.clone()}>
            <h4>{ format!("vpa/{} → {} ({})", c.name, c.target, c.mode) }</h4>
            if c.rows.is_empty() {
                <p class="empty">{ "No recommendation yet: the recommender needs usage samples from running pods." }</p>
            } else {
                <table>
                    <thead><tr><th>{ "Container" }</th><th>{ "Requests now" }</th><th>{ "Target" }</th><th>{ "Lower" }</th><th>{ "Upper" }</th></tr></thead>
                    <tbody>{ for c.rows.iter().map(|r| html! {
                        <tr><td>{ r.container.clone() }</td><td>{ r.requests.clone() }</td><td class="num">{ r.target.clone() }</td><td>{ r.lower.clone() }</td><td>{ r.upper.clone() }</td></tr>
                    }) }</tbody>
                </table>
            }
            if let Some(sv) = &c.saving { <p class={classes!("saving", (!sv.starts_with("saves")).then_some("more"))}>{ format!("Right-sizing {sv}") }</p> }
            <ul>{ for c.lines.iter().map(|l| html! { <li>{ l.clone() }</li> }) }</ul>
        </div>
    }
}

fn spot_section(s: &SpotPanel) -> Html {
    html! {
        <section class="spot" aria-label="Spot">
            <h3>{ "Spot" }</h3>
            <p class="help">{ format!(
                "{} interruption(s) per 1,000 instance-hours; Spot groups: {}; Node Termination Handler on self-managed groups: {}.",
                s.interruptions_per_1000_hours,
                if s.spot_groups.is_empty() { "none".to_string() } else { s.spot_groups.join(", ") },
                if s.node_termination_handler { "on" } else { "off" },
            ) }</p>
            if s.in_progress.is_empty() {
                <p class="empty">{ "No interruption in progress." }</p>
            }
            <ul class="status-list">
                { for s.in_progress.iter().map(|r| html! {
                    <li class="warn">{ format!("{}: notice at {}, reclaimed at {} ({} s left)", r.instance, r.notice_at, r.reclaim_at, r.reclaim_in_s) }</li>
                }) }
            </ul>
        </section>
    }
}
