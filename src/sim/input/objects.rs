//! The Kubernetes objects svcscope models, as typed values decoded from YAML.
//!
//! Only the fields that matter to Services are kept; the field names follow the API
//! (`k8s.io/api/core/v1`, `apps/v1`, `discovery.k8s.io/v1`). Fields that are optional in the API
//! are `Option`s here, so that defaulting (in `api`) can tell "unset" from "set".
//! Sub-objects that are not modelled (volumes, probes' handlers, affinity, ...) are accepted
//! without being read, so unknown-field warnings stop at their boundary.

use std::collections::BTreeMap;

use crate::sim::input::decode::{join, Decoder, Fields, IntOrString};
use crate::sim::input::yaml::Node;

/// `metadata`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ObjectMeta {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.generateName`.
    pub generate_name: Option<String>,
    /// `metadata.namespace`, empty when unset (defaulted later).
    pub namespace: String,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `metadata.annotations`.
    pub annotations: BTreeMap<String, String>,
    /// `metadata.uid`, when given (as in `kubectl get -o yaml` output).
    pub uid: Option<String>,
    /// `metadata.generation`, when given.
    pub generation: Option<i64>,
    /// `metadata.finalizers`.
    pub finalizers: Vec<String>,
    /// `metadata.ownerReferences`.
    pub owner_references: Vec<OwnerReference>,
}

/// One of `metadata.ownerReferences`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnerReference {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `uid`.
    pub uid: String,
    /// `controller`.
    pub controller: bool,
}

impl ObjectMeta {
    /// The namespace the API server stores the object in: `metadata.namespace`, or `default`
    /// when it is unset (kubectl's namespace without `-n`).
    pub fn namespace_or_default(&self) -> String {
        if self.namespace.is_empty() {
            "default".to_owned()
        } else {
            self.namespace.clone()
        }
    }
}

const OBJECT_META_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

fn decode_meta(decoder: &mut Decoder, node: Option<&Node>) -> ObjectMeta {
    let mut meta = ObjectMeta::default();
    let Some(node) = node else { return meta };
    let Some(fields) = decoder.mapping(node, "metadata", OBJECT_META_FIELDS) else {
        return meta;
    };
    meta.name = decoder
        .string(fields.get("name"), "metadata.name")
        .unwrap_or_default();
    meta.generate_name = decoder.string(fields.get("generateName"), "metadata.generateName");
    meta.namespace = decoder
        .string(fields.get("namespace"), "metadata.namespace")
        .unwrap_or_default();
    meta.labels = decoder.string_map(fields.get("labels"), "metadata.labels");
    meta.annotations = decoder.string_map(fields.get("annotations"), "metadata.annotations");
    meta.uid = decoder.string(fields.get("uid"), "metadata.uid");
    meta.generation = decoder.int(fields.get("generation"), "metadata.generation");
    meta.finalizers = decoder.string_list(fields.get("finalizers"), "metadata.finalizers");
    let known = &[
        "apiVersion",
        "kind",
        "name",
        "uid",
        "controller",
        "blockOwnerDeletion",
    ];
    for (path, item) in decoder.list(fields.get("ownerReferences"), "metadata.ownerReferences") {
        let Some(reference) = decoder.mapping(item, &path, known) else {
            continue;
        };
        let text = |decoder: &mut Decoder, key: &str| {
            decoder
                .string(reference.get(key), &join(&path, key))
                .unwrap_or_default()
        };
        meta.owner_references.push(OwnerReference {
            api_version: text(decoder, "apiVersion"),
            kind: text(decoder, "kind"),
            name: text(decoder, "name"),
            uid: text(decoder, "uid"),
            controller: decoder
                .bool(reference.get("controller"), &join(&path, "controller"))
                .unwrap_or(false),
        });
    }
    meta
}

/// `spec.ports[*]` of a Service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServicePort {
    /// `name`.
    pub name: Option<String>,
    /// `protocol` (defaulted to TCP).
    pub protocol: Option<String>,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
    /// `port`.
    pub port: Option<i64>,
    /// `targetPort` (defaulted to `port`).
    pub target_port: Option<IntOrString>,
    /// `nodePort`.
    pub node_port: Option<i64>,
}

/// `status.loadBalancer.ingress[*]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadBalancerIngress {
    /// `ip`.
    pub ip: Option<String>,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `ipMode` (`VIP` or `Proxy`; defaulted to `VIP` when `ip` is set).
    pub ip_mode: Option<String>,
}

/// `spec` of a Service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceSpec {
    /// `type`.
    pub type_: Option<String>,
    /// `selector`; `None` when absent (a selector-less Service).
    pub selector: Option<BTreeMap<String, String>>,
    /// `ports`.
    pub ports: Vec<ServicePort>,
    /// `clusterIP`.
    pub cluster_ip: Option<String>,
    /// `clusterIPs`.
    pub cluster_ips: Vec<String>,
    /// `externalName`.
    pub external_name: Option<String>,
    /// `externalIPs`.
    pub external_ips: Vec<String>,
    /// `sessionAffinity`.
    pub session_affinity: Option<String>,
    /// `sessionAffinityConfig.clientIP.timeoutSeconds`.
    pub session_affinity_timeout: Option<i64>,
    /// Whether `sessionAffinityConfig` is given (and not null): validation forbids it with
    /// `sessionAffinity: None`.
    pub session_affinity_config: bool,
    /// `externalTrafficPolicy`.
    pub external_traffic_policy: Option<String>,
    /// `internalTrafficPolicy`.
    pub internal_traffic_policy: Option<String>,
    /// `healthCheckNodePort`.
    pub health_check_node_port: Option<i64>,
    /// `ipFamilies`.
    pub ip_families: Vec<String>,
    /// `ipFamilyPolicy`.
    pub ip_family_policy: Option<String>,
    /// `publishNotReadyAddresses`.
    pub publish_not_ready_addresses: Option<bool>,
    /// `loadBalancerIP`.
    pub load_balancer_ip: Option<String>,
    /// `loadBalancerSourceRanges`.
    pub load_balancer_source_ranges: Vec<String>,
    /// `loadBalancerClass`.
    pub load_balancer_class: Option<String>,
    /// `allocateLoadBalancerNodePorts`.
    pub allocate_load_balancer_node_ports: Option<bool>,
    /// `trafficDistribution`.
    pub traffic_distribution: Option<String>,
}

/// A Service (`v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Service {
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `spec`.
    pub spec: ServiceSpec,
    /// `status.loadBalancer.ingress`.
    pub load_balancer_ingress: Vec<LoadBalancerIngress>,
}

const SERVICE_SPEC_FIELDS: &[&str] = &[
    "ports",
    "selector",
    "clusterIP",
    "clusterIPs",
    "type",
    "externalIPs",
    "sessionAffinity",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "publishNotReadyAddresses",
    "sessionAffinityConfig",
    "ipFamilies",
    "ipFamilyPolicy",
    "allocateLoadBalancerNodePorts",
    "loadBalancerClass",
    "internalTrafficPolicy",
    "trafficDistribution",
];

const SERVICE_PORT_FIELDS: &[&str] = &[
    "name",
    "protocol",
    "appProtocol",
    "port",
    "targetPort",
    "nodePort",
];

