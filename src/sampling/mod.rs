//! Sampling decisions: declarative, deterministic, identical in every runtime.
//!
//! Teams write a `traces_sampler` by hand, once in Python and once in JS, and
//! the two disagree about the same trace. Here the policy's ordered rules
//! give a rate (the first that matches the transaction's name, op,
//! environment, release, attributes and parent state); a sampled or unsampled
//! parent is followed unless the rule says `force`; and the decision compares
//! the rate with a `sample_rand` that every runtime draws alike: the one the
//! trace carries, else Relay's draw from the trace id (`rand.rs`).

mod errors;
mod rand;

pub(crate) use errors::ErrorSampling;

use serde_json::{Map, Value};

use crate::filters::{Matcher, PlainAs};
use crate::policy::{PolicyError, SamplingPolicy};

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
    rate: f64,
    force: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Sampling {
    default_rate: f64,
    rules: Vec<Rule>,
}

impl Sampling {
    pub(crate) fn new(policy: &SamplingPolicy) -> Result<Sampling, PolicyError> {
        let mut rules = Vec::new();
        for (index, rule) in policy.rules.iter().enumerate() {
            let at = |member: &str| format!("sampling.traces.rules[{index}].{member}");
            rules.push(Rule {
                name: glob(&rule.name, at("name"))?,
                op: glob(&rule.op, at("op"))?,
                environment: glob(&rule.environment, at("environment"))?,
                release: glob(&rule.release, at("release"))?,
                attributes: keyed_globs(&rule.attributes, at("attributes"))?,
                parent_sampled: rule.parent_sampled,
                rate: rule.rate,
                force: rule.force,
            });
        }
        Ok(Sampling {
            default_rate: policy.default_rate,
            rules,
        })
    }

    /// The rate for a transaction, with the SDKs' parent semantics.
    pub(crate) fn rate(&self, context: &SamplingContext) -> f64 {
        let rule = self.rules.iter().find(|rule| rule.matches(context));
        if let Some(rule) = rule.filter(|rule| rule.force) {
            return rule.rate;
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
        rule.map_or(self.default_rate, |rule| rule.rate)
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
        holds(&self.name, &context.name)
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
                        other => matcher.matches(&other.to_string()),
                    })
            })
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
