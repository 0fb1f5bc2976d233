//! The simulated clock: kubectl's ages, the kubelet's probe and termination timing, the
//! Deployment controller's rollout arithmetic, and what they make of a cluster over time
//! (rolling updates, Recreate, termination with KEP-1672's endpoint conditions and KEP-1669's
//! fallback in kube-proxy, StatefulSets' ordered start, `--at`).
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::clock::{
    human_duration, ready_at, termination_length, timestamp, Millis,
};
use svcscope::sim::control::cluster::{Cluster, Command};
use svcscope::sim::control::rollout::{
    fenceposts, max_unavailable, new_replicas, scale_down_old, OldSet,
};
use svcscope::sim::input::decode::IntOrString;
use svcscope::sim::input::objects::{Strategy, WorkloadKind};
use svcscope::sim::key::ObjectKey;

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// k8s.io/apimachinery/pkg/util/duration/duration_test.go: TestHumanDuration and
/// TestHumanDurationBoundaries, whole (milliseconds stand for Go's nanosecond `- 1`).
#[test]
fn ages_as_kubectl_prints_them() {
    let cases: &[(i64, &str)] = &[
        (SECOND, "1s"),
        (70 * SECOND, "70s"),
        (190 * SECOND, "3m10s"),
        (70 * MINUTE, "70m"),
        (47 * HOUR, "47h"),
        (49 * HOUR, "2d1h"),
        ((8 * 24 + 2) * HOUR, "8d"),
        (367 * DAY, "367d"),
        ((365 * 2 * 24 + 25) * HOUR, "2y1d"),
        ((365 * 8 * 24 + 2) * HOUR, "8y"),
        // Boundaries.
        (-2 * SECOND, "<invalid>"),
        (-2 * SECOND + 1, "0s"),
        (0, "0s"),
        (SECOND - 1, "0s"),
        (2 * MINUTE - 1, "119s"),
        (2 * MINUTE, "2m"),
        (2 * MINUTE + SECOND, "2m1s"),
        (10 * MINUTE - 1, "9m59s"),
        (10 * MINUTE, "10m"),
        (10 * MINUTE + SECOND, "10m"),
        (3 * HOUR - 1, "179m"),
        (3 * HOUR, "3h"),
        (3 * HOUR + MINUTE, "3h1m"),
        (8 * HOUR - 1, "7h59m"),
        (8 * HOUR, "8h"),
        (8 * HOUR + 59 * MINUTE, "8h"),
        (2 * DAY - 1, "47h"),
        (2 * DAY, "2d"),
        (2 * DAY + HOUR, "2d1h"),
        (8 * DAY - 1, "7d23h"),
        (8 * DAY, "8d"),
        (8 * DAY + 23 * HOUR, "8d"),
        (2 * 365 * DAY - 1, "729d"),
        (2 * 365 * DAY, "2y"),
        (2 * 365 * DAY + 23 * HOUR, "2y"),
        (2 * 365 * DAY + 23 * HOUR + 59 * MINUTE, "2y"),
        (2 * 365 * DAY + DAY - 1, "2y"),
        (2 * 365 * DAY + DAY, "2y1d"),
        (3 * 365 * DAY, "3y"),
        (8 * 365 * DAY - 1, "7y364d"),
        (8 * 365 * DAY, "8y"),
        (8 * 365 * DAY + 364 * DAY, "8y"),
        (9 * 365 * DAY, "9y"),
    ];
    for (millis, want) in cases {
        assert_eq!(human_duration(*millis), *want, "{millis} ms");
    }
    assert_eq!(timestamp(0), "2025-01-01T00:00:00Z");
    assert_eq!(
        timestamp(86_400_000 * 59 + 3_661_000),
        "2025-03-01T01:01:01Z"
    );
}

fn rolling(surge: IntOrString, unavailable: IntOrString) -> Strategy {
    Strategy {
        type_: Some("RollingUpdate".to_owned()),
        max_surge: Some(surge),
        max_unavailable: Some(unavailable),
        partition: None,
    }
}