fn decode_service(decoder: &mut Decoder, root: &Node) -> Service {
    let mut service = Service {
        meta: decode_meta(decoder, root.get("metadata")),
        ..Service::default()
    };
    if let Some(spec) = root.get("spec") {
        if let Some(fields) = decoder.mapping(spec, "spec", SERVICE_SPEC_FIELDS) {
            let s = &mut service.spec;
            s.type_ = decoder.string(fields.get("type"), "spec.type");
            s.selector = fields
                .get("selector")
                .filter(|node| node.value != crate::sim::input::yaml::Value::Null)
                .map(|node| decoder.string_map(Some(node), "spec.selector"));
            for (path, item) in decoder.list(fields.get("ports"), "spec.ports") {
                let Some(port) = decoder.mapping(item, &path, SERVICE_PORT_FIELDS) else {
                    continue;
                };
                s.ports.push(ServicePort {
                    name: decoder.string(port.get("name"), &join(&path, "name")),
                    protocol: decoder.string(port.get("protocol"), &join(&path, "protocol")),
                    app_protocol: decoder
                        .string(port.get("appProtocol"), &join(&path, "appProtocol")),
                    port: decoder.int(port.get("port"), &join(&path, "port")),
                    target_port: decoder
                        .int_or_string(port.get("targetPort"), &join(&path, "targetPort")),
                    node_port: decoder.int(port.get("nodePort"), &join(&path, "nodePort")),
                });
            }
            s.cluster_ip = decoder.string(fields.get("clusterIP"), "spec.clusterIP");
            s.cluster_ips = decoder.string_list(fields.get("clusterIPs"), "spec.clusterIPs");
            s.external_name = decoder.string(fields.get("externalName"), "spec.externalName");
            s.external_ips = decoder.string_list(fields.get("externalIPs"), "spec.externalIPs");
            s.session_affinity =
                decoder.string(fields.get("sessionAffinity"), "spec.sessionAffinity");
            if let Some(config) = fields
                .get("sessionAffinityConfig")
                .filter(|node| node.value != crate::sim::input::yaml::Value::Null)
            {
                s.session_affinity_config = true;
                if let Some(config) =
                    decoder.mapping(config, "spec.sessionAffinityConfig", &["clientIP"])
                {
                    if let Some(client_ip) = config.get("clientIP") {
                        let path = "spec.sessionAffinityConfig.clientIP";
                        if let Some(client_ip) =
                            decoder.mapping(client_ip, path, &["timeoutSeconds"])
                        {
                            s.session_affinity_timeout = decoder.int(
                                client_ip.get("timeoutSeconds"),
                                &join(path, "timeoutSeconds"),
                            );
                        }
                    }
                }
            }
            s.external_traffic_policy = decoder.string(
                fields.get("externalTrafficPolicy"),
                "spec.externalTrafficPolicy",
            );
            s.internal_traffic_policy = decoder.string(
                fields.get("internalTrafficPolicy"),
                "spec.internalTrafficPolicy",
            );
            s.health_check_node_port = decoder.int(
                fields.get("healthCheckNodePort"),
                "spec.healthCheckNodePort",
            );
            s.ip_families = decoder.string_list(fields.get("ipFamilies"), "spec.ipFamilies");
            s.ip_family_policy =
                decoder.string(fields.get("ipFamilyPolicy"), "spec.ipFamilyPolicy");
            s.publish_not_ready_addresses = decoder.bool(
                fields.get("publishNotReadyAddresses"),
                "spec.publishNotReadyAddresses",
            );
            s.load_balancer_ip =
                decoder.string(fields.get("loadBalancerIP"), "spec.loadBalancerIP");
            s.load_balancer_source_ranges = decoder.string_list(
                fields.get("loadBalancerSourceRanges"),
                "spec.loadBalancerSourceRanges",
            );
            s.load_balancer_class =
                decoder.string(fields.get("loadBalancerClass"), "spec.loadBalancerClass");
            s.allocate_load_balancer_node_ports = decoder.bool(
                fields.get("allocateLoadBalancerNodePorts"),
                "spec.allocateLoadBalancerNodePorts",
            );
            s.traffic_distribution = decoder.string(
                fields.get("trafficDistribution"),
                "spec.trafficDistribution",
            );
        }
    }
    if let Some(status) = root.get("status") {
        if let Some(status) = decoder.mapping(status, "status", &["loadBalancer", "conditions"]) {
            if let Some(lb) = status.get("loadBalancer") {
                if let Some(lb) = decoder.mapping(lb, "status.loadBalancer", &["ingress"]) {
                    let ingress = lb.get("ingress");
                    for (path, item) in decoder.list(ingress, "status.loadBalancer.ingress") {
                        let known = &["ip", "hostname", "ipMode", "ports"];
                        if let Some(item) = decoder.mapping(item, &path, known) {
                            service.load_balancer_ingress.push(LoadBalancerIngress {
                                ip: decoder.string(item.get("ip"), &join(&path, "ip")),
                                hostname: decoder
                                    .string(item.get("hostname"), &join(&path, "hostname")),
                                ip_mode: decoder.string(item.get("ipMode"), &join(&path, "ipMode")),
                            });
                        }
                    }
                }
            }
        }
    }
    service
}

/// `ports[*]` of a container.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ContainerPort {
    /// `name`.
    pub name: Option<String>,
    /// `containerPort`.
    pub container_port: Option<i64>,
    /// `protocol` (defaulted to TCP).
    pub protocol: Option<String>,
    /// `hostPort`.
    pub host_port: Option<i64>,
}

/// A container of a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// `image`.
    pub image: String,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
    /// Whether a `readinessProbe` is set.
    pub has_readiness_probe: bool,
    /// `restartPolicy: Always`: on an init container, a sidecar (KEP-753), whose ports a
    /// Service's named targetPort may name.
    pub restart_always: bool,
    /// What `kubectl describe pod` shows beyond image and ports; `None` when the container
    /// states none of it (most do not, and pods are many).
    pub details: Option<Box<ContainerDetails>>,
}

/// The parts of a container that only `kubectl describe pod` shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ContainerDetails {
    /// `command`.
    pub command: Vec<String>,
    /// `args`.
    pub args: Vec<String>,
    /// `env`.
    pub env: Vec<EnvVar>,
    /// `envFrom`.
    pub env_from: Vec<EnvFromSource>,
    /// `resources.limits`, as written (name, quantity).
    pub limits: BTreeMap<String, String>,
    /// `resources.requests`, as written.
    pub requests: BTreeMap<String, String>,
    /// `livenessProbe`.
    pub liveness: Option<Probe>,
    /// `readinessProbe`.
    pub readiness: Option<Probe>,
    /// `startupProbe`.
    pub startup: Option<Probe>,
    /// `volumeMounts`.
    pub mounts: Vec<VolumeMount>,
}

/// `env[*]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EnvVar {
    /// `name`.
    pub name: String,
    /// `value`.
    pub value: String,
    /// `valueFrom`.
    pub from: Option<EnvSource>,
}

/// `env[*].valueFrom`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EnvSource {
    /// `fieldRef`: (apiVersion, defaulted to v1; fieldPath).
    Field(String, String),
    /// `resourceFieldRef`: the resource (`limits.cpu`, ...).
    Resource(String),
    /// `configMapKeyRef`: (name, key, optional).
    ConfigMapKey(String, String, bool),
    /// `secretKeyRef`: (name, key, optional).
    SecretKey(String, String, bool),
    /// Another source (`fileKeyRef`), which describe leaves out.
    Other,
}

/// `envFrom[*]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct EnvFromSource {
    /// `ConfigMap` or `Secret` (empty when neither is set).
    pub kind: String,
    /// The ConfigMap's or Secret's name.
    pub name: String,
    /// `optional`.
    pub optional: bool,
    /// `prefix`.
    pub prefix: String,
}

/// A probe, with the API server's defaults applied (SetDefaults_Probe: timeout 1 s, period
/// 10 s, success threshold 1, failure threshold 3; SetDefaults_HTTPGetAction: path `/`,
/// scheme HTTP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Probe {
    /// What the probe does.
    pub action: ProbeAction,
    /// `initialDelaySeconds`.
    pub initial_delay: i64,
    /// `timeoutSeconds`.
    pub timeout: i64,
    /// `periodSeconds`.
    pub period: i64,
    /// `successThreshold`.
    pub success: i64,
    /// `failureThreshold`.
    pub failure: i64,
}

/// The handler of a probe.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum ProbeAction {
    /// `exec.command`.
    Exec(Vec<String>),
    /// `httpGet`: scheme, host, port (number or name, as written), path.
    HttpGet {
        /// `scheme`.
        scheme: String,
        /// `host`.
        host: String,
        /// `port`.
        port: String,
        /// `path`.
        path: String,
    },
    /// `tcpSocket`: host, port.
    TcpSocket(String, String),
    /// `grpc`: port, service.
    Grpc(i64, String),
    /// No handler.
    #[default]
    None,
}

/// `volumeMounts[*]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct VolumeMount {
    /// `name`.
    pub name: String,
    /// `mountPath`.
    pub mount_path: String,
    /// `readOnly`.
    pub read_only: bool,
    /// `subPath`.
    pub sub_path: String,
}

/// `spec.tolerations[*]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Toleration {
    /// `key`.
    pub key: String,
    /// `operator` (`Equal` when empty).
    pub operator: String,
    /// `value`.
    pub value: String,
    /// `effect`.
    pub effect: String,
    /// `tolerationSeconds`.
    pub seconds: Option<i64>,
}

/// `spec.taints[*]` of a Node.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Taint {
    /// `key`.
    pub key: String,
    /// `value`.
    pub value: String,
    /// `effect` (`NoSchedule`, `PreferNoSchedule`, `NoExecute`).
    pub effect: String,
}

/// One `matchExpressions` or `matchFields` requirement of a node selector term.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeSelectorRequirement {
    /// `key`.
    pub key: String,
    /// `operator`: In, NotIn, Exists, DoesNotExist, Gt, Lt.
    pub operator: String,
    /// `values`.
    pub values: Vec<String>,
}

/// A node selector term: its requirements, all of which must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeSelectorTerm {
    /// `matchExpressions` (on the node's labels).
    pub match_expressions: Vec<NodeSelectorRequirement>,
    /// `matchFields` (on the node's fields: `metadata.name`).
    pub match_fields: Vec<NodeSelectorRequirement>,
}

/// `spec.volumes[*]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Volume {
    /// `name`.
    pub name: String,
    /// Its source.
    pub source: VolumeSource,
}

/// The volume sources `kubectl describe pod` details here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VolumeSource {
    /// `emptyDir`: medium, sizeLimit.
    EmptyDir(String, Option<String>),
    /// `configMap`: name, optional.
    ConfigMap(String, bool),
    /// `secret`: secretName, optional.
    Secret(String, bool),
    /// `hostPath`: path, type.
    HostPath(String, Option<String>),
    /// `persistentVolumeClaim`: claimName, readOnly.
    PersistentVolumeClaim(String, bool),
    /// `projected`: its sources.
    Projected(Vec<ProjectedSource>),
    /// Any other source, by its field name (`nfs`, `csi`, ...).
    Other(String),
}

