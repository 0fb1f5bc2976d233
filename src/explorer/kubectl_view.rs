//! The explorer's kubectl panel: which `kubectl get` and `kubectl describe` commands it offers
//! for a cluster, and what each prints. The text is the CLI's for the same arguments
//! (`svcscope get pods -A -o wide`, `svcscope describe pod NAME -n NS`), from the same
//! functions; the end-to-end tests compare the two.

use crate::sim::control::cluster::Cluster;
use crate::sim::input::field::GoQuoted;
use crate::sim::key::ObjectKey;
use crate::sim::kubectl::describe::{
    describe_endpoint_slice, describe_endpoints, describe_service,
};
use crate::sim::kubectl::describe_node::describe_node;
use crate::sim::kubectl::describe_pod::describe_pod;
use crate::sim::kubectl::get::{get_endpoint_slices, get_endpoints, get_pods, get_services};

/// The cluster-wide listings the panel always offers.
const LISTINGS: [&str; 4] = [
    "get services -A -o wide",
    "get endpointslices -A",
    "get endpoints -A",
    "get pods -A -o wide",
];

/// The commands (arguments after `kubectl` or `svcscope`) the panel offers for `cluster`: the
/// listings, then `describe` for every Service, its Endpoints, every EndpointSlice, every node
/// and every pod, input objects first and the cluster's own (`kube-system`, `kubernetes`)
/// after.
pub fn commands(cluster: &Cluster) -> Vec<String> {
    let mut commands: Vec<String> = LISTINGS
        .iter()
        .map(|command| (*command).to_owned())
        .collect();
    let builtin = |namespace: &str, name: &str| {
        namespace == "kube-system" || (namespace == "default" && name == "kubernetes")
    };
    let mut describes: Vec<(bool, String)> = Vec::new();
    for service in &cluster.services {
        let (namespace, name) = (&service.meta.namespace, &service.meta.name);
        let own = builtin(namespace, name);
        describes.push((own, format!("describe service {name} -n {namespace}")));
    }
    for endpoints in &cluster.endpoints {
        let own = builtin(&endpoints.namespace, &endpoints.name);
        describes.push((
            own,
            format!(
                "describe endpoints {} -n {}",
                endpoints.name, endpoints.namespace
            ),
        ));
    }
    for slice in &cluster.endpoint_slices {
        let own = builtin(&slice.namespace, &slice.service);
        describes.push((
            own,
            format!(
                "describe endpointslice {} -n {}",
                slice.name, slice.namespace
            ),
        ));
    }
    for node in &cluster.nodes {
        describes.push((false, format!("describe node {}", node.name)));
    }
    for pod in &cluster.pods {
        let own = builtin(&pod.namespace, &pod.name);
        describes.push((
            own,
            format!("describe pod {} -n {}", pod.name, pod.namespace),
        ));
    }
    crate::small::order::sort_by_key(&mut describes, |(own, _)| *own);
    commands.extend(describes.into_iter().map(|(_, command)| command));
    commands
}

/// The kubectl panel: the commands offered, the one shown and what it prints.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KubectlView {
    /// Every command offered ([`commands`]).
    pub offered: Vec<String>,
    /// The command shown: the one wanted when it is offered, else the first.
    pub command: String,
    /// What it prints ([`output`]).
    pub text: String,
}

/// The panel for `cluster` when the reader wants `wanted`.
pub fn view(cluster: &Cluster, wanted: &str) -> KubectlView {
    let offered = commands(cluster);
    let command = if offered.iter().any(|command| command == wanted) {
        wanted.to_owned()
    } else {
        offered.first().cloned().unwrap_or_default()
    };
    let text = output(cluster, &command);
    KubectlView {
        offered,
        command,
        text,
    }
}

/// What `command` (one of [`commands`]) prints for `cluster`; an empty string for anything
/// else.
pub fn output(cluster: &Cluster, command: &str) -> String {
    let words: Vec<&str> = command.split(' ').collect();
    match words.as_slice() {
        ["get", "pods", ..] => get_pods(
            &cluster.pods.iter().collect::<Vec<_>>(),
            true,
            true,
            cluster.now,
        ),
        ["get", "services", ..] => get_services(
            &cluster.services.iter().collect::<Vec<_>>(),
            true,
            true,
            cluster.now,
        ),
        ["get", "endpointslices", ..] => get_endpoint_slices(
            &cluster.endpoint_slices.iter().collect::<Vec<_>>(),
            true,
            cluster.now,
        ),
        ["get", "endpoints", ..] => get_endpoints(
            &cluster.endpoints.iter().collect::<Vec<_>>(),
            true,
            cluster.now,
        ),
        ["describe", kind, name, "-n", namespace] => Describe::parse(kind)
            .and_then(|kind| describe(cluster, kind, namespace, name).ok())
            .unwrap_or_default(),
        ["describe", "node", name] => {
            describe(cluster, Describe::Node, "", name).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The kinds `kubectl describe` prints here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Describe {
    /// `service`, `services`, `svc`.
    Service,
    /// `endpoints`, `ep`.
    Endpoints,
    /// `endpointslice`, `endpointslices`.
    EndpointSlice,
    /// `pod`, `pods`, `po`.
    Pod,
    /// `node`, `nodes`, `no` (cluster-scoped: the namespace is ignored).
    Node,
}

impl Describe {
    /// The kind kubectl reads from `word` (its names and short names).
    pub fn parse(word: &str) -> Option<Describe> {
        match word {
            "service" | "services" | "svc" => Some(Describe::Service),
            "endpoints" | "ep" => Some(Describe::Endpoints),
            "endpointslice" | "endpointslices" => Some(Describe::EndpointSlice),
            "pod" | "pods" | "po" => Some(Describe::Pod),
            "node" | "nodes" | "no" => Some(Describe::Node),
            _ => None,
        }
    }

    /// The resource as the API server's NotFound error names it.
    fn resource(self) -> &'static str {
        match self {
            Describe::Service => "services",
            Describe::Endpoints => "endpoints",
            Describe::EndpointSlice => "endpointslices.discovery.k8s.io",
            Describe::Pod => "pods",
            Describe::Node => "nodes",
        }
    }
}

/// `kubectl describe KIND NAME -n NAMESPACE`, or kubectl's NotFound error for it.
pub fn describe(
    cluster: &Cluster,
    kind: Describe,
    namespace: &str,
    name: &str,
) -> Result<String, String> {
    let text = match kind {
        Describe::Service => cluster
            .service(namespace, name)
            .map(|service| describe_service(service, cluster.endpoints_named(namespace, name))),
        Describe::Endpoints => cluster
            .endpoints_named(namespace, name)
            .map(describe_endpoints),
        Describe::EndpointSlice => cluster
            .endpoint_slices
            .iter()
            .find(|slice| slice.namespace == namespace && slice.name == name)
            .map(describe_endpoint_slice),
        Describe::Pod => cluster.pod(&ObjectKey::new(namespace, name)).map(|pod| {
            let node = pod.node_name.as_deref().and_then(|node| {
                cluster
                    .nodes
                    .iter()
                    .find(|candidate| candidate.name == node)
            });
            describe_pod(pod, node, cluster.now)
        }),
        Describe::Node => cluster
            .nodes
            .iter()
            .find(|node| node.name == name)
            .map(|node| describe_node(node, &cluster.pods)),
    };
    text.ok_or_else(|| {
        format!(
            "Error from server (NotFound): {} {} not found",
            kind.resource(),
            GoQuoted(name)
        )
    })
}
