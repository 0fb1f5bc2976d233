//! The scheduler's decisions: which node a pod runs on, and when none will take it, why, in
//! kube-scheduler's own words (Kubernetes 1.30-1.34, the default profile).
//!
//! Each node goes through the default profile's filters in their order, and the first that
//! rejects it gives its reasons (`RunFilterPlugins` stops there):
//! `NodeUnschedulable` ("node(s) were unschedulable", unless the pod tolerates
//! `node.kubernetes.io/unschedulable:NoSchedule`), `TaintToleration` (the first `NoSchedule` or
//! `NoExecute` taint the pod does not tolerate: "node(s) had untolerated taint {key: value}"),
//! `NodeAffinity` (`nodeSelector` and the required node affinity: "node(s) didn't match Pod's
//! node affinity/selector"), `NodePorts` ("node(s) didn't have free ports for the requested pod
//! ports") and `NodeResourcesFit` ("Too many pods" past the node's allocatable pods, 110 by the
//! kubelet's default `maxPods`; "Insufficient cpu", "Insufficient memory" against the requests
//! of the pods already there). A pod no node takes stays Pending with `FitError`'s message
//! (pkg/scheduler/framework/types.go): `0/N nodes are available: ` and the reasons counted and
//! sorted, then what the `DefaultPreemption` plugin found (`preemption: 0/N nodes are
//! available: ...`: "Preemption is not helpful for scheduling" for nodes no eviction could
//! open, "No preemption victims found for incoming pod" where no pod has a lower priority).
//!
//! Where the model stops: among the nodes that take a pod it picks the one with the fewest
//! pods (the first on a tie), not kube-scheduler's scores; pods are placed in the order they
//! were created, not by priority; when evicting lower-priority pods would make room, the pod
//! stays Pending and its message says that preemption is not simulated; pod affinity,
//! anti-affinity and topology spreading are warned about as not simulated; a pod's `hostIP`
//! on its host ports is taken as `0.0.0.0`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::net::IpAddr;

use crate::sim::config::ClusterConfig;
use crate::sim::control::admission::{priority, resources, tolerations};
use crate::sim::control::workloads::{SimNode, SimPod};
use crate::sim::input::objects::{Container, NodeSelectorRequirement, PodSpec, Taint, Toleration};
use crate::sim::input::quantity::quantity_nanos;

/// The kubelet's default `maxPods` (pkg/kubelet/apis/config/v1beta1 defaults: 110).
pub const DEFAULT_MAX_PODS: i64 = 110;

/// The taint of control-plane nodes (kubeadm's `node-role.kubernetes.io/control-plane:NoSchedule`).
pub const CONTROL_PLANE_TAINT: &str = "node-role.kubernetes.io/control-plane";

/// What a node offers to pods (`status.allocatable`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocatable {
    /// Pods (`maxPods`).
    pub pods: i64,
    /// CPU in millicores.
    pub milli_cpu: i64,
    /// Memory in bytes.
    pub memory: i64,
}

impl Allocatable {
    /// The allocatable of the nodes the model makes when the input has none: the kubelet's
    /// `maxPods` and the cluster's `--node-cpu` and `--node-memory`.
    pub fn of_config(config: &ClusterConfig) -> Allocatable {
        Allocatable {
            pods: config.max_pods,
            milli_cpu: milli_value(&config.node_cpu).unwrap_or(0),
            memory: value(&config.node_memory).unwrap_or(0),
        }
    }

    /// A Node object's `status.allocatable`, each resource it leaves out taken from `default`.
    pub fn of_node(written: &BTreeMap<String, String>, default: Allocatable) -> Allocatable {
        let get = |name: &str| written.get(name).map(String::as_str);
        Allocatable {
            pods: get("pods").and_then(value).unwrap_or(default.pods),
            milli_cpu: get("cpu")
                .and_then(milli_value)
                .unwrap_or(default.milli_cpu),
            memory: get("memory").and_then(value).unwrap_or(default.memory),
        }
    }
}

