//! Relay's selector language: which fields of an event a rule applies to.
//!
//! A selector (`$frame.vars.password`, `extra.** && !extra.safe`) is matched
//! against the path of the value being processed, from the end: the last
//! selector item must match the value itself, the one before its parent, and
//! so on; whatever lies above the first item does not matter. Each step of
//! the path carries the value types Relay gives it (`$string`, `$error`, …)
//! and each value a PII flag: `false` fields never match, `maybe` fields
//! (tags, `request.url`, …) match only selectors that name them specifically.
//!
//! The grammar is Relay's `selector.pest`; the matching rules, including the
//! corners (`**` must cover at least one step, the parts before it match at
//! the first place their first item fits), were checked against the
//! `sentry-relay` wheel.

use std::fmt;

use crate::path::Segment;

/// The value types a selector can name with `$name`, in Relay's order (the
/// order decides which application runs first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ValueType {
    String,
    Binary,
    Number,
    Boolean,
    DateTime,
    Array,
    Object,
    Event,
    Attachments,
    Replay,
    Exception,
    Stacktrace,
    Frame,
    Request,
    User,
    LogEntry,
    Message,
    Thread,
    Breadcrumb,
    Span,
    ClientSdkInfo,
    Minidump,
    HeapMemory,
    StackMemory,
    Log,
    TraceMetric,
}

impl ValueType {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "string" => ValueType::String,
            "binary" => ValueType::Binary,
            "number" => ValueType::Number,
            "boolean" | "bool" => ValueType::Boolean,
            "datetime" => ValueType::DateTime,
            "array" | "list" => ValueType::Array,
            "object" => ValueType::Object,
            "event" => ValueType::Event,
            "attachments" => ValueType::Attachments,
            "replay" => ValueType::Replay,
            "error" | "exception" => ValueType::Exception,
            "stack" | "stacktrace" => ValueType::Stacktrace,
            "frame" => ValueType::Frame,
            "http" | "request" => ValueType::Request,
            "user" => ValueType::User,
            "logentry" => ValueType::LogEntry,
            "message" => ValueType::Message,
            "thread" => ValueType::Thread,
            "breadcrumb" => ValueType::Breadcrumb,
            "span" => ValueType::Span,
            "sdk" => ValueType::ClientSdkInfo,
            "minidump" => ValueType::Minidump,
            "heap_memory" => ValueType::HeapMemory,
            "stack_memory" => ValueType::StackMemory,
            "log" => ValueType::Log,
            "trace_metric" => ValueType::TraceMetric,
            _ => return None,
        })
    }

    /// Basic types never make a selector specific enough for a `maybe` field.
    fn is_basic(self) -> bool {
        self <= ValueType::Object
    }
}

/// A set of value types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Types(u32);

impl Types {
    pub(crate) const NONE: Types = Types(0);

    pub(crate) const fn of(ty: ValueType) -> Types {
        Types(1 << ty as u32)
    }

    pub(crate) const fn with(self, ty: ValueType) -> Types {
        Types(self.0 | 1 << ty as u32)
    }

    pub(crate) fn contains(self, ty: ValueType) -> bool {
        self.0 & (1 << ty as u32) != 0
    }
}

/// Whether a field may hold personal data, as Relay's schema declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pii {
    True,
    Maybe,
    False,
}

/// Where the processor is: the chain of steps with their types, and the
/// PII flag of the value at the end.
#[derive(Debug, Clone, Copy)]
pub(crate) struct State<'a> {
    parent: Option<&'a State<'a>>,
    step: Option<Segment<'a>>,
    pub(crate) types: Types,
    pub(crate) pii: Pii,
    depth: usize,
}

impl<'a> State<'a> {
    pub(crate) fn root(types: Types) -> State<'static> {
        State {
            parent: None,
            step: None,
            types,
            pii: Pii::False,
            depth: 0,
        }
    }

    pub(crate) fn enter<'b>(&'b self, step: Segment<'b>, types: Types, pii: Pii) -> State<'b> {
        State {
            parent: Some(self),
            step: Some(step),
            types,
            pii,
            depth: self.depth + 1,
        }
    }

    /// The same step seen with other value types.
    pub(crate) fn with_types(&self, types: Types) -> State<'a> {
        State { types, ..*self }
    }

    /// The key of the last step, if it was a key.
    pub(crate) fn key(&self) -> Option<&'a str> {
        match self.step {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// The steps from this one up to (not including) the root.
    fn upwards(&self) -> impl Iterator<Item = &State<'a>> {
        std::iter::successors(Some(self), |state| state.parent).filter(|s| s.step.is_some())
    }
}

