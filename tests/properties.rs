//! Properties of processing over generated events (proptest): processing
//! twice changes nothing more than processing once, nothing changes without
//! `_meta` saying so, and a secret of each kind planted anywhere user data
//! lives never survives (issue: reliability).

use proptest::prelude::*;
use sentry_preflight::{Outcome, Preflight};
use serde_json::{json, Map, Value};

/// One of each kind the defaults must catch, as it would appear in text.
const SECRETS: [&str; 10] = [
    "4111 1111 1111 1111",
    "jane.doe@example.com",
    "AKIAIOSFODNN7EXAMPLE",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlc2lnbmF0dXJl",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "DE89 3704 0044 0532 0130 00",
    "xoxb-263594206564-2343313512-XOXBEXAMPLE",
    "-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7-----END RSA PRIVATE KEY-----",
    "https://admin:hunter2pass@db.example.com/",
];

/// Where a planted secret goes: free text or a value under a neutral key.
fn plant(secret: &str, in_text: bool) -> Value {
    if in_text {
        Value::from(format!("note: {secret} (see above)"))
    } else {
        Value::from(secret)
    }
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        "[a-z ]{0,12}".prop_map(Value::from),
        Just(Value::from("[Filtered]")),
    ]
}

fn data() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                ("(note|items|data|value|name|a|password|api_key)", inner),
                0..4
            )
            .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn event(extra: Value, context: Value, crumb: Value) -> Value {
    json!({
        "message": "checkout failed",
        "extra": {"payload": extra},
        "contexts": {"order": {"details": context}},
        "breadcrumbs": {"values": [{"message": "step", "data": {"info": crumb}}]},
        "request": {"url": "https://shop.example/cart", "data": {"form": {"comment": "ok"}}},
    })
}

/// The places an event carries user data, as JSON pointers to a member that can be replaced.
const PLACES: [&str; 5] = [
    "/extra/payload",
    "/contexts/order/details",
    "/breadcrumbs/values/0/data/info",
    "/breadcrumbs/values/0/message",
    "/request/data/form/comment",
];

/// Walks what was given and what is sent side by side: every member and
/// element is still there, every value is the same, unless `_meta` holds a
/// remark for it or for a container above it. The event itself may gain
/// members (`_meta`).
fn changes_are_told(before: &Value, after: &Value) -> Result<(), String> {
    let meta = after.get("_meta");
    let mut open = vec![(before, after, meta, String::new())];
    while let Some((before, after, meta, path)) = open.pop() {
        if meta.is_some_and(|meta| meta.get("").is_some()) {
            continue;
        }
        let child_meta = |key: &str| meta.and_then(|meta| meta.get(key));
        match (before, after) {
            (Value::Object(given), Value::Object(sent)) => {
                let gained = sent.keys().any(|key| !given.contains_key(key));
                if gained && !path.is_empty() {
                    return Err(format!("{path} gained members: {sent:?}"));
                }
                for (key, given_value) in given {
                    let sent_value = sent
                        .get(key)
                        .ok_or_else(|| format!("{path}.{key} is gone and _meta does not say so"))?;
                    open.push((
                        given_value,
                        sent_value,
                        child_meta(key),
                        format!("{path}.{key}"),
                    ));
                }
            }
            (Value::Array(given), Value::Array(sent)) if given.len() == sent.len() => {
                for (index, (given_item, sent_item)) in given.iter().zip(sent).enumerate() {
                    let key = index.to_string();
                    open.push((
                        given_item,
                        sent_item,
                        child_meta(&key),
                        format!("{path}.{key}"),
                    ));
                }
            }
            _ if before == after => {}
            _ => {
                return Err(format!(
                    "{path} changed from {before} to {after}, and _meta does not say so"
                ))
            }
        }
    }
    Ok(())
}

