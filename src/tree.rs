//! The event as a tree the core can walk without owning it.
//!
//! Rust hands the core a `serde_json::Value`; WASM, the event's text read in
//! place onto a tape (`crate::tape`), since building a `Value` and writing it
//! back cost more than the rules. Python cannot afford JSON at all: turning a
//! sentry-sdk event dict into JSON and back costs more than the whole scrub, so
//! the Python binding lets the core walk the dicts and lists in place. All
//! are reached through [`EventTree`], a deliberately small interface: the
//! walk order, the selectors and the rules stay in the core, and a binding only
//! says how to read a node, visit its children and replace it.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::new_value::{JsonBuild, NewValue};

/// What a node holds, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
    /// Anything a host language has that JSON does not (a Python set, an object).
    Other,
}

/// A mutable view of one node of an event.
///
/// Children are visited through callbacks rather than returned, so that an
/// implementation may hand out short-lived wrappers (a Python object plus the
/// slot it sits in) as easily as `&mut Value`.
pub trait EventTree {
    fn kind(&self) -> NodeKind;

    /// The text of a string node; `None` for every other kind.
    fn text(&self) -> Option<Cow<'_, str>>;

    /// Visits the member `key` of an object node, if there is one.
    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self));

    /// Visits every member of an object node, in order.
    fn for_each_field(&mut self, visit: impl FnMut(&str, &mut Self));

    /// Visits every element of an array node, in order.
    fn for_each_element(&mut self, visit: impl FnMut(usize, &mut Self));

    /// Replaces this node with a string (given owned: the tape keeps it as it is).
    fn set_text(&mut self, text: String);

    /// Replaces this node with null.
    fn set_null(&mut self);

    /// Visits the member `key` of an object node, first creating it as an
    /// empty object when it is missing or not an object. Does nothing on a
    /// node that is not an object.
    fn with_object_field(&mut self, key: &str, visit: impl FnOnce(&mut Self));

    /// A copy of this node as JSON, for the small parts a rule reads whole
    /// (`_meta` entries, tags, span data for `params`, attributes, a
    /// fingerprint), never a whole event: the walk reads nodes in place.
    fn to_json(&self) -> Value;

    /// Replaces this node with a JSON value, for the same small parts.
    fn set_json(&mut self, value: Value);

    /// Sets the member `key` of an object node to a value the core built,
    /// replacing any. Does nothing on a node that is not an object.
    fn insert(&mut self, key: &str, value: &impl NewValue);
}

/// Objects up to this many members are searched rather than hashed.
const SEARCHED_MEMBERS: usize = 16;

/// `map[key]`. serde_json's map hashes every key looked up with SipHash
/// (about 250 instructions for a short key); the objects of an event are
/// small, and comparing their keys in order costs a fraction of that.
fn member<'m>(map: &'m mut Map<String, Value>, key: &str) -> Option<&'m mut Value> {
    if map.len() > SEARCHED_MEMBERS {
        return map.get_mut(key);
    }
    map.iter_mut()
        .find(|(name, _)| name.as_str() == key)
        .map(|(_, value)| value)
}

/// The key of a `[key, value]` pair: a list of two whose first is a
/// string. SDKs send maps as lists of pairs (headers, cookies, and an ASGI
/// scope's headers in frame locals), so both walks read one as a map entry.
#[inline(always)]
pub(crate) fn pair_key<T: EventTree>(node: &mut T) -> Option<String> {
    if node.kind() != NodeKind::Array {
        return None;
    }
    let (mut count, mut key) = (0, None);
    node.for_each_element(|index, item| {
        count += 1;
        if index == 0 {
            key = item.text().map(Cow::into_owned);
        }
    });
    key.filter(|_| count == 2)
}

impl EventTree for Value {
    fn kind(&self) -> NodeKind {
        match self {
            Value::Null => NodeKind::Null,
            Value::Bool(_) => NodeKind::Bool,
            Value::Number(_) => NodeKind::Number,
            Value::String(_) => NodeKind::String,
            Value::Array(_) => NodeKind::Array,
            Value::Object(_) => NodeKind::Object,
        }
    }

    fn text(&self) -> Option<Cow<'_, str>> {
        self.as_str().map(Cow::Borrowed)
    }

    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        if let Some(child) = self.as_object_mut().and_then(|map| member(map, key)) {
            visit(child);
        }
    }

    fn for_each_field(&mut self, mut visit: impl FnMut(&str, &mut Self)) {
        if let Value::Object(map) = self {
            for (key, child) in map.iter_mut() {
                visit(key, child);
            }
        }
    }

    #[inline]
    fn for_each_element(&mut self, mut visit: impl FnMut(usize, &mut Self)) {
        if let Value::Array(items) = self {
            for (index, child) in items.iter_mut().enumerate() {
                visit(index, child);
            }
        }
    }

    fn set_text(&mut self, text: String) {
        replace(self, Value::String(text));
    }

    fn set_null(&mut self) {
        replace(self, Value::Null);
    }

    fn with_object_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        if let Value::Object(map) = self {
            // Looked up before `entry`, which would allocate the key each time.
            if member(map, key).is_none() {
                map.insert(key.to_owned(), Value::Object(Map::new()));
            }
            let Some(child) = member(map, key) else {
                return;
            };
            if !child.is_object() {
                *child = Value::Object(Map::new());
            }
            visit(child);
        }
    }

    fn to_json(&self) -> Value {
        self.clone()
    }

    fn set_json(&mut self, value: Value) {
        replace(self, value);
    }

    fn insert(&mut self, key: &str, value: &impl NewValue) {
        if let Value::Object(map) = self {
            map.insert(key.to_owned(), value.build(&mut JsonBuild));
        }
    }
}

/// Puts `new` in the place of `slot`, dropping what was there without
/// recursion: serde_json's own drop recurses once per level, and what a rule
/// removes may be a hostile subtree nested deeper than any stack.
fn replace(slot: &mut Value, new: Value) {
    let mut pending = vec![std::mem::replace(slot, new)];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(members) => pending.extend(members.into_iter().map(|(_, member)| member)),
            _ => {}
        }
    }
}
