//! The ready-made `before_send` and `before_send_log` for the `sentry` crate.
//!
//! The sentry crate hands `before_send` a typed `Event` (and
//! `before_send_log` a typed `Log`). The rules run on the JSON form, so the
//! event goes to JSON and back. Two things of the typed
//! form shape this adapter: `Event` has no `_meta` member, so the remarks
//! cannot travel with it (use `process_event` on JSON to keep them); and a
//! few members are typed (`user.ip_address` is an IP address), so a
//! scrubbed value there is removed rather than replaced, which is what the
//! replacement meant anyway.

use std::sync::Arc;

use sentry_types::protocol::v7::{Event, Log};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::{Hint, OnError, Outcome, Preflight};

/// The shape of `sentry::ClientOptions::before_send`.
pub type BeforeSend = Arc<dyn Fn(Event<'static>) -> Option<Event<'static>> + Send + Sync>;
/// The shape of `sentry::ClientOptions::before_send_log`.
pub type BeforeSendLog = Arc<dyn Fn(Log) -> Option<Log> + Send + Sync>;

impl Preflight {
    /// Processes a typed event; `None` means drop it.
    pub fn before_send(&self, event: Event<'static>) -> Option<Event<'static>> {
        // The event's own timestamp is the budget's clock: the sentry crate
        // sets it when the event is made.
        let hint = Hint {
            now: event
                .timestamp
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|since| since.as_secs_f64()),
            ..Hint::default()
        };
        self.through_json(event, |value| {
            let outcome = self.process_event_with_hint(value, &hint);
            make_typed(value);
            outcome
        })
    }

    /// Processes a typed log (`sentry::ClientOptions::before_send_log`):
    /// its body and attributes, as [`process_log`](Self::process_log) does;
    /// `None` means drop it.
    pub fn before_send_log(&self, log: Log) -> Option<Log> {
        self.through_json(log, |value| self.process_log(value))
    }

    /// `typed` processed as JSON and read back; what cannot make the round
    /// trip follows `on_error` (`pass` sends the original).
    fn through_json<T: Serialize + DeserializeOwned>(
        &self,
        typed: T,
        process: impl FnOnce(&mut Value) -> Outcome,
    ) -> Option<T> {
        let processed = serde_json::to_value(&typed)
            .map_err(|error| error.to_string())
            .and_then(|mut value| match process(&mut value) {
                Outcome::Drop(reason) => Err(reason),
                Outcome::Keep => Ok(value),
            });
        match processed
            .and_then(|value| serde_json::from_value(value).map_err(|error| error.to_string()))
        {
            Ok(processed) => Some(processed),
            Err(_) if self.policy().on_error == OnError::Pass => Some(typed),
            Err(_) => None,
        }
    }

    /// This policy as a value for `sentry::ClientOptions::before_send`.
    pub fn into_before_send(self) -> BeforeSend {
        Arc::new(move |event| self.before_send(event))
    }

    /// This policy as a value for `sentry::ClientOptions::before_send_log`.
    pub fn into_before_send_log(self) -> BeforeSendLog {
        Arc::new(move |log| self.before_send_log(log))
    }
}

/// Removes what the typed `Event` cannot hold: `_meta`, and a scrubbed IP address.
fn make_typed(value: &mut Value) {
    if let Some(object) = value.as_object_mut() {
        object.remove("_meta");
    }
    if let Some(user) = value.get_mut("user").and_then(Value::as_object_mut) {
        let is_address =
            |text: &str| text == "{{auto}}" || text.parse::<std::net::IpAddr>().is_ok();
        if user
            .get("ip_address")
            .and_then(Value::as_str)
            .is_some_and(|text| !is_address(text))
        {
            user.remove("ip_address");
        }
    }
}
