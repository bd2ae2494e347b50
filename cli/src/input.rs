//! Reading captured events: whatever shape people have them in.
//!
//! Events come as one JSON document (an event or an array of events) or as
//! JSON lines, from files or stdin. A streaming deserializer reads all three
//! the same way: a sequence of values, where an array stands for its elements.

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
        let text = read_source(source)?;
        events.extend(parse_events(&text).map_err(|error| format!("{source}: {error}"))?);
    }
    Ok(events)
}

fn read_source(source: &str) -> Result<String, String> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|error| format!("stdin: {error}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(source).map_err(|error| format!("{source}: {error}"))
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
