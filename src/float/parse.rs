//! JSON number text to the nearest `f64`, exactly as `str::parse` rounds it
//! (to nearest, ties to even), without its table of 128-bit powers.
//!
//! The number is split into an integer of significant digits `d` and a
//! power of ten: `d × 10^e`. Three ways, cheapest first:
//! - `d < 2^53` and `|e| <= 22`: both are exact doubles, so one IEEE
//!   multiplication or division rounds correctly (Clinger's fast path; a
//!   rate such as `0.25` takes it);
//! - `d` fits a `u64` and `|e|` is small: the product, or a quotient carried
//!   to 64 bits and a remainder, is exact in a `u128` (a 17-digit timestamp
//!   with seven decimals takes it);
//! - anything else: the same with `Big` (`big.rs`), on at most 800
//!   significant digits; a digit beyond them only says "a little more",
//!   which is all rounding needs, since no halfway point between two
//!   doubles has more than 767 significant digits.
//!
//! Each way ends in [`rounded`], which turns an exact binary fraction, and
//! whether anything nonzero was left below it, into a double.

use super::big::Big;

/// The powers of ten that are exact doubles.
const EXACT_POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// More significant digits than any rounding decision needs (767).
const MAX_DIGITS: usize = 800;

/// The `f64` nearest to a number in JSON's grammar (which the caller has
/// checked), or `None` when it is too large for one, as serde_json refuses
/// it.
pub fn parse(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let negative = bytes.first() == Some(&b'-');
    let (mantissa_end, exponent) = match bytes.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (at, exponent_of(&bytes[at + 1..])),
        None => (bytes.len(), 0),
    };
    let digits = Digits::of(&bytes[usize::from(negative)..mantissa_end], exponent);
    let magnitude = digits.value(&bytes[usize::from(negative)..mantissa_end])?;
    Some(if negative { -magnitude } else { magnitude })
}

/// The nearest double to `digits × 10^exponent` (non-negative); the
/// printer's check that a candidate reads back. A candidate is a finite
/// double's neighbour, so its exponent is within [`small`]'s range.
pub(super) fn from_parts(digits: u64, exponent: i32) -> Option<f64> {
    small(digits, exponent)
}