/// pkg/controller/deployment/rolling_test.go and util/deployment_util_test.go.
#[test]
fn rollout_arithmetic_as_the_deployment_controller_does_it() {
    use IntOrString::{Int, String as Text};
    // ResolveFenceposts: surge rounds up, unavailable down, both 25% by default; 0 and 0
    // leaves one unavailable (TestResolveFenceposts).
    let defaults = Strategy::default();
    assert_eq!(fenceposts(&defaults, 10), (3, 2));
    assert_eq!(fenceposts(&defaults, 3), (1, 0));
    assert_eq!(fenceposts(&rolling(Int(0), Int(0)), 10), (0, 1));
    assert_eq!(fenceposts(&rolling(Text("0%".into()), Int(1)), 0), (0, 1));
    assert_eq!(
        fenceposts(&rolling(Text("50%".into()), Text("50%".into())), 5),
        (3, 2)
    );
    // MaxUnavailable: no more than the replicas; 0 for Recreate.
    assert_eq!(max_unavailable(&rolling(Int(0), Int(20)), 10), 10);
    let recreate = Strategy {
        type_: Some("Recreate".into()),
        ..Strategy::default()
    };
    assert_eq!(max_unavailable(&recreate, 10), 0);

    // TestDeploymentController_reconcileNewReplicaSet (maxUnavailable 0): (replicas,
    // maxSurge, old, new) -> new.
    for (replicas, surge, old, new, want) in [
        (10, 0, 10, 0, 0),
        (10, 2, 10, 0, 2),
        (10, 2, 5, 0, 7),
        (10, 2, 10, 2, 2),
    ] {
        let strategy = rolling(Int(surge), Int(0));
        assert_eq!(
            new_replicas(&strategy, replicas, old + new, new),
            want,
            "replicas {replicas}, surge {surge}, old {old}, new {new}"
        );
    }
    assert_eq!(new_replicas(&recreate, 4, 9, 0), 4);

    // TestDeploymentController_reconcileOldReplicaSets (maxSurge 0): (replicas,
    // maxUnavailable, old, new, old available, new available) -> old.
    for (replicas, unavailable, old, new, old_ready, new_ready, want) in [
        (10, 0, 10, 0, 10, 0, 9),
        (10, 2, 10, 0, 10, 0, 8),
        // Unhealthy old replicas are cleaned up first.
        (10, 2, 10, 0, 8, 0, 8),
        // One unhealthy cleaned up, one ready scaled down.
        (10, 2, 10, 0, 9, 0, 8),
        // The new set's unavailable pods hold the old ones back.
        (10, 2, 8, 2, 8, 0, 8),
    ] {
        let strategy = rolling(Int(0), Int(unavailable));
        let olds = [OldSet {
            replicas: old,
            available: old_ready,
        }];
        assert_eq!(
            scale_down_old(&strategy, replicas, &olds, new, new_ready),
            vec![want],
            "replicas {replicas}, unavailable {unavailable}, old {old}/{old_ready}, new {new}/{new_ready}"
        );
    }
    // TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate's cases (maxSurge 0,
    // no new set), run through the whole of reconcileOldReplicaSets: (replicas,
    // maxUnavailable, available, old) -> old. Where upstream's scale-down alone leaves the
    // old set alone (8 or 1 of 10 available: `availablePodCount <= minAvailable`), the cleanup
    // of unhealthy replicas that reconcileOldReplicaSets runs first takes maxScaledDown =
    // 10 - 8 = 2 of them.
    for (replicas, unavailable, ready, old, want) in [
        (10, 0, 10, 10, 9),
        (10, 2, 10, 10, 8),
        (10, 2, 8, 10, 8),
        (10, 2, 10, 0, 0),
        (10, 2, 1, 10, 8),
    ] {
        let strategy = rolling(Int(0), Int(unavailable));
        let olds = [OldSet {
            replicas: old,
            available: ready,
        }];
        let scaled = scale_down_old(&strategy, replicas, &olds, 0, 0);
        assert_eq!(scaled, vec![want], "{replicas} {unavailable} {ready} {old}");
    }
}

