//! Selecting on the picture: the YAML lines an object came from, what it lights up, and why a
//! pod is or is not an endpoint of a Service, each reason with its line.
//!
//! The reasons follow the EndpointSlice controller (kubernetes/kubernetes
//! `pkg/controller/endpointslice/reconciler.go`, `staging/src/k8s.io/endpointslice/utils.go`
//! `podToEndpoint`: `ready` is `publishNotReadyAddresses || (IsPodReady && !terminating)`;
//! `pkg/api/v1/pod/util.go` `FindPort` resolves a named targetPort against the containers'
//! ports, and a pod without it is left out of that port only).

use svcscope::explorer::picture::{layout, Lit, WireKind};
use svcscope::explorer::selection::{describe, marked_lines, related, rows, verdict, Selected};
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::key::ObjectKey;

/// A Service `web` (selector app=web, port 80 to the named port `http`) and a Deployment of
/// one pod whose template is written below it: lines are counted in the text.
fn manifest(labels: &str, annotations: &str, ports: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
{extra_spec}  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
{labels}  template:
    metadata:
      labels:
  {labels}{annotations}    spec:
      containers:
      - name: web
        image: nginx
        ports:
{ports}"
    )
}

const WEB: &str = "      app: web\n";
const API: &str = "      app: api\n";
const NAMED: &str = "        - name: http\n          containerPort: 8080\n";
const UNNAMED: &str = "        - containerPort: 8080\n";
const NEVER_READY: &str = "      annotations:\n        svcscope.dev/ready: \"false\"\n";

/// `(holds, text, line)` of each reason.
type Reasons = &'static [(bool, &'static str, Option<usize>)];

/// The line of the first line of `text` that contains `needle` (1-based).
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|line| line.contains(needle))
        .map(|index| index + 1)
        .unwrap_or(0)
}

#[test]
fn why_a_pod_is_or_is_not_an_endpoint() {
    // (what, labels, annotations, container ports, extra Service spec, outcome, reasons)
    let cases: &[(&str, &str, &str, &str, &str, &str, Reasons)] = &[
        (
            "selected, port resolved, Ready",
            WEB,
            "",
            NAMED,
            "",
            "endpoint, ready",
            &[
                (true, "label app=web, as the selector asks", Some(25)),
                (true, "IP 10.244.1.2", None),
                (true, "port http: targetPort http is container port 8080/TCP", Some(32)),
                (true, "Ready: the endpoint is ready and gets traffic", None),
            ],
        ),
        (
            "another label value",
            API,
            "",
            NAMED,
            "",
            "not an endpoint",
            &[(false, "label app=api, but the selector asks for app=web", Some(25))],
        ),
        (
            "readiness probe that never passes",
            WEB,
            NEVER_READY,
            NAMED,
            "",
            "endpoint, not ready",
            &[
                (true, "label app=web, as the selector asks", Some(25)),
                (true, "IP 10.244.1.2", None),
                (true, "port http: targetPort http is container port 8080/TCP", Some(34)),
                (
                    false,
                    "not Ready (its readiness probe fails): listed with ready: false, kube-proxy sends it no traffic",
                    Some(27),
                ),
            ],
        ),
        (
            "named targetPort the pod does not have: left out of that port only",
            WEB,
            "",
            UNNAMED,
            "",
            "endpoint, ready",
            &[
                (true, "label app=web, as the selector asks", Some(25)),
                (true, "IP 10.244.1.2", None),
                (
                    false,
                    "port http: targetPort http is no container port name of this pod: the endpoint is left out of this port",
                    Some(11),
                ),
                (true, "Ready: the endpoint is ready and gets traffic", None),
            ],
        ),
        (
            "publishNotReadyAddresses lists a pod that is not Ready as ready",
            WEB,
            NEVER_READY,
            NAMED,
            "  publishNotReadyAddresses: true\n",
            "endpoint, ready",
            &[
                (true, "label app=web, as the selector asks", Some(26)),
                (true, "IP 10.244.1.2", None),
                (true, "port http: targetPort http is container port 8080/TCP", Some(35)),
                (
                    true,
                    "publishNotReadyAddresses: listed as ready whether or not the pod is Ready",
                    Some(6),
                ),
            ],
        ),
    ];
    for (what, labels, annotations, ports, extra, outcome, reasons) in cases {
        let yaml = manifest(labels, annotations, ports, extra);
        let cluster = Cluster::build(&yaml, &ClusterConfig::default());
        let service = cluster
            .services
            .iter()
            .find(|service| service.meta.name == "web")
            .expect("the Service");
        let pod = cluster
            .pods
            .iter()
            .find(|pod| pod.name.starts_with("web-"))
            .expect("the Deployment's pod");
        let found = verdict(&cluster, service, pod);
        assert_eq!(&found.outcome, outcome, "{what}");
        let got: Vec<(bool, &str, Option<usize>)> = found
            .reasons
            .iter()
            .map(|reason| (reason.holds, reason.text.as_str(), reason.line))
            .collect();
        assert_eq!(got, reasons.to_vec(), "{what}\n{yaml}");
        // Every line a reason points at says what the reason is about.
        for reason in &found.reasons {
            let Some(line) = reason.line else { continue };
            let text = yaml.lines().nth(line - 1).unwrap_or_default();
            let word = [
                "app:",
                "containerPort",
                "targetPort",
                "svcscope.dev/ready",
                "publishNotReadyAddresses",
            ]
            .into_iter()
            .find(|word| text.contains(word));
            assert!(
                word.is_some(),
                "{what}: line {line} is {text:?} for {:?}",
                reason.text
            );
        }
    }
}

