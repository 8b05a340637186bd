//! The lab's three charts over simulated time: nodes and pods, cost by component, and CPU and
//! memory requested vs allocatable. This module holds the small, comparable model the charts
//! are drawn from (`ChartSeries`), the time formatter and the spoken summaries; `draw` holds
//! the plotters drawing, generic over any `DrawingBackend` (SVG in tests, canvas in the
//! browser).
//!
//! ```
//! use eks_lab::sim::{Simulation, clock::SimDuration};
//! use eks_lab::view::charts::{ChartSeries, format_sim_time};
//! use eks_lab::view::demo::demo_spec;
//!
//! let mut sim = Simulation::new(demo_spec()).unwrap();
//! sim.run_for(SimDuration::from_mins(30));
//! let series = ChartSeries::from_samples(sim.metrics().samples());
//! assert_eq!(series.points.len(), 31);
//! assert_eq!(format_sim_time(series.latest().unwrap().t.as_secs()), "30m");
//! ```

mod axis;
mod draw;

use std::fmt::Write as _;

pub use axis::{TimeAxis, Unit, ValueAxis};
pub use draw::{draw_chart, draw_cost, draw_nodes_pods, draw_resources};

use crate::sim::billing::CostComponent;
use crate::sim::clock::SimTime;
use crate::sim::metrics::Sample;
use crate::sim::quantity::GIB;
use crate::view::format;

/// At most this many points are drawn per line: enough for a 1920-pixel-wide projector, and
/// cheap to draw every frame even after days of simulated time.
pub const MAX_POINTS: usize = 600;

/// Before the first minutes of data the time axis still spans this many seconds, so the first
/// samples grow from the left instead of stretching across the whole chart.
pub const MIN_TIME_SPAN_SECS: u64 = 600;

/// One drawn point: the metrics of one sample, in the integers the simulation keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartPoint {
    pub t: SimTime,
    pub nodes: u64,
    pub pods_running: u64,
    pub pods_pending: u64,
    /// Cumulative micro-dollars by component, in `CostComponent::ALL` order.
    pub cost_micro_usd: [u64; 4],
    pub cpu_requested_m: u64,
    pub cpu_allocatable_m: u64,
    pub mem_requested_bytes: u64,
    pub mem_allocatable_bytes: u64,
    /// The focused workload (scaling charts): requests per second, replicas asked for and
    /// ready, CPU used as a percentage of its pods' requests, and its HPA's CPU target.
    pub rps: u64,
    pub replicas: u64,
    pub ready: u64,
    pub cpu_utilization: u64,
    pub hpa_target: Option<u64>,
    /// Node groups: nodes asked for (sum of desired sizes) and Ready (EC2 nodes only).
    pub nodes_desired: u64,
    pub nodes_ready_ec2: u64,
    /// The bill's rate at the sample, nano-dollars per hour.
    pub rate_nusd_per_hour: u64,
    /// The focused node group's Auto Scaling group: desired and max sizes, Ready nodes.
    pub ng_desired: u64,
    pub ng_max: u64,
    pub ng_ready: u64,
}

impl ChartPoint {
    fn from_sample(
        s: &Sample,
        focus: Option<&crate::sim::api::ObjectKey>,
        nodegroup: Option<&str>,
    ) -> ChartPoint {
        let w = focus.and_then(|k| s.workloads.iter().find(|w| &w.key == k));
        let g = nodegroup.and_then(|n| s.nodegroups.iter().find(|g| g.name == n));
        ChartPoint {
            ng_desired: g.map_or(0, |g| g.desired),
            ng_max: g.map_or(0, |g| g.max),
            ng_ready: g.map_or(0, |g| g.nodes_ready),
            rps: w.map_or(0, |w| w.rps),
            replicas: w.map_or(0, |w| w.replicas),
            ready: w.map_or(0, |w| w.ready),
            cpu_utilization: w.map_or(0, |w| {
                (w.cpu_usage_m * 100)
                    .checked_div(w.cpu_request_m)
                    .unwrap_or(0)
            }),
            hpa_target: w.and_then(|w| w.hpa_cpu_target),
            nodes_desired: s.nodegroups.iter().map(|g| g.desired).sum(),
            nodes_ready_ec2: s.nodegroups.iter().map(|g| g.nodes_ready).sum(),
            rate_nusd_per_hour: s.rate_nusd_per_hour,
            t: s.t,
            nodes: s.nodes,
            pods_running: s.pods_running,
            pods_pending: s.pods_pending,
            cost_micro_usd: s.cost_by_component,
            cpu_requested_m: s.requested.cpu.0,
            cpu_allocatable_m: s.allocatable.cpu.0,
            mem_requested_bytes: s.requested.memory.0,
            mem_allocatable_bytes: s.allocatable.memory.0,
        }
    }

