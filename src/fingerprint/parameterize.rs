//! Message parameterisation: the variable parts of a message, replaced by
//! placeholders so that "order 123 failed" and "order 456 failed" group.
//!
//! Used only in the fingerprint, never in the message users read. The
//! placeholders are Sentry's (`<int>`, `<uuid>`, …); patterns run in order,
//! each on what the ones before left, so an email is not first taken apart
//! as a host name and a number.

use regex_lite::Regex;

#[derive(Debug, Clone)]
pub(crate) struct Parameterizer {
    patterns: Vec<(Regex, &'static str)>,
}

impl Parameterizer {
    pub(crate) fn new() -> Self {
        let patterns = [
            (r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}", "<email>"),
            (
                r"\b[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\b",
                "<uuid>",
            ),
            (
                r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b",
                "<date>",
            ),
            (r"\b(?:\d{1,3}\.){3}\d{1,3}\b", "<ip>"),
            (r"\b0x[0-9a-fA-F]+\b", "<hex>"),
            (
                r"\b[0-9a-fA-F]*[0-9][0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\b|\b[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*[0-9][0-9a-fA-F]*\b",
                "<hex>",
            ),
            (r#""[^"\n]*"|'[^'\n]*'"#, "<quoted>"),
            (r"-?\b\d+(?:\.\d+)?\b", "<int>"),
        ];
        Parameterizer {
            patterns: patterns
                .into_iter()
                .map(|(pattern, placeholder)| {
                    (
                        Regex::new(pattern).expect("built-in regex compiles"),
                        placeholder,
                    )
                })
                .collect(),
        }
    }

    pub(crate) fn apply(&self, message: &str) -> String {
        self.patterns
            .iter()
            .fold(message.to_owned(), |text, (regex, placeholder)| {
                regex.replace_all(&text, *placeholder).into_owned()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_parts_become_placeholders() {
        let p = Parameterizer::new();
        assert_eq!(p.apply("order 123 failed"), p.apply("order 456 failed"));
        assert_eq!(p.apply("order 123 failed"), "order <int> failed");
        assert_eq!(
            p.apply("user ada@example.com from 10.0.0.1 at 2024-05-01T10:00:00Z"),
            "user <email> from <ip> at <date>"
        );
        assert_eq!(
            p.apply("id 123e4567-e89b-12d3-a456-426614174000 gone"),
            "id <uuid> gone"
        );
        assert_eq!(p.apply("object at 0x7f3a2b"), "object at <hex>");
        assert_eq!(
            p.apply("commit 4b1c1ea0 broke 'main'"),
            "commit <hex> broke <quoted>"
        );
        assert_eq!(p.apply("no numbers here"), "no numbers here");
    }
}
