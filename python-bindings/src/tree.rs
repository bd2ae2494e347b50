//! The core's walk, over sentry-sdk's own dicts and lists.
//!
//! sentry-sdk hands `before_send` a serialised event: dicts, lists, strings,
//! numbers. Converting it to JSON for the core and back would cost more than
//! the whole scrub, so the core walks these objects directly through
//! [`EventTree`] and replaces values in their dicts and lists in place.
//! Any `collections.abc.Mapping` is walked like a dict (a `before_breadcrumb`
//! crumb is not serialised yet and may hold a headers object), so no
//! mapping is sent unchecked. What sentry-sdk may leave beside plain data is
//! read too: a `sentry_sdk.utils.AnnotatedValue` is walked as its `value`,
//! `bytes` as (lossily decoded) text, a tuple as a list (it becomes one when
//! walked, so that its items can be replaced; JSON makes no difference);
//! other objects (a `datetime` in a breadcrumb) are left as they are. Python
//! calls can fail (a read-only mapping); the first failure is kept and the
//! binding then applies the policy's `on_error`.
//!
//! The walk visits every node of every event, so what a node costs is kept
//! to the C API calls it needs: a dict's members are read in place with
//! `PyDict_Next` (no list of items is made), a list's items by index, a
//! node's kind is worked out once when it is reached, and a member is
//! looked up with `PyDict_GetItemWithError` and a kept `str` for its name.

use std::borrow::Cow;
use std::cell::RefCell;

use pyo3::exceptions::PyKeyError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use sentry_preflight::{EventTree, NewValue, NodeKind};

use crate::convert::PyBuild;
use serde_json::Value;

use crate::convert;
use crate::text::text_of;

/// Where a node sits, so that it can be replaced.
enum Slot<'py> {
    Root,
    Member(Bound<'py, PyAny>, Bound<'py, PyAny>),
    Element(Bound<'py, PyAny>, usize),
    /// The `value` of an `AnnotatedValue`.
    AnnotatedValue(Bound<'py, PyAny>),
}

/// What the nodes of one walk share: the first failure, and the Python
/// strings of the member names the core looks up.
pub(crate) struct Walk<'py> {
    pub(crate) failure: RefCell<Option<PyErr>>,
    /// Direct-mapped by the address of the name. The core looks up the same
    /// few names (`spans`, `data`, `op`, `description`, …), literals of its
    /// own, in every event and span; a fresh `str` each time costs an
    /// allocation, a UTF-8 decode and a hash that a kept one has already.
    /// The slot's text is compared too (an address can be reused by other
    /// text); a collision or another copy of a name only costs a new `str`.
    names: RefCell<Vec<Option<Name<'py>>>>,
}

/// A member name and the Python string made for it.
type Name<'py> = (Box<str>, Bound<'py, PyString>);

const NAME_SLOTS: usize = 64;

impl<'py> Walk<'py> {
    pub(crate) fn new() -> Self {
        Walk {
            failure: RefCell::new(None),
            names: RefCell::new(Vec::new()),
        }
    }

    /// `name` as a Python string, made once per walk.
    fn name(&self, py: Python<'py>, name: &str) -> Bound<'py, PyString> {
        let slot = (name.as_ptr() as usize >> 2 ^ name.len()) % NAME_SLOTS;
        let mut names = self.names.borrow_mut();
        if names.is_empty() {
            names.resize(NAME_SLOTS, None);
        }
        if let Some((known, string)) = &names[slot] {
            if **known == *name {
                return string.clone();
            }
        }
        let string = PyString::new(py, name);
        names[slot] = Some((name.into(), string.clone()));
        string
    }
}

/// One Python object of the event, and the slot that holds it.
pub(crate) struct PyNode<'a, 'py> {
    value: Bound<'py, PyAny>,
    /// The value's kind when its type is exactly one of JSON's (what a
    /// serialised event holds); `None` for anything else, which is then
    /// asked the slower, subclass-aware questions.
    plain: Option<NodeKind>,
    slot: Slot<'py>,
    walk: &'a Walk<'py>,
}

impl<'a, 'py> PyNode<'a, 'py> {
    pub(crate) fn root(value: Bound<'py, PyAny>, walk: &'a Walk<'py>) -> Self {
        PyNode {
            plain: plain_kind(&value),
            value,
            slot: Slot::Root,
            walk,
        }
    }

    fn child(&self, value: Bound<'py, PyAny>, slot: Slot<'py>) -> Self {
        let plain = plain_kind(&value);
        if plain.is_none() {
            if let Some(inner) = annotated_value(&value) {
                return PyNode {
                    plain: plain_kind(&inner),
                    value: inner,
                    slot: Slot::AnnotatedValue(value),
                    walk: self.walk,
                };
            }
        }
        PyNode {
            value,
            plain,
            slot,
            walk: self.walk,
        }
    }

    fn fail(&self, error: PyErr) {
        let mut failure = self.walk.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some(error);
        }
    }

