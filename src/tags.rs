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
    let mut run = Run {
        policy,
        log,
        scrub_tag,
        tags_path: root.key("tags"),
        as_pairs,
        kept: Vec::new(),
        removed: Removed {
            to_contexts: policy.on_invalid == InvalidTags::Move,
            moved: Map::new(),
        },
    };
    for (index, (key, value)) in tags.into_iter().enumerate() {
        run.judge(index, key, value, event);
    }
    run.add_required(event);
    run.keep_at_most();
    run.write_back(event, original.as_ref());
}

/// One event's tags on their way through the rules: those kept so far, in
/// order, and those taken out.
struct Run<'r, 's> {
    policy: &'r TagsPolicy,
    log: &'r mut MetaLog,
    scrub_tag: &'r mut ScrubValue<'s>,
    tags_path: Path<'r>,
    /// The SDK sent `[[key, value], …]` rather than an object.
    as_pairs: bool,
    kept: Vec<Tag>,
    removed: Removed,
}

impl Run<'_, '_> {
    /// The `index`-th tag: kept (made valid where the policy says so) or
    /// taken out, with its `_meta` record either way.
    fn judge<T: EventTree>(&mut self, index: usize, key: Value, value: Value, event: &mut T) {
        let original_key = match &key {
            Value::String(key) => key.clone(),
            other => crate::float::json_text(other),
        };
        let place = if self.as_pairs {
            self.tags_path.index(index)
        } else {
            self.tags_path.key(&original_key)
        };
        // Where the value's own remarks go (the second item of a pair).
        let value_place = if self.as_pairs { place.index(1) } else { place };
        let mut tag = Tag {
            key: normalise_key(&original_key),
            value,
        };
        let key_as_sent = || Some(Value::String(original_key.clone()));
        match check(self.policy, &mut tag, &original_key, &self.kept, event) {
            Verdict::Keep => {
                if tag.key != original_key {
                    self.log
                        .record_error(&place, "tag key made valid", key_as_sent());
                    tag.value = scrubbed(self.scrub_tag, Some(&tag.key), tag.value, &value_place);
                }
                self.kept.push(tag);
            }
            Verdict::Absorbed(reason) => self.log.record_error(&place, &reason, Some(tag.value)),
            Verdict::Invalid(reason) => match self.policy.on_invalid {
                InvalidTags::Sanitize if can_sanitize(&tag, &self.kept, self.policy) => {
                    let original_value = tag.value.clone();
                    let rewritten = sanitize(
                        self.policy,
                        &mut tag,
                        &value_place,
                        self.log,
                        self.scrub_tag,
                    );
                    if tag.key != original_key {
                        self.log.record_error(&place, &reason, key_as_sent());
                    } else if rewritten {
                        self.log.record_error(&place, &reason, Some(original_value));
                    }
                    self.kept.push(tag);
                }
                _ => self
                    .removed
                    .take(self.log, &place, &original_key, tag.value, &reason),
            },
        }
    }

    /// Each required tag the event lacks, from the event's field of the
    /// same name, or reported missing.
    fn add_required<T: EventTree>(&mut self, event: &mut T) {
        for required in &self.policy.required {
            if self.kept.iter().any(|tag| &tag.key == required) {
                continue;
            }
            let Some(text) = crate::read::text_at(event, &[required.as_str()]) else {
                let reason = format!("required tag {required:?} is missing");
                self.log.record_error(&self.tags_path, &reason, None);
                continue;
            };
            let value = Value::String(text);
            let value = if self.as_pairs {
                let pair = self.tags_path.index(self.kept.len());
                scrubbed(self.scrub_tag, Some(required), value, &pair.index(1))
            } else {
                let place = self.tags_path.key(required);
                scrubbed(self.scrub_tag, Some(required), value, &place)
            };
            self.kept.push(Tag {
                key: required.clone(),
                value,
            });
        }
    }

    /// `tags.max_count`: the last tags that are not required go first.
    fn keep_at_most(&mut self) {
        let Some(max) = self.policy.max_count else {
            return;
        };
        while self.kept.len() > max {
            let Some(position) = self
                .kept
                .iter()
                .rposition(|tag| !self.policy.required.contains(&tag.key))
            else {
                break;
            };
            let extra = self.kept.remove(position);
            let place = self.tags_path.key(&extra.key);
            let reason = "more tags than tags.max_count";
            self.removed
                .take(self.log, &place, &extra.key, extra.value, reason);
        }
    }

    /// The kept tags in the shape they came in (written only when they
    /// changed), and the moved ones into `contexts.invalid_tags`.
    fn write_back<T: EventTree>(self, event: &mut T, original: Option<&Value>) {
        let rebuilt = if self.as_pairs {
            Value::Array(
                self.kept
                    .into_iter()
                    .map(|tag| Value::Array(vec![Value::String(tag.key), tag.value]))
                    .collect(),
            )
        } else {
            Value::Object(
                self.kept
                    .into_iter()
                    .map(|tag| (tag.key, tag.value))
                    .collect(),
            )
        };
        if original != Some(&rebuilt) {
            event.with_object_field("tags", |slot| slot.set_json(rebuilt));
        }
        let moved = self.removed.moved;
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
    if let Some(reason) = key_problem(policy, &tag.key, original_key, kept) {
        return Verdict::Invalid(reason);
    }
    tag.value = match value_as_text(&tag.value) {
        Ok(text) => Value::String(text),
        Err(reason) => return Verdict::Invalid(reason.to_owned()),
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
        return against_event_field(&tag.key, &text, event);
    }
    Verdict::Keep
}

/// What is wrong with a tag's key (normalised from `original_key`), if anything.
fn key_problem(policy: &TagsPolicy, key: &str, original_key: &str, kept: &[Tag]) -> Option<String> {
    if kept.iter().any(|other| other.key == key) {
        return Some(format!("duplicate tag {original_key:?}"));
    }
    if !key_is_valid(key, policy.max_key_chars) {
        return Some(format!(
            "tag key {original_key:?} is not 1-{} characters of A-Z a-z 0-9 _ . : -",
            policy.max_key_chars
        ));
    }
    RESERVED
        .contains(&key)
        .then(|| format!("tag key {key:?} is reserved by Sentry"))
}

/// A tag's value as Relay writes it (`true` as `"True"`, a number as its
/// JSON text), or why it cannot be one.
fn value_as_text(value: &Value) -> Result<String, &'static str> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Bool(true) => Ok("True".to_owned()),
        Value::Bool(false) => Ok("False".to_owned()),
        Value::Number(number) => Ok(crate::float::json_text(number)),
        Value::Null => Err("tag value is null"),
        _ => Err("tag value is not a string"),
    }
}

/// An `environment`, `release` or `dist` tag against the event's field of
/// that name: it fills an empty field, repeats a field that says the same,
/// or contradicts it.
fn against_event_field<T: EventTree>(key: &str, text: &str, event: &mut T) -> Verdict {
    let mut field = None;
    event.with_field(key, |node| {
        field = Some(node.kind())
            .filter(|kind| *kind != NodeKind::Null)
            .map(|_| node.text().map(|text| text.into_owned()))
    });
    match field {
        None => {
            event.with_object_field(key, |slot| slot.set_text(text.to_owned()));
            Verdict::Absorbed(format!(
                "tag {key:?} belongs in the event's {key}; moved there"
            ))
        }
        Some(Some(existing)) if existing == text => {
            Verdict::Absorbed(format!("tag {key:?} repeats the event's own field"))
        }
        Some(_) => Verdict::Invalid(format!("tag {key:?} contradicts the event's own field")),
    }
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
