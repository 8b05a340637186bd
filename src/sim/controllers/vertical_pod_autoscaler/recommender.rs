//! The VPA recommender (kubernetes/autoscaler `vertical-pod-autoscaler/pkg/recommender`): every
//! minute it feeds each container's CPU and memory usage into decaying histograms and turns
//! them into a target, a lower and an upper bound per container.
//!
//! The maths follows upstream step by step, in `f64` like the Go code, but with only `+ − × ÷`
//! so that every platform computes the same bits (no `powf`, `exp` or `ln`, which may differ
//! between targets):
//! - `util/histogram_options.go`: exponential buckets, the first 0.01 core (CPU) or 10 MB
//!   (memory) wide, each 5% wider than the one before; `ratio^n` by repeated squaring, as Go's
//!   `math.Pow` does for integer exponents.
//! - `util/histogram.go`: a percentile is the *end* of the bucket where the running weight
//!   reaches `p × total`.
//! - `util/decaying_histogram.go`: a sample weighs `2^((t − reference) / 24h)`; the power of
//!   two comes from a table of `2^(k/24)` and a short series for the minutes within the hour.
//! - `model/aggregate_container_state.go`: a CPU sample weighs the container's CPU request in
//!   cores (at least 0.1); `model/container.go`: memory keeps one peak per container and 24 h
//!   interval, replaced when a higher usage arrives within the interval.
//! - `logic/recommender.go` and `estimator.go`: target P90, lower bound P50, upper bound P95,
//!   each plus a 15% margin; the upper bound times `1 + 1/days`, the lower bound times
//!   `(1 + 0.001/days)^−2`, where `days` is the history's length (`getConfidence`); at least
//!   25 millicores and 250 MiB per pod (`pod-recommendation-min-memory-mb` is multiplied by
//!   1024 × 1024 upstream, so "MB" means MiB) shared among the pod's containers.
//! - `utils/vpa/capping.go`: `minAllowed`/`maxAllowed` cap target and bounds; the uncapped
//!   target is kept.
//!
//! Not modelled: OOM events (the lab's containers are never OOM-killed, so there is no OOM
//! bump), checkpoints (the recommender's history survives its restarts as if checkpointed),
//! and the expiry of aggregates 8 days after their last sample (old samples only decay).

use crate::sim::sort::CollectSorted;
use std::collections::BTreeMap;

use super::{RECOMMENDER, component_ready, live_pods, notes_mut, updater};
use crate::sim::Simulation;
use crate::sim::api::autoscaling::ResourceName;
use crate::sim::api::vpa::{
    ContainerResourcePolicy, ContainerScalingMode, RecommendedContainerResources, VpaCondition,
};
use crate::sim::api::{Kind, ObjectKey, Pod, PodPhase};
use crate::sim::clock::{SimDuration, SimTime};
use crate::sim::quantity::{MIB, MilliCpu, Resources};

/// `--recommendation-margin-fraction` (eks-facts §6.3).
pub const SAFETY_MARGIN_FRACTION: f64 = 0.15;
/// `--target-cpu-percentile` and `--target-memory-percentile`.
pub const TARGET_PERCENTILE: f64 = 0.9;
/// `--recommendation-lower-bound-*-percentile`.
pub const LOWER_BOUND_PERCENTILE: f64 = 0.5;
/// `--recommendation-upper-bound-*-percentile`.
pub const UPPER_BOUND_PERCENTILE: f64 = 0.95;
/// `--pod-recommendation-min-cpu-millicores` (eks-facts §6.3).
pub const POD_MIN_CPU_MILLICORES: f64 = 25.0;
/// `--pod-recommendation-min-memory-mb` (eks-facts §6.3); upstream multiplies it by 1024 × 1024.
pub const POD_MIN_MEMORY_MB: f64 = 250.0;
/// `--cpu-histogram-decay-half-life` and `--memory-histogram-decay-half-life` (24 h).
pub const HALF_LIFE: SimDuration = SimDuration::from_hours(24);
/// `--memory-aggregation-interval`: one memory peak per container per interval.
pub const MEMORY_AGGREGATION_INTERVAL: SimDuration = SimDuration::from_hours(24);
/// `--memory-aggregation-interval-count` (eks-facts §6.3: peaks per 24 h × 8 intervals).
pub const MEMORY_AGGREGATION_INTERVAL_COUNT: u64 = 8;
/// `minSampleWeight`: the least weight a CPU sample gets (in cores of request).
pub const MIN_SAMPLE_WEIGHT: f64 = 0.1;
/// `epsilon`: a bucket lighter than this is empty.
pub const EPSILON: f64 = 0.001 * MIN_SAMPLE_WEIGHT;
/// `MaxResourceAmount` (1e14 millicores or bytes).
pub const MAX_RESOURCE_AMOUNT: u64 = 100_000_000_000_000;
/// `maxDecayExponent`: past 2^100 the reference time moves forward.
const MAX_DECAY_EXPONENT: i64 = 100;

/// Bucket growth: each bucket is 5% wider than the previous one.
const BUCKET_RATIO: f64 = 1.05;

/// The CPU histograms' buckets: first 0.01 core, up to 1000 cores (`aggregations_config.go`;
/// a 1-millicore first bucket is proposed upstream, kubernetes/autoscaler #6415, not released).
pub fn cpu_histogram_options() -> HistogramOptions {
    HistogramOptions::exponential(1000.0, 0.01, BUCKET_RATIO, EPSILON)
}

/// The memory histograms' buckets: first 10 MB (1e7 bytes), up to 1 TB.
pub fn memory_histogram_options() -> HistogramOptions {
    HistogramOptions::exponential(1e12, 1e7, BUCKET_RATIO, EPSILON)
}

// ---- exact-on-every-platform arithmetic ----

/// `x^n` for a whole `n`, by repeated squaring in the order Go's `math.Pow` multiplies (its
/// `frexp` scaling by powers of two changes no rounding).
pub fn pow_int(x: f64, n: u32) -> f64 {
    let mut result = 1.0;
    let mut base = x;
    let mut i = n;
    while i != 0 {
        if i & 1 == 1 {
            result *= base;
        }
        base *= base;
        i >>= 1;
    }
    result
}

