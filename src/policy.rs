//! The one contract between users and the core: the JSON policy.
//!
//! The same document drives the Rust crate, the Python wheel and the npm
//! package, so it is parsed and validated in exactly one place. A policy is
//! checked completely when it is loaded: an unknown member, a wrong type or an
//! out-of-range number is a [`PolicyError`] naming the JSON path, never a
//! surprise at event time. `{}` is a valid policy and means "the defaults".
//!
//! Sections a later capability adds (fingerprint, tags, sampling, …) are
//! unknown members until that capability exists, so a policy never silently
//! asks for something the core does not do.

mod reader;
mod sampling;

use std::fmt;

use serde_json::Value;

use reader::Member;

pub use crate::relay::DataScrubbing;
pub use sampling::{
    Budget, Comparison, Condition, ErrorSamplingPolicy, ErrorSamplingRule, SampleValue,
    SamplingPolicy, SamplingRule, TimeRange,
};

/// A policy the core can run: every member present and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub scrub: ScrubPolicy,
    pub filters: FiltersPolicy,
    pub fingerprint: FingerprintPolicy,
    pub tags: TagsPolicy,
    pub params: ParamsPolicy,
    pub sampling: SamplingPolicy,
    pub limits: Limits,
    pub on_error: OnError,
}

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

/// The `filters` section: events dropped before anything else is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiltersPolicy {
    /// Exception type names (exact, or `module.Type`, or any base class the
    /// SDK reports), or text in the message / last exception value /
    /// `"Type: value"` (a substring, or a regex written `re:…`).
    pub ignore_errors: Vec<String>,
    /// Transaction names, as globs (`*/health*`, `/users/me/`) or regexes written `re:…`.
    pub ignore_transactions: Vec<String>,
    /// Drop an error whose last usable frame's file contains one of these (or matches a `re:…` regex).
    pub deny_urls: Vec<String>,
    /// When not empty, drop an error whose last usable frame's file matches none of these.
    pub allow_urls: Vec<String>,
    /// HTTP statuses (from the exception or `contexts.response`) whose events are dropped.
    pub ignore_status: Vec<u16>,
    /// Ready-made lists: `"sentry-javascript"` adds sentry-javascript's default `ignoreErrors`.
    pub presets: Vec<String>,
    /// Logs dropped in `before_send_log`.
    pub ignore_logs: LogFiltersPolicy,
}

/// `filters.ignore_logs`: a log is dropped when its level is listed, or its
/// body or template, or its logger, matches an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFiltersPolicy {
    /// `trace`, `debug`, `info`, `warn`, `error`, `fatal`.
    pub levels: Vec<String>,
    /// Globs (or `re:…` regexes) on the whole body or the message template.
    pub messages: Vec<String>,
    /// Globs (or `re:…` regexes) on the `logger.name` attribute.
    pub loggers: Vec<String>,
}

/// The log levels of Sentry's logs protocol, lowest first.
pub const LOG_LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];

/// The `fingerprint` section: grouping decided in the process.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FingerprintPolicy {
    /// Sentry's fingerprint rules, one per line (given as one text or a list of lines).
    pub rules: Vec<String>,
    /// Replace the variable parts of messages (numbers, ids, addresses, dates,
    /// quoted strings) by placeholders in fingerprints.
    pub parameterize_messages: bool,
}

/// The `params` section: call parameters and span data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsPolicy {
    /// `false` leaves span data and descriptions as the SDK made them.
    pub enabled: bool,
    /// Span data / attribute keys whose values are replaced (a regex).
    pub redact_keys: String,
    /// Longest string value in span data, in bytes (cut at a character boundary).
    pub max_value_bytes: usize,
    /// Parameter names whose values become tags.
    pub tag_params: Vec<String>,
    /// SQL literals and URL ids out of db and http span descriptions.
    pub scrub_descriptions: bool,
}

/// The default of `params.redact_keys`.
pub const DEFAULT_PARAM_KEYS: &str = "(?i)password|token|secret|key|authorization";