fn pod_spec(yaml: &str) -> svcscope::sim::input::objects::PodSpec {
    let text = format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{}",
        yaml.lines()
            .map(|line| format!("  {line}\n"))
            .collect::<String>()
    );
    let cluster = Cluster::build(&text, &ClusterConfig::default());
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name == "p")
        .expect("pod p");
    pod.spec.as_ref().clone()
}

/// When probes let a pod be Ready, and how long its termination lasts (kubernetes.io
/// docs: "Configure Liveness, Readiness and Startup Probes" for initialDelaySeconds,
/// periodSeconds and successThreshold; pod-lifecycle "Termination of Pods" for the preStop
/// hook, SIGTERM, the grace period and its 2-second extension).
#[test]
fn probes_and_termination_take_the_time_the_spec_says() {
    let none = std::collections::BTreeMap::new();
    let plain = pod_spec("containers:\n- name: c\n  image: nginx\n");
    assert_eq!(ready_at(&plain, &none, true, 3000), Some(3000));
    assert_eq!(ready_at(&plain, &none, false, 3000), None);
    let delayed = pod_spec(
        "containers:\n- name: c\n  image: nginx\n  readinessProbe:\n    tcpSocket: {port: 80}\n    initialDelaySeconds: 5\n    periodSeconds: 5\n",
    );
    assert_eq!(ready_at(&delayed, &none, true, 0), Some(5000));
    let thresholds = pod_spec(
        "containers:\n- name: c\n  image: nginx\n  readinessProbe:\n    tcpSocket: {port: 80}\n    successThreshold: 3\n",
    );
    // First probe at start, then every 10 s (the default period): the third pass at 20 s.
    assert_eq!(ready_at(&thresholds, &none, true, 0), Some(20_000));
    // A startup probe first (from 10 s, every 5 s); the application answers from 12 s: the
    // startup probe passes at 15 s; readiness (every 10 s from 0) next runs at 20 s.
    let startup = pod_spec(
        "containers:\n- name: c\n  image: nginx\n  startupProbe:\n    tcpSocket: {port: 80}\n    initialDelaySeconds: 10\n    periodSeconds: 5\n  readinessProbe:\n    tcpSocket: {port: 80}\n",
    );
    let warm = [("svcscope.dev/ready-after".to_owned(), "12s".to_owned())]
        .into_iter()
        .collect();
    assert_eq!(ready_at(&startup, &warm, true, 0), Some(20_000));
    // Two containers: the pod is Ready when the slower one is.
    let two = pod_spec(
        "containers:\n- name: a\n  image: nginx\n- name: b\n  image: nginx\n  readinessProbe:\n    tcpSocket: {port: 80}\n    initialDelaySeconds: 7\n",
    );
    assert_eq!(ready_at(&two, &none, true, 1000), Some(8000));

    // Termination: (spec, annotations) -> length.
    let ms = |seconds: u64| -> Millis { seconds * 1000 };
    assert_eq!(termination_length(&plain, &none), 0);
    let pre_stop = pod_spec(
        "containers:\n- name: c\n  image: nginx\n  lifecycle:\n    preStop:\n      sleep: {seconds: 10}\n",
    );
    assert_eq!(termination_length(&pre_stop, &none), ms(10));
    let drain = [("svcscope.dev/stop-delay".to_owned(), "5s".to_owned())]
        .into_iter()
        .collect();
    assert_eq!(termination_length(&pre_stop, &drain), ms(15));
    let long = pod_spec(
        "terminationGracePeriodSeconds: 30\ncontainers:\n- name: c\n  image: nginx\n  lifecycle:\n    preStop:\n      exec: {command: [sh, -c, sleep 40]}\n",
    );
    assert_eq!(long.pre_stop_seconds, Some(40));
    // The hook outlives the grace period: SIGTERM at 30 s, a 2 s extension, then SIGKILL.
    assert_eq!(termination_length(&long, &drain), ms(32));
    let slow_app =
        pod_spec("terminationGracePeriodSeconds: 3\ncontainers:\n- name: c\n  image: nginx\n");
    assert_eq!(termination_length(&slow_app, &drain), ms(3));
}

