//! The timeline's replay (`sim::replay`): folding the event stream rebuilds exactly the cluster
//! the controllers reached, so that playing it back ends where the model is. Checked for every
//! scenario and every what-if kind, and for every corpus file.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};

use svcscope::explorer::replay::Frame;
use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::{Cluster, Command};

/// The final frame against the cluster itself.
fn assert_replays(label: &str, cluster: &Cluster) {
    let frame = Frame::after(&cluster.events, usize::MAX);
    let from_events: BTreeSet<_> = frame
        .pods
        .iter()
        .map(|pod| (pod.pod.clone(), pod.node.clone(), pod.ip.clone(), pod.ready))
        .collect();
    let from_model: BTreeSet<_> = cluster
        .pods
        .iter()
        .map(|pod| {
            (
                format!("{}/{}", pod.namespace, pod.name),
                pod.node_name.clone(),
                pod.ip.clone(),
                pod.ready,
            )
        })
        .collect();
    assert_eq!(from_events, from_model, "{label}: pods");
    let services: BTreeSet<String> = cluster
        .services
        .iter()
        .map(|service| {
            format!(
                "{}/{}",
                service.meta.namespace_or_default(),
                service.meta.name
            )
        })
        .collect();
    assert_eq!(frame.services, services, "{label}: services");
    let slices: BTreeMap<String, (String, Vec<(String, bool)>)> = cluster
        .endpoint_slices
        .iter()
        .map(|slice| {
            (
                format!("{}/{}", slice.namespace, slice.name),
                (
                    slice.service.clone(),
                    slice
                        .endpoints
                        .iter()
                        .flat_map(|endpoint| {
                            endpoint
                                .addresses
                                .iter()
                                .map(move |address| (address.clone(), endpoint.ready))
                        })
                        .collect(),
                ),
            )
        })
        .collect();
    let replayed: BTreeMap<String, (String, Vec<(String, bool)>)> = frame
        .slices
        .iter()
        .map(|(slice, service, endpoints)| (slice.clone(), (service.clone(), endpoints.clone())))
        .collect();
    assert_eq!(frame.slices.len(), replayed.len(), "{label}: a slice twice");
    assert_eq!(replayed, slices, "{label}: endpoint slices");
}

#[test]
fn every_scenario_replays_to_the_model() {
    for scenario in SCENARIOS {
        let cluster = Cluster::build(scenario.yaml, &ClusterConfig::default());
        assert!(!cluster.events.is_empty(), "{}", scenario.id);
        assert_replays(scenario.id, &cluster);
        // Part-way, a frame never shows more pods than the end does.
        let half = Frame::after(&cluster.events, cluster.events.len() / 2);
        assert!(half.pods.len() <= cluster.pods.len() + 1, "{}", scenario.id);
    }
}

#[test]
fn what_ifs_replay_to_the_model() {
    let scenario = svcscope::explorer::scenarios::scenario("headless").expect("scenario");
    let mut cluster = Cluster::build(scenario.yaml, &ClusterConfig::default());
    let pod = |cluster: &Cluster, index: usize| {
        let pod = cluster
            .pods
            .iter()
            .filter(|pod| pod.namespace == "default")
            .nth(index)
            .expect("a default pod");
        (pod.namespace.clone(), pod.name.clone())
    };
    let (namespace, name) = pod(&cluster, 0);
    cluster.apply(&Command::DeletePod { namespace, name });
    assert_replays("delete", &cluster);
    let (namespace, name) = pod(&cluster, 1);
    cluster.apply(&Command::SetPodReady {
        namespace,
        name,
        ready: false,
    });
    assert_replays("not ready", &cluster);
    let (namespace, name) = pod(&cluster, 0);
    cluster.apply(&Command::SetPodLabels {
        namespace,
        name,
        labels: BTreeMap::from([("app".to_owned(), "other".to_owned())]),
    });
    assert_replays("relabel", &cluster);
    cluster.apply(&Command::Scale {
        namespace: "default".to_owned(),
        kind: svcscope::sim::input::objects::WorkloadKind::Deployment,
        name: "nginx-deployment".to_owned(),
        replicas: 5,
    });
    assert_replays("scale up", &cluster);
    cluster.apply(&Command::Scale {
        namespace: "default".to_owned(),
        kind: svcscope::sim::input::objects::WorkloadKind::Deployment,
        name: "nginx-deployment".to_owned(),
        replicas: 1,
    });
    assert_replays("scale down", &cluster);
}

#[test]
fn every_corpus_file_replays_to_the_model() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/real");
    let mut files: Vec<_> = walk(&root);
    files.sort();
    assert!(files.len() > 50, "corpus at {}", root.display());
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let cluster = Cluster::build(&text, &ClusterConfig::default());
        assert_replays(&file.display().to_string(), &cluster);
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
    out
}
