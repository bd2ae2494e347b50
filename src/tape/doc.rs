//! A read tape as an [`EventTree`], with what the rules write kept beside it.
//!
//! The tape itself is never changed: a node a rule replaces points to a
//! fresh node (`Node::replaced`), and a member a rule adds to an object of
//! the text goes in a list of its own (`Node::added`). Reaching a node thus
//! costs one check of a field already in hand, and the edits are exactly the
//! set the patch is written from. Cursors share the doc (`&Doc`), so a child
//! is made as cheaply as a reference; the edit lists sit in `RefCell`s whose
//! borrows never outlive one call, so a visit may edit anything below it.

use std::borrow::Cow;
use std::cell::RefCell;

use serde_json::{Map, Number, Value};

use super::read::{children, key_of, name_hint, read, string_of, Node, ReadError, Tape, NONE};
use crate::float::push_json;
use crate::json_string::push_string;
use crate::new_value::{Build, NewValue};
use crate::same_bytes::same_bytes;
use crate::tree::{EventTree, NodeKind};

/// Nested deeper than this, a node's JSON copy (`to_json`, only ever asked
/// of small `_meta`, tag and fingerprint values) stops with `null`: the
/// copy recurses, and the tape, which does not, may be far deeper.
const COPY_DEPTH: usize = 512;

/// One event's text, its tape, and the edits made to it.
pub struct Doc<'a> {
    pub(super) text: &'a str,
    pub(super) nodes: &'a [Node],
    pub(super) fresh: RefCell<Vec<Fresh>>,
    /// Members added to objects of the text, one list per such object.
    pub(super) added: RefCell<Vec<Vec<(String, u32)>>>,
    /// Nodes of the text that were replaced or given members, in the order
    /// of their first edit.
    pub(super) changed: RefCell<Vec<u32>>,
}

/// A value a rule wrote. Its children are fresh too.
pub(super) enum Fresh {
    Null,
    Bool(bool),
    Number(Number),
    Text(String),
    List(Vec<u32>),
    Object(Vec<(String, u32)>),
    /// A value written as JSON text (`NewValue::write_json`: `_meta`), made
    /// nodes only when a cursor reaches it (`Doc::settle`); the patch copies it.
    Json(String),
}

impl Fresh {
    fn kind(&self) -> NodeKind {
        match self {
            Fresh::Null => NodeKind::Null,
            Fresh::Bool(_) => NodeKind::Bool,
            Fresh::Number(_) => NodeKind::Number,
            Fresh::Text(_) => NodeKind::String,
            Fresh::List(_) => NodeKind::Array,
            Fresh::Object(_) => NodeKind::Object,
            // Never stood on (settled first); by its first byte all the same.
            Fresh::Json(text) => match text.as_bytes().first() {
                Some(b'{') => NodeKind::Object,
                Some(b'[') => NodeKind::Array,
                Some(b'"') => NodeKind::String,
                Some(b'n') => NodeKind::Null,
                Some(b't' | b'f') => NodeKind::Bool,
                _ => NodeKind::Number,
            },
        }
    }
}

/// Where a cursor stands.
#[derive(Clone, Copy)]
enum At {
    Tape(u32),
    Fresh(u32),
}

/// One node of a [`Doc`], as the core's walk sees it.
pub struct TapeNode<'d, 'a> {
    doc: &'d Doc<'a>,
    at: At,
}

