//! The timeline's replay (`Cluster::at`): applying the event stream to the cluster before any
//! event rebuilds exactly the cluster the controllers reached, because building it applied the
//! same events through the same write path (`Cluster::apply_event`). Checked for every scenario,
//! every what-if kind and every corpus file, and part-way through.
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

use std::collections::BTreeMap;

use svcscope::explorer::scenarios::SCENARIOS;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::{Cluster, Command};
use svcscope::sim::key::ObjectKey;

/// The replay of every event against the cluster itself, field by field.
fn assert_replays(label: &str, cluster: &Cluster) {
    let replayed = cluster.at(cluster.events.len());
    assert_eq!(replayed.services, cluster.services, "{label}: services");
    assert_eq!(replayed.workloads, cluster.workloads, "{label}: workloads");
    assert_eq!(replayed.pods, cluster.pods, "{label}: pods");
    assert_eq!(
        replayed.endpoint_slices, cluster.endpoint_slices,
        "{label}: endpoint slices"
    );
    assert_eq!(replayed.endpoints, cluster.endpoints, "{label}: endpoints");
    assert_eq!(replayed.objects, cluster.objects, "{label}: objects");
    // Part-way, then the rest applied through the one write path: the same cluster.
    let half = cluster.events.len() / 2;
    let mut resumed = cluster.at(half);
    for (event, at) in cluster.events.iter().zip(&cluster.times).skip(half) {
        resumed.now = *at;
        resumed.apply_event(event.clone());
    }
    assert_eq!(
        resumed.pods, cluster.pods,
        "{label}: pods, resumed half-way"
    );
    assert_eq!(
        resumed.endpoint_slices, cluster.endpoint_slices,
        "{label}: endpoint slices, resumed half-way"
    );
    assert_eq!(
        resumed.events.as_slice(),
        cluster.events.get(half..).unwrap_or_default(),
        "{label}: the events applied after half-way"
    );
    let before = cluster.at(0);
    assert!(
        before.pods.is_empty() && before.services.is_empty() && before.endpoint_slices.is_empty(),
        "{label}: nothing exists before the first event"
    );
}

#[test]
fn every_scenario_replays_to_the_model() {
    for scenario in SCENARIOS {
        let cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
        assert!(!cluster.events.is_empty(), "{}", scenario.id);
        assert_replays(scenario.id, &cluster);
        // Part-way, a frame never shows more pods than the end does.
        let half = cluster.at(cluster.events.len() / 2);
        assert!(half.pods.len() <= cluster.pods.len() + 1, "{}", scenario.id);
    }
}

#[test]
fn what_ifs_replay_to_the_model() {
    let scenario = svcscope::explorer::scenarios::scenario("headless").expect("scenario");
    let mut cluster = Cluster::build(scenario.yaml(), &scenario.stack().config());
    let pod = |cluster: &Cluster, index: usize| {
        let pod = cluster
            .pods
            .iter()
            .filter(|pod| pod.namespace == "default")
            .nth(index)
            .expect("a default pod");
        ObjectKey::new(&pod.namespace, &pod.name)
    };
    let first = pod(&cluster, 0);
    cluster.apply(&Command::DeletePod { pod: first });
    assert_replays("delete", &cluster);
    let second = pod(&cluster, 1);
    cluster.apply(&Command::SetPodReady {
        pod: second,
        ready: false,
    });
    assert_replays("not ready", &cluster);
    let first = pod(&cluster, 0);
    cluster.apply(&Command::SetPodLabels {
        pod: first,
        labels: BTreeMap::from([("app".to_owned(), "other".to_owned())]),
    });
    assert_replays("relabel", &cluster);
    cluster.apply(&Command::Scale {
        workload: ObjectKey::new("default", "nginx-deployment"),
        kind: svcscope::sim::input::objects::WorkloadKind::Deployment,
        replicas: 5,
    });
    assert_replays("scale up", &cluster);
    cluster.apply(&Command::Scale {
        workload: ObjectKey::new("default", "nginx-deployment"),
        kind: svcscope::sim::input::objects::WorkloadKind::Deployment,
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
