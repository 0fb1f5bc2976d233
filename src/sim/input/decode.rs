//! Decoding YAML nodes into typed fields, the way the API server's strict JSON decoding does:
//! wrong types are errors (the object is rejected), unknown fields are warnings
//! (`unknown field "spec.selectr"`, as `kubectl apply` reports them), and every diagnostic
//! carries the field path, line and column.

use crate::sim::input::field::GoQuoted;
use std::collections::BTreeMap;

use crate::sim::input::diagnostic::{Diagnostic, Severity};
use crate::sim::input::yaml::{scalar_type, Node, ScalarType, Value};

/// An `int-or-string` field such as `targetPort`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    /// A number (`targetPort: 8080`).
    Int(i64),
    /// A name (`targetPort: http`).
    String(String),
}

impl std::fmt::Display for IntOrString {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntOrString::Int(value) => write!(formatter, "{value}"),
            IntOrString::String(value) => formatter.write_str(value),
        }
    }
}

/// Collects diagnostics for one object while its fields are decoded.
pub struct Decoder<'d> {
    document: usize,
    object: String,
    diagnostics: &'d mut Vec<Diagnostic>,
    errors: usize,
}

impl<'d> Decoder<'d> {
    /// A decoder for the object `object` (`Kind/namespace/name`) in document `document`.
    pub fn new(document: usize, object: String, diagnostics: &'d mut Vec<Diagnostic>) -> Self {
        Decoder {
            document,
            object,
            diagnostics,
            errors: 0,
        }
    }

    /// How many errors were reported so far; any error means the API server rejects the object.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// Records a diagnostic at `node`.
    pub fn report(&mut self, severity: Severity, node: &Node, field: &str, message: String) {
        if severity == Severity::Error {
            self.errors += 1;
        }
        self.diagnostics.push(Diagnostic {
            severity,
            document: self.document,
            line: Some(node.line),
            column: Some(node.column),
            object: self.object.clone(),
            field: field.to_owned(),
            error_type: String::new(),
            message,
        });
    }

    fn type_error(&mut self, node: &Node, field: &str, expected: &str) {
        let found = match &node.value {
            Value::Scalar { text, .. } => format!("{} ({})", node.type_name(), GoQuoted(text)),
            _ => node.type_name().to_owned(),
        };
        self.report(
            Severity::Error,
            node,
            field,
            format!("{field}: expected {expected}, found {found}"),
        );
    }

