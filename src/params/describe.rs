//! Span descriptions without their values: SQL literals as `%s`, URL ids as `*`.
//!
//! A database span's description is its query, literals included
//! (`WHERE email = 'ada@example.com'`); an HTTP span's is the URL, ids and
//! query values included. Both group badly and leak. Identifiers, keywords
//! and the shape of the statement or path stay.

use std::borrow::Cow;

/// Statements start with one of these (a db span's description may also be
/// a connection string or a command name, which are left alone).
const SQL_STATEMENTS: [&str; 9] = [
    "select", "insert", "update", "delete", "with", "replace", "merge", "upsert", "call",
];

/// `'…'` string literals (with `''` escapes), numbers and hex literals become
/// `%s` in a SQL statement; anything else is returned as it is (borrowed:
/// most statements an ORM writes have placeholders, not literals).
pub(crate) fn sql(query: &str) -> Cow<'_, str> {
    let first_word = query
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    if !SQL_STATEMENTS
        .iter()
        .any(|keyword| first_word.eq_ignore_ascii_case(keyword))
    {
        return Cow::Borrowed(query);
    }
    let bytes = query.as_bytes();
    let mut out = String::new();
    // Bytes before `copied` are in `out` already; the rest are copied in runs.
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        // Only a quote or a digit can start a literal: jump to the next one.
        let Some(offset) = bytes[index..]
            .iter()
            .position(|b| *b == b'\'' || b.is_ascii_digit())
        else {
            break;
        };
        index += offset;
        let byte = bytes[index];
        let previous = index.checked_sub(1).map(|i| bytes[i]);
        let starts_word = previous
            .is_none_or(|p| !(p.is_ascii_alphanumeric() || p == b'_' || p == b'.' || p == b'$'));
        if byte == b'\'' {
            let mut end = index + 1;
            loop {
                match bytes.get(end) {
                    None => break,
                    Some(b'\'') if bytes.get(end + 1) == Some(&b'\'') => end += 2,
                    Some(b'\'') => {
                        end += 1;
                        break;
                    }
                    Some(_) => end += 1,
                }
            }
            out.push_str(&query[copied..index]);
            out.push_str("%s");
            index = end;
            copied = end;
        } else if starts_word && byte.is_ascii_digit() {
            let mut end = index;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'.') {
                end += 1;
            }
            out.push_str(&query[copied..index]);
            out.push_str("%s");
            index = end;
            copied = end;
        } else {
            index += 1;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(query);
    }
    out.push_str(&query[copied..]);
    Cow::Owned(out)
}

/// A path segment that is an id: an integer, a UUID, or a long hex / hash-like token.
fn is_id(segment: &str) -> bool {
    let hex = segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    !segment.is_empty()
        && (segment.bytes().all(|b| b.is_ascii_digit())
            || (hex && segment.len() >= 8 && digits > 0))
}

/// `METHOD url`: ids in the path become `*`, query values `*` (names stay).
pub(crate) fn http(description: &str) -> Cow<'_, str> {
    let rewritten = http_owned(description);
    if rewritten == description {
        Cow::Borrowed(description)
    } else {
        Cow::Owned(rewritten)
    }
}

/// The rewrite written straight into one string (an http span is rewritten
/// on every transaction: no list of segments or pairs is built on the way).
fn http_owned(description: &str) -> String {
    let mut out = String::with_capacity(description.len());
    let url = match description.split_once(' ') {
        Some((method, url)) if method.bytes().all(|b| b.is_ascii_uppercase()) => {
            out.push_str(method);
            out.push(' ');
            url
        }
        _ => description,
    };
    let (before_query, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    };
    let (origin, path) = match before_query.find("://") {
        Some(scheme_end) => match before_query[scheme_end + 3..].find('/') {
            Some(slash) => before_query.split_at(scheme_end + 3 + slash),
            None => (before_query, ""),
        },
        None => ("", before_query),
    };
    out.push_str(origin);
    for (index, segment) in path.split('/').enumerate() {
        if index > 0 {
            out.push('/');
        }
        out.push_str(if is_id(segment) { "*" } else { segment });
    }
    let Some(query) = query else {
        return out;
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    out.push('?');
    for (index, pair) in query.split('&').enumerate() {
        if index > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((name, _)) => {
                out.push_str(name);
                out.push_str("=*");
            }
            None => out.push_str(pair),
        }
    }
    if fragment.is_some() {
        out.push_str("#*");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_literals_become_placeholders() {
        assert_eq!(
            sql("SELECT * FROM users WHERE email = 'a@b.com' AND id = 42"),
            "SELECT * FROM users WHERE email = %s AND id = %s"
        );
        assert_eq!(
            sql("SELECT t1.c2 FROM t1 WHERE n IN (1, 2.5, 0xFF) AND s = 'it''s'"),
            "SELECT t1.c2 FROM t1 WHERE n IN (%s, %s, %s) AND s = %s"
        );
        assert_eq!(
            sql("SELECT \"Name\" FROM t LIMIT $1"),
            "SELECT \"Name\" FROM t LIMIT $1"
        );
    }

    #[test]
    fn urls_keep_their_shape() {
        assert_eq!(
            http("GET https://api.example.com/users/123/orders/9f1c2a3b4c5d?page=2&token=abc"),
            "GET https://api.example.com/users/*/orders/*?page=*&token=*"
        );
        assert_eq!(
            http("/items/123e4567-e89b-12d3-a456-426614174000/edit"),
            "/items/*/edit"
        );
        assert_eq!(http("POST /api/v2/login"), "POST /api/v2/login");
        assert_eq!(http("GET /a/7?x=1&flag#top"), "GET /a/*?x=*&flag#*");
        assert_eq!(http("GET /a/7#top"), "GET /a/7#top");
        assert!(matches!(http("GET /a/b?x=*"), Cow::Borrowed(_)));
    }
}
