//! How Relay reads the raw forms SDKs send, without changing them here.
//!
//! Relay parses a query string or a Cookie header into pairs and scrubs
//! each value under its name (`request.query_string.token`), and it reads a
//! top-level `message` as the event's log entry. preflight scrubs an event
//! before Relay has normalised it, so it reads these forms the same way; a
//! string is replaced by its pairs only when a rule changed one of them —
//! the form Relay would have stored anyway.

use serde_json::Value;

use crate::scrub::percent_decode;

/// `a=1&b=x+y`: pairs as `form_urlencoded` yields them (empty parts skipped,
/// a missing `=` gives an empty value, `+` is a space).
pub(crate) fn query_pairs(text: &str) -> Value {
    let text = text.strip_prefix('?').unwrap_or(text);
    let pairs = text
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            pair(percent_decode(key, true), percent_decode(value, true))
        })
        .collect();
    Value::Array(pairs)
}

/// `a=1; b=2`: the cookies Relay keeps (a part without a name, or without
/// `=`, is invalid and left out, as Relay leaves it out).
pub(crate) fn cookie_pairs(text: &str) -> Value {
    let pairs = text
        .split(';')
        .filter(|part| !part.trim().is_empty())
        .filter_map(|part| {
            let (name, value) = part.split_once('=')?;
            let name = name.trim();
            (!name.is_empty()).then(|| {
                pair(
                    percent_decode(name, false),
                    percent_decode(value.trim(), false),
                )
            })
        })
        .collect();
    Value::Array(pairs)
}

fn pair(key: String, value: String) -> Value {
    Value::Array(vec![Value::String(key), Value::String(value)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn query_strings_split_as_relay_splits_them() {
        assert_eq!(
            query_pairs("?a=1&b=%20x+y&c&&=v&d=%ZZ"),
            json!([
                ["a", "1"],
                ["b", " x y"],
                ["c", ""],
                ["", "v"],
                ["d", "%ZZ"]
            ])
        );
    }

    #[test]
    fn invalid_cookies_are_left_out() {
        assert_eq!(
            cookie_pairs("a=1; b = 2 ;c; =x; d=%41+"),
            json!([["a", "1"], ["b", "2"], ["d", "A+"]])
        );
    }
}
