//! Sentry's `_meta`: the record of what was changed and why.
//!
//! Sentry shows a scrubbed value as "[Filtered]" with the rule that did it,
//! and it learns both from `_meta`, a tree beside the event that mirrors the
//! event's shape (list indices as string keys) and holds, at each changed
//! value, `{"": {"rem": [[rule_id, kind, start?, end?]], "len": original_length}}`.
//! The walk collects remarks here and writes them once at the end, merged
//! with whatever `_meta` the SDK already wrote (sentry-python writes
//! `!limit` remarks for values it trimmed before `before_send` runs).

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{json, Map, Value};

use crate::float::push_json;
use crate::json_string::push_string;
use crate::new_value::{Build, JsonBuild, NewValue};
use crate::path::Path;
use crate::tree::{EventTree, NodeKind};

/// Why a value changed, in Sentry's remark vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RemarkKind {
    /// Part or all of a string was replaced: `"s"` with the byte range of the new text.
    Substituted { start: usize, end: usize },
    /// Characters were masked: `"m"`.
    Masked { start: usize, end: usize },
    /// A secret was replaced by its keyed hash: `"p"` (pseudonymised).
    Pseudonymized { start: usize, end: usize },
    /// The value was removed: `"x"`.
    Removed,
    /// Part of a string was cut out: `"x"` with the (empty) byte range where it was.
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    RemovedPart { start: usize, end: usize },
}

impl RemarkKind {
    /// The byte range a remark covers in the new string, if it has one.
    pub(crate) fn range(self) -> Option<(usize, usize)> {
        match self {
            RemarkKind::Substituted { start, end }
            | RemarkKind::Masked { start, end }
            | RemarkKind::Pseudonymized { start, end }
            | RemarkKind::RemovedPart { start, end } => Some((start, end)),
            RemarkKind::Removed => None,
        }
    }

    /// The same kind of remark over another range (a value without one keeps none).
    pub(crate) fn moved_to(self, start: usize, end: usize) -> RemarkKind {
        match self {
            RemarkKind::Substituted { .. } => RemarkKind::Substituted { start, end },
            RemarkKind::Masked { .. } => RemarkKind::Masked { start, end },
            RemarkKind::Pseudonymized { .. } => RemarkKind::Pseudonymized { start, end },
            RemarkKind::RemovedPart { .. } => RemarkKind::RemovedPart { start, end },
            RemarkKind::Removed => RemarkKind::Removed,
        }
    }
}

/// The rule id Sentry uses for values removed because of a size limit.
pub(crate) const LIMIT_RULE: &str = "!limit";

/// What ends a string cut at a size limit (its `!limit` remark covers it).
pub(crate) const CUT_MARKER: &str = "...";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Remark {
    pub(crate) rule_id: String,
    pub(crate) kind: RemarkKind,
}

impl Remark {
    /// A container removed for nesting deeper than `limits.max_depth`.
    pub(crate) fn too_deep() -> Remark {
        Remark {
            rule_id: LIMIT_RULE.to_owned(),
            kind: RemarkKind::Removed,
        }
    }

    /// Reads a remark as `_meta` writes it; `None` for kinds the core does not produce.
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn from_json(value: &Value) -> Option<Remark> {
        let items = value.as_array()?;
        let rule_id = items.first()?.as_str()?.to_owned();
        let code = items.get(1)?.as_str()?;
        let range = match (
            items.get(2).and_then(Value::as_u64),
            items.get(3).and_then(Value::as_u64),
        ) {
            (Some(start), Some(end)) => {
                Some((usize::try_from(start).ok()?, usize::try_from(end).ok()?))
            }
            _ => None,
        };
        let kind = match (code, range) {
            ("s", Some((start, end))) => RemarkKind::Substituted { start, end },
            ("m", Some((start, end))) => RemarkKind::Masked { start, end },
            ("p", Some((start, end))) => RemarkKind::Pseudonymized { start, end },
            ("x", Some((start, end))) => RemarkKind::RemovedPart { start, end },
            ("x", None) => RemarkKind::Removed,
            _ => return None,
        };
        Some(Remark { rule_id, kind })
    }
}

