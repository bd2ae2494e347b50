//! The `filters` section: events, transactions and logs dropped before
//! anything else is done. Its globs and `re:` regexes are compiled by
//! `crate::filters`.

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
    /// Globs (or `re:…` regexes) on the whole body or the message template.
    pub messages: Vec<String>,
    /// Globs (or `re:…` regexes) on the `logger.name` attribute.
    pub loggers: Vec<String>,
}

/// The log levels of Sentry's logs protocol, lowest first.
pub const LOG_LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];

pub(super) fn read_filters(member: &Member<'_>) -> Result<FiltersPolicy, PolicyError> {
    let section = member.object(&[
        "ignore_errors",
        "ignore_transactions",
        "deny_urls",
        "allow_urls",
        "ignore_status",
        "presets",
        "ignore_logs",
    ])?;
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
        let logs = logs.object(&["levels", "messages", "loggers"])?;
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
