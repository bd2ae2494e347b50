//! The `params.redact_keys` regex, matched without a regex engine when it
//! is what nearly every policy writes: a list of words, in any case.
//!
//! Span data keys are tested by the dozen per transaction, and regex-lite,
//! linear-time but without literal optimisations, walks each key through its
//! NFA. `(?i)password|token|secret|key|authorization` (the default) means
//! "contains one of these words, in any case"; that is a substring test, a
//! few comparisons per key. Any other regex is kept and run as written.
//!
//! A list of words is recognised without compiling it, so the JS package's
//! first module, which has no regex engine (`left_out::REGEXES`), runs the
//! default and any list of words, `params.extra_keys` included.

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
    /// `params.extra_keys`, where they could not join `matcher`'s words.
    extra: Option<Matcher>,
}

#[derive(Debug, Clone)]
enum Matcher {
    /// An unanchored alternation of plain words: the key contains one.
    Words {
        words: Vec<Word>,
        /// One bit for each pair of bytes a word starts with (in every case
        /// for a word that ignores case; a one-byte word marks every pair it
        /// starts): a key is compared with the words only where one starts.
        starts: Box<[u64; 1024]>,
    },
    Regex(Regex),
}

#[derive(Debug, Clone)]
struct Word {
    /// In lower case when `ignore_case`.
    text: String,
    ignore_case: bool,
}

impl Word {
    fn new(text: String, ignore_case: bool) -> Word {
        let text = if ignore_case {
            text.to_ascii_lowercase()
        } else {
            text
        };
        Word { text, ignore_case }
    }
}

/// The characters `regex_lite::escape` puts a backslash before (what
/// `params.extra_keys` words are written with): escaped, each is itself.
const ESCAPED: &[u8] = b"\\.+*?()|[]{}^$#&-~";

impl KeyPattern {
    /// `params.redact_keys` (`source`) or any of `params.extra_keys` (plain
    /// words, in any case): what the regex `source|(?i:extra…)` matches,
    /// each word escaped. Where both are words, one list of words; else the
    /// two are compiled apart, each once, so that a bad `source` is refused
    /// as written (joined, a trailing `\\` would escape the bar).
    pub(crate) fn new(source: &str, extra_keys: &[String]) -> Result<KeyPattern, String> {
        let extra = (!extra_keys.is_empty()).then(|| {
            let escaped: Vec<String> = extra_keys
                .iter()
                .map(|word| regex_lite::escape(word))
                .collect();
            escaped.join("|")
        });
        let joined = match &extra {
            Some(extra) => format!("{source}|(?i:{extra})"),
            None => source.to_owned(),
        };
        if let Some(words) = word_list(&joined) {
            return Ok(KeyPattern::new_with(words_matcher(words), None));
        }
        // Any other regex is run as written; a bad one is refused with
        // regex-lite's reason, and every one by a build without the engine.
        if !crate::left_out::REGEXES {
            return Err(crate::left_out::refusal_reason("a regex engine"));
        }
        let pattern = |words: &str, regex: &str| match word_list(words) {
            Some(words) => Ok(words_matcher(words)),
            None => crate::pattern::compile_regex(regex).map(Matcher::Regex),
        };
        let own = pattern(source, source)?;
        let extra = extra
            .map(|extra| pattern(&format!("(?i){extra}"), &format!("(?i:{extra})")))
            .transpose()?;
        Ok(KeyPattern::new_with(own, extra))
    }

    fn new_with(matcher: Matcher, extra: Option<Matcher>) -> KeyPattern {
        KeyPattern {
            id: next_owner(),
            matcher,
            extra,
        }
    }

    /// Whether `key` matches (remembered per thread).
    pub(crate) fn is_match(&self, key: &str) -> bool {
        remembered(&MATCHED, self.id, key, |key| {
            self.matcher.is_match(key)
                || self.extra.as_ref().is_some_and(|extra| extra.is_match(key))
        })
    }
}

/// The words of a regex that is only an alternation of plain words, each
/// with whether it ignores case, or `None` for any other regex. The forms:
/// `a|b` or `(?i)a|b`, either followed by `|(?i:c|d)` (what the policy
/// makes of `params.extra_keys`). A word is ASCII, non-empty, made of
/// characters that are not regex syntax or are escaped: `(?i)` then
/// compares ASCII letters without case, as regex-lite does.
fn word_list(source: &str) -> Option<Vec<Word>> {
    let (ignore_case, body) = match source.strip_prefix("(?i)") {
        Some(body) => (true, body),
        None => (false, source),
    };
    let (own, extra) = match body.find("|(?i:") {
        Some(at) => (&body[..at], Some(body[at + 5..].strip_suffix(')')?)),
        None => (body, None),
    };
    let mut words: Vec<Word> = literals(own)?
        .into_iter()
        .map(|word| Word::new(word, ignore_case))
        .collect();
    if let Some(extra) = extra {
        words.extend(
            literals(extra)?
                .into_iter()
                .map(|word| Word::new(word, true)),
        );
    }
    Some(words)
}

