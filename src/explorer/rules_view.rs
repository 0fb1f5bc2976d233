//! A node's kube-proxy rules as a reader looks at them: which lines belong to one Service's
//! chains and which rules a traced packet matched. Used by the explorer's rules panel; pure.

use crate::sim::control::cluster::Cluster;
use crate::sim::proxy::iptables::iptables_rules;
use crate::sim::proxy::iptables_save::{ip6tables_save, iptables_save, saved_line_of, Mode};
use crate::sim::proxy::ipvs::{render_ipvsadm, virtual_servers};
use crate::sim::proxy::nftables::nftables_rules;
use crate::sim::proxy::shared::ProxyConfig;
use crate::sim::proxy::trace::Trace;

/// How the rules are shown: kube-proxy's three modes, each as the CLI prints it (`svcscope
/// iptables`, `iptables -o restore`, `nft`, `ipvs`). The page computes them in its second
/// module ([`crate::explorer::errand`]), so they cost its first load nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RulesFormat {
    /// iptables mode, as `iptables-save` prints it on the node.
    Save,
    /// iptables mode, as kube-proxy hands it to `iptables-restore`.
    Restore,
    /// nftables mode, as `nft list table ip kube-proxy` prints it.
    Nft,
    /// IPVS mode's virtual servers, as `ipvsadm -Ln` prints them.
    Ipvs,
}

impl RulesFormat {
    /// Every format, in the order the panel offers them.
    pub const ALL: [RulesFormat; 4] = [
        RulesFormat::Save,
        RulesFormat::Restore,
        RulesFormat::Nft,
        RulesFormat::Ipvs,
    ];

    /// Its name in share links and the panel's choice.
    pub fn id(self) -> &'static str {
        match self {
            RulesFormat::Save => "iptables-save",
            RulesFormat::Restore => "iptables-restore",
            RulesFormat::Nft => "nft",
            RulesFormat::Ipvs => "ipvsadm",
        }
    }

    /// The command that prints the same text on the node.
    pub fn command(self) -> &'static str {
        match self {
            RulesFormat::Save => "iptables-save",
            RulesFormat::Restore => "iptables-restore input (kube-proxy's)",
            RulesFormat::Nft => "nft list table ip kube-proxy",
            RulesFormat::Ipvs => "ipvsadm -Ln",
        }
    }

    /// The format named `id`; iptables-save for anything else.
    pub fn from_id(id: &str) -> RulesFormat {
        RulesFormat::ALL
            .into_iter()
            .find(|format| format.id() == id)
            .unwrap_or(RulesFormat::Save)
    }
}

/// What a line of the dump is to the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mark {
    /// Nothing in particular.
    Plain,
    /// It belongs to the selected Service's chains.
    Service,
    /// The last traced packet matched it on this node.
    Matched,
}

/// What the rules panel shows: the node and Service in view, the choices of both, and the
/// marked lines.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RulesView {
    /// The node whose rules are shown ([`rules_node`]).
    pub node: String,
    /// Every node.
    pub nodes: Vec<String>,
    /// The Service whose chains stand out ([`rules_service`]; empty: none).
    pub service: String,
    /// A blank first choice (no Service), then every Service as `namespace/name`.
    pub services: Vec<String>,
    /// The dump, line by line, with each line's mark.
    pub lines: Vec<(String, Mark)>,
}

/// The rules panel for `cluster` with the reader's choices (empty: follow the trace).
pub fn rules_view(
    cluster: &Cluster,
    chosen_node: &str,
    chosen_service: &str,
    traced: Option<&Trace>,
    format: RulesFormat,
) -> RulesView {
    let node = rules_node(cluster, chosen_node, traced);
    let service = rules_service(chosen_service, traced);
    let lines = marked_rules(cluster, &node, &service, traced, format);
    RulesView {
        nodes: cluster.nodes.iter().map(|node| node.name.clone()).collect(),
        services: std::iter::once(String::new())
            .chain(cluster.services.iter().map(|service| {
                format!(
                    "{}/{}",
                    service.meta.namespace_or_default(),
                    service.meta.name
                )
            }))
            .collect(),
        node,
        service,
        lines,
    }
}

