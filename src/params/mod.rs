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

pub(crate) use key_pattern::KeyPattern;
use serde_json::{Map, Value};

use crate::cut::{cut_scrubbed, scrubbed, Limit, ScrubValue};
use crate::meta::{MetaLog, Remark, RemarkKind};
use crate::path::Path;
use crate::policy::{ParamsPolicy, ScrubPolicy};
use crate::scrub::{KeyRules, SpanRules};
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
            key: KeyPattern::new(&policy.redact_keys, &policy.extra_keys)?,
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

    /// The cleaning of spans and the trace context as the scrub walk hands
    /// them over (`streamed`: a span sent on its own, whose `attributes`
    /// and `name` are cleaned too).
    pub(crate) fn span_cleaning(&self, streamed: bool) -> SpanCleaning<'_> {
        SpanCleaning {
            params: self,
            streamed,
            changes: MetaLog::default(),
            late: MetaLog::default(),
            promoted: Vec::new(),
            rewrite: None,
            needs: false,
        }
    }

    /// What is left of an event once its spans were cleaned: a URL
    /// transaction name loses its ids, and the parameters the policy names
    /// become tags. What it writes anew is scrubbed with `scrub`.
    pub(crate) fn finish_event<T: EventTree>(
        &self,
        event: &mut T,
        promoted: Vec<(String, String)>,
        log: &mut MetaLog,
        scrub: &mut ScrubValue<'_>,
    ) {
        if !self.enabled {
            return;
        }
        let root = Path::root();
        let mut source = None;
        event.with_field("transaction_info", |info| {
            source = crate::read::text_at(info, &["source"]);
        });
        if self.scrub_descriptions && source.as_deref() == Some("url") {
            event.with_field("transaction", |name| {
                self.rewrite(name, &root.key("transaction"), log, describe::http)
            });
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

    /// Cleans one span-data object (`path` is its place) that `needs`
    /// cleaning (`member_needs_cleaning` said so of a member).
    fn data<T: EventTree>(
        &self,
        node: &mut T,
        needs: bool,
        path: &Path<'_>,
        log: &mut MetaLog,
        scrub: &mut ScrubValue<'_>,
        promoted: &mut Vec<(String, String)>,
    ) {
        // Most span data is already clean: looked at in place, not copied.
        if self.tag_params.is_empty() && !needs {
            return;
        }
        let Value::Object(original) = node.to_json() else {
            return;
        };
        let mut cleaned = Map::new();
        let mut written = Written {
            log: &mut *log,
            scrub: &mut *scrub,
        };
        for (key, value) in &original {
            self.entry(key, value, &mut cleaned, path, &mut written, 0);
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
    }

    /// Whether cleaning would change the member `key` of a span-data object
    /// (an object whose members are all clean primitives is left as it is).
    fn member_needs_cleaning<T: EventTree>(&self, key: &str, value: &mut T) -> bool {
        (match value.kind() {
            NodeKind::Bool | NodeKind::Number => false,
            NodeKind::String => value.text().is_some_and(|text| {
                text.len() > self.max_value_bytes
                    || ((key.ends_with(".query") || key == "http.query")
                        && query_names_a_secret(&text, &self.key))
            }),
            NodeKind::Array => !self.clean_list(value),
            _ => true,
        }) || (self.key.is_match(key) && !self.keys.is_safe(key))
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
        let removed = |written: &mut Written<'_, '_>| {
            let remarks = vec![remark("@preflight:param-type", RemarkKind::Removed)];
            written.log.record(&here, remarks, None);
        };
        if self.key.is_match(key) && !self.keys.is_safe(key) {
            out.insert(key.to_owned(), redacted(value, &here, written));
            return;
        }
        let cleaned = match value {
            Value::Object(members) if depth < MAX_FLATTEN_DEPTH => {
                for (inner, value) in members {
                    let flat = format!("{key}.{inner}");
                    self.entry(&flat, value, out, path, written, depth + 1);
                }
                if members.is_empty() {
                    removed(written);
                }
                return;
            }
            Value::String(text) => self.text_value(key, text, &here, written, depth),
            Value::Bool(_) | Value::Number(_) => {
                scrubbed_if_flat(depth, written.scrub, key, value.clone(), &here)
            }
            Value::Array(items) if homogeneous(items) => {
                self.list_value(key, items, &here, written, depth)
            }
            _ => return removed(written),
        };
        out.insert(key.to_owned(), cleaned);
    }

    /// A string member: a query's values redacted by key, scrubbed, cut.
    fn text_value(
        &self,
        key: &str,
        text: &str,
        here: &Path<'_>,
        written: &mut Written<'_, '_>,
        depth: usize,
    ) -> Value {
        let text = if key.ends_with(".query") || key == "http.query" {
            redact_query(text, &self.key)
        } else {
            text.to_owned()
        };
        match scrubbed_if_flat(depth, written.scrub, key, Value::String(text), here) {
            Value::String(text) => cut_scrubbed(
                text,
                self.limit(),
                Some(key),
                here,
                written.scrub,
                written.log,
            ),
            other => other,
        }
    }

    /// A list of primitives of one kind: each string cut, then the list scrubbed.
    fn list_value(
        &self,
        key: &str,
        items: &[Value],
        here: &Path<'_>,
        written: &mut Written<'_, '_>,
        depth: usize,
    ) -> Value {
        let items = items
            .iter()
            .enumerate()
            .map(|(index, item)| match item {
                Value::String(text) => {
                    let place = here.index(index);
                    let limit = self.limit();
                    cut_scrubbed(
                        text.clone(),
                        limit,
                        None,
                        &place,
                        written.scrub,
                        written.log,
                    )
                }
                other => other.clone(),
            })
            .collect();
        scrubbed_if_flat(depth, written.scrub, key, Value::Array(items), here)
    }

    fn limit(&self) -> Limit {
        Limit::Bytes(self.max_value_bytes)
    }

    /// The rewrite a span's op calls for (`op`, or a streamed span's
    /// `sentry.op` attribute), if descriptions are rewritten at all.
    fn description_rewrite<T: EventTree>(&self, span: &mut T) -> Option<Rewrite> {
        if !self.scrub_descriptions {
            return None;
        }
        // Read in place: this runs for every span of every transaction.
        let mut rewrite: Option<Option<Rewrite>> = None;
        for op_path in [&["op"][..], &["attributes", "sentry.op"]] {
            crate::read::visit_at(span, op_path, &mut |op| {
                rewrite = op.text().map(|op| rewrite_for(&op));
            });
            if rewrite.is_some() {
                break;
            }
        }
        rewrite.flatten()
    }

    fn rewrite<T: EventTree>(
        &self,
        node: &mut T,
        path: &Path<'_>,
        log: &mut MetaLog,
        rewrite: Rewrite,
    ) {
        let changed = node.text().and_then(|text| match rewrite(&text) {
            Cow::Owned(rewritten) => Some((rewritten, text.chars().count())),
            Cow::Borrowed(_) => None,
        });
        if let Some((rewritten, original_length)) = changed {
            let end = rewritten.len();
            node.set_text(rewritten);
            log.record(
                path,
                vec![remark(
                    "@preflight:description",
                    RemarkKind::Substituted { start: 0, end },
                )],
                Some(original_length),
            );
        }
    }
}

/// Span-data cleaning as the scrub walk meets each span and the trace
/// context (`SpanRules`): their data and descriptions are cleaned while the
/// walk holds them. What it records and what the walk scrubs for it are
/// kept in logs of their own, written after the scrub's remarks as when
/// cleaning walked the event after the scrub.
pub(crate) struct SpanCleaning<'p> {
    params: &'p Params,
    streamed: bool,
    /// What cleaning changed.
    pub(crate) changes: MetaLog,
    /// What the walk scrubbed of what cleaning wrote anew.
    pub(crate) late: MetaLog,
    /// Parameters to become tags, in the order they were met.
    pub(crate) promoted: Vec<(String, String)>,
    /// The description rewrite of the span at hand.
    rewrite: Option<Rewrite>,
    /// Whether a member of the data object at hand needs cleaning.
    needs: bool,
}

impl SpanCleaning<'_> {
    /// Whether `field` is span data cleaned here: a span in an event keeps
    /// its data in `data`, a streamed one in `attributes` too.
    fn cleans(&self, field: &str) -> bool {
        self.params.enabled && (self.streamed || field == "data")
    }
}

