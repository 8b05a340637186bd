//! Scaling behavior: what happens to the calculator's proposal before the HPA scales, as
//! upstream's `horizontal.go` does it. Without `spec.behavior` the controller keeps its
//! classic rules (`normalizeDesiredReplicas`): the highest recommendation of the last five
//! minutes, then at most max(2 × current, 4) replicas, then min/max. With a `behavior`
//! (`normalizeDesiredReplicasWithBehaviors`) each direction has its own stabilization window
//! and rate policies, counted over the scale events of each policy's period.
//!
//! Time comparisons follow Go's `Before`/`After` exactly: a recommendation made exactly one
//! window ago is outside a behavior's window but still inside the classic one.

use std::cmp::Ordering;
use std::fmt::Write;

use crate::sim::api::autoscaling::{
    HpaBehavior, HpaPolicy, PolicyType, ScalingRules, SelectPolicy,
};
use crate::sim::api::count;
use crate::sim::clock::{SimDuration, SimTime};

/// One unstabilized recommendation (`timestampedRecommendation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recommendation {
    pub replicas: u64,
    pub at: SimTime,
}

/// One rescale, kept for the policies' periods (`timestampedScaleEvent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleEvent {
    /// Pods added (scale-up list) or removed (scale-down list).
    pub change: u64,
    pub at: SimTime,
    pub outdated: bool,
}

/// What the controller remembers about one HPA between syncs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub recommendations: Vec<Recommendation>,
    pub scale_up: Vec<ScaleEvent>,
    pub scale_down: Vec<ScaleEvent>,
}

/// The outcome of normalization: the replicas to scale to, the `AbleToScale` and
/// `ScalingLimited` conditions it implies, and the steps in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub replicas: u64,
    /// `ReadyForNewScale`, `ScaleUpStabilized` or `ScaleDownStabilized`.
    pub able_reason: &'static str,
    pub able_message: &'static str,
    /// `ScalingLimited` is True when the replicas differ from the stabilized recommendation.
    pub limited: bool,
    pub limit_reason: &'static str,
    pub limit_message: &'static str,
    pub lines: Vec<String>,
}

const READY_FOR_NEW_SCALE: (&str, &str) =
    ("ReadyForNewScale", "recommended size matches current size");
const SCALE_UP_STABILIZED: (&str, &str) = (
    "ScaleUpStabilized",
    "recent recommendations were lower than current one, applying the lowest recent recommendation",
);
const SCALE_DOWN_STABILIZED: (&str, &str) = (
    "ScaleDownStabilized",
    "recent recommendations were higher than current one, applying the highest recent recommendation",
);
const SCALE_UP_LIMIT: (&str, &str) = (
    "ScaleUpLimit",
    "the desired replica count is increasing faster than the maximum scale rate",
);
const SCALE_DOWN_LIMIT: (&str, &str) = (
    "ScaleDownLimit",
    "the desired replica count is decreasing faster than the maximum scale rate",
);
const TOO_MANY_REPLICAS: (&str, &str) = (
    "TooManyReplicas",
    "the desired replica count is more than the maximum replica count",
);
const TOO_FEW_REPLICAS: (&str, &str) = (
    "TooFewReplicas",
    "the desired replica count is less than the minimum replica count",
);
const DESIRED_WITHIN_RANGE: (&str, &str) = (
    "DesiredWithinRange",
    "the desired count is within the acceptable range",
);

/// The classic scale-up limit's factor and floor (`scaleUpLimitFactor`, `scaleUpLimitMinimum`).
const SCALE_UP_LIMIT_FACTOR: u64 = 2;
const SCALE_UP_LIMIT_MINIMUM: u64 = 4;

/// `t` is before `now − window` (Go: `t.Before(now.Add(-window))`).
fn before_cutoff(t: SimTime, window: SimDuration, now: SimTime) -> bool {
    t.as_millis() + window.as_millis() < now.as_millis()
}

