//! The WASM face of the core, for the npm package.
//!
//! Events cross the boundary as JSON text: `JSON.stringify` is native in
//! every JS engine and far cheaper than building the event object by object
//! through wasm-bindgen. The wrapper writes the text straight into a buffer
//! of this module's memory (`inputMemory`, `inputBuffer`, then `TextEncoder.encodeInto`),
//! the core reads it onto a tape in place (`crate::tape`), and what comes
//! back is only what changed: a patch the wrapper applies to the object it
//! was given, or nothing at all. The typed, friendly API (unbound methods,
//! `PolicyError`, `null` for a dropped event) is the wrapper's job in
//! `pkg/`; this module stays a thin, total function of its inputs.

use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::tape::{value_on, Doc, Tape};
use crate::{Decision, EventTree, Hint, Outcome, Preflight, SamplingContext, SdkOptions};

/// How deep a hint or a sampling context may nest: the 128 levels serde_json's
/// reader allowed them (the SDKs' are a few levels deep).
const JS_VALUE_DEPTH: usize = 128;

/// An input buffer up to this size is kept between calls; a larger one (a
/// 10 MB event) is let go at the next smaller call, so memory stays flat.
const KEPT_INPUT_BYTES: usize = 1 << 20;

/// A loaded policy.
#[wasm_bindgen]
pub struct WasmPreflight {
    inner: Preflight,
    /// Where the wrapper writes the next input's UTF-8 text.
    input: Vec<u8>,
    /// The nodes of the last input (or hint, or sampling context), kept for their allocation.
    tape: Tape,
    /// The last input's patch or drop reason, until taken.
    output: Option<String>,
}

/// The members of a span the core empties when it cannot process one
/// (`SPAN_USER_DATA`), comma-separated: what the wrapper empties itself
/// while no module is ready.
#[wasm_bindgen(js_name = spanUserData)]
pub fn span_user_data() -> String {
    crate::SPAN_USER_DATA.join(",")
}

/// The members of an event's `sdk` no rule reads (`UNREAD_SDK_MEMBERS`),
/// comma-separated: what the wrapper may leave out of an event's text.
#[wasm_bindgen(js_name = unreadSdkMembers)]
pub fn unread_sdk_members() -> String {
    crate::UNREAD_SDK_MEMBERS.join(",")
}

/// This module's memory, where the wrapper writes inputs.
#[wasm_bindgen(js_name = inputMemory)]
pub fn input_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// What became of an input. The process methods return its code, a plain
/// number: an object per call (wasm-bindgen registers each one it hands
/// out for finalisation) would cost more than the code that made it. The
/// text, when there is one, waits in the instance for `takeOutput`.
enum Processed {
    /// Nothing changed: the wrapper hands back the object it was given.
    AsItCame,
    /// What changed, as a patch to apply to the input (see `crate::tape`).
    Patched(String),
    /// Dropped, and why.
    Dropped(String),
}

/// Which hook an input came through.
enum Hook {
    Event(Hint),
    Breadcrumb,
    Log,
    Metric,
    Span,
}

impl Hook {
    fn apply<T: EventTree>(&self, preflight: &Preflight, tree: &mut T) -> Outcome {
        match self {
            Hook::Event(hint) => preflight.process_tree_with_hint(tree, hint),
            Hook::Breadcrumb => preflight.process_breadcrumb(tree),
            Hook::Log => preflight.process_log(tree),
            Hook::Metric => preflight.process_metric(tree),
            // A span cannot be dropped, so one that fails to process goes
            // stripped of its user data when `on_error` is `drop`.
            Hook::Span => {
                if let Outcome::Drop(_) = preflight.process_span(tree) {
                    preflight.strip_span(tree);
                }
                Outcome::Keep
            }
        }
    }
}

/// A sampling decision, read member by member (cheaper than JSON text for three numbers).
#[wasm_bindgen]
pub struct TraceDecision(Decision);

