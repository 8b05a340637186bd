//! Ages and timestamps as kubectl prints them, on the lab's calendar.
//!
//! The simulation has no wall clock: an instant is milliseconds since the lab started, and the
//! lab's `start_date` (midnight UTC) anchors it to a calendar date.

use crate::sim::clock::{Date, SimDuration, SimTime};

/// `duration.HumanDuration` from k8s.io/apimachinery: ~2–3 significant figures, the AGE column.
///
/// `SimDuration`'s own `Display` differs between 10 minutes and 3 hours (it prints `2h30m`
/// where kubectl prints `150m`) and never switches to years, so kubectl views use this.
pub fn human_duration(d: SimDuration) -> String {
    let seconds = d.as_secs();
    if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// Time elapsed from `then` to `now`, as the AGE column prints it.
pub fn age(now: SimTime, then: SimTime) -> String {
    human_duration(now.saturating_sub(then))
}

/// A calendar instant: the UTC date and the time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarTime {
    pub date: Date,
    pub hour: u64,
    pub minute: u64,
    pub second: u64,
    pub millis: u64,
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl CalendarTime {
    /// The instant `t` of a lab that started at midnight UTC on `start`.
    pub fn at(start: Date, t: SimTime) -> CalendarTime {
        let secs = t.as_secs();
        CalendarTime {
            date: start.add_days((secs / 86_400) as i64),
            hour: secs / 3600 % 24,
            minute: secs / 60 % 60,
            second: secs % 60,
            millis: t.as_millis() % 1000,
        }
    }

    /// Day of the week, 0 = Sunday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> usize {
        (self.date.0 + 4).rem_euclid(7) as usize
    }

    /// Go's `time.RFC1123Z`: `Sun, 01 Nov 2026 00:12:40 +0000` (kubectl describe).
    pub fn rfc1123z(self) -> String {
        let (y, m, d) = self.date.ymd();
        format!(
            "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} +0000",
            WEEKDAYS[self.weekday()],
            MONTHS[(m - 1) as usize],
            self.hour,
            self.minute,
            self.second
        )
    }

    /// RFC 3339 in UTC: `2026-11-01T00:12:40Z` (API timestamps, eksctl's CREATED).
    pub fn rfc3339(self) -> String {
        let (y, m, d) = self.date.ymd();
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            self.hour, self.minute, self.second
        )
    }

    /// The AWS CLI's ISO 8601 form: `2026-11-01T00:12:40.000000+00:00`.
    pub fn aws_cli(self) -> String {
        let (y, m, d) = self.date.ymd();
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}000+00:00",
            self.hour, self.minute, self.second, self.millis
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> SimDuration {
        SimDuration::from_secs(s)
    }

    #[test]
    fn ages_match_apimachinery_human_duration() {
        assert_eq!(human_duration(secs(0)), "0s");
        assert_eq!(human_duration(secs(45)), "45s");
        assert_eq!(human_duration(secs(119)), "119s");
        assert_eq!(human_duration(secs(120)), "2m");
        assert_eq!(human_duration(secs(150)), "2m30s");
        assert_eq!(human_duration(secs(9 * 60 + 59)), "9m59s");
        assert_eq!(human_duration(secs(12 * 60 + 30)), "12m");
        assert_eq!(human_duration(secs(150 * 60)), "150m");
        assert_eq!(human_duration(secs(179 * 60 + 59)), "179m");
        assert_eq!(human_duration(secs(185 * 60)), "3h5m");
        assert_eq!(human_duration(secs(4 * 3600)), "4h");
        assert_eq!(human_duration(secs(30 * 3600)), "30h");
        assert_eq!(human_duration(secs(52 * 3600)), "2d4h");
        assert_eq!(human_duration(secs(3 * 86_400)), "3d");
        assert_eq!(human_duration(secs(8 * 86_400)), "8d");
        assert_eq!(human_duration(secs(400 * 86_400)), "400d");
        assert_eq!(human_duration(secs(800 * 86_400)), "2y70d");
        assert_eq!(human_duration(secs(3650 * 86_400)), "10y");
    }

    #[test]
    fn rfc1123z_has_the_right_weekday() {
        let start = Date::from_ymd(2026, 11, 1);
        let t = CalendarTime::at(start, SimTime::from_secs(12 * 60 + 40));
        assert_eq!(t.rfc1123z(), "Sun, 01 Nov 2026 00:12:40 +0000");
        assert_eq!(t.rfc3339(), "2026-11-01T00:12:40Z");
        assert_eq!(t.aws_cli(), "2026-11-01T00:12:40.000000+00:00");
        // A day and a bit later it is Monday.
        let t = CalendarTime::at(start, SimTime::from_secs(86_400 + 3600 * 13 + 5));
        assert_eq!(t.rfc1123z(), "Mon, 02 Nov 2026 13:00:05 +0000");
    }

    #[test]
    fn known_dates_fall_on_known_weekdays() {
        for ((y, m, d), expected) in [
            ((1970, 1, 1), "Thu, 01 Jan 1970"),
            ((2000, 2, 29), "Tue, 29 Feb 2000"),
            ((2006, 1, 2), "Mon, 02 Jan 2006"),
            ((2024, 12, 25), "Wed, 25 Dec 2024"),
            ((2027, 3, 6), "Sat, 06 Mar 2027"),
        ] {
            let t = CalendarTime::at(Date::from_ymd(y, m, d), SimTime::EPOCH);
            assert!(t.rfc1123z().starts_with(expected), "{}", t.rfc1123z());
        }
    }
}