impl Default for ParamsPolicy {
    fn default() -> Self {
        ParamsPolicy {
            enabled: true,
            redact_keys: DEFAULT_PARAM_KEYS.to_owned(),
            max_value_bytes: 1024,
            tag_params: Vec::new(),
            scrub_descriptions: true,
        }
    }
}

/// What happens to a tag that breaks a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidTags {
    /// Make it valid (keys and values repaired, long values cut with `...`).
    Sanitize,
    /// Remove it.
    Drop,
    /// Move it to `contexts.invalid_tags`.
    Move,
    /// Leave tags as they are (Relay nulls invalid ones on the server).
    Keep,
}

/// The `tags` section: every tag valid, or accounted for in `_meta`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagsPolicy {
    /// Longest key, in characters (Relay: 200; Sentry's docs and some SDKs: 32).
    pub max_key_chars: usize,
    /// Longest value, in characters (Relay: 200).
    pub max_value_chars: usize,
    pub on_invalid: InvalidTags,
    /// Keys every event must carry; a missing one is taken from the event's
    /// field of the same name when there is one, else reported in `_meta`.
    pub required: Vec<String>,
    /// At most this many tags; the ones after follow `on_invalid` (sanitize drops them).
    pub max_count: Option<usize>,
}

impl Default for TagsPolicy {
    fn default() -> Self {
        TagsPolicy {
            max_key_chars: 200,
            max_value_chars: 200,
            on_invalid: InvalidTags::Sanitize,
            required: Vec::new(),
            max_count: None,
        }
    }
}

/// The `limits` section: bounds on the work one event may cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Containers nested deeper than this (counted from the event root) are
    /// removed, with a `!limit` remark, rather than walked.
    pub max_depth: usize,
}

/// What happens to an event the core could not process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Drop the event: never send what could not be scrubbed.
    Drop,
    /// Send the event as it is.
    Pass,
}

/// A policy that cannot be loaded: where in the document, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    /// The JSON path of the offending member (`scrub.deny_keys[2]`); empty for the document itself.
    pub path: String,
    pub reason: String,
}

/// Levels a policy document may nest: its readers (sampling conditions)
/// recurse. Policy text is read to this depth (`tape::value_of`, the 128
/// levels serde_json's reader allowed), and a value built in Rust, which has
/// no parser's limit, is checked against it member by member.
const MAX_POLICY_NESTING: usize = 128;

/// Whether `value` holds containers more than `levels` deep, found without
/// recursion (a value built in Rust can be deeper than any stack).
fn nested_deeper_than(value: &Value, levels: usize) -> bool {
    let mut open = vec![(value, 0)];
    while let Some((value, depth)) = open.pop() {
        let children: Box<dyn Iterator<Item = &Value>> = match value {
            Value::Array(items) => Box::new(items.iter()),
            Value::Object(members) => Box::new(members.values()),
            _ => continue,
        };
        if depth == levels {
            return true;
        }
        open.extend(children.map(|child| (child, depth + 1)));
    }
    false
}

/// Deepest `limits.max_depth` accepted: the walk recurses once per level, and
/// the smallest stack it runs on (WASM, 1 MiB) must hold that many frames.
const MAX_DEPTH_CEILING: u64 = 256;

impl PolicyError {
    pub(crate) fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        PolicyError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "policy: {}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for PolicyError {}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            scrub: ScrubPolicy::default(),
            filters: FiltersPolicy::default(),
            fingerprint: FingerprintPolicy::default(),
            tags: TagsPolicy::default(),
            params: ParamsPolicy::default(),
            sampling: SamplingPolicy::default(),
            limits: Limits::default(),
            on_error: OnError::Drop,
        }
    }
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

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 64 }
    }
}

/// The default policy written out in full: every member `{}` implies, for
/// users to start from (`sentry_preflight.default_policy()`, `python -m
/// sentry_preflight defaults`). A test checks that it reads back as
/// `Policy::default()`.
pub const DEFAULT_POLICY_JSON: &str = include_str!("policy/defaults.json");

