//! The source articles' (`shared/seeds/`) `kubectl describe svc` outputs, reproduced from their
//! YAML and their pods' IPs, line for line. The pods are given as `kubectl get pod -o yaml`
//! would print them (labels, node, IP, Ready), which is how a user reproduces their own cluster.
//! Seed 002's transcripts lost their line breaks when the article was scraped; its expectations
//! below are the same fields with kubectl's alignment restored.
#![cfg(not(target_arch = "wasm32"))]

use svcscope::sim::cluster::Cluster;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::kubectl::{describe_endpoint_slice, describe_endpoints, describe_service};

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

#[test]
fn seed_000_headless_nginx() {
    let yaml = format!(
        "{}{}{}",
        pod("nginx-deployment-64775df955-dzjps", "default", "app: nginx", "k8s-node-2", "10.244.140.125", "8080"),
        pod("nginx-deployment-64775df955-jk28d", "default", "app: nginx", "k8s-node-1", "10.244.109.121", "8080"),
        "apiVersion: v1\nkind: Service\nmetadata: \n  name: nginx\n  labels: \n    app: nginx\nspec: \n  ports: \n  - port: 8080\n  clusterIP: None\n  selector: \n    app: nginx\n"
    );
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
        svcscope::sim::scenarios::HEADLESS_NGINX,
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
            svcscope::sim::scenarios::HEADLESS_NGINX,
            &ClusterConfig::default()
        )
    );
}

#[test]
fn seed_001_get_statefulset_wide() {
    // Seed 001: `kubectl get statefulsets.apps web -o wide` printed
    // `web    3/3     96s   nginx-web    nginx`; the model has no clock, so AGE is <unknown>.
    let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web-headless\n  name: web\nspec:\n  serviceName: web-headless\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web-headless\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web-headless\n    spec:\n      containers:\n        - image: nginx\n          name: nginx-web\n          ports:\n            - containerPort: 80\n              name: nginx-web\n          resources: {}\n";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let statefulsets: Vec<_> = cluster
        .workloads
        .iter()
        .filter(|workload| workload.kind == svcscope::sim::objects::WorkloadKind::StatefulSet)
        .collect();
    assert_eq!(
        svcscope::sim::kubectl::get_workloads(
            svcscope::sim::objects::WorkloadKind::StatefulSet,
            &statefulsets,
            &cluster.pods,
            true,
            false
        ),
        "NAME   READY   AGE         CONTAINERS   IMAGES\nweb    3/3     <unknown>   nginx-web    nginx\n"
    );
    let names: Vec<&str> = cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace == "default")
        .map(|pod| pod.name.as_str())
        .collect();
    assert_eq!(names, vec!["web-0", "web-1", "web-2"]);
}
