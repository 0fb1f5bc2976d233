//! Output as `kubectl` prints it, from the simulated cluster.

use std::collections::BTreeMap;

use crate::sim::control::apiserver::is_headless;
use crate::sim::input::decode::IntOrString;
use crate::sim::input::labels::labels_text;
use crate::sim::input::objects::Service;

/// Columns separated by three spaces, as kubectl's tabwriter (padding 3) prints them. Every
/// cell but a row's last is tab-terminated and so padded, even when the last cell is empty
/// (as `kubectl get nodes` prints a node with no kubelet version).
pub fn render_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|cell| cell.chars().count()).collect();
    for row in rows {
        for (index, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(index) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|cell| (*cell).to_owned()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (index, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if index + 1 < row.len() {
                let width = widths.get(index).copied().unwrap_or(0);
                line.push_str(&" ".repeat(width.saturating_sub(cell.chars().count()) + 3));
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `kubectl get services` (`-o wide` adds SELECTOR). AGE is `<unknown>`: the model has no
/// clock, and kubectl prints `<unknown>` for a zero creation timestamp. With `all_namespaces`
/// a NAMESPACE column comes first, as with `-A`.
pub fn get_services(services: &[&Service], wide: bool, all_namespaces: bool) -> String {
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
            row.push("<unknown>".to_owned());
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

/// The `targetPort` as `kubectl describe` prints it: `8080/TCP`, `http/TCP`.
pub fn target_port_text(target: Option<&IntOrString>, protocol: &str) -> String {
    match target {
        Some(target) => format!("{target}/{protocol}"),
        None => format!("<unset>/{protocol}"),
    }
}

/// Go's `text/tabwriter` as kubectl's describers configure it (minwidth 0, tabwidth 8,
/// padding 2, padding with spaces): cells end at tabs, and each column of consecutive lines
/// that have a cell there is padded to its widest cell plus two.
pub fn tabwriter(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let mut out = String::new();
    let mut widths: Vec<usize> = Vec::new();
    format_block(&lines, 0, lines.len(), &mut widths, &mut out);
    out
}

fn cell_width(cell: &str) -> usize {
    cell.chars().count()
}

/// The recursive column-block layout of Go's tabwriter (`Writer.format`).
fn format_block(
    lines: &[Vec<&str>],
    mut line0: usize,
    line1: usize,
    widths: &mut Vec<usize>,
    out: &mut String,
) {
    let column = widths.len();
    let mut this = line0;
    while this < line1 {
        let cells = lines.get(this).map_or(0, Vec::len);
        if column + 1 >= cells {
            this += 1;
            continue;
        }
        write_lines(lines, line0, this, widths, out);
        line0 = this;
        let mut width = 0;
        while this < line1 {
            let Some(line) = lines.get(this) else { break };
            if column + 1 >= line.len() {
                break;
            }
            width = width.max(cell_width(line.get(column).copied().unwrap_or("")) + 2);
            this += 1;
        }
        widths.push(width);
        format_block(lines, line0, this, widths, out);
        widths.pop();
        line0 = this;
    }
    write_lines(lines, line0, line1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], from: usize, to: usize, widths: &[usize], out: &mut String) {
    for line in lines.get(from..to).unwrap_or_default() {
        let mut text = String::new();
        for (index, cell) in line.iter().enumerate() {
            text.push_str(cell);
            if index + 1 < line.len() {
                let width = widths.get(index).copied().unwrap_or(0);
                text.push_str(&" ".repeat(width.saturating_sub(cell_width(cell))));
            }
        }
        out.push_str(&text);
        out.push('\n');
    }
}

/// kubectl's `printLabelsMultiline`: `key=value`, sorted, `<none>` when empty.
pub fn labels_multiline(title: &str, labels: &BTreeMap<String, String>, out: &mut String) {
    if labels.is_empty() {
        out.push_str(&format!("{title}:\t<none>\n"));
        return;
    }
    for (index, (key, value)) in labels.iter().enumerate() {
        if index == 0 {
            out.push_str(&format!("{title}:\t{key}={value}\n"));
        } else {
            out.push_str(&format!("\t{key}={value}\n"));
        }
    }
}

/// kubectl describe's `maxAnnotationLen`.
const MAX_ANNOTATION_LEN: usize = 140;

/// kubectl's `printAnnotationsMultiline`: `key: value`, sorted, without
/// `kubectl.kubernetes.io/last-applied-configuration`; a value that is long (key and value
/// over 140 bytes) or has several lines goes under its key, each line cut at 138 bytes + `...`.
pub fn annotations_multiline(
    title: &str,
    annotations: &BTreeMap<String, String>,
    out: &mut String,
) {
    out.push_str(&format!("{title}:\t"));
    let shown: Vec<(&String, &String)> = annotations
        .iter()
        .filter(|(key, _)| *key != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if shown.is_empty() {
        out.push_str("<none>\n");
        return;
    }
    for (index, (key, value)) in shown.into_iter().enumerate() {
        if index != 0 {
            out.push('\t');
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            out.push_str(&format!("{key}:\n"));
            for line in value.split('\n') {
                out.push_str(&format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            out.push_str(&format!("{key}: {value}\n"));
        }
    }
}

/// kubectl's `shorten`: the first `max` bytes and `...` (cut at a character boundary here).
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", text.get(..end).unwrap_or(""))
}

/// kubectl's `formatEndpoints(endpoints, ports)`: `ip:port` of the ready addresses for the
/// named Service port, at most three, then ` + N more...`.
pub fn format_endpoints(
    endpoints: Option<&crate::sim::control::endpoints::SimEndpoints>,
    port_name: &str,
) -> String {
    let Some(endpoints) = endpoints.filter(|endpoints| !endpoints.subsets.is_empty()) else {
        return "<none>".to_owned();
    };
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut more = false;
    for subset in &endpoints.subsets {
        if subset.ports.is_empty() {
            count += subset.addresses.len();
            for address in &subset.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(address.ip.clone());
            }
            continue;
        }
        for port in subset.ports.iter().filter(|port| port.name == port_name) {
            count += subset.addresses.len();
            for address in &subset.addresses {
                if list.len() == MAX {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", address.ip, port.port));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

/// `kubectl describe service`, in the field order and alignment of the kubectl the seeds were
/// captured with (1.2x: with IP Family Policy, without Internal Traffic Policy).
pub fn describe_service(
    service: &Service,
    endpoints: Option<&crate::sim::control::endpoints::SimEndpoints>,
) -> String {
    let spec = &service.spec;
    let mut out = String::new();
    out.push_str(&format!("Name:\t{}\n", service.meta.name));
    out.push_str(&format!("Namespace:\t{}\n", service.meta.namespace));
    labels_multiline("Labels", &service.meta.labels, &mut out);
    annotations_multiline("Annotations", &service.meta.annotations, &mut out);
    out.push_str(&format!(
        "Selector:\t{}\n",
        selector_text(service).unwrap_or_else(|| "<none>".to_owned())
    ));
    out.push_str(&format!("Type:\t{}\n", spec.type_.as_deref().unwrap_or("")));
    if let Some(policy) = &spec.ip_family_policy {
        out.push_str(&format!("IP Family Policy:\t{policy}\n"));
    }
    if spec.ip_families.is_empty() {
        out.push_str("IP Families:\t<none>\n");
    } else {
        out.push_str(&format!("IP Families:\t{}\n", spec.ip_families.join(",")));
    }
    out.push_str(&format!(
        "IP:\t{}\n",
        spec.cluster_ip.as_deref().unwrap_or("")
    ));
    if spec.cluster_ips.is_empty() {
        out.push_str("IPs:\t<none>\n");
    } else {
        out.push_str(&format!("IPs:\t{}\n", spec.cluster_ips.join(",")));
    }
    if !spec.external_ips.is_empty() {
        out.push_str(&format!("External IPs:\t{}\n", spec.external_ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|ip| !ip.is_empty()) {
        out.push_str(&format!("IP:\t{ip}\n"));
    }
    if let Some(name) = spec
        .external_name
        .as_deref()
        .filter(|name| !name.is_empty())
    {
        out.push_str(&format!("External Name:\t{name}\n"));
    }
    let ingress: Vec<String> = service
        .load_balancer_ingress
        .iter()
        .filter_map(|ingress| ingress.ip.clone().or_else(|| ingress.hostname.clone()))
        .collect();
    if !ingress.is_empty() {
        out.push_str(&format!("LoadBalancer Ingress:\t{}\n", ingress.join(", ")));
    }
    for port in &spec.ports {
        let name = port.name.clone().filter(|name| !name.is_empty());
        let shown = name.clone().unwrap_or_else(|| "<unset>".to_owned());
        let protocol = port.protocol.as_deref().unwrap_or("TCP");
        out.push_str(&format!(
            "Port:\t{shown}\t{}/{protocol}\n",
            port.port.unwrap_or(0)
        ));
        out.push_str(&format!(
            "TargetPort:\t{}\n",
            target_port_text(port.target_port.as_ref(), protocol)
        ));
        if let Some(node_port) = port.node_port.filter(|node_port| *node_port != 0) {
            out.push_str(&format!("NodePort:\t{shown}\t{node_port}/{protocol}\n"));
        }
        out.push_str(&format!(
            "Endpoints:\t{}\n",
            format_endpoints(endpoints, name.as_deref().unwrap_or(""))
        ));
    }
    out.push_str(&format!(
        "Session Affinity:\t{}\n",
        spec.session_affinity.as_deref().unwrap_or("")
    ));
    if let Some(policy) = spec
        .external_traffic_policy
        .as_deref()
        .filter(|policy| !policy.is_empty())
    {
        out.push_str(&format!("External Traffic Policy:\t{policy}\n"));
    }
    if let Some(port) = spec.health_check_node_port.filter(|port| *port != 0) {
        out.push_str(&format!("HealthCheck NodePort:\t{port}\n"));
    }
    if !spec.load_balancer_source_ranges.is_empty() {
        out.push_str(&format!(
            "LoadBalancer Source Ranges:\t{}\n",
            spec.load_balancer_source_ranges.join(",")
        ));
    }
    out.push_str("Events:\t<none>\n");
    tabwriter(&out)
}

/// `kubectl get pods` (`-o wide` adds IP, NODE, NOMINATED NODE, READINESS GATES).
pub fn get_pods(
    pods: &[&crate::sim::control::workloads::SimPod],
    wide: bool,
    all_namespaces: bool,
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
            } else if pod.ip.is_none() {
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
                "<unknown>".to_owned(),
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
            row.push("<unknown>".to_owned());
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
                "<unknown>".to_owned(),
            ]);
            row
        })
        .collect();
    render_table(&header, &rows)
}

/// `kubectl describe endpoints`. The controller's
/// `endpoints.kubernetes.io/last-change-trigger-time` annotation is a timestamp, and the model
/// has no clock, so it is not shown.
pub fn describe_endpoints(endpoints: &crate::sim::control::endpoints::SimEndpoints) -> String {
    let mut out = String::new();
    out.push_str(&format!("Name:\t{}\n", endpoints.name));
    out.push_str(&format!("Namespace:\t{}\n", endpoints.namespace));
    labels_multiline("Labels", &endpoints.labels, &mut out);
    out.push_str("Annotations:\t<none>\n");
    out.push_str("Subsets:\n");
    for subset in &endpoints.subsets {
        let join = |addresses: &[crate::sim::control::endpoints::EndpointAddress]| {
            if addresses.is_empty() {
                "<none>".to_owned()
            } else {
                addresses
                    .iter()
                    .map(|address| address.ip.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        out.push_str(&format!("  Addresses:\t{}\n", join(&subset.addresses)));
        out.push_str(&format!(
            "  NotReadyAddresses:\t{}\n",
            join(&subset.not_ready_addresses)
        ));
        if subset.ports.is_empty() {
            out.push_str("  Ports:\t<none>\n");
        } else {
            out.push_str("  Ports:\n");
            out.push_str("    Name\tPort\tProtocol\n");
            out.push_str("    ----\t----\t--------\n");
            for port in &subset.ports {
                let name = if port.name.is_empty() {
                    "<unset>"
                } else {
                    port.name.as_str()
                };
                out.push_str(&format!("    {name}\t{}\t{}\n", port.port, port.protocol));
            }
        }
        out.push('\n');
    }
    out.push_str("Events:\t<none>\n");
    tabwriter(&out)
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
            let owned: Vec<&crate::sim::control::workloads::SimPod> = pods
                .iter()
                .filter(|pod| {
                    pod.namespace == workload.namespace
                        && pod.owner.as_ref() == Some(&workload.pod_owner)
                })
                .collect();
            let ready = owned
                .iter()
                .filter(|pod| pod.ready && pod.ip.is_some())
                .count();
            let current = owned.len();
            let desired = workload.desired;
            let mut row = Vec::new();
            if all_namespaces {
                row.push(workload.namespace.clone());
            }
            row.push(workload.name.clone());
            match kind {
                WorkloadKind::Deployment => row.extend([
                    format!("{ready}/{desired}"),
                    current.to_string(),
                    ready.to_string(),
                    "<unknown>".to_owned(),
                ]),
                WorkloadKind::ReplicaSet => row.extend([
                    desired.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    "<unknown>".to_owned(),
                ]),
                WorkloadKind::StatefulSet => {
                    row.extend([format!("{ready}/{desired}"), "<unknown>".to_owned()])
                }
                WorkloadKind::DaemonSet => row.extend([
                    desired.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    current.to_string(),
                    ready.to_string(),
                    "<none>".to_owned(),
                    "<unknown>".to_owned(),
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

/// `kubectl describe endpointslice` (kubectl's `describeEndpointSliceV1`). As for Endpoints,
/// the controller's `last-change-trigger-time` annotation (a timestamp) is not shown.
pub fn describe_endpoint_slice(slice: &crate::sim::control::endpoints::SimEndpointSlice) -> String {
    let mut out = String::new();
    out.push_str(&format!("Name:\t{}\n", slice.name));
    out.push_str(&format!("Namespace:\t{}\n", slice.namespace));
    labels_multiline("Labels", &slice.labels, &mut out);
    out.push_str("Annotations:\t<none>\n");
    out.push_str(&format!("AddressType:\t{}\n", slice.address_type));
    if slice.ports.is_empty() {
        out.push_str("Ports: <unset>\n");
    } else {
        out.push_str("Ports:\n");
        out.push_str("  Name\tPort\tProtocol\n");
        out.push_str("  ----\t----\t--------\n");
        for port in &slice.ports {
            let name = if port.name.is_empty() {
                "<unset>"
            } else {
                port.name.as_str()
            };
            out.push_str(&format!("  {name}\t{}\t{}\n", port.port, port.protocol));
        }
    }
    if slice.endpoints.is_empty() {
        out.push_str("Endpoints: <none>\n");
    } else {
        out.push_str("Endpoints:\n");
        for endpoint in &slice.endpoints {
            let addresses = if endpoint.addresses.is_empty() {
                "<none>".to_owned()
            } else {
                endpoint.addresses.join(", ")
            };
            out.push_str(&format!("  - Addresses:\t{addresses}\n"));
            out.push_str("    Conditions:\n");
            out.push_str(&format!("      Ready:\t{}\n", endpoint.ready));
            out.push_str(&format!(
                "    Hostname:\t{}\n",
                endpoint.hostname.as_deref().unwrap_or("<unset>")
            ));
            if let Some(target) = &endpoint.target_ref {
                out.push_str(&format!(
                    "    TargetRef:\t{}/{}\n",
                    target.kind, target.name
                ));
            }
            out.push_str(&format!(
                "    NodeName:\t{}\n",
                endpoint.node_name.as_deref().unwrap_or("<unset>")
            ));
            out.push_str(&format!(
                "    Zone:\t{}\n",
                endpoint.zone.as_deref().unwrap_or("<unset>")
            ));
        }
    }
    out.push_str("Events:\t<none>\n");
    tabwriter(&out)
}

/// `kubectl get nodes` (kubectl's `printNode`): NAME, STATUS, ROLES, AGE, VERSION; `-o wide`
/// adds INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME.
///
/// The model's nodes are Ready (node conditions are not modelled) and run no kubelet, so
/// VERSION is the empty string kubectl prints for an empty `nodeInfo.kubeletVersion`, and the
/// wide columns print kubectl's `<unknown>` for an empty `nodeInfo`. ROLES are the
/// `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` value, sorted, or
/// `<none>` (`findNodeRoles`).
pub fn get_nodes(nodes: &[&crate::sim::control::workloads::SimNode], wide: bool) -> String {
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
                "<unknown>".to_owned(),
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
