//! [`JsHost`]: the core's [`Host`] over the JS runtime: an attempt's `fetch` (see
//! [`super::fetch`]), the built-ins (js-sys), `setTimeout` (see [`super::global`]); its body
//! codec is [`super::codec`].

use js_sys::{Date, Function, Math, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::errors::js_error;
use super::fetch::{self, Attempt};
use super::payload::JsPayload;
use super::reflect::member;
use super::{env, outbox, random};
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::host::{Host, HttpRequest, Stream, Unqueued};
use crate::core::options::Given;
use crate::core::options::Outbox;
use crate::core::outbox::Message;
use crate::core::retry::Outcome;

/// The JS host of the calls: stateless, like the calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsHost;

/// A call's options as the core reads them: the call's own object over a client's defaults.
pub fn given(opts: JsValue, defaults: JsValue) -> Given<JsPayload> {
    Given {
        call: JsPayload(opts).options(),
        defaults: JsPayload(defaults).options(),
    }
}

/// The caller's `AbortSignal` (the options checked it is one).
fn abort_signal(signal: Option<&JsPayload>) -> Option<AbortSignal> {
    signal.and_then(|s| s.0.clone().dyn_into().ok())
}

#[wasm_bindgen(module = "/src/npm/sleep.js")]
extern "C" {
    /// A promise that resolves after `ms`, or rejects as soon as `signal` aborts (made in JS:
    /// src/npm/sleep.js says why).
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// Anything with a `then` method: what an `onError` hook may return.
    type Thenable;
    /// `thenable.then(undefined, on_rejected)`, catching what its own `then` throws.
    #[wasm_bindgen(catch, method, js_name = then)]
    fn then_rejected(
        this: &Thenable,
        on_fulfilled: &JsValue,
        on_rejected: &Function,
    ) -> Result<JsValue, JsValue>;
}

thread_local! {
    /// A rejection handler that does nothing: what `onError`'s own promise rejects with is
    /// swallowed.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

impl Host for JsHost {
    fn now_ms(&self) -> f64 {
        Date::now()
    }

    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        random::bytes16()
    }

    fn random_unit(&self) -> f64 {
        Math::random()
    }

    fn env_var(&self, name: &'static str) -> Option<String> {
        env::var(name)
    }

    /// Calls the hook with a `HoneyHiveError`; what it throws, or a promise it returns rejects
    /// with, never reaches the caller of the logger.
    fn on_error(&self, hook: &JsPayload, failure: &Failure) {
        let Ok(hook) = hook.0.clone().dyn_into::<Function>() else {
            return;
        };
        let Ok(returned) = hook.call1(&JsValue::UNDEFINED, &js_error(failure)) else {
            return;
        };
        if member(&returned, "then").is_function() {
            IGNORE.with(|ignore| {
                let thenable: &Thenable = returned.unchecked_ref();
                let _ =
                    thenable.then_rejected(&JsValue::UNDEFINED, ignore.as_ref().unchecked_ref());
            });
        }
    }

    fn env_denied(&self, name: &'static str) -> bool {
        env::denied(name)
    }

    async fn enqueue(
        &self,
        outbox: &Outbox<JsPayload>,
        message: &Message<JsPayload>,
        delay_seconds: u32,
        timeout_ms: u32,
        signal: Option<&JsPayload>,
    ) -> Result<(), Unqueued> {
        let signal = abort_signal(signal);
        outbox::enqueue(outbox, message, delay_seconds, timeout_ms, signal.as_ref()).await
    }

    async fn fetch(
        &self,
        request: &HttpRequest<'_, JsValue>,
        timeout_ms: u32,
        signal: Option<&JsPayload>,
    ) -> Outcome {
        let signal = abort_signal(signal);
        fetch::send(Attempt {
            method: request.method.as_str(),
            url: request.url,
            authorization: request.authorization,
            body: request.body,
            timeout_ms,
            signal: signal.as_ref(),
        })
        .await
    }

    async fn sleep(&self, ms: u64, signal: Option<&JsPayload>) -> Result<(), Error> {
        let signal = abort_signal(signal);
        let slept = JsFuture::from(sleep(ms as f64, signal.as_ref())).await;
        slept.map(drop).map_err(|_| Error::Aborted)
    }

    /// Through `Function.call`, which catches: a console a page replaced may throw, and that
    /// must not unwind through a running call.
    fn print(&self, stream: Stream, line: &str) {
        let console = member(&js_sys::global(), "console");
        let method = match stream {
            Stream::Log => "log",
            Stream::Error => "error",
            Stream::Warn => "warn",
        };
        if let Ok(print) = member(&console, method).dyn_into::<Function>() {
            let _ = print.call1(&console, &JsValue::from_str(line));
        }
    }
}
