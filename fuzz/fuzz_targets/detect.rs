//! Any text through the one-pass detectors, as a message and a frame's
//! local, under the default policy: no panic, bounded time (libFuzzer's
//! `-timeout`), every finding a range of whole characters inside the text,
//! and nothing a detector finds survives its own redaction: the text sent
//! holds no finding, and processing it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::process;
use serde_json::json;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let preflight = default_preflight();
    for secret in preflight.secrets_in(text) {
        assert!(
            secret.start < secret.end && secret.end <= text.len(),
            "{secret:?}"
        );
        assert!(text.is_char_boundary(secret.start) && text.is_char_boundary(secret.end));
    }
    let event = json!({"message": text, "extra": {"value": text}});
    let Some(sent) = process(preflight, event) else {
        return;
    };
    for place in [&sent["message"], &sent["extra"]["value"]] {
        if let Some(sent_text) = place.as_str() {
            let left = preflight.secrets_in(sent_text);
            assert!(left.is_empty(), "{left:?} survived in {sent_text:?}");
        }
    }
    let again = process(preflight, sent.clone());
    assert_eq!(again.as_ref(), Some(&sent), "processing twice changed more");
});

fn default_preflight() -> &'static Preflight {
    static DEFAULT: std::sync::OnceLock<Preflight> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(|| Preflight::from_json("{}").expect("the default policy loads"))
}
