//! Secrets that span lines or need the text around them: private keys
//! (PEM, OpenSSH, PGP, PuTTY), a Kubernetes Secret's data, `curl -u`
//! credentials, and `<add key="Password" value="…"/>` entries (NuGet and
//! .NET config files).
//!
//! A private key whose end marker is missing (a string cut at a size limit)
//! is taken out to the end of the text: half a key is still a key.
//! Searching for an end marker starts where the last search ended, so any
//! number of begin markers cost one pass.

use super::bytes::{is_word, run_end, Alphabet};
use super::families::index_of;
use super::scan::{Resume, Scan};

const PRIVATE_KEY: usize = index_of("pemkey");
const KUBERNETES: usize = index_of("kubernetes-secret");
const CURL: usize = index_of("curl-auth");
const NUGET: usize = index_of("nuget-password");

/// How far a Secret's `kind` and its `data:` may be apart.
const KUBERNETES_WINDOW: usize = 400;

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|offset| from + offset)
}

/// `-----BEGIN … PRIVATE KEY-----` (any kind, `BLOCK` for PGP, spaces
/// written as `+` or `%20` in a URL): the key between the markers.
pub(super) fn pem(scan: &mut Scan<'_>, dash: usize) {
    let bytes = scan.bytes;
    if !scan.wants(PRIVATE_KEY) || !bytes[dash..].starts_with(b"-----BEGIN") {
        return;
    }
    let label_start = dash + 10;
    let Some(label_end) = find_from(
        &bytes[..bytes.len().min(label_start + 128)],
        label_start,
        b"-----",
    ) else {
        return;
    };
    let label = &bytes[label_start..label_end];
    let spaced = |word: &[u8]| {
        [&b" "[..], b"+", b"%20"].iter().any(|space| {
            let mut needle = space.to_vec();
            needle.extend_from_slice(word);
            label
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        })
    };
    if !spaced(b"KEY") || !(label.windows(7).any(|w| w == b"PRIVATE")) {
        return;
    }
    let body_start = label_end + 5;
    let end = match scan.resume(Resume::PemEnd) {
        // The last search found no end marker after this point: there is none.
        usize::MAX => bytes.len(),
        known if known >= body_start => known,
        _ => {
            let found = find_from(bytes, body_start, b"-----END").unwrap_or(bytes.len());
            scan.set_resume(
                Resume::PemEnd,
                if found == bytes.len() {
                    usize::MAX
                } else {
                    found
                },
            );
            found
        }
    };
    if end > body_start {
        scan.found(PRIVATE_KEY, body_start, end);
    }
}

/// A PuTTY key file: the private lines and their MAC. `Private-Lines:` is
/// searched for at most 16 KB on, and never twice over the same bytes.
pub(super) fn putty(scan: &mut Scan<'_>, start: usize) {
    if !scan.wants(PRIVATE_KEY) {
        return;
    }
    let bytes = scan.bytes;
    let window = &bytes[..bytes.len().min(start + 16384)];
    let searched = scan.resume(Resume::Putty).max(start);
    let Some(lines) = find_from(window, searched, b"Private-Lines:") else {
        // "Private-Lines:" may start in the last bytes searched: search them again next time.
        scan.set_resume(Resume::Putty, window.len().saturating_sub(13));
        return;
    };
    let body_start = find_from(window, lines, b"\n").map_or(bytes.len(), |newline| newline + 1);
    let end = match find_from(window, body_start, b"Private-MAC:") {
        Some(mac) => find_from(bytes, mac, b"\n").unwrap_or(bytes.len()),
        None => bytes.len(),
    };
    if end > body_start {
        scan.found(PRIVATE_KEY, body_start, end);
    }
}

/// A Kubernetes Secret (YAML or JSON): with `kind: Secret` within reach,
/// every value of its `data` / `stringData` map. Found at `kind`.
pub(super) fn kubernetes(scan: &mut Scan<'_>, kind: usize) {
    if !scan.wants(KUBERNETES) {
        return;
    }
    let bytes = scan.bytes;
    let mut at = kind + 4;
    if bytes.get(at) == Some(&b'"') {
        at += 1;
    }
    at = skip_blanks(bytes, at);
    if bytes.get(at) != Some(&b':') {
        return;
    }
    at = skip_blanks(bytes, at + 1);
    if matches!(bytes.get(at), Some(b'"' | b'\'')) {
        at += 1;
    }
    let is_secret = bytes
        .get(at..at + 6)
        .is_some_and(|word| word.eq_ignore_ascii_case(b"secret"))
        && !bytes.get(at + 6).is_some_and(|b| is_word(*b));
    if !is_secret {
        return;
    }
    let from = kind.saturating_sub(KUBERNETES_WINDOW);
    let to = bytes.len().min(at + KUBERNETES_WINDOW);
    for data in [&b"data"[..], b"stringData"] {
        let mut search = from;
        while let Some(found) = find_from(&bytes[..to], search, data) {
            search = found + data.len();
            let starts_word = found == 0 || !is_word(bytes[found - 1]);
            if starts_word {
                data_values(scan, found, found + data.len());
            }
        }
    }
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    at
}

