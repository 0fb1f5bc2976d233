//! The simulated cluster: what a control plane makes of the input.
//!
//! [`Cluster::build`] reads the manifests, then creates the objects through the API server
//! model (defaulting, validation, allocation). Objects the API server rejects are marked
//! rejected and explained by diagnostics that carry upstream's field paths and error types.
//!
//! Then the controllers run, each step recorded as an [`Event`]: the workload controllers
//! create pods, the scheduler places them, the CNI gives them addresses, the kubelet reports
//! them Ready, and the EndpointSlice and Endpoints controllers publish them for every Service
//! whose selector matches.

use crate::sim::config::ClusterConfig;
use crate::sim::control::apiserver::{
    builtin_services, create_services, validate_endpoint_slice, validate_workload, Admission,
    Allocators,
};
use crate::sim::input::labels::selector_matches;
use std::collections::BTreeMap;

use crate::sim::control::endpoints::{
    endpoint_slices, endpoints_from_input, endpoints_object, mirror_slices, node_zones,
    EndpointAddress, EndpointPort, EndpointSubset, PodIndex, SimEndpointSlice, SimEndpoints,
    SliceEndpoint,
};
use crate::sim::control::explain::explain;
use crate::sim::control::workloads::{
    coredns_deployment, nodes, pod_from_input, pods_for_workload, random_suffix, schedule, uid_for,
    SimNode, SimPod, SimWorkload, CONTROLLER_LABELS, MAX_PODS_PER_WORKLOAD, READY_ANNOTATION,
};
use crate::sim::input::diagnostic::{Diagnostic, Severity};
use crate::sim::input::field::FieldError;
use crate::sim::input::manifest::{parse_manifests, ObjectRef, ReadStatus};
use crate::sim::input::objects::{Object, Service, Workload, WorkloadKind};
use crate::sim::input::yaml;

/// A change to the running cluster, as a user makes it with kubectl.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `kubectl scale KIND/NAME --replicas=N` (Deployment, ReplicaSet or StatefulSet).
    Scale {
        /// Namespace.
        namespace: String,
        /// Kind of the workload.
        kind: WorkloadKind,
        /// Name of the workload.
        name: String,
        /// Wanted replicas.
        replicas: usize,
    },
    /// `kubectl delete pod NAME`: its controller, if any, replaces it.
    DeletePod {
        /// Namespace.
        namespace: String,
        /// Pod name.
        name: String,
    },
    /// The pod's readiness probe starts passing or failing.
    SetPodReady {
        /// Namespace.
        namespace: String,
        /// Pod name.
        name: String,
        /// Ready or not.
        ready: bool,
    },
    /// `kubectl label pod NAME ... --overwrite`: the pod's labels become these.
    SetPodLabels {
        /// Namespace.
        namespace: String,
        /// Pod name.
        name: String,
        /// The new labels.
        labels: BTreeMap<String, String>,
    },
}

/// One step of the cluster's convergence, in the order a control plane takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The API server stored a Service (with its cluster IP, if any).
    ServiceCreated {
        /// `namespace/name`.
        service: String,
        /// The allocated cluster IP, `None` for headless and ExternalName.
        cluster_ip: Option<String>,
    },
    /// The Deployment controller created a ReplicaSet.
    ReplicaSetCreated {
        /// `namespace/name` of the ReplicaSet.
        replica_set: String,
        /// Name of the Deployment.
        deployment: String,
    },
    /// A controller (or the input) created a pod.
    PodCreated {
        /// `namespace/name`.
        pod: String,
        /// `Kind/name` of the owner, empty for a pod given in the input.
        owner: String,
    },
    /// The scheduler bound a pod to a node.
    PodScheduled {
        /// `namespace/name`.
        pod: String,
        /// The node.
        node: String,
    },
    /// The CNI plugin gave a pod its IP.
    PodIpAssigned {
        /// `namespace/name`.
        pod: String,
        /// The IP.
        ip: String,
    },
    /// A pod was deleted.
    PodDeleted {
        /// `namespace/name`.
        pod: String,
    },
    /// A workload's replicas were changed.
    WorkloadScaled {
        /// `Kind/namespace/name`.
        workload: String,
        /// The new replicas.
        replicas: usize,
    },
    /// A pod's labels were changed.
    PodLabelsChanged {
        /// `namespace/name`.
        pod: String,
        /// The new labels, `k=v,...`.
        labels: String,
    },
    /// The EndpointSlice controller deleted a slice it no longer needs.
    EndpointSliceDeleted {
        /// `namespace/name` of the slice.
        slice: String,
    },
    /// The kubelet reported the pod Ready (or not).
    PodReadiness {
        /// `namespace/name`.
        pod: String,
        /// Ready or not.
        ready: bool,
    },
    /// The EndpointSlice controller (or the mirroring controller) wrote a slice.
    EndpointSliceWritten {
        /// `namespace/name` of the slice.
        slice: String,
        /// The Service.
        service: String,
        /// The endpoints' addresses with their readiness.
        endpoints: Vec<(String, bool)>,
    },
    /// The Endpoints controller wrote the legacy Endpoints object.
    EndpointsWritten {
        /// `namespace/name`.
        endpoints: String,
        /// Ready addresses.
        ready: Vec<String>,
        /// Not-ready addresses.
        not_ready: Vec<String>,
    },
}

