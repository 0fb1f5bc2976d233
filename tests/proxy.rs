//! kube-proxy's iptables rules, against upstream's own expectations: the Services and
//! EndpointSlices of `TestOverallIPTablesRules` (kubernetes `pkg/proxy/iptables/proxier_test.go`)
//! go through svcscope's API server and controllers, and the rules for the test's node come
//! out as upstream's expected `iptables-restore` text, compared line for line. Upstream's fake
//! proxier has cluster CIDR 10.0.0.0/8 for local detection, node `test-node`, and a fake
//! iptables without `--random-fully`.
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

use svcscope::sim::config::{Cidr, ClusterConfig};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::proxy::iptables::{endpoint_chain, iptables_rules, service_chain};
use svcscope::sim::proxy::shared::ProxyConfig;

/// The test's six Services and five EndpointSlices. Differences forced by the API server,
/// which upstream's unit test bypasses: svc4 is a ClusterIP Service with an external IP (the
/// test's NodePort type without a nodePort would get one allocated; kube-proxy only looks at
/// the nodePort) and so must state its externalTrafficPolicy (`ValidateService`: required
/// for externally accessible Services), svc5 has no healthCheckNodePort (only `externalTrafficPolicy: Local` may
/// have one; kube-proxy ignores it otherwise) and its source range has no leading space (the
/// API server rejects it; the test checks kube-proxy does not crash on it). The NodePort range
/// is widened to hold the test's 3001-3003 and 30000.
const INPUT: &str = include_str!("data/upstream_proxier.yaml");

/// Upstream's expected rules, verbatim (TestOverallIPTablesRules).
const EXPECTED: &str = r#"*filter
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
:KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
COMMIT
"#;

fn upstream_proxier() -> ProxyConfig {
    ProxyConfig {
        node_name: "test-node".to_owned(),
        node_ips: vec!["192.168.0.2".to_owned()],
        cluster_cidr: Some("10.0.0.0/8".to_owned()),
        service_cidr: None,
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: false,
        node_zone: None,
    }
}

#[test]
fn chain_names_hash_as_upstream() {
    // Names from TestOverallIPTablesRules: portProtoHash and servicePortEndpointChainName.
    assert_eq!(
        service_chain("KUBE-SVC-", "ns1/svc1:p80", "tcp"),
        "KUBE-SVC-XPGD46QRK7WJZT7O"
    );
    assert_eq!(
        service_chain("KUBE-FW-", "ns5/svc5:p80", "tcp"),
        "KUBE-FW-NUKIZ6OKUXPJNT4C"
    );
    assert_eq!(
        endpoint_chain("ns1/svc1:p80", "tcp", "10.180.0.1:80"),
        "KUBE-SEP-SXIVWICOYRO3J4NJ"
    );
}

#[test]
fn overall_iptables_rules_as_upstream_expects() {
    let config = ClusterConfig {
        service_cidr: Cidr::parse("172.30.0.0/16").expect("cidr"),
        node_port_range: (3000, 30000),
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(INPUT, &config);
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    // The test's Services only: the cluster's own kubernetes and kube-dns are not in it.
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|service| service.meta.namespace.starts_with("ns"))
        .collect();
    assert_eq!(services.len(), 6);
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let rules = iptables_rules(&services, &slices, &upstream_proxier()).render();
    let expected: Vec<&str> = EXPECTED.lines().collect();
    let actual: Vec<&str> = rules.lines().collect();
    for (index, (want, got)) in expected.iter().zip(&actual).enumerate() {
        assert_eq!(want, got, "line {}", index + 1);
    }
    assert_eq!(expected.len(), actual.len(), "{rules}");
}

#[test]
fn every_cluster_has_these_chains() {
    // The chain names any kubeadm cluster shows in `iptables-save -t nat` for its two
    // built-in Services: they depend only on the service port names, so they are the same
    // everywhere (kubernetes:https, kube-dns:dns, kube-dns:dns-tcp, kube-dns:metrics).
    let cluster = Cluster::build("", &ClusterConfig::default());
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let config = ProxyConfig {
        node_name: "node-1".to_owned(),
        node_ips: vec!["192.168.0.11".to_owned()],
        cluster_cidr: Some("10.244.0.0/16".to_owned()),
        service_cidr: None,
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: true,
        node_zone: None,
    };
    let rules = iptables_rules(&services, &slices, &config).render();
    for line in [
        "-A KUBE-SERVICES -m comment --comment \"default/kubernetes:https cluster IP\" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y",
        "-A KUBE-SERVICES -m comment --comment \"kube-system/kube-dns:dns cluster IP\" -m udp -p udp -d 10.96.0.10 --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU",
        "-A KUBE-SERVICES -m comment --comment \"kube-system/kube-dns:dns-tcp cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 53 -j KUBE-SVC-ERIFXISQEP7F7OF4",
        "-A KUBE-SERVICES -m comment --comment \"kube-system/kube-dns:metrics cluster IP\" -m tcp -p tcp -d 10.96.0.10 --dport 9153 -j KUBE-SVC-JD5MR3NA4I4DYORP",
        "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully",
        "-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment \"default/kubernetes:https -> 192.168.0.10:6443\" -j KUBE-SEP-JXR3GL4M4Y5HVZ4I",
    ] {
        assert!(rules.lines().any(|rule| rule == line), "missing {line}\n{rules}");
    }
    // Two CoreDNS replicas: the first of two endpoints is taken with probability 1/2.
    assert!(rules.contains("-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-"));
}

