//! The workload controllers (Deployment -> ReplicaSet -> Pods, StatefulSet, DaemonSet), the
//! scheduler and pod IP assignment.
//!
//! Names follow upstream: a Deployment's ReplicaSet is `<deployment>-<pod-template-hash>`, its
//! pods `<replicaset>-<5 chars>`, StatefulSet pods `<name>-<ordinal>`, DaemonSet pods
//! `<name>-<5 chars>`, the random parts drawn from upstream's alphabet
//! (`k8s.io/apimachinery/pkg/util/rand`: `bcdfghjklmnpqrstvwxz2456789`). Upstream hashes the
//! pod template with a deep printer of the Go struct (`controller.ComputeHash`) that cannot be
//! reproduced outside Go; svcscope hashes the template's YAML instead, so the hash is stable
//! and changes when the template does, like the real one, but does not equal it.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::sim::control::clock::Millis;
use std::sync::Arc;

use crate::sim::config::{node_mask, stable_hash, stable_hash_parts, Cidr, ClusterConfig, Family};
use crate::sim::control::admission::stored_tolerations;
use crate::sim::control::scheduler::{node_matches, untolerated, Allocatable, CONTROL_PLANE_TAINT};
use crate::sim::input::objects::{
    LabelSelector, NodeObject, Pod, PodSpec, Taint, Workload, WorkloadKind,
};

/// `k8s.io/apimachinery/pkg/util/rand`'s alphabet: no vowels, no 0/1/3 (to avoid words).
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// The alphabet's character at `index` (taken modulo its length).
fn alphanum(index: usize) -> char {
    char::from(
        ALPHANUMS
            .get(index % ALPHANUMS.len())
            .copied()
            .unwrap_or(b'b'),
    )
}

/// `rand.SafeEncodeString`: each byte mapped onto the alphabet.
pub fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| alphanum(usize::from(byte)))
        .collect()
}

/// Five characters of the alphabet drawn from a stable hash of `seed` (upstream draws them at
/// random for generateName).
pub fn random_suffix(seed: &str) -> String {
    let mut hash = stable_hash(seed);
    (0..5)
        .map(|_| {
            let index = (hash % ALPHANUMS.len() as u64) as usize;
            hash /= ALPHANUMS.len() as u64;
            alphanum(index)
        })
        .collect()
}

/// A node of the simulated cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimNode {
    /// Name.
    pub name: String,
    /// InternalIP (of the cluster's primary family).
    pub internal_ip: String,
    /// The InternalIP of the other family, on a dual-stack cluster.
    pub secondary_internal_ip: Option<String>,
    /// The node's pod CIDR (`spec.podCIDR`, the primary family's).
    pub pod_cidr: Cidr,
    /// The pod CIDR of the other family, on a dual-stack cluster (`spec.podCIDRs[1]`).
    pub secondary_pod_cidr: Option<Cidr>,
    /// Labels (kubernetes.io/hostname at least).
    pub labels: BTreeMap<String, String>,
    /// `spec.unschedulable`.
    pub unschedulable: bool,
    /// A control-plane node (labelled `node-role.kubernetes.io/control-plane`).
    pub control_plane: bool,
    /// `spec.taints` (kubeadm's control-plane node: `node-role.kubernetes.io/control-plane:NoSchedule`).
    pub taints: Vec<Taint>,
    /// `status.allocatable`: pods, CPU and memory.
    pub allocatable: Allocatable,
}

impl SimNode {
    /// Its InternalIPs, the primary first (none when a Node object states none).
    pub fn internal_ips(&self) -> Vec<&str> {
        let mut ips = Vec::with_capacity(2);
        if !self.internal_ip.is_empty() {
            ips.push(self.internal_ip.as_str());
        }
        if let Some(ip) = &self.secondary_internal_ip {
            ips.push(ip.as_str());
        }
        ips
    }
}

/// The label (and taint key) of control-plane nodes.
pub const CONTROL_PLANE_LABEL: &str = "node-role.kubernetes.io/control-plane";

