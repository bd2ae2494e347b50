//! Event JSON text read in place, and what processing changed in it.
//!
//! The JS package hands the core every event as the text `JSON.stringify`
//! wrote. Building a `serde_json::Value` of it, then writing the processed
//! value back for `JSON.parse`, cost more than all the rules together, while
//! an ordinary event changes in one or two places. So the text is read into
//! a [`Tape`]: one flat list of nodes that point into the text (strings are
//! unescaped only when a rule reads one that holds an escape), and the core
//! walks it through [`EventTree`](crate::EventTree) like any other tree
//! ([`Doc`]). What the rules write is kept beside the tape; [`Doc::patch`]
//! then says only that, as a list of `[path, value]` edits the wrapper
//! applies to the object it was given, copying along the changed paths.
//!
//! Invariants the rest relies on:
//! - the tape accepts exactly the text serde_json accepts (RFC 8259: no
//!   lone surrogate escapes, no number that does not fit an `f64`), at any
//!   depth: it reads without recursion, in time and memory linear in the text;
//! - an object with two members of one name is refused as
//!   [`ReadError::DuplicateKey`]: serde_json keeps the last value at the first
//!   one's place, and a walk over both could not say which one is sent. An
//!   event of such text follows `on_error` (`JSON.stringify` never writes
//!   it), and a policy of such text is refused;
//! - applying the patch to the input gives exactly what processing a `Value`
//!   of the same text gives (the shared vectors and the `tape_patch` fuzz
//!   target hold the two paths to it).

mod doc;
mod patch;
mod read;
mod value;

pub use doc::{Doc, TapeNode};
pub use patch::apply_patch;
pub use read::{read, ReadError, Tape};
pub(crate) use value::number_value;
pub use value::{value_of, value_on};