    fn replace(&mut self, new_value: Bound<'py, PyAny>) {
        let result = match &self.slot {
            Slot::Root => Err(pyo3::exceptions::PyTypeError::new_err(
                "cannot replace the event itself",
            )),
            Slot::Member(container, key) => match container.cast::<PyDict>() {
                Ok(dict) => dict.set_item(key, &new_value),
                Err(_) => container.set_item(key, &new_value),
            },
            Slot::Element(list, index) => match list.cast::<PyList>() {
                Ok(list) => list.set_item(*index, &new_value),
                Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(
                    "cannot replace an element of a tuple",
                )),
            },
            Slot::AnnotatedValue(annotated) => annotated.setattr("value", &new_value),
        };
        match result {
            Ok(()) => {
                self.plain = plain_kind(&new_value);
                self.value = new_value;
            }
            Err(error) => self.fail(error),
        }
    }

    /// Visits one member of a mapping: a key that is not a str (an int, a
    /// tuple) is matched by its `str()`.
    fn visit_member(
        &mut self,
        container: &Bound<'py, PyAny>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
        visit: &mut impl FnMut(&str, &mut Self),
    ) {
        let name = match exactly_or_subclass::<PyString>(&key) {
            Some(text) => text.clone(),
            None => match key.str() {
                Ok(text) => text,
                Err(error) => return self.fail(error),
            },
        };
        let mut child = self.child(value, Slot::Member(container.clone(), key));
        visit(&text_of(&name), &mut child);
    }

    fn dict(&self) -> Option<&Bound<'py, PyDict>> {
        exactly_or_subclass::<PyDict>(&self.value)
    }

    /// A mapping that is not a dict (dicts take the faster paths).
    fn other_mapping(&self) -> Option<&Bound<'py, PyMapping>> {
        if self.value.is_instance_of::<PyDict>() {
            return None;
        }
        self.value.cast::<PyMapping>().ok()
    }
}

impl<'py> EventTree for PyNode<'_, 'py> {
    fn kind(&self) -> NodeKind {
        if let Some(kind) = self.plain {
            return kind;
        }
        let value = &self.value;
        if value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() {
            NodeKind::String
        } else if value.is_instance_of::<PyDict>() {
            NodeKind::Object
        } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
            NodeKind::Array
        } else if value.is_instance_of::<PyBool>() {
            NodeKind::Bool
        } else if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
            NodeKind::Number
        } else if value.cast::<PyMapping>().is_ok() {
            NodeKind::Object
        } else {
            NodeKind::Other
        }
    }

    fn text(&self) -> Option<Cow<'_, str>> {
        if self.plain.is_some_and(|kind| kind != NodeKind::String) {
            return None;
        }
        if let Some(text) = exactly_or_subclass::<PyString>(&self.value) {
            return Some(text_of(text));
        }
        let bytes = self.value.cast::<PyBytes>().ok()?;
        Some(String::from_utf8_lossy(bytes.as_bytes()))
    }

    fn with_field(&mut self, key: &str, visit: impl FnOnce(&mut Self)) {
        let container = self.value.clone();
        let py_key = self.walk.name(container.py(), key).into_any();
        let found = if let Some(dict) = self.dict() {
            member(dict, &py_key)
        } else if let Some(mapping) = self.other_mapping() {
            match mapping.get_item(&py_key) {
                Ok(value) => Ok(Some(value)),
                Err(error) if error.is_instance_of::<PyKeyError>(container.py()) => Ok(None),
                Err(error) => Err(error),
            }
        } else {
            return;
        };
        match found {
            Ok(Some(value)) => {
                let mut child = self.child(value, Slot::Member(container, py_key));
                visit(&mut child);
            }
            Ok(None) => {}
            Err(error) => self.fail(error),
        }
    }

    fn for_each_field(&mut self, mut visit: impl FnMut(&str, &mut Self)) {
        let container = self.value.clone();
        if let Some(dict) = self.dict() {
            let dict = dict.clone();
            let mut position: ffi::Py_ssize_t = 0;
            let mut key: *mut ffi::PyObject = std::ptr::null_mut();
            let mut value: *mut ffi::PyObject = std::ptr::null_mut();
            // SAFETY: `dict` is a live dict (held by `dict` and the GIL is
            // held). PyDict_Next lends the key and value; each is taken as a
            // new reference at once, so they outlive whatever the visit does
            // to the dict. The walk only replaces the values of existing keys
            // (no insertion or removal while a dict is iterated: `visit` gets
            // the child, and `self` is borrowed), and PyDict_Next re-reads
            // the dict's table and its bounds at every call in any case.
            while unsafe { ffi::PyDict_Next(dict.as_ptr(), &mut position, &mut key, &mut value) }
                != 0
            {
                let (key, value) = unsafe {
                    (
                        Bound::from_borrowed_ptr(dict.py(), key),
                        Bound::from_borrowed_ptr(dict.py(), value),
                    )
                };
                self.visit_member(&container, key, value, &mut visit);
            }
            return;
        }
        let Some(mapping) = self.other_mapping() else {
            return;
        };
        let entries: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> =
            match mapping.items().and_then(|items| items.extract()) {
                Ok(entries) => entries,
                Err(error) => return self.fail(error),
            };
        for (key, value) in entries {
            self.visit_member(&container, key, value, &mut visit);
        }
    }

    fn for_each_element(&mut self, mut visit: impl FnMut(usize, &mut Self)) {
        if exactly_or_subclass::<PyList>(&self.value).is_none() {
            let Ok(tuple) = self.value.cast::<PyTuple>() else {
                return;
            };
            if !matches!(self.slot, Slot::Root) {
                match PyList::new(tuple.py(), tuple.iter()) {
                    Ok(list) => self.replace(list.into_any()),
                    Err(error) => return self.fail(error),
                }
            }
        }
        let container = self.value.clone();
        if let Ok(list) = container.cast::<PyList>() {
            // By index, not through an iterator object: the walk replaces
            // items in place, never adds or removes any, and the length is
            // read again at each step all the same.
            let mut index = 0;
            while index < list.len() {
                match list.get_item(index) {
                    Ok(item) => {
                        let mut child = self.child(item, Slot::Element(container.clone(), index));
                        visit(index, &mut child);
                    }
                    Err(error) => return self.fail(error),
                }
                index += 1;
            }
        } else if let Ok(tuple) = container.cast::<PyTuple>() {
            for (index, item) in tuple.iter().enumerate() {
                let mut child = self.child(item, Slot::Element(container.clone(), index));
                visit(index, &mut child);
            }
        }
    }

    fn set_text(&mut self, text: String) {
        let new_value = PyString::new(self.value.py(), &text).into_any();
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
        let py_key = self.walk.name(dict.py(), key).into_any();
        let existing = match dict.get_item(&py_key) {
            Ok(existing) => existing.filter(|value| value.is_instance_of::<PyDict>()),
            Err(error) => return self.fail(error),
        };
        let value = match existing {
            Some(value) => value,
            None => {
                let fresh = PyDict::new(dict.py()).into_any();
                if let Err(error) = dict.set_item(&py_key, &fresh) {
                    return self.fail(error);
                }
                fresh
            }
        };
        let mut child = self.child(value, Slot::Member(dict.into_any(), py_key));
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

    fn insert(&mut self, key: &str, value: &impl NewValue) {
        let mut builder = PyBuild::new(self.value.py());
        let built = value.build(&mut builder);
        let result = match builder.failure.take() {
            Some(error) => Err(error),
            None => {
                let key = builder.str(key);
                if let Some(dict) = self.dict() {
                    dict.set_item(key, built)
                } else if let Some(mapping) = self.other_mapping() {
                    mapping.set_item(key, built)
                } else {
                    Ok(())
                }
            }
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }
}

/// The member `key` of a dict, through the C API: a missing member is told
/// from a failed lookup by `PyErr_Occurred`, without fetching an error
/// object for every field an event does not have.
fn member<'py>(
    dict: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    // SAFETY: both objects are live (borrowed for the call, GIL held); the
    // lent result is taken as a new reference before anything else runs.
    unsafe {
        let found = ffi::PyDict_GetItemWithError(dict.as_ptr(), key.as_ptr());
        if !found.is_null() {
            return Ok(Some(Bound::from_borrowed_ptr(dict.py(), found)));
        }
        if ffi::PyErr_Occurred().is_null() {
            return Ok(None);
        }
    }
    Err(PyErr::fetch(dict.py()))
}

