//! Relay's built-in regexes (`relay-pii/src/regexes.rs`), each with a cheap
//! test that says when it cannot match.
//!
//! regex-lite runs every search in a PikeVM: correct and linear, but most of
//! the cost of a Relay config when every string meets a dozen patterns. A
//! card number needs fifteen digits, an email an `@`: when a string lacks
//! what a pattern needs, the regex is not run. The tests are necessary
//! conditions only, so what matches is exactly what the regex matches.
//!
//! regex-lite's `\b` is ASCII-only where Relay's is Unicode: a match that
//! starts or ends with `\b` is rejected here when a non-ASCII letter touches
//! it (`é078-05-1120é` is not an SSN to Relay). regex-lite's `\d`, `\s` and
//! `(?i)` stay ASCII-only; a user's own pattern runs with regex-lite's rules.

use regex_lite::{Captures, Regex};

/// A regex, whether its match starts or ends at a word boundary (`\b`) that
/// must hold for Unicode letters too, and what a string needs to match it.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    regex: Regex,
    bounded_start: bool,
    bounded_end: bool,
    possible: fn(&str) -> bool,
}

impl Pattern {
    /// A user's regex, run as regex-lite runs it.
    pub(crate) fn plain(regex: Regex) -> Self {
        Pattern {
            regex,
            bounded_start: false,
            bounded_end: false,
            possible: |_| true,
        }
    }

    /// A built-in regex; its leading and trailing `\b` get Unicode's meaning.
    pub(crate) fn built_in(source: &str, possible: fn(&str) -> bool) -> Self {
        let body = source.strip_prefix("(?i)").unwrap_or(source);
        Pattern {
            regex: Regex::new(source).expect("built-in regex compiles"),
            bounded_start: body.starts_with(r"\b"),
            bounded_end: source.ends_with(r"\b"),
            possible,
        }
    }

    /// Whether the regex matches anywhere (ASCII `\b`: a superset of the matches).
    pub(crate) fn may_match(&self, haystack: &str) -> bool {
        (self.possible)(haystack) && self.regex.is_match(haystack)
    }

    /// Whether Relay's Unicode-aware regex matches anywhere.
    pub(crate) fn matches_somewhere(&self, haystack: &str) -> bool {
        if !self.bounded_start && !self.bounded_end {
            return self.may_match(haystack);
        }
        self.may_match(haystack) && !self.captures(haystack).is_empty()
    }

    /// Every match, left to right, as Relay's Unicode-aware regex finds them.
    pub(crate) fn captures<'h>(&self, haystack: &'h str) -> Vec<Captures<'h>> {
        if !(self.possible)(haystack) {
            return Vec::new();
        }
        if !self.bounded_start && !self.bounded_end {
            return self.regex.captures_iter(haystack).collect();
        }
        let mut found = Vec::new();
        let mut at = 0;
        while let Some(captures) = self.regex.captures_at(haystack, at) {
            let whole = captures.get(0).expect("group 0 is the match");
            let (start, end) = (whole.start(), whole.end());
            let start_ok = !self.bounded_start || unicode_boundary(haystack, start);
            let end_ok = !self.bounded_end || unicode_boundary(haystack, end);
            if start_ok && end_ok && end > start {
                found.push(captures);
                at = end;
            } else {
                at = start + haystack[start..].chars().next().map_or(1, char::len_utf8);
            }
            if at > haystack.len() {
                break;
            }
        }
        found
    }
}

/// Whether a Unicode word boundary lies at byte `at`.
fn unicode_boundary(text: &str, at: usize) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let before = text[..at].chars().next_back().is_some_and(is_word);
    let after = text[at..].chars().next().is_some_and(is_word);
    before != after
}

fn digits(text: &str) -> usize {
    text.bytes().filter(u8::is_ascii_digit).count()
}

fn count(text: &str, wanted: &[u8]) -> usize {
    text.bytes().filter(|b| wanted.contains(b)).count()
}

/// The longest run of digits where single `-` or whitespace may separate two
/// digits (a card number's shape).
fn longest_digit_run(text: &str) -> usize {
    let (mut longest, mut run, mut after_digit) = (0, 0, false);
    for byte in text.bytes() {
        if byte.is_ascii_digit() {
            run += 1;
            longest = longest.max(run);
            after_digit = true;
        } else if after_digit && (byte == b'-' || byte.is_ascii_whitespace() || byte == 0x0b) {
            after_digit = false;
        } else {
            run = 0;
            after_digit = false;
        }
    }
    longest
}

/// `ddd-dd-dddd` somewhere (what an SSN match needs).
fn has_ssn_shape(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    (3..bytes.len()).any(|dash| {
        bytes[dash] == b'-'
            && bytes.get(dash + 3) == Some(&b'-')
            && digits_at(dash - 3..dash)
            && digits_at(dash + 1..dash + 3)
            && digits_at(dash + 4..dash + 8)
    })
}

/// Two capital letters and two digits in a row (an IBAN's start).
fn has_iban_start(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[0].is_ascii_uppercase()
            && w[1].is_ascii_uppercase()
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
    })
}

