//! Draws the three charts with plotters on any `DrawingBackend`: a legend row on top, then
//! one or two panels sharing the simulated-time axis. Sized for a projector: fonts of 15 to
//! 16 CSS pixels (scaled with the page's text), 3-pixel lines, and every series told apart by
//! its marker and dash pattern as well as its Okabe-Ito colour.

use std::collections::BTreeMap;
use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::{DashedPathElement, DynElement, EmptyElement, IntoDynElement};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{TimeAxis, Unit, ValueAxis};
use super::{ChartKind, ChartPoint, ChartSeries, cores_text, cost_label, gib_text};
use crate::sim::billing::CostComponent;
use crate::sim::quantity::GIB;
use crate::view::format;

/// Text and axes: the page's ink colour and its muted grey.
const INK: RGBColor = RGBColor(0x15, 0x19, 0x1e);
const MUTED: RGBColor = RGBColor(0x4d, 0x56, 0x60);
const GRID: RGBColor = RGBColor(0xd5, 0xdb, 0xe1);

/// Okabe-Ito colours. Yellow (#F0E442), sky blue (#56B4E9) and orange (#E69F00) are left
/// out: on a white background in a bright room they wash out (contrast below 3:1), so the
/// four darker ones carry the lines.
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
const PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);

const FONT: &str = "sans-serif";

/// Sizes in CSS pixels, multiplied by the scale (the device pixel ratio times the page's
/// text scale in the browser). The canvas draws text at exactly these sizes, all above 14 px;
/// plotters' SVG backend writes them at size / 1.24, so the test SVGs show them smaller.
const TICK_FONT: f64 = 16.0;
const LEGEND_FONT: f64 = 16.0;
const CAPTION_FONT: f64 = 15.0;
const LINE_WIDTH: f64 = 3.0;
const MARKER_RADIUS: f64 = 6.0;
const TICK_LENGTH: f64 = 5.0;
const PAD: f64 = 8.0;
/// Space between the end of a line and its value label.
const END_LABEL_GAP: f64 = 8.0;
/// Roughly one marker per this many pixels of line.
const MARKER_SPACING: f64 = 110.0;

/// The marker drawn on a line every so often and in its legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Square,
    Circle,
    Triangle,
    Diamond,
}

/// How a line is stroked: solid, or dashed with the given dash and gap lengths.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stroke {
    Solid,
    Dashed { dash: f64, gap: f64 },
}

const LONG_DASH: Stroke = Stroke::Dashed {
    dash: 14.0,
    gap: 7.0,
};
const SHORT_DASH: Stroke = Stroke::Dashed {
    dash: 6.0,
    gap: 5.0,
};

/// How one series looks, in the chart and in the legend.
#[derive(Debug, Clone, Copy)]
struct Look {
    label: &'static str,
    colour: RGBColor,
    stroke: Stroke,
    marker: Marker,
    /// Shade the area under the line (used for capacity).
    fill: bool,
}

/// One series to plot: its look, its points (seconds, value in the panel's unit), and its
/// latest value as text, formatted from the integers the way the rest of the page shows it.
#[derive(Debug)]
struct Line {
    look: Look,
    points: Vec<(u64, f64)>,
    latest: String,
}

impl Line {
    fn new(
        look: Look,
        s: &ChartSeries,
        value: impl Fn(&ChartPoint) -> f64,
        text: impl Fn(&ChartPoint) -> String,
    ) -> Line {
        Line {
            look,
            points: s.points.iter().map(|p| (p.t.as_secs(), value(p))).collect(),
            latest: s.latest().map(text).unwrap_or_default(),
        }
    }
}

/// One plot: a y-axis caption and unit and its lines.
#[derive(Debug)]
struct Panel {
    y_desc: &'static str,
    unit: Unit,
    lines: Vec<Line>,
}

/// Pixel sizes at one scale.
#[derive(Debug, Clone, Copy)]
struct Theme {
    scale: f64,
}

impl Theme {
    fn new(scale: f64) -> Theme {
        let scale = if scale.is_finite() && scale > 0.0 {
            scale.clamp(0.25, 8.0)
        } else {
            1.0
        };
        Theme { scale }
    }