impl Remark {
    /// The kind's code in `_meta` and the range it covers.
    fn code_and_range(&self) -> (&'static str, Option<(usize, usize)>) {
        match self.kind {
            RemarkKind::Substituted { start, end } => ("s", Some((start, end))),
            RemarkKind::Masked { start, end } => ("m", Some((start, end))),
            RemarkKind::Pseudonymized { start, end } => ("p", Some((start, end))),
            RemarkKind::Removed => ("x", None),
            RemarkKind::RemovedPart { start, end } => ("x", Some((start, end))),
        }
    }
}

// Each `_meta` part below is written twice over: built node by node (`build`,
// for trees that hold values: serde_json's, Python's) and as text
// (`write_json`, for the tape). The two must give the same JSON, which
// every shared vector checks (tests/vectors.rs runs both paths).

/// A remark as `_meta` writes it: `[rule_id, kind, start, end]`.
impl NewValue for Remark {
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        let (code, range) = self.code_and_range();
        out.push(b'[');
        push_string(&self.rule_id, out);
        out.extend_from_slice(b",\"");
        out.extend_from_slice(code.as_bytes());
        out.push(b'"');
        if let Some((start, end)) = range {
            out.push(b',');
            push_json(&start, out);
            out.push(b',');
            push_json(&end, out);
        }
        out.push(b']');
        true
    }

    fn build<B: Build>(&self, builder: &mut B) -> B::Value {
        let (code, range) = self.code_and_range();
        let mut items = builder.list();
        let rule_id = builder.text(&self.rule_id);
        builder.push(&mut items, rule_id);
        let code = builder.text(code);
        builder.push(&mut items, code);
        if let Some((start, end)) = range {
            let start = builder.count(start);
            builder.push(&mut items, start);
            let end = builder.count(end);
            builder.push(&mut items, end);
        }
        items
    }
}

/// The remarks for one changed value.
#[derive(Debug)]
struct Entry {
    /// Which of the log's path segments name the value.
    path: Range<usize>,
    remarks: Vec<Remark>,
    /// Length of the original string in characters, when it was one.
    original_length: Option<usize>,
    /// The remarks replace those already in `_meta` (they were read from it
    /// and carried forward) instead of being added after them.
    replaces: bool,
    /// A new `val` (the original value kept beside an invalid one), or its removal.
    original_value: Option<Option<Value>>,
    /// An error (`["invalid_data", {"reason": …}]`) for `err`.
    error: Option<Value>,
}

impl Entry {
    fn new(path: Range<usize>, remarks: Vec<Remark>, original_length: Option<usize>) -> Entry {
        Entry {
            path,
            remarks,
            original_length,
            replaces: false,
            original_value: None,
            error: None,
        }
    }
}

/// Remarks collected during one walk of an event.
#[derive(Debug, Default)]
pub(crate) struct MetaLog {
    entries: Vec<Entry>,
    paths: Paths,
}

/// The segments of every recorded path, end to end in one string, so that
/// recording a change does not allocate for each segment of its path.
#[derive(Debug, Default)]
struct Paths {
    text: String,
    /// Where each segment ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
}

impl Paths {
    /// Stores a path; returns the indices of its segments.
    fn add(&mut self, path: &Path<'_>) -> Range<usize> {
        let first = self.ends.len();
        path.append_segments(&mut self.text, &mut self.ends);
        first..self.ends.len()
    }

    fn segments(&self, indices: Range<usize>) -> impl Iterator<Item = &str> + '_ {
        indices.map(|index| {
            let start = index.checked_sub(1).map_or(0, |before| self.ends[before]);
            &self.text[start..self.ends[index]]
        })
    }
}

impl MetaLog {
    /// Adds remarks for the value at `path`, after those `_meta` already has.
    pub(crate) fn record(
        &mut self,
        path: &Path<'_>,
        remarks: Vec<Remark>,
        original_length: Option<usize>,
    ) {
        let path = self.paths.add(path);
        self.entries
            .push(Entry::new(path, remarks, original_length));
    }

    /// Records the complete remarks of a value, those already in `_meta` included.
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn record_all(
        &mut self,
        path: &Path<'_>,
        remarks: Vec<Remark>,
        original_length: Option<usize>,
    ) {
        let entry = Entry::new(self.paths.add(path), remarks, original_length);
        self.entries.push(Entry {
            replaces: true,
            ..entry
        });
    }

