//! Hostile events cost bounded time and never crash the host: deep nesting
//! far past any stack, huge strings, huge arrays (issue: reliability).

use std::time::Instant;

use sentry_preflight::{Outcome, Policy, Preflight};
use serde_json::{json, Map, Value};

/// `{"a": {"a": … "leaf" …}}`, `depth` levels, built without recursion.
fn nested(depth: usize) -> Value {
    let mut value = Value::from("leaf");
    for _ in 0..depth {
        let mut member = Map::new();
        member.insert("a".to_owned(), value);
        value = Value::Object(member);
    }
    value
}

fn policies() -> Vec<(&'static str, Preflight)> {
    vec![
        ("defaults", Preflight::from_json("{}").unwrap()),
        (
            "Relay legacy settings",
            Preflight::from_json(
                r#"{"scrub": {"datascrubbing": {"scrubData": true, "scrubDefaults": true, "scrubIpAddresses": true}}}"#,
            )
            .unwrap(),
        ),
    ]
}

#[test]
fn nesting_far_deeper_than_any_stack_is_cut_at_the_depth_limit() {
    for (name, preflight) in policies() {
        let mut event = json!({"message": "deep", "extra": {}});
        event["extra"]["deep"] = nested(100_000);
        assert_eq!(preflight.process_event(&mut event), Outcome::Keep, "{name}");
        let remarks = event["_meta"].to_string();
        assert!(
            remarks.contains("!limit"),
            "{name}: the cut is in _meta: {remarks}"
        );
        let mut depth = 0;
        let mut node = &event["extra"]["deep"];
        while let Some(inner) = node.get("a") {
            node = inner;
            depth += 1;
        }
        // What is left drops as any event does: the hostile part is gone.
        assert!(depth < 100, "{name}: cut at {depth} levels");
    }
}

/// About `kilobytes` KB of text with a card number in every kilobyte.
fn text_with_cards(kilobytes: usize) -> String {
    format!("{}card 4111 1111 1111 1111; ", "lorem ipsum ".repeat(84)).repeat(kilobytes)
}

/// A million strings, one in ten thousand of them an email address.
fn million_items() -> Value {
    let items = (0..1_000_000)
        .map(|index| {
            Value::from(if index % 10_000 == 0 {
                "jane@example.com"
            } else {
                "item"
            })
        })
        .collect();
    Value::Array(items)
}

#[test]
fn a_ten_megabyte_string_and_a_million_element_array_take_time_linear_in_their_size() {
    let preflight = Preflight::from_json("{}").unwrap();
    let time = |event: &mut Value| {
        let start = Instant::now();
        assert_eq!(preflight.process_event(event), Outcome::Keep);
        start.elapsed()
    };
    let mut small = json!({"message": "x", "extra": {"blob": text_with_cards(1_000)}});
    let mut large = json!({"message": "x", "extra": {"blob": text_with_cards(10_000)}});
    let (small_time, large_time) = (time(&mut small), time(&mut large));
    assert!(large["extra"]["blob"]
        .as_str()
        .is_some_and(|blob| blob.len() > 10_000_000));
    assert!(!large.to_string().contains("4111 1111 1111 1111"));
    // Linear is about 10× for 10× the text, quadratic about 100×.
    assert!(
        large_time < small_time * 40,
        "10 MB took {large_time:?}, 1 MB {small_time:?}"
    );

    let mut items = json!({"message": "x", "extra": {"items": million_items()}});
    assert_eq!(preflight.process_event(&mut items), Outcome::Keep);
    assert_eq!(
        items["extra"]["items"].as_array().map(Vec::len),
        Some(1_000_000)
    );
    assert!(!items.to_string().contains("jane@example.com"));
}

#[test]
fn a_policy_built_in_rust_is_checked_as_one_read_from_json() {
    let mut bad_regex = Policy::default();
    bad_regex.params.redact_keys = "(unclosed".to_owned();
    let error = Preflight::new(bad_regex).unwrap_err();
    assert_eq!(error.path, "params.redact_keys");
    let mut bad_rules = Policy::default();
    bad_rules.fingerprint.rules = vec!["error.type:X -> ".to_owned()];
    assert!(Preflight::new(bad_rules).is_err());
    let mut too_deep = Policy::default();
    too_deep.limits.max_depth = 1_000_000;
    assert_eq!(
        Preflight::new(too_deep).unwrap_err().path,
        "limits.max_depth"
    );
    assert!(Preflight::new(Policy::default()).is_ok());
}

