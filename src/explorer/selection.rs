//! What a reader selected on the picture, and what the page says about it: the YAML lines it
//! came from, what it selects or is selected by (lit on the picture), and, between a Service
//! and a pod, why the pod is or is not an endpoint, each reason pointing at its YAML line.
//!
//! The reasons follow the EndpointSlice controller's own tests, in its order
//! (kubernetes/kubernetes `pkg/controller/endpointslice/reconciler.go` and
//! `staging/src/k8s.io/endpointslice/utils.go` `podToEndpoint`): a pod of the Service's
//! namespace whose labels the selector matches, not finished, with an IP, on a known node, is an
//! endpoint; each Service port's `targetPort` is resolved against its container ports (a named
//! one it does not have leaves it out of that port only); its conditions are `ready` =
//! Ready and not terminating (or the Service's `publishNotReadyAddresses`), `serving` = Ready,
//! `terminating`. The verdict itself is read from the model's EndpointSlices, never guessed:
//! the reasons explain what the slices hold.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::sim::control::apiserver::is_headless;
use crate::sim::control::cluster::Cluster;
use crate::sim::control::endpoints::{
    find_port, has_managed_endpoints, SimEndpointSlice, SliceEndpoint,
};
use crate::sim::control::workloads::SimPod;
use crate::sim::input::decode::IntOrString;
use crate::sim::input::labels::{labels_text, map_selector_matches};
use crate::sim::input::objects::Service;
use crate::sim::input::yaml::{Node, Value};
use crate::sim::key::ObjectKey;

/// Most pods (or Services) one selection lists reasons for; the rest are counted.
pub const VERDICTS_SHOWN: usize = 30;

/// What can be selected on the picture.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Selected {
    /// A Service.
    Service(ObjectKey),
    /// An EndpointSlice.
    Slice(ObjectKey),
    /// A pod.
    Pod(ObjectKey),
    /// A node, by name.
    Node(String),
    /// The pods of one workload drawn as one box at scale (`ReplicaSet default/web-6d4cf`,
    /// `Pod default/bare` for a bare pod): selected, the box opens in place.
    Group(String),
}

impl Selected {
    /// How the page and share links write it: `Service/default/web`, `EndpointSlice/...`,
    /// `Pod/...`, `Node/node-1` (as diagnostics name objects).
    pub fn id(&self) -> String {
        match self {
            Selected::Service(key) => format!("Service/{key}"),
            Selected::Slice(key) => format!("EndpointSlice/{key}"),
            Selected::Pod(key) => format!("Pod/{key}"),
            Selected::Node(name) => format!("Node/{name}"),
            Selected::Group(owner) => format!("Group/{owner}"),
        }
    }

    /// Reads what [`Selected::id`] writes; `None` for anything else (an empty or damaged id).
    pub fn parse(id: &str) -> Option<Selected> {
        let (kind, rest) = id.split_once('/')?;
        if kind == "Node" {
            return (!rest.is_empty()).then(|| Selected::Node(rest.to_owned()));
        }
        if kind == "Group" {
            return (!rest.is_empty()).then(|| Selected::Group(rest.to_owned()));
        }
        let (namespace, name) = rest.split_once('/')?;
        if namespace.is_empty() || name.is_empty() {
            return None;
        }
        let key = ObjectKey::new(namespace, name);
        match kind {
            "Service" => Some(Selected::Service(key)),
            "EndpointSlice" => Some(Selected::Slice(key)),
            "Pod" => Some(Selected::Pod(key)),
            _ => None,
        }
    }
}

/// What the selection selects or is selected by: lit on the picture.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Related {
    /// Services.
    pub services: BTreeSet<ObjectKey>,
    /// EndpointSlices.
    pub slices: BTreeSet<ObjectKey>,
    /// Pods.
    pub pods: BTreeSet<ObjectKey>,
    /// Nodes.
    pub nodes: BTreeSet<String>,
}

impl Related {
    /// Whether `selected` is among them.
    pub fn has(&self, selected: &Selected) -> bool {
        match selected {
            Selected::Service(key) => self.services.contains(key),
            Selected::Slice(key) => self.slices.contains(key),
            Selected::Pod(key) => self.pods.contains(key),
            Selected::Node(name) => self.nodes.contains(name),
            Selected::Group(_) => false,
        }
    }
}

