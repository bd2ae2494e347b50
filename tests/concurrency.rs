//! One `Preflight` shared by many threads gives what one thread gives,
//! event for event (issue: reliability).

use std::sync::Arc;
use std::thread;

use sentry_preflight::Preflight;
use serde_json::Value;

fn events() -> Vec<Value> {
    let root = env!("CARGO_MANIFEST_DIR");
    [
        "samples/sentry-python-events.jsonl",
        "samples/sentry-python-large-events.jsonl",
    ]
    .iter()
    .flat_map(|file| {
        std::fs::read_to_string(format!("{root}/{file}"))
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
    .map(|line| serde_json::from_str(&line).unwrap())
    .collect()
}

/// Each event processed, as text, with the outcome.
fn processed(preflight: &Preflight, events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|event| {
            let mut event = event.clone();
            let outcome = preflight.process_event(&mut event);
            format!("{outcome:?} {event}")
        })
        .collect()
}

#[test]
fn eight_threads_sharing_one_preflight_get_the_sequential_results() {
    let policy = r#"{"scrub": {"datascrubbing": {"scrubData": true, "scrubDefaults": true}},
                     "fingerprint": {"rules": "error.type:ValueError -> value-error"},
                     "tags": {"required": ["release"], "on_invalid": "move"}}"#;
    let preflight = Arc::new(Preflight::from_json(policy).unwrap());
    let events = Arc::new(events());
    let sequential = processed(&preflight, &events);
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (preflight, events) = (Arc::clone(&preflight), Arc::clone(&events));
            thread::spawn(move || {
                (0..5)
                    .map(|_| processed(&preflight, &events))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for worker in workers {
        for round in worker.join().unwrap() {
            assert_eq!(round, sequential);
        }
    }
}
