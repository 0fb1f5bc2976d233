//! The API server's part for Services: defaulting, validation and IP / node-port allocation.
//!
//! Defaulting follows `pkg/apis/core/v1/defaults.go` (`SetDefaults_Service`), validation
//! `pkg/apis/core/validation/validation.go` (`ValidateService`, `validateServicePort`,
//! `validateServiceExternalTrafficPolicy`), and allocation the Service REST storage
//! (`pkg/registry/core/service/ipallocator`, `portallocator`): explicit addresses are honoured
//! when free and in range, and the others are drawn from the upper ("dynamic") band of the range
//! as upstream does since KEP-3070/KEP-3668, at a stable hash of the Service's name instead of
//! at random, so that the same input always gives the same addresses.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::sim::config::{stable_hash, ClusterConfig};
use crate::sim::input::decode::IntOrString;
use crate::sim::input::field::{
    dns1035_label_errors, dns1123_label_errors, dns1123_subdomain_errors, port_name_errors,
    port_number_errors, quoted, FieldError,
};
use crate::sim::input::objects::{ObjectMeta, Service, ServicePort, ServiceSpec};

const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const AFFINITIES: &[&str] = &["ClientIP", "None"];
const TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];
const IP_FAMILY_POLICIES: &[&str] = &["PreferDualStack", "RequireDualStack", "SingleStack"];

/// Applies the API server's defaults to a Service as created (`SetDefaults_Service` and the
/// registry's family defaulting for a single-stack IPv4 cluster).
pub fn default_service(service: &mut Service) {
    let spec = &mut service.spec;
    if spec.session_affinity.as_deref().unwrap_or("").is_empty() {
        spec.session_affinity = Some("None".to_owned());
    }
    if spec.session_affinity.as_deref() == Some("ClientIP")
        && spec.session_affinity_timeout.is_none()
    {
        // DefaultClientIPServiceAffinitySeconds: 3 hours.
        spec.session_affinity_timeout = Some(10800);
    }
    if spec.type_.as_deref().unwrap_or("").is_empty() {
        spec.type_ = Some("ClusterIP".to_owned());
    }
    let type_ = spec.type_.clone().unwrap_or_default();
    for port in &mut spec.ports {
        if port.protocol.as_deref().unwrap_or("").is_empty() {
            port.protocol = Some("TCP".to_owned());
        }
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(name)) => name.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            port.target_port = port.port.map(IntOrString::Int);
        }
    }
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer")
        && spec
            .external_traffic_policy
            .as_deref()
            .unwrap_or("")
            .is_empty()
    {
        spec.external_traffic_policy = Some("Cluster".to_owned());
    }
    if spec.internal_traffic_policy.is_none()
        && matches!(type_.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP")
    {
        spec.internal_traffic_policy = Some("Cluster".to_owned());
    }
    if type_ == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
    // The registry copies clusterIP into clusterIPs (and back) before validation.
    match (spec.cluster_ip.as_deref(), spec.cluster_ips.first()) {
        (Some(ip), None) if !ip.is_empty() => spec.cluster_ips = vec![ip.to_owned()],
        (None, Some(first)) => spec.cluster_ip = Some(first.clone()),
        _ => {}
    }
    if type_ != "ExternalName" {
        let headless_without_selector = is_headless(spec) && spec.selector.is_none();
        if spec.ip_family_policy.is_none() {
            // dual-stack docs: "For Headless Services without selectors and without
            // .spec.ipFamilyPolicy explicitly set, the .spec.ipFamilyPolicy field defaults to
            // RequireDualStack." Everything else defaults to SingleStack.
            spec.ip_family_policy = Some(if headless_without_selector {
                "RequireDualStack".to_owned()
            } else {
                "SingleStack".to_owned()
            });
        }
        if spec.ip_families.is_empty() {
            // This cluster is single-stack IPv4.
            spec.ip_families = vec!["IPv4".to_owned()];
        }
    }
}

/// True for `clusterIP: None`.
pub fn is_headless(spec: &ServiceSpec) -> bool {
    spec.cluster_ips.first().map(String::as_str) == Some("None")
        || spec.cluster_ip.as_deref() == Some("None")
}

