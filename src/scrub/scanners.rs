//! Hand-written detectors for the shapes regex-lite is slow on.
//!
//! regex-lite keeps the WASM small and every policy regex linear-time, but
//! its matcher has no literal optimisations: an email or URL regex walks
//! every byte through the NFA. Emails and URL passwords are the detectors
//! that fire most (breadcrumb URLs, user data), so they are found here by
//! jumping to their anchor (`@`, `://`) and reading outwards. Each scanner
//! accepts exactly what the regex it replaces would (documented per scanner).

/// A match: the whole match and the part of it that is the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) whole: (usize, usize),
    pub(crate) secret: (usize, usize),
}

/// `[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b`
pub(crate) fn emails(text: &str, found: &mut Vec<Found>) {
    let bytes = text.as_bytes();
    let is_local =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let is_label = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let mut resume = 0;
    for at in memchr_all(bytes, b'@') {
        if at < resume {
            continue;
        }
        let start = run_start(bytes, resume, at, is_local);
        if start == at {
            continue;
        }
        // Labels after the `@`; the match ends after the last alphabetic
        // label of two or more letters that is not the first label.
        let mut position = at + 1;
        let mut end = None;
        let mut labels = 0;
        loop {
            let label_start = position;
            position = run_end(bytes, label_start, is_label);
            if position == label_start {
                break;
            }
            let label = &bytes[label_start..position];
            let at_boundary = bytes
                .get(position)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
            if labels > 0
                && label.len() >= 2
                && label.iter().all(u8::is_ascii_alphabetic)
                && at_boundary
            {
                end = Some(position);
            }
            labels += 1;
            if bytes.get(position) != Some(&b'.') {
                break;
            }
            position += 1;
        }
        if let Some(end) = end {
            found.push(Found {
                whole: (start, end),
                secret: (start, end),
            });
            resume = end;
        }
    }
}

/// `\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:@/?#]+:([^\s@/?#]+)@`: the password of
/// a URL's userinfo (`postgres://app:PASSWORD@db/shop`).
pub(crate) fn url_passwords(text: &str, found: &mut Vec<Found>) {
    let bytes = text.as_bytes();
    let is_scheme = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-');
    let stops_user =
        |b: u8| b.is_ascii_whitespace() || matches!(b, b':' | b'@' | b'/' | b'?' | b'#');
    let stops_password = |b: u8| b.is_ascii_whitespace() || matches!(b, b'@' | b'/' | b'?' | b'#');
    let mut search_from = 0;
    while let Some(offset) = text.get(search_from..).and_then(|rest| rest.find("://")) {
        let separator = search_from + offset;
        search_from = separator + 3;
        let scheme_start = run_start(bytes, 0, separator, is_scheme);
        if scheme_start == separator || !bytes[scheme_start].is_ascii_alphabetic() {
            continue;
        }
        let user_start = separator + 3;
        let user_end = run_end(bytes, user_start, |b| !stops_user(b));
        if user_end == user_start || bytes.get(user_end) != Some(&b':') {
            continue;
        }
        let password_start = user_end + 1;
        let password_end = run_end(bytes, password_start, |b| !stops_password(b));
        if password_end > password_start && bytes.get(password_end) == Some(&b'@') {
            found.push(Found {
                whole: (scheme_start, password_end + 1),
                secret: (password_start, password_end),
            });
            search_from = password_end + 1;
        }
    }
}

/// A key named before `=` or `:` in free text, as
/// `([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*[=:][ \t]*` would find it: the key's
/// byte range and where its value starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PairKey {
    pub(crate) key: (usize, usize),
    pub(crate) value_start: usize,
}

pub(crate) fn pair_keys(text: &str) -> impl Iterator<Item = PairKey> + '_ {
    let bytes = text.as_bytes();
    let is_key = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-');
    let is_blank = |b: u8| b == b' ' || b == b'\t';
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'=' || **byte == b':')
        .filter_map(move |(separator, _)| {
            let mut end = run_start(bytes, 0, separator, is_blank);
            if end > 0 && matches!(bytes[end - 1], b'"' | b'\'') {
                end -= 1;
            }
            let mut start = run_start(bytes, 0, end, is_key);
            while start < end && !(bytes[start].is_ascii_alphabetic() || bytes[start] == b'_') {
                start += 1;
            }
            let value_start = run_end(bytes, separator + 1, is_blank);
            (start < end).then_some(PairKey {
                key: (start, end),
                value_start,
            })
        })
}

/// Where the run of bytes that `keep` accepts, starting at `start`, ends.
fn run_end(bytes: &[u8], start: usize, keep: impl Fn(u8) -> bool) -> usize {
    start + bytes[start..].iter().take_while(|&&b| keep(b)).count()
}

/// Where the run of bytes that `keep` accepts, ending just before `end`,
/// starts; never before `floor`.
fn run_start(bytes: &[u8], floor: usize, end: usize, keep: impl Fn(u8) -> bool) -> usize {
    end - bytes[floor..end]
        .iter()
        .rev()
        .take_while(|&&b| keep(b))
        .count()
}

fn memchr_all(bytes: &[u8], needle: u8) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(move |(_, byte)| **byte == needle)
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(scanner: fn(&str, &mut Vec<Found>), text: &str) -> Vec<String> {
        let mut found = Vec::new();
        scanner(text, &mut found);
        found
            .iter()
            .map(|f| text[f.secret.0..f.secret.1].to_owned())
            .collect()
    }

    #[test]
    fn emails_like_the_regex() {
        assert_eq!(
            secrets(emails, "mail ada@example.com."),
            vec!["ada@example.com"]
        );
        assert_eq!(
            secrets(emails, "a.b+c@mail.example.co.uk x@y.io"),
            vec!["a.b+c@mail.example.co.uk", "x@y.io"]
        );
        assert_eq!(secrets(emails, "a@ex.com.x1 end"), vec!["a@ex.com"]);
        assert!(secrets(emails, "java.lang.Object@4b1c1ea0").is_empty());
        assert!(secrets(emails, "@home and user@localhost").is_empty());
    }

    #[test]
    fn pair_keys_like_the_regex() {
        let text = r#"a=1 "api_key": "x", 9tok : y, =z https://h"#;
        let keys: Vec<(&str, &str)> = pair_keys(text)
            .map(|pair| (&text[pair.key.0..pair.key.1], &text[pair.value_start..]))
            .collect();
        assert_eq!(
            keys,
            vec![
                ("a", "1 \"api_key\": \"x\", 9tok : y, =z https://h"),
                ("api_key", "\"x\", 9tok : y, =z https://h"),
                ("tok", "y, =z https://h"),
                ("https", "//h"),
            ]
        );
    }

    #[test]
    fn url_passwords_like_the_regex() {
        assert_eq!(
            secrets(url_passwords, "postgres://app:hunter22@db:5432/x"),
            vec!["hunter22"]
        );
        assert_eq!(
            secrets(url_passwords, "a https://u:p@h/ b redis://:nopass@h"),
            vec!["p"]
        );
        assert!(secrets(url_passwords, "https://example.com/a:b@c").is_empty());
        assert!(secrets(url_passwords, "://u:p@h").is_empty());
    }
}