#[test]
fn a_selection_knows_its_yaml_lines() {
    let yaml = manifest(WEB, "", NAMED, "");
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let service = describe(
        &cluster,
        &Selected::Service(ObjectKey::new("default", "web")),
    )
    .expect("the Service");
    assert_eq!(service.lines, Some((1, 11)));
    // The page marks the lines its rows carry: the same.
    assert_eq!(marked_lines(&rows(Some(&service))), Some((1, 11)));
    assert_eq!(marked_lines(&rows(None)), None);
    assert_eq!(service.dns_name.as_deref(), Some("web"));
    assert_eq!(service.verdicts.len(), 1);
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name.starts_with("web-"))
        .expect("a pod");
    let pod_view = describe(
        &cluster,
        &Selected::Pod(ObjectKey::new("default", &pod.name)),
    )
    .expect("the pod");
    // The Deployment's template: from `template:` to its last line.
    assert_eq!(
        pod_view.lines,
        Some((line_of(&yaml, "template:"), yaml.lines().count()))
    );
    assert_eq!(pod_view.source, "the Deployment web's pod template");
    assert_eq!(pod_view.verdicts.len(), 1);
    // The cluster's own objects have no YAML, and say so.
    let dns = describe(
        &cluster,
        &Selected::Service(ObjectKey::new("kube-system", "kube-dns")),
    )
    .expect("kube-dns");
    assert_eq!(dns.lines, None);
    assert_eq!(dns.source, "made by the cluster (no YAML)");
    // A slice the controller made points at its Service's lines.
    let slice = cluster
        .endpoint_slices
        .iter()
        .find(|slice| slice.service == "web")
        .expect("web's slice");
    let slice_view = describe(
        &cluster,
        &Selected::Slice(ObjectKey::new("default", &slice.name)),
    )
    .expect("the slice");
    assert_eq!(slice_view.lines, Some((1, 11)));
    // Gone: nothing to describe.
    assert!(describe(&cluster, &Selected::Pod(ObjectKey::new("default", "gone"))).is_none());
}

#[test]
fn selection_ids_round_trip_and_damaged_ones_select_nothing() {
    for selected in [
        Selected::Service(ObjectKey::new("default", "web")),
        Selected::Slice(ObjectKey::new("kube-system", "kube-dns-abcde")),
        Selected::Pod(ObjectKey::new("default", "web-0")),
        Selected::Node("node-1".to_owned()),
    ] {
        assert_eq!(Selected::parse(&selected.id()), Some(selected));
    }
    for damaged in [
        "",
        "Service",
        "Service/",
        "Service/default",
        "Service//web",
        "Ingress/default/web",
        "Node/",
    ] {
        assert_eq!(Selected::parse(damaged), None, "{damaged:?}");
    }
}

#[test]
fn selecting_lights_what_it_selects_and_dims_the_rest() {
    let yaml = format!(
        "{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\nspec:\n  selector:\n    app: other\n  ports:\n  - port: 80\n",
        manifest(WEB, "", NAMED, "").replace("replicas: 1", "replicas: 3")
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let web = Selected::Service(ObjectKey::new("default", "web"));
    let picture = layout(&cluster, None, None, "", Some(&web));
    assert!(picture.selecting);
    let lit = |id: &str| {
        picture
            .boxes
            .iter()
            .filter(|item| item.shape.test_id() == id)
            .map(|item| item.lit)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        lit("canvas-service"),
        [Lit::Plain, Lit::Selected, Lit::Plain]
    );
    // kube-dns's slice, web's, other's.
    assert_eq!(lit("canvas-slice"), [Lit::Plain, Lit::Related, Lit::Plain]);
    let pods = lit("canvas-pod");
    assert_eq!(pods.iter().filter(|lit| **lit == Lit::Related).count(), 3);
    assert_eq!(
        pods.iter().filter(|lit| **lit == Lit::Plain).count(),
        2,
        "the CoreDNS pods"
    );
    let lit_wires = picture
        .wires
        .iter()
        .filter(|wire| wire.kind == WireKind::Ready && wire.lit)
        .count();
    assert_eq!(lit_wires, 3);
    // A pod lights the Service that selects it, its slice and its node.
    let pod = cluster
        .pods
        .iter()
        .find(|pod| pod.name.starts_with("web-"))
        .expect("a pod");
    let found = related(
        &cluster,
        &Selected::Pod(ObjectKey::new("default", &pod.name)),
    );
    assert_eq!(
        found
            .services
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["default/web"]
    );
    assert_eq!(found.slices.len(), 1);
    assert_eq!(found.nodes.len(), 1);
    // Nothing selected: nothing lit, nothing dimmed.
    let plain = layout(&cluster, None, None, "", None);
    assert!(!plain.selecting);
    assert!(plain.boxes.iter().all(|item| item.lit == Lit::Plain));
    assert!(plain.wires.iter().all(|wire| !wire.lit));
}
