//! Scrubbing: secrets and personal data never leave the process.
//!
//! Kept apart as Relay's `relay-pii` keeps them. The rules: `keys` decides
//! which keys name a secret, `detect` which values are secrets (one pass
//! per string for every family it knows). The selectors: `areas` decides
//! where in an event user data lives. `walk` applies the one to the other,
//! `redact` rewrites strings and records every change for `_meta`,
//! `searched_texts` spares a repeated string a second search, `telemetry`
//! scrubs logs and metrics, and `encoded` reads the key-value maps that
//! arrive flattened into one string (query strings, Cookie headers).

mod areas;
mod detect;
mod encoded;
mod keys;
mod message;
mod redact;
mod rounds;
mod searched_texts;
mod telemetry;
mod walk;

pub(crate) use areas::SpanRules;
pub(crate) use detect::family_names;
#[cfg(feature = "relay")] // for Relay's rules
pub(crate) use encoded::percent_decode;
pub(crate) use keys::KeyRules;
#[cfg(feature = "relay")] // for Relay's rules
pub(crate) use redact::hmac_sha1_hex;

use crate::meta::MetaLog;
use crate::path::Path;
use crate::policy::{Policy, PolicyError};
use crate::relay::{Relay, Telemetry};
use crate::tree::EventTree;

use detect::Detectors;
use redact::Redaction;
use walk::Scrubber;

/// The scrub rules of one policy, prepared once and reused for every event.
#[derive(Debug, Clone)]
pub(crate) struct Scrub {
    keys: KeyRules,
    detectors: Detectors,
    key_redaction: Redaction,
    replacement: String,
    max_depth: usize,
    relay: Option<Relay>,
}

impl Scrub {
    pub(crate) fn new(policy: &Policy) -> Result<Self, PolicyError> {
        Ok(Scrub {
            keys: KeyRules::new(&policy.scrub),
            detectors: Detectors::new(&policy.scrub)?,
            key_redaction: Redaction::new(
                policy.scrub.method,
                &policy.scrub.replacement,
                &policy.scrub.hash_key,
            ),
            replacement: policy.scrub.replacement.clone(),
            max_depth: policy.limits.max_depth,
            relay: Relay::new(
                policy.scrub.relay.as_ref(),
                policy.scrub.datascrubbing.as_ref(),
            )?,
        })
    }

    /// One scrub's walker; also for values written after the walk (see `cut::ScrubValue`).
    pub(crate) fn scrubber(&self) -> Scrubber<'_> {
        Scrubber::new(
            &self.keys,
            &self.detectors,
            &self.key_redaction,
            &self.replacement,
            self.max_depth,
        )
    }

    /// The secrets the value detectors find in free text.
    pub(crate) fn secrets_in(&self, text: &str) -> Vec<crate::Secret> {
        let mut spans = redact::Spans::default();
        let scope = detect::Scope::of_text(detect::Scope::Everything, text);
        self.detectors.find(text, &self.keys, scope, &mut spans);
        spans
            .iter()
            .map(|span| crate::Secret {
                start: span.start,
                end: span.end,
                rule_id: span.rule_id.to_owned(),
            })
            .collect()
    }

    /// Scrubs every area of an event and records the changes in its `_meta`:
    /// the Relay rules of the policy first, then preflight's own, which hand
    /// each span to `spans` as they go (see `SpanRules`).
    pub(crate) fn event<T: EventTree>(&self, event: &mut T, spans: &mut dyn SpanRules<T>) {
        if let Some(relay) = &self.relay {
            let mut log = MetaLog::default();
            relay.event(event, &mut log, self.max_depth);
            log.write_into(event);
        }
        let mut scrubber = self.scrubber();
        areas::event(&mut scrubber, event, spans);
        scrubber.meta.write_into(event);
    }

    /// Scrubs a breadcrumb on its own (`before_breadcrumb`). A breadcrumb has
    /// no `_meta` of its own in Sentry's protocol, so no remarks are kept.
    pub(crate) fn breadcrumb<T: EventTree>(&self, crumb: &mut T) {
        let mut scrubber = self.scrubber();
        areas::breadcrumb(&mut scrubber, crumb, &Path::root());
    }

    /// Scrubs a log (`before_send_log`); a log has no `_meta`, like a
    /// breadcrumb. The Relay rules of the policy first, as for events.
    pub(crate) fn log<T: EventTree>(&self, log: &mut T) {
        self.relay_telemetry(log, Telemetry::Log);
        telemetry::log(&mut self.scrubber(), log);
    }

    /// Scrubs a metric (`before_send_metric`).
    pub(crate) fn metric<T: EventTree>(&self, metric: &mut T) {
        self.relay_telemetry(metric, Telemetry::TraceMetric);
        telemetry::metric(&mut self.scrubber(), metric);
    }

    /// Scrubs a streamed span on its own (`before_send_span`); like a
    /// breadcrumb, a span sent alone carries no `_meta`.
    pub(crate) fn span<T: EventTree>(&self, span: &mut T, rules: &mut dyn SpanRules<T>) {
        self.relay_telemetry(span, Telemetry::StreamedSpan);
        let mut scrubber = self.scrubber();
        areas::span(&mut scrubber, span, &Path::root(), rules);
    }

    fn relay_telemetry<T: EventTree>(&self, item: &mut T, kind: Telemetry) {
        if let Some(relay) = &self.relay {
            relay.telemetry(item, kind, self.max_depth);
        }
    }
}