/// `projected.sources[*]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ProjectedSource {
    /// `secret`: name, optional.
    Secret(String, bool),
    /// `configMap`: name, optional.
    ConfigMap(String, bool),
    /// `downwardAPI`.
    DownwardApi,
    /// `serviceAccountToken`: expirationSeconds (defaulted to 3600).
    ServiceAccountToken(i64),
    /// Another source (`clusterTrustBundle`, `podCertificate`).
    Other,
}

/// `spec.dnsConfig`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PodDnsConfig {
    /// `nameservers`.
    pub nameservers: Vec<String>,
    /// `searches`.
    pub searches: Vec<String>,
    /// `options`, as (name, value).
    pub options: Vec<(String, Option<String>)>,
}

/// A pod's `spec`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodSpec {
    /// `containers`.
    pub containers: Vec<Container>,
    /// `initContainers` (only their ports matter here: sidecars can serve).
    pub init_containers: Vec<Container>,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `subdomain`.
    pub subdomain: Option<String>,
    /// `nodeName`.
    pub node_name: Option<String>,
    /// `nodeSelector`.
    pub node_selector: BTreeMap<String, String>,
    /// `hostNetwork`.
    pub host_network: Option<bool>,
    /// `dnsPolicy`.
    pub dns_policy: Option<String>,
    /// `dnsConfig`.
    pub dns_config: Option<PodDnsConfig>,
    /// `setHostnameAsFQDN`.
    pub set_hostname_as_fqdn: Option<bool>,
    /// `serviceAccountName` (or the deprecated `serviceAccount`).
    pub service_account_name: Option<String>,
    /// `priority`.
    pub priority: Option<i64>,
    /// `priorityClassName`.
    pub priority_class_name: Option<String>,
    /// `tolerations`.
    pub tolerations: Vec<Toleration>,
    /// `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`
    /// (`None` when the pod states no required node affinity).
    pub required_node_affinity: Option<Vec<NodeSelectorTerm>>,
    /// The parts of `affinity` and `topologySpreadConstraints` that the scheduler weighs and
    /// the model does not (preferred node affinity, pod affinity and anti-affinity, spreading),
    /// by field path: each is a "not simulated" warning.
    pub unmodelled_scheduling: Vec<&'static str>,
    /// `volumes`.
    pub volumes: Vec<Volume>,
    /// `terminationGracePeriodSeconds` (`None`: the API server's default, 30).
    pub termination_grace_period: Option<i64>,
    /// The longest `lifecycle.preStop` of its containers that states its length: a `sleep`
    /// action's seconds, or an `exec` of `sleep N` (`["sleep", "N"]`, `["sh", "-c", "sleep N"]`).
    pub pre_stop_seconds: Option<i64>,
    /// A container's `preStop` that runs for a time the manifest does not state (an HTTP
    /// call, another command): the model counts it as instant and says so.
    pub pre_stop_unknown: bool,
}

impl PodSpec {
    /// `terminationGracePeriodSeconds` as the API server defaults it (30 s).
    pub fn grace_period(&self) -> i64 {
        self.termination_grace_period.unwrap_or(30).max(0)
    }
}

impl std::hash::Hash for PodSpec {
    /// Every field, the scheduling ones only when stated: the hash names a Deployment's pods
    /// (`pod-template-hash`), so a template that states none of them keeps the names it had
    /// before they were read.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.containers.hash(state);
        self.init_containers.hash(state);
        self.hostname.hash(state);
        self.subdomain.hash(state);
        self.node_name.hash(state);
        self.node_selector.hash(state);
        self.host_network.hash(state);
        self.dns_policy.hash(state);
        self.dns_config.hash(state);
        self.set_hostname_as_fqdn.hash(state);
        self.service_account_name.hash(state);
        self.priority.hash(state);
        self.priority_class_name.hash(state);
        self.tolerations.hash(state);
        self.volumes.hash(state);
        if let Some(terms) = &self.required_node_affinity {
            terms.hash(state);
        }
        if !self.unmodelled_scheduling.is_empty() {
            self.unmodelled_scheduling.hash(state);
        }
        // Termination fields only when stated, for the same reason.
        if self.termination_grace_period.is_some()
            || self.pre_stop_seconds.is_some()
            || self.pre_stop_unknown
        {
            self.termination_grace_period.hash(state);
            self.pre_stop_seconds.hash(state);
            self.pre_stop_unknown.hash(state);
        }
    }
}

const POD_SPEC_FIELDS: &[&str] = &[
    "volumes",
    "initContainers",
    "containers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "nodeSelector",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "hostname",
    "subdomain",
    "affinity",
    "schedulerName",
    "tolerations",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
    "hostnameOverride",
];

