//! The recursive walk over user data.
//!
//! Inside the areas that carry user data (extra, request bodies, frame
//! locals, …) nothing is known about the shape, so every object key at every
//! depth is checked, and every string is searched for secret values. A value
//! under a secret key is replaced whole, whatever its type: a password sent
//! as a number or a credentials object leaks just as well. The walk is
//! bounded by `limits.max_depth`; a container below it is removed rather
//! than sent unchecked.

use serde_json::Value;

use super::encoded::{secret_values, PairSyntax};
use super::keys::{KeyRule, KeyRules};
use super::patterns::Patterns;
use super::redact::{redact_whole, Redaction, Rewritten};
use super::rounds::find_and_redact;
use crate::meta::{MetaLog, Remark, RemarkKind};
use crate::path::Path;
use crate::tree::{EventTree, NodeKind};

/// One scrub of one event: the rules, and the remarks written so far.
pub(crate) struct Scrubber<'a> {
    keys: &'a KeyRules,
    patterns: &'a Patterns,
    /// How a value under a secret key is taken out.
    key_redaction: &'a Redaction,
    /// What a non-string value under a secret key becomes, unless removed.
    replacement: &'a str,
    max_depth: usize,
    pub(crate) meta: MetaLog,
}

impl<'a> Scrubber<'a> {
    pub(crate) fn new(
        keys: &'a KeyRules,
        patterns: &'a Patterns,
        key_redaction: &'a Redaction,
        replacement: &'a str,
        max_depth: usize,
    ) -> Self {
        Scrubber {
            keys,
            patterns,
            key_redaction,
            replacement,
            max_depth,
            meta: MetaLog::default(),
        }
    }

    /// Free-form data: every object key below `node` is checked.
    pub(crate) fn databag<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>) {
        let kind = node.kind();
        if matches!(kind, NodeKind::Object | NodeKind::Array) && path.depth() >= self.max_depth {
            self.remove_too_deep(node, path);
            return;
        }
        match kind {
            NodeKind::Object => {
                node.for_each_field(|key, child| self.keyed(key, child, &path.key(key)))
            }
            NodeKind::Array => {
                node.for_each_element(|index, child| self.databag(child, &path.index(index)))
            }
            NodeKind::String => self.text(node, path, true),
            _ => {}
        }
    }

    /// A value under `key`, or an element of a list without one, as the
    /// walk treats it (for values written after the walk, see `cut`).
    pub(crate) fn value(&mut self, key: Option<&str>, node: &mut Value, path: &Path<'_>) {
        match key {
            Some(key) => self.keyed(key, node, path),
            None => self.databag(node, path),
        }
    }

    /// A value stored under `key`: replaced if the key is a secret, walked otherwise.
    pub(crate) fn keyed<T: EventTree>(&mut self, key: &str, node: &mut T, path: &Path<'_>) {
        match self.keys.classify(key) {
            Some(rule) => self.replace(node, rule, path),
            None if node.kind() == NodeKind::String => self.text(node, path, !is_user_agent(key)),
            None => self.databag(node, path),
        }
    }

    /// Free text (a message, a URL, a header value): secret values inside
    /// it are replaced, the rest is kept. IP addresses are looked for only
    /// when `allow_ip` (a User-Agent is full of version numbers).
    pub(crate) fn text<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>, allow_ip: bool) {
        let Some(text) = node.text() else { return };
        let allow_ip = allow_ip && !text.starts_with("Mozilla/");
        let (patterns, keys) = (self.patterns, self.keys);
        let outcome = find_and_redact(&text, |text, spans| {
            patterns.find(text, keys, allow_ip, spans);
        })
        .map(|rewritten| (rewritten, text.chars().count()));
        self.apply(node, outcome, path);
    }

    /// A map that may also arrive as a list of `[key, value]` pairs
    /// (headers, tags and query strings in Sentry's protocol allow both).
    pub(crate) fn pairs<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>) {
        match node.kind() {
            NodeKind::Array => node.for_each_element(|index, pair| {
                let pair_path = path.index(index);
                let mut key = None;
                pair.for_each_element(|position, item| {
                    if position == 0 {
                        key = item.text().map(|text| text.into_owned());
                    }
                });
                match key {
                    Some(key) => pair.for_each_element(|position, value| {
                        if position == 1 {
                            self.keyed(&key, value, &pair_path.index(1));
                        }
                    }),
                    None => self.databag(pair, &pair_path),
                }
            }),
            _ => self.databag(node, path),
        }
    }

    /// A map that may be one `key=value` string, a list of pairs or an object.
    pub(crate) fn encoded_pairs<T: EventTree>(
        &mut self,
        node: &mut T,
        syntax: PairSyntax,
        path: &Path<'_>,
    ) {
        let Some(text) = node.text() else {
            self.pairs(node, path);
            return;
        };
        let (patterns, keys, key_redaction) = (self.patterns, self.keys, self.key_redaction);
        let outcome = find_and_redact(&text, |text, spans| {
            for span in secret_values(text, syntax, keys, key_redaction) {
                spans.keep(span);
            }
            patterns.find(text, keys, true, spans);
        })
        .map(|rewritten| (rewritten, text.chars().count()));
        self.apply(node, outcome, path);
    }

    /// A value under a secret key: taken out whole, whatever its type. A
    /// string is redacted as the policy says; anything else becomes the
    /// replacement text, or is removed.
    fn replace<T: EventTree>(&mut self, node: &mut T, rule: KeyRule, path: &Path<'_>) {
        let rule_id = rule.rule_id();
        match node.kind() {
            NodeKind::Null => {}
            NodeKind::String => {
                let Some(text) = node.text() else { return };
                if text.is_empty() || self.key_redaction.already_applied(&text) {
                    return;
                }
                let outcome = redact_whole(&text, rule_id, self.key_redaction);
                let original_length = text.chars().count();
                self.apply(node, Some((outcome, original_length)), path);
            }
            _ if *self.key_redaction == Redaction::Remove => {
                node.set_null();
                let remark = Remark {
                    rule_id: rule_id.to_owned(),
                    kind: RemarkKind::Removed,
                };
                self.meta.record(path, vec![remark], None);
            }
            _ => {
                node.set_text(self.replacement);
                let remark = Remark {
                    rule_id: rule_id.to_owned(),
                    kind: RemarkKind::Substituted {
                        start: 0,
                        end: self.replacement.len(),
                    },
                };
                self.meta.record(path, vec![remark], None);
            }
        }
    }

    /// Writes a rewritten string (or its removal) into the event and `_meta`,
    /// with the original string's length in characters. Nothing to write, no
    /// length counted: most strings hold no secret.
    fn apply<T: EventTree>(
        &mut self,
        node: &mut T,
        outcome: Option<(Rewritten, usize)>,
        path: &Path<'_>,
    ) {
        match outcome {
            None => {}
            Some((Rewritten::Text(text, remarks), original_length)) => {
                node.set_text(&text);
                self.meta.record(path, remarks, Some(original_length));
            }
            Some((Rewritten::Removed(remark), original_length)) => {
                node.set_null();
                self.meta.record(path, vec![remark], Some(original_length));
            }
        }
    }

    fn remove_too_deep<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>) {
        node.set_null();
        self.meta.record(path, vec![Remark::too_deep()], None);
    }
}

fn is_user_agent(key: &str) -> bool {
    key.eq_ignore_ascii_case("user-agent") || key.eq_ignore_ascii_case("user_agent")
}
