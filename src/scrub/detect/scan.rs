//! The one pass over a string that finds candidates for every family.
//!
//! The pass visits each byte once and stops only where some finder may
//! start (`attention`): where a word starts (a letter, digit or `_` after
//! anything else) with two bytes a prefix, a number or a word shape may
//! begin with, and at the few separator bytes some finder is anchored on
//! (`@`, `:`, `=`, `-` before `-`, …). At a word start, the token formats
//! and block finders whose prefix starts with its first two bytes are tried
//! (`tokens::PrefixIndex`); a digit leads to the number finders, and the
//! word's first byte and length to the word shapes. At a separator, the
//! byte picks its finders. A string with no candidate costs that one pass
//! and no allocation.
//!
//! Finders report findings here; the families' priorities are applied
//! afterwards (`super::Detectors::find`), so the order of the pass never
//! decides which of two overlapping findings wins.

use super::attention::{before, Attention, Before};
use super::blocks;
use super::bytes::{self, is_word};
use super::families::{self, FamilyInfo};
use super::network;
use super::numbers;
use super::pairs;
use super::tokens::{self, PrefixIndex, RunCache, Target};
use super::words;
use crate::scrub::keys::KeyRules;
use crate::scrub::redact::Redaction;

/// A finding: the family and the byte range of the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Finding {
    pub(super) family: usize,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Where a finder may resume reading back, so that many anchors in a row
/// do not each read the same text again.
#[derive(Debug, Clone, Copy)]
pub(super) enum Resume {
    Email,
    Ipv6,
    PemEnd,
    Curl,
    Putty,
}

/// A finder run at a position of a string.
pub(super) type Finder = fn(&mut Scan<'_>, usize);

/// Finders reached through a word-start prefix instead of a token format.
pub(super) const TRIGGERS: &[(&str, usize, Finder)] = &[
    (
        "PuTTY-User-Key-File-",
        families::index_of("pemkey"),
        blocks::putty,
    ),
    (
        "kind",
        families::index_of("kubernetes-secret"),
        blocks::kubernetes,
    ),
    ("curl", families::index_of("curl-auth"), blocks::curl),
];

/// One pass over one string.
pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) bytes: &'a [u8],
    /// The families this pass looks for, one bit each.
    allowed: u128,
    prefixes: &'a PrefixIndex,
    attention: &'a Attention,
    keys: &'a KeyRules,
    redaction: &'a Redaction,
    runs: RunCache,
    resume: [usize; 5],
    pub(super) findings: Vec<Finding>,
}

impl<'a> Scan<'a> {
    pub(super) fn new(
        text: &'a str,
        allowed: u128,
        prefixes: &'a PrefixIndex,
        attention: &'a Attention,
        keys: &'a KeyRules,
        redaction: &'a Redaction,
    ) -> Self {
        Scan {
            text,
            bytes: text.as_bytes(),
            allowed,
            prefixes,
            attention,
            keys,
            redaction,
            runs: RunCache::default(),
            resume: [0; 5],
            findings: Vec::new(),
        }
    }

    #[inline]
    pub(super) fn wants(&self, family: usize) -> bool {
        self.allowed & (1 << family) != 0
    }

    pub(super) fn found(&mut self, family: usize, start: usize, end: usize) {
        if start < end && self.wants(family) {
            self.findings.push(Finding { family, start, end });
        }
    }

    pub(super) fn resume(&self, finder: Resume) -> usize {
        self.resume[finder as usize]
    }

    pub(super) fn set_resume(&mut self, finder: Resume, at: usize) {
        self.resume[finder as usize] = at;
    }

    /// Whether a key names a secret under the policy's key rules.
    pub(super) fn names_a_secret(&self, key: &str) -> bool {
        self.keys.classify(key).is_some()
    }

    /// Whether `value` already is what the policy's redaction leaves.
    pub(super) fn already_redacted(&self, value: &str) -> bool {
        self.redaction.already_applied(value)
            || matches!(self.redaction, Redaction::Replace(text) if !text.is_empty() && value.starts_with(text.as_str()))
    }

    /// The pass: one bit test a byte (`attention`), and the finders only
    /// where it says some may start.
    pub(super) fn run(&mut self) {
        let (bytes, attention) = (self.bytes, self.attention);
        let mut from = 0;
        let mut previous = Before::Other as usize;
        while let Some((at, before_stop)) = attention.next_stop(bytes, from, previous) {
            self.stop(at, before_stop == Before::Word as usize);
            previous = before(bytes[at]);
            from = at + 1;
        }
    }