impl Event {
    /// The event in one line of plain words.
    pub fn message(&self) -> String {
        match self {
            Event::ServiceCreated {
                service,
                cluster_ip,
            } => match cluster_ip {
                Some(ip) => format!("Service {service} created, cluster IP {ip} allocated"),
                None => format!("Service {service} created, no cluster IP"),
            },
            Event::ReplicaSetCreated {
                replica_set,
                deployment,
            } => {
                format!("ReplicaSet {replica_set} created by Deployment {deployment}")
            }
            Event::PodCreated { pod, owner } if owner.is_empty() => format!("pod {pod} created"),
            Event::PodCreated { pod, owner } => format!("pod {pod} created by {owner}"),
            Event::PodScheduled { pod, node } => format!("pod {pod} scheduled to {node}"),
            Event::PodDeleted { pod } => format!("pod {pod} deleted"),
            Event::WorkloadScaled { workload, replicas } => {
                format!("{workload} scaled to {replicas} replicas")
            }
            Event::PodLabelsChanged { pod, labels } => {
                format!("pod {pod} labels set to {labels}")
            }
            Event::EndpointSliceDeleted { slice } => format!("EndpointSlice {slice} deleted"),
            Event::PodIpAssigned { pod, ip } => format!("pod {pod} got IP {ip}"),
            Event::PodReadiness { pod, ready: true } => format!("pod {pod} is Ready"),
            Event::PodReadiness { pod, ready: false } => format!("pod {pod} is not Ready"),
            Event::EndpointSliceWritten {
                slice,
                service,
                endpoints,
            } => {
                let list: Vec<String> = endpoints
                    .iter()
                    .map(|(ip, ready)| {
                        if *ready {
                            ip.clone()
                        } else {
                            format!("{ip} (not ready)")
                        }
                    })
                    .collect();
                if list.is_empty() {
                    format!("EndpointSlice {slice} for Service {service} written with no endpoints")
                } else {
                    format!(
                        "EndpointSlice {slice} for Service {service}: {}",
                        list.join(", ")
                    )
                }
            }
            Event::EndpointsWritten {
                endpoints,
                ready,
                not_ready,
            } => {
                let mut text = format!("Endpoints {endpoints}: ");
                text.push_str(&if ready.is_empty() {
                    "<none> ready".to_owned()
                } else {
                    ready.join(",")
                });
                if !not_ready.is_empty() {
                    text.push_str(&format!(", not ready: {}", not_ready.join(",")));
                }
                text
            }
        }
    }
}

/// The cluster after applying the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The configuration it was built with.
    pub config: ClusterConfig,
    /// Every object of the input, in input order, with what became of it.
    pub objects: Vec<ObjectRef>,
    /// Problems, in input order; API validation errors follow the reading problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The Services stored by the API server (defaulted and allocated): the cluster's own
    /// `default/kubernetes` and `kube-system/kube-dns` first, then the input's.
    pub services: Vec<Service>,
    /// The nodes.
    pub nodes: Vec<SimNode>,
    /// The workloads (the cluster's CoreDNS Deployment, then the input's accepted ones), with
    /// the ReplicaSets the Deployment controller made.
    pub workloads: Vec<SimWorkload>,
    /// Every pod: the input's, then those the controllers created, in creation order.
    pub pods: Vec<SimPod>,
    /// Every EndpointSlice: managed ones per Service, mirrored ones, then the input's own.
    pub endpoint_slices: Vec<SimEndpointSlice>,
    /// Every legacy Endpoints object: managed ones per Service, then the input's own.
    pub endpoints: Vec<SimEndpoints>,
    /// The convergence, step by step.
    pub events: Vec<Event>,
    /// How many of `diagnostics` come from reading and the API server (the rest, the
    /// explanations, are recomputed after every command).
    base_diagnostics: usize,
    /// Each node's IPAM cursor.
    ipam: BTreeMap<String, u64>,
    /// Commands applied so far (seeds the names of replacement pods).
    generation: u64,
}

