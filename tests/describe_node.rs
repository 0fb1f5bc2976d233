//! `kubectl describe node`, as kubectl 1.34's `describeNode` and `describeNodeResource`
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go) print the node the model holds: no
//! kubelet (no conditions, an empty System Info, no Lease), kubeadm's control-plane taint and
//! its CoreDNS pods with kubeadm's requests and limits (100m and 70Mi requested, 170Mi memory
//! limit: cmd/kubeadm/app/phases/addons/dns/manifests.go), their percentages as kubectl's
//! `int64(float64(request) / float64(allocatable) * 100)` truncates them.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::string_slice,
    clippy::disallowed_methods
)]

use svcscope::explorer::kubectl_view::{self, Describe};
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;

const CONTROL_PLANE: &str = r#"Name:               control-plane
Roles:              control-plane
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname=control-plane
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Mon, 01 Jan 0001 00:00:00 +0000
Taints:             node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Lease:              Failed to get lease: leases.coordination.k8s.io "control-plane" not found
Addresses:
  InternalIP:  192.168.0.10
  Hostname:    control-plane
Capacity:
  cpu:     4
  memory:  8Gi
  pods:    110
Allocatable:
  cpu:     4
  memory:  8Gi
  pods:    110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   
  Operating System:           
  Architecture:               
  Container Runtime Version:  
  Kubelet Version:            
  Kube-Proxy Version:         
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name                        CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                        ------------  ----------  ---------------  -------------  ---
  kube-system                 coredns-749846858d-pf7dl    100m (2%)     0 (0%)      70Mi (0%)        170Mi (2%)     <unknown>
  kube-system                 coredns-749846858d-zs99p    100m (2%)     0 (0%)      70Mi (0%)        170Mi (2%)     <unknown>
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                200m (5%)   0 (0%)
  memory             140Mi (1%)  340Mi (4%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
"#;

#[test]
fn describe_node_prints_what_kubectl_prints() {
    let cluster = Cluster::build("", &ClusterConfig::default());
    let text = kubectl_view::describe(&cluster, Describe::Node, "", "control-plane").unwrap();
    assert_eq!(text, CONTROL_PLANE);
    assert_eq!(
        kubectl_view::describe(&cluster, Describe::Node, "", "nope"),
        Err("Error from server (NotFound): nodes \"nope\" not found".to_owned())
    );
    assert!(kubectl_view::commands(&cluster).contains(&"describe node node-1".to_owned()));
    assert_eq!(
        kubectl_view::output(&cluster, "describe node control-plane"),
        CONTROL_PLANE
    );
}

/// A Node object's own taints (sorted by effect, then key; `key=value:effect`), allocatable,
/// cordon and roles; percentages of requests that do not divide evenly (float truncation, as
/// kubectl: 290m of 1 CPU is 28%, not 29%); binary and decimal memory quantities summed in the
/// first one's format.
#[test]
fn a_node_object_with_taints_and_requests() {
    let yaml = "\
apiVersion: v1
kind: Node
metadata:
  name: small
  labels: {kubernetes.io/hostname: small, node-role.kubernetes.io/worker: \"\", kubernetes.io/role: edge}
spec:
  unschedulable: true
  taints:
  - {key: zeta, value: z, effect: NoSchedule}
  - {key: alpha, effect: NoSchedule}
  - {key: beta, value: b, effect: NoExecute}
status:
  allocatable: {cpu: \"1\", memory: 1Gi, pods: \"20\"}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  nodeName: small
  containers:
  - {name: c, image: nginx, resources: {requests: {cpu: 290m, memory: 100Mi}, limits: {memory: 200M}}}
  - {name: d, image: nginx, resources: {requests: {memory: 100M}}}
";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    let text = kubectl_view::describe(&cluster, Describe::Node, "", "small").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[1], "Roles:              edge,worker");
    let taints = lines
        .iter()
        .position(|line| line.starts_with("Taints:"))
        .unwrap();
    assert_eq!(
        &lines[taints..taints + 4],
        [
            "Taints:             beta=b:NoExecute",
            "                    alpha:NoSchedule",
            "                    zeta=z:NoSchedule",
            "Unschedulable:      true",
        ]
    );
    assert!(
        text.contains("Allocatable:\n  cpu:     1\n  memory:  1Gi\n  pods:    20\n"),
        "{text}"
    );
    // 100Mi + 100M = 204,857,600 bytes, in the first's (binary) format: not a whole number of
    // KiB, so no suffix; 204857600 / 1073741824 = 19.08% -> 19; 200M of 1Gi = 18.6% -> 18.
    assert!(
        text.contains("  default                     a       290m (28%)    0 (0%)      204857600 (19%)  200M (18%)     <unknown>\n"),
        "{text}"
    );
}
