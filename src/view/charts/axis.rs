//! The charts' axes as plotters coordinates: simulated time with ticks on whole minutes, hours
//! and days (labelled `30m`, `2h`, `1d2h`), and value axes from zero whose top is a round
//! tick above the data, labelled in the axis's unit (`$0.50`, `4`, `1.5`).

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};

use super::format_sim_time;
use crate::view::format::group_thousands;

/// Time tick steps in seconds, smallest first: minutes, hours, days, a week.
const TIME_STEPS: [u64; 15] = [
    60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 345_600,
    604_800,
];

/// Simulated time in seconds, from `start` to `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeAxis {
    start: u64,
    end: u64,
}

impl TimeAxis {
    /// An axis from `start` to `end` seconds (at least one minute long).
    pub fn new(start: u64, end: u64) -> TimeAxis {
        TimeAxis {
            start,
            end: end.max(start + 60),
        }
    }

    /// The tick positions: multiples of the smallest step in `TIME_STEPS` (or a multiple of a
    /// week) that gives at most `max` ticks.
    pub fn ticks(&self, max: usize) -> Vec<u64> {
        if max == 0 {
            return Vec::new();
        }
        let span = self.end - self.start;
        let fits = |step: u64| span / step < max as u64;
        let step = TIME_STEPS
            .iter()
            .copied()
            .find(|s| fits(*s))
            .unwrap_or_else(|| {
                let mut s = TIME_STEPS[TIME_STEPS.len() - 1];
                while !fits(s) {
                    s *= 2;
                }
                s
            });
        let mut t = self.start.div_ceil(step) * step;
        let mut out = Vec::new();
        while t <= self.end {
            out.push(t);
            t += step;
        }
        out
    }
}

impl Ranged for TimeAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = u64;

    fn map(&self, value: &u64, limit: (i32, i32)) -> i32 {
        let frac = (value.saturating_sub(self.start)) as f64 / (self.end - self.start) as f64;
        lerp(limit, frac)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<u64> {
        self.ticks(hint.max_num_points())
    }

    fn range(&self) -> Range<u64> {
        self.start..self.end
    }
}

impl ValueFormatter<u64> for TimeAxis {
    fn format(value: &u64) -> String {
        format_sim_time(*value)
    }
}

/// What a value axis counts, which decides its tick labels and its smallest top.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Whole things: nodes, pods.
    Count,
    /// US dollars: `$0.05`, `$12`.
    Usd,
    /// vCPU cores.
    Cores,
    /// Memory in GiB.
    Gib,
}

impl Unit {
    /// The top of an axis with nothing on it yet.
    fn min_top(self) -> f64 {
        match self {
            Unit::Count => 5.0,
            Unit::Usd => 0.01,
            Unit::Cores | Unit::Gib => 1.0,
        }
    }

    /// The smallest tick step: whole things are counted in ones.
    fn min_step(self) -> f64 {
        match self {
            Unit::Count => 1.0,
            Unit::Usd => 0.001,
            Unit::Cores | Unit::Gib => 0.1,
        }
    }
}

/// A value axis from zero to `top`, with ticks every `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueAxis {
    top: f64,
    step: f64,
    unit: Unit,
}

impl ValueAxis {
    /// The axis for data up to `max_value`: the top is the first tick at or above the data
    /// plus 5% headroom (so a line at the maximum does not hide in the frame), with a 1-2-5
    /// step that gives at most `max_ticks` ticks besides zero.
    pub fn fit(max_value: f64, max_ticks: usize, unit: Unit) -> ValueAxis {
        let v = if max_value.is_finite() {
            (max_value.max(0.0) * 1.05).max(unit.min_top())
        } else {
            unit.min_top()
        };
        let intervals = max_ticks.max(1) as f64;
        let mut decade = unit.min_step();
        // Forty decades cover every finite f64 above the smallest step.
        for _ in 0..40 {
            for m in [1.0, 2.0, 5.0] {
                let step = m * decade;
                let n = (v / step - 1e-9).ceil().max(1.0);
                if n <= intervals {
                    return ValueAxis {
                        top: n * step,
                        step,
                        unit,
                    };
                }
            }
            decade *= 10.0;
        }
        ValueAxis {
            top: v,
            step: v,
            unit,
        }
    }

    /// The value at the top of the axis.
    pub fn top(&self) -> f64 {
        self.top
    }

    /// The distance between ticks.
    pub fn step(&self) -> f64 {
        self.step
    }

    /// The tick positions from zero to the top.
    pub fn ticks(&self) -> Vec<f64> {
        let n = (self.top / self.step).round() as u64;
        (0..=n).map(|i| i as f64 * self.step).collect()
    }

