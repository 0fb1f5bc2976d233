//! What kube-proxy's modes share, apart from any one of them: a node's proxier configuration,
//! the service ports it serves (`pkg/proxy/serviceport.go`), their endpoints from the
//! EndpointSlices in `endpointslicecache.go`'s order (`endpoint.go`), `CategorizeEndpoints`
//! (`topology.go`, topology hints included), and the base32 SHA-256 that names chains.

use std::collections::BTreeMap;

use crate::sim::config::{ClusterConfig, Family};
use crate::sim::control::apiserver::{is_headless, needs_health_check};
use crate::sim::control::endpoints::SimEndpointSlice;
use crate::sim::control::workloads::SimNode;
use crate::sim::input::objects::Service;

/// kube-proxy's masquerade mark (`--iptables-masquerade-bit` 14).
pub const MASQUERADE_MARK: &str = "0x4000";

/// How the proxier on one node is configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The node's name (`--hostname-override`): endpoints with this `nodeName` are local.
    pub node_name: String,
    /// The node's IPs (`--node-ip`): a LoadBalancer source range containing one lets the node
    /// reach the LoadBalancer IP itself.
    pub node_ips: Vec<String>,
    /// `--cluster-cidr` for `--detect-local-mode=ClusterCIDR`; `None` disables local
    /// detection (no masquerade rule for off-cluster traffic to a ClusterIP).
    pub cluster_cidr: Option<String>,
    /// The Service CIDRs kube-proxy learns from the ServiceCIDR objects (the nftables mode
    /// drops traffic to unallocated addresses in them); `None` for none.
    pub service_cidr: Option<String>,
    /// `--masquerade-all`.
    pub masquerade_all: bool,
    /// The proxier's IP family: a dual-stack node runs one proxier per family, each seeing
    /// only its family's ClusterIPs, addresses and EndpointSlices (`addressType`).
    pub family: Family,
    /// Whether iptables supports `MASQUERADE --random-fully` (every iptables since 1.6.2;
    /// upstream's fake iptables in its unit tests does not).
    pub random_fully: bool,
    /// The node's `topology.kubernetes.io/zone` label, which topology hints are read against.
    pub node_zone: Option<String>,
}

/// A service port as the proxier sees it (`servicePortInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ServicePort {
    /// `ns/name:port` or `ns/name`.
    pub(crate) name: String,
    pub(crate) protocol: String,
    pub(crate) cluster_ip: String,
    pub(crate) port: i64,
    pub(crate) node_port: i64,
    pub(crate) external_ips: Vec<String>,
    pub(crate) load_balancer_ips: Vec<String>,
    pub(crate) source_ranges: Vec<String>,
    pub(crate) health_check_node_port: i64,
    pub(crate) affinity_seconds: Option<i64>,
    external_local: bool,
    pub(crate) internal_local: bool,
}

/// An endpoint of a service port (`endpointInfo`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProxyEndpoint {
    /// `ip:port`.
    pub address: String,
    /// The IP.
    pub ip: String,
    /// Ready.
    pub ready: bool,
    /// Serving.
    pub serving: bool,
    /// Terminating.
    pub terminating: bool,
    /// On this node.
    pub local: bool,
    /// `hints.forZones` (`ZoneHints()`).
    pub zone_hints: Vec<String>,
    /// `hints.forNodes` (`NodeHints()`).
    pub node_hints: Vec<String>,
}

/// The first `len` characters of the base32 (RFC 4648 alphabet) of `text`'s SHA-256: the
/// iptables proxier's `portProtoHash` takes 16, the nftables proxier's `hashAndTruncate` 8.
pub(crate) fn base32_sha256(text: &str, len: usize) -> String {
    let mut out = String::with_capacity(len);
    push_base32_sha256(&mut out, &[text], len);
    out
}

/// Appends the first `len` base32 characters of the SHA-256 of `parts` joined.
pub(crate) fn push_base32_sha256(out: &mut String, parts: &[&str], len: usize) {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = crate::small::sha256::digest(parts);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let mut written = 0;
    for byte in digest.iter() {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 && written < len {
            bits -= 5;
            let index = ((buffer >> bits) & 31) as usize;
            out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            written += 1;
        }
        if written >= len {
            break;
        }
    }
}

