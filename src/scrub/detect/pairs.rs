//! A key that names a secret, an operator, and the secret: in any text,
//! whatever language or format wrote it.
//!
//! `password=…`, `"api_key": "…"`, `token: …`, `nonMatchingToken := "…"`,
//! `$secret .= '…'`, `'password' => '…'`, `var apiToken string = "…"`,
//! `val password: String = "…"`, `System.setProperty("X_TOKEN", "…")`,
//! `('authorization', 'Basic …')`, `<password>…</password>`,
//! `--password …`. The key is checked with the policy's key rules (words
//! of the key, so `author` and `tokenizer` are not secrets, `authToken` and
//! `X-Auth-Token` are); the value goes whole (a quoted value with spaces or
//! escaped quotes, `${VAR}`, a scheme and its credentials) and the
//! operator stays. Keys and quoted values are read at most [`MAX_KEY`] and
//! [`MAX_QUOTED`] bytes from their operator, so the cost per operator is
//! bounded whatever the text holds.

use super::bytes::{is_word, run_start};
use super::families::index_of;
use super::scan::Scan;

const PAIR: usize = index_of("secret-pair");

const MAX_KEY: usize = 128;
const MAX_QUOTED: usize = 4096;

/// Type names that stand between a key and its `=` (`var token string = …`).
const TYPE_NAMES: &[&str] = &[
    "string", "String", "str", "&str", "char", "int", "bool", "var", "let", "val", "const",
    "final", "auto", "static", "readonly", "private", "public",
];

/// At `=`: `=`, `:=`, `::=`, `?=`, `+=`, `.=`, `=>`; not `==`, `!=`, `<=`, `>=`.
pub(super) fn at_equals(scan: &mut Scan<'_>, equals: usize) {
    if !scan.wants(PAIR) {
        return;
    }
    let bytes = scan.bytes;
    let next = bytes.get(equals + 1).copied();
    let previous = equals.checked_sub(1).map(|i| bytes[i]);
    if next == Some(b'=') || matches!(previous, Some(b'=' | b'!' | b'<' | b'>')) {
        return;
    }
    let operator_end = if next == Some(b'>') {
        equals + 2
    } else {
        equals + 1
    };
    let mut operator_start = equals;
    while operator_start > 0 && matches!(bytes[operator_start - 1], b':' | b'?' | b'+') {
        operator_start -= 1;
    }
    if operator_start > 1 && bytes[operator_start - 1] == b'.' && bytes[operator_start - 2] == b' '
    {
        operator_start -= 1;
    }
    let Some((key_start, key_end)) = key_before(bytes, operator_start) else {
        return;
    };
    let mut key = &scan.text[key_start..key_end];
    if TYPE_NAMES.contains(&key) {
        // `var apiToken string = "…"`: the name comes before its type.
        let before = skip_blanks_back(bytes, key_start);
        match key_before(bytes, before) {
            Some((start, end)) => key = &scan.text[start..end],
            None => return,
        }
    }
    pair(scan, key, operator_end);
}

/// At `:`: `key: value`, `"key": "value"`; not `::`, `:=` (see `=`), `://`.
pub(super) fn at_colon(scan: &mut Scan<'_>, colon: usize) {
    if !scan.wants(PAIR) {
        return;
    }
    let bytes = scan.bytes;
    let next = bytes.get(colon + 1).copied();
    let previous = colon.checked_sub(1).map(|i| bytes[i]);
    if matches!(next, Some(b':' | b'='))
        || previous == Some(b':')
        || bytes[colon + 1..].starts_with(b"//")
    {
        return;
    }
    if let Some((key_start, key_end)) = key_before(bytes, colon) {
        pair(scan, &scan.text[key_start..key_end], colon + 1);
    }
}