/// A pod of the simulated cluster, from the input or made by a controller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimPod {
    /// Name.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Annotations (the template's, or the input pod's).
    pub annotations: BTreeMap<String, String>,
    /// The controller that owns it: (kind, name).
    pub owner: Option<(String, String)>,
    /// The pod spec (containers, hostname, subdomain, ...), shared by the pods of one template
    /// (a 10-replica Deployment holds one copy, not ten).
    pub spec: Arc<PodSpec>,
    /// The node it runs on, once scheduled.
    pub node_name: Option<String>,
    /// Its IP, once assigned (`status.podIP`, of the cluster's primary family).
    pub ip: Option<String>,
    /// Its IP of the other family on a dual-stack cluster (`status.podIPs[1]`).
    pub secondary_ip: Option<String>,
    /// Whether its Ready condition is True: false until the kubelet reports it (the
    /// [`crate::sim::control::event::Event::PodReadiness`] that follows its IP).
    pub ready: bool,
    /// Whether its readiness probe passes once it runs: what the kubelet will report
    /// (`svcscope.dev/ready: "false"` on the template stands for a probe that never passes; an
    /// input pod's own Ready condition; a what-if's flip).
    pub passes_readiness: bool,
    /// Whether it is terminating.
    pub terminating: bool,
    /// `status.phase` an input pod states (`Succeeded`, `Failed`, ...); `None` for the pods the
    /// simulation runs, which are `Pending` until they have an IP and `Running` after.
    pub phase: Option<String>,
    /// A stable UID (`metadata.uid` when given).
    pub uid: String,
    /// Why the scheduler left it Pending (its `PodScheduled` condition's message and the
    /// `FailedScheduling` event's), while no node takes it.
    pub unschedulable: Option<String>,
    /// When it was created (`metadata.creationTimestamp`).
    pub created_at: Millis,
    /// When its containers started (`None` before).
    pub started_at: Option<Millis>,
    /// When its Ready condition last turned True (`None` while not Ready).
    pub ready_since: Option<Millis>,
    /// When it was deleted (`metadata.deletionTimestamp`), while terminating.
    pub deleted_at: Option<Millis>,
    /// The `pod-template-hash` of the template it was made from (empty for bare pods): a
    /// StatefulSet's rolling update replaces the pods of older revisions.
    pub revision: String,
}

/// The cluster's nodes: the input's Node objects, or a kubeadm-style cluster of one
/// `control-plane` node (InternalIP 192.168.0.10, the first /24 of the cluster CIDR) and
/// `config.nodes` workers `node-1`, ... (192.168.0.11, ...; the following /24s). Pod CIDRs are
/// /24s for IPv4 and /64s for IPv6, the node-ipam controller's `--node-cidr-mask-size-ipv4` and
/// `-ipv6` defaults. On an IPv6 or dual-stack cluster a node's IPv6 InternalIP mirrors its IPv4
/// one: `fd00:192:168::10` beside 192.168.0.10.
pub fn nodes(input: &[NodeObject], config: &ClusterConfig) -> Vec<SimNode> {
    let allocatable = Allocatable::of_config(config);
    if input.is_empty() {
        let mut nodes = vec![made_node("control-plane", 0, config)];
        if let Some(node) = nodes.first_mut() {
            node.labels
                .insert(CONTROL_PLANE_LABEL.to_owned(), String::new());
            node.control_plane = true;
            node.taints = vec![Taint {
                key: CONTROL_PLANE_TAINT.to_owned(),
                value: String::new(),
                effect: "NoSchedule".to_owned(),
            }];
        }
        nodes.extend(
            (0..config.nodes)
                .map(|index| made_node(&format!("node-{}", index + 1), index as u64 + 1, config)),
        );
        return nodes;
    }
    input
        .iter()
        .enumerate()
        .map(|(index, node)| {
            // The kubelet registers its node with these labels (kubelet_node_status.go
            // `initialNode`); the model's nodes are Linux nodes.
            let mut labels = node.meta.labels.clone();
            for (key, value) in kubelet_labels(&node.meta.name) {
                labels.entry(key).or_insert(value);
            }
            let mut internal: Vec<&str> = Vec::new();
            for (type_, address) in &node.addresses {
                if type_ == "InternalIP" {
                    internal.push(address);
                }
            }
            let first = internal.first().copied().unwrap_or_default();
            let first_family = Family::of_address(first);
            let mut pod_cidrs: Vec<Cidr> = Vec::new();
            for text in node.pod_cidrs.iter().chain(node.pod_cidr.iter()) {
                if let Ok(cidr) = Cidr::parse(text) {
                    pod_cidrs.push(cidr);
                }
            }
            let range_of = |family: Family| {
                pod_cidrs
                    .iter()
                    .find(|cidr| cidr.family() == family)
                    .copied()
            };
            let pod_cidr = range_of(config.cluster_cidr.family())
                .unwrap_or_else(|| pod_range(config.cluster_cidr, index as u64 + 1));
            let secondary_pod_cidr = config.secondary_cluster_cidr.map(|secondary| {
                range_of(secondary.family())
                    .unwrap_or_else(|| pod_range(secondary, index as u64 + 1))
            });
            SimNode {
                name: node.meta.name.clone(),
                internal_ip: first.to_owned(),
                secondary_internal_ip: internal
                    .iter()
                    .find(|ip| Family::of_address(ip) != first_family)
                    .map(|ip| (*ip).to_owned()),
                pod_cidr,
                secondary_pod_cidr,
                control_plane: labels.contains_key(CONTROL_PLANE_LABEL),
                labels,
                unschedulable: node.unschedulable,
                taints: node.taints.clone(),
                allocatable: Allocatable::of_node(&node.allocatable, allocatable),
            }
        })
        .collect()
}

