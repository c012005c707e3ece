//! The outbox over the JS runtime: a message handed to a Cloudflare Queue, a `Deno.Kv` or the
//! user's queue, bounded in time; its size as the queue counts it; and its body gzipped and
//! back (src/npm/gzip.js).

use js_sys::{Array, Function, Promise, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use super::fetch::{aborted, AbortGuard};
use super::global::resolve;
use super::payload::JsPayload;
use super::reflect::member;
use super::{random, thrown};
use crate::core::host::Unqueued;
use crate::core::ids::v4_from_bytes;
use crate::core::options::Outbox;
use crate::core::outbox::{Kind, Message, DENO_BACKOFF_MS};

#[wasm_bindgen(module = "/src/npm/sleep.js")]
extern "C" {
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;
}

#[wasm_bindgen(module = "/src/npm/gzip.js")]
extern "C" {
    /// A promise of the body's text gzipped, as an `ArrayBuffer`.
    #[wasm_bindgen(catch, js_name = gzip)]
    fn gzip_text(text: &JsValue) -> Result<Promise, JsValue>;
    /// A promise of gzipped bytes as text.
    #[wasm_bindgen(catch, js_name = gunzip)]
    fn gunzip_bytes(bytes: &Uint8Array) -> Result<Promise, JsValue>;
}

/// Where Deno keeps what it could not deliver after its retries, by message: never dropped.
const DENO_UNDELIVERED: &str = "honeyhive-outbox-undelivered";

/// Hands `message` to the outbox, to be delivered after `delay_seconds`; waits at most
/// `timeout_ms`, and no longer than the caller's `signal` allows.
pub async fn enqueue(
    outbox: &Outbox<JsPayload>,
    message: &Message<JsPayload>,
    delay_seconds: u32,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<(), Unqueued> {
    let refused = |thrown: JsValue| Unqueued::Refused(thrown::reason(&thrown));
    let sent = send(outbox, message, delay_seconds).map_err(refused)?;
    let controller = AbortController::new().map_err(refused)?;
    let guard = AbortGuard::new(&controller, timeout_ms, signal).map_err(refused)?;
    // Rejects when the guard aborts the controller: the time is up, or the caller aborted.
    // (Its own timer is far later than the guard's: it is never the one that ends the race.)
    let stop = sleep(f64::from(timeout_ms) + 60_000.0, Some(&controller.signal()));
    let settled = JsFuture::from(Promise::race(&Array::of2(&sent, &stop))).await;
    let timed_out = aborted(&controller.signal());
    // Ends `stop`'s timer when the queue answered first.
    guard.abort();
    drop(guard);
    match settled {
        Ok(_) if !timed_out => Ok(()),
        Ok(_) => Err(Unqueued::TimedOut),
        Err(_) if signal.is_some_and(aborted) => Err(Unqueued::Aborted),
        Err(_) if timed_out => Err(Unqueued::TimedOut),
        Err(thrown) => Err(refused(thrown)),
    }
}

/// The options of a Cloudflare Queue's `send` (`contentType: "json"`, so that the consumer gets
/// the object back), or of a custom queue's.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SendOptions {
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<u32>,
}

/// The options of a `Deno.Kv`'s `enqueue`: where a message still undelivered after the schedule
/// is kept, the schedule, and the delay (ms).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EnqueueOptions {
    keys_if_undelivered: [(&'static str, String); 1],
    backoff_schedule: &'static [u32],
    #[serde(skip_serializing_if = "Option::is_none")]
    delay: Option<u64>,
}

/// The queue's own call, as a promise: a Cloudflare Queue's `send(message, { contentType:
/// "json", delaySeconds })`, a `Deno.Kv`'s `enqueue(message, { delay, keysIfUndelivered,
/// backoffSchedule })`, or the user's `send(message, { delaySeconds })`.
fn send(
    outbox: &Outbox<JsPayload>,
    message: &Message<JsPayload>,
    delay_seconds: u32,
) -> Result<Promise, JsValue> {
    let value = serde_wasm_bindgen::to_value(message)?;
    let queue = &outbox.queue.0;
    let method = match outbox.kind {
        Kind::DenoKv => "enqueue",
        Kind::CloudflareQueue | Kind::Custom => "send",
    };
    let send: Function = member(queue, method)
        .dyn_into()
        .map_err(|_| JsValue::from(format!("it has no {method} function")))?;
    let delay_seconds = (delay_seconds > 0).then_some(delay_seconds);
    let options = match outbox.kind {
        Kind::CloudflareQueue => SendOptions {
            content_type: Some("json"),
            delay_seconds,
        }
        .serialize(&serde_wasm_bindgen::Serializer::new()),
        Kind::Custom => SendOptions {
            content_type: None,
            delay_seconds,
        }
        .serialize(&serde_wasm_bindgen::Serializer::new()),
        Kind::DenoKv => {
            // Whole numbers: formatting an `f64` would link Rust's float printing (13 KB).
            let fallback = || {
                let (now, random) = (js_sys::Date::now(), js_sys::Math::random() * 1e15);
                format!("{}-{}", now as u64, random as u64)
            };
            let id = message
                .id
                .clone()
                .unwrap_or_else(|| random::bytes16().map_or_else(|_| fallback(), v4_from_bytes));
            EnqueueOptions {
                keys_if_undelivered: [(DENO_UNDELIVERED, id)],
                backoff_schedule: &DENO_BACKOFF_MS,
                delay: delay_seconds.map(|s| u64::from(s) * 1000),
            }
            .serialize(&serde_wasm_bindgen::Serializer::new())
        }
    }?;
    let returned = match (outbox.kind, delay_seconds) {
        (Kind::Custom, None) => send.call1(queue, &value)?,
        _ => send.call2(queue, &value, &options)?,
    };
    resolve(&returned)
}

/// The size of a message as a queue of `kind` counts it: its JSON text in UTF-8, or for Deno
/// KV what V8's serialisation takes (a string within Latin-1 one byte a character, else two;
/// bytes as they are), with room for the members around the body.
pub fn message_bytes(kind: Kind, message: &Message<JsPayload>) -> usize {
    let Ok(value) = serde_wasm_bindgen::to_value(message) else {
        return usize::MAX;
    };
    if kind.counts_json() {
        return js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|text| text.as_string())
            .map_or(usize::MAX, |text| text.len());
    }
    let body = &message.body.0;
    let body_bytes = match body.as_string() {
        Some(text) if text.chars().all(|c| u32::from(c) <= 0xff) => text.chars().count(),
        Some(text) => text.encode_utf16().count() * 2,
        None => body
            .dyn_ref::<Uint8Array>()
            .map_or(usize::MAX, |bytes| bytes.length() as usize),
    };
    body_bytes.saturating_add(message.path.len() + 256)
}

/// A body gzipped.
pub async fn gzip(body: &JsValue) -> Result<Vec<u8>, JsValue> {
    let buffer = JsFuture::from(gzip_text(body)?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Gzipped bytes as text again.
pub async fn gunzip(bytes: &[u8]) -> Result<JsValue, JsValue> {
    JsFuture::from(gunzip_bytes(&Uint8Array::from(bytes))?).await
}
