//! The cluster picture as data: every box, every line of text and every wire, with where it
//! goes and what hovering it says. The browser draws it as SVG and adds nothing; nothing here
//! knows about markup.
//!
//! The drawing reads top to bottom the way a request is served:
//!
//! - outside the cluster's edge, LoadBalancer addresses and ExternalName targets;
//! - the Services in a row (type, ports, their ClusterIP or, for headless ones, the visible
//!   absence of one);
//! - under each Service, its EndpointSlices as their own boxes (name, address type, ports and
//!   each endpoint with its conditions), joined to their Service by a bracket on the right;
//! - a band of wires, then one column per node (name, addresses, its NodePorts on its edge,
//!   how many pods) with its pods inside.
//!
//! Wires are routed orthogonally in channels that hold no text: down the left of a Service's
//! column from each slice, across the band between slices and nodes (each slice on its own
//! lane), down the left margin of a node, and into the pod's left edge. So no wire crosses a
//! label (tests/picture.rs checks that for every scenario). The layout is a fixed grid, so a
//! pod keeps its place when another one comes or goes.
//!
//! At scale the picture aggregates rather than grows without end: a node with more than
//! [`POD_BOXES`] pods draws one box per workload with its counts by state; at most
//! [`SERVICES_SHOWN`] Services are drawn, then a box says how many more and how to find one
//! (`focus`: only the Services whose name has it, and the pods they select).
//!
//! Coordinates are whole pixels at 100% zoom, where text is 11 to 13 px high.

use crate::explorer::questions::Asked;
use crate::explorer::selection::{owner_of, related, selects, Selected};
use crate::sim::control::apiserver::is_headless;
use crate::sim::control::cluster::Cluster;
use crate::sim::control::endpoints::{SimEndpointSlice, SliceEndpoint};
use crate::sim::control::event::Event;
use crate::sim::control::workloads::{SimNode, SimPod};
use crate::sim::input::labels::labels_text;
use crate::sim::input::objects::Service;
use crate::sim::key::ObjectKey;
use crate::sim::proxy::trace::{Trace, Verdict};

/// A Service column's width, its box included.
const COLUMN: i64 = 248;
/// A Service box's width.
pub const SERVICE_WIDTH: i64 = 232;
/// A Service box's height.
pub const SERVICE_HEIGHT: i64 = 62;
/// How far a slice sits in from its Service's column on each side: the channels for wires.
const SLICE_INSET: i64 = 14;
/// A node column's width.
pub const NODE_WIDTH: i64 = 280;
const NODE_GAP: i64 = 24;
/// Where a node's pods start, from its left edge: the margin left of them carries wires.
const POD_INSET: i64 = 32;
/// A pod box's width.
pub const POD_WIDTH: i64 = NODE_WIDTH - POD_INSET - 10;
/// A pod box's height.
pub const POD_HEIGHT: i64 = 44;
const POD_PITCH: i64 = POD_HEIGHT + 8;
/// Text lines in slices, cards and node footers.
const LINE: i64 = 15;
/// The band above the cluster's edge (LoadBalancer addresses, ExternalName targets).
const OUTSIDE: i64 = 44;
/// Where the Services' row starts.
pub const SERVICES_TOP: i64 = OUTSIDE + 30;
/// Lanes in the band between slices and nodes, one per slice (then shared).
const LANES: i64 = 6;
const LANE_PITCH: i64 = 5;
/// A node draws its pods one by one up to this many; above it, one box per workload.
pub const POD_BOXES: usize = 12;
/// At most this many Services are drawn; a box says how many more there are.
pub const SERVICES_SHOWN: usize = 40;
/// At most this many endpoints are listed in a slice's box.
const ENDPOINT_LINES: usize = 4;
/// The height kept for each slice: its box when every endpoint line is used.
const SLICE_SLOT: i64 = 38 + (ENDPOINT_LINES as i64 + 1) * LINE + 10;
/// The DNS answer card's width.
const CARD_WIDTH: i64 = 340;

/// The whole picture.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    /// The drawing's width and height (its viewBox).
    pub width: i64,
    /// Its height.
    pub height: i64,
    /// "N nodes, N pods, N Services": what a screen reader hears first.
    pub label: String,
    /// How many pods the drawing stands for (each pod box one, each group its count).
    pub pods: usize,
    /// Whether something is selected (what is not lit is then drawn faint).
    pub selecting: bool,
    /// How long the stream of "Send 20 requests" takes before it starts over, in
    /// milliseconds (0: no stream).
    pub stream_ms: usize,
    /// What the moving parts show, step by step in words: the DNS question and its answer,
    /// the packet's hops with their rewrites, where the 20 requests went. Shown beside the
    /// picture, and instead of the motion where motion is reduced.
    pub story: Vec<String>,
    /// The boxes, in drawing order (the cluster's edge first).
    pub boxes: Vec<Item>,
    /// The wires, drawn under the boxes (endpoints, slice ownership) and over them (the DNS
    /// question, the packet).
    pub wires: Vec<Wire>,
}

/// What a box is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shape {
    /// The cluster's edge.
    Cluster,
    /// A worker node.
    Node,
    /// The control-plane node.
    ControlPlane,
    /// A Service with a virtual IP.
    Service,
    /// A headless Service (no virtual IP: drawn dashed).
    Headless,
    /// An EndpointSlice.
    Slice,
    /// A Ready pod.
    Pod,
    /// A pod that is not Ready.
    PodNotReady,
    /// A workload's pods on one node, counted.
    Group,
    /// A LoadBalancer address or an ExternalName target, outside the cluster's edge.
    Outside,
    /// The DNS answer.
    Answer,
    /// Where "Send 20 requests" ended, a backend a line.
    Spread,
    /// "N more Services".
    More,
}

impl Shape {
    /// The `data-testid` of its box.
    pub fn test_id(self) -> &'static str {
        match self {
            Shape::Cluster => "canvas-cluster",
            Shape::Node | Shape::ControlPlane => "canvas-node",
            Shape::Service | Shape::Headless => "canvas-service",
            Shape::Slice => "canvas-slice",
            Shape::Pod | Shape::PodNotReady => "canvas-pod",
            Shape::Group => "canvas-group",
            Shape::Outside => "canvas-outside",
            Shape::Answer => "canvas-dns-answer",
            Shape::Spread => "canvas-spread",
            Shape::More => "canvas-more",
        }
    }

    /// Whether it is drawn under the wires (the cluster's edge, the nodes): wires run along
    /// their margins.
    pub fn is_ground(self) -> bool {
        matches!(self, Shape::Cluster | Shape::Node | Shape::ControlPlane)
    }

    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Shape::Cluster => "canvas__cluster",
            Shape::Node => "canvas__node",
            Shape::ControlPlane => "canvas__node canvas__node--control-plane",
            Shape::Service => "canvas__service",
            Shape::Headless => "canvas__service canvas__service--headless",
            Shape::Slice => "canvas__slice",
            Shape::Pod => "canvas__pod",
            Shape::PodNotReady => "canvas__pod canvas__pod--not-ready",
            Shape::Group => "canvas__pod canvas__group",
            Shape::Outside => "canvas__outside",
            Shape::Answer | Shape::Spread => "canvas__answer",
            Shape::More => "canvas__more",
        }
    }
}

