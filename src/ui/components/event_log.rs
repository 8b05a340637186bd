//! The event log, shaped like `kubectl get events`: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE,
//! newest first. Dispatches nothing.

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

#[function_component(EventLog)]
pub fn event_log(p: &EventLogProps) -> Html {
    html! {
        <div class="event-log">
            <h2>{ "Events" }</h2>
            <div class="table-scroll" tabindex="0" aria-label="Event log">
                <table data-testid="event-log">
                    <thead>
                        <tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th></tr>
                        <tr class="msg-head"><th colspan="4">{ "MESSAGE" }</th></tr>
                    </thead>
                    { for p.rows.iter().map(|r| html! {
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
            </div>
        </div>
    }
}