    fn px(self, css: f64) -> i32 {
        (css * self.scale).round() as i32
    }

    fn font(self, css: f64, colour: RGBColor) -> TextStyle<'static> {
        (FONT, css * self.scale).into_font().color(&colour)
    }

    fn bold_font(self, css: f64, colour: RGBColor) -> TextStyle<'static> {
        (FONT, css * self.scale, FontStyle::Bold)
            .into_font()
            .color(&colour)
    }

    fn line_style(self, colour: RGBColor) -> ShapeStyle {
        colour.stroke_width(self.px(LINE_WIDTH).max(2) as u32)
    }
}

/// Draws the nodes and pods chart at scale 1 (one backend pixel per CSS pixel).
pub fn draw_nodes_pods<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
) -> Result<(), String> {
    draw_chart(ChartKind::NodesPods, root, s, 1.0)
}

/// Draws the cost chart at scale 1.
pub fn draw_cost<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
) -> Result<(), String> {
    draw_chart(ChartKind::Cost, root, s, 1.0)
}

/// Draws the CPU and memory chart at scale 1.
pub fn draw_resources<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
) -> Result<(), String> {
    draw_chart(ChartKind::Resources, root, s, 1.0)
}

/// Draws one chart into `root`, with fonts, lines and markers multiplied by `scale`: in the
/// browser the device pixel ratio (the backing store is that many times the CSS size) times
/// the page's text scale. Fewer than two points draw the axes and a "waiting for data"
/// caption. Never panics; plotters errors come back as text.
pub fn draw_chart<DB: DrawingBackend>(
    kind: ChartKind,
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
    scale: f64,
) -> Result<(), String> {
    let theme = Theme::new(scale);
    let (legend, panels) = match kind {
        ChartKind::NodesPods => nodes_pods(s),
        ChartKind::Cost => cost(s),
        ChartKind::Resources => resources(s),
        ChartKind::LoadReplicas => load_replicas(s),
        ChartKind::CpuTarget => cpu_target(s),
        ChartKind::NodesRate => nodes_rate(s),
        ChartKind::NodegroupSize => nodegroup_size(s),
    };
    draw_panels(root, s, theme, &legend, &panels)
}

fn nodes_pods(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let nodes = Look {
        label: "Nodes",
        colour: BLUE,
        stroke: Stroke::Solid,
        marker: Marker::Square,
        fill: false,
    };
    let running = Look {
        label: "Running",
        colour: GREEN,
        stroke: Stroke::Solid,
        marker: Marker::Circle,
        fill: false,
    };
    let pending = Look {
        label: "Pending",
        colour: VERMILLION,
        stroke: LONG_DASH,
        marker: Marker::Triangle,
        fill: false,
    };
    let panel = Panel {
        y_desc: "count",
        unit: Unit::Count,
        lines: vec![
            Line::new(nodes, s, |p| p.nodes as f64, |p| p.nodes.to_string()),
            Line::new(
                running,
                s,
                |p| p.pods_running as f64,
                |p| p.pods_running.to_string(),
            ),
            Line::new(
                pending,
                s,
                |p| p.pods_pending as f64,
                |p| p.pods_pending.to_string(),
            ),
        ],
    };
    (vec![nodes, running, pending], vec![panel])
}

/// Cumulative cost as one line per component rather than stacked areas: each component reads
/// directly against the dollar axis (stacked bands would need subtracting), the small ones
/// (EBS, often Fargate) stay visible as lines instead of slivers, and a line's slope is the
/// component's hourly rate, which is what a learner changes by scaling. The total is on the
/// top bar's cost ticker already.
fn cost(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let looks = CostComponent::ALL.map(|c| {
        let (colour, stroke, marker) = match c {
            CostComponent::ControlPlane => (BLUE, Stroke::Solid, Marker::Square),
            CostComponent::Ec2 => (VERMILLION, Stroke::Solid, Marker::Circle),
            CostComponent::Fargate => (GREEN, LONG_DASH, Marker::Triangle),
            CostComponent::Ebs => (PURPLE, SHORT_DASH, Marker::Diamond),
        };
        Look {
            label: cost_label(c),
            colour,
            stroke,
            marker,
            fill: false,
        }
    });
    let lines = looks
        .iter()
        .enumerate()
        .map(|(i, look)| {
            Line::new(
                *look,
                s,
                |p| p.cost_micro_usd[i] as f64 / 1_000_000.0,
                |p| format::usd(p.cost_micro_usd[i]),
            )
        })
        .collect();
    let panel = Panel {
        y_desc: "USD",
        unit: Unit::Usd,
        lines,
    };
    (looks.to_vec(), vec![panel])
}

