//! The cluster: the control plane strip (API servers and etcd across AZs), then one column per
//! AZ with node groups and node cards (CPU, memory and pod-slot bars; pods as chips), and the
//! tray of pods no node has taken yet, with the reason. Clicking a node, a pod or a group
//! calls `on_select`.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::api::ObjectKey;
use crate::ui::state::Selection;
use crate::view::cluster::{
    Capacity, ClusterView, DataPlaneKind, GroupKey, GroupView, MAX_OPEN_CARDS, NodeCard,
    NodeRollout, PodChip,
};
use crate::view::format;

#[derive(Properties, PartialEq, Debug)]
pub struct ClusterPanelProps {
    pub view: Rc<ClusterView>,
    pub on_select: Callback<Selection>,
    /// Opens a group of a cluster drawn by group (`None` closes it).
    pub on_open_group: Callback<Option<GroupKey>>,
}

fn bar(label: &str, used: u64, total: u64, text: String) -> Html {
    let pct = format::percent(used, total).min(100);
    let over = used > total;
    html! {
        <div class="bar" title={format!("{label}: {text}")}>
            <span class="bar-label">{ label }</span>
            // An SVG bar: its width is an attribute, so the page's Content-Security-Policy needs
            // no inline styles.
            <svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" role="meter" aria-label={label.to_string()} aria-valuemin="0" aria-valuemax="100" aria-valuenow={pct.to_string()}>
                <rect class={classes!("bar-fill", over.then_some("over"))} width={pct.to_string()} height="10"></rect>
            </svg>
            <span class="bar-text">{ text }</span>
        </div>
    }
}

pub fn chip_html(c: &PodChip, on_select: &Callback<Selection>) -> Html {
    let colour = c
        .colour
        .map_or_else(|| "system".to_string(), |i| format!("c{i}"));
    let title = match &c.reason {
        Some(r) => format!(
            "{}/{} ({}) {}: {r}",
            c.namespace, c.name, c.workload, c.status
        ),
        None => format!("{}/{} ({}) {}", c.namespace, c.name, c.workload, c.status),
    };
    let key = ObjectKey::new(c.namespace.clone(), c.name.clone());
    let onclick = on_select.reform(move |_: MouseEvent| Selection::Pod(key.clone()));
    html! {
        <button type="button" class={classes!("chip", colour, c.state.css())} title={title.clone()} aria-label={title} data-pod={c.name.clone()} data-state={c.state.css()} {onclick}></button>
    }
}

fn node_card(n: &NodeCard, on_select: &Callback<Selection>) -> Html {
    let name = n.name.clone();
    let select = on_select.reform(move |_: MouseEvent| Selection::Node(name.clone()));
    let status = n.status();
    let status_class = if !n.ready {
        "NotReady"
    } else if n.cordoned {
        "SchedulingDisabled"
    } else {
        "Ready"
    };
    let rollout = n.rollout;
    let kubelet_title = if n.behind {
        format!(
            "kubelet {}: older than the control plane",
            n.kubelet_version
        )
    } else {
        format!("kubelet {}", n.kubelet_version)
    };
    html! {
        <article class={classes!("node", n.kind.css(), (!n.ready).then_some("not-ready"), n.cordoned.then_some("cordoned"),
                         n.behind.then_some("behind"), (rollout != NodeRollout::Steady).then_some(rollout.css()))}
                 data-node={n.name.clone()} data-kubelet={n.kubelet_version.clone()} data-status={status.clone()} data-rollout={rollout.css()}>
            <header>
                <button type="button" class="node-name" title={format!("Inspect {}", n.name)} onclick={select}>{ &n.name }</button>
                <span class="node-type">{ &n.instance_type }</span>
            </header>
            <div class="node-tags">
                <span class={classes!("node-status", status_class)}>{ status }</span>
                <span class={classes!("kubelet", n.behind.then_some("old"))} title={kubelet_title}>
                    { if n.behind { format!("▼ {} old", n.kubelet_version) } else { n.kubelet_version.clone() } }
                </span>
                if rollout != NodeRollout::Steady {
                    <span class={classes!("rollout", rollout.css())}>{ rollout.label() }</span>
                }
            </div>
            { bar("CPU", n.cpu_requested, n.cpu_allocatable, format!("{} / {}", format::cpu(n.cpu_requested), format::cpu(n.cpu_allocatable))) }
            { bar("Mem", n.mem_requested, n.mem_allocatable, format!("{} / {}", format::mem(crate::sim::quantity::Bytes(n.mem_requested)), format::mem(crate::sim::quantity::Bytes(n.mem_allocatable)))) }
            { bar("Pods", n.pods, n.max_pods, format!("{} / {}", n.pods, n.max_pods)) }
            <div class="chips">{ for n.chips.iter().map(|c| chip_html(c, on_select)) }</div>
        </article>
    }
}

