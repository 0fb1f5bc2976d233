//! Property test over ingest + simulate: whatever the text, `Cluster::build` returns (no panic,
//! no hang) and is deterministic. Inputs are random edits of real manifests (the seeds'
//! scenario and corpus-like Services), random YAML-ish token soup, and arbitrary strings.
//! Bounded: a fixed number of cases per property, so the test command's run time is bounded.
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

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use svcscope::explorer::scenarios;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::key::ObjectKey;
use svcscope::sim::proxy::shared::ProxyConfig;

const BASE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: qa
  labels: {app: web}
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - name: dns
    port: 53
    protocol: UDP
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: qa
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Endpoints
metadata:
  name: manual
subsets:
- addresses:
  - ip: 192.168.1.10
  ports:
  - port: 5432
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: ext}
  spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Pod
metadata: {name: api, annotations: {note: x}}
spec:
  tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]
  containers:
  - name: api
    image: api:1
    command: [run]
    env:
    - {name: A, value: b}
    - {name: N, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: C, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
    envFrom: [{prefix: P_, secretRef: {name: s}}]
    resources: {limits: {cpu: 500m, memory: 1Gi}, requests: {cpu: 1e-3}}
    readinessProbe: {httpGet: {path: /ready, port: 8080}}
    volumeMounts: [{name: v, mountPath: /v, subPath: x}]
  volumes:
  - {name: v, projected: {sources: [{serviceAccountToken: {expirationSeconds: 600}}]}}
  - {name: e, emptyDir: {sizeLimit: 1Mi}}
";

/// Fragments that stress the parser and the model.
const TOKENS: &[&str] = &[
    ":",
    "- ",
    "---\n",
    "\n",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "&a ",
    "*a",
    "!!str ",
    "'",
    "\"",
    "{{ .Values.x }}",
    "%{VAR}%",
    "clusterIP: None\n",
    "nodePort: 99999\n",
    "replicas: -1\n",
    "replicas: 100000\n",
    "port: 0\n",
    "targetPort: x\n",
    "selector: {}\n",
    "kind: List\n",
    "items: [1]\n",
    "type: LoadBalancer\n",
    "apiVersion: v1\n",
    "kind: Pod\n",
    "ä",
    "\u{0}",
    "publishNotReadyAddresses: true\n",
    "hostNetwork: true\n",
    "~",
    "null",
    "0x10",
    "1e999",
];

fn config() -> Config {
    Config {
        cases: 192,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

/// Applies `edits` (position, token index, delete length) to `base`, on char boundaries.
fn mutate(base: &str, edits: &[(usize, usize, usize)]) -> String {
    let mut text = base.to_owned();
    for (position, token, delete) in edits {
        let mut at = position % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + delete % 16).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let token = TOKENS.get(token % TOKENS.len()).copied().unwrap_or("");
        text.replace_range(at..end, token);
    }
    text
}

fn check(text: &str) {
    let config = ClusterConfig::default();
    let first = Cluster::build(text, &config);
    let second = Cluster::build(text, &config);
    assert_eq!(first, second, "not deterministic");
    // Every DNS question about every Service and pod of the result, and a few odd names,
    // through both resolvers: answered without a panic, the same way twice.
    let dns = Dns::new(&first, DnsOptions::default());
    let mut names: Vec<String> = first
        .services
        .iter()
        .flat_map(|service| {
            let fqdn = format!(
                "{}.{}.svc.cluster.local",
                service.meta.name, service.meta.namespace
            );
            [service.meta.name.clone(), format!("_a._tcp.{fqdn}"), fqdn]
        })
        .collect();
    names.extend(
        first
            .pods
            .iter()
            .filter_map(|pod| pod.ip.as_deref().and_then(reverse_name)),
    );
    names.extend(
        [
            "",
            ".",
            "..",
            "a..b",
            "-.svc.cluster.local",
            "x.y.z.w.v.svc.cluster.local.",
        ]
        .map(str::to_owned),
    );
    // kube-proxy's rules on every node, and a trace from a pod to every Service name.
    let services: Vec<_> = first.services.iter().collect();
    let slices: Vec<_> = first.endpoint_slices.iter().collect();
    for node in &first.nodes {
        let proxy = ProxyConfig::for_node(node, &first.config);
        let rules = iptables_rules(&services, &slices, &proxy).render();
        assert_eq!(rules, iptables_rules(&services, &slices, &proxy).render());
        // As iptables-save prints them: no panic, the same twice.
        let saved = svcscope::sim::proxy::iptables_save::iptables_save(
            &rules,
            svcscope::sim::proxy::iptables_save::Mode::Iptables,
        );
        assert_eq!(
            saved,
            svcscope::sim::proxy::iptables_save::iptables_save(
                &rules,
                svcscope::sim::proxy::iptables_save::Mode::Iptables
            )
        );
        // IPVS mode too: no panic, the same listing twice.
        let listing = svcscope::sim::proxy::ipvs::render_ipvsadm(
            &svcscope::sim::proxy::ipvs::virtual_servers(&services, &slices, &proxy),
        );
        assert_eq!(
            listing,
            svcscope::sim::proxy::ipvs::render_ipvsadm(
                &svcscope::sim::proxy::ipvs::virtual_servers(&services, &slices, &proxy,)
            )
        );
        // nftables mode: both renderings, the same twice.
        let table = svcscope::sim::proxy::nftables::nftables_rules(&services, &slices, &proxy);
        let again = svcscope::sim::proxy::nftables::nftables_rules(&services, &slices, &proxy);
        assert_eq!(table.render_list(), again.render_list());
        assert_eq!(table.render_dump(), again.render_dump());
        // IPVS mode's ipsets and iptables rules.
        let kept = svcscope::sim::proxy::ipvs_tables::ipvs_tables(&services, &slices, &proxy);
        assert_eq!(
            kept.render_iptables(),
            svcscope::sim::proxy::ipvs_tables::ipvs_tables(&services, &slices, &proxy)
                .render_iptables()
        );
        let _ = kept.render_ipset_save();
    }
    // Everything the kubectl panel offers (describe pod of every pod included).
    for command in svcscope::explorer::kubectl_view::commands(&first) {
        let text = svcscope::explorer::kubectl_view::output(&first, &command);
        assert_eq!(
            text,
            svcscope::explorer::kubectl_view::output(&first, &command)
        );
    }
    if let Some(client) = first.pods.iter().find(|pod| pod.ip.is_some()) {
        let source = Source::Pod(ObjectKey::new(
            client.namespace.clone(),
            client.name.clone(),
        ));
        for name in names.iter().take(20) {
            let _ = trace(&first, &dns, &source, name, 80, "tcp", 40000);
        }
    }
    for pod in first.pods.iter().take(3) {
        let conf = resolv_conf(pod, "10.96.0.10", "cluster.local");
        for name in &names {
            for qtype in QType::ALL {
                for kind in [ResolverKind::Glibc, ResolverKind::Musl] {
                    let answer = resolve(&dns, name, qtype, &conf, kind);
                    assert_eq!(answer, resolve(&dns, name, qtype, &conf, kind));
                }
            }
        }
    }
}

use svcscope::sim::dns::plugin::{reverse_name, Dns, DnsOptions, QType};
use svcscope::sim::dns::resolver::{resolv_conf, resolve, ResolverKind};
use svcscope::sim::proxy::iptables::iptables_rules;
use svcscope::sim::proxy::trace::{trace, Source};

proptest! {
    #![proptest_config(config())]

    #[test]
    fn edited_manifests_never_panic(
        edits in proptest::collection::vec((0usize..4000, 0usize..64, 0usize..64), 1..12),
        seed in any::<bool>(),
    ) {
        let base = if seed { scenarios::HEADLESS_NGINX } else { BASE };
        check(&mutate(base, &edits));
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(0usize..64, 0..80)) {
        let text: String = tokens
            .iter()
            .map(|token| TOKENS.get(token % TOKENS.len()).copied().unwrap_or(""))
            .collect();
        check(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check(&text);
    }
}
