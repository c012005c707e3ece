//! What a thrown JS value says, as text for a message. Read with `Reflect` (whose reads catch),
//! since a thrown value may be anything, a Proxy included.

use js_sys::Array;

use super::reflect::member;
use wasm_bindgen::prelude::*;

/// A thrown value's `message`, or the value itself when it is a string.
pub fn reason(thrown: &JsValue) -> String {
    if let Some(text) = thrown.as_string() {
        return text;
    }
    member(thrown, "message")
        .as_string()
        .unwrap_or_else(|| "a non-Error value was thrown".into())
}

/// A JS call's result, with what it threw as text ([`reason`]).
pub trait OrReason<T> {
    fn or_reason(self) -> Result<T, String>;
}

impl<T> OrReason<T> for Result<T, JsValue> {
    fn or_reason(self) -> Result<T, String> {
        self.map_err(|thrown| reason(&thrown))
    }
}

/// What a failed `fetch` says, with its cause where the runtime gives one: Node's "fetch failed"
/// carries the real reason in `error.cause` (ECONNREFUSED, ENOTFOUND, a certificate error; an
/// AggregateError of them when several addresses were tried). The core masks the key in it.
pub fn fetch_failure(error: &JsValue) -> String {
    let message = reason(error);
    let mut cause = member(error, "cause");
    let errors = member(&cause, "errors");
    if errors.is_instance_of::<Array>() && member(&cause, "message").as_string().is_none() {
        cause = member(&errors, "0");
    }
    if cause.is_undefined() || cause.is_null() {
        return message;
    }
    let detail = match member(&cause, "message").as_string() {
        Some(text) => text,
        None => cause
            .as_string()
            .unwrap_or_else(|| "a cause that is not an Error".into()),
    };
    // The code, unless the detail names it already (a byte-wise look: `str::contains` would link
    // the two-way searcher for this one test).
    let named = |code: &str| {
        detail
            .as_bytes()
            .windows(code.len().max(1))
            .any(|w| w == code.as_bytes())
    };
    match member(&cause, "code").as_string() {
        Some(code) if !code.is_empty() && !named(&code) => format!("{message} ({code}: {detail})"),
        _ => format!("{message} ({detail})"),
    }
}