impl<'a> Doc<'a> {
    /// Reads `text` into `tape` and stands ready to walk it.
    pub fn read(text: &'a str, tape: &'a mut Tape) -> Result<Doc<'a>, ReadError> {
        read(text, tape)?;
        Ok(Doc {
            text,
            nodes: &tape.nodes,
            fresh: RefCell::new(Vec::new()),
            added: RefCell::new(Vec::new()),
            changed: RefCell::new(Vec::new()),
        })
    }

    /// The root value, to hand to the core.
    pub fn root(&self) -> TapeNode<'_, 'a> {
        self.node(0)
    }

    /// Whether no rule changed anything.
    pub fn is_unchanged(&self) -> bool {
        self.changed.borrow().is_empty()
    }

    /// The cursor of the tape node `index`, or of what replaced it.
    fn node(&self, index: u32) -> TapeNode<'_, 'a> {
        let replaced = self.nodes[index as usize].replaced.get();
        let at = if replaced == NONE {
            At::Tape(index)
        } else {
            At::Fresh(self.settle(replaced))
        };
        TapeNode { doc: self, at }
    }

    /// The fresh node `id`, made nodes first if it was kept as text: a
    /// cursor only ever stands on nodes.
    fn settle(&self, id: u32) -> u32 {
        let text = match &mut self.fresh.borrow_mut()[id as usize] {
            Fresh::Json(text) => std::mem::take(text),
            _ => return id,
        };
        // Text the core wrote itself, at most `limits.max_depth` + 2 deep.
        let value = super::value_of(&text, usize::MAX).unwrap_or(Value::Null);
        let node = self.fresh_node(&value);
        self.fresh.borrow_mut()[id as usize] = node;
        id
    }

    fn push_fresh(&self, value: Fresh) -> u32 {
        let mut fresh = self.fresh.borrow_mut();
        fresh.push(value);
        fresh.len() as u32 - 1
    }

    /// Puts the fresh node `id` in the place of the tape node `index`.
    fn replace(&self, index: u32, id: u32) {
        self.note_change(index);
        self.nodes[index as usize].replaced.set(id);
    }

    /// Lists the tape node `index` among the changed, on its first edit.
    fn note_change(&self, index: u32) {
        let node = &self.nodes[index as usize];
        if node.replaced.get() == NONE && node.added.get() == NONE {
            self.changed.borrow_mut().push(index);
        }
    }

    /// The member `key` of the tape object `index`: its tape node, else the
    /// fresh node added under that name.
    fn member(&self, index: u32, key: &str) -> Option<At> {
        if let Some(child) = self.tape_member(index, key) {
            return Some(self.node(child).at);
        }
        let list = self.nodes[index as usize].added.get();
        if list == NONE {
            return None;
        }
        find_in(&self.added.borrow()[list as usize], key).map(At::Fresh)
    }

    /// The member of the tape object `index` that the text names `key`.
    fn tape_member(&self, index: u32, key: &str) -> Option<u32> {
        let hint = name_hint(key.as_bytes());
        children(self.nodes, index).find(|&child| {
            let node = &self.nodes[child as usize];
            if node.key_escaped {
                return key_of(self.text, node) == key;
            }
            node.key_hint == hint
                && self
                    .text
                    .as_bytes()
                    .get(node.key_start as usize..node.key_end as usize)
                    .is_some_and(|name| same_bytes(name, key.as_bytes()))
        })
    }

    /// Sets the member `key` of the tape object `index` to the fresh node `id`.
    fn set_member(&self, index: u32, key: &str, id: u32) {
        if let Some(child) = self.tape_member(index, key) {
            return self.replace(child, id);
        }
        let node = &self.nodes[index as usize];
        let mut added = self.added.borrow_mut();
        if node.added.get() == NONE {
            self.note_change(index);
            node.added.set(added.len() as u32);
            added.push(Vec::new());
        }
        set_in(&mut added[node.added.get() as usize], key, id);
    }

    /// The tape node `index`, edits and all, as JSON.
    pub(super) fn tape_json(&self, index: u32, depth: usize) -> Value {
        let replaced = self.nodes[index as usize].replaced.get();
        if replaced != NONE {
            return self.fresh_json(replaced, depth);
        }
        if depth > COPY_DEPTH {
            return Value::Null;
        }
        let node = &self.nodes[index as usize];
        let raw = &self.text[node.start as usize..node.end as usize];
        match node.kind {
            NodeKind::String => Value::String(string_of(self.text, node).into_owned()),
            NodeKind::Bool => Value::Bool(raw == "true"),
            NodeKind::Number => super::number_value(raw),
            NodeKind::Array => children(self.nodes, index)
                .map(|child| self.tape_json(child, depth + 1))
                .collect(),
            NodeKind::Object => {
                let mut map: Map<String, Value> = children(self.nodes, index)
                    .map(|child| {
                        let key = key_of(self.text, &self.nodes[child as usize]).into_owned();
                        (key, self.tape_json(child, depth + 1))
                    })
                    .collect();
                let list = node.added.get();
                if list != NONE {
                    let added = self.added.borrow()[list as usize].clone();
                    for (key, id) in added {
                        map.insert(key, self.fresh_json(id, depth + 1));
                    }
                }
                Value::Object(map)
            }
            NodeKind::Null | NodeKind::Other => Value::Null,
        }
    }

    /// The fresh node `id` as JSON.
    pub(super) fn fresh_json(&self, id: u32, depth: usize) -> Value {
        fresh_value(&self.fresh.borrow(), id, depth)
    }

    /// A JSON value as fresh nodes.
    fn fresh_of(&self, value: &Value) -> u32 {
        let node = self.fresh_node(value);
        self.push_fresh(node)
    }

    /// A JSON value as a fresh node whose children are pushed as fresh nodes:
    /// for a slot that already has its id.
    fn fresh_node(&self, value: &Value) -> Fresh {
        match value {
            Value::Null => Fresh::Null,
            Value::Bool(flag) => Fresh::Bool(*flag),
            Value::Number(number) => Fresh::Number(number.clone()),
            Value::String(text) => Fresh::Text(text.clone()),
            Value::Array(items) => {
                Fresh::List(items.iter().map(|item| self.fresh_of(item)).collect())
            }
            Value::Object(members) => Fresh::Object(
                members
                    .iter()
                    .map(|(key, member)| (key.clone(), self.fresh_of(member)))
                    .collect(),
            ),
        }
    }
}