/// `service.kubernetes.io/service-proxy-name`: a Service with this label belongs to another
/// proxy; kube-proxy's informers select `!service.kubernetes.io/service-proxy-name`
/// (`cmd/kube-proxy/app/server.go`), so it never sees the Service.
pub const SERVICE_PROXY_NAME: &str = "service.kubernetes.io/service-proxy-name";

/// Whether kube-proxy handles this load balancer ingress itself (`proxyutil.IsVIPMode`):
/// `ipMode` unset or `VIP`. With `Proxy`, the load balancer opens its own connections to the
/// nodes and kube-proxy writes no rule for the address.
pub fn is_vip_mode(ingress: &crate::sim::input::objects::LoadBalancerIngress) -> bool {
    ingress.ip_mode.as_deref().is_none_or(|mode| mode == "VIP")
}

/// Whether `text` is an address or CIDR of `family`. kube-proxy keeps only the external IPs,
/// load balancer IPs and source ranges of the proxier's family (`newBaseServiceInfo`,
/// `serviceport.go`).
fn is_family(text: &str, family: Family) -> bool {
    Family::of_text(text) == Some(family)
}

/// The service ports the proxier of `family` serves for `service`: none when the Service has
/// no ClusterIP of that family (`GetClusterIPByFamily`).
pub(crate) fn service_ports(service: &Service, family: Family) -> Vec<ServicePort> {
    let spec = &service.spec;
    // ShouldSkipService: headless and ExternalName Services get no rules.
    let cluster_ip = spec
        .cluster_ips
        .iter()
        .find(|ip| is_family(ip, family))
        .or(spec.cluster_ip.as_ref().filter(|ip| is_family(ip, family)))
        .cloned()
        .unwrap_or_default();
    if is_headless(spec)
        || cluster_ip.is_empty()
        || spec.type_.as_deref() == Some("ExternalName")
        || service.meta.labels.contains_key(SERVICE_PROXY_NAME)
    {
        return Vec::new();
    }
    let load_balancer_ips: Vec<String> = if spec.type_.as_deref() == Some("LoadBalancer") {
        service
            .load_balancer_ingress
            .iter()
            .filter(|ingress| is_vip_mode(ingress))
            .filter_map(|ingress| ingress.ip.clone())
            .filter(|ip| is_family(ip, family))
            .collect()
    } else {
        Vec::new()
    };
    let external_ips: Vec<String> = spec
        .external_ips
        .iter()
        .filter(|ip| is_family(ip, family))
        .cloned()
        .collect();
    let external_local = spec.external_traffic_policy.as_deref() == Some("Local");
    let needs_health_check = needs_health_check(spec);
    spec.ports
        .iter()
        .map(|port| {
            let name = match port.name.as_deref().filter(|name| !name.is_empty()) {
                Some(port_name) => {
                    format!(
                        "{}/{}:{port_name}",
                        service.meta.namespace, service.meta.name
                    )
                }
                None => format!("{}/{}", service.meta.namespace, service.meta.name),
            };
            ServicePort {
                name,
                protocol: port
                    .protocol
                    .as_deref()
                    .unwrap_or("TCP")
                    .to_ascii_lowercase(),
                cluster_ip: cluster_ip.clone(),
                port: port.port.unwrap_or(0),
                node_port: port.node_port.unwrap_or(0),
                external_ips: external_ips.clone(),
                load_balancer_ips: load_balancer_ips.clone(),
                source_ranges: spec
                    .load_balancer_source_ranges
                    .iter()
                    .map(|range| range.trim().to_owned())
                    .filter(|range| is_family(range, family))
                    .collect(),
                health_check_node_port: if needs_health_check {
                    spec.health_check_node_port.unwrap_or(0)
                } else {
                    0
                },
                affinity_seconds: (spec.session_affinity.as_deref() == Some("ClientIP"))
                    .then(|| spec.session_affinity_timeout.unwrap_or(10800)),
                external_local,
                internal_local: spec.internal_traffic_policy.as_deref() == Some("Local"),
            }
        })
        .collect()
}