/// How a box stands to the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lit {
    /// Nothing is selected, or it is not related (drawn faint while something is selected).
    Plain,
    /// It is what is selected.
    Selected,
    /// It selects or is selected by what is selected.
    Related,
}

impl Lit {
    /// `data-lit` on the picture.
    pub fn id(self) -> &'static str {
        match self {
            Lit::Plain => "no",
            Lit::Selected => "selected",
            Lit::Related => "related",
        }
    }
}

/// A box and its text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Item {
    /// What it is.
    pub shape: Shape,
    /// Its left edge.
    pub x: i64,
    /// Its top edge.
    pub y: i64,
    /// Its width.
    pub width: i64,
    /// Its height.
    pub height: i64,
    /// Its text, each line placed.
    pub text: Vec<Label>,
    /// What hovering it says (empty: nothing).
    pub hover: String,
    /// What clicking it selects ([`Selected::id`]; empty: nothing).
    pub select: String,
    /// How it stands to the selection.
    pub lit: Lit,
}

/// A text's look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Style {
    /// A box's name: 13 px, bold.
    Title,
    /// A pod's name: 12 px, bold.
    Name,
    /// Addresses, ports, states: 11 px, monospace.
    Detail,
    /// A good state (ready).
    Good,
    /// A state to look at (not ready, terminating).
    Warn,
    /// A port open on a node's edge, or a rewrite on the packet's way.
    Accent,
}

impl Style {
    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Style::Title => "canvas__title",
            Style::Name => "canvas__pod-name",
            Style::Detail => "canvas__detail",
            Style::Good => "canvas__detail canvas__detail--good",
            Style::Warn => "canvas__detail canvas__detail--warn",
            Style::Accent => "canvas__nodeport",
        }
    }

    /// Its font size in px.
    pub fn size(self) -> i64 {
        match self {
            Style::Title => 13,
            Style::Name => 12,
            _ => 11,
        }
    }

    /// The widest a character of it draws, in px (bold sans at 13 px, 12 px; 11 px monospace),
    /// for the layout's own checks: text is cut to fit its box with this.
    pub fn char_width(self) -> i64 {
        match self {
            Style::Title => 9,
            Style::Name => 8,
            _ => 7,
        }
    }
}

/// A line of text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Label {
    /// Where its baseline starts (or ends, when `end`).
    pub x: i64,
    /// Its baseline.
    pub y: i64,
    /// The text.
    pub text: String,
    /// Its look.
    pub style: Style,
    /// Anchored at its end (right-aligned).
    pub end: bool,
    /// Whether what it says just came or changed (at the timeline's step): drawn as it lights
    /// up.
    #[serde(default)]
    pub fresh: bool,
}

impl Label {
    /// The box it may draw in: `(left, top, right, bottom)`.
    pub fn bounds(&self) -> (i64, i64, i64, i64) {
        let width = self.text.chars().count() as i64 * self.style.char_width();
        let left = if self.end { self.x - width } else { self.x };
        (left, self.y - self.style.size(), left + width, self.y + 3)
    }
}

/// What a wire is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum WireKind {
    /// From a slice to a ready endpoint's pod.
    Ready,
    /// From a slice to an endpoint that is not ready.
    NotReady,
    /// From a Service to its slices.
    Owner,
    /// From a Service to what is outside the cluster (its LoadBalancer, its ExternalName).
    Outside,
    /// The DNS question's way.
    Dns,
    /// The traced packet's way, delivered.
    Packet,
    /// The traced packet's way, refused, dropped or unresolved.
    Refused,
    /// "Send 20 requests": the way to one backend, travelled by its share of them.
    Stream,
}

impl WireKind {
    /// The `data-testid` of its path.
    pub fn test_id(self) -> &'static str {
        match self {
            WireKind::Ready | WireKind::NotReady => "canvas-endpoint",
            WireKind::Owner => "canvas-owner",
            WireKind::Outside => "canvas-outside-link",
            WireKind::Dns => "canvas-dns",
            WireKind::Packet | WireKind::Refused => "canvas-packet",
            WireKind::Stream => "canvas-stream",
        }
    }

    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            WireKind::Ready => "canvas__link",
            WireKind::NotReady => "canvas__link canvas__link--not-ready",
            WireKind::Owner => "canvas__owner",
            WireKind::Outside => "canvas__owner canvas__outside-link",
            WireKind::Dns => "canvas__dns-path",
            WireKind::Packet => "canvas__packet-path",
            WireKind::Refused => "canvas__packet-path canvas__packet-path--refused",
            WireKind::Stream => "canvas__stream-path",
        }
    }

    /// Whether something travels along it (the DNS question, the packet).
    pub fn travels(self) -> bool {
        matches!(
            self,
            WireKind::Dns | WireKind::Packet | WireKind::Refused | WireKind::Stream
        )
    }
}

/// A wire: a polyline of horizontal and vertical runs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Wire {
    /// What it is.
    pub kind: WireKind,
    /// Its corners, in order.
    pub points: Vec<(i64, i64)>,
    /// Whether it joins what is selected to what is related to it.
    pub lit: bool,
    /// Whether it just came (its endpoint appeared or changed at the timeline's step): drawn
    /// as it lights up.
    pub fresh: bool,
    /// How many packets travel it (the DNS question and the packet one; "Send 20 requests"
    /// a share of 20 each backend).
    pub count: usize,
    /// For "Send 20 requests", each of its dots' SMIL `keyTimes` over [`Picture::stream_ms`]
    /// (`0;leaves;arrives;1`, fractions of the cycle): the stream's requests leave one every
    /// [`STREAM_GAP_MS`], each backend's share spread evenly over the stream.
    pub dots: Vec<String>,
}

impl Wire {
    /// As an SVG path (`M x y L x y ...`).
    pub fn path(&self) -> String {
        let mut path = String::new();
        for (index, (x, y)) in self.points.iter().enumerate() {
            path.push_str(if index == 0 { "M " } else { " L " });
            path.push_str(&format!("{x} {y}"));
        }
        path
    }
}

/// A pod's or group's box on the picture, for wires to find.
struct Placed {
    key: ObjectKey,
    ip: Option<String>,
    /// The node column's left edge.
    node_x: i64,
    /// The box's left edge and vertical middle: where wires arrive.
    at: (i64, i64),
}

impl Placed {
    /// `pod`, drawn (alone or in its workload's group) in the box at row top `y` of the node
    /// column at `node_x`.
    fn new(pod: &SimPod, node_x: i64, y: i64) -> Placed {
        Placed {
            key: ObjectKey::new(&pod.namespace, &pod.name),
            ip: pod.ip.clone(),
            node_x,
            at: (node_x + POD_INSET, y + POD_HEIGHT / 2),
        }
    }
}

/// A Service's column, for wires to find.
struct Column {
    x: i64,
    addresses: Vec<String>,
}

impl Column {
    /// The channel right of its slices: where paths reach the Service.
    fn channel(&self) -> i64 {
        self.x + SERVICE_WIDTH - 3
    }
}

/// Lays `cluster` out (the cluster now, or as the timeline's step left it), with the traced
/// packet and the DNS question on it. `focus`, when not empty, keeps only the Services whose
/// `namespace/name` contains it and the pods they select (or whose name contains it).
pub fn layout(
    cluster: &Cluster,
    traced: Option<&Trace>,
    asked: Option<&Asked>,
    focus: &str,
    selected: Option<&Selected>,
) -> Picture {
    layout_moving(cluster, traced, asked, focus, selected, &Motion::default())
}

