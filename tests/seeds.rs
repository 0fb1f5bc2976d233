//! The source articles' (`shared/seeds/`) `kubectl describe svc` outputs, reproduced from their
//! YAML and their pods' IPs, line for line. The pods are given as `kubectl get pod -o yaml`
//! would print them (labels, node, IP, Ready), which is how a user reproduces their own cluster.
//! Seed 002's transcripts lost their line breaks when the article was scraped; its expectations
//! below are the same fields with kubectl's alignment restored.
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
use svcscope::sim::kubectl::describe::{
    describe_endpoint_slice, describe_endpoints, describe_service,
};

/// A running, Ready pod as `kubectl get pod -o yaml` shows it.
fn pod(name: &str, namespace: &str, labels: &str, node: &str, ip: &str, port: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  labels: {{{labels}}}\nspec:\n  nodeName: {node}\n  containers:\n  - name: nginx\n    image: nginx\n    ports:\n    - containerPort: {port}\nstatus:\n  phase: Running\n  podIP: {ip}\n  conditions:\n  - type: Ready\n    status: \"True\"\n---\n"
    )
}

fn describe(yaml: &str, namespace: &str, name: &str) -> String {
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let service = cluster.service(namespace, name).expect("service exists");
    describe_service(service, cluster.endpoints_named(namespace, name))
}

/// Seed 001: the headless Service `web-headless` in `awx` and the StatefulSet pods web-0..2
/// with the IPs and nodes of the article's `kubectl get pods -o wide`.
fn seed_001_yaml() -> String {
    let web = |ordinal: u32, node: &str, ip: &str| {
        format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{ordinal}\n  namespace: awx\n  labels: {{app: web-headless}}\nspec:\n  hostname: web-{ordinal}\n  subdomain: web-headless\n  nodeName: {node}\n  containers:\n  - name: nginx-web\n    image: nginx\n    ports:\n    - containerPort: 80\n      name: nginx-web\nstatus:\n  podIP: {ip}\n  conditions:\n  - type: Ready\n    status: \"True\"\n---\n"
    )
    };
    format!(
        "{}{}{}apiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\n  namespace: awx\n  labels:\n    app: nginx_headless\nspec:\n  ports:\n  - port: 30088\n    targetPort: 80\n    name: nginx-web-headless\n  clusterIP: None\n  selector:\n    app: web-headless\n",
        web(0, "vms155.liruilongs.github.io", "10.244.217.10"),
        web(1, "vms156.liruilongs.github.io", "10.244.194.67"),
        web(2, "vms155.liruilongs.github.io", "10.244.217.11"),
    )
}

/// Seed 000: the headless Service `nginx` over the two nginx pods of the article.
fn seed_000_yaml() -> String {
    format!(
        "{}{}{}",
        pod("nginx-deployment-64775df955-dzjps", "default", "app: nginx", "k8s-node-2", "10.244.140.125", "8080"),
        pod("nginx-deployment-64775df955-jk28d", "default", "app: nginx", "k8s-node-1", "10.244.109.121", "8080"),
        "apiVersion: v1\nkind: Service\nmetadata: \n  name: nginx\n  labels: \n    app: nginx\nspec: \n  ports: \n  - port: 8080\n  clusterIP: None\n  selector: \n    app: nginx\n"
    )
}

#[test]
fn seed_000_headless_nginx() {
    let yaml = seed_000_yaml();
    assert_eq!(
        describe(&yaml, "default", "nginx"),
        "\
Name:              nginx
Namespace:         default
Labels:            app=nginx
Annotations:       <none>
Selector:          app=nginx
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                None
IPs:               None
Port:              <unset>  8080/TCP
TargetPort:        8080/TCP
Endpoints:         10.244.109.121:8080,10.244.140.125:8080
Session Affinity:  None
Events:            <none>
"
    );
}

#[test]
fn seed_001_statefulset_web_headless() {
    // StatefulSet pods web-0..2 with their IPs and nodes from `kubectl get pods -o wide`.
    let yaml = seed_001_yaml();
    assert_eq!(
        describe(&yaml, "awx", "web-headless"),
        "\
Name:              web-headless
Namespace:         awx
Labels:            app=nginx_headless
Annotations:       <none>
Selector:          app=web-headless
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                None
IPs:               None
Port:              nginx-web-headless  30088/TCP
TargetPort:        80/TCP
Endpoints:         10.244.194.67:80,10.244.217.10:80,10.244.217.11:80
Session Affinity:  None
Events:            <none>
"
    );
}

