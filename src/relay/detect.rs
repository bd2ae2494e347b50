//! What each Relay rule type looks for, and how a match becomes a redaction.
//!
//! Relay keeps a scrubbed string as chunks: plain text and redactions, each
//! redaction remembering its rule. A rule runs its regex over the text with
//! every earlier redaction stood in for by a NUL, so two rules never redact
//! the same characters twice, and the chunks are joined again into the new
//! string and its remarks (byte ranges in the new string). Doing exactly
//! that, rather than something cleverer, is what makes the output equal to
//! Relay's, remark for remark.
//!
//! The regexes are Relay's (`relay-pii/src/regexes.rs`), run by regex-lite,
//! whose `\b` is ASCII-only where Relay's is Unicode: a match that starts or
//! ends with `\b` is therefore rejected here when a non-ASCII letter touches
//! it (`é078-05-1120é` is not an SSN to Relay). regex-lite's `\d`, `\s` and
//! `(?i)` stay ASCII-only; a user's own pattern runs with regex-lite's rules.

use regex_lite::{Captures, Regex};

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

/// A regex, and whether its match starts or ends at a word boundary (`\b`)
/// that must hold for Unicode letters too.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    regex: Regex,
    bounded_start: bool,
    bounded_end: bool,
}

impl Pattern {
    /// A user's regex, run as regex-lite runs it.
    pub(crate) fn plain(regex: Regex) -> Self {
        Pattern {
            regex,
            bounded_start: false,
            bounded_end: false,
        }
    }

    /// A built-in regex; its leading and trailing `\b` get Unicode's meaning.
    pub(crate) fn built_in(source: &str) -> Self {
        let body = source.strip_prefix("(?i)").unwrap_or(source);
        Pattern {
            regex: Regex::new(source).expect("built-in regex compiles"),
            bounded_start: body.starts_with(r"\b"),
            bounded_end: source.ends_with(r"\b"),
        }
    }

    fn is_match(&self, haystack: &str) -> bool {
        self.regex.is_match(haystack)
    }

    /// Every match, left to right, as Relay's Unicode-aware regex finds them.
    fn captures<'h>(&self, haystack: &'h str) -> Vec<Captures<'h>> {
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

/// Which part of a match is redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Groups {
    /// These capture groups (0 is the whole match).
    Only(Vec<u8>),
    /// The whole string, whenever the regex matches anywhere in it.
    WholeValue,
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

