//! `kubectl describe pod`, table-driven. Each expected text is what kubectl's `describePod`
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go: describeContainers, DescribeProbe,
//! describeVolumes, printPodTolerationsMultiline, printAnnotationsMultiline, tabwriter with
//! padding 2) prints for the pod object the model holds, with the API server's defaults
//! (SetDefaults_Probe, SetDefaults_Pod's requests from limits, the Priority, ServiceAccount and
//! DefaultTolerationSeconds admission plugins) and the kubelet's conditions. The model has no
//! clock and no container runtime: no Start Time, no container statuses (see
//! `src/sim/describe_pod.rs`).
#![cfg(not(target_arch = "wasm32"))]
// Tests may panic and sort with std: the lints in Cargo.toml and clippy.toml guard the library
// and the binaries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::admission::tolerations;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::input::quantity::quantity_nanos;
use svcscope::sim::kubectl::describe_pod::{describe_pod, qos_class};

fn describe(yaml: &str, namespace: &str, pick: impl Fn(&str) -> bool) -> String {
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.namespace == namespace && pick(&pod.name))
        .expect("the pod exists");
    let node = pod
        .node_name
        .as_deref()
        .and_then(|name| cluster.nodes.iter().find(|node| node.name == name));
    describe_pod(pod, node, 0)
}

/// Every field describe prints from a container and a pod spec: command and args, two ports
/// (plural titles), limits with requests defaulted from them (so Guaranteed), the three probe
/// kinds with SetDefaults_Probe's values, envFrom with and without a prefix, env from a value,
/// fieldRefs resolved (metadata.name, status.podIP), a resourceFieldRef rounded up (500m -> 1),
/// secret and config map keys, mounts sorted by path with a subPath, three volume kinds, a
/// nodeSelector, the user's toleration beside the admission plugin's two, and the
/// last-applied-configuration annotation left out.
const RICH_YAML: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
  labels: {app: api, tier: backend}
  annotations:
    team: payments
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1"}'
spec:
  serviceAccountName: api-reader
  nodeSelector: {disktype: ssd}
  tolerations:
  - key: dedicated
    operator: Equal
    value: shop
    effect: NoSchedule
  containers:
  - name: app
    image: example/api:2.1
    command: ["/bin/api"]
    args: ["--port", "8080"]
    ports:
    - {name: http, containerPort: 8080}
    - {name: metrics, containerPort: 9090, hostPort: 9090}
    env:
    - {name: MODE, value: production}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: CPU_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: db, key: password}}
    - name: LOG_LEVEL
      valueFrom: {configMapKeyRef: {name: api-config, key: level, optional: true}}
    envFrom:
    - configMapRef: {name: api-env}
    - prefix: DB_
      secretRef: {name: db}
    resources:
      limits: {cpu: 500m, memory: 256Mi}
    readinessProbe:
      httpGet: {path: /healthz, port: http}
      periodSeconds: 5
    livenessProbe:
      tcpSocket: {port: 8080}
      initialDelaySeconds: 15
    startupProbe:
      exec: {command: [cat, /tmp/ready]}
      failureThreshold: 30
    volumeMounts:
    - {name: config, mountPath: /etc/api, readOnly: true}
    - {name: cache, mountPath: /var/cache/api}
    - {name: data, mountPath: /data, subPath: api}
  volumes:
  - name: config
    configMap: {name: api-config}
  - name: cache
    emptyDir: {}
  - name: data
    persistentVolumeClaim: {claimName: api-data}
---
apiVersion: v1
kind: Node
metadata:
  name: worker-a
  labels: {disktype: ssd}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
"#;

const RICH: &str = r#"Name:             api
Namespace:        shop
Priority:         0
Service Account:  api-reader
Node:             worker-a/172.18.0.3
Labels:           app=api
                  tier=backend
Annotations:      team: payments
Status:           Running
IP:               10.244.1.4
IPs:
  IP:  10.244.1.4
Containers:
  app:
    Image:       example/api:2.1
    Ports:       8080/TCP, 9090/TCP
    Host Ports:  0/TCP, 9090/TCP
    Command:
      /bin/api
    Args:
      --port
      8080
    Limits:
      cpu:     500m
      memory:  256Mi
    Requests:
      cpu:      500m
      memory:   256Mi
    Liveness:   tcp-socket :8080 delay=15s timeout=1s period=10s #success=1 #failure=3
    Readiness:  http-get http://:http/healthz delay=0s timeout=1s period=5s #success=1 #failure=3
    Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=30
    Environment Variables from:
      api-env  ConfigMap                 Optional: false
      db       Secret with prefix 'DB_'  Optional: false
    Environment:
      MODE:         production
      POD_NAME:     api (v1:metadata.name)
      POD_IP:       10.244.1.4 (v1:status.podIP)
      CPU_LIMIT:    1 (limits.cpu)
      DB_PASSWORD:  <set to the key 'password' in secret 'db'>           Optional: false
      LOG_LEVEL:    <set to the key 'level' of config map 'api-config'>  Optional: true
    Mounts:
      /data from data (rw,path="api")
      /etc/api from config (ro)
      /var/cache/api from cache (rw)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  config:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      api-config
    Optional:  false
  cache:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  data:
    Type:        PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:   api-data
    ReadOnly:    false
QoS Class:       Guaranteed
Node-Selectors:  disktype=ssd
Tolerations:     dedicated=shop:NoSchedule
                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:          <none>
"#;

/// A pod no node fits: Pending, no node, no IP (`IP:` with an empty value, `IPs: <none>`), only
/// the scheduler's PodScheduled=False condition; a cpu request alone makes it Burstable.
const PENDING_YAML: &str = r#"apiVersion: v1
kind: Pod
metadata:
  name: gpu-job
