//! preflight: a Sentry event processor that runs inside the application.
//!
//! One policy in, decisions out. The core is pure — no I/O, no clock, no
//! randomness — so the Rust crate, the Python wheel and the npm package
//! (through WASM) give the same bytes for the same event and policy.
//!
//! ```
//! let pf = sentry_preflight::Preflight::from_json("{}").unwrap();
//! let mut event = serde_json::json!({"extra": {"api_token": "s3cr3t"}});
//! assert_eq!(pf.process_event(&mut event), sentry_preflight::Outcome::Keep);
//! assert_eq!(event["extra"]["api_token"], "[Filtered]");
//! ```

mod attributes;
mod cut;
mod deep_json;
mod filters;
mod fingerprint;
/// Exact number conversion, public only for the fuzz target `numbers`.
#[doc(hidden)]
pub mod float;
mod hint;
mod json_string;
mod key_memo;
mod left_out;
mod lower_case;
mod meta;
mod new_value;
mod params;
mod path;
mod pattern;
pub mod policy;
mod read;
mod relay;
mod same_bytes;
mod sampling;
mod scrub;
mod sdk_attributes;
mod sort;
mod tags;
pub mod tape;
pub mod tree;

#[cfg(not(target_arch = "wasm32"))]
mod sentry_hook;
#[cfg(all(feature = "sentry-integration", not(target_arch = "wasm32")))]
mod sentry_integration;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use attributes::ExceptionData;
pub use hint::{Hint, HTTP_STATUSES};
pub use new_value::{Build, JsonBuild, NewValue};
pub use policy::{OnError, Policy, PolicyError, SdkOptions};
pub use sampling::{Decision, SamplingContext};
#[cfg(all(feature = "sentry-integration", not(target_arch = "wasm32")))]
pub use sentry_integration::PreflightIntegration;
pub use tree::{EventTree, NodeKind};

/// The name of every built-in value detector family, as a policy's
/// `scrub.patterns` switches it (`"!@phone"`) and `_meta` names it
/// (`@preflight:phone`), in priority order.
pub fn family_names() -> impl Iterator<Item = &'static str> {
    scrub::family_names()
}

use filters::Filters;
use fingerprint::Fingerprinting;
use params::Params;
use sampling::{Budget, ErrorSampling, Kind, Sampling};
use scrub::Scrub;

/// The members of a span that hold user data: what
/// [`Preflight::strip_span`] empties when a span cannot be processed. The
/// JS package empties the same before its module is ready (a test holds it
/// to this list, which the module exports).
pub const SPAN_USER_DATA: [&str; 2] = ["attributes", "data"];

/// The members of an event's `sdk` that no rule reads or writes, while they
/// are lists of text: the SDK's list of integration names (some sixty on
/// every @sentry/node event, a fifth of an ordinary error's text). Relay's
/// schema gives `sdk` no personal data but `client_ip`, preflight's walk
/// (and so its depth limit) does not enter `sdk`, and fingerprints read only
/// `sdk.name`, so the output is the same with or without them. The JS
/// package leaves them out of the text it hands the module (a test of the
/// shared vectors holds this).
pub const UNREAD_SDK_MEMBERS: [&str; 1] = ["integrations"];

/// A secret or a piece of personal data found in a text by
/// [`Preflight::secrets_in`]: its byte range and the rule that found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub start: usize,
    pub end: usize,
    /// The rule id `_meta` would name (`@preflight:github-token`).
    pub rule_id: String,
}

/// What to do with an event after processing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Send the (possibly changed) event.
    Keep,
    /// Do not send the event; the reason is for logs, not for the user.
    Drop(String),
}

/// A loaded policy, ready to process any number of events.
#[derive(Debug, Clone)]
pub struct Preflight {
    policy: Policy,
    filters: Filters,
    fingerprinting: Fingerprinting,
    params: Params,
    sampling: Sampling,
    error_sampling: ErrorSampling,
    budget: Option<Budget>,
    scrub: Scrub,
}

