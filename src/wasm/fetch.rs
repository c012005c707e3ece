//! One attempt of a request: `fetch` with a time limit and the caller's `AbortSignal`, its answer
//! read to the end.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::global::{clear_timeout, set_timeout};
use super::reflect::{interned, member};
use super::thrown;
use crate::core::retry::{Answer, Outcome};

/// What an attempt sends.
pub struct Attempt<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub authorization: &'a str,
    /// The body's JSON text, a JS string.
    pub body: &'a JsValue,
    pub timeout_ms: u32,
    pub signal: Option<&'a AbortSignal>,
}

/// Sends one attempt and reads its answer.
pub async fn send(attempt: Attempt<'_>) -> Outcome {
    if attempt.signal.is_some_and(aborted) {
        return Outcome::Aborted;
    }
    let controller = match AbortController::new() {
        Ok(controller) => controller,
        Err(error) => return Outcome::Network(thrown::reason(&error)),
    };
    let guard = match AbortGuard::new(&controller, attempt.timeout_ms, attempt.signal) {
        Ok(guard) => guard,
        Err(error) => return Outcome::Network(thrown::reason(&error)),
    };
    let answer = answer(&attempt, &controller.signal()).await;
    drop(guard);
    match answer {
        Ok(answer) => Outcome::Answer(answer),
        Err(_) if attempt.signal.is_some_and(aborted) => Outcome::Aborted,
        Err(_) if aborted(&controller.signal()) => Outcome::Timeout,
        // Deno without --allow-net: `NotCapable` (Deno 2), `PermissionDenied` (Deno 1).
        Err(error) if is_permission_error(&error) => Outcome::Permission(thrown::reason(&error)),
        Err(error) => Outcome::Network(thrown::fetch_failure(&error)),
    }
}

/// Whether the caller's signal has aborted, read as any member of a caller's value is (a getter
/// of its own may throw).
pub fn aborted(signal: &AbortSignal) -> bool {
    member(signal, "aborted").as_bool().unwrap_or(false)
}

fn is_permission_error(error: &JsValue) -> bool {
    let name = member(error, "name").as_string().unwrap_or_default();
    name == "NotCapable" || name == "PermissionDenied"
}

#[wasm_bindgen(module = "/src/npm/fetch.js")]
extern "C" {
    /// The request made and sent, and its answer read to the end, as one promise (one await
    /// an attempt) of `[status, retryAfter, body]`: read by index, no member name crosses. The
    /// init is made in JS, where its constant names and values are literals: nothing of it is
    /// decoded out of wasm or set with a call of its own (docs/performance.md, "Choices").
    #[wasm_bindgen(js_name = roundTrip)]
    fn round_trip(
        url: &str,
        method: &str,
        authorization: &str,
        body: &JsValue,
        signal: &AbortSignal,
    ) -> Promise;
}

/// The request's answer: status, `Retry-After` and body text.
async fn answer(attempt: &Attempt<'_>, signal: &AbortSignal) -> Result<Answer, JsValue> {
    let answered: Array = JsFuture::from(round_trip(
        attempt.url,
        attempt.method,
        attempt.authorization,
        attempt.body,
        signal,
    ))
    .await?
    .unchecked_into();
    // A status is a whole number from 0 to 999 (0 for anything else a polyfill gives).
    let status = answered.get(0).as_f64().unwrap_or(0.0);
    Ok(Answer {
        status: if (0.0..=999.0).contains(&status) {
            status as u16
        } else {
            0
        },
        retry_after: answered.get(1).as_string(),
        body: answered.get(2).as_string().unwrap_or_default(),
    })
}

/// Aborts an attempt when its time is up or the caller's signal aborts; dropping it clears the
/// timer and the listener (as reqwest's `AbortGuard` does).
pub(super) struct AbortGuard<'a> {
    timer: JsValue,
    abort: Function,
    signal: Option<&'a AbortSignal>,
}

impl<'a> AbortGuard<'a> {
    pub(super) fn new(
        controller: &AbortController,
        timeout_ms: u32,
        signal: Option<&'a AbortSignal>,
    ) -> Result<Self, JsValue> {
        // The controller's own `abort`, bound to it: no Rust closure for the runtime to call.
        let abort: Function = Reflect::get(controller, &interned("abort"))?.dyn_into()?;
        let abort = abort.bind0(controller);
        if let Some(signal) = signal {
            signal.add_event_listener_with_callback("abort", &abort)?;
        }
        let timer = set_timeout(&abort, f64::from(timeout_ms));
        Ok(AbortGuard {
            timer,
            abort,
            signal,
        })
    }
}

impl AbortGuard<'_> {
    /// Aborts the controller now.
    pub(super) fn abort(&self) {
        let _ = self.abort.call0(&JsValue::UNDEFINED);
    }
}

impl Drop for AbortGuard<'_> {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some(signal) = self.signal {
            let _ = signal.remove_event_listener_with_callback("abort", &self.abort);
        }
    }
}
