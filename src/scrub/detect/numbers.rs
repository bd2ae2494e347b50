//! Personal data written as numbers: card numbers, US SSNs and ITINs,
//! IMEIs, phone numbers, IPv4 addresses.
//!
//! Events are full of innocent numbers (timestamps, ids, ports, versions,
//! prices, order numbers), so every family here asks for more than digits:
//! a card network's prefix and length and the Luhn sum; an SSN's valid
//! ranges; an IMEI's reporting body and Luhn; a phone's international `+`
//! or a national layout with separators (a bare run of ten digits is an id,
//! not a phone). All of them read one *number*: digit groups joined by one
//! kind of separator (`4111 1111 1111 1111`, `078-05-1120`), read once from
//! where it starts and at most [`MAX_GROUPS`] groups long, so each start
//! costs a bounded amount whatever the text holds.

use std::net::Ipv4Addr;

use super::bytes::{is_alnum, is_digit, is_word};
use super::checks::luhn_valid;
use super::families::index_of;
use super::scan::Scan;

const CREDITCARD: usize = index_of("creditcard");
const SSN: usize = index_of("usssn");
const ITIN: usize = index_of("us-itin");
const IMEI: usize = index_of("imei");
const PHONE: usize = index_of("phone");
const IP: usize = index_of("ip");

const MAX_GROUPS: usize = 8;
/// No family here has a group longer than this (19 digits: the longest card).
const MAX_GROUP_DIGITS: usize = 19;

/// Digit groups from one start: their byte ranges and the separator between them.
#[derive(Debug, Default)]
struct Number {
    /// The groups' byte ranges; only the first `count` are read.
    ranges: [(usize, usize); MAX_GROUPS],
    count: usize,
    separator: Option<u8>,
}

impl Number {
    /// Reads digit groups from `start`: a group, then while a single
    /// separator (the same one each time) is followed by a digit, another.
    fn read(bytes: &[u8], start: usize, separators: &[u8]) -> Number {
        let mut number = Number::default();
        let mut at = start;
        loop {
            let group_start = at;
            while at < bytes.len() && is_digit(bytes[at]) && at - group_start <= MAX_GROUP_DIGITS {
                at += 1;
            }
            if at == group_start {
                break;
            }
            number.ranges[number.count] = (group_start, at);
            number.count += 1;
            if at - group_start > MAX_GROUP_DIGITS || number.count == MAX_GROUPS {
                break;
            }
            let Some(&next) = bytes.get(at) else { break };
            let separator_fits = separators.contains(&next)
                && number.separator.is_none_or(|used| used == next)
                && bytes.get(at + 1).is_some_and(|b| is_digit(*b));
            if !separator_fits {
                break;
            }
            number.separator = Some(next);
            at += 1;
        }
        number
    }

    /// The groups read: in a fixed array, as one is read at every number
    /// start and a heap allocation would cost more than the reading.
    fn groups(&self) -> &[(usize, usize)] {
        &self.ranges[..self.count]
    }

    fn digits(&self, count: usize) -> usize {
        self.groups()[..count].iter().map(|(s, e)| e - s).sum()
    }

    fn lengths(&self, count: usize) -> impl Iterator<Item = usize> + '_ {
        self.groups()[..count].iter().map(|(s, e)| e - s)
    }

    /// The end of the first `count` groups.
    fn end(&self, count: usize) -> usize {
        self.groups()[count - 1].1
    }
}

/// Whether the number ending at `end` goes on as part of something longer
/// (`1.2.3.4.5`, `4111-1111-1111-1111-2`, a letter or digit right after it).
fn joined_after(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        Some(b'.' | b'-') => bytes.get(end + 1).is_some_and(|b| is_digit(*b)),
        Some(b) => is_alnum(*b),
        None => false,
    }
}