#[test]
fn seed_001_describe_endpoints_and_endpointslice() {
    // Seed 001's `kubectl describe endpoints web-headless`, except its
    // `endpoints.kubernetes.io/last-change-trigger-time` annotation, a timestamp the model
    // cannot have (it has no clock): `Annotations:` reads `<none>`.
    let yaml = seed_001_yaml();
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    // Seed 001's `kubectl describe endpointslices web-headless-888xr`: the same endpoints, in
    // pod order, with hostnames (the slice's random suffix is svcscope's own; the article's
    // last NodeName line has a scraping artefact, "ioweb", not reproduced).
    let slice = cluster
        .endpoint_slices
        .iter()
        .find(|slice| slice.service == "web-headless")
        .expect("slice");
    let described = describe_endpoint_slice(slice).replace(&slice.name, "web-headless-888xr");
    assert_eq!(
        described,
        "\
Name:         web-headless-888xr
Namespace:    awx
Labels:       app=nginx_headless
              endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io
              kubernetes.io/service-name=web-headless
              service.kubernetes.io/headless=
Annotations:  <none>
AddressType:  IPv4
Ports:
  Name                Port  Protocol
  ----                ----  --------
  nginx-web-headless  80    TCP
Endpoints:
  - Addresses:  10.244.217.10
    Conditions:
      Ready:    true
    Hostname:   web-0
    TargetRef:  Pod/web-0
    NodeName:   vms155.liruilongs.github.io
    Zone:       <unset>
  - Addresses:  10.244.194.67
    Conditions:
      Ready:    true
    Hostname:   web-1
    TargetRef:  Pod/web-1
    NodeName:   vms156.liruilongs.github.io
    Zone:       <unset>
  - Addresses:  10.244.217.11
    Conditions:
      Ready:    true
    Hostname:   web-2
    TargetRef:  Pod/web-2
    NodeName:   vms155.liruilongs.github.io
    Zone:       <unset>
Events:         <none>
"
    );
    let endpoints = cluster
        .endpoints_named("awx", "web-headless")
        .expect("endpoints");
    assert_eq!(
        describe_endpoints(endpoints),
        "\
Name:         web-headless
Namespace:    awx
Labels:       app=nginx_headless
              service.kubernetes.io/headless=
Annotations:  <none>
Subsets:
  Addresses:          10.244.194.67,10.244.217.10,10.244.217.11
  NotReadyAddresses:  <none>
  Ports:
    Name                Port  Protocol
    ----                ----  --------
    nginx-web-headless  80    TCP

Events:  <none>
"
    );
}

#[test]
fn seed_002_clusterip_nodeport_and_qa() {
    let cx = format!(
        "{}{}{}apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-cx1\nspec:\n  type: ClusterIP\n  #sessionAffinity: ClientIP\n  clusterIP: 10.107.129.30\n  ports:\n  - port: 80\n    targetPort: 80\n  selector:\n    app: nginx-cx\n",
        pod("nginx-cx1-5c86fddfc5-4wdvg", "default", "app: nginx-cx", "node-1", "172.16.84.190", "80"),
        pod("nginx-cx1-5c86fddfc5-8qgqb", "default", "app: nginx-cx", "node", "172.16.167.141", "80"),
        pod("nginx-cx1-5c86fddfc5-jgtt5", "default", "app: nginx-cx", "node-2", "172.16.247.37", "80"),
    );
    assert_eq!(
        describe(&cx, "default", "nginx-cx1"),
        "\
Name:              nginx-cx1
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          app=nginx-cx
Type:              ClusterIP
IP Family Policy:  SingleStack
IP Families:       IPv4
IP:                10.107.129.30
IPs:               10.107.129.30
Port:              <unset>  80/TCP
TargetPort:        80/TCP
Endpoints:         172.16.167.141:80,172.16.247.37:80,172.16.84.190:80
Session Affinity:  None
Events:            <none>
"
    );
    let ro = format!(
        "{}{}{}apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-ro\nspec:\n  type: NodePort\n  clusterIP: 10.107.71.223\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n  selector:\n    app: nginx-ro\n",
        pod("nginx-deployment-ro-56d78cc78d-5sskn", "default", "app: nginx-ro", "node-1", "172.16.84.188", "80"),
        pod("nginx-deployment-ro-56d78cc78d-77m8k", "default", "app: nginx-ro", "node-2", "172.16.247.35", "80"),
        pod("nginx-deployment-ro-56d78cc78d-kvhsw", "default", "app: nginx-ro", "node-1", "172.16.84.187", "80"),
    );
    assert_eq!(
        describe(&ro, "default", "nginx-ro"),
        "\
Name:                     nginx-ro
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=nginx-ro
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.107.71.223
IPs:                      10.107.71.223
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30080/TCP
Endpoints:                172.16.247.35:80,172.16.84.187:80,172.16.84.188:80
Session Affinity:         None
External Traffic Policy:  Cluster
Events:                   <none>
"
    );
}