/// The group a pod is drawn in at scale: its controller (`ReplicaSet default/web-6d4cf`), or
/// itself (`Pod default/bare`).
pub fn owner_of(pod: &SimPod) -> String {
    match &pod.owner {
        Some((kind, name)) => format!("{kind} {}/{name}", pod.namespace),
        None => format!("Pod {}/{}", pod.namespace, pod.name),
    }
}

fn service_key(service: &Service) -> ObjectKey {
    ObjectKey::new(service.meta.namespace_or_default(), &service.meta.name)
}

fn pod_key(pod: &SimPod) -> ObjectKey {
    ObjectKey::new(&pod.namespace, &pod.name)
}

/// Whether `service`'s selector picks `pod` (its namespace, every term; a Service without
/// managed endpoints picks nothing, as the endpoint controllers ignore an ExternalName
/// Service's selector).
pub fn selects(service: &Service, pod: &SimPod) -> bool {
    service.meta.namespace_or_default() == pod.namespace
        && has_managed_endpoints(service)
        && service.spec.selector.as_ref().is_some_and(|selector| {
            !selector.is_empty() && map_selector_matches(selector, &pod.labels)
        })
}

/// The slice endpoint that stands for `pod`: its targetRef, or its address.
fn endpoint_of<'c>(slice: &'c SimEndpointSlice, pod: &SimPod) -> Option<&'c SliceEndpoint> {
    if slice.namespace != pod.namespace {
        return None;
    }
    slice
        .endpoints
        .iter()
        .find(|endpoint| match &endpoint.target_ref {
            Some(target) => target.kind == "Pod" && target.name == pod.name,
            None => pod
                .ip
                .as_ref()
                .is_some_and(|ip| endpoint.addresses.contains(ip)),
        })
}

fn slices_of<'c>(cluster: &'c Cluster, service: &ObjectKey) -> Vec<&'c SimEndpointSlice> {
    cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.namespace == service.namespace && slice.service == service.name)
        .collect()
}

/// What `selected` selects or is selected by: a Service its slices and the pods it selects or
/// lists; a slice its Service and its endpoints' pods; a pod the Services that select it, the
/// slices that list it and its node; a node its pods.
pub fn related(cluster: &Cluster, selected: &Selected) -> Related {
    let mut related = Related::default();
    match selected {
        Selected::Service(key) => {
            let slices = slices_of(cluster, key);
            related.slices.extend(
                slices
                    .iter()
                    .map(|slice| ObjectKey::new(&slice.namespace, &slice.name)),
            );
            let service = cluster
                .services
                .iter()
                .find(|service| service_key(service) == *key);
            for pod in &cluster.pods {
                let listed = slices.iter().any(|slice| endpoint_of(slice, pod).is_some());
                if listed || service.is_some_and(|service| selects(service, pod)) {
                    related.pods.insert(pod_key(pod));
                }
            }
        }
        Selected::Slice(key) => {
            if let Some(slice) = cluster
                .endpoint_slices
                .iter()
                .find(|slice| slice.namespace == key.namespace && slice.name == key.name)
            {
                related
                    .services
                    .insert(ObjectKey::new(&slice.namespace, &slice.service));
                for pod in &cluster.pods {
                    if endpoint_of(slice, pod).is_some() {
                        related.pods.insert(pod_key(pod));
                    }
                }
            }
        }
        Selected::Pod(key) => {
            if let Some(pod) = cluster.pods.iter().find(|pod| pod_key(pod) == *key) {
                for service in &cluster.services {
                    if selects(service, pod) {
                        related.services.insert(service_key(service));
                    }
                }
                for slice in &cluster.endpoint_slices {
                    if endpoint_of(slice, pod).is_some() {
                        related
                            .slices
                            .insert(ObjectKey::new(&slice.namespace, &slice.name));
                        related
                            .services
                            .insert(ObjectKey::new(&slice.namespace, &slice.service));
                    }
                }
                related.nodes.extend(pod.node_name.iter().cloned());
            }
        }
        Selected::Node(name) => {
            for pod in &cluster.pods {
                if pod.node_name.as_deref() == Some(name.as_str()) {
                    related.pods.insert(pod_key(pod));
                }
            }
        }
        Selected::Group(owner) => {
            for pod in cluster.pods.iter().filter(|pod| owner_of(pod) == *owner) {
                related.pods.insert(pod_key(pod));
            }
        }
    }
    related
}

