//! kube-proxy's nftables mode (`sim::nftables`, `svcscope nft`) against upstream and against a
//! real nft.
//!
//! - `TestOverallNFTablesRules` (kubernetes `pkg/proxy/nftables/proxier_test.go`, the
//!   Kubernetes 1.34 proxier: base chains `filter-prerouting-pre-dnat` and
//!   `filter-output-pre-dnat`, the ClusterIP masquerade rule without the port after
//!   kubernetes#131492): the same Services and EndpointSlices go through svcscope's API server
//!   and controllers, and the table comes out as upstream's expected transaction, both sorted
//!   with upstream's own `sortNFTablesTransaction` (`helpers_test.go`).
//! - A real nft (Debian's nftables 1.0.6) in a fresh network namespace loads every dump the
//!   model writes (so each is a valid nft transaction) and lists the table; the listing must
//!   equal `render_list` byte for byte.
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use std::io::Write as _;
use std::process::{Command, Stdio};
use svcscope::sim::proxy::shared::ProxyConfig;

use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::sim::config::{Cidr, ClusterConfig};
use svcscope::sim::control::cluster::Cluster;

use svcscope::sim::proxy::nftables::{nftables_rules, NftTable};

const INPUT: &str = include_str!("data/upstream_proxier.yaml");

/// `baseRules` and the per-Service lines of `TestOverallNFTablesRules`, verbatim (dedented).
const EXPECTED: &str = r#"
add table ip kube-proxy { comment "rules for kube-proxy" ; }

add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }

add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }

add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting-pre-dnat { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-output-pre-dnat { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority 0 ; }
add chain ip kube-proxy filter-input { type filter hook input priority 0 ; }
add chain ip kube-proxy filter-output { type filter hook output priority 0 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check

add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 172.30.0.0/16 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output-pre-dnat ct state new jump firewall-check
add rule ip kube-proxy filter-output ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports

add element ip kube-proxy nodeport-ips { 192.168.0.2 }
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services

# svc1
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }

add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80

add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }

# svc2
add chain ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 ip daddr 172.30.0.42 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 }
add chain ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 ip saddr 10.0.0.0/8 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit local traffic"
add chain ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80

add element ip kube-proxy cluster-ips { 172.30.0.42 }
add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }

add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }

# svc3
add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
add chain ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add element ip kube-proxy cluster-ips { 172.30.0.43 }
add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }

# svc4
add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }
add chain ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80
add chain ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 ip saddr 10.180.0.5 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 meta l4proto tcp dnat to 10.180.0.5:80
add chain ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80

add element ip kube-proxy cluster-ips { 172.30.0.44 }
add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }

# svc5
add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 goto service-HVFWP5L3-ns5/svc5/tcp/p80

add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop

add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }

# svc6
add element ip kube-proxy cluster-ips { 172.30.0.46 }
add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
"#;

/// `sortNFTablesTransaction` (kubernetes `pkg/proxy/nftables/helpers_test.go`): blank lines and
/// comments dropped; lines by object type (table, chain, rule, set, map, element), then by
/// object name (the fifth word), rules keeping their order, other lines by their text.
fn sort_transaction(text: &str) -> Vec<&str> {
    fn rank(kind: &str) -> i32 {
        match kind {
            "table" => 10,
            "chain" => 9,
            "rule" => 8,
            "set" => 7,
            "map" => 6,
            "element" => 5,
            _ => 0,
        }
    }
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    lines.sort_by(|a, b| {
        let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
        if wa.len() < 5 || wb.len() < 5 {
            return std::cmp::Ordering::Equal;
        }
        rank(wb[1])
            .cmp(&rank(wa[1]))
            .then_with(|| wa[4].cmp(wb[4]))
            .then_with(|| {
                if wa[1] == "rule" {
                    std::cmp::Ordering::Equal
                } else {
                    a.cmp(b)
                }
            })
    });
    lines
}

/// `NewFakeProxier`: node `test-node` at 192.168.0.2, pods 10.0.0.0/8, Services 172.30.0.0/16.
fn upstream_proxier() -> ProxyConfig {
    ProxyConfig {
        node_name: "test-node".to_owned(),
        node_ips: vec!["192.168.0.2".to_owned()],
        cluster_cidr: Some("10.0.0.0/8".to_owned()),
        service_cidr: Some("172.30.0.0/16".to_owned()),
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: true,
        node_zone: None,
    }
}