#[test]
fn deployments_become_pods_and_endpoints() {
    // Seed 000 as the explorer loads it: the Deployment's two pods are created, scheduled one
    // per node, given IPs from their node's /24, and published in the headless Service's
    // EndpointSlice (labelled headless, managed by the EndpointSlice controller).
    let cluster = Cluster::build(
        svcscope::explorer::scenarios::HEADLESS_NGINX,
        &ClusterConfig::default(),
    );
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let pods: Vec<(String, String, String)> = cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace == "default")
        .map(|pod| {
            (
                pod.name.clone(),
                pod.node_name.clone().unwrap_or_default(),
                pod.ip.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(pods.len(), 2);
    for (name, _, _) in &pods {
        let hash = name
            .strip_prefix("nginx-deployment-")
            .and_then(|rest| rest.split('-').next())
            .unwrap_or_default();
        assert!((6..=10).contains(&hash.len()), "{name}");
        assert!(
            hash.bytes()
                .all(|byte| b"bcdfghjklmnpqrstvwxz2456789".contains(&byte)),
            "{name}"
        );
    }
    assert_eq!(
        pods.iter()
            .map(|(_, node, ip)| (node.as_str(), ip.as_str()))
            .collect::<Vec<_>>(),
        vec![("node-1", "10.244.1.2"), ("node-2", "10.244.2.2")]
    );
    let slices: Vec<_> = cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "nginx")
        .collect();
    assert_eq!(slices.len(), 1);
    let slice = slices[0];
    assert!(slice.name.starts_with("nginx-") && slice.name.len() == "nginx-".len() + 5);
    assert_eq!(
        slice
            .labels
            .get("service.kubernetes.io/headless")
            .map(String::as_str),
        Some("")
    );
    assert_eq!(
        slice
            .labels
            .get("endpointslice.kubernetes.io/managed-by")
            .map(String::as_str),
        Some("endpointslice-controller.k8s.io")
    );
    let addresses: Vec<&str> = slice
        .endpoints
        .iter()
        .map(|endpoint| endpoint.addresses[0].as_str())
        .collect();
    assert_eq!(addresses, vec!["10.244.1.2", "10.244.2.2"]);
    assert!(slice
        .endpoints
        .iter()
        .all(|endpoint| endpoint.ready && endpoint.serving && !endpoint.terminating));
    let messages: Vec<String> = cluster.events.iter().map(|event| event.message()).collect();
    assert!(
        messages
            .iter()
            .any(|message| message.starts_with("ReplicaSet default/nginx-deployment-")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|message| message.ends_with("scheduled to node-2")),
        "{messages:#?}"
    );
    assert_eq!(
        cluster,
        Cluster::build(
            svcscope::explorer::scenarios::HEADLESS_NGINX,
            &ClusterConfig::default()
        )
    );
}

#[test]
fn seed_001_get_statefulset_wide() {
    // Seed 001: `kubectl get statefulsets.apps web -o wide` printed
    // `web    3/3     96s   nginx-web    nginx`.
    let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web-headless\n  name: web\nspec:\n  serviceName: web-headless\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web-headless\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web-headless\n    spec:\n      containers:\n        - image: nginx\n          name: nginx-web\n          ports:\n            - containerPort: 80\n              name: nginx-web\n          resources: {}\n";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let statefulsets: Vec<_> = cluster
        .workloads
        .iter()
        .filter(|workload| {
            workload.kind == svcscope::sim::input::objects::WorkloadKind::StatefulSet
        })
        .collect();
    // At the transcript's moment, 96 s after the StatefulSet was made (`--at 96`), the age
    // is the transcript's.
    assert_eq!(
        svcscope::sim::kubectl::get::get_workloads(
            svcscope::sim::input::objects::WorkloadKind::StatefulSet,
            &statefulsets,
            &cluster.pods,
            true,
            false,
            96_000,
        ),
        "NAME   READY   AGE   CONTAINERS   IMAGES\nweb    3/3     96s   nginx-web    nginx\n"
    );
    let names: Vec<&str> = cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace == "default")
        .map(|pod| pod.name.as_str())
        .collect();
    assert_eq!(names, vec!["web-0", "web-1", "web-2"]);
}

