//! kube-proxy's nftables mode: the `ip kube-proxy` table its `syncProxyRules` builds on one
//! node, from the Services and EndpointSlices (kubernetes `pkg/proxy/nftables/proxier.go` as
//! of Kubernetes 1.34: `setupNFTables`, `syncProxyRules`, `writeServiceToEndpointRules`, with
//! the endpoint categorisation the iptables mode shares, [`crate::sim::proxy::iptables`]).
//!
//! The table is kept as its objects in the order a first full sync creates them (the fixed
//! chains, sets and maps of `setupNFTables`, then each Service port in the canonical order of
//! upstream's tests; kube-proxy itself walks Services in Go's random map order). Two
//! renderings:
//!
//! - [`NftTable::render_dump`]: knftables' `Fake.Dump()` (`add table`, `add chain`, `add set`,
//!   `add map`, then every `add rule` and `add element`), the form upstream's
//!   `TestOverallNFTablesRules` compares and the input `nft -f` takes;
//! - [`NftTable::render_list`]: `nft list table ip kube-proxy` as nft 1.0.6 (Debian 12) prints
//!   it: sets and maps, then chains, in creation order; set elements sorted by value, as nft
//!   sorts them; base chain priorities by name where nft names them; `tests/nftables.rs` loads
//!   the dump into a real nft in a network namespace and checks the listing byte for byte.
//!
//! The IPv6 proxier writes the `ip6 kube-proxy` table: the same rules with the proxier's `ipX`
//! (`ip6`) and `ipvX_addr` (`ipv6_addr`). Topology (hints, PreferClose) applies through the
//! modes' shared endpoint selection ([`categorize`]).
//!
//! Not modelled: `--nodeport-addresses` other than the node's own IPs (the nftables mode's
//! default, "primary"), and partial syncs.

use crate::sim::proxy::shared::{
    base32_sha256, categorize, endpoints_for, service_ports, slice_port_name, ProxyConfig,
    ProxyEndpoint, ServicePort, MASQUERADE_MARK,
};
use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::sim::config::{StableMap, WordMap, WordSet};
use crate::sim::control::endpoints::SimEndpointSlice;
use crate::sim::input::field::GoQuoted;
use crate::sim::input::objects::Service;

/// The table's family and name (the IPv4 proxier's).
pub const TABLE: &str = "ip kube-proxy";

/// The IPv6 proxier's table.
pub const TABLE6: &str = "ip6 kube-proxy";

/// A base chain's hook (`type TYPE hook HOOK priority N`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct BaseChain {
    kind: &'static str,
    hook: &'static str,
    priority: i32,
}

/// A rule: its text as kube-proxy writes it, and its comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NftRule {
    /// The rule as knftables passes it to nft (without the comment).
    pub text: String,
    /// `comment "..."`, if any.
    pub comment: Option<String>,
}

/// A set or map element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NftElement {
    /// The key's parts (`ip . proto . port`).
    pub key: Vec<String>,
    /// The verdict of a map element.
    pub value: Option<String>,
    /// The element's comment.
    pub comment: Option<String>,
}

/// What an object of the table is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Body {
    Chain {
        base: Option<BaseChain>,
        rules: Vec<NftRule>,
    },
    Set {
        map: bool,
        key_type: String,
        flags: Option<&'static str>,
        timeout: Option<i64>,
        elements: Vec<NftElement>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Object {
    name: String,
    comment: Option<String>,
    body: Body,
}

/// The `ip kube-proxy` table of one node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NftTable {
    objects: Vec<Object>,
    index: WordMap<String, usize>,
    /// (set, key) of every element, for `ensureElem`'s one element per key.
    keys: WordSet<(usize, Vec<String>)>,
    /// The IPv6 proxier's table (`ip6 kube-proxy`): its rules say `ip6 daddr` where the IPv4
    /// proxier's say `ip daddr`, and its sets hold `ipv6_addr` (the proxier's `ipX` and
    /// `ipvX_addr`).
    v6: bool,
}