    /// The entries of a mapping field, warning about keys not in `known`. `None` (after an
    /// error) when the node is not a mapping; `Some(empty)` for null.
    pub fn mapping<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        known: &[&str],
    ) -> Option<Fields<'n>> {
        match &node.value {
            Value::Null => Some(Fields {
                entries: Vec::new(),
            }),
            Value::Mapping(entries) => {
                let mut fields = Vec::new();
                for (key, value) in entries {
                    let Some(name) = key.scalar_text() else {
                        self.type_error(key, path, "a field name");
                        continue;
                    };
                    if !known.contains(&name) {
                        let full = join(path, name);
                        self.report(
                            Severity::Warning,
                            key,
                            &full,
                            format!("unknown field {}", GoQuoted(&full)),
                        );
                        continue;
                    }
                    fields.push((name, value));
                }
                Some(Fields { entries: fields })
            }
            _ => {
                self.type_error(node, path, "a mapping");
                None
            }
        }
    }

    /// A string field; numbers and booleans are type errors, as in JSON decoding.
    pub fn string(&mut self, node: Option<&Node>, path: &str) -> Option<String> {
        let node = node?;
        match &node.value {
            Value::Null => None,
            Value::Scalar { text, .. } if scalar_type(node) == ScalarType::String => {
                Some(text.clone())
            }
            _ => {
                self.type_error(node, path, "a string");
                None
            }
        }
    }

    /// An integer field.
    pub fn int(&mut self, node: Option<&Node>, path: &str) -> Option<i64> {
        let node = node?;
        match (&node.value, scalar_type(node)) {
            (Value::Null, _) => None,
            (Value::Scalar { .. }, ScalarType::Int(value)) => Some(value),
            _ => {
                self.type_error(node, path, "an integer");
                None
            }
        }
    }

    /// A boolean field.
    pub fn bool(&mut self, node: Option<&Node>, path: &str) -> Option<bool> {
        let node = node?;
        match (&node.value, scalar_type(node)) {
            (Value::Null, _) => None,
            (Value::Scalar { .. }, ScalarType::Bool(value)) => Some(value),
            _ => {
                self.type_error(node, path, "a boolean");
                None
            }
        }
    }

    /// An int-or-string field (`targetPort`).
    pub fn int_or_string(&mut self, node: Option<&Node>, path: &str) -> Option<IntOrString> {
        let node = node?;
        match (&node.value, scalar_type(node)) {
            (Value::Null, _) => None,
            (Value::Scalar { .. }, ScalarType::Int(value)) => Some(IntOrString::Int(value)),
            (Value::Scalar { text, .. }, ScalarType::String) => {
                Some(IntOrString::String(text.clone()))
            }
            _ => {
                self.type_error(node, path, "an integer or a string");
                None
            }
        }
    }

    /// A `map[string]string` field (labels, annotations, selector).
    pub fn string_map(&mut self, node: Option<&Node>, path: &str) -> BTreeMap<String, String> {
        self.map_of(node, path, "a mapping of strings", Self::string, true)
    }

    /// A mapping whose values `read` decodes; a null value is the empty string when
    /// `null_is_empty` (as in a Go `map[string]string`), and is left out otherwise.
    fn map_of(
        &mut self,
        node: Option<&Node>,
        path: &str,
        expected: &str,
        read: fn(&mut Self, Option<&Node>, &str) -> Option<String>,
        null_is_empty: bool,
    ) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        let Some(node) = node else { return map };
        match &node.value {
            Value::Null => {}
            Value::Mapping(entries) => {
                for (key, value) in entries {
                    let Some(key_text) = key.scalar_text() else {
                        self.type_error(key, path, "a string key");
                        continue;
                    };
                    let field = join(path, key_text);
                    if let Some(value) = read(self, Some(value), &field) {
                        map.insert(key_text.to_owned(), value);
                    } else if null_is_empty && value.value == Value::Null {
                        map.insert(key_text.to_owned(), String::new());
                    }
                }
            }
            _ => self.type_error(node, path, expected),
        }
        map
    }

    /// A resource quantity (`500m`, `128Mi`, `1`): a string or a number, kept as written.
    pub fn quantity(&mut self, node: Option<&Node>, path: &str) -> Option<String> {
        let node = node?;
        match (&node.value, scalar_type(node)) {
            (Value::Null, _) => None,
            (
                Value::Scalar { text, .. },
                ScalarType::String | ScalarType::Int(_) | ScalarType::Float,
            ) => Some(text.clone()),
            _ => {
                self.type_error(node, path, "a quantity");
                None
            }
        }
    }

    /// A `map[ResourceName]Quantity` (`resources.limits`).
    pub fn quantity_map(&mut self, node: Option<&Node>, path: &str) -> BTreeMap<String, String> {
        self.map_of(node, path, "a mapping of quantities", Self::quantity, false)
    }

    /// `fields[name]` as a string, empty when absent (one call site shape for the many optional
    /// string fields: smaller in wasm than each spelling it out).
    pub fn text_of(&mut self, fields: &Fields, path: &str, name: &str) -> String {
        self.string(fields.get(name), &join(path, name))
            .unwrap_or_default()
    }

    /// `fields[name]` as a boolean, false when absent.
    pub fn flag_of(&mut self, fields: &Fields, path: &str, name: &str) -> bool {
        self.bool(fields.get(name), &join(path, name))
            .unwrap_or(false)
    }

    /// `fields[name]` as an integer.
    pub fn int_of(&mut self, fields: &Fields, path: &str, name: &str) -> Option<i64> {
        self.int(fields.get(name), &join(path, name))
    }

    /// A list of strings.
    pub fn string_list(&mut self, node: Option<&Node>, path: &str) -> Vec<String> {
        self.list(node, path)
            .into_iter()
            .filter_map(|(field, item)| self.string(Some(item), &field))
            .collect()
    }

    /// The items of a list field with their paths (`spec.ports[0]`).
    pub fn list<'n>(&mut self, node: Option<&'n Node>, path: &str) -> Vec<(String, &'n Node)> {
        let Some(node) = node else {
            return Vec::new();
        };
        match &node.value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (format!("{path}[{index}]"), item))
                .collect(),
            _ => {
                self.type_error(node, path, "a list");
                Vec::new()
            }
        }
    }
}

/// The known fields of a mapping, looked up by name.
pub struct Fields<'n> {
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Fields<'n> {
    /// Every entry of a mapping with a scalar key, without the unknown-field check (for parts
    /// of an object that are read only in passing); empty for anything else.
    pub fn lenient(node: Option<&'n Node>) -> Self {
        let entries = match node.map(|node| &node.value) {
            Some(Value::Mapping(entries)) => entries
                .iter()
                .filter_map(|(key, value)| Some((key.scalar_text()?, value)))
                .collect(),
            _ => Vec::new(),
        };
        Fields { entries }
    }

    /// The value of `name` (the last one when repeated).
    pub fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .rev()
            .find(|(candidate, _)| *candidate == name)
            .map(|(_, node)| *node)
    }
}

/// `path.name`, or `name` at the root.
pub fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}