/// One reason, and whether it speaks for the endpoint (`holds`) or against it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// For (true) or against (false).
    pub holds: bool,
    /// Plain words.
    pub text: String,
    /// The YAML line it points at (1-based), when the input has one.
    pub line: Option<usize>,
}

/// Whether one pod is an endpoint of one Service, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The Service (`namespace/name`).
    pub service: String,
    /// The pod (`namespace/name`).
    pub pod: String,
    /// What the Service's EndpointSlices hold for it: `endpoint, ready`, `endpoint, not
    /// ready`, `endpoint, terminating`, `not an endpoint`.
    pub outcome: String,
    /// Whether it is in a slice at all.
    pub endpoint: bool,
    /// Whether that endpoint is ready (traffic goes to it).
    pub ready: bool,
    /// The controller's tests, in its order.
    pub reasons: Vec<Reason>,
}

/// What the inspector shows about the selection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionView {
    /// What was selected, as [`Selected::id`] writes it.
    pub id: String,
    /// `Service default/web`.
    pub title: String,
    /// A few lines of facts.
    pub facts: Vec<String>,
    /// Where it came from in the YAML: `(first, last)` line, 1-based.
    pub lines: Option<(usize, usize)>,
    /// Where those lines are, in words (`the Deployment web's pod template`), or why there are
    /// none (`made by the EndpointSlice controller`).
    pub source: String,
    /// Pod by pod (for a Service) or Service by Service (for a pod): endpoint or not, and why.
    pub verdicts: Vec<Verdict>,
    /// How many more were not listed.
    pub more: usize,
    /// The name DNS can be asked for (a Service).
    pub dns_name: Option<String>,
    /// The pod a question or packet can start from (a pod).
    pub pod: Option<ObjectKey>,
}

/// The key node and value of `key` in a mapping.
fn entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
    match &node.value {
        Value::Mapping(entries) => entries
            .iter()
            .rev()
            .find(|(candidate, _)| candidate.scalar_text() == Some(key))
            .map(|(key, value)| (key, value)),
        _ => None,
    }
}

/// The line of `key` in the mapping at `path` (keys, one per level) under `node`.
fn key_line(node: &Node, path: &[&str]) -> Option<usize> {
    let (last, parents) = path.split_last()?;
    let mut at = node;
    for key in parents {
        at = at.get(key)?;
    }
    entry(at, last).map(|(key, _)| key.line)
}

/// The last line a node's text reaches (its deepest last descendant's line).
fn last_line(node: &Node) -> usize {
    let mut last = node.line;
    let mut pending = vec![node];
    while let Some(node) = pending.pop() {
        last = last.max(node.line);
        match &node.value {
            Value::Sequence(items) => pending.extend(items.iter()),
            Value::Mapping(entries) => {
                for (key, value) in entries {
                    last = last.max(key.line);
                    pending.push(value);
                }
            }
            _ => {}
        }
    }
    last
}

/// The YAML of the input object `kind/namespace/name` (namespace empty: cluster-scoped).
fn source<'c>(cluster: &'c Cluster, kind: &str, namespace: &str, name: &str) -> Option<&'c Node> {
    cluster
        .objects
        .iter()
        .find(|object| object.kind == kind && object.namespace == namespace && object.name == name)
        .and_then(|object| object.source.as_ref())
}

/// Where a pod's labels, annotations and containers are written: its workload's pod template
/// (the Deployment's for a ReplicaSet it made) or the input pod itself, with its lines and
/// their description.
fn pod_source<'c>(
    cluster: &'c Cluster,
    pod: &SimPod,
) -> Option<(&'c Node, (usize, usize), String)> {
    let Some((kind, owner)) = &pod.owner else {
        let root = source(cluster, "Pod", &pod.namespace, &pod.name)?;
        return Some((
            root,
            (root.line, last_line(root)),
            "the pod itself".to_owned(),
        ));
    };
    let (kind, name) = match cluster
        .workloads
        .iter()
        .find(|workload| {
            workload.kind.as_str() == kind
                && &workload.name == owner
                && workload.namespace == pod.namespace
        })
        .and_then(|workload| workload.owner.as_ref())
    {
        Some(deployment) => ("Deployment", deployment.as_str()),
        None => (kind.as_str(), owner.as_str()),
    };
    let root = source(cluster, kind, &pod.namespace, name)?;
    let (key, template) = entry(root.get("spec")?, "template")?;
    Some((
        template,
        (key.line, last_line(template)),
        format!("the {kind} {name}'s pod template"),
    ))
}

