//! The call flow against a scripted fake host: exact requests, retries and their delays,
//! quiet and verbose reporting, and the API key kept out of every printed line.

use super::*;
use crate::core::failure::{Code, Failure};
use crate::core::host::{HttpRequest, Stream, Unqueued};
use crate::core::options::Given;
use crate::core::options::Outbox;
use crate::core::outbox::{Kind, Message};
use crate::core::request::Method;
use crate::core::retry::{Answer, Outcome};
use crate::core::value::Value;
use serde::Serialize;
use serde_json::{json, Value as J};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

pub(crate) const KEY: &str = "hh-secret-key-123";
const ID: &str = "123e4567-e89b-42d3-a456-426614174000";
const NOW: f64 = 1_700_000_000_000.0;

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
fn as_floats(value: &J) -> J {
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

impl Host for FakeHost {
    type Payload = J;
    type Body = String;

    fn now_ms(&self) -> f64 {
        NOW
    }
    fn random_bytes(&self) -> Result<[u8; 16], Error> {
        let mut next = self.next_random.borrow_mut();
        *next = next.wrapping_add(1).max(7);
        Ok([*next; 16])
    }
    fn jitter(&self) -> f64 {
        0.5
    }
    fn env_var(&self, name: &'static str) -> Option<String> {
        self.env_reads.borrow_mut().push(name);
        self.env
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }
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
    fn body_text(&self, body: &String, max_chars: usize) -> String {
        body.chars().take(max_chars).collect()
    }
    fn body_bytes(&self, body: &String) -> usize {
        body.len()
    }
    fn parse_answer<T: serde::de::DeserializeOwned>(&self, body: &str) -> Option<T> {
        serde_json::from_str(body).ok()
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

#[test]
fn start_sends_the_reference_request_and_returns_the_session_id() {
    let host = FakeHost::answering([ok(&format!("{{\"session_id\":\"{ID}\"}}"))]);
    let out = run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "serverUrl": "http://h:1/"})),
    ));
    assert_eq!(out, Ok(Some(ID.to_string())));
    let sent = host.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, "http://h:1/session/start");
    assert_eq!(sent[0].authorization, format!("Bearer {KEY}"));
    assert_eq!(sent[0].timeout_ms, 5000);
    assert_eq!(
        sent[0].body,
        json!({"session": {"project": "p", "session_name": "p", "source": "dev",
            "session_id": "07070707-0707-4707-8707-070707070707", "config": {}, "inputs": {}, "metadata": {},
            "user_properties": {}, "start_time": NOW}})
    );
    assert!(host.printed().is_empty(), "nothing printed on success");
}

#[test]
fn log_returns_the_event_id_and_uses_the_given_session() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "sessionId": ID})),
    ));
    assert_eq!(out, Ok(Some("e-1".to_string())));
    assert_eq!(host.sent()[0].url, "https://api.honeyhive.ai/events");
    assert_eq!(host.sent()[0].body["event"]["session_id"], json!(ID));
    assert_eq!(
        host.sent()[0].body["event"]["event_id"],
        json!("07070707-0707-4707-8707-070707070707")
    );
}

#[test]
fn update_puts_and_resolves_to_unit() {
    let host = FakeHost::answering([ok("{\"success\":true}")]);
    let out = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": ID, "metadata": {"m": 1}})),
    ));
    assert_eq!(out, Ok(Some(())));
    assert_eq!(host.sent()[0].method, Method::Put);
    assert_eq!(
        host.sent()[0].body,
        as_floats(&json!({"event_id": ID, "metadata": {"m": 1}}))
    );
}

#[test]
fn env_of_the_host_fills_in_missing_options() {
    let mut host = FakeHost::answering([ok("{\"session_id\":\"s\"}")]);
    host.env = vec![
        ("HH_API_KEY", KEY),
        ("HH_PROJECT", "envp"),
        ("HH_API_URL", "http://env:2"),
    ];
    assert_eq!(run(start(&host, &opts(json!({})))), Ok(Some("s".into())));
    assert_eq!(host.sent()[0].url, "http://env:2/session/start");
    assert_eq!(host.sent()[0].body["session"]["project"], json!("envp"));
}

#[test]
fn retries_503_then_succeeds_with_backoff_delays() {
    let host = FakeHost::answering([status(503), status(500), ok("{\"event_id\":\"e\"}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n"})),
    ));
    assert_eq!(out, Ok(Some("e".into())));
    assert_eq!(host.sent().len(), 3);
    assert_eq!(
        *host.sleeps.borrow(),
        [1050, 2100],
        "1 s then 2 s, plus half of the 10 % jitter"
    );
    assert_eq!(
        host.sent()[0].body,
        host.sent()[2].body,
        "every attempt sends the same body"
    );
}

#[test]
fn a_wait_that_would_pass_the_deadline_fails_the_call_at_once() {
    let host = FakeHost::answering([status(503), status(503), ok("{\"event_id\":\"e\"}")]);
    let message = run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "deadlineMs": 2000, "verbose": true}))))
        .unwrap_err().message;
    assert!(
        message.contains("within its deadline of 2000 ms"),
        "{message}"
    );
    assert_eq!(
        host.sent().len(),
        2,
        "the 1 s wait fitted, the 2 s one did not"
    );
    assert_eq!(*host.sleeps.borrow(), [1050]);
}

#[test]
fn attempts_are_one_plus_max_retries() {
    let host = FakeHost::answering((0..10).map(|_| status(502)));
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 2})),
    ));
    assert_eq!(out, Ok(None));
    assert_eq!(host.sent().len(), 3);
    let host = FakeHost::answering((0..10).map(|_| Outcome::Timeout));
    assert_eq!(
        run(log(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n"}))
        )),
        Ok(None)
    );
    assert_eq!(host.sent().len(), 4);
    assert_eq!(*host.sleeps.borrow(), [1050, 2100, 4200]);
}

