//! Relay's PII config (`rules`, `vars`, `applications`) read into rules
//! that run.
//!
//! Relay resolves every rule id of an application, through aliases and
//! `multiple` bundles, into a set ordered by id; applications run in the
//! order of their selectors. Both orders decide which rule redacts a
//! character first, so both are kept here exactly. Members Relay ignores are
//! ignored too, so a config copied from a Sentry project loads unchanged;
//! anything Relay would reject (a bad selector, regex or rule type) is a
//! policy error naming its JSON path.

use std::collections::BTreeMap;

use regex_lite::Regex;
use serde_json::{Map, Value};

use super::builtin::{BUNDLES, RULE_TYPES};
use super::regexes::{self, Pattern};
use super::rules::{Groups, Kind, Redact, Rule};
use super::selector::{LeafKeys, Selector};
use crate::float::json_text;
use crate::pattern::compile_regex;
use crate::policy::PolicyError;

/// One rule as the config (or the built-in table) declares it.
#[derive(Debug, Clone)]
enum Spec {
    Leaf(Kind, Redact),
    /// Other rules, reported under this rule's id when `hide_inner`.
    Group {
        rules: Vec<String>,
        hide_inner: bool,
        redact: Redact,
    },
}

/// A compiled config: applications in the order Relay runs them.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub(crate) applications: Vec<Application>,
}

/// Rules and where they apply.
#[derive(Debug, Clone)]
pub(crate) struct Application {
    pub(crate) selector: Selector,
    /// The keys a value must sit under for the selector to match, when it names them.
    pub(crate) leaf_keys: Option<LeafKeys>,
    pub(crate) rules: Vec<Rule>,
}

