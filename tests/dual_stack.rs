//! Dual-stack and IPv6 clusters: the flags' validation, the API server's IP family defaulting,
//! one EndpointSlice per address family, CoreDNS's AAAA and ip6.arpa answers, kube-proxy's IPv6
//! proxier (checked by a real ip6tables and a real nft), and the trace of an IPv6 connection.
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

use svcscope::sim::config::{
    parse_cluster_cidrs, parse_service_cidrs, Cidr, ClusterConfig, Family,
};
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions, QType};
use svcscope::sim::proxy::shared::ProxyConfig;

#[path = "common/apply.rs"]
mod apply;

/// A cluster of the families `stack` names (`v4`, `v6`, `v4v6`, `v6v4`), with kind's ranges
/// (kind's `networking.ipFamily`: pods 10.244.0.0/16 and fd00:10:244::/56, Services
/// 10.96.0.0/16 and fd00:10:96::/112).
fn cluster_of(stack: &str) -> ClusterConfig {
    let (services, pods) = match stack {
        "v4" => ("10.96.0.0/16", "10.244.0.0/16"),
        "v6" => ("fd00:10:96::/112", "fd00:10:244::/56"),
        "v4v6" => (
            "10.96.0.0/16,fd00:10:96::/112",
            "10.244.0.0/16,fd00:10:244::/56",
        ),
        "v6v4" => (
            "fd00:10:96::/112,10.96.0.0/16",
            "fd00:10:244::/56,10.244.0.0/16",
        ),
        other => panic!("stack {other}"),
    };
    let (service_cidr, secondary_service_cidr) = parse_service_cidrs(services).expect("services");
    let (cluster_cidr, secondary_cluster_cidr) = parse_cluster_cidrs(pods).expect("pods");
    ClusterConfig {
        service_cidr,
        secondary_service_cidr,
        cluster_cidr,
        secondary_cluster_cidr,
        ..ClusterConfig::default()
    }
}

#[test]
fn the_page_s_stacks_are_their_flags() {
    use svcscope::sim::config::Stack;
    for stack in Stack::ALL {
        let (services, pods) = stack.flags();
        let (service_cidr, secondary_service_cidr) =
            parse_service_cidrs(services).expect("services");
        let (cluster_cidr, secondary_cluster_cidr) = parse_cluster_cidrs(pods).expect("pods");
        let config = stack.config();
        assert_eq!(
            (
                config.service_cidr,
                config.secondary_service_cidr,
                config.cluster_cidr,
                config.secondary_cluster_cidr
            ),
            (
                service_cidr,
                secondary_service_cidr,
                cluster_cidr,
                secondary_cluster_cidr
            ),
            "{stack:?}"
        );
        assert_eq!(Stack::from_id(stack.id()), Some(stack));
    }
}

/// What a flag's parser gives: the range of each family it names, or its message.
type Parsed = Result<(Cidr, Option<Cidr>), String>;

/// Each flag value of `cases` parsed by `parse`: the ranges it keeps, or its message.
fn check(parse: fn(&str) -> Parsed, cases: &[(&str, Result<&str, &str>)]) {
    for (flag, expected) in cases {
        let got = parse(flag).map(|(first, second)| match second {
            Some(second) => format!("{first},{second}"),
            None => first.to_string(),
        });
        assert_eq!(
            got.as_deref(),
            expected.map_err(|e| e.to_owned()).as_deref(),
            "{flag}"
        );
    }
}