/// What an SDK's own options say where a policy is silent. An integration
/// reads them from the SDK it is installed in (sentry-python's
/// `data_collection.user_info` or `send_default_pii`, the JS SDKs'
/// `dataCollection.userInfo` or `sendDefaultPii`): a user who told the SDK
/// to send personal data is not overruled by a policy that never said.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SdkOptions {
    /// `scrub.send_default_pii` unless the policy sets it.
    pub send_default_pii: Option<bool>,
}

impl Policy {
    /// Reads a policy from JSON text and checks its shape: every member
    /// known, every value of its type and range. The rules a section holds
    /// (regexes, globs, fingerprint rules, Relay's rules) are compiled, and
    /// their errors reported with the same paths, by `Preflight::new`.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        Self::from_json_under(text, SdkOptions::default())
    }

    /// `from_json`, with what `sdk` says where the policy is silent.
    pub fn from_json_under(text: &str, sdk: SdkOptions) -> Result<Self, PolicyError> {
        let value = crate::tape::value_of(text, MAX_POLICY_NESTING)
            .map_err(|error| PolicyError::new("", error.to_string()))?;
        Self::from_value_under(&value, sdk)
    }

    /// `from_value`, with what `sdk` says where the policy is silent.
    pub fn from_value_under(value: &Value, sdk: SdkOptions) -> Result<Self, PolicyError> {
        let mut policy = Self::from_value(value)?;
        let policy_says = value
            .get("scrub")
            .is_some_and(|scrub| scrub.get("send_default_pii").is_some());
        if let (Some(pii), false) = (sdk.send_default_pii, policy_says) {
            policy.scrub.send_default_pii = pii;
        }
        Ok(policy)
    }

    /// `from_json` for a policy already parsed into a JSON value.
    pub fn from_value(value: &Value) -> Result<Self, PolicyError> {
        if let Some(object) = value.as_object() {
            for (key, member) in object {
                if nested_deeper_than(member, MAX_POLICY_NESTING - 1) {
                    let reason = format!("nested deeper than {MAX_POLICY_NESTING} levels");
                    return Err(PolicyError::new(key.as_str(), reason));
                }
            }
        }
        let root = Member::root(value).object(&[
            "scrub",
            "filters",
            "fingerprint",
            "tags",
            "params",
            "sampling",
            "limits",
            "on_error",
        ])?;
        let mut policy = Policy::default();
        if let Some(scrub) = root.get("scrub") {
            policy.scrub = read_scrub(&scrub)?;
        }
        if let Some(filters) = root.get("filters") {
            policy.filters = read_filters(&filters)?;
        }
        if let Some(fingerprint) = root.get("fingerprint") {
            policy.fingerprint = read_fingerprint(&fingerprint)?;
        }
        if let Some(tags) = root.get("tags") {
            policy.tags = read_tags(&tags)?;
        }
        if let Some(params) = root.get("params") {
            policy.params = read_params(&params)?;
        }
        if let Some(sampling) = root.get("sampling") {
            policy.sampling = sampling::read_sampling(&sampling)?;
        }
        if let Some(limits) = root.get("limits") {
            policy.limits = read_limits(&limits)?;
        }
        if let Some(on_error) = root.get("on_error") {
            policy.on_error = match on_error.one_of(&["drop", "pass"])? {
                "pass" => OnError::Pass,
                _ => OnError::Drop,
            };
        }
        Ok(policy)
    }
}

