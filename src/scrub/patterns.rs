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
//! The policy switches built-ins on and off and adds detectors of its own.

use regex_lite::Regex;

use super::checks::{check, Check};
use super::keys::KeyRules;
use super::prefilter::{passes, Needs, Prefilter, Profile};
use super::redact::{Redaction, Span, Spans};
use super::scanners::{self, Found};
use crate::policy::{PatternEntry, ScrubPolicy};

/// The built-in detectors, in priority order: where two findings overlap,
/// the earlier detector's wins (a URL password is not also an email).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detector {
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
    LlmApiKey,
    GitlabToken,
    NpmToken,
    CreditCard,
    Iban,
    UsSsn,
    Email,
    Ipv4,
    Ipv6,
}

/// The names of the built-in detectors, as the policy spells them (`"@creditcard"`).
pub(crate) const BUILT_IN_PATTERNS: &[&str] = &[
    "pemkey",
    "urlauth",
    "secret-pair",
    "bearer",
    "jwt",
    "aws-key",
    "stripe-key",
    "github-token",
    "slack-token",
    "google-api-key",
    "llm-api-key",
    "gitlab-token",
    "npm-token",
    "creditcard",
    "iban",
    "usssn",
    "email",
    "ip",
];

impl Detector {
    fn name(self) -> &'static str {
        match self {
            Detector::PemKey => "pemkey",
            Detector::UrlPassword => "urlauth",
            Detector::SecretPair => "secret-pair",
            Detector::Bearer => "bearer",
            Detector::Jwt => "jwt",
            Detector::AwsKey => "aws-key",
            Detector::StripeKey => "stripe-key",
            Detector::GithubToken => "github-token",
            Detector::SlackToken => "slack-token",
            Detector::GoogleApiKey => "google-api-key",
            Detector::LlmApiKey => "llm-api-key",
            Detector::GitlabToken => "gitlab-token",
            Detector::NpmToken => "npm-token",
            Detector::CreditCard => "creditcard",
            Detector::Iban => "iban",
            Detector::UsSsn => "usssn",
            Detector::Email => "email",
            Detector::Ipv4 | Detector::Ipv6 => "ip",
        }
    }

    fn is_ip(self) -> bool {
        matches!(self, Detector::Ipv4 | Detector::Ipv6)
    }

    fn is_default_pii(self) -> bool {
        self.is_ip() || self == Detector::Email
    }

    /// Whether the policy runs this detector: an explicit `"@name"` or
    /// `"!@name"` decides; otherwise the defaults do (without IP addresses
    /// and emails when the policy sends default PII).
    fn enabled(self, policy: &ScrubPolicy) -> bool {
        let explicit = policy.patterns.iter().rev().find_map(|entry| match entry {
            PatternEntry::Enable(name) if name == self.name() => Some(true),
            PatternEntry::Disable(name) if name == self.name() => Some(false),
            _ => None,
        });
        explicit.unwrap_or(policy.defaults && !(policy.send_default_pii && self.is_default_pii()))
    }
}

