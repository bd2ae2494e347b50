//! The shared vectors, run by the Rust suite (the Python and JS suites run
//! the same files and must produce the same output).
//!
//! `PREFLIGHT_BLESS=1 cargo test --test vectors` rewrites each vector whose
//! output (or load error) differs with what the core now gives, so that a
//! deliberate change of output is reviewed as a diff of data, as Relay
//! reviews its snapshots. That run still fails, naming what it rewrote: only
//! a run without the variable passes.

use std::fs;
use std::path::PathBuf;

use sentry_preflight::tape::{apply_patch, Doc, Tape};
use sentry_preflight::{EventTree, Hint, Outcome, Preflight, SamplingContext, SdkOptions};
use serde::Deserialize;
use serde_json::Value;

fn vector_directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn vectors() -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = fs::read_dir(vector_directory())
        .expect("tests/vectors exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path).expect("readable vector");
            // Read past serde_json's 128 levels: a vector may nest deeper than that.
            let mut reader = serde_json::Deserializer::from_str(&text);
            reader.disable_recursion_limit();
            let vector = Value::deserialize(&mut reader).expect("vector is JSON");
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                vector,
            )
        })
        .collect()
}

/// The trace id of the `index`-th generated decision: every suite computes the same.
fn generated_trace_id(index: u64) -> String {
    let id = u128::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
    format!("{id:032x}")
}

/// A context of a vector; its `now` is what the bindings' clock would say.
fn sampling_context(json: &Value) -> SamplingContext {
    SamplingContext {
        now: json["now"].as_f64(),
        ..SamplingContext::from_json(json)
    }
}

/// Sampling vectors: the decision for each listed context, and a digest of
/// the decisions for thousands of generated trace ids.
fn decide(preflight: &Preflight, input: &Value) -> Value {
    let decisions: Vec<Value> = input["contexts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|context| preflight.decide_trace(&sampling_context(context)).to_json())
        .collect();
    let generated: Vec<Value> = input["generated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|batch| {
            let (mut kept, mut index_sum, mut rand_sum) = (0u64, 0u64, 0.0f64);
            for index in 0..batch["count"].as_u64().unwrap() {
                let mut context = batch["template"].clone();
                context["trace_id"] = Value::from(generated_trace_id(index));
                let decision = preflight.decide_trace(&sampling_context(&context));
                if decision.sampled {
                    kept += 1;
                    index_sum += index;
                }
                rand_sum += decision.sample_rand.unwrap();
            }
            serde_json::json!({"kept": kept, "kept_index_sum": index_sum, "rand_sum": rand_sum})
        })
        .collect();
    serde_json::json!({"decisions": decisions, "generated": generated})
}

/// Sequence vectors: events processed in order, each at its `now` (the
/// budget's clock); the output is each one as sent, or null when dropped.
fn process_in_order(preflight: &Preflight, input: &Value) -> Value {
    let outputs = input["steps"].as_array().unwrap().iter().map(|step| {
        let mut event = step["event"].clone();
        let hint = Hint {
            now: step["now"].as_f64(),
            ..Hint::default()
        };
        match preflight.process_event_with_hint(&mut event, &hint) {
            Outcome::Keep => event,
            Outcome::Drop(_) => Value::Null,
        }
    });
    Value::Array(outputs.collect())
}

fn run(preflight: &Preflight, vector: &Value, input: &Value) -> Value {
    match vector.get("kind").and_then(Value::as_str) {
        Some("sampling") => return decide(preflight, input),
        Some("sequence") => return process_in_order(preflight, input),
        _ => {}
    }
    let mut value = input.clone();
    match process(preflight, vector, &mut value) {
        Outcome::Keep => value,
        Outcome::Drop(_) => Value::Null,
    }
}

/// A vector's input through the hook of its kind, in any tree.
fn process<T: EventTree>(preflight: &Preflight, vector: &Value, tree: &mut T) -> Outcome {
    match vector.get("kind").and_then(Value::as_str) {
        Some("breadcrumb") => preflight.process_breadcrumb(tree),
        Some("log") => preflight.process_log(tree),
        Some("metric") => preflight.process_metric(tree),
        Some("span") => {
            if preflight.process_span(tree) != Outcome::Keep {
                preflight.strip_span(tree);
            }
            Outcome::Keep
        }
        _ => preflight.process_tree(tree),
    }
}