#[test]
fn no_retry_on_401() {
    let host = FakeHost::answering([status(401), ok("{}")]);
    let out = run(start(&host, &opts(json!({"apiKey": KEY, "project": "p"}))));
    assert_eq!(out, Ok(None));
    assert_eq!(host.sent().len(), 1);
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to start session. (HTTP 401)".to_string()
        )]
    );
}

#[test]
fn verbose_rejects_with_the_status_and_body() {
    let host = FakeHost::answering([status(404)]);
    let out = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": ID, "verbose": true})),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.starts_with("HoneyHive: failed to update event: The server answered HTTP 404. It does not know what the request names"),
        "{message}"
    );
    assert!(message.contains("status 404"), "{message}");
}

#[test]
fn verbose_prints_the_request_with_the_key_masked() {
    let host = FakeHost::answering([status(503), ok("{\"session_id\":\"s\"}")]);
    let out = run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "verbose": true, "metadata": {"leak": KEY}})),
    ));
    assert_eq!(out, Ok(Some("s".into())));
    let printed = host.printed();
    assert!(
        printed[0]
            .1
            .starts_with("HoneyHive: POST https://api.honeyhive.ai/session/start"),
        "{printed:?}"
    );
    assert!(printed[0].1.contains("\"leak\":\"***\""), "{printed:?}");
    assert!(
        printed[1]
            .1
            .contains("attempt 1 failed (HTTP 503); retrying in 1050 ms"),
        "{printed:?}"
    );
    assert!(printed
        .iter()
        .all(|(stream, line)| *stream == Stream::Log && !line.contains(KEY)));
}

#[test]
fn the_key_is_masked_in_errors_that_echo_it() {
    let echo = Outcome::Answer(Answer {
        status: 400,
        retry_after: None,
        body: format!("bad key {KEY}"),
    });
    let host = FakeHost::answering([echo.clone()]);
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        message.contains("bad key ***") && !message.contains(KEY),
        "{message}"
    );
}

#[test]
fn the_key_is_masked_in_validation_errors_that_quote_it() {
    let host = FakeHost::default();
    let message = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": KEY, "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        message.contains("\"***\"") && !message.contains(KEY),
        "{message}"
    );
}

#[test]
fn quiet_failures_print_one_line_and_resolve_to_none() {
    let host = FakeHost::default();
    assert_eq!(
        run(log(&host, &opts(json!({"apiKey": KEY, "project": "p"})))),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (missing event name)".to_string()
        )]
    );
    assert!(host.sent().is_empty(), "nothing sent for invalid options");
}

#[test]
fn a_bad_options_argument_is_reported_not_panicked() {
    let host = FakeHost::default();
    assert_eq!(
        run(start(&host, &Given::call(Value::Other("a BigInt")))),
        Ok(None)
    );
    assert_eq!(
        host.printed()[0].1,
        "HoneyHive: Failed to start session. (options must be an object)"
    );
}

#[test]
fn a_200_without_the_id_is_a_failure() {
    for body in [
        "{}",
        "not json",
        "{\"session_id\": 5}",
        "{\"session_id\": \"\"}",
    ] {
        let host = FakeHost::answering([ok(body)]);
        let message = run(start(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "verbose": true})),
        ))
        .unwrap_err()
        .message;
        assert!(message.contains("session_id not found"), "{message}");
        assert_eq!(host.sent().len(), 1, "not retried");
    }
}

#[test]
fn an_abort_during_the_wait_ends_the_call() {
    let mut host = FakeHost::answering([status(503), ok("{}")]);
    host.abort_sleep = true;
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(message.contains("aborted"), "{message}");
    assert_eq!(host.sent().len(), 1);
}

#[test]
fn network_errors_and_timeouts_are_retried_then_reported() {
    let host = FakeHost::answering([Outcome::Network("refused".into()), Outcome::Timeout]);
    let message =
        run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 1, "timeoutMs": 300, "verbose": true}))))
            .unwrap_err().message;
    assert!(message.contains("No answer within 300 ms"), "{message}");
    assert_eq!(host.sent().len(), 2);
    assert_eq!(host.sent()[1].timeout_ms, 300);
}

#[test]
fn log_without_session_says_so_in_verbose_mode() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ));
    assert_eq!(out, Ok(Some("e".into())));
    assert!(
        host.printed()[0].1.contains("no sessionId"),
        "{:?}",
        host.printed()
    );
}

#[test]
fn redact_masks_every_occurrence() {
    let redact_key = |text: &str, key: Option<&str>| {
        redact(
            text,
            &key.map(str::to_string).into_iter().collect::<Vec<_>>(),
        )
    };
    assert_eq!(redact_key("a key1 b key1", Some("key1")), "a *** b ***");
    assert_eq!(redact_key("key1key1é key1", Some("key1")), "******é ***");
    assert_eq!(redact_key("ékey1", Some("key1")), "é***");
    assert_eq!(
        redact_key("getaddrinfo ENOTFOUND hh-abcd.invalid", Some("HH-AbCd")),
        "getaddrinfo ENOTFOUND ***.invalid",
        "any case"
    );
    assert_eq!(redact_key("É KEY1 é", Some("key1")), "É *** é");
    assert_eq!(
        redact_key("network error", Some("k")),
        "network error",
        "too short to be a key"
    );
    assert_eq!(redact_key("text", Some("")), "text");
    assert_eq!(redact_key("text", None), "text");
    assert_eq!(
        redact("a key1 b key2", &["key1".into(), "key2".into()]),
        "a *** b ***",
        "every key"
    );
    assert_eq!(
        redact("a key1-more", &["key1".into(), "key1-more".into()]),
        "a ***",
        "the longer key first"
    );
    assert_eq!(
        redact("x abcdWXYZefgh y", &["abcdWXYZ".into(), "WXYZefgh".into()]),
        "x *** y",
        "overlapping keys leave nothing of either"
    );
    assert_eq!(
        redact(
            "x WXYZefgh abcdWXYZ",
            &["abcdWXYZ".into(), "WXYZefgh".into()]
        ),
        "x *** ***"
    );
    assert_eq!(
        redact(
            "abcdWXYZefghIJKL!",
            &["abcdWXYZ".into(), "WXYZefgh".into(), "efghIJKL".into()]
        ),
        "***!",
        "a chain of overlaps"
    );
}