/// One item of a selector path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Item {
    Type(ValueType),
    Index(usize),
    /// The key as written, and lower-cased for matching.
    Key(String, String),
    Wildcard,
    DeepWildcard,
}

impl Item {
    /// Whether this item, at `position` in its selector, matches `state`
    /// when the value being processed has the PII flag `pii`.
    fn matches(&self, pii: Pii, position: usize, state: &State<'_>) -> bool {
        match (self, pii) {
            (_, Pii::False) => false,
            (Item::Wildcard, _) => true,
            (Item::DeepWildcard, pii) => pii == Pii::True,
            (Item::Type(ty), Pii::True) => state.types.contains(*ty),
            (Item::Type(ty), _) => state.types.contains(*ty) && !ty.is_basic() && position == 0,
            (Item::Index(index), _) => matches!(state.step, Some(Segment::Index(i)) if i == *index),
            (Item::Key(_, lower), _) => match state.step {
                Some(Segment::Key(key)) => key_equals(key, lower),
                _ => false,
            },
        }
    }
}

fn key_equals(key: &str, lower: &str) -> bool {
    if key.is_ascii() {
        key.len() == lower.len() && key.eq_ignore_ascii_case(lower)
    } else {
        key.to_lowercase() == lower
    }
}

/// Lower-cased ASCII keys, sorted.
#[derive(Debug, Clone)]
pub(crate) struct LeafKeys(Vec<String>);

impl LeafKeys {
    /// False only when `key` is certainly not one of them.
    pub(crate) fn may_contain(&self, key: &str) -> bool {
        if !key.is_ascii() {
            return true;
        }
        self.0
            .binary_search_by(|lower| {
                let folded = key.bytes().map(|b| b.to_ascii_lowercase());
                lower.bytes().cmp(folded)
            })
            .is_ok()
    }
}

/// A parsed selector. The variant order is Relay's: applications run in
/// the order of their selectors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Selector {
    And(Vec<Selector>),
    Or(Vec<Selector>),
    Not(Box<Selector>),
    Path(Vec<Item>),
}

impl Selector {
    /// Parses a selector; legacy names (`freeform`, `databag`, …) are accepted
    /// as Relay accepts them.
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        match text {
            "freeform" | "email" | "sensitive" | "text" => {
                return Ok(Selector::Path(vec![Item::Type(ValueType::String)]))
            }
            "databag" | "container" => {
                return Ok(Selector::Path(vec![Item::Type(ValueType::Object)]))
            }
            _ => {}
        }
        let mut parser = Parser {
            text,
            at: 0,
            nesting: 0,
        };
        let selector = parser.or()?;
        parser.skip_spaces();
        if parser.at != text.len() {
            return Err(parser.unexpected());
        }
        Ok(selector)
    }

    /// The keys this selector can only match under, when every path it is
    /// made of ends in a key (`*.cookies.sessionid || $span.data.'gen_ai.prompt'`):
    /// a cheap first test, since most values sit under none of them.
    pub(crate) fn leaf_keys(&self) -> Option<LeafKeys> {
        let mut keys = Vec::new();
        self.collect_leaf_keys(&mut keys).then(|| {
            crate::sort::sort_unstable_by(&mut keys, |a, b| a < b);
            keys.dedup();
            LeafKeys(keys)
        })
    }

    fn collect_leaf_keys(&self, keys: &mut Vec<String>) -> bool {
        match self {
            Selector::Or(any) => any.iter().all(|s| s.collect_leaf_keys(keys)),
            Selector::Path(items) => match items.last() {
                Some(Item::Key(_, lower)) if lower.is_ascii() => {
                    keys.push(lower.clone());
                    true
                }
                _ => false,
            },
            Selector::And(_) | Selector::Not(_) => false,
        }
    }

    pub(crate) fn matches(&self, state: &State<'_>) -> bool {
        let pii = state.pii;
        if pii == Pii::False {
            return false;
        }
        match self {
            Selector::And(all) => all.iter().all(|s| s.matches(state)),
            Selector::Or(any) => any.iter().any(|s| s.matches(state)),
            Selector::Not(inner) => !inner.matches(state),
            Selector::Path(items) => path_matches(items, state, pii),
        }
    }
}

