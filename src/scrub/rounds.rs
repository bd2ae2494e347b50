//! Searching a string again after taking secrets out of it.
//!
//! Findings are made on the text as given, and taking one out changes the
//! text around it. A finding that overlapped an earlier one was dropped,
//! and may stand whole in the rewritten text (an `authorization:` pair
//! whose value held a secret already taken out by its query-string key is
//! still a pair once that secret reads `[Filtered]`); a replacement can give
//! its neighbour the boundary a detector needs (`.com::2055` holds no IPv6
//! address, `[Filtered]::2055` does). Processing the sent event again
//! would take those out then. So rewritten text is searched again, as that
//! second processing would, until nothing more is found: what is sent is
//! what processing it again sends (`p(p(e)) == p(e)`, held by
//! `tests/properties.rs` and the `process_default` fuzz target).
//!
//! That costs a second search of each string something was taken out of
//! (unless it was the whole string): +15 % instructions in Python's
//! `before_send` on the large sample events, which plant a secret in nearly
//! every text field. Searching again only where a replacement is joined to
//! a word cost +0.5 %, and the fuzzer found in minutes what it missed: a
//! URL whose `:/v1/…?page=2` held no password until a pair's value in it
//! became `[Filtered]` (`https://user:[Filtered]&x@host` then is one). A
//! detector's match can reach across any neighbour, so every rewritten
//! string is searched again; strings without a secret, nearly all of them,
//! are searched once.

use std::borrow::Cow;

use crate::meta::Remark;

use super::redact::{redact_whole, rewrite, Rewritten, Spans};

/// Searches of one string at most: the first, and the searches again. Each
/// search again follows a round that took something out, so a string with
/// secrets is searched twice, rarely more; the bound keeps a hostile one
/// linear.
const MAX_ROUNDS: usize = 4;

/// Finds the secrets in `text` with `find` and takes them out, searching
/// the result again while a round takes something out. Remarks point into
/// the final text; `None` when nothing was found.
pub(crate) fn find_and_redact<'a>(
    text: &str,
    mut find: impl FnMut(&str, &mut Spans<'a>),
) -> Option<Rewritten> {
    let mut current = Cow::Borrowed(text);
    let mut remarks = Vec::new();
    let mut settled = false;
    for _ in 0..MAX_ROUNDS {
        let mut spans = Spans::default();
        find(&current, &mut spans);
        let Some((rewritten, replaced)) = rewrite(&current, &spans) else {
            settled = true;
            break;
        };
        let Rewritten::Text(next, round) = rewritten else {
            return Some(rewritten);
        };
        let again = replaced.iter().any(|&span| in_context(&current, span));
        remarks = carry_over(remarks, &replaced, round);
        current = Cow::Owned(next);
        if !again {
            settled = true;
            break;
        }
    }
    if !settled {
        // Every round took something out and revealed more (a take-out can
        // bring a quote within a key's reach, and so on): past the bound,
        // a string that still holds a finding goes whole, as one that could
        // not be settled, rather than leave with it.
        let mut spans = Spans::default();
        find(&current, &mut spans);
        let first = spans.iter().next().copied();
        if let Some(first) = first {
            return Some(redact_whole(&current, first.rule_id, first.redaction));
        }
    }
    // A round that found something always leaves a remark.
    (!remarks.is_empty()).then(|| Rewritten::Text(current.into_owned(), remarks))
}

/// Whether replacing `start..end` of `text` left text around it, whose
/// matches the replacement can change.
fn in_context(text: &str, (start, end): (usize, usize)) -> bool {
    start > 0 || end < text.len()
}

