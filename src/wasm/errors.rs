//! A failure as JS meets it: a `HoneyHiveError` (src/npm/errors.js) made from the core's
//! [`Failure`], by the function the package's JS hands over once the module is loaded.

use std::cell::RefCell;

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::core::failure::Failure;

thread_local! {
    /// `(failure) => new HoneyHiveError(failure)`.
    static MAKE: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// `useErrors(make)`: how a failure becomes the package's error class (src/npm/calls.js).
#[wasm_bindgen(js_name = useErrors, skip_typescript)]
pub fn use_errors(make: Function) {
    MAKE.with(|cell| *cell.borrow_mut() = Some(make));
}

/// The JS error of `failure`: a `HoneyHiveError`, or a plain `Error` of its message should the
/// package's JS not have handed its maker over.
pub fn js_error(failure: &Failure) -> JsValue {
    let data = failure.serialize(&serde_wasm_bindgen::Serializer::new());
    // The maker is taken out before it runs: no borrow is held while JS does.
    let make = MAKE.with(|cell| cell.borrow().clone());
    let made = match (make, data) {
        (Some(make), Ok(data)) => make.call1(&JsValue::UNDEFINED, &data).ok(),
        _ => None,
    };
    made.unwrap_or_else(|| js_sys::Error::new(&failure.message).into())
}