/// A group's summary when the cluster is drawn by group: its nodes' states, summed CPU, memory
/// and pod-slot bars, its pods by state, and a button that opens it to show its nodes.
fn group_summary(zone: &str, g: &GroupView, p: &ClusterPanelProps) -> Html {
    let s = &g.summary;
    let mut states = vec![format!("{} Ready", s.ready)];
    if s.nodes > s.ready {
        states.push(format!("{} NotReady", s.nodes - s.ready));
    }
    if s.cordoned > 0 {
        states.push(format!("{} SchedulingDisabled", s.cordoned));
    }
    if s.behind > 0 {
        states.push(format!("{} old kubelet", s.behind));
    }
    let mut pods = vec![format!("{} Running", s.running)];
    if s.creating > 0 {
        pods.push(format!("{} ContainerCreating", s.creating));
    }
    if s.terminating > 0 {
        pods.push(format!("{} Terminating", s.terminating));
    }
    let key = g.key(zone);
    let open = g.open;
    let toggle = p
        .on_open_group
        .reform(move |_: MouseEvent| if open { None } else { key.clone() });
    let label = g.capacity.map_or("", |c| c.label());
    html! {
        <div class="group-summary" data-group={g.name.clone()} data-capacity={label}>
            <p class="summary-line">
                <strong>{ format!("{} node{}", s.nodes, if s.nodes == 1 { "" } else { "s" }) }</strong>
                { format!(" · {}", states.join(" · ")) }
            </p>
            { bar("CPU", s.cpu_requested, s.cpu_allocatable, format!("{} / {}", format::cpu(s.cpu_requested), format::cpu(s.cpu_allocatable))) }
            { bar("Mem", s.mem_requested, s.mem_allocatable, format!("{} / {}", format::mem(crate::sim::quantity::Bytes(s.mem_requested)), format::mem(crate::sim::quantity::Bytes(s.mem_allocatable)))) }
            { bar("Pods", s.pods, s.max_pods, format!("{} / {}", s.pods, s.max_pods)) }
            <p class="summary-line">{ format!("Pods: {}", pods.join(" · ")) }</p>
            <button type="button" class="open-group" aria-expanded={open.to_string()} onclick={toggle}>
                { if open { "Hide nodes".to_string() } else { format!("Show {} node{}", s.nodes, if s.nodes == 1 { "" } else { "s" }) } }
            </button>
            if open {
                { for g.nodes.iter().map(|n| node_card(n, &p.on_select)) }
                if s.nodes > g.nodes.len() as u64 {
                    <p class="empty">{ format!("The first {MAX_OPEN_CARDS} of {} nodes are shown.", s.nodes) }</p>
                }
            }
        </div>
    }
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(p: &ClusterPanelProps) -> Html {
    let v = &p.view;
    let on_select = &p.on_select;
    let select_group = |kind: DataPlaneKind, name: String| {
        on_select.reform(move |_: MouseEvent| match kind {
            DataPlaneKind::Fargate => Selection::FargateProfile(name.clone()),
            _ => Selection::Nodegroup(name.clone()),
        })
    };
    html! {
        <div class="cluster-panel">
            <div class="control-plane" aria-label="Control plane (run by AWS)">
                <button type="button" class="cp-title" onclick={on_select.reform(|_: MouseEvent| Selection::Cluster)}>{ format!("Control plane · {} · run by AWS", v.status) }</button>
                { for v.control_plane.iter().map(|c| html! {
                    <span class={classes!("cp", c.healthy.then_some("healthy"), (!c.generation.is_empty()).then_some(c.generation))}
                          title={if c.version.is_empty() { format!("{} in {}", c.name, c.zone) } else { format!("{} in {}, Kubernetes {}{}", c.name, c.zone, c.version, if c.healthy { "" } else { ", starting" }) }}
                          data-cp-version={c.version.clone()} data-generation={c.generation}>
                        { if c.version.is_empty() { format!("{} · {}", c.role, c.zone) } else { format!("{} {} · {}", c.role, c.version, c.zone) } }
                        if !c.generation.is_empty() { <span class="cp-gen">{ if c.generation == "new" { if c.healthy { " NEW" } else { " NEW · starting" } } else { " OLD" } }</span> }
                    </span>
                }) }
            </div>
            if v.by_group {
                <p class="by-group-note" data-testid="by-group">{ format!("{} nodes and {} pods: drawn by Availability Zone, node group and capacity type. Show a group's nodes to see them one by one.", v.node_total, v.pod_total) }</p>
            }
            <div class="zones">
                { for v.zones.iter().map(|z| html! {
                    <section class="zone" aria-label={format!("Availability Zone {}", z.zone)}>
                        <h3>{ &z.zone }<span class="subnet" title="Subnet CIDR and free IP addresses">{ format!("{} · {} free IPs", z.subnet, z.free_ips) }</span></h3>
                        { for z.groups.iter().map(|g| html! {
                            <div class={classes!("group", g.kind.css())}>
                                <div class="group-title"><span class={classes!("badge", g.kind.css())} title={g.kind.label()}>{ g.kind.short() }</span>
                                    <button type="button" class="group-name" onclick={select_group(g.kind, g.name.clone())} title={format!("Inspect {} {}", g.kind.label(), g.name)}>{ &g.name }</button>
                                    if !g.version.is_empty() { <span class="group-version">{ g.version.clone() }</span> }
                                    if g.status == "UPDATING" { <span class="group-updating">{ "UPDATING" }</span> }
                                    if let Some(c) = g.capacity { <span class={classes!("capacity", (c == Capacity::Spot).then_some("spot"))}>{ c.label() }</span> }</div>
                                if v.by_group {
                                    { group_summary(&z.zone, g, p) }
                                } else {
                                    { for g.nodes.iter().map(|n| node_card(n, on_select)) }
                                }
                            </div>
                        }) }
                        if z.groups.is_empty() {
                            <p class="empty">{ "No nodes in this AZ yet." }</p>
                        }
                    </section>
                }) }
            </div>
            <div class="pending-tray" aria-label="Pending pods">
                <h3>{ if v.pending_total > v.pending.len() { format!("Unscheduled pods ({}, the first {} shown)", v.pending_total, v.pending.len()) } else { format!("Unscheduled pods ({})", v.pending_total) } }</h3>
                { for v.pending.iter().map(|c| html! {
                    <div class="pending-row">{ chip_html(c, on_select) }<span class="pod-name">{ format!("{}/{}", c.namespace, c.name) }</span>
                        <span class="pending-reason">{ c.reason.clone().unwrap_or_else(|| c.status.clone()) }</span></div>
                }) }
            </div>
        </div>
    }
}
