//! Tag validation: nothing invalid, nothing oversized, nothing lost.
//!
//! Relay keeps tag keys of at most 200 characters from `[A-Za-z0-9_.:-]` and
//! values of at most 200 characters without a newline; anything else becomes
//! null and the UI shows `<invalid>`. Here the policy says what happens to a
//! tag that breaks a rule (`tags.on_invalid`): `sanitize` (the default) makes
//! it valid — keys trimmed, inner spaces as `-`, other characters as `_`,
//! long values cut to 197 characters and `...`, newlines as spaces — while
//! `drop` removes it, `move` puts it in `contexts.invalid_tags` and `keep`
//! leaves tags alone (for Relay to judge). Tags are checked after scrubbing,
//! so an original kept in `_meta` (`val`) is the scrubbed one. Every
//! change is recorded in `_meta` (`err` with the reason and the original as
//! `val`, or a `!limit` remark), so nothing is lost without a trace.
//!
//! Values that are not strings are written as Relay writes them: `true` →
//! `"True"`, numbers as their JSON text; lists and objects are invalid (their
//! JSON text when sanitised). `environment`, `release` and `dist` tags fill
//! the event's own field when it is empty (Relay would drop them) unless the
//! policy requires them as tags; `user`, `filename` and `function` are
//! reserved by Sentry and follow `on_invalid`. Required tags are never the
//! ones `max_count` removes.

use serde_json::{Map, Value};

use crate::cut::{cut_scrubbed, scrubbed, Limit, ScrubValue};
use crate::meta::MetaLog;
use crate::path::Path;
use crate::policy::{InvalidTags, TagsPolicy};
use crate::tree::{EventTree, NodeKind};

/// Tag keys Sentry sets itself.
const RESERVED: [&str; 3] = ["user", "filename", "function"];
/// Tags Relay moves to (or that duplicate) the event's own fields.
const EVENT_FIELDS: [&str; 3] = ["environment", "release", "dist"];

/// One tag on its way through the rules.
struct Tag {
    key: String,
    value: Value,
}

enum Verdict {
    Keep,
    Invalid(String),
    /// The event's own field took the tag (or already says the same).
    Absorbed(String),
}

