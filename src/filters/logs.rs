//! Logs nobody wants (`filters.ignore_logs`), dropped in `before_send_log`
//! before they are scrubbed: by level, by body or message template, by logger.
//!
//! The SDKs hand their hooks the same log in three shapes: sentry-python
//! `{severity_text, severity_number, body, attributes}`, the JS SDKs
//! `{level, message, severityNumber, attributes}`, the sentry crate (as JSON)
//! `{level, body, attributes}`. The level is read from its text where there
//! is one (`warning` and `critical`, Python's names, are `warn` and `fatal`)
//! and else from its OpenTelemetry severity number (1–4 trace … 21–24
//! fatal). A message pattern matches the body or the template
//! (`sentry.message.template`), so `"GET /health*"` drops the formatted
//! line and `"user %s logged in"` every line made from it; the logger is the
//! `logger.name` attribute sentry-python's logging integration sets.

use super::{first_match, Entry};
use crate::pattern::{Matcher, PlainAs};
use crate::policy::{LogFiltersPolicy, PolicyError, LOG_LEVELS};
use crate::read::text_at;
use crate::sdk_attributes::MESSAGE_TEMPLATE;
use crate::tree::{EventTree, NodeKind};

/// `filters.ignore_logs`, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct LogFilters {
    levels: Vec<&'static str>,
    messages: Vec<Entry>,
    loggers: Vec<Entry>,
}

impl LogFilters {
    pub(crate) fn new(policy: &LogFiltersPolicy) -> Result<LogFilters, PolicyError> {
        let levels = policy
            .levels
            .iter()
            .filter_map(|level| LOG_LEVELS.iter().find(|known| *known == level).copied())
            .collect();
        let entries = |key: &str, patterns: &[String]| {
            super::entries(&format!("ignore_logs.{key}"), patterns, PlainAs::Wildcards)
        };
        Ok(LogFilters {
            levels,
            messages: entries("messages", &policy.messages)?,
            loggers: entries("loggers", &policy.loggers)?,
        })
    }

    /// Why the log must be dropped, if it must.
    pub(crate) fn drop_reason<T: EventTree>(&self, log: &mut T) -> Option<String> {
        let none = self.levels.is_empty() && self.messages.is_empty() && self.loggers.is_empty();
        // Constant in a build without the rules: what they run is left out.
        if !crate::left_out::POLICY_RULES || none {
            return None;
        }
        if let Some(level) = level_of(log).filter(|level| self.levels.contains(level)) {
            return Some(format!("filters.ignore_logs.levels: level {level}"));
        }
        let texts = [
            text_at(log, &["body"]).or_else(|| text_at(log, &["message"])),
            attribute(log, MESSAGE_TEMPLATE),
        ];
        for text in texts.iter().flatten() {
            if let Some(origin) = first_match(&self.messages, |m| m.matches(text)) {
                return Some(format!("{origin} matched {text:?}"));
            }
        }
        let logger = attribute(log, "logger.name")?;
        first_match(&self.loggers, |m: &Matcher| m.matches(&logger))
            .map(|origin| format!("{origin} matched the logger {logger:?}"))
    }
}

/// The log's level, as one of `LOG_LEVELS`.
fn level_of<T: EventTree>(log: &mut T) -> Option<&'static str> {
    let text = text_at(log, &["level"]).or_else(|| text_at(log, &["severity_text"]));
    if let Some(text) = text {
        let text = text.to_ascii_lowercase();
        let named = match text.as_str() {
            "warning" => "warn",
            "critical" => "fatal",
            other => other,
        };
        return LOG_LEVELS.iter().find(|level| **level == named).copied();
    }
    let mut number = None;
    for field in ["severity_number", "severityNumber"] {
        log.with_field(field, |value| {
            if number.is_none() && value.kind() == NodeKind::Number {
                number = value.to_json().as_f64();
            }
        });
    }
    let number = number.filter(|number| (1.0..25.0).contains(number))?;
    LOG_LEVELS.get(((number as usize) - 1) / 4).copied()
}

/// An attribute's text, plain or typed (`{"type": "string", "value": …}`).
fn attribute<T: EventTree>(log: &mut T, key: &str) -> Option<String> {
    let mut found = None;
    log.with_field("attributes", |attributes| {
        attributes.with_field(key, |value| {
            found = match value.kind() {
                NodeKind::Object => text_at(value, &["value"]),
                _ => value.text().map(|text| text.into_owned()),
            };
        });
    });
    found
}

#[cfg(test)]
mod tests {
    use super::level_of;
    use serde_json::json;

    #[test]
    fn levels_are_read_from_each_sdks_shape() {
        for (log, level) in [
            (
                json!({"severity_text": "warning", "severity_number": 13}),
                Some("warn"),
            ),
            (json!({"level": "FATAL"}), Some("fatal")),
            (json!({"severityNumber": 5}), Some("debug")),
            (json!({"severity_number": 24}), Some("fatal")),
            (json!({"severity_number": 0}), None),
            (json!({"level": "loud"}), None),
        ] {
            let mut log = log;
            assert_eq!(level_of(&mut log), level, "{log}");
        }
    }
}
