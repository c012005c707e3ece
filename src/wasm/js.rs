//! The JS side: [`JsHost`] implements the core's [`Host`] over the globals every target runtime
//! has (`fetch`, `setTimeout`, `AbortController`, `crypto`, `console`), bound once here from the
//! global scope (never `window`) or reached through the helpers of `src/npm/host.js`. A call
//! crosses the boundary a few times, not once per option: its options come in as one snapshot
//! text (see [`crate::core::snapshot`]), its body goes out as one JSON text whose payloads the JS side
//! fills in (see [`crate::core::json`]), and each attempt is one call into JS.

use core::cell::RefCell;
use core::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::prelude::*;

use crate::core::api::{self, Finished, Single};
use crate::core::error::Error;
use crate::core::host::{Host, HttpRequest, Stream};
use crate::core::json::{self, Holes};
use crate::core::options::{self, Given, TABLE_NAMES, TABLE_TRACE};
use crate::core::request::{Events, Json};
use crate::core::retry::{Answer, Outcome};
use crate::core::snapshot::{self, Snap, Table};
use crate::core::value::{Object, Value};
use crate::wasm::task::{self, Done, Isolate, Promise, Settled};

// What the core uses of the runtime's own globals, bound here rather than through js-sys and
// web-sys: their bindings cost the .wasm more than they gave (README, Dependencies).
#[wasm_bindgen]
extern "C" {
    /// A JS array: the objects a call's snapshot names (`held`), a batch's ids and errors.
    #[wasm_bindgen(js_name = Array)]
    pub type Held;
    #[wasm_bindgen(constructor, js_class = "Array")]
    fn new() -> Held;
    #[wasm_bindgen(method, js_class = "Array")]
    fn push(this: &Held, value: &JsValue) -> u32;
    /// A body's JSON text: a JS string, copied into wasm only where verbose mode prints it.
    pub type Text;
    #[wasm_bindgen(method)]
    fn slice(this: &Text, start: u32, end: u32) -> String;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn math_random() -> f64;
    // A console a page replaced may throw: that must not unwind through a running call.
    #[wasm_bindgen(catch, js_namespace = console, js_name = log)]
    fn console_log(line: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = console, js_name = error)]
    fn console_error(line: &str) -> Result<(), JsValue>;
}

#[wasm_bindgen(module = "/src/npm/host.js")]
extern "C" {
    /// Takes the tables of names a snapshot reads (see [`crate::core::snapshot`]), once per isolate.
    #[wasm_bindgen(js_name = setTables)]
    fn set_tables(text: &str);
    /// The call's options and a client's defaults as one snapshot text; `held` receives the
    /// objects it names.
    /// With `trace` (a trace's `{ spans }`) given, it follows them (see [`options::TRACE_NAMES`]).
    #[wasm_bindgen(catch)]
    fn snapshot(
        held: &Held,
        opts: &JsValue,
        defaults: &JsValue,
        trace: &JsValue,
    ) -> Result<String, JsValue>;
    /// A body's JSON text with its holes filled: payloads from `held`, numbers formatted.
    #[wasm_bindgen(catch)]
    fn assemble(text: &str, held: &Held) -> Result<Text, JsValue>;
    /// One attempt: fetch with a time limit and the caller's signal (`held[signal_at]`), read
    /// to the end.
    #[wasm_bindgen(catch)]
    fn attempt(
        method: &str,
        url: &str,
        authorization: &str,
        body: &Text,
        timeout_ms: f64,
        held: &Held,
        signal_at: i32,
    ) -> Result<Promise, JsValue>;
    /// A body with each event at `place` replaced by what the caller's `redact` hook
    /// (`held[hook_at]`) returns for it: "" the body, "<member>", "[<member>" each item of it;
    /// places joined by "|".
    #[wasm_bindgen(catch, js_name = redactEvents)]
    fn redact_in(body: &Text, held: &Held, hook_at: u32, place: &str) -> Result<Text, JsValue>;
    /// Calls the caller's `onError` hook (`held[hook_at]`) with an `Error` of `message`.
    #[wasm_bindgen(js_name = callOnError)]
    fn call_on_error(held: &Held, hook_at: u32, message: &str);
    /// Resolves after `ms`, or rejects as soon as the signal aborts.
    fn sleep(ms: f64, held: &Held, signal_at: i32) -> Promise;
    /// An environment variable, where the runtime has it and allows reading it.
    #[wasm_bindgen(js_name = envVar)]
    fn env_var(name: &str) -> Option<String>;
    /// A thrown JS value, as text for a message: its `message`, or itself if it is a string.
    fn reason(thrown: &JsValue) -> String;
    /// An `Error` of `message` with a batch's `eventIds` and `errors`.
    #[wasm_bindgen(js_name = batchError)]
    fn batch_error(message: &str, event_ids: &Held, errors: &Held) -> JsValue;
    /// A server's answer as `JSON.parse` reads it, as a snapshot of the members [`TABLE_ANSWER`]
    /// names ("u" when it is not JSON).
    fn answer(text: &str, held: &Held) -> String;
    /// The UTF-8 size of a string, in bytes.
    #[wasm_bindgen(js_name = utf8Length)]
    fn utf8_length(text: &Text) -> f64;
}

