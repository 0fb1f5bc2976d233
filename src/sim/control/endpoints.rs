//! The EndpointSlice controller, the legacy Endpoints controller and the EndpointSlice
//! mirroring controller.
//!
//! Follows kubernetes `pkg/controller/endpointslice` (`podToEndpoint`, `getEndpointPorts`,
//! `setEndpointSliceLabels`, at most 100 endpoints per slice, pods grouped by their resolved
//! ports), `pkg/controller/endpoint` (subsets, addresses sorted as `endpoints.RepackSubsets`
//! sorts them) and `pkg/controller/endpointslicemirroring`.

use crate::sim::input::labels::map_selector_matches;
use std::collections::BTreeMap;

use crate::sim::config::{Family, StableMap};

use crate::sim::control::apiserver::is_headless;
use crate::sim::control::workloads::{random_suffix, SimNode, SimPod};
use crate::sim::input::decode::IntOrString;
use crate::sim::input::objects::{Endpoints, Service};

/// Most endpoints the controller puts in one slice (`--max-endpoints-per-slice` default).
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;
/// `endpointslice.kubernetes.io/managed-by` of the EndpointSlice controller.
pub const MANAGED_BY_CONTROLLER: &str = "endpointslice-controller.k8s.io";
/// `endpointslice.kubernetes.io/managed-by` of the mirroring controller.
pub const MANAGED_BY_MIRRORING: &str = "endpointslicemirroring-controller.k8s.io";

/// A reference to the pod behind an endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRef {
    /// `kind` (Pod).
    pub kind: String,
    /// `namespace`.
    pub namespace: String,
    /// `name`.
    pub name: String,
    /// `uid`.
    pub uid: String,
}

/// One endpoint of a slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceEndpoint {
    /// `addresses` (one IP).
    pub addresses: Vec<String>,
    /// `conditions.ready`.
    pub ready: bool,
    /// `conditions.serving`.
    pub serving: bool,
    /// `conditions.terminating`.
    pub terminating: bool,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `nodeName`.
    pub node_name: Option<String>,
    /// `zone`.
    pub zone: Option<String>,
    /// `hints.forZones[*].name`.
    pub for_zones: Vec<String>,
    /// `hints.forNodes[*].name`.
    pub for_nodes: Vec<String>,
    /// `targetRef`.
    pub target_ref: Option<TargetRef>,
}

/// A port of a slice or Endpoints subset.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct EndpointPort {
    /// `name` ("" when the Service port has none).
    pub name: String,
    /// `port`: the resolved target port.
    pub port: i64,
    /// `protocol`.
    pub protocol: String,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
}

/// An EndpointSlice of the simulated cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimEndpointSlice {
    /// Name (`<service>-<5 chars>`).
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// The Service it belongs to (`kubernetes.io/service-name`).
    pub service: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// `addressType`.
    pub address_type: String,
    /// `endpoints`.
    pub endpoints: Vec<SliceEndpoint>,
    /// `ports`.
    pub ports: Vec<EndpointPort>,
}

/// An address of a legacy Endpoints subset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointAddress {
    /// `ip`.
    pub ip: String,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `nodeName`.
    pub node_name: Option<String>,
    /// `targetRef`.
    pub target_ref: Option<TargetRef>,
}

/// A subset of a legacy Endpoints object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointSubset {
    /// `addresses` (ready).
    pub addresses: Vec<EndpointAddress>,
    /// `notReadyAddresses`.
    pub not_ready_addresses: Vec<EndpointAddress>,
    /// `ports`.
    pub ports: Vec<EndpointPort>,
}

/// A legacy Endpoints object of the simulated cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimEndpoints {
    /// Name (the Service's).
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// `subsets`.
    pub subsets: Vec<EndpointSubset>,
}

/// `podutil.FindPort`: the container port a Service port's targetPort names on this pod, or the
/// number itself. Names are looked up in the regular containers, then in the sidecars (init
/// containers with `restartPolicy: Always`); a plain init container's ports never count.
pub fn find_port(pod: &SimPod, target: Option<&IntOrString>, protocol: &str) -> Option<i64> {
    match target? {
        IntOrString::Int(number) => Some(*number),
        IntOrString::String(name) => pod
            .spec
            .containers
            .iter()
            .chain(
                pod.spec
                    .init_containers
                    .iter()
                    .filter(|container| container.restart_always),
            )
            .flat_map(|container| container.ports.iter())
            .find(|port| {
                port.name.as_deref() == Some(name.as_str())
                    && port.protocol.as_deref().unwrap_or("TCP") == protocol
            })
            .and_then(|port| port.container_port),
    }
}

