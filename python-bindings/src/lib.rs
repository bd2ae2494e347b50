//! `sentry_preflight._native`: the PyO3 layer of the Python wheel.
//!
//! It converts and delegates, nothing more: the policy is loaded by the core,
//! events are walked by the core (through `tree::PyNode`), and the only
//! decisions made here are the ones Python forces: what a failed Python call
//! or a panic means (the policy's `on_error`), and how a policy may be given
//! (a dict, JSON text, or a path to a JSON file).

mod convert;
mod hint;
mod sampling;
mod text;
mod tree;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyFileNotFoundError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use sentry_preflight::{Outcome, PolicyError as CorePolicyError, Preflight as Core, SdkOptions};

use tree::{PyNode, Walk};

pyo3::create_exception!(
    sentry_preflight,
    PolicyError,
    PyValueError,
    "A policy that cannot be loaded. `.path` is the JSON path of the offending member, `.reason` says why."
);

/// A loaded policy. Its bound methods are sentry-sdk hooks.
#[pyclass(frozen, module = "sentry_preflight")]
struct Preflight {
    core: Core,
    /// Set once the first processing failure has been logged.
    warned: AtomicBool,
    /// Seconds since the Unix epoch (`time.time`'s unit) for the budget and
    /// time-ranged rules; the system clock when not given.
    clock: Option<Py<PyAny>>,
}

#[pymethods]
impl Preflight {
    /// Loads a policy: a dict, JSON text, or a path (str or os.PathLike) to a
    /// JSON file. `sdk_send_default_pii` is what the SDK's options say of
    /// personal data, followed where the policy is silent.
    #[new]
    #[pyo3(signature = (policy, *, clock=None, sdk_send_default_pii=None))]
    fn new(
        py: Python<'_>,
        policy: &Bound<'_, PyAny>,
        clock: Option<Py<PyAny>>,
        sdk_send_default_pii: Option<bool>,
    ) -> PyResult<Self> {
        let sdk = SdkOptions {
            send_default_pii: sdk_send_default_pii,
        };
        let core = load_policy(py, policy, sdk)?;
        Ok(Preflight {
            core,
            warned: AtomicBool::new(false),
            clock,
        })
    }

    /// sentry-sdk's `before_send`: returns the event (changed in place) or
    /// None to drop it (filtered, or not processable with `on_error: drop`).
    #[pyo3(signature = (event, hint=None))]
    fn before_send<'py>(
        &self,
        event: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        let hint = hint::read(hint.as_ref(), self.now(event.py()));
        self.run(event, |core, node| core.process_tree_with_hint(node, &hint))
    }

    /// sentry-sdk's `before_send_transaction`: a transaction goes the way
    /// an error does (the core tells them apart by the event's `type`).
    #[pyo3(signature = (event, hint=None))]
    fn before_send_transaction<'py>(
        &self,
        event: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        self.before_send(event, hint)
    }

    /// sentry-sdk's `before_breadcrumb`.
    #[pyo3(signature = (crumb, hint=None))]
    fn before_breadcrumb<'py>(
        &self,
        crumb: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        let _ = hint;
        self.run(crumb, |core, node| core.process_breadcrumb(node))
    }

    /// sentry-sdk's `before_send_log`: the log scrubbed, or `None` to drop
    /// it (one that cannot be processed, under `on_error: drop`).
    #[pyo3(signature = (log, hint=None))]
    fn before_send_log<'py>(
        &self,
        log: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        let _ = hint;
        self.run(log, |core, node| core.process_log(node))
    }

    /// sentry-sdk's `before_send_metric`: the metric with its attributes
    /// scrubbed, or `None` to drop it.
    #[pyo3(signature = (metric, hint=None))]
    fn before_send_metric<'py>(
        &self,
        metric: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Option<Bound<'py, PyAny>> {
        let _ = hint;
        self.run(metric, |core, node| core.process_metric(node))
    }

    /// sentry-sdk's `before_send_span` (span streaming). A span cannot be
    /// dropped; one that cannot be processed is sent without its user data
    /// when `on_error` is `drop`.
    #[pyo3(signature = (span, hint=None))]
    fn before_send_span<'py>(
        &self,
        span: Bound<'py, PyAny>,
        hint: Option<Bound<'py, PyAny>>,
    ) -> Bound<'py, PyAny> {
        let _ = hint;
        match self.run(span.clone(), |core, node| core.process_span(node)) {
            Some(kept) => kept,
            None => {
                let walk = Walk::new();
                self.core.strip_span(&mut PyNode::root(span.clone(), &walk));
                span
            }
        }
    }

    /// sentry-sdk's `traces_sampler`: the sample rate the policy's `sampling`
    /// rules give this transaction (the parent's, when it decided).
    fn traces_sampler(&self, sampling_context: Bound<'_, PyAny>) -> f64 {
        let now = self.now(sampling_context.py());
        self.core
            .traces_sample_rate(&sampling::context(&sampling_context, now))
    }

    /// The decision itself: `{"sampled", "sample_rate", "sample_rand"}`, the
    /// draw being the context's `sample_rand` or Relay's from its `trace_id`.
    fn decide_trace<'py>(
        &self,
        py: Python<'py>,
        context: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let decision = self
            .core
            .decide_trace(&sampling::context(&context, self.now(py)));
        convert::from_json(py, &decision.to_json())
    }

    fn __repr__(&self) -> String {
        format!(
            "<sentry_preflight.Preflight on_error={:?}>",
            self.core.policy().on_error
        )
    }
}