/// `2^(k/24)` for `k` in `0..24`: the hour steps of the decay (correctly rounded constants).
const TWO_POW_HOUR: [f64; 24] = [
    1.0,
    1.029_302_236_643_492,
    1.059_463_094_359_295_3,
    1.090_507_732_665_257_7,
    1.122_462_048_309_373,
    1.155_352_696_872_273,
    1.189_207_115_002_721,
    1.224_053_543_304_655_3,
    1.259_921_049_894_873_2,
    1.296_839_554_651_009_6,
    1.334_839_854_170_034_4,
    1.373_953_647_458_089_1,
    std::f64::consts::SQRT_2,
    1.455_653_182_842_187_3,
    1.498_307_076_876_681_5,
    1.542_210_825_407_940_7,
    1.587_401_051_968_199_6,
    1.633_915_453_241_099_8,
    1.681_792_830_507_429,
    1.731_073_122_012_286_1,
    1.781_797_436_280_678_5,
    1.834_008_086_409_342_4,
    1.887_748_625_363_387,
    1.943_063_882_307_211_7,
];

/// `2^(secs / 24 h)` for any whole number of seconds: whole days as exact powers of two, whole
/// hours from the table, the seconds left (under an hour) from `e^y = Σ yⁿ/n!` with
/// `y = secs/86400 × ln 2 < 0.029`, where eight terms are exact to the last bit.
pub fn exp2_days(secs: i64) -> f64 {
    const DAY: i64 = 86_400;
    let days = secs.div_euclid(DAY);
    let rest = secs.rem_euclid(DAY);
    let hour = (rest / 3600) as usize;
    let within = (rest % 3600) as f64;
    let y = within / DAY as f64 * std::f64::consts::LN_2;
    // Horner form of 1 + y + y²/2! + … + y⁷/7!.
    let mut series = 1.0;
    for n in (1..=7).rev() {
        series = 1.0 + y * series / f64::from(n);
    }
    let whole = if days >= 0 {
        pow_int(2.0, days as u32)
    } else {
        1.0 / pow_int(2.0, days.unsigned_abs() as u32)
    };
    whole * TWO_POW_HOUR[hour] * series
}

/// `resourceAmountFromFloat`: truncated toward zero, within `0..=MaxResourceAmount`.
pub fn amount_from_float(v: f64) -> u64 {
    if v.is_nan() || v < 0.0 {
        0
    } else if v > MAX_RESOURCE_AMOUNT as f64 {
        MAX_RESOURCE_AMOUNT
    } else {
        v as u64
    }
}

/// `ScaleResource`: `amount × factor`, truncated.
pub fn scale(amount: u64, factor: f64) -> u64 {
    amount_from_float(amount as f64 * factor)
}

// ---- histograms ----

/// Exponential bucket boundaries (`NewExponentialHistogramOptions`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HistogramOptions {
    pub num_buckets: usize,
    pub first_bucket_size: f64,
    pub ratio: f64,
    pub epsilon: f64,
}

impl HistogramOptions {
    /// Buckets up to `max_value`: `ceil(log_ratio(max × (ratio − 1) / first + 1)) + 1` of them.
    pub fn exponential(
        max_value: f64,
        first_bucket_size: f64,
        ratio: f64,
        epsilon: f64,
    ) -> HistogramOptions {
        let bound = max_value * (ratio - 1.0) / first_bucket_size + 1.0;
        let mut n = 0u32;
        while pow_int(ratio, n) < bound {
            n += 1;
        }
        HistogramOptions {
            num_buckets: n as usize + 1,
            first_bucket_size,
            ratio,
            epsilon,
        }
    }

    /// `GetBucketStart`: `first × (ratio^b − 1) / (ratio − 1)`.
    pub fn bucket_start(&self, bucket: usize) -> f64 {
        if bucket == 0 {
            return 0.0;
        }
        self.first_bucket_size * (pow_int(self.ratio, bucket as u32) - 1.0) / (self.ratio - 1.0)
    }

    /// `FindBucket`: the last bucket starting at or below `value` (the first and last buckets
    /// take everything outside the range).
    pub fn find_bucket(&self, value: f64) -> usize {
        if value < self.first_bucket_size {
            return 0;
        }
        let (mut lo, mut hi) = (1, self.num_buckets - 1);
        if self.bucket_start(hi) <= value {
            return hi;
        }
        // Invariant: start(lo) <= value < start(hi).
        while hi - lo > 1 {
            let mid = usize::midpoint(lo, hi);
            if self.bucket_start(mid) <= value {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// A bucketed distribution of weighted samples (`util/histogram.go`).
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub options: HistogramOptions,
    weights: Vec<f64>,
    total: f64,
    min_bucket: usize,
    max_bucket: usize,
}

impl Histogram {
    pub fn new(options: HistogramOptions) -> Histogram {
        Histogram {
            options,
            weights: vec![0.0; options.num_buckets],
            total: 0.0,
            min_bucket: options.num_buckets - 1,
            max_bucket: 0,
        }
    }

    pub fn add(&mut self, value: f64, weight: f64) {
        let b = self.options.find_bucket(value);
        self.weights[b] += weight;
        self.total += weight;
        if b < self.min_bucket && self.weights[b] >= self.options.epsilon {
            self.min_bucket = b;
        }
        if b > self.max_bucket && self.weights[b] >= self.options.epsilon {
            self.max_bucket = b;
        }
    }

    pub fn subtract(&mut self, value: f64, weight: f64) {
        let b = self.options.find_bucket(value);
        let w = if weight > self.weights[b] - self.options.epsilon {
            self.weights[b]
        } else {
            weight
        };
        self.total -= w;
        self.weights[b] -= w;
        self.update_min_max();
    }

    pub fn is_empty(&self) -> bool {
        self.weights[self.min_bucket] < self.options.epsilon
    }

    pub fn total_weight(&self) -> f64 {
        self.total
    }

    /// The end of the bucket where the running weight reaches `p × total` (the start of the
    /// last bucket, which has no end); 0 when empty.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.is_empty() {
            return 0.0;
        }
        let threshold = p * self.total;
        let mut partial = 0.0;
        let mut bucket = self.min_bucket;
        while bucket < self.max_bucket {
            partial += self.weights[bucket];
            if partial >= threshold {
                break;
            }
            bucket += 1;
        }
        if bucket < self.options.num_buckets - 1 {
            self.options.bucket_start(bucket + 1)
        } else {
            self.options.bucket_start(bucket)
        }
    }

    fn scale(&mut self, factor: f64) {
        for b in self.min_bucket..=self.max_bucket {
            self.weights[b] *= factor;
        }
        self.total *= factor;
        self.update_min_max();
    }

    fn update_min_max(&mut self) {
        let last = self.options.num_buckets - 1;
        while self.weights[self.min_bucket] < self.options.epsilon && self.min_bucket < last {
            self.min_bucket += 1;
        }
        while self.weights[self.max_bucket] < self.options.epsilon && self.max_bucket > 0 {
            self.max_bucket -= 1;
        }
    }
}

/// A histogram whose older samples count less: half as much per half-life
/// (`util/decaying_histogram.go`). Times are whole seconds since the lab began.
#[derive(Debug, Clone, PartialEq)]
pub struct DecayingHistogram {
    pub histogram: Histogram,
    half_life_secs: i64,
    /// The reference time (a multiple of the half-life); `None` before the first sample.
    reference: Option<i64>,
}

impl DecayingHistogram {
    pub fn new(options: HistogramOptions, half_life: SimDuration) -> DecayingHistogram {
        DecayingHistogram {
            histogram: Histogram::new(options),
            half_life_secs: half_life.as_secs() as i64,
            reference: None,
        }
    }