    /// Replaces (or, with `None`, removes) the original value `_meta` keeps for
    /// an invalid value, once it has been scrubbed too.
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn record_original_value(&mut self, path: &Path<'_>, value: Option<String>) {
        let entry = Entry::new(self.paths.add(path), Vec::new(), None);
        self.entries.push(Entry {
            original_value: Some(value.map(Value::String)),
            ..entry
        });
    }

    /// Records that a value was invalid (Sentry's `err`: `invalid_data` with
    /// the reason) and, when given, what it was (`val`).
    pub(crate) fn record_error(&mut self, path: &Path<'_>, reason: &str, original: Option<Value>) {
        let entry = Entry::new(self.paths.add(path), Vec::new(), None);
        self.entries.push(Entry {
            original_value: original.map(Some),
            error: Some(json!(["invalid_data", {"reason": reason}])),
            ..entry
        });
    }

    /// How many changes have been recorded so far.
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn count(&self) -> usize {
        self.entries.len()
    }

    /// Moves the remarks recorded at `from` to `to` (a value that moved).
    #[cfg_attr(not(feature = "relay"), allow(dead_code))] // only Relay's rules use it
    pub(crate) fn rename(&mut self, from: &Path<'_>, to: &Path<'_>) {
        let (from, to) = (self.paths.add(from), self.paths.add(to));
        for entry in &mut self.entries {
            if self
                .paths
                .segments(entry.path.clone())
                .eq(self.paths.segments(from.clone()))
            {
                entry.path.clone_from(&to);
            }
        }
    }

    /// Writes every remark into the event's `_meta`, keeping what is there.
    ///
    /// The remarks are first grouped into a tree by path, so that the
    /// event's `_meta` is walked once, down to the changed values only: the
    /// rest of an existing `_meta` is never read or rebuilt (in Python, it
    /// would be converted to JSON and back), only the small `""` entries are
    /// read, and a part `_meta` lacks is built whole and added in one step.
    pub(crate) fn write_into<T: EventTree>(self, event: &mut T) {
        if self.entries.is_empty() {
            return;
        }
        let mut tree = MetaTree::new(&self.entries);
        for (index, entry) in self.entries.iter().enumerate() {
            let node = tree.at(self.paths.segments(entry.path.clone()));
            tree.add_entry(node, index);
        }
        tree.level(ROOT).write_as(event, "_meta");
    }
}

/// The remarks grouped into a tree by path. Its nodes are one list, linked
/// by index, and each node's entries a chain through `next_entry`: a
/// secret-laden event records dozens of changes, and a map and two lists of
/// their own per level were a tenth of its processing (allocating them,
/// then freeing them).
struct MetaTree<'e> {
    entries: &'e [Entry],
    nodes: Vec<TreeNode<'e>>,
    /// For each entry, the next one recorded for the same value, or [`NONE`].
    next_entry: Vec<u32>,
    /// Where each child of a node with many children is (an array of a
    /// million scrubbed values must not cost a million searches of a million).
    positions: HashMap<(u32, &'e str), u32>,
}

/// One `_meta` level: its name in its parent, its children and its entries,
/// in the order they were recorded (first and last, to add in order).
struct TreeNode<'e> {
    key: &'e str,
    first_child: u32,
    last_child: u32,
    next_sibling: u32,
    children: usize,
    first_entry: u32,
    last_entry: u32,
}

/// No node or entry.
const NONE: u32 = u32::MAX;

/// The root node: the event's `_meta` itself.
const ROOT: u32 = 0;

/// Children up to this many are searched; past it they are looked up.
const SEARCHED_CHILDREN: usize = 16;

