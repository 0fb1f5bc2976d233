//! Edits written back into the user's YAML, so that a what-if that changes spec (a workload's
//! replicas) shows in the text as `kubectl edit` would leave it.

use super::manifest::ObjectRef;
use super::yaml::Value;

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
