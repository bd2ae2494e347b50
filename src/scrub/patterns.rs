//! Secrets recognised by their value, wherever they appear in a string.
//!
//! Most real leaks are values, not keys: a card number in an exception
//! message, a token in a breadcrumb URL, a password in a DSN. Each detector
//! is a regex (compiled once, linear-time: regex-lite) plus, where a shape
//! alone would catch innocent values, a check of the candidate (Luhn for
//! cards, mod-97 for IBANs, a parse for IP addresses). A cheap prefilter
//! keeps the regexes off strings that cannot match (no `@`, no digits).
//! Only the secret part of a match is reported, so
//! `https://shop.example/x?page=3&token=…` keeps its host and page.

use std::net::Ipv6Addr;

use regex_lite::Regex;

use super::keys::KeyRules;
use super::redact::{keep, Span};

/// The built-in detectors, in priority order: where two findings overlap,
/// the earlier detector's wins (a URL password is not also an email).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detector {
    PemKey,
    UrlPassword,
    SecretPair,
    Bearer,
    Jwt,
    AwsKey,
    StripeKey,
    GithubToken,
    SlackToken,
    GoogleApiKey,
    CreditCard,
    Iban,
    UsSsn,
    Email,
    Ipv4,
    Ipv6,
}

impl Detector {
    pub(crate) fn rule_id(self) -> &'static str {
        match self {
            Detector::PemKey => "@preflight:pemkey",
            Detector::UrlPassword => "@preflight:urlauth",
            Detector::SecretPair => "@preflight:secret-pair",
            Detector::Bearer => "@preflight:bearer",
            Detector::Jwt => "@preflight:jwt",
            Detector::AwsKey => "@preflight:aws-key",
            Detector::StripeKey => "@preflight:stripe-key",
            Detector::GithubToken => "@preflight:github-token",
            Detector::SlackToken => "@preflight:slack-token",
            Detector::GoogleApiKey => "@preflight:google-api-key",
            Detector::CreditCard => "@preflight:creditcard",
            Detector::Iban => "@preflight:iban",
            Detector::UsSsn => "@preflight:usssn",
            Detector::Email => "@preflight:email",
            Detector::Ipv4 => "@preflight:ip",
            Detector::Ipv6 => "@preflight:ip",
        }
    }

    fn is_ip(self) -> bool {
        matches!(self, Detector::Ipv4 | Detector::Ipv6)
    }

    fn is_default_pii(self) -> bool {
        self.is_ip() || self == Detector::Email
    }
}

/// What a candidate must pass besides its regex.
#[derive(Debug, Clone, Copy)]
enum Check {
    None,
    Luhn,
    Iban,
    UsSsn,
    Ipv4,
    Ipv6,
}

