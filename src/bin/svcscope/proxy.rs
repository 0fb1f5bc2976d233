//! `svcscope iptables`: the rules kube-proxy's iptables mode writes on one node.

use std::process::ExitCode;

use clap::Args;
use svcscope::sim::cluster::Cluster;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::proxy::{iptables_rules, ProxyConfig};

use crate::cli::{err, out};

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
    /// The proxy mode (only iptables so far).
    #[arg(long, default_value = "iptables")]
    proxy_mode: String,
}

/// The proxier configuration for the chosen node, or the message for standard error.
pub fn proxy_config(
    cluster: &Cluster,
    config: &ClusterConfig,
    args: &ProxyArgs,
) -> Result<ProxyConfig, String> {
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
        return Err(format!(
            "Error from server (NotFound): nodes \"{}\" not found (nodes: {})",
            args.node.as_deref().unwrap_or(""),
            names.join(", ")
        ));
    };
    Ok(ProxyConfig {
        node_name: node.name.clone(),
        node_ips: if args.node_ips.is_empty() {
            vec![node.internal_ip.clone()]
        } else {
            args.node_ips.clone()
        },
        cluster_cidr: Some(config.cluster_cidr.to_string()),
        masquerade_all: args.masquerade_all,
        random_fully: true,
    })
}

/// `svcscope iptables`.
pub fn iptables(cluster: &Cluster, config: &ClusterConfig, args: &ProxyArgs) -> ExitCode {
    if args.proxy_mode != "iptables" {
        err(&format!(
            "error: --proxy-mode {}: only iptables is modelled so far",
            args.proxy_mode
        ));
        return ExitCode::from(2);
    }
    let proxy = match proxy_config(cluster, config, args) {
        Ok(proxy) => proxy,
        Err(message) => {
            err(&message);
            return ExitCode::from(1);
        }
    };
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    out(&iptables_rules(&services, &slices, &proxy).render());
    ExitCode::SUCCESS
}
