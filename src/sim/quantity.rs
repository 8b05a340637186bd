//! Resource quantities in integers: CPU in millicores, memory in bytes.
//!
//! Parsing follows Kubernetes `resource.Quantity`: `500m`, `0.5`, `2` for CPU; `256Mi`,
//! `1Gi`, `1G`, `1500k`, plain bytes for memory.

use std::fmt;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * 1024;
pub const GIB: u64 = 1024 * 1024 * 1024;

/// CPU in millicores (`1000` is one vCPU).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MilliCpu(pub u64);

/// Memory in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(pub u64);

impl MilliCpu {
    pub const fn cores(n: u64) -> MilliCpu {
        MilliCpu(n * 1000)
    }

    /// Parses a Kubernetes CPU quantity.
    pub fn parse(text: &str) -> Result<MilliCpu, String> {
        let milli =
            parse_scaled(text, 1000).map_err(|e| format!("invalid cpu quantity {text:?}: {e}"))?;
        Ok(MilliCpu(milli))
    }
}

impl Bytes {
    pub const fn mib(n: u64) -> Bytes {
        Bytes(n * MIB)
    }
    pub const fn gib(n: u64) -> Bytes {
        Bytes(n * GIB)
    }
    pub const fn as_mib(self) -> u64 {
        self.0 / MIB
    }

    /// Parses a Kubernetes memory (or storage) quantity.
    pub fn parse(text: &str) -> Result<Bytes, String> {
        let b =
            parse_scaled(text, 1).map_err(|e| format!("invalid memory quantity {text:?}: {e}"))?;
        Ok(Bytes(b))
    }
}

/// Parses a quantity and returns it multiplied by `unit` (1000 for millicores, 1 for bytes),
/// rounding fractions up as Kubernetes does when it converts to an integer scale.
fn parse_scaled(text: &str, unit: u64) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, suffix) = t.split_at(split);
    if num.is_empty() {
        return Err("expected a number".to_string());
    }
    let (mul_num, mul_den): (u128, u128) = match suffix {
        "" => (1, 1),
        "m" => (1, 1000),
        "k" => (1000, 1),
        "M" => (1_000_000, 1),
        "G" => (1_000_000_000, 1),
        "T" => (1_000_000_000_000, 1),
        "Ki" => (1 << 10, 1),
        "Mi" => (1 << 20, 1),
        "Gi" => (1 << 30, 1),
        "Ti" => (1 << 40, 1),
        _ => return Err(format!("unknown suffix {suffix:?}")),
    };
    let (int_part, frac_part) = match num.split_once('.') {
        Some((i, f)) => (i, f),
        None => (num, ""),
    };
    if frac_part.contains('.') || frac_part.len() > 9 {
        return Err("malformed number".to_string());
    }
    let int: u128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().map_err(|_| "number too large")?
    };
    let frac_den: u128 = 10u128.pow(frac_part.len() as u32);
    let frac: u128 = if frac_part.is_empty() {
        0
    } else {
        frac_part.parse().map_err(|_| "malformed number")?
    };
    // value = (int + frac/frac_den) * mul_num / mul_den * unit, rounded up.
    // Checked: a quantity with dozens of digits must be an error, not an overflow panic.
    let numerator = int
        .checked_mul(frac_den)
        .and_then(|v| v.checked_add(frac))
        .and_then(|v| v.checked_mul(mul_num))
        .and_then(|v| v.checked_mul(u128::from(unit)))
        .ok_or("number too large")?;
    let denominator = frac_den * mul_den;
    let v = numerator.div_ceil(denominator);
    u64::try_from(v).map_err(|_| "number too large".to_string())
}

impl fmt::Display for MilliCpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(1000) {
            write!(f, "{}", self.0 / 1000)
        } else {
            write!(f, "{}m", self.0)
        }
    }
}

/// Memory as kubectl prints requests: the largest binary suffix that divides evenly.
impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        if b == 0 {
            write!(f, "0")
        } else if b.is_multiple_of(GIB) {
            write!(f, "{}Gi", b / GIB)
        } else if b.is_multiple_of(MIB) {
            write!(f, "{}Mi", b / MIB)
        } else if b.is_multiple_of(KIB) {
            write!(f, "{}Ki", b / KIB)
        } else {
            write!(f, "{b}")
        }
    }
}

/// CPU and memory together: requests, limits, capacity or allocatable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Resources {
    pub cpu: MilliCpu,
    pub memory: Bytes,
}

impl Resources {
    pub const ZERO: Resources = Resources {
        cpu: MilliCpu(0),
        memory: Bytes(0),
    };

    pub const fn new(cpu_m: u64, memory_bytes: u64) -> Resources {
        Resources {
            cpu: MilliCpu(cpu_m),
            memory: Bytes(memory_bytes),
        }
    }

    #[must_use]
    pub fn saturating_add(self, o: Resources) -> Resources {
        Resources::new(
            self.cpu.0.saturating_add(o.cpu.0),
            self.memory.0.saturating_add(o.memory.0),
        )
    }

    #[must_use]
    pub fn saturating_sub(self, o: Resources) -> Resources {
        Resources::new(
            self.cpu.0.saturating_sub(o.cpu.0),
            self.memory.0.saturating_sub(o.memory.0),
        )
    }

    /// Per-resource maximum.
    #[must_use]
    pub fn max(self, o: Resources) -> Resources {
        Resources::new(self.cpu.0.max(o.cpu.0), self.memory.0.max(o.memory.0))
    }

    pub fn fits_in(self, o: Resources) -> bool {
        self.cpu <= o.cpu && self.memory <= o.memory
    }

    pub fn is_zero(self) -> bool {
        self.cpu.0 == 0 && self.memory.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cpu_like_kubernetes() {
        assert_eq!(MilliCpu::parse("500m"), Ok(MilliCpu(500)));
        assert_eq!(MilliCpu::parse("0.5"), Ok(MilliCpu(500)));
        assert_eq!(MilliCpu::parse("2"), Ok(MilliCpu(2000)));
        assert_eq!(MilliCpu::parse("0.25"), Ok(MilliCpu(250)));
        assert_eq!(MilliCpu::parse("1.0005"), Ok(MilliCpu(1001)));
        assert!(MilliCpu::parse("lots").is_err());
        assert!(
            MilliCpu::parse("1x")
                .unwrap_err()
                .contains("unknown suffix")
        );
    }

    #[test]
    fn parses_memory_like_kubernetes() {
        assert_eq!(Bytes::parse("256Mi"), Ok(Bytes::mib(256)));
        assert_eq!(Bytes::parse("1Gi"), Ok(Bytes::gib(1)));
        assert_eq!(Bytes::parse("1G"), Ok(Bytes(1_000_000_000)));
        assert_eq!(Bytes::parse("128974848"), Ok(Bytes(128_974_848)));
        assert_eq!(Bytes::parse("1.5Gi"), Ok(Bytes(3 * GIB / 2)));
        assert!(Bytes::parse("Mi").is_err());
        assert!(Bytes::parse("99999999999999999999999999999999999Ti").is_err());
    }

    #[test]
    fn prints_like_kubectl() {
        assert_eq!(MilliCpu(250).to_string(), "250m");
        assert_eq!(MilliCpu(2000).to_string(), "2");
        assert_eq!(Bytes::mib(512).to_string(), "512Mi");
        assert_eq!(Bytes::gib(8).to_string(), "8Gi");
    }
}