impl Preflight {
    /// What `on_error` says for an object that could not be processed; the
    /// first such failure is logged (as a warning on the `sentry_preflight`
    /// logger), later ones are not, so a bad stream of events cannot flood
    /// the application's logs.
    fn fail(&self, py: Python<'_>, reason: &str) -> Outcome {
        let outcome = self.core.failed(reason);
        if !self.warned.swap(true, Ordering::Relaxed) {
            let what = match outcome {
                Outcome::Drop(_) => "it was dropped (on_error: drop)",
                Outcome::Keep => "it was sent as it was (on_error: pass)",
            };
            let message = format!(
                "sentry_preflight could not process an event ({reason}); {what}. \
                 Later failures of this Preflight are not logged."
            );
            let logged = py
                .import("logging")
                .and_then(|logging| logging.call_method1("getLogger", ("sentry_preflight",)))
                .and_then(|logger| logger.call_method1("warning", (message,)));
            // Logging is best effort: a broken handler must not reach sentry-sdk.
            drop(logged);
        }
        outcome
    }

    /// The clock's reading: the given clock's (a clock that fails or returns
    /// no number gives no time, which the core knows how to handle), else
    /// the system's.
    fn now(&self, py: Python<'_>) -> Option<f64> {
        match &self.clock {
            Some(clock) => clock.bind(py).call0().and_then(|t| t.extract::<f64>()).ok(),
            None => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()
                .map(|since| since.as_secs_f64()),
        }
    }

    /// Runs the core on one object; a Python failure or a panic inside
    /// follows `on_error`, and never reaches sentry-sdk as an exception.
    fn run<'py>(
        &self,
        object: Bound<'py, PyAny>,
        process: impl FnOnce(&Core, &mut PyNode<'_, 'py>) -> Outcome,
    ) -> Option<Bound<'py, PyAny>> {
        let walk = Walk::new();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut node = PyNode::root(object.clone(), &walk);
            process(&self.core, &mut node)
        }));
        let outcome = match (outcome, walk.failure.into_inner()) {
            (Ok(outcome), None) => outcome,
            (Ok(_), Some(error)) => self.fail(object.py(), &error.to_string()),
            (Err(_), _) => self.fail(object.py(), "internal error"),
        };
        match outcome {
            Outcome::Keep => Some(object),
            Outcome::Drop(_) => None,
        }
    }
}