/// What moves on the picture besides the questions: what the timeline's step just changed,
/// and where "Send 20 requests" ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Motion {
    /// Endpoints that appeared or changed their conditions at the step: (slice, address).
    pub fresh: Vec<(ObjectKey, String)>,
    /// Pods whose readiness the kubelet reported at the step.
    pub fresh_pods: Vec<ObjectKey>,
    /// Where the 20 requests ended: a pod (`namespace/name`) or a verdict, and how many.
    pub spread: Vec<(String, usize)>,
}

/// What the timeline's step `step` (the cluster after its first `step` events) just changed:
/// the endpoints an EndpointSlice write added or changed against the slice's previous write,
/// and the pod whose readiness the kubelet reported.
pub fn motion_at(cluster: &Cluster, step: usize) -> Motion {
    let mut motion = Motion::default();
    let Some(last) = step
        .checked_sub(1)
        .and_then(|index| cluster.events.get(index))
    else {
        return motion;
    };
    match last {
        Event::EndpointSliceWritten { slice } => {
            let before = cluster
                .events
                .get(..step - 1)
                .unwrap_or_default()
                .iter()
                .rev()
                .find_map(|event| match event {
                    Event::EndpointSliceWritten { slice: earlier }
                        if earlier.namespace == slice.namespace && earlier.name == slice.name =>
                    {
                        Some(earlier)
                    }
                    _ => None,
                });
            let key = ObjectKey::new(&slice.namespace, &slice.name);
            for endpoint in &slice.endpoints {
                let same = before.is_some_and(|before| before.endpoints.contains(endpoint));
                if !same {
                    motion.fresh.extend(
                        endpoint
                            .addresses
                            .iter()
                            .map(|address| (key.clone(), address.clone())),
                    );
                }
            }
        }
        Event::PodReadiness { pod, .. } => motion.fresh_pods.push(pod.clone()),
        _ => {}
    }
    motion
}

