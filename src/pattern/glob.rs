//! Sentry's globs, as Relay's `glob_match` reads them.
//!
//! `*` is any run of characters (with `double_star`, any run without `/`,
//! and `**` crosses `/`), `?` one character, `[…]` a class (`[!…]`
//! negated), `{a,b}` alternatives, and a backslash makes the next character
//! literal (`\*`). Path matching compares `\` as `/`. The glob becomes a
//! regex-lite regex once, when the policy loads, unless it is text with
//! open ends or only `*` and `?` (most globs users write), which are
//! matched directly: sampling decides in well under a microsecond, and
//! fingerprint rules run on every frame.

use regex_lite::Regex;

/// How a glob is matched.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct GlobOptions {
    pub(crate) double_star: bool,
    pub(crate) case_insensitive: bool,
    pub(crate) path_normalize: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Glob {
    test: Test,
    path_normalize: bool,
}

/// Most globs are text with a `*` at one end or both, or text with `*` and
/// `?` inside: those are compared directly, the rest go through a regex.
/// Case-insensitivity is ASCII-only, as Relay's is.
#[derive(Debug, Clone)]
enum Test {
    Literal {
        text: String,
        /// A `*` (or `**`) before the text: anything may precede it.
        open_start: Open,
        open_end: Open,
        case_insensitive: bool,
    },
    /// Only `*` (any run) and `?` (one character), without `double_star`.
    Wildcards {
        pattern: Vec<char>,
        case_insensitive: bool,
    },
    Regex(Regex),
}

/// What an open end of a literal glob lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Closed,
    /// Anything (`*`, or `**` with `double_star`).
    Anything,
    /// Anything without a `/` (`*` with `double_star`).
    OneSegment,
    /// Nothing, or anything ending in `/` (a leading `**/` with `double_star`).
    Directories,
}

impl Glob {
    /// Compiles a glob; `None` when it is malformed (Relay then matches nothing).
    pub(crate) fn new(pattern: &str, options: GlobOptions) -> Option<Glob> {
        let pattern = if options.path_normalize {
            pattern.replace('\\', "/")
        } else {
            pattern.to_owned()
        };
        let test = match literal(&pattern, options).or_else(|| wildcards(&pattern, options)) {
            Some(test) => test,
            None => Test::Regex(super::compile_regex(&regex_source(&pattern, options)?).ok()?),
        };
        Some(Glob {
            test,
            path_normalize: options.path_normalize,
        })
    }

    pub(crate) fn is_match(&self, value: &str) -> bool {
        if self.path_normalize && value.contains('\\') {
            self.test.is_match(&value.replace('\\', "/"))
        } else {
            self.test.is_match(value)
        }
    }
}

impl Test {
    fn is_match(&self, value: &str) -> bool {
        match self {
            Test::Regex(regex) => regex.is_match(value),
            Test::Wildcards {
                pattern,
                case_insensitive,
            } => wildcard_match(pattern, value, *case_insensitive),
            Test::Literal {
                text,
                open_start,
                open_end,
                case_insensitive,
            } => {
                let (value, text) = (value.as_bytes(), text.as_bytes());
                let fits = |start: usize| {
                    let end = start + text.len();
                    let same = if *case_insensitive {
                        value[start..end].eq_ignore_ascii_case(text)
                    } else {
                        &value[start..end] == text
                    };
                    same && open_allows(*open_start, &value[..start], true)
                        && open_allows(*open_end, &value[end..], false)
                };
                match (value.len().checked_sub(text.len()), open_start) {
                    (None, _) => false,
                    (Some(_), Open::Closed) => fits(0),
                    (Some(last), _) => (0..=last).any(fits),
                }
            }
        }
    }
}

/// Whether the part of the value outside the literal fits the open end.
fn open_allows(open: Open, outside: &[u8], before: bool) -> bool {
    match open {
        Open::Closed => outside.is_empty(),
        Open::Anything => true,
        Open::OneSegment => !outside.contains(&b'/'),
        Open::Directories => outside.is_empty() || (before && outside.ends_with(b"/")),
    }
}

