//! The cluster picture as data: where every node, pod, Service and link goes, and what hovering
//! one says. The browser draws it as SVG; nothing here knows about markup.
//!
//! The layout is a fixed grid, so that it stays still as objects come and go: one column per
//! node (name, InternalIP, pod CIDR, NodePorts on its edge), its pods inside (name, IP,
//! readiness), the Services in a row above (type, ClusterIP or the absence of one for headless
//! Services, ExternalName targets, LoadBalancer addresses), and a line from each Service to
//! each endpoint of its EndpointSlices (dashed when the endpoint is not ready). Coordinates are
//! whole pixels: integers print without float formatting code in the browser build.

use crate::explorer::questions::Asked;
use crate::sim::control::apiserver::is_headless;
use crate::sim::control::cluster::Cluster;
use crate::sim::control::endpoints::has_managed_endpoints;
use crate::sim::control::workloads::SimPod;
use crate::sim::input::labels::{labels_text, map_selector_matches};
use crate::sim::input::objects::Service;
use crate::sim::key::ObjectKey;
use crate::sim::proxy::trace::{Trace, Verdict};

/// A node column's width.
pub const NODE_WIDTH: i64 = 262;
const NODE_GAP: i64 = 24;
/// A pod box's height.
pub const POD_HEIGHT: i64 = 44;
/// A pod box's width.
pub const POD_WIDTH: i64 = NODE_WIDTH - 20;
/// A Service box's width.
pub const SERVICE_WIDTH: i64 = 210;
/// A Service box's height.
pub const SERVICE_HEIGHT: i64 = 62;
/// Where the Services' row starts.
pub const TOP: i64 = 16;
/// Where the nodes' row starts.
pub const NODES_TOP: i64 = 130;

/// The whole picture.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Picture {
    /// The drawing's width and height (its viewBox).
    pub width: i64,
    /// Its height.
    pub height: i64,
    /// "N nodes, N pods, N Services": what a screen reader hears first.
    pub label: String,
    /// The nodes, left to right.
    pub nodes: Vec<NodeBox>,
    /// The Services, left to right (the cluster's `default/kubernetes` left out).
    pub services: Vec<ServiceBox>,
    /// The pods that are on a node, column by column.
    pub pods: Vec<PodBox>,
    /// A line from a Service to each pod behind one of its EndpointSlices' endpoints.
    pub links: Vec<Link>,
    /// The DNS question's way, when a pod asked one.
    pub dns: Option<DnsPath>,
    /// The traced packet's way, when its client is a pod on the picture.
    pub packet: Option<PacketPath>,
}

/// A node's column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NodeBox {
    /// Its left edge.
    pub x: i64,
    /// Its height (the tallest column's).
    pub height: i64,
    /// The node's name.
    pub name: String,
    /// `InternalIP  pods CIDR`.
    pub detail: String,
    /// The NodePorts open on it, space-separated.
    pub node_ports: String,
    /// Whether it is the control plane.
    pub control_plane: bool,
}

/// A Service's box.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServiceBox {
    /// Its left edge.
    pub x: i64,
    /// `namespace/name`, cut to fit.
    pub title: String,
    /// The name a click asks DNS for (`name`, or `name.namespace` outside `default`).
    pub dns_name: String,
    /// `TYPE  PORT[:NODEPORT] ...`.
    pub kind_and_ports: String,
    /// Its ClusterIP (and LoadBalancer IP), `headless: no virtual IP`, or `CNAME target`.
    pub address: String,
    /// Headless (drawn without a virtual IP).
    pub headless: bool,
    /// What hovering it says.
    pub summary: String,
    /// The addresses that reach it (ClusterIPs, LoadBalancer IPs): where a path meets it.
    pub addresses: Vec<String>,
}

impl ServiceBox {
    /// The middle of its lower edge, where links and paths leave it.
    pub fn anchor(&self) -> (i64, i64) {
        (self.x + SERVICE_WIDTH / 2, TOP + SERVICE_HEIGHT)
    }
}

/// A pod's box.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PodBox {
    /// The pod.
    pub key: ObjectKey,
    /// Its name, cut to fit.
    pub title: String,
    /// `IP  Ready` or `IP  not ready` (`no IP yet`).
    pub detail: String,
    /// Its IP, when it has one.
    pub ip: Option<String>,
    /// Ready (its Ready condition, with an IP).
    pub ready: bool,
    /// What hovering it says.
    pub summary: String,
    /// Its left edge.
    pub x: i64,
    /// Its top edge.
    pub y: i64,
}

impl PodBox {
    /// The box's centre, where the DNS question and the packet leave and arrive.
    pub fn centre(&self) -> (i64, i64) {
        (self.x + POD_WIDTH / 2, self.y + POD_HEIGHT / 2)
    }
}