fn upstream_cluster_config() -> ClusterConfig {
    ClusterConfig {
        service_cidr: Cidr::parse("172.30.0.0/16").expect("cidr"),
        node_port_range: (3000, 30000),
        ..ClusterConfig::default()
    }
}

/// The table for the upstream test's Services (the cluster's own two left out, as upstream
/// has none).
fn upstream_table(input: &str, proxy: &ProxyConfig) -> NftTable {
    let cluster = Cluster::build(input, &upstream_cluster_config());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|service| service.meta.namespace.starts_with("ns"))
        .collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    nftables_rules(&services, &slices, proxy)
}

#[test]
fn overall_nftables_rules_as_upstream_expects() {
    let dump = upstream_table(INPUT, &upstream_proxier()).render_dump();
    let expected = sort_transaction(EXPECTED);
    let actual = sort_transaction(&dump);
    for (index, (want, got)) in expected.iter().zip(&actual).enumerate() {
        assert_eq!(want, got, "sorted line {}", index + 1);
    }
    assert_eq!(expected.len(), actual.len(), "{dump}");
}

/// Loads `dump` into nft in a new network namespace and lists the table `table`.
fn nft_list(dump: &str, table: &str) -> String {
    let mut child = Command::new("unshare")
        .args([
            "--net",
            "sh",
            "-c",
            &format!("nft -f - && nft list table {table}"),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unshare and nft (Debian's util-linux and nftables; the test command installs nftables)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dump.as_bytes())
        .expect("write the dump");
    let output = child.wait_with_output().expect("nft runs");
    assert!(
        output.status.success(),
        "nft refused the dump: {}\n{dump}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn assert_listed_as_nft_lists(table: &NftTable, what: &str) {
    let listing = nft_list(&table.render_transaction(), table.name());
    let ours = table.render_list();
    let (theirs, ours): (Vec<&str>, Vec<&str>) =
        (listing.lines().collect(), ours.lines().collect());
    for (index, (want, got)) in theirs.iter().zip(&ours).enumerate() {
        assert_eq!(want, got, "{what}: line {} of nft's listing", index + 1);
    }
    assert_eq!(theirs.len(), ours.len(), "{what}:\n{listing}");
}

#[test]
fn nft_lists_the_upstream_table_as_svcscope_does() {
    assert_listed_as_nft_lists(&upstream_table(INPUT, &upstream_proxier()), "upstream test");
    let mut all = upstream_proxier();
    all.masquerade_all = true;
    assert_listed_as_nft_lists(&upstream_table(INPUT, &all), "--masquerade-all");
}

/// Cases the overall test does not have: 12 endpoints (the verdict map past one digit),
/// `externalTrafficPolicy: Local` with a local endpoint, `internalTrafficPolicy: Local`
/// without one, a LoadBalancer whose source ranges hold the node (its VIP may be the source
/// too, `syncProxyRules`' allowFromNode), UDP and SCTP ports, a one-day affinity timeout and a
/// NodePort Service without endpoints.
const EXTRA: &str = "\
apiVersion: v1
kind: Service
metadata: {name: many, namespace: ns1}
spec:
  clusterIP: 172.30.1.1
  ports: [{name: dns, port: 53, protocol: UDP}, {name: sctp, port: 9999, protocol: SCTP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: many-1, namespace: ns1, labels: {kubernetes.io/service-name: many}}
addressType: IPv4
endpoints:
- addresses: [10.180.1.1]
- addresses: [10.180.1.2]
- addresses: [10.180.1.3]
- addresses: [10.180.1.4]
- addresses: [10.180.1.5]
- addresses: [10.180.1.6]
- addresses: [10.180.1.7]
- addresses: [10.180.1.8]
- addresses: [10.180.1.9]
- addresses: [10.180.1.10]
- addresses: [10.180.1.11]
- addresses: [10.180.1.12]
ports: [{name: dns, port: 53, protocol: UDP}, {name: sctp, port: 9999, protocol: SCTP}]
---
apiVersion: v1
kind: Service
metadata: {name: local, namespace: ns2}
spec:
  type: LoadBalancer
  clusterIP: 172.30.1.2
  externalTrafficPolicy: Local
  internalTrafficPolicy: Local
  loadBalancerSourceRanges: [192.168.0.0/24, 203.0.113.0/25]
  sessionAffinity: ClientIP
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 86400}}
  ports: [{name: http, port: 80, nodePort: 3010}]
status:
  loadBalancer:
    ingress: [{ip: 9.10.11.12}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: local-1, namespace: ns2, labels: {kubernetes.io/service-name: local}}
addressType: IPv4
endpoints:
- addresses: [10.180.2.1]
  nodeName: test-node
- addresses: [10.180.2.2]
  nodeName: other-node
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: itp, namespace: ns3}
spec:
  clusterIP: 172.30.1.3
  internalTrafficPolicy: Local
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: itp-1, namespace: ns3, labels: {kubernetes.io/service-name: itp}}
addressType: IPv4
endpoints:
- addresses: [10.180.3.1]
  nodeName: other-node
ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: ns4}
spec:
  type: NodePort
  clusterIP: 172.30.1.4
  ports: [{port: 8080, nodePort: 3011}]
