//! The seam between the core and the JS host: everything a call takes from its environment
//! (fetch, clock, random bytes, sleep, environment variables, the caller's hooks, the outbox's
//! queue, console) goes through [`Host`], and how bodies are written and read through its
//! [`Codec`]. The wasm build implements both over the JS globals; host tests over a scripted fake.

pub use crate::core::codec::Codec;
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::options::Outbox;
use crate::core::outbox::Message;
use crate::core::request::Method;
use crate::core::retry::Outcome;

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

/// What the core needs from the JS host besides its [`Codec`]: the clock, randomness, the
/// environment, the caller's `onError` hook, the network, the outbox's queue and the console.
#[allow(async_fn_in_trait)] // single-threaded hosts: the futures need not be Send
pub trait Host: Codec {
    /// Milliseconds since the Unix epoch (`Date.now()`).
    fn now_ms(&self) -> f64;
    /// 16 bytes from a cryptographic source (`crypto.getRandomValues`).
    fn random_bytes(&self) -> Result<[u8; 16], Error>;
    /// A number in `[0, 1)` (`Math.random()`): a retry's jitter, a trace's sampling.
    fn random_unit(&self) -> f64;
    /// Whether the runtime refuses the logger the environment variable `name` (Deno without
    /// `--allow-env`): a missing key's message then names the flag.
    fn env_denied(&self, name: &'static str) -> bool {
        let _ = name;
        false
    }
    /// An environment variable of the host (`process.env`, `Deno.env`), if it has it and allows it.
    fn env_var(&self, name: &'static str) -> Option<String>;
    /// Calls the caller's `onError` hook with the failure (as a `HoneyHiveError`); what it
    /// throws or rejects with is swallowed.
    fn on_error(&self, hook: &Self::Payload, failure: &Failure);
    /// Sends one attempt, giving up after `timeout_ms` or when `signal` aborts.
    async fn fetch(
        &self,
        request: &HttpRequest<'_, Self::Body>,
        timeout_ms: u32,
        signal: Option<&Self::Payload>,
    ) -> Outcome;
    /// Waits `ms` milliseconds; `Err(Error::Aborted)` as soon as `signal` aborts.
    async fn sleep(&self, ms: u64, signal: Option<&Self::Payload>) -> Result<(), Error>;
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
