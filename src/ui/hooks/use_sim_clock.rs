//! The only timer in the UI: while the lab runs or a replay is under way, it dispatches
//! `LabAction::Tick` every `TICK_MS`. The tick carries no wall-clock data; the reducer turns it
//! into whole sim steps.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::ui::state::{LabAction, LabState};

/// Milliseconds between ticks (10 per second).
pub const TICK_MS: u32 = 100;

#[hook]
pub fn use_sim_clock(lab: &UseReducerHandle<LabState>) {
    let running = lab.running || lab.replay.is_some();
    let dispatcher = lab.dispatcher();
    use_effect_with(running, move |running| {
        let interval =
            running.then(|| Interval::new(TICK_MS, move || dispatcher.dispatch(LabAction::Tick)));
        // Dropping the Interval cancels it.
        move || drop(interval)
    });
}
