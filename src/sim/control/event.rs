//! Changes to the cluster: [`Command`]s a user makes with kubectl, and the [`Event`]s the control
//! plane's components record. An event carries everything its change needs, so that applying the
//! events in order ([`crate::sim::control::cluster::Cluster::apply_event`], the one write path)
//! builds the cluster, and applying the first N of them gives the cluster at step N.

use std::collections::BTreeMap;

use crate::sim::control::endpoints::{SimEndpointSlice, SimEndpoints};
use crate::sim::control::workloads::{SimNode, SimPod, SimWorkload};
use crate::sim::input::labels::labels_text;
use crate::sim::input::objects::{Service, Workload, WorkloadKind};
use crate::sim::key::ObjectKey;

/// A change to the running cluster, as a user makes it with kubectl.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Command {
    /// `kubectl scale KIND/NAME --replicas=N` (Deployment, ReplicaSet or StatefulSet).
    Scale {
        /// The workload.
        workload: ObjectKey,
        /// Its kind.
        kind: WorkloadKind,
        /// Wanted replicas.
        replicas: usize,
    },
    /// `kubectl delete pod NAME`: its controller, if any, replaces it.
    DeletePod {
        /// The pod.
        pod: ObjectKey,
    },
    /// The pod's readiness probe starts passing or failing.
    SetPodReady {
        /// The pod.
        pod: ObjectKey,
        /// Ready or not.
        ready: bool,
    },
    /// `kubectl label pod NAME ... --overwrite`: the pod's labels become these.
    SetPodLabels {
        /// The pod.
        pod: ObjectKey,
        /// The new labels.
        labels: BTreeMap<String, String>,
    },
    /// A worker node joins (`kubeadm join`): the next `node-N`, with the cluster's allocatable.
    AddNode,
    /// `kubectl delete node NAME`: the pod garbage collector deletes the pods bound to it, and
    /// their controllers replace them elsewhere (a DaemonSet does not).
    RemoveNode {
        /// The node.
        node: String,
    },
    /// `kubectl rollout restart KIND/NAME` (Deployment or StatefulSet): a new template (its
    /// `kubectl.kubernetes.io/restartedAt` annotation), rolled out by the workload's strategy.
    Restart {
        /// The workload.
        workload: ObjectKey,
        /// Its kind.
        kind: WorkloadKind,
    },
}

/// One step of the cluster's convergence, in the order a control plane takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The API server stored a Service (defaulted, with its cluster IP, if any).
    ServiceCreated {
        /// The Service as stored.
        service: Box<Service>,
    },
    /// The Deployment controller created a ReplicaSet.
    ReplicaSetCreated {
        /// The ReplicaSet.
        replica_set: Box<SimWorkload>,
        /// Name of the Deployment.
        deployment: String,
    },
    /// A controller (or the input) created a pod.
    PodCreated {
        /// The pod as created (its owner, if any, inside).
        pod: Box<SimPod>,
    },
    /// A node registered with the cluster.
    NodeAdded {
        /// The node.
        node: Box<SimNode>,
    },
    /// A node was deleted.
    NodeRemoved {
        /// Its name.
        node: String,
    },
    /// The scheduler bound a pod to a node.
    PodScheduled {
        /// The pod.
        pod: ObjectKey,
        /// The node.
        node: String,
    },
    /// The scheduler found no node for a pod: it stays Pending (`FailedScheduling`).
    PodUnschedulable {
        /// The pod.
        pod: ObjectKey,
        /// The scheduler's message (`0/3 nodes are available: ...`).
        message: String,
    },
    /// The CNI plugin gave a pod its IP.
    PodIpAssigned {
        /// The pod.
        pod: ObjectKey,
        /// The IP (`status.podIP`).
        ip: String,
        /// The IP of the other family on a dual-stack cluster (`status.podIPs[1]`).
        secondary: Option<String>,
    },
    /// A pod was deleted: it is gone from the API.
    PodDeleted {
        /// The pod.
        pod: ObjectKey,
    },
    /// A pod's deletion began (`metadata.deletionTimestamp`): it terminates, within its grace
    /// period, and is deleted when its containers have stopped.
    PodTerminating {
        /// The pod.
        pod: ObjectKey,
    },
    /// A workload's pod template changed (`kubectl rollout restart`, `kubectl apply`).
    TemplateChanged {
        /// Its kind.
        kind: WorkloadKind,
        /// The workload.
        workload: ObjectKey,
        /// The workload with its new template.
        spec: Box<Workload>,
    },
    /// A workload's replicas were changed.
    WorkloadScaled {
        /// Its kind.
        kind: WorkloadKind,
        /// The workload.
        workload: ObjectKey,
        /// The new replicas.
        replicas: usize,
    },
    /// A pod's labels were changed.
    PodLabelsChanged {
        /// The pod.
        pod: ObjectKey,
        /// The new labels.
        labels: BTreeMap<String, String>,
        /// Whether its controller let it go (its labels left the controller's selector).
        released: bool,
    },
    /// The EndpointSlice controller deleted a slice it no longer needs.
    EndpointSliceDeleted {
        /// The slice.
        slice: ObjectKey,
    },
    /// The kubelet reported the pod Ready (or not).
    PodReadiness {
        /// The pod.
        pod: ObjectKey,
        /// Ready or not.
        ready: bool,
    },
    /// The EndpointSlice controller (or the mirroring controller, or the API server's own
    /// endpoint reconciler) wrote a slice.
    EndpointSliceWritten {
        /// The slice as written.
        slice: Box<SimEndpointSlice>,
    },
    /// The Endpoints controller (or the API server's reconciler) wrote an Endpoints object.
    EndpointsWritten {
        /// The object as written.
        endpoints: Box<SimEndpoints>,
    },
}

