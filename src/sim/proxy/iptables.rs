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

use crate::sim::config::{Cidr, Family, WordMap};
use crate::sim::control::endpoints::SimEndpointSlice;
use crate::sim::input::objects::Service;
use crate::sim::proxy::shared::{
    categorize, endpoints_for, push_base32_sha256, service_ports, slice_port_name, ProxyConfig,
    ProxyEndpoint, ServicePort, MASQUERADE_MARK,
};

/// A chain name's first 32 bytes, zero-padded: sorting by it is sorting by name (names have
/// no NUL), without chasing each name's heap buffer on every comparison.
fn name_key(name: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    for (slot, byte) in key.iter_mut().zip(name.bytes()) {
        *slot = byte;
    }
    key
}

/// `largeClusterEndpointsThreshold`: with more endpoints than this, the iptables proxier
/// writes the per-endpoint rules without comments.
pub const LARGE_CLUSTER_ENDPOINTS: usize = 1000;

/// One chain of a table: where its rules (whole `-A CHAIN ...` lines, in emission order)
/// lie in the table's text, and whether it was declared (only declared chains are restored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ChainRules {
    name: String,
    declared: bool,
    rules: Vec<(u32, u32)>,
}

/// A table's chains, each with its rules; the rules' text is one buffer (a rule set of
/// 10,000 Services is 400,000 lines: one allocation each was most of the time).
#[derive(Clone, Debug, Default)]
struct Table {
    chains: Vec<ChainRules>,
    index: WordMap<String, usize>,
    text: String,
}

impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.chains == other.chains && self.text == other.text
    }
}

impl Eq for Table {}

impl Table {
    /// The position of chain `name`, added (undeclared) if new.
    fn index_of(&mut self, name: &str) -> usize {
        if let Some(index) = self.index.get(name) {
            return *index;
        }
        self.index.insert(name.to_owned(), self.chains.len());
        self.chains.push(ChainRules {
            name: name.to_owned(),
            declared: false,
            rules: Vec::new(),
        });
        self.chains.len() - 1
    }
    fn chain(&mut self, name: &str) {
        let index = self.index_of(name);
        if let Some(chain) = self.chains.get_mut(index) {
            chain.declared = true;
        }
    }
    fn rule(&mut self, chain: &str, args: &str) {
        self.rule_fmt(chain, format_args!("{args}"));
    }
    /// Appends `-A CHAIN ARGS`, formatting the arguments straight into the table's text.
    fn rule_fmt(&mut self, chain: &str, args: std::fmt::Arguments<'_>) {
        let index = self.index_of(chain);
        self.rule_at(index, args);
    }
    /// [`Table::rule_at`] with the arguments as pieces to join (no formatting machinery: the
    /// three rules of every endpoint go through here).
    fn rule_parts(&mut self, index: usize, parts: &[&str]) {
        let Some(chain) = self.chains.get_mut(index) else {
            return;
        };
        let text = &mut self.text;
        let start = text.len();
        text.push_str("-A ");
        text.push_str(&chain.name);
        text.push(' ');
        for part in parts {
            text.push_str(part);
        }
        chain.rules.push((
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(text.len()).unwrap_or(u32::MAX),
        ));
    }
    /// [`Table::rule_fmt`] for the chain at `index` (from [`Table::index_of`]).
    fn rule_at(&mut self, index: usize, args: std::fmt::Arguments<'_>) {
        use std::fmt::Write as _;
        let Some(chain) = self.chains.get_mut(index) else {
            return;
        };
        let text = &mut self.text;
        let start = text.len();
        text.push_str("-A ");
        text.push_str(&chain.name);
        let before_args = text.len();
        text.push(' ');
        let _ = text.write_fmt(args);
        if text.len() == before_args + 1 {
            // No arguments: no trailing space.
            text.truncate(before_args);
        }
        chain.rules.push((
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(text.len()).unwrap_or(u32::MAX),
        ));
    }
    fn line(&self, span: (u32, u32)) -> &str {
        self.text
            .get(span.0 as usize..span.1 as usize)
            .unwrap_or("")
    }
    /// The rules of `chain` (none for an unknown chain).
    fn rules_of(&self, chain: &str) -> Vec<&str> {
        self.index
            .get(chain)
            .and_then(|index| self.chains.get(*index))
            .map(|entry| entry.rules.iter().map(|span| self.line(*span)).collect())
            .unwrap_or_default()
    }
}

/// The rules of one node: the `filter` and `nat` tables kube-proxy restores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IptablesRules {
    filter: Table,
    nat: Table,
}

