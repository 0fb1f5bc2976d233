//! Ingest + simulate (parse, API server, controllers, scheduler, endpoint controllers) for
//! 10, 1,000 and 10,000 Services with a 10-replica Deployment each.
//!
//! Run with `cargo bench --bench simulate`. Nodes are sized for the pods (100 pods per node,
//! cluster CIDR 10.0.0.0/8) so that every pod gets an address, as in a real cluster sized for
//! its workload.
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::sim::control::cluster::Cluster;
#[path = "common.rs"]
mod common;

use common::{config, manifests};

/// The allocator the `svcscope` CLI uses (src/bin/svcscope/main.rs), so that these medians are
/// what the CLI gets. With the system allocator, 1,000 Services took about 149 ms (median).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(args = [10, 1_000, 10_000], sample_count = 10, sample_size = 1)]
fn ingest_and_simulate(bencher: divan::Bencher, services: usize) {
    let text = manifests(services);
    let config = config(services);
    bencher.bench(|| {
        let cluster = Cluster::build(divan::black_box(&text), &config);
        // The input's pods, plus the cluster's two CoreDNS pods.
        assert_eq!(cluster.pods.len(), services * 10 + 2);
        cluster
    });
}