impl<T: EventTree> SpanRules<T> for SpanCleaning<'_> {
    fn late_remarks(&mut self) -> &mut MetaLog {
        &mut self.late
    }

    fn data_member(&mut self, field: &str, key: &str, value: &mut T) {
        if !self.needs && self.cleans(field) {
            self.needs = self.params.member_needs_cleaning(key, value);
        }
    }

    fn data(&mut self, field: &str, node: &mut T, path: &Path<'_>, scrub: &mut ScrubValue<'_>) {
        let needs = std::mem::take(&mut self.needs);
        if self.cleans(field) {
            let (changes, promoted) = (&mut self.changes, &mut self.promoted);
            self.params
                .data(node, needs, path, changes, scrub, promoted);
        }
    }

    fn before_descriptions(&mut self, span: &mut T) {
        self.rewrite = if self.params.enabled {
            self.params.description_rewrite(span)
        } else {
            None
        };
    }

    fn description(&mut self, field: &str, node: &mut T, path: &Path<'_>) {
        if let Some(rewrite) = self.rewrite {
            if self.streamed || field == "description" {
                self.params.rewrite(node, path, &mut self.changes, rewrite);
            }
        }
    }
}

/// Where cleaning span data records its changes, and how it scrubs what it
/// writes anew (see `cut`).
struct Written<'w, 's> {
    log: &'w mut MetaLog,
    scrub: &'w mut ScrubValue<'s>,
}

/// The replacement for a member whose key says it is secret, recorded
/// unless the value already was the replacement.
fn redacted(value: &Value, here: &Path<'_>, written: &mut Written<'_, '_>) -> Value {
    if value.as_str() != Some(REPLACEMENT) {
        let kind = RemarkKind::Substituted {
            start: 0,
            end: REPLACEMENT.len(),
        };
        let length = value.as_str().map(|text| text.chars().count());
        written
            .log
            .record(here, vec![remark("@preflight:param-key", kind)], length);
    }
    Value::from(REPLACEMENT)
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
        Value::Bool(_) | Value::Number(_) => crate::float::json_text(value),
        _ => return None,
    };
    Some(text.chars().take(200).collect())
}