fn batch_of(n: usize) -> J {
    let events: Vec<J> = (0..n)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"i": i}}))
        .collect();
    json!({"apiKey": KEY, "project": "p", "events": events})
}

fn ok_batch() -> Outcome {
    ok("{\"success\":true}")
}

#[test]
fn log_batch_splits_into_requests_of_100_and_returns_ids_in_order() {
    let host = FakeHost::answering([ok_batch(), ok_batch(), ok_batch()]);
    let ids = run(log_batch(&host, &opts(batch_of(250))))
        .unwrap()
        .unwrap();
    assert_eq!(ids.len(), 250);
    let sent = host.sent();
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.url == "https://api.honeyhive.ai/events/batch" && r.method == Method::Post));
    let counts: Vec<usize> = sent
        .iter()
        .map(|r| r.body["events"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(counts, [100, 100, 50]);
    let sent_ids: Vec<String> = sent
        .iter()
        .flat_map(|r| r.body["events"].as_array().cloned().unwrap_or_default())
        .map(|e| e["event_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        ids.iter()
            .map(|id| id.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        sent_ids,
        "ids in order, as sent"
    );
    assert_eq!(sent[0].body["events"][0]["event_name"], json!("e0"));
    assert_eq!(sent[2].body["events"][49]["event_name"], json!("e249"));
    let session = &sent[0].body["events"][0]["session_id"];
    assert!(
        sent.iter().all(|r| r.body["events"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| &e["session_id"] == session)),
        "one new session for the whole batch"
    );
}

#[test]
fn log_batch_halves_a_chunk_over_the_byte_limit() {
    let big = "x".repeat(1_500_000);
    let events: Vec<J> = (0..4)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"big": big}}))
        .collect();
    let host = FakeHost::answering([ok_batch(), ok_batch()]);
    let ids = run(log_batch(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "events": events})),
    ))
    .unwrap()
    .unwrap();
    assert_eq!(ids.iter().flatten().count(), 4);
    let counts: Vec<usize> = host
        .sent()
        .iter()
        .map(|r| r.body["events"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(
        counts,
        [2, 2],
        "6 MB in one request is over the 4 MiB limit: two requests of two"
    );
}

#[test]
fn a_partial_failure_is_not_retried_and_keeps_track_of_what_was_taken() {
    // Ids come out 07070707-… for the batch's session, then 08…, 09… for the events.
    let taken = "08080808-0808-4808-8808-080808080808";
    let partial = Outcome::Answer(Answer {
        status: 500,
        retry_after: None,
        body: format!("{{\"event_ids\":[\"{taken}\"],\"errors\":[\"event 1: missing inputs\"],\"success\":false}}"),
    });
    let host = FakeHost::answering([partial.clone()]);
    let ids = run(log_batch(&host, &opts(batch_of(2)))).unwrap().unwrap();
    assert_eq!(ids, [Some(taken.to_string()), None]);
    assert_eq!(host.sent().len(), 1, "a partial failure is not retried");
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (1 of 2 events not logged: refused by the server)"
                .to_string()
        )]
    );

    let host = FakeHost::answering([partial]);
    let mut verbose = batch_of(2);
    verbose["verbose"] = json!(true);
    let failure = run(log_batch(&host, &opts(verbose))).unwrap_err();
    assert_eq!(failure.event_ids, [Some(taken.to_string()), None]);
    assert_eq!(failure.errors, ["event 1: missing inputs"]);
    assert!(
        failure
            .error
            .message
            .contains("1 of 2 events were not logged: event 1: missing inputs"),
        "{}",
        failure.error.message
    );
}

#[test]
fn a_failed_request_loses_only_its_own_events() {
    let host = FakeHost::answering([ok_batch(), status(400)]);
    let ids = run(log_batch(&host, &opts(batch_of(150))))
        .unwrap()
        .unwrap();
    assert_eq!(ids.iter().filter(|id| id.is_some()).count(), 100);
    assert!(ids.iter().skip(100).all(Option::is_none));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (50 of 150 events not logged: HTTP 400)".to_string()
        )]
    );
}

#[test]
fn a_batch_that_fails_whole_resolves_to_none_in_quiet_mode() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(run(log_batch(&host, &opts(batch_of(3)))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (3 of 3 events not logged: HTTP 401)".to_string()
        )]
    );
    let host = FakeHost::default();
    assert_eq!(
        run(log_batch(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p"}))
        )),
        Ok(None)
    );
    assert_eq!(
        host.printed()[0].1,
        "HoneyHive: Failed to log a batch. (no events)"
    );
}

#[test]
fn a_taken_batch_resolves_to_the_ids_it_sent_whatever_order_the_answer_lists() {
    let host = FakeHost::answering([ok("{\"event_ids\":[\"s2\",\"s1\"],\"success\":true}")]);
    let ids = run(log_batch(&host, &opts(batch_of(2)))).unwrap().unwrap();
    let sent: Vec<Option<String>> = host.sent()[0].body["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["event_id"].as_str().map(String::from))
        .collect();
    assert_eq!(ids, sent);
}

#[test]
fn events_the_server_drops_silently_are_reported() {
    let silent = Outcome::Answer(Answer {
        status: 500,
        retry_after: None,
        body: "{\"event_ids\":[]}".into(),
    });
    let host = FakeHost::answering([silent]);
    assert_eq!(run(log_batch(&host, &opts(batch_of(2)))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (2 of 2 events not logged: dropped by the server)"
                .to_string()
        )]
    );
}

