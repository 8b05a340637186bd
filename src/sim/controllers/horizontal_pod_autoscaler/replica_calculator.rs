//! The replica calculator, as upstream's `replica_calculator.go`: from pod metrics, requests
//! and readiness to a proposed replica count for one metric, with every step in words.
//!
//! Ratios are exact fractions: utilization is `total usage × 100 ÷ total requests` truncated
//! to a whole percent (as upstream's `GetResourceUtilizationRatio`), the usage ratio is that
//! percent over the target, and `ceil(pods × ratio)` is computed by integer division, so the
//! result never depends on floating-point rounding.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::api::PodPhase;
use crate::sim::api::autoscaling::{ResourceName, milli_quantity, target_quantity};
use crate::sim::clock::{SimDuration, SimTime};

/// `--horizontal-pod-autoscaler-cpu-initialization-period` (eks-facts §6.1).
pub const CPU_INITIALIZATION_PERIOD: SimDuration = SimDuration::from_mins(5);
/// `--horizontal-pod-autoscaler-initial-readiness-delay` (eks-facts §6.1).
pub const INITIAL_READINESS_DELAY: SimDuration = SimDuration::from_secs(30);

/// What the calculator needs to know about one pod the scale target selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    pub name: String,
    pub phase: PodPhase,
    /// Deleting, or Succeeded/Failed.
    pub finished: bool,
    /// The `Ready` condition: status and last transition.
    pub ready: Option<(bool, SimTime)>,
    pub start_time: Option<SimTime>,
    /// Each container's request for the metric's resource in milli-units, `None` when unset.
    pub requests: Vec<(String, Option<u64>)>,
}

/// One pod's metric from the metrics API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodMetric {
    /// Milli-units: millicores, or thousandths of a byte.
    pub value: u64,
    pub timestamp: SimTime,
    pub window: SimDuration,
}

/// Scale-down and scale-up tolerances in thousandths (upstream `Tolerances`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tolerances {
    pub down_permille: u64,
    pub up_permille: u64,
}

/// A metric's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Percent of the pods' requests.
    Utilization(u64),
    /// Average per pod, in milli-units.
    AverageValue(u64),
}

/// The calculator's answer for one metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub replicas: u64,
    /// The utilization in percent, for utilization targets.
    pub utilization: Option<u64>,
    /// The average per pod in milli-units.
    pub average_milli: u64,
    pub lines: Vec<String>,
}

/// A usage ratio `num / den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ratio {
    num: u128,
    den: u128,
}

impl Ratio {
    fn above_one(self) -> bool {
        self.num > self.den
    }

    fn below_one(self) -> bool {
        self.num < self.den
    }

    /// `ceil(n × ratio)`.
    fn ceil_times(self, n: u64) -> u64 {
        (u128::from(n) * self.num).div_ceil(self.den) as u64
    }

    /// The ratio for people: two decimals when exact, else `≈` and three.
    fn text(self) -> String {
        let hundredths = self.num * 100;
        if hundredths.is_multiple_of(self.den) {
            let v = hundredths / self.den;
            format!("{}.{:02}", v / 100, v % 100)
        } else {
            let v = (self.num * 2000 / self.den).div_ceil(2);
            format!("≈{}.{:03}", v / 1000, v % 1000)
        }
    }
}

impl Tolerances {
    /// `isWithin`: `1 − down ≤ ratio ≤ 1 + up`.
    fn within(self, r: Ratio) -> bool {
        let lo = u128::from(1000u64.saturating_sub(self.down_permille)) * r.den;
        let hi = u128::from(1000 + self.up_permille) * r.den;
        let x = r.num * 1000;
        lo <= x && x <= hi
    }

    fn text(self) -> String {
        if self.down_permille == self.up_permille {
            format!("tolerance {}", permille_percent(self.up_permille))
        } else {
            format!(
                "tolerance {} down, {} up",
                permille_percent(self.down_permille),
                permille_percent(self.up_permille)
            )
        }
    }