/// The line of the container port a resolved `targetPort` names or numbers, in a pod's source.
fn container_port_line(
    pod_source: Option<&Node>,
    target: &IntOrString,
    number: i64,
) -> Option<usize> {
    let spec = pod_source?.get("spec")?;
    let mut lists = Vec::new();
    for key in ["containers", "initContainers"] {
        if let Some(Value::Sequence(containers)) = spec.get(key).map(|node| &node.value) {
            lists.extend(containers.iter());
        }
    }
    for container in lists {
        let Some(Value::Sequence(ports)) = container.get("ports").map(|node| &node.value) else {
            continue;
        };
        for port in ports {
            let found = match target {
                IntOrString::String(name) => {
                    port.get("name").and_then(Node::scalar_text) == Some(name.as_str())
                }
                IntOrString::Int(_) => {
                    port.get("containerPort").and_then(Node::scalar_text)
                        == Some(number.to_string().as_str())
                }
            };
            if found {
                return key_line(port, &["containerPort"]).or(Some(port.line));
            }
        }
    }
    None
}

/// Why `pod` is or is not an endpoint of `service`, with what the slices hold.
pub fn verdict(cluster: &Cluster, service: &Service, pod: &SimPod) -> Verdict {
    let key = service_key(service);
    let service_yaml = source(cluster, "Service", &key.namespace, &key.name);
    let pod_yaml = pod_source(cluster, pod);
    let pod_node = pod_yaml.as_ref().map(|(node, _, _)| *node);
    let service_line = |path: &[&str]| service_yaml.and_then(|root| key_line(root, path));
    let pod_line = |path: &[&str]| pod_node.and_then(|root| key_line(root, path));
    let mut reasons = Vec::new();
    let mut say = |holds: bool, text: String, line: Option<usize>| {
        reasons.push(Reason { holds, text, line });
    };
    let found = slices_of(cluster, &key)
        .into_iter()
        .find_map(|slice| endpoint_of(slice, pod));
    let (outcome, endpoint, ready) = match found {
        Some(endpoint) if endpoint.ready => ("endpoint, ready", true, true),
        Some(endpoint) if endpoint.terminating => ("endpoint, terminating", true, false),
        Some(_) => ("endpoint, not ready", true, false),
        None => ("not an endpoint", false, false),
    };
    let mut matched = pod.namespace == key.namespace;
    if !matched {
        say(
            false,
            format!(
                "in namespace {}: a Service selects only pods of its own namespace ({})",
                pod.namespace, key.namespace
            ),
            None,
        );
    }
    let selector = service.spec.selector.clone().unwrap_or_default();
    if service.spec.type_.as_deref() == Some("ExternalName") {
        matched = false;
        say(
            false,
            "an ExternalName Service ignores its selector: it has no endpoints".to_owned(),
            service_line(&["spec", "type"]),
        );
    } else if selector.is_empty() {
        matched = false;
        say(
            false,
            "the Service has no selector: no controller manages its endpoints".to_owned(),
            service_line(&["spec"]),
        );
    }
    for (label, wanted) in &selector {
        let selector_line = service_line(&["spec", "selector", label]);
        match pod.labels.get(label) {
            Some(value) if value == wanted => say(
                true,
                format!("label {label}={wanted}, as the selector asks"),
                pod_line(&["metadata", "labels", label]).or(selector_line),
            ),
            Some(value) => {
                matched = false;
                say(
                    false,
                    format!("label {label}={value}, but the selector asks for {label}={wanted}"),
                    pod_line(&["metadata", "labels", label]).or(selector_line),
                );
            }
            None => {
                matched = false;
                say(
                    false,
                    format!("no label {label}: the selector asks for {label}={wanted}"),
                    selector_line,
                );
            }
        }
    }
    if matched {
        if pod.is_terminal() {
            say(
                false,
                format!(
                    "phase {}: a pod that has finished is never an endpoint",
                    pod.phase.as_deref().unwrap_or("")
                ),
                pod_line(&["status", "phase"]),
            );
        }
        match &pod.ip {
            None => say(
                false,
                "no IP yet (not scheduled, or not started): nothing to list".to_owned(),
                None,
            ),
            Some(ip) => say(true, format!("IP {ip}"), None),
        }
        for (index, port) in service.spec.ports.iter().enumerate() {
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            let shown = port
                .name
                .clone()
                .filter(|name| !name.is_empty())
                .unwrap_or_else(|| port.port.unwrap_or(0).to_string());
            let target_line = || {
                service_yaml.and_then(|root| {
                    let ports = root.get("spec")?.get("ports")?;
                    match &ports.value {
                        Value::Sequence(items) => {
                            let item = items.get(index)?;
                            key_line(item, &["targetPort"]).or(Some(item.line))
                        }
                        _ => None,
                    }
                })
            };
            let target = port
                .target_port
                .clone()
                .unwrap_or(IntOrString::Int(port.port.unwrap_or(0)));
            match find_port(pod, Some(&target), protocol) {
                Some(number) => say(
                    true,
                    match &target {
                        IntOrString::String(name) => format!(
                            "port {shown}: targetPort {name} is container port {number}/{protocol}"
                        ),
                        IntOrString::Int(_) => {
                            format!("port {shown}: targetPort {number}/{protocol}")
                        }
                    },
                    container_port_line(pod_node, &target, number).or_else(target_line),
                ),
                None => say(
                    false,
                    format!(
                        "port {shown}: targetPort {} is no container port name of this pod: the \
                         endpoint is left out of this port",
                        match &target {
                            IntOrString::String(name) => name.clone(),
                            IntOrString::Int(number) => number.to_string(),
                        }
                    ),
                    target_line(),
                ),
            }
        }
        let annotation = pod_line(&["metadata", "annotations", "svcscope.dev/ready"]);
        if service.spec.publish_not_ready_addresses == Some(true) {
            say(
                true,
                "publishNotReadyAddresses: listed as ready whether or not the pod is Ready"
                    .to_owned(),
                service_line(&["spec", "publishNotReadyAddresses"]),
            );
        } else if pod.terminating {
            say(
                false,
                format!(
                    "terminating: kept with ready: false, serving: {}, terminating: true",
                    pod.ready
                ),
                None,
            );
        } else if pod.ready {
            say(
                true,
                "Ready: the endpoint is ready and gets traffic".to_owned(),
                None,
            );
        } else {
            say(
                false,
                if pod.passes_readiness {
                    "not Ready yet (the kubelet has not reported it): listed with ready: false, \
                     no traffic"
                        .to_owned()
                } else {
                    "not Ready (its readiness probe fails): listed with ready: false, \
                     kube-proxy sends it no traffic"
                        .to_owned()
                },
                annotation,
            );
        }
        if found.is_none() && pod.ip.is_some() && !pod.is_terminal() {
            say(
                false,
                "left out by the controller: its node is not one the cluster knows".to_owned(),
                None,
            );
        }
    }
    Verdict {
        service: key.to_string(),
        pod: pod_key(pod).to_string(),
        outcome: outcome.to_owned(),
        endpoint,
        ready,
        reasons,
    }
}