/// The tables of names the JS side reads with: the options' ([`options::TABLES`]), then an
/// answer's ([`api::ANSWER_NAMES`]).
const TABLES: [Table; 6] = {
    let [names, env, event, span, trace] = options::TABLES;
    [names, env, event, span, trace, api::ANSWER_NAMES]
};
const TABLE_ANSWER: usize = 5;

/// Whether the JS side has the tables yet.
static TABLES_SENT: AtomicBool = AtomicBool::new(false);
/// Random bytes from the host's CSPRNG, and how many of them are spent.
static RANDOM_POOL: Isolate<RefCell<([u8; 1024], usize)>> =
    Isolate(RefCell::new(([0; 1024], 1024)));

// Every exported call settles through `done(ok, value)`, a function of the promise that
// src/npm/calls.js made with an executor of plain JS (see there why), and returns what
// src/npm/calls.js waits for before it calls `resume` (`undefined` once the call has settled;
// see [`crate::wasm::task`]).

/// `start(opts, defaults, done)`: the new session's id, or `null` after a quiet failure.
/// `defaults` are a client's (`new HoneyHive(defaults)`), under the call's own options.
#[wasm_bindgen(skip_typescript)]
pub fn start(opts: JsValue, defaults: JsValue, done: Done) -> JsValue {
    single(Single::Start, opts, defaults, done)
}

/// `log(opts, defaults, done)`: the event's id, or `null` after a quiet failure.
#[wasm_bindgen(skip_typescript)]
pub fn log(opts: JsValue, defaults: JsValue, done: Done) -> JsValue {
    single(Single::Log, opts, defaults, done)
}

/// `update(opts, defaults, done)`: `undefined`.
#[wasm_bindgen(skip_typescript)]
pub fn update(opts: JsValue, defaults: JsValue, done: Done) -> JsValue {
    single(Single::Update, opts, defaults, done)
}

/// The three single calls' one future: the id, or `quiet_failure` after a quiet failure
/// (`update` resolves to `undefined` either way).
fn single(call: Single, opts: JsValue, defaults: JsValue, done: Done) -> JsValue {
    task::spawn(
        Box::pin(async move {
            let (host, given) = JsHost::call(&opts, &defaults, None);
            let done = api::single(&host, call, &given.options).await;
            match call {
                Single::Update => settle(
                    done.map(|done| done.map(|_| JsValue::UNDEFINED)),
                    JsValue::UNDEFINED,
                ),
                _ => settle(done, JsValue::NULL),
            }
        }),
        done,
    )
}

/// `logBatch(opts, defaults?)`: resolves to the event ids in order (`null` for an event the
/// server did not take), or `null` after a quiet failure of them all; in verbose mode a partial
/// failure rejects with an `Error` that carries `eventIds` and `errors`.
#[wasm_bindgen(js_name = logBatch, skip_typescript)]
pub fn log_batch(opts: JsValue, defaults: JsValue, done: Done) -> JsValue {
    task::spawn(Box::pin(log_batch_settled(opts, defaults, None)), done)
}

/// `sendTrace(opts, defaults, { spans }, done)`: sends what a trace recorded (src/npm/tracing.js)
/// as one batch; settles as `logBatch` does.
#[wasm_bindgen(js_name = sendTrace, skip_typescript)]
pub fn send_trace(opts: JsValue, defaults: JsValue, trace: JsValue, done: Done) -> JsValue {
    task::spawn(
        Box::pin(log_batch_settled(opts, defaults, Some(trace))),
        done,
    )
}

/// `traceSession(opts, defaults)`: the session a trace's spans go to: the caller's `sessionId`
/// when it is a UUID, else a new UUIDv4 for the trace to start ("" without a random source:
/// sending then says why).
#[wasm_bindgen(js_name = traceSession, skip_typescript)]
pub fn trace_session(opts: JsValue, defaults: JsValue) -> JsValue {
    let (host, given) = JsHost::call(&opts, &defaults, None);
    api::id_or_new(&host, options::session_id(&given.options))
        .unwrap_or_default()
        .into()
}

/// `newId()`: a new UUIDv4 for a span ("" without a random source: sending then says why).
#[wasm_bindgen(js_name = newId, skip_typescript)]
pub fn new_span_id() -> JsValue {
    api::new_uuid(&JsHost { held: Held::new() })
        .unwrap_or_default()
        .into()
}

