//! Any text as the JS package reads it: onto a tape, exactly when serde_json
//! reads it and as the same value, processed under the default policy into
//! a patch that, applied to serde_json's value, gives what the `Value` path
//! gives; and read as a `Value` through the tape (`value_of`, how the
//! policy, hints and sampling contexts are read), the value serde_json reads.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentry_preflight::tape::{value_of, Doc, ReadError, Tape};
use sentry_preflight::Preflight;
use sentry_preflight_fuzz::check_text_path;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match serde_json::from_str::<Value>(text) {
        Ok(value) => {
            match value_of(text, 128) {
                Ok(through_tape) => assert_eq!(through_tape, value, "value_of read another value"),
                // serde_json keeps the last of two members of one name.
                Err(ReadError::DuplicateKey) => {}
                Err(error) => panic!("value_of refused text serde_json reads: {error}"),
            }
            check_text_path(default_preflight(), twin(), None, text, &value)
        }
        // Past 128 levels serde_json stops, where the tape (which does not
        // recurse) goes on.
        Err(error) if error.to_string().starts_with("recursion limit exceeded") => {}
        Err(error) => assert!(
            Doc::read(text, &mut Tape::default()).is_err(),
            "the tape read text serde_json refuses: {error}"
        ),
    }
});

fn default_preflight() -> &'static Preflight {
    static DEFAULT: std::sync::OnceLock<Preflight> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(|| Preflight::from_json("{}").expect("the default policy loads"))
}

fn twin() -> &'static Preflight {
    static TWIN: std::sync::OnceLock<Preflight> = std::sync::OnceLock::new();
    TWIN.get_or_init(|| Preflight::from_json("{}").expect("the default policy loads"))
}