/// Reads a Relay PII config; `path` is where it sits in the policy.
pub(crate) fn read(value: &Value, path: &str) -> Result<Program, PolicyError> {
    let config = object(value, path)?;
    let mut custom = BTreeMap::new();
    if let Some(rules) = config.get("rules") {
        let rules_path = format!("{path}.rules");
        for (id, spec) in object(rules, &rules_path)? {
            let spec_path = format!("{rules_path}[{}]", json_text(id.as_str()));
            custom.insert(id.clone(), read_spec(spec, &spec_path)?);
        }
    }
    if let Some(vars) = config.get("vars") {
        object(vars, &format!("{path}.vars"))?;
    }
    let mut by_selector = BTreeMap::new();
    if let Some(applications) = config.get("applications") {
        let applications_path = format!("{path}.applications");
        for (text, rule_ids) in object(applications, &applications_path)? {
            let here = format!("{applications_path}[{}]", json_text(text.as_str()));
            let selector = Selector::parse(text)
                .map_err(|reason| PolicyError::new(&here, format!("invalid selector: {reason}")))?;
            let ids = rule_ids
                .as_array()
                .ok_or_else(|| PolicyError::new(&here, "expected an array of rule ids"))?
                .iter()
                .map(|id| {
                    id.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| PolicyError::new(&here, "expected an array of rule ids"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            by_selector.insert(selector, (ids, here));
        }
    }
    let mut applications = Vec::with_capacity(by_selector.len());
    for (selector, (ids, here)) in by_selector {
        let mut rules = BTreeMap::new();
        for id in &ids {
            collect(&custom, &mut rules, id, None, 0)
                .map_err(|reason| PolicyError::new(&here, reason))?;
        }
        applications.push(Application {
            leaf_keys: selector.leaf_keys(),
            selector,
            rules: rules.into_values().collect(),
        });
    }
    Ok(Program { applications })
}

/// Nesting of aliases and bundles deeper than this is a cycle.
const MAX_RULE_NESTING: usize = 32;

/// Resolves `id` into leaf rules, as Relay's `collect_rules` does: a rule
/// already collected is not collected again, an unknown id is ignored, and a
/// hiding parent lends its id (and its redaction, unless default) to its children.
fn collect(
    custom: &BTreeMap<String, Spec>,
    rules: &mut BTreeMap<String, Rule>,
    id: &str,
    parent: Option<(&str, &Redact)>,
    nesting: usize,
) -> Result<(), String> {
    if nesting > MAX_RULE_NESTING {
        return Err(format!("rule {id:?} refers to itself"));
    }
    let Some(spec) = custom.get(id).cloned().or_else(|| built_in(id)) else {
        return Ok(());
    };
    if rules.contains_key(id) {
        return Ok(());
    }
    let (origin, inherited) = match parent {
        Some((origin, redact)) => (origin.to_owned(), Some(redact)),
        None => (id.to_owned(), None),
    };
    let pick = |own: Redact| match inherited {
        Some(parent) if *parent != Redact::Default => parent.clone(),
        _ => own,
    };
    match spec {
        Spec::Leaf(kind, redact) => {
            let rule = Rule {
                origin,
                kind,
                redact: pick(redact),
            };
            rules.insert(id.to_owned(), rule);
        }
        Spec::Group {
            rules: children,
            hide_inner,
            redact,
        } => {
            let redact = pick(redact);
            for child in &children {
                let lend = hide_inner.then_some((origin.as_str(), &redact));
                collect(custom, rules, child, lend, nesting + 1)?;
            }
        }
    }
    Ok(())
}

fn object<'v>(value: &'v Value, path: &str) -> Result<&'v Map<String, Value>, PolicyError> {
    value
        .as_object()
        .ok_or_else(|| PolicyError::new(path, "expected an object"))
}

fn read_spec(value: &Value, path: &str) -> Result<Spec, PolicyError> {
    let spec = object(value, path)?;
    let redact = match spec.get("redaction") {
        Some(redaction) => read_redaction(redaction, &format!("{path}.redaction"))?,
        None => Redact::Default,
    };
    let text = |member: &str| -> Result<&str, PolicyError> {
        spec.get(member)
            .and_then(Value::as_str)
            .ok_or_else(|| PolicyError::new(format!("{path}.{member}"), "expected a string"))
    };
    let ty = text("type")?;
    let leaf = |kind| Ok(Spec::Leaf(kind, redact.clone()));
    match ty {
        "pattern" => {
            let pattern = Pattern::plain(compile(text("pattern")?, &format!("{path}.pattern"))?);
            let groups = match spec.get("replaceGroups") {
                None | Some(Value::Null) => Groups::Match,
                Some(groups) => Groups::Set(read_groups(groups, &format!("{path}.replaceGroups"))?),
            };
            leaf(Kind::Pattern { pattern, groups })
        }
        "redact_pair" | "redactPair" => {
            let pattern =
                Pattern::plain(compile(text("keyPattern")?, &format!("{path}.keyPattern"))?);
            leaf(Kind::RedactPair(pattern))
        }
        "multiple" => {
            let rules = spec
                .get("rules")
                .and_then(Value::as_array)
                .and_then(|ids| {
                    ids.iter()
                        .map(|id| id.as_str().map(str::to_owned))
                        .collect()
                })
                .ok_or_else(|| {
                    PolicyError::new(format!("{path}.rules"), "expected an array of rule ids")
                })?;
            Ok(Spec::Group {
                rules,
                hide_inner: read_flag(spec, "hideInner", path)?,
                redact,
            })
        }
        "alias" => Ok(Spec::Group {
            rules: vec![text("rule")?.to_owned()],
            hide_inner: read_flag(spec, "hideInner", path)?,
            redact,
        }),
        other => match simple_kind(other) {
            Some(kind) => leaf(kind),
            None => Err(PolicyError::new(
                format!("{path}.type"),
                format!("unknown rule type {other:?}"),
            )),
        },
    }
}

fn simple_kind(ty: &str) -> Option<Kind> {
    Some(match ty {
        "anything" => Kind::Anything,
        "imei" => Kind::Imei,
        "mac" => Kind::Mac,
        "uuid" => Kind::Uuid,
        "email" => Kind::Email,
        "ip" => Kind::Ip,
        "creditcard" => Kind::Creditcard,
        "iban" => Kind::Iban,
        "userpath" => Kind::Userpath,
        "pemkey" => Kind::Pemkey,
        "url_auth" | "urlauth" => Kind::UrlAuth,
        "us_ssn" | "usssn" => Kind::UsSsn,
        "bearer" => Kind::Bearer,
        "password" => Kind::Password,
        _ => return None,
    })
}

fn read_flag(spec: &Map<String, Value>, member: &str, path: &str) -> Result<bool, PolicyError> {
    match spec.get(member) {
        None => Ok(false),
        Some(Value::Bool(flag)) => Ok(*flag),
        Some(_) => Err(PolicyError::new(
            format!("{path}.{member}"),
            "expected true or false",
        )),
    }
}

fn read_groups(value: &Value, path: &str) -> Result<Vec<u8>, PolicyError> {
    let mut groups: Vec<u8> = value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok()))
                .collect()
        })
        .ok_or_else(|| PolicyError::new(path, "expected an array of group numbers (0-255)"))?;
    crate::sort::sort_unstable_by(&mut groups, |a, b| a < b);
    groups.dedup();
    Ok(groups)
}