impl NftTable {
    /// The table's family and name: `ip kube-proxy` or `ip6 kube-proxy`.
    pub fn name(&self) -> &'static str {
        if self.v6 {
            TABLE6
        } else {
            TABLE
        }
    }

    /// The proxier's `ipX`: the family word of its address matches (`ip daddr`, `ip6 daddr`).
    fn ip_x(&self) -> &'static str {
        if self.v6 {
            "ip6"
        } else {
            "ip"
        }
    }

    /// The proxier's `ipvX_addr`: the address type of its sets and maps.
    fn ipv_x_addr(&self) -> &'static str {
        if self.v6 {
            "ipv6_addr"
        } else {
            "ipv4_addr"
        }
    }

    /// Adds an object unless one of that name exists; its position either way.
    fn add(&mut self, name: &str, comment: Option<&str>, body: Body) -> usize {
        if let Some(index) = self.index.get(name) {
            return *index;
        }
        self.index.insert(name.to_owned(), self.objects.len());
        self.objects.push(Object {
            name: name.to_owned(),
            comment: comment.map(str::to_owned),
            body,
        });
        self.objects.len() - 1
    }

    fn chain(&mut self, name: &str) -> usize {
        self.add(
            name,
            None,
            Body::Chain {
                base: None,
                rules: Vec::new(),
            },
        )
    }

    /// Appends a rule to the chain at `index` (from [`NftTable::chain`]).
    fn rule_at(&mut self, index: usize, text: String) {
        if let Some(Object {
            body: Body::Chain { rules, .. },
            ..
        }) = self.objects.get_mut(index)
        {
            rules.push(NftRule {
                text,
                comment: None,
            });
        }
    }

    fn set(&mut self, name: &str, key_type: &str, comment: &str) {
        self.add(
            name,
            Some(comment),
            Body::Set {
                map: false,
                key_type: key_type.to_owned(),
                flags: None,
                timeout: None,
                elements: Vec::new(),
            },
        );
    }

    fn map(&mut self, name: &str, key_type: &str, comment: &str) {
        self.add(
            name,
            Some(comment),
            Body::Set {
                map: true,
                key_type: format!("{key_type} : verdict"),
                flags: None,
                timeout: None,
                elements: Vec::new(),
            },
        );
    }

    fn object_mut(&mut self, name: &str) -> Option<&mut Object> {
        let index = *self.index.get(name)?;
        self.objects.get_mut(index)
    }

    fn rule(&mut self, chain: &str, text: String) {
        self.rule_with(chain, text, None);
    }

    fn rule_with(&mut self, chain: &str, text: String, comment: Option<&str>) {
        if let Some(Object {
            body: Body::Chain { rules, .. },
            ..
        }) = self.object_mut(chain)
        {
            rules.push(NftRule {
                text,
                comment: comment.map(str::to_owned),
            });
        }
    }

    fn element(
        &mut self,
        set: &str,
        key: Vec<String>,
        value: Option<String>,
        comment: Option<&str>,
    ) {
        let Some(index) = self.index.get(set).copied() else {
            return;
        };
        // nftElementStorage.ensureElem: one element per key.
        if !self.keys.insert((index, key.clone())) {
            return;
        }
        if let Some(Object {
            body: Body::Set { elements, .. },
            ..
        }) = self.objects.get_mut(index)
        {
            elements.push(NftElement {
                key,
                value,
                comment: comment.map(str::to_owned),
            });
        }
    }

    /// The rules of `chain`, in order (empty for an unknown chain).
    pub fn rules(&self, chain: &str) -> &[NftRule] {
        match self
            .index
            .get(chain)
            .and_then(|index| self.objects.get(*index))
        {
            Some(Object {
                body: Body::Chain { rules, .. },
                ..
            }) => rules,
            _ => &[],
        }
    }

    /// The elements of set or map `name` (empty for an unknown one).
    pub fn elements(&self, name: &str) -> &[NftElement] {
        match self
            .index
            .get(name)
            .and_then(|index| self.objects.get(*index))
        {
            Some(Object {
                body: Body::Set { elements, .. },
                ..
            }) => elements,
            _ => &[],
        }
    }

    /// Every chain's name, in creation order.
    pub fn chain_names(&self) -> impl Iterator<Item = &str> {
        self.objects.iter().filter_map(|object| match object.body {
            Body::Chain { .. } => Some(object.name.as_str()),
            Body::Set { .. } => None,
        })
    }
}

/// `hashAndTruncate`: the first 8 characters of the name's hash, a dash, the name, cut to 240
/// characters (`knftables.NameLengthMax` 256 less the longest prefix) with `...`.
fn hash_and_truncate(name: &str) -> String {
    const MAX: usize = 256 - 16;
    let mut out = format!("{}-{name}", base32_sha256(name, 8));
    if out.len() > MAX {
        // Names are ASCII (DNS labels, IPs, digits); cut on a character boundary anyway.
        let mut cut = MAX - 3;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("...");
    }
    out
}

/// A service port's parts: namespace, name and port name (`ns/name:port` or `ns/name`).
fn port_parts(port: &ServicePort) -> (&str, &str, &str) {
    let (namespace, rest) = port.name.split_once('/').unwrap_or(("", &port.name));
    let (name, port_name) = rest.split_once(':').unwrap_or((rest, ""));
    (namespace, name, port_name)
}

/// `servicePortChainNameBase`: `HASH-namespace/name/protocol/port`.
pub(crate) fn service_chain_base(port: &ServicePort) -> String {
    let (namespace, name, port_name) = port_parts(port);
    hash_and_truncate(&format!("{namespace}/{name}/{}/{port_name}", port.protocol))
}

/// `servicePortEndpointChainNameBase`: `HASH-namespace/name/protocol/port__ip/port`.
fn endpoint_chain_base(port: &ServicePort, endpoint: &ProxyEndpoint) -> String {
    let (namespace, name, port_name) = port_parts(port);
    let endpoint_port = endpoint
        .address
        .rsplit_once(':')
        .map(|(_, port)| port)
        .unwrap_or("");
    hash_and_truncate(&format!(
        "{namespace}/{name}/{}/{port_name}__{}/{endpoint_port}",
        port.protocol,
        endpoint.ip.replace(':', ".")
    ))
}