/// The name DNS answers for a Service, as a pod of `default` would ask it.
fn dns_name(key: &ObjectKey) -> String {
    if key.namespace == "default" {
        key.name.clone()
    } else {
        format!("{}.{}", key.name, key.namespace)
    }
}

/// What the inspector says about `selected`; `None` when it is no longer in the cluster.
pub fn describe(cluster: &Cluster, selected: &Selected) -> Option<SelectionView> {
    let mut view = SelectionView {
        id: selected.id(),
        title: String::new(),
        facts: Vec::new(),
        lines: None,
        source: String::new(),
        verdicts: Vec::new(),
        more: 0,
        dns_name: None,
        pod: None,
    };
    match selected {
        Selected::Service(key) => {
            let service = cluster
                .services
                .iter()
                .find(|service| service_key(service) == *key)?;
            view.title = format!("Service {key}");
            let spec = &service.spec;
            let kind = spec.type_.clone().unwrap_or_else(|| "ClusterIP".to_owned());
            view.facts.push(format!(
                "type {kind}, {}",
                if kind == "ExternalName" {
                    format!("CNAME {}", spec.external_name.as_deref().unwrap_or(""))
                } else if is_headless(spec) {
                    "no virtual IP (headless)".to_owned()
                } else {
                    format!("cluster IP {}", spec.cluster_ip.as_deref().unwrap_or(""))
                }
            ));
            for port in &spec.ports {
                view.facts.push(format!(
                    "port {}{} \u{2192} targetPort {}{}",
                    port.port.unwrap_or(0),
                    port.protocol
                        .as_deref()
                        .map(|protocol| format!("/{protocol}"))
                        .unwrap_or_default(),
                    match &port.target_port {
                        Some(IntOrString::String(name)) => name.clone(),
                        Some(IntOrString::Int(number)) => number.to_string(),
                        None => port.port.unwrap_or(0).to_string(),
                    },
                    port.node_port
                        .map(|node_port| format!(", nodePort {node_port}"))
                        .unwrap_or_default()
                ));
            }
            view.facts.push(match &spec.selector {
                Some(selector) if !selector.is_empty() => {
                    format!("selector {}", labels_text(selector, ","))
                }
                _ => "no selector".to_owned(),
            });
            match source(cluster, "Service", &key.namespace, &key.name) {
                Some(root) => {
                    view.lines = Some((root.line, last_line(root)));
                    view.source = "its YAML".to_owned();
                }
                None => view.source = "made by the cluster (no YAML)".to_owned(),
            }
            view.dns_name = Some(dns_name(key));
            // The pods of its namespace: those it selects or lists first, then the others.
            let related = related(cluster, selected);
            let (first, rest): (Vec<&SimPod>, Vec<&SimPod>) = cluster
                .pods
                .iter()
                .filter(|pod| pod.namespace == key.namespace)
                .partition(|pod| related.pods.contains(&pod_key(pod)));
            let considered: Vec<&SimPod> = first.into_iter().chain(rest).collect();
            view.more = considered.len().saturating_sub(VERDICTS_SHOWN);
            view.verdicts = considered
                .into_iter()
                .take(VERDICTS_SHOWN)
                .map(|pod| verdict(cluster, service, pod))
                .collect();
        }
        Selected::Slice(key) => {
            let slice = cluster
                .endpoint_slices
                .iter()
                .find(|slice| slice.namespace == key.namespace && slice.name == key.name)?;
            view.title = format!("EndpointSlice {key}");
            let ready = slice
                .endpoints
                .iter()
                .filter(|endpoint| endpoint.ready)
                .count();
            view.facts
                .push(format!("addressType {}", slice.address_type));
            view.facts.push(format!("Service {}", slice.service));
            view.facts.push(format!(
                "{} endpoint{}, {ready} ready",
                slice.endpoints.len(),
                if slice.endpoints.len() == 1 { "" } else { "s" }
            ));
            for port in &slice.ports {
                view.facts.push(format!(
                    "port {}{}/{}",
                    if port.name.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", port.name)
                    },
                    port.port,
                    port.protocol
                ));
            }
            match source(cluster, "EndpointSlice", &key.namespace, &key.name) {
                Some(root) => {
                    view.lines = Some((root.line, last_line(root)));
                    view.source = "its YAML".to_owned();
                }
                None => {
                    view.source =
                        "made by the EndpointSlice controller from its Service's selector"
                            .to_owned();
                    if let Some(root) = source(cluster, "Service", &key.namespace, &slice.service) {
                        view.lines = Some((root.line, last_line(root)));
                        view.source.push_str(" (the lines are the Service's)");
                    }
                }
            }
        }
        Selected::Pod(key) => {
            let pod = cluster.pods.iter().find(|pod| pod_key(pod) == *key)?;
            view.title = format!("Pod {key}");
            view.facts.push(format!(
                "{}, {}",
                pod.ip.as_deref().unwrap_or("no IP yet"),
                if pod.terminating {
                    "Terminating"
                } else if pod.ready {
                    "Ready"
                } else {
                    "not Ready"
                }
            ));
            view.facts.push(format!(
                "node {}",
                pod.node_name.as_deref().unwrap_or("none (not scheduled)")
            ));
            view.facts.push(if pod.labels.is_empty() {
                "no labels".to_owned()
            } else {
                format!("labels {}", labels_text(&pod.labels, ","))
            });
            match pod_source(cluster, pod) {
                Some((_, lines, words)) => {
                    view.lines = Some(lines);
                    view.source = words;
                }
                None => view.source = "made by the cluster (no YAML)".to_owned(),
            }
            view.pod = Some(key.clone());
            // The Services of its namespace that select it first, then the others.
            let (first, rest): (Vec<&Service>, Vec<&Service>) = cluster
                .services
                .iter()
                .filter(|service| {
                    service.meta.namespace_or_default() == pod.namespace
                        && has_managed_endpoints(service)
                        && service
                            .spec
                            .selector
                            .as_ref()
                            .is_some_and(|selector| !selector.is_empty())
                })
                .partition(|service| selects(service, pod));
            let considered: Vec<&Service> = first.into_iter().chain(rest).collect();
            view.more = considered.len().saturating_sub(VERDICTS_SHOWN);
            view.verdicts = considered
                .into_iter()
                .take(VERDICTS_SHOWN)
                .map(|service| verdict(cluster, service, pod))
                .collect();
        }
        Selected::Group(owner) => {
            let pods: Vec<&SimPod> = cluster
                .pods
                .iter()
                .filter(|pod| owner_of(pod) == *owner)
                .collect();
            let first = pods.first()?;
            view.title = format!("{owner}: {} pods", pods.len());
            let ready = pods
                .iter()
                .filter(|pod| pod.ready && pod.ip.is_some())
                .count();
            view.facts
                .push(format!("{ready} ready, {} not ready", pods.len() - ready));
            view.facts
                .push("drawn open on the picture: its pods one by one, in place".to_owned());
            match pod_source(cluster, first) {
                Some((_, lines, words)) => {
                    view.lines = Some(lines);
                    view.source = words;
                }
                None => view.source = "made by the cluster (no YAML)".to_owned(),
            }
        }
        Selected::Node(name) => {
            let node = cluster.nodes.iter().find(|node| &node.name == name)?;
            view.title = format!("Node {name}");
            let pods = cluster
                .pods
                .iter()
                .filter(|pod| pod.node_name.as_deref() == Some(name.as_str()))
                .count();
            view.facts.push(format!("InternalIP {}", node.internal_ip));
            view.facts.push(format!("pod CIDR {}", node.pod_cidr));
            view.facts
                .push(format!("{pods} pod{}", if pods == 1 { "" } else { "s" }));
            if node.control_plane {
                view.facts.push(
                    "control plane: tainted NoSchedule, so workload pods go elsewhere".to_owned(),
                );
            }
            view.facts
                .push("kube-proxy runs here: its rules are in the Rules panel".to_owned());
            match source(cluster, "Node", "", name) {
                Some(root) => {
                    view.lines = Some((root.line, last_line(root)));
                    view.source = "its YAML".to_owned();
                }
                None => view.source = "made by the cluster (no YAML)".to_owned(),
            }
        }
    }
    Some(view)
}

