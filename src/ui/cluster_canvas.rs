//! The cluster drawn: nodes as regions with their pods, Services above them, and the
//! EndpointSlices as the lines from each Service to its endpoints.

use leptos::prelude::*;

use crate::explorer::picture::{pod_summary, service_summary};
use crate::explorer::replay::Frame;
use crate::sim::control::apiserver::is_headless;
use crate::sim::control::cluster::Cluster;
use crate::sim::proxy::trace::{Trace, Verdict};

use super::dns_panel::Asked;
use super::state::{Explorer, ZOOM_DEFAULT, ZOOM_MAX, ZOOM_MIN};

// Whole pixels: integer coordinates print without the float formatting code (smaller wasm).
const NODE_WIDTH: i64 = 262;
const NODE_GAP: i64 = 24;
const POD_HEIGHT: i64 = 44;
const SERVICE_WIDTH: i64 = 210;
const SERVICE_HEIGHT: i64 = 62;
const TOP: i64 = 16;
const NODES_TOP: i64 = 130;

/// A pod's place on the canvas.
struct PodBox {
    /// `namespace/name`.
    key: String,
    name: String,
    ip: String,
    ready: bool,
    /// Hover text: labels and the Services that select it.
    summary: String,
    x: i64,
    y: i64,
}

impl PodBox {
    /// The box's centre, where the DNS question and the packet leave and arrive.
    fn centre(&self) -> (i64, i64) {
        (self.x + (NODE_WIDTH - 20) / 2, self.y + POD_HEIGHT / 2)
    }
}

