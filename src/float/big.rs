//! The few operations on unbounded unsigned integers that exact number
//! conversion needs, and no more.
//!
//! Why: reading and writing an `f64` exactly is integer arithmetic on
//! numbers of up to about 5,300 bits (800 digits times a power of five).
//! The standard library's and zmij's fast algorithms use tables of 128-bit
//! powers (10 KB and 17 KB) that gzip barely shrinks; this is a few hundred
//! bytes of code, and runs only where a number is too long or too far from 1
//! for the `u64`/`u128` paths (see `parse.rs`).
//!
//! Invariant: `limbs` is little-endian base 2^32 and never ends in a zero
//! limb, so zero is the empty list and comparing lengths compares sizes.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Big {
    limbs: Vec<u32>,
}

/// 5^13, the largest power of five below 2^32.
const FIVE_TO_13: u32 = 1_220_703_125;

impl Big {
    pub(super) fn from_u64(value: u64) -> Big {
        let mut big = Big {
            limbs: vec![value as u32, (value >> 32) as u32],
        };
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    pub(super) fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// How many bits the number takes (0 for zero).
    pub(super) fn bits(&self) -> u32 {
        match self.limbs.last() {
            None => 0,
            Some(top) => self.limbs.len() as u32 * 32 - top.leading_zeros(),
        }
    }

    /// `self = self * factor + addend`.
    pub(super) fn mul_add_small(&mut self, factor: u32, addend: u32) {
        let mut carry = addend as u64;
        for limb in &mut self.limbs {
            let product = *limb as u64 * factor as u64 + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
    }

    pub(super) fn mul_pow5(&mut self, mut power: u32) {
        while power >= 13 {
            self.mul_add_small(FIVE_TO_13, 0);
            power -= 13;
        }
        self.mul_add_small(5u32.pow(power), 0);
    }

    pub(super) fn shl(&mut self, bits: u32) {
        if self.is_zero() {
            return;
        }
        let (whole, part) = ((bits / 32) as usize, bits % 32);
        if part != 0 {
            let mut carry = 0;
            for limb in &mut self.limbs {
                let shifted = (*limb as u64) << part | carry;
                *limb = shifted as u32;
                carry = shifted >> 32;
            }
            if carry != 0 {
                self.limbs.push(carry as u32);
            }
        }
        self.limbs.splice(0..0, std::iter::repeat_n(0, whole));
    }

    pub(super) fn shr1(&mut self) {
        let mut carry = 0;
        for limb in self.limbs.iter_mut().rev() {
            let next = *limb << 31;
            *limb = *limb >> 1 | carry;
            carry = next;
        }
        self.trim();
    }

    /// `self -= other`; `other` is at most `self`.
    pub(super) fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (index, limb) in self.limbs.iter_mut().enumerate() {
            let subtrahend = other.limbs.get(index).copied().unwrap_or(0);
            if index >= other.limbs.len() && !borrow {
                break;
            }
            let (difference, under) = limb.overflowing_sub(subtrahend);
            let (difference, under_again) = difference.overflowing_sub(u32::from(borrow));
            *limb = difference;
            borrow = under || under_again;
        }
        self.trim();
    }

    /// The 64 bits below bit `top` (exclusive), where `top >= 64`, and
    /// whether any bit below those is set.
    pub(super) fn bits_below(&self, top: u32) -> (u64, bool) {
        let low = top - 64;
        let mut window = 0u64;
        for bit in (low..top).rev() {
            window = window << 1 | u64::from(self.bit(bit));
        }
        let (whole, part) = ((low / 32) as usize, low % 32);
        let below = self.limbs[..whole].iter().any(|&limb| limb != 0)
            || self
                .limbs
                .get(whole)
                .is_some_and(|&limb| limb & ((1 << part) - 1) != 0);
        (window, below)
    }

    /// The number, which fits 64 bits.
    pub(super) fn low_u64(&self) -> u64 {
        let limb = |index| self.limbs.get(index).copied().unwrap_or(0) as u64;
        limb(0) | limb(1) << 32
    }

    fn bit(&self, index: u32) -> bool {
        self.limbs
            .get((index / 32) as usize)
            .is_some_and(|limb| limb >> (index % 32) & 1 == 1)
    }

    /// Divides in place by `divisor` (not zero), returning the remainder.
    pub(super) fn div_small(&mut self, divisor: u32) -> u32 {
        let mut remainder = 0u64;
        for limb in self.limbs.iter_mut().rev() {
            let dividend = remainder << 32 | *limb as u64;
            *limb = (dividend / divisor as u64) as u32;
            remainder = dividend % divisor as u64;
        }
        self.trim();
        remainder as u32
    }

    /// `self / divisor` where the quotient is known to be below 2^120,
    /// leaving the remainder in `self`. Long division one quotient bit at a
    /// time, which is enough for the few bits a double needs.
    pub(super) fn div_rem_short(&mut self, divisor: &Big) -> u128 {
        let Some(shift) = self.bits().checked_sub(divisor.bits()) else {
            return 0;
        };
        let mut shifted = divisor.clone();
        shifted.shl(shift);
        let mut quotient = 0u128;
        for bit in (0..=shift).rev() {
            if self.cmp(&shifted) != Ordering::Less {
                self.sub(&shifted);
                quotient |= 1 << bit;
            }
            shifted.shr1();
        }
        quotient
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(big: &Big) -> u128 {
        big.limbs
            .iter()
            .rev()
            .fold(0u128, |total, &limb| total << 32 | limb as u128)
    }

    #[test]
    fn arithmetic_agrees_with_u128() {
        let mut big = Big::from_u64(123_456_789_012_345);
        big.mul_add_small(1000, 7);
        assert_eq!(value(&big), 123_456_789_012_345_007);
        big.mul_pow5(3);
        assert_eq!(value(&big), 123_456_789_012_345_007 * 125);
        big.shl(37);
        assert_eq!(value(&big), (123_456_789_012_345_007u128 * 125) << 37);
        let before = value(&big);
        big.shr1();
        assert_eq!(value(&big), before >> 1);
        let mut other = big.clone();
        other.sub(&Big::from_u64(u64::MAX));
        assert_eq!(value(&other), value(&big) - u64::MAX as u128);
        assert_eq!(big.bits(), 128 - value(&big).leading_zeros());
        let remainder = big.div_small(1_000_000_007);
        assert_eq!(value(&big), (before >> 1) / 1_000_000_007);
        assert_eq!(remainder as u128, (before >> 1) % 1_000_000_007);
    }

    #[test]
    fn short_division_keeps_the_remainder() {
        let mut dividend = Big::from_u64(u64::MAX);
        dividend.shl(40);
        let divisor = Big::from_u64(1_000_003);
        let expected = ((u64::MAX as u128) << 40) / 1_000_003;
        let remainder = ((u64::MAX as u128) << 40) % 1_000_003;
        assert_eq!(dividend.div_rem_short(&divisor), expected);
        assert_eq!(value(&dividend), remainder);
    }

    #[test]
    fn bits_below_reads_a_window() {
        let mut big = Big::from_u64(0b1011);
        big.shl(70);
        assert_eq!(big.bits_below(74), (0b1011 << 60, false));
        big.mul_add_small(1, 1);
        assert_eq!(big.bits_below(74), (0b1011 << 60, true));
    }
}