/// The node a rules dump is for: `chosen` when it is a node, else the node where the trace first
/// met a rule, else the first worker.
pub fn rules_node(cluster: &Cluster, chosen: &str, traced: Option<&Trace>) -> String {
    if cluster.nodes.iter().any(|node| node.name == chosen) {
        return chosen.to_owned();
    }
    traced
        .and_then(|traced| {
            traced
                .steps
                .iter()
                .find(|step| step.rule.is_some())
                .and_then(|step| step.node.clone())
        })
        .or_else(|| {
            cluster
                .nodes
                .iter()
                .find(|node| !node.control_plane)
                .or_else(|| cluster.nodes.first())
                .map(|node| node.name.clone())
        })
        .unwrap_or_default()
}

/// The Service whose chains stand out: `chosen` (`namespace/name`) when set, else the one the
/// traced packet's matched rules name in their comments.
pub fn rules_service(chosen: &str, traced: Option<&Trace>) -> String {
    if !chosen.is_empty() {
        return chosen.to_owned();
    }
    traced
        .and_then(|traced| {
            traced
                .steps
                .iter()
                .filter_map(|step| step.rule.as_deref())
                .find_map(comment)
        })
        .map(|comment| {
            let service = comment.split([':', ' ']).next().unwrap_or_default();
            service.to_owned()
        })
        .unwrap_or_default()
}

/// `node`'s kube-proxy rules in `format`, each line with its mark: the lines of `service`'s
/// chains (its rules, the chains they jump to and their declarations; in IPVS mode its virtual
/// servers) and, in iptables mode, the rules the trace matched on this node (the trace follows
/// iptables mode's rules).
pub fn marked_rules(
    cluster: &Cluster,
    node: &str,
    service: &str,
    traced: Option<&Trace>,
    format: RulesFormat,
) -> Vec<(String, Mark)> {
    let Some(entry) = cluster.nodes.iter().find(|entry| entry.name == node) else {
        return Vec::new();
    };
    // The proxier of the traced packet's family (`svcscope --ip-family`): a dual-stack node
    // runs one per family; without a traced packet, the cluster's primary family.
    let family = traced
        .and_then(|traced| traced.family)
        .unwrap_or_else(|| cluster.config.cluster_cidr.family());
    let config = ProxyConfig::for_node_family(entry, &cluster.config, family);
    let v6 = family == crate::sim::config::Family::V6;
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let restore = match format {
        RulesFormat::Save | RulesFormat::Restore => {
            iptables_rules(&services, &slices, &config).render()
        }
        RulesFormat::Nft => {
            let text = nftables_rules(&services, &slices, &config).render_list();
            return mark_nft(&text, service);
        }
        RulesFormat::Ipvs => {
            let text = render_ipvsadm(&virtual_servers(&services, &slices, &config));
            return mark_ipvs(&text, &service_ips(cluster, service));
        }
    };
    let mut matched: Vec<String> = traced
        .map(|traced| {
            traced
                .steps
                .iter()
                .filter(|step| step.node.as_deref() == Some(node))
                .filter_map(|step| step.rule.clone())
                .collect()
        })
        .unwrap_or_default();
    let text = match format {
        RulesFormat::Save => {
            matched = matched
                .iter()
                .filter_map(|rule| saved_line_of(rule, v6))
                .collect();
            if v6 {
                ip6tables_save(&restore, Mode::Iptables)
            } else {
                iptables_save(&restore, Mode::Iptables)
            }
        }
        RulesFormat::Restore | RulesFormat::Nft | RulesFormat::Ipvs => restore,
    };
    mark_iptables(&text, service, &matched)
}