impl Cluster {
    /// Builds the cluster from manifest text.
    pub fn build(text: &str, config: &ClusterConfig) -> Cluster {
        let parsed = parse_manifests(text);
        let mut objects = parsed.objects;
        let mut diagnostics = parsed.diagnostics;
        let mut allocators = Allocators::new(config);

        let builtins = builtin_services(config);
        let builtin_ids: Vec<String> = builtins.iter().map(service_key).collect();
        let mut services = Vec::new();
        for admission in create_services(&mut allocators, builtins) {
            if let Admission::Created(service) = admission {
                services.push(*service);
            }
        }

        // The input's Services, with their index in `objects`.
        let mut inputs: Vec<(usize, Service)> = Vec::new();
        for (index, object) in objects.iter().enumerate() {
            if let Some(Object::Service(service)) = &object.decoded {
                let mut service = service.clone();
                service.meta.namespace = service.meta.namespace_or_default();
                inputs.push((index, service));
            }
        }
        // Applying a built-in Service again (say, kube-dns from CoreDNS's own manifests) updates
        // it; updates are not modelled, so the input's copy is kept as given (see README).
        let (updates, creates): (Vec<_>, Vec<_>) = inputs
            .into_iter()
            .partition(|(_, service)| builtin_ids.contains(&service_key(service)));
        for (index, _) in &updates {
            if let Some(object) = objects.get(*index) {
                let message = format!(
                    "{} already exists in every cluster; svcscope keeps the built-in one \
                     (updates of existing objects are not simulated)",
                    object.id()
                );
                diagnostics.push(object_diagnostic(
                    object,
                    Severity::Warning,
                    "",
                    "",
                    message,
                ));
            }
        }
        let (indices, create): (Vec<usize>, Vec<Service>) = creates.into_iter().unzip();
        for (index, admission) in indices
            .into_iter()
            .zip(create_services(&mut allocators, create))
        {
            match admission {
                Admission::Created(service) => services.push(*service),
                Admission::Rejected(errors) => {
                    let Some(object) = objects.get_mut(index) else {
                        continue;
                    };
                    reject(object, errors, &mut diagnostics);
                }
            }
        }
        let mut events: Vec<Event> = services
            .iter()
            .map(|service| Event::ServiceCreated {
                service: service_key(service),
                cluster_ip: service
                    .spec
                    .cluster_ip
                    .clone()
                    .filter(|ip| ip != "None" && !ip.is_empty()),
            })
            .collect();

        // Nodes, then pods: the input's own, then the controllers'.
        let node_objects: Vec<_> = objects
            .iter()
            .filter_map(|object| match &object.decoded {
                Some(Object::Node(node)) => Some(node.clone()),
                _ => None,
            })
            .collect();
        let nodes = nodes(&node_objects, config);
        // Sized up front: at 100,000 pods, growing these vectors by doubling copied hundreds of
        // megabytes (the benchmark's profile).
        let expected_pods = 2 + objects
            .iter()
            .map(|object| match &object.decoded {
                Some(Object::Pod(_)) => 1,
                Some(Object::Workload(workload)) => {
                    usize::try_from(workload.replicas.unwrap_or(1).max(0))
                        .unwrap_or(0)
                        .min(MAX_PODS_PER_WORKLOAD)
                }
                _ => 0,
            })
            .sum::<usize>();
        let mut pods: Vec<SimPod> = Vec::with_capacity(expected_pods);
        // Created, scheduled, IP assigned, readiness: four events per pod, then endpoints'.
        events.reserve(
            expected_pods
                .saturating_mul(4)
                .saturating_add(objects.len()),
        );
        // The cluster's own CoreDNS pods. In kubeadm and kind clusters they start on the
        // control-plane node before any worker joins, so that is where they run here.
        let mut workloads: Vec<SimWorkload> = Vec::new();
        let coredns = coredns_deployment();
        let control_plane = nodes
            .iter()
            .find(|node| node.control_plane)
            .map(|node| node.name.clone());
        let system_pods = pods_for_workload(&coredns, &nodes);
        record_workload(&coredns, &system_pods, &mut workloads);
        if let Some((_, replica_set)) = system_pods.first().and_then(|pod| pod.owner.clone()) {
            events.push(Event::ReplicaSetCreated {
                replica_set: format!("kube-system/{replica_set}"),
                deployment: "coredns".to_owned(),
            });
        }
        for mut pod in system_pods {
            events.push(Event::PodCreated {
                pod: pod_key(&pod),
                owner: pod
                    .owner
                    .as_ref()
                    .map(|(kind, name)| slash_join(kind, name))
                    .unwrap_or_default(),
            });
            if let Some(node) = &control_plane {
                pod.node_name = Some(node.clone());
                events.push(Event::PodScheduled {
                    pod: pod_key(&pod),
                    node: node.clone(),
                });
            }
            pods.push(pod);
        }
        for object in &objects {
            if let Some(Object::Pod(pod)) = &object.decoded {
                let pod = pod_from_input(pod);
                events.push(Event::PodCreated {
                    pod: pod_key(&pod),
                    owner: String::new(),
                });
                pods.push(pod);
            }
        }
        for object in objects.iter_mut() {
            let Some(Object::Workload(workload)) = &object.decoded else {
                continue;
            };
            let errors = validate_workload(workload);
            if !errors.is_empty() {
                reject(object, errors, &mut diagnostics);
                continue;
            }
            if workload.replicas.unwrap_or(1) > MAX_PODS_PER_WORKLOAD as i64 {
                let message = format!(
                    "svcscope simulates at most {MAX_PODS_PER_WORKLOAD} pods per workload; \
                     only that many are created"
                );
                diagnostics.push(object_diagnostic(
                    object,
                    Severity::Warning,
                    "spec.replicas",
                    "",
                    message,
                ));
            }
            let created = pods_for_workload(workload, &nodes);
            record_workload(workload, &created, &mut workloads);
            if workload.kind == WorkloadKind::Deployment {
                if let Some((_, replica_set)) = created.first().and_then(|pod| pod.owner.clone()) {
                    events.push(Event::ReplicaSetCreated {
                        replica_set: slash_join(&object.namespace, &replica_set),
                        deployment: workload.meta.name.clone(),
                    });
                }
            }
            for pod in created {
                let owner = pod
                    .owner
                    .as_ref()
                    .map(|(kind, name)| slash_join(kind, name))
                    .unwrap_or_default();
                events.push(Event::PodCreated {
                    pod: pod_key(&pod),
                    owner,
                });
                pods.push(pod);
            }
        }
        let mut ipam = BTreeMap::new();
        let (placed, assigned) = schedule(&mut pods, &nodes, &mut ipam);
        for (index, node) in placed {
            if let Some(pod) = pods.get(index) {
                events.push(Event::PodScheduled {
                    pod: pod_key(pod),
                    node,
                });
            }
        }
        for (index, ip) in assigned {
            if let Some(pod) = pods.get(index) {
                events.push(Event::PodIpAssigned {
                    pod: pod_key(pod),
                    ip,
                });
            }
        }
        for pod in pods.iter().filter(|pod| pod.ip.is_some()) {
            events.push(Event::PodReadiness {
                pod: pod_key(pod),
                ready: pod.ready,
            });
        }

        for object in objects.iter_mut() {
            let Some(Object::EndpointSlice(slice)) = &object.decoded else {
                continue;
            };
            let mut slice = slice.clone();
            // The API server defaults a port's protocol to TCP before validating.
            for port in &mut slice.ports {
                if port.protocol.as_deref().unwrap_or("").is_empty() {
                    port.protocol = Some("TCP".to_owned());
                }
            }
            let errors = validate_endpoint_slice(&slice);
            if !errors.is_empty() {
                object.decoded = None;
                reject(object, errors, &mut diagnostics);
            }
        }
        let index = PodIndex::new(&pods);
        let (slices, endpoints, endpoint_events) =
            run_endpoint_controllers(&services, &pods, &index, &nodes, &objects);
        events.extend(endpoint_events);
        let base_diagnostics = diagnostics.len();
        diagnostics.extend(explanations(
            &services, &pods, &index, &endpoints, &slices, &objects,
        ));
        drop(index);
        Cluster {
            config: config.clone(),
            objects,
            diagnostics,
            services,
            nodes,
            workloads,
            pods,
            endpoint_slices: slices,
            endpoints,
            events,
            base_diagnostics,
            ipam,
            generation: 0,
        }
    }

