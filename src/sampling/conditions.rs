//! Relay-shaped conditions on a sampling context, compiled once.
//!
//! A condition names a fact of the context (`name`, `op`, `environment`,
//! `release`, `parent_sampled`, `parent_sample_rate`, `attributes.<key>`, and
//! Relay's names for the same facts: `trace.transaction`,
//! `event.transaction`, `trace.environment`, `trace.release`) and tests it.
//! Field names are checked when the policy is loaded: a misspelt field would
//! otherwise be a rule that silently never matches.

use serde_json::Value;

use crate::pattern::{Matcher, PlainAs};
use crate::policy::{Comparison, Condition, PolicyError};

use super::SamplingContext;

#[derive(Debug, Clone)]
pub(crate) enum Field {
    Name,
    Op,
    Environment,
    Release,
    ParentSampled,
    ParentSampleRate,
    Attribute(String),
}

impl Field {
    fn parse(name: &str) -> Option<Field> {
        Some(match name {
            "name" | "trace.transaction" | "event.transaction" => Field::Name,
            "op" => Field::Op,
            "environment" | "trace.environment" => Field::Environment,
            "release" | "trace.release" => Field::Release,
            "parent_sampled" => Field::ParentSampled,
            "parent_sample_rate" => Field::ParentSampleRate,
            _ => Field::Attribute(name.strip_prefix("attributes.")?.to_owned()),
        })
    }
}

/// A fact as a condition sees it.
enum Fact<'a> {
    Missing,
    Text(&'a str),
    Number(f64),
    Bool(bool),
}

impl Field {
    fn read<'a>(&self, context: &'a SamplingContext) -> Fact<'a> {
        let text = |value: &'a Option<String>| value.as_deref().map_or(Fact::Missing, Fact::Text);
        match self {
            Field::Name => text(&context.name),
            Field::Op => text(&context.op),
            Field::Environment => text(&context.environment),
            Field::Release => text(&context.release),
            Field::ParentSampled => context.parent_sampled.map_or(Fact::Missing, Fact::Bool),
            Field::ParentSampleRate => context
                .parent_sample_rate
                .map_or(Fact::Missing, Fact::Number),
            Field::Attribute(key) => match context.attributes.get(key) {
                Some(Value::String(text)) => Fact::Text(text),
                Some(Value::Number(number)) => number.as_f64().map_or(Fact::Missing, Fact::Number),
                Some(Value::Bool(flag)) => Fact::Bool(*flag),
                _ => Fact::Missing,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Test {
    Eq {
        values: Vec<Value>,
        ignore_case: bool,
    },
    Glob(Vec<Matcher>),
    Compare(Comparison, f64),
}

#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    Test(Field, Test),
    And(Vec<Compiled>),
    Or(Vec<Compiled>),
    Not(Box<Compiled>),
}

impl Compiled {
    pub(crate) fn new(condition: &Condition, path: &str) -> Result<Compiled, PolicyError> {
        let field = |name: &str| {
            Field::parse(name).ok_or_else(|| {
                PolicyError::new(
                    format!("{path}.name"),
                    format!(
                        "unknown field {name:?}; expected name, op, environment, release, \
                         parent_sampled, parent_sample_rate or attributes.<key>"
                    ),
                )
            })
        };
        let inner = |conditions: &[Condition]| {
            conditions
                .iter()
                .enumerate()
                .map(|(index, c)| Compiled::new(c, &format!("{path}.inner[{index}]")))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match condition {
            Condition::Eq {
                field: name,
                values,
                ignore_case,
            } => Compiled::Test(
                field(name)?,
                Test::Eq {
                    values: values.clone(),
                    ignore_case: *ignore_case,
                },
            ),
            Condition::Glob {
                field: name,
                patterns,
            } => {
                let matchers = patterns
                    .iter()
                    .enumerate()
                    .map(|(index, pattern)| {
                        Matcher::parse(pattern, PlainAs::Glob).map_err(|reason| {
                            PolicyError::new(format!("{path}.value[{index}]"), reason)
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Compiled::Test(field(name)?, Test::Glob(matchers))
            }
            Condition::Compare {
                field: name,
                comparison,
                value,
            } => Compiled::Test(field(name)?, Test::Compare(*comparison, *value)),
            Condition::And(conditions) => Compiled::And(inner(conditions)?),
            Condition::Or(conditions) => Compiled::Or(inner(conditions)?),
            Condition::Not(condition) => Compiled::Not(Box::new(Compiled::new(
                condition,
                &format!("{path}.inner"),
            )?)),
        })
    }

    pub(crate) fn holds(&self, context: &SamplingContext) -> bool {
        match self {
            Compiled::Test(field, test) => test.holds(&field.read(context)),
            Compiled::And(all) => all.iter().all(|c| c.holds(context)),
            Compiled::Or(any) => any.iter().any(|c| c.holds(context)),
            Compiled::Not(condition) => !condition.holds(context),
        }
    }
}

impl Test {
    fn holds(&self, fact: &Fact<'_>) -> bool {
        match self {
            Test::Eq {
                values,
                ignore_case,
            } => values
                .iter()
                .any(|expected| equals(fact, expected, *ignore_case)),
            Test::Glob(matchers) => match fact {
                Fact::Text(text) => matchers.iter().any(|m| m.matches(text)),
                _ => false,
            },
            Test::Compare(comparison, bound) => match fact {
                Fact::Number(number) => match comparison {
                    Comparison::Greater => number > bound,
                    Comparison::GreaterOrEqual => number >= bound,
                    Comparison::Less => number < bound,
                    Comparison::LessOrEqual => number <= bound,
                },
                _ => false,
            },
        }
    }
}

fn equals(fact: &Fact<'_>, expected: &Value, ignore_case: bool) -> bool {
    match (fact, expected) {
        (Fact::Missing, Value::Null) => true,
        (Fact::Text(text), Value::String(wanted)) if ignore_case => {
            text.to_lowercase() == wanted.to_lowercase()
        }
        (Fact::Text(text), Value::String(wanted)) => text == wanted,
        (Fact::Number(number), Value::Number(wanted)) => wanted.as_f64() == Some(*number),
        (Fact::Bool(flag), Value::Bool(wanted)) => flag == wanted,
        _ => false,
    }
}
