//! Reading manifests: multi-document YAML (or JSON, which is YAML) into the objects it names.
//!
//! Parsing never fails: [`parse_manifests`] returns every object it could identify together with
//! diagnostics for what it could not read, each with the document index and, when the YAML parser
//! knows it, a 1-based line and column in the whole text.

use crate::sim::input::decode::Decoder;
use crate::sim::input::diagnostic::{Diagnostic, Severity};
use crate::sim::input::field::GoQuoted;
use crate::sim::input::objects::{api_version_of, decode_object, Object};
use crate::sim::input::yaml::{self, Node, Value};

/// Kinds whose objects are not namespaced (`kubectl api-resources --namespaced=false`), among
/// those that commonly appear beside Services. Every other kind is treated as namespaced.
const CLUSTER_SCOPED_KINDS: &[&str] = &[
    "APIService",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "RuntimeClass",
    "StorageClass",
    "ValidatingWebhookConfiguration",
];

/// One object found in the input: what `kubectl get` would list it as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    /// 0-based index of the YAML document (`---`-separated) the object came from.
    pub document: usize,
    /// `apiVersion` as written, empty when missing.
    pub api_version: String,
    /// `kind` as written.
    pub kind: String,
    /// `metadata.namespace`, `default` when omitted (as the API server defaults it), and empty
    /// for cluster-scoped kinds.
    pub namespace: String,
    /// `metadata.name`, empty when missing.
    pub name: String,
    /// What became of it.
    pub status: ReadStatus,
    /// The decoded object, for modelled kinds that were accepted.
    pub decoded: Option<Object>,
    /// The YAML it was read from (modelled kinds only), to place later diagnostics.
    pub source: Option<Node>,
}

impl ObjectRef {
    /// `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds: how diagnostics name it.
    pub fn id(&self) -> String {
        if self.namespace.is_empty() {
            format!("{}/{}", self.kind, self.name)
        } else {
            format!("{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// What became of an object of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ReadStatus {
    /// A modelled kind, decoded without errors.
    Accepted,
    /// A modelled kind that the API server would reject (see the diagnostics).
    Rejected,
    /// A kind svcscope does not model (ConfigMap, Ingress, ...): listed, never an error.
    NotSimulated,
}

/// What [`parse_manifests`] found: the objects it could identify and the problems.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedManifests {
    /// Objects in input order.
    pub objects: Vec<ObjectRef>,
    /// Problems in input order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedManifests {
    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|diagnostic| diagnostic.severity == Severity::Error)
    }
}

/// Reads every document of `text` and identifies the objects in it.
///
/// Empty documents (comments only, or nothing between two `---`) are skipped silently, as
/// `kubectl apply` skips them. A document that is not a mapping, or has no `kind`, gets a
/// diagnostic. A syntax error costs only the document it is in, and carries its line and column.
/// `kind: List` documents contribute their items. Modelled kinds are decoded: unknown fields are
/// warnings, wrong types errors that reject the object, as the API server would.
///
/// Document indices are YAML's: a `---` that opens the text starts document 0, and a comment
/// before it belongs to that document.
pub fn parse_manifests(text: &str) -> ParsedManifests {
    let stream = yaml::parse_stream(text);
    let mut parsed = ParsedManifests::default();
    for document in stream.documents {
        read_object(document.index, document.root, true, &mut parsed);
    }
    for error in stream.errors {
        let line_text = text
            .lines()
            .nth(error.line.saturating_sub(1))
            .unwrap_or_default();
        let message = if line_text.contains("{{") || line_text.contains("%{") {
            format!(
                "this document is a template, not YAML: render it first (helm template, \
                 envsubst, ...); the YAML parser says: {}",
                error.message
            )
        } else {
            error.message
        };
        parsed.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            document: error.document,
            line: Some(error.line),
            column: Some(error.column),
            object: String::new(),
            field: String::new(),
            error_type: String::new(),
            message,
        });
    }
    parsed
}