const CONTAINER_FIELDS: &[&str] = &[
    "name",
    "image",
    "command",
    "args",
    "workingDir",
    "ports",
    "envFrom",
    "env",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "restartPolicyRules",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

fn decode_containers(
    decoder: &mut Decoder,
    node: Option<&Node>,
    path: &str,
    pre_stop: &mut PreStops,
) -> Vec<Container> {
    let mut containers = Vec::new();
    for (path, item) in decoder.list(node, path) {
        let Some(fields) = decoder.mapping(item, &path, CONTAINER_FIELDS) else {
            continue;
        };
        let mut container = Container {
            name: decoder
                .string(fields.get("name"), &join(&path, "name"))
                .unwrap_or_default(),
            image: decoder
                .string(fields.get("image"), &join(&path, "image"))
                .unwrap_or_default(),
            has_readiness_probe: fields
                .get("readinessProbe")
                .is_some_and(|probe| probe.value != crate::sim::input::yaml::Value::Null),
            restart_always: decoder
                .string(fields.get("restartPolicy"), &join(&path, "restartPolicy"))
                .as_deref()
                == Some("Always"),
            ports: Vec::new(),
            details: None,
        };
        let ports_path = join(&path, "ports");
        for (path, port) in decoder.list(fields.get("ports"), &ports_path) {
            let known = &["name", "hostPort", "containerPort", "protocol", "hostIP"];
            let Some(port) = decoder.mapping(port, &path, known) else {
                continue;
            };
            container.ports.push(ContainerPort {
                name: decoder.string(port.get("name"), &join(&path, "name")),
                container_port: decoder
                    .int(port.get("containerPort"), &join(&path, "containerPort")),
                protocol: decoder.string(port.get("protocol"), &join(&path, "protocol")),
                host_port: decoder.int(port.get("hostPort"), &join(&path, "hostPort")),
            });
        }
        container.details = decode_container_details(decoder, &fields, &path);
        if let Some(lifecycle) = fields.get("lifecycle") {
            pre_stop.read(decoder, lifecycle, &join(&path, "lifecycle"));
        }
        containers.push(container);
    }
    containers
}

/// What the containers' `lifecycle.preStop` hooks say about their length.
#[derive(Default)]
struct PreStops {
    /// The longest stated length, in seconds.
    seconds: Option<i64>,
    /// A hook whose length is not stated.
    unknown: bool,
}

impl PreStops {
    fn read(&mut self, decoder: &mut Decoder, lifecycle: &Node, path: &str) {
        let Some(fields) =
            decoder.mapping(lifecycle, path, &["postStart", "preStop", "stopSignal"])
        else {
            return;
        };
        let Some(pre_stop) = fields.get("preStop") else {
            return;
        };
        let path = join(path, "preStop");
        let known = &["exec", "httpGet", "tcpSocket", "sleep"];
        let Some(handler) = decoder.mapping(pre_stop, &path, known) else {
            return;
        };
        let seconds = if let Some(sleep) = handler.get("sleep") {
            let sleep_path = join(&path, "sleep");
            decoder
                .mapping(sleep, &sleep_path, &["seconds"])
                .and_then(|sleep| decoder.int(sleep.get("seconds"), &join(&sleep_path, "seconds")))
        } else if let Some(exec) = handler.get("exec") {
            let exec_path = join(&path, "exec");
            let command = decoder
                .mapping(exec, &exec_path, &["command"])
                .map(|exec| decoder.string_list(exec.get("command"), &join(&exec_path, "command")))
                .unwrap_or_default();
            sleep_seconds(&command)
        } else {
            None
        };
        match seconds {
            Some(seconds) => self.seconds = Some(self.seconds.unwrap_or(0).max(seconds.max(0))),
            None => self.unknown = true,
        }
    }
}

/// The seconds of an `exec` hook that only sleeps: `["sleep", "5"]`, `["/bin/sleep", "5"]`,
/// `["sh", "-c", "sleep 5"]` (and `/bin/sh`, `bash`).
fn sleep_seconds(command: &[String]) -> Option<i64> {
    let words: Vec<&str> = match command {
        [shell, flag, script] if flag == "-c" && shell.ends_with("sh") => {
            script.split_whitespace().collect()
        }
        _ => command.iter().map(String::as_str).collect(),
    };
    match words.as_slice() {
        [sleep, seconds] if *sleep == "sleep" || sleep.ends_with("/sleep") => {
            seconds.trim_end_matches('s').parse::<i64>().ok()
        }
        _ => None,
    }
}

/// A container's command, args, env, resources, probes and mounts; `None` when it states none.
fn decode_container_details(
    decoder: &mut Decoder,
    fields: &Fields,
    path: &str,
) -> Option<Box<ContainerDetails>> {
    let mut details = ContainerDetails {
        command: decoder.string_list(fields.get("command"), &join(path, "command")),
        args: decoder.string_list(fields.get("args"), &join(path, "args")),
        ..ContainerDetails::default()
    };
    let env_path = join(path, "env");
    for (path, item) in decoder.list(fields.get("env"), &env_path) {
        let Some(item) = decoder.mapping(item, &path, &["name", "value", "valueFrom"]) else {
            continue;
        };
        let mut env = EnvVar {
            name: decoder.text_of(&item, &path, "name"),
            value: decoder.text_of(&item, &path, "value"),
            from: None,
        };
        let from_path = join(&path, "valueFrom");
        let known = &[
            "fieldRef",
            "resourceFieldRef",
            "configMapKeyRef",
            "secretKeyRef",
            "fileKeyRef",
        ];
        if let Some(from) = item
            .get("valueFrom")
            .and_then(|node| decoder.mapping(node, &from_path, known))
        {
            let key_ref = |decoder: &mut Decoder, node: &Node, path: &str| {
                let fields = decoder.mapping(node, path, &["name", "key", "optional"])?;
                Some((
                    decoder.text_of(&fields, path, "name"),
                    decoder.text_of(&fields, path, "key"),
                    decoder.flag_of(&fields, path, "optional"),
                ))
            };
            env.from = Some(if let Some(node) = from.get("fieldRef") {
                let path = join(&from_path, "fieldRef");
                let fields = decoder.mapping(node, &path, &["apiVersion", "fieldPath"]);
                let (api_version, field_path) = match fields {
                    Some(fields) => (
                        decoder.string(fields.get("apiVersion"), &join(&path, "apiVersion")),
                        decoder.string(fields.get("fieldPath"), &join(&path, "fieldPath")),
                    ),
                    None => (None, None),
                };
                EnvSource::Field(
                    api_version.unwrap_or_else(|| "v1".to_owned()),
                    field_path.unwrap_or_default(),
                )
            } else if let Some(node) = from.get("resourceFieldRef") {
                let path = join(&from_path, "resourceFieldRef");
                let known = &["containerName", "resource", "divisor"];
                let resource = decoder.mapping(node, &path, known).and_then(|fields| {
                    decoder.string(fields.get("resource"), &join(&path, "resource"))
                });
                EnvSource::Resource(resource.unwrap_or_default())
            } else if let Some(node) = from.get("configMapKeyRef") {
                let (name, key, optional) =
                    key_ref(decoder, node, &join(&from_path, "configMapKeyRef"))
                        .unwrap_or_default();
                EnvSource::ConfigMapKey(name, key, optional)
            } else if let Some(node) = from.get("secretKeyRef") {
                let (name, key, optional) =
                    key_ref(decoder, node, &join(&from_path, "secretKeyRef")).unwrap_or_default();
                EnvSource::SecretKey(name, key, optional)
            } else {
                EnvSource::Other
            });
        }
        details.env.push(env);
    }
    let env_from_path = join(path, "envFrom");
    for (path, item) in decoder.list(fields.get("envFrom"), &env_from_path) {
        let known = &["prefix", "configMapRef", "secretRef"];
        let Some(item) = decoder.mapping(item, &path, known) else {
            continue;
        };
        let mut source = EnvFromSource {
            prefix: decoder.text_of(&item, &path, "prefix"),
            ..EnvFromSource::default()
        };
        for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let ref_path = join(&path, field);
            if let Some(fields) = item
                .get(field)
                .and_then(|node| decoder.mapping(node, &ref_path, &["name", "optional"]))
            {
                source.kind = kind.to_owned();
                source.name = decoder.text_of(&fields, &ref_path, "name");
                source.optional = decoder.flag_of(&fields, &ref_path, "optional");
                break;
            }
        }
        details.env_from.push(source);
    }
    let resources_path = join(path, "resources");
    if let Some(resources) = fields
        .get("resources")
        .and_then(|node| decoder.mapping(node, &resources_path, &["limits", "requests", "claims"]))
    {
        details.limits =
            decoder.quantity_map(resources.get("limits"), &join(&resources_path, "limits"));
        details.requests = decoder.quantity_map(
            resources.get("requests"),
            &join(&resources_path, "requests"),
        );
    }
    details.liveness = decode_probe(
        decoder,
        fields.get("livenessProbe"),
        &join(path, "livenessProbe"),
    );
    details.readiness = decode_probe(
        decoder,
        fields.get("readinessProbe"),
        &join(path, "readinessProbe"),
    );
    details.startup = decode_probe(
        decoder,
        fields.get("startupProbe"),
        &join(path, "startupProbe"),
    );
    let mounts_path = join(path, "volumeMounts");
    for (path, item) in decoder.list(fields.get("volumeMounts"), &mounts_path) {
        let known = &[
            "name",
            "readOnly",
            "recursiveReadOnly",
            "mountPath",
            "subPath",
            "mountPropagation",
            "subPathExpr",
        ];
        let Some(item) = decoder.mapping(item, &path, known) else {
            continue;
        };
        details.mounts.push(VolumeMount {
            name: decoder.text_of(&item, &path, "name"),
            mount_path: decoder.text_of(&item, &path, "mountPath"),
            read_only: decoder.flag_of(&item, &path, "readOnly"),
            sub_path: decoder.text_of(&item, &path, "subPath"),
        });
    }
    (details != ContainerDetails::default()).then(|| Box::new(details))
}

/// A probe with the API server's defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe,
/// SetDefaults_HTTPGetAction).
fn decode_probe(decoder: &mut Decoder, node: Option<&Node>, path: &str) -> Option<Probe> {
    let known = &[
        "exec",
        "httpGet",
        "tcpSocket",
        "grpc",
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
        "terminationGracePeriodSeconds",
    ];
    let fields = decoder.mapping(node?, path, known)?;
    let int = |decoder: &mut Decoder, name: &str, default: i64| {
        decoder
            .int(fields.get(name), &join(path, name))
            .filter(|value| *value != 0)
            .unwrap_or(default)
    };
    let port_text = |decoder: &mut Decoder, node: Option<&Node>, path: &str| match decoder
        .int_or_string(node, path)
    {
        Some(IntOrString::Int(port)) => port.to_string(),
        Some(IntOrString::String(name)) => name,
        None => String::new(),
    };
    let action = if let Some(node) = fields.get("exec") {
        let exec_path = join(path, "exec");
        let command = decoder
            .mapping(node, &exec_path, &["command"])
            .map(|exec| decoder.string_list(exec.get("command"), &join(&exec_path, "command")))
            .unwrap_or_default();
        ProbeAction::Exec(command)
    } else if let Some(node) = fields.get("httpGet") {
        let get_path = join(path, "httpGet");
        let known = &["path", "port", "host", "scheme", "httpHeaders"];
        match decoder.mapping(node, &get_path, known) {
            Some(get) => ProbeAction::HttpGet {
                scheme: decoder
                    .string(get.get("scheme"), &join(&get_path, "scheme"))
                    .filter(|scheme| !scheme.is_empty())
                    .unwrap_or_else(|| "HTTP".to_owned()),
                host: decoder.text_of(&get, &get_path, "host"),
                port: port_text(decoder, get.get("port"), &join(&get_path, "port")),
                path: decoder
                    .string(get.get("path"), &join(&get_path, "path"))
                    .filter(|path| !path.is_empty())
                    .unwrap_or_else(|| "/".to_owned()),
            },
            None => ProbeAction::None,
        }
    } else if let Some(node) = fields.get("tcpSocket") {
        let socket_path = join(path, "tcpSocket");
        match decoder.mapping(node, &socket_path, &["port", "host"]) {
            Some(socket) => ProbeAction::TcpSocket(
                decoder.text_of(&socket, &socket_path, "host"),
                port_text(decoder, socket.get("port"), &join(&socket_path, "port")),
            ),
            None => ProbeAction::None,
        }
    } else if let Some(node) = fields.get("grpc") {
        let grpc_path = join(path, "grpc");
        match decoder.mapping(node, &grpc_path, &["port", "service"]) {
            Some(grpc) => ProbeAction::Grpc(
                decoder.int_of(&grpc, &grpc_path, "port").unwrap_or(0),
                decoder.text_of(&grpc, &grpc_path, "service"),
            ),
            None => ProbeAction::None,
        }
    } else {
        ProbeAction::None
    };
    Some(Probe {
        action,
        initial_delay: decoder
            .int(
                fields.get("initialDelaySeconds"),
                &join(path, "initialDelaySeconds"),
            )
            .unwrap_or(0),
        timeout: int(decoder, "timeoutSeconds", 1),
        period: int(decoder, "periodSeconds", 10),
        success: int(decoder, "successThreshold", 1),
        failure: int(decoder, "failureThreshold", 3),
    })
}

