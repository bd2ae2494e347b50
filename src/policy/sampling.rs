//! The `sampling` section of the policy: trace rules, error rules, budget.
//!
//! Trace rules take two shapes that may be mixed: preflight's flat members
//! (`name`, `op`, `environment`, `release`, `attributes` globs) and a
//! `condition` in the shape of Relay's dynamic-sampling `RuleCondition`
//! (`eq`, `glob`, `gt`/`gte`/`lt`/`lte`, `and`/`or`/`not`), so rules written
//! for Relay can be pasted. A rule gives a `rate` (the first such rule that
//! matches decides) or a `factor` (multiplies whatever rate is decided), may
//! hold only in a `time_range`, and may `decay` linearly across that range.

use serde_json::Value;

use super::reader::Member;
use super::time::parse_rfc3339;
use super::PolicyError;

/// The `sampling` section.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingPolicy {
    /// The rate when no rule matches and there is no parent decision.
    pub default_rate: f64,
    /// Ordered; the first rate rule that matches gives the rate, factor rules before it multiply it.
    pub rules: Vec<SamplingRule>,
    /// `sampling.errors`: error events kept at a rate.
    pub errors: ErrorSamplingPolicy,
    /// `sampling.budget`: at most so many events of a kind per window.
    pub budget: Option<Budget>,
}

impl Default for SamplingPolicy {
    fn default() -> Self {
        SamplingPolicy {
            default_rate: 1.0,
            rules: Vec::new(),
            errors: ErrorSamplingPolicy::default(),
            budget: None,
        }
    }
}

/// `sampling.errors`: the `error_sampler` sentry-python has and JS lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorSamplingPolicy {
    pub default_rate: f64,
    pub rules: Vec<ErrorSamplingRule>,
}

impl Default for ErrorSamplingPolicy {
    fn default() -> Self {
        ErrorSamplingPolicy {
            default_rate: 1.0,
            rules: Vec::new(),
        }
    }
}

/// One rule of `sampling.errors.rules`: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorSamplingRule {
    /// Glob on the last exception's type.
    pub r#type: Option<String>,
    pub level: Option<String>,
    /// Glob on the logger.
    pub logger: Option<String>,
    /// Tag globs (`{"provider": "acme"}`).
    pub tags: Vec<(String, String)>,
    pub rate: f64,
}

/// One rule of `sampling.traces.rules`: every condition given must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingRule {
    /// Glob on the transaction / span name.
    pub name: Option<String>,
    pub op: Option<String>,
    pub environment: Option<String>,
    pub release: Option<String>,
    /// Attribute globs (`{"http.method": "POST"}`).
    pub attributes: Vec<(String, String)>,
    /// Only for a trace whose parent decided so.
    pub parent_sampled: Option<bool>,
    /// A Relay-shaped condition on the same facts.
    pub condition: Option<Condition>,
    pub value: SampleValue,
    /// Applies even when the parent already decided.
    pub force: bool,
    /// The rule holds only from `start` (inclusive) to `end` (exclusive).
    pub time_range: TimeRange,
    /// Linear decay of the value from `start` to `end`, ending at this value.
    pub decayed_value: Option<f64>,
}

/// What a matching trace rule contributes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleValue {
    /// Decides the rate (Relay's `sampleRate`).
    Rate(f64),
    /// Multiplies the rate decided by a later rule or the default (Relay's `factor`).
    Factor(f64),
}

/// Seconds since the Unix epoch; a missing bound is open.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeRange {
    pub start: Option<f64>,
    pub end: Option<f64>,
}

/// A condition on a sampling context, as Relay writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The field equals one of the values (`null` = the field is missing).
    Eq {
        field: String,
        values: Vec<Value>,
        ignore_case: bool,
    },
    /// The field's text matches one of the globs.
    Glob {
        field: String,
        patterns: Vec<String>,
    },
    /// The field is a number that compares so with `value`.
    Compare {
        field: String,
        comparison: Comparison,
        value: f64,
    },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// `sampling.budget`: a token bucket per kind of event (errors,
/// transactions, anything else) holding `max_events`, refilled at
/// `max_events` per `window_seconds`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub max_events: u64,
    pub window_seconds: f64,
}