/// [`layout`], with what the timeline's step changed lit as it comes ([`motion_at`]) and the
/// stream of "Send 20 requests".
pub fn layout_moving(
    cluster: &Cluster,
    traced: Option<&Trace>,
    asked: Option<&Asked>,
    focus: &str,
    selected: Option<&Selected>,
    motion: &Motion,
) -> Picture {
    let related = selected.map(|selected| related(cluster, selected));
    // Whether `item` is what is selected or related to it.
    let on = |item: &Selected| {
        selected == Some(item) || related.as_ref().is_some_and(|related| related.has(item))
    };
    let all: Vec<&Service> = cluster
        .services
        .iter()
        .filter(|service| {
            !(service.meta.name == "kubernetes" && service.meta.namespace == "default")
        })
        .collect();
    let matching: Vec<&Service> = all
        .iter()
        .copied()
        .filter(|service| focus.is_empty() || key_of(service).contains(focus))
        .collect();
    let shown: Vec<&Service> = matching.iter().copied().take(SERVICES_SHOWN).collect();
    let slices_of = |service: &Service| -> Vec<&SimEndpointSlice> {
        cluster
            .endpoint_slices
            .iter()
            .filter(|slice| {
                slice.namespace == service.meta.namespace && slice.service == service.meta.name
            })
            .collect()
    };

    // Rows, top to bottom: the Services, their slices, the band, the nodes.
    let mut boxes = Vec::new();
    let mut wires = Vec::new();
    let mut columns = Vec::new();
    let mut slice_boxes: Vec<(usize, &SimEndpointSlice, i64, i64)> = Vec::new();
    let mut slices_bottom = SERVICES_TOP + SERVICE_HEIGHT;
    for (index, service) in shown.iter().enumerate() {
        let x = 16 + index as i64 * COLUMN;
        let column = service_box(service, x, &mut boxes, &mut wires);
        let mut y = SERVICES_TOP + SERVICE_HEIGHT + 14;
        let mut ticks = Vec::new();
        for slice in slices_of(service) {
            let fresh: Vec<&str> = motion
                .fresh
                .iter()
                .filter(|(key, _)| key.namespace == slice.namespace && key.name == slice.name)
                .map(|(_, address)| address.as_str())
                .collect();
            let item = slice_box(slice, x + SLICE_INSET, y, &fresh);
            ticks.push(y + 10);
            slice_boxes.push((slice_boxes.len(), slice, x, y));
            // Each slice has a slot as tall as its fullest box, so that an endpoint coming or
            // going moves nothing below it.
            y += SLICE_SLOT;
            boxes.push(item);
        }
        // The bracket that says "these slices are this Service's".
        if let Some(&last) = ticks.last() {
            let bracket = x + SERVICE_WIDTH - 7;
            let mut points = vec![(bracket, SERVICES_TOP + SERVICE_HEIGHT), (bracket, last)];
            points.push((x + SERVICE_WIDTH - SLICE_INSET, last));
            wires.push(Wire {
                kind: WireKind::Owner,
                points,
                lit: false,
                fresh: false,
                count: 0,
                dots: Vec::new(),
            });
            for tick in ticks.iter().rev().skip(1) {
                wires.push(Wire {
                    kind: WireKind::Owner,
                    points: vec![(bracket, *tick), (x + SERVICE_WIDTH - SLICE_INSET, *tick)],
                    lit: false,
                    fresh: false,
                    count: 0,
                    dots: Vec::new(),
                });
            }
        }
        slices_bottom = slices_bottom.max(y);
        columns.push(column);
    }
    if matching.len() > shown.len() || (shown.is_empty() && !focus.is_empty()) {
        let x = 16 + shown.len() as i64 * COLUMN;
        let more = matching.len() - shown.len();
        let first = if shown.is_empty() {
            format!("No Service has \u{201c}{}\u{201d}", fit(focus, 14))
        } else {
            format!("+{more} more Services")
        };
        boxes.push(Item {
            shape: Shape::More,
            x,
            y: SERVICES_TOP,
            width: SERVICE_WIDTH,
            height: SERVICE_HEIGHT,
            text: vec![
                label(x + 8, SERVICES_TOP + 20, first, Style::Title),
                label(
                    x + 8,
                    SERVICES_TOP + 40,
                    "Find one by name to see it".to_owned(),
                    Style::Detail,
                ),
            ],
            hover: String::new(),
            select: String::new(),
            lit: Lit::Plain,
        });
    }
    // The DNS question's answer, a record a line, at the end of the Services' row.
    let mut row_right =
        16 + (shown.len() as i64 + i64::from(matching.len() > shown.len())) * COLUMN;
    if let Some(asked) = asked.filter(|asked| asked.from.is_some()) {
        let x = row_right;
        let top = SERVICES_TOP;
        let mut text = vec![label(
            x + 10,
            top + 20,
            "DNS answer".to_owned(),
            Style::Title,
        )];
        if let Some(from) = &asked.from {
            text.push(label(
                x + 10,
                top + 38,
                fit(&format!("asked from {from}"), 44),
                Style::Detail,
            ));
        }
        for (line, record) in asked.lines.iter().enumerate() {
            text.push(label(
                x + 10,
                top + 60 + line as i64 * LINE,
                fit(record, 44),
                if line == 0 {
                    Style::Accent
                } else {
                    Style::Detail
                },
            ));
        }
        let card_height = 68 + asked.lines.len() as i64 * LINE;
        boxes.push(Item {
            shape: Shape::Answer,
            x,
            y: top,
            width: CARD_WIDTH,
            height: card_height,
            text,
            hover: asked.text.clone(),
            select: String::new(),
            lit: Lit::Plain,
        });
        row_right = x + CARD_WIDTH;
        slices_bottom = slices_bottom.max(top + card_height + 10);
    }
    // Where "Send 20 requests" ended, a backend a line.
    if !motion.spread.is_empty() {
        let x = row_right + 8;
        let top = SERVICES_TOP;
        let total: usize = motion.spread.iter().map(|(_, count)| count).sum();
        let mut text = vec![label(
            x + 10,
            top + 20,
            format!("{total} requests"),
            Style::Title,
        )];
        for (line, (ending, count)) in motion.spread.iter().enumerate() {
            let name = ending.rsplit('/').next().unwrap_or(ending);
            text.push(label(
                x + 10,
                top + 40 + line as i64 * LINE,
                format!("{} \u{d7}{count}", fit(name, 34)),
                Style::Detail,
            ));
        }
        let card_height = 48 + motion.spread.len() as i64 * LINE;
        boxes.push(Item {
            shape: Shape::Spread,
            x,
            y: top,
            width: CARD_WIDTH,
            height: card_height,
            text,
            hover: "Where 20 new connections ended, by the rules' probabilities".to_owned(),
            select: String::new(),
            lit: Lit::Plain,
        });
        row_right = x + CARD_WIDTH;
        slices_bottom = slices_bottom.max(top + card_height + 10);
    }
    let band = slices_bottom + 8;
    let packet_lane = band + 6 + LANES * LANE_PITCH + 2;
    let dns_lane = packet_lane + 5;
    let nodes_top = dns_lane + 14;

    // Which pods to draw: with a focus, the ones its Services select (their endpoints) or
    // whose name has it, and the ones the questions start from.
    let mut wanted: Vec<&str> = Vec::new();
    if !focus.is_empty() {
        for (_, slice, _, _) in &slice_boxes {
            for endpoint in &slice.endpoints {
                wanted.extend(endpoint.addresses.iter().map(String::as_str));
            }
        }
    }
    let asking = asked.and_then(|asked| asked.from.as_ref());
    let keep = |pod: &SimPod| {
        focus.is_empty()
            || pod.name.contains(focus)
            || pod.ip.as_deref().is_some_and(|ip| wanted.contains(&ip))
            || asking.is_some_and(|key| key.namespace == pod.namespace && key.name == pod.name)
            || (pod.namespace == "kube-system"
                && pod.name.starts_with("coredns-")
                && asking.is_some())
    };

    // The nodes and their pods.
    let trace_notes = traced.map(rewrites).unwrap_or_default();
    let mut placed: Vec<Placed> = Vec::new();
    let mut node_items = Vec::new();
    let mut pending_column: Option<(i64, Vec<Label>, String)> = None;
    let mut tallest = 0i64;
    let mut drawn_pods = 0usize;
    // Each node's column, then one for the pods the scheduler refused (no node takes them:
    // Pending), when there are any. (A pod created and not yet scheduled, a step of the
    // timeline, is drawn nowhere until it is.)
    let mut node_columns: Vec<(Option<&SimNode>, Vec<&SimPod>)> = cluster
        .nodes
        .iter()
        .map(|node| {
            let on_node = cluster
                .pods
                .iter()
                .filter(|pod| pod.node_name.as_deref() == Some(node.name.as_str()))
                .collect();
            (Some(node), on_node)
        })
        .collect();
    let pending: Vec<&SimPod> = cluster
        .pods
        .iter()
        .filter(|pod| pod.node_name.is_none() && pod.unschedulable.is_some())
        .collect();
    if !pending.is_empty() {
        node_columns.push((None, pending));
    }
    for (column, (node, on_node)) in node_columns.into_iter().enumerate() {
        let x = 16 + column as i64 * (NODE_WIDTH + NODE_GAP);
        let shown_pods: Vec<&SimPod> = on_node.iter().copied().filter(|pod| keep(pod)).collect();
        let mut rows = 0i64;
        let top = nodes_top + 62;
        // A pod in its own box, in the next row.
        let one_box =
            |pod: &SimPod, rows: &mut i64, boxes: &mut Vec<Item>, placed: &mut Vec<Placed>| {
                let y = top + *rows * POD_PITCH;
                let mut item = pod_box(cluster, pod, x + POD_INSET, y);
                if motion
                    .fresh_pods
                    .iter()
                    .any(|key| key.is(&pod.namespace, &pod.name))
                {
                    if let Some(state) = item.text.get_mut(1) {
                        state.fresh = true;
                    }
                }
                boxes.push(item);
                placed.push(Placed::new(pod, x, y));
                *rows += 1;
            };
        if shown_pods.len() <= POD_BOXES {
            for pod in &shown_pods {
                one_box(pod, &mut rows, &mut boxes, &mut placed);
            }
        } else {
            for (owner, pods) in groups(&shown_pods) {
                // The selected group is drawn open: its pods one by one, in place.
                if selected.is_some_and(|selected| *selected == Selected::Group(owner.clone())) {
                    for pod in &pods {
                        one_box(pod, &mut rows, &mut boxes, &mut placed);
                    }
                    continue;
                }
                let y = top + rows * POD_PITCH;
                let mut group = group_box(&owner, &pods, x + POD_INSET, y);
                if pods
                    .iter()
                    .any(|pod| on(&Selected::Pod(ObjectKey::new(&pod.namespace, &pod.name))))
                {
                    group.lit = Lit::Related;
                }
                boxes.push(group);
                placed.extend(pods.iter().map(|pod| Placed::new(pod, x, y)));
                rows += 1;
            }
        }
        drawn_pods += shown_pods.len();
        let Some(node) = node else {
            // The Pending column: what the scheduler said, in its hover.
            tallest = tallest.max(rows.max(1) * POD_PITCH);
            let mut messages: Vec<&str> = Vec::new();
            for pod in &on_node {
                if let Some(message) = pod.unschedulable.as_deref() {
                    if !messages.contains(&message) {
                        messages.push(message);
                    }
                }
            }
            let text = column_head(
                x,
                nodes_top,
                "Pending".to_owned(),
                on_node.len(),
                ("no node takes them".to_owned(), Style::Warn),
            );
            pending_column = Some((x, text, messages.join("\n")));
            continue;
        };
        let notes: Vec<&(String, String)> = trace_notes
            .iter()
            .filter(|(on, _)| on == &node.name)
            .collect();
        tallest = tallest.max(rows.max(1) * POD_PITCH + notes.len() as i64 * LINE);
        // The zone too, when the node has one: topology hints are read against it.
        let detail = match node.labels.get("topology.kubernetes.io/zone") {
            Some(zone) => fit(
                &format!("{}  {}  {zone}", node.internal_ip, node.pod_cidr),
                40,
            ),
            None => format!("{}  {}", node.internal_ip, node.pod_cidr),
        };
        let mut text = column_head(
            x,
            nodes_top,
            fit(&node.name, 16),
            on_node.len(),
            (detail, Style::Detail),
        );
        if let Some(ports) = node_ports(cluster) {
            text.push(label(x + POD_INSET, nodes_top + 53, ports, Style::Accent));
        }
        node_items.push((x, node.control_plane, node, text, notes));
    }
    let node_height = 70 + tallest;
    let pending_drawn = pending_column.is_some();
    if let Some((x, text, hover)) = pending_column {
        boxes.push(Item {
            shape: Shape::Node,
            x,
            y: nodes_top,
            width: NODE_WIDTH,
            height: node_height,
            text,
            hover,
            select: String::new(),
            lit: Lit::Plain,
        });
    }
    for (x, control_plane, node, mut text, notes) in node_items {
        let name = &node.name;
        // What kube-proxy rewrote on this node, at its foot.
        for (line, (_, note)) in notes.iter().enumerate() {
            let from_bottom = (notes.len() - line) as i64 * LINE;
            text.push(label(
                x + POD_INSET,
                nodes_top + node_height - from_bottom + 3,
                note.clone(),
                Style::Accent,
            ));
        }
        boxes.push(Item {
            shape: if control_plane {
                Shape::ControlPlane
            } else {
                Shape::Node
            },
            x,
            y: nodes_top,
            width: NODE_WIDTH,
            height: node_height,
            text,
            // Its labels, as `kubectl get nodes --show-labels` lists them (the zone among them).
            hover: crate::sim::input::labels::labels_text(&node.labels, ","),
            select: Selected::Node(name.clone()).id(),
            lit: Lit::Plain,
        });
    }

    // Endpoint wires: slice, its column's left channel, its lane in the band, the node's left
    // margin, the pod's (or group's) left edge. One wire per slice and box.
    let mut seen: Vec<(usize, (i64, i64))> = Vec::new();
    for (index, slice, column_x, y) in &slice_boxes {
        let lane = band + 6 + (*index as i64 % LANES) * LANE_PITCH;
        let exit = column_x + 4 + (*index as i64 % 3) * 4;
        for endpoint in &slice.endpoints {
            for address in &endpoint.addresses {
                let Some(target) = placed
                    .iter()
                    .find(|pod| pod.ip.as_deref() == Some(address.as_str()))
                else {
                    continue;
                };
                if seen.contains(&(*index, target.at)) {
                    continue;
                }
                seen.push((*index, target.at));
                let margin = target.node_x + 5 + (*index as i64 % 4) * 5;
                wires.push(Wire {
                    kind: if endpoint.ready {
                        WireKind::Ready
                    } else {
                        WireKind::NotReady
                    },
                    points: vec![
                        (column_x + SLICE_INSET, y + 10),
                        (exit, y + 10),
                        (exit, lane),
                        (margin, lane),
                        (margin, target.at.1),
                        target.at,
                    ],
                    fresh: motion.fresh.iter().any(|(key, fresh)| {
                        key.namespace == slice.namespace
                            && key.name == slice.name
                            && fresh == address
                    }),
                    count: 0,
                    dots: Vec::new(),
                    lit: on(&Selected::Slice(ObjectKey::new(
                        &slice.namespace,
                        &slice.name,
                    ))) && on(&Selected::Pod(target.key.clone())),
                });
            }
        }
    }

    let columns_drawn = cluster.nodes.len() + usize::from(pending_drawn);
    let nodes_right = 16 + columns_drawn as i64 * (NODE_WIDTH + NODE_GAP);
    let width = nodes_right.max(row_right + 16).max(400);
    let height = nodes_top + node_height + 16;
    if let Some(asked) = asked {
        if let Some(wire) = dns_wire(asked, &placed, &columns, cluster, dns_lane) {
            wires.push(wire);
        }
    }
    if let Some(traced) = traced {
        if let Some(wire) = packet_wire(traced, &placed, &columns, packet_lane) {
            wires.push(wire);
        }
        for (ending, count) in &motion.spread {
            if let Some(wire) = stream_wire(traced, &placed, &columns, packet_lane, ending, *count)
            {
                wires.push(wire);
            }
        }
    }
    let stream_ms = schedule_stream(&mut wires);
    // The cluster's edge, first: everything else draws over it.
    boxes.insert(
        0,
        Item {
            shape: Shape::Cluster,
            x: 6,
            y: OUTSIDE,
            width: width - 12,
            height: height - OUTSIDE - 6,
            text: vec![label(16, OUTSIDE + 20, "cluster".to_owned(), Style::Detail)],
            hover: String::new(),
            select: String::new(),
            lit: Lit::Plain,
        },
    );
    // What the selection lights up.
    if selected.is_some() {
        for item in &mut boxes {
            if let Some(what) = Selected::parse(&item.select) {
                item.lit = if selected == Some(&what) {
                    Lit::Selected
                } else if on(&what) {
                    Lit::Related
                } else if matches!(what, Selected::Group(_)) {
                    // A group is lit when one of its pods is (set where it was drawn).
                    item.lit
                } else {
                    Lit::Plain
                };
            }
        }
    }
    // Nothing outside the cluster's edge (no LoadBalancer address, no ExternalName): the band
    // above it is left out, everything moved up as one.
    let lift = if boxes.iter().any(|item| item.shape == Shape::Outside) {
        0
    } else {
        OUTSIDE - 6
    };
    if lift > 0 {
        for item in &mut boxes {
            item.y -= lift;
            for line in &mut item.text {
                line.y -= lift;
            }
        }
        for wire in &mut wires {
            for point in &mut wire.points {
                point.1 -= lift;
            }
        }
    }
    Picture {
        width,
        height: height - lift,
        selecting: selected.is_some(),
        stream_ms,
        story: story(cluster, asked, traced, motion),
        label: format!(
            "{} nodes, {} pods, {} Services",
            cluster.nodes.len(),
            cluster.pods.len(),
            all.len()
        ),
        pods: drawn_pods,
        boxes,
        wires,
    }
}

