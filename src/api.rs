//! The three calls over any [`Host`]: resolve the options, build the request, send it with
//! retries, read the id from the answer, and report a failure the way the caller asked (one
//! quiet line, or a rejection with the whole story). Nothing printed carries the API key.

use crate::error::{Call, Error};
use crate::host::{Host, HttpRequest, Stream};
use crate::options::{self, shorten, Common};
use crate::request::{self, Request};
use crate::retry::{self, Decision, Outcome};
use crate::uuid;
use crate::value::{Object, Value};

/// How many characters of a body verbose mode prints.
const PRINTED_BODY_CHARS: usize = 2_000;

/// A finished call: `Ok(Some(_))` on success, `Ok(None)` after a quiet failure (already
/// reported on `console.error`), `Err(message)` for a verbose failure, to reject with.
pub type Finished<T> = Result<Option<T>, String>;

/// `start()`: starts a session and returns its id.
pub async fn start<H: Host>(host: &H, opts: &Value<H::Object>) -> Finished<String> {
    let result = async {
        let o = options::start(opts, |var| host.env_var(var))?;
        let common = o.common.clone();
        let session_id = match o.session_id.clone() {
            Some(id) => id,
            None => new_uuid(host)?,
        };
        let answer = send(host, &common, request::start(o, session_id, host.now_ms())).await?;
        id_from_answer(host, Call::Start, answer)
    }
    .await;
    finish(host, Call::Start, opts, result)
}

/// `log()`: logs an event and returns its id.
pub async fn log<H: Host>(host: &H, opts: &Value<H::Object>) -> Finished<String> {
    let result = async {
        let o = options::log(opts, |var| host.env_var(var))?;
        let common = o.common.clone();
        let session_id = match o.session_id.clone() {
            Some(id) => id,
            None => new_uuid(host)?,
        };
        // Made here and kept across retries: an attempt whose answer was lost cannot create a
        // second event, since the server knows this id already.
        let event_id = new_uuid(host)?;
        let answer = send(host, &common, request::log(o, session_id, event_id, host.now_ms())).await?;
        id_from_answer(host, Call::Log, answer)
    }
    .await;
    finish(host, Call::Log, opts, result)
}

/// `update()`: updates an event or a session.
pub async fn update<H: Host>(host: &H, opts: &Value<H::Object>) -> Finished<()> {
    let result = async {
        let o = options::update(opts, |var| host.env_var(var))?;
        let common = o.common.clone();
        send(host, &common, request::update(o)).await.map(drop)
    }
    .await;
    finish(host, Call::Update, opts, result)
}

fn new_uuid<H: Host>(host: &H) -> Result<String, Error> {
    Ok(uuid::v4_from_bytes(host.random_bytes()?))
}

/// Sends a request, retrying as the policy says; the body text of the success answer.
async fn send<H: Host>(host: &H, common: &Common<H::Object>, request: Request<H::Object>) -> Result<String, Error> {
    let url = format!("{}{}", common.server_url, request.path);
    let body = host.serialize(&request.body)?;
    let say = |line: String| {
        if common.verbose {
            host.print(Stream::Log, &redact(&line, Some(&common.api_key)));
        }
    };
    if common.verbose {
        // Only here is the body's text copied out of the host: it can be megabytes.
        for note in &common.notes {
            say(format!("HoneyHive: {note}"));
        }
        say(format!(
            "HoneyHive: {} {url} (Authorization: Bearer ***) {}",
            request.method.as_str(),
            shorten(&host.body_text(&body), PRINTED_BODY_CHARS)
        ));
    }
    let authorization = format!("Bearer {}", common.api_key);
    let http = HttpRequest { method: request.method, url: &url, authorization: &authorization, body: &body };
    let policy = &common.retry;
    let started = host.now_ms();
    let mut attempt = 0;
    loop {
        let timeout_ms = retry::attempt_timeout_ms(policy, host.now_ms() - started)?;
        let outcome = host.fetch(&http, timeout_ms, common.signal.as_ref()).await;
        if outcome == Outcome::Timeout && timeout_ms < policy.timeout_ms {
            return Err(Error::Deadline { ms: policy.deadline_ms.unwrap_or(timeout_ms) });
        }
        match retry::decide(policy, attempt, outcome, host.jitter(), host.now_ms()) {
            Decision::Done(body) => return Ok(body),
            Decision::Fail(error) => return Err(error),
            Decision::RetryAfter { delay_ms, error } => {
                if !retry::wait_fits(policy, host.now_ms() - started, delay_ms) {
                    say(format!("HoneyHive: attempt {} failed ({}); no time left to retry", attempt + 1, error.reason()));
                    return Err(Error::Deadline { ms: policy.deadline_ms.unwrap_or(0) });
                }
                say(format!("HoneyHive: attempt {} failed ({}); retrying in {delay_ms} ms", attempt + 1, error.reason()));
                host.sleep(delay_ms, common.signal.as_ref()).await?;
                attempt += 1;
            }
        }
    }
}

/// The id a success answer carries (`session_id` or `event_id`); update answers carry none.
fn id_from_answer<H: Host>(host: &H, call: Call, body: String) -> Result<String, Error> {
    let Some(key) = call.id_key() else { return Ok(String::new()) };
    let id = host.parse_json(&body).map(|answer| answer.get(key));
    match id {
        Some(Ok(Value::String(id))) if !id.is_empty() => Ok(id),
        _ => Err(Error::MissingId { key, body: shorten(&body, 200) }),
    }
}

/// Turns a call's result into what the caller sees, reporting a failure as they asked, with
/// the API key masked.
fn finish<H: Host, T>(host: &H, call: Call, opts: &Value<H::Object>, result: Result<T, Error>) -> Finished<T> {
    let error = match result {
        Ok(value) => return Ok(Some(value)),
        Err(error) => error,
    };
    let api_key = options::api_key(opts, |var| host.env_var(var));
    if options::is_verbose(opts) {
        return Err(redact(&format!("HoneyHive: failed to {}: {error}", call.action()), api_key.as_deref()));
    }
    let line = format!("HoneyHive: Failed to {}. ({})", call.action(), error.reason());
    host.print(Stream::Error, &redact(&line, api_key.as_deref()));
    Ok(None)
}

/// Keys shorter than this are not masked: they would garble every line (a key `k` is in
/// "network") and no real API key is that short.
const SHORTEST_MASKED_KEY: usize = 4;

/// `text` with every occurrence of the API key masked.
pub fn redact(text: &str, api_key: Option<&str>) -> String {
    let Some(key) = api_key.filter(|key| key.len() >= SHORTEST_MASKED_KEY) else { return text.to_string() };
    // `str::replace` would do, but its slicing brings panic formatting code into the module.
    let mut masked = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(key) {
        masked.push_str(rest.get(..at).unwrap_or_default());
        masked.push_str("***");
        rest = rest.get(at + key.len()..).unwrap_or_default();
    }
    masked.push_str(rest);
    masked
}

#[cfg(test)]
mod tests;
