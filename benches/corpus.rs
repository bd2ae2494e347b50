//! What the default policy costs on ordinary traffic, next to what every
//! event already pays: serde_json's parse and serialize of the same text.
//!
//! Two corpora, each conclusion says which: `samples/corpus/` (ordinary
//! web-app traffic captured with the real sentry-sdk and @sentry/node by
//! `benchmarks/corpus/`: errors of a few KB with one or two values to take
//! out, transactions with tens of spans, streamed spans) and the
//! secret-laden samples (`samples/sentry-python-large-events.jsonl`, about
//! 56 values taken out of each event). `cargo bench --bench corpus`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sentry_preflight::Preflight;
use serde_json::Value;

fn lines(file: &str) -> Vec<String> {
    let path = format!("{}/samples/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{path}: {error}"))
        .lines()
        .map(str::to_owned)
        .collect()
}

const CORPORA: &[(&str, &str)] = &[
    ("python errors", "corpus/python-errors.jsonl"),
    ("python transactions", "corpus/python-transactions.jsonl"),
    ("node errors", "corpus/node-errors.jsonl"),
    ("secret-laden errors", "sentry-python-large-events.jsonl"),
];

/// The families preflight knew before the one-pass engine: the policy that
/// switches every other family off measures what the new ones add.
const EARLIER_FAMILIES: &[&str] = &[
    "pemkey",
    "urlauth",
    "secret-pair",
    "bearer",
    "jwt",
    "aws-key",
    "stripe-key",
    "github-token",
    "slack-token",
    "google-api-key",
    "llm-api-key",
    "gitlab-token",
    "npm-token",
    "creditcard",
    "iban",
    "usssn",
    "email",
    "ip",
];

fn earlier_families_only() -> Preflight {
    let probe = Preflight::from_json(r#"{"scrub": {"patterns": ["!@nothing-by-this-name"]}}"#)
        .expect_err("an unknown family is refused");
    assert!(probe.reason.contains("did you mean"));
    let every: Vec<String> = sentry_preflight::family_names()
        .map(str::to_owned)
        .collect();
    let off: Vec<String> = every
        .iter()
        .filter(|name| !EARLIER_FAMILIES.contains(&name.as_str()))
        .map(|name| format!("!@{name}"))
        .collect();
    Preflight::from_value(&serde_json::json!({"scrub": {"patterns": off}}))
        .expect("switching families off loads")
}

/// Every string of the events that holds nothing the detectors find.
fn clean_strings(events: &[Value], preflight: &Preflight) -> Vec<String> {
    fn collect(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(text) => out.push(text.clone()),
            Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            Value::Object(members) => members.values().for_each(|member| collect(member, out)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    events.iter().for_each(|event| collect(event, &mut strings));
    strings.retain(|text| preflight.secrets_in(text).is_empty());
    strings
}

fn bench(c: &mut Criterion) {
    let defaults = Preflight::from_json("{}").expect("the default policy loads");
    let earlier = earlier_families_only();
    for (name, file) in CORPORA {
        let texts = lines(file);
        let parsed: Vec<Value> = texts
            .iter()
            .map(|text| serde_json::from_str(text).expect("the corpus is JSON"))
            .collect();
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut group = c.benchmark_group(*name);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("serde_json parse + serialize", |b| {
            b.iter(|| {
                for text in &texts {
                    let value: Value = serde_json::from_str(black_box(text)).expect("JSON");
                    black_box(serde_json::to_string(&value).expect("serializable"));
                }
            })
        });
        // A new policy for every pass over the corpus: its memos start empty,
        // as in a process that has just started, and each event finds only
        // what the events before it left (not the same events of the pass
        // before).
        let fresh_defaults = || Preflight::from_json("{}").expect("the default policy loads");
        for (policy_name, policy) in [
            (
                "preflight defaults, process only",
                &fresh_defaults as &dyn Fn() -> Preflight,
            ),
            (
                "preflight, earlier families only, process only",
                &earlier_families_only,
            ),
        ] {
            group.bench_function(policy_name, |b| {
                b.iter_batched(
                    || (policy(), parsed.clone()),
                    |(policy, mut events)| {
                        for event in &mut events {
                            black_box(policy.process_event(event));
                        }
                        (policy, events)
                    },
                    BatchSize::SmallInput,
                )
            });
        }
        group.finish();

        // The event's text without secrets: string by string as the walk
        // hands it over (short strings: the cost per string shows), and the
        // same text as one string (the cost per byte alone).
        let strings = clean_strings(&parsed, &defaults);
        let joined = strings.join("\n");
        let mut group = c.benchmark_group(format!("{name}, text without secrets"));
        group.throughput(Throughput::Bytes(joined.len() as u64));
        for (policy_name, policy) in [
            ("every family", &defaults),
            ("earlier families only", &earlier),
        ] {
            group.bench_function(format!("{policy_name}, string by string"), |b| {
                b.iter(|| {
                    for text in &strings {
                        black_box(policy.secrets_in(black_box(text)));
                    }
                })
            });
            group.bench_function(format!("{policy_name}, as one text"), |b| {
                b.iter(|| black_box(policy.secrets_in(black_box(&joined))))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
