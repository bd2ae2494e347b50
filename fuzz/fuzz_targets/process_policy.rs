//! A policy and an event together (`{"policy": …, "kind": …, "input": …}`,
//! the shape of the shared vectors, which seed it): every policy that
//! loads processes any event, breadcrumb, span, log, metric or sampling
//! context.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::{check_sampling, exercise, process};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(case) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(policy) = case.get("policy") else {
        return;
    };
    let Ok(preflight) = Preflight::from_value(policy) else {
        return;
    };
    let mut input = case.get("input").cloned().unwrap_or(Value::Null);
    match case.get("kind").and_then(Value::as_str) {
        Some("breadcrumb") => {
            preflight.process_breadcrumb(&mut input);
        }
        Some("span") => {
            preflight.process_span(&mut input);
        }
        Some("log") => {
            preflight.process_log(&mut input);
        }
        Some("metric") => {
            preflight.process_metric(&mut input);
        }
        Some("sampling") => {
            for context in input.as_array().into_iter().flatten() {
                check_sampling(&preflight, context);
            }
        }
        _ => {
            process(&preflight, input);
        }
    }
    exercise(&preflight);
});