/// Whether the number starting at `start` continues something before it
/// (`v2.1.0.3`, `ORD-2024-…`, `1.5`).
fn joined_before(bytes: &[u8], start: usize) -> bool {
    match start.checked_sub(1).map(|i| bytes[i]) {
        Some(b'.' | b'-') => start >= 2 && is_alnum(bytes[start - 2]),
        Some(b) => is_word(b),
        None => false,
    }
}

/// The number families, tried where a word starts with a digit.
pub(super) fn at_digit(scan: &mut Scan<'_>, start: usize) {
    let bytes = scan.bytes;
    if joined_before(bytes, start) {
        return;
    }
    let number = Number::read(bytes, start, b" -.");
    let groups = number.groups().len();
    if groups == 0 {
        return;
    }
    if scan.wants(IP) {
        ipv4(scan, &number);
    }
    let wants_cards = scan.wants(CREDITCARD) || scan.wants(IMEI);
    // The longest run of groups that makes a card wins; a CVV or a year may follow it.
    if wants_cards && number.separator != Some(b'.') {
        for count in (1..=groups).rev() {
            if card_or_imei(scan, &number, count) {
                return;
            }
        }
    }
    if (scan.wants(SSN) || scan.wants(ITIN)) && groups >= 3 {
        ssn_or_itin(scan, &number);
    }
    if scan.wants(PHONE) {
        national_phone(scan, &number, start);
    }
}

fn ipv4(scan: &mut Scan<'_>, number: &Number) {
    if number.separator != Some(b'.') || number.groups().len() != 4 {
        return;
    }
    let (start, end) = (number.groups()[0].0, number.end(4));
    if joined_after(scan.bytes, end) {
        return;
    }
    // `N.0.0.0` is a network, not a host: and every reduced User-Agent's
    // browser version (`Chrome/131.0.0.0`).
    let personal = scan.text[start..end]
        .parse::<Ipv4Addr>()
        .is_ok_and(|address| {
            let network = address.octets()[1..] == [0, 0, 0];
            !(address.is_loopback() || address.is_unspecified() || network)
        });
    if personal {
        scan.found(IP, start, end);
    }
}

/// Cards: 12–19 digits, one group or groups of 3–6 digits, a network's
/// prefix and length, and the Luhn sum. An IMEI: 15 digits (or 2-6-6-1),
/// a known reporting body, and the Luhn sum.
fn card_or_imei(scan: &mut Scan<'_>, number: &Number, count: usize) -> bool {
    let digits = number.digits(count);
    if !(12..=19).contains(&digits) {
        return false;
    }
    let (start, end) = (number.groups()[0].0, number.end(count));
    if joined_after(scan.bytes, end) {
        return false;
    }
    let candidate = &scan.bytes[start..end];
    if !luhn_valid(candidate) {
        return false;
    }
    let compact: Vec<u8> = candidate.iter().copied().filter(|b| is_digit(*b)).collect();
    let card_groups = count == 1
        || number
            .lengths(count)
            .all(|length| (3..=6).contains(&length));
    if card_groups && scan.wants(CREDITCARD) && card_network(&compact) {
        scan.found(CREDITCARD, start, end);
        return true;
    }
    let imei_groups = count == 1 || number.lengths(count).eq([2, 6, 6, 1]);
    if imei_groups && digits == 15 && scan.wants(IMEI) && imei_body(&compact) {
        scan.found(IMEI, start, end);
        return true;
    }
    false
}

/// The issuer ranges of card networks (ISO/IEC 7812 IINs as the networks
/// publish them): the first digits, from and to, and the lengths issued.
const CARD_RANGES: &[(u32, u32, usize, usize)] = &[
    (4, 4, 13, 19),           // Visa (13, 16 and 19; see `card_network`)
    (51, 55, 16, 16),         // Mastercard
    (2221, 2720, 16, 16),     // Mastercard 2-series
    (34, 34, 15, 15),         // American Express
    (37, 37, 15, 15),         // American Express
    (6011, 6011, 16, 19),     // Discover
    (644, 649, 16, 19),       // Discover
    (65, 65, 16, 19),         // Discover, RuPay
    (300, 305, 14, 19),       // Diners Club International
    (36, 36, 14, 19),         // Diners Club
    (38, 39, 14, 19),         // Diners Club
    (3528, 3589, 16, 19),     // JCB
    (62, 62, 16, 19),         // UnionPay
    (50, 50, 12, 19),         // Maestro
    (56, 69, 12, 19),         // Maestro
    (5019, 5019, 16, 16),     // Dankort
    (1, 1, 15, 15),           // UATP
    (2200, 2204, 16, 19),     // Mir
    (60, 60, 16, 16),         // RuPay
    (508, 508, 16, 16),       // RuPay
    (9792, 9792, 16, 16),     // Troy
    (506099, 506198, 16, 19), // Verve
];