/// CPU and memory as two small panels side by side, each in its own unit, rather than one
/// chart with two y scales (which a room cannot read: which line belongs to which axis?) or
/// percentages (which hide the story: when a node joins, allocatable steps up and the same
/// requests become a smaller share, so a percentage line falls although nothing about the pods
/// changed). Allocatable is shaded, so the gap to the requested line is the room left for
/// the scheduler.
fn resources(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let allocatable = Look {
        label: "Allocatable",
        colour: BLUE,
        stroke: Stroke::Solid,
        marker: Marker::Square,
        fill: true,
    };
    let requested = Look {
        label: "Requested",
        colour: VERMILLION,
        stroke: LONG_DASH,
        marker: Marker::Circle,
        fill: false,
    };
    let gib = |b: u64| b as f64 / GIB as f64;
    let cpu = Panel {
        y_desc: "CPU (cores)",
        unit: Unit::Cores,
        lines: vec![
            Line::new(
                allocatable,
                s,
                |p| p.cpu_allocatable_m as f64 / 1000.0,
                |p| cores_text(p.cpu_allocatable_m),
            ),
            Line::new(
                requested,
                s,
                |p| p.cpu_requested_m as f64 / 1000.0,
                |p| cores_text(p.cpu_requested_m),
            ),
        ],
    };
    let mem = Panel {
        y_desc: "memory (GiB)",
        unit: Unit::Gib,
        lines: vec![
            Line::new(
                allocatable,
                s,
                |p| gib(p.mem_allocatable_bytes),
                |p| gib_text(p.mem_allocatable_bytes),
            ),
            Line::new(
                requested,
                s,
                |p| gib(p.mem_requested_bytes),
                |p| gib_text(p.mem_requested_bytes),
            ),
        ],
    };
    (vec![allocatable, requested], vec![cpu, mem])
}

/// The focused workload's load and replicas as two panels: requests per second on the left;
/// replicas asked for (what the HPA set) and ready on the right, so the lag between the HPA's
/// decision and pods being Ready is visible.
fn load_replicas(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let rps = Look {
        label: "Requests/s",
        colour: PURPLE,
        stroke: Stroke::Solid,
        marker: Marker::Diamond,
        fill: true,
    };
    let asked = Look {
        label: "Replicas",
        colour: BLUE,
        stroke: Stroke::Solid,
        marker: Marker::Square,
        fill: false,
    };
    let ready = Look {
        label: "Ready",
        colour: GREEN,
        stroke: LONG_DASH,
        marker: Marker::Circle,
        fill: false,
    };
    let load = Panel {
        y_desc: "requests/s",
        unit: Unit::Count,
        lines: vec![Line::new(rps, s, |p| p.rps as f64, |p| p.rps.to_string())],
    };
    let pods = Panel {
        y_desc: "pods",
        unit: Unit::Count,
        lines: vec![
            Line::new(asked, s, |p| p.replicas as f64, |p| p.replicas.to_string()),
            Line::new(ready, s, |p| p.ready as f64, |p| p.ready.to_string()),
        ],
    };
    (vec![rps, asked, ready], vec![load, pods])
}

