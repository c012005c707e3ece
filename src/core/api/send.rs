//! Sending a request: its body serialised (and redacted), then attempts with retries as the
//! policy says, each printed in verbose mode with the key masked.

use super::report::redact;
use super::PRINTED_BODY_CHARS;
use crate::core::error::Error;
use crate::core::host::{Host, HttpRequest, Stream};
use crate::core::options::{shorten, Common};
use crate::core::request::{self, Request};
use crate::core::retry::{self, Answer, Decision, Outcome};
use serde::Serialize;

/// A request's body as it is sent: serialised, then (with a `redact` hook) each of its events
/// as the hook returns it, so that what the hook removes is neither sent nor printed.
pub(super) fn serialize<H: Host, B: Serialize>(
    host: &H,
    common: &Common<H::Payload>,
    request: &Request<B>,
) -> Result<H::Body, Error> {
    let body = host.serialize(&request.body)?;
    match &common.redact {
        None => Ok(body),
        Some(hook) => host.redact_events(body, hook, request.events),
    }
}

/// Sends a serialised body, retrying as the policy says; the success answer, or an answer
/// `is_final` takes as it is (a batch's partial failure, which a retry would not mend).
pub(super) async fn send_serialized<H: Host>(
    host: &H,
    common: &Common<H::Payload>,
    method: request::Method,
    path: &str,
    body: &H::Body,
    // Not generic: one copy of the retry loop in the module, not one per caller.
    is_final: &dyn Fn(&Answer) -> bool,
) -> Result<Answer, Error> {
    let url = format!("{}{path}", common.server_url);
    let say = |line: String| {
        if common.verbose {
            host.print(Stream::Log, &redact(&line, &common.secrets));
        }
    };
    if common.verbose {
        // Only here is the body's text copied out of the host: it can be megabytes.
        for note in &common.notes {
            say(format!("HoneyHive: {note}"));
        }
        // Masked before it is cut, so that no part of the key survives a cut through it.
        let longest_key = common.secrets.iter().map(String::len).max().unwrap_or(0);
        let head = redact(
            &host.body_text(body, PRINTED_BODY_CHARS + longest_key),
            &common.secrets,
        );
        say(format!(
            "HoneyHive: {} {url} (Authorization: Bearer ***) {}",
            method.as_str(),
            shorten(&head, PRINTED_BODY_CHARS)
        ));
    }
    let authorization = format!("Bearer {}", common.api_key);
    let http = HttpRequest {
        method,
        url: &url,
        authorization: &authorization,
        body,
    };
    let policy = &common.retry;
    let started = host.now_ms();
    let mut attempt = 0;
    loop {
        let timeout_ms = retry::attempt_timeout_ms(policy, host.now_ms() - started)?;
        let outcome = host.fetch(&http, timeout_ms, common.signal.as_ref()).await;
        if let Outcome::Answer(answer) = &outcome {
            if is_final(answer) {
                return Ok(answer.clone());
            }
        }
        if outcome == Outcome::Timeout && timeout_ms < policy.timeout_ms {
            return Err(Error::Deadline {
                ms: policy.deadline_ms.unwrap_or(timeout_ms),
            });
        }
        match retry::decide(policy, attempt, outcome, host.jitter(), host.now_ms()) {
            Decision::Done(answer) => return Ok(answer),
            Decision::Fail(Error::Http { status, body, .. }) => {
                let key = common.key_source.clone();
                return Err(Error::Http { status, body, key });
            }
            Decision::Fail(error) => return Err(error),
            Decision::RetryAfter { delay_ms, error } => {
                if !retry::wait_fits(policy, host.now_ms() - started, delay_ms) {
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