/// The `index`th node range of `cluster` (the node-ipam controller's `index`th CIDR; the
/// whole range cut to the node mask past its end).
pub fn pod_range(cluster: Cidr, index: u64) -> Cidr {
    let mask = node_mask(cluster.family());
    cluster.subnet(mask, index).unwrap_or(Cidr {
        network: cluster.network,
        prefix: mask.max(cluster.prefix),
    })
}

/// A node's InternalIP of `family` at `offset` past 192.168.0.10 (`fd00:192:168::10` and on
/// for IPv6, the last group spelling the IPv4 address's last octet).
fn host_ip(family: Family, offset: u64) -> String {
    let octet = 10u64.saturating_add(offset);
    match family {
        Family::V4 => {
            Ipv4Addr::from(u32::from(Ipv4Addr::new(192, 168, 0, 0)).wrapping_add(octet as u32))
                .to_string()
        }
        Family::V6 => format!("fd00:192:168::{octet}")
            .parse::<std::net::Ipv6Addr>()
            .map(|ip| ip.to_string())
            .unwrap_or_else(|_| format!("fd00:192:168::{octet:x}")),
    }
}

/// A node the model makes: the `index`th InternalIP and pod range of each family.
fn made_node(name: &str, index: u64, config: &ClusterConfig) -> SimNode {
    let primary = config.cluster_cidr.family();
    SimNode {
        labels: kubelet_labels(name),
        name: name.to_owned(),
        internal_ip: host_ip(primary, index),
        secondary_internal_ip: config
            .secondary_cluster_cidr
            .map(|secondary| host_ip(secondary.family(), index)),
        pod_cidr: pod_range(config.cluster_cidr, index),
        secondary_pod_cidr: config
            .secondary_cluster_cidr
            .map(|secondary| pod_range(secondary, index)),
        unschedulable: false,
        control_plane: false,
        taints: Vec::new(),
        allocatable: Allocatable::of_config(config),
    }
}

/// The labels a kubelet registers its node with (pkg/kubelet/kubelet_node_status.go
/// `initialNode`): its hostname, and its OS and architecture under the stable and the beta
/// keys. The model's nodes are linux/amd64 machines.
pub fn kubelet_labels(name: &str) -> BTreeMap<String, String> {
    crate::small::order::map_from([
        ("beta.kubernetes.io/arch".to_owned(), "amd64".to_owned()),
        ("beta.kubernetes.io/os".to_owned(), "linux".to_owned()),
        ("kubernetes.io/arch".to_owned(), "amd64".to_owned()),
        ("kubernetes.io/hostname".to_owned(), name.to_owned()),
        ("kubernetes.io/os".to_owned(), "linux".to_owned()),
    ])
}