/// What every alternative of the IPv6 regex needs: `::`, seven colons, or a zone (`fe80:…%`).
fn has_ipv6_shape(text: &str) -> bool {
    text.contains("::")
        || count(text, b":") >= 7
        || (contains_folded(text, "fe80:") && text.contains('%'))
}

/// ASCII case-insensitive substring search (`needle` in lower case).
fn contains_folded(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The built-in regexes, compiled once per policy.
#[derive(Debug, Clone)]
pub(crate) struct Regexes {
    pub(crate) anything: Pattern,
    pub(crate) imei: Pattern,
    pub(crate) mac: Pattern,
    pub(crate) uuid: Pattern,
    pub(crate) email: Pattern,
    pub(crate) iban: Pattern,
    pub(crate) ipv4: Pattern,
    pub(crate) ipv6: Pattern,
    pub(crate) creditcard: Pattern,
    pub(crate) userpath: Pattern,
    pub(crate) pemkey: Pattern,
    pub(crate) urlauth: Pattern,
    pub(crate) usssn: Pattern,
    pub(crate) bearer: Pattern,
    pub(crate) token_key: Pattern,
    pub(crate) password_key: Pattern,
    pub(crate) cookies: Pattern,
}

const IPV4_OCTET: &str = "(25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)";
const IPV6_GROUP: &str = "[0-9a-fA-F]{1,4}";

/// Cookie names Relay treats as sessions or CSRF tokens.
pub(crate) const SENSITIVE_COOKIES: &[&str] = &[
    "sentrysid",
    "sudo",
    "su",
    "session",
    "__session",
    "sessionid",
    "user_session",
    "symfony",
    "phpsessid",
    "fasthttpsessionid",
    "mysession",
    "irissessionid",
    "_vercel_jwt",
    "csrf",
    "xsrf",
    "_xsrf",
    "_csrf",
    "csrf-token",
    "csrf_token",
    "xsrf-token",
    "xsrf_token",
    "fastcsrf",
    "_iris_csrf",
];

/// The regex of `@urlauth:legacy`, Sentry's old `URL_PASSWORD_RE`.
const URLAUTH_LEGACY: &str = r"\b((?:[a-z0-9]+:)?//[a-zA-Z0-9%_.-]+:)([a-zA-Z0-9%_.-]+)@";

/// Words one of which every unanchored match of Relay's password-key regex contains.
const PASSWORD_WORDS: [&str; 12] = [
    "pass",
    "secret",
    "apikey",
    "api-key",
    "api_key",
    "auth",
    "credentials",
    "mysql_pwd",
    "privatekey",
    "private-key",
    "private_key",
    "token",
];

fn may_name_a_password(text: &str) -> bool {
    PASSWORD_WORDS
        .iter()
        .any(|word| contains_folded(text, word))
        || text.eq_ignore_ascii_case("otp")
        || text
            .get(..3)
            .is_some_and(|start| start.eq_ignore_ascii_case("two"))
}

fn url_with_userinfo(text: &str) -> bool {
    text.contains("//") && text.contains('@')
}

/// `@urlauth:legacy`, a pattern rule of its own in Relay.
pub(crate) fn urlauth_legacy() -> Pattern {
    Pattern::built_in(URLAUTH_LEGACY, |t| url_with_userinfo(t) && t.contains(':'))
}

impl Regexes {
    pub(crate) fn new() -> Self {
        let octet = IPV4_OCTET;
        let ipv4 = format!(r"{octet}\.{octet}\.{octet}\.{octet}");
        let g = IPV6_GROUP;
        let ipv6 = format!(
            "(?i)(?:[\\s]|[[:punct:]]|^)(\
             ({g}:){{7}}{g}|\
             ({g}:){{1,7}}:|\
             ({g}:){{1,6}}::{g}|\
             ({g}:){{1,5}}:(:{g}){{1,2}}|\
             ({g}:){{1,4}}:(:{g}){{1,3}}|\
             ({g}:){{1,3}}:(:{g}){{1,4}}|\
             ({g}:){{1,2}}:(:{g}){{1,5}}|\
             {g}:((:{g}){{1,6}})|\
             :((:{g}){{1,7}}|:)|\
             fe80:(:{g}){{0,4}}%[0-9a-zA-Z]{{1,}}\
             ::(ffff(:0{{1,4}}){{0,1}}:){{0,1}}{ipv4}|\
             ({g}:){{1,4}}:{ipv4}\
             )([\\s]|[[:punct:]]|$)"
        );
        let cookies = format!(r"(?i)\b(?:{})=([^;]+)", SENSITIVE_COOKIES.join("|"));
        let built_in = Pattern::built_in;
        Regexes {
            anything: built_in(".*", |_| true),
            imei: built_in(r"\b(\d{2}-?\d{6}-?\d{6}-?\d{1,2})\b", |t| digits(t) >= 15),
            mac: built_in(r"\b([[:xdigit:]]{2}[:-]){5}[[:xdigit:]]{2}\b", |t| {
                count(t, b":-") >= 5
            }),
            uuid: built_in(
                r"(?i)\b[a-z0-9]{8}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{12}\b",
                |t| t.bytes().filter(u8::is_ascii_alphanumeric).count() >= 32,
            ),
            email: built_in(
                r"\b[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}\b",
                |t| t.contains('@'),
            ),
            iban: built_in(
                concat!(
                    r"\b(AT|AD|AE|AL|AZ|BA|BE|BG|BH|BR|BY|CH|CR|CY|CZ|DE|DK|DO|EE|EG|ES|FI|FO|FR|GB|GE|GI|GL|",
                    r"GR|GT|HR|HU|IE|IL|IQ|IS|IT|JO|KW|KZ|LB|LC|LI|LT|LU|LV|LY|MC|MD|ME|MK|MR|MT|MU|NL|NO|PK|PL|",
                    r"PS|PT|QA|RO|RU|RS|SA|SC|SE|SI|SK|SM|ST|SV|TL|TN|TR|UA|VA|VG|XK|DZ|AO|BJ|BF|BI|CV|CM|CF|TD|",
                    r"KM|CG|CI|DJ|GQ|GA|GW|HN|IR|MG|ML|MA|MZ|NI|NE|SN|TG)\d{2}[a-zA-Z0-9]{11,29}\b"
                ),
                has_iban_start,
            ),
            ipv4: built_in(&format!(r"\b{ipv4}\b"), |t| {
                count(t, b".") >= 3 && digits(t) >= 4
            }),
            ipv6: built_in(&ipv6, has_ipv6_shape),
            creditcard: built_in(
                r"\b((?:3[47]\d|4\d{3}|5[1-5]\d\d|65\d\d|6011)([-\s]?\d){12})\b",
                |t| longest_digit_run(t) >= 15,
            ),
            userpath: built_in(
                concat!(
                    r"(?i)(?:(?:\b(?:[a-zA-Z]:[\\/])?(?:users|home|documents and settings|[^/\\]+[/\\]profiles)[\\/])",
                    r"|(?:/(?:home|users)/))([^/\\\r\n\x00]+)"
                ),
                |t| {
                    t.contains(['/', '\\'])
                        && ["users", "home", "documents and settings", "profiles"]
                            .iter()
                            .any(|dir| contains_folded(t, dir))
                },
            ),
            pemkey: built_in(
                concat!(
                    r"(?s)(?:-----BEGIN[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----[\t ]*\r?\n?)(.+?)",
                    r"(?:\r?\n?-----END[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----)"
                ),
                |t| t.contains("-----BEGIN"),
            ),
            urlauth: built_in(
                r"\b(?:(?:[a-z0-9+-]+:)?//([a-zA-Z0-9%_.-]+(?::[a-zA-Z0-9%_.-]+)?))@",
                url_with_userinfo,
            ),
            usssn: built_in(r"\b([0-9]{3}-[0-9]{2}-[0-9]{4})\b", has_ssn_shape),
            bearer: built_in(r"(?i)\b(Bearer\s+)([^\s]+)", |t| {
                contains_folded(t, "bearer")
            }),
            token_key: built_in(r"(?i)(token)", |t| contains_folded(t, "token")),
            password_key: built_in(
                concat!(
                    r"(?i)(password|secret|passwd|api[-_]key|apikey|auth|credentials|mysql_pwd|privatekey|",
                    r"private[-_]key|token[^\s]*[:=]|^otp$|^two[-_]factor$)"
                ),
                may_name_a_password,
            ),
            cookies: built_in(&cookies, |t| t.contains('=')),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cheap_tests_never_hide_a_match() {
        let regexes = Regexes::new();
        let samples = [
            ("ada@example.com", &regexes.email),
            ("4111 1111 1111 1111", &regexes.creditcard),
            ("DE89370400440532013000", &regexes.iban),
            ("10.0.0.1", &regexes.ipv4),
            ("x ::1 y", &regexes.ipv6),
            ("078-05-1120", &regexes.usssn),
            ("356938035643809", &regexes.imei),
            ("aa:bb:cc:dd:ee:ff", &regexes.mac),
            ("123e4567e89b12d3a456426614174000", &regexes.uuid),
            ("BEARER abc", &regexes.bearer),
            ("My-Api-Key", &regexes.password_key),
            ("TWO_FACTOR", &regexes.password_key),
            ("C:\\Users\\ada", &regexes.userpath),
            ("https://u:p@h", &regexes.urlauth),
            ("SessionId=1", &regexes.cookies),
        ];
        for (text, pattern) in samples {
            assert!(!pattern.captures(text).is_empty(), "{text}");
        }
        assert!(!urlauth_legacy().captures("redis://u:p@h").is_empty());
    }

    #[test]
    fn word_boundaries_count_unicode_letters() {
        let regexes = Regexes::new();
        assert!(regexes.usssn.captures("é078-05-1120é").is_empty());
        assert_eq!(
            regexes.usssn.captures("é 078-05-1120")[0][0].to_owned(),
            "078-05-1120"
        );
    }
}