/// A prefix and length some card network issues.
fn card_network(digits: &[u8]) -> bool {
    let length = digits.len();
    let prefix = |count: usize| {
        digits
            .iter()
            .take(count)
            .fold(0u32, |value, digit| value * 10 + u32::from(digit - b'0'))
    };
    CARD_RANGES.iter().any(|&(low, high, shortest, longest)| {
        let width = low.to_string().len();
        let issued =
            (low..=high).contains(&prefix(width)) && (shortest..=longest).contains(&length);
        // Visa issues 13, 16 and 19 digits only.
        issued && (low != 4 || matches!(length, 13 | 16 | 19))
    })
}

/// The reporting bodies of IMEIs' type allocation codes seen in practice
/// (GSMA: 01, 10, 30, 33, 35, 44, 45, 49, 50–54, 86, 91, 98, 99). A bare
/// Luhn-valid 15-digit id is an IMEI only with one of them.
fn imei_body(digits: &[u8]) -> bool {
    let body = u32::from(digits[0] - b'0') * 10 + u32::from(digits[1] - b'0');
    matches!(
        body,
        1 | 10 | 30 | 33 | 35 | 44 | 45 | 49 | 50..=54 | 86 | 91 | 98 | 99
    )
}

/// `078-05-1120` (also with spaces or dots): area not 000, 666 or 900–999,
/// group not 00, serial not 0000. An area of 9xx with a group of 50–65,
/// 70–88, 90–92 or 94–99 is an ITIN.
fn ssn_or_itin(scan: &mut Scan<'_>, number: &Number) {
    if !number.lengths(3).eq([3, 2, 4]) {
        return;
    }
    let (start, end) = (number.groups()[0].0, number.end(3));
    if joined_after(scan.bytes, end) {
        return;
    }
    let value = |(s, e): (usize, usize)| scan.text[s..e].parse::<u32>().unwrap_or(0);
    let (area, group, serial) = (
        value(number.groups()[0]),
        value(number.groups()[1]),
        value(number.groups()[2]),
    );
    if group == 0 || serial == 0 {
        return;
    }
    if area >= 900 {
        let itin_group = matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99);
        if itin_group && scan.wants(ITIN) {
            scan.found(ITIN, start, end);
        }
    } else if area != 0 && area != 666 && scan.wants(SSN) {
        scan.found(SSN, start, end);
    }
}