/// The remarks of the text before a round, moved to where their text is
/// after it, with the round's own: a remark whose text the round replaced
/// again gives way to the round's remark for it.
fn carry_over(
    earlier: Vec<Remark>,
    replaced: &[(usize, usize)],
    round: Vec<Remark>,
) -> Vec<Remark> {
    let mut remarks: Vec<Remark> = earlier
        .into_iter()
        .filter_map(|remark| {
            let Some((start, end)) = remark.kind.range() else {
                return Some(remark);
            };
            let overlapped = replaced.iter().any(|&(from, to)| from < end && start < to);
            if overlapped {
                return None;
            }
            let (grown, shrunk) = replaced
                .iter()
                .zip(&round)
                .filter(|((_, to), _)| *to <= start)
                .fold((0, 0), |(grown, shrunk), ((from, to), new)| {
                    let new_length = new.kind.range().map_or(0, |(s, e)| e - s);
                    (grown + new_length, shrunk + (to - from))
                });
            let moved = |at: usize| at + grown - shrunk;
            Some(Remark {
                kind: remark.kind.moved_to(moved(start), moved(end)),
                ..remark
            })
        })
        .collect();
    remarks.extend(round);
    crate::sort::sort_by_key(&mut remarks, |remark| {
        remark.kind.range().map_or(0, |(start, _)| start)
    });
    remarks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::RemarkKind;
    use crate::scrub::redact::{Redaction, Span};

    /// A finder for the tests, in this order: a run of four digits or more
    /// not preceded by a letter, `@` and the letters after it, and
    /// `password:` with the rest of the text.
    fn find<'a>(redaction: &'a Redaction) -> impl FnMut(&str, &mut Spans<'a>) {
        move |text: &str, spans: &mut Spans<'a>| {
            let bytes = text.as_bytes();
            let mut span = |start, end, rule_id| {
                spans.keep(Span {
                    start,
                    end,
                    rule_id,
                    redaction,
                })
            };
            let mut at = 0;
            while at < bytes.len() {
                let run = bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let after_letter = at > 0 && bytes[at - 1].is_ascii_alphabetic();
                if run >= 4 && !after_letter {
                    span(at, at + run, "digits");
                }
                at += run.max(1);
            }
            for (at, _) in text.match_indices('@') {
                let letters = bytes[at + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                if letters > 0 {
                    span(at, at + 1 + letters, "at");
                }
            }
            if let Some(key) = text.find("password:") {
                let start = key + "password:".len();
                let value = &text[start..];
                if !value.is_empty() && !redaction.already_applied(value) {
                    span(start, text.len(), "pair");
                }
            }
        }
    }

    fn rewritten(text: &str, redaction: &Redaction) -> (String, Vec<(String, RemarkKind)>) {
        let Some(Rewritten::Text(sent, remarks)) = find_and_redact(text, find(redaction)) else {
            panic!("expected a rewrite of {text:?}");
        };
        let remarks = remarks.into_iter().map(|r| (r.rule_id, r.kind)).collect();
        (sent, remarks)
    }

    #[test]
    fn a_finding_lost_to_an_overlap_is_taken_out_in_the_next_round() {
        let redaction = Redaction::Replace("[F]".into());
        let (sent, remarks) = rewritten("id 12345 password:x 1234", &redaction);
        assert_eq!(sent, "id [F] password:[F]");
        assert_eq!(
            remarks,
            [
                (
                    "digits".into(),
                    RemarkKind::Substituted { start: 3, end: 6 }
                ),
                (
                    "pair".into(),
                    RemarkKind::Substituted { start: 16, end: 19 }
                ),
            ]
        );
        assert!(find_and_redact(&sent, find(&redaction)).is_none());
    }

    #[test]
    fn a_finding_a_replacement_made_possible_is_taken_out_in_the_next_round() {
        let redaction = Redaction::Replace("[F]".into());
        // `1234` follows a letter in `x@abc1234`, and `]` once `@abc` is out.
        let (sent, remarks) = rewritten("x@abc1234 ok", &redaction);
        assert_eq!(sent, "x[F][F] ok");
        assert_eq!(
            remarks,
            [
                ("at".into(), RemarkKind::Substituted { start: 1, end: 4 }),
                (
                    "digits".into(),
                    RemarkKind::Substituted { start: 4, end: 7 }
                ),
            ]
        );
        assert!(find_and_redact(&sent, find(&redaction)).is_none());
    }

    /// How many times `text` is searched.
    fn searches(text: &str) -> usize {
        let redaction = Redaction::Replace("[F]".into());
        let mut searches = 0;
        let mut finder = find(&redaction);
        find_and_redact(text, |text, spans| {
            searches += 1;
            finder(text, spans);
        });
        searches
    }

    #[test]
    fn text_is_searched_again_only_when_text_is_left_around_a_replacement() {
        assert_eq!(searches("nothing here"), 1);
        assert_eq!(searches("12345"), 1, "the whole text was the secret");
        assert_eq!(searches("id 12345 ok"), 2);
        assert_eq!(
            searches("x@abc1234 ok"),
            3,
            "the second round finds 1234; the third, nothing"
        );
    }

    #[test]
    fn a_string_still_finding_past_the_bound_goes_whole() {
        static REDACTION: std::sync::LazyLock<Redaction> =
            std::sync::LazyLock::new(|| Redaction::Replace("[F]".into()));
        let redaction = &*REDACTION;
        // A finder that sees one `secret` a round: each take-out reveals the next.
        let first_only = |text: &str, spans: &mut Spans<'_>| {
            if let Some(start) = text.find("secret") {
                spans.keep(Span {
                    start,
                    end: start + 6,
                    rule_id: "one",
                    redaction,
                });
            }
        };
        let many = "a secret b secret c secret d secret e secret f secret g";
        let Some(Rewritten::Text(sent, remarks)) = find_and_redact(many, first_only) else {
            panic!("the string must be rewritten");
        };
        assert_eq!(sent, "[F]");
        assert_eq!(
            remarks,
            [Remark {
                rule_id: "one".into(),
                kind: RemarkKind::Substituted { start: 0, end: 3 }
            }]
        );
        let few = "a secret b secret c";
        let Some(Rewritten::Text(sent, _)) = find_and_redact(few, first_only) else {
            panic!("the string must be rewritten");
        };
        assert_eq!(sent, "a [F] b [F] c", "settled within the bound");
    }
}
