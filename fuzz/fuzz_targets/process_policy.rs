//! A policy and an event together (`{"policy": …, "kind": …, "input": …}`,
//! the shape of the shared vectors, which seed it): every policy that
//! loads processes any event, breadcrumb, span, log, metric or sampling
//! context, and the JS package's text path gives the same output as the
//! `Value` path.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::{check_sampling, check_text_path, exercise, process, process_kind};
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
    let kind = case.get("kind").and_then(Value::as_str);
    match kind {
        Some("sampling") => {
            for context in input.as_array().into_iter().flatten() {
                check_sampling(&preflight, context);
            }
        }
        Some("breadcrumb" | "span" | "log" | "metric") => {
            process_kind(&preflight, kind, &mut input);
        }
        _ => {
            process(&preflight, input.clone());
        }
    }
    if kind != Some("sampling") {
        let (Ok(once), Ok(twice)) = (Preflight::from_value(policy), Preflight::from_value(policy))
        else {
            return;
        };
        let input = case.get("input").cloned().unwrap_or(Value::Null);
        check_text_path(&once, &twice, kind, &input.to_string(), &input);
    }
    exercise(&preflight);
});
