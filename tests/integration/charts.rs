//! Renders the three charts (nodes and pods, cost by component, CPU and memory) of a real demo
//! run to SVG and checks what the room would see: axis captions, legend entries, one polyline
//! point per drawn sample, time tick labels from the formatter, a y axis that covers the data,
//! projector-sized text and lines, and the "waiting for data" state. The SVGs are written to
//! `target/charts/` so people can look at them.

use std::path::PathBuf;

use eks_lab::sim::Simulation;
use eks_lab::sim::api::ObjectKey;
use eks_lab::sim::clock::SimDuration;
use eks_lab::sim::command::Command;
use eks_lab::view::charts::{
    ChartKind, ChartSeries, MAX_POINTS, downsample_indices, draw_chart, draw_cost, draw_nodes_pods,
    draw_resources, format_sim_time,
};
use eks_lab::view::demo::demo_spec;
use plotters::prelude::*;

const SIZE: (u32, u32) = (1280, 360);

/// The demo lab with a story: at 20 minutes the web deployment is scaled past what the nodes
/// hold (pods go Pending), at 40 minutes the node group is scaled out (they get scheduled),
/// then it runs to `total_mins` (at least 40).
fn story(total_mins: u64) -> Simulation {
    let mut sim = Simulation::new(demo_spec()).unwrap();
    sim.run_for(SimDuration::from_mins(20));
    sim.submit(
        Command::ScaleDeployment {
            key: ObjectKey::new("default", "web"),
            replicas: 24,
        },
        "kubectl scale deployment web --replicas=24",
    );
    sim.run_for(SimDuration::from_mins(20));
    sim.submit(
        Command::ScaleNodegroup {
            name: "ng-general".into(),
            desired: Some(6),
            min: None,
            max: None,
        },
        "eksctl scale nodegroup --name ng-general --nodes 6",
    );
    sim.run_for(SimDuration::from_mins(total_mins.saturating_sub(40)));
    sim
}

fn svg_with(
    size: (u32, u32),
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, plotters::coord::Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        draw(&root).unwrap();
    }
    out
}

fn svg(kind: ChartKind, s: &ChartSeries) -> String {
    svg_with(SIZE, |root| draw_chart(kind, root, s, 1.0))
}

fn save(name: &str, svg: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/charts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), svg).unwrap();
}

/// Every `<text>` element: its attributes and its content.
fn texts(svg: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let tag_end = start + rest[start..].find('>').unwrap();
        let close = tag_end + rest[tag_end..].find("</text>").unwrap();
        out.push((
            rest[start..tag_end].to_string(),
            rest[tag_end + 1..close].trim().to_string(),
        ));
        rest = &rest[close..];
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(tag[i..i + tag[i..].find('"')?].to_string())
}

/// Point counts and stroke widths of the polylines stroked in `colour` (`#0072B2`).
fn polylines(svg: &str, colour: &str) -> Vec<(usize, u32)> {
    svg.split("<polyline")
        .skip(1)
        .map(|p| &p[..p.find("/>").unwrap()])
        .filter(|tag| attr(tag, "stroke").as_deref() == Some(colour))
        .map(|tag| {
            let points = attr(tag, "points").unwrap();
            let width = attr(tag, "stroke-width").unwrap().parse().unwrap();
            (points.split_whitespace().count(), width)
        })
        .collect()
}

/// The y-axis tick labels (right-aligned texts) as numbers, `$` and `,` removed.
fn y_ticks(svg: &str) -> Vec<f64> {
    texts(svg)
        .into_iter()
        .filter(|(tag, _)| attr(tag, "text-anchor").as_deref() == Some("end"))
        .filter_map(|(_, t)| t.replace(['$', ','], "").parse().ok())
        .collect()
}

fn has_text(svg: &str, want: &str) -> bool {
    texts(svg).iter().any(|(_, t)| t == want)
}

