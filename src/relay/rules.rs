//! What each Relay rule type looks for, and how a match becomes a redaction.
//!
//! A rule type runs one to three of the built-in regexes, on the value or on
//! its key: `@password` looks for bearer tokens in the value, and for
//! password-like words in the key (redacting the whole value) or, failing
//! that, in the value. Container and number values can only be removed, by
//! `@anything` or by a rule whose key regex matches.

use super::chunks::{join, restore, split, Chunk};
use super::regexes::{Pattern, Regexes};
use crate::meta::{Remark, RemarkKind};
use crate::scrub::hmac_sha1_hex;

/// How a matched value is taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Redact {
    /// No method given: a chunk is cut out, a whole value removed.
    Default,
    Remove,
    Replace(String),
    Mask,
    Hash,
    /// A method this version does not know: matches are left as they are.
    Other,
}

impl Redact {
    /// Whether a match is rewritten in place (rather than removed).
    fn rewrites(&self) -> bool {
        !matches!(self, Redact::Default | Redact::Remove)
    }
}

/// What a rule matches.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Anything,
    Pattern { pattern: Pattern, groups: Groups },
    Imei,
    Mac,
    Uuid,
    Email,
    Ip,
    Creditcard,
    Iban,
    Userpath,
    Pemkey,
    UrlAuth,
    UsSsn,
    Bearer,
    Password,
    Cookies,
    RedactPair(Pattern),
}

/// Which part of a match is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Groups {
    /// The whole match.
    Match,
    /// One capture group.
    Group(u8),
    /// These capture groups (0 is the whole match), in ascending order.
    Set(Vec<u8>),
    /// The whole string, whenever the regex matches anywhere in it.
    WholeValue,
}

impl Groups {
    fn includes(&self, group: usize) -> bool {
        match self {
            Groups::Match => group == 0,
            Groups::Group(only) => group == usize::from(*only),
            Groups::Set(set) => set.iter().any(|g| usize::from(*g) == group),
            Groups::WholeValue => false,
        }
    }
}

/// Where a regex of a rule is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// In the value.
    Value,
    /// In the key only; a match redacts the whole value.
    Key,
    /// In the key (redacting the whole value), else in the value.
    KeyOrValue,
}

/// The regexes a rule type runs (at most three), where, and which part of a match goes.
fn searches<'r>(
    regexes: &'r Regexes,
    kind: &'r Kind,
) -> [Option<(Target, &'r Pattern, &'r Groups)>; 3] {
    const MATCH: &Groups = &Groups::Match;
    const GROUP_1: &Groups = &Groups::Group(1);
    const WHOLE: &Groups = &Groups::WholeValue;
    let value = |pattern: &'r Pattern, groups: &'r Groups| {
        [Some((Target::Value, pattern, groups)), None, None]
    };
    match kind {
        Kind::Anything => value(&regexes.anything, MATCH),
        Kind::Pattern { pattern, groups } => value(pattern, groups),
        Kind::Imei => value(&regexes.imei, MATCH),
        Kind::Mac => value(&regexes.mac, MATCH),
        Kind::Uuid => value(&regexes.uuid, MATCH),
        Kind::Email => value(&regexes.email, MATCH),
        Kind::Iban => value(&regexes.iban, MATCH),
        Kind::Ip => [
            Some((Target::Value, &regexes.ipv4, MATCH)),
            Some((Target::Value, &regexes.ipv6, GROUP_1)),
            None,
        ],
        Kind::Creditcard => value(&regexes.creditcard, MATCH),
        Kind::Pemkey => value(&regexes.pemkey, GROUP_1),
        Kind::UrlAuth => value(&regexes.urlauth, GROUP_1),
        Kind::UsSsn => value(&regexes.usssn, MATCH),
        Kind::Userpath => value(&regexes.userpath, GROUP_1),
        Kind::Bearer => value(&regexes.bearer, MATCH),
        Kind::Cookies => value(&regexes.cookies, GROUP_1),
        Kind::Password => [
            Some((Target::Value, &regexes.bearer, MATCH)),
            Some((Target::Key, &regexes.token_key, WHOLE)),
            Some((Target::KeyOrValue, &regexes.password_key, WHOLE)),
        ],
        Kind::RedactPair(pattern) => [Some((Target::KeyOrValue, pattern, WHOLE)), None, None],
    }
}

/// A cheap first look: with nothing redacted yet the search text is the
/// string itself, and most strings match no pattern at all.
fn pattern_may_match(pattern: &Pattern, text: &str) -> bool {
    pattern.may_match(text)
}

/// A rule as it runs: the id reported in remarks, what it matches
/// and how it redacts.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) origin: String,
    pub(crate) kind: Kind,
    pub(crate) redact: Redact,
}

/// A string being scrubbed, with the remarks Relay keeps beside it.
#[derive(Debug, Default)]
pub(crate) struct Scrubbed {
    pub(crate) remarks: Vec<Remark>,
    /// Characters of the string before the first change.
    pub(crate) original_length: Option<usize>,
}