const ROLLING: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  strategy:
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
        readinessProbe:
          httpGet: {path: /, port: 80}
          initialDelaySeconds: 5
          periodSeconds: 5
        lifecycle:
          preStop:
            sleep: {seconds: 10}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
";

fn web_pods(cluster: &Cluster) -> Vec<&svcscope::sim::control::workloads::SimPod> {
    cluster
        .pods
        .iter()
        .filter(|pod| {
            pod.namespace == "default" && pod.labels.get("app").map(String::as_str) == Some("web")
        })
        .collect()
}

/// A rolling update with maxSurge 1 and maxUnavailable 0: at every moment the Service has at
/// least 3 ready endpoints and there are at most 4 pods that are not terminating; old pods
/// are terminating (not ready, serving, terminating in the slice; out of Endpoints) for their
/// preStop's 10 s; at the end, 3 new pods serve.
#[test]
fn a_rolling_update_keeps_the_service_whole() {
    let mut cluster = Cluster::build(ROLLING, &ClusterConfig::default());
    assert_eq!(cluster.now, 5000, "the probes pass at 5 s");
    let start = cluster.now;
    let before = cluster.clone();
    cluster.apply(&Command::Restart {
        workload: ObjectKey::new("default", "web"),
        kind: WorkloadKind::Deployment,
    });
    let old_hash = web_pods(&before)[0].labels["pod-template-hash"].clone();
    let old_hash = old_hash.as_str();
    assert!(cluster.now > start + 15_000, "{}", cluster.now);
    let mut saw_terminating = false;
    let mut moment = start;
    while moment <= cluster.now {
        let at = cluster.as_of(moment);
        let pods = web_pods(&at);
        let active = pods.iter().filter(|pod| !pod.terminating).count();
        assert!(active <= 4, "{active} pods at {moment}");
        let slices: Vec<_> = at
            .endpoint_slices
            .iter()
            .filter(|slice| slice.service == "web")
            .collect();
        let ready = slices
            .iter()
            .flat_map(|slice| &slice.endpoints)
            .filter(|endpoint| endpoint.ready)
            .count();
        assert!(ready >= 3, "{ready} ready endpoints at {moment} ms");
        for endpoint in slices.iter().flat_map(|slice| &slice.endpoints) {
            if endpoint.terminating {
                // KEP-1672: a terminating endpoint is not ready; serving keeps its readiness.
                saw_terminating = true;
                assert!(!endpoint.ready && endpoint.serving, "{endpoint:?}");
                let address = &endpoint.addresses[0];
                let legacy = at.endpoints_named("default", "web").expect("endpoints");
                assert!(
                    legacy.subsets.iter().all(|subset| subset
                        .addresses
                        .iter()
                        .chain(&subset.not_ready_addresses)
                        .all(|listed| &listed.ip != address)),
                    "Endpoints lists terminating {address}"
                );
            }
        }
        moment += 500;
    }
    assert!(saw_terminating);
    let pods = web_pods(&cluster);
    assert_eq!(pods.len(), 3);
    assert!(
        pods.iter()
            .all(|pod| pod.ready && !pod.name.contains(old_hash)),
        "{pods:#?}"
    );
    let mut replica_sets: Vec<(String, usize)> = cluster
        .workloads
        .iter()
        .filter(|workload| {
            workload.kind == WorkloadKind::ReplicaSet && workload.namespace == "default"
        })
        .map(|workload| (workload.name.clone(), workload.desired))
        .collect();
    assert_eq!(replica_sets.len(), 2, "{replica_sets:?}");
    replica_sets.sort_by_key(|(name, _)| name != &format!("web-{old_hash}"));
    assert_eq!(replica_sets[0], (format!("web-{old_hash}"), 0));
    assert_eq!(replica_sets[1].1, 3);
}