impl<'e> TreeNode<'e> {
    fn new(key: &'e str) -> TreeNode<'e> {
        TreeNode {
            key,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            children: 0,
            first_entry: NONE,
            last_entry: NONE,
        }
    }
}

impl<'e> MetaTree<'e> {
    fn new(entries: &'e [Entry]) -> MetaTree<'e> {
        MetaTree {
            entries,
            nodes: vec![TreeNode::new("")],
            next_entry: vec![NONE; entries.len()],
            positions: HashMap::new(),
        }
    }

    /// The node at `path` below the root, made where missing.
    fn at(&mut self, path: impl Iterator<Item = &'e str>) -> u32 {
        path.fold(ROOT, |node, segment| self.child(node, segment))
    }

    fn child(&mut self, parent: u32, segment: &'e str) -> u32 {
        let node = &self.nodes[parent as usize];
        // Remarks are recorded in the order the walk meets values, so a
        // path mostly continues the one before it: the last child first.
        let last = node.last_child;
        if last != NONE && self.nodes[last as usize].key == segment {
            return last;
        }
        let found = if node.children <= SEARCHED_CHILDREN {
            self.children_of(parent)
                .find(|&child| self.nodes[child as usize].key == segment)
        } else {
            self.positions.get(&(parent, segment)).copied()
        };
        if let Some(found) = found {
            return found;
        }
        let added = self.nodes.len() as u32;
        self.nodes.push(TreeNode::new(segment));
        if last == NONE {
            self.nodes[parent as usize].first_child = added;
        } else {
            self.nodes[last as usize].next_sibling = added;
        }
        let node = &mut self.nodes[parent as usize];
        node.last_child = added;
        node.children += 1;
        if node.children == SEARCHED_CHILDREN + 1 {
            let known: Vec<u32> = self.children_of(parent).collect();
            for child in known {
                let key = self.nodes[child as usize].key;
                self.positions.insert((parent, key), child);
            }
        } else if node.children > SEARCHED_CHILDREN + 1 {
            self.positions.insert((parent, segment), added);
        }
        added
    }

    /// Adds the entry `index` to `node`, after those it has.
    fn add_entry(&mut self, node: u32, index: usize) {
        let index = index as u32;
        let node = &mut self.nodes[node as usize];
        if node.last_entry == NONE {
            node.first_entry = index;
        } else {
            self.next_entry[node.last_entry as usize] = index;
        }
        node.last_entry = index;
    }

    fn children_of(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        chain(self.nodes[node as usize].first_child, |child| {
            self.nodes[child as usize].next_sibling
        })
    }

    fn level(&self, node: u32) -> Level<'_, 'e> {
        Level { tree: self, node }
    }
}

/// The indices of a list linked by index: `first`, then each `next` of the
/// one before, up to [`NONE`].
fn chain(first: u32, next: impl Fn(u32) -> u32) -> impl Iterator<Item = u32> {
    let linked = |at: u32| Some(at).filter(|&at| at != NONE);
    std::iter::successors(linked(first), move |&at| linked(next(at)))
}

/// One level of the tree, as the writers walk it.
#[derive(Clone, Copy)]
struct Level<'t, 'e> {
    tree: &'t MetaTree<'e>,
    node: u32,
}

impl<'t, 'e> Level<'t, 'e> {
    fn has_entries(self) -> bool {
        self.tree.nodes[self.node as usize].first_entry != NONE
    }

    /// Entries for this very value, in the order they were recorded.
    fn entries(self) -> impl Iterator<Item = &'e Entry> + 't {
        let tree = self.tree;
        chain(tree.nodes[self.node as usize].first_entry, move |entry| {
            tree.next_entry[entry as usize]
        })
        .map(move |entry| &tree.entries[entry as usize])
    }

    /// The only entry, when there is exactly one (the usual case).
    fn single_entry(self) -> Option<&'e Entry> {
        let node = &self.tree.nodes[self.node as usize];
        (node.first_entry != NONE && node.first_entry == node.last_entry)
            .then(|| &self.tree.entries[node.first_entry as usize])
    }