/// The endpoints of one service port, from the Service's EndpointSlices: the slice port with
/// the same name and protocol, endpoints deduplicated by `ip:port` and sorted by it
/// (`endpointslicecache.go`).
pub(crate) fn endpoints_for(
    port_name: Option<&str>,
    protocol: &str,
    slices: &[&SimEndpointSlice],
    node_name: &str,
) -> Vec<ProxyEndpoint> {
    let mut found: Vec<ProxyEndpoint> = Vec::new();
    for slice in slices {
        let Some(port) = slice.ports.iter().find(|candidate| {
            candidate.name == port_name.unwrap_or("")
                && candidate.protocol.eq_ignore_ascii_case(protocol)
        }) else {
            continue;
        };
        for endpoint in &slice.endpoints {
            let Some(ip) = endpoint.addresses.first() else {
                continue;
            };
            found.push(ProxyEndpoint {
                address: join_host_port(ip, port.port),
                ip: ip.clone(),
                ready: endpoint.ready,
                serving: endpoint.serving,
                terminating: endpoint.terminating,
                local: endpoint.node_name.as_deref() == Some(node_name),
                zone_hints: endpoint.for_zones.clone(),
                node_hints: endpoint.for_nodes.clone(),
            });
        }
    }
    // By address, the first of equal ones kept (a stable sort, then dedup).
    crate::small::order::sort_by(&mut found, |a, b| a.address.cmp(&b.address));
    found.dedup_by(|later, earlier| later.address == earlier.address);
    found
}

/// `net.JoinHostPort`: `10.0.0.1:80`, `[fd00::1]:80`.
pub fn join_host_port(ip: &str, port: impl std::fmt::Display) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// `net.SplitHostPort`'s split: (`10.0.0.1`, `80`) from `10.0.0.1:80`, (`fd00::1`, `80`) from
/// `[fd00::1]:80`.
pub fn split_host_port(text: &str) -> Option<(&str, &str)> {
    let (host, port) = text.rsplit_once(':')?;
    Some((
        host.strip_prefix('[')
            .and_then(|host| host.strip_suffix(']'))
            .unwrap_or(host),
        port,
    ))
}

/// `CategorizeEndpoints`: (cluster, local, all reachable, has any).
pub(crate) type Categorized<'a> = (
    Vec<&'a ProxyEndpoint>,
    Vec<&'a ProxyEndpoint>,
    Vec<&'a ProxyEndpoint>,
    bool,
);

/// Which endpoints topology leaves a node (`topology.go`, Kubernetes 1.34).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TopologyMode {
    /// Every endpoint (no hints, or hints that do not cover this node or zone).
    All,
    /// The endpoints hinted for this node.
    SameNode,
    /// The endpoints hinted for this node's zone.
    SameZone,
}

/// `topologyModeFromHints`: same-node when every ready endpoint has a node hint and one is for
/// this node (the `PreferSameTrafficDistribution` gate, on in 1.34); else same-zone when every
/// ready endpoint has a zone hint and one is for this node's zone; else none.
fn topology_mode(endpoints: &[ProxyEndpoint], node: &str, zone: &str) -> TopologyMode {
    let mut for_node = false;
    let mut all_node_hints = true;
    let mut for_zone = false;
    let mut all_zone_hints = true;
    for endpoint in endpoints.iter().filter(|endpoint| endpoint.ready) {
        if endpoint.node_hints.is_empty() {
            all_node_hints = false;
        } else if endpoint.node_hints.iter().any(|hint| hint == node) {
            for_node = true;
        }
        if endpoint.zone_hints.is_empty() {
            all_zone_hints = false;
        } else if endpoint.zone_hints.iter().any(|hint| hint == zone) {
            for_zone = true;
        }
    }
    if all_node_hints && for_node {
        TopologyMode::SameNode
    } else if all_zone_hints && for_zone {
        TopologyMode::SameZone
    } else {
        TopologyMode::All
    }
}

