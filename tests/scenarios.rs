//! Every one-click scenario builds a cluster without errors, and its preset DNS question and
//! connection tell its story (the expectations restate each scenario's explanation).
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

use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions, QType};
use svcscope::sim::dns::resolver::{resolv_conf, resolve, ResolverKind};
use svcscope::sim::key::ObjectKey;
use svcscope::sim::proxy::trace::{trace, Source};

/// (id, DNS status, A records in the answer, trace verdict)
const STORIES: &[(&str, &str, usize, &str)] = &[
    ("headless", "NOERROR", 2, "delivered"),
    ("headless-no-selector", "NOERROR", 2, "external"),
    ("externalname", "NOERROR", 1, "delivered"),
    ("clusterip-vs-headless", "NOERROR", 1, "delivered"),
    ("nodeport", "NOERROR", 1, "delivered"),
    ("statefulset", "NOERROR", 3, "delivered"),
    ("loadbalancer", "NOERROR", 1, "delivered"),
    ("topology", "NOERROR", 1, "delivered"),
    ("rollout", "NOERROR", 1, "delivered"),
    ("dual-stack", "NOERROR", 1, "delivered"),
    ("no-endpoints-selector", "NOERROR", 1, "rejected"),
    ("no-endpoints-target-port", "NOERROR", 1, "rejected"),
    ("no-endpoints-not-ready", "NXDOMAIN", 0, "rejected"),
];

#[test]
fn every_scenario_tells_its_story() {
    assert_eq!(SCENARIOS.len(), STORIES.len());
    let mut failures = Vec::new();
    for (scenario, (id, status, records, verdict)) in SCENARIOS.iter().zip(STORIES) {
        assert_eq!(scenario.id, *id);
        assert_eq!(scenario.explanation().lines().count(), 2, "{id}: two lines");
        let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
        let errors: Vec<_> = cluster
            .diagnostics
            .iter()
            .filter(|diagnostic| {
                diagnostic.severity == svcscope::sim::input::diagnostic::Severity::Error
            })
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{id}: {errors:#?}"));
            continue;
        }
        let dns = Dns::new(&cluster, DnsOptions::default());
        let (namespace, name) = scenario.dns.0.split_once('/').expect("ns/name");
        let pod = cluster
            .pods
            .iter()
            .find(|pod| pod.namespace == namespace && pod.name == name)
            .expect("the asking pod");
        let conf = resolv_conf(pod, "10.96.0.10", "cluster.local");
        let resolution = resolve(&dns, scenario.dns.1, QType::A, &conf, ResolverKind::Glibc);
        let response = resolution.result().expect("a response");
        let a_records = response
            .answer
            .iter()
            .filter(|record| record.type_name() == "A")
            .count();
        let (namespace, name) = scenario.trace.0.split_once('/').expect("ns/name");
        let (host, port) = scenario.trace.1.rsplit_once(':').expect("host:port");
        let traced = trace(
            &cluster,
            &dns,
            &Source::Pod(ObjectKey::new(namespace.to_owned(), name.to_owned())),
            host,
            port.parse().expect("port"),
            "tcp",
            40000,
        )
        .expect("trace");
        let actual = (response.status(), a_records, traced.verdict.as_str());
        if actual != (*status, *records, *verdict) {
            failures.push(format!("{id}: {actual:?}\n{traced:#?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The rollout scenario: the YAML's second Deployment document rolls out once the first
/// has settled; at every half second the Service keeps 3 ready endpoints, and old pods drain as
/// serving, terminating endpoints (tests/clock.rs pins the controller's arithmetic).
#[test]
fn the_rollout_scenario_rolls_out_without_a_gap() {
    let scenario = svcscope::explorer::scenarios::scenario("rollout").expect("scenario");
    let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
    let images: Vec<&str> = cluster
        .pods
        .iter()
        .filter(|pod| pod.labels.get("app").map(String::as_str) == Some("web"))
        .map(|pod| pod.spec.containers[0].image.as_str())
        .collect();
    assert_eq!(images, vec!["nginx:1.27"; 3]);
    let mut terminating = 0;
    for moment in (5_000..=cluster.now).step_by(500) {
        let at = cluster.as_of(moment);
        let endpoints: Vec<_> = at
            .endpoint_slices
            .iter()
            .filter(|slice| slice.service == "web")
            .flat_map(|slice| slice.endpoints.iter())
            .collect();
        assert!(
            endpoints.iter().filter(|endpoint| endpoint.ready).count() >= 3,
            "at {moment} ms: {endpoints:#?}"
        );
        terminating += endpoints
            .iter()
            .filter(|endpoint| endpoint.terminating && endpoint.serving)
            .count();
    }
    assert!(terminating > 0);
}

/// The topology scenario: the client in zone-b reaches only zone-b's endpoint
/// (tests/topology.rs pins the rules behind it).
#[test]
fn the_topology_scenario_keeps_the_request_in_its_zone() {
    let scenario = svcscope::explorer::scenarios::scenario("topology").expect("scenario");
    let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
    let dns = Dns::new(&cluster, DnsOptions::default());
    let traced = trace(
        &cluster,
        &dns,
        &Source::Pod(ObjectKey::new("default", "client")),
        "web",
        80,
        "tcp",
        40000,
    )
    .expect("trace");
    let zone_b: Vec<&str> = cluster
        .pods
        .iter()
        .filter(|pod| pod.name.starts_with("web-") && pod.node_name.as_deref() == Some("node-b1"))
        .filter_map(|pod| pod.ip.as_deref())
        .collect();
    assert_eq!(zone_b.len(), 1);
    assert_eq!(traced.backends.len(), 1, "{traced:#?}");
    assert_eq!(traced.backends[0].address, format!("{}:80", zone_b[0]));
}