/// The glob as a literal with open ends, when it is one.
fn literal(pattern: &str, options: GlobOptions) -> Option<Test> {
    let (open_start, rest) = if options.double_star {
        if let Some(rest) = pattern.strip_prefix("**/") {
            (Open::Directories, rest)
        } else if let Some(rest) = pattern.strip_prefix("**") {
            (Open::Anything, rest)
        } else if let Some(rest) = pattern.strip_prefix('*') {
            (Open::OneSegment, rest)
        } else {
            (Open::Closed, pattern)
        }
    } else {
        let rest = pattern.trim_start_matches('*');
        let open = if rest.len() < pattern.len() {
            Open::Anything
        } else {
            Open::Closed
        };
        (open, rest)
    };
    let (open_end, text) = if options.double_star {
        if let Some(text) = rest.strip_suffix("**") {
            (Open::Anything, text)
        } else if let Some(text) = rest.strip_suffix('*') {
            (Open::OneSegment, text)
        } else {
            (Open::Closed, rest)
        }
    } else {
        let text = rest.trim_end_matches('*');
        let open = if text.len() < rest.len() {
            Open::Anything
        } else {
            Open::Closed
        };
        (open, text)
    };
    let plain = !text.is_empty() && !text.contains(['*', '?', '[', ']', '{', '}', '\\']);
    plain.then(|| Test::Literal {
        text: text.to_owned(),
        open_start,
        open_end,
        case_insensitive: options.case_insensitive,
    })
}

/// The glob as `*` and `?` only, when it is that.
fn wildcards(pattern: &str, options: GlobOptions) -> Option<Test> {
    let plain = !options.double_star && !pattern.contains(['[', ']', '{', '}', '\\']);
    plain.then(|| Test::Wildcards {
        pattern: pattern.chars().collect(),
        case_insensitive: options.case_insensitive,
    })
}

