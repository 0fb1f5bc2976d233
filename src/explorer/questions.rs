//! The questions a reader asks of the cluster, answered one way for the page and the CLI: which
//! pods a question can be asked from, a DNS question through a pod's resolver and its answer as
//! text, and a connection traced from a pod.

use crate::sim::control::cluster::Cluster;
use crate::sim::control::workloads::SimPod;
use crate::sim::dns::plugin::{Dns, QType};
use crate::sim::dns::resolver::{resolv_conf, resolve, Attempt, Resolution, ResolverKind};
use crate::sim::dns::text;
use crate::sim::key::ObjectKey;
use crate::sim::proxy::trace::{spread, trace, Source, Target, Trace};

/// The client port of a traced connection (and the first of "Send 20 requests").
pub const CLIENT_PORT: u16 = 40000;

/// The pods a question can be asked from: those with an IP, the input's first (the cluster's
/// own, in `kube-system`, last).
pub fn client_pods(cluster: &Cluster) -> Vec<ObjectKey> {
    let mut pods: Vec<&SimPod> = cluster.pods.iter().filter(|pod| pod.ip.is_some()).collect();
    crate::small::order::sort_by_key(&mut pods, |pod| pod.namespace == "kube-system");
    pods.iter()
        .map(|pod| ObjectKey::new(&pod.namespace, &pod.name))
        .collect()
}

/// [`client_pods`] as a choice offers them (`namespace/name`).
pub fn client_pod_choices(cluster: &Cluster) -> Vec<String> {
    client_pods(cluster)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The pod a question is asked from: `chosen` (`namespace/name`) when it is among `pods`, else
/// the first of them (what a choice shows before anything is chosen).
pub fn chosen_pod(pods: &[ObjectKey], chosen: &str) -> Option<ObjectKey> {
    pods.iter()
        .find(|pod| pod.to_string() == chosen)
        .or_else(|| pods.first())
        .cloned()
}

/// The pod `[NS/]POD` names, or kubectl's NotFound message.
pub fn find_pod<'c>(cluster: &'c Cluster, reference: &str) -> Result<&'c SimPod, String> {
    let key = ObjectKey::parse(reference, "default");
    cluster.pod(&key).ok_or_else(|| {
        format!(
            "Error from server (NotFound): pods \"{}\" not found in namespace {}",
            key.name, key.namespace
        )
    })
}

/// How a DNS answer is printed, in the page and by `svcscope dns -o nslookup|dig` (the CLI's
/// BusyBox spelling, `-o nslookup-busybox`, is [`text::nslookup_busybox`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DnsFormat {
    /// BIND 9's `nslookup` (the `dnsutils` images).
    Nslookup,
    /// `dig`, as `dig +search` prints the answer the search ended with.
    Dig,
}

/// The name asked as given (absolute), or through `from`'s resolv.conf and its C library's
/// search walk. A pod that uses its node's resolv.conf (`dnsPolicy: Default`, `hostNetwork`)
/// is refused with a message: the model does not know the node's file.
pub fn resolve_question(
    cluster: &Cluster,
    dns: &Dns,
    name: &str,
    qtype: QType,
    from: Option<&SimPod>,
    resolver: ResolverKind,
) -> Result<Resolution, String> {
    let Some(pod) = from else {
        let response = dns.query(name, qtype);
        return Ok(Resolution {
            attempts: vec![Attempt {
                name: response.qname.clone(),
                response,
            }],
            kind: ResolverKind::Glibc,
        });
    };
    let dns_ip = cluster.config.dns_ip().to_string();
    let conf = resolv_conf(pod, &dns_ip, &cluster.config.cluster_domain);
    if conf.from_node {
        return Err(format!(
            "{}/{} uses its node's /etc/resolv.conf (dnsPolicy Default or hostNetwork), which \
             svcscope does not model",
            pod.namespace, pod.name
        ));
    }
    Ok(resolve(dns, name, qtype, &conf, resolver))
}