";

#[test]
fn nft_lists_the_other_cases_as_svcscope_does() {
    let table = upstream_table(EXTRA, &upstream_proxier());
    assert_listed_as_nft_lists(&table, "extra cases");
    let dump = table.render_dump();
    // The node's own address is in 192.168.0.0/24: the VIP is accepted as a source too.
    assert!(
        dump.contains("ip saddr != { 192.168.0.0/24 , 203.0.113.0/25 , 9.10.11.12 } drop"),
        "{dump}"
    );
    // internalTrafficPolicy Local without a local endpoint: the ClusterIP drops.
    assert!(
        dump.contains("add element ip kube-proxy no-endpoint-services { 172.30.1.3 . tcp . 80 comment \"ns3/itp:http\" : drop }"),
        "{dump}"
    );
    // No endpoints at all: the NodePort and the ClusterIP reject.
    assert!(
        dump.contains("add element ip kube-proxy no-endpoint-nodeports { tcp . 3011 comment \"ns4/empty\" : goto reject-chain }"),
        "{dump}"
    );
}

#[test]
fn nft_lists_every_scenario_on_every_node_as_svcscope_does() {
    for scenario in SCENARIOS {
        let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
        let services: Vec<_> = cluster.services.iter().collect();
        let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
        for node in &cluster.nodes {
            // Each family's proxier: `ip kube-proxy`, and `ip6 kube-proxy` on a dual-stack
            // node.
            for family in cluster.config.pod_families() {
                let proxy = ProxyConfig::for_node_family(node, &cluster.config, family);
                let table = nftables_rules(&services, &slices, &proxy);
                assert_listed_as_nft_lists(
                    &table,
                    &format!("{} on {}, {}", scenario.id, node.name, family.name()),
                );
            }
        }
    }
}

/// `svcscope nft` prints the model's table for the chosen node, in both forms.
#[test]
fn the_cli_prints_the_table_of_the_node() {
    let cluster = Cluster::build("", &ClusterConfig::default());
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let node = cluster
        .nodes
        .iter()
        .find(|node| node.name == "node-2")
        .expect("node-2");
    let table = nftables_rules(
        &services,
        &slices,
        &ProxyConfig::for_node(node, &cluster.config),
    );
    for (format, expected) in [("list", table.render_list()), ("dump", table.render_dump())] {
        let output = Command::new(env!("CARGO_BIN_EXE_svcscope"))
            .args(["-f", "-", "nft", "--node", "node-2", "-o", format])
            .stdin(Stdio::null())
            .output()
            .expect("svcscope runs");
        assert!(output.status.success(), "{output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "-o {format}"
        );
    }
    // The built-in Services' chains are named as on any kubeadm cluster in nftables mode.
    let listing = table.render_list();
    for chain in [
        "service-2QRHZV4L-default/kubernetes/tcp/https",
        "service-NWBZK7IH-kube-system/kube-dns/tcp/dns-tcp",
    ] {
        assert!(
            listing.contains(&format!("\tchain {chain} {{")),
            "{chain}\n{listing}"
        );
    }
}
