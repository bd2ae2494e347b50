//! JSON text into a [`Tape`], without recursion and without copying.
//!
//! The reader checks the text as strictly as serde_json does (the fuzz
//! target `tape_patch` holds it to serde_json on every input), and records
//! for each value its place in the text and in the tree. A container's
//! children follow it on the tape, each followed by its own subtree, and each
//! node knows where its subtree ends (`after`), so a child list is walked by
//! jumping from one sibling to the next.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;

use crate::json_string::{plain_run_end, special_byte_from};
use crate::tree::NodeKind;

/// No node: the root's parent, an unset replacement.
pub(crate) const NONE: u32 = u32::MAX;

/// One value of the text.
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    /// A string value holding a backslash escape: its text must be unescaped.
    pub(crate) escaped: bool,
    /// The same, for the member name this node is the value of.
    pub(crate) key_escaped: bool,
    /// The member name's [`name_hint`], so that looking a member up compares
    /// one integer per member before any bytes.
    pub(crate) key_hint: u32,
    /// Strings: the bytes between the quotes; other values: the value's bytes.
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// The member name between its quotes when the parent is an object; the
    /// element's index (in `key_start`) when it is an array.
    pub(crate) key_start: u32,
    pub(crate) key_end: u32,
    /// The index of the first node after this one's subtree.
    pub(crate) after: u32,
    pub(crate) parent: u32,
    /// What a rule put in this node's place (an index of the doc's new
    /// nodes), or `NONE`. Kept here so that reaching a node costs no lookup.
    pub(crate) replaced: Cell<u32>,
    /// Members a rule added to this object (an index of the doc's lists), or `NONE`.
    pub(crate) added: Cell<u32>,
}

/// The nodes of one text, in the order the text holds them. Kept between
/// events by its owner, so that reading one allocates nothing once the
/// buffers have grown to the events' size.
#[derive(Default)]
pub struct Tape {
    pub(crate) nodes: Vec<Node>,
    /// Open containers while reading, with how many children each has so far.
    open: Vec<(u32, u32)>,
    /// The member names of the object being closed, sorted to find one named twice.
    names: Vec<(u64, u32)>,
}

/// Why text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON, with the byte offset where reading stopped.
    Invalid(usize),
    /// An object names one member twice (valid JSON, but see the module doc).
    DuplicateKey,
    /// Longer than the tape's 32-bit offsets reach.
    TooLarge,
    /// Containers nested deeper than a reader that recurses takes
    /// ([`value_of`](super::value_of)'s limit).
    TooDeep(usize),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Invalid(offset) => write!(f, "not valid JSON at byte {offset}"),
            ReadError::DuplicateKey => write!(f, "an object names one member twice"),
            ReadError::TooLarge => write!(f, "longer than 4 GiB"),
            ReadError::TooDeep(levels) => write!(f, "nested deeper than {levels} levels"),
        }
    }
}

/// Where the next value goes: a member name, or an element index.
#[derive(Clone, Copy)]
struct Slot {
    key_start: u32,
    key_end: u32,
    key_escaped: bool,
    key_hint: u32,
}

/// Reads `text` into `tape`, replacing what it held.
pub fn read(text: &str, tape: &mut Tape) -> Result<(), ReadError> {
    if text.len() >= NONE as usize {
        return Err(ReadError::TooLarge);
    }
    tape.nodes.clear();
    tape.open.clear();
    let bytes = text.as_bytes();
    let mut pos = skip_whitespace(bytes, 0);
    // The root's slot is never read: it has no parent.
    let mut slot = element_slot(0);
    let mut expect_value = true;
    loop {
        if expect_value {
            let opened;
            (pos, opened) = value(bytes, pos, tape, slot)?;
            expect_value = false;
            if opened {
                // The container's first child, or its end.
                pos = skip_whitespace(bytes, pos);
                let kind = tape.nodes.last().map_or(NodeKind::Null, |node| node.kind);
                if bytes.get(pos) == Some(&closing_byte(kind)) {
                    pos = close(text, tape, pos)?;
                } else {
                    (pos, slot) = child_slot(bytes, pos, kind, 0)?;
                    expect_value = true;
                }
            }
            continue;
        }
        let Some(&(open, children)) = tape.open.last() else {
            pos = skip_whitespace(bytes, pos);
            return if pos == bytes.len() {
                Ok(())
            } else {
                Err(ReadError::Invalid(pos))
            };
        };
        pos = skip_whitespace(bytes, pos);
        let kind = tape.nodes[open as usize].kind;
        match bytes.get(pos) {
            Some(b',') => {
                pos = skip_whitespace(bytes, pos + 1);
                if let Some(last) = tape.open.last_mut() {
                    last.1 = children + 1;
                }
                (pos, slot) = child_slot(bytes, pos, kind, children + 1)?;
                expect_value = true;
            }
            Some(&byte) if byte == closing_byte(kind) => pos = close(text, tape, pos)?,
            _ => return Err(ReadError::Invalid(pos)),
        }
    }
}

