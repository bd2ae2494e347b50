//! sentry-python's sampling context, read into the core's.
//!
//! `traces_sampler` gets `{"transaction_context": {...}, "parent_sampled": …}`
//! plus whatever integrations add (`wsgi_environ`, `asgi_scope`: not JSON,
//! not needed), and the transaction context holds datetimes: only the
//! members the core reads are copied out, one by one.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use sentry_preflight::SamplingContext;
use serde_json::{Map, Value};

use crate::convert::to_json;

const MEMBERS: [&str; 9] = [
    "parent_sampled",
    "parent_sample_rate",
    "sample_rand",
    "name",
    "op",
    "trace_id",
    "environment",
    "release",
    "attributes",
];

/// What the core reads from sentry-python's `transaction_context`.
const TRANSACTION_MEMBERS: [&str; 5] = ["name", "op", "trace_id", "parent_sampled", "data"];

/// The context at `now` (the binding's clock).
pub(crate) fn context(object: &Bound<'_, PyAny>, now: Option<f64>) -> SamplingContext {
    let mut members = copy(object, &MEMBERS);
    let transaction = match object.cast::<PyDict>() {
        Ok(dict) => dict.get_item("transaction_context").ok().flatten(),
        Err(_) => object.get_item("transaction_context").ok(),
    };
    if let Some(transaction) = transaction {
        members.insert(
            "transaction_context".to_owned(),
            Value::Object(copy(&transaction, &TRANSACTION_MEMBERS)),
        );
    }
    SamplingContext {
        now,
        ..SamplingContext::from_json(&Value::Object(members))
    }
}

fn copy(object: &Bound<'_, PyAny>, keys: &[&str]) -> Map<String, Value> {
    let mut members = Map::new();
    let mut keep = |key: &str, value: &Bound<'_, PyAny>| {
        if let Ok(json) = to_json(value) {
            members.insert(key.to_owned(), json);
        }
    };
    match object.cast::<PyDict>() {
        // One pass over a dict's few items: looking each wanted key up would
        // make a Python string per key, and cost more than the decision.
        Ok(dict) => {
            for (key, value) in dict.iter() {
                let Ok(key) = key.cast::<PyString>() else {
                    continue;
                };
                if let Ok(key) = key.to_cow() {
                    if keys.contains(&key.as_ref()) {
                        keep(&key, &value);
                    }
                }
            }
        }
        Err(_) => {
            for key in keys {
                if let Ok(value) = object.get_item(*key) {
                    keep(key, &value);
                }
            }
        }
    }
    members
}