/// The outcome of one rule on one value.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Applied {
    Kept,
    /// The whole value must go (Relay's `DeleteValueHard`).
    Delete,
}

impl Rule {
    /// Applies this rule to a value under `key`: `text` is the value when it
    /// is a string, `None` for containers and numbers.
    pub(crate) fn apply(
        &self,
        regexes: &Regexes,
        key: Option<&str>,
        mut text: Option<&mut String>,
        scrubbed: &mut Scrubbed,
    ) -> Applied {
        let rewrites = self.redact.rewrites();
        if matches!(self.kind, Kind::Anything) && (text.is_none() || !rewrites) {
            return self.delete(scrubbed);
        }
        for (target, pattern, groups) in searches(regexes, &self.kind).into_iter().flatten() {
            let key_matches = || pattern.matches_somewhere(key.unwrap_or(""));
            match target {
                Target::Value => {
                    if let Some(text) = text.as_deref_mut() {
                        self.rewrite(text, scrubbed, pattern, groups);
                    }
                }
                Target::Key | Target::KeyOrValue if key_matches() => match text.as_deref_mut() {
                    Some(text) if rewrites => {
                        self.rewrite(text, scrubbed, &regexes.anything, &Groups::WholeValue)
                    }
                    _ => return self.delete(scrubbed),
                },
                Target::Key => {}
                Target::KeyOrValue => {
                    if let Some(text) = text.as_deref_mut() {
                        self.rewrite(text, scrubbed, pattern, groups);
                    }
                }
            }
        }
        Applied::Kept
    }

    fn delete(&self, scrubbed: &mut Scrubbed) -> Applied {
        scrubbed.remarks.push(Remark {
            rule_id: self.origin.clone(),
            kind: RemarkKind::Removed,
        });
        Applied::Delete
    }

    fn rewrite(
        &self,
        text: &mut String,
        scrubbed: &mut Scrubbed,
        regex: &Pattern,
        groups: &Groups,
    ) {
        let untouched = scrubbed.remarks.iter().all(|r| r.kind.range().is_none());
        if untouched && !text.contains('\0') && !pattern_may_match(regex, text) {
            return;
        }
        let chunks = split(text, &scrubbed.remarks);
        let Some(chunks) = self.redact_chunks(chunks, regex, groups) else {
            return;
        };
        let (joined, remarks) = join(chunks);
        if joined != *text {
            scrubbed.remarks = remarks;
            scrubbed
                .original_length
                .get_or_insert_with(|| text.chars().count());
            *text = joined;
        }
    }

    fn redact_chunks(
        &self,
        chunks: Vec<Chunk>,
        regex: &Pattern,
        groups: &Groups,
    ) -> Option<Vec<Chunk>> {
        let mut search = String::new();
        let mut has_text = false;
        for chunk in &chunks {
            match chunk.redaction {
                None => {
                    has_text = true;
                    search.extend(chunk.text.chars().filter(|c| *c != '\0'));
                }
                Some(_) => search.push('\0'),
            }
        }
        if !has_text {
            return None;
        }
        if *groups == Groups::WholeValue {
            return regex
                .matches_somewhere(&search)
                .then(|| self.replacement(&search).into_iter().collect());
        }
        let matches = regex.captures(&search);
        if matches.is_empty() {
            return None;
        }
        let mut pending: Vec<Chunk> = chunks
            .into_iter()
            .filter(|c| c.redaction.is_some())
            .collect();
        pending.reverse();
        let mut output = Vec::new();
        let mut position = 0;
        for captures in matches {
            for (index, found) in captures.iter().enumerate() {
                let Some(found) = found else { continue };
                if !groups.includes(index) || found.start() < position {
                    continue;
                }
                restore(&search[position..found.start()], &mut output, &mut pending);
                output.extend(self.replacement(found.as_str()));
                position = found.end();
            }
        }
        restore(&search[position..], &mut output, &mut pending);
        Some(output)
    }

    /// The chunk that takes the place of `secret`; an unknown method drops
    /// the secret without a remark, as Relay does.
    fn replacement(&self, secret: &str) -> Option<Chunk> {
        let (text, kind) = match &self.redact {
            Redact::Other => return None,
            Redact::Default | Redact::Remove => {
                (String::new(), RemarkKind::RemovedPart { start: 0, end: 0 })
            }
            Redact::Mask => (
                "*".repeat(secret.chars().count()),
                RemarkKind::Masked { start: 0, end: 0 },
            ),
            Redact::Hash => (
                hmac_sha1_hex("", secret),
                RemarkKind::Pseudonymized { start: 0, end: 0 },
            ),
            Redact::Replace(replacement) => (
                replacement.clone(),
                RemarkKind::Substituted { start: 0, end: 0 },
            ),
        };
        let rule_id = self.origin.clone();
        Some(Chunk {
            text,
            redaction: Some(Remark { rule_id, kind }),
        })
    }
}