fn endpoint_ports(service: &Service, pod: &SimPod) -> Vec<EndpointPort> {
    service
        .spec
        .ports
        .iter()
        .filter_map(|port| {
            let protocol = port.protocol.clone().unwrap_or_else(|| "TCP".to_owned());
            let number = find_port(pod, port.target_port.as_ref(), &protocol)?;
            Some(EndpointPort {
                name: port.name.clone().unwrap_or_default(),
                port: number,
                protocol,
                app_protocol: port.app_protocol.clone(),
            })
        })
        .collect()
}

/// Pods indexed by namespace and label, so that a selector looks only at the pods that carry
/// its first label rather than at every pod of the cluster.
#[derive(Debug, Default)]
pub struct PodIndex<'p> {
    by_label: StableMap<(&'p str, &'p str, &'p str), Vec<usize>>,
}

impl<'p> PodIndex<'p> {
    /// Indexes `pods` (borrowing their names and labels).
    pub fn new(pods: &'p [SimPod]) -> PodIndex<'p> {
        let mut index = PodIndex::default();
        for (position, pod) in pods.iter().enumerate() {
            for (key, value) in &pod.labels {
                index
                    .by_label
                    .entry((pod.namespace.as_str(), key.as_str(), value.as_str()))
                    .or_default()
                    .push(position);
            }
        }
        index
    }

    /// The pods a Service with a selector selects, in pod order (same namespace, labels match).
    /// An empty selector selects nothing: the controllers skip Services without selector terms.
    pub fn selected(&self, service: &Service, pods: &'p [SimPod]) -> Vec<&'p SimPod> {
        let Some(selector) = &service.spec.selector else {
            return Vec::new();
        };
        let Some((key, value)) = selector.iter().next() else {
            return Vec::new();
        };
        let namespace = service.meta.namespace.as_str();
        self.by_label
            .get(&(namespace, key.as_str(), value.as_str()))
            .map(|positions| {
                positions
                    .iter()
                    .filter_map(|position| pods.get(*position))
                    .filter(|pod| map_selector_matches(selector, &pod.labels))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The pods a Service with a selector selects (unindexed; see [`PodIndex`]).
pub fn selected_pods<'p>(service: &Service, pods: &'p [SimPod]) -> Vec<&'p SimPod> {
    PodIndex::new(pods).selected(service, pods)
}

fn hostname_for(service: &Service, pod: &SimPod) -> Option<String> {
    let hostname = pod
        .spec
        .hostname
        .clone()
        .filter(|hostname| !hostname.is_empty())?;
    (pod.spec.subdomain.as_deref() == Some(service.meta.name.as_str())
        && pod.namespace == service.meta.namespace)
        .then_some(hostname)
}

fn target_ref(pod: &SimPod) -> TargetRef {
    TargetRef {
        kind: "Pod".to_owned(),
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
        uid: pod.uid.clone(),
    }
}

/// Whether the controllers manage endpoints for this Service: it has a selector and is not
/// ExternalName.
pub fn has_managed_endpoints(service: &Service) -> bool {
    service.spec.selector.is_some() && service.spec.type_.as_deref() != Some("ExternalName")
}

/// What [`node_zones`] holds for a node without a zone label: a NUL, which no label value can
/// contain. (A `(String, String)` map is in the browser build anyway, for labels; a map of
/// optional zones would be another copy of the B-tree code.)
pub const NO_ZONE: &str = "\u{0}";

/// Every node by name, with its `topology.kubernetes.io/zone` label (the slices' `zone`
/// field), [`NO_ZONE`] without one: what the EndpointSlice controller's node lister answers.
pub fn node_zones(nodes: &[SimNode]) -> BTreeMap<String, String> {
    crate::small::order::map_from(nodes.iter().map(|node| {
        let zone = node.labels.get("topology.kubernetes.io/zone");
        (
            node.name.clone(),
            zone.cloned().unwrap_or_else(|| NO_ZONE.to_owned()),
        )
    }))
}

/// `ShouldPodBeInEndpoints` (`staging/src/k8s.io/endpointslice/util`): a pod in a terminal
/// phase or without an IP is never an endpoint; a terminating one only when
/// `include_terminating` (the EndpointSlice controller always, Endpoints with
/// `publishNotReadyAddresses`).
pub fn should_be_endpoint(pod: &SimPod, include_terminating: bool) -> bool {
    !pod.is_terminal() && pod.ip.is_some() && (include_terminating || !pod.terminating)
}

/// The EndpointSlice controller's slices for one Service. `zones` is [`node_zones`].
pub fn endpoint_slices(
    service: &Service,
    pods: &[SimPod],
    index: &PodIndex,
    zones: &BTreeMap<String, String>,
    ratios: Option<&[(String, f64)]>,
) -> Vec<SimEndpointSlice> {
    if !has_managed_endpoints(service) {
        return Vec::new();
    }
    let mut slices = Vec::new();
    for family in address_types(service) {
        slices.extend(slices_of_family(
            service, pods, index, zones, ratios, family,
        ));
    }
    slices
}

/// `getAddressTypesForService` (pkg/controller/endpointslice): the Service's `ipFamilies`;
/// without them (a Service the API server did not default), the family of its ClusterIP, or
/// both for a headless one.
pub fn address_types(service: &Service) -> Vec<Family> {
    let mut families: Vec<Family> = service
        .spec
        .ip_families
        .iter()
        .filter_map(|family| Family::from_name(family))
        .collect();
    families.dedup();
    if !families.is_empty() {
        return families;
    }
    match service.spec.cluster_ip.as_deref() {
        Some(ip) if !ip.is_empty() && ip != "None" => {
            vec![Family::of_address(ip).unwrap_or(Family::V4)]
        }
        _ => vec![Family::V4, Family::V6],
    }
}

/// The slices of one address type: each selected pod's address of that family
/// (`getEndpointAddresses`; a pod without one is left out), and a placeholder when none.
fn slices_of_family(
    service: &Service,
    pods: &[SimPod],
    index: &PodIndex,
    zones: &BTreeMap<String, String>,
    ratios: Option<&[(String, f64)]>,
    family: Family,
) -> Vec<SimEndpointSlice> {
    let publish_not_ready = service.spec.publish_not_ready_addresses == Some(true);
    // Group endpoints by their resolved ports, in first-seen order.
    let mut groups: Vec<(Vec<EndpointPort>, Vec<SliceEndpoint>)> = Vec::new();
    for pod in index.selected(service, pods) {
        if !should_be_endpoint(pod, true) {
            continue;
        }
        let Some(ip) = pod.ip_of(family).map(str::to_owned) else {
            continue;
        };
        // The reconciler looks the pod's node up: a pod whose node does not exist is left out
        // ("skipping Pod for Service, Node not found") unless the Service publishes not-ready
        // addresses.
        let node = pod.node_name.as_deref().and_then(|node| zones.get(node));
        if node.is_none() && !publish_not_ready {
            continue;
        }
        let ports = endpoint_ports(service, pod);
        let serving = pod.ready;
        let endpoint = SliceEndpoint {
            addresses: vec![ip],
            ready: publish_not_ready || (serving && !pod.terminating),
            serving,
            terminating: pod.terminating,
            hostname: hostname_for(service, pod),
            node_name: pod.node_name.clone(),
            zone: node.filter(|zone| zone.as_str() != NO_ZONE).cloned(),
            for_zones: Vec::new(),
            for_nodes: Vec::new(),
            target_ref: Some(target_ref(pod)),
        };
        match groups
            .iter_mut()
            .find(|(group_ports, _)| *group_ports == ports)
        {
            Some((_, endpoints)) => endpoints.push(endpoint),
            None => groups.push((ports, vec![endpoint])),
        }
    }
    if topology_annotation(service) {
        auto_hints(&mut groups, ratios);
    } else {
        for (_, endpoints) in &mut groups {
            for endpoint in endpoints.iter_mut() {
                add_hints(service, endpoint);
            }
        }
    }
    if groups.is_empty() {
        // No endpoints: the reconciler still keeps one placeholder slice, with no endpoints and
        // no ports (`endpointMeta{Ports: []discovery.EndpointPort{}}`).
        groups.push((Vec::new(), Vec::new()));
    }
    let mut labels = service.meta.labels.clone();
    labels.insert(
        "kubernetes.io/service-name".to_owned(),
        service.meta.name.clone(),
    );
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_owned(),
        MANAGED_BY_CONTROLLER.to_owned(),
    );
    if is_headless(&service.spec) {
        labels.insert("service.kubernetes.io/headless".to_owned(), String::new());
    }
    let mut slices = Vec::new();
    for (group, (ports, endpoints)) in groups.into_iter().enumerate() {
        let chunks: Vec<Vec<SliceEndpoint>> = if endpoints.is_empty() {
            vec![Vec::new()]
        } else {
            endpoints
                .chunks(MAX_ENDPOINTS_PER_SLICE)
                .map(<[SliceEndpoint]>::to_vec)
                .collect()
        };
        for (chunk_index, chunk) in chunks.into_iter().enumerate() {
            // IPv4 slices keep the names they had before the model knew two families.
            let seed = match family {
                Family::V4 => format!(
                    "slice/{}/{}/{group}/{chunk_index}",
                    service.meta.namespace, service.meta.name
                ),
                Family::V6 => format!(
                    "slice/{}/{}/IPv6/{group}/{chunk_index}",
                    service.meta.namespace, service.meta.name
                ),
            };
            slices.push(SimEndpointSlice {
                name: format!(
                    "{}-{}",
                    generate_name_base(&service.meta.name),
                    random_suffix(&seed)
                ),
                namespace: service.meta.namespace.clone(),
                service: service.meta.name.clone(),
                labels: labels.clone(),
                address_type: family.name().to_owned(),
                endpoints: chunk,
                ports: ports.clone(),
            });
        }
    }
    slices
}

/// The hints the EndpointSlice controller writes for `trafficDistribution` (staging/src/
/// k8s.io/endpointslice/trafficdist, with 1.34's `PreferSameTrafficDistribution` gate on):
/// `PreferClose` and `PreferSameZone` give each ready endpoint that has a zone a `forZones` hint
/// of its own zone; `PreferSameNode` also a `forNodes` hint of its node (KEP-3015: the zone
/// hint stays, for proxies that know only zones). A Service asking for hints by the
/// `topology-mode` annotation goes to the topology cache instead (reconciler.go,
/// [`auto_hints`]).
fn add_hints(service: &Service, endpoint: &mut SliceEndpoint) {
    let same_node = match service.spec.traffic_distribution.as_deref() {
        Some("PreferClose" | "PreferSameZone") => false,
        Some("PreferSameNode") => true,
        _ => return,
    };
    if !endpoint.ready {
        return;
    }
    if let Some(zone) = &endpoint.zone {
        endpoint.for_zones = vec![zone.clone()];
    }
    if same_node {
        if let Some(node) = &endpoint.node_name {
            endpoint.for_nodes = vec![node.clone()];
        }
    }
}

/// The topology cache's share of each zone in the cluster's CPU (topologycache.go
/// `SetNodes`): nodes labelled as control plane (or master) left out; every other node must have
/// a zone and allocatable CPU, or there is no information at all (`None`); fewer than two
/// zones, `None` too. (The model's nodes count as Ready: the kubelet would report them so.)
pub fn zone_cpu_ratios(nodes: &[SimNode]) -> Option<Vec<(String, f64)>> {
    let mut by_zone: BTreeMap<String, i64> = BTreeMap::new();
    let mut total = 0i64;
    for node in nodes {
        if node
            .labels
            .contains_key("node-role.kubernetes.io/control-plane")
            || node.labels.contains_key("node-role.kubernetes.io/master")
        {
            continue;
        }
        let zone = node
            .labels
            .get("topology.kubernetes.io/zone")
            .filter(|zone| !zone.is_empty())?;
        let cpu = node.allocatable.milli_cpu;
        if cpu == 0 {
            return None;
        }
        total += cpu;
        *by_zone.entry(zone.clone()).or_insert(0) += cpu;
    }
    if total == 0 || by_zone.len() < 2 {
        return None;
    }
    Some(
        by_zone
            .into_iter()
            .map(|(zone, cpu)| (zone, cpu as f64 / total as f64))
            .collect(),
    )
}

/// The topology cache's hints for a Service with `topology-mode: Auto` (topologycache.go
/// `AddHints`, over slices the model always writes anew): each zone is allotted endpoints in
/// proportion to its CPU, within the 20% overload threshold (`getAllocations`); every ready
/// endpoint is first hinted for its own zone, then endpoints of the zones with more than
/// their share are hinted for the zones with less (`getGivingAndReceivingZones`,
/// `redistributeHints`). No hints at all when the nodes say too little, a zone has no
/// endpoint to spare, or an endpoint has no zone. Where Go walks a map (ties between zones),
/// the model takes the zones in name order.
fn auto_hints(
    groups: &mut [(Vec<EndpointPort>, Vec<SliceEndpoint>)],
    ratios: Option<&[(String, f64)]>,
) {
    const OVERLOAD_THRESHOLD: f64 = 0.2;
    let Some(ratios) = ratios else { return };
    let total = groups
        .iter()
        .flat_map(|(_, endpoints)| endpoints)
        .filter(|endpoint| endpoint.ready)
        .count();
    if ratios.len() > total {
        return;
    }
    // (zone, minimum, desired)
    let mut allocations: Vec<(String, f64)> = Vec::new();
    let mut remaining = total as i64;
    for (zone, ratio) in ratios {
        let desired = ratio * total as f64;
        let minimum = (desired * (1.0 / (1.0 + OVERLOAD_THRESHOLD))).ceil();
        remaining -= minimum as i64;
        if remaining < 0 {
            return;
        }
        allocations.push((zone.clone(), desired.max(minimum)));
    }
    // Step 1: every ready endpoint for its own zone.
    if groups
        .iter()
        .flat_map(|(_, endpoints)| endpoints)
        .any(|endpoint| endpoint.ready && endpoint.zone.as_deref().unwrap_or("").is_empty())
    {
        return;
    }
    let mut allocated: BTreeMap<String, i64> = BTreeMap::new();
    for (_, endpoints) in groups.iter_mut() {
        for endpoint in endpoints.iter_mut().filter(|endpoint| endpoint.ready) {
            let zone = endpoint.zone.clone().unwrap_or_default();
            *allocated.entry(zone.clone()).or_insert(0) += 1;
            endpoint.for_zones = vec![zone];
        }
    }
    // Step 2: who gives and who receives.
    let mut giving_desired: BTreeMap<String, f64> = BTreeMap::new();
    let mut receiving_desired: BTreeMap<String, f64> = BTreeMap::new();
    for (zone, desired) in &allocations {
        let hints = allocated.get(zone).copied().unwrap_or(0) as f64;
        if hints > *desired {
            giving_desired.insert(zone.clone(), hints - desired);
        } else if hints < *desired {
            receiving_desired.insert(zone.clone(), desired - hints);
        }
    }
    let most = |zones: &BTreeMap<String, f64>| -> (String, f64) {
        let mut best = (String::new(), 0.0);
        for (zone, number) in zones {
            if *number > best.1 {
                best = (zone.clone(), *number);
            }
        }
        best
    };
    let mut giving: BTreeMap<String, i64> = BTreeMap::new();
    let mut receiving: BTreeMap<String, i64> = BTreeMap::new();
    loop {
        let (giver, to_give) = most(&giving_desired);
        let (receiver, to_receive) = most(&receiving_desired);
        if giver.is_empty()
            || receiver.is_empty()
            || (to_give < 1.0 && to_receive < 1.0)
            || to_give < 0.5
            || to_receive < 0.5
        {
            break;
        }
        *giving.entry(giver.clone()).or_insert(0) += 1;
        if let Some(left) = giving_desired.get_mut(&giver) {
            *left -= 1.0;
        }
        *receiving.entry(receiver.clone()).or_insert(0) += 1;
        if let Some(left) = receiving_desired.get_mut(&receiver) {
            *left -= 1.0;
        }
    }
    // Step 3: hand endpoints over, in slice order.
    for (_, endpoints) in groups.iter_mut() {
        for endpoint in endpoints.iter_mut().filter(|endpoint| endpoint.ready) {
            if giving.is_empty() || receiving.is_empty() {
                return;
            }
            let own = endpoint.zone.clone().unwrap_or_default();
            let Some(to_give) = giving.get(&own).copied().filter(|count| *count > 0) else {
                continue;
            };
            let Some((receiver, to_receive)) = receiving
                .iter()
                .find(|(_, count)| **count > 0)
                .map(|(zone, count)| (zone.clone(), *count))
            else {
                continue;
            };
            endpoint.for_zones = vec![receiver.clone()];
            if to_give == 1 {
                giving.remove(&own);
            } else {
                giving.insert(own, to_give - 1);
            }
            if to_receive == 1 {
                receiving.remove(&receiver);
            } else {
                receiving.insert(receiver, to_receive - 1);
            }
        }
    }
}

/// Whether the Service asks for topology-aware hints by annotation
/// (`service.kubernetes.io/topology-mode`, or its deprecated predecessor
/// `service.kubernetes.io/topology-aware-hints`, set and not `Disabled`: `hintsEnabled`).
pub fn topology_annotation(service: &Service) -> bool {
    let annotations = &service.meta.annotations;
    let value = annotations
        .get("service.kubernetes.io/topology-mode")
        .or_else(|| annotations.get("service.kubernetes.io/topology-aware-hints"));
    value.is_some_and(|value| !value.is_empty() && value != "Disabled" && value != "disabled")
}

/// `generateName` keeps at most 58 characters of the base (63 less the 5 random ones).
pub(crate) fn generate_name_base(name: &str) -> &str {
    let mut end = name.len().min(58);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.get(..end).unwrap_or(name)
}

/// The legacy Endpoints controller's object for one Service.
pub fn endpoints_object(
    service: &Service,
    pods: &[SimPod],
    index: &PodIndex,
) -> Option<SimEndpoints> {
    if !has_managed_endpoints(service) {
        return None;
    }
    let publish_not_ready = service.spec.publish_not_ready_addresses == Some(true);
    let mut subsets: Vec<EndpointSubset> = Vec::new();
    for pod in index.selected(service, pods) {
        if !should_be_endpoint(pod, publish_not_ready) {
            continue;
        }
        // podToEndpointAddressForService: the address of the ClusterIP's family (for a
        // headless Service, of `ipFamilies[0]`, else of the pod's first address); a pod without
        // one is left out ("failed to find a matching endpoint for service").
        let family = match service.spec.cluster_ip.as_deref() {
            Some(ip) if !ip.is_empty() && ip != "None" => Family::of_address(ip),
            _ => service
                .spec
                .ip_families
                .first()
                .and_then(|family| Family::from_name(family))
                .or_else(|| pod.ip.as_deref().and_then(Family::of_address)),
        };
        let Some(ip) = family
            .and_then(|family| pod.ip_of(family))
            .map(str::to_owned)
        else {
            continue;
        };
        let address = EndpointAddress {
            ip,
            hostname: hostname_for(service, pod),
            node_name: pod.node_name.clone(),
            target_ref: Some(target_ref(pod)),
        };
        let mut ports = endpoint_ports(service, pod);
        if ports.is_empty() && !service.spec.ports.is_empty() {
            // No Service port resolves on this pod: FindPort failed for each, so no subset
            // gets the address (only a headless Service without ports lists bare addresses).
            continue;
        }
        crate::small::order::sort(&mut ports);
        let subset = match subsets.iter_mut().find(|subset| subset.ports == ports) {
            Some(subset) => subset,
            None => {
                subsets.push(EndpointSubset {
                    addresses: Vec::new(),
                    not_ready_addresses: Vec::new(),
                    ports,
                });
                match subsets.last_mut() {
                    Some(subset) => subset,
                    None => continue,
                }
            }
        };
        if pod.ready || publish_not_ready {
            subset.addresses.push(address);
        } else {
            subset.not_ready_addresses.push(address);
        }
    }
    // RepackSubsets / SortSubsets: addresses by IP (byte-wise string order, then UID).
    for subset in &mut subsets {
        crate::small::order::sort_by(&mut subset.addresses, |a, b| a.ip.cmp(&b.ip));
        crate::small::order::sort_by(&mut subset.not_ready_addresses, |a, b| a.ip.cmp(&b.ip));
    }
    let mut labels = service.meta.labels.clone();
    if is_headless(&service.spec) {
        labels.insert("service.kubernetes.io/headless".to_owned(), String::new());
    }
    Some(SimEndpoints {
        name: service.meta.name.clone(),
        namespace: service.meta.namespace.clone(),
        labels,
        subsets,
    })
}

/// A user-supplied Endpoints object as the cluster holds it.
pub fn endpoints_from_input(endpoints: &Endpoints) -> SimEndpoints {
    let convert = |address: &crate::sim::input::objects::EndpointAddress| EndpointAddress {
        ip: address.ip.clone(),
        hostname: address.hostname.clone(),
        node_name: address.node_name.clone(),
        target_ref: address.target_ref.as_ref().map(|target| TargetRef {
            kind: target.kind.clone(),
            namespace: target.namespace.clone(),
            name: target.name.clone(),
            uid: target.uid.clone(),
        }),
    };
    SimEndpoints {
        name: endpoints.meta.name.clone(),
        namespace: endpoints.meta.namespace_or_default(),
        labels: endpoints.meta.labels.clone(),
        subsets: endpoints
            .subsets
            .iter()
            .map(|subset| EndpointSubset {
                addresses: subset.addresses.iter().map(convert).collect(),
                not_ready_addresses: subset.not_ready_addresses.iter().map(convert).collect(),
                ports: subset
                    .ports
                    .iter()
                    .map(|port| EndpointPort {
                        name: port.name.clone().unwrap_or_default(),
                        port: port.port.unwrap_or(0),
                        protocol: port.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
                        app_protocol: port.app_protocol.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The mirroring controller: one slice per subset of a user-supplied Endpoints object whose
/// Service exists and has no selector.
pub fn mirror_slices(endpoints: &SimEndpoints) -> Vec<SimEndpointSlice> {
    let mut labels = endpoints.labels.clone();
    labels.insert(
        "kubernetes.io/service-name".to_owned(),
        endpoints.name.clone(),
    );
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".to_owned(),
        MANAGED_BY_MIRRORING.to_owned(),
    );
    let mut slices = Vec::new();
    for (index, subset) in endpoints.subsets.iter().enumerate() {
        let to_endpoint = |address: &EndpointAddress, ready: bool| SliceEndpoint {
            addresses: vec![address.ip.clone()],
            ready,
            serving: ready,
            terminating: false,
            hostname: address.hostname.clone(),
            node_name: address.node_name.clone(),
            zone: None,
            for_zones: Vec::new(),
            for_nodes: Vec::new(),
            target_ref: address.target_ref.clone(),
        };
        let all: Vec<SliceEndpoint> = subset
            .addresses
            .iter()
            .map(|address| to_endpoint(address, true))
            .chain(
                subset
                    .not_ready_addresses
                    .iter()
                    .map(|address| to_endpoint(address, false)),
            )
            .collect();
        // The mirroring reconciler sorts each address into the slices of its type
        // (`getAddressType`: IPv6 when the address is one, else IPv4).
        for family in [Family::V4, Family::V6] {
            let of_family: Vec<SliceEndpoint> = all
                .iter()
                .filter(|endpoint| {
                    let is_v6 = endpoint
                        .addresses
                        .first()
                        .is_some_and(|ip| Family::of_address(ip) == Some(Family::V6));
                    is_v6 == (family == Family::V6)
                })
                .cloned()
                .collect();
            // A family without addresses gets no slice; a subset without any address still
            // gets one IPv4 slice, which holds its ports (as before the families).
            let kept = if all.is_empty() {
                family == Family::V4
            } else {
                !of_family.is_empty()
            };
            if !kept {
                continue;
            }
            let seed = match family {
                Family::V4 => format!("mirror/{}/{}/{index}", endpoints.namespace, endpoints.name),
                Family::V6 => format!(
                    "mirror/{}/{}/IPv6/{index}",
                    endpoints.namespace, endpoints.name
                ),
            };
            slices.push(SimEndpointSlice {
                name: format!(
                    "{}-{}",
                    generate_name_base(&endpoints.name),
                    random_suffix(&seed)
                ),
                namespace: endpoints.namespace.clone(),
                service: endpoints.name.clone(),
                labels: labels.clone(),
                address_type: family.name().to_owned(),
                endpoints: of_family,
                ports: subset.ports.clone(),
            });
        }
    }
    slices
}
