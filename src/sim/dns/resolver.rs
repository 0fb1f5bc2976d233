//! The client side of cluster DNS: the `/etc/resolv.conf` the kubelet gives a pod, and the
//! queries a C library's stub resolver sends for a name.
//!
//! - resolv.conf: kubelet `pkg/kubelet/network/dns/dns.go` (`GetPodDNS`: `ClusterFirst`
//!   gives nameserver = `--cluster-dns`, search `<ns>.svc.<domain> svc.<domain> <domain>`,
//!   `options ndots:5`; `hostNetwork` with `ClusterFirst` falls back to `Default`; `None` uses
//!   only `dnsConfig`; `dnsConfig` nameservers and searches are appended and its options
//!   override by name), written in the order containerd's CRI plugin writes the file
//!   (`search`, `nameserver`, `options`).
//! - glibc (`resolv/res_query.c`, `__res_context_search`): a name with a trailing dot is asked
//!   as is; a name with at least `ndots` dots is asked as is first; then every search domain in
//!   order, going on after NXDOMAIN *and* after NODATA; a name not yet asked as is is asked
//!   last.
//! - musl (`src/network/lookup_name.c`, `name_from_dns_search`): a name with a trailing dot or
//!   at least `ndots` dots is asked only as is; otherwise every search domain in order, stopping
//!   at the first answer that is not NXDOMAIN (NODATA stops it too), then as is.

use crate::sim::control::workloads::SimPod;
use crate::sim::dns::plugin::{Dns, QType, Rcode, Response};

/// Which C library's resolver sends the queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ResolverKind {
    /// glibc (Debian, Ubuntu, distroless base images).
    #[default]
    Glibc,
    /// musl (Alpine, busybox:musl).
    Musl,
}

impl ResolverKind {
    /// Parses `glibc` or `musl`.
    pub fn parse(text: &str) -> Option<ResolverKind> {
        match text.to_ascii_lowercase().as_str() {
            "glibc" => Some(ResolverKind::Glibc),
            "musl" => Some(ResolverKind::Musl),
            _ => None,
        }
    }
}

/// A pod's `/etc/resolv.conf`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvConf {
    /// `nameserver` lines (at most 3).
    pub nameservers: Vec<String>,
    /// `search` domains (at most 32).
    pub search: Vec<String>,
    /// `options`, as (name, value).
    pub options: Vec<(String, Option<String>)>,
    /// Set when the file is the node's own (`dnsPolicy: Default`, or `hostNetwork` with
    /// `ClusterFirst`): the model does not know the node's file.
    pub from_node: bool,
}

impl ResolvConf {
    /// `options ndots:N` (1 when absent, as both libraries default; capped at 15).
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .rev()
            .find(|(name, _)| name == "ndots")
            .and_then(|(_, value)| value.as_deref()?.parse::<usize>().ok())
            .unwrap_or(1)
            .min(15)
    }

    /// The file's text as the container sees it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.from_node {
            out.push_str("# the node's /etc/resolv.conf (dnsPolicy Default): not modelled\n");
        }
        if !self.search.is_empty() {
            out.push_str(&format!("search {}\n", self.search.join(" ")));
        }
        for server in &self.nameservers {
            out.push_str(&format!("nameserver {server}\n"));
        }
        if !self.options.is_empty() {
            let options: Vec<String> = self
                .options
                .iter()
                .map(|(name, value)| match value {
                    Some(value) => format!("{name}:{value}"),
                    None => name.clone(),
                })
                .collect();
            out.push_str(&format!("options {}\n", options.join(" ")));
        }
        out
    }
}

/// The kubelet's resolv.conf for `pod` in a cluster whose DNS Service is at `cluster_dns` and
/// whose domain is `domain`.
pub fn resolv_conf(pod: &SimPod, cluster_dns: &str, domain: &str) -> ResolvConf {
    let policy = pod.spec.dns_policy.as_deref().unwrap_or("ClusterFirst");
    let host_network = pod.spec.host_network == Some(true);
    let mut conf = match policy {
        "None" => ResolvConf::default(),
        "Default" => ResolvConf {
            from_node: true,
            ..ResolvConf::default()
        },
        "ClusterFirst" if host_network => ResolvConf {
            from_node: true,
            ..ResolvConf::default()
        },
        _ => ResolvConf {
            nameservers: vec![cluster_dns.to_owned()],
            search: vec![
                format!("{}.svc.{domain}", pod.namespace),
                format!("svc.{domain}"),
                domain.to_owned(),
            ],
            options: vec![("ndots".to_owned(), Some("5".to_owned()))],
            from_node: false,
        },
    };
    if let Some(config) = &pod.spec.dns_config {
        for server in &config.nameservers {
            if !conf.nameservers.contains(server) {
                conf.nameservers.push(server.clone());
            }
        }
        for search in &config.searches {
            if !conf.search.contains(search) {
                conf.search.push(search.clone());
            }
        }
        for (name, value) in &config.options {
            conf.options.retain(|(existing, _)| existing != name);
            conf.options.push((name.clone(), value.clone()));
        }
    }
    conf.nameservers.truncate(3);
    conf.search.truncate(32);
    conf
}