    /// Applies `command` as the cluster would react to it: the controllers replace deleted
    /// pods, add or remove pods to match replicas, the scheduler and IPAM place new pods, and
    /// the endpoint controllers rewrite what changed. Returns the new events (also appended to
    /// `events`). A command naming something that does not exist changes nothing.
    pub fn apply(&mut self, command: &Command) -> Vec<Event> {
        self.generation += 1;
        let mut events = Vec::new();
        match command {
            Command::DeletePod { namespace, name } => {
                let Some(position) = self
                    .pods
                    .iter()
                    .position(|pod| &pod.namespace == namespace && &pod.name == name)
                else {
                    return events;
                };
                let deleted = self.pods.remove(position);
                events.push(Event::PodDeleted {
                    pod: pod_key(&deleted),
                });
                if let Some(replacement) = self.replacement_for(&deleted) {
                    events.push(Event::PodCreated {
                        pod: pod_key(&replacement),
                        owner: owner_text(&replacement),
                    });
                    self.pods.push(replacement);
                }
            }
            Command::Scale {
                namespace,
                kind,
                name,
                replicas,
            } => {
                let Some(workload) = self.workloads.iter_mut().find(|workload| {
                    &workload.namespace == namespace
                        && workload.kind == *kind
                        && &workload.name == name
                }) else {
                    return events;
                };
                if *kind == WorkloadKind::DaemonSet {
                    return events;
                }
                let replicas = (*replicas).min(MAX_PODS_PER_WORKLOAD);
                workload.desired = replicas;
                workload.spec.replicas = Some(replicas as i64);
                let owner = workload.pod_owner.clone();
                let spec = workload.spec.clone();
                events.push(Event::WorkloadScaled {
                    workload: format!("{}/{namespace}/{name}", kind.as_str()),
                    replicas,
                });
                let owned = |pod: &SimPod| {
                    &pod.namespace == namespace && pod.owner.as_ref() == Some(&owner)
                };
                let mut current = self.pods.iter().filter(|pod| owned(pod)).count();
                // Scale down: the newest pods first (StatefulSets: the highest ordinals).
                while current > replicas {
                    let Some(position) = self.pods.iter().rposition(&owned) else {
                        break;
                    };
                    let removed = self.pods.remove(position);
                    events.push(Event::PodDeleted {
                        pod: pod_key(&removed),
                    });
                    current -= 1;
                }
                // Scale up: the pods the controller would name, skipping names in use.
                if current < replicas {
                    let mut candidates = pods_for_workload(&spec, &self.nodes);
                    if *kind != WorkloadKind::StatefulSet {
                        // Fresh random names for pods added after creation.
                        for (index, pod) in candidates.iter_mut().enumerate() {
                            pod.name = format!(
                                "{}-{}",
                                owner.1,
                                random_suffix(&format!(
                                    "{namespace}/{}/{index}/{}",
                                    owner.1, self.generation
                                ))
                            );
                            pod.uid = uid_for(namespace, &pod.name);
                        }
                    }
                    for candidate in candidates {
                        if current >= replicas {
                            break;
                        }
                        let taken = self.pods.iter().any(|pod| {
                            pod.namespace == candidate.namespace && pod.name == candidate.name
                        });
                        if !taken {
                            events.push(Event::PodCreated {
                                pod: pod_key(&candidate),
                                owner: owner_text(&candidate),
                            });
                            self.pods.push(candidate);
                            current += 1;
                        }
                    }
                }
            }
            Command::SetPodReady {
                namespace,
                name,
                ready,
            } => {
                let Some(pod) = pod_mut(&mut self.pods, namespace, name) else {
                    return events;
                };
                pod.ready = *ready;
                events.push(Event::PodReadiness {
                    pod: pod_key(pod),
                    ready: *ready,
                });
            }
            Command::SetPodLabels {
                namespace,
                name,
                labels,
            } => {
                let Some(pod) = pod_mut(&mut self.pods, namespace, name) else {
                    return events;
                };
                let before = pod.clone();
                pod.labels = labels.clone();
                events.push(Event::PodLabelsChanged {
                    pod: pod_key(pod),
                    labels: crate::sim::input::labels::labels_text(labels, ","),
                });
                // A pod whose labels leave its controller's selector is orphaned, and the
                // controller makes a replacement (the ReplicaSet controller's adoption and
                // release of pods by selector).
                let released = before.owner.as_ref().and_then(|owner| {
                    self.workloads
                        .iter()
                        .find(|workload| {
                            workload.namespace == before.namespace && &workload.pod_owner == owner
                        })
                        .map(|workload| {
                            let selector_holds = workload
                                .spec
                                .selector
                                .as_ref()
                                .is_some_and(|selector| selector_matches(selector, labels));
                            let hash_holds = before
                                .labels
                                .get("pod-template-hash")
                                .is_none_or(|hash| labels.get("pod-template-hash") == Some(hash));
                            !(selector_holds && hash_holds)
                        })
                });
                if released == Some(true) {
                    pod.owner = None;
                    if let Some(replacement) = self.replacement_for(&before) {
                        events.push(Event::PodCreated {
                            pod: pod_key(&replacement),
                            owner: owner_text(&replacement),
                        });
                        self.pods.push(replacement);
                    }
                }
            }
        }
        let (placed, assigned) = schedule(&mut self.pods, &self.nodes, &mut self.ipam);
        for (index, node) in placed {
            if let Some(pod) = self.pods.get(index) {
                events.push(Event::PodScheduled {
                    pod: pod_key(pod),
                    node,
                });
            }
        }
        for (index, ip) in assigned {
            if let Some(pod) = self.pods.get(index) {
                events.push(Event::PodIpAssigned {
                    pod: pod_key(pod),
                    ip,
                });
                events.push(Event::PodReadiness {
                    pod: pod_key(pod),
                    ready: pod.ready,
                });
            }
        }
        // The endpoint controllers write only what changed.
        let index = PodIndex::new(&self.pods);
        let (slices, endpoints, written) = run_endpoint_controllers(
            &self.services,
            &self.pods,
            &index,
            &self.nodes,
            &self.objects,
        );
        drop(index);
        for event in written {
            let key = |namespace: &str, name: &str| format!("{namespace}/{name}");
            let changed = match &event {
                Event::EndpointSliceWritten { slice, .. } => {
                    let old = self
                        .endpoint_slices
                        .iter()
                        .find(|old| &key(&old.namespace, &old.name) == slice);
                    let new = slices
                        .iter()
                        .find(|new| &key(&new.namespace, &new.name) == slice);
                    old != new
                }
                Event::EndpointsWritten {
                    endpoints: written, ..
                } => {
                    let old = self
                        .endpoints
                        .iter()
                        .find(|old| &key(&old.namespace, &old.name) == written);
                    let new = endpoints
                        .iter()
                        .find(|new| &key(&new.namespace, &new.name) == written);
                    old != new
                }
                _ => true,
            };
            if changed {
                events.push(event);
            }
        }
        for old in &self.endpoint_slices {
            if !slices
                .iter()
                .any(|new| new.namespace == old.namespace && new.name == old.name)
            {
                events.push(Event::EndpointSliceDeleted {
                    slice: slash_join(&old.namespace, &old.name),
                });
            }
        }
        self.endpoint_slices = slices;
        self.endpoints = endpoints;
        self.diagnostics.truncate(self.base_diagnostics);
        let explained = explanations(
            &self.services,
            &self.pods,
            &PodIndex::new(&self.pods),
            &self.endpoints,
            &self.endpoint_slices,
            &self.objects,
        );
        self.diagnostics.extend(explained);
        self.events.extend(events.iter().cloned());
        events
    }

