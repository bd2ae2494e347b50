//! Python objects to JSON values and back.
//!
//! Only small things cross this way: the policy when it is given as a dict,
//! and the `_meta` entries the core merges; the new parts of `_meta` are
//! built as Python objects directly ([`PyBuild`]). Events themselves are
//! walked in place (see `tree`).

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use sentry_preflight::Build;
use serde_json::{Map, Number, Value};

use crate::text::text_of;

/// Deepest nesting converted; deeper is an error, never a stack overflow.
const MAX_DEPTH: usize = 128;

/// Converts plain Python data (dict, list, tuple, str, int, float, bool, None).
pub(crate) fn to_json(object: &Bound<'_, PyAny>) -> Result<Value, String> {
    convert_to_json(object, 0)
}

fn convert_to_json(object: &Bound<'_, PyAny>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    if object.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = object.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if let Ok(text) = object.cast::<PyString>() {
        return Ok(Value::String(text_of(text).into_owned()));
    }
    if object.is_instance_of::<PyInt>() {
        if let Ok(number) = object.extract::<i64>() {
            return Ok(Value::from(number));
        }
        return object
            .extract::<u64>()
            .map(Value::from)
            .map_err(|_| "integer out of range".to_owned());
    }
    if let Ok(number) = object.cast::<PyFloat>() {
        return Number::from_f64(number.value())
            .map(Value::Number)
            .ok_or_else(|| "NaN and infinity are not JSON".to_owned());
    }
    if let Ok(dict) = object.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, value) in dict.iter() {
            let key = key
                .cast::<PyString>()
                .map_err(|_| "object keys must be strings".to_owned())?;
            let key = text_of(key).into_owned();
            map.insert(key, convert_to_json(&value, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    if object.is_instance_of::<PyList>() || object.is_instance_of::<PyTuple>() {
        let items = object
            .try_iter()
            .map_err(|e| e.to_string())?
            .map(|item| {
                item.map_err(|e| e.to_string())
                    .and_then(|item| convert_to_json(&item, depth + 1))
            })
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(items));
    }
    let type_name = object
        .get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    Err(format!("a {type_name} is not JSON data"))
}

/// Builds Python data from a JSON value.
pub(crate) fn from_json<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
        Value::Number(number) => match (number.as_i64(), number.as_u64()) {
            (Some(whole), _) => whole.into_pyobject(py)?.into_any(),
            (None, Some(whole)) => whole.into_pyobject(py)?.into_any(),
            _ => number
                .as_f64()
                .unwrap_or(f64::NAN)
                .into_pyobject(py)?
                .into_any(),
        },
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_json(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, from_json(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Builds the Python objects of a value the core adds to an event. Python
/// calls can fail (memory): the first failure is kept, and a `None` takes
/// the failed object's place until the caller sees it.
pub(crate) struct PyBuild<'py> {
    py: Python<'py>,
    pub(crate) failure: Option<PyErr>,
    /// Strs made so far (rule ids, path segments: `_meta` repeats them), in
    /// a small table indexed by a cheap digest of the text.
    texts: [Option<(Box<str>, Bound<'py, PyString>)>; REUSED_TEXTS],
}

const REUSED_TEXTS: usize = 32;

impl<'py> PyBuild<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        PyBuild {
            py,
            failure: None,
            texts: std::array::from_fn(|_| None),
        }
    }

    fn none(&self) -> Bound<'py, PyAny> {
        self.py.None().into_bound(self.py)
    }

    fn keep<T>(&mut self, result: PyResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.failure.get_or_insert(error);
                None
            }
        }
    }

    pub(crate) fn str(&mut self, text: &str) -> Bound<'py, PyString> {
        if let Some(known) = known_text(self.py, text) {
            return known;
        }
        let bytes = text.as_bytes();
        let digest = bytes.len() * 31
            + usize::from(bytes.first().copied().unwrap_or(0)) * 7
            + usize::from(bytes.last().copied().unwrap_or(0));
        let slot = &mut self.texts[digest % REUSED_TEXTS];
        match slot {
            Some((made_from, made)) if **made_from == *text => made.clone(),
            _ => {
                let made = PyString::new(self.py, text);
                *slot = Some((text.into(), made.clone()));
                made
            }
        }
    }
}

impl<'py> Build for PyBuild<'py> {
    type Value = Bound<'py, PyAny>;

    fn text(&mut self, text: &str) -> Self::Value {
        self.str(text).into_any()
    }

    fn count(&mut self, count: usize) -> Self::Value {
        let Ok(made) = count.into_pyobject(self.py);
        made.into_any()
    }

    fn json(&mut self, value: &Value) -> Self::Value {
        let made = from_json(self.py, value);
        self.keep(made).unwrap_or_else(|| self.none())
    }

    fn list(&mut self) -> Self::Value {
        PyList::empty(self.py).into_any()
    }

    fn push(&mut self, list: &mut Self::Value, item: Self::Value) {
        if let Ok(list) = list.cast::<PyList>() {
            let pushed = list.append(item);
            self.keep(pushed);
        }
    }

    fn object(&mut self) -> Self::Value {
        PyDict::new(self.py).into_any()
    }

    fn set(&mut self, object: &mut Self::Value, key: &str, value: Self::Value) {
        let key = self.str(key);
        if let Ok(dict) = object.cast::<PyDict>() {
            let set = dict.set_item(key, value);
            self.keep(set);
        }
    }
}

/// The strs every `_meta` entry repeats, made once per interpreter
/// (interned, their hashes kept).
fn known_text<'py>(py: Python<'py>, text: &str) -> Option<Bound<'py, PyString>> {
    let known = match text {
        "" => intern!(py, ""),
        "rem" => intern!(py, "rem"),
        "len" => intern!(py, "len"),
        "s" => intern!(py, "s"),
        "x" => intern!(py, "x"),
        _ => return None,
    };
    Some(known.clone())
}