/// `t` is after `now − window` (Go: `t.After(now.Add(-window))`).
fn after_cutoff(t: SimTime, window: SimDuration, now: SimTime) -> bool {
    t.as_millis() + window.as_millis() > now.as_millis()
}

/// `recordInitialRecommendation`: the first sync remembers the current size.
pub fn record_initial(history: &mut History, current: u64, now: SimTime) {
    if history.recommendations.is_empty() {
        history.recommendations.push(Recommendation {
            replicas: current,
            at: now,
        });
    }
}

/// Replaces a recommendation that fell out of every window, or appends one.
fn remember(history: &mut History, old: Option<usize>, replicas: u64, now: SimTime) {
    let rec = Recommendation { replicas, at: now };
    match old {
        Some(i) => history.recommendations[i] = rec,
        None => history.recommendations.push(rec),
    }
}

/// The final bound in words.
fn bound_line(reason: &str, replicas: u64, min: u64, max: u64) -> String {
    match reason {
        "TooManyReplicas" => format!("capped at maxReplicas {max}: {replicas}"),
        "TooFewReplicas" => format!("raised to minReplicas {min}: {replicas}"),
        "ScaleUpLimit" => format!("held to the scale-up limit: {replicas}"),
        "ScaleDownLimit" => format!("held to the scale-down limit: {replicas}"),
        _ => format!("within {min}..{max}: {replicas}"),
    }
}

/// `normalizeDesiredReplicas`: the rules when the HPA has no `behavior`.
pub fn normalize_classic(
    history: &mut History,
    now: SimTime,
    current: u64,
    desired: u64,
    (min, max): (u64, u64),
    window: SimDuration,
) -> Normalized {
    // stabilizeRecommendation: the highest recommendation not older than the window.
    let mut stabilized = desired;
    let mut old = None;
    for (i, r) in history.recommendations.iter().enumerate() {
        if before_cutoff(r.at, window, now) {
            old = Some(i);
        } else if r.replicas > stabilized {
            stabilized = r.replicas;
        }
    }
    remember(history, old, desired, now);
    let mut lines = vec![stabilized_line(
        window,
        stabilized,
        desired,
        "the highest recommendation",
    )];
    let (able_reason, able_message) = if stabilized == desired {
        READY_FOR_NEW_SCALE
    } else {
        SCALE_DOWN_STABILIZED
    };
    // convertDesiredReplicasWithRules.
    let scale_up_limit = (SCALE_UP_LIMIT_FACTOR * current).max(SCALE_UP_LIMIT_MINIMUM);
    if stabilized > current {
        lines.push(format!(
            "scale-up limit max({SCALE_UP_LIMIT_FACTOR} × {current}, {SCALE_UP_LIMIT_MINIMUM}) = {scale_up_limit}"
        ));
    }
    let (maximum, over) = if max > scale_up_limit {
        (scale_up_limit, SCALE_UP_LIMIT)
    } else {
        (max, TOO_MANY_REPLICAS)
    };
    let (replicas, (limit_reason, limit_message)) = if stabilized < min {
        (min, TOO_FEW_REPLICAS)
    } else if stabilized > maximum {
        (maximum, over)
    } else {
        (stabilized, DESIRED_WITHIN_RANGE)
    };
    lines.push(bound_line(limit_reason, replicas, min, max));
    Normalized {
        replicas,
        able_reason,
        able_message,
        limited: replicas != stabilized,
        limit_reason,
        limit_message,
        lines,
    }
}

fn stabilized_line(window: SimDuration, stabilized: u64, desired: u64, which: &str) -> String {
    let secs = window.as_secs();
    if stabilized == desired {
        format!("stabilized (window {secs} s): {stabilized}")
    } else {
        format!("stabilized (window {secs} s): {stabilized}, {which} of the last {secs} s")
    }
}

