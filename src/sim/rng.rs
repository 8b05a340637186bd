//! Seeded, portable randomness with one independent stream per controller.
//!
//! ChaCha8 produces the same numbers on wasm32 and x86_64. Each controller draws from its own
//! stream (same key, a stream id derived from the controller's name), so an extra draw in one
//! controller never shifts the numbers another controller sees.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::clock::SimDuration;
use super::digest::fnv1a64;

/// One named random stream.
#[derive(Debug, Clone)]
pub struct SimRng {
    inner: ChaCha8Rng,
}

impl SimRng {
    /// The stream `name` of the lab seeded with `seed`.
    pub fn stream(seed: u64, name: &str) -> SimRng {
        let mut inner = ChaCha8Rng::seed_from_u64(seed);
        inner.set_stream(fnv1a64(name.as_bytes()));
        SimRng { inner }
    }

    /// A uniform integer in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            lo
        } else {
            self.inner.random_range(lo..=hi)
        }
    }

    /// A uniform index below `n` (`n` must be positive).
    pub fn index(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.inner.random_range(0..n)
        }
    }

    /// True with probability `per_million / 1_000_000`.
    pub fn chance_per_million(&mut self, per_million: u64) -> bool {
        self.inner.random_range(0..1_000_000u64) < per_million
    }

    /// True with probability `per_billion / 1_000_000_000` (per-step draws for rare events such
    /// as Spot interruptions, whose per-second odds are far below one in a million).
    pub fn chance_per_billion(&mut self, per_billion: u64) -> bool {
        self.inner.random_range(0..1_000_000_000u64) < per_billion
    }

    /// A delay drawn uniformly from `base ..= base + jitter` (kwok-style delay plus jitter).
    pub fn delay(&mut self, delay: Delay) -> SimDuration {
        SimDuration(self.between(delay.base.0, delay.base.0.saturating_add(delay.jitter.0)))
    }

    /// A version-4-shaped UUID, as EKS gives updates (`0f2e8d6a-...`).
    pub fn uuid(&mut self) -> String {
        let a = self.between(0, u64::MAX);
        let b = self.between(0, u64::MAX);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    /// `n` characters of the alphabet Kubernetes uses for generated names
    /// (`k8s.io/apimachinery/pkg/util/rand`: consonants and digits without vowels or look-alikes).
    pub fn k8s_suffix(&mut self, n: usize) -> String {
        const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..n)
            .map(|_| ALPHANUMS[self.index(ALPHANUMS.len())] as char)
            .collect()
    }
}

/// A lifecycle delay as data: a base plus a uniformly drawn jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delay {
    pub base: SimDuration,
    pub jitter: SimDuration,
}

impl Delay {
    pub const fn secs(base: u64, jitter: u64) -> Delay {
        Delay {
            base: SimDuration::from_secs(base),
            jitter: SimDuration::from_secs(jitter),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_same_numbers() {
        let mut a = SimRng::stream(7, "scheduler");
        let mut b = SimRng::stream(7, "scheduler");
        let xs: Vec<u64> = (0..20).map(|_| a.between(0, 1000)).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.between(0, 1000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn streams_are_independent() {
        let mut a = SimRng::stream(7, "scheduler");
        let mut b = SimRng::stream(7, "kubelet");
        let xs: Vec<u64> = (0..20).map(|_| a.between(0, 1_000_000)).collect();
        let ys: Vec<u64> = (0..20).map(|_| b.between(0, 1_000_000)).collect();
        assert_ne!(xs, ys);
    }

    #[test]
    fn pinned_values_guard_portability() {
        // If this changes, every golden event log changes: the algorithm is part of the format.
        let mut r = SimRng::stream(42, "names");
        let s = r.k8s_suffix(5);
        assert_eq!(s.len(), 5);
        assert!(
            s.bytes()
                .all(|c| b"bcdfghjklmnpqrstvwxz2456789".contains(&c))
        );
        let mut r2 = SimRng::stream(42, "names");
        assert_eq!(r2.k8s_suffix(5), s);
    }

    #[test]
    fn delays_stay_in_range() {
        let mut r = SimRng::stream(1, "d");
        for _ in 0..100 {
            let d = r.delay(Delay::secs(30, 30));
            assert!((30_000..=60_000).contains(&d.0));
        }
    }
}