fn fresh_value(fresh: &[Fresh], id: u32, depth: usize) -> Value {
    if depth > COPY_DEPTH {
        return Value::Null;
    }
    match &fresh[id as usize] {
        Fresh::Null => Value::Null,
        Fresh::Bool(flag) => Value::Bool(*flag),
        Fresh::Number(number) => Value::Number(number.clone()),
        Fresh::Text(text) => Value::String(text.clone()),
        Fresh::List(items) => items
            .iter()
            .map(|&item| fresh_value(fresh, item, depth + 1))
            .collect(),
        Fresh::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, id)| (key.clone(), fresh_value(fresh, *id, depth + 1)))
                .collect(),
        ),
        Fresh::Json(text) => super::value_of(text, usize::MAX).unwrap_or(Value::Null),
    }
}

/// Writes the fresh node `id` as JSON text.
pub(super) fn write_fresh(fresh: &[Fresh], id: u32, depth: usize, out: &mut Vec<u8>) {
    if depth > COPY_DEPTH {
        out.extend_from_slice(b"null");
        return;
    }
    match &fresh[id as usize] {
        Fresh::Null => out.extend_from_slice(b"null"),
        Fresh::Bool(true) => out.extend_from_slice(b"true"),
        Fresh::Bool(false) => out.extend_from_slice(b"false"),
        Fresh::Number(number) => push_json(number, out),
        Fresh::Text(text) => push_string(text, out),
        Fresh::Json(text) => out.extend_from_slice(text.as_bytes()),
        Fresh::List(items) => {
            out.push(b'[');
            for (position, &item) in items.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                write_fresh(fresh, item, depth + 1, out);
            }
            out.push(b']');
        }
        Fresh::Object(members) => {
            out.push(b'{');
            for (position, (key, member)) in members.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                push_string(key, out);
                out.push(b':');
                write_fresh(fresh, *member, depth + 1, out);
            }
            out.push(b'}');
        }
    }
}