/// Whether a field is there with a value (not `null`).
fn stated(node: Option<&Node>) -> bool {
    node.is_some_and(|node| !matches!(node.value, crate::sim::input::yaml::Value::Null))
}

/// `spec.affinity` (its required node affinity) and `spec.topologySpreadConstraints` (noted
/// as not simulated).
fn decode_affinity(decoder: &mut Decoder, fields: &Fields, path: &str, spec: &mut PodSpec) {
    if stated(fields.get("topologySpreadConstraints")) {
        spec.unmodelled_scheduling
            .push("spec.topologySpreadConstraints");
    }
    let Some(affinity) = fields.get("affinity") else {
        return;
    };
    let affinity_path = join(path, "affinity");
    let Some(affinity) = decoder.mapping(
        affinity,
        &affinity_path,
        &["nodeAffinity", "podAffinity", "podAntiAffinity"],
    ) else {
        return;
    };
    if stated(affinity.get("podAffinity")) {
        spec.unmodelled_scheduling.push("spec.affinity.podAffinity");
    }
    if stated(affinity.get("podAntiAffinity")) {
        spec.unmodelled_scheduling
            .push("spec.affinity.podAntiAffinity");
    }
    let Some(node_affinity) = affinity.get("nodeAffinity") else {
        return;
    };
    let node_path = join(&affinity_path, "nodeAffinity");
    let Some(node_affinity) = decoder.mapping(
        node_affinity,
        &node_path,
        &[
            "requiredDuringSchedulingIgnoredDuringExecution",
            "preferredDuringSchedulingIgnoredDuringExecution",
        ],
    ) else {
        return;
    };
    if stated(node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution")) {
        spec.unmodelled_scheduling
            .push("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution");
    }
    let required_path = join(&node_path, "requiredDuringSchedulingIgnoredDuringExecution");
    let Some(required) = node_affinity
        .get("requiredDuringSchedulingIgnoredDuringExecution")
        .and_then(|node| decoder.mapping(node, &required_path, &["nodeSelectorTerms"]))
    else {
        return;
    };
    let terms_path = join(&required_path, "nodeSelectorTerms");
    let mut terms = Vec::new();
    for (term_path, term) in decoder.list(required.get("nodeSelectorTerms"), &terms_path) {
        let Some(term) = decoder.mapping(term, &term_path, &["matchExpressions", "matchFields"])
        else {
            terms.push(NodeSelectorTerm::default());
            continue;
        };
        let requirements = |decoder: &mut Decoder, name: &str| {
            let list_path = join(&term_path, name);
            let mut out = Vec::new();
            for (item_path, item) in decoder.list(term.get(name), &list_path) {
                let Some(item) = decoder.mapping(item, &item_path, &["key", "operator", "values"])
                else {
                    continue;
                };
                out.push(NodeSelectorRequirement {
                    key: decoder.text_of(&item, &item_path, "key"),
                    operator: decoder.text_of(&item, &item_path, "operator"),
                    values: decoder.string_list(item.get("values"), &join(&item_path, "values")),
                });
            }
            out
        };
        let match_expressions = requirements(decoder, "matchExpressions");
        let match_fields = requirements(decoder, "matchFields");
        terms.push(NodeSelectorTerm {
            match_expressions,
            match_fields,
        });
    }
    spec.required_node_affinity = Some(terms);
}

/// `spec.tolerations`.
fn decode_tolerations(decoder: &mut Decoder, node: Option<&Node>, path: &str) -> Vec<Toleration> {
    let mut tolerations = Vec::new();
    for (path, item) in decoder.list(node, path) {
        let known = &["key", "operator", "value", "effect", "tolerationSeconds"];
        let Some(item) = decoder.mapping(item, &path, known) else {
            continue;
        };
        let text = |decoder: &mut Decoder, name: &str| {
            decoder
                .string(item.get(name), &join(&path, name))
                .unwrap_or_default()
        };
        tolerations.push(Toleration {
            key: text(decoder, "key"),
            operator: text(decoder, "operator"),
            value: text(decoder, "value"),
            effect: text(decoder, "effect"),
            seconds: decoder.int(
                item.get("tolerationSeconds"),
                &join(&path, "tolerationSeconds"),
            ),
        });
    }
    tolerations
}

/// The volume sources a pod may name (core/v1 VolumeSource).
const VOLUME_FIELDS: &[&str] = &[
    "name",
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// `spec.volumes`. Only the fields describe prints are read from each source.
fn decode_volumes(decoder: &mut Decoder, node: Option<&Node>, path: &str) -> Vec<Volume> {
    let mut volumes = Vec::new();
    for (path, item) in decoder.list(node, path) {
        let Some(fields) = decoder.mapping(item, &path, VOLUME_FIELDS) else {
            continue;
        };
        let name = decoder.text_of(&fields, &path, "name");
        let Some(kind) = VOLUME_FIELDS
            .iter()
            .skip(1)
            .find(|field| fields.get(field).is_some())
        else {
            continue;
        };
        let source_path = join(&path, kind);
        // Each source's own fields are read leniently: the unknown-field check stops at the
        // volume, since describe only needs a few of them.
        let source = Fields::lenient(fields.get(kind));
        let at = source_path.as_str();
        let source = match *kind {
            "emptyDir" => VolumeSource::EmptyDir(
                decoder.text_of(&source, at, "medium"),
                decoder.quantity(source.get("sizeLimit"), &join(at, "sizeLimit")),
            ),
            "configMap" => VolumeSource::ConfigMap(
                decoder.text_of(&source, at, "name"),
                decoder.flag_of(&source, at, "optional"),
            ),
            "secret" => VolumeSource::Secret(
                decoder.text_of(&source, at, "secretName"),
                decoder.flag_of(&source, at, "optional"),
            ),
            "hostPath" => VolumeSource::HostPath(
                decoder.text_of(&source, at, "path"),
                decoder.string(source.get("type"), &join(at, "type")),
            ),
            "persistentVolumeClaim" => VolumeSource::PersistentVolumeClaim(
                decoder.text_of(&source, at, "claimName"),
                decoder.flag_of(&source, at, "readOnly"),
            ),
            "projected" => {
                let sources_path = join(at, "sources");
                let mut sources = Vec::new();
                for (path, item) in decoder.list(source.get("sources"), &sources_path) {
                    let item = Fields::lenient(Some(item));
                    let mut named = |field: &str| {
                        let node = Fields::lenient(Some(item.get(field)?));
                        let path = join(&path, field);
                        Some((
                            decoder.text_of(&node, &path, "name"),
                            decoder.flag_of(&node, &path, "optional"),
                        ))
                    };
                    sources.push(if let Some((name, optional)) = named("secret") {
                        ProjectedSource::Secret(name, optional)
                    } else if let Some((name, optional)) = named("configMap") {
                        ProjectedSource::ConfigMap(name, optional)
                    } else if item.get("downwardAPI").is_some() {
                        ProjectedSource::DownwardApi
                    } else if let Some(token) = item.get("serviceAccountToken") {
                        let token = Fields::lenient(Some(token));
                        let path = join(&path, "serviceAccountToken");
                        ProjectedSource::ServiceAccountToken(
                            decoder
                                .int_of(&token, &path, "expirationSeconds")
                                .unwrap_or(3600),
                        )
                    } else {
                        ProjectedSource::Other
                    });
                }
                VolumeSource::Projected(sources)
            }
            other => VolumeSource::Other(other.to_owned()),
        };
        volumes.push(Volume { name, source });
    }
    volumes
}

fn decode_pod_spec(decoder: &mut Decoder, node: Option<&Node>, path: &str) -> PodSpec {
    let mut spec = PodSpec::default();
    let Some(node) = node else { return spec };
    let Some(fields) = decoder.mapping(node, path, POD_SPEC_FIELDS) else {
        return spec;
    };
    let mut pre_stop = PreStops::default();
    spec.containers = decode_containers(
        decoder,
        fields.get("containers"),
        &join(path, "containers"),
        &mut pre_stop,
    );
    spec.init_containers = decode_containers(
        decoder,
        fields.get("initContainers"),
        &join(path, "initContainers"),
        &mut PreStops::default(),
    );
    spec.pre_stop_seconds = pre_stop.seconds;
    spec.pre_stop_unknown = pre_stop.unknown;
    spec.termination_grace_period = decoder.int_of(&fields, path, "terminationGracePeriodSeconds");
    spec.hostname = decoder.string(fields.get("hostname"), &join(path, "hostname"));
    spec.subdomain = decoder.string(fields.get("subdomain"), &join(path, "subdomain"));
    spec.node_name = decoder.string(fields.get("nodeName"), &join(path, "nodeName"));
    spec.node_selector =
        decoder.string_map(fields.get("nodeSelector"), &join(path, "nodeSelector"));
    spec.host_network = decoder.bool(fields.get("hostNetwork"), &join(path, "hostNetwork"));
    spec.dns_policy = decoder.string(fields.get("dnsPolicy"), &join(path, "dnsPolicy"));
    spec.set_hostname_as_fqdn = decoder.bool(
        fields.get("setHostnameAsFQDN"),
        &join(path, "setHostnameAsFQDN"),
    );
    spec.service_account_name = decoder
        .string(
            fields.get("serviceAccountName"),
            &join(path, "serviceAccountName"),
        )
        .or_else(|| decoder.string(fields.get("serviceAccount"), &join(path, "serviceAccount")))
        .filter(|name| !name.is_empty());
    spec.priority = decoder.int_of(&fields, path, "priority");
    spec.priority_class_name = decoder
        .string(
            fields.get("priorityClassName"),
            &join(path, "priorityClassName"),
        )
        .filter(|name| !name.is_empty());
    spec.tolerations = decode_tolerations(
        decoder,
        fields.get("tolerations"),
        &join(path, "tolerations"),
    );
    spec.volumes = decode_volumes(decoder, fields.get("volumes"), &join(path, "volumes"));
    decode_affinity(decoder, &fields, path, &mut spec);
    if let Some(config) = fields.get("dnsConfig") {
        let config_path = join(path, "dnsConfig");
        if let Some(config) = decoder.mapping(
            config,
            &config_path,
            &["nameservers", "searches", "options"],
        ) {
            let mut dns = PodDnsConfig {
                nameservers: decoder.string_list(
                    config.get("nameservers"),
                    &join(&config_path, "nameservers"),
                ),
                searches: decoder
                    .string_list(config.get("searches"), &join(&config_path, "searches")),
                options: Vec::new(),
            };
            let options_path = join(&config_path, "options");
            for (path, option) in decoder.list(config.get("options"), &options_path) {
                if let Some(option) = decoder.mapping(option, &path, &["name", "value"]) {
                    let name = decoder.string(option.get("name"), &join(&path, "name"));
                    let value = decoder.string(option.get("value"), &join(&path, "value"));
                    dns.options.push((name.unwrap_or_default(), value));
                }
            }
            spec.dns_config = Some(dns);
        }
    }
    spec
}

/// `metadata` and `spec` of a pod template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct PodTemplate {
    /// `template.metadata`.
    pub meta: ObjectMeta,
    /// `template.spec`.
    pub spec: PodSpec,
}

