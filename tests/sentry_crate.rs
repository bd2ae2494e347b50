//! The ready-made `before_send` and `before_send_log` with the real `sentry` crate and its test transport.

use std::collections::BTreeMap;

use sentry::protocol::{Breadcrumb, Event, Request, User, Value};
use sentry::ClientOptions;
use sentry_preflight::Preflight;

const SECRET: &str = "PLANTED-rust-secret-5e1d";

fn capture(policy: &str, send: impl FnOnce()) -> Vec<Event<'static>> {
    let mut options = ClientOptions::default();
    options.before_send = Some(Preflight::from_json(policy).unwrap().into_before_send());
    sentry::test::with_captured_events_options(send, options)
}

fn secret_event() -> Event<'static> {
    let mut headers = BTreeMap::new();
    headers.insert("Authorization".to_owned(), format!("Bearer {SECRET}"));
    headers.insert("Accept".to_owned(), "application/json".to_owned());
    Event {
        message: Some("payment failed".to_owned()),
        request: Some(Request {
            headers,
            query_string: Some(format!("page=1&access_token={SECRET}")),
            ..Default::default()
        }),
        user: Some(User {
            id: Some("42".to_owned()),
            ip_address: Some("198.51.100.7".parse().unwrap()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn secrets_never_reach_the_transport() {
    let events = capture("{}", || {
        sentry::configure_scope(|scope| {
            scope.set_extra("client_secret", Value::from(SECRET));
            scope.set_tag("api_key", SECRET);
        });
        sentry::add_breadcrumb(Breadcrumb {
            message: Some("charging".to_owned()),
            data: [("auth_token".to_owned(), Value::from(SECRET))]
                .into_iter()
                .collect(),
            ..Default::default()
        });
        sentry::capture_event(secret_event());
    });
    assert_eq!(events.len(), 1);
    let sent = serde_json::to_string(&events[0]).unwrap();
    assert!(!sent.contains(SECRET), "a planted secret was sent: {sent}");
    assert!(
        !sent.contains("198.51.100.7"),
        "the IP address was sent: {sent}"
    );

    let event = &events[0];
    let request = event.request.as_ref().unwrap();
    assert_eq!(request.headers["Authorization"], "[Filtered]");
    assert_eq!(request.headers["Accept"], "application/json");
    assert_eq!(
        request.query_string.as_deref(),
        Some("page=1&access_token=[Filtered]")
    );
    assert_eq!(event.extra["client_secret"], Value::from("[Filtered]"));
    assert_eq!(event.tags["api_key"], "[Filtered]");
    assert_eq!(
        event.breadcrumbs.values[0].data["auth_token"],
        Value::from("[Filtered]")
    );
    let user = event.user.as_ref().unwrap();
    assert_eq!(user.id.as_deref(), Some("42"));
    assert!(
        user.ip_address.is_none(),
        "a scrubbed IP address is removed from the typed event"
    );
    assert_eq!(event.message.as_deref(), Some("payment failed"));
}

#[test]
fn send_default_pii_keeps_the_address() {
    let events = capture(r#"{"scrub": {"send_default_pii": true}}"#, || {
        sentry::capture_event(secret_event());
    });
    let user = events[0].user.as_ref().unwrap();
    assert_eq!(
        user.ip_address.as_ref().map(ToString::to_string).as_deref(),
        Some("198.51.100.7")
    );
}

#[test]
fn json_events_keep_their_meta() {
    let preflight = Preflight::from_json("{}").unwrap();
    let mut event = serde_json::to_value(secret_event()).unwrap();
    preflight.process_event(&mut event);
    assert_eq!(
        event["_meta"]["request"]["headers"]["Authorization"][""]["rem"],
        serde_json::json!([["@preflight:secret-key", "s", 0, 10]])
    );
    assert_eq!(
        event["_meta"]["request"]["headers"]["Authorization"][""]["len"],
        31
    );
}

#[test]
fn logs_leave_without_the_secret_of_their_body_or_parameters() {
    let mut options = ClientOptions::default();
    options.release = Some("shop@1.2.3".into());
    options.before_send_log = Some(Preflight::from_json("{}").unwrap().into_before_send_log());
    let envelopes = sentry::test::with_captured_envelopes_options(
        || {
            sentry::logger_info!("password={} for {}", SECRET, "ada@example.com");
            sentry::logger_warn!(user.login = "ada", api_key = SECRET, "charge declined");
        },
        options,
    );
    let sent: String = envelopes
        .iter()
        .map(|envelope| {
            let mut bytes = Vec::new();
            envelope.to_writer(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
        .collect();
    assert!(sent.contains(r#""type":"log""#), "no log was sent: {sent}");
    assert!(!sent.contains(SECRET), "a planted secret was sent: {sent}");
    assert!(
        !sent.contains("ada@example.com"),
        "the email was sent: {sent}"
    );
    assert!(
        sent.contains("password=[Filtered] for [Filtered]"),
        "{sent}"
    );
    assert!(
        sent.contains(
            r#""sentry.message.template":{"value":"password={} for {}","type":"string"}"#
        ),
        "{sent}"
    );
    assert!(
        sent.contains(r#""user.login":{"value":"ada","type":"string"}"#),
        "{sent}"
    );
}
