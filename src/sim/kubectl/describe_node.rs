//! `kubectl describe node` of a simulated node: kubectl's `describeNode` and
//! `describeNodeResource` (staging/src/k8s.io/kubectl/pkg/describe/describe.go, kubectl 1.34)
//! line for line for the object the model holds.
//!
//! The model has no kubelet: the node has no conditions (kubectl then prints no `Conditions`
//! section), no `status.nodeInfo` (the `System Info` lines are empty, as kubectl prints them),
//! no creation time (kubectl prints Go's zero time) and no Lease (kubectl prints the API's
//! NotFound for it). Capacity is the allocatable (the model reserves nothing for the system);
//! addresses are the InternalIP and the Hostname. Quantities are printed in their canonical
//! form as `resource.Quantity.String()` does, in the format (binary or decimal suffixes) of the
//! first quantity written for that resource.

use std::collections::BTreeMap;

use crate::sim::control::admission::resources;
use crate::sim::control::scheduler::{aggregate, milli_value, value};
use crate::sim::control::workloads::{SimNode, SimPod};
use crate::sim::input::objects::Container;
use crate::sim::kubectl::describe::{annotations_multiline, labels_multiline};
use crate::sim::kubectl::tabwriter::tabwriter;

/// The role label prefix (`node-role.kubernetes.io/`) and the legacy role label.
const ROLE_PREFIX: &str = "node-role.kubernetes.io/";
const ROLE_LABEL: &str = "kubernetes.io/role";

