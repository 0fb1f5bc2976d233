//! `iptables-save` as a node prints it after kube-proxy ran (`sim::iptables_save`), against a
//! real iptables.
//!
//! In a fresh network namespace the test does what kube-proxy does on start (kubernetes
//! `pkg/proxy/iptables/proxier.go` and `pkg/proxy/ipvs/proxier.go`): the canary chains, then
//! `EnsureChain` and `EnsureRule(Prepend)` (`iptables -C || iptables -I`) for each jump, then
//! `iptables-restore --noflush` of the model's rules; then it compares the real
//! `iptables-save` (Debian's iptables 1.8.9, nf_tables backend; the `#` lines with the time
//! left out) with svcscope's, line by line. The machines' kernels lack `xt_nfacct` and
//! `xt_ipvs`: those matches are taken out of the rules on both sides, so their spelling is
//! the one thing not compared (`libxt_nfacct`/`libxt_ipvs`'s save functions are followed).
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
use svcscope::sim::config::{Cidr, ClusterConfig, Family};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::proxy::iptables::iptables_rules;
use svcscope::sim::proxy::iptables_save::{
    canary_tables, ip6tables_save, iptables_save, jumps, saved_probability, Mode,
};
use svcscope::sim::proxy::ipvs_tables::ipvs_tables;

