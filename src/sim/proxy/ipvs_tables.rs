//! What kube-proxy's IPVS mode keeps besides its virtual servers ([`crate::sim::proxy::ipvs`]): the ipsets
//! it fills and the iptables rules that match them, on one node.
//!
//! Following kubernetes `pkg/proxy/ipvs/proxier.go` (the 1.3x proxier with the
//! `KUBE-IPVS-OUT-FILTER` chain and the early `127.0.0.0/8` return): `syncProxyRules` fills the
//! sets of `ipsetInfo` (`pkg/proxy/ipvs/ipset.go` for their names, types and comments,
//! `ipset/ipset.go` for the entry and `create` syntax), and `writeIptablesRules` writes the
//! rules of `ipsetWithIptablesChain` for every non-empty set, the ClusterIP masquerade and
//! accept rules, the external-IP rules, the `KUBE-IPVS-FILTER` guard and the masquerading
//! chains, in the order of its `iptables-restore` input (nat table first).
//!
//! Not modelled: IPv6 (the `KUBE-6-` sets), `--nodeport-addresses` other than the node's IPs,
//! and addresses of the node's other interfaces (a real node's NodePort entries for SCTP and
//! its `KUBE-IPVS-IPS` may differ where an external IP is also a local address elsewhere).

use crate::sim::proxy::shared::{
    endpoints_for, own_slices, service_ports, slice_port_name, ProxyConfig, MASQUERADE_MARK,
};
use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::sim::control::endpoints::SimEndpointSlice;
use crate::sim::input::objects::Service;

/// An ipset's kind (`utilipset.Type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetType {
    /// `hash:ip`.
    HashIp,
    /// `hash:ip,port`.
    HashIpPort,
    /// `hash:ip,port,ip`.
    HashIpPortIp,
    /// `hash:ip,port,net`.
    HashIpPortNet,
    /// `bitmap:port`.
    BitmapPort,
}

impl SetType {
    /// The type as `ipset create` takes it.
    pub fn as_str(self) -> &'static str {
        match self {
            SetType::HashIp => "hash:ip",
            SetType::HashIpPort => "hash:ip,port",
            SetType::HashIpPortIp => "hash:ip,port,ip",
            SetType::HashIpPortNet => "hash:ip,port,net",
            SetType::BitmapPort => "bitmap:port",
        }
    }
}

/// One of the sets of `ipsetInfo`, with the entries this node's sync puts in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpSet {
    /// The set's name (`KUBE-CLUSTER-IP`, ...).
    pub name: &'static str,
    /// Its type.
    pub kind: SetType,
    /// The comment kube-proxy's rules quote for it.
    pub comment: &'static str,
    /// Its entries, as `Entry.String()` writes them, sorted.
    pub entries: BTreeSet<String>,
}

const LOOP_BACK: &str = "KUBE-LOOP-BACK";
const CLUSTER_IP: &str = "KUBE-CLUSTER-IP";
const EXTERNAL_IP: &str = "KUBE-EXTERNAL-IP";
const EXTERNAL_IP_LOCAL: &str = "KUBE-EXTERNAL-IP-LOCAL";
const LOAD_BALANCER: &str = "KUBE-LOAD-BALANCER";
const LOAD_BALANCER_FW: &str = "KUBE-LOAD-BALANCER-FW";
const LOAD_BALANCER_LOCAL: &str = "KUBE-LOAD-BALANCER-LOCAL";
const LOAD_BALANCER_SOURCE_IP: &str = "KUBE-LOAD-BALANCER-SOURCE-IP";
const LOAD_BALANCER_SOURCE_CIDR: &str = "KUBE-LOAD-BALANCER-SOURCE-CIDR";
const NODE_PORT_TCP: &str = "KUBE-NODE-PORT-TCP";
const NODE_PORT_LOCAL_TCP: &str = "KUBE-NODE-PORT-LOCAL-TCP";
const NODE_PORT_UDP: &str = "KUBE-NODE-PORT-UDP";
const NODE_PORT_LOCAL_UDP: &str = "KUBE-NODE-PORT-LOCAL-UDP";
const NODE_PORT_SCTP: &str = "KUBE-NODE-PORT-SCTP-HASH";
const NODE_PORT_LOCAL_SCTP: &str = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
const HEALTH_CHECK_NODE_PORT: &str = "KUBE-HEALTH-CHECK-NODE-PORT";
const IPVS_IPS: &str = "KUBE-IPVS-IPS";

