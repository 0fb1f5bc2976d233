//! The input shared by the benchmarks: `services` Services, each selecting the 10 pods of its
//! own Deployment, on nodes sized for them.
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

/// `services` Services, each selecting the 10 pods of its own Deployment.
pub fn manifests(services: usize) -> String {
    let mut text = String::new();
    for index in 0..services {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{index}\nspec:\n  selector:\n    app: app-{index}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{index}\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: app-{index}\n  template:\n    metadata:\n      labels:\n        app: app-{index}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 8080\n---\n"
        ));
    }
    text
}

pub fn config(services: usize) -> ClusterConfig {
    ClusterConfig {
        cluster_cidr: Cidr::parse("10.0.0.0/8").unwrap_or(ClusterConfig::default().cluster_cidr),
        nodes: (services * 10 / 100).max(2),
        ..ClusterConfig::default()
    }
}
