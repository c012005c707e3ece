//! The body codec of a host: how a request's body is written (serialised, redacted), measured and
//! read back, how a server's answer is parsed, and how an outbox's message carries a body (as
//! text, or gzipped). Apart from [`super::host::Host`], which sends what this writes.

use crate::core::error::Error;
use crate::core::outbox::{Kind, Message};
use crate::core::request::Events;
use crate::core::value::Payload;
use serde::Serialize;

/// How a host writes and reads bodies.
#[allow(async_fn_in_trait)] // single-threaded hosts: the futures need not be Send
pub trait Codec {
    /// A caller's value: payloads, the `env` option, the signal.
    type Payload: Payload;
    /// A serialised body, ready to send.
    type Body;

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
    /// The first `max_chars` characters of a serialised body, for verbose mode.
    fn body_text(&self, body: &Self::Body, max_chars: usize) -> String;
    /// The size of a serialised body in UTF-8 bytes, to keep batches in bounds.
    fn body_bytes(&self, body: &Self::Body) -> usize;
    /// A server's answer as the host's JSON parser (`JSON.parse`) reads it, kept as the host's
    /// value; `None` when it is not JSON.
    fn parse_json(&self, body: &str) -> Option<Self::Payload>;
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
}