/// Validates the event's tags as the policy says. What it writes that the
/// walk never saw (an object's JSON text, a key made valid, a tag copied
/// from a field, a cut value) is scrubbed with `scrub_tag` (see `cut`).
pub(crate) fn apply<T: EventTree>(
    policy: &TagsPolicy,
    event: &mut T,
    log: &mut MetaLog,
    scrub_tag: &mut ScrubValue<'_>,
) {
    if policy.on_invalid == InvalidTags::Keep {
        return;
    }
    let mut original = None;
    event.with_field("tags", |tags| original = Some(tags.to_json()));
    let (tags, as_pairs) = match &original {
        Some(Value::Object(map)) => (
            map.iter()
                .map(|(key, value)| (Value::String(key.clone()), value.clone()))
                .collect::<Vec<_>>(),
            false,
        ),
        Some(Value::Array(items)) => (items.iter().map(pair_of).collect(), true),
        _ => (Vec::new(), false),
    };
    if tags.is_empty() && policy.required.is_empty() {
        return;
    }
    let root = Path::root();
    let tags_path = root.key("tags");
    let mut kept: Vec<Tag> = Vec::new();
    let mut removed = Removed {
        to_contexts: policy.on_invalid == InvalidTags::Move,
        moved: Map::new(),
    };
    for (index, (key, value)) in tags.into_iter().enumerate() {
        let original_key = match &key {
            Value::String(key) => key.clone(),
            other => crate::float::json_text(other),
        };
        let place = if as_pairs {
            tags_path.index(index)
        } else {
            tags_path.key(&original_key)
        };
        // Where the value's own remarks go (the second item of a pair).
        let value_place = if as_pairs { place.index(1) } else { place };
        let mut tag = Tag {
            key: normalise_key(&original_key),
            value,
        };
        let verdict = check(policy, &mut tag, &original_key, &kept, event);
        match verdict {
            Verdict::Keep => {
                if tag.key != original_key {
                    log.record_error(
                        &place,
                        "tag key made valid",
                        Some(Value::String(original_key.clone())),
                    );
                    tag.value = scrubbed(scrub_tag, Some(&tag.key), tag.value, &value_place);
                }
                kept.push(tag);
            }
            Verdict::Absorbed(reason) => log.record_error(&place, &reason, Some(tag.value)),
            Verdict::Invalid(reason) => match policy.on_invalid {
                InvalidTags::Sanitize if can_sanitize(&tag, &kept, policy) => {
                    let original_value = tag.value.clone();
                    let rewritten = sanitize(policy, &mut tag, &value_place, log, scrub_tag);
                    if tag.key != original_key {
                        log.record_error(
                            &place,
                            &reason,
                            Some(Value::String(original_key.clone())),
                        );
                    } else if rewritten {
                        log.record_error(&place, &reason, Some(original_value));
                    }
                    kept.push(tag);
                }
                _ => removed.take(log, &place, &original_key, tag.value, &reason),
            },
        }
    }
    for required in &policy.required {
        if kept.iter().any(|tag| &tag.key == required) {
            continue;
        }
        match crate::read::text_at(event, &[required.as_str()]) {
            Some(text) => {
                let value = Value::String(text);
                let value = if as_pairs {
                    let pair = tags_path.index(kept.len());
                    scrubbed(scrub_tag, Some(required), value, &pair.index(1))
                } else {
                    scrubbed(scrub_tag, Some(required), value, &tags_path.key(required))
                };
                kept.push(Tag {
                    key: required.clone(),
                    value,
                });
            }
            None => log.record_error(
                &tags_path,
                &format!("required tag {required:?} is missing"),
                None,
            ),
        }
    }
    if let Some(max) = policy.max_count {
        while kept.len() > max {
            let Some(position) = kept
                .iter()
                .rposition(|tag| !policy.required.contains(&tag.key))
            else {
                break;
            };
            let extra = kept.remove(position);
            let place = tags_path.key(&extra.key);
            removed.take(
                log,
                &place,
                &extra.key,
                extra.value,
                "more tags than tags.max_count",
            );
        }
    }
    let rebuilt = if as_pairs {
        Value::Array(
            kept.into_iter()
                .map(|tag| Value::Array(vec![Value::String(tag.key), tag.value]))
                .collect(),
        )
    } else {
        Value::Object(kept.into_iter().map(|tag| (tag.key, tag.value)).collect())
    };
    if original.as_ref() != Some(&rebuilt) {
        event.with_object_field("tags", |slot| slot.set_json(rebuilt));
    }
    let moved = removed.moved;
    if !moved.is_empty() {
        event.with_object_field("contexts", |contexts| {
            contexts.with_object_field("invalid_tags", |slot| {
                let mut merged = match slot.to_json() {
                    Value::Object(map) => map,
                    _ => Map::new(),
                };
                merged.extend(moved);
                slot.set_json(Value::Object(merged));
            })
        });
    }
}

/// Tags taken out of the event: moved to `contexts.invalid_tags` when the
/// policy says `move`, otherwise dropped; either way recorded in `_meta`.
struct Removed {
    to_contexts: bool,
    moved: Map<String, Value>,
}

impl Removed {
    fn take(&mut self, log: &mut MetaLog, place: &Path, key: &str, value: Value, reason: &str) {
        if self.to_contexts {
            log.record_error(
                place,
                &format!("{reason}; moved to contexts.invalid_tags"),
                Some(value.clone()),
            );
            self.moved.insert(key.to_owned(), value);
        } else {
            log.record_error(place, &format!("{reason}; dropped"), Some(value));
        }
    }
}

fn pair_of(item: &Value) -> (Value, Value) {
    match item.as_array().map(Vec::as_slice) {
        Some([key, value]) => (key.clone(), value.clone()),
        _ => (Value::Null, item.clone()),
    }
}

/// Keys are trimmed and inner spaces spelled `-`, as Relay normalises them.
fn normalise_key(key: &str) -> String {
    key.trim().replace(' ', "-")
}

fn key_is_valid(key: &str, max_chars: usize) -> bool {
    !key.is_empty()
        && key.chars().count() <= max_chars
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.:-".contains(&b))
}