#[test]
fn an_event_that_cannot_be_serialised_loses_only_itself() {
    let mut events: Vec<J> = (0..4)
        .map(|i| json!({"eventName": format!("e{i}")}))
        .collect();
    events[2]["inputs"] = json!({"unserialisable": true});
    let host = FakeHost::answering([ok_batch(), ok_batch(), ok_batch()]);
    let ids = run(log_batch(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "events": events})),
    ))
    .unwrap()
    .unwrap();
    assert_eq!(
        ids.iter().map(Option::is_some).collect::<Vec<_>>(),
        [true, true, false, true]
    );
    assert_eq!(host.printed(), [(Stream::Error, "HoneyHive: Failed to log a batch. (1 of 4 events not logged: a payload is not JSON-serialisable)".to_string())]);
}

#[test]
fn a_long_server_answer_is_cut_after_the_key_is_masked() {
    // The key straddles the 4 000th character of the message.
    let prefix = "HoneyHive: failed to log event: ".len()
        + Error::Http {
            status: 400,
            body: String::new(),
            key: "apiKey".into(),
        }
        .message()
        .len();
    let body = format!("{}{KEY}{}", "x".repeat(3_990 - prefix), "y".repeat(10_000));
    let host = FakeHost::answering([Outcome::Answer(Answer {
        status: 400,
        retry_after: None,
        body,
    })]);
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        !message.contains(&KEY[..8]),
        "no part of the key survives the cut"
    );
    assert!(message.chars().count() < 4_100, "{}", message.len());
    assert!(
        message.contains("It refused the request as invalid; its answer names what"),
        "the fix comes before the server's answer"
    );
}

#[test]
fn client_defaults_apply_under_the_call() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    let given = Given {
        call: Value::Object(json!({"eventName": "n"})),
        defaults: Value::Object(json!({"apiKey": KEY, "project": "dp", "serverUrl": "http://d:1"})),
    };
    assert_eq!(run(log(&host, &given)), Ok(Some("e".into())));
    assert_eq!(host.sent()[0].url, "http://d:1/events");
    assert_eq!(host.sent()[0].body["event"]["project"], json!("dp"));
}

#[test]
fn log_sends_the_caller_s_event_id() {
    let host = FakeHost::answering([ok(&format!("{{\"event_id\":\"{ID}\"}}"))]);
    assert_eq!(
        run(log(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "eventId": ID}))
        )),
        Ok(Some(ID.into()))
    );
    assert_eq!(host.sent()[0].body["event"]["event_id"], json!(ID));
}

// ---------------------------------------------------------------------------------------------
// The current platform: typed keys, the ingestion key, the v2 routes.
// ---------------------------------------------------------------------------------------------

fn typed_key(prefix: &str) -> String {
    crate::core::keys::tests::typed(prefix)
}

#[test]
fn an_ingestion_key_alone_with_no_project_reaches_the_data_plane_v2_api() {
    let ingestion = typed_key("hh_ingst_");
    let host = FakeHost {
        env: vec![(
            "HH_INGESTION_API_KEY",
            Box::leak(ingestion.clone().into_boxed_str()),
        )],
        ..FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")])
    };
    assert_eq!(
        run(log(&host, &opts(json!({"eventName": "n"})))),
        Ok(Some("e-1".to_string()))
    );
    let sent = &host.sent()[0];
    assert_eq!(
        (sent.method, sent.url.as_str()),
        (Method::Post, "https://api.dp1.us.honeyhive.ai/v1/events")
    );
    assert_eq!(sent.authorization, format!("Bearer {ingestion}"));
    assert_eq!(sent.body["event_name"], json!("n"));
    assert!(
        sent.body.get("event").is_none() && sent.body.get("project").is_none(),
        "a bare event without project: {}",
        sent.body
    );
}

#[test]
fn the_ingestion_key_wins_over_the_api_key_in_the_same_layer() {
    let host = FakeHost::answering([ok("{\"session_id\":\"s-1\"}")]);
    run(start(
        &host,
        &opts(json!({"apiKey": KEY, "ingestionApiKey": "hh-ingest-legacy-kind", "project": "p"})),
    ))
    .unwrap();
    assert_eq!(host.sent()[0].authorization, "Bearer hh-ingest-legacy-kind");
    assert_eq!(
        host.sent()[0].url,
        "https://api.honeyhive.ai/session/start",
        "an untyped key keeps the reference's API"
    );
}

