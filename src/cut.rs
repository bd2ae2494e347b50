//! Cutting a string to a size limit, and scrubbing what the cut leaves.
//!
//! Tag values and span data are scrubbed by the walk, then validated and
//! cut to their limits, and some are written anew on the way (an object's
//! JSON text, a flattened key, a parameter promoted to a tag). Whatever is
//! written after the walk is scrubbed again here, under the key it is sent
//! with: what is sent must be what processing it again would send. A cut
//! needs it too: it can leave a word a detector matches that the whole word
//! did not (`ada@example.comgg...` of `ada@example.comggg…_keys`), so the
//! cut text is scrubbed, and cut again if that made it longer.

use serde_json::Value;

use crate::meta::{MetaLog, Remark, RemarkKind, CUT_MARKER, LIMIT_RULE};
use crate::path::Path;
use crate::tree::{EventTree, NodeKind};

/// Scrubs one value as the walk scrubs a value under a key (by the key,
/// then as text) or, without a key, an element of a list, recording
/// remarks at the path given.
pub(crate) type ScrubValue<'s> = dyn FnMut(Option<&str>, &mut Value, &Path<'_>) + 's;

/// Cuts of one value at most: each after the first only when scrubbing the
/// cut text made it longer than the limit again.
const MAX_CUTS: usize = 3;

/// How long a string may be.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limit {
    /// Characters (tag values: Sentry's 200).
    Chars(usize),
    /// UTF-8 bytes (span data: `params.max_value_bytes`).
    Bytes(usize),
}

impl Limit {
    fn holds(self, text: &str) -> bool {
        match self {
            Limit::Chars(max) => text.chars().count() <= max,
            Limit::Bytes(max) => text.len() <= max,
        }
    }

    /// `text` cut to the limit, the cut marker included, on a character boundary.
    fn cut(self, mut text: String) -> String {
        let keep = match self {
            Limit::Chars(max) => text
                .char_indices()
                .nth(max.saturating_sub(CUT_MARKER.len()))
                .map_or(text.len(), |(at, _)| at),
            Limit::Bytes(max) => truncate_utf8(&text, max.saturating_sub(CUT_MARKER.len())).len(),
        };
        text.truncate(keep);
        text.push_str(CUT_MARKER);
        text
    }
}

/// `value` scrubbed as a value under `key` (or as an element of a list).
pub(crate) fn scrubbed(
    scrub: &mut ScrubValue<'_>,
    key: Option<&str>,
    mut value: Value,
    place: &Path<'_>,
) -> Value {
    scrub(key, &mut value, place);
    value
}

/// `text` within `limit`: cut, the cut text scrubbed under `key`, and cut
/// again while that made it too long; the final cut marker gets a `!limit`
/// remark. Text within the limit is returned as it is.
pub(crate) fn cut_scrubbed(
    text: String,
    limit: Limit,
    key: Option<&str>,
    place: &Path<'_>,
    scrub: &mut ScrubValue<'_>,
    log: &mut MetaLog,
) -> Value {
    if limit.holds(&text) {
        return Value::String(text);
    }
    let length = text.chars().count();
    let mut value = Value::String(text);
    for _ in 0..MAX_CUTS {
        let Value::String(text) = value else {
            return value;
        };
        value = scrubbed(scrub, key, Value::String(limit.cut(text)), place);
        if value.as_str().is_none_or(|text| limit.holds(text)) {
            break;
        }
    }
    let Value::String(mut text) = value else {
        return value;
    };
    if !limit.holds(&text) {
        text = limit.cut(text);
    }
    if let Some(start) = text.strip_suffix(CUT_MARKER).map(str::len) {
        log.record(
            place,
            vec![Remark {
                rule_id: LIMIT_RULE.to_owned(),
                kind: RemarkKind::Substituted {
                    start,
                    end: start + CUT_MARKER.len(),
                },
            }],
            Some(length),
        );
    }
    Value::String(text)
}

/// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary.
fn truncate_utf8(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// `limits.max_depth`: a container at `path` as deep as `max_depth` or
/// deeper is removed with a `!limit` remark rather than walked (both walks
/// recurse once per level); true when it was.
#[inline(always)]
pub(crate) fn cut_too_deep<T: EventTree>(
    node: &mut T,
    path: &Path<'_>,
    max_depth: usize,
    log: &mut MetaLog,
) -> bool {
    // The depth first: it is a number at hand, the kind may be a call into the binding's tree.
    let too_deep =
        path.depth() >= max_depth && matches!(node.kind(), NodeKind::Object | NodeKind::Array);
    if too_deep {
        node.set_null();
        log.record(path, vec![Remark::too_deep()], None);
    }
    too_deep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_never_splits_a_character() {
        let text = "aé漢😀".repeat(50);
        for limit in 0..text.len() + 2 {
            let cut = truncate_utf8(&text, limit);
            assert!(cut.len() <= limit);
            assert!(text.starts_with(cut));
            assert!(
                cut.len() + 4 > limit || cut.len() == text.len(),
                "kept as much as fits"
            );
        }
    }

    /// A scrub for the tests: `secret` anywhere becomes `[removed secret text]`.
    fn lengthening(_key: Option<&str>, value: &mut Value, _place: &Path<'_>) {
        if let Value::String(text) = value {
            *text = text.replace("secret", "[removed secret text]");
        }
    }

    #[test]
    fn a_cut_that_leaves_a_secret_is_scrubbed_and_cut_again_within_the_limit() {
        let mut log = MetaLog::default();
        let text = format!("{}secretive stuff", "x".repeat(14));
        let place = Path::root();
        let cut = cut_scrubbed(
            text,
            Limit::Chars(23),
            Some("k"),
            &place,
            &mut lengthening,
            &mut log,
        );
        let cut = cut.as_str().unwrap_or_default();
        assert!(cut.chars().count() <= 23, "{cut}");
        assert_eq!(cut, format!("{}[remov...", "x".repeat(14)));
        let within = cut_scrubbed(
            "short".into(),
            Limit::Bytes(10),
            None,
            &place,
            &mut lengthening,
            &mut log,
        );
        assert_eq!(
            within,
            Value::from("short"),
            "text within the limit is not scrubbed again"
        );
    }
}