    /// Cumulative cost of all components in micro-dollars.
    pub fn cost_total_micro_usd(&self) -> u64 {
        self.cost_micro_usd.iter().sum()
    }
}

/// What the three charts draw: the samples so far, downsampled to at most `MAX_POINTS`.
/// Comparable, so the UI redraws only when it changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartSeries {
    /// The drawn points, oldest first.
    pub points: Vec<ChartPoint>,
    /// How many samples there were before downsampling.
    pub samples: usize,
    /// The workload the scaling charts follow (`namespace/name`).
    pub focus: Option<String>,
    /// The node group the Auto Scaling group chart follows.
    pub nodegroup: Option<String>,
}

impl ChartSeries {
    /// Builds the series from the simulation's per-minute samples.
    pub fn from_samples(samples: &[Sample]) -> ChartSeries {
        ChartSeries::focused(samples, None)
    }

    /// The series with the scaling charts following one workload.
    pub fn focused(samples: &[Sample], focus: Option<&crate::sim::api::ObjectKey>) -> ChartSeries {
        ChartSeries {
            points: downsample_indices(samples.len(), MAX_POINTS)
                .into_iter()
                .map(|i| ChartPoint::from_sample(&samples[i], focus, None))
                .collect(),
            samples: samples.len(),
            focus: focus.map(ToString::to_string),
            nodegroup: None,
        }
    }

    /// One node group's Auto Scaling group sizes (the Upgrades tab), from the samples taken at
    /// or after `since`.
    pub fn for_nodegroup(samples: &[Sample], nodegroup: &str, since: SimTime) -> ChartSeries {
        let first = samples.partition_point(|s| s.t < since);
        let samples = &samples[first..];
        ChartSeries {
            points: downsample_indices(samples.len(), MAX_POINTS)
                .into_iter()
                .map(|i| ChartPoint::from_sample(&samples[i], None, Some(nodegroup)))
                .collect(),
            samples: samples.len(),
            focus: None,
            nodegroup: Some(nodegroup.to_string()),
        }
    }

    /// The newest point, if any.
    pub fn latest(&self) -> Option<&ChartPoint> {
        self.points.last()
    }

    /// Whether there is enough data to draw a line (two points or more).
    pub fn has_lines(&self) -> bool {
        self.points.len() >= 2
    }

    /// The time range all three charts share, in seconds: from the first sample to the last,
    /// and at least `MIN_TIME_SPAN_SECS` long.
    pub fn time_range_secs(&self) -> (u64, u64) {
        let start = self.points.first().map_or(0, |p| p.t.as_secs());
        let end = self.points.last().map_or(0, |p| p.t.as_secs());
        (start, end.max(start + MIN_TIME_SPAN_SECS))
    }

    /// The time axis the three charts share.
    pub fn time_axis(&self) -> TimeAxis {
        let (start, end) = self.time_range_secs();
        TimeAxis::new(start, end)
    }
}

