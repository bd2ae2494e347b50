//! Finders anchored on a separator byte: emails (`@`), URL passwords
//! (`://`), IPv6 and MAC addresses (`:`), and the few tokens whose only
//! mark is in their middle (Telegram's `:AA`, Azure's `Q~`, Terraform's
//! `.atlasv1.`, a Facebook app token's `|`, Mailchimp's `-us12`).
//!
//! Each reads outwards from its anchor. Reading back is bounded by where
//! the previous finding of the same finder ended (`Scan::resume`), so a
//! text of a million anchors is read a bounded number of times per byte.

use std::net::Ipv6Addr;

use super::bytes::{is_alnum, is_digit, is_word, run_end, run_start, Alphabet};
use super::families::index_of;
use super::scan::{Resume, Scan};

const EMAIL: usize = index_of("email");
const URL_PASSWORD: usize = index_of("urlauth");
const IP: usize = index_of("ip");
const MAC: usize = index_of("mac-address");
const TELEGRAM: usize = index_of("telegram-token");
const AZURE: usize = index_of("azure-secret");
const TERRAFORM: usize = index_of("terraform-token");
const FACEBOOK: usize = index_of("facebook-token");
const MAILCHIMP: usize = index_of("mailchimp-key");

/// `[A-Za-z0-9._%+-]+@` labels `.` a top-level domain of two letters or
/// more, or an internationalised one (`xn--p1ai`).
pub(super) fn at_sign(scan: &mut Scan<'_>, at: usize) {
    if !scan.wants(EMAIL) {
        return;
    }
    let bytes = scan.bytes;
    let is_local = |b: u8| is_alnum(b) || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-');
    let floor = scan.resume(Resume::Email).max(at.saturating_sub(256));
    let start = run_start(bytes, floor, at, is_local);
    if start == at {
        return;
    }
    let is_label = |b: u8| is_alnum(b) || b == b'-';
    let mut position = at + 1;
    let mut end = None;
    let mut labels = 0;
    loop {
        let label_start = position;
        while position < bytes.len() && is_label(bytes[position]) && position - label_start < 64 {
            position += 1;
        }
        if position == label_start {
            break;
        }
        let label = &bytes[label_start..position];
        let at_boundary = bytes.get(position).is_none_or(|b| !is_word(*b));
        let top_level = label.len() >= 2 && label.iter().all(u8::is_ascii_alphabetic)
            || (label.len() > 4 && label[..4].eq_ignore_ascii_case(b"xn--"));
        if labels > 0 && top_level && at_boundary {
            end = Some(position);
        }
        labels += 1;
        if bytes.get(position) != Some(&b'.') || labels == 16 {
            break;
        }
        position += 1;
    }
    if let Some(end) = end {
        scan.found(EMAIL, start, end);
        scan.set_resume(Resume::Email, end);
    }
}

/// A URL's password: `scheme://user:PASSWORD@host`, the user possibly
/// empty (`redis://:PASSWORD@cache:6379`), the password possibly holding an
/// `@` (the userinfo ends at the authority's last `@`).
pub(super) fn at_colon(scan: &mut Scan<'_>, colon: usize) {
    let bytes = scan.bytes;
    if bytes[colon + 1..].starts_with(b"//") {
        if scan.wants(URL_PASSWORD) {
            url_password(scan, colon);
        }
        return;
    }
    if scan.wants(IP) {
        ipv6(scan, colon);
    }
    if scan.wants(MAC) {
        mac(scan, colon, b':');
    }
    if scan.wants(TELEGRAM) {
        telegram(scan, colon);
    }
}

