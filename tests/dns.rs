//! Cluster DNS, table-driven in CoreDNS's own style (`plugin/kubernetes/handler_test.go`:
//! query, type, expected rcode, answer/authority/additional in zone-file presentation), over
//! one cluster with every kind of Service. Each case names the rule it pins: a section of the
//! Kubernetes DNS specification (kubernetes/dns `docs/specification.md`) or the CoreDNS source
//! that decides it. Pod and endpoint addresses are the model's (its scheduler and IPAM) and are
//! substituted into the expectations by name: `{web-a}` is the first `web` pod's IP.
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

use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::dns::plugin::{Dns, DnsOptions, PodsMode, QType, Response};
use svcscope::sim::dns::resolver::{candidates, resolv_conf, resolve, ResolvConf, ResolverKind};

const CLUSTER: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  clusterIP: 10.96.0.100
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: https, port: 443, targetPort: 8443}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}, {containerPort: 8443}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: mysql, port: 3306}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: mysql}]}
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec: {type: ExternalName, externalName: ext.interwebs.test}
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec: {type: ExternalName, externalName: web.default.svc.cluster.local}
---
apiVersion: v1
kind: Service
metadata: {name: manual}
spec:
  clusterIP: 10.96.0.150
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: manual}
subsets:
- addresses: [{ip: 192.0.2.10}]
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  clusterIP: 10.96.0.200
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: unready}
spec:
  clusterIP: None
  selector: {app: slow}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: unready-published}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: slow}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: slow}
spec:
  replicas: 1
  selector: {matchLabels: {app: slow}}
  template:
    metadata:
      labels: {app: slow}
      annotations: {svcscope.dev/ready: \"false\"}
    spec: {containers: [{name: slow, image: nginx}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: quiet}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: quiet}
spec: {containers: [{name: c, image: alpine}]}
";

const SOA: &str =
    "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 5";

fn cluster() -> Cluster {
    let cluster = Cluster::build(CLUSTER, &ClusterConfig::default());
    assert!(!cluster.has_errors(), "{:#?}", cluster.diagnostics);
    cluster
}

/// `{web-a}`, `{web-b}` (the web pods in order), `{db-0}`, `{db-1}`, `{slow}`: their IPs;
/// `{db-0}-dashed` as a DNS label (`10-244-1-2`), `{db-0}-reverse` as its reverse name.
fn substitute(text: &str, cluster: &Cluster) -> String {
    if !text.contains('{') {
        return text.to_owned();
    }
    let ip_of = |predicate: &dyn Fn(&str) -> bool, nth: usize| {
        cluster
            .pods
            .iter()
            .filter(|pod| predicate(&pod.name))
            .nth(nth)
            .and_then(|pod| pod.ip.clone())
            .expect("pod with an IP")
    };
    let mut out = text.to_owned();
    for (key, ip) in [
        ("{web-a}", ip_of(&|name| name.starts_with("web-"), 0)),
        ("{web-b}", ip_of(&|name| name.starts_with("web-"), 1)),
        ("{db-0}", ip_of(&|name| name == "db-0", 0)),
        ("{db-1}", ip_of(&|name| name == "db-1", 0)),
        ("{slow}", ip_of(&|name| name.starts_with("slow-"), 0)),
    ] {
        let reverse = svcscope::sim::dns::plugin::reverse_name(&ip).unwrap_or_default();
        out = out.replace(&format!("{key}-reverse"), &reverse);
        out = out.replace(&format!("{key}-dashed"), &ip.replace('.', "-"));
        out = out.replace(key, &ip);
    }
    out
}

fn lines(records: &[svcscope::sim::dns::plugin::Record]) -> Vec<String> {
    records.iter().map(ToString::to_string).collect()
}

struct Case {
    /// What pins it.
    source: &'static str,
    qname: &'static str,
    qtype: QType,
    /// `NOERROR`, `NXDOMAIN`, or `FORWARDED` (not answered by the kubernetes plugin).
    rcode: &'static str,
    answer: &'static [&'static str],
    authority: &'static [&'static str],
    additional: &'static [&'static str],
}

const NXDOMAIN: &[&str] = &[SOA];

