//! Taking secrets out of a string, and saying so in `_meta`.
//!
//! Detectors (key-value pairs, value patterns) report byte ranges of the
//! original string, each with the rule that found it and how it wants the
//! secret taken out: replaced by a text, masked, hashed, or the whole value
//! removed. This module merges the ranges, writes the new string and the
//! remarks, whose ranges are byte offsets in the *new* string and whose
//! kinds are Relay's (`s` substituted, `m` masked, `p` pseudonymised by a
//! hash, `x` removed).

use std::collections::BTreeMap;

use sha1_smol::Sha1;

use crate::meta::{Remark, RemarkKind, CUT_MARKER};
use crate::policy::Method;

/// How one rule takes a secret out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Redaction {
    Replace(String),
    Mask,
    Hash(String),
    Remove,
}

/// Characters a mask leaves visible at the end, for secrets long enough to spare them.
const MASK_KEEPS_LAST: usize = 4;
const MASK_KEEPS_FROM_LENGTH: usize = 12;

impl Redaction {
    pub(crate) fn new(method: Method, replacement: &str, hash_key: &str) -> Self {
        match method {
            Method::Replace => Redaction::Replace(replacement.to_owned()),
            Method::Mask => Redaction::Mask,
            Method::Hash => Redaction::Hash(hash_key.to_owned()),
            Method::Remove => Redaction::Remove,
        }
    }

    /// Whether `text` already is what this redaction would leave, so that
    /// processing an event twice changes nothing more. A value cut at a size
    /// limit after it was redacted (a tag value, span data) keeps only the
    /// beginning of the redaction, then the cut marker: that is redacted too.
    pub(crate) fn already_applied(&self, text: &str) -> bool {
        if let Some(kept) = text.strip_suffix(CUT_MARKER) {
            return self.begins(kept);
        }
        match self {
            Redaction::Replace(replacement) => text == replacement,
            Redaction::Mask => {
                let length = text.chars().count();
                length > 0
                    && text
                        .chars()
                        .take(length - mask_visible(length))
                        .all(|c| c == '*')
            }
            Redaction::Hash(_) => {
                text.len() == 40
                    && text
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
            }
            Redaction::Remove => false,
        }
    }

    /// Whether `kept` is the beginning of some text this redaction leaves.
    fn begins(&self, kept: &str) -> bool {
        match self {
            Redaction::Replace(replacement) => replacement.starts_with(kept),
            Redaction::Mask => {
                let visible = kept.trim_start_matches('*');
                kept.is_empty()
                    || (visible.len() < kept.len() && visible.chars().count() <= MASK_KEEPS_LAST)
            }
            Redaction::Hash(_) => {
                kept.len() <= 40
                    && kept
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
            }
            Redaction::Remove => kept.is_empty(),
        }
    }

    /// The text that takes the place of `secret`, and the remark kind for it.
    fn apply(&self, secret: &str) -> (String, fn(usize, usize) -> RemarkKind) {
        match self {
            Redaction::Replace(replacement) => (replacement.clone(), |start, end| {
                RemarkKind::Substituted { start, end }
            }),
            Redaction::Mask => (mask(secret), |start, end| RemarkKind::Masked { start, end }),
            Redaction::Hash(key) => (hmac_sha1_hex(key, secret), |start, end| {
                RemarkKind::Pseudonymized { start, end }
            }),
            Redaction::Remove => (String::new(), |_, _| RemarkKind::Removed),
        }
    }
}

/// A secret inside a string: its byte range in the original, the rule, and how to take it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span<'a> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) rule_id: &'a str,
    pub(crate) redaction: &'a Redaction,
}

/// The secrets found in one string so far: never overlapping, in order.
/// Each finding is checked against the one kept span that could overlap it,
/// so a string with a million secrets costs n log n, not n².
#[derive(Debug, Default)]
pub(crate) struct Spans<'a>(BTreeMap<usize, Span<'a>>);

