//! Packet traces through the model's kube-proxy rules, in the style of upstream's packet-flow
//! tests (`runPacketFlowTests` in kubernetes `pkg/proxy/iptables/proxier_test.go`: source IP,
//! destination IP and port in; the backend reached, or REJECT/DROP, and whether the source
//! was masqueraded, out). Pods are given with their nodes and IPs, as `kubectl get -o yaml`
//! shows them, so that every expectation is a fixed address.
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

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions};
use svcscope::sim::key::ObjectKey;
use svcscope::sim::proxy::trace::{trace, Source, Trace};

fn pod(name: &str, app: &str, node: &str, ip: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{app: {app}}}}}\nspec:\n  nodeName: {node}\n  containers: [{{name: c, image: nginx, ports: [{{containerPort: 8080}}]}}]\nstatus:\n  podIP: {ip}\n  conditions: [{{type: Ready, status: \"True\"}}]\n---\n"
    )
}

/// A Service selecting `app`; `extra` spec lines may bring their own `ports`.
fn service(name: &str, app: &str, extra: &str) -> String {
    let ports = if extra.contains("ports:") {
        ""
    } else {
        "  ports: [{port: 80, targetPort: 8080}]\n"
    };
    format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  selector: {{app: {app}}}\n{ports}{extra}---\n"
    )
}

fn cluster() -> Cluster {
    let yaml = [
        pod("client", "client", "node-1", "10.244.1.10"),
        pod("web-a", "web", "node-1", "10.244.1.11"),
        pod("web-b", "web", "node-2", "10.244.2.11"),
        pod("solo", "solo", "node-2", "10.244.2.12"),
        service("web", "web", "  clusterIP: 10.96.0.100\n"),
        service("web-np", "web", "  type: NodePort\n  clusterIP: 10.96.0.101\n  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]\n"),
        service("solo-local", "solo", "  type: NodePort\n  externalTrafficPolicy: Local\n  clusterIP: 10.96.0.102\n  ports: [{port: 80, targetPort: 8080, nodePort: 30081}]\n"),
        service("solo", "solo", "  clusterIP: 10.96.0.103\n"),
        service("empty", "nothing", "  clusterIP: 10.96.0.104\n"),
        service("sticky", "web", "  clusterIP: 10.96.0.105\n  sessionAffinity: ClientIP\n"),
        service("web-headless", "web", "  clusterIP: None\n"),
        "apiVersion: v1\nkind: Service\nmetadata: {name: outside}\nspec: {type: ExternalName, externalName: example.com}\n---\n".to_owned(),
        "apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.0.106\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080, nodePort: 30082}]\nstatus:\n  loadBalancer:\n    ingress: [{ip: 203.0.113.7}]\n".to_owned(),
    ]
    .concat();
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    cluster
}

fn run(cluster: &Cluster, source: &Source, to: &str, port: u16, source_port: u16) -> Trace {
    let dns = Dns::new(cluster, DnsOptions::default());
    trace(cluster, &dns, source, to, port, "tcp", source_port).expect("trace")
}

/// (verdict, final destination, final source) of a trace.
fn outcome(trace: &Trace) -> (String, String, String) {
    let last = trace.steps.last().expect("steps");
    (
        trace.verdict.as_str().to_owned(),
        last.dst_after.clone(),
        last.src_after.clone(),
    )
}

/// (what, source, destination, port, verdict, backend reached (None: either web pod),
/// source address the backend sees).
type Flow<'a> = (
    &'a str,
    &'a Source,
    &'a str,
    u16,
    &'a str,
    Option<&'a str>,
    &'a str,
);

