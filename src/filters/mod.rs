//! Filters: events nobody wants, dropped before anything else is done.
//!
//! Users write the same `before_send` again and again to drop health-check
//! transactions, client disconnects, 404s and errors from browser
//! extensions. The policy's `filters` section says it once for every SDK:
//! `ignore_errors` (exception type names, or text in the message, the last
//! exception's value and `"Type: value"`, as sentry-javascript matches it),
//! `ignore_transactions` (globs on the name), `deny_urls` / `allow_urls` (the
//! file of the last usable frame of the root exception, as
//! sentry-javascript's event filters find it) and `ignore_status` (the HTTP
//! status of the hint's exception or of `contexts.response`).

mod facts;
mod logs;

use crate::pattern::{Matcher, PlainAs};
pub(crate) use logs::LogFilters;

use crate::left_out;
use crate::policy::{FiltersPolicy, PolicyError};
use crate::read::{each_value, text_at};
use crate::tree::{EventTree, NodeKind};
use crate::Hint;
use facts::Facts;

/// sentry-javascript's built-in `ignoreErrors` (@sentry/core 11): noise from
/// browsers, extensions and embedded web views. Opt in with `"presets": ["sentry-javascript"]`.
pub(crate) const SENTRY_JAVASCRIPT_IGNORE_ERRORS: &[&str] = &[
    r"re:^Script error\.?$",
    r"re:^Javascript error: Script error\.? on line 0$",
    r"re:^ResizeObserver loop completed with undelivered notifications.$",
    r"re:^Cannot redefine property: googletag$",
    r"re:^Can't find variable: gmo$",
    r"re:^undefined is not an object \(evaluating 'a\.[A-Z]'\)$",
    r#"re:can't redefine non-configurable property "solana""#,
    r"re:vv\(\)\.getRestrictions is not a function",
    r"re:Can't find variable: _AutofillCallbackHandler",
    r"re:Object Not Found Matching Id:\d+, MethodName:simulateEvent",
    r"re:Java exception was raised during method invocation$",
    r"re:Java object is gone$",
];

/// One compiled list entry and where it came from in the policy (for the drop reason).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) matcher: Matcher,
    pub(crate) origin: String,
}

/// The `filters` section, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filters {
    pub(crate) ignore_errors: Vec<Entry>,
    pub(crate) ignore_transactions: Vec<Entry>,
    pub(crate) deny_urls: Vec<Entry>,
    pub(crate) allow_urls: Vec<Entry>,
    pub(crate) ignore_status: Vec<u16>,
    /// sentry-javascript's "useless error" rule (its preset): an error with
    /// exceptions but nothing to tell them by is dropped.
    pub(crate) drop_useless_errors: bool,
    /// `ignore_logs`, read by `before_send_log` alone.
    pub(crate) logs: LogFilters,
}

