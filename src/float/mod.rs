//! Numbers between JSON text and `f64`, exactly as serde_json and the
//! standard library convert them, with neither's tables.
//!
//! Why: the first WASM module reads numbers (the policy, sampling contexts,
//! a value a rule copies) and writes a few (drop reasons, a float a rule
//! writes afresh). `str::parse::<f64>` brought a 10 KB table of powers of
//! five and serde_json's printer a 17 KB table of powers of ten: together
//! about a sixth of that module gzipped, for work that is rare. Here both
//! directions are exact integer arithmetic (`big.rs`), with `u64`/`u128`
//! shortcuts for the numbers events hold. Tests compare every path with the
//! standard library's reading and serde_json's writing.

mod big;
mod json;
mod parse;
mod print;

pub(crate) use json::{json_text, push_json};
pub use parse::parse;
pub use print::write;

/// A number as a drop reason shows it: a whole number without a fraction,
/// any other as JSON spells it. Not `f64`'s `Display` nor serde_json's
/// printer, whose code and tables the WASM module would hold for these
/// reasons alone.
pub(crate) fn shown(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        return (number as i64).to_string();
    }
    let mut text = String::new();
    if number.is_finite() {
        write(number, &mut text);
    }
    text
}

/// A xorshift sequence for the tests' random numbers and doubles: the same
/// every run, so a failure can be run again.
#[cfg(test)]
fn random_numbers(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}
