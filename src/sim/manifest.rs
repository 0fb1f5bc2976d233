//! Reading manifests: multi-document YAML (or JSON, which is YAML) into the objects it names.
//!
//! Parsing never fails: [`parse_manifests`] returns every object it could identify together with
//! diagnostics for what it could not read, each with the document index and, when the YAML parser
//! knows it, a 1-based line and column in the whole text.

use serde::Deserialize;

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
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The document (or part of it) could not be read.
    Error,
    /// Read, but something is likely not what the author meant.
    Warning,
}

/// A problem found while reading the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// 0-based index of the YAML document the problem is in.
    pub document: usize,
    /// 1-based line in the whole input, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Plain-words description.
    pub message: String,
}

impl Diagnostic {
    /// `line L, column C: message`, or just the message when the position is unknown.
    pub fn to_display_string(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {}", self.message),
            (Some(line), None) => format!("line {line}: {}", self.message),
            _ => format!("document {}: {}", self.document + 1, self.message),
        }
    }
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

/// The identifying fields of any Kubernetes object; everything else is ignored here.
#[derive(Deserialize)]
struct TypeAndName {
    #[serde(default, rename = "apiVersion")]
    api_version: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    namespace: Option<String>,
}

/// Reads every document of `text` and identifies the objects in it.
///
/// Empty documents (comments only, or nothing between two `---`) are skipped silently, as
/// `kubectl apply` skips them. A document that is not a mapping, or has no `kind`, gets a
/// diagnostic. A syntax error stops the reading there (the YAML parser cannot resynchronise), so
/// the objects before it are kept and the error carries its line and column.
///
/// Document indices are YAML's: a `---` that opens the text starts document 0, and a comment
/// before it belongs to that document.
pub fn parse_manifests(text: &str) -> ParsedManifests {
    let mut parsed = ParsedManifests::default();
    for (document, deserializer) in serde_yaml::Deserializer::from_str(text).enumerate() {
        let value = match serde_yaml::Value::deserialize(deserializer) {
            Ok(value) => value,
            Err(error) => {
                parsed.diagnostics.push(yaml_error(document, &error));
                // serde_yaml cannot resume after an error: its document iterator then repeats
                // the same error forever, and deserializing the next document can panic inside
                // serde_yaml ("unexpected end of mapping"). So reading stops at the first one.
                break;
            }
        };
        read_document(document, value, &mut parsed);
    }
    parsed
}

fn read_document(document: usize, value: serde_yaml::Value, parsed: &mut ParsedManifests) {
    match &value {
        serde_yaml::Value::Null => return,
        serde_yaml::Value::Mapping(_) => {}
        other => {
            parsed.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                document,
                line: None,
                column: None,
                message: format!(
                    "expected a Kubernetes object (a mapping with apiVersion and kind), found {}",
                    describe_value(other)
                ),
            });
            return;
        }
    }
    let fields: TypeAndName = match serde_yaml::from_value(value) {
        Ok(fields) => fields,
        Err(error) => {
            parsed.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                document,
                line: None,
                column: None,
                message: error.to_string(),
            });
            return;
        }
    };
    let Some(kind) = fields.kind.filter(|kind| !kind.is_empty()) else {
        parsed.diagnostics.push(Diagnostic {
            severity: Severity::Error,
            document,
            line: None,
            column: None,
            message: "Object 'Kind' is missing".to_owned(),
        });
        return;
    };
    let metadata = fields.metadata.unwrap_or(Metadata {
        name: None,
        namespace: None,
    });
    let namespace = if CLUSTER_SCOPED_KINDS.contains(&kind.as_str()) {
        String::new()
    } else {
        metadata
            .namespace
            .filter(|namespace| !namespace.is_empty())
            .unwrap_or_else(|| "default".to_owned())
    };
    parsed.objects.push(ObjectRef {
        document,
        api_version: fields.api_version.unwrap_or_default(),
        kind,
        namespace,
        name: metadata.name.unwrap_or_default(),
    });
}

fn yaml_error(document: usize, error: &serde_yaml::Error) -> Diagnostic {
    let location = error.location();
    Diagnostic {
        severity: Severity::Error,
        document,
        line: location.as_ref().map(|location| location.line()),
        column: location.as_ref().map(|location| location.column()),
        message: strip_location_suffix(&error.to_string()),
    }
}

/// serde_yaml puts " at line L column C" after the problem (and sometimes a second position for
/// the context it was parsing); the first position is reported separately, so it is removed.
fn strip_location_suffix(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = message.get(start..).unwrap_or_default();
    let end = rest
        .find(" column ")
        .map(|column| {
            let digits = rest
                .get(column + " column ".len()..)
                .unwrap_or_default()
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            start + column + " column ".len() + digits
        })
        .unwrap_or(message.len());
    format!(
        "{}{}",
        message.get(..start).unwrap_or_default(),
        message.get(end..).unwrap_or_default()
    )
}

fn describe_value(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}