/// CPU used as a percentage of requests (what the HPA compares) against the HPA's target,
/// dashed; with the 10 % tolerance band the HPA ignores drawn as the target line's company.
fn cpu_target(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let used = Look {
        label: "CPU % of request",
        colour: VERMILLION,
        stroke: Stroke::Solid,
        marker: Marker::Circle,
        fill: false,
    };
    let target = Look {
        label: "HPA target",
        colour: BLUE,
        stroke: LONG_DASH,
        marker: Marker::Square,
        fill: false,
    };
    let mut lines = vec![Line::new(
        used,
        s,
        |p| p.cpu_utilization as f64,
        |p| format!("{}%", p.cpu_utilization),
    )];
    let mut looks = vec![used];
    if s.points.iter().any(|p| p.hpa_target.is_some()) {
        lines.push(Line::new(
            target,
            s,
            |p| p.hpa_target.unwrap_or(0) as f64,
            |p| p.hpa_target.map_or_else(String::new, |t| format!("{t}%")),
        ));
        looks.push(target);
    }
    (
        looks,
        vec![Panel {
            y_desc: "% of request",
            unit: Unit::Count,
            lines,
        }],
    )
}

/// Node groups' desired and Ready nodes on the left (the Cluster Autoscaler moves the first;
/// the second follows a minute or two later), the bill's rate on the right.
fn nodes_rate(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let desired = Look {
        label: "Desired nodes",
        colour: BLUE,
        stroke: Stroke::Solid,
        marker: Marker::Square,
        fill: false,
    };
    let ready = Look {
        label: "Ready nodes",
        colour: GREEN,
        stroke: LONG_DASH,
        marker: Marker::Circle,
        fill: false,
    };
    let rate = Look {
        label: "$/h",
        colour: VERMILLION,
        stroke: Stroke::Solid,
        marker: Marker::Triangle,
        fill: true,
    };
    let nodes = Panel {
        y_desc: "nodes",
        unit: Unit::Count,
        lines: vec![
            Line::new(
                desired,
                s,
                |p| p.nodes_desired as f64,
                |p| p.nodes_desired.to_string(),
            ),
            Line::new(
                ready,
                s,
                |p| p.nodes_ready_ec2 as f64,
                |p| p.nodes_ready_ec2.to_string(),
            ),
        ],
    };
    let money = Panel {
        y_desc: "USD per hour",
        unit: Unit::Usd,
        lines: vec![Line::new(
            rate,
            s,
            |p| p.rate_nusd_per_hour as f64 / 1e9,
            |p| format::usd_per_hour(p.rate_nusd_per_hour),
        )],
    };
    (vec![desired, ready, rate], vec![nodes, money])
}

/// One node group's Auto Scaling group: max (dashed, on top), desired and Ready nodes. During a
/// managed node group update max and desired step up by the surge together, Ready follows a
/// minute or two later, and both come back down one at a time in the scale-down phase.
fn nodegroup_size(s: &ChartSeries) -> (Vec<Look>, Vec<Panel>) {
    let max = Look {
        label: "Max",
        colour: PURPLE,
        stroke: LONG_DASH,
        marker: Marker::Diamond,
        fill: false,
    };
    let desired = Look {
        label: "Desired",
        colour: BLUE,
        stroke: Stroke::Solid,
        marker: Marker::Square,
        fill: false,
    };
    let ready = Look {
        label: "Ready nodes",
        colour: GREEN,
        stroke: SHORT_DASH,
        marker: Marker::Circle,
        fill: true,
    };
    let panel = Panel {
        y_desc: "nodes",
        unit: Unit::Count,
        lines: vec![
            Line::new(max, s, |p| p.ng_max as f64, |p| format!("max {}", p.ng_max)),
            Line::new(
                desired,
                s,
                |p| p.ng_desired as f64,
                |p| format!("desired {}", p.ng_desired),
            ),
            Line::new(
                ready,
                s,
                |p| p.ng_ready as f64,
                |p| format!("{} Ready", p.ng_ready),
            ),
        ],
    };
    (vec![max, desired, ready], vec![panel])
}

/// Where the legend entries go: one row per inner `Vec`, each entry with its width.
fn legend_rows<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: Theme,
    legend: &[Look],
    width: i32,
) -> Result<Vec<Vec<(Look, i32)>>, String> {
    let font = theme.font(LEGEND_FONT, INK);
    let mut rows: Vec<Vec<(Look, i32)>> = vec![Vec::new()];
    let mut used = 0;
    for look in legend {
        let (tw, _) = root
            .estimate_text_size(look.label, &font)
            .map_err(|e| e.to_string())?;
        let entry = theme.px(LEGEND_SAMPLE + LEGEND_TEXT_GAP) + tw as i32;
        let gap = theme.px(LEGEND_GAP);
        let needed = if used == 0 { entry } else { used + gap + entry };
        if needed > width && used > 0 {
            rows.push(Vec::new());
            used = entry;
        } else {
            used = needed;
        }
        if let Some(row) = rows.last_mut() {
            row.push((*look, entry));
        }
    }
    Ok(rows)
}

