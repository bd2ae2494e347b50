//! The `params.redact_keys` regex, matched without a regex engine when it
//! is what nearly every policy writes: a list of words, in any case.
//!
//! Span data keys are tested by the dozen per transaction, and regex-lite,
//! linear-time but without literal optimisations, walks each key through its
//! NFA. `(?i)password|token|secret|key|authorization` (the default) means
//! "contains one of these words, in any case"; that is a substring test, a
//! few comparisons per key. Any other regex is kept and run as written.

use regex_lite::Regex;

#[derive(Debug, Clone)]
pub(crate) enum KeyPattern {
    /// An unanchored alternation of plain words: the key contains one.
    Words {
        /// In lower case when `ignore_case`.
        words: Vec<String>,
        ignore_case: bool,
    },
    Regex(Regex),
}

impl KeyPattern {
    pub(crate) fn new(source: &str) -> Result<KeyPattern, String> {
        // Compiled either way, so a bad regex is rejected with regex-lite's reason.
        let regex = crate::policy::compile_regex(source)?;
        let (ignore_case, body) = match source.strip_prefix("(?i)") {
            Some(body) => (true, body),
            None => (false, source),
        };
        let plain = |word: &str| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        };
        let words: Vec<&str> = body.split('|').collect();
        if !words.iter().all(|word| plain(word)) {
            return Ok(KeyPattern::Regex(regex));
        }
        let words = words
            .iter()
            .map(|word| {
                if ignore_case {
                    word.to_ascii_lowercase()
                } else {
                    (*word).to_owned()
                }
            })
            .collect();
        Ok(KeyPattern::Words { words, ignore_case })
    }

    pub(crate) fn is_match(&self, key: &str) -> bool {
        match self {
            KeyPattern::Regex(regex) => regex.is_match(key),
            KeyPattern::Words {
                words,
                ignore_case: false,
            } => words.iter().any(|word| key.contains(word.as_str())),
            KeyPattern::Words {
                words,
                ignore_case: true,
            } => {
                let key = key.as_bytes();
                words.iter().any(|word| {
                    let word = word.as_bytes();
                    key.len() >= word.len()
                        && key
                            .windows(word.len())
                            .any(|window| window.eq_ignore_ascii_case(word))
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_match_as_the_regex_does() {
        let sources = [
            "(?i)password|token|secret|key|authorization",
            "token|Secret",
            "(?i)^db\\.|pass(word)?$",
        ];
        let keys = [
            "db.password",
            "X-API-KEY",
            "Token",
            "tokenCount",
            "mySecret",
            "db.user",
            "passw",
            "http.query",
        ];
        for source in sources {
            let pattern = KeyPattern::new(source).unwrap();
            let regex = Regex::new(source).unwrap();
            for key in keys {
                assert_eq!(
                    pattern.is_match(key),
                    regex.is_match(key),
                    "{source} on {key}"
                );
            }
        }
        assert!(matches!(
            KeyPattern::new(sources[0]).unwrap(),
            KeyPattern::Words { .. }
        ));
        assert!(matches!(
            KeyPattern::new(sources[2]).unwrap(),
            KeyPattern::Regex(_)
        ));
        assert!(KeyPattern::new("(").is_err());
    }
}
