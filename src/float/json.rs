//! serde_json's writer with this module's float printer, for every JSON
//! text the core makes itself.
//!
//! `Value`'s `Display` and `serde_json::to_writer` would bring serde_json's
//! own float printer (and its table) into the first WASM module; these give
//! the same bytes (the printer is tested digit for digit against it).

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// serde_json's compact layout (the trait's defaults), floats written by
/// `print.rs`.
struct Floats;

impl Formatter for Floats {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        let mut text = String::new();
        super::write(value, &mut text);
        writer.write_all(text.as_bytes())
    }
}

/// Appends a string, number or JSON value as JSON text.
pub(crate) fn push_json(value: &(impl Serialize + ?Sized), out: &mut Vec<u8>) {
    // Writing into a Vec cannot fail, nor can a string, a number or a Value
    // be unserialisable.
    let _ = value.serialize(&mut Serializer::with_formatter(out, Floats));
}

/// A value as JSON text, as `Value`'s `Display` writes it.
pub(crate) fn json_text(value: &(impl Serialize + ?Sized)) -> String {
    let mut out = Vec::new();
    push_json(value, &mut out);
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_is_serde_json_s() {
        let value = json!({"a": [1, -2, 0.1, 1e300, 18446744073709551615u64], "b": "\"x\"\u{1}", "c": null});
        assert_eq!(json_text(&value), value.to_string());
    }
}
