//! Cheap tests that keep detectors off strings they cannot match.
//!
//! Most strings in an event hold no secret, and a regex costs far more than
//! a glance. One pass over a string records which ASCII bytes occur and how
//! many digits, dots and colons it has; most prefilters are then a lookup,
//! and a substring search runs only when every byte of its needle occurs.

/// When a detector's regex is worth running on a string.
#[derive(Debug, Clone, Copy)]
pub(super) enum Prefilter {
    /// The string contains this (ASCII, case-sensitive) text.
    Contains(&'static str),
    /// The string contains this text in any case.
    ContainsIgnoringCase(&'static str),
    /// The string holds at least this many ASCII digits.
    Digits(usize),
    /// The string contains one of these bytes.
    AnyByte(&'static [u8]),
    /// The string contains one of these texts.
    ContainsAny(&'static [&'static str]),
    /// At least four digits and three dots (an IPv4 address).
    Dotted,
    /// At least one digit and two colons (an IPv6 address).
    Colons,
}

/// What one pass over a string learns, so that most prefilters are a
/// lookup: which ASCII bytes occur, and how many digits, dots and colons.
pub(super) struct Profile {
    seen: u128,
    digits: usize,
    dots: usize,
    colons: usize,
}

impl Profile {
    pub(super) fn of(text: &str) -> Self {
        let mut profile = Profile {
            seen: 0,
            digits: 0,
            dots: 0,
            colons: 0,
        };
        for byte in text.bytes() {
            if byte < 128 {
                profile.seen |= 1 << byte;
            }
            match byte {
                b'0'..=b'9' => profile.digits += 1,
                b'.' => profile.dots += 1,
                b':' => profile.colons += 1,
                _ => {}
            }
        }
        profile
    }

    pub(super) fn has(&self, byte: u8) -> bool {
        byte < 128 && self.seen & (1 << byte) != 0
    }

    /// Every byte of `needle` occurs somewhere (in either case, if asked).
    fn may_contain(&self, needle: &str, ignore_case: bool) -> bool {
        needle.bytes().all(|byte| {
            self.has(byte)
                || (ignore_case
                    && (self.has(byte.to_ascii_uppercase()) || self.has(byte.to_ascii_lowercase())))
        })
    }
}

pub(super) fn passes(prefilter: Prefilter, text: &str, profile: &Profile) -> bool {
    match prefilter {
        Prefilter::Contains(needle) => profile.may_contain(needle, false) && text.contains(needle),
        Prefilter::ContainsIgnoringCase(needle) => {
            profile.may_contain(needle, true)
                && text
                    .as_bytes()
                    .windows(needle.len())
                    .any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
        }
        Prefilter::Digits(least) => profile.digits >= least,
        Prefilter::AnyByte(bytes) => bytes.iter().any(|byte| profile.has(*byte)),
        Prefilter::ContainsAny(needles) => needles
            .iter()
            .any(|needle| profile.may_contain(needle, false) && text.contains(needle)),
        Prefilter::Dotted => profile.digits >= 4 && profile.dots >= 3,
        Prefilter::Colons => profile.digits >= 1 && profile.colons >= 2,
    }
}