/// `Recreate`: every old pod is gone before the new ReplicaSet is made (`oldPodsRunning`),
/// so the Service has no endpoints in between.
#[test]
fn recreate_empties_the_service_first() {
    let yaml = ROLLING.replace(
        "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}",
        "    type: Recreate",
    );
    let mut cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let start = cluster.now;
    let events = cluster.apply(&Command::Restart {
        workload: ObjectKey::new("default", "web"),
        kind: WorkloadKind::Deployment,
    });
    let messages: Vec<String> = events.iter().map(|event| event.message()).collect();
    let created = messages
        .iter()
        .position(|message| message.contains("created by Deployment web"))
        .expect("new ReplicaSet");
    let last_deleted = messages
        .iter()
        .rposition(|message| {
            message.ends_with(" deleted") && message.starts_with("pod default/web-")
        })
        .expect("old pods deleted");
    assert!(last_deleted < created, "{messages:#?}");
    // preStop 10 s: the old pods are gone at start + 1 s + 10 s; the new ones Ready 5 s later.
    let gap = cluster.as_of(start + 1000 + 10_000);
    let slice = gap
        .endpoint_slices
        .iter()
        .find(|slice| slice.service == "web")
        .expect("slice");
    assert!(
        slice.endpoints.iter().all(|endpoint| !endpoint.ready),
        "{slice:#?}"
    );
    assert_eq!(cluster.now, start + 1000 + 10_000 + 5000);
}

/// Deleting the only pod of a Service: it terminates (preStop 10 s); its endpoint stays in
/// the slice as serving and terminating, and kube-proxy, finding no ready endpoint, sends
/// traffic to it (KEP-1669), as proxier_test.go's terminating-endpoint cases expect.
#[test]
fn a_terminating_pod_serves_while_nothing_else_can() {
    let yaml = ROLLING
        .replace("  replicas: 3\n", "  replicas: 1\n")
        .replace("initialDelaySeconds: 5", "initialDelaySeconds: 20");
    let mut cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let pod = web_pods(&cluster)[0].name.clone();
    let deleted_at = cluster.now + 1000;
    cluster.apply(&Command::DeletePod {
        pod: ObjectKey::new("default", &pod),
    });
    let during = cluster.as_of(deleted_at + 5000);
    let terminating = during
        .pod(&ObjectKey::new("default", &pod))
        .expect("still there");
    assert!(terminating.terminating);
    let described =
        svcscope::sim::kubectl::describe_pod::describe_pod(terminating, None, during.now);
    assert!(
        described.contains(
            "Status:                    Terminating (lasts 5s)\nTermination Grace Period:  30s\n"
        ),
        "{described}"
    );
    let got = svcscope::sim::kubectl::get::get_pods(&web_pods(&during), false, false, during.now);
    assert!(
        got.contains(&format!("{pod}   1/1     Terminating")),
        "{got}"
    );
    let node = during
        .nodes
        .iter()
        .find(|node| Some(&node.name) == terminating.node_name.as_ref())
        .expect("node");
    let proxy = svcscope::sim::proxy::shared::ProxyConfig::for_node(node, &during.config);
    let services: Vec<_> = during.services.iter().collect();
    let slices: Vec<_> = during.endpoint_slices.iter().collect();
    let rules = svcscope::sim::proxy::iptables::iptables_rules(&services, &slices, &proxy).render();
    let address = terminating.ip.clone().expect("ip");
    assert!(
        rules.contains(&format!("-j DNAT --to-destination {address}:80")),
        "kube-proxy falls back to the serving, terminating endpoint:\n{rules}"
    );
    // The replacement is Ready 20 s after it started; the old pod is gone after 10 s.
    let after = cluster.as_of(deleted_at + 10_000);
    assert!(after.pod(&ObjectKey::new("default", &pod)).is_none());
}

