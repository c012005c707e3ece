//! The JS side: [`JsHost`] implements the core's [`Host`] over the globals every target runtime
//! has (`fetch`, `setTimeout`, `AbortController`, `crypto`, `console`), bound once here from the
//! global scope (never `window`) or reached through the few helpers of `src/npm/attempt.js`; the
//! exported calls convert values at the boundary, once.

use js_sys::{JsString, Object as JsObject, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, Finished};
use crate::error::Error;
use crate::options::Given;
use crate::host::{Host, HttpRequest, Stream};
use crate::request::Json;
use crate::retry::{Answer, Outcome};
use crate::value::{Object, Value};

#[wasm_bindgen(module = "/src/npm/attempt.js")]
extern "C" {
    /// One attempt: fetch with a time limit and the caller's signal, read to the end.
    #[wasm_bindgen(catch)]
    fn attempt(url: &str, method: &JsValue, authorization: &str, body: &JsString, timeout_ms: f64, signal: Option<&JsValue>)
        -> Result<Promise, JsValue>;
    /// `object[key] = value` on an object made here with no prototype: it cannot throw, so it
    /// needs no try/catch around it (Reflect.set through `catch` costs more per member).
    #[wasm_bindgen(js_name = setMember)]
    fn set_member(object: &JsObject, key: &JsValue, value: &JsValue);
    /// Resolves after `ms`, or rejects as soon as `signal` aborts.
    fn sleep(ms: f64, signal: Option<&JsValue>) -> Promise;
    /// A real AbortSignal (not a look-alike, not a Proxy whose traps throw).
    #[wasm_bindgen(js_name = isAbortSignal)]
    fn is_abort_signal(value: &JsValue) -> bool;
    /// The kind of a value as a number (see `kindOf` in attempt.js).
    #[wasm_bindgen(js_name = kindOf)]
    fn kind_of(value: &JsValue) -> u32;
    /// An environment variable, where the runtime has it and allows reading it.
    #[wasm_bindgen(js_name = envVar)]
    fn env_var(name: &JsValue) -> JsValue;
    /// The UTF-8 size of a string, in bytes.
    #[wasm_bindgen(js_name = utf8Length)]
    fn utf8_length(text: &JsString) -> f64;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(bytes: &mut [u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    fn console_log(line: &str);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(line: &str);
}

thread_local! {
    /// JS strings for the crate's static names (option keys, body members, globals), made once:
    /// a Rust string crossing into JS is decoded each time, which costs more than the lookup.
    static NAMES: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

thread_local! {
    /// Random bytes from the host's CSPRNG, and how many of them are spent.
    static RANDOM_POOL: std::cell::RefCell<([u8; 1024], usize)> = const { std::cell::RefCell::new(([0; 1024], 1024)) };
}

/// The JS string of a static name, made on first use and kept.
fn name(text: &'static str) -> JsValue {
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, js)) = names.iter().find(|(known, _)| core::ptr::eq(*known, text)) {
            return js.clone();
        }
        let js = JsValue::from_str(text);
        names.push((text, js.clone()));
        js
    })
}

/// `start(opts, defaults?)`: resolves to the new session's id, or `null` after a quiet failure.
/// `defaults` are a client's (`new HoneyHive(defaults)`), under the call's own options.
#[wasm_bindgen(skip_typescript)]
pub fn start(opts: JsValue, defaults: JsValue) -> Promise {
    promise(Box::pin(async move { settle(api::start(&JsHost, &given(opts, defaults)).await, JsValue::NULL) }))
}

/// `log(opts, defaults?)`: resolves to the event's id, or `null` after a quiet failure.
#[wasm_bindgen(skip_typescript)]
pub fn log(opts: JsValue, defaults: JsValue) -> Promise {
    promise(Box::pin(async move { settle(api::log(&JsHost, &given(opts, defaults)).await, JsValue::NULL) }))
}

/// `update(opts, defaults?)`: resolves to `undefined`.
#[wasm_bindgen(skip_typescript)]
pub fn update(opts: JsValue, defaults: JsValue) -> Promise {
    promise(Box::pin(async move {
        let done = api::update(&JsHost, &given(opts, defaults)).await;
        settle(done.map(|done| done.map(|()| JsValue::UNDEFINED)), JsValue::UNDEFINED)
    }))
}

/// `logBatch(opts, defaults?)`: resolves to the event ids in order (`null` for an event the
/// server did not take), or `null` after a quiet failure of them all; in verbose mode a partial
/// failure rejects with an `Error` that carries `eventIds` and `errors`.
#[wasm_bindgen(js_name = logBatch, skip_typescript)]
pub fn log_batch(opts: JsValue, defaults: JsValue) -> Promise {
    promise(Box::pin(log_batch_settled(opts, defaults)))
}

