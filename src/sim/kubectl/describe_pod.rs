//! `kubectl describe pod` of a simulated pod, and the parts of the pod object that the API
//! server's admission and the kubelet add to what the user wrote (priority, service account,
//! default tolerations, conditions, phase, QoS class).
//!
//! The text follows kubectl's `describePod` (staging/src/k8s.io/kubectl/pkg/describe/
//! describe.go) line for line for the object the model holds. The model has no container
//! runtime and keeps no wall-clock `status.startTime`, so the pod has no start time and no
//! container statuses: the `Start Time` line and each container's `Container ID`, `Image ID`,
//! `State`, `Ready` and `Restart Count` lines are absent, exactly as kubectl leaves them out
//! for such an object. A terminating pod's `Status: Terminating (lasts ...)` and `Termination
//! Grace Period` come from the simulated clock. The
//! ServiceAccount admission plugin's `kube-api-access-*` token volume is not modelled either.

use crate::sim::input::field::GoQuoted;
use crate::sim::kubectl::describe::{annotations_multiline, labels_multiline};
use crate::sim::kubectl::tabwriter::tabwriter;
use std::collections::BTreeMap;

use crate::sim::control::admission::{priority, resources, tolerations};
use crate::sim::control::clock::{age, Millis};
use crate::sim::control::workloads::{SimNode, SimPod};
use crate::sim::input::objects::{
    Container, ContainerDetails, EnvSource, Probe, ProbeAction, ProjectedSource, Toleration,
    VolumeSource,
};
use crate::sim::input::quantity::quantity_nanos;

/// `status.phase`: Running once the pod has a node and an IP, Pending before.
pub fn phase(pod: &SimPod) -> &'static str {
    if pod.node_name.is_some() && pod.ip.is_some() {
        "Running"
    } else {
        "Pending"
    }
}

/// `status.conditions` as (type, status), in the order the kubelet reports them
/// (pkg/kubelet/status/generate.go; kubelet_pods.go `generateAPIPodStatus`): an unscheduled
/// pod has only `PodScheduled False`; a scheduled one has PodReadyToStartContainers (its
/// sandbox has networking: it has an IP), Initialized, Ready, ContainersReady and PodScheduled.
pub fn conditions(pod: &SimPod) -> Vec<(&'static str, bool)> {
    if pod.node_name.is_none() {
        return vec![("PodScheduled", false)];
    }
    let started = pod.ip.is_some();
    let ready = started && pod.ready;
    vec![
        ("PodReadyToStartContainers", started),
        ("Initialized", true),
        ("Ready", ready),
        ("ContainersReady", ready),
        ("PodScheduled", true),
    ]
}

/// `spec.serviceAccountName`, as the ServiceAccount admission plugin defaults it.
pub fn service_account(pod: &SimPod) -> &str {
    pod.spec
        .service_account_name
        .as_deref()
        .unwrap_or("default")
}

/// `status.qosClass` (pkg/apis/core/helper/qos `GetPodQOS`): BestEffort without any cpu or
/// memory request or limit; Guaranteed when every container limits both and every request
/// equals its limit; Burstable otherwise.
pub fn qos_class(pod: &SimPod) -> &'static str {
    let mut requests: BTreeMap<String, i128> = BTreeMap::new();
    let mut limits: BTreeMap<String, i128> = BTreeMap::new();
    let mut guaranteed = true;
    let supported = |name: &str| name == "cpu" || name == "memory";
    for container in pod.spec.containers.iter().chain(&pod.spec.init_containers) {
        let (container_limits, container_requests) = resources(container);
        for (name, quantity) in &container_requests {
            let value = quantity_nanos(quantity).unwrap_or(0);
            if supported(name) && value != 0 {
                let sum = requests.entry(name.clone()).or_insert(0);
                *sum = sum.saturating_add(value);
            }
        }
        let mut limited = 0;
        for (name, quantity) in &container_limits {
            let value = quantity_nanos(quantity).unwrap_or(0);
            if supported(name) && value != 0 {
                limited += 1;
                let sum = limits.entry(name.clone()).or_insert(0);
                *sum = sum.saturating_add(value);
            }
        }
        if limited != 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed && requests.len() == limits.len() {
        let equal = requests
            .iter()
            .all(|(name, value)| limits.get(name) == Some(value));
        if equal {
            return "Guaranteed";
        }
    }
    "Burstable"
}

