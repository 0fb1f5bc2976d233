//! kube-proxy's iptables mode: the rules its `syncProxyRules` writes for one node, from the
//! Services and EndpointSlices (kubernetes `pkg/proxy/iptables/proxier.go`, with
//! `pkg/proxy/topology.go`'s `CategorizeEndpoints` and `endpointslicecache.go`'s endpoint
//! order), as the Kubernetes 1.30-1.34 proxier writes them (nfacct counters, localhost
//! NodePorts).
//!
//! [`IptablesRules::render`] prints them in `iptables-save` format, in the canonical order of
//! upstream's own tests (`sortIPTablesRules` in `proxier_test.go`): tables alphabetically;
//! `KUBE-NODEPORTS`, then `KUBE-SERVICES`, then the other chains alphabetically; the rules of
//! `KUBE-NODEPORTS` and `KUBE-SERVICES` by comment. kube-proxy itself emits Services in Go's
//! random map order, so this is the one deterministic order of the same rules.
//!
//! Not modelled: topology-aware routing, IPv6, `--nodeport-addresses`, and the LoadBalancer
//! allocator (LoadBalancer IPs come from `status.loadBalancer.ingress`).

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::apiserver::is_headless;
use super::config::{ClusterConfig, Ipv4Cidr, StableHasher, StableMap};
use super::endpoints::SimEndpointSlice;
use super::objects::Service;

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
    /// Whether iptables supports `MASQUERADE --random-fully` (every iptables since 1.6.2;
    /// upstream's fake iptables in its unit tests does not).
    pub random_fully: bool,
}

impl ProxyConfig {
    /// kube-proxy on `node` as the simulated cluster runs it: the node's InternalIP,
    /// `--cluster-cidr` for local detection, the cluster's Service CIDR (the default
    /// ServiceCIDR object), no `--masquerade-all`, `--random-fully`.
    pub fn for_node(node: &super::workloads::SimNode, cluster: &ClusterConfig) -> ProxyConfig {
        ProxyConfig {
            node_name: node.name.clone(),
            node_ips: vec![node.internal_ip.clone()],
            cluster_cidr: Some(cluster.cluster_cidr.to_string()),
            service_cidr: Some(cluster.service_cidr.to_string()),
            masquerade_all: false,
            random_fully: true,
        }
    }
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
    health_check_node_port: i64,
    pub(crate) affinity_seconds: Option<i64>,
    external_local: bool,
    pub(crate) internal_local: bool,
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
}

/// A table's chains and rules, in emission order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Table {
    chains: Vec<String>,
    known: std::collections::HashSet<String, std::hash::BuildHasherDefault<StableHasher>>,
    /// (chain, the whole `-A CHAIN ...` line).
    rules: Vec<(String, String)>,
}

impl Table {
    fn chain(&mut self, name: &str) {
        if self.known.insert(name.to_owned()) {
            self.chains.push(name.to_owned());
        }
    }
    fn rule(&mut self, chain: &str, args: &str) {
        let line = if args.is_empty() {
            format!("-A {chain}")
        } else {
            format!("-A {chain} {args}")
        };
        self.rules.push((chain.to_owned(), line));
    }
}

/// The rules of one node: the `filter` and `nat` tables kube-proxy restores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IptablesRules {
    filter: Table,
    nat: Table,
}

/// The first `len` characters of the base32 (RFC 4648 alphabet) of `text`'s SHA-256: the
/// iptables proxier's `portProtoHash` takes 16, the nftables proxier's `hashAndTruncate` 8.
pub(crate) fn base32_sha256(text: &str, len: usize) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(len);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in digest.iter() {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            let index = ((buffer >> bits) & 31) as usize;
            out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
        }
        if out.len() >= len {
            break;
        }
    }
    out
}

/// `portProtoHash`: base32 of SHA-256, first 16 characters.
fn hash16(text: &str) -> String {
    base32_sha256(text, 16)
}

/// The per-service-port chain of `prefix` (`KUBE-SVC-`, `KUBE-SVL-`, `KUBE-EXT-`, `KUBE-FW-`).
pub fn service_chain(prefix: &str, service_port: &str, protocol: &str) -> String {
    format!("{prefix}{}", hash16(&format!("{service_port}{protocol}")))
}