/// At `>`: `<password>value</password>` (an element without attributes:
/// its name is read back from `>` to `<`).
pub(super) fn at_angle(scan: &mut Scan<'_>, close: usize) {
    if !scan.wants(PAIR) {
        return;
    }
    let bytes = scan.bytes;
    let is_name = |b: u8| is_word(b) || b == b'-' || b == b':' || b == b'.';
    let name_start = run_start(bytes, close.saturating_sub(MAX_KEY), close, is_name);
    if name_start == close || name_start == 0 || bytes[name_start - 1] != b'<' {
        return;
    }
    let value_start = close + 1;
    let limit = bytes.len().min(value_start + MAX_QUOTED);
    let Some(value_end) = bytes[value_start..limit]
        .iter()
        .position(|b| *b == b'<')
        .map(|i| value_start + i)
    else {
        return;
    };
    let (start, end) = trim(bytes, value_start, value_end);
    if end > start && scan.names_a_secret(&scan.text[name_start..close]) {
        report(scan, start, end);
    }
}

/// At `,`: `("X_TOKEN", "value")`, `('authorization', b'Basic …')`: a quoted
/// key, a comma, a quoted value.
pub(super) fn at_comma(scan: &mut Scan<'_>, comma: usize) {
    if !scan.wants(PAIR) {
        return;
    }
    let bytes = scan.bytes;
    let key_close = skip_blanks_back(bytes, comma);
    if key_close == 0 || !matches!(bytes[key_close - 1], b'"' | b'\'') {
        return;
    }
    let mut value = skip_blanks(bytes, comma + 1);
    if bytes.get(value) == Some(&b'b') {
        value += 1;
    }
    if !matches!(bytes.get(value), Some(b'"' | b'\'')) {
        return;
    }
    let Some((key_start, key_end)) = key_before(bytes, key_close) else {
        return;
    };
    // The key opens a call's arguments, a tuple or a list (`("K", "v")`,
    // `[b'k', b'v']`), not a JSON member's value (`"kind": "Secret", "data"`).
    let mut opener = skip_blanks_back(bytes, key_start - 1);
    if opener > 0 && bytes[opener - 1] == b'b' {
        opener -= 1;
    }
    let opens = opener > 0 && matches!(bytes[opener - 1], b'(' | b'[');
    let key = &scan.text[key_start..key_end];
    if opens && key.len() <= 64 && !key.contains(' ') {
        pair(scan, key, value);
    }
}

/// At `--`: `--password value` (with `=`, the pair is found at `=`).
pub(super) fn at_flag(scan: &mut Scan<'_>, dash: usize) {
    let bytes = scan.bytes;
    // A flag starts a command's argument: at the start, after a blank, a quote or a bracket.
    let starts_argument = dash == 0
        || matches!(
            bytes[dash - 1],
            b' ' | b'\t' | b'\n' | b'"' | b'\'' | b'(' | b'[' | b','
        );
    if !scan.wants(PAIR) || !bytes[dash..].starts_with(b"--") || !starts_argument {
        return;
    }
    let key_start = dash + 2;
    let key_end = key_start
        + bytes[key_start..]
            .iter()
            .take_while(|b| is_word(**b) || **b == b'-')
            .count();
    if key_end == key_start
        || bytes.get(key_end) != Some(&b' ')
        || bytes.get(key_end + 1) == Some(&b'-')
    {
        return;
    }
    pair(scan, &scan.text[key_start..key_end], key_end + 1);
}

/// Reports the value after `from` when `key` names a secret.
fn pair(scan: &mut Scan<'_>, key: &str, from: usize) {
    if key.is_empty() || !scan.names_a_secret(key) {
        return;
    }
    if let Some((start, end)) = value_after(scan, from) {
        report(scan, start, end);
    }
}

fn report(scan: &mut Scan<'_>, start: usize, end: usize) {
    let value = &scan.text[start..end];
    // `password_reset_required=true`: a flag, not a secret.
    let literal = ["true", "false", "null", "none", "nil", "undefined"]
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word));
    if !literal && !is_placeholder(value) && !scan.already_redacted(value) {
        scan.found(PAIR, start, end);
    }
}

