//! The ways an event can cross from JS into WASM and back, each doing no
//! more than the crossing, so that `crossing.js` can time them against V8's
//! own JSON round trip: JSON text (what the package does), serde-wasm-bindgen
//! (JS values converted member by member), and reading the JS object from
//! Rust through js-sys (what walking it in place would cost before any rule).

use serde_json::Value;
use wasm_bindgen::prelude::*;

/// JSON text in, parsed into a `Value`, JSON text out.
#[wasm_bindgen(js_name = jsonInOut)]
pub fn json_in_out(text: &str) -> String {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    serde_json::to_string(&value).unwrap_or_default()
}

/// JSON text in, parsed into a `Value`; nothing out.
#[wasm_bindgen(js_name = jsonIn)]
pub fn json_in(text: &str) -> usize {
    let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    value.as_object().map_or(0, |members| members.len())
}

/// The JS object converted into a `Value` and back by serde-wasm-bindgen.
#[wasm_bindgen(js_name = serdeWasmBindgenInOut)]
pub fn serde_wasm_bindgen_in_out(event: JsValue) -> JsValue {
    let value: Value = serde_wasm_bindgen::from_value(event).unwrap_or(Value::Null);
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&value, &serializer).unwrap_or(JsValue::NULL)
}

/// Every member and string of the JS object read from Rust through js-sys.
#[wasm_bindgen(js_name = readInPlace)]
pub fn read_in_place(event: &JsValue) -> usize {
    fn read(value: &JsValue, bytes: &mut usize) {
        if let Some(text) = value.as_string() {
            *bytes += text.len();
        } else if js_sys::Array::is_array(value) {
            let items: &js_sys::Array = value.unchecked_ref();
            items.iter().for_each(|item| read(&item, bytes));
        } else if value.is_object() {
            for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
                let pair: js_sys::Array = entry.unchecked_into();
                *bytes += pair.get(0).as_string().map_or(0, |key| key.len());
                read(&pair.get(1), bytes);
            }
        }
    }
    let mut bytes = 0;
    read(event, &mut bytes);
    bytes
}
