//! The seam between the core and the JS host: everything a call takes from its environment
//! (fetch, clock, random bytes, sleep, environment variables, serialising payloads, the caller's
//! hooks, console) goes through
//! [`Host`]. The wasm build implements it over the JS globals; host tests over a scripted fake.

use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::options::Outbox;
use crate::core::outbox::{Kind, Message};
use crate::core::request::{Events, Method};
use crate::core::retry::Outcome;
use crate::core::value::Payload;
use serde::Serialize;

/// Where a printed line goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// `console.log`: verbose mode's account of what is sent.
    Log,
    /// `console.error`: the quiet one-line failure report.
    Error,
    /// `console.warn`: the quiet line of a call whose requests went to its outbox.
    Warn,
}

/// One attempt's request, ready for `fetch`.
#[derive(Debug)]
pub struct HttpRequest<'a, B> {
    pub method: Method,
    pub url: &'a str,
    /// The `Authorization` header's value.
    pub authorization: &'a str,
    /// The serialised body.
    pub body: &'a B,
}

/// Why an outbox did not take a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Unqueued {
    /// Its `send` threw or rejected, with this reason.
    Refused(String),
    /// It had not answered within the time it was given.
    TimedOut,
    /// The caller's signal aborted while it had not answered.
    Aborted,
}

/// What the core needs from the JS host.
#[allow(async_fn_in_trait)] // single-threaded hosts: the futures need not be Send
pub trait Host {
    /// A caller's value: payloads, the `env` option, the signal.
    type Payload: Payload;
    /// A serialised body, ready to send.
    type Body;

    /// Milliseconds since the Unix epoch (`Date.now()`).
    fn now_ms(&self) -> f64;
    /// 16 bytes from a cryptographic source (`crypto.getRandomValues`).
    fn random_bytes(&self) -> Result<[u8; 16], Error>;
    /// A number in `[0, 1)` for retry jitter.
    fn jitter(&self) -> f64;
    /// Whether the runtime refuses the logger the environment variable `name` (Deno without
    /// `--allow-env`): a missing key's message then names the flag.
    fn env_denied(&self, name: &'static str) -> bool {
        let _ = name;
        false
    }
    /// An environment variable of the host (`process.env`, `Deno.env`), if it has it and allows it.
    fn env_var(&self, name: &'static str) -> Option<String>;
    /// Serialises a body in one go (`JSON.stringify`).
    fn serialize<B: Serialize>(&self, body: &B) -> Result<Self::Body, Error>;
    /// The body with each of its events (at `events`) replaced by what the caller's `redact`
    /// hook returns for it.
    fn redact_events(
        &self,
        body: Self::Body,
        hook: &Self::Payload,
        events: Events,
    ) -> Result<Self::Body, Error>;
    /// Calls the caller's `onError` hook with the failure (as a `HoneyHiveError`); what it
    /// throws or rejects with is swallowed.
    fn on_error(&self, hook: &Self::Payload, failure: &Failure);
    /// The first `max_chars` characters of a serialised body, for verbose mode.
    fn body_text(&self, body: &Self::Body, max_chars: usize) -> String;
    /// The size of a serialised body in UTF-8 bytes, to keep batches in bounds.
    fn body_bytes(&self, body: &Self::Body) -> usize;
    /// A server's answer as the host's JSON parser (`JSON.parse`) reads it, kept as the host's
    /// value; `None` when it is not JSON.
    fn parse_json(&self, body: &str) -> Option<Self::Payload>;
    /// Sends one attempt, giving up after `timeout_ms` or when `signal` aborts.
    async fn fetch(
        &self,
        request: &HttpRequest<'_, Self::Body>,
        timeout_ms: u32,
        signal: Option<&Self::Payload>,
    ) -> Outcome;
    /// Waits `ms` milliseconds; `Err(Error::Aborted)` as soon as `signal` aborts.
    async fn sleep(&self, ms: u64, signal: Option<&Self::Payload>) -> Result<(), Error>;
    /// A serialised body as the host's kind of value, for an outbox's message.
    fn body_payload(&self, body: &Self::Body) -> Self::Payload;
    /// A message's body (its JSON text) to send again; `None` when it is not text.
    fn payload_body(&self, payload: &Self::Payload) -> Option<Self::Body>;
    /// Text, or bytes (a `Uint8Array`), as the host's kind of value: a compressed body.
    fn text_payload(&self, text: &str) -> Self::Payload;
    fn bytes_payload(&self, bytes: &[u8]) -> Self::Payload;
    /// The bytes of a `Uint8Array`; `None` for anything else.
    fn payload_bytes(&self, payload: &Self::Payload) -> Option<Vec<u8>>;
    /// A body gzipped (`CompressionStream`).
    async fn gzip(&self, body: &Self::Body) -> Result<Vec<u8>, String>;
    /// Gzipped bytes made text again (`DecompressionStream`).
    async fn gunzip(&self, bytes: &[u8]) -> Result<Self::Body, String>;
    /// The size of a message as a queue of `kind` counts it (see [`Kind::counts_json`]).
    fn message_bytes(&self, kind: Kind, message: &Message<Self::Payload>) -> usize;
    /// Hands a message to the outbox (a queue's `send`, a `Deno.Kv`'s `enqueue`), to be
    /// delivered after `delay_seconds`; gives up waiting after `timeout_ms` or when `signal`
    /// aborts.
    async fn enqueue(
        &self,
        outbox: &Outbox<Self::Payload>,
        message: &Message<Self::Payload>,
        delay_seconds: u32,
        timeout_ms: u32,
        signal: Option<&Self::Payload>,
    ) -> Result<(), Unqueued>;
    /// Prints one line.
    fn print(&self, stream: Stream, line: &str);
}
