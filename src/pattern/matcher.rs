//! The patterns users write in `filters`: plain text, a glob, or a regex.
//!
//! sentry-javascript's `ignoreErrors`/`denyUrls` take strings (matched as
//! substrings) and regexes; JSON has no regex literal, so a regex is a
//! string written `re:…` (regex-lite syntax, flags inline: `re:(?i)timed?
//! out`). Every other string is text: transaction names are routes that
//! start with `/` (`/users/me/`, `/api/pay`), so a `/…/` form would turn
//! routes into regexes. Transaction names (and sampling's fields) are
//! matched by glob, as Sentry's inbound filters and Relay's sampling
//! conditions match them: Sentry's glob grammar (`*/health*`,
//! `GET /api/{health,ready}*`, `[…]`; [`Glob`]) without regard to ASCII case,
//! and never on an empty text. A malformed glob is refused when the policy
//! loads (Relay matches nothing with it, silently). Log lines and loggers
//! keep `*` and `?` only, in their case (Relay has no such filter, and log
//! lines are full of brackets). A string that reads like a JavaScript regex
//! literal with regex syntax in it (`/^chrome-extension:/`) is refused with
//! the `re:` it means.

use regex_lite::Regex;

use super::{compile_regex, Glob, GlobOptions};

/// One pattern of a filter list, compiled once when the policy loads.
#[derive(Debug, Clone)]
pub(crate) enum Matcher {
    /// Matches when the text contains this.
    Substring(String),
    /// Matches the whole text, a Sentry glob.
    Glob(Glob),
    /// Matches the whole text: `*` any run, `?` one character, every other
    /// character itself, in its case.
    Wildcards(Vec<char>),
    Regex(Regex),
}

/// How a plain (non-regex) pattern is read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PlainAs {
    Substring,
    Glob,
    /// `*` and `?` only: log lines and their templates are full of `[…]`
    /// and `{}`, which Sentry's grammar would read as classes and alternatives.
    Wildcards,
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
            PlainAs::Wildcards => Matcher::Wildcards(pattern.chars().collect()),
            PlainAs::Glob => Matcher::Glob(Glob::new(pattern, SENTRYS_FILTERS).ok_or_else(|| {
                "not a glob: a \"[\" or \"{\" without its closing bracket, or a \"\\\" at the end (a backslash makes the next character itself: \"\\[\")".to_owned()
            })?),
        })
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Substring(needle) => text.contains(needle.as_str()),
            Matcher::Glob(glob) => !text.is_empty() && glob.is_match(text),
            Matcher::Wildcards(pattern) => super::glob::wildcard_match(pattern, text, false),
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

/// How Relay's `GlobPatterns` (inbound filters, sampling's `glob`) read a glob.
const SENTRYS_FILTERS: GlobOptions = GlobOptions {
    double_star: false,
    case_insensitive: true,
    path_normalize: false,
};

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
    fn globs_are_sentrys_as_relays_filters_read_them() {
        let glob = |pattern: &str| Matcher::parse(pattern, PlainAs::Glob).unwrap();
        // Without regard to ASCII case, with classes and alternatives.
        assert!(glob("*/Health*").matches("GET /api/healthz"));
        assert!(glob("GET /api/{health,ready}*").matches("get /api/readyz"));
        assert!(!glob("GET /api/{health,ready}*").matches("GET /api/users"));
        assert!(glob("/v[0-9]/*").matches("/v2/users"));
        assert!(!glob("/v[!0-9]/*").matches("/v2/users"));
        assert!(glob(r"/users/\{id\}").matches("/users/{id}"));
        // An empty name matches no glob, not even `*` (Relay's GlobPatterns).
        assert!(!glob("*").matches(""));
        for malformed in ["/a[b", "{a,b", "a\\"] {
            let refused = Matcher::parse(malformed, PlainAs::Glob).unwrap_err();
            assert!(refused.starts_with("not a glob"), "{malformed}: {refused}");
        }
        // Log lines keep `*` and `?` only, in their case: brackets and braces are themselves.
        let line = Matcher::parse("[worker] heartbeat*", PlainAs::Wildcards).unwrap();
        assert!(line.matches("[worker] heartbeat 1"));
        assert!(!line.matches("[WORKER] heartbeat 1"));
        assert!(Matcher::parse("Processing {} items", PlainAs::Wildcards)
            .unwrap()
            .matches("Processing {} items"));
        // Text and regexes are not globs: a bracket there is itself.
        assert!(Matcher::parse("a[b", PlainAs::Substring)
            .unwrap()
            .matches("xa[by"));
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