/// A line of the inspector's selection panel: what [`rows`] makes of a [`SelectionView`], so
/// that the page draws every line with one template (a template per kind of line would cost
/// its module kilobytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// What line it is.
    pub kind: RowKind,
    /// Its words.
    pub text: String,
    /// Words set apart after them (a verdict's outcome), or nothing.
    pub note: String,
    /// Its button, if it has one.
    pub act: Act,
}

/// What a [`Row`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    /// The selection's name.
    Title,
    /// A fact about it.
    Fact,
    /// Where its YAML is.
    Source,
    /// A question or packet it can start.
    Action,
    /// One pod and one Service: the pair, and the outcome in `note`.
    Verdict,
    /// A reason for the endpoint.
    Holds,
    /// A reason against it.
    Fails,
    /// How many more were not listed; or, with nothing selected, what to do.
    More,
}

impl RowKind {
    /// Its CSS class.
    pub fn class(self) -> &'static str {
        match self {
            RowKind::Title => "selection__title",
            RowKind::Fact => "selection__fact",
            RowKind::Source => "selection__source",
            RowKind::Action => "selection__action",
            RowKind::Verdict => "why",
            RowKind::Holds => "reason reason--holds",
            RowKind::Fails => "reason reason--fails",
            RowKind::More => "hint",
        }
    }

    /// Its `data-testid`.
    pub fn test_id(self) -> &'static str {
        match self {
            RowKind::Title => "selection-title",
            RowKind::Fact => "selection-fact",
            RowKind::Source => "selection-source",
            RowKind::Action => "selection-action",
            RowKind::Verdict => "verdict",
            RowKind::Holds | RowKind::Fails => "reason",
            RowKind::More => "selection-more",
        }
    }
}