fn label(x: i64, y: i64, text: String, style: Style) -> Label {
    Label {
        x,
        y,
        text,
        style,
        end: false,
        fresh: false,
    }
}

fn key_of(service: &Service) -> String {
    format!("{}/{}", service.meta.namespace, service.meta.name)
}

/// Every NodePort of the cluster (each node opens them all), as a node's edge shows them:
/// up to three, then how many more.
fn node_ports(cluster: &Cluster) -> Option<String> {
    let ports: Vec<String> = cluster
        .services
        .iter()
        .flat_map(|service| &service.spec.ports)
        .filter_map(|port| port.node_port)
        .map(|port| format!(":{port}"))
        .collect();
    match ports.len() {
        0 => None,
        1..=3 => Some(format!("NodePort {}", ports.join(" "))),
        more => Some(format!(
            "NodePort {} +{}",
            ports.get(..2).unwrap_or_default().join(" "),
            more - 2
        )),
    }
}

/// A Service's box, and what it reaches outside the cluster (its LoadBalancer addresses, its
/// ExternalName target) above the cluster's edge.
fn service_box(service: &Service, x: i64, boxes: &mut Vec<Item>, wires: &mut Vec<Wire>) -> Column {
    let spec = &service.spec;
    let kind = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_owned());
    let headless = is_headless(spec);
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
    let external = spec.external_name.clone().unwrap_or_default();
    let address = if kind == "ExternalName" {
        format!("CNAME {external}")
    } else if headless {
        "no virtual IP (headless)".to_owned()
    } else {
        spec.cluster_ips
            .first()
            .or(spec.cluster_ip.as_ref())
            .cloned()
            .unwrap_or_default()
    };
    let name = &service.meta.name;
    let namespace = &service.meta.namespace;
    boxes.push(Item {
        shape: if headless {
            Shape::Headless
        } else {
            Shape::Service
        },
        x,
        y: SERVICES_TOP,
        width: SERVICE_WIDTH,
        height: SERVICE_HEIGHT,
        text: vec![
            label(
                x + 8,
                SERVICES_TOP + 18,
                fit(&format!("{namespace}/{name}"), 24),
                Style::Title,
            ),
            label(
                x + 8,
                SERVICES_TOP + 36,
                fit(&format!("{kind}  {}", ports.join(" ")), 31),
                Style::Detail,
            ),
            label(x + 8, SERVICES_TOP + 53, fit(&address, 31), Style::Detail),
        ],
        hover: format!(
            "{}\nClick: select it (its YAML, why each pod is or is not an endpoint)",
            service_summary(service)
        ),
        select: Selected::Service(ObjectKey::new(namespace, name)).id(),
        lit: Lit::Plain,
    });
    // Outside the edge: where the cloud's load balancer or the ExternalName leads.
    let outside: Option<String> = if kind == "ExternalName" {
        Some(format!("\u{2192} {external}"))
    } else {
        let ingress: Vec<String> = service
            .load_balancer_ingress
            .iter()
            .filter_map(|ingress| ingress.ip.clone().or_else(|| ingress.hostname.clone()))
            .collect();
        (!ingress.is_empty()).then(|| format!("LB {}", ingress.join(" ")))
    };
    if let Some(text) = outside {
        boxes.push(Item {
            shape: Shape::Outside,
            x: x + 8,
            y: 6,
            width: SERVICE_WIDTH - 16,
            height: 26,
            text: vec![label(x + 16, 24, fit(&text, 29), Style::Detail)],
            hover: if kind == "ExternalName" {
                format!("Outside the cluster: DNS answers {name} with a CNAME to {external}")
            } else {
                "Outside the cluster: the load balancer's address, sent on to the NodePorts"
                    .to_owned()
            },
            // Part of its Service: clicking it selects the Service, and it is lit with it.
            select: Selected::Service(ObjectKey::new(namespace, name)).id(),
            lit: Lit::Plain,
        });
        wires.push(Wire {
            kind: WireKind::Outside,
            points: vec![
                (x + SERVICE_WIDTH / 2, 32),
                (x + SERVICE_WIDTH / 2, SERVICES_TOP),
            ],
            lit: false,
            fresh: false,
            count: 0,
            dots: Vec::new(),
        });
    }
    Column {
        x,
        addresses: spec
            .cluster_ips
            .iter()
            .chain(spec.cluster_ip.iter())
            .chain(
                service
                    .load_balancer_ingress
                    .iter()
                    .filter_map(|ingress| ingress.ip.as_ref()),
            )
            .cloned()
            .collect(),
    }
}