    fn children(self) -> impl Iterator<Item = (&'e str, Level<'t, 'e>)> + 't {
        let tree = self.tree;
        tree.children_of(self.node)
            .map(move |child| (tree.nodes[child as usize].key, tree.level(child)))
    }

    /// Merges this level into the member `key` of `parent` when that is
    /// an object already, else adds it whole.
    fn write_as<T: EventTree>(self, parent: &mut T, key: &str) {
        let mut merged_in_place = false;
        parent.with_field(key, |existing| {
            if existing.kind() == NodeKind::Object {
                merged_in_place = true;
                self.write(existing);
            }
        });
        if !merged_in_place {
            parent.insert(key, &self);
        }
    }

    fn write<T: EventTree>(self, slot: &mut T) {
        if self.has_entries() {
            let mut existing = None;
            slot.with_field("", |leaf| existing = Some(leaf.to_json()));
            match existing {
                Some(existing) => slot.insert("", &self.merged(existing)),
                None => slot.insert("", &FreshLeaf(self)),
            }
        }
        for (key, child) in self.children() {
            child.write_as(slot, key);
        }
    }

    fn merged(self, existing: Value) -> Value {
        self.entries().fold(existing, merge)
    }
}

/// A level `_meta` does not have yet, and everything below it.
impl NewValue for Level<'_, '_> {
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        out.push(b'{');
        // A child named "" (a member with an empty name) takes the place of
        // the leaf, as `build`'s `set` leaves it: first, with the child's value.
        let empty_named = self.children().find(|(key, _)| key.is_empty());
        let has_leaf = self.has_entries();
        let mut first = true;
        if has_leaf {
            out.extend_from_slice(b"\"\":");
            match empty_named {
                Some((_, child)) => child.write_json(out),
                None => FreshLeaf(*self).write_json(out),
            };
            first = false;
        }
        for (key, child) in self.children() {
            if has_leaf && key.is_empty() {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            push_string(key, out);
            out.push(b':');
            child.write_json(out);
        }
        out.push(b'}');
        true
    }

    fn build<B: Build>(&self, builder: &mut B) -> B::Value {
        let mut object = builder.object();
        if self.has_entries() {
            let leaf = FreshLeaf(*self).build(builder);
            builder.set(&mut object, "", leaf);
        }
        for (key, child) in self.children() {
            let child = child.build(builder);
            builder.set(&mut object, key, child);
        }
        object
    }
}

/// The `""` entry of a value `_meta` had nothing about. One change (the
/// usual case) is built directly, as [`merge`] would write it.
struct FreshLeaf<'t, 'e>(Level<'t, 'e>);

impl NewValue for FreshLeaf<'_, '_> {
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        let Some(entry) = self.0.single_entry() else {
            push_json(&self.0.merged(Value::Null), out);
            return true;
        };
        if entry.error.is_some() || entry.original_value.is_some() {
            push_json(&merge(Value::Null, entry), out);
            return true;
        }
        out.push(b'{');
        let has_remarks = entry.replaces || !entry.remarks.is_empty();
        if has_remarks {
            out.extend_from_slice(b"\"rem\":[");
            for (position, remark) in entry.remarks.iter().enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                remark.write_json(out);
            }
            out.push(b']');
        }
        if let Some(length) = entry.original_length {
            if has_remarks {
                out.push(b',');
            }
            out.extend_from_slice(b"\"len\":");
            push_json(&length, out);
        }
        out.push(b'}');
        true
    }

    fn build<B: Build>(&self, builder: &mut B) -> B::Value {
        let Some(entry) = self.0.single_entry() else {
            return builder.json(&self.0.merged(Value::Null));
        };
        if entry.error.is_some() || entry.original_value.is_some() {
            return builder.json(&merge(Value::Null, entry));
        }
        let mut leaf = builder.object();
        if entry.replaces || !entry.remarks.is_empty() {
            let mut remarks = builder.list();
            for remark in &entry.remarks {
                let remark = remark.build(builder);
                builder.push(&mut remarks, remark);
            }
            builder.set(&mut leaf, "rem", remarks);
        }
        if let Some(length) = entry.original_length {
            let length = builder.count(length);
            builder.set(&mut leaf, "len", length);
        }
        leaf
    }
}