/// How a detector finds its candidates.
#[derive(Debug, Clone, Copy)]
enum Engine {
    /// A regex (regex-lite syntax) and the capture group that is the secret.
    Regex(&'static str, usize),
    /// A hand-written scanner (see `scanners`).
    Scanner(fn(&str, &mut Vec<Found>)),
}

#[derive(Debug, Clone)]
enum Matcher {
    Regex { regex: Regex, group: usize },
    Scanner(fn(&str, &mut Vec<Found>)),
}

#[derive(Debug, Clone)]
struct ValueDetector {
    /// The built-in this is; `None` for a pattern of the policy's own.
    built_in: Option<Detector>,
    rule_id: String,
    matcher: Matcher,
    prefilter: Option<Prefilter>,
    /// The bytes the prefilter needs, tested against a string's profile first.
    needs: Needs,
    check: Check,
    redaction: Redaction,
}

/// A detector, how it finds candidates, its prefilter and its check.
type Source = (Detector, Engine, Prefilter, Check);

/// Detectors that run before the secret pairs (their matches contain `key:`-like text).
const FIRST: &[Source] = &[
    (
        Detector::PemKey,
        Engine::Regex(
            r"(?s)-----BEGIN[ +A-Z]*PRIVATE(?: |\+|%20)KEY-----(.+?)-----END[ +A-Z]*PRIVATE(?: |\+|%20)KEY-----",
            1,
        ),
        Prefilter::Contains("KEY-----"),
        Check::None,
    ),
    (
        Detector::UrlPassword,
        Engine::Scanner(scanners::url_passwords),
        Prefilter::Contains("://"),
        Check::None,
    ),
];

/// Detectors that run after the secret pairs, in priority order.
const THEN: &[Source] = &[
    (
        Detector::Bearer,
        Engine::Regex(r"(?i)\bbearer(?:[ \t]|\+|%20)+([A-Za-z0-9\-._~+/]+=*)", 1),
        Prefilter::ContainsIgnoringCase("bearer"),
        Check::None,
    ),
    (
        Detector::Jwt,
        Engine::Regex(
            r"\beyJ[A-Za-z0-9_\-]+\.eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+",
            0,
        ),
        Prefilter::Contains("eyJ"),
        Check::None,
    ),
    (
        Detector::AwsKey,
        Engine::Regex(
            r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z2-7]{16}\b",
            0,
        ),
        Prefilter::ContainsAny(&[
            "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA",
        ]),
        Check::None,
    ),
    (
        Detector::StripeKey,
        Engine::Regex(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}", 0),
        Prefilter::ContainsAny(&["sk_live_", "sk_test_", "rk_live_", "rk_test_"]),
        Check::None,
    ),
    (
        Detector::GithubToken,
        Engine::Regex(
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})",
            0,
        ),
        Prefilter::ContainsAny(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        Check::None,
    ),
    (
        Detector::SlackToken,
        Engine::Regex(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}", 0),
        Prefilter::Contains("xox"),
        Check::None,
    ),
    (
        Detector::GoogleApiKey,
        Engine::Regex(r"\bAIza[0-9A-Za-z_\-]{35}", 0),
        Prefilter::Contains("AIza"),
        Check::None,
    ),
    (
        // OpenAI (`sk-…`, `sk-proj-…`) and Anthropic (`sk-ant-…`) keys.
        Detector::LlmApiKey,
        Engine::Regex(r"\bsk-[A-Za-z0-9_\-]{32,}", 0),
        Prefilter::Contains("sk-"),
        Check::None,
    ),
    (
        Detector::GitlabToken,
        Engine::Regex(r"\bglpat-[A-Za-z0-9_\-]{20,}", 0),
        Prefilter::Contains("glpat-"),
        Check::None,
    ),
    (
        Detector::NpmToken,
        Engine::Regex(r"\bnpm_[A-Za-z0-9]{36}\b", 0),
        Prefilter::Contains("npm_"),
        Check::None,
    ),
    (
        Detector::CreditCard,
        Engine::Regex(r"\b[2-6](?:[ \-]?[0-9]){12,18}\b", 0),
        Prefilter::Digits(13),
        Check::Luhn,
    ),
    (
        Detector::Iban,
        Engine::Regex(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b", 0),
        Prefilter::IbanStart,
        Check::Iban,
    ),
    (
        Detector::UsSsn,
        Engine::Regex(r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b", 0),
        Prefilter::SsnShape,
        Check::UsSsn,
    ),
    (
        Detector::Email,
        Engine::Scanner(scanners::emails),
        Prefilter::AnyByte(b"@"),
        Check::None,
    ),
    (
        Detector::Ipv4,
        Engine::Regex(
            r"\b(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\b",
            0,
        ),
        Prefilter::Dotted,
        Check::Ipv4,
    ),
    (
        Detector::Ipv6,
        Engine::Regex(
            r"(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})",
            0,
        ),
        Prefilter::Colons,
        Check::Ipv6,
    ),
];

/// The compiled detectors of a policy.
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    /// The policy's own patterns: they run first, so the user's intent wins.
    custom: Vec<ValueDetector>,
    first: Vec<ValueDetector>,
    /// `key=value` / `key: value` with the key's name checked against the key rules.
    pairs: Option<PairDetector>,
    then: Vec<ValueDetector>,
}

