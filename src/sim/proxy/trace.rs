//! Packet traces: where a connection goes, hop by hop, through cluster DNS and the rules
//! [`crate::sim::proxy::iptables`] writes. The rules are interpreted as netfilter would for the first
//! packet of a connection (conntrack state NEW): the `nat` table's `KUBE-SERVICES` chain
//! (PREROUTING for packets arriving, OUTPUT for packets a node sends), then, if nothing
//! DNATed the packet, the `filter` table's `KUBE-PROXY-FIREWALL`, `KUBE-SERVICES` and
//! `KUBE-EXTERNAL-SERVICES` chains, then routing, then `KUBE-POSTROUTING`'s masquerade.
//!
//! Where kube-proxy draws at random (`-m statistic --mode random`), the trace reports every
//! backend with its probability and follows one, chosen by a stable hash of the client's
//! address and port (of the client's address alone with ClientIP session affinity, which
//! pins every later connection to the same backend).

use crate::sim::proxy::shared::ProxyConfig;
use std::net::IpAddr;

use crate::sim::config::{stable_hash, Cidr};
use crate::sim::control::cluster::Cluster;
use crate::sim::dns::plugin::{Dns, QType, RData, Rcode};
use crate::sim::dns::resolver::{resolv_conf, resolve, ResolverKind};
use crate::sim::key::ObjectKey;
use crate::sim::proxy::iptables::{iptables_rules, IptablesRules};

/// Where the connection starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A pod.
    Pod(ObjectKey),
    /// A node, by name.
    Node(String),
    /// A client outside the cluster, by IP.
    External(String),
}

impl Source {
    /// Reads `pod/[NS/]NAME`, `node/NAME` or `external:IP`.
    pub fn parse(text: &str) -> Option<Source> {
        if let Some(pod) = text.strip_prefix("pod/") {
            return Some(Source::Pod(ObjectKey::parse(pod, "default")));
        }
        if let Some(name) = text.strip_prefix("node/") {
            return Some(Source::Node(name.to_owned()));
        }
        text.strip_prefix("external:")
            .map(|ip| Source::External(ip.to_owned()))
    }
}

/// Where a connection goes: a name or an address, and a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// A DNS name, a ClusterIP, a node IP or a LoadBalancer IP.
    pub host: String,
    /// The port (80 when none is given).
    pub port: u16,
}

impl Target {
    /// Reads `HOST[:PORT]` (`[IPv6]:PORT`, or a bare IPv6 address); the error says what is
    /// wrong with the port.
    pub fn parse(text: &str) -> Result<Target, String> {
        if !text.starts_with('[') && text.matches(':').count() > 1 {
            // A bare IPv6 address: every colon is its own.
            return Ok(Target {
                host: text.to_owned(),
                port: 80,
            });
        }
        if let Some(inner) = text.strip_prefix('[') {
            let (host, rest) = inner
                .split_once(']')
                .ok_or_else(|| format!("{text}: missing ']' in address"))?;
            let port = match rest.strip_prefix(':') {
                Some(port) => port
                    .parse::<u16>()
                    .map_err(|_| format!("{text}: the port is not a number"))?,
                None if rest.is_empty() => 80,
                None => return Err(format!("{text}: expected :PORT after ']'")),
            };
            return Ok(Target {
                host: host.to_owned(),
                port,
            });
        }
        match text.rsplit_once(':') {
            Some((host, port)) => match port.parse::<u16>() {
                Ok(port) => Ok(Target {
                    host: host.to_owned(),
                    port,
                }),
                Err(_) => Err(format!("{text}: the port is not a number")),
            },
            None => Ok(Target {
                host: text.to_owned(),
                port: 80,
            }),
        }
    }
}

/// One hop of a trace.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// What acts: `dns`, `client`, `kube-proxy`, `network`, `pod`, ...
    pub component: String,
    /// The node it happens on, if any.
    pub node: Option<String>,
    /// The rule that matched (`-A CHAIN ...`), if any.
    pub rule: Option<String>,
    /// Source before the hop (`ip:port`).
    pub src: String,
    /// Destination before the hop.
    pub dst: String,
    /// Source after it.
    pub src_after: String,
    /// Destination after it.
    pub dst_after: String,
    /// What happened, in words.
    pub note: String,
}