/// The explicit exponent, saturated beyond what any text can offset with
/// its digits (2^40 of them), so the value stays exact: `0.000…1e1000001`
/// with a million zeros is 1.
fn exponent_of(text: &[u8]) -> i64 {
    let (negative, digits) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = digits.iter().fold(0i64, |total, &digit| {
        (total * 10 + i64::from(digit - b'0')).min(1 << 40)
    });
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// A mantissa's significant digits as the cheap paths see them.
///
/// The counts are `i64`: a text of more than 2^31 digits (a Python string
/// can be one) must not overflow them.
struct Digits {
    /// The first 19 significant digits.
    leading: u64,
    /// How many significant digits there are (leading zeros not counted).
    count: i64,
    /// The power of ten of the last digit in `leading`.
    exponent: i64,
}

impl Digits {
    fn of(mantissa: &[u8], exponent: i64) -> Digits {
        let mut digits = Digits {
            leading: 0,
            count: 0,
            exponent,
        };
        let mut after_point = false;
        for &byte in mantissa {
            if byte == b'.' {
                after_point = true;
                continue;
            }
            if after_point {
                digits.exponent -= 1;
            }
            if digits.count == 0 && byte == b'0' {
                continue;
            }
            if digits.count < 19 {
                digits.leading = digits.leading * 10 + u64::from(byte - b'0');
            }
            digits.count += 1;
        }
        // Until here the exponent was that of the mantissa's last digit.
        digits.exponent += (digits.count - 19).max(0);
        digits
    }

    fn value(&self, mantissa: &[u8]) -> Option<f64> {
        if self.count == 0 {
            return Some(0.0);
        }
        // The value is below 10^(count + exponent) and at least a tenth of it.
        let magnitude = self.count.min(19) + self.exponent;
        if magnitude > 310 {
            return None;
        }
        if magnitude < -326 {
            return Some(0.0);
        }
        // Within the range just checked, the exponents below fit an i32.
        if self.count <= 19 {
            return small(self.leading, self.exponent as i32);
        }
        // The power of ten of the last digit `long` keeps, the 800th or the
        // mantissa's last.
        let kept = self.count.min(MAX_DIGITS as i64);
        long(mantissa, (self.exponent - (kept - 19)) as i32)
    }
}

/// `digits × 10^exponent` for an exponent within a double's range give or
/// take 19 digits (the range [`Digits::value`] checks), so that the `Big`
/// path's power of five stays small.
fn small(digits: u64, exponent: i32) -> Option<f64> {
    if digits < 1 << 53 && exponent.unsigned_abs() <= 22 {
        let power = EXACT_POWERS[exponent.unsigned_abs() as usize];
        let value = digits as f64;
        return Some(if exponent < 0 {
            value / power
        } else {
            value * power
        });
    }
    if (0..=19).contains(&exponent) {
        return rounded(digits as u128 * 10u128.pow(exponent as u32), 0, false);
    }
    if (-27..0).contains(&exponent) {
        // digits / 10^s = (digits << shift) / 5^s × 2^(-shift - s), the
        // quotient at least 64 bits long.
        let five_power = 5u128.pow(exponent.unsigned_abs());
        let shift = (digits as u128).leading_zeros();
        let numerator = (digits as u128) << shift;
        return rounded(
            numerator / five_power,
            exponent - shift as i32,
            numerator % five_power != 0,
        );
    }
    let mut big = Big::from_u64(digits);
    exact_ratio(&mut big, exponent, false)
}

/// A mantissa of more than 19 significant digits: its first 800 as an
/// integer, whose last digit is at `10^exponent`, and whether any digit
/// after them is not zero.
fn long(mantissa: &[u8], exponent: i32) -> Option<f64> {
    let mut big = Big::from_u64(0);
    let mut rest_nonzero = false;
    let significant = mantissa
        .iter()
        .filter(|byte| byte.is_ascii_digit())
        .skip_while(|&&byte| byte == b'0');
    for (index, &byte) in significant.enumerate() {
        if index < MAX_DIGITS {
            big.mul_add_small(10, u32::from(byte - b'0'));
        } else {
            rest_nonzero |= byte != b'0';
        }
    }
    exact_ratio(&mut big, exponent, rest_nonzero)
}

/// `digits × 10^exponent`, plus a little more when `more` is set, rounded.
fn exact_ratio(digits: &mut Big, exponent: i32, more: bool) -> Option<f64> {
    if exponent >= 0 {
        digits.mul_pow5(exponent as u32);
        digits.shl(exponent as u32);
        let bits = digits.bits();
        if bits <= 64 {
            return rounded(digits.low_u64() as u128, 0, more);
        }
        let (window, below) = digits.bits_below(bits);
        return rounded(window as u128, bits as i32 - 64, more || below);
    }
    // digits / 10^s = (digits << shift) / 5^s × 2^(-shift - s).
    let s = exponent.unsigned_abs();
    let mut five_power = Big::from_u64(1);
    five_power.mul_pow5(s);
    // The quotient takes 66 or 67 bits: the numerator is shifted up to that,
    // or, for a numerator that long already, the divisor.
    let shift = five_power.bits() as i32 + 66 - digits.bits() as i32;
    if shift >= 0 {
        digits.shl(shift as u32);
    } else {
        five_power.shl(shift.unsigned_abs());
    }
    let quotient = digits.div_rem_short(&five_power);
    rounded(quotient, exponent - shift, more || !digits.is_zero())
}

/// The double nearest to `value × 2^exponent`, where `more` says the exact
/// number is a little above that; `None` when it rounds to infinity.
///
/// The double's last bit is at `2^lsb`: 52 below the leading bit, or at
/// 2^-1074 for a subnormal. Bits of `value` below it decide the rounding.
fn rounded(value: u128, exponent: i32, more: bool) -> Option<f64> {
    if value == 0 {
        return Some(0.0);
    }
    let leading = exponent + 127 - value.leading_zeros() as i32;
    if leading > 1023 {
        return None;
    }
    let lsb = (leading - 52).max(-1074);
    let dropped = lsb - exponent;
    let mantissa = if dropped <= 0 {
        (value << -dropped) as u64
    } else if dropped > 128 {
        // Below half of the smallest subnormal.
        0
    } else {
        let kept = value.checked_shr(dropped as u32).unwrap_or(0) as u64;
        let half = value >> (dropped - 1) & 1 == 1;
        let rest = value & ((1u128 << (dropped - 1)) - 1) != 0 || more;
        kept + u64::from(half && (rest || kept & 1 == 1))
    };
    // For a normal double the mantissa holds its hidden bit, which lands in
    // the exponent field: one formula for subnormal, normal and a carry
    // out of the mantissa.
    let bits = (((lsb + 1074) as u64) << 52) + mantissa;
    (bits < 0x7ff0_0000_0000_0000).then(|| f64::from_bits(bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(text: &str) {
        let expected = text.parse::<f64>().ok().filter(|value| value.is_finite());
        assert_eq!(
            parse(text).map(f64::to_bits),
            expected.map(f64::to_bits),
            "{text}"
        );
    }

    #[test]
    fn edges_round_as_the_standard_library_rounds() {
        for text in [
            "0",
            "-0",
            "0.0",
            "1",
            "0.25",
            "0.1",
            "-0.3",
            "1796162677.9208705",
            "1796162677.920870543",
            "9007199254740993",
            "9007199254740993.0000000000000000001",
            "18446744073709551615",
            "18446744073709551616",
            "123456789012345678901234567890",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.47032822920623272e-324",
            "1e-400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405303415079934132710037826936173778980444387e236",
            "1e309",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "0.000000000000000000000000000000000000001e39",
            "1e23",
            "8.533e+68",
            "4.1006e-184",
            "9.998e+307",
            "9.9538452227e-280",
            "6.47660115e-260",
            "7.4e+47",
            "5.92e+48",
            "7.35e+66",
            "8.32116e+55",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn a_fraction_of_any_width_rounds_at_the_smallest_subnormal() {
        let smallest = Some(f64::from_bits(1));
        // 2^127 × 2^-1202 is half the smallest subnormal: a tie, to even (0).
        assert_eq!(rounded(1 << 127, -1202, false), Some(0.0));
        assert_eq!(rounded(1 << 127, -1202, true), smallest);
        assert_eq!(rounded((1 << 127) + 1, -1202, false), smallest);
        assert_eq!(rounded(u128::MAX, -1203, false), Some(0.0));
        assert_eq!(rounded(3, -1075, false), Some(f64::from_bits(2)));
    }

    #[test]
    fn exponents_past_any_double_are_offset_by_the_digits() {
        // std stops adding exponent digits at 65,536, so it reads these as 0;
        // the values are 1 and 0.1 (serde_json reads 1 for the first).
        let zeros = "0".repeat(1_000_000);
        assert_eq!(parse(&format!("0.{zeros}1e1000001")), Some(1.0));
        assert_eq!(parse(&format!("0.{zeros}1e1000000")), Some(0.1));
        assert_eq!(parse(&format!("1{zeros}e-1000000")), Some(1.0));
        assert_eq!(parse("1e99999999999999999999"), None);
        assert_eq!(parse("-1e-99999999999999999999"), Some(-0.0));
    }

    #[test]
    fn long_mantissas_round_on_their_last_digits() {
        // Halfway between two doubles, then just above and below it.
        let half = "9007199254740993";
        agrees(half);
        agrees(&format!("{half}.{}", "0".repeat(900)));
        agrees(&format!("{half}.{}1", "0".repeat(900)));
        agrees(&format!("9007199254740992.{}", "9".repeat(900)));
        let subnormal_half = "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324";
        agrees(subnormal_half);
        agrees(&subnormal_half.replace("125e-324", "1251e-324"));
        agrees(&subnormal_half.replace("125e-324", "124e-324"));
    }

    #[test]
    fn random_numbers_round_as_the_standard_library_rounds() {
        let mut next = super::super::random_numbers(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..200_000 {
            let digits = 1 + next() % 40;
            let mut text: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            if next() % 2 == 0 {
                let point = (next() % digits) as usize;
                text.insert(point.max(1), '.');
                if text.ends_with('.') {
                    text.push('5');
                }
            }
            if next() % 3 == 0 {
                text.push_str(&format!("e{}", (next() % 700) as i64 - 350));
            }
            if text.starts_with('0') && text.len() > 1 && !text.starts_with("0.") {
                text.replace_range(0..1, "1");
            }
            agrees(&text);
        }
        for _ in 0..200_000 {
            let value = f64::from_bits(next() & !(1 << 63));
            if value.is_finite() {
                agrees(&format!("{value:e}"));
                agrees(&format!("{value:.20e}"));
            }
        }
    }
}
