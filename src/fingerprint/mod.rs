//! Fingerprinting: grouping that makes sense, decided in the process.
//!
//! The policy's `fingerprint.rules` are Sentry's fingerprint rules (the
//! server-side "Fingerprint Rules" of a project), evaluated client-side: the
//! first rule whose conditions hold sets `event.fingerprint` (over the SDK's,
//! as Sentry's server rules do; `contexts.fingerprint` keeps the rule, the
//! SDK's fingerprint and the rule's `title`), with its
//! variables (`{{ tags.provider }}`, `{{ type }}`, …) resolved from the event
//! and Sentry's fallbacks (`<no-value-for-tag-provider>`, …); `{{ default }}`
//! is left for Sentry to expand. With `parameterize_messages`, the variable
//! parts of messages (numbers, ids, addresses…) become placeholders in the
//! fingerprint, so that "order 123 failed" and "order 456 failed" group.

mod facts;
mod grammar;
mod matchers;
mod parameterize;

use serde_json::{json, Value};

use crate::left_out;
use crate::policy::{FingerprintPolicy, PolicyError};
use crate::tree::{EventTree, NodeKind};
use facts::EventData;
use grammar::{variable_name, RuleText};
use matchers::{Candidate, Kind, Matcher};
use parameterize::Parameterizer;

