//! What the filters look at in an event, read once.
//!
//! An SDK's event is a tree of the host language's values; the filters need
//! a handful of strings from it. They are copied out here (a few short
//! strings per event), so the rules in `mod.rs` read plain data.

use crate::read::{is_error_type, number_at, text_at};
use crate::tree::{EventTree, NodeKind};

#[derive(Debug, Default)]
pub(super) struct Facts {
    pub(super) is_error: bool,
    pub(super) is_transaction: bool,
    pub(super) transaction: Option<String>,
    /// `message`, or the log entry's formatted text (else its template).
    message: Option<String>,
    /// The last exception's type, and the same qualified by its module.
    pub(super) type_names: Vec<String>,
    last_type: Option<String>,
    last_value: Option<String>,
    /// The file of the last usable frame of the root exception.
    pub(super) url: Option<String>,
    pub(super) status_code: Option<u16>,
}

impl Facts {
    pub(super) fn read<T: EventTree>(event: &mut T) -> Facts {
        let mut facts = Facts::default();
        let ty = text_at(event, &["type"]);
        facts.is_transaction = ty.as_deref() == Some("transaction");
        facts.is_error = is_error_type(ty.as_deref());
        facts.transaction = text_at(event, &["transaction"]);
        facts.message = text_at(event, &["message"])
            .or_else(|| text_at(event, &["message", "formatted"]))
            .or_else(|| text_at(event, &["logentry", "formatted"]))
            .or_else(|| text_at(event, &["logentry", "message"]));
        event.with_field("exception", |exception| match exception.kind() {
            NodeKind::Array => facts.read_exceptions(exception),
            _ => exception.with_field("values", |values| facts.read_exceptions(values)),
        });
        facts.status_code = number_at(event, &["contexts", "response", "status_code"])
            .or_else(|| {
                number_at(
                    event,
                    &["contexts", "trace", "data", "http.response.status_code"],
                )
            })
            .and_then(|status| u16::try_from(status).ok());
        facts
    }

    fn read_exceptions<T: EventTree>(&mut self, values: &mut T) {
        let mut count = 0;
        values.for_each_element(|_, _| count += 1);
        values.for_each_element(|index, exception| {
            if index + 1 == count {
                self.last_type = text_at(exception, &["type"]);
                self.last_value = text_at(exception, &["value"]);
                let module = text_at(exception, &["module"]);
                self.type_names = self.last_type.iter().cloned().collect();
                if let (Some(module), Some(ty)) = (module, &self.last_type) {
                    self.type_names.push(format!("{module}.{ty}"));
                }
            }
            let mut has_parent = false;
            exception.with_field("mechanism", |mechanism| {
                mechanism.with_field("parent_id", |parent| {
                    has_parent = parent.kind() != NodeKind::Null
                })
            });
            if !has_parent {
                if let Some(url) = last_usable_frame_file(exception) {
                    self.url = url;
                }
            }
        });
    }

    /// The texts sentry-javascript's `ignoreErrors` is matched against.
    pub(super) fn messages(&self) -> Vec<String> {
        let mut messages: Vec<String> = self.message.iter().cloned().collect();
        if let Some(value) = &self.last_value {
            messages.push(value.clone());
            if let Some(ty) = &self.last_type {
                messages.push(format!("{ty}: {value}"));
            }
        }
        messages
    }
}

/// For an exception with frames: the `filename` of its last frame that is not
/// `<anonymous>` or `[native code]` (none when that frame has no file), as
/// sentry-javascript's event filters pick it. `None` without frames.
fn last_usable_frame_file<T: EventTree>(exception: &mut T) -> Option<Option<String>> {
    let mut found = None;
    exception.with_field("stacktrace", |stacktrace| {
        stacktrace.with_field("frames", |frames| {
            frames.for_each_element(|_, frame| {
                let filename = text_at(frame, &["filename"]);
                match filename.as_deref() {
                    Some("<anonymous>" | "[native code]") => found = Some(found.take().flatten()),
                    _ => found = Some(filename),
                }
            })
        })
    });
    found
}