/// Marks an iptables dump (restore or save spelling): `matched` rules, and the chains of
/// `service`, found from the rules whose comments name it and the chains those rules own
/// or jump to.
fn mark_iptables(text: &str, service: &str, matched: &[String]) -> Vec<(String, Mark)> {
    let mut chains: Vec<&str> = Vec::new();
    if !service.is_empty() {
        for line in text.lines() {
            if comment(line).is_some_and(|comment| names_service(comment, service)) {
                let mut words = line.split(' ');
                while let Some(word) = words.next() {
                    if word == "-A" || word == "-j" {
                        if let Some(chain) = words.next() {
                            if is_service_chain(chain) && !chains.contains(&chain) {
                                chains.push(chain);
                            }
                        }
                    }
                }
            }
        }
    }
    text.lines()
        .map(|line| {
            let owner = line
                .strip_prefix("-A ")
                .or_else(|| line.strip_prefix(':'))
                .and_then(|rest| rest.split(' ').next());
            let mark = if matched.iter().any(|rule| rule == line) {
                Mark::Matched
            } else if owner.is_some_and(|owner| chains.contains(&owner)) {
                Mark::Service
            } else {
                Mark::Plain
            };
            (line.to_owned(), mark)
        })
        .collect()
}

/// Marks `nft list table` output: the chains of `service` (`ns/name`; nftables names them
/// `service-HASH-ns/name/proto/port`, `endpoint-HASH-ns/name/...`) with their rules, and the map
/// elements that jump to them.
fn mark_nft(text: &str, service: &str) -> Vec<(String, Mark)> {
    let needle = format!("-{service}/");
    let mut inside = false;
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let names = !service.is_empty() && line.contains(&needle);
            if trimmed.starts_with("chain ") {
                inside = names;
            }
            let mark = if names || inside {
                Mark::Service
            } else {
                Mark::Plain
            };
            if inside && trimmed == "}" {
                inside = false;
            }
            (line.to_owned(), mark)
        })
        .collect()
}

/// The addresses a Service (`ns/name`) is reached at: its ClusterIPs, external IPs and load
/// balancer IPs (the virtual servers IPVS mode makes for it; node ports share the node's).
fn service_ips(cluster: &Cluster, service: &str) -> Vec<String> {
    let Some(found) = cluster.services.iter().find(|candidate| {
        service.split_once('/').is_some_and(|(namespace, name)| {
            namespace == candidate.meta.namespace_or_default() && name == candidate.meta.name
        })
    }) else {
        return Vec::new();
    };
    let spec = &found.spec;
    spec.cluster_ips
        .iter()
        .chain(spec.cluster_ip.iter())
        .chain(spec.external_ips.iter())
        .chain(
            found
                .load_balancer_ingress
                .iter()
                .filter_map(|ingress| ingress.ip.as_ref()),
        )
        .cloned()
        .collect()
}

/// Marks `ipvsadm -Ln` output: the virtual servers at one of `ips` and their real servers.
fn mark_ipvs(text: &str, ips: &[String]) -> Vec<(String, Mark)> {
    let mut inside = false;
    text.lines()
        .map(|line| {
            if !line.starts_with(' ') {
                // `TCP  10.96.0.10:53 rr`: a virtual server (or a header line).
                inside = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(crate::sim::proxy::shared::split_host_port)
                    .is_some_and(|(ip, _)| ips.iter().any(|wanted| wanted == ip));
            }
            let mark = if inside { Mark::Service } else { Mark::Plain };
            (line.to_owned(), mark)
        })
        .collect()
}

/// A rule's `--comment` text, without its quotes.
fn comment(rule: &str) -> Option<&str> {
    let rest = rule.split_once("--comment ")?.1;
    Some(match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next().unwrap_or_default(),
        None => rest.split(' ').next().unwrap_or_default(),
    })
}

/// Whether a comment (`ns/name:port ...`, `ns/name ...`) is about Service `service`.
fn names_service(comment: &str, service: &str) -> bool {
    comment
        .strip_prefix(service)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', ' ']))
}

/// The per-Service chains (the shared ones like KUBE-SERVICES stay unmarked).
fn is_service_chain(chain: &str) -> bool {
    [
        "KUBE-SVC-",
        "KUBE-SVL-",
        "KUBE-EXT-",
        "KUBE-FW-",
        "KUBE-SEP-",
    ]
    .iter()
    .any(|prefix| chain.starts_with(prefix))
}