#[test]
fn a_selector_nested_past_any_stack_is_rejected_at_load_time() {
    let selector = |depth: usize| format!("{}$string{}", "!(".repeat(depth), ")".repeat(depth));
    let policy =
        |selector: String| json!({"scrub": {"relay": {"applications": {selector: ["@ip"]}}}});
    let error = Preflight::from_value(&policy(selector(100_000))).unwrap_err();
    assert!(
        error.path.starts_with("scrub.relay.applications"),
        "{}",
        error.path
    );
    assert!(
        error.reason.contains("nested deeper than 32"),
        "{}",
        error.reason
    );
    let deepest = Preflight::from_value(&policy(selector(32))).expect("32 levels load");
    let mut event = json!({"extra": {"note": "from 10.0.0.1"}});
    assert_eq!(deepest.process_event(&mut event), Outcome::Keep);
    assert_eq!(
        event["extra"]["note"], "from [ip]",
        "32 negations select strings"
    );
}

/// Takes a value apart without recursion (serde_json's drop recurses).
fn dismantle(value: Value) {
    let mut open = vec![value];
    while let Some(value) = open.pop() {
        match value {
            Value::Object(members) => open.extend(members.into_iter().map(|(_, child)| child)),
            Value::Array(items) => open.extend(items),
            _ => {}
        }
    }
}

/// `levels` sampling conditions, each the `not` of the next, built without
/// recursion (`json!` copies what it is given recursively).
fn negations(levels: usize) -> Value {
    let mut condition = json!({"op": "eq", "name": "op", "value": "db"});
    for _ in 0..levels {
        let mut not = Map::new();
        not.insert("op".to_owned(), Value::from("not"));
        not.insert("inner".to_owned(), condition);
        condition = Value::Object(not);
    }
    let mut rule = Map::new();
    rule.insert("condition".to_owned(), condition);
    rule.insert("rate".to_owned(), Value::from(0.5));
    let mut traces = Map::new();
    traces.insert("rules".to_owned(), Value::Array(vec![Value::Object(rule)]));
    let mut sampling = Map::new();
    sampling.insert("traces".to_owned(), Value::Object(traces));
    let mut policy = Map::new();
    policy.insert("sampling".to_owned(), Value::Object(sampling));
    Value::Object(policy)
}

#[test]
fn a_policy_value_nested_past_any_stack_is_rejected_at_load_time() {
    let policy = negations(100_000);
    let error = Preflight::from_value(&policy).unwrap_err();
    assert_eq!(error.path, "sampling");
    assert_eq!(error.reason, "nested deeper than 128 levels");
    dismantle(policy);
    assert!(
        Preflight::from_value(&negations(60)).is_ok(),
        "60 levels load"
    );
}

/// Texts built to make a finder read the same bytes again and again: a
/// prefix, an anchor or a digit repeated, with nothing to end the run.
const REPEATED: &[&str] = &[
    "xoxb-",
    "AKIA",
    "@",
    "1",
    "glpat-",
    "ghp_",
    "a@",
    "::",
    "1:",
    "password=\"",
    "-----BEGIN PRIVATE KEY-----",
    "kind: Secret\ndata:\n",
    "+1 ",
    "(415) ",
    "4111 ",
    "ZXlK",
    "eyJ.",
    "sk-",
    "00:",
    "\\n",
    "%3D",
    "curl -u ",
    "PuTTY-User-Key-File-3: ",
    "Private-Lines: 1\n",
    "<add key=\"Password\" value=\"",
    "<password>",
    "sntrys_eyJ",
    "hooks.slack.com/services/",
    "xoxe.xoxb-",
    "--password ",
    "dp.pt.",
    "secret_",
    "pat",
    "0x",
    "bc1",
    "MTk4NjIy",
    "DE89 ",
    "00-1a-",
    "123456789:A",
    "abc8Q~",
    ".atlasv1.",
    "1234567890123456|",
    "-us1",
    "\"token\", \"",
    "token := \"",
    "val token: String = ",
    "<?xml><password>",
];

#[test]
fn a_repeated_prefix_anchor_or_digit_costs_time_linear_in_its_length() {
    let preflight = Preflight::from_json("{}").unwrap();
    let time = |text: &str| {
        let start = Instant::now();
        let secrets = preflight.secrets_in(text);
        (start.elapsed(), secrets.len())
    };
    for pattern in REPEATED {
        let small = pattern.repeat(100_000 / pattern.len());
        let large = pattern.repeat(1_000_000 / pattern.len());
        let ((small_time, _), (large_time, found)) = (time(&small), time(&large));
        // Linear is about 10× for 10× the text, quadratic about 100×.
        assert!(
            large_time < small_time * 40 + std::time::Duration::from_millis(20),
            "{pattern:?} × {}: 1 MB took {large_time:?}, 100 KB {small_time:?} ({found} found)",
            1_000_000 / pattern.len()
        );
    }
    let ten_megabytes = "lorem ipsum dolor sit amet, ".repeat(400_000);
    let (elapsed, found) = time(&ten_megabytes);
    assert_eq!(found, 0);
    assert!(elapsed.as_secs() < 10, "10 MB of prose took {elapsed:?}");
}

