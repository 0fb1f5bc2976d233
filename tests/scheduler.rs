//! The scheduler's filters and its message for a pod no node takes, table-driven. Each case
//! cites the upstream source that decides it (Kubernetes 1.34: pkg/scheduler/framework/plugins
//! and pkg/scheduler/framework/types.go; the kubelet's defaults). The cluster is the model's
//! default: a tainted control-plane node and two workers of 110 pods, 4 CPUs and 8Gi each,
//! unless the case brings its own Node objects.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;

/// The control-plane taint's reason, as every message with the default nodes has it.
const TAINT: &str = "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";

fn deployment(name: &str, replicas: usize, spec: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
{spec}
---
"
    )
}

const CONTAINER: &str = "      containers: [{name: c, image: nginx}]";

/// A Node object; `extra` is more of its YAML: labels under `metadata` (a line starting with
/// two spaces and `labels:` replaces the hostname label) or a `spec`.
fn node(name: &str, extra: &str) -> String {
    let labels = if extra.starts_with("  labels:") {
        String::new()
    } else {
        format!("  labels: {{kubernetes.io/hostname: {name}}}\n")
    };
    format!(
        "apiVersion: v1
kind: Node
metadata:
  name: {name}
{labels}{extra}
---
"
    )
}

struct Case {
    source: &'static str,
    yaml: String,
    /// (pod name prefix, where: a node's name or "Pending", how many).
    placed: Vec<(&'static str, &'static str, usize)>,
    /// (pod name prefix, the scheduler's message for those left Pending).
    message: Option<(&'static str, String)>,
}

fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for case in cases {
        let cluster = Cluster::build(&case.yaml, &ClusterConfig::default());
        for (prefix, place, count) in &case.placed {
            let actual = cluster
                .pods
                .iter()
                .filter(|pod| pod.name.starts_with(prefix))
                .filter(|pod| pod.node_name.as_deref().unwrap_or("Pending") == *place)
                .count();
            if actual != *count {
                failures.push(format!(
                    "{}: {prefix}* on {place}: {actual}, expected {count}",
                    case.source
                ));
            }
        }
        if let Some((prefix, message)) = &case.message {
            let pending: Vec<&str> = cluster
                .pods
                .iter()
                .filter(|pod| pod.name.starts_with(prefix) && pod.node_name.is_none())
                .filter_map(|pod| pod.unschedulable.as_deref())
                .collect();
            if pending.is_empty() || pending.iter().any(|actual| actual != message) {
                failures.push(format!(
                    "{}: {prefix}*:\n  expected {message}\n  actual   {pending:?}",
                    case.source
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_scheduler_filters_and_says_why() {
    let cases = vec![
        Case {
            source: "kubelet maxPods 110 (pkg/kubelet/apis/config/v1beta1/defaults.go); \
                     noderesources/fit.go fitsRequest \"Too many pods\"; types.go FitError.Error; \
                     default_preemption.go SelectVictimsOnNode (no lower-priority pods)",
            yaml: deployment("web", 300, CONTAINER),
            placed: vec![("web-", "node-1", 110), ("web-", "node-2", 110), ("web-", "Pending", 80)],
            message: Some((
                "web-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 Too many pods. preemption: 0/3 nodes are \
                     available: 1 Preemption is not helpful for scheduling, 2 No preemption \
                     victims found for incoming pod."
                ),
            )),
        },
        Case {
            source: "fit.go: requests against allocatable minus what is requested already",
            yaml: deployment(
                "cpu",
                3,
                "      containers: [{name: c, image: nginx, resources: {requests: {cpu: \"3\"}}}]",
            ),
            placed: vec![("cpu-", "node-1", 1), ("cpu-", "node-2", 1), ("cpu-", "Pending", 1)],
            message: Some((
                "cpu-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes \
                     are available: 1 Preemption is not helpful for scheduling, 2 No preemption \
                     victims found for incoming pod."
                ),
            )),
        },
        Case {
            source: "fit.go (1.34, kubernetes#131345): a request above the node's whole \
                     allocatable is UnschedulableAndUnresolvable, so preemption is not helpful",
            yaml: deployment(
                "huge",
                1,
                "      containers: [{name: c, image: nginx, resources: {requests: {cpu: 4500m}}}]",
            ),
            placed: vec![("huge-", "Pending", 1)],
            message: Some((
                "huge-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 Insufficient cpu. preemption: 0/3 nodes \
                     are available: 3 Preemption is not helpful for scheduling."
                ),
            )),
        },
        Case {
            source: "pkg/apis/core/v1/defaults.go: requests default to limits; fit.go Insufficient memory",
            yaml: deployment(
                "mem",
                3,
                "      containers: [{name: c, image: nginx, resources: {limits: {memory: 6Gi}}}]",
            ),
            placed: vec![("mem-", "node-1", 1), ("mem-", "node-2", 1), ("mem-", "Pending", 1)],
            message: Some((
                "mem-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 Insufficient memory. preemption: 0/3 \
                     nodes are available: 1 Preemption is not helpful for scheduling, 2 No \
                     preemption victims found for incoming pod."
                ),
            )),
        },
        Case {
            source: "nodeaffinity ErrReasonPod: nodeSelector no node has",
            yaml: deployment(
                "gpu",
                1,
                "      nodeSelector: {accelerator: nvidia}\n      containers: [{name: c, image: nginx}]",
            ),
            placed: vec![("gpu-", "Pending", 1)],
            message: Some((
                "gpu-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 node(s) didn't match Pod's node \
                     affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not \
                     helpful for scheduling."
                ),
            )),
        },
        Case {
            source: "toleration.go ToleratesTaint (Exists, the key) and a nodeSelector on the \
                     control-plane label: the control-plane node takes the pod",
            yaml: deployment(
                "admin",
                2,
                "      nodeSelector: {node-role.kubernetes.io/control-plane: \"\"}
      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
      containers: [{name: c, image: nginx}]",
            ),
            placed: vec![("admin-", "control-plane", 2)],
            message: None,
        },
        Case {
            source: "taint_toleration.go: the first NoSchedule taint not tolerated, with its \
                     value; PreferNoSchedule does not filter; an Equal toleration of the value",
            yaml: [
                node(
                    "gpu-1",
                    "spec:\n  taints: [{key: dedicated, value: gpu, effect: NoSchedule}]",
                ),
                node(
                    "soft-1",
                    "spec:\n  taints: [{key: spare, value: \"yes\", effect: PreferNoSchedule}]",
                ),
                deployment("plain", 4, CONTAINER),
                deployment(
                    "ml",
                    1,
                    "      tolerations: [{key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}]
      nodeSelector: {kubernetes.io/hostname: gpu-1}
      containers: [{name: c, image: nginx}]",
                ),
                deployment(
                    "wrong",
                    1,
                    "      tolerations: [{key: dedicated, operator: Equal, value: cpu}]
      nodeSelector: {kubernetes.io/hostname: gpu-1}
      containers: [{name: c, image: nginx}]",
                ),
            ]
            .concat(),
            placed: vec![
                ("plain-", "soft-1", 4),
                ("ml-", "gpu-1", 1),
                ("wrong-", "Pending", 1),
            ],
            message: Some((
                "wrong-",
                "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, \
                 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/2 nodes are \
                 available: 2 Preemption is not helpful for scheduling."
                    .to_owned(),
            )),
        },
        Case {
            source: "component-helpers nodeaffinity: required terms are ORed, their \
                     requirements ANDed (In, NotIn on a missing label, Gt); an empty term \
                     matches nothing",
            yaml: [
                node("a", "  labels: {kubernetes.io/hostname: a, zone: z1, cores: \"8\"}"),
                node("b", "  labels: {kubernetes.io/hostname: b, zone: z2, cores: \"2\"}"),
                deployment(
                    "big",
                    2,
                    "      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: cores, operator: Gt, values: [\"4\"]}
              - {key: disk, operator: NotIn, values: [hdd]}
      containers: [{name: c, image: nginx}]",
                ),
                deployment(
                    "either",
                    2,
                    "      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - {}
            - matchFields: [{key: metadata.name, operator: In, values: [b]}]
      containers: [{name: c, image: nginx}]",
                ),
            ]
            .concat(),
            placed: vec![("big-", "a", 2), ("either-", "b", 2)],
            message: None,
        },
        Case {
            source: "nodeunschedulable.go ErrReasonUnschedulable; the DaemonSet controller's \
                     NodeShouldRunDaemonPod (its pods tolerate node.kubernetes.io/unschedulable, \
                     not the control-plane taint)",
            yaml: [
                node("up", ""),
                node("cordoned", "spec: {unschedulable: true}"),
                node(
                    "master",
                    "  labels: {kubernetes.io/hostname: master, node-role.kubernetes.io/control-plane: \"\"}
spec:
  taints: [{key: node-role.kubernetes.io/control-plane, effect: NoSchedule}]",
                ),
                deployment("app", 2, CONTAINER),
                "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox}]}
---
"
                .to_owned(),
            ]
            .concat(),
            placed: vec![
                ("app-", "up", 2),
                ("agent-", "up", 1),
                ("agent-", "cordoned", 1),
                ("agent-", "master", 0),
            ],
            message: None,
        },
        Case {
            source: "nodeports.go ErrReason: a host port already taken on every node",
            yaml: deployment(
                "hp",
                3,
                "      containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]",
            ),
            placed: vec![("hp-", "node-1", 1), ("hp-", "node-2", 1), ("hp-", "Pending", 1)],
            message: Some((
                "hp-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 node(s) didn't have free ports for the \
                     requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is \
                     not helpful for scheduling, 2 No preemption victims found for incoming pod."
                ),
            )),
        },
        Case {
            source: "default_preemption.go: lower-priority pods whose eviction would make room; \
                     the model says preemption is not simulated rather than evict them",
            yaml: [
                deployment("filler", 220, CONTAINER),
                deployment(
                    "vip",
                    1,
                    "      priority: 1000\n      containers: [{name: c, image: nginx}]",
                ),
            ]
            .concat(),
            placed: vec![("filler-", "Pending", 0), ("vip-", "Pending", 1)],
            message: Some((
                "vip-",
                format!(
                    "0/3 nodes are available: {TAINT}, 2 Too many pods. preemption: evicting \
                     lower-priority pods would make room on node-1, node-2 (not simulated: the \
                     pod stays Pending)"
                ),
            )),
        },
    ];
    check(cases);
}

