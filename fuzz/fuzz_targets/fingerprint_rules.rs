//! Any text as `fingerprint.rules`: Sentry's rule language parsed, and the
//! rules that parse applied to the real events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::{check_rejection, exercise};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = std::str::from_utf8(data) else {
        return;
    };
    match Preflight::from_value(&json!({ "fingerprint": { "rules": rules } })) {
        Ok(preflight) => exercise(&preflight),
        Err(error) => check_rejection(&error, "fingerprint.rules"),
    }
});