#[derive(Debug, Clone)]
struct PairDetector {
    rule_id: String,
    redaction: Redaction,
}

/// Strings shorter than this cannot hold any secret the built-ins know.
const SHORTEST_SECRET: usize = 7;

fn built_in_rule_id(detector: Detector) -> String {
    format!("@preflight:{}", detector.name())
}

fn compile(sources: &[Source], policy: &ScrubPolicy, redaction: &Redaction) -> Vec<ValueDetector> {
    sources
        .iter()
        .filter(|(detector, ..)| detector.enabled(policy))
        .map(|&(detector, engine, prefilter, check)| ValueDetector {
            built_in: Some(detector),
            rule_id: built_in_rule_id(detector),
            matcher: match engine {
                Engine::Regex(source, group) => Matcher::Regex {
                    regex: Regex::new(source).expect("built-in regexes compile (tested)"),
                    group,
                },
                Engine::Scanner(scanner) => Matcher::Scanner(scanner),
            },
            prefilter: Some(prefilter),
            needs: Needs::of(prefilter),
            check,
            redaction: redaction.clone(),
        })
        .collect()
}

fn custom(policy: &ScrubPolicy) -> Vec<ValueDetector> {
    policy
        .patterns
        .iter()
        .filter_map(|entry| match entry {
            PatternEntry::Custom(pattern) => Some(pattern),
            _ => None,
        })
        .filter_map(|pattern| {
            let replacement = pattern.text.as_deref().unwrap_or(&policy.replacement);
            let method = pattern.method.unwrap_or(policy.method);
            Some(ValueDetector {
                built_in: None,
                rule_id: pattern.id.clone(),
                matcher: Matcher::Regex {
                    // Validated when the policy was loaded.
                    regex: Regex::new(&pattern.regex).ok()?,
                    group: pattern.group,
                },
                prefilter: None,
                needs: Needs::default(),
                check: Check::None,
                redaction: Redaction::new(method, replacement, &policy.hash_key),
            })
        })
        .collect()
}

impl Patterns {
    pub(crate) fn new(policy: &ScrubPolicy) -> Self {
        let redaction = Redaction::new(policy.method, &policy.replacement, &policy.hash_key);
        let pairs = Detector::SecretPair.enabled(policy).then(|| PairDetector {
            rule_id: built_in_rule_id(Detector::SecretPair),
            redaction: redaction.clone(),
        });
        Patterns {
            custom: custom(policy),
            first: compile(FIRST, policy, &redaction),
            pairs,
            then: compile(THEN, policy, &redaction),
        }
    }

    /// Adds every secret in `text` to `spans`, unless it overlaps a span
    /// already there. IP addresses are looked for only when `allow_ip`.
    pub(crate) fn find<'a>(
        &'a self,
        text: &str,
        keys: &KeyRules,
        allow_ip: bool,
        spans: &mut Spans<'a>,
    ) {
        // The policy's own patterns have no prefilter: they run on every string.
        for detector in &self.custom {
            scan(detector, text, spans);
        }
        let built_ins = !self.first.is_empty() || self.pairs.is_some() || !self.then.is_empty();
        if !built_ins || text.len() < SHORTEST_SECRET {
            return;
        }
        let profile = Profile::of(text);
        let run = |detectors: &'a [ValueDetector], spans: &mut Spans<'a>| {
            for detector in detectors {
                let is_ip = detector.built_in.is_some_and(Detector::is_ip);
                let worth_it = profile.meets(&detector.needs)
                    && detector
                        .prefilter
                        .is_none_or(|prefilter| passes(prefilter, text, &profile));
                if worth_it && (allow_ip || !is_ip) {
                    scan(detector, text, spans);
                }
            }
        };
        run(&self.first, spans);
        if let Some(pairs) = &self.pairs {
            pairs.find(text, &profile, keys, spans);
        }
        run(&self.then, spans);
    }
}