/// A line from a Service to an endpoint's pod.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Link {
    /// Start.
    pub from: (i64, i64),
    /// End.
    pub to: (i64, i64),
    /// Whether the endpoint is ready.
    pub ready: bool,
}

/// The DNS question's way, as an SVG path, and its answer in one line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DnsPath {
    /// The path (`M x y L x y ...`).
    pub path: String,
    /// `DNS: ...`.
    pub answer: String,
    /// Where the answer is written.
    pub at: (i64, i64),
}

/// The traced packet's way, as an SVG path.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PacketPath {
    /// The path.
    pub path: String,
    /// Whether it was delivered (else: refused, dropped or unresolved).
    pub delivered: bool,
}

/// Lays `cluster` out (the cluster now, or as the timeline's step left it), with the traced
/// packet and the DNS question on it.
pub fn layout(cluster: &Cluster, traced: Option<&Trace>, asked: Option<&Asked>) -> Picture {
    let mut pods: Vec<PodBox> = Vec::new();
    let mut nodes = Vec::new();
    let mut tallest = 0usize;
    let node_ports: Vec<String> = cluster
        .services
        .iter()
        .flat_map(|service| &service.spec.ports)
        .filter_map(|port| port.node_port)
        .map(|port| port.to_string())
        .collect();
    for (column, node) in cluster.nodes.iter().enumerate() {
        let x = 16 + column as i64 * (NODE_WIDTH + NODE_GAP);
        let on_node: Vec<&SimPod> = cluster
            .pods
            .iter()
            .filter(|pod| pod.node_name.as_deref() == Some(node.name.as_str()))
            .collect();
        tallest = tallest.max(on_node.len());
        for (row, pod) in on_node.iter().enumerate() {
            let ready = pod.ready && pod.ip.is_some();
            pods.push(PodBox {
                key: ObjectKey::new(&pod.namespace, &pod.name),
                title: fit(&pod.name, 28),
                detail: format!(
                    "{}  {}",
                    pod.ip.as_deref().unwrap_or("no IP yet"),
                    if ready { "Ready" } else { "not ready" }
                ),
                ip: pod.ip.clone(),
                ready,
                summary: pod_summary(cluster, pod),
                x: x + 10,
                y: NODES_TOP + 52 + row as i64 * (POD_HEIGHT + 8),
            });
        }
        nodes.push(NodeBox {
            x,
            height: 0,
            name: node.name.clone(),
            detail: format!("{}  pods {}", node.internal_ip, node.pod_cidr),
            node_ports: node_ports.join(" "),
            control_plane: node.control_plane,
        });
    }
    let node_height = 64 + tallest.max(1) as i64 * (POD_HEIGHT + 8);
    for node in &mut nodes {
        node.height = node_height;
    }
    let shown: Vec<&Service> = cluster
        .services
        .iter()
        .filter(|service| service.meta.name != "kubernetes")
        .collect();
    let width = (16 + cluster.nodes.len() as i64 * (NODE_WIDTH + NODE_GAP))
        .max(16 + shown.len() as i64 * (SERVICE_WIDTH + 16))
        .max(400);
    let height = NODES_TOP + node_height + 24;
    let mut links = Vec::new();
    let mut services = Vec::new();
    for (index, service) in shown.iter().enumerate() {
        let x = 16 + index as i64 * (SERVICE_WIDTH + 16);
        let spec = &service.spec;
        let kind = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_owned());
        let load_balancer_ip = service
            .load_balancer_ingress
            .iter()
            .find_map(|ingress| ingress.ip.clone());
        let address = if kind == "ExternalName" {
            format!("CNAME {}", spec.external_name.clone().unwrap_or_default())
        } else if is_headless(spec) {
            "headless: no virtual IP".to_owned()
        } else {
            let mut text = spec.cluster_ip.clone().unwrap_or_default();
            if let Some(ip) = &load_balancer_ip {
                text.push_str(&format!("  LB {ip}"));
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
        let service_box = ServiceBox {
            x,
            title: fit(
                &format!("{}/{}", service.meta.namespace, service.meta.name),
                22,
            ),
            dns_name: if service.meta.namespace == "default" {
                service.meta.name.clone()
            } else {
                format!("{}.{}", service.meta.name, service.meta.namespace)
            },
            kind_and_ports: format!("{kind}  {}", ports.join(" ")),
            address,
            headless: is_headless(spec),
            summary: service_summary(service),
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
        };
        // The EndpointSlices' endpoints, to the pods with those addresses.
        for slice in cluster.endpoint_slices.iter().filter(|slice| {
            slice.namespace == service.meta.namespace && slice.service == service.meta.name
        }) {
            for endpoint in &slice.endpoints {
                for address in &endpoint.addresses {
                    if let Some(pod) = pods
                        .iter()
                        .find(|pod| pod.ip.as_deref() == Some(address.as_str()))
                    {
                        links.push(Link {
                            from: service_box.anchor(),
                            to: (pod.centre().0, pod.y),
                            ready: endpoint.ready,
                        });
                    }
                }
            }
        }
        services.push(service_box);
    }
    let packet = traced.and_then(|traced| packet_path(traced, &pods, &services));
    let dns = asked.and_then(|asked| {
        dns_path(
            asked,
            &pods,
            &services,
            &cluster.config.dns_ip().to_string(),
        )
    });
    Picture {
        width,
        height,
        label: format!(
            "{} nodes, {} pods, {} Services",
            cluster.nodes.len(),
            cluster.pods.len(),
            shown.len()
        ),
        nodes,
        services,
        pods,
        links,
        dns,
        packet,
    }
}

/// The DNS question's way: from the asking pod up to the cluster DNS Service (kube-dns) and
/// down to a CoreDNS pod (the first, as the picture cannot know which one kube-proxy picks),
/// with the answer in one line and where to write it.
fn dns_path(
    asked: &Asked,
    pods: &[PodBox],
    services: &[ServiceBox],
    dns_ip: &str,
) -> Option<DnsPath> {
    let from = asked.from.as_ref()?;
    let client = pods.iter().find(|pod| &pod.key == from)?;
    let coredns = pods
        .iter()
        .find(|pod| pod.key.namespace == "kube-system" && pod.key.name.starts_with("coredns-"))?;
    let (x, y) = client.centre();
    let mut path = format!("M {x} {y}");
    // The answer is written under the kube-dns Service (between the rows, where there is
    // room), or above the asking pod when that Service is not drawn.
    let mut at = (client.x + 4, client.y - 4);
    if let Some(service) = services
        .iter()
        .find(|service| service.addresses.iter().any(|ip| ip == dns_ip))
    {
        let (service_x, service_y) = service.anchor();
        path.push_str(&format!(" L {service_x} {service_y}"));
        at = (service.x + 4, TOP + SERVICE_HEIGHT + 16);
    }
    let (to_x, to_y) = coredns.centre();
    path.push_str(&format!(" L {to_x} {to_y}"));
    Some(DnsPath {
        path,
        answer: format!("DNS: {}", asked.short),
        at,
    })
}

/// `name` as it fits a box of `max` characters (bytes): whole when it does, else its start, an
/// ellipsis and its last five characters (a generated pod name's own suffix). The whole name
/// is in the box's hover summary and in the tables.
pub fn fit(name: &str, max: usize) -> String {
    // Names are ASCII (the API server admits only DNS names); `get` keeps anything else whole.
    match (
        name.get(..max.saturating_sub(6)),
        name.get(name.len().saturating_sub(5)..),
    ) {
        (Some(head), Some(tail)) if name.len() > max => format!("{head}\u{2026}{tail}"),
        _ => name.to_owned(),
    }
}

/// The traced packet's way across the picture: from the client pod up to the Service it
/// addressed (if it went through one) and down to the pod it reached. `None` when the client is
/// not a pod on the picture.
fn packet_path(traced: &Trace, pods: &[PodBox], services: &[ServiceBox]) -> Option<PacketPath> {
    let ip = |address: &str| {
        address
            .rsplit_once(':')
            .map_or(address, |(ip, _)| ip)
            .to_owned()
    };
    let first = traced.steps.first()?;
    let last = traced.steps.last()?;
    let source = pods
        .iter()
        .find(|pod| pod.ip.as_deref() == Some(ip(&first.src).as_str()))?;
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
                .find(|service| service.addresses.contains(&address))
        });
    if let Some(service) = via {
        let (service_x, service_y) = service.anchor();
        path.push_str(&format!(" L {service_x} {service_y}"));
    }
    let delivered = traced.verdict == Verdict::Delivered;
    if delivered {
        if let Some(target) = pods
            .iter()
            .find(|pod| pod.ip.as_deref() == Some(ip(&last.dst_after).as_str()))
        {
            path.push_str(&format!(" L {} {}", target.centre().0, target.y));
        }
    }
    Some(PacketPath { path, delivered })
}

/// What a reader hovering a pod wants to know: its name, labels, and the Services whose
/// selector picks it (same namespace, every selector term among its labels; ExternalName
/// Services ignore their selector, as the endpoint controllers do).
pub fn pod_summary(cluster: &Cluster, pod: &SimPod) -> String {
    let selected_by: Vec<String> = cluster
        .services
        .iter()
        .filter(|service| {
            service.meta.namespace_or_default() == pod.namespace
                && has_managed_endpoints(service)
                && service.spec.selector.as_ref().is_some_and(|selector| {
                    !selector.is_empty() && map_selector_matches(selector, &pod.labels)
                })
        })
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
