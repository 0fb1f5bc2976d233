//! `svcscope get ... -o json`: the simulated objects as the API server returns them, in a `v1`
//! `List`.

use serde_json::{json, Map, Value};
use svcscope::sim::control::workloads::SimWorkload;

use svcscope::sim::control::admission;
use svcscope::sim::control::endpoints::{EndpointPort, SimEndpointSlice, SimEndpoints, TargetRef};
use svcscope::sim::control::workloads::{SimNode, SimPod, CONTROL_PLANE_LABEL};
use svcscope::sim::input::decode::IntOrString;
use svcscope::sim::input::objects::{LabelSelector, Service, WorkloadKind};
use svcscope::sim::kubectl::describe_pod;

/// `{"apiVersion":"v1","kind":"List","items":[...],"metadata":{"resourceVersion":""}}`.
pub fn list(items: Vec<Value>) -> Value {
    json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": { "resourceVersion": "" },
    })
}

fn insert_if(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

fn labels(map: &std::collections::BTreeMap<String, String>) -> Option<Value> {
    (!map.is_empty()).then(|| json!(map))
}

fn metadata(
    name: &str,
    namespace: &str,
    label_map: &std::collections::BTreeMap<String, String>,
) -> Map<String, Value> {
    let mut meta = Map::new();
    insert_if(&mut meta, "labels", labels(label_map));
    meta.insert("name".to_owned(), json!(name));
    meta.insert("namespace".to_owned(), json!(namespace));
    meta
}

/// A Service.
pub fn service(service: &Service) -> Value {
    let spec = &service.spec;
    let mut meta = metadata(
        &service.meta.name,
        &service.meta.namespace,
        &service.meta.labels,
    );
    insert_if(&mut meta, "annotations", labels(&service.meta.annotations));
    let mut body = Map::new();
    insert_if(
        &mut body,
        "allocateLoadBalancerNodePorts",
        spec.allocate_load_balancer_node_ports.map(Value::from),
    );
    insert_if(
        &mut body,
        "clusterIP",
        spec.cluster_ip.clone().map(Value::from),
    );
    if !spec.cluster_ips.is_empty() {
        body.insert("clusterIPs".to_owned(), json!(spec.cluster_ips));
    }
    insert_if(
        &mut body,
        "externalName",
        spec.external_name.clone().map(Value::from),
    );
    insert_if(
        &mut body,
        "externalTrafficPolicy",
        spec.external_traffic_policy.clone().map(Value::from),
    );
    insert_if(
        &mut body,
        "healthCheckNodePort",
        spec.health_check_node_port.map(Value::from),
    );
    insert_if(
        &mut body,
        "internalTrafficPolicy",
        spec.internal_traffic_policy.clone().map(Value::from),
    );
    if !spec.ip_families.is_empty() {
        body.insert("ipFamilies".to_owned(), json!(spec.ip_families));
    }
    insert_if(
        &mut body,
        "ipFamilyPolicy",
        spec.ip_family_policy.clone().map(Value::from),
    );
    let ports: Vec<Value> = spec
        .ports
        .iter()
        .map(|port| {
            let mut entry = Map::new();
            insert_if(&mut entry, "name", port.name.clone().map(Value::from));
            insert_if(&mut entry, "nodePort", port.node_port.map(Value::from));
            insert_if(&mut entry, "port", port.port.map(Value::from));
            insert_if(
                &mut entry,
                "protocol",
                port.protocol.clone().map(Value::from),
            );
            insert_if(
                &mut entry,
                "targetPort",
                port.target_port.as_ref().map(|target| match target {
                    IntOrString::Int(number) => json!(number),
                    IntOrString::String(name) => json!(name),
                }),
            );
            Value::Object(entry)
        })
        .collect();
    if !ports.is_empty() {
        body.insert("ports".to_owned(), Value::Array(ports));
    }
    insert_if(
        &mut body,
        "publishNotReadyAddresses",
        spec.publish_not_ready_addresses.map(Value::from),
    );
    insert_if(
        &mut body,
        "selector",
        spec.selector.as_ref().map(|selector| json!(selector)),
    );
    insert_if(
        &mut body,
        "sessionAffinity",
        spec.session_affinity.clone().map(Value::from),
    );
    insert_if(&mut body, "type", spec.type_.clone().map(Value::from));
    let ingress: Vec<Value> = service
        .load_balancer_ingress
        .iter()
        .map(|ingress| {
            let mut entry = Map::new();
            insert_if(
                &mut entry,
                "hostname",
                ingress.hostname.clone().map(Value::from),
            );
            insert_if(&mut entry, "ip", ingress.ip.clone().map(Value::from));
            Value::Object(entry)
        })
        .collect();
    let load_balancer = if ingress.is_empty() {
        json!({})
    } else {
        json!({ "ingress": ingress })
    };
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": body,
        "status": { "loadBalancer": load_balancer },
    })
}