    pub fn add(&mut self, value: f64, weight: f64, at: SimTime) {
        let f = self.decay_factor(at);
        self.histogram.add(value, weight * f);
    }

    pub fn subtract(&mut self, value: f64, weight: f64, at: SimTime) {
        let f = self.decay_factor(at);
        self.histogram.subtract(value, weight * f);
    }

    pub fn percentile(&self, p: f64) -> f64 {
        self.histogram.percentile(p)
    }

    pub fn is_empty(&self) -> bool {
        self.histogram.is_empty()
    }

    /// `2^((t − reference) / half-life)`, moving the reference forward first when the exponent
    /// would pass 100 (upstream starts from Go's zero time, so the first sample always moves
    /// it).
    fn decay_factor(&mut self, at: SimTime) -> f64 {
        let t = at.as_secs() as i64;
        let h = self.half_life_secs;
        match self.reference {
            Some(r) if t <= r + h * MAX_DECAY_EXPONENT => {}
            _ => self.shift_reference(t),
        }
        let r = self.reference.unwrap_or(0);
        // The table is for a 24 h half-life; other half-lives scale the exponent.
        exp2_days((t - r) * 86_400 / h)
    }

    /// Moves the reference to `t` rounded to the half-life (halves round up, like Go's
    /// `Time.Round`), rescaling the weights by the whole power of two in between.
    fn shift_reference(&mut self, t: i64) {
        let h = self.half_life_secs;
        let rem = t.rem_euclid(h);
        let new = if rem + rem < h {
            t - rem
        } else {
            t + (h - rem)
        };
        if let Some(old) = self.reference {
            let exponent = (old - new) / h;
            self.histogram.scale(exp2_days(exponent * 86_400));
        }
        self.reference = Some(new);
    }
}

// ---- aggregated state ----

/// The usage history of one container name of one workload (`AggregateContainerState`).
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateState {
    pub cpu: DecayingHistogram,
    pub memory_peaks: DecayingHistogram,
    /// First and last CPU sample (upstream bases the history's length on CPU samples).
    pub first_sample: Option<SimTime>,
    pub last_sample: Option<SimTime>,
    pub total_samples: u64,
    /// Pods that ever contributed (for the explanation).
    pub pods_seen: u64,
    /// Memory peaks added (one per pod and 24 h interval).
    pub memory_peaks_added: u64,
}

impl Default for AggregateState {
    fn default() -> Self {
        AggregateState {
            cpu: DecayingHistogram::new(cpu_histogram_options(), HALF_LIFE),
            memory_peaks: DecayingHistogram::new(memory_histogram_options(), HALF_LIFE),
            first_sample: None,
            last_sample: None,
            total_samples: 0,
            pods_seen: 0,
            memory_peaks_added: 0,
        }
    }
}

impl AggregateState {
    /// `addCPUSample`: usage in cores, weighted by the request in cores (at least 0.1).
    pub fn add_cpu_sample(&mut self, at: SimTime, usage_m: u64, request_m: u64) {
        let usage = usage_m as f64 / 1000.0;
        let request = request_m as f64 / 1000.0;
        self.cpu.add(usage, request.max(MIN_SAMPLE_WEIGHT), at);
        if self.last_sample.is_none_or(|l| at > l) {
            self.last_sample = Some(at);
        }
        if self.first_sample.is_none_or(|f| at < f) {
            self.first_sample = Some(at);
        }
        self.total_samples += 1;
    }

    /// The history's length (last minus first CPU sample).
    pub fn history(&self) -> SimDuration {
        match (self.first_sample, self.last_sample) {
            (Some(f), Some(l)) => l.saturating_sub(f),
            _ => SimDuration::ZERO,
        }
    }

    /// `getConfidence`: the smaller of the history in days and the samples in days at one
    /// per minute.
    pub fn confidence(&self) -> f64 {
        let lifespan = self.history().as_millis() as f64 / 86_400_000.0;
        let samples = self.total_samples as f64 / (60.0 * 24.0);
        lifespan.min(samples)
    }
}

/// One running container's memory window and last samples (`ContainerState`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerState {
    pub last_cpu_sample: Option<SimTime>,
    pub last_memory_sample: Option<SimTime>,
    /// End of the current 24 h memory interval (exclusive).
    pub window_end: Option<SimTime>,
    /// The highest memory usage seen in the current interval (bytes; 0 before any).
    pub memory_peak: u64,
}

impl ContainerState {
    /// `addCPUSample`: duplicates and out-of-order samples are dropped.
    pub fn add_cpu_sample(
        &mut self,
        agg: &mut AggregateState,
        at: SimTime,
        usage_m: u64,
        request_m: u64,
    ) -> bool {
        if self.last_cpu_sample.is_some_and(|l| at <= l) {
            return false;
        }
        agg.add_cpu_sample(at, usage_m, request_m);
        self.last_cpu_sample = Some(at);
        true
    }

