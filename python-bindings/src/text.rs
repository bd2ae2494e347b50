//! Reading a Python `str` as UTF-8 without copying it.
//!
//! The wheel is abi3 for CPython ≥ 3.9, and the limited API of 3.9 has no
//! call that lends a str's UTF-8 bytes: PyO3 then encodes every string into
//! a new `bytes` object and copies it, which was the largest single cost of
//! walking an event. `PyUnicode_AsUTF8AndSize` has been exported by every
//! CPython since 3.3 with the same signature (and joined the stable ABI in
//! 3.10): for an ASCII string it returns the string's own buffer, otherwise a
//! UTF-8 copy CPython caches on the object. Where the linker needs the
//! limited API's import library (Windows), the copying path is kept.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyString;

#[cfg(not(windows))]
mod lend {
    use std::os::raw::c_char;

    use pyo3::ffi;

    extern "C" {
        fn PyUnicode_AsUTF8AndSize(
            unicode: *mut ffi::PyObject,
            size: *mut ffi::Py_ssize_t,
        ) -> *const c_char;
    }

    /// The string's UTF-8 bytes, valid while the string lives; `None` when it
    /// has none (lone surrogates), with CPython's error cleared.
    pub(super) fn utf8<'a>(text: &'a pyo3::Bound<'_, pyo3::types::PyString>) -> Option<&'a str> {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: `text` is a live str (the GIL is held: we have a Bound);
        // the buffer belongs to the object, is immutable, and outlives the
        // borrow of `text`; CPython returns valid UTF-8 or NULL.
        unsafe {
            let data = PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size);
            if data.is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            let bytes = std::slice::from_raw_parts(data.cast::<u8>(), usize::try_from(size).ok()?);
            Some(std::str::from_utf8_unchecked(bytes))
        }
    }
}

/// The text of a str: lent when possible, else a copy (lone surrogates are
/// read lossily rather than skipped, so they are still scrubbed).
pub(crate) fn text_of<'a>(text: &'a Bound<'_, PyString>) -> Cow<'a, str> {
    #[cfg(not(windows))]
    if let Some(lent) = lend::utf8(text) {
        return Cow::Borrowed(lent);
    }
    match text.to_cow() {
        Ok(text) => text,
        Err(_) => Cow::Owned(text.to_string_lossy().into_owned()),
    }
}