/// Adds the entry's remarks after any the slot already holds. An original
/// length already recorded wins: it measured the value before anyone changed it.
fn merge(existing: Value, entry: &Entry) -> Value {
    let mut slot = match existing {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    if entry.replaces || !entry.remarks.is_empty() {
        let mut remarks = match slot.remove("rem") {
            Some(Value::Array(remarks)) if !entry.replaces => remarks,
            _ => Vec::new(),
        };
        remarks.extend(
            entry
                .remarks
                .iter()
                .map(|remark| remark.build(&mut JsonBuild)),
        );
        slot.insert("rem".to_owned(), Value::Array(remarks));
    }
    if let Some(error) = &entry.error {
        let errors = slot
            .entry("err")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(errors) = errors {
            if !errors.contains(error) {
                errors.push(error.clone());
            }
        }
    }
    match &entry.original_value {
        Some(Some(value)) => {
            slot.insert("val".to_owned(), value.clone());
        }
        Some(None) => {
            slot.remove("val");
        }
        None => {}
    }
    if let Some(length) = entry.original_length {
        slot.entry("len").or_insert_with(|| Value::from(length));
    }
    Value::Object(slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn substituted(rule: &str) -> Vec<Remark> {
        vec![Remark {
            rule_id: rule.to_owned(),
            kind: RemarkKind::Substituted { start: 0, end: 10 },
        }]
    }

    #[test]
    fn remarks_mirror_the_event_path() {
        let mut event = json!({"extra": {"password": "[Filtered]"}});
        let mut log = MetaLog::default();
        let root = Path::root();
        let extra = root.key("extra");
        log.record(&extra.key("password"), substituted("rule"), Some(7));
        log.write_into(&mut event);
        assert_eq!(
            event["_meta"],
            json!({"extra": {"password": {"": {"rem": [["rule", "s", 0, 10]], "len": 7}}}})
        );
    }

    #[test]
    fn a_fresh_leaf_is_what_merging_into_nothing_writes() {
        let root = Path::root();
        let mut log = MetaLog::default();
        log.record(&root.key("a"), substituted("rule"), Some(7));
        log.record(&root.key("b"), substituted("rule"), None);
        log.record(&root.key("c"), Vec::new(), Some(3));
        log.record_all(&root.key("d"), Vec::new(), None);
        let removed = Remark {
            rule_id: "gone".to_owned(),
            kind: RemarkKind::Removed,
        };
        log.record(&root.key("e"), vec![removed], Some(2));
        for (index, entry) in log.entries.iter().enumerate() {
            let mut tree = MetaTree::new(&log.entries);
            tree.add_entry(ROOT, index);
            let built = FreshLeaf(tree.level(ROOT)).build(&mut JsonBuild);
            assert_eq!(built, merge(Value::Null, entry));
        }
    }

    /// The tape takes `_meta` as the text `write_json` writes: the same JSON
    /// as `build`, an empty-named member, several entries and an error included.
    #[test]
    fn written_text_is_what_building_makes() {
        let root = Path::root();
        let mut log = MetaLog::default();
        log.record(
            &root.key("a").key(""),
            substituted("under an empty name"),
            Some(4),
        );
        log.record(&root.key("a"), substituted("rule"), Some(7));
        log.record(&root.key("b").index(2), substituted("rule"), None);
        log.record(&root.key("b").index(2), substituted("again"), Some(9));
        log.record_all(&root.key("c"), Vec::new(), None);
        log.record_error(&root.key("d"), "too long", Some(json!("x")));
        log.record(&root.key("e").key("").key("f"), substituted("deeper"), None);
        let mut tree = MetaTree::new(&log.entries);
        for (index, entry) in log.entries.iter().enumerate() {
            let node = tree.at(log.paths.segments(entry.path.clone()));
            tree.add_entry(node, index);
        }
        let mut text = Vec::new();
        assert!(tree.level(ROOT).write_json(&mut text));
        let written: Value = serde_json::from_slice(&text).unwrap();
        let built = tree.level(ROOT).build(&mut JsonBuild);
        assert_eq!(written, built);
        // Member order too: the JS side sees the text's.
        assert_eq!(text, serde_json::to_vec(&built).unwrap());
    }

    #[test]
    fn existing_remarks_and_length_are_kept() {
        let mut event = json!({"_meta": {"a": {"": {"rem": [["!limit", "x"]], "len": 5000}}}});
        let mut log = MetaLog::default();
        let root = Path::root();
        log.record(&root.key("a"), substituted("rule"), Some(100));
        log.write_into(&mut event);
        assert_eq!(
            event["_meta"]["a"][""],
            json!({"rem": [["!limit", "x"], ["rule", "s", 0, 10]], "len": 5000})
        );
    }
}
