//! Any JSON number through the core's own float reader and printer
//! (src/float): the reader gives the standard library's nearest double (and
//! refuses what it reads as infinite), the printer serde_json's digits, and
//! the printed text reads back as the same double.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::float;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if !is_json_number(text.as_bytes()) {
        return;
    }
    // std stops reading an exponent at 65,536; inputs of a few KB cannot
    // offset that with their digits, so both agree on every one of them.
    let expected = text.parse::<f64>().ok().filter(|value| value.is_finite());
    let read = float::parse(text);
    assert_eq!(read.map(f64::to_bits), expected.map(f64::to_bits), "{text}");
    let Some(value) = read else {
        return;
    };
    let mut printed = String::new();
    float::write(value, &mut printed);
    assert_eq!(printed, serde_json::to_string(&value).unwrap(), "{text}");
    assert_eq!(
        float::parse(&printed).map(f64::to_bits),
        Some(value.to_bits()),
        "{printed}"
    );
});

/// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn is_json_number(bytes: &[u8]) -> bool {
    let digits = |at: usize| {
        bytes[at..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = usize::from(bytes.first() == Some(&b'-'));
    match bytes.get(at) {
        Some(b'0') => at += 1,
        Some(b'1'..=b'9') => at += digits(at),
        _ => return false,
    }
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        at += 1;
        if let Some(b'+' | b'-') = bytes.get(at) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}
