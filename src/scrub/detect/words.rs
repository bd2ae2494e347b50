//! Secrets recognised by the shape of a whole word rather than a prefix:
//! IBANs, Bitcoin and Ethereum addresses, Discord bot tokens, MaxMind
//! license keys, MAC addresses. Each is tried at a word start, with the
//! word's end already known, and most are turned away by its length or its
//! first bytes before anything is read.

use super::bytes::{is_alnum, is_digit, is_word, run_end, Alphabet};
use super::checks::{base58check_valid, bech32_valid, iban_valid};
use super::families::index_of;
use super::scan::Scan;

const IBAN: usize = index_of("iban");
const BITCOIN: usize = index_of("bitcoin-address");
const ETHEREUM: usize = index_of("ethereum-address");
const DISCORD: usize = index_of("discord-token");
const MAXMIND: usize = index_of("maxmind-key");

/// Tries every word shape on the word `start..end`. Each shape is first
/// asked about the word's first byte and length, which turn away nearly
/// every word before a byte of it is read.
#[inline]
pub(super) fn at_word(scan: &mut Scan<'_>, start: usize) {
    let bytes = scan.bytes;
    let first = bytes[start];
    // The shorter shapes' tests come first; the word is measured only for
    // the long ones, and only as far as they could need (74 bytes).
    let long = |least: usize| bytes.get(start + least - 1).is_some_and(|b| is_word(*b));
    let end = || {
        start
            + bytes[start..bytes.len().min(start + 75)]
                .iter()
                .take_while(|b| is_word(**b))
                .count()
    };
    match first {
        b'A'..=b'Z' => {
            let iban_head =
                bytes.get(start + 3).is_some_and(|b| is_digit(*b)) && is_digit(bytes[start + 2]);
            if iban_head && bytes[start + 1].is_ascii_uppercase() && scan.wants(IBAN) {
                iban(scan, start);
            }
            if matches!(first, b'M' | b'N' | b'O') && long(23) && scan.wants(DISCORD) {
                let end = end();
                if end - start <= 26 {
                    discord(scan, start, end);
                }
            }
            if first == b'B' && long(14) {
                wallet(scan, start, end());
            }
        }
        b'1' | b'3' | b'b' if long(14) => wallet(scan, start, end()),
        b'0' if long(42) => wallet(scan, start, end()),
        _ => {}
    }
}

/// Bitcoin and Ethereum addresses.
fn wallet(scan: &mut Scan<'_>, start: usize, end: usize) {
    let bytes = scan.bytes;
    if scan.wants(BITCOIN) && bitcoin(&bytes[start..end]) {
        scan.found(BITCOIN, start, end);
    }
    let ethereum = end - start == 42
        && bytes[start] == b'0'
        && bytes[start + 1] == b'x'
        && bytes[start + 2..end].iter().all(u8::is_ascii_hexdigit);
    if ethereum && scan.wants(ETHEREUM) {
        scan.found(ETHEREUM, start, end);
    }
}

/// A legacy address (`1…`, `3…`: base58check) or a SegWit one (`bc1…`: bech32).
fn bitcoin(word: &[u8]) -> bool {
    match word.first() {
        Some(b'1' | b'3') => (25..=34).contains(&word.len()) && base58check_valid(word),
        Some(b'b' | b'B') => {
            (14..=74).contains(&word.len())
                && word[..3].eq_ignore_ascii_case(b"bc1")
                && bech32_valid(word)
        }
        _ => false,
    }
}

/// Two letters, two check digits, then letters and digits in groups
/// (`DE89 3704 0044 0532 0130 00`, with spaces, dashes or none): the longest
/// run of groups that passes ISO 13616's mod-97.
fn iban(scan: &mut Scan<'_>, start: usize) {
    let bytes = scan.bytes;
    let head = bytes.get(start..start + 4);
    let shaped = head.is_some_and(|h| {
        h[0].is_ascii_uppercase() && h[1].is_ascii_uppercase() && is_digit(h[2]) && is_digit(h[3])
    });
    if !shaped {
        return;
    }
    let body = Alphabet::UPPER_DIGITS;
    let mut ends = Vec::new();
    let mut at = start;
    let mut separator = None;
    let mut characters = 0;
    loop {
        let group_end = run_end(bytes, at, body);
        characters += group_end - at;
        if group_end == at || characters > 34 {
            break;
        }
        ends.push(group_end);
        let next = bytes.get(group_end).copied();
        let fits = matches!(next, Some(b' ' | b'-'))
            && separator.is_none_or(|used| Some(used) == next)
            && bytes.get(group_end + 1).is_some_and(|b| body.has(*b));
        if !fits {
            break;
        }
        separator = next;
        at = group_end + 1;
    }
    for &end in ends.iter().rev() {
        let stands_alone = !bytes.get(end).is_some_and(|b| is_alnum(*b));
        if stands_alone && iban_valid(&bytes[start..end]) {
            scan.found(IBAN, start, end);
            return;
        }
    }
}

