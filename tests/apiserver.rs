//! The API server's handling of Services: defaulting, validation, allocation.
//!
//! Expected rejections are the messages `kubectl apply` prints, `The Service "NAME" is invalid:
//! ...`; where a real transcript exists it is quoted (source in the comment), otherwise the text
//! follows kubernetes `pkg/apis/core/validation/validation.go` (`ValidateService`,
//! `validateServicePort`, `validateServiceExternalTrafficPolicy`) and the field error formats of
//! `k8s.io/apimachinery/pkg/util/validation/field`.
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
use svcscope::sim::kubectl::get;

#[path = "common/apply.rs"]
mod apply;

/// What the API server did with the Service named `name`: `kubectl get svc -o wide` line(s) when
/// created, kubectl's rejection message otherwise.
fn outcome(yaml: &str, name: &str, config: &ClusterConfig) -> String {
    let cluster = Cluster::build(yaml, config);
    apply::rejection(&cluster, name).unwrap_or_else(|| {
        let services: Vec<_> = cluster
            .services
            .iter()
            .filter(|service| service.meta.name == name)
            .collect();
        get::get_services(&services, true, false, 0)
    })
}

fn service(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

#[test]
fn services_table() {
    let default = ClusterConfig::default();
    let custom_range = ClusterConfig {
        service_cidr: Cidr::parse("10.128.0.0/12").expect("cidr"),
        ..ClusterConfig::default()
    };
    // (name, yaml, config, expected). Upstream draws dynamic cluster IPs and node ports at
    // random; svcscope draws them at a stable hash of the Service (see `apiserver`), so the
    // addresses below are svcscope's own, pinned to catch any change in the draw. An
    // unprovisioned LoadBalancer shows EXTERNAL-IP <pending>, as kubectl prints it.
    let cases: Vec<(&str, String, &ClusterConfig, &str)> = vec![
        (
            // Seed 002: `kubectl describe svc nginx-ro` shows NodePort 30080/TCP.
            "nginx-ro",
            service("nginx-ro", "  type: NodePort\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n  selector:\n    app: nginx-ro\n"),
            &default,
            "NAME       TYPE       CLUSTER-IP      EXTERNAL-IP   PORT(S)        AGE   SELECTOR\nnginx-ro   NodePort   10.96.111.214   <none>        80:30080/TCP   0s    app=nginx-ro\n",
        ),
        (
            // Seed 000: headless, `IP: None`.
            "nginx",
            service("nginx", "  ports:\n  - port: 8080\n  clusterIP: None\n  selector:\n    app: nginx\n"),
            &default,
            "NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE   SELECTOR\nnginx   ClusterIP   None         <none>        8080/TCP   0s    app=nginx\n",
        ),
        (
            // Seed 002: ExternalName; kubectl shows the name as EXTERNAL-IP and no cluster IP.
            "nginx-ro",
            service("nginx-ro", "  type: ExternalName\n  externalName: nginx-svc.qa.svc.cluster.local\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n  selector:\n    app: nginx-ro\n"),
            &default,
            "NAME       TYPE           CLUSTER-IP   EXTERNAL-IP                      PORT(S)   AGE   SELECTOR\nnginx-ro   ExternalName   <none>       nginx-svc.qa.svc.cluster.local   80/TCP    0s    app=nginx-ro\n",
        ),
        (
            "lb",
            service("lb", "  type: LoadBalancer\n  ports:\n  - port: 80\n"),
            &default,
            "NAME   TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE   SELECTOR\nlb     LoadBalancer   10.99.37.160   <pending>     80:31038/TCP   0s    <none>\n",
        ),
        (
            // Transcript (kubectl apply): "The Service "Customer-api-service" is invalid:
            // metadata.name: Invalid value: ..." (a Q&A post quoting kubectl's output).
            "Customer-api-service",
            service("Customer-api-service", "  ports:\n  - port: 80\n"),
            &default,
            "The Service \"Customer-api-service\" is invalid: metadata.name: Invalid value: \"Customer-api-service\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            // Transcript: `kubectl create svc clusterip two-ports --tcp 80:80,443,443` ->
            // Service "two-ports" is invalid: [spec.ports[2].name: Duplicate value: "443",
            // spec.ports[2]: Duplicate value: core.ServicePort{...}].
            "two-ports",
            service("two-ports", "  ports:\n  - name: 80-80\n    port: 80\n    targetPort: 80\n  - name: \"443\"\n    port: 443\n  - name: \"443\"\n    port: 443\n"),
            &default,
            "The Service \"two-ports\" is invalid: [spec.ports[2].name: Duplicate value: \"443\", spec.ports[2]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:443, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}]",
        ),
        (
            // Transcript: "The Service "my-custom-service" is invalid: spec.clusterIPs: Invalid
            // value: []string{"1.1.1.1"}: failed to allocate IP 1.1.1.1: the provided IP
            // (1.1.1.1) is not in the valid range. The range of valid IPs is 10.128.0.0/12".
            "my-custom-service",
            service("my-custom-service", "  clusterIP: 1.1.1.1\n  ports:\n  - port: 80\n"),
            &custom_range,
            "The Service \"my-custom-service\" is invalid: spec.clusterIPs: Invalid value: []string{\"1.1.1.1\"}: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.128.0.0/12",
        ),
        (
            // kube-dns holds 10.96.0.10 in every cluster (ipallocator ErrAllocated).
            "dns-copy",
            service("dns-copy", "  clusterIP: 10.96.0.10\n  ports:\n  - port: 53\n"),
            &default,
            "The Service \"dns-copy\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.10\"}: failed to allocate IP 10.96.0.10: provided IP is already allocated",
        ),
        (
            // portallocator ErrNotInRange.
            "low-port",
            service("low-port", "  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080\n"),
            &default,
            "The Service \"low-port\" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767",
        ),
        (
            "no-ports",
            service("no-ports", "  selector:\n    app: web\n"),
            &default,
            "The Service \"no-ports\" is invalid: spec.ports: Required value",
        ),
        (
            "np-on-clusterip",
            service("np-on-clusterip", "  ports:\n  - port: 80\n    nodePort: 30001\n"),
            &default,
            "The Service \"np-on-clusterip\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        ),
        (
            "headless-np",
            service("headless-np", "  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n"),
            &default,
            "The Service \"headless-np\" is invalid: spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services",
        ),
        (
            "ext",
            service("ext", "  type: ExternalName\n"),
            &default,
            "The Service \"ext\" is invalid: spec.externalName: Required value",
        ),
        (
            "ext-bad",
            service("ext-bad", "  type: ExternalName\n  externalName: Not_A_Host\n"),
            &default,
            "The Service \"ext-bad\" is invalid: spec.externalName: Invalid value: \"Not_A_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ),
        (
            "bad-type",
            service("bad-type", "  type: Ingress\n  ports:\n  - port: 80\n"),
            &default,
            "The Service \"bad-type\" is invalid: spec.type: Unsupported value: \"Ingress\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        ),
        (
            "etp",
            service("etp", "  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n"),
            &default,
            "The Service \"etp\" is invalid: spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services",
        ),
        (
            "tp",
            service("tp", "  ports:\n  - port: 80\n    targetPort: http_port\n"),
            &default,
            "The Service \"tp\" is invalid: spec.ports[0].targetPort: Invalid value: \"http_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        ),
    ];
    let mut failures = Vec::new();
    for (name, yaml, config, expected) in &cases {
        let actual = outcome(yaml, name, config);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n  expected: {expected}\n  actual:   {actual}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn builtin_services_and_defaults() {
    let cluster = Cluster::build("", &ClusterConfig::default());
    let all: Vec<_> = cluster.services.iter().collect();
    // kubeadm clusters: kubernetes at .1 of the service range, kube-dns at .10.
    assert_eq!(
        get::get_services(&all, false, true, 0),
        "NAMESPACE     NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE\n\
         default       kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP                  0s\n\
         kube-system   kube-dns     ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   0s\n"
    );
    let seed = Cluster::build(
        svcscope::explorer::scenarios::HEADLESS_NGINX,
        &ClusterConfig::default(),
    );
    let nginx = seed
        .services
        .iter()
        .find(|service| service.meta.name == "nginx")
        .expect("nginx is created");
    // SetDefaults_Service, and what seed 000's `kubectl describe svc nginx` shows.
    let spec = &nginx.spec;
    assert_eq!(spec.type_.as_deref(), Some("ClusterIP"));
    assert_eq!(spec.session_affinity.as_deref(), Some("None"));
    assert_eq!(spec.ip_family_policy.as_deref(), Some("SingleStack"));
    assert_eq!(spec.ip_families, vec!["IPv4".to_owned()]);
    assert_eq!(spec.internal_traffic_policy.as_deref(), Some("Cluster"));
    assert_eq!(spec.external_traffic_policy, None);
    let port = spec.ports.first().expect("one port");
    assert_eq!(port.protocol.as_deref(), Some("TCP"));
    assert_eq!(
        port.target_port,
        Some(svcscope::sim::input::decode::IntOrString::Int(8080))
    );
}

#[test]
fn allocation_is_deterministic_and_honours_explicit_requests() {
    // Two Services, the second asking for the address the first would draw: explicit requests
    // are reserved first, so both succeed, and the same input always gives the same answer.
    let first = Cluster::build(
        &service("a", "  ports:\n  - port: 80\n"),
        &ClusterConfig::default(),
    );
    let drawn = first
        .services
        .iter()
        .find(|service| service.meta.name == "a")
        .and_then(|service| service.spec.cluster_ip.clone())
        .expect("a gets an address");
    let both = format!(
        "{}\n---\n{}",
        service("a", "  ports:\n  - port: 80\n"),
        service(
            "b",
            &format!("  clusterIP: {drawn}\n  ports:\n  - port: 80\n")
        )
    );
    let cluster = Cluster::build(&both, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:?}", cluster.diagnostics);
    let ip_of = |cluster: &Cluster, name: &str| {
        cluster
            .services
            .iter()
            .find(|service| service.meta.name == name)
            .and_then(|service| service.spec.cluster_ip.clone())
    };
    assert_eq!(ip_of(&cluster, "b"), Some(drawn.clone()));
    assert_ne!(ip_of(&cluster, "a"), Some(drawn));
    assert_eq!(Cluster::build(&both, &ClusterConfig::default()), cluster);
    // Dynamic addresses come from above the static band (KEP-3070: the first 256 addresses of
    // a /12 are left to explicit requests).
    let a = ip_of(&cluster, "a").expect("a allocated");
    let offset = u32::from(a.parse::<std::net::Ipv4Addr>().expect("ip"))
        - u32::from(std::net::Ipv4Addr::new(10, 96, 0, 0));
    assert!(offset > 256, "{a}");
}

/// Values in field errors are quoted as Go's `strconv.Quote` does (`%q`, and `%#v` of a
/// string); expected texts are what Go 1.24's `strconv.Quote` returns for each input.
#[test]
fn values_are_quoted_as_go_quotes_them() {
    use svcscope::sim::input::field::quoted;
    let cases = [
        ("web", r#""web""#),
        ("a\"b", r#""a\"b""#),
        ("a\\b", r#""a\\b""#),
        ("tab\there\nnewline\r", r#""tab\there\nnewline\r""#),
        ("\u{7}\u{8}\u{c}\u{b}", r#""\a\b\f\v""#),
        ("\u{0}\u{1b}\u{7f}", r#""\x00\x1b\x7f""#),
        ("it's", r#""it's""#),
        ("héllo, 世界", r#""héllo, 世界""#),
        ("no\u{a0}break", r#""no\u00a0break""#),
        ("line\u{2028}sep", r#""line\u2028sep""#),
        ("\u{85}", r#""\u0085""#),
        ("", r#""""#),
    ];
    for (input, expected) in cases {
        assert_eq!(quoted(input), expected, "{input:?}");
    }
}
