//! `PreflightIntegration`: every preflight hook for the `sentry` crate, from
//! `ClientOptions::integrations` (feature `sentry-integration`).
//!
//! The crate calls an integration's `setup` with each client's options
//! before the client uses them, so the integration composes itself after
//! the user's hooks there: `before_send`, `before_breadcrumb`,
//! `before_send_log` and `before_send_metric` each run preflight on what the
//! user's hook of the same name returned (what it adds is scrubbed, what it
//! drops stays dropped).
//!
//! Transactions have no hook in the sentry crate: a finished transaction
//! goes straight into an envelope for the transport. So preflight reaches
//! them by wrapping the transport ([`PreflightIntegration::transport`]). The
//! client builds its transport before it sets up integrations, which is why
//! the wrap is the user's one line and not done in `setup`; `setup` knows
//! whether this client's transport is the wrapped one, and when it is not,
//! it switches tracing off (under `on_error: drop`, the default): a
//! transaction preflight cannot reach is one that could not be scrubbed.
//!
//! `ClientOptions::send_default_pii` sets `scrub.send_default_pii` unless
//! the policy does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sentry_core::protocol::{Envelope, EnvelopeItem};
use sentry_core::{
    BeforeCallback, ClientOptions, Integration, TracesSamplingStrategy, Transport,
    TransportFactory, TransportOptions,
};
use serde_json::Value;

use crate::{OnError, PolicyError, Preflight, SdkOptions};

/// Every preflight hook, for `ClientOptions::integrations`.
#[derive(Clone)]
pub struct PreflightIntegration {
    shared: Arc<Shared>,
}

struct Shared {
    policy: Value,
    /// The policy as loaded, before any SDK's options.
    loaded: Arc<Preflight>,
    /// The policy compiled for the client set up last (what its options say
    /// of personal data applied); the transport reads it.
    current: RwLock<Arc<Preflight>>,
    /// Set when the wrapped transport is built, read by the `setup` that
    /// follows it in the same client's construction.
    transport_built: AtomicBool,
}

impl PreflightIntegration {
    /// Loads a policy from JSON text; a bad one is rejected here, before the client exists.
    pub fn from_json(text: &str) -> Result<Self, PolicyError> {
        let policy: Value = serde_json::from_str(text)
            .map_err(|error| PolicyError::new("", format!("not valid JSON: {error}")))?;
        Self::from_value(policy)
    }

    /// Loads a policy from a parsed JSON value.
    pub fn from_value(policy: Value) -> Result<Self, PolicyError> {
        let loaded = Arc::new(Preflight::from_value(&policy)?);
        Ok(PreflightIntegration {
            shared: Arc::new(Shared {
                policy,
                current: RwLock::new(Arc::clone(&loaded)),
                loaded,
                transport_built: AtomicBool::new(false),
            }),
        })
    }

    /// The policy in effect for the client set up last, e.g. for
    /// `traces_sampler` (not installed by the integration).
    pub fn preflight(&self) -> Arc<Preflight> {
        Arc::clone(
            &self
                .shared
                .current
                .read()
                .unwrap_or_else(|e| e.into_inner()),
        )
    }

    fn loaded(&self) -> Arc<Preflight> {
        Arc::clone(&self.shared.loaded)
    }

    /// `inner` (`sentry::transports::DefaultTransportFactory` when you did
    /// not choose one) with preflight on every transaction it is given:
    /// `options.transport = Some(integration.transport(inner))`.
    pub fn transport(&self, inner: Arc<dyn TransportFactory>) -> Arc<dyn TransportFactory> {
        Arc::new(PreflightTransportFactory {
            inner,
            shared: Arc::clone(&self.shared),
        })
    }
}

impl Integration for PreflightIntegration {
    fn name(&self) -> &'static str {
        "preflight"
    }

    fn setup(&self, options: &mut ClientOptions) {
        // `send_default_pii: false` is what a silent policy means already:
        // only `true` makes the policy compile again (it was checked at load).
        let sdk = SdkOptions {
            send_default_pii: Some(true),
        };
        let pf = match options.send_default_pii {
            true => Preflight::from_value_under(&self.shared.policy, sdk)
                .map(Arc::new)
                .unwrap_or_else(|_| self.preflight()),
            false => self.loaded(),
        };
        *self
            .shared
            .current
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::clone(&pf);

        let transport_wrapped = self.shared.transport_built.swap(false, Ordering::SeqCst);
        if !transport_wrapped && pf.policy().on_error == OnError::Drop {
            // Disabled, not a rate of 0: that would still follow a parent's decision.
            options.traces_sampling_strategy = TracesSamplingStrategy::Disabled;
        }

        let own = Arc::clone(&pf);
        options.before_send = Some(after_users(options.before_send.take(), move |event| {
            own.before_send(event)
        }));
        let own = Arc::clone(&pf);
        options.before_breadcrumb = Some(after_users(
            options.before_breadcrumb.take(),
            move |crumb| own.before_breadcrumb(crumb),
        ));
        let own = Arc::clone(&pf);
        options.before_send_log = Some(after_users(options.before_send_log.take(), move |log| {
            own.before_send_log(log)
        }));
        options.before_send_metric = Some(after_users(
            options.before_send_metric.take(),
            move |metric| pf.before_send_metric(metric),
        ));
    }
}

/// `own` on what the user's hook returned; `None` from either drops.
fn after_users<V: 'static>(
    user: Option<BeforeCallback<V>>,
    own: impl Fn(V) -> Option<V> + Send + Sync + 'static,
) -> BeforeCallback<V> {
    Arc::new(move |value| match &user {
        Some(user) => user(value).and_then(&own),
        None => own(value),
    })
}

struct PreflightTransportFactory {
    inner: Arc<dyn TransportFactory>,
    shared: Arc<Shared>,
}

impl TransportFactory for PreflightTransportFactory {
    fn create_transport_with_options(&self, options: TransportOptions) -> Arc<dyn Transport> {
        self.shared.transport_built.store(true, Ordering::SeqCst);
        Arc::new(PreflightTransport {
            inner: self.inner.create_transport_with_options(options),
            shared: Arc::clone(&self.shared),
        })
    }
}

struct PreflightTransport {
    inner: Arc<dyn Transport>,
    shared: Arc<Shared>,
}

impl Transport for PreflightTransport {
    fn send_envelope(&self, envelope: Envelope) {
        if !envelope
            .items()
            .any(|item| matches!(item, EnvelopeItem::Transaction(_)))
        {
            // Events, logs and metrics went through the hooks already; a raw
            // envelope (one the user built from bytes) has no items to read.
            self.inner.send_envelope(envelope);
            return;
        }
        let pf = Arc::clone(
            &self
                .shared
                .current
                .read()
                .unwrap_or_else(|e| e.into_inner()),
        );
        let mut processed = Envelope::new().with_headers(envelope.headers().clone());
        for item in envelope.into_items() {
            let item = match item {
                EnvelopeItem::Transaction(transaction) => {
                    match pf.before_send_transaction(*transaction) {
                        Some(transaction) => EnvelopeItem::Transaction(Box::new(transaction)),
                        // What came with a dropped transaction (its
                        // attachments) belongs to it and goes with it.
                        None => return,
                    }
                }
                other => other,
            };
            processed.add_item(item);
        }
        self.inner.send_envelope(processed);
    }

    fn flush(&self, timeout: Duration) -> bool {
        self.inner.flush(timeout)
    }

    fn shutdown(&self, timeout: Duration) -> bool {
        self.inner.shutdown(timeout)
    }
}