impl Event {
    /// The event in one line of plain words.
    pub fn message(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = match self {
            Event::ServiceCreated { service } => {
                let (namespace, name) = (&service.meta.namespace, &service.meta.name);
                match service
                    .spec
                    .cluster_ip
                    .as_deref()
                    .filter(|ip| *ip != "None" && !ip.is_empty())
                {
                    Some(ip) => write!(
                        out,
                        "Service {namespace}/{name} created, cluster IP {ip} allocated"
                    ),
                    None => write!(out, "Service {namespace}/{name} created, no cluster IP"),
                }
            }
            Event::ReplicaSetCreated {
                replica_set,
                deployment,
            } => write!(
                out,
                "ReplicaSet {}/{} created by Deployment {deployment}",
                replica_set.namespace, replica_set.name
            ),
            Event::PodCreated { pod } => {
                let _ = write!(out, "pod {}/{} created", pod.namespace, pod.name);
                match &pod.owner {
                    Some((kind, owner)) => write!(out, " by {kind}/{owner}"),
                    None => Ok(()),
                }
            }
            Event::NodeAdded { node } => write!(
                out,
                "node {} joined ({}, pods {})",
                node.name, node.internal_ip, node.pod_cidr
            ),
            Event::NodeRemoved { node } => write!(out, "node {node} deleted"),
            Event::PodScheduled { pod, node } => write!(out, "pod {pod} scheduled to {node}"),
            Event::PodUnschedulable { pod, message } => {
                write!(out, "pod {pod} not scheduled: {message}")
            }
            Event::PodDeleted { pod } => write!(out, "pod {pod} deleted"),
            Event::PodTerminating { pod } => write!(out, "pod {pod} terminating"),
            Event::TemplateChanged { kind, workload, .. } => {
                write!(out, "{}/{workload} pod template changed", kind.as_str())
            }
            Event::WorkloadScaled {
                kind,
                workload,
                replicas,
            } => write!(
                out,
                "{}/{workload} scaled to {replicas} replicas",
                kind.as_str()
            ),
            Event::PodLabelsChanged { pod, labels, .. } => {
                write!(out, "pod {pod} labels set to {}", labels_text(labels, ","))
            }
            Event::EndpointSliceDeleted { slice } => write!(out, "EndpointSlice {slice} deleted"),
            Event::PodIpAssigned {
                pod,
                ip,
                secondary: None,
            } => write!(out, "pod {pod} got IP {ip}"),
            Event::PodIpAssigned {
                pod,
                ip,
                secondary: Some(secondary),
            } => write!(out, "pod {pod} got IPs {ip} and {secondary}"),
            Event::PodReadiness { pod, ready } => write!(
                out,
                "pod {pod} is {}",
                if *ready { "Ready" } else { "not Ready" }
            ),
            Event::EndpointSliceWritten { slice } => {
                let _ = write!(
                    out,
                    "EndpointSlice {}/{} for Service {}",
                    slice.namespace, slice.name, slice.service
                );
                let mut first = true;
                for endpoint in &slice.endpoints {
                    for ip in &endpoint.addresses {
                        out.push_str(if first { ": " } else { ", " });
                        first = false;
                        out.push_str(ip);
                        if endpoint.terminating {
                            out.push_str(if endpoint.serving {
                                " (terminating, serving)"
                            } else {
                                " (terminating)"
                            });
                        } else if !endpoint.ready {
                            out.push_str(" (not ready)");
                        }
                    }
                }
                if first {
                    out.push_str(" written with no endpoints");
                }
                Ok(())
            }
            Event::EndpointsWritten { endpoints } => {
                let _ = write!(
                    out,
                    "Endpoints {}/{}: ",
                    endpoints.namespace, endpoints.name
                );
                let addresses = |ready: bool| -> Vec<&str> {
                    endpoints
                        .subsets
                        .iter()
                        .flat_map(|subset| {
                            if ready {
                                &subset.addresses
                            } else {
                                &subset.not_ready_addresses
                            }
                        })
                        .map(|address| address.ip.as_str())
                        .collect()
                };
                let (ready, not_ready) = (addresses(true), addresses(false));
                if ready.is_empty() {
                    out.push_str("<none> ready");
                } else {
                    out.push_str(&ready.join(","));
                }
                if !not_ready.is_empty() {
                    out.push_str(", not ready: ");
                    out.push_str(&not_ready.join(","));
                }
                Ok(())
            }
        };
        out
    }
}
