//! `svcscope dns` and `svcscope resolv`: cluster DNS questions, asked directly or through a
//! pod's resolver, printed as nslookup, dig or JSON.

use clap::{Args, ValueEnum};
use serde_json::json;
use svcscope::explorer::questions::{dns_text, find_pod, resolve_question, DnsFormat};
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions, PodsMode, QType, Response};
use svcscope::sim::dns::resolver::{exchange_events, resolv_conf, Attempt, DnsEvent, ResolverKind};
use svcscope::sim::dns::text;

use svcscope::sim::input::field::GoQuoted;

use crate::cli::out;
use crate::failure::{Failure, Outcome};

/// The `kubernetes` plugin's options, so that any Corefile can be reproduced.
#[derive(Args, Clone)]
pub struct PluginArgs {
    /// `ttl`: the TTL of the plugin's answers.
    #[arg(long, default_value_t = 5)]
    ttl: u32,
    /// `pods`: disabled, insecure (kubeadm's Corefile) or verified.
    #[arg(long, value_enum, default_value_t = PodsArg::Insecure)]
    pods: PodsArg,
    /// `endpoint_pod_names`: name headless endpoints after their pods.
    #[arg(long)]
    endpoint_pod_names: bool,
    /// `ignore empty_service`: NXDOMAIN for ClusterIP Services without endpoints.
    #[arg(long)]
    ignore_empty_service: bool,
    /// `namespaces`: expose only these (repeatable).
    #[arg(long = "namespaces", value_name = "NS")]
    namespaces: Vec<String>,
    /// A reverse zone the plugin serves (repeatable; default in-addr.arpa and ip6.arpa).
    #[arg(long = "reverse-zone", value_name = "ZONE")]
    reverse_zones: Vec<String>,
    /// Leave out kubeadm's `fallthrough in-addr.arpa ip6.arpa`: a reverse name the plugin
    /// does not know is NXDOMAIN instead of going on to `forward`.
    #[arg(long)]
    no_fallthrough: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum PodsArg {
    Disabled,
    Insecure,
    Verified,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DnsOutput {
    Nslookup,
    /// BusyBox's nslookup (the `busybox` image).
    NslookupBusybox,
    Dig,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ResolverArg {
    Glibc,
    Musl,
}

/// `svcscope dns`.
#[derive(Args)]
pub struct DnsArgs {
    /// The name to ask for.
    name: String,
    /// The record type as dig reads it: A, AAAA, SRV, PTR, CNAME, TXT, SOA, NS, ANY, MX,
    /// HINFO, CAA, AXFR... or TYPEn.
    #[arg(long = "type", short = 't', default_value = "A")]
    qtype: String,
    /// Ask from this pod (`[NS/]POD`): the name goes through its resolv.conf search list.
    /// Without it the name is asked as given, as an absolute name.
    #[arg(long)]
    from: Option<String>,
    /// The pod's C library resolver (glibc, or musl for Alpine images).
    #[arg(long, value_enum, default_value_t = ResolverArg::Glibc)]
    resolver: ResolverArg,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = DnsOutput::Nslookup)]
    output: DnsOutput,
    #[command(flatten)]
    plugin: PluginArgs,
}

pub fn options(plugin: &PluginArgs, config: &ClusterConfig) -> DnsOptions {
    let defaults = DnsOptions::for_cluster(config);
    DnsOptions {
        zone: defaults.zone,
        ttl: plugin.ttl,
        pods: match plugin.pods {
            PodsArg::Disabled => PodsMode::Disabled,
            PodsArg::Insecure => PodsMode::Insecure,
            PodsArg::Verified => PodsMode::Verified,
        },
        endpoint_pod_names: plugin.endpoint_pod_names,
        ignore_empty_service: plugin.ignore_empty_service,
        namespaces: plugin.namespaces.clone(),
        reverse_zones: if plugin.reverse_zones.is_empty() {
            defaults.reverse_zones
        } else {
            plugin.reverse_zones.clone()
        },
        fallthrough: !plugin.no_fallthrough,
    }
}

fn tried_json(attempts: &[Attempt]) -> Vec<serde_json::Value> {
    attempts
        .iter()
        .map(|attempt| {
            json!({
                "name": attempt.name,
                "rcode": attempt.response.rcode.map(|rcode| rcode.as_str()),
                "answers": attempt.response.answer.len(),
            })
        })
        .collect()
}

fn response_json(response: &Response, attempts: &[Attempt]) -> serde_json::Value {
    let lines = |records: &[svcscope::sim::dns::plugin::Record]| -> Vec<String> {
        records.iter().map(ToString::to_string).collect()
    };
    let mut value = json!({
        "question": { "name": response.qname, "type": response.qtype.name() },
        "rcode": response.rcode.map(|rcode| rcode.as_str()),
        "answer": lines(&response.answer),
        "authority": lines(&response.authority),
        "additional": lines(&response.additional),
        "tried": tried_json(attempts),
    });
    if let (Some(note), Some(map)) = (&response.note, value.as_object_mut()) {
        map.insert("note".to_owned(), json!(note));
    }
    if response.rcode.is_none() {
        if let Some(map) = value.as_object_mut() {
            map.insert("forwarded".to_owned(), json!(true));
        }
    }
    value
}

/// `svcscope dns NAME ...`.
pub fn dns(cluster: &Cluster, config: &ClusterConfig, args: &DnsArgs) -> Outcome {
    let Some(qtype) = QType::parse_any(&args.qtype) else {
        return Err(Failure::Usage(format!(
            "unknown record type {} (a mnemonic dig knows, such as A, AAAA, SRV, MX, or TYPEn)",
            GoQuoted(&args.qtype)
        )));
    };
    let server = Dns::new(cluster, options(&args.plugin, config));
    let dns_ip = config.dns_ip().to_string();
    let from = match args.from.as_deref() {
        Some(reference) => Some(find_pod(cluster, reference).map_err(Failure::NotFound)?),
        None => None,
    };
    let kind = match args.resolver {
        ResolverArg::Glibc => ResolverKind::Glibc,
        ResolverArg::Musl => ResolverKind::Musl,
    };
    let resolution = resolve_question(cluster, &server, &args.name, qtype, from, kind)
        .map_err(Failure::Input)?;
    let Some(response) = resolution.result() else {
        return Err(Failure::Input("the resolver sent no query".to_owned()));
    };
    match args.output {
        DnsOutput::Nslookup => out(&dns_text(
            cluster,
            &resolution,
            &args.name,
            DnsFormat::Nslookup,
        )),
        DnsOutput::NslookupBusybox => {
            out(&text::nslookup_busybox(&resolution, &args.name, &dns_ip))
        }
        DnsOutput::Dig => out(&dns_text(cluster, &resolution, &args.name, DnsFormat::Dig)),
        DnsOutput::Json => {
            let mut value = response_json(response, &resolution.attempts);
            let from = from.map(|pod| format!("{}/{}", pod.namespace, pod.name));
            let events: Vec<String> = exchange_events(from.as_deref(), &dns_ip, &resolution)
                .iter()
                .map(DnsEvent::message)
                .collect();
            if let Some(map) = value.as_object_mut() {
                map.insert("events".to_owned(), json!(events));
            }
            out(&format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            ));
        }
    }
    Ok(())
}

/// `svcscope resolv --from [NS/]POD`.
pub fn resolv(cluster: &Cluster, config: &ClusterConfig, from: &str) -> Outcome {
    let pod = find_pod(cluster, from).map_err(Failure::NotFound)?;
    let conf = resolv_conf(pod, &config.dns_ip().to_string(), &config.cluster_domain);
    out(&conf.render());
    Ok(())
}
