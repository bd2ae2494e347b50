//! Secrets and personal data recognised by their value, wherever they
//! appear in a string: one pass per string for every family.
//!
//! Most real leaks are values, not keys: a card number in an exception
//! message, a token in a breadcrumb URL, a password in a DSN, a key
//! hard-coded in a source line. The families are data (`families`: names
//! and priorities; `tokens`: the prefixed formats); one pass (`scan`) finds
//! the candidates of all of them, and each candidate is confirmed by its
//! finder's check (`checks`: Luhn, mod-97, base58check, bech32, CRC-32, a
//! real address parse). So a string costs one pass however many families
//! there are, and adding a family is adding a row. Only the secret part of
//! a finding is reported: `https://shop.example/x?page=3&token=…` keeps its
//! host and page. The policy's own patterns (regex-lite, linear-time) run
//! before the built-ins, so the user's intent wins.

mod attention;
mod blocks;
mod bytes;
mod checks;
mod families;
mod network;
mod numbers;
mod pairs;
mod scan;
mod tokens;
mod words;

use regex_lite::Regex;

use super::keys::KeyRules;
use super::redact::{Redaction, Span, Spans};
use crate::pattern::compile_regex;
use crate::policy::{PatternEntry, PolicyError, ScrubPolicy};
use attention::Attention;
use families::{Class, FAMILIES};
use scan::{class_mask, Finding, Scan};
use tokens::PrefixIndex;

pub(crate) use families::names as family_names;

/// Which families a string may hold, by where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// User data: every family.
    Everything,
    /// A User-Agent: no IP addresses (its version numbers imitate them).
    NoAddresses,
    /// Source code (a frame's context lines): credentials, and personal data
    /// only when the policy asks for it.
    SourceCode,
}

impl Scope {
    /// The scope of free text found where `scope` applies: a User-Agent is
    /// recognised by its start too, wherever it is (its version numbers are
    /// not addresses).
    pub(crate) fn of_text(scope: Scope, text: &str) -> Scope {
        if scope == Scope::Everything && text.starts_with("Mozilla/") {
            Scope::NoAddresses
        } else {
            scope
        }
    }
}

/// A policy pattern of the user's own.
#[derive(Debug, Clone)]
struct CustomPattern {
    rule_id: String,
    regex: Regex,
    group: usize,
    redaction: Redaction,
}

/// The compiled detectors of a policy.
#[derive(Debug, Clone)]
pub(crate) struct Detectors {
    /// This policy's detectors' number, unique in the process (what a
    /// memo of their answers is filed under).
    id: u64,
    custom: Vec<CustomPattern>,
    prefixes: PrefixIndex,
    attention: Attention,
    /// Families enabled by the policy, per scope.
    everything: u128,
    no_addresses: u128,
    source_code: u128,
    /// `@preflight:<family>` for every family, by index.
    rule_ids: Vec<String>,
    redaction: Redaction,
}

/// Strings shorter than this cannot hold any secret the built-ins know.
const SHORTEST_SECRET: usize = 7;