/// Which sample indices to keep out of `n` so that at most `max` remain: every `stride`-th
/// sample from the first, plus the last. The stride is a whole number that changes only when
/// the count would exceed `max`, so the kept samples stay put from one frame to the next and
/// the lines do not shimmer while the simulation runs.
pub fn downsample_indices(n: usize, max: usize) -> Vec<usize> {
    if n <= max || n == 1 {
        return (0..n).collect();
    }
    if max < 2 {
        // The first and the last are always kept, whatever the cap.
        return vec![0, n - 1];
    }
    // Grid points 0, s, 2s, ... below n - 1 number ceil((n - 1) / s); with the last one added
    // that is at most `max` when s = ceil((n - 1) / (max - 1)).
    let stride = (n - 1).div_ceil(max - 1);
    let mut kept: Vec<usize> = (0..n - 1).step_by(stride).collect();
    kept.push(n - 1);
    kept
}

/// Simulated time for tick labels and summaries, in whole minutes: `0m`, `45m`, `1h`,
/// `2h30m`, `1d`, `1d2h`, `2d4h`. Seconds are dropped; zero parts are left out.
pub fn format_sim_time(secs: u64) -> String {
    let mins = secs / 60;
    let (d, h, m) = (mins / 1440, mins / 60 % 24, mins % 60);
    let mut out = String::new();
    // Writing to a String cannot fail.
    if d > 0 {
        let _ = write!(out, "{d}d");
    }
    if h > 0 {
        let _ = write!(out, "{h}h");
    }
    if m > 0 || out.is_empty() {
        let _ = write!(out, "{m}m");
    }
    out
}

/// The legend label of a cost component: short, so four fit on one line of a narrow chart.
pub const fn cost_label(c: CostComponent) -> &'static str {
    match c {
        CostComponent::ControlPlane => "Control plane",
        CostComponent::Ec2 => "EC2",
        CostComponent::Fargate => "Fargate",
        CostComponent::Ebs => "EBS",
    }
}

/// The charts: the cluster set and the scaling set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    NodesPods,
    Cost,
    Resources,
    /// The focused workload's load (requests per second) and replicas.
    LoadReplicas,
    /// The focused workload's CPU utilization against its HPA target.
    CpuTarget,
    /// Node groups' desired and Ready nodes, and the bill's rate.
    NodesRate,
    /// One node group's Auto Scaling group: desired and max sizes and Ready nodes (a managed
    /// node group update raises both by the surge, then brings them back).
    NodegroupSize,
}

impl ChartKind {
    pub const ALL: [ChartKind; 3] = [ChartKind::NodesPods, ChartKind::Cost, ChartKind::Resources];
    /// The scaling set: load and replicas, CPU vs target, nodes and cost rate.
    pub const SCALING: [ChartKind; 3] = [
        ChartKind::LoadReplicas,
        ChartKind::CpuTarget,
        ChartKind::NodesRate,
    ];

