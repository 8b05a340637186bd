//! How numbers read on screen: money, rates, sizes and clock times.

use crate::sim::quantity::{Bytes, MIB};

/// `$1,234.56`; amounts under $10 keep four decimals (`$0.0133`) so early costs move visibly.
pub fn usd(micro: u64) -> String {
    let dollars = micro / 1_000_000;
    let rest = micro % 1_000_000;
    if micro < 10_000_000 {
        format!("${dollars}.{:04}", rest / 100)
    } else {
        format!("${}.{:02}", group_thousands(dollars), rest / 10_000)
    }
}

/// A rate in nano-dollars per hour as `$0.2960/h`.
pub fn usd_per_hour(nano_per_hour: u64) -> String {
    let micro = nano_per_hour / 1000;
    format!("${}.{:04}/h", micro / 1_000_000, (micro % 1_000_000) / 100)
}

/// `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Memory for cards: `6.6Gi` or `512Mi`.
pub fn mem(b: Bytes) -> String {
    let mib = b.0 / MIB;
    if mib >= 1024 {
        let tenths = mib * 10 / 1024;
        format!("{}.{}Gi", tenths / 10, tenths % 10)
    } else {
        format!("{mib}Mi")
    }
}

/// CPU for cards: `1.93` cores or `250m`.
pub fn cpu(m: u64) -> String {
    if m >= 1000 {
        format!("{}.{:02}", m / 1000, (m % 1000) / 10)
    } else {
        format!("{m}m")
    }
}

/// Integer percentage of `part` in `whole` (0 when whole is 0).
pub fn percent(part: u64, whole: u64) -> u64 {
    part.saturating_mul(100)
        .checked_div(whole)
        .map_or(0, |p| p.min(999))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_well() {
        assert_eq!(usd(0), "$0.0000");
        assert_eq!(usd(1_234), "$0.0012");
        assert_eq!(usd(2_400_000), "$2.4000");
        assert_eq!(usd(13_300), "$0.0133");
        assert_eq!(usd(12_345_678), "$12.34");
        assert_eq!(usd(1_234_567_890), "$1,234.56");
        assert_eq!(usd_per_hour(100_000_000), "$0.1000/h");
        assert_eq!(usd_per_hour(296_000_000), "$0.2960/h");
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(mem(Bytes::mib(512)), "512Mi");
        assert_eq!(mem(Bytes::mib(6903)), "6.7Gi");
        assert_eq!(cpu(250), "250m");
        assert_eq!(cpu(1930), "1.93");
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 0), 0);
    }
}