/// `Quantity.MilliValue()`: thousandths, rounded up.
pub fn milli_value(text: &str) -> Option<i64> {
    let nanos = quantity_nanos(text)?;
    i64::try_from(ceil_div(nanos, 1_000_000)).ok()
}

/// `Quantity.Value()`: the integer value, rounded up.
pub fn value(text: &str) -> Option<i64> {
    let nanos = quantity_nanos(text)?;
    i64::try_from(ceil_div(nanos, 1_000_000_000)).ok()
}

fn ceil_div(value: i128, by: i128) -> i128 {
    let quotient = value / by;
    if value % by > 0 {
        quotient + 1
    } else {
        quotient
    }
}

/// `Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go): an empty effect matches
/// every effect, an empty key (with `Exists`) every key; `Equal` (or no operator) compares
/// the values.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if !toleration.effect.is_empty() && toleration.effect != taint.effect {
        return false;
    }
    if !toleration.key.is_empty() && toleration.key != taint.key {
        return false;
    }
    match toleration.operator.as_str() {
        "" | "Equal" => toleration.value == taint.value,
        "Exists" => true,
        _ => false,
    }
}

/// `FindMatchingUntoleratedTaint` for the taints that keep pods off a node (`NoSchedule`,
/// `NoExecute`): the first one no toleration tolerates.
pub fn untolerated<'a>(taints: &'a [Taint], tolerations: &[Toleration]) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|taint| taint.effect == "NoSchedule" || taint.effect == "NoExecute")
        .find(|taint| {
            !tolerations
                .iter()
                .any(|toleration| tolerates(toleration, taint))
        })
}

/// One node selector requirement against a node (component-helpers nodeaffinity: labels with
/// `labels.Selector` semantics; `Gt`/`Lt` compare integers; fields: `metadata.name` only).
fn requirement_holds(requirement: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = &requirement.values;
    match requirement.operator.as_str() {
        "In" => value.is_some_and(|value| values.iter().any(|candidate| candidate == value)),
        "NotIn" => !value.is_some_and(|value| values.iter().any(|candidate| candidate == value)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(label), Some(bound)) = (
                value.and_then(|value| value.parse::<i64>().ok()),
                values.first().and_then(|bound| bound.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if requirement.operator == "Gt" {
                label > bound
            } else {
                label < bound
            }
        }
        _ => false,
    }
}

/// `nodeSelector` and the required node affinity against `node`
/// (`RequiredNodeAffinity.Match`): every selector label equal, and one of the terms whose
/// requirements all hold (an empty term matches nothing).
pub fn node_matches(spec: &PodSpec, node: &SimNode) -> bool {
    let selector = spec
        .node_selector
        .iter()
        .all(|(key, value)| node.labels.get(key) == Some(value));
    let affinity = match &spec.required_node_affinity {
        None => true,
        Some(terms) => terms.iter().any(|term| {
            let empty = term.match_expressions.is_empty() && term.match_fields.is_empty();
            !empty
                && term.match_expressions.iter().all(|requirement| {
                    requirement_holds(
                        requirement,
                        node.labels.get(&requirement.key).map(String::as_str),
                    )
                })
                && term.match_fields.iter().all(|requirement| {
                    requirement.key == "metadata.name"
                        && requirement_holds(requirement, Some(node.name.as_str()))
                })
        }),
    };
    selector && affinity
}

/// A pod's requests as the scheduler sums them (`computePodResourceRequest`, resourcehelper
/// `PodRequests`): its containers' and sidecars' requests added up, or an init container's
/// (with the sidecars started before it) when that is larger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// CPU in millicores.
    pub milli_cpu: i64,
    /// Memory in bytes.
    pub memory: i64,
}

/// See [`Request`].
pub fn pod_request(spec: &PodSpec) -> Request {
    let of = |container: &Container| {
        let (_, requests) = resources(container);
        Request {
            milli_cpu: requests
                .get("cpu")
                .and_then(|text| milli_value(text))
                .unwrap_or(0),
            memory: requests
                .get("memory")
                .and_then(|text| value(text))
                .unwrap_or(0),
        }
    };
    let add = |a: Request, b: Request| Request {
        milli_cpu: a.milli_cpu.saturating_add(b.milli_cpu),
        memory: a.memory.saturating_add(b.memory),
    };
    let max = |a: Request, b: Request| Request {
        milli_cpu: a.milli_cpu.max(b.milli_cpu),
        memory: a.memory.max(b.memory),
    };
    aggregate(spec, of, add, max)
}