/// The endpoint chain (`servicePortEndpointChainName`).
pub fn endpoint_chain(service_port: &str, protocol: &str, endpoint: &str) -> String {
    format!(
        "KUBE-SEP-{}",
        hash16(&format!("{service_port}{protocol}{endpoint}"))
    )
}

/// `probability(n)`: Go's `%0.10f` of the float64 1/n, as kube-proxy writes it.
///
/// Computed with integers so that the browser build carries no float formatting code: the
/// digits of 1/n rounded to ten places, where only an exact tie of the rational value can be
/// decided differently by the float64 (which is then compared exactly with 1/n, and an exact
/// float tie goes to the even digit, as Go's and Rust's correctly rounded formatting do).
/// `tests/proxy.rs` checks it against Rust's `{:.10}` for every n up to 200,000.
pub fn probability(n: usize) -> String {
    const SCALE: u128 = 10_000_000_000;
    let n = n.max(1) as u128;
    let (mut digits, rest) = (SCALE / n, SCALE % n);
    let up = match (2 * rest).cmp(&n) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            // The float64 d = m * 2^-shift against 1/n: compare m * n with 2^shift.
            let bits = (1.0 / n as f64).to_bits();
            let exponent = ((bits >> 52) & 0x7ff) as u32;
            let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
            let shift = 1075u32.saturating_sub(exponent);
            match mantissa
                .checked_mul(n)
                .zip(1u128.checked_shl(shift))
                .map(|(product, power)| product.cmp(&power))
            {
                Some(std::cmp::Ordering::Greater) => true,
                Some(std::cmp::Ordering::Less) => false,
                _ => digits % 2 == 1,
            }
        }
    };
    if up {
        digits += 1;
    }
    // u64 halves: formatting a u128 would add its own code to the wasm.
    let (whole, fraction) = ((digits / SCALE) as u64, (digits % SCALE) as u64);
    format!("{whole}.{fraction:010}")
}

pub(crate) fn service_ports(service: &Service) -> Vec<ServicePort> {
    let spec = &service.spec;
    // ShouldSkipService: headless and ExternalName Services get no rules.
    let cluster_ip = spec.cluster_ip.clone().unwrap_or_default();
    if is_headless(spec) || cluster_ip.is_empty() || spec.type_.as_deref() == Some("ExternalName") {
        return Vec::new();
    }
    let load_balancer_ips: Vec<String> = if spec.type_.as_deref() == Some("LoadBalancer") {
        service
            .load_balancer_ingress
            .iter()
            .filter_map(|ingress| ingress.ip.clone())
            .collect()
    } else {
        Vec::new()
    };
    let external_local = spec.external_traffic_policy.as_deref() == Some("Local");
    let needs_health_check = spec.type_.as_deref() == Some("LoadBalancer") && external_local;
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
                external_ips: spec.external_ips.clone(),
                load_balancer_ips: load_balancer_ips.clone(),
                source_ranges: spec
                    .load_balancer_source_ranges
                    .iter()
                    .map(|range| range.trim().to_owned())
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
    let mut found: BTreeMap<String, ProxyEndpoint> = BTreeMap::new();
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
            let address = format!("{ip}:{}", port.port);
            found.entry(address.clone()).or_insert(ProxyEndpoint {
                address,
                ip: ip.clone(),
                ready: endpoint.ready,
                serving: endpoint.serving,
                terminating: endpoint.terminating,
                local: endpoint.node_name.as_deref() == Some(node_name),
            });
        }
    }
    found.into_values().collect()
}