/// An SVG picture of the simulated cluster, laid out in a fixed grid so that it stays still
/// as objects come and go: one column per node (name, InternalIP, pod CIDR, NodePorts on its
/// edge), its pods inside (name, IP, readiness), the Services in a row above (type, ClusterIP
/// or the absence of one for headless Services, ExternalName targets, LoadBalancer addresses),
/// and a line from each Service to each endpoint of its EndpointSlices (dashed when the
/// endpoint is not ready). Hovering a pod shows its labels and the Services that select it;
/// hovering a Service, its selector. The traced packet (`traced`) travels its path: from the
/// client pod to the Service it addressed and on to the pod that got it (red when refused).
/// The tables beside it carry the same facts as text.
///
/// SVG and PNG buttons save the picture as a file ([`super::export`]).
///
/// Pan by scrolling (the scrollbars, the wheel, touch, the arrow keys); zoom with the buttons
/// above it, Ctrl+wheel, or `+`/`-`/`0` while it has focus. `zoom` is a percentage of the panel's
/// width; the layout itself never moves.
///
/// `step` is the timeline's position: `Some(n)` draws the cluster after its first `n` events
/// (a replay of the event stream), `None` the cluster now. Both are drawn from the same replay,
/// which the tests check against the model.
#[component]
pub fn ClusterCanvas(
    #[prop(into)] cluster: Signal<Cluster>,
    #[prop(into)] step: Signal<Option<usize>>,
    #[prop(into)] traced: Signal<Result<Trace, String>>,
    #[prop(into)] asked: Signal<Asked>,
    state: Explorer,
) -> impl IntoView {
    let zoom = state.zoom;
    let picture = move || {
        let upto = step.get().unwrap_or(usize::MAX);
        let traced = traced.get().ok();
        cluster.with(|cluster| {
            let frame = Frame::after(&cluster.events, upto);
            let mut pods: Vec<PodBox> = Vec::new();
            let mut node_views = Vec::new();
            let mut tallest = 0usize;
            for (column, node) in cluster.nodes.iter().enumerate() {
                let x = 16 + column as i64 * (NODE_WIDTH + NODE_GAP);
                let on_node: Vec<_> = frame
                    .pods
                    .iter()
                    .filter(|pod| pod.node.as_deref() == Some(node.name.as_str()))
                    .collect();
                tallest = tallest.max(on_node.len());
                for (row, pod) in on_node.iter().enumerate() {
                    let (namespace, name) = pod.pod.split_once('/').unwrap_or(("", &pod.pod));
                    let summary = cluster
                        .pods
                        .iter()
                        .find(|model| model.namespace == namespace && model.name == name)
                        .map_or_else(|| format!("Pod {}", pod.pod), |model| pod_summary(cluster, model));
                    pods.push(PodBox {
                        key: pod.pod.clone(),
                        name: name.to_owned(),
                        ip: pod.ip.clone().unwrap_or_else(|| "no IP yet".to_owned()),
                        ready: pod.ready && pod.ip.is_some(),
                        summary,
                        x: x + 10,
                        y: NODES_TOP + 52 + row as i64 * (POD_HEIGHT + 8),
                    });
                }
                let node_ports: Vec<String> = cluster
                    .services
                    .iter()
                    .flat_map(|service| &service.spec.ports)
                    .filter_map(|port| port.node_port)
                    .map(|port| port.to_string())
                    .collect();
                node_views.push((
                    x,
                    node.name.clone(),
                    format!("{}  pods {}", node.internal_ip, node.pod_cidr),
                    node_ports.join(" "),
                    node.control_plane,
                ));
            }
            let node_height = 64 + tallest.max(1) as i64 * (POD_HEIGHT + 8);
            let shown: Vec<_> = cluster
                .services
                .iter()
                .filter(|service| {
                    service.meta.name != "kubernetes"
                        && frame.services.contains(&format!(
                            "{}/{}",
                            service.meta.namespace_or_default(),
                            service.meta.name
                        ))
                })
                .collect();
            let width = (16 + cluster.nodes.len() as i64 * (NODE_WIDTH + NODE_GAP))
                .max(16 + shown.len() as i64 * (SERVICE_WIDTH + 16))
                .max(400);
            let height = NODES_TOP + node_height + 24;
            let mut links = Vec::new();
            // Each Service box's x and the addresses that reach it (ClusterIP, LoadBalancer IP).
            let mut service_boxes: Vec<(i64, Vec<String>)> = Vec::new();
            let mut service_views = Vec::new();
            for (index, service) in shown.iter().enumerate() {
                let x = 16 + index as i64 * (SERVICE_WIDTH + 16);
                service_boxes.push((
                    x,
                    service
                        .spec
                        .cluster_ips
                        .iter()
                        .chain(service.spec.cluster_ip.iter())
                        .chain(service.load_balancer_ingress.iter().filter_map(|ingress| ingress.ip.as_ref()))
                        .cloned()
                        .collect(),
                ));
                let spec = &service.spec;
                let kind = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_owned());
                let address = if kind == "ExternalName" {
                    format!("CNAME {}", spec.external_name.clone().unwrap_or_default())
                } else if is_headless(spec) {
                    "headless: no virtual IP".to_owned()
                } else {
                    let mut text = spec.cluster_ip.clone().unwrap_or_default();
                    if let Some(ingress) = service
                        .load_balancer_ingress
                        .iter()
                        .find_map(|ingress| ingress.ip.clone())
                    {
                        text.push_str(&format!("  LB {ingress}"));
                    }
                    text
                };
                let ports: Vec<String> = spec
                    .ports
                    .iter()
                    .map(|port| {
                        let mut text = port.port.unwrap_or(0).to_string();
                        if let Some(node_port) = port.node_port {
                            text.push_str(&format!(":{node_port}"));
                        }
                        text
                    })
                    .collect();
                // The EndpointSlices' endpoints as the frame knows them, to the pods with
                // those addresses.
                for (slice, owner, endpoints) in &frame.slices {
                    let in_namespace = slice
                        .split_once('/')
                        .is_some_and(|(namespace, _)| namespace == service.meta.namespace);
                    if !in_namespace || owner != &service.meta.name {
                        continue;
                    }
                    for (address, ready) in endpoints {
                        if let Some(pod) = pods.iter().find(|pod| &pod.ip == address) {
                            links.push((
                                x + SERVICE_WIDTH / 2,
                                TOP + SERVICE_HEIGHT,
                                pod.centre().0,
                                pod.y,
                                *ready,
                            ));
                        }
                    }
                }
                service_views.push((
                    x,
                    format!("{}/{}", service.meta.namespace, service.meta.name),
                    if service.meta.namespace == "default" {
                        service.meta.name.clone()
                    } else {
                        format!("{}.{}", service.meta.name, service.meta.namespace)
                    },
                    kind,
                    address,
                    ports.join(" "),
                    is_headless(spec),
                    service_summary(service),
                ));
            }
            let packet = traced.as_ref().and_then(|traced| packet_path(traced, &pods, &service_boxes));
            let dns = asked.with(|asked| dns_path(asked, &pods, &service_boxes, &cluster.config.dns_ip().to_string()));
            let label = format!(
                "{} nodes, {} pods, {} Services",
                cluster.nodes.len(),
                cluster.pods.len(),
                shown.len()
            );
            let title = label.clone();
            view! {
                <svg
                    class="canvas"
                    data-testid="cluster-canvas"
                    role="img"
                    aria-label=label
                    viewBox=format!("0 0 {width} {height}")
                    width=move || format!("{}%", zoom.get())
                    preserveAspectRatio="xMinYMin meet"
                >
                    <title>{title}</title>
                    {node_views
                        .into_iter()
                        .map(|(x, name, detail, node_ports, control_plane)| {
                            view! {
                                <g data-testid="canvas-node">
                                    <rect
                                        class=if control_plane {
                                            "canvas__node canvas__node--control-plane"
                                        } else {
                                            "canvas__node"
                                        }
                                        x=x.to_string()
                                        y=NODES_TOP.to_string()
                                        width=NODE_WIDTH.to_string()
                                        height=node_height.to_string()
                                        rx="10"
                                    />
                                    <text class="canvas__title" x=(x + 10).to_string() y=(NODES_TOP + 20).to_string()>
                                        {name}
                                    </text>
                                    <text class="canvas__detail" x=(x + 10).to_string() y=(NODES_TOP + 38).to_string()>
                                        {detail}
                                    </text>
                                    <text class="canvas__nodeport" x=(x + NODE_WIDTH - 8).to_string() y=(NODES_TOP + 20).to_string() text-anchor="end">
                                        {node_ports}
                                    </text>
                                </g>
                            }
                        })
                        .collect::<Vec<_>>()}
                    {links
                        .into_iter()
                        .map(|(x1, y1, x2, y2, ready)| {
                            view! {
                                <line
                                    data-testid="canvas-endpoint"
                                    class=if ready { "canvas__link" } else { "canvas__link canvas__link--not-ready" }
                                    x1=x1.to_string()
                                    y1=y1.to_string()
                                    x2=x2.to_string()
                                    y2=y2.to_string()
                                />
                            }
                        })
                        .collect::<Vec<_>>()}
                    {service_views
                        .into_iter()
                        .map(|(x, name, dns_name, kind, address, ports, headless, summary)| {
                            view! {
                                <g data-testid="canvas-service" class="canvas__askable" data-resolve=dns_name tabindex="0" role="button">
                                    <title>{format!("{summary}\nClick: resolve this name from the asking pod")}</title>
                                    <rect
                                        class=if headless { "canvas__service canvas__service--headless" } else { "canvas__service" }
                                        x=x.to_string()
                                        y=TOP.to_string()
                                        width=SERVICE_WIDTH.to_string()
                                        height=SERVICE_HEIGHT.to_string()
                                        rx="8"
                                    />
                                    <text class="canvas__title" x=(x + 8).to_string() y=(TOP + 18).to_string()>{fit(&name, 22)}</text>
                                    <text class="canvas__detail" x=(x + 8).to_string() y=(TOP + 36).to_string()>{format!("{kind}  {ports}")}</text>
                                    <text class="canvas__detail" x=(x + 8).to_string() y=(TOP + 53).to_string()>{address}</text>
                                </g>
                            }
                        })
                        .collect::<Vec<_>>()}
                    {pods
                        .iter()
                        .map(|pod| {
                            view! {
                                <g data-testid="canvas-pod" class="canvas__askable" data-ask=pod.key.clone() tabindex="0" role="button">
                                    <title>{format!("{}\nClick: ask DNS from this pod", pod.summary)}</title>
                                    <rect
                                        class=if pod.ready { "canvas__pod" } else { "canvas__pod canvas__pod--not-ready" }
                                        x=pod.x.to_string()
                                        y=pod.y.to_string()
                                        width=(NODE_WIDTH - 20).to_string()
                                        height=POD_HEIGHT.to_string()
                                        rx="6"
                                    />
                                    <text class="canvas__pod-name" x=(pod.x + 8).to_string() y=(pod.y + 18).to_string()>{fit(&pod.name, 28)}</text>
                                    <text class="canvas__detail" x=(pod.x + 8).to_string() y=(pod.y + 35).to_string()>
                                        {format!("{}  {}", pod.ip, if pod.ready { "Ready" } else { "not ready" })}
                                    </text>
                                </g>
                            }
                        })
                        .collect::<Vec<_>>()}
                    {dns.map(|(path, short, x, y)| {
                        view! {
                            <g data-testid="canvas-dns">
                                <title>"The DNS question's way to CoreDNS and back"</title>
                                <path class="canvas__dns-path" d=path.clone() />
                                <circle class="canvas__packet canvas__dns" r="5">
                                    <animateMotion dur="3s" repeatCount="indefinite" keyPoints="0;1;0" keyTimes="0;0.5;1" calcMode="linear" path=path />
                                </circle>
                                <text class="canvas__dns-answer" data-testid="canvas-dns-answer" x=x.to_string() y=y.to_string()>{short}</text>
                            </g>
                        }
                    })}
                    {packet
                        .map(|(path, delivered)| {
                            view! {
                                <g data-testid="canvas-packet">
                                    <title>"The traced packet's path"</title>
                                    <path
                                        class=if delivered { "canvas__packet-path" } else { "canvas__packet-path canvas__packet-path--refused" }
                                        d=path.clone()
                                    />
                                    <circle class="canvas__packet" r="6">
                                        <animateMotion dur="2.4s" repeatCount="indefinite" path=path />
                                    </circle>
                                </g>
                            }
                        })}
                </svg>
            }
        })
    };
    // One step of zoom: 1 in, -1 out, 0 back to the panel's width.
    let zoom_by = move |step: i32| {
        zoom.update(|zoom| {
            let next = match step {
                0 => u32::from(ZOOM_DEFAULT),
                1 => u32::from(*zoom) * 5 / 4,
                _ => u32::from(*zoom) * 4 / 5,
            };
            *zoom = u16::try_from(next)
                .unwrap_or(ZOOM_MAX)
                .clamp(ZOOM_MIN, ZOOM_MAX);
        });
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
                if let Ok(step) = value.parse() {
                    zoom_by(step);
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
            <button type="button" value="0" data-testid="zoom-fit" title="The whole width (0)">"Fit width"</button>
            <button type="button" value="svg" data-testid="export-svg" title="Save the picture as an SVG file">"SVG"</button>
            <button type="button" value="png" data-testid="export-png" title="Save the picture as a PNG file">"PNG"</button>
        </div>
        // Pan: the scrollbars, the wheel, touch, or the arrow keys once it has focus; zoom: the
        // buttons, Ctrl+wheel, or + - 0 while it has focus.
        <div
            class="canvas-scroll"
            data-testid="canvas-scroll"
            tabindex="0"
            aria-label="Cluster picture: scroll or use the arrow keys to pan, + and - to zoom"
            on:click=move |event| {
                ask_from(&event, state);
            }
            on:wheel=move |event: leptos::ev::WheelEvent| {
                if event.ctrl_key() {
                    event.prevent_default();
                    zoom_by(if event.delta_y() < 0.0 { 1 } else { -1 });
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
                    "+" | "=" => 1,
                    "-" => -1,
                    "0" => 0,
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
        state.panel.set("dns".to_owned());
    } else if let Some(pod) = element.get_attribute("data-ask") {
        state.dns_from.set(pod);
        state.panel.set("dns".to_owned());
    }
    true
}

/// The DNS question's way: from the asking pod up to the cluster DNS Service (kube-dns) and
/// down to a CoreDNS pod (the first, as the picture cannot know which one kube-proxy picks),
/// with the answer in one line and where to write it.
fn dns_path(
    asked: &Asked,
    pods: &[PodBox],
    services: &[(i64, Vec<String>)],
    dns_ip: &str,
) -> Option<(String, String, i64, i64)> {
    let client = pods.iter().find(|pod| pod.key == asked.from)?;
    let coredns = pods
        .iter()
        .find(|pod| pod.key.starts_with("kube-system/coredns-"))?;
    let (x, y) = client.centre();
    let mut path = format!("M {x} {y}");
    // The answer is written under the kube-dns Service (between the rows, where there is
    // room), or above the asking pod when that Service is not drawn.
    let mut label = (client.x + 4, client.y - 4);
    if let Some((service_x, _)) = services
        .iter()
        .find(|(_, ips)| ips.iter().any(|ip| ip == dns_ip))
    {
        path.push_str(&format!(
            " L {} {}",
            service_x + SERVICE_WIDTH / 2,
            TOP + SERVICE_HEIGHT
        ));
        label = (service_x + 4, TOP + SERVICE_HEIGHT + 16);
    }
    let (to_x, to_y) = coredns.centre();
    path.push_str(&format!(" L {to_x} {to_y}"));
    Some((path, format!("DNS: {}", asked.short), label.0, label.1))
}

/// `name` as it fits a box of `max` characters (bytes): whole when it does, else its start, an
/// ellipsis and its last five characters (a generated pod name's own suffix). The whole name
/// is in the box's hover summary and in the tables.
fn fit(name: &str, max: usize) -> String {
    // Names are ASCII (the API server admits only DNS names); `get` keeps anything else whole.
    match (
        name.get(..max.saturating_sub(6)),
        name.get(name.len().saturating_sub(5)..),
    ) {
        (Some(head), Some(tail)) if name.len() > max => format!("{head}\u{2026}{tail}"),
        _ => name.to_owned(),
    }
}

/// The traced packet's way across the picture, as an SVG path: from the client pod up to the
/// Service it addressed (if it went through one) and down to the pod it reached; whether it was
/// delivered. `None` when the client is not a pod on the canvas.
fn packet_path(
    traced: &Trace,
    pods: &[PodBox],
    services: &[(i64, Vec<String>)],
) -> Option<(String, bool)> {
    let ip = |address: &str| {
        address
            .rsplit_once(':')
            .map_or(address, |(ip, _)| ip)
            .to_owned()
    };
    let first = traced.steps.first()?;
    let last = traced.steps.last()?;
    let source = pods.iter().find(|pod| pod.ip == ip(&first.src))?;
    let (x, y) = source.centre();
    let mut path = format!("M {x} {y}");
    // The name step's query to cluster DNS is drawn as the DNS question, not as this packet.
    let via = traced
        .steps
        .iter()
        .filter(|step| step.component != "dns")
        .find_map(|step| {
            let address = ip(&step.dst);
            services
                .iter()
                .find(|(_, ips)| ips.contains(&address))
                .map(|(x, _)| *x)
        });
    if let Some(x) = via {
        path.push_str(&format!(
            " L {} {}",
            x + SERVICE_WIDTH / 2,
            TOP + SERVICE_HEIGHT
        ));
    }
    let delivered = traced.verdict == Verdict::Delivered;
    if delivered {
        if let Some(target) = pods.iter().find(|pod| pod.ip == ip(&last.dst_after)) {
            path.push_str(&format!(" L {} {}", target.centre().0, target.y));
        }
    }
    Some((path, delivered))
}
