//! A forced internal error follows the policy's `on_error` in Rust, as it
//! does in Python (`test_hooks.py`: a mapping the binding cannot write) and
//! in JS (`trap.test.js`: a real trap in the module) (issue: reliability).
//!
//! The error is a real panic in the middle of processing: the event is held
//! in a tree of the caller's (any [`EventTree`]) that panics when the scrub
//! writes to it.

use std::borrow::Cow;

use sentry_preflight::{EventTree, NewValue, NodeKind, Outcome, Preflight};
use serde_json::{json, Value};

/// A JSON tree that panics on the first string written into it.
struct Refusing(Value);

/// Visits `child` as a `Refusing` node: taken out of its parent, then put back.
fn visiting(child: &mut Value, visit: impl FnOnce(&mut Refusing)) {
    let mut node = Refusing(std::mem::take(child));
    visit(&mut node);
    *child = node.0;
}

impl EventTree for Refusing {
    fn kind(&self) -> NodeKind {
        self.0.kind()
    }

    fn text(&self) -> Option<Cow<'_, str>> {
        self.0.text()
    }

    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        self.0.with_field(key, |child| visiting(child, visit));
    }

    fn for_each_field(&mut self, mut visit: impl FnMut(&str, &mut Self)) {
        self.0
            .for_each_field(|key, child| visiting(child, |node| visit(key, node)));
    }

    fn for_each_element(&mut self, mut visit: impl FnMut(usize, &mut Self)) {
        self.0
            .for_each_element(|index, child| visiting(child, |node| visit(index, node)));
    }

    fn set_text(&mut self, text: String) {
        panic!("this tree refuses to hold {text:?}");
    }

    fn set_null(&mut self) {
        self.0.set_null();
    }

    fn with_object_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        self.0
            .with_object_field(key, |child| visiting(child, visit));
    }

    fn to_json(&self) -> Value {
        self.0.to_json()
    }

    fn set_json(&mut self, value: Value) {
        self.0.set_json(value);
    }

    fn insert(&mut self, key: &str, value: &impl NewValue) {
        self.0.insert(key, value);
    }
}

fn with_a_secret() -> Value {
    json!({"message": "m", "extra": {"note": "card 4111 1111 1111 1111"}})
}

#[test]
fn a_panic_inside_processing_drops_the_event_by_default() {
    let preflight = Preflight::from_json("{}").unwrap();
    let mut event = Refusing(with_a_secret());
    let outcome = preflight.process_tree(&mut event);
    assert_eq!(
        outcome,
        Outcome::Drop("processing failed: internal error".to_owned())
    );
    let mut crumb = Refusing(json!({"message": "token=abc123"}));
    assert!(matches!(
        preflight.process_breadcrumb(&mut crumb),
        Outcome::Drop(_)
    ));
    let mut span = Refusing(json!({"data": {"password": "hunter2"}}));
    assert!(matches!(
        preflight.process_span(&mut span),
        Outcome::Drop(_)
    ));
    let mut log = Refusing(json!({"body": "password=hunter2", "attributes": {"k": "v"}}));
    assert!(matches!(preflight.process_log(&mut log), Outcome::Drop(_)));
    let mut metric = Refusing(json!({"name": "m", "attributes": {"token": "t"}}));
    assert!(matches!(
        preflight.process_metric(&mut metric),
        Outcome::Drop(_)
    ));
}

#[test]
fn a_panic_inside_processing_sends_the_event_under_on_error_pass() {
    let preflight = Preflight::from_json(r#"{"on_error": "pass"}"#).unwrap();
    let mut event = Refusing(with_a_secret());
    assert_eq!(preflight.process_tree(&mut event), Outcome::Keep);
}

#[test]
fn the_same_preflight_carries_on_after_a_panic() {
    let preflight = Preflight::from_json("{}").unwrap();
    let mut refusing = Refusing(with_a_secret());
    assert!(matches!(
        preflight.process_tree(&mut refusing),
        Outcome::Drop(_)
    ));
    let mut event = with_a_secret();
    assert_eq!(preflight.process_event(&mut event), Outcome::Keep);
    assert_eq!(event["extra"]["note"], "card [Filtered]");
}
