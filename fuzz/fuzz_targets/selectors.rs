//! Any text as a Relay selector (`scrub.relay.applications`): parsed, and
//! the selectors that parse matched against the real events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::{check_rejection, exercise};
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(selector) = std::str::from_utf8(data) else {
        return;
    };
    let policy = json!({
        "scrub": { "relay": { "applications": { selector: ["@anything:mask"] } } }
    });
    match Preflight::from_value(&policy) {
        Ok(preflight) => exercise(&preflight),
        Err(error) => check_rejection(&error, "scrub.relay.applications"),
    }
});