/// The built-in regexes, compiled once per policy.
#[derive(Debug, Clone)]
pub(crate) struct Regexes {
    anything: Pattern,
    imei: Pattern,
    mac: Pattern,
    uuid: Pattern,
    email: Pattern,
    iban: Pattern,
    ipv4: Pattern,
    ipv6: Pattern,
    creditcard: Pattern,
    userpath: Pattern,
    pemkey: Pattern,
    urlauth: Pattern,
    usssn: Pattern,
    bearer: Pattern,
    token_key: Pattern,
    password_key: Pattern,
    cookies: Pattern,
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
pub(crate) const URLAUTH_LEGACY: &str =
    r"\b((?:[a-z0-9]+:)?//[a-zA-Z0-9%_.-]+:)([a-zA-Z0-9%_.-]+)@";

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
        let compile = Pattern::built_in;
        Regexes {
            anything: compile(".*"),
            imei: compile(r"\b(\d{2}-?\d{6}-?\d{6}-?\d{1,2})\b"),
            mac: compile(r"\b([[:xdigit:]]{2}[:-]){5}[[:xdigit:]]{2}\b"),
            uuid: compile(
                r"(?i)\b[a-z0-9]{8}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{4}-?[a-z0-9]{12}\b",
            ),
            email: compile(
                r"\b[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}\b",
            ),
            iban: compile(concat!(
                r"\b(AT|AD|AE|AL|AZ|BA|BE|BG|BH|BR|BY|CH|CR|CY|CZ|DE|DK|DO|EE|EG|ES|FI|FO|FR|GB|GE|GI|GL|",
                r"GR|GT|HR|HU|IE|IL|IQ|IS|IT|JO|KW|KZ|LB|LC|LI|LT|LU|LV|LY|MC|MD|ME|MK|MR|MT|MU|NL|NO|PK|PL|",
                r"PS|PT|QA|RO|RU|RS|SA|SC|SE|SI|SK|SM|ST|SV|TL|TN|TR|UA|VA|VG|XK|DZ|AO|BJ|BF|BI|CV|CM|CF|TD|",
                r"KM|CG|CI|DJ|GQ|GA|GW|HN|IR|MG|ML|MA|MZ|NI|NE|SN|TG)\d{2}[a-zA-Z0-9]{11,29}\b"
            )),
            ipv4: compile(&format!(r"\b{ipv4}\b")),
            ipv6: compile(&ipv6),
            creditcard: compile(r"\b((?:3[47]\d|4\d{3}|5[1-5]\d\d|65\d\d|6011)([-\s]?\d){12})\b"),
            userpath: compile(concat!(
                r"(?i)(?:(?:\b(?:[a-zA-Z]:[\\/])?(?:users|home|documents and settings|[^/\\]+[/\\]profiles)[\\/])",
                r"|(?:/(?:home|users)/))([^/\\\r\n\x00]+)"
            )),
            pemkey: compile(concat!(
                r"(?s)(?:-----BEGIN[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----[\t ]*\r?\n?)(.+?)",
                r"(?:\r?\n?-----END[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----)"
            )),
            urlauth: compile(r"\b(?:(?:[a-z0-9+-]+:)?//([a-zA-Z0-9%_.-]+(?::[a-zA-Z0-9%_.-]+)?))@"),
            usssn: compile(r"\b([0-9]{3}-[0-9]{2}-[0-9]{4})\b"),
            bearer: compile(r"(?i)\b(Bearer\s+)([^\s]+)"),
            token_key: compile(r"(?i)(token)"),
            password_key: compile(concat!(
                r"(?i)(password|secret|passwd|api[-_]key|apikey|auth|credentials|mysql_pwd|privatekey|",
                r"private[-_]key|token[^\s]*[:=]|^otp$|^two[-_]factor$)"
            )),
            cookies: compile(&cookies),
        }
    }

    /// The regexes a rule type runs, where, and which part of a match goes.
    fn for_kind<'r>(&'r self, kind: &'r Kind) -> Vec<(Target, &'r Pattern, Groups)> {
        let whole_match = || Groups::Only(vec![0]);
        let group = |g: u8| Groups::Only(vec![g]);
        let value = |regex: &'r Pattern, groups: Groups| vec![(Target::Value, regex, groups)];
        match kind {
            Kind::Anything => value(&self.anything, whole_match()),
            Kind::Pattern { pattern, groups } => value(pattern, groups.clone()),
            Kind::Imei => value(&self.imei, whole_match()),
            Kind::Mac => value(&self.mac, whole_match()),
            Kind::Uuid => value(&self.uuid, whole_match()),
            Kind::Email => value(&self.email, whole_match()),
            Kind::Iban => value(&self.iban, whole_match()),
            Kind::Ip => vec![
                (Target::Value, &self.ipv4, whole_match()),
                (Target::Value, &self.ipv6, group(1)),
            ],
            Kind::Creditcard => value(&self.creditcard, whole_match()),
            Kind::Pemkey => value(&self.pemkey, group(1)),
            Kind::UrlAuth => value(&self.urlauth, group(1)),
            Kind::UsSsn => value(&self.usssn, whole_match()),
            Kind::Userpath => value(&self.userpath, group(1)),
            Kind::Bearer => value(&self.bearer, whole_match()),
            Kind::Cookies => value(&self.cookies, group(1)),
            Kind::Password => vec![
                (Target::Value, &self.bearer, whole_match()),
                (Target::Key, &self.token_key, Groups::WholeValue),
                (Target::KeyOrValue, &self.password_key, Groups::WholeValue),
            ],
            Kind::RedactPair(regex) => vec![(Target::KeyOrValue, regex, Groups::WholeValue)],
        }
    }
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
        for (target, regex, groups) in regexes.for_kind(&self.kind) {
            let key_matches = || regex.is_match(key.unwrap_or(""));
            match target {
                Target::Value => {
                    if let Some(text) = text.as_deref_mut() {
                        self.rewrite(text, scrubbed, regex, &groups);
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
                        self.rewrite(text, scrubbed, regex, &groups);
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
        match groups {
            Groups::WholeValue => output.extend(self.replacement(&search)),
            Groups::Only(wanted) => {
                let mut position = 0;
                for captures in matches {
                    for (index, found) in captures.iter().enumerate() {
                        let Some(found) = found else { continue };
                        if !wanted.contains(&(index as u8)) || found.start() < position {
                            continue;
                        }
                        restore(&search[position..found.start()], &mut output, &mut pending);
                        output.extend(self.replacement(found.as_str()));
                        position = found.end();
                    }
                }
                restore(&search[position..], &mut output, &mut pending);
            }
        }
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

/// Plain text, or a redaction with the remark it will get (its range is set when joined).
struct Chunk {
    text: String,
    redaction: Option<Remark>,
}

/// Text between matches goes back in, each NUL replaced by the redaction it stood for.
fn restore(text: &str, output: &mut Vec<Chunk>, pending: &mut Vec<Chunk>) {
    if text.is_empty() {
        return;
    }
    let mut pieces = text.split('\0');
    if let Some(first) = pieces.next() {
        output.push(plain(first));
    }
    for piece in pieces {
        if let Some(redaction) = pending.pop() {
            output.push(redaction);
        }
        output.push(plain(piece));
    }
}

fn plain(text: &str) -> Chunk {
    Chunk {
        text: text.to_owned(),
        redaction: None,
    }
}

/// Cuts a string into chunks along the ranges of earlier remarks.
fn split(text: &str, remarks: &[Remark]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut position = 0;
    for remark in remarks {
        let Some((start, end)) = remark.kind.range() else {
            continue;
        };
        let start = start.max(position);
        if start > position {
            let Some(piece) = text.get(position..start) else {
                break;
            };
            chunks.push(plain(piece));
        }
        let Some(piece) = text.get(start..end) else {
            break;
        };
        chunks.push(Chunk {
            text: piece.to_owned(),
            redaction: Some(remark.clone()),
        });
        position = end;
    }
    if let Some(rest) = text.get(position..).filter(|rest| !rest.is_empty()) {
        chunks.push(plain(rest));
    }
    chunks
}

/// Joins chunks into the new string and its remarks.
fn join(chunks: Vec<Chunk>) -> (String, Vec<Remark>) {
    let mut text = String::new();
    let mut remarks = Vec::new();
    for chunk in chunks {
        let start = text.len();
        text.push_str(&chunk.text);
        if let Some(remark) = chunk.redaction {
            remarks.push(Remark {
                kind: remark.kind.moved_to(start, text.len()),
                rule_id: remark.rule_id,
            });
        }
    }
    (text, remarks)
}