/// The per-service-port chain of `prefix` (`KUBE-SVC-`, `KUBE-SVL-`, `KUBE-EXT-`, `KUBE-FW-`):
/// `portProtoHash`, base32 of SHA-256, first 16 characters.
pub fn service_chain(prefix: &str, service_port: &str, protocol: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 16);
    out.push_str(prefix);
    push_base32_sha256(&mut out, &[service_port, protocol], 16);
    out
}

/// The endpoint chain (`servicePortEndpointChainName`).
pub fn endpoint_chain(service_port: &str, protocol: &str, endpoint: &str) -> String {
    let mut out = String::with_capacity(25);
    out.push_str("KUBE-SEP-");
    push_base32_sha256(&mut out, &[service_port, protocol, endpoint], 16);
    out
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
    // Room for what the rules will take (a service port is about two kilobytes of rules and
    // chains, an endpoint half of one): reserved address space that is never written costs
    // nothing, while growing by doubling copies and touches it all.
    let endpoints: usize = slices
        .iter()
        .map(|slice| slice.endpoints.len() * slice.ports.len().max(1))
        .sum();
    let ports: usize = services
        .iter()
        .map(|service| service.spec.ports.len())
        .sum();
    nat.text.reserve(endpoints * 512 + ports * 2048);
    nat.chains.reserve(endpoints + ports * 4 + 8);
    nat.index.reserve(endpoints + ports * 4 + 8);
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
    // Localhost NodePorts (route_localnet): block martian localnet traffic. IPv4 only
    // (`if !isIPv6 && proxier.localhostNodePorts`): IPv6 has no route_localnet.
    let ipv4 = config.family == Family::V4;
    if ipv4 {
        filter.chain("KUBE-FIREWALL");
        filter.rule(
            "KUBE-FIREWALL",
            &format!(
                "{} -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP",
                comment("block incoming localnet connections")
            ),
        );
    }
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
    let mut ports: Vec<(ServicePort, Vec<ProxyEndpoint>)> = Vec::new();
    for service in services {
        let own = by_service
            .get(&(service.meta.namespace.as_str(), service.meta.name.as_str()))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for port in service_ports(service, config.family) {
            let port_name = slice_port_name(service, &port);
            let endpoints = endpoints_for(port_name, &port.protocol, own, &config.node_name);
            ports.push((port, endpoints));
        }
    }
    // largeClusterMode: past 1,000 endpoints kube-proxy leaves the comments off the rules of
    // each endpoint (appendServiceCommentLocked), to keep iptables-restore fast.
    let total: usize = ports.iter().map(|(_, endpoints)| endpoints.len()).sum();
    let comments = total <= LARGE_CLUSTER_ENDPOINTS;
    for (port, endpoints) in &ports {
        write_service_port(
            port,
            endpoints,
            config,
            &mut filter,
            &mut nat,
            if_local.as_deref(),
            if_not_local.as_deref(),
            comments,
        );
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

/// `-m comment --comment "TEXT"`: the comments kube-proxy writes with spaces, quoted.
struct Quoted<T>(T);

impl<T: std::fmt::Display> std::fmt::Display for Quoted<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "-m comment --comment \"{}\"", self.0)
    }
}

/// `-m comment --comment NAME`: a service port name, written bare as kube-proxy does (quoted
/// should it hold a space).
struct Named<'a>(&'a str);

impl std::fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.contains(' ') {
            write!(f, "-m comment --comment \"{}\"", self.0)
        } else {
            write!(f, "-m comment --comment {}", self.0)
        }
    }
}

/// The endpoint chain of each endpoint of a service port, hashed once.
struct EndpointChains<'a> {
    chains: Vec<(&'a str, String)>,
}