fn load_policy(py: Python<'_>, policy: &Bound<'_, PyAny>, sdk: SdkOptions) -> PyResult<Core> {
    let is_json_data = policy.is_none()
        || policy.is_instance_of::<PyDict>()
        || policy.is_instance_of::<PyList>()
        || policy.is_instance_of::<PyBool>()
        || policy.is_instance_of::<PyInt>()
        || policy.is_instance_of::<PyFloat>();
    if is_json_data {
        let value = convert::to_json(policy).map_err(|reason| policy_error(py, "", &reason))?;
        // Compiling the rules works on data the core owns: other threads run meanwhile.
        return py
            .detach(|| Core::from_value_under(&value, sdk))
            .map_err(|error| to_py_error(py, &error));
    }
    let text = if let Ok(bytes) = policy.cast::<PyBytes>() {
        String::from_utf8(bytes.as_bytes().to_vec())
            .map_err(|_| policy_error(py, "", "not UTF-8 text"))?
    } else if let Ok(text) = policy
        .cast::<PyString>()
        .map(|text| text.to_string_lossy().into_owned())
    {
        // JSON text is an object (or, wrongly, a list: then the error says
        // what a policy is); anything else is a path.
        if text.trim_start().starts_with(['{', '[']) {
            text
        } else {
            read_policy_file(py, policy)?
        }
    } else {
        read_policy_file(py, policy)?
    };
    py.detach(|| Core::from_json_under(&text, sdk))
        .map_err(|error| to_py_error(py, &error))
}

/// The default policy with every member written out, as a dict to start from.
#[pyfunction]
fn default_policy(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let value: serde_json::Value =
        serde_json::from_str(sentry_preflight::policy::DEFAULT_POLICY_JSON)
            .map_err(|error| PyValueError::new_err(error.to_string()))?;
    convert::from_json(py, &value)
}

/// The names of the built-in detector families, in priority order, as
/// `scrub.patterns` switches them (`"!@phone"`) and `_meta` names them.
#[pyfunction]
fn family_names() -> Vec<&'static str> {
    sentry_preflight::family_names().collect()
}

/// Reads a policy file through Python (`os.fspath`, `open`), so that any
/// path-like object works and I/O errors are Python's own OSError.
fn read_policy_file(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<String> {
    let os = py.import("os")?;
    let path = os.call_method1("fspath", (path,))?;
    let builtins = py.import("builtins")?;
    let file = builtins
        .call_method1("open", (&path, "r"))
        .map_err(|error| {
            if !error.is_instance_of::<PyFileNotFoundError>(py) {
                return error;
            }
            let reason = "no policy file there (a str is read as a file path; as JSON text when it starts with '{')";
            PyFileNotFoundError::new_err((2, reason, path.clone().unbind()))
        })?;
    let contents = file.call_method0("read");
    file.call_method0("close")?;
    contents?.extract()
}

fn policy_error(py: Python<'_>, path: &str, reason: &str) -> PyErr {
    let message = if path.is_empty() {
        format!("policy: {reason}")
    } else {
        format!("{path}: {reason}")
    };
    let error = PolicyError::new_err(message);
    let value = error.value(py);
    let attributes = value
        .setattr("path", path)
        .and_then(|()| value.setattr("reason", reason));
    match attributes {
        Ok(()) => error,
        Err(failure) => failure,
    }
}

fn to_py_error(py: Python<'_>, error: &CorePolicyError) -> PyErr {
    policy_error(py, &error.path, &error.reason)
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_class::<Preflight>()?;
    module.add_function(wrap_pyfunction!(default_policy, module)?)?;
    module.add_function(wrap_pyfunction!(family_names, module)?)?;
    module.add("PolicyError", module.py().get_type::<PolicyError>())?;
    Ok(())
}