/// The node of the member `key` in a member list.
fn find_in(members: &[(String, u32)], key: &str) -> Option<u32> {
    members
        .iter()
        .find(|(name, _)| name == key)
        .map(|&(_, id)| id)
}

/// Sets `key` in a member list, in its place when it is there already.
fn set_in(members: &mut Vec<(String, u32)>, key: &str, id: u32) {
    match members.iter_mut().find(|(name, _)| name == key) {
        Some(member) => member.1 = id,
        None => members.push((key.to_owned(), id)),
    }
}

impl<'d, 'a> TapeNode<'d, 'a> {
    fn at(&self, at: At) -> Self {
        let at = match at {
            At::Fresh(id) => At::Fresh(self.doc.settle(id)),
            at => at,
        };
        TapeNode { doc: self.doc, at }
    }

    /// Makes this node `value`.
    fn become_fresh(&mut self, value: Fresh) {
        match self.at {
            At::Tape(index) => {
                let id = self.doc.push_fresh(value);
                self.doc.replace(index, id);
                self.at = At::Fresh(id);
            }
            At::Fresh(id) => self.doc.fresh.borrow_mut()[id as usize] = value,
        }
    }

    /// The members of the fresh object `id` as they are now (a copy: a
    /// visit may add to them), or none when it is not an object.
    fn fresh_members(&self, id: u32) -> Vec<(String, u32)> {
        match &self.doc.fresh.borrow()[id as usize] {
            Fresh::Object(members) => members.clone(),
            _ => Vec::new(),
        }
    }

    /// The items of the fresh list `id` as they are now, or none.
    fn fresh_items(&self, id: u32) -> Vec<u32> {
        match &self.doc.fresh.borrow()[id as usize] {
            Fresh::List(items) => items.clone(),
            _ => Vec::new(),
        }
    }
}

impl EventTree for TapeNode<'_, '_> {
    fn kind(&self) -> NodeKind {
        match self.at {
            At::Tape(index) => self.doc.nodes[index as usize].kind,
            At::Fresh(id) => self.doc.fresh.borrow()[id as usize].kind(),
        }
    }

