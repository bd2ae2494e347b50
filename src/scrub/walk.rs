//! The recursive walk over user data.
//!
//! Inside the areas that carry user data (extra, request bodies, frame
//! locals, …) nothing is known about the shape, so every object key at every
//! depth is checked, and every string is searched for secret values. A value
//! under a secret key is replaced whole, whatever its type: a password sent
//! as a number or a credentials object leaks just as well. The walk is
//! bounded by `limits.max_depth`; a container below it is removed rather
//! than sent unchecked.

use std::borrow::Cow;

use serde_json::Value;

use super::detect::{Detectors, Scope};
use super::encoded::{secret_values, PairSyntax};
use super::keys::{KeyRule, KeyRules};
use super::redact::{redact_whole, Redaction, Rewritten, Span, Spans};
use super::rounds::find_and_redact;
use super::searched_texts::{LentSearchedTexts, Seen};
use crate::cut::cut_too_deep;
use crate::meta::{MetaLog, Remark, RemarkKind};
use crate::path::Path;
use crate::tree::{pair_key, EventTree, NodeKind};

/// One scrub of one event: the rules, and the remarks written so far.
pub(crate) struct Scrubber<'a> {
    keys: &'a KeyRules,
    detectors: &'a Detectors,
    /// How a value under a secret key is taken out.
    key_redaction: &'a Redaction,
    /// What a non-string value under a secret key becomes, unless removed.
    replacement: &'a str,
    max_depth: usize,
    /// Strings searched, in this event and earlier ones, and their outcomes.
    searched: LentSearchedTexts,
    pub(crate) meta: MetaLog,
}

impl<'a> Scrubber<'a> {
    pub(crate) fn new(
        keys: &'a KeyRules,
        detectors: &'a Detectors,
        key_redaction: &'a Redaction,
        replacement: &'a str,
        max_depth: usize,
    ) -> Self {
        Scrubber {
            keys,
            detectors,
            key_redaction,
            replacement,
            max_depth,
            searched: LentSearchedTexts::borrow((detectors.id(), keys.id())),
            meta: MetaLog::default(),
        }
    }