impl<'a> Spans<'a> {
    /// Adds `span` unless it is empty or overlaps one already kept (earlier detectors win).
    pub(crate) fn keep(&mut self, span: Span<'a>) {
        if span.start >= span.end {
            return;
        }
        // Kept spans are disjoint: the last one starting before `span` ends
        // is the only one that can reach into it.
        let overlaps = self
            .0
            .range(..span.end)
            .next_back()
            .is_some_and(|(_, kept)| kept.end > span.start);
        if !overlaps {
            self.0.insert(span.start, span);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The kept span that starts at `start`, if any.
    pub(crate) fn starting_at(&self, start: usize) -> Option<&Span<'a>> {
        self.0.get(&start)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Span<'a>> {
        self.0.values()
    }
}

/// What became of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rewritten {
    /// The string with its secrets taken out.
    Text(String, Vec<Remark>),
    /// A rule asked for the whole value to go.
    Removed(Remark),
}

/// Applies every span; `None` when there is nothing to do.
pub(crate) fn redact(text: &str, spans: &Spans<'_>) -> Option<Rewritten> {
    rewrite(text, spans).map(|(rewritten, _)| rewritten)
}

/// [`redact`], also giving the byte range of `text` each remark stands for.
pub(crate) fn rewrite(text: &str, spans: &Spans<'_>) -> Option<(Rewritten, Vec<(usize, usize)>)> {
    if spans.is_empty() {
        return None;
    }
    if let Some(removing) = spans
        .iter()
        .find(|span| *span.redaction == Redaction::Remove)
    {
        let removed = Rewritten::Removed(Remark {
            rule_id: removing.rule_id.to_owned(),
            kind: RemarkKind::Removed,
        });
        return Some((removed, vec![(0, text.len())]));
    }
    let mut output = String::with_capacity(text.len());
    let mut remarks = Vec::new();
    let mut replaced = Vec::new();
    let mut copied_up_to = 0;
    for span in spans.iter() {
        let (Some(before), Some(secret)) = (
            text.get(copied_up_to..span.start),
            text.get(span.start..span.end),
        ) else {
            continue;
        };
        output.push_str(before);
        let start = output.len();
        let (replacement, kind) = span.redaction.apply(secret);
        output.push_str(&replacement);
        remarks.push(Remark {
            rule_id: span.rule_id.to_owned(),
            kind: kind(start, output.len()),
        });
        replaced.push((span.start, span.end));
        copied_up_to = span.end;
    }
    if remarks.is_empty() {
        return None;
    }
    output.push_str(text.get(copied_up_to..).unwrap_or_default());
    Some((Rewritten::Text(output, remarks), replaced))
}

/// The whole of `secret` redacted: the text and its remark.
pub(crate) fn redact_whole(secret: &str, rule_id: &str, redaction: &Redaction) -> Rewritten {
    let mut spans = Spans::default();
    spans.keep(Span {
        start: 0,
        end: secret.len(),
        rule_id,
        redaction,
    });
    redact(secret, &spans).unwrap_or_else(|| {
        Rewritten::Removed(Remark {
            rule_id: rule_id.to_owned(),
            kind: RemarkKind::Removed,
        })
    })
}

/// How many characters at the end a mask leaves visible.
fn mask_visible(length: usize) -> usize {
    if length >= MASK_KEEPS_FROM_LENGTH {
        MASK_KEEPS_LAST
    } else {
        0
    }
}

fn mask(secret: &str) -> String {
    let length = secret.chars().count();
    let visible = mask_visible(length);
    secret
        .chars()
        .enumerate()
        .map(|(index, c)| if index + visible < length { '*' } else { c })
        .collect()
}