/// The worker `kubeadm join` adds to `nodes`: the first free `node-N`, the first free
/// InternalIP after 192.168.0.10 and the first free node range of the cluster CIDR (the
/// node-ipam controller's next CIDR), with the cluster's allocatable.
pub fn new_worker(nodes: &[SimNode], config: &ClusterConfig) -> SimNode {
    let name = (1..)
        .map(|index: u64| format!("node-{index}"))
        .find(|name| !nodes.iter().any(|node| node.name == *name))
        .unwrap_or_default();
    let primary = config.cluster_cidr.family();
    let address = (0u64..246)
        .find(|offset| {
            let ip = host_ip(primary, *offset);
            !nodes.iter().any(|node| node.internal_ip == ip)
        })
        .unwrap_or(0);
    let range = (0u64..)
        .take(1 << 16)
        .find(|index| {
            let cidr = pod_range(config.cluster_cidr, *index);
            !nodes.iter().any(|node| node.pod_cidr == cidr)
        })
        .unwrap_or(0);
    let mut node = made_node(&name, address, config);
    node.pod_cidr = pod_range(config.cluster_cidr, range);
    node.secondary_pod_cidr = config
        .secondary_cluster_cidr
        .map(|secondary| pod_range(secondary, range));
    node
}

/// Labels that controllers add to the pods they create.
pub const CONTROLLER_LABELS: &[&str] = &[
    "pod-template-hash",
    "controller-revision-hash",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
];

/// Most pods svcscope creates for one workload; a larger `replicas` is cut to this, with a
/// warning, so that a typo (`replicas: 100000000`) cannot freeze the page.
pub const MAX_PODS_PER_WORKLOAD: usize = 10_000;

/// The annotation svcscope reads to keep a pod (or every pod of a template) from becoming
/// Ready, standing in for a readiness probe that never passes: `svcscope.dev/ready: "false"`.
pub const READY_ANNOTATION: &str = "svcscope.dev/ready";

