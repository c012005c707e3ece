//! What kind of queue an outbox is, told by the functions it has, and what its messages take.

use crate::core::value::Payload;

/// What kind of queue an outbox is: how a message is handed to it and how large one may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Cloudflare Queue producer binding (`send`, `sendBatch`): 128 KB a message, as JSON.
    CloudflareQueue,
    /// A `Deno.Kv` (`enqueue`, `listenQueue`): 64 KiB a value, as V8 serialises it.
    DenoKv,
    /// Any other object with `send(message)` (Vercel Queues, SQS, ... wired up by the user):
    /// taken to carry JSON text, 128 KB a message like a Cloudflare Queue.
    Custom,
}

impl Kind {
    /// The kind of `queue`, told by its functions; `None` when it has no way to take a message.
    pub fn of<P: Payload>(queue: &P) -> Option<Kind> {
        let has = |name| queue.has_function(name);
        if has("enqueue") && has("listenQueue") {
            Some(Kind::DenoKv)
        } else if has("send") && has("sendBatch") {
            Some(Kind::CloudflareQueue)
        } else if has("send") {
            Some(Kind::Custom)
        } else {
            None
        }
    }

    /// The most bytes of a whole message, as the queue counts them ([`Kind::counts_json`]).
    pub fn max_message_bytes(self) -> usize {
        match self {
            Kind::CloudflareQueue | Kind::Custom => 128_000,
            Kind::DenoKv => 65_536,
        }
    }

    /// True when the queue counts a message as its JSON text in UTF-8 (Cloudflare's
    /// `contentType: "json"`, a custom queue); false for Deno KV, which counts V8's
    /// serialisation (one byte a character of a string within Latin-1, else two; bytes as they
    /// are), so a compressed body travels there as bytes, not base64 text.
    pub fn counts_json(self) -> bool {
        !matches!(self, Kind::DenoKv)
    }

    /// How verbose mode names it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::CloudflareQueue => "a Cloudflare Queue",
            Kind::DenoKv => "a Deno KV queue",
            Kind::Custom => "the outbox",
        }
    }
}