/// A label selector requirement (`matchExpressions[*]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelectorRequirement {
    /// `key`.
    pub key: String,
    /// `operator`: In, NotIn, Exists, DoesNotExist.
    pub operator: String,
    /// `values`.
    pub values: Vec<String>,
}

/// A workload's `spec.selector`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    /// `matchLabels`.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// Which workload controller owns the pods.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum WorkloadKind {
    /// `apps/v1` Deployment.
    Deployment,
    /// `apps/v1` ReplicaSet.
    ReplicaSet,
    /// `apps/v1` StatefulSet.
    StatefulSet,
    /// `apps/v1` DaemonSet.
    DaemonSet,
}

impl WorkloadKind {
    /// The API kind.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
        }
    }
}

/// A Deployment, ReplicaSet, StatefulSet or DaemonSet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workload {
    /// The kind.
    pub kind: WorkloadKind,
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `spec.replicas` (not for DaemonSets).
    pub replicas: Option<i64>,
    /// `spec.selector`; `None` when absent.
    pub selector: Option<LabelSelector>,
    /// `spec.template`.
    pub template: PodTemplate,
    /// `spec.serviceName` (StatefulSets).
    pub service_name: Option<String>,
    /// `spec.podManagementPolicy` (StatefulSets).
    pub pod_management_policy: Option<String>,
    /// `spec.strategy` (Deployments) or `spec.updateStrategy` (StatefulSets, DaemonSets).
    pub strategy: Strategy,
    /// `spec.minReadySeconds`.
    pub min_ready_seconds: i64,
}

/// How a workload replaces its pods when its template changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strategy {
    /// `type`: `RollingUpdate` (the default), `Recreate` (Deployments), `OnDelete`
    /// (StatefulSets, DaemonSets); `None` when not stated.
    pub type_: Option<String>,
    /// `rollingUpdate.maxSurge` (default 25% for a Deployment).
    pub max_surge: Option<IntOrString>,
    /// `rollingUpdate.maxUnavailable` (default 25% for a Deployment).
    pub max_unavailable: Option<IntOrString>,
    /// `rollingUpdate.partition` (StatefulSets).
    pub partition: Option<i64>,
}

impl Strategy {
    /// The strategy's type, defaulted.
    pub fn kind(&self) -> &str {
        self.type_
            .as_deref()
            .filter(|kind| !kind.is_empty())
            .unwrap_or("RollingUpdate")
    }
}

fn workload_spec_fields(kind: WorkloadKind) -> &'static [&'static str] {
    match kind {
        WorkloadKind::Deployment => &[
            "replicas",
            "selector",
            "template",
            "strategy",
            "minReadySeconds",
            "revisionHistoryLimit",
            "paused",
            "progressDeadlineSeconds",
        ],
        WorkloadKind::ReplicaSet => &["replicas", "minReadySeconds", "selector", "template"],
        WorkloadKind::StatefulSet => &[
            "replicas",
            "selector",
            "template",
            "volumeClaimTemplates",
            "serviceName",
            "podManagementPolicy",
            "updateStrategy",
            "revisionHistoryLimit",
            "minReadySeconds",
            "persistentVolumeClaimRetentionPolicy",
            "ordinals",
        ],
        WorkloadKind::DaemonSet => &[
            "selector",
            "template",
            "updateStrategy",
            "minReadySeconds",
            "revisionHistoryLimit",
        ],
    }
}

fn decode_selector(decoder: &mut Decoder, node: &Node, path: &str) -> LabelSelector {
    let mut selector = LabelSelector::default();
    let Some(fields) = decoder.mapping(node, path, &["matchLabels", "matchExpressions"]) else {
        return selector;
    };
    selector.match_labels =
        decoder.string_map(fields.get("matchLabels"), &join(path, "matchLabels"));
    let expressions_path = join(path, "matchExpressions");
    for (path, item) in decoder.list(fields.get("matchExpressions"), &expressions_path) {
        if let Some(item) = decoder.mapping(item, &path, &["key", "operator", "values"]) {
            selector.match_expressions.push(LabelSelectorRequirement {
                key: decoder
                    .string(item.get("key"), &join(&path, "key"))
                    .unwrap_or_default(),
                operator: decoder
                    .string(item.get("operator"), &join(&path, "operator"))
                    .unwrap_or_default(),
                values: decoder.string_list(item.get("values"), &join(&path, "values")),
            });
        }
    }
    selector
}

fn decode_workload(decoder: &mut Decoder, root: &Node, kind: WorkloadKind) -> Workload {
    let mut workload = Workload {
        kind,
        meta: decode_meta(decoder, root.get("metadata")),
        replicas: None,
        selector: None,
        template: PodTemplate::default(),
        service_name: None,
        pod_management_policy: None,
        strategy: Strategy::default(),
        min_ready_seconds: 0,
    };
    let Some(spec) = root.get("spec") else {
        return workload;
    };
    let Some(fields) = decoder.mapping(spec, "spec", workload_spec_fields(kind)) else {
        return workload;
    };
    workload.replicas = decoder.int(fields.get("replicas"), "spec.replicas");
    workload.selector = fields
        .get("selector")
        .filter(|node| node.value != crate::sim::input::yaml::Value::Null)
        .map(|node| decode_selector(decoder, node, "spec.selector"));
    if let Some(template) = fields.get("template") {
        if let Some(template) = decoder.mapping(template, "spec.template", &["metadata", "spec"]) {
            if let Some(meta) = template.get("metadata") {
                // Reuse the object-meta decoder under the template's path.
                if let Some(meta_fields) =
                    decoder.mapping(meta, "spec.template.metadata", OBJECT_META_FIELDS)
                {
                    let m = &mut workload.template.meta;
                    m.name = decoder
                        .string(meta_fields.get("name"), "spec.template.metadata.name")
                        .unwrap_or_default();
                    m.labels = decoder
                        .string_map(meta_fields.get("labels"), "spec.template.metadata.labels");
                    m.annotations = decoder.string_map(
                        meta_fields.get("annotations"),
                        "spec.template.metadata.annotations",
                    );
                }
            }
            workload.template.spec =
                decode_pod_spec(decoder, template.get("spec"), "spec.template.spec");
        }
    }
    workload.service_name = decoder.string(fields.get("serviceName"), "spec.serviceName");
    workload.pod_management_policy = decoder.string(
        fields.get("podManagementPolicy"),
        "spec.podManagementPolicy",
    );
    workload.min_ready_seconds = decoder
        .int(fields.get("minReadySeconds"), "spec.minReadySeconds")
        .unwrap_or(0);
    let strategy_field = match kind {
        WorkloadKind::Deployment => "strategy",
        _ => "updateStrategy",
    };
    let strategy_path = format!("spec.{strategy_field}");
    if let Some(strategy) = fields
        .get(strategy_field)
        .and_then(|node| decoder.mapping(node, &strategy_path, &["type", "rollingUpdate"]))
    {
        workload.strategy.type_ =
            decoder.string(strategy.get("type"), &join(&strategy_path, "type"));
        let rolling_path = join(&strategy_path, "rollingUpdate");
        let known = &["maxSurge", "maxUnavailable", "partition"];
        if let Some(rolling) = strategy
            .get("rollingUpdate")
            .and_then(|node| decoder.mapping(node, &rolling_path, known))
        {
            workload.strategy.max_surge =
                decoder.int_or_string(rolling.get("maxSurge"), &join(&rolling_path, "maxSurge"));
            workload.strategy.max_unavailable = decoder.int_or_string(
                rolling.get("maxUnavailable"),
                &join(&rolling_path, "maxUnavailable"),
            );
            workload.strategy.partition =
                decoder.int(rolling.get("partition"), &join(&rolling_path, "partition"));
        }
    }
    workload
}

