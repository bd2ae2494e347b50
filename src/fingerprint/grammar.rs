//! Sentry's fingerprint rule language, one rule a line.
//!
//! ```text
//! # comments, and empty lines
//! error.type:PaymentError tags.provider:* -> payment-error, {{ tags.provider }}
//! logger:"sentry.*" !level:info -> logger-{{ logger }}, title="Message from {{ logger }}"
//! ```
//!
//! The grammar is Sentry's (`sentry/grouping/fingerprinting/parser.py`),
//! read the way its PEG reads it: matchers are `key:value` (key optionally
//! quoted, value quoted with `\` escapes or up to the next space, `!` to
//! negate); after `->` come fingerprint parts separated by spaces or commas,
//! where a `{{ variable }}` is always a part of its own (so
//! `logger-{{ logger }}` is the two parts `logger-` and `{{ logger }}`), and
//! `title="…"` is the only attribute.

/// One parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleText {
    pub(crate) matchers: Vec<MatcherText>,
    pub(crate) fingerprint: Vec<String>,
    pub(crate) title: Option<String>,
    /// The line as written (shown in `contexts.fingerprint.rule`).
    pub(crate) source: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatcherText {
    pub(crate) negated: bool,
    pub(crate) key: String,
    pub(crate) pattern: String,
}

/// Where a rule text fails to parse (1-based), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) reason: String,
}

pub(crate) fn parse(text: &str) -> Result<Vec<RuleText>, SyntaxError> {
    let mut rules = Vec::new();
    for (index, line) in text.split(['\n', '\r']).enumerate() {
        let mut cursor = Cursor {
            line,
            at: 0,
            number: index + 1,
        };
        cursor.spaces();
        if cursor.rest().is_empty() || cursor.rest().starts_with('#') {
            continue;
        }
        rules.push(cursor.rule()?);
    }
    Ok(rules)
}

struct Cursor<'l> {
    line: &'l str,
    at: usize,
    number: usize,
}

impl<'l> Cursor<'l> {
    fn rest(&self) -> &'l str {
        &self.line[self.at..]
    }

    fn spaces(&mut self) {
        while self.rest().starts_with(' ') {
            self.at += 1;
        }
    }

    fn error(&self, reason: impl Into<String>) -> SyntaxError {
        SyntaxError {
            line: self.number,
            column: self.line[..self.at].chars().count() + 1,
            reason: reason.into(),
        }
    }

    fn rule(&mut self) -> Result<RuleText, SyntaxError> {
        let mut matchers = Vec::new();
        loop {
            self.spaces();
            if self.rest().starts_with("->") {
                break;
            }
            matchers.push(self.matcher()?);
        }
        if matchers.is_empty() {
            return Err(self.error("expected a matcher (key:value) before ->"));
        }
        self.at += 2;
        let (fingerprint, title) = self.fingerprint()?;
        Ok(RuleText {
            matchers,
            fingerprint,
            title,
            source: self.line.trim().to_owned(),
        })
    }

    fn matcher(&mut self) -> Result<MatcherText, SyntaxError> {
        let negated = self.rest().starts_with('!');
        if negated {
            self.at += 1;
        }
        let key = if self.rest().starts_with('"') {
            let length = self.rest()[1..]
                .find('"')
                .ok_or_else(|| self.error("unclosed quoted matcher name"))?;
            let quoted = &self.rest()[1..1 + length];
            if quoted.is_empty()
                || !quoted
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.:-".contains(c))
            {
                return Err(self.error("invalid quoted matcher name"));
            }
            self.at += length + 2;
            quoted.to_owned()
        } else {
            let length = self.rest().chars().take_while(|c| is_key_char(*c)).count();
            if length == 0 {
                return Err(self.error("expected a matcher name"));
            }
            let key = self.rest()[..length].to_owned();
            self.at += length;
            key
        };
        if !self.rest().starts_with(':') {
            return Err(self.error(format!("expected ':' after {key:?}")));
        }
        self.at += 1;
        let pattern = if self.rest().starts_with('"') {
            self.quoted()?
        } else {
            let length = self
                .rest()
                .find(char::is_whitespace)
                .unwrap_or(self.rest().len());
            if length == 0 {
                return Err(self.error(format!("expected a value for {key:?}")));
            }
            let value = self.rest()[..length].to_owned();
            self.at += length;
            value
        };
        Ok(MatcherText {
            negated,
            key,
            pattern,
        })
    }

    /// A `"…"` string. As Sentry's `unescape_string` (Python's escapes), `\n`,
    /// `\t`, `\r`, `\\`, `\"` and `\'` are decoded and any other backslash is kept,
    /// so that `\*` still reaches the glob as an escaped `*`.
    fn quoted(&mut self) -> Result<String, SyntaxError> {
        let mut value = String::new();
        let mut chars = self.rest()[1..].char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                '"' => {
                    self.at += offset + 2;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, escaped)) => match unescape(escaped) {
                        Some(decoded) => value.push(decoded),
                        None => {
                            value.push('\\');
                            value.push(escaped);
                        }
                    },
                    None => break,
                },
                other => value.push(other),
            }
        }
        Err(self.error("unclosed quoted string"))
    }

    fn fingerprint(&mut self) -> Result<(Vec<String>, Option<String>), SyntaxError> {
        let mut parts = Vec::new();
        let mut title = None;
        loop {
            self.spaces();
            if self.rest().is_empty() {
                break;
            }
            if let Some(attribute) = self.attribute_name() {
                self.at += attribute.len() + 1;
                if attribute != "title" {
                    return Err(self.error(format!("unknown attribute {attribute:?}")));
                }
                if !self.rest().starts_with('"') {
                    return Err(self.error("expected a quoted title"));
                }
                title = Some(self.quoted()?);
            } else if self.rest().starts_with('"') {
                parts.push(self.quoted()?);
            } else if let Some(variable) = variable_token(self.rest()) {
                self.at += variable.len();
                parts.push(normalise_default(variable));
            } else {
                let length = self
                    .rest()
                    .find(|c: char| c.is_whitespace() || c == '{' || c == ',')
                    .unwrap_or(self.rest().len());
                if length == 0 {
                    return Err(self.error("expected a fingerprint part"));
                }
                parts.push(self.rest()[..length].to_owned());
                self.at += length;
            }
            self.spaces();
            if self.rest().starts_with(',') {
                self.at += 1;
            }
        }
        if parts.is_empty() {
            return Err(self.error("expected a fingerprint after ->"));
        }
        Ok((parts, title))
    }

    /// `name=` starting an attribute, if the text is one.
    fn attribute_name(&self) -> Option<&'l str> {
        let rest = self.rest();
        let length = rest.chars().take_while(|c| is_key_char(*c)).count();
        (length > 0 && rest[length..].starts_with('=')).then(|| &rest[..length])
    }
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_.-".contains(c)
}

