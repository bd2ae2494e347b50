//! Logs and metrics: the telemetry the SDKs send beside events, as maps of
//! attributes.
//!
//! `sentry_sdk.logger.info("card {card}", card=…)` sends the card twice: in
//! the log's body and in the attribute `sentry.message.parameter.card` (with
//! the template in `sentry.message.template`). A log is scrubbed so that a
//! secret goes from both places whichever of them shows it to be one: a
//! parameter taken out by its key or its value is also taken out of the body
//! wherever it appears, and a parameter the body's search takes out (the
//! `hunter2` of `password=%s`) goes from the attributes too. A metric's user
//! data is its attributes; its name, type, unit and value are protocol.
//!
//! Attributes arrive plain (`{"email": "ada@…"}`, what the SDKs hand their
//! hooks) or typed (`{"email": {"type": "string", "value": "ada@…"}}`, the
//! wire form); either way a value is scrubbed under its attribute's key. The
//! attributes the SDK itself sets for Sentry (`sentry.sdk.name`,
//! `sentry.release`, `sentry.environment`, `sentry.origin`, …) are protocol
//! and never touched; the message template and parameters are user data.

use super::walk::Scrubber;
use crate::path::Path;
use crate::tree::{EventTree, NodeKind};

/// Attributes named so are user data even though Sentry's namespace holds them.
const TEMPLATE: &str = "sentry.message.template";
const PARAMETER_PREFIX: &str = "sentry.message.parameter.";

/// Beyond this many parameters a log's body is not searched for each of
/// them (that costs the body's length per parameter), nor beyond this many
/// places of one secret parameter in it (each is a span to rewrite): the
/// body and every parameter are taken out instead, as what could not be
/// checked.
const MAX_PARAMETERS: usize = 32;
const MAX_PLACES: usize = 1024;

/// A message parameter as the attributes held it before the scrub.
struct Parameter {
    key: String,
    original: Option<String>,
    taken_out: bool,
}

/// A log (`before_send_log`): its body (`body` from sentry-python, `message`
/// from the JS SDKs) and attributes.
pub(crate) fn log<T: EventTree>(scrub: &mut Scrubber<'_>, log: &mut T) {
    let root = Path::root();
    let attributes_path = root.key("attributes");
    let mut parameters = Vec::new();
    log.with_field("attributes", |attributes| {
        each_attribute(attributes, &mut |key, value| {
            let place = attributes_path.key(key);
            if key.starts_with(PARAMETER_PREFIX) {
                let original = value.text().map(|text| text.into_owned());
                scrub.keyed(key, value, &place);
                let taken_out =
                    original.is_some() && value.text().as_deref() != original.as_deref();
                parameters.push(Parameter {
                    key: key.to_owned(),
                    original,
                    taken_out,
                });
            } else if key == TEMPLATE {
                scrub.template(value, &place);
            } else {
                scrub.keyed(key, value, &place);
            }
        });
    });
    let secrets: Vec<String> = parameters
        .iter()
        .filter(|parameter| parameter.taken_out)
        .filter_map(|parameter| parameter.original.clone())
        .collect();
    let mut too_many = parameters.len() > MAX_PARAMETERS;
    for field in ["body", "message"] {
        log.with_field(field, |body| {
            let Some(text) = body.text() else { return };
            too_many |= secrets.iter().any(|secret| {
                !secret.is_empty()
                    && text
                        .match_indices(secret.as_str())
                        .nth(MAX_PLACES)
                        .is_some()
            });
        });
    }
    let candidates: Vec<String> = parameters
        .iter()
        .map(
            |parameter| match (&parameter.original, parameter.taken_out) {
                (Some(original), false) => original.clone(),
                _ => String::new(),
            },
        )
        .collect();
    for field in ["body", "message"] {
        log.with_field(field, |body| {
            let place = root.key(field);
            if too_many {
                scrub.take_out(body, Scrubber::PARAMETER_RULE, &place);
                return;
            }
            let found_secret = scrub.log_body(body, &place, &secrets, &candidates);
            for (parameter, secret) in parameters.iter_mut().zip(found_secret) {
                parameter.taken_out |= secret;
            }
        });
    }
    let late: Vec<&str> = parameters
        .iter()
        .filter(|parameter| too_many || parameter.taken_out)
        .map(|parameter| parameter.key.as_str())
        .collect();
    if late.is_empty() {
        return;
    }
    log.with_field("attributes", |attributes| {
        each_attribute(attributes, &mut |key, value| {
            // A value already redacted is left as it is (`take_out` knows it).
            if late.contains(&key) {
                scrub.take_out(value, Scrubber::PARAMETER_RULE, &attributes_path.key(key));
            }
        });
    });
}

/// A metric (`before_send_metric`): its attributes.
pub(crate) fn metric<T: EventTree>(scrub: &mut Scrubber<'_>, metric: &mut T) {
    let root = Path::root();
    let path = root.key("attributes");
    metric.with_field("attributes", |attributes| {
        each_attribute(attributes, &mut |key, value| {
            scrub.keyed(key, value, &path.key(key))
        });
    });
}

/// Visits the value of each attribute that is user data: a typed
/// attribute's `value`, a plain one itself. Attributes that are not a map
/// are data of unknown shape, walked whole by the caller's `keyed` under
/// the name `attributes`.
fn each_attribute<T: EventTree>(attributes: &mut T, visit: &mut dyn FnMut(&str, &mut T)) {
    if attributes.kind() != NodeKind::Object {
        visit("attributes", attributes);
        return;
    }
    attributes.for_each_field(|key, value| {
        if is_protocol(key) {
            return;
        }
        if value.kind() == NodeKind::Object && is_typed(value) {
            value.with_field("value", |inner| visit(key, inner));
        } else {
            visit(key, value);
        }
    });
}

/// An attribute the SDK sets for Sentry itself.
fn is_protocol(key: &str) -> bool {
    key.starts_with("sentry.") && key != TEMPLATE && !key.starts_with(PARAMETER_PREFIX)
}

/// `{"type": …, "value": …}`: an attribute in its wire form.
fn is_typed<T: EventTree>(value: &mut T) -> bool {
    let mut typed = false;
    value.with_field("type", |kind| typed = kind.kind() == NodeKind::String);
    typed
}
