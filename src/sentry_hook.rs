//! The ready-made hooks for the `sentry` crate: `before_send`,
//! `before_breadcrumb`, `before_send_log`, `before_send_metric`, and a
//! transaction's processing (the crate has no hook for transactions; see
//! `sentry_integration`).
//!
//! The sentry crate hands its hooks typed values (`Event`, `Breadcrumb`,
//! `Log`, `Metric`). The rules run on the JSON form, so each goes to JSON
//! and back. Two things of the typed
//! form shape this adapter: `Event` has no `_meta` member, so the remarks
//! cannot travel with it (use `process_event` on JSON to keep them); and a
//! few members are typed (`user.ip_address` is an IP address), so a
//! scrubbed value there is removed rather than replaced, which is what the
//! replacement meant anyway.

use std::sync::Arc;

use sentry_types::protocol::v7::{Breadcrumb, Event, Log, Metric, Transaction};
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

    /// Processes a typed transaction as `before_send_transaction` does in
    /// the other SDKs; `None` means drop it.
    pub fn before_send_transaction(
        &self,
        transaction: Transaction<'static>,
    ) -> Option<Transaction<'static>> {
        let hint = Hint {
            now: transaction
                .timestamp
                .and_then(|timestamp| timestamp.duration_since(std::time::UNIX_EPOCH).ok())
                .map(|since| since.as_secs_f64()),
            ..Hint::default()
        };
        self.through_json(transaction, |value| {
            // The typed form leaves out what the JSON of one says of itself.
            if let Some(object) = value.as_object_mut() {
                object.insert("type".into(), "transaction".into());
            }
            let outcome = self.process_event_with_hint(value, &hint);
            make_typed(value);
            if let Some(object) = value.as_object_mut() {
                object.remove("type");
            }
            outcome
        })
    }

    /// Processes a typed breadcrumb (`sentry::ClientOptions::before_breadcrumb`);
    /// `None` means drop it.
    pub fn before_breadcrumb(&self, crumb: Breadcrumb) -> Option<Breadcrumb> {
        self.through_json(crumb, |value| self.process_breadcrumb(value))
    }

    /// Processes a typed metric (`sentry::ClientOptions::before_send_metric`):
    /// its attributes, as [`process_metric`](Self::process_metric) does;
    /// `None` means drop it.
    pub fn before_send_metric(&self, metric: Metric) -> Option<Metric> {
        self.through_json(metric, |value| self.process_metric(value))
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