/// A node column's head: its title, how many pods it holds (at its right), and a line under.
fn column_head(
    x: i64,
    top: i64,
    title: String,
    pods: usize,
    detail: (String, Style),
) -> Vec<Label> {
    vec![
        label(x + POD_INSET, top + 20, title, Style::Title),
        Label {
            x: x + NODE_WIDTH - 8,
            y: top + 20,
            text: format!("{pods} pod{}", if pods == 1 { "" } else { "s" }),
            style: Style::Detail,
            end: true,
            fresh: false,
        },
        label(x + POD_INSET, top + 37, detail.0, detail.1),
    ]
}

/// An EndpointSlice's box: its name, address type and ports, then each endpoint with its
/// conditions (up to [`ENDPOINT_LINES`], then how many more and how many of them are ready).
fn slice_box(slice: &SimEndpointSlice, x: i64, y: i64, fresh: &[&str]) -> Item {
    let width = SERVICE_WIDTH - 2 * SLICE_INSET;
    let mut ports: Vec<String> = slice
        .ports
        .iter()
        .take(2)
        .map(|port| format!("{}/{}", port.port, port.protocol))
        .collect();
    if slice.ports.len() > 2 {
        ports.push(format!("+{}", slice.ports.len() - 2));
    }
    let mut text = vec![
        label(x + 8, y + 15, fit(&slice.name, 22), Style::Name),
        label(
            x + 8,
            y + 31,
            fit(
                &format!(
                    "{}  {}",
                    slice.address_type,
                    if ports.is_empty() {
                        "no ports".to_owned()
                    } else {
                        ports.join(" ")
                    }
                ),
                26,
            ),
            Style::Detail,
        ),
    ];
    let mut line_y = y + 31 + LINE;
    let mut lines = 0;
    for endpoint in slice.endpoints.iter().take(ENDPOINT_LINES) {
        let (state, style) = conditions(endpoint);
        text.push(label(
            x + 8,
            line_y,
            fit(&endpoint.addresses.join(","), 15),
            Style::Detail,
        ));
        let fresh = endpoint
            .addresses
            .iter()
            .any(|address| fresh.contains(&address.as_str()));
        if let Some(address) = text.last_mut() {
            address.fresh = fresh;
        }
        text.push(Label {
            x: x + width - 6,
            y: line_y,
            text: state.to_owned(),
            style,
            end: true,
            fresh,
        });
        line_y += LINE;
        lines += 1;
    }
    if slice.endpoints.len() > ENDPOINT_LINES {
        let rest = slice.endpoints.get(ENDPOINT_LINES..).unwrap_or_default();
        let ready = rest.iter().filter(|endpoint| endpoint.ready).count();
        text.push(label(
            x + 8,
            line_y,
            format!("+{} more, {ready} ready", rest.len()),
            Style::Detail,
        ));
        lines += 1;
    }
    if slice.endpoints.is_empty() {
        text.push(label(x + 8, line_y, "no endpoints".to_owned(), Style::Warn));
        lines += 1;
    }
    Item {
        shape: Shape::Slice,
        x,
        y,
        width,
        height: 38 + lines * LINE,
        text,
        hover: {
            let mut hover = format!(
                "EndpointSlice {}/{}\naddressType: {}\n{} endpoint{} ({} ready)",
                slice.namespace,
                slice.name,
                slice.address_type,
                slice.endpoints.len(),
                if slice.endpoints.len() == 1 { "" } else { "s" },
                slice
                    .endpoints
                    .iter()
                    .filter(|endpoint| endpoint.ready)
                    .count()
            );
            // Topology hints, an endpoint a line.
            for endpoint in &slice.endpoints {
                if endpoint.for_zones.is_empty() && endpoint.for_nodes.is_empty() {
                    continue;
                }
                hover.push_str(&format!(
                    "\n{} hints: for zones {}",
                    endpoint.addresses.join(","),
                    endpoint.for_zones.join(",")
                ));
                if !endpoint.for_nodes.is_empty() {
                    hover.push_str(&format!(", for nodes {}", endpoint.for_nodes.join(",")));
                }
            }
            hover
        },
        select: Selected::Slice(ObjectKey::new(&slice.namespace, &slice.name)).id(),
        lit: Lit::Plain,
    }
}

/// An endpoint's conditions in a word or two (KEP-1672's ready, serving, terminating).
fn conditions(endpoint: &SliceEndpoint) -> (&'static str, Style) {
    match (endpoint.ready, endpoint.serving, endpoint.terminating) {
        (true, _, _) => ("ready", Style::Good),
        (false, true, true) => ("serving, term.", Style::Warn),
        (false, false, true) => ("terminating", Style::Warn),
        _ => ("not ready", Style::Warn),
    }
}