    /// The verdict on a ratio in words: `ratio 1.92 > 1.1 (tolerance 10%): scale up`.
    fn verdict(self, r: Ratio) -> String {
        let up = permille_decimal(1000 + self.up_permille);
        let down = permille_decimal(1000u64.saturating_sub(self.down_permille));
        let tol = self.text();
        let ratio = r.text();
        if self.within(r) {
            format!("ratio {ratio} within {down}..{up} ({tol}): no change")
        } else if r.above_one() {
            format!("ratio {ratio} > {up} ({tol}): scale up")
        } else {
            format!("ratio {ratio} < {down} ({tol}): scale down")
        }
    }
}

/// `1100` → `1.1`, `950` → `0.95`, `1000` → `1`.
fn permille_decimal(p: u64) -> String {
    let frac = format!("{:03}", p % 1000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}", p / 1000)
    } else {
        format!("{}.{frac}", p / 1000)
    }
}

/// `100` → `10%`, `15` → `1.5%`.
fn permille_percent(p: u64) -> String {
    if p.is_multiple_of(10) {
        format!("{}%", p / 10)
    } else {
        format!("{}.{}%", p / 10, p % 10)
    }
}

fn pods(n: usize) -> String {
    if n == 1 {
        "1 pod".to_string()
    } else {
        format!("{n} pods")
    }
}

/// The pods by what the calculator does with them (`groupPods`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Groups {
    ready: u64,
    unready: BTreeSet<String>,
    missing: BTreeSet<String>,
    ignored: BTreeSet<String>,
}

/// `groupPods`: finished pods are ignored; pending pods are unready; pods without a metric
/// are missing; for CPU, a pod is unready when it has no Ready condition or start time, when
/// it is within the CPU initialization period and either not ready or its metric predates
/// one window after its last readiness change, or when it has never become ready since its
/// initial readiness delay.
fn group_pods(
    pods: &[PodInfo],
    metrics: &BTreeMap<String, PodMetric>,
    resource: ResourceName,
    now: SimTime,
) -> Groups {
    let mut g = Groups::default();
    for p in pods {
        if p.finished {
            g.ignored.insert(p.name.clone());
            continue;
        }
        if p.phase == PodPhase::Pending {
            g.unready.insert(p.name.clone());
            continue;
        }
        let Some(metric) = metrics.get(&p.name) else {
            g.missing.insert(p.name.clone());
            continue;
        };
        if resource == ResourceName::Cpu {
            let unready = match (p.ready, p.start_time) {
                (Some((ready, changed)), Some(start)) => {
                    if start + CPU_INITIALIZATION_PERIOD > now {
                        !ready || metric.timestamp < changed + metric.window
                    } else {
                        !ready && start + INITIAL_READINESS_DELAY > changed
                    }
                }
                _ => true,
            };
            if unready {
                g.unready.insert(p.name.clone());
                continue;
            }
        }
        g.ready += 1;
    }
    g
}

/// `calculateRequests` (no container filter): the sum of the containers' requests, or
/// upstream's error for the first container without one.
fn requests(pods: &[PodInfo], resource: ResourceName) -> Result<BTreeMap<String, u64>, String> {
    let mut out = BTreeMap::new();
    for p in pods {
        let mut sum = 0;
        for (container, request) in &p.requests {
            let Some(r) = request else {
                return Err(format!(
                    "missing request for {} in container {container} of Pod {}",
                    resource.as_str(),
                    p.name
                ));
            };
            sum += r;
        }
        out.insert(p.name.clone(), sum);
    }
    Ok(out)
}

/// `GetResourceUtilizationRatio`: (ratio, utilization %, average per pod in milli-units).
fn utilization_ratio(
    metrics: &BTreeMap<String, u64>,
    requests: &BTreeMap<String, u64>,
    target: u64,
) -> Result<(Ratio, u64, u64), String> {
    let (mut usage, mut requested, mut n) = (0u128, 0u128, 0u128);
    for (pod, value) in metrics {
        // Metrics of pods the calculator does not know are extraneous.
        let Some(r) = requests.get(pod) else { continue };
        usage += u128::from(*value);
        requested += u128::from(*r);
        n += 1;
    }
    if requested == 0 {
        return Err("no metrics returned matched known pods".to_string());
    }
    let utilization = (usage * 100 / requested) as u64;
    Ok((
        Ratio {
            num: u128::from(utilization),
            den: u128::from(target.max(1)),
        },
        utilization,
        (usage / n) as u64,
    ))
}