/// `kubectl describe pod` shows the scheduler's event and `-o json` its condition; the
/// Service's explanation says its pods are Pending and why.
#[test]
fn a_pending_pod_says_why_everywhere() {
    let yaml = deployment("web", 300, CONTAINER)
        + "apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
";
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let pending = cluster
        .pods
        .iter()
        .find(|pod| pod.node_name.is_none() && pod.name.starts_with("web-"))
        .expect("a pending pod");
    let message = pending.unschedulable.clone().expect("a message");
    let described = svcscope::sim::kubectl::describe_pod::describe_pod(pending, None, 0);
    assert!(
        described.ends_with(&format!(
            "Events:\n  Type     Reason            Age        From               Message\n  ----     ------            ----       ----               -------\n  Warning  FailedScheduling  <unknown>  default-scheduler  {message}\n"
        )),
        "{described}"
    );
    let explained: Vec<&str> = cluster
        .diagnostics
        .iter()
        .map(|diagnostic| diagnostic.message.as_str())
        .filter(|text| text.contains("Pending"))
        .collect();
    assert_eq!(
        explained,
        [format!(
            "80 of the 300 pods Service web selects are Pending, not \
             endpoints: no node takes them: the scheduler says \"{message}\""
        )
        .as_str()],
    );
    // Not reported again when a later pass finds the same: one event per pod.
    let events = cluster
        .events
        .iter()
        .filter(|event| {
            matches!(
                event,
                svcscope::sim::control::event::Event::PodUnschedulable { .. }
            )
        })
        .count();
    assert_eq!(events, 80);
}

