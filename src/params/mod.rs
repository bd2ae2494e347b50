//! Call parameters and span data: nothing secret, nothing oversized, nothing
//! a backend cannot store.
//!
//! Spans carry what a call was made with (`db.params`, `rpc.param.*`,
//! `http.query`, request headers) and integrations put whatever they like in
//! span data. Here every span's `data` (and a streamed span's `attributes`,
//! and the trace context's `data`) is made safe: values under a key the
//! policy's regex names are replaced; nested objects are flattened into
//! dotted keys; only primitives and lists of one primitive type stay; strings
//! are cut to `params.max_value_bytes` at a character boundary. Span
//! descriptions lose their SQL literals and URL ids (`describe.rs`), and the
//! parameters the policy names become tags.

mod describe;
mod key_pattern;

use std::borrow::Cow;

use key_pattern::KeyPattern;
use serde_json::{Map, Value};

use crate::cut::{cut_scrubbed, scrubbed, Limit, ScrubValue};
use crate::meta::{MetaLog, Remark, RemarkKind};
use crate::path::Path;
use crate::policy::{ParamsPolicy, ScrubPolicy};
use crate::scrub::KeyRules;
use crate::tree::{EventTree, NodeKind};

const REPLACEMENT: &str = "[Filtered]";

/// A description rewrite (`describe`): borrowed back when nothing changed.
type Rewrite = fn(&str) -> Cow<'_, str>;
/// Objects nested deeper than this inside span data are not flattened further.
const MAX_FLATTEN_DEPTH: usize = 5;

#[derive(Debug, Clone)]
pub(crate) struct Params {
    enabled: bool,
    key: KeyPattern,
    /// Keys declared safe for scrubbing (LLM token counts…) are safe here too.
    keys: KeyRules,
    max_value_bytes: usize,
    tag_params: Vec<String>,
    scrub_descriptions: bool,
}

impl Params {
    pub(crate) fn new(policy: &ParamsPolicy, scrub: &ScrubPolicy) -> Result<Params, String> {
        Ok(Params {
            enabled: policy.enabled,
            key: KeyPattern::new(&policy.redact_keys)?,
            // The built-in safe keys (LLM token counts) hold even when scrubbing's defaults are off.
            keys: KeyRules::new(&ScrubPolicy {
                defaults: true,
                ..scrub.clone()
            }),
            max_value_bytes: policy.max_value_bytes,
            tag_params: policy.tag_params.clone(),
            scrub_descriptions: policy.scrub_descriptions,
        })
    }

    /// Spans and the trace context of a transaction (or error) event. What
    /// it writes anew (a flattened key, a cut value, a parameter promoted to
    /// a tag) is scrubbed with `scrub` (see `cut`).
    pub(crate) fn event<T: EventTree>(
        &self,
        event: &mut T,
        log: &mut MetaLog,
        scrub: &mut ScrubValue<'_>,
    ) {
        if !self.enabled {
            return;
        }
        let root = Path::root();
        let mut promoted: Vec<(String, String)> = Vec::new();
        event.with_field("contexts", |contexts| {
            contexts.with_field("trace", |trace| {
                let path = root.key("contexts");
                let path = path.key("trace");
                self.data(trace, "data", &path, log, scrub, &mut promoted);
            })
        });
        event.with_field("spans", |spans| {
            let path = root.key("spans");
            spans.for_each_element(|index, span| {
                let path = path.index(index);
                self.data(span, "data", &path, log, scrub, &mut promoted);
                self.description(span, "description", &path, log);
            });
        });
        let mut source = None;
        event.with_field("transaction_info", |info| {
            source = crate::read::text_at(info, &["source"]);
        });
        if self.scrub_descriptions && source.as_deref() == Some("url") {
            self.rewrite(event, "transaction", &root, log, describe::http);
        }
        if !promoted.is_empty() {
            event.with_object_field("tags", |tags| {
                if tags.kind() != NodeKind::Object {
                    return;
                }
                let tags_path = root.key("tags");
                for (name, value) in promoted {
                    let mut present = false;
                    tags.with_field(&name, |_| present = true);
                    if !present {
                        let place = tags_path.key(&name);
                        let value = scrubbed(scrub, Some(&name), Value::String(value), &place);
                        tags.with_object_field(&name, |slot| slot.set_json(value));
                    }
                }
            });
        }
    }

    /// A streamed span (`before_send_span`): its attributes and name. It has
    /// no `_meta`, so the changes are not recorded; what it writes anew is
    /// scrubbed with `scrub`.
    pub(crate) fn span<T: EventTree>(&self, span: &mut T, scrub: &mut ScrubValue<'_>) {
        if !self.enabled {
            return;
        }
        let mut log = MetaLog::default();
        let root = Path::root();
        self.data(span, "attributes", &root, &mut log, scrub, &mut Vec::new());
        self.data(span, "data", &root, &mut log, scrub, &mut Vec::new());
        self.description(span, "name", &root, &mut log);
        self.description(span, "description", &root, &mut log);
    }

