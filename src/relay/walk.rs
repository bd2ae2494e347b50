//! Relay's PII processor, walking the event as Relay's typed schema sees it.
//!
//! Each value is entered with its step (key or index), value types and PII
//! flag; every application whose selector matches runs its rules. Strings
//! are rewritten chunk by chunk; any other value (container, number) can
//! only be removed, which a rule does when it matches anything or matches
//! the value's key. Booleans and the strings `""`, `true`, `false`, `null`,
//! `undefined` are never touched. Three of Relay's special cases are kept:
//! a list made only of `[string, value]` lists is read as pairs, file paths
//! keep their base name, and a user IP address that scrubbing made invalid
//! moves to `user.id` (so users can still be counted).
//!
//! The path used in `_meta` is the real one (`request.headers.0.1`); the
//! path selectors see names pairs by their key (`request.headers.authorization`).

use std::borrow::Cow;
use std::net::IpAddr;

use serde_json::Value;

use super::config::Program;
use super::raw;
use super::regexes::Regexes;
use super::rules::{Applied, Scrubbed};
use super::schema::{self, Encoding, Shape, Struct};
use super::selector::{Pii, State, Types, ValueType};
use crate::cut::cut_too_deep;
use crate::meta::{MetaLog, Remark, RemarkKind};
use crate::path::{Path, Segment};
use crate::sdk_attributes::is_typed;
use crate::tree::{pair_key, EventTree, NodeKind};

/// Strings Relay leaves alone whatever the rules say.
const NEVER_SCRUBBED: [&str; 5] = ["", "true", "false", "null", "undefined"];

pub(crate) struct Walk<'r> {
    pub(crate) programs: &'r [Program],
    pub(crate) regexes: &'r Regexes,
    pub(crate) log: &'r mut MetaLog,
    /// The event's `_meta` as it came in: Relay continues from the remarks
    /// already there (a redacted part is never redacted again).
    pub(crate) existing_meta: Option<Value>,
    /// Containers below this depth are removed (`limits.max_depth`): a
    /// hostile event may nest deeper than any stack.
    pub(crate) max_depth: usize,
    /// How this walk's selectors see attributes.
    pub(crate) attributes: AttributeMode,
}

/// How Relay's selectors see an attribute (of a log, trace metric or
/// streamed span): a PII config's own rules as the object it is, its value
/// at `attributes.<key>.value`; the rules converted from the legacy settings
/// (`sensitiveFields`, the default key rules) see the value alone, under
/// the attribute's key, so `password` matches the attribute named so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AttributeMode {
    Object,
    ValueOnly,
}

fn kind_types(kind: NodeKind) -> Types {
    match kind {
        NodeKind::String => Types::of(ValueType::String),
        NodeKind::Number => Types::of(ValueType::Number),
        NodeKind::Bool => Types::of(ValueType::Boolean),
        NodeKind::Array => Types::of(ValueType::Array),
        NodeKind::Object => Types::of(ValueType::Object),
        NodeKind::Null | NodeKind::Other => Types::NONE,
    }
}

fn shape_types(kind: NodeKind, shape: &Shape) -> Types {
    match (shape, kind) {
        (_, NodeKind::Null) => Types::NONE,
        (Shape::Struct(inner), NodeKind::Object) => inner.types(),
        (
            Shape::Map(_) | Shape::Pairs | Shape::Headers | Shape::Encoded(_) | Shape::Contexts,
            _,
        ) => Types::of(ValueType::Object),
        (Shape::Message, NodeKind::String) => Types::of(ValueType::String).with(ValueType::Message),
        _ => kind_types(kind),
    }
}