async fn log_batch_settled(opts: JsValue, defaults: JsValue) -> Result<JsValue, JsValue> {
    let ids = |ids: Vec<Option<String>>| -> JsValue {
        ids.into_iter().map(|id| id.map_or(JsValue::NULL, JsValue::from)).collect::<js_sys::Array>().into()
    };
    match api::log_batch(&JsHost, &given(opts, defaults)).await {
        Ok(Some(event_ids)) => Ok(ids(event_ids)),
        Ok(None) => Ok(JsValue::NULL),
        Err(failure) => {
            let error: JsValue = js_sys::Error::new(&failure.message).into();
            let errors: js_sys::Array = failure.errors.into_iter().map(JsValue::from).collect();
            // Cannot fail on a fresh Error.
            let _ = Reflect::set(&error, &name("eventIds"), &ids(failure.event_ids));
            let _ = Reflect::set(&error, &name("errors"), &errors);
            Err(error)
        }
    }
}

/// A call's future, boxed: one promise adapter serves every call, instead of one per call.
type CallFuture = core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, JsValue>>>>;

fn promise(call: CallFuture) -> Promise {
    wasm_bindgen_futures::future_to_promise(call)
}

fn given(opts: JsValue, defaults: JsValue) -> Given<JsValue> {
    Given { call: classify(opts), defaults: classify(defaults) }
}

/// The one place a result becomes JS: a value, `quiet_failure`, or a rejection with an `Error`.
fn settle<T: Into<JsValue>>(finished: Finished<T>, quiet_failure: JsValue) -> Result<JsValue, JsValue> {
    match finished {
        Ok(Some(value)) => Ok(value.into()),
        Ok(None) => Ok(quiet_failure),
        Err(message) => Err(js_sys::Error::new(&message).into()),
    }
}

/// Sorts a JS value into the kinds the core reads.
pub fn classify(v: JsValue) -> Value<JsValue> {
    // One crossing tells the kind (each `is_*` check would be one more).
    match kind_of(&v) {
        0 => Value::Absent,
        1 => Value::Bool(v.is_truthy()),
        2 => Value::Number(v.as_f64().unwrap_or(f64::NAN)),
        3 => Value::String(v.as_string().unwrap_or_default()),
        4 => Value::Object(v),
        5 => Value::Other("an array"),
        6 => Value::Other("a function"),
        7 => Value::Other("a BigInt"),
        8 => Value::Other("a Symbol"),
        9 => Value::Other("a revoked Proxy"),
        _ => Value::Other("a value of an unknown kind"),
    }
}

/// A thrown JS value, as text for a message: its `message`, or itself if it is a string. Read
/// without `instanceof`, which a hostile Proxy can make throw.
fn describe(thrown: &JsValue) -> String {
    thrown
        .as_string()
        .or_else(|| member(thrown, "message")?.as_string())
        .unwrap_or_else(|| "a non-Error value was thrown".into())
}

/// `signal.aborted`, read so that it cannot throw; `None` if it is not a boolean.
fn is_aborted(signal: &JsValue) -> Option<bool> {
    Reflect::get(signal, &name("aborted")).ok()?.as_bool()
}

impl Object for JsValue {
    fn get(&self, key: &'static str) -> Result<Value<JsValue>, Error> {
        Reflect::get(self, &name(key))
            .map(classify)
            .map_err(|thrown| Error::Unreadable { option: key, reason: describe(&thrown) })
    }

    fn is_abort_signal(&self) -> bool {
        is_abort_signal(self)
    }

    fn items(&self, key: &'static str) -> Result<Option<Vec<Value<JsValue>>>, Error> {
        let unreadable = |thrown: JsValue| Error::Unreadable { option: key, reason: describe(&thrown) };
        let value = Reflect::get(self, &name(key)).map_err(unreadable)?;
        match kind_of(&value) {
            0 => return Ok(None),
            5 => {}
            _ => return Err(Error::InvalidOption { option: key, expected: "an array", found: classify(value).kind() }),
        }
        let length = Reflect::get(&value, &name("length")).map_err(unreadable)?.as_f64().unwrap_or(0.0);
        if !(0.0..=MAX_ITEMS).contains(&length) {
            return Err(Error::InvalidOption { option: key, expected: "an array of at most 100000 items", found: "a longer one".into() });
        }
        (0..length as u32).map(|i| Reflect::get_u32(&value, i).map(classify).map_err(unreadable)).collect::<Result<_, _>>().map(Some)
    }
}