/// A row's button.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Act {
    /// None.
    Nothing,
    /// Mark these YAML lines (first, last) in the editor.
    Lines(usize, usize),
    /// Ask DNS for this name.
    Ask(String),
    /// Ask DNS from this pod (`namespace/name`).
    AskFrom(String),
    /// Send a packet from this pod.
    SendFrom(String),
}

impl Act {
    /// What the page's one handler is told (`data-do`, `data-arg`), and the button's words
    /// and `data-testid`; `None` for no button.
    pub fn button(&self) -> Option<(&'static str, String, String, &'static str)> {
        Some(match self {
            Act::Nothing => return None,
            Act::Lines(first, last) => (
                "lines",
                format!("{first}-{last}"),
                if first == last {
                    format!("line {first}")
                } else {
                    format!("lines {first}\u{2013}{last}")
                },
                "line",
            ),
            Act::Ask(name) => (
                "ask",
                name.clone(),
                format!("Ask DNS for {name}"),
                "selection-ask",
            ),
            Act::AskFrom(pod) => (
                "ask-from",
                pod.clone(),
                "Ask DNS from this pod".to_owned(),
                "selection-ask-from",
            ),
            Act::SendFrom(pod) => (
                "send-from",
                pod.clone(),
                "Send a packet from it".to_owned(),
                "selection-send-from",
            ),
        })
    }
}