/// resourcehelper's `AggregateContainerRequests` over any per-container measure: the
/// containers' and sidecars' (`restartPolicy: Always` init containers) added up, or an init
/// container's need with the sidecars started before it, when that is larger. The scheduler's
/// requests and `kubectl describe node`'s requests and limits both come from it.
pub fn aggregate<T: Copy + Default>(
    spec: &PodSpec,
    of: impl Fn(&Container) -> T,
    add: impl Fn(T, T) -> T,
    max: impl Fn(T, T) -> T,
) -> T {
    let mut sum = spec.containers.iter().map(&of).fold(T::default(), &add);
    // As `AggregateContainerRequests`: sidecars add to the sum as they start; each init
    // container's need (with the sidecars before it) is kept apart, and the larger wins.
    let mut started = T::default();
    let mut init = T::default();
    for container in &spec.init_containers {
        let measure = of(container);
        let need = if container.restart_always {
            sum = add(sum, measure);
            started = add(started, measure);
            started
        } else {
            add(started, measure)
        };
        init = max(init, need);
    }
    max(sum, init)
}

/// The host ports a pod takes on its node: (protocol, port); with `hostNetwork`, every
/// container port (defaulting sets `hostPort` to `containerPort`).
fn host_ports(spec: &PodSpec) -> Vec<(String, i64)> {
    let host_network = spec.host_network == Some(true);
    spec.containers
        .iter()
        .chain(&spec.init_containers)
        .flat_map(|container| &container.ports)
        .filter_map(|port| {
            let number = port
                .host_port
                .filter(|port| *port > 0)
                .or(if host_network {
                    port.container_port
                } else {
                    None
                })?;
            let protocol = port.protocol.clone().unwrap_or_else(|| "TCP".to_owned());
            Some((protocol, number))
        })
        .collect()
}

/// A pod on a node, as preemption weighs it: its priority, requests and host ports.
type Resident = (i64, Request, Vec<(String, i64)>);

/// What is on a node, as the scheduler's cache holds it.
#[derive(Clone, Debug, Default)]
struct NodeState {
    pods: i64,
    requested: Request,
    ports: Vec<(String, i64)>,
    /// Each pod's priority and request (for the preemption dry run).
    residents: Vec<Resident>,
}

impl NodeState {
    fn add(&mut self, priority: i64, request: Request, ports: Vec<(String, i64)>) {
        self.pods += 1;
        self.requested.milli_cpu = self.requested.milli_cpu.saturating_add(request.milli_cpu);
        self.requested.memory = self.requested.memory.saturating_add(request.memory);
        self.ports.extend(ports.iter().cloned());
        self.residents.push((priority, request, ports));
    }

    /// The node without its pods of a priority below `below`; `None` when there are none.
    fn without_lower(&self, below: i64) -> Option<NodeState> {
        if !self
            .residents
            .iter()
            .any(|(priority, ..)| *priority < below)
        {
            return None;
        }
        let mut state = NodeState::default();
        for (priority, request, ports) in &self.residents {
            if *priority >= below {
                state.add(*priority, *request, ports.clone());
            }
        }
        Some(state)
    }
}

/// Why a node does not take a pod: the filter's reasons, and whether evicting pods could
/// change that (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rejection {
    reasons: Vec<String>,
    resolvable: bool,
}

/// The pod as the scheduler reads it.
struct Candidate<'a> {
    spec: &'a PodSpec,
    tolerations: Vec<Toleration>,
    /// Whether it tolerates `node.kubernetes.io/unschedulable:NoSchedule`.
    tolerates_cordon: bool,
    request: Request,
    ports: Vec<(String, i64)>,
    priority: i64,
}

