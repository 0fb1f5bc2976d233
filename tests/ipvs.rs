//! kube-proxy's IPVS mode (`svcscope ipvs`, `sim::ipvs`) printed as `ipvsadm -Ln` prints it.
//!
//! Sources: kubernetes `pkg/proxy/ipvs/proxier.go` (`syncProxyRules`: a virtual server per
//! ClusterIP, external IP, LoadBalancer ingress IP and node IP + NodePort; persistence for
//! `sessionAffinity: ClientIP`; `syncEndpoint` with `CategorizeEndpoints`, local endpoints only
//! for `externalTrafficPolicy: Local` on node-facing addresses), ipvsadm's `ipvsadm.c`
//! (`list_all`, `print_title`, `print_service_entry`: `"%s  %s"` cut at 33 characters, the
//! scheduler, ` persistent %u`, destinations as `"  -> %-28s %-7s %-6d %-10u %-10u"`) and
//! libipvs's `ipvs_cmp_services` (protocol number, then `ntohl(a) - ntohl(b)` in an `int`, then
//! the port).
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

use std::process::Command;
use svcscope::sim::proxy::shared::ProxyConfig;

fn ipvs(node: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_svcscope"))
        .args(["-f", "tests/data/ipvs.yaml", "ipvs", "--node", node])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("svcscope runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Two web pods (node-1 10.244.1.11, node-2 10.244.2.11) behind a ClusterIP Service, a
/// NodePort Service with `externalTrafficPolicy: Local`, a UDP LoadBalancer with ClientIP
/// affinity (600 s), a Service whose selector matches nothing, and a headless one.
#[test]
fn virtual_servers_on_node_1_as_ipvsadm_lists_them() {
    let expected = "\
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  192.168.0.11:30081 rr
  -> 10.244.1.11:8080             Masq    1      0          0         
TCP  10.96.0.1:443 rr
  -> 192.168.0.10:6443            Masq    1      0          0         
TCP  10.96.0.10:53 rr
  -> 10.244.0.2:53                Masq    1      0          0         
  -> 10.244.0.3:53                Masq    1      0          0         
TCP  10.96.0.10:9153 rr
  -> 10.244.0.2:9153              Masq    1      0          0         
  -> 10.244.0.3:9153              Masq    1      0          0         
TCP  10.96.0.100:80 rr
  -> 10.244.1.11:8080             Masq    1      0          0         
  -> 10.244.2.11:8080             Masq    1      0          0         
TCP  10.96.0.101:80 rr
  -> 10.244.1.11:8080             Masq    1      0          0         
  -> 10.244.2.11:8080             Masq    1      0          0         
TCP  10.96.0.103:80 rr
UDP  192.168.0.11:30082 rr persistent 600
  -> 10.244.1.11:8080             Masq    1      0          0         
  -> 10.244.2.11:8080             Masq    1      0          0         
UDP  203.0.113.7:80 rr persistent 600
  -> 10.244.1.11:8080             Masq    1      0          0         
  -> 10.244.2.11:8080             Masq    1      0          0         
UDP  10.96.0.10:53 rr
  -> 10.244.0.2:53                Masq    1      0          0         
  -> 10.244.0.3:53                Masq    1      0          0         
UDP  10.96.0.102:80 rr persistent 600
  -> 10.244.1.11:8080             Masq    1      0          0         
  -> 10.244.2.11:8080             Masq    1      0          0         
";
    // Worth saying out loud, each pinned above:
    // - TCP before UDP (IPPROTO 6 < 17), and 192.168.x / 203.x before 10.x: libipvs compares
    //   addresses by a wrapping difference, as real ipvsadm output on kubeadm clusters shows;
    // - web-local's NodePort reaches only node-1's own pod; its ClusterIP reaches both;
    // - the empty Service still gets its virtual server, with no real server;
    // - the headless Service gets nothing.
    assert_eq!(ipvs("node-1"), expected);
}

#[test]
fn each_node_serves_its_own_node_ports_with_its_local_endpoints() {
    let on_node_2 = ipvs("node-2");
    assert!(
        on_node_2.contains("TCP  192.168.0.12:30081 rr\n  -> 10.244.2.11:8080 "),
        "{on_node_2}"
    );
    assert!(on_node_2.contains("UDP  192.168.0.12:30082 rr persistent 600\n"));
    assert!(!on_node_2.contains("192.168.0.11"), "{on_node_2}");
}

/// `syncEndpoint`: with `externalTrafficPolicy: Local` a node without a local endpoint still
/// gets the cluster's endpoints as real servers (kubernetes#97081: pods on the node can reach
/// the Service; outside clients' replies go astray), where iptables mode would drop.
#[test]
fn a_node_without_local_endpoints_keeps_the_clusters_for_local_policy() {
    let on_control_plane = ipvs("control-plane");
    assert!(
        on_control_plane.contains(
            "TCP  192.168.0.10:30081 rr\n  -> 10.244.1.11:8080             Masq    1      0          0         \n  -> 10.244.2.11:8080 "
        ),
        "{on_control_plane}"
    );
}

/// The destination line's columns against kubernetes' own `pkg/proxy/ipvs/README.md`
/// ("TCP  10.0.0.10:53 rr" / "  -> 172.17.0.2:53                Masq    1      0          0"),
/// trailing blanks aside (the README's copy dropped them; ipvsadm prints them).
#[test]
fn the_columns_match_upstream_readme() {
    let line = format!(
        "  -> {:<28} {:<7} {:<6} {:<10} {:<10}",
        "172.17.0.2:53", "Masq", 1, 0, 0
    );
    assert_eq!(
        line.trim_end(),
        "  -> 172.17.0.2:53                Masq    1      0          0"
    );
    let output = ipvs("node-1");
    assert!(output
        .lines()
        .filter(|line| line.starts_with("  -> ") && !line.starts_with("  -> RemoteAddress"))
        .all(|line| line.len() == 5 + 28 + 1 + 7 + 1 + 6 + 1 + 10 + 1 + 10));
}

// ---- The ipsets and iptables rules IPVS mode keeps (`sim::ipvs_tables`) ----
//
// Sources: kubernetes `pkg/proxy/ipvs/proxier.go` (`syncProxyRules`, `writeIptablesRules`,
// `acceptIPVSTraffic`), `pkg/proxy/ipvs/ipset.go` and `ipset/ipset.go` (set names, types,
// comments, `Entry.String()`), and `pkg/proxy/ipvs/proxier_test.go` (`TestNodePortIPv4`:
// `NewFakeProxier` has node `test-node`, a no-op local detector, no `--masquerade-all`).

use svcscope::sim::config::{Cidr, ClusterConfig};
use svcscope::sim::control::cluster::Cluster;

use svcscope::sim::proxy::ipvs_tables::{ipvs_tables, IpvsTables};

/// `NewFakeProxier`'s kube-proxy on `test-node` with `node_ips`.
fn fake_proxier(node_ips: &[&str]) -> ProxyConfig {
    ProxyConfig {
        node_name: "test-node".to_owned(),
        node_ips: node_ips.iter().map(|ip| (*ip).to_owned()).collect(),
        cluster_cidr: None,
        service_cidr: None,
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: true,
        node_zone: None,
    }
}

fn tables_for(input: &str, proxy: &ProxyConfig) -> IpvsTables {
    let config = ClusterConfig {
        service_cidr: Cidr::parse("10.20.0.0/16").expect("cidr"),
        node_port_range: (3000, 30000),
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(input, &config);
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let services: Vec<_> = cluster
        .services
        .iter()
        .filter(|service| service.meta.namespace.starts_with("ns"))
        .collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    ipvs_tables(&services, &slices, proxy)
}

/// Each chain's rules as upstream's `checkIptables` sees them: (jump target, match set or
/// source address), the nat table's rules of a chain before the filter table's.
fn chain_shapes(rules: &str, chain: &str) -> Vec<(String, String)> {
    rules
        .lines()
        .filter(|line| line.starts_with(&format!("-A {chain} ")))
        .map(|line| {
            let word_after = |flag: &str| {
                line.split_once(flag)
                    .and_then(|(_, rest)| rest.split(' ').next())
                    .unwrap_or("")
                    .to_owned()
            };
            let matched = if line.contains("--match-set ") {
                word_after("--match-set ")
            } else if line.contains(" -s ") {
                word_after(" -s ")
            } else {
                String::new()
            };
            (word_after(" -j "), matched)
        })
        .collect()
}

fn shapes(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(jump, matched)| ((*jump).to_owned(), (*matched).to_owned()))
        .collect()
}

#[test]
fn udp_node_port_as_upstream_expects() {
    // TestNodePortIPv4 "1 UDP service with node port, has endpoints".
    let input = "\
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  type: NodePort
  clusterIP: 10.20.30.41
  ports: [{name: p80, port: 80, protocol: UDP, nodePort: 3001}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc1-1, namespace: ns1, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1]}]
ports: [{name: p80, port: 80, protocol: UDP}]
";
    let tables = tables_for(input, &fake_proxier(&["100.101.102.103"]));
    let udp = tables.set("KUBE-NODE-PORT-UDP").expect("set");
    assert_eq!(udp.entries.iter().collect::<Vec<_>>(), ["3001"]);
    let rules = tables.render_iptables();
    assert_eq!(
        chain_shapes(&rules, "KUBE-NODE-PORT"),
        shapes(&[
            ("KUBE-MARK-MASQ", "KUBE-NODE-PORT-UDP"),
            ("ACCEPT", "KUBE-HEALTH-CHECK-NODE-PORT"),
        ]),
        "{rules}"
    );
    assert_eq!(
        chain_shapes(&rules, "KUBE-SERVICES"),
        shapes(&[
            ("RETURN", "127.0.0.0/8"),
            ("KUBE-MARK-MASQ", "KUBE-CLUSTER-IP"),
            ("KUBE-NODE-PORT", ""),
            ("ACCEPT", "KUBE-CLUSTER-IP"),
        ]),
        "{rules}"
    );
    // Without local detection the ClusterIP rule masquerades node traffic from a VIP.
    assert!(
        rules.contains("--match-set KUBE-CLUSTER-IP src,dst -j KUBE-MARK-MASQ"),
        "{rules}"
    );
}