/// A condition of a pod's status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodCondition {
    /// `type` (Ready, ContainersReady, PodScheduled, Initialized).
    pub type_: String,
    /// `status` (True, False, Unknown).
    pub status: String,
}

/// A Pod (`v1`), as given in the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pod {
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `spec`.
    pub spec: PodSpec,
    /// `status.podIP`.
    pub pod_ip: Option<String>,
    /// `status.podIPs[*].ip` (the first is `podIP`).
    pub pod_ips: Vec<String>,
    /// `status.hostIP`.
    pub host_ip: Option<String>,
    /// `status.phase`.
    pub phase: Option<String>,
    /// `status.conditions`.
    pub conditions: Vec<PodCondition>,
    /// Whether `metadata.deletionTimestamp` is set (the pod is terminating).
    pub terminating: bool,
}

const POD_STATUS_FIELDS: &[&str] = &[
    "phase",
    "conditions",
    "message",
    "reason",
    "nominatedNodeName",
    "hostIP",
    "hostIPs",
    "podIP",
    "podIPs",
    "startTime",
    "initContainerStatuses",
    "containerStatuses",
    "qosClass",
    "ephemeralContainerStatuses",
    "resize",
    "resourceClaimStatuses",
    "observedGeneration",
    "extendedResourceClaimStatus",
];

fn decode_pod(decoder: &mut Decoder, root: &Node) -> Pod {
    let mut pod = Pod {
        meta: decode_meta(decoder, root.get("metadata")),
        spec: decode_pod_spec(decoder, root.get("spec"), "spec"),
        terminating: root
            .get("metadata")
            .and_then(|meta| meta.get("deletionTimestamp"))
            .is_some_and(|node| node.value != crate::sim::input::yaml::Value::Null),
        ..Pod::default()
    };
    if let Some(status) = root.get("status") {
        if let Some(status) = decoder.mapping(status, "status", POD_STATUS_FIELDS) {
            pod.pod_ip = decoder.string(status.get("podIP"), "status.podIP");
            for (path, item) in decoder.list(status.get("podIPs"), "status.podIPs") {
                if let Some(item) = decoder.mapping(item, &path, &["ip"]) {
                    let ip = decoder.text_of(&item, &path, "ip");
                    if !ip.is_empty() {
                        pod.pod_ips.push(ip);
                    }
                }
            }
            pod.host_ip = decoder.string(status.get("hostIP"), "status.hostIP");
            pod.phase = decoder.string(status.get("phase"), "status.phase");
            for (path, item) in decoder.list(status.get("conditions"), "status.conditions") {
                let known = &[
                    "type",
                    "status",
                    "lastProbeTime",
                    "lastTransitionTime",
                    "reason",
                    "message",
                    "observedGeneration",
                ];
                if let Some(item) = decoder.mapping(item, &path, known) {
                    pod.conditions.push(PodCondition {
                        type_: decoder
                            .string(item.get("type"), &join(&path, "type"))
                            .unwrap_or_default(),
                        status: decoder
                            .string(item.get("status"), &join(&path, "status"))
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    pod
}

/// A Node (`v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeObject {
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `spec.podCIDR`.
    pub pod_cidr: Option<String>,
    /// `spec.podCIDRs` (one per family; the first is `podCIDR`).
    pub pod_cidrs: Vec<String>,
    /// `spec.unschedulable`.
    pub unschedulable: bool,
    /// `status.addresses`, as (type, address).
    pub addresses: Vec<(String, String)>,
    /// `spec.taints`.
    pub taints: Vec<Taint>,
    /// `status.allocatable`, as written (or `status.capacity` when only that is given).
    pub allocatable: BTreeMap<String, String>,
}

fn decode_node(decoder: &mut Decoder, root: &Node) -> NodeObject {
    let mut node = NodeObject {
        meta: decode_meta(decoder, root.get("metadata")),
        ..NodeObject::default()
    };
    if let Some(spec) = root.get("spec") {
        let known = &[
            "podCIDR",
            "podCIDRs",
            "providerID",
            "unschedulable",
            "taints",
            "configSource",
            "externalID",
        ];
        if let Some(spec) = decoder.mapping(spec, "spec", known) {
            node.pod_cidr = decoder.string(spec.get("podCIDR"), "spec.podCIDR");
            for (path, item) in decoder.list(spec.get("podCIDRs"), "spec.podCIDRs") {
                node.pod_cidrs.extend(decoder.string(Some(item), &path));
            }
            node.unschedulable = decoder
                .bool(spec.get("unschedulable"), "spec.unschedulable")
                .unwrap_or(false);
            for (path, item) in decoder.list(spec.get("taints"), "spec.taints") {
                if let Some(item) =
                    decoder.mapping(item, &path, &["key", "value", "effect", "timeAdded"])
                {
                    node.taints.push(Taint {
                        key: decoder.text_of(&item, &path, "key"),
                        value: decoder.text_of(&item, &path, "value"),
                        effect: decoder.text_of(&item, &path, "effect"),
                    });
                }
            }
        }
    }
    if let Some(status) = root.get("status") {
        let known = &[
            "capacity",
            "allocatable",
            "phase",
            "conditions",
            "addresses",
            "daemonEndpoints",
            "nodeInfo",
            "images",
            "volumesInUse",
            "volumesAttached",
            "config",
            "runtimeHandlers",
            "features",
            "declaredFeatures",
        ];
        if let Some(status) = decoder.mapping(status, "status", known) {
            node.allocatable =
                decoder.quantity_map(status.get("allocatable"), "status.allocatable");
            if node.allocatable.is_empty() {
                node.allocatable = decoder.quantity_map(status.get("capacity"), "status.capacity");
            }
            for (path, item) in decoder.list(status.get("addresses"), "status.addresses") {
                if let Some(item) = decoder.mapping(item, &path, &["type", "address"]) {
                    let type_ = decoder.string(item.get("type"), &join(&path, "type"));
                    let address = decoder.string(item.get("address"), &join(&path, "address"));
                    if let (Some(type_), Some(address)) = (type_, address) {
                        node.addresses.push((type_, address));
                    }
                }
            }
        }
    }
    node
}

/// A reference to another object (`targetRef`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectReference {
    /// `kind`.
    pub kind: String,
    /// `namespace`.
    pub namespace: String,
    /// `name`.
    pub name: String,
    /// `uid`.
    pub uid: String,
}

fn decode_reference(
    decoder: &mut Decoder,
    node: Option<&Node>,
    path: &str,
) -> Option<ObjectReference> {
    let node = node?;
    let known = &[
        "kind",
        "namespace",
        "name",
        "uid",
        "apiVersion",
        "resourceVersion",
        "fieldPath",
    ];
    let fields = decoder.mapping(node, path, known)?;
    Some(ObjectReference {
        kind: decoder
            .string(fields.get("kind"), &join(path, "kind"))
            .unwrap_or_default(),
        namespace: decoder
            .string(fields.get("namespace"), &join(path, "namespace"))
            .unwrap_or_default(),
        name: decoder
            .string(fields.get("name"), &join(path, "name"))
            .unwrap_or_default(),
        uid: decoder
            .string(fields.get("uid"), &join(path, "uid"))
            .unwrap_or_default(),
    })
}

/// An address of a legacy Endpoints subset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointAddress {
    /// `ip`.
    pub ip: String,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `nodeName`.
    pub node_name: Option<String>,
    /// `targetRef`.
    pub target_ref: Option<ObjectReference>,
}

/// A port of an Endpoints subset or an EndpointSlice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointPort {
    /// `name`.
    pub name: Option<String>,
    /// `port`.
    pub port: Option<i64>,
    /// `protocol`.
    pub protocol: Option<String>,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
}

/// `subsets[*]` of an Endpoints object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSubset {
    /// `addresses` (ready).
    pub addresses: Vec<EndpointAddress>,
    /// `notReadyAddresses`.
    pub not_ready_addresses: Vec<EndpointAddress>,
    /// `ports`.
    pub ports: Vec<EndpointPort>,
}

/// A legacy Endpoints object (`v1`), as given by the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `subsets`.
    pub subsets: Vec<EndpointSubset>,
}

