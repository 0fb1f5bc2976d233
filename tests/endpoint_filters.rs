//! The EndpointSlice and Endpoints controllers' pod filters, as upstream applies them:
//! - `ShouldPodBeInEndpoints` (`staging/src/k8s.io/endpointslice/util/controller_utils.go`): a
//!   pod in a terminal phase or without an IP is never an endpoint; a terminating one only for
//!   the EndpointSlice controller, or for Endpoints with `publishNotReadyAddresses`;
//! - the EndpointSlice reconciler (`staging/src/k8s.io/endpointslice/reconciler.go`): a pod
//!   whose node the node lister does not know is skipped ("skipping Pod for Service, Node not
//!   found") unless the Service has `publishNotReadyAddresses`; the Endpoints controller
//!   (`pkg/controller/endpoint/endpoints_controller.go`) does not look at nodes;
//! - `podutil.FindPort` (`pkg/api/v1/pod/util.go`): a named targetPort is looked up in the
//!   regular containers, then in sidecars (init containers with `restartPolicy: Always`), never
//!   in plain init containers; a pod without it is in a slice without that port
//!   (`getEndpointPorts` skips the port) and in no Endpoints subset with it.
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
use svcscope::sim::input::diagnostic::Severity;

/// A pod as `kubectl get pod -o yaml` prints it: on `node`, with an IP, a phase and Ready.
fn pod(name: &str, node: &str, ip: &str, phase: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{app: web}}\nspec:\n  nodeName: {node}\n{extra_spec}  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 8080\n      name: http\nstatus:\n  phase: {phase}\n  podIP: {ip}\n  conditions:\n  - type: Ready\n    status: \"{ready}\"\n---\n",
        ready = if phase == "Running" { "True" } else { "False" }
    )
}

const NODES: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  addresses: [{type: InternalIP, address: 10.0.0.1}]\n---\n";

fn web_service(extra: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{extra}  selector: {{app: web}}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n")
}

/// A slice as compared here: its ports (`name:number`), its endpoints (IP, ready).
type Slice = (Vec<String>, Vec<(String, bool)>);
/// An Endpoints subset as compared here: ports, ready IPs, not-ready IPs.
type Subset = (Vec<String>, Vec<String>, Vec<String>);

/// The Service `web`'s slices.
fn slices(cluster: &Cluster) -> Vec<Slice> {
    cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "web")
        .map(|slice| {
            (
                slice
                    .ports
                    .iter()
                    .map(|port| format!("{}:{}", port.name, port.port))
                    .collect(),
                slice
                    .endpoints
                    .iter()
                    .map(|endpoint| (endpoint.addresses[0].clone(), endpoint.ready))
                    .collect(),
            )
        })
        .collect()
}

/// The Endpoints object's subsets.
fn subsets(cluster: &Cluster) -> Vec<Subset> {
    cluster
        .endpoints_named("default", "web")
        .expect("Endpoints web")
        .subsets
        .iter()
        .map(|subset| {
            (
                subset
                    .ports
                    .iter()
                    .map(|port| format!("{}:{}", port.name, port.port))
                    .collect(),
                subset.addresses.iter().map(|a| a.ip.clone()).collect(),
                subset
                    .not_ready_addresses
                    .iter()
                    .map(|a| a.ip.clone())
                    .collect(),
            )
        })
        .collect()
}

/// A [`Slice`] from literals.
fn slice(ports: &[&str], endpoints: &[(&str, bool)]) -> Slice {
    (
        ports.iter().map(|port| (*port).to_owned()).collect(),
        endpoints
            .iter()
            .map(|(ip, ready)| ((*ip).to_owned(), *ready))
            .collect(),
    )
}

/// A [`Subset`] from literals.
fn subset(ports: &[&str], ready: &[&str], not_ready: &[&str]) -> Subset {
    let owned = |items: &[&str]| items.iter().map(|item| (*item).to_owned()).collect();
    (owned(ports), owned(ready), owned(not_ready))
}

fn warnings(cluster: &Cluster) -> Vec<&str> {
    cluster
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Warning)
        .map(|diagnostic| diagnostic.message.as_str())
        .collect()
}

