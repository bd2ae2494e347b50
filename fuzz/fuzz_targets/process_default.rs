//! Any text as an event under the default policy, read as the JS package
//! reads it (`Preflight::read_event`, which takes text deeper than
//! serde_json reads): read as serde_json reads it when it can, processed in
//! bounded time without a panic, and processing what was sent changes
//! nothing more (the idempotence `tests/properties.rs` checks on generated
//! events).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::process;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let preflight = default_preflight();
    let Ok(event) = preflight.read_event(text) else {
        return;
    };
    if let Ok(direct) = serde_json::from_str::<Value>(text) {
        assert_eq!(
            direct, event,
            "read_event reads shallow text as serde_json does"
        );
    }
    if let Some(sent) = process(preflight, event) {
        let again = process(preflight, sent.clone());
        assert_eq!(again.as_ref(), Some(&sent), "processing twice changed more");
    }
});

fn default_preflight() -> &'static Preflight {
    static DEFAULT: std::sync::OnceLock<Preflight> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(|| Preflight::from_json("{}").expect("the default policy loads"))
}
