//! Sentry's globs, as Relay's `glob_match` reads them.
//!
//! `*` is any run of characters (with `double_star`, any run without `/`,
//! and `**` crosses `/`), `?` one character, `[…]` a class (`[!…]`
//! negated), `{a,b}` alternatives, and a backslash makes the next character
//! literal (`\*`). Path matching compares `\` as `/`. The glob becomes a
//! regex-lite regex once, when the policy loads.

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
    regex: Regex,
    path_normalize: bool,
}

impl Glob {
    /// Compiles a glob; `None` when it is malformed (Relay then matches nothing).
    pub(crate) fn new(pattern: &str, options: GlobOptions) -> Option<Glob> {
        let pattern = if options.path_normalize {
            pattern.replace('\\', "/")
        } else {
            pattern.to_owned()
        };
        let mut regex = String::from(if options.case_insensitive {
            "(?is)^"
        } else {
            "(?s)^"
        });
        translate(&pattern, options.double_star, &mut regex)?;
        regex.push('$');
        Some(Glob {
            regex: Regex::new(&regex).ok()?,
            path_normalize: options.path_normalize,
        })
    }

    pub(crate) fn is_match(&self, value: &str) -> bool {
        if self.path_normalize && value.contains('\\') {
            self.regex.is_match(&value.replace('\\', "/"))
        } else {
            self.regex.is_match(value)
        }
    }
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