#[test]
fn packet_flows() {
    let cluster = cluster();
    let client = Source::Pod(ObjectKey::new("default", "client"));
    let solo = Source::Pod(ObjectKey::new("default", "solo"));
    let outside = Source::External("198.51.100.9".to_owned());
    let web = ["10.244.1.11:8080", "10.244.2.11:8080"];
    let table: &[Flow] = &[
        (
            "pod to cluster IP: DNAT on the client's node, source kept",
            &client,
            "10.96.0.100",
            80,
            "delivered",
            None,
            "10.244.1.10:40000",
        ),
        (
            "pod to a Service name: resolved first",
            &client,
            "web",
            80,
            "delivered",
            None,
            "10.244.1.10:40000",
        ),
        (
            "hairpin: a pod through its own Service is masqueraded",
            &solo,
            "10.96.0.103",
            80,
            "delivered",
            Some("10.244.2.12:8080"),
            "192.168.0.12:40000",
        ),
        (
            "pod to cluster IP with no endpoints: REJECT",
            &client,
            "10.96.0.104",
            80,
            "rejected",
            Some("10.96.0.104:80"),
            "10.244.1.10:40000",
        ),
        (
            "external to NodePort (Cluster): masqueraded to the node",
            &outside,
            "192.168.0.11",
            30080,
            "delivered",
            None,
            "192.168.0.11:40000",
        ),
        (
            "external to NodePort (Local) on a node without endpoints: DROP",
            &outside,
            "192.168.0.11",
            30081,
            "dropped",
            Some("192.168.0.11:30081"),
            "198.51.100.9:40000",
        ),
        (
            "external to NodePort (Local) on the endpoint's node: client IP kept",
            &outside,
            "192.168.0.12",
            30081,
            "delivered",
            Some("10.244.2.12:8080"),
            "198.51.100.9:40000",
        ),
        (
            "external to a LoadBalancer IP",
            &outside,
            "203.0.113.7",
            80,
            "delivered",
            None,
            "192.168.0.11:40000",
        ),
        (
            "external to a cluster IP: not routable",
            &outside,
            "10.96.0.100",
            80,
            "dropped",
            Some("10.96.0.100:80"),
            "198.51.100.9:40000",
        ),
        (
            "pod to a headless Service: straight to a pod's own port, no DNAT",
            &client,
            "web-headless",
            8080,
            "delivered",
            None,
            "10.244.1.10:40000",
        ),
    ];
    let mut failures = Vec::new();
    for (what, source, to, port, verdict, backend, seen) in table {
        let traced = run(&cluster, source, to, *port, 40000);
        let (actual_verdict, dst, src) = outcome(&traced);
        let backend_ok = match backend {
            Some(expected) => dst == *expected,
            None => web.contains(&dst.as_str()),
        };
        if actual_verdict != *verdict || !backend_ok || src != *seen {
            failures.push(format!(
                "{what}: {actual_verdict} {src} -> {dst}\n{traced:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn probabilities_and_affinity() {
    let cluster = cluster();
    let client = Source::Pod(ObjectKey::new("default", "client"));
    // Two endpoints: upstream's rules take the first with probability 0.5, the second with
    // the rest; both backends are reported at 1/2.
    let traced = run(&cluster, &client, "10.96.0.100", 80, 40000);
    let shares: Vec<(String, f64)> = traced
        .backends
        .iter()
        .map(|backend| (backend.address.clone(), backend.probability))
        .collect();
    assert_eq!(
        shares,
        [
            ("10.244.1.11:8080".to_owned(), 0.5),
            ("10.244.2.11:8080".to_owned(), 0.5)
        ]
    );
    // Different source ports spread over both backends...
    let reached: std::collections::BTreeSet<String> = (40000..40040)
        .map(|port| outcome(&run(&cluster, &client, "10.96.0.100", 80, port)).1)
        .collect();
    assert_eq!(reached.len(), 2, "{reached:?}");
    // ...but with sessionAffinity ClientIP every connection of the client lands on one.
    let pinned: std::collections::BTreeSet<String> = (40000..40040)
        .map(|port| outcome(&run(&cluster, &client, "10.96.0.105", 80, port)).1)
        .collect();
    assert_eq!(pinned.len(), 1, "{pinned:?}");
    // The DNAT rule of the pinned backend sets the `recent` list.
    let sticky = run(&cluster, &client, "10.96.0.105", 80, 40000);
    assert!(sticky.steps.iter().any(|step| {
        step.rule.as_deref().is_some_and(|rule| {
            rule.contains("-m recent --name KUBE-SEP-") && rule.contains("--set")
        })
    }));
}

#[test]
fn names_that_leave_or_do_not_exist() {
    let cluster = cluster();
    let client = Source::Pod(ObjectKey::new("default", "client"));
    assert_eq!(
        run(&cluster, &client, "outside", 80, 40000)
            .verdict
            .as_str(),
        "external"
    );
    assert_eq!(
        run(&cluster, &client, "example.org", 80, 40000)
            .verdict
            .as_str(),
        "external"
    );
    assert_eq!(
        run(
            &cluster,
            &client,
            "nope.default.svc.cluster.local.",
            80,
            40000
        )
        .verdict
        .as_str(),
        "unresolved"
    );
}

/// "Send 20 requests": new connections (new client ports) spread over both web pods, about
/// half each, as `statistic mode random probability 0.5` does; sessionAffinity ClientIP keeps
/// all of them on one (the `recent` match); a Service without endpoints rejects every one.
#[test]
fn twenty_requests_spread_stick_or_are_rejected() {
    let cluster = cluster();
    let dns = Dns::new(&cluster, DnsOptions::default());
    let client = Source::Pod(ObjectKey::new("default", "client"));
    let send = |to: &str| {
        svcscope::sim::proxy::trace::spread(&cluster, &dns, &client, to, 80, "tcp", 40000..40020)
            .expect("spread")
    };
    let spread = send("web");
    let names: Vec<&str> = spread.iter().map(|(name, _)| name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["default/web-a", "default/web-b"], "{spread:?}");
    assert_eq!(spread.iter().map(|(_, count)| count).sum::<usize>(), 20);
    assert!(
        spread.iter().all(|(_, count)| (4..=16).contains(count)),
        "a 50/50 split of 20 lands near 10 each: {spread:?}"
    );
    let sticky = send("sticky");
    assert_eq!(sticky.len(), 1, "{sticky:?}");
    assert_eq!(sticky[0].1, 20);
    assert_eq!(send("empty"), vec![("rejected".to_owned(), 20)]);
    // Deterministic: the same 20 connections, the same spread.
    assert_eq!(send("web"), spread);
}

/// In large-cluster mode the rules name no endpoint in comments (kubernetes
/// `pkg/proxy/iptables/proxier.go`, `appendServiceCommentLocked`); the trace still finds every
/// backend, from the endpoint chains' DNAT targets, and the chances still add up to one.
#[test]
fn large_clusters_still_trace_every_backend() {
    let mut text = String::from(
        "apiVersion: v1\nkind: Service\nmetadata: {name: big}\nspec: {clusterIP: 10.96.5.5, ports: [{name: http, port: 80}]}\n",
    );
    for slice in 0..2 {
        text.push_str(&format!(
            "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {{name: big-{slice}, labels: {{kubernetes.io/service-name: big}}}}\naddressType: IPv4\nports: [{{name: http, port: 8080, protocol: TCP}}]\nendpoints:\n"
        ));
        for index in 0..501 {
            text.push_str(&format!(
                "- addresses: [10.{}.{}.{}]\n",
                100 + slice,
                index / 250,
                index % 250 + 1
            ));
        }
    }
    let cluster = Cluster::build(&text, &ClusterConfig::default());
    let trace = run(
        &cluster,
        &Source::Node("node-1".to_owned()),
        "10.96.5.5",
        80,
        40000,
    );
    assert_eq!(trace.backends.len(), 1002);
    let total: f64 = trace
        .backends
        .iter()
        .map(|backend| backend.probability)
        .sum();
    assert!((total - 1.0).abs() < 1e-6, "{total}");
    assert!(trace
        .backends
        .iter()
        .any(|backend| backend.address == "10.101.2.1:8080"));
}

#[test]
fn a_proxy_mode_load_balancer_is_left_to_its_provider() {
    // KEP-1860: with `ipMode: Proxy` the load balancer ends the client's connection and opens
    // its own to the nodes; kube-proxy writes no rule for the address (proxyutil.IsVIPMode).
    let yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: web-lb}\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.0.106\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080, nodePort: 30082}]\nstatus:\n  loadBalancer:\n    ingress: [{ip: 203.0.113.7, ipMode: Proxy}]\n---\n"
        .to_owned()
        + &pod("web-a", "web", "node-1", "10.244.1.11")
        + &pod("client", "client", "node-1", "10.244.1.10");
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let outside = Source::External("198.51.100.9".to_owned());
    let traced = run(&cluster, &outside, "203.0.113.7", 80, 40000);
    assert_eq!(traced.verdict.as_str(), "external");
    let note = &traced.steps.last().expect("steps").note;
    assert!(note.contains("ipMode: Proxy"), "{note}");
    assert!(note.contains("does not simulate"), "{note}");
    // The same address in VIP mode is DNATed on a node to the pod.
    let vip = Cluster::build(
        &yaml.replace(", ipMode: Proxy", ""),
        &ClusterConfig::default(),
    );
    let traced = run(&vip, &outside, "203.0.113.7", 80, 40000);
    assert_eq!(traced.verdict.as_str(), "delivered");
    // From a pod, a Proxy-mode address has no kube-proxy rule: the packet leaves for the load
    // balancer instead of being DNATed on the client's node.
    let client = Source::Pod(ObjectKey::new("default", "client"));
    let traced = run(&cluster, &client, "203.0.113.7", 80, 40000);
    assert_ne!(traced.verdict.as_str(), "delivered", "{:#?}", traced.steps);
}