/// Appends `parts` to `out`: one call per line instead of a `format!` each, which keeps the
/// browser build smaller.
fn push(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
}

/// Go's `%v` of a bool.
fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// kubectl's `DescribeProbe`.
fn probe_text(probe: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay, probe.timeout, probe.period, probe.success, probe.failure
    );
    match &probe.action {
        ProbeAction::Exec(command) => format!("exec [{}] {attrs}", command.join(" ")),
        ProbeAction::HttpGet {
            scheme,
            host,
            port,
            path,
        } => {
            // url.URL{Scheme, Host: net.JoinHostPort(host, port), Path}.String()
            let host = if port.is_empty() {
                host.clone()
            } else if host.contains(':') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            };
            let path = if path.starts_with('/') || path.is_empty() {
                path.clone()
            } else {
                format!("/{path}")
            };
            format!(
                "http-get {}://{host}{path} {attrs}",
                scheme.to_ascii_lowercase()
            )
        }
        ProbeAction::TcpSocket(host, port) => format!("tcp-socket {host}:{port} {attrs}"),
        ProbeAction::Grpc(port, service) => format!("grpc <pod>:{port} {service} {attrs}"),
        ProbeAction::None => format!("unknown {attrs}"),
    }
}

/// The value a `fieldRef` resolves to (k8s.io/kubectl's EnvValueRetriever over
/// `fieldpath.ExtractFieldPathAsString`), empty for paths it cannot read.
fn field_value(pod: &SimPod, node: Option<&SimNode>, path: &str) -> String {
    let subscript = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("']"))
            .map(str::to_owned)
    };
    if let Some(key) = subscript("metadata.labels['") {
        return pod.labels.get(&key).cloned().unwrap_or_default();
    }
    if let Some(key) = subscript("metadata.annotations['") {
        return pod.annotations.get(&key).cloned().unwrap_or_default();
    }
    match path {
        "metadata.name" => pod.name.clone(),
        "metadata.namespace" => pod.namespace.clone(),
        "metadata.uid" => pod.uid.clone(),
        "spec.nodeName" => pod.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => service_account(pod).to_owned(),
        "status.podIP" | "status.podIPs" => pod.ip.clone().unwrap_or_default(),
        "status.hostIP" | "status.hostIPs" => node
            .filter(|_| pod.node_name.is_some())
            .map(|node| node.internal_ip.clone())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The value a `resourceFieldRef` resolves to (resourcehelper.ExtractContainerResourceValue
/// with divisor 1: the quantity rounded up; a missing limit reads as node allocatable).
fn resource_value(container: &Container, resource: &str) -> String {
    let (limits, requests) = resources(container);
    let (map, name) = match resource.split_once('.') {
        Some(("limits", name)) => (&limits, name),
        Some(("requests", name)) => (&requests, name),
        _ => return String::new(),
    };
    let nanos = map
        .get(name)
        .and_then(|quantity| quantity_nanos(quantity))
        .unwrap_or(0);
    // Rounded up to whole units (divisor 1); i64 keeps i128's formatting out of the wasm.
    let value = i64::try_from(nanos.saturating_add(999_999_999).div_euclid(1_000_000_000))
        .unwrap_or(i64::MAX);
    if value == 0 && (resource == "limits.cpu" || resource == "limits.memory") {
        return "node allocatable".to_owned();
    }
    value.to_string()
}

fn describe_container(
    container: &Container,
    pod: &SimPod,
    node: Option<&SimNode>,
    out: &mut String,
) {
    push(out, &["  ", &container.name, ":\n"]);
    push(out, &["    Image:\t", &container.image, "\n"]);
    let protocol = |protocol: &Option<String>| protocol.clone().unwrap_or_else(|| "TCP".into());
    let ports: Vec<String> = container
        .ports
        .iter()
        .map(|port| {
            format!(
                "{}/{}",
                port.container_port.unwrap_or(0),
                protocol(&port.protocol)
            )
        })
        .collect();
    let host_ports: Vec<String> = container
        .ports
        .iter()
        .map(|port| {
            format!(
                "{}/{}",
                port.host_port.unwrap_or(0),
                protocol(&port.protocol)
            )
        })
        .collect();
    for (single, plural, list) in [
        ("Port", "Ports", ports),
        ("Host Port", "Host Ports", host_ports),
    ] {
        let joined = list.join(", ");
        if joined.contains(',') {
            push(out, &["    ", plural, ":\t", &joined, "\n"]);
        } else if joined.is_empty() {
            push(out, &["    ", single, ":\t<none>\n"]);
        } else {
            push(out, &["    ", single, ":\t", &joined, "\n"]);
        }
    }
    let empty = ContainerDetails::default();
    let details = container.details.as_deref().unwrap_or(&empty);
    for (title, lines) in [("Command", &details.command), ("Args", &details.args)] {
        if !lines.is_empty() {
            push(out, &["    ", title, ":\n"]);
            for line in lines.iter().flat_map(|item| item.split('\n')) {
                push(out, &["      ", line, "\n"]);
            }
        }
    }
    let (limits, requests) = resources(container);
    for (title, map) in [("Limits", &limits), ("Requests", &requests)] {
        if !map.is_empty() {
            push(out, &["    ", title, ":\n"]);
            for (name, quantity) in map {
                push(out, &["      ", name, ":\t", quantity, "\n"]);
            }
        }
    }
    for (title, probe) in [
        ("Liveness", &details.liveness),
        ("Readiness", &details.readiness),
        ("Startup", &details.startup),
    ] {
        if let Some(probe) = probe {
            push(out, &["    ", title, ":\t", &probe_text(probe), "\n"]);
        }
    }
    if !details.env_from.is_empty() {
        out.push_str("    Environment Variables from:\n");
        for source in &details.env_from {
            if source.prefix.is_empty() {
                push(
                    out,
                    &[
                        "      ",
                        &source.name,
                        "\t",
                        &source.kind,
                        "\tOptional: ",
                        bool_text(source.optional),
                        "\n",
                    ],
                );
            } else {
                push(
                    out,
                    &[
                        "      ",
                        &source.name,
                        "\t",
                        &source.kind,
                        " with prefix '",
                        &source.prefix,
                        "'\tOptional: ",
                        bool_text(source.optional),
                        "\n",
                    ],
                );
            }
        }
    }
    if details.env.is_empty() {
        out.push_str("    Environment:\t<none>\n");
    } else {
        out.push_str("    Environment:\n");
    }
    for env in &details.env {
        match &env.from {
            None => {
                for (index, line) in env.value.split('\n').enumerate() {
                    if index == 0 {
                        push(out, &["      ", &env.name, ":\t", line, "\n"]);
                    } else {
                        push(out, &["      \t", line, "\n"]);
                    }
                }
            }
            Some(EnvSource::Field(api_version, path)) => out.push_str(&format!(
                "      {}:\t{} ({api_version}:{path})\n",
                env.name,
                field_value(pod, node, path)
            )),
            Some(EnvSource::Resource(resource)) => out.push_str(&format!(
                "      {}:\t{} ({resource})\n",
                env.name,
                resource_value(container, resource)
            )),
            Some(EnvSource::SecretKey(name, key, optional)) => out.push_str(&format!(
                "      {}:\t<set to the key '{key}' in secret '{name}'>\tOptional: {optional}\n",
                env.name
            )),
            Some(EnvSource::ConfigMapKey(name, key, optional)) => out.push_str(&format!(
                "      {}:\t<set to the key '{key}' of config map '{name}'>\tOptional: {optional}\n",
                env.name
            )),
            Some(EnvSource::Other) => {}
        }
    }
    if details.mounts.is_empty() {
        out.push_str("    Mounts:\t<none>\n");
    } else {
        out.push_str("    Mounts:\n");
        let mut mounts: Vec<_> = details.mounts.iter().collect();
        crate::small::order::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for mount in mounts {
            let mut flags = vec![if mount.read_only { "ro" } else { "rw" }.to_owned()];
            if !mount.sub_path.is_empty() {
                flags.push(format!("path={}", GoQuoted(&mount.sub_path)));
            }
            push(
                out,
                &[
                    "      ",
                    &mount.mount_path,
                    " from ",
                    &mount.name,
                    " (",
                    &flags.join(","),
                    ")\n",
                ],
            );
        }
    }
}

fn describe_volumes(pod: &SimPod, out: &mut String) {
    if pod.spec.volumes.is_empty() {
        out.push_str("Volumes:\t<none>\n");
        return;
    }
    out.push_str("Volumes:\n");
    for volume in &pod.spec.volumes {
        push(out, &["  ", &volume.name, ":\n"]);
        match &volume.source {
            VolumeSource::EmptyDir(medium, size) => out.push_str(&format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    \
                 Medium:\t{medium}\n    SizeLimit:\t{}\n",
                size.clone()
                    .filter(|size| quantity_nanos(size).unwrap_or(0) > 0)
                    .unwrap_or_else(|| "<unset>".to_owned())
            )),
            VolumeSource::ConfigMap(name, optional) => out.push_str(&format!(
                "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{name}\n    \
                 Optional:\t{optional}\n"
            )),
            VolumeSource::Secret(name, optional) => out.push_str(&format!(
                "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{name}\n    \
                 Optional:\t{optional}\n"
            )),
            VolumeSource::HostPath(path, kind) => out.push_str(&format!(
                "    Type:\tHostPath (bare host directory volume)\n    Path:\t{path}\n    \
                 HostPathType:\t{}\n",
                kind.as_deref().unwrap_or("")
            )),
            VolumeSource::PersistentVolumeClaim(claim, read_only) => out.push_str(&format!(
                "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the \
                 same namespace)\n    ClaimName:\t{claim}\n    ReadOnly:\t{read_only}\n"
            )),
            VolumeSource::Projected(sources) => {
                out.push_str(
                    "    Type:\tProjected (a volume that contains injected data from multiple \
                     sources)\n",
                );
                for source in sources {
                    match source {
                        ProjectedSource::Secret(name, optional) => out.push_str(&format!(
                            "    SecretName:\t{name}\n    Optional:\t{optional}\n"
                        )),
                        ProjectedSource::DownwardApi => out.push_str("    DownwardAPI:\ttrue\n"),
                        ProjectedSource::ConfigMap(name, optional) => out.push_str(&format!(
                            "    ConfigMapName:\t{name}\n    Optional:\t{optional}\n"
                        )),
                        ProjectedSource::ServiceAccountToken(seconds) => {
                            out.push_str(&format!("    TokenExpirationSeconds:\t{seconds}\n"))
                        }
                        ProjectedSource::Other => {}
                    }
                }
            }
            // kubectl prints each of the other sources its own way; svcscope does not read
            // their fields, so it prints kubectl's fallback for an unrecognised source.
            VolumeSource::Other(_) => out.push_str("    <unknown>\n"),
        }
    }
}

/// kubectl's `printPodTolerationsMultiline`: sorted by key, `key=value:effect op=Exists for Ns`.
fn tolerations_multiline(tolerations: &[Toleration], out: &mut String) {
    out.push_str("Tolerations:\t");
    if tolerations.is_empty() {
        out.push_str("<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    crate::small::order::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (index, toleration) in sorted.iter().enumerate() {
        if index != 0 {
            out.push('\t');
        }
        out.push_str(&toleration.key);
        if !toleration.value.is_empty() {
            out.push('=');
            out.push_str(&toleration.value);
        }
        if !toleration.effect.is_empty() {
            out.push(':');
            out.push_str(&toleration.effect);
        }
        if toleration.operator == "Exists" && toleration.value.is_empty() {
            if toleration.key.is_empty() && toleration.effect.is_empty() {
                out.push_str("op=Exists");
            } else {
                out.push_str(" op=Exists");
            }
        }
        if let Some(seconds) = toleration.seconds {
            push(out, &[" for ", &seconds.to_string(), "s"]);
        }
        out.push('\n');
    }
}

/// `kubectl describe pod` of `pod`; `node` is the node it runs on (for `Node: name/hostIP`).
pub fn describe_pod(pod: &SimPod, node: Option<&SimNode>, now: Millis) -> String {
    let mut out = String::new();
    push(&mut out, &["Name:\t", &pod.name, "\n"]);
    push(&mut out, &["Namespace:\t", &pod.namespace, "\n"]);
    if let Some(priority) = priority(pod) {
        push(&mut out, &["Priority:\t", &priority.to_string(), "\n"]);
    }
    if let Some(class) = &pod.spec.priority_class_name {
        push(&mut out, &["Priority Class Name:\t", class, "\n"]);
    }
    push(
        &mut out,
        &["Service Account:\t", service_account(pod), "\n"],
    );
    match &pod.node_name {
        None => out.push_str("Node:\t<none>\n"),
        Some(name) => {
            let host_ip = node.map(|node| node.internal_ip.as_str()).unwrap_or("");
            push(&mut out, &["Node:\t", name, "/", host_ip, "\n"]);
        }
    }
    labels_multiline("Labels", &pod.labels, &mut out);
    annotations_multiline("Annotations", &pod.annotations, &mut out);
    match pod
        .deleted_at
        .filter(|_| pod.terminating && !pod.is_terminal())
    {
        // A pod with a deletionTimestamp: how long it has been terminating, and its grace.
        Some(deleted) => {
            push(
                &mut out,
                &["Status:\tTerminating (lasts ", &age(now, deleted), ")\n"],
            );
            push(
                &mut out,
                &[
                    "Termination Grace Period:\t",
                    &pod.spec.grace_period().to_string(),
                    "s\n",
                ],
            );
        }
        None => push(&mut out, &["Status:\t", phase(pod), "\n"]),
    }
    push(&mut out, &["IP:\t", pod.ip.as_deref().unwrap_or(""), "\n"]);
    if pod.ip.is_some() {
        // describePod: one `IP:` line per `status.podIPs` entry.
        out.push_str("IPs:\n");
        for ip in pod.ips() {
            out.push_str(&format!("  IP:\t{ip}\n"));
        }
    } else {
        out.push_str("IPs:\t<none>\n");
    }
    if let Some((kind, name)) = &pod.owner {
        push(&mut out, &["Controlled By:\t", kind, "/", name, "\n"]);
    }
    if !pod.spec.init_containers.is_empty() {
        out.push_str("Init Containers:\n");
        for container in &pod.spec.init_containers {
            describe_container(container, pod, node, &mut out);
        }
    }
    if pod.spec.containers.is_empty() {
        out.push_str("Containers: <none>\n");
    } else {
        out.push_str("Containers:\n");
    }
    for container in &pod.spec.containers {
        describe_container(container, pod, node, &mut out);
    }
    out.push_str("Conditions:\n  Type\tStatus\n");
    for (kind, status) in conditions(pod) {
        let status = if status { "True" } else { "False" };
        push(&mut out, &["  ", kind, " \t", status, " \n"]);
    }
    describe_volumes(pod, &mut out);
    push(&mut out, &["QoS Class:\t", qos_class(pod), "\n"]);
    labels_multiline("Node-Selectors", &pod.spec.node_selector, &mut out);
    tolerations_multiline(&tolerations(pod), &mut out);
    match &pod.unschedulable {
        // The scheduler's `FailedScheduling` event (kubectl's DescribeEvents; the model
        // records no Event objects, so its age is kubectl's `<unknown>` for a zero time).
        Some(message) => {
            out.push_str("Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
            out.push_str("  ----\t------\t----\t----\t-------\n");
            push(
                &mut out,
                &[
                    "  Warning\tFailedScheduling\t<unknown>\tdefault-scheduler\t",
                    message,
                    "\n",
                ],
            );
        }
        None => out.push_str("Events:\t<none>\n"),
    }
    tabwriter(&out)
}
