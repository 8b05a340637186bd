//! The cluster builder: name, version (with support status and price), AZs, endpoint access,
//! control plane logs, and any number of data planes, each with help text, the eksctl field it
//! maps to, and who runs what. "Build cluster" dispatches `LabAction::Reset` with the new spec.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::eks::LogType;
use crate::sim::spec::LabSpec;
use crate::ui::components::form::{event_checked, event_value, field};
use crate::view::builder::{
    Draft, EndpointMode, FieldError, PlaneDraft, PlaneKind, ZONES, estimate_hourly, help,
    instance_type_choices, responsibilities, version_choices,
};
use crate::view::format;

#[derive(Properties, PartialEq, Debug)]
pub struct BuilderProps {
    /// The spec the current lab was built from.
    pub base: Rc<LabSpec>,
    /// Changes whenever the lab is rebuilt, to reload the draft.
    pub epoch: u64,
    pub on_build: Callback<LabSpec>,
}

fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

#[function_component(Builder)]
pub fn builder(p: &BuilderProps) -> Html {
    let draft = use_state(|| Draft::from_spec(&p.base));
    let errors = use_state(Vec::<FieldError>::new);
    {
        let (draft, errors, base) = (draft.clone(), errors.clone(), p.base.clone());
        use_effect_with(p.epoch, move |_| {
            draft.set(Draft::from_spec(&base));
            errors.set(Vec::new());
        });
    }
    let edit = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut d = (*draft).clone();
            f(&mut d, event_value(&e));
            draft.set(d);
        })
    };
    let edit_input = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut d = (*draft).clone();
            f(&mut d, event_value(&e));
            draft.set(d);
        })
    };
    let edit_select = |f: fn(&mut Draft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut d = (*draft).clone();
            f(&mut d, event_value(&e));
            draft.set(d);
        })
    };
    let d = &*draft;
    let preview = d.to_spec(&p.base);
    let estimate = preview.as_ref().map(estimate_hourly).ok();
    let build = {
        let (draft, errors, base, on_build) = (
            draft.clone(),
            errors.clone(),
            p.base.clone(),
            p.on_build.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match draft.to_spec(&base) {
                Ok(spec) => {
                    errors.set(Vec::new());
                    on_build.emit(spec);
                }
                Err(errs) => errors.set(errs),
            }
        })
    };
    let add = |kind: PlaneKind| {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut d = (*draft).clone();
            let prefix = match kind {
                PlaneKind::Managed => "ng",
                PlaneKind::SelfManaged => "ng-self",
                PlaneKind::Fargate => "fp",
            };
            let n = (1..=d.planes.len() + 1)
                .find(|i| !d.planes.iter().any(|p| p.name == format!("{prefix}-{i}")))
                .unwrap_or(1);
            d.planes
                .push(PlaneDraft::new(kind, &format!("{prefix}-{n}")));
            draft.set(d);
        })
    };
    let errs = &*errors;
    let lab_date = crate::sim::clock::Date::parse(&d.start_date).unwrap_or(p.base.start_date);
    let versions = version_choices(lab_date);
    html! {
        <form class="builder" onsubmit={build} aria-label="Cluster builder" novalidate=true>
            <h2>{ "Build a cluster" }</h2>
            <fieldset>
                <legend>{ "Cluster" }</legend>
                { field("b-name", help("name"), html! {
                    <input id="b-name" value={d.name.clone()} oninput={edit_input(|d, v| d.name = v)} aria-describedby="b-name-help" />
                }, error_for(errs, "name")) }
                { field("b-version", help("version"), html! {
                    <select id="b-version" onchange={edit(|d, v| d.version = v)} aria-describedby="b-version-help">
                        { for versions.iter().map(|c| html! { <option value={c.version.clone()} selected={c.version == d.version}>{ &c.label }</option> }) }
                    </select>
                }, error_for(errs, "version")) }
                { field("b-zones", help("zones"), html! {
                    <div id="b-zones" class="checks" role="group" aria-label="Availability Zones">
                        { for ZONES.iter().map(|z| {
                            let draft = draft.clone();
                            let zone = (*z).to_string();
                            let toggle = Callback::from(move |e: Event| {
                                let mut d = (*draft).clone();
                                if event_checked(&e) { d.zones.insert(zone.clone()); } else { d.zones.remove(&zone); }
                                draft.set(d);
                            });
                            html! { <label class="check"><input type="checkbox" checked={d.zones.contains(*z)} onchange={toggle} />{ *z }</label> }
                        }) }
                    </div>
                }, error_for(errs, "zones")) }
                { field("b-endpoint", help("endpoint"), html! {
                    <select id="b-endpoint" onchange={edit(|d, v| d.endpoint = EndpointMode::from_id(&v))}>
                        { for EndpointMode::ALL.iter().map(|m| html! { <option value={m.id()} selected={*m == d.endpoint}>{ m.label() }</option> }) }
                    </select>
                }, None) }
                { field("b-logging", help("logging"), html! {
                    <div id="b-logging" class="checks" role="group" aria-label="Control plane log types">
                        { for LogType::ALL.iter().map(|l| {
                            let draft = draft.clone();
                            let log = *l;
                            let toggle = Callback::from(move |e: Event| {
                                let mut d = (*draft).clone();
                                if event_checked(&e) { d.logging.insert(log); } else { d.logging.remove(&log); }
                                draft.set(d);
                            });
                            html! { <label class="check"><input type="checkbox" checked={d.logging.contains(l)} onchange={toggle} />{ l.as_str() }</label> }
                        }) }
                    </div>
                }, None) }
                <div class="row">
                    { field("b-seed", help("seed"), html! {
                        <input id="b-seed" inputmode="numeric" value={d.seed.clone()} oninput={edit_input(|d, v| d.seed = v)} />
                    }, error_for(errs, "seed")) }
                    { field("b-keep", help("keep_workloads"), html! {
                        <label class="check"><input id="b-keep" type="checkbox" checked={d.keep_workloads}
                            onchange={{ let draft = draft.clone(); Callback::from(move |e: Event| { let mut d = (*draft).clone(); d.keep_workloads = event_checked(&e); draft.set(d); }) }} />{ format!("{} manifest(s)", p.base.manifests.len()) }</label>
                    }, None) }
                    { field("b-date", help("start_date"), html! {
                        <input id="b-date" type="date" value={d.start_date.clone()} onchange={edit(|d, v| d.start_date = v)} />
                    }, error_for(errs, "start_date")) }
                    { field("b-policy", help("upgrade_policy"), html! {
                        <select id="b-policy" onchange={edit(|d, v| d.upgrade_policy = v)}>
                            { for ["EXTENDED", "STANDARD"].iter().map(|v| html! { <option value={*v} selected={d.upgrade_policy == *v}>{ *v }</option> }) }
                        </select>
                    }, error_for(errs, "upgrade_policy")) }
                </div>
                <div class="row">
                    { field("b-skip", help("skip_creation"), html! {
                        <label class="check"><input id="b-skip" type="checkbox" checked={d.skip_creation}
                            onchange={{ let draft = draft.clone(); Callback::from(move |e: Event| { let mut d = (*draft).clone(); d.skip_creation = event_checked(&e); draft.set(d); }) }} />{ "start ACTIVE" }</label>
                    }, None) }
                </div>
            </fieldset>
            <fieldset>
                <legend>{ "Add-ons and autoscalers" }</legend>
                { field("b-addons", help("self_managed_addons"), html! {
                    <label class="check"><input id="b-addons" type="checkbox" checked={d.self_managed_addons}
                        onchange={{ let draft = draft.clone(); Callback::from(move |e: Event| { let mut d = (*draft).clone(); d.self_managed_addons = event_checked(&e); draft.set(d); }) }} />{ "self-managed vpc-cni, kube-proxy, CoreDNS" }</label>
                }, None) }
                { check(&draft, "b-ms", "metrics_server", d.metrics_server, |d, v| d.metrics_server = v) }
                { check(&draft, "b-ca", "cluster_autoscaler", d.cluster_autoscaler, |d, v| d.cluster_autoscaler = v) }
                if d.cluster_autoscaler {
                    <div class="row">
                        { field("b-ca-expander", help("ca_expander"), html! {
                            <select id="b-ca-expander" onchange={edit_select(|d, v| d.ca_expander = v)}>
                                { for ["least-waste", "most-pods", "least-nodes", "random", "priority"].iter().map(|e| html! {
                                    <option value={*e} selected={d.ca_expander == *e}>{ *e }</option>
                                }) }
                            </select>
                        }, error_for(errs, "ca_expander")) }
                        { field("b-ca-unneeded", help("ca_unneeded_minutes"), html! {
                            <input id="b-ca-unneeded" inputmode="numeric" value={d.ca_unneeded_minutes.clone()} oninput={edit_input(|d, v| d.ca_unneeded_minutes = v)} />
                        }, error_for(errs, "ca_unneeded_minutes")) }
                    </div>
                }
                { check(&draft, "b-vpa", "vertical_pod_autoscaler", d.vertical_pod_autoscaler, |d, v| d.vertical_pod_autoscaler = v) }
                <div class="row">
                    { field("b-spot", help("spot_interruptions"), html! {
                        <input id="b-spot" inputmode="numeric" value={d.spot_interruptions.clone()} oninput={edit_input(|d, v| d.spot_interruptions = v)} />
                    }, error_for(errs, "spot_interruptions")) }
                </div>
                { check(&draft, "b-nth", "node_termination_handler", d.node_termination_handler, |d, v| d.node_termination_handler = v) }
            </fieldset>
            <fieldset>
                <legend>{ "Data planes" }</legend>
                { for d.planes.iter().enumerate().map(|(i, plane)| plane_card(&draft, i, plane, errs)) }
                if d.planes.is_empty() { <p class="empty">{ "No data planes: pods will stay Pending. Add one below." }</p> }
                <div class="add-buttons">
                    <button type="button" onclick={add(PlaneKind::Managed)}>{ "+ Managed node group" }</button>
                    <button type="button" onclick={add(PlaneKind::SelfManaged)}>{ "+ Self-managed node group" }</button>
                    <button type="button" onclick={add(PlaneKind::Fargate)}>{ "+ Fargate profile" }</button>
                </div>
            </fieldset>
            if let Some(e) = error_for(errs, "cluster") { <p class="error" role="alert">{ e }</p> }
            if !errs.is_empty() { <p class="error" role="alert">{ format!("{} field(s) need attention.", errs.len()) }</p> }
            <div class="build-bar">
                <button type="submit" class="primary">{ "Build cluster" }</button>
                if let Some(n) = estimate { <span class="estimate" title="Control plane, desired EC2 instances and their EBS volumes; Fargate pods come on top">{ format!("≈ {} before Fargate pods", format::usd_per_hour(n)) }</span> }
            </div>
            <p class="help">{ "Building restarts the lab with this cluster; your workloads are deployed again." }</p>
        </form>
    }
}