/// National phone layouts, with separators (ten bare digits are an id):
/// North American `415-555-2671`, `415.555.2671`, `415 555 2671` (area and
/// exchange not starting with 0 or 1), and trunk-prefixed `020 7946 0958`,
/// `06 12 34 56 78`, `0171 1234567` (10–11 digits starting with 0, every
/// group of two digits or more).
fn national_phone(scan: &mut Scan<'_>, number: &Number, start: usize) {
    let groups = number.groups().len();
    // Every layout below has ten digits or more: most numbers with a
    // separator (dates, versions, amounts) stop here.
    if groups < 2 || number.separator.is_none() || number.digits(groups) < 10 {
        return;
    }
    let bytes = scan.bytes;
    let mut lengths = [0usize; MAX_GROUPS];
    for (slot, length) in lengths.iter_mut().zip(number.lengths(groups)) {
        *slot = length;
    }
    let lengths = &lengths[..groups];
    let digit = |group: usize, at: usize| bytes[number.groups()[group].0 + at];
    let nanp = |first: usize| {
        lengths.len() >= first + 3
            && lengths[first..first + 3] == [3, 3, 4]
            && !matches!(digit(first, 0), b'0' | b'1')
            && !matches!(digit(first + 1, 0), b'0' | b'1')
    };
    let count = if nanp(0) {
        Some(3)
    } else if lengths[0] == 1 && bytes[start] == b'1' && nanp(1) {
        Some(4)
    } else {
        let digits = number.digits(groups);
        let trunk = bytes[start] == b'0'
            && (10..=11).contains(&digits)
            && (2..=5).contains(&lengths[0])
            && lengths.iter().all(|length| *length >= 2);
        trunk.then_some(groups)
    };
    let Some(count) = count else { return };
    let end = number.end(count);
    if !joined_after(bytes, end) {
        scan.found(PHONE, start, end);
    }
}

/// `(415) 555-2671`, `(020) 7946 0958`: an area code in parentheses.
pub(super) fn at_parenthesis(scan: &mut Scan<'_>, open: usize) {
    if !scan.wants(PHONE) {
        return;
    }
    let bytes = scan.bytes;
    let area = Number::read(bytes, open + 1, b"");
    let Some(&(area_start, area_end)) = area.groups().first() else {
        return;
    };
    let area_length = area_end - area_start;
    if !(2..=5).contains(&area_length) || bytes.get(area_end) != Some(&b')') {
        return;
    }
    let mut rest_start = area_end + 1;
    if bytes.get(rest_start) == Some(&b' ') {
        rest_start += 1;
    }
    let rest = Number::read(bytes, rest_start, b" -");
    if rest.groups().is_empty() {
        return;
    }
    let rest_digits = rest.digits(rest.groups().len());
    let nanp = area_length == 3
        && rest.lengths(rest.groups().len()).eq([3, 4])
        && !matches!(bytes[area_start], b'0' | b'1');
    let trunk = bytes[area_start] == b'0' && (10..=11).contains(&(area_length + rest_digits));
    let end = rest.end(rest.groups().len());
    if (nanp || trunk) && !joined_after(bytes, end) {
        scan.found(PHONE, open, end);
    }
}

/// `+14155552671`, `+1 415 555 2671`, `+44 (0)20 7946 0958`, `+49-30-1234567`:
/// a `+`, a country code of one to three digits, 8–15 digits in all.
pub(super) fn at_plus(scan: &mut Scan<'_>, plus: usize) {
    if !scan.wants(PHONE) {
        return;
    }
    let bytes = scan.bytes;
    if plus > 0 && is_alnum(bytes[plus - 1]) {
        return;
    }
    let mut at = plus + 1;
    let mut digits = 0;
    let mut groups = 0;
    let mut first_group = 0;
    let mut separator: Option<u8> = None;
    let mut end = at;
    while at < bytes.len() && groups < MAX_GROUPS + 2 {
        let group_start = at;
        while at < bytes.len() && is_digit(bytes[at]) && at - group_start <= 15 {
            at += 1;
        }
        let length = at - group_start;
        if length == 0 {
            break;
        }
        if groups == 0 {
            first_group = length;
        }
        digits += length;
        groups += 1;
        end = at;
        // `(0)` after the country code, and `(20)` around an area code.
        let mut next = at;
        if bytes.get(next) == Some(&b' ') && bytes.get(next + 1) == Some(&b'(') {
            next += 1;
        }
        if bytes.get(next) == Some(&b'(') {
            let inner = Number::read(bytes, next + 1, b"");
            match inner.groups().first() {
                Some(&(s, e)) if e - s <= 4 && bytes.get(e) == Some(&b')') => {
                    let zero = bytes[s..e] == *b"0";
                    if !zero {
                        digits += e - s;
                    }
                    groups += 1;
                    at = e + 1;
                    end = at;
                    if bytes.get(at) == Some(&b' ') || bytes.get(at) == Some(&b'-') {
                        at += 1;
                    }
                    continue;
                }
                _ => break,
            }
        }
        match bytes.get(at) {
            Some(&b)
                if matches!(b, b' ' | b'-' | b'.')
                    && separator.is_none_or(|used| used == b)
                    && bytes.get(at + 1).is_some_and(|d| is_digit(*d)) =>
            {
                separator = Some(b);
                at += 1;
            }
            _ => break,
        }
    }
    let country_code_fits = (1..=3).contains(&first_group) || groups == 1;
    if (8..=15).contains(&digits) && country_code_fits && !joined_after(bytes, end) {
        scan.found(PHONE, plus, end);
    }
}

