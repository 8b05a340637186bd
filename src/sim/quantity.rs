//! Resource quantities in integers: CPU in millicores, memory in bytes.
//!
//! Parsing follows Kubernetes `resource.Quantity` (see `parse`): `500m`, `0.5`, `2`, `1e3`
//! for CPU; `256Mi`, `1Gi`, `1G`, `1500k`, `1Ei`, plain bytes for memory.

mod parse;

use std::fmt;

pub use parse::{QUANTITY_FORMAT, QuantityError};

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

    /// Parses a Kubernetes CPU quantity into its `MilliValue` (fractions of a millicore round
    /// up): upstream's errors for malformed text, the API server's for a negative quantity,
    /// the lab's `MAX_CPU_MILLIS` for one too large.
    pub fn parse(text: &str) -> Result<MilliCpu, String> {
        let x = parse::exact(text).map_err(|e| e.to_string())?;
        if x.negative {
            return Err(QuantityError::Negative(parse::canonical(&x)).to_string());
        }
        let millis = parse::ceil_scaled(&x, 3).unwrap_or(u128::MAX);
        crate::limits::check::cpu_millis(millis, text)?;
        u64::try_from(millis)
            .map(MilliCpu)
            .map_err(|_| format!("{text} is out of range"))
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

    /// Parses a Kubernetes memory (or storage) quantity into its `Value` in bytes (fractions
    /// of a byte round up), refused like [`MilliCpu::parse`] with the lab's
    /// `MAX_MEMORY_BYTES`.
    pub fn parse(text: &str) -> Result<Bytes, String> {
        let x = parse::exact(text).map_err(|e| e.to_string())?;
        if x.negative {
            return Err(QuantityError::Negative(parse::canonical(&x)).to_string());
        }
        let bytes = parse::ceil_scaled(&x, 0).unwrap_or(u128::MAX);
        crate::limits::check::memory_bytes(bytes, text)?;
        u64::try_from(bytes)
            .map(Bytes)
            .map_err(|_| format!("{text} is out of range"))
    }
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
        assert_eq!(MilliCpu::parse("1e3"), Ok(MilliCpu(1_000_000)));
        assert_eq!(MilliCpu::parse("2E-1"), Ok(MilliCpu(200)));
        assert_eq!(MilliCpu::parse("250000u"), Ok(MilliCpu(250)));
        assert_eq!(MilliCpu::parse("1n"), Ok(MilliCpu(1)));
        assert_eq!(MilliCpu::parse("+1"), Ok(MilliCpu(1000)));
        let format = Err(QuantityError::Format.to_string());
        assert_eq!(MilliCpu::parse("lots"), format);
        assert_eq!(MilliCpu::parse("1x"), format);
        assert_eq!(
            MilliCpu::parse("1K"),
            Err("unable to parse quantity's suffix".into())
        );
    }

    #[test]
    fn negative_and_huge_quantities_are_refused() {
        assert_eq!(
            MilliCpu::parse("-500m"),
            Err("Invalid value: \"-500m\": must be greater than or equal to 0".into())
        );
        assert_eq!(
            Bytes::parse("-1Gi"),
            Err("Invalid value: \"-1Gi\": must be greater than or equal to 0".into())
        );
        assert_eq!(MilliCpu::parse("-0"), Ok(MilliCpu(0)));
        // The lab's limits, at the limit and one past it.
        assert_eq!(MilliCpu::parse("100k"), Ok(MilliCpu(100_000_000)));
        assert_eq!(
            MilliCpu::parse("100000001m"),
            Err(
                "the lab takes CPU quantities up to 100000 cores: 100000001m is more than that"
                    .into()
            )
        );
        assert_eq!(Bytes::parse("64Ti"), Ok(Bytes(64 << 40)));
        assert_eq!(
            Bytes::parse("70368744177665"),
            Err("the lab takes memory and storage quantities up to 64Ti: 70368744177665 is more than that".into())
        );
        for huge in [
            "1e999999",
            "99999999999999999999Ei",
            "1Ei",
            "9223372036854775808",
        ] {
            assert!(
                Bytes::parse(huge)
                    .unwrap_err()
                    .starts_with("the lab takes memory"),
                "{huge}"
            );
            assert!(
                MilliCpu::parse(huge)
                    .unwrap_err()
                    .starts_with("the lab takes CPU"),
                "{huge}"
            );
        }
    }

    #[test]
    fn parses_memory_like_kubernetes() {
        assert_eq!(Bytes::parse("256Mi"), Ok(Bytes::mib(256)));
        assert_eq!(Bytes::parse("1Gi"), Ok(Bytes::gib(1)));
        assert_eq!(Bytes::parse("1G"), Ok(Bytes(1_000_000_000)));
        assert_eq!(Bytes::parse("128974848"), Ok(Bytes(128_974_848)));
        assert_eq!(Bytes::parse("129e6"), Ok(Bytes(129_000_000)));
        assert_eq!(Bytes::parse("1.5Gi"), Ok(Bytes(3 * GIB / 2)));
        assert_eq!(Bytes::parse("1Ti"), Ok(Bytes(1 << 40)));
        assert_eq!(Bytes::parse("7T"), Ok(Bytes(7 * 10u64.pow(12))));
        assert_eq!(Bytes::parse("0.5"), Ok(Bytes(1)), "Value() rounds up");
        assert_eq!(Bytes::parse("1500m"), Ok(Bytes(2)));
        // Upstream reads a bare suffix as zero.
        assert_eq!(Bytes::parse("Mi"), Ok(Bytes(0)));
        assert_eq!(
            Bytes::parse("Ei"),
            Err("unable to parse numeric part of quantity".into())
        );
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
