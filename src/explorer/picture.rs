//! The cluster picture as data: where every node, pod, Service and link goes, and what hovering
//! one says. The browser draws it as SVG; nothing here knows about markup.

use crate::sim::control::cluster::Cluster;
use crate::sim::control::endpoints::has_managed_endpoints;
use crate::sim::control::workloads::SimPod;
use crate::sim::input::labels::{labels_text, map_selector_matches};
use crate::sim::input::objects::Service;

/// What a reader hovering a pod wants to know: its name, labels, and the Services whose
/// selector picks it (same namespace, every selector term among its labels; ExternalName
/// Services ignore their selector, as the endpoint controllers do).
pub fn pod_summary(cluster: &Cluster, pod: &SimPod) -> String {
    let selected_by: Vec<String> = cluster
        .services
        .iter()
        .filter(|service| {
            service.meta.namespace_or_default() == pod.namespace
                && has_managed_endpoints(service)
                && service.spec.selector.as_ref().is_some_and(|selector| {
                    !selector.is_empty() && map_selector_matches(selector, &pod.labels)
                })
        })
        .map(|service| format!("Service {}", service.meta.name))
        .collect();
    format!(
        "Pod {}/{}\nlabels: {}\nselected by: {}",
        pod.namespace,
        pod.name,
        if pod.labels.is_empty() {
            "none".to_owned()
        } else {
            labels_text(&pod.labels, ",")
        },
        if selected_by.is_empty() {
            "no Service".to_owned()
        } else {
            selected_by.join(", ")
        }
    )
}

/// What a reader hovering a Service wants to know: its selector, or why it has none.
pub fn service_summary(service: &Service) -> String {
    let selector = match (&service.spec.selector, service.spec.type_.as_deref()) {
        (_, Some("ExternalName")) => "ExternalName: no selector used".to_owned(),
        (Some(selector), _) if !selector.is_empty() => labels_text(selector, ","),
        _ => "none (endpoints come from your own EndpointSlices or Endpoints)".to_owned(),
    };
    format!(
        "Service {}/{}\nselector: {selector}",
        service.meta.namespace_or_default(),
        service.meta.name
    )
}
