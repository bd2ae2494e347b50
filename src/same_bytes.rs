//! Equality of two byte strings, eight bytes at a time.
//!
//! In WASM, `==` on slices calls the `memcmp` of Rust's compiler-builtins,
//! which compares one byte per loop turn: no engine gives it anything wider.
//! The JS path compares bytes in three hot places (a member looked up by
//! name, a text found again in the clean-text memo, a key found again in the
//! key memo), and that loop was 6.8 % of the core's time in V8 on ordinary
//! errors. Here a string of eight bytes or more is compared as 64-bit words,
//! the last word overlapping the one before it where the length is not a
//! multiple of eight; a shorter one as two overlapping 32-bit words, or byte
//! by byte below four. Natively the result is the same as `==`.

/// Whether `a` and `b` hold the same bytes.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let length = a.len();
    if length != b.len() {
        return false;
    }
    if length < 4 {
        return a == b;
    }
    if length < 8 {
        let word = |bytes: &[u8], at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        return word(a, 0) == word(b, 0) && word(a, length - 4) == word(b, length - 4);
    }
    let word = |bytes: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[..8]);
        u64::from_le_bytes(word)
    };
    a.chunks_exact(8)
        .zip(b.chunks_exact(8))
        .all(|(left, right)| word(left) == word(right))
        && word(&a[length - 8..]) == word(&b[length - 8..])
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    #[test]
    fn agrees_with_slice_equality_for_every_length_and_every_differing_byte() {
        let base: Vec<u8> = (0..40u8).map(|at| at.wrapping_mul(37)).collect();
        for length in 0..=base.len() {
            let a = &base[..length];
            assert!(same_bytes(a, a), "length {length}");
            for differing in 0..length {
                let mut b = a.to_vec();
                b[differing] ^= 0x20;
                assert!(!same_bytes(a, &b), "length {length}, byte {differing}");
            }
            if length > 0 {
                assert!(!same_bytes(a, &base[..length - 1]), "length {length}");
            }
        }
    }
}
