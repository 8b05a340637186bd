//! Lab state and its reducer. The simulation lives behind an `Rc<RefCell<_>>` and is stepped
//! in place (cloning thousands of pods every frame would cost more than the frame);
//! `generation` changes whenever it does, so Yew can compare states cheaply.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::sim::Simulation;
use crate::sim::spec::LabSpec;
use crate::ui::hooks::TICK_MS;

/// Playback speeds: simulated seconds per real second.
pub const SPEEDS: [u64; 6] = [1, 10, 60, 100, 1000, 3600];

/// Everything the UI needs to remember.
#[derive(Debug, Clone)]
pub struct LabState {
    pub sim: Rc<RefCell<Simulation>>,
    /// Bumped on every change to the simulation.
    pub generation: u64,
    pub running: bool,
    /// Index into `SPEEDS`.
    pub speed_idx: usize,
    /// Sub-step remainder: speed × tick length accumulates here, whole steps run.
    acc_ms: u64,
    /// A message for the learner (errors of loading, notices).
    pub notice: Option<String>,
}

impl PartialEq for LabState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && self.running == o.running
            && self.speed_idx == o.speed_idx
            && self.notice == o.notice
    }
}

/// What can happen to the lab.
#[derive(Debug, Clone)]
pub enum LabAction {
    /// One timer tick: advance by speed × tick length, in whole steps.
    Tick,
    TogglePlay,
    /// Advance one step (one simulated second).
    Step,
    SetSpeed(usize),
    Faster,
    Slower,
    /// Start over from a spec.
    Reset(Box<LabSpec>),
}

impl LabState {
    pub fn new(spec: LabSpec) -> LabState {
        let (sim, notice) = match Simulation::new(spec) {
            Ok(sim) => (sim, None),
            Err(e) => (
                Simulation::new(crate::view::demo::demo_spec())
                    .unwrap_or_else(|_| unreachable_demo()),
                Some(format!(
                    "Could not build that lab ({e}); showing the demo lab instead."
                )),
            ),
        };
        LabState {
            sim: Rc::new(RefCell::new(sim)),
            generation: 0,
            running: false,
            speed_idx: 3,
            acc_ms: 0,
            notice,
        }
    }

    pub fn speed(&self) -> u64 {
        SPEEDS[self.speed_idx.min(SPEEDS.len() - 1)]
    }
}

/// The demo spec is built in code and covered by tests; failing to build it is a bug.
fn unreachable_demo() -> Simulation {
    panic!("the built-in demo lab failed to build")
}

impl Reducible for LabState {
    type Action = LabAction;

    fn reduce(self: Rc<Self>, action: LabAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LabAction::Tick => {
                if !next.running {
                    return self;
                }
                next.acc_ms += next.speed() * u64::from(TICK_MS);
                let steps = next.acc_ms / 1000;
                next.acc_ms %= 1000;
                if steps == 0 {
                    return self;
                }
                next.sim.borrow_mut().run_steps(steps);
                next.generation += 1;
            }
            LabAction::TogglePlay => next.running = !next.running,
            LabAction::Step => {
                next.running = false;
                next.sim.borrow_mut().step();
                next.generation += 1;
            }
            LabAction::SetSpeed(i) => next.speed_idx = i.min(SPEEDS.len() - 1),
            LabAction::Faster => next.speed_idx = (next.speed_idx + 1).min(SPEEDS.len() - 1),
            LabAction::Slower => next.speed_idx = next.speed_idx.saturating_sub(1),
            LabAction::Reset(spec) => {
                let fresh = LabState::new(*spec);
                next.sim = fresh.sim;
                next.notice = fresh.notice;
                next.running = false;
                next.acc_ms = 0;
                next.generation += 1;
            }
        }
        Rc::new(next)
    }
}
