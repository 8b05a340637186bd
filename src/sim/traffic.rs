//! Load on a workload: a request rate over time and what each request costs in CPU and memory,
//! so pod usage follows load. The metrics-server turns it into pod metrics; the HPA and VPA
//! read those.
//!
//! Usage per ready pod = base + rate ÷ ready pods × cost per request. Integer maths only:
//! rates in requests per second, CPU in millicores per request per second (= CPU-milliseconds
//! per request), memory in bytes per request per second (in-flight memory).

use super::clock::{SimDuration, SimTime};
use super::quantity::{Bytes, MilliCpu, Resources};

/// How the request rate changes over time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrafficPattern {
    /// The same rate all along.
    Constant { rps: u64 },
    /// From `from` to `to` linearly over `duration`, starting `start` after the pattern begins.
    Ramp {
        from: u64,
        to: u64,
        start: SimDuration,
        duration: SimDuration,
    },
    /// `base`, then `peak` for `duration` from `at`, then `base` again.
    Spike {
        base: u64,
        peak: u64,
        at: SimDuration,
        duration: SimDuration,
    },
    /// A day's cycle (piecewise linear): `min` at `peak_hour − 12`, `max` at `peak_hour`,
    /// repeating every 24 hours of the lab's clock.
    Diurnal { min: u64, max: u64, peak_hour: u64 },
    /// A replayable list of (time, rate): each rate holds until the next step.
    Steps(Vec<(SimDuration, u64)>),
}

impl TrafficPattern {
    /// Requests per second `since` the pattern began.
    pub fn rps_at(&self, since: SimDuration) -> u64 {
        let ms = since.as_millis();
        match self {
            TrafficPattern::Constant { rps } => *rps,
            TrafficPattern::Ramp {
                from,
                to,
                start,
                duration,
            } => {
                if ms <= start.as_millis() {
                    *from
                } else if ms >= start.as_millis().saturating_add(duration.as_millis())
                    || duration.as_millis() == 0
                {
                    *to
                } else {
                    let done = ms - start.as_millis();
                    let (from, to, d) = (
                        i128::from(*from),
                        i128::from(*to),
                        i128::from(duration.as_millis()),
                    );
                    (from + (to - from) * i128::from(done) / d) as u64
                }
            }
            TrafficPattern::Spike {
                base,
                peak,
                at,
                duration,
            } => {
                if ms >= at.as_millis() && ms < at.as_millis().saturating_add(duration.as_millis())
                {
                    *peak
                } else {
                    *base
                }
            }
            TrafficPattern::Diurnal {
                min,
                max,
                peak_hour,
            } => {
                let day = 86_400_000u64;
                let peak = (peak_hour % 24) * 3_600_000;
                // Distance from the peak along the circle of the day, 0..=12 h.
                let off = (ms % day + day - peak) % day;
                let dist = off.min(day - off);
                let half = day / 2;
                // In u128: the product of a rate and a time of day cannot overflow.
                let drop =
                    u128::from(max.saturating_sub(*min)) * u128::from(dist) / u128::from(half);
                max.saturating_sub(u64::try_from(drop).unwrap_or(u64::MAX))
            }
            TrafficPattern::Steps(steps) => steps
                .iter()
                .take_while(|(at, _)| *at <= since)
                .last()
                .map_or(0, |(_, r)| *r),
        }
    }

    /// One-line description for the UI and reports.
    pub fn describe(&self) -> String {
        match self {
            TrafficPattern::Constant { rps } => format!("constant {rps} req/s"),
            TrafficPattern::Ramp {
                from,
                to,
                start,
                duration,
            } => format!("ramp {from}→{to} req/s over {duration} from +{start}"),
            TrafficPattern::Spike {
                base,
                peak,
                at,
                duration,
            } => format!("{base} req/s, spike to {peak} at +{at} for {duration}"),
            TrafficPattern::Diurnal {
                min,
                max,
                peak_hour,
            } => format!("daily cycle {min}–{max} req/s, peak at {peak_hour:02}:00"),
            TrafficPattern::Steps(s) => format!("{} steps", s.len()),
        }
    }
}

/// Load on one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficSpec {
    /// The Deployment receiving the requests (namespace, name).
    pub target: super::api::ObjectKey,
    pub pattern: TrafficPattern,
    /// CPU per request per second (CPU-milliseconds per request).
    pub cpu_per_request: MilliCpu,
    /// In-flight memory per request per second.
    pub memory_per_request: Bytes,
    /// What each ready pod uses with no requests at all.
    pub base: Resources,
}