fn closing_byte(kind: NodeKind) -> u8 {
    if kind == NodeKind::Object {
        b'}'
    } else {
        b']'
    }
}

/// The slot of the child at `pos` of a container of `kind`, the
/// `index`-th: a member name to read first, or an element index.
#[inline(always)]
fn child_slot(
    bytes: &[u8],
    pos: usize,
    kind: NodeKind,
    index: u32,
) -> Result<(usize, Slot), ReadError> {
    if kind == NodeKind::Object {
        member_name(bytes, pos)
    } else {
        Ok((pos, element_slot(index)))
    }
}

fn element_slot(index: u32) -> Slot {
    Slot {
        key_start: index,
        key_end: 0,
        key_escaped: false,
        key_hint: 0,
    }
}

/// `"name" :` at `pos`, up to the value after it.
#[inline(always)]
fn member_name(bytes: &[u8], pos: usize) -> Result<(usize, Slot), ReadError> {
    if bytes.get(pos) != Some(&b'"') {
        return Err(ReadError::Invalid(pos));
    }
    let (end, escaped) = string_end(bytes, pos + 1)?;
    let colon = skip_whitespace(bytes, end + 1);
    if bytes.get(colon) != Some(&b':') {
        return Err(ReadError::Invalid(colon));
    }
    let slot = Slot {
        key_start: (pos + 1) as u32,
        key_end: end as u32,
        key_escaped: escaped,
        key_hint: name_hint(&bytes[pos + 1..end]),
    };
    Ok((skip_whitespace(bytes, colon + 1), slot))
}

/// Reads the value at `pos` into a node, and says whether it opened a
/// container (whose children come next).
#[inline(always)]
fn value(
    bytes: &[u8],
    pos: usize,
    tape: &mut Tape,
    slot: Slot,
) -> Result<(usize, bool), ReadError> {
    let parent = tape.open.last().map_or(NONE, |&(open, _)| open);
    let mut node = Node {
        kind: NodeKind::Null,
        escaped: false,
        key_escaped: slot.key_escaped,
        key_hint: slot.key_hint,
        start: pos as u32,
        end: 0,
        key_start: slot.key_start,
        key_end: slot.key_end,
        after: NONE,
        parent,
        replaced: Cell::new(NONE),
        added: Cell::new(NONE),
    };
    let end = match bytes.get(pos) {
        Some(b'{') | Some(b'[') => {
            node.kind = if bytes[pos] == b'{' {
                NodeKind::Object
            } else {
                NodeKind::Array
            };
            tape.open.push((tape.nodes.len() as u32, 0));
            tape.nodes.push(node);
            return Ok((pos + 1, true));
        }
        Some(b'"') => {
            let (end, escaped) = string_end(bytes, pos + 1)?;
            node.kind = NodeKind::String;
            node.escaped = escaped;
            node.start = (pos + 1) as u32;
            node.end = end as u32;
            end + 1
        }
        Some(b't') => literal(bytes, pos, b"true", NodeKind::Bool, &mut node)?,
        Some(b'f') => literal(bytes, pos, b"false", NodeKind::Bool, &mut node)?,
        Some(b'n') => literal(bytes, pos, b"null", NodeKind::Null, &mut node)?,
        Some(b'-' | b'0'..=b'9') => {
            let end = number_end(bytes, pos)?;
            node.kind = NodeKind::Number;
            end
        }
        _ => return Err(ReadError::Invalid(pos)),
    };
    if node.kind != NodeKind::String {
        node.end = end as u32;
    }
    node.after = tape.nodes.len() as u32 + 1;
    tape.nodes.push(node);
    Ok((end, false))
}

fn literal(
    bytes: &[u8],
    pos: usize,
    word: &[u8],
    kind: NodeKind,
    node: &mut Node,
) -> Result<usize, ReadError> {
    if !bytes[pos..].starts_with(word) {
        return Err(ReadError::Invalid(pos));
    }
    node.kind = kind;
    Ok(pos + word.len())
}

