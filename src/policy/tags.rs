//! The `tags` section: the bounds a tag must keep, and what becomes of one
//! that breaks them (`crate::tags`).

use super::reader::Member;
use super::PolicyError;

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

pub(super) fn read_tags(member: &Member<'_>) -> Result<TagsPolicy, PolicyError> {
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
