//! The patterns users write in `filters`: plain text, a glob, or a regex.
//!
//! sentry-javascript's `ignoreErrors`/`denyUrls` take strings (matched as
//! substrings) and regexes; JSON has no regex literal, so a string written
//! `/…/flags` is a regex (flags `i`, `m`, `s`, as JavaScript spells them).
//! Transaction names are matched by glob (`*/health*`), as Sentry's inbound
//! filters do, unless the pattern is a regex.

use regex_lite::Regex;

use crate::policy::compile_regex;

/// One pattern of a filter list, compiled once when the policy loads.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// Matches when the text contains this.
    Substring(String),
    /// Matches the whole text; `*` is any run of characters, `?` one character.
    Glob(Vec<char>),
    Regex(Regex),
}

/// How a plain (non-regex) pattern is read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PlainAs {
    Substring,
    Glob,
}

impl Matcher {
    /// Reads one pattern; the error is the reason for a `PolicyError`.
    pub(crate) fn parse(pattern: &str, plain: PlainAs) -> Result<Matcher, String> {
        if let Some((body, flags)) = regex_literal(pattern) {
            let mut prefix = String::new();
            for flag in flags.chars() {
                match flag {
                    'i' | 'm' | 's' => prefix.push(flag),
                    'g' | 'u' | 'y' | 'd' | 'v' => {}
                    other => return Err(format!("unknown regex flag {other:?}")),
                }
            }
            let source = if prefix.is_empty() {
                body.to_owned()
            } else {
                format!("(?{prefix}){body}")
            };
            return compile_regex(&source).map(Matcher::Regex);
        }
        Ok(match plain {
            PlainAs::Substring => Matcher::Substring(pattern.to_owned()),
            PlainAs::Glob => Matcher::Glob(pattern.chars().collect()),
        })
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Substring(needle) => text.contains(needle.as_str()),
            Matcher::Glob(pattern) => wildcard_match(pattern, text),
            Matcher::Regex(regex) => regex.is_match(text),
        }
    }

    /// Whether a plain pattern equals `text` (exception type names are
    /// compared whole, not as substrings); regexes test as usual.
    pub(crate) fn names(&self, text: &str) -> bool {
        match self {
            Matcher::Substring(name) => name == text,
            other => other.matches(text),
        }
    }
}

/// `/body/flags` → (body, flags).
fn regex_literal(pattern: &str) -> Option<(&str, &str)> {
    let rest = pattern.strip_prefix('/')?;
    let end = rest.rfind('/')?;
    let (body, flags) = (&rest[..end], &rest[end + 1..]);
    (!body.is_empty() && flags.chars().all(|c| c.is_ascii_alphabetic())).then_some((body, flags))
}

/// `*` and `?` matching without a regex (sampling decides in well under a
/// microsecond): the classic greedy match that backtracks to the last `*`,
/// walking the text in place (`t` is a byte offset at a character boundary).
fn wildcard_match(pattern: &[char], text: &str) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(current) = text[t..].chars().next() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '?' || *c == current => {
                p += 1;
                t += current.len_utf8();
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    let skipped = text[star_t..].chars().next().map_or(1, char::len_utf8);
                    p = star_p + 1;
                    t = star_t + skipped;
                    star = Some((star_p, t));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_literals_plain_text_and_globs() {
        let regex = Matcher::parse("/time(d )?out/i", PlainAs::Substring).unwrap();
        assert!(regex.matches("Read TIMEOUT"));
        let plain = Matcher::parse("Disconnect", PlainAs::Substring).unwrap();
        assert!(plain.matches("ClientDisconnect: gone"));
        assert!(!plain.names("ClientDisconnect"));
        let glob = Matcher::parse("*/health*", PlainAs::Glob).unwrap();
        assert!(glob.matches("GET /api/healthz"));
        assert!(!glob.matches("/api/users"));
        let unicode = Matcher::parse("/café/?/*é", PlainAs::Glob).unwrap();
        assert!(unicode.matches("/café/ü/crème brûlé"));
        assert!(!unicode.matches("/café/üü/crème"));
        assert!(Matcher::parse("/x/q", PlainAs::Substring).is_err());
        assert!(Matcher::parse("/(x/", PlainAs::Substring).is_err());
        assert!(Matcher::parse("/", PlainAs::Substring)
            .unwrap()
            .matches("a/b"));
    }
}
