//! Secrets inside one string of `key=value` pairs.
//!
//! A query string (`a=1&token=abc`) or a Cookie header (`theme=dark; sessionid=xyz`)
//! is a small key-value map flattened into text. Its keys are checked like
//! any other key, and only the values of secret keys are rewritten, so the
//! rest of the string stays readable.

use super::keys::{KeyRule, KeyRules};

/// How pairs are separated and keys spelled in one kind of string.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PairSyntax {
    /// `a=1&b=2`, keys percent-encoded, `+` for space; a leading `?` is allowed.
    QueryString,
    /// `a=1; b=2`, as in a Cookie header.
    Cookie,
}

/// A value that was replaced, as a range of bytes in the new string (the
/// unit Relay uses for remark ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Replaced {
    pub(crate) rule: KeyRule,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// Rewrites the values of secret keys; `None` when nothing needed to change.
pub(crate) fn scrub_pairs(
    text: &str,
    syntax: PairSyntax,
    keys: &KeyRules,
    replacement: &str,
) -> Option<(String, Vec<Replaced>)> {
    let separator = match syntax {
        PairSyntax::QueryString => '&',
        PairSyntax::Cookie => ';',
    };
    let mut output = String::with_capacity(text.len());
    let mut replaced = Vec::new();
    for (index, part) in text.split(separator).enumerate() {
        if index > 0 {
            output.push(separator);
        }
        let secret = part.split_once('=').and_then(|(key, value)| {
            let rule = keys.classify(&decode_key(key, syntax))?;
            let needs_change = !value.is_empty() && value != replacement;
            needs_change.then_some((key, rule))
        });
        match secret {
            Some((key, rule)) => {
                output.push_str(key);
                output.push('=');
                let start = output.len();
                output.push_str(replacement);
                replaced.push(Replaced {
                    rule,
                    start,
                    end: output.len(),
                });
            }
            None => {
                output.push_str(part);
            }
        }
    }
    (!replaced.is_empty()).then_some((output, replaced))
}

fn decode_key(key: &str, syntax: PairSyntax) -> String {
    match syntax {
        PairSyntax::QueryString => percent_decode(key.strip_prefix('?').unwrap_or(key)),
        PairSyntax::Cookie => key.trim().to_owned(),
    }
}

/// Decodes `%XX` escapes and `+`; invalid escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while position < bytes.len() {
        let byte = bytes[position];
        let escaped = (byte == b'%')
            .then(|| bytes.get(position + 1..position + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (_, Some(value)) => {
                decoded.push(value);
                position += 3;
            }
            (b'+', None) => {
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

    fn keys() -> KeyRules {
        KeyRules::new(&ScrubPolicy::default())
    }

    #[test]
    fn query_values_of_secret_keys_are_replaced() {
        let (text, replaced) = scrub_pairs(
            "?page=2&api%5Ftoken=abc&q=x",
            PairSyntax::QueryString,
            &keys(),
            "[Filtered]",
        )
        .unwrap();
        assert_eq!(text, "?page=2&api%5Ftoken=[Filtered]&q=x");
        assert_eq!(&text[replaced[0].start..replaced[0].end], "[Filtered]");
        assert_eq!(replaced[0].rule, KeyRule::Secret);
    }

    #[test]
    fn cookie_pairs_keep_their_spacing() {
        let (text, replaced) = scrub_pairs(
            "theme=dark; sessionid=xyz; csrftoken=q",
            PairSyntax::Cookie,
            &keys(),
            "[F]",
        )
        .unwrap();
        assert_eq!(text, "theme=dark; sessionid=[F]; csrftoken=[F]");
        assert_eq!(replaced.len(), 2);
        assert_eq!(&text[replaced[1].start..replaced[1].end], "[F]");
    }

    #[test]
    fn nothing_to_do_is_none() {
        assert!(scrub_pairs("a=1&b", PairSyntax::QueryString, &keys(), "[Filtered]").is_none());
        assert!(scrub_pairs(
            "token=[Filtered]",
            PairSyntax::QueryString,
            &keys(),
            "[Filtered]"
        )
        .is_none());
        assert!(scrub_pairs("token=", PairSyntax::QueryString, &keys(), "[Filtered]").is_none());
    }

    #[test]
    fn ranges_count_bytes_of_the_new_string() {
        let (text, replaced) = scrub_pairs(
            "ü=ö&token=1",
            PairSyntax::QueryString,
            &keys(),
            "[Filtered]",
        )
        .unwrap();
        assert_eq!(text, "ü=ö&token=[Filtered]");
        assert_eq!((replaced[0].start, replaced[0].end), (12, 22));
    }
}
