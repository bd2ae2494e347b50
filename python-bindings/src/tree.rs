//! The core's walk, over sentry-sdk's own dicts and lists.
//!
//! sentry-sdk hands `before_send` a serialised event: dicts, lists, strings,
//! numbers. Converting it to JSON for the core and back would cost more than
//! the whole scrub, so the core walks these objects directly through
//! [`EventTree`] and replaces values in their dicts and lists in place.
//! Python calls can fail (an odd mapping type, a tuple that cannot be
//! changed); the first failure is kept and the binding then applies the
//! policy's `on_error`.

use std::borrow::Cow;
use std::cell::RefCell;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use sentry_preflight::{EventTree, NodeKind};
use serde_json::Value;

use crate::convert;

/// Where a node sits, so that it can be replaced.
enum Slot<'py> {
    Root,
    Member(Bound<'py, PyDict>, Bound<'py, PyAny>),
    Element(Bound<'py, PyAny>, usize),
}

/// One Python object of the event, and the slot that holds it.
pub(crate) struct PyNode<'a, 'py> {
    value: Bound<'py, PyAny>,
    slot: Slot<'py>,
    failure: &'a RefCell<Option<PyErr>>,
}

impl<'a, 'py> PyNode<'a, 'py> {
    pub(crate) fn root(value: Bound<'py, PyAny>, failure: &'a RefCell<Option<PyErr>>) -> Self {
        PyNode {
            value,
            slot: Slot::Root,
            failure,
        }
    }

    fn child(&self, value: Bound<'py, PyAny>, slot: Slot<'py>) -> Self {
        PyNode {
            value,
            slot,
            failure: self.failure,
        }
    }

    fn fail(&self, error: PyErr) {
        let mut failure = self.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some(error);
        }
    }

    fn replace(&mut self, new_value: Bound<'py, PyAny>) {
        let result = match &self.slot {
            Slot::Root => Err(pyo3::exceptions::PyTypeError::new_err(
                "cannot replace the event itself",
            )),
            Slot::Member(dict, key) => dict.set_item(key, &new_value),
            Slot::Element(list, index) => match list.cast::<PyList>() {
                Ok(list) => list.set_item(*index, &new_value),
                Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(
                    "cannot replace an element of a tuple",
                )),
            },
        };
        match result {
            Ok(()) => self.value = new_value,
            Err(error) => self.fail(error),
        }
    }

    fn dict(&self) -> Option<&Bound<'py, PyDict>> {
        self.value.cast::<PyDict>().ok()
    }
}

impl EventTree for PyNode<'_, '_> {
    fn kind(&self) -> NodeKind {
        let value = &self.value;
        if value.is_none() {
            NodeKind::Null
        } else if value.is_instance_of::<PyString>() {
            NodeKind::String
        } else if value.is_instance_of::<PyDict>() {
            NodeKind::Object
        } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            NodeKind::Array
        } else if value.is_instance_of::<PyBool>() {
            NodeKind::Bool
        } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
            NodeKind::Number
        } else {
            NodeKind::Other
        }
    }

    fn text(&self) -> Option<Cow<'_, str>> {
        let text = self.value.cast::<PyString>().ok()?;
        match text.to_cow() {
            Ok(text) => Some(text),
            // A string with lone surrogates: read it lossily rather than skip it.
            Err(_) => Some(Cow::Owned(text.to_string_lossy().into_owned())),
        }
    }

    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        let Some(dict) = self.dict() else { return };
        match dict.get_item(key) {
            Ok(Some(value)) => {
                let py_key = PyString::new(dict.py(), key).into_any();
                let mut child = self.child(value, Slot::Member(dict.clone(), py_key));
                visit(&mut child);
            }
            Ok(None) => {}
            Err(error) => self.fail(error),
        }
    }

    fn for_each_field(&mut self, mut visit: impl FnMut(&str, &mut Self)) {
        let Some(dict) = self.dict().cloned() else {
            return;
        };
        for (key, value) in dict.iter() {
            let name = match key.cast::<PyString>() {
                Ok(text) => text.to_string_lossy().into_owned(),
                Err(_) => match key.str() {
                    Ok(text) => text.to_string_lossy().into_owned(),
                    Err(error) => {
                        self.fail(error);
                        continue;
                    }
                },
            };
            let mut child = self.child(value, Slot::Member(dict.clone(), key));
            visit(&name, &mut child);
        }
    }

    fn for_each_element(&mut self, mut visit: impl FnMut(usize, &mut Self)) {
        if !(self.value.is_instance_of::<PyList>() || self.value.is_instance_of::<PyTuple>()) {
            return;
        }
        let items = match self.value.try_iter() {
            Ok(items) => items,
            Err(error) => return self.fail(error),
        };
        let container = self.value.clone();
        for (index, item) in items.enumerate() {
            match item {
                Ok(item) => {
                    let mut child = self.child(item, Slot::Element(container.clone(), index));
                    visit(index, &mut child);
                }
                Err(error) => return self.fail(error),
            }
        }
    }

    fn set_text(&mut self, text: &str) {
        let new_value = PyString::new(self.value.py(), text).into_any();
        self.replace(new_value);
    }

    fn set_null(&mut self) {
        let py = self.value.py();
        self.replace(py.None().into_bound(py));
    }

    fn with_object_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        let Some(dict) = self.dict().cloned() else {
            return;
        };
        let existing = match dict.get_item(key) {
            Ok(existing) => existing.filter(|value| value.is_instance_of::<PyDict>()),
            Err(error) => return self.fail(error),
        };
        let value = match existing {
            Some(value) => value,
            None => {
                let fresh = PyDict::new(dict.py()).into_any();
                if let Err(error) = dict.set_item(key, &fresh) {
                    return self.fail(error);
                }
                fresh
            }
        };
        let py_key = PyString::new(dict.py(), key).into_any();
        let mut child = self.child(value, Slot::Member(dict, py_key));
        visit(&mut child);
    }

    fn to_json(&self) -> Value {
        convert::to_json(&self.value).unwrap_or(Value::Null)
    }

    fn set_json(&mut self, value: Value) {
        match convert::from_json(self.value.py(), &value) {
            Ok(new_value) => self.replace(new_value),
            Err(error) => self.fail(error),
        }
    }
}
