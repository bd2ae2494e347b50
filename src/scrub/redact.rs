//! Rewriting a string around the secrets found in it.
//!
//! Detectors (key-value pairs, value patterns) report byte ranges of the
//! original string; this module merges them, writes the new string and the
//! `_meta` remarks, whose ranges are byte offsets in the *new* string, as
//! Relay writes them.

use crate::meta::{Remark, RemarkKind};

/// A secret inside a string: its byte range in the original, and the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) rule_id: &'static str,
}

/// Adds `span` unless it is empty or overlaps one already kept (earlier detectors win).
pub(crate) fn keep(spans: &mut Vec<Span>, span: Span) {
    let overlaps = spans
        .iter()
        .any(|kept| span.start < kept.end && kept.start < span.end);
    if span.start < span.end && !overlaps {
        spans.push(span);
    }
}

/// The string with every span replaced, and one remark per span; `None`
/// when there is nothing to replace.
pub(crate) fn redact(
    text: &str,
    spans: &mut [Span],
    replacement: &str,
) -> Option<(String, Vec<Remark>)> {
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|span| span.start);
    let mut output = String::with_capacity(text.len());
    let mut remarks = Vec::with_capacity(spans.len());
    let mut copied_up_to = 0;
    for span in spans.iter() {
        let (Some(before), true) = (
            text.get(copied_up_to..span.start),
            text.is_char_boundary(span.end),
        ) else {
            continue;
        };
        output.push_str(before);
        let start = output.len();
        output.push_str(replacement);
        remarks.push(Remark {
            rule_id: span.rule_id.to_owned(),
            kind: RemarkKind::Substituted {
                start,
                end: output.len(),
            },
        });
        copied_up_to = span.end;
    }
    output.push_str(text.get(copied_up_to..).unwrap_or_default());
    Some((output, remarks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_replaced_and_ranges_point_into_the_new_string() {
        let mut spans = vec![
            Span {
                start: 13,
                end: 16,
                rule_id: "b",
            },
            Span {
                start: 2,
                end: 5,
                rule_id: "a",
            },
        ];
        let (text, remarks) = redact("a=xyz b=ü c=pqr", &mut spans, "[F]").unwrap();
        assert_eq!(text, "a=[F] b=ü c=[F]");
        let ranges: Vec<_> = remarks
            .iter()
            .map(|r| (r.rule_id.as_str(), r.kind))
            .collect();
        assert_eq!(
            ranges,
            vec![
                ("a", RemarkKind::Substituted { start: 2, end: 5 }),
                ("b", RemarkKind::Substituted { start: 13, end: 16 }),
            ]
        );
    }

    #[test]
    fn overlapping_spans_keep_the_first() {
        let mut spans = Vec::new();
        keep(
            &mut spans,
            Span {
                start: 0,
                end: 5,
                rule_id: "first",
            },
        );
        keep(
            &mut spans,
            Span {
                start: 3,
                end: 8,
                rule_id: "second",
            },
        );
        keep(
            &mut spans,
            Span {
                start: 4,
                end: 4,
                rule_id: "empty",
            },
        );
        assert_eq!(spans.len(), 1);
        assert!(redact("text", &mut [], "[F]").is_none());
    }
}
