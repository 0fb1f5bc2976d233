//! Edits written back into the user's YAML, so that a what-if that changes spec (a workload's
//! replicas) shows in the text as `kubectl edit` would leave it.

use crate::sim::input::manifest::ObjectRef;
use crate::sim::input::yaml::Value;

/// `text` with `object`'s `spec.replicas` set to `replicas`, when the object states it as a
/// plain number on one line (the text is replaced in place, nothing else moves). `None` when
/// it cannot be written back that way (no `spec.replicas`, a quoted or flow value, or a
/// position outside the text): the caller then keeps the change as a command.
pub fn set_replicas(text: &str, object: &ObjectRef, replicas: usize) -> Option<String> {
    let node = object.source.as_ref()?.get("spec")?.get("replicas")?;
    let Value::Scalar { text: old, plain } = &node.value else {
        return None;
    };
    if !*plain || old.parse::<u64>().is_err() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 4);
    let mut done = false;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if index + 1 != node.line {
            out.push_str(line);
            continue;
        }
        // Columns count characters.
        let start = line.char_indices().nth(node.column.checked_sub(1)?)?.0;
        let end = start.checked_add(old.len())?;
        if line.get(start..end)? != old {
            return None;
        }
        out.push_str(line.get(..start)?);
        out.push_str(&replicas.to_string());
        out.push_str(line.get(end..)?);
        done = true;
    }
    done.then_some(out)
}

/// `text` with `object`'s `metadata.labels` replaced by `labels`, as `kubectl label` leaves a
/// bare Pod's manifest (`kubectl get pod -o yaml` shows them there; the manifest is what the
/// user applies next). Written only where nothing else moves: a block `labels:` mapping of
/// one-line entries on consecutive lines (rewritten at the same indentation), an empty
/// `labels:` / `labels: {}` (entries added below it), or no `labels` at all in a block
/// `metadata` (a `labels:` added as its first key). `None` otherwise (flow mappings, comments
/// between entries, values spread over lines): the caller then keeps the change as a command.
pub fn set_labels(
    text: &str,
    object: &ObjectRef,
    labels: &std::collections::BTreeMap<String, String>,
) -> Option<String> {
    let Value::Mapping(top) = &object.source.as_ref()?.value else {
        return None;
    };
    let (metadata_key, metadata) = top
        .iter()
        .rev()
        .find(|(key, _)| key.scalar_text() == Some("metadata"))?;
    let Value::Mapping(fields) = &metadata.value else {
        return None;
    };
    // The first line to replace (1-based), how many, the columns of the entries and (when
    // that line is written too) of the `labels:` key. A block mapping starts on a line below
    // its key (a flow one, `{...}`, on the same line).
    let (line, replaced, column, header) = match fields
        .iter()
        .rev()
        .find(|(key, _)| key.scalar_text() == Some("labels"))
    {
        None if metadata.line > metadata_key.line => {
            (metadata.line, 0, metadata.column + 2, Some(metadata.column))
        }
        Some((key, node)) => match &node.value {
            // One entry per line, on consecutive lines, in a block mapping.
            Value::Mapping(list)
                if node.line > key.line
                    && list.iter().enumerate().all(|(index, (key, value))| {
                        key.line == node.line + index
                            && value.line == key.line
                            && matches!(value.value, Value::Scalar { .. } | Value::Null)
                    }) =>
            {
                (node.line, list.len(), node.column, None)
            }
            // `labels:` or `labels: {}`: that line, then the entries below it.
            Value::Null | Value::Mapping(_)
                if !matches!(&node.value, Value::Mapping(list) if !list.is_empty())
                    && text
                        .split_inclusive('\n')
                        .nth(key.line.checked_sub(1)?)?
                        .get(key.column.checked_sub(1)?..)
                        .is_some_and(|rest| {
                            matches!(rest.trim_end(), "labels:" | "labels: {}")
                        }) =>
            {
                (key.line, 1, key.column + 2, Some(key.column))
            }
            _ => return None,
        },
        None => return None,
    };
    let mut with = String::new();
    if let Some(column) = header {
        with.push_str(&" ".repeat(column.checked_sub(1)?));
        with.push_str(if labels.is_empty() {
            "labels: {}\n"
        } else {
            "labels:\n"
        });
    }
    let indent = " ".repeat(column.checked_sub(1)?);
    for (key, value) in labels {
        with.push_str(&indent);
        push_plain(&mut with, key);
        with.push_str(": ");
        push_plain(&mut with, value);
        with.push('\n');
    }
    let mut out = String::with_capacity(text.len() + with.len());
    let mut done = false;
    for (index, old) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            out.push_str(&with);
            done = true;
        }
        if index + 1 < line || index + 1 >= line + replaced {
            out.push_str(old);
        }
    }
    done.then_some(out)
}

/// Appends a label key or value as YAML reads it back as the same string: plain when it is
/// one, in double quotes when plain YAML would read a number, a boolean (YAML 1.1's
/// `yes`/`no`/`on`/`off` too, as sigs.k8s.io/yaml does) or null. Label keys and values never
/// need escapes.
fn push_plain(out: &mut String, text: &str) {
    let keyword = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    let plain = text.starts_with(|first: char| first.is_ascii_alphabetic())
        && text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'/'));
    if plain && !keyword {
        out.push_str(text);
    } else {
        out.push('"');
        out.push_str(text);
        out.push('"');
    }
}