#[test]
fn data_plane_url_sends_the_four_calls_to_the_v2_routes() {
    let dp = json!({"apiKey": KEY, "dataPlaneUrl": "http://dp.local/", "verbose": true});
    let with = |extra: J| {
        let mut o = dp.clone();
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        opts(o)
    };
    let host = FakeHost::answering([ok("{\"session_id\":\"s-1\",\"event_id\":\"s-1\"}")]);
    run(start(&host, &with(json!({"sessionName": "chat"})))).unwrap();
    let host2 = FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")]);
    run(log(
        &host2,
        &with(json!({"eventName": "n", "sessionId": ID, "inputs": {"q": 1}})),
    ))
    .unwrap();
    let host3 = FakeHost::answering([ok("")]);
    run(update(
        &host3,
        &with(json!({"eventId": ID, "outputs": {"a": 1}})),
    ))
    .unwrap();
    let host4 = FakeHost::answering([ok("{\"event_ids\":[],\"success\":true}")]);
    run(log_batch(
        &host4,
        &with(json!({"sessionId": ID, "isSingleSession": true, "events": [{"eventName": "a"}]})),
    ))
    .unwrap();
    let seen: Vec<(Method, String)> = [&host, &host2, &host3, &host4]
        .iter()
        .map(|h| (h.sent()[0].method, h.sent()[0].url.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (Method::Post, "http://dp.local/v1/sessions".to_string()),
            (Method::Post, "http://dp.local/v1/events".to_string()),
            (Method::Put, format!("http://dp.local/v1/events/{ID}")),
            (Method::Post, "http://dp.local/v1/events/batch".to_string()),
        ]
    );
    assert_eq!(host.sent()[0].body["session_name"], json!("chat"));
    assert_eq!(
        host3.sent()[0].body,
        as_floats(&json!({"outputs": {"a": 1}}))
    );
    let batch = &host4.sent()[0].body;
    assert_eq!(batch["single_session"], json!(true));
    assert!(
        batch.get("is_single_session").is_none() && batch["events"][0].get("project").is_none(),
        "{batch}"
    );
}

#[test]
fn a_truncated_typed_key_is_refused_naming_its_source_not_the_key() {
    let key = typed_key("hh_ingst_");
    let cut = key.get(..40).unwrap().to_string();
    let host = FakeHost::default();
    let out = run(log(
        &host,
        &opts(json!({"ingestionApiKey": cut, "eventName": "n", "verbose": true})),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.contains("The key in ingestionApiKey starts like a HoneyHive typed key"),
        "{message}"
    );
    assert!(
        !message.contains(&cut) && !message.contains(cut.get(..20).unwrap()),
        "{message}"
    );
    assert!(host.sent().is_empty());
    let host = FakeHost {
        env: vec![("HH_API_KEY", "hh_fgdp_short")],
        ..FakeHost::default()
    };
    assert_eq!(run(log(&host, &opts(json!({"eventName": "n"})))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (malformed key in HH_API_KEY)".to_string()
        )]
    );
}

#[test]
fn server_url_and_data_plane_url_in_one_layer_is_an_error_that_says_which_to_keep() {
    let host = FakeHost::default();
    let out = run(log(
        &host,
        &opts(
            json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true,
        "serverUrl": "http://a", "data_plane_url": "http://b"}),
        ),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.contains("Both serverUrl and dataPlaneUrl are set"),
        "{message}"
    );
    assert!(host.sent().is_empty());
}

#[test]
fn a_typed_key_on_the_reference_routes_sends_project_only_when_given() {
    let key = typed_key("hh_ingst_");
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\"}"), ok("{\"event_id\":\"e-2\"}")]);
    run(log(
        &host,
        &opts(json!({"apiKey": key, "serverUrl": "http://ref", "eventName": "n"})),
    ))
    .unwrap();
    run(log(
        &host,
        &opts(json!({"apiKey": key, "serverUrl": "http://ref", "eventName": "n", "project": "p"})),
    ))
    .unwrap();
    let sent = host.sent();
    assert_eq!(sent[0].url, "http://ref/events");
    assert!(sent[0].body["event"].get("project").is_none());
    assert_eq!(sent[1].body["event"]["project"], json!("p"));
}

#[test]
fn every_key_given_is_masked_in_what_is_printed() {
    let host = FakeHost::answering([Outcome::Answer(Answer {
        status: 401,
        retry_after: None,
        body: format!("bad {KEY} and hh-ingest-secret"),
    })]);
    let out = run(log(
        &host,
        &opts(
            json!({"apiKey": KEY, "ingestionApiKey": "hh-ingest-secret", "project": "p", "eventName": "n", "verbose": true}),
        ),
    ));
    let message = out.unwrap_err().message;
    assert!(
        !message.contains(KEY) && !message.contains("hh-ingest-secret"),
        "{message}"
    );
    assert!(host
        .printed()
        .iter()
        .all(|(_, line)| !line.contains(KEY) && !line.contains("hh-ingest-secret")));
}

#[test]
fn a_call_s_api_key_wins_over_a_client_default_ingestion_key_and_errors_name_the_source() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\"}")]);
    let given = Given {
        call: Value::Object(json!({"apiKey": KEY, "project": "p", "eventName": "n"})),
        defaults: Value::Object(json!({"ingestionApiKey": "hh-ingest-default"})),
    };
    run(log(&host, &given)).unwrap();
    assert_eq!(
        host.sent()[0].authorization,
        format!("Bearer {KEY}"),
        "the call is nearer than the client's defaults"
    );

    let cut = typed_key("hh_fgdp_").get(..30).unwrap().to_string();
    let host = FakeHost {
        env: vec![("HH_INGESTION_API_KEY", Box::leak(cut.into_boxed_str()))],
        ..FakeHost::default()
    };
    let message = run(log(&host, &opts(json!({"eventName": "n", "verbose": true, "env": {"HH_INGESTION_API_KEY": typed_key("hh_ingst_").get(..20).unwrap()}})))).unwrap_err().message;
    assert!(
        message.contains("The key in env.HH_INGESTION_API_KEY starts like"),
        "the env option is nearer than the host: {message}"
    );
    let host = FakeHost {
        env: vec![
            ("HH_API_URL", "http://a"),
            ("HH_DATA_PLANE_URL", "http://b"),
        ],
        ..FakeHost::default()
    };
    assert_eq!(
        run(log(&host, &opts(json!({"apiKey": KEY, "eventName": "n"})))),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (both HH_API_URL and HH_DATA_PLANE_URL)".to_string()
        )]
    );
}