/// Length of a legend entry's line sample, the gap before its text, the gap between
/// entries, and the height of a legend row in font sizes.
const LEGEND_SAMPLE: f64 = 28.0;
const LEGEND_TEXT_GAP: f64 = 6.0;
const LEGEND_GAP: f64 = 16.0;
const LEGEND_ROW: f64 = 1.45;

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: Theme,
    rows: &[Vec<(Look, i32)>],
    x0: i32,
) -> Result<(), String> {
    let font = theme
        .font(LEGEND_FONT, INK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let row_h = theme.px(LEGEND_FONT * LEGEND_ROW);
    let sample = theme.px(LEGEND_SAMPLE);
    for (r, row) in rows.iter().enumerate() {
        let cy = theme.px(PAD) + row_h * r as i32 + row_h / 2;
        let mut x = x0;
        for (look, entry) in row {
            let style = theme.line_style(look.colour);
            if look.fill {
                area.draw(&Rectangle::new(
                    [(x, cy), (x + sample, cy + row_h / 3)],
                    look.colour.mix(FILL_ALPHA).filled(),
                ))
                .map_err(|e| e.to_string())?;
            }
            let path = vec![(x, cy), (x + sample, cy)];
            match look.stroke {
                Stroke::Solid => area.draw(&PathElement::new(path, style)),
                Stroke::Dashed { dash, gap } => area.draw(&DashedPathElement::new(
                    path,
                    theme.px(dash),
                    theme.px(gap),
                    style,
                )),
            }
            .map_err(|e| e.to_string())?;
            area.draw(&marker(
                (x + sample / 2, cy),
                look.marker,
                theme,
                look.colour,
            ))
            .map_err(|e| e.to_string())?;
            area.draw_text(
                look.label,
                &font,
                (x + sample + theme.px(LEGEND_TEXT_GAP), cy),
            )
            .map_err(|e| e.to_string())?;
            x += entry + theme.px(LEGEND_GAP);
        }
    }
    Ok(())
}

/// How opaque the shading under a capacity line is.
const FILL_ALPHA: f64 = 0.14;

/// A marker centred on `at`, with a white halo so it stands out where lines cross.
fn marker<'a, DB: DrawingBackend + 'a>(
    at: (i32, i32),
    m: Marker,
    theme: Theme,
    colour: RGBColor,
) -> DynElement<'a, DB, (i32, i32)> {
    let r = theme.px(MARKER_RADIUS).max(3);
    let h = theme.px(2.0).max(1);
    let halo = WHITE.filled();
    let fill = colour.filled();
    match m {
        Marker::Circle => {
            (EmptyElement::at(at) + Circle::new((0, 0), r + h, halo) + Circle::new((0, 0), r, fill))
                .into_dyn()
        }
        Marker::Square => {
            // A square looks bigger than a circle of the same radius; shrink it a little.
            let q = r * 7 / 8;
            (EmptyElement::at(at)
                + Rectangle::new([(-q - h, -q - h), (q + h, q + h)], halo)
                + Rectangle::new([(-q, -q), (q, q)], fill))
            .into_dyn()
        }
        Marker::Triangle => (EmptyElement::at(at)
            + Polygon::new(triangle(r + 2 * h), halo)
            + Polygon::new(triangle(r), fill))
        .into_dyn(),
        Marker::Diamond => (EmptyElement::at(at)
            + Polygon::new(diamond(r + 2 * h), halo)
            + Polygon::new(diamond(r + r / 4), fill))
        .into_dyn(),
    }
}

fn triangle(r: i32) -> Vec<(i32, i32)> {
    vec![
        (0, -r - r / 4),
        (r + r / 8, r * 3 / 4),
        (-r - r / 8, r * 3 / 4),
    ]
}

fn diamond(r: i32) -> Vec<(i32, i32)> {
    vec![(0, -r), (r, 0), (0, r), (-r, 0)]
}

