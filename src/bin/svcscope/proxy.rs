//! `svcscope iptables`: the rules kube-proxy's iptables mode writes on one node.

use clap::Args;
use serde_json::json;
use svcscope::sim::config::{ClusterConfig, Family};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::control::endpoints::SimEndpointSlice;
use svcscope::sim::dns::plugin::{Dns, DnsOptions};
use svcscope::sim::input::objects::Service;
use svcscope::sim::proxy::iptables::iptables_rules;
use svcscope::sim::proxy::trace::{spread, trace, Source, Target};

use svcscope::sim::input::field::GoQuoted;
use svcscope::sim::proxy::shared::ProxyConfig;

use crate::cli::out;
use crate::failure::{Failure, Outcome};

/// The proxier's flags that change its rules.
#[derive(Args, Clone)]
pub struct ProxyArgs {
    /// The node whose rules to print (default: the first worker node).
    #[arg(long)]
    node: Option<String>,
    /// The node's IPs (--node-ip, repeatable; default: its InternalIP).
    #[arg(long = "node-ip", value_name = "IP")]
    node_ips: Vec<String>,
    /// --masquerade-all: SNAT all traffic to ClusterIPs.
    #[arg(long)]
    masquerade_all: bool,
    /// The proxy mode whose iptables rules `svcscope iptables` prints: iptables, or ipvs (the
    /// rules IPVS mode keeps beside its virtual servers).
    #[arg(long, default_value = "iptables")]
    proxy_mode: String,
    /// The proxier whose rules to print, IPv4 or IPv6 (a dual-stack node runs one of each:
    /// `ip6tables-save`, `nft list table ip6 kube-proxy`); default: the cluster's primary
    /// family (the first --cluster-cidr's).
    #[arg(long, value_name = "FAMILY")]
    ip_family: Option<String>,
}

/// `svcscope nft`'s arguments.
#[derive(Args, Clone)]
pub struct NftArgs {
    #[command(flatten)]
    proxy: ProxyArgs,
    /// `list`: as `nft list table ip kube-proxy` prints it (nft 1.0.6); `dump`: as `add`
    /// commands (knftables' dump, the form upstream's tests compare), for `nft -f`.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = NftOutput::List)]
    output: NftOutput,
}

/// `svcscope nft -o`.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum NftOutput {
    List,
    Dump,
}

/// The proxier configuration for the chosen node.
pub fn proxy_config(
    cluster: &Cluster,
    config: &ClusterConfig,
    args: &ProxyArgs,
) -> Result<ProxyConfig, Failure> {
    let node = match &args.node {
        Some(name) => cluster.nodes.iter().find(|node| &node.name == name),
        None => cluster
            .nodes
            .iter()
            .find(|node| !node.control_plane)
            .or_else(|| cluster.nodes.first()),
    };
    let Some(node) = node else {
        let names: Vec<&str> = cluster
            .nodes
            .iter()
            .map(|node| node.name.as_str())
            .collect();
        return Err(Failure::NotFound(format!(
            "Error from server (NotFound): nodes {} not found (nodes: {})",
            GoQuoted(args.node.as_deref().unwrap_or("")),
            names.join(", ")
        )));
    };
    let family = match args.ip_family.as_deref() {
        None => config.cluster_cidr.family(),
        Some("IPv4" | "ipv4" | "4") => Family::V4,
        Some("IPv6" | "ipv6" | "6") => Family::V6,
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--ip-family {other}: expected IPv4 or IPv6"
            )))
        }
    };
    if config.cluster_cidr_of(family).is_none() && config.service_cidr_of(family).is_none() {
        return Err(Failure::Usage(format!(
            "--ip-family {}: the cluster has no {} range (--cluster-cidr {}, --service-cidr {}), so kube-proxy runs no {} proxier",
            family.name(),
            family.name(),
            config.cluster_cidr,
            config.service_cidr,
            family.name()
        )));
    }
    let mut proxy = ProxyConfig::for_node_family(node, config, family);
    if !args.node_ips.is_empty() {
        proxy.node_ips = args.node_ips.clone();
    }
    proxy.masquerade_all = args.masquerade_all;
    Ok(proxy)
}