/// A StatefulSet with `OrderedReady` (the default) makes web-1 only once web-0 is Running
/// and Ready, web-2 once web-1 is; `Parallel` makes all three at once.
#[test]
fn stateful_sets_start_in_order() {
    let yaml = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        readinessProbe:
          tcpSocket: {port: 80}
          initialDelaySeconds: 4
";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    let created: Vec<(Millis, String)> = cluster
        .events
        .iter()
        .zip(&cluster.times)
        .filter_map(|(event, at)| {
            let message = event.message();
            message
                .strip_prefix("pod default/")
                .and_then(|rest| rest.strip_suffix(" created by StatefulSet/web"))
                .map(|name| (*at, name.to_owned()))
        })
        .collect();
    assert_eq!(
        created,
        vec![
            (0, "web-0".to_owned()),
            (4000, "web-1".to_owned()),
            (8000, "web-2".to_owned())
        ]
    );
    let parallel = Cluster::build(
        &yaml.replace(
            "  serviceName: web\n",
            "  serviceName: web\n  podManagementPolicy: Parallel\n",
        ),
        &ClusterConfig::default(),
    );
    assert_eq!(parallel.now, 4000);
    assert_eq!(web_pods(&parallel).len(), 3);

    // A rolling update replaces the highest ordinal first, one at a time, each once the one
    // before it is Ready again.
    let mut cluster = cluster;
    let start = cluster.now;
    let events = cluster.apply(&Command::Restart {
        workload: ObjectKey::new("default", "web"),
        kind: WorkloadKind::StatefulSet,
    });
    let order: Vec<String> = events
        .iter()
        .map(|event| event.message())
        .filter(|message| message.ends_with(" terminating"))
        .collect();
    assert_eq!(
        order,
        vec![
            "pod default/web-2 terminating",
            "pod default/web-1 terminating",
            "pod default/web-0 terminating"
        ]
    );
    assert_eq!(cluster.now, start + 1000 + 3 * 4000);
}

/// A second document naming the same Deployment is `kubectl apply`'s update: once the first
/// has settled, its new template rolls out.
#[test]
fn a_template_change_in_the_yaml_rolls_out() {
    let changed = ROLLING.replace("image: nginx", "image: nginx:1.27");
    let deployment = changed.split("---").next().expect("deployment");
    let yaml = format!("{ROLLING}---\n{deployment}");
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let messages: Vec<String> = cluster.events.iter().map(|event| event.message()).collect();
    assert!(
        messages.contains(&"Deployment/default/web pod template changed".to_owned()),
        "{messages:#?}"
    );
    let images: Vec<String> = web_pods(&cluster)
        .iter()
        .map(|pod| pod.spec.containers[0].image.clone())
        .collect();
    assert_eq!(images, vec!["nginx:1.27"; 3]);
}