/// A Pod.
pub fn pod(pod: &SimPod, node: Option<&SimNode>) -> Value {
    let mut meta = metadata(&pod.name, &pod.namespace, &pod.labels);
    if let Some((kind, name)) = &pod.owner {
        let api_version = if kind == "ReplicaSet" || kind == "StatefulSet" || kind == "DaemonSet" {
            "apps/v1"
        } else {
            "v1"
        };
        meta.insert(
            "ownerReferences".to_owned(),
            json!([{ "apiVersion": api_version, "blockOwnerDeletion": true, "controller": true, "kind": kind, "name": name }]),
        );
    }
    meta.insert("uid".to_owned(), json!(pod.uid));
    let containers: Vec<Value> = pod
        .spec
        .containers
        .iter()
        .map(|container| {
            let ports: Vec<Value> = container
                .ports
                .iter()
                .map(|port| {
                    let mut entry = Map::new();
                    insert_if(
                        &mut entry,
                        "containerPort",
                        port.container_port.map(Value::from),
                    );
                    insert_if(&mut entry, "name", port.name.clone().map(Value::from));
                    entry.insert(
                        "protocol".to_owned(),
                        json!(port.protocol.as_deref().unwrap_or("TCP")),
                    );
                    Value::Object(entry)
                })
                .collect();
            let mut entry = Map::new();
            entry.insert("image".to_owned(), json!(container.image));
            entry.insert("name".to_owned(), json!(container.name));
            if !ports.is_empty() {
                entry.insert("ports".to_owned(), Value::Array(ports));
            }
            Value::Object(entry)
        })
        .collect();
    let mut spec = Map::new();
    spec.insert("containers".to_owned(), Value::Array(containers));
    insert_if(
        &mut spec,
        "hostname",
        pod.spec.hostname.clone().map(Value::from),
    );
    insert_if(
        &mut spec,
        "nodeName",
        pod.node_name.clone().map(Value::from),
    );
    insert_if(
        &mut spec,
        "subdomain",
        pod.spec.subdomain.clone().map(Value::from),
    );
    // What admission adds (src/sim/describe_pod.rs).
    insert_if(
        &mut spec,
        "priority",
        admission::priority(pod).map(Value::from),
    );
    insert_if(
        &mut spec,
        "priorityClassName",
        pod.spec.priority_class_name.clone().map(Value::from),
    );
    spec.insert(
        "serviceAccountName".to_owned(),
        json!(describe_pod::service_account(pod)),
    );
    let tolerations: Vec<Value> = admission::tolerations(pod)
        .iter()
        .map(|toleration| {
            let mut entry = Map::new();
            for (key, value) in [
                ("effect", &toleration.effect),
                ("key", &toleration.key),
                ("operator", &toleration.operator),
                ("value", &toleration.value),
            ] {
                if !value.is_empty() {
                    entry.insert(key.to_owned(), json!(value));
                }
            }
            insert_if(
                &mut entry,
                "tolerationSeconds",
                toleration.seconds.map(Value::from),
            );
            Value::Object(entry)
        })
        .collect();
    spec.insert("tolerations".to_owned(), Value::Array(tolerations));
    let mut status = Map::new();
    let conditions: Vec<Value> = describe_pod::conditions(pod)
        .into_iter()
        .map(|(kind, status)| {
            // The scheduler's condition on a pod no node takes (schedule_one.go
            // `handleSchedulingFailure`: reason Unschedulable, the FitError as message).
            match pod
                .unschedulable
                .as_deref()
                .filter(|_| kind == "PodScheduled" && !status)
            {
                Some(message) => json!({ "message": message, "reason": "Unschedulable",
                                          "status": "False", "type": kind }),
                None => json!({ "status": if status { "True" } else { "False" }, "type": kind }),
            }
        })
        .collect();
    status.insert("conditions".to_owned(), Value::Array(conditions));
    if let Some(node) = node.filter(|_| pod.node_name.is_some()) {
        status.insert("hostIP".to_owned(), json!(node.internal_ip));
        status.insert("hostIPs".to_owned(), json!([{ "ip": node.internal_ip }]));
    }
    status.insert("phase".to_owned(), json!(describe_pod::phase(pod)));
    if let Some(ip) = &pod.ip {
        status.insert("podIP".to_owned(), json!(ip));
        let ips: Vec<Value> = pod
            .ips()
            .into_iter()
            .map(|ip| json!({ "ip": ip }))
            .collect();
        status.insert("podIPs".to_owned(), json!(ips));
    }
    status.insert("qosClass".to_owned(), json!(describe_pod::qos_class(pod)));
    json!({ "apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status })
}

fn target_ref(target: &TargetRef) -> Value {
    json!({ "kind": target.kind, "name": target.name, "namespace": target.namespace, "uid": target.uid })
}

fn ports(ports: &[EndpointPort]) -> Vec<Value> {
    ports
        .iter()
        .map(|port| {
            let mut entry = Map::new();
            insert_if(
                &mut entry,
                "appProtocol",
                port.app_protocol.clone().map(Value::from),
            );
            entry.insert("name".to_owned(), json!(port.name));
            entry.insert("port".to_owned(), json!(port.port));
            entry.insert("protocol".to_owned(), json!(port.protocol));
            Value::Object(entry)
        })
        .collect()
}

/// An EndpointSlice (`discovery.k8s.io/v1`).
pub fn endpoint_slice(slice: &SimEndpointSlice) -> Value {
    let mut meta = metadata(&slice.name, &slice.namespace, &slice.labels);
    if slice.name != slice.service {
        meta.insert(
            "generateName".to_owned(),
            json!(format!("{}-", slice.service)),
        );
    }
    let endpoints: Vec<Value> = slice
        .endpoints
        .iter()
        .map(|endpoint| {
            let mut entry = Map::new();
            entry.insert("addresses".to_owned(), json!(endpoint.addresses));
            entry.insert(
                "conditions".to_owned(),
                json!({ "ready": endpoint.ready, "serving": endpoint.serving, "terminating": endpoint.terminating }),
            );
            let names = |names: &[String]| -> Vec<Value> {
                names.iter().map(|name| json!({ "name": name })).collect()
            };
            let mut hints = Map::new();
            if !endpoint.for_nodes.is_empty() {
                hints.insert("forNodes".to_owned(), Value::Array(names(&endpoint.for_nodes)));
            }
            if !endpoint.for_zones.is_empty() {
                hints.insert("forZones".to_owned(), Value::Array(names(&endpoint.for_zones)));
            }
            if !hints.is_empty() {
                entry.insert("hints".to_owned(), Value::Object(hints));
            }
            insert_if(&mut entry, "hostname", endpoint.hostname.clone().map(Value::from));
            insert_if(&mut entry, "nodeName", endpoint.node_name.clone().map(Value::from));
            insert_if(&mut entry, "targetRef", endpoint.target_ref.as_ref().map(target_ref));
            insert_if(&mut entry, "zone", endpoint.zone.clone().map(Value::from));
            Value::Object(entry)
        })
        .collect();
    json!({
        "addressType": slice.address_type,
        "apiVersion": "discovery.k8s.io/v1",
        "endpoints": endpoints,
        "kind": "EndpointSlice",
        "metadata": meta,
        "ports": ports(&slice.ports),
    })
}

/// A legacy Endpoints object.
pub fn endpoints(object: &SimEndpoints) -> Value {
    let address = |address: &svcscope::sim::control::endpoints::EndpointAddress| {
        let mut entry = Map::new();
        insert_if(
            &mut entry,
            "hostname",
            address.hostname.clone().map(Value::from),
        );
        entry.insert("ip".to_owned(), json!(address.ip));
        insert_if(
            &mut entry,
            "nodeName",
            address.node_name.clone().map(Value::from),
        );
        insert_if(
            &mut entry,
            "targetRef",
            address.target_ref.as_ref().map(target_ref),
        );
        Value::Object(entry)
    };
    let subsets: Vec<Value> = object
        .subsets
        .iter()
        .map(|subset| {
            let mut entry = Map::new();
            if !subset.addresses.is_empty() {
                entry.insert(
                    "addresses".to_owned(),
                    Value::Array(subset.addresses.iter().map(address).collect()),
                );
            }
            if !subset.not_ready_addresses.is_empty() {
                entry.insert(
                    "notReadyAddresses".to_owned(),
                    Value::Array(subset.not_ready_addresses.iter().map(address).collect()),
                );
            }
            entry.insert("ports".to_owned(), Value::Array(ports(&subset.ports)));
            Value::Object(entry)
        })
        .collect();
    let mut body = Map::new();
    body.insert("apiVersion".to_owned(), json!("v1"));
    body.insert("kind".to_owned(), json!("Endpoints"));
    body.insert(
        "metadata".to_owned(),
        Value::Object(metadata(&object.name, &object.namespace, &object.labels)),
    );
    if !subsets.is_empty() {
        body.insert("subsets".to_owned(), Value::Array(subsets));
    }
    Value::Object(body)
}

/// `-o yaml`: the same objects in the block style `kubectl get -o yaml` prints (go-yaml v2, as
/// sigs.k8s.io/yaml emits it: sequence items at their key's indentation, strings quoted only
/// when they would read as something else).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    emit(value, 0, &mut out);
    out
}

fn emit(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                out.push_str(&format!("{pad}{}:", scalar(key)));
                emit_child(child, indent, true, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // The first key goes on the dash's line.
                        let mut first = true;
                        for (key, child) in map {
                            if first {
                                out.push_str(&format!(" {}:", scalar(key)));
                                first = false;
                            } else {
                                out.push_str(&format!("{pad}  {}:", scalar(key)));
                            }
                            emit_child(child, indent + 2, true, out);
                        }
                    }
                    other => emit_child(other, indent, false, out),
                }
            }
        }
        other => {
            out.push_str(&format!("{pad}{}\n", leaf(other)));
        }
    }
}