fn read_scrub(member: &Member<'_>) -> Result<ScrubPolicy, PolicyError> {
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

fn read_params(member: &Member<'_>) -> Result<ParamsPolicy, PolicyError> {
    let section = member.object(&[
        "enabled",
        "redact_keys",
        "extra_keys",
        "max_value_bytes",
        "tag_params",
        "scrub_descriptions",
    ])?;
    let mut params = ParamsPolicy::default();
    if let Some(enabled) = section.get("enabled") {
        params.enabled = enabled.bool()?;
    }
    if let Some(keys) = section.get("redact_keys") {
        let regex = keys.non_empty_string()?;
        crate::params::KeyPattern::check(regex).map_err(|reason| keys.error(reason))?;
        params.redact_keys = regex.to_owned();
    }
    if let Some(extra) = section.get("extra_keys") {
        let words: Vec<String> = extra
            .strings()?
            .iter()
            .map(|word| regex_lite::escape(word))
            .collect();
        if !words.is_empty() {
            params.redact_keys = format!("{}|(?i:{})", params.redact_keys, words.join("|"));
        }
    }
    if let Some(bytes) = section.get("max_value_bytes") {
        params.max_value_bytes = bytes.integer_in(16, 1 << 20)? as usize;
    }
    if let Some(names) = section.get("tag_params") {
        params.tag_params = names.strings()?;
    }
    if let Some(scrub) = section.get("scrub_descriptions") {
        params.scrub_descriptions = scrub.bool()?;
    }
    Ok(params)
}

fn read_tags(member: &Member<'_>) -> Result<TagsPolicy, PolicyError> {
    let section = member.object(&[
        "max_key_chars",
        "max_value_chars",
        "on_invalid",
        "required",
        "max_count",
    ])?;
    let mut tags = TagsPolicy::default();
    let count = |key: &str, min: u64, max: u64| -> Result<Option<usize>, PolicyError> {
        section
            .get(key)
            .map(|m| m.integer_in(min, max).map(|n| n as usize))
            .transpose()
    };
    if let Some(chars) = count("max_key_chars", 1, 200)? {
        tags.max_key_chars = chars;
    }
    if let Some(chars) = count("max_value_chars", 4, 200)? {
        tags.max_value_chars = chars;
    }
    tags.max_count = count("max_count", 0, 10_000)?;
    if let Some(on_invalid) = section.get("on_invalid") {
        tags.on_invalid = match on_invalid.one_of(&["sanitize", "drop", "move", "keep"])? {
            "drop" => InvalidTags::Drop,
            "move" => InvalidTags::Move,
            "keep" => InvalidTags::Keep,
            _ => InvalidTags::Sanitize,
        };
    }
    if let Some(required) = section.get("required") {
        tags.required = required.strings()?;
    }
    Ok(tags)
}

fn read_fingerprint(member: &Member<'_>) -> Result<FingerprintPolicy, PolicyError> {
    let section = member.object(&["rules", "parameterize_messages"])?;
    let mut fingerprint = FingerprintPolicy::default();
    if let Some(rules) = section.get("rules") {
        fingerprint.rules = match rules.string() {
            Ok(text) => vec![text.to_owned()],
            Err(_) => rules
                .array()
                .map_err(|_| rules.error("expected the rule text, or an array of lines"))?
                .iter()
                .map(|line| line.string().map(str::to_owned))
                .collect::<Result<_, _>>()?,
        };
    }
    if let Some(parameterize) = section.get("parameterize_messages") {
        fingerprint.parameterize_messages = parameterize.bool()?;
    }
    Ok(fingerprint)
}

fn read_filters(member: &Member<'_>) -> Result<FiltersPolicy, PolicyError> {
    let section = member.object(&[
        "ignore_errors",
        "ignore_transactions",
        "deny_urls",
        "allow_urls",
        "ignore_status",
        "presets",
        "ignore_logs",
    ])?;
    let list = |key: &str| section.get(key).map_or(Ok(Vec::new()), |m| m.strings());
    let mut filters = FiltersPolicy {
        ignore_errors: list("ignore_errors")?,
        ignore_transactions: list("ignore_transactions")?,
        deny_urls: list("deny_urls")?,
        allow_urls: list("allow_urls")?,
        ..FiltersPolicy::default()
    };
    if let Some(statuses) = section.get("ignore_status") {
        filters.ignore_status = statuses
            .array()?
            .iter()
            .map(|status| status.integer_in(100, 599).map(|code| code as u16))
            .collect::<Result<_, _>>()?;
    }
    if let Some(presets) = section.get("presets") {
        for preset in presets.array()? {
            preset.one_of(&["sentry-javascript"])?;
        }
        filters.presets = presets.strings()?;
    }
    if let Some(logs) = section.get("ignore_logs") {
        let logs = logs.object(&["levels", "messages", "loggers"])?;
        let list = |key: &str| logs.get(key).map_or(Ok(Vec::new()), |m| m.strings());
        if let Some(levels) = logs.get("levels") {
            for level in levels.array()? {
                level.one_of(&LOG_LEVELS)?;
            }
        }
        filters.ignore_logs = LogFiltersPolicy {
            levels: list("levels")?,
            messages: list("messages")?,
            loggers: list("loggers")?,
        };
    }
    Ok(filters)
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
    if let Ok(name) = member.string() {
        let (disable, name) = match name.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, name),
        };
        let mut known = crate::scrub::family_names();
        let Some(built_in) = name
            .strip_prefix('@')
            .filter(|bare| known.any(|family| family == *bare))
        else {
            let bare = name.trim_start_matches('@');
            let closest = crate::scrub::family_names()
                .min_by_key(|family| edit_distance(family, bare))
                .unwrap_or_default();
            return Err(member.error(format!(
                "unknown built-in pattern {name:?}; did you mean \"@{closest}\"? (the README lists every family)"
            )));
        };
        let built_in = built_in.to_owned();
        return Ok(if disable {
            PatternEntry::Disable(built_in)
        } else {
            PatternEntry::Enable(built_in)
        });
    }
    let fields = member.object(&["id", "regex", "group", "method", "text"])?;
    let id = fields.required("id")?.non_empty_string()?.to_owned();
    let regex_member = fields.required("regex")?;
    let regex = regex_member.non_empty_string()?.to_owned();
    let compiled = compile_regex(&regex).map_err(|reason| regex_member.error(reason))?;
    let group = match fields.get("group") {
        Some(group_member) => {
            let last_group = compiled.captures_len().saturating_sub(1) as u64;
            let group = group_member.integer_in(0, last_group)?;
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

/// Compiles a regex from a policy; the error is the reason a `PolicyError`
/// gives. regex-lite is linear-time, so no policy can make processing hang.
/// A build without the feature `regexes` refuses every one (`left_out`).
pub(crate) fn compile_regex(source: &str) -> Result<regex_lite::Regex, String> {
    if !crate::left_out::REGEXES {
        return Err(crate::left_out::refusal_reason("a regex engine"));
    }
    regex_lite::Regex::new(source).map_err(|error| {
        let message = error.to_string();
        format!(
            "invalid regex: {}",
            message.lines().next().unwrap_or_default()
        )
    })
}

impl Limits {
    /// Limits a policy built in Rust may not exceed (JSON is read within them).
    pub(crate) fn check(&self) -> Result<(), PolicyError> {
        let ceiling = usize::try_from(MAX_DEPTH_CEILING).unwrap_or(usize::MAX);
        if (1..=ceiling).contains(&self.max_depth) {
            Ok(())
        } else {
            Err(PolicyError::new(
                "limits.max_depth",
                format!("must be between 1 and {ceiling}"),
            ))
        }
    }
}

fn read_limits(member: &Member<'_>) -> Result<Limits, PolicyError> {
    let section = member.object(&["max_depth"])?;
    let mut limits = Limits::default();
    if let Some(max_depth) = section.get("max_depth") {
        let depth = max_depth.integer_in(1, MAX_DEPTH_CEILING)?;
        limits.max_depth = usize::try_from(depth).map_err(|_| max_depth.error("too large"))?;
    }
    Ok(limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> PolicyError {
        Policy::from_json(text).unwrap_err()
    }

    #[test]
    fn policy_text_the_tape_refuses_is_refused_at_the_root() {
        // Read through the tape: a member named twice is ambiguous (serde_json
        // would keep the last), so such a policy is refused, not half-read.
        let twice = error_of(r#"{"on_error": "drop", "on_error": "pass"}"#);
        assert_eq!(twice.path, "");
        assert_eq!(twice.reason, "an object names one member twice");
        let cut = error_of(r#"{"scrub": {"#);
        assert!(
            cut.reason.starts_with("not valid JSON at byte"),
            "{}",
            cut.reason
        );
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        assert_eq!(error_of(&deep).reason, "nested deeper than 128 levels");
    }

    #[test]
    fn the_written_defaults_are_the_defaults() {
        assert_eq!(
            Policy::from_json(DEFAULT_POLICY_JSON),
            Ok(Policy::default())
        );
    }

    #[test]
    fn empty_policy_means_defaults() {
        assert_eq!(Policy::from_json("{}").unwrap(), Policy::default());
    }

    #[test]
    fn members_are_read() {
        let policy = Policy::from_json(
            r#"{"scrub": {"key_match": "exact", "deny_keys": ["ssn"], "safe_keys": ["token_count"],
                          "send_default_pii": true, "replacement": "***", "defaults": false},
                "limits": {"max_depth": 10}, "on_error": "pass"}"#,
        )
        .unwrap();
        assert_eq!(policy.scrub.key_match, KeyMatch::Exact);
        assert_eq!(policy.scrub.deny_keys, vec!["ssn"]);
        assert_eq!(policy.scrub.safe_keys, vec!["token_count"]);
        assert!(policy.scrub.send_default_pii);
        assert!(!policy.scrub.defaults);
        assert_eq!(policy.scrub.replacement, "***");
        assert_eq!(policy.limits.max_depth, 10);
        assert_eq!(policy.on_error, OnError::Pass);
    }

    #[test]
    fn unknown_members_are_rejected_with_their_path() {
        let error = error_of(r#"{"scrub": {"deny_key": []}}"#);
        assert_eq!(error.path, "scrub.deny_key");
        assert!(
            error.reason.starts_with("unknown member"),
            "{}",
            error.reason
        );
        assert_eq!(error_of(r#"{"transport": {}}"#).path, "transport");
    }

    #[test]
    fn wrong_types_name_the_element() {
        let error = error_of(r#"{"scrub": {"deny_keys": ["a", "b", 7]}}"#);
        assert_eq!(error.path, "scrub.deny_keys[2]");
        assert_eq!(error.reason, "expected a string, found a number");
        assert_eq!(
            error_of(r#"{"scrub": {"deny_keys": [""]}}"#).reason,
            "must not be empty"
        );
        assert_eq!(error_of(r#"{"scrub": 1}"#).path, "scrub");
        assert_eq!(error_of(r#"[]"#).path, "");
    }

    #[test]
    fn out_of_range_and_unknown_choices_are_rejected() {
        let error = error_of(r#"{"limits": {"max_depth": 100000}}"#);
        assert_eq!(error.path, "limits.max_depth");
        assert_eq!(error_of(r#"{"on_error": "explode"}"#).path, "on_error");
        assert_eq!(
            error_of(r#"{"scrub": {"key_match": "fuzzy"}}"#).path,
            "scrub.key_match"
        );
    }

    #[test]
    fn patterns_methods_and_hash_key_are_read() {
        let policy = Policy::from_json(
            r#"{"scrub": {"method": "mask", "hash_key": "k", "patterns": [
                "!@email", "@iban", {"id": "order", "regex": "ORD-([0-9]+)", "group": 1, "method": "hash"}]}}"#,
        )
        .unwrap();
        assert_eq!(policy.scrub.method, Method::Mask);
        assert_eq!(policy.scrub.hash_key, "k");
        assert_eq!(
            policy.scrub.patterns,
            vec![
                PatternEntry::Disable("email".into()),
                PatternEntry::Enable("iban".into()),
                PatternEntry::Custom(CustomPattern {
                    id: "order".into(),
                    regex: "ORD-([0-9]+)".into(),
                    group: 1,
                    method: Some(Method::Hash),
                    text: None,
                }),
            ]
        );
    }

    #[test]
    fn bad_patterns_name_their_member() {
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
        assert_eq!(
            error_of(r#"{"scrub": {"patterns": ["@nope"]}}"#).path,
            "scrub.patterns[0]"
        );
        assert_eq!(
            error_of(r#"{"scrub": {"patterns": [{"regex": "a"}]}}"#).reason,
            "missing member \"id\""
        );
        assert_eq!(
            error_of(r#"{"scrub": {"method": "shred"}}"#).path,
            "scrub.method"
        );
    }

    #[test]
    fn invalid_json_is_an_error_at_the_root() {
        let error = error_of("{");
        assert_eq!(error.path, "");
        assert!(error.reason.starts_with("not valid JSON"));
        assert_eq!(error.to_string(), format!("policy: {}", error.reason));
    }
}
