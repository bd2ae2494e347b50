//! What each byte is, as one table lookup.
//!
//! Every finder asks the same questions of bytes (a digit? a letter of a
//! token's alphabet? a word character?) millions of times per second, and a
//! `match` per question costs branches. So each byte has a set of class bits,
//! and an [`Alphabet`] is a set of bits too: a byte is in an alphabet when
//! they share a bit. Bytes from 0x80 up (UTF-8 continuation and lead bytes)
//! belong to no class: no secret format the finders know uses them, and text
//! in any script around a token leaves the token's edges intact.

/// `0`–`9`.
pub(super) const DIGIT: u16 = 1;
/// `a`–`f`.
pub(super) const HEX_LOWER: u16 = 1 << 1;
/// `A`–`F`.
pub(super) const HEX_UPPER: u16 = 1 << 2;
/// `g`–`z`.
pub(super) const OTHER_LOWER: u16 = 1 << 3;
/// `G`–`Z`.
pub(super) const OTHER_UPPER: u16 = 1 << 4;
pub(super) const UNDERSCORE: u16 = 1 << 5;
pub(super) const DASH: u16 = 1 << 6;
pub(super) const DOT: u16 = 1 << 7;
pub(super) const PLUS: u16 = 1 << 8;
pub(super) const SLASH: u16 = 1 << 9;
pub(super) const EQUALS: u16 = 1 << 10;
pub(super) const TILDE: u16 = 1 << 11;
/// Space, tab, CR, LF.
pub(super) const SPACE: u16 = 1 << 12;
/// A byte a separator finder wants to see (`@`, `:`, `=`, …; see `scan`).
pub(super) const ANCHOR: u16 = 1 << 13;
pub(super) const PERCENT: u16 = 1 << 14;

const fn classes() -> [u16; 256] {
    let mut table = [0u16; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = match b {
            b'0'..=b'9' => DIGIT,
            b'a'..=b'f' => HEX_LOWER,
            b'A'..=b'F' => HEX_UPPER,
            b'g'..=b'z' => OTHER_LOWER,
            b'G'..=b'Z' => OTHER_UPPER,
            b'_' => UNDERSCORE,
            b'-' => DASH | ANCHOR,
            b'.' => DOT | ANCHOR,
            b'+' => PLUS | ANCHOR,
            b'/' => SLASH,
            b'=' => EQUALS | ANCHOR,
            b'~' => TILDE | ANCHOR,
            b' ' | b'\t' | b'\r' | b'\n' => SPACE,
            b'%' => PERCENT | ANCHOR,
            b'@' | b':' | b'>' | b',' | b'(' | b'|' | b'<' | b'\\' => ANCHOR,
            _ => 0,
        };
        byte += 1;
    }
    table
}

pub(super) static CLASS: [u16; 256] = classes();

/// The class bits of `byte`.
#[inline(always)]
pub(super) fn class(byte: u8) -> u16 {
    CLASS[usize::from(byte)]
}

/// A set of bytes, as class bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Alphabet(pub(super) u16);

impl Alphabet {
    pub(super) const DIGITS: Alphabet = Alphabet(DIGIT);
    pub(super) const HEX_LOWER: Alphabet = Alphabet(DIGIT | HEX_LOWER);
    pub(super) const HEX: Alphabet = Alphabet(DIGIT | HEX_LOWER | HEX_UPPER);
    pub(super) const LETTERS: Alphabet =
        Alphabet(HEX_LOWER | OTHER_LOWER | HEX_UPPER | OTHER_UPPER);
    pub(super) const UPPER_DIGITS: Alphabet = Alphabet(DIGIT | HEX_UPPER | OTHER_UPPER);
    pub(super) const LOWER_DIGITS: Alphabet = Alphabet(DIGIT | HEX_LOWER | OTHER_LOWER);
    pub(super) const ALNUM: Alphabet = Alphabet(Self::LETTERS.0 | DIGIT);
    /// `[A-Za-z0-9_]`: a regex's `\w`.
    pub(super) const WORD: Alphabet = Alphabet(Self::ALNUM.0 | UNDERSCORE);
    /// `[A-Za-z0-9_-]`: base64url without padding, and most tokens' bodies.
    pub(super) const WORD_DASH: Alphabet = Alphabet(Self::WORD.0 | DASH);
    /// `[A-Za-z0-9_=-]`: base64url with padding.
    pub(super) const WORD_DASH_EQUALS: Alphabet = Alphabet(Self::WORD_DASH.0 | EQUALS);
    /// `[A-Za-z0-9_.=-]`.
    pub(super) const WORD_DASH_DOT_EQUALS: Alphabet = Alphabet(Self::WORD_DASH_EQUALS.0 | DOT);
    /// `[A-Za-z0-9+/]`: base64 without padding.
    pub(super) const BASE64: Alphabet = Alphabet(Self::ALNUM.0 | PLUS | SLASH);
    /// `[A-Za-z0-9+/=]`: base64 with padding.
    pub(super) const BASE64_PADDED: Alphabet = Alphabet(Self::BASE64.0 | EQUALS);
    /// `[A-Za-z0-9_~.-]`.
    pub(super) const WORD_DASH_DOT_TILDE: Alphabet = Alphabet(Self::WORD_DASH.0 | DOT | TILDE);

    #[inline(always)]
    pub(super) fn has(self, byte: u8) -> bool {
        class(byte) & self.0 != 0
    }
}

/// Whether `byte` is a word character (`[A-Za-z0-9_]`): a token starts where
/// the byte before it is not one.
#[inline(always)]
pub(super) fn is_word(byte: u8) -> bool {
    Alphabet::WORD.has(byte)
}

#[inline(always)]
pub(super) fn is_digit(byte: u8) -> bool {
    byte.is_ascii_digit()
}

#[inline(always)]
pub(super) fn is_alnum(byte: u8) -> bool {
    Alphabet::ALNUM.has(byte)
}

/// Where the run of `alphabet` bytes starting at `start` ends.
#[inline]
pub(super) fn run_end(bytes: &[u8], start: usize, alphabet: Alphabet) -> usize {
    let mut end = start;
    while end < bytes.len() && alphabet.has(bytes[end]) {
        end += 1;
    }
    end
}

/// Where the run of bytes `keep` accepts, ending just before `end`, starts;
/// never before `floor`.
#[inline]
pub(super) fn run_start(
    bytes: &[u8],
    floor: usize,
    end: usize,
    keep: impl Fn(u8) -> bool,
) -> usize {
    let mut start = end;
    while start > floor && keep(bytes[start - 1]) {
        start -= 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabets_are_the_sets_their_names_say() {
        let members = |alphabet: Alphabet| -> String {
            (0u8..128)
                .filter(|b| alphabet.has(*b))
                .map(char::from)
                .collect()
        };
        assert_eq!(members(Alphabet::HEX_LOWER), "0123456789abcdef");
        assert_eq!(
            members(Alphabet::UPPER_DIGITS),
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        );
        assert_eq!(
            members(Alphabet::BASE64_PADDED),
            "+/0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        );
        assert!(
            !Alphabet::WORD.has(0xC3),
            "no byte above 0x7F is in a class"
        );
    }
}