impl TrafficSpec {
    /// The defaults a learner gets when only the rate is given: 10 ms of CPU per request,
    /// 256 KiB of memory per request in flight, 10m CPU and 64 MiB idle per pod.
    pub fn with_pattern(target: super::api::ObjectKey, pattern: TrafficPattern) -> TrafficSpec {
        TrafficSpec {
            target,
            pattern,
            cpu_per_request: MilliCpu(10),
            memory_per_request: Bytes(256 * 1024),
            base: Resources::new(10, 64 * super::quantity::MIB),
        }
    }

    /// Usage of each of `ready` pods when the rate is `rps`.
    pub fn usage_per_pod(&self, rps: u64, ready: u64) -> Resources {
        if ready == 0 {
            return self.base;
        }
        // Rates and quantities are bounded where they are read (MAX_REQUESTS_PER_SECOND,
        // MAX_MEMORY_BYTES), but their product can pass u64: take it in u128 and saturate.
        let share = |per_request: u64| {
            let v = u128::from(rps) * u128::from(per_request) / u128::from(ready);
            u64::try_from(v).unwrap_or(u64::MAX)
        };
        let cpu = self
            .base
            .cpu
            .0
            .saturating_add(share(self.cpu_per_request.0));
        let mem = self
            .base
            .memory
            .0
            .saturating_add(share(self.memory_per_request.0));
        Resources::new(cpu, mem)
    }
}

/// Traffic currently applied to a workload, and since when (patterns run from that moment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveTraffic {
    pub spec: TrafficSpec,
    pub since: SimTime,
}

impl ActiveTraffic {
    pub fn rps(&self, now: SimTime) -> u64 {
        self.spec.pattern.rps_at(now.saturating_sub(self.since))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_give_the_rate_over_time() {
        let m = SimDuration::from_mins;
        assert_eq!(TrafficPattern::Constant { rps: 100 }.rps_at(m(5)), 100);
        let ramp = TrafficPattern::Ramp {
            from: 100,
            to: 500,
            start: m(10),
            duration: m(20),
        };
        assert_eq!(ramp.rps_at(m(0)), 100);
        assert_eq!(ramp.rps_at(m(20)), 300);
        assert_eq!(ramp.rps_at(m(40)), 500);
        let spike = TrafficPattern::Spike {
            base: 50,
            peak: 800,
            at: m(10),
            duration: m(5),
        };
        assert_eq!(
            (
                spike.rps_at(m(9)),
                spike.rps_at(m(10)),
                spike.rps_at(m(14)),
                spike.rps_at(m(15))
            ),
            (50, 800, 800, 50)
        );
        let day = TrafficPattern::Diurnal {
            min: 100,
            max: 1100,
            peak_hour: 14,
        };
        assert_eq!(day.rps_at(SimDuration::from_hours(14)), 1100);
        assert_eq!(day.rps_at(SimDuration::from_hours(2)), 100);
        assert_eq!(day.rps_at(SimDuration::from_hours(8)), 600);
        assert_eq!(day.rps_at(SimDuration::from_hours(38)), 1100);
        let steps = TrafficPattern::Steps(vec![(m(0), 10), (m(5), 20), (m(10), 0)]);
        assert_eq!(
            (steps.rps_at(m(1)), steps.rps_at(m(5)), steps.rps_at(m(11))),
            (10, 20, 0)
        );
    }

    #[test]
    fn usage_spreads_the_load_over_ready_pods() {
        let t = TrafficSpec::with_pattern(
            super::super::api::ObjectKey::new("default", "web"),
            TrafficPattern::Constant { rps: 100 },
        );
        // 100 req/s × 10 ms = 1000m, over 2 pods = 500m each, plus 10m idle.
        assert_eq!(t.usage_per_pod(100, 2).cpu, MilliCpu(510));
        assert_eq!(t.usage_per_pod(100, 0), t.base);
        // The largest rate times the largest in-flight memory passes u64: it saturates.
        let mut big = t.clone();
        big.memory_per_request = Bytes(crate::limits::MAX_MEMORY_BYTES);
        assert_eq!(
            big.usage_per_pod(crate::limits::MAX_REQUESTS_PER_SECOND, 1)
                .memory,
            Bytes(u64::MAX)
        );
        assert_eq!(
            big.usage_per_pod(crate::limits::MAX_REQUESTS_PER_SECOND, 10_000)
                .memory
                .0,
            // 64 MiB idle + 64 TiB × 1,000,000 req/s ÷ 10,000 pods.
            7_036_874_484_875_264
        );
    }
}