/// When a detector's regex is worth running on a string.
#[derive(Debug, Clone, Copy)]
enum Prefilter {
    /// The string contains this (ASCII, case-sensitive) text.
    Contains(&'static str),
    /// The string contains this text in any case.
    ContainsIgnoringCase(&'static str),
    /// The string holds at least this many ASCII digits.
    Digits(usize),
    /// The string contains one of these bytes.
    AnyByte(&'static [u8]),
    /// The string contains one of these texts.
    ContainsAny(&'static [&'static str]),
    /// At least four digits and three dots (an IPv4 address).
    Dotted,
    /// At least one digit and two colons (an IPv6 address).
    Colons,
}

#[derive(Debug, Clone)]
struct RegexDetector {
    detector: Detector,
    regex: Regex,
    /// The capture group that is the secret (0: the whole match).
    group: usize,
    prefilter: Prefilter,
    check: Check,
}

/// A detector's regex, the capture group that is the secret, its prefilter and its check.
type Source = (Detector, &'static str, usize, Prefilter, Check);

/// Detectors that run before the secret pairs (their matches contain `key:`-like text).
const FIRST: &[Source] = &[
    (
        Detector::PemKey,
        r"(?s)-----BEGIN[ +A-Z]*PRIVATE(?: |\+|%20)KEY-----(.+?)-----END[ +A-Z]*PRIVATE(?: |\+|%20)KEY-----",
        1,
        Prefilter::Contains("KEY-----"),
        Check::None,
    ),
    (
        Detector::UrlPassword,
        r"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:@/?#]+:([^\s@/?#]+)@",
        1,
        Prefilter::Contains("://"),
        Check::None,
    ),
];

/// Detectors that run after the secret pairs, in priority order.
const THEN: &[Source] = &[
    (
        Detector::Bearer,
        r"(?i)\bbearer(?:[ \t]|\+|%20)+([A-Za-z0-9\-._~+/]+=*)",
        1,
        Prefilter::ContainsIgnoringCase("bearer"),
        Check::None,
    ),
    (
        Detector::Jwt,
        r"\beyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+",
        0,
        Prefilter::Contains("eyJ"),
        Check::None,
    ),
    (
        Detector::AwsKey,
        r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16}\b",
        0,
        Prefilter::ContainsAny(&[
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA",
        ]),
        Check::None,
    ),
    (
        Detector::StripeKey,
        r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
        0,
        Prefilter::ContainsAny(&["sk_live_", "sk_test_", "rk_live_", "rk_test_"]),
        Check::None,
    ),
    (
        Detector::GithubToken,
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})",
        0,
        Prefilter::ContainsAny(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        Check::None,
    ),
    (
        Detector::SlackToken,
        r"\bxox[abposr]-[A-Za-z0-9\-]{10,}",
        0,
        Prefilter::Contains("xox"),
        Check::None,
    ),
    (
        Detector::GoogleApiKey,
        r"\bAIza[0-9A-Za-z_\-]{35}",
        0,
        Prefilter::Contains("AIza"),
        Check::None,
    ),
    (
        Detector::CreditCard,
        r"\b[2-6](?:[ \-]?[0-9]){12,18}\b",
        0,
        Prefilter::Digits(13),
        Check::Luhn,
    ),
    (
        Detector::Iban,
        r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b",
        0,
        Prefilter::Digits(10),
        Check::Iban,
    ),
    (
        Detector::UsSsn,
        r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b",
        0,
        Prefilter::Digits(9),
        Check::UsSsn,
    ),
    (
        Detector::Email,
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b",
        0,
        Prefilter::AnyByte(b"@"),
        Check::None,
    ),
    (
        Detector::Ipv4,
        r"\b(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\b",
        0,
        Prefilter::Dotted,
        Check::Ipv4,
    ),
    (
        Detector::Ipv6,
        r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})",
        0,
        Prefilter::Colons,
        Check::Ipv6,
    ),
];

/// `key=` / `key:` / `"key":` before a value.
const PAIR_KEY: &str = r#"([A-Za-z_][A-Za-z0-9_.\-]*)["']?[ \t]*[=:][ \t]*"#;

/// The compiled detectors of a policy.
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    first: Vec<RegexDetector>,
    then: Vec<RegexDetector>,
    /// `key=value` / `key: value` with the key's name checked against the key rules.
    pair_key: Regex,
}

/// Strings shorter than this cannot hold any secret the detectors know.
const SHORTEST_SECRET: usize = 7;

fn compile(sources: &[Source], send_default_pii: bool) -> Vec<RegexDetector> {
    sources
        .iter()
        .filter(|(detector, ..)| !(send_default_pii && detector.is_default_pii()))
        .map(
            |&(detector, source, group, prefilter, check)| RegexDetector {
                detector,
                regex: Regex::new(source).expect("built-in regexes compile (tested)"),
                group,
                prefilter,
                check,
            },
        )
        .collect()
}

impl Patterns {
    /// The built-in detectors; with `send_default_pii`, without the ones for
    /// the personal data SDKs send by default (IP addresses, emails).
    pub(crate) fn built_in(send_default_pii: bool) -> Self {
        Patterns {
            first: compile(FIRST, send_default_pii),
            then: compile(THEN, send_default_pii),
            pair_key: Regex::new(PAIR_KEY).expect("built-in regexes compile (tested)"),
        }
    }

