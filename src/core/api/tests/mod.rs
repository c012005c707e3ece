//! The call flow against a scripted fake host. This module holds the fake host and the
//! builders the topics share; each file below tests one topic.
//!
//! `core::outbox`'s tests use the fake host and some builders too, hence `pub(crate)`.

use super::*;
use crate::core::failure::Failure;
use crate::core::host::{Codec, HttpRequest, Stream, Unqueued};
use crate::core::options::Given;
use crate::core::options::Outbox;
use crate::core::outbox::{Kind, Message};
use crate::core::request::Method;
use crate::core::retry::{Answer, Outcome};
use crate::core::value::Value;
use serde::Serialize;
use serde_json::{json, Value as J};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

mod batch;
mod calls;
mod hooks;
mod keys;
mod outbox;
mod reporting;
mod retries;
mod traces;

pub(crate) const KEY: &str = "hh-secret-key-123";
pub(super) const ID: &str = "123e4567-e89b-42d3-a456-426614174000";
pub(super) const NOW: f64 = 1_700_000_000_000.0;

/// One request as the fake host received it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sent {
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) authorization: String,
    pub(crate) body: J,
    pub(crate) timeout_ms: u32,
}

#[derive(Default)]
pub(crate) struct FakeHost {
    pub(crate) answers: RefCell<VecDeque<Outcome>>,
    pub(crate) sent: RefCell<Vec<Sent>>,
    pub(crate) sleeps: RefCell<Vec<u64>>,
    pub(crate) printed: RefCell<Vec<(Stream, String)>>,
    pub(crate) env: Vec<(&'static str, &'static str)>,
    /// Every variable the core asked the host's environment for.
    pub(crate) env_reads: RefCell<Vec<&'static str>>,
    pub(crate) abort_sleep: bool,
    /// The byte of the next random block: ids come out 07070707-…, 08080808-…, …
    pub(crate) next_random: RefCell<u8>,
    /// What the caller's onError hook was called with: (the hook's name, the message).
    pub(crate) hook_calls: RefCell<Vec<(String, String)>>,
    /// The failures the onError hook was given, whole.
    pub(crate) failures: RefCell<Vec<Failure>>,
    /// The messages handed to an outbox, and the delay each was handed over with.
    pub(crate) queued: RefCell<Vec<J>>,
    pub(crate) delays: RefCell<Vec<u32>>,
    /// How long the core waited for each outbox that never answers.
    pub(crate) enqueue_waits: RefCell<Vec<u32>>,
    /// How many times the core read the clock, and drew a random number (each a call into JS).
    pub(crate) clock_reads: Cell<u32>,
    pub(crate) jitter_draws: Cell<u32>,
}

impl FakeHost {
    pub(crate) fn answering(outcomes: impl IntoIterator<Item = Outcome>) -> Self {
        FakeHost {
            answers: RefCell::new(outcomes.into_iter().collect()),
            ..Default::default()
        }
    }
    pub(crate) fn sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }
    pub(crate) fn printed(&self) -> Vec<(Stream, String)> {
        self.printed.borrow().clone()
    }
}

pub(crate) fn ok(body: &str) -> Outcome {
    Outcome::Answer(Answer {
        status: 200,
        retry_after: None,
        body: body.into(),
    })
}

pub(crate) fn status(status: u16) -> Outcome {
    Outcome::Answer(Answer {
        status,
        retry_after: None,
        body: format!("{{\"error\":\"status {status}\"}}"),
    })
}

