//! The simulation core: a deterministic model of an EKS cluster.
//!
//! Integer time advances in fixed one-second steps. Each step applies the commands due, fires
//! due timers, runs the controllers in a fixed order, accrues cost and samples metrics. All
//! randomness comes from streams seeded by the lab's seed, and every collection is ordered,
//! so the same `LabSpec` and commands give the same event log on every platform.
//!
//! ```
//! use eks_lab::sim::{Simulation, spec::{LabSpec, NodegroupSpec}, clock::SimDuration};
//!
//! let mut spec = LabSpec::default();
//! spec.settings.skip_cluster_creation = true;
//! spec.nodegroups.push(NodegroupSpec::managed("ng-1"));
//! let mut sim = Simulation::new(spec).unwrap();
//! sim.run_for(SimDuration::from_mins(5));
//! assert_eq!(sim.state().nodes.len(), 2);
//! assert!(sim.state().nodes.values().all(|n| n.is_ready()));
//! ```

pub mod api;
pub mod api_server;
pub mod billing;
pub mod catalog;
pub mod clock;
pub mod command;
pub mod controllers;
pub mod digest;
pub mod eks;
pub mod event;
pub mod metrics;
pub mod quantity;
pub mod rng;
pub mod sort;
pub mod spec;
pub mod state;
pub mod timers;
pub mod traffic;
pub mod vpc_cni;

use api::{Kind, ObjectKey, ObjectRef};
use billing::Billing;
use clock::{Date, SimDuration, SimTime, TICK};
use command::{Command, CommandOutcome};
use event::{EventLog, EventType};
use metrics::Metrics;
use rng::SimRng;
use spec::LabSpec;
use state::State;
use timers::TimerQueue;

/// Work scheduled for a later instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    ClusterActive,
    FargateProfileActive(String),
    FargateProfileDeleted(String),
    InstanceRunning(String),
    NodeRegistered(String),
    NodeReady(String),
    InstanceTerminated(String),
    PodImagePulled {
        key: ObjectKey,
        uid: u64,
    },
    PodContainerStarted {
        key: ObjectKey,
        uid: u64,
    },
    PodContainerExited {
        key: ObjectKey,
        uid: u64,
    },
    PodTerminated {
        key: ObjectKey,
        uid: u64,
    },
    FargateCapacityReady {
        key: ObjectKey,
        uid: u64,
    },
    JobTtlExpired(ObjectKey),
    Spot(controllers::spot::SpotTimer),
    ClusterAutoscaler(controllers::cluster_autoscaler::CaTimer),
    /// The next phase of a control plane update (by update id).
    ControlPlaneUpdate(String),
}

/// One random stream per controller, so draws in one never shift another.
#[derive(Debug, Clone)]
pub struct Rngs {
    pub names: SimRng,
    pub cluster: SimRng,
    pub ec2: SimRng,
    pub vpc: SimRng,
    pub kubelet: SimRng,
    pub scheduler: SimRng,
    pub fargate: SimRng,
    pub asg: SimRng,
    /// The Cluster Autoscaler (random expander, tie breaks).
    pub autoscaler: SimRng,
    /// Spot interruptions and rebalance recommendations.
    pub spot: SimRng,
    /// The VPA updater's choice of pods.
    pub vpa: SimRng,
    /// EKS update ids and the managed node group update's random choice of nodes.
    pub updates: SimRng,
}

impl Rngs {
    fn new(seed: u64) -> Rngs {
        Rngs {
            names: SimRng::stream(seed, "names"),
            cluster: SimRng::stream(seed, "eks"),
            ec2: SimRng::stream(seed, "ec2"),
            vpc: SimRng::stream(seed, "vpc-cni"),
            kubelet: SimRng::stream(seed, "kubelet"),
            scheduler: SimRng::stream(seed, "scheduler"),
            fargate: SimRng::stream(seed, "fargate"),
            asg: SimRng::stream(seed, "auto-scaling"),
            autoscaler: SimRng::stream(seed, "cluster-autoscaler"),
            spot: SimRng::stream(seed, "spot"),
            vpa: SimRng::stream(seed, "vpa"),
            updates: SimRng::stream(seed, "updates"),
        }
    }
}

/// A command waiting for its step.
#[derive(Debug, Clone)]
struct Submitted {
    at: SimTime,
    seq: u64,
    command: Command,
    text: String,
}

/// The simulation: state, clock, timers, randomness, the event log, the meter and metrics.
#[derive(Debug, Clone)]
pub struct Simulation {
    now: SimTime,
    pub(crate) state: State,
    pub(crate) timers: TimerQueue<Timer>,
    pub(crate) rng: Rngs,
    pub(crate) events: EventLog,
    pub(crate) billing: Billing,
    pub(crate) metrics: Metrics,
    pub(crate) spec: LabSpec,
    pub(crate) controllers: controllers::ControllerState,
    /// The work queues the API server fills for the controllers that watch pods.
    pub(crate) watch: api_server::watch::WorkQueues,
    inbox: Vec<Submitted>,
    next_submit_seq: u64,
    outcomes: Vec<CommandOutcome>,
    next_uid: u64,
}