    /// `addMemorySample`: keeps one peak per interval in the aggregate, dated at the end of
    /// the interval; a higher usage within the interval replaces the peak.
    pub fn add_memory_sample(&mut self, agg: &mut AggregateState, at: SimTime, usage: u64) -> bool {
        if self.last_memory_sample.is_some_and(|l| at < l) {
            return false;
        }
        self.last_memory_sample = Some(at);
        let mut end = self.window_end.unwrap_or(at);
        let mut add_new = false;
        if at < end {
            let old = self.memory_peak;
            if old != 0 && usage > old {
                agg.memory_peaks.subtract(old as f64, 1.0, end);
                add_new = true;
            }
        } else {
            let interval = MEMORY_AGGREGATION_INTERVAL.as_millis();
            let behind = at.saturating_sub(end).as_millis();
            end += SimDuration(behind - behind % interval + interval);
            self.memory_peak = 0;
            add_new = true;
        }
        self.window_end = Some(end);
        if add_new {
            agg.memory_peaks.add(usage as f64, 1.0, end);
            if self.memory_peak == 0 {
                agg.memory_peaks_added += 1;
            }
            self.memory_peak = usage;
        }
        true
    }
}

// ---- estimation ----

/// How one value of the recommendation came about, step by step (for the explanation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Estimate {
    /// The percentile of the histogram (millicores or bytes).
    pub percentile: u64,
    /// Plus the safety margin.
    pub with_margin: u64,
    /// Times the confidence multiplier (bounds only; the target keeps `with_margin`).
    pub with_confidence: u64,
    /// Raised to the per-pod minimum: the value.
    pub value: u64,
}

/// CPU (millicores) and memory (bytes) estimates of one container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ContainerEstimates {
    pub cpu_target: Estimate,
    pub cpu_lower: Estimate,
    pub cpu_upper: Estimate,
    pub memory_target: Estimate,
    pub memory_lower: Estimate,
    pub memory_upper: Estimate,
    /// The per-container minimums (the pod minimums shared among its containers).
    pub min: Resources,
}

/// The confidence multiplier `(1 + multiplier/confidence)^exponent` for the two exponents
/// upstream uses (+1 for the upper bound, −2 for the lower bound).
fn confidence_factor(multiplier: f64, exponent: i32, confidence: f64) -> f64 {
    let x = 1.0 + multiplier / confidence;
    match exponent {
        1 => x,
        // Go's Pow(x, −2) computes 1/(x·x) (its frexp scaling does not change the rounding).
        -2 => 1.0 / (x * x),
        _ => unreachable!("upstream uses only +1 and −2"),
    }
}

fn estimate(
    hist: &DecayingHistogram,
    to_amount: impl Fn(f64) -> u64,
    p: f64,
    confidence: Option<(f64, i32, f64)>,
    min: u64,
) -> Estimate {
    let percentile = to_amount(hist.percentile(p));
    let with_margin = percentile + scale(percentile, SAFETY_MARGIN_FRACTION);
    let with_confidence = match confidence {
        Some((m, e, c)) => scale(with_margin, confidence_factor(m, e, c)),
        None => with_margin,
    };
    Estimate {
        percentile,
        with_margin,
        with_confidence,
        value: with_confidence.max(min),
    }
}

/// `GetRecommendedPodResources` for one container of a pod with `containers_per_pod`
/// containers.
pub fn estimate_container(agg: &AggregateState, containers_per_pod: u64) -> ContainerEstimates {
    let fraction = 1.0 / containers_per_pod.max(1) as f64;
    let min_cpu = scale(
        amount_from_float(POD_MIN_CPU_MILLICORES * 0.001 * 1000.0),
        fraction,
    );
    let min_memory = scale(
        amount_from_float(POD_MIN_MEMORY_MB * 1024.0 * 1024.0),
        fraction,
    );
    let cpu_amount = |cores: f64| amount_from_float(cores * 1000.0);
    let bytes = amount_from_float;
    let c = agg.confidence();
    let upper = Some((1.0, 1, c));
    let lower = Some((0.001, -2, c));
    ContainerEstimates {
        cpu_target: estimate(&agg.cpu, cpu_amount, TARGET_PERCENTILE, None, min_cpu),
        cpu_lower: estimate(&agg.cpu, cpu_amount, LOWER_BOUND_PERCENTILE, lower, min_cpu),
        cpu_upper: estimate(&agg.cpu, cpu_amount, UPPER_BOUND_PERCENTILE, upper, min_cpu),
        memory_target: estimate(
            &agg.memory_peaks,
            bytes,
            TARGET_PERCENTILE,
            None,
            min_memory,
        ),
        memory_lower: estimate(
            &agg.memory_peaks,
            bytes,
            LOWER_BOUND_PERCENTILE,
            lower,
            min_memory,
        ),
        memory_upper: estimate(
            &agg.memory_peaks,
            bytes,
            UPPER_BOUND_PERCENTILE,
            upper,
            min_memory,
        ),
        min: Resources::new(min_cpu, min_memory),
    }
}

/// Target, bounds and uncapped target of one container after the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyResult {
    pub target: Resources,
    pub lower: Resources,
    pub upper: Resources,
    pub uncapped_target: Resources,
}

/// `FilterControlledResources` then `ApplyVPAPolicy`: uncontrolled resources are dropped
/// (zero), the rest capped to `minAllowed`/`maxAllowed`; the uncapped target is kept.
/// `None` when the container's scaling mode is Off.
pub fn apply_policy(
    e: &ContainerEstimates,
    policy: Option<&ContainerResourcePolicy>,
) -> Option<PolicyResult> {
    if policy.is_some_and(|p| p.mode == ContainerScalingMode::Off) {
        return None;
    }
    let controls = |r: ResourceName| policy.is_none_or(|p| p.controls(r));
    let pick = |cpu: u64, mem: u64| {
        Resources::new(
            if controls(ResourceName::Cpu) { cpu } else { 0 },
            if controls(ResourceName::Memory) {
                mem
            } else {
                0
            },
        )
    };
    let target = pick(e.cpu_target.value, e.memory_target.value);
    let lower = pick(e.cpu_lower.value, e.memory_lower.value);
    let upper = pick(e.cpu_upper.value, e.memory_upper.value);
    Some(PolicyResult {
        target: cap(target, policy),
        lower: cap(lower, policy),
        upper: cap(upper, policy),
        uncapped_target: target,
    })
}