/// The chain base of each endpoint of a service port, hashed once.
struct EndpointBases<'a> {
    bases: Vec<(&'a str, String)>,
}

impl<'a> EndpointBases<'a> {
    fn new(port: &ServicePort, endpoints: &[&'a ProxyEndpoint]) -> Self {
        let mut bases: Vec<(&str, String)> = endpoints
            .iter()
            .map(|endpoint| {
                (
                    endpoint.address.as_str(),
                    endpoint_chain_base(port, endpoint),
                )
            })
            .collect();
        crate::small::order::sort_by(&mut bases, |a, b| a.0.cmp(b.0));
        bases.dedup_by(|a, b| a.0 == b.0);
        EndpointBases { bases }
    }
    fn base(&self, port: &ServicePort, endpoint: &ProxyEndpoint) -> std::borrow::Cow<'_, str> {
        match self
            .bases
            .binary_search_by(|(address, _)| (*address).cmp(endpoint.address.as_str()))
        {
            Ok(found) => self
                .bases
                .get(found)
                .map(|(_, base)| std::borrow::Cow::Borrowed(base.as_str()))
                .unwrap_or_default(),
            Err(_) => std::borrow::Cow::Owned(endpoint_chain_base(port, endpoint)),
        }
    }
    fn chain(&self, port: &ServicePort, endpoint: &ProxyEndpoint) -> String {
        format!("endpoint-{}", self.base(port, endpoint))
    }
    fn affinity(&self, port: &ServicePort, endpoint: &ProxyEndpoint) -> String {
        format!("affinity-{}", self.base(port, endpoint))
    }
}

const PORT_KEY: &str = "inet_proto . inet_service";

/// The base chains, in `nftablesBaseChains` order: filter chains before DNAT (priority
/// dstnat - 10) for the firewall, filter chains at priority filter for the no-endpoint and
/// ClusterIP checks, and the nat chains.
const BASE_CHAINS: [(&str, &str, &str, i32); 8] = [
    ("filter-prerouting-pre-dnat", "filter", "prerouting", -110),
    ("filter-output-pre-dnat", "filter", "output", -110),
    ("filter-input", "filter", "input", 0),
    ("filter-forward", "filter", "forward", 0),
    ("filter-output", "filter", "output", 0),
    ("nat-prerouting", "nat", "prerouting", -100),
    ("nat-output", "nat", "output", -100),
    ("nat-postrouting", "nat", "postrouting", 100),
];

/// `nftablesJumpChains`: (chain, from, condition).
const JUMP_CHAINS: [(&str, &str, &str); 11] = [
    ("nodeport-endpoints-check", "filter-input", "ct state new"),
    ("service-endpoints-check", "filter-input", "ct state new"),
    ("service-endpoints-check", "filter-forward", "ct state new"),
    ("service-endpoints-check", "filter-output", "ct state new"),
    (
        "firewall-check",
        "filter-prerouting-pre-dnat",
        "ct state new",
    ),
    ("firewall-check", "filter-output-pre-dnat", "ct state new"),
    ("services", "nat-output", ""),
    ("services", "nat-prerouting", ""),
    ("masquerading", "nat-postrouting", ""),
    ("cluster-ips-check", "filter-forward", "ct state new"),
    ("cluster-ips-check", "filter-output", "ct state new"),
];