/// A Discord bot token: the bot's user id in base64 (17–20 digits), `.`,
/// six characters of timestamp, `.`, 27–38 of HMAC.
fn discord(scan: &mut Scan<'_>, start: usize, end: usize) {
    let bytes = scan.bytes;
    if bytes.get(end) != Some(&b'.') || !decodes_to_digits(&bytes[start..end]) {
        return;
    }
    let timestamp_end = run_end(bytes, end + 1, Alphabet::WORD_DASH);
    if timestamp_end - end - 1 != 6 || bytes.get(timestamp_end) != Some(&b'.') {
        return;
    }
    let hmac_end = run_end(bytes, timestamp_end + 1, Alphabet::WORD_DASH);
    if (27..=38).contains(&(hmac_end - timestamp_end - 1))
        && !bytes.get(hmac_end).is_some_and(|b| is_word(*b))
    {
        scan.found(DISCORD, start, hmac_end);
    }
}

/// Whether base64 `encoded` decodes to 17–20 ASCII digits.
fn decodes_to_digits(encoded: &[u8]) -> bool {
    let mut bits = 0u32;
    let mut count = 0;
    let mut digits = 0;
    for &byte in encoded {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            _ => return false,
        };
        bits = bits << 6 | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            if !((bits >> count) as u8).is_ascii_digit() {
                return false;
            }
            digits += 1;
        }
    }
    (17..=20).contains(&digits)
}

/// Inside a word, at `_` before `m`: a MaxMind license key's `_mmk` ending
/// (six characters, `_`, 29, `_mmk`).
pub(super) fn inside_word(scan: &mut Scan<'_>, underscore: usize) {
    let bytes = scan.bytes;
    if !scan.wants(MAXMIND) || underscore < 36 || !bytes[underscore..].starts_with(b"_mmk") {
        return;
    }
    let (start, end) = (underscore - 36, underscore + 4);
    let word = &bytes[start..end];
    let shaped = word[6] == b'_' && word[..6].iter().chain(&word[7..36]).all(|b| is_alnum(*b));
    let alone =
        (start == 0 || !is_word(bytes[start - 1])) && !bytes.get(end).is_some_and(|b| is_word(*b));
    if shaped && alone {
        scan.found(MAXMIND, start, end);
    }
}

#[cfg(test)]
mod tests {
    use crate::scrub::detect::scan::tests::found;

    #[test]
    fn ibans_in_any_layout() {
        for iban in [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "DE89-3704-0044-0532-0130-00",
            "GB82 WEST 1234 5698 7654 32",
        ] {
            assert_eq!(
                found(&format!("pay to {iban}.")),
                [(iban.to_owned(), "iban")],
                "{iban}"
            );
        }
        assert!(found("iban DE00370400440532013000").is_empty());
    }

    #[test]
    fn wallets() {
        for (address, family) in [
            ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bitcoin-address"),
            ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin-address"),
            (
                "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                "bitcoin-address",
            ),
            (
                "0x52908400098527886E0F7030069857D2E4169EE7",
                "ethereum-address",
            ),
        ] {
            assert_eq!(
                found(&format!("send to {address} now")),
                [(address.to_owned(), family)]
            );
        }
        assert!(found("id 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3").is_empty());
    }

    #[test]
    fn discord_and_maxmind() {
        let discord = "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs";
        assert_eq!(
            found(&format!("bot {discord} ok")),
            [(discord.to_owned(), "discord-token")]
        );
        let maxmind = format!("aB3dE5_{}_mmk", "x".repeat(29));
        assert_eq!(found(&maxmind), [(maxmind.clone(), "maxmind-key")]);
    }
}
