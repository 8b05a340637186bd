//! Simulated time: integer milliseconds since the start of a lab, and the calendar it maps to.
//!
//! The simulation never reads the wall clock. `SimTime` is a plain `u64` of milliseconds since
//! `SimTime::EPOCH`; the scenario's start date turns it into a UTC calendar date, which decides
//! Kubernetes version support status (eks-facts §5).

use std::fmt;

/// The fixed simulation step: one second of simulated time.
pub const TICK: SimDuration = SimDuration::from_secs(1);

/// A point in simulated time, in milliseconds since the lab started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub u64);

/// A span of simulated time in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimDuration(pub u64);

impl SimTime {
    pub const EPOCH: SimTime = SimTime(0);

    /// Saturating, like every conversion here: a time too far to hold is the end of time,
    /// never a wrapped one (the parsers refuse such input first).
    pub const fn from_secs(s: u64) -> Self {
        SimTime(s.saturating_mul(1000))
    }
    pub const fn from_mins(m: u64) -> Self {
        SimTime(m.saturating_mul(60_000))
    }
    pub const fn as_millis(self) -> u64 {
        self.0
    }
    pub const fn as_secs(self) -> u64 {
        self.0 / 1000
    }
    #[must_use]
    pub const fn saturating_sub(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl std::ops::Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, d: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }
}

impl std::ops::AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, d: SimDuration) {
        self.0 = self.0.saturating_add(d.0);
    }
}

impl SimDuration {
    pub const ZERO: SimDuration = SimDuration(0);
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms)
    }
    /// Saturating (see [`SimTime::from_secs`]).
    pub const fn from_secs(s: u64) -> Self {
        SimDuration(s.saturating_mul(1000))
    }
    pub const fn from_mins(m: u64) -> Self {
        SimDuration(m.saturating_mul(60_000))
    }
    pub const fn from_hours(h: u64) -> Self {
        SimDuration(h.saturating_mul(3_600_000))
    }
    pub const fn as_millis(self) -> u64 {
        self.0
    }
    pub const fn as_secs(self) -> u64 {
        self.0 / 1000
    }

    /// Parses durations the way kubectl and eksctl flags write them: `90s`, `15m`, `2h`,
    /// `1h30m`, `3d`, `500ms`. A bare number means seconds. A duration too long for the
    /// lab's milliseconds is refused, never wrapped.
    pub fn parse(text: &str) -> Result<SimDuration, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("empty duration".to_string());
        }
        if let Ok(secs) = t.parse::<u64>() {
            return secs
                .checked_mul(1000)
                .map(SimDuration)
                .ok_or_else(|| format!("invalid duration {t:?}: too long"));
        }
        let mut total: u64 = 0;
        let mut rest = t;
        while !rest.is_empty() {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if digits == 0 {
                return Err(format!(
                    "invalid duration {t:?}: expected a number followed by ms, s, m, h or d"
                ));
            }
            let value: u64 = rest[..digits]
                .parse()
                .map_err(|_| format!("invalid duration {t:?}: number too large"))?;
            rest = &rest[digits..];
            let unit_len = rest.chars().take_while(char::is_ascii_alphabetic).count();
            let unit = &rest[..unit_len];
            rest = &rest[unit_len..];
            let ms_per = match unit {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => {
                    return Err(format!(
                        "invalid duration {t:?}: unknown unit {unit:?} (use ms, s, m, h or d)"
                    ));
                }
            };
            total = value
                .checked_mul(ms_per)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| format!("invalid duration {t:?}: too long"))?;
        }
        Ok(SimDuration(total))
    }

    /// The duration as the timeline writes it and [`SimDuration::parse`] reads it back: `2h`,
    /// `1h30m`, `45s`, `1m30s500ms`, `0s`.
    pub fn text(self) -> String {
        let ms = self.as_millis();
        if ms == 0 {
            return "0s".to_string();
        }
        let parts = [
            (ms / 3_600_000, "h"),
            (ms / 60_000 % 60, "m"),
            (ms / 1000 % 60, "s"),
            (ms % 1000, "ms"),
        ];
        parts
            .iter()
            .filter(|(v, _)| *v > 0)
            .map(|(v, u)| format!("{v}{u}"))
            .collect::<Vec<_>>()
            .concat()
    }
}

impl std::ops::Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, o: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(o.0))
    }
}

impl std::ops::Add for SimDuration {
    type Output = SimDuration;
    fn add(self, o: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(o.0))
    }
}

/// Elapsed time as a learner reads it: `2d 04:13:05`, or `04:13:05` under a day.
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.as_secs();
        let (days, hours, mins, secs) = (
            total / 86_400,
            total / 3600 % 24,
            total / 60 % 60,
            total % 60,
        );
        if days > 0 {
            write!(f, "{days}d {hours:02}:{mins:02}:{secs:02}")
        } else {
            write!(f, "{hours:02}:{mins:02}:{secs:02}")
        }
    }
}