    /// The pod a controller creates when `deleted` goes away: a ReplicaSet or DaemonSet makes
    /// one with a new name from its template (a DaemonSet on the same node), a StatefulSet
    /// recreates the same name and identity. Bare pods are not replaced.
    fn replacement_for(&self, deleted: &SimPod) -> Option<SimPod> {
        let (kind, owner) = deleted.owner.clone()?;
        let workload = self.workloads.iter().find(|workload| {
            workload.namespace == deleted.namespace
                && workload.pod_owner == (kind.clone(), owner.clone())
        })?;
        let template = &workload.spec.template;
        let mut pod = deleted.clone();
        let mut labels = template.meta.labels.clone();
        for (key, value) in &deleted.labels {
            if CONTROLLER_LABELS.contains(&key.as_str()) {
                labels.insert(key.clone(), value.clone());
            }
        }
        pod.labels = labels;
        pod.ip = None;
        pod.terminating = false;
        pod.ready = template
            .meta
            .annotations
            .get(READY_ANNOTATION)
            .map(String::as_str)
            != Some("false");
        match kind.as_str() {
            "StatefulSet" => pod.node_name = None,
            "DaemonSet" => {
                pod.name = format!(
                    "{owner}-{}",
                    random_suffix(&format!(
                        "{}/{owner}/replacement/{}",
                        deleted.namespace, self.generation
                    ))
                );
            }
            _ => {
                pod.node_name = None;
                pod.name = format!(
                    "{owner}-{}",
                    random_suffix(&format!(
                        "{}/{owner}/replacement/{}",
                        deleted.namespace, self.generation
                    ))
                );
            }
        }
        pod.uid = uid_for(&pod.namespace, &format!("{}#{}", pod.name, self.generation));
        Some(pod)
    }