    /// Adds every secret in `text` to `spans`, unless it overlaps a span
    /// already there. Text that already is `replacement` is not a secret.
    pub(crate) fn find(
        &self,
        text: &str,
        keys: &KeyRules,
        replacement: &str,
        allow_ip: bool,
        spans: &mut Vec<Span>,
    ) {
        if text.len() < SHORTEST_SECRET {
            return;
        }
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let run = |detectors: &[RegexDetector], spans: &mut Vec<Span>| {
            for detector in detectors {
                if (detector.detector.is_ip() && !allow_ip)
                    || !passes(detector.prefilter, text, digits)
                {
                    continue;
                }
                scan(detector, text, replacement, spans);
            }
        };
        run(&self.first, spans);
        self.secret_pairs(text, keys, replacement, spans);
        run(&self.then, spans);
    }

    /// `password=…`, `token: …`, `"api_key": "…"`, `?access_token=…&`: a
    /// key named like a secret, then its value (quoted, or up to a delimiter;
    /// an auth scheme such as `Bearer` takes the word after it along).
    fn secret_pairs(&self, text: &str, keys: &KeyRules, replacement: &str, spans: &mut Vec<Span>) {
        let has_separator = text.bytes().any(|byte| byte == b'=' || byte == b':');
        if !has_separator || !keys.mentioned_in(text) {
            return;
        }
        for captures in self.pair_key.captures_iter(text) {
            let (Some(key), Some(whole)) = (captures.get(1), captures.get(0)) else {
                continue;
            };
            if keys.classify(key.as_str()).is_none() {
                continue;
            }
            if let Some((start, end)) = pair_value(text, whole.end(), replacement) {
                let rule_id = Detector::SecretPair.rule_id();
                keep(
                    spans,
                    Span {
                        start,
                        end,
                        rule_id,
                    },
                );
            }
        }
    }
}

fn scan(detector: &RegexDetector, text: &str, replacement: &str, spans: &mut Vec<Span>) {
    for captures in detector.regex.captures_iter(text) {
        let (Some(secret), Some(whole)) = (captures.get(detector.group), captures.get(0)) else {
            continue;
        };
        if secret.as_str() != replacement && check(detector.check, text, whole.start(), whole.end())
        {
            let (start, end, rule_id) = (secret.start(), secret.end(), detector.detector.rule_id());
            keep(
                spans,
                Span {
                    start,
                    end,
                    rule_id,
                },
            );
        }
    }
}

/// The value after `key=` starting at `start`: quoted, or up to a delimiter;
/// `None` when it is empty or already the replacement.
fn pair_value(text: &str, start: usize, replacement: &str) -> Option<(usize, usize)> {
    let rest = &text[start..];
    if !replacement.is_empty() && rest.starts_with(replacement) {
        return None;
    }
    let first = rest.chars().next()?;
    if first == '"' || first == '\'' {
        let inner = &rest[1..];
        let close = inner.find(first)?;
        let already_replaced = !replacement.is_empty() && inner.starts_with(replacement);
        return (!already_replaced).then_some((start + 1, start + 1 + close));
    }
    let is_delimiter =
        |c: char| c.is_whitespace() || matches!(c, '&' | ';' | ',' | ')' | ']' | '}' | '"' | '\'');
    let mut end = rest.find(is_delimiter).unwrap_or(rest.len());
    let word = &rest[..end];
    let is_scheme = ["bearer", "basic", "token", "digest"]
        .iter()
        .any(|scheme| word.eq_ignore_ascii_case(scheme));
    if is_scheme && rest[end..].starts_with(' ') {
        let after = &rest[end + 1..];
        end += 1 + after.find(is_delimiter).unwrap_or(after.len());
    }
    Some((start, start + end))
}

fn passes(prefilter: Prefilter, text: &str, digits: usize) -> bool {
    match prefilter {
        Prefilter::Contains(needle) => text.contains(needle),
        Prefilter::ContainsIgnoringCase(needle) => text
            .as_bytes()
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle.as_bytes())),
        Prefilter::Digits(least) => digits >= least,
        Prefilter::AnyByte(bytes) => text.bytes().any(|byte| bytes.contains(&byte)),
        Prefilter::ContainsAny(needles) => needles.iter().any(|needle| text.contains(needle)),
        Prefilter::Dotted => digits >= 4 && text.bytes().filter(|byte| *byte == b'.').count() >= 3,
        Prefilter::Colons => digits >= 1 && text.bytes().filter(|byte| *byte == b':').count() >= 2,
    }
}