/// `value` with every number as a float: `10` and `10.0` are the same JSON number.
pub(super) fn as_floats(value: &J) -> J {
    match value {
        J::Number(n) => json!(n.as_f64()),
        J::Array(items) => J::Array(items.iter().map(as_floats).collect()),
        J::Object(members) => J::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), as_floats(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

impl Codec for FakeHost {
    type Payload = J;
    type Body = String;
    fn serialize<B: Serialize>(&self, body: &B) -> Result<String, Error> {
        let text =
            serde_json::to_string(body).map_err(|e| Error::NotSerializable(e.to_string()))?;
        // As JSON.stringify throws on a cycle: a payload marked so cannot be serialised.
        match text.contains("\"unserialisable\":true") {
            true => Err(Error::NotSerializable("a cycle".into())),
            false => Ok(text),
        }
    }
    /// A hook is written {"function": "<what it does>"}: "drop inputs" removes each event's
    /// inputs, "throw" throws.
    fn redact_events(
        &self,
        body: String,
        hook: &J,
        events: crate::core::request::Events,
    ) -> Result<String, Error> {
        use crate::core::request::Events;
        if hook["function"] == json!("throw") {
            return Err(Error::Redact("boom".into()));
        }
        let mut body: J = serde_json::from_str(&body).unwrap();
        let drop_inputs = |event: &mut J| {
            event.as_object_mut().unwrap().remove("inputs");
        };
        match events {
            Events::Body => drop_inputs(&mut body),
            Events::Member(member) => drop_inputs(&mut body[member]),
            Events::Batch => {
                body["events"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .for_each(drop_inputs);
                if let Some(properties) = body.get_mut("session_properties") {
                    drop_inputs(properties);
                }
            }
        }
        Ok(body.to_string())
    }
    fn body_payload(&self, body: &String) -> J {
        J::String(body.clone())
    }
    fn payload_body(&self, payload: &J) -> Option<String> {
        payload.as_str().map(str::to_string)
    }
    fn text_payload(&self, text: &str) -> J {
        J::String(text.into())
    }
    /// Bytes are written `{"bytes": [..]}` in host tests.
    fn bytes_payload(&self, bytes: &[u8]) -> J {
        json!({ "bytes": bytes })
    }
    fn payload_bytes(&self, payload: &J) -> Option<Vec<u8>> {
        serde_json::from_value(payload.get("bytes")?.clone()).ok()
    }
    /// The fake's "gzip": runs of one byte as (count, byte) pairs.
    async fn gzip(&self, body: &String) -> Result<Vec<u8>, String> {
        let mut out: Vec<u8> = Vec::new();
        for byte in body.bytes() {
            match out.len() {
                n if n >= 2 && out[n - 1] == byte && out[n - 2] < 255 => out[n - 2] += 1,
                _ => out.extend([1, byte]),
            }
        }
        Ok(out)
    }
    async fn gunzip(&self, bytes: &[u8]) -> Result<String, String> {
        let text: Vec<u8> = bytes
            .chunks(2)
            .flat_map(|pair| std::iter::repeat_n(pair[1], pair[0].into()))
            .collect();
        String::from_utf8(text).map_err(|e| e.to_string())
    }
    /// JSON text for the queues that carry it; for Deno KV, one byte a character within
    /// Latin-1 (else two) and bytes as they are, as V8 serialises them.
    fn message_bytes(&self, kind: Kind, message: &Message<J>) -> usize {
        if kind.counts_json() {
            return serde_json::to_string(message).unwrap().len();
        }
        let body = match &message.body {
            J::String(text) => text
                .chars()
                .map(|c| if (c as u32) < 256 { 1 } else { 2 })
                .sum(),
            bytes => self.payload_bytes(bytes).map_or(0, |b| b.len()),
        };
        body + 100
    }
    fn body_text(&self, body: &String, max_chars: usize) -> String {
        body.chars().take(max_chars).collect()
    }
    fn body_bytes(&self, body: &String) -> usize {
        body.len()
    }
    fn parse_json(&self, body: &str) -> Option<serde_json::Value> {
        serde_json::from_str(body).ok()
    }
}

impl Host for FakeHost {
    /// `NOW`, advanced by the waits slept so far.
    fn now_ms(&self) -> f64 {
        self.clock_reads.set(self.clock_reads.get() + 1);
        NOW + self.sleeps.borrow().iter().sum::<u64>() as f64
    }
    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        let mut next = self.next_random.borrow_mut();
        *next = next.wrapping_add(1).max(7);
        Ok([*next; 16])
    }
    fn random_unit(&self) -> f64 {
        self.jitter_draws.set(self.jitter_draws.get() + 1);
        0.5
    }
    fn env_var(&self, name: &'static str) -> Option<String> {
        self.env_reads.borrow_mut().push(name);
        self.env
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
    /// A queue written `{"queue": ..., "refuse": "<why>"}` refuses every message; one with
    /// `"hang": true` never answers.
    async fn enqueue(
        &self,
        outbox: &Outbox<J>,
        message: &Message<J>,
        delay_seconds: u32,
        timeout_ms: u32,
        _signal: Option<&J>,
    ) -> Result<(), Unqueued> {
        if let Some(why) = outbox.queue.get("refuse").and_then(J::as_str) {
            return Err(Unqueued::Refused(why.to_string()));
        }
        if outbox.queue.get("hang").is_some() {
            self.enqueue_waits.borrow_mut().push(timeout_ms);
            return Err(Unqueued::TimedOut);
        }
        self.delays.borrow_mut().push(delay_seconds);
        self.queued
            .borrow_mut()
            .push(serde_json::to_value(message).unwrap());
        Ok(())
    }
    fn on_error(&self, hook: &J, failure: &Failure) {
        self.hook_calls.borrow_mut().push((
            hook["function"].as_str().unwrap_or_default().to_string(),
            failure.message.clone(),
        ));
        self.failures.borrow_mut().push(failure.clone());
    }
    async fn fetch(
        &self,
        request: &HttpRequest<'_, String>,
        timeout_ms: u32,
        _signal: Option<&J>,
    ) -> Outcome {
        self.sent.borrow_mut().push(Sent {
            method: request.method,
            url: request.url.to_string(),
            authorization: request.authorization.to_string(),
            body: serde_json::from_str(request.body)
                .map(|body| as_floats(&body))
                .unwrap_or(J::Null),
            timeout_ms,
        });
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| Outcome::Network("script ran out".into()))
    }
    async fn sleep(&self, ms: u64, _signal: Option<&J>) -> Result<(), Error> {
        self.sleeps.borrow_mut().push(ms);
        if self.abort_sleep {
            Err(Error::Aborted)
        } else {
            Ok(())
        }
    }
    fn print(&self, stream: Stream, line: &str) {
        self.printed.borrow_mut().push((stream, line.to_string()));
    }
}

/// Runs a future whose every await is ready at once (the fake host never waits).
/// The calls, as src/wasm/exports.rs makes them: each single call through `single`, `logBatch`
/// and a trace's sending through `batch`.
pub(crate) fn start<'a>(
    host: &'a FakeHost,
    given: &Given<J>,
) -> impl Future<Output = Finished<String>> + 'a {
    single(host, Single::Start, given)
}

