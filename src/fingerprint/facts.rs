//! What fingerprint rules look at in an event, read once per event.
//!
//! The values are Sentry's `EventDatastore`: the log message, logger and
//! level, each exception's type and value, every frame (of the event's,
//! the exceptions' and the threads' stack traces), the tags, the SDK, the
//! platform family and the release. Variables (`{{ function }}`, …) also
//! need the crash frame: the last in-app frame of the last exception's
//! stack trace (else its last frame), as Sentry picks it.

use crate::read::{self, bool_at, each_value, text_at};
use crate::tree::EventTree;

#[derive(Debug, Clone, Default)]
pub(crate) struct Frame {
    pub(crate) function: Option<String>,
    pub(crate) abs_path: Option<String>,
    pub(crate) filename: Option<String>,
    pub(crate) module: Option<String>,
    pub(crate) package: Option<String>,
    pub(crate) in_app: Option<bool>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Exception {
    pub(crate) ty: Option<String>,
    pub(crate) value: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct EventData {
    /// The log message (`logentry.formatted`, or the SDK's `message`), trimmed.
    pub(crate) message: Option<String>,
    pub(crate) logger: Option<String>,
    pub(crate) level: Option<String>,
    pub(crate) exceptions: Vec<Exception>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) crash_frame: Option<Frame>,
    pub(crate) tags: Vec<(String, Option<String>)>,
    pub(crate) sdk: Option<String>,
    pub(crate) platform: Option<String>,
    pub(crate) release: Option<String>,
    pub(crate) transaction: Option<String>,
}

impl EventData {
    pub(crate) fn read<T: EventTree>(event: &mut T) -> EventData {
        let mut data = EventData {
            message: text_at(event, &["logentry", "formatted"])
                .or_else(|| text_at(event, &["message", "formatted"]))
                .or_else(|| text_at(event, &["message"]))
                .map(|message| message.trim().to_owned())
                .filter(|message| !message.is_empty()),
            logger: text_at(event, &["logger"]).filter(|l| !l.is_empty()),
            level: text_at(event, &["level"]).filter(|l| !l.is_empty()),
            sdk: text_at(event, &["sdk", "name"]),
            platform: text_at(event, &["platform"]),
            release: text_at(event, &["release"]).map(|r| r.trim().to_owned()),
            transaction: text_at(event, &["transaction"]).filter(|t| !t.is_empty()),
            ..EventData::default()
        };
        let event_stack = frames_of(event);
        data.frames.extend(event_stack.iter().cloned());
        let mut last_stack = Vec::new();
        each_value(event, &["exception"], &mut |exception| {
            data.exceptions.push(Exception {
                ty: text_at(exception, &["type"]),
                value: text_at(exception, &["value"])
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty()),
            });
            last_stack = frames_of(exception);
            data.frames.extend(last_stack.iter().cloned());
        });
        each_value(event, &["threads"], &mut |thread| {
            data.frames.extend(frames_of(thread))
        });
        if last_stack.is_empty() {
            last_stack = event_stack;
        }
        data.crash_frame = last_stack
            .iter()
            .rev()
            .find(|frame| frame.in_app == Some(true))
            .or_else(|| last_stack.last())
            .cloned();
        data.tags = read::tags(event)
            .into_iter()
            .map(|(key, value)| (key, value.map(|v| v.trim().to_owned())))
            .collect();
        data
    }

    /// The platform's behaviour family, as Sentry groups platforms.
    pub(crate) fn family(&self) -> &'static str {
        match self.platform.as_deref() {
            Some("javascript" | "node") => "javascript",
            Some("objc" | "cocoa" | "swift" | "native" | "c") => "native",
            Some("java" | "groovy") => "java",
            _ => "other",
        }
    }

    pub(crate) fn tag(&self, name: &str) -> Option<&str> {
        self.tags
            .iter()
            .find(|(key, value)| key == name && value.is_some())
            .and_then(|(_, value)| value.as_deref())
    }
}

/// The frames of a thread's or an exception's `stacktrace`.
fn frames_of<T: EventTree>(owner: &mut T) -> Vec<Frame> {
    let mut frames = Vec::new();
    owner.with_field("stacktrace", |stacktrace| frames = frames_in(stacktrace));
    frames
}

fn frames_in<T: EventTree>(stacktrace: &mut T) -> Vec<Frame> {
    let mut frames = Vec::new();
    stacktrace.with_field("frames", |list| {
        list.for_each_element(|_, frame| {
            let abs_path = text_at(frame, &["abs_path"]);
            let filename = text_at(frame, &["filename"]);
            frames.push(Frame {
                function: text_at(frame, &["function"]),
                abs_path: abs_path.clone().or_else(|| filename.clone()),
                filename,
                module: text_at(frame, &["module"]),
                package: text_at(frame, &["package"]),
                in_app: bool_at(frame, &["in_app"]),
            });
        })
    });
    frames
}
