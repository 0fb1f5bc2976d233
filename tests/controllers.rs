//! The controllers: EndpointSlice contents (kubernetes `pkg/controller/endpointslice`:
//! `podToEndpoint`, `getEndpointPorts`, at most 100 endpoints per slice, pods grouped by their
//! resolved ports), workload validation (`pkg/apis/apps/validation`), and the plain-words
//! explanations of Services without (ready) endpoints.
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
use svcscope::sim::input::diagnostic::Severity;
use svcscope::sim::key::ObjectKey;

fn deployment(name: &str, replicas: u32, labels: &str, ports: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{{labels}}}\n  template:\n    metadata:\n      labels: {{{labels}}}\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        ports: {ports}\n---\n"
    )
}

fn service(name: &str, selector: &str, ports: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector: {{{selector}}}\n  ports: {ports}\n---\n"
    )
}

/// The warnings and errors about `object`, as `severity: field: message` lines.
fn diagnostics_for(yaml: &str, object: &str) -> Vec<String> {
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    cluster
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.object == object)
        .map(|diagnostic| {
            let severity = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!("{severity}: {}", diagnostic.message)
        })
        .collect()
}

#[test]
fn explanations_table() {
    let cases: Vec<(&str, String, &str, Vec<&str>)> = vec![
        (
            "selector matches no pod",
            format!("{}{}", deployment("nginx", 2, "app: nginx", "[{containerPort: 80}]"), service("web", "app: web", "[{port: 80}]")),
            "Service/default/web",
            vec!["warning: Service web selects app=web; no pod has that label (pods have app=nginx)"],
        ),
        (
            "pods in another namespace",
            format!(
                "{}{}",
                deployment("nginx", 1, "app: web", "[{containerPort: 80}]").replace("name: nginx\n", "name: nginx\n  namespace: qa\n"),
                service("web", "app: web", "[{port: 80}]")
            ),
            "Service/default/web",
            vec!["warning: Service web selects app=web; there are no pods in namespace default; pods in namespace qa match, but a Service selects only pods of its own namespace"],
        ),
        (
            "named targetPort that no container declares",
            format!("{}{}", deployment("web", 2, "app: web", "[{containerPort: 8080, name: web}]"), service("web", "app: web", "[{port: 80, targetPort: http}]")),
            "Service/default/web",
            vec!["warning: targetPort http is not a container port name of any selected pod (their container ports are web (8080/TCP)): the endpoints have no port http"],
        ),
        (
            "pods that never become ready",
            format!(
                "{}{}",
                deployment("web", 2, "app: web", "[{containerPort: 80}]").replace("    metadata:\n      labels:", "    metadata:\n      annotations: {svcscope.dev/ready: \"false\"}\n      labels:"),
                service("web", "app: web", "[{port: 80}]")
            ),
            "Service/default/web",
            vec!["warning: no endpoint is ready: the 2 selected pod(s) are not Ready, so they are listed as not ready and get no traffic"],
        ),
        (
            "ExternalName ignores its selector",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: nginx-svc.qa.svc.cluster.local\n  selector: {app: nginx}\n".to_owned(),
            "Service/default/ext",
            vec!["warning: Service ext is ExternalName: it ignores its selector, gets no endpoints, and cluster DNS answers its name with a CNAME to nginx-svc.qa.svc.cluster.local"],
        ),
        (
            "selector-less Service without Endpoints",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  ports: [{port: 5432}]\n".to_owned(),
            "Service/default/db",
            vec!["warning: Service db has no selector, so no controller manages its endpoints, and there is no Endpoints or EndpointSlice object for it: it has no endpoints (cluster DNS has no address to answer with)"],
        ),
        (
            "selector-less Service with a manual Endpoints object is fine (seed 000)",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  ports: [{port: 5432}]\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n- addresses: [{ip: 192.168.1.10}]\n  ports: [{port: 5432}]\n".to_owned(),
            "Service/default/db",
            vec![],
        ),
        (
            // pkg/apis/apps/validation: ValidateDeploymentSpec.
            "Deployment selector that does not match its template",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: nginx, tier: front}\n    spec:\n      containers: [{name: c, image: nginx}]\n".to_owned(),
            "Deployment/default/web",
            vec![
                "error: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
                "error: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\", \"tier\":\"front\"}: `selector` does not match template `labels`",
            ],
        ),
        (
            // pkg/apis/discovery/validation: ValidateEndpointSlice.
            "EndpointSlice with a missing address type and a bad address",
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: manual-1\n  labels: {kubernetes.io/service-name: manual}\nendpoints:\n- addresses: []\n- addresses: [10.0.0.300]\nports:\n- name: http\n  port: 80\n- name: http\n  port: 81\n".to_owned(),
            "EndpointSlice/default/manual-1",
            vec![
                "error: addressType: Required value",
                "error: endpoints[0].addresses: Required value: must contain at least 1 address",
                "error: ports[1].name: Duplicate value: \"http\"",
            ],
        ),
        (
            "EndpointSlice with an IPv4 address that is not one",
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: manual-1\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.300]\n".to_owned(),
            "EndpointSlice/default/manual-1",
            vec!["error: endpoints[0].addresses[0]: Invalid value: \"10.0.0.300\": must be a valid IPv4 address"],
        ),
    ];
    let mut failures = Vec::new();
    for (name, yaml, object, expected) in &cases {
        let actual = diagnostics_for(yaml, object);
        if actual != *expected {
            failures.push(format!(
                "{name}:\n  expected {expected:#?}\n  actual   {actual:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn slices_hold_at_most_100_endpoints() {
    // 150 pods over enough nodes that all get addresses: two slices, 100 + 50.
    let yaml = format!(
        "{}{}",
        deployment("big", 150, "app: big", "[{containerPort: 80}]"),
        service("big", "app: big", "[{port: 80}]")
    );
    let config = ClusterConfig {
        nodes: 3,
        ..ClusterConfig::default()
    };
    let cluster = Cluster::build(&yaml, &config);
    let sizes: Vec<usize> = cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "big")
        .map(|slice| slice.endpoints.len())
        .collect();
    assert_eq!(sizes, vec![100, 50]);
}

#[test]
fn named_ports_that_resolve_differently_split_slices() {
    // Two Deployments behind one Service whose targetPort "http" is 8080 on one and 9090 on the
    // other: the controller groups endpoints by their ports, one slice per port set.
    let yaml = format!(
        "{}{}{}",
        deployment(
            "old",
            2,
            "app: web, version: old",
            "[{containerPort: 8080, name: http}]"
        ),
        deployment(
            "new",
            1,
            "app: web, version: new",
            "[{containerPort: 9090, name: http}]"
        ),
        service(
            "web",
            "app: web",
            "[{port: 80, name: web, targetPort: http}]"
        )
    );
    let cluster = Cluster::build(&yaml, &ClusterConfig::default());
    let slices: Vec<(Vec<i64>, usize)> = cluster
        .endpoint_slices
        .iter()
        .filter(|slice| slice.service == "web")
        .map(|slice| {
            (
                slice.ports.iter().map(|port| port.port).collect(),
                slice.endpoints.len(),
            )
        })
        .collect();
    assert_eq!(slices, vec![(vec![8080], 2), (vec![9090], 1)]);
    let endpoints = cluster
        .endpoints_named("default", "web")
        .expect("endpoints");
    let subsets: Vec<(i64, usize)> = endpoints
        .subsets
        .iter()
        .map(|subset| (subset.ports[0].port, subset.addresses.len()))
        .collect();
    assert_eq!(subsets, vec![(8080, 2), (9090, 1)]);
}

#[test]
fn statefulset_pods_get_hostnames_in_their_headless_service() {
    // Seed 001: StatefulSet web (serviceName web-headless) -> web-0..2 with hostname/subdomain;
    // the EndpointSlice carries each pod's hostname (podToEndpoint: hostname only when the
    // pod's subdomain is the Service's name).
    let yaml = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web-headless\n  replicas: 3\n  selector:\n    matchLabels: {app: web-headless}\n  template:\n    metadata:\n      labels: {app: web-headless}\n    spec:\n      containers:\n      - name: nginx-web\n        image: nginx\n        ports: [{containerPort: 80, name: nginx-web}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-headless\nspec:\n  clusterIP: None\n  selector: {app: web-headless}\n  ports: [{port: 30088, targetPort: 80, name: nginx-web-headless}]\n";
    let cluster = Cluster::build(yaml, &ClusterConfig::default());
    let slice = cluster
        .endpoint_slices
        .iter()
        .find(|slice| slice.service == "web-headless")
        .expect("slice");
    let hostnames: Vec<Option<&str>> = slice
        .endpoints
        .iter()
        .map(|endpoint| endpoint.hostname.as_deref())
        .collect();
    assert_eq!(hostnames, vec![Some("web-0"), Some("web-1"), Some("web-2")]);
    assert_eq!(slice.ports[0].name, "nginx-web-headless");
    assert_eq!(slice.ports[0].port, 80);
}

#[test]
fn commands_drive_the_controllers() {
    use svcscope::sim::control::cluster::{Command, Event};
    use svcscope::sim::input::objects::WorkloadKind;
    let mut cluster = Cluster::build(
        svcscope::explorer::scenarios::HEADLESS_NGINX,
        &ClusterConfig::default(),
    );
    let nginx_ips = |cluster: &Cluster| -> Vec<String> {
        cluster
            .endpoint_slices
            .iter()
            .filter(|slice| slice.service == "nginx")
            .flat_map(|slice| {
                slice.endpoints.iter().map(|endpoint| {
                    format!(
                        "{}{}",
                        endpoint.addresses[0],
                        if endpoint.ready { "" } else { " (not ready)" }
                    )
                })
            })
            .collect()
    };
    assert_eq!(nginx_ips(&cluster), vec!["10.244.1.2", "10.244.2.2"]);
    let first = cluster
        .pods
        .iter()
        .find(|pod| pod.namespace == "default")
        .map(|pod| pod.name.clone())
        .expect("a pod");

    // Deleting a ReplicaSet's pod: it terminates (its deletionTimestamp set), and the
    // ReplicaSet makes a replacement at once (`FilterActivePods` leaves terminating pods out);
    // the replacement, with a new name, is scheduled, gets the next address (host-local IPAM
    // does not hand the freed one out at once), and the EndpointSlice follows. nginx has no
    // preStop hook and exits on SIGTERM, so the old pod is gone at the same moment.
    let events = cluster.apply(&Command::DeletePod {
        pod: ObjectKey::new("default", &first),
    });
    let messages: Vec<String> = events.iter().map(Event::message).collect();
    assert_eq!(messages[0], format!("pod default/{first} terminating"));
    assert!(
        messages.contains(&format!("pod default/{first} deleted")),
        "{messages:#?}"
    );
    assert!(
        messages[1].starts_with("pod default/nginx-deployment-")
            && messages[1].contains("created by ReplicaSet/nginx-deployment-"),
        "{messages:#?}"
    );
    assert!(!messages[1].contains(&first));
    assert!(
        messages
            .iter()
            .any(|message| message.ends_with("scheduled to node-1")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|message| message.ends_with("got IP 10.244.1.3")),
        "{messages:#?}"
    );
    assert_eq!(nginx_ips(&cluster), vec!["10.244.2.2", "10.244.1.3"]);

    // Readiness: a pod that fails its probe stays listed, as not ready.
    let second = cluster
        .pods
        .iter()
        .find(|pod| pod.ip.as_deref() == Some("10.244.2.2"))
        .map(|pod| pod.name.clone())
        .expect("pod");
    cluster.apply(&Command::SetPodReady {
        pod: ObjectKey::new("default", &second),
        ready: false,
    });
    assert_eq!(
        nginx_ips(&cluster),
        vec!["10.244.2.2 (not ready)", "10.244.1.3"]
    );

    // A label change takes the pod out of the Service's selector and out of its ReplicaSet's:
    // the ReplicaSet releases it and creates a replacement, which the Service picks up.
    let events = cluster.apply(&Command::SetPodLabels {
        pod: ObjectKey::new("default", &second),
        labels: [("app".to_owned(), "other".to_owned())]
            .into_iter()
            .collect(),
    });
    assert!(
        events
            .iter()
            .any(|event| event.message().contains("created by ReplicaSet/")),
        "{events:#?}"
    );
    assert_eq!(nginx_ips(&cluster), vec!["10.244.1.3", "10.244.1.4"]);
    let released = cluster.pods.iter().find(|pod| pod.name == second);
    assert_eq!(released.map(|pod| pod.owner.clone()), Some(None));

    // Scaling the Deployment up adds pods (new names, next addresses) and endpoints.
    let events = cluster.apply(&Command::Scale {
        workload: ObjectKey::new("default", "nginx-deployment"),
        kind: WorkloadKind::Deployment,
        replicas: 3,
    });
    assert_eq!(
        events[0].message(),
        "Deployment/default/nginx-deployment scaled to 3 replicas"
    );
    assert_eq!(nginx_ips(&cluster).len(), 3, "{:?}", nginx_ips(&cluster));

    // Unknown names change nothing.
    assert_eq!(
        cluster.apply(&Command::DeletePod {
            pod: ObjectKey::new("default", "nope")
        }),
        &[] as &[Event]
    );
}