#[test]
fn a_key_and_url_given_in_the_call_save_the_lookups_that_could_not_win_over_them() {
    let host = FakeHost {
        env: vec![
            ("HH_INGESTION_API_KEY", "hh-env-ingest"),
            ("HH_DATA_PLANE_URL", "http://dp"),
        ],
        ..FakeHost::answering([ok("{\"event_id\":\"e-1\"}")])
    };
    run(log(
        &host,
        &opts(json!({"apiKey": KEY, "serverUrl": "http://ref", "project": "p", "eventName": "n"})),
    ))
    .unwrap();
    assert_eq!(
        (
            host.sent()[0].authorization.as_str(),
            host.sent()[0].url.as_str()
        ),
        (format!("Bearer {KEY}").as_str(), "http://ref/events")
    );
    let reads = host.env_reads.borrow().clone();
    assert!(
        !reads.contains(&"HH_INGESTION_API_KEY") && !reads.contains(&"HH_DATA_PLANE_URL"),
        "{reads:?}"
    );
}

/// A root span with two children, the second of which threw, as the JS side records them.
fn trace_spans() -> Vec<J> {
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

#[test]
fn a_trace_is_sent_as_one_batch_that_starts_its_session() {
    let host = FakeHost::answering([ok_batch()]);
    let ids = run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "serverUrl": "http://h:1"})),
        trace_spans(),
    ));
    assert_eq!(ids.unwrap().unwrap().len(), 3);
    let sent = host.sent();
    assert_eq!(sent.len(), 1, "one request for the whole trace");
    assert_eq!(
        (sent[0].method, sent[0].url.as_str()),
        (Method::Post, "http://h:1/events/batch")
    );
    let body = &sent[0].body;
    assert_eq!(body["is_single_session"], json!(true));
    assert_eq!(body["session_properties"], json!({"session_name": "s1"}));
    let events = body["events"].as_array().unwrap();
    assert_eq!(
        events[0]["children_ids"],
        json!([
            "00000000-0000-4000-8000-000000000002",
            "00000000-0000-4000-8000-000000000003"
        ])
    );
    assert_eq!(as_floats(&events[0]["outputs"]), json!({"answer": 42.0}));
    assert_eq!(
        events[2]["parent_id"],
        json!("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(
        (&events[2]["error"], &events[2]["duration"]),
        (&json!("boom"), &json!(8.0))
    );
    assert!(events.iter().all(|e| e["session_id"] == json!(ID)
        && e["event_type"] == json!("chain")
        && e["project"] == json!("p")));
}

#[test]
fn a_trace_in_a_given_session_on_the_current_platform_goes_to_the_v2_batch() {
    let host = FakeHost::answering([ok_batch()]);
    const SESSION: &str = "5e55a000-0000-4000-8000-000000000000";
    let call = json!({"apiKey": KEY, "dataPlaneUrl": "http://h:2", "sessionId": SESSION});
    run(trace(&host, &opts(call), trace_spans())).unwrap();
    let sent = host.sent();
    assert_eq!(sent[0].url, "http://h:2/v1/events/batch");
    assert!(
        sent[0].body.get("single_session").is_none()
            && sent[0].body.get("session_properties").is_none()
    );
    assert!(sent[0].body["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["session_id"] == json!(SESSION) && e.get("project").is_none()));
}

#[test]
fn a_trace_that_cannot_be_sent_says_so_once() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(
        run(trace(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p"})),
            trace_spans()
        )),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to send a trace. (3 of 3 events not logged: HTTP 401)".to_string()
        )]
    );
    let host = FakeHost::default();
    let failure = run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "verbose": true})),
        trace_spans(),
    ))
    .unwrap_err();
    assert!(
        failure
            .error
            .message
            .starts_with("HoneyHive: failed to send a trace: Project name is required"),
        "{}",
        failure.error.message
    );
    assert!(!failure.error.message.contains(KEY));
}

#[test]
fn redact_runs_on_every_event_before_it_is_sent_or_printed() {
    let hook = json!({"function": "drop inputs"});
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "inputs": {"secret": "s3"}, "redact": hook, "verbose": true}))))
        .unwrap();
    assert!(
        host.sent()[0].body["event"].get("inputs").is_none(),
        "the event's inputs are gone"
    );
    assert!(
        host.printed().iter().all(|(_, line)| !line.contains("s3")),
        "nor printed: {:?}",
        host.printed()
    );

    let host = FakeHost::answering([ok_batch()]);
    let mut batch = batch_of(3);
    batch["redact"] = hook.clone();
    batch["events"][1]["inputs"] = json!({"secret": "s3"});
    run(log_batch(&host, &opts(batch))).unwrap();
    assert!(
        host.sent()[0].body["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.get("inputs").is_none()),
        "each event of a batch"
    );

    let host = FakeHost::answering([ok(&format!("{{\"session_id\":\"{ID}\"}}"))]);
    run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "inputs": {"secret": "s3"}, "redact": hook})),
    ))
    .unwrap();
    assert!(
        host.sent()[0].body["session"].get("inputs").is_none(),
        "a session is an event too"
    );

    let host = FakeHost::answering([ok_batch()]);
    run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "redact": hook})),
        trace_spans(),
    ))
    .unwrap();
    assert!(
        host.sent()[0].body["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.get("inputs").is_none()),
        "each span of a trace"
    );
}

#[test]
fn a_redact_hook_that_throws_stops_a_batch_without_halving_it() {
    let host = FakeHost::default();
    let mut batch = batch_of(150);
    batch["redact"] = json!({"function": "throw"});
    assert_eq!(run(log_batch(&host, &opts(batch))), Ok(None));
    assert!(host.sent().is_empty(), "nothing sent");
    assert_eq!(host.printed(), [(Stream::Error, "HoneyHive: Failed to log a batch. (150 of 150 events not logged: the redact hook failed)".to_string())]);
}