/// Ends the container open at the top, whose closing bracket is at `pos`.
fn close(text: &str, tape: &mut Tape, pos: usize) -> Result<usize, ReadError> {
    let Some((open, last_index)) = tape.open.pop() else {
        return Err(ReadError::Invalid(pos));
    };
    let after = tape.nodes.len() as u32;
    let node = &mut tape.nodes[open as usize];
    node.end = pos as u32 + 1;
    node.after = after;
    // `last_index` is 0 for an empty object and for one of one member alike:
    // neither can name a member twice.
    if node.kind == NodeKind::Object
        && last_index > 0
        && names_a_member_twice(text, &tape.nodes, open, &mut tape.names)
    {
        return Err(ReadError::DuplicateKey);
    }
    Ok(pos + 1)
}

/// The children of the container at `index`.
pub(crate) fn children(nodes: &[Node], index: u32) -> impl Iterator<Item = u32> + '_ {
    let after = nodes[index as usize].after;
    let mut next = index + 1;
    std::iter::from_fn(move || {
        if next >= after {
            return None;
        }
        let child = next;
        next = nodes[child as usize].after;
        Some(child)
    })
}

/// A member name's length and first and last bytes in one integer: names
/// that differ in any of them (most of an object's) differ in it. Of an
/// escaped name, the hint of its raw text, which lookups do not rely on.
pub(crate) fn name_hint(name: &[u8]) -> u32 {
    match (name.first(), name.last()) {
        (Some(&first), Some(&last)) => {
            (name.len() as u32) << 16 | u32::from(first) << 8 | u32::from(last)
        }
        _ => 0,
    }
}

/// The member name of the node (whose parent is an object).
pub(crate) fn key_of<'t>(text: &'t str, node: &Node) -> Cow<'t, str> {
    text_between(text, node.key_start, node.key_end, node.key_escaped)
}

/// The text of a string node.
pub(crate) fn string_of<'t>(text: &'t str, node: &Node) -> Cow<'t, str> {
    text_between(text, node.start, node.end, node.escaped)
}

