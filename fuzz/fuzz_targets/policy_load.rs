//! Any bytes as a policy document: loading rejects or accepts, never
//! panics; an accepted policy processes the real events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::exercise;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Preflight::from_json(text) {
        Ok(preflight) => exercise(&preflight),
        Err(error) => assert!(!error.reason.is_empty(), "a rejection without a reason"),
    }
});