#[test]
fn a_redact_hook_that_throws_fails_the_call_and_sends_nothing() {
    let host = FakeHost::default();
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "redact": {"function": "throw"}, "verbose": true});
    let message = run(log(&host, &opts(call))).unwrap_err().message;
    assert!(
        message.starts_with("HoneyHive: failed to log event: The redact hook failed: boom."),
        "{message}"
    );
    assert!(host.sent().is_empty());
}

#[test]
fn hooks_must_be_functions() {
    let host = FakeHost::default();
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": "log it", "verbose": true});
    assert_eq!(run(log(&host, &opts(call))).unwrap_err().message,
        "HoneyHive: failed to log event: Option `onError` must be a function; got a string of 6 characters.");
}

#[test]
fn on_error_hears_of_every_failed_call_once_in_quiet_mode_too() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(401)]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook})),
    ));
    assert_eq!(out, Ok(None), "quiet mode still resolves");
    assert_eq!(host.printed().len(), 1, "and still prints its line");
    let calls = host.hook_calls.borrow().clone();
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0]
            .1
            .starts_with("HoneyHive: failed to log event: The server answered HTTP 401."),
        "{calls:?}"
    );
    assert!(!calls[0].1.contains(KEY));

    // Before the options could be read, too; and with the hook in a client's defaults.
    let host = FakeHost::default();
    let given = Given {
        call: Value::Object(json!({"apiKey": KEY, "eventName": "n"})),
        defaults: Value::Object(json!({"onError": hook})),
    };
    assert_eq!(run(log(&host, &given)), Ok(None));
    assert_eq!(host.hook_calls.borrow().len(), 1);
    assert!(host.hook_calls.borrow()[0]
        .1
        .contains("Project name is required"));

    // A batch that loses events, and a trace that cannot be sent: once each.
    let host = FakeHost::answering([status(400)]);
    let mut batch = batch_of(2);
    batch["onError"] = hook.clone();
    run(log_batch(&host, &opts(batch))).unwrap();
    let host2 = FakeHost::answering([status(400)]);
    run(trace(
        &host2,
        &opts(json!({"apiKey": KEY, "project": "p", "onError": hook})),
        trace_spans(),
    ))
    .unwrap();
    let (batch_calls, trace_calls) = (
        host.hook_calls.borrow().clone(),
        host2.hook_calls.borrow().clone(),
    );
    assert_eq!((batch_calls.len(), trace_calls.len()), (1, 1));
    assert!(
        batch_calls[0]
            .1
            .starts_with("HoneyHive: failed to log a batch: 2 of 2 events were not logged"),
        "{batch_calls:?}"
    );
    assert!(
        trace_calls[0]
            .1
            .starts_with("HoneyHive: failed to send a trace: 3 of 3 events were not logged"),
        "{trace_calls:?}"
    );

    // Success calls it never.
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook})),
    ))
    .unwrap();
    assert!(host.hook_calls.borrow().is_empty());
}

#[test]
fn on_error_and_the_rejection_carry_the_code_the_status_and_the_call() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(401)]);
    let call =
        json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook, "verbose": true});
    let failure = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!(
        (
            failure.code,
            failure.status,
            failure.retryable,
            failure.call
        ),
        (Code::HttpStatus, Some(401), false, "log")
    );
    assert!(
        failure
            .message
            .contains("It refused the key: the API key sent (from apiKey)"),
        "{}",
        failure.message
    );
    assert!(!failure.message.contains(KEY));
    assert_eq!(host.failures.borrow().as_slice(), [failure]);
}

#[test]
fn a_missing_key_and_a_refused_connection_have_codes_of_their_own() {
    let host = FakeHost::default();
    let missing = run(log(
        &host,
        &opts(json!({"project": "p", "eventName": "n", "verbose": true})),
    ));
    assert_eq!(missing.unwrap_err().code, Code::MissingOption);
    let host = FakeHost::answering([Outcome::Network(format!(
        "connect ECONNREFUSED (key {KEY})"
    ))]);
    let call =
        json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 0, "verbose": true});
    let refused = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!(
        (refused.code, refused.status, refused.retryable),
        (Code::Network, None, true)
    );
    assert_eq!(
        refused.cause.as_deref(),
        Some("connect ECONNREFUSED (key ***)"),
        "the cause, masked"
    );
}

#[test]
fn a_permission_the_runtime_refuses_is_not_retried_and_names_the_flag() {
    let denied = Outcome::Permission("Requires net access to \"127.0.0.1:1\"".into());
    let host = FakeHost::answering([denied]);
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true});
    let failure = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!((failure.code, failure.retryable), (Code::Permission, false));
    assert!(
        failure.message.contains("Run it with --allow-net"),
        "{}",
        failure.message
    );
    assert_eq!(host.sent().len(), 1, "not retried");
}

pub(crate) fn queued_log(extra: J) -> J {
    let mut call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 0, "outbox": {"queue": "custom"}});
    call.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    call
}

#[test]
fn a_log_the_server_cannot_take_goes_to_the_outbox_and_resolves_to_its_id() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(503)]);
    let out = run(log(&host, &opts(queued_log(json!({"onError": hook})))));
    let Ok(Some(id)) = out else {
        panic!("resolved as success would: {out:?}")
    };
    let queued = host.queued.borrow().clone();
    assert_eq!(queued.len(), 1);
    let message = &queued[0];
    assert_eq!(
        (
            message["v"].clone(),
            message["api"].clone(),
            message["method"].clone()
        ),
        (json!(1), json!("reference"), json!("POST"))
    );
    assert_eq!(
        (message["path"].clone(), message["events"].clone()),
        (json!("/events"), json!(1))
    );
    let body: J = serde_json::from_str(message["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["event"]["event_id"],
        json!(id),
        "the id the call resolved to, kept for the replay"
    );
    assert!(!message.to_string().contains(KEY), "no key in the message");
    assert_eq!(
        host.printed(),
        [(
            Stream::Warn,
            "HoneyHive: queued 1 event for later delivery (HTTP 503)".to_string()
        )]
    );
    assert!(
        host.hook_calls.borrow().is_empty(),
        "onError is not called: nothing is lost"
    );
}

