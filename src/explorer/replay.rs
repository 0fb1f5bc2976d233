//! The cluster as it stood after the first N events: what the explorer's timeline shows while
//! it plays the convergence back (pods appearing, being scheduled, getting their IPs, turning
//! Ready, endpoints following). Pure: a fold over [`Event`]s.

use std::collections::BTreeSet;

use crate::sim::control::cluster::Event;

/// A pod as far as the events so far tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FramePod {
    /// `namespace/name`.
    pub pod: String,
    /// The node it was scheduled to, once it was.
    pub node: Option<String>,
    /// Its IP, once assigned.
    pub ip: Option<String>,
    /// Whether the kubelet last reported it Ready.
    pub ready: bool,
}

/// An EndpointSlice as last written: `namespace/name`, its Service's name, and its endpoints'
/// addresses with their readiness.
pub type SliceWrite = (String, String, Vec<(String, bool)>);

/// The cluster after some events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Pods that exist, in creation order.
    pub pods: Vec<FramePod>,
    /// Services created so far (`namespace/name`).
    pub services: BTreeSet<String>,
    /// Each EndpointSlice's last write, in the order slices were first written: (`namespace/name`
    /// of the slice, Service name, addresses with readiness). A list, not a map: few slices,
    /// and one map type less in the wasm.
    pub slices: Vec<SliceWrite>,
}

impl Frame {
    /// The frame after the first `upto` of `events` (all of them when `upto` is past the end).
    pub fn after(events: &[Event], upto: usize) -> Frame {
        let mut frame = Frame::default();
        for event in events.iter().take(upto) {
            frame.apply(event);
        }
        frame
    }

    /// Takes one more event into account.
    pub fn apply(&mut self, event: &Event) {
        let pod_mut = |pods: &mut Vec<FramePod>, name: &str| -> Option<usize> {
            pods.iter().position(|pod| pod.pod == name)
        };
        match event {
            Event::ServiceCreated { service, .. } => {
                self.services.insert(service.clone());
            }
            Event::PodCreated { pod, .. } => {
                if pod_mut(&mut self.pods, pod).is_none() {
                    self.pods.push(FramePod {
                        pod: pod.clone(),
                        node: None,
                        ip: None,
                        ready: false,
                    });
                }
            }
            Event::PodScheduled { pod, node } => {
                if let Some(index) = pod_mut(&mut self.pods, pod) {
                    if let Some(entry) = self.pods.get_mut(index) {
                        entry.node = Some(node.clone());
                    }
                }
            }
            Event::PodIpAssigned { pod, ip } => {
                if let Some(index) = pod_mut(&mut self.pods, pod) {
                    if let Some(entry) = self.pods.get_mut(index) {
                        entry.ip = Some(ip.clone());
                    }
                }
            }
            Event::PodReadiness { pod, ready } => {
                if let Some(index) = pod_mut(&mut self.pods, pod) {
                    if let Some(entry) = self.pods.get_mut(index) {
                        entry.ready = *ready;
                    }
                }
            }
            Event::PodDeleted { pod } => self.pods.retain(|entry| &entry.pod != pod),
            Event::EndpointSliceWritten {
                slice,
                service,
                endpoints,
            } => {
                let written = (slice.clone(), service.clone(), endpoints.clone());
                match self.slices.iter_mut().find(|(name, ..)| name == slice) {
                    Some(entry) => *entry = written,
                    None => self.slices.push(written),
                }
            }
            Event::EndpointSliceDeleted { slice } => {
                self.slices.retain(|(name, ..)| name != slice);
            }
            Event::ReplicaSetCreated { .. }
            | Event::WorkloadScaled { .. }
            | Event::PodLabelsChanged { .. }
            | Event::EndpointsWritten { .. } => {}
        }
    }

    /// The pod `namespace/name`, if it exists in this frame.
    pub fn pod(&self, namespace: &str, name: &str) -> Option<&FramePod> {
        self.pods.iter().find(|pod| {
            pod.pod
                .split_once('/')
                .is_some_and(|(ns, n)| ns == namespace && n == name)
        })
    }

    /// Whether an endpoint of some slice of `service` (`name`, as slices name it, in
    /// `namespace`) has address `ip`, and whether it is ready.
    pub fn endpoint(&self, namespace: &str, service: &str, ip: &str) -> Option<bool> {
        self.slices
            .iter()
            .filter(|(slice, owner, _)| {
                owner == service && slice.split_once('/').is_some_and(|(ns, _)| ns == namespace)
            })
            .flat_map(|(_, _, endpoints)| endpoints)
            .find(|(address, _)| address == ip)
            .map(|(_, ready)| *ready)
    }
}
