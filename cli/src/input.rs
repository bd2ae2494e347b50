//! Reading captured events: whatever shape people have them in.
//!
//! Events come as one JSON document (an event or an array of events), as
//! JSON lines, or as Sentry envelopes (what an SDK sends, as a proxy or
//! Spotlight records it), from files or stdin. A streaming deserializer reads
//! the JSON shapes the same way: a sequence of values, where an array stands
//! for its elements. From envelopes (one or several in a file), the `event`
//! and `transaction` items are taken; other items (attachments, sessions,
//! logs) are skipped.

use std::io::Read;

use serde_json::Value;

pub(crate) fn read_events(files: &[String]) -> Result<Vec<Value>, String> {
    let sources: Vec<&str> = if files.is_empty() {
        vec!["-"]
    } else {
        files.iter().map(String::as_str).collect()
    };
    let mut events = Vec::new();
    for source in sources {
        let bytes = read_source(source)?;
        let parsed = if is_envelope(&bytes) {
            parse_envelope(&bytes)
        } else {
            std::str::from_utf8(&bytes)
                .map_err(|error| error.to_string())
                .and_then(|text| parse_events(text).map_err(|error| error.to_string()))
        };
        events.extend(parsed.map_err(|error| format!("{source}: {error}"))?);
    }
    Ok(events)
}

fn read_source(source: &str) -> Result<Vec<u8>, String> {
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|error| format!("stdin: {error}"))?;
        return Ok(bytes);
    }
    std::fs::read(source).map_err(|error| format!("{source}: {error}"))
}

/// Members an envelope item header may have; an event never has only these.
const ITEM_HEADER_KEYS: &[&str] = &[
    "type",
    "length",
    "content_type",
    "filename",
    "attachment_type",
    "item_count",
    "platform",
];

/// An envelope: a header object on the first line, then an item header.
fn is_envelope(bytes: &[u8]) -> bool {
    let (first, rest) = split_line(bytes);
    let (second, _) = split_line(rest);
    let header_is_object =
        serde_json::from_slice::<Value>(first).is_ok_and(|value| value.is_object());
    let item_header = serde_json::from_slice::<Value>(second).ok();
    let second_is_item_header =
        item_header
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|item| {
                item.contains_key("type")
                    && item
                        .keys()
                        .all(|key| ITEM_HEADER_KEYS.contains(&key.as_str()))
            });
    header_is_object && second_is_item_header
}

fn parse_envelope(bytes: &[u8]) -> Result<Vec<Value>, String> {
    let (_, mut rest) = split_line(bytes);
    let mut events = Vec::new();
    while !rest.is_empty() {
        let (header_line, after_header) = split_line(rest);
        if header_line.iter().all(u8::is_ascii_whitespace) {
            rest = after_header;
            continue;
        }
        let header: Value =
            serde_json::from_slice(header_line).map_err(|error| format!("item header: {error}"))?;
        if header.get("type").is_none() {
            // The header of the next envelope in a file of several.
            rest = after_header;
            continue;
        }
        let (payload, after_payload) = match header.get("length").and_then(Value::as_u64) {
            Some(length) => {
                let length =
                    usize::try_from(length).map_err(|_| "item length too large".to_owned())?;
                let payload = after_header
                    .get(..length)
                    .ok_or("item shorter than its length")?;
                let after = &after_header[length..];
                (payload, after.strip_prefix(b"\n").unwrap_or(after))
            }
            None => split_line(after_header),
        };
        if matches!(
            header.get("type").and_then(Value::as_str),
            Some("event" | "transaction")
        ) {
            events.push(
                serde_json::from_slice(payload)
                    .map_err(|error| format!("item payload: {error}"))?,
            );
        }
        rest = after_payload;
    }
    Ok(events)
}

/// The bytes up to the first newline, and the bytes after it.
fn split_line(bytes: &[u8]) -> (&[u8], &[u8]) {
    match bytes.iter().position(|byte| *byte == b'\n') {
        Some(end) => (&bytes[..end], &bytes[end + 1..]),
        None => (bytes, &[]),
    }
}

fn parse_events(text: &str) -> Result<Vec<Value>, serde_json::Error> {
    let mut events = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match value? {
            Value::Array(items) => events.extend(items),
            event => events.push(event),
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_yield_their_events_and_transactions() {
        let envelope = b"{\"event_id\":\"abc\",\"sent_at\":\"2026-11-22T00:00:00Z\"}\n\
            {\"type\":\"event\",\"length\":13}\n{\"message\":1}\n\
            {\"type\":\"attachment\",\"length\":3,\"filename\":\"a.bin\"}\n\xff\x00\x01\n\
            {\"type\":\"transaction\"}\n{\"transaction\":\"/x\"}\n";
        assert!(is_envelope(envelope));
        let events = parse_envelope(envelope).unwrap();
        assert_eq!(
            events,
            vec![
                serde_json::json!({"message": 1}),
                serde_json::json!({"transaction": "/x"})
            ]
        );
        assert!(!is_envelope(
            b"{\"event_id\":\"a\"}\n{\"type\":\"transaction\",\"spans\":[]}\n"
        ));
        assert!(parse_envelope(b"{}\n{\"type\":\"event\",\"length\":99}\n{}").is_err());
    }

    #[test]
    fn arrays_lines_and_single_events_are_read_alike() {
        assert_eq!(parse_events(r#"[{"a":1},{"a":2}]"#).unwrap().len(), 2);
        assert_eq!(
            parse_events("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n")
                .unwrap()
                .len(),
            3
        );
        assert_eq!(parse_events(r#"{"a":1}"#).unwrap().len(), 1);
        assert!(parse_events("{\"a\":").is_err());
    }
}
