//! [`JsHost`]: the core's [`Host`] over the JS runtime: the fetch API (web-sys), the built-ins
//! (js-sys), the global `fetch` and `setTimeout` (see [`super::global`]).

use js_sys::{Date, Function, Math, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::errors::js_error;
use super::fetch::{self, Attempt};
use super::payload::JsPayload;
use super::redact::redact;
use super::reflect::member;
use super::thrown::{self, OrReason};
use super::{env, outbox, random};
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::host::{Host, HttpRequest, Stream, Unqueued};
use crate::core::options::Given;
use crate::core::options::Outbox;
use crate::core::outbox::{Kind, Message};
use crate::core::request::Events;
use crate::core::retry::Outcome;
use crate::core::value::Payload;
use serde::Serialize;

/// The JS host of the calls: stateless, like the calls.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsHost;

/// A call's options as the core reads them: the call's own object over a client's defaults.
pub fn given(opts: JsValue, defaults: JsValue) -> Given<JsPayload> {
    Given {
        call: JsPayload(opts).value(),
        defaults: JsPayload(defaults).value(),
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
    type Payload = JsPayload;
    type Body = JsValue;

    fn now_ms(&self) -> f64 {
        Date::now()
    }

    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        random::bytes16()
    }

    fn jitter(&self) -> f64 {
        Math::random()
    }

    fn env_var(&self, name: &'static str) -> Option<String> {
        env::var(name)
    }

    /// Turned into JS by serde-wasm-bindgen (the payloads as they are) and written by the
    /// runtime's `JSON.stringify`, as the reference's `json.dumps` writes its dict.
    fn serialize<B: Serialize>(&self, body: &B) -> Result<JsValue, Error> {
        let not_serializable = |reason| Error::NotSerializable(reason);
        let value = body
            .serialize(&serde_wasm_bindgen::Serializer::new())
            .map_err(|error| not_serializable(error.to_string()))?;
        js_sys::JSON::stringify(&value)
            .map(JsValue::from)
            .map_err(|thrown| not_serializable(thrown::reason(&thrown)))
    }

    fn redact_events(
        &self,
        body: JsValue,
        hook: &JsPayload,
        events: Events,
    ) -> Result<JsValue, Error> {
        let Some(hook) = hook.0.dyn_ref::<Function>() else {
            return Err(Error::Redact("it is not a function".into()));
        };
        redact(&body, hook, events).map_err(Error::Redact)
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

    fn body_text(&self, body: &JsValue, max_chars: usize) -> String {
        // Only the head crosses into wasm: the body can be megabytes.
        let Some(body) = body.dyn_ref::<js_sys::JsString>() else {
            return String::new();
        };
        let end = u32::try_from(max_chars).unwrap_or(u32::MAX);
        body.slice(0, end).into()
    }

    fn body_bytes(&self, body: &JsValue) -> usize {
        body.as_string().map_or(0, |text| text.len())
    }

    fn parse_json(&self, body: &str) -> Option<JsPayload> {
        js_sys::JSON::parse(body).ok().map(JsPayload)
    }

    fn body_payload(&self, body: &JsValue) -> JsPayload {
        JsPayload(body.clone())
    }

    fn payload_body(&self, payload: &JsPayload) -> Option<JsValue> {
        payload.0.is_string().then(|| payload.0.clone())
    }

    fn text_payload(&self, text: &str) -> JsPayload {
        JsPayload(JsValue::from_str(text))
    }

    fn bytes_payload(&self, bytes: &[u8]) -> JsPayload {
        JsPayload(js_sys::Uint8Array::from(bytes).into())
    }

    fn payload_bytes(&self, payload: &JsPayload) -> Option<Vec<u8>> {
        Some(payload.0.dyn_ref::<js_sys::Uint8Array>()?.to_vec())
    }

    async fn gzip(&self, body: &JsValue) -> Result<Vec<u8>, String> {
        outbox::gzip(body).await.or_reason()
    }

    async fn gunzip(&self, bytes: &[u8]) -> Result<JsValue, String> {
        outbox::gunzip(bytes).await.or_reason()
    }

    fn message_bytes(&self, kind: Kind, message: &Message<JsPayload>) -> usize {
        outbox::message_bytes(kind, message)
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