impl Step {
    /// A hop that leaves the packet's addresses as they are.
    fn unchanged(component: &str, node: Option<String>, packet: &Packet, note: String) -> Step {
        Step {
            component: component.to_owned(),
            node,
            rule: None,
            src: packet.src_text(),
            dst: packet.dst_text(),
            src_after: packet.src_text(),
            dst_after: packet.dst_text(),
            note,
        }
    }
}

/// A possible backend and the chance this connection reaches it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Backend {
    /// `namespace/name` of the pod with that address, if one has it.
    pub pod: Option<String>,
    /// `ip:port`.
    pub address: String,
    /// The probability.
    pub probability: f64,
}

/// How the connection ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Verdict {
    /// It reached a pod.
    Delivered,
    /// A REJECT rule answered it (no endpoints).
    Rejected,
    /// A DROP rule, or nothing routes it.
    Dropped,
    /// It left the cluster (a name or address outside it).
    External,
    /// The name did not resolve.
    Unresolved,
}

impl Verdict {
    /// `delivered`, `rejected`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Delivered => "delivered",
            Verdict::Rejected => "rejected",
            Verdict::Dropped => "dropped",
            Verdict::External => "external",
            Verdict::Unresolved => "unresolved",
        }
    }
}

/// A whole trace.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trace {
    /// The hops, in order.
    pub steps: Vec<Step>,
    /// The packet's address family (the proxier of that family handles it); `None` when no
    /// packet left the client (its name did not resolve, or resolved outside the cluster).
    pub family: Option<crate::sim::config::Family>,
    /// The backends the packet could have reached, with their probabilities.
    pub backends: Vec<Backend>,
    /// How it ended.
    pub verdict: Verdict,
}

/// The packet being walked through the rules.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Packet {
    src: IpAddr,
    sport: u16,
    dst: IpAddr,
    dport: u16,
    protocol: String,
    masquerade: bool,
}

impl Packet {
    fn src_text(&self) -> String {
        crate::sim::proxy::shared::join_host_port(&self.src.to_string(), self.sport)
    }
    fn dst_text(&self) -> String {
        crate::sim::proxy::shared::join_host_port(&self.dst.to_string(), self.dport)
    }
}

/// What a chain walk ended in.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Fell off the end of the chain (or RETURN): go on after the jump.
    Continue,
    /// DNAT to an address.
    Dnat(IpAddr, u16),
    /// REJECT.
    Reject,
    /// DROP.
    Drop,
    /// ACCEPT.
    Accept,
}

