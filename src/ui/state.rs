//! Lab state and its reducer. The simulation lives behind an `Rc<RefCell<_>>` and is stepped
//! in place (cloning thousands of pods every frame would cost more than the frame);
//! `generation` changes whenever it does, so Yew can compare states cheaply.
//!
//! The lab is its base spec plus the actions the learner took, each stamped with the simulated
//! second it took effect. That pair (with the time reached) is what autosave and share links
//! store: replaying it rebuilds the same cluster.
//!
//! Work is done in slices (`view::replay::advance`): a tick steps the simulation only until its
//! frame budget is used, so a replay of days or a large cluster at 3600x never freezes the page.
//! A replay shows its progress and can be stopped; the lab is then paused where it got to.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::limits::MAX_TIMELINE_ENTRIES;
use crate::sim::Simulation;
use crate::sim::api::ObjectKey;
use crate::sim::clock::{SimDuration, SimTime, TICK};
use crate::sim::command::Command;
use crate::sim::spec::{LabSpec, TimelineEntry};
use crate::ui::hooks::TICK_MS;
use crate::view::cluster::GroupKey;
use crate::view::persist::Restored;
use crate::view::replay::{self, Replay};

/// Wall-clock milliseconds a tick may spend stepping while the lab plays.
const PLAY_BUDGET_MS: f64 = 40.0;
/// Wall-clock milliseconds a tick may spend on a replay (the page still draws in between).
const REPLAY_BUDGET_MS: f64 = 60.0;
/// Steps a replay tick takes at most, should the browser give no clock.
const REPLAY_MAX_STEPS: u64 = 20_000;

/// The browser's monotonic clock in milliseconds; only slice lengths depend on it, never what
/// the simulation does.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Text the learner can download from the notice: a save or link that could not be opened, or
/// the lab when its replay was stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescue {
    pub file_name: String,
    pub text: String,
}

/// Playback speeds: simulated seconds per real second.
pub const SPEEDS: [u64; 7] = [1, 10, 60, 100, 300, 1000, 3600];
/// The speed a new lab plays at (100x: a simulated minute in 0.6 s).
pub const DEFAULT_SPEED: usize = 3;

/// What the inspector shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    Pod(ObjectKey),
    Node(String),
    Deployment(ObjectKey),
    Nodegroup(String),
    FargateProfile(String),
    Cluster,
}

/// The left panel's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Build,
    Workloads,
    Scaling,
    Upgrades,
    Scenario,
    Inspect,
    Console,
}

/// Everything the UI needs to remember.
#[derive(Debug, Clone)]
pub struct LabState {
    pub sim: Rc<RefCell<Simulation>>,
    /// The spec the lab was built from (timeline as written, without the learner's actions).
    pub base: Rc<LabSpec>,
    /// The learner's actions so far, stamped with the simulated time they took effect.
    pub actions: Rc<Vec<TimelineEntry>>,
    /// Bumped on every change to the simulation.
    pub generation: u64,
    /// Bumped when the lab is rebuilt from a spec (so forms can reload their drafts).
    pub epoch: u64,
    pub running: bool,
    /// Index into `SPEEDS`.
    pub speed_idx: usize,
    /// Sub-step remainder: speed × tick length accumulates here, whole steps run.
    acc_ms: u64,
    pub selected: Option<Selection>,
    pub tab: Tab,
    /// A message for the learner (loading problems, notices).
    pub notice: Option<String>,
    /// Offered for download next to the notice.
    pub rescue: Option<Rc<Rescue>>,
    /// A replay under way (a save or link being rebuilt to the time it reached).
    pub replay: Option<Replay>,
    /// The last tick could not take all the steps its speed asked for.
    pub lagging: bool,
    /// A cluster too big to draw node by node: the group opened to show its nodes.
    pub open_group: Option<GroupKey>,
}