    /// The Service `namespace/name`.
    pub fn service(&self, namespace: &str, name: &str) -> Option<&Service> {
        self.services
            .iter()
            .find(|service| service.meta.namespace == namespace && service.meta.name == name)
    }

    /// The Endpoints object `namespace/name`.
    pub fn endpoints_named(&self, namespace: &str, name: &str) -> Option<&SimEndpoints> {
        self.endpoints
            .iter()
            .find(|endpoints| endpoints.namespace == namespace && endpoints.name == name)
    }

    /// True when the API server would reject something, or something could not be read.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// The EndpointSlice, Endpoints and mirroring controllers, and the API server's own endpoints,
/// over the current Services and pods; the input's own Endpoints and EndpointSlices are kept.
fn run_endpoint_controllers(
    services: &[Service],
    pods: &[SimPod],
    index: &PodIndex,
    nodes: &[SimNode],
    objects: &[ObjectRef],
) -> (Vec<SimEndpointSlice>, Vec<SimEndpoints>, Vec<Event>) {
    let mut events = Vec::new();
    let mut slices = Vec::new();
    let mut endpoints = Vec::new();
    let zones = node_zones(nodes);
    for service in services {
        for slice in endpoint_slices(service, pods, index, &zones) {
            events.push(slice_event(&slice));
            slices.push(slice);
        }
        if let Some(object) = endpoints_object(service, pods, index) {
            events.push(endpoints_event(&object));
            endpoints.push(object);
        }
    }
    // The API server's own endpoint reconciler publishes itself behind default/kubernetes.
    if let Some(node) = nodes.iter().find(|node| node.control_plane) {
        let apiserver = SimEndpoints {
            name: "kubernetes".to_owned(),
            namespace: "default".to_owned(),
            labels: BTreeMap::from([(
                "endpointslice.kubernetes.io/skip-mirror".to_owned(),
                "true".to_owned(),
            )]),
            subsets: vec![EndpointSubset {
                addresses: vec![EndpointAddress {
                    ip: node.internal_ip.clone(),
                    hostname: None,
                    node_name: None,
                    target_ref: None,
                }],
                not_ready_addresses: Vec::new(),
                ports: vec![EndpointPort {
                    name: "https".to_owned(),
                    port: 6443,
                    protocol: "TCP".to_owned(),
                    app_protocol: None,
                }],
            }],
        };
        let apiserver_slice = SimEndpointSlice {
            name: "kubernetes".to_owned(),
            namespace: "default".to_owned(),
            service: "kubernetes".to_owned(),
            labels: BTreeMap::from([(
                "kubernetes.io/service-name".to_owned(),
                "kubernetes".to_owned(),
            )]),
            address_type: "IPv4".to_owned(),
            endpoints: vec![SliceEndpoint {
                addresses: vec![node.internal_ip.clone()],
                ready: true,
                serving: true,
                terminating: false,
                hostname: None,
                node_name: None,
                zone: None,
                target_ref: None,
            }],
            ports: vec![EndpointPort {
                name: "https".to_owned(),
                port: 6443,
                protocol: "TCP".to_owned(),
                app_protocol: None,
            }],
        };
        // It writes the EndpointSlice as well as the Endpoints object.
        events.push(slice_event(&apiserver_slice));
        slices.insert(0, apiserver_slice);
        events.push(endpoints_event(&apiserver));
        endpoints.insert(0, apiserver);
    }
    for object in objects {
        match &object.decoded {
            Some(Object::Endpoints(input)) => {
                let given = endpoints_from_input(input);
                let selectorless = services.iter().any(|service| {
                    service.meta.namespace == given.namespace
                        && service.meta.name == given.name
                        && service.spec.selector.is_none()
                });
                if selectorless {
                    for slice in mirror_slices(&given) {
                        events.push(slice_event(&slice));
                        slices.push(slice);
                    }
                }
                endpoints.push(given);
            }
            Some(Object::EndpointSlice(input)) => {
                // Stored by the API server as given.
                let slice = slice_from_input(input);
                events.push(slice_event(&slice));
                slices.push(slice);
            }
            _ => {}
        }
    }
    (slices, endpoints, events)
}

/// The plain-words explanations, as warnings placed at the Service's field.
fn explanations(
    services: &[Service],
    pods: &[SimPod],
    index: &PodIndex,
    endpoints: &[SimEndpoints],
    slices: &[SimEndpointSlice],
    objects: &[ObjectRef],
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for explanation in explain(services, pods, index, endpoints, slices) {
        let (namespace, name) = explanation
            .service
            .split_once('/')
            .unwrap_or(("", explanation.service.as_str()));
        let source = objects.iter().find(|object| {
            object.kind == "Service" && object.namespace == namespace && object.name == name
        });
        let node = source
            .and_then(|object| object.source.as_ref())
            .map(|root| yaml::locate(root, &explanation.field));
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            document: source.map_or(0, |object| object.document),
            line: node.map(|node| node.line),
            column: node.map(|node| node.column),
            object: format!("Service/{}", explanation.service),
            field: explanation.field,
            error_type: String::new(),
            message: explanation.message,
        });
    }
    diagnostics
}