#[test]
fn nodes_and_pods_chart_shows_every_sample_and_covers_the_data() {
    let sim = story(180);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    assert_eq!(s.samples, 181);
    assert_eq!(s.points.len(), 181);
    let out = svg_with(SIZE, |root| draw_nodes_pods(root, &s));
    save("nodes-pods.svg", &out);

    for caption in ["simulated time", "count", "Nodes", "Running", "Pending"] {
        assert!(has_text(&out, caption), "missing {caption:?}");
    }
    // The node line is one polyline with a point per sample (the legend sample has two).
    let blue = polylines(&out, "#0072B2");
    assert!(blue.iter().any(|(n, _)| *n == s.points.len()), "{blue:?}");
    assert!(blue.iter().all(|(_, w)| *w >= 2), "{blue:?}");
    // Running is solid too; Pending is dashed, so it is many short polylines.
    assert!(
        polylines(&out, "#009E73")
            .iter()
            .any(|(n, _)| *n == s.points.len())
    );
    assert!(polylines(&out, "#D55E00").len() > 10);
    // Time ticks use the formatter: a 3-hour run is ticked every 30 minutes.
    for label in ["0m", "30m", "1h", "1h30m", "2h", "3h"] {
        assert!(has_text(&out, label), "missing tick {label:?}");
    }
    // The y axis reaches above the largest value.
    let max = s
        .points
        .iter()
        .map(|p| p.nodes.max(p.pods_running).max(p.pods_pending))
        .max()
        .unwrap() as f64;
    let pending_max = s.points.iter().map(|p| p.pods_pending).max().unwrap();
    assert!(pending_max > 0, "the story should make pods wait");
    let top = y_ticks(&out).into_iter().fold(0.0, f64::max);
    assert!(top >= max, "top tick {top} below data max {max}");
    assert!(
        top <= max * 2.0 + 5.0,
        "top tick {top} far above data max {max}"
    );
    assert!(!out.contains("waiting for data"));
}

#[test]
fn cost_chart_has_components_dollar_ticks_and_covers_the_total_so_far() {
    let sim = story(180);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    let out = svg_with(SIZE, |root| draw_cost(root, &s));
    save("cost.svg", &out);
    for caption in [
        "USD",
        "simulated time",
        "Control plane",
        "EC2",
        "Fargate",
        "EBS",
    ] {
        assert!(has_text(&out, caption), "missing {caption:?}");
    }
    let dollar_ticks: Vec<_> = texts(&out)
        .into_iter()
        .filter(|(_, t)| t.starts_with('$'))
        .collect();
    assert!(dollar_ticks.len() >= 3, "{dollar_ticks:?}");
    let last = s.latest().unwrap();
    let biggest = *last.cost_micro_usd.iter().max().unwrap() as f64 / 1e6;
    assert!(biggest > 0.0);
    let top = y_ticks(&out).into_iter().fold(0.0, f64::max);
    assert!(top >= biggest, "top {top} < {biggest}");
    // Each line ends in its latest value, written the way the cost table writes money.
    for micro in last.cost_micro_usd {
        let want = eks_lab::view::format::usd(micro);
        assert!(
            texts(&out)
                .iter()
                .any(|(tag, t)| *t == want && tag.contains("font-weight=\"bold\"")),
            "no end label {want}"
        );
    }
    // One line per component, each in its own colour.
    for colour in ["#0072B2", "#D55E00", "#009E73", "#CC79A7"] {
        assert!(!polylines(&out, colour).is_empty(), "no line in {colour}");
    }
}

#[test]
fn resources_chart_has_two_panels_with_their_units() {
    let sim = story(180);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    let out = svg_with(SIZE, |root| draw_resources(root, &s));
    save("resources.svg", &out);
    for caption in ["CPU (cores)", "memory (GiB)", "Allocatable", "Requested"] {
        assert!(has_text(&out, caption), "missing {caption:?}");
    }
    let captions = texts(&out)
        .into_iter()
        .filter(|(_, t)| t == "simulated time")
        .count();
    assert_eq!(captions, 2, "one time axis per panel");
    // The allocatable lines (CPU and memory) have a point per sample; both are shaded.
    let blue = polylines(&out, "#0072B2");
    assert_eq!(
        blue.iter().filter(|(n, _)| *n == s.points.len()).count(),
        2,
        "{blue:?}"
    );
    assert!(out.matches("<polygon").count() >= 2);
    let last = s.latest().unwrap();
    let ticks = y_ticks(&out);
    let cores = last.cpu_allocatable_m as f64 / 1000.0;
    assert!(ticks.iter().any(|t| *t >= cores), "{ticks:?} vs {cores}");
}