fn check(check: Check, text: &str, start: usize, end: usize) -> bool {
    let candidate = &text[start..end];
    match check {
        Check::None => true,
        Check::Luhn => standalone_number(text, start, end) && is_card_number(candidate),
        Check::Iban => is_iban(candidate),
        Check::UsSsn => standalone_number(text, start, end) && is_us_ssn(candidate),
        Check::Ipv4 => standalone_number(text, start, end),
        Check::Ipv6 => is_ipv6(text, start, end),
    }
}

/// Not part of a longer dotted or dashed number (`1.2.3.4.5`, `v2.1.0.3`).
fn standalone_number(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).map(|index| bytes[index]);
    let before_that = start.checked_sub(2).map(|index| bytes[index]);
    let after = bytes.get(end).copied();
    let after_that = bytes.get(end + 1).copied();
    let joined_before =
        matches!(before, Some(b'.' | b'-')) && before_that.is_some_and(|b| b.is_ascii_digit());
    let joined_after =
        matches!(after, Some(b'.' | b'-')) && after_that.is_some_and(|b| b.is_ascii_digit());
    let letter_before = before.is_some_and(|b| b.is_ascii_alphabetic());
    !(joined_before || joined_after || letter_before)
}

/// 13–19 digits with a card network's prefix and length, and a valid Luhn sum.
fn is_card_number(candidate: &str) -> bool {
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    let length = digits.len();
    let prefix = |count: usize| {
        digits
            .iter()
            .take(count)
            .fold(0, |value, digit| value * 10 + digit)
    };
    let network = match digits.first() {
        Some(4) => matches!(length, 13 | 16 | 19),
        Some(3) => {
            (matches!(prefix(2), 34 | 37) && length == 15)
                || (matches!(prefix(2), 36 | 38 | 39) && length >= 14)
        }
        Some(5) => (51..=55).contains(&prefix(2)) && length == 16,
        Some(2) => (2221..=2720).contains(&prefix(4)) && length == 16,
        Some(6) => {
            (prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3)))
                && length >= 16
        }
        _ => false,
    };
    network && luhn_valid(&digits)
}

fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum % 10 == 0
}

/// The ISO 13616 check: move the first four characters to the end, letters
/// as numbers (A = 10), and the remainder mod 97 must be 1.
fn is_iban(candidate: &str) -> bool {
    let compact: Vec<char> = candidate.chars().filter(|c| *c != ' ').collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    let rotated = compact[4..].iter().chain(&compact[..4]);
    let mut remainder: u32 = 0;
    for c in rotated {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        let width = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * width + value) % 97;
    }
    remainder == 1
}

/// Area not 000, 666 or 900–999; group not 00; serial not 0000.
fn is_us_ssn(candidate: &str) -> bool {
    let mut parts = candidate
        .split('-')
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let (area, group, serial) = (parts.next(), parts.next(), parts.next());
    matches!((area, group, serial), (Some(area), Some(group), Some(serial))
        if area != 0 && area != 666 && area < 900 && group != 0 && serial != 0)
}