    /// The visible title (the figure caption).
    pub const fn title(self) -> &'static str {
        match self {
            ChartKind::NodesPods => "Nodes and pods over time",
            ChartKind::Cost => "Cost over time by component",
            ChartKind::Resources => "CPU and memory: requested vs allocatable",
            ChartKind::LoadReplicas => "Load and replicas",
            ChartKind::CpuTarget => "CPU used vs HPA target",
            ChartKind::NodesRate => "Nodes and cost per hour",
            ChartKind::NodegroupSize => "Auto Scaling group: desired and max",
        }
    }

    /// The `data-testid` of the chart's canvas.
    pub const fn test_id(self) -> &'static str {
        match self {
            ChartKind::NodesPods => "chart-nodes-pods",
            ChartKind::Cost => "chart-cost",
            ChartKind::Resources => "chart-resources",
            ChartKind::LoadReplicas => "chart-load",
            ChartKind::CpuTarget => "chart-cpu-target",
            ChartKind::NodesRate => "chart-nodes-rate",
            ChartKind::NodegroupSize => "chart-asg",
        }
    }

    /// The latest values in words, for the canvas's `aria-label`: what a screen reader says
    /// and what a teacher would read out.
    pub fn summary(self, s: &ChartSeries) -> String {
        let title = self.title();
        let Some(p) = s.latest() else {
            return format!("{title}: waiting for data");
        };
        let at = format_sim_time(p.t.as_secs());
        match self {
            ChartKind::NodesPods => format!(
                "{title}: {} {}, {} {} running, {} pending at {at}",
                p.nodes,
                plural(p.nodes, "node", "nodes"),
                p.pods_running,
                plural(p.pods_running, "pod", "pods"),
                p.pods_pending,
            ),
            ChartKind::Cost => {
                let parts = CostComponent::ALL
                    .iter()
                    .zip(p.cost_micro_usd)
                    .map(|(c, micro)| format!("{} {}", cost_label(*c), format::usd(micro)))
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "{title}: {} so far at {at} ({parts})",
                    format::usd(p.cost_total_micro_usd())
                )
            }
            ChartKind::Resources => format!(
                "{title}: CPU {} of {} cores requested ({}%), memory {} of {} GiB requested \
                 ({}%) at {at}",
                cores_text(p.cpu_requested_m),
                cores_text(p.cpu_allocatable_m),
                format::percent(p.cpu_requested_m, p.cpu_allocatable_m),
                gib_text(p.mem_requested_bytes),
                gib_text(p.mem_allocatable_bytes),
                format::percent(p.mem_requested_bytes, p.mem_allocatable_bytes),
            ),
            ChartKind::LoadReplicas => format!(
                "{title} of {}: {} requests per second, {} replicas asked, {} ready at {at}",
                s.focus.as_deref().unwrap_or("no workload"),
                p.rps,
                p.replicas,
                p.ready
            ),
            ChartKind::CpuTarget => format!(
                "{title} of {}: CPU at {}% of requests, target {} at {at}",
                s.focus.as_deref().unwrap_or("no workload"),
                p.cpu_utilization,
                p.hpa_target
                    .map_or_else(|| "none (no HPA)".to_string(), |t| format!("{t}%"))
            ),
            ChartKind::NodesRate => format!(
                "{title}: {} nodes asked for, {} ready; {} at {at}",
                p.nodes_desired,
                p.nodes_ready_ec2,
                format::usd_per_hour(p.rate_nusd_per_hour)
            ),
            ChartKind::NodegroupSize => format!(
                "{title} of nodegroup {}: desired {}, max {}, {} nodes Ready at {at}",
                s.nodegroup.as_deref().unwrap_or("none"),
                p.ng_desired,
                p.ng_max,
                p.ng_ready
            ),
        }
    }
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// Millicores as cores with two decimals: `3.86`.
fn cores_text(m: u64) -> String {
    format!("{}.{:02}", m / 1000, (m % 1000) / 10)
}