/// `CategorizeEndpoints` without topology: (cluster, local, all reachable, has any).
pub(crate) fn categorize(
    endpoints: &[ProxyEndpoint],
    port: &ServicePort,
) -> (
    Vec<ProxyEndpoint>,
    Vec<ProxyEndpoint>,
    Vec<ProxyEndpoint>,
    bool,
) {
    let mut has_any = false;
    let mut cluster = Vec::new();
    if port.uses_cluster_endpoints() {
        cluster = endpoints.iter().filter(|ep| ep.ready).cloned().collect();
        if cluster.is_empty() {
            cluster = endpoints
                .iter()
                .filter(|ep| ep.serving && ep.terminating)
                .cloned()
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
    let local: Vec<ProxyEndpoint> = if local_ready {
        endpoints
            .iter()
            .filter(|ep| ep.local && ep.ready)
            .cloned()
            .collect()
    } else if local_terminating {
        endpoints
            .iter()
            .filter(|ep| ep.local && ep.serving && ep.terminating)
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    if !port.uses_cluster_endpoints() {
        return (cluster, local.clone(), local, has_any);
    }
    if !local_terminating || local_ready {
        return (cluster.clone(), local, cluster, has_any);
    }
    let mut all: BTreeMap<String, ProxyEndpoint> = BTreeMap::new();
    for ep in cluster.iter().chain(&local) {
        all.insert(ep.address.clone(), ep.clone());
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

/// The comment argument kube-proxy writes: quoted when it has spaces.
fn comment(text: &str) -> String {
    if text.contains(' ') {
        format!("-m comment --comment \"{text}\"")
    } else {
        format!("-m comment --comment {text}")
    }
}

/// Builds the rules kube-proxy's iptables mode writes on `config.node_name` for `services`
/// and their `slices`.
pub fn iptables_rules(
    services: &[&Service],
    slices: &[&SimEndpointSlice],
    config: &ProxyConfig,
) -> IptablesRules {
    let mut filter = Table::default();
    let mut nat = Table::default();
    for chain in [
        "KUBE-SERVICES",
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-FORWARD",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-FIREWALL",
    ] {
        filter.chain(chain);
    }
    for chain in [
        "KUBE-SERVICES",
        "KUBE-NODEPORTS",
        "KUBE-POSTROUTING",
        "KUBE-MARK-MASQ",
    ] {
        nat.chain(chain);
    }
    let mark = format!("{MASQUERADE_MARK}/{MASQUERADE_MARK}");
    nat.rule(
        "KUBE-POSTROUTING",
        &format!("-m mark ! --mark {mark} -j RETURN"),
    );
    nat.rule(
        "KUBE-POSTROUTING",
        &format!("-j MARK --xor-mark {MASQUERADE_MARK}"),
    );
    nat.rule(
        "KUBE-POSTROUTING",
        &format!(
            "{} -j MASQUERADE{}",
            comment("kubernetes service traffic requiring SNAT"),
            if config.random_fully {
                " --random-fully"
            } else {
                ""
            }
        ),
    );
    nat.rule(
        "KUBE-MARK-MASQ",
        &format!("-j MARK --or-mark {MASQUERADE_MARK}"),
    );
    // Localhost NodePorts (route_localnet): block martian localnet traffic.
    filter.chain("KUBE-FIREWALL");
    filter.rule(
        "KUBE-FIREWALL",
        &format!(
            "{} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
            comment("block incoming localnet connections")
        ),
    );
    let if_local = config
        .cluster_cidr
        .as_ref()
        .map(|cidr| format!("-s {cidr}"));
    let if_not_local = config
        .cluster_cidr
        .as_ref()
        .map(|cidr| format!("! -s {cidr}"));

    // The slices of each Service (`kubernetes.io/service-name`).
    let mut by_service: BTreeMap<(&str, &str), Vec<&SimEndpointSlice>> = BTreeMap::new();
    for slice in slices {
        by_service
            .entry((slice.namespace.as_str(), slice.service.as_str()))
            .or_default()
            .push(slice);
    }
    for service in services {
        let own = by_service
            .get(&(service.meta.namespace.as_str(), service.meta.name.as_str()))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for port in service_ports(service) {
            let port_name = slice_port_name(service, &port);
            let endpoints = endpoints_for(port_name, &port.protocol, own, &config.node_name);
            write_service_port(
                &port,
                &endpoints,
                config,
                &mut filter,
                &mut nat,
                if_local.as_deref(),
                if_not_local.as_deref(),
            );
        }
    }

    nat.rule(
        "KUBE-SERVICES",
        &format!(
            "{} -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
            comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
        ),
    );
    filter.rule(
        "KUBE-FORWARD",
        "-m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP",
    );
    filter.rule(
        "KUBE-FORWARD",
        &format!(
            "{} -m mark --mark {mark} -j ACCEPT",
            comment("kubernetes forwarding rules")
        ),
    );
    filter.rule(
        "KUBE-FORWARD",
        &format!(
            "{} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            comment("kubernetes forwarding conntrack rule")
        ),
    );
    IptablesRules { filter, nat }
}

#[allow(clippy::too_many_arguments)]
fn write_service_port(
    port: &ServicePort,
    endpoints: &[ProxyEndpoint],
    config: &ProxyConfig,
    filter: &mut Table,
    nat: &mut Table,
    if_local: Option<&str>,
    if_not_local: Option<&str>,
) {
    let name = &port.name;
    let protocol = &port.protocol;
    let (cluster, local, reachable, has_endpoints) = categorize(endpoints, port);
    let cluster_chain = service_chain("KUBE-SVC-", name, protocol);
    let local_chain = service_chain("KUBE-SVL-", name, protocol);
    let external_chain = service_chain("KUBE-EXT-", name, protocol);
    let firewall_chain = service_chain("KUBE-FW-", name, protocol);
    let uses_cluster_chain = !cluster.is_empty() && port.uses_cluster_endpoints();
    let uses_local_chain = !local.is_empty() && port.uses_local_endpoints();

    let mut internal_chain = &cluster_chain;
    let mut has_internal = has_endpoints;
    if port.internal_local {
        internal_chain = &local_chain;
        has_internal = has_internal && !local.is_empty();
    }
    let mut external_policy_chain = &cluster_chain;
    let mut has_external = has_endpoints;
    if port.external_policy_local() {
        external_policy_chain = &local_chain;
        has_external = has_external && !local.is_empty();
    }
    let uses_external_chain = has_endpoints && port.externally_accessible();
    let uses_firewall =
        has_endpoints && !port.load_balancer_ips.is_empty() && !port.source_ranges.is_empty();
    let load_balancer_chain = if uses_firewall {
        &firewall_chain
    } else {
        &external_chain
    };

    let (internal_target, internal_comment, external_target, external_comment) = if !has_endpoints {
        let text = format!("{name} has no endpoints");
        ("REJECT", text.clone(), "REJECT", text)
    } else {
        let text = format!("{name} has no local endpoints");
        ("DROP", text.clone(), "DROP", text)
    };
    let matcher = format!("-m {protocol} -p {protocol}");

    // The ClusterIP.
    if has_internal {
        nat.rule(
            "KUBE-SERVICES",
            &format!(
                "{} {matcher} -d {} --dport {} -j {internal_chain}",
                comment(&format!("{name} cluster IP")),
                port.cluster_ip,
                port.port
            ),
        );
    } else {
        filter.rule(
            "KUBE-SERVICES",
            &format!(
                "{} {matcher} -d {} --dport {} -j {internal_target}",
                comment(&internal_comment),
                port.cluster_ip,
                port.port
            ),
        );
    }
    // External IPs.
    for ip in &port.external_ips {
        if has_endpoints {
            nat.rule(
                "KUBE-SERVICES",
                &format!(
                    "{} {matcher} -d {ip} --dport {} -j {external_chain}",
                    comment(&format!("{name} external IP")),
                    port.port
                ),
            );
        }
        if !has_external {
            filter.rule(
                "KUBE-EXTERNAL-SERVICES",
                &format!(
                    "{} {matcher} -d {ip} --dport {} -j {external_target}",
                    comment(&external_comment),
                    port.port
                ),
            );
        }
    }
    // LoadBalancer IPs.
    for ip in &port.load_balancer_ips {
        if has_endpoints {
            nat.rule(
                "KUBE-SERVICES",
                &format!(
                    "{} {matcher} -d {ip} --dport {} -j {load_balancer_chain}",
                    comment(&format!("{name} loadbalancer IP")),
                    port.port
                ),
            );
        }
        if uses_firewall {
            filter.rule(
                "KUBE-PROXY-FIREWALL",
                &format!(
                    "{} {matcher} -d {ip} --dport {} -j DROP",
                    comment(&format!("{name} traffic not accepted by {firewall_chain}")),
                    port.port
                ),
            );
        }
    }
    if !has_external {
        for ip in &port.load_balancer_ips {
            filter.rule(
                "KUBE-EXTERNAL-SERVICES",
                &format!(
                    "{} {matcher} -d {ip} --dport {} -j {external_target}",
                    comment(&external_comment),
                    port.port
                ),
            );
        }
    }
    // NodePorts (localhost NodePorts are on for IPv4 by default).
    if port.node_port != 0 {
        if has_endpoints {
            nat.rule(
                "KUBE-NODEPORTS",
                &format!(
                    "{} {matcher} -d 127.0.0.0/8 --dport {} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j {external_chain}",
                    comment(name),
                    port.node_port
                ),
            );
            nat.rule(
                "KUBE-NODEPORTS",
                &format!(
                    "{} {matcher} --dport {} -j {external_chain}",
                    comment(name),
                    port.node_port
                ),
            );
        }
        if !has_external {
            filter.rule(
                "KUBE-EXTERNAL-SERVICES",
                &format!(
                    "{} -m addrtype --dst-type LOCAL {matcher} --dport {} -j {external_target}",
                    comment(&external_comment),
                    port.node_port
                ),
            );
        }
    }
    // Health check NodePort.
    if port.health_check_node_port != 0 {
        filter.rule(
            "KUBE-NODEPORTS",
            &format!(
                "{} -m tcp -p tcp --dport {} -j ACCEPT",
                comment(&format!("{name} health check node port")),
                port.health_check_node_port
            ),
        );
    }
    // Internal traffic: masquerade off-cluster sources.
    if has_internal {
        let args = format!(
            "{} {matcher} -d {} --dport {}",
            comment(&format!("{name} cluster IP")),
            port.cluster_ip,
            port.port
        );
        if config.masquerade_all {
            nat.rule(internal_chain, &format!("{args} -j KUBE-MARK-MASQ"));
        } else if let Some(not_local) = if_not_local {
            nat.rule(
                internal_chain,
                &format!("{args} {not_local} -j KUBE-MARK-MASQ"),
            );
        }
    }
    // External traffic.
    if uses_external_chain {
        nat.chain(&external_chain);
        if !port.external_policy_local() {
            nat.rule(
                &external_chain,
                &format!(
                    "{} -j KUBE-MARK-MASQ",
                    comment(&format!(
                        "masquerade traffic for {name} external destinations"
                    ))
                ),
            );
        } else {
            if let Some(local_source) = if_local {
                nat.rule(
                    &external_chain,
                    &format!(
                        "{} {local_source} -j {cluster_chain}",
                        comment(&format!("pod traffic for {name} external destinations"))
                    ),
                );
            }
            nat.rule(
                &external_chain,
                &format!(
                    "{} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                    comment(&format!(
                        "masquerade LOCAL traffic for {name} external destinations"
                    ))
                ),
            );
            nat.rule(
                &external_chain,
                &format!(
                    "{} -m addrtype --src-type LOCAL -j {cluster_chain}",
                    comment(&format!(
                        "route LOCAL traffic for {name} external destinations"
                    ))
                ),
            );
        }
        if has_external {
            nat.rule(&external_chain, &format!("-j {external_policy_chain}"));
        }
    }
    // The LoadBalancer firewall.
    if uses_firewall {
        nat.chain(&firewall_chain);
        let lead = comment(&format!("{name} loadbalancer IP"));
        let mut allow_from_node = false;
        for range in &port.source_ranges {
            nat.rule(
                &firewall_chain,
                &format!("{lead} -s {range} -j {external_chain}"),
            );
            allow_from_node |= config.node_ips.iter().any(|ip| {
                ip.parse()
                    .is_ok_and(|ip| Ipv4Cidr::text_contains(range, ip))
            });
        }
        if allow_from_node {
            for ip in &port.load_balancer_ips {
                nat.rule(
                    &firewall_chain,
                    &format!("{lead} -s {ip} -j {external_chain}"),
                );
            }
        }
        nat.rule(
            &firewall_chain,
            &comment(&format!(
                "other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL"
            )),
        );
    }
    if uses_cluster_chain {
        nat.chain(&cluster_chain);
        write_endpoint_rules(nat, port, &cluster_chain, &cluster);
    }
    if uses_local_chain {
        nat.chain(&local_chain);
        write_endpoint_rules(nat, port, &local_chain, &local);
    }
    for endpoint in &reachable {
        let chain = endpoint_chain(name, protocol, &endpoint.address);
        nat.chain(&chain);
        nat.rule(
            &chain,
            &format!("{} -s {} -j KUBE-MARK-MASQ", comment(name), endpoint.ip),
        );
        let affinity = if port.affinity_seconds.is_some() {
            format!(" -m recent --name {chain} --set")
        } else {
            String::new()
        };
        nat.rule(
            &chain,
            &format!(
                "{}{affinity} {matcher} -j DNAT --to-destination {}",
                comment(name),
                endpoint.address
            ),
        );
    }
}

/// `writeServiceToEndpointRules`: affinity checks, then one rule per endpoint with the
/// probability 1/(n-i) of taking it among those left.
fn write_endpoint_rules(
    nat: &mut Table,
    port: &ServicePort,
    chain: &str,
    endpoints: &[ProxyEndpoint],
) {
    if let Some(seconds) = port.affinity_seconds {
        for endpoint in endpoints {
            let target = endpoint_chain(&port.name, &port.protocol, &endpoint.address);
            nat.rule(
                chain,
                &format!(
                    "{} -m recent --name {target} --rcheck --seconds {seconds} --reap -j {target}",
                    comment(&format!("{} -> {}", port.name, endpoint.address))
                ),
            );
        }
    }
    let count = endpoints.len();
    for (index, endpoint) in endpoints.iter().enumerate() {
        let target = endpoint_chain(&port.name, &port.protocol, &endpoint.address);
        let statistic = if index + 1 < count {
            format!(
                " -m statistic --mode random --probability {}",
                probability(count - index)
            )
        } else {
            String::new()
        };
        nat.rule(
            chain,
            &format!(
                "{}{statistic} -j {target}",
                comment(&format!("{} -> {}", port.name, endpoint.address))
            ),
        );
    }
}

/// The value of a rule's `--comment`, for sorting.
fn comment_value(rule: &str) -> &str {
    let Some(rest) = rule.split_once("--comment ").map(|(_, rest)| rest) else {
        return "";
    };
    if let Some(quoted) = rest.strip_prefix('"') {
        quoted.split('"').next().unwrap_or("")
    } else {
        rest.split(' ').next().unwrap_or("")
    }
}

impl IptablesRules {
    /// `iptables-save` text in upstream's canonical test order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for (name, table) in [("filter", &self.filter), ("nat", &self.nat)] {
            out.push_str(&format!("*{name}\n"));
            let mut chains: Vec<&String> = table.chains.iter().collect();
            let rank = |chain: &str| match chain {
                "KUBE-NODEPORTS" => 0,
                "KUBE-SERVICES" => 1,
                _ if chain.starts_with("KUBE-") => 2,
                _ => 3,
            };
            super::order::sort_by(&mut chains, |a, b| {
                rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
            });
            for chain in &chains {
                out.push_str(&format!(":{chain} - [0:0]\n"));
            }
            let mut by_chain: StableMap<&str, Vec<&String>> = StableMap::default();
            for (owner, line) in &table.rules {
                by_chain.entry(owner.as_str()).or_default().push(line);
            }
            for chain in &chains {
                let mut rules: Vec<&String> = by_chain.remove(chain.as_str()).unwrap_or_default();
                if chain.as_str() == "KUBE-NODEPORTS" {
                    super::order::sort_by(&mut rules, |a, b| {
                        comment_value(a).cmp(comment_value(b))
                    });
                } else if chain.as_str() == "KUBE-SERVICES" {
                    let last = |rule: &str| {
                        comment_value(rule).starts_with("kubernetes service nodeports")
                    };
                    super::order::sort_by(&mut rules, |a, b| {
                        last(a)
                            .cmp(&last(b))
                            .then_with(|| comment_value(a).cmp(comment_value(b)))
                    });
                }
                for rule in rules {
                    out.push_str(rule);
                    out.push('\n');
                }
            }
            out.push_str("COMMIT\n");
        }
        out
    }

    /// The chains of the `nat` table, for the trace and the UI.
    pub fn nat_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.nat
            .rules
            .iter()
            .map(|(chain, line)| (chain.as_str(), line.as_str()))
    }

    /// The chains of the `filter` table.
    pub fn filter_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        self.filter
            .rules
            .iter()
            .map(|(chain, line)| (chain.as_str(), line.as_str()))
    }

    /// Every chain name of both tables.
    pub fn chain_names(&self) -> BTreeSet<&str> {
        self.filter
            .chains
            .iter()
            .chain(&self.nat.chains)
            .map(String::as_str)
            .collect()
    }
}