impl Walk<'_> {
    pub(crate) fn event<T: EventTree>(&mut self, event: &mut T) {
        event.with_field("_meta", |meta| self.existing_meta = Some(meta.to_json()));
        let root = State::root(Types::of(ValueType::Event));
        self.structure(event, &root, &Path::root(), &schema::EVENT);
    }

    /// A log, trace metric or streamed span sent on its own, laid out as `schema`.
    pub(crate) fn telemetry<T: EventTree>(&mut self, item: &mut T, schema: &'static Struct) {
        if item.kind() != NodeKind::Object {
            return;
        }
        // Relay enters these with a step of their own that carries the
        // value type (`relay_pii::eap::scrub`), which is what makes
        // `$log.body` and `$span.attributes.…` match.
        let root = State::root(Types::NONE);
        let typed = root.enter(Segment::Key(""), schema.types(), Pii::False);
        self.structure(item, &typed, &Path::root(), schema);
    }

    /// Processes one value; true when a remark was recorded for it.
    fn value<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        shape: &Shape,
    ) -> bool {
        if state.pii != Pii::False {
            self.original_value(state, path);
        }
        let kind = node.kind();
        match (kind, shape) {
            (NodeKind::Null | NodeKind::Bool, _) => return false,
            (_, Shape::LegacyMessage) => return self.legacy_message(node, state, path),
            (NodeKind::String, Shape::Encoded(encoding)) => {
                return self.encoded(node, state, path, *encoding)
            }
            (NodeKind::String, _) => return self.string(node, state, path, shape),
            _ => {}
        }
        if matches!(shape, Shape::Opaque) {
            return false;
        }
        if cut_too_deep(node, path, self.max_depth, self.log) {
            return true;
        }
        if state.pii != Pii::False {
            let mut scrubbed = self.scrubbed(path);
            if self.rules(state, None, &mut scrubbed) == Applied::Delete {
                node.set_null();
                self.log.record_all(path, scrubbed.remarks, None);
                return true;
            }
        }
        match (shape, kind) {
            (Shape::Struct(inner), NodeKind::Object) => self.structure(node, state, path, inner),
            (Shape::Attributes, NodeKind::Object) => self.attributes(node, state, path),
            (Shape::Contexts, NodeKind::Object) => self.contexts(node, state, path),
            (Shape::Map(inner), NodeKind::Object) => {
                self.members(node, state, path, inner, Names::AsSent)
            }
            (Shape::Pairs | Shape::Encoded(_), NodeKind::Object) => {
                self.members(node, state, path, &Shape::Data, Names::AsSent)
            }
            (Shape::Headers, NodeKind::Object) => {
                self.members(node, state, path, &Shape::Data, Names::Header)
            }
            (Shape::Pairs | Shape::Encoded(_), NodeKind::Array) => {
                self.pair_list(node, state, path, Names::AsSent)
            }
            (Shape::Headers, NodeKind::Array) => self.pair_list(node, state, path, Names::Header),
            (Shape::Array(inner), NodeKind::Array) => self.array(node, state, path, inner),
            (_, NodeKind::Array) if is_pair_list(node) => {
                self.pair_list(node, state, path, Names::AsSent)
            }
            (_, NodeKind::Array) => self.array(node, state, path, &Shape::Data),
            (_, NodeKind::Object) => self.members(node, state, path, &Shape::Data, Names::AsSent),
            _ => {}
        }
        false
    }

    fn structure<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        inner: &'static Struct,
    ) {
        let user = std::ptr::eq(inner, &schema::USER);
        let ip_was_valid = user && ip_is_valid(node);
        let mut has_logentry = false;
        node.with_field("logentry", |_| has_logentry = true);
        let legacy_message = std::ptr::eq(inner, &schema::EVENT) && !has_logentry;
        node.for_each_field(|key, child| {
            let (pii, shape, seen_as) = match key {
                "message" if legacy_message => (Pii::False, &Shape::LegacyMessage, key),
                _ => inner.field(key),
            };
            let types = shape_types(child.kind(), shape);
            let child_state = state.enter(Segment::Key(seen_as), types, pii);
            self.value(child, &child_state, &path.key(key), shape);
        });
        if user && ip_was_valid && !ip_is_valid(node) && !has_user_identity(node) {
            self.move_ip_to_id(node, path);
        }
    }

    /// A `message` without a `logentry` is Relay's `logentry` (a string its `formatted`).
    fn legacy_message<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
    ) -> bool {
        let logentry = state.enter(
            Segment::Key("logentry"),
            schema::LOGENTRY.types(),
            Pii::False,
        );
        match node.kind() {
            NodeKind::String => {
                let types = Types::of(ValueType::String).with(ValueType::Message);
                let formatted = logentry.enter(Segment::Key("formatted"), types, Pii::True);
                self.string(node, &formatted, path, &Shape::Message)
            }
            NodeKind::Object => {
                self.structure(node, &logentry, path, &schema::LOGENTRY);
                false
            }
            _ => false,
        }
    }

    /// A query string or Cookie header, scrubbed as the pairs Relay reads in it.
    fn encoded<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        encoding: Encoding,
    ) -> bool {
        let Some(text) = node.text() else {
            return false;
        };
        let mut pairs = match encoding {
            Encoding::Query => raw::query_pairs(&text),
            Encoding::Cookies => raw::cookie_pairs(&text),
        };
        let recorded = self.log.count();
        let state = state.with_types(Types::of(ValueType::Object));
        self.value(&mut pairs, &state, path, &Shape::Pairs);
        if self.log.count() == recorded {
            return false;
        }
        node.set_json(pairs);
        false
    }

    /// Relay keeps a scrubbed-invalid IP as the user id, so hashed IPs still count users.
    fn move_ip_to_id<T: EventTree>(&mut self, user: &mut T, path: &Path<'_>) {
        let mut moved = None;
        user.with_field("ip_address", |ip| {
            moved = Some(ip.to_json());
            ip.set_null();
        });
        if let Some(value) = moved {
            user.with_object_field("id", |id| id.set_json(value));
            self.log.rename(&path.key("ip_address"), &path.key("id"));
            self.log.record(
                &path.key("ip_address"),
                vec![Remark {
                    rule_id: "pii:ip_address".to_owned(),
                    kind: RemarkKind::Removed,
                }],
                None,
            );
        }
    }

    fn contexts<T: EventTree>(&mut self, node: &mut T, state: &State<'_>, path: &Path<'_>) {
        node.for_each_field(|key, context| {
            let mut ty = None;
            context.with_field("type", |t| ty = t.text().map(|t| t.into_owned()));
            let here = path.key(key);
            match schema::context(ty.as_deref().unwrap_or(key)) {
                Some(inner) if context.kind() == NodeKind::Object => {
                    let child = state.enter(Segment::Key(key), inner.types(), Pii::False);
                    self.structure(context, &child, &here, inner);
                }
                _ => {
                    let types = kind_types(context.kind());
                    let child = state.enter(Segment::Key(key), types, Pii::True);
                    self.value(context, &child, &here, &Shape::Data);
                }
            }
        });
    }

    /// Each attribute's value, under the steps `attributes` says selectors see.
    fn attributes<T: EventTree>(&mut self, node: &mut T, state: &State<'_>, path: &Path<'_>) {
        let mode = self.attributes;
        node.for_each_field(|key, attribute| {
            let pii = schema::attribute_pii(key);
            if pii == Pii::False {
                return;
            }
            let here = path.key(key);
            let visit = |walk: &mut Self, value: &mut T, value_path: &Path<'_>| {
                let types = kind_types(value.kind());
                match mode {
                    AttributeMode::ValueOnly => {
                        let value_state = state.enter(Segment::Key(key), types, pii);
                        walk.value(value, &value_state, value_path, &Shape::Data);
                    }
                    AttributeMode::Object => {
                        let object =
                            state.enter(Segment::Key(key), Types::of(ValueType::Object), state.pii);
                        let value_state = object.enter(Segment::Key("value"), types, pii);
                        walk.value(value, &value_state, value_path, &Shape::Data);
                    }
                }
            };
            if is_typed(attribute) {
                attribute.with_field("value", |value| visit(self, value, &here.key("value")));
            } else {
                visit(self, attribute, &here);
            }
        });
    }

    fn members<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        inner: &Shape,
        names: Names,
    ) {
        let pii = state.pii;
        node.for_each_field(|key, child| {
            let name = names.of(key);
            let child_state =
                state.enter(Segment::Key(&name), shape_types(child.kind(), inner), pii);
            self.value(child, &child_state, &path.key(key), inner);
        });
    }

    /// A list of `[key, value]` pairs: each value is seen under its key.
    fn pair_list<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        names: Names,
    ) {
        let pii = state.pii;
        node.for_each_element(|index, pair| {
            let key = first_text(pair).map(|key| names.of(&key).into_owned());
            let pair_path = path.index(index);
            pair.for_each_element(|position, value| {
                if position != 1 {
                    return;
                }
                let types = kind_types(value.kind());
                let step = match &key {
                    Some(key) => Segment::Key(key),
                    None => Segment::Index(index),
                };
                let child = state.enter(step, types, pii);
                self.value(value, &child, &pair_path.index(1), &Shape::Data);
            });
        });
    }

    fn array<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        inner: &Shape,
    ) {
        node.for_each_element(|index, element| {
            let child = state.enter(
                Segment::Index(index),
                shape_types(element.kind(), inner),
                state.pii,
            );
            self.value(element, &child, &path.index(index), inner);
        });
    }

    fn string<T: EventTree>(
        &mut self,
        node: &mut T,
        state: &State<'_>,
        path: &Path<'_>,
        shape: &Shape,
    ) -> bool {
        if state.pii == Pii::False {
            return false;
        }
        let Some(original) = node.text().map(|text| text.into_owned()) else {
            return false;
        };
        if NEVER_SCRUBBED.contains(&original.as_str()) {
            return false;
        }
        let mut scrubbed = self.scrubbed(path);
        let remarks_before = scrubbed.remarks.len();
        let mut text = original.clone();
        let new_value = if matches!(shape, Shape::NativePath) {
            let Some(cut) = text.rfind(['/', '\\']) else {
                return false;
            };
            let base_name = text.split_off(cut);
            match self.rules(state, Some(&mut text), &mut scrubbed) {
                Applied::Kept => Some(text + &base_name),
                Applied::Delete => Some(base_name[1..].to_owned()),
            }
        } else {
            match self.rules(state, Some(&mut text), &mut scrubbed) {
                Applied::Kept => Some(text),
                Applied::Delete => None,
            }
        };
        let unchanged =
            scrubbed.remarks.len() == remarks_before && scrubbed.original_length.is_none();
        if unchanged && new_value.as_deref() == Some(original.as_str()) {
            return false;
        }
        match new_value {
            Some(value) => {
                if value != original {
                    node.set_text(value);
                }
            }
            None => node.set_null(),
        }
        self.log
            .record_all(path, scrubbed.remarks, scrubbed.original_length);
        true
    }

    /// Relay scrubs the original of an invalid value, which normalization
    /// keeps in `_meta` (`val`), so that it cannot leak from there.
    fn original_value(&mut self, state: &State<'_>, path: &Path<'_>) {
        let Some(mut original) = self
            .existing_slot(path)
            .and_then(|slot| slot.get("val"))
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return;
        };
        let before = original.clone();
        // Relay enters the key once more for the original (`user.ip_address.ip_address`),
        // so selectors see one step more; kept, since the result must be Relay's.
        let key = state.key().unwrap_or("");
        let as_string = state.enter(Segment::Key(key), Types::of(ValueType::String), state.pii);
        match self.rules(&as_string, Some(&mut original), &mut Scrubbed::default()) {
            Applied::Delete => self.log.record_original_value(path, None),
            Applied::Kept if original != before => {
                self.log.record_original_value(path, Some(original))
            }
            Applied::Kept => {}
        }
    }

    /// The `_meta` entry (`{"rem": …, "len": …}`) the event came with for a value.
    fn existing_slot(&self, path: &Path<'_>) -> Option<&Value> {
        let mut node = self.existing_meta.as_ref()?;
        for segment in path.segments() {
            node = node.get(&segment)?;
        }
        node.get("")
    }

    /// The state Relay starts from for a value: the remarks `_meta` already has for it.
    fn scrubbed(&self, path: &Path<'_>) -> Scrubbed {
        let remarks = self
            .existing_slot(path)
            .and_then(|slot| slot.get("rem"))
            .and_then(Value::as_array)
            .map(|remarks| remarks.iter().filter_map(Remark::from_json).collect())
            .unwrap_or_default();
        Scrubbed {
            remarks,
            original_length: None,
        }
    }

    /// Runs every matching application; stops when a rule removes the value.
    fn rules(
        &self,
        state: &State<'_>,
        mut text: Option<&mut String>,
        scrubbed: &mut Scrubbed,
    ) -> Applied {
        for program in self.programs {
            for application in &program.applications {
                let excluded = match (&application.leaf_keys, state.key()) {
                    (Some(keys), Some(key)) => !keys.may_contain(key),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if excluded || !application.selector.matches(state) {
                    continue;
                }
                for rule in &application.rules {
                    let applied =
                        rule.apply(self.regexes, state.key(), text.as_deref_mut(), scrubbed);
                    if applied == Applied::Delete {
                        return Applied::Delete;
                    }
                }
            }
        }
        Applied::Kept
    }
}