    fn data<T: EventTree>(
        &self,
        owner: &mut T,
        field: &str,
        owner_path: &Path<'_>,
        log: &mut MetaLog,
        scrub: &mut ScrubValue<'_>,
        promoted: &mut Vec<(String, String)>,
    ) {
        owner.with_field(field, |node| {
            // Most span data is already clean: looked at in place, not copied.
            if self.tag_params.is_empty() && !self.needs_cleaning(node) {
                return;
            }
            let Value::Object(original) = node.to_json() else {
                return;
            };
            let path = owner_path.key(field);
            let mut cleaned = Map::new();
            let mut written = Written {
                log: &mut *log,
                scrub: &mut *scrub,
            };
            for (key, value) in &original {
                self.entry(key, value, &mut cleaned, &path, &mut written, 0);
            }
            for name in &self.tag_params {
                let value = cleaned
                    .get(name)
                    .or_else(|| cleaned.get(&format!("rpc.param.{name}")));
                if let Some(text) = value.and_then(tag_text) {
                    if !promoted.iter().any(|(known, _)| known == name) {
                        promoted.push((name.clone(), text));
                    }
                }
            }
            if cleaned != original {
                node.set_json(Value::Object(cleaned));
            }
        });
    }

    /// Whether cleaning would change any member of `node` (an object whose
    /// members are all clean primitives is left as it is).
    fn needs_cleaning<T: EventTree>(&self, node: &mut T) -> bool {
        if node.kind() != NodeKind::Object {
            return false;
        }
        let mut needs = false;
        node.for_each_field(|key, value| {
            if needs {
                return;
            }
            needs = match value.kind() {
                NodeKind::Bool | NodeKind::Number => false,
                NodeKind::String => value.text().is_some_and(|text| {
                    text.len() > self.max_value_bytes
                        || ((key.ends_with(".query") || key == "http.query")
                            && query_names_a_secret(&text, &self.key))
                }),
                NodeKind::Array => !self.clean_list(value),
                _ => true,
            } || (self.key.is_match(key) && !self.keys.is_safe(key));
        });
        needs
    }

    /// A list of one primitive type whose strings are short enough: what
    /// cleaning keeps as it is (the in-place twin of `homogeneous`).
    fn clean_list<T: EventTree>(&self, list: &mut T) -> bool {
        let mut first = None;
        let mut clean = true;
        list.for_each_element(|_, item| {
            let kind = item.kind();
            let primitive = matches!(kind, NodeKind::String | NodeKind::Bool | NodeKind::Number);
            let short = item
                .text()
                .is_none_or(|text| text.len() <= self.max_value_bytes);
            clean &= primitive && short && *first.get_or_insert(kind) == kind;
        });
        clean
    }