/// `svcscope --at`: the cluster at a moment, for any command; events carry their moments.
#[test]
fn the_cli_shows_any_moment() {
    let dir = std::env::temp_dir().join(format!("svcscope-clock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("rolling.yaml");
    std::fs::write(&file, ROLLING).expect("write");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_svcscope"))
            .arg("-f")
            .arg(&file)
            .args(args)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    // Before the probes pass: not ready; after: ready, 5 s old.
    let early = run(&["--at", "2", "get", "pods"]);
    assert!(early.contains("0/1     Running   0          2s"), "{early}");
    let late = run(&["get", "pods"]);
    assert!(late.contains("1/1     Running   0          5s"), "{late}");
    // Mid-rollout: an old pod terminating.
    let mid = run(&["--restart", "deployment/web", "--at", "12", "get", "pods"]);
    assert!(mid.contains("Terminating"), "{mid}");
    // The Deployment counts the ready pods of both ReplicaSets (status.readyReplicas sums
    // them, terminating pods left out), UP-TO-DATE the new one's (updatedReplicas):
    // at 12 s two old pods and one new are ready, the second new one is not yet.
    let deployments = run(&[
        "--restart",
        "deployment/web",
        "--at",
        "12",
        "get",
        "deployments",
    ]);
    assert_eq!(
        deployments,
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     2            3           12s\n"
    );
    let events = run(&["--restart", "deployment/web", "events"]);
    assert!(
        events.contains("\n   6.0s  Deployment/default/web pod template changed\n"),
        "{events}"
    );
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_svcscope"))
        .arg("-f")
        .arg(&file)
        .args(["--at", "soon", "get", "pods"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The durations `--at` and the annotations take.
#[test]
fn durations_as_written() {
    use svcscope::sim::control::clock::parse_duration;
    for (text, want) in [
        ("5", Some(5000)),
        ("5s", Some(5000)),
        ("1.5s", Some(1500)),
        ("1.25", Some(1250)),
        (".5s", Some(500)),
        ("250ms", Some(250)),
        ("2m", Some(120_000)),
        ("1h", Some(3_600_000)),
        (" 3 ", Some(3000)),
        ("", None),
        ("s", None),
        ("-1", None),
        ("1e3", None),
        ("soon", None),
        ("99999999999999999999", None),
    ] {
        assert_eq!(parse_duration(text), want, "{text:?}");
    }
}

/// The page's timeline reads each event's moment back from the line the model wrote.
#[test]
fn event_lines_carry_their_moment() {
    use svcscope::explorer::scene::moment_of;
    use svcscope::sim::control::clock::moment;
    for at in [0u64, 100, 5000, 12_300, 3_600_000] {
        let line = format!("{} pod default/web-0 is Ready", moment(at));
        assert_eq!(u64::from(moment_of(&line)), at, "{line}");
    }
    assert_eq!(moment(12_345), "12.3s");
    assert_eq!(moment_of("no moment here"), 0);
}

/// A maxSurge or maxUnavailable as large as the field holds (the API server takes any
/// integer) neither wraps nor panics: the surge is capped by the replicas asked for.
#[test]
fn huge_fenceposts_saturate() {
    use IntOrString::{Int, String as Text};
    let huge = rolling(Int(i64::MAX), Int(i64::MAX));
    assert_eq!(new_replicas(&huge, 10, 10, 0), 10);
    assert_eq!(max_unavailable(&huge, 10), 10);
    let percent = rolling(Text("9223372036854775807%".into()), Int(0));
    assert_eq!(
        fenceposts(&percent, 10).0,
        0,
        "a percentage past i64 is refused, as 0"
    );
    let big = rolling(Text("92233720368547758%".into()), Int(0));
    assert!(new_replicas(&big, 100, 100, 0) <= 100);
}

/// The page's time slider and the CLI's `--at` agree: the page's step at each moment, read
/// back from its event lines, is the model's.
#[test]
fn the_page_and_the_cli_agree_on_the_step_at_a_moment() {
    use svcscope::explorer::questions::{DnsFormat, DnsQuestion};
    use svcscope::explorer::scene::{moment_at, scene, step_at, SceneQuestion};
    use svcscope::sim::dns::resolver::ResolverKind;
    let scenario = svcscope::explorer::scenarios::scenario("rollout").expect("scenario");
    let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
    // The event lines the page gets.
    let question = SceneQuestion {
        step: None,
        dns: DnsQuestion {
            from: scenario.dns.0.to_owned(),
            name: scenario.dns.1.to_owned(),
            qtype: "A".to_owned(),
            resolver: ResolverKind::Glibc,
            format: DnsFormat::Nslookup,
        },
        trace_from: scenario.trace.0.to_owned(),
        trace_to: scenario.trace.1.to_owned(),
        spread: false,
        focus: String::new(),
        selected: String::new(),
    };
    let lines = scene(&cluster, &question).events;
    for at in (0..=cluster.now + 1000).step_by(100) {
        let step = step_at(&lines, u32::try_from(at).expect("u32"));
        assert_eq!(step, cluster.step_at(at), "at {at} ms");
        assert_eq!(
            u64::from(moment_at(&lines, step)),
            cluster
                .times
                .get(step.wrapping_sub(1))
                .copied()
                .unwrap_or(0),
            "at {at} ms"
        );
    }
    assert_eq!(u64::from(moment_at(&lines, lines.len())), cluster.now);
}