#[test]
fn the_flags_are_checked_as_kube_apiserver_and_kube_controller_manager_check_them() {
    // kube-apiserver: getServiceIPAndRanges (cmd/kube-apiserver/app/options) and
    // validateClusterIPFlags (pkg/controlplane/apiserver/options/validation.go; its
    // validation_test.go TestClusterServiceIPRange has the same cases).
    let service_cases: &[(&str, Result<&str, &str>)] = &[
        ("10.96.0.0/12", Ok("10.96.0.0/12")),
        ("10.96.0.0/12,fd00:10:96::/108", Ok("10.96.0.0/12,fd00:10:96::/108")),
        ("fd00:10:96::/112,10.96.0.0/16", Ok("fd00:10:96::/112,10.96.0.0/16")),
        ("10.96.0.5/12", Ok("10.96.0.0/12")),
        ("10.0.0.0/8", Err("specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12")),
        ("10.96.0.0/12,fd00::/64", Err("specified --service-cluster-ip-range[1] is too large; for 128-bit addresses, the mask must be >= 108")),
        ("fd00::/100", Err("specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108")),
        ("10.96.0.0/12,10.100.0.0/16", Err("--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family")),
        ("10.96.0.0/12,fd00::/108,fd01::/108", Err("--service-cluster-ip-range must not contain more than two entries")),
        ("10.96.0.0", Err("service-cluster-ip-range[0] is not a valid cidr")),
        ("10.96.0.0/12,fd00::", Err("service-cluster-ip-range[1] is not an ip net")),
        ("10.96.0.0/33", Err("service-cluster-ip-range[0] is not a valid cidr")),
    ];
    check(parse_service_cidrs, service_cases);
    // kube-controller-manager: validateCIDRs/processCIDRs (cmd/kube-controller-manager/app/
    // core.go), startNodeIpamController's mask check and cidrset.NewCIDRSet's.
    let pod_cases: &[(&str, Result<&str, &str>)] = &[
        ("10.244.0.0/16", Ok("10.244.0.0/16")),
        ("10.244.0.0/16,fd00:10:244::/56", Ok("10.244.0.0/16,fd00:10:244::/56")),
        ("10.0.0.0/8,10.1.0.0/16", Err("len of ClusterCIDRs==2 and they are not configured as dual stack (at least one from each IPFamily")),
        ("10.0.0.0/8,fd00::/48,fd01::/48", Err("length of clusterCIDRs is:3 more than max allowed of 2")),
        ("10.0.0.0/26", Err("Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to --node-cidr-mask-size configured for CIDR family")),
        ("fd00::/32", Err("New CIDR set failed; the node CIDR size is too big")),
        ("fd00::/48", Ok("fd00::/48")),
    ];
    check(parse_cluster_cidrs, pod_cases);
}

/// The Service `foo` as the API server stores it (`POLICY FAMILIES CLUSTER-IPS`, with `None`
/// for a headless one) or, when refused, kubectl's message.
fn created(stack: &str, spec: &str) -> String {
    let yaml = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: foo\nspec:\n{spec}  ports:\n  - port: 80\n");
    let cluster = Cluster::build(&yaml, &cluster_of(stack));
    if let Some(refused) = apply::rejection(&cluster, "foo") {
        return refused;
    }
    let service = cluster
        .services
        .iter()
        .find(|service| service.meta.name == "foo")
        .expect("created");
    let spec = &service.spec;
    let ips: Vec<&str> = spec
        .cluster_ips
        .iter()
        .map(|ip| match Family::of_address(ip) {
            Some(Family::V4) => "v4",
            Some(Family::V6) => "v6",
            None => ip.as_str(),
        })
        .collect();
    assert_eq!(
        spec.cluster_ip.as_deref(),
        spec.cluster_ips.first().map(String::as_str)
    );
    format!(
        "{} {} {}",
        spec.ip_family_policy.as_deref().unwrap_or("-"),
        spec.ip_families.join(","),
        ips.join(",")
    )
}

