//! Python objects to JSON values and back.
//!
//! Only small things cross this way: the policy when it is given as a dict,
//! the `_meta` entries the core merges and the new parts of `_meta` it adds.
//! Events themselves are walked in place (see `tree`).

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use sentry_preflight::NewValue;
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

/// Builds Python data for a value the core adds to an event.
pub(crate) fn from_new_value<'py>(
    py: Python<'py>,
    value: &NewValue<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        NewValue::Text(text) => known_text(py, text).into_any(),
        NewValue::Count(count) => count.into_pyobject(py)?.into_any(),
        NewValue::List(items) => {
            let items = items
                .iter()
                .map(|item| from_new_value(py, item))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        NewValue::Object(members) => {
            let dict = PyDict::new(py);
            for (key, item) in members {
                dict.set_item(known_text(py, key), from_new_value(py, item)?)?;
            }
            dict.into_any()
        }
        NewValue::Json(value) => from_json(py, value)?,
    })
}

/// A str for `text`: the words every `_meta` entry repeats are made once
/// per interpreter (interned, their hashes kept), the rest each time.
pub(crate) fn known_text<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    let known = match text {
        "" => intern!(py, ""),
        "rem" => intern!(py, "rem"),
        "len" => intern!(py, "len"),
        "s" => intern!(py, "s"),
        "x" => intern!(py, "x"),
        _ => return PyString::new(py, text),
    };
    known.clone()
}
