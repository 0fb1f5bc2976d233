//! The simulated cluster: what a control plane makes of the input.
//!
//! [`Cluster::build`] reads the manifests, then creates the objects through the API server
//! model (defaulting, validation, allocation). Objects the API server rejects are marked
//! rejected and explained by diagnostics that carry upstream's field paths and error types.
//!
//! Then the controllers run. Each decides from what the cluster holds and returns what it does
//! as [`Event`]s; the cluster changes only by applying an event ([`Cluster::apply_event`], the
//! one write path, as kube-rs's reflector store applies watch events). The workload
//! controllers create pods, the scheduler places them, the CNI gives them addresses, the
//! kubelet reports them Ready, and the EndpointSlice and Endpoints controllers publish them for
//! every Service whose selector matches. Building the cluster, a what-if ([`Cluster::apply`])
//! and the timeline's replay ([`Cluster::at`]) are folds over the same events.

mod controllers;

use std::collections::BTreeMap;
use std::sync::Arc;

use controllers::Timer;

use crate::sim::config::ClusterConfig;
use crate::sim::control::apiserver::{
    builtin_services, create_services, validate_endpoint_slice, validate_load_balancer_status,
    validate_workload, Admission, Allocators, Rejection,
};
use crate::sim::control::clock::{self, Millis, SECOND};
use crate::sim::control::endpoints::zone_cpu_ratios;
use crate::sim::control::endpoints::{
    endpoint_slices, endpoints_from_input, endpoints_object, mirror_slices, node_zones,
    EndpointAddress, EndpointPort, EndpointSubset, PodIndex, SimEndpointSlice, SimEndpoints,
    SliceEndpoint, NO_ZONE,
};
pub use crate::sim::control::event::{Command, Event};
use crate::sim::control::explain::explain;
use crate::sim::control::scheduler::schedule;
use crate::sim::control::workloads::{
    coredns_deployment, ipam_cursor_after, new_worker, nodes, pod_from_input, pod_template_hash,
    pods_for_workload, random_suffix, uid_for, SimNode, SimPod, SimWorkload, CONTROLLER_LABELS,
    MAX_PODS_PER_WORKLOAD, READY_ANNOTATION,
};
use crate::sim::input::diagnostic::{Diagnostic, Severity};
use crate::sim::input::field::{kubectl_invalid_message, FieldError};
use crate::sim::input::labels::{labels_text, selector_matches};
use crate::sim::input::manifest::{parse_manifests, ObjectRef, ReadStatus};
use crate::sim::input::objects::{Object, Service, Workload, WorkloadKind};
use crate::sim::input::yaml;
use crate::sim::key::ObjectKey;

