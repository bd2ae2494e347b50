//! `PreflightIntegration` with the real `sentry` crate: every hook from
//! `ClientOptions::integrations`, after the user's own, and transactions
//! through the wrapped transport. The envelopes are those the crate's test
//! transport was given, serialised as they would be sent.

use std::sync::Arc;

use sentry::protocol::{Breadcrumb, Envelope, Event, Value};
use sentry::test::TestTransport;
use sentry::{ClientOptions, Hub};
use sentry_preflight::PreflightIntegration;

const SECRET: &str = "PLANTED-rust-integration-3b9f";
const EMAIL: &str = "ada.lovelace@example.com";

/// Runs `send` on a client set up with `integration`, its transport wrapped
/// when `wrap_transport`; returns the envelopes as sent.
fn capture(
    integration: PreflightIntegration,
    mut options: ClientOptions,
    wrap_transport: bool,
    send: impl FnOnce(),
) -> Vec<String> {
    let transport = TestTransport::new();
    options.dsn = Some("https://public@sentry.invalid/1".parse().unwrap());
    options.transport = Some(match wrap_transport {
        true => integration.transport(Arc::new(transport.clone())),
        false => Arc::new(transport.clone()),
    });
    options.integrations.push(Arc::new(integration));
    let hub = Arc::new(Hub::new(
        Some(Arc::new(options.into())),
        Arc::new(Default::default()),
    ));
    Hub::run(Arc::clone(&hub), send);
    hub.client().unwrap().flush(None);
    transport
        .fetch_and_clear_envelopes()
        .iter()
        .map(serialised)
        .collect()
}

fn serialised(envelope: &Envelope) -> String {
    let mut bytes = Vec::new();
    envelope.to_writer(&mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

fn integration(policy: &str) -> PreflightIntegration {
    PreflightIntegration::from_json(policy).unwrap()
}

fn checkout_transaction() {
    let transaction =
        sentry::start_transaction(sentry::TransactionContext::new("/checkout", "http.server"));
    let span = transaction.start_child(
        "db.query",
        &format!("UPDATE users SET password = '{SECRET}'"),
    );
    span.finish();
    transaction.finish();
}

#[test]
fn what_a_users_hook_adds_is_scrubbed_and_what_it_drops_stays_dropped() {
    let mut options = ClientOptions::default();
    options.before_send = Some(Arc::new(|mut event: Event<'static>| {
        if event.message.as_deref() == Some("drop me") {
            return None;
        }
        event
            .extra
            .insert("added_by_hook".into(), format!("password={SECRET}").into());
        Some(event)
    }));
    let sent = capture(integration("{}"), options, true, || {
        sentry::capture_message("checkout failed", sentry::Level::Error);
        sentry::capture_message("drop me", sentry::Level::Error);
    });
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(!sent[0].contains(SECRET), "{}", sent[0]);
    assert!(
        sent[0].contains(r#""added_by_hook":"password=[Filtered]""#),
        "{}",
        sent[0]
    );
}

#[test]
fn every_channel_goes_through_preflight() {
    let options = ClientOptions::default().traces_sample_rate(1.0);
    let sent = capture(integration("{}"), options, true, || {
        sentry::add_breadcrumb(Breadcrumb {
            message: Some(format!("login password={SECRET}")),
            ..Default::default()
        });
        sentry::logger_info!("welcome {}", EMAIL);
        sentry::metrics::counter("signup", 1)
            .attribute("email", EMAIL)
            .capture();
        checkout_transaction();
        sentry::configure_scope(|scope| scope.set_extra("api_key", Value::from(SECRET)));
        sentry::capture_message("signup done", sentry::Level::Info);
    })
    .join("\n");
    for kind in ["event", "transaction", "log", "trace_metric"] {
        assert!(
            sent.contains(&format!(r#""type":"{kind}""#)),
            "no {kind}: {sent}"
        );
    }
    assert!(!sent.contains(SECRET), "a planted secret was sent: {sent}");
    assert!(!sent.contains(EMAIL), "the email was sent: {sent}");
    // The transaction went through preflight: its query lost the literal.
    assert!(
        sent.contains(r#""description":"UPDATE users SET password = %s""#),
        "{sent}"
    );
}

#[test]
fn without_the_wrapped_transport_no_transaction_leaves_unscrubbed() {
    let options = ClientOptions::default().traces_sample_rate(1.0);
    let sent = capture(integration("{}"), options, false, || {
        checkout_transaction();
        sentry::configure_scope(|scope| scope.set_extra("api_key", Value::from(SECRET)));
        sentry::capture_message("paid", sentry::Level::Info);
    })
    .join("\n");
    assert!(!sent.contains(r#""type":"transaction""#), "{sent}");
    assert!(sent.contains(r#""type":"event""#), "{sent}");
    assert!(!sent.contains(SECRET), "{sent}");

    // Under `on_error: pass` the user chose to send what preflight cannot reach.
    let options = ClientOptions::default().traces_sample_rate(1.0);
    let sent = capture(
        integration(r#"{"on_error": "pass"}"#),
        options,
        false,
        checkout_transaction,
    )
    .join("\n");
    assert!(sent.contains(r#""type":"transaction""#), "{sent}");
}

#[test]
fn personal_data_follows_send_default_pii_unless_the_policy_says() {
    for (send_default_pii, policy, kept) in [
        (true, "{}", true),
        (false, "{}", false),
        (true, r#"{"scrub": {"send_default_pii": false}}"#, false),
    ] {
        let mut options = ClientOptions::default();
        options.send_default_pii = send_default_pii;
        let sent = capture(integration(policy), options, true, || {
            sentry::capture_message(&format!("refund for {EMAIL}"), sentry::Level::Info);
        })
        .join("\n");
        assert_eq!(
            sent.contains(EMAIL),
            kept,
            "{send_default_pii} {policy}: {sent}"
        );
    }
}

#[test]
fn a_bad_policy_is_rejected_before_the_client_exists() {
    let error = PreflightIntegration::from_json(r#"{"scrub": {"method": "shred"}}"#)
        .err()
        .unwrap();
    assert_eq!(error.path, "scrub.method");
}
