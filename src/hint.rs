//! What an SDK's hint says about the event's exception, as plain data, and
//! the one reader of the hint's JSON form.
//!
//! Each binding finds the exception in its SDK's hint (sentry-python's
//! `exc_info`, the JS SDKs' `originalException`) and names its classes; the
//! JS package and the CLI hand the core the result as JSON text, which
//! [`Hint::from_json`] reads: one shape, one reader, one range of HTTP
//! statuses ([`HTTP_STATUSES`]) for the bindings and the policy alike.
//!
//! The shape: `{"exception_types": [names], "status_code": n | [n, …],
//! "tags": {…}, "contexts": {…}, "fingerprint": [parts]}`, every member
//! optional. A list of statuses gives the candidates an exception carries
//! (`status`, `statusCode`), the first HTTP status among them counting.
//! What is missing or of another type is not reported: a hint never makes
//! an event fail.

use std::ops::RangeInclusive;

use serde_json::Value;

use crate::attributes::ExceptionData;
use crate::tape::{value_on, Tape};

/// The HTTP statuses a hint may carry and `filters.ignore_status` may list.
pub const HTTP_STATUSES: RangeInclusive<u16> = 100..=599;

/// How deep a hint's JSON may nest: the 128 levels serde_json's reader
/// allowed (the SDKs' hints are a few levels deep).
const HINT_DEPTH: usize = 128;

/// What the SDK knows about an event beyond the event itself (the `hint`
/// of `before_send`), as plain data the bindings extract.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hint {
    /// The exception's type and every base type, as the runtime names them
    /// (`ClientDisconnect`, `starlette.requests.ClientDisconnect`, …).
    pub exception_types: Vec<String>,
    /// An HTTP status the exception carries (`status_code`, `status`).
    pub status_code: Option<u16>,
    /// The `tags`, `contexts` and `fingerprint` the exception carries.
    pub exception_data: ExceptionData,
    /// The caller's clock, in seconds since the Unix epoch, for
    /// `sampling.budget` (the core has no clock of its own).
    pub now: Option<f64>,
}

impl Hint {
    /// `number` as an HTTP status, when it is one.
    pub fn http_status(number: i64) -> Option<u16> {
        u16::try_from(number)
            .ok()
            .filter(|status| HTTP_STATUSES.contains(status))
    }

    /// Reads a hint's JSON form (see the module doc); text that is not
    /// JSON, or not an object, is the reason.
    pub fn from_json(text: &str) -> Result<Hint, String> {
        let value = crate::tape::value_of(text, HINT_DEPTH).map_err(|error| error.to_string())?;
        value
            .is_object()
            .then(|| Hint::from_value(&value))
            .ok_or_else(|| "a hint is a JSON object".to_owned())
    }

    /// `from_json` on a tape the caller keeps between calls, without the
    /// reason (the JS path, where a hint it cannot read is no hint).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // the wasm binding's
    pub(crate) fn from_json_on(text: &str, tape: &mut Tape) -> Option<Hint> {
        let value = value_on(text, tape, HINT_DEPTH).ok()?;
        value.is_object().then(|| Hint::from_value(&value))
    }

    fn from_value(value: &Value) -> Hint {
        let strings = |value: &Value| -> Option<Vec<String>> {
            value
                .as_array()?
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect()
        };
        let status = |value: &Value| value.as_i64().and_then(Hint::http_status);
        let status_code = match &value["status_code"] {
            Value::Array(candidates) => candidates.iter().find_map(status),
            single => status(single),
        };
        Hint {
            exception_types: value["exception_types"]
                .as_array()
                .map(|names| {
                    names
                        .iter()
                        .filter_map(|name| name.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            status_code,
            exception_data: ExceptionData {
                tags: value["tags"]
                    .as_object()
                    .map(|tags| {
                        tags.iter()
                            .map(|(key, tag)| {
                                let text = tag
                                    .as_str()
                                    .map_or_else(|| crate::float::json_text(tag), str::to_owned);
                                (key.clone(), text)
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                contexts: value["contexts"]
                    .as_object()
                    .map(|contexts| {
                        contexts
                            .iter()
                            .filter(|(_, context)| context.is_object())
                            .map(|(name, context)| (name.clone(), context.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                fingerprint: strings(&value["fingerprint"]).filter(|parts| !parts.is_empty()),
            },
            now: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_http_status_among_the_candidates_counts() {
        let status = |text: &str| Hint::from_json(text).unwrap().status_code;
        assert_eq!(status(r#"{"status_code": 404}"#), Some(404));
        assert_eq!(
            status(r#"{"status_code": [null, 99, "500", 503, 404]}"#),
            Some(503)
        );
        assert_eq!(status(r#"{"status_code": 600}"#), None);
        assert_eq!(status(r#"{"status_code": 404.5}"#), None);
        assert_eq!(Hint::http_status(599), Some(599));
        assert_eq!(Hint::http_status(-404), None);
    }

    #[test]
    fn members_of_other_types_are_not_reported() {
        let hint = Hint::from_json(
            r#"{"exception_types": ["HttpError", 7, "Error"], "tags": {"code": 7, "team": "pay"},
                "contexts": {"order": {"id": 1}, "odd": 3}, "fingerprint": ["a", 1]}"#,
        )
        .unwrap();
        assert_eq!(hint.exception_types, ["HttpError", "Error"]);
        assert_eq!(
            hint.exception_data.tags,
            [
                ("code".to_owned(), "7".to_owned()),
                ("team".to_owned(), "pay".to_owned())
            ]
        );
        assert_eq!(hint.exception_data.contexts.len(), 1);
        assert_eq!(hint.exception_data.fingerprint, None);
        assert!(Hint::from_json("[1]").is_err());
        assert!(Hint::from_json("{").is_err());
    }
}