/// The rules of each direction after the API server's defaulting and the controller's
/// `maybeInitScaleDownStabilizationWindow`.
fn directions(behavior: &HpaBehavior, default_down_window: SimDuration) -> (Rules, Rules) {
    let up = behavior.scale_up.scale_up_defaulted();
    let down = behavior.scale_down.scale_down_defaulted();
    (
        Rules::from(&up, SimDuration::ZERO),
        Rules::from(&down, default_down_window),
    )
}

/// One direction's rules with every default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rules {
    window: SimDuration,
    select: SelectPolicy,
    policies: Vec<HpaPolicy>,
}

impl Rules {
    fn from(r: &ScalingRules, default_window: SimDuration) -> Rules {
        Rules {
            window: r
                .stabilization_window_secs
                .map_or(default_window, |s| SimDuration::from_secs(count(s))),
            select: r.select_policy.unwrap_or(SelectPolicy::Max),
            policies: r.policies.clone(),
        }
    }

    fn longest_period(&self) -> SimDuration {
        SimDuration::from_secs(
            self.policies
                .iter()
                .map(|p| count(p.period_secs))
                .max()
                .unwrap_or(0),
        )
    }
}

/// `getReplicasChangePerPeriod`.
fn change_in_period(events: &[ScaleEvent], period: SimDuration, now: SimTime) -> i64 {
    events
        .iter()
        .filter(|e| after_cutoff(e.at, period, now))
        .map(|e| e.change as i64)
        .sum()
}

/// Which way a limit is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Up,
    Down,
}

/// `calculateScaleUpLimitWithScalingRules` / `calculateScaleDownLimitWithBehaviors`, with the
/// computation in words (`max(+4 pods → 6, 100% → 4) = 6`).
fn rate_limit(
    direction: Direction,
    current: u64,
    history: &History,
    rules: &Rules,
    now: SimTime,
) -> (i64, String) {
    let cur = current as i64;
    if rules.select == SelectPolicy::Disabled {
        return (cur, "disabled (selectPolicy: Disabled)".to_string());
    }
    // Max picks the biggest change: the highest limit up, the lowest limit down.
    let take_max = (rules.select == SelectPolicy::Max) == (direction == Direction::Up);
    let mut result: Option<i64> = None;
    let mut parts = Vec::new();
    for p in &rules.policies {
        let period = SimDuration::from_secs(count(p.period_secs));
        let start = cur - change_in_period(&history.scale_up, period, now)
            + change_in_period(&history.scale_down, period, now);
        let value = i64::from(p.value);
        let proposed = match (direction, p.type_) {
            (Direction::Up, PolicyType::Pods) => start + value,
            // Rounded up so that a small percentage still adds a pod.
            (Direction::Up, PolicyType::Percent) => (start * (100 + value) + 99).div_euclid(100),
            (Direction::Down, PolicyType::Pods) => start - value,
            // Go converts the float product to an integer: truncation toward zero.
            (Direction::Down, PolicyType::Percent) => start * (100 - value) / 100,
        };
        let sign = if direction == Direction::Up { "+" } else { "-" };
        let mut text = match p.type_ {
            PolicyType::Pods => format!(
                "{sign}{} pod{}",
                p.value,
                if p.value == 1 { "" } else { "s" }
            ),
            PolicyType::Percent => format!("{}%", p.value),
        };
        if p.period_secs != 15 {
            let _ = write!(text, " per {} s", p.period_secs);
        }
        if start != cur {
            let _ = write!(text, " from {start}");
        }
        parts.push(format!("{text} → {proposed}"));
        result = Some(match result {
            None => proposed,
            Some(r) if take_max => r.max(proposed),
            Some(r) => r.min(proposed),
        });
    }
    let result = result.unwrap_or(cur);
    let f = if take_max { "max" } else { "min" };
    (result, format!("{f}({}) = {result}", parts.join(", ")))
}