/// The key that ends just before `end` (blanks and a closing quote
/// skipped): quoted, or a run of `[A-Za-z0-9_.-]` starting with a letter or `_`.
fn key_before(bytes: &[u8], end: usize) -> Option<(usize, usize)> {
    let end = skip_blanks_back(bytes, end);
    let last = *bytes.get(end.checked_sub(1)?)?;
    let floor = end.saturating_sub(MAX_KEY);
    if matches!(last, b'"' | b'\'' | b'`') {
        let mut key_end = end - 1;
        let open = bytes[floor..key_end].iter().rposition(|b| *b == last)? + floor;
        // `\"password\"`: a key inside an escaped string.
        if key_end > open + 1 && bytes[key_end - 1] == b'\\' {
            key_end -= 1;
        }
        let key_start = open + 1;
        return (key_end > key_start).then_some((key_start, key_end));
    }
    let is_key = |b: u8| is_word(b) || b == b'.' || b == b'-';
    let mut start = run_start(bytes, floor, end, is_key);
    while start < end && !(bytes[start].is_ascii_alphabetic() || bytes[start] == b'_') {
        start += 1;
    }
    (start < end).then_some((start, end))
}

/// The value starting at `from` (blanks skipped), whole: quoted (escaped
/// quotes kept inside), `${…}`, an auth scheme with its credentials, or up
/// to a delimiter. A type name followed by `=` is skipped
/// (`val password: String = "…"`). `None` when there is no value.
fn value_after(scan: &Scan<'_>, from: usize) -> Option<(usize, usize)> {
    let bytes = scan.bytes;
    let at = skip_blanks(bytes, from);
    let first = *bytes.get(at)?;
    match first {
        b'"' | b'\'' | b'`' => return quoted(bytes, at + 1, &[first]),
        b'\\' if matches!(bytes.get(at + 1), Some(b'"' | b'\'')) => {
            return quoted(bytes, at + 2, &bytes[at..at + 2]);
        }
        b'$' if bytes.get(at + 1) == Some(&b'{') => {
            let limit = bytes.len().min(at + MAX_KEY);
            let close = bytes[at..limit].iter().position(|b| *b == b'}')?;
            return Some((at, at + close + 1));
        }
        b'{' | b'[' | b'(' | b'\n' | b'\r' => return None,
        _ => {}
    }
    let end = unquoted_end(bytes, at);
    let word = &scan.text[at..end];
    let after = skip_blanks(bytes, end);
    let typed = bytes.get(after) == Some(&b'=')
        && bytes.get(after + 1) != Some(&b'=')
        && (TYPE_NAMES.contains(&word)
            || word.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
                && word.bytes().all(is_word));
    if typed {
        return value_after(scan, after + 1);
    }
    let is_scheme = ["bearer", "basic", "token", "digest", "apikey"]
        .iter()
        .any(|scheme| word.eq_ignore_ascii_case(scheme));
    if is_scheme && bytes.get(end) == Some(&b' ') {
        let credentials_end = unquoted_end(bytes, end + 1);
        if credentials_end > end + 1 {
            return Some((at, credentials_end));
        }
    }
    (end > at).then_some((at, end))
}

/// Where an unquoted value starting at `start` ends.
fn unquoted_end(bytes: &[u8], start: usize) -> usize {
    let mut end = start;
    while end < bytes.len() {
        match bytes[end] {
            b' ' | b'\t' | b'\r' | b'\n' | b'&' | b';' | b',' | b')' | b']' | b'}' | b'"'
            | b'\'' | b'<' | b'>' | b'`' => break,
            b'\\' if matches!(bytes.get(end + 1), Some(b'n' | b'r' | b't' | b'"' | b'\'')) => break,
            _ => end += 1,
        }
    }
    end
}

/// A quoted value whose text starts at `start` and ends before `quote`
/// (one byte, or `\` and a byte); a backslash escapes the next byte. Without
/// its closing quote in reach, the value runs to the end of its line.
fn quoted(bytes: &[u8], start: usize, quote: &[u8]) -> Option<(usize, usize)> {
    let limit = bytes.len().min(start + MAX_QUOTED);
    let mut at = start;
    while at < limit {
        if bytes[at..].starts_with(quote) {
            return (at > start).then_some((start, at));
        }
        if quote.len() == 1 && bytes[at] == b'\\' {
            at += 2;
            continue;
        }
        if bytes[at] == b'\n' {
            break;
        }
        at += 1;
    }
    let end = at.min(limit);
    (end > start).then_some((start, end))
}

