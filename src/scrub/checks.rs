//! Checks a candidate must pass besides its shape.
//!
//! A regex finds what looks like a card number, an IBAN or an address; many
//! innocent values look the same (order ids, timestamps, versions, UUIDs).
//! These checks are the difference: a card network's prefix and length and
//! the Luhn sum, the IBAN mod-97 sum, SSN ranges, a real IP parse, and
//! whether the number stands alone rather than inside a longer one.

use std::net::{Ipv4Addr, Ipv6Addr};

/// What a candidate must pass besides its regex.
#[derive(Debug, Clone, Copy)]
pub(super) enum Check {
    None,
    Luhn,
    Iban,
    UsSsn,
    Ipv4,
    Ipv6,
}

pub(super) fn check(check: Check, text: &str, start: usize, end: usize) -> bool {
    let candidate = &text[start..end];
    match check {
        Check::None => true,
        Check::Luhn => standalone_number(text, start, end) && is_card_number(candidate),
        Check::Iban => is_iban(candidate),
        Check::UsSsn => standalone_number(text, start, end) && is_us_ssn(candidate),
        Check::Ipv4 => standalone_number(text, start, end) && is_personal_ipv4(&text[start..end]),
        Check::Ipv6 => is_ipv6(text, start, end),
    }
}

/// Not part of a longer dotted or dashed number (`1.2.3.4.5`, `v2.1.0.3`).
fn standalone_number(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).map(|index| bytes[index]);
    let before_that = start.checked_sub(2).map(|index| bytes[index]);
    let after = bytes.get(end).copied();
    let after_that = bytes.get(end + 1).copied();
    let joined_before =
        matches!(before, Some(b'.' | b'-')) && before_that.is_some_and(|b| b.is_ascii_digit());
    let joined_after =
        matches!(after, Some(b'.' | b'-')) && after_that.is_some_and(|b| b.is_ascii_digit());
    let letter_before = before.is_some_and(|b| b.is_ascii_alphabetic());
    !(joined_before || joined_after || letter_before)
}

/// 13–19 digits with a card network's prefix and length, and a valid Luhn sum.
fn is_card_number(candidate: &str) -> bool {
    // Cards are printed in groups of 3 to 6 digits (4-4-4-4, 4-6-5); longer
    // groups are other identifiers, such as the first 8 digits of a UUID.
    let groups: Vec<&str> = candidate.split([' ', '-']).collect();
    if groups.len() > 1 && groups.iter().any(|group| !(3..=6).contains(&group.len())) {
        return false;
    }
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    let length = digits.len();
    let prefix = |count: usize| {
        digits
            .iter()
            .take(count)
            .fold(0, |value, digit| value * 10 + digit)
    };
    let network = match digits.first() {
        Some(4) => matches!(length, 13 | 16 | 19),
        Some(3) => {
            (matches!(prefix(2), 34 | 37) && length == 15)
                || (matches!(prefix(2), 36 | 38 | 39) && length >= 14)
        }
        Some(5) => (51..=55).contains(&prefix(2)) && length == 16,
        Some(2) => (2221..=2720).contains(&prefix(4)) && length == 16,
        Some(6) => {
            (prefix(4) == 6011 || prefix(2) == 65 || (644..=649).contains(&prefix(3)))
                && length >= 16
        }
        _ => false,
    };
    network && luhn_valid(&digits)
}

pub(crate) fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum % 10 == 0
}

/// The ISO 13616 check: move the first four characters to the end, letters
/// as numbers (A = 10), and the remainder mod 97 must be 1.
fn is_iban(candidate: &str) -> bool {
    let compact: Vec<char> = candidate.chars().filter(|c| *c != ' ').collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    let rotated = compact[4..].iter().chain(&compact[..4]);
    let mut remainder: u32 = 0;
    for c in rotated {
        let Some(value) = c.to_digit(36) else {
            return false;
        };
        let width = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * width + value) % 97;
    }
    remainder == 1
}

/// Area not 000, 666 or 900–999; group not 00; serial not 0000.
fn is_us_ssn(candidate: &str) -> bool {
    let mut parts = candidate
        .split('-')
        .map(|part| part.parse::<u32>().unwrap_or(0));
    let (area, group, serial) = (parts.next(), parts.next(), parts.next());
    matches!((area, group, serial), (Some(area), Some(group), Some(serial))
        if area != 0 && area != 666 && area < 900 && group != 0 && serial != 0)
}

/// Loopback (`127.0.0.1`) and unspecified (`0.0.0.0`) addresses name no
/// one: a server's own address in a Host header or URL stays readable.
fn is_personal_ipv4(candidate: &str) -> bool {
    candidate
        .parse::<Ipv4Addr>()
        .is_ok_and(|address| !(address.is_loopback() || address.is_unspecified()))
}

/// Parses as an IPv6 address that is neither loopback nor unspecified,
/// holds a digit, and stands alone (`std::fmt::Display` and `12:30:45` are
/// not addresses).
fn is_ipv6(text: &str, start: usize, end: usize) -> bool {
    let candidate = &text[start..end];
    let bytes = text.as_bytes();
    let joined = |byte: Option<&u8>| {
        byte.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b':' || *b == b'.')
    };
    let before = start.checked_sub(1).and_then(|index| bytes.get(index));
    candidate.bytes().any(|b| b.is_ascii_digit())
        && candidate.matches(':').count() >= 2
        && !joined(before)
        && !joined(bytes.get(end))
        && candidate
            .parse::<Ipv6Addr>()
            .is_ok_and(|address| !(address.is_loopback() || address.is_unspecified()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_iban_and_ssn_sums() {
        assert!(luhn_valid(&[
            4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
        ]));
        assert!(!luhn_valid(&[
            4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2
        ]));
        assert!(is_iban("DE89 3704 0044 0532 0130 00"));
        assert!(!is_iban("DE88370400440532013000"));
        assert!(is_us_ssn("078-05-1120"));
        assert!(
            !is_us_ssn("666-05-1120") && !is_us_ssn("078-00-1120") && !is_us_ssn("912-05-1120")
        );
    }

    #[test]
    fn cards_need_a_network_and_card_like_groups() {
        assert!(is_card_number("4111 1111 1111 1111"));
        assert!(is_card_number("3782 822463 10005"));
        assert!(!is_card_number("1111 1111 1111 1117"));
        assert!(!is_card_number("41111111-1111-1111"));
    }
}