/// `{{ name }}` at the start of `text`.
fn variable_token(text: &str) -> Option<&str> {
    let inner = text.strip_prefix("{{")?;
    let spaces_before = inner.len() - inner.trim_start().len();
    let name_length = inner[spaces_before..]
        .find(char::is_whitespace)
        .unwrap_or(0);
    let name_length = match inner[spaces_before..].find("}}") {
        Some(close) if name_length == 0 || close < name_length => close,
        _ => name_length,
    };
    if name_length == 0 {
        return None;
    }
    let after_name = &inner[spaces_before + name_length..];
    let spaces_after = after_name.len() - after_name.trim_start().len();
    after_name[spaces_after..]
        .starts_with("}}")
        .then(|| &text[..2 + spaces_before + name_length + spaces_after + 2])
}

/// The name inside `{{ name }}`, if `part` is exactly a variable.
pub(crate) fn variable_name(part: &str) -> Option<&str> {
    let token = variable_token(part)?;
    (token.len() == part.len()).then(|| part[2..part.len() - 2].trim())
}

fn normalise_default(token: &str) -> String {
    if variable_name(token) == Some("default") {
        "{{ default }}".to_owned()
    } else {
        token.to_owned()
    }
}

fn unescape(c: char) -> Option<char> {
    Some(match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        '\\' | '"' | '\'' => c,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_comments_and_variables_split_as_sentry_splits_them() {
        let rules = parse(
            "# payments\n\
             error.type:PaymentError tags.provider:* -> payment-error, {{ tags.provider }}\n\
             \n\
             logger:\"sentry.*\" !level:info -> logger-{{logger}} title=\"Message from {{ logger }}\"",
        )
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(
            rules[0].fingerprint,
            vec!["payment-error", "{{ tags.provider }}"]
        );
        assert_eq!(rules[1].fingerprint, vec!["logger-", "{{logger}}"]);
        assert_eq!(rules[1].title.as_deref(), Some("Message from {{ logger }}"));
        assert!(rules[1].matchers[1].negated);
        assert_eq!(rules[1].matchers[0].pattern, "sentry.*");
        let escaped = parse(r#"message:"\{\[\*\?\]\}" -> x"#).unwrap();
        assert_eq!(escaped[0].matchers[0].pattern, r"\{\[\*\?\]\}");
        assert_eq!(
            parse("type:A -> {{default}}").unwrap()[0].fingerprint,
            vec!["{{ default }}"]
        );
    }

    #[test]
    fn errors_say_where() {
        let error = parse("type:A -> a\ntype:B b").unwrap_err();
        assert_eq!((error.line, error.column), (2, 9));
        assert_eq!(
            parse("type:A -> a foo=\"x\"").unwrap_err().reason,
            "unknown attribute \"foo\""
        );
        assert!(parse("-> a").is_err());
        assert!(parse("type:A ->").is_err());
    }
}
