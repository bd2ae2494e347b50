//! Values the core adds to an event, built straight into each tree's form.
//!
//! The new parts of `_meta` are the only sizeable thing the core writes
//! into an event, and in Python every dict and list of them is an object to
//! allocate. So the core does not hand a tree a JSON value (or any other
//! copy) to convert: a [`NewValue`] builds itself through the tree's
//! [`Build`], which makes each node in the tree's own form directly. Rust
//! and WASM build `serde_json` values with [`JsonBuild`].

use serde_json::{Map, Value};

/// Something the core adds to an event, able to build itself in any form.
pub trait NewValue {
    fn build<B: Build>(&self, builder: &mut B) -> B::Value;

    /// Appends the value as JSON text to `out`, where the type can write
    /// itself directly; `false` (the default) when it cannot, and `build`
    /// is used. A tree that keeps what the rules add as text (the JS path's
    /// tape, whose output is text anyway) then makes no node of `_meta`,
    /// the largest thing the core adds, unless a later rule reads it.
    fn write_json(&self, _out: &mut Vec<u8>) -> bool {
        false
    }
}

/// Makes the values of one tree, for a [`NewValue`] to build itself with.
pub trait Build {
    type Value;
    fn text(&mut self, text: &str) -> Self::Value;
    fn count(&mut self, count: usize) -> Self::Value;
    /// A value that is already JSON (rare: a merged `_meta` entry).
    fn json(&mut self, value: &Value) -> Self::Value;
    fn list(&mut self) -> Self::Value;
    fn push(&mut self, list: &mut Self::Value, item: Self::Value);
    fn object(&mut self) -> Self::Value;
    fn set(&mut self, object: &mut Self::Value, key: &str, value: Self::Value);
}

impl NewValue for Value {
    fn build<B: Build>(&self, builder: &mut B) -> B::Value {
        builder.json(self)
    }
}

/// Builds `serde_json` values.
pub struct JsonBuild;

impl Build for JsonBuild {
    type Value = Value;

    fn text(&mut self, text: &str) -> Value {
        Value::from(text)
    }

    fn count(&mut self, count: usize) -> Value {
        Value::from(count)
    }

    fn json(&mut self, value: &Value) -> Value {
        value.clone()
    }

    fn list(&mut self) -> Value {
        Value::Array(Vec::new())
    }

    fn push(&mut self, list: &mut Value, item: Value) {
        if let Value::Array(items) = list {
            items.push(item);
        }
    }

    fn object(&mut self) -> Value {
        Value::Object(Map::new())
    }

    fn set(&mut self, object: &mut Value, key: &str, value: Value) {
        if let Value::Object(map) = object {
            map.insert(key.to_owned(), value);
        }
    }
}