/// Applies the rules that need no policy choice, and says what is wrong.
fn check<T: EventTree>(
    policy: &TagsPolicy,
    tag: &mut Tag,
    original_key: &str,
    kept: &[Tag],
    event: &mut T,
) -> Verdict {
    if kept.iter().any(|other| other.key == tag.key) {
        return Verdict::Invalid(format!("duplicate tag {original_key:?}"));
    }
    if !key_is_valid(&tag.key, policy.max_key_chars) {
        return Verdict::Invalid(format!(
            "tag key {original_key:?} is not 1-{} characters of A-Z a-z 0-9 _ . : -",
            policy.max_key_chars
        ));
    }
    if RESERVED.contains(&tag.key.as_str()) {
        return Verdict::Invalid(format!("tag key {:?} is reserved by Sentry", tag.key));
    }
    tag.value = match &tag.value {
        Value::String(_) => tag.value.clone(),
        Value::Bool(true) => Value::from("True"),
        Value::Bool(false) => Value::from("False"),
        Value::Number(number) => Value::String(crate::float::json_text(number)),
        Value::Null => return Verdict::Invalid("tag value is null".to_owned()),
        _ => return Verdict::Invalid("tag value is not a string".to_owned()),
    };
    let text = tag.value.as_str().unwrap_or_default().to_owned();
    if text.contains('\n') {
        return Verdict::Invalid("tag value contains a newline".to_owned());
    }
    if text.chars().count() > policy.max_value_chars {
        return Verdict::Invalid(format!(
            "tag value is longer than {} characters",
            policy.max_value_chars
        ));
    }
    if EVENT_FIELDS.contains(&tag.key.as_str()) && !policy.required.contains(&tag.key) {
        let mut field = None;
        event.with_field(&tag.key, |node| {
            field = Some(node.kind())
                .filter(|k| *k != NodeKind::Null)
                .map(|_| node.text().map(|t| t.into_owned()))
        });
        match field {
            None => {
                let key = tag.key.clone();
                event.with_object_field(&key, |slot| slot.set_text(&text));
                return Verdict::Absorbed(format!(
                    "tag {key:?} belongs in the event's {key}; moved there"
                ));
            }
            Some(Some(existing)) if existing == text => {
                return Verdict::Absorbed(format!(
                    "tag {:?} repeats the event's own field",
                    tag.key
                ));
            }
            Some(_) => {
                return Verdict::Invalid(format!(
                    "tag {:?} contradicts the event's own field",
                    tag.key
                ))
            }
        }
    }
    Verdict::Keep
}

/// Whether sanitising can make this tag valid: not a reserved key, and a
/// non-empty key no kept tag already has once repaired.
fn can_sanitize(tag: &Tag, kept: &[Tag], policy: &TagsPolicy) -> bool {
    let key = repaired_key(&tag.key, policy);
    !EVENT_FIELDS.contains(&tag.key.as_str())
        && !RESERVED.contains(&tag.key.as_str())
        && !key.is_empty()
        && !kept.iter().any(|other| other.key == key)
        && !tag.value.is_null()
}

fn repaired_key(key: &str, policy: &TagsPolicy) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.:-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(policy.max_key_chars)
        .collect()
}

/// Makes a tag valid in place (see `can_sanitize`); true when the value was
/// rewritten other than by cutting it (a cut is a `!limit` remark of its own).
fn sanitize(
    policy: &TagsPolicy,
    tag: &mut Tag,
    value_place: &Path<'_>,
    log: &mut MetaLog,
    scrub_tag: &mut ScrubValue<'_>,
) -> bool {
    let repaired = repaired_key(&tag.key, policy);
    let key_changed = repaired != tag.key;
    tag.key = repaired;
    let (text, converted) = match &tag.value {
        Value::String(text) => (text.clone(), false),
        Value::Bool(flag) => (if *flag { "True" } else { "False" }.to_owned(), false),
        other => (crate::float::json_text(other), true),
    };
    let text = text.replace(['\r', '\n'], " ");
    let text = if converted || key_changed {
        scrubbed(scrub_tag, Some(&tag.key), Value::String(text), value_place)
    } else {
        Value::String(text)
    };
    let rewritten = converted || tag.value.as_str() != text.as_str();
    tag.value = match text {
        Value::String(text) => {
            let limit = Limit::Chars(policy.max_value_chars);
            cut_scrubbed(text, limit, Some(&tag.key), value_place, scrub_tag, log)
        }
        other => other,
    };
    rewritten
}
