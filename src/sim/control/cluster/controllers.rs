//! The workload controllers over time: the Deployment controller's rollouts, the ReplicaSet
//! controller keeping each ReplicaSet's pod count, the StatefulSet controller's ordered
//! start, scale-down and rolling update; the kubelet's timers (a pod turns Ready when its
//! probes pass, is gone when its termination ends); and the loop that runs them all until the
//! cluster is still ([`Cluster::settle`]).

use super::{pod_key, Cluster};
use crate::sim::control::clock::{self, Millis, SECOND};
use crate::sim::control::event::Event;
use crate::sim::control::rollout::{new_replicas, scale_down_old, DeletionCost, OldSet};
use crate::sim::control::workloads::{
    pod_template_hash, pods_for_workload, random_suffix, uid_for, SimPod, SimWorkload,
};
use crate::sim::input::diagnostic::{Diagnostic, Severity};
use crate::sim::input::objects::WorkloadKind;
use crate::sim::key::ObjectKey;

/// Something the kubelet or a controller does at a later moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Timer {
    /// The pod's Ready condition turns `ready` (its probes passed or failed).
    Readiness {
        /// The pod.
        pod: ObjectKey,
        /// Its UID (a pod of the same name made later is another pod).
        uid: String,
        /// Ready or not.
        ready: bool,
    },
    /// The pod's containers have stopped: the kubelet deletes it.
    Gone {
        /// The pod.
        pod: ObjectKey,
        /// Its UID.
        uid: String,
    },
    /// A pod has been Ready for `minReadySeconds`: the controllers look again.
    Wake,
}

/// Items grouped by a key of three strings: a list sorted by key (stably, so that each
/// group keeps the items' order), looked up by binary search. (A sorted list, not a map: in
/// the browser's module each map type costs kilobytes.)
struct Grouped<'a, T>(Vec<([&'a str; 3], &'a T)>);

impl<'a, T> Grouped<'a, T> {
    fn new(mut items: Vec<([&'a str; 3], &'a T)>) -> Self {
        crate::small::order::sort_by(&mut items, |a, b| a.0.cmp(&b.0));
        Grouped(items)
    }

    fn get(&self, key: [&str; 3]) -> Vec<&'a T> {
        let start = self.0.partition_point(|(at, _)| *at < key);
        let end = self.0.partition_point(|(at, _)| *at <= key);
        self.0
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .map(|(_, item)| *item)
            .collect()
    }
}

/// Pods by owner: (namespace, owner kind, owner name).
type Owned<'a> = Grouped<'a, SimPod>;

fn pods_in<'a>(owned: &Owned<'a>, workload: &SimWorkload) -> Vec<&'a SimPod> {
    owned.get([
        workload.namespace.as_str(),
        workload.kind.as_str(),
        workload.name.as_str(),
    ])
}

/// The most events one settling may make: past it the simulation stops and says so.
const MAX_EVENTS: usize = 4_000_000;

impl Cluster {
    /// Runs the controllers, the scheduler and the kubelet's timers until nothing more
    /// happens: at each moment, the workload controllers, then the scheduler, then what the
    /// kubelet reports at that moment, until all are still; then the endpoint controllers
    /// write what changed; then the clock moves to the next timer.
    pub(super) fn settle(&mut self) {
        let limit = self.events.len().saturating_add(MAX_EVENTS);
        loop {
            loop {
                if self.events.len() > limit {
                    // Among reading's and admission's diagnostics: the explanations after
                    // them follow the cluster.
                    let at = self.base_diagnostics.min(self.diagnostics.len());
                    self.diagnostics.insert(
                        at,
                        Diagnostic {
                            severity: Severity::Warning,
                            document: 0,
                            line: None,
                            column: None,
                            object: String::new(),
                            field: String::new(),
                            error_type: String::new(),
                            message: format!(
                                "the simulation stopped after {MAX_EVENTS} events at {}: the \
                             cluster had not settled",
                                clock::moment(self.now)
                            ),
                        },
                    );
                    self.base_diagnostics = at + 1;
                    self.timers.clear();
                    return;
                }
                let mut events = self.workload_controllers();
                if events.is_empty() {
                    events = self.scheduling();
                }
                if events.is_empty() {
                    events = self.due_timers();
                }
                if events.is_empty() {
                    break;
                }
                for event in events {
                    self.apply_event(event);
                }
            }
            for event in self.endpoint_controllers() {
                self.apply_event(event);
            }
            match self.timers.iter().map(|(at, _)| *at).min() {
                Some(at) => self.now = self.now.max(at),
                None => break,
            }
        }
    }