/// `ValidateService` on a defaulted Service.
pub fn validate_service(service: &Service) -> Vec<FieldError> {
    let mut errors = validate_meta(&service.meta);
    let spec = &service.spec;
    let type_ = spec.type_.as_deref().unwrap_or("");
    let headless = is_headless(spec);
    if spec.ports.is_empty() && !headless && type_ != "ExternalName" {
        errors.push(FieldError::required("spec.ports", ""));
    }
    match type_ {
        "LoadBalancer" | "NodePort" if headless => errors.push(FieldError::invalid(
            "spec.clusterIPs[0]",
            quoted("None"),
            format!("may not be set to 'None' for {type_} services"),
        )),
        "ExternalName" => {
            if !spec.cluster_ips.is_empty() {
                errors.push(FieldError::forbidden(
                    "spec.clusterIPs",
                    "may not be set for ExternalName services",
                ));
            }
            if !spec.ip_families.is_empty() {
                errors.push(FieldError::forbidden(
                    "spec.ipFamilies",
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errors.push(FieldError::forbidden(
                    "spec.ipFamilyPolicy",
                    "may not be set for ExternalName services",
                ));
            }
            // The value (a CNAME) may have a trailing dot to denote it as fully qualified.
            let external_name = spec.external_name.as_deref().unwrap_or("");
            let cname = external_name.strip_suffix('.').unwrap_or(external_name);
            if cname.is_empty() {
                errors.push(FieldError::required("spec.externalName", ""));
            } else {
                for message in dns1123_subdomain_errors(cname) {
                    errors.push(FieldError::invalid(
                        "spec.externalName",
                        quoted(cname),
                        message,
                    ));
                }
            }
        }
        _ => {}
    }
    let mut names: Vec<String> = Vec::new();
    for (index, port) in spec.ports.iter().enumerate() {
        validate_port(port, spec.ports.len() > 1, &mut names, index, &mut errors);
    }
    if let Some(selector) = &spec.selector {
        errors.extend(validate_labels(selector, "spec.selector"));
    }
    match spec.session_affinity.as_deref() {
        None | Some("") => errors.push(FieldError::required("spec.sessionAffinity", "")),
        Some(affinity) if !AFFINITIES.contains(&affinity) => errors.push(
            FieldError::not_supported("spec.sessionAffinity", affinity, AFFINITIES),
        ),
        _ => {}
    }
    errors.extend(validate_cluster_ips(spec));
    for (index, ip) in spec.external_ips.iter().enumerate() {
        if ip.parse::<std::net::IpAddr>().is_err() {
            errors.push(FieldError::invalid(
                format!("spec.externalIPs[{index}]"),
                quoted(ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    if type_.is_empty() {
        errors.push(FieldError::required("spec.type", ""));
    } else if !TYPES.contains(&type_) {
        errors.push(FieldError::not_supported("spec.type", type_, TYPES));
    }
    if type_ == "ClusterIP" {
        for (index, port) in spec.ports.iter().enumerate() {
            if port.node_port.unwrap_or(0) != 0 {
                errors.push(FieldError::forbidden(
                    format!("spec.ports[{index}].nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports: Vec<(&str, i64)> = Vec::new();
    for (index, port) in spec.ports.iter().enumerate() {
        let node_port = port.node_port.unwrap_or(0);
        if node_port == 0 {
            continue;
        }
        let key = (port.protocol.as_deref().unwrap_or(""), node_port);
        if node_ports.contains(&key) {
            errors.push(FieldError::duplicate(
                format!("spec.ports[{index}].nodePort"),
                node_port.to_string(),
            ));
        }
        node_ports.push(key);
    }
    let mut port_keys: Vec<(&str, i64)> = Vec::new();
    for (index, port) in spec.ports.iter().enumerate() {
        let protocol = port.protocol.as_deref().unwrap_or("");
        let key = (protocol, port.port.unwrap_or(0));
        if port_keys.contains(&key) {
            // Go prints the whole core.ServicePort key with %#v.
            errors.push(FieldError::duplicate(
                format!("spec.ports[{index}]"),
                format!(
                    "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    crate::sim::input::field::GoQuoted(protocol), key.1
                ),
            ));
        }
        port_keys.push(key);
    }
    if !spec.load_balancer_source_ranges.is_empty() && type_ != "LoadBalancer" {
        errors.push(FieldError::forbidden(
            "spec.LoadBalancerSourceRanges",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if spec.allocate_load_balancer_node_ports.is_some() && type_ != "LoadBalancer" {
        errors.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    errors.extend(validate_traffic_policies(spec, type_));
    errors
}

fn validate_meta(meta: &ObjectMeta) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if meta.name.is_empty() {
        if meta.generate_name.as_deref().unwrap_or("").is_empty() {
            errors.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        for message in dns1035_label_errors(&meta.name) {
            errors.push(FieldError::invalid(
                "metadata.name",
                quoted(&meta.name),
                message,
            ));
        }
    }
    if !meta.namespace.is_empty() {
        for message in dns1123_label_errors(&meta.namespace) {
            errors.push(FieldError::invalid(
                "metadata.namespace",
                quoted(&meta.namespace),
                message,
            ));
        }
    }
    errors.extend(validate_labels(&meta.labels, "metadata.labels"));
    errors
}

/// `ValidateLabels` (apimachinery `pkg/apis/meta/v1/validation`): every key through
/// `content.IsLabelKey`, every value through `content.IsLabelValue`, one `Invalid` error per
/// message, in the order upstream appends them.
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (key, value) in labels {
        for message in label_key_errors(key) {
            errors.push(FieldError::invalid(path, quoted(key), message));
        }
        for message in label_value_errors(value) {
            errors.push(FieldError::invalid(path, quoted(value), message));
        }
    }
    errors
}

/// The regex text upstream's label key messages quote.
const LABEL_KEY_REGEX: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must \
     start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', \
     regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// `content.IsLabelKey` (apimachinery `pkg/api/validate/content`): an optional DNS-1123
/// subdomain prefix and `/`, then a name of at most 63 characters.
pub fn label_key_errors(key: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let name = match key.split_once('/') {
        None => key,
        Some((_, rest)) if rest.contains('/') => {
            errors.push(format!(
                "a valid label key {LABEL_KEY_REGEX} with an optional DNS subdomain prefix and \
                 '/' (e.g. 'example.com/MyName')"
            ));
            return errors;
        }
        Some((prefix, rest)) => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_owned());
            } else {
                for message in crate::sim::input::field::dns1123_subdomain_errors(prefix) {
                    errors.push(format!("prefix part {message}"));
                }
            }
            rest
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_owned());
    } else if name.len() > 63 {
        errors.push("name part must be no more than 63 characters".to_owned());
    }
    if !is_label_text(name) {
        errors.push(format!("name part {LABEL_KEY_REGEX}"));
    }
    errors
}

/// `content.IsLabelValue`: empty, or at most 63 characters of the label alphabet.
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_owned());
    }
    if !value.is_empty() && !is_label_text(value) {
        errors.push(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', \
             '_' or '.', and must start and end with an alphanumeric character (e.g. \
             'MyValue',  or 'my_value',  or '12345', regex used for validation is \
             '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                .to_owned(),
        );
    }
    errors
}

fn is_label_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

fn validate_port(
    port: &ServicePort,
    require_name: bool,
    names: &mut Vec<String>,
    index: usize,
    errors: &mut Vec<FieldError>,
) {
    let path = format!("spec.ports[{index}]");
    let name = port.name.as_deref().unwrap_or("");
    if require_name && name.is_empty() {
        errors.push(FieldError::required(format!("{path}.name"), ""));
    } else if !name.is_empty() {
        for message in dns1123_label_errors(name) {
            errors.push(FieldError::invalid(
                format!("{path}.name"),
                quoted(name),
                message,
            ));
        }
        if names.iter().any(|seen| seen == name) {
            errors.push(FieldError::duplicate(format!("{path}.name"), quoted(name)));
        } else {
            names.push(name.to_owned());
        }
    }
    let number = port.port.unwrap_or(0);
    for message in port_number_errors(number) {
        errors.push(FieldError::invalid(
            format!("{path}.port"),
            number.to_string(),
            message,
        ));
    }
    match port.protocol.as_deref() {
        None | Some("") => errors.push(FieldError::required(format!("{path}.protocol"), "")),
        Some(protocol) if !PROTOCOLS.contains(&protocol) => errors.push(FieldError::not_supported(
            format!("{path}.protocol"),
            protocol,
            PROTOCOLS,
        )),
        _ => {}
    }
    // ValidatePortNumOrName.
    match &port.target_port {
        Some(IntOrString::Int(target)) => {
            for message in port_number_errors(*target) {
                errors.push(FieldError::invalid(
                    format!("{path}.targetPort"),
                    target.to_string(),
                    message,
                ));
            }
        }
        Some(IntOrString::String(target)) => {
            for message in port_name_errors(target) {
                errors.push(FieldError::invalid(
                    format!("{path}.targetPort"),
                    quoted(target),
                    message,
                ));
            }
        }
        None => {}
    }
}

fn validate_cluster_ips(spec: &ServiceSpec) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (index, ip) in spec.cluster_ips.iter().enumerate() {
        if ip == "None" || ip.is_empty() {
            continue;
        }
        if ip.parse::<std::net::IpAddr>().is_err() {
            errors.push(FieldError::invalid(
                format!("spec.clusterIPs[{index}]"),
                quoted(ip),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ));
        }
    }
    if let Some(policy) = spec.ip_family_policy.as_deref() {
        if !IP_FAMILY_POLICIES.contains(&policy) {
            errors.push(FieldError::not_supported(
                "spec.ipFamilyPolicy",
                policy,
                IP_FAMILY_POLICIES,
            ));
        }
    }
    errors
}

fn validate_traffic_policies(spec: &ServiceSpec, type_: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    // apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs.
    let externally_accessible = matches!(type_, "NodePort" | "LoadBalancer")
        || (type_ == "ClusterIP" && !spec.external_ips.is_empty());
    let external = spec.external_traffic_policy.as_deref().unwrap_or("");
    if !externally_accessible {
        if !external.is_empty() {
            errors.push(FieldError::invalid(
                "spec.externalTrafficPolicy",
                quoted(external),
                "may only be set for externally-accessible services",
            ));
        }
    } else if external.is_empty() {
        errors.push(FieldError::required("spec.externalTrafficPolicy", ""));
    } else if !TRAFFIC_POLICIES.contains(&external) {
        errors.push(FieldError::not_supported(
            "spec.externalTrafficPolicy",
            external,
            TRAFFIC_POLICIES,
        ));
    }
    let needs_health_check = type_ == "LoadBalancer" && external == "Local";
    let health = spec.health_check_node_port.unwrap_or(0);
    if !needs_health_check && health != 0 {
        errors.push(FieldError::invalid(
            "spec.healthCheckNodePort",
            health.to_string(),
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ));
    }
    match spec.internal_traffic_policy.as_deref() {
        None if matches!(type_, "NodePort" | "LoadBalancer" | "ClusterIP") => {
            errors.push(FieldError::required("spec.internalTrafficPolicy", ""));
        }
        Some(policy) if !TRAFFIC_POLICIES.contains(&policy) => errors.push(
            FieldError::not_supported("spec.internalTrafficPolicy", policy, TRAFFIC_POLICIES),
        ),
        _ => {}
    }
    errors
}

/// The Service allocators of one cluster: cluster IPs and node ports, each remembering its
/// owner (`namespace/name`).
#[derive(Clone, Debug)]
pub struct Allocators {
    config: ClusterConfig,
    ips: BTreeMap<Ipv4Addr, String>,
    node_ports: BTreeMap<u16, String>,
}

impl Allocators {
    /// Empty allocators for `config`.
    pub fn new(config: &ClusterConfig) -> Self {
        Allocators {
            config: config.clone(),
            ips: BTreeMap::new(),
            node_ports: BTreeMap::new(),
        }
    }

    /// The size of the static band at the bottom of a range of `size` values: KEP-3070
    /// (`min(max(16, size/16), 256)`) for IPs.
    fn ip_static_band(size: u64) -> u64 {
        (size / 16).clamp(16, 256)
    }

    /// KEP-3668 for node ports: `min(max(16, size/32), 128)`.
    fn port_static_band(size: u64) -> u64 {
        (size / 32).clamp(16, 128)
    }

    /// Reserves the explicit cluster IP `text` for `owner`.
    pub fn reserve_ip(&mut self, text: &str, owner: &str) -> Result<Ipv4Addr, FieldError> {
        let cidr = self.config.service_cidr;
        let value = format!("[]string{{{}}}", quoted(text));
        let ip: Ipv4Addr = text.parse().map_err(|_| {
            FieldError::invalid(
                "spec.clusterIPs[0]",
                quoted(text),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            )
        })?;
        let offset = cidr.offset_of(ip);
        if !cidr.contains(ip) || offset == 0 || offset + 1 >= cidr.size() {
            return Err(FieldError::invalid(
                "spec.clusterIPs",
                value,
                format!(
                    "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {cidr}"
                ),
            ));
        }
        if self.ips.contains_key(&ip) {
            return Err(FieldError::invalid(
                "spec.clusterIPs",
                value,
                format!("failed to allocate IP {ip}: provided IP is already allocated"),
            ));
        }
        self.ips.insert(ip, owner.to_owned());
        Ok(ip)
    }

    /// Allocates a free cluster IP for `owner` from the dynamic band.
    pub fn allocate_ip(&mut self, owner: &str) -> Option<Ipv4Addr> {
        let cidr = self.config.service_cidr;
        let size = cidr.size();
        if size < 4 {
            return None;
        }
        let usable = size - 2; // offsets 1..=size-2
        let band = Self::ip_static_band(size).min(usable.saturating_sub(1));
        let dynamic = usable - band;
        let start = stable_hash(owner) % dynamic.max(1);
        for step in 0..usable {
            // Dynamic band first, then the static band, as upstream falls back.
            let offset = if step < dynamic {
                1 + band + (start + step) % dynamic
            } else {
                1 + (step - dynamic)
            };
            let ip = cidr.nth(offset);
            if let std::collections::btree_map::Entry::Vacant(entry) = self.ips.entry(ip) {
                entry.insert(owner.to_owned());
                return Some(ip);
            }
        }
        None
    }

    /// Reserves the explicit node port `port` of `spec.ports[index]` for `owner`.
    pub fn reserve_node_port(
        &mut self,
        port: i64,
        index: usize,
        owner: &str,
    ) -> Result<u16, FieldError> {
        let (low, high) = self.config.node_port_range;
        let path = format!("spec.ports[{index}].nodePort");
        let in_range = u16::try_from(port)
            .ok()
            .filter(|port| (low..=high).contains(port));
        let Some(number) = in_range else {
            return Err(FieldError::invalid(
                path,
                port.to_string(),
                format!("provided port is not in the valid range. The range of valid ports is {low}-{high}"),
            ));
        };
        match self.node_ports.get(&number) {
            Some(holder) if holder != owner => Err(FieldError::invalid(
                path,
                port.to_string(),
                "provided port is already allocated",
            )),
            _ => {
                self.node_ports.insert(number, owner.to_owned());
                Ok(number)
            }
        }
    }

    /// Allocates a free node port for `owner`'s port `key` from the dynamic band.
    pub fn allocate_node_port(&mut self, owner: &str, key: &str) -> Option<u16> {
        let (low, high) = self.config.node_port_range;
        let size = u64::from(high.checked_sub(low)?) + 1;
        let band = Self::port_static_band(size).min(size.saturating_sub(1));
        let dynamic = size - band;
        let start = stable_hash(&format!("{owner}/{key}")) % dynamic.max(1);
        for step in 0..size {
            let offset = if step < dynamic {
                band + (start + step) % dynamic
            } else {
                step - dynamic
            };
            let port = low.checked_add(u16::try_from(offset).ok()?)?;
            if let std::collections::btree_map::Entry::Vacant(entry) = self.node_ports.entry(port) {
                entry.insert(owner.to_owned());
                return Some(port);
            }
        }
        None
    }
}

/// The outcome of creating one Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Stored, defaulted and allocated.
    Created(Box<Service>),
    /// Rejected with these errors, as `kubectl apply` would print them.
    Rejected(Vec<FieldError>),
}

/// Creates `services` (each `(owner, service)`, owner being `namespace/name`) as the API server
/// would: defaulting, validation, then allocation. Explicit cluster IPs and node ports are
/// reserved first, in input order, so that a dynamically allocated address never takes one the
/// input asks for.
pub fn create_services(allocators: &mut Allocators, services: Vec<Service>) -> Vec<Admission> {
    let mut prepared: Vec<Result<Service, Vec<FieldError>>> = services
        .into_iter()
        .map(|mut service| {
            default_service(&mut service);
            let errors = validate_service(&service);
            if errors.is_empty() {
                Ok(service)
            } else {
                Err(errors)
            }
        })
        .collect();
    // Pass 1: explicit cluster IPs and node ports.
    for entry in &mut prepared {
        let Ok(service) = entry else { continue };
        let owner = owner_of(service);
        let mut errors = Vec::new();
        let type_ = service.spec.type_.clone().unwrap_or_default();
        if type_ != "ExternalName" && !is_headless(&service.spec) {
            if let Some(ip) = service.spec.cluster_ip.clone().filter(|ip| !ip.is_empty()) {
                if let Err(error) = allocators.reserve_ip(&ip, &owner) {
                    errors.push(error);
                }
            }
        }
        if uses_node_ports(&service.spec) {
            for (index, port) in service.spec.ports.iter().enumerate() {
                if let Some(node_port) = port.node_port.filter(|port| *port != 0) {
                    if let Err(error) = allocators.reserve_node_port(node_port, index, &owner) {
                        errors.push(error);
                    }
                }
            }
        }
        if !errors.is_empty() {
            *entry = Err(errors);
        }
    }
    // Pass 2: everything else, in input order.
    prepared
        .into_iter()
        .map(|entry| match entry {
            Err(errors) => Admission::Rejected(errors),
            Ok(mut service) => {
                let owner = owner_of(&service);
                let type_ = service.spec.type_.clone().unwrap_or_default();
                if type_ == "ExternalName" {
                    // Seed 002 shows a NodePort Service turned ExternalName keeping no node port
                    // (`kubectl describe` prints no NodePort line): ExternalName ports get none.
                    for port in &mut service.spec.ports {
                        port.node_port = None;
                    }
                } else if !is_headless(&service.spec)
                    && service.spec.cluster_ip.as_deref().unwrap_or("").is_empty()
                {
                    match allocators.allocate_ip(&owner) {
                        Some(ip) => {
                            service.spec.cluster_ip = Some(ip.to_string());
                            service.spec.cluster_ips = vec![ip.to_string()];
                        }
                        None => {
                            return Admission::Rejected(vec![FieldError::invalid(
                                "spec.clusterIPs",
                                "[]string(nil)".to_owned(),
                                "failed to allocate a serviceIP: range is full",
                            )])
                        }
                    }
                }
                if uses_node_ports(&service.spec) {
                    for (index, port) in service.spec.ports.iter_mut().enumerate() {
                        if port.node_port.unwrap_or(0) == 0 {
                            let key = format!("{index}");
                            match allocators.allocate_node_port(&owner, &key) {
                                Some(number) => port.node_port = Some(i64::from(number)),
                                None => {
                                    return Admission::Rejected(vec![FieldError::invalid(
                                        format!("spec.ports[{index}].nodePort"),
                                        "0".to_owned(),
                                        "range is full",
                                    )])
                                }
                            }
                        }
                    }
                    let needs_health_check = type_ == "LoadBalancer"
                        && service.spec.external_traffic_policy.as_deref() == Some("Local");
                    if needs_health_check && service.spec.health_check_node_port.unwrap_or(0) == 0 {
                        service.spec.health_check_node_port = allocators
                            .allocate_node_port(&owner, "healthCheckNodePort")
                            .map(i64::from);
                    }
                }
                Admission::Created(Box::new(service))
            }
        })
        .collect()
}

/// Whether the Service's ports get node ports: NodePort, and LoadBalancer unless
/// `allocateLoadBalancerNodePorts: false`.
pub fn uses_node_ports(spec: &ServiceSpec) -> bool {
    match spec.type_.as_deref() {
        Some("NodePort") => true,
        Some("LoadBalancer") => spec.allocate_load_balancer_node_ports != Some(false),
        _ => false,
    }
}

fn owner_of(service: &Service) -> String {
    format!("{}/{}", service.meta.namespace, service.meta.name)
}

/// The two Services every cluster has before anything is applied: `default/kubernetes` at the
/// first address of the service range, and `kube-system/kube-dns` at the tenth (kubeadm's
/// `--service-cluster-ip-range` conventions), as created by the API server and by kubeadm's
/// CoreDNS add-on.
pub fn builtin_services(config: &ClusterConfig) -> Vec<Service> {
    let mut kubernetes = Service::default();
    kubernetes.meta.name = "kubernetes".to_owned();
    kubernetes.meta.namespace = "default".to_owned();
    kubernetes.meta.labels = BTreeMap::from([
        ("component".to_owned(), "apiserver".to_owned()),
        ("provider".to_owned(), "kubernetes".to_owned()),
    ]);
    kubernetes.spec.cluster_ip = Some(config.service_cidr.nth(1).to_string());
    kubernetes.spec.ports = vec![ServicePort {
        name: Some("https".to_owned()),
        protocol: Some("TCP".to_owned()),
        port: Some(443),
        target_port: Some(IntOrString::Int(6443)),
        ..ServicePort::default()
    }];
    let mut dns = Service::default();
    dns.meta.name = "kube-dns".to_owned();
    dns.meta.namespace = "kube-system".to_owned();
    dns.meta.labels = BTreeMap::from([
        ("k8s-app".to_owned(), "kube-dns".to_owned()),
        (
            "kubernetes.io/cluster-service".to_owned(),
            "true".to_owned(),
        ),
        ("kubernetes.io/name".to_owned(), "CoreDNS".to_owned()),
    ]);
    dns.meta.annotations = BTreeMap::from([
        ("prometheus.io/port".to_owned(), "9153".to_owned()),
        ("prometheus.io/scrape".to_owned(), "true".to_owned()),
    ]);
    dns.spec.selector = Some(BTreeMap::from([(
        "k8s-app".to_owned(),
        "kube-dns".to_owned(),
    )]));
    dns.spec.cluster_ip = Some(config.dns_ip().to_string());
    let port = |name: &str, protocol: &str, number: i64| ServicePort {
        name: Some(name.to_owned()),
        protocol: Some(protocol.to_owned()),
        port: Some(number),
        target_port: Some(IntOrString::Int(number)),
        ..ServicePort::default()
    };
    dns.spec.ports = vec![
        port("dns", "UDP", 53),
        port("dns-tcp", "TCP", 53),
        port("metrics", "TCP", 9153),
    ];
    vec![kubernetes, dns]
}

/// The checks of `pkg/apis/apps/validation` (`ValidateDeploymentSpec`,
/// `ValidateStatefulSetSpec`, `ValidateDaemonSetSpec`, `ValidateReplicaSetSpec`) that decide
/// whether pods appear: a name, non-negative replicas, a selector, and a template whose labels
/// the selector matches.
pub fn validate_workload(workload: &crate::sim::input::objects::Workload) -> Vec<FieldError> {
    use crate::sim::input::objects::WorkloadKind;
    let mut errors = Vec::new();
    let name = &workload.meta.name;
    if name.is_empty() {
        if workload
            .meta
            .generate_name
            .as_deref()
            .unwrap_or("")
            .is_empty()
        {
            errors.push(FieldError::required(
                "metadata.name",
                "name or generateName is required",
            ));
        }
    } else {
        let name_errors = if workload.kind == WorkloadKind::StatefulSet {
            // StatefulSet names become pod names and hostnames: DNS-1123 labels.
            dns1123_label_errors(name)
        } else {
            dns1123_subdomain_errors(name)
        };
        for message in name_errors {
            errors.push(FieldError::invalid("metadata.name", quoted(name), message));
        }
    }
    if let Some(replicas) = workload.replicas.filter(|replicas| *replicas < 0) {
        errors.push(FieldError::invalid(
            "spec.replicas",
            replicas.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    match &workload.selector {
        None => errors.push(FieldError::required("spec.selector", "")),
        Some(selector) => {
            let labels = &workload.template.meta.labels;
            let has_terms =
                !selector.match_labels.is_empty() || !selector.match_expressions.is_empty();
            if has_terms && !crate::sim::input::labels::selector_matches(selector, labels) {
                let shown: Vec<String> = labels
                    .iter()
                    .map(|(key, value)| format!("{}:{}", quoted(key), quoted(value)))
                    .collect();
                errors.push(FieldError::invalid(
                    "spec.template.metadata.labels",
                    format!("map[string]string{{{}}}", shown.join(", ")),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    if workload.template.spec.containers.is_empty() {
        errors.push(FieldError::required("spec.template.spec.containers", ""));
    }
    errors
}

/// `pkg/apis/discovery/validation.ValidateEndpointSlice` for a user-supplied slice: the
/// address type, each endpoint's addresses, and the ports.
pub fn validate_endpoint_slice(
    slice: &crate::sim::input::objects::EndpointSlice,
) -> Vec<FieldError> {
    const ADDRESS_TYPES: &[&str] = &["FQDN", "IPv4", "IPv6"];
    let mut errors = Vec::new();
    let address_type = slice.address_type.as_deref().unwrap_or("");
    if address_type.is_empty() {
        errors.push(FieldError::required("addressType", ""));
    } else if !ADDRESS_TYPES.contains(&address_type) {
        errors.push(FieldError::not_supported(
            "addressType",
            address_type,
            ADDRESS_TYPES,
        ));
    }
    for (index, endpoint) in slice.endpoints.iter().enumerate() {
        let path = format!("endpoints[{index}].addresses");
        if endpoint.addresses.is_empty() {
            errors.push(FieldError::required(
                path.clone(),
                "must contain at least 1 address",
            ));
        }
        for (position, address) in endpoint.addresses.iter().enumerate() {
            let valid = match address_type {
                "IPv4" => address.parse::<std::net::Ipv4Addr>().is_ok(),
                "IPv6" => address.parse::<std::net::Ipv6Addr>().is_ok(),
                _ => true,
            };
            if !valid {
                errors.push(FieldError::invalid(
                    format!("{path}[{position}]"),
                    quoted(address),
                    format!(
                        "must be a valid {} address",
                        if address_type == "IPv4" {
                            "IPv4"
                        } else {
                            "IPv6"
                        }
                    ),
                ));
            }
        }
    }
    let mut names: Vec<&str> = Vec::new();
    for (index, port) in slice.ports.iter().enumerate() {
        let path = format!("ports[{index}]");
        let name = port.name.as_deref().unwrap_or("");
        if !name.is_empty() {
            for message in dns1123_label_errors(name) {
                errors.push(FieldError::invalid(
                    format!("{path}.name"),
                    quoted(name),
                    message,
                ));
            }
        }
        if names.contains(&name) {
            errors.push(FieldError::duplicate(format!("{path}.name"), quoted(name)));
        } else {
            names.push(name);
        }
        match port.protocol.as_deref() {
            None | Some("") => errors.push(FieldError::required(format!("{path}.protocol"), "")),
            Some(protocol) if !PROTOCOLS.contains(&protocol) => errors.push(
                FieldError::not_supported(format!("{path}.protocol"), protocol, PROTOCOLS),
            ),
            _ => {}
        }
    }
    errors
}