/// The YAML lines (first, last) the selection came from, as `rows` carry them (its source's
/// button).
pub fn marked_lines(rows: &[Row]) -> Option<(usize, usize)> {
    rows.iter().find_map(|row| match (row.kind, &row.act) {
        (RowKind::Source, Act::Lines(first, last)) => Some((*first, *last)),
        _ => None,
    })
}

/// The panel's lines for `view`, top to bottom (the title's `note` is the selection's
/// [`Selected::id`]); with nothing selected, what to do.
pub fn rows(view: Option<&SelectionView>) -> Vec<Row> {
    let row = |kind, text: String, act| Row {
        kind,
        text,
        note: String::new(),
        act,
    };
    let Some(view) = view else {
        return vec![row(
            RowKind::More,
            "Click a Service, an EndpointSlice, a pod or a node on the picture: this panel says \
             what it is, shows the YAML it came from, and for a Service why each pod is or is \
             not one of its endpoints."
                .to_owned(),
            Act::Nothing,
        )];
    };
    let mut rows = vec![Row {
        kind: RowKind::Title,
        text: view.title.clone(),
        note: view.id.clone(),
        act: Act::Nothing,
    }];
    rows.extend(
        view.facts
            .iter()
            .map(|fact| row(RowKind::Fact, fact.clone(), Act::Nothing)),
    );
    rows.push(row(
        RowKind::Source,
        format!("From {}", view.source),
        view.lines
            .map_or(Act::Nothing, |(first, last)| Act::Lines(first, last)),
    ));
    if let Some(name) = &view.dns_name {
        rows.push(row(RowKind::Action, String::new(), Act::Ask(name.clone())));
    }
    if let Some(pod) = &view.pod {
        rows.push(row(
            RowKind::Action,
            String::new(),
            Act::AskFrom(pod.to_string()),
        ));
        rows.push(row(
            RowKind::Action,
            String::new(),
            Act::SendFrom(pod.to_string()),
        ));
    }
    for verdict in &view.verdicts {
        rows.push(Row {
            kind: RowKind::Verdict,
            text: format!("{} \u{2192} {}", verdict.pod, verdict.service),
            note: verdict.outcome.clone(),
            act: Act::Nothing,
        });
        for reason in &verdict.reasons {
            rows.push(row(
                if reason.holds {
                    RowKind::Holds
                } else {
                    RowKind::Fails
                },
                format!(
                    "{} {}",
                    if reason.holds { "\u{2713}" } else { "\u{2717}" },
                    reason.text
                ),
                reason
                    .line
                    .map_or(Act::Nothing, |line| Act::Lines(line, line)),
            ));
        }
    }
    if view.more > 0 {
        rows.push(row(
            RowKind::More,
            format!("and {} more, not listed", view.more),
            Act::Nothing,
        ));
    }
    rows
}
