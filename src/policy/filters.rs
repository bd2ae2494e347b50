//! The `filters` section: events, transactions and logs dropped before
//! anything else is done. Its globs and `re:` regexes are compiled by
//! `crate::filters`.

use serde_json::Value;

use super::reader::Member;
use super::PolicyError;
use crate::hint::HTTP_STATUSES;

/// The `filters` section: events dropped before anything else is done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiltersPolicy {
    /// Exception type names (exact, or `module.Type`, or any base class the
    /// SDK reports), or text in the message / last exception value /
    /// `"Type: value"` (a substring, or a regex written `re:…`).
    pub ignore_errors: Vec<String>,
    /// Transaction names, as globs (`*/health*`, `/users/me/`) or regexes written `re:…`.
    pub ignore_transactions: Vec<String>,
    /// Drop an error whose last usable frame's file contains one of these (or matches a `re:…` regex).
    pub deny_urls: Vec<String>,
    /// When not empty, drop an error whose last usable frame's file matches none of these.
    pub allow_urls: Vec<String>,
    /// HTTP statuses (from the exception or `contexts.response`) whose events are dropped.
    pub ignore_status: Vec<u16>,
    /// Ready-made lists: `"sentry-javascript"` adds sentry-javascript's default `ignoreErrors`.
    pub presets: Vec<String>,
    /// Logs dropped in `before_send_log`.
    pub ignore_logs: LogFiltersPolicy,
}

/// `filters.ignore_logs`: a log is dropped when its level is listed, or its
/// body or template, or its logger, matches an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFiltersPolicy {
    /// `trace`, `debug`, `info`, `warn`, `error`, `fatal`.
    pub levels: Vec<String>,
    /// Patterns of `*` and `?` only, in their case (or `re:…` regexes), on
    /// the whole body or the message template.
    pub messages: Vec<String>,
    /// The same, on the `logger.name` attribute.
    pub loggers: Vec<String>,
}

/// The log levels of Sentry's logs protocol, lowest first.
pub const LOG_LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];

/// The members of `filters`, and of `filters.ignore_logs`.
const MEMBERS: [&str; 7] = [
    "ignore_errors",
    "ignore_transactions",
    "deny_urls",
    "allow_urls",
    "ignore_status",
    "presets",
    "ignore_logs",
];
const LOG_MEMBERS: [&str; 3] = ["levels", "messages", "loggers"];

pub(super) fn read_filters(member: &Member<'_>) -> Result<FiltersPolicy, PolicyError> {
    // A build without the rule sections refuses any filter before reading
    // one, so that it leaves this reader out too (the refusal `Filters::new`
    // would give); a section of empty lists filters nothing and loads.
    if !crate::left_out::POLICY_RULES {
        crate::left_out::rules_refused("filters", !filters_nothing(member.value()))?;
        return Ok(FiltersPolicy::default());
    }
    let section = member.object(&MEMBERS)?;
    let list = |key: &str| section.get(key).map_or(Ok(Vec::new()), |m| m.strings());
    let mut filters = FiltersPolicy {
        ignore_errors: list("ignore_errors")?,
        ignore_transactions: list("ignore_transactions")?,
        deny_urls: list("deny_urls")?,
        allow_urls: list("allow_urls")?,
        ..FiltersPolicy::default()
    };
    if let Some(statuses) = section.get("ignore_status") {
        filters.ignore_status = statuses
            .array()?
            .iter()
            .map(|status| {
                let (first, last) = (*HTTP_STATUSES.start(), *HTTP_STATUSES.end());
                status
                    .integer_in(first.into(), last.into())
                    .map(|code| code as u16)
            })
            .collect::<Result<_, _>>()?;
    }
    if let Some(presets) = section.get("presets") {
        for preset in presets.array()? {
            preset.one_of(&["sentry-javascript"])?;
        }
        filters.presets = presets.strings()?;
    }
    if let Some(logs) = section.get("ignore_logs") {
        let logs = logs.object(&LOG_MEMBERS)?;
        let list = |key: &str| logs.get(key).map_or(Ok(Vec::new()), |m| m.strings());
        if let Some(levels) = logs.get("levels") {
            for level in levels.array()? {
                level.one_of(&LOG_LEVELS)?;
            }
        }
        filters.ignore_logs = LogFiltersPolicy {
            levels: list("levels")?,
            messages: list("messages")?,
            loggers: list("loggers")?,
        };
    }
    Ok(filters)
}

/// Whether a `filters` section is one that reads as the default: known
/// members, each an empty list (`ignore_logs` an object of such).
fn filters_nothing(section: &Value) -> bool {
    only_empty(section, &MEMBERS, &|key, member| match key {
        "ignore_logs" => only_empty(member, &LOG_MEMBERS, &|_, list| empty_list(list)),
        _ => empty_list(member),
    })
}

/// Whether `value` is an object of `known` members, each one `empty` accepts.
fn only_empty(value: &Value, known: &[&str], empty: &dyn Fn(&str, &Value) -> bool) -> bool {
    value.as_object().is_some_and(|members| {
        members
            .iter()
            .all(|(key, member)| known.contains(&key.as_str()) && empty(key, member))
    })
}

fn empty_list(value: &Value) -> bool {
    value.as_array().is_some_and(Vec::is_empty)
}