impl PairDetector {
    /// `password=…`, `token: …`, `"api_key": "…"`, `?access_token=…&`: a
    /// key named like a secret, then its value (quoted, or up to a delimiter;
    /// an auth scheme such as `Bearer` takes the word after it along).
    fn find<'a>(&'a self, text: &str, profile: &Profile, keys: &KeyRules, spans: &mut Spans<'a>) {
        // Each `key=` / `key:` is looked at and its key classified: cheaper
        // than first searching the whole text for every listed word.
        if !profile.has(b'=') && !profile.has(b':') {
            return;
        }
        for pair in scanners::pair_keys(text) {
            if keys.classify(&text[pair.key.0..pair.key.1]).is_none() {
                continue;
            }
            if let Some((start, end)) = pair_value(text, pair.value_start, &self.redaction) {
                let (rule_id, redaction) = (self.rule_id.as_str(), &self.redaction);
                spans.keep(Span {
                    start,
                    end,
                    rule_id,
                    redaction,
                });
            }
        }
    }
}

fn scan<'a>(detector: &'a ValueDetector, text: &str, spans: &mut Spans<'a>) {
    let mut found = Vec::new();
    match &detector.matcher {
        Matcher::Regex { regex, group } => {
            for captures in regex.captures_iter(text) {
                if let (Some(secret), Some(whole)) = (captures.get(*group), captures.get(0)) {
                    found.push(Found {
                        whole: (whole.start(), whole.end()),
                        secret: (secret.start(), secret.end()),
                    });
                }
            }
        }
        Matcher::Scanner(scanner) => scanner(text, &mut found),
    }
    for Found { whole, secret } in found {
        let (start, end) = secret;
        let already_applied = detector.redaction.already_applied(&text[start..end]);
        if !already_applied && check(detector.check, text, whole.0, whole.1) {
            let (rule_id, redaction) = (detector.rule_id.as_str(), &detector.redaction);
            spans.keep(Span {
                start,
                end,
                rule_id,
                redaction,
            });
        }
    }
}