/// How a pair's name is seen by selectors and rules.
#[derive(Debug, Clone, Copy)]
enum Names {
    AsSent,
    /// Relay's `HeaderName`: the first letter and every letter after `-` upper-cased.
    Header,
}

impl Names {
    fn of<'k>(self, key: &'k str) -> Cow<'k, str> {
        match self {
            Names::AsSent => Cow::Borrowed(key),
            Names::Header => {
                let mut name = String::with_capacity(key.len());
                let mut upper = true;
                for c in key.chars() {
                    if upper {
                        name.extend(c.to_uppercase());
                    } else {
                        name.push(c);
                    }
                    upper = c == '-';
                }
                Cow::Owned(name)
            }
        }
    }
}

/// Relay reads free-form data as pairs (keys in the path, keys never
/// scrubbed) when every element is a two-element list starting with a string.
fn is_pair_list<T: EventTree>(node: &mut T) -> bool {
    let mut pairs = true;
    node.for_each_element(|_, element| pairs = pairs && pair_key(element).is_some());
    pairs
}

fn first_text<T: EventTree>(node: &mut T) -> Option<String> {
    let mut key = None;
    node.for_each_element(|index, element| {
        if index == 0 {
            key = element.text().map(|text| text.into_owned());
        }
    });
    key
}

/// Relay's `IpAddr::is_valid`: absent, `{{auto}}`, or a parseable address.
fn ip_is_valid<T: EventTree>(user: &mut T) -> bool {
    let mut valid = true;
    user.with_field("ip_address", |ip| {
        if let Some(text) = ip.text() {
            valid = text == "{{auto}}" || text.parse::<IpAddr>().is_ok();
        }
    });
    valid
}

fn has_user_identity<T: EventTree>(user: &mut T) -> bool {
    let mut found = false;
    for key in ["id", "username", "email"] {
        user.with_field(key, |value| found |= value.kind() != NodeKind::Null);
    }
    found
}