impl Preflight {
    /// What the policy's value detectors find in `text`, as free text of an
    /// event (a message, a URL, a breadcrumb) would be searched: for trying a
    /// policy on text, and for measuring the detectors alone.
    pub fn secrets_in(&self, text: &str) -> Vec<Secret> {
        self.scrub.secrets_in(text)
    }

    /// Compiles a policy: the one place a policy is compiled. Each
    /// capability compiles its own section and refuses a bad rule (a regex,
    /// a glob, a family's name, a depth the walk cannot afford) at its JSON
    /// path, whether the policy was read from JSON or built in Rust, so that
    /// no policy can make processing panic or lose a rule unsaid.
    pub fn new(policy: Policy) -> Result<Self, PolicyError> {
        policy.limits.check()?;
        let scrub = Scrub::new(&policy)?;
        let filters = Filters::new(&policy.filters)?;
        let fingerprinting = Fingerprinting::new(&policy.fingerprint)?;
        let params = Params::new(&policy.params, &policy.scrub)
            .map_err(|reason| PolicyError::new("params.redact_keys", reason))?;
        let sampling = Sampling::new(&policy.sampling)?;
        let error_sampling = ErrorSampling::new(&policy.sampling.errors)?;
        let budget = policy.sampling.budget.map(Budget::new);
        Ok(Preflight {
            policy,
            filters,
            fingerprinting,
            params,
            sampling,
            error_sampling,
            budget,
            scrub,
        })
    }