impl<'a> Candidate<'a> {
    fn of(pod: &'a SimPod) -> Candidate<'a> {
        let tolerations = tolerations(pod);
        let cordon = Taint {
            key: "node.kubernetes.io/unschedulable".to_owned(),
            value: String::new(),
            effect: "NoSchedule".to_owned(),
        };
        Candidate {
            spec: &pod.spec,
            tolerates_cordon: tolerations
                .iter()
                .any(|toleration| tolerates(toleration, &cordon)),
            tolerations,
            request: pod_request(&pod.spec),
            ports: host_ports(&pod.spec),
            priority: priority(pod).unwrap_or(0),
        }
    }
}

/// The default profile's filters, in order, for `pod` on `node` holding `state`.
fn filter(pod: &Candidate, node: &SimNode, state: &NodeState) -> Result<(), Rejection> {
    let unresolvable = |reason: String| {
        Err(Rejection {
            reasons: vec![reason],
            resolvable: false,
        })
    };
    // NodeUnschedulable.
    if node.unschedulable && !pod.tolerates_cordon {
        return unresolvable("node(s) were unschedulable".to_owned());
    }
    // TaintToleration.
    if let Some(taint) = untolerated(&node.taints, &pod.tolerations) {
        return unresolvable(format!(
            "node(s) had untolerated taint {{{}: {}}}",
            taint.key, taint.value
        ));
    }
    // NodeAffinity (a DaemonSet's pod is pinned to its node by a `metadata.name` field
    // requirement, which the model keeps as `spec.nodeName` until it is bound).
    let pinned = pod
        .spec
        .node_name
        .as_ref()
        .is_some_and(|name| *name != node.name);
    if pinned || !node_matches(pod.spec, node) {
        return unresolvable("node(s) didn't match Pod's node affinity/selector".to_owned());
    }
    // NodePorts.
    if pod.ports.iter().any(|port| state.ports.contains(port)) {
        return Err(Rejection {
            reasons: vec!["node(s) didn't have free ports for the requested pod ports".to_owned()],
            resolvable: true,
        });
    }
    // NodeResourcesFit (`fitsRequest`).
    let allocatable = node.allocatable;
    let mut reasons = Vec::new();
    let mut resolvable = true;
    if state.pods + 1 > allocatable.pods {
        reasons.push("Too many pods".to_owned());
    }
    let request = pod.request;
    if request.milli_cpu > 0
        && request.milli_cpu > allocatable.milli_cpu - state.requested.milli_cpu
    {
        reasons.push("Insufficient cpu".to_owned());
        resolvable &= request.milli_cpu <= allocatable.milli_cpu;
    }
    if request.memory > 0 && request.memory > allocatable.memory - state.requested.memory {
        reasons.push("Insufficient memory".to_owned());
        resolvable &= request.memory <= allocatable.memory;
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(Rejection {
            reasons,
            resolvable,
        })
    }
}

/// `0/N nodes are available: ` with each reason counted, sorted as Go's `sort.Strings` sorts
/// `"<count> <reason>"`, and a period.
fn histogram(nodes: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut counted: Vec<String> = reasons
        .iter()
        .map(|(reason, count)| format!("{count} {reason}"))
        .collect();
    crate::small::order::sort(&mut counted);
    format!("0/{nodes} nodes are available: {}.", counted.join(", "))
}

/// Why no node takes `pod` (`FitError.Error()`, with `DefaultPreemption`'s message after it),
/// given each node's rejection.
fn fit_error(
    pod: &Candidate,
    nodes: &[SimNode],
    states: &[NodeState],
    rejections: &[Rejection],
) -> String {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for rejection in rejections {
        for reason in &rejection.reasons {
            *reasons.entry(reason.clone()).or_insert(0) += 1;
        }
    }
    let mut message = histogram(nodes.len(), &reasons);
    // DefaultPreemption's dry run: nodes where evicting cannot help are "not helpful"; on
    // the others, the pods of a lower priority are taken away and the filters run again.
    let mut preemption: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates = Vec::new();
    for ((node, state), rejection) in nodes.iter().zip(states).zip(rejections) {
        if !rejection.resolvable {
            *preemption
                .entry("Preemption is not helpful for scheduling".to_owned())
                .or_insert(0) += 1;
            continue;
        }
        let Some(emptier) = state.without_lower(pod.priority) else {
            *preemption
                .entry("No preemption victims found for incoming pod".to_owned())
                .or_insert(0) += 1;
            continue;
        };
        match filter(pod, node, &emptier) {
            Ok(()) => candidates.push(node.name.as_str()),
            Err(rejection) => {
                for reason in rejection.reasons {
                    *preemption.entry(reason).or_insert(0) += 1;
                }
            }
        }
    }
    if candidates.is_empty() {
        message.push_str(" preemption: ");
        message.push_str(&histogram(nodes.len(), &preemption));
    } else {
        message.push_str(&format!(
            " preemption: evicting lower-priority pods would make room on {} (not simulated: \
             the pod stays Pending)",
            candidates.join(", ")
        ));
    }
    message
}

/// (index of the pod, node name, IP or message) for one scheduling or IP assignment step.
pub type PodAssignment = (usize, String);

/// What the scheduler and the CNI's IPAM decide for the pods that lack a node or an IP.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Placement {
    /// (pod, node) bindings, in order.
    pub placed: Vec<PodAssignment>,
    /// (pod, why no node takes it): pods left Pending, with the scheduler's message.
    pub unschedulable: Vec<PodAssignment>,
    /// (pod, IP, IP of the other family on a dual-stack cluster) assignments, in order.
    pub assigned: Vec<(usize, String, Option<String>)>,
}