/// What topology does to `service`'s port `port` on the node `config` describes, in words,
/// when its endpoints carry hints (the reasons are kube-proxy's own log lines); `None` when no
/// endpoint has a hint.
pub(crate) fn topology_note(
    service: &Service,
    port: i64,
    slices: &[&SimEndpointSlice],
    config: &ProxyConfig,
) -> Option<String> {
    let service_port = service_ports(service, config.family)
        .into_iter()
        .find(|candidate| candidate.port == port)?;
    let own = own_slices(service, slices, config.family);
    let endpoints = endpoints_for(
        slice_port_name(service, &service_port),
        &service_port.protocol,
        &own,
        &config.node_name,
    );
    let ready: Vec<&ProxyEndpoint> = endpoints.iter().filter(|endpoint| endpoint.ready).collect();
    if ready
        .iter()
        .all(|endpoint| endpoint.zone_hints.is_empty() && endpoint.node_hints.is_empty())
    {
        return None;
    }
    let node = config.node_name.as_str();
    let zone = config.node_zone.as_deref().unwrap_or("");
    let mode = topology_mode(&endpoints, node, zone);
    let kept = ready
        .iter()
        .filter(|endpoint| available(endpoint, mode, node, zone))
        .count();
    let distribution = service
        .spec
        .traffic_distribution
        .as_deref()
        .unwrap_or("topology hints");
    Some(match mode {
        TopologyMode::SameNode => format!(
            "{distribution}: kube-proxy on {node} keeps the {kept} of {} ready endpoints hinted for this node",
            ready.len()
        ),
        TopologyMode::SameZone => format!(
            "{distribution}: {node} is in zone {zone}; kube-proxy here keeps the {kept} of {} ready endpoints hinted for it",
            ready.len()
        ),
        TopologyMode::All => {
            let reason = if ready.iter().any(|endpoint| endpoint.zone_hints.is_empty()) {
                "one or more endpoints is missing a zone hint".to_owned()
            } else if zone.is_empty() {
                "the node is missing the topology.kubernetes.io/zone label".to_owned()
            } else {
                format!("no hints were provided for zone {zone}")
            };
            format!(
                "{distribution}: kube-proxy on {node} ignores the topology hints ({reason}) and uses all {} ready endpoints",
                ready.len()
            )
        }
    })
}

/// The slices of `service` among `slices` that the proxier of `family` reads (the endpoints
/// change tracker drops slices of the other `addressType`).
pub(crate) fn own_slices<'a>(
    service: &Service,
    slices: &[&'a SimEndpointSlice],
    family: Family,
) -> Vec<&'a SimEndpointSlice> {
    slices
        .iter()
        .copied()
        .filter(|slice| {
            slice.namespace == service.meta.namespace
                && slice.service == service.meta.name
                && slice.address_type == family.name()
        })
        .collect()
}

/// `availableForTopology`.
fn available(endpoint: &ProxyEndpoint, mode: TopologyMode, node: &str, zone: &str) -> bool {
    match mode {
        TopologyMode::All => true,
        TopologyMode::SameNode => endpoint.node_hints.iter().any(|hint| hint == node),
        TopologyMode::SameZone => endpoint.zone_hints.iter().any(|hint| hint == zone),
    }
}