#[wasm_bindgen]
impl TraceDecision {
    #[wasm_bindgen(getter)]
    pub fn sampled(&self) -> bool {
        self.0.sampled
    }

    #[wasm_bindgen(getter, js_name = sampleRate)]
    pub fn sample_rate(&self) -> f64 {
        self.0.sample_rate
    }

    /// `undefined` when the trace had neither a `sample_rand` nor a usable trace id.
    #[wasm_bindgen(getter, js_name = sampleRand)]
    pub fn sample_rand(&self) -> Option<f64> {
        self.0.sample_rand
    }
}

fn sampling_context(text: &str, tape: &mut Tape, now: Option<f64>) -> SamplingContext {
    let context = value_on(text, tape, JS_VALUE_DEPTH).unwrap_or_default();
    SamplingContext {
        now,
        ..SamplingContext::from_json(&context)
    }
}

/// The hint the wrapper read from the SDK's (see `crate::hint`), at the
/// wrapper's clock; text it cannot read is no hint.
fn read_hint(text: Option<&str>, tape: &mut Tape, now: Option<f64>) -> Hint {
    let hint = text.and_then(|text| Hint::from_json_on(text, tape));
    Hint {
        now,
        ..hint.unwrap_or_default()
    }
}

#[wasm_bindgen]
impl WasmPreflight {
    /// Loads a policy from JSON text, with what the SDK's options say of
    /// personal data where the policy is silent (the integration passes
    /// it). A bad policy throws a string holding `{"path": …, "reason": …,
    /// "needsFullModule": …}` (true when only what this build leaves out refused it: see `crate::left_out`)
    /// as JSON, which the wrapper turns into a `PolicyError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        policy_json: &str,
        sdk_send_default_pii: Option<bool>,
    ) -> Result<WasmPreflight, JsValue> {
        let sdk = SdkOptions {
            send_default_pii: sdk_send_default_pii,
        };
        Preflight::from_json_under(policy_json, sdk)
            .map(|inner| WasmPreflight {
                inner,
                input: Vec::new(),
                tape: Tape::default(),
                output: None,
            })
            .map_err(|error| {
                let needs_full_module = crate::left_out::is_refusal(&error);
                JsValue::from_str(&crate::float::json_text(
                    &json!({"path": error.path, "reason": error.reason, "needsFullModule": needs_full_module}),
                ))
            })
    }

    /// Room for an input of up to `capacity` bytes of UTF-8, at the address
    /// returned (an offset into `inputMemory()`), valid until the next call.
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&mut self, capacity: usize) -> usize {
        if capacity <= KEPT_INPUT_BYTES && self.input.len() > KEPT_INPUT_BYTES {
            self.input = Vec::new();
        }
        if self.input.len() < capacity {
            self.input.resize(capacity, 0);
        }
        self.input.as_mut_ptr() as usize
    }

    /// Processes the error or transaction event whose JSON text is the first
    /// `length` bytes of the input buffer, at `now` (the wrapper's clock,
    /// seconds), with what the wrapper read from the SDK's hint when it
    /// carried an error (`{"exception_types": […], "status_code": n, …}` as
    /// JSON text; a hint it cannot read is no hint).
    #[wasm_bindgen(js_name = processEvent)]
    pub fn process_event(
        &mut self,
        length: usize,
        now: Option<f64>,
        hint_json: Option<String>,
    ) -> u32 {
        let hint = read_hint(hint_json.as_deref(), &mut self.tape, now);
        self.answer(Hook::Event(hint), length)
    }

    /// The sample rate for a sampling context given as JSON text at `now`
    /// (the wrapper's clock, seconds), what `tracesSampler` returns; a context
    /// it cannot read gets the default rate.
    #[wasm_bindgen(js_name = tracesSampleRate)]
    pub fn traces_sample_rate(&mut self, context_json: &str, now: Option<f64>) -> f64 {
        self.inner
            .traces_sample_rate(&sampling_context(context_json, &mut self.tape, now))
    }

    /// The decision for a sampling context given as JSON text at `now`.
    #[wasm_bindgen(js_name = decideTrace)]
    pub fn decide_trace(&mut self, context_json: &str, now: Option<f64>) -> TraceDecision {
        TraceDecision(
            self.inner
                .decide_trace(&sampling_context(context_json, &mut self.tape, now)),
        )
    }

    /// Processes one breadcrumb (its text in the input buffer, as for events).
    #[wasm_bindgen(js_name = processBreadcrumb)]
    pub fn process_breadcrumb(&mut self, length: usize) -> u32 {
        self.answer(Hook::Breadcrumb, length)
    }

    /// Processes one log (`beforeSendLog`).
    #[wasm_bindgen(js_name = processLog)]
    pub fn process_log(&mut self, length: usize) -> u32 {
        self.answer(Hook::Log, length)
    }

    /// Processes one metric (`beforeSendMetric`).
    #[wasm_bindgen(js_name = processMetric)]
    pub fn process_metric(&mut self, length: usize) -> u32 {
        self.answer(Hook::Metric, length)
    }

    /// Processes one streamed span. A span cannot be dropped, so one that
    /// fails to process comes back stripped of its user data when
    /// `on_error` is `drop`.
    #[wasm_bindgen(js_name = processSpan)]
    pub fn process_span(&mut self, length: usize) -> u32 {
        self.answer(Hook::Span, length)
    }

    /// True when the policy's `on_error` is `drop` (the wrapper needs it for
    /// errors that happen on the JS side of the boundary).
    #[wasm_bindgen(js_name = dropsOnError)]
    pub fn drops_on_error(&self) -> bool {
        self.inner.policy().on_error == crate::OnError::Drop
    }

    /// `limits.max_depth`: the wrapper cuts an event too deep for
    /// `JSON.stringify` below it, as the walk would.
    #[wasm_bindgen(js_name = maxDepth)]
    pub fn max_depth(&self) -> usize {
        self.inner.policy().limits.max_depth
    }

    /// The patch or drop reason of the last input, once (it moves out).
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output(&mut self) -> Option<String> {
        self.output.take()
    }

    /// Processes the input and answers with what became of it: 0 as it
    /// came, 1 patched, 2 dropped (the last two with text for `takeOutput`).
    fn answer(&mut self, hook: Hook, length: usize) -> u32 {
        let (code, output) = match self.process(length, hook) {
            Processed::AsItCame => (0, None),
            Processed::Patched(patch) => (1, Some(patch)),
            Processed::Dropped(reason) => (2, Some(reason)),
        };
        self.output = output;
        code
    }

    fn process(&mut self, length: usize, hook: Hook) -> Processed {
        let inner = &self.inner;
        let Some(bytes) = self.input.get(..length) else {
            return failed(inner, "the input is longer than its buffer");
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            return failed(inner, "the input is not UTF-8");
        };
        let doc = match Doc::read(text, &mut self.tape) {
            Ok(doc) => doc,
            // Including text that names a member twice, which `JSON.stringify`
            // never writes: walking it as a `Value` too would double the
            // module's processing code for input no SDK sends.
            Err(error) => return failed(inner, &error.to_string()),
        };
        match hook.apply(inner, &mut doc.root()) {
            Outcome::Keep if doc.is_unchanged() => Processed::AsItCame,
            Outcome::Keep => Processed::Patched(doc.patch()),
            Outcome::Drop(reason) => Processed::Dropped(reason),
        }
    }
}

/// An input that could not be processed, as `on_error` says: sent as it
/// came, or dropped.
fn failed(inner: &Preflight, reason: &str) -> Processed {
    match inner.failed(reason) {
        Outcome::Keep => Processed::AsItCame,
        Outcome::Drop(reason) => Processed::Dropped(reason),
    }
}
