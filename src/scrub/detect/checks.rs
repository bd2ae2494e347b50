//! Checksums and tests a candidate must pass besides its shape.
//!
//! A shape alone catches innocent values: a 16-digit id looks like a card,
//! a 34-character base58 id like a Bitcoin address. Where a format carries a
//! checksum it decides: Luhn (cards, IMEIs), ISO 13616 mod-97 (IBANs),
//! base58check with double SHA-256 (legacy Bitcoin addresses), bech32
//! (SegWit addresses), CRC-32 (GitHub's and npm's token suffix). Where a
//! format has none, a crude entropy test keeps words out of token shapes.

/// The Luhn sum of the ASCII digits of `digits` (other bytes skipped).
pub(super) fn luhn_valid(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut count = 0;
    for &byte in digits.iter().rev().filter(|b| b.is_ascii_digit()) {
        let digit = u32::from(byte - b'0');
        sum += if count % 2 == 1 {
            let doubled = digit * 2;
            doubled - if doubled > 9 { 9 } else { 0 }
        } else {
            digit
        };
        count += 1;
    }
    count > 0 && sum % 10 == 0
}

/// ISO 13616: the first four characters moved to the end, letters as
/// numbers (A = 10), the remainder mod 97 is 1. Spaces and dashes skipped.
pub(super) fn iban_valid(candidate: &[u8]) -> bool {
    let compact: Vec<u8> = candidate
        .iter()
        .copied()
        .filter(|b| *b != b' ' && *b != b'-')
        .collect();
    if !(15..=34).contains(&compact.len()) {
        return false;
    }
    let mut remainder: u32 = 0;
    for &byte in compact[4..].iter().chain(&compact[..4]) {
        let value = match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'A'..=b'Z' => u32::from(byte - b'A') + 10,
            _ => return false,
        };
        let width = if value >= 10 { 100 } else { 10 };
        remainder = (remainder * width + value) % 97;
    }
    remainder == 1
}

/// CRC-32 (IEEE, reflected), as zlib computes it.
pub(super) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// GitHub's (and npm's) token checksum: the last six characters are the
/// CRC-32 of the 30 before them, in base62, zero-padded.
pub(super) fn github_checksum_valid(body: &[u8]) -> bool {
    let Some(split) = body.len().checked_sub(6) else {
        return false;
    };
    let (random, checksum) = body.split_at(split);
    let mut value = crc32(random);
    let mut encoded = [b'0'; 6];
    for slot in encoded.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    value == 0 && encoded == checksum
}

/// SHA-256 (FIPS 180-4), for base58check.
pub(super) fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choose = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choose)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (slot, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut digest = [0u8; 32];
    for (chunk, word) in digest.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// A legacy Bitcoin address: base58 of version + 20-byte hash + the first
/// four bytes of the double SHA-256 of the rest.
pub(super) fn base58check_valid(candidate: &[u8]) -> bool {
    // 25 bytes fit in 200 bits: decode into a fixed big-endian buffer.
    let mut decoded = [0u8; 25];
    for &byte in candidate {
        let Some(mut carry) = BASE58.iter().position(|c| *c == byte).map(|d| d as u32) else {
            return false;
        };
        for slot in decoded.iter_mut().rev() {
            carry += u32::from(*slot) * 58;
            *slot = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let leading_ones = candidate.iter().take_while(|b| **b == b'1').count();
    let leading_zeros = decoded.iter().take_while(|b| **b == 0).count();
    // Base58 writes each leading zero byte as a `1`; the version byte is 0 or 5.
    if leading_ones != leading_zeros || !matches!(decoded[0], 0 | 5) {
        return false;
    }
    let (payload, checksum) = decoded.split_at(21);
    sha256(&sha256(payload))[..4] == *checksum
}

/// A SegWit address (BIP 173 bech32, BIP 350 bech32m) with the `bc` prefix.
pub(super) fn bech32_valid(candidate: &[u8]) -> bool {
    const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    const GENERATORS: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let lower: Vec<u8> = candidate.iter().map(u8::to_ascii_lowercase).collect();
    let Some(separator) = lower.iter().rposition(|b| *b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..separator], &lower[separator + 1..]);
    if hrp != b"bc" || data.len() < 6 {
        return false;
    }
    let mut checksum: u32 = 1;
    let mut feed = |value: u32| {
        let top = checksum >> 25;
        checksum = (checksum & 0x1ff_ffff) << 5 ^ value;
        for (bit, generator) in GENERATORS.iter().enumerate() {
            if (top >> bit) & 1 == 1 {
                checksum ^= generator;
            }
        }
    };
    for &byte in hrp {
        feed(u32::from(byte >> 5));
    }
    feed(0);
    for &byte in hrp {
        feed(u32::from(byte & 31));
    }
    for &byte in data {
        let Some(value) = CHARSET.iter().position(|c| *c == byte) else {
            return false;
        };
        feed(value as u32);
    }
    checksum == 1 || checksum == 0x2bc8_30a3
}

/// Whether `text` looks random enough to be a token rather than a word or
/// a name: at least three kinds of character among lower case, upper case
/// and digits, or two kinds with digits making up more than a fifth.
pub(super) fn looks_random(text: &[u8]) -> bool {
    let lower = text.iter().filter(|b| b.is_ascii_lowercase()).count();
    let upper = text.iter().filter(|b| b.is_ascii_uppercase()).count();
    let digits = text.iter().filter(|b| b.is_ascii_digit()).count();
    let kinds = [lower, upper, digits]
        .iter()
        .filter(|count| **count > 0)
        .count();
    kinds == 3 || (kinds == 2 && digits * 5 > text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_iban_sums() {
        assert!(luhn_valid(b"4111 1111 1111 1111"));
        assert!(!luhn_valid(b"4111111111111112"));
        assert!(luhn_valid(b"490154203237518"), "an IMEI");
        assert!(iban_valid(b"DE89 3704 0044 0532 0130 00"));
        assert!(iban_valid(b"DE89-3704-0044-0532-0130-00"));
        assert!(!iban_valid(b"DE88370400440532013000"));
    }

    #[test]
    fn digests_match_their_published_test_vectors() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let digest = sha256(b"abc");
        assert_eq!(
            digest[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "FIPS 180-4's abc example"
        );
        assert_eq!(sha256(&[b'a'; 1000])[..2], [0x41, 0xed]);
    }

    #[test]
    fn bitcoin_addresses_carry_their_checksum() {
        assert!(base58check_valid(b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
        assert!(base58check_valid(b"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assert!(!base58check_valid(b"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"));
        assert!(bech32_valid(b"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        assert!(bech32_valid(
            b"bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"
        ));
        assert!(!bech32_valid(b"bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"));
    }

    #[test]
    fn github_checksums() {
        let random = b"abcdefghijABCDEFGHIJ0123456789";
        let mut value = crc32(random);
        let mut suffix = [b'0'; 6];
        for slot in suffix.iter_mut().rev() {
            *slot = BASE62[(value % 62) as usize];
            value /= 62;
        }
        let token = [&random[..], &suffix[..]].concat();
        assert!(github_checksum_valid(&token));
        let mut wrong = token.clone();
        wrong[35] = if wrong[35] == b'A' { b'B' } else { b'A' };
        assert!(!github_checksum_valid(&wrong));
    }

    #[test]
    fn random_tokens_and_words() {
        assert!(looks_random(b"4gT9xQ2mPz"));
        assert!(looks_random(b"A1B2C3D4E5F6G7H8"));
        assert!(!looks_random(b"VERSIONHISTORYLOG"));
        assert!(!looks_random(b"configuration"));
    }
}