    /// Free-form data: every object key below `node` is checked.
    pub(crate) fn databag<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>) {
        if cut_too_deep(node, path, self.max_depth, &mut self.meta) {
            return;
        }
        match node.kind() {
            NodeKind::Object => {
                node.for_each_field(|key, child| self.keyed(key, child, &path.key(key)))
            }
            NodeKind::Array => node.for_each_element(|index, child| {
                let child_path = path.index(index);
                match self.secret_pair_key(child, &child_path) {
                    Some(key) => self.secret_pair(child, &key, &child_path),
                    None => self.databag(child, &child_path),
                }
            }),
            NodeKind::String => self.text(node, path, Scope::Everything),
            _ => {}
        }
    }

    /// `databag` of an object member by member, each member shown to
    /// `observe` once scrubbed: span-data cleaning looks at what the walk
    /// holds instead of walking the object again. Anything else (not an
    /// object, or too deep) is scrubbed as `databag` does, unobserved.
    pub(crate) fn observed_databag<T: EventTree>(
        &mut self,
        node: &mut T,
        path: &Path<'_>,
        observe: &mut dyn FnMut(&str, &mut T),
    ) {
        if node.kind() != NodeKind::Object || path.depth() >= self.max_depth {
            return self.databag(node, path);
        }
        node.for_each_field(|key, child| {
            self.keyed(key, child, &path.key(key));
            observe(key, child);
        });
    }

    /// `keyed` with the members of a walked object shown to `observe` (see
    /// `observed_databag`).
    pub(crate) fn observed_keyed<T: EventTree>(
        &mut self,
        key: &str,
        node: &mut T,
        path: &Path<'_>,
        observe: &mut dyn FnMut(&str, &mut T),
    ) {
        if node.kind() == NodeKind::Object && self.keys.classify(key).is_none() {
            self.observed_databag(node, path, observe);
        } else {
            self.keyed(key, node, path);
        }
    }

    /// The key of `[key, value]` when it names a secret: a list of pairs
    /// is a map wherever it is (Starlette keeps an ASGI scope's headers as
    /// `[[b'x-api-key', b'…'], …]`, and that reaches frame locals).
    fn secret_pair_key<T: EventTree>(&self, node: &mut T, path: &Path<'_>) -> Option<String> {
        if path.depth() >= self.max_depth {
            return None;
        }
        pair_key(node).filter(|key| self.keys.classify(key).is_some())
    }

    /// `[key, value]` with a secret key: the key walked as data, the value taken out.
    fn secret_pair<T: EventTree>(&mut self, pair: &mut T, key: &str, path: &Path<'_>) {
        pair.for_each_element(|index, item| {
            let item_path = path.index(index);
            match index {
                0 => self.databag(item, &item_path),
                _ => self.keyed(key, item, &item_path),
            }
        });
    }

    /// The user: data like any other, except its `ip_address`, which Relay
    /// types as an IP address. A scrubbed one is removed (set to null), never
    /// replaced: `[Filtered]` there is invalid data to Relay.
    pub(crate) fn user<T: EventTree>(&mut self, user: &mut T, path: &Path<'_>) {
        if user.kind() != NodeKind::Object {
            self.databag(user, path);
            return;
        }
        user.for_each_field(|key, value| {
            let value_path = path.key(key);
            let rule = (key == "ip_address")
                .then(|| self.keys.classify(key))
                .flatten();
            match rule {
                Some(rule) if value.kind() != NodeKind::Null => {
                    let length = value.text().map(|text| text.chars().count());
                    value.set_null();
                    let remark = Remark {
                        rule_id: rule.rule_id().to_owned(),
                        kind: RemarkKind::Removed,
                    };
                    self.meta.record(&value_path, vec![remark], length);
                }
                Some(_) => {}
                None => self.keyed(key, value, &value_path),
            }
        });
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
            None if node.kind() == NodeKind::String => {
                let scope = if is_user_agent(key) {
                    Scope::NoAddresses
                } else {
                    Scope::Everything
                };
                self.text(node, path, scope)
            }
            None => self.databag(node, path),
        }
    }

    /// Free text (a message, a URL, a header value, a source line): secret
    /// values inside it are replaced, the rest is kept. `scope` says which
    /// families it may hold (a User-Agent's version numbers are not IP
    /// addresses; source code holds credentials, not personal data).
    pub(crate) fn text<T: EventTree>(&mut self, node: &mut T, path: &Path<'_>, scope: Scope) {
        let Some(text) = node.text() else { return };
        let outcome = self.text_outcome(&text, scope);
        self.apply(node, outcome, path);
    }

    /// What becomes of a free text (see `text`) and its length in
    /// characters; `None` when it stays. Apart from the node: one copy of
    /// the search and the memo for every kind of tree.
    fn text_outcome(&mut self, text: &str, scope: Scope) -> Option<(Rewritten, usize)> {
        if !self.detectors.may_find_in(text) {
            return None;
        }
        let scope = Scope::of_text(scope, text);
        let fingerprint = match self.searched.texts().look_up(text, scope) {
            Seen::Clean => return None,
            Seen::Changed(known) => return self.searched.texts().outcome(known),
            Seen::New(fingerprint) => fingerprint,
        };
        let (detectors, keys) = (self.detectors, self.keys);
        let outcome = find_and_redact(text, |text, spans| {
            detectors.find(text, keys, scope, spans);
        })
        .map(|rewritten| (rewritten, text.chars().count()));
        if let Some(fingerprint) = fingerprint {
            let memo = self.searched.texts();
            match &outcome {
                None => memo.remember(fingerprint, text),
                Some((rewritten, original_length)) => {
                    memo.remember_changed(fingerprint, text, rewritten, *original_length)
                }
            }
        }
        outcome
    }

    /// The rule a message parameter's secret is taken out of the formatted
    /// text by.
    pub(crate) const PARAMETER_RULE: &'static str = "@preflight:log-parameter";

    /// A message's formatted text (see `message`): free text, searched also
    /// for each of `secrets` (what the message's parameters held before the
    /// scrub took them out), so that a secret passed as a parameter goes
    /// from the text as well. Says, for each of `candidates`, whether the
    /// search took out a place of the original text where it stands: a
    /// parameter the text's search found secret goes from the parameters
    /// as well.
    pub(crate) fn formatted_message<T: EventTree>(
        &mut self,
        node: &mut T,
        path: &Path<'_>,
        secrets: &[&str],
        candidates: &[&str],
    ) -> Vec<bool> {
        let Some(text) = node.text().map(Cow::into_owned) else {
            return vec![false; candidates.len()];
        };
        let (detectors, keys, redaction) = (self.detectors, self.keys, self.key_redaction);
        let mut taken_in_original: Option<Vec<(usize, usize)>> = None;
        let outcome = find_and_redact(&text, |current, spans| {
            let mut found = Spans::default();
            detectors.find(current, keys, Scope::Everything, &mut found);
            // A parameter's places go first, so that no finding overlapping
            // one leaves part of it; one the text's own search found too
            // keeps the remark of the rule that found it.
            for secret in secrets.iter().filter(|secret| !secret.is_empty()) {
                for (start, _) in current.match_indices(secret) {
                    let end = start + secret.len();
                    let span = match found.starting_at(start) {
                        Some(same) if same.end == end => *same,
                        _ => Span {
                            start,
                            end,
                            rule_id: Self::PARAMETER_RULE,
                            redaction,
                        },
                    };
                    spans.keep(span);
                }
            }
            for span in found.iter() {
                spans.keep(*span);
            }
            // The first round reads the original text.
            taken_in_original
                .get_or_insert_with(|| spans.iter().map(|span| (span.start, span.end)).collect());
        });
        // In order and disjoint (see `Spans`): the one that may hold a place
        // is the last starting at or before it.
        let taken = taken_in_original.unwrap_or_default();
        let is_taken = |start: usize, end: usize| {
            let before = taken.partition_point(|&(from, _)| from <= start);
            before > 0 && taken[before - 1].1 >= end
        };
        let answers = candidates
            .iter()
            .map(|candidate| {
                !candidate.is_empty()
                    && text
                        .match_indices(candidate)
                        .any(|(start, _)| is_taken(start, start + candidate.len()))
            })
            .collect();
        let original_length = text.chars().count();
        self.apply(
            node,
            outcome.map(|rewritten| (rewritten, original_length)),
            path,
        );
        answers
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
        let (detectors, keys, key_redaction) = (self.detectors, self.keys, self.key_redaction);
        let outcome = find_and_redact(&text, |text, spans| {
            for span in secret_values(text, syntax, keys, key_redaction) {
                spans.keep(span);
            }
            detectors.find(text, keys, Scope::Everything, spans);
        })
        .map(|rewritten| (rewritten, text.chars().count()));
        self.apply(node, outcome, path);
    }

    /// A value under a secret key: taken out whole, whatever its type.
    fn replace<T: EventTree>(&mut self, node: &mut T, rule: KeyRule, path: &Path<'_>) {
        self.take_out(node, rule.rule_id(), path);
    }

    /// A value taken out whole under `rule_id`. A string is redacted as the
    /// policy redacts a value under a secret key; anything else becomes the
    /// replacement text, or is removed.
    pub(crate) fn take_out<T: EventTree>(&mut self, node: &mut T, rule_id: &str, path: &Path<'_>) {
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
                node.set_text(self.replacement.to_owned());
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
                node.set_text(text);
                self.meta.record(path, remarks, Some(original_length));
            }
            Some((Rewritten::Removed(remark), original_length)) => {
                node.set_null();
                self.meta.record(path, vec![remark], Some(original_length));
            }
        }
    }
}

fn is_user_agent(key: &str) -> bool {
    key.eq_ignore_ascii_case("user-agent") || key.eq_ignore_ascii_case("user_agent")
}
