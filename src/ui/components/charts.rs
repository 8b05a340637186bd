//! The charts strip: three canvases (nodes and pods, cost by component, CPU and memory
//! requested vs allocatable) drawn by `view::charts` through plotters' canvas backend, each
//! with a visible caption and a spoken summary. Redraws only when the series changes or the
//! window is resized. Dispatches nothing.

mod measured_canvas;

use std::rc::Rc;

use gloo::events::EventListener;
use measured_canvas::MeasuredCanvas;
use plotters::prelude::IntoDrawingArea;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

use crate::view::charts::{ChartKind, ChartSeries, draw_chart};

/// The CSS font size the charts' sizes are designed for (the page's base size); a larger base
/// (the 17 px of wide screens, or a presenter mode) scales the chart text with it.
const BASE_FONT_PX: f64 = 14.0;

#[derive(Properties, PartialEq, Debug)]
pub struct ChartsProps {
    /// The samples to draw; build it with `ChartSeries::from_samples` in a `use_memo`.
    pub series: Rc<ChartSeries>,
    /// Which three charts: `ChartKind::ALL` (the cluster) or `ChartKind::SCALING`.
    #[prop_or(ChartKind::ALL)]
    pub kinds: [ChartKind; 3],
}

/// The window's size and pixel ratio: a change means the canvases need a new backing store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Viewport {
    width: i32,
    height: i32,
    dpr_milli: i32,
}

impl Viewport {
    fn now() -> Viewport {
        let w = gloo::utils::window();
        let dim = |v: Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>| {
            v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i32
        };
        Viewport {
            width: dim(w.inner_width()),
            height: dim(w.inner_height()),
            dpr_milli: (w.device_pixel_ratio() * 1000.0).round() as i32,
        }
    }
}

/// The window's size and pixel ratio, updated on resize, so charts redraw to fit.
#[hook]
fn use_viewport() -> UseStateHandle<Viewport> {
    let viewport = use_state_eq(Viewport::now);
    {
        let viewport = viewport.clone();
        use_effect_with((), move |()| {
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| {
                viewport.set(Viewport::now());
            });
            move || drop(listener)
        });
    }
    viewport
}

#[function_component(Charts)]
pub fn charts(p: &ChartsProps) -> Html {
    let canvases = [use_node_ref(), use_node_ref(), use_node_ref()];
    let viewport = use_viewport();
    {
        let canvases = canvases.clone();
        use_effect_with(
            (p.series.clone(), *viewport, p.kinds),
            move |(series, _, kinds)| {
                for (kind, node) in kinds.iter().copied().zip(&canvases) {
                    if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                        draw_canvas(kind, &canvas, series);
                    }
                }
            },
        );
    }
    let figures = p.kinds.into_iter().zip(canvases).map(|(kind, node)| {
        let id = format!("{}-title", kind.test_id());
        html! {
            <figure class={classes!("chart", kind.test_id())} aria-labelledby={id.clone()}>
                <figcaption id={id}>{ kind.title() }</figcaption>
                <canvas ref={node} role="img" aria-label={kind.summary(&p.series)}
                        data-testid={kind.test_id()}></canvas>
            </figure>
        }
    });
    html! {
        <section class="charts" aria-label="Charts">
            { for figures }
        </section>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ChartProps {
    pub series: Rc<ChartSeries>,
    pub kind: ChartKind,
}

/// One chart on its own (the Upgrades tab's Auto Scaling group chart), drawn like the strip's.
#[function_component(Chart)]
pub fn chart(p: &ChartProps) -> Html {
    let node = use_node_ref();
    let viewport = use_viewport();
    {
        let node = node.clone();
        use_effect_with(
            (p.series.clone(), *viewport, p.kind),
            move |(series, _, kind)| {
                if let Some(canvas) = node.cast::<HtmlCanvasElement>() {
                    draw_canvas(*kind, &canvas, series);
                }
            },
        );
    }
    let id = format!("{}-title", p.kind.test_id());
    html! {
        <figure class={classes!("chart", "single", p.kind.test_id())} aria-labelledby={id.clone()}>
            <figcaption id={id}>{ p.kind.title() }</figcaption>
            <canvas ref={node} role="img" aria-label={p.kind.summary(&p.series)} data-testid={p.kind.test_id()}></canvas>
        </figure>
    }
}

/// Sizes the canvas's backing store to its CSS size times the device pixel ratio (so text
/// and lines are crisp on HiDPI projectors), draws the chart at that scale, and records the
/// number of points drawn in `data-drawn` (or the error in `data-error`).
fn draw_canvas(kind: ChartKind, canvas: &HtmlCanvasElement, series: &ChartSeries) {
    let (css_w, css_h) = (canvas.client_width(), canvas.client_height());
    if css_w <= 0 || css_h <= 0 {
        // Not laid out (hidden); the next change or resize draws it.
        return;
    }
    let window = gloo::utils::window();
    let dpr = Some(window.device_pixel_ratio())
        .filter(|d| d.is_finite() && *d > 0.0)
        .unwrap_or(1.0);
    let width = (f64::from(css_w) * dpr).round() as u32;
    let height = (f64::from(css_h) * dpr).round() as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let text_scale = window
        .get_computed_style(canvas)
        .ok()
        .flatten()
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|px| px.trim_end_matches("px").parse::<f64>().ok())
        .filter(|px| px.is_finite() && *px > 0.0)
        .map_or(1.0, |px| px / BASE_FONT_PX);
    let result = match MeasuredCanvas::new(canvas) {
        Some(backend) => draw_chart(kind, &backend.into_drawing_area(), series, dpr * text_scale),
        None => Err("the canvas has no 2D context".to_string()),
    };
    // Attributes only help tests and debugging; failing to set one changes nothing visible.
    match result {
        Ok(()) => {
            let _ = canvas.remove_attribute("data-error");
            let _ = canvas.set_attribute("data-drawn", &series.points.len().to_string());
        }
        Err(e) => {
            let _ = canvas.set_attribute("data-error", &e);
        }
    }
}