fn read_redaction(value: &Value, path: &str) -> Result<Redact, PolicyError> {
    let redaction = object(value, path)?;
    let method = redaction.get("method").and_then(Value::as_str);
    Ok(match method {
        None | Some("default") => Redact::Default,
        Some("remove") => Redact::Remove,
        Some("mask") => Redact::Mask,
        Some("hash") => Redact::Hash,
        Some("replace") => match redaction.get("text") {
            None => Redact::Replace("[Filtered]".to_owned()),
            Some(Value::String(text)) => Redact::Replace(text.clone()),
            Some(_) => {
                return Err(PolicyError::new(
                    format!("{path}.text"),
                    "expected a string",
                ))
            }
        },
        Some(_) => Redact::Other,
    })
}

/// Compiles a user's regex, an error at `path` when it is not one.
fn compile(pattern: &str, path: &str) -> Result<Regex, PolicyError> {
    compile_regex(pattern).map_err(|reason| PolicyError::new(path, reason))
}

/// Relay's built-in rules (`builtin.rs`, as the `sentry-relay` wheel
/// behaves): `@type` aliases a default variant and reports `@type`.
fn built_in(id: &str) -> Option<Spec> {
    if let Some((_, rules)) = BUNDLES.iter().find(|(bundle, _)| *bundle == id) {
        return Some(Spec::Group {
            rules: rules.iter().map(|rule| (*rule).to_owned()).collect(),
            hide_inner: false,
            redact: Redact::Default,
        });
    }
    if id == "@urlauth:legacy" {
        let kind = Kind::Pattern {
            pattern: regexes::urlauth_legacy(),
            groups: Groups::Group(2),
        };
        return Some(Spec::Leaf(kind, replace("[Filtered]")));
    }
    let (name, variant) = match id.strip_prefix('@')?.split_once(':') {
        Some((name, variant)) => (name, Some(variant)),
        None => (id.strip_prefix('@')?, None),
    };
    let rule = RULE_TYPES.iter().find(|rule| rule.name == name)?;
    let Some(variant) = variant else {
        return Some(Spec::Group {
            rules: vec![format!("@{name}:{}", rule.default_variant)],
            hide_inner: true,
            redact: Redact::Default,
        });
    };
    if !rule.variants.contains(&variant) {
        return None;
    }
    let redact = match variant {
        "replace" => replace(rule.replace_text),
        "filter" => replace("[Filtered]"),
        // Relay's `@imei:mask` hashes; kept, since the output must be Relay's.
        "mask" if name == "imei" => Redact::Hash,
        "mask" => Redact::Mask,
        "hash" => Redact::Hash,
        _ => Redact::Remove,
    };
    Some(Spec::Leaf(rule.kind.clone(), redact))
}

fn replace(text: &str) -> Redact {
    Redact::Replace(text.to_owned())
}