fn url_password(scan: &mut Scan<'_>, colon: usize) {
    let bytes = scan.bytes;
    let is_scheme = |b: u8| is_alnum(b) || matches!(b, b'+' | b'.' | b'-');
    let scheme_start = run_start(bytes, colon.saturating_sub(32), colon, is_scheme);
    if scheme_start == colon || !bytes[scheme_start].is_ascii_alphabetic() {
        return;
    }
    let authority_start = colon + 3;
    let ends_authority = |b: u8| {
        b.is_ascii_whitespace() || matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>')
    };
    let mut authority_end = authority_start;
    while authority_end < bytes.len()
        && !ends_authority(bytes[authority_end])
        && authority_end - authority_start < 1024
    {
        authority_end += 1;
    }
    let authority = &bytes[authority_start..authority_end];
    let Some(last_at) = authority.iter().rposition(|b| *b == b'@') else {
        return;
    };
    let Some(separator) = authority[..last_at].iter().position(|b| *b == b':') else {
        return;
    };
    let (start, end) = (authority_start + separator + 1, authority_start + last_at);
    if end > start {
        scan.found(URL_PASSWORD, start, end);
    }
}

/// An IPv6 address in any form: groups of hex and colons, an IPv4 tail
/// (`::ffff:192.0.2.1`), a zone (`fe80::1%eth0`); not loopback or
/// unspecified, and standing alone (`std::fmt`, `12:30:45` are not
/// addresses). A sentence's final period is not part of it.
fn ipv6(scan: &mut Scan<'_>, colon: usize) {
    let bytes = scan.bytes;
    if colon < scan.resume(Resume::Ipv6) {
        return;
    }
    let is_part = |b: u8| b.is_ascii_hexdigit() || b == b':' || b == b'.';
    let floor = colon.saturating_sub(45);
    let start = run_start(bytes, floor, colon, is_part);
    let mut end = colon;
    while end < bytes.len() && is_part(bytes[end]) && end - start < 64 {
        end += 1;
    }
    scan.set_resume(Resume::Ipv6, end);
    let mut address_end = end;
    while address_end > start && bytes[address_end - 1] == b'.' {
        address_end -= 1;
    }
    let mut secret_end = address_end;
    if address_end == end && bytes.get(end) == Some(&b'%') {
        secret_end = run_end(bytes, end + 1, Alphabet::WORD_DASH);
    }
    let candidate = &scan.text[start..address_end];
    let joined_before = start > 0 && (is_alnum(bytes[start - 1]) || bytes[start - 1] == b'_');
    let joined_after = bytes
        .get(secret_end)
        .is_some_and(|b| is_alnum(*b) || *b == b'_');
    let personal = !joined_before
        && !joined_after
        && candidate.bytes().any(|b| b.is_ascii_digit())
        && candidate.bytes().filter(|b| *b == b':').count() >= 2
        && candidate
            .parse::<Ipv6Addr>()
            .is_ok_and(|address| !(address.is_loopback() || address.is_unspecified()));
    if personal {
        scan.found(IP, start, secret_end);
    }
}

/// `00:1A:2B:3C:4D:5E`, `00-1a-2b-3c-4d-5e` (six pairs, one separator),
/// found at the first separator; neither all zero nor broadcast.
pub(super) fn mac(scan: &mut Scan<'_>, separator_at: usize, separator: u8) {
    let bytes = scan.bytes;
    let Some(start) = separator_at.checked_sub(2) else {
        return;
    };
    if bytes.get(start + 2) != Some(&separator)
        || (start > 0 && (is_word(bytes[start - 1]) || bytes[start - 1] == separator))
    {
        return;
    }
    let pair = |at: usize| {
        bytes
            .get(at..at + 2)
            .is_some_and(|p| p.iter().all(u8::is_ascii_hexdigit))
    };
    let end = start + 17;
    let shaped = (0..6).all(|i| pair(start + 3 * i))
        && (1..6).all(|i| bytes.get(start + 3 * i - 1) == Some(&separator));
    if shaped
        && !bytes
            .get(end)
            .is_some_and(|b| is_word(*b) || *b == separator)
    {
        report_mac(scan, start, end);
    }
}