/// The pods a workload's controller creates, not yet scheduled.
pub fn pods_for_workload(workload: &Workload, nodes: &[SimNode]) -> Vec<SimPod> {
    let namespace = workload.meta.namespace_or_default();
    let name = &workload.meta.name;
    let template = &workload.template;
    let passes_readiness = template
        .meta
        .annotations
        .get(READY_ANNOTATION)
        .map(String::as_str)
        != Some("false");
    let shared_spec = Arc::new(template.spec.clone());
    let revision = pod_template_hash(workload);
    let replicas = usize::try_from(workload.replicas.unwrap_or(1).max(0))
        .unwrap_or(0)
        .min(MAX_PODS_PER_WORKLOAD);
    let make = |pod_name: String,
                extra: Vec<(String, String)>,
                owner: (String, String),
                spec: Arc<PodSpec>| {
        let mut labels = template.meta.labels.clone();
        labels.extend(extra);
        SimPod {
            uid: uid_for(&namespace, &pod_name),
            name: pod_name,
            namespace: namespace.clone(),
            labels,
            annotations: template.meta.annotations.clone(),
            owner: Some(owner),
            spec,
            node_name: None,
            ip: None,
            secondary_ip: None,
            ready: false,
            passes_readiness,
            terminating: false,
            phase: None,
            unschedulable: None,
            created_at: 0,
            started_at: None,
            ready_since: None,
            deleted_at: None,
            revision: revision.clone(),
        }
    };
    match workload.kind {
        WorkloadKind::Deployment | WorkloadKind::ReplicaSet => {
            let (replica_set, extra) = if workload.kind == WorkloadKind::Deployment {
                let hash = pod_template_hash(workload);
                (
                    format!("{name}-{hash}"),
                    vec![("pod-template-hash".to_owned(), hash)],
                )
            } else {
                (name.clone(), Vec::new())
            };
            (0..replicas)
                .map(|index| {
                    let pod_name = format!(
                        "{replica_set}-{}",
                        random_suffix(&format!("{namespace}/{replica_set}/{index}"))
                    );
                    make(
                        pod_name,
                        extra.clone(),
                        ("ReplicaSet".to_owned(), replica_set.clone()),
                        Arc::clone(&shared_spec),
                    )
                })
                .collect()
        }
        WorkloadKind::StatefulSet => (0..replicas)
            .map(|ordinal| {
                let pod_name = format!("{name}-{ordinal}");
                let mut spec = template.spec.clone();
                // The StatefulSet controller sets the pod's hostname to its name and its
                // subdomain to serviceName (pkg/controller/statefulset: updateIdentity).
                spec.hostname = Some(pod_name.clone());
                spec.subdomain = workload
                    .service_name
                    .clone()
                    .filter(|name| !name.is_empty());
                make(
                    pod_name.clone(),
                    vec![
                        (
                            "apps.kubernetes.io/pod-index".to_owned(),
                            ordinal.to_string(),
                        ),
                        ("statefulset.kubernetes.io/pod-name".to_owned(), pod_name),
                    ],
                    ("StatefulSet".to_owned(), name.clone()),
                    Arc::new(spec),
                )
            })
            .collect(),
        WorkloadKind::DaemonSet => nodes
            .iter()
            .filter(|node| daemon_should_run(&template.spec, node))
            .map(|node| {
                let pod_name = format!(
                    "{name}-{}",
                    random_suffix(&format!("{namespace}/{name}/{}", node.name))
                );
                let mut spec = template.spec.clone();
                spec.node_name = Some(node.name.clone());
                make(
                    pod_name,
                    Vec::new(),
                    ("DaemonSet".to_owned(), name.clone()),
                    Arc::new(spec),
                )
            })
            .collect(),
    }
}

/// The DaemonSet controller's `NodeShouldRunDaemonPod` (pkg/controller/daemon): the node's
/// name and affinity match the template, and its `NoSchedule`/`NoExecute` taints are all
/// tolerated by the template's tolerations plus those the controller adds
/// (`AddOrUpdateDaemonPodTolerations`: not-ready, unreachable, disk-, memory- and pid-pressure,
/// unschedulable, and network-unavailable for host-network pods). A cordoned node still runs
/// daemon pods; a tainted control-plane node runs them only when the template tolerates it.
fn daemon_should_run(spec: &PodSpec, node: &SimNode) -> bool {
    if spec
        .node_name
        .as_ref()
        .is_some_and(|name| *name != node.name)
    {
        return false;
    }
    if !node_matches(spec, node) {
        return false;
    }
    untolerated(&node.taints, &stored_tolerations(spec, true)).is_none()
}

/// The Deployment's `pod-template-hash`: `SafeEncodeString` of the decimal value of a stable
/// 32-bit hash (FNV-1a over the template's fields, folded), in the way upstream encodes its
/// own FNV-32a of the template.
pub fn pod_template_hash(workload: &Workload) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = crate::sim::config::StableHasher::default();
    workload.template.hash(&mut hasher);
    let hash = hasher.finish();
    safe_encode(&((hash ^ (hash >> 32)) as u32).to_string())
}