impl Filters {
    /// Compiles the section; a bad pattern is an error at its JSON path.
    pub(crate) fn new(policy: &FiltersPolicy) -> Result<Filters, PolicyError> {
        if !left_out::POLICY_RULES {
            left_out::rules_refused("filters", *policy != FiltersPolicy::default())?;
            return Ok(Filters::default());
        }
        let mut ignore_errors =
            entries("ignore_errors", &policy.ignore_errors, PlainAs::Substring)?;
        let javascript = policy
            .presets
            .iter()
            .any(|preset| preset == "sentry-javascript");
        if javascript {
            for (index, pattern) in SENTRY_JAVASCRIPT_IGNORE_ERRORS.iter().enumerate() {
                let matcher = Matcher::parse(pattern, PlainAs::Substring)
                    .map_err(|reason| PolicyError::new("filters.presets", reason))?;
                ignore_errors.push(Entry {
                    matcher,
                    origin: format!("filters.presets (sentry-javascript #{index})"),
                });
            }
        }
        Ok(Filters {
            ignore_errors,
            ignore_transactions: entries(
                "ignore_transactions",
                &policy.ignore_transactions,
                PlainAs::Glob,
            )?,
            deny_urls: entries("deny_urls", &policy.deny_urls, PlainAs::Substring)?,
            allow_urls: entries("allow_urls", &policy.allow_urls, PlainAs::Substring)?,
            ignore_status: policy.ignore_status.clone(),
            drop_useless_errors: javascript,
            logs: LogFilters::new(&policy.ignore_logs)?,
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        // Constant in a build without the rules: what they run is left out.
        !left_out::POLICY_RULES
            || self.ignore_errors.is_empty()
                && self.ignore_transactions.is_empty()
                && self.deny_urls.is_empty()
                && self.allow_urls.is_empty()
                && self.ignore_status.is_empty()
                && !self.drop_useless_errors
    }

    /// Why the event must be dropped, if it must.
    pub(crate) fn drop_reason<T: EventTree>(&self, event: &mut T, hint: &Hint) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let facts = Facts::read(event);
        if let Some(status) = hint.status_code.or(facts.status_code) {
            if self.ignore_status.contains(&status) {
                return Some(format!("filters.ignore_status: HTTP status {status}"));
            }
        }
        if facts.is_transaction {
            let name = facts.transaction.as_deref()?;
            return first_match(&self.ignore_transactions, |m| m.matches(name))
                .map(|origin| format!("{origin} matched the transaction {name:?}"));
        }
        if !facts.is_error {
            return None;
        }
        let type_names = facts.type_names.iter().chain(&hint.exception_types);
        for name in type_names {
            if let Some(origin) = first_match(&self.ignore_errors, |m| m.names(name)) {
                return Some(format!("{origin} matched the exception type {name:?}"));
            }
        }
        for message in facts.messages() {
            if let Some(origin) = first_match(&self.ignore_errors, |m| m.matches(&message)) {
                return Some(format!("{origin} matched {message:?}"));
            }
        }
        if self.drop_useless_errors && is_useless_error(event) {
            return Some(
                "filters.presets (sentry-javascript): no message, and no exception with a stack trace, a value or a type other than Error"
                    .to_owned(),
            );
        }
        let url = facts.url.as_deref()?;
        if let Some(origin) = first_match(&self.deny_urls, |m| m.matches(url)) {
            return Some(format!("{origin} matched the URL {url:?}"));
        }
        if !self.allow_urls.is_empty()
            && first_match(&self.allow_urls, |m| m.matches(url)).is_none()
        {
            return Some(format!(
                "filters.allow_urls: no entry matched the URL {url:?}"
            ));
        }
        None
    }
}

/// Compiles the list at `filters.{key}`; a bad pattern is an error at its JSON path.
fn entries(key: &str, patterns: &[String], plain: PlainAs) -> Result<Vec<Entry>, PolicyError> {
    patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| {
            let origin = format!("filters.{key}[{index}]");
            Matcher::parse(pattern, plain)
                .map(|matcher| Entry {
                    matcher,
                    origin: origin.clone(),
                })
                .map_err(|reason| PolicyError::new(origin, reason))
        })
        .collect()
}

fn first_match(entries: &[Entry], test: impl Fn(&Matcher) -> bool) -> Option<&str> {
    entries
        .iter()
        .find(|entry| test(&entry.matcher))
        .map(|entry| entry.origin.as_str())
}

/// sentry-javascript's `_isUselessError`: exceptions, but no message, and
/// none of them with a stack trace, a value, or a type but `Error`.
fn is_useless_error<T: EventTree>(event: &mut T) -> bool {
    let has_text =
        |node: &mut T, path: &[&str]| text_at(node, path).is_some_and(|text| !text.is_empty());
    if has_text(event, &["message"])
        || has_text(event, &["logentry", "message"])
        || has_text(event, &["logentry", "formatted"])
    {
        return false;
    }
    let (mut exceptions, mut telling) = (0, false);
    each_value(event, &["exception"], &mut |exception| {
        exceptions += 1;
        let mut has_stack = false;
        exception.with_field("stacktrace", |stack| {
            has_stack = stack.kind() != NodeKind::Null
        });
        let ty = text_at(exception, &["type"]).filter(|ty| !ty.is_empty());
        telling |=
            has_stack || ty.is_some_and(|ty| ty != "Error") || has_text(exception, &["value"]);
    });
    exceptions > 0 && !telling
}