#[test]
fn what_no_retry_can_cure_is_never_queued() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(run(log(&host, &opts(queued_log(json!({}))))), Ok(None));
    assert!(host.queued.borrow().is_empty());
    let host = FakeHost::default();
    let bad = run(log(&host, &opts(queued_log(json!({"eventType": "llm"})))));
    assert_eq!(bad, Ok(None));
    assert!(host.queued.borrow().is_empty());
}

#[test]
fn a_request_too_large_for_the_queue_or_refused_by_it_fails_with_both_causes() {
    let host = FakeHost::answering([status(503)]);
    let big = json!({"verbose": true, "inputs": {"text": noise(130_000)}});
    let failure = run(log(&host, &opts(queued_log(big)))).unwrap_err();
    assert_eq!(
        (failure.code, failure.status),
        (Code::HttpStatus, Some(503))
    );
    assert!(
        failure
            .message
            .contains("could not be queued for later delivery either"),
        "{}",
        failure.message
    );
    let host = FakeHost::answering([status(503)]);
    let refusing = json!({"verbose": true, "serverUrl": "http://another",
        "outbox": {"queue": "custom", "refuse": "queue full"}});
    let failure = run(log(&host, &opts(queued_log(refusing)))).unwrap_err();
    assert!(
        failure.message.contains("HTTP 503")
            && failure
                .message
                .contains("Its outbox refused it too: queue full"),
        "{}",
        failure.message
    );
}

#[test]
fn a_batch_the_server_cannot_take_is_queued_whole_and_resolves_to_its_ids() {
    let host = FakeHost::answering([Outcome::Network("refused".into())]);
    let call = json!({"apiKey": KEY, "project": "p", "maxRetries": 0, "outbox": {"queue": "deno"},
        "events": [{"eventName": "a"}, {"eventName": "b"}]});
    let ids = run(log_batch(&host, &opts(call))).unwrap().unwrap();
    assert!(ids.iter().all(Option::is_some));
    let queued = host.queued.borrow().clone();
    assert_eq!(
        (
            queued.len(),
            queued[0]["events"].clone(),
            queued[0]["path"].clone()
        ),
        (1, json!(2), json!("/events/batch"))
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Warn,
            "HoneyHive: queued 2 events for later delivery (network error)".to_string()
        )]
    );
}

#[test]
fn replay_delivers_refuses_or_asks_the_queue_again() {
    let message = |v: u32| {
        json!({"v": v, "api": "reference", "method": "POST", "path": "/events", "events": 1,
        "body": "{\"event\":{\"event_id\":\"x\"}}"})
    };
    let given = opts(json!({"apiKey": KEY, "serverUrl": "http://s"}));
    let host = FakeHost::answering([ok("{}")]);
    assert_eq!(
        run(replay(&host, &given, &message(1), 1, false)),
        Replayed::Delivered
    );
    assert_eq!(
        host.sent()[0].body,
        json!({"event": {"event_id": "x"}}),
        "the body as it was queued"
    );
    let host = FakeHost::answering([status(503), status(503), status(503), status(503)]);
    let Replayed::Again {
        delay_seconds,
        failure,
    } = run(replay(&host, &given, &message(1), 2, false))
    else {
        panic!("again: {:?}", host.printed())
    };
    assert_eq!((delay_seconds, failure.code), (10, Code::HttpStatus));
    // A key the server refuses may be a consumer's wrong or rotated key: kept, never forgotten.
    for kept in [401, 403] {
        let host = FakeHost::answering([status(kept)]);
        assert!(matches!(
            run(replay(&host, &given, &message(1), 1, false)),
            Replayed::Again { failure, .. } if failure.status == Some(kept)
        ));
        let line = &host.printed()[0].1;
        assert!(
            line.contains(&format!("(HTTP {kept}, code http_status)")),
            "{line}"
        );
    }
    // What the server refuses on the merits is final.
    for merits in [400, 413, 422] {
        let host = FakeHost::answering([status(merits)]);
        assert!(matches!(
            run(replay(&host, &given, &message(1), 1, false)),
            Replayed::Refused { .. }
        ));
    }
    let host = FakeHost::default();
    assert!(matches!(
        run(replay(&host, &given, &message(2), 1, false)),
        Replayed::Refused { .. }
    ));
    assert!(
        host.sent().is_empty(),
        "a message of another version is never sent"
    );
    assert!(
        host.printed()[0].1.contains("a message it cannot replay"),
        "{:?}",
        host.printed()
    );
}

/// Text the fake host's compression cannot shrink: no two neighbours alike.
pub(crate) fn noise(chars: usize) -> String {
    (0..chars)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect()
}

#[test]
fn a_batch_too_large_for_one_message_is_queued_in_several() {
    let host = FakeHost::answering([status(503)]);
    let text = noise(25_000);
    let events: Vec<J> = (0..3)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"text": text}}))
        .collect();
    let call = json!({"apiKey": KEY, "project": "p", "maxRetries": 0, "outbox": {"queue": "deno"}, "events": events});
    let ids = run(log_batch(&host, &opts(call))).unwrap().unwrap();
    assert!(ids.iter().all(Option::is_some));
    let counts: Vec<J> = host
        .queued
        .borrow()
        .iter()
        .map(|m| m["events"].clone())
        .collect();
    assert_eq!(
        counts,
        [json!(1), json!(1), json!(1)],
        "halved until each message fits what Deno KV takes"
    );
}