/// `ipsetInfo`: every set, in its order, with its type and comment.
const IPSET_INFO: [(&str, SetType, &str); 17] = [
    (
        LOOP_BACK,
        SetType::HashIpPortIp,
        "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose",
    ),
    (
        CLUSTER_IP,
        SetType::HashIpPort,
        "Kubernetes service cluster ip + port for masquerade purpose",
    ),
    (
        EXTERNAL_IP,
        SetType::HashIpPort,
        "Kubernetes service external ip + port for masquerade and filter purpose",
    ),
    (
        EXTERNAL_IP_LOCAL,
        SetType::HashIpPort,
        "Kubernetes service external ip + port with externalTrafficPolicy=local",
    ),
    (
        LOAD_BALANCER,
        SetType::HashIpPort,
        "Kubernetes service lb portal",
    ),
    (
        LOAD_BALANCER_FW,
        SetType::HashIpPort,
        "Kubernetes service load balancer ip + port for load balancer with sourceRange",
    ),
    (
        LOAD_BALANCER_LOCAL,
        SetType::HashIpPort,
        "Kubernetes service load balancer ip + port with externalTrafficPolicy=local",
    ),
    (
        LOAD_BALANCER_SOURCE_IP,
        SetType::HashIpPortIp,
        "Kubernetes service load balancer ip + port + source IP for packet filter purpose",
    ),
    (
        LOAD_BALANCER_SOURCE_CIDR,
        SetType::HashIpPortNet,
        "Kubernetes service load balancer ip + port + source cidr for packet filter purpose",
    ),
    (
        NODE_PORT_TCP,
        SetType::BitmapPort,
        "Kubernetes nodeport TCP port for masquerade purpose",
    ),
    (
        NODE_PORT_LOCAL_TCP,
        SetType::BitmapPort,
        "Kubernetes nodeport TCP port with externalTrafficPolicy=local",
    ),
    (
        NODE_PORT_UDP,
        SetType::BitmapPort,
        "Kubernetes nodeport UDP port for masquerade purpose",
    ),
    (
        NODE_PORT_LOCAL_UDP,
        SetType::BitmapPort,
        "Kubernetes nodeport UDP port with externalTrafficPolicy=local",
    ),
    (
        NODE_PORT_SCTP,
        SetType::HashIpPort,
        "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
    ),
    (
        NODE_PORT_LOCAL_SCTP,
        SetType::HashIpPort,
        "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
    ),
    (
        HEALTH_CHECK_NODE_PORT,
        SetType::BitmapPort,
        "Kubernetes health check node port",
    ),
    (IPVS_IPS, SetType::HashIp, "Addresses on the ipvs interface"),
];

/// `ipsetWithIptablesChain`: (set, nat table?, from chain, target, match, protocol).
const IPSET_CHAINS: [(&str, bool, &str, &str, &str, &str); 12] = [
    (
        LOOP_BACK,
        true,
        "KUBE-POSTROUTING",
        "MASQUERADE",
        "dst,dst,src",
        "",
    ),
    (
        LOAD_BALANCER,
        true,
        "KUBE-SERVICES",
        "KUBE-LOAD-BALANCER",
        "dst,dst",
        "",
    ),
    (
        LOAD_BALANCER_LOCAL,
        true,
        "KUBE-LOAD-BALANCER",
        "RETURN",
        "dst,dst",
        "",
    ),
    (
        NODE_PORT_LOCAL_TCP,
        true,
        "KUBE-NODE-PORT",
        "RETURN",
        "dst",
        "tcp",
    ),
    (
        NODE_PORT_TCP,
        true,
        "KUBE-NODE-PORT",
        "KUBE-MARK-MASQ",
        "dst",
        "tcp",
    ),
    (
        NODE_PORT_LOCAL_UDP,
        true,
        "KUBE-NODE-PORT",
        "RETURN",
        "dst",
        "udp",
    ),
    (
        NODE_PORT_UDP,
        true,
        "KUBE-NODE-PORT",
        "KUBE-MARK-MASQ",
        "dst",
        "udp",
    ),
    (
        NODE_PORT_LOCAL_SCTP,
        true,
        "KUBE-NODE-PORT",
        "RETURN",
        "dst,dst",
        "sctp",
    ),
    (
        NODE_PORT_SCTP,
        true,
        "KUBE-NODE-PORT",
        "KUBE-MARK-MASQ",
        "dst,dst",
        "sctp",
    ),
    (
        LOAD_BALANCER_FW,
        false,
        "KUBE-PROXY-FIREWALL",
        "KUBE-SOURCE-RANGES-FIREWALL",
        "dst,dst",
        "",
    ),
    (
        LOAD_BALANCER_SOURCE_CIDR,
        false,
        "KUBE-SOURCE-RANGES-FIREWALL",
        "RETURN",
        "dst,dst,src",
        "",
    ),
    (
        LOAD_BALANCER_SOURCE_IP,
        false,
        "KUBE-SOURCE-RANGES-FIREWALL",
        "RETURN",
        "dst,dst,src",
        "",
    ),
];

