//! The outbox in the call flow: a call hands what a later attempt could deliver to its outbox and
//! resolves as success would; [`replay`] sends a message the outbox kept, with its own keys.

use super::report::{fail, redact, Reporting};
use super::send::send_serialized;
use super::MESSAGE_CHARS;
use crate::core::error::{Call, Error};
use crate::core::failure::Failure;
use crate::core::host::{Host, Stream};
use crate::core::options::{self, shorten, Common, Given, Outbox};
use crate::core::outbox::{redelivery_delay_seconds, Kind, Message};
use crate::core::request::Method;
use crate::core::value::{Payload, Value};

/// Why a request goes to the outbox, and how many events it carries.
pub(super) struct Queued {
    pub error: Error,
    pub events: usize,
}

/// Hands one request (its method, path and serialised body) to the outbox; the error the call
/// fails with when it cannot: too large for the queue, or refused by it.
pub(super) async fn queue<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    outbox: &Outbox<H::Payload>,
    (method, path, body): (Method, &str, &H::Body),
    queued: Queued,
) -> Result<(), Error> {
    hand_over(host, common, outbox, (method, path, body), queued.events)
        .await
        .map_err(|why| why.failing(queued.error.clone()))?;
    tell(host, common, outbox.kind, queued.events, &queued.error);
    Ok(())
}

/// Why a request could not be queued.
pub(super) enum NotQueued {
    TooLarge(String),
    Refused(String),
}

impl NotQueued {
    /// The call's error, with this added to it.
    pub fn failing(self, error: Error) -> Error {
        let error = Box::new(error);
        match self {
            NotQueued::TooLarge(why) => Error::NotQueued { error, why },
            NotQueued::Refused(reason) => Error::OutboxRefused { error, reason },
        }
    }
}

/// Hands one request to the outbox, if it fits the queue's messages.
pub(super) async fn hand_over<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    outbox: &Outbox<H::Payload>,
    (method, path, body): (Method, &str, &H::Body),
    events: usize,
) -> Result<(), NotQueued> {
    let (bytes, limit) = (host.body_bytes(body), outbox.kind.max_body_bytes());
    if bytes > limit {
        let queue = outbox.kind.name();
        let why =
            format!("its JSON is {bytes} bytes, more than {queue} takes in a message ({limit})");
        return Err(NotQueued::TooLarge(why));
    }
    let message = Message::new(common.api, method, path, events, host.body_payload(body));
    host.enqueue(outbox, &message)
        .await
        .map_err(|reason| NotQueued::Refused(redact(&reason, &common.secrets)))
}

/// Says that `events` went to the outbox: one quiet line (`console.warn`), or verbose mode's
/// account of where and why. `onError` is not called: nothing is lost.
pub(super) fn tell<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    kind: Kind,
    events: usize,
    error: &Error,
) {
    let s = if events == 1 { "" } else { "s" };
    let (stream, line) = match common.verbose {
        true => {
            let queue = kind.name();
            let line = format!(
                "HoneyHive: queued {events} event{s} in {queue} for later delivery: {error}"
            );
            (Stream::Log, line)
        }
        false => {
            let reason = error.reason();
            (
                Stream::Warn,
                format!("HoneyHive: queued {events} event{s} for later delivery ({reason})"),
            )
        }
    };
    host.print(stream, &redact(&line, &common.secrets));
}

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
}

/// Sends a message the outbox kept, as the call that queued it would have, with the keys and
/// URL of `given` (this replay's own options and `env`). `attempts` counts its deliveries.
pub async fn replay<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
    message: &H::Payload,
    attempts: u32,
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
    let read = match message.value() {
        Value::Object(message) => message
            .read::<Message<H::Payload>>()
            .map_err(|reason| Error::BadMessage(format!("it cannot be read ({reason})"))),
        other => Err(Error::BadMessage(format!(
            "it is {}, not a message",
            other.kind()
        ))),
    };
    let (message, (api, method)) = match read.and_then(|m| m.checked().map(|checked| (m, checked)))
    {
        Ok(read) => read,
        Err(error) => return refused(error),
    };
    let Some(body) = host.payload_body(&message.body) else {
        return refused(Error::BadMessage("its body is not JSON text".into()));
    };
    let common = match options::replay(given, &|var| host.env_var(var)) {
        Ok(common) if common.api == api => common,
        Ok(_) => {
            let why = "its API is not the one these options choose: give the replay the same key and URLs as the calls";
            return again(host, &reporting, Error::BadMessage(why.into()), attempts);
        }
        Err(error) => return again(host, &reporting, error, attempts),
    };
    match send_serialized(host, &common, method, &message.path, &body, &|_| false).await {
        Ok(_) => Replayed::Delivered,
        Err(error) if error.retryable() => again(host, &reporting, error, attempts),
        // A queue keeps no order: an update may come before the event it changes. Its 404 is
        // given a few more deliveries before it counts as final.
        Err(error @ Error::Http { status: 404, .. })
            if method == Method::Put && attempts < UPDATE_404_DELIVERIES =>
        {
            again(host, &reporting, error, attempts)
        }
        Err(error) => refused(error),
    }
}

/// How many deliveries an update answered 404 gets before the 404 counts as final.
const UPDATE_404_DELIVERIES: u32 = 5;

/// A delivery that a later one could mend: said on `console.warn`, and asked of the queue.
fn again<H: Host>(
    host: &H,
    reporting: &Reporting<H::Payload>,
    error: Error,
    attempts: u32,
) -> Replayed {
    let retry_after = match error {
        Error::RetryAfterTooLong { ms } => Some(ms),
        _ => None,
    };
    let delay_seconds = redelivery_delay_seconds(attempts, retry_after);
    let keys = reporting.keys();
    let message = format!("HoneyHive: failed to {}: {error}", Call::Replay.action());
    let message = shorten(&redact(&message, keys), MESSAGE_CHARS);
    let mut failure = Failure::new(Call::Replay, &error, message);
    failure.cause = error
        .cause()
        .map(|cause| shorten(&redact(cause, keys), MESSAGE_CHARS));
    let line = format!(
        "HoneyHive: Failed to replay a queued request; the queue delivers it again. ({})",
        error.reason()
    );
    host.print(Stream::Warn, &redact(&line, keys));
    Replayed::Again {
        delay_seconds,
        failure,
    }
}
