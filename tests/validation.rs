//! The API server's whole create path for Services, rule by rule: `ValidateObjectMeta`,
//! `ValidateService`, `ValidateServiceClusterIPsRelatedFields`, and the REST storage's
//! `initIPFamilyFields` and allocators, in the order that decides which error a user sees.
//!
//! Each expected text is what `kubectl apply` prints for the error: the field error format of
//! apimachinery `pkg/util/validation/field` (`errors.go`: `Error.ErrorBody`, values in Go's
//! `%q`/`%#v`) and the detail text of the function cited beside each case, from kubernetes
//! 1.34:
//! - `pkg/apis/core/validation/validation.go`: `ValidateService`, `validateServicePort`,
//!   `validateClientIPAffinityConfig`/`validateAffinityTimeout`, `ValidateNonSpecialIP`,
//!   `ValidateServiceClusterIPsRelatedFields`, `validateLoadBalancerClassField`,
//!   `validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue`,
//!   `validateServiceTrafficDistribution`, `ValidateLoadBalancerStatus`;
//! - apimachinery `pkg/api/validation/objectmeta.go` (`ValidateObjectMetaAccessor`,
//!   `ValidateAnnotations`, `maskTrailingDash`) and `pkg/util/validation` (`IsQualifiedName`,
//!   `ip.go`: `IsValidIP`, `IsValidCIDR`);
//! - `pkg/registry/core/service/storage/alloc.go` (`initIPFamilyFields`, `allocIPs`,
//!   `initNodePorts`, `allocHealthCheckNodePort`) and `storage.go` (`normalizeClusterIPs`),
//!   with the `ipallocator`/`portallocator` error texts.
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

use svcscope::sim::config::{Cidr, ClusterConfig};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::input::diagnostic::Severity;
use svcscope::sim::kubectl::describe;

#[path = "common/apply.rs"]
mod apply;

/// What `kubectl apply -f svc.yaml` reports for the Service `name`: `created`, or the error.
fn outcome(yaml: &str, name: &str, config: &ClusterConfig) -> String {
    let cluster = Cluster::build(yaml, config);
    apply::rejection(&cluster, name).unwrap_or_else(|| {
        assert!(
            cluster
                .services
                .iter()
                .any(|service| service.meta.name == name),
            "{name} neither created nor rejected"
        );
        "created".to_owned()
    })
}