/// The ipsets and iptables rules of IPVS mode on one node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpvsTables {
    /// Every set of `ipsetInfo`, in its order.
    pub sets: Vec<IpSet>,
    /// LoadBalancer IP, protocol and port the node itself may not reach
    /// (`lbNoNodeAccessIPPortProtocolEntries`: source ranges that do not hold the node's IP).
    no_node_access: Vec<(String, String, i64)>,
    /// `--masquerade-all`.
    masquerade_all: bool,
    /// `--cluster-cidr` for local detection.
    cluster_cidr: Option<String>,
    /// Whether iptables has `--random-fully`.
    random_fully: bool,
}

impl IpvsTables {
    fn set_mut(&mut self, name: &str) -> Option<&mut IpSet> {
        self.sets.iter_mut().find(|set| set.name == name)
    }

    fn insert(&mut self, name: &str, entry: String) {
        if let Some(set) = self.set_mut(name) {
            set.entries.insert(entry);
        }
    }

    /// The set called `name`.
    pub fn set(&self, name: &str) -> Option<&IpSet> {
        self.sets.iter().find(|set| set.name == name)
    }

    fn is_empty(&self, name: &str) -> bool {
        self.set(name).is_none_or(|set| set.entries.is_empty())
    }
}

/// Whether `ip` is one of the node's own addresses (kube-proxy binds it to `kube-ipvs0`
/// otherwise).
fn is_node_address(config: &ProxyConfig, ip: &str) -> bool {
    config.node_ips.iter().any(|own| own == ip)
}

/// Fills the sets as `syncProxyRules` does for `config.node_name`.
pub fn ipvs_tables(
    services: &[&Service],
    slices: &[&SimEndpointSlice],
    config: &ProxyConfig,
) -> IpvsTables {
    let mut tables = IpvsTables {
        sets: IPSET_INFO
            .iter()
            .map(|(name, kind, comment)| IpSet {
                name,
                kind: *kind,
                comment,
                entries: BTreeSet::new(),
            })
            .collect(),
        no_node_access: Vec::new(),
        masquerade_all: config.masquerade_all,
        cluster_cidr: config.cluster_cidr.clone(),
        random_fully: config.random_fully,
    };
    let node_ip: Option<std::net::IpAddr> = config.node_ips.first().and_then(|ip| ip.parse().ok());
    for service in services {
        let own = own_slices(service, slices, config.family);
        for port in service_ports(service, config.family) {
            let protocol = port.protocol.as_str();
            let number = port.port;
            let endpoints = endpoints_for(
                slice_port_name(service, &port),
                protocol,
                &own,
                &config.node_name,
            );
            // Hairpin: every local endpoint, to itself.
            for endpoint in endpoints.iter().filter(|endpoint| endpoint.local) {
                let Some((ip, endpoint_port)) =
                    crate::sim::proxy::shared::split_host_port(&endpoint.address)
                else {
                    continue;
                };
                if endpoint_port == "0" {
                    continue;
                }
                tables.insert(LOOP_BACK, format!("{ip},{protocol}:{endpoint_port},{ip}"));
            }
            tables.insert(
                CLUSTER_IP,
                format!("{},{protocol}:{number}", port.cluster_ip),
            );
            tables.insert(IPVS_IPS, port.cluster_ip.clone());
            let local = port.external_policy_local();
            for ip in &port.external_ips {
                let set = if local {
                    EXTERNAL_IP_LOCAL
                } else {
                    EXTERNAL_IP
                };
                tables.insert(set, format!("{ip},{protocol}:{number}"));
                if !is_node_address(config, ip) {
                    tables.insert(IPVS_IPS, ip.clone());
                }
            }
            for ip in &port.load_balancer_ips {
                let entry = format!("{ip},{protocol}:{number}");
                tables.insert(LOAD_BALANCER, entry.clone());
                if local {
                    tables.insert(LOAD_BALANCER_LOCAL, entry.clone());
                }
                if !port.source_ranges.is_empty() {
                    tables.insert(LOAD_BALANCER_FW, entry);
                    let mut allow_from_node = false;
                    for range in &port.source_ranges {
                        tables.insert(
                            LOAD_BALANCER_SOURCE_CIDR,
                            format!("{ip},{protocol}:{number},{range}"),
                        );
                        allow_from_node |= node_ip.is_some_and(|node| {
                            crate::sim::config::Cidr::text_contains(range, node)
                        });
                    }
                    if allow_from_node {
                        tables.insert(
                            LOAD_BALANCER_SOURCE_IP,
                            format!("{ip},{protocol}:{number},{ip}"),
                        );
                    } else {
                        tables
                            .no_node_access
                            .push((ip.clone(), protocol.to_owned(), number));
                    }
                }
                if !is_node_address(config, ip) {
                    tables.insert(IPVS_IPS, ip.clone());
                }
            }
            if port.node_port != 0 && !config.node_ips.is_empty() {
                let node_port = port.node_port;
                let (set, local_set, entries): (&str, &str, Vec<String>) = match protocol {
                    "udp" => (
                        NODE_PORT_UDP,
                        NODE_PORT_LOCAL_UDP,
                        vec![node_port.to_string()],
                    ),
                    "sctp" => (
                        NODE_PORT_SCTP,
                        NODE_PORT_LOCAL_SCTP,
                        config
                            .node_ips
                            .iter()
                            .map(|ip| format!("{ip},{protocol}:{node_port}"))
                            .collect(),
                    ),
                    _ => (
                        NODE_PORT_TCP,
                        NODE_PORT_LOCAL_TCP,
                        vec![node_port.to_string()],
                    ),
                };
                for entry in &entries {
                    tables.insert(set, entry.clone());
                    if local {
                        tables.insert(local_set, entry.clone());
                    }
                }
            }
            if port.health_check_node_port != 0 {
                tables.insert(
                    HEALTH_CHECK_NODE_PORT,
                    port.health_check_node_port.to_string(),
                );
            }
        }
    }
    tables
}