/// `svcscope iptables`'s arguments.
#[derive(Args, Clone)]
pub struct IptablesArgs {
    #[command(flatten)]
    proxy: ProxyArgs,
    /// `save`: as `iptables-save` prints the node's tables after kube-proxy ran (iptables
    /// 1.8, nf_tables); `restore`: the input kube-proxy hands to `iptables-restore`.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = IptablesOutput::Save)]
    output: IptablesOutput,
}

/// `svcscope iptables -o`.
#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum IptablesOutput {
    Save,
    Restore,
}

/// `svcscope iptables`.
pub fn iptables(cluster: &Cluster, config: &ClusterConfig, args: &IptablesArgs) -> Outcome {
    use svcscope::sim::proxy::iptables_save::{ip6tables_save, iptables_save, Mode};
    let shown = |restore: String, mode: Mode, family: Family| match (args.output, family) {
        (IptablesOutput::Save, Family::V4) => iptables_save(&restore, mode),
        (IptablesOutput::Save, Family::V6) => ip6tables_save(&restore, mode),
        (IptablesOutput::Restore, _) => restore,
    };
    let args = &args.proxy;
    match args.proxy_mode.as_str() {
        "iptables" => node_dump(cluster, config, args, |services, slices, proxy| {
            shown(
                iptables_rules(services, slices, proxy).render(),
                Mode::Iptables,
                proxy.family,
            )
        }),
        "ipvs" => {
            ipvs_family_simulated(cluster, config, args)?;
            node_dump(cluster, config, args, |services, slices, proxy| {
                shown(
                    svcscope::sim::proxy::ipvs_tables::ipvs_tables(services, slices, proxy)
                        .render_iptables(),
                    Mode::Ipvs,
                    proxy.family,
                )
            })
        }
        mode => Err(Failure::Usage(format!(
            "--proxy-mode {mode}: `svcscope iptables` prints the rules of the iptables and ipvs \
             modes; nftables mode writes no iptables rules (see `svcscope nft`)"
        ))),
    }
}

/// The IPVS mode's IPv6 proxier keeps its own ipsets (`KUBE-6-...`, `family inet6`) and
/// ip6tables rules; svcscope does not build them yet, and says so rather than print the IPv4
/// proxier's under an IPv6 name.
fn ipvs_family_simulated(cluster: &Cluster, config: &ClusterConfig, args: &ProxyArgs) -> Outcome {
    if proxy_config(cluster, config, args)?.family == Family::V6 {
        return Err(Failure::Usage(
            "--ip-family IPv6: the IPVS mode's IPv6 ipsets and ip6tables rules are not simulated (its IPv6 virtual servers are: `svcscope ipvs`)"
                .to_owned(),
        ));
    }
    Ok(())
}

/// `svcscope ipset`.
pub fn ipset(cluster: &Cluster, config: &ClusterConfig, args: &ProxyArgs) -> Outcome {
    ipvs_family_simulated(cluster, config, args)?;
    node_dump(cluster, config, args, |services, slices, proxy| {
        svcscope::sim::proxy::ipvs_tables::ipvs_tables(services, slices, proxy).render_ipset_save()
    })
}

/// Prints what `render` makes of the Services and EndpointSlices for the chosen node's
/// kube-proxy.
fn node_dump(
    cluster: &Cluster,
    config: &ClusterConfig,
    args: &ProxyArgs,
    render: impl Fn(&[&Service], &[&SimEndpointSlice], &ProxyConfig) -> String,
) -> Outcome {
    let proxy = proxy_config(cluster, config, args)?;
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    out(&render(&services, &slices, &proxy));
    Ok(())
}

/// `svcscope nft`.
pub fn nft(cluster: &Cluster, config: &ClusterConfig, args: &NftArgs) -> Outcome {
    node_dump(cluster, config, &args.proxy, |services, slices, proxy| {
        let table = svcscope::sim::proxy::nftables::nftables_rules(services, slices, proxy);
        match args.output {
            NftOutput::List => table.render_list(),
            NftOutput::Dump => table.render_dump(),
        }
    })
}

