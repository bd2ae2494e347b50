//! sentry-python's sampling context, read into the core's.
//!
//! `traces_sampler` gets `{"transaction_context": {...}, "parent_sampled": …}`
//! plus whatever integrations add (`wsgi_environ`, `asgi_scope`: not JSON,
//! not needed), and the transaction context holds datetimes: only the
//! members the core reads are copied out, one by one.

use pyo3::prelude::*;
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

pub(crate) fn context(object: &Bound<'_, PyAny>) -> SamplingContext {
    let mut members = copy(object, &MEMBERS);
    if let Ok(transaction) = object.get_item("transaction_context") {
        members.insert(
            "transaction_context".to_owned(),
            Value::Object(copy(&transaction, &TRANSACTION_MEMBERS)),
        );
    }
    SamplingContext::from_json(&Value::Object(members))
}

fn copy(object: &Bound<'_, PyAny>, keys: &[&str]) -> Map<String, Value> {
    let mut members = Map::new();
    for key in keys {
        if let Ok(value) = object.get_item(*key) {
            if let Ok(json) = to_json(&value) {
                members.insert((*key).to_owned(), json);
            }
        }
    }
    members
}