fn service(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

fn with_meta(meta: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n{meta}spec:\n{spec}")
}

const PORT: &str = "  ports:\n  - port: 80\n";
const DNS1035: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const CIDR: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
const IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/// (name, manifest, expected); `{Q}`, `{DNS1035}`, `{CIDR}` and `{IP}` stand for the long
/// regex messages above.
fn cases() -> Vec<(&'static str, String, String)> {
    let big = "x".repeat(256 * 1024);
    let rows: Vec<(&str, String, &str)> = vec![
        // --- ValidateObjectMetaAccessor
        (
            // generateName is checked as a prefix (maskTrailingDash), then the generated name.
            "gen-ok",
            with_meta("  generateName: gen-\n", PORT),
            "created",
        ),
        (
            "big-annotations",
            with_meta(
                &format!("  name: big-annotations\n  annotations:\n    note: {big}\n"),
                PORT,
            ),
            "The Service \"big-annotations\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes",
        ),
        (
            // ValidateAnnotations: keys are qualified names once lowercased ("Note" is fine).
            "bad-annotation",
            with_meta(
                "  name: bad-annotation\n  annotations:\n    Note: ok\n    \"two words\": x\n",
                PORT,
            ),
            "The Service \"bad-annotation\" is invalid: metadata.annotations: Invalid value: \"two words\": name part {Q}",
        ),
        (
            "bad-annotation-prefix",
            with_meta(
                "  name: bad-annotation-prefix\n  annotations:\n    a/b/c: x\n",
                PORT,
            ),
            "The Service \"bad-annotation-prefix\" is invalid: metadata.annotations: Invalid value: \"a/b/c\": a qualified name {Q} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ),
        (
            "bad-label",
            with_meta("  name: bad-label\n  labels:\n    app: -web\n", PORT),
            "The Service \"bad-label\" is invalid: metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
        (
            "bad-namespace",
            with_meta("  name: bad-namespace\n  namespace: Prod\n", PORT),
            "The Service \"bad-namespace\" is invalid: metadata.namespace: Invalid value: \"Prod\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            "negative-generation",
            with_meta("  name: negative-generation\n  generation: -1\n", PORT),
            "The Service \"negative-generation\" is invalid: metadata.generation: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            // validateOwnerReference: "v1/apps/x" has no version; the uid is missing.
            "owner",
            with_meta(
                "  name: owner\n  ownerReferences:\n  - apiVersion: v1/apps/x\n    kind: ConfigMap\n    name: cm\n",
                PORT,
            ),
            "The Service \"owner\" is invalid: [metadata.ownerReferences.apiVersion: Invalid value: \"v1/apps/x\": version must not be empty, metadata.ownerReferences.uid: Invalid value: \"\": uid must not be empty]",
        ),
        (
            "owner-ok",
            with_meta(
                "  name: owner-ok\n  ownerReferences:\n  - apiVersion: apps/v1\n    kind: Deployment\n    name: web\n    uid: 6c1a1b7e-0d51-4c1d-9a53-1f3a5e0c2b11\n    controller: true\n",
                PORT,
            ),
            "created",
        ),
        (
            "finalizers",
            with_meta(
                "  name: finalizers\n  finalizers:\n  - example.com/cleanup\n  - kubernetes\n  - cleanup\n  - bad finalizer\n",
                PORT,
            ),
            "The Service \"finalizers\" is invalid: [metadata.finalizers: Invalid value: \"bad finalizer\": name part {Q}, metadata.finalizers[2]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified, metadata.finalizers[3]: Invalid value: \"bad finalizer\": name is neither a standard finalizer name nor is it fully qualified]",
        ),
        (
            "both-deletions",
            with_meta(
                "  name: both-deletions\n  finalizers:\n  - orphan\n  - foregroundDeletion\n",
                PORT,
            ),
            "The Service \"both-deletions\" is invalid: metadata.finalizers: Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: finalizer orphan and foregroundDeletion cannot be both set",
        ),
        // --- ValidateService: annotations
        (
            "topology",
            with_meta(
                "  name: topology\n  annotations:\n    service.kubernetes.io/topology-mode: Auto\n    service.kubernetes.io/topology-aware-hints: Disabled\n",
                PORT,
            ),
            "The Service \"topology\" is invalid: metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: \"Auto\": must match annotations[service.kubernetes.io/topology-aware-hints] when both are specified",
        ),
        // --- validateServicePort
        (
            "app-protocol-ok",
            service("app-protocol-ok", "  ports:\n  - port: 80\n    appProtocol: kubernetes.io/h2c\n"),
            "created",
        ),
        (
            "app-protocol",
            service("app-protocol", "  ports:\n  - port: 80\n    appProtocol: -http\n"),
            "The Service \"app-protocol\" is invalid: spec.ports[0].appProtocol: Invalid value: \"-http\": name part {Q}",
        ),
        (
            "app-protocol-prefix",
            service("app-protocol-prefix", "  ports:\n  - port: 80\n    appProtocol: Example.com/h2c\n"),
            "The Service \"app-protocol-prefix\" is invalid: spec.ports[0].appProtocol: Invalid value: \"Example.com/h2c\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
        (
            "two-unnamed",
            service("two-unnamed", "  ports:\n  - port: 80\n  - port: 443\n"),
            "The Service \"two-unnamed\" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]",
        ),
        (
            "bad-port-name",
            service("bad-port-name", "  ports:\n  - name: HTTP\n    port: 80\n"),
            "The Service \"bad-port-name\" is invalid: spec.ports[0].name: Invalid value: \"HTTP\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            "bad-protocol",
            service("bad-protocol", "  ports:\n  - port: 80\n    protocol: HTTP\n"),
            "The Service \"bad-protocol\" is invalid: spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        ),
        (
            "port-zero",
            service("port-zero", "  ports:\n  - port: 70000\n    targetPort: 80\n"),
            "The Service \"port-zero\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        ),
        // --- session affinity
        (
            "affinity-zero",
            service("affinity-zero", "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n  ports:\n  - port: 80\n"),
            "The Service \"affinity-zero\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400",
        ),
        (
            "affinity-long",
            service("affinity-long", "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 86401\n  ports:\n  - port: 80\n"),
            "The Service \"affinity-long\" is invalid: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400",
        ),
        (
            "affinity-day",
            service("affinity-day", "  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 86400\n  ports:\n  - port: 80\n"),
            "created",
        ),
        (
            "affinity-none-config",
            service("affinity-none-config", "  sessionAffinity: None\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 60\n  ports:\n  - port: 80\n"),
            // SetDefaults_Service drops the config of `None` before validation could forbid it.
            "created",
        ),
        (
            "affinity-sticky",
            service("affinity-sticky", "  sessionAffinity: Sticky\n  ports:\n  - port: 80\n"),
            "The Service \"affinity-sticky\" is invalid: spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"",
        ),
        // --- ValidateServiceClusterIPsRelatedFields (run by initIPFamilyFields first)
        (
            // normalizeClusterIPs copies clusterIP into clusterIPs, never the reverse.
            "ips-without-ip",
            service("ips-without-ip", "  clusterIPs:\n  - 10.96.0.50\n  ports:\n  - port: 80\n"),
            "The Service \"ips-without-ip\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.50\"}: must be empty when `clusterIP` is not specified",
        ),
        (
            "ips-mismatch",
            service("ips-mismatch", "  clusterIP: 10.96.0.50\n  clusterIPs:\n  - 10.96.0.51\n  ports:\n  - port: 80\n"),
            "The Service \"ips-mismatch\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.51\"}: first value must match `clusterIP`",
        ),
        (
            "none-and-ip",
            service("none-and-ip", "  clusterIP: None\n  clusterIPs:\n  - None\n  - 10.96.0.50\n  ports:\n  - port: 80\n"),
            "The Service \"none-and-ip\" is invalid: spec.clusterIPs: Invalid value: []string{\"None\", \"10.96.0.50\"}: 'None' must be the first and only value",
        ),
        (
            "three-ips",
            service("three-ips", "  clusterIP: 10.96.0.50\n  clusterIPs:\n  - 10.96.0.50\n  - 10.96.0.51\n  - 10.96.0.52\n  ports:\n  - port: 80\n"),
            "The Service \"three-ips\" is invalid: [spec.clusterIPs: Invalid value: []string{\"10.96.0.50\", \"10.96.0.51\", \"10.96.0.52\"}: may only hold up to 2 values, spec.clusterIPs: Invalid value: []string{\"10.96.0.50\", \"10.96.0.51\", \"10.96.0.52\"}: may specify no more than one IP for each IP family]",
        ),
        (
            "two-v4",
            service("two-v4", "  clusterIP: 10.96.0.50\n  clusterIPs:\n  - 10.96.0.50\n  - 10.96.0.51\n  ports:\n  - port: 80\n"),
            "The Service \"two-v4\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.50\", \"10.96.0.51\"}: may specify no more than one IP for each IP family",
        ),
        (
            "bad-ip",
            service("bad-ip", "  clusterIP: 10.96.0.300\n  ports:\n  - port: 80\n"),
            "The Service \"bad-ip\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.300\": {IP}",
        ),
        (
            // netutils.ParseIPSloppy reads leading zeros as decimal.
            "leading-zero",
            service("leading-zero", "  clusterIP: 10.96.0.050\n  ports:\n  - port: 80\n"),
            "created",
        ),
        (
            "family-mismatch",
            service("family-mismatch", "  clusterIP: 10.96.0.50\n  ipFamilies:\n  - IPv6\n  ports:\n  - port: 80\n"),
            "The Service \"family-mismatch\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.50\": expected an IPv6 value as indicated by `ipFamilies[0]`",
        ),
        (
            "family-duplicate",
            service("family-duplicate", "  ipFamilyPolicy: PreferDualStack\n  ipFamilies:\n  - IPv4\n  - IPv4\n  ports:\n  - port: 80\n"),
            "The Service \"family-duplicate\" is invalid: spec.ipFamilies[1]: Duplicate value: \"IPv4\"",
        ),
        (
            "family-unknown",
            service("family-unknown", "  ipFamilies:\n  - IPv5\n  ports:\n  - port: 80\n"),
            "The Service \"family-unknown\" is invalid: spec.ipFamilies[0]: Unsupported value: \"IPv5\": supported values: \"IPv4\", \"IPv6\"",
        ),
        (
            "policy-unknown",
            service("policy-unknown", "  ipFamilyPolicy: DualStack\n  ports:\n  - port: 80\n"),
            "The Service \"policy-unknown\" is invalid: spec.ipFamilyPolicy: Unsupported value: \"DualStack\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"",
        ),
        // --- initIPFamilyFields on a single-stack IPv4 cluster
        (
            "single-two-families",
            service("single-two-families", "  ipFamilyPolicy: SingleStack\n  ipFamilies:\n  - IPv4\n  - IPv6\n  ports:\n  - port: 80\n"),
            "The Service \"single-two-families\" is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified",
        ),
        (
            "require-dual",
            service("require-dual", "  ipFamilyPolicy: RequireDualStack\n  ports:\n  - port: 80\n"),
            "The Service \"require-dual\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services",
        ),
        (
            "prefer-dual",
            service("prefer-dual", "  ipFamilyPolicy: PreferDualStack\n  ports:\n  - port: 80\n"),
            "created",
        ),
        (
            "v6-family",
            service("v6-family", "  ipFamilies:\n  - IPv6\n  ports:\n  - port: 80\n"),
            "The Service \"v6-family\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster",
        ),
        (
            "v6-address",
            service("v6-address", "  clusterIP: fd00::10\n  ports:\n  - port: 80\n"),
            "The Service \"v6-address\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"fd00::10\"}: IPv6 is not configured on this cluster",
        ),
        (
            // Headless without a selector: RequireDualStack is allowed even here.
            "headless-manual",
            service("headless-manual", "  clusterIP: None\n  ports:\n  - port: 80\n"),
            "created",
        ),
        // --- externalIPs: IsValidIP, then ValidateNonSpecialIP
        (
            "ext-loopback",
            service("ext-loopback", "  externalIPs:\n  - 127.0.0.1\n  ports:\n  - port: 80\n"),
            "The Service \"ext-loopback\" is invalid: spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ),
        (
            "ext-unspecified",
            service("ext-unspecified", "  externalIPs:\n  - 0.0.0.0\n  ports:\n  - port: 80\n"),
            "The Service \"ext-unspecified\" is invalid: spec.externalIPs[0]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)",
        ),
        (
            "ext-link-local",
            service("ext-link-local", "  externalIPs:\n  - 169.254.169.254\n  ports:\n  - port: 80\n"),
            "The Service \"ext-link-local\" is invalid: spec.externalIPs[0]: Invalid value: \"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
        ),
        (
            "ext-multicast",
            service("ext-multicast", "  externalIPs:\n  - 224.0.0.251\n  ports:\n  - port: 80\n"),
            "The Service \"ext-multicast\" is invalid: spec.externalIPs[0]: Invalid value: \"224.0.0.251\": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
        ),
        (
            "ext-v6-loopback",
            service("ext-v6-loopback", "  externalIPs:\n  - ::1\n  ports:\n  - port: 80\n"),
            "The Service \"ext-v6-loopback\" is invalid: spec.externalIPs[0]: Invalid value: \"::1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
        ),
        (
            "ext-bad",
            service("ext-bad", "  externalIPs:\n  - example.com\n  ports:\n  - port: 80\n"),
            "The Service \"ext-bad\" is invalid: spec.externalIPs[0]: Invalid value: \"example.com\": {IP}",
        ),
        // --- load balancer fields
        (
            "ranges-on-clusterip",
            service("ranges-on-clusterip", "  loadBalancerSourceRanges:\n  - 10.0.0.0/8\n  ports:\n  - port: 80\n"),
            "The Service \"ranges-on-clusterip\" is invalid: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
        ),
        (
            "ranges-bad",
            service("ranges-bad", "  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - \" 10.0.0.0/8 \"\n  - 10.0.0.0/33\n  ports:\n  - port: 80\n"),
            "The Service \"ranges-bad\" is invalid: spec.LoadBalancerSourceRanges[1]: Invalid value: \"10.0.0.0/33\": {CIDR}",
        ),
        (
            "ranges-annotation",
            with_meta(
                "  name: ranges-annotation\n  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8\n",
                PORT,
            ),
            "The Service \"ranges-annotation\" is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may only be used when `type` is 'LoadBalancer'",
        ),
        (
            "ranges-annotation-bad",
            with_meta(
                "  name: ranges-annotation-bad\n  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: \"10.0.0.0/8, 1.2.3.4\"\n",
                "  type: LoadBalancer\n  ports:\n  - port: 80\n",
            ),
            "The Service \"ranges-annotation-bad\" is invalid: metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: \"1.2.3.4\": {CIDR}",
        ),
        (
            "class-on-clusterip",
            service("class-on-clusterip", "  loadBalancerClass: example.com/lb\n  ports:\n  - port: 80\n"),
            "The Service \"class-on-clusterip\" is invalid: spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'",
        ),
        (
            "class-bad",
            service("class-bad", "  type: LoadBalancer\n  loadBalancerClass: \"my lb\"\n  ports:\n  - port: 80\n"),
            "The Service \"class-bad\" is invalid: spec.loadBalancerClass: Invalid value: \"my lb\": name part {Q}",
        ),
        (
            "allocate-on-nodeport",
            service("allocate-on-nodeport", "  type: NodePort\n  allocateLoadBalancerNodePorts: false\n  ports:\n  - port: 80\n"),
            "The Service \"allocate-on-nodeport\" is invalid: spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
        ),
        // --- traffic policies and distribution
        (
            "health-on-nodeport",
            service("health-on-nodeport", "  type: NodePort\n  healthCheckNodePort: 30100\n  ports:\n  - port: 80\n"),
            "The Service \"health-on-nodeport\" is invalid: spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
        (
            "health-given",
            service("health-given", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30100\n  ports:\n  - port: 80\n"),
            "created",
        ),
        (
            // allocHealthCheckNodePort's refusal, wrapped as an internal error.
            "health-out-of-range",
            service("health-out-of-range", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 8080\n  ports:\n  - port: 80\n"),
            "Error from server (InternalError): error when creating \"svc.yaml\": Internal error occurred: failed to allocate requested HealthCheck NodePort 8080: provided port is not in the valid range. The range of valid ports is 30000-32767",
        ),
        (
            "etp-unknown",
            service("etp-unknown", "  type: NodePort\n  externalTrafficPolicy: Everywhere\n  ports:\n  - port: 80\n"),
            "The Service \"etp-unknown\" is invalid: spec.externalTrafficPolicy: Unsupported value: \"Everywhere\": supported values: \"Cluster\", \"Local\"",
        ),
        (
            // ClusterIP with externalIPs is externally accessible (apiservice.ExternallyAccessible).
            "etp-external-ips",
            service("etp-external-ips", "  externalTrafficPolicy: Local\n  externalIPs:\n  - 192.0.2.10\n  ports:\n  - port: 80\n"),
            "created",
        ),
        (
            "itp-unknown",
            service("itp-unknown", "  internalTrafficPolicy: Node\n  ports:\n  - port: 80\n"),
            "The Service \"itp-unknown\" is invalid: spec.internalTrafficPolicy: Unsupported value: \"Node\": supported values: \"Cluster\", \"Local\"",
        ),
        (
            "distribution",
            service("distribution", "  trafficDistribution: Nearest\n  ports:\n  - port: 80\n"),
            "The Service \"distribution\" is invalid: spec.trafficDistribution: Unsupported value: \"Nearest\": supported values: \"PreferClose\", \"PreferSameNode\", \"PreferSameZone\"",
        ),
        // --- the create path's order: allocation errors come before validation's
        (
            "taken-and-invalid",
            service("taken-and-invalid", "  clusterIP: 10.96.0.10\n  ports:\n  - name: HTTP\n    port: 53\n"),
            "The Service \"taken-and-invalid\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated",
        ),
        (
            // initNodePorts allocates the second port's node port before ValidateService's
            // duplicate check could run.
            "node-port-twice",
            service("node-port-twice", "  type: NodePort\n  ports:\n  - name: a\n    port: 80\n    nodePort: 30080\n  - name: b\n    port: 81\n    nodePort: 30080\n"),
            "The Service \"node-port-twice\" is invalid: spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated",
        ),
        (
            // The same number over TCP and UDP shares its node port.
            "dns-node-port",
            service("dns-node-port", "  type: NodePort\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n    nodePort: 30053\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n"),
            "created",
        ),
    ];
    rows.into_iter()
        .map(|(name, yaml, expected)| {
            let expected = expected
                .replace("{Q}", QUALIFIED)
                .replace("{DNS1035}", DNS1035)
                .replace("{CIDR}", CIDR)
                .replace("{IP}", IP);
            (name, yaml, expected)
        })
        .collect()
}

#[test]
fn create_path_table() {
    let config = ClusterConfig::default();
    let mut failures = Vec::new();
    let rows = cases();
    for (name, yaml, expected) in &rows {
        let lookup = if *name == "gen-ok" {
            // The generated name: the prefix and five characters of svcscope's stable draw.
            let cluster = Cluster::build(yaml, &config);
            let generated = cluster
                .services
                .iter()
                .find(|service| service.meta.generate_name.as_deref() == Some("gen-"))
                .map(|service| service.meta.name.clone())
                .unwrap_or_default();
            assert_eq!(generated.len(), 9, "{generated:?}");
            assert!(generated.starts_with("gen-"), "{generated}");
            generated
        } else {
            (*name).to_owned()
        };
        let actual = outcome(yaml, &lookup, &config);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

fn created<'c>(cluster: &'c Cluster, name: &str) -> &'c svcscope::sim::input::objects::Service {
    cluster
        .services
        .iter()
        .find(|service| service.meta.name == name)
        .unwrap_or_else(|| panic!("{name} created: {:?}", cluster.diagnostics))
}

#[test]
fn headless_without_selector_lists_both_families_even_single_stack() {
    // initIPFamilyFields' special case: RequireDualStack and both families, allowed on a
    // single-stack cluster ("the validation allows it"); `kubectl describe` shows them.
    let cluster = Cluster::build(
        &service("manual", "  clusterIP: None\n  ports:\n  - port: 80\n"),
        &ClusterConfig::default(),
    );
    let text = describe::describe_service(created(&cluster, "manual"), None);
    assert!(
        text.contains("IP Family Policy:  RequireDualStack\n"),
        "{text}"
    );
    assert!(text.contains("IP Families:       IPv4,IPv6\n"), "{text}");
    // With a selector: SingleStack, the cluster's family.
    let cluster = Cluster::build(
        &service(
            "selected",
            "  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
        ),
        &ClusterConfig::default(),
    );
    let text = describe::describe_service(created(&cluster, "selected"), None);
    assert!(text.contains("IP Family Policy:  SingleStack\n"), "{text}");
    assert!(text.contains("IP Families:       IPv4\n"), "{text}");
}

#[test]
fn ports_of_one_number_share_a_node_port() {
    // initNodePorts: `svcPortToNodePort` keys node ports by the Service port's number, so DNS
    // over UDP and TCP on 53 is reachable on one node port, requested or drawn.
    for (name, spec) in [
        (
            "requested",
            "  type: NodePort\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n    nodePort: 30053\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n",
        ),
        (
            "drawn",
            "  type: NodePort\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n  - name: metrics\n    port: 9153\n",
        ),
    ] {
        let cluster = Cluster::build(&service(name, spec), &ClusterConfig::default());
        let ports: Vec<i64> = created(&cluster, name)
            .spec
            .ports
            .iter()
            .map(|port| port.node_port.unwrap_or(0))
            .collect();
        assert_eq!(ports[0], ports[1], "{name}: {ports:?}");
        assert!(ports[0] >= 30000, "{name}: {ports:?}");
        if let Some(metrics) = ports.get(2) {
            assert_ne!(*metrics, ports[0], "{name}: {ports:?}");
        }
        if name == "requested" {
            assert_eq!(ports[0], 30053);
        }
    }
}

#[test]
fn a_refused_service_gives_back_what_it_reserved() {
    // The REST storage reverts its allocation transaction when a later step fails: the first
    // Service's address and node port are free again for the second.
    let both = format!(
        "{}\n---\n{}",
        service(
            "refused",
            "  type: NodePort\n  clusterIP: 10.96.0.50\n  ports:\n  - name: HTTP\n    port: 80\n    nodePort: 30080\n"
        ),
        service(
            "second",
            "  type: NodePort\n  clusterIP: 10.96.0.50\n  ports:\n  - port: 80\n    nodePort: 30080\n"
        ),
    );
    let config = ClusterConfig::default();
    assert!(outcome(&both, "refused", &config).contains("spec.ports[0].name: Invalid value"));
    assert_eq!(outcome(&both, "second", &config), "created");
}

#[test]
fn a_full_range_is_an_internal_error() {
    // ipallocator ErrFull through allocIPs: `errors.NewInternalError(fmt.Errorf("failed to
    // allocate a serviceIP: %v", err))`. A /28 holds 14 addresses; kubernetes takes one (and
    // kube-dns's .10 is one of them), so the 14th Service of the input finds none.
    let config = ClusterConfig {
        service_cidr: Cidr::parse("10.96.0.0/28").expect("cidr"),
        ..ClusterConfig::default()
    };
    let yaml: Vec<String> = (0..13)
        .map(|index| service(&format!("s{index}"), PORT))
        .collect();
    let yaml = yaml.join("---\n");
    let outcomes: Vec<String> = (0..13)
        .map(|index| outcome(&yaml, &format!("s{index}"), &config))
        .collect();
    let refused: Vec<&String> = outcomes.iter().filter(|text| *text != "created").collect();
    assert_eq!(
        refused,
        vec!["Error from server (InternalError): error when creating \"svc.yaml\": Internal error occurred: failed to allocate a serviceIP: range is full"],
        "{outcomes:?}"
    );
}

#[test]
fn generate_name_is_checked_as_a_prefix() {
    // maskTrailingDash turns "Web-" into "Wea" (upstream's `name[:len(name)-2] + "a"`), which
    // IsDNS1035Label refuses; the generated name is refused as well.
    let yaml = with_meta("  generateName: Web-\n", PORT);
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let messages: Vec<&str> = cluster
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(|diagnostic| diagnostic.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(
        messages[0],
        format!("metadata.generateName: Invalid value: \"Web-\": {DNS1035}")
    );
    assert!(
        messages[1].starts_with("metadata.name: Invalid value: \"Web-")
            && messages[1].ends_with(&format!("\": {DNS1035}")),
        "{}",
        messages[1]
    );
    // A valid prefix ending in '-' passes: "web-" masks to "wea".
    let yaml = with_meta("  generateName: web-\n", PORT);
    assert!(!Cluster::build(&yaml, &ClusterConfig::default()).has_errors());
}

#[test]
fn a_load_balancer_status_the_api_server_refuses_is_left_out() {
    // ValidateLoadBalancerStatus on `/status`: ipMode is one of Proxy and VIP.
    let yaml = service(
        "lb",
        "  type: LoadBalancer\n  ports:\n  - port: 80\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: 192.0.2.10\n      ipMode: Tunnel\n",
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let lb = created(&cluster, "lb");
    assert!(lb.load_balancer_ingress.is_empty());
    let warning = cluster
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == Severity::Warning)
        .expect("a warning");
    assert_eq!(
        warning.message,
        "status left out: the API server refuses it on the status subresource: The Service \"lb\" is invalid: status.loadBalancer.ingress[0].ipMode: Unsupported value: \"Tunnel\": supported values: \"Proxy\", \"VIP\""
    );
    // Without a mode, an IP is a VIP (SetDefaults_Service).
    let yaml = yaml.replace("      ipMode: Tunnel\n", "");
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let ingress = &created(&cluster, "lb").load_balancer_ingress;
    assert_eq!(ingress.len(), 1);
    assert_eq!(ingress[0].ip_mode.as_deref(), Some("VIP"));
}

#[test]
fn topology_fields_are_simulated_without_a_warning() {
    // Both the topology-mode annotation and trafficDistribution are simulated
    // (tests/topology.rs): neither is warned about.
    for yaml in [
        with_meta(
            "  name: auto\n  annotations:\n    service.kubernetes.io/topology-mode: Auto\n",
            PORT,
        ),
        service(
            "close",
            "  trafficDistribution: PreferClose\n  ports:\n  - port: 80\n",
        ),
    ] {
        let cluster = Cluster::build(&yaml, &ClusterConfig::default());
        assert!(!cluster.has_errors(), "{:?}", cluster.diagnostics);
        assert!(
            cluster
                .diagnostics
                .iter()
                .all(|diagnostic| diagnostic.field != "metadata.annotations"
                    && diagnostic.field != "spec.trafficDistribution"
                    && !diagnostic.message.contains("not simulated")),
            "{:?}",
            cluster.diagnostics
        );
    }
}
