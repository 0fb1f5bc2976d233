//! Ingest + simulate (parse, API server, controllers, scheduler, endpoint controllers) for
//! 10, 1,000 and 10,000 Services with a 10-replica Deployment each.
//!
//! Run with `cargo bench --bench simulate`. Nodes are sized for the pods (100 pods per node,
//! cluster CIDR 10.0.0.0/8) so that every pod gets an address, as in a real cluster sized for
//! its workload.

use svcscope::sim::cluster::Cluster;
use svcscope::sim::config::{ClusterConfig, Ipv4Cidr};

fn main() {
    divan::main();
}

/// `services` Services, each selecting the 10 pods of its own Deployment.
fn manifests(services: usize) -> String {
    let mut text = String::new();
    for index in 0..services {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{index}\nspec:\n  selector:\n    app: app-{index}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{index}\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: app-{index}\n  template:\n    metadata:\n      labels:\n        app: app-{index}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 8080\n---\n"
        ));
    }
    text
}

fn config(services: usize) -> ClusterConfig {
    ClusterConfig {
        cluster_cidr: Ipv4Cidr::parse("10.0.0.0/8")
            .unwrap_or(ClusterConfig::default().cluster_cidr),
        nodes: (services * 10 / 100).max(2),
        ..ClusterConfig::default()
    }
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