/// The values of the map under `data:` (YAML, indented below it) or
/// `"data": {…}` (JSON).
fn data_values(scan: &mut Scan<'_>, key_start: usize, key_end: usize) {
    let bytes = scan.bytes;
    let mut at = key_end;
    if bytes.get(at) == Some(&b'"') {
        at += 1;
    }
    at = skip_blanks(bytes, at);
    if bytes.get(at) != Some(&b':') {
        return;
    }
    at = skip_blanks(bytes, at + 1);
    if bytes.get(at) == Some(&b'{') {
        json_values(scan, at + 1);
        return;
    }
    let line_start = bytes[..key_start]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |n| n + 1);
    let indent = key_start - line_start;
    let mut line = match find_from(bytes, at, b"\n") {
        Some(newline) => newline + 1,
        None => return,
    };
    let mut block_indent: Option<usize> = None;
    while line < bytes.len() {
        let line_end = find_from(bytes, line, b"\n").unwrap_or(bytes.len());
        let content = skip_blanks(bytes, line);
        let depth = content - line;
        if content == line_end {
            line = line_end + 1;
            continue;
        }
        if depth <= indent {
            break;
        }
        if let Some(deeper) = block_indent {
            if depth > deeper {
                scan.found(KUBERNETES, content, line_end);
                line = line_end + 1;
                continue;
            }
            block_indent = None;
        }
        let key_end = run_end(
            bytes,
            content,
            Alphabet(Alphabet::WORD_DASH.0 | super::bytes::DOT),
        );
        if bytes.get(key_end) == Some(&b':') {
            let value = skip_blanks(bytes, key_end + 1);
            match bytes.get(value) {
                Some(b'|' | b'>') => block_indent = Some(depth),
                Some(_) if value < line_end => {
                    let (start, end) = unquote(bytes, value, line_end);
                    if end > start {
                        scan.found(KUBERNETES, start, end);
                    }
                }
                _ => {}
            }
        }
        line = line_end + 1;
    }
}

fn unquote(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let mut end = end;
    while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    match (bytes.get(start), end.checked_sub(1).map(|i| bytes[i])) {
        (Some(b'"'), Some(b'"')) | (Some(b'\''), Some(b'\'')) if end - start >= 2 => {
            (start + 1, end - 1)
        }
        _ => (start, end),
    }
}