impl<'a> EndpointChains<'a> {
    fn new(port: &ServicePort, endpoints: &[&'a ProxyEndpoint]) -> Self {
        let mut chains: Vec<(&str, String)> = endpoints
            .iter()
            .map(|endpoint| {
                (
                    endpoint.address.as_str(),
                    endpoint_chain(&port.name, &port.protocol, &endpoint.address),
                )
            })
            .collect();
        crate::small::order::sort_by(&mut chains, |a, b| a.0.cmp(b.0));
        chains.dedup_by(|a, b| a.0 == b.0);
        EndpointChains { chains }
    }
    fn of(&self, port: &ServicePort, endpoint: &ProxyEndpoint) -> std::borrow::Cow<'_, str> {
        match self
            .chains
            .binary_search_by(|(address, _)| (*address).cmp(endpoint.address.as_str()))
        {
            Ok(found) => self
                .chains
                .get(found)
                .map(|(_, chain)| std::borrow::Cow::Borrowed(chain.as_str()))
                .unwrap_or_default(),
            Err(_) => std::borrow::Cow::Owned(endpoint_chain(
                &port.name,
                &port.protocol,
                &endpoint.address,
            )),
        }
    }
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
    comments: bool,
) {
    let name = port.name.as_str();
    let protocol = port.protocol.as_str();
    let (cluster, local, reachable, has_endpoints) = categorize(endpoints, port, config);
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

    let (internal_target, external_target, lacking) = if !has_endpoints {
        ("REJECT", "REJECT", "has no endpoints")
    } else {
        ("DROP", "DROP", "has no local endpoints")
    };
    let service_port = port.port;

    // The ClusterIP.
    if has_internal {
        nat.rule_fmt(
            "KUBE-SERVICES",
            format_args!(
                "{} -m {protocol} -p {protocol} -d {} --dport {service_port} -j {internal_chain}",
                Quoted(format_args!("{name} cluster IP")),
                port.cluster_ip,
            ),
        );
    } else {
        filter.rule_fmt(
            "KUBE-SERVICES",
            format_args!(
                "{} -m {protocol} -p {protocol} -d {} --dport {service_port} -j {internal_target}",
                Quoted(format_args!("{name} {lacking}")),
                port.cluster_ip,
            ),
        );
    }
    // External IPs.
    for ip in &port.external_ips {
        if has_endpoints {
            nat.rule_fmt(
                "KUBE-SERVICES",
                format_args!(
                    "{} -m {protocol} -p {protocol} -d {ip} --dport {service_port} -j {external_chain}",
                    Quoted(format_args!("{name} external IP")),
                ),
            );
        }
        if !has_external {
            filter.rule_fmt(
                "KUBE-EXTERNAL-SERVICES",
                format_args!(
                    "{} -m {protocol} -p {protocol} -d {ip} --dport {service_port} -j {external_target}",
                    Quoted(format_args!("{name} {lacking}")),
                ),
            );
        }
    }
    // LoadBalancer IPs.
    for ip in &port.load_balancer_ips {
        if has_endpoints {
            nat.rule_fmt(
                "KUBE-SERVICES",
                format_args!(
                    "{} -m {protocol} -p {protocol} -d {ip} --dport {service_port} -j {load_balancer_chain}",
                    Quoted(format_args!("{name} loadbalancer IP")),
                ),
            );
        }
        if uses_firewall {
            filter.rule_fmt(
                "KUBE-PROXY-FIREWALL",
                format_args!(
                    "{} -m {protocol} -p {protocol} -d {ip} --dport {service_port} -j DROP",
                    Quoted(format_args!(
                        "{name} traffic not accepted by {firewall_chain}"
                    )),
                ),
            );
        }
    }
    if !has_external {
        for ip in &port.load_balancer_ips {
            filter.rule_fmt(
                "KUBE-EXTERNAL-SERVICES",
                format_args!(
                    "{} -m {protocol} -p {protocol} -d {ip} --dport {service_port} -j {external_target}",
                    Quoted(format_args!("{name} {lacking}")),
                ),
            );
        }
    }
    // NodePorts (localhost NodePorts are on for IPv4 by default; IPv6 has none).
    if port.node_port != 0 {
        let node_port = port.node_port;
        if has_endpoints {
            if config.family == Family::V4 {
                nat.rule_fmt(
                    "KUBE-NODEPORTS",
                    format_args!(
                        "{} -m {protocol} -p {protocol} -d 127.0.0.0/8 --dport {node_port} -m nfacct --nfacct-name localhost_nps_accepted_pkts -j {external_chain}",
                        Named(name),
                    ),
                );
            }
            nat.rule_fmt(
                "KUBE-NODEPORTS",
                format_args!(
                    "{} -m {protocol} -p {protocol} --dport {node_port} -j {external_chain}",
                    Named(name),
                ),
            );
        }
        if !has_external {
            filter.rule_fmt(
                "KUBE-EXTERNAL-SERVICES",
                format_args!(
                    "{} -m addrtype --dst-type LOCAL -m {protocol} -p {protocol} --dport {node_port} -j {external_target}",
                    Quoted(format_args!("{name} {lacking}")),
                ),
            );
        }
    }
    // Health check NodePort.
    if port.health_check_node_port != 0 {
        filter.rule_fmt(
            "KUBE-NODEPORTS",
            format_args!(
                "{} -m tcp -p tcp --dport {} -j ACCEPT",
                Quoted(format_args!("{name} health check node port")),
                port.health_check_node_port
            ),
        );
    }
    // Internal traffic: masquerade off-cluster sources.
    if has_internal {
        let lead = Quoted(format_args!("{name} cluster IP"));
        if config.masquerade_all {
            nat.rule_fmt(
                internal_chain,
                format_args!(
                    "{lead} -m {protocol} -p {protocol} -d {} --dport {service_port} -j KUBE-MARK-MASQ",
                    port.cluster_ip
                ),
            );
        } else if let Some(not_local) = if_not_local {
            nat.rule_fmt(
                internal_chain,
                format_args!(
                    "{lead} -m {protocol} -p {protocol} -d {} --dport {service_port} {not_local} -j KUBE-MARK-MASQ",
                    port.cluster_ip
                ),
            );
        }
    }
    // External traffic.
    if uses_external_chain {
        nat.chain(&external_chain);
        if !port.external_policy_local() {
            nat.rule_fmt(
                &external_chain,
                format_args!(
                    "{} -j KUBE-MARK-MASQ",
                    Quoted(format_args!(
                        "masquerade traffic for {name} external destinations"
                    ))
                ),
            );
        } else {
            if let Some(local_source) = if_local {
                nat.rule_fmt(
                    &external_chain,
                    format_args!(
                        "{} {local_source} -j {cluster_chain}",
                        Quoted(format_args!("pod traffic for {name} external destinations"))
                    ),
                );
            }
            nat.rule_fmt(
                &external_chain,
                format_args!(
                    "{} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                    Quoted(format_args!(
                        "masquerade LOCAL traffic for {name} external destinations"
                    ))
                ),
            );
            nat.rule_fmt(
                &external_chain,
                format_args!(
                    "{} -m addrtype --src-type LOCAL -j {cluster_chain}",
                    Quoted(format_args!(
                        "route LOCAL traffic for {name} external destinations"
                    ))
                ),
            );
        }
        if has_external {
            nat.rule_fmt(&external_chain, format_args!("-j {external_policy_chain}"));
        }
    }
    // The LoadBalancer firewall.
    if uses_firewall {
        nat.chain(&firewall_chain);
        let lead = Quoted(format_args!("{name} loadbalancer IP"));
        let mut allow_from_node = false;
        for range in &port.source_ranges {
            nat.rule_fmt(
                &firewall_chain,
                format_args!("{lead} -s {range} -j {external_chain}"),
            );
            allow_from_node |= config
                .node_ips
                .iter()
                .any(|ip| ip.parse().is_ok_and(|ip| Cidr::text_contains(range, ip)));
        }
        if allow_from_node {
            for ip in &port.load_balancer_ips {
                nat.rule_fmt(
                    &firewall_chain,
                    format_args!("{lead} -s {ip} -j {external_chain}"),
                );
            }
        }
        nat.rule_fmt(
            &firewall_chain,
            format_args!(
                "{}",
                Quoted(format_args!(
                    "other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL"
                ))
            ),
        );
    }
    let chains = EndpointChains::new(port, &reachable);
    if uses_cluster_chain {
        nat.chain(&cluster_chain);
        write_endpoint_rules(nat, port, &cluster_chain, &cluster, &chains, comments);
    }
    if uses_local_chain {
        nat.chain(&local_chain);
        write_endpoint_rules(nat, port, &local_chain, &local, &chains, comments);
    }
    // The comment and its separating space, or nothing in large-cluster mode.
    let named = if comments {
        format!("{} ", Named(name))
    } else {
        String::new()
    };
    for endpoint in &reachable {
        let chain = chains.of(port, endpoint);
        nat.chain(&chain);
        let at = nat.index_of(&chain);
        nat.rule_parts(at, &[&named, "-s ", &endpoint.ip, " -j KUBE-MARK-MASQ"]);
        if port.affinity_seconds.is_some() {
            nat.rule_at(
                at,
                format_args!(
                    "{named}-m recent --name {chain} --set -m {protocol} -p {protocol} -j DNAT --to-destination {}",
                    endpoint.address
                ),
            );
        } else {
            nat.rule_parts(
                at,
                &[
                    &named,
                    "-m ",
                    protocol,
                    " -p ",
                    protocol,
                    " -j DNAT --to-destination ",
                    &endpoint.address,
                ],
            );
        }
    }
}