/// Parses as an IPv6 address, holds a digit, and stands alone
/// (`std::fmt::Display` and `12:30:45` are not addresses).
fn is_ipv6(text: &str, start: usize, end: usize) -> bool {
    let candidate = &text[start..end];
    let bytes = text.as_bytes();
    let joined = |byte: Option<&u8>| {
        byte.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b':' || *b == b'.')
    };
    let before = start.checked_sub(1).and_then(|index| bytes.get(index));
    candidate.bytes().any(|b| b.is_ascii_digit())
        && candidate.matches(':').count() >= 2
        && !joined(before)
        && !joined(bytes.get(end))
        && candidate.parse::<Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ScrubPolicy;

    fn secrets(text: &str) -> Vec<(&str, &'static str)> {
        let keys = KeyRules::new(&ScrubPolicy::default());
        let mut spans = Vec::new();
        Patterns::built_in(false).find(text, &keys, "[Filtered]", true, &mut spans);
        spans.sort_by_key(|span| span.start);
        spans
            .into_iter()
            .map(|span| (&text[span.start..span.end], span.rule_id))
            .collect()
    }

    #[test]
    fn every_built_in_regex_compiles() {
        let patterns = Patterns::built_in(false);
        assert_eq!(
            patterns.first.len() + patterns.then.len(),
            FIRST.len() + THEN.len()
        );
        let without_pii = Patterns::built_in(true);
        assert_eq!(without_pii.then.len(), THEN.len() - 3);
    }

    #[test]
    fn cards_need_a_network_and_luhn() {
        assert_eq!(
            secrets("card 4111 1111 1111 1111 ok"),
            vec![("4111 1111 1111 1111", "@preflight:creditcard")]
        );
        assert_eq!(
            secrets("4111-1111-1111-1111"),
            vec![("4111-1111-1111-1111", "@preflight:creditcard")]
        );
        assert!(secrets("id 4111111111111112").is_empty());
        assert!(secrets("ts 1732212345123456").is_empty());
    }

    #[test]
    fn only_the_secret_part_of_a_match_is_reported() {
        assert_eq!(
            secrets("postgres://app:hunter22@db:5432/x"),
            vec![("hunter22", "@preflight:urlauth")]
        );
        assert_eq!(
            secrets("GET /x?page=3&access_token=abc123"),
            vec![("abc123", "@preflight:secret-pair")]
        );
        assert_eq!(
            secrets("Authorization: Bearer abc.def"),
            vec![("Bearer abc.def", "@preflight:secret-pair")]
        );
        assert_eq!(
            secrets("header bearer xyz987"),
            vec![("xyz987", "@preflight:bearer")]
        );
        assert_eq!(
            secrets(r#"{"password": "p w"}"#),
            vec![("p w", "@preflight:secret-pair")]
        );
        assert_eq!(
            secrets("note: password=abc done"),
            vec![("abc", "@preflight:secret-pair")]
        );
    }

    #[test]
    fn innocent_values_survive() {
        for text in [
            "java.lang.Object@4b1c1ea0",
            "6f9619ff-8b86-d011-b42d-00cf4fc964ff",
            "release 2.75.0-rc.1",
            "std::fmt::Display at 12:30:45",
            "SKU-88-4411-XL ORD-2024-000123",
            "token_count=1234",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
            "9fceb02d0ae598e95dc970b74767f19372d61af8",
        ] {
            assert_eq!(secrets(text), vec![], "{text}");
        }
    }

    #[test]
    fn addresses_and_identifiers() {
        assert_eq!(
            secrets("from 203.0.113.9."),
            vec![("203.0.113.9", "@preflight:ip")]
        );
        assert!(secrets("version 1.2.3.4.5").is_empty());
        assert_eq!(
            secrets("via 2001:db8::8a2e:370:7334"),
            vec![("2001:db8::8a2e:370:7334", "@preflight:ip")]
        );
        assert_eq!(
            secrets("mail ada@example.com"),
            vec![("ada@example.com", "@preflight:email")]
        );
        assert_eq!(
            secrets("ssn 078-05-1120"),
            vec![("078-05-1120", "@preflight:usssn")]
        );
        assert_eq!(
            secrets("iban DE89370400440532013000"),
            vec![("DE89370400440532013000", "@preflight:iban")]
        );
        assert!(secrets("iban DE00370400440532013000").is_empty());
    }

    #[test]
    fn vendor_keys() {
        assert_eq!(
            secrets("AKIAIOSFODNN7EXAMPLE"),
            vec![("AKIAIOSFODNN7EXAMPLE", "@preflight:aws-key")]
        );
        let github = format!("ghp_{}", "a".repeat(36));
        assert_eq!(
            secrets(&github),
            vec![(github.as_str(), "@preflight:github-token")]
        );
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
        assert_eq!(secrets(pem), vec![("\nMIIB\n", "@preflight:pemkey")]);
    }
}