/// `normalizeDesiredReplicasWithBehaviors`.
pub fn normalize_with_behavior(
    history: &mut History,
    now: SimTime,
    behavior: &HpaBehavior,
    current: u64,
    desired: u64,
    (min, max): (u64, u64),
    default_down_window: SimDuration,
) -> Normalized {
    let (up, down) = directions(behavior, default_down_window);
    // stabilizeRecommendationWithBehaviors.
    let mut up_rec = desired;
    let mut down_rec = desired;
    let mut old = None;
    for (i, r) in history.recommendations.iter().enumerate() {
        if after_cutoff(r.at, up.window, now) {
            up_rec = up_rec.min(r.replicas);
        }
        if after_cutoff(r.at, down.window, now) {
            down_rec = down_rec.max(r.replicas);
        }
        if before_cutoff(r.at, up.window, now) && before_cutoff(r.at, down.window, now) {
            old = Some(i);
        }
    }
    let stabilized = current.max(up_rec).min(down_rec);
    remember(history, old, desired, now);
    let scaling_up = desired >= current;
    let (window, which) = if scaling_up {
        (up.window, "the lowest recommendation")
    } else {
        (down.window, "the highest recommendation")
    };
    let mut lines = vec![stabilized_line(window, stabilized, desired, which)];
    let (able_reason, able_message) = if stabilized == desired {
        READY_FOR_NEW_SCALE
    } else if scaling_up {
        SCALE_UP_STABILIZED
    } else {
        SCALE_DOWN_STABILIZED
    };
    // convertDesiredReplicasWithBehaviorRate.
    let (replicas, (limit_reason, limit_message)) = match stabilized.cmp(&current) {
        Ordering::Greater => {
            let (limit, text) = rate_limit(Direction::Up, current, history, &up, now);
            lines.push(format!("scale-up limit {text}"));
            let limit = limit.max(current as i64) as u64;
            let (maximum, over) = if max > limit {
                (limit, SCALE_UP_LIMIT)
            } else {
                (max, TOO_MANY_REPLICAS)
            };
            if stabilized > maximum {
                (maximum, over)
            } else {
                (stabilized, DESIRED_WITHIN_RANGE)
            }
        }
        Ordering::Less => {
            let (limit, text) = rate_limit(Direction::Down, current, history, &down, now);
            lines.push(format!("scale-down limit {text}"));
            let limit = limit.min(current as i64);
            let (minimum, under) = if (min as i64) < limit {
                (limit as u64, SCALE_DOWN_LIMIT)
            } else {
                (min, TOO_FEW_REPLICAS)
            };
            if stabilized < minimum {
                (minimum, under)
            } else {
                (stabilized, DESIRED_WITHIN_RANGE)
            }
        }
        Ordering::Equal => (stabilized, DESIRED_WITHIN_RANGE),
    };
    lines.push(bound_line(limit_reason, replicas, min, max));
    Normalized {
        replicas,
        able_reason,
        able_message,
        limited: replicas != stabilized,
        limit_reason,
        limit_message,
        lines,
    }
}