#[test]
fn text_and_lines_are_projector_sized_and_scale_with_the_pixel_ratio() {
    let sim = story(60);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    for kind in ChartKind::ALL {
        let out = svg(kind, &s);
        let smallest = texts(&out)
            .iter()
            .map(|(tag, _)| attr(tag, "font-size").unwrap().parse::<f64>().unwrap())
            .fold(f64::INFINITY, f64::min);
        // plotters' SVG backend writes a font of size N as N / 1.24; the canvas backend the
        // browser uses draws it at N pixels. What the room sees is the canvas size.
        let canvas_px = smallest * 1.24;
        assert!(
            canvas_px >= 14.0,
            "{kind:?}: font {canvas_px} px on the canvas"
        );

        let (w, h) = (SIZE.0 * 2, SIZE.1 * 2);
        let hidpi = svg_with((w, h), |root| draw_chart(kind, root, &s, 2.0));
        let big = texts(&hidpi)
            .iter()
            .map(|(tag, _)| attr(tag, "font-size").unwrap().parse::<f64>().unwrap())
            .fold(f64::INFINITY, f64::min);
        assert!(
            (big - 2.0 * smallest).abs() < 0.5,
            "{kind:?}: {big} vs {smallest}"
        );
        let widths: Vec<u32> = polylines(&hidpi, "#0072B2").iter().map(|p| p.1).collect();
        assert!(widths.iter().all(|w| *w >= 6), "{kind:?}: {widths:?}");
    }
    save("nodes-pods-1h.svg", &svg(ChartKind::NodesPods, &s));
}

#[test]
fn empty_and_single_sample_series_draw_axes_and_wait_for_data() {
    let one = ChartSeries::from_samples(Simulation::new(demo_spec()).unwrap().metrics().samples());
    assert_eq!(one.points.len(), 1);
    for s in [ChartSeries::default(), one] {
        for kind in ChartKind::ALL {
            let out = svg(kind, &s);
            assert!(
                has_text(&out, "waiting for data"),
                "{kind:?} {}",
                s.points.len()
            );
            assert!(has_text(&out, "simulated time"), "{kind:?}");
            assert!(has_text(&out, "0m"), "{kind:?}");
            assert!(
                has_text(&out, "10m"),
                "{kind:?}: the empty axis spans ten minutes"
            );
            // No data lines: only the two-point legend samples and axis lines.
            assert!(
                out.split("<polyline").skip(1).all(|p| attr(p, "points")
                    .unwrap()
                    .split_whitespace()
                    .count()
                    <= 2),
                "{kind:?}"
            );
            if s.points.is_empty() {
                save(&format!("empty-{}.svg", kind.test_id()), &out);
            }
        }
    }
    // Tiny and degenerate canvases do not panic either.
    let s = ChartSeries::default();
    for size in [(1, 1), (40, 30), (200, 80)] {
        for kind in ChartKind::ALL {
            let _ = svg_with(size, |root| draw_chart(kind, root, &s, 1.0));
        }
    }
}

#[test]
fn days_of_samples_are_downsampled_keeping_the_ends() {
    let mut sim = Simulation::new(demo_spec()).unwrap();
    sim.run_for(SimDuration::from_hours(50));
    let samples = sim.metrics().samples();
    assert_eq!(samples.len(), 50 * 60 + 1);
    let s = ChartSeries::from_samples(samples);
    assert_eq!(s.samples, samples.len());
    assert!(s.points.len() <= MAX_POINTS, "{}", s.points.len());
    assert!(s.points.len() >= MAX_POINTS / 2, "{}", s.points.len());
    assert_eq!(s.points[0].t, samples[0].t);
    assert_eq!(s.latest().unwrap().t, samples.last().unwrap().t);
    assert_eq!(
        s.points.len(),
        downsample_indices(samples.len(), MAX_POINTS).len()
    );
    let out = svg(ChartKind::NodesPods, &s);
    save("nodes-pods-50h.svg", &out);
    assert!(
        polylines(&out, "#0072B2")
            .iter()
            .any(|(n, _)| *n == s.points.len()),
        "the node line has one point per kept sample"
    );
    // Ticks on a two-day axis read as days and hours.
    assert!(
        has_text(&out, "1d"),
        "{:?}",
        texts(&out).iter().map(|t| &t.1).collect::<Vec<_>>()
    );
    // The same series draws the same picture.
    assert_eq!(out, svg(ChartKind::NodesPods, &s));
}

