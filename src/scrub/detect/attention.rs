//! Which positions of a string the pass stops at, as one bit test a byte.
//!
//! Whether a finder may start at a position depends on three bytes: the one
//! before (a word character, a quote or anything else: is this a word
//! start? does a quoted key end here?), the byte itself and the one after
//! (`gh` may begin `ghp_`, `-` matters only before `-` or `u`, `(` only
//! before a digit, `,` only after a quote). Those 4 × 256 × 256 cases are
//! computed once per policy into a 32 KB bitmap, which stays in the L1
//! cache, so the pass costs two loads, a shift and a well-predicted branch
//! per byte, and stops only where some enabled finder could match. What a
//! stop then checks is in `scan`.

use super::bytes::{is_digit, is_word};
use super::tokens::PrefixIndex;

/// What the byte before a position is, as far as stopping there goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Before {
    Word = 0,
    Quote = 1,
    /// `.` and `-`, which join the parts of dotted and dashed names, dates
    /// and versions.
    Joiner = 2,
    Other = 3,
}

/// `Before` of every byte.
static BEFORE: [u8; 256] = {
    let mut table = [Before::Other as u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || b == b'_' {
            table[byte] = Before::Word as u8;
        } else if b == b'"' || b == b'\'' || b == b'`' {
            table[byte] = Before::Quote as u8;
        } else if b == b'.' || b == b'-' {
            table[byte] = Before::Joiner as u8;
        }
        byte += 1;
    }
    table
};

/// `BEFORE` shifted into place as the index's top bits.
static BEFORE_BITS: [usize; 256] = {
    let mut table = [0usize; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (BEFORE[byte] as usize) << 16;
        byte += 1;
    }
    table
};

/// The `Before` class of `byte`.
#[inline(always)]
pub(super) fn before(byte: u8) -> usize {
    usize::from(BEFORE[usize::from(byte)])
}

#[derive(Debug, Clone)]
pub(super) struct Attention {
    /// Bit `before << 16 | byte << 8 | next`.
    bits: Box<[u64; 4096]>,
}

impl Attention {
    pub(super) fn new(prefixes: &PrefixIndex) -> Attention {
        let mut bits = Box::new([0u64; 4096]);
        for previous in [Before::Word, Before::Quote, Before::Joiner, Before::Other] {
            for byte in 0..=u8::MAX {
                for next in 0..=u8::MAX {
                    if stops(prefixes, previous, byte, next) {
                        let index =
                            (previous as usize) << 16 | usize::from(byte) << 8 | usize::from(next);
                        bits[index >> 6] |= 1 << (index & 63);
                    }
                }
            }
        }
        Attention { bits }
    }

    /// Whether the pass stops at `byte`, `before` being `before()` of the
    /// byte preceding it (`Before::Other` at the start).
    #[inline(always)]
    pub(super) fn stops(&self, before: usize, byte: u8, next: u8) -> bool {
        // `& 3`: the index is in the bitmap for any `before`, with no check.
        let index = (before & 3) << 16 | usize::from(byte) << 8 | usize::from(next);
        self.bits[index >> 6] & (1 << (index & 63)) != 0
    }

    /// The first position at or after `from` where the pass stops, with
    /// `before()` of the byte preceding it; `previous` is that of the byte
    /// before `from`. A loop of its own, touching nothing but the bytes and
    /// the bitmap, so that it keeps everything in registers.
    #[inline]
    pub(super) fn next_stop(
        &self,
        bytes: &[u8],
        from: usize,
        previous: usize,
    ) -> Option<(usize, usize)> {
        let mut byte = *bytes.get(from)?;
        // The index's top bits, carried from byte to byte already shifted;
        // each byte is loaded once, as `next` and then as `byte`.
        let mut previous_bits = (previous & 3) << 16;
        for (at, &next) in bytes.iter().enumerate().skip(from + 1) {
            // Masked: in the bitmap whatever the table holds, with no check.
            let index = (previous_bits | usize::from(byte) << 8 | usize::from(next)) & 0x3_ffff;
            if self.bits[index >> 6] & (1 << (index & 63)) != 0 {
                return Some((at - 1, previous_bits >> 16));
            }
            previous_bits = BEFORE_BITS[usize::from(byte)];
            byte = next;
        }
        let previous = previous_bits >> 16;
        self.stops(previous, byte, 0)
            .then_some((bytes.len() - 1, previous))
    }
}

/// Whether any finder may start at `byte` (followed by `next`).
fn stops(prefixes: &PrefixIndex, previous: Before, byte: u8, next: u8) -> bool {
    if is_word(byte) {
        if previous == Before::Word {
            // Inside a word only MaxMind's `_mmk` ending is looked for.
            return byte == b'_' && next == b'm';
        }
        if previous == Before::Joiner {
            // The parts of `routing.py`, `2026-12-01`, `v1.2.3`: what comes
            // after a `.` or `-` joined to a word is not where a secret starts
            // (a number's first part was read where it started), except a
            // token after a dash (`x-ghp_…`).
            return prefixes.starts_with(byte, next) && !is_digit(byte);
        }
        // IBANs (two capitals and check digits), Discord bot ids in base64
        // (`M`, `N`, `O`), bech32 Bitcoin addresses (`bc1`), and every number.
        let shaped = (byte.is_ascii_uppercase() && next.is_ascii_uppercase())
            || (matches!(byte, b'M' | b'N' | b'O') && next.is_ascii_alphanumeric())
            || (byte.eq_ignore_ascii_case(&b'b') && next.eq_ignore_ascii_case(&b'c'));
        return prefixes.starts_with(byte, next) || is_digit(byte) || shaped;
    }
    let after_key = matches!(previous, Before::Word | Before::Quote);
    match byte {
        b'@' | b'=' | b'~' | b'|' => true,
        // A pair's key, a URL's scheme, a MAC or Telegram id before it; or `::` of IPv6.
        b':' => after_key || next == b':' || next.is_ascii_hexdigit(),
        // `<password>…`: a tag's name before it.
        b'>' => previous == Before::Word,
        // `"key", "value"`: only after a quote.
        b',' => previous == Before::Quote,
        b'(' | b'+' => is_digit(next),
        // `--flag`, `-----BEGIN`, Mailchimp's `-us`, a MAC's `00-1a`.
        b'-' => {
            next == b'-' || next == b'u' || (previous == Before::Word && next.is_ascii_hexdigit())
        }
        b'.' | b'<' => next == b'a',
        b'\\' => matches!(next, b'n' | b'r' | b't'),
        b'%' => next.is_ascii_hexdigit(),
        _ => false,
    }
}
