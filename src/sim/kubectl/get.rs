//! `kubectl get` tables: Services, pods, Endpoints, EndpointSlices, workloads and nodes, with
//! `-o wide` and `-A` columns as kubectl prints them.

use std::collections::BTreeMap;

use crate::sim::control::apiserver::is_headless;
use crate::sim::control::clock::{age, Millis};
use crate::sim::input::labels::labels_text;
use crate::sim::input::objects::Service;
use crate::sim::kubectl::tabwriter::render_table;

/// `kubectl get services` (`-o wide` adds SELECTOR). AGE is kubectl's `HumanDuration` of the
/// time since the object was made, at simulated moment `now` (the input's Services, like
/// every object of the input, are made at 0). With `all_namespaces` a NAMESPACE column comes
/// first, as with `-A`.
pub fn get_services(
    services: &[&Service],
    wide: bool,
    all_namespaces: bool,
    now: Millis,
) -> String {
    let mut header = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend([
        "NAME",
        "TYPE",
        "CLUSTER-IP",
        "EXTERNAL-IP",
        "PORT(S)",
        "AGE",
    ]);
    if wide {
        header.push("SELECTOR");
    }
    let rows: Vec<Vec<String>> = services
        .iter()
        .map(|service| {
            let mut row = Vec::new();
            if all_namespaces {
                row.push(service.meta.namespace.clone());
            }
            row.push(service.meta.name.clone());
            row.push(service.spec.type_.clone().unwrap_or_default());
            row.push(cluster_ip_column(service));
            row.push(external_ip_column(service));
            row.push(ports_column(service));
            row.push(age(now, 0));
            if wide {
                row.push(selector_text(service).unwrap_or_else(|| "<none>".to_owned()));
            }
            row
        })
        .collect();
    render_table(&header, &rows)
}

fn cluster_ip_column(service: &Service) -> String {
    if service.spec.type_.as_deref() == Some("ExternalName") {
        return "<none>".to_owned();
    }
    if is_headless(&service.spec) {
        return "None".to_owned();
    }
    match service.spec.cluster_ips.as_slice() {
        [] => "<none>".to_owned(),
        ips => ips.join(","),
    }
}

/// kubectl's `getServiceExternalIP`.
fn external_ip_column(service: &Service) -> String {
    let external_ips = || {
        if service.spec.external_ips.is_empty() {
            None
        } else {
            Some(service.spec.external_ips.join(","))
        }
    };
    match service.spec.type_.as_deref() {
        Some("ExternalName") => service.spec.external_name.clone().unwrap_or_default(),
        Some("LoadBalancer") => {
            let mut addresses: Vec<String> = service
                .load_balancer_ingress
                .iter()
                .filter_map(|ingress| ingress.ip.clone().or_else(|| ingress.hostname.clone()))
                .collect();
            addresses.extend(service.spec.external_ips.iter().cloned());
            if addresses.is_empty() {
                "<pending>".to_owned()
            } else {
                addresses.join(",")
            }
        }
        _ => external_ips().unwrap_or_else(|| "<none>".to_owned()),
    }
}

/// kubectl's `makePortString`: `80/TCP`, `80:30080/TCP`, joined by commas.
pub fn ports_column(service: &Service) -> String {
    let ports: Vec<String> = service
        .spec
        .ports
        .iter()
        .map(|port| {
            let protocol = port.protocol.clone().unwrap_or_default();
            let number = port.port.unwrap_or(0);
            match port.node_port.filter(|node_port| *node_port != 0) {
                Some(node_port) => format!("{number}:{node_port}/{protocol}"),
                None => format!("{number}/{protocol}"),
            }
        })
        .collect();
    if ports.is_empty() {
        "<none>".to_owned()
    } else {
        ports.join(",")
    }
}

/// `app=nginx,tier=web`, or `None` for a selector-less Service.
pub fn selector_text(service: &Service) -> Option<String> {
    let selector = service.spec.selector.as_ref()?;
    if selector.is_empty() {
        return None;
    }
    Some(labels_text(selector, ","))
}

/// `kubectl get pods` (`-o wide` adds IP, NODE, NOMINATED NODE, READINESS GATES).
pub fn get_pods(
    pods: &[&crate::sim::control::workloads::SimPod],
    wide: bool,
    all_namespaces: bool,
    now: Millis,
) -> String {
    let mut header = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend(["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
    if wide {
        header.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]);
    }
    let rows: Vec<Vec<String>> = pods
        .iter()
        .map(|pod| {
            let total = pod.spec.containers.len();
            let ready = if pod.ready { total } else { 0 };
            let status = if pod.terminating {
                "Terminating"
            } else if pod.node_name.is_none() {
                "Pending"
            } else if pod.ip.is_none() || pod.started_at.is_some_and(|started| started > now) {
                "ContainerCreating"
            } else {
                "Running"
            };
            let mut row = Vec::new();
            if all_namespaces {
                row.push(pod.namespace.clone());
            }
            row.extend([
                pod.name.clone(),
                format!("{ready}/{total}"),
                status.to_owned(),
                "0".to_owned(),
                age(now, pod.created_at),
            ]);
            if wide {
                row.extend([
                    pod.ip.clone().unwrap_or_else(|| "<none>".to_owned()),
                    pod.node_name.clone().unwrap_or_else(|| "<none>".to_owned()),
                    "<none>".to_owned(),
                    "<none>".to_owned(),
                ]);
            }
            row
        })
        .collect();
    render_table(&header, &rows)
}