/// A rule, compiled: its conditions grouped by the kind of value they read.
#[derive(Debug, Clone)]
struct Rule {
    conditions: Vec<(Kind, Vec<Matcher>)>,
    fingerprint: Vec<String>,
    title: Option<String>,
    source: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Fingerprinting {
    rules: Vec<Rule>,
    parameterizer: Option<Parameterizer>,
}

impl Fingerprinting {
    /// Compiles the section; a rule that does not parse is an error naming its line and column.
    pub(crate) fn new(policy: &FingerprintPolicy) -> Result<Fingerprinting, PolicyError> {
        if !left_out::POLICY_RULES {
            let has_rules = policy.rules.iter().any(|line| !line.trim().is_empty());
            left_out::rules_refused("fingerprint.rules", has_rules)?;
            left_out::rules_refused(
                "fingerprint.parameterize_messages",
                policy.parameterize_messages,
            )?;
            return Ok(Fingerprinting::default());
        }
        let text = policy.rules.join("\n");
        let parsed = grammar::parse(&text).map_err(|error| {
            PolicyError::new(
                "fingerprint.rules",
                format!(
                    "line {}, column {}: {}",
                    error.line, error.column, error.reason
                ),
            )
        })?;
        let rules = parsed
            .into_iter()
            .enumerate()
            .map(|(index, rule)| {
                compile(rule).map_err(|reason| {
                    PolicyError::new("fingerprint.rules", format!("rule {}: {reason}", index + 1))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Fingerprinting {
            rules,
            parameterizer: policy.parameterize_messages.then(Parameterizer::new),
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        // Constant in a build without the rules: what they run is left out.
        !left_out::POLICY_RULES || self.rules.is_empty() && self.parameterizer.is_none()
    }

    /// Sets the event's fingerprint from the first matching rule.
    pub(crate) fn apply<T: EventTree>(&self, event: &mut T) {
        if self.is_empty() {
            return;
        }
        let data = EventData::read(event);
        if let Some(rule) = self.rules.iter().find(|rule| rule_matches(rule, &data)) {
            let fingerprint: Vec<Value> = rule
                .fingerprint
                .iter()
                .map(|part| Value::String(self.resolve_part(part, &data)))
                .collect();
            let mut existing = None;
            event.with_field("fingerprint", |node| {
                if node.kind() == NodeKind::Array {
                    existing = Some(node.to_json()).filter(|fp| fp != &Value::Array(Vec::new()));
                }
            });
            let applied_before = existing.as_ref() == Some(&Value::Array(fingerprint.clone()))
                && crate::read::text_at(event, &["contexts", "fingerprint", "rule"]).as_deref()
                    == Some(rule.source.as_str());
            if applied_before {
                return;
            }
            let mut context = json!({"rule": rule.source});
            if let Some(existing) = existing {
                context["client_fingerprint"] = existing;
            }
            event.with_object_field("fingerprint", |slot| {
                slot.set_json(Value::Array(fingerprint))
            });
            if let Some(title) = &rule.title {
                context["title"] = Value::String(self.expand_title(title, &data));
            }
            event.with_object_field("contexts", |contexts| {
                contexts.with_object_field("fingerprint", |slot| slot.set_json(context))
            });
            return;
        }
        if let Some(parameterizer) = &self.parameterizer {
            parameterize_default(event, &data, parameterizer);
        }
    }

    fn resolve_part(&self, part: &str, data: &EventData) -> String {
        match variable_name(part) {
            Some("default") => part.to_owned(),
            Some(name) => {
                let value = resolve(name, data);
                match (&self.parameterizer, name) {
                    (Some(p), "message" | "value" | "error.value")
                        if !value.starts_with("<no-") =>
                    {
                        p.apply(&value)
                    }
                    _ => value,
                }
            }
            None => match &self.parameterizer {
                Some(p) if data.message.as_deref() == Some(part) => p.apply(part),
                _ => part.to_owned(),
            },
        }
    }

    fn expand_title(&self, title: &str, data: &EventData) -> String {
        let mut expanded = String::new();
        let mut rest = title;
        while let Some(start) = rest.find("{{") {
            let Some(length) = rest[start..].find("}}") else {
                break;
            };
            let token = &rest[start..start + length + 2];
            expanded.push_str(&rest[..start]);
            match variable_name(token) {
                Some(name) => expanded.push_str(&resolve(name, data)),
                None => expanded.push_str(token),
            }
            rest = &rest[start + length + 2..];
        }
        expanded.push_str(rest);
        expanded
    }
}

fn compile(rule: RuleText) -> Result<Rule, String> {
    let mut conditions: Vec<(Kind, Vec<Matcher>)> = Vec::new();
    for text in &rule.matchers {
        let matcher = Matcher::new(text)?;
        match conditions
            .iter_mut()
            .find(|(kind, _)| *kind == matcher.kind())
        {
            Some((_, group)) => group.push(matcher),
            None => conditions.push((matcher.kind(), vec![matcher])),
        }
    }
    Ok(Rule {
        conditions,
        fingerprint: rule.fingerprint,
        title: rule.title,
        source: rule.source,
    })
}

/// A rule holds when, for each kind of condition, one value of that kind
/// (one exception, one frame, …) satisfies all its conditions of that kind.
fn rule_matches(rule: &Rule, data: &EventData) -> bool {
    rule.conditions.iter().all(|(kind, matchers)| {
        candidates(*kind, data)
            .iter()
            .any(|candidate| matchers.iter().all(|m| m.matches(candidate)))
    })
}

fn candidates(kind: Kind, data: &EventData) -> Vec<Candidate<'_>> {
    match kind {
        Kind::Toplevel => data
            .message
            .iter()
            .map(|message| Candidate::Message(message))
            .chain(data.exceptions.iter().map(Candidate::Exception))
            .collect(),
        Kind::Exceptions => data.exceptions.iter().map(Candidate::Exception).collect(),
        Kind::Frames => data.frames.iter().map(Candidate::Frame).collect(),
        Kind::LogInfo if data.logger.is_none() && data.level.is_none() => Vec::new(),
        Kind::LogInfo | Kind::Tags | Kind::Sdk | Kind::Family | Kind::Release => {
            vec![Candidate::Event(data)]
        }
    }
}

/// A variable's value, with Sentry's fallback when the event lacks it.
fn resolve(name: &str, data: &EventData) -> String {
    let crash = data.crash_frame.as_ref();
    let last = data.exceptions.last();
    let or = |value: Option<&str>, fallback: &str| {
        value
            .filter(|v| !v.is_empty())
            .unwrap_or(fallback)
            .to_owned()
    };
    match name {
        "transaction" => or(data.transaction.as_deref(), "<no-transaction>"),
        // Sentry's fallback: an event without a log message (an exception
        // alone) is named by its last exception's value.
        "message" | "raw_message" => or(
            data.message
                .as_deref()
                .or_else(|| last.and_then(|e| e.value.as_deref())),
            "<no-message>",
        ),
        "type" | "error.type" => or(last.and_then(|e| e.ty.as_deref()), "<no-type>"),
        "value" | "raw_value" | "error.value" | "error.raw_value" => {
            or(last.and_then(|e| e.value.as_deref()), "<no-value>")
        }
        "function" | "stack.function" => {
            or(crash.and_then(|f| f.function.as_deref()), "<no-function>")
        }
        "path" | "stack.abs_path" => or(crash.and_then(|f| f.abs_path.as_deref()), "<no-abs-path>"),
        "stack.filename" => or(
            crash.and_then(|f| f.filename.as_deref().or(f.abs_path.as_deref())),
            "<no-filename>",
        ),
        "module" | "stack.module" => or(crash.and_then(|f| f.module.as_deref()), "<no-module>"),
        "package" | "stack.package" => or(
            crash.and_then(|f| f.package.as_deref()).map(|p| {
                p.rsplit('/')
                    .next()
                    .unwrap_or(p)
                    .rsplit('\\')
                    .next()
                    .unwrap_or(p)
            }),
            "<no-package>",
        ),
        "level" => or(data.level.as_deref(), "<no-level>"),
        "logger" => or(data.logger.as_deref(), "<no-logger>"),
        _ => match name.strip_prefix("tags.") {
            Some(tag) => data
                .tag(tag)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("<no-value-for-tag-{tag}>")),
            None => format!("<unrecognized-variable-{name}>"),
        },
    }
}

/// Without a matching rule: an event that Sentry would group by its text
/// (a message, or an exception without frames) gets that text, with its
/// variable parts as placeholders, as fingerprint. An SDK's own fingerprint
/// is kept (an empty list, which sentry-javascript sends, is none).
fn parameterize_default<T: EventTree>(
    event: &mut T,
    data: &EventData,
    parameterizer: &Parameterizer,
) {
    let mut has_fingerprint = false;
    event.with_field("fingerprint", |fp| {
        let mut parts = 0;
        fp.for_each_element(|_, _| parts += 1);
        has_fingerprint =
            fp.kind() != NodeKind::Null && (fp.kind() != NodeKind::Array || parts > 0);
    });
    if has_fingerprint || !data.frames.is_empty() {
        return;
    }
    let parts = match (data.exceptions.last(), &data.message) {
        (Some(exception), _) => vec![
            exception
                .ty
                .clone()
                .unwrap_or_else(|| "<no-type>".to_owned()),
            parameterizer.apply(exception.value.as_deref().unwrap_or("")),
        ],
        (None, Some(message)) => vec![parameterizer.apply(message)],
        (None, None) => return,
    };
    let fingerprint = Value::Array(parts.into_iter().map(Value::String).collect());
    event.with_object_field("fingerprint", |slot| slot.set_json(fingerprint));
}