/// The longest array the host reads from a caller.
const MAX_ITEMS: f64 = 100_000.0;

/// The JS host of the running isolate. It holds nothing: every call is stateless.
pub struct JsHost;

/// `object[key]` when `object` is an object or a function and reading it does not throw.
fn member(object: &JsValue, key: &'static str) -> Option<JsValue> {
    if !(object.is_object() || object.is_function()) {
        return None;
    }
    Reflect::get(object, &name(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

impl Host for JsHost {
    type Object = JsValue;
    type Body = JsString;

    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        // One crypto.getRandomValues call fills 64 ids' worth (a call costs microseconds on
        // Node); the bytes are used once each, in order, as crypto.randomUUID's pool does.
        RANDOM_POOL.with(|pool| {
            let mut pool = pool.borrow_mut();
            let (bytes, used) = &mut *pool;
            if *used + 16 > bytes.len() {
                get_random_values(bytes).map_err(|thrown| Error::NoRandomness(describe(&thrown)))?;
                *used = 0;
            }
            let mut id = [0u8; 16];
            id.copy_from_slice(bytes.get(*used..*used + 16).unwrap_or(&[0; 16]));
            bytes.get_mut(*used..*used + 16).into_iter().for_each(|spent| spent.fill(0));
            *used += 16;
            Ok(id)
        })
    }

    fn jitter(&self) -> f64 {
        js_sys::Math::random()
    }

    fn env_var(&self, var: &'static str) -> Option<String> {
        env_var(&name(var)).as_string()
    }

    fn serialize(&self, body: &Json<JsValue>) -> Result<JsString, Error> {
        fn build(body: &Json<JsValue>) -> Result<JsValue, JsValue> {
            Ok(match body {
                Json::Str(s) => JsValue::from_str(s),
                Json::Num(n) => JsValue::from_f64(*n),
                Json::Bool(b) => JsValue::from_bool(*b),
                Json::Array(items) => {
                    let array = js_sys::Array::new();
                    for item in items {
                        array.push(&build(item)?);
                    }
                    array.into()
                }
                Json::Payload(p) => p.clone(),
                Json::Object(members) => {
                    // No prototype: no inherited setter can run (or throw) when members are set.
                    let object = JsObject::create(JsValue::NULL.unchecked_ref());
                    for (key, value) in members {
                        set_member(&object, &name(key), &build(value)?);
                    }
                    object.into()
                }
            })
        }
        build(body)
            .and_then(|value| JSON::stringify(&value))
            .map_err(|thrown| Error::NotSerializable(describe(&thrown)))
    }

    fn body_text(&self, body: &JsString, max_chars: usize) -> String {
        // Only the head crosses into wasm: the body can be megabytes.
        String::from(body.slice(0, u32::try_from(max_chars).unwrap_or(u32::MAX)))
    }

    fn body_bytes(&self, body: &JsString) -> usize {
        utf8_length(body) as usize
    }

    fn parse_json(&self, text: &str) -> Option<JsValue> {
        JSON::parse(text).ok().filter(JsValue::is_object)
    }

    async fn fetch(&self, request: &HttpRequest<'_, JsString>, timeout_ms: u32, signal: Option<&JsValue>) -> Outcome {
        if signal.is_some_and(|s| is_aborted(s) == Some(true)) {
            return Outcome::Aborted;
        }
        let method = name(request.method.as_str());
        let sent = attempt(request.url, &method, request.authorization, request.body, f64::from(timeout_ms), signal);
        let answer = match sent {
            Ok(promise) => JsFuture::from(promise).await,
            Err(thrown) => Err(thrown),
        };
        match answer {
            Ok(answer) => {
                let member = |i: u32| Reflect::get_u32(&answer, i).unwrap_or(JsValue::UNDEFINED);
                Outcome::Answer(Answer {
                    status: member(0).as_f64().map_or(0, |status| status as u16),
                    retry_after: member(1).as_string(),
                    body: member(2).as_string().unwrap_or_default(),
                })
            }
            Err(reason) => match reason.as_string().as_deref() {
                Some("aborted") => Outcome::Aborted,
                Some("timeout") => Outcome::Timeout,
                Some(message) => Outcome::Network(message.to_string()),
                None => Outcome::Network(describe(&reason)),
            },
        }
    }

    async fn sleep(&self, ms: u64, signal: Option<&JsValue>) -> Result<(), Error> {
        JsFuture::from(sleep(ms as f64, signal)).await.map(drop).map_err(|_| Error::Aborted)
    }

    fn print(&self, stream: Stream, line: &str) {
        match stream {
            Stream::Log => console_log(line),
            Stream::Error => console_error(line),
        }
    }
}