/// The latest value of each line (`43`, `$1.53`, `13.58`), its colour, and where it ends.
fn end_labels(panel: &Panel) -> Vec<(String, RGBColor, (u64, f64))> {
    panel
        .lines
        .iter()
        .filter_map(|l| Some((l.latest.clone(), l.look.colour, *l.points.last()?)))
        .collect()
}

/// Spreads label centres `ys` (sorted top to bottom) so neighbours are at least `gap` apart,
/// keeping them within `lo..=hi` where the space allows: each label moves as little as it
/// can from its line's end.
fn spread(ys: &mut [i32], gap: i32, lo: i32, hi: i32) {
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1] + gap);
    }
    if let Some(last) = ys.last_mut() {
        *last = (*last).min(hi);
    }
    for i in (0..ys.len().saturating_sub(1)).rev() {
        ys[i] = ys[i].min(ys[i + 1] - gap);
    }
    if let Some(first) = ys.first_mut() {
        *first = (*first).max(lo);
    }
}

/// What one panel needs before plotters builds it.
#[derive(Debug, Clone, Copy)]
struct PanelLayout {
    axis: ValueAxis,
    x_area: i32,
    y_area: i32,
    x_labels: usize,
    margin_top: i32,
    margin_right: i32,
}

fn layout_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: Theme,
    panel: &Panel,
    time: TimeAxis,
) -> Result<PanelLayout, String> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let tick_font = theme.font(TICK_FONT, INK);
    let tick = theme.px(TICK_LENGTH);
    // plotters puts tick labels twice the tick length away from the axis.
    let x_area = 2 * tick + theme.px(TICK_FONT * 1.2 + CAPTION_FONT * 1.3);
    let margin_top = theme.px(TICK_FONT * 0.7);
    let plot_h = (h - x_area - margin_top).max(1);
    let max_ticks = ((f64::from(plot_h) / (TICK_FONT * 2.0 * theme.scale)) as usize).clamp(1, 8);
    let max_value = panel
        .lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let axis = ValueAxis::fit(max_value, max_ticks, panel.unit);
    let mut label_w = 0;
    for t in axis.ticks() {
        let (tw, _) = area
            .estimate_text_size(&axis.label(t), &tick_font)
            .map_err(|e| e.to_string())?;
        label_w = label_w.max(tw as i32);
    }
    let y_area = 2 * tick + label_w + theme.px(CAPTION_FONT * 1.5);
    // The last time label is centred on the right end of the axis; leave room for its half.
    let (wide, _) = area
        .estimate_text_size("1d12h", &tick_font)
        .map_err(|e| e.to_string())?;
    let bold = theme.bold_font(TICK_FONT, INK);
    let mut end_w = 0;
    for (text, _, _) in end_labels(panel) {
        let (tw, _) = area
            .estimate_text_size(&text, &bold)
            .map_err(|e| e.to_string())?;
        end_w = end_w.max(tw as i32 + theme.px(END_LABEL_GAP));
    }
    let margin_right = (wide as i32 / 2).max(end_w) + theme.px(PAD);
    let plot_w = f64::from((w - y_area - margin_right).max(1));
    // As many time ticks as fit with a gap of two characters between their labels.
    let range = time.range();
    let span = (range.end - range.start).max(1) as f64;
    let gap = f64::from(theme.px(TICK_FONT * 1.2));
    // In the browser every measurement lays out a DOM element, and the candidate tick sets
    // share most labels, so each label is measured once.
    let mut widths: BTreeMap<u64, f64> = BTreeMap::new();
    // When not even two labels fit (a narrow panel beside wide end labels), one label at the
    // start beats two that overlap.
    let mut x_labels = 1;
    for n in (2..=12).rev() {
        let ticks = time.ticks(n);
        let Some(step) = ticks.get(1).zip(ticks.first()).map(|(b, a)| b - a) else {
            continue;
        };
        let mut widest = 0.0_f64;
        for t in &ticks {
            let tw = if let Some(w) = widths.get(t) {
                *w
            } else {
                let (tw, _) = area
                    .estimate_text_size(&super::format_sim_time(*t), &tick_font)
                    .map_err(|e| e.to_string())?;
                widths.insert(*t, f64::from(tw));
                f64::from(tw)
            };
            widest = widest.max(tw);
        }
        if plot_w * step as f64 / span >= widest + gap {
            x_labels = n;
            break;
        }
    }
    Ok(PanelLayout {
        axis,
        x_area,
        y_area,
        x_labels,
        margin_top,
        margin_right,
    })
}

