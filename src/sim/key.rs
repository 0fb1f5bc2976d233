//! Typed references to namespaced objects: `namespace/name` as data, not as a string to split.

use std::fmt;

/// A namespaced object's identity (kube-rs's `ObjectRef` without the kind: the kind is the
/// type of what it points at).
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct ObjectKey {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectKey {
    /// The object `name` in `namespace`.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> ObjectKey {
        ObjectKey {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Reads `namespace/name`, or a bare `name` in `default_namespace` (as kubectl reads
    /// `-n NS NAME`).
    pub fn parse(text: &str, default_namespace: &str) -> ObjectKey {
        match text.split_once('/') {
            Some((namespace, name)) => ObjectKey::new(namespace, name),
            None => ObjectKey::new(default_namespace, text),
        }
    }

    /// Whether this is `namespace/name`.
    pub fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace == namespace && self.name == name
    }
}

/// `namespace/name`, as events and share links write it.
impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}