/// The scheduler and the CNI's IPAM: places every pod without a node on the node, among
/// those whose filters pass, with the fewest pods (the first on a tie), then gives every pod
/// without an IP the next free address of its node's pod CIDR, starting at `.2` (`.1` is the
/// bridge, as with the host-local IPAM of flannel and kindnet). `ipam` is each node's IPAM
/// cursor (the offset after the last address it handed out). A pod no node takes stays
/// Pending, with the scheduler's message; one that was already refused and is refused for
/// the same reason is not reported again.
///
/// Decides only: the caller applies the decisions as events, which also move the cursors.
pub fn schedule(pods: &[SimPod], nodes: &[SimNode], ipam: &BTreeMap<String, u64>) -> Placement {
    let positions: BTreeMap<&str, usize> = crate::small::order::map_from(
        nodes
            .iter()
            .enumerate()
            .map(|(position, node)| (node.name.as_str(), position)),
    );
    // Each pod's node position as decided so far.
    let mut bound: Vec<Option<usize>> = pods
        .iter()
        .map(|pod| {
            pod.node_name
                .as_deref()
                .and_then(|node| positions.get(node).copied())
        })
        .collect();
    let mut states: Vec<NodeState> = vec![NodeState::default(); nodes.len()];
    for (pod, position) in pods.iter().zip(&bound) {
        let (Some(position), false) = (position, pod.is_terminal()) else {
            continue;
        };
        if let Some(state) = states.get_mut(*position) {
            let candidate = Candidate::of(pod);
            state.add(candidate.priority, candidate.request, candidate.ports);
        }
    }
    let mut placement = Placement::default();
    // The nodes by (pods, position): the one with the fewest pods first, the first on a tie.
    // Entries are refreshed lazily: a stale count is pushed again with the current one.
    let mut heap: BinaryHeap<Reverse<(i64, usize)>> = states
        .iter()
        .enumerate()
        .map(|(position, state)| Reverse((state.pods, position)))
        .collect();
    for (index, (pod, slot)) in pods.iter().zip(bound.iter_mut()).enumerate() {
        if pod.node_name.is_some() || pod.is_terminal() {
            continue;
        }
        let candidate = Candidate::of(pod);
        let fits = |position: usize, states: &[NodeState]| match (
            nodes.get(position),
            states.get(position),
        ) {
            (Some(node), Some(state)) => filter(&candidate, node, state).is_ok(),
            _ => false,
        };
        let chosen = match candidate.spec.node_name.as_deref() {
            // A DaemonSet's pod: only its node can take it.
            Some(pinned) => positions
                .get(pinned)
                .copied()
                .filter(|position| fits(*position, &states)),
            None => {
                let mut passed_over = Vec::new();
                let mut chosen = None;
                while let Some(Reverse((count, position))) = heap.pop() {
                    let current = states.get(position).map(|state| state.pods).unwrap_or(0);
                    if current != count {
                        heap.push(Reverse((current, position)));
                        continue;
                    }
                    passed_over.push(Reverse((count, position)));
                    if fits(position, &states) {
                        chosen = Some(position);
                        break;
                    }
                }
                heap.extend(passed_over);
                chosen
            }
        };
        match chosen.and_then(|position| nodes.get(position).map(|node| (position, node))) {
            Some((position, node)) => {
                if let Some(state) = states.get_mut(position) {
                    state.add(
                        candidate.priority,
                        candidate.request,
                        candidate.ports.clone(),
                    );
                    heap.push(Reverse((state.pods, position)));
                }
                *slot = Some(position);
                placement.placed.push((index, node.name.clone()));
            }
            None => {
                let rejections: Vec<Rejection> = nodes
                    .iter()
                    .zip(&states)
                    .filter_map(|(node, state)| filter(&candidate, node, state).err())
                    .collect();
                let message = fit_error(&candidate, nodes, &states, &rejections);
                if pod.unschedulable.as_deref() != Some(message.as_str()) {
                    placement.unschedulable.push((index, message));
                }
            }
        }
    }
    // Per node: the addresses in use, as offsets in its (primary) pod range.
    // (u32: the offsets the cursor reaches; one B-tree type with the model's others.)
    let mut used: Vec<std::collections::BTreeSet<u32>> =
        vec![std::collections::BTreeSet::new(); nodes.len()];
    for (pod, position) in pods.iter().zip(&bound) {
        let (Some(position), Some(ip)) = (position, pod.ip.as_deref()) else {
            continue;
        };
        let (Some(set), Some(node), Ok(address)) = (
            used.get_mut(*position),
            nodes.get(*position),
            ip.parse::<IpAddr>(),
        ) else {
            continue;
        };
        if node.pod_cidr.contains(address) {
            if let Ok(offset) = u32::try_from(node.pod_cidr.offset_of(address)) {
                set.insert(offset);
            }
        }
    }
    let mut cursors: Vec<u64> = nodes
        .iter()
        .map(|node| ipam.get(&node.name).copied().unwrap_or(2))
        .collect();
    for (index, (pod, position)) in pods.iter().zip(&bound).enumerate() {
        if pod.ip.is_some() {
            continue;
        }
        let Some(position) = *position else {
            continue;
        };
        let (Some(node), Some(taken), Some(offset)) = (
            nodes.get(position),
            used.get_mut(position),
            cursors.get_mut(position),
        ) else {
            continue;
        };
        if pod.spec.host_network == Some(true) {
            placement.assigned.push((
                index,
                node.internal_ip.clone(),
                node.secondary_internal_ip.clone(),
            ));
            continue;
        }
        let last = node.pod_cidr.size().saturating_sub(1);
        // host-local IPAM resumes after the last address it reserved and wraps around at the
        // end of the range, so a replaced pod gets a new address, not the one just freed. With
        // two ranges (dual-stack) it keeps a cursor per range; both move together here, so a
        // pod's two addresses share their offset (10.244.1.5 and fd00:10:244:1::5).
        let usable = last.saturating_sub(2);
        for _ in 0..usable {
            if *offset >= last {
                *offset = 2;
            }
            let candidate = *offset;
            *offset += 1;
            if u32::try_from(candidate).is_ok_and(|key| taken.insert(key)) {
                placement.assigned.push((
                    index,
                    node.pod_cidr.nth(candidate).to_string(),
                    node.secondary_pod_cidr
                        .map(|cidr| cidr.nth(candidate).to_string()),
                ));
                break;
            }
        }
    }
    placement
}