/// The cluster after applying the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// The configuration it was built with.
    pub config: ClusterConfig,
    /// Every object of the input, in input order, with what became of it (shared: the input
    /// does not change as the cluster does).
    pub objects: Arc<Vec<ObjectRef>>,
    /// Problems, in input order; API validation errors follow the reading problems, then the
    /// plain-words explanations of the cluster as it stands.
    pub diagnostics: Vec<Diagnostic>,
    /// The Services stored by the API server (defaulted and allocated): the cluster's own
    /// `default/kubernetes` and `kube-system/kube-dns` first, then the input's.
    pub services: Vec<Service>,
    /// The nodes.
    pub nodes: Vec<SimNode>,
    /// The workloads (the cluster's CoreDNS Deployment, then the input's accepted ones), each
    /// Deployment followed by the ReplicaSet it made.
    pub workloads: Vec<SimWorkload>,
    /// Every pod: the cluster's own, the input's, then those the controllers created, in
    /// creation order.
    pub pods: Vec<SimPod>,
    /// Every EndpointSlice: the API server's own, managed ones per Service, mirrored ones, then
    /// the input's own.
    pub endpoint_slices: Vec<SimEndpointSlice>,
    /// Every legacy Endpoints object, in the same order.
    pub endpoints: Vec<SimEndpoints>,
    /// Every change so far, in order: applying them to [`Cluster::initial`] gives this cluster.
    pub events: Vec<Event>,
    /// When each of `events` happened.
    pub times: Vec<Millis>,
    /// The simulated moment the cluster stands at: its last event's (or the moment asked of
    /// [`Cluster::as_of`]).
    pub now: Millis,
    /// What the kubelet and the controllers will do later.
    timers: Vec<(Millis, Timer)>,
    /// Whether some workload asks for `minReadySeconds` (pods turning Ready then set timers).
    min_ready: bool,
    /// How many of `diagnostics` come from reading and the API server (the rest, the
    /// explanations, follow the cluster as it changes).
    base_diagnostics: usize,
    /// The workload records as the input gave them, before any event: where a replay starts.
    initial_workloads: Vec<SimWorkload>,
    /// The nodes as the input (or the configuration) gave them, before any node joined or left.
    initial_nodes: Vec<SimNode>,
    /// Each node's IPAM cursor (moved by [`Event::PodIpAssigned`]).
    ipam: BTreeMap<String, u64>,
    /// Where the last pod looked up by key was in `pods`: events about pods mostly come in
    /// pod order, so the next lookup starts there (a scan from it finds the next pod at once,
    /// without a map of every pod).
    pod_hint: Hint,
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
        let builtin_ids: Vec<ObjectKey> = builtins.iter().map(service_key).collect();
        let mut created: Vec<Service> = Vec::new();
        for admission in create_services(&mut allocators, builtins) {
            if let Admission::Created(service) = admission {
                created.push(*service);
            }
        }
        let builtin_count = created.len();

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
        // it; updates are not modelled, so the input's copy is kept as given (see docs/features.md).
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
                Admission::Created(mut service) => {
                    // The status a manifest carries stands for what the cloud provider would
                    // write through `/status`; a status the API server would refuse is left out.
                    let refused = validate_load_balancer_status(&service);
                    if let (false, Some(object)) = (refused.is_empty(), objects.get(index)) {
                        let message = format!(
                            "status left out: the API server refuses it on the status \
                             subresource: {}",
                            kubectl_invalid_message("Service", &service.meta.name, &refused)
                        );
                        diagnostics.push(object_diagnostic(
                            object,
                            Severity::Warning,
                            "status.loadBalancer.ingress",
                            "",
                            message,
                        ));
                        service.load_balancer_ingress.clear();
                    }
                    created.push(*service);
                }
                Admission::Rejected(Rejection::Invalid(errors)) => {
                    let Some(object) = objects.get_mut(index) else {
                        continue;
                    };
                    reject(object, errors, &mut diagnostics);
                }
                Admission::Rejected(Rejection::Internal(message)) => {
                    let Some(object) = objects.get_mut(index) else {
                        continue;
                    };
                    object.status = ReadStatus::Rejected;
                    diagnostics.push(object_diagnostic(
                        object,
                        Severity::Error,
                        "",
                        "InternalError",
                        format!("Internal error occurred: {message}"),
                    ));
                }
            }
        }

        // Nodes, then pods: the input's own, then the controllers'.
        let node_objects: Vec<_> = objects
            .iter()
            .filter_map(|object| match &object.decoded {
                Some(Object::Node(node)) => Some(node.clone()),
                _ => None,
            })
            .collect();
        let nodes = nodes(&node_objects, config);
        for object in objects.iter() {
            if let Some(Object::Pod(pod)) = &object.decoded {
                for field in &pod.spec.unmodelled_scheduling {
                    diagnostics.push(unmodelled_scheduling(object, field));
                }
            }
        }

        // The workloads the input asks for, validated, with the pods their controllers make.
        let coredns = coredns_deployment();
        let system_pods = pods_for_workload(&coredns, &nodes);
        let mut initial_workloads = vec![workload_record(&coredns, &system_pods)];
        let mut created_pods: Vec<(Option<SimWorkload>, Vec<SimPod>)> = Vec::new();
        // A workload the input names again (or the cluster's own CoreDNS) is an update, as
        // `kubectl apply` makes it: applied once the cluster has settled.
        let mut seen: Vec<(WorkloadKind, String, String)> = vec![(
            WorkloadKind::Deployment,
            coredns.meta.namespace_or_default(),
            coredns.meta.name.clone(),
        )];
        let mut updates: Vec<Workload> = Vec::new();
        for object in objects.iter_mut() {
            let Some(Object::Workload(workload)) = &object.decoded else {
                continue;
            };
            let errors = validate_workload(workload);
            if !errors.is_empty() {
                reject(object, errors, &mut diagnostics);
                continue;
            }
            let key = (
                workload.kind,
                workload.meta.namespace_or_default(),
                workload.meta.name.clone(),
            );
            if seen.contains(&key) {
                if workload.kind == WorkloadKind::DaemonSet {
                    diagnostics.push(object_diagnostic(
                        object,
                        Severity::Warning,
                        "spec.template",
                        "",
                        "an update of an existing DaemonSet: its rolling update is not \
                         simulated, its pods keep the first template"
                            .to_owned(),
                    ));
                }
                updates.push(workload.as_ref().clone());
                continue;
            }
            seen.push(key);
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
            for field in &workload.template.spec.unmodelled_scheduling {
                let path = field.replacen("spec.", "spec.template.spec.", 1);
                diagnostics.push(unmodelled_scheduling(object, &path));
            }
            let mut pods = pods_for_workload(workload, &nodes);
            initial_workloads.push(workload_record(workload, &pods));
            let replica_set = replica_set_record(workload, &pods);
            if workload.kind == WorkloadKind::StatefulSet
                && workload.pod_management_policy.as_deref() != Some("Parallel")
            {
                // OrderedReady: the controller makes the next pod when this one is Ready.
                pods.truncate(1);
            }
            created_pods.push((replica_set, pods));
        }
        // Input EndpointSlices go through the API server's validation (after defaulting a
        // port's protocol to TCP).
        for object in objects.iter_mut() {
            let Some(Object::EndpointSlice(slice)) = &object.decoded else {
                continue;
            };
            let mut slice = slice.clone();
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

        let mut cluster = Cluster {
            config: config.clone(),
            objects: Arc::new(objects),
            base_diagnostics: diagnostics.len(),
            diagnostics,
            services: Vec::new(),
            initial_nodes: nodes.clone(),
            nodes,
            workloads: initial_workloads.clone(),
            pods: Vec::new(),
            endpoint_slices: Vec::new(),
            endpoints: Vec::new(),
            events: Vec::new(),
            times: Vec::new(),
            now: 0,
            timers: Vec::new(),
            min_ready: initial_workloads
                .iter()
                .any(|workload| workload.spec.min_ready_seconds > 0),
            initial_workloads,
            ipam: BTreeMap::new(),
            pod_hint: Hint::default(),
            generation: 0,
        };
        // Sized up front: at 100,000 pods, growing these vectors by doubling copied hundreds of
        // megabytes (the benchmark's profile).
        let expected_pods = system_pods.len()
            + created_pods
                .iter()
                .map(|(_, pods)| pods.len())
                .sum::<usize>()
            + cluster
                .objects
                .iter()
                .filter(|object| matches!(object.decoded, Some(Object::Pod(_))))
                .count();
        cluster.pods.reserve(expected_pods);
        // Created, scheduled, IP assigned, readiness: four events per pod, then endpoints'.
        cluster.events.reserve(
            expected_pods
                .saturating_mul(4)
                .saturating_add(cluster.objects.len()),
        );

        // The API server stores the Services; its endpoint reconciler publishes the API server
        // itself behind `default/kubernetes` as soon as that Service exists.
        let mut created = created.into_iter();
        for service in created.by_ref().take(builtin_count) {
            cluster.apply_event(Event::ServiceCreated {
                service: Box::new(service),
            });
        }
        for event in apiserver_endpoints(&cluster.nodes) {
            cluster.apply_event(event);
        }
        for service in created {
            cluster.apply_event(Event::ServiceCreated {
                service: Box::new(service),
            });
        }

        // The cluster's own CoreDNS pods. In kubeadm and kind clusters they start on the
        // control-plane node before any worker joins, so that is where they run here.
        if let Some(replica_set) = replica_set_record(&coredns, &system_pods) {
            cluster.apply_event(Event::ReplicaSetCreated {
                replica_set: Box::new(replica_set),
                deployment: coredns.meta.name.clone(),
            });
        }
        let control_plane = cluster
            .nodes
            .iter()
            .find(|node| node.control_plane)
            .map(|node| node.name.clone());
        for pod in system_pods {
            let key = pod_key(&pod);
            cluster.apply_event(Event::PodCreated { pod: Box::new(pod) });
            if let Some(node) = &control_plane {
                cluster.apply_event(Event::PodScheduled {
                    pod: key,
                    node: node.clone(),
                });
            }
        }
        let input_pods: Vec<SimPod> = cluster
            .objects
            .iter()
            .filter_map(|object| match &object.decoded {
                Some(Object::Pod(pod)) => Some(pod_from_input(pod)),
                _ => None,
            })
            .collect();
        for pod in input_pods {
            cluster.apply_event(Event::PodCreated { pod: Box::new(pod) });
        }
        for (replica_set, pods) in created_pods {
            if let Some(replica_set) = replica_set {
                let deployment = replica_set.owner.clone().unwrap_or_default();
                cluster.apply_event(Event::ReplicaSetCreated {
                    replica_set: Box::new(replica_set),
                    deployment,
                });
            }
            for pod in pods {
                cluster.apply_event(Event::PodCreated { pod: Box::new(pod) });
            }
        }
        cluster.settle();
        for update in updates {
            cluster.update_workload(update);
        }
        cluster.explain();
        cluster
    }

    /// `kubectl apply` of a workload that exists, a second after the cluster has settled: its
    /// new template and replicas, rolled out by its controller.
    fn update_workload(&mut self, update: Workload) {
        let key = ObjectKey::new(update.meta.namespace_or_default(), &update.meta.name);
        let Some(record) = self.workload(update.kind, &key) else {
            return;
        };
        let mut spec = update;
        spec.meta.namespace = key.namespace.clone();
        if *record.spec == spec {
            return;
        }
        self.generation += 1;
        self.now = self.now.saturating_add(SECOND);
        self.apply_event(Event::TemplateChanged {
            kind: spec.kind,
            workload: key,
            spec: Box::new(spec),
        });
        self.settle();
    }

    /// The one write path: changes the cluster as `event` says, at the cluster's moment, and
    /// records it (with the timers it sets: a pod's readiness, the end of its termination).
    pub fn apply_event(&mut self, event: Event) {
        self.change(&event, self.now);
        self.timers_for(&event);
        self.events.push(event);
        self.times.push(self.now);
    }

    /// What `event` changes, when it happens `at`.
    fn change(&mut self, event: &Event, at: Millis) {
        match event {
            Event::ServiceCreated { service } => self.services.push(service.as_ref().clone()),
            Event::ReplicaSetCreated {
                replica_set,
                deployment,
            } => {
                // Listed right after the Deployment that made it.
                let after = self.workloads.iter().position(|workload| {
                    workload.kind == WorkloadKind::Deployment
                        && workload.namespace == replica_set.namespace
                        && &workload.name == deployment
                });
                let mut record = replica_set.as_ref().clone();
                record.created_at = at;
                match after {
                    Some(position) => self.workloads.insert(position + 1, record),
                    None => self.workloads.push(record),
                }
            }
            Event::PodCreated { pod } => {
                let mut pod = pod.as_ref().clone();
                pod.created_at = at;
                self.pods.push(pod);
            }
            Event::NodeAdded { node } => self.nodes.push(node.as_ref().clone()),
            Event::NodeRemoved { node } => self.nodes.retain(|candidate| candidate.name != *node),
            Event::PodScheduled { pod, node } => {
                if let Some(pod) = self.pod_mut(pod) {
                    pod.node_name = Some(node.clone());
                    pod.unschedulable = None;
                }
            }
            Event::PodUnschedulable { pod, message } => {
                if let Some(pod) = self.pod_mut(pod) {
                    pod.unschedulable = Some(message.clone());
                }
            }
            Event::PodIpAssigned { pod, ip, secondary } => {
                let Some(found) = self.pod_mut(pod) else {
                    return;
                };
                found.ip = Some(ip.clone());
                found.secondary_ip = secondary.clone();
                found.started_at = Some(at.saturating_add(clock::annotation_duration(
                    &found.annotations,
                    clock::START_DELAY_ANNOTATION,
                )));
                let node = found.node_name.clone();
                // The node's IPAM resumes after the address it handed out.
                if let Some(node) = node.and_then(|node| self.nodes.iter().find(|n| n.name == node))
                {
                    if let Some(cursor) = ipam_cursor_after(node, ip) {
                        self.ipam.insert(node.name.clone(), cursor);
                    }
                }
            }
            Event::PodReadiness { pod, ready } => {
                if let Some(pod) = self.pod_mut(pod) {
                    if *ready && !pod.ready {
                        pod.ready_since = Some(at);
                    } else if !*ready {
                        pod.ready_since = None;
                    }
                    pod.ready = *ready;
                    pod.passes_readiness = *ready;
                }
            }
            Event::PodTerminating { pod } => {
                if let Some(pod) = self.pod_mut(pod) {
                    pod.terminating = true;
                    pod.deleted_at = Some(at);
                }
            }
            Event::TemplateChanged {
                kind,
                workload,
                spec,
            } => {
                if let Some(record) = self.workload_mut(*kind, workload) {
                    let containers = &spec.template.spec.containers;
                    record.containers = containers.iter().map(|c| c.name.clone()).collect();
                    record.images = containers.iter().map(|c| c.image.clone()).collect();
                    if *kind != WorkloadKind::DaemonSet {
                        record.desired = usize::try_from(spec.replicas.unwrap_or(1).max(0))
                            .unwrap_or(0)
                            .min(MAX_PODS_PER_WORKLOAD);
                    }
                    if *kind == WorkloadKind::Deployment {
                        record.pod_owner = (
                            "ReplicaSet".to_owned(),
                            format!("{}-{}", record.name, pod_template_hash(spec)),
                        );
                    }
                    record.spec = spec.clone();
                }
                self.min_ready |= spec.min_ready_seconds > 0;
            }
            Event::PodDeleted { pod } => {
                if let Some(position) = self.pod_position(pod) {
                    self.pods.remove(position);
                }
            }
            Event::PodLabelsChanged {
                pod,
                labels,
                released,
            } => {
                if let Some(pod) = self.pod_mut(pod) {
                    pod.labels = labels.clone();
                    if *released {
                        pod.owner = None;
                    }
                }
            }
            Event::WorkloadScaled {
                kind,
                workload,
                replicas,
            } => {
                if let Some(record) = self.workload_mut(*kind, workload) {
                    record.desired = *replicas;
                    record.spec.replicas = Some(*replicas as i64);
                }
            }
            Event::EndpointSliceWritten { slice } => {
                let written = slice.as_ref().clone();
                if let Some(existing) = self.endpoint_slices.iter_mut().find(|existing| {
                    existing.namespace == slice.namespace && existing.name == slice.name
                }) {
                    *existing = written;
                } else {
                    // A new slice goes beside its Service's others.
                    let after = self.endpoint_slices.iter().rposition(|existing| {
                        existing.namespace == slice.namespace
                            && !slice.service.is_empty()
                            && existing.service == slice.service
                    });
                    match after {
                        Some(position) => self.endpoint_slices.insert(position + 1, written),
                        None => self.endpoint_slices.push(written),
                    }
                }
            }
            Event::EndpointSliceDeleted { slice } => {
                self.endpoint_slices
                    .retain(|existing| !slice.is(&existing.namespace, &existing.name));
            }
            Event::EndpointsWritten { endpoints } => {
                let written = endpoints.as_ref().clone();
                match self.endpoints.iter_mut().find(|existing| {
                    existing.namespace == endpoints.namespace && existing.name == endpoints.name
                }) {
                    Some(existing) => *existing = written,
                    None => self.endpoints.push(written),
                }
            }
        }
    }

    /// The cluster before any event: the input as read and admitted, the nodes, the workloads
    /// the input asks for; no Service stored, no pod. (Its diagnostics are left out: the
    /// cluster's own say what reading and admission found.)
    pub fn initial(&self) -> Cluster {
        Cluster {
            config: self.config.clone(),
            objects: Arc::clone(&self.objects),
            diagnostics: Vec::new(),
            services: Vec::new(),
            nodes: self.initial_nodes.clone(),
            workloads: self.initial_workloads.clone(),
            pods: Vec::new(),
            endpoint_slices: Vec::new(),
            endpoints: Vec::new(),
            events: Vec::new(),
            times: Vec::new(),
            now: 0,
            timers: Vec::new(),
            min_ready: false,
            base_diagnostics: 0,
            initial_workloads: Vec::new(),
            initial_nodes: Vec::new(),
            ipam: BTreeMap::new(),
            pod_hint: Hint::default(),
            generation: 0,
        }
    }

    /// The cluster as it stood after its first `step` events (all of them when `step` is past
    /// the end): what the timeline shows. A fold of the same events, through the same
    /// [`Cluster::change`], over [`Cluster::initial`]. Its own `events` and diagnostics stay
    /// empty: they are `self.events[..step]` and `self.diagnostics`, which the caller has.
    pub fn at(&self, step: usize) -> Cluster {
        let mut cluster = self.initial();
        for (event, at) in self.events.iter().zip(&self.times).take(step) {
            cluster.change(event, *at);
            cluster.now = *at;
        }
        cluster
    }

    /// The whole cluster as it stood at moment `at`, after every event up to it ([`Cluster::at`]
    /// of that step), with those events, the diagnostics of reading and admission and the
    /// explanations of that moment (what the CLI's `--at` shows).
    pub fn as_of(&self, at: Millis) -> Cluster {
        let step = self.step_at(at);
        let mut cluster = self.at(step);
        cluster.now = at;
        cluster.events = self.events.get(..step).unwrap_or_default().to_vec();
        cluster.times = self.times.get(..step).unwrap_or_default().to_vec();
        cluster.diagnostics = self
            .diagnostics
            .get(..self.base_diagnostics)
            .unwrap_or_default()
            .to_vec();
        cluster.base_diagnostics = cluster.diagnostics.len();
        cluster.initial_workloads = self.initial_workloads.clone();
        cluster.initial_nodes = self.initial_nodes.clone();
        cluster.explain();
        cluster
    }

    /// How many events had happened by moment `at`.
    pub fn step_at(&self, at: Millis) -> usize {
        self.times.partition_point(|time| *time <= at)
    }

    /// Applies `command` as the cluster would react to it: the controllers replace deleted
    /// pods, add or remove pods to match replicas, the scheduler and IPAM place new pods, and
    /// the endpoint controllers rewrite what changed. Returns the new events (also appended to
    /// `events`). A command naming something that does not exist changes nothing.
    pub fn apply(&mut self, command: &Command) -> &[Event] {
        self.generation += 1;
        let start = self.events.len();
        let before = self.now;
        // A what-if happens a second after the cluster has settled.
        self.now = self.now.saturating_add(SECOND);
        let changes = self.command_events(command);
        let armed = match command {
            Command::SetPodReady { pod, ready } => self.arm_probe(pod, *ready),
            _ => false,
        };
        if changes.is_empty() && !armed {
            self.now = before;
            return &[];
        }
        for event in changes {
            self.apply_event(event);
        }
        self.settle();
        if self.events.len() == start {
            // Nothing happened (a probe verdict the pod already had).
            self.now = before;
        }
        self.explain();
        self.events.get(start..).unwrap_or(&[])
    }

    /// A pod's readiness probe starts passing (`ready`) or failing now: the Ready condition
    /// follows after the probe's threshold of results in a row ([`clock::readiness_change_at`]).
    fn arm_probe(&mut self, key: &ObjectKey, ready: bool) -> bool {
        let Some(pod) = self.pod(key) else {
            return false;
        };
        let started = pod.started_at.unwrap_or(self.now);
        let at = clock::readiness_change_at(&pod.spec, started, self.now, ready);
        let uid = pod.uid.clone();
        // A newer verdict replaces any pending one.
        self.timers
            .retain(|(_, timer)| !matches!(timer, Timer::Readiness { pod, .. } if pod == key));
        self.arm(
            at,
            Timer::Readiness {
                pod: key.clone(),
                uid,
                ready,
            },
        );
        true
    }

    /// What the API server and the controllers do at once in answer to `command`; the rest
    /// follows from [`Cluster::settle`].
    fn command_events(&self, command: &Command) -> Vec<Event> {
        let mut events = Vec::new();
        match command {
            Command::DeletePod { pod } => {
                let Some(deleted) = self.pod(pod) else {
                    return events;
                };
                if deleted.terminating {
                    return events;
                }
                events.push(Event::PodTerminating { pod: pod.clone() });
                // A ReplicaSet or DaemonSet replaces a terminating pod at once; a StatefulSet
                // makes the same name again once the old pod is gone.
                let stateful = deleted
                    .owner
                    .as_ref()
                    .is_some_and(|(kind, _)| kind == "StatefulSet");
                if !stateful {
                    if let Some(replacement) = self.replacement_for(deleted, 0) {
                        events.push(Event::PodCreated {
                            pod: Box::new(replacement),
                        });
                    }
                }
            }
            Command::Scale {
                workload: key,
                kind,
                replicas,
            } => {
                let Some(workload) = self.workload(*kind, key) else {
                    return events;
                };
                if *kind == WorkloadKind::DaemonSet {
                    return events;
                }
                let replicas = (*replicas).min(MAX_PODS_PER_WORKLOAD);
                if workload.desired != replicas {
                    // The workload's controller makes or removes the pods.
                    events.push(Event::WorkloadScaled {
                        kind: *kind,
                        workload: key.clone(),
                        replicas,
                    });
                }
            }
            Command::Restart {
                workload: key,
                kind,
            } => {
                if !matches!(kind, WorkloadKind::Deployment | WorkloadKind::StatefulSet) {
                    return events;
                }
                let Some(workload) = self.workload(*kind, key) else {
                    return events;
                };
                // `kubectl rollout restart` patches the template's annotation with the time.
                let mut spec = workload.spec.clone();
                spec.template.meta.annotations.insert(
                    "kubectl.kubernetes.io/restartedAt".to_owned(),
                    clock::timestamp(self.now),
                );
                events.push(Event::TemplateChanged {
                    kind: *kind,
                    workload: key.clone(),
                    spec,
                });
            }
            Command::AddNode => {
                let node = new_worker(&self.nodes, &self.config);
                // The DaemonSet controller starts its pods on the new node.
                for workload in &self.workloads {
                    if workload.kind == WorkloadKind::DaemonSet {
                        for pod in pods_for_workload(&workload.spec, std::slice::from_ref(&node)) {
                            events.push(Event::PodCreated { pod: Box::new(pod) });
                        }
                    }
                }
                events.insert(
                    0,
                    Event::NodeAdded {
                        node: Box::new(node),
                    },
                );
            }
            Command::RemoveNode { node } => {
                if !self.nodes.iter().any(|candidate| candidate.name == *node) {
                    return events;
                }
                events.push(Event::NodeRemoved { node: node.clone() });
                // The DaemonSet controller deletes its unscheduled pods meant for a node that
                // is gone (`getUnscheduledPodsWithoutNode`).
                for pod in self.pods.iter().filter(|pod| {
                    pod.node_name.is_none() && pod.spec.node_name.as_deref() == Some(node.as_str())
                }) {
                    events.push(Event::PodDeleted { pod: pod_key(pod) });
                }
                // The pod garbage collector deletes the pods bound to a node that is gone; a
                // ReplicaSet or StatefulSet replaces its own (a DaemonSet's has no node left).
                for (nth, pod) in self
                    .pods
                    .iter()
                    .filter(|pod| pod.node_name.as_deref() == Some(node.as_str()))
                    .enumerate()
                {
                    events.push(Event::PodDeleted { pod: pod_key(pod) });
                    let daemon = pod
                        .owner
                        .as_ref()
                        .is_some_and(|(kind, _)| kind == "DaemonSet");
                    if !daemon {
                        if let Some(replacement) = self.replacement_for(pod, nth) {
                            events.push(Event::PodCreated {
                                pod: Box::new(replacement),
                            });
                        }
                    }
                }
            }
            // Its probe's verdict is a timer ([`Cluster::arm_probe`]).
            Command::SetPodReady { .. } => {}
            Command::SetPodLabels { pod: key, labels } => {
                let Some(before) = self.pod(key) else {
                    return events;
                };
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
                }) == Some(true);
                events.push(Event::PodLabelsChanged {
                    pod: key.clone(),
                    labels: labels.clone(),
                    released,
                });
                if released {
                    if let Some(replacement) = self.replacement_for(before, 0) {
                        events.push(Event::PodCreated {
                            pod: Box::new(replacement),
                        });
                    }
                }
            }
        }
        events
    }

    /// The scheduler's and the CNI's decisions for the pods that lack a node or an IP, as
    /// events: every binding, then every address (a pod the scheduler still refuses is
    /// reported again only when its message changes). Nothing to decide when every pod has an
    /// address (a pod without a node has none).
    fn scheduling(&self) -> Vec<Event> {
        if self.pods.iter().all(|pod| pod.ip.is_some()) {
            return Vec::new();
        }
        let placement = schedule(&self.pods, &self.nodes, &self.ipam);
        let mut events = Vec::new();
        for (index, node) in placement.placed {
            if let Some(pod) = self.pods.get(index).filter(|pod| !pod.terminating) {
                events.push(Event::PodScheduled {
                    pod: pod_key(pod),
                    node,
                });
            }
        }
        for (index, message) in placement.unschedulable {
            if let Some(pod) = self
                .pods
                .get(index)
                .filter(|pod| !pod.terminating && pod.unschedulable.as_ref() != Some(&message))
            {
                events.push(Event::PodUnschedulable {
                    pod: pod_key(pod),
                    message,
                });
            }
        }
        for (index, ip, secondary) in placement.assigned {
            if let Some(pod) = self.pods.get(index).filter(|pod| !pod.terminating) {
                events.push(Event::PodIpAssigned {
                    pod: pod_key(pod),
                    ip,
                    secondary,
                });
            }
        }
        events
    }

    /// The EndpointSlice, Endpoints and mirroring controllers over the current Services and
    /// pods, and the input's own Endpoints and EndpointSlices as the API server stores them:
    /// the writes of what differs from what the cluster holds, then the deletions of slices
    /// no longer wanted.
    fn endpoint_controllers(&self) -> Vec<Event> {
        let mut slices: Vec<SimEndpointSlice> = Vec::new();
        let mut endpoints: Vec<SimEndpoints> = Vec::new();
        let mut order: Vec<bool> = Vec::new(); // true: a slice, false: an Endpoints object
        let index = PodIndex::new(&self.pods);
        let mut zones = node_zones(&self.nodes);
        let nodes_given = self
            .objects
            .iter()
            .any(|object| matches!(object.decoded, Some(Object::Node(_))));
        if !nodes_given {
            // Without Node objects the cluster's nodes are svcscope's own; a node a pasted pod
            // names (from `kubectl get pods -o yaml`) stands for one of the source cluster's
            // and counts as existing. With Node objects, they are the whole list.
            for pod in &self.pods {
                if let Some(node) = pod
                    .node_name
                    .as_ref()
                    .filter(|node| !zones.contains_key(*node))
                {
                    zones.insert(node.clone(), NO_ZONE.to_owned());
                }
            }
        }
        let ratios = zone_cpu_ratios(&self.nodes);
        for service in &self.services {
            for slice in endpoint_slices(service, &self.pods, &index, &zones, ratios.as_deref()) {
                slices.push(slice);
                order.push(true);
            }
            if let Some(object) = endpoints_object(service, &self.pods, &index) {
                endpoints.push(object);
                order.push(false);
            }
        }
        for object in self.objects.iter() {
            match &object.decoded {
                Some(Object::Endpoints(input)) => {
                    let given = endpoints_from_input(input);
                    let selectorless = self.services.iter().any(|service| {
                        service.meta.namespace == given.namespace
                            && service.meta.name == given.name
                            && service.spec.selector.is_none()
                    });
                    if selectorless {
                        for slice in mirror_slices(&given) {
                            slices.push(slice);
                            order.push(true);
                        }
                    }
                    endpoints.push(given);
                    order.push(false);
                }
                Some(Object::EndpointSlice(input)) => {
                    // Stored by the API server as given.
                    slices.push(slice_from_input(input));
                    order.push(true);
                }
                _ => {}
            }
        }
        let mut events = Vec::new();
        let (mut slices_written, mut endpoints_written) = (slices.iter(), endpoints.iter());
        for is_slice in order {
            if is_slice {
                let Some(slice) = slices_written.next() else {
                    continue;
                };
                let held = self
                    .endpoint_slices
                    .iter()
                    .find(|held| held.namespace == slice.namespace && held.name == slice.name);
                if held != Some(slice) {
                    events.push(Event::EndpointSliceWritten {
                        slice: Box::new(slice.clone()),
                    });
                }
            } else {
                let Some(object) = endpoints_written.next() else {
                    continue;
                };
                let held = self
                    .endpoints
                    .iter()
                    .find(|held| held.namespace == object.namespace && held.name == object.name);
                if held != Some(object) {
                    events.push(Event::EndpointsWritten {
                        endpoints: Box::new(object.clone()),
                    });
                }
            }
        }
        // The API server's own slice is its reconciler's, not the controller's.
        for held in &self.endpoint_slices {
            let apiserver = held.namespace == "default" && held.name == "kubernetes";
            let wanted = slices
                .iter()
                .any(|slice| slice.namespace == held.namespace && slice.name == held.name);
            if !apiserver && !wanted {
                events.push(Event::EndpointSliceDeleted {
                    slice: ObjectKey::new(&held.namespace, &held.name),
                });
            }
        }
        events
    }

    /// Puts the plain-words explanations of the cluster as it stands after the diagnostics
    /// of reading and admission.
    fn explain(&mut self) {
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
    }

    /// The pod a controller creates when `deleted` goes away: a ReplicaSet or DaemonSet makes
    /// one with a new name from its template (a DaemonSet on the same node), a StatefulSet
    /// recreates the same name and identity. Bare pods are not replaced.
    /// `nth` tells apart the replacements of one command (0 for the first).
    fn replacement_for(&self, deleted: &SimPod, nth: usize) -> Option<SimPod> {
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
        pod.secondary_ip = None;
        pod.terminating = false;
        pod.ready = false;
        pod.passes_readiness = template
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
                    random_suffix(&replacement_seed(
                        &deleted.namespace,
                        &owner,
                        self.generation,
                        nth
                    ))
                );
            }
            _ => {
                pod.node_name = None;
                pod.name = format!(
                    "{owner}-{}",
                    random_suffix(&replacement_seed(
                        &deleted.namespace,
                        &owner,
                        self.generation,
                        nth
                    ))
                );
            }
        }
        pod.uid = uid_for(&pod.namespace, &format!("{}#{}", pod.name, self.generation));
        Some(pod)
    }

    /// The pod `key`.
    pub fn pod(&self, key: &ObjectKey) -> Option<&SimPod> {
        self.pod_position(key)
            .and_then(|position| self.pods.get(position))
    }

    /// The workload record of `kind` that `key` names.
    pub fn workload(&self, kind: WorkloadKind, key: &ObjectKey) -> Option<&SimWorkload> {
        self.workloads.iter().find(|record| {
            record.kind == kind && record.namespace == key.namespace && record.name == key.name
        })
    }

    fn workload_mut(&mut self, kind: WorkloadKind, key: &ObjectKey) -> Option<&mut SimWorkload> {
        self.workloads.iter_mut().find(|record| {
            record.kind == kind && record.namespace == key.namespace && record.name == key.name
        })
    }

    fn pod_mut(&mut self, key: &ObjectKey) -> Option<&mut SimPod> {
        let position = self.pod_position(key)?;
        self.pods.get_mut(position)
    }

    /// Where pod `key` is in `pods`: a scan that starts where the last lookup ended.
    fn pod_position(&self, key: &ObjectKey) -> Option<usize> {
        let start = self.pod_hint.get().min(self.pods.len());
        let (before, after) = self.pods.split_at(start);
        let found = after
            .iter()
            .position(|pod| key.is(&pod.namespace, &pod.name))
            .map(|offset| start + offset)
            .or_else(|| {
                before
                    .iter()
                    .position(|pod| key.is(&pod.namespace, &pod.name))
            })?;
        self.pod_hint.set(found);
        Some(found)
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

/// A lookup's starting point: not part of what a cluster is, so any two are equal. (Atomic
/// only to be shareable: the browser's signals want `Sync`.)
#[derive(Debug, Default)]
struct Hint(std::sync::atomic::AtomicUsize);

impl Clone for Hint {
    fn clone(&self) -> Hint {
        let hint = Hint::default();
        hint.set(self.get());
        hint
    }
}

impl PartialEq for Hint {
    fn eq(&self, _: &Hint) -> bool {
        true
    }
}

impl Eq for Hint {}

impl Hint {
    fn get(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn set(&self, position: usize) {
        self.0.store(position, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The API server's own endpoint reconciler: it publishes itself (the control-plane node's
/// address, port 6443) behind `default/kubernetes`, as an Endpoints object and an EndpointSlice.
fn apiserver_endpoints(nodes: &[SimNode]) -> Vec<Event> {
    let Some(node) = nodes.iter().find(|node| node.control_plane) else {
        return Vec::new();
    };
    let port = EndpointPort {
        name: "https".to_owned(),
        port: 6443,
        protocol: "TCP".to_owned(),
        app_protocol: None,
    };
    let slice = SimEndpointSlice {
        name: "kubernetes".to_owned(),
        namespace: "default".to_owned(),
        service: "kubernetes".to_owned(),
        labels: crate::small::order::map_from([(
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
            for_zones: Vec::new(),
            for_nodes: Vec::new(),
            target_ref: None,
        }],
        ports: vec![port.clone()],
    };
    let endpoints = SimEndpoints {
        name: "kubernetes".to_owned(),
        namespace: "default".to_owned(),
        labels: crate::small::order::map_from([(
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
            ports: vec![port],
        }],
    };
    // It writes the EndpointSlice as well as the Endpoints object.
    vec![
        Event::EndpointSliceWritten {
            slice: Box::new(slice),
        },
        Event::EndpointsWritten {
            endpoints: Box::new(endpoints),
        },
    ]
}

/// `workload` as `kubectl get` lists it, with the pods its controller made.
fn workload_record(workload: &Workload, pods: &[SimPod]) -> SimWorkload {
    let selector = workload
        .selector
        .as_ref()
        .map(|selector| labels_text(&selector.match_labels, ","))
        .unwrap_or_default();
    let own = (
        workload.kind.as_str().to_owned(),
        workload.meta.name.clone(),
    );
    let pod_owner = pods
        .first()
        .and_then(|pod| pod.owner.clone())
        .unwrap_or(own);
    record(
        workload,
        workload.kind,
        workload.meta.name.clone(),
        selector,
        pod_owner,
        pods.len(),
    )
}

/// The ReplicaSet a Deployment's controller made for `pods`, as `kubectl get` lists it (`None`
/// for other kinds, and for a Deployment of no pods).
fn replica_set_record(workload: &Workload, pods: &[SimPod]) -> Option<SimWorkload> {
    if workload.kind != WorkloadKind::Deployment {
        return None;
    }
    let pod_owner = pods.first().and_then(|pod| pod.owner.clone())?;
    if pod_owner.0 != "ReplicaSet" {
        return None;
    }
    let selector = workload
        .selector
        .as_ref()
        .map(|selector| labels_text(&selector.match_labels, ","))
        .unwrap_or_default();
    let hash = pod_owner.1.rsplit('-').next().unwrap_or_default();
    let selector = if selector.is_empty() {
        format!("pod-template-hash={hash}")
    } else {
        format!("{selector},pod-template-hash={hash}")
    };
    let mut replica_set = record(
        workload,
        WorkloadKind::ReplicaSet,
        pod_owner.1.clone(),
        selector,
        pod_owner,
        pods.len(),
    );
    replica_set.owner = Some(workload.meta.name.clone());
    Some(replica_set)
}

fn record(
    workload: &Workload,
    kind: WorkloadKind,
    name: String,
    selector: String,
    pod_owner: (String, String),
    desired: usize,
) -> SimWorkload {
    let containers = &workload.template.spec.containers;
    SimWorkload {
        kind,
        namespace: workload.meta.namespace_or_default(),
        name,
        desired,
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
        owner: None,
        spec: Box::new(workload.clone()),
        created_at: 0,
    }
}

/// The seed of a replacement pod's name: the `nth` replacement a command makes for `owner`.
fn replacement_seed(namespace: &str, owner: &str, generation: u64, nth: usize) -> String {
    if nth == 0 {
        format!("{namespace}/{owner}/replacement/{generation}")
    } else {
        format!("{namespace}/{owner}/replacement/{generation}/{nth}")
    }
}

fn pod_key(pod: &SimPod) -> ObjectKey {
    ObjectKey::new(&pod.namespace, &pod.name)
}

fn service_key(service: &Service) -> ObjectKey {
    ObjectKey::new(&service.meta.namespace, &service.meta.name)
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
/// A scheduling field the model does not weigh (pod affinity and anti-affinity, topology
/// spreading, preferred node affinity): a warning, so that it is never silently ignored.
fn unmodelled_scheduling(object: &ObjectRef, path: &str) -> Diagnostic {
    object_diagnostic(
        object,
        Severity::Warning,
        path,
        "",
        "not simulated: the scheduler places these pods as if this field were unset".to_owned(),
    )
}

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
                for_zones: endpoint.for_zones.clone(),
                for_nodes: endpoint.for_nodes.clone(),
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