    /// The events of the timers due now (their timers removed), in the order they were set.
    fn due_timers(&mut self) -> Vec<Event> {
        let mut events = Vec::new();
        if !self.timers.iter().any(|(at, _)| *at <= self.now) {
            return events;
        }
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.timers)
            .into_iter()
            .partition(|(at, _)| *at <= self.now);
        self.timers = later;
        {
            for (_, timer) in due {
                match timer {
                    Timer::Readiness { pod, uid, ready } => {
                        if self
                            .pod(&pod)
                            .is_some_and(|found| found.uid == uid && found.ready != ready)
                        {
                            events.push(Event::PodReadiness { pod, ready });
                        }
                    }
                    Timer::Gone { pod, uid } => {
                        if self
                            .pod(&pod)
                            .is_some_and(|found| found.uid == uid && found.terminating)
                        {
                            events.push(Event::PodDeleted { pod });
                        }
                    }
                    Timer::Wake => {}
                }
            }
        }
        events
    }

    /// Sets a timer.
    pub(super) fn arm(&mut self, at: Millis, timer: Timer) {
        self.timers.push((at, timer));
    }

    /// The timers an event sets: a pod with an address starts and becomes Ready when its
    /// probes pass; a terminating pod is gone when its termination ends; a pod that turns
    /// Ready under `minReadySeconds` is available that much later.
    pub(super) fn timers_for(&mut self, event: &Event) {
        match event {
            Event::PodIpAssigned { pod, .. } => {
                let Some(found) = self.pod(pod) else { return };
                if let (Some(started), false) = (found.started_at, found.terminating) {
                    if let Some(at) = clock::ready_at(
                        &found.spec,
                        &found.annotations,
                        found.passes_readiness,
                        started,
                    ) {
                        let timer = Timer::Readiness {
                            pod: pod.clone(),
                            uid: found.uid.clone(),
                            ready: true,
                        };
                        self.arm(at, timer);
                    }
                }
            }
            Event::PodCreated { pod } if pod.ip.is_some() => {
                // A pod the input gives with its address reports what its status says, now.
                let timer = Timer::Readiness {
                    pod: pod_key(pod),
                    uid: pod.uid.clone(),
                    ready: pod.passes_readiness,
                };
                self.arm(self.now, timer);
            }
            Event::PodTerminating { pod } => {
                let Some(found) = self.pod(pod) else { return };
                // A pod no kubelet runs is deleted at once (`CheckGracefulDelete`).
                let length = if found.node_name.is_some() && found.ip.is_some() {
                    clock::termination_length(&found.spec, &found.annotations)
                } else {
                    0
                };
                let at = self.now.saturating_add(length);
                let timer = Timer::Gone {
                    pod: pod.clone(),
                    uid: found.uid.clone(),
                };
                self.arm(at, timer);
            }
            Event::PodReadiness { pod, ready: true } if self.min_ready => {
                let min_ready = self
                    .pod(pod)
                    .and_then(|found| found.owner.as_ref())
                    .and_then(|owner| {
                        self.workloads.iter().find(|workload| {
                            workload.kind.as_str() == owner.0
                                && workload.name == owner.1
                                && workload.namespace == pod.namespace
                        })
                    })
                    .map_or(0, |workload| workload.spec.min_ready_seconds);
                if min_ready > 0 {
                    let at = self.now.saturating_add(
                        Millis::try_from(min_ready)
                            .unwrap_or(0)
                            .saturating_mul(SECOND),
                    );
                    self.arm(at, Timer::Wake);
                }
            }
            _ => {}
        }
    }

    /// One sync of each workload controller, as events; empty when all are content.
    fn workload_controllers(&self) -> Vec<Event> {
        let owned = Grouped::new(
            self.pods
                .iter()
                .filter_map(|pod| {
                    let (kind, name) = pod.owner.as_ref()?;
                    Some(([pod.namespace.as_str(), kind.as_str(), name.as_str()], pod))
                })
                .collect(),
        );
        // Each Deployment's ReplicaSets, by (namespace, Deployment).
        let sets = Grouped::new(
            self.workloads
                .iter()
                .filter(|workload| workload.kind == WorkloadKind::ReplicaSet)
                .filter_map(|workload| {
                    let owner = workload.owner.as_deref()?;
                    Some(([workload.namespace.as_str(), owner, ""], workload))
                })
                .collect(),
        );
        for workload in &self.workloads {
            let events = match workload.kind {
                WorkloadKind::Deployment => {
                    let own = sets.get([workload.namespace.as_str(), workload.name.as_str(), ""]);
                    self.sync_deployment(workload, &own, &owned)
                }
                WorkloadKind::ReplicaSet => {
                    self.sync_replica_set(workload, &pods_in(&owned, workload))
                }
                WorkloadKind::StatefulSet => {
                    self.sync_stateful_set(workload, &pods_in(&owned, workload))
                }
                WorkloadKind::DaemonSet => Vec::new(),
            };
            if !events.is_empty() {
                return events;
            }
        }
        Vec::new()
    }

    /// Pods that count as available: not terminating, Ready for `minReadySeconds`.
    fn available(&self, pods: &[&SimPod], min_ready_seconds: i64) -> i64 {
        let min_ready = Millis::try_from(min_ready_seconds)
            .unwrap_or(0)
            .saturating_mul(SECOND);
        let count = pods
            .iter()
            .filter(|pod| {
                !pod.terminating
                    && pod.ready
                    && pod
                        .ready_since
                        .is_some_and(|since| since.saturating_add(min_ready) <= self.now)
            })
            .count();
        i64::try_from(count).unwrap_or(i64::MAX)
    }

    /// The Deployment controller's sync (pkg/controller/deployment): it creates the ReplicaSet
    /// of the current template, and moves replicas from the old ReplicaSets to it by the
    /// strategy (`rolloutRolling`, `rolloutRecreate`); with one active ReplicaSet, a change of
    /// replicas goes to it (`scale`).
    fn sync_deployment<'a>(
        &'a self,
        deployment: &'a SimWorkload,
        own: &[&'a SimWorkload],
        owned: &Owned<'a>,
    ) -> Vec<Event> {
        let pods_of = |set: &SimWorkload| pods_in(owned, set);
        let spec = &deployment.spec;
        let desired = i64::try_from(deployment.desired).unwrap_or(0);
        let new_name = format!("{}-{}", deployment.name, pod_template_hash(spec));
        let mut sets: Vec<&SimWorkload> = own.to_vec();
        // Oldest first (`ReplicaSetsByCreationTimestamp`, ties by name).
        crate::small::order::sort_by(&mut sets, |a, b| {
            a.created_at.cmp(&b.created_at).then(a.name.cmp(&b.name))
        });
        let new = sets.iter().copied().find(|set| set.name == new_name);
        let olds: Vec<&SimWorkload> = sets
            .iter()
            .copied()
            .filter(|set| set.name != new_name)
            .collect();
        let scale = |set: &SimWorkload, replicas: i64| Event::WorkloadScaled {
            kind: WorkloadKind::ReplicaSet,
            workload: ObjectKey::new(&set.namespace, &set.name),
            replicas: usize::try_from(replicas.max(0)).unwrap_or(0),
        };
        let count = |set: &SimWorkload| i64::try_from(set.desired).unwrap_or(0);
        let strategy = &spec.strategy;
        if strategy.kind() == "Recreate" {
            let active: Vec<Event> = olds
                .iter()
                .filter(|set| set.desired > 0)
                .map(|set| scale(set, 0))
                .collect();
            if !active.is_empty() {
                return active;
            }
            // `oldPodsRunning`: the new pods wait until every old one is gone.
            if olds
                .iter()
                .any(|set| pods_of(set).iter().any(|pod| !pod.is_terminal()))
            {
                return Vec::new();
            }
            return match new {
                None => vec![self.replica_set_created(deployment, &new_name, desired)],
                Some(new) if count(new) != desired => vec![scale(new, desired)],
                Some(_) => Vec::new(),
            };
        }
        let all: i64 = sets.iter().map(|set| count(set)).sum();
        let Some(new) = new else {
            let replicas = new_replicas(strategy, desired, all, 0);
            return vec![self.replica_set_created(deployment, &new_name, replicas)];
        };
        if olds.iter().all(|set| set.desired == 0) {
            // Nothing to roll: the one active ReplicaSet follows the Deployment's replicas.
            return if count(new) == desired {
                Vec::new()
            } else {
                vec![scale(new, desired)]
            };
        }
        // reconcileNewReplicaSet
        let new_count = count(new);
        if new_count > desired {
            return vec![scale(new, desired)];
        }
        if new_count < desired {
            let grown = new_replicas(strategy, desired, all, new_count);
            if grown != new_count {
                return vec![scale(new, grown)];
            }
        }
        // reconcileOldReplicaSets
        let min_ready = spec.min_ready_seconds;
        let old_sets: Vec<OldSet> = olds
            .iter()
            .map(|set| OldSet {
                replicas: count(set),
                available: self.available(&pods_of(set), min_ready),
            })
            .collect();
        let new_available = self.available(&pods_of(new), min_ready);
        let scaled = scale_down_old(strategy, desired, &old_sets, new_count, new_available);
        olds.iter()
            .zip(scaled)
            .filter(|(set, replicas)| count(set) != *replicas)
            .map(|(set, replicas)| scale(set, replicas))
            .collect()
    }

    fn replica_set_created(&self, deployment: &SimWorkload, name: &str, replicas: i64) -> Event {
        let hash = name.rsplit('-').next().unwrap_or_default();
        let selector = if deployment.selector.is_empty() {
            format!("pod-template-hash={hash}")
        } else {
            format!("{},pod-template-hash={hash}", deployment.selector)
        };
        let mut replica_set = deployment.clone();
        replica_set.kind = WorkloadKind::ReplicaSet;
        replica_set.name = name.to_owned();
        replica_set.selector = selector;
        replica_set.pod_owner = ("ReplicaSet".to_owned(), name.to_owned());
        replica_set.owner = Some(deployment.name.clone());
        replica_set.desired = usize::try_from(replicas.max(0)).unwrap_or(0);
        replica_set.created_at = self.now;
        Event::ReplicaSetCreated {
            replica_set: Box::new(replica_set),
            deployment: deployment.name.clone(),
        }
    }

    /// The ReplicaSet controller's `manageReplicas`: creates the pods it lacks, deletes the
    /// ones it has too many of, those `ActivePodsWithRanks` ranks first. Terminating pods do
    /// not count (`FilterActivePods`).
    fn sync_replica_set(&self, set: &SimWorkload, pods: &[&SimPod]) -> Vec<Event> {
        let active: Vec<&SimPod> = pods
            .iter()
            .copied()
            .filter(|pod| !pod.terminating && !pod.is_terminal())
            .collect();
        let desired = set.desired;
        let mut events = Vec::new();
        if active.len() < desired {
            let mut template = set.spec.clone();
            template.replicas = Some(1);
            let Some(model) = pods_for_workload(&template, &self.nodes).into_iter().next() else {
                return events;
            };
            let owner = &set.pod_owner.1;
            let mut index = 0usize;
            while active.len() + events.len() < desired && index < desired.saturating_mul(4) + 16 {
                let name = format!(
                    "{owner}-{}",
                    random_suffix(&format!(
                        "{}/{owner}/{index}/{}",
                        set.namespace, self.generation
                    ))
                );
                index += 1;
                let key = ObjectKey::new(&set.namespace, &name);
                let taken = self.pod(&key).is_some()
                    || events.iter().any(
                        |event| matches!(event, Event::PodCreated { pod } if pod.name == name),
                    );
                if taken {
                    continue;
                }
                let mut pod = model.clone();
                pod.uid = uid_for(&set.namespace, &format!("{name}@{}", self.now));
                pod.name = name;
                pod.owner = Some(set.pod_owner.clone());
                events.push(Event::PodCreated { pod: Box::new(pod) });
            }
        } else if active.len() > desired {
            let mut on_node: Vec<&str> = active
                .iter()
                .filter_map(|pod| pod.node_name.as_deref())
                .collect();
            crate::small::order::sort_by(&mut on_node, |a, b| a.cmp(b));
            let crowd = |node: &str| {
                let count = on_node.partition_point(|at| *at <= node)
                    - on_node.partition_point(|at| *at < node);
                i64::try_from(count).unwrap_or(i64::MAX)
            };
            let signed = |at: Millis| -i64::try_from(at).unwrap_or(i64::MAX);
            let mut ranked: Vec<(DeletionCost, usize, &SimPod)> = active
                .iter()
                .enumerate()
                .map(|(position, pod)| {
                    let cost = DeletionCost {
                        assigned: pod.node_name.is_some(),
                        running: pod.ip.is_some(),
                        ready: pod.ready,
                        crowding: -pod.node_name.as_deref().map_or(0, crowd),
                        ready_since: pod.ready_since.map_or(0, signed),
                        created: signed(pod.created_at),
                    };
                    // Ties: the pod listed last (made last) first.
                    (cost, usize::MAX - position, *pod)
                })
                .collect();
            crate::small::order::sort_by(&mut ranked, |a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            for (_, _, pod) in ranked.into_iter().take(active.len() - desired) {
                events.push(Event::PodTerminating { pod: pod_key(pod) });
            }
        }
        events
    }

    /// The StatefulSet controller (pkg/controller/statefulset/stateful_set_control.go): pods
    /// by ordinal; with `OrderedReady` (the default) it makes one at a time, each when all
    /// before it are Running and Ready, and removes the highest ordinal first, one at a time;
    /// `Parallel` makes and removes all at once. A rolling update deletes the highest pod of
    /// an older revision at or above the partition, one at a time, once all pods are healthy,
    /// and makes it again from the new template when it is gone.
    fn sync_stateful_set(&self, set: &SimWorkload, pods: &[&SimPod]) -> Vec<Event> {
        let spec = &set.spec;
        let ordered = spec.pod_management_policy.as_deref() != Some("Parallel");
        let replicas = set.desired;
        let prefix = format!("{}-", set.name);
        // The pods by ordinal, lowest first (a sorted list; see `Grouped`).
        let mut ordinals: Vec<(usize, &SimPod)> = pods
            .iter()
            .filter_map(|pod| {
                let ordinal = pod.name.strip_prefix(&prefix)?.parse::<usize>().ok()?;
                Some((ordinal, *pod))
            })
            .collect();
        crate::small::order::sort_by(&mut ordinals, |a, b| a.0.cmp(&b.0));
        let at = |ordinal: usize| {
            ordinals
                .get(ordinals.partition_point(|(at, _)| *at < ordinal))
                .filter(|(at, _)| *at == ordinal)
                .map(|(_, pod)| *pod)
        };
        let healthy = |pod: &SimPod| pod.ready && !pod.terminating && pod.ip.is_some();
        let mut events = Vec::new();
        let mut template = spec.clone();
        template.replicas = Some(i64::try_from(replicas).unwrap_or(0));
        let mut made: Option<Vec<SimPod>> = None;
        for ordinal in 0..replicas {
            match at(ordinal) {
                None => {
                    let made =
                        made.get_or_insert_with(|| pods_for_workload(&template, &self.nodes));
                    let Some(mut pod) = made.get(ordinal).cloned() else {
                        break;
                    };
                    if self.generation > 0 || self.now > 0 {
                        pod.uid = uid_for(&set.namespace, &format!("{}@{}", pod.name, self.now));
                    }
                    events.push(Event::PodCreated { pod: Box::new(pod) });
                    if ordered {
                        return events;
                    }
                }
                Some(pod) if ordered && !healthy(pod) => return events,
                Some(_) => {}
            }
        }
        if !events.is_empty() {
            return events;
        }
        // Condemned pods, highest ordinal first.
        for (ordinal, pod) in ordinals.iter().rev() {
            if *ordinal < replicas {
                break;
            }
            if pod.terminating {
                if ordered {
                    return events;
                }
                continue;
            }
            events.push(Event::PodTerminating { pod: pod_key(pod) });
            if ordered {
                return events;
            }
        }
        if !events.is_empty() {
            return events;
        }
        if spec.strategy.kind() != "RollingUpdate" {
            return events;
        }
        let revision = pod_template_hash(spec);
        let partition = usize::try_from(spec.strategy.partition.unwrap_or(0).max(0)).unwrap_or(0);
        for ordinal in (partition..replicas).rev() {
            let Some(pod) = at(ordinal) else {
                continue;
            };
            if pod.revision != revision && !pod.terminating {
                events.push(Event::PodTerminating { pod: pod_key(pod) });
                return events;
            }
            if !healthy(pod) {
                return events;
            }
        }
        events
    }
}
