//! What-ifs: changes a reader makes to the running cluster as kubectl would, and where each one
//! goes. A change of what the YAML states (a workload's replicas, a bare Pod's labels) is
//! written into the YAML in place when it can be; the others stay commands replayed on the
//! cluster of that text.

use crate::explorer::edit::{set_labels, set_replicas};
use crate::sim::control::cluster::{Cluster, Command};
use crate::sim::input::labels::labels_text;
use crate::sim::input::manifest::ObjectRef;
use crate::sim::input::objects::WorkloadKind;
use crate::sim::key::ObjectKey;

/// The commands applied on top of a text, and the text they belong to: editing the YAML
/// starts a new cluster, so the commands of the old one no longer apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhatIfs {
    /// The text the commands were made on.
    pub text: String,
    /// The commands, in order.
    pub commands: Vec<Command>,
}

impl WhatIfs {
    /// The commands that belong to `text` (none when the text has changed since).
    pub fn for_text(&self, text: &str) -> &[Command] {
        if self.text == text {
            &self.commands
        } else {
            &[]
        }
    }

    /// Records `command`, made on the cluster of `text`: when it was written into the text
    /// (`written`, see [`written_back`]) the commands so far move along to the new text, else
    /// it joins them.
    pub fn record(&mut self, text: &str, command: Command, written: Option<&str>) {
        if self.text != text {
            self.text = text.to_owned();
            self.commands.clear();
        }
        match written {
            Some(edited) => self.text = edited.to_owned(),
            None => self.commands.push(command),
        }
    }
}

/// Builds the cluster for `text` and replays the commands that belong to it.
pub fn cluster_with(text: &str, what_ifs: &WhatIfs, build: impl Fn(&str) -> Cluster) -> Cluster {
    let mut cluster = build(text);
    for command in what_ifs.for_text(text) {
        cluster.apply(command);
    }
    cluster
}

/// `text` with `command` written into it in place, when what it changes is written there: a
/// workload's `spec.replicas` as a plain number, a bare Pod's `metadata.labels`. A controller's
/// pods are not in the YAML (their template is, and `kubectl label pod` leaves it alone).
pub fn written_back(text: &str, cluster: &Cluster, command: &Command) -> Option<String> {
    match command {
        Command::Scale {
            workload,
            kind,
            replicas,
        } => input_object(cluster, kind.as_str(), workload)
            .and_then(|object| set_replicas(text, object, *replicas)),
        Command::SetPodLabels { pod, labels } => {
            input_object(cluster, "Pod", pod).and_then(|object| set_labels(text, object, labels))
        }
        Command::DeletePod { .. }
        | Command::Restart { .. }
        | Command::SetPodReady { .. }
        | Command::AddNode
        | Command::RemoveNode { .. } => None,
    }
}

/// The input object of `kind` that `key` names (an input object without a namespace is in
/// `default`).
fn input_object<'c>(cluster: &'c Cluster, kind: &str, key: &ObjectKey) -> Option<&'c ObjectRef> {
    cluster.objects.iter().find(|object| {
        object.kind == kind
            && object.name == key.name
            && (object.namespace == key.namespace
                || (object.namespace.is_empty() && key.namespace == "default"))
    })
}

/// A workload a reader can scale.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scalable {
    /// The workload.
    pub key: ObjectKey,
    /// Its kind.
    pub kind: WorkloadKind,
    /// Its replicas now.
    pub desired: usize,
    /// `Kind namespace/name: N`.
    pub label: String,
}

/// The key of the row that scales the cluster's nodes (an object key no workload has): its
/// `+` and `-` become [`Command::AddNode`] and [`Command::RemoveNode`] of the last node
/// ([`node_commands`]), so that the page draws nodes with the workloads' own buttons.
pub const NODES: (&str, &str) = ("", "");

/// The input's workloads a reader can scale: not the cluster's own, not DaemonSets, and not a
/// Deployment's ReplicaSet (scaled through its Deployment, whose controller would undo a
/// direct change); then the cluster's nodes ([`NODES`]).
pub fn scalable(cluster: &Cluster) -> Vec<Scalable> {
    let nodes = Scalable {
        key: ObjectKey::new(NODES.0, NODES.1),
        kind: WorkloadKind::Deployment,
        desired: cluster.nodes.len(),
        label: format!("Nodes: {}", cluster.nodes.len()),
    };
    cluster
        .workloads
        .iter()
        .filter(|workload| workload.namespace != "kube-system")
        .filter(|workload| workload.kind != WorkloadKind::DaemonSet)
        .filter(|workload| workload.owner.is_none())
        .map(|workload| Scalable {
            key: ObjectKey::new(&workload.namespace, &workload.name),
            kind: workload.kind,
            desired: workload.desired,
            label: format!(
                "{} {}/{}: {}",
                workload.kind.as_str(),
                workload.namespace,
                workload.name,
                workload.desired
            ),
        })
        .chain(std::iter::once(nodes))
        .collect()
}

/// What scaling the nodes' row to `wanted` does: a node joins, or the last one is deleted
/// (never the only one); `None` when `command` is not about the nodes' row.
pub fn node_commands(cluster: &Cluster, command: &Command) -> Option<Vec<Command>> {
    let Command::Scale {
        workload, replicas, ..
    } = command
    else {
        return None;
    };
    if workload.namespace != NODES.0 || workload.name != NODES.1 {
        return None;
    }
    let now = cluster.nodes.len();
    Some(if *replicas > now {
        vec![Command::AddNode]
    } else if *replicas < now && now > 1 {
        cluster
            .nodes
            .last()
            .map(|node| Command::RemoveNode {
                node: node.name.clone(),
            })
            .into_iter()
            .collect()
    } else {
        Vec::new()
    })
}

/// A pod a reader can delete, flip or relabel.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PodRow {
    /// The pod.
    pub key: ObjectKey,
    /// Whether its Ready condition is True.
    pub ready: bool,
    /// `namespace/name IP Ready|not ready`.
    pub label: String,
    /// Its labels as `kubectl label` takes them (`k=v k2=v2`).
    pub labels: String,
}

/// The input's pods (not the cluster's own), in creation order.
pub fn pod_rows(cluster: &Cluster) -> Vec<PodRow> {
    cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace != "kube-system")
        .map(|pod| PodRow {
            key: ObjectKey::new(&pod.namespace, &pod.name),
            ready: pod.ready,
            label: format!(
                "{}/{} {} {}",
                pod.namespace,
                pod.name,
                pod.ip.as_deref().unwrap_or_default(),
                if pod.ready { "Ready" } else { "not ready" }
            ),
            labels: labels_text(&pod.labels, " "),
        })
        .collect()
}