/// A diagnostic about `object`, placed at `field` in its YAML (or at the object when the field
/// is not in the text, say because it was defaulted).
fn object_diagnostic(
    object: &ObjectRef,
    severity: Severity,
    field: &str,
    error_type: &str,
    message: String,
) -> Diagnostic {
    let node = object.source.as_ref().map(|root| yaml::locate(root, field));
    Diagnostic {
        severity,
        document: object.document,
        line: node.map(|node| node.line),
        column: node.map(|node| node.column),
        object: object.id(),
        field: field.to_owned(),
        error_type: error_type.to_owned(),
        message,
    }
}

/// Marks `object` rejected by the API server and records its field errors.
fn reject(object: &mut ObjectRef, errors: Vec<FieldError>, diagnostics: &mut Vec<Diagnostic>) {
    object.status = ReadStatus::Rejected;
    for error in errors {
        diagnostics.push(object_diagnostic(
            object,
            Severity::Error,
            &error.field,
            error.error_type.as_str(),
            error.to_kubectl_string(),
        ));
    }
}

/// Records `workload` (and, for a Deployment, its ReplicaSet) for `kubectl get`.
fn record_workload(workload: &Workload, pods: &[SimPod], workloads: &mut Vec<SimWorkload>) {
    let namespace = workload.meta.namespace_or_default();
    let containers = &workload.template.spec.containers;
    let selector = workload
        .selector
        .as_ref()
        .map(|selector| crate::sim::input::labels::labels_text(&selector.match_labels, ","))
        .unwrap_or_default();
    let own = (
        workload.kind.as_str().to_owned(),
        workload.meta.name.clone(),
    );
    let pod_owner = pods
        .first()
        .and_then(|pod| pod.owner.clone())
        .unwrap_or_else(|| own.clone());
    let record = |kind: WorkloadKind,
                  name: String,
                  selector: String,
                  pod_owner: (String, String)| SimWorkload {
        kind,
        namespace: namespace.clone(),
        name,
        desired: pods.len(),
        containers: containers
            .iter()
            .map(|container| container.name.clone())
            .collect(),
        images: containers
            .iter()
            .map(|container| container.image.clone())
            .collect(),
        selector,
        pod_owner,
        spec: workload.clone(),
    };
    workloads.push(record(
        workload.kind,
        workload.meta.name.clone(),
        selector.clone(),
        pod_owner.clone(),
    ));
    if workload.kind == WorkloadKind::Deployment && pod_owner.0 == "ReplicaSet" {
        let hash = pod_owner
            .1
            .rsplit('-')
            .next()
            .unwrap_or_default()
            .to_owned();
        let selector = if selector.is_empty() {
            format!("pod-template-hash={hash}")
        } else {
            format!("{selector},pod-template-hash={hash}")
        };
        workloads.push(record(
            WorkloadKind::ReplicaSet,
            pod_owner.1.clone(),
            selector,
            pod_owner,
        ));
    }
}

