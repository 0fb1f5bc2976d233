//! The cluster drawn: the [`Picture`] that [`crate::explorer::picture::layout`] computes, as
//! SVG.

use leptos::prelude::*;

use crate::explorer::picture::{
    Picture, NODES_TOP, NODE_WIDTH, POD_HEIGHT, POD_WIDTH, SERVICE_HEIGHT, SERVICE_WIDTH, TOP,
};
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
    let zoom_by = move |step: ZoomStep| zoom.update(|zoom| *zoom = zoomed(*zoom, step));
    // "Fit": the zoom at which the whole width shows in the scroll area.
    let scroll = NodeRef::<leptos::html::Div>::new();
    let fit = move || {
        let available = scroll
            .get()
            .map_or(0, |area| i64::from(area.client_width()));
        let natural = scene.with_untracked(|scene| scene.picture.width);
        zoom.set(fit_zoom(natural, available));
    };
    view! {
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
                ask_from(&event, state);
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
                        if ask_from(&event, state) {
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
                    _ => return,
                };
                event.prevent_default();
                zoom_by(step);
            }
        >
            {picture}
        </div>
    }
}

/// Clicking (or Enter on) a Service asks DNS for its name; a pod becomes the pod that asks.
/// Returns whether the event was on either.
fn ask_from(event: &leptos::ev::Event, state: Explorer) -> bool {
    use wasm_bindgen::JsCast;
    let Some(element) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|target| target.closest("[data-resolve],[data-ask]").ok().flatten())
    else {
        return false;
    };
    if let Some(name) = element.get_attribute("data-resolve") {
        state.dns_name.set(name);
        state.panel.set(Panel::Dns);
    } else if let Some(pod) = element.get_attribute("data-ask") {
        state.dns_from.set(pod);
        state.panel.set(Panel::Dns);
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
/// it shows (`now` or the step's number), in `data-step`.
fn draw(picture: Picture, step: String, zoom: RwSignal<u16>) -> impl IntoView {
    let Picture {
        width,
        height,
        label,
        nodes,
        services,
        pods,
        links,
        dns,
        packet,
    } = picture;
    let title = label.clone();
    view! {
        <svg
            class="canvas"
            data-testid="cluster-canvas"
            data-step=step
            role="img"
            aria-label=label
            viewBox=format!("0 0 {width} {height}")
            width=move || zoomed_size(width, zoom.get()).to_string()
            height=move || zoomed_size(height, zoom.get()).to_string()
            preserveAspectRatio="xMinYMin meet"
        >
            <title>{title}</title>
            {nodes
                .into_iter()
                .map(|node| {
                    let x = node.x;
                    view! {
                        <g data-testid="canvas-node">
                            <rect
                                class=if node.control_plane {
                                    "canvas__node canvas__node--control-plane"
                                } else {
                                    "canvas__node"
                                }
                                x=x.to_string()
                                y=NODES_TOP.to_string()
                                width=NODE_WIDTH.to_string()
                                height=node.height.to_string()
                                rx="10"
                            />
                            <text class="canvas__title" x=(x + 10).to_string() y=(NODES_TOP + 20).to_string()>
                                {node.name}
                            </text>
                            <text class="canvas__detail" x=(x + 10).to_string() y=(NODES_TOP + 38).to_string()>
                                {node.detail}
                            </text>
                            <text class="canvas__nodeport" x=(x + NODE_WIDTH - 8).to_string() y=(NODES_TOP + 20).to_string() text-anchor="end">
                                {node.node_ports}
                            </text>
                        </g>
                    }
                })
                .collect::<Vec<_>>()}
            {links
                .into_iter()
                .map(|link| {
                    view! {
                        <line
                            data-testid="canvas-endpoint"
                            class=if link.ready { "canvas__link" } else { "canvas__link canvas__link--not-ready" }
                            x1=link.from.0.to_string()
                            y1=link.from.1.to_string()
                            x2=link.to.0.to_string()
                            y2=link.to.1.to_string()
                        />
                    }
                })
                .collect::<Vec<_>>()}
            {services
                .into_iter()
                .map(|service| {
                    let x = service.x;
                    view! {
                        <g data-testid="canvas-service" class="canvas__askable" data-resolve=service.dns_name tabindex="0" role="button">
                            <title>{format!("{}\nClick: resolve this name from the asking pod", service.summary)}</title>
                            <rect
                                class=if service.headless { "canvas__service canvas__service--headless" } else { "canvas__service" }
                                x=x.to_string()
                                y=TOP.to_string()
                                width=SERVICE_WIDTH.to_string()
                                height=SERVICE_HEIGHT.to_string()
                                rx="8"
                            />
                            <text class="canvas__title" x=(x + 8).to_string() y=(TOP + 18).to_string()>{service.title}</text>
                            <text class="canvas__detail" x=(x + 8).to_string() y=(TOP + 36).to_string()>{service.kind_and_ports}</text>
                            <text class="canvas__detail" x=(x + 8).to_string() y=(TOP + 53).to_string()>{service.address}</text>
                        </g>
                    }
                })
                .collect::<Vec<_>>()}
            {pods
                .into_iter()
                .map(|pod| {
                    view! {
                        <g data-testid="canvas-pod" class="canvas__askable" data-ask=pod.key.to_string() tabindex="0" role="button">
                            <title>{format!("{}\nClick: ask DNS from this pod", pod.summary)}</title>
                            <rect
                                class=if pod.ready { "canvas__pod" } else { "canvas__pod canvas__pod--not-ready" }
                                x=pod.x.to_string()
                                y=pod.y.to_string()
                                width=POD_WIDTH.to_string()
                                height=POD_HEIGHT.to_string()
                                rx="6"
                            />
                            <text class="canvas__pod-name" x=(pod.x + 8).to_string() y=(pod.y + 18).to_string()>{pod.title}</text>
                            <text class="canvas__detail" x=(pod.x + 8).to_string() y=(pod.y + 35).to_string()>{pod.detail}</text>
                        </g>
                    }
                })
                .collect::<Vec<_>>()}
            {dns.map(|dns| {
                view! {
                    <g data-testid="canvas-dns">
                        <title>"The DNS question's way to CoreDNS and back"</title>
                        <path class="canvas__dns-path" d=dns.path.clone() />
                        <circle class="canvas__packet canvas__dns" r="5">
                            <animateMotion dur="3s" repeatCount="indefinite" keyPoints="0;1;0" keyTimes="0;0.5;1" calcMode="linear" path=dns.path />
                        </circle>
                        <text class="canvas__dns-answer" data-testid="canvas-dns-answer" x=dns.at.0.to_string() y=dns.at.1.to_string()>{dns.answer}</text>
                    </g>
                }
            })}
            {packet
                .map(|packet| {
                    view! {
                        <g data-testid="canvas-packet">
                            <title>"The traced packet's path"</title>
                            <path
                                class=if packet.delivered { "canvas__packet-path" } else { "canvas__packet-path canvas__packet-path--refused" }
                                d=packet.path.clone()
                            />
                            <circle class="canvas__packet" r="6">
                                <animateMotion dur="2.4s" repeatCount="indefinite" path=packet.path />
                            </circle>
                        </g>
                    }
                })}
        </svg>
    }
}
