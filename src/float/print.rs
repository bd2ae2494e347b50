//! An `f64` written as serde_json writes it: the shortest digits that read
//! back as the same double (the nearest such digits, ties to even), in
//! serde_json's layout (`0.25`, `100.0`, `1e+16`, `1.5e-7`).
//!
//! Why not serde_json's printer: its algorithm (zmij) carries a 17 KB table
//! of powers of ten, the largest single item of the first WASM module. This
//! one finds the digits by brute force instead: the double's exact decimal
//! expansion (a `Big`), rounded to 1, 2, … 17 digits, each candidate read
//! back with `parse.rs` until one is the same double. Only drop reasons and
//! the rare float a rule writes afresh are printed, so its speed does not
//! matter; that it agrees with serde_json digit for digit is tested on
//! random doubles of every exponent.

use std::cmp::Ordering;

use super::big::Big;
use super::parse::from_parts;

/// `value` (finite) as serde_json writes it.
pub fn write(value: f64, out: &mut String) {
    if value.is_sign_negative() {
        out.push('-');
    }
    let magnitude = value.abs();
    if magnitude == 0.0 {
        out.push_str("0.0");
        return;
    }
    let (digits, exponent) = shortest(magnitude);
    lay_out(&digits, exponent, out);
}

/// The shortest digits that read back as `magnitude` (positive, finite), and
/// the power of ten of the last one.
fn shortest(magnitude: f64) -> (String, i32) {
    let (exact, exact_exponent) = exact_decimal(magnitude);
    let exact = exact.as_bytes();
    for length in 1..=exact.len().min(17) {
        let rest = &exact[length..];
        let exponent = exact_exponent + rest.len() as i32;
        // Every double reads back from 17 digits, so the prefix fits a u64.
        let prefix = exact[..length]
            .iter()
            .fold(0u64, |total, &digit| total * 10 + u64::from(digit - b'0'));
        if rest.iter().all(|&digit| digit == b'0') {
            return digits_of(prefix, exponent);
        }
        // The two candidates of this length around the exact value, the
        // nearer first (on a tie, the even one, as serde_json takes it).
        let (nearer, farther) = match against_half(rest) {
            Ordering::Greater => (prefix + 1, prefix),
            Ordering::Less => (prefix, prefix + 1),
            Ordering::Equal if prefix % 2 == 0 => (prefix, prefix + 1),
            Ordering::Equal => (prefix + 1, prefix),
        };
        for candidate in [nearer, farther] {
            if from_parts(candidate, exponent) == Some(magnitude) {
                return digits_of(candidate, exponent);
            }
        }
    }
    // Not reached: 17 digits always read back. The exact expansion does.
    let kept = exact
        .iter()
        .rposition(|&digit| digit != b'0')
        .map_or(0, |last| last + 1);
    let trailing_zeros = (exact.len() - kept) as i32;
    (
        String::from_utf8_lossy(&exact[..kept]).into_owned(),
        exact_exponent + trailing_zeros,
    )
}

/// Digits cut off (not all zeros) against half a unit of the last digit
/// kept: `5` followed by zeros is exactly half.
fn against_half(rest: &[u8]) -> Ordering {
    match rest[0].cmp(&b'5') {
        Ordering::Equal if rest[1..].iter().all(|&digit| digit == b'0') => Ordering::Equal,
        Ordering::Equal => Ordering::Greater,
        other => other,
    }
}

/// The exact decimal expansion of a positive double: its digits (no
/// trailing zero for a fraction) and the power of ten of the last one.
fn exact_decimal(magnitude: f64) -> (String, i32) {
    let bits = magnitude.to_bits();
    let field = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exponent) = if field == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, field - 1075)
    };
    while exponent < 0 && mantissa % 2 == 0 {
        mantissa /= 2;
        exponent += 1;
    }
    let mut big = Big::from_u64(mantissa);
    // m × 2^-k = m × 5^k × 10^-k.
    let decimal_exponent = if exponent >= 0 {
        big.shl(exponent as u32);
        0
    } else {
        big.mul_pow5(exponent.unsigned_abs());
        exponent
    };
    let mut chunks = Vec::new();
    while !big.is_zero() {
        chunks.push(big.div_small(1_000_000_000));
    }
    let mut digits = String::new();
    for (index, chunk) in chunks.iter().rev().enumerate() {
        if index == 0 {
            digits.push_str(&chunk.to_string());
        } else {
            digits.push_str(&format!("{chunk:09}"));
        }
    }
    (digits, decimal_exponent)
}

/// `digits × 10^exponent` as a digit string without trailing zeros.
fn digits_of(mut digits: u64, mut exponent: i32) -> (String, i32) {
    while digits % 10 == 0 {
        digits /= 10;
        exponent += 1;
    }
    (digits.to_string(), exponent)
}

/// serde_json's layout: plain digits while the leading digit is between
/// 10^-5 and 10^15, otherwise one digit, a fraction and a signed exponent.
fn lay_out(digits: &str, exponent: i32, out: &mut String) {
    let leading = exponent + digits.len() as i32 - 1;
    if (-5..=15).contains(&leading) {
        if leading < 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-leading - 1) as usize));
            out.push_str(digits);
        } else if exponent >= 0 {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', exponent as usize));
            out.push_str(".0");
        } else {
            let point = leading as usize + 1;
            out.push_str(&digits[..point]);
            out.push('.');
            out.push_str(&digits[point..]);
        }
        return;
    }
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push_str(if leading < 0 { "e-" } else { "e+" });
    out.push_str(&leading.unsigned_abs().to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agrees(value: f64) {
        let mut ours = String::new();
        write(value, &mut ours);
        assert_eq!(ours, serde_json::to_string(&value).unwrap(), "{value:e}");
    }

    #[test]
    fn layout_and_digits_are_serde_json_s() {
        for value in [
            0.0,
            -0.0,
            1.0,
            0.1,
            0.25,
            -0.3,
            100.0,
            1e15,
            1e16,
            1.5e16,
            2e16,
            1e21,
            1e-5,
            1.5e-5,
            1e-6,
            1.5e-7,
            0.000123,
            12345.678,
            9007199254740992.0,
            9007199254740994.0,
            1796162677.9208705,
            5e-324,
            1e-323,
            2.2250738585072014e-308,
            2.225073858507201e-308,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e23,
            8.41e21,
            5.0e-324,
        ] {
            agrees(value);
        }
    }

    #[test]
    fn powers_of_two_take_the_nearer_side() {
        // Their interval is narrower below than above, where the nearest
        // digits may not read back while the next ones up do.
        for exponent in -1074..=1023 {
            agrees(2f64.powi(exponent));
        }
    }

    #[test]
    fn random_doubles_print_as_serde_json_prints_them() {
        let mut next = super::super::random_numbers(0x2545_f491_4f6c_dd1du64);
        for _ in 0..100_000 {
            let value = f64::from_bits(next());
            if value.is_finite() {
                agrees(value);
            }
        }
        for _ in 0..20_000 {
            // Short decimals, and integers past 2^53.
            agrees((next() % 100_000) as f64 / 1000.0);
            agrees((next() >> 4) as f64 * 16.0);
        }
        // Integers times powers of two: about one in four thousand has two
        // shortest candidates equally near (serde_json takes the even one).
        for _ in 0..100_000 {
            agrees((next() >> 11) as f64 * 2f64.powi((next() % 40) as i32));
        }
    }
}
