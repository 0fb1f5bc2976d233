//! kube-proxy rule generation: the iptables rules, and the nftables table, for one node of a
//! cluster with 10,000 Services of 10 endpoints each, built and rendered (`cargo bench --bench
//! proxy`). Upstream's own full sync of that size takes seconds; the target here is under
//! 100 ms.
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

#[path = "common.rs"]
mod common;

use common::{config, manifests};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::proxy::iptables::iptables_rules;
use svcscope::sim::proxy::nftables::nftables_rules;
use svcscope::sim::proxy::shared::ProxyConfig;

/// The allocator the `svcscope` CLI uses (src/bin/svcscope/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// kube-proxy on node-1 of the benchmark cluster.
fn node_1() -> ProxyConfig {
    ProxyConfig {
        node_name: "node-1".to_owned(),
        node_ips: vec!["192.168.0.11".to_owned()],
        cluster_cidr: Some("10.0.0.0/8".to_owned()),
        service_cidr: Some("10.96.0.0/12".to_owned()),
        masquerade_all: false,
        family: svcscope::sim::config::Family::V4,
        random_fully: true,
        node_zone: None,
    }
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10, sample_size = 1)]
fn iptables_for_one_node(bencher: divan::Bencher, services: usize) {
    let cluster = Cluster::build(&manifests(services), &config(services));
    let service_refs: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let proxy = node_1();
    bencher.bench_local(|| {
        let rules = iptables_rules(
            divan::black_box(&service_refs),
            divan::black_box(&slices),
            &proxy,
        );
        rules.render()
    });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10, sample_size = 1)]
fn nftables_for_one_node(bencher: divan::Bencher, services: usize) {
    let cluster = Cluster::build(&manifests(services), &config(services));
    let service_refs: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let proxy = node_1();
    bencher.bench_local(|| {
        let table = nftables_rules(
            divan::black_box(&service_refs),
            divan::black_box(&slices),
            &proxy,
        );
        table.render_list()
    });
}
