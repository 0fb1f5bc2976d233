//! `kubectl label --overwrite pod NAME ...` against the model: what kubectl prints, and what
//! the controllers do when a pod's labels leave its selector.
//!
//! Sources: kubectl's argument handling is `cmdutil.GetResourcesAndPairs` and `parseLabels`,
//! `labelFunc` and `updateDataChangeMsg` of `staging/src/k8s.io/kubectl/pkg/cmd/label/label.go`
//! (its `TestParseLabels` cases: `a=b`, `a=`, `a=b=c` and `a=%^$` are among the rows below);
//! the API server's check is `ValidateLabels` of apimachinery
//! `pkg/apis/meta/v1/validation/validation.go` over `content.IsLabelKey` and
//! `content.IsLabelValue` (`pkg/api/validate/content`), whose messages kubectl prints as
//! `The Pod "NAME" is invalid: metadata.labels: Invalid value: ...`.
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

use svcscope::explorer::scenarios::HEADLESS_NGINX;
use svcscope::sim::config::ClusterConfig;
use svcscope::sim::control::cluster::{Cluster, Command};
use svcscope::sim::kubectl::label::kubectl_label;

const KEY_REGEX: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must \
     start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', \
     regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_REGEX: &str = "a valid label must be an empty string or consist of alphanumeric \
     characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. \
     'MyValue',  or 'my_value',  or '12345', regex used for validation is \
     '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const SUBDOMAIN_REGEX: &str = "a lowercase RFC 1123 subdomain must consist of lower case \
     alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character \
     (e.g. 'example.com', regex used for validation is \
     '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

fn seed_000() -> (Cluster, String, String) {
    let cluster = Cluster::build(HEADLESS_NGINX, &ClusterConfig::default());
    let mut names = cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace == "default")
        .map(|pod| pod.name.clone());
    let first = names.next().expect("a pod");
    let second = names.next().expect("a second pod");
    (cluster, first, second)
}

#[test]
fn kubectl_label_prints_what_kubectl_prints() {
    let (cluster, pod, other) = seed_000();
    let long = "x".repeat(64);
    // (arguments after `kubectl label --overwrite pod POD`, stdout, stderr, pods changed).
    let cases: Vec<(String, String, String, usize)> = vec![
        (
            "app=web".into(),
            format!("pod/{pod} labeled\n"),
            "".into(),
            1,
        ),
        (
            "tier=front".into(),
            format!("pod/{pod} labeled\n"),
            "".into(),
            1,
        ),
        // An empty value is a value (TestParseLabels: "a=").
        ("tier=".into(), format!("pod/{pod} labeled\n"), "".into(), 1),
        (
            "app=nginx".into(),
            format!("pod/{pod} not labeled\n"),
            "".into(),
            0,
        ),
        (
            "tier-".into(),
            format!("label \"tier\" not found.\npod/{pod} not labeled\n"),
            "".into(),
            0,
        ),
        ("app-".into(), format!("pod/{pod} labeled\n"), "".into(), 1),
        // Another pod named before the first pair is labeled too.
        (
            format!("{other} tier=front"),
            format!("pod/{pod} labeled\npod/{other} labeled\n"),
            "".into(),
            2,
        ),
        (
            "missing app=web".into(),
            format!("pod/{pod} labeled\n"),
            "Error from server (NotFound): pods \"missing\" not found\n".into(),
            1,
        ),
        (
            "".into(),
            "".into(),
            "error: at least one label update is required\n".into(),
            0,
        ),
        (
            "app=web extra".into(),
            "".into(),
            "error: all resources must be specified before label changes: extra\n".into(),
            0,
        ),
        (
            "a=b=c".into(),
            "".into(),
            "error: invalid label spec: a=b=c\n".into(),
            0,
        ),
        (
            "a=%^$".into(),
            "".into(),
            format!("error: invalid label value: \"a=%^$\": {VALUE_REGEX}\n"),
            0,
        ),
        (
            format!("a={long}"),
            "".into(),
            format!(
                "error: invalid label value: \"a={long}\": must be no more than 63 characters\n"
            ),
            0,
        ),
        (
            "app=x app-".into(),
            "".into(),
            "error: can not both modify and remove a label in the same command\n".into(),
            0,
        ),
        // Keys are the API server's to refuse.
        (
            "-app=x".into(),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \"-app\": name \
                 part {KEY_REGEX}\n"
            ),
            0,
        ),
        (
            "/app=x".into(),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \"/app\": prefix \
                 part must be non-empty\n"
            ),
            0,
        ),
        (
            "Example.com/app=x".into(),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \
                 \"Example.com/app\": prefix part {SUBDOMAIN_REGEX}\n"
            ),
            0,
        ),
        (
            "a/b/c=x".into(),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \"a/b/c\": a valid \
                 label key {KEY_REGEX} with an optional DNS subdomain prefix and '/' (e.g. \
                 'example.com/MyName')\n"
            ),
            0,
        ),
        (
            format!("{long}=x"),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \"{long}\": name \
                 part must be no more than 63 characters\n"
            ),
            0,
        ),
        (
            "example.com/=x".into(),
            "".into(),
            format!(
                "The Pod \"{pod}\" is invalid: [metadata.labels: Invalid value: \
                 \"example.com/\": name part must be non-empty, metadata.labels: Invalid value: \
                 \"example.com/\": name part {KEY_REGEX}]\n"
            ),
            0,
        ),
    ];
    for (args, stdout, stderr, changed) in cases {
        let labeled = kubectl_label(&cluster, "default", &pod, &args);
        assert_eq!(labeled.stdout, stdout, "{args}");
        assert_eq!(labeled.stderr, stderr, "{args}");
        assert_eq!(labeled.commands.len(), changed, "{args}");
    }
}

/// A pod relabeled out of its ReplicaSet's selector is released: the ReplicaSet makes a new
/// pod, and the Service (selector app=nginx) stops listing the old one (ReplicaSet controller:
/// `ClaimPods` releases a pod that no longer matches; EndpointSlice controller: selection by
/// labels).
#[test]
fn a_relabeled_pod_leaves_its_replicaset_and_its_service() {
    let (mut cluster, pod, _) = seed_000();
    let labeled = kubectl_label(&cluster, "default", &pod, "app=debug");
    let [Command::SetPodLabels { labels, .. }] = labeled.commands.as_slice() else {
        panic!("one command: {labeled:?}");
    };
    assert_eq!(labels.get("app").map(String::as_str), Some("debug"));
    assert!(
        labels.contains_key("pod-template-hash"),
        "other labels stay"
    );
    for command in &labeled.commands {
        cluster.apply(command);
    }
    let pods: Vec<_> = cluster
        .pods
        .iter()
        .filter(|pod| pod.namespace == "default")
        .collect();
    assert_eq!(pods.len(), 3, "the released pod and its replacement");
    let released = pods.iter().find(|p| p.name == pod).expect("still there");
    assert_eq!(released.owner, None);
    let ip = released.ip.clone().expect("an IP");
    let slice = cluster
        .endpoint_slices
        .iter()
        .find(|slice| slice.service == "nginx")
        .expect("a slice");
    let addresses: Vec<&str> = slice
        .endpoints
        .iter()
        .flat_map(|endpoint| endpoint.addresses.iter().map(String::as_str))
        .collect();
    assert_eq!(addresses.len(), 2, "{addresses:?}");
    assert!(!addresses.contains(&ip.as_str()), "{addresses:?}");
}
