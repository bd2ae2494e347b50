//! Error sampling: the `error_sampler` sentry-python has and JS lacks, as data.
//!
//! The first rule whose conditions hold (the last exception's type, the
//! level, the logger — globs — and tag globs) gives the rate, else
//! `sampling.errors.default_rate`. The draw comes from the event id, the way
//! trace decisions draw from the trace id, so a given event gets the same
//! decision in every runtime; an event without a usable id is kept unless the rate is 0.

use crate::left_out;
use crate::pattern::Matcher;
use crate::policy::{ErrorSamplingPolicy, PolicyError};
use crate::read::{self, each_value, text_at};
use crate::tree::EventTree;

use super::{glob, holds, keyed_globs, rand};
use crate::float::shown;

#[derive(Debug, Clone)]
struct Rule {
    ty: Option<Matcher>,
    level: Option<Matcher>,
    logger: Option<Matcher>,
    tags: Vec<(String, Matcher)>,
    rate: f64,
}

#[derive(Debug, Clone)]
pub(crate) struct ErrorSampling {
    default_rate: f64,
    rules: Vec<Rule>,
}

impl ErrorSampling {
    pub(crate) fn new(policy: &ErrorSamplingPolicy) -> Result<ErrorSampling, PolicyError> {
        let mut rules = Vec::new();
        let compiled = left_out::rules_in("sampling.errors.rules", &policy.rules)?;
        for (index, rule) in compiled.iter().enumerate() {
            let at = |member: &str| format!("sampling.errors.rules[{index}].{member}");
            rules.push(Rule {
                ty: glob(&rule.r#type, at("type"))?,
                level: glob(&rule.level, at("level"))?,
                logger: glob(&rule.logger, at("logger"))?,
                tags: keyed_globs(&rule.tags, at("tags"))?,
                rate: rule.rate,
            });
        }
        Ok(ErrorSampling {
            default_rate: policy.default_rate,
            rules,
        })
    }

    /// Why an error event is sampled out, if it is.
    pub(crate) fn drop_reason<T: EventTree>(&self, event: &mut T) -> Option<String> {
        let rate = match left_out::compiled(&self.rules) {
            [] => self.default_rate,
            rules => first_rate(rules, event).unwrap_or(self.default_rate),
        };
        if rate >= 1.0 {
            return None;
        }
        if rate <= 0.0 {
            return Some("sampling.errors: rate 0".to_owned());
        }
        let draw = text_at(event, &["event_id"])
            .as_deref()
            .and_then(rand::parse_trace_id)
            .map(rand::from_trace_id)?;
        (draw >= rate).then(|| {
            format!(
                "sampling.errors: rate {}, draw {}",
                shown(rate),
                shown(draw)
            )
        })
    }
}

/// The rate of the first rule whose conditions hold for the event.
fn first_rate<T: EventTree>(rules: &[Rule], event: &mut T) -> Option<f64> {
    let mut last_type = None;
    each_value(event, &["exception"], &mut |exception| {
        last_type = text_at(exception, &["type"])
    });
    let level = text_at(event, &["level"]);
    let logger = text_at(event, &["logger"]);
    let tags = read::tags(event);
    rules
        .iter()
        .find(|rule| {
            holds(&rule.ty, &last_type)
                && holds(&rule.level, &level)
                && holds(&rule.logger, &logger)
                && rule.tags.iter().all(|(key, m)| {
                    tags.iter().any(|(name, value)| {
                        name == key && value.as_deref().is_some_and(|v| m.matches(v))
                    })
                })
        })
        .map(|rule| rule.rate)
}