    #[inline(never)]
    fn stop(&mut self, at: usize, previous_is_word: bool) {
        let byte = self.bytes[at];
        match (is_word(byte), previous_is_word) {
            (true, false) => self.word(at),
            (true, true) => words::inside_word(self, at),
            (false, _) => self.separator(at),
        }
    }

    /// Where a word starts: the prefixed formats and finders, the numbers,
    /// the word shapes.
    #[inline]
    fn word(&mut self, start: usize) {
        let bytes = self.bytes;
        if bytes.len() > start + 1 && self.prefixes.starts_with(bytes[start], bytes[start + 1]) {
            self.prefixed(start);
        }
        if bytes::is_digit(bytes[start]) {
            numbers::at_digit(self, start);
        }
        words::at_word(self, start);
    }

    #[inline(never)]
    fn prefixed(&mut self, start: usize) {
        let bytes = self.bytes;
        let prefixes = self.prefixes;
        for (prefix, target) in prefixes.at(bytes, start) {
            match target {
                Target::Format(format) => {
                    if let Some((from, to)) =
                        tokens::match_format(bytes, start, prefix, format, &mut self.runs)
                    {
                        self.found(format.family, from, to);
                    }
                }
                Target::Finder(finder) => finder(self, start),
            }
        }
    }

    #[inline]
    fn separator(&mut self, at: usize) {
        let bytes = self.bytes;
        let next = bytes.get(at + 1).copied();
        match bytes[at] {
            b'@' => network::at_sign(self, at),
            b':' => {
                network::at_colon(self, at);
                pairs::at_colon(self, at);
            }
            b'=' => pairs::at_equals(self, at),
            b'>' => pairs::at_angle(self, at),
            b',' => pairs::at_comma(self, at),
            b'(' => numbers::at_parenthesis(self, at),
            b'+' if next.is_some_and(bytes::is_digit) => numbers::at_plus(self, at),
            b'-' => match next {
                Some(b'-') => {
                    blocks::pem(self, at);
                    pairs::at_flag(self, at);
                }
                Some(b'u') => network::mailchimp(self, at),
                _ => network::mac(self, at, b'-'),
            },
            b'~' => network::at_tilde(self, at),
            b'.' if next == Some(b'a') => network::at_dot(self, at),
            b'|' => network::at_pipe(self, at),
            b'<' if next == Some(b'a') => blocks::config_entry(self, at),
            // A word right after an escape (`\n`, `%3D`) starts there too:
            // logs and URLs glue tokens to them.
            b'\\' if matches!(next, Some(b'n' | b'r' | b't')) => self.word_after_escape(at + 2),
            b'%' if bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) =>
            {
                self.word_after_escape(at + 3)
            }
            _ => {}
        }
    }

    fn word_after_escape(&mut self, start: usize) {
        if self.bytes.get(start).is_some_and(|b| is_word(*b)) {
            self.word(start);
        }
    }
}

/// The bit of every family of `class`.
pub(super) fn class_mask(keep: impl Fn(&FamilyInfo) -> bool) -> u128 {
    families::FAMILIES
        .iter()
        .enumerate()
        .filter(|(_, family)| keep(family))
        .fold(0, |mask, (index, _)| mask | 1 << index)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::policy::ScrubPolicy;
    use crate::scrub::detect::{Detectors, Scope};
    use crate::scrub::keys::KeyRules;
    use crate::scrub::redact::Spans;

    /// What the default policy finds in `text`: each secret and its family,
    /// overlaps resolved.
    pub(crate) fn found(text: &str) -> Vec<(String, &'static str)> {
        let policy = ScrubPolicy::default();
        let keys = KeyRules::new(&policy);
        let detectors = Detectors::new(&policy).unwrap();
        let mut spans = Spans::default();
        detectors.find(text, &keys, Scope::Everything, &mut spans);
        spans
            .iter()
            .map(|span| {
                let family = span
                    .rule_id
                    .strip_prefix("@preflight:")
                    .unwrap_or(span.rule_id);
                let family = super::families::names()
                    .find(|name| *name == family)
                    .unwrap_or("custom");
                (text[span.start..span.end].to_owned(), family)
            })
            .collect()
    }

    #[test]
    fn a_text_without_candidates_finds_nothing() {
        assert!(found("The quick brown fox jumps over the lazy dog, twice.").is_empty());
        assert!(found("").is_empty());
    }

    #[test]
    fn tokens_after_escapes_are_found() {
        let token = format!("ghp_{}", "aB3".repeat(12));
        assert_eq!(
            found(&format!(r"line one\n{token}")),
            [(token.clone(), "github-token")]
        );
        assert_eq!(
            found(&format!("a=%22{token}%22")),
            [(token, "github-token")]
        );
    }
}