/// Caps each present resource to the policy's bounds (min first, then max, as upstream).
pub fn cap(r: Resources, policy: Option<&ContainerResourcePolicy>) -> Resources {
    let Some(p) = policy else { return r };
    let bound = |v: u64, min: Option<u64>, max: Option<u64>| {
        if v == 0 {
            return 0;
        }
        let v = min.filter(|m| *m > 0).map_or(v, |m| v.max(m));
        max.filter(|m| *m > 0).map_or(v, |m| v.min(m))
    };
    Resources::new(
        bound(
            r.cpu.0,
            p.min_allowed.map(|m| m.cpu.0),
            p.max_allowed.map(|m| m.cpu.0),
        ),
        bound(
            r.memory.0,
            p.min_allowed.map(|m| m.memory.0),
            p.max_allowed.map(|m| m.memory.0),
        ),
    )
}

/// Memory for the explanation: `79.6Mi`, `1.5Gi`.
pub fn human_bytes(b: u64) -> String {
    if b >= 1024 * MIB {
        format!("{:.1}Gi", b as f64 / (1024 * MIB) as f64)
    } else {
        format!("{:.1}Mi", b as f64 / MIB as f64)
    }
}

// ---- the recommender's loop ----

/// One minute of the recommender: feed the latest pod metrics into the histories, then write
/// every VPA's recommendation and conditions.
pub(super) fn run(sim: &mut Simulation) {
    let keys: Vec<ObjectKey> = sim.state.vpas.keys().cloned().collect();
    if !component_ready(sim, RECOMMENDER) {
        for k in keys {
            let stale = sim.state.vpas[&k]
                .status
                .last_update
                .map(|t| sim.now().saturating_sub(t));
            let line = match stale {
                Some(age) => format!(
                    "recommender: no Ready vpa-recommender pod in kube-system: the recommendation is not updated (it is {age} old)"
                ),
                None => "recommender: no Ready vpa-recommender pod in kube-system, so no recommendation is computed".to_string(),
            };
            notes_mut(sim, &k).recommender = vec![line];
        }
        return;
    }
    let metrics = crate::sim::api::metrics::available(&sim.state.deployments)
        && !sim.state.pod_metrics.is_empty();
    feed(sim);
    for k in keys {
        recommend(sim, &k, metrics);
    }
}

/// Adds the metrics-server's latest sample of every running Deployment pod to the histories
/// (one CPU sample per container and scrape; duplicates are dropped as upstream does).
fn feed(sim: &mut Simulation) {
    let state = &sim.state;
    let vpa = &mut sim.controllers.vpa;
    let owners: BTreeMap<(&str, &str), &str> = state
        .replicasets
        .values()
        .filter_map(|rs| {
            let o = rs
                .meta
                .owner
                .as_ref()
                .filter(|o| o.kind == Kind::Deployment)?;
            Some((
                (rs.meta.namespace.as_str(), rs.meta.name.as_str()),
                o.name.as_str(),
            ))
        })
        .collect_map();
    for (key, m) in &state.pod_metrics {
        let Some(pod) = state.pods.get(key) else {
            continue;
        };
        if pod.status.phase != PodPhase::Running || pod.is_terminating() {
            continue;
        }
        let Some(rs) = pod
            .meta
            .owner
            .as_ref()
            .filter(|o| o.kind == Kind::ReplicaSet)
        else {
            continue;
        };
        let Some(deployment) = owners.get(&(key.namespace.as_str(), rs.name.as_str())) else {
            continue;
        };
        for (c, usage) in pod.spec.containers.iter().zip(split_usage(pod, m.usage)) {
            let agg = vpa
                .aggregates
                .entry((
                    key.namespace.clone(),
                    (*deployment).to_string(),
                    c.name.clone(),
                ))
                .or_default();
            let cs_key = (key.clone(), pod.meta.uid, c.name.clone());
            let cs = vpa.containers.entry(cs_key).or_insert_with(|| {
                agg.pods_seen += 1;
                ContainerState::default()
            });
            cs.add_cpu_sample(agg, m.timestamp, usage.cpu.0, c.requests.cpu.0);
            cs.add_memory_sample(agg, m.timestamp, usage.memory.0);
        }
    }
    vpa.containers
        .retain(|(k, uid, _), _| state.pods.get(k).is_some_and(|p| p.meta.uid == *uid));
}

/// A pod's usage per container: the metrics-server reports pods, so the lab splits it in
/// proportion to the containers' requests (evenly without requests).
fn split_usage(pod: &Pod, usage: Resources) -> Vec<Resources> {
    let cs = &pod.spec.containers;
    let n = cs.len() as u64;
    let total = cs
        .iter()
        .fold(Resources::ZERO, |a, c| a.saturating_add(c.requests));
    cs.iter()
        .map(|c| {
            let share = |whole: u64, part: u64, sum: u64| {
                if sum == 0 {
                    whole / n.max(1)
                } else {
                    (u128::from(whole) * u128::from(part) / u128::from(sum)) as u64
                }
            };
            Resources::new(
                share(usage.cpu.0, c.requests.cpu.0, total.cpu.0),
                share(usage.memory.0, c.requests.memory.0, total.memory.0),
            )
        })
        .collect()
}

