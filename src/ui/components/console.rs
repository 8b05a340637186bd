//! The console: type `kubectl` and `eksctl` commands. Reads answer at once from the lab; changes
//! go through the same command parser as scenario timelines and are applied at the next step.
//! Emits `on_submit` for changes. The history and its recall are `view::console::history`.

use std::rc::Rc;

use yew::prelude::*;

use crate::sim::Simulation;
use crate::sim::command::Command;
use crate::ui::components::form::event_value;
use crate::view::console::history::History;

#[derive(Properties, Debug)]
pub struct ConsoleProps {
    /// Read when a line is run (queries answer from the lab as it is then).
    pub sim: Rc<std::cell::RefCell<Simulation>>,
    /// How many command outcomes the lab has: a change's result shows once it is there. The
    /// console does not redraw on every tick.
    pub outcomes: usize,
    pub on_submit: Callback<(Command, String)>,
}

impl PartialEq for ConsoleProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &o.sim)
            && self.outcomes == o.outcomes
            && self.on_submit == o.on_submit
    }
}

#[function_component(Console)]
pub fn console(p: &ConsoleProps) -> Html {
    let history = use_state(History::default);
    let line = use_state(String::new);
    let input_ref = use_node_ref();
    let run = {
        let (history, line, sim, on_submit) = (
            history.clone(),
            line.clone(),
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
            let command = h.submit(&sim.borrow(), &text);
            history.set(h);
            if let Some(cmd) = command {
                on_submit.emit((cmd, text));
            }
            line.set(String::new());
        })
    };
    let keys = {
        let (history, line) = (history.clone(), line.clone());
        Callback::from(move |e: KeyboardEvent| {
            let back = match e.key().as_str() {
                "ArrowUp" => true,
                "ArrowDown" => false,
                _ => return,
            };
            let mut h = (*history).clone();
            if let Some(recalled) = h.recall(back) {
                e.prevent_default();
                history.set(h);
                line.set(recalled);
            }
        })
    };
    let rows = history.rows(p.sim.borrow().outcomes());
    html! {
        <div class="console" data-testid="console">
            <h2>{ "Console" }</h2>
            <p class="help">{ "Type kubectl, eksctl or aws commands, as in a real terminal. Try " }<code>{ "kubectl get pods -A" }</code>{ " or " }<code>{ "help" }</code>{ "." }</p>
            <div class="console-out" tabindex="0" aria-live="polite" aria-label="Console output">
                { for rows.into_iter().map(|r| html! {
                    <div class="entry">
                        <div class="in">{ format!("$ {}", r.input) }</div>
                        { match r.output {
                            Some(Ok(s)) => html! { <pre class="out">{ s }</pre> },
                            Some(Err(s)) => html! { <pre class="out error">{ s }</pre> },
                            None => html! { <pre class="out waiting">{ "(applied at the next step)" }</pre> },
                        } }
                    </div>
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