#[test]
fn a_source_range_holding_the_node_lets_the_node_reach_its_load_balancer() {
    // proxier.go: when a loadBalancerSourceRange contains the node's IP, the KUBE-FW chain
    // also accepts the LoadBalancer IP itself as a source (VIP-like load balancers loop the
    // node's own requests back with the VIP as source).
    let input = "apiVersion: v1\nkind: Service\nmetadata: {name: svc5, namespace: ns5}\nspec:\n  type: LoadBalancer\n  clusterIP: 172.30.0.45\n  loadBalancerSourceRanges: [192.168.0.0/24]\n  ports: [{name: p80, port: 80, nodePort: 3002}]\nstatus:\n  loadBalancer:\n    ingress: [{ip: 5.6.7.8}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: svc5-1, namespace: ns5, labels: {kubernetes.io/service-name: svc5}}\naddressType: IPv4\nendpoints: [{addresses: [10.180.0.3]}]\nports: [{name: p80, port: 80, protocol: TCP}]\n";
    let config = ClusterConfig {
        service_cidr: Cidr::parse("172.30.0.0/16").expect("cidr"),
        node_port_range: (3000, 30000),
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(input, &config);
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|service| service.meta.namespace == "ns5")
        .collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let rules = iptables_rules(&services, &slices, &upstream_proxier()).render();
    let fw = service_chain("KUBE-FW-", "ns5/svc5:p80", "tcp");
    let ext = service_chain("KUBE-EXT-", "ns5/svc5:p80", "tcp");
    let lines: Vec<&str> = rules
        .lines()
        .filter(|line| line.starts_with(&format!("-A {fw} ")))
        .collect();
    assert_eq!(
        lines,
        [
            format!("-A {fw} -m comment --comment \"ns5/svc5:p80 loadbalancer IP\" -s 192.168.0.0/24 -j {ext}"),
            format!("-A {fw} -m comment --comment \"ns5/svc5:p80 loadbalancer IP\" -s 5.6.7.8 -j {ext}"),
            format!("-A {fw} -m comment --comment \"other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL\""),
        ]
    );
}

/// kube-proxy writes `--probability` as Go's `%0.10f` of the float64 1/n
/// (pkg/proxy/iptables/proxier.go `probability`). svcscope computes it with integers (no float
/// formatting in the wasm); Rust's `{:.10}` is correctly rounded like Go's, so it is the oracle
/// here, for every n a Service could have, ties included (n = 2048 and 10240 land exactly
/// between two ten-digit decimals).
#[test]
fn probabilities_print_as_go_formats_them() {
    for n in 1..=200_000usize {
        assert_eq!(
            svcscope::sim::proxy::iptables::probability(n),
            format!("{:.10}", 1.0 / n as f64),
            "n = {n}"
        );
    }
    assert_eq!(
        svcscope::sim::proxy::iptables::probability(2),
        "0.5000000000"
    );
    assert_eq!(
        svcscope::sim::proxy::iptables::probability(3),
        "0.3333333333"
    );
}

/// `largeClusterMode` (kubernetes `pkg/proxy/iptables/proxier.go`: `appendServiceCommentLocked`,
/// `largeClusterEndpointsThreshold = 1000`): with more than 1,000 endpoints the endpoint
/// chains' rules and the Service chain's jumps to them carry no comment; the Service-level
/// rules keep theirs. One Service of 1,002 endpoints (two slices of 501) crosses the line;
/// 1,000 do not.
#[test]
fn large_clusters_drop_the_endpoint_comments() {
    let manifest = |per_slice: usize| {
        let mut text = String::from(
            "apiVersion: v1\nkind: Service\nmetadata: {name: big}\nspec: {clusterIP: 10.96.5.5, ports: [{name: http, port: 80}]}\n",
        );
        for slice in 0..2 {
            text.push_str(&format!(
                "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: big-{slice}, labels: {{kubernetes.io/service-name: big}}}}\naddressType: IPv4\nports: [{{name: http, port: 8080, protocol: TCP}}]\nendpoints:\n"
            ));
            for index in 0..per_slice {
                text.push_str(&format!(
                    "- addresses: [10.{}.{}.{}]\n",
                    100 + slice,
                    index / 250,
                    index % 250 + 1
                ));
            }
        }
        text
    };
    let rules_for = |per_slice: usize| {
        let cluster = Cluster::build(&manifest(per_slice), &ClusterConfig::default());
        assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
        let services: Vec<_> = cluster.services.iter().collect();
        let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
        let node = cluster.nodes.first().expect("a node");
        iptables_rules(
            &services,
            &slices,
            &ProxyConfig::for_node(node, &cluster.config),
        )
        .render()
    };
    let svc = service_chain("KUBE-SVC-", "default/big:http", "tcp");
    let sep = endpoint_chain("default/big:http", "tcp", "10.100.0.1:8080");
    // 2 x 501 endpoints of big, plus kubernetes (1) and kube-dns (3 ports x 2): past 1,000.
    let large = rules_for(501);
    assert!(
        large.contains(&format!("-A {sep} -s 10.100.0.1 -j KUBE-MARK-MASQ\n")),
        "{sep}"
    );
    assert!(large.contains(&format!(
        "-A {sep} -m tcp -p tcp -j DNAT --to-destination 10.100.0.1:8080\n"
    )));
    let jump = large
        .lines()
        .find(|line| {
            line.starts_with(&format!("-A {svc} ")) && line.ends_with(&format!(" -j {sep}"))
        })
        .expect("the jump to the endpoint");
    assert!(
        jump.starts_with(&format!(
            "-A {svc} -m statistic --mode random --probability 0."
        )),
        "{jump}"
    );
    assert!(large.contains(&format!(
        "-A KUBE-SERVICES -m comment --comment \"default/big:http cluster IP\" -m tcp -p tcp -d 10.96.5.5 --dport 80 -j {svc}\n"
    )));
    // 2 x 496 + 7 = 999: comments stay.
    let small = rules_for(496);
    assert!(small.contains(&format!(
        "-A {sep} -m comment --comment default/big:http -s 10.100.0.1 -j KUBE-MARK-MASQ\n"
    )));
}