/// 200-byte texts that differ only where the memo of clean texts does not
/// hash (`src/scrub/clean_texts.rs`: 16 bytes at each end and in the
/// middle), one of them holding a key.
fn texts_sharing_one_hash(count: usize, secret_at: usize) -> Vec<String> {
    (0..count)
        .map(|n| {
            let varying = if n == secret_at {
                "sk_live_a1B2c3D4e5F6g7H8i9J0k1L2".to_owned()
            } else {
                format!("item{n}")
            };
            format!("{}----{varying:x<60}{}", "a".repeat(16), "b".repeat(120))
        })
        .collect()
}

#[test]
fn texts_crafted_to_share_the_memos_hash_are_each_searched() {
    let preflight = Preflight::from_json("{}").unwrap();
    let texts = texts_sharing_one_hash(5000, 2500);
    assert!(texts.iter().all(|text| text.len() == 200));
    // Twice: the second time, every clean text may have been remembered.
    let mut event = json!({"extra": {"first": texts, "again": texts}});
    assert_eq!(preflight.process_event(&mut event), Outcome::Keep);
    for list in ["first", "again"] {
        let sent = event["extra"][list].as_array().unwrap();
        for (n, (sent, original)) in sent.iter().zip(&texts).enumerate() {
            let sent = sent.as_str().unwrap();
            if n == 2500 {
                assert!(
                    !sent.contains("sk_live_"),
                    "{list}[{n}] sent the key: {sent}"
                );
                assert!(
                    event["_meta"]["extra"][list]["2500"][""]["rem"].is_array(),
                    "{list}[2500] has no remark"
                );
            } else {
                assert_eq!(sent, original, "{list}[{n}] changed");
            }
        }
    }
}

/// A log as sentry-python hands it to `before_send_log`, with `parameters`
/// message parameters (the first few under a secret key) and `body`.
fn log_with(body: String, parameters: usize, secret_value: &str) -> Value {
    let mut attributes = Map::new();
    for index in 0..parameters {
        let key = if index < 3 {
            format!("sentry.message.parameter.password_{index}")
        } else {
            format!("sentry.message.parameter.{index}")
        };
        attributes.insert(key, Value::from(secret_value));
    }
    attributes.insert("sentry.sdk.name".to_owned(), Value::from("sentry.python"));
    json!({"body": body, "attributes": attributes, "severity_text": "info"})
}

#[test]
fn a_log_with_huge_bodies_and_many_attributes_costs_bounded_time_and_leaks_nothing() {
    let preflight = Preflight::from_json("{}").unwrap();
    let time = |log: &mut Value| {
        let start = Instant::now();
        assert_eq!(preflight.process_log(log), Outcome::Keep);
        start.elapsed()
    };
    // Linear in the body: 10× the text, about 10× the time.
    let mut small = log_with(text_with_cards(1_000), 3, "hunter2");
    let mut large = log_with(text_with_cards(10_000), 3, "hunter2");
    let (small_time, large_time) = (time(&mut small), time(&mut large));
    assert!(!large.to_string().contains("4111 1111 1111 1111"));
    assert!(
        large_time < small_time * 40,
        "10 MB took {large_time:?}, 1 MB {small_time:?}"
    );

    // A secret parameter that stands in the body a million times: the body
    // goes whole rather than as a million rewrites.
    let mut repeated = log_with("ab ".repeat(1_000_000), 3, "ab");
    time(&mut repeated);
    assert_eq!(repeated["body"], "[Filtered]");

    // Ten thousand attributes, forty of them parameters: past what is
    // checked one by one, the body and every parameter go.
    let mut crowded = log_with("password=hunter2 and more".to_owned(), 40, "hunter2");
    for index in 0..10_000 {
        crowded["attributes"][format!("attribute.{index}")] = Value::from(format!("value {index}"));
    }
    time(&mut crowded);
    assert!(!crowded.to_string().contains("hunter2"));
    assert_eq!(crowded["attributes"]["sentry.sdk.name"], "sentry.python");
    assert_eq!(crowded["attributes"]["attribute.9999"], "value 9999");
}