pub(crate) fn log<'a>(
    host: &'a FakeHost,
    given: &Given<J>,
) -> impl Future<Output = Finished<String>> + 'a {
    single(host, Single::Log, given)
}

/// `update` resolves to nothing, whatever the answer carries.
pub(crate) fn update<'a>(
    host: &'a FakeHost,
    given: &Given<J>,
) -> impl Future<Output = Finished<()>> + 'a {
    let updated = single(host, Single::Update, given);
    async move { updated.await.map(|done| done.map(drop)) }
}

pub(crate) fn log_batch<'a>(
    host: &'a FakeHost,
    given: &Given<J>,
) -> impl Future<Output = BatchFinished> + 'a {
    batch(host, given, None)
}

pub(crate) fn trace<'a>(
    host: &'a FakeHost,
    given: &Given<J>,
    spans: Vec<J>,
) -> impl Future<Output = BatchFinished> + 'a {
    batch(host, given, Some(spans))
}

pub(crate) fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

pub(crate) fn opts(v: J) -> Given<J> {
    Given::call(Value::Object(v))
}

/// A `logBatch` call of `n` events named e0, e1, … each with its index as input.
pub(super) fn batch_of(n: usize) -> J {
    let events: Vec<J> = (0..n)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"i": i}}))
        .collect();
    json!({"apiKey": KEY, "project": "p", "events": events})
}

/// The answer to a batch the server took whole.
pub(super) fn ok_batch() -> Outcome {
    ok("{\"success\":true}")
}

/// A root span with two children, the second of which threw, as the JS side records them.
pub(super) fn trace_spans() -> Vec<J> {
    const ROOT: &str = "00000000-0000-4000-8000-000000000001";
    let span = |id: &str, parent: Option<&str>, start: f64, end: f64, extra: J| {
        let mut span = json!({"eventName": format!("s{}", &id[35..]), "eventId": id, "startTime": start, "endTime": end});
        if let Some(parent) = parent {
            span["parentId"] = json!(parent);
        }
        span.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"span": span, "options": {}})
    };
    vec![
        span(
            ROOT,
            None,
            NOW,
            NOW + 30.0,
            json!({"sessionId": ID, "outputs": {"answer": 42}}),
        ),
        span(
            "00000000-0000-4000-8000-000000000002",
            Some(ROOT),
            NOW + 1.0,
            NOW + 11.0,
            json!({}),
        ),
        span(
            "00000000-0000-4000-8000-000000000003",
            Some(ROOT),
            NOW + 12.0,
            NOW + 20.0,
            json!({"error": "boom"}),
        ),
    ]
}

/// A `log` call with no retries and a custom outbox, with the options in `extra` merged in.
pub(crate) fn queued_log(extra: J) -> J {
    let mut call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 0, "outbox": {"queue": "custom"}});
    call.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    call
}

/// Text the fake host's compression cannot shrink: no two neighbours alike.
pub(crate) fn noise(chars: usize) -> String {
    (0..chars)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect()
}
