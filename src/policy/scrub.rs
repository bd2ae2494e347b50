//! The `scrub` section: which keys and values are secrets, and how they are
//! taken out. Read here for shape only; the detectors, key rules and
//! Relay's engine compile it (`crate::scrub`), and report a bad regex or an
//! unknown family with its path there.

use serde_json::Value;

use super::reader::Member;
use super::PolicyError;

/// How keys are compared with the deny lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMatch {
    /// A listed word is a word of the key (`api_token`, `authToken`), not
    /// merely inside one (`tokenizer`, `author`).
    Words,
    /// The normalised key contains a listed word (`api_token` contains `token`).
    Substring,
    /// The normalised key equals a listed word (sentry-python's rule).
    Exact,
}

/// How a secret is taken out of the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The replacement text (`[Filtered]`, or a pattern's own `text`).
    Replace,
    /// `*` for each character but the last four (all of them when shorter than 12).
    Mask,
    /// HMAC-SHA1 of the secret under `scrub.hash_key`, as upper-case hex: stable, not reversible.
    Hash,
    /// The whole value is removed (set to null).
    Remove,
}

/// One member of `scrub.patterns`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternEntry {
    /// `"@name"`: use this built-in detector (needed only with `"defaults": false`).
    Enable(String),
    /// `"!@name"`: do not use this built-in detector.
    Disable(String),
    /// `{"id", "regex", "group"?, "method"?, "text"?}`: a detector of the user's own.
    Custom(CustomPattern),
}

/// A user-defined value pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPattern {
    /// The rule id written to `_meta`.
    pub id: String,
    /// A regex-lite regex (linear time: no pattern can make scrubbing hang).
    pub regex: String,
    /// The capture group that is the secret; 0 is the whole match.
    pub group: usize,
    /// Overrides `scrub.method` for this pattern.
    pub method: Option<Method>,
    /// Overrides `scrub.replacement` for this pattern.
    pub text: Option<String>,
}

/// The `scrub` section.
#[derive(Debug, Clone, PartialEq)]
pub struct ScrubPolicy {
    /// Run preflight's built-in key lists (sentry-python's denylist and, unless
    /// `send_default_pii`, its PII list).
    pub defaults: bool,
    pub key_match: KeyMatch,
    /// Keys scrubbed in addition to the built-in lists.
    pub deny_keys: Vec<String>,
    /// Keys never scrubbed because of their name.
    pub safe_keys: Vec<String>,
    /// When true, the PII key list (IP addresses) is not applied.
    pub send_default_pii: bool,
    /// Look for personal data (emails, phones, IP addresses) in frames'
    /// source lines too; credentials are always looked for there.
    pub source_pii: bool,
    /// The text that takes the place of a scrubbed value.
    pub replacement: String,
    /// Built-in value detectors switched on or off, and the user's own.
    pub patterns: Vec<PatternEntry>,
    /// How secrets are taken out, unless a pattern says otherwise.
    pub method: Method,
    /// The key of `hash`: the same secret hashes alike only under the same key.
    pub hash_key: String,
    /// A Relay PII config (`rules`, `vars`, `applications`), run as Relay runs it.
    pub relay: Option<Value>,
    /// Sentry's legacy data-scrubbing settings, converted as Relay converts them.
    pub datascrubbing: Option<DataScrubbing>,
}

/// Sentry's legacy data-scrubbing settings (`scrub.datascrubbing`), with
/// Relay's member names. Policy data whether or not a build carries Relay's
/// rules, so that a build without them can still name what it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataScrubbing {
    pub scrub_data: bool,
    pub scrub_defaults: bool,
    pub scrub_ip_addresses: bool,
    pub sensitive_fields: Vec<String>,
    pub exclude_fields: Vec<String>,
}

impl Default for ScrubPolicy {
    fn default() -> Self {
        ScrubPolicy {
            defaults: true,
            key_match: KeyMatch::Words,
            deny_keys: Vec::new(),
            safe_keys: Vec::new(),
            send_default_pii: false,
            source_pii: false,
            replacement: "[Filtered]".to_owned(),
            patterns: Vec::new(),
            method: Method::Replace,
            hash_key: String::new(),
            relay: None,
            datascrubbing: None,
        }
    }
}