fn trim(bytes: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    (start, end)
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// `%s`, `%-5d`, `%(name)s`, `{}`, `{0}`, `{name}`, `{name!r:>10}`: where a
/// log template's parameters go.
fn is_placeholder(text: &str) -> bool {
    if let Some(inner) = text
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
    {
        return !inner.contains(['{', '}', ' ']);
    }
    let Some(spec) = text.strip_prefix('%') else {
        return false;
    };
    let spec = match spec.strip_prefix('(') {
        Some(named) => match named.split_once(')') {
            Some((_, after)) => after,
            None => return false,
        },
        None => spec,
    };
    let conversion = spec.trim_start_matches(|c: char| c.is_ascii_digit() || "-+ #.*".contains(c));
    conversion.len() == 1 && "sdifrxXoeEgGcau".contains(conversion)
}

fn skip_blanks_back(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && matches!(bytes[at - 1], b' ' | b'\t') {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::is_placeholder;
    use crate::scrub::detect::scan::tests::found;

    #[test]
    fn placeholders_are_told_from_values() {
        for placeholder in [
            "%s",
            "%d",
            "%-5d",
            "%(name)s",
            "%.2f",
            "{}",
            "{0}",
            "{name}",
            "{name!r:>10}",
        ] {
            assert!(is_placeholder(placeholder), "{placeholder}");
        }
        for value in [
            "hunter2", "%", "%%", "%(name)", "{a b}", "{{}}", "{", "s3cr3t%s", "%sx",
        ] {
            assert!(!is_placeholder(value), "{value}");
        }
    }

    fn value(text: &str) -> Vec<String> {
        found(text)
            .into_iter()
            .filter(|(_, family)| *family == "secret-pair")
            .map(|(text, _)| text)
            .collect()
    }

    #[test]
    fn operators_of_every_language_stay_and_values_go_whole() {
        for (text, secret) in [
            (
                r#"nonMatchingToken := "3qm5kouf5crwqhre""#,
                "3qm5kouf5crwqhre",
            ),
            ("api_key ::= k3y-value", "k3y-value"),
            ("PASSWORD ?= hunter2", "hunter2"),
            (r#"'password' => 'hunter2 two'"#, "hunter2 two"),
            (r#"$secret .= "abc""#, "abc"),
            (r#"var apiToken string = "t0k3n""#, "t0k3n"),
            (r#"val password: String = "s3cr3t""#, "s3cr3t"),
            ("const token = `tpl-value`", "tpl-value"),
            (r#"System.setProperty("X_TOKEN", "v4lue")"#, "v4lue"),
            ("export GITHUB_TOKEN=abc123", "abc123"),
            ("<password>hunter2</password>", "hunter2"),
            ("run --password hunter2 --verbose", "hunter2"),
            ("password: ${link}", "${link}"),
            (r#"{"password": "pa\"ss word"}"#, r#"pa\"ss word"#),
            (r#"{\"password\": \"hunter2\"}"#, "hunter2"),
            ("Authorization: Basic dXNlcjpwYXNz", "Basic dXNlcjpwYXNz"),
            ("[('authorization', 'Bearer abc.def')]", "Bearer abc.def"),
        ] {
            assert_eq!(value(text), [secret], "{text}");
        }
    }

    #[test]
    fn words_that_only_contain_a_secret_word_are_not_keys() {
        for text in [
            "author: Ada",
            "authority=ca.example",
            "tokenizer: bpe",
            "a == password",
            "if token != x",
        ] {
            assert!(value(text).is_empty(), "{text}");
        }
        for text in ["authToken=x1", "X-Auth-Token: x1", "client_secret=x1"] {
            assert_eq!(value(text), ["x1"], "{text}");
        }
    }
}