/// The value after `key=` starting at `start`: quoted, or up to a delimiter;
/// `None` when it is empty or already redacted.
fn pair_value(text: &str, start: usize, redaction: &Redaction) -> Option<(usize, usize)> {
    let rest = &text[start..];
    if matches!(redaction, Redaction::Replace(replacement) if !replacement.is_empty() && rest.starts_with(replacement.as_str()))
    {
        return None;
    }
    let first = rest.chars().next()?;
    if first == '"' || first == '\'' {
        let inner = &rest[1..];
        let close = inner.find(first)?;
        let already_applied = redaction.already_applied(&inner[..close]);
        return (!already_applied).then_some((start + 1, start + 1 + close));
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
    (!redaction.already_applied(&rest[..end])).then_some((start, start + end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ScrubPolicy;
    use crate::scrub::checks::luhn_valid;

    fn secrets_with(policy: &ScrubPolicy, text: &str) -> Vec<(String, String)> {
        let keys = KeyRules::new(policy);
        let patterns = Patterns::new(policy);
        let mut spans = Spans::default();
        patterns.find(text, &keys, true, &mut spans);
        spans
            .iter()
            .map(|span| {
                (
                    text[span.start..span.end].to_owned(),
                    span.rule_id.to_owned(),
                )
            })
            .collect()
    }

    fn secrets(text: &str) -> Vec<(String, String)> {
        secrets_with(&ScrubPolicy::default(), text)
    }

    fn own(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(text, rule)| (text.to_string(), rule.to_string()))
            .collect()
    }

    #[test]
    fn every_built_in_regex_compiles() {
        let patterns = Patterns::new(&ScrubPolicy::default());
        for detector in patterns.first.iter().chain(&patterns.then) {
            assert_eq!(
                detector.rule_id,
                built_in_rule_id(detector.built_in.unwrap())
            );
        }
        assert_eq!(
            patterns.first.len() + patterns.then.len(),
            FIRST.len() + THEN.len()
        );
        let without_pii = Patterns::new(&ScrubPolicy {
            send_default_pii: true,
            ..ScrubPolicy::default()
        });
        assert_eq!(without_pii.then.len(), THEN.len() - 3);
    }

    #[test]
    fn cards_need_a_network_and_luhn() {
        assert_eq!(
            secrets("card 4111 1111 1111 1111 ok"),
            own(&[("4111 1111 1111 1111", "@preflight:creditcard")])
        );
        assert_eq!(
            secrets("4111-1111-1111-1111"),
            own(&[("4111-1111-1111-1111", "@preflight:creditcard")])
        );
        assert!(secrets("id 4111111111111112").is_empty());
        assert!(secrets("ts 1732212345123456").is_empty());
    }

    #[test]
    fn only_the_secret_part_of_a_match_is_reported() {
        assert_eq!(
            secrets("postgres://app:hunter22@db:5432/x"),
            own(&[("hunter22", "@preflight:urlauth")])
        );
        assert_eq!(
            secrets("GET /x?page=3&access_token=abc123"),
            own(&[("abc123", "@preflight:secret-pair")])
        );
        assert_eq!(
            secrets("Authorization: Bearer abc.def"),
            own(&[("Bearer abc.def", "@preflight:secret-pair")])
        );
        assert_eq!(
            secrets("header bearer xyz987"),
            own(&[("xyz987", "@preflight:bearer")])
        );
        assert_eq!(
            secrets(r#"{"password": "p w"}"#),
            own(&[("p w", "@preflight:secret-pair")])
        );
        assert_eq!(
            secrets("note: password=abc done"),
            own(&[("abc", "@preflight:secret-pair")])
        );
        assert_eq!(
            secrets("?q=Bearer+xyz987"),
            own(&[("xyz987", "@preflight:bearer")])
        );
    }

    #[test]
    fn already_redacted_text_is_not_found_again() {
        for text in [
            r#"{"password": "[Filtered]"}"#,
            "password=[Filtered] done",
            "postgres://app:[Filtered]@db/x",
            "Authorization: [Filtered]",
        ] {
            assert_eq!(secrets(text), own(&[]), "{text}");
        }
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
            assert_eq!(secrets(text), own(&[]), "{text}");
        }
    }

    #[test]
    fn addresses_and_identifiers() {
        assert_eq!(
            secrets("from 203.0.113.9."),
            own(&[("203.0.113.9", "@preflight:ip")])
        );
        assert!(secrets("version 1.2.3.4.5").is_empty());
        assert!(
            secrets("http://127.0.0.1:8000/ and 0.0.0.0 and ::1 or 0:0:0:0:0:0:0:1").is_empty()
        );
        assert_eq!(
            secrets("via 2001:db8::8a2e:370:7334"),
            own(&[("2001:db8::8a2e:370:7334", "@preflight:ip")])
        );
        assert_eq!(
            secrets("mail ada@example.com"),
            own(&[("ada@example.com", "@preflight:email")])
        );
        assert_eq!(
            secrets("ssn 078-05-1120"),
            own(&[("078-05-1120", "@preflight:usssn")])
        );
        assert_eq!(
            secrets("iban DE89370400440532013000"),
            own(&[("DE89370400440532013000", "@preflight:iban")])
        );
        assert!(secrets("iban DE00370400440532013000").is_empty());
    }

    #[test]
    fn vendor_keys() {
        assert_eq!(
            secrets("AKIAIOSFODNN7EXAMPLE"),
            own(&[("AKIAIOSFODNN7EXAMPLE", "@preflight:aws-key")])
        );
        let openai = format!("sk-proj-{}", "Ab3".repeat(16));
        assert_eq!(
            secrets(&openai),
            own(&[(openai.as_str(), "@preflight:llm-api-key")])
        );
        let anthropic = format!("sk-ant-api03-{}", "x9Z".repeat(30));
        assert_eq!(
            secrets(&anthropic),
            own(&[(anthropic.as_str(), "@preflight:llm-api-key")])
        );
        assert!(secrets("risk-assessment-for-the-quarterly-report-of-2026").is_empty());
        let gitlab = format!("glpat-{}", "z".repeat(20));
        assert_eq!(
            secrets(&gitlab),
            own(&[(gitlab.as_str(), "@preflight:gitlab-token")])
        );
        let github = format!("ghp_{}", "a".repeat(36));
        assert_eq!(
            secrets(&github),
            own(&[(github.as_str(), "@preflight:github-token")])
        );
        let pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----";
        assert_eq!(secrets(pem), own(&[("\nMIIB\n", "@preflight:pemkey")]));
    }

    /// A deterministic generator, so that failures reproduce.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }

        fn digits(&mut self, count: usize) -> String {
            (0..count)
                .map(|_| char::from(b'0' + self.next(10) as u8))
                .collect()
        }
    }

    fn with_luhn_digit(body: &str) -> String {
        (0..10)
            .map(|check| format!("{body}{check}"))
            .find(|number| {
                luhn_valid(
                    &number
                        .chars()
                        .filter_map(|c| c.to_digit(10))
                        .collect::<Vec<_>>(),
                )
            })
            .unwrap()
    }

    #[test]
    fn generated_card_numbers_are_found_in_any_layout() {
        let mut random = Lcg(7);
        for round in 0..500 {
            let number = with_luhn_digit(&format!("4{}", random.digits(14)));
            let layout = match round % 3 {
                0 => number.clone(),
                1 => number
                    .as_bytes()
                    .chunks(4)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => number
                    .as_bytes()
                    .chunks(4)
                    .map(|c| std::str::from_utf8(c).unwrap())
                    .collect::<Vec<_>>()
                    .join("-"),
            };
            let text = format!("charge {layout} declined");
            assert_eq!(
                secrets(&text),
                own(&[(layout.as_str(), "@preflight:creditcard")]),
                "{text}"
            );
        }
    }

    #[test]
    fn generated_innocent_numbers_are_left_alone() {
        let mut random = Lcg(11);
        for _ in 0..500 {
            let body = format!("4{}", random.digits(14));
            let valid = with_luhn_digit(&body);
            let last = valid.chars().last().unwrap().to_digit(10).unwrap();
            let invalid = format!("{body}{}", (last + 1) % 10);
            let timestamp = format!("17{}", random.digits(14));
            let uuid = format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                random.next(1 << 32),
                random.next(1 << 16),
                random.next(1 << 12),
                random.next(1 << 12),
                random.next(1 << 48)
            );
            let version = format!(
                "{}.{}.{}",
                random.next(30),
                random.next(100),
                random.next(1000)
            );
            // A UUID whose first group is a Luhn-valid card prefix: still a UUID.
            let digit_uuid = format!(
                "{}-{}-4{}-8{}-{}",
                &valid[..8],
                random.digits(4),
                random.digits(3),
                random.digits(3),
                random.digits(12)
            );
            for text in [invalid, timestamp, uuid, version, digit_uuid] {
                assert_eq!(secrets(&format!("id {text} done")), own(&[]), "{text}");
            }
        }
    }

    #[test]
    fn generated_public_addresses_are_found_and_private_shapes_kept() {
        let mut random = Lcg(13);
        for _ in 0..500 {
            let address = format!(
                "{}.{}.{}.{}",
                1 + random.next(126),
                random.next(256),
                random.next(256),
                1 + random.next(254)
            );
            let text = format!("peer={address}, retrying");
            assert_eq!(
                secrets(&text),
                own(&[(address.as_str(), "@preflight:ip")]),
                "{text}"
            );
            let dotted_version = format!("v{address}.{}", random.next(10));
            assert_eq!(secrets(&dotted_version), own(&[]), "{dotted_version}");
        }
    }
}
