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
    /// Ten digits, and two capital letters followed by two digits (an IBAN's start).
    IbanStart,
    /// `123-45-6789` somewhere (a US social security number's shape).
    SsnShape,
}

/// What one pass over a string learns, so that most prefilters are a
/// lookup: which ASCII bytes occur, and how many digits, dots and colons.
pub(super) struct Profile {
    seen: u128,
    /// `seen` with ASCII letters in lower case.
    seen_folded: u128,
    digits: usize,
    dots: usize,
    colons: usize,
}

impl Profile {
    pub(super) fn of(text: &str) -> Self {
        let mut profile = Profile {
            seen: 0,
            seen_folded: 0,
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
        profile.seen_folded = fold(profile.seen);
        profile
    }

    /// Every byte the detector needs occurs (a mask test: no scan).
    pub(super) fn meets(&self, needs: &Needs) -> bool {
        self.seen & needs.exact == needs.exact && self.seen_folded & needs.folded == needs.folded
    }

    pub(super) fn has(&self, byte: u8) -> bool {
        byte < 128 && self.seen & (1 << byte) != 0
    }

    /// Every byte of `needle` occurs somewhere.
    fn may_contain(&self, needle: &str) -> bool {
        needle.bytes().all(|byte| self.has(byte))
    }
}

/// The ASCII bytes a prefilter needs to see in a string, as masks: exactly,
/// and (for case-insensitive needles) with letters in lower case.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Needs {
    exact: u128,
    folded: u128,
}

impl Needs {
    pub(super) fn of(prefilter: Prefilter) -> Needs {
        let mask = |text: &str| {
            text.bytes()
                .filter(|byte| *byte < 128)
                .fold(0u128, |mask, byte| mask | 1 << byte)
        };
        let exact = |mask: u128| Needs {
            exact: mask,
            folded: 0,
        };
        match prefilter {
            Prefilter::Contains(needle) => exact(mask(needle)),
            Prefilter::ContainsIgnoringCase(needle) => Needs {
                exact: 0,
                folded: fold(mask(needle)),
            },
            Prefilter::ContainsAny(needles) => {
                exact(needles.iter().fold(!0, |all, n| all & mask(n)))
            }
            Prefilter::Dotted => exact(mask(".")),
            Prefilter::Colons => exact(mask(":")),
            Prefilter::SsnShape => exact(mask("-")),
            Prefilter::Digits(_) | Prefilter::AnyByte(_) | Prefilter::IbanStart => Needs::default(),
        }
    }
}

/// A byte mask with the bits of `A`–`Z` moved to `a`–`z`.
fn fold(mask: u128) -> u128 {
    let upper = mask & (((1u128 << 26) - 1) << b'A');
    (mask & !upper) | (upper << (b'a' - b'A'))
}

/// Whether a string passes `prefilter`, once its profile [meets](Profile::meets)
/// the prefilter's [`Needs`] (which has then checked the bytes of a single needle).
pub(super) fn passes(prefilter: Prefilter, text: &str, profile: &Profile) -> bool {
    match prefilter {
        Prefilter::Contains(needle) => text.contains(needle),
        Prefilter::ContainsIgnoringCase(needle) => contains_ignoring_case(text.as_bytes(), needle),
        Prefilter::Digits(least) => profile.digits >= least,
        Prefilter::AnyByte(bytes) => bytes.iter().any(|byte| profile.has(*byte)),
        Prefilter::ContainsAny(needles) => needles
            .iter()
            .any(|needle| profile.may_contain(needle) && text.contains(needle)),
        Prefilter::Dotted => profile.digits >= 4 && profile.dots >= 3,
        Prefilter::Colons => profile.digits >= 1 && profile.colons >= 2,
        Prefilter::IbanStart => {
            profile.digits >= 10
                && text.as_bytes().windows(4).any(|w| {
                    w[0].is_ascii_uppercase()
                        && w[1].is_ascii_uppercase()
                        && w[2].is_ascii_digit()
                        && w[3].is_ascii_digit()
                })
        }
        Prefilter::SsnShape => {
            profile.digits >= 9
                && profile.has(b'-')
                && text.as_bytes().windows(11).any(|w| {
                    w[3] == b'-'
                        && w[6] == b'-'
                        && [0, 1, 2, 4, 5, 7, 8, 9, 10]
                            .iter()
                            .all(|&i| w[i].is_ascii_digit())
                })
        }
    }
}

/// Compares only where the needle's first byte (in either case) occurs.
fn contains_ignoring_case(text: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    let Some(&first) = needle.first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    text.iter().enumerate().any(|(start, &byte)| {
        (byte == lower || byte == upper)
            && text
                .get(start..start + needle.len())
                .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_are_met_only_when_every_byte_occurs() {
        let bearer = Needs::of(Prefilter::ContainsIgnoringCase("bearer"));
        assert!(Profile::of("Authorization: BEARER x").meets(&bearer));
        assert!(!Profile::of("Authorization: Basic x").meets(&bearer));
        let stripe = Needs::of(Prefilter::ContainsAny(&["sk_live_", "rk_test_"]));
        assert!(Profile::of("rk_test_123").meets(&stripe));
        assert!(!Profile::of("sk-live-123").meets(&stripe));
        assert_eq!(fold(1 << b'Q' | 1 << b'7'), 1 << b'q' | 1 << b'7');
    }

    #[test]
    fn needles_are_found_in_any_case() {
        assert!(contains_ignoring_case(b"Authorization: BeArEr x", "bearer"));
    }
}
