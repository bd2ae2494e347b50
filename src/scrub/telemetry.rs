//! Logs and metrics: the telemetry the SDKs send beside events, as maps of
//! attributes.
//!
//! A log is a message sent formatted (its body) and in parts (the
//! attributes `sentry.message.template` and `sentry.message.parameter.*`),
//! scrubbed as `message` scrubs every such message; its other attributes
//! are data under their keys. A metric's user data is its attributes; its
//! name, type, unit and value are protocol.
//!
//! Attributes arrive plain (`{"email": "ada@…"}`, what the SDKs hand their
//! hooks) or typed (`{"email": {"type": "string", "value": "ada@…"}}`, the
//! wire form); either way a value is scrubbed under its attribute's key. The
//! attributes the SDK itself sets for Sentry (`sentry.sdk.name`,
//! `sentry.release`, `sentry.environment`, `sentry.origin`, …) are protocol
//! and never touched; the message template and parameters are user data.

use super::message::{scrub_message, Layout, Part};
use super::walk::Scrubber;
use crate::path::Path;
use crate::sdk_attributes::{
    is_sdk_protocol, is_typed, MESSAGE_PARAMETER_PREFIX, MESSAGE_TEMPLATE,
};
use crate::tree::{EventTree, NodeKind};

/// A log (`before_send_log`): its body (`body` from sentry-python, `message`
/// from the JS SDKs) formatted from the template and parameters among its
/// attributes.
pub(crate) fn log<T: EventTree>(scrub: &mut Scrubber<'_>, log: &mut T) {
    let layout = Layout {
        members: log_members,
        formatted: &["body", "message"],
    };
    scrub_message(scrub, log, &Path::root(), &layout);
}

fn log_members<T: EventTree>(
    log: &mut T,
    root: &Path<'_>,
    visit: &mut dyn FnMut(Part<'_>, &mut T, &Path<'_>),
) {
    let path = root.key("attributes");
    log.with_field("attributes", |attributes| {
        each_attribute(attributes, &mut |key, value| {
            let part = if key.starts_with(MESSAGE_PARAMETER_PREFIX) {
                Part::Parameter(Some(key))
            } else if key == MESSAGE_TEMPLATE {
                Part::Template
            } else {
                Part::Data(key)
            };
            visit(part, value, &path.key(key));
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
        if is_sdk_protocol(key) {
            return;
        }
        if is_typed(value) {
            value.with_field("value", |inner| visit(key, inner));
        } else {
            visit(key, value);
        }
    });
}