pub(super) fn read_sampling(member: &Member<'_>) -> Result<SamplingPolicy, PolicyError> {
    let section = member.object(&["traces", "errors", "budget"])?;
    let mut sampling = SamplingPolicy::default();
    if let Some(errors) = section.get("errors") {
        sampling.errors = read_error_sampling(&errors)?;
    }
    if let Some(budget) = section.get("budget") {
        sampling.budget = Some(read_budget(&budget)?);
    }
    let Some(traces) = section.get("traces") else {
        return Ok(sampling);
    };
    let traces = traces.object(&["default_rate", "rules"])?;
    if let Some(rate) = traces.get("default_rate") {
        sampling.default_rate = rate.fraction()?;
    }
    if let Some(rules) = traces.get("rules") {
        let rules = rules.array()?;
        // Before any rule is read, so that a build without them leaves out their reader too.
        for rule in crate::left_out::rules_in("sampling.traces.rules", &rules)? {
            sampling.rules.push(read_trace_rule(rule)?);
        }
    }
    Ok(sampling)
}

fn read_trace_rule(rule: &Member<'_>) -> Result<SamplingRule, PolicyError> {
    let fields = rule.object(&[
        "name",
        "op",
        "environment",
        "release",
        "attributes",
        "parent_sampled",
        "condition",
        "rate",
        "factor",
        "force",
        "time_range",
        "decay",
    ])?;
    let value = match (fields.get("rate"), fields.get("factor")) {
        (Some(rate), None) => SampleValue::Rate(rate.fraction()?),
        (None, Some(factor)) => SampleValue::Factor(factor.non_negative_number()?),
        _ => return Err(rule.error("expected exactly one of \"rate\" and \"factor\"")),
    };
    let force = fields.get("force").map_or(Ok(false), |m| m.bool())?;
    if force && matches!(value, SampleValue::Factor(_)) {
        return Err(rule.error("\"force\" applies to a rule with a \"rate\""));
    }
    let time_range = match fields.get("time_range") {
        Some(range) => read_time_range(&range)?,
        None => TimeRange::default(),
    };
    let decayed_value = fields
        .get("decay")
        .map(|decay| read_decay(&decay, value, time_range))
        .transpose()?;
    Ok(SamplingRule {
        name: fields.text("name")?,
        op: fields.text("op")?,
        environment: fields.text("environment")?,
        release: fields.text("release")?,
        attributes: fields.string_map("attributes")?,
        parent_sampled: fields.get("parent_sampled").map(|m| m.bool()).transpose()?,
        condition: fields
            .get("condition")
            .map(|c| read_condition(&c))
            .transpose()?,
        value,
        force,
        time_range,
        decayed_value,
    })
}

fn read_time_range(member: &Member<'_>) -> Result<TimeRange, PolicyError> {
    let range = member.object(&["start", "end"])?;
    let instant = |key: &str| {
        range
            .get(key)
            .map(|bound| parse_rfc3339(bound.string()?).map_err(|reason| bound.error(reason)))
            .transpose()
    };
    let (start, end) = (instant("start")?, instant("end")?);
    if let (Some(start), Some(end)) = (start, end) {
        if start >= end {
            return Err(member.error("start must be before end"));
        }
    }
    Ok(TimeRange { start, end })
}

/// `{"type": "linear", "decayed_value": v}`: needs both ends of the time
/// range, and decays (Relay's rule: the value may not grow).
fn read_decay(
    member: &Member<'_>,
    value: SampleValue,
    range: TimeRange,
) -> Result<f64, PolicyError> {
    let decay = member.object(&["type", "decayed_value"])?;
    decay.required("type")?.one_of(&["linear"])?;
    let decayed = decay.required("decayed_value")?;
    let (decayed_value, initial) = match value {
        SampleValue::Rate(rate) => (decayed.fraction()?, rate),
        SampleValue::Factor(factor) => (decayed.non_negative_number()?, factor),
    };
    if range.start.is_none() || range.end.is_none() {
        return Err(member.error("a decay needs a time_range with start and end"));
    }
    if decayed_value > initial {
        return Err(decayed.error(format!(
            "must not exceed the rule's value {}",
            crate::float::shown(initial)
        )));
    }
    Ok(decayed_value)
}