/// `CategorizeEndpoints` (pkg/proxy/topology.go) on the node `config` describes: ready
/// endpoints (those topology leaves this node when the hints allow), falling back to serving
/// terminating ones; local ones for `Local` policies; the union of both when they can differ.
pub(crate) fn categorize<'a>(
    endpoints: &'a [ProxyEndpoint],
    port: &ServicePort,
    config: &ProxyConfig,
) -> Categorized<'a> {
    let mut has_any = false;
    let mut cluster: Vec<&ProxyEndpoint> = Vec::new();
    let node = config.node_name.as_str();
    let zone = config.node_zone.as_deref().unwrap_or("");
    let mut mode = TopologyMode::All;
    if port.uses_cluster_endpoints() {
        mode = topology_mode(endpoints, node, zone);
        cluster = endpoints
            .iter()
            .filter(|ep| ep.ready && available(ep, mode, node, zone))
            .collect();
        if cluster.is_empty() {
            cluster = endpoints
                .iter()
                .filter(|ep| ep.serving && ep.terminating)
                .collect();
        }
        has_any = !cluster.is_empty();
    }
    if !port.uses_local_endpoints() {
        return (cluster.clone(), Vec::new(), cluster, has_any);
    }
    let mut local_ready = false;
    let mut local_terminating = false;
    for ep in endpoints {
        if ep.ready {
            has_any = true;
            local_ready |= ep.local;
        } else if ep.serving && ep.terminating {
            has_any = true;
            local_terminating |= ep.local;
        }
    }
    let local: Vec<&ProxyEndpoint> = if local_ready {
        endpoints.iter().filter(|ep| ep.local && ep.ready).collect()
    } else if local_terminating {
        endpoints
            .iter()
            .filter(|ep| ep.local && ep.serving && ep.terminating)
            .collect()
    } else {
        Vec::new()
    };
    if !port.uses_cluster_endpoints() {
        return (cluster, local.clone(), local, has_any);
    }
    let serving_terminating = !local_ready && local_terminating;
    if mode == TopologyMode::All && !serving_terminating {
        return (cluster.clone(), local, cluster, has_any);
    }
    let mut all: BTreeMap<&str, &ProxyEndpoint> = BTreeMap::new();
    for ep in cluster.iter().chain(&local) {
        all.insert(ep.address.as_str(), ep);
    }
    (cluster, local, all.into_values().collect(), has_any)
}

/// The name an EndpointSlice port carries for this service port (`None` when unnamed).
pub(crate) fn slice_port_name<'s>(service: &'s Service, port: &ServicePort) -> Option<&'s str> {
    service
        .spec
        .ports
        .iter()
        .find(|candidate| {
            let name = candidate.name.as_deref().filter(|name| !name.is_empty());
            match name {
                Some(name) => port.name.ends_with(&format!(":{name}")),
                None => !port.name.contains(':'),
            }
        })
        .and_then(|candidate| candidate.name.as_deref())
        .filter(|name| !name.is_empty())
}

impl ProxyConfig {
    /// kube-proxy on `node` as the simulated cluster runs it, the proxier of the cluster's
    /// primary family: the node's InternalIP, `--cluster-cidr` for local detection, the
    /// cluster's Service CIDR (the default ServiceCIDR object), no `--masquerade-all`,
    /// `--random-fully`.
    pub fn for_node(node: &SimNode, cluster: &ClusterConfig) -> ProxyConfig {
        Self::for_node_family(node, cluster, cluster.cluster_cidr.family())
    }

    /// The proxier of `family` on `node` (a dual-stack node runs one per family): the node's
    /// InternalIP, cluster CIDR and Service CIDR of that family.
    pub fn for_node_family(node: &SimNode, cluster: &ClusterConfig, family: Family) -> ProxyConfig {
        ProxyConfig {
            node_name: node.name.clone(),
            // A node without an InternalIP (a Node object that states none) has no IP here.
            node_ips: node
                .internal_ips()
                .into_iter()
                .filter(|ip| is_family(ip, family))
                .map(str::to_owned)
                .collect(),
            cluster_cidr: cluster.cluster_cidr_of(family).map(|cidr| cidr.to_string()),
            service_cidr: cluster.service_cidr_of(family).map(|cidr| cidr.to_string()),
            masquerade_all: false,
            family,
            random_fully: true,
            node_zone: node.labels.get("topology.kubernetes.io/zone").cloned(),
        }
    }
}

impl ServicePort {
    pub(crate) fn externally_accessible(&self) -> bool {
        self.node_port != 0 || !self.load_balancer_ips.is_empty() || !self.external_ips.is_empty()
    }
    pub(crate) fn external_policy_local(&self) -> bool {
        self.externally_accessible() && self.external_local
    }
    pub(crate) fn uses_cluster_endpoints(&self) -> bool {
        !self.internal_local || self.externally_accessible()
    }
    pub(crate) fn uses_local_endpoints(&self) -> bool {
        self.internal_local || self.external_policy_local()
    }
}
