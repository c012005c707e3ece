//! The runtime's global functions, bound once from the global scope: web-sys offers `fetch` and
//! `setTimeout` only on `Window` and `WorkerGlobalScope`, which Node and Deno lack (gloo-net and
//! reqwest bind them the same way).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::RequestInit;

#[wasm_bindgen]
extern "C" {
    /// `fetch(url, init)`; throws at once only where the runtime has no fetch at all. What it
    /// returns is whatever the runtime's (or a polyfill's) fetch returns: see [`resolve`].
    #[wasm_bindgen(catch, js_name = fetch)]
    pub fn fetch(url: &str, init: &RequestInit) -> Result<JsValue, JsValue>;
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
