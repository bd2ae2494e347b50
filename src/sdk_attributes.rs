//! The attributes of logs, trace metrics and streamed spans: which of them
//! the SDK sets for Sentry itself, and the two forms they arrive in.
//!
//! Three readers need the same answers — preflight's own scrub of a log or
//! metric, the Relay rules over the same items, and `filters.ignore_logs` —
//! so they are given once here. An attribute arrives plain (`{"email":
//! "ada@…"}`, what the SDKs hand their hooks) or typed (`{"email": {"type":
//! "string", "value": "ada@…"}}`, the wire form).

use crate::tree::{EventTree, NodeKind};

/// The message template of a log: the user's, though Sentry's namespace holds it.
pub(crate) const MESSAGE_TEMPLATE: &str = "sentry.message.template";
/// The prefix of a log's message parameters: the user's, as the template is.
pub(crate) const MESSAGE_PARAMETER_PREFIX: &str = "sentry.message.parameter.";

/// An attribute the SDK sets for Sentry itself (`sentry.release`,
/// `sentry.sdk.name`, `sentry.origin`, …): protocol, never scrubbed. The
/// message template and parameters are not.
pub(crate) fn is_sdk_protocol(key: &str) -> bool {
    key.starts_with("sentry.")
        && key != MESSAGE_TEMPLATE
        && !key.starts_with(MESSAGE_PARAMETER_PREFIX)
}

/// `{"type": …, "value": …}`: an attribute in its wire form.
pub(crate) fn is_typed<T: EventTree>(attribute: &mut T) -> bool {
    let mut typed = false;
    if attribute.kind() == NodeKind::Object {
        attribute.with_field("type", |ty| typed = ty.kind() == NodeKind::String);
    }
    typed
}
