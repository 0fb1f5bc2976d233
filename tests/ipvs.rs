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

use std::process::Command;

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