/// Splits a rule into arguments, keeping quoted comments whole.
fn tokens(rule: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for character in rule.chars() {
        match character {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            _ => current.push(character),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The interpreter's view of one node.
struct Node<'r> {
    name: String,
    ips: Vec<IpAddr>,
    rules: &'r IptablesRules,
    /// Picks among the probabilistic rules of a chain: the index of the rule to take.
    choose: &'r dyn Fn(usize) -> usize,
}

impl Node<'_> {
    fn is_local(&self, ip: IpAddr) -> bool {
        ip.is_loopback() || self.ips.contains(&ip)
    }

    /// Whether `rule`'s matches hold for `packet` (the first packet of a connection). The
    /// statistic match is decided by `pick`: `Some(true)` takes it.
    fn matches(&self, args: &[String], packet: &Packet, pick: Option<bool>) -> bool {
        let mut index = 0;
        let mut negate = false;
        while let Some(arg) = args.get(index) {
            let value = args.get(index + 1).map(String::as_str).unwrap_or("");
            let ok = match arg.as_str() {
                "!" => {
                    negate = true;
                    index += 1;
                    continue;
                }
                "-d" => Cidr::text_contains(value, packet.dst) != negate,
                "-s" => Cidr::text_contains(value, packet.src) != negate,
                "-p" => value == packet.protocol,
                "--dport" => value.parse::<u16>().ok() == Some(packet.dport),
                "--dst-type" => self.is_local(packet.dst) != negate,
                "--src-type" => self.is_local(packet.src) != negate,
                "--probability" => pick.unwrap_or(false),
                // A new connection is in no `recent` list yet.
                "--rcheck" => false,
                // ctstate of a new, DNAT-free packet: NEW.
                "--ctstate" => {
                    let states: Vec<&str> = value.split(',').collect();
                    let hit = states.contains(&"NEW");
                    hit != negate
                }
                "-j" => return true,
                _ => {
                    index += 1;
                    negate = false;
                    continue;
                }
            };
            if !ok {
                return false;
            }
            negate = false;
            index += 2;
        }
        true
    }

    /// Walks `chain` of `table` with `packet`, appending steps and the backends a
    /// load-balancing chain offers.
    fn walk(
        &self,
        table: &str,
        chain: &str,
        packet: &mut Packet,
        steps: &mut Vec<Step>,
        backends: &mut Vec<(String, f64)>,
        depth: usize,
    ) -> Outcome {
        if depth > 16 {
            return Outcome::Continue;
        }
        let rules: Vec<&str> = self.rules.chain_rules(table, chain);
        // The load-balancing rules of this chain: their probabilities, in order.
        let mut balanced: Vec<(usize, f64)> = Vec::new();
        let mut remaining = 1.0;
        let mut last_balanced = None;
        // A rule jumping to an endpoint chain (not an affinity check) balances; the comments
        // that name the endpoint are gone in large-cluster mode, so the target tells.
        let jump = |rule: &str| -> Option<String> {
            rule.split_once(" -j ")
                .map(|(_, target)| target.split(' ').next().unwrap_or("").to_owned())
        };
        for (position, rule) in rules.iter().enumerate() {
            let to_endpoint = jump(rule).is_some_and(|target| target.starts_with("KUBE-SEP-"));
            if to_endpoint && !rule.contains("--rcheck") {
                let probability = rule
                    .split("--probability ")
                    .nth(1)
                    .and_then(|rest| rest.split(' ').next())
                    .and_then(decimal)
                    .unwrap_or(1.0);
                balanced.push((position, remaining * probability));
                remaining *= 1.0 - probability;
                last_balanced = Some(position);
            }
        }
        let chosen = if balanced.is_empty() {
            None
        } else {
            balanced
                .get((self.choose)(balanced.len()))
                .map(|(position, _)| *position)
        };
        for (position, rule) in rules.iter().enumerate() {
            let args = tokens(rule);
            let pick = chosen.map(|taken| taken == position);
            // The last balanced rule has no statistic match: it only runs if none before did.
            if Some(position) == last_balanced && chosen != Some(position) {
                continue;
            }
            if !self.matches(args.get(2..).unwrap_or(&[]), packet, pick) {
                continue;
            }
            let target = args
                .iter()
                .position(|arg| arg == "-j")
                .and_then(|at| args.get(at + 1))
                .cloned();
            if !balanced.is_empty() && balanced.iter().any(|(at, _)| *at == position) {
                for (at, probability) in &balanced {
                    // The endpoint's address: its chain's DNAT destination.
                    let address = rules.get(*at).and_then(|rule| jump(rule)).and_then(|sep| {
                        self.rules
                            .chain_rules("nat", &sep)
                            .iter()
                            .find_map(|line| line.split_once("--to-destination "))
                            .map(|(_, rest)| rest.split(' ').next().unwrap_or("").to_owned())
                    });
                    if let Some(address) = address {
                        backends.push((address, *probability));
                    }
                }
            }
            let before = (packet.src_text(), packet.dst_text());
            let mut step = Step {
                component: format!("kube-proxy ({table} {chain})"),
                node: Some(self.name.clone()),
                rule: Some((*rule).to_owned()),
                src: before.0.clone(),
                dst: before.1.clone(),
                src_after: before.0,
                dst_after: before.1,
                note: String::new(),
            };
            match target.as_deref() {
                None => {
                    step.note = "matched; no target: go on".to_owned();
                    steps.push(step);
                }
                Some("KUBE-MARK-MASQ") => {
                    packet.masquerade = true;
                    step.note =
                        "marked 0x4000: the source will be masqueraded (SNAT) on the way out"
                            .to_owned();
                    steps.push(step);
                }
                Some("RETURN") => {
                    steps.push(step);
                    return Outcome::Continue;
                }
                Some("DNAT") => {
                    let destination = args
                        .iter()
                        .position(|arg| arg == "--to-destination")
                        .and_then(|at| args.get(at + 1))
                        .cloned()
                        .unwrap_or_default();
                    let parsed = crate::sim::proxy::shared::split_host_port(&destination).and_then(
                        |(ip, port)| Some((ip.parse::<IpAddr>().ok()?, port.parse::<u16>().ok()?)),
                    );
                    let Some((ip, port)) = parsed else {
                        return Outcome::Drop;
                    };
                    packet.dst = ip;
                    packet.dport = port;
                    step.dst_after = packet.dst_text();
                    step.note = format!("DNAT to the endpoint {destination}");
                    steps.push(step);
                    return Outcome::Dnat(ip, port);
                }
                Some("REJECT") => {
                    step.note =
                        "REJECT: the client gets an ICMP port unreachable (connection refused)"
                            .to_owned();
                    steps.push(step);
                    return Outcome::Reject;
                }
                Some("DROP") => {
                    step.note = "DROP: the packet is discarded (the client times out)".to_owned();
                    steps.push(step);
                    return Outcome::Drop;
                }
                Some("ACCEPT") => {
                    step.note = "ACCEPT".to_owned();
                    steps.push(step);
                    return Outcome::Accept;
                }
                Some(next) => {
                    step.note = format!("jump to {next}");
                    steps.push(step);
                    let outcome = self.walk(table, next, packet, steps, backends, depth + 1);
                    if outcome != Outcome::Continue {
                        return outcome;
                    }
                }
            }
        }
        Outcome::Continue
    }
}

/// Traces a connection from `source` to `destination` (a DNS name or an IPv4 address) and
/// `port` over `protocol` (`tcp` or `udp`), with `source_port` as the client's port.
pub fn trace(
    cluster: &Cluster,
    dns: &Dns,
    source: &Source,
    destination: &str,
    port: u16,
    protocol: &str,
    source_port: u16,
) -> Result<Trace, String> {
    let mut steps = Vec::new();
    let mut backends_found: Vec<Backend> = Vec::new();
    // The client, with its address of each family (a dual-stack pod or node has two).
    let (client_ips, client_node): (Vec<IpAddr>, Option<String>) = match source {
        Source::Pod(key) => {
            let pod = cluster.pod(key).ok_or_else(|| {
                format!(
                    "pods \"{}\" not found in namespace {}",
                    key.name, key.namespace
                )
            })?;
            let ips: Vec<IpAddr> = pod
                .ips()
                .into_iter()
                .filter_map(|ip| ip.parse().ok())
                .collect();
            if ips.is_empty() {
                return Err(format!("pod {key} has no IP yet"));
            }
            (ips, pod.node_name.clone())
        }
        Source::Node(name) => {
            let node = cluster
                .nodes
                .iter()
                .find(|node| &node.name == name)
                .ok_or_else(|| format!("nodes \"{name}\" not found"))?;
            let ips: Vec<IpAddr> = node
                .internal_ips()
                .into_iter()
                .filter_map(|ip| ip.parse().ok())
                .collect();
            if ips.is_empty() {
                return Err(format!("node {name} has no InternalIP"));
            }
            (ips, Some(name.clone()))
        }
        Source::External(ip) => (
            vec![ip
                .parse::<IpAddr>()
                .map_err(|_| format!("{ip} is not an IP address"))?],
            None,
        ),
    };
    let client_of = |family_v6: bool| {
        client_ips
            .iter()
            .copied()
            .find(|ip| ip.is_ipv6() == family_v6)
    };
    let first_client = client_ips
        .first()
        .copied()
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    // The name, if it is one.
    let target: IpAddr = match destination.parse::<IpAddr>() {
        Ok(ip) => ip,
        Err(_) => {
            let server = cluster.config.dns_ip().to_string();
            // The client asks for the cluster's primary family: A on an IPv4 or IPv4-first
            // cluster, AAAA on an IPv6-first one (clients that ask both and choose are not
            // simulated).
            let qtype = if cluster.config.cluster_cidr.family() == crate::sim::config::Family::V6 {
                QType::Aaaa
            } else {
                QType::A
            };
            let ask = |qtype: QType| -> Result<Option<crate::sim::dns::plugin::Response>, String> {
                Ok(match source {
                    Source::Pod(key) => {
                        let pod = cluster
                            .pod(key)
                            .ok_or_else(|| format!("pods \"{}\" not found", key.name))?;
                        let conf = resolv_conf(pod, &server, &cluster.config.cluster_domain);
                        resolve(dns, destination, qtype, &conf, ResolverKind::Glibc)
                            .result()
                            .cloned()
                    }
                    _ => Some(dns.query(destination, qtype)),
                })
            };
            let mut response = ask(qtype)?;
            // A dual-stack client whose first family has no answer asks for the other one
            // (getaddrinfo asks both).
            let answered = |response: &Option<crate::sim::dns::plugin::Response>| {
                response.as_ref().is_some_and(|response| {
                    response
                        .answer
                        .iter()
                        .any(|record| matches!(record.data, RData::A(_) | RData::Aaaa(_)))
                })
            };
            if !answered(&response) && cluster.config.dual_stack() {
                let other = if qtype == QType::A {
                    QType::Aaaa
                } else {
                    QType::A
                };
                let second = ask(other)?;
                if answered(&second) {
                    response = second;
                }
            }
            let Some(response) = response else {
                return Err("the resolver sent no query".to_owned());
            };
            let dns_client = client_of(server.contains(':')).unwrap_or(first_client);
            let addresses: Vec<IpAddr> = response
                .answer
                .iter()
                .filter_map(|record| match &record.data {
                    RData::A(ip) => Some(IpAddr::V4(*ip)),
                    RData::Aaaa(ip) => ip.parse::<IpAddr>().ok(),
                    _ => None,
                })
                .collect();
            let records: Vec<String> = response.answer.iter().map(ToString::to_string).collect();
            let mut step = Step {
                component: "dns".to_owned(),
                node: client_node.clone(),
                rule: None,
                src: crate::sim::proxy::shared::join_host_port(
                    &dns_client.to_string(),
                    source_port,
                ),
                dst: crate::sim::proxy::shared::join_host_port(&server, 53),
                src_after: crate::sim::proxy::shared::join_host_port(
                    &dns_client.to_string(),
                    source_port,
                ),
                dst_after: crate::sim::proxy::shared::join_host_port(&server, 53),
                note: String::new(),
            };
            if matches!(source, Source::Node(_) | Source::External(_)) {
                step.note.push_str(
                    "(nodes and outside clients do not use cluster DNS: the name is asked of CoreDNS directly) ",
                );
            }
            match response.rcode {
                None => {
                    step.note.push_str(&format!(
                        "{destination} is outside the cluster: CoreDNS forwards it upstream"
                    ));
                    steps.push(step);
                    return Ok(Trace {
                        steps,
                        family: None,
                        backends: Vec::new(),
                        verdict: Verdict::External,
                    });
                }
                Some(rcode @ (Rcode::NxDomain | Rcode::Refused)) => {
                    step.note
                        .push_str(&format!("{destination}: {}", rcode.as_str()));
                    steps.push(step);
                    return Ok(Trace {
                        steps,
                        family: None,
                        backends: Vec::new(),
                        verdict: Verdict::Unresolved,
                    });
                }
                Some(Rcode::NoError) => {}
            }
            let Some(first) = addresses.first().copied() else {
                let outside = response.note.is_some();
                step.note.push_str(&format!(
                    "{}: {}",
                    response.qname,
                    if records.is_empty() {
                        "no address (NODATA)".to_owned()
                    } else {
                        records.join(", ")
                    }
                ));
                if outside {
                    step.note.push_str(
                        " (a CNAME out of the cluster: the client follows it through the upstream resolver)",
                    );
                }
                steps.push(step);
                return Ok(Trace {
                    steps,
                    family: None,
                    backends: Vec::new(),
                    verdict: if outside {
                        Verdict::External
                    } else {
                        Verdict::Unresolved
                    },
                });
            };
            step.note
                .push_str(&format!("{}: {}", response.qname, records.join(", ")));
            if addresses.len() > 1 {
                step.note.push_str(&format!(
                    "; the client picks {first} (the first; each client library picks its own way)"
                ));
                let share = 1.0 / addresses.len() as f64;
                backends_found = addresses
                    .iter()
                    .map(|ip| Backend {
                        pod: pod_with_ip(cluster, &ip.to_string()),
                        address: crate::sim::proxy::shared::join_host_port(&ip.to_string(), port),
                        probability: share,
                    })
                    .collect();
            }
            steps.push(step);
            first
        }
    };
    let family = if target.is_ipv6() {
        crate::sim::config::Family::V6
    } else {
        crate::sim::config::Family::V4
    };
    let Some(client_ip) = client_of(target.is_ipv6()) else {
        return Err(format!(
            "the client has no {} address to reach {target} from (its addresses: {})",
            family.name(),
            client_ips
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let mut packet = Packet {
        src: client_ip,
        sport: source_port,
        dst: target,
        dport: port,
        protocol: protocol.to_ascii_lowercase(),
        masquerade: false,
    };
    steps.push(Step::unchanged(
        "client",
        client_node.clone(),
        &packet,
        format!(
            "the client opens a {protocol} connection to {}",
            packet.dst_text()
        ),
    ));

    // The node whose kube-proxy rules see the packet first.
    let entry = match &client_node {
        Some(node) => Some(node.clone()),
        None => cluster
            .nodes
            .iter()
            .find(|node| {
                node.internal_ips()
                    .into_iter()
                    .any(|ip| ip.parse::<IpAddr>().ok() == Some(target))
            })
            .map(|node| node.name.clone())
            .or_else(|| load_balancer_node(cluster, target)),
    };
    let proxied = client_node.is_none() && proxy_mode_load_balancer(cluster, target);
    if proxied {
        steps.push(Step::unchanged(
            "network",
            None,
            &packet,
            "the load balancer owns this address with ipMode: Proxy: it ends the connection \
             itself and opens its own to the cluster's nodes, a hop of the provider's that \
             svcscope does not simulate (kube-proxy writes no rule for a Proxy-mode address)"
                .to_owned(),
        ));
        return Ok(Trace {
            steps,
            family: Some(family),
            backends: backends_found,
            verdict: Verdict::External,
        });
    }
    let Some(entry) = entry else {
        steps.push(Step::unchanged("network", None, &packet, "nothing outside the cluster routes to this address (ClusterIPs and pod IPs exist only inside it)".to_owned()));
        return Ok(Trace {
            steps,
            family: Some(family),
            backends: backends_found,
            verdict: Verdict::Dropped,
        });
    };
    let node_entry = cluster
        .nodes
        .iter()
        .find(|node| node.name == entry)
        .ok_or_else(|| format!("nodes \"{entry}\" not found"))?;
    // The proxier of the packet's family.
    let config = ProxyConfig::for_node_family(node_entry, &cluster.config, family);
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let rules = iptables_rules(&services, &slices, &config);
    let sticky = packet_affinity(cluster, target, port);
    let seed = if sticky {
        stable_hash(&client_ip.to_string())
    } else {
        stable_hash(&format!("{client_ip}:{source_port}"))
    };
    let choose = move |count: usize| (seed % count.max(1) as u64) as usize;
    let node = Node {
        name: entry.clone(),
        ips: config
            .node_ips
            .iter()
            .filter_map(|ip| ip.parse::<IpAddr>().ok())
            .collect(),
        rules: &rules,
        choose: &choose,
    };
    let mut balanced = Vec::new();
    let outcome = node.walk(
        "nat",
        "KUBE-SERVICES",
        &mut packet,
        &mut steps,
        &mut balanced,
        0,
    );
    // What topology hints did to the Service's endpoints on this node.
    let service = cluster.services.iter().find(|service| {
        service
            .spec
            .cluster_ips
            .iter()
            .any(|ip| ip.parse::<IpAddr>().ok() == Some(target))
    });
    if let Some(note) = service.and_then(|service| {
        crate::sim::proxy::shared::topology_note(service, i64::from(port), &slices, &config)
    }) {
        if let Some(step) = steps
            .iter_mut()
            .find(|step| step.note.starts_with("jump to KUBE-SVC-"))
        {
            step.note.push_str(&format!(" ({note})"));
        }
    }
    if !balanced.is_empty() {
        backends_found = balanced
            .into_iter()
            .map(|(address, probability)| Backend {
                pod: pod_with_ip(
                    cluster,
                    crate::sim::proxy::shared::split_host_port(&address).map_or("", |(ip, _)| ip),
                ),
                address,
                probability,
            })
            .collect();
    }
    if sticky {
        if let Some(step) = steps
            .iter_mut()
            .rev()
            .find(|step| step.note.starts_with("DNAT"))
        {
            step.note.push_str(
                " (sessionAffinity ClientIP: the `recent` list now pins this client to it)",
            );
        }
    }
    if outcome != Outcome::Dnat(packet.dst, packet.dport) {
        // Not DNATed: the filter table's kube-proxy chains see it.
        for chain in [
            "KUBE-PROXY-FIREWALL",
            "KUBE-SERVICES",
            "KUBE-EXTERNAL-SERVICES",
        ] {
            let result = node.walk("filter", chain, &mut packet, &mut steps, &mut Vec::new(), 0);
            match result {
                Outcome::Reject => {
                    return Ok(Trace {
                        steps,
                        family: Some(family),
                        backends: backends_found,
                        verdict: Verdict::Rejected,
                    })
                }
                Outcome::Drop => {
                    return Ok(Trace {
                        steps,
                        family: Some(family),
                        backends: backends_found,
                        verdict: Verdict::Dropped,
                    })
                }
                _ => {}
            }
        }
    }
    // Routing to the pod that has the destination address.
    let destination_pod = cluster
        .pods
        .iter()
        .find(|pod| pod.ips().contains(&packet.dst.to_string().as_str()));
    let Some(pod) = destination_pod else {
        let note = if node.is_local(packet.dst) {
            "the node itself: no Service rule matched this port".to_owned()
        } else {
            "no pod has this address: the packet leaves through the node's default route".to_owned()
        };
        steps.push(Step::unchanged(
            "network",
            Some(entry.clone()),
            &packet,
            note,
        ));
        return Ok(Trace {
            steps,
            family: Some(family),
            backends: backends_found,
            verdict: if node.is_local(packet.dst) {
                Verdict::Dropped
            } else {
                Verdict::External
            },
        });
    };
    // POSTROUTING: masquerade marked packets.
    if packet.masquerade {
        let before = packet.src_text();
        packet.src = node.ips.first().copied().unwrap_or(packet.src);
        let rule = rules
            .nat_rules()
            .find(|(_, rule)| rule.contains("MASQUERADE"))
            .map(|(_, rule)| rule.to_owned());
        steps.push(Step {
            component: "kube-proxy (nat KUBE-POSTROUTING)".to_owned(),
            node: Some(entry.clone()),
            rule,
            src: before,
            dst: packet.dst_text(),
            src_after: packet.src_text(),
            dst_after: packet.dst_text(),
            note: "MASQUERADE: the source becomes the node's address (the backend sees the node, not the client)".to_owned(),
        });
    }
    if pod.node_name.as_deref() != Some(entry.as_str()) {
        steps.push(Step::unchanged(
            "network",
            Some(entry.clone()),
            &packet,
            format!(
                "routed from {entry} to {} (the pod network: {}'s pod CIDR)",
                pod.node_name.as_deref().unwrap_or("?"),
                pod.node_name.as_deref().unwrap_or("?")
            ),
        ));
    }
    let declared = pod
        .spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .flat_map(|container| &container.ports)
        .any(|declared| declared.container_port == Some(i64::from(packet.dport)));
    steps.push(Step::unchanged("pod", pod.node_name.clone(), &packet, format!(
            "delivered to {}/{}{}{}",
            pod.namespace,
            pod.name,
            if packet.src == client_ip {
                " (it sees the client's own address)"
            } else {
                ""
            },
            if declared {
                String::new()
            } else {
                format!(
                    "; it declares no containerPort {}: if nothing listens there, the pod refuses the connection",
                    packet.dport
                )
            }
        )));
    Ok(Trace {
        steps,
        family: Some(family),
        backends: backends_found,
        verdict: Verdict::Delivered,
    })
}

fn pod_with_ip(cluster: &Cluster, ip: &str) -> Option<String> {
    cluster
        .pods
        .iter()
        .find(|pod| pod.ips().contains(&ip))
        .map(|pod| format!("{}/{}", pod.namespace, pod.name))
}

/// Whether the Service behind `ip:port` pins clients (`sessionAffinity: ClientIP`).
fn packet_affinity(cluster: &Cluster, ip: IpAddr, port: u16) -> bool {
    let ip = ip.to_string();
    cluster.services.iter().any(|service| {
        let spec = &service.spec;
        spec.session_affinity.as_deref() == Some("ClientIP")
            && (spec.cluster_ip.as_deref() == Some(ip.as_str())
                || spec.external_ips.contains(&ip)
                || service
                    .load_balancer_ingress
                    .iter()
                    .any(|ingress| ingress.ip.as_deref() == Some(ip.as_str())))
            && spec
                .ports
                .iter()
                .any(|candidate| candidate.port == Some(i64::from(port)))
    })
}

/// Whether `ip` is a LoadBalancer ingress address in `ipMode: Proxy`.
fn proxy_mode_load_balancer(cluster: &Cluster, ip: IpAddr) -> bool {
    let ip = ip.to_string();
    cluster.services.iter().any(|service| {
        service.load_balancer_ingress.iter().any(|ingress| {
            ingress.ip.as_deref() == Some(ip.as_str())
                && !crate::sim::proxy::shared::is_vip_mode(ingress)
        })
    })
}

/// The node a load balancer sends `ip`'s traffic to: with `externalTrafficPolicy: Local`, the
/// first node with a ready local endpoint (the load balancer's health checks fail on the
/// others); otherwise the first schedulable worker.
fn load_balancer_node(cluster: &Cluster, ip: IpAddr) -> Option<String> {
    let ip = ip.to_string();
    let service = cluster.services.iter().find(|service| {
        service.load_balancer_ingress.iter().any(|ingress| {
            ingress.ip.as_deref() == Some(ip.as_str())
                && crate::sim::proxy::shared::is_vip_mode(ingress)
        })
    })?;
    if service.spec.external_traffic_policy.as_deref() == Some("Local") {
        return cluster
            .endpoint_slices
            .iter()
            .filter(|slice| {
                slice.namespace == service.meta.namespace && slice.service == service.meta.name
            })
            .flat_map(|slice| &slice.endpoints)
            .filter(|endpoint| endpoint.ready)
            .find_map(|endpoint| endpoint.node_name.clone());
    }
    cluster
        .nodes
        .iter()
        .find(|node| !node.control_plane && !node.unschedulable)
        .map(|node| node.name.clone())
}

/// Where connections from `source` to `destination:port` end, one per client port in
/// `client_ports` (each new connection gets a new source port, so iptables' `statistic`
/// rules, modelled by a stable hash, may pick another backend; with `sessionAffinity:
/// ClientIP` the `recent` match keeps them on one). Each ending (`namespace/pod`, the address
/// when no pod has it, or the verdict) with how many connections reached it, in first-seen
/// order.
pub fn spread(
    cluster: &Cluster,
    dns: &Dns,
    source: &Source,
    destination: &str,
    port: u16,
    protocol: &str,
    client_ports: std::ops::Range<u16>,
) -> Result<Vec<(String, usize)>, String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for client_port in client_ports {
        let traced = trace(
            cluster,
            dns,
            source,
            destination,
            port,
            protocol,
            client_port,
        )?;
        let ending = if traced.verdict == Verdict::Delivered {
            traced
                .steps
                .last()
                .map(|step| {
                    let ip = crate::sim::proxy::shared::split_host_port(&step.dst_after)
                        .map_or(step.dst_after.as_str(), |(ip, _)| ip);
                    cluster
                        .pods
                        .iter()
                        .find(|pod| pod.ips().contains(&ip))
                        .map_or_else(
                            || step.dst_after.clone(),
                            |pod| format!("{}/{}", pod.namespace, pod.name),
                        )
                })
                .unwrap_or_default()
        } else {
            traced.verdict.as_str().to_owned()
        };
        match counts.iter_mut().find(|(name, _)| *name == ending) {
            Some((_, count)) => *count += 1,
            None => counts.push((ending, 1)),
        }
    }
    Ok(counts)
}

/// A plain decimal (`0.3333333333`, as kube-proxy writes `--probability`) as a float, without
/// `f64::from_str` (whose tables would otherwise be in the wasm).
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 18 {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let scale = 10u64.checked_pow(u32::try_from(fraction.len()).ok()?)?;
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    Some(whole as f64 + fraction as f64 / scale as f64)
}

impl Trace {
    /// The trace as `svcscope trace` prints it: each hop with its rule and addresses, the
    /// backends with their probabilities, the verdict.
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (index, step) in self.steps.iter().enumerate() {
            let place = step
                .node
                .as_deref()
                .map(|node| format!(" on {node}"))
                .unwrap_or_default();
            text.push_str(&format!("{}. {}{place}\n", index + 1, step.component));
            if let Some(rule) = &step.rule {
                text.push_str(&format!("   rule: {rule}\n"));
            }
            if step.src != step.src_after || step.dst != step.dst_after {
                text.push_str(&format!(
                    "   {} -> {}  becomes  {} -> {}\n",
                    step.src, step.dst, step.src_after, step.dst_after
                ));
            } else {
                text.push_str(&format!("   {} -> {}\n", step.src, step.dst));
            }
            if !step.note.is_empty() {
                text.push_str(&format!("   {}\n", step.note));
            }
        }
        if !self.backends.is_empty() {
            text.push_str("backends:\n");
            for backend in &self.backends {
                text.push_str(&format!(
                    "   {} {} {:.1}%\n",
                    backend.pod.as_deref().unwrap_or("-"),
                    backend.address,
                    backend.probability * 100.0
                ));
            }
        }
        text.push_str(&format!("verdict: {}\n", self.verdict.as_str()));
        text
    }
}
