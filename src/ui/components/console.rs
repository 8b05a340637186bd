//! The console: type `kubectl` and `eksctl` commands. Reads answer at once from the lab; changes
//! go through the same command parser as scenario timelines and are applied at the next step.
//! Emits `on_submit` for changes.

use std::rc::Rc;

use yew::prelude::*;

use crate::cli::{CommandContext, parse_command};
use crate::sim::Simulation;
use crate::sim::command::Command;
use crate::ui::components::form::event_value;
use crate::view::console::run_query;

/// One line of history: what was typed and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleEntry {
    pub input: String,
    /// `None` while a change waits for its step.
    pub output: Option<Result<String, String>>,
    /// For changes: the outcome count when it was submitted, to find its result.
    pub outcomes_before: Option<usize>,
}

#[derive(Properties, Debug)]
pub struct ConsoleProps {
    pub sim: Rc<std::cell::RefCell<Simulation>>,
    /// Changes whenever the simulation does, so results show up.
    pub generation: u64,
    pub on_submit: Callback<(Command, String)>,
}

impl PartialEq for ConsoleProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &o.sim)
            && self.generation == o.generation
            && self.on_submit == o.on_submit
    }
}

#[function_component(Console)]
pub fn console(p: &ConsoleProps) -> Html {
    let history = use_state(Vec::<ConsoleEntry>::new);
    let line = use_state(String::new);
    let cursor = use_state(|| None::<usize>);
    let input_ref = use_node_ref();
    let run = {
        let (history, line, cursor, sim, on_submit) = (
            history.clone(),
            line.clone(),
            cursor.clone(),
            p.sim.clone(),
            p.on_submit.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text = line.trim().to_string();
            if text.is_empty() {
                return;
            }
            let mut h = (*history).clone();
            let query = run_query(&sim.borrow(), &text);
            if let Some(out) = query {
                h.push(ConsoleEntry {
                    input: text.clone(),
                    output: Some(out),
                    outcomes_before: None,
                });
            } else {
                let ctx = CommandContext::new(sim.borrow().state().cluster.name.clone());
                match parse_command(&text, &ctx) {
                    Ok(cmd) => {
                        let before = sim.borrow().outcomes().len();
                        h.push(ConsoleEntry {
                            input: text.clone(),
                            output: None,
                            outcomes_before: Some(before),
                        });
                        on_submit.emit((cmd, text.clone()));
                    }
                    Err(e) => h.push(ConsoleEntry {
                        input: text.clone(),
                        output: Some(Err(e)),
                        outcomes_before: None,
                    }),
                }
            }
            if h.len() > 200 {
                h.remove(0);
            }
            history.set(h);
            line.set(String::new());
            cursor.set(None);
        })
    };
    let keys = {
        let (history, line, cursor) = (history.clone(), line.clone(), cursor.clone());
        Callback::from(move |e: KeyboardEvent| {
            let n = history.len();
            if n == 0 {
                return;
            }
            let next = match e.key().as_str() {
                "ArrowUp" => Some(cursor.map_or(n - 1, |c| c.saturating_sub(1))),
                "ArrowDown" => cursor.and_then(|c| (c + 1 < n).then_some(c + 1)),
                _ => return,
            };
            e.prevent_default();
            cursor.set(next);
            line.set(next.map(|i| history[i].input.clone()).unwrap_or_default());
        })
    };
    let sim = p.sim.borrow();
    let outcomes = sim.outcomes();
    html! {
        <div class="console" data-testid="console">
            <h2>{ "Console" }</h2>
            <p class="help">{ "Type kubectl, eksctl or aws commands, as in a real terminal. Try " }<code>{ "kubectl get pods -A" }</code>{ " or " }<code>{ "help" }</code>{ "." }</p>
            <div class="console-out" tabindex="0" aria-live="polite" aria-label="Console output">
                { for history.iter().map(|h| {
                    let out = h.output.clone().or_else(|| {
                        h.outcomes_before.and_then(|b| outcomes.iter().skip(b).find(|o| o.text == h.input).map(|o| o.result.clone()))
                    });
                    html! {
                        <div class="entry">
                            <div class="in">{ format!("$ {}", h.input) }</div>
                            { match out {
                                Some(Ok(s)) => html! { <pre class="out">{ s }</pre> },
                                Some(Err(s)) => html! { <pre class="out error">{ s }</pre> },
                                None => html! { <pre class="out waiting">{ "(applied at the next step)" }</pre> },
                            } }
                        </div>
                    }
                }) }
            </div>
            <form class="console-in" onsubmit={run}>
                <span aria-hidden="true">{ "$" }</span>
                <input ref={input_ref} value={(*line).clone()} aria-label="Command" placeholder="kubectl get pods" spellcheck="false" autocomplete="off" data-testid="console-input"
                    oninput={{ let line = line.clone(); Callback::from(move |e: InputEvent| line.set(event_value(&e))) }} onkeydown={keys} />
                <button type="submit">{ "Run" }</button>
            </form>
        </div>
    }
}