/// Every mode's rules for a cluster, as text: `iptables-restore`, `nft list table`,
/// `ipvsadm -Ln` and the IPVS mode's ipsets and iptables.
fn all_modes(cluster: &Cluster) -> String {
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let config = upstream_proxier();
    let ipvs = svcscope::sim::proxy::ipvs_tables::ipvs_tables(&services, &slices, &config);
    format!(
        "{}\n{}\n{}\n{}\n{}",
        iptables_rules(&services, &slices, &config).render(),
        svcscope::sim::proxy::nftables::nftables_rules(&services, &slices, &config).render_dump(),
        svcscope::sim::proxy::ipvs::render_ipvsadm(&svcscope::sim::proxy::ipvs::virtual_servers(
            &services, &slices, &config
        )),
        ipvs.render_ipset_save(),
        ipvs.render_iptables(),
    )
}

#[test]
fn what_kube_proxy_leaves_to_others() {
    // serviceport.go newBaseServiceInfo: a load balancer ingress in ipMode Proxy is skipped
    // (proxyutil.IsVIPMode), and addresses of the other family are dropped; server.go: a
    // Service labelled service.kubernetes.io/service-proxy-name is not watched at all.
    let service = |name: &str, labels: &str, ingress: &str| {
        format!(
            "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: ns, labels: {{{labels}}}}}\nspec:\n  type: LoadBalancer\n  externalIPs: [192.0.2.9, \"2001:db8::9\"]\n  ports: [{{name: p80, port: 80}}]\nstatus:\n  loadBalancer:\n    ingress: [{ingress}]\n---\n"
        )
    };
    let input = format!(
        "{}{}{}{}",
        service("vip", "", "{ip: 5.6.7.8}"),
        service("proxied", "", "{ip: 5.6.7.9, ipMode: Proxy}"),
        service(
            "dual",
            "",
            "{ip: 5.6.7.10, ipMode: VIP}, {ip: \"2001:db8::10\"}"
        ),
        service(
            "other-proxy",
            "service.kubernetes.io/service-proxy-name: cilium",
            "{ip: 5.6.7.11}"
        ),
    );
    let cluster = Cluster::build(&input, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let text = all_modes(&cluster);
    for (present, absent) in [
        ("5.6.7.8", "5.6.7.9"),
        ("5.6.7.10", "2001:db8::10"),
        ("192.0.2.9", "2001:db8::9"),
        ("ns/vip:p80", "ns/other-proxy"),
        ("ns/proxied:p80", "5.6.7.11"),
    ] {
        assert!(text.contains(present), "{present} missing");
        assert!(!text.contains(absent), "{absent} present:\n{text}");
    }
    // Each mode on its own: the VIP-mode address is there, the Proxy-mode one is not.
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let config = upstream_proxier();
    let ipvs = svcscope::sim::proxy::ipvs_tables::ipvs_tables(&services, &slices, &config);
    for (mode, rules) in [
        (
            "iptables",
            iptables_rules(&services, &slices, &config).render(),
        ),
        (
            "nftables",
            svcscope::sim::proxy::nftables::nftables_rules(&services, &slices, &config)
                .render_dump(),
        ),
        (
            "ipvs",
            svcscope::sim::proxy::ipvs::render_ipvsadm(
                &svcscope::sim::proxy::ipvs::virtual_servers(&services, &slices, &config),
            ),
        ),
        ("ipvs ipsets", ipvs.render_ipset_save()),
    ] {
        assert!(
            rules.contains("5.6.7.8"),
            "{mode}: the VIP-mode address is missing"
        );
        assert!(
            !rules.contains("5.6.7.9"),
            "{mode}: the Proxy-mode address has rules"
        );
    }
}