/// Writes one VPA's recommendation, conditions and explanation.
fn recommend(sim: &mut Simulation, key: &ObjectKey, metrics: bool) {
    let vpa = sim.state.vpas[key].clone();
    let dkey = ObjectKey::new(key.namespace.clone(), vpa.spec.target_name.clone());
    let Some(d) = sim.state.deployments.get(&dkey) else {
        notes_mut(sim, key).recommender = vec![format!(
            "recommender: Deployment {} not found in namespace {}: nothing to recommend for",
            dkey.name, dkey.namespace
        )];
        set_status(sim, key, Vec::new(), false);
        return;
    };
    let containers = d.spec.template.spec.containers.clone();
    let per_pod = containers.len() as u64;
    let live = live_pods(sim, &dkey).len();
    let mut recs = Vec::new();
    let mut lines = Vec::new();
    let mut history: Option<(SimDuration, u64, u64, f64)> = None;
    let mut off = 0;
    for c in &containers {
        let policy = vpa.spec.policy_for(&c.name);
        if policy.is_some_and(|p| p.mode == ContainerScalingMode::Off) {
            off += 1;
            lines.push(format!(
                "{}: scaling mode Off in resourcePolicy: no recommendation",
                c.name
            ));
            continue;
        }
        let agg_key = (dkey.namespace.clone(), dkey.name.clone(), c.name.clone());
        let Some(agg) = sim
            .controllers
            .vpa
            .aggregates
            .get(&agg_key)
            .filter(|a| a.total_samples > 0)
        else {
            continue;
        };
        let e = estimate_container(agg, per_pod);
        let Some(r) = apply_policy(&e, policy) else {
            continue;
        };
        if history.is_none() {
            history = Some((
                agg.history(),
                agg.pods_seen,
                agg.total_samples,
                agg.confidence(),
            ));
        }
        let prefix = if containers.len() > 1 {
            format!("{} ", c.name)
        } else {
            String::new()
        };
        lines.extend(explain(&prefix, c.requests, agg, &e, &r));
        recs.push(RecommendedContainerResources {
            container_name: c.name.clone(),
            target: r.target,
            lower_bound: r.lower,
            upper_bound: r.upper,
            uncapped_target: r.uncapped_target,
        });
    }
    crate::sim::sort::sort_by(&mut recs, |a, b| a.container_name.cmp(&b.container_name));
    let mut out = Vec::new();
    match history {
        Some((h, pods, samples, confidence)) => {
            // Spelled out: "62m" would read as millicores next to CPU figures.
            let mins = h.as_secs() / 60;
            let h = if mins >= 60 {
                format!("{} h {:02} min", mins / 60, mins % 60)
            } else {
                format!("{mins} min")
            };
            out.push(format!(
                "recommender: {h} of usage from {pods} pod{} ({samples} CPU samples, one a minute per pod); confidence {confidence:.3} (days of history){}",
                if pods == 1 { "" } else { "s" },
                if metrics {
                    ""
                } else {
                    " — no new pod metrics (the metrics-server add-on is not installed or not Ready): the history only ages"
                }
            ));
            out.extend(lines);
        }
        None if off == containers.len() => out.push(
            "recommender: every container's scaling mode is Off in the resourcePolicy: no recommendation".to_string(),
        ),
        None if !metrics => out.push(
            "recommender: no pod metrics: the metrics-server add-on is not installed or its pod is not Ready, so there is no usage to learn from and no recommendation".to_string(),
        ),
        None => {
            out.push(format!(
                "recommender: no usage samples of Deployment {}'s containers yet (its pods are not Running): no recommendation",
                dkey.name
            ));
            out.extend(lines);
        }
    }
    notes_mut(sim, key).recommender = out;
    set_status(sim, key, recs, live > 0);
}

/// Updates the recommendation and the `RecommendationProvided` / `NoPodsMatched` conditions
/// (`model/vpa.go` `UpdateConditions`).
fn set_status(
    sim: &mut Simulation,
    key: &ObjectKey,
    recs: Vec<RecommendedContainerResources>,
    pods_matched: bool,
) {
    let now = sim.now();
    let Some(v) = sim.state.vpas.get_mut(key) else {
        return;
    };
    let before = (
        v.status.recommendations.clone(),
        v.status.conditions.clone(),
    );
    let provided = !recs.is_empty();
    v.status.recommendations = recs;
    if provided {
        v.status.last_update = Some(now);
    }
    let (reason, message) = if pods_matched {
        (String::new(), String::new())
    } else {
        (
            "NoPodsMatched".to_string(),
            "No pods match this VPA object".to_string(),
        )
    };
    if pods_matched {
        v.status.conditions.retain(|c| c.type_ != NO_PODS_MATCHED);
    } else {
        set_condition(
            &mut v.status.conditions,
            NO_PODS_MATCHED,
            true,
            &reason,
            &message,
            now,
        );
    }
    if provided {
        set_condition(
            &mut v.status.conditions,
            RECOMMENDATION_PROVIDED,
            true,
            "",
            "",
            now,
        );
    } else {
        set_condition(
            &mut v.status.conditions,
            RECOMMENDATION_PROVIDED,
            false,
            &reason,
            &message,
            now,
        );
    }
    if (
        v.status.recommendations.clone(),
        v.status.conditions.clone(),
    ) != before
    {
        sim.state.touch();
    }
}

/// The condition types the recommender sets.
pub const RECOMMENDATION_PROVIDED: &str = "RecommendationProvided";
pub const NO_PODS_MATCHED: &str = "NoPodsMatched";

fn set_condition(
    conditions: &mut Vec<VpaCondition>,
    type_: &'static str,
    status: bool,
    reason: &str,
    message: &str,
    now: SimTime,
) {
    if let Some(c) = conditions.iter_mut().find(|c| c.type_ == type_) {
        if c.status != status {
            c.last_transition_time = now;
        }
        c.status = status;
        c.reason = reason.to_string();
        c.message = message.to_string();
    } else {
        conditions.push(VpaCondition {
            type_,
            status,
            reason: reason.to_string(),
            message: message.to_string(),
            last_transition_time: now,
        });
        crate::sim::sort::sort_by_key(conditions, |c| c.type_);
    }
}