fn check(
    draft: &UseStateHandle<Draft>,
    id: &str,
    help_key: &str,
    checked: bool,
    set: fn(&mut Draft, bool),
) -> Html {
    let draft = draft.clone();
    let onchange = Callback::from(move |e: Event| {
        let mut d = (*draft).clone();
        set(&mut d, event_checked(&e));
        draft.set(d);
    });
    let h = help(help_key);
    field(
        id,
        h,
        html! { <label class="check"><input id={id.to_string()} type="checkbox" {checked} {onchange} />{ "install" }</label> },
        None,
    )
}

fn plane_card(
    draft: &UseStateHandle<Draft>,
    i: usize,
    plane: &PlaneDraft,
    errs: &[FieldError],
) -> Html {
    let set = |f: fn(&mut PlaneDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |e: Event| {
            let mut d = (*draft).clone();
            if let Some(p) = d.planes.get_mut(i) {
                f(p, event_value(&e));
            }
            draft.set(d);
        })
    };
    let remove = {
        let draft = draft.clone();
        Callback::from(move |_: MouseEvent| {
            let mut d = (*draft).clone();
            if i < d.planes.len() {
                d.planes.remove(i);
            }
            draft.set(d);
        })
    };
    let id = |f: &str| format!("b-p{i}-{f}");
    let err = |f: &str| error_for(errs, &format!("planes[{i}].{f}"));
    let (aws, you) = responsibilities(plane.kind);
    let css = match plane.kind {
        PlaneKind::Managed => "managed",
        PlaneKind::SelfManaged => "self-managed",
        PlaneKind::Fargate => "fargate",
    };
    html! {
        <div class={classes!("plane", css)} data-plane={plane.name.clone()}>
            <div class="plane-head">
                <span class={classes!("badge", css)}>{ plane.kind.label() }</span>
                <button type="button" class="remove" onclick={remove} aria-label={format!("Remove {}", plane.name)}>{ "Remove" }</button>
            </div>
            { field(&id("name"), crate::view::builder::FieldHelp { label: "Name", eksctl: if plane.kind == PlaneKind::Fargate { "fargateProfiles[].name" } else { "managedNodeGroups[].name" }, help: "" }, html! {
                <input id={id("name")} value={plane.name.clone()} onchange={set(|p, v| p.name = v)} />
            }, err("name")) }
            if plane.kind == PlaneKind::Fargate {
                { field(&id("selectors"), help("selectors"), html! {
                    <textarea id={id("selectors")} rows="2" value={plane.selectors.clone()} onchange={set(|p, v| p.selectors = v)} />
                }, err("selectors")) }
            } else {
                { field(&id("type"), help("instance_type"), html! {
                    <select id={id("type")} onchange={set(|p, v| p.instance_type = v)}>
                        { for instance_type_choices(plane.kind).into_iter().map(|(name, label)| html! {
                            <option value={name.clone()} selected={name == plane.instance_type}>{ label }</option>
                        }) }
                    </select>
                }, err("instance_type")) }
                <div class="sizes" role="group" aria-label="Node group sizes">
                    <label>{ "min" }<input id={id("min")} inputmode="numeric" value={plane.min.clone()} onchange={set(|p, v| p.min = v)} /></label>
                    <label>{ "desired" }<input id={id("desired")} inputmode="numeric" value={plane.desired.clone()} onchange={set(|p, v| p.desired = v)} /></label>
                    <label>{ "max" }<input id={id("max")} inputmode="numeric" value={plane.max.clone()} onchange={set(|p, v| p.max = v)} /></label>
                    <label class="check"><input type="checkbox" checked={plane.spot} onchange={{
                        let draft = draft.clone();
                        Callback::from(move |e: Event| { let mut d = (*draft).clone(); if let Some(p) = d.planes.get_mut(i) { p.spot = event_checked(&e); } draft.set(d); })
                    }} />{ "Spot" }</label>
                </div>
                <p class="help">{ help("sizes").help }<code class="maps-to">{ help("sizes").eksctl }</code></p>
                if let Some(e) = err("desired").or(err("min")).or(err("max")) { <p class="error" role="alert">{ e }</p> }
                { field(&id("labels"), help("labels"), html! {
                    <input id={id("labels")} placeholder="role=web" value={plane.labels.clone()} onchange={set(|p, v| p.labels = v)} />
                }, err("labels")) }
                <div class="row">
                    { field(&id("version"), help("ng_version"), html! {
                        <input id={id("version")} placeholder="cluster's" value={plane.version.clone()} onchange={set(|p, v| p.version = v)} />
                    }, err("version")) }
                    if plane.kind == PlaneKind::Managed {
                        { field(&id("max-unavailable"), help("max_unavailable"), html! {
                            <input id={id("max-unavailable")} value={plane.max_unavailable.clone()} onchange={set(|p, v| p.max_unavailable = v)} />
                        }, err("max_unavailable")) }
                        { field(&id("strategy"), help("strategy"), html! {
                            <select id={id("strategy")} onchange={set(|p, v| p.strategy = v)}>
                                { for ["DEFAULT", "MINIMAL"].iter().map(|v| html! { <option value={*v} selected={plane.strategy == *v}>{ *v }</option> }) }
                            </select>
                        }, err("strategy")) }
                    }
                </div>
            }
            <details class="responsibility">
                <summary>{ "Who runs what" }</summary>
                <div class="split">
                    <div><h4>{ "AWS" }</h4><ul>{ for aws.iter().map(|s| html! { <li>{ *s }</li> }) }</ul></div>
                    <div><h4>{ "You" }</h4><ul>{ for you.iter().map(|s| html! { <li>{ *s }</li> }) }</ul></div>
                </div>
            </details>
        </div>
    }
}
