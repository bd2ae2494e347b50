//! The `params` section: which call parameters and span data keys are
//! redacted. The key regex is compiled by `crate::params`.

use super::reader::Member;
use super::PolicyError;

/// The `params` section: call parameters and span data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsPolicy {
    /// `false` leaves span data and descriptions as the SDK made them.
    pub enabled: bool,
    /// Span data / attribute keys whose values are replaced (a regex).
    pub redact_keys: String,
    /// More such keys as plain words, in any case: what `redact_keys|(?i:…)`
    /// would match with each word escaped.
    pub extra_keys: Vec<String>,
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
            extra_keys: Vec::new(),
            max_value_bytes: 1024,
            tag_params: Vec::new(),
            scrub_descriptions: true,
        }
    }
}

pub(super) fn read_params(member: &Member<'_>) -> Result<ParamsPolicy, PolicyError> {
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
        params.redact_keys = keys.non_empty_string()?.to_owned();
    }
    if let Some(extra) = section.get("extra_keys") {
        params.extra_keys = extra.strings()?;
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