/// A node joining and a node deleted, as what-ifs: the scheduler places the pods that were
/// Pending on the new node (the next `node-N`, the next InternalIP and /24), its DaemonSets
/// start a pod there; a deleted node's pods are deleted by the pod garbage collector and
/// replaced elsewhere by their controllers (its DaemonSet pod is not). The replay of the events
/// is the cluster itself (the one write path).
#[test]
fn nodes_join_and_leave() {
    use svcscope::sim::control::event::Command;
    let yaml = deployment("web", 300, CONTAINER)
        + "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox}]}
";
    let mut cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let on = |cluster: &Cluster, node: &str, prefix: &str| {
        cluster
            .pods
            .iter()
            .filter(|pod| pod.name.starts_with(prefix) && pod.node_name.as_deref() == Some(node))
            .count()
    };
    let pending = |cluster: &Cluster| {
        cluster
            .pods
            .iter()
            .filter(|pod| pod.node_name.is_none())
            .count()
    };
    // The web pods come first and fill both workers (110 each); 80 are Pending, and so are
    // the two agents, pinned to full nodes.
    assert_eq!(
        (on(&cluster, "node-1", "web-"), pending(&cluster)),
        (110, 82)
    );
    cluster.apply(&Command::AddNode);
    let node = cluster.nodes.last().unwrap();
    assert_eq!(
        (
            node.name.as_str(),
            node.internal_ip.as_str(),
            node.pod_cidr.to_string()
        ),
        ("node-3", "192.168.0.13", "10.244.3.0/24".to_owned())
    );
    // node-3 takes the 80 web pods and its own agent; the other two agents stay Pending.
    assert_eq!(
        (
            on(&cluster, "node-3", "agent-"),
            on(&cluster, "node-3", "web-")
        ),
        (1, 80)
    );
    assert_eq!(pending(&cluster), 2);
    assert_eq!(
        cluster.at(usize::MAX).nodes.len(),
        4,
        "the fold adds the node too"
    );
    assert_eq!(cluster.initial().nodes.len(), 3);

    cluster.apply(&Command::RemoveNode {
        node: "node-1".to_owned(),
    });
    assert!(cluster.nodes.iter().all(|node| node.name != "node-1"));
    assert_eq!(on(&cluster, "node-1", ""), 0);
    // node-1's 110 web pods are replaced: 29 fit on node-3 (110 less its agent and 80 web),
    // 81 stay Pending; node-1's agent is gone and not replaced.
    assert_eq!(
        cluster
            .pods
            .iter()
            .filter(|pod| pod.name.starts_with("web-"))
            .count(),
        300
    );
    assert_eq!(on(&cluster, "node-3", "web-"), 109);
    assert_eq!(
        cluster
            .pods
            .iter()
            .filter(|pod| pod.name.starts_with("agent-"))
            .count(),
        2
    );
    assert_eq!(pending(&cluster), 81 + 1);
    let replayed = cluster.at(usize::MAX);
    assert_eq!(replayed.pods, cluster.pods);
    assert_eq!(replayed.nodes, cluster.nodes);
    // A node that does not exist: nothing happens.
    assert!(cluster
        .apply(&Command::RemoveNode {
            node: "nope".to_owned()
        })
        .is_empty());
}

/// A pod's requests as component-helpers' `resourcehelper.AggregateContainerRequests` sums
/// them: containers and sidecars added up; each regular init container's need, with the
/// sidecars started before it, kept apart; the larger wins. (A sidecar started after an init
/// container does not add to that init container's need.)
#[test]
fn requests_are_aggregated_as_resourcehelper_does() {
    use svcscope::sim::control::scheduler::pod_request;
    let yaml = "\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - {name: setup, image: busybox, resources: {requests: {cpu: 500m, memory: 64Mi}}}
  - {name: proxy, image: envoy, restartPolicy: Always, resources: {requests: {cpu: 200m, memory: 128Mi}}}
  containers:
  - {name: app, image: nginx, resources: {requests: {cpu: 100m, memory: 32Mi}}}
";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    let pod = cluster.pods.iter().find(|pod| pod.name == "p").unwrap();
    let request = pod_request(&pod.spec);
    // cpu: max(100m + 200m, 500m) = 500m; memory: max(32Mi + 128Mi, 64Mi) = 160Mi.
    assert_eq!(
        (request.milli_cpu, request.memory),
        (500, 160 * 1024 * 1024)
    );
}
