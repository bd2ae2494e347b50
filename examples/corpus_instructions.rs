//! The work `benchmarks/instructions` counts with callgrind: either
//! serde_json's parse and serialize of every event of a corpus, or
//! preflight's processing of the same events (parsed beforehand, outside
//! what is counted). Instruction counts do not move with a shared machine's
//! noise, so the ratio of the two is the same from run to run.
//!
//! `process` is a process sending the corpus's events one after another
//! (what one event leaves in the memos, the next finds); `process-cold`
//! gives each event a policy of its own, compiled beforehand, so that every
//! event finds the memos empty, as the first event of a process does.
//! `tape` (and `tape-spans`) is the JS package's core instead: each event's
//! text read onto the tape, processed there and its patch written, with no
//! `serde_json::Value` (src/tape/), one policy for the whole corpus.
//!
//!     cargo run --release --example corpus_instructions -- samples/corpus/python-errors.jsonl process '{}'

use sentry_preflight::tape::{Doc, Tape};
use sentry_preflight::Preflight;
use serde_json::Value;

/// What callgrind counts for the round trip (`--toggle-collect` names it).
#[inline(never)]
fn serde_round_trip(texts: &[String]) -> usize {
    texts
        .iter()
        .map(|text| {
            let value: Value = serde_json::from_str(text).expect("the corpus is JSON");
            serde_json::to_string(&value).expect("serializable").len()
        })
        .sum()
}

/// What callgrind counts for preflight: `before_send`'s work, or
/// `before_send_span`'s for a corpus of streamed spans.
#[inline(never)]
fn process_all(preflights: &[Preflight], events: &mut [Value], spans: bool) -> usize {
    events
        .iter_mut()
        .zip(preflights.iter().cycle())
        .map(|(event, preflight)| {
            let outcome = if spans {
                preflight.process_span(event)
            } else {
                preflight.process_event(event)
            };
            usize::from(outcome == sentry_preflight::Outcome::Keep)
        })
        .sum()
}

/// What callgrind counts for the tape path: reading, processing and the
/// patch, per event, on one tape kept between events (as the binding keeps it).
#[inline(never)]
fn tape_all(preflight: &Preflight, texts: &[String], spans: bool) -> usize {
    let mut tape = Tape::default();
    texts
        .iter()
        .map(|text| {
            let doc = Doc::read(text, &mut tape).expect("the corpus is JSON");
            let mut root = doc.root();
            if spans {
                preflight.process_span(&mut root);
            } else {
                preflight.process_tree(&mut root);
            }
            if doc.is_unchanged() {
                0
            } else {
                doc.patch().len()
            }
        })
        .sum()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(file), Some(mode)) = (args.next(), args.next()) else {
        eprintln!(
            "usage: corpus_instructions FILE serde|process[-spans][-cold]|tape[-spans] [POLICY]"
        );
        std::process::exit(2);
    };
    let policy = args.next().unwrap_or_else(|| "{}".to_owned());
    let texts: Vec<String> = std::fs::read_to_string(&file)
        .unwrap_or_else(|error| panic!("{file}: {error}"))
        .lines()
        .map(str::to_owned)
        .collect();
    let result = match mode.as_str() {
        "serde" => serde_round_trip(&texts),
        "tape" | "tape-spans" => {
            let preflight = Preflight::from_json(&policy).expect("the policy loads");
            tape_all(&preflight, &texts, mode == "tape-spans")
        }
        _ => {
            let policies = if mode.ends_with("-cold") {
                texts.len()
            } else {
                1
            };
            let preflights: Vec<Preflight> = (0..policies)
                .map(|_| Preflight::from_json(&policy).expect("the policy loads"))
                .collect();
            let mut events: Vec<Value> = texts
                .iter()
                .map(|text| serde_json::from_str(text).expect("the corpus is JSON"))
                .collect();
            let kept = process_all(&preflights, &mut events, mode.starts_with("process-spans"));
            // Freed outside what is counted, as the round trip's values are.
            drop(events);
            kept
        }
    };
    println!("{result}");
}