/// Bytes as GiB with one decimal: `27.4`.
fn gib_text(bytes: u64) -> String {
    let tenths = (u128::from(bytes) * 10 + u128::from(GIB) / 2) / u128::from(GIB);
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::quantity::{Bytes, MilliCpu, Resources};

    fn sample(minute: u64, nodes: u64) -> Sample {
        Sample {
            t: SimTime::from_mins(minute),
            nodes,
            nodes_ready: nodes,
            pods_running: nodes * 3,
            pods_pending: 1,
            cost_micro_usd: 4_000,
            cost_by_component: [1_000, 2_000, 500, 500],
            rate_nusd_per_hour: 0,
            requested: Resources {
                cpu: MilliCpu(1_500),
                memory: Bytes(GIB * 3 / 2),
            },
            allocatable: Resources {
                cpu: MilliCpu(3_860),
                memory: Bytes(GIB * 6),
            },
            workloads: Vec::new(),
            nodegroups: Vec::new(),
        }
    }

    #[test]
    fn time_labels_read_like_durations() {
        let table = [
            (0, "0m"),
            (59, "0m"),
            (60, "1m"),
            (45 * 60, "45m"),
            (3600, "1h"),
            (5400, "1h30m"),
            (9000, "2h30m"),
            (86_400, "1d"),
            (86_400 + 7200, "1d2h"),
            (2 * 86_400 + 4 * 3600, "2d4h"),
            (86_400 + 30 * 60, "1d30m"),
        ];
        for (secs, want) in table {
            assert_eq!(format_sim_time(secs), want, "{secs} s");
        }
    }

    #[test]
    fn downsampling_keeps_all_when_few() {
        assert_eq!(downsample_indices(0, 600), Vec::<usize>::new());
        assert_eq!(downsample_indices(1, 600), vec![0]);
        assert_eq!(downsample_indices(5, 600), vec![0, 1, 2, 3, 4]);
        assert_eq!(downsample_indices(600, 600).len(), 600);
    }

    #[test]
    fn downsampling_caps_keeps_ends_and_strides_evenly() {
        for n in [601, 602, 1199, 1200, 1441, 10_081, 100_000] {
            let idx = downsample_indices(n, 600);
            assert!(idx.len() <= 600, "{n}: {}", idx.len());
            assert!(idx.len() >= 300, "{n}: {}", idx.len());
            assert_eq!(idx[0], 0);
            assert_eq!(*idx.last().unwrap(), n - 1);
            let stride = idx[1] - idx[0];
            assert!(
                idx.windows(2)
                    .take(idx.len() - 2)
                    .all(|w| w[1] - w[0] == stride),
                "{n}: uneven"
            );
            assert!(idx.windows(2).all(|w| w[1] > w[0]));
        }
    }

    #[test]
    fn downsampling_is_stable_while_samples_arrive() {
        // The points already kept stay kept when one more sample arrives (same stride).
        let a = downsample_indices(1000, 600);
        let b = downsample_indices(1001, 600);
        assert_eq!(a[..a.len() - 1], b[..a.len() - 1]);
    }

    #[test]
    fn downsampling_with_tiny_caps_keeps_first_and_last() {
        assert_eq!(downsample_indices(10, 1), vec![0, 9]);
        assert_eq!(downsample_indices(10, 2), vec![0, 9]);
        assert_eq!(downsample_indices(1, 1), vec![0]);
    }

    #[test]
    fn series_from_samples_and_time_range() {
        let samples: Vec<Sample> = (0..=30).map(|m| sample(m, 2 + m / 10)).collect();
        let s = ChartSeries::from_samples(&samples);
        assert_eq!(s.samples, 31);
        assert_eq!(s.points.len(), 31);
        assert_eq!(s.points[0].cpu_allocatable_m, 3_860);
        assert_eq!(s.time_range_secs(), (0, 1800));
        let short = ChartSeries::from_samples(&samples[..3]);
        assert_eq!(short.time_range_secs(), (0, MIN_TIME_SPAN_SECS));
        assert_eq!(
            ChartSeries::default().time_range_secs(),
            (0, MIN_TIME_SPAN_SECS)
        );
    }

    #[test]
    fn summaries_say_the_latest_values() {
        let samples: Vec<Sample> = (0..=80).map(|m| sample(m, 5)).collect();
        let s = ChartSeries::from_samples(&samples);
        assert_eq!(
            ChartKind::NodesPods.summary(&s),
            "Nodes and pods over time: 5 nodes, 15 pods running, 1 pending at 1h20m"
        );
        assert_eq!(
            ChartKind::Cost.summary(&s),
            "Cost over time by component: $0.0040 so far at 1h20m (Control plane $0.0010, \
             EC2 $0.0020, Fargate $0.0005, EBS $0.0005)"
        );
        assert_eq!(
            ChartKind::Resources.summary(&s),
            "CPU and memory: requested vs allocatable: CPU 1.50 of 3.86 cores requested (38%), \
             memory 1.5 of 6.0 GiB requested (25%) at 1h20m"
        );
        assert_eq!(
            ChartKind::Cost.summary(&ChartSeries::default()),
            "Cost over time by component: waiting for data"
        );
    }
}
