//! What the cluster converged to: Services with their addresses and endpoints, and the pods.

use leptos::prelude::*;

use crate::sim::cluster::Cluster;
use crate::sim::kubectl::{format_endpoints, ports_column};

/// Two tables from the simulated cluster: the input's Services (type, cluster IP, ports, the
/// endpoints `kubectl describe` would list) and every pod (node, IP, readiness).
///
/// `cluster` is the simulated cluster built from the editor's text.
#[component]
pub fn ClusterView(#[prop(into)] cluster: Signal<Cluster>) -> impl IntoView {
    let services = move || {
        cluster.with(|cluster| {
            cluster
                .services
                .iter()
                .filter(|service| {
                    // The cluster's own Services are always there; show the input's.
                    !matches!(
                        (service.meta.namespace.as_str(), service.meta.name.as_str()),
                        ("default", "kubernetes") | ("kube-system", "kube-dns")
                    )
                })
                .map(|service| {
                    let spec = &service.spec;
                    let cluster_ip = match spec.type_.as_deref() {
                        Some("ExternalName") => spec.external_name.clone().unwrap_or_default(),
                        _ => spec.cluster_ip.clone().unwrap_or_default(),
                    };
                    let ports = ports_column(service);
                    let endpoints =
                        cluster.endpoints_named(&service.meta.namespace, &service.meta.name);
                    let first_port = spec
                        .ports
                        .first()
                        .and_then(|port| port.name.clone())
                        .unwrap_or_default();
                    let endpoints = format_endpoints(endpoints, &first_port);
                    view! {
                        <tr data-testid="service-row">
                            <td>{service.meta.name.clone()}</td>
                            <td>{spec.type_.clone().unwrap_or_default()}</td>
                            <td>{cluster_ip}</td>
                            <td>{ports}</td>
                            <td>{endpoints}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let pods = move || {
        cluster.with(|cluster| {
            cluster
                .pods
                .iter()
                .map(|pod| {
                    view! {
                        <tr data-testid="pod-row">
                            <td>{pod.name.clone()}</td>
                            <td>{pod.node_name.clone().unwrap_or_else(|| "<none>".to_owned())}</td>
                            <td>{pod.ip.clone().unwrap_or_else(|| "<none>".to_owned())}</td>
                            <td>{if pod.ready { "Ready" } else { "not ready" }}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-scroll">
        <table class="object-list" data-testid="service-list">
            <caption class="object-list__caption">"Services"</caption>
            <thead>
                <tr>
                    <th scope="col">"NAME"</th>
                    <th scope="col">"TYPE"</th>
                    <th scope="col">"CLUSTER-IP"</th>
                    <th scope="col">"PORT(S)"</th>
                    <th scope="col">"ENDPOINTS"</th>
                </tr>
            </thead>
            <tbody>{services}</tbody>
        </table>
        </div>
        <div class="table-scroll">
        <table class="object-list" data-testid="pod-list">
            <caption class="object-list__caption">"Pods"</caption>
            <thead>
                <tr>
                    <th scope="col">"NAME"</th>
                    <th scope="col">"NODE"</th>
                    <th scope="col">"IP"</th>
                    <th scope="col">"READY"</th>
                </tr>
            </thead>
            <tbody>{pods}</tbody>
        </table>
        </div>
    }
}