/// `findNodeRoles`: the suffixes of `node-role.kubernetes.io/<role>` labels and the value of
/// `kubernetes.io/role`, sorted; `<none>` without any.
fn roles(node: &SimNode) -> String {
    let mut roles: Vec<&str> = Vec::new();
    for (key, value) in &node.labels {
        let role = match key.strip_prefix(ROLE_PREFIX) {
            Some(role) if !role.is_empty() => role,
            _ if key == ROLE_LABEL && !value.is_empty() => value.as_str(),
            _ => continue,
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    crate::small::order::sort(&mut roles);
    if roles.is_empty() {
        "<none>".to_owned()
    } else {
        roles.join(",")
    }
}

/// A quantity's suffix family: binary (`Ki`, `Mi`, ...) or decimal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Binary,
    Decimal,
}

fn format_of(text: &str) -> Format {
    if text.trim_end().ends_with('i') {
        Format::Binary
    } else {
        Format::Decimal
    }
}

/// `Quantity.String()` of a whole number of units in `format`: binary suffixes while the
/// value divides by 1024 (below 1024 in magnitude, no suffix), decimal ones while it divides by
/// 1000.
fn canonical(units: i64, format: Format) -> String {
    if units == 0 {
        return "0".to_owned();
    }
    let (base, suffixes): (i64, [&str; 7]) = match format {
        Format::Binary if units.unsigned_abs() >= 1024 => {
            (1024, ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"])
        }
        _ => (1000, ["", "k", "M", "G", "T", "P", "E"]),
    };
    let mut amount = units;
    let mut exponent = 0usize;
    while amount % base == 0 && exponent < 6 {
        amount /= base;
        exponent += 1;
    }
    format!(
        "{amount}{}",
        suffixes.get(exponent).copied().unwrap_or_default()
    )
}

/// CPU in millicores as `Quantity.String()` prints it (`2`, `250m`).
fn cpu_text(milli: i64) -> String {
    if milli % 1000 == 0 {
        canonical(milli / 1000, Format::Decimal)
    } else {
        format!("{milli}m")
    }
}

/// Go's `int64(float64(part) / float64(whole) * 100)` (on amd64, a non-finite value is the
/// smallest int64).
fn percent(part: i64, whole: i64) -> i64 {
    let ratio = part as f64 / whole as f64 * 100.0;
    if ratio.is_finite() {
        ratio as i64
    } else {
        i64::MIN
    }
}

/// A pod's (or pods') CPU and memory requests and limits, with the format each was written in.
#[derive(Clone, Copy, Default)]
struct Totals {
    cpu_request: i64,
    cpu_limit: i64,
    memory_request: i64,
    memory_limit: i64,
    memory_request_format: Option<Format>,
    memory_limit_format: Option<Format>,
}

impl Totals {
    fn add(&mut self, other: &Totals) {
        self.cpu_request += other.cpu_request;
        self.cpu_limit += other.cpu_limit;
        self.memory_request += other.memory_request;
        self.memory_limit += other.memory_limit;
        self.memory_request_format = self.memory_request_format.or(other.memory_request_format);
        self.memory_limit_format = self.memory_limit_format.or(other.memory_limit_format);
    }

    fn memory_request_text(&self) -> String {
        canonical(
            self.memory_request,
            self.memory_request_format.unwrap_or(Format::Decimal),
        )
    }

    fn memory_limit_text(&self) -> String {
        canonical(
            self.memory_limit,
            self.memory_limit_format.unwrap_or(Format::Decimal),
        )
    }
}

/// `resourcehelper.PodRequestsAndLimits`, aggregated as the scheduler's requests are
/// ([`aggregate`]).
fn pod_totals(pod: &SimPod) -> Totals {
    let of = |container: &Container| {
        let (limits, requests) = resources(container);
        let cpu = |map: &BTreeMap<String, String>| {
            map.get("cpu")
                .and_then(|text| milli_value(text))
                .unwrap_or(0)
        };
        let memory = |map: &BTreeMap<String, String>| {
            map.get("memory").and_then(|text| value(text)).unwrap_or(0)
        };
        Totals {
            cpu_request: cpu(&requests),
            cpu_limit: cpu(&limits),
            memory_request: memory(&requests),
            memory_limit: memory(&limits),
            memory_request_format: requests.get("memory").map(|text| format_of(text)),
            memory_limit_format: limits.get("memory").map(|text| format_of(text)),
        }
    };
    let add = |mut a: Totals, b: Totals| {
        a.add(&b);
        a
    };
    let max = |a: Totals, b: Totals| Totals {
        cpu_request: a.cpu_request.max(b.cpu_request),
        cpu_limit: a.cpu_limit.max(b.cpu_limit),
        memory_request: a.memory_request.max(b.memory_request),
        memory_limit: a.memory_limit.max(b.memory_limit),
        memory_request_format: a.memory_request_format.or(b.memory_request_format),
        memory_limit_format: a.memory_limit_format.or(b.memory_limit_format),
    };
    aggregate(&pod.spec, of, add, max)
}

/// `kubectl describe node` of `node`, with `pods` the cluster's pods (those bound to it and not
/// finished are listed, by namespace and name as the API lists them).
pub fn describe_node(node: &SimNode, pods: &[SimPod]) -> String {
    let mut out = String::new();
    out.push_str(&format!("Name:\t{}\n", node.name));
    out.push_str(&format!("Roles:\t{}\n", roles(node)));
    labels_multiline("Labels", &node.labels, &mut out);
    annotations_multiline("Annotations", &BTreeMap::new(), &mut out);
    out.push_str("CreationTimestamp:\tMon, 01 Jan 0001 00:00:00 +0000\n");
    // printNodeTaintsMultiline: sorted by effect, then key; `key=value:effect`.
    out.push_str("Taints:\t");
    let mut taints: Vec<&crate::sim::input::objects::Taint> = node.taints.iter().collect();
    crate::small::order::sort_by_key(&mut taints, |taint| {
        format!("{},{}", taint.effect, taint.key)
    });
    if taints.is_empty() {
        out.push_str("<none>\n");
    }
    for (index, taint) in taints.iter().enumerate() {
        if index > 0 {
            out.push('\t');
        }
        if taint.value.is_empty() {
            out.push_str(&format!("{}:{}\n", taint.key, taint.effect));
        } else {
            out.push_str(&format!("{}={}:{}\n", taint.key, taint.value, taint.effect));
        }
    }
    out.push_str(&format!("Unschedulable:\t{}\n", node.unschedulable));
    out.push_str(&format!(
        "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{}\" not found\n",
        node.name
    ));
    out.push_str("Addresses:\n");
    if !node.internal_ip.is_empty() {
        out.push_str(&format!("  InternalIP:\t{}\n", node.internal_ip));
    }
    if let Some(ip) = &node.secondary_internal_ip {
        out.push_str(&format!("  InternalIP:\t{ip}\n"));
    }
    out.push_str(&format!("  Hostname:\t{}\n", node.name));
    let allocatable = node.allocatable;
    for title in ["Capacity", "Allocatable"] {
        out.push_str(&format!("{title}:\n"));
        out.push_str(&format!("  cpu:\t{}\n", cpu_text(allocatable.milli_cpu)));
        out.push_str(&format!(
            "  memory:\t{}\n",
            canonical(allocatable.memory, Format::Binary)
        ));
        out.push_str(&format!("  pods:\t{}\n", allocatable.pods));
    }
    out.push_str("System Info:\n");
    for field in [
        "Machine ID",
        "System UUID",
        "Boot ID",
        "Kernel Version",
        "OS Image",
        "Operating System",
        "Architecture",
        "Container Runtime Version",
        "Kubelet Version",
        "Kube-Proxy Version",
    ] {
        out.push_str(&format!("  {field}:\t\n"));
    }
    out.push_str(&format!("PodCIDR:\t{}\n", node.pod_cidr));
    // `strings.Join(node.Spec.PodCIDRs, ",")`.
    match &node.secondary_pod_cidr {
        Some(second) => out.push_str(&format!("PodCIDRs:\t{},{second}\n", node.pod_cidr)),
        None => out.push_str(&format!("PodCIDRs:\t{}\n", node.pod_cidr)),
    }
    let mut on_node: Vec<&SimPod> = pods
        .iter()
        .filter(|pod| pod.node_name.as_deref() == Some(node.name.as_str()) && !pod.is_terminal())
        .collect();
    crate::small::order::sort_by_key(&mut on_node, |pod| {
        (pod.namespace.clone(), pod.name.clone())
    });
    out.push_str(&format!(
        "Non-terminated Pods:\t({} in total)\n",
        on_node.len()
    ));
    out.push_str(
        "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    out.push_str(
        "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let cpu = allocatable.milli_cpu;
    let memory = allocatable.memory;
    let mut total = Totals::default();
    for pod in &on_node {
        let totals = pod_totals(pod);
        out.push_str(&format!(
            "  {}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t<unknown>\n",
            pod.namespace,
            pod.name,
            cpu_text(totals.cpu_request),
            percent(totals.cpu_request, cpu),
            cpu_text(totals.cpu_limit),
            percent(totals.cpu_limit, cpu),
            totals.memory_request_text(),
            percent(totals.memory_request, memory),
            totals.memory_limit_text(),
            percent(totals.memory_limit, memory),
        ));
        total.add(&totals);
    }
    out.push_str(
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    out.push_str("  Resource\tRequests\tLimits\n");
    out.push_str("  --------\t--------\t------\n");
    // The totals' fractions are guarded against a zero allocatable; the pods' are not.
    let guarded = |part: i64, whole: i64| if whole == 0 { 0 } else { percent(part, whole) };
    out.push_str(&format!(
        "  cpu\t{} ({}%)\t{} ({}%)\n",
        cpu_text(total.cpu_request),
        guarded(total.cpu_request, cpu),
        cpu_text(total.cpu_limit),
        guarded(total.cpu_limit, cpu),
    ));
    out.push_str(&format!(
        "  memory\t{} ({}%)\t{} ({}%)\n",
        total.memory_request_text(),
        guarded(total.memory_request, memory),
        total.memory_limit_text(),
        guarded(total.memory_limit, memory),
    ));
    out.push_str("  ephemeral-storage\t0 (0%)\t0 (0%)\n");
    out.push_str("Events:\t<none>\n");
    tabwriter(&out)
}