/// One query the resolver sent and how it ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The absolute name asked.
    pub name: String,
    /// The response.
    pub response: Response,
}

/// Every query the resolver sent for a name, in order; the last one is the result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The queries, in order.
    pub attempts: Vec<Attempt>,
    /// The resolver that sent them.
    pub kind: ResolverKind,
}

impl Resolution {
    /// The response the application gets: the one that ended the search; when glibc ran out
    /// of names, a NODATA seen on the way wins over the final NXDOMAIN (`got_nodata`).
    pub fn result(&self) -> Option<&Response> {
        let last = self.attempts.last().map(|attempt| &attempt.response)?;
        if self.kind == ResolverKind::Glibc && last.rcode == Some(Rcode::NxDomain) {
            if let Some(nodata) = self
                .attempts
                .iter()
                .map(|attempt| &attempt.response)
                .find(|response| response.is_nodata())
            {
                return Some(nodata);
            }
        }
        Some(last)
    }
}

/// The names the resolver will try for `name`, in order, before it knows any answer.
pub fn candidates(name: &str, conf: &ResolvConf, kind: ResolverKind) -> Vec<String> {
    let trailing = name.ends_with('.');
    let bare = name.trim_end_matches('.');
    if trailing || bare.is_empty() {
        return vec![format!("{bare}.")];
    }
    let dots = bare.matches('.').count();
    let ndots = conf.ndots();
    let searched = conf
        .search
        .iter()
        .map(|domain| format!("{bare}.{}.", domain.trim_end_matches('.')));
    match kind {
        ResolverKind::Musl if dots >= ndots => vec![format!("{bare}.")],
        ResolverKind::Musl => searched.chain([format!("{bare}.")]).collect(),
        ResolverKind::Glibc if dots >= ndots => std::iter::once(format!("{bare}."))
            .chain(searched)
            .collect(),
        ResolverKind::Glibc => searched.chain([format!("{bare}.")]).collect(),
    }
}

/// Resolves `name` for `qtype` as `kind`'s resolver does with `conf`, against `dns`.
///
/// Questions outside the zones CoreDNS serves are forwarded upstream and not simulated: the
/// walk stops there, because their answer is unknown.
pub fn resolve(
    dns: &Dns,
    name: &str,
    qtype: QType,
    conf: &ResolvConf,
    kind: ResolverKind,
) -> Resolution {
    let mut attempts = Vec::new();
    for candidate in candidates(name, conf, kind) {
        let response = dns.query(&candidate, qtype);
        let stop = match response.rcode {
            // glibc's res_search stops on any error but NXDOMAIN and SERVFAIL (NO_RECOVERY);
            // musl's name_from_dns too.
            None | Some(Rcode::Refused) => true,
            Some(Rcode::NxDomain) => false,
            Some(Rcode::NoError) => match kind {
                ResolverKind::Glibc => !response.answer.is_empty(),
                ResolverKind::Musl => true,
            },
        };
        attempts.push(Attempt {
            name: candidate,
            response,
        });
        if stop {
            break;
        }
    }
    Resolution { attempts, kind }
}

/// One step of a DNS exchange, for the browser to animate packet by packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsEvent {
    /// The client sent a question to the nameserver.
    Question {
        /// `namespace/pod`, or `None` when asked directly.
        from: Option<String>,
        /// The nameserver's address (the kube-dns ClusterIP).
        server: String,
        /// The absolute name asked.
        name: String,
        /// The record type.
        qtype: QType,
    },
    /// CoreDNS answered (or forwarded the question upstream).
    Answer {
        /// The absolute name asked.
        name: String,
        /// `NOERROR`, `NODATA`, `NXDOMAIN` or `FORWARDED`.
        status: String,
        /// The answer records in zone-file presentation.
        records: Vec<String>,
    },
}

impl DnsEvent {
    /// The step in plain words.
    pub fn message(&self) -> String {
        match self {
            DnsEvent::Question {
                from,
                server,
                name,
                qtype,
            } => format!(
                "{} asks {server} for {name} {}",
                from.as_deref().unwrap_or("the client"),
                qtype.name()
            ),
            DnsEvent::Answer {
                name,
                status,
                records,
            } => match status.as_str() {
                "FORWARDED" => format!("{name} is outside the cluster zone: forwarded upstream"),
                "NOERROR" => format!("{name}: {}", records.join(", ")),
                "NODATA" => format!("{name} exists but has no record of that type (NODATA)"),
                _ => format!("{name} does not exist ({status})"),
            },
        }
    }
}

/// The exchange behind `resolution`: a question and an answer per query the resolver sent.
pub fn exchange_events(from: Option<&str>, server: &str, resolution: &Resolution) -> Vec<DnsEvent> {
    resolution
        .attempts
        .iter()
        .flat_map(|attempt| {
            [
                DnsEvent::Question {
                    from: from.map(str::to_owned),
                    server: server.to_owned(),
                    name: attempt.name.clone(),
                    qtype: attempt.response.qtype,
                },
                DnsEvent::Answer {
                    name: attempt.name.clone(),
                    status: attempt.response.status().to_owned(),
                    records: attempt
                        .response
                        .answer
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                },
            ]
        })
        .collect()
}
