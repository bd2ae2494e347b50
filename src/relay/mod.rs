//! A client-side Relay: the PII rules a team runs on its Sentry server, run
//! in the process before the event leaves it.
//!
//! `scrub.relay` takes a Relay PII config (rules, applications with
//! selectors) and `scrub.datascrubbing` the legacy project settings, which
//! are converted to such a config as Relay converts them. The output —
//! values and `_meta` — is Relay's for the same event; the Python suite
//! holds it to the `sentry-relay` wheel. Kept apart from `scrub/`, which is
//! preflight's own (stricter) scrubbing: different rules, the same tree.

//!
//! Relay's rules weigh about a fifth of the WASM module, and few policies
//! use them: a build without the feature `relay` keeps only a `Relay` that
//! refuses a policy asking for them (`absent.rs`; the settings' type is
//! policy data, `crate::policy::DataScrubbing`),
//! and the JS package loads the module with them only for such a policy.

#[cfg(not(feature = "relay"))]
mod absent;
#[cfg(feature = "relay")]
mod builtin;
#[cfg(feature = "relay")]
mod chunks;
#[cfg(feature = "relay")]
mod config;
#[cfg(feature = "relay")]
mod engine;
#[cfg(feature = "relay")]
mod legacy;
#[cfg(feature = "relay")]
mod raw;
#[cfg(feature = "relay")]
mod regexes;
#[cfg(feature = "relay")]
mod rules;
#[cfg(feature = "relay")]
mod schema;
#[cfg(feature = "relay")]
mod selector;
#[cfg(feature = "relay")]
mod walk;

#[cfg(not(feature = "relay"))]
pub(crate) use absent::Relay;
#[cfg(feature = "relay")]
pub(crate) use engine::Relay;

/// What is sent beside events, each with Relay's schema for it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Telemetry {
    Log,
    TraceMetric,
    StreamedSpan,
}