/// `svcscope ipvs`: the kernel's one IPVS table, which both proxiers of a dual-stack node
/// fill (`ipvsadm -Ln` lists the IPv4 virtual servers, then the IPv6 ones), unless
/// `--ip-family` asks for one.
pub fn ipvs(cluster: &Cluster, config: &ClusterConfig, args: &ProxyArgs) -> Outcome {
    use svcscope::sim::proxy::ipvs::{render_ipvsadm, virtual_servers};
    let proxy = proxy_config(cluster, config, args)?;
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let mut servers = virtual_servers(&services, &slices, &proxy);
    if args.ip_family.is_none() {
        for family in config.pod_families().into_iter().skip(1) {
            let mut other = proxy.clone();
            other.family = family;
            if let Some(node) = cluster
                .nodes
                .iter()
                .find(|node| node.name == proxy.node_name)
            {
                other.node_ips = ProxyConfig::for_node_family(node, config, family).node_ips;
                other.cluster_cidr = config.cluster_cidr_of(family).map(|cidr| cidr.to_string());
                other.service_cidr = config.service_cidr_of(family).map(|cidr| cidr.to_string());
            }
            servers.extend(virtual_servers(&services, &slices, &other));
        }
    }
    out(&render_ipvsadm(&servers));
    Ok(())
}

/// `svcscope trace`.
#[derive(Args)]
pub struct TraceArgs {
    /// Where the connection starts: pod/[NS/]NAME, node/NAME or external:IP.
    #[arg(long)]
    from: String,
    /// Where it goes: a DNS name, a ClusterIP, a node IP or a LoadBalancer IP, with :PORT
    /// (default 80).
    #[arg(long)]
    to: String,
    /// tcp or udp.
    #[arg(long, default_value = "tcp")]
    protocol: String,
    /// The client's source port (a different one may pick a different backend).
    #[arg(long, default_value_t = 40000)]
    source_port: u16,
    /// Output format: text or json.
    #[arg(short = 'o', long = "output", default_value = "text")]
    output: String,
    /// Send this many connections (client ports --source-port, +1, ...) and print where they
    /// end, with counts, instead of one trace.
    #[arg(long, default_value_t = 1)]
    requests: u16,
}

/// `svcscope trace --from ... --to ...`.
pub fn trace_command(cluster: &Cluster, config: &ClusterConfig, args: &TraceArgs) -> Outcome {
    let Some(source) = Source::parse(&args.from) else {
        return Err(Failure::Usage(
            "--from takes pod/[NS/]NAME, node/NAME or external:IP".to_owned(),
        ));
    };
    let protocol = args.protocol.to_ascii_lowercase();
    if protocol != "tcp" && protocol != "udp" {
        return Err(Failure::Usage("--protocol takes tcp or udp".to_owned()));
    }
    let Target {
        host: destination,
        port,
    } = Target::parse(&args.to).map_err(|message| Failure::Usage(format!("--to {message}")))?;
    let server = Dns::new(cluster, DnsOptions::for_cluster(config));
    if args.requests > 1 {
        let ports = args.source_port..args.source_port.saturating_add(args.requests);
        let counts = spread(
            cluster,
            &server,
            &source,
            &destination,
            port,
            &protocol,
            ports,
        )
        .map_err(Failure::Input)?;
        if args.output == "json" {
            let list: Vec<_> = counts
                .iter()
                .map(|(ending, count)| json!({"ending": ending, "count": count}))
                .collect();
            out(&format!("{}\n", json!({ "requests": list })));
        } else {
            for (ending, count) in counts {
                out(&format!("{ending} {count}\n"));
            }
        }
        return Ok(());
    }
    let traced = trace(
        cluster,
        &server,
        &source,
        &destination,
        port,
        &protocol,
        args.source_port,
    )
    .map_err(Failure::Input)?;
    if args.output == "json" {
        let value = json!({
            "steps": traced.steps.iter().map(|step| json!({
                "component": step.component,
                "node": step.node,
                "rule": step.rule,
                "src": step.src,
                "dst": step.dst,
                "src_after": step.src_after,
                "dst_after": step.dst_after,
                "note": step.note,
            })).collect::<Vec<_>>(),
            "backends": traced.backends.iter().map(|backend| json!({
                "pod": backend.pod,
                "ip": backend.address,
                "probability": backend.probability,
            })).collect::<Vec<_>>(),
            "verdict": traced.verdict.as_str(),
        });
        out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        ));
        return Ok(());
    }
    out(&traced.text());
    Ok(())
}