/// The rules without the matches the test kernels cannot load.
fn loadable(restore: &str) -> String {
    restore
        .lines()
        .map(|line| {
            let mut line = line.to_owned();
            for (start, words) in [(" -m nfacct ", 4), (" -m ipvs ", 8)] {
                if let Some(at) = line.find(start) {
                    let tail: Vec<&str> = line[at + 1..].split(' ').collect();
                    let rest = tail.get(words..).unwrap_or(&[]).join(" ");
                    line = format!("{} {rest}", &line[..at]);
                }
            }
            line + "\n"
        })
        .collect()
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The real iptables-save (ip6tables-save when `v6`) after kube-proxy's start-up steps and
/// `restore`.
fn real_save(mode: Mode, ipsets: &str, restore: &str, v6: bool) -> String {
    let tool = if v6 { "ip6tables" } else { "iptables" };
    let mut script = String::from("set -e\n");
    if !ipsets.is_empty() {
        script.push_str(&format!("printf '%s' {} | ipset restore\n", quote(ipsets)));
    }
    for table in canary_tables(mode) {
        script.push_str(&format!("{tool} -t {table} -N KUBE-PROXY-CANARY\n"));
    }
    for (table, chain, rule) in jumps(mode) {
        let target = rule.rsplit("-j ").next().unwrap_or("");
        script.push_str(&format!(
            "{tool} -t {table} -N {target} 2>/dev/null || true\n{tool} -t {table} -C {chain} {rule} 2>/dev/null || {tool} -t {table} -I {chain} {rule}\n"
        ));
    }
    script.push_str(&format!(
        "{tool}-restore --noflush\n{tool}-save | grep -v '^#'\n"
    ));
    let mut child = Command::new("unshare")
        .args(["--net", "sh", "-c", &script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unshare (util-linux)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(restore.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("runs");
    assert!(
        output.status.success(),
        "{}\n{script}\n{restore}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn assert_saved_as_iptables_saves(mode: Mode, ipsets: &str, restore: &str, what: &str) {
    assert_saved_as(mode, ipsets, restore, what, false);
}

/// [`assert_saved_as_iptables_saves`] for `ip6tables-save` when `v6`.
fn assert_saved_as(mode: Mode, ipsets: &str, restore: &str, what: &str, v6: bool) {
    let restore = loadable(restore);
    let theirs = real_save(mode, ipsets, &restore, v6);
    let ours = if v6 {
        ip6tables_save(&restore, mode)
    } else {
        iptables_save(&restore, mode)
    };
    let (theirs, ours): (Vec<&str>, Vec<&str>) = (theirs.lines().collect(), ours.lines().collect());
    for (index, (want, got)) in theirs.iter().zip(&ours).enumerate() {
        assert_eq!(want, got, "{what}: line {}", index + 1);
    }
    assert_eq!(theirs.len(), ours.len(), "{what}");
}

#[test]
fn iptables_mode_for_upstreams_services() {
    let config = ClusterConfig {
        service_cidr: Cidr::parse("172.30.0.0/16").expect("cidr"),
        node_port_range: (3000, 30000),
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(include_str!("data/upstream_proxier.yaml"), &config);
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let mut proxy = ProxyConfig {
        node_name: "test-node".to_owned(),
        node_ips: vec!["192.168.0.2".to_owned()],
        cluster_cidr: Some("10.0.0.0/8".to_owned()),
        service_cidr: None,
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: true,
        node_zone: None,
    };
    let restore = iptables_rules(&services, &slices, &proxy).render();
    assert_saved_as_iptables_saves(Mode::Iptables, "", &restore, "upstream test");
    proxy.masquerade_all = true;
    let restore = iptables_rules(&services, &slices, &proxy).render();
    assert_saved_as_iptables_saves(Mode::Iptables, "", &restore, "--masquerade-all");
}

#[test]
fn both_modes_for_every_scenario_on_every_node() {
    for scenario in SCENARIOS {
        let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
        let services: Vec<_> = cluster.services.iter().collect();
        let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
        for node in &cluster.nodes {
            // The IPv6 proxier of a dual-stack node: ip6tables loads its rules and
            // ip6tables-save prints them as svcscope does.
            if cluster.config.dual_stack() {
                let proxy = ProxyConfig::for_node_family(node, &cluster.config, Family::V6);
                let restore = iptables_rules(&services, &slices, &proxy).render();
                assert!(restore.contains("-d fd00:10:96::"), "{restore}");
                let what = format!("{} on {}, IPv6", scenario.id, node.name);
                assert_saved_as(Mode::Iptables, "", &restore, &what, true);
            }
            let proxy = ProxyConfig::for_node(node, &cluster.config);
            let what = format!("{} on {}", scenario.id, node.name);
            let restore = iptables_rules(&services, &slices, &proxy).render();
            assert_saved_as_iptables_saves(Mode::Iptables, "", &restore, &what);
            let ipvs = ipvs_tables(&services, &slices, &proxy);
            assert_saved_as_iptables_saves(
                Mode::Ipvs,
                &ipvs.render_ipset_save(),
                &ipvs.render_iptables(),
                &format!("ipvs mode, {what}"),
            );
        }
    }
}

#[test]
fn ipvs_mode_with_firewalled_load_balancers() {
    let input =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/ipvs.yaml"))
            .expect("ipvs.yaml");
    let extra = "---\napiVersion: v1\nkind: Service\nmetadata: {name: fw}\nspec:\n  type: LoadBalancer\n  externalTrafficPolicy: Local\n  externalIPs: [192.168.99.11]\n  loadBalancerSourceRanges: [203.0.113.0/25]\n  selector: {app: web}\n  ports: [{port: 443, targetPort: 8080}]\nstatus:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.20}]\n";
    let cluster = Cluster::build(&(input + extra), &ClusterConfig::default());
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    for node in &cluster.nodes {
        let proxy = ProxyConfig::for_node(node, &cluster.config);
        let ipvs = ipvs_tables(&services, &slices, &proxy);
        assert_saved_as_iptables_saves(
            Mode::Ipvs,
            &ipvs.render_ipset_save(),
            &ipvs.render_iptables(),
            &node.name,
        );
        let restore = iptables_rules(&services, &slices, &proxy).render();
        assert_saved_as_iptables_saves(Mode::Iptables, "", &restore, &node.name);
    }
}

/// `libxt_statistic` keeps `lround(2^31 p)` and saves it over 2^31 as `%.11f`; svcscope does it
/// with integers. Rust's float formatting is correctly rounded like glibc's printf, so it is
/// the oracle, for every probability kube-proxy writes up to 100,000 endpoints; the values a
/// real iptables printed (0.50000000000, 0.33333333349, 0.00099800387) are pinned too.
#[test]
fn probabilities_print_as_iptables_saves_them() {
    for n in 1..=100_000usize {
        let written = svcscope::sim::proxy::iptables::probability(n);
        let p: f64 = written.parse().expect("a decimal");
        let kept = (p * 2_147_483_648.0).round();
        assert_eq!(
            saved_probability(&written),
            format!("{:.11}", kept / 2_147_483_648.0),
            "n = {n}"
        );
    }
    assert_eq!(saved_probability("0.5000000000"), "0.50000000000");
    assert_eq!(saved_probability("0.3333333333"), "0.33333333349");
    assert_eq!(saved_probability("0.0009980040"), "0.00099800387");
}