    /// Loads a policy from JSON text; errors name the JSON path.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        Policy::from_json(text).and_then(Self::new)
    }

    /// Loads a policy from a parsed JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, PolicyError> {
        Policy::from_value(value).and_then(Self::new)
    }

    /// `from_json` for an integration: what the SDK's options say applies
    /// where the policy is silent.
    pub fn from_json_under(text: &str, sdk: SdkOptions) -> Result<Self, PolicyError> {
        Policy::from_json_under(text, sdk).and_then(Self::new)
    }

    /// `from_value` for an integration (see `from_json_under`).
    pub fn from_value_under(
        value: &serde_json::Value,
        sdk: SdkOptions,
    ) -> Result<Self, PolicyError> {
        Policy::from_value_under(value, sdk).and_then(Self::new)
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Reads an event (or breadcrumb, or span) from JSON text as the walk
    /// will see it: text nested too deep for a parser is read without the
    /// containers below `limits.max_depth`, which the walk removes anyway.
    /// (The JS package reads text onto a tape instead: [`tape`].)
    pub fn read_event(&self, text: &str) -> serde_json::Result<serde_json::Value> {
        deep_json::read(text, self.policy.limits.max_depth)
    }

    /// Processes an error or transaction event in place.
    pub fn process_event(&self, event: &mut serde_json::Value) -> Outcome {
        self.process_tree(event)
    }

    /// Processes an event with what the SDK's hint said about it.
    pub fn process_event_with_hint(&self, event: &mut serde_json::Value, hint: &Hint) -> Outcome {
        self.process_tree_with_hint(event, hint)
    }

    /// Processes an event held in any [`EventTree`] (the bindings' own objects).
    pub fn process_tree<T: EventTree>(&self, event: &mut T) -> Outcome {
        self.process_tree_with_hint(event, &Hint::default())
    }

    /// Filters, scrubs, validates the tags of, then fingerprints an event held
    /// in any [`EventTree`].
    ///
    /// A panic inside (a bug, or a tree of the caller's that panics) does not
    /// reach the caller: it follows `on_error`. `pass` then sends the event as
    /// far as it was processed.
    pub fn process_tree_with_hint<T: EventTree>(&self, event: &mut T, hint: &Hint) -> Outcome {
        self.guarded(|| self.process_unguarded(event, hint))
    }

    fn process_unguarded<T: EventTree>(&self, event: &mut T, hint: &Hint) -> Outcome {
        if event.kind() != NodeKind::Object {
            return self.failed("the event is not an object");
        }
        if let Some(reason) = self.filters.drop_reason(event, hint) {
            return Outcome::Drop(format!("filtered: {reason}"));
        }
        let kind = match read::text_at(event, &["type"]).as_deref() {
            Some("transaction") => Kind::Transaction,
            ty if read::is_error_type(ty) => Kind::Error,
            _ => Kind::Other,
        };
        if matches!(kind, Kind::Error) {
            if let Some(reason) = self.error_sampling.drop_reason(event) {
                return Outcome::Drop(format!("sampled out: {reason}"));
            }
        }
        if let Some(budget) = &self.budget {
            if let Err(reason) = budget.take(kind, hint.now) {
                return Outcome::Drop(format!("sampled out: {reason}"));
            }
        }
        if !hint.exception_data.is_empty() {
            hint.exception_data.merge_into(event);
        }
        // Scrubbed first: a tag's original kept in `_meta` and a fingerprint
        // built from the event's values never hold what scrubbing took out.
        // Span data is cleaned as the scrub walk leaves each span (one walk,
        // see `SpanRules`). What span-data cleaning and tag validation write
        // anew is scrubbed as they write it (`late`): see `cut`.
        let mut spans = self.params.span_cleaning(false);
        self.scrub.event(event, &mut spans);
        let mut changes = spans.changes;
        let mut late = self.scrub.scrubber();
        late.meta = spans.late;
        self.params.finish_event(
            event,
            spans.promoted,
            &mut changes,
            &mut |key, value, path| late.value(key, value, path),
        );
        tags::apply(
            &self.policy.tags,
            event,
            &mut changes,
            &mut |key, value, path| late.value(key, value, path),
        );
        changes.write_into(event);
        late.meta.write_into(event);
        self.fingerprinting.apply(event);
        Outcome::Keep
    }

    /// Processes one breadcrumb in place (`before_breadcrumb`); a panic
    /// inside follows `on_error`.
    pub fn process_breadcrumb<T: EventTree>(&self, crumb: &mut T) -> Outcome {
        self.scrub_alone(crumb, "breadcrumb", |scrub, crumb| scrub.breadcrumb(crumb))
    }

    /// Processes one log given to `before_send_log` (sentry-python's
    /// `{body, attributes, …}`, the JS SDKs' `{message, attributes, …}`): its
    /// body and attributes are scrubbed; a secret passed as a message
    /// parameter goes from both. `filters.ignore_logs` drops it first. A
    /// panic inside follows `on_error`.
    pub fn process_log<T: EventTree>(&self, log: &mut T) -> Outcome {
        if log.kind() != NodeKind::Object {
            return self.failed("the log is not an object");
        }
        self.guarded(|| {
            if let Some(reason) = self.filters.logs.drop_reason(log) {
                return Outcome::Drop(format!("filtered: {reason}"));
            }
            self.scrub.log(log);
            Outcome::Keep
        })
    }

    /// Processes one metric given to `before_send_metric`: its attributes
    /// are scrubbed; name, type, unit and value are left alone.
    pub fn process_metric<T: EventTree>(&self, metric: &mut T) -> Outcome {
        self.scrub_alone(metric, "metric", |scrub, metric| scrub.metric(metric))
    }

    /// Scrubs something sent on its own, without `_meta` (a breadcrumb, a
    /// log, a metric); one that is not an object, or a panic inside, follows
    /// `on_error`.
    fn scrub_alone<T: EventTree>(
        &self,
        node: &mut T,
        what: &str,
        scrub: impl FnOnce(&Scrub, &mut T),
    ) -> Outcome {
        if node.kind() != NodeKind::Object {
            return self.failed(&format!("the {what} is not an object"));
        }
        self.guarded(|| {
            scrub(&self.scrub, node);
            Outcome::Keep
        })
    }

    /// Processes one span given to `before_send_span` (span streaming).
    ///
    /// SDKs cannot drop a span there: a `Drop` outcome asks the caller to
    /// [`strip_span`](Self::strip_span) it instead. A panic inside follows
    /// `on_error`.
    pub fn process_span<T: EventTree>(&self, span: &mut T) -> Outcome {
        if span.kind() != NodeKind::Object {
            return self.failed("the span is not an object");
        }
        self.guarded(|| {
            // A span sent alone has no `_meta`: what cleaning records is dropped.
            self.scrub.span(span, &mut self.params.span_cleaning(true));
            Outcome::Keep
        })
    }

    /// What `on_error: drop` means for a span that cannot be dropped: its
    /// user data ([`SPAN_USER_DATA`]) is emptied; names and ids stay.
    pub fn strip_span<T: EventTree>(&self, span: &mut T) {
        for area in SPAN_USER_DATA {
            span.with_field(area, |node| {
                node.set_json(serde_json::Value::Object(serde_json::Map::new()))
            });
        }
    }

    /// The sample rate for a transaction (what `traces_sampler` returns):
    /// the first matching rule's, the parent's when it decided (unless the
    /// rule forces), else `sampling.traces.default_rate`.
    pub fn traces_sample_rate(&self, context: &SamplingContext) -> f64 {
        self.sampling.rate(context)
    }

    /// The decision itself, with the `sample_rand` it was made with (the
    /// trace's own, else Relay's draw from the trace id).
    pub fn decide_trace(&self, context: &SamplingContext) -> Decision {
        self.sampling.decide(context)
    }

    /// Runs one processing; a panic in it becomes [`failed`](Self::failed).
    /// Where panics abort (WASM), the JS wrapper recovers from the trap.
    fn guarded(&self, process: impl FnOnce() -> Outcome) -> Outcome {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(process))
            .unwrap_or_else(|_| self.failed("internal error"))
    }

    /// The outcome for an event that could not be processed, as the policy's
    /// `on_error` says. Bindings call it when their own conversion fails.
    pub fn failed(&self, reason: &str) -> Outcome {
        match self.policy.on_error {
            OnError::Drop => Outcome::Drop(format!("processing failed: {reason}")),
            OnError::Pass => Outcome::Keep,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy's load compiles each of its regexes once: reading it checks
    /// only its shape, and `Preflight::new` compiles each section once.
    #[test]
    fn every_regex_of_a_policy_is_compiled_once_per_load() {
        let policy = serde_json::json!({
            "scrub": {
                "patterns": [{"id": "order", "regex": "ORD-[0-9]+"}],
                "relay": {
                    "rules": {"r": {"type": "pattern", "pattern": "x[0-9]+y"}},
                    "applications": {"$string": ["r"]}
                }
            },
            "params": {"redact_keys": "^db\\.pass", "extra_keys": ["Ünïcode"]},
            "filters": {
                "ignore_errors": ["re:time(d )?out"],
                "ignore_transactions": ["re:^/health"],
                "deny_urls": ["re:^chrome-extension:"],
                "allow_urls": ["re:example\\.com"],
                "ignore_logs": {"messages": ["re:^debug"], "loggers": ["re:^noisy\\."]}
            },
            "sampling": {"traces": {"rules": [{"op": "re:^db\\.", "rate": 0.5}]}}
        });
        // One each: the pattern, Relay's rule, the key regex and the words
        // beyond ASCII, six filters, the sampling rule's op.
        let regexes = 11;
        let compiled = || pattern::COMPILED.with(std::cell::Cell::get);
        let before = compiled();
        Preflight::from_value(&policy).expect("the policy loads");
        assert_eq!(compiled() - before, regexes);
        let before = compiled();
        Preflight::from_json(&policy.to_string()).expect("the policy loads");
        assert_eq!(compiled() - before, regexes);
        let before = compiled();
        Policy::from_value(&policy).expect("the policy reads");
        assert_eq!(compiled() - before, 0, "reading compiles nothing");
    }
}
