//! Writing a what-if's spec change back into the YAML: only the number changes, in place;
//! anything that cannot be edited that way is left alone.
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

use svcscope::explorer::edit::{set_labels, set_replicas};
use svcscope::explorer::scenarios::HEADLESS_NGINX;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::input::manifest::parse_manifests;

fn deployment_index(text: &str) -> usize {
    parse_manifests(text)
        .objects
        .iter()
        .position(|object| object.kind == "Deployment")
        .expect("a Deployment")
}

#[test]
fn replicas_are_rewritten_in_place() {
    let parsed = parse_manifests(HEADLESS_NGINX);
    let object = &parsed.objects[deployment_index(HEADLESS_NGINX)];
    let edited = set_replicas(HEADLESS_NGINX, object, 3).expect("written back");
    assert_eq!(
        edited,
        HEADLESS_NGINX.replacen("replicas: 2", "replicas: 3", 1)
    );
    // Two digits and back.
    let parsed = parse_manifests(&edited);
    let object = &parsed.objects[deployment_index(&edited)];
    let twelve = set_replicas(&edited, object, 12).expect("written back");
    assert!(twelve.contains("  replicas: 12\n"));
}

#[test]
fn what_cannot_be_edited_in_place_is_left_alone() {
    for text in [
        // No replicas field (the API server defaults it to 1).
        HEADLESS_NGINX.replacen("  replicas: 2\n", "", 1),
        // Quoted: a string the API server would reject, not a number to bump.
        HEADLESS_NGINX.replacen("replicas: 2", "replicas: \"2\"", 1),
    ] {
        let parsed = parse_manifests(&text);
        let object = &parsed.objects[deployment_index(&text)];
        assert_eq!(set_replicas(&text, object, 3), None, "{text}");
    }
}

/// A label's key and value.
type Pair = (&'static str, &'static str);

fn labels(pairs: &[Pair]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

/// The labels the cluster built from `text` gives pod `default/NAME`.
fn pod_labels(text: &str, name: &str) -> BTreeMap<String, String> {
    Cluster::build(text, &ClusterConfig::default())
        .pods
        .into_iter()
        .find(|pod| pod.namespace == "default" && pod.name == name)
        .map(|pod| pod.labels)
        .expect("the pod")
}

/// `kubectl label --overwrite pod NAME ...` on a bare Pod, written into its manifest. Each row:
/// the manifest, the labels wanted, the manifest expected. The edited text is then built
/// again: the pod must come out with exactly the labels wanted. Values that plain YAML would
/// read as something other than a string are quoted (sigs.k8s.io/yaml, which kubectl uses to
/// read manifests, follows YAML 1.1: `yes`, `on`, `1` are not strings there, and a label
/// value must be one).
#[test]
fn a_bare_pods_labels_are_written_into_its_manifest() {
    let pod = |metadata: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n{metadata}spec:\n  containers:\n  - name: c\n    image: busybox\n"
        )
    };
    let rows: &[(&str, &[Pair], &str)] = &[
        // No labels: a `labels:` first in metadata.
        (
            "  name: client\n",
            &[("app", "nginx")],
            "  labels:\n    app: nginx\n  name: client\n",
        ),
        // A block mapping: rewritten at its indentation, in kubectl's (sorted) order.
        (
            "  name: client\n  labels:\n      tier: web\n      app: old\n  namespace: default\n",
            &[("app", "new"), ("tier", "web"), ("version", "1")],
            "  name: client\n  labels:\n      app: new\n      tier: web\n      version: \"1\"\n  namespace: default\n",
        ),
        // Empty, in both spellings.
        (
            "  name: client\n  labels: {}\n",
            &[("enabled", "yes"), ("app.kubernetes.io/name", "web")],
            "  name: client\n  labels:\n    app.kubernetes.io/name: web\n    enabled: \"yes\"\n",
        ),
        (
            "  name: client\n  labels:\n",
            &[("on", "true")],
            "  name: client\n  labels:\n    \"on\": \"true\"\n",
        ),
        // Every label removed.
        (
            "  name: client\n  labels:\n    app: web\n",
            &[],
            "  name: client\n  labels:\n",
        ),
    ];
    for (metadata, wanted, expected) in rows {
        let text = pod(metadata);
        let parsed = parse_manifests(&text);
        let wanted = labels(wanted);
        let edited = set_labels(&text, &parsed.objects[0], &wanted).expect("written back");
        assert_eq!(edited, pod(expected), "{metadata}");
        assert_eq!(pod_labels(&edited, "client"), wanted, "{edited}");
    }
}

#[test]
fn labels_that_cannot_be_written_in_place_are_left_alone() {
    for metadata in [
        // Flow mappings.
        "metadata: {name: client}\n",
        "metadata:\n  name: client\n  labels: {app: web}\n",
        // A comment between the entries would be lost.
        "metadata:\n  name: client\n  labels:\n    app: web\n    # the tier\n    tier: db\n",
        // A value over two lines.
        "metadata:\n  name: client\n  labels:\n    app: >-\n      web\n",
    ] {
        let text = format!("apiVersion: v1\nkind: Pod\n{metadata}");
        let parsed = parse_manifests(&text);
        assert_eq!(
            set_labels(&text, &parsed.objects[0], &labels(&[("app", "x")])),
            None,
            "{metadata}"
        );
    }
}