fn path_matches(items: &[Item], state: &State<'_>, pii: Pii) -> bool {
    if items.len() > state.depth {
        return false;
    }
    let mut states = state.upwards();
    let mut deep_at = None;
    for (position, item) in items.iter().enumerate().rev() {
        let Some(current) = states.next() else {
            return true;
        };
        if !item.matches(pii, position, current) {
            return false;
        }
        if *item == Item::DeepWildcard {
            deep_at = Some(position);
            break;
        }
    }
    let Some(deep_at) = deep_at else {
        return true;
    };
    let before = &items[..deep_at];
    let Some((first, rest)) = before.split_first() else {
        return true;
    };
    let mut above: Vec<&State<'_>> = states.collect();
    above.reverse();
    let Some(start) = above.iter().position(|s| first.matches(pii, 0, s)) else {
        return false;
    };
    let following = &above[start + 1..];
    following.len() >= rest.len()
        && rest
            .iter()
            .zip(following)
            .enumerate()
            .all(|(offset, (item, s))| item.matches(pii, offset + 1, s))
}

/// Parentheses a selector may nest: the parser (and matching) recurse once
/// per level, and a policy must not be able to overflow the stack. Relay's
/// own configs nest two or three deep.
const MAX_NESTING: usize = 32;

/// A recursive-descent reading of Relay's `selector.pest`. Spaces are
/// allowed between tokens, as pest's implicit whitespace allows them.
struct Parser<'t> {
    text: &'t str,
    at: usize,
    /// Parentheses open at `at`.
    nesting: usize,
}

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        while self.rest().starts_with(' ') {
            self.at += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_spaces();
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn unexpected(&self) -> String {
        match self.rest().chars().next() {
            Some(c) => format!("unexpected {c:?} at position {}", self.at),
            None => "unexpected end of selector".to_owned(),
        }
    }

    fn or(&mut self) -> Result<Selector, String> {
        let mut items = vec![self.and()?];
        while self.eat("||") || self.eat("|") {
            items.push(self.and()?);
        }
        Ok(flatten(items, Selector::Or))
    }

    fn and(&mut self) -> Result<Selector, String> {
        let mut items = vec![self.maybe_not()?];
        while self.eat("&&") || self.eat("&") {
            items.push(self.maybe_not()?);
        }
        Ok(flatten(items, Selector::And))
    }

    fn maybe_not(&mut self) -> Result<Selector, String> {
        if self.eat("!") || self.eat("~") {
            return Ok(Selector::Not(Box::new(self.parenthesis_or_path()?)));
        }
        self.parenthesis_or_path()
    }

    fn parenthesis_or_path(&mut self) -> Result<Selector, String> {
        if self.eat("(") {
            if self.nesting == MAX_NESTING {
                return Err(format!("parentheses nested deeper than {MAX_NESTING}"));
            }
            self.nesting += 1;
            let inner = self.or()?;
            if !self.eat(")") {
                return Err(self.unexpected());
            }
            self.nesting -= 1;
            return Ok(inner);
        }
        self.path()
    }

    fn path(&mut self) -> Result<Selector, String> {
        let mut items = vec![self.item()?];
        while self.eat(".") {
            items.push(self.item()?);
        }
        if items.iter().filter(|i| **i == Item::DeepWildcard).count() > 1 {
            return Err("deep wildcard used more than once".to_owned());
        }
        if items == [Item::Wildcard] {
            return Err("wildcard must be part of a path".to_owned());
        }
        Ok(Selector::Path(items))
    }

    fn item(&mut self) -> Result<Item, String> {
        self.skip_spaces();
        let rest = self.rest();
        if let Some(name) = rest.strip_prefix('$') {
            let length = name
                .bytes()
                .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
                .count();
            if length == 0 {
                return Err(self.unexpected());
            }
            self.at += 1 + length;
            return ValueType::from_name(&name[..length])
                .map(Item::Type)
                .ok_or_else(|| format!("unknown value type ${}", &name[..length]));
        }
        if self.eat("**") {
            return Ok(Item::DeepWildcard);
        }
        if self.eat("*") {
            return Ok(Item::Wildcard);
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            self.at += digits;
            return rest[..digits]
                .parse()
                .map(Item::Index)
                .map_err(|_| "invalid index".to_owned());
        }
        if rest.starts_with('\'') {
            return self.quoted_key();
        }
        let starts_key = rest
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_');
        if !starts_key {
            return Err(self.unexpected());
        }
        let length = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
            .count();
        self.at += length;
        Ok(key_item(rest[..length].to_owned()))
    }

    fn quoted_key(&mut self) -> Result<Item, String> {
        self.at += 1;
        self.skip_spaces();
        let mut key = String::new();
        let mut chars = self.rest().char_indices().peekable();
        while let Some((offset, c)) = chars.next() {
            if c != '\'' {
                key.push(c);
                continue;
            }
            if chars.peek().map(|(_, next)| *next) == Some('\'') {
                chars.next();
                key.push('\'');
                continue;
            }
            if key.is_empty() {
                return Err("empty quoted key".to_owned());
            }
            self.at += offset + 1;
            return Ok(key_item(key));
        }
        Err("unclosed quote".to_owned())
    }
}