/// `logBatch`, or with `trace` a trace's sending: the ids in order, `null` after a quiet
/// failure of them all, or a rejection carrying `eventIds` and `errors`.
async fn log_batch_settled(
    opts: JsValue,
    defaults: JsValue,
    trace: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let array = |items: Vec<Option<String>>| {
        let array = Held::new();
        for item in items {
            array.push(&item.map_or(JsValue::NULL, JsValue::from));
        }
        array
    };
    let (host, given) = JsHost::call(&opts, &defaults, trace.as_ref());
    match api::batch(&host, &given.options, given.trace).await {
        Ok(Some(event_ids)) => Ok(array(event_ids).into()),
        Ok(None) => Ok(JsValue::NULL),
        Err(failure) => {
            let errors = Held::new();
            for error in failure.errors {
                errors.push(&error.into());
            }
            Err(batch_error(
                &failure.message,
                &array(failure.event_ids),
                &errors,
            ))
        }
    }
}

/// The one place a result becomes JS: a value, `quiet_failure`, or a rejection with an `Error`.
fn settle<T: Into<JsValue>>(
    finished: Finished<T>,
    quiet_failure: JsValue,
) -> Result<JsValue, JsValue> {
    match finished {
        Ok(Some(value)) => Ok(value.into()),
        Ok(None) => Ok(quiet_failure),
        Err(message) => Err(task::error(&message)),
    }
}

/// The JS host of one call: the JS values its snapshots name (`held`). Every call is stateless.
pub struct JsHost {
    held: Held,
}

impl JsHost {
    /// The host of a call, and the call's options (with a trace's spans) read in one crossing.
    pub fn call(opts: &JsValue, defaults: &JsValue, trace: Option<&JsValue>) -> (JsHost, Read) {
        if !TABLES_SENT.swap(true, Ordering::Relaxed) {
            set_tables(&snapshot::tables_text(&TABLES));
        }
        let held = Held::new();
        // Reading can only throw past the JS side's own catches when the text outgrows what a
        // JS string holds (options with gigabytes of strings): the options reader reports it.
        let text = snapshot(&held, opts, defaults, trace.unwrap_or(&JsValue::UNDEFINED))
            .unwrap_or_default();
        let tops: &[usize] = match trace {
            None => &[TABLE_NAMES, TABLE_NAMES],
            Some(_) => &[TABLE_NAMES, TABLE_NAMES, TABLE_TRACE],
        };
        let read = match snapshot::parse(&text, tops, &TABLES) {
            Ok(values) => {
                let mut values = values.into_iter();
                let call = values.next().unwrap_or(Value::Absent);
                let defaults = values.next().unwrap_or(Value::Absent);
                let trace = trace.map(|_| match values.next() {
                    Some(Value::Object(trace)) => {
                        trace.items("spans").ok().flatten().unwrap_or_default()
                    }
                    _ => Vec::new(),
                });
                Read {
                    options: Given { call, defaults },
                    trace,
                }
            }
            // The options reader reports it; it never happens with this package's own JS.
            Err(_) => Read {
                options: Given::call(Value::Other("options the logger could not read")),
                trace: trace.map(|_| Vec::new()),
            },
        };
        (JsHost { held }, read)
    }

    fn signal_at(signal: Option<&Snap>) -> i32 {
        signal.map_or(-1, |s| i32::try_from(s.held()).unwrap_or(-1))
    }
}

/// What a call was given: its options, and a trace's spans.
pub struct Read {
    pub options: Given<Snap>,
    pub trace: Option<Vec<Value<Snap>>>,
}

/// The first line of `text` and the rest after its `\n` (cut at the byte: no searcher code).
fn first_line(text: &str) -> (&str, &str) {
    let end = text.bytes().position(|b| b == b'\n').unwrap_or(text.len());
    (
        text.get(..end).unwrap_or_default(),
        text.get(end + 1..).unwrap_or_default(),
    )
}

/// The holes of a body as the JS side fills them (see `assemble` in src/npm/host.js).
struct JsHoles;

impl Holes<Snap> for JsHoles {
    fn payload(&mut self, payload: &Snap, out: &mut String) {
        out.push_str("\0p");
        out.push_str(&payload.held().to_string());
        out.push('\0');
    }
    fn member(&mut self, key: &str, payload: &Snap, out: &mut String) {
        // The key is one of the core's own member names (ASCII, no NUL).
        out.push_str("\0m");
        out.push_str(&payload.held().to_string());
        out.push(',');
        out.push_str(key);
        out.push('\0');
    }
    fn number(&mut self, n: f64, out: &mut String) {
        out.push_str("\0n");
        let bits = n.to_bits();
        for shift in (0..16).rev() {
            out.push(char::from_digit(((bits >> (shift * 4)) & 15) as u32, 16).unwrap_or('0'));
        }
        out.push('\0');
    }
}