#[test]
fn ip_families_are_defaulted_as_the_api_server_defaults_them() {
    const SEL: &str = "  selector: {app: foo}\n";
    const HEADLESS: &str = "  clusterIP: None\n  selector: {app: foo}\n";
    const SELECTORLESS: &str = "  clusterIP: None\n";
    let spec = |base: &str, extra: &str| format!("{base}{extra}");
    // (cluster, spec, expected). The single-stack IPv4 rows are TestCreateInitIPFields's
    // "singlestack:v4" cases (pkg/registry/core/service/storage/storage_test.go: expected
    // policy and families, or expectError); the dual-stack and IPv6 rows follow the same
    // function, initIPFamilyFields (storage/alloc.go), on the other cluster families.
    let cases: Vec<(&str, String, &str)> = vec![
        ("v4", spec(SEL, ""), "SingleStack IPv4 v4"),
        ("v4", spec(SEL, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv4 v4"),
        ("v4", spec(SEL, "  ipFamilyPolicy: RequireDualStack\n"), "The Service \"foo\" is invalid: spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"),
        ("v4", spec(SEL, "  ipFamilies: [IPv6]\n"), "The Service \"foo\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster"),
        ("v4", spec(SEL, "  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4, IPv6]\n"), "The Service \"foo\" is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"),
        ("v4", spec(SEL, "  clusterIP: fd00::1\n"), "The Service \"foo\" is invalid: spec.clusterIPs[0]: Invalid value: []string{\"fd00::1\"}: IPv6 is not configured on this cluster"),
        ("v4", spec(HEADLESS, ""), "SingleStack IPv4 None"),
        ("v4", spec(HEADLESS, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv4 None"),
        ("v4", spec(HEADLESS, "  ipFamilies: [IPv6]\n"), "The Service \"foo\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster"),
        ("v4", spec(SELECTORLESS, ""), "RequireDualStack IPv4,IPv6 None"),
        ("v4", spec(SELECTORLESS, "  ipFamilies: [IPv6]\n"), "RequireDualStack IPv6,IPv4 None"),
        ("v4", spec(SELECTORLESS, "  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv6]\n"), "SingleStack IPv6 None"),
        ("v4", spec(SELECTORLESS, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv4,IPv6 None"),
        // Dual-stack, IPv4 first.
        ("v4v6", spec(SEL, ""), "SingleStack IPv4 v4"),
        ("v4v6", spec(SEL, "  ipFamilies: [IPv6]\n"), "SingleStack IPv6 v6"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv4,IPv6 v4,v6"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: RequireDualStack\n"), "RequireDualStack IPv4,IPv6 v4,v6"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: RequireDualStack\n  ipFamilies: [IPv6]\n"), "RequireDualStack IPv6,IPv4 v6,v4"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: PreferDualStack\n  clusterIP: 10.96.0.20\n"), "PreferDualStack IPv4,IPv6 v4,v6"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: RequireDualStack\n  clusterIP: fd00:10:96::20\n"), "RequireDualStack IPv6,IPv4 v6,v4"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: SingleStack\n  clusterIP: 10.96.0.20\n  clusterIPs: [10.96.0.20, fd00:10:96::20]\n"), "The Service \"foo\" is invalid: spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"),
        ("v4v6", spec(SEL, "  ipFamilyPolicy: RequireDualStack\n  clusterIP: 10.96.0.20\n  clusterIPs: [10.96.0.20, 10.96.0.21]\n"), "The Service \"foo\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.96.0.20\", \"10.96.0.21\"}: may specify no more than one IP for each IP family"),
        ("v4v6", spec(HEADLESS, "  ipFamilyPolicy: RequireDualStack\n"), "RequireDualStack IPv4,IPv6 None"),
        // Dual-stack, IPv6 first: the default family is the first range's.
        ("v6v4", spec(SEL, ""), "SingleStack IPv6 v6"),
        ("v6v4", spec(SEL, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv6,IPv4 v6,v4"),
        ("v6v4", spec(SEL, "  ipFamilies: [IPv4, IPv6]\n  ipFamilyPolicy: RequireDualStack\n"), "RequireDualStack IPv4,IPv6 v4,v6"),
        // IPv6 only.
        ("v6", spec(SEL, ""), "SingleStack IPv6 v6"),
        ("v6", spec(SEL, "  ipFamilyPolicy: PreferDualStack\n"), "PreferDualStack IPv6 v6"),
        ("v6", spec(SEL, "  ipFamilies: [IPv4]\n"), "The Service \"foo\" is invalid: spec.ipFamilies[0]: Invalid value: \"IPv4\": not configured on this cluster"),
        ("v6", spec(SELECTORLESS, ""), "RequireDualStack IPv6,IPv4 None"),
    ];
    let mut failures = Vec::new();
    for (stack, spec, expected) in &cases {
        let got = created(stack, spec);
        if got != *expected {
            failures.push(format!("{stack} {spec:?}\n  want {expected}\n  got  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const APP: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  ipFamilyPolicy: RequireDualStack
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
";

#[test]
fn pods_get_an_address_per_family_and_services_a_slice_per_family() {
    let cluster = Cluster::build(APP, &cluster_of("v4v6"));
    // Nodes: a pod range per family (the node-ipam controller's /24 and /64), an InternalIP
    // per family.
    let node = cluster
        .nodes
        .iter()
        .find(|node| node.name == "node-1")
        .unwrap();
    assert_eq!(node.pod_cidr.to_string(), "10.244.1.0/24");
    assert_eq!(
        node.secondary_pod_cidr.unwrap().to_string(),
        "fd00:10:244:1::/64"
    );
    assert_eq!(
        node.secondary_internal_ip.as_deref(),
        Some("fd00:192:168::11")
    );
    let pods: Vec<_> = cluster
        .pods
        .iter()
        .filter(|pod| pod.labels.get("app").map(String::as_str) == Some("web"))
        .collect();
    for pod in &pods {
        let v4 = pod.ip_of(Family::V4).expect("IPv4");
        let v6 = pod.ip_of(Family::V6).expect("IPv6");
        // host-local with two ranges: the same offset in each.
        assert_eq!(v4.rsplit('.').next(), v6.rsplit(':').next(), "{v4} {v6}");
    }
    // getAddressTypesForService: one slice per family in ipFamilies, each endpoint with the
    // pod's address of that family (pkg/controller/endpointslice reconciler).
    for service in ["web", "db"] {
        let slices: Vec<_> = cluster
            .endpoint_slices
            .iter()
            .filter(|slice| slice.service == service)
            .collect();
        let types: Vec<&str> = slices
            .iter()
            .map(|slice| slice.address_type.as_str())
            .collect();
        assert_eq!(types, ["IPv4", "IPv6"], "{service}");
        for slice in &slices {
            let family = Family::from_name(&slice.address_type).unwrap();
            assert_eq!(slice.endpoints.len(), 2, "{service} {}", slice.address_type);
            for endpoint in &slice.endpoints {
                let ip = endpoint.addresses.first().unwrap();
                assert_eq!(Family::of_address(ip), Some(family), "{service}: {ip}");
            }
        }
    }
    // The Endpoints controller: one family, the ClusterIP's (podToEndpointAddressForService).
    let endpoints = cluster
        .endpoints
        .iter()
        .find(|endpoints| endpoints.name == "web")
        .unwrap();
    for address in endpoints
        .subsets
        .iter()
        .flat_map(|subset| &subset.addresses)
    {
        assert_eq!(
            Family::of_address(&address.ip),
            Some(Family::V4),
            "{}",
            address.ip
        );
    }
    // An IPv6-first cluster: the same Service's Endpoints hold IPv6 addresses.
    let six = Cluster::build(APP, &cluster_of("v6v4"));
    let endpoints = six
        .endpoints
        .iter()
        .find(|endpoints| endpoints.name == "web")
        .unwrap();
    for address in endpoints
        .subsets
        .iter()
        .flat_map(|subset| &subset.addresses)
    {
        assert_eq!(
            Family::of_address(&address.ip),
            Some(Family::V6),
            "{}",
            address.ip
        );
    }
}

#[test]
fn coredns_answers_both_families_and_both_reverse_zones() {
    let cluster = Cluster::build(APP, &cluster_of("v4v6"));
    let dns = Dns::new(&cluster, DnsOptions::default());
    let web = cluster
        .services
        .iter()
        .find(|service| service.meta.name == "web")
        .unwrap();
    let (v4, v6) = (
        web.spec.cluster_ips[0].clone(),
        web.spec.cluster_ips[1].clone(),
    );
    let answers = |name: &str, qtype: QType| -> Vec<String> {
        let mut found: Vec<String> = dns
            .query(name, qtype)
            .answer
            .iter()
            .map(|record| record.rdata())
            .collect();
        found.sort();
        found
    };
    // plugin/kubernetes: A from the IPv4 ClusterIP, AAAA from the IPv6 one.
    assert_eq!(
        answers("web.default.svc.cluster.local.", QType::A),
        [v4.as_str()]
    );
    assert_eq!(
        answers("web.default.svc.cluster.local.", QType::Aaaa),
        [v6.as_str()]
    );
    // Headless: each family's endpoints, from that family's slice.
    let mut pods4: Vec<String> = cluster
        .pods
        .iter()
        .filter(|pod| pod.labels.contains_key("app"))
        .map(|pod| pod.ip_of(Family::V4).unwrap().to_owned())
        .collect();
    let mut pods6: Vec<String> = cluster
        .pods
        .iter()
        .filter(|pod| pod.labels.contains_key("app"))
        .map(|pod| pod.ip_of(Family::V6).unwrap().to_owned())
        .collect();
    pods4.sort();
    pods6.sort();
    assert_eq!(answers("db.default.svc.cluster.local.", QType::A), pods4);
    assert_eq!(answers("db.default.svc.cluster.local.", QType::Aaaa), pods6);
    // PTR under ip6.arpa for the IPv6 ClusterIP, as under in-addr.arpa for the IPv4 one.
    let reverse6 = reverse_name(&v6);
    assert_eq!(
        answers(&reverse6, QType::Ptr),
        ["web.default.svc.cluster.local."]
    );
    let reverse4 = reverse_name(&v4);
    assert_eq!(
        answers(&reverse4, QType::Ptr),
        ["web.default.svc.cluster.local."]
    );
    // And for a pod's IPv6 address behind the headless Service: the dashed hostname CoreDNS
    // derives from an IPv6 address (`endpointHostname`: colons to dashes).
    let pod6 = &pods6[0];
    let dashed = pod6.replace(':', "-");
    let ptr = answers(&reverse_name(pod6), QType::Ptr);
    assert!(
        ptr.contains(&format!("{dashed}.db.default.svc.cluster.local.")),
        "{ptr:?}"
    );
}

/// The reverse name of an address: `in-addr.arpa.` or the 32 nibbles of `ip6.arpa.`.
fn reverse_name(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>().unwrap() {
        std::net::IpAddr::V4(ip) => {
            let [a, b, c, d] = ip.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
        }
        std::net::IpAddr::V6(ip) => {
            let hex: String = ip
                .octets()
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect();
            let nibbles: Vec<String> = hex.chars().rev().map(String::from).collect();
            format!("{}.ip6.arpa.", nibbles.join("."))
        }
    }
}

#[test]
fn each_family_has_its_own_proxier() {
    use svcscope::sim::proxy::iptables::iptables_rules;
    let cluster = Cluster::build(APP, &cluster_of("v4v6"));
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let node = cluster
        .nodes
        .iter()
        .find(|node| node.name == "node-1")
        .unwrap();
    let web = cluster
        .services
        .iter()
        .find(|service| service.meta.name == "web")
        .unwrap();
    for (family, ip, other) in [
        (
            Family::V4,
            &web.spec.cluster_ips[0],
            &web.spec.cluster_ips[1],
        ),
        (
            Family::V6,
            &web.spec.cluster_ips[1],
            &web.spec.cluster_ips[0],
        ),
    ] {
        let proxy = ProxyConfig::for_node_family(node, &cluster.config, family);
        let rules = iptables_rules(&services, &slices, &proxy).render();
        assert!(rules.contains(&format!("-d {ip} --dport 80")), "{family:?}");
        assert!(
            !rules.contains(other.as_str()),
            "{family:?} holds the other family's {other}"
        );
        // pkg/proxy/iptables/proxier.go: the localnet rules are IPv4's (`if !isIPv6 &&
        // proxier.localhostNodePorts`).
        assert_eq!(rules.contains("127.0.0.0/8"), family == Family::V4);
        // Endpoints as net.JoinHostPort writes them.
        if family == Family::V6 {
            assert!(rules.contains("--to-destination [fd00:10:244:"), "{rules}");
        }
    }
}

#[test]
fn an_ipv6_connection_is_traced_through_the_ipv6_rules() {
    use svcscope::sim::proxy::trace::{trace, Source, Verdict};
    let cluster = Cluster::build(APP, &cluster_of("v6"));
    let dns = Dns::new(&cluster, DnsOptions::default());
    let client = svcscope::sim::key::ObjectKey::new("default", "client");
    let traced = trace(
        &cluster,
        &dns,
        &Source::Pod(client),
        "web",
        80,
        "tcp",
        40000,
    )
    .expect("traced");
    assert_eq!(traced.verdict, Verdict::Delivered, "{traced:?}");
    let dns_step = traced.steps.first().unwrap();
    assert!(
        dns_step.note.contains(" IN AAAA fd00:10:96::"),
        "{}",
        dns_step.note
    );
    let dnat = traced
        .steps
        .iter()
        .find(|step| step.note.starts_with("DNAT"))
        .expect("DNAT");
    assert!(
        dnat.dst_after.starts_with("[fd00:10:244:"),
        "{}",
        dnat.dst_after
    );
}

/// The trace says its packet's family, and the rules view beside it shows that family's
/// proxier: `web` resolves to its IPv4 ClusterIP first on an IPv4-first cluster (A before
/// AAAA), its IPv6 ClusterIP written out is traced through ip6tables.
#[test]
fn the_rules_view_follows_the_traced_packet_s_family() {
    use svcscope::explorer::questions::trace_from_pod;
    use svcscope::explorer::rules_view::{marked_rules, RulesFormat};
    let cluster = Cluster::build(APP, &cluster_of("v4v6"));
    let web = cluster
        .services
        .iter()
        .find(|service| service.meta.name == "web")
        .unwrap();
    let v6_ip = web
        .spec
        .cluster_ips
        .iter()
        .find(|ip| ip.contains(':'))
        .unwrap()
        .clone();
    let by_name = trace_from_pod(&cluster, "default/client", "web:80").expect("by name");
    assert_eq!(by_name.family, Some(Family::V4), "{by_name:?}");
    let by_v6 = trace_from_pod(&cluster, "default/client", &format!("[{v6_ip}]:80")).expect("v6");
    assert_eq!(by_v6.family, Some(Family::V6), "{by_v6:?}");
    let node = by_v6
        .steps
        .iter()
        .find_map(|step| step.node.clone())
        .expect("a node");
    let text = |traced| {
        marked_rules(&cluster, &node, "web", Some(traced), RulesFormat::Save)
            .into_iter()
            .map(|(line, _)| line)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let v6_rules = text(&by_v6);
    assert!(v6_rules.contains(&format!("-d {v6_ip}/128")), "{v6_rules}");
    assert!(!v6_rules.contains("-d 10.96."), "{v6_rules}");
    let v4_rules = text(&by_name);
    assert!(v4_rules.contains("-d 10.96."), "{v4_rules}");
    assert!(!v4_rules.contains(&v6_ip), "{v4_rules}");
}

/// ipvsadm lists IPv6 virtual servers in `ipvs_cmp_services` order (libipvs/libipvs.c):
/// `ntohl(s1->addr.in6.s6_addr32[i]) - ntohl(s2->addr.in6.s6_addr32[i])` word by word, as a
/// C `int`. fd00:10:96::… and 2001:db8::… differ by more than 2^31 in their first word, so
/// the ClusterIP (fd00) comes before the external IP (2001), the reverse of byte order.
#[test]
fn ipvs_orders_ipv6_virtual_servers_as_ipvsadm_compares_them() {
    use svcscope::sim::proxy::ipvs::{render_ipvsadm, virtual_servers};
    let yaml = "apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  externalIPs: [\"2001:db8::1\"]
  ports: [{port: 80}]
";
    let cluster = Cluster::build(yaml, &cluster_of("v6"));
    let services: Vec<_> = cluster.services.iter().collect();
    let slices: Vec<_> = cluster.endpoint_slices.iter().collect();
    let node = cluster
        .nodes
        .iter()
        .find(|node| node.name == "node-1")
        .unwrap();
    let config = ProxyConfig::for_node_family(node, &cluster.config, Family::V6);
    let listing = render_ipvsadm(&virtual_servers(&services, &slices, &config));
    let web: Vec<&str> = listing
        .lines()
        .filter(|line| line.starts_with("TCP") && line.contains(":80 "))
        .collect();
    let cluster_ip = web
        .iter()
        .position(|line| line.contains("[fd00:10:96::"))
        .expect("the ClusterIP's virtual server");
    let external = web
        .iter()
        .position(|line| line.contains("[2001:db8::1]"))
        .expect("the external IP's virtual server");
    assert!(cluster_ip < external, "{listing}");
}
