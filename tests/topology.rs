//! Topology: the hints the EndpointSlice controller writes for `trafficDistribution`
//! (staging/src/k8s.io/endpointslice/trafficdist, KEP-4444 and KEP-3015 with 1.34's
//! `PreferSameTrafficDistribution` gate on) and which endpoints kube-proxy keeps for them on
//! each node (pkg/proxy/topology.go `CategorizeEndpoints`, in the spirit of its
//! `TestCategorizeEndpoints` table), seen through the packet walk over the real rules.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions};
use svcscope::sim::key::ObjectKey;
use svcscope::sim::proxy::trace::{trace, Source};

fn node(name: &str, zone: Option<&str>) -> String {
    let labels = match zone {
        Some(zone) => format!("  labels: {{topology.kubernetes.io/zone: {zone}}}\n"),
        None => String::new(),
    };
    format!("apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n{labels}---\n")
}

fn pod(name: &str, app: &str, node: &str, ip: &str, ready: bool) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: {app}}}}}\nspec:\n  nodeName: {node}\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: 8080}}]}}]\nstatus:\n  podIP: {ip}\n  conditions: [{{type: Ready, status: \"{}\"}}]\n---\n",
        if ready { "True" } else { "False" }
    )
}

fn service(extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  clusterIP: 10.96.0.100\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: 8080}}]\n{extra}---\n"
    )
}

/// Three zoned nodes (a1 and a2 in zone-a, b1 in zone-b), one web pod on each, a client on
/// each.
fn zoned(extra: &str, b1_zone: Option<&str>) -> String {
    [
        node("a1", Some("zone-a")),
        node("a2", Some("zone-a")),
        node("b1", b1_zone),
        pod("web-a1", "web", "a1", "10.244.1.11", true),
        pod("web-a2", "web", "a2", "10.244.2.11", true),
        pod("web-b1", "web", "b1", "10.244.3.11", true),
        pod("client-a1", "client", "a1", "10.244.1.10", true),
        pod("client-b1", "client", "b1", "10.244.3.10", true),
        service(extra),
    ]
    .concat()
}