/// `setupNFTables`: the table's fixed chains, sets, maps and rules.
fn setup(table: &mut NftTable, config: &ProxyConfig) {
    for (name, kind, hook, priority) in BASE_CHAINS {
        table.add(
            name,
            None,
            Body::Chain {
                base: Some(BaseChain {
                    kind,
                    hook,
                    priority,
                }),
                rules: Vec::new(),
            },
        );
    }
    for (chain, from, condition) in JUMP_CHAINS {
        table.chain(chain);
        let text = if condition.is_empty() {
            format!("jump {chain}")
        } else {
            format!("{condition} jump {chain}")
        };
        table.rule(from, text);
    }
    for chain in [
        "services",
        "cluster-ips-check",
        "masquerading",
        "mark-for-masquerade",
    ] {
        table.chain(chain);
    }
    table.rule(
        "mark-for-masquerade",
        format!("mark set mark or {MASQUERADE_MARK}"),
    );
    table.rule(
        "masquerading",
        format!("mark and {MASQUERADE_MARK} == 0 return"),
    );
    table.rule(
        "masquerading",
        format!("mark set mark xor {MASQUERADE_MARK}"),
    );
    table.rule("masquerading", "masquerade fully-random".to_owned());

    // kube-proxy's `ipX` and `ipvX_addr`: the family's spelling of addresses and their type.
    let (ip, addr) = (table.ip_x(), table.ipv_x_addr());
    let key = format!("{addr} . inet_proto . inet_service");
    table.set("cluster-ips", addr, "Active ClusterIPs");
    table.rule_with(
        "cluster-ips-check",
        format!("{ip} daddr @cluster-ips reject"),
        Some("Reject traffic to invalid ports of ClusterIPs"),
    );
    if let Some(cidrs) = config
        .service_cidr
        .as_deref()
        .filter(|cidrs| !cidrs.is_empty())
    {
        table.rule_with(
            "cluster-ips-check",
            format!("{ip} daddr {{ {cidrs} }} drop"),
            Some("Drop traffic to unallocated ClusterIPs"),
        );
    }
    // --nodeport-addresses "primary" (the nftables mode's default): the node's own IPs.
    table.set("nodeport-ips", addr, "IPs that accept NodePort traffic");
    for ip in &config.node_ips {
        if !ip.starts_with("127.") {
            table.element("nodeport-ips", vec![ip.clone()], None, None);
        }
    }
    table.map(
        "no-endpoint-services",
        &key,
        "vmap to drop or reject packets to services with no endpoints",
    );
    table.map(
        "no-endpoint-nodeports",
        PORT_KEY,
        "vmap to drop or reject packets to service nodeports with no endpoints",
    );
    table.add(
        "reject-chain",
        Some("helper for @no-endpoint-services / @no-endpoint-nodeports"),
        Body::Chain {
            base: None,
            rules: Vec::new(),
        },
    );
    table.rule("reject-chain", "reject".to_owned());
    table.rule(
        "service-endpoints-check",
        format!("{ip} daddr . meta l4proto . th dport vmap @no-endpoint-services"),
    );
    table.rule(
        "nodeport-endpoints-check",
        format!("{ip} daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports"),
    );
    table.map(
        "firewall-ips",
        &key,
        "destinations that are subject to LoadBalancerSourceRanges",
    );
    table.rule(
        "firewall-check",
        format!("{ip} daddr . meta l4proto . th dport vmap @firewall-ips"),
    );
    table.map(
        "service-ips",
        &key,
        "ClusterIP, ExternalIP and LoadBalancer IP traffic",
    );
    table.map("service-nodeports", PORT_KEY, "NodePort traffic");
    table.rule(
        "services",
        format!("{ip} daddr . meta l4proto . th dport vmap @service-ips"),
    );
    table.rule(
        "services",
        format!("{ip} daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports"),
    );
}

/// Builds the `ip kube-proxy` table kube-proxy's nftables mode writes on `config.node_name`.
pub fn nftables_rules(
    services: &[&Service],
    slices: &[&SimEndpointSlice],
    config: &ProxyConfig,
) -> NftTable {
    let mut table = NftTable {
        v6: config.family == crate::sim::config::Family::V6,
        ..NftTable::default()
    };
    setup(&mut table, config);
    let mut by_service: StableMap<(&str, &str), Vec<&SimEndpointSlice>> = StableMap::default();
    // The proxier of one family reads only the slices of its `addressType`.
    for slice in slices
        .iter()
        .filter(|slice| slice.address_type == config.family.name())
    {
        by_service
            .entry((slice.namespace.as_str(), slice.service.as_str()))
            .or_default()
            .push(slice);
    }
    // Upstream's tests sort the transaction; here Service ports go in name order.
    let mut ports: Vec<(ServicePort, &Service)> = Vec::new();
    for service in services {
        for port in service_ports(service, config.family) {
            ports.push((port, service));
        }
    }
    crate::small::order::sort_by(&mut ports, |a, b| {
        a.0.name
            .cmp(&b.0.name)
            .then(a.0.protocol.cmp(&b.0.protocol))
    });
    for (port, service) in &ports {
        let own = by_service
            .get(&(service.meta.namespace.as_str(), service.meta.name.as_str()))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let endpoints = endpoints_for(
            slice_port_name(service, port),
            &port.protocol,
            own,
            &config.node_name,
        );
        write_service_port(&mut table, port, &endpoints, config);
    }
    table
}

fn goto(chain: &str) -> Option<String> {
    Some(format!("goto {chain}"))
}

