//! The calls the package's JS (src/npm/calls.js) makes into wasm. Each call reads its options
//! at once, when it is made, then runs as a future (`spawn_local`) that settles a promise made
//! in plain JS by calling its `resolve` or `reject`: a Promise executor that calls into wasm
//! (wasm-bindgen's `future_to_promise`) crashed Node 20's V8 under 10 000 concurrent calls.

use js_sys::{Array, Function, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::core::record::Record;
use crate::core::value::{Payload as _, Value};

use super::errors::js_error;
use super::host::{given, JsHost};
use super::payload::JsPayload;
use crate::core::api::{self, Finished, Replayed, Single};

/// The host of every call (it holds nothing: the calls are stateless).
static HOST: JsHost = JsHost;

/// `start(opts, defaults, resolve, reject)`: the new session's id, or `null` after a quiet
/// failure. `defaults` are a client's (`new HoneyHive(defaults)`), under the call's own options.
#[wasm_bindgen(skip_typescript)]
pub fn start(opts: JsValue, defaults: JsValue, resolve: Function, reject: Function) {
    single(Single::Start, opts, defaults, Settle { resolve, reject });
}

/// `log(opts, defaults, resolve, reject)`: the event's id, or `null` after a quiet failure.
#[wasm_bindgen(skip_typescript)]
pub fn log(opts: JsValue, defaults: JsValue, resolve: Function, reject: Function) {
    single(Single::Log, opts, defaults, Settle { resolve, reject });
}

/// `update(opts, defaults, resolve, reject)`: `undefined`.
#[wasm_bindgen(skip_typescript)]
pub fn update(opts: JsValue, defaults: JsValue, resolve: Function, reject: Function) {
    single(Single::Update, opts, defaults, Settle { resolve, reject });
}

/// The three single calls: the id, or `null` after a quiet failure (`update` resolves to
/// `undefined` either way).
fn single(call: Single, opts: JsValue, defaults: JsValue, settle: Settle) {
    // Made now: the options are read and the body serialised before this returns.
    let call_done = api::single(&HOST, call, &given(opts, defaults));
    spawn_local(async move {
        let done = call_done.await;
        match call {
            Single::Update => settle.with(
                done.map(|done| done.map(|_| JsValue::UNDEFINED)),
                JsValue::UNDEFINED,
            ),
            _ => settle.with(done, JsValue::NULL),
        }
    });
}

/// `logBatch(opts, defaults, resolve, reject)`: the event ids in order (`null` for an event the
/// server did not take), or `null` after a quiet failure of them all; in verbose mode a partial
/// failure rejects with an `Error` that carries `eventIds` and `errors`.
#[wasm_bindgen(js_name = logBatch, skip_typescript)]
pub fn log_batch(opts: JsValue, defaults: JsValue, resolve: Function, reject: Function) {
    batch(opts, defaults, None, Settle { resolve, reject });
}

/// `sendTrace(opts, defaults, { spans }, resolve, reject)`: sends what a trace recorded
/// (src/npm/tracing.js) as one batch; settles as `logBatch` does.
#[wasm_bindgen(js_name = sendTrace, skip_typescript)]
pub fn send_trace(
    opts: JsValue,
    defaults: JsValue,
    trace: JsValue,
    resolve: Function,
    reject: Function,
) {
    batch(opts, defaults, Some(trace), Settle { resolve, reject });
}

/// `beginTrace(opts, defaults)`: `[sessionId, sampled]`, how a trace begins: the session its
/// spans go to, and whether its `sampleRate` sends it (decided once, here).
#[wasm_bindgen(js_name = beginTrace, skip_typescript)]
pub fn begin_trace(opts: JsValue, defaults: JsValue) -> Array {
    let begun = api::begin_trace(&HOST, &given(opts, defaults));
    Array::of2(&begun.session_id.into(), &begun.sampled.into())
}

/// `newId()`: a new UUIDv4 for a span ("" without a random source: sending then says why).
#[wasm_bindgen(js_name = newId, skip_typescript)]
pub fn new_span_id() -> JsValue {
    api::new_uuid(&HOST).unwrap_or_default().into()
}

/// `logBatch`, or with `trace` a trace's sending.
fn batch(opts: JsValue, defaults: JsValue, trace: Option<JsValue>, settle: Settle) {
    let spans = trace.map(|trace| spans(&trace));
    // Made now: the options are read and the bodies serialised before this returns.
    let sent = api::batch(&HOST, &given(opts, defaults), spans);
    spawn_local(async move {
        let ids = |items: Vec<Option<String>>| -> Array {
            items
                .into_iter()
                .map(|id| id.map_or(JsValue::NULL, JsValue::from))
                .collect()
        };
        match sent.await {
            Ok(Some(event_ids)) => settle.resolve(&ids(event_ids).into()),
            Ok(None) => settle.resolve(&JsValue::NULL),
            Err(failure) => {
                let error = js_error(&failure.error);
                let errors: Array = failure.errors.into_iter().map(JsValue::from).collect();
                let _ = Reflect::set(&error, &"eventIds".into(), &ids(failure.event_ids));
                let _ = Reflect::set(&error, &"errors".into(), &errors);
                settle.reject(&error);
            }
        }
    });
}

/// `replay(message, attempts, requeue, opts, defaults, resolve, reject)`: sends a message an
/// outbox kept (its `attempts`-th delivery; 0: the count the message carries), with the keys and
/// URL of `opts`; with `requeue`, what a later delivery could mend goes back to the outbox in
/// `opts`. Resolves to `{ again: false, delivered }` when the queue may forget it (delivered;
/// refused and reported; handed back), or to `{ again: true, delaySeconds, error }` when it should
/// deliver it again (src/npm/calls.js acks or retries).
#[wasm_bindgen(skip_typescript)]
#[allow(clippy::too_many_arguments)] // the promise's two functions come last, as in every export
pub fn replay(
    message: JsValue,
    attempts: u32,
    requeue: bool,
    opts: JsValue,
    defaults: JsValue,
    resolve: Function,
    reject: Function,
) {
    let settle = Settle { resolve, reject };
    let (given, message) = (given(opts, defaults), JsPayload(message));
    spawn_local(async move {
        let outcome = match api::replay(&HOST, &given, &message, attempts, requeue).await {
            Replayed::Delivered => ReplayOutcome {
                delivered: true,
                ..ReplayOutcome::default()
            },
            Replayed::Refused { .. } | Replayed::Requeued => ReplayOutcome::default(),
            Replayed::Again {
                delay_seconds,
                failure,
            } => ReplayOutcome {
                again: true,
                delay_seconds: Some(delay_seconds),
                error: Some(JsPayload(js_error(&failure))),
                ..ReplayOutcome::default()
            },
        };
        let outcome = outcome.serialize(&serde_wasm_bindgen::Serializer::new());
        match outcome {
            Ok(outcome) => settle.resolve(&outcome),
            Err(error) => settle.reject(&error.into()),
        }
    });
}

/// What a replay resolves to (src/npm/calls.js acks or retries by it): `again` when the queue
/// should deliver the message again, after `delaySeconds`, for `error`.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct ReplayOutcome {
    again: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    delivered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    delay_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<JsPayload>,
}

/// The spans a trace recorded: `trace.spans` (src/npm/tracing.js makes it; none when it cannot be
/// read, which the trace's sending reports).
fn spans(trace: &JsValue) -> Vec<JsPayload> {
    let spans = Record::of(&JsPayload(trace.clone())).map(|trace| trace.value("spans"));
    match spans {
        Ok(Value::Array(spans)) => spans.items().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The `resolve` and `reject` of a call's promise (src/npm/calls.js).
struct Settle {
    resolve: Function,
    reject: Function,
}

impl Settle {
    fn resolve(&self, value: &JsValue) {
        let _ = self.resolve.call1(&JsValue::UNDEFINED, value);
    }

    fn reject(&self, error: &JsValue) {
        let _ = self.reject.call1(&JsValue::UNDEFINED, error);
    }

    /// The one place a single call's result becomes JS: a value, `quiet_failure`, or a
    /// rejection with an `Error`.
    fn with<T: Into<JsValue>>(&self, finished: Finished<T>, quiet_failure: JsValue) {
        match finished {
            Ok(Some(value)) => self.resolve(&value.into()),
            Ok(None) => self.resolve(&quiet_failure),
            Err(failure) => self.reject(&js_error(&failure)),
        }
    }
}