    fn text(&self) -> Option<Cow<'_, str>> {
        match self.at {
            At::Tape(index) => {
                let node = &self.doc.nodes[index as usize];
                (node.kind == NodeKind::String).then(|| string_of(self.doc.text, node))
            }
            At::Fresh(id) => match &self.doc.fresh.borrow()[id as usize] {
                Fresh::Text(text) => Some(Cow::Owned(text.clone())),
                _ => None,
            },
        }
    }

    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        if self.kind() != NodeKind::Object {
            return;
        }
        if let Some(at) = self.member(key) {
            visit(&mut self.at(at));
        }
    }

    fn for_each_field(&mut self, mut visit: impl FnMut(&str, &mut Self)) {
        match self.at {
            At::Tape(index) if self.kind() == NodeKind::Object => {
                let doc = self.doc;
                for child in children(doc.nodes, index) {
                    let key = key_of(doc.text, &doc.nodes[child as usize]);
                    visit(&key, &mut doc.node(child));
                }
                let list = doc.nodes[index as usize].added.get();
                if list != NONE {
                    let added = doc.added.borrow()[list as usize].clone();
                    for (key, id) in added {
                        visit(&key, &mut self.at(At::Fresh(id)));
                    }
                }
            }
            At::Fresh(id) => {
                for (key, id) in self.fresh_members(id) {
                    visit(&key, &mut self.at(At::Fresh(id)));
                }
            }
            At::Tape(_) => {}
        }
    }

    fn for_each_element(&mut self, mut visit: impl FnMut(usize, &mut Self)) {
        match self.at {
            At::Tape(index) if self.kind() == NodeKind::Array => {
                let doc = self.doc;
                for (position, child) in children(doc.nodes, index).enumerate() {
                    visit(position, &mut doc.node(child));
                }
            }
            At::Fresh(id) => {
                for (position, id) in self.fresh_items(id).into_iter().enumerate() {
                    visit(position, &mut self.at(At::Fresh(id)));
                }
            }
            At::Tape(_) => {}
        }
    }

    fn set_text(&mut self, text: String) {
        if self.text().as_deref() == Some(text.as_str()) {
            return;
        }
        self.become_fresh(Fresh::Text(text));
    }

    fn set_null(&mut self) {
        if self.kind() != NodeKind::Null {
            self.become_fresh(Fresh::Null);
        }
    }

    fn with_object_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        if self.kind() != NodeKind::Object {
            return;
        }
        let mut child = match self.member(key) {
            Some(at) => self.at(at),
            None => {
                let id = self.doc.push_fresh(Fresh::Object(Vec::new()));
                self.insert_fresh(key, id);
                self.at(At::Fresh(id))
            }
        };
        if child.kind() != NodeKind::Object {
            child.become_fresh(Fresh::Object(Vec::new()));
        }
        visit(&mut child);
    }

    fn to_json(&self) -> Value {
        match self.at {
            At::Tape(index) => self.doc.tape_json(index, 0),
            At::Fresh(id) => self.doc.fresh_json(id, 0),
        }
    }

    fn set_json(&mut self, value: Value) {
        let node = self.doc.fresh_node(&value);
        self.become_fresh(node);
    }

    fn insert(&mut self, key: &str, value: &impl NewValue) {
        if self.kind() != NodeKind::Object {
            return;
        }
        let mut text = Vec::new();
        let id = match value.write_json(&mut text).then(|| String::from_utf8(text)) {
            Some(Ok(text)) => self.doc.push_fresh(Fresh::Json(text)),
            _ => value.build(&mut FreshBuild { doc: self.doc }),
        };
        self.insert_fresh(key, id);
    }
}

impl TapeNode<'_, '_> {
    /// Where the member `key` of this object is.
    fn member(&self, key: &str) -> Option<At> {
        match self.at {
            At::Tape(index) => self.doc.member(index, key),
            At::Fresh(id) => match &self.doc.fresh.borrow()[id as usize] {
                Fresh::Object(members) => find_in(members, key).map(At::Fresh),
                _ => None,
            },
        }
    }

    /// Sets the member `key` of this object to the fresh node `id`.
    fn insert_fresh(&mut self, key: &str, id: u32) {
        match self.at {
            At::Tape(index) => self.doc.set_member(index, key, id),
            At::Fresh(object) => {
                if let Fresh::Object(members) = &mut self.doc.fresh.borrow_mut()[object as usize] {
                    set_in(members, key, id);
                }
            }
        }
    }
}

/// Builds a [`NewValue`] straight into fresh nodes.
struct FreshBuild<'d, 'a> {
    doc: &'d Doc<'a>,
}

impl Build for FreshBuild<'_, '_> {
    type Value = u32;

    fn text(&mut self, text: &str) -> u32 {
        self.doc.push_fresh(Fresh::Text(text.to_owned()))
    }

    fn count(&mut self, count: usize) -> u32 {
        self.doc.push_fresh(Fresh::Number(Number::from(count)))
    }

    fn json(&mut self, value: &Value) -> u32 {
        self.doc.fresh_of(value)
    }

    fn list(&mut self) -> u32 {
        self.doc.push_fresh(Fresh::List(Vec::new()))
    }

    fn push(&mut self, list: &mut u32, item: u32) {
        if let Fresh::List(items) = &mut self.doc.fresh.borrow_mut()[*list as usize] {
            items.push(item);
        }
    }

    fn object(&mut self) -> u32 {
        self.doc.push_fresh(Fresh::Object(Vec::new()))
    }

    fn set(&mut self, object: &mut u32, key: &str, value: u32) {
        if let Fresh::Object(members) = &mut self.doc.fresh.borrow_mut()[*object as usize] {
            set_in(members, key, value);
        }
    }
}
