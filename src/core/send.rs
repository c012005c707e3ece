//! Sending a request: its body serialised (and redacted), then attempts with retries as the
//! policy says, each printed in verbose mode with the key masked.

use crate::core::breaker::{self, Admission};
use crate::core::error::Error;
use crate::core::host::{Host, HttpRequest, Stream};
use crate::core::nesting::{self, Hook};
use crate::core::options::Common;
use crate::core::report::{mask_keys, masked_to, reach};
use crate::core::request::{self, Request};
use crate::core::retry::{self, Answer, Decision, Outcome, RetryPolicy};
use serde::Serialize;

/// How many characters of a body verbose mode prints.
const PRINTED_BODY_CHARS: usize = 2_000;

/// A request's body as it is sent: serialised, then (with a `redact` hook) each of its events
/// as the hook returns it, so that what the hook removes is neither sent nor printed.
pub fn serialize<H: Host, B: Serialize>(
    host: &H,
    common: &Common<H::Payload>,
    request: &Request<B>,
) -> Result<H::Body, Error> {
    // Both may run the caller's code (a payload's `toJSON`, the hook), which may call the logger.
    let body = nesting::hook(Hook::Other, || host.serialize(&request.body))?;
    match &common.redact {
        None => Ok(body),
        Some(hook) => nesting::hook(Hook::Other, || {
            host.redact_events(body, hook, request.events)
        }),
    }
}

/// Sends a serialised body as [`send_serialized`] does (with retries), minding the server's circuit (see
/// [`breaker`]): a call with an outbox skips a server whose circuit is open
/// ([`Error::CircuitOpen`], which it queues) and, once the cool-down is over, probes it with one
/// attempt. Every call's outcome counts.
pub async fn send_minding_circuit<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    method: request::Method,
    path: &str,
    body: &H::Body,
    is_final: &dyn Fn(&Answer) -> bool,
) -> Result<Answer, Error> {
    let server = &common.server_url;
    let admission = match common.outbox {
        Some(_) => breaker::admit(server, host.now_ms()),
        None => Admission::Send,
    };
    let sent = match admission {
        Admission::Skip { ms_left } => {
            let ms_left = ms_left.ceil() as u32;
            return Err(Error::CircuitOpen { ms_left });
        }
        Admission::Probe | Admission::Send => {
            let probe = admission == Admission::Probe;
            send_serialized(host, common, (method, path, body), is_final, probe).await
        }
    };
    let reachable = match &sent {
        Ok(_) => Some(true),
        // A deadline may be the caller's own, short one: it says little of the server.
        Err(Error::Deadline { .. }) => None,
        Err(error) if error.retryable() => Some(false),
        // It answered, refusing the request: it is up.
        Err(Error::Http { .. }) => Some(true),
        // Aborted by the caller, not permitted, ...: nothing learnt of the server.
        Err(_) => None,
    };
    if let Some(reachable) = reachable {
        breaker::record(server, reachable, || host.now_ms());
    }
    sent
}

/// Sends a serialised body, retrying as the policy says (with `once`, one attempt and no
/// retries: a probe); the success answer, or an answer `is_final` takes as it is (a batch's
/// partial failure, which a retry would not mend).
pub async fn send_serialized<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    (method, path, body): (request::Method, &str, &H::Body),
    // Not generic: one copy of the retry loop in the module, not one per caller.
    is_final: &dyn Fn(&Answer) -> bool,
    once: bool,
) -> Result<Answer, Error> {
    let url = format!("{}{path}", common.server_url);
    let say = |line: String| {
        if common.verbose {
            host.print(Stream::Log, &mask_keys(&line, &common.secrets));
        }
    };
    if common.verbose {
        announce(host, common, method, &url, body);
    }
    let authorization = format!("Bearer {}", common.api_key);
    let http = HttpRequest {
        method,
        url: &url,
        authorization: &authorization,
        body,
    };
    let probe = RetryPolicy {
        max_retries: 0,
        ..common.retry
    };
    let policy = if once { &probe } else { &common.retry };
    // Only a deadline reads the clock: a call without one asks it nothing per attempt.
    let started = policy.deadline_ms.map(|_| host.now_ms());
    let elapsed = || started.map_or(0.0, |started| host.now_ms() - started);
    let mut attempt = 0;
    loop {
        let timeout_ms = retry::attempt_timeout_ms(policy, elapsed())?;
        let outcome = match host.fetch(&http, timeout_ms, common.signal.as_ref()).await {
            // Nothing to decide: no jitter drawn, no clock read.
            Outcome::Answer(answer) if answer.succeeded() || is_final(&answer) => {
                return Ok(answer)
            }
            outcome => outcome,
        };
        if outcome == Outcome::Timeout && timeout_ms < policy.timeout_ms {
            return Err(Error::Deadline {
                ms: policy.deadline_ms.unwrap_or(timeout_ms),
            });
        }
        // Never a success here (returned above): `decide`'s `Done` is not taken.
        match retry::decide(policy, attempt, outcome, host.random_unit(), host.now_ms()) {
            Decision::Done(answer) => return Ok(answer),
            Decision::Fail(Error::Http { status, body, .. }) => {
                let key = common.key_source.clone();
                return Err(Error::Http { status, body, key });
            }
            Decision::Fail(error) => return Err(error),
            Decision::RetryAfter { delay_ms, error } => {
                if !retry::wait_fits(policy, elapsed(), delay_ms) {
                    say(format!(
                        "HoneyHive: attempt {} failed ({}); no time left to retry",
                        attempt + 1,
                        error.reason()
                    ));
                    return Err(Error::Deadline {
                        ms: policy.deadline_ms.unwrap_or(0),
                    });
                }
                say(format!(
                    "HoneyHive: attempt {} failed ({}); retrying in {delay_ms} ms",
                    attempt + 1,
                    error.reason()
                ));
                host.sleep(delay_ms, common.signal.as_ref()).await?;
                attempt += 1;
            }
        }
    }
}

/// Verbose mode's lines before a request: the options' notes, then the request with the head of
/// its body (only here is the body's text copied out of the host: it can be megabytes).
fn announce<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    method: request::Method,
    url: &str,
    body: &H::Body,
) {
    let say = |line: String| host.print(Stream::Log, &mask_keys(&line, &common.secrets));
    for note in &common.notes {
        say(format!("HoneyHive: {note}"));
    }
    // Masked before it is cut, so that no part of the key survives a cut through it.
    let keys = &common.secrets;
    let head = host.body_text(body, reach(keys, PRINTED_BODY_CHARS));
    say(format!(
        "HoneyHive: {} {url} (Authorization: Bearer ***) {}",
        method.as_str(),
        masked_to(&head, keys, PRINTED_BODY_CHARS)
    ));
}
