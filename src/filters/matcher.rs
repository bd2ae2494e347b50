//! The patterns users write in `filters`: plain text, a glob, or a regex.
//!
//! sentry-javascript's `ignoreErrors`/`denyUrls` take strings (matched as
//! substrings) and regexes; JSON has no regex literal, so a regex is a
//! string written `re:…` (regex-lite syntax, flags inline: `re:(?i)timed?
//! out`). Every other string is text: transaction names are routes that
//! start with `/` (`/users/me/`, `/api/pay`), so a `/…/` form would turn
//! routes into regexes. Transaction names are matched by glob
//! (`*/health*`), as Sentry's inbound filters do, unless the pattern is a
//! regex. A string that reads like a JavaScript regex literal with regex
//! syntax in it (`/^chrome-extension:/`) is refused with the `re:` it means.

use regex_lite::Regex;

use crate::pattern::compile_regex;

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
        if let Some(source) = pattern.strip_prefix(REGEX_PREFIX) {
            return compile_regex(source).map(Matcher::Regex).map_err(|reason| {
                format!("{reason} (without the {REGEX_PREFIX:?} prefix the text itself is matched)")
            });
        }
        if let Some(meant) = javascript_regex_literal(pattern) {
            return Err(format!(
                "a string is matched as text, and this one reads like a JavaScript regex: write it {meant:?}"
            ));
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

/// What marks a pattern as a regex.
const REGEX_PREFIX: &str = "re:";

/// `/body/flags` with regex syntax in the body (what a JavaScript user
/// writes for a regex; a route has none of it), as the `re:` pattern it
/// means.
fn javascript_regex_literal(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('/')?;
    let end = rest.rfind('/')?;
    let (body, flags) = (&rest[..end], &rest[end + 1..]);
    let regex_syntax = body.contains(['\\', '(', ')', '[', ']', '|', '^', '$', '+', '{', '}']);
    if body.is_empty() || !regex_syntax || !flags.chars().all(|c| "gimsuyvd".contains(c)) {
        return None;
    }
    let inline: String = flags.chars().filter(|c| "ims".contains(*c)).collect();
    Some(if inline.is_empty() {
        format!("{REGEX_PREFIX}{body}")
    } else {
        format!("{REGEX_PREFIX}(?{inline}){body}")
    })
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
    fn regexes_plain_text_and_globs() {
        let regex = Matcher::parse("re:(?i)time(d )?out", PlainAs::Substring).unwrap();
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
        assert!(Matcher::parse("re:(x", PlainAs::Substring).is_err());
        assert!(Matcher::parse("/", PlainAs::Substring)
            .unwrap()
            .matches("a/b"));
    }

    #[test]
    fn routes_are_text_and_regex_literals_say_how_to_write_them() {
        let route = Matcher::parse("/users/me/", PlainAs::Glob).unwrap();
        assert!(route.matches("/users/me/"));
        assert!(!route.matches("/admin/users/me/"));
        assert!(!route.matches("/users/me/settings"));
        assert!(Matcher::parse("/api/pay", PlainAs::Glob)
            .unwrap()
            .matches("/api/pay"));
        let refused = Matcher::parse("/^chrome-extension:/i", PlainAs::Substring).unwrap_err();
        assert!(
            refused.ends_with(r#"write it "re:(?i)^chrome-extension:""#),
            "{refused}"
        );
    }
}