impl Detectors {
    /// Compiles `scrub.patterns` with the rest of the section: an unknown
    /// family, a bad regex or a group it lacks is refused at its path.
    pub(crate) fn new(policy: &ScrubPolicy) -> Result<Self, PolicyError> {
        let custom = compile_patterns(policy)?;
        let enabled = class_mask(|family| enabled(family, policy));
        let prefixes = PrefixIndex::new(|family| enabled & 1 << family != 0);
        let attention = Attention::new(&prefixes);
        let credentials = class_mask(|family| family.class == Class::Credential);
        let addresses = class_mask(|family| family.class == Class::Address);
        let source_code = if policy.source_pii {
            enabled
        } else {
            enabled & credentials
        };
        Ok(Detectors {
            id: crate::key_memo::next_owner(),
            custom,
            prefixes,
            attention,
            everything: enabled,
            no_addresses: enabled & !addresses,
            source_code,
            rule_ids: FAMILIES
                .iter()
                .map(|family| format!("@preflight:{}", family.name))
                .collect(),
            redaction: Redaction::new(policy.method, &policy.replacement, &policy.hash_key),
        })
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// Whether `find` can find anything in `text`: most strings of an event
    /// are too short for any built-in, and a policy may switch every family
    /// off (the policy's own patterns may match anything).
    #[inline]
    pub(crate) fn may_find_in(&self, text: &str) -> bool {
        (text.len() >= SHORTEST_SECRET && self.everything != 0) || !self.custom.is_empty()
    }

    /// Adds every secret in `text` to `spans`, unless it overlaps a span
    /// already there: the policy's own patterns first, then the families in
    /// priority order.
    pub(crate) fn find<'a>(
        &'a self,
        text: &str,
        keys: &KeyRules,
        scope: Scope,
        spans: &mut Spans<'a>,
    ) {
        for pattern in crate::left_out::with_regexes(&self.custom) {
            pattern.find(text, spans);
        }
        let allowed = match scope {
            Scope::Everything => self.everything,
            Scope::NoAddresses => self.no_addresses,
            Scope::SourceCode => self.source_code,
        };
        if allowed == 0 || text.len() < SHORTEST_SECRET {
            return;
        }
        let mut scan = Scan::new(
            text,
            allowed,
            &self.prefixes,
            &self.attention,
            keys,
            &self.redaction,
        );
        scan.run();
        let mut findings = scan.findings;
        let order = |finding: &Finding| {
            (
                finding.family,
                finding.start,
                std::cmp::Reverse(finding.end),
            )
        };
        crate::sort::sort_unstable_by(&mut findings, |a, b| order(a) < order(b));
        for finding in findings {
            let secret = &text[finding.start..finding.end];
            if self.redaction.already_applied(secret) {
                continue;
            }
            spans.keep(Span {
                start: finding.start,
                end: finding.end,
                rule_id: &self.rule_ids[finding.family],
                redaction: &self.redaction,
            });
        }
    }
}

/// Whether the policy runs a family: an explicit `"@name"` or `"!@name"`
/// decides; otherwise the defaults do (without the default-PII families
/// when the policy sends default PII).
fn enabled(family: &families::FamilyInfo, policy: &ScrubPolicy) -> bool {
    let explicit = policy.patterns.iter().rev().find_map(|entry| match entry {
        PatternEntry::Enable(name) if name == family.name => Some(true),
        PatternEntry::Disable(name) if name == family.name => Some(false),
        _ => None,
    });
    explicit.unwrap_or(policy.defaults && !(policy.send_default_pii && family.default_pii))
}

/// The user's own patterns, compiled, once each built-in name is known to
/// be a family. A build without a regex engine refuses any custom one here
/// (`compile_regex`), at its path, so that the wrapper loads the whole core.
fn compile_patterns(policy: &ScrubPolicy) -> Result<Vec<CustomPattern>, PolicyError> {
    let mut custom = Vec::new();
    for (index, entry) in policy.patterns.iter().enumerate() {
        let path = format!("scrub.patterns[{index}]");
        let pattern = match entry {
            PatternEntry::Enable(name) | PatternEntry::Disable(name) => {
                check_family(name).map_err(|reason| PolicyError::new(path, reason))?;
                continue;
            }
            // Said before any regex code, so that a build without the
            // engine leaves out all that follows.
            PatternEntry::Custom(_) if !crate::left_out::REGEXES => {
                return Err(crate::left_out::refusal(
                    format!("{path}.regex"),
                    "a regex engine",
                ));
            }
            PatternEntry::Custom(pattern) => pattern,
        };
        let regex = compile_regex(&pattern.regex)
            .map_err(|reason| PolicyError::new(format!("{path}.regex"), reason))?;
        let last_group = regex.captures_len().saturating_sub(1);
        if pattern.group > last_group {
            let reason = format!("must be between 0 and {last_group}, got {}", pattern.group);
            return Err(PolicyError::new(format!("{path}.group"), reason));
        }
        let replacement = pattern.text.as_deref().unwrap_or(&policy.replacement);
        let method = pattern.method.unwrap_or(policy.method);
        custom.push(CustomPattern {
            rule_id: pattern.id.clone(),
            regex,
            group: pattern.group,
            redaction: Redaction::new(method, replacement, &policy.hash_key),
        });
    }
    Ok(custom)
}

