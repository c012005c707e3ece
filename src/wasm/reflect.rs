//! Reading a member of any JS value without letting an exception through: `Reflect.get` catches,
//! and is not asked at all where it would throw (of a primitive, which also costs the runtime an
//! exception's stack trace). Members are named by literals, each made into a JS string once
//! ([`interned`]).

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// `value[name]`; `undefined` when `value` is not an object or reading it throws.
pub fn member(value: &JsValue, name: &'static str) -> JsValue {
    if !(value.is_object() || value.is_function()) {
        return JsValue::UNDEFINED;
    }
    Reflect::get(value, &interned(name)).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    /// The names members are read by, each made into a JS string once (as serde-wasm-bindgen
    /// does with field names): decoding a string out of wasm costs more than the read.
    static NAMES: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `name` as a JS string, made once per isolate. Names are literals, a few dozen, found by
/// address (one literal the compiler keeps twice takes two entries); nothing runs JS while the
/// list is borrowed.
pub fn interned(name: &'static str) -> JsValue {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, js)) = names.iter().find(|(known, _)| std::ptr::eq(*known, name)) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        names.push((name, js.clone()));
        js
    })
}