    /// Cleans one member into `out` (flattening objects into dotted keys).
    fn entry(
        &self,
        key: &str,
        value: &Value,
        out: &mut Map<String, Value>,
        path: &Path<'_>,
        written: &mut Written<'_, '_>,
        depth: usize,
    ) {
        let here = path.key(key);
        if self.key.is_match(key) && !self.keys.is_safe(key) {
            let already = value.as_str() == Some(REPLACEMENT);
            out.insert(key.to_owned(), Value::from(REPLACEMENT));
            if !already {
                written.log.record(
                    &here,
                    vec![remark(
                        "@preflight:param-key",
                        RemarkKind::Substituted {
                            start: 0,
                            end: REPLACEMENT.len(),
                        },
                    )],
                    value.as_str().map(|t| t.chars().count()),
                );
            }
            return;
        }
        match value {
            Value::Object(members) if depth < MAX_FLATTEN_DEPTH => {
                for (inner, value) in members {
                    let flat = format!("{key}.{inner}");
                    self.entry(&flat, value, out, path, written, depth + 1);
                }
                if members.is_empty() {
                    written.log.record(
                        &here,
                        vec![remark("@preflight:param-type", RemarkKind::Removed)],
                        None,
                    );
                }
            }
            Value::String(text) => {
                let text = if key.ends_with(".query") || key == "http.query" {
                    redact_query(text, &self.key)
                } else {
                    text.clone()
                };
                let value =
                    match scrubbed_if_flat(depth, written.scrub, key, Value::String(text), &here) {
                        Value::String(text) => cut_scrubbed(
                            text,
                            self.limit(),
                            Some(key),
                            &here,
                            written.scrub,
                            written.log,
                        ),
                        other => other,
                    };
                out.insert(key.to_owned(), value);
            }
            Value::Bool(_) | Value::Number(_) => {
                let value = scrubbed_if_flat(depth, written.scrub, key, value.clone(), &here);
                out.insert(key.to_owned(), value);
            }
            Value::Array(items) if homogeneous(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| match item {
                        Value::String(text) => {
                            let place = here.index(index);
                            cut_scrubbed(
                                text.clone(),
                                self.limit(),
                                None,
                                &place,
                                written.scrub,
                                written.log,
                            )
                        }
                        other => other.clone(),
                    })
                    .collect();
                let value = scrubbed_if_flat(depth, written.scrub, key, Value::Array(items), &here);
                out.insert(key.to_owned(), value);
            }
            _ => written.log.record(
                &here,
                vec![remark("@preflight:param-type", RemarkKind::Removed)],
                None,
            ),
        }
    }

    fn limit(&self) -> Limit {
        Limit::Bytes(self.max_value_bytes)
    }

    fn description<T: EventTree>(
        &self,
        span: &mut T,
        field: &str,
        path: &Path<'_>,
        log: &mut MetaLog,
    ) {
        if !self.scrub_descriptions {
            return;
        }
        // The op decides the rewrite; read in place (a span has one, and
        // this runs for every span of every transaction).
        let mut rewrite: Option<Option<Rewrite>> = None;
        for op_path in [&["op"][..], &["attributes", "sentry.op"]] {
            crate::read::visit_at(span, op_path, &mut |op| {
                rewrite = op.text().map(|op| rewrite_for(&op));
            });
            if rewrite.is_some() {
                break;
            }
        }
        if let Some(Some(rewrite)) = rewrite {
            self.rewrite(span, field, path, log, rewrite);
        }
    }

    fn rewrite<T: EventTree>(
        &self,
        owner: &mut T,
        field: &str,
        path: &Path<'_>,
        log: &mut MetaLog,
        rewrite: Rewrite,
    ) {
        owner.with_field(field, |node| {
            let changed = node.text().and_then(|text| match rewrite(&text) {
                Cow::Owned(rewritten) => Some((rewritten, text.chars().count())),
                Cow::Borrowed(_) => None,
            });
            if let Some((rewritten, original_length)) = changed {
                node.set_text(&rewritten);
                let end = rewritten.len();
                log.record(
                    &path.key(field),
                    vec![remark(
                        "@preflight:description",
                        RemarkKind::Substituted { start: 0, end },
                    )],
                    Some(original_length),
                );
            }
        });
    }
}

/// Where cleaning span data records its changes, and how it scrubs what it
/// writes anew (see `cut`).
struct Written<'w, 's> {
    log: &'w mut MetaLog,
    scrub: &'w mut ScrubValue<'s>,
}

fn remark(rule_id: &str, kind: RemarkKind) -> Remark {
    Remark {
        rule_id: rule_id.to_owned(),
        kind,
    }
}

/// `value` scrubbed under `key` when flattening made the key (`depth` > 0):
/// a key the walk never saw (`user.email`).
fn scrubbed_if_flat(
    depth: usize,
    scrub: &mut ScrubValue<'_>,
    key: &str,
    value: Value,
    place: &Path<'_>,
) -> Value {
    if depth == 0 {
        value
    } else {
        scrubbed(scrub, Some(key), value, place)
    }
}

/// A list of one primitive type (strings, booleans or numbers).
fn homogeneous(items: &[Value]) -> bool {
    let kind = |value: &Value| match value {
        Value::String(_) => Some(0),
        Value::Bool(_) => Some(1),
        Value::Number(_) => Some(2),
        _ => None,
    };
    match items.first().map(kind) {
        None => true,
        Some(None) => false,
        Some(first) => items.iter().all(|item| kind(item) == first),
    }
}

/// The rewrite of a span's description its op calls for, if any.
fn rewrite_for(op: &str) -> Option<Rewrite> {
    if op.starts_with("db") {
        Some(describe::sql)
    } else if op.starts_with("http") {
        Some(describe::http)
    } else {
        None
    }
}

/// Whether `redact_query` would change `query` (asked of every span's
/// `http.query`, most of which it leaves alone: no string is built here).
fn query_names_a_secret(query: &str, key: &KeyPattern) -> bool {
    query.split('&').any(|pair| {
        pair.split_once('=')
            .is_some_and(|(name, value)| value != REPLACEMENT && key.is_match(name))
    })
}

/// The values of query parameters whose names the regex matches, replaced.
fn redact_query(query: &str, key: &KeyPattern) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if key.is_match(name) => format!("{name}={REPLACEMENT}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A parameter as a tag value: primitives only, at most 200 characters.
fn tag_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        _ => return None,
    };
    Some(text.chars().take(200).collect())
}