/// The explanation of one container's numbers.
fn explain(
    prefix: &str,
    request: Resources,
    agg: &AggregateState,
    e: &ContainerEstimates,
    r: &PolicyResult,
) -> Vec<String> {
    let mut lines = Vec::new();
    let cpu = |m: u64| MilliCpu(m).to_string();
    let mem = |b: u64| updater::mem_text(b);
    let what = |t: &Estimate, min: u64, show: &dyn Fn(u64) -> String| {
        if t.value > t.with_margin {
            format!(", raised to the {} per-pod minimum", show(min))
        } else {
            String::new()
        }
    };
    let capped = |target: u64, uncapped: u64, show: &dyn Fn(u64) -> String| {
        if target == uncapped {
            String::new()
        } else {
            format!(
                ", capped by the resourcePolicy to {} (uncapped target {} kept)",
                show(target),
                show(uncapped)
            )
        }
    };
    let delta = |req: u64, target: u64, show: &dyn Fn(u64) -> String| {
        if req == 0 {
            "no request today: the recommendation sets one".to_string()
        } else if target < req {
            format!(
                "request today {} → would save {} per pod",
                show(req),
                show(req - target)
            )
        } else if target > req {
            format!(
                "request today {} → needs {} more per pod",
                show(req),
                show(target - req)
            )
        } else {
            format!("request today {} → already right-sized", show(req))
        }
    };
    if r.target.cpu.0 > 0 {
        lines.push(format!(
            "{prefix}cpu: P90 of {} of usage = {} (the top of its 5%-wide histogram bucket), +15% margin = {}{}{} → target {}; {}",
            agg.history(),
            cpu(e.cpu_target.percentile),
            cpu(e.cpu_target.with_margin),
            what(&e.cpu_target, e.min.cpu.0, &cpu),
            capped(r.target.cpu.0, r.uncapped_target.cpu.0, &cpu),
            cpu(r.target.cpu.0),
            delta(request.cpu.0, r.target.cpu.0, &cpu),
        ));
    }
    if r.target.memory.0 > 0 {
        lines.push(format!(
            "{prefix}memory: P90 of {} daily peak{} = {}, +15% = {}{}{} → target {}; {}",
            agg.memory_peaks_added,
            if agg.memory_peaks_added == 1 { "" } else { "s" },
            mem(e.memory_target.percentile),
            mem(e.memory_target.with_margin),
            what(&e.memory_target, e.min.memory.0, &mem),
            capped(r.target.memory.0, r.uncapped_target.memory.0, &mem),
            mem(r.target.memory.0),
            delta(request.memory.0, r.target.memory.0, &mem),
        ));
    }
    let c = agg.confidence();
    let bound = |v: u64, show: &dyn Fn(u64) -> String| {
        if v >= MAX_RESOURCE_AMOUNT {
            "unbounded".to_string()
        } else {
            show(v)
        }
    };
    let factors = if c > 0.0 {
        let lower = confidence_factor(0.001, -2, c);
        let upper = confidence_factor(1.0, 1, c);
        format!(
            "lower bound = P50 +15% ×(1+0.001/{c:.3})^-2 = ×{lower:.3}, upper bound = P95 +15% ×(1+1/{c:.3}) = ×{upper:.2}: the longer the history, the narrower the range"
        )
    } else {
        "with no history yet the lower bound is 0 (so the minimum) and the upper bound unbounded"
            .to_string()
    };
    lines.push(format!(
        "{prefix}bounds: cpu {}–{}, memory {}–{}; {factors}",
        cpu(r.lower.cpu.0),
        bound(r.upper.cpu.0, &cpu),
        mem(r.lower.memory.0),
        bound(r.upper.memory.0, &mem),
    ));
    lines
}

#[cfg(test)]
#[expect(
    clippy::float_cmp,
    reason = "the histogram maths must be bit-exact: percentiles are bucket boundaries"
)]
mod tests {
    use super::*;

    #[test]
    fn pow_int_matches_known_powers() {
        let cases: [(f64, u32, f64); 5] = [
            (2.0, 0, 1.0),
            (2.0, 10, 1024.0),
            (0.5, 3, 0.125),
            (1.05, 1, 1.05),
            (3.0, 5, 243.0),
        ];
        for (x, n, want) in cases {
            assert_eq!(pow_int(x, n), want, "{x}^{n}");
        }
        // 1.05^26 = 3.5556726879…, within an ulp or two of the correctly rounded value (Go's
        // repeated squaring rounds the same way as this).
        assert!((pow_int(1.05, 26) - 3.555_672_687_944_358).abs() < 1e-14);
    }

    #[test]
    fn exp2_days_is_two_to_the_days() {
        let cases: [(i64, f64); 7] = [
            (0, 1.0),
            (86_400, 2.0),
            (-86_400, 0.5),
            (43_200, std::f64::consts::SQRT_2),
            (3 * 86_400, 8.0),
            (-43_200, std::f64::consts::FRAC_1_SQRT_2),
            (21_600, 1.189_207_115_002_721),
        ];
        for (secs, want) in cases {
            let got = exp2_days(secs);
            assert!(
                ((got - want) / want).abs() < 4e-16,
                "2^({secs}/86400) = {got}, want {want}"
            );
        }
        // Within an hour: 2^(1800/86400) = 1.014545…; monotonic across the hour boundary.
        assert!((exp2_days(1800) - 1.014_545_334_937_523_7).abs() < 1e-15);
        assert!(exp2_days(3599) < exp2_days(3600));
        assert!(exp2_days(3600) < exp2_days(3601));
    }

    #[test]
    fn buckets_follow_upstream_options() {
        let cpu = cpu_histogram_options();
        let mem = memory_histogram_options();
        // ceil(log_1.05(1000 × 0.05 / 0.01 + 1)) + 1 = ceil(174.6…) + 1.
        assert_eq!(cpu.num_buckets, 176);
        assert_eq!(mem.num_buckets, 176);
        let table: [(usize, f64); 4] = [(0, 0.0), (1, 0.01), (2, 0.0205), (3, 0.031_525)];
        for (b, start) in table {
            assert!((cpu.bucket_start(b) - start).abs() < 1e-12, "bucket {b}");
        }
        // Each value falls in the bucket whose start is the last one at or below it.
        let finds: [(f64, usize); 6] = [
            (0.0, 0),
            (0.009, 0),
            (0.01, 1),
            (0.02, 1),
            (0.51, 25),
            (1e9, 175),
        ];
        for (v, b) in finds {
            assert_eq!(cpu.find_bucket(v), b, "value {v}");
        }
    }

    #[test]
    fn percentiles_are_bucket_ends() {
        let mut h = Histogram::new(cpu_histogram_options());
        assert_eq!(h.percentile(0.9), 0.0);
        assert!(h.is_empty());
        // 0.51 cores lies in bucket 25 [0.5080, 0.5113); P90 is its end.
        h.add(0.51, 1.0);
        let end = cpu_histogram_options().bucket_start(26);
        assert_eq!(h.percentile(0.9), end);
        assert_eq!(amount_from_float(end * 1000.0), 511);
        // Nine light samples low and one heavy high: the weights decide.
        let mut h = Histogram::new(cpu_histogram_options());
        for _ in 0..9 {
            h.add(0.1, 1.0);
        }
        h.add(1.0, 1.0);
        let table: [(f64, usize); 4] = [(0.5, 9), (0.9, 9), (0.95, 37), (1.0, 37)];
        for (p, bucket) in table {
            assert_eq!(
                h.percentile(p),
                cpu_histogram_options().bucket_start(bucket),
                "P{p}"
            );
        }
        h.subtract(1.0, 1.0);
        assert_eq!(h.percentile(0.99), cpu_histogram_options().bucket_start(9));
    }

