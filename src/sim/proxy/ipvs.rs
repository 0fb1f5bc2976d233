//! kube-proxy's IPVS mode: the virtual servers it creates on a node and their real servers,
//! printed as `ipvsadm -Ln` does.
//!
//! Following kubernetes `pkg/proxy/ipvs/proxier.go` (`syncProxyRules`, `syncEndpoint`): every
//! service port gets a virtual server on its ClusterIP, on each external IP, on each
//! LoadBalancer ingress IP, and on each node IP for its NodePort; scheduler `rr` (the
//! default `--ipvs-scheduler`); `sessionAffinity: ClientIP` makes it persistent for the
//! affinity timeout. Real servers are the endpoints `CategorizeEndpoints` picks (ready ones,
//! else serving-terminating ones; only this node's for `externalTrafficPolicy: Local` on the
//! node-facing addresses and for `internalTrafficPolicy: Local` on the ClusterIP), masqueraded,
//! weight 1. Headless and ExternalName Services get none.
//!
//! Printing follows ipvsadm's `list_all`/`print_service_entry`: services sorted with
//! libipvs's `ipvs_cmp_services` (protocol number, then the address as a wrapping 32-bit
//! difference, then the port), destinations with `ipvs_cmp_dests`, connection counters 0.

use crate::sim::proxy::shared::{
    categorize, endpoints_for, own_slices, service_ports, slice_port_name, ProxyConfig,
};
use std::net::IpAddr;

use crate::sim::control::endpoints::SimEndpointSlice;
use crate::sim::input::objects::Service;

/// One IPVS virtual server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VirtualServer {
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
    /// Its address.
    pub address: IpAddr,
    /// Its port.
    pub port: u16,
    /// The scheduler.
    pub scheduler: String,
    /// The persistence timeout in seconds (`sessionAffinity: ClientIP`).
    pub persistent: Option<i64>,
    /// The real servers: address and port.
    pub destinations: Vec<(IpAddr, u16)>,
}

/// The virtual servers kube-proxy's IPVS mode creates on `config.node_name`.
pub fn virtual_servers(
    services: &[&Service],
    slices: &[&SimEndpointSlice],
    config: &ProxyConfig,
) -> Vec<VirtualServer> {
    let mut servers = Vec::new();
    for service in services {
        let own = own_slices(service, slices, config.family);
        for port in service_ports(service, config.family) {
            let endpoints = endpoints_for(
                slice_port_name(service, &port),
                &port.protocol,
                &own,
                &config.node_name,
            );
            let (cluster, local, _, _) = categorize(&endpoints, &port, config);
            let to_list =
                |chosen: &[&crate::sim::proxy::shared::ProxyEndpoint]| -> Vec<(IpAddr, u16)> {
                    chosen
                        .iter()
                        .filter_map(|endpoint| {
                            let (ip, number) =
                                crate::sim::proxy::shared::split_host_port(&endpoint.address)?;
                            Some((ip.parse().ok()?, number.parse().ok()?))
                        })
                        .collect()
                };
            // syncEndpoint: a Local policy takes the local endpoints, and the cluster's when
            // the node has none (kubernetes#97081: pods on the node can still reach the
            // Service; outside traffic's replies go astray).
            let only_local = |policy_local: bool| {
                if policy_local && !local.is_empty() {
                    to_list(&local)
                } else {
                    to_list(&cluster)
                }
            };
            let internal = only_local(port.internal_local);
            let external = only_local(port.external_policy_local());
            let protocol = port.protocol.to_ascii_uppercase();
            let Ok(service_port) = u16::try_from(port.port) else {
                continue;
            };
            let mut add = |address: &str, number: u16, destinations: &[(IpAddr, u16)]| {
                if let Ok(address) = address.parse() {
                    servers.push(VirtualServer {
                        protocol: protocol.clone(),
                        address,
                        port: number,
                        scheduler: "rr".to_owned(),
                        persistent: port.affinity_seconds,
                        destinations: destinations.to_vec(),
                    });
                }
            };
            add(&port.cluster_ip, service_port, &internal);
            for ip in &port.external_ips {
                add(ip, service_port, &external);
            }
            for ip in &port.load_balancer_ips {
                add(ip, service_port, &external);
            }
            if let Ok(node_port) = u16::try_from(port.node_port) {
                if node_port != 0 {
                    for ip in &config.node_ips {
                        add(ip, node_port, &external);
                    }
                }
            }
        }
    }
    servers
}

