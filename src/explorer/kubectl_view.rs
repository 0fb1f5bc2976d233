//! The explorer's kubectl panel: which `kubectl get` and `kubectl describe` commands it offers
//! for a cluster, and what each prints. The text is the CLI's for the same arguments
//! (`svcscope get pods -A -o wide`, `svcscope describe pod NAME -n NS`), from the same
//! functions; the end-to-end tests compare the two.

use crate::sim::control::cluster::Cluster;
use crate::sim::kubectl::describe::{
    describe_endpoint_slice, describe_endpoints, describe_service,
};
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
/// listings, then `describe` for every Service, its Endpoints, every EndpointSlice and every
/// pod, input objects first and the cluster's own (`kube-system`, `kubernetes`) after.
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

/// What `command` (one of [`commands`]) prints for `cluster`; an empty string for anything
/// else.
pub fn output(cluster: &Cluster, command: &str) -> String {
    let words: Vec<&str> = command.split(' ').collect();
    match words.as_slice() {
        ["get", "pods", ..] => get_pods(&cluster.pods.iter().collect::<Vec<_>>(), true, true),
        ["get", "services", ..] => {
            get_services(&cluster.services.iter().collect::<Vec<_>>(), true, true)
        }
        ["get", "endpointslices", ..] => {
            get_endpoint_slices(&cluster.endpoint_slices.iter().collect::<Vec<_>>(), true)
        }
        ["get", "endpoints", ..] => {
            get_endpoints(&cluster.endpoints.iter().collect::<Vec<_>>(), true)
        }
        ["describe", kind, name, "-n", namespace] => {
            let (name, namespace) = (*name, *namespace);
            match *kind {
                "service" => cluster
                    .service(namespace, name)
                    .map(|service| {
                        describe_service(service, cluster.endpoints_named(namespace, name))
                    })
                    .unwrap_or_default(),
                "endpoints" => cluster
                    .endpoints_named(namespace, name)
                    .map(describe_endpoints)
                    .unwrap_or_default(),
                "endpointslice" => cluster
                    .endpoint_slices
                    .iter()
                    .find(|slice| slice.namespace == namespace && slice.name == name)
                    .map(describe_endpoint_slice)
                    .unwrap_or_default(),
                "pod" => cluster
                    .pods
                    .iter()
                    .find(|pod| pod.namespace == namespace && pod.name == name)
                    .map(|pod| {
                        let node = pod.node_name.as_deref().and_then(|node| {
                            cluster
                                .nodes
                                .iter()
                                .find(|candidate| candidate.name == node)
                        });
                        describe_pod(pod, node)
                    })
                    .unwrap_or_default(),
                _ => String::new(),
            }
        }
        _ => String::new(),
    }
}
