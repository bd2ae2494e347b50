//! A readable diff of one event before and after processing.
//!
//! People trying a policy want to see, per event, which values changed and
//! into what — not two walls of JSON. So the two trees are compared member
//! by member and each changed value is printed once, under its path, as it
//! was and as it is now. The `_meta` the core adds is summarised, not listed:
//! it mirrors the changes already shown.

use std::io::{self, Write};

use serde_json::Value;

/// Longest rendering of one value before it is cut.
const MAX_SHOWN_CHARS: usize = 120;

#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) changed_events: usize,
    pub(crate) changed_values: usize,
    pub(crate) dropped: usize,
}

impl Summary {
    pub(crate) fn write(&self, out: &mut impl Write, total: usize) -> io::Result<()> {
        writeln!(
            out,
            "{total} events: {} changed ({} values), {} unchanged, {} dropped",
            self.changed_events,
            self.changed_values,
            total - self.changed_events - self.dropped,
            self.dropped
        )
    }
}

struct Change {
    /// The member names and indices from the event root.
    path: Vec<String>,
    before: Option<Value>,
    after: Option<Value>,
}

pub(crate) fn write_event(
    out: &mut impl Write,
    index: usize,
    total: usize,
    before: &Value,
    after: &Value,
    colour: bool,
    summary: &mut Summary,
) -> io::Result<()> {
    let mut changes = Vec::new();
    compare(&[], Some(before), Some(after), &mut changes);
    let (meta, values): (Vec<Change>, Vec<Change>) = changes
        .into_iter()
        .partition(|change| change.path.first().is_some_and(|first| first == "_meta"));
    let heading = format!("event {}/{total} {}", index + 1, describe(before));
    if values.is_empty() && meta.is_empty() {
        return writeln!(out, "{heading}: unchanged");
    }
    summary.changed_events += 1;
    summary.changed_values += values.len();
    let (red, green, bold, plain) = if colour {
        ("\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    writeln!(out, "{bold}{heading}: {} changed{plain}", values.len())?;
    for change in &values {
        let rules = rule_ids(after, &change.path);
        let because = if rules.is_empty() {
            String::new()
        } else {
            format!("  ({})", rules.join(", "))
        };
        writeln!(out, "  {}{because}", change.path.join("."))?;
        if let Some(value) = &change.before {
            writeln!(out, "    {red}- {}{plain}", show(value))?;
        }
        if let Some(value) = &change.after {
            writeln!(out, "    {green}+ {}{plain}", show(value))?;
        }
    }
    let remarks = count_remarks(after.get("_meta")) - count_remarks(before.get("_meta"));
    if remarks > 0 {
        writeln!(out, "  _meta: {remarks} remarks added")?;
    }
    Ok(())
}

fn compare(
    path: &[String],
    before: Option<&Value>,
    after: Option<&Value>,
    changes: &mut Vec<Change>,
) {
    let child = |segment: &str| [path, &[segment.to_owned()]].concat();
    match (before, after) {
        (Some(left), Some(right)) if left == right => {}
        (Some(Value::Object(left)), Some(Value::Object(right))) => {
            for (key, value) in right {
                compare(&child(key), left.get(key), Some(value), changes);
            }
            for (key, value) in left.iter().filter(|(key, _)| !right.contains_key(*key)) {
                compare(&child(key), Some(value), None, changes);
            }
        }
        (Some(Value::Array(left)), Some(Value::Array(right))) if left.len() == right.len() => {
            for (index, (old, new)) in left.iter().zip(right).enumerate() {
                compare(&child(&index.to_string()), Some(old), Some(new), changes);
            }
        }
        _ => changes.push(Change {
            path: path.to_vec(),
            before: before.cloned(),
            after: after.cloned(),
        }),
    }
}

/// The rules `_meta` names for the value at `path`: why it changed.
fn rule_ids(event: &Value, path: &[String]) -> Vec<String> {
    let slot = path
        .iter()
        .try_fold(event.get("_meta"), |node, segment| Some(node?.get(segment)))
        .flatten()
        .and_then(|node| node.get(""))
        .and_then(|slot| slot.get("rem"))
        .and_then(Value::as_array);
    let mut ids: Vec<String> = slot
        .into_iter()
        .flatten()
        .filter_map(|remark| remark.get(0).and_then(Value::as_str).map(str::to_owned))
        .collect();
    ids.dedup();
    ids
}

fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= MAX_SHOWN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_SHOWN_CHARS).collect();
    format!("{cut}… ({} chars)", text.chars().count())
}

/// `3f2a9c1e ValueError: bad input` — enough to find the event again.
fn describe(event: &Value) -> String {
    let id: String = event
        .get("event_id")
        .and_then(Value::as_str)
        .unwrap_or("-")
        .chars()
        .take(8)
        .collect();
    let exception = event
        .pointer("/exception/values")
        .and_then(Value::as_array)
        .and_then(|values| values.last())
        .map(|last| {
            let kind = last.get("type").and_then(Value::as_str).unwrap_or("Error");
            match last.get("value").and_then(Value::as_str) {
                Some(message) => format!("{kind}: {message}"),
                None => kind.to_owned(),
            }
        });
    let title = exception
        .or_else(|| {
            event
                .get("transaction")
                .and_then(Value::as_str)
                .map(|name| format!("transaction {name}"))
        })
        .or_else(|| {
            event
                .pointer("/logentry/message")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .or_else(|| {
            event
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let title: String = title.chars().take(70).collect();
    format!("{id} {title}").trim_end().to_owned()
}

fn count_remarks(meta: Option<&Value>) -> usize {
    match meta {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(key, value)| match (key.as_str(), value) {
                ("", Value::Object(slot)) => slot
                    .get("rem")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len),
                _ => count_remarks(Some(value)),
            })
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_values_are_listed_by_path() {
        let before = json!({"event_id": "abcdef0123", "extra": {"password": "hunter2", "ok": 1}, "l": [1, 2]});
        let after = json!({"event_id": "abcdef0123", "extra": {"password": "[Filtered]", "ok": 1}, "l": [1, 3],
                            "_meta": {"extra": {"password": {"": {"rem": [["r", "s", 0, 10]]}}}}});
        let mut out = Vec::new();
        let mut summary = Summary::default();
        write_event(&mut out, 0, 1, &before, &after, false, &mut summary).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with("event 1/1 abcdef01: 2 changed\n"),
            "{text}"
        );
        assert!(
            text.contains("  extra.password  (r)\n    - \"hunter2\"\n    + \"[Filtered]\"\n"),
            "{text}"
        );
        assert!(text.contains("  l.1\n"), "{text}");
        assert!(text.contains("_meta: 1 remarks added"), "{text}");
        assert_eq!(summary.changed_values, 2);
    }

    #[test]
    fn unchanged_events_say_so() {
        let event = json!({"message": "hi"});
        let mut out = Vec::new();
        write_event(
            &mut out,
            1,
            2,
            &event,
            &event,
            false,
            &mut Summary::default(),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "event 2/2 - hi: unchanged\n"
        );
    }
}