fn draw_panels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
    theme: Theme,
    legend: &[Look],
    panels: &[Panel],
) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let (w, _) = root.dim_in_pixel();
    let w = w as i32;
    let pad = theme.px(PAD);
    let rows = legend_rows(root, theme, legend, w - 2 * pad)?;
    let header_h = pad + theme.px(LEGEND_FONT * LEGEND_ROW) * rows.len() as i32;
    let (header, body) = root.split_vertically(header_h);
    let areas: Vec<DrawingArea<DB, Shift>> = if panels.len() == 2 {
        let (left, right) = body.split_horizontally(w / 2);
        vec![left, right.margin(0, 0, pad, 0)]
    } else {
        vec![body]
    };
    let mut layouts = Vec::new();
    for (area, panel) in areas.iter().zip(panels) {
        layouts.push(layout_panel(area, theme, panel, s.time_axis())?);
    }
    // Align the legend with the left edge of the first plot when it needs no more rows there.
    let x0 = layouts.first().map_or(pad, |l| l.y_area);
    let shifted = legend_rows(root, theme, legend, w - x0 - pad)?;
    if shifted.len() == rows.len() {
        draw_legend(&header, theme, &shifted, x0)?;
    } else {
        draw_legend(&header, theme, &rows, pad)?;
    }
    let mut plots = Vec::new();
    for ((area, panel), layout) in areas.iter().zip(panels).zip(layouts) {
        plots.push(draw_panel(area, s, theme, panel, layout)?);
    }
    if !s.has_lines() {
        draw_waiting(root, theme, &plots)?;
    }
    root.present().map_err(|e| e.to_string())
}