/// One service port's chains, rules and elements (the loop body of `syncProxyRules`).
fn write_service_port(
    table: &mut NftTable,
    port: &ServicePort,
    endpoints: &[ProxyEndpoint],
    config: &ProxyConfig,
) {
    let protocol = port.protocol.as_str();
    let port_number = port.port.to_string();
    let (cluster, local, reachable, has_endpoints) = categorize(endpoints, port, config);
    let base = service_chain_base(port);
    let cluster_chain = format!("service-{base}");
    let local_chain = format!("local-{base}");
    let external_chain = format!("external-{base}");
    let firewall_chain = format!("firewall-{base}");

    let bases = EndpointBases::new(port, &reachable);
    let endpoint_chains: Vec<usize> = reachable
        .iter()
        .map(|endpoint| table.chain(&bases.chain(port, endpoint)))
        .collect();
    let uses_cluster_chain = !cluster.is_empty() && port.uses_cluster_endpoints();
    if uses_cluster_chain {
        table.chain(&cluster_chain);
    }
    let uses_local_chain = !local.is_empty() && port.uses_local_endpoints();
    if uses_local_chain {
        table.chain(&local_chain);
    }
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
    if uses_external_chain {
        table.chain(&external_chain);
    }
    let (internal_verdict, external_verdict) = if !has_endpoints {
        ("goto reject-chain", "goto reject-chain")
    } else {
        ("drop", "drop")
    };
    let comment = Some(port.name.as_str());
    let key = |ip: &str| vec![ip.to_owned(), protocol.to_owned(), port_number.clone()];

    // The ClusterIP.
    table.element("cluster-ips", vec![port.cluster_ip.clone()], None, None);
    if has_internal {
        table.element(
            "service-ips",
            key(&port.cluster_ip),
            goto(internal_chain),
            None,
        );
    } else {
        table.element(
            "no-endpoint-services",
            key(&port.cluster_ip),
            Some(internal_verdict.to_owned()),
            comment,
        );
    }
    // External IPs.
    for ip in &port.external_ips {
        if has_endpoints {
            table.element("service-ips", key(ip), goto(&external_chain), None);
        }
        if !has_external {
            table.element(
                "no-endpoint-services",
                key(ip),
                Some(external_verdict.to_owned()),
                comment,
            );
        }
    }
    // LoadBalancer IPs.
    let uses_firewall = !port.load_balancer_ips.is_empty() && !port.source_ranges.is_empty();
    if uses_firewall {
        table.chain(&firewall_chain);
    }
    for ip in &port.load_balancer_ips {
        if has_endpoints {
            table.element("service-ips", key(ip), goto(&external_chain), None);
        }
        if uses_firewall {
            table.element("firewall-ips", key(ip), goto(&firewall_chain), None);
        }
    }
    if !has_external {
        for ip in &port.load_balancer_ips {
            table.element(
                "no-endpoint-services",
                key(ip),
                Some(external_verdict.to_owned()),
                comment,
            );
        }
    }
    // NodePorts.
    if port.node_port != 0 {
        let node_port = vec![protocol.to_owned(), port.node_port.to_string()];
        if has_endpoints {
            table.element(
                "service-nodeports",
                node_port.clone(),
                goto(&external_chain),
                None,
            );
        }
        if !has_external {
            table.element(
                "no-endpoint-nodeports",
                node_port,
                Some(external_verdict.to_owned()),
                comment,
            );
        }
    }

    let (ip, addr) = (table.ip_x(), table.ipv_x_addr());
    // Internal traffic: masquerade off-cluster sources (kubernetes#131492: the service chain
    // is only reached for its own ClusterIP and port, so the address alone is checked).
    if has_internal {
        if config.masquerade_all {
            table.rule(
                internal_chain,
                format!("{ip} daddr {} jump mark-for-masquerade", port.cluster_ip),
            );
        } else if let Some(cidr) = &config.cluster_cidr {
            table.rule(
                internal_chain,
                format!(
                    "{ip} daddr {} {ip} saddr != {cidr} jump mark-for-masquerade",
                    port.cluster_ip
                ),
            );
        }
    }
    // External traffic.
    if uses_external_chain {
        if !port.external_policy_local() {
            table.rule(&external_chain, "jump mark-for-masquerade".to_owned());
        } else {
            if let Some(cidr) = &config.cluster_cidr {
                table.rule_with(
                    &external_chain,
                    format!("{ip} saddr {cidr} goto {cluster_chain}"),
                    Some("short-circuit pod traffic"),
                );
            }
            table.rule_with(
                &external_chain,
                "fib saddr type local jump mark-for-masquerade".to_owned(),
                Some("masquerade local traffic"),
            );
            table.rule_with(
                &external_chain,
                format!("fib saddr type local goto {cluster_chain}"),
                Some("short-circuit local traffic"),
            );
        }
        if has_external {
            table.rule(&external_chain, format!("goto {external_policy_chain}"));
        }
    }
    // The LoadBalancer firewall: only the source ranges (and, when one holds the node's IP,
    // the LoadBalancer IPs themselves) get past.
    if uses_firewall {
        let mut sources: Vec<String> = port.source_ranges.clone();
        let node_in_range = config
            .node_ips
            .first()
            .and_then(|ip| ip.parse().ok())
            .is_some_and(|ip| {
                port.source_ranges
                    .iter()
                    .any(|range| crate::sim::config::Cidr::text_contains(range, ip))
            });
        if node_in_range {
            sources.extend(port.load_balancer_ips.iter().cloned());
        }
        table.rule(
            &firewall_chain,
            format!("{ip} saddr != {{ {} }} drop", sources.join(" , ")),
        );
    }
    if let Some(seconds) = port.affinity_seconds {
        for endpoint in &reachable {
            let name = bases.affinity(port, endpoint);
            table.add(
                &name,
                None,
                Body::Set {
                    map: false,
                    key_type: addr.to_owned(),
                    flags: Some("dynamic,timeout"),
                    timeout: Some(seconds),
                    elements: Vec::new(),
                },
            );
        }
    }
    if uses_cluster_chain {
        write_endpoint_rules(table, port, &cluster_chain, &cluster, &bases);
    }
    if uses_local_chain {
        write_endpoint_rules(table, port, &local_chain, &local, &bases);
    }
    for (position, endpoint) in reachable.iter().enumerate() {
        let chain = endpoint_chains.get(position).copied().unwrap_or(usize::MAX);
        table.rule_at(
            chain,
            format!("{ip} saddr {} jump mark-for-masquerade", endpoint.ip),
        );
        if port.affinity_seconds.is_some() {
            table.rule_at(
                chain,
                format!(
                    "update @{} {{ {ip} saddr }}",
                    bases.affinity(port, endpoint)
                ),
            );
        }
        table.rule_at(
            chain,
            format!("meta l4proto {protocol} dnat to {}", endpoint.address),
        );
    }
}