/// The value as a `T`: the exact type by a pointer comparison, a subclass
/// by the interpreter's check.
fn exactly_or_subclass<'a, 'py, T: pyo3::PyTypeInfo>(
    value: &'a Bound<'py, PyAny>,
) -> Option<&'a Bound<'py, T>> {
    value
        .cast_exact::<T>()
        .ok()
        .or_else(|| value.cast::<T>().ok())
}

/// The kind of a value whose type is exactly one of JSON's (what a
/// serialised event holds): a pointer comparison each, where the
/// subclass-aware checks are a call into the interpreter under abi3.
fn plain_kind(value: &Bound<'_, PyAny>) -> Option<NodeKind> {
    Some(if value.is_none() {
        NodeKind::Null
    } else if value.is_exact_instance_of::<PyString>() {
        NodeKind::String
    } else if value.is_exact_instance_of::<PyDict>() {
        NodeKind::Object
    } else if value.is_exact_instance_of::<PyList>() {
        NodeKind::Array
    } else if value.is_exact_instance_of::<PyBool>() {
        NodeKind::Bool
    } else if value.is_exact_instance_of::<PyInt>() || value.is_exact_instance_of::<PyFloat>() {
        NodeKind::Number
    } else {
        return None;
    })
}

/// The `value` of a `sentry_sdk.utils.AnnotatedValue` (known by its class
/// name and slots: the binding does not import sentry-sdk). Plain data is
/// turned away by the cheap type checks first.
fn annotated_value<'py>(value: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    if plain_kind(value).is_some() {
        return None;
    }
    let class = value.get_type();
    let is_annotated = class.name().is_ok_and(|name| name == "AnnotatedValue")
        && value.hasattr("metadata").unwrap_or(false);
    if is_annotated {
        value.getattr("value").ok()
    } else {
        None
    }
}