/// Writes "waiting for data" once, centred over all the plots, on a white box so that it
/// reads over grid lines and, between two narrow panels, over the second one's tick labels.
fn draw_waiting<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: Theme,
    plots: &[(Range<i32>, Range<i32>)],
) -> Result<(), String> {
    let (Some(left), Some(right), Some(top), Some(bottom)) = (
        plots.iter().map(|p| p.0.start).min(),
        plots.iter().map(|p| p.0.end).max(),
        plots.iter().map(|p| p.1.start).min(),
        plots.iter().map(|p| p.1.end).max(),
    ) else {
        return Ok(());
    };
    let (bx, by) = root.get_base_pixel();
    let (cx, cy) = (
        i32::midpoint(left, right) - bx,
        i32::midpoint(top, bottom) - by,
    );
    let text = "waiting for data";
    let style = theme.font(LEGEND_FONT, MUTED);
    let (tw, th) = root
        .estimate_text_size(text, &style)
        .map_err(|e| e.to_string())?;
    let (hw, hh) = (
        tw as i32 / 2 + theme.px(PAD),
        th as i32 / 2 + theme.px(PAD / 2.0),
    );
    root.draw(&Rectangle::new(
        [(cx - hw, cy - hh), (cx + hw, cy + hh)],
        WHITE.filled(),
    ))
    .map_err(|e| e.to_string())?;
    let style = style.pos(Pos::new(HPos::Center, VPos::Center));
    root.draw_text(text, &style, (cx, cy))
        .map_err(|e| e.to_string())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &ChartSeries,
    theme: Theme,
    panel: &Panel,
    layout: PanelLayout,
) -> Result<(Range<i32>, Range<i32>), String> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(theme.px(PAD / 2.0))
        .margin_top(layout.margin_top)
        .margin_right(layout.margin_right)
        .x_label_area_size(layout.x_area)
        .y_label_area_size(layout.y_area)
        .build_cartesian_2d(s.time_axis(), layout.axis)
        .map_err(|e| e.to_string())?;
    let n_y = layout.axis.ticks().len();
    chart
        .configure_mesh()
        .x_labels(layout.x_labels)
        .y_labels(n_y)
        .max_light_lines(0)
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID.stroke_width(theme.px(1.0).max(1) as u32))
        .axis_style(MUTED.stroke_width(theme.px(2.0).max(1) as u32))
        .set_all_tick_mark_size(theme.px(TICK_LENGTH))
        .label_style(theme.font(TICK_FONT, INK))
        .axis_desc_style(theme.font(CAPTION_FONT, INK))
        .x_desc("simulated time")
        .y_desc(panel.y_desc)
        .draw()
        .map_err(|e| e.to_string())?;

    let plot_pixels = chart.plotting_area().get_pixel_range();
    if !s.has_lines() {
        return Ok(plot_pixels);
    }

    let (pw, _) = chart.plotting_area().dim_in_pixel();
    let n = s.points.len();
    let wanted = (f64::from(pw) / (MARKER_SPACING * theme.scale)).max(2.0) as usize;
    let every = n.div_ceil(wanted).max(1);
    for line in panel.lines.iter().filter(|l| l.look.fill) {
        chart
            .draw_series(AreaSeries::new(
                line.points.iter().copied(),
                0.0,
                line.look.colour.mix(FILL_ALPHA).filled(),
            ))
            .map_err(|e| e.to_string())?;
    }
    for line in &panel.lines {
        let style = theme.line_style(line.look.colour);
        match line.look.stroke {
            Stroke::Solid => chart
                .draw_series(LineSeries::new(line.points.iter().copied(), style))
                .map(|_| ()),
            Stroke::Dashed { dash, gap } => chart
                .draw_series(DashedLineSeries::new(
                    line.points.iter().copied(),
                    theme.px(dash),
                    theme.px(gap),
                    style,
                ))
                .map(|_| ()),
        }
        .map_err(|e| e.to_string())?;
    }
    // Markers go on top of every line, staggered between series so that lines with equal
    // values (pending and EBS often sit at zero together) still show each marker, and none
    // sits on the corner of the axes.
    // They are drawn in pixels (plotters' dynamic elements would need a 'static backend,
    // and the SVG backend borrows its string).
    let plot = chart.plotting_area().strip_coord_spec();
    let (bx, by) = chart.plotting_area().get_base_pixel();
    let count = panel.lines.len().max(1);
    for (j, line) in panel.lines.iter().enumerate() {
        let phase = every * (2 * j + 1) / (2 * count);
        let look = line.look;
        for p in line.points.iter().skip(phase).step_by(every) {
            let (x, y) = chart.backend_coord(p);
            plot.draw(&marker((x - bx, y - by), look.marker, theme, look.colour))
                .map_err(|e| e.to_string())?;
        }
    }
    draw_end_labels(area, &chart, theme, panel)?;
    Ok(plot_pixels)
}

/// Writes each line's latest value just right of its end, in the line's colour, so the room
/// reads "43" or "$1.53" without tracing back to the axis.
fn draw_end_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<TimeAxis, ValueAxis>>,
    theme: Theme,
    panel: &Panel,
) -> Result<(), String> {
    let (ax, ay) = area.get_base_pixel();
    let mut labels: Vec<(String, RGBColor, (i32, i32), f64)> = end_labels(panel)
        .into_iter()
        .map(|(text, colour, p)| {
            let (x, y) = chart.backend_coord(&p);
            (text, colour, (x - ax, y - ay), p.1)
        })
        .collect();
    // Highest value on top, even where two ends round to the same pixel.
    crate::sim::sort::sort_by(&mut labels, |a, b| b.3.total_cmp(&a.3));
    let mut ys: Vec<i32> = labels.iter().map(|l| l.2.1).collect();
    // Keep the labels beside the plot, clear of the time tick labels below it.
    let plot = chart.plotting_area().get_pixel_range().1;
    let (top, bottom) = (plot.start - ay, plot.end - ay);
    spread(&mut ys, theme.px(TICK_FONT * 1.1), top, bottom);
    for ((text, colour, (x, _), _), y) in labels.iter().zip(ys) {
        let style = theme
            .bold_font(TICK_FONT, *colour)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(text, &style, (x + theme.px(END_LABEL_GAP), y))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