/// `writeServiceToEndpointRules`: affinity lookups, then one `numgen random` verdict map over
/// the endpoints.
fn write_endpoint_rules(
    table: &mut NftTable,
    port: &ServicePort,
    chain: &str,
    endpoints: &[&ProxyEndpoint],
    bases: &EndpointBases<'_>,
) {
    if port.affinity_seconds.is_some() {
        let ip = table.ip_x();
        for endpoint in endpoints {
            table.rule(
                chain,
                format!(
                    "{ip} saddr @{} goto {}",
                    bases.affinity(port, endpoint),
                    bases.chain(port, endpoint)
                ),
            );
        }
    }
    let mut map = String::new();
    for (index, endpoint) in endpoints.iter().enumerate() {
        if index > 0 {
            map.push_str(" , ");
        }
        let _ = write!(
            map,
            "{index} : goto endpoint-{}",
            bases.base(port, endpoint)
        );
    }
    table.rule(
        chain,
        format!("numgen random mod {} vmap {{ {map} }}", endpoints.len()),
    );
}

/// The dump's `{ type T ; ... }` of a set or map.
fn set_properties(
    object: &Object,
    key_type: &str,
    flags: Option<&str>,
    timeout: Option<i64>,
) -> String {
    let mut out = format!(" {{ type {key_type} ;");
    if let Some(flags) = flags {
        let _ = write!(out, " flags {flags} ;");
    }
    if let Some(seconds) = timeout {
        let _ = write!(out, " timeout {seconds}s ;");
    }
    if let Some(comment) = &object.comment {
        let _ = write!(out, " comment {} ;", GoQuoted(comment));
    }
    out.push_str(" }");
    out
}

/// An element as knftables writes it: `{ KEY [comment "C"] [: VALUE] }`.
fn element_text(element: &NftElement) -> String {
    let mut out = element.key.join(" . ");
    if let Some(comment) = &element.comment {
        let _ = write!(out, " comment {}", GoQuoted(comment));
    }
    if let Some(value) = &element.value {
        let _ = write!(out, " : {value}");
    }
    out
}

/// nft's `prio2str` (nft 1.0.6): the standard priority within 10 of `priority`, by name
/// where that name is valid for the hook, else the number.
fn priority_text(hook: &str, priority: i32) -> String {
    const STANDARD: [(i32, &str); 6] = [
        (-300, "raw"),
        (-150, "mangle"),
        (-100, "dstnat"),
        (0, "filter"),
        (50, "security"),
        (100, "srcnat"),
    ];
    for (value, name) in STANDARD {
        let offset = priority - value;
        if offset.abs() <= 10 {
            let compatible = match name {
                "dstnat" => hook == "prerouting",
                "srcnat" => hook == "postrouting",
                _ => true,
            };
            if !compatible {
                break;
            }
            return match offset {
                0 => name.to_owned(),
                offset if offset > 0 => format!("{name} + {offset}"),
                offset => format!("{name} - {}", -offset),
            };
        }
    }
    priority.to_string()
}