/// The text of a seed article.
fn seed_text(prefix: &str) -> String {
    let directory = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entry = std::fs::read_dir(&directory)
        .expect("shared/seeds")
        .filter_map(Result::ok)
        .find(|entry| entry.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("seed text")
}

/// An nslookup transcript reduced to what is comparable: the Server/Address header and the
/// Name/Address pairs, sorted (CoreDNS's `loadbalance` plugin shuffles A records in every
/// answer, so the article's order is one of many), whitespace runs folded to one space (the
/// articles' tabs were expanded or collapsed when they were published).
fn comparable(lines: &[&str]) -> (Vec<String>, Vec<String>) {
    let fold = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let folded: Vec<String> = lines.iter().map(|line| fold(line)).collect();
    let header = folded
        .iter()
        .filter(|line| {
            line.starts_with("Server:") || line.starts_with("Address:") && line.contains('#')
        })
        .cloned()
        .collect();
    let mut pairs: Vec<String> = folded
        .windows(2)
        .filter(|pair| pair[0].starts_with("Name:") && pair[1].starts_with("Address:"))
        .map(|pair| format!("{} / {}", pair[0], pair[1]))
        .collect();
    pairs.sort();
    (header, pairs)
}

/// The `occurrence`-th transcript after a line containing `command` in the seed `prefix`.
fn transcript(prefix: &str, command: &str, occurrence: usize) -> (Vec<String>, Vec<String>) {
    let text = seed_text(prefix);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.trim_end().ends_with(command))
        .map(|(index, _)| index)
        .nth(occurrence)
        .expect("the command is in the article");
    // Markdown fences and an "Output:" caption may stand between the command and its output.
    let output = (start + 1..lines.len().min(start + 9))
        .find(|index| {
            lines
                .get(*index)
                .is_some_and(|line| line.starts_with("Server:"))
        })
        .expect("the transcript follows the command");
    let body: Vec<&str> = lines
        .iter()
        .skip(output)
        .take_while(|line| {
            line.is_empty()
                || line.starts_with("Server:")
                || line.starts_with("Address")
                || line.starts_with("Name:")
        })
        .copied()
        .collect();
    let result = comparable(&body);
    assert!(!result.1.is_empty(), "no answer lines after {command:?}");
    result
}

/// `svcscope dns NAME --from POD -o nslookup`, through the model.
fn nslookup(
    yaml: &str,
    config: &ClusterConfig,
    from: Option<(&str, &str)>,
    name: &str,
) -> (Vec<String>, Vec<String>) {
    use svcscope::sim::dns::plugin::{Dns, DnsOptions, QType};
    use svcscope::sim::dns::resolver::{resolv_conf, resolve, Attempt, Resolution, ResolverKind};
    let cluster = Cluster::build(yaml, config);
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let dns = Dns::new(&cluster, DnsOptions::default());
    let server = config.dns_ip().to_string();
    let resolution = match from {
        Some((namespace, pod)) => {
            let pod = cluster
                .pods
                .iter()
                .find(|candidate| candidate.namespace == namespace && candidate.name == pod)
                .expect("client pod");
            let conf = resolv_conf(pod, &server, &config.cluster_domain);
            resolve(&dns, name, QType::A, &conf, ResolverKind::Glibc)
        }
        None => {
            let response = dns.query(name, QType::A);
            Resolution {
                attempts: vec![Attempt {
                    name: response.qname.clone(),
                    response,
                }],
                kind: ResolverKind::Glibc,
            }
        }
    };
    let text = svcscope::sim::dns::text::nslookup(&resolution, name, &server);
    comparable(&text.lines().collect::<Vec<_>>())
}

