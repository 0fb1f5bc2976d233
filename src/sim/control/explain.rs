//! Diagnostics that explain, as a person would, why a Service has no (ready) endpoints.
//!
//! These are not API errors: every object here was accepted. They are what an engineer checks
//! by hand with `kubectl get pods --show-labels` and `kubectl describe`, said in plain words.

use crate::sim::control::apiserver::is_headless;
use crate::sim::control::endpoints::{find_port, PodIndex, SimEndpointSlice, SimEndpoints};
use crate::sim::control::workloads::{SimPod, CONTROLLER_LABELS};
use crate::sim::input::decode::IntOrString;
use crate::sim::input::labels::labels_text;
use crate::sim::input::labels::map_selector_matches;
use crate::sim::input::objects::Service;

/// One explanation: the Service it is about, the field it points at, and the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// `namespace/name` of the Service.
    pub service: String,
    /// The field the explanation points at (`spec.selector`, `spec.ports[0].targetPort`).
    pub field: String,
    /// Plain words.
    pub message: String,
}

/// Explains every Service of the cluster that would surprise its author.
pub fn explain(
    services: &[Service],
    pods: &[SimPod],
    index: &PodIndex,
    endpoints: &[SimEndpoints],
    slices: &[SimEndpointSlice],
) -> Vec<Explanation> {
    let mut explanations = Vec::new();
    // The pods each Service's slices list, by UID (looked up once per pod below: scanning
    // every slice for every pod made explaining quadratic in the cluster's size).
    let mut listed: std::collections::BTreeMap<(&str, &str), Vec<&str>> =
        std::collections::BTreeMap::new();
    for slice in slices {
        listed
            .entry((slice.namespace.as_str(), slice.service.as_str()))
            .or_default()
            .extend(
                slice
                    .endpoints
                    .iter()
                    .filter_map(|endpoint| endpoint.target_ref.as_ref())
                    .map(|target| target.uid.as_str()),
            );
    }
    for service in services {
        let namespace = &service.meta.namespace;
        let name = &service.meta.name;
        let key = format!("{namespace}/{name}");
        let say = |field: &str, message: String| Explanation {
            service: key.clone(),
            field: field.to_owned(),
            message,
        };
        if service.spec.type_.as_deref() == Some("ExternalName") {
            if service
                .spec
                .selector
                .as_ref()
                .is_some_and(|selector| !selector.is_empty())
            {
                explanations.push(say(
                    "spec.selector",
                    format!(
                        "Service {name} is ExternalName: it ignores its selector, gets no \
                         endpoints, and cluster DNS answers its name with a CNAME to {}",
                        service.spec.external_name.as_deref().unwrap_or("")
                    ),
                ));
            }
            continue;
        }
        let Some(selector) = service.spec.selector.as_ref() else {
            let has_endpoints = endpoints
                .iter()
                .any(|object| &object.namespace == namespace && &object.name == name)
                || slices
                    .iter()
                    .any(|slice| &slice.namespace == namespace && &slice.service == name);
            let builtin = namespace == "default" && name == "kubernetes";
            if !has_endpoints && !builtin {
                explanations.push(say(
                    "spec",
                    format!(
                        "Service {name} has no selector, so no controller manages its \
                         endpoints, and there is no Endpoints or EndpointSlice object for it: \
                         it has no endpoints ({})",
                        if is_headless(&service.spec) {
                            "cluster DNS has no address to answer with"
                        } else {
                            "connections to its cluster IP are rejected"
                        }
                    ),
                ));
            }
            continue;
        };
        if selector.is_empty() {
            continue;
        }
        let selected: Vec<&SimPod> = index.selected(service, pods);
        let wanted = labels_text(selector, ",");
        if selected.is_empty() {
            // Only for a Service that selects nothing: look at the whole namespace.
            let in_namespace: Vec<&SimPod> = pods
                .iter()
                .filter(|pod| &pod.namespace == namespace)
                .collect();
            let elsewhere: Vec<&str> = pods
                .iter()
                .filter(|pod| {
                    &pod.namespace != namespace && map_selector_matches(selector, &pod.labels)
                })
                .map(|pod| pod.namespace.as_str())
                .collect();
            let mut message = if in_namespace.is_empty() {
                format!(
                    "Service {name} selects {wanted}; there are no pods in namespace {namespace}"
                )
            } else {
                let mut seen: Vec<String> = Vec::new();
                for pod in &in_namespace {
                    // Labels the controllers add are not what a selector's author reads.
                    // (Built anew rather than removed from a clone: B-tree removal would be
                    // one more large piece of code in the browser build.)
                    let labels = crate::small::order::map_from(
                        pod.labels
                            .iter()
                            .filter(|(key, _)| !CONTROLLER_LABELS.contains(&key.as_str()))
                            .map(|(key, value)| (key.clone(), value.clone())),
                    );
                    let labels = labels_text(&labels, ",");
                    if !seen.contains(&labels) {
                        seen.push(labels);
                    }
                }
                let shown: Vec<String> = seen.iter().take(3).cloned().collect();
                let more = if seen.len() > 3 { ", ..." } else { "" };
                format!(
                    "Service {name} selects {wanted}; no pod has that label (pods have {}{more})",
                    shown.join("; ")
                )
            };
            if let Some(other) = elsewhere.first() {
                message.push_str(&format!(
                    "; pods in namespace {other} match, but a Service selects only pods of its own namespace"
                ));
            }
            explanations.push(say("spec.selector", message));
            continue;
        }
        for (index, port) in service.spec.ports.iter().enumerate() {
            let Some(IntOrString::String(target)) = &port.target_port else {
                continue;
            };
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            let resolving = selected
                .iter()
                .filter(|pod| find_port(pod, port.target_port.as_ref(), protocol).is_some())
                .count();
            if resolving == 0 {
                let mut names: Vec<String> = selected
                    .iter()
                    .flat_map(|pod| pod.spec.containers.iter())
                    .flat_map(|container| container.ports.iter())
                    .map(|container_port| match &container_port.name {
                        Some(port_name) => format!(
                            "{port_name} ({}/{})",
                            container_port.container_port.unwrap_or(0),
                            container_port.protocol.as_deref().unwrap_or("TCP")
                        ),
                        None => format!(
                            "unnamed ({}/{})",
                            container_port.container_port.unwrap_or(0),
                            container_port.protocol.as_deref().unwrap_or("TCP")
                        ),
                    })
                    .collect();
                crate::small::order::sort(&mut names);
                names.dedup();
                let ports = if names.is_empty() {
                    "they declare no container ports".to_owned()
                } else {
                    format!("their container ports are {}", names.join(", "))
                };
                explanations.push(say(
                    &format!("spec.ports[{index}].targetPort"),
                    format!(
                        "targetPort {target} is not a container port name of any selected pod \
                         ({ports}): the endpoints have no port {}",
                        port.name
                            .as_deref()
                            .filter(|name| !name.is_empty())
                            .unwrap_or(target)
                    ),
                ));
            } else if resolving < selected.len() {
                explanations.push(say(
                    &format!("spec.ports[{index}].targetPort"),
                    format!(
                        "targetPort {target} resolves on {resolving} of {} selected pods; the \
                         others are left out of this port: the EndpointSlice controller puts \
                         them in a slice without it, and the Endpoints object lists them in no \
                         subset with it",
                        selected.len()
                    ),
                ));
            }
        }
        let finished: Vec<&str> = selected
            .iter()
            .filter(|pod| pod.is_terminal())
            .map(|pod| pod.name.as_str())
            .collect();
        if let Some(first) = finished.first() {
            let more = match finished.len() {
                1 => String::new(),
                count => format!(" and {} more", count - 1),
            };
            explanations.push(say(
                "spec.selector",
                format!(
                    "pod {first}{more} selected, but in phase Succeeded or Failed: a pod that has \
                     finished is never an endpoint"
                ),
            ));
        }
        let in_slices = |pod: &SimPod| {
            listed
                .get(&(namespace.as_str(), name.as_str()))
                .is_some_and(|uids| uids.contains(&pod.uid.as_str()))
        };
        let unknown_node: Vec<&&SimPod> = selected
            .iter()
            .filter(|pod| !pod.is_terminal() && pod.ip.is_some() && !in_slices(pod))
            .collect();
        if let Some(pod) = unknown_node.first() {
            explanations.push(say(
                "spec.selector",
                format!(
                    "pod {} runs on node {}, which is not one of the cluster's nodes: the \
                     EndpointSlice controller leaves it out (\"Node not found\") unless \
                     publishNotReadyAddresses is set, while the Endpoints object still lists it{}",
                    pod.name,
                    pod.node_name.as_deref().unwrap_or("<none>"),
                    match unknown_node.len() {
                        1 => String::new(),
                        count => format!(" ({} more pods likewise)", count - 1),
                    }
                ),
            ));
        }
        let with_ip: Vec<&&SimPod> = selected
            .iter()
            .filter(|pod| pod.ip.is_some() && !pod.is_terminal())
            .collect();
        let unscheduled: Vec<&&SimPod> = selected
            .iter()
            .filter(|pod| pod.node_name.is_none() && !pod.is_terminal())
            .collect();
        let scheduler_says = unscheduled
            .iter()
            .find_map(|pod| pod.unschedulable.as_deref())
            .map(|message| format!(": the scheduler says \"{message}\""))
            .unwrap_or_default();
        if with_ip.is_empty() && !unscheduled.is_empty() {
            explanations.push(say(
                "spec.selector",
                format!(
                    "Service {name} selects {} pod(s) but none runs: {} no node takes \
                     (Pending){scheduler_says}",
                    selected.len(),
                    if unscheduled.len() == selected.len() {
                        "every one is a pod that".to_owned()
                    } else {
                        format!("{} are pods that", unscheduled.len())
                    }
                ),
            ));
        } else if with_ip.is_empty() {
            explanations.push(say(
                "spec.selector",
                format!(
                    "Service {name} selects {} pod(s) but none has an IP yet (its node has no \
                     free pod address)",
                    selected.len()
                ),
            ));
        } else if !unscheduled.is_empty() {
            explanations.push(say(
                "spec.selector",
                format!(
                    "{} of the {} pods Service {name} selects are Pending, not endpoints: no \
                     node takes them{scheduler_says}",
                    unscheduled.len(),
                    selected.len()
                ),
            ));
        }
        if !with_ip.is_empty()
            && service.spec.publish_not_ready_addresses != Some(true)
            && with_ip.iter().all(|pod| !pod.ready || pod.terminating)
        {
            explanations.push(say(
                "spec.selector",
                format!(
                    "no endpoint is ready: the {} selected pod(s) are not Ready, so they are \
                     listed as not ready and get no traffic{}",
                    with_ip.len(),
                    if is_headless(&service.spec) {
                        " and no DNS records"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    explanations
}