impl PartialEq for LabState {
    fn eq(&self, o: &Self) -> bool {
        self.generation == o.generation
            && self.epoch == o.epoch
            && self.running == o.running
            && self.speed_idx == o.speed_idx
            && self.selected == o.selected
            && self.tab == o.tab
            && self.notice == o.notice
            && self.rescue == o.rescue
            && self.replay == o.replay
            && self.lagging == o.lagging
            && self.open_group == o.open_group
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
    /// Rebuild a saved or shared lab and replay it to its time.
    Restore(Box<Restored>, Option<String>),
    /// A learner's command (`text` is the command line as typed or generated).
    Submit {
        command: Box<Command>,
        text: String,
    },
    Select(Option<Selection>),
    /// Open one group of a cluster drawn by group (or close it).
    OpenGroup(Option<GroupKey>),
    SetTab(Tab),
    Notice(Option<String>),
    /// Stop a replay where it got to; the lab stays paused there.
    StopReplay,
}

impl LabState {
    pub fn new(spec: LabSpec) -> LabState {
        let (sim, base, notice) = match Simulation::new(spec.clone()) {
            Ok(sim) => (sim, spec, None),
            Err(e) => {
                let demo = crate::view::demo::demo_spec();
                let sim = Simulation::new(demo.clone()).unwrap_or_else(|_| unreachable_demo());
                (
                    sim,
                    demo,
                    Some(format!(
                        "Could not build that lab ({e}); showing the demo lab instead."
                    )),
                )
            }
        };
        LabState {
            sim: Rc::new(RefCell::new(sim)),
            base: Rc::new(base),
            actions: Rc::new(Vec::new()),
            generation: 0,
            epoch: 0,
            running: false,
            speed_idx: DEFAULT_SPEED,
            acc_ms: 0,
            selected: None,
            open_group: None,
            tab: Tab::Build,
            notice,
            rescue: None,
            replay: None,
            lagging: false,
        }
    }

    /// A lab restored from a save or a link: built at its start, then replayed to its time in
    /// slices by the ticks that follow.
    pub fn restored(r: Restored) -> LabState {
        let mut s = LabState::new(r.spec);
        if r.time > SimTime::EPOCH {
            s.replay = Some(Replay { target: r.time });
        }
        if r.notice.is_some() {
            s.notice = r.notice;
            s.rescue = Some(Rc::new(s.rescue_of_lab()));
        }
        s.speed_idx = r.speed.min(SPEEDS.len() - 1);
        s
    }

    /// The lab as a scenario file to download.
    pub fn rescue_of_lab(&self) -> Rescue {
        Rescue {
            file_name: "eks-lab.yaml".into(),
            text: crate::scenario::to_yaml(&self.replay_spec()),
        }
    }

    /// Timeline entries so far: the scenario's and the learner's.
    pub fn timeline_len(&self) -> usize {
        self.base.timeline.len() + self.actions.len()
    }

    pub fn speed(&self) -> u64 {
        SPEEDS[self.speed_idx.min(SPEEDS.len() - 1)]
    }

    /// The spec with the learner's actions folded into its timeline: replaying it to the
    /// current time rebuilds this exact lab.
    pub fn replay_spec(&self) -> LabSpec {
        let mut spec = (*self.base).clone();
        spec.timeline.extend(self.actions.iter().cloned());
        spec
    }