/// `kubectl get endpoints`: NAME, ENDPOINTS (kubectl's `formatEndpoints` over every port), AGE.
pub fn get_endpoints(
    objects: &[&crate::sim::control::endpoints::SimEndpoints],
    all_namespaces: bool,
    now: Millis,
) -> String {
    let mut header = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend(["NAME", "ENDPOINTS", "AGE"]);
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            let mut row = Vec::new();
            if all_namespaces {
                row.push(object.namespace.clone());
            }
            row.push(object.name.clone());
            row.push(format_all_endpoints(object));
            row.push(age(now, 0));
            row
        })
        .collect();
    render_table(&header, &rows)
}

fn format_all_endpoints(object: &crate::sim::control::endpoints::SimEndpoints) -> String {
    if object.subsets.is_empty() {
        return "<none>".to_owned();
    }
    const MAX: usize = 3;
    let mut list = Vec::new();
    let mut count = 0usize;
    for subset in &object.subsets {
        if subset.ports.is_empty() {
            count += subset.addresses.len();
            list.extend(subset.addresses.iter().map(|address| address.ip.clone()));
            continue;
        }
        for port in &subset.ports {
            count += subset.addresses.len();
            list.extend(
                subset
                    .addresses
                    .iter()
                    .map(|address| format!("{}:{}", address.ip, port.port)),
            );
        }
    }
    if list.is_empty() {
        return "<none>".to_owned();
    }
    let shown: Vec<String> = list.into_iter().take(MAX).collect();
    if count > MAX {
        format!("{} + {} more...", shown.join(","), count - MAX)
    } else {
        shown.join(",")
    }
}

