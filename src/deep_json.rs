//! Reading event JSON text nested deeper than a parser's stack.
//!
//! serde_json refuses text nested more than 128 levels (its recursion
//! limit, there so that parsing cannot overflow the stack), so a deeply
//! nested event given as text would be refused whole, where Rust and Python cut it at
//! `limits.max_depth` and send the rest. The walk removes every container
//! it reaches at `max_depth` (with a `!limit` remark), so nothing below that
//! can reach the output: such text is first rewritten without the
//! containers below it, without recursion, then read without serde_json's
//! limit (the rewritten text is at most `max_depth` + 2 deep, and
//! `max_depth` is at most 256). Used by `Preflight::read_event`, for Rust
//! callers that hold text; the JS package's tape reader has no such limit.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

/// Reads JSON text, removing containers more than `max_depth` levels below
/// the root when the text is too deep to read as it is.
pub(crate) fn read(text: &str, max_depth: usize) -> serde_json::Result<Value> {
    match serde_json::from_str(text) {
        Err(error) if error.to_string().starts_with("recursion limit exceeded") => {}
        parsed => return parsed,
    }
    let bounded = without_containers_deeper_than(text, max_depth);
    let mut deserializer = serde_json::Deserializer::from_str(&bounded);
    deserializer.disable_recursion_limit();
    let value = Value::deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// `text` with each container more than `depth` levels below the root (the
/// root is level 0) written as `null`. Strings are skipped whole, so
/// brackets inside them are not counted; invalid text stays invalid.
fn without_containers_deeper_than(text: &str, depth: usize) -> Cow<'_, str> {
    let mut output = String::new();
    let mut copied_up_to = 0;
    let mut cut = false;
    // How many containers are open; the one being skipped, by its level.
    let mut open = 0usize;
    let mut skipping: Option<usize> = None;
    let (mut in_string, mut escaped) = (false, false);
    for (at, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                open += 1;
                if open > depth + 1 && skipping.is_none() {
                    output.push_str(text.get(copied_up_to..at).unwrap_or_default());
                    output.push_str("null");
                    skipping = Some(open);
                    cut = true;
                }
            }
            b'}' | b']' => {
                if skipping == Some(open) {
                    skipping = None;
                    copied_up_to = at + 1;
                }
                open = open.saturating_sub(1);
            }
            _ => {}
        }
    }
    if !cut {
        return Cow::Borrowed(text);
    }
    if skipping.is_none() {
        output.push_str(text.get(copied_up_to..).unwrap_or_default());
    }
    Cow::Owned(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_below_the_depth_become_null_and_strings_are_not_counted() {
        let text = r#"{"a": {"b": [1, {"c": "[{"}], "d": "x"}, "e": [[2]]}"#;
        assert_eq!(
            without_containers_deeper_than(text, 1),
            r#"{"a": {"b": null, "d": "x"}, "e": [null]}"#
        );
        assert!(matches!(
            without_containers_deeper_than(text, 3),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn text_deeper_than_serde_json_reads_is_read_cut() {
        let depth = 100_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(serde_json::from_str::<Value>(&text).is_err());
        let value = read(&text, 3).unwrap();
        assert_eq!(value, serde_json::json!([[[[null]]]]));
        assert!(
            read("{\"a\": [1,", 3).is_err(),
            "invalid text stays invalid"
        );
        assert!(read("[[1]] x", 3).is_err(), "trailing text is refused");
    }
}
