//! Sampling decisions: declarative, deterministic, identical in every runtime.
//!
//! Teams write a `traces_sampler` by hand, once in Python and once in JS, and
//! the two disagree about the same trace. Here the policy's ordered rules
//! give a rate (the first rate rule that matches the transaction's name, op,
//! environment, release, attributes, parent state and `condition`, while it
//! is in its time range; factor rules matched before it multiply it); a
//! sampled or unsampled parent is followed unless the rule says `force`; and
//! the decision compares the rate with a `sample_rand` that every runtime
//! draws alike: the one the trace carries, else Relay's draw from the trace
//! id (`rand.rs`).

mod budget;
mod conditions;
mod errors;
mod rand;

pub(crate) use budget::{Budget, Kind};
pub(crate) use errors::ErrorSampling;

use serde_json::{Map, Value};

use crate::left_out;
use crate::pattern::{Matcher, PlainAs};
use crate::policy::{PolicyError, SampleValue, SamplingPolicy, TimeRange};

use conditions::Compiled;

/// What an SDK knows when it asks for a decision.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamplingContext {
    pub name: Option<String>,
    pub op: Option<String>,
    pub trace_id: Option<String>,
    pub parent_sampled: Option<bool>,
    pub parent_sample_rate: Option<f64>,
    /// A `sample_rand` the trace already carries (baggage / DSC).
    pub sample_rand: Option<f64>,
    pub environment: Option<String>,
    pub release: Option<String>,
    pub attributes: Map<String, Value>,
    /// Seconds since the Unix epoch, for rules with a time range; the
    /// bindings pass their clock (the core has none). A rule with a time
    /// range does not hold without it.
    pub now: Option<f64>,
}

impl SamplingContext {
    /// Reads a context from JSON: preflight's own shape (`name`, `op`,
    /// `trace_id`, `parent_sampled`, `parent_sample_rate`, `sample_rand`,
    /// `environment`, `release`, `attributes`), or what the SDKs pass to their
    /// samplers — sentry-python's `transaction_context` + `parent_sampled`,
    /// @sentry/core's `name`, `attributes`, `parentSampled`, `parentSampleRate`.
    pub fn from_json(value: &Value) -> SamplingContext {
        let transaction = value.get("transaction_context").unwrap_or(value);
        let text = |key: &str| {
            transaction
                .get(key)
                .or_else(|| value.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let attributes = value
            .get("attributes")
            .or_else(|| transaction.get("data"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let attribute = |key: &str| {
            attributes
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        SamplingContext {
            name: text("name").or_else(|| attribute("sentry.name")),
            op: text("op").or_else(|| attribute("sentry.op")),
            trace_id: text("trace_id").or_else(|| text("traceId")),
            parent_sampled: ["parent_sampled", "parentSampled"].iter().find_map(|key| {
                value
                    .get(*key)
                    .or_else(|| transaction.get(*key))
                    .and_then(Value::as_bool)
            }),
            parent_sample_rate: ["parent_sample_rate", "parentSampleRate"]
                .iter()
                .find_map(|key| value.get(*key).and_then(Value::as_f64)),
            sample_rand: ["sample_rand", "sampleRand"]
                .iter()
                .find_map(|key| value.get(*key).and_then(Value::as_f64)),
            environment: text("environment").or_else(|| attribute("sentry.environment")),
            release: text("release").or_else(|| attribute("sentry.release")),
            attributes,
            now: None,
        }
    }
}

impl Decision {
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "sampled": self.sampled,
            "sample_rate": self.sample_rate,
            "sample_rand": self.sample_rand,
        })
    }
}

/// A decision with what it was made from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub sampled: bool,
    pub sample_rate: f64,
    /// `None` without a usable trace id or carried value (then only rates 0 and 1 decide).
    pub sample_rand: Option<f64>,
}

#[derive(Debug, Clone)]
struct Rule {
    name: Option<Matcher>,
    op: Option<Matcher>,
    environment: Option<Matcher>,
    release: Option<Matcher>,
    attributes: Vec<(String, Matcher)>,
    parent_sampled: Option<bool>,
    condition: Option<Compiled>,
    value: SampleValue,
    force: bool,
    time_range: TimeRange,
    decayed_value: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Sampling {
    default_rate: f64,
    rules: Vec<Rule>,
}

impl Sampling {
    pub(crate) fn new(policy: &SamplingPolicy) -> Result<Sampling, PolicyError> {
        let mut rules = Vec::new();
        let compiled = left_out::rules_in("sampling.traces.rules", &policy.rules)?;
        for (index, rule) in compiled.iter().enumerate() {
            let at = |member: &str| format!("sampling.traces.rules[{index}].{member}");
            rules.push(Rule {
                name: glob(&rule.name, at("name"))?,
                op: glob(&rule.op, at("op"))?,
                environment: glob(&rule.environment, at("environment"))?,
                release: glob(&rule.release, at("release"))?,
                attributes: keyed_globs(&rule.attributes, at("attributes"))?,
                parent_sampled: rule.parent_sampled,
                condition: rule
                    .condition
                    .as_ref()
                    .map(|condition| Compiled::new(condition, &at("condition")))
                    .transpose()?,
                value: rule.value,
                force: rule.force,
                time_range: rule.time_range,
                decayed_value: rule.decayed_value,
            });
        }
        Ok(Sampling {
            default_rate: policy.default_rate,
            rules,
        })
    }