/// The text between two quotes, unescaped only when it holds an escape.
fn text_between(text: &str, start: u32, end: u32, escaped: bool) -> Cow<'_, str> {
    let raw = &text[start as usize..end as usize];
    if escaped {
        Cow::Owned(unescape(raw))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Objects of up to this many members (nearly all of an event's, and a
/// streamed span's attributes, 58 to 64 in @sentry/node's) are checked
/// against a 512-bit set of their names' hints; larger ones by sorting.
const PAIRWISE_MEMBERS: usize = 64;

/// Whether two members of the object at `object` have one name. A small
/// object keeps one bit per name hint (`name_hint`, spread over 512 bits):
/// only a name whose bit is already set is compared with those before it,
/// hints first, bytes only where two agree. A larger one sorts the names by
/// a prefix of their bytes, then by all of them, so that equal names end up
/// side by side.
fn names_a_member_twice(
    text: &str,
    nodes: &[Node],
    object: u32,
    names: &mut Vec<(u64, u32)>,
) -> bool {
    let raw = |member: u32| {
        let node = &nodes[member as usize];
        &text.as_bytes()[node.key_start as usize..node.key_end as usize]
    };
    // `"a"` and `"\u0061"` are one name: with an escape, compare the names' text.
    let by_text = || {
        let mut seen = HashSet::new();
        !children(nodes, object).all(|m| seen.insert(key_of(text, &nodes[m as usize])))
    };
    let mut hints_seen = [0u64; 8];
    for (count, member) in children(nodes, object).enumerate() {
        let node = &nodes[member as usize];
        if node.key_escaped {
            return by_text();
        }
        if count == PAIRWISE_MEMBERS {
            return sorted_names_repeat(nodes, object, names, raw, by_text);
        }
        // Fibonacci hashing: the top nine bits of the product pick the bit.
        let spread = (node.key_hint.wrapping_mul(0x9E37_79B1) >> 23) as usize;
        let (word, bit) = (spread >> 6, 1u64 << (spread & 63));
        if hints_seen[word] & bit != 0
            && children(nodes, object)
                .take_while(|&other| other != member)
                .any(|other| {
                    nodes[other as usize].key_hint == node.key_hint && raw(other) == raw(member)
                })
        {
            return true;
        }
        hints_seen[word] |= bit;
    }
    false
}

/// The large objects' check of `names_a_member_twice`, by sorting.
fn sorted_names_repeat<'t>(
    nodes: &[Node],
    object: u32,
    names: &mut Vec<(u64, u32)>,
    raw: impl Fn(u32) -> &'t [u8],
    by_text: impl Fn() -> bool,
) -> bool {
    names.clear();
    for member in children(nodes, object) {
        if nodes[member as usize].key_escaped {
            return by_text();
        }
        let name = raw(member);
        let mut prefix = [0u8; 8];
        let length = name.len().min(8);
        prefix[..length].copy_from_slice(&name[..length]);
        names.push((u64::from_be_bytes(prefix), member));
    }
    crate::sort::sort_unstable_by(names, |a, b| (a.0, raw(a.1)) < (b.0, raw(b.1)));
    names
        .windows(2)
        .any(|pair| pair[0].0 == pair[1].0 && raw(pair[0].1) == raw(pair[1].1))
}

#[inline(always)]
fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    // `JSON.stringify` writes no whitespace: the first byte nearly always ends it.
    if bytes.get(pos).is_some_and(|&byte| byte > b' ') {
        return pos;
    }
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// The offset of the closing quote of the string whose text starts at
/// `pos`, and whether it holds an escape.
#[inline(always)]
fn string_end(bytes: &[u8], mut pos: usize) -> Result<(usize, bool), ReadError> {
    let mut escaped = false;
    loop {
        pos = plain_run_end(bytes, pos);
        match bytes.get(pos) {
            Some(b'"') => return Ok((pos, escaped)),
            Some(b'\\') => {
                escaped = true;
                pos = escape_end(bytes, pos + 1)?;
            }
            Some(&byte) if byte < 0x20 => return Err(ReadError::Invalid(pos)),
            Some(_) => pos += 1,
            None => return Err(ReadError::Invalid(pos)),
        }
    }
}

/// Past the escape whose letter is at `pos`. A `\u` escape of half a
/// surrogate pair must be followed by the other half, as serde_json asks.
fn escape_end(bytes: &[u8], pos: usize) -> Result<usize, ReadError> {
    match bytes.get(pos) {
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(pos + 1),
        Some(b'u') => {
            let unit = hex4(bytes, pos + 1)?;
            match unit {
                0xD800..=0xDBFF => {
                    if bytes.get(pos + 5..pos + 7) != Some(b"\\u") {
                        return Err(ReadError::Invalid(pos + 5));
                    }
                    match hex4(bytes, pos + 7)? {
                        0xDC00..=0xDFFF => Ok(pos + 11),
                        _ => Err(ReadError::Invalid(pos + 7)),
                    }
                }
                0xDC00..=0xDFFF => Err(ReadError::Invalid(pos)),
                _ => Ok(pos + 5),
            }
        }
        _ => Err(ReadError::Invalid(pos)),
    }
}

fn hex4(bytes: &[u8], pos: usize) -> Result<u16, ReadError> {
    let digits = bytes.get(pos..pos + 4).ok_or(ReadError::Invalid(pos))?;
    let mut unit = 0u16;
    for &digit in digits {
        let nibble = (digit as char)
            .to_digit(16)
            .ok_or(ReadError::Invalid(pos))?;
        unit = unit << 4 | nibble as u16;
    }
    Ok(unit)
}

/// Past the number at `pos`. One that does not fit an `f64` is refused, as
/// serde_json refuses it.
fn number_end(bytes: &[u8], start: usize) -> Result<usize, ReadError> {
    let digits_from = |mut pos: usize| {
        let first = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == first {
            Err(ReadError::Invalid(pos))
        } else {
            Ok(pos)
        }
    };
    let mut pos = start + usize::from(bytes[start] == b'-');
    pos = match bytes.get(pos) {
        Some(b'0') => pos + 1,
        _ => digits_from(pos)?,
    };
    let integer_end = pos;
    if bytes.get(pos) == Some(&b'.') {
        pos = digits_from(pos + 1)?;
    }
    let has_exponent = matches!(bytes.get(pos), Some(b'e' | b'E'));
    if has_exponent {
        pos += 1;
        if let Some(b'+' | b'-') = bytes.get(pos) {
            pos += 1;
        }
        pos = digits_from(pos)?;
    }
    // Only a number with an exponent, or with more than 308 digits before
    // any point, can be too large for an f64; those few are read to see.
    if has_exponent || integer_end - start > 308 {
        let text =
            std::str::from_utf8(&bytes[start..pos]).map_err(|_| ReadError::Invalid(start))?;
        if crate::float::parse(text).is_none() {
            return Err(ReadError::Invalid(start));
        }
    }
    Ok(pos)
}

/// The text of a string the reader has checked (its escapes are whole).
pub(crate) fn unescape(raw: &str) -> String {
    // The reader's own eight-bytes-at-a-time scan, not `str::find`: in WASM
    // a search per escape costs more than the few bytes between escapes
    // (code lines are full of `\"`). In checked text the scan stops only at
    // a backslash (a quote or control character there is escaped), so every
    // cut is at an ASCII backslash or just after its escape, and each run
    // copied is whole UTF-8.
    let bytes = raw.as_bytes();
    let mut text = String::with_capacity(raw.len());
    let mut copied = 0;
    let mut at = 0;
    loop {
        at = special_byte_from(bytes, at);
        if at >= bytes.len() {
            break;
        }
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        text.push_str(&raw[copied..at]);
        let escape = &raw[at + 1..];
        let (character, length) = match escape.as_bytes()[0] {
            b'b' => ('\u{8}', 1),
            b'f' => ('\u{c}', 1),
            b'n' => ('\n', 1),
            b'r' => ('\r', 1),
            b't' => ('\t', 1),
            b'u' => {
                let unit =
                    |at: usize| u32::from_str_radix(&escape[at..at + 4], 16).unwrap_or(0xFFFD);
                let high = unit(1);
                if (0xD800..0xDC00).contains(&high) {
                    let low = unit(7);
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    (char::from_u32(code).unwrap_or('\u{FFFD}'), 11)
                } else {
                    (char::from_u32(high).unwrap_or('\u{FFFD}'), 5)
                }
            }
            other => (other as char, 1),
        };
        text.push(character);
        at += 1 + length;
        copied = at;
    }
    text.push_str(&raw[copied..]);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(text: &str) -> Result<(), ReadError> {
        read(text, &mut Tape::default())
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            r#""\ud800""#,
            r#""\udc00\ud800""#,
            r#""\ud800\u0041""#,
            "1e400",
            "-",
            "01",
            "1.",
            "[1,]",
            r#"{"a":1,}"#,
            "\"tab\there\"",
            "nul",
            "[] []",
        ] {
            assert!(matches!(reads(text), Err(ReadError::Invalid(_))), "{text}");
        }
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#""\ud83d\ude00""#,
            "-0",
            "1e-400",
            "[[],{}]",
            " {\"a\" : [ 1 , true , null ] } ",
        ] {
            assert_eq!(reads(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn a_member_named_twice_is_refused_escaped_or_not() {
        assert_eq!(reads(r#"{"a":1,"a":2}"#), Err(ReadError::DuplicateKey));
        assert_eq!(reads(r#"{"a":1,"\u0061":2}"#), Err(ReadError::DuplicateKey));
        assert_eq!(reads(r#"{"a":{"a":1}}"#), Ok(()));
        // Small objects are checked pair by pair, larger ones by sorting: both sizes,
        // with names that share a hint (length, first and last byte) but differ.
        for members in [PAIRWISE_MEMBERS, PAIRWISE_MEMBERS + 1, 40] {
            let distinct: Vec<String> = (0..members).map(|i| format!("\"a{i:03}z\":{i}")).collect();
            assert_eq!(
                reads(&format!("{{{}}}", distinct.join(","))),
                Ok(()),
                "{members} members"
            );
            let mut twice = distinct.clone();
            twice[members - 1] = format!("\"a000z\":{}", members - 1);
            assert_eq!(
                reads(&format!("{{{}}}", twice.join(","))),
                Err(ReadError::DuplicateKey),
                "{members} members"
            );
        }
    }

    #[test]
    fn nesting_far_past_any_stack_is_read_without_recursion() {
        let depth = 1_000_000;
        let text = "[".repeat(depth) + &"]".repeat(depth);
        let mut tape = Tape::default();
        assert_eq!(read(&text, &mut tape), Ok(()));
        assert_eq!(tape.nodes.len(), depth);
        assert_eq!(tape.nodes[0].after as usize, depth);
    }

    #[test]
    fn escapes_are_unescaped_whole() {
        assert_eq!(
            unescape(r#"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"#),
            "a\"b\\c/d\u{8}\u{c}\n\r\té😀"
        );
    }
}