fn read_condition(member: &Member<'_>) -> Result<Condition, PolicyError> {
    let op = member
        .object(&["op", "name", "value", "inner", "options"])?
        .required("op")?
        .one_of(&["eq", "glob", "gt", "gte", "lt", "lte", "and", "or", "not"])?;
    match op {
        "and" | "or" => {
            let inner = member.object(&["op", "inner"])?.required("inner")?;
            let conditions = inner
                .array()?
                .iter()
                .map(read_condition)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if op == "and" {
                Condition::And(conditions)
            } else {
                Condition::Or(conditions)
            })
        }
        "not" => {
            let inner = member.object(&["op", "inner"])?.required("inner")?;
            Ok(Condition::Not(Box::new(read_condition(&inner)?)))
        }
        "eq" => {
            let condition = member.object(&["op", "name", "value", "options"])?;
            let value = condition.required("value")?;
            let values = match value.value() {
                Value::Array(_) => value.array()?,
                _ => vec![value],
            };
            let values = values
                .iter()
                .map(|item| match item.value() {
                    Value::Array(_) | Value::Object(_) => {
                        Err(item.error("expected a string, number, boolean or null"))
                    }
                    scalar => Ok(scalar.clone()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let ignore_case = match condition.get("options") {
                Some(options) => options
                    .object(&["ignoreCase"])?
                    .get("ignoreCase")
                    .map_or(Ok(false), |m| m.bool())?,
                None => false,
            };
            Ok(Condition::Eq {
                field: condition.required("name")?.non_empty_string()?.to_owned(),
                values,
                ignore_case,
            })
        }
        "glob" => {
            let condition = member.object(&["op", "name", "value"])?;
            let value = condition.required("value")?;
            let patterns = match value.value() {
                Value::String(pattern) => vec![pattern.clone()],
                _ => value.strings()?,
            };
            Ok(Condition::Glob {
                field: condition.required("name")?.non_empty_string()?.to_owned(),
                patterns,
            })
        }
        comparison => {
            let condition = member.object(&["op", "name", "value"])?;
            let value = condition.required("value")?;
            let number = value
                .value()
                .as_f64()
                .ok_or_else(|| value.error("expected a number"))?;
            Ok(Condition::Compare {
                field: condition.required("name")?.non_empty_string()?.to_owned(),
                comparison: match comparison {
                    "gt" => Comparison::Greater,
                    "gte" => Comparison::GreaterOrEqual,
                    "lt" => Comparison::Less,
                    _ => Comparison::LessOrEqual,
                },
                value: number,
            })
        }
    }
}

fn read_error_sampling(member: &Member<'_>) -> Result<ErrorSamplingPolicy, PolicyError> {
    let section = member.object(&["default_rate", "rules"])?;
    let mut errors = ErrorSamplingPolicy::default();
    if let Some(rate) = section.get("default_rate") {
        errors.default_rate = rate.fraction()?;
    }
    if let Some(rules) = section.get("rules") {
        let rules = rules.array()?;
        for rule in crate::left_out::rules_in("sampling.errors.rules", &rules)? {
            let fields = rule.object(&["type", "level", "logger", "tags", "rate"])?;
            errors.rules.push(ErrorSamplingRule {
                r#type: fields.text("type")?,
                level: fields.text("level")?,
                logger: fields.text("logger")?,
                tags: fields.string_map("tags")?,
                rate: fields.required("rate")?.fraction()?,
            });
        }
    }
    Ok(errors)
}

fn read_budget(member: &Member<'_>) -> Result<Budget, PolicyError> {
    let budget = member.object(&["max_events", "window_seconds"])?;
    // 0 would drop every event without saying so: a rate of 0 says it.
    let max_events = budget
        .required("max_events")?
        .integer_in(1, 1_000_000_000)?;
    let window = budget.required("window_seconds")?;
    let window_seconds = window.non_negative_number()?;
    if window_seconds == 0.0 {
        return Err(window.error("must be more than 0"));
    }
    Ok(Budget {
        max_events,
        window_seconds,
    })
}
