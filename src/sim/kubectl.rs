//! Output as `kubectl` prints it, from the simulated cluster.

use super::apiserver::is_headless;
use super::decode::IntOrString;
use super::objects::Service;

/// Columns separated by three spaces, as kubectl's tabwriter (padding 3) prints them.
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
        out.push_str(line.trim_end());
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
fn ports_column(service: &Service) -> String {
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
    Some(
        selector
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// The `targetPort` as `kubectl describe` prints it: `8080/TCP`, `http/TCP`.
pub fn target_port_text(target: Option<&IntOrString>, protocol: &str) -> String {
    match target {
        Some(target) => format!("{target}/{protocol}"),
        None => format!("<unset>/{protocol}"),
    }
}