#[test]
fn sctp_node_ports_are_ip_port_entries_for_every_node_ip() {
    // TestNodePortIPv4 "node port service with protocol sctp on a node with multiple nodeIPs".
    let input = "\
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: ns1}
spec:
  type: NodePort
  clusterIP: 10.20.30.41
  ports: [{name: p80, port: 80, protocol: SCTP, nodePort: 3001}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: svc1-1, namespace: ns1, labels: {kubernetes.io/service-name: svc1}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1]}]
ports: [{name: p80, port: 80, protocol: SCTP}]
";
    let tables = tables_for(
        input,
        &fake_proxier(&["100.101.102.103", "100.101.102.104", "100.101.102.105"]),
    );
    let sctp = tables.set("KUBE-NODE-PORT-SCTP-HASH").expect("set");
    assert_eq!(
        sctp.entries.iter().collect::<Vec<_>>(),
        [
            "100.101.102.103,sctp:3001",
            "100.101.102.104,sctp:3001",
            "100.101.102.105,sctp:3001"
        ]
    );
    let rules = tables.render_iptables();
    assert!(
        rules.contains("-A KUBE-NODE-PORT -p sctp -m comment --comment \"Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'\" -m set --match-set KUBE-NODE-PORT-SCTP-HASH dst,dst -j KUBE-MARK-MASQ"),
        "{rules}"
    );
}

