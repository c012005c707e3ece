//! Reading a member of any JS value without letting an exception through: `Reflect.get` catches,
//! and is not asked at all where it would throw (of a primitive, which also costs the runtime an
//! exception's stack trace).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// `value[name]`; `undefined` when `value` is not an object or reading it throws.
pub fn member(value: &JsValue, name: &str) -> JsValue {
    if !(value.is_object() || value.is_function()) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}