#[cfg(test)]
mod tests {
    use crate::scrub::detect::scan::tests::found;

    #[test]
    fn cards_of_every_network() {
        for card in [
            "4111 1111 1111 1111",
            "5555-5555-5555-4444",
            "378282246310005",
            "6011111111111117",
            "3530111333300000",
            "30569309025904",
            "6200000000000005",
            "6759649826438453",
            "5019717010103742",
            "122000000000003",
            "2200123456789019",
        ] {
            assert_eq!(
                found(&format!("paid with {card} today")),
                [(card.to_owned(), "creditcard")],
                "{card}"
            );
        }
    }

    #[test]
    fn numbers_that_are_not_cards() {
        for text in [
            "id 4111111111111112",
            "ts 1732212345123456",
            "4111-1111-1111-1111-2",
            "price 4111111111111111.50",
            "v4111.1111.1111.1111",
        ] {
            assert!(
                found(text)
                    .iter()
                    .all(|(_, family)| *family != "creditcard"),
                "{text}"
            );
        }
    }

    #[test]
    fn ssn_itin_imei() {
        assert_eq!(
            found("ssn 078-05-1120"),
            [("078-05-1120".to_owned(), "usssn")]
        );
        assert_eq!(
            found("ssn 078 05 1120."),
            [("078 05 1120".to_owned(), "usssn")]
        );
        assert_eq!(
            found("ssn 078.05.1120"),
            [("078.05.1120".to_owned(), "usssn")]
        );
        assert_eq!(
            found("itin 912-71-1234"),
            [("912-71-1234".to_owned(), "us-itin")]
        );
        assert!(found("ref 666-05-1120 and 912-40-1234").is_empty());
        assert_eq!(
            found("imei 490154203237518"),
            [("490154203237518".to_owned(), "imei")]
        );
        assert_eq!(
            found("imei 35-209900-176148-1"),
            [("35-209900-176148-1".to_owned(), "imei")]
        );
        assert!(found("id 490154203237517").is_empty());
    }

    #[test]
    fn phones_in_every_layout_and_numbers_that_are_not_phones() {
        for phone in [
            "+14155552671",
            "+1 415 555 2671",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+49-30-1234567",
            "(415) 555-2671",
            "415-555-2671",
            "415.555.2671",
            "1 415 555 2671",
            "020 7946 0958",
            "06 12 34 56 78",
            "0171 1234567",
        ] {
            assert_eq!(
                found(&format!("call {phone} now")),
                [(phone.to_owned(), "phone")],
                "{phone}"
            );
        }
        for text in [
            "at 2026-12-01 19:45:09",
            "version 4.15.5552.671",
            "order 4155552671",
            "ORD-2024-000123",
            "ids 123-456-7890",
            "offset +01:00 and +0100",
            "up +15%",
            "room 01-12-2026",
        ] {
            assert!(
                found(text).iter().all(|(_, family)| *family != "phone"),
                "{text}"
            );
        }
    }

    #[test]
    fn ipv4_addresses_alone() {
        assert_eq!(
            found("from 203.0.113.9."),
            [("203.0.113.9".to_owned(), "ip")]
        );
        assert!(found("version 1.2.3.4.5 and 127.0.0.1 and 0.0.0.0").is_empty());
    }
}