/// A LoadBalancer with `externalTrafficPolicy: Local`, source ranges that hold the node (the
/// VIP may then be its own source), one whose ranges do not (the node may not reach it:
/// `KUBE-IPVS-OUT-FILTER`), an external IP, and a health check port.
const LOAD_BALANCERS: &str = "\
apiVersion: v1
kind: Service
metadata: {name: lb1, namespace: ns1}
spec:
  type: LoadBalancer
  clusterIP: 10.20.30.41
  externalTrafficPolicy: Local
  healthCheckNodePort: 3100
  externalIPs: [192.168.99.11]
  loadBalancerSourceRanges: [100.101.102.0/24, 203.0.113.0/25]
  ports: [{name: p80, port: 80, nodePort: 3001}]
status:
  loadBalancer:
    ingress: [{ip: 1.2.3.4}]
---
apiVersion: v1
kind: Service
metadata: {name: lb2, namespace: ns1}
spec:
  type: LoadBalancer
  clusterIP: 10.20.30.42
  loadBalancerSourceRanges: [203.0.113.0/25]
  ports: [{name: p80, port: 80, nodePort: 3002}]
status:
  loadBalancer:
    ingress: [{ip: 5.6.7.8}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lb1-1, namespace: ns1, labels: {kubernetes.io/service-name: lb1}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.1], nodeName: test-node}]