fn report_mac(scan: &mut Scan<'_>, start: usize, end: usize) {
    let hex: Vec<u8> = scan.bytes[start..end]
        .iter()
        .copied()
        .filter(u8::is_ascii_hexdigit)
        .collect();
    let all_zero = hex.iter().all(|b| *b == b'0');
    let broadcast = hex.iter().all(|b| b.eq_ignore_ascii_case(&b'f'));
    if !all_zero && !broadcast {
        scan.found(MAC, start, end);
    }
}

/// A Telegram bot token: `123456789:AA…` (5–16 digits, `:`, `A` and 34 more).
fn telegram(scan: &mut Scan<'_>, colon: usize) {
    let bytes = scan.bytes;
    if bytes.get(colon + 1) != Some(&b'A') {
        return;
    }
    let start = run_start(bytes, colon.saturating_sub(16), colon, is_digit);
    let digits = colon - start;
    if !(5..=16).contains(&digits) || (start > 0 && is_word(bytes[start - 1])) {
        return;
    }
    let end = run_end(bytes, colon + 2, Alphabet::WORD_DASH);
    if end - (colon + 2) == 34 {
        scan.found(TELEGRAM, start, end);
    }
}

/// An Azure AD client secret: three characters, a digit, `Q~`, then 31–34.
pub(super) fn at_tilde(scan: &mut Scan<'_>, tilde: usize) {
    if !scan.wants(AZURE) || tilde < 5 {
        return;
    }
    let bytes = scan.bytes;
    let alphabet = Alphabet::WORD_DASH_DOT_TILDE;
    let start = tilde - 5;
    let shaped = bytes[tilde - 1] == b'Q'
        && is_digit(bytes[tilde - 2])
        && bytes[start..tilde - 2]
            .iter()
            .all(|b| alphabet.has(*b) && *b != b'-');
    if !shaped || (start > 0 && alphabet.has(bytes[start - 1]) && bytes[start - 1] != b'.') {
        return;
    }
    let end = run_end(bytes, tilde + 1, alphabet);
    if (31..=34).contains(&(end - tilde - 1)) {
        scan.found(AZURE, start, end);
    }
}

/// A Terraform Cloud token: 14 characters, `.atlasv1.`, 60–70 more.
pub(super) fn at_dot(scan: &mut Scan<'_>, dot: usize) {
    if !scan.wants(TERRAFORM) || !scan.bytes[dot..].starts_with(b".atlasv1.") || dot < 14 {
        return;
    }
    let bytes = scan.bytes;
    let start = dot - 14;
    if !bytes[start..dot].iter().all(|b| is_alnum(*b)) || (start > 0 && is_word(bytes[start - 1])) {
        return;
    }
    let end = run_end(bytes, dot + 9, Alphabet::WORD_DASH_EQUALS);
    if (60..=70).contains(&(end - dot - 9)) {
        scan.found(TERRAFORM, start, end);
    }
}

/// A Facebook app token: the app id (15–16 digits), `|`, the app secret.
pub(super) fn at_pipe(scan: &mut Scan<'_>, pipe: usize) {
    if !scan.wants(FACEBOOK) {
        return;
    }
    let bytes = scan.bytes;
    let start = run_start(bytes, pipe.saturating_sub(16), pipe, is_digit);
    if !(15..=16).contains(&(pipe - start)) || (start > 0 && is_word(bytes[start - 1])) {
        return;
    }
    let end = run_end(bytes, pipe + 1, Alphabet::WORD_DASH);
    if (27..=40).contains(&(end - pipe - 1)) && !bytes.get(end).is_some_and(|b| is_alnum(*b)) {
        scan.found(FACEBOOK, start, end);
    }
}