fn decode_endpoint_ports(
    decoder: &mut Decoder,
    node: Option<&Node>,
    path: &str,
) -> Vec<EndpointPort> {
    let mut ports = Vec::new();
    for (path, item) in decoder.list(node, path) {
        if let Some(item) =
            decoder.mapping(item, &path, &["name", "port", "protocol", "appProtocol"])
        {
            ports.push(EndpointPort {
                name: decoder.string(item.get("name"), &join(&path, "name")),
                port: decoder.int(item.get("port"), &join(&path, "port")),
                protocol: decoder.string(item.get("protocol"), &join(&path, "protocol")),
                app_protocol: decoder.string(item.get("appProtocol"), &join(&path, "appProtocol")),
            });
        }
    }
    ports
}

fn decode_endpoint_addresses(
    decoder: &mut Decoder,
    node: Option<&Node>,
    path: &str,
) -> Vec<EndpointAddress> {
    let mut addresses = Vec::new();
    for (path, item) in decoder.list(node, path) {
        let known = &["ip", "hostname", "nodeName", "targetRef"];
        if let Some(item) = decoder.mapping(item, &path, known) {
            addresses.push(EndpointAddress {
                ip: decoder
                    .string(item.get("ip"), &join(&path, "ip"))
                    .unwrap_or_default(),
                hostname: decoder.string(item.get("hostname"), &join(&path, "hostname")),
                node_name: decoder.string(item.get("nodeName"), &join(&path, "nodeName")),
                target_ref: decode_reference(
                    decoder,
                    item.get("targetRef"),
                    &join(&path, "targetRef"),
                ),
            });
        }
    }
    addresses
}

fn decode_endpoints(decoder: &mut Decoder, root: &Node) -> Endpoints {
    let mut endpoints = Endpoints {
        meta: decode_meta(decoder, root.get("metadata")),
        subsets: Vec::new(),
    };
    for (path, item) in decoder.list(root.get("subsets"), "subsets") {
        if let Some(item) =
            decoder.mapping(item, &path, &["addresses", "notReadyAddresses", "ports"])
        {
            endpoints.subsets.push(EndpointSubset {
                addresses: decode_endpoint_addresses(
                    decoder,
                    item.get("addresses"),
                    &join(&path, "addresses"),
                ),
                not_ready_addresses: decode_endpoint_addresses(
                    decoder,
                    item.get("notReadyAddresses"),
                    &join(&path, "notReadyAddresses"),
                ),
                ports: decode_endpoint_ports(decoder, item.get("ports"), &join(&path, "ports")),
            });
        }
    }
    endpoints
}

/// `endpoints[*].conditions` of an EndpointSlice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointConditions {
    /// `ready`.
    pub ready: Option<bool>,
    /// `serving`.
    pub serving: Option<bool>,
    /// `terminating`.
    pub terminating: Option<bool>,
}

/// `endpoints[*]` of an EndpointSlice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SliceEndpoint {
    /// `addresses`.
    pub addresses: Vec<String>,
    /// `conditions`.
    pub conditions: EndpointConditions,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `nodeName`.
    pub node_name: Option<String>,
    /// `zone`.
    pub zone: Option<String>,
    /// `hints.forZones[*].name`.
    pub for_zones: Vec<String>,
    /// `hints.forNodes[*].name`.
    pub for_nodes: Vec<String>,
    /// `targetRef`.
    pub target_ref: Option<ObjectReference>,
}

/// An EndpointSlice (`discovery.k8s.io/v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSlice {
    /// `metadata`.
    pub meta: ObjectMeta,
    /// `addressType` (IPv4, IPv6, FQDN).
    pub address_type: Option<String>,
    /// `endpoints`.
    pub endpoints: Vec<SliceEndpoint>,
    /// `ports`.
    pub ports: Vec<EndpointPort>,
}

fn decode_endpoint_slice(decoder: &mut Decoder, root: &Node) -> EndpointSlice {
    let mut slice = EndpointSlice {
        meta: decode_meta(decoder, root.get("metadata")),
        address_type: decoder.string(root.get("addressType"), "addressType"),
        endpoints: Vec::new(),
        ports: decode_endpoint_ports(decoder, root.get("ports"), "ports"),
    };
    for (path, item) in decoder.list(root.get("endpoints"), "endpoints") {
        let known = &[
            "addresses",
            "conditions",
            "hostname",
            "targetRef",
            "deprecatedTopology",
            "nodeName",
            "zone",
            "hints",
        ];
        let Some(item) = decoder.mapping(item, &path, known) else {
            continue;
        };
        let mut endpoint = SliceEndpoint {
            addresses: decoder.string_list(item.get("addresses"), &join(&path, "addresses")),
            hostname: decoder.string(item.get("hostname"), &join(&path, "hostname")),
            node_name: decoder.string(item.get("nodeName"), &join(&path, "nodeName")),
            zone: decoder.string(item.get("zone"), &join(&path, "zone")),
            target_ref: decode_reference(decoder, item.get("targetRef"), &join(&path, "targetRef")),
            conditions: EndpointConditions::default(),
            for_zones: Vec::new(),
            for_nodes: Vec::new(),
        };
        if let Some(hints) = item.get("hints") {
            let hints_path = join(&path, "hints");
            if let Some(hints) = decoder.mapping(hints, &hints_path, &["forZones", "forNodes"]) {
                for (field, target) in [
                    ("forZones", &mut endpoint.for_zones),
                    ("forNodes", &mut endpoint.for_nodes),
                ] {
                    let list_path = join(&hints_path, field);
                    for (item_path, item) in decoder.list(hints.get(field), &list_path) {
                        if let Some(item) = decoder.mapping(item, &item_path, &["name"]) {
                            target.push(decoder.text_of(&item, &item_path, "name"));
                        }
                    }
                }
            }
        }
        if let Some(conditions) = item.get("conditions") {
            let conditions_path = join(&path, "conditions");
            if let Some(conditions) = decoder.mapping(
                conditions,
                &conditions_path,
                &["ready", "serving", "terminating"],
            ) {
                endpoint.conditions = EndpointConditions {
                    ready: decoder.bool(conditions.get("ready"), &join(&conditions_path, "ready")),
                    serving: decoder.bool(
                        conditions.get("serving"),
                        &join(&conditions_path, "serving"),
                    ),
                    terminating: decoder.bool(
                        conditions.get("terminating"),
                        &join(&conditions_path, "terminating"),
                    ),
                };
            }
        }
        slice.endpoints.push(endpoint);
    }
    slice
}

/// A Namespace (`v1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Namespace {
    /// `metadata`.
    pub meta: ObjectMeta,
}

/// Any object svcscope models, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    /// A Namespace.
    Namespace(Namespace),
    /// A Node.
    Node(NodeObject),
    /// A Pod.
    Pod(Pod),
    /// A Deployment, ReplicaSet, StatefulSet or DaemonSet.
    Workload(Box<Workload>),
    /// A Service.
    Service(Service),
    /// A legacy Endpoints object.
    Endpoints(Endpoints),
    /// An EndpointSlice.
    EndpointSlice(EndpointSlice),
}

/// The top-level fields every object may have.
fn top_level_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "Endpoints" => &["apiVersion", "kind", "metadata", "subsets"],
        "EndpointSlice" => &[
            "apiVersion",
            "kind",
            "metadata",
            "addressType",
            "endpoints",
            "ports",
        ],
        _ => &["apiVersion", "kind", "metadata", "spec", "status"],
    }
}

/// The `apiVersion` each modelled kind is served at.
pub fn api_version_of(kind: &str) -> Option<&'static str> {
    match kind {
        "Namespace" | "Node" | "Pod" | "Service" | "Endpoints" => Some("v1"),
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => Some("apps/v1"),
        "EndpointSlice" => Some("discovery.k8s.io/v1"),
        _ => None,
    }
}

/// Decodes `root` as an object of `kind`; `None` for kinds svcscope does not model.
pub fn decode_object(decoder: &mut Decoder, kind: &str, root: &Node) -> Option<Object> {
    api_version_of(kind)?;
    // Warn about unknown top-level fields (the per-kind decoders check below the top).
    decoder.mapping(root, "", top_level_fields(kind));
    Some(match kind {
        "Namespace" => Object::Namespace(Namespace {
            meta: decode_meta(decoder, root.get("metadata")),
        }),
        "Node" => Object::Node(decode_node(decoder, root)),
        "Pod" => Object::Pod(decode_pod(decoder, root)),
        "Deployment" => Object::Workload(Box::new(decode_workload(
            decoder,
            root,
            WorkloadKind::Deployment,
        ))),
        "ReplicaSet" => Object::Workload(Box::new(decode_workload(
            decoder,
            root,
            WorkloadKind::ReplicaSet,
        ))),
        "StatefulSet" => Object::Workload(Box::new(decode_workload(
            decoder,
            root,
            WorkloadKind::StatefulSet,
        ))),
        "DaemonSet" => Object::Workload(Box::new(decode_workload(
            decoder,
            root,
            WorkloadKind::DaemonSet,
        ))),
        "Service" => Object::Service(decode_service(decoder, root)),
        "Endpoints" => Object::Endpoints(decode_endpoints(decoder, root)),
        _ => Object::EndpointSlice(decode_endpoint_slice(decoder, root)),
    })
}