impl Host for JsHost {
    type Object = Snap;
    type Body = Text;

    fn now_ms(&self) -> f64 {
        date_now()
    }

    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        // One crypto.getRandomValues call fills 64 ids' worth (a call costs microseconds on
        // Node); the bytes are used once each, in order, as crypto.randomUUID's pool does.
        let Ok(mut pool) = RANDOM_POOL.0.try_borrow_mut() else {
            return Err(Error::NoRandomness("the random pool is in use".into()));
        };
        let (bytes, used) = &mut *pool;
        if *used + 16 > bytes.len() {
            // getrandom's own message would add its Display code; the cause is always this.
            getrandom::fill(bytes).map_err(|_| {
                Error::NoRandomness("crypto.getRandomValues is missing or failed".into())
            })?;
            *used = 0;
        }
        let mut id = [0u8; 16];
        id.copy_from_slice(bytes.get(*used..*used + 16).unwrap_or(&[0; 16]));
        bytes
            .get_mut(*used..*used + 16)
            .into_iter()
            .for_each(|spent| spent.fill(0));
        *used += 16;
        Ok(id)
    }

    fn jitter(&self) -> f64 {
        math_random()
    }

    fn env_var(&self, var: &'static str) -> Option<String> {
        env_var(var)
    }

    fn serialize(&self, body: &Json<Snap>) -> Result<Text, Error> {
        let mut text = String::new();
        json::write(body, &mut text, &mut JsHoles);
        assemble(&text, &self.held).map_err(|thrown| Error::NotSerializable(reason(&thrown)))
    }

    fn redact_events(&self, body: Text, hook: &Snap, events: Events) -> Result<Text, Error> {
        let place = match events {
            Events::Body => "",
            Events::Member(member) => member,
            Events::Batch => "[events|session_properties",
        };
        redact_in(&body, &self.held, hook.held(), place)
            .map_err(|thrown| Error::Redact(reason(&thrown)))
    }

    fn on_error(&self, hook: &Snap, message: &str) {
        call_on_error(&self.held, hook.held(), message);
    }

    fn body_text(&self, body: &Text, max_chars: usize) -> String {
        // Only the head crosses into wasm: the body can be megabytes.
        body.slice(0, u32::try_from(max_chars).unwrap_or(u32::MAX))
    }

    fn body_bytes(&self, body: &Text) -> usize {
        utf8_length(body) as usize
    }

    fn parse_answer(&self, body: &str) -> Option<Snap> {
        match snapshot::parse(&answer(body, &self.held), &[TABLE_ANSWER], &TABLES)
            .ok()?
            .into_iter()
            .next()
        {
            Some(Value::Object(answer)) => Some(answer),
            _ => None,
        }
    }

    async fn fetch(
        &self,
        request: &HttpRequest<'_, Text>,
        timeout_ms: u32,
        signal: Option<&Snap>,
    ) -> Outcome {
        let (method, url, authorization) =
            (request.method.as_str(), request.url, request.authorization);
        let sent = attempt(
            method,
            url,
            authorization,
            request.body,
            f64::from(timeout_ms),
            &self.held,
            Self::signal_at(signal),
        );
        let answer = match sent {
            Ok(promise) => Settled::of(promise).await,
            Err(thrown) => Err(thrown),
        };
        match answer {
            Ok(answer) => {
                // "<status>\n<=retry-after, or nothing>\n<text>" (lines cut at their bytes: no searcher code)
                let answer = answer.as_string().unwrap_or_default();
                let (status, rest) = first_line(&answer);
                let (retry_after, body) = first_line(rest);
                Outcome::Answer(Answer {
                    status: status
                        .parse::<u64>()
                        .ok()
                        .and_then(|n| u16::try_from(n).ok())
                        .unwrap_or(0),
                    retry_after: retry_after
                        .get(1..)
                        .filter(|_| retry_after.starts_with('='))
                        .map(str::to_string),
                    body: body.to_string(),
                })
            }
            Err(thrown) => match thrown.as_string().as_deref() {
                Some("aborted") => Outcome::Aborted,
                Some("timeout") => Outcome::Timeout,
                Some(message) => Outcome::Network(message.to_string()),
                None => Outcome::Network(reason(&thrown)),
            },
        }
    }

    async fn sleep(&self, ms: u64, signal: Option<&Snap>) -> Result<(), Error> {
        Settled::of(sleep(ms as f64, &self.held, Self::signal_at(signal)))
            .await
            .map(drop)
            .map_err(|_| Error::Aborted)
    }

    fn print(&self, stream: Stream, line: &str) {
        match stream {
            Stream::Log => drop(console_log(line)),
            Stream::Error => drop(console_error(line)),
        }
    }
}