/// `resolution` as the tool prints it (`name` is what was asked).
pub fn dns_text(
    cluster: &Cluster,
    resolution: &Resolution,
    name: &str,
    format: DnsFormat,
) -> String {
    let dns_ip = cluster.config.dns_ip().to_string();
    match format {
        DnsFormat::Nslookup => text::nslookup(resolution, name, &dns_ip),
        DnsFormat::Dig => resolution
            .result()
            .map(|response| text::dig(response, &dns_ip))
            .unwrap_or_default(),
    }
}

/// A DNS question asked from a pod, as the page asks it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DnsQuestion {
    /// The pod that asks (`namespace/name`; empty or unknown: the first client pod).
    pub from: String,
    /// The name asked.
    pub name: String,
    /// The record type, by name as dig reads it (`A`, `SRV`, `MX`, `TYPE65`).
    pub qtype: String,
    /// glibc's or musl's search walk.
    pub resolver: ResolverKind,
    /// How the answer is printed.
    pub format: DnsFormat,
}

/// A question asked and its answer, as the DNS panel and the picture show it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Asked {
    /// The pod that asked, when there is one.
    pub from: Option<ObjectKey>,
    /// Every query the resolver sent, with its status.
    pub tried: Vec<(String, String)>,
    /// The answer as the chosen tool prints it (or why there is none).
    pub text: String,
    /// The answer for the picture, a line each ([`text::answer_lines`]).
    pub lines: Vec<String>,
}

/// Asks `question` of `cluster`'s DNS through the asking pod's resolver.
pub fn ask(cluster: &Cluster, question: &DnsQuestion) -> Asked {
    let pods = client_pods(cluster);
    let Some(key) = chosen_pod(&pods, &question.from) else {
        return Asked {
            text: "No pod to ask from.".to_owned(),
            ..Asked::default()
        };
    };
    let Some(qtype) = QType::parse_any(&question.qtype) else {
        return Asked {
            from: Some(key),
            text: format!("Unknown record type {:?}.", question.qtype),
            ..Asked::default()
        };
    };
    let dns = Dns::for_cluster(cluster);
    let resolution = match resolve_question(
        cluster,
        &dns,
        &question.name,
        qtype,
        cluster.pod(&key),
        question.resolver,
    ) {
        Ok(resolution) => resolution,
        Err(message) => {
            return Asked {
                from: Some(key),
                text: message,
                ..Asked::default()
            }
        }
    };
    Asked {
        from: Some(key),
        tried: resolution
            .attempts
            .iter()
            .map(|attempt| (attempt.name.clone(), attempt.response.status().to_owned()))
            .collect(),
        text: dns_text(cluster, &resolution, &question.name, question.format),
        lines: text::answer_lines(&resolution),
    }
}

/// The trace of a connection from pod `from` (`namespace/name`; empty or unknown: the first
/// client pod) to `to` (`HOST[:PORT]`), with the same model as `svcscope trace`.
pub fn trace_from_pod(cluster: &Cluster, from: &str, to: &str) -> Result<Trace, String> {
    let (dns, source, target) = connection(cluster, from, to)?;
    trace(
        cluster,
        &dns,
        &source,
        &target.host,
        target.port,
        "tcp",
        CLIENT_PORT,
    )
}

/// Where 20 such connections (client ports 40000 to 40019) end, with their counts.
pub fn spread_from_pod(
    cluster: &Cluster,
    from: &str,
    to: &str,
) -> Result<Vec<(String, usize)>, String> {
    let (dns, source, target) = connection(cluster, from, to)?;
    spread(
        cluster,
        &dns,
        &source,
        &target.host,
        target.port,
        "tcp",
        CLIENT_PORT..CLIENT_PORT + 20,
    )
}

/// The DNS server, the source pod and the target of a connection from the page's inputs.
fn connection(cluster: &Cluster, from: &str, to: &str) -> Result<(Dns, Source, Target), String> {
    let pods = client_pods(cluster);
    let source = chosen_pod(&pods, from).ok_or_else(|| "no pod to send from".to_owned())?;
    let target = Target::parse(to)?;
    Ok((Dns::for_cluster(cluster), Source::Pod(source), target))
}
