//! The tags, contexts and fingerprint an exception carries, merged into its event.
//!
//! A common pattern (safir's `SentryException`, hand-written error classes)
//! gives an exception `tags`, `contexts` and `fingerprint` attributes and a
//! `before_send` that copies them into the event. The bindings read those
//! attributes from the SDK's hint as plain data; merging them is done here,
//! once, before the event is scrubbed (so a tag holding a secret is
//! scrubbed like any other) and before fingerprint rules run (which may use
//! the tags, and which override a fingerprint as Sentry's server rules do).

use serde_json::Value;

use crate::tree::{EventTree, NodeKind};

/// What an exception carries for its event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExceptionData {
    pub tags: Vec<(String, String)>,
    pub contexts: Vec<(String, Value)>,
    pub fingerprint: Option<Vec<String>>,
}

impl ExceptionData {
    pub(crate) fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.contexts.is_empty() && self.fingerprint.is_none()
    }

    /// Adds the exception's tags and contexts to the event's (replacing
    /// those of the same name) and sets its fingerprint.
    pub(crate) fn merge_into<T: EventTree>(&self, event: &mut T) {
        if !self.tags.is_empty() {
            merge_tags(event, &self.tags);
        }
        if !self.contexts.is_empty() {
            event.with_object_field("contexts", |contexts| {
                for (name, context) in &self.contexts {
                    contexts.with_object_field(name, |slot| slot.set_json(context.clone()));
                }
            });
        }
        if let Some(fingerprint) = &self.fingerprint {
            let parts = fingerprint
                .iter()
                .map(|part| Value::String(part.clone()))
                .collect();
            event.with_object_field("fingerprint", |slot| slot.set_json(Value::Array(parts)));
        }
    }
}

/// Tags come as an object or as `[key, value]` pairs; both are kept as they are.
fn merge_tags<T: EventTree>(event: &mut T, tags: &[(String, String)]) {
    let mut as_pairs = false;
    event.with_field("tags", |existing| {
        as_pairs = existing.kind() == NodeKind::Array
    });
    if as_pairs {
        event.with_field("tags", |pairs| {
            let mut merged: Vec<Value> = match pairs.to_json() {
                Value::Array(items) => items,
                _ => Vec::new(),
            };
            merged.retain(|pair| {
                !tags
                    .iter()
                    .any(|(key, _)| pair.get(0).and_then(Value::as_str) == Some(key))
            });
            merged.extend(
                tags.iter()
                    .map(|(key, value)| Value::from(vec![key.clone(), value.clone()])),
            );
            pairs.set_json(Value::Array(merged));
        });
        return;
    }
    event.with_object_field("tags", |object| {
        for (key, value) in tags {
            object.with_object_field(key, |slot| slot.set_text(value.to_owned()));
        }
    });
}