spec:
  nodeSelector: {accelerator: nvidia}
  containers:
  - name: job
    image: busybox:1.36
    resources:
      requests: {cpu: 100m}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      hostNetwork: true
      containers:
      - name: agent
        image: example/agent:1
"#;

const PENDING: &str = r#"Name:             gpu-job
Namespace:        default
Priority:         0
Service Account:  default
Node:             <none>
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  job:
    Image:      busybox:1.36
    Port:       <none>
    Host Port:  <none>
    Requests:
      cpu:        100m
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       Burstable
Node-Selectors:  accelerator=nvidia
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason            Age        From               Message
  ----     ------            ----       ----               -------
  Warning  FailedScheduling  <unknown>  default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"#;

#[test]
fn describe_pod_prints_what_kubectl_prints() {
    assert_eq!(describe(RICH_YAML, "shop", |name| name == "api"), RICH);
    assert_eq!(
        describe(PENDING_YAML, "default", |name| name == "gpu-job"),
        PENDING
    );
}

/// kubeadm's CoreDNS (cmd/kubeadm/app/phases/addons/dns/manifests.go) as a real cluster's
/// `kubectl describe pod -n kube-system coredns-...` shows it, less the runtime's lines.
#[test]
fn the_clusters_coredns_pod_describes_as_kubeadm_installs_it() {
    let text = describe("", "kube-system", |name| name.starts_with("coredns-"));
    for line in [
        "Priority:             2000000000\n",
        "Priority Class Name:  system-cluster-critical\n",
        "Service Account:      coredns\n",
        "Node:                 control-plane/192.168.0.10\n",
        "    Ports:       53/UDP, 53/TCP, 9153/TCP\n",
        "    Host Ports:  0/UDP, 0/TCP, 0/TCP\n",
        "      -conf\n      /etc/coredns/Corefile\n",
        "    Limits:\n      memory:  170Mi\n",
        "    Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 #failure=5\n",
        "    Readiness:    http-get http://:8181/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n",
        "      /etc/coredns from config-volume (ro)\n",
        "QoS Class:       Burstable\n",
        "Node-Selectors:  kubernetes.io/os=linux\n",
        "Tolerations:     CriticalAddonsOnly op=Exists\n                 node-role.kubernetes.io/control-plane:NoSchedule op=Exists\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

/// A DaemonSet's pods carry the tolerations its controller adds
/// (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations; network-unavailable only with
/// hostNetwork), so DefaultTolerationSeconds adds none.
#[test]
fn daemonset_pods_tolerate_what_the_controller_adds() {
    let text = describe(PENDING_YAML, "default", |name| name.starts_with("agent-"));
    let expected =
        "Tolerations:                  node.kubernetes.io/disk-pressure:NoSchedule op=Exists
                              node.kubernetes.io/memory-pressure:NoSchedule op=Exists
                              node.kubernetes.io/network-unavailable:NoSchedule op=Exists
                              node.kubernetes.io/not-ready:NoExecute op=Exists
                              node.kubernetes.io/pid-pressure:NoSchedule op=Exists
                              node.kubernetes.io/unreachable:NoExecute op=Exists
                              node.kubernetes.io/unschedulable:NoSchedule op=Exists
";
    assert!(text.contains(expected), "{text}");
    let cluster = Cluster::build(PENDING_YAML, &ClusterConfig::default());
    let agent = cluster
        .pods
        .iter()
        .find(|pod| pod.name.starts_with("agent-"))
        .expect("a DaemonSet pod");
    assert!(tolerations(agent)
        .iter()
        .all(|toleration| toleration.seconds.is_none()));
}

/// Quantities (k8s.io/apimachinery/pkg/api/resource quantity.go suffixes).
#[test]
fn quantities_parse_as_the_api_reads_them() {
    const ONE: i128 = 1_000_000_000;
    for (text, value) in [
        ("1", Some(ONE)),
        ("500m", Some(ONE / 2)),
        ("0.5", Some(ONE / 2)),
        ("1000m", Some(ONE)),
        ("128Mi", Some(134_217_728 * ONE)),
        ("1Gi", Some(1_073_741_824 * ONE)),
        ("2k", Some(2000 * ONE)),
        ("1e3", Some(1000 * ONE)),
        ("1E-3", Some(ONE / 1000)),
        ("100u", Some(100_000)),
        ("-2", Some(-2 * ONE)),
        ("12Q", None),
        ("1.2.3", None),
        (".", None),
        ("", None),
    ] {
        assert_eq!(quantity_nanos(text), value, "{text}");
    }
}

/// GetPodQOS (pkg/apis/core/helper/qos/qos.go) over cpu and memory; requests default to the
/// limits first (SetDefaults_Pod).
#[test]
fn qos_classes_follow_get_pod_qos() {
    let pod = |resources: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: i\n    resources: {resources}\n"
        )
    };
    for (resources, class) in [
        ("{}", "BestEffort"),
        ("{limits: {cpu: 1, memory: 1Gi}}", "Guaranteed"),
        (
            "{limits: {cpu: 1000m, memory: 1Gi}, requests: {cpu: 1, memory: 1Gi}}",
            "Guaranteed",
        ),
        (
            "{limits: {cpu: 1, memory: 1Gi}, requests: {cpu: 500m}}",
            "Burstable",
        ),
        ("{limits: {cpu: 1}}", "Burstable"),
        ("{requests: {memory: 64Mi}}", "Burstable"),
        ("{requests: {ephemeral-storage: 1Gi}}", "BestEffort"),
    ] {
        let cluster = Cluster::build(&pod(resources), &ClusterConfig::default());
        let p = cluster
            .pods
            .iter()
            .find(|pod| pod.name == "p")
            .expect("pod p");
        assert_eq!(qos_class(p), class, "{resources}");
    }
}
