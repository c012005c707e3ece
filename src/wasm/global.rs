//! The runtime's global functions, bound from the global scope: web-sys offers `setTimeout` only
//! on `Window` and `WorkerGlobalScope`, which Node and Deno lack (gloo-net and reqwest bind the
//! global `fetch` and timers the same way; src/npm/fetch.js calls the global `fetch`).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Promise.resolve(value)`: a native promise of any value (a thenable is followed, in a
    /// job of its own), for `JsFuture` to await. Catches what reading the value throws.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    pub fn resolve(value: &JsValue) -> Result<Promise, JsValue>;
    /// `setTimeout(handler, ms)`: a number in browsers, Deno and Workers, an object in Node.
    #[wasm_bindgen(js_name = setTimeout)]
    pub fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    /// `clearTimeout(timer)`.
    #[wasm_bindgen(js_name = clearTimeout)]
    pub fn clear_timeout(timer: &JsValue);
}