pub(super) fn read_scrub(member: &Member<'_>) -> Result<ScrubPolicy, PolicyError> {
    let section = member.object(&[
        "defaults",
        "key_match",
        "deny_keys",
        "safe_keys",
        "send_default_pii",
        "source_pii",
        "replacement",
        "patterns",
        "method",
        "hash_key",
        "relay",
        "datascrubbing",
    ])?;
    let mut scrub = ScrubPolicy::default();
    if let Some(defaults) = section.get("defaults") {
        scrub.defaults = defaults.bool()?;
    }
    if let Some(key_match) = section.get("key_match") {
        scrub.key_match = match key_match.one_of(&["words", "substring", "exact"])? {
            "exact" => KeyMatch::Exact,
            "substring" => KeyMatch::Substring,
            _ => KeyMatch::Words,
        };
    }
    if let Some(deny_keys) = section.get("deny_keys") {
        scrub.deny_keys = deny_keys.strings()?;
    }
    if let Some(safe_keys) = section.get("safe_keys") {
        scrub.safe_keys = safe_keys.strings()?;
    }
    if let Some(pii) = section.get("send_default_pii") {
        scrub.send_default_pii = pii.bool()?;
    }
    if let Some(pii) = section.get("source_pii") {
        scrub.source_pii = pii.bool()?;
    }
    if let Some(replacement) = section.get("replacement") {
        scrub.replacement = replacement.string()?.to_owned();
    }
    if let Some(method) = section.get("method") {
        scrub.method = read_method(&method)?;
    }
    if let Some(hash_key) = section.get("hash_key") {
        scrub.hash_key = hash_key.string()?.to_owned();
    }
    if let Some(patterns) = section.get("patterns") {
        scrub.patterns = patterns
            .array()?
            .iter()
            .map(read_pattern)
            .collect::<Result<_, _>>()?;
    }
    if let Some(relay) = section.get("relay") {
        scrub.relay = Some(relay.value().clone());
    }
    if let Some(settings) = section.get("datascrubbing") {
        scrub.datascrubbing = Some(read_datascrubbing(&settings)?);
    }
    let hashes = scrub.method == Method::Hash
        || scrub
            .patterns
            .iter()
            .any(|pattern| matches!(pattern, PatternEntry::Custom(custom) if custom.method == Some(Method::Hash)));
    if hashes && scrub.hash_key.is_empty() {
        // HMAC under an empty key is a plain hash: anyone can hash a guess
        // (an email, a card number) and find it in the events.
        return Err(PolicyError::new(
            "scrub.hash_key",
            "the \"hash\" method needs a secret key: without one, a guessed value's hash can be looked up",
        ));
    }
    Ok(scrub)
}

fn read_datascrubbing(member: &Member<'_>) -> Result<DataScrubbing, PolicyError> {
    let section = member.object(&[
        "scrubData",
        "scrubDefaults",
        "scrubIpAddresses",
        "sensitiveFields",
        "excludeFields",
    ])?;
    let flag = |key: &str| section.get(key).map_or(Ok(false), |m| m.bool());
    let fields = |key: &str| -> Result<Vec<String>, PolicyError> {
        match section.get(key) {
            Some(list) => list
                .array()?
                .iter()
                .map(|item| item.string().map(str::to_owned))
                .collect(),
            None => Ok(Vec::new()),
        }
    };
    Ok(DataScrubbing {
        scrub_data: flag("scrubData")?,
        scrub_defaults: flag("scrubDefaults")?,
        scrub_ip_addresses: flag("scrubIpAddresses")?,
        sensitive_fields: fields("sensitiveFields")?,
        exclude_fields: fields("excludeFields")?,
    })
}

fn read_method(member: &Member<'_>) -> Result<Method, PolicyError> {
    Ok(
        match member.one_of(&["replace", "mask", "hash", "remove"])? {
            "mask" => Method::Mask,
            "hash" => Method::Hash,
            "remove" => Method::Remove,
            _ => Method::Replace,
        },
    )
}

fn read_pattern(member: &Member<'_>) -> Result<PatternEntry, PolicyError> {
    // A family's name, like a regex, is checked by the detectors when they
    // compile (`scrub::detect`), which refuse an unknown one at this path.
    if let Ok(name) = member.string() {
        let (disable, name) = match name.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        // Which names are families is the detectors' to know; that a name
        // is written `@name` is the policy's grammar.
        let Some(name) = name.strip_prefix('@') else {
            return Err(member.error(format!(
                "a built-in pattern is written \"@name\" or \"!@name\", not {name:?} (the README lists every family)"
            )));
        };
        let name = name.to_owned();
        return Ok(if disable {
            PatternEntry::Disable(name)
        } else {
            PatternEntry::Enable(name)
        });
    }
    let fields = member.object(&["id", "regex", "group", "method", "text"])?;
    let id = fields.required("id")?.non_empty_string()?.to_owned();
    let regex = fields.required("regex")?.non_empty_string()?.to_owned();
    let group = match fields.get("group") {
        Some(group_member) => {
            // Which groups the regex has is for its compile to say; the bound
            // here only keeps the number a `usize` on every platform (WASM's is 32-bit).
            let group = group_member.integer_in(0, u64::from(u32::MAX))?;
            usize::try_from(group).map_err(|_| group_member.error("too large"))?
        }
        None => 0,
    };
    let method = fields.get("method").map(|m| read_method(&m)).transpose()?;
    let text = fields.text("text")?;
    Ok(PatternEntry::Custom(CustomPattern {
        id,
        regex,
        group,
        method,
        text,
    }))
}
