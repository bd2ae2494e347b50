//! sentry-python's sampling context, read into the core's.
//!
//! `traces_sampler` gets `{"transaction_context": {...}, "parent_sampled": …}`
//! plus whatever integrations add (`wsgi_environ`, `asgi_scope`: not JSON,
//! not needed). Only the members the core reads are copied out.

use pyo3::prelude::*;
use sentry_preflight::SamplingContext;
use serde_json::{Map, Value};

use crate::convert::to_json;

const MEMBERS: [&str; 10] = [
    "transaction_context",
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

pub(crate) fn context(object: &Bound<'_, PyAny>) -> SamplingContext {
    let mut members = Map::new();
    for key in MEMBERS {
        if let Ok(value) = object.get_item(key) {
            if let Ok(json) = to_json(&value) {
                members.insert(key.to_owned(), json);
            }
        }
    }
    SamplingContext::from_json(&Value::Object(members))
}