/// A stable UID in the UUID shape.
pub fn uid_for(namespace: &str, name: &str) -> String {
    let a = stable_hash_parts(&["uid/", namespace, "/", name]);
    let b = stable_hash_parts(&["uid2/", namespace, "/", name]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        ((b >> 48) as u16 & 0x3fff) | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

/// Turns an input Pod into a simulated one (keeping its node, IP and readiness when given, as
/// `kubectl get -o yaml` output carries them).
pub fn pod_from_input(pod: &Pod) -> SimPod {
    let namespace = pod.meta.namespace_or_default();
    let ready_condition = pod
        .conditions
        .iter()
        .find(|condition| condition.type_ == "Ready")
        .map(|condition| condition.status == "True");
    let annotated_not_ready = pod
        .meta
        .annotations
        .get(READY_ANNOTATION)
        .map(String::as_str)
        == Some("false");
    SimPod {
        uid: pod
            .meta
            .uid
            .clone()
            .unwrap_or_else(|| uid_for(&namespace, &pod.meta.name)),
        name: pod.meta.name.clone(),
        namespace,
        labels: pod.meta.labels.clone(),
        annotations: pod.meta.annotations.clone(),
        owner: None,
        spec: Arc::new(pod.spec.clone()),
        node_name: pod.spec.node_name.clone(),
        ip: pod.pod_ip.clone(),
        // podIPs[1]: the address of the other family, if the input pod states one.
        secondary_ip: pod
            .pod_ips
            .iter()
            .find(|ip| {
                pod.pod_ip.as_deref().is_some_and(|first| {
                    crate::sim::config::Family::of_address(first)
                        != crate::sim::config::Family::of_address(ip)
                })
            })
            .cloned(),
        ready: false,
        passes_readiness: ready_condition.unwrap_or(!annotated_not_ready),
        terminating: pod.terminating,
        phase: pod.phase.clone(),
        unschedulable: None,
        created_at: 0,
        started_at: None,
        ready_since: None,
        deleted_at: None,
        revision: String::new(),
    }
}

impl SimPod {
    /// Its address of `family` (`status.podIPs`), if it has one.
    pub fn ip_of(&self, family: Family) -> Option<&str> {
        fn of(ip: &Option<String>, family: Family) -> Option<&str> {
            ip.as_deref()
                .filter(|ip| Family::of_address(ip) == Some(family))
        }
        of(&self.ip, family).or_else(|| of(&self.secondary_ip, family))
    }

    /// Its addresses (`status.podIPs`), the primary first.
    pub fn ips(&self) -> Vec<&str> {
        let mut ips = Vec::with_capacity(2);
        if let Some(ip) = &self.ip {
            ips.push(ip.as_str());
        }
        if let Some(ip) = &self.secondary_ip {
            ips.push(ip.as_str());
        }
        ips
    }

    /// `podutil.IsPodTerminal`: `Succeeded` or `Failed`, never an endpoint again.
    pub fn is_terminal(&self) -> bool {
        matches!(self.phase.as_deref(), Some("Succeeded" | "Failed"))
    }
}

/// The IPAM cursor after `ip` was handed out on `node`: the offset after it in the node's pod
/// CIDR (`None` for an address outside it, a host-network pod's).
pub fn ipam_cursor_after(node: &SimNode, ip: &str) -> Option<u64> {
    let address = ip.parse::<std::net::IpAddr>().ok()?;
    node.pod_cidr
        .contains(address)
        .then(|| node.pod_cidr.offset_of(address) + 1)
}

/// The cluster's own CoreDNS Deployment (`kube-system/coredns`, two replicas, labelled
/// `k8s-app: kube-dns`, ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP), as kubeadm
/// installs it (cmd/kubeadm/app/phases/addons/dns/manifests.go: resources, args, probes,
/// the config volume, priority class, service account and tolerations).
pub fn coredns_deployment() -> Workload {
    use crate::sim::input::objects::{
        Container, ContainerDetails, ContainerPort, ObjectMeta, PodTemplate, Probe, ProbeAction,
        Toleration, Volume, VolumeMount, VolumeSource,
    };
    let text = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        crate::small::order::map_from(
            pairs
                .iter()
                .map(|(key, value)| ((*key).to_owned(), (*value).to_owned())),
        )
    };
    let http_get = |path: &str, port: &str| ProbeAction::HttpGet {
        scheme: "HTTP".to_owned(),
        host: String::new(),
        port: port.to_owned(),
        path: path.to_owned(),
    };
    let details = ContainerDetails {
        args: vec!["-conf".to_owned(), "/etc/coredns/Corefile".to_owned()],
        limits: text(&[("memory", "170Mi")]),
        requests: text(&[("cpu", "100m"), ("memory", "70Mi")]),
        liveness: Some(Probe {
            action: http_get("/health", "8080"),
            initial_delay: 60,
            timeout: 5,
            period: 10,
            success: 1,
            failure: 5,
        }),
        readiness: Some(Probe {
            action: http_get("/ready", "8181"),
            initial_delay: 0,
            timeout: 1,
            period: 10,
            success: 1,
            failure: 3,
        }),
        mounts: vec![VolumeMount {
            name: "config-volume".to_owned(),
            mount_path: "/etc/coredns".to_owned(),
            read_only: true,
            sub_path: String::new(),
        }],
        ..ContainerDetails::default()
    };
    let toleration = |key: &str, effect: &str| Toleration {
        key: key.to_owned(),
        operator: "Exists".to_owned(),
        effect: effect.to_owned(),
        ..Toleration::default()
    };
    let labels = crate::small::order::map_from([("k8s-app".to_owned(), "kube-dns".to_owned())]);
    let port = |name: &str, number: i64, protocol: &str| ContainerPort {
        name: Some(name.to_owned()),
        container_port: Some(number),
        protocol: Some(protocol.to_owned()),
        host_port: None,
    };
    Workload {
        kind: WorkloadKind::Deployment,
        meta: ObjectMeta {
            name: "coredns".to_owned(),
            namespace: "kube-system".to_owned(),
            labels: labels.clone(),
            ..ObjectMeta::default()
        },
        replicas: Some(2),
        selector: Some(LabelSelector {
            match_labels: labels.clone(),
            match_expressions: Vec::new(),
        }),
        template: PodTemplate {
            meta: ObjectMeta {
                labels,
                ..ObjectMeta::default()
            },
            spec: PodSpec {
                containers: vec![Container {
                    name: "coredns".to_owned(),
                    image: "registry.k8s.io/coredns/coredns:v1.11.1".to_owned(),
                    ports: vec![
                        port("dns", 53, "UDP"),
                        port("dns-tcp", 53, "TCP"),
                        port("metrics", 9153, "TCP"),
                    ],
                    has_readiness_probe: true,
                    restart_always: false,
                    details: Some(Box::new(details)),
                }],
                dns_policy: Some("Default".to_owned()),
                node_selector: text(&[("kubernetes.io/os", "linux")]),
                service_account_name: Some("coredns".to_owned()),
                priority_class_name: Some("system-cluster-critical".to_owned()),
                tolerations: vec![
                    toleration("CriticalAddonsOnly", ""),
                    toleration("node-role.kubernetes.io/control-plane", "NoSchedule"),
                ],
                volumes: vec![Volume {
                    name: "config-volume".to_owned(),
                    source: VolumeSource::ConfigMap("coredns".to_owned(), false),
                }],
                ..PodSpec::default()
            },
        },
        service_name: None,
        pod_management_policy: None,
        // kubeadm's manifest: `strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}`.
        strategy: crate::sim::input::objects::Strategy {
            type_: Some("RollingUpdate".to_owned()),
            max_unavailable: Some(crate::sim::input::decode::IntOrString::Int(1)),
            ..crate::sim::input::objects::Strategy::default()
        },
        min_ready_seconds: 0,
    }
}

/// A workload as `kubectl get` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimWorkload {
    /// Deployment, ReplicaSet, StatefulSet or DaemonSet.
    pub kind: WorkloadKind,
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Desired pods (for a DaemonSet: the nodes it runs on).
    pub desired: usize,
    /// Container names.
    pub containers: Vec<String>,
    /// Container images.
    pub images: Vec<String>,
    /// The selector as `kubectl get -o wide` prints it (`app=nginx`).
    pub selector: String,
    /// For a Deployment, the `Kind/name` owner used by its pods (its ReplicaSet); for the
    /// others, their own `Kind/name`.
    pub pod_owner: (String, String),
    /// For a ReplicaSet that a Deployment made: that Deployment's name.
    pub owner: Option<String>,
    /// The workload as accepted (its pod template makes replacement pods). Boxed: records
    /// are moved when a ReplicaSet is listed after its Deployment.
    pub spec: Box<Workload>,
    /// When it was created.
    pub created_at: Millis,
}
