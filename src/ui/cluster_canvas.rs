//! The cluster drawn: the [`Picture`] that [`crate::explorer::picture::layout`] computes, as
//! SVG.

use leptos::prelude::*;

use crate::explorer::picture::{Item, Picture, Wire, WireKind};
use crate::explorer::scene::Scene;
use crate::explorer::view::{fit_zoom, zoomed, zoomed_size, Panel, ZoomStep};

use super::state::Explorer;

/// An SVG picture of the simulated cluster ([`crate::explorer::picture::layout`], in the
/// [`Scene`] the second module computed: nodes as columns with their pods,
/// Services in a row above, a line from each Service to each endpoint of its EndpointSlices,
/// dashed when not ready). Hovering a pod shows its labels and the Services that select it;
/// hovering a Service, its selector. The traced packet (`traced`) travels its path: from the
/// client pod to the Service it addressed and on to the pod that got it (red when refused).
/// The tables beside it carry the same facts as text.
///
/// SVG and PNG buttons save the picture as a file ([`super::export`]).
///
/// Pan by scrolling (the scrollbars, the wheel, touch, the arrow keys); zoom with the buttons
/// above it, Ctrl+wheel, or `+`/`-`/`0`/`f` while it has focus. `zoom` is a percentage of the
/// picture's natural size (100%: text at the size it is written for); "Fit" shows the whole
/// width. The layout itself never moves.
///
/// The scene's picture is at the timeline's position: after the first `n` events
/// ([`crate::sim::control::cluster::Cluster::at`], a fold of the event stream), or now.
#[component]
pub fn ClusterCanvas(#[prop(into)] scene: Signal<Scene>, state: Explorer) -> impl IntoView {
    let zoom = state.zoom;
    let picture = move || {
        scene.with(|scene| {
            let step = scene
                .step
                .map_or_else(|| "now".to_owned(), |step| step.to_string());
            draw(scene.picture.clone(), step, zoom)
        })
    };
    let scroll = NodeRef::<leptos::html::Div>::new();
    let zoom_by = move |step: ZoomStep| zoom.update(|zoom| *zoom = zoomed(*zoom, step));
    // What moves on the picture (the DNS question, the packet, the 20 requests, what the
    // timeline's step just changed) is SVG animation: the SVG's own clock is paused, stepped
    // and set back to its start. A new picture starts its clock anew, paused if asked.
    let paused = RwSignal::new(false);
    let story = Memo::new(move |_| scene.with(|scene| scene.picture.story.clone()));
    let move_picture = move |what: &str| {
        let area = scroll.get_untracked().map(wasm_bindgen::JsValue::from);
        let now = motion(&area.unwrap_or_default(), what, paused.get_untracked());
        paused.set(now);
    };
    Effect::new(move |_| {
        // Each new picture starts its clock anew: keep it paused if it was.
        scene.track();
        move_picture("keep");
    });
    // "Fit": the zoom at which the whole width shows in the scroll area.
    let fit = move || {
        let available = scroll
            .get()
            .map_or(0, |area| i64::from(area.client_width()));
        let natural = scene.with_untracked(|scene| scene.picture.width);
        zoom.set(fit_zoom(natural, available));
    };
    view! {
        <div class="canvas-area">
        // One handler for the buttons: each says what it does in its value (a zoom step, or
        // the file format to export).
        <div
            class="canvas-tools"
            role="group"
            aria-label="Zoom"
            on:click=move |event| {
                let value = event_target_value(&event);
                if let Some(step) = zoom_step(&value) {
                    zoom_by(step);
                } else if matches!(value.as_str(), "pause" | "step" | "replay") {
                    move_picture(&value);
                } else if value == "fit" {
                    fit();
                } else if value == "svg" || value == "png" {
                    if let Some(button) = event.target() {
                        super::export::export_picture(&button, &value);
                    }
                }
            }
        >
            <button type="button" value="-1" data-testid="zoom-out" aria-label="Zoom out" title="Zoom out (-)">"−"</button>
            <output data-testid="zoom-level">{move || format!("{}%", zoom.get())}</output>
            <button type="button" value="1" data-testid="zoom-in" aria-label="Zoom in" title="Zoom in (+)">"+"</button>
            <button type="button" value="0" data-testid="zoom-natural" title="The natural size (0)">"100%"</button>
            <button type="button" value="fit" data-testid="zoom-fit" title="The whole width in view (f)">"Fit"</button>
            <button
                type="button"
                value="pause"
                data-testid="motion-pause"
                aria-pressed=move || paused.get().to_string()
                title="Pause or go on with what moves on the picture (p)"
            >
                "Pause"
            </button>
            <button type="button" value="step" data-testid="motion-step" title="Pause, and move half a second on (.)">"Step"</button>
            <button type="button" value="replay" data-testid="motion-replay" title="Play what moves from its start (r)">"Replay"</button>
            <button type="button" value="svg" data-testid="export-svg" title="Save the picture as an SVG file">"SVG"</button>
            <button type="button" value="png" data-testid="export-png" title="Save the picture as a PNG file">"PNG"</button>
        </div>
        // Pan: the scrollbars, the wheel, touch, or the arrow keys once it has focus; zoom: the
        // buttons, Ctrl+wheel, or + - 0 while it has focus.
        <div
            class="canvas-scroll"
            data-testid="canvas-scroll"
            node_ref=scroll
            tabindex="0"
            aria-label="Cluster picture: scroll or use the arrow keys to pan, + and - to zoom, 0 for the natural size, f to fit"
            on:click=move |event| {
                select_from(&event, state, true);
            }
            on:wheel=move |event: leptos::ev::WheelEvent| {
                if event.ctrl_key() {
                    event.prevent_default();
                    zoom_by(if event.delta_y() < 0.0 { ZoomStep::In } else { ZoomStep::Out });
                }
            }
            on:keydown=move |event: leptos::ev::KeyboardEvent| {
                let step = match event.key().as_str() {
                    "Enter" | " " => {
                        if select_from(&event, state, false) {
                            event.prevent_default();
                        }
                        return;
                    }
                    "+" | "=" => ZoomStep::In,
                    "-" => ZoomStep::Out,
                    "0" => ZoomStep::Reset,
                    "f" => {
                        event.prevent_default();
                        fit();
                        return;
                    }
                    "p" | "." | "r" => {
                        event.prevent_default();
                        move_picture(match event.key().as_str() {
                            "p" => "pause",
                            "." => "step",
                            _ => "replay",
                        });
                        return;
                    }
                    _ => return,
                };
                event.prevent_default();
                zoom_by(step);
            }
        >
            {picture}
        </div>
        </div>
        // Shut until opened; where motion is reduced the stylesheet shows it anyway.
        <details class="story" data-testid="story" hidden=move || story.with(Vec::is_empty)>
            <summary class="story__toggle" data-testid="story-toggle">"What moves, in words"</summary>
            <ol class="story__steps" aria-live="polite">
                {move || {
                    story
                        .get()
                        .into_iter()
                        .map(|line| view! { <li data-testid="story-step">{line}</li> })
                        .collect::<Vec<_>>()
                }}
            </ol>
        </details>
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/assets/page.js")]
extern "C" {
    /// Moves the SVG clock of the picture in `area`: `pause` (or go on), `step` (pause, and
    /// half a second on), `replay` (from its start), `keep` (a new picture: paused if it
    /// was). Returns whether it is paused now. In JavaScript: the SVG clock's four calls.
    fn motion(area: &wasm_bindgen::JsValue, what: &str, paused: bool) -> bool;
}

/// Clicking (or Enter on) a Service, slice, pod or node selects it and opens the inspector on
/// it; a click on the picture's background (`clear`) lets the selection go. Returns whether
/// the event was on something selectable.
fn select_from(event: &leptos::ev::Event, state: Explorer, clear: bool) -> bool {
    use wasm_bindgen::JsCast;
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|target| target.closest("[data-select]").ok().flatten())
    else {
        if clear && !state.selected.with_untracked(String::is_empty) {
            state.selected.set(String::new());
            state.pointed.set(None);
        }
        return false;
    };
    if let Some(id) = element.get_attribute("data-select") {
        state.pointed.set(None);
        state.selected.set(id);
        state.panel.set(Panel::Selection);
    }
    true
}

/// The zoom step a button's value names (`1` in, `-1` out, `0` back).
fn zoom_step(value: &str) -> Option<ZoomStep> {
    match value {
        "1" => Some(ZoomStep::In),
        "-1" => Some(ZoomStep::Out),
        "0" => Some(ZoomStep::Reset),
        _ => None,
    }
}

/// The picture as SVG, at `zoom` percent of its natural size; `step` is the timeline's position
/// it shows (`now` or the step's number), in `data-step`. Every box, text and wire is where the
/// layout put it: this only writes them down.
fn draw(picture: Picture, step: String, zoom: RwSignal<u16>) -> impl IntoView {
    let Picture {
        width,
        height,
        label,
        pods,
        selecting,
        boxes,
        wires,
        stream_ms,
        story: _,
    } = picture;
    let title = label.clone();
    // Wires that something travels along go over the boxes; the others under them.
    let (over, under): (Vec<Wire>, Vec<Wire>) =
        wires.into_iter().partition(|wire| wire.kind.travels());
    // The cluster's edge and the nodes lie under the wires that run along their margins.
    let (ground, rest): (Vec<Item>, Vec<Item>) =
        boxes.into_iter().partition(|item| item.shape.is_ground());
    view! {
        <svg
            class="canvas"
            class:canvas--selecting=selecting
            data-testid="cluster-canvas"
            data-step=step
            data-pods=pods.to_string()
            role="group"
            aria-label=label
            viewBox=format!("0 0 {width} {height}")
            width=move || zoomed_size(width, zoom.get()).to_string()
            height=move || zoomed_size(height, zoom.get()).to_string()
            preserveAspectRatio="xMinYMin meet"
        >
            <title>{title}</title>
            {ground.into_iter().map(draw_box).collect::<Vec<_>>()}
            {under.into_iter().map(|wire| draw_wire(wire, 0)).collect::<Vec<_>>()}
            {rest.into_iter().map(draw_box).collect::<Vec<_>>()}
            {over.into_iter().map(|wire| draw_wire(wire, stream_ms)).collect::<Vec<_>>()}
        </svg>
    }
}

/// A box and its text; a Service, slice, pod or node is a button (Enter or a click selects
/// it).
fn draw_box(item: Item) -> impl IntoView {
    let select = (!item.select.is_empty()).then_some(item.select);
    let clickable = select.is_some();
    let hover = (!item.hover.is_empty()).then(|| view! { <title>{item.hover}</title> });
    view! {
        <g
            data-testid=item.shape.test_id()
            class:canvas__selectable=clickable
            data-select=select
            data-lit=item.lit.id()
            tabindex=clickable.then_some("0")
            role=clickable.then_some("button")
        >
            {hover}
            <rect
                class=item.shape.class()
                x=item.x.to_string()
                y=item.y.to_string()
                width=item.width.to_string()
                height=item.height.to_string()
                rx="8"
            />
            {item
                .text
                .into_iter()
                .map(|line| {
                    view! {
                        <text
                            class=line.style.class()
                            class:canvas__fresh=line.fresh
                            x=line.x.to_string()
                            y=line.y.to_string()
                            text-anchor=line.end.then_some("end")
                        >
                            {line.text}
                        </text>
                    }
                })
                .collect::<Vec<_>>()}
        </g>
    }
}

/// A wire; the DNS question and the packet travel theirs (a dot, there and back for DNS), the
/// 20 requests theirs (a dot each, in one stream of `stream_ms`).
fn draw_wire(wire: Wire, stream_ms: usize) -> impl IntoView {
    let path = wire.path();
    let dot = match wire.kind {
        WireKind::Stream => Some(stream_dots(&path, wire.dots, stream_ms).into_any()),
        WireKind::Dns => Some(view! {
            <circle class="canvas__packet canvas__dns" r="5">
                <animateMotion dur="3s" repeatCount="indefinite" keyPoints="0;1;0" keyTimes="0;0.5;1" calcMode="linear" path=path.clone() />
            </circle>
        }.into_any()),
        WireKind::Packet | WireKind::Refused => Some(view! {
            <circle class="canvas__packet" r="6">
                <animateMotion dur="2.4s" repeatCount="indefinite" path=path.clone() />
            </circle>
        }.into_any()),
        _ => None,
    };
    view! {
        <path
            data-testid=wire.kind.test_id()
            data-count=(wire.kind == WireKind::Stream).then(|| wire.count.to_string())
            class=wire.kind.class()
            class:canvas__wire--lit=wire.lit
            class:canvas__wire--fresh=wire.fresh
            pathLength=wire.fresh.then_some("1")
            d=path
        />
        {dot}
    }
}

/// The stream's dots along `path`, each leaving and arriving at its [`Wire::dots`] key times
/// of the `cycle` (in milliseconds; the layout computed them), hidden in between.
fn stream_dots(path: &str, dots: Vec<String>, cycle: usize) -> impl IntoView {
    let dur = format!("{cycle}ms");
    dots.into_iter()
        .map(|times| {
            let shown = times.strip_suffix(";1").unwrap_or(&times).to_owned();
            view! {
                <circle class="canvas__packet canvas__stream" r="4" opacity="0">
                    <animateMotion dur=dur.clone() repeatCount="indefinite" keyPoints="0;0;1;1" keyTimes=times calcMode="linear" path=path.to_owned() />
                    <animate attributeName="opacity" dur=dur.clone() repeatCount="indefinite" values="0;1;0" keyTimes=shown calcMode="discrete" />
                </circle>
            }
        })
        .collect::<Vec<_>>()
}
