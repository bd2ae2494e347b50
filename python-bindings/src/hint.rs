//! What preflight needs from sentry-sdk's `hint`, read into plain data.
//!
//! sentry-sdk passes the exception being reported as `hint["exc_info"]`.
//! The core's filters match exception types by name, so the exception's
//! class and every base class are named here (`ClientDisconnect` and
//! `starlette.requests.ClientDisconnect`, up to `Exception`); an HTTP status
//! the exception carries (`status_code`, or werkzeug's `code`) is passed too.
//! Anything missing or odd in the hint is simply not reported: a hint never
//! makes an event fail.

use pyo3::prelude::*;
use pyo3::types::{PyInt, PyTuple};
use sentry_preflight::Hint;

pub(crate) fn read(hint: Option<&Bound<'_, PyAny>>) -> Hint {
    let Some(exception) = hint.and_then(reported_exception) else {
        return Hint::default();
    };
    Hint {
        exception_types: class_names(&exception),
        status_code: ["status_code", "code"]
            .iter()
            .find_map(|attribute| http_status(&exception, attribute)),
    }
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
    let status: u16 = value.cast::<PyInt>().ok()?.extract().ok()?;
    (100..=599).contains(&status).then_some(status)
}
