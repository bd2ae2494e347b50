//! Secrets inside one string of `key=value` pairs.
//!
//! A query string (`a=1&token=abc`) or a Cookie header (`theme=dark; sessionid=xyz`)
//! is a small key-value map flattened into text. Its keys are checked like
//! any other key, and only the values of secret keys are reported, so the
//! rest of the string stays readable.

use super::keys::KeyRules;
use super::redact::{Redaction, Span};

/// How pairs are separated and keys spelled in one kind of string.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PairSyntax {
    /// `a=1&b=2`, keys percent-encoded, `+` for space; a leading `?` is allowed.
    QueryString,
    /// `a=1; b=2`, as in a Cookie header.
    Cookie,
}

/// The values of secret keys, as byte ranges of `text`.
pub(crate) fn secret_values<'a>(
    text: &str,
    syntax: PairSyntax,
    keys: &KeyRules,
    redaction: &'a Redaction,
) -> Vec<Span<'a>> {
    let separator = match syntax {
        PairSyntax::QueryString => '&',
        PairSyntax::Cookie => ';',
    };
    let mut spans = Vec::new();
    let mut offset = 0;
    for part in text.split(separator) {
        if let Some((key, value)) = part.split_once('=') {
            let needs_change = !value.is_empty() && !redaction.already_applied(value);
            if let (true, Some(rule)) = (needs_change, keys.classify(&decode_key(key, syntax))) {
                let start = offset + key.len() + 1;
                spans.push(Span {
                    start,
                    end: start + value.len(),
                    rule_id: rule.rule_id(),
                    redaction,
                });
            }
        }
        offset += part.len() + separator.len_utf8();
    }
    spans
}

fn decode_key(key: &str, syntax: PairSyntax) -> String {
    match syntax {
        PairSyntax::QueryString => percent_decode(key.strip_prefix('?').unwrap_or(key), true),
        PairSyntax::Cookie => key.trim().to_owned(),
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`, as in
/// query strings); invalid escapes are kept as written.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        let escaped = (byte == b'%')
            .then(|| bytes.get(position + 1..position + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (_, Some(value)) => {
                decoded.push(value);
                position += 3;
            }
            (b'+', None) if plus_is_space => {
                decoded.push(b' ');
                position += 1;
            }
            (other, None) => {
                decoded.push(other);
                position += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ScrubPolicy;

    fn values(text: &str, syntax: PairSyntax) -> Vec<&str> {
        let keys = KeyRules::new(&ScrubPolicy::default());
        secret_values(
            text,
            syntax,
            &keys,
            &Redaction::Replace("[Filtered]".into()),
        )
        .iter()
        .map(|span| &text[span.start..span.end])
        .collect()
    }

    #[test]
    fn query_values_of_secret_keys_are_found() {
        assert_eq!(
            values("?page=2&api%5Ftoken=abc&q=x", PairSyntax::QueryString),
            vec!["abc"]
        );
        assert_eq!(values("ü=ö&token=1", PairSyntax::QueryString), vec!["1"]);
    }

    #[test]
    fn cookie_pairs_are_split_on_semicolons() {
        assert_eq!(
            values("theme=dark; sessionid=xyz; csrftoken=q", PairSyntax::Cookie),
            vec!["xyz", "q"]
        );
    }

    #[test]
    fn empty_and_already_replaced_values_are_left_alone() {
        assert!(values("a=1&b", PairSyntax::QueryString).is_empty());
        assert!(values("token=[Filtered]", PairSyntax::QueryString).is_empty());
        assert!(values("token=", PairSyntax::QueryString).is_empty());
    }
}
