//! What the fuzz targets share: the real events a fuzzed policy is run on,
//! and the checks every result must pass. A failed check panics, which
//! libFuzzer reports as a crash, exactly as it reports a panic inside
//! preflight: both would reach the host as an exception.

use std::sync::OnceLock;

use sentry_preflight::tape::{apply_patch, Doc, ReadError, Tape};
use sentry_preflight::{EventTree, Outcome, Preflight, SamplingContext};
use serde_json::Value;

/// Events captured from the real sentry-sdk (`samples/`): errors with
/// frames and local variables, a message, transactions with spans. The
/// small set: a fuzzed policy runs on all of them for every input, so their
/// size divides the inputs run (`samples/sentry-python-large-events.jsonl`
/// seeds `process_default` instead).
const SAMPLE_EVENTS: &str = include_str!("../../samples/sentry-python-events.jsonl");

pub fn sample_events() -> &'static [Value] {
    static EVENTS: OnceLock<Vec<Value>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        SAMPLE_EVENTS
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).expect("samples/ holds JSON lines"))
            .collect()
    })
}

/// Processes one event and checks what is sent: an object stays an object
/// (a kept event is still an event), and it serialises as JSON.
pub fn process(preflight: &Preflight, mut event: Value) -> Option<Value> {
    let was_object = event.is_object();
    match preflight.process_event(&mut event) {
        Outcome::Keep => {
            assert_eq!(
                event.is_object(),
                was_object,
                "processing changed the event's type"
            );
            serde_json::to_vec(&event).expect("a processed event serialises");
            Some(event)
        }
        Outcome::Drop(_) => None,
    }
}

/// Runs a policy over every real event and each part the SDKs hand over on
/// its own: breadcrumbs (`before_breadcrumb`), spans (`before_send_span`)
/// and the trace context a sampler sees.
pub fn exercise(preflight: &Preflight) {
    for event in sample_events() {
        process(preflight, event.clone());
        for crumb in items(event, "breadcrumbs") {
            let mut crumb = crumb.clone();
            preflight.process_breadcrumb(&mut crumb);
        }
        for span in items(event, "spans") {
            let mut span = span.clone();
            preflight.process_span(&mut span);
        }
        if let Some(trace) = event.pointer("/contexts/trace") {
            check_sampling(preflight, trace);
        }
    }
}

/// A sampler's answer is a rate in [0, 1], and the decision agrees with it.
pub fn check_sampling(preflight: &Preflight, context: &Value) {
    let context = SamplingContext::from_json(context);
    let rate = preflight.traces_sample_rate(&context);
    assert!(
        (0.0..=1.0).contains(&rate),
        "sample rate {rate} is not in [0, 1]"
    );
    let decision = preflight.decide_trace(&context);
    assert!((0.0..=1.0).contains(&decision.sample_rate));
    if decision.sample_rate == 0.0 {
        assert!(!decision.sampled, "sampled at rate 0");
    }
    if decision.sample_rate == 1.0 {
        assert!(decision.sampled, "not sampled at rate 1");
    }
}

/// A list the SDKs send either bare or as `{"values": [...]}`.
fn items<'e>(event: &'e Value, key: &str) -> &'e [Value] {
    let list = event.get(key);
    let list = list.and_then(|value| value.get("values")).or(list);
    list.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A rejected policy names where and why, as the bindings show it to users.
pub fn check_rejection(error: &sentry_preflight::PolicyError, expected_path: &str) {
    assert!(
        error.path.starts_with(expected_path),
        "error at {:?}, expected under {expected_path:?}: {}",
        error.path,
        error.reason
    );
    assert!(!error.reason.is_empty(), "a rejection without a reason");
}

/// An input through the hook of its kind (`breadcrumb`, `span`, `log`,
/// `metric`, else an event), in any tree.
pub fn process_kind<T: EventTree>(
    preflight: &Preflight,
    kind: Option<&str>,
    tree: &mut T,
) -> Outcome {
    match kind {
        Some("breadcrumb") => preflight.process_breadcrumb(tree),
        Some("span") => preflight.process_span(tree),
        Some("log") => preflight.process_log(tree),
        Some("metric") => preflight.process_metric(tree),
        _ => preflight.process_tree(tree),
    }
}

/// The JS package's path agrees with the `Value` path: `text` (which
/// serde_json read as `value`) read onto a tape holds the same value, and
/// the patch processing it writes, applied to `value`, gives what processing
/// `value` gives. `twin` is the same policy loaded again, so that a budget's
/// state is the same on both paths.
pub fn check_text_path(
    preflight: &Preflight,
    twin: &Preflight,
    kind: Option<&str>,
    text: &str,
    value: &Value,
) {
    let mut tape = Tape::default();
    let doc = match Doc::read(text, &mut tape) {
        Ok(doc) => doc,
        // serde_json keeps the last of two same-named members; the JS
        // package reads such text as a `Value` instead.
        Err(ReadError::DuplicateKey) => return,
        Err(error) => panic!("the tape refused text serde_json reads: {error}"),
    };
    assert_eq!(&doc.root().to_json(), value, "the tape reads another value");
    let mut direct = value.clone();
    let expected = process_kind(preflight, kind, &mut direct);
    let outcome = process_kind(twin, kind, &mut doc.root());
    assert_eq!(outcome, expected, "the paths disagree on dropping");
    if outcome == Outcome::Keep {
        let mut patched = value.clone();
        apply_patch(&mut patched, &doc.patch()).expect("the patch applies to its input");
        assert_eq!(
            patched, direct,
            "the patched input differs from the processed value"
        );
        assert_eq!(
            doc.is_unchanged(),
            &direct == value,
            "unchanged is said exactly when nothing changed"
        );
    }
}