/// A client pod (`kubectl run NAME --image=tutum/dnsutils`).
fn client(name: &str, namespace: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  containers:\n  - name: {name}\n    image: tutum/dnsutils\n---\n")
}

#[test]
fn seed_000_nslookup_headless_returns_every_endpoint() {
    // The article's cluster serves DNS at 169.169.0.100 (kubelet --cluster-dns) in a
    // 169.169.0.0/16 service range; the question is asked from the master as an FQDN.
    let config = ClusterConfig {
        service_cidr: svcscope::sim::config::Cidr::parse("169.169.0.0/16").expect("cidr"),
        cluster_dns: Some(std::net::IpAddr::V4(std::net::Ipv4Addr::new(
            169, 169, 0, 100,
        ))),
        ..ClusterConfig::default()
    };
    assert_eq!(
        nslookup(
            &seed_000_yaml(),
            &config,
            None,
            "nginx.default.svc.cluster.local"
        ),
        transcript("000_", "nslookup nginx.default.svc.cluster.local", 0)
    );
}

#[test]
fn seed_001_nslookup_web_headless_three_then_six() {
    let config = ClusterConfig::default();
    let yaml = format!(
        "{}{}{}",
        client("tmp01", "awx"),
        client("other", "default"),
        seed_001_yaml()
    );
    // From tmp01 in awx: the short name, the namespace-qualified name and the FQDN.
    assert_eq!(
        nslookup(&yaml, &config, Some(("awx", "tmp01")), "web-headless"),
        transcript("001_", "nslookup web-headless", 0)
    );
    assert_eq!(
        nslookup(&yaml, &config, Some(("awx", "tmp01")), "web-headless.awx"),
        transcript("001_", "nslookup web-headless.awx", 0)
    );
    assert_eq!(
        nslookup(
            &yaml,
            &config,
            Some(("awx", "tmp01")),
            "web-headless.awx.svc.cluster.local."
        ),
        transcript("001_", "nslookup web-headless.awx.svc.cluster.local.", 0)
    );
    // From another namespace the qualified names give the same records.
    assert_eq!(
        nslookup(
            &yaml,
            &config,
            Some(("default", "other")),
            "web-headless.awx"
        )
        .1,
        transcript("001_", "nslookup web-headless.awx", 0).1
    );
    assert_eq!(
        nslookup(
            &yaml,
            &config,
            Some(("default", "other")),
            "web-headless.awx.svc.cluster.local."
        )
        .1,
        transcript("001_", "nslookup web-headless.awx.svc.cluster.local.", 0).1
    );
    // The article's Deployment `web` (3 replicas, app=web-headless) joins: 6 A records, the
    // StatefulSet's three and the Deployment's three (their IPs are the model's, the article's
    // were 10.244.194.69, 10.244.194.70 and 10.244.217.12).
    let deployment = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web-headless\n  name: web\n  namespace: awx\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web-headless\n  template:\n    metadata:\n      labels:\n        app: web-headless\n    spec:\n      containers:\n      - image: nginx\n        name: nginx-web\n        ports:\n        - containerPort: 80\n          name: nginx-web\n";
    let joined = format!("{yaml}{deployment}");
    let (header, six) = nslookup(&joined, &config, Some(("awx", "tmp01")), "web-headless.awx");
    let (article_header, article_six) = transcript("001_", "nslookup web-headless.awx", 1);
    assert_eq!(header, article_header);
    assert_eq!(six.len(), article_six.len());
    assert_eq!(six.len(), 6);
    let three = transcript("001_", "nslookup web-headless.awx", 0).1;
    assert!(three.iter().all(|pair| six.contains(pair)), "{six:#?}");
}