fn read_object(document: usize, root: Node, top_level: bool, parsed: &mut ParsedManifests) {
    let root_ref = &root;
    let error = |message: String| Diagnostic {
        severity: Severity::Error,
        document,
        line: Some(root.line),
        column: Some(root.column),
        object: String::new(),
        field: String::new(),
        error_type: String::new(),
        message,
    };
    match &root.value {
        Value::Null if top_level => return,
        Value::Mapping(_) => {}
        _ => {
            parsed.diagnostics.push(error(format!(
                "expected a Kubernetes object (a mapping with apiVersion and kind), found {}",
                root.type_name()
            )));
            return;
        }
    }
    if top_level {
        let duplicates = yaml::duplicate_keys(root_ref);
        if !duplicates.is_empty() {
            // The API server's decoder rejects the whole object.
            for (line, column, message) in duplicates {
                parsed.diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    document,
                    line: Some(line),
                    column: Some(column),
                    object: String::new(),
                    field: String::new(),
                    error_type: String::new(),
                    message,
                });
            }
            return;
        }
    }
    let text_field = |node: Option<&Node>| {
        node.and_then(Node::scalar_text)
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let kind = text_field(root.get("kind"));
    if kind.is_empty() {
        parsed
            .diagnostics
            .push(error("Object 'Kind' is missing".to_owned()));
        return;
    }
    // `kind: List` (what `kubectl get -o yaml` prints for several objects): read its items.
    if top_level && kind == "List" {
        for item in list_items(root) {
            read_object(document, item, false, parsed);
        }
        return;
    }
    let api_version = text_field(root.get("apiVersion"));
    let metadata = root.get("metadata");
    let namespace = if CLUSTER_SCOPED_KINDS.contains(&kind.as_str()) {
        String::new()
    } else {
        let namespace = text_field(metadata.and_then(|metadata| metadata.get("namespace")));
        if namespace.is_empty() {
            "default".to_owned()
        } else {
            namespace
        }
    };
    let mut reference = ObjectRef {
        document,
        api_version,
        kind,
        namespace,
        name: text_field(metadata.and_then(|metadata| metadata.get("name"))),
        status: ReadStatus::NotSimulated,
        decoded: None,
        source: None,
    };
    let Some(served_version) = api_version_of(&reference.kind) else {
        parsed.objects.push(reference);
        return;
    };
    if reference.api_version.is_empty() {
        parsed
            .diagnostics
            .push(error("Object 'apiVersion' is missing".to_owned()));
        return;
    }
    let mut decoder = Decoder::new(document, reference.id(), &mut parsed.diagnostics);
    if reference.api_version != served_version {
        // What kubectl answers when the cluster does not serve that group/version (for
        // example `extensions/v1beta1` Deployments, removed in Kubernetes 1.16).
        let message = format!(
            "no matches for kind {} in version {} (this kind is served as {served_version})",
            GoQuoted(&reference.kind),
            GoQuoted(&reference.api_version)
        );
        let node = root.get("apiVersion").unwrap_or(root_ref);
        decoder.report(Severity::Error, node, "apiVersion", message);
        reference.status = ReadStatus::Rejected;
        parsed.objects.push(reference);
        return;
    }
    let decoded = decode_object(&mut decoder, &reference.kind, root_ref);
    if decoder.errors() == 0 {
        reference.status = ReadStatus::Accepted;
        reference.decoded = decoded;
    } else {
        reference.status = ReadStatus::Rejected;
    }
    reference.source = Some(root);
    parsed.objects.push(reference);
}

/// The `items` of a `kind: List` document, taken out of it.
fn list_items(root: Node) -> Vec<Node> {
    let Value::Mapping(entries) = root.value else {
        return Vec::new();
    };
    entries
        .into_iter()
        .rev()
        .find(|(key, _)| key.scalar_text() == Some("items"))
        .map(|(_, items)| match items.value {
            Value::Sequence(items) => items,
            _ => Vec::new(),
        })
        .unwrap_or_default()
}