    #[test]
    fn decaying_histogram_weighs_recent_samples_more() {
        let mut h = DecayingHistogram::new(cpu_histogram_options(), HALF_LIFE);
        // Two days ago at 1 core (weight 1 then, ¼ now), today at 0.1 core weight 1.
        h.add(1.0, 1.0, SimTime::from_secs(0));
        h.add(0.1, 1.0, SimTime::from_secs(2 * 86_400));
        let total = h.histogram.total_weight();
        assert!((total - 5.0).abs() < 1e-12, "{total}");
        // 80% of the weight is at 0.1 core.
        assert_eq!(h.percentile(0.8), cpu_histogram_options().bucket_start(9));
        assert_eq!(h.percentile(0.81), cpu_histogram_options().bucket_start(37));
    }

    #[test]
    fn reference_moves_after_a_hundred_half_lives() {
        let mut h = DecayingHistogram::new(memory_histogram_options(), HALF_LIFE);
        h.add(1e8, 1.0, SimTime::from_secs(0));
        h.add(1e8, 1.0, SimTime::from_secs(101 * 86_400));
        // The first sample is 2^-101 of the second: well under epsilon after rescaling.
        assert!((h.histogram.total_weight() - 1.0).abs() < 1e-12);
    }

    fn agg_with(cpu_m: u64, mem: u64, minutes: u64, pods: u64) -> AggregateState {
        let mut agg = AggregateState::default();
        let mut states = vec![ContainerState::default(); pods as usize];
        for m in 0..minutes {
            let at = SimTime::from_mins(m);
            for s in &mut states {
                s.add_cpu_sample(&mut agg, at, cpu_m, 500);
                s.add_memory_sample(&mut agg, at, mem);
            }
        }
        agg
    }

    #[test]
    fn estimates_follow_upstream_table() {
        // (cpu usage m, memory usage, minutes, pods) → (target cpu, target memory).
        let table: [(u64, u64, u64, u64, u64, u64); 4] = [
            // 510m: bucket end 511m, +15% = 587m (the hamster example's number).
            (510, 100 * MIB, 120, 2, 587, 250 * MIB),
            // Tiny usage: the 25m / 250Mi minimums.
            (2, 16 * MIB, 60, 1, 25, 250 * MIB),
            // 110m: bucket end 110m, +16m.
            (110, 64 * MIB, 60, 2, 126, 250 * MIB),
            // 1 GiB of memory: bucket end above it, +15%.
            (1000, 1024 * MIB, 30, 3, 1168, 1_238_659_775),
        ];
        for (cpu, mem, minutes, pods, want_cpu, want_mem) in table {
            let agg = agg_with(cpu, mem, minutes, pods);
            let e = estimate_container(&agg, 1);
            assert_eq!(
                (e.cpu_target.value, e.memory_target.value),
                (want_cpu, want_mem),
                "usage {cpu}m / {mem}"
            );
        }
    }

    #[test]
    fn bounds_tighten_as_history_grows() {
        // (minutes of history) → (lower cpu, upper cpu) for a steady 510m.
        let table: [(u64, u64, u64); 3] = [
            // 1 sample: no confidence: lower 0 → minimum, upper unbounded.
            (1, 25, MAX_RESOURCE_AMOUNT),
            // 60 minutes (59 of history): lower × (1 + 0.001/0.04097)^-2, upper × (1 + 24.4).
            (60, 559, 14913),
            // A day: lower ≈ target, upper × 2.
            (1441, 585, 1174),
        ];
        for (minutes, lower, upper) in table {
            let agg = agg_with(510, 100 * MIB, minutes, 2);
            let e = estimate_container(&agg, 1);
            assert_eq!(
                (e.cpu_lower.value, e.cpu_upper.value),
                (lower, upper),
                "{minutes} minutes"
            );
        }
    }

    #[test]
    fn memory_keeps_one_peak_per_interval() {
        let mut agg = AggregateState::default();
        let mut c = ContainerState::default();
        c.add_memory_sample(&mut agg, SimTime::from_mins(0), 100 * MIB);
        c.add_memory_sample(&mut agg, SimTime::from_mins(1), 80 * MIB);
        c.add_memory_sample(&mut agg, SimTime::from_mins(2), 120 * MIB);
        assert_eq!(agg.memory_peaks_added, 1);
        assert_eq!(c.memory_peak, 120 * MIB);
        // One peak of weight 1, dated at the window's end (which is also the reference time).
        assert!((agg.memory_peaks.histogram.total_weight() - 1.0).abs() < 1e-12);
        // The next day starts a new interval and a new peak.
        c.add_memory_sample(&mut agg, SimTime::from_mins(24 * 60 + 5), 90 * MIB);
        assert_eq!(agg.memory_peaks_added, 2);
        assert_eq!(c.window_end, Some(SimTime::from_mins(2 * 24 * 60)));
    }

    #[test]
    fn policy_caps_but_keeps_the_uncapped_target() {
        let agg = agg_with(510, 100 * MIB, 120, 2);
        let e = estimate_container(&agg, 1);
        let mut p = ContainerResourcePolicy::new("*");
        p.max_allowed = Some(Resources::new(300, 0));
        p.min_allowed = Some(Resources::new(0, 300 * MIB));
        let r = apply_policy(&e, Some(&p)).unwrap();
        assert_eq!(r.target, Resources::new(300, 300 * MIB));
        assert_eq!(r.uncapped_target, Resources::new(587, 250 * MIB));
        p.controlled_resources = vec![ResourceName::Cpu];
        let r = apply_policy(&e, Some(&p)).unwrap();
        assert_eq!(r.target.memory.0, 0);
        p.mode = ContainerScalingMode::Off;
        assert!(apply_policy(&e, Some(&p)).is_none());
    }

    #[test]
    fn minimums_are_shared_among_containers() {
        let agg = agg_with(2, 16 * MIB, 10, 1);
        let e = estimate_container(&agg, 2);
        assert_eq!(e.min, Resources::new(12, 131_072_000));
    }
}