impl Simulation {
    /// Builds a lab from its spec. The cluster starts CREATING (or ACTIVE when the spec says
    /// to skip creation); node groups, Fargate profiles and manifests follow once it is ACTIVE.
    pub fn new(spec: LabSpec) -> Result<Simulation, String> {
        crate::sim::eks::validation::validate_spec(&spec)?;
        let state = controllers::eks::initial_state(&spec)?;
        let mut sim = Simulation {
            now: SimTime::EPOCH,
            state,
            timers: TimerQueue::default(),
            rng: Rngs::new(spec.seed),
            events: EventLog::default(),
            billing: Billing::default(),
            metrics: Metrics::default(),
            controllers: controllers::ControllerState::default(),
            watch: api_server::watch::WorkQueues::default(),
            inbox: Vec::new(),
            next_submit_seq: 0,
            outcomes: Vec::new(),
            next_uid: 1,
            spec,
        };
        for t in sim.spec.traffic.clone() {
            sim.state.traffic.insert(
                t.target.clone(),
                traffic::ActiveTraffic {
                    spec: t,
                    since: SimTime::EPOCH,
                },
            );
        }
        for entry in sim.spec.timeline.clone() {
            sim.submit_at(SimTime::EPOCH + entry.at, entry.command, entry.text);
        }
        controllers::eks::start(&mut sim);
        let first = metrics::take(&sim);
        sim.metrics.push(first);
        Ok(sim)
    }

    /// Advances one fixed step.
    pub fn step(&mut self) {
        self.now += TICK;
        self.apply_due_commands();
        self.fire_due_timers();
        controllers::run(self);
        billing::accrue(self, TICK);
        if self
            .now
            .as_millis()
            .is_multiple_of(metrics::SAMPLE_EVERY.as_millis())
        {
            let sample = metrics::take(self);
            self.metrics.push(sample);
        }
    }

    /// Steps until `t` (inclusive); does nothing if `t` is not in the future.
    pub fn step_until(&mut self, t: SimTime) {
        while self.now < t {
            self.step();
        }
    }

    /// Runs for a span of simulated time.
    pub fn run_for(&mut self, d: SimDuration) {
        self.step_until(self.now + d);
    }

    /// Runs `n` steps (what one UI frame does at a given speed).
    pub fn run_steps(&mut self, n: u64) {
        for _ in 0..n {
            self.step();
        }
    }

    /// Queues a command for the next step boundary. `text` is the command line as typed, if
    /// any; it is kept in the outcome log.
    pub fn submit(&mut self, command: Command, text: impl Into<String>) {
        let at = self.now + TICK;
        self.submit_at(at, command, text.into());
    }

    fn submit_at(&mut self, at: SimTime, command: Command, text: String) {
        let seq = self.next_submit_seq;
        self.next_submit_seq += 1;
        self.inbox.push(Submitted {
            at,
            seq,
            command,
            text,
        });
        sort::sort_by_key(&mut self.inbox, |s| (s.at, s.seq));
    }

    fn apply_due_commands(&mut self) {
        while self.inbox.first().is_some_and(|s| s.at <= self.now) {
            let s = self.inbox.remove(0);
            let result = command::apply(self, &s.command);
            match &result {
                Ok(_) => {}
                Err(msg) => {
                    let obj =
                        ObjectRef::cluster_scoped(Kind::Cluster, self.state.cluster.name.clone());
                    let text = if s.text.is_empty() {
                        format!("{:?}", s.command)
                    } else {
                        s.text.clone()
                    };
                    self.record(
                        EventType::Warning,
                        event::reason::COMMAND_FAILED,
                        obj,
                        format!("{text}: {msg}"),
                        "ekslab",
                    );
                }
            }
            self.outcomes.push(CommandOutcome {
                at: self.now,
                text: s.text,
                result,
            });
        }
    }

    fn fire_due_timers(&mut self) {
        while let Some((_, timer)) = self.timers.pop_due(self.now) {
            controllers::fire(self, timer);
        }
    }

    // ---- accessors ----

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The UTC calendar date of the current instant.
    pub fn date(&self) -> Date {
        self.spec
            .start_date
            .add_days((self.now.as_secs() / 86_400) as i64)
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn events(&self) -> &EventLog {
        &self.events
    }

    pub fn billing(&self) -> &Billing {
        &self.billing
    }

    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    pub fn spec(&self) -> &LabSpec {
        &self.spec
    }

    /// Results of applied commands, oldest first.
    pub fn outcomes(&self) -> &[CommandOutcome] {
        &self.outcomes
    }

    /// Commands waiting for their time.
    pub fn pending_commands(&self) -> impl Iterator<Item = (SimTime, &str)> {
        self.inbox.iter().map(|s| (s.at, s.text.as_str()))
    }

    /// Digest of the event log: equal digests mean identical logs.
    pub fn digest(&self) -> u64 {
        self.events.digest()
    }

    // ---- helpers for controllers ----

    pub(crate) fn record(
        &mut self,
        type_: EventType,
        reason: &'static str,
        object: ObjectRef,
        message: String,
        source: &'static str,
    ) {
        self.events
            .push(self.now, type_, reason, object, message, source);
    }

    pub(crate) fn after(&mut self, d: SimDuration, timer: Timer) {
        self.timers.schedule(self.now + d, timer);
    }

    pub(crate) fn uid(&mut self) -> u64 {
        let u = self.next_uid;
        self.next_uid += 1;
        u
    }
}