/// nft's `time_print`: days, hours, minutes and seconds that are not zero (`3h`, `1d2h`).
fn duration_text(seconds: i64) -> String {
    let mut out = String::new();
    let mut rest = seconds.max(0);
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        let count = rest / size;
        rest %= size;
        if count > 0 {
            let _ = write!(out, "{count}{unit}");
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// A key part as nft stores it in a 4-byte register: an address (or a CIDR's network
/// address) in network order, a protocol number padded, a port in network order padded, an
/// integer in host (little-endian) order.
fn part_bytes(part: &str) -> Vec<u8> {
    let address = part.split_once('/').map_or(part, |(network, _)| network);
    if let Ok(ip) = address.parse::<std::net::Ipv4Addr>() {
        return ip.octets().to_vec();
    }
    match part {
        "tcp" => return vec![6, 0, 0, 0],
        "udp" => return vec![17, 0, 0, 0],
        "sctp" => return vec![132, 0, 0, 0],
        _ => {}
    }
    match part.parse::<u16>() {
        Ok(port) => {
            let [high, low] = port.to_be_bytes();
            vec![high, low, 0, 0]
        }
        Err(_) => part.as_bytes().to_vec(),
    }
}

/// The order nft lists set elements in: a single value by its number (network order for
/// addresses, so numerically), a concatenation by its registers read as one little-endian
/// number (so the last part weighs most; seen with nft 1.0.6: `10.96.0.10 . tcp . 53` lists
/// before `1.2.3.4 . tcp . 80`).
fn sort_keys<T>(items: &mut Vec<T>, key: impl Fn(&T) -> &[String]) {
    fn weight(parts: &[String]) -> Vec<u8> {
        match parts {
            [single] => {
                if let Ok(number) = single.parse::<u32>() {
                    return number.to_be_bytes().to_vec();
                }
                part_bytes(single)
            }
            _ => {
                let mut bytes: Vec<u8> = parts.iter().flat_map(|part| part_bytes(part)).collect();
                bytes.reverse();
                bytes
            }
        }
    }
    let mut weighed: Vec<(Vec<u8>, T)> = items
        .drain(..)
        .map(|item| (weight(key(&item)), item))
        .collect();
    crate::small::order::sort_by(&mut weighed, |a, b| a.0.cmp(&b.0));
    items.extend(weighed.into_iter().map(|(_, item)| item));
}

/// Writes a rule as `nft list` prints it: the `mark` statements in nft's own spelling, and
/// anonymous address sets sorted, with a single member written bare.
fn write_listed_rule(out: &mut String, rule: &NftRule) {
    let text = rule.text.as_str();
    let mark = || {
        format!(
            "0x{:08x}",
            u32::from_str_radix(MASQUERADE_MARK.trim_start_matches("0x"), 16).unwrap_or(0)
        )
    };
    if let Some(rest) = text.strip_prefix("mark set mark or ") {
        let _ = write!(
            out,
            "meta mark set meta mark | {}",
            hex8(rest).unwrap_or_else(mark)
        );
    } else if let Some(rest) = text.strip_prefix("mark set mark xor ") {
        let _ = write!(
            out,
            "meta mark set meta mark ^ {}",
            hex8(rest).unwrap_or_else(mark)
        );
    } else if let Some((value, tail)) = text
        .strip_prefix("mark and ")
        .and_then(|rest| rest.split_once(" == 0 "))
    {
        let _ = write!(
            out,
            "meta mark & {} == 0x00000000 {tail}",
            hex8(value).unwrap_or_else(mark)
        );
    } else if text.contains("{ ") {
        out.push_str(&anonymous_sets(text));
    } else {
        out.push_str(text);
    }
    if let Some(comment) = &rule.comment {
        out.push_str(" comment ");
        let _ = write!(out, "{}", GoQuoted(comment));
    }
}

fn hex8(text: &str) -> Option<String> {
    u32::from_str_radix(text.trim_start_matches("0x"), 16)
        .ok()
        .map(|value| format!("0x{value:08x}"))
}

/// Rewrites `{ a , b }` groups: a vmap's entries are joined with `, `; a set of addresses is
/// sorted, and a one-member set becomes the bare member.
fn anonymous_sets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{ ") {
        let Some(length) = rest.get(start..).and_then(|tail| tail.find(" }")) else {
            break;
        };
        out.push_str(rest.get(..start).unwrap_or(""));
        let inner = rest.get(start + 2..start + length).unwrap_or("");
        let mut members: Vec<String> = inner
            .split(',')
            .map(|member| member.trim().to_owned())
            .filter(|member| !member.is_empty())
            .collect();
        let is_vmap = members.iter().any(|member| member.contains(" : "));
        let is_statement = matches!(inner.trim(), "ip saddr" | "ip6 saddr");
        if is_vmap || is_statement {
            out.push_str("{ ");
            out.push_str(&members.join(", "));
            out.push_str(" }");
        } else if members.len() == 1 {
            out.push_str(members.first().map(String::as_str).unwrap_or(""));
        } else {
            sort_keys(&mut members, |member| std::slice::from_ref(member));
            out.push_str("{ ");
            out.push_str(&members.join(", "));
            out.push_str(" }");
        }
        rest = rest.get(start + length + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

impl NftTable {
    /// The table as knftables' `Fake.Dump()` writes it: every object, then every rule and
    /// element (chains, sets and maps each by name).
    pub fn render_dump(&self) -> String {
        let mut chains: Vec<&Object> = Vec::new();
        let mut sets: Vec<&Object> = Vec::new();
        let mut maps: Vec<&Object> = Vec::new();
        for object in &self.objects {
            match &object.body {
                Body::Chain { .. } => chains.push(object),
                Body::Set { map: false, .. } => sets.push(object),
                Body::Set { map: true, .. } => maps.push(object),
            }
        }
        for group in [&mut chains, &mut sets, &mut maps] {
            crate::small::order::sort_by(group, |a, b| a.name.cmp(&b.name));
        }
        let mut ordered = chains;
        ordered.extend(sets);
        ordered.extend(maps);
        write_adds(self.name(), &ordered)
    }

    /// The same `add` commands with the objects in the order kube-proxy's first full sync
    /// creates them: loaded with `nft -f`, they give the table [`NftTable::render_list`]
    /// prints.
    pub fn render_transaction(&self) -> String {
        let ordered: Vec<&Object> = self.objects.iter().collect();
        write_adds(self.name(), &ordered)
    }

    /// `nft list table ip kube-proxy`, as nft 1.0.6 prints it.
    pub fn render_list(&self) -> String {
        let mut out = String::with_capacity(self.objects.len() * 256);
        out.push_str("table ");
        out.push_str(self.name());
        out.push_str(" {\n\tcomment \"rules for kube-proxy\"\n");
        let sets = self
            .objects
            .iter()
            .filter(|object| matches!(object.body, Body::Set { .. }));
        let chains = self
            .objects
            .iter()
            .filter(|object| matches!(object.body, Body::Chain { .. }));
        for (index, object) in sets.chain(chains).enumerate() {
            if index > 0 {
                out.push('\n');
            }
            list_object(&mut out, object);
        }
        out.push_str("}\n");
        out
    }

    /// The Service chains (`service-`, `local-`, `external-`, `firewall-`, `endpoint-`) and
    /// affinity sets of the service port with chain base `base`.
    pub fn service_objects(&self, base: &str) -> BTreeSet<&str> {
        self.objects
            .iter()
            .map(|object| object.name.as_str())
            .filter(|name| name.split_once('-').is_some_and(|(_, rest)| rest == base))
            .collect()
    }
}

/// `add table`, then an `add chain|set|map` per object, then their rules and elements, in
/// the order of `objects`.
fn write_adds(table: &str, objects: &[&Object]) -> String {
    let mut out = format!("add table {table} {{ comment \"rules for kube-proxy\" ; }}\n");
    for object in objects {
        match &object.body {
            Body::Chain { base, .. } => {
                let _ = write!(out, "add chain {table} {}", object.name);
                if let Some(base) = base {
                    let _ = write!(
                        out,
                        " {{ type {} hook {} priority {} ; }}",
                        base.kind, base.hook, base.priority
                    );
                } else if let Some(comment) = &object.comment {
                    let _ = write!(out, " {{ comment {} ; }}", GoQuoted(comment));
                }
                out.push('\n');
            }
            Body::Set {
                map,
                key_type,
                flags,
                timeout,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "add {} {table} {}{}",
                    if *map { "map" } else { "set" },
                    object.name,
                    set_properties(object, key_type, *flags, *timeout)
                );
            }
        }
    }
    for object in objects {
        if let Body::Chain { rules, .. } = &object.body {
            for rule in rules {
                let _ = write!(out, "add rule {table} {} {}", object.name, rule.text);
                if let Some(comment) = &rule.comment {
                    let _ = write!(out, " comment {}", GoQuoted(comment));
                }
                out.push('\n');
            }
        }
    }
    for object in objects {
        if let Body::Set { elements, .. } = &object.body {
            for element in elements {
                let _ = writeln!(
                    out,
                    "add element {table} {} {{ {} }}",
                    object.name,
                    element_text(element)
                );
            }
        }
    }
    out
}

/// One `set`, `map` or `chain` block of `nft list`.
fn list_object(out: &mut String, object: &Object) {
    match &object.body {
        Body::Set {
            map,
            key_type,
            flags,
            timeout,
            elements,
        } => {
            let _ = writeln!(
                out,
                "\t{} {} {{",
                if *map { "map" } else { "set" },
                object.name
            );
            let _ = writeln!(out, "\t\ttype {key_type}");
            if flags.is_some_and(|flags| flags.contains("dynamic")) {
                // The kernel's default size of a dynamic set, which nft lists.
                out.push_str("\t\tsize 65535\n");
            }
            if let Some(flags) = flags {
                let _ = writeln!(out, "\t\tflags {flags}");
            }
            if let Some(seconds) = timeout {
                let _ = writeln!(out, "\t\ttimeout {}", duration_text(*seconds));
            }
            if let Some(comment) = &object.comment {
                let _ = writeln!(out, "\t\tcomment {}", GoQuoted(comment));
            }
            if !elements.is_empty() {
                let mut sorted: Vec<&NftElement> = elements.iter().collect();
                sort_keys(&mut sorted, |element| element.key.as_slice());
                // calculate_delim: addresses two to a line, concatenations one.
                let per_line = if key_type == "ipv4_addr" { 2 } else { 1 };
                out.push_str("\t\telements = { ");
                for (index, element) in sorted.iter().enumerate() {
                    if index > 0 {
                        if index % per_line == 0 {
                            out.push_str(",\n\t\t\t     ");
                        } else {
                            out.push_str(", ");
                        }
                    }
                    out.push_str(&element_text(element));
                }
                out.push_str(" }\n");
            }
        }
        Body::Chain { base, rules } => {
            let _ = writeln!(out, "\tchain {} {{", object.name);
            if let Some(comment) = &object.comment {
                let _ = writeln!(out, "\t\tcomment {}", GoQuoted(comment));
            }
            if let Some(base) = base {
                let _ = writeln!(
                    out,
                    "\t\ttype {} hook {} priority {}; policy accept;",
                    base.kind,
                    base.hook,
                    priority_text(base.hook, base.priority)
                );
            }
            for rule in rules {
                out.push_str("\t\t");
                write_listed_rule(out, rule);
                out.push('\n');
            }
        }
    }
    out.push_str("\t}\n");
}
