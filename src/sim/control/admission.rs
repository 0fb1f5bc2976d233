//! What the API server's admission plugins and defaulting add to a pod as it is stored, which
//! the scheduler reads and `kubectl describe pod` prints: its priority (the Priority plugin),
//! its tolerations (the DaemonSet controller's and DefaultTolerationSeconds'), and each
//! container's requests (defaulted from its limits).

use std::collections::BTreeMap;

use crate::sim::control::workloads::SimPod;
use crate::sim::input::objects::{Container, PodSpec, Toleration};

/// `spec.priority`, as the Priority admission plugin sets it: the value given, 0 without a
/// class, the built-in classes' values (pkg/apis/scheduling: system-cluster-critical
/// 2000000000, system-node-critical 2000001000); unknown for any other class (the model has no
/// PriorityClass objects).
pub fn priority(pod: &SimPod) -> Option<i64> {
    if let Some(priority) = pod.spec.priority {
        return Some(priority);
    }
    match pod.spec.priority_class_name.as_deref() {
        None => Some(0),
        Some("system-cluster-critical") => Some(2_000_000_000),
        Some("system-node-critical") => Some(2_000_001_000),
        Some(_) => None,
    }
}

/// `spec.tolerations` as stored: the pod's own, plus those the DaemonSet controller adds to
/// its pods (pkg/controller/daemon/util `AddOrUpdateDaemonPodTolerations`), plus the
/// DefaultTolerationSeconds admission plugin's `not-ready` and `unreachable` NoExecute
/// tolerations for 300 s when nothing tolerates those taints yet.
pub fn tolerations(pod: &SimPod) -> Vec<Toleration> {
    let daemon = pod
        .owner
        .as_ref()
        .is_some_and(|(kind, _)| kind == "DaemonSet");
    stored_tolerations(&pod.spec, daemon)
}

/// [`tolerations`] of a pod with `spec`, made by a DaemonSet or not.
pub fn stored_tolerations(spec: &PodSpec, daemon: bool) -> Vec<Toleration> {
    let exists = |key: &str, effect: &str, seconds: Option<i64>| Toleration {
        key: key.to_owned(),
        operator: "Exists".to_owned(),
        value: String::new(),
        effect: effect.to_owned(),
        seconds,
    };
    let mut tolerations = spec.tolerations.clone();
    let mut add = |toleration: Toleration| {
        let same = |existing: &Toleration| {
            existing.key == toleration.key
                && existing.effect == toleration.effect
                && existing.operator == toleration.operator
                && existing.value == toleration.value
        };
        if !tolerations.iter().any(same) {
            tolerations.push(toleration);
        }
    };
    if daemon {
        add(exists("node.kubernetes.io/not-ready", "NoExecute", None));
        add(exists("node.kubernetes.io/unreachable", "NoExecute", None));
        add(exists(
            "node.kubernetes.io/disk-pressure",
            "NoSchedule",
            None,
        ));
        add(exists(
            "node.kubernetes.io/memory-pressure",
            "NoSchedule",
            None,
        ));
        add(exists(
            "node.kubernetes.io/pid-pressure",
            "NoSchedule",
            None,
        ));
        add(exists(
            "node.kubernetes.io/unschedulable",
            "NoSchedule",
            None,
        ));
        if spec.host_network == Some(true) {
            add(exists(
                "node.kubernetes.io/network-unavailable",
                "NoSchedule",
                None,
            ));
        }
    }
    let tolerates = |key: &str, tolerations: &[Toleration]| {
        tolerations.iter().any(|toleration| {
            (toleration.key == key || toleration.key.is_empty())
                && (toleration.effect == "NoExecute" || toleration.effect.is_empty())
        })
    };
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        if !tolerates(key, &tolerations) {
            tolerations.push(exists(key, "NoExecute", Some(300)));
        }
    }
    tolerations
}

/// A container's limits and requests as stored: requests default to the limits for every
/// resource that has a limit and no request (pkg/apis/core/v1/defaults.go SetDefaults_Pod).
pub fn resources(container: &Container) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let Some(details) = &container.details else {
        return (BTreeMap::new(), BTreeMap::new());
    };
    let mut requests = details.requests.clone();
    for (name, quantity) in &details.limits {
        requests
            .entry(name.clone())
            .or_insert_with(|| quantity.clone());
    }
    (details.limits.clone(), requests)
}
