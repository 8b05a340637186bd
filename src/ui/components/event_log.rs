//! The event log, shaped like `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE,
//! newest first, filterable by object (or any text in the row). Dispatches nothing.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::Simulation;
use crate::sim::clock::SimDuration;
use crate::sim::event::EventType;

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub seq: u64,
    pub age: String,
    pub warning: bool,
    pub reason: String,
    pub object: String,
    pub message: String,
}

impl EventRow {
    /// The newest `n` events, newest first.
    pub fn latest(sim: &Simulation, n: usize) -> Vec<EventRow> {
        let now = sim.now();
        sim.events()
            .all()
            .iter()
            .rev()
            .take(n)
            .map(|e| EventRow {
                seq: e.seq,
                age: SimDuration(now.as_millis().saturating_sub(e.time.as_millis())).to_string(),
                warning: e.type_ == EventType::Warning,
                reason: e.reason.to_string(),
                object: e.object.to_string(),
                message: e.message.clone(),
            })
            .collect()
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct EventLogProps {
    pub rows: Rc<Vec<EventRow>>,
}

/// Rows drawn at first; "Show more" adds this many again (drawing hundreds of rows on every
/// refresh would cost more than a frame).
const PAGE: usize = 60;

#[function_component(EventLog)]
pub fn event_log(p: &EventLogProps) -> Html {
    let filter = use_state(String::new);
    let limit = use_state(|| PAGE);
    let f = filter.to_lowercase();
    let matching: Vec<&EventRow> = p
        .rows
        .iter()
        .filter(|r| {
            f.is_empty()
                || r.object.to_lowercase().contains(&f)
                || r.reason.to_lowercase().contains(&f)
                || r.message.to_lowercase().contains(&f)
        })
        .collect();
    let total = matching.len();
    let shown = &matching[..total.min(*limit)];
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            filter.set(crate::ui::components::form::event_value(&e));
        })
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_: MouseEvent| limit.set(*limit + PAGE))
    };
    html! {
        <div class="event-log">
            <div class="event-head">
                <h2>{ "Events" }</h2>
                <input type="search" placeholder="filter: pod/web, FailedScheduling…" value={(*filter).clone()} {oninput}
                    aria-label="Filter events by object, reason or message" data-testid="event-filter" />
                <span class="count">{ format!("{} of {total}", shown.len()) }</span>
            </div>
            <div class="table-scroll" tabindex="0" aria-label="Event log">
                <table data-testid="event-log">
                    <thead>
                        <tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th></tr>
                        <tr class="msg-head"><th colspan="4">{ "MESSAGE" }</th></tr>
                    </thead>
                    { for shown.iter().map(|r| html! {
                        <tbody key={r.seq} class={classes!("event", r.warning.then_some("warning"))}>
                            <tr>
                                <td class="age">{ &r.age }</td>
                                <td class="type">{ if r.warning { "Warning" } else { "Normal" } }</td>
                                <td class="reason">{ &r.reason }</td>
                                <td class="object" title={r.object.clone()}>{ &r.object }</td>
                            </tr>
                            <tr class="msg"><td colspan="4" class="message">{ &r.message }</td></tr>
                        </tbody>
                    }) }
                </table>
                if total > shown.len() {
                    <button type="button" class="more" onclick={more}>{ format!("Show {} more", PAGE.min(total - shown.len())) }</button>
                }
            </div>
        </div>
    }
}