/// `kubectl get endpointslices`: NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE.
pub fn get_endpoint_slices(
    slices: &[&crate::sim::control::endpoints::SimEndpointSlice],
    all_namespaces: bool,
    now: Millis,
) -> String {
    let mut header = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.extend(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]);
    let rows: Vec<Vec<String>> = slices
        .iter()
        .map(|slice| {
            let ports = if slice.ports.is_empty() {
                "<unset>".to_owned()
            } else {
                slice
                    .ports
                    .iter()
                    .map(|port| port.port.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let addresses: Vec<&String> = slice
                .endpoints
                .iter()
                .flat_map(|endpoint| endpoint.addresses.iter())
                .collect();
            let endpoints = if addresses.is_empty() {
                "<unset>".to_owned()
            } else if addresses.len() > 3 {
                format!(
                    "{} + {} more...",
                    addresses
                        .iter()
                        .take(3)
                        .map(|ip| ip.as_str())
                        .collect::<Vec<_>>()
                        .join(","),
                    addresses.len() - 3
                )
            } else {
                addresses
                    .iter()
                    .map(|ip| ip.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            let mut row = Vec::new();
            if all_namespaces {
                row.push(slice.namespace.clone());
            }
            row.extend([
                slice.name.clone(),
                slice.address_type.clone(),
                ports,
                endpoints,
                age(now, 0),
            ]);
            row
        })
        .collect();
    render_table(&header, &rows)
}

/// `kubectl get deployments|replicasets|statefulsets|daemonsets` for workloads of one kind,
/// with readiness counted from the simulated pods. `-o wide` adds CONTAINERS, IMAGES and (but
/// for StatefulSets) SELECTOR.
pub fn get_workloads(
    kind: crate::sim::input::objects::WorkloadKind,
    workloads: &[&crate::sim::control::workloads::SimWorkload],
    pods: &[crate::sim::control::workloads::SimPod],
    wide: bool,
    all_namespaces: bool,
    now: Millis,
) -> String {
    use crate::sim::input::objects::WorkloadKind;
    let mut header: Vec<&str> = Vec::new();
    if all_namespaces {
        header.push("NAMESPACE");
    }
    header.push("NAME");
    match kind {
        WorkloadKind::Deployment => header.extend(["READY", "UP-TO-DATE", "AVAILABLE", "AGE"]),
        WorkloadKind::ReplicaSet => header.extend(["DESIRED", "CURRENT", "READY", "AGE"]),
        WorkloadKind::StatefulSet => header.extend(["READY", "AGE"]),
        WorkloadKind::DaemonSet => header.extend([
            "DESIRED",
            "CURRENT",
            "READY",
            "UP-TO-DATE",
            "AVAILABLE",
            "NODE SELECTOR",
            "AGE",
        ]),
    }
    if wide {
        header.extend(["CONTAINERS", "IMAGES"]);
        if kind != WorkloadKind::StatefulSet {
            header.push("SELECTOR");
        }
    }
    let rows: Vec<Vec<String>> = workloads
        .iter()
        .map(|workload| {
            // A Deployment counts the pods of all its ReplicaSets (each named
            // `{deployment}-{pod-template-hash}`, the hash its pods carry as a label), its
            // UP-TO-DATE those of the current one; terminating pods count for none.
            let deployment = kind == WorkloadKind::Deployment;
            let owned: Vec<&crate::sim::control::workloads::SimPod> = pods
                .iter()
                .filter(|pod| {
                    pod.namespace == workload.namespace
                        && !pod.terminating
                        && pod.owner.as_ref().is_some_and(|owner| {
                            *owner == workload.pod_owner
                                || (deployment
                                    && owner.0 == "ReplicaSet"
                                    && pod.labels.get("pod-template-hash").is_some_and(|hash| {
                                        owner.1 == format!("{}-{hash}", workload.name)
                                    }))
                        })
                })
                .collect();
            let ready = owned
                .iter()
                .filter(|pod| pod.ready && pod.ip.is_some())
                .count();
            let up_to_date = owned
                .iter()
                .filter(|pod| pod.owner.as_ref() == Some(&workload.pod_owner))
                .count();
            let current = owned.len();
            let desired = workload.desired;
            let made = age(now, workload.created_at);
            let mut row = Vec::new();
            if all_namespaces {
                row.push(workload.namespace.clone());
            }
            row.push(workload.name.clone());
            match kind {
                WorkloadKind::Deployment => row.extend([
                    format!("{ready}/{desired}"),
                    up_to_date.to_string(),
                    ready.to_string(),
                    made,
                ]),
                WorkloadKind::ReplicaSet => row.extend([
                    desired.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    made,
                ]),
                WorkloadKind::StatefulSet => row.extend([format!("{ready}/{desired}"), made]),
                WorkloadKind::DaemonSet => row.extend([
                    desired.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    "<none>".to_owned(),
                    made,
                ]),
            }
            if wide {
                row.push(workload.containers.join(","));
                row.push(workload.images.join(","));
                if kind != WorkloadKind::StatefulSet {
                    row.push(workload.selector.clone());
                }
            }
            row
        })
        .collect();
    render_table(&header, &rows)
}

/// `kubectl get nodes` (kubectl's `printNode`): NAME, STATUS, ROLES, AGE, VERSION; `-o wide`
/// adds INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME.
///
/// The model's nodes are Ready (node conditions are not modelled) and run no kubelet, so
/// VERSION is the empty string kubectl prints for an empty `nodeInfo.kubeletVersion`, and the
/// wide columns print kubectl's `<unknown>` for an empty `nodeInfo`. ROLES are the
/// `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` value, sorted, or
/// `<none>` (`findNodeRoles`).
pub fn get_nodes(
    nodes: &[&crate::sim::control::workloads::SimNode],
    wide: bool,
    now: Millis,
) -> String {
    let mut header = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
    if wide {
        header.extend([
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ]);
    }
    let rows: Vec<Vec<String>> = nodes
        .iter()
        .map(|node| {
            let mut status = "Ready".to_owned();
            if node.unschedulable {
                status.push_str(",SchedulingDisabled");
            }
            let mut row = vec![
                node.name.clone(),
                status,
                node_roles(&node.labels),
                age(now, 0),
                String::new(),
            ];
            if wide {
                row.extend([
                    node.internal_ip.clone(),
                    "<none>".to_owned(),
                    "<unknown>".to_owned(),
                    "<unknown>".to_owned(),
                    "<unknown>".to_owned(),
                ]);
            }
            row
        })
        .collect();
    render_table(&header, &rows)
}

/// kubectl's `findNodeRoles`, joined with commas; `<none>` when there is none.
pub fn node_roles(labels: &BTreeMap<String, String>) -> String {
    let mut roles: Vec<&str> = labels
        .iter()
        .filter_map(
            |(key, value)| match key.strip_prefix("node-role.kubernetes.io/") {
                Some(role) if !role.is_empty() => Some(role),
                Some(_) => None,
                None => {
                    (key == "kubernetes.io/role" && !value.is_empty()).then_some(value.as_str())
                }
            },
        )
        .collect();
    crate::small::order::sort(&mut roles);
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_owned()
    } else {
        roles.join(",")
    }
}
