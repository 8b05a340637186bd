//! Running the simulation in slices, so the page stays responsive: replaying a saved or shared
//! lab to the time it reached, and playing at a high speed on a large cluster.
//!
//! A slice takes whole steps until the caller's frame budget is used up (the caller passes its
//! own clock: the browser's `performance.now()`; tests pass a counter). The states the lab goes
//! through never depend on the slicing, only how many of them one frame reaches, so a replay in
//! slices ends in exactly the state a replay in one go would.

use crate::sim::Simulation;
use crate::sim::clock::SimTime;

/// How many steps a slice takes between two looks at its clock.
pub const CHECK_EVERY: u64 = 16;

/// Takes steps until `until` is reached, `max_steps` are taken or `budget_ms` of `clock` has
/// passed (looked at every [`CHECK_EVERY`] steps, so a slice never overruns by more than that
/// many steps). Returns the number of steps taken.
pub fn advance(
    sim: &mut Simulation,
    until: SimTime,
    max_steps: u64,
    budget_ms: f64,
    clock: &mut dyn FnMut() -> f64,
) -> u64 {
    let start = clock();
    let mut taken = 0;
    while sim.now() < until && taken < max_steps {
        sim.step();
        taken += 1;
        if taken.is_multiple_of(CHECK_EVERY) && clock() - start >= budget_ms {
            break;
        }
    }
    taken
}

/// A replay under way: from where it started to the time it is rebuilding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replay {
    pub target: SimTime,
}

impl Replay {
    /// How far the replay has come, in whole percent (100 once `now` reaches the target).
    pub fn percent(self, now: SimTime) -> u64 {
        let target = self.target.as_millis();
        if target == 0 || now >= self.target {
            return 100;
        }
        (u128::from(now.as_millis()) * 100 / u128::from(target)) as u64
    }

    /// `Rebuilding the lab: 02:10:00 of 06:00:00 simulated (36%)`.
    pub fn label(self, now: SimTime) -> String {
        format!(
            "Rebuilding the lab: {} of {} simulated ({}%)",
            now.min(self.target),
            self.target,
            self.percent(now)
        )
    }

    /// What the learner is told when they stop the replay early.
    pub fn stopped_notice(self, now: SimTime) -> String {
        format!(
            "Replay stopped at {now} of {}. The lab is paused there; the rest of its timeline is kept and runs when you press play. Download it to keep a copy.",
            self.target
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim() -> Simulation {
        Simulation::new(crate::view::demo::demo_spec()).unwrap()
    }

    #[test]
    fn slices_end_where_one_replay_ends() {
        let target = SimTime::from_secs(900);
        let mut whole = sim();
        whole.step_until(target);
        let mut sliced = sim();
        // A clock that advances 1 ms per look: every slice stops after its budget of looks.
        let mut t = 0.0;
        let mut clock = || {
            t += 1.0;
            t
        };
        let mut n_slices = 0;
        while sliced.now() < target {
            let n = advance(&mut sliced, target, u64::MAX, 3.0, &mut clock);
            assert!(n > 0 && n <= 3 * CHECK_EVERY, "a slice took {n} steps");
            n_slices += 1;
        }
        assert_eq!(sliced.now(), target);
        assert!(n_slices >= 900 / (3 * CHECK_EVERY), "{n_slices} slices");
        assert_eq!(sliced.digest(), whole.digest());
    }

    #[test]
    fn a_slice_stops_at_the_target_and_at_max_steps() {
        let mut s = sim();
        let mut clock = || 0.0;
        assert_eq!(
            advance(&mut s, SimTime::from_secs(5), u64::MAX, 50.0, &mut clock),
            5
        );
        assert_eq!(
            advance(&mut s, SimTime::from_secs(5), 10, 50.0, &mut clock),
            0
        );
        assert_eq!(
            advance(&mut s, SimTime::from_secs(100), 7, 50.0, &mut clock),
            7
        );
        assert_eq!(s.now(), SimTime::from_secs(12));
    }

    #[test]
    fn progress_reads_plainly() {
        let r = Replay {
            target: SimTime::from_secs(6 * 3600),
        };
        assert_eq!(r.percent(SimTime::from_secs(7800)), 36);
        assert_eq!(
            r.label(SimTime::from_secs(7800)),
            "Rebuilding the lab: 02:10:00 of 06:00:00 simulated (36%)"
        );
        assert_eq!(r.percent(SimTime::from_secs(99_999)), 100);
        assert_eq!(
            Replay {
                target: SimTime::EPOCH
            }
            .percent(SimTime::EPOCH),
            100
        );
        assert!(
            r.stopped_notice(SimTime::from_secs(7800))
                .starts_with("Replay stopped at 02:10:00 of 06:00:00.")
        );
    }
}
