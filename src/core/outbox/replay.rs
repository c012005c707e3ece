//! A message the outbox kept, sent again with the replay's own key. What a later delivery could
//! mend is kept, never forgotten: the network and 5xx, a key the server refuses (401, 403: a
//! consumer's key may be wrong or rotated), options that fail, and an update answered 404 (its
//! event may still be in the queue). What the server refuses on the merits (400, 413, 422) is
//! final: reported, and the queue may forget it.

use super::base64;
use super::message::{redelivery_delay_seconds, Encoding, Message, MAX_CARRIED_ATTEMPTS};
use super::queue::MAX_SEND_MS;
use crate::core::call::Call;
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::host::{Host, Stream};
use crate::core::options::{self, Given, Outbox};
use crate::core::report::{fail, failure_of, mask_keys, Reporting};
use crate::core::request::Method;
use crate::core::routes::Platform;
use crate::core::send::send_serialized;
use crate::core::value::{Payload, Value};

/// What became of a message the outbox kept.
#[derive(Debug, PartialEq)]
pub enum Replayed {
    /// Delivered: the queue may forget it.
    Delivered,
    /// No retry can cure it (reported, as `failure` in verbose mode): the queue may forget it.
    Refused { failure: Option<Failure> },
    /// A later delivery could: the queue should deliver it again after `delay_seconds`.
    Again {
        delay_seconds: u32,
        failure: Failure,
    },
    /// A later delivery could, and the message went back to the outbox the replay was given,
    /// with its delivery counted: the queue may forget this one.
    Requeued,
}

/// Sends a message the outbox kept, as the call that queued it would have, with the keys and
/// URL of `given` (this replay's own options and `env`). `attempts` is the queue's count of its
/// deliveries (Cloudflare's `message.attempts`), or 0 where the queue keeps none: the message's
/// own count then. With `requeue`, what a later delivery could mend goes back to the outbox in
/// `given`, if it has one, with its count one more (Deno KV, a custom queue).
pub async fn replay<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
    message: &H::Payload,
    attempts: u32,
    requeue: bool,
) -> Replayed {
    let reporting = Reporting::of_given(host, given);
    // A replay has no caller to reject to: its refusal is printed in verbose mode too, since the
    // queue then forgets the message.
    let refused = |error| {
        let failure = fail(host, Call::Replay, &reporting, error);
        if let Some(failure) = &failure {
            host.print(Stream::Error, &failure.message);
        }
        Replayed::Refused { failure }
    };
    let (message, (api, method)) = match read(message) {
        Ok(read) => read,
        Err(error) => return refused(error),
    };
    let attempts = match attempts {
        0 => message.attempts.unwrap_or(1).max(1),
        counted => counted,
    };
    let Some(body) = body_of(host, &message).await else {
        return refused(Error::BadMessage(
            "its body is not JSON text, nor gzipped JSON text".into(),
        ));
    };
    let kept = Kept {
        host,
        given,
        message: &message,
        attempts,
        requeue,
    };
    let common = match options::replay(given, &|var| host.env_var(var)) {
        Ok(common) if common.api == api => common,
        Ok(_) => {
            let why = "its API is not the one these options choose: give the replay the same key and URLs as the calls";
            return kept.again(&reporting, Error::BadMessage(why.into())).await;
        }
        Err(error) => return kept.again(&reporting, error).await,
    };
    let sent = (method, message.path.as_str(), &body);
    match send_serialized(host, &common, sent, &|_| false, false).await {
        Ok(_) => Replayed::Delivered,
        Err(error) if keeps(method, &error) => kept.again(&reporting, error).await,
        Err(error) => refused(error),
    }
}

/// True when a later delivery could mend what this one met.
fn keeps(method: Method, error: &Error) -> bool {
    let status = error.status().unwrap_or(0);
    // A runtime that refused the request (Deno without --allow-net) is mended by a restart.
    error.retryable()
        || matches!(status, 401 | 403)
        || (status == 404 && method == Method::Put)
        || matches!(error, Error::Permission { .. })
}

/// A message, read and checked; what it cannot be replayed for.
fn read<P: Payload>(message: &P) -> Result<(Message<P>, (Platform, Method)), Error> {
    let message = match message.value() {
        Value::Object(message) => Message::read(&message)
            .map_err(|reason| Error::BadMessage(format!("it cannot be read ({reason})")))?,
        other => {
            let kind = other.kind();
            return Err(Error::BadMessage(format!("it is {kind}, not a message")));
        }
    };
    let checked = message.checked()?;
    Ok((message, checked))
}

/// A message's body as it was sent: its text, or its gzipped bytes (base64 text, or a
/// `Uint8Array`) made text again.
async fn body_of<H: Host>(host: &H, message: &Message<H::Payload>) -> Option<H::Body> {
    match message.encoding {
        None => host.payload_body(&message.body),
        Some(Encoding::Gzip) => {
            let bytes = match message.body.value() {
                Value::String(text) => base64::decode(&text)?,
                _ => host.payload_bytes(&message.body)?,
            };
            host.gunzip(&bytes).await.ok()
        }
    }
}

/// A message a later delivery could mend, and what the replay was given.
struct Kept<'a, H: Host> {
    host: &'a H,
    given: &'a Given<H::Payload>,
    message: &'a Message<H::Payload>,
    attempts: u32,
    requeue: bool,
}

impl<H: Host> Kept<'_, H> {
    /// Kept for a later delivery: back in the replay's outbox (its count one more), else asked of
    /// the queue. One quiet line on `console.warn` with the reason and the code.
    async fn again(&self, reporting: &Reporting<H::Payload>, error: Error) -> Replayed {
        let host = self.host;
        let retry_after = match error {
            Error::RetryAfterTooLong { ms } => Some(ms),
            _ => None,
        };
        let delay_seconds = redelivery_delay_seconds(self.attempts, retry_after);
        let keys = reporting.keys();
        let failure = failure_of(Call::Replay, &error, keys);
        let requeued = match self.outbox() {
            Some(outbox) => {
                let mut again = self.message.clone();
                again.attempts = Some(self.attempts.saturating_add(1));
                let sent = host.enqueue(&outbox, &again, delay_seconds, MAX_SEND_MS, None);
                sent.await.is_ok()
            }
            None => false,
        };
        let whom = if requeued { "the outbox" } else { "the queue" };
        let line = format!(
            "HoneyHive: Failed to replay a queued request (delivery {}); {whom} delivers it again in {delay_seconds} s. ({}, code {})",
            self.attempts,
            error.reason(),
            failure.code.name()
        );
        host.print(Stream::Warn, &mask_keys(&line, keys));
        match requeued {
            true => Replayed::Requeued,
            false => Replayed::Again {
                delay_seconds,
                failure,
            },
        }
    }

    /// The outbox to hand the message back to: the one the replay was given, while the message
    /// has deliveries left to count.
    fn outbox(&self) -> Option<Outbox<H::Payload>> {
        if !self.requeue || self.attempts >= MAX_CARRIED_ATTEMPTS {
            return None;
        }
        options::outbox(self.given, &|var| self.host.env_var(var))
    }
}
