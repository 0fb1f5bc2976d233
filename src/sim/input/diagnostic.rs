//! What reading and admitting the input found wrong: a diagnostic with its document, line,
//! column, object and field path.

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Severity {
    /// The document (or part of it) could not be read.
    Error,
    /// Read, but something is likely not what the author meant.
    Warning,
}

/// A problem found while reading the input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// 0-based index of the YAML document the problem is in.
    pub document: usize,
    /// 1-based line in the whole input, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The object it concerns, as `Kind/namespace/name` (`Kind/name` when cluster-scoped);
    /// empty when the object could not be identified.
    pub object: String,
    /// The field path as the API server writes it (`spec.ports[0].targetPort`); empty when the
    /// problem is not about one field.
    pub field: String,
    /// For API validation errors, upstream's error type (`FieldValueRequired`, ...); empty
    /// otherwise.
    pub error_type: String,
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