/// A pod's box.
fn pod_box(cluster: &Cluster, pod: &SimPod, x: i64, y: i64) -> Item {
    let ready = pod.ready && pod.ip.is_some();
    Item {
        shape: if ready {
            Shape::Pod
        } else {
            Shape::PodNotReady
        },
        x,
        y,
        width: POD_WIDTH,
        height: POD_HEIGHT,
        text: vec![
            label(x + 8, y + 18, fit(&pod.name, 28), Style::Name),
            label(
                x + 8,
                y + 35,
                format!(
                    "{}  {}",
                    pod.ip.as_deref().unwrap_or("no IP yet"),
                    if pod.terminating {
                        "Terminating"
                    } else if ready {
                        "Ready"
                    } else {
                        "not ready"
                    }
                ),
                if ready { Style::Detail } else { Style::Warn },
            ),
        ],
        hover: format!(
            "{}\nClick: select it (its YAML, the Services that select it)",
            pod_summary(cluster, pod)
        ),
        select: Selected::Pod(ObjectKey::new(&pod.namespace, &pod.name)).id(),
        lit: Lit::Plain,
    }
}

/// A node's pods by the workload that owns them (bare pods by themselves: [`owner_of`]), in
/// the order their first pod appears.
fn groups<'a>(pods: &[&'a SimPod]) -> Vec<(String, Vec<&'a SimPod>)> {
    let mut groups: Vec<(String, Vec<&SimPod>)> = Vec::new();
    for pod in pods {
        let owner = owner_of(pod);
        match groups.iter_mut().find(|(name, _)| *name == owner) {
            Some((_, members)) => members.push(pod),
            None => groups.push((owner, vec![pod])),
        }
    }
    groups
}

/// A workload's pods on one node, counted by state.
fn group_box(owner: &str, pods: &[&SimPod], x: i64, y: i64) -> Item {
    let ready = pods
        .iter()
        .filter(|pod| pod.ready && pod.ip.is_some())
        .count();
    let name = owner.rsplit('/').next().unwrap_or(owner);
    Item {
        shape: Shape::Group,
        x,
        y,
        width: POD_WIDTH,
        height: POD_HEIGHT,
        text: vec![
            label(
                x + 8,
                y + 18,
                fit(&format!("{name} \u{d7}{}", pods.len()), 28),
                Style::Name,
            ),
            label(
                x + 8,
                y + 35,
                format!("{ready} ready, {} not ready", pods.len() - ready),
                if ready == pods.len() {
                    Style::Detail
                } else {
                    Style::Warn
                },
            ),
        ],
        hover: format!(
            "{owner}: {} pods on this node, {ready} ready\nClick: open the group, its pods one by one",
            pods.len()
        ),
        select: Selected::Group(owner.to_owned()).id(),
        lit: Lit::Plain,
    }
}

/// The way up from a box to the band: its left edge, the node's margin (on `lane_x` from the
/// node's edge), up to the band at `lane`.
fn up_from(placed: &Placed, lane_x: i64, lane: i64) -> Vec<(i64, i64)> {
    let margin = placed.node_x + lane_x;
    vec![placed.at, (margin, placed.at.1), (margin, lane)]
}

/// The way down from the band at `lane` to a box.
fn down_to(placed: &Placed, lane_x: i64, lane: i64) -> Vec<(i64, i64)> {
    let mut points = up_from(placed, lane_x, lane);
    points.reverse();
    points
}

/// Up a Service's channel from the band at `lane` to its box, and back down.
fn via(column: &Column, lane: i64) -> Vec<(i64, i64)> {
    let x = column.channel();
    vec![(x, lane), (x, SERVICES_TOP + SERVICE_HEIGHT), (x, lane)]
}

/// The DNS question's way: from the asking pod to the cluster DNS Service (kube-dns) and on
/// to a CoreDNS pod (the first: the picture cannot know which one kube-proxy picks).
fn dns_wire(
    asked: &Asked,
    placed: &[Placed],
    columns: &[Column],
    cluster: &Cluster,
    lane: i64,
) -> Option<Wire> {
    let from = asked.from.as_ref()?;
    let client = placed.iter().find(|pod| &pod.key == from)?;
    let coredns = placed
        .iter()
        .find(|pod| pod.key.namespace == "kube-system" && pod.key.name.starts_with("coredns-"))?;
    let dns_ip = cluster.config.dns_ip().to_string();
    let mut points = up_from(client, 27, lane);
    if let Some(column) = columns
        .iter()
        .find(|column| column.addresses.contains(&dns_ip))
    {
        points.extend(via(column, lane));
    }
    points.extend(down_to(coredns, 27, lane));
    Some(Wire {
        kind: WireKind::Dns,
        points,
        lit: false,
        fresh: false,
        count: 1,
        dots: Vec::new(),
    })
}

/// The packet's way up: from the client pod to the band and up the channel of the Service it
/// addressed (if it went through one) and back down to the band.
fn way_up(
    traced: &Trace,
    placed: &[Placed],
    columns: &[Column],
    lane: i64,
) -> Option<Vec<(i64, i64)>> {
    let first = traced.steps.first()?;
    let source = placed
        .iter()
        .find(|pod| pod.ip.as_deref() == Some(ip_of(&first.src)))?;
    let mut points = up_from(source, 24, lane);
    // The name step's query to cluster DNS is drawn as the DNS question, not as this packet.
    let through = traced
        .steps
        .iter()
        .filter(|step| step.component != "dns")
        .find_map(|step| {
            let address = ip_of(&step.dst);
            columns
                .iter()
                .find(|column| column.addresses.iter().any(|ip| ip == address))
        });
    if let Some(column) = through {
        points.extend(via(column, lane));
    }
    Some(points)
}

/// "Send 20 requests": the way to the pod `ending` (`namespace/name`) that `count` of them
/// reached; for those refused (`ending` a verdict), the way up to the Service only.
fn stream_wire(
    traced: &Trace,
    placed: &[Placed],
    columns: &[Column],
    lane: i64,
    ending: &str,
    count: usize,
) -> Option<Wire> {
    let mut points = way_up(traced, placed, columns, lane)?;
    if let Some(target) = placed.iter().find(|pod| pod.key.to_string() == ending) {
        points.extend(down_to(target, 24, lane));
    } else {
        // Not delivered: the stream ends where it was refused, at the Service.
        points.pop();
    }
    Some(Wire {
        kind: WireKind::Stream,
        points,
        lit: false,
        fresh: false,
        count,
        dots: Vec::new(),
    })
}

/// Milliseconds between two of the 20 requests leaving, and one request's way.
pub const STREAM_GAP_MS: usize = 300;
/// How long one request of the stream takes to its backend.
pub const STREAM_WAY_MS: usize = 1600;

