//! `kubectl label --overwrite pod NAME ARGS...` against the model: kubectl's argument handling
//! (`cmdutil.GetResourcesAndPairs`, then `parseLabels` and `labelFunc` of
//! `staging/src/k8s.io/kubectl/pkg/cmd/label/label.go`) and the API server's `ValidateLabels`
//! on the labels that result. What kubectl would print comes back with the commands to apply.

use std::collections::BTreeMap;

use crate::sim::control::apiserver::{label_value_errors, validate_labels};
use crate::sim::control::cluster::{Cluster, Command};
use crate::sim::input::field::{kubectl_invalid_message, quoted};
use crate::sim::key::ObjectKey;

/// The outcome of one `kubectl label` run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labeled {
    /// What changes, one command per pod whose labels change.
    pub commands: Vec<Command>,
    /// What kubectl prints on stdout (`pod/NAME labeled`, `label "KEY" not found.`).
    pub stdout: String,
    /// What kubectl prints on stderr (`error: ...`, `The Pod "NAME" is invalid: ...`).
    pub stderr: String,
}

/// `kubectl label --overwrite pod NAME ARGS` in `namespace`, `ARGS` split at whitespace as a
/// shell would split unquoted words. Extra pod names may come before the first `KEY=VALUE` or
/// `KEY-`, as kubectl takes them.
pub fn kubectl_label(cluster: &Cluster, namespace: &str, name: &str, args: &str) -> Labeled {
    let mut names = vec![name];
    let mut pairs = Vec::new();
    for word in args.split_whitespace() {
        // GetResourcesAndPairs: a pair holds '=' (not first) or ends in '-' (and is not "-").
        let pair =
            (word.contains('=') && !word.starts_with('=')) || (word.ends_with('-') && word != "-");
        if pair {
            pairs.push(word);
        } else if pairs.is_empty() {
            names.push(word);
        } else {
            return failed(format!(
                "error: all resources must be specified before label changes: {word}"
            ));
        }
    }
    let (set, remove) = match parse_labels(&pairs) {
        Ok(parsed) => parsed,
        Err(message) => return failed(format!("error: {message}")),
    };
    if set.is_empty() && remove.is_empty() {
        return failed("error: at least one label update is required".to_owned());
    }
    let mut out = Labeled::default();
    let mut errors = Vec::new();
    for pod_name in names {
        let Some(pod) = cluster
            .pods
            .iter()
            .find(|pod| pod.namespace == namespace && pod.name == pod_name)
        else {
            // apierrors.NewNotFound: "%s %q not found".
            errors.push(format!(
                "Error from server (NotFound): pods {} not found",
                quoted(pod_name)
            ));
            continue;
        };
        for key in &remove {
            if !pod.labels.contains_key(*key) {
                out.stdout
                    .push_str(&format!("label {} not found.\n", quoted(key)));
            }
        }
        let mut labels = BTreeMap::new();
        for (key, value) in &pod.labels {
            if !remove.contains(&key.as_str()) {
                labels.insert(key.clone(), value.clone());
            }
        }
        for (key, value) in &set {
            labels.insert((*key).to_owned(), (*value).to_owned());
        }
        let invalid = validate_labels(&labels, "metadata.labels");
        if !invalid.is_empty() {
            errors.push(kubectl_invalid_message("Pod", &pod.name, &invalid));
            continue;
        }
        // updateDataChangeMsg with --overwrite: "labeled" when anything changed.
        let changed = labels != pod.labels;
        out.stdout.push_str(&format!(
            "pod/{} {}\n",
            pod.name,
            if changed { "labeled" } else { "not labeled" }
        ));
        if changed {
            out.commands.push(Command::SetPodLabels {
                pod: ObjectKey::new(namespace, &pod.name),
                labels,
            });
        }
    }
    for error in errors {
        out.stderr.push_str(&error);
        out.stderr.push('\n');
    }
    out
}

/// Labels to set (a later pair of a key wins, as in kubectl's map) and keys to remove.
type Parsed<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);

/// kubectl's `parseLabels`: `KEY=VALUE` (the value checked with `IsValidLabelValue`) or
/// `KEY-`; a key may not be both set and removed.
fn parse_labels<'a>(pairs: &[&'a str]) -> Result<Parsed<'a>, String> {
    let mut set = Vec::new();
    let mut remove = Vec::new();
    for pair in pairs {
        if pair.contains('=') {
            let mut parts = pair.split('=');
            let (Some(key), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
                return Err(format!("invalid label spec: {pair}"));
            };
            let errors = label_value_errors(value);
            if !errors.is_empty() {
                return Err(format!(
                    "invalid label value: {}: {}",
                    quoted(pair),
                    errors.join(";")
                ));
            }
            set.push((key, value));
        } else if let Some(key) = pair.strip_suffix('-') {
            remove.push(key);
        } else {
            return Err(format!("unknown label spec: {pair}"));
        }
    }
    if remove
        .iter()
        .any(|key| set.iter().any(|(set_key, _)| set_key == key))
    {
        return Err("can not both modify and remove a label in the same command".to_owned());
    }
    Ok((set, remove))
}

fn failed(stderr: String) -> Labeled {
    Labeled {
        stderr: stderr + "\n",
        ..Labeled::default()
    }
}