/// `storeScaleEvent`: only HPAs with a `behavior` keep scale events; an event older than the
/// direction's longest policy period is reused for the new one.
pub fn store_scale_event(
    history: &mut History,
    behavior: Option<&HpaBehavior>,
    default_down_window: SimDuration,
    now: SimTime,
    previous: u64,
    new: u64,
) {
    let Some(b) = behavior else {
        return;
    };
    let (up, down) = directions(b, default_down_window);
    let (events, longest, change) = if new > previous {
        (&mut history.scale_up, up.longest_period(), new - previous)
    } else {
        (
            &mut history.scale_down,
            down.longest_period(),
            previous - new,
        )
    };
    let mut old = None;
    for (i, e) in events.iter_mut().enumerate() {
        if before_cutoff(e.at, longest, now) {
            e.outdated = true;
        }
        if e.outdated {
            old = Some(i);
        }
    }
    let event = ScaleEvent {
        change,
        at: now,
        outdated: false,
    };
    match old {
        Some(i) => events[i] = event,
        None => events.push(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: u64) -> SimTime {
        SimTime::from_secs(s)
    }

    fn recs(list: &[(u64, u64)]) -> History {
        History {
            recommendations: list
                .iter()
                .map(|&(replicas, s)| Recommendation {
                    replicas,
                    at: at(s),
                })
                .collect(),
            ..History::default()
        }
    }

    const FIVE_MIN: SimDuration = SimDuration::from_secs(300);

    #[test]
    fn classic_rules_keep_the_highest_recent_recommendation_and_limit_growth() {
        type Case<'a> = (&'a [(u64, u64)], u64, u64, u64, u64, u64, u64, &'a str);
        // (recommendations, now, current, desired, min, max) → (replicas, limit reason)
        let cases: [Case<'_>; 7] = [
            // Scale-up limit max(2 × 2, 4) = 4.
            (&[(2, 0)], 15, 2, 20, 1, 10, 4, "ScaleUpLimit"),
            // max(2 × 5, 4) = 10, but maxReplicas is 8.
            (&[(5, 0)], 15, 5, 20, 1, 8, 8, "TooManyReplicas"),
            // A recommendation of 6 made 285 s ago is still in the window.
            (&[(6, 15)], 300, 6, 2, 1, 10, 6, "DesiredWithinRange"),
            // Made exactly 300 s ago: still in (Go's Before is strict).
            (&[(6, 0)], 300, 6, 2, 1, 10, 6, "DesiredWithinRange"),
            // 301 s ago: out; the drop goes through.
            (&[(6, 0)], 301, 6, 2, 1, 10, 2, "DesiredWithinRange"),
            // Below the minimum even after stabilization.
            (&[(1, 0)], 400, 2, 1, 2, 10, 2, "TooFewReplicas"),
            (&[(3, 0)], 15, 3, 3, 1, 10, 3, "DesiredWithinRange"),
        ];
        for (list, now, current, desired, min, max, want, reason) in cases {
            let mut h = recs(list);
            let n = normalize_classic(&mut h, at(now), current, desired, (min, max), FIVE_MIN);
            assert_eq!(
                (n.replicas, n.limit_reason),
                (want, reason),
                "{list:?} now {now}"
            );
        }
    }

    #[test]
    fn classic_stabilization_replaces_an_expired_recommendation() {
        let mut h = recs(&[(6, 0), (5, 100)]);
        normalize_classic(&mut h, at(400), 5, 2, (1, 10), FIVE_MIN);
        assert_eq!(
            h.recommendations,
            [
                Recommendation {
                    replicas: 2,
                    at: at(400)
                },
                Recommendation {
                    replicas: 5,
                    at: at(100)
                }
            ]
        );
    }

    #[test]
    fn default_behavior_allows_max_of_double_and_four_more_per_15_seconds() {
        let b = HpaBehavior::default();
        for (current, want, line) in [
            (2, 6, "scale-up limit max(+4 pods → 6, 100% → 4) = 6"),
            (6, 12, "scale-up limit max(+4 pods → 10, 100% → 12) = 12"),
            (1, 5, "scale-up limit max(+4 pods → 5, 100% → 2) = 5"),
        ] {
            let mut h = History::default();
            let n = normalize_with_behavior(&mut h, at(0), &b, current, 100, (1, 50), FIVE_MIN);
            assert_eq!(n.replicas, want);
            assert_eq!(n.limit_reason, "ScaleUpLimit");
            assert_eq!(n.lines[1], line);
        }
    }

    #[test]
    fn scale_events_within_a_period_count_against_the_policy() {
        let b = HpaBehavior {
            scale_down: ScalingRules {
                policies: vec![HpaPolicy {
                    type_: PolicyType::Pods,
                    value: 1,
                    period_secs: 60,
                }],
                stabilization_window_secs: Some(0),
                ..ScalingRules::default()
            },
            ..HpaBehavior::default()
        };
        let mut h = History::default();
        // t=0: 6 → 5 allowed.
        let n = normalize_with_behavior(&mut h, at(0), &b, 6, 1, (1, 10), FIVE_MIN);
        assert_eq!((n.replicas, n.limit_reason), (5, "ScaleDownLimit"));
        store_scale_event(&mut h, Some(&b), FIVE_MIN, at(0), 6, 5);
        // t=15 and t=45: the period still holds the event; no further step.
        for t in [15, 45] {
            let n = normalize_with_behavior(&mut h, at(t), &b, 5, 1, (1, 10), FIVE_MIN);
            assert_eq!(n.replicas, 5, "t={t}");
            assert_eq!(
                n.lines[1],
                "scale-down limit min(-1 pod per 60 s from 6 → 5) = 5"
            );
        }
        // t=60: the event is exactly one period old and no longer counts.
        let n = normalize_with_behavior(&mut h, at(60), &b, 5, 1, (1, 10), FIVE_MIN);
        assert_eq!(n.replicas, 4);
    }

    #[test]
    fn select_policy_min_and_disabled() {
        let mut rules = ScalingRules {
            select_policy: Some(SelectPolicy::Min),
            ..ScalingRules::default()
        };
        let b = HpaBehavior {
            scale_up: rules.clone(),
            ..HpaBehavior::default()
        };
        let n =
            normalize_with_behavior(&mut History::default(), at(0), &b, 2, 20, (1, 50), FIVE_MIN);
        assert_eq!(n.replicas, 4, "min(+4 → 6, 100% → 4)");
        rules.select_policy = Some(SelectPolicy::Disabled);
        let b = HpaBehavior {
            scale_up: rules,
            ..HpaBehavior::default()
        };
        let n =
            normalize_with_behavior(&mut History::default(), at(0), &b, 2, 20, (1, 50), FIVE_MIN);
        assert_eq!((n.replicas, n.limit_reason), (2, "ScaleUpLimit"));
    }

    #[test]
    fn behavior_windows_exclude_a_recommendation_exactly_one_window_old() {
        let b = HpaBehavior::default();
        // Default scale-down window (300 s from the controller flag).
        let mut h = recs(&[(6, 0)]);
        let n = normalize_with_behavior(&mut h, at(299), &b, 6, 2, (1, 10), FIVE_MIN);
        assert_eq!((n.replicas, n.able_reason), (6, "ScaleDownStabilized"));
        let mut h = recs(&[(6, 0)]);
        let n = normalize_with_behavior(&mut h, at(300), &b, 6, 2, (1, 10), FIVE_MIN);
        assert_eq!((n.replicas, n.able_reason), (2, "ReadyForNewScale"));
        // A scale-up window holds the lowest recent recommendation.
        let b = HpaBehavior {
            scale_up: ScalingRules {
                stabilization_window_secs: Some(60),
                ..ScalingRules::default()
            },
            ..HpaBehavior::default()
        };
        let mut h = recs(&[(3, 30)]);
        let n = normalize_with_behavior(&mut h, at(60), &b, 2, 8, (1, 10), FIVE_MIN);
        assert_eq!((n.replicas, n.able_reason), (3, "ScaleUpStabilized"));
    }

    #[test]
    fn percent_limits_round_like_upstream() {
        let rules = |type_, value| Rules {
            window: SimDuration::ZERO,
            select: SelectPolicy::Max,
            policies: vec![HpaPolicy {
                type_,
                value,
                period_secs: 15,
            }],
        };
        let h = History::default();
        // Up: ceil(3 × 1.1) = 4; down: trunc(3 × 0.5) = 1.
        assert_eq!(
            rate_limit(Direction::Up, 3, &h, &rules(PolicyType::Percent, 10), at(0)).0,
            4
        );
        assert_eq!(
            rate_limit(
                Direction::Up,
                10,
                &h,
                &rules(PolicyType::Percent, 10),
                at(0)
            )
            .0,
            11
        );
        assert_eq!(
            rate_limit(
                Direction::Down,
                3,
                &h,
                &rules(PolicyType::Percent, 50),
                at(0)
            )
            .0,
            1
        );
    }
}