#[test]
fn every_vector_gives_the_expected_output() {
    let vectors = vectors();
    assert!(
        vectors.len() >= 20,
        "expected the shared vectors, found {}",
        vectors.len()
    );
    // Every vector is run, and every one that fails is named.
    let mut failures = Vec::new();
    let bless = std::env::var_os("PREFLIGHT_BLESS").is_some_and(|value| value == "1");
    for (file, mut vector) in vectors {
        let loaded = Preflight::from_value_under(&vector["policy"], sdk_options(&vector));
        // Whichever the vector holds, `error` or `expected`, and what the core gives for it.
        let (member, got) = if vector.get("error").is_some() {
            let error = loaded.expect_err(&file);
            let got = serde_json::json!({"path": error.path, "reason": error.reason});
            ("error", got)
        } else {
            let preflight = loaded.unwrap_or_else(|error| panic!("{file}: {error}"));
            ("expected", run(&preflight, &vector, &vector["input"]))
        };
        if got == vector[member] {
            continue;
        }
        failures.push(format!(
            "{file}\n  got:      {got}\n  {member}: {}",
            vector[member]
        ));
        if bless {
            vector[member] = got;
            bless_vector(&file, &vector);
        }
    }
    if bless && !failures.is_empty() {
        failures.push(
            "PREFLIGHT_BLESS=1 rewrote these; review the diff, then run again without it".into(),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes a vector back as serde_json's pretty form, which 255 of the 258
/// files already are; the other three (compact inputs, numbers as written)
/// are reformatted if they are ever blessed.
fn bless_vector(file: &str, vector: &Value) {
    let text = serde_json::to_string_pretty(vector).expect("a vector serialises") + "\n";
    fs::write(vector_directory().join(file), text).expect("the vector is writable");
}

/// What the vector says the SDK's options are (`"sdk": {"send_default_pii": …}`),
/// as an integration reads them.
fn sdk_options(vector: &Value) -> SdkOptions {
    SdkOptions {
        send_default_pii: vector["sdk"]["send_default_pii"].as_bool(),
    }
}

#[test]
fn processing_twice_changes_nothing_more() {
    for (file, vector) in vectors() {
        let not_events = matches!(
            vector.get("kind").and_then(Value::as_str),
            Some("sampling" | "sequence")
        );
        if vector.get("error").is_some() || vector["expected"].is_null() || not_events {
            continue;
        }
        let preflight =
            Preflight::from_value_under(&vector["policy"], sdk_options(&vector)).unwrap();
        let again = run(&preflight, &vector, &vector["expected"]);
        assert_eq!(again, vector["expected"], "{file}");
    }
}

/// The JS package's path: the input's text read onto a tape, and the patch
/// processing wrote applied to the input, gives each vector's output too;
/// and an input processing leaves alone comes with an empty patch.
#[test]
fn the_text_path_patches_the_input_into_the_expected_output() {
    let mut tape = Tape::default();
    let mut failures = Vec::new();
    for (file, vector) in vectors() {
        let not_events = matches!(
            vector.get("kind").and_then(Value::as_str),
            Some("sampling" | "sequence")
        );
        if vector.get("error").is_some() || not_events {
            continue;
        }
        let preflight =
            Preflight::from_value_under(&vector["policy"], sdk_options(&vector)).unwrap();
        let input = &vector["input"];
        let text = input.to_string();
        let doc = Doc::read(&text, &mut tape).unwrap_or_else(|error| panic!("{file}: {error}"));
        let output = match process(&preflight, &vector, &mut doc.root()) {
            Outcome::Drop(_) => Value::Null,
            Outcome::Keep => {
                let mut patched = input.clone();
                apply_patch(&mut patched, &doc.patch())
                    .unwrap_or_else(|error| panic!("{file}: {error}"));
                if doc.is_unchanged() {
                    assert_eq!(&patched, input, "{file}: unchanged, yet patched");
                }
                patched
            }
        };
        if output != vector["expected"] {
            failures.push(format!(
                "{file}\n  got:      {output}\n  expected: {}\n  patch: {}",
                vector["expected"],
                doc.patch()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `UNREAD_SDK_MEMBERS`, which the JS package leaves out of an event's text,
/// change nothing: each event vector's input with them added to its `sdk`
/// (holding what a rule would scrub anywhere it looked) gives the vector's
/// output with the same members in its `sdk`, under every vector's policy.
#[test]
fn the_sdk_members_no_rule_reads_change_nothing() {
    let names = Value::from(vec![
        "Http",
        "password=hunter2",
        "ada@example.com",
        "4111 1111 1111 1111",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    ]);
    let mut checked = 0;
    for (file, vector) in vectors() {
        let is_event = vector
            .get("kind")
            .is_none_or(|kind| kind == "security-report");
        if vector.get("error").is_some() || !is_event {
            continue;
        }
        let Some(input) = vector["input"].as_object() else {
            continue;
        };
        if input.get("sdk").is_some_and(|sdk| !sdk.is_object()) {
            continue;
        }
        let preflight =
            Preflight::from_value_under(&vector["policy"], sdk_options(&vector)).unwrap();
        // The members, holding `names`, in the `sdk` of an event (none of a dropped one).
        let with_unread = |mut event: Value| {
            if let Some(members) = event.as_object_mut() {
                let sdk = members
                    .entry("sdk")
                    .or_insert_with(|| serde_json::json!({}));
                for member in sentry_preflight::UNREAD_SDK_MEMBERS {
                    sdk[member] = names.clone();
                }
            }
            event
        };
        let expected = with_unread(run(&preflight, &vector, &vector["input"]));
        let got = run(
            &preflight,
            &vector,
            &with_unread(Value::Object(input.clone())),
        );
        assert_eq!(got, expected, "{file}");
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} event vectors checked");
}
