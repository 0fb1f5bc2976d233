//! Cluster DNS answers per second: A questions for the Services of a 10,000-Service cluster
//! (100,000 pods), asked of the CoreDNS model directly (absolute names), and SRV questions for
//! named ports, and PTR questions for pod addresses. Run with `cargo bench --bench dns`;
//! answers per second = 1 / median.
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
use svcscope::sim::dns::plugin::{Dns, DnsOptions, QType};

/// The allocator the `svcscope` CLI uses (src/bin/svcscope/main.rs).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SERVICES: usize = 10_000;

fn server() -> (Dns, Vec<String>) {
    let cluster = Cluster::build(&manifests(SERVICES), &config(SERVICES));
    let names = (0..SERVICES)
        .map(|index| format!("svc-{index}.default.svc.cluster.local."))
        .collect();
    (Dns::new(&cluster, DnsOptions::default()), names)
}

#[divan::bench(sample_count = 20, sample_size = 10_000)]
fn a_question(bencher: divan::Bencher) {
    let (dns, names) = server();
    let mut next = 0usize;
    bencher.bench_local(|| {
        next = (next + 7919) % names.len();
        let name = names.get(next).map(String::as_str).unwrap_or("");
        let response = dns.query(divan::black_box(name), QType::A);
        assert_eq!(response.answer.len(), 1);
        response
    });
}

#[divan::bench(sample_count = 20, sample_size = 10_000)]
fn srv_question(bencher: divan::Bencher) {
    let (dns, names) = server();
    let names: Vec<String> = names
        .iter()
        .map(|name| format!("_http._tcp.{name}"))
        .collect();
    let mut next = 0usize;
    bencher.bench_local(|| {
        next = (next + 7919) % names.len();
        let name = names.get(next).map(String::as_str).unwrap_or("");
        let response = dns.query(divan::black_box(name), QType::Srv);
        assert_eq!(response.answer.len(), 1);
        response
    });
}

/// PTR questions for pod addresses (`d.c.b.a.in-addr.arpa.`): each answered from the reverse
/// index, which the first PTR question builds (issue 18: it used to scan every Service and
/// every slice, 63 ms a question at this size).
#[divan::bench(sample_count = 20, sample_size = 1_000)]
fn ptr_question(bencher: divan::Bencher) {
    let cluster = Cluster::build(&manifests(SERVICES), &config(SERVICES));
    let names: Vec<String> = cluster
        .pods
        .iter()
        .filter_map(|pod| pod.ip.as_deref())
        .map(|ip| {
            let octets: Vec<&str> = ip.split('.').rev().collect();
            format!("{}.in-addr.arpa.", octets.join("."))
        })
        .collect();
    let dns = Dns::new(&cluster, DnsOptions::default());
    let mut next = 0usize;
    bencher.bench_local(|| {
        next = (next + 7919) % names.len();
        let name = names.get(next).map(String::as_str).unwrap_or("");
        let response = dns.query(divan::black_box(name), QType::Ptr);
        assert_eq!(response.answer.len(), 1, "{name}");
        response
    });
}
