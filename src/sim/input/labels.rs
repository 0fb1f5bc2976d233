//! Labels and selectors, as apimachinery's `labels` package reads and prints them.

use std::collections::BTreeMap;

use crate::sim::input::objects::LabelSelector;

/// Does `selector` (matchLabels and matchExpressions) select `labels`?
pub fn selector_matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let labels_match = selector
        .match_labels
        .iter()
        .all(|(key, value)| labels.get(key) == Some(value));
    let expressions_match = selector.match_expressions.iter().all(|requirement| {
        let value = labels.get(&requirement.key);
        match requirement.operator.as_str() {
            "In" => value.is_some_and(|value| requirement.values.contains(value)),
            "NotIn" => !value.is_some_and(|value| requirement.values.contains(value)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    labels_match && expressions_match
}

/// A Service-style selector (a plain map) against labels.
pub fn map_selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector
        .iter()
        .all(|(key, value)| labels.get(key) == Some(value))
}

/// Labels as `KEY=VALUE` pairs joined by `separator`, in key order (`labels.FormatLabels` joins
/// with `,`; `kubectl label` takes them space-separated).
pub fn labels_text(labels: &BTreeMap<String, String>, separator: &str) -> String {
    let mut out = String::new();
    for (key, value) in labels {
        if !out.is_empty() {
            out.push_str(separator);
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}
