//! A call's requests handed to its outbox: when a later attempt could deliver them, a call
//! queues them and resolves as success would. A message is measured as its queue counts it and
//! compressed when it does not fit; handing it over is bounded in time, so an outbox that never
//! answers cannot hold the call.

use super::base64;
use super::kind::Kind;
use super::message::{Encoding, Message};
use crate::core::error::{Error, Error::Http};
use crate::core::host::{Host, Stream, Unqueued};
use crate::core::ids;
use crate::core::options::{Common, Outbox};
use crate::core::report::mask_keys;
use crate::core::request::Method;

/// The longest a call waits for its outbox to take a message, when its `deadlineMs` does not
/// leave less.
pub const MAX_SEND_MS: u32 = 10_000;
/// The least a call gives its outbox, even when its deadline has (almost) run out.
pub const MIN_SEND_MS: u32 = 100;

/// True when a failed request is worth queueing: a later attempt could deliver it, or it is an
/// update answered 404, whose event may still be in the outbox.
pub fn worth_queueing(method: Method, error: &Error) -> bool {
    error.retryable() || (method == Method::Put && matches!(error, Http { status: 404, .. }))
}

/// Why a request goes to the outbox, how many events it carries, and when its call began.
pub struct Queued {
    pub error: Error,
    pub events: usize,
    pub started_ms: f64,
}

/// Hands one request (its method, path and serialised body) to the outbox, and says so; the
/// error the call fails with when it cannot.
pub async fn queue<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    outbox: &Outbox<H::Payload>,
    sent: (Method, &str, &H::Body),
    queued: Queued,
) -> Result<(), Error> {
    hand_over(host, common, outbox, sent, queued.events, queued.started_ms)
        .await
        .map_err(|why| why.failing(queued.error.clone()))?;
    tell(host, common, outbox.kind, queued.events, &queued.error);
    Ok(())
}

/// Why a request could not be queued.
pub enum NotQueued {
    TooLarge(String),
    Refused(String),
    /// The outbox had not answered when the call's bound, deadline or signal ended (this).
    Unsettled(Error),
}

impl NotQueued {
    /// The call's error, with this added to it.
    pub fn failing(self, error: Error) -> Error {
        let error = Box::new(error);
        match self {
            NotQueued::TooLarge(why) => Error::NotQueued { error, why },
            NotQueued::Refused(reason) => Error::OutboxRefused { error, reason },
            NotQueued::Unsettled(ended) => Error::QueueUnsettled {
                error,
                ended: Box::new(ended),
            },
        }
    }
}

/// Hands one request to the outbox, compressed if it must be to fit the queue's messages.
pub async fn hand_over<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    outbox: &Outbox<H::Payload>,
    (method, path, body): (Method, &str, &H::Body),
    events: usize,
    started_ms: f64,
) -> Result<(), NotQueued> {
    let mut message = Message::new(common.api, method, path, events, host.body_payload(body));
    message.id = host.random_bytes().ok().map(ids::v4_from_bytes);
    let message = fit(host, outbox.kind, message, body).await?;
    let (timeout_ms, ended) = bound(common, host.now_ms() - started_ms);
    let signal = common.signal.as_ref();
    match host.enqueue(outbox, &message, 0, timeout_ms, signal).await {
        Ok(()) => Ok(()),
        Err(Unqueued::Refused(reason)) => {
            Err(NotQueued::Refused(mask_keys(&reason, &common.secrets)))
        }
        Err(Unqueued::TimedOut) => Err(NotQueued::Unsettled(ended)),
        Err(Unqueued::Aborted) => Err(NotQueued::Unsettled(Error::Aborted)),
    }
}

/// How long a call waits for its outbox: what its deadline leaves (at least [`MIN_SEND_MS`]),
/// at most [`MAX_SEND_MS`]; and the error it ends with when that runs out.
pub fn bound<P>(common: &Common<P>, elapsed_ms: f64) -> (u32, Error) {
    let bounded = (MAX_SEND_MS, Error::Timeout { ms: MAX_SEND_MS });
    let Some(deadline) = common.retry.deadline_ms else {
        return bounded;
    };
    let left = (f64::from(deadline) - elapsed_ms).max(f64::from(MIN_SEND_MS));
    match left < f64::from(MAX_SEND_MS) {
        true => (left as u32, Error::Deadline { ms: deadline }),
        false => bounded,
    }
}

/// The message as it fits the queue: as it is, else with its body gzipped (base64 text where the
/// queue carries JSON, bytes in a `Deno.Kv`); too large, with both sizes, when even that is not.
pub async fn fit<H: Host>(
    host: &H,
    kind: Kind,
    message: Message<H::Payload>,
    body: &H::Body,
) -> Result<Message<H::Payload>, NotQueued> {
    let (bytes, limit) = (host.message_bytes(kind, &message), kind.max_message_bytes());
    if bytes <= limit {
        return Ok(message);
    }
    let too_large = |also: String| {
        NotQueued::TooLarge(format!(
            "too large for the outbox: {bytes} bytes; the queue takes {limit}{also}"
        ))
    };
    let gzipped = match host.gzip(body).await {
        Ok(gzipped) => gzipped,
        Err(reason) => return Err(too_large(format!(" (gzip failed: {reason})"))),
    };
    let body = match kind.counts_json() {
        true => host.text_payload(&base64::encode(&gzipped)),
        false => host.bytes_payload(&gzipped),
    };
    let compressed = Message {
        encoding: Some(Encoding::Gzip),
        body,
        ..message
    };
    match host.message_bytes(kind, &compressed) {
        fits if fits <= limit => Ok(compressed),
        still => Err(too_large(format!(", and {still} with its body gzipped"))),
    }
}

/// Says that `events` went to the outbox: one quiet line (`console.warn`), or verbose mode's
/// account of where and why. `onError` is not called: nothing is lost.
pub fn tell<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    kind: Kind,
    events: usize,
    error: &Error,
) {
    let s = if events == 1 { "" } else { "s" };
    let line = match common.verbose {
        true => {
            let queue = kind.name();
            format!("HoneyHive: queued {events} event{s} in {queue} for later delivery: {error}")
        }
        false => {
            let reason = error.reason();
            format!("HoneyHive: queued {events} event{s} for later delivery ({reason})")
        }
    };
    let stream = if common.verbose {
        Stream::Log
    } else {
        Stream::Warn
    };
    host.print(stream, &mask_keys(&line, &common.secrets));
}
