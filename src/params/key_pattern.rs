//! The `params.redact_keys` regex, matched without a regex engine when it
//! is what nearly every policy writes: a list of words, in any case.
//!
//! Span data keys are tested by the dozen per transaction, and regex-lite,
//! linear-time but without literal optimisations, walks each key through its
//! NFA. `(?i)password|token|secret|key|authorization` (the default) means
//! "contains one of these words, in any case"; that is a substring test, a
//! few comparisons per key. Any other regex is kept and run as written.

use std::cell::RefCell;

use regex_lite::Regex;

use crate::key_memo::{next_owner, remembered, KeyMemo};

thread_local! {
    /// Answers for every `KeyPattern` (span data repeats its keys from span
    /// to span: see `crate::key_memo`).
    static MATCHED: RefCell<KeyMemo<bool>> = const { RefCell::new(KeyMemo::new()) };
}

#[derive(Debug, Clone)]
pub(crate) struct KeyPattern {
    /// This pattern's number in the per-thread cache.
    id: u64,
    matcher: Matcher,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// An unanchored alternation of plain words: the key contains one.
    Words {
        /// In lower case when `ignore_case`.
        words: Vec<String>,
        ignore_case: bool,
        /// One bit for each pair of bytes a word starts with (in every case
        /// when `ignore_case`; a one-byte word marks every pair it starts):
        /// a key is compared with the words only where one starts.
        starts: Box<[u64; 1024]>,
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
            return Ok(KeyPattern::new_with(Matcher::Regex(regex)));
        }
        let words: Vec<String> = words
            .iter()
            .map(|word| {
                if ignore_case {
                    word.to_ascii_lowercase()
                } else {
                    (*word).to_owned()
                }
            })
            .collect();
        let mut starts = Box::new([0u64; 1024]);
        let mut mark = |first: u8, second: u8| {
            let bit = usize::from(first) << 8 | usize::from(second);
            starts[bit >> 6] |= 1 << (bit & 63);
        };
        let cases = |byte: u8| {
            if ignore_case {
                [byte.to_ascii_lowercase(), byte.to_ascii_uppercase()]
            } else {
                [byte, byte]
            }
        };
        for word in &words {
            match *word.as_bytes() {
                [only] => {
                    for first in cases(only) {
                        (0..=u8::MAX).for_each(|second| mark(first, second));
                    }
                }
                [first, second, ..] => {
                    for first in cases(first) {
                        for second in cases(second) {
                            mark(first, second);
                        }
                    }
                }
                [] => {}
            }
        }
        Ok(KeyPattern::new_with(Matcher::Words {
            words,
            ignore_case,
            starts,
        }))
    }

    fn new_with(matcher: Matcher) -> KeyPattern {
        KeyPattern {
            id: next_owner(),
            matcher,
        }
    }

    /// Whether `key` matches (remembered per thread).
    pub(crate) fn is_match(&self, key: &str) -> bool {
        remembered(&MATCHED, self.id, key, |key| self.matcher.is_match(key))
    }
}

impl Matcher {
    fn is_match(&self, key: &str) -> bool {
        let (words, ignore_case, starts) = match self {
            Matcher::Regex(regex) => return regex.is_match(key),
            Matcher::Words {
                words,
                ignore_case,
                starts,
            } => (words, *ignore_case, starts),
        };
        let key = key.as_bytes();
        (0..key.len()).any(|start| {
            let second = key.get(start + 1).map_or(0, |byte| usize::from(*byte));
            let bit = usize::from(key[start]) << 8 | second;
            starts[bit >> 6] & (1 << (bit & 63)) != 0
                && words.iter().any(|word| {
                    key[start..].get(..word.len()).is_some_and(|window| {
                        if ignore_case {
                            window.eq_ignore_ascii_case(word.as_bytes())
                        } else {
                            window == word.as_bytes()
                        }
                    })
                })
        })
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
            KeyPattern::new(sources[0]).unwrap().matcher,
            Matcher::Words { .. }
        ));
        assert!(matches!(
            KeyPattern::new(sources[2]).unwrap().matcher,
            Matcher::Regex(_)
        ));
        assert!(KeyPattern::new("(").is_err());
    }
}