/// `writeServiceToEndpointRules`: affinity checks, then one rule per endpoint with the
/// probability 1/(n-i) of taking it among those left.
fn write_endpoint_rules(
    nat: &mut Table,
    port: &ServicePort,
    chain: &str,
    endpoints: &[&ProxyEndpoint],
    chains: &EndpointChains<'_>,
    comments: bool,
) {
    let name = port.name.as_str();
    let at = nat.index_of(chain);
    // `-m comment --comment "NAME -> ADDRESS" `, or nothing in large-cluster mode.
    let lead = |address: &str| -> String {
        if comments {
            format!("-m comment --comment \"{name} -> {address}\" ")
        } else {
            String::new()
        }
    };
    if let Some(seconds) = port.affinity_seconds {
        for endpoint in endpoints {
            let target = chains.of(port, endpoint);
            let lead = lead(&endpoint.address);
            nat.rule_at(
                at,
                format_args!(
                    "{lead}-m recent --name {target} --rcheck --seconds {seconds} --reap -j {target}"
                ),
            );
        }
    }
    let count = endpoints.len();
    for (index, endpoint) in endpoints.iter().enumerate() {
        let target = chains.of(port, endpoint);
        let lead = lead(&endpoint.address);
        if index + 1 < count {
            let chance = probability(count - index);
            nat.rule_parts(
                at,
                &[
                    &lead,
                    "-m statistic --mode random --probability ",
                    &chance,
                    " -j ",
                    &target,
                ],
            );
        } else {
            nat.rule_parts(at, &[&lead, "-j ", &target]);
        }
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
        let size: usize = [&self.filter, &self.nat]
            .iter()
            .map(|table| {
                table.text.len()
                    + table
                        .chains
                        .iter()
                        .map(|chain| chain.name.len() + 10 + chain.rules.len())
                        .sum::<usize>()
            })
            .sum();
        let mut out = String::with_capacity(size + 32);
        for (name, table) in [("filter", &self.filter), ("nat", &self.nat)] {
            out.push('*');
            out.push_str(name);
            out.push('\n');
            let rank = |chain: &str| match chain {
                "KUBE-NODEPORTS" => 0,
                "KUBE-SERVICES" => 1,
                _ if chain.starts_with("KUBE-") => 2,
                _ => 3,
            };
            let mut chains: Vec<(u8, [u8; 32], &ChainRules)> = table
                .chains
                .iter()
                .filter(|chain| chain.declared)
                .map(|chain| (rank(&chain.name), name_key(&chain.name), chain))
                .collect();
            crate::small::order::sort_by(&mut chains, |a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| a.1.cmp(&b.1))
                    .then_with(|| a.2.name.cmp(&b.2.name))
            });
            for (_, _, chain) in &chains {
                out.push(':');
                out.push_str(&chain.name);
                out.push_str(" - [0:0]\n");
            }
            for (_, _, chain) in &chains {
                let sorted = chain.name == "KUBE-NODEPORTS" || chain.name == "KUBE-SERVICES";
                if !sorted {
                    for span in &chain.rules {
                        out.push_str(table.line(*span));
                        out.push('\n');
                    }
                    continue;
                }
                // By comment; KUBE-SERVICES' jump to KUBE-NODEPORTS stays last.
                let mut rules: Vec<(bool, &str, &str)> = chain
                    .rules
                    .iter()
                    .map(|span| {
                        let line = table.line(*span);
                        let comment = comment_value(line);
                        let last = chain.name == "KUBE-SERVICES"
                            && comment.starts_with("kubernetes service nodeports");
                        (last, comment, line)
                    })
                    .collect();
                crate::small::order::sort_by(&mut rules, |a, b| {
                    a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1))
                });
                for (_, _, line) in rules {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out.push_str("COMMIT\n");
        }
        out
    }

    /// The rules of `chain` in the `nat` (`"nat"`) or `filter` table, in order.
    pub fn chain_rules(&self, table: &str, chain: &str) -> Vec<&str> {
        match table {
            "nat" => self.nat.rules_of(chain),
            _ => self.filter.rules_of(chain),
        }
    }

    /// The rules of the `nat` table, chain by chain, for the trace and the UI.
    pub fn nat_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        Self::lines(&self.nat)
    }

    /// The rules of the `filter` table, chain by chain.
    pub fn filter_rules(&self) -> impl Iterator<Item = (&str, &str)> {
        Self::lines(&self.filter)
    }

    fn lines(table: &Table) -> impl Iterator<Item = (&str, &str)> {
        table.chains.iter().flat_map(move |chain| {
            chain
                .rules
                .iter()
                .map(move |span| (chain.name.as_str(), table.line(*span)))
        })
    }

    /// Every chain name of both tables.
    pub fn chain_names(&self) -> BTreeSet<&str> {
        self.filter
            .chains
            .iter()
            .chain(&self.nat.chains)
            .filter(|chain| chain.declared)
            .map(|chain| chain.name.as_str())
            .collect()
    }
}
