//! JSON text read into a `serde_json::Value` through the tape.
//!
//! The policy, a hint and a sampling context arrive as text too, and only
//! as a `Value` do their readers take them. serde_json's own text reader
//! would bring its exact float parser (`float_roundtrip`, tens of KB of
//! code and tables) into the WASM module a second time beside the core's
//! `str::parse`, which the tape already uses to check numbers; reading
//! through the tape leaves one. Numbers become what serde_json makes of the
//! same text, so no value read here differs by a unit in the last place.

use serde_json::{Map, Number, Value};

use super::read::{children, key_of, read, string_of, ReadError, Tape};
use crate::tree::NodeKind;

/// `text` as a `Value`, or why it is not JSON; text nested more than
/// `max_depth` containers deep is refused (the build recurses once a level).
pub fn value_of(text: &str, max_depth: usize) -> Result<Value, ReadError> {
    value_on(text, &mut Tape::default(), max_depth)
}

/// [`value_of`] on a tape the caller keeps, so that reading text call after
/// call (a sampling context per root span) allocates no tape each time.
pub fn value_on(text: &str, tape: &mut Tape, max_depth: usize) -> Result<Value, ReadError> {
    read(text, tape)?;
    build(text, tape, 0, 0, max_depth).ok_or(ReadError::TooDeep(max_depth))
}

fn build(text: &str, tape: &Tape, index: u32, depth: usize, max_depth: usize) -> Option<Value> {
    let node = &tape.nodes[index as usize];
    let raw = &text[node.start as usize..node.end as usize];
    let container = matches!(node.kind, NodeKind::Array | NodeKind::Object);
    if container && depth >= max_depth {
        return None;
    }
    Some(match node.kind {
        NodeKind::Null | NodeKind::Other => Value::Null,
        NodeKind::Bool => Value::Bool(raw == "true"),
        NodeKind::Number => number_value(raw),
        NodeKind::String => Value::String(string_of(text, node).into_owned()),
        NodeKind::Array => Value::Array(
            children(&tape.nodes, index)
                .map(|child| build(text, tape, child, depth + 1, max_depth))
                .collect::<Option<_>>()?,
        ),
        NodeKind::Object => Value::Object(
            children(&tape.nodes, index)
                .map(|child| {
                    let key = key_of(text, &tape.nodes[child as usize]).into_owned();
                    Some((key, build(text, tape, child, depth + 1, max_depth)?))
                })
                .collect::<Option<Map<_, _>>>()?,
        ),
    })
}

/// The number the tape checked, as serde_json reads it: a whole number as
/// an unsigned or signed integer where it fits, `-0` and everything else as
/// the nearest `f64` (the reader refused what does not fit one).
pub(crate) fn number_value(raw: &str) -> Value {
    let whole = !raw.contains(['.', 'e', 'E']);
    let integer = if !whole || raw == "-0" {
        None
    } else if raw.starts_with('-') {
        raw.parse::<i64>().ok().map(Number::from)
    } else {
        raw.parse::<u64>().ok().map(Number::from)
    };
    integer
        .or_else(|| crate::float::parse(raw).and_then(Number::from_f64))
        .map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_what_serde_json_reads() {
        let texts = [
            "0",
            "-0",
            "7",
            "-7",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.0",
            "-0.0",
            "1e2",
            "1E-2",
            "0.1",
            "1796162677.9208705",
            "2.2250738585072014e-308",
            "4.9e-324",
            "1.7976931348623157e308",
            "123456789012345678901234567890",
            "5e-400",
        ];
        for text in texts {
            let ours = value_of(text, 8).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            assert_eq!(
                (ours.is_u64(), ours.is_i64(), ours.is_f64()),
                (theirs.is_u64(), theirs.is_i64(), theirs.is_f64()),
                "{text}"
            );
        }
    }

    #[test]
    fn documents_are_what_serde_json_reads() {
        let text = r#"{"a":[1,{"b":"\u00e9\n"},null,true],"c":{"":-2.5},"d":[]}"#;
        assert_eq!(
            value_of(text, 8).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn too_deep_and_malformed_text_is_refused() {
        assert!(value_of("[[1]]", 2).is_ok());
        assert_eq!(value_of("[[[1]]]", 2), Err(ReadError::TooDeep(2)));
        assert!(value_of("{\"a\":1,}", 8).is_err());
        assert!(value_of("{\"a\":1,\"a\":2}", 8).is_err());
    }
}