/// `*` and `?` matching without a regex: the classic greedy match that
/// backtracks to the last `*`, walking the text in place (`t` is a byte
/// offset at a character boundary).
pub(super) fn wildcard_match(pattern: &[char], text: &str, case_insensitive: bool) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(current) = text[t..].chars().next() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(c)
                if *c == '?'
                    || *c == current
                    || (case_insensitive && c.eq_ignore_ascii_case(&current)) =>
            {
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

/// The regex a glob means, anchored at both ends; `None` when it is malformed.
fn regex_source(pattern: &str, options: GlobOptions) -> Option<String> {
    let mut regex = String::from(if options.case_insensitive {
        "(?is)^"
    } else {
        "(?s)^"
    });
    translate(pattern, options.double_star, &mut regex)?;
    regex.push('$');
    Some(regex)
}

fn translate(pattern: &str, double_star: bool, out: &mut String) -> Option<()> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut index = 0;
    let mut in_alternatives = 0usize;
    while index < chars.len() {
        let c = chars[index];
        match c {
            '\\' => {
                index += 1;
                let escaped = *chars.get(index)?;
                out.push_str(&regex_lite::escape(&escaped.to_string()));
            }
            '*' if double_star && chars.get(index + 1) == Some(&'*') => {
                index += 1;
                if chars.get(index + 1) == Some(&'/') {
                    index += 1;
                    out.push_str("(?:.*/)?");
                } else {
                    out.push_str(".*");
                }
            }
            '*' => out.push_str(if double_star { "[^/]*" } else { ".*" }),
            '?' => out.push_str(if double_star { "[^/]" } else { "." }),
            '[' => {
                let close = (index + 2..chars.len()).find(|&i| chars[i] == ']')?;
                let mut class: String = chars[index + 1..close].iter().collect();
                if let Some(rest) = class.strip_prefix('!') {
                    class = format!("^{rest}");
                }
                out.push('[');
                out.push_str(&class.replace('[', "\\["));
                out.push(']');
                index = close;
            }
            '{' => {
                in_alternatives += 1;
                out.push_str("(?:");
            }
            '}' if in_alternatives > 0 => {
                in_alternatives -= 1;
                out.push(')');
            }
            ',' if in_alternatives > 0 => out.push('|'),
            other => out.push_str(&regex_lite::escape(&other.to_string())),
        }
        index += 1;
    }
    (in_alternatives == 0).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(value: &str, pattern: &str, options: GlobOptions) -> bool {
        Glob::new(pattern, options).is_some_and(|glob| glob.is_match(value))
    }

    #[test]
    fn literal_globs_agree_with_their_regex() {
        let patterns = [
            "*.py",
            "**/jobs/job.py",
            "**.py",
            "eu-*",
            "*stuff*",
            "exact",
            "a/b*",
            "*/c",
        ];
        let values = [
            "x.py",
            "a/x.py",
            "jobs/job.py",
            "/srv/jobs/job.py",
            "xjobs/job.py",
            "eu-west",
            "EU-west",
            "my-stuff-x",
            "exact",
            "EXACT",
            "a/b",
            "a/bc/d",
            "a/c",
            "c",
            "",
            "/c",
        ];
        for pattern in patterns {
            for double_star in [false, true] {
                for case_insensitive in [false, true] {
                    let options = GlobOptions {
                        double_star,
                        case_insensitive,
                        path_normalize: false,
                    };
                    let literal = Glob::new(pattern, options).unwrap();
                    assert!(matches!(literal.test, Test::Literal { .. }), "{pattern}");
                    let regex = Regex::new(&regex_source(pattern, options).unwrap()).unwrap();
                    for value in values {
                        assert_eq!(
                            literal.is_match(value),
                            regex.is_match(value),
                            "{pattern} {value} {options:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wildcard_globs_agree_with_their_regex() {
        let patterns = ["a*b?c", "*/api/*/users", "?", "**", "GET /*/health?", "é*?"];
        let values = [
            "abxc",
            "aBXC",
            "ab\nc",
            "abc",
            "/v1/api/7/users",
            "/API/x/Users",
            "x",
            "",
            "é",
            "É",
            "ée",
            "get /v/healthz",
            "GET /v/health",
        ];
        for pattern in patterns {
            for case_insensitive in [false, true] {
                let options = GlobOptions {
                    case_insensitive,
                    ..GlobOptions::default()
                };
                let glob = Glob::new(pattern, options).unwrap();
                assert!(matches!(glob.test, Test::Wildcards { .. }), "{pattern}");
                let regex = Regex::new(&regex_source(pattern, options).unwrap()).unwrap();
                for value in values {
                    assert_eq!(
                        glob.is_match(value),
                        regex.is_match(value),
                        "{pattern} {value:?} {options:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn relays_glob_cases() {
        let plain = GlobOptions::default();
        let paths = GlobOptions {
            double_star: true,
            case_insensitive: true,
            path_normalize: true,
        };
        assert!(matches("hello.py", "*.py", plain));
        assert!(!matches("hello.py", "*.js", plain));
        assert!(matches("foo/hello.py", "*.py", plain));
        assert!(!matches(
            "foo/hello.py",
            "*.py",
            GlobOptions {
                double_star: true,
                ..plain
            }
        ));
        assert!(matches(
            "foo/hello.py",
            "**/*.py",
            GlobOptions {
                double_star: true,
                ..plain
            }
        ));
        assert!(matches("foo\\hello\\bar.PY", "foo/**/*.py", paths));
        assert!(matches("1.18.4.2153-2aa83397b", "1.18.[0-4].*", plain));
        assert!(matches("{[*?]}", r"\{\[\*\?\]\}", plain));
        assert!(!matches("x[*?]}", r"\{\[\*\?\]\}", plain));
        assert!(matches("b.js", "{a,b}.js", plain));
        assert!(matches("foo\nbar", "foo*", plain));
    }
}
