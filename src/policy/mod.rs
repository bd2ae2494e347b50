//! The one contract between users and the core: the JSON policy.
//!
//! The same document drives the Rust crate, the Python wheel and the npm
//! package, so it is read in exactly one place: here, as data. Reading
//! checks the document's shape completely: an unknown member, a wrong type or
//! an out-of-range number is a [`PolicyError`] naming the JSON path, never a
//! surprise at event time. `{}` is a valid policy and means "the defaults".
//!
//! What a section's rules mean (a regex, a glob, a fingerprint rule, a
//! built-in family's name, Relay's rules) is for the capability that runs
//! them: each compiles its own section in [`Preflight::new`](crate::Preflight::new),
//! the one place a policy is compiled, and reports a bad rule there with its
//! path. So this module imports no capability, and nothing is compiled twice.
//!
//! One file per section, its types beside its reader; `reader` is the cursor
//! that carries each member's path, and `error` the error they all report.

pub(crate) mod error;
mod filters;
mod fingerprint;
mod limits;
mod params;
mod reader;
mod sampling;
mod scrub;
mod tags;
mod time;

use serde_json::Value;

use reader::Member;

pub use error::PolicyError;
pub use filters::{FiltersPolicy, LogFiltersPolicy, LOG_LEVELS};
pub use fingerprint::FingerprintPolicy;
pub use limits::Limits;
pub use params::{ParamsPolicy, DEFAULT_PARAM_KEYS};
pub use sampling::{
    Budget, Comparison, Condition, ErrorSamplingPolicy, ErrorSamplingRule, SampleValue,
    SamplingPolicy, SamplingRule, TimeRange,
};
pub use scrub::{CustomPattern, DataScrubbing, KeyMatch, Method, PatternEntry, ScrubPolicy};
pub use tags::{InvalidTags, TagsPolicy};

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

/// What happens to an event the core could not process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Drop the event: never send what could not be scrubbed.
    Drop,
    /// Send the event as it is.
    Pass,
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

/// The default policy written out in full: every member `{}` implies, for
/// users to start from (`sentry_preflight.default_policy()`, `python -m
/// sentry_preflight defaults`). A test checks that it reads back as
/// `Policy::default()`.
pub const DEFAULT_POLICY_JSON: &str = include_str!("defaults.json");

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
            policy.scrub = scrub::read_scrub(&scrub)?;
        }
        if let Some(filters) = root.get("filters") {
            policy.filters = filters::read_filters(&filters)?;
        }
        if let Some(fingerprint) = root.get("fingerprint") {
            policy.fingerprint = fingerprint::read_fingerprint(&fingerprint)?;
        }
        if let Some(tags) = root.get("tags") {
            policy.tags = tags::read_tags(&tags)?;
        }
        if let Some(params) = root.get("params") {
            policy.params = params::read_params(&params)?;
        }
        if let Some(sampling) = root.get("sampling") {
            policy.sampling = sampling::read_sampling(&sampling)?;
        }
        if let Some(limits) = root.get("limits") {
            policy.limits = limits::read_limits(&limits)?;
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
        // What the regex and the family mean is checked when the detectors
        // compile (`scrub::detect`); reading checks the entries' shape.
        assert_eq!(
            error_of(r#"{"scrub": {"patterns": [{"regex": "a"}]}}"#).reason,
            "missing member \"id\""
        );
        assert_eq!(
            error_of(r#"{"scrub": {"method": "shred"}}"#).path,
            "scrub.method"
        );
        let error = error_of(r#"{"scrub": {"patterns": ["@iban", "!email"]}}"#);
        assert_eq!(error.path, "scrub.patterns[1]");
        assert!(
            error
                .reason
                .starts_with(r#"a built-in pattern is written "@name""#),
            "{}",
            error.reason
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