/// A Mailchimp API key: 32 lower-case hex digits, `-us`, the datacenter.
pub(super) fn mailchimp(scan: &mut Scan<'_>, dash: usize) {
    if !scan.wants(MAILCHIMP) || dash < 32 || !scan.bytes[dash..].starts_with(b"-us") {
        return;
    }
    let bytes = scan.bytes;
    let start = dash - 32;
    let hex = bytes[start..dash]
        .iter()
        .all(|b| Alphabet::HEX_LOWER.has(*b));
    if !hex || (start > 0 && is_word(bytes[start - 1])) {
        return;
    }
    let end = run_end(bytes, dash + 3, Alphabet::DIGITS);
    if (1..=2).contains(&(end - dash - 3)) && !bytes.get(end).is_some_and(|b| is_alnum(*b)) {
        scan.found(MAILCHIMP, start, end);
    }
}

#[cfg(test)]
mod tests {
    use crate::scrub::detect::scan::tests::found;

    fn only(text: &str, expected: &str, family: &str) {
        assert_eq!(found(text), [(expected.to_owned(), family)], "{text}");
    }

    #[test]
    fn emails() {
        only("mail ada@example.com.", "ada@example.com", "email");
        only(
            "to user@xn--bcher-kva.example now",
            "user@xn--bcher-kva.example",
            "email",
        );
        only(
            "to user@example.xn--p1ai now",
            "user@example.xn--p1ai",
            "email",
        );
        assert!(found("java.lang.Object@4b1c1ea0 and @home and user@localhost").is_empty());
    }

    #[test]
    fn url_passwords_with_or_without_a_user() {
        only("postgres://app:hunter22@db:5432/x", "hunter22", "urlauth");
        only("redis://:s3cret@cache:6379", "s3cret", "urlauth");
        only("amqp://u:p@ss@rabbit/vhost", "p@ss", "urlauth");
        assert!(found("https://example.com/a:b@c and https://u@host/").is_empty());
    }

    #[test]
    fn ipv6_whole_in_every_form() {
        for (text, address) in [
            ("via 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
            ("peer ::ffff:192.0.2.1 closed", "::ffff:192.0.2.1"),
            (
                "peer 2001:db8:85a3::8a2e:192.168.0.1 closed",
                "2001:db8:85a3::8a2e:192.168.0.1",
            ),
            ("link fe80::1%eth0 up", "fe80::1%eth0"),
            ("from 2001:db8::1.", "2001:db8::1"),
            ("[2001:db8::2]:443", "2001:db8::2"),
        ] {
            only(text, address, "ip");
        }
        assert!(found("std::fmt::Display at 12:30:45 ::1 and 0:0:0:0:0:0:0:1").is_empty());
    }

    #[test]
    fn mac_addresses() {
        only(
            "nic 00:1A:2B:3C:4D:5E up",
            "00:1A:2B:3C:4D:5E",
            "mac-address",
        );
        only(
            "nic 00-1a-2b-3c-4d-5e up",
            "00-1a-2b-3c-4d-5e",
            "mac-address",
        );
        only(
            "nic de-ad-be-ef-00-01 up",
            "de-ad-be-ef-00-01",
            "mac-address",
        );
        assert!(
            found("00:00:00:00:00:00 ff:ff:ff:ff:ff:ff 12:30:45 6f9619ff-8b86-d011").is_empty()
        );
    }

    #[test]
    fn tokens_marked_in_the_middle() {
        let telegram = format!("123456789:AA{}", "x".repeat(33));
        only(&format!("bot {telegram} ok"), &telegram, "telegram-token");
        let azure = format!("abc8Q~{}", "d".repeat(34));
        only(&format!("secret={azure}"), &azure, "secret-pair");
        only(&format!("value {azure}"), &azure, "azure-secret");
        let terraform = format!("{}.atlasv1.{}", "a".repeat(14), "b".repeat(67));
        only(&terraform, &terraform, "terraform-token");
        let facebook = format!("1234567890123456|{}", "k".repeat(30));
        only(&facebook, &facebook, "facebook-token");
        let mailchimp = format!("{}-us12", "0123456789abcdef".repeat(2));
        only(&mailchimp, &mailchimp, "mailchimp-key");
    }
}
