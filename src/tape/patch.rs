//! What processing changed in a [`Doc`], as edits to apply to the input.
//!
//! The patch is JSON text: `[[path, value], …]`, a path being the member
//! names and element indices from the root to the value to set (a name the
//! object lacks is added, after its other members). Edits are in the text's
//! order, and none lies under another: a replaced node's value carries
//! whatever was changed below it. The JS wrapper applies a patch to the
//! event it was given, copying each object and array on a changed path
//! rather than changing what the application still holds; [`apply_patch`]
//! is the same in Rust, for the tests that hold the patch to the `Value`
//! path's output.

use serde_json::Value;

use super::doc::{write_fresh, Doc};
use super::read::NONE;
use crate::float::push_json;
use crate::json_string::push_string;
use crate::tree::NodeKind;

impl Doc<'_> {
    /// The edits, as JSON text (`[]` when nothing changed).
    pub fn patch(&self) -> String {
        let mut changed = self.changed.borrow().clone();
        crate::sort::sort_unstable_by(&mut changed, |a, b| a < b);
        let mut out = Vec::with_capacity(64);
        // One buffer for every edit's path (an edit's path is nodes, root last).
        let mut path = Vec::new();
        out.push(b'[');
        for index in changed {
            if self.lies_under_a_replaced_node(index) {
                continue;
            }
            let node = &self.nodes[index as usize];
            let replaced = node.replaced.get();
            if replaced != NONE {
                self.write_edit(&mut out, &mut path, index, None, replaced);
                continue;
            }
            let list = node.added.get();
            let added = self.added.borrow()[list as usize].clone();
            for (key, id) in added {
                self.write_edit(&mut out, &mut path, index, Some(&key), id);
            }
        }
        out.push(b']');
        String::from_utf8(out).unwrap_or_else(|_| "[]".to_owned())
    }

    fn lies_under_a_replaced_node(&self, index: u32) -> bool {
        let mut parent = self.nodes[index as usize].parent;
        while parent != NONE {
            let node = &self.nodes[parent as usize];
            if node.replaced.get() != NONE {
                return true;
            }
            parent = node.parent;
        }
        false
    }

    /// `[path, value]` for the tape node `index` (or its new member `key`)
    /// set to the fresh node `id`.
    fn write_edit(
        &self,
        out: &mut Vec<u8>,
        path: &mut Vec<u32>,
        index: u32,
        key: Option<&str>,
        id: u32,
    ) {
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(b"[[");
        path.clear();
        let mut at = index;
        while at != NONE {
            path.push(at);
            at = self.nodes[at as usize].parent;
        }
        let mut first = true;
        // The root (last) has no name.
        for &step in path.iter().rev().skip(1) {
            if !first {
                out.push(b',');
            }
            first = false;
            let node = &self.nodes[step as usize];
            if self.nodes[node.parent as usize].kind == NodeKind::Object {
                // The name as the text spells it, escapes and all: valid JSON.
                out.push(b'"');
                out.extend_from_slice(
                    &self.text.as_bytes()[node.key_start as usize..node.key_end as usize],
                );
                out.push(b'"');
            } else {
                push_json(&node.key_start, out);
            }
        }
        if let Some(key) = key {
            if !first {
                out.push(b',');
            }
            push_string(key, out);
        }
        out.extend_from_slice(b"],");
        write_fresh(&self.fresh.borrow(), id, 0, out);
        out.push(b']');
    }
}

/// Applies a patch [`Doc::patch`] wrote to a `Value` of the same text.
pub fn apply_patch(target: &mut Value, patch: &str) -> Result<(), String> {
    let edits: Vec<(Vec<Value>, Value)> =
        serde_json::from_str(patch).map_err(|error| format!("not a patch: {error}"))?;
    for (path, value) in edits {
        let Some((last, steps)) = path.split_last() else {
            *target = value;
            continue;
        };
        let mut node = &mut *target;
        for step in steps {
            node = child(node, step).ok_or_else(|| format!("no {step} on the way"))?;
        }
        match (node, last) {
            (Value::Object(members), Value::String(key)) => {
                members.insert(key.clone(), value);
            }
            (Value::Array(items), Value::Number(index)) => {
                let slot = index
                    .as_u64()
                    .and_then(|index| items.get_mut(index as usize))
                    .ok_or_else(|| format!("no element {index}"))?;
                *slot = value;
            }
            _ => return Err(format!("cannot set {last}")),
        }
    }
    Ok(())
}

fn child<'v>(node: &'v mut Value, step: &Value) -> Option<&'v mut Value> {
    match (node, step) {
        (Value::Object(members), Value::String(key)) => members.get_mut(key),
        (Value::Array(items), Value::Number(index)) => items.get_mut(index.as_u64()? as usize),
        _ => None,
    }
}
