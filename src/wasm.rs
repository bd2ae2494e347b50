//! The WASM face of the core, for the npm package.
//!
//! Events cross the boundary as JSON text: `JSON.stringify` and `JSON.parse`
//! are native in every JS engine and far cheaper than building the event
//! object by object through wasm-bindgen. The typed, friendly API (unbound
//! methods, `PolicyError`, `null` for a dropped event) is the JS wrapper's
//! job in `pkg/`; this module stays a thin, total function of its inputs.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::{Decision, ExceptionData, Hint, Outcome, Preflight, SamplingContext, SdkOptions};

/// A loaded policy.
#[wasm_bindgen]
pub struct WasmPreflight {
    inner: Preflight,
}

/// The result of processing one event or breadcrumb.
#[wasm_bindgen]
pub struct Processed {
    output: Option<String>,
    drop_reason: Option<String>,
    /// The output is the input's text byte for byte: the wrapper hands back
    /// the object it was given, and no text crosses back nor is parsed.
    unchanged: bool,
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

#[wasm_bindgen]
impl Processed {
    /// The processed JSON text, once (it moves out); `undefined` when
    /// dropped or unchanged.
    #[wasm_bindgen(js_name = takeOutput)]
    pub fn take_output(&mut self) -> Option<String> {
        self.output.take()
    }

    /// Whether processing left the text as it came.
    #[wasm_bindgen(getter)]
    pub fn unchanged(&self) -> bool {
        self.unchanged
    }

    /// Why the input was dropped; `undefined` when kept.
    #[wasm_bindgen(getter, js_name = dropReason)]
    pub fn drop_reason(&self) -> Option<String> {
        self.drop_reason.clone()
    }
}

fn sampling_context(text: &str, now: Option<f64>) -> SamplingContext {
    let context = serde_json::from_str(text).unwrap_or_default();
    SamplingContext {
        now,
        ..SamplingContext::from_json(&context)
    }
}

fn read_hint(text: &str) -> Hint {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return Hint::default();
    };
    Hint {
        now: value["now"].as_f64(),
        exception_types: value["exception_types"]
            .as_array()
            .map(|names| {
                names
                    .iter()
                    .filter_map(|name| name.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        status_code: value["status_code"]
            .as_u64()
            .and_then(|status| u16::try_from(status).ok()),
        exception_data: ExceptionData {
            tags: value["tags"]
                .as_object()
                .map(|tags| {
                    tags.iter()
                        .map(|(key, tag)| {
                            (
                                key.clone(),
                                tag.as_str().map_or_else(|| tag.to_string(), str::to_owned),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
            contexts: value["contexts"]
                .as_object()
                .map(|contexts| {
                    contexts
                        .iter()
                        .filter(|(_, context)| context.is_object())
                        .map(|(name, context)| (name.clone(), context.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            fingerprint: value["fingerprint"].as_array().and_then(|parts| {
                parts
                    .iter()
                    .map(|part| part.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .filter(|parts| !parts.is_empty())
            }),
        },
    }
}

#[wasm_bindgen]
impl WasmPreflight {
    /// Loads a policy from JSON text, with what the SDK's options say of
    /// personal data where the policy is silent (the integration passes
    /// it). A bad policy throws a string holding `{"path": …, "reason": …}`
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
            .map(|inner| WasmPreflight { inner })
            .map_err(|error| {
                JsValue::from_str(&json!({"path": error.path, "reason": error.reason}).to_string())
            })
    }

    /// Processes an error or transaction event given as JSON text, with what
    /// the wrapper read from the SDK's hint (`{"exception_types": […],
    /// "status_code": n}` as JSON text; a hint it cannot read is no hint).
    #[wasm_bindgen(js_name = processEvent)]
    pub fn process_event(&self, event_json: &str, hint_json: Option<String>) -> Processed {
        let hint = hint_json.as_deref().map(read_hint).unwrap_or_default();
        self.process(event_json, |pf, value| {
            pf.process_tree_with_hint(value, &hint)
        })
    }

    /// The sample rate for a sampling context given as JSON text at `now`
    /// (the wrapper's clock, seconds), what `tracesSampler` returns; a context
    /// it cannot read gets the default rate.
    #[wasm_bindgen(js_name = tracesSampleRate)]
    pub fn traces_sample_rate(&self, context_json: &str, now: Option<f64>) -> f64 {
        self.inner
            .traces_sample_rate(&sampling_context(context_json, now))
    }

    /// The decision for a sampling context given as JSON text at `now`.
    #[wasm_bindgen(js_name = decideTrace)]
    pub fn decide_trace(&self, context_json: &str, now: Option<f64>) -> TraceDecision {
        TraceDecision(
            self.inner
                .decide_trace(&sampling_context(context_json, now)),
        )
    }

    /// Processes one breadcrumb given as JSON text.
    #[wasm_bindgen(js_name = processBreadcrumb)]
    pub fn process_breadcrumb(&self, crumb_json: &str) -> Processed {
        self.process(crumb_json, |pf, value| pf.process_breadcrumb(value))
    }

    /// Processes one log given as JSON text (`beforeSendLog`).
    #[wasm_bindgen(js_name = processLog)]
    pub fn process_log(&self, log_json: &str) -> Processed {
        self.process(log_json, |pf, value| pf.process_log(value))
    }

    /// Processes one metric given as JSON text (`beforeSendMetric`).
    #[wasm_bindgen(js_name = processMetric)]
    pub fn process_metric(&self, metric_json: &str) -> Processed {
        self.process(metric_json, |pf, value| pf.process_metric(value))
    }

    /// Processes one streamed span given as JSON text. A span cannot be
    /// dropped, so one that fails to process comes back stripped of its user
    /// data when `on_error` is `drop`.
    #[wasm_bindgen(js_name = processSpan)]
    pub fn process_span(&self, span_json: &str) -> Processed {
        self.process(span_json, |pf, value| match pf.process_span(value) {
            Outcome::Drop(_) => {
                pf.strip_span(value);
                Outcome::Keep
            }
            Outcome::Keep => Outcome::Keep,
        })
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

    fn process(
        &self,
        input: &str,
        run: impl FnOnce(&Preflight, &mut Value) -> Outcome,
    ) -> Processed {
        let failed = |reason: String| match self.inner.failed(&reason) {
            Outcome::Keep => Ok(input.to_owned()),
            Outcome::Drop(reason) => Err(reason),
        };
        let outcome = match self.inner.read_event(input) {
            // Not `to_string`: that writes through the formatting machinery,
            // several times slower than serde_json's own writer.
            Ok(mut value) => match run(&self.inner, &mut value) {
                Outcome::Keep => serde_json::to_string(&value)
                    .or_else(|error| failed(format!("not serialisable: {error}"))),
                Outcome::Drop(reason) => Err(reason),
            },
            Err(error) => failed(format!("not valid JSON: {error}")),
        };
        match outcome {
            Ok(output) if output == input => Processed {
                output: None,
                drop_reason: None,
                unchanged: true,
            },
            Ok(output) => Processed {
                output: Some(output),
                drop_reason: None,
                unchanged: false,
            },
            Err(reason) => Processed {
                output: None,
                drop_reason: Some(reason),
                unchanged: false,
            },
        }
    }
}