/// The words of `a|b|…`, each unescaped; `None` unless every one is a
/// non-empty run of literal ASCII characters.
fn literals(alternation: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut bytes = alternation.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'|' => words.push(std::mem::take(&mut word)),
            b'\\' => match bytes.next() {
                Some(escaped) if ESCAPED.contains(&escaped) => word.push(char::from(escaped)),
                _ => return None,
            },
            b' '..=b'~' if !ESCAPED.contains(&byte) => word.push(char::from(byte)),
            _ => return None,
        }
    }
    words.push(word);
    words.iter().all(|word| !word.is_empty()).then_some(words)
}

fn words_matcher(words: Vec<Word>) -> Matcher {
    let mut starts = Box::new([0u64; 1024]);
    let mut mark = |first: u8, second: u8| {
        let bit = usize::from(first) << 8 | usize::from(second);
        starts[bit >> 6] |= 1 << (bit & 63);
    };
    for word in &words {
        let cases = |byte: u8| {
            if word.ignore_case {
                [byte.to_ascii_lowercase(), byte.to_ascii_uppercase()]
            } else {
                [byte, byte]
            }
        };
        match *word.text.as_bytes() {
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
    Matcher::Words { words, starts }
}

impl Matcher {
    fn is_match(&self, key: &str) -> bool {
        let (words, starts) = match self {
            // Constant false in a build without regexes, which never makes one.
            Matcher::Regex(regex) => return crate::left_out::REGEXES && regex.is_match(key),
            Matcher::Words { words, starts } => (words, starts),
        };
        let key = key.as_bytes();
        (0..key.len()).any(|start| {
            let second = key.get(start + 1).map_or(0, |byte| usize::from(*byte));
            let bit = usize::from(key[start]) << 8 | second;
            starts[bit >> 6] & (1 << (bit & 63)) != 0
                && words.iter().any(|word| {
                    key[start..].get(..word.text.len()).is_some_and(|window| {
                        if word.ignore_case {
                            window.eq_ignore_ascii_case(word.text.as_bytes())
                        } else {
                            window == word.text.as_bytes()
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
            // What the policy makes of `params.extra_keys` (escaped words, without case).
            "(?i)password|token|(?i:iban|x\\-api\\-key|a\\|b)",
            "token|Secret|(?i:card)",
            "(?i)^db\\.|pass(word)?$",
            "\\d{4}",
            "a||b",
            "(?i:x",
        ];
        let keys = [
            "db.password",
            "X-API-KEY",
            "Token",
            "tokenCount",
            "mySecret",
            "mysecret",
            "db.user",
            "passw",
            "http.query",
            "IBAN_no",
            "cardNumber",
            "CARD",
            "x-api-key-header",
            "a|b",
            "pin 1234",
        ];
        for source in &sources[..sources.len() - 1] {
            let pattern = KeyPattern::new(source, &[]).unwrap();
            let regex = Regex::new(source).unwrap();
            for key in keys {
                assert_eq!(
                    pattern.is_match(key),
                    regex.is_match(key),
                    "{source} on {key}"
                );
            }
        }
        let words = |source: &str| {
            matches!(
                KeyPattern::new(source, &[]).unwrap().matcher,
                Matcher::Words { .. }
            )
        };
        assert!(sources[..4].iter().all(|source| words(source)));
        assert!(!sources[4..7].iter().any(|source| words(source)));
        assert!(KeyPattern::new("(", &[]).is_err());
        assert!(KeyPattern::new("(?i:x", &[]).is_err());
    }

    #[test]
    fn extra_keys_match_as_the_joined_regex_does() {
        let extra = |words: &[&str]| {
            words
                .iter()
                .map(|word| word.to_string())
                .collect::<Vec<_>>()
        };
        let cases = [
            ("(?i)password|token", extra(&["iban", "x-api-key", "a|b"])),
            ("(?i)^db\\.|pass(word)?$", extra(&["card", "Ünïcode"])),
            ("token|Secret", extra(&["Ünïcode"])),
            ("\\d{4}", extra(&["pin"])),
        ];
        let keys = [
            "db.password",
            "X-API-KEY",
            "IBAN_no",
            "CARD",
            "a|b",
            "pin 1234",
            "ünïcode",
            "ÜNÏCODE",
            "Ünïcode",
            "user",
        ];
        for (source, words) in &cases {
            let pattern = KeyPattern::new(source, words).unwrap();
            let escaped: Vec<String> = words.iter().map(|word| regex_lite::escape(word)).collect();
            let joined = Regex::new(&format!("{source}|(?i:{})", escaped.join("|"))).unwrap();
            for key in keys {
                assert_eq!(
                    pattern.is_match(key),
                    joined.is_match(key),
                    "{source} + {words:?} on {key}"
                );
            }
        }
        // Words, not a regex, where both parts are words (the first module has no engine).
        let words = KeyPattern::new("(?i)password|token", &extra(&["iban"])).unwrap();
        assert!(matches!(words.matcher, Matcher::Words { .. }));
        // Compiled apart: a bad regex stays bad, whatever the words after it.
        assert!(KeyPattern::new("\\", &extra(&["x"])).is_err());
    }
}