/// `GetMetricUsageRatio`: (ratio, average per pod in milli-units).
fn usage_ratio(metrics: &BTreeMap<String, u64>, target: u64) -> (Ratio, u64) {
    let total: u128 = metrics.values().map(|v| u128::from(*v)).sum();
    let average = (total / (metrics.len().max(1) as u128)) as u64;
    (
        Ratio {
            num: u128::from(average),
            den: u128::from(target.max(1)),
        },
        average,
    )
}

/// How one metric's average reads.
fn describe_average(
    resource: ResourceName,
    target: Target,
    utilization: u64,
    average: u64,
    n: usize,
) -> String {
    let name = resource.as_str();
    match target {
        Target::Utilization(t) => format!(
            "{name}: average {utilization}% of request across {} (target {t}%)",
            pods(n)
        ),
        Target::AverageValue(t) => format!(
            "{name}: average {} per pod across {} (target {})",
            milli_quantity(resource, average),
            pods(n),
            target_text(resource, t)
        ),
    }
}

fn target_text(resource: ResourceName, target_milli: u64) -> String {
    match resource {
        ResourceName::Cpu => target_quantity(resource, target_milli),
        ResourceName::Memory => target_quantity(resource, target_milli / 1000),
    }
}

/// `GetResourceReplicas` (utilization targets) and `GetRawResourceReplicas` →
/// `calcPlainMetricReplicas` (average-value targets), for the pods the scale target selects
/// and the metrics the metrics API returned for them.
pub fn replicas(
    current: u64,
    target: Target,
    resource: ResourceName,
    tolerances: Tolerances,
    pods_list: &[PodInfo],
    metrics: &BTreeMap<String, PodMetric>,
    now: SimTime,
) -> Result<Proposal, String> {
    if pods_list.is_empty() {
        return Err("no pods returned by selector while calculating replica count".to_string());
    }
    let g = group_pods(pods_list, metrics, resource, now);
    let mut values: BTreeMap<String, u64> = crate::sim::sort::map(
        metrics
            .iter()
            .filter(|(name, _)| !g.ignored.contains(*name) && !g.unready.contains(*name))
            .map(|(name, m)| (name.clone(), m.value)),
    );
    if values.is_empty() {
        return Err(
            "did not receive metrics for targeted pods (pods might be unready)".to_string(),
        );
    }
    let reqs = match target {
        Target::Utilization(_) => requests(pods_list, resource)?,
        Target::AverageValue(_) => BTreeMap::new(),
    };
    let compute = |values: &BTreeMap<String, u64>| -> Result<(Ratio, u64, u64), String> {
        match target {
            Target::Utilization(t) => utilization_ratio(values, &reqs, t),
            Target::AverageValue(t) => {
                let (r, avg) = usage_ratio(values, t);
                Ok((r, 0, avg))
            }
        }
    };
    let (ratio, utilization, average) = compute(&values)?;
    let mut lines = vec![describe_average(
        resource,
        target,
        utilization,
        average,
        values.len(),
    )];
    if !g.unready.is_empty() {
        lines.push(format!(
            "{} not ready yet (pending, or CPU still initializing)",
            pods(g.unready.len())
        ));
    }
    if !g.missing.is_empty() {
        lines.push(format!("{} without metrics yet", pods(g.missing.len())));
    }
    let proposal = |replicas: u64, lines: Vec<String>| Proposal {
        replicas,
        utilization: matches!(target, Target::Utilization(_)).then_some(utilization),
        average_milli: average,
        lines,
    };
    let scale_up_with_unready = !g.unready.is_empty() && ratio.above_one();
    lines.push(tolerances.verdict(ratio));
    if !scale_up_with_unready && g.missing.is_empty() {
        if tolerances.within(ratio) {
            return Ok(proposal(current, lines));
        }
        let replicas = ratio.ceil_times(g.ready);
        lines.push(format!(
            "proposal ceil({} × {}) = {replicas}",
            g.ready,
            ratio.text()
        ));
        return Ok(proposal(replicas, lines));
    }
    // Missing pods count at 0% on a scale-up and at the target (at least 100% of request)
    // on a scale-down; unready pods count at 0% on a scale-up.
    if !g.missing.is_empty() {
        if ratio.below_one() {
            for name in &g.missing {
                let v = match target {
                    Target::Utilization(t) => {
                        reqs.get(name).copied().unwrap_or(0) * t.max(100) / 100
                    }
                    Target::AverageValue(t) => t,
                };
                values.insert(name.clone(), v);
            }
            let what = match target {
                Target::Utilization(t) => format!("{}% of request", t.max(100)),
                Target::AverageValue(_) => "the target".to_string(),
            };
            lines.push(format!(
                "scale down: {} without metrics counted at {what}",
                pods(g.missing.len())
            ));
        } else if ratio.above_one() {
            for name in &g.missing {
                values.insert(name.clone(), 0);
            }
            lines.push(format!(
                "scale up: {} without metrics counted at 0%",
                pods(g.missing.len())
            ));
        }
    }
    if scale_up_with_unready {
        for name in &g.unready {
            values.insert(name.clone(), 0);
        }
        lines.push(format!(
            "scale up: {} not ready counted at 0%",
            pods(g.unready.len())
        ));
    }
    let (new_ratio, new_util, new_average) = compute(&values)?;
    let again = match target {
        Target::Utilization(_) => format!("average {new_util}% across {}", pods(values.len())),
        Target::AverageValue(_) => format!(
            "average {} across {}",
            milli_quantity(resource, new_average),
            pods(values.len())
        ),
    };
    lines.push(format!("recomputed: {again}, ratio {}", new_ratio.text()));
    let flipped = (ratio.below_one() && new_ratio.above_one())
        || (ratio.above_one() && new_ratio.below_one());
    if tolerances.within(new_ratio) || flipped {
        lines.push(format!(
            "{}: keep {current}",
            if flipped {
                "that reverses the direction"
            } else {
                "that is within tolerance"
            }
        ));
        return Ok(proposal(current, lines));
    }
    let replicas = new_ratio.ceil_times(values.len() as u64);
    if (new_ratio.below_one() && replicas > current)
        || (new_ratio.above_one() && replicas < current)
    {
        lines.push(format!(
            "ceil({} × {}) = {replicas} would go the other way: keep {current}",
            values.len(),
            new_ratio.text()
        ));
        return Ok(proposal(current, lines));
    }
    lines.push(format!(
        "proposal ceil({} × {}) = {replicas}",
        values.len(),
        new_ratio.text()
    ));
    Ok(proposal(replicas, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CPU: ResourceName = ResourceName::Cpu;
    const TOL: Tolerances = Tolerances {
        down_permille: 100,
        up_permille: 100,
    };

    /// A running pod, ready since `ready_at`, started at 0, requesting `request` millicores.
    fn pod(name: &str, request: u64) -> PodInfo {
        PodInfo {
            name: name.to_string(),
            phase: PodPhase::Running,
            finished: false,
            ready: Some((true, SimTime::from_secs(10))),
            start_time: Some(SimTime::EPOCH),
            requests: vec![("web".to_string(), Some(request))],
        }
    }

    fn metric(value: u64, at: u64) -> PodMetric {
        PodMetric {
            value,
            timestamp: SimTime::from_secs(at),
            window: SimDuration::from_secs(15),
        }
    }

    fn metrics(list: &[(&str, u64)], at: u64) -> BTreeMap<String, PodMetric> {
        list.iter()
            .map(|(n, v)| ((*n).to_string(), metric(*v, at)))
            .collect()
    }

    fn now() -> SimTime {
        SimTime::from_mins(10)
    }

    #[test]
    fn utilization_targets_propose_ceil_of_pods_times_ratio() {
        // (usage per pod in millicores, target %) → replicas from 2 pods requesting 500m.
        for (usage, target, want, verdict) in [
            (500, 50, 4, "ratio 2.00 > 1.1 (tolerance 10%): scale up"),
            (480, 50, 4, "ratio 1.92 > 1.1 (tolerance 10%): scale up"),
            (
                262,
                50,
                2,
                "ratio 1.04 within 0.9..1.1 (tolerance 10%): no change",
            ),
            (
                275,
                50,
                2,
                "ratio 1.10 within 0.9..1.1 (tolerance 10%): no change",
            ),
            (280, 50, 3, "ratio 1.12 > 1.1 (tolerance 10%): scale up"),
            (
                225,
                50,
                2,
                "ratio 0.90 within 0.9..1.1 (tolerance 10%): no change",
            ),
            (100, 50, 1, "ratio 0.40 < 0.9 (tolerance 10%): scale down"),
            (0, 50, 0, "ratio 0.00 < 0.9 (tolerance 10%): scale down"),
            (485, 60, 4, "ratio ≈1.617 > 1.1 (tolerance 10%): scale up"),
        ] {
            let p = replicas(
                2,
                Target::Utilization(target),
                CPU,
                TOL,
                &[pod("a", 500), pod("b", 500)],
                &metrics(&[("a", usage), ("b", usage)], 590),
                now(),
            )
            .unwrap();
            assert_eq!(p.replicas, want, "{usage}m at {target}%");
            assert_eq!(p.lines[1], verdict);
            assert_eq!(p.average_milli, usage);
        }
    }

    #[test]
    fn the_explanation_reads_step_by_step() {
        let p = replicas(
            2,
            Target::Utilization(50),
            CPU,
            TOL,
            &[pod("a", 500), pod("b", 500)],
            &metrics(&[("a", 470), ("b", 490)], 590),
            now(),
        )
        .unwrap();
        assert_eq!(
            p.lines,
            [
                "cpu: average 96% of request across 2 pods (target 50%)",
                "ratio 1.92 > 1.1 (tolerance 10%): scale up",
                "proposal ceil(2 × 1.92) = 4",
            ]
        );
        assert_eq!((p.utilization, p.average_milli), (Some(96), 480));
    }

    #[test]
    fn missing_metrics_damp_both_directions() {
        // Scale up: the pod without metrics counts at 0%: (500+500+0)/1500 = 66% → ratio
        // 1.32 → ceil(3 × 1.32) = 4.
        let list = [pod("a", 500), pod("b", 500), pod("c", 500)];
        let p = replicas(
            3,
            Target::Utilization(50),
            CPU,
            TOL,
            &list,
            &metrics(&[("a", 500), ("b", 500)], 590),
            now(),
        )
        .unwrap();
        assert_eq!(p.replicas, 4);
        assert!(
            p.lines
                .contains(&"recomputed: average 66% across 3 pods, ratio 1.32".to_string())
        );
        // Scale down: it counts at 100% of request: (100+100+500)/1500 = 46% → 0.92 → keep.
        let p = replicas(
            3,
            Target::Utilization(50),
            CPU,
            TOL,
            &list,
            &metrics(&[("a", 100), ("b", 100)], 590),
            now(),
        )
        .unwrap();
        assert_eq!(p.replicas, 3);
        assert_eq!(p.lines.last().unwrap(), "that is within tolerance: keep 3");
    }

    #[test]
    fn unready_pods_count_at_zero_on_scale_up_and_are_ignored_on_scale_down() {
        let mut fresh = pod("c", 500);
        fresh.phase = PodPhase::Pending;
        fresh.ready = None;
        let list = [pod("a", 500), pod("b", 500), fresh];
        // Up: (500+500+0)/1500 = 66% → 1.32 → ceil(3 × 1.32) = 4.
        let up = metrics(&[("a", 500), ("b", 500)], 590);
        let p = replicas(3, Target::Utilization(50), CPU, TOL, &list, &up, now()).unwrap();
        assert_eq!(p.replicas, 4);
        // Down: the pending pod is left out: 20% over 2 ready pods → ceil(2 × 0.4) = 1.
        let down = metrics(&[("a", 100), ("b", 100)], 590);
        let p = replicas(3, Target::Utilization(50), CPU, TOL, &list, &down, now()).unwrap();
        assert_eq!(p.replicas, 1);
    }

    #[test]
    fn group_pods_follows_the_cpu_initialization_rules() {
        let t = SimTime::from_secs;
        let base = |ready: Option<(bool, SimTime)>, start: u64| PodInfo {
            ready,
            start_time: Some(t(start)),
            ..pod("p", 500)
        };
        // (pod, metric timestamp, now) → unready?
        for (p, stamp, now, unready) in [
            // Within 5 min of start, ready at 100 s: a sample taken at 110 s predates one
            // window after the change; one at 115 s does not.
            (base(Some((true, t(100))), 0), 110, 120, true),
            (base(Some((true, t(100))), 0), 115, 120, false),
            (base(Some((false, t(100))), 0), 115, 120, true),
            // After 5 min: unready only if it never became ready after the 30 s delay.
            (base(Some((false, t(20))), 0), 400, 400, true),
            (base(Some((false, t(200))), 0), 400, 400, false),
            (base(None, 0), 400, 400, true),
        ] {
            let m = [("p".to_string(), metric(100, stamp))]
                .into_iter()
                .collect();
            let g = group_pods(std::slice::from_ref(&p), &m, CPU, t(now));
            assert_eq!(g.unready.len() == 1, unready, "{p:?} at {stamp}/{now}");
            // Memory has no readiness rules.
            let g = group_pods(&[p], &m, ResourceName::Memory, t(now));
            assert_eq!(g.ready, 1);
        }
    }

    #[test]
    fn errors_read_like_upstream() {
        let mut no_request = pod("web-1", 500);
        no_request.requests[0].1 = None;
        let e = replicas(
            1,
            Target::Utilization(50),
            CPU,
            TOL,
            &[no_request],
            &metrics(&[("web-1", 100)], 590),
            now(),
        );
        assert_eq!(
            e,
            Err("missing request for cpu in container web of Pod web-1".to_string())
        );
        let e = replicas(
            1,
            Target::Utilization(50),
            CPU,
            TOL,
            &[],
            &BTreeMap::new(),
            now(),
        );
        assert_eq!(
            e,
            Err("no pods returned by selector while calculating replica count".to_string())
        );
        let mut pending = pod("web-1", 500);
        pending.phase = PodPhase::Pending;
        let e = replicas(
            1,
            Target::Utilization(50),
            CPU,
            TOL,
            &[pending],
            &metrics(&[("web-1", 100)], 590),
            now(),
        );
        assert_eq!(
            e,
            Err("did not receive metrics for targeted pods (pods might be unready)".to_string())
        );
    }

    #[test]
    fn average_value_targets_use_the_mean_per_pod() {
        const MIB: u64 = 1024 * 1024 * 1000;
        // 150Mi and 250Mi against 100Mi: average 200Mi → ratio 2 → 4 pods.
        let p = replicas(
            2,
            Target::AverageValue(100 * MIB),
            ResourceName::Memory,
            TOL,
            &[pod("a", 0), pod("b", 0)],
            &metrics(&[("a", 150 * MIB), ("b", 250 * MIB)], 590),
            now(),
        )
        .unwrap();
        assert_eq!(p.replicas, 4);
        assert_eq!(
            p.lines[0],
            "memory: average 200Mi per pod across 2 pods (target 100Mi)"
        );
        assert_eq!(p.utilization, None);
    }

    #[test]
    fn per_direction_tolerances() {
        let t = Tolerances {
            down_permille: 100,
            up_permille: 20,
        };
        // 52% of a 50% target: ratio 1.04 is beyond +2%.
        let p = replicas(
            10,
            Target::Utilization(50),
            CPU,
            t,
            &[pod("a", 500)],
            &metrics(&[("a", 260)], 590),
            now(),
        )
        .unwrap();
        assert_eq!(p.replicas, 2);
        assert_eq!(
            p.lines[1],
            "ratio 1.04 > 1.02 (tolerance 10% down, 2% up): scale up"
        );
    }
}
