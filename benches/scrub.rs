//! What the default policy costs on real events, next to the cost every
//! event already pays: a serde_json parse and serialize.
//!
//! The events are `samples/sentry-python-large-events.jsonl`: errors captured
//! with the real sentry-sdk, 16–20 KB each (long stacks with locals,
//! breadcrumbs, request data). Run with `cargo bench --bench scrub`. The
//! Relay-compatible mode (Relay's legacy data-scrubbing settings) is measured
//! on the same events.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sentry_preflight::Preflight;
use serde_json::Value;

fn events() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/sentry-python-large-events.jsonl"
    );
    std::fs::read_to_string(path)
        .expect("the sample events are in the repository")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Fifty rules of every kind, none of which matches before the last: every
/// event is tested against all of them (the worst case), and the last one
/// matches the samples' exceptions.
fn fifty_rules() -> Vec<String> {
    let mut rules = Vec::new();
    for n in 0..12 {
        rules.push(format!(
            "error.type:Service{n}Error tags.region:eu-* -> service-{n}, {{{{ tags.region }}}}"
        ));
        rules.push(format!(
            "stack.function:handle_{n} stack.module:app.views.v{n} -> view-{n}, {{{{ function }}}}"
        ));
        rules.push(format!(
            "message:\"*upstream {n} timed out*\" -> upstream-{n}"
        ));
        rules.push(format!(
            "path:\"**/jobs/job_{n}.py\" !app:no -> job-{n}, {{{{ path }}}}"
        ));
    }
    rules.push("logger:celery.* level:warning -> celery, {{ logger }}".to_owned());
    rules.push("error.type:* -> {{ type }}, {{ value }}".to_owned());
    rules
}

fn bench(c: &mut Criterion) {
    let texts = events();
    let parsed: Vec<Value> = texts
        .iter()
        .map(|text| serde_json::from_str(text).expect("sample events are JSON"))
        .collect();
    let preflight = Preflight::from_json("{}").expect("the default policy loads");
    let relay_legacy = Preflight::from_json(
        r#"{"scrub": {"defaults": false, "datascrubbing":
            {"scrubData": true, "scrubDefaults": true, "scrubIpAddresses": true}}}"#,
    )
    .expect("the legacy settings load");
    let fingerprint_rules = Preflight::from_value(&serde_json::json!({
        "scrub": {"defaults": false},
        "fingerprint": {"rules": fifty_rules(), "parameterize_messages": true}
    }))
    .expect("the rules load");
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut group = c.benchmark_group("large sentry-python events");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("serde_json parse + serialize", |b| {
        b.iter(|| {
            for text in &texts {
                let value: Value = serde_json::from_str(black_box(text)).expect("JSON");
                black_box(serde_json::to_string(&value).expect("serializable"));
            }
        })
    });
    for (name, policy) in [
        ("preflight default policy (process only)", &preflight),
        (
            "preflight Relay legacy settings (process only)",
            &relay_legacy,
        ),
        (
            "preflight 50 fingerprint rules, no scrubbing (process only)",
            &fingerprint_rules,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter_batched(
                || parsed.clone(),
                |mut events| {
                    for event in &mut events {
                        black_box(policy.process_event(event));
                    }
                    events
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.bench_function(
        "preflight default policy (parse + process + serialize)",
        |b| {
            b.iter(|| {
                for text in &texts {
                    let mut value: Value = serde_json::from_str(black_box(text)).expect("JSON");
                    preflight.process_event(&mut value);
                    black_box(serde_json::to_string(&value).expect("serializable"));
                }
            })
        },
    );
    group.finish();

    let sampler = Preflight::from_value(
        &serde_json::json!({"sampling": {"traces": {"default_rate": 0.05, "rules": [
            {"name": "*/health*", "rate": 0, "force": true},
            {"name": "/api/payment*", "op": "http.server", "rate": 0.5},
            {"name": "/api/*", "attributes": {"http.request.method": "POST"}, "rate": 0.25}
        ]}}}),
    )
    .expect("the sampling rules load");
    let context = sentry_preflight::SamplingContext::from_json(&serde_json::json!({
        "name": "/api/orders", "op": "http.server", "trace_id": "67e5504410b1426f9247bb680e5fe0c8",
        "attributes": {"http.request.method": "GET"}
    }));
    c.bench_function(
        "sampling decision (3 rules, none matching but the default)",
        |b| b.iter(|| black_box(sampler.decide_trace(black_box(&context)))),
    );

    let relay_shaped = Preflight::from_value(
        &serde_json::json!({"sampling": {"traces": {"default_rate": 0.05, "rules": [
            {"condition": {"op": "eq", "name": "trace.environment", "value": ["staging", "dev"],
                           "options": {"ignoreCase": true}}, "factor": 4},
            {"factor": 0.5, "time_range": {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}},
            {"condition": {"op": "and", "inner": [
                {"op": "glob", "name": "trace.transaction", "value": ["/launch*", "/promo*"]},
                {"op": "gte", "name": "attributes.cart.items", "value": 3}]},
             "rate": 1, "time_range": {"start": "2026-11-01T00:00:00Z", "end": "2026-12-01T00:00:00Z"},
             "decay": {"type": "linear", "decayed_value": 0.1}},
            {"condition": {"op": "not", "inner": {"op": "eq", "name": "release", "value": null}},
             "name": "/api/*", "rate": 0.3}
        ]}}}),
    )
    .expect("the Relay-shaped sampling rules load");
    let mut launch = sentry_preflight::SamplingContext::from_json(&serde_json::json!({
        "name": "/launch/checkout", "trace_id": "67e5504410b1426f9247bb680e5fe0c8",
        "environment": "Staging", "release": "1.2.3", "attributes": {"cart.items": 4}
    }));
    launch.now = Some(1_795_327_200.0);
    c.bench_function(
        "sampling decision (4 Relay-shaped rules: factors, a decaying time range, and/not/glob/gte)",
        |b| b.iter(|| black_box(relay_shaped.decide_trace(black_box(&launch)))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