/// IPPROTO numbers, as libipvs compares protocols.
fn protocol_number(protocol: &str) -> i64 {
    match protocol {
        "TCP" => 6,
        "UDP" => 17,
        "SCTP" => 132,
        _ => 0,
    }
}

/// `ntohl(a) - ntohl(b)` as C's `int r` holds it: a wrapping difference, so that addresses more
/// than 2^31 apart compare "the other way" (192.168.x.x before 10.x.x.x), as ipvsadm prints;
/// IPv6 addresses 32-bit word by word the same way, and IPv4 (`AF_INET`, 2) before IPv6
/// (`AF_INET6`, 10): ipvsadm's `ipvs_cmp_services` (libipvs/libipvs.c) compares the family
/// first, then `ntohl(s1->addr.in6.s6_addr32[i]) - ntohl(s2->addr.in6.s6_addr32[i])`.
fn address_order(a: IpAddr, b: IpAddr) -> std::cmp::Ordering {
    let difference = |x: u32, y: u32| (x.wrapping_sub(y) as i32).cmp(&0);
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => difference(u32::from(a), u32::from(b)),
        (IpAddr::V4(_), IpAddr::V6(_)) => std::cmp::Ordering::Less,
        (IpAddr::V6(_), IpAddr::V4(_)) => std::cmp::Ordering::Greater,
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let (a, b) = (u128::from(a), u128::from(b));
            [96u32, 64, 32, 0]
                .into_iter()
                .map(|shift| difference((a >> shift) as u32, (b >> shift) as u32))
                .find(|order| order.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        }
    }
}

/// An address as ipvsadm prints it beside a port: IPv6 in brackets (`addrport_to_anyname`).
fn bracketed(address: IpAddr) -> String {
    match address {
        IpAddr::V4(address) => address.to_string(),
        IpAddr::V6(address) => format!("[{address}]"),
    }
}

/// `ipvsadm -Ln`.
pub fn render_ipvsadm(servers: &[VirtualServer]) -> String {
    let mut sorted = servers.to_vec();
    crate::small::order::sort_by(&mut sorted, |a, b| {
        protocol_number(&a.protocol)
            .cmp(&protocol_number(&b.protocol))
            .then_with(|| address_order(a.address, b.address))
            .then_with(|| a.port.cmp(&b.port))
    });
    let mut out = String::from(
        "IP Virtual Server version 1.2.1 (size=4096)\n\
         Prot LocalAddress:Port Scheduler Flags\n  \
         -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
    );
    for server in &sorted {
        // `sprintf(svc_name, "%s  %s", proto, vname)`, cut at 33 characters for IPv4.
        let mut name = format!(
            "{}  {}:{}",
            server.protocol,
            bracketed(server.address),
            server.port
        );
        name.truncate(33);
        out.push_str(&format!("{name} {}", server.scheduler));
        if let Some(timeout) = server.persistent {
            out.push_str(&format!(" persistent {timeout}"));
        }
        out.push('\n');
        let mut destinations = server.destinations.clone();
        crate::small::order::sort_by(&mut destinations, |a, b| {
            address_order(a.0, b.0).then_with(|| a.1.cmp(&b.1))
        });
        for (address, port) in destinations {
            // `printf("  -> %-28s %-7s %-6d %-10u %-10u\n", ...)`.
            out.push_str(&format!(
                "  -> {:<28} {:<7} {:<6} {:<10} {:<10}\n",
                format!("{}:{port}", bracketed(address)),
                "Masq",
                1,
                0,
                0
            ));
        }
    }
    out
}