fn processed(preflight: &Preflight, mut event: Value) -> Value {
    assert_eq!(preflight.process_event(&mut event), Outcome::Keep);
    event
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn processing_twice_changes_nothing_more(extra in data(), context in data(), crumb in data(), secret in 0..SECRETS.len(), place in 0..PLACES.len(), in_text in any::<bool>()) {
        let preflight = Preflight::from_json("{}").unwrap();
        let mut planted = event(extra, context, crumb);
        if let Some(slot) = planted.pointer_mut(PLACES[place]) {
            *slot = plant(SECRETS[secret], in_text);
        }
        let once = processed(&preflight, planted);
        let twice = processed(&preflight, once.clone());
        prop_assert_eq!(twice, once);
    }

    #[test]
    fn nothing_changes_without_meta_saying_so(extra in data(), context in data(), crumb in data(), secret in 0..SECRETS.len(), place in 0..PLACES.len(), in_text in any::<bool>()) {
        let preflight = Preflight::from_json("{}").unwrap();
        let mut planted = event(extra, context, crumb);
        if let Some(slot) = planted.pointer_mut(PLACES[place]) {
            *slot = plant(SECRETS[secret], in_text);
        }
        let sent = processed(&preflight, planted.clone());
        prop_assert_eq!(changes_are_told(&planted, &sent), Ok(()));
    }

    #[test]
    fn a_planted_secret_never_survives(extra in data(), context in data(), crumb in data(), secret in 0..SECRETS.len(), place in 0..PLACES.len(), in_text in any::<bool>()) {
        let preflight = Preflight::from_json("{}").unwrap();
        let mut planted = event(extra, context, crumb);
        let slot = planted.pointer_mut(PLACES[place]).unwrap();
        *slot = plant(SECRETS[secret], in_text);
        let text = processed(&preflight, planted).to_string();
        prop_assert!(!text.contains(SECRETS[secret]), "{} survived in {}", SECRETS[secret], text);
    }
}

#[test]
fn the_sample_events_are_idempotent_and_told_too() {
    let preflight = Preflight::from_json("{}").unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    for file in [
        "samples/sentry-python-events.jsonl",
        "samples/sentry-python-large-events.jsonl",
    ] {
        for line in std::fs::read_to_string(format!("{root}/{file}"))
            .unwrap()
            .lines()
        {
            let given: Value = serde_json::from_str(line).unwrap();
            let once = processed(&preflight, given.clone());
            assert_eq!(processed(&preflight, once.clone()), once);
            assert_eq!(changes_are_told(&given, &once), Ok(()), "{file}");
        }
    }
}

/// Text of one- to four-byte characters that no secret detector can match
/// (no digits, no `@`, no `:`), so that only the limits change it.
const TEXT: &str = "[a-zà-ÿぁ-んα-ω😀-😎 ]{0,700}";
const TAG_TEXT: &str = "[a-zà-ÿぁ-んα-ω😀-😎 ]{0,300}";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cut_values_stay_whole_characters_within_their_limits(value in TEXT, tag in TAG_TEXT) {
        let preflight = Preflight::from_json("{}").unwrap();
        let mut event = json!({
            "type": "transaction",
            "transaction": "/x",
            "tags": {"note": tag},
            "spans": [{"span_id": "a", "op": "db", "data": {"value": value.repeat(3)}}],
        });
        prop_assert_eq!(preflight.process_event(&mut event), Outcome::Keep);
        let kept = event["spans"][0]["data"]["value"].as_str().unwrap_or_default();
        prop_assert!(kept.len() <= 1024, "{} bytes kept", kept.len());
        let original = value.repeat(3);
        let unchanged_or_cut = kept == original || kept.strip_suffix("...").is_some_and(|prefix| original.starts_with(prefix));
        prop_assert!(unchanged_or_cut);
        let tag = event["tags"]["note"].as_str().unwrap_or_default();
        prop_assert!(tag.chars().count() <= 200);
    }
}

#[test]
fn an_untold_change_is_caught_by_the_check() {
    let given = json!({"extra": {"a": "x", "b": [1, 2]}});
    let changed = json!({"extra": {"a": "y", "b": [1, 2]}});
    let shortened = json!({"extra": {"a": "x", "b": [1]}});
    let gone = json!({"extra": {"b": [1, 2]}});
    for sent in [changed, shortened, gone] {
        assert!(changes_are_told(&given, &sent).is_err(), "{sent}");
    }
    let told = json!({"extra": {"a": "y", "b": [1]}, "_meta": {"extra": {"a": {"": {"rem": [["r", "s", 0, 1]]}}, "b": {"": {"rem": [["r", "x"]]}}}}});
    assert_eq!(changes_are_told(&given, &told), Ok(()));
}