fn check(dns: &Dns, cluster: &Cluster, cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let qname = substitute(case.qname, cluster);
        let response: Response = dns.query(&qname, case.qtype);
        let rcode = response
            .rcode
            .map(|rcode| rcode.as_str())
            .unwrap_or("FORWARDED");
        let expect = |records: &[&str]| -> Vec<String> {
            records
                .iter()
                .map(|line| substitute(line, cluster))
                .collect()
        };
        let actual = (
            rcode,
            lines(&response.answer),
            lines(&response.authority),
            lines(&response.additional),
        );
        let expected = (
            case.rcode,
            expect(case.answer),
            expect(case.authority),
            expect(case.additional),
        );
        if actual != expected {
            failures.push(format!(
                "{} {} ({}):\n  expected {expected:?}\n  actual   {actual:?}",
                case.qname,
                case.qtype.name(),
                case.source
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn coredns_answers() {
    let cluster = cluster();
    let dns = Dns::new(&cluster, DnsOptions::default());
    let cases = [
        Case {
            source: "spec 2.3.1 A record of a ClusterIP Service; handler_test.go A Service",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["web.default.svc.cluster.local. 5 IN A 10.96.0.100"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler_case_test.go: matching ignores case, the answer keeps the question's",
            qname: "WEB.Default.SVC.cluster.local",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["WEB.Default.SVC.cluster.local. 5 IN A 10.96.0.100"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler_test.go AAAA Service (IPv4 only): NODATA with the SOA",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Aaaa,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "spec 2.3.2 SRV for a named port; backend_lookup.go SRV (target + A in additional)",
            qname: "_http._tcp.web.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &["_http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local."],
            authority: &[],
            additional: &["web.default.svc.cluster.local. 5 IN A 10.96.0.100"],
        },
        Case {
            source: "kubernetes.go matchPortAndProtocol: no port/protocol matches every port; weight 100/n",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &[
                "web.default.svc.cluster.local. 5 IN SRV 0 50 80 web.default.svc.cluster.local.",
                "web.default.svc.cluster.local. 5 IN SRV 0 50 443 web.default.svc.cluster.local.",
            ],
            authority: &[],
            additional: &["web.default.svc.cluster.local. 5 IN A 10.96.0.100"],
        },
        Case {
            source: "parse.go: port and protocol need not carry underscores",
            qname: "https.tcp.web.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &["https.tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 443 web.default.svc.cluster.local."],
            authority: &[],
            additional: &["web.default.svc.cluster.local. 5 IN A 10.96.0.100"],
        },
        Case {
            source: "findServices: a port name the Service lacks is a name error",
            qname: "_nope._tcp.web.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "spec 2.4.1 headless: one A record per ready endpoint",
            qname: "db.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[
                "db.default.svc.cluster.local. 5 IN A {db-0}",
                "db.default.svc.cluster.local. 5 IN A {db-1}",
            ],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "spec 2.4.1 hostname.service records for endpoints with a hostname (StatefulSet pods)",
            qname: "db-1.db.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["db-1.db.default.svc.cluster.local. 5 IN A {db-1}"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "spec 2.4.2 headless SRV: one per endpoint and port, targets named after the endpoint",
            qname: "_mysql._tcp.db.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &[
                "_mysql._tcp.db.default.svc.cluster.local. 5 IN SRV 0 50 3306 db-0.db.default.svc.cluster.local.",
                "_mysql._tcp.db.default.svc.cluster.local. 5 IN SRV 0 50 3306 db-1.db.default.svc.cluster.local.",
            ],
            authority: &[],
            additional: &[
                "db-0.db.default.svc.cluster.local. 5 IN A {db-0}",
                "db-1.db.default.svc.cluster.local. 5 IN A {db-1}",
            ],
        },
        Case {
            source: "handler_test.go: an endpoint name that does not exist",
            qname: "bogusendpoint.db.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "findServices: endpoint names also work under a ClusterIP Service (endpointHostname: IP with dashes)",
            qname: "{web-a}-dashed.web.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["{web-a}-dashed.web.default.svc.cluster.local. 5 IN A {web-a}"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "spec 2.5 ExternalName: a CNAME; backend_lookup.go A leaves out-of-zone targets to upstream",
            qname: "ext.default.svc.cluster.local.",
            qtype: QType::Cname,
            rcode: "NOERROR",
            answer: &["ext.default.svc.cluster.local. 5 IN CNAME ext.interwebs.test."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "backend_lookup.go A: an in-zone CNAME target is resolved and appended",
            qname: "alias.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[
                "alias.default.svc.cluster.local. 5 IN CNAME web.default.svc.cluster.local.",
                "web.default.svc.cluster.local. 5 IN A 10.96.0.100",
            ],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubernetes.go Services: SRV drops ExternalName (CNAME) entries: NODATA",
            qname: "ext.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "selector-less Service: its ClusterIP, endpoints from the user's Endpoints (mirrored)",
            qname: "192-0-2-10.manual.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["192-0-2-10.manual.default.svc.cluster.local. 5 IN A 192.0.2.10"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "a ClusterIP Service without endpoints still has its A record",
            qname: "empty.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["empty.default.svc.cluster.local. 5 IN A 10.96.0.200"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "object/endpoint.go: only ready endpoints; a headless Service with none is a name error",
            qname: "unready.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "publishNotReadyAddresses: the controller marks them ready, DNS publishes them",
            qname: "unready-published.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["unready-published.default.svc.cluster.local. 5 IN A {slow}"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "findServices: an existing namespace without a service name is NODATA",
            qname: "default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "namespace.go: a namespace that does not exist is a name error",
            qname: "web.nowhere.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "a Namespace object makes its namespace exist: NXDOMAIN only for the missing Service",
            qname: "quiet.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "parse.go: the label before the zone must be svc or pod",
            qname: "web.default.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "parse.go: more than two labels before the service is too long",
            qname: "a.b.c.web.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "kubernetes_apex_test.go: the apex has no A record (NODATA)",
            qname: "cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "kubernetes_apex_test.go: apex SOA (TTL min(ttl,300), minimum = ttl)",
            qname: "cluster.local.",
            qtype: QType::Soa,
            rcode: "NOERROR",
            answer: &[SOA],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubernetes_apex_test.go / ns.go: apex NS ns.dns.<zone>, its address the kube-dns ClusterIP",
            qname: "cluster.local.",
            qtype: QType::Ns,
            rcode: "NOERROR",
            answer: &["cluster.local. 5 IN NS ns.dns.cluster.local."],
            authority: &[],
            additional: &["ns.dns.cluster.local. 5 IN A 10.96.0.10"],
        },
        Case {
            source: "spec 2.1 / kubernetes.go: dns-version TXT 1.1.0, TTL 28800",
            qname: "dns-version.cluster.local.",
            qtype: QType::Txt,
            rcode: "NOERROR",
            answer: &["dns-version.cluster.local. 28800 IN TXT \"1.1.0\""],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubernetes.go Services TXT: NODATA for a name that exists",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Txt,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler.go default branch: other types are NODATA for a name that exists",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Any,
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler_pod_insecure_test.go: any IP-shaped name in an existing namespace",
            qname: "10-244-9-9.default.pod.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &["10-244-9-9.default.pod.cluster.local. 5 IN A 10.244.9.9"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler_pod_insecure_test.go: a name that is not an IP is a name error",
            qname: "not-an-ip.default.pod.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "reverse.go: PTR of a ClusterIP names the Service",
            qname: "100.0.96.10.in-addr.arpa.",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["100.0.96.10.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "reverse.go serviceRecordForIP: an endpoint IP names its endpoint (hostname.service)",
            qname: "{db-0}-reverse",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["{db-0}-reverse 5 IN PTR db-0.db.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "reverse.go serviceRecordForIP: an endpoint of a ClusterIP Service names its endpoint too (the hostname from its IP)",
            qname: "{web-a}-reverse",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["{web-a}-reverse 5 IN PTR {web-a}-dashed.web.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "reverse.go serviceRecordForIP: a not-ready pod published by publishNotReadyAddresses, under that Service only",
            qname: "{slow}-reverse",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["{slow}-reverse 5 IN PTR {slow}-dashed.unready-published.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "reverse.go serviceRecordForIP: a manual Endpoints address (mirrored into a slice) names it under its Service",
            qname: "10.2.0.192.in-addr.arpa.",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["10.2.0.192.in-addr.arpa. 5 IN PTR 192-0-2-10.manual.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubeadm Corefile `fallthrough in-addr.arpa ip6.arpa`: unknown reverse names go to forward",
            qname: "4.3.2.1.in-addr.arpa.",
            qtype: QType::Ptr,
            rcode: "FORWARDED",
            answer: &[],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubeadm Corefile `forward . /etc/resolv.conf`: names outside the zone",
            qname: "example.com.",
            qtype: QType::A,
            rcode: "FORWARDED",
            answer: &[],
            authority: &[],
            additional: &[],
        },
    ];
    check(&dns, &cluster, &cases);
}

/// The plugin's corners (issue 17), CoreDNS 1.12.4's source: types it has no records for, the
/// question's spelling of the zone, names below an ExternalName, zone transfers.
#[test]
fn coredns_corners() {
    let cluster = cluster();
    let dns = Dns::new(&cluster, DnsOptions::default());
    const SPELLED_SOA: &str = "ClUsTeR.lOcAl. 5 IN SOA ns.dns.ClUsTeR.lOcAl. hostmaster.ClUsTeR.lOcAl. 1700000000 7200 1800 86400 5";
    let cases = [
        Case {
            source: "handler_case_test.go TestPreserveCase (negative response): the SOA spells the zone as asked",
            qname: "not-a-service.default.svc.ClUsTeR.lOcAl.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: &[SPELLED_SOA],
            additional: &[],
        },
        Case {
            source: "handler_case_test.go TestPreserveCase (SRV Service): the target and its glue keep the zone's spelling, the Service's name is the object's",
            qname: "_HtTp._TcP.wEb.DeFaUlT.SvC.cLuStEr.LoCaL.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &["_HtTp._TcP.wEb.DeFaUlT.SvC.cLuStEr.LoCaL. 5 IN SRV 0 100 80 web.default.svc.cLuStEr.LoCaL."],
            authority: &[],
            additional: &["web.default.svc.cLuStEr.LoCaL. 5 IN A 10.96.0.100"],
        },
        Case {
            source: "kubernetes.go findServices: a headless endpoint's key is built under zonePath (the zone as asked)",
            qname: "_mysql._tcp.db.default.svc.CLUSTER.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &[
                "_mysql._tcp.db.default.svc.CLUSTER.local. 5 IN SRV 0 50 3306 db-0.db.default.svc.CLUSTER.local.",
                "_mysql._tcp.db.default.svc.CLUSTER.local. 5 IN SRV 0 50 3306 db-1.db.default.svc.CLUSTER.local.",
            ],
            authority: &[],
            additional: &[
                "db-0.db.default.svc.CLUSTER.local. 5 IN A {db-0}",
                "db-1.db.default.svc.CLUSTER.local. 5 IN A {db-1}",
            ],
        },
        Case {
            source: "handler_case_test.go TestPreserveCase (SOA): backend_lookup.go SOA names ns.dns and hostmaster under the zone as asked",
            qname: "Cluster.local.",
            qtype: QType::Soa,
            rcode: "NOERROR",
            answer: &["Cluster.local. 5 IN SOA ns.dns.Cluster.local. hostmaster.Cluster.local. 1700000000 7200 1800 86400 5"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "backend_lookup.go NS: the target is ns.dns.<zone> from nsAddrs(state.Zone), its address in additional",
            qname: "Cluster.Local.",
            qtype: QType::Ns,
            rcode: "NOERROR",
            answer: &["Cluster.Local. 5 IN NS ns.dns.Cluster.Local."],
            authority: &[],
            additional: &["ns.dns.Cluster.Local. 5 IN A 10.96.0.10"],
        },
        Case {
            source: "handler.go `default:` a fake A lookup tells NODATA from NXDOMAIN (HINFO of a Service)",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Other(13),
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler.go `default:` CAA of a name that does not exist",
            qname: "missing.default.svc.cluster.local.",
            qtype: QType::Other(257),
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler.go `default:` TYPE65 (HTTPS) of an ExternalName Service: the name exists, no records",
            qname: "ext.default.svc.cluster.local.",
            qtype: QType::Other(65),
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "backend_lookup.go MX: only Services marked Mail answer, and the kubernetes plugin never marks one",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Other(15),
            rcode: "NOERROR",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler.go: `case dns.TypeAXFR, dns.TypeIXFR: return dns.RcodeRefused` (dnsserver writes a bare REFUSED)",
            qname: "cluster.local.",
            qtype: QType::Other(252),
            rcode: "REFUSED",
            answer: &[],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler.go: IXFR refused as AXFR",
            qname: "web.default.svc.cluster.local.",
            qtype: QType::Other(251),
            rcode: "REFUSED",
            answer: &[],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler_test.go: a query for a subdomain of an external service should not resolve to the external service",
            qname: "endpoint.ext.default.svc.cluster.local.",
            qtype: QType::Cname,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler_test.go: a subdomain of a subdomain of an external service (parse.go: port and protocol)",
            qname: "subdomain.subdomain.ext.default.svc.cluster.local.",
            qtype: QType::Cname,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "findServices: ExternalName skipped when `r.endpoint != \"\" || r.port != \"\" || r.protocol != \"\"`",
            qname: "_http._tcp.ext.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "parse.go: more than two labels below a Service are too long (errInvalidRequest)",
            qname: "a.b.c.web.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "findServices: an endpoint label under a ClusterIP Service that no endpoint has",
            qname: "nobody.web.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "handler_test.go CNAME External To Internal Service: an in-zone target is followed inside the zone",
            qname: "alias.default.svc.cluster.local.",
            qtype: QType::A,
            rcode: "NOERROR",
            answer: &[
                "alias.default.svc.cluster.local. 5 IN CNAME web.default.svc.cluster.local.",
                "web.default.svc.cluster.local. 5 IN A 10.96.0.100",
            ],
            authority: &[],
            additional: &[],
        },
    ];
    check(&dns, &cluster, &cases);
    let outside = dns.query("ext.default.svc.cluster.local.", QType::A);
    assert_eq!(
        lines(&outside.answer),
        ["ext.default.svc.cluster.local. 5 IN CNAME ext.interwebs.test."]
    );
    assert!(
        outside
            .note
            .as_deref()
            .is_some_and(|note| note.contains("ext.interwebs.test. is outside the cluster zone")
                && note.contains("not simulated")),
        "backend_lookup.go A: an out-of-zone target's records come from the upstream (b.Lookup), which the model says it does not simulate: {:?}",
        outside.note
    );
}

/// Types as dig reads and prints them: mnemonics, `TYPEn` (RFC 3597), codes on the wire.
#[test]
fn record_types_by_name_and_code() {
    for (text, code, name) in [
        ("a", 1, "A"),
        ("MX", 15, "MX"),
        ("hinfo", 13, "HINFO"),
        ("CAA", 257, "CAA"),
        ("TYPE65", 65, "HTTPS"),
        ("type15", 15, "MX"),
        ("TYPE1", 1, "A"),
        ("TYPE4000", 4000, "TYPE4000"),
        ("axfr", 252, "AXFR"),
        ("any", 255, "ANY"),
    ] {
        let qtype = QType::parse_any(text).unwrap_or_else(|| panic!("{text} parses"));
        assert_eq!(
            (qtype.code(), qtype.name().as_ref()),
            (code, name),
            "{text}"
        );
        assert_eq!(QType::from_code(code), qtype, "{text}");
    }
    for bad in ["", "TYPE", "TYPE70000", "TYPE-1", "TYPEx", "BOGUS"] {
        assert_eq!(QType::parse_any(bad), None, "{bad:?}");
    }
}

/// IPv6 endpoints (a user's EndpointSlice of address type IPv6): their hostnames as CoreDNS
/// derives them (`endpointHostname`, 1.12.3+: colons to dashes, and a `0` after a trailing
/// dash so that `fd00::` is `fd00--0`), in A/AAAA, SRV and PTR answers.
#[test]
fn ipv6_endpoint_hostnames() {
    let text = "\
apiVersion: v1
kind: Service
metadata: {name: six}
spec:
  clusterIP: None
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: six-1
  labels: {kubernetes.io/service-name: six}
addressType: IPv6
endpoints:
- addresses: [\"fd00::\"]
- addresses: [\"fd00:10:244::5\"]
ports: [{name: http, port: 80}]
";
    let cluster = Cluster::build(text, &ClusterConfig::default());
    let dns = Dns::new(&cluster, DnsOptions::default());
    let cases = [
        Case {
            source: "handler_test.go AAAA (headless): one AAAA per IPv6 endpoint",
            qname: "six.default.svc.cluster.local.",
            qtype: QType::Aaaa,
            rcode: "NOERROR",
            answer: &[
                "six.default.svc.cluster.local. 5 IN AAAA fd00::",
                "six.default.svc.cluster.local. 5 IN AAAA fd00:10:244::5",
            ],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "kubernetes.go endpointHostname: `fd00::` -> `fd00--` -> `fd00--0`",
            qname: "fd00--0.six.default.svc.cluster.local.",
            qtype: QType::Aaaa,
            rcode: "NOERROR",
            answer: &["fd00--0.six.default.svc.cluster.local. 5 IN AAAA fd00::"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "handler_test.go AAAA Endpoint (`5678-abcd--1`): inner `::` becomes `--`",
            qname: "fd00-10-244--5.six.default.svc.cluster.local.",
            qtype: QType::Aaaa,
            rcode: "NOERROR",
            answer: &["fd00-10-244--5.six.default.svc.cluster.local. 5 IN AAAA fd00:10:244::5"],
            authority: &[],
            additional: &[],
        },
        Case {
            source: "endpointHostname before 1.12.3 gave `fd00--`, which is no longer a name",
            qname: "fd00--.six.default.svc.cluster.local.",
            qtype: QType::Aaaa,
            rcode: "NXDOMAIN",
            answer: &[],
            authority: NXDOMAIN,
            additional: &[],
        },
        Case {
            source: "backend_lookup.go SRV: targets named after the endpoints, AAAA glue",
            qname: "_http._tcp.six.default.svc.cluster.local.",
            qtype: QType::Srv,
            rcode: "NOERROR",
            answer: &[
                "_http._tcp.six.default.svc.cluster.local. 5 IN SRV 0 50 80 fd00--0.six.default.svc.cluster.local.",
                "_http._tcp.six.default.svc.cluster.local. 5 IN SRV 0 50 80 fd00-10-244--5.six.default.svc.cluster.local.",
            ],
            authority: &[],
            additional: &[
                "fd00--0.six.default.svc.cluster.local. 5 IN AAAA fd00::",
                "fd00-10-244--5.six.default.svc.cluster.local. 5 IN AAAA fd00:10:244::5",
            ],
        },
        Case {
            source: "reverse.go serviceRecordForIP in ip6.arpa: the endpoint's name",
            qname: "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.",
            qtype: QType::Ptr,
            rcode: "NOERROR",
            answer: &["0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa. 5 IN PTR fd00--0.six.default.svc.cluster.local."],
            authority: &[],
            additional: &[],
        },
    ];
    check(&dns, &cluster, &cases);
}

#[test]
fn plugin_options_change_the_answers() {
    let cluster = cluster();
    let ttl_30 = Dns::new(
        &cluster,
        DnsOptions {
            ttl: 30,
            ..DnsOptions::default()
        },
    );
    let response = ttl_30.query("web.default.svc.cluster.local", QType::A);
    assert_eq!(
        lines(&response.answer),
        ["web.default.svc.cluster.local. 30 IN A 10.96.0.100"],
        "setup_ttl_test.go: ttl sets every answer's TTL (kubeadm's Corefile uses 30)"
    );

    let ignore = Dns::new(
        &cluster,
        DnsOptions {
            ignore_empty_service: true,
            ..DnsOptions::default()
        },
    );
    assert_eq!(
        ignore
            .query("empty.default.svc.cluster.local", QType::A)
            .status(),
        "NXDOMAIN",
        "handler_ignore_emptyservice_test.go: a ClusterIP Service without endpoints"
    );
    assert_eq!(
        ignore
            .query("web.default.svc.cluster.local", QType::A)
            .status(),
        "NOERROR"
    );

    let verified = Dns::new(
        &cluster,
        DnsOptions {
            pods: PodsMode::Verified,
            ..DnsOptions::default()
        },
    );
    assert_eq!(
        verified
            .query("10-244-9-9.default.pod.cluster.local", QType::A)
            .status(),
        "NXDOMAIN",
        "handler_pod_verified_test.go: no pod has that IP"
    );
    let db0 = substitute("{db-0}-dashed", &cluster);
    assert_eq!(
        verified
            .query(&format!("{db0}.default.pod.cluster.local"), QType::A)
            .status(),
        "NOERROR"
    );
    assert_eq!(
        verified
            .query(&format!("{db0}.quiet.pod.cluster.local"), QType::A)
            .status(),
        "NXDOMAIN",
        "verified: the pod must be in the namespace asked"
    );

    let disabled = Dns::new(
        &cluster,
        DnsOptions {
            pods: PodsMode::Disabled,
            ..DnsOptions::default()
        },
    );
    assert_eq!(
        disabled
            .query(&format!("{db0}.default.pod.cluster.local"), QType::A)
            .status(),
        "NXDOMAIN",
        "handler_pod_disabled_test.go"
    );

    let named = Dns::new(
        &cluster,
        DnsOptions {
            endpoint_pod_names: true,
            ..DnsOptions::default()
        },
    );
    let web_pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name.starts_with("web-"))
        .expect("web pod");
    let name = format!("{}.web.default.svc.cluster.local", web_pod.name);
    assert_eq!(
        named.query(&name, QType::A).status(),
        "NOERROR",
        "endpoint_pod_names: endpoints without hostname are named after their pod"
    );
    assert_eq!(
        dns_default(&cluster).query(&name, QType::A).status(),
        "NXDOMAIN"
    );

    let only_quiet = Dns::new(
        &cluster,
        DnsOptions {
            namespaces: vec!["quiet".to_owned()],
            ..DnsOptions::default()
        },
    );
    assert_eq!(
        only_quiet
            .query("web.default.svc.cluster.local", QType::A)
            .status(),
        "NXDOMAIN",
        "namespaces: a namespace not listed is not exposed"
    );

    let no_fallthrough = Dns::new(
        &cluster,
        DnsOptions {
            fallthrough: false,
            ..DnsOptions::default()
        },
    );
    let unknown = no_fallthrough.query("4.3.2.1.in-addr.arpa", QType::Ptr);
    assert_eq!(
        (unknown.status(), lines(&unknown.authority)),
        (
            "NXDOMAIN",
            vec!["in-addr.arpa. 5 IN SOA ns.dns.in-addr.arpa. hostmaster.in-addr.arpa. 1700000000 7200 1800 86400 5".to_owned()]
        ),
        "handler.go: without `fallthrough` (k.Fall.Through false) a name error is NXDOMAIN with the reverse zone's SOA (reverse_test.go)"
    );
    assert_eq!(
        no_fallthrough
            .query("100.0.96.10.in-addr.arpa", QType::Ptr)
            .status(),
        "NOERROR"
    );

    let other_zone = Dns::new(
        &cluster,
        DnsOptions {
            zone: "corp.internal".to_owned(),
            ..DnsOptions::default()
        },
    );
    assert_eq!(
        other_zone
            .query("web.default.svc.corp.internal", QType::A)
            .status(),
        "NOERROR"
    );
    assert_eq!(
        other_zone
            .query("web.default.svc.cluster.local", QType::A)
            .status(),
        "FORWARDED"
    );
}

fn dns_default(cluster: &Cluster) -> Dns {
    Dns::new(cluster, DnsOptions::default())
}

fn conf(search: &[&str], ndots: &str) -> ResolvConf {
    ResolvConf {
        nameservers: vec!["10.96.0.10".to_owned()],
        search: search.iter().map(|domain| (*domain).to_owned()).collect(),
        options: vec![("ndots".to_owned(), Some(ndots.to_owned()))],
        from_node: false,
    }
}

#[test]
fn resolver_search_order() {
    // glibc res_query.c __res_context_search and musl lookup_name.c name_from_dns_search.
    let pod_conf = conf(
        &[
            "default.svc.cluster.local",
            "svc.cluster.local",
            "cluster.local",
        ],
        "5",
    );
    let table: &[(&str, ResolverKind, &[&str])] = &[
        (
            "web",
            ResolverKind::Glibc,
            &[
                "web.default.svc.cluster.local.",
                "web.svc.cluster.local.",
                "web.cluster.local.",
                "web.",
            ],
        ),
        (
            // Four dots, fewer than ndots:5: the search list first (the famous ndots:5 cost).
            "web.default.svc.cluster.local",
            ResolverKind::Glibc,
            &[
                "web.default.svc.cluster.local.default.svc.cluster.local.",
                "web.default.svc.cluster.local.svc.cluster.local.",
                "web.default.svc.cluster.local.cluster.local.",
                "web.default.svc.cluster.local.",
            ],
        ),
        (
            "web.default.svc.cluster.local.",
            ResolverKind::Glibc,
            &["web.default.svc.cluster.local."],
        ),
        (
            "a.b.c.d.e.f",
            ResolverKind::Glibc,
            &[
                "a.b.c.d.e.f.",
                "a.b.c.d.e.f.default.svc.cluster.local.",
                "a.b.c.d.e.f.svc.cluster.local.",
                "a.b.c.d.e.f.cluster.local.",
            ],
        ),
        ("a.b.c.d.e.f", ResolverKind::Musl, &["a.b.c.d.e.f."]),
        (
            "web",
            ResolverKind::Musl,
            &[
                "web.default.svc.cluster.local.",
                "web.svc.cluster.local.",
                "web.cluster.local.",
                "web.",
            ],
        ),
    ];
    for (name, kind, expected) in table {
        assert_eq!(
            candidates(name, &pod_conf, *kind),
            *expected,
            "{name} with {kind:?}"
        );
    }
}

#[test]
fn resolvers_stop_where_they_stop() {
    let cluster = cluster();
    let dns = dns_default(&cluster);
    let client = cluster
        .pods
        .iter()
        .find(|pod| pod.name == "client")
        .expect("client pod");
    let conf = resolv_conf(client, "10.96.0.10", "cluster.local");
    assert_eq!(
        conf.render(),
        "search quiet.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    let tried = |name: &str, qtype: QType, kind: ResolverKind| -> Vec<(String, String)> {
        resolve(&dns, name, qtype, &conf, kind)
            .attempts
            .iter()
            .map(|attempt| (attempt.name.clone(), attempt.response.status().to_owned()))
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(name, status)| ((*name).to_owned(), (*status).to_owned()))
            .collect()
    };
    // web.default from namespace quiet: NXDOMAIN under quiet.svc, found under svc.
    assert_eq!(
        tried("web.default", QType::A, ResolverKind::Glibc),
        pairs(&[
            ("web.default.quiet.svc.cluster.local.", "NXDOMAIN"),
            ("web.default.svc.cluster.local.", "NOERROR"),
        ])
    );
    // AAAA of an IPv4-only Service: NODATA under svc. musl stops there; glibc goes on to the
    // end of the list (and reports the NODATA, got_nodata).
    assert_eq!(
        tried("web.default", QType::Aaaa, ResolverKind::Musl),
        pairs(&[
            ("web.default.quiet.svc.cluster.local.", "NXDOMAIN"),
            ("web.default.svc.cluster.local.", "NODATA"),
        ])
    );
    let glibc = resolve(&dns, "web.default", QType::Aaaa, &conf, ResolverKind::Glibc);
    assert_eq!(
        glibc
            .attempts
            .iter()
            .map(|attempt| attempt.response.status())
            .collect::<Vec<_>>(),
        ["NXDOMAIN", "NODATA", "NXDOMAIN", "FORWARDED"]
    );
    assert_eq!(glibc.result().map(Response::status), Some("FORWARDED"));
    // dnsConfig: ndots:1 and an extra search domain (kubelet appends, options override).
    let tuned = "apiVersion: v1\nkind: Pod\nmetadata: {name: tuned}\nspec:\n  containers: [{name: c, image: alpine}]\n  dnsConfig:\n    searches: [corp.internal]\n    options: [{name: ndots, value: \"1\"}, {name: edns0}]\n";
    let cluster = Cluster::build(tuned, &ClusterConfig::default());
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name == "tuned")
        .expect("tuned pod");
    assert_eq!(
        resolv_conf(pod, "10.96.0.10", "cluster.local").render(),
        "search default.svc.cluster.local svc.cluster.local cluster.local corp.internal\nnameserver 10.96.0.10\noptions ndots:1 edns0\n"
    );
}

/// Reverse names back to addresses as CoreDNS's `dnsutil.ExtractAddressFromReverse` does: the
/// labels reversed, then Go's `net.ParseIP(...).String()` (an IPv4-mapped IPv6 address prints
/// dotted; otherwise RFC 5952 as `netip.Addr.string6` writes it: the first longest run of two
/// or more zero groups becomes `::`, a lone zero group stays).
#[test]
fn reverse_names_give_the_addresses_go_prints() {
    use svcscope::sim::dns::plugin::address_from_reverse;
    fn ip6_arpa(hex32: &str) -> String {
        let mut name: String = hex32
            .chars()
            .rev()
            .flat_map(|nibble| [nibble, '.'])
            .collect();
        name.push_str("ip6.arpa.");
        name
    }
    let cases: Vec<(String, Option<&str>)> = vec![
        ("10.0.96.10.in-addr.arpa.".into(), Some("10.96.0.10")),
        ("0.96.10.in-addr.arpa.".into(), None),
        (
            ip6_arpa("20010db8000000000000000000000001"),
            Some("2001:db8::1"),
        ),
        (ip6_arpa("00000000000000000000000000000001"), Some("::1")),
        (ip6_arpa("00000000000000000000000000000000"), Some("::")),
        (
            ip6_arpa("00000000000000000000ffff0a60000a"),
            Some("10.96.0.10"),
        ),
        (
            ip6_arpa("0000000000000000000000000a60000a"),
            Some("::a60:a"),
        ),
        (
            ip6_arpa("20010db8000000000001000000000001"),
            Some("2001:db8::1:0:0:1"),
        ),
        (
            ip6_arpa("20010db8000000010001000100010001"),
            Some("2001:db8:0:1:1:1:1:1"),
        ),
        (ip6_arpa("fe800000000000000000000000000000"), Some("fe80::")),
        (ip6_arpa("ABCD0000000000000000000000000000"), Some("abcd::")),
        (ip6_arpa("2001db8"), None),
        (ip6_arpa("g0000000000000000000000000000000"), None),
    ];
    for (name, expected) in cases {
        assert_eq!(address_from_reverse(&name).as_deref(), expected, "{name}");
    }
}

/// The picture's answer, a line each (`text::answer_lines`): the status the search ended with,
/// then the answer's records, CNAME-followed chains included, as nslookup would list them.
#[test]
fn answers_for_the_picture_a_line_each() {
    use svcscope::sim::dns::text::answer_lines;
    let cluster = cluster();
    let dns = dns_default(&cluster);
    let conf = conf(
        &[
            "default.svc.cluster.local",
            "svc.cluster.local",
            "cluster.local",
        ],
        "5",
    );
    let cases = [
        ("web", "NOERROR|A 10.96.0.100"),
        ("ext", "NOERROR|CNAME ext.interwebs.test."),
        (
            "alias",
            "NOERROR|CNAME web.default.svc.cluster.local.|A 10.96.0.100",
        ),
        ("nope.default.svc.cluster.local.", "NXDOMAIN"),
        // The search list runs out in the cluster's zones; the bare name goes upstream, whose
        // answer the model does not invent.
        ("nope", "FORWARDED"),
    ];
    for (name, expected) in cases {
        let resolution = resolve(&dns, name, QType::A, &conf, ResolverKind::Glibc);
        assert_eq!(answer_lines(&resolution).join("|"), expected, "{name}");
    }
}