    /// A tick label: as many decimals as the step needs, with `$` for money.
    pub fn label(&self, v: f64) -> String {
        let decimals = decimals(self.step);
        match self.unit {
            Unit::Usd if decimals == 0 => format!("${}", group_thousands(v.round() as u64)),
            Unit::Usd => format!("${:.*}", decimals.max(2), v),
            Unit::Count if v >= 10_000.0 => group_thousands(v.round() as u64),
            _ => format!("{v:.decimals$}"),
        }
    }
}

/// How many decimals show `step` exactly (at most six).
fn decimals(step: f64) -> usize {
    let mut d = 0;
    let mut s = step;
    while d < 6 && (s - s.round()).abs() > 1e-6 * s.max(1.0) {
        s *= 10.0;
        d += 1;
    }
    d
}

impl Ranged for ValueAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        lerp(limit, value / self.top)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        let ticks = self.ticks();
        if hint.max_num_points() < ticks.len() {
            // Light mesh lines are switched off (their hint is zero); bold ticks always fit.
            return Vec::new();
        }
        ticks
    }

    fn range(&self) -> Range<f64> {
        0.0..self.top
    }
}

impl ValueFormatter<f64> for ValueAxis {
    fn format(value: &f64) -> String {
        format!("{value}")
    }

    fn format_ext(&self, value: &f64) -> String {
        self.label(*value)
    }
}

/// The pixel at fraction `frac` of the way from `limit.0` to `limit.1`.
fn lerp(limit: (i32, i32), frac: f64) -> i32 {
    let frac = if frac.is_finite() { frac } else { 0.0 };
    (f64::from(limit.0) + f64::from(limit.1 - limit.0) * frac).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "{got} != {want}");
    }

    #[test]
    fn time_ticks_fall_on_round_durations() {
        let a = TimeAxis::new(0, 600);
        assert_eq!(a.ticks(6), vec![0, 120, 240, 360, 480, 600]);
        let a = TimeAxis::new(0, 3 * 3600);
        assert_eq!(a.ticks(8), vec![0, 1800, 3600, 5400, 7200, 9000, 10_800]);
        let a = TimeAxis::new(0, 3 * 86_400 + 100);
        assert_eq!(
            a.ticks(8),
            vec![0, 43_200, 86_400, 129_600, 172_800, 216_000, 259_200]
        );
        let a = TimeAxis::new(0, 400 * 86_400);
        assert!(a.ticks(5).len() <= 5);
        assert!(TimeAxis::new(0, 600).ticks(0).is_empty());
    }

    #[test]
    fn time_ticks_start_at_the_first_round_time() {
        let a = TimeAxis::new(90, 700);
        assert_eq!(a.ticks(6), vec![120, 240, 360, 480, 600]);
    }

    #[test]
    fn value_axis_covers_the_data_with_round_steps() {
        let a = ValueAxis::fit(5.0, 5, Unit::Count);
        close(a.top(), 6.0);
        close(a.step(), 2.0);
        assert_eq!(a.ticks().len(), 4);
        for (t, want) in a.ticks().into_iter().zip([0.0, 2.0, 4.0, 6.0]) {
            close(t, want);
        }
        let a = ValueAxis::fit(42.0, 5, Unit::Count);
        close(a.top(), 50.0);
        close(a.step(), 10.0);
        let a = ValueAxis::fit(0.0, 5, Unit::Count);
        close(a.top(), 5.0);
        close(a.step(), 1.0);
        let a = ValueAxis::fit(1.37, 5, Unit::Usd);
        assert!(a.top() >= 1.37 * 1.05 && a.top() <= 2.0, "{a:?}");
        assert_eq!(a.label(0.5), "$0.50");
        let a = ValueAxis::fit(2_345.0, 5, Unit::Usd);
        assert_eq!(a.label(1000.0), "$1,000");
        let a = ValueAxis::fit(0.004, 5, Unit::Usd);
        close(a.top(), 0.01);
        assert_eq!(a.label(0.005), "$0.005");
        let a = ValueAxis::fit(3.86, 4, Unit::Cores);
        close(a.top(), 6.0);
        assert_eq!(a.label(2.0), "2");
        let a = ValueAxis::fit(f64::NAN, 4, Unit::Gib);
        close(a.top(), 1.0);
        for v in [0.3, 7.0, 99.0, 1e9] {
            for n in 1..8 {
                let a = ValueAxis::fit(v, n, Unit::Cores);
                assert!(a.top() >= v, "{v} {n}");
                assert!(a.ticks().len() <= n + 1, "{v} {n} {a:?}");
            }
        }
    }

    #[test]
    fn map_spans_the_pixel_range() {
        let a = ValueAxis::fit(5.0, 5, Unit::Count);
        assert_eq!(a.map(&0.0, (300, 0)), 300);
        assert_eq!(a.map(&6.0, (300, 0)), 0);
        let t = TimeAxis::new(0, 600);
        assert_eq!(t.map(&300, (0, 1000)), 500);
    }
}