/// Emits `child` after a `key:` (or `-`): inline when it is a scalar or empty collection,
/// on the following lines otherwise (maps indented by two, sequences at the key's level).
fn emit_child(child: &Value, indent: usize, after_key: bool, out: &mut String) {
    match child {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            emit(child, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            emit(child, if after_key { indent } else { indent + 2 }, out);
        }
        other => out.push_str(&format!(" {}\n", leaf(other))),
    }
}

fn leaf(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => scalar(text),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A string as go-yaml v2 writes it: plain when it reads back as the same string, otherwise
/// double-quoted.
fn scalar(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let special_word = matches!(
        lower.as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    );
    let numeric = text.parse::<f64>().is_ok()
        || text.starts_with("0x")
        || text.starts_with("0o")
        || lower == ".inf"
        || lower == "-.inf"
        || lower == ".nan";
    let first = text.chars().next().unwrap_or(' ');
    let bad_start = "-?:,[]{}#&*!|>'\"%@` ".contains(first);
    let bad_inside = text.contains(": ")
        || text.contains(" #")
        || text.ends_with(' ')
        || text.ends_with(':')
        || text.chars().any(char::is_control);
    if special_word || numeric || bad_start || bad_inside {
        format!("{text:?}")
    } else {
        text.to_owned()
    }
}

/// A node: labels, pod CIDR, the control-plane taint, addresses and the Ready condition (the
/// model's nodes are Ready).
pub fn node(node: &SimNode) -> Value {
    let mut meta = Map::new();
    insert_if(&mut meta, "labels", labels(&node.labels));
    meta.insert("name".to_owned(), json!(node.name));
    let cidr = node.pod_cidr.to_string();
    let mut spec = Map::new();
    spec.insert("podCIDR".to_owned(), json!(cidr));
    let cidrs: Vec<String> = std::iter::once(node.pod_cidr)
        .chain(node.secondary_pod_cidr)
        .map(|cidr| cidr.to_string())
        .collect();
    spec.insert("podCIDRs".to_owned(), json!(cidrs));
    if node.control_plane {
        spec.insert(
            "taints".to_owned(),
            json!([{ "effect": "NoSchedule", "key": CONTROL_PLANE_LABEL }]),
        );
    }
    if node.unschedulable {
        spec.insert("unschedulable".to_owned(), json!(true));
    }
    let addresses: Vec<Value> = std::iter::once(&node.internal_ip)
        .chain(node.secondary_internal_ip.iter())
        .map(|ip| json!({ "address": ip, "type": "InternalIP" }))
        .chain([json!({ "address": node.name, "type": "Hostname" })])
        .collect();
    let status = json!({
        "addresses": addresses,
        "conditions": [{ "status": "True", "type": "Ready" }],
    });
    json!({ "apiVersion": "v1", "kind": "Node", "metadata": meta, "spec": spec, "status": status })
}

fn selector(selector: &LabelSelector) -> Value {
    let mut map = Map::new();
    if !selector.match_expressions.is_empty() {
        let expressions: Vec<Value> = selector
            .match_expressions
            .iter()
            .map(|requirement| {
                let mut entry = Map::new();
                entry.insert("key".to_owned(), json!(requirement.key));
                entry.insert("operator".to_owned(), json!(requirement.operator));
                if !requirement.values.is_empty() {
                    entry.insert("values".to_owned(), json!(requirement.values));
                }
                Value::Object(entry)
            })
            .collect();
        map.insert("matchExpressions".to_owned(), Value::Array(expressions));
    }
    if !selector.match_labels.is_empty() {
        map.insert("matchLabels".to_owned(), json!(selector.match_labels));
    }
    Value::Object(map)
}

/// A Deployment, ReplicaSet, StatefulSet or DaemonSet as accepted, with the status its
/// controller reports from the simulated pods (`replicas`, `readyReplicas`, ... or a
/// DaemonSet's `desiredNumberScheduled`, ...).
pub fn workload(workload: &SimWorkload, pods: &[SimPod]) -> Value {
    let accepted = &workload.spec;
    let owned: Vec<&SimPod> = pods
        .iter()
        .filter(|pod| {
            pod.namespace == workload.namespace && pod.owner.as_ref() == Some(&workload.pod_owner)
        })
        .collect();
    let ready = owned
        .iter()
        .filter(|pod| pod.ready && pod.ip.is_some())
        .count();
    let mut meta = metadata(&workload.name, &workload.namespace, &accepted.meta.labels);
    if !accepted.meta.annotations.is_empty() {
        meta.insert("annotations".to_owned(), json!(accepted.meta.annotations));
    }
    let mut spec = Map::new();
    if workload.kind != WorkloadKind::DaemonSet {
        spec.insert("replicas".to_owned(), json!(accepted.replicas.unwrap_or(1)));
    }
    if let Some(value) = &accepted.selector {
        spec.insert("selector".to_owned(), selector(value));
    }
    if let Some(name) = &accepted.service_name {
        spec.insert("serviceName".to_owned(), json!(name));
    }
    let mut template_meta = Map::new();
    insert_if(
        &mut template_meta,
        "labels",
        labels(&accepted.template.meta.labels),
    );
    let containers: Vec<Value> = accepted
        .template
        .spec
        .containers
        .iter()
        .map(|container| json!({ "image": container.image, "name": container.name }))
        .collect();
    spec.insert(
        "template".to_owned(),
        json!({ "metadata": template_meta, "spec": { "containers": containers } }),
    );
    // Zero counts follow the Go types' `omitempty` tags (apps/v1 types.go).
    let count = |value: usize| (value > 0).then(|| json!(value));
    let mut status = Map::new();
    match workload.kind {
        WorkloadKind::DaemonSet => {
            status.insert("currentNumberScheduled".to_owned(), json!(owned.len()));
            status.insert("desiredNumberScheduled".to_owned(), json!(workload.desired));
            insert_if(&mut status, "numberAvailable", count(ready));
            status.insert("numberReady".to_owned(), json!(ready));
        }
        WorkloadKind::Deployment => {
            insert_if(&mut status, "availableReplicas", count(ready));
            insert_if(&mut status, "readyReplicas", count(ready));
            insert_if(&mut status, "replicas", count(owned.len()));
        }
        WorkloadKind::ReplicaSet => {
            insert_if(&mut status, "availableReplicas", count(ready));
            insert_if(&mut status, "readyReplicas", count(ready));
            status.insert("replicas".to_owned(), json!(owned.len()));
        }
        WorkloadKind::StatefulSet => {
            status.insert("availableReplicas".to_owned(), json!(ready));
            insert_if(&mut status, "readyReplicas", count(ready));
            status.insert("replicas".to_owned(), json!(owned.len()));
        }
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": workload.kind.as_str(),
        "metadata": meta,
        "spec": spec,
        "status": status,
    })
}
