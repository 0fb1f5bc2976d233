//! What `kubectl apply -f svc.yaml` prints when the API server refuses a Service, from the
//! cluster's diagnostics: `The Service "NAME" is invalid: ...` (one error bare, several in
//! brackets, as apimachinery's `NewInvalid` joins them) or, for an internal error,
//! `Error from server (InternalError): error when creating "svc.yaml": ...`.

use svcscope::sim::control::cluster::Cluster;
use svcscope::sim::input::diagnostic::Severity;

/// The refusal of the Service `name`, if it was refused.
pub fn rejection(cluster: &Cluster, name: &str) -> Option<String> {
    let errors: Vec<_> = cluster
        .diagnostics
        .iter()
        .filter(|diagnostic| {
            diagnostic.severity == Severity::Error
                && diagnostic.object.rsplit('/').next() == Some(name)
        })
        .collect();
    match errors.as_slice() {
        [] => None,
        [internal] if internal.error_type == "InternalError" => Some(format!(
            "Error from server (InternalError): error when creating \"svc.yaml\": {}",
            internal.message
        )),
        [single] => Some(format!(
            "The Service {name:?} is invalid: {}",
            single.message
        )),
        many => {
            let texts: Vec<&str> = many.iter().map(|error| error.message.as_str()).collect();
            Some(format!(
                "The Service {name:?} is invalid: [{}]",
                texts.join(", ")
            ))
        }
    }
}
