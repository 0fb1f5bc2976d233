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
use std::net::IpAddr;

use crate::sim::config::{stable_hash, stable_hash_parts, Cidr, ClusterConfig, Family};
use crate::sim::input::decode::IntOrString;
use crate::sim::input::field::{
    cidr_errors, dns1035_label_errors, dns1123_label_errors, dns1123_subdomain_errors,
    go_string_slice, invalid_each, ip_errors, non_special_ip_errors, parse_ip_sloppy,
    port_name_errors, port_number_errors, quoted, FieldError,
};
use crate::sim::input::objects::{ObjectMeta, Service, ServicePort, ServiceSpec};

const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const AFFINITIES: &[&str] = &["ClientIP", "None"];
const TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];
const IP_FAMILY_POLICIES: &[&str] = &["PreferDualStack", "RequireDualStack", "SingleStack"];

/// Applies `SetDefaults_Service` (`pkg/apis/core/v1/defaults.go`), the defaulting every Service
/// gets when it is decoded, before the REST create path sees it.
pub fn default_service(service: &mut Service) {
    let spec = &mut service.spec;
    if spec.session_affinity.as_deref().unwrap_or("").is_empty() {
        spec.session_affinity = Some("None".to_owned());
    }
    if spec.session_affinity.as_deref() == Some("None") {
        spec.session_affinity_config = false;
        spec.session_affinity_timeout = None;
    }
    if spec.session_affinity.as_deref() == Some("ClientIP")
        && spec.session_affinity_timeout.is_none()
    {
        // DefaultClientIPServiceAffinitySeconds: 3 hours, in a whole new config.
        spec.session_affinity_timeout = Some(10800);
        spec.session_affinity_config = true;
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
    if externally_accessible(spec)
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
    // LoadBalancerIPMode (GA in 1.32): a LoadBalancer's ingress IP without a mode is a VIP.
    let ingresses = if type_ == "LoadBalancer" {
        service.load_balancer_ingress.as_mut_slice()
    } else {
        &mut []
    };
    for ingress in ingresses {
        if ingress.ip.as_deref().is_some_and(|ip| !ip.is_empty()) && ingress.ip_mode.is_none() {
            ingress.ip_mode = Some("VIP".to_owned());
        }
    }
}

/// True for `clusterIP: None`.
pub fn is_headless(spec: &ServiceSpec) -> bool {
    spec.cluster_ips.first().map(String::as_str) == Some("None")
        || spec.cluster_ip.as_deref() == Some("None")
}

/// `isHeadlessService` of the validation: exactly one cluster IP, `None`.
fn is_headless_exactly(spec: &ServiceSpec) -> bool {
    spec.cluster_ips.len() == 1 && spec.cluster_ips.first().map(String::as_str) == Some("None")
}

/// `ValidateService` (`pkg/apis/core/validation/validation.go`) on a Service as the create path
/// hands it over: defaulted, named, its cluster IPs normalized and allocated. Every rule, in
/// upstream's order; docs/api-server.md lists and counts the rules.
pub fn validate_service(service: &Service) -> Vec<FieldError> {
    let mut errors = validate_meta(&service.meta);
    let spec = &service.spec;
    let annotations = &service.meta.annotations;
    if let (Some(mode), Some(hints)) = (
        annotations.get(TOPOLOGY_MODE),
        annotations.get(TOPOLOGY_HINTS),
    ) {
        if mode != hints {
            errors.push(FieldError::invalid(
                format!("metadata.annotations[{TOPOLOGY_MODE}]"),
                quoted(mode),
                format!("must match annotations[{TOPOLOGY_HINTS}] when both are specified"),
            ));
        }
    }
    let type_ = spec.type_.as_deref().unwrap_or("");
    let headless = is_headless_exactly(spec);
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
                invalid_each(
                    &mut errors,
                    "spec.externalName",
                    cname,
                    dns1123_subdomain_errors(cname),
                );
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
    match spec.session_affinity.as_deref() {
        Some("ClientIP") => errors.extend(validate_client_ip_affinity(spec)),
        Some("None") if spec.session_affinity_config => errors.push(FieldError::forbidden(
            "spec.sessionAffinityConfig",
            "must not be set when session affinity is None",
        )),
        _ => {}
    }
    errors.extend(validate_cluster_ips_related_fields(spec));
    for (index, ip) in spec.external_ips.iter().enumerate() {
        let path = format!("spec.externalIPs[{index}]");
        let invalid = ip_errors(ip);
        let messages = if invalid.is_empty() {
            non_special_ip_errors(ip)
        } else {
            invalid
        };
        invalid_each(&mut errors, path.clone(), ip, messages);
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
    errors.extend(validate_source_ranges(service, type_));
    if spec.allocate_load_balancer_node_ports.is_some() && type_ != "LoadBalancer" {
        errors.push(FieldError::forbidden(
            "spec.allocateLoadBalancerNodePorts",
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    if type_ == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        // Upstream's path really is the bare `allocateLoadBalancerNodePorts`.
        errors.push(FieldError::required("allocateLoadBalancerNodePorts", ""));
    }
    // validateLoadBalancerClassField (create: no old Service).
    if let Some(class) = &spec.load_balancer_class {
        if type_ == "LoadBalancer" {
            invalid_each(
                &mut errors,
                "spec.loadBalancerClass",
                class,
                qualified_name_errors(class),
            );
        } else {
            errors.push(FieldError::forbidden(
                "spec.loadBalancerClass",
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
    }
    errors.extend(validate_traffic_policies(spec, type_));
    // validateServiceTrafficDistribution, with 1.34's PreferSameTrafficDistribution gate on.
    if let Some(distribution) = &spec.traffic_distribution {
        if !TRAFFIC_DISTRIBUTIONS.contains(&distribution.as_str()) {
            errors.push(FieldError::not_supported(
                "spec.trafficDistribution",
                distribution,
                TRAFFIC_DISTRIBUTIONS,
            ));
        }
    }
    errors
}

/// `topology-mode` and the deprecated hints annotation it replaced (KEP-2433).
const TOPOLOGY_MODE: &str = "service.kubernetes.io/topology-mode";
const TOPOLOGY_HINTS: &str = "service.kubernetes.io/topology-aware-hints";
const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";
const TRAFFIC_DISTRIBUTIONS: &[&str] = &["PreferClose", "PreferSameNode", "PreferSameZone"];
/// `core.MaxClientIPServiceAffinitySeconds`: one day.
const MAX_AFFINITY_SECONDS: i64 = 86400;

/// `validateClientIPAffinityConfig` and `validateAffinityTimeout`. Defaulting fills a whole
/// config for ClientIP, so only the bounds can fail on a created Service.
fn validate_client_ip_affinity(spec: &ServiceSpec) -> Vec<FieldError> {
    let path = "spec.sessionAffinityConfig.clientIP.timeoutSeconds";
    match spec.session_affinity_timeout {
        None => vec![FieldError::required(
            path,
            "when session affinity type is ClientIP",
        )],
        Some(timeout) if timeout <= 0 || timeout > MAX_AFFINITY_SECONDS => {
            vec![FieldError::invalid(
                path,
                timeout.to_string(),
                format!("must be greater than 0 and less than {MAX_AFFINITY_SECONDS}"),
            )]
        }
        Some(_) => Vec::new(),
    }
}

/// The `LoadBalancerSourceRanges` field (upstream's path keeps the capital L) or, when it is
/// empty, the older annotation: LoadBalancer only, each value a CIDR (space-padding allowed).
fn validate_source_ranges(service: &Service, type_: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let ranges = &service.spec.load_balancer_source_ranges;
    if !ranges.is_empty() {
        let path = "spec.LoadBalancerSourceRanges";
        if type_ != "LoadBalancer" {
            errors.push(FieldError::forbidden(
                path,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        for (index, value) in ranges.iter().enumerate() {
            let value = value.trim();
            invalid_each(
                &mut errors,
                format!("{path}[{index}]"),
                value,
                cidr_errors(value),
            );
        }
    } else if let Some(value) = service.meta.annotations.get(SOURCE_RANGES_ANNOTATION) {
        let path = format!("metadata.annotations[{SOURCE_RANGES_ANNOTATION}]");
        if type_ != "LoadBalancer" {
            errors.push(FieldError::forbidden(
                path.clone(),
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        let value = value.trim();
        if !value.is_empty() {
            for cidr in value.split(',') {
                let cidr = cidr.trim();
                invalid_each(&mut errors, path.clone(), cidr, cidr_errors(cidr));
            }
        }
    }
    errors
}

/// `ValidateObjectMeta` (kubernetes `pkg/apis/core/validation`) over apimachinery's
/// `ValidateObjectMetaAccessor` (`pkg/api/validation/objectmeta.go`), with
/// `NameIsDNS1035Label`, the Service name rule: `generateName` (checked as a prefix), the
/// name, the namespace, `generation`, labels, annotations, owner references and finalizers.
/// Not checked: managed fields (the field manager's, not modelled), an Event as owner and a
/// second controller reference (upstream prints those values with Go pointer addresses, which
/// cannot be reproduced).
fn validate_meta(meta: &ObjectMeta) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(prefix) = meta
        .generate_name
        .as_deref()
        .filter(|name| !name.is_empty())
    {
        invalid_each(
            &mut errors,
            "metadata.generateName",
            prefix,
            dns1035_label_errors(&mask_trailing_dash(prefix)),
        );
    }
    if meta.name.is_empty() {
        errors.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        ));
    } else {
        invalid_each(
            &mut errors,
            "metadata.name",
            &meta.name,
            dns1035_label_errors(&meta.name),
        );
    }
    if meta.namespace.is_empty() {
        errors.push(FieldError::required("metadata.namespace", ""));
    } else {
        invalid_each(
            &mut errors,
            "metadata.namespace",
            &meta.namespace,
            dns1123_label_errors(&meta.namespace),
        );
    }
    if let Some(generation) = meta.generation.filter(|generation| *generation < 0) {
        errors.push(FieldError::invalid(
            "metadata.generation",
            generation.to_string(),
            "must be greater than or equal to 0",
        ));
    }
    errors.extend(validate_labels(&meta.labels, "metadata.labels"));
    errors.extend(validate_annotations(&meta.annotations));
    // validateOwnerReference: every reference on the same, unindexed path.
    for reference in &meta.owner_references {
        let path = "metadata.ownerReferences";
        // schema.FromAPIVersionAndKind: no version from an empty or unparsable apiVersion.
        let version = match reference.api_version.matches('/').count() {
            0 => reference.api_version.as_str(),
            1 => reference.api_version.split('/').nth(1).unwrap_or(""),
            _ => "",
        };
        if version.is_empty() {
            errors.push(FieldError::invalid(
                format!("{path}.apiVersion"),
                quoted(&reference.api_version),
                "version must not be empty",
            ));
        }
        for (field, value) in [
            ("kind", &reference.kind),
            ("name", &reference.name),
            ("uid", &reference.uid),
        ] {
            if value.is_empty() {
                errors.push(FieldError::invalid(
                    format!("{path}.{field}"),
                    quoted(value),
                    format!("{field} must not be empty"),
                ));
            }
        }
    }
    // ValidateFinalizers, then the core group's validateKubeFinalizerName.
    for finalizer in &meta.finalizers {
        invalid_each(
            &mut errors,
            "metadata.finalizers",
            finalizer,
            qualified_name_errors(finalizer),
        );
    }
    let has = |name: &str| meta.finalizers.iter().any(|finalizer| finalizer == name);
    if has("orphan") && has("foregroundDeletion") {
        errors.push(FieldError::invalid(
            "metadata.finalizers",
            go_string_slice("[]string", &meta.finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
    for (index, finalizer) in meta.finalizers.iter().enumerate() {
        let standard = ["kubernetes", "orphan", "foregroundDeletion"];
        if !finalizer.contains('/') && !standard.contains(&finalizer.as_str()) {
            errors.push(FieldError::invalid(
                format!("metadata.finalizers[{index}]"),
                quoted(finalizer),
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
    errors
}

/// `maskTrailingDash`: a `generateName` may end in `-`, as the random suffix follows it. Upstream
/// drops the last two characters and appends `a` (`name[:len(name)-2] + "a"`), kept as is.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(rest) if name.len() > 1 => {
            let mut kept = rest.to_owned();
            kept.pop();
            kept.push('a');
            kept
        }
        _ => name.to_owned(),
    }
}

/// `TotalAnnotationSizeLimitB`: 256 KiB of keys and values together.
const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// `ValidateAnnotations`: every key a qualified name once lowercased, and at most 256 KiB of
/// keys and values.
fn validate_annotations(annotations: &BTreeMap<String, String>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut size = 0usize;
    for (key, value) in annotations {
        invalid_each(
            &mut errors,
            "metadata.annotations",
            key,
            qualified_name_errors(&key.to_ascii_lowercase()),
        );
        size = size.saturating_add(key.len()).saturating_add(value.len());
    }
    if size > ANNOTATIONS_MAX_BYTES {
        errors.push(FieldError::too_long(
            "metadata.annotations",
            ANNOTATIONS_MAX_BYTES,
        ));
    }
    errors
}

/// `ValidateLabels` (apimachinery `pkg/apis/meta/v1/validation`): every key through
/// `content.IsLabelKey`, every value through `content.IsLabelValue`, one `Invalid` error per
/// message, in the order upstream appends them.
pub fn validate_labels(labels: &BTreeMap<String, String>, path: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (key, value) in labels {
        invalid_each(&mut errors, path, key, label_key_errors(key));
        invalid_each(&mut errors, path, value, label_value_errors(value));
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
    prefixed_name_errors(key, "a valid label key")
}

/// `validation.IsQualifiedName`: the label key rule, as annotation keys, `appProtocol` and
/// `loadBalancerClass` use it (only the whole-value message names it differently).
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    prefixed_name_errors(value, "a qualified name")
}

fn prefixed_name_errors(key: &str, what: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let name = match key.split_once('/') {
        None => key,
        Some((_, rest)) if rest.contains('/') => {
            errors.push(format!(
                "{what} {LABEL_KEY_REGEX} with an optional DNS subdomain prefix and '/' (e.g. \
                 'example.com/MyName')"
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

/// `validateServicePort`.
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
        invalid_each(
            errors,
            format!("{path}.name"),
            name,
            dns1123_label_errors(name),
        );
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
            invalid_each(
                errors,
                format!("{path}.targetPort"),
                target,
                port_name_errors(target),
            );
        }
        None => {}
    }
    if let Some(protocol) = &port.app_protocol {
        invalid_each(
            errors,
            format!("{path}.appProtocol"),
            protocol,
            qualified_name_errors(protocol),
        );
    }
}

/// `ValidateServiceClusterIPsRelatedFields`: `clusterIP` and `clusterIPs` agree, the families
/// and the policy are known values, the addresses are valid, at most one per family and of the
/// family `ipFamilies` names. The create path runs it twice: before allocation (where its errors
/// stop everything) and inside `ValidateService`.
fn validate_cluster_ips_related_fields(spec: &ServiceSpec) -> Vec<FieldError> {
    if spec.type_.as_deref() == Some("ExternalName") {
        return Vec::new();
    }
    let mut errors = Vec::new();
    let ips = &spec.cluster_ips;
    let shown = || go_string_slice("[]string", ips);
    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or("");
    if !cluster_ip.is_empty() {
        match ips.first() {
            None => errors.push(FieldError::required("spec.clusterIPs", "")),
            Some(first) if first != cluster_ip => errors.push(FieldError::invalid(
                "spec.clusterIPs",
                shown(),
                "first value must match `clusterIP`",
            )),
            Some(_) => {}
        }
    } else if !ips.is_empty() {
        errors.push(FieldError::invalid(
            "spec.clusterIPs",
            shown(),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (index, family) in spec.ip_families.iter().enumerate() {
        let path = format!("spec.ipFamilies[{index}]");
        if !IP_FAMILIES.contains(&family.as_str()) {
            errors.push(FieldError::not_supported(path.clone(), family, IP_FAMILIES));
        }
        if seen.contains(&family.as_str()) {
            errors.push(FieldError::duplicate(path, quoted(family)));
        }
        seen.push(family);
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
    let mut invalid = false;
    for (index, ip) in ips.iter().enumerate() {
        if index == 0 && ip == "None" {
            if ips.len() > 1 {
                invalid = true;
                errors.push(FieldError::invalid(
                    "spec.clusterIPs",
                    shown(),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        for message in ip_errors(ip) {
            invalid = true;
            errors.push(FieldError::invalid(
                format!("spec.clusterIPs[{index}]"),
                quoted(ip),
                message,
            ));
        }
    }
    if ips.len() > 2 {
        errors.push(FieldError::invalid(
            "spec.clusterIPs",
            shown(),
            "may only hold up to 2 values",
        ));
    }
    if invalid {
        return errors;
    }
    if ips.len() > 1 {
        // netutils.IsDualStackIPStrings: exactly one address of each family.
        let v4 = ips.iter().filter(|ip| family_of(ip) == "IPv4").count();
        if ips.len() != 2 || v4 != 1 {
            errors.push(FieldError::invalid(
                "spec.clusterIPs",
                shown(),
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless_exactly(spec) {
        for (index, (ip, family)) in ips.iter().zip(&spec.ip_families).enumerate() {
            let actual = family_of(ip);
            if (family == "IPv4" || family == "IPv6") && actual != family {
                errors.push(FieldError::invalid(
                    format!("spec.clusterIPs[{index}]"),
                    quoted(ip),
                    format!("expected an {family} value as indicated by `ipFamilies[{index}]`"),
                ));
            }
        }
    }
    errors
}

const IP_FAMILIES: &[&str] = &["IPv4", "IPv6"];

/// The family of a valid address, as `netutils.IsIPv6String` tells it.
fn family_of(ip: &str) -> &'static str {
    match parse_ip_sloppy(ip) {
        Some(std::net::IpAddr::V6(_)) => "IPv6",
        _ => "IPv4",
    }
}

/// `validateServiceExternalTrafficPolicy` and `validateServiceInternalTrafficFieldsValue`.
fn validate_traffic_policies(spec: &ServiceSpec, type_: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let external = spec.external_traffic_policy.as_deref().unwrap_or("");
    if !externally_accessible(spec) {
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
    let health = spec.health_check_node_port.unwrap_or(0);
    if !needs_health_check(spec) {
        if health != 0 {
            errors.push(FieldError::invalid(
                "spec.healthCheckNodePort",
                health.to_string(),
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            ));
        }
    } else if health == 0 {
        errors.push(FieldError::required("spec.healthCheckNodePort", ""));
    } else {
        for message in port_number_errors(health) {
            errors.push(FieldError::invalid(
                "spec.healthCheckNodePort",
                health.to_string(),
                message,
            ));
        }
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

/// `ValidateLoadBalancerStatus` for the ingress entries a manifest gives (a real API server
/// clears status on create; the cloud provider writes it later through `/status`, where these
/// checks apply): each IP valid, `ipMode` only with an IP and one of `Proxy`, `VIP`, each
/// hostname a DNS subdomain and not an IP.
pub fn validate_load_balancer_status(service: &Service) -> Vec<FieldError> {
    const IP_MODES: &[&str] = &["Proxy", "VIP"];
    let mut errors = Vec::new();
    if service.spec.type_.as_deref() != Some("LoadBalancer")
        && !service.load_balancer_ingress.is_empty()
    {
        errors.push(FieldError::forbidden(
            "status.loadBalancer.ingress",
            "may only be used when `spec.type` is 'LoadBalancer'",
        ));
        return errors;
    }
    for (index, ingress) in service.load_balancer_ingress.iter().enumerate() {
        let path = format!("status.loadBalancer.ingress[{index}]");
        let ip = ingress.ip.as_deref().unwrap_or("");
        if !ip.is_empty() {
            invalid_each(&mut errors, format!("{path}.ip"), ip, ip_errors(ip));
        }
        match ingress.ip_mode.as_deref() {
            None if !ip.is_empty() => errors.push(FieldError::required(
                format!("{path}.ipMode"),
                "must be specified when `ip` is set",
            )),
            Some(_) if ip.is_empty() => errors.push(FieldError::forbidden(
                format!("{path}.ipMode"),
                "may not be specified when `ip` is not set",
            )),
            Some(mode) if !IP_MODES.contains(&mode) => errors.push(FieldError::not_supported(
                format!("{path}.ipMode"),
                mode,
                IP_MODES,
            )),
            _ => {}
        }
        if let Some(hostname) = ingress.hostname.as_deref().filter(|name| !name.is_empty()) {
            invalid_each(
                &mut errors,
                format!("{path}.hostname"),
                hostname,
                dns1123_subdomain_errors(hostname),
            );
            if parse_ip_sloppy(hostname).is_some() {
                errors.push(FieldError::invalid(
                    format!("{path}.hostname"),
                    quoted(hostname),
                    "must be a DNS name, not an IP address",
                ));
            }
        }
    }
    errors
}

/// The Service allocators of one cluster: cluster IPs, one allocator per service range (one
/// per family on a dual-stack cluster), and node ports, each remembering its owner
/// (`namespace/name`; empty for a value reserved and given back).
#[derive(Clone, Debug)]
pub struct Allocators {
    config: ClusterConfig,
    /// Per service range, the primary first: the range and its addresses by offset in it (one
    /// map type for addresses and ports: one copy of the B-tree code).
    ips: Vec<(Cidr, BTreeMap<u32, String>)>,
    node_ports: BTreeMap<u32, String>,
}

/// The most addresses an allocator hands out: the bitmap allocator's 20 bits (larger ranges
/// are refused by kube-apiserver's flag validation; a configuration built in code may still
/// hold one).
const MAX_RANGE: u64 = 1 << 20;

impl Allocators {
    /// Empty allocators for `config`.
    pub fn new(config: &ClusterConfig) -> Self {
        Allocators {
            config: config.clone(),
            ips: config
                .service_families()
                .into_iter()
                .filter_map(|family| config.service_cidr_of(family))
                .map(|cidr| (cidr, BTreeMap::new()))
                .collect(),
            node_ports: BTreeMap::new(),
        }
    }

    /// The families with an allocator, the primary first.
    fn families(&self) -> Vec<Family> {
        self.config.service_families()
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

    /// Reserves the explicit cluster IP `text` for `owner` in its family's range.
    pub fn reserve_ip(
        &mut self,
        text: &str,
        all: &[String],
        owner: &str,
    ) -> Result<IpAddr, FieldError> {
        let value = go_string_slice("[]string", all);
        let ip = parse_ip_sloppy(text).ok_or_else(|| {
            FieldError::invalid(
                "spec.clusterIPs[0]",
                quoted(text),
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            )
        })?;
        let family = if ip.is_ipv4() { Family::V4 } else { Family::V6 };
        let Some((cidr, taken)) = self
            .ips
            .iter_mut()
            .find(|(cidr, _)| cidr.family() == family)
        else {
            return Err(FieldError::invalid(
                "spec.clusterIPs",
                value,
                format!(
                    "failed to allocate IP {ip}: {} is not configured on this cluster",
                    family.name()
                ),
            ));
        };
        let cidr = *cidr;
        let offset = cidr.offset_of(ip);
        let size = cidr.size().min(MAX_RANGE);
        if !cidr.contains(ip) || offset == 0 || offset + 1 >= size {
            return Err(FieldError::invalid(
                "spec.clusterIPs",
                value,
                format!(
                    "failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {cidr}"
                ),
            ));
        }
        if !take(taken, offset as u32, owner) {
            return Err(FieldError::invalid(
                "spec.clusterIPs",
                value,
                format!("failed to allocate IP {ip}: provided IP is already allocated"),
            ));
        }
        Ok(ip)
    }

    /// Allocates a free cluster IP of `family` for `owner` from the dynamic band.
    pub fn allocate_ip(&mut self, owner: &str, family: Family) -> Option<IpAddr> {
        let (cidr, taken) = self
            .ips
            .iter_mut()
            .find(|(cidr, _)| cidr.family() == family)?;
        let size = cidr.size().min(MAX_RANGE);
        if size < 4 {
            return None;
        }
        // The broadcast address is a valid one in IPv6, but the bitmap allocator keeps the
        // same bounds for both families (offsets 1..=size-2).
        let usable = size - 2;
        let band = Self::ip_static_band(size).min(usable.saturating_sub(1));
        let dynamic = usable - band;
        let seed = match family {
            Family::V4 => stable_hash(owner),
            Family::V6 => stable_hash_parts(&[owner, "/IPv6"]),
        };
        let start = seed % dynamic.max(1);
        for step in 0..usable {
            // Dynamic band first, then the static band, as upstream falls back.
            let offset = if step < dynamic {
                1 + band + (start + step) % dynamic
            } else {
                1 + (step - dynamic)
            };
            if take(taken, offset as u32, owner) {
                return Some(cidr.nth(offset));
            }
        }
        None
    }

    /// The allocator key of an address handed out: its family and offset in the range.
    fn key(&self, ip: IpAddr) -> Option<(Family, u32)> {
        let (cidr, _) = self.ips.iter().find(|(cidr, _)| cidr.contains(ip))?;
        Some((cidr.family(), u32::try_from(cidr.offset_of(ip)).ok()?))
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
        if take(&mut self.node_ports, u32::from(number), owner) {
            Ok(number)
        } else {
            Err(FieldError::invalid(
                path,
                port.to_string(),
                "provided port is already allocated",
            ))
        }
    }

    /// Gives back what a refused Service reserved.
    fn release(&mut self, reserved: &Reserved) {
        // Marked free rather than removed: B-tree removal would be a large piece of code in
        // the browser build for this one rare path.
        for (family, offset) in &reserved.ips {
            let range = self
                .ips
                .iter_mut()
                .find(|(cidr, _)| cidr.family() == *family);
            if let Some(owner) = range.and_then(|(_, taken)| taken.get_mut(offset)) {
                owner.clear();
            }
        }
        for port in &reserved.node_ports {
            if let Some(owner) = self.node_ports.get_mut(port) {
                owner.clear();
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
            if take(&mut self.node_ports, u32::from(port), owner) {
                return Some(port);
            }
        }
        None
    }
}

/// Takes `key` for `owner` when it is free (absent, or released: an empty owner). Every owner
/// is `namespace/name`, never empty.
fn take(map: &mut BTreeMap<u32, String>, key: u32, owner: &str) -> bool {
    match map.get_mut(&key) {
        Some(held) if !held.is_empty() => false,
        Some(held) => {
            held.push_str(owner);
            true
        }
        None => {
            map.insert(key, owner.to_owned());
            true
        }
    }
}

/// Why the API server refused to create an object, as `kubectl apply` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// `errors.NewInvalid`: `The Service "web" is invalid: ...`.
    Invalid(Vec<FieldError>),
    /// `errors.NewInternalError`: `Error from server (InternalError): ... Internal error
    /// occurred: failed to allocate a serviceIP: range is full`.
    Internal(String),
}

/// The outcome of creating one Service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Stored, defaulted and allocated.
    Created(Box<Service>),
    /// Rejected, and why.
    Rejected(Rejection),
}

/// What one Service reserved, to give back when its creation fails later (the REST storage's
/// transaction `Revert`).
#[derive(Default)]
struct Reserved {
    /// Addresses, by family and offset in its range.
    ips: Vec<(Family, u32)>,
    node_ports: Vec<u32>,
}

/// Creates `services` as the API server's REST create path does (`Store.Create` and the
/// Service storage's `beginCreate`, `pkg/registry/core/service/storage`), in this order, which
/// decides which error a user sees:
///
/// 1. `SetDefaults_Service` (decoding);
/// 2. a name from `generateName` (`names.SimpleNameGenerator`; the five characters are a
///    stable draw instead of a random one);
/// 3. `normalizeClusterIPs`: `clusterIP` alone is copied into `clusterIPs`, never the reverse;
/// 4. `initIPFamilyFields`: the policy's default, `ValidateServiceClusterIPsRelatedFields`
///    (its errors stop here), the policy against the addresses and families given, the
///    families against what this single-stack IPv4 cluster serves;
/// 5. allocation: the cluster IP, then node ports as `initNodePorts` shares them between ports
///    of the same number, then the health check node port; an allocator's refusal is the
///    error;
/// 6. `ValidateService` on the result.
///
/// Explicit addresses and ports are reserved (and the Service validated) for every Service
/// first, in input order, and the dynamic ones drawn afterwards, so that a drawn value never
/// takes one a later Service asks for (upstream draws at random, where such a clash is rare;
/// svcscope draws at a stable hash). A Service refused after reserving gives its values back.
pub fn create_services(allocators: &mut Allocators, services: Vec<Service>) -> Vec<Admission> {
    let mut admissions: Vec<Admission> = Vec::with_capacity(services.len());
    let mut reservations: Vec<Reserved> = Vec::with_capacity(services.len());
    for (index, mut service) in services.into_iter().enumerate() {
        match prepare(allocators, &mut service, index) {
            Ok(reserved) => {
                admissions.push(Admission::Created(Box::new(service)));
                reservations.push(reserved);
            }
            Err(rejection) => {
                admissions.push(Admission::Rejected(rejection));
                reservations.push(Reserved::default());
            }
        }
    }
    for (admission, reserved) in admissions.iter_mut().zip(reservations.iter_mut()) {
        let Admission::Created(service) = admission else {
            continue;
        };
        if let Err(rejection) = allocate_dynamic(allocators, service, reserved) {
            allocators.release(reserved);
            *admission = Admission::Rejected(rejection);
        }
    }
    admissions
}

/// Steps 1 to 4, the explicit reservations of step 5, and step 6.
fn prepare(
    allocators: &mut Allocators,
    service: &mut Service,
    index: usize,
) -> Result<Reserved, Rejection> {
    default_service(service);
    if service.meta.name.is_empty() {
        if let Some(base) = service
            .meta
            .generate_name
            .clone()
            .filter(|base| !base.is_empty())
        {
            let seed = format!("service/{}/{base}/{index}", service.meta.namespace);
            service.meta.name = format!(
                "{}{}",
                crate::sim::control::endpoints::generate_name_base(&base),
                crate::sim::control::workloads::random_suffix(&seed)
            );
        }
    }
    let spec = &mut service.spec;
    if spec.cluster_ip.as_deref().is_some_and(|ip| !ip.is_empty()) && spec.cluster_ips.is_empty() {
        spec.cluster_ips = spec.cluster_ip.iter().cloned().collect();
    }
    let families = allocators.families();
    init_ip_family_fields(spec, &families).map_err(Rejection::Invalid)?;
    let mut reserved = Reserved::default();
    if let Err(rejection) = reserve_explicit(allocators, service, &mut reserved) {
        allocators.release(&reserved);
        return Err(rejection);
    }
    // Validation sees the Service as allocation leaves it. The only value it checks that a
    // later draw fills is the health check node port (Required when 0); any drawn port passes,
    // so one stands in while validating, and the field is put back for the draw.
    let health = service.spec.health_check_node_port;
    if needs_health_check(&service.spec) && health.unwrap_or(0) == 0 {
        service.spec.health_check_node_port = Some(i64::from(allocators.config.node_port_range.0));
    }
    let errors = validate_service(service);
    service.spec.health_check_node_port = health;
    if errors.is_empty() {
        Ok(reserved)
    } else {
        allocators.release(&reserved);
        Err(Rejection::Invalid(errors))
    }
}

/// `apiservice.ExternallyAccessible`: NodePort, LoadBalancer, or ClusterIP with `externalIPs`.
pub fn externally_accessible(spec: &ServiceSpec) -> bool {
    match spec.type_.as_deref() {
        Some("NodePort" | "LoadBalancer") => true,
        Some("ClusterIP") => !spec.external_ips.is_empty(),
        _ => false,
    }
}

/// `apiservice.NeedsHealthCheck`: LoadBalancer with `externalTrafficPolicy: Local`.
pub fn needs_health_check(spec: &ServiceSpec) -> bool {
    spec.type_.as_deref() == Some("LoadBalancer")
        && spec.external_traffic_policy.as_deref() == Some("Local")
}

/// `initIPFamilyFields` (`pkg/registry/core/service/storage/alloc.go`) on a create, against
/// the families the cluster's service ranges serve (`families`, the primary first).
fn init_ip_family_fields(
    spec: &mut ServiceSpec,
    families: &[Family],
) -> Result<(), Vec<FieldError>> {
    if spec.type_.as_deref() == Some("ExternalName") {
        return Ok(());
    }
    let headless_selectorless = spec.cluster_ip.as_deref() == Some("None")
        && spec.selector.as_ref().is_none_or(BTreeMap::is_empty);
    if spec.ip_family_policy.is_none() {
        spec.ip_family_policy = Some(if headless_selectorless {
            "RequireDualStack".to_owned()
        } else {
            "SingleStack".to_owned()
        });
    }
    let errors = validate_cluster_ips_related_fields(spec);
    if !errors.is_empty() {
        return Err(errors);
    }
    let configured =
        |family: &str| Family::from_name(family).is_some_and(|f| families.contains(&f));
    let mut errors = Vec::new();
    let policy = spec.ip_family_policy.clone().unwrap_or_default();
    let policy_value = quoted(&policy);
    if policy == "SingleStack" {
        if spec.cluster_ips.len() == 2 {
            errors.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified",
            ));
        }
        if spec.ip_families.len() == 2 {
            errors.push(FieldError::invalid(
                "spec.ipFamilyPolicy",
                policy_value.clone(),
                "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
            ));
        }
    }
    // Infer families from the addresses given.
    for (index, ip) in spec.cluster_ips.clone().iter().enumerate() {
        if ip == "None" {
            break;
        }
        if index >= spec.ip_families.len() {
            let family = family_of(ip);
            if configured(family) {
                spec.ip_families.push(family.to_owned());
            } else {
                errors.push(FieldError::invalid(
                    format!("spec.clusterIPs[{index}]"),
                    go_string_slice("[]string", &spec.cluster_ips),
                    format!("{family} is not configured on this cluster"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let default_family = families.first().copied().unwrap_or(Family::V4).name();
    let other = |family: &str| if family == "IPv4" { "IPv6" } else { "IPv4" };
    if headless_selectorless {
        // Allowed on a single-stack cluster too: such a Service may list both families.
        if spec.ip_families.is_empty() {
            spec.ip_families.push(default_family.to_owned());
        }
        if spec.ip_families.len() < 2 && policy != "SingleStack" {
            let first = spec.ip_families.first().cloned().unwrap_or_default();
            spec.ip_families.push(other(&first).to_owned());
        }
        return Ok(());
    }
    if policy == "RequireDualStack" && families.len() < 2 {
        errors.push(FieldError::invalid(
            "spec.ipFamilyPolicy",
            policy_value,
            "this cluster is not configured for dual-stack services",
        ));
    }
    for (index, family) in spec.ip_families.iter().enumerate() {
        if !configured(family) {
            errors.push(FieldError::invalid(
                format!("spec.ipFamilies[{index}]"),
                quoted(family),
                "not configured on this cluster",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if spec.ip_families.is_empty() {
        spec.ip_families.push(default_family.to_owned());
    }
    if policy != "SingleStack" && spec.ip_families.len() == 1 && families.len() == 2 {
        let first = spec.ip_families.first().cloned().unwrap_or_default();
        spec.ip_families.push(other(&first).to_owned());
    }
    Ok(())
}

/// The explicit cluster IP and node ports (`allocIPs` with an address, `initNodePorts` with
/// requested ports, `allocHealthCheckNodePort` with one).
fn reserve_explicit(
    allocators: &mut Allocators,
    service: &mut Service,
    reserved: &mut Reserved,
) -> Result<(), Rejection> {
    let owner = owner_of(service);
    let spec = &mut service.spec;
    let type_ = spec.type_.clone().unwrap_or_default();
    if type_ != "ExternalName" && !is_headless(spec) {
        // allocIPs: each address given, in its family's range.
        for ip in spec.cluster_ips.iter().filter(|ip| !ip.is_empty()) {
            let ip = allocators
                .reserve_ip(ip, &spec.cluster_ips, &owner)
                .map_err(|error| Rejection::Invalid(vec![error]))?;
            reserved.ips.extend(allocators.key(ip));
        }
    }
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer") {
        // initNodePorts: ports of the same number share one node port, the first one given for
        // that number; a port that names another one of its own allocates that too.
        let allocate_new = uses_node_ports(spec);
        let mut by_number: Vec<(i64, i64)> = Vec::new();
        for index in 0..spec.ports.len() {
            let Some(port) = spec.ports.get(index) else {
                continue;
            };
            let number = port.port.unwrap_or(0);
            let node_port = port.node_port.unwrap_or(0);
            if node_port == 0 && !allocate_new {
                continue;
            }
            let requested = match by_number.iter().find(|(seen, _)| *seen == number) {
                None => {
                    let first = spec
                        .ports
                        .iter()
                        .filter(|other| other.port.unwrap_or(0) == number)
                        .find_map(|other| other.node_port.filter(|port| *port != 0))
                        .unwrap_or(0);
                    by_number.push((number, first));
                    first
                }
                Some((_, shared)) if node_port != 0 && node_port != *shared => node_port,
                Some(_) => continue,
            };
            if requested == 0 {
                continue;
            }
            let port = allocators
                .reserve_node_port(requested, index, &owner)
                .map_err(|error| Rejection::Invalid(vec![error]))?;
            reserved.node_ports.push(u32::from(port));
            if let Some(port) = spec.ports.get_mut(index) {
                port.node_port = Some(requested);
            }
        }
    }
    let health = spec.health_check_node_port.unwrap_or(0);
    if needs_health_check(spec) && health != 0 {
        // txnAllocNodePorts wraps this refusal in an internal error.
        let port = allocators
            .reserve_node_port(health, 0, &owner)
            .map_err(|error| {
                Rejection::Internal(format!(
                    "failed to allocate requested HealthCheck NodePort {health}: {}",
                    error.detail
                ))
            })?;
        reserved.node_ports.push(u32::from(port));
    }
    Ok(())
}

/// The drawn cluster IP, node ports and health check node port.
fn allocate_dynamic(
    allocators: &mut Allocators,
    service: &mut Service,
    reserved: &mut Reserved,
) -> Result<(), Rejection> {
    let owner = owner_of(service);
    let spec = &mut service.spec;
    let type_ = spec.type_.clone().unwrap_or_default();
    if type_ == "ExternalName" {
        // Seed 002 shows a NodePort Service turned ExternalName keeping no node port
        // (`kubectl describe` prints no NodePort line): ExternalName ports get none.
        for port in &mut spec.ports {
            port.node_port = None;
        }
        return Ok(());
    }
    if !is_headless(spec) {
        // allocClusterIPs: one address per family in `ipFamilies`, the ones not given drawn.
        for (index, family) in spec.ip_families.clone().iter().enumerate() {
            if spec.cluster_ips.get(index).is_some_and(|ip| !ip.is_empty()) {
                continue;
            }
            let Some(family) = Family::from_name(family) else {
                continue;
            };
            let ip = allocators.allocate_ip(&owner, family).ok_or_else(|| {
                Rejection::Internal("failed to allocate a serviceIP: range is full".to_owned())
            })?;
            reserved.ips.extend(allocators.key(ip));
            match spec.cluster_ips.get_mut(index) {
                Some(slot) => *slot = ip.to_string(),
                None => spec.cluster_ips.push(ip.to_string()),
            }
        }
        spec.cluster_ip = spec.cluster_ips.first().cloned();
    }
    if matches!(type_.as_str(), "NodePort" | "LoadBalancer") {
        let allocate_new = uses_node_ports(spec);
        let mut by_port: Vec<(i64, i64)> = spec
            .ports
            .iter()
            .filter_map(|port| Some((port.port.unwrap_or(0), port.node_port.filter(|n| *n != 0)?)))
            .collect();
        for (index, port) in spec.ports.iter_mut().enumerate() {
            if port.node_port.unwrap_or(0) != 0 || !allocate_new {
                continue;
            }
            let number = port.port.unwrap_or(0);
            if let Some((_, shared)) = by_port.iter().find(|(seen, _)| *seen == number) {
                port.node_port = Some(*shared);
                continue;
            }
            let drawn = allocators
                .allocate_node_port(&owner, &index.to_string())
                .ok_or_else(|| {
                    Rejection::Internal("failed to allocate a nodePort: range is full".to_owned())
                })?;
            reserved.node_ports.push(u32::from(drawn));
            port.node_port = Some(i64::from(drawn));
            by_port.push((number, i64::from(drawn)));
        }
    }
    if needs_health_check(spec) && spec.health_check_node_port.unwrap_or(0) == 0 {
        let drawn = allocators
            .allocate_node_port(&owner, "healthCheckNodePort")
            .ok_or_else(|| {
                Rejection::Internal(
                    "failed to allocate a HealthCheck NodePort 0: range is full".to_owned(),
                )
            })?;
        reserved.node_ports.push(u32::from(drawn));
        spec.health_check_node_port = Some(i64::from(drawn));
    }
    Ok(())
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
    kubernetes.meta.labels = crate::small::order::map_from([
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
    dns.meta.labels = crate::small::order::map_from([
        ("k8s-app".to_owned(), "kube-dns".to_owned()),
        (
            "kubernetes.io/cluster-service".to_owned(),
            "true".to_owned(),
        ),
        ("kubernetes.io/name".to_owned(), "CoreDNS".to_owned()),
    ]);
    dns.meta.annotations = crate::small::order::map_from([
        ("prometheus.io/port".to_owned(), "9153".to_owned()),
        ("prometheus.io/scrape".to_owned(), "true".to_owned()),
    ]);
    dns.spec.selector = Some(crate::small::order::map_from([(
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
        invalid_each(&mut errors, "metadata.name", name, name_errors);
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
            invalid_each(
                &mut errors,
                format!("{path}.name"),
                name,
                dns1123_label_errors(name),
            );
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