impl IpvsTables {
    /// The sets as `ipset save` prints them (ipset 7): a `create` line with the options
    /// kube-proxy gives (`hashsize 1024 maxelem 65536` and ipset's `bucketsize 12` for hash
    /// sets, `range 0-65535` for port bitmaps), then the members sorted. Left out: the
    /// `initval` the kernel draws at random for every hash set; real `ipset save` lists hash
    /// members in hash order and sets in creation order (kube-proxy creates them in Go's
    /// random map order), here both are sorted.
    pub fn render_ipset_save(&self) -> String {
        let mut out = String::new();
        for set in &self.sets {
            match set.kind {
                SetType::BitmapPort => {
                    let _ = writeln!(out, "create {} bitmap:port range 0-65535", set.name);
                }
                kind => {
                    let _ = writeln!(
                        out,
                        "create {} {} family inet hashsize 1024 maxelem 65536 bucketsize 12",
                        set.name,
                        kind.as_str()
                    );
                }
            }
            for entry in sorted_entries(set) {
                let _ = writeln!(out, "add {} {entry}", set.name);
            }
        }
        out
    }

    /// The rules as kube-proxy's IPVS mode hands them to `iptables-restore`: the nat table,
    /// then the filter table.
    pub fn render_iptables(&self) -> String {
        let mut nat = String::from("*nat\n");
        for chain in [
            "KUBE-SERVICES",
            "KUBE-POSTROUTING",
            "KUBE-NODE-PORT",
            "KUBE-LOAD-BALANCER",
            "KUBE-MARK-MASQ",
        ] {
            let _ = writeln!(nat, ":{chain} - [0:0]");
        }
        let mut filter = String::from("*filter\n");
        for chain in [
            "KUBE-FORWARD",
            "KUBE-NODE-PORT",
            "KUBE-PROXY-FIREWALL",
            "KUBE-SOURCE-RANGES-FIREWALL",
            "KUBE-IPVS-FILTER",
            "KUBE-IPVS-OUT-FILTER",
        ] {
            let _ = writeln!(filter, ":{chain} - [0:0]");
        }
        // Dismiss connections to localhost early in the service chain.
        nat.push_str("-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN\n");
        for (name, in_nat, from, to, matching, protocol) in IPSET_CHAINS {
            let Some(set) = self.set(name).filter(|set| !set.entries.is_empty()) else {
                continue;
            };
            let out = if in_nat { &mut nat } else { &mut filter };
            let _ = write!(out, "-A {from}");
            if !protocol.is_empty() {
                let _ = write!(out, " -p {protocol}");
            }
            let _ = writeln!(
                out,
                " -m comment --comment \"{}\" -m set --match-set {name} {matching} -j {to}",
                set.comment
            );
        }
        if let Some(set) = self.set(CLUSTER_IP).filter(|set| !set.entries.is_empty()) {
            let lead = format!(
                "-A KUBE-SERVICES -m comment --comment \"{}\" -m set --match-set {CLUSTER_IP}",
                set.comment
            );
            if self.masquerade_all {
                let _ = writeln!(nat, "{lead} dst,dst -j KUBE-MARK-MASQ");
            } else if let Some(cidr) = &self.cluster_cidr {
                let _ = writeln!(nat, "{lead} dst,dst ! -s {cidr} -j KUBE-MARK-MASQ");
            } else {
                // No local detection: masquerade node traffic whose source is a VIP.
                let _ = writeln!(nat, "{lead} src,dst -j KUBE-MARK-MASQ");
            }
        }
        for (name, masquerade) in [(EXTERNAL_IP, true), (EXTERNAL_IP_LOCAL, false)] {
            let Some(set) = self.set(name).filter(|set| !set.entries.is_empty()) else {
                continue;
            };
            let lead = format!(
                "-A KUBE-SERVICES -m comment --comment \"{}\" -m set --match-set {name} dst,dst",
                set.comment
            );
            if masquerade {
                let _ = writeln!(nat, "{lead} -j KUBE-MARK-MASQ");
            }
            // From off the machine (not a bridge, not a local process), and to external IPs
            // that are local addresses.
            let _ = writeln!(
                nat,
                "{lead} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT"
            );
            let _ = writeln!(nat, "{lead} -m addrtype --dst-type LOCAL -j ACCEPT");
        }
        nat.push_str("-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT\n");
        nat.push_str("-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ\n");
        filter.push_str("-A KUBE-SOURCE-RANGES-FIREWALL -j DROP\n");
        for (ip, protocol, port) in &self.no_node_access {
            let _ = writeln!(
                filter,
                "-A KUBE-IPVS-OUT-FILTER -s {ip} -m ipvs --vaddr {ip} --vproto {protocol} --vport {port} -j DROP"
            );
        }
        // acceptIPVSTraffic: the end of KUBE-SERVICES.
        for name in [CLUSTER_IP, LOAD_BALANCER] {
            if !self.is_empty(name) {
                let _ = writeln!(
                    nat,
                    "-A KUBE-SERVICES -m set --match-set {name} dst,dst -j ACCEPT"
                );
            }
        }
        let mark = format!("{MASQUERADE_MARK}/{MASQUERADE_MARK}");
        let _ = writeln!(
            filter,
            "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark {mark} -j ACCEPT"
        );
        filter.push_str("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
        let _ = writeln!(
            filter,
            "-A KUBE-NODE-PORT -m comment --comment \"Kubernetes health check node port\" -m set --match-set {HEALTH_CHECK_NODE_PORT} dst -j ACCEPT"
        );
        for (name, matching) in [
            (LOAD_BALANCER, "dst,dst"),
            (CLUSTER_IP, "dst,dst"),
            (EXTERNAL_IP, "dst,dst"),
            (EXTERNAL_IP_LOCAL, "dst,dst"),
            (HEALTH_CHECK_NODE_PORT, "dst"),
        ] {
            let _ = writeln!(
                filter,
                "-A KUBE-IPVS-FILTER -m set --match-set {name} {matching} -j RETURN"
            );
        }
        let _ = writeln!(
            filter,
            "-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set {IPVS_IPS} dst -j REJECT"
        );
        let _ = writeln!(nat, "-A KUBE-POSTROUTING -m mark ! --mark {mark} -j RETURN");
        let _ = writeln!(
            nat,
            "-A KUBE-POSTROUTING -j MARK --xor-mark {MASQUERADE_MARK}"
        );
        let _ = writeln!(
            nat,
            "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{}",
            if self.random_fully { " --random-fully" } else { "" }
        );
        let _ = writeln!(nat, "-A KUBE-MARK-MASQ -j MARK --or-mark {MASQUERADE_MARK}");
        filter.push_str("COMMIT\n");
        nat.push_str("COMMIT\n");
        nat.push_str(&filter);
        nat
    }
}

/// A set's entries in the order `ipset save` lists a bitmap (by port) or, for hash sets, in
/// address order (as numbers, not as text).
fn sorted_entries(set: &IpSet) -> Vec<&String> {
    let mut entries: Vec<&String> = set.entries.iter().collect();
    let key = |entry: &str| -> (u64, String) {
        if let Ok(port) = entry.parse::<u64>() {
            return (port, String::new());
        }
        let (ip, rest) = entry.split_once(',').unwrap_or((entry, ""));
        let number = ip
            .parse::<std::net::Ipv4Addr>()
            .map(|ip| u64::from(u32::from(ip)))
            .unwrap_or(u64::MAX);
        (number, rest.to_owned())
    };
    crate::small::order::sort_by(&mut entries, |a, b| key(a).cmp(&key(b)));
    entries
}