#[test]
fn the_time_formatter_reads_like_a_duration() {
    let table = [
        (0, "0m"),
        (45 * 60, "45m"),
        (3600, "1h"),
        (90 * 60, "1h30m"),
        (150 * 60, "2h30m"),
        (86_400, "1d"),
        (86_400 + 2 * 3600, "1d2h"),
        (2 * 86_400 + 4 * 3600, "2d4h"),
    ];
    for (secs, want) in table {
        assert_eq!(format_sim_time(secs), want);
    }
}

#[test]
fn summaries_name_the_latest_values() {
    let sim = story(80);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    let p = *s.latest().unwrap();
    let text = ChartKind::NodesPods.summary(&s);
    assert!(
        text.starts_with("Nodes and pods over time: ") && text.ends_with(" at 1h20m"),
        "{text}"
    );
    assert!(text.contains(&format!("{} nodes", p.nodes)), "{text}");
    assert!(
        text.contains(&format!("{} pods running", p.pods_running)),
        "{text}"
    );
    assert!(ChartKind::Cost.summary(&s).contains("EC2 $"));
    assert!(ChartKind::Resources.summary(&s).contains("cores requested"));
}

#[test]
fn narrow_charts_keep_their_legend_ticks_and_values() {
    // Three charts side by side on a 1280-pixel laptop get about 480 x 230 CSS pixels each when they are at least 34rem wide.
    let sim = story(180);
    let s = ChartSeries::from_samples(sim.metrics().samples());
    for kind in ChartKind::ALL {
        let out = svg_with((480, 230), |root| draw_chart(kind, root, &s, 1.0));
        save(&format!("narrow-{}.svg", kind.test_id()), &out);
        let legend = match kind {
            ChartKind::NodesPods => vec!["Nodes", "Running", "Pending"],
            ChartKind::Cost => vec!["Control plane", "EC2", "Fargate", "EBS"],
            ChartKind::Resources => vec!["Allocatable", "Requested"],
            other => unreachable!("{other:?} is not in ChartKind::ALL"),
        };
        for entry in legend {
            assert!(has_text(&out, entry), "{kind:?}: {entry}");
        }
        assert!(y_ticks(&out).len() >= 2, "{kind:?}: {:?}", y_ticks(&out));
        assert!(
            has_text(&out, "0m") && has_text(&out, "simulated time"),
            "{kind:?}"
        );
        // Every text starts inside the canvas.
        for (tag, text) in texts(&out) {
            let x: i32 = attr(&tag, "x").unwrap().parse().unwrap();
            assert!((0..=480).contains(&x), "{kind:?}: {text} at x={x}");
        }
    }
}

#[test]
fn scaling_charts_follow_the_focused_workload() {
    let sim = story(180);
    let key = sim
        .state()
        .deployments
        .keys()
        .find(|k| k.namespace != "kube-system")
        .unwrap()
        .clone();
    let s = ChartSeries::focused(sim.metrics().samples(), Some(&key));
    assert_eq!(s.focus.as_deref(), Some(key.to_string().as_str()));
    let latest = s.latest().unwrap();
    let d = &sim.state().deployments[&key];
    assert_eq!(latest.replicas, u64::try_from(d.spec.replicas).unwrap());
    for (kind, legend) in [
        (
            ChartKind::LoadReplicas,
            vec!["Requests/s", "Replicas", "Ready"],
        ),
        (ChartKind::CpuTarget, vec!["CPU % of request"]),
        (
            ChartKind::NodesRate,
            vec!["Desired nodes", "Ready nodes", "$/h"],
        ),
    ] {
        let out = svg_with((900, 300), |root| draw_chart(kind, root, &s, 1.0));
        save(&format!("scaling-{}.svg", kind.test_id()), &out);
        for entry in legend {
            assert!(has_text(&out, entry), "{kind:?}: {entry}");
        }
        assert!(
            kind.summary(&s).contains(&key.to_string()) || kind == ChartKind::NodesRate,
            "{}",
            kind.summary(&s)
        );
    }
}