    fn rebuild(&mut self, next: LabState) {
        self.sim = next.sim;
        self.base = next.base;
        self.actions = next.actions;
        self.notice = next.notice;
        self.rescue = next.rescue;
        self.replay = next.replay;
        self.lagging = false;
        self.speed_idx = next.speed_idx;
        self.running = false;
        self.acc_ms = 0;
        self.selected = None;
        self.generation += 1;
        self.epoch += 1;
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
                if let Some(r) = next.replay {
                    let mut sim = next.sim.borrow_mut();
                    replay::advance(
                        &mut sim,
                        r.target,
                        REPLAY_MAX_STEPS,
                        REPLAY_BUDGET_MS,
                        &mut now_ms,
                    );
                    if sim.now() >= r.target {
                        next.replay = None;
                    }
                    drop(sim);
                    next.generation += 1;
                    return Rc::new(next);
                }
                if !next.running {
                    return self;
                }
                next.acc_ms += next.speed() * u64::from(TICK_MS);
                let steps = next.acc_ms / 1000;
                next.acc_ms %= 1000;
                if steps == 0 {
                    return self;
                }
                let until = next.sim.borrow().now() + SimDuration::from_secs(steps);
                let taken = replay::advance(
                    &mut next.sim.borrow_mut(),
                    until,
                    steps,
                    PLAY_BUDGET_MS,
                    &mut now_ms,
                );
                // Steps the frame had no time for are dropped, not owed: the lab runs slower
                // than asked rather than falling ever further behind.
                next.lagging = taken < steps;
                next.generation += 1;
            }
            LabAction::StopReplay => {
                if let Some(r) = next.replay.take() {
                    let now = next.sim.borrow().now();
                    next.notice = Some(r.stopped_notice(now));
                    next.rescue = Some(Rc::new(next.rescue_of_lab()));
                    next.running = false;
                    next.generation += 1;
                }
            }
            LabAction::TogglePlay | LabAction::Step | LabAction::Submit { .. }
                if next.replay.is_some() =>
            {
                next.notice = Some(
                    "The lab is still being rebuilt; wait for it to finish, or stop the replay first."
                        .into(),
                );
            }
            LabAction::Submit { .. } if next.timeline_len() >= MAX_TIMELINE_ENTRIES => {
                next.notice = Some(format!(
                    "The lab keeps at most {MAX_TIMELINE_ENTRIES} timeline entries (the scenario's and yours), and this lab has reached that. Download it to keep it, then start a new lab."
                ));
                next.rescue = Some(Rc::new(next.rescue_of_lab()));
            }
            LabAction::TogglePlay => {
                next.running = !next.running;
                next.lagging = false;
            }
            LabAction::Step => {
                next.running = false;
                next.sim.borrow_mut().step();
                next.generation += 1;
            }
            LabAction::SetSpeed(i) => next.speed_idx = i.min(SPEEDS.len() - 1),
            LabAction::Faster => next.speed_idx = (next.speed_idx + 1).min(SPEEDS.len() - 1),
            LabAction::Slower => next.speed_idx = next.speed_idx.saturating_sub(1),
            LabAction::Reset(spec) => {
                let speed = next.speed_idx;
                next.rebuild(LabState::new(*spec));
                next.speed_idx = speed;
            }
            LabAction::Restore(r, notice) => {
                next.rebuild(LabState::restored(*r));
                if notice.is_some() {
                    next.notice = notice;
                }
            }
            LabAction::Submit { command, text } => {
                let at = next.sim.borrow().now() + TICK;
                let mut actions = (*next.actions).clone();
                actions.push(TimelineEntry {
                    at: SimDuration(at.as_millis()),
                    command: (*command).clone(),
                    text: text.clone(),
                });
                next.actions = Rc::new(actions);
                next.sim.borrow_mut().submit(*command, text);
                // Apply it now even when paused, so the learner sees the result at once.
                if !next.running {
                    next.sim.borrow_mut().step();
                }
                next.generation += 1;
            }
            LabAction::Select(sel) => {
                if sel.is_some() {
                    next.tab = Tab::Inspect;
                }
                next.selected = sel;
            }
            LabAction::OpenGroup(g) => next.open_group = g,
            LabAction::SetTab(t) => next.tab = t,
            LabAction::Notice(n) => {
                next.notice = n;
                next.rescue = None;
            }
        }
        Rc::new(next)
    }
}

/// The latest outcome of the learner's commands, for forms to show.
pub fn last_outcome(lab: &LabState) -> Option<(SimTime, String, Result<String, String>)> {
    lab.sim
        .borrow()
        .outcomes()
        .last()
        .map(|o| (o.at, o.text.clone(), o.result.clone()))
}