/// Whether `name` (written `@name` in the policy) is a built-in family; if
/// not, the reason names the closest one.
fn check_family(name: &str) -> Result<(), String> {
    if family_names().any(|family| family == name) {
        return Ok(());
    }
    let closest = family_names()
        .min_by_key(|family| edit_distance(family, name))
        .unwrap_or_default();
    Err(format!(
        "unknown built-in pattern \"@{name}\"; did you mean \"@{closest}\"? (the README lists every family)"
    ))
}

/// Levenshtein's distance between two short names, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

impl CustomPattern {
    fn find<'a>(&'a self, text: &str, spans: &mut Spans<'a>) {
        for captures in self.regex.captures_iter(text) {
            let Some(secret) = captures.get(self.group) else {
                continue;
            };
            if !self.redaction.already_applied(secret.as_str()) {
                spans.keep(Span {
                    start: secret.start(),
                    end: secret.end(),
                    rule_id: &self.rule_id,
                    redaction: &self.redaction,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_patterns_are_refused_at_their_member_when_compiled() {
        let error_of = |text: &str| crate::Preflight::from_json(text).unwrap_err();
        let error =
            error_of(r#"{"scrub": {"patterns": ["@iban", {"id": "x", "regex": "(unclosed"}]}}"#);
        assert_eq!(error.path, "scrub.patterns[1].regex");
        assert!(
            error.reason.starts_with("invalid regex"),
            "{}",
            error.reason
        );
        let error =
            error_of(r#"{"scrub": {"patterns": [{"id": "x", "regex": "a(b)", "group": 2}]}}"#);
        assert_eq!(error.path, "scrub.patterns[0].group");
        assert_eq!(error.reason, "must be between 0 and 1, got 2");
        let error = error_of(r#"{"scrub": {"patterns": ["!@emial"]}}"#);
        assert_eq!(error.path, "scrub.patterns[0]");
        assert!(
            error.reason.contains(r#"did you mean "@email""#),
            "{}",
            error.reason
        );
        // A policy built in Rust is held to the same: nothing is dropped unsaid.
        let mut policy = crate::Policy::default();
        policy.scrub.patterns = vec![PatternEntry::Enable("emial".into())];
        assert_eq!(
            crate::Preflight::new(policy).unwrap_err().path,
            "scrub.patterns[0]"
        );
    }
    use crate::scrub::keys::KeyRules;
    use scan::tests::found;

    #[test]
    fn every_family_fits_in_the_masks() {
        assert!(FAMILIES.len() <= 128);
    }

    #[test]
    fn overlapping_findings_go_to_the_higher_family() {
        assert_eq!(
            found("postgres://app:hunter22@db:5432/x"),
            [("hunter22".to_owned(), "urlauth")]
        );
        assert_eq!(
            found("GET /x?page=3&access_token=abc123"),
            [("abc123".to_owned(), "secret-pair")]
        );
        let token = format!("sk_live_{}", "a1B2".repeat(6));
        assert_eq!(
            found(&format!("api_key={token}")),
            [(token.clone(), "secret-pair")]
        );
        assert_eq!(
            found(&format!("charge with {token}")),
            [(token, "stripe-key")]
        );
    }

    #[test]
    fn source_code_holds_credentials_but_not_personal_data() {
        let policy = ScrubPolicy::default();
        let keys = KeyRules::new(&policy);
        let detectors = Detectors::new(&policy).unwrap();
        let line = r#"    send("ada@example.com", password="hunter2")  # 203.0.113.9"#;
        let mut spans = Spans::default();
        detectors.find(line, &keys, Scope::SourceCode, &mut spans);
        let secrets: Vec<&str> = spans
            .iter()
            .map(|span| &line[span.start..span.end])
            .collect();
        assert_eq!(secrets, ["hunter2"]);
    }

    #[test]
    fn families_switch_off_one_by_one() {
        let policy = ScrubPolicy {
            patterns: vec![PatternEntry::Disable("email".into())],
            ..ScrubPolicy::default()
        };
        let keys = KeyRules::new(&policy);
        let detectors = Detectors::new(&policy).unwrap();
        let mut spans = Spans::default();
        detectors.find("mail ada@example.com", &keys, Scope::Everything, &mut spans);
        assert!(spans.is_empty());
    }
}