/// (zone hints, node hints) of each endpoint, by IP.
fn hints(cluster: &Cluster) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out: Vec<_> = cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "web")
        .flat_map(|slice| &slice.endpoints)
        .map(|endpoint| {
            (
                endpoint.addresses[0].clone(),
                endpoint.for_zones.clone(),
                endpoint.for_nodes.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The backends a connection from `client` to the Service can reach, and the note on the
/// hop into the Service's chain.
fn reached(cluster: &Cluster, client: &str) -> (Vec<String>, String) {
    let dns = Dns::new(cluster, DnsOptions::default());
    let walk = trace(
        cluster,
        &dns,
        &Source::Pod(ObjectKey::new("default", client)),
        "10.96.0.100",
        80,
        "tcp",
        40000,
    )
    .expect("trace");
    let mut backends: Vec<String> = walk.backends.iter().map(|b| b.address.clone()).collect();
    backends.sort();
    let note = walk
        .steps
        .iter()
        .find(|step| step.note.starts_with("jump to KUBE-SVC-"))
        .map(|step| step.note.clone())
        .unwrap_or_default();
    (backends, note)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

#[test]
fn prefer_close_hints_each_ready_endpoint_with_its_zone() {
    let cluster = Cluster::build(
        &zoned("  trafficDistribution: PreferClose\n", Some("zone-b")),
        &ClusterConfig::default(),
    );
    assert!(!cluster.has_errors(), "{:?}", cluster.diagnostics);
    assert_eq!(
        hints(&cluster),
        [
            ("10.244.1.11".to_owned(), strings(&["zone-a"]), vec![]),
            ("10.244.2.11".to_owned(), strings(&["zone-a"]), vec![]),
            ("10.244.3.11".to_owned(), strings(&["zone-b"]), vec![]),
        ],
        "trafficdist.go preferCloseHeuristic.update"
    );
    // topology.go: every ready endpoint has a zone hint and one is for the node's zone.
    let (backends, note) = reached(&cluster, "client-b1");
    assert_eq!(backends, ["10.244.3.11:8080"]);
    assert!(
        note.ends_with("(PreferClose: b1 is in zone zone-b; kube-proxy here keeps the 1 of 3 ready endpoints hinted for it)"),
        "{note}"
    );
    let (backends, _) = reached(&cluster, "client-a1");
    assert_eq!(backends, ["10.244.1.11:8080", "10.244.2.11:8080"]);
}

#[test]
fn hints_are_ignored_where_topology_cannot_be_honoured() {
    // b1 has no zone label: its endpoint gets no zone hint (trafficdist: `endpoint.Zone` is
    // nil), so not every endpoint has one, and every node uses all endpoints.
    let cluster = Cluster::build(
        &zoned("  trafficDistribution: PreferSameZone\n", None),
        &ClusterConfig::default(),
    );
    assert_eq!(
        hints(&cluster)[2],
        ("10.244.3.11".to_owned(), vec![], vec![])
    );
    let (backends, note) = reached(&cluster, "client-a1");
    assert_eq!(backends.len(), 3, "{backends:?}");
    assert!(
        note.contains("one or more endpoints is missing a zone hint"),
        "{note}"
    );

    // A not-ready endpoint gets no hint and does not count (topologyModeFromHints skips it).
    let yaml = zoned("  trafficDistribution: PreferClose\n", Some("zone-b"))
        + &pod("web-b1-slow", "web", "b1", "10.244.3.12", false);
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let slow = hints(&cluster)
        .into_iter()
        .find(|(ip, ..)| ip == "10.244.3.12")
        .unwrap();
    assert_eq!(slow, ("10.244.3.12".to_owned(), vec![], vec![]));
    assert_eq!(reached(&cluster, "client-b1").0, ["10.244.3.11:8080"]);

    // No endpoint in the client's zone: hints are ignored on that node.
    let yaml = [
        node("a1", Some("zone-a")),
        node("c1", Some("zone-c")),
        pod("web-a1", "web", "a1", "10.244.1.11", true),
        pod("client-c1", "client", "c1", "10.244.2.10", true),
        service("  trafficDistribution: PreferClose\n"),
    ]
    .concat();
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let (backends, note) = reached(&cluster, "client-c1");
    assert_eq!(backends, ["10.244.1.11:8080"]);
    assert!(
        note.contains("no hints were provided for zone zone-c"),
        "{note}"
    );

    // Without trafficDistribution: no hints (defaultHeuristic), no note.
    let cluster = Cluster::build(&zoned("", Some("zone-b")), &ClusterConfig::default());
    assert!(hints(&cluster)
        .iter()
        .all(|(_, zones, nodes)| zones.is_empty() && nodes.is_empty()));
    let (backends, note) = reached(&cluster, "client-b1");
    assert_eq!(backends.len(), 3);
    assert!(
        note.starts_with("jump to KUBE-SVC-") && !note.contains('('),
        "{note}"
    );
}

#[test]
fn prefer_same_node_hints_the_node_and_the_zone() {
    let cluster = Cluster::build(
        &zoned("  trafficDistribution: PreferSameNode\n", Some("zone-b")),
        &ClusterConfig::default(),
    );
    assert_eq!(
        hints(&cluster)[0],
        (
            "10.244.1.11".to_owned(),
            strings(&["zone-a"]),
            strings(&["a1"])
        ),
        "KEP-3015: forNodes, and forZones as PreferClose sets it"
    );
    let (backends, note) = reached(&cluster, "client-a1");
    assert_eq!(backends, ["10.244.1.11:8080"]);
    assert!(
        note.contains("keeps the 1 of 3 ready endpoints hinted for this node"),
        "{note}"
    );
    // A node without an endpoint of its own falls back to its zone.
    let yaml = zoned("  trafficDistribution: PreferSameNode\n", Some("zone-a"))
        + &node("a3", Some("zone-a"))
        + &pod("client-a3", "client", "a3", "10.244.4.10", true);
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let (backends, _) = reached(&cluster, "client-a3");
    assert_eq!(
        backends,
        ["10.244.1.11:8080", "10.244.2.11:8080", "10.244.3.11:8080"]
    );
}

/// The three modes share `CategorizeEndpoints` (pkg/proxy/topology.go): on b1, the nftables
/// table and the IPVS virtual server list only the zone's endpoint, on a1 the other two.
#[test]
fn every_proxy_mode_keeps_the_zones_endpoints() {
    use svcscope::sim::proxy::ipvs::{render_ipvsadm, virtual_servers};
    use svcscope::sim::proxy::nftables::nftables_rules;
    use svcscope::sim::proxy::shared::ProxyConfig;
    let cluster = Cluster::build(
        &zoned("  trafficDistribution: PreferClose\n", Some("zone-b")),
        &ClusterConfig::default(),
    );
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    for (node, kept, gone) in [
        (
            "b1",
            &["10.244.3.11"][..],
            &["10.244.1.11", "10.244.2.11"][..],
        ),
        (
            "a1",
            &["10.244.1.11", "10.244.2.11"][..],
            &["10.244.3.11"][..],
        ),
    ] {
        let node = cluster.nodes.iter().find(|n| n.name == node).unwrap();
        let config = ProxyConfig::for_node(node, &cluster.config);
        let nft = nftables_rules(&services, &slices, &config).render_list();
        let ipvs = render_ipvsadm(&virtual_servers(&services, &slices, &config));
        let service_block: String = ipvs
            .split("\nTCP  ")
            .find(|block| block.starts_with("10.96.0.100:80"))
            .unwrap()
            .to_owned();
        for ip in kept {
            assert!(
                nft.contains(&format!("{ip}:8080")) || nft.contains(&format!("{ip} . ")),
                "{} nft keeps {ip}:\n{nft}",
                node.name
            );
            assert!(
                service_block.contains(ip),
                "{} ipvs keeps {ip}:\n{service_block}",
                node.name
            );
        }
        for ip in gone {
            assert!(
                !service_block.contains(ip),
                "{} ipvs drops {ip}:\n{service_block}",
                node.name
            );
            assert!(
                !nft.contains(&format!("dnat to {ip}:8080")),
                "{} nft drops {ip}:\n{nft}",
                node.name
            );
        }
    }
}

fn auto(extra_nodes: &str, replicas: usize, pod_spec: &str) -> Cluster {
    let yaml = format!(
        "{extra_nodes}apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {{service.kubernetes.io/topology-mode: Auto}}\nspec:\n  clusterIP: 10.96.0.100\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: 8080}}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n{pod_spec}      containers: [{{name: c, image: nginx, ports: [{{containerPort: 8080}}]}}]\n---\n"
    );
    Cluster::build(&yaml, &ClusterConfig::default())
}

/// (endpoint zone, hinted zone) pairs, counted.
fn zone_hints(cluster: &Cluster) -> std::collections::BTreeMap<(String, String), usize> {
    let mut counts = std::collections::BTreeMap::new();
    for endpoint in cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "web")
        .flat_map(|slice| &slice.endpoints)
    {
        for zone in &endpoint.for_zones {
            *counts
                .entry((endpoint.zone.clone().unwrap_or_default(), zone.clone()))
                .or_insert(0) += 1;
        }
    }
    counts
}

/// `topology-mode: Auto` (topologycache.go `SetNodes`, `getAllocations`, `AddHints`): zones
/// share endpoints by CPU, within the 20% overload threshold.
#[test]
fn topology_mode_auto_shares_endpoints_out_by_cpu() {
    let two_zones = [node("a1", Some("zone-a")), node("b1", Some("zone-b"))].concat();
    // Endpoints spread as the CPU is: each zone keeps its own.
    let cluster = auto(&two_zones, 4, "");
    assert_eq!(
        zone_hints(&cluster),
        [
            (("zone-a".to_owned(), "zone-a".to_owned()), 2),
            (("zone-b".to_owned(), "zone-b".to_owned()), 2),
        ]
        .into_iter()
        .collect()
    );
    // All six endpoints in zone-a, half the CPU in zone-b: three are hinted for zone-b
    // (getGivingAndReceivingZones, redistributeHints), so zone-b's clients use them.
    let cluster = auto(
        &two_zones,
        6,
        "      nodeSelector: {topology.kubernetes.io/zone: zone-a}\n",
    );
    assert_eq!(
        zone_hints(&cluster),
        [
            (("zone-a".to_owned(), "zone-a".to_owned()), 3),
            (("zone-a".to_owned(), "zone-b".to_owned()), 3),
        ]
        .into_iter()
        .collect()
    );
    // Three endpoints over two equal zones: each zone's minimum is ceil(1.5 / 1.2) = 2, and
    // 2 + 2 > 3 (MinAllocationExceedsOverloadThreshold): no hints.
    let cluster = auto(&two_zones, 3, "");
    assert!(zone_hints(&cluster).is_empty());
    // One endpoint, two zones (InsufficientNumberOfEndpoints): no hints.
    assert!(zone_hints(&auto(&two_zones, 1, "")).is_empty());
    // One zone (NodesReadyInOneZoneOnly), or a node without a zone (insufficient node
    // info): no hints.
    let one_zone = [node("a1", Some("zone-a")), node("a2", Some("zone-a"))].concat();
    assert!(zone_hints(&auto(&one_zone, 4, "")).is_empty());
    let unzoned = [
        node("a1", Some("zone-a")),
        node("b1", Some("zone-b")),
        node("x", None),
    ]
    .concat();
    assert!(zone_hints(&auto(&unzoned, 4, "")).is_empty());
    // Control-plane nodes do not count (hasExcludedLabels).
    let with_master = two_zones.clone()
        + "apiVersion: v1\nkind: Node\nmetadata:\n  name: cp\n  labels: {node-role.kubernetes.io/control-plane: \"\"}\n---\n";
    assert_eq!(
        zone_hints(&auto(&with_master, 4, ""))
            .values()
            .sum::<usize>(),
        4
    );
}