#[test]
fn finished_pods_are_never_endpoints() {
    let yaml = format!(
        "{NODES}{}{}{}{}",
        pod("running", "n1", "10.244.0.5", "Running", ""),
        pod("done", "n1", "10.244.0.6", "Succeeded", ""),
        pod("crashed", "n1", "10.244.0.7", "Failed", ""),
        web_service("")
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:?}", cluster.diagnostics);
    assert_eq!(
        slices(&cluster),
        vec![slice(&["http:8080"], &[("10.244.0.5", true)])]
    );
    assert_eq!(
        subsets(&cluster),
        vec![subset(&["http:8080"], &["10.244.0.5"], &[])]
    );
    // Even publishNotReadyAddresses does not bring them back.
    let cluster = Cluster::build(
        &yaml.replace(
            "spec:\n  selector",
            "spec:\n  publishNotReadyAddresses: true\n  selector",
        ),
        &ClusterConfig::default(),
    );
    assert_eq!(slices(&cluster)[0].1.len(), 1);
    assert!(
        warnings(&cluster).iter().any(|warning| warning.contains(
            "pod done and 1 more selected, but in phase Succeeded or Failed: a pod that has finished is never an endpoint"
        )),
        "{:?}",
        warnings(&cluster)
    );
}

#[test]
fn a_pod_on_a_node_that_does_not_exist_leaves_the_slices_only() {
    let yaml = format!(
        "{NODES}{}{}{}",
        pod("here", "n1", "10.244.0.5", "Running", ""),
        pod("ghost", "gone", "10.244.9.5", "Running", ""),
        web_service("")
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert_eq!(
        slices(&cluster),
        vec![slice(&["http:8080"], &[("10.244.0.5", true)])]
    );
    // The Endpoints controller does not look the node up.
    assert_eq!(
        subsets(&cluster),
        vec![subset(&["http:8080"], &["10.244.0.5", "10.244.9.5"], &[])]
    );
    assert!(
        warnings(&cluster).iter().any(|warning| warning
            .starts_with("pod ghost runs on node gone, which is not one of the cluster's nodes")),
        "{:?}",
        warnings(&cluster)
    );
    // publishNotReadyAddresses: "the user is explicitly indicating that the Pod address should
    // be published".
    let published = Cluster::build(
        &yaml.replace(
            "spec:\n  selector",
            "spec:\n  publishNotReadyAddresses: true\n  selector",
        ),
        &ClusterConfig::default(),
    );
    let endpoints: Vec<String> = slices(&published)
        .into_iter()
        .flat_map(|(_, endpoints)| endpoints.into_iter().map(|(ip, _)| ip))
        .collect();
    assert_eq!(
        endpoints,
        vec!["10.244.0.5".to_owned(), "10.244.9.5".to_owned()]
    );
    // Without Node objects, svcscope's own nodes stand in, and a node a pasted pod names is
    // taken to exist in the cluster it was copied from.
    let pasted = Cluster::build(&yaml.replacen(NODES, "", 1), &ClusterConfig::default());
    assert_eq!(slices(&pasted)[0].1.len(), 2);
}

#[test]
fn named_ports_come_from_containers_and_sidecars_only() {
    let sidecar = "  initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n    ports:\n    - containerPort: 15001\n      name: mesh\n";
    let plain_init = "  initContainers:\n  - name: setup\n    image: busybox\n    ports:\n    - containerPort: 15001\n      name: mesh\n";
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  - name: mesh\n    port: 15001\n    targetPort: mesh\n";
    let yaml = format!(
        "{NODES}{}{}{service}",
        pod("with-sidecar", "n1", "10.244.0.5", "Running", sidecar),
        pod("with-init", "n1", "10.244.0.6", "Running", plain_init),
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:?}", cluster.diagnostics);
    // One slice per port set: the sidecar's pod has both ports, the other only http.
    let mut got = slices(&cluster);
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                vec!["http:8080".to_owned()],
                vec![("10.244.0.6".to_owned(), true)]
            ),
            (
                vec!["http:8080".to_owned(), "mesh:15001".to_owned()],
                vec![("10.244.0.5".to_owned(), true)]
            ),
        ]
    );
    let mut got = subsets(&cluster);
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                vec!["http:8080".to_owned()],
                vec!["10.244.0.6".to_owned()],
                vec![]
            ),
            (
                vec!["http:8080".to_owned(), "mesh:15001".to_owned()],
                vec!["10.244.0.5".to_owned()],
                vec![]
            ),
        ]
    );
    assert!(
        warnings(&cluster).iter().any(|warning| {
            warning.starts_with(
            "targetPort mesh resolves on 1 of 2 selected pods; the others are left out of this port"
        )
        }),
        "{:?}",
        warnings(&cluster)
    );
}

#[test]
fn a_pod_with_no_service_port_is_in_no_endpoints_subset() {
    // getEndpointPorts gives the slice an empty port list; the Endpoints controller's FindPort
    // fails for every port, so no subset gets the address.
    let yaml = format!(
        "{NODES}{}{}",
        pod("web-1", "n1", "10.244.0.5", "Running", ""),
        web_service("").replace("targetPort: http", "targetPort: web-port")
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    assert_eq!(
        slices(&cluster),
        vec![(vec![], vec![("10.244.0.5".to_owned(), true)])]
    );
    assert_eq!(subsets(&cluster), vec![]);
}