/// The event of a controller writing `slice`.
fn slice_event(slice: &SimEndpointSlice) -> Event {
    Event::EndpointSliceWritten {
        slice: slash_join(&slice.namespace, &slice.name),
        service: slice.service.clone(),
        endpoints: slice
            .endpoints
            .iter()
            .flat_map(|endpoint| {
                endpoint
                    .addresses
                    .iter()
                    .map(|ip| (ip.clone(), endpoint.ready))
            })
            .collect(),
    }
}

fn endpoints_event(object: &SimEndpoints) -> Event {
    let collect = |ready: bool| -> Vec<String> {
        object
            .subsets
            .iter()
            .flat_map(|subset| {
                if ready {
                    &subset.addresses
                } else {
                    &subset.not_ready_addresses
                }
            })
            .map(|address| address.ip.clone())
            .collect()
    };
    Event::EndpointsWritten {
        endpoints: slash_join(&object.namespace, &object.name),
        ready: collect(true),
        not_ready: collect(false),
    }
}

fn slice_from_input(input: &crate::sim::input::objects::EndpointSlice) -> SimEndpointSlice {
    let namespace = input.meta.namespace_or_default();
    SimEndpointSlice {
        name: input.meta.name.clone(),
        namespace: namespace.clone(),
        service: input
            .meta
            .labels
            .get("kubernetes.io/service-name")
            .cloned()
            .unwrap_or_default(),
        labels: input.meta.labels.clone(),
        address_type: input.address_type.clone().unwrap_or_default(),
        endpoints: input
            .endpoints
            .iter()
            .map(|endpoint| crate::sim::control::endpoints::SliceEndpoint {
                addresses: endpoint.addresses.clone(),
                // discovery/v1: a nil `ready` is interpreted as true, like `serving`.
                ready: endpoint.conditions.ready.unwrap_or(true),
                serving: endpoint
                    .conditions
                    .serving
                    .or(endpoint.conditions.ready)
                    .unwrap_or(true),
                terminating: endpoint.conditions.terminating.unwrap_or(false),
                hostname: endpoint.hostname.clone(),
                node_name: endpoint.node_name.clone(),
                zone: endpoint.zone.clone(),
                target_ref: endpoint.target_ref.as_ref().map(|target| {
                    crate::sim::control::endpoints::TargetRef {
                        kind: target.kind.clone(),
                        namespace: target.namespace.clone(),
                        name: target.name.clone(),
                        uid: target.uid.clone(),
                    }
                }),
            })
            .collect(),
        ports: input
            .ports
            .iter()
            .map(|port| crate::sim::control::endpoints::EndpointPort {
                name: port.name.clone().unwrap_or_default(),
                port: port.port.unwrap_or(0),
                protocol: port.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
                app_protocol: port.app_protocol.clone(),
            })
            .collect(),
    }
}

/// The pod `namespace/name` in `pods`, to change it.
fn pod_mut<'p>(pods: &'p mut [SimPod], namespace: &str, name: &str) -> Option<&'p mut SimPod> {
    pods.iter_mut()
        .find(|pod| pod.namespace == namespace && pod.name == name)
}

fn owner_text(pod: &SimPod) -> String {
    pod.owner
        .as_ref()
        .map(|(kind, name)| slash_join(kind, name))
        .unwrap_or_default()
}

fn pod_key(pod: &SimPod) -> String {
    slash_join(&pod.namespace, &pod.name)
}

fn service_key(service: &Service) -> String {
    slash_join(&service.meta.namespace, &service.meta.name)
}

/// `a/b`, in one allocation: event keys are made for every pod several times, and `format!`
/// showed in the 10,000-Service profile.
fn slash_join(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len() + 1 + b.len());
    out.push_str(a);
    out.push('/');
    out.push_str(b);
    out
}