    /// The rate for a transaction, with the SDKs' parent semantics.
    pub(crate) fn rate(&self, context: &SamplingContext) -> f64 {
        let mut factor = 1.0;
        let mut decided = None;
        for rule in left_out::compiled(&self.rules)
            .iter()
            .filter(|rule| rule.matches(context))
        {
            match rule.value_at(context.now) {
                SampleValue::Factor(value) => factor *= value,
                SampleValue::Rate(rate) => {
                    decided = Some((rate, rule.force));
                    break;
                }
            }
        }
        let scaled = |rate: f64| (rate * factor).clamp(0.0, 1.0);
        if let Some((rate, true)) = decided {
            return scaled(rate);
        }
        if let Some(parent) = context.parent_sampled {
            let inherited = context
                .parent_sample_rate
                .filter(|r| (0.0..=1.0).contains(r));
            return match (parent, inherited) {
                (true, Some(rate)) if rate > 0.0 => rate,
                (true, _) => 1.0,
                (false, _) => 0.0,
            };
        }
        scaled(decided.map_or(self.default_rate, |(rate, _)| rate))
    }

    pub(crate) fn decide(&self, context: &SamplingContext) -> Decision {
        let sample_rate = self.rate(context);
        let sample_rand = context
            .sample_rand
            .filter(|r| (0.0..1.0).contains(r))
            .or_else(|| {
                context
                    .trace_id
                    .as_deref()
                    .and_then(rand::parse_trace_id)
                    .map(rand::from_trace_id)
            });
        let sampled = match (sample_rate, sample_rand) {
            (rate, _) if rate <= 0.0 => false,
            (rate, _) if rate >= 1.0 => true,
            (rate, Some(draw)) => draw < rate,
            (_, None) => false,
        };
        Decision {
            sampled,
            sample_rate,
            sample_rand,
        }
    }
}

impl Rule {
    fn matches(&self, context: &SamplingContext) -> bool {
        self.is_active(context.now)
            && holds(&self.name, &context.name)
            && holds(&self.op, &context.op)
            && holds(&self.environment, &context.environment)
            && holds(&self.release, &context.release)
            && self
                .parent_sampled
                .is_none_or(|wanted| context.parent_sampled == Some(wanted))
            && self.attributes.iter().all(|(key, matcher)| {
                context
                    .attributes
                    .get(key)
                    .is_some_and(|value| match value {
                        Value::String(text) => matcher.matches(text),
                        other => matcher.matches(&crate::float::json_text(other)),
                    })
            })
            && self
                .condition
                .as_ref()
                .is_none_or(|condition| condition.holds(context))
    }

    /// In its time range at `now`; a rule without one is always active.
    fn is_active(&self, now: Option<f64>) -> bool {
        let TimeRange { start, end } = self.time_range;
        if start.is_none() && end.is_none() {
            return true;
        }
        now.filter(|t| t.is_finite()).is_some_and(|now| {
            start.is_none_or(|start| now >= start) && end.is_none_or(|end| now < end)
        })
    }

    /// The rule's value at `now`: with a decay, the straight line from the
    /// value at `start` to `decayed_value` at `end` (Relay's linear decay).
    fn value_at(&self, now: Option<f64>) -> SampleValue {
        let (Some(decayed), Some(start), Some(end), Some(now)) = (
            self.decayed_value,
            self.time_range.start,
            self.time_range.end,
            now,
        ) else {
            return self.value;
        };
        let progress = ((now - start) / (end - start)).clamp(0.0, 1.0);
        let along = |initial: f64| initial + (decayed - initial) * progress;
        match self.value {
            SampleValue::Rate(rate) => SampleValue::Rate(along(rate)),
            SampleValue::Factor(factor) => SampleValue::Factor(along(factor)),
        }
    }
}

/// A rule's optional glob; one that is not a pattern is an error at `path`.
fn glob(pattern: &Option<String>, path: String) -> Result<Option<Matcher>, PolicyError> {
    pattern
        .as_ref()
        .map(|p| Matcher::parse(p, PlainAs::Glob).map_err(|reason| PolicyError::new(path, reason)))
        .transpose()
}

/// Globs by key (`attributes`, `tags`).
fn keyed_globs(
    pairs: &[(String, String)],
    path: String,
) -> Result<Vec<(String, Matcher)>, PolicyError> {
    pairs
        .iter()
        .map(|(key, pattern)| {
            Matcher::parse(pattern, PlainAs::Glob)
                .map(|matcher| (key.clone(), matcher))
                .map_err(|reason| PolicyError::new(path.clone(), reason))
        })
        .collect()
}

/// A condition holds when it is absent, or the value is there and matches.
fn holds(matcher: &Option<Matcher>, value: &Option<String>) -> bool {
    matcher
        .as_ref()
        .is_none_or(|m| value.as_deref().is_some_and(|v| m.matches(v)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_fraction_is_within_three_sigma_of_the_rate() {
        let sampling = Sampling {
            default_rate: 0.25,
            rules: Vec::new(),
        };
        let n = 100_000u128;
        let mut state = 0x9e37_79b9_7f4a_7c15_u128;
        let mut kept = 0u32;
        for _ in 0..n {
            state = state
                .wrapping_mul(0x2545_f491_4f6c_dd1d_u128)
                .wrapping_add(0x1405_7b7e_f767_814f);
            let context = SamplingContext {
                trace_id: Some(format!("{state:032x}")),
                ..SamplingContext::default()
            };
            kept += u32::from(sampling.decide(&context).sampled);
        }
        let expected = 0.25 * n as f64;
        let sigma = (n as f64 * 0.25 * 0.75).sqrt();
        assert!(
            (f64::from(kept) - expected).abs() < 3.0 * sigma,
            "{kept} kept of {n}"
        );
    }
}