/// Ages as kubectl prints them: a port of apimachinery's `duration.HumanDuration`
/// (`45s`, `2m30s`, `150m`, `3h5m`, `30h`, `2d4h`, `8d`, `2y15d`).
impl fmt::Display for SimDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.as_secs();
        if secs < 120 {
            return write!(f, "{secs}s");
        }
        let mins = secs / 60;
        if mins < 10 {
            let s = secs % 60;
            return if s == 0 {
                write!(f, "{mins}m")
            } else {
                write!(f, "{mins}m{s}s")
            };
        }
        if mins < 180 {
            return write!(f, "{mins}m");
        }
        let hours = secs / 3600;
        if hours < 8 {
            let m = mins % 60;
            return if m == 0 {
                write!(f, "{hours}h")
            } else {
                write!(f, "{hours}h{m}m")
            };
        }
        if hours < 48 {
            return write!(f, "{hours}h");
        }
        if hours < 24 * 8 {
            let h = hours % 24;
            return if h == 0 {
                write!(f, "{}d", hours / 24)
            } else {
                write!(f, "{}d{h}h", hours / 24)
            };
        }
        if hours < 24 * 365 * 2 {
            return write!(f, "{}d", hours / 24);
        }
        let (years, days) = (hours / 24 / 365, hours / 24 % 365);
        if hours < 24 * 365 * 8 && days != 0 {
            write!(f, "{years}y{days}d")
        } else {
            write!(f, "{years}y")
        }
    }
}

/// A UTC calendar date, kept as days since 1970-01-01 so comparisons are integer comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

impl Date {
    /// Days since the Unix epoch for a proleptic Gregorian date (Howard Hinnant's algorithm).
    pub const fn from_ymd(y: i64, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m as i64 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    pub const fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let err = || format!("invalid date {text:?}: expected YYYY-MM-DD");
        let mut parts = text.trim().splitn(3, '-');
        let y: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let m: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let d: u32 = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=2200).contains(&y) {
            return Err(err());
        }
        let date = Date::from_ymd(y, m, d);
        if date.ymd() != (y, m, d) {
            return Err(format!("invalid date {text:?}: no such day"));
        }
        Ok(date)
    }

    #[must_use]
    pub const fn add_days(self, days: i64) -> Date {
        Date(self.0.saturating_add(days))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_what_parse_reads_back() {
        for (ms, text) in [
            (0, "0s"),
            (45_000, "45s"),
            (90_500, "1m30s500ms"),
            (5_400_000, "1h30m"),
            (86_400_000 * 3, "72h"),
        ] {
            let d = SimDuration::from_millis(ms);
            assert_eq!(d.text(), text);
            assert_eq!(SimDuration::parse(text), Ok(d));
        }
        // The longest duration the lab holds still reads back.
        let max = SimDuration::from_millis(u64::MAX);
        assert_eq!(SimDuration::parse(&max.text()), Ok(max));
    }

    #[test]
    fn parses_kubectl_style_durations() {
        assert_eq!(SimDuration::parse("90s"), Ok(SimDuration::from_secs(90)));
        assert_eq!(SimDuration::parse("1h30m"), Ok(SimDuration::from_mins(90)));
        assert_eq!(SimDuration::parse("24h"), Ok(SimDuration::from_hours(24)));
        assert_eq!(SimDuration::parse("2d"), Ok(SimDuration::from_hours(48)));
        assert_eq!(
            SimDuration::parse("250ms"),
            Ok(SimDuration::from_millis(250))
        );
        assert_eq!(SimDuration::parse("30"), Ok(SimDuration::from_secs(30)));
        assert!(
            SimDuration::parse("5x")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(SimDuration::parse("h").is_err());
        assert!(SimDuration::parse("").is_err());
        assert!(SimDuration::parse("99999999999999999999d").is_err());
        // At the edge of u64 milliseconds and one past it: refused, never wrapped.
        assert_eq!(
            SimDuration::parse("18446744073709551"),
            Ok(SimDuration(18_446_744_073_709_551_000))
        );
        for long in [
            "18446744073709552",
            "213503982335d",
            "5124095576031h",
            "1ms18446744073709551615ms",
        ] {
            assert_eq!(
                SimDuration::parse(long),
                Err(format!("invalid duration {long:?}: too long")),
                "{long}"
            );
        }
        assert_eq!(SimDuration::from_secs(u64::MAX), SimDuration(u64::MAX));
        assert_eq!(SimTime::from_mins(u64::MAX), SimTime(u64::MAX));
    }

    #[test]
    fn elapsed_time_reads_like_a_stopwatch() {
        assert_eq!(SimTime::from_secs(3725).to_string(), "01:02:05");
        assert_eq!(
            SimTime::from_secs(2 * 86_400 + 4 * 3600 + 13 * 60 + 5).to_string(),
            "2d 04:13:05"
        );
    }

    #[test]
    fn durations_read_like_kubectl_ages() {
        assert_eq!(SimDuration::from_secs(45).to_string(), "45s");
        assert_eq!(SimDuration::from_secs(150).to_string(), "2m30s");
        assert_eq!(SimDuration::from_mins(12).to_string(), "12m");
        assert_eq!(SimDuration::from_mins(150).to_string(), "150m");
        assert_eq!(SimDuration::from_mins(185).to_string(), "3h5m");
        assert_eq!(SimDuration::from_hours(8).to_string(), "8h");
        assert_eq!(SimDuration::from_hours(24 * 10).to_string(), "10d");
        assert_eq!(SimDuration::from_hours(24 * 745).to_string(), "2y15d");
        assert_eq!(SimDuration::from_hours(30).to_string(), "30h");
        assert_eq!(SimDuration::from_hours(52).to_string(), "2d4h");
    }

    #[test]
    fn calendar_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2026, 11, 25), (2027, 12, 31)] {
            assert_eq!(Date::from_ymd(y, m, d).ymd(), (y, m, d));
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Date(0));
        assert_eq!(Date::parse("2026-11-26").unwrap().to_string(), "2026-11-26");
        assert!(Date::parse("2026-02-30").is_err());
        assert!(Date::parse("yesterday").is_err());
    }
}