/// HMAC-SHA1 (RFC 2104) of `message` under `key`, as upper-case hex.
pub(crate) fn hmac_sha1_hex(key: &str, message: &str) -> String {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..20].copy_from_slice(&Sha1::from(key.as_bytes()).digest().bytes());
    } else {
        block_key[..key.len()].copy_from_slice(key.as_bytes());
    }
    let mut inner = Sha1::new();
    inner.update(&block_key.map(|byte| byte ^ 0x36));
    inner.update(message.as_bytes());
    let mut outer = Sha1::new();
    outer.update(&block_key.map(|byte| byte ^ 0x5c));
    outer.update(&inner.digest().bytes());
    outer.digest().to_string().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(start: usize, end: usize, rule_id: &'a str, redaction: &'a Redaction) -> Span<'a> {
        Span {
            start,
            end,
            rule_id,
            redaction,
        }
    }

    #[test]
    fn spans_are_replaced_and_ranges_point_into_the_new_string() {
        let replace = Redaction::Replace("[F]".into());
        let mut spans = Spans::default();
        spans.keep(span(13, 16, "b", &replace));
        spans.keep(span(2, 5, "a", &replace));
        let Some(Rewritten::Text(text, remarks)) = redact("a=xyz b=ü c=pqr", &spans) else {
            panic!("expected a rewrite");
        };
        assert_eq!(text, "a=[F] b=ü c=[F]");
        let kinds: Vec<_> = remarks
            .iter()
            .map(|r| (r.rule_id.as_str(), r.kind))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("a", RemarkKind::Substituted { start: 2, end: 5 }),
                ("b", RemarkKind::Substituted { start: 13, end: 16 }),
            ]
        );
    }

    #[test]
    fn mask_keeps_the_last_four_of_long_secrets() {
        assert_eq!(mask("4111111111111111"), "************1111");
        assert_eq!(mask("hunter2"), "*******");
        let Rewritten::Text(text, remarks) = redact_whole("hunter2", "r", &Redaction::Mask) else {
            panic!("expected text");
        };
        assert_eq!(text, "*******");
        assert_eq!(remarks[0].kind, RemarkKind::Masked { start: 0, end: 7 });
    }

    #[test]
    fn hash_is_rfc_2104_hmac_sha1() {
        // RFC 2202, test case 2.
        assert_eq!(
            hmac_sha1_hex("Jefe", "what do ya want for nothing?"),
            "EFFCDF6AE5EB2FA2D27416D5F184DF9C259A7C79"
        );
        let long_key = "k".repeat(100);
        assert_eq!(hmac_sha1_hex(&long_key, "x").len(), 40);
        assert!(Redaction::Hash(String::new()).already_applied(&hmac_sha1_hex("", "s")));
    }

    #[test]
    fn a_redaction_cut_at_a_limit_is_still_redacted() {
        let replace = Redaction::Replace("[Filtered]".into());
        for cut in ["...", "[Filt...", "[Filtered]..."] {
            assert!(replace.already_applied(cut), "{cut}");
        }
        assert!(!replace.already_applied("hunter2..."));
        assert!(Redaction::Mask.already_applied("****ab..."));
        assert!(!Redaction::Mask.already_applied("abcd..."));
        assert!(Redaction::Hash(String::new()).already_applied("EFFCDF6A..."));
        assert!(!Redaction::Hash(String::new()).already_applied("token..."));
    }

    #[test]
    fn remove_takes_the_whole_value() {
        let remove = Redaction::Remove;
        let replace = Redaction::Replace("[F]".into());
        let mut spans = Spans::default();
        spans.keep(span(0, 1, "a", &replace));
        spans.keep(span(2, 3, "b", &remove));
        assert_eq!(
            redact("x y z", &spans),
            Some(Rewritten::Removed(Remark {
                rule_id: "b".into(),
                kind: RemarkKind::Removed
            }))
        );
    }

    #[test]
    fn overlapping_spans_keep_the_first() {
        let replace = Redaction::Replace("[F]".into());
        let mut spans = Spans::default();
        spans.keep(span(5, 9, "later", &replace));
        spans.keep(span(0, 5, "first", &replace));
        spans.keep(span(3, 8, "second", &replace));
        spans.keep(span(4, 4, "empty", &replace));
        spans.keep(span(8, 12, "inside the later one", &replace));
        spans.keep(span(9, 10, "after", &replace));
        let kept: Vec<_> = spans.iter().map(|span| span.rule_id).collect();
        assert_eq!(kept, ["first", "later", "after"]);
        assert!(redact("text", &Spans::default()).is_none());
    }
}