fn key_item(key: String) -> Item {
    let lower = key.to_lowercase();
    Item::Key(key, lower)
}

fn flatten(mut items: Vec<Selector>, combine: fn(Vec<Selector>) -> Selector) -> Selector {
    if items.len() == 1 {
        items.remove(0)
    } else {
        combine(items)
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Type(ty) => write!(f, "${ty:?}"),
            Item::Index(index) => write!(f, "{index}"),
            Item::Key(key, _) => write!(f, "'{}'", key.replace('\'', "''")),
            Item::Wildcard => f.write_str("*"),
            Item::DeepWildcard => f.write_str("**"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar_accepts_relays_forms_and_rejects_the_rest() {
        for good in [
            "$string",
            "extra.'my key'",
            "'it''s'",
            "a.**.b",
            "!(a || b) && $frame.vars.*",
            "~a & b | c",
            "exception.values.0.value",
            "extra . k",
            "freeform",
        ] {
            assert!(Selector::parse(good).is_ok(), "{good}");
        }
        for bad in ["*", "a.**.**", "$nope", "a.", "(a", "a b", "''"] {
            assert!(Selector::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_match_from_the_end_and_deep_wildcards_cover_one_step_or_more() {
        let root = State::root(Types::of(ValueType::Event));
        let extra = root.enter(
            Segment::Key("extra"),
            Types::of(ValueType::Object),
            Pii::True,
        );
        let inner = extra.enter(Segment::Key("o"), Types::of(ValueType::Object), Pii::True);
        let leaf = inner.enter(Segment::Key("K"), Types::of(ValueType::String), Pii::True);
        let matches = |text: &str| Selector::parse(text).unwrap().matches(&leaf);
        assert!(matches("o.k"));
        assert!(matches("extra.o.k"));
        assert!(matches("extra.**"));
        assert!(matches("**.k"));
        assert!(matches("$object.k"));
        assert!(!matches("x.extra.o.k"));
        assert!(!matches("**.extra.o.k"));
        assert!(!matches("$event.extra.o.k"));
        assert!(!matches("$string.**"));
    }

    #[test]
    fn maybe_fields_need_a_specific_selector() {
        let root = State::root(Types::of(ValueType::Event));
        let tags = root.enter(
            Segment::Key("tags"),
            Types::of(ValueType::Array),
            Pii::Maybe,
        );
        let tag = tags.enter(
            Segment::Key("server"),
            Types::of(ValueType::String),
            Pii::Maybe,
        );
        let matches = |text: &str| Selector::parse(text).unwrap().matches(&tag);
        assert!(matches("tags.server"));
        assert!(matches("tags.*"));
        assert!(!matches("$string"));
        assert!(!matches("**.server"));
    }
}
