//! `kubectl describe` of Services, Endpoints and EndpointSlices, line for line as kubectl's
//! describers print them.

use std::collections::BTreeMap;

use crate::sim::input::decode::IntOrString;
use crate::sim::input::objects::Service;
use crate::sim::kubectl::get::selector_text;
use crate::sim::kubectl::tabwriter::tabwriter;

/// The `targetPort` as `kubectl describe` prints it: `8080/TCP`, `http/TCP`.
pub fn target_port_text(target: Option<&IntOrString>, protocol: &str) -> String {
    match target {
        Some(target) => format!("{target}/{protocol}"),
        None => format!("<unset>/{protocol}"),
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

/// kubectl describe's `maxAnnotationLen`.
const MAX_ANNOTATION_LEN: usize = 140;