#[test]
fn seed_003_nslookup_clusterip_versus_headless() {
    let config = ClusterConfig::default();
    let deployment = |name: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels: {{app: {name}}}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n        - name: nginx\n          image: nginx\n---\n")
    };
    // normal-nginx with the ClusterIP the article's cluster allocated (10.96.141.251).
    let normal = format!(
        "{}apiVersion: v1\nkind: Service\nmetadata:\n  name: normal-nginx\n  labels: {{app: normal-nginx}}\nspec:\n  clusterIP: 10.96.141.251\n  selector: {{app: normal-nginx}}\n  ports:\n  - port: 80\n    targetPort: 80\n    protocol: TCP\n  type: ClusterIP\n---\n{}",
        deployment("normal-nginx"),
        client("debug", "default")
    );
    assert_eq!(
        nslookup(&normal, &config, Some(("default", "debug")), "normal-nginx"),
        transcript("003_", "nslookup normal-nginx", 0)
    );
    // headless-nginx with the article's three pods and their IPs.
    let headless = format!(
        "{}{}{}{}apiVersion: v1\nkind: Service\nmetadata:\n  name: headless-nginx\n  labels: {{app: headless-nginx}}\nspec:\n  clusterIP: None\n  selector: {{app: headless-nginx}}\n  ports:\n  - port: 80\n    targetPort: 80\n    protocol: TCP\n  type: ClusterIP\n",
        client("debug", "default"),
        pod("headless-nginx-5795b5d5db-9sv8k", "default", "app: headless-nginx", "kind-worker2", "10.244.2.18", "80"),
        pod("headless-nginx-5795b5d5db-d5xmn", "default", "app: headless-nginx", "kind-worker", "10.244.1.18", "80"),
        pod("headless-nginx-5795b5d5db-dgwzq", "default", "app: headless-nginx", "kind-worker", "10.244.1.17", "80"),
    );
    assert_eq!(
        nslookup(
            &headless,
            &config,
            Some(("default", "debug")),
            "headless-nginx"
        ),
        transcript("003_", "nslookup headless-nginx", 0)
    );
}

#[test]
fn seed_002_busybox_nslookup_of_the_qa_service() {
    use svcscope::sim::dns::plugin::{Dns, DnsOptions, QType};
    use svcscope::sim::dns::resolver::{resolv_conf, resolve, ResolverKind};
    // The article's qa namespace: nginx-svc with the ClusterIP its cluster allocated, asked by
    // FQDN from a busybox pod `test` in default. The article lost its line breaks when it
    // was published, so the comparison folds whitespace on both sides.
    let yaml = format!(
        "{}{}{}{}apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx-svc\n  namespace: qa\nspec:\n  clusterIP: 10.108.11.102\n  selector:\n    app: nginx\n  ports:\n  - port: 80\n    targetPort: 80\n",
        client("test", "default"),
        pod("nginx-deployment-86dcfdf4c6-2lj7t", "qa", "app: nginx", "node-1", "172.16.84.129", "80"),
        pod("nginx-deployment-86dcfdf4c6-bbnbm", "qa", "app: nginx", "node-2", "172.16.247.38", "80"),
        pod("nginx-deployment-86dcfdf4c6-k6w7l", "qa", "app: nginx", "node-1", "172.16.84.191", "80"),
    );
    let config = ClusterConfig::default();
    let cluster = Cluster::build(&yaml, &config);
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let dns = Dns::new(&cluster, DnsOptions::default());
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name == "test")
        .expect("test pod");
    let conf = resolv_conf(pod, "10.96.0.10", "cluster.local");
    let name = "nginx-svc.qa.svc.cluster.local";
    let resolution = resolve(&dns, name, QType::A, &conf, ResolverKind::Glibc);
    let text = svcscope::sim::dns::text::nslookup_busybox(&resolution, name, "10.96.0.10");
    let fold = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let expected = "/ # nslookup nginx-svc.qa.svc.cluster.local Server: 10.96.0.10 Address: 10.96.0.10:53 Name: nginx-svc.qa.svc.cluster.local Address: 10.108.11.102 / #";
    assert!(
        fold(&seed_text("002_")).contains(expected),
        "the article's transcript moved"
    );
    assert_eq!(format!("/ # nslookup {name} {} / #", fold(&text)), expected);
}