ports: [{name: p80, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lb2-1, namespace: ns1, labels: {kubernetes.io/service-name: lb2}}
addressType: IPv4
endpoints: [{addresses: [10.180.0.2]}]
ports: [{name: p80, port: 80, protocol: TCP}]
";

#[test]
fn load_balancer_sets_follow_sync_proxy_rules() {
    let tables = tables_for(LOAD_BALANCERS, &fake_proxier(&["100.101.102.103"]));
    let entries = |name: &str| -> Vec<String> {
        tables
            .set(name)
            .map(|set| set.entries.iter().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        entries("KUBE-LOAD-BALANCER"),
        ["1.2.3.4,tcp:80", "5.6.7.8,tcp:80"]
    );
    assert_eq!(entries("KUBE-LOAD-BALANCER-LOCAL"), ["1.2.3.4,tcp:80"]);
    assert_eq!(
        entries("KUBE-LOAD-BALANCER-FW"),
        ["1.2.3.4,tcp:80", "5.6.7.8,tcp:80"]
    );
    assert_eq!(
        entries("KUBE-LOAD-BALANCER-SOURCE-CIDR"),
        [
            "1.2.3.4,tcp:80,100.101.102.0/24",
            "1.2.3.4,tcp:80,203.0.113.0/25",
            "5.6.7.8,tcp:80,203.0.113.0/25"
        ]
    );
    // The node is in lb1's first range: its VIP may be the source too.
    assert_eq!(
        entries("KUBE-LOAD-BALANCER-SOURCE-IP"),
        ["1.2.3.4,tcp:80,1.2.3.4"]
    );
    assert_eq!(entries("KUBE-EXTERNAL-IP-LOCAL"), ["192.168.99.11,tcp:80"]);
    assert!(entries("KUBE-EXTERNAL-IP").is_empty());
    assert_eq!(entries("KUBE-NODE-PORT-TCP"), ["3001", "3002"]);
    assert_eq!(entries("KUBE-NODE-PORT-LOCAL-TCP"), ["3001"]);
    assert_eq!(entries("KUBE-HEALTH-CHECK-NODE-PORT"), ["3100"]);
    // Hairpin: the local endpoint to itself.
    assert_eq!(entries("KUBE-LOOP-BACK"), ["10.180.0.1,tcp:80,10.180.0.1"]);
    assert_eq!(
        entries("KUBE-IPVS-IPS"),
        [
            "1.2.3.4",
            "10.20.30.41",
            "10.20.30.42",
            "192.168.99.11",
            "5.6.7.8"
        ]
    );
    let rules = tables.render_iptables();
    // lb2's ranges do not hold the node: the node may not reach its VIP.
    assert!(
        rules.contains("-A KUBE-IPVS-OUT-FILTER -s 5.6.7.8 -m ipvs --vaddr 5.6.7.8 --vproto tcp --vport 80 -j DROP"),
        "{rules}"
    );
    assert_eq!(
        chain_shapes(&rules, "KUBE-SERVICES"),
        shapes(&[
            ("RETURN", "127.0.0.0/8"),
            ("KUBE-LOAD-BALANCER", "KUBE-LOAD-BALANCER"),
            ("KUBE-MARK-MASQ", "KUBE-CLUSTER-IP"),
            ("ACCEPT", "KUBE-EXTERNAL-IP-LOCAL"),
            ("ACCEPT", "KUBE-EXTERNAL-IP-LOCAL"),
            ("KUBE-NODE-PORT", ""),
            ("ACCEPT", "KUBE-CLUSTER-IP"),
            ("ACCEPT", "KUBE-LOAD-BALANCER"),
        ]),
        "{rules}"
    );
    assert_eq!(
        chain_shapes(&rules, "KUBE-SOURCE-RANGES-FIREWALL"),
        shapes(&[
            ("RETURN", "KUBE-LOAD-BALANCER-SOURCE-CIDR"),
            ("RETURN", "KUBE-LOAD-BALANCER-SOURCE-IP"),
            ("DROP", ""),
        ]),
        "{rules}"
    );
}

/// Runs `script` in a new network namespace of its own; its standard output.
fn in_netns(script: &str, stdin: &str) -> String {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new("unshare")
        .args(["--net", "sh", "-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unshare (util-linux)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("runs");
    assert!(
        output.status.success(),
        "{script}: {}\n{stdin}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// `ipset save`'s lines with the kernel's random `initval` cut, each set's members sorted as
/// text (the kernel lists hash sets in hash order).
fn comparable_save(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut members: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with("add ") {
            members.push(line.to_owned());
            continue;
        }
        members.sort();
        out.append(&mut members);
        out.push(line.split(" initval ").next().unwrap_or(line).to_owned());
    }
    members.sort();
    out.append(&mut members);
    out
}

/// A real ipset (Debian's ipset 7) restores the sets as svcscope writes them and saves them
/// back the same; a real iptables-restore (iptables 1.8, nf_tables) takes the rules against
/// those sets. `-m ipvs` needs the kernel's xt_ipvs, which the test machines lack: those
/// rules are loaded without their ipvs match.
#[test]
fn real_ipset_and_iptables_take_what_ipvs_mode_keeps() {
    let mut cases: Vec<(String, IpvsTables)> = vec![(
        "load balancers".to_owned(),
        tables_for(LOAD_BALANCERS, &fake_proxier(&["100.101.102.103"])),
    )];
    let cluster = Cluster::build(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ipvs.yaml"))
            .expect("ipvs.yaml"),
        &ClusterConfig::default(),
    );
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    for node in &cluster.nodes {
        let proxy = ProxyConfig::for_node(node, &cluster.config);
        cases.push((node.name.clone(), ipvs_tables(&services, &slices, &proxy)));
    }
    for (what, tables) in cases {
        let save = tables.render_ipset_save();
        let rules: String = tables
            .render_iptables()
            .lines()
            .map(|line| match line.split_once(" -m ipvs ") {
                Some((head, tail)) => {
                    let jump = tail.split_once(" -j ").map_or("", |(_, jump)| jump);
                    format!("{head} -j {jump}\n")
                }
                None => format!("{line}\n"),
            })
            .collect();
        let script = format!(
            "ipset restore && ipset save && printf '%s' '{}' | iptables-restore",
            rules.replace('\'', "'\\''")
        );
        let saved = in_netns(&script, &save);
        assert_eq!(comparable_save(&saved), comparable_save(&save), "{what}");
    }
}