/// Times the stream's dots ([`Wire::dots`]) and returns its cycle: the stream's requests leave
/// one every [`STREAM_GAP_MS`], one per slot, the backends' requests interleaved in their
/// proportions (smooth weighted round-robin, as nginx balances: each slot goes to the wire with
/// the most credit, every wire earning its count a slot and the one chosen paying them all).
fn schedule_stream(wires: &mut [Wire]) -> usize {
    let all: usize = wires
        .iter()
        .filter(|wire| wire.kind == WireKind::Stream)
        .map(|wire| wire.count)
        .sum();
    if all == 0 {
        return 0;
    }
    let cycle = all * STREAM_GAP_MS + STREAM_WAY_MS;
    // A fraction of the cycle as SMIL writes it (`0.1234`).
    let fraction = |ms: usize| match ms * 10_000 / cycle {
        parts if parts >= 10_000 => "1".to_owned(),
        parts => format!("0.{parts:04}"),
    };
    let mut streams: Vec<(&mut Wire, i64)> = wires
        .iter_mut()
        .filter(|wire| wire.kind == WireKind::Stream)
        .map(|wire| (wire, 0))
        .collect();
    for slot in 0..all {
        for (wire, credit) in streams.iter_mut() {
            *credit = credit.saturating_add(i64::try_from(wire.count).unwrap_or(i64::MAX));
        }
        let chosen = streams
            .iter_mut()
            .reduce(|best, next| if next.1 > best.1 { next } else { best });
        if let Some((wire, credit)) = chosen {
            *credit = credit.saturating_sub(i64::try_from(all).unwrap_or(i64::MAX));
            let leaves = slot * STREAM_GAP_MS;
            wire.dots.push(format!(
                "0;{};{};1",
                fraction(leaves),
                fraction(leaves + STREAM_WAY_MS)
            ));
        }
    }
    cycle
}

/// The traced packet's way: from the client pod up to the Service it addressed (if it went
/// through one) and down to the pod it reached. `None` when the client is not on the picture.
fn packet_wire(traced: &Trace, placed: &[Placed], columns: &[Column], lane: i64) -> Option<Wire> {
    let last = traced.steps.last()?;
    let mut points = way_up(traced, placed, columns, lane)?;
    let delivered = traced.verdict == Verdict::Delivered;
    if delivered {
        if let Some(target) = placed
            .iter()
            .find(|pod| pod.ip.as_deref() == Some(ip_of(&last.dst_after)))
        {
            points.extend(down_to(target, 24, lane));
        }
    }
    Some(Wire {
        kind: if delivered {
            WireKind::Packet
        } else {
            WireKind::Refused
        },
        points,
        lit: false,
        fresh: false,
        count: 1,
        dots: Vec::new(),
    })
}

/// The moving parts in words, in the order they move.
fn story(
    cluster: &Cluster,
    asked: Option<&Asked>,
    traced: Option<&Trace>,
    motion: &Motion,
) -> Vec<String> {
    let mut story = Vec::new();
    if let Some((asked, from)) = asked.and_then(|asked| Some((asked, asked.from.as_ref()?))) {
        let dns = cluster.config.dns_ip();
        for (query, status) in &asked.tried {
            story.push(format!(
                "DNS: {from} asks {dns}:53 (the kube-dns Service; kube-proxy sends it on to a \
                 CoreDNS pod) for {query}: {status}"
            ));
        }
        let records: Vec<&str> = asked.lines.iter().skip(1).map(String::as_str).collect();
        if let Some(status) = asked.lines.first() {
            story.push(format!(
                "DNS: the answer comes back, {status}{}{}",
                if records.is_empty() { "" } else { ": " },
                records.join(", ")
            ));
        }
    }
    if let Some(traced) = traced {
        for step in traced.steps.iter().filter(|step| step.component != "dns") {
            let mut line = format!("Packet: {}", step.component);
            if let Some(node) = &step.node {
                line.push_str(&format!(" on {node}"));
            }
            line.push_str(&format!(": {}", step.note));
            if step.dst != step.dst_after {
                line.push_str(&format!(" (DNAT {} \u{2192} {})", step.dst, step.dst_after));
            }
            if step.src != step.src_after {
                line.push_str(&format!(" (SNAT {} \u{2192} {})", step.src, step.src_after));
            }
            story.push(line);
        }
        story.push(format!("Packet: {}", traced.verdict.as_str()));
    }
    if !motion.spread.is_empty() {
        let total: usize = motion.spread.iter().map(|(_, count)| count).sum();
        let ends: Vec<String> = motion
            .spread
            .iter()
            .map(|(ending, count)| format!("{ending} \u{d7}{count}"))
            .collect();
        story.push(format!("{total} requests: {}", ends.join(", ")));
    }
    story
}

/// The address of `ip:port`.
fn ip_of(address: &str) -> &str {
    crate::sim::proxy::shared::split_host_port(address).map_or(address, |(ip, _)| ip)
}

/// What the packet's way rewrote, and on which node: kube-proxy's DNAT
/// (`DNAT 10.96.0.10:80 -> 10.244.1.3:8080`) and the masquerade (`SNAT 10.244.1.2 -> ...`).
fn rewrites(traced: &Trace) -> Vec<(String, String)> {
    let mut notes = Vec::new();
    for step in &traced.steps {
        let Some(node) = &step.node else { continue };
        if step.component == "dns" {
            continue;
        }
        if step.dst != step.dst_after {
            notes.push((node.clone(), format!("DNAT {}", step.dst)));
            notes.push((node.clone(), format!("  \u{2192} {}", step.dst_after)));
        }
        if step.src != step.src_after {
            notes.push((node.clone(), format!("SNAT {}", ip_of(&step.src))));
            notes.push((
                node.clone(),
                format!("  \u{2192} {}", ip_of(&step.src_after)),
            ));
        }
    }
    notes
}

/// `name` as it fits a box of `max` characters: whole when it does, else its start, an
/// ellipsis and its last five characters (a generated pod name's own suffix). The whole name
/// is in the box's hover summary and in the tables.
pub fn fit(name: &str, max: usize) -> String {
    let count = name.chars().count();
    if count <= max {
        return name.to_owned();
    }
    let head: String = name.chars().take(max.saturating_sub(6)).collect();
    let tail: String = name.chars().skip(count.saturating_sub(5)).collect();
    format!("{head}\u{2026}{tail}")
}

/// What a reader hovering a pod wants to know: its name, labels, and the Services whose
/// selector picks it (same namespace, every selector term among its labels; ExternalName
/// Services ignore their selector, as the endpoint controllers do).
pub fn pod_summary(cluster: &Cluster, pod: &SimPod) -> String {
    let selected_by: Vec<String> = cluster
        .services
        .iter()
        .filter(|service| selects(service, pod))
        .map(|service| format!("Service {}", service.meta.name))
        .collect();
    format!(
        "Pod {}/{}\nlabels: {}\nselected by: {}",
        pod.namespace,
        pod.name,
        if pod.labels.is_empty() {
            "none".to_owned()
        } else {
            labels_text(&pod.labels, ",")
        },
        if selected_by.is_empty() {
            "no Service".to_owned()
        } else {
            selected_by.join(", ")
        }
    )
}

/// What a reader hovering a Service wants to know: its selector, or why it has none.
pub fn service_summary(service: &Service) -> String {
    let selector = match (&service.spec.selector, service.spec.type_.as_deref()) {
        (_, Some("ExternalName")) => "ExternalName: no selector used".to_owned(),
        (Some(selector), _) if !selector.is_empty() => labels_text(selector, ","),
        _ => "none (endpoints come from your own EndpointSlices or Endpoints)".to_owned(),
    };
    format!(
        "Service {}/{}\nselector: {selector}",
        service.meta.namespace_or_default(),
        service.meta.name
    )
}