/// `"name": "value"` members up to the closing brace.
fn json_values(scan: &mut Scan<'_>, mut at: usize) {
    let bytes = scan.bytes;
    let limit = bytes.len().min(at + 65536);
    while at < limit {
        at = skip_space(bytes, at);
        match bytes.get(at) {
            Some(b'"') => {}
            _ => return,
        }
        let Some(name_end) = closing_quote(bytes, at + 1, limit) else {
            return;
        };
        at = skip_space(bytes, name_end + 1);
        if bytes.get(at) != Some(&b':') {
            return;
        }
        at = skip_space(bytes, at + 1);
        if bytes.get(at) != Some(&b'"') {
            return;
        }
        let Some(value_end) = closing_quote(bytes, at + 1, limit) else {
            return;
        };
        if value_end > at + 1 {
            scan.found(KUBERNETES, at + 1, value_end);
        }
        at = skip_space(bytes, value_end + 1);
        match bytes.get(at) {
            Some(b',') => at += 1,
            _ => return,
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The closing `"` of a JSON string whose text starts at `from`.
fn closing_quote(bytes: &[u8], from: usize, limit: usize) -> Option<usize> {
    let mut at = from;
    while at < limit {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return Some(at),
            _ => at += 1,
        }
    }
    None
}

/// `curl … -u user:password`, `--user 'user:password'`, `--user=…`: the
/// credentials, whole (the user is often an API key). Found at `curl`.
pub(super) fn curl(scan: &mut Scan<'_>, start: usize) {
    // A `curl` inside a command already read (`… | xargs curl`) adds nothing.
    if !scan.wants(CURL) || start < scan.resume(Resume::Curl) {
        return;
    }
    let bytes = scan.bytes;
    // The command, up to five lines on (curl's arguments are often wrapped
    // with `\`), and never more than 4 KB: no line is searched past that.
    let limit = bytes.len().min(start + 4096);
    let mut end = start;
    for _ in 0..6 {
        end = find_from(&bytes[..limit], end, b"\n").map_or(limit, |newline| newline + 1);
        if end >= limit || !bytes[..end - 1].trim_ascii_end().ends_with(b"\\") {
            break;
        }
    }
    let command = &bytes[..end];
    scan.set_resume(Resume::Curl, command.len());
    let mut at = start + 4;
    while let Some(flag) = next_flag(command, at) {
        at = flag.1;
        let value = match command.get(at) {
            Some(b'=') => at + 1,
            Some(b' ' | b'\t') => skip_blanks(command, at),
            _ => continue,
        };
        let (value_start, value_end) = match command.get(value) {
            Some(&quote @ (b'"' | b'\'')) => {
                match command[value + 1..].iter().position(|b| *b == quote) {
                    Some(length) => (value + 1, value + 1 + length),
                    None => continue,
                }
            }
            Some(_) => {
                let length = command[value..]
                    .iter()
                    .take_while(|b| !b.is_ascii_whitespace())
                    .count();
                (value, value + length)
            }
            None => continue,
        };
        let credentials = &command[value_start..value_end];
        if credentials.contains(&b':') && credentials.len() >= 4 {
            scan.found(CURL, value_start, value_end);
        }
        at = value_end;
    }
}

/// The next ` -u` or ` --user` flag at or after `from`: its start and end.
fn next_flag(command: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while at < command.len() {
        let rest = &command[at..];
        let blank_before = command[at.saturating_sub(1)].is_ascii_whitespace();
        if blank_before {
            for flag in [&b"--user"[..], b"-u"] {
                if rest.starts_with(flag) {
                    return Some((at, at + flag.len()));
                }
            }
        }
        at += 1;
    }
    None
}

/// `<add key="ClearTextPassword" value="…" />` (and any `key` naming a
/// secret): the value. Found at `<`.
pub(super) fn config_entry(scan: &mut Scan<'_>, open: usize) {
    let bytes = scan.bytes;
    if !scan.wants(NUGET) || !bytes[open..].starts_with(b"<add ") {
        return;
    }
    let tag_end = match bytes[open..bytes.len().min(open + 4096)]
        .iter()
        .position(|b| *b == b'>')
    {
        Some(length) => open + length,
        None => return,
    };
    let tag = &scan.text[open..tag_end];
    let attribute = |name: &str| -> Option<(usize, usize)> {
        let needle = format!("{name}=\"");
        let found = tag.find(&needle)?;
        let start = found + needle.len();
        let length = tag[start..].find('"')?;
        Some((open + start, open + start + length))
    };
    let (Some((key_start, key_end)), Some((value_start, value_end))) =
        (attribute("key"), attribute("value"))
    else {
        return;
    };
    if value_end > value_start && scan.names_a_secret(&scan.text[key_start..key_end]) {
        scan.found(NUGET, value_start, value_end);
    }
}

#[cfg(test)]
mod tests {
    use crate::scrub::detect::scan::tests::found;

    #[test]
    fn private_keys_of_every_kind() {
        for label in [
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "PGP PRIVATE KEY BLOCK",
        ] {
            let text = format!("key: -----BEGIN {label}-----\nMIIB\n-----END {label}-----");
            assert_eq!(found(&text), [("\nMIIB\n".to_owned(), "pemkey")], "{label}");
        }
        assert_eq!(
            found("-----BEGIN+PRIVATE+KEY-----MIIEvQIBADAN"),
            [("MIIEvQIBADAN".to_owned(), "pemkey")],
            "cut short, in a URL"
        );
        assert!(found("-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----").is_empty());
        let putty = "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 2\nAAAA\nPrivate-Lines: 1\nAAAAIBC\nPrivate-MAC: 8a9f\n";
        assert_eq!(
            found(putty),
            [("AAAAIBC\nPrivate-MAC: 8a9f".to_owned(), "pemkey")]
        );
    }

    #[test]
    fn kubernetes_secrets_yaml_and_json() {
        let yaml = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  tls.crt: LS0tLS1CRUdJTg==\n  password: \"aHVudGVyMg==\"\ntype: Opaque\n";
        let values: Vec<String> = found(yaml).into_iter().map(|(text, _)| text).collect();
        assert_eq!(values, ["LS0tLS1CRUdJTg==", "aHVudGVyMg=="]);
        let json =
            r#"{"kind": "Secret", "data": {"config.json": "eyJhdXRocyI6e319", "user": "YWRh"}}"#;
        let values: Vec<String> = found(json).into_iter().map(|(text, _)| text).collect();
        assert_eq!(values, ["eyJhdXRocyI6e319", "YWRh"]);
        assert!(found("kind: ConfigMap\ndata:\n  mode: fast\n").is_empty());
    }

    #[test]
    fn curl_credentials_and_config_entries() {
        assert_eq!(
            found("curl -s -u admin:hunter22 https://x"),
            [("admin:hunter22".to_owned(), "curl-auth")]
        );
        assert_eq!(
            found("curl --user 'ci:t0k3n' \\\n  https://x"),
            [("ci:t0k3n".to_owned(), "curl-auth")]
        );
        assert_eq!(
            found(r#"<add key="ClearTextPassword" value="s3cr3t!!" />"#),
            [("s3cr3t!!".to_owned(), "nuget-password")]
        );
        assert!(found(r#"<add key="Theme" value="dark" />"#).is_empty());
    }
}
