//! What preflight needs from sentry-sdk's `hint`, read into plain data.
//!
//! sentry-sdk passes the exception being reported as `hint["exc_info"]`.
//! The core's filters match exception types by name, so the exception's
//! class and every base class are named here (`ClientDisconnect` and
//! `starlette.requests.ClientDisconnect`, up to `Exception`); an HTTP status
//! the exception carries (`status_code`, or werkzeug's `code`) is passed too,
//! and so are its `tags`, `contexts` and `fingerprint` attributes, which the
//! core merges into the event.
//! Anything missing or odd in the hint is simply not reported: a hint never
//! makes an event fail.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyTuple};
use sentry_preflight::{ExceptionData, Hint};

use crate::convert::to_json;

/// The hint, with the binding's clock reading `now`.
pub(crate) fn read(hint: Option<&Bound<'_, PyAny>>, now: Option<f64>) -> Hint {
    let Some(exception) = hint.and_then(reported_exception) else {
        return Hint {
            now,
            ..Hint::default()
        };
    };
    Hint {
        exception_types: class_names(&exception),
        status_code: ["status_code", "code"]
            .iter()
            .find_map(|attribute| http_status(&exception, attribute)),
        exception_data: exception_data(&exception),
        now,
    }
}

fn exception_data(exception: &Bound<'_, PyAny>) -> ExceptionData {
    let attribute = |name: &str| {
        exception
            .getattr(name)
            .ok()
            .filter(|value| !value.is_none())
    };
    let mut data = ExceptionData::default();
    if let Some(tags) = attribute("tags") {
        if let Ok(tags) = tags.cast::<PyDict>() {
            data.tags = tags
                .iter()
                .filter_map(|(key, value)| {
                    Some((key.str().ok()?.to_string(), value.str().ok()?.to_string()))
                })
                .collect();
        }
    }
    if let Some(contexts) = attribute("contexts") {
        if let Ok(contexts) = contexts.cast::<PyDict>() {
            data.contexts = contexts
                .iter()
                .filter_map(|(name, context)| {
                    Some((name.str().ok()?.to_string(), to_json(&context).ok()?))
                })
                .filter(|(_, context)| context.is_object())
                .collect();
        }
    }
    if let Some(fingerprint) = attribute("fingerprint") {
        let parts: Option<Vec<String>> = if let Ok(list) = fingerprint.cast::<PyList>() {
            list.iter()
                .map(|part| part.cast::<PyString>().ok().map(|s| s.to_string()))
                .collect()
        } else if let Ok(tuple) = fingerprint.cast::<PyTuple>() {
            tuple
                .iter()
                .map(|part| part.cast::<PyString>().ok().map(|s| s.to_string()))
                .collect()
        } else {
            None
        };
        data.fingerprint = parts.filter(|parts| !parts.is_empty());
    }
    data
}

fn reported_exception<'py>(hint: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    let exc_info = hint.get_item("exc_info").ok()?;
    let exception = exc_info.cast::<PyTuple>().ok()?.get_item(1).ok()?;
    (!exception.is_none()).then_some(exception)
}

fn class_names(exception: &Bound<'_, PyAny>) -> Vec<String> {
    let Ok(mro) = exception.get_type().getattr("__mro__") else {
        return Vec::new();
    };
    let Ok(classes) = mro.cast::<PyTuple>() else {
        return Vec::new();
    };
    let mut names = Vec::new();
    for class in classes.iter() {
        let text = |attribute: &str| {
            class
                .getattr(attribute)
                .ok()
                .and_then(|value| value.extract::<String>().ok())
        };
        if let Some(name) = text("__name__") {
            if name == "object" {
                continue;
            }
            if let (Some(module), Some(qualname)) = (text("__module__"), text("__qualname__")) {
                names.push(format!("{module}.{qualname}"));
            }
            names.push(name);
        }
    }
    names
}

fn http_status(exception: &Bound<'_, PyAny>, attribute: &str) -> Option<u16> {
    let value = exception.getattr(attribute).ok()?;
    Hint::http_status(value.cast::<PyInt>().ok()?.extract().ok()?)
}
