//! The calls over any [`Host`]: resolve the options, build the request, send it with retries,
//! read the ids from the answer, and report a failure the way the caller asked (one quiet line,
//! or a rejection with the whole story). Nothing printed carries the API key.

use core::cell::Cell;

use crate::core::error::{Call, Error};
use crate::core::host::{Host, HttpRequest, Stream};
use crate::core::ids;
use crate::core::options::{self, shorten, Common, Given};
use crate::core::request::{self, Json, Request, MAX_BATCH_BYTES, MAX_BATCH_EVENTS};
use crate::core::retry::{self, Answer, Decision, Outcome};
use crate::core::routes::Api;
use crate::core::snapshot::{Inner, Table};
use crate::core::trace;
use crate::core::v2;
use crate::core::value::{Object, Value};

/// The members the core reads of a server's answer: the id a single call made, and what a
/// batch's partial failure took and why not the rest.
pub const ANSWER_NAMES: Table = &[
    ("session_id", Inner::Value),
    ("event_id", Inner::Value),
    ("event_ids", Inner::Array(None)),
    ("errors", Inner::Array(None)),
];

/// How many characters of a body verbose mode prints.
const PRINTED_BODY_CHARS: usize = 2_000;
/// How many characters of a message (an error, one of a batch's errors) the caller gets: a
/// server's error page can be megabytes.
const MESSAGE_CHARS: usize = 4_000;

/// A finished call: `Ok(Some(_))` on success, `Ok(None)` after a quiet failure (already
/// reported on `console.error`), `Err(message)` for a verbose failure, to reject with.
pub type Finished<T> = Result<Option<T>, String>;

/// What `logBatch` came to when some events were not logged.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchFailure {
    /// The message to reject with (verbose) or the short line's reason (quiet).
    pub message: String,
    /// Per event, in order: its id when the server accepted it, else `None`.
    pub event_ids: Vec<Option<String>>,
    /// What went wrong, per failed request or event.
    pub errors: Vec<String>,
}

/// A finished `logBatch`: the ids in order; `Ok(None)` after a quiet failure of every event;
/// after a partial failure, quiet mode resolves to the ids with `None` for the events lost,
/// verbose mode rejects with a [`BatchFailure`].
pub type BatchFinished = Result<Option<Vec<Option<String>>>, BatchFailure>;

/// `start()`: starts a session and returns its id.
pub async fn start<H: Host>(host: &H, given: &Given<H::Object>) -> Finished<String> {
    single(host, Single::Start, given).await
}

/// `log()`: logs an event and returns its id.
pub async fn log<H: Host>(host: &H, given: &Given<H::Object>) -> Finished<String> {
    single(host, Single::Log, given).await
}

/// `update()`: updates an event or a session.
pub async fn update<H: Host>(host: &H, given: &Given<H::Object>) -> Finished<()> {
    single(host, Single::Update, given)
        .await
        .map(|done| done.map(drop))
}

/// The calls that make one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Single {
    Start,
    Log,
    Update,
}

impl Single {
    pub fn call(self) -> Call {
        match self {
            Single::Start => Call::Start,
            Single::Log => Call::Log,
            Single::Update => Call::Update,
        }
    }
}

/// A call that makes one request (`start`, `log` or `update`): its id (empty for `update`). One
/// future for the three, so that the module holds one copy of the call flow, not three.
pub async fn single<H: Host>(
    host: &H,
    single: Single,
    given: &Given<H::Object>,
) -> Finished<String> {
    let call = single.call();
    let result = match prepare(host, single, given) {
        Ok((common, request)) => match send(host, &common, request, &|_| false).await {
            Ok(answer) => id_from_answer(host, call, answer.body),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    };
    finish(host, call, given, result)
}

/// A single call's options, resolved, and the request they make.
type Prepared<O> = (Common<O>, Request<O>);

fn prepare<H: Host>(
    host: &H,
    single: Single,
    given: &Given<H::Object>,
) -> Result<Prepared<H::Object>, Error> {
    let env = |var| host.env_var(var);
    Ok(match single {
        Single::Start => {
            let o = options::start(given, &env)?;
            let session_id = id_or_new(host, o.session_id.clone())?;
            let common = o.common.clone();
            let request = match common.api {
                Api::Reference => request::start(o, session_id, host.now_ms()),
                Api::V2 => v2::start(o, session_id, host.now_ms()),
            };
            (common, request)
        }
        Single::Log => {
            let o = options::log(given, &env)?;
            let session_id = id_or_new(host, o.event.session_id.clone())?;
            // Made here (unless the caller gave one) and kept across retries: an attempt whose
            // answer was lost cannot create a second event, since the server knows this id already.
            let event_id = id_or_new(host, o.event.event_id.clone())?;
            let common = o.common.clone();
            let request = match common.api {
                Api::Reference => request::log(o, session_id, event_id, host.now_ms()),
                Api::V2 => v2::log(o, session_id, event_id, host.now_ms()),
            };
            (common, request)
        }
        Single::Update => {
            let o = options::update(given, &env)?;
            let common = o.common.clone();
            let request = match common.api {
                Api::Reference => request::update(o),
                Api::V2 => v2::update(o),
            };
            (common, request)
        }
    })
}

/// `logBatch()`: logs many events in as few `POST /events/batch` requests as the limits allow,
/// one after another, and returns their ids in order.
pub async fn log_batch<H: Host>(host: &H, given: &Given<H::Object>) -> BatchFinished {
    batch(host, given, None).await
}

/// `trace()`'s sending: the spans a trace recorded (see [`trace`]), as one batch (more only
/// when the batch limits say so), in the caller's session or in one the batch starts.
pub async fn trace<H: Host>(
    host: &H,
    given: &Given<H::Object>,
    spans: Vec<Value<H::Object>>,
) -> BatchFinished {
    batch(host, given, Some(spans)).await
}

/// `logBatch()`, or with a trace's spans its sending: one future for both, so that the module
/// holds one copy of the batch flow.
pub async fn batch<H: Host>(
    host: &H,
    given: &Given<H::Object>,
    trace: Option<Vec<Value<H::Object>>>,
) -> BatchFinished {
    let (call, prepared) = match trace {
        None => (Call::LogBatch, batch_of(host, given)),
        Some(spans) => (Call::Trace, trace_batch(host, given, spans)),
    };
    send_batch(host, call, given, prepared).await
}

/// A batch ready to send: its events' bodies and ids, and the batch's own members.
struct Batch<O> {
    common: Common<O>,
    single: Option<bool>,
    properties: Option<Json<O>>,
    ids: Vec<String>,
    events: Vec<Json<O>>,
}

fn batch_of<H: Host>(host: &H, given: &Given<H::Object>) -> Result<Batch<H::Object>, Error> {
    let o = options::batch(given, &|var| host.env_var(var))?;
    let batch_session = match o.session_id.clone() {
        Some(id) => id,
        None if o.events.iter().all(|e| e.session_id.is_some()) => String::new(),
        None => new_uuid(host)?,
    };
    let (ids, events) = bodies(host, o.common.api, o.events, &batch_session)?;
    let properties = o.session_properties.map(Json::Payload);
    Ok(Batch {
        common: o.common,
        single: o.is_single_session,
        properties,
        ids,
        events,
    })
}

fn trace_batch<H: Host>(
    host: &H,
    given: &Given<H::Object>,
    spans: Vec<Value<H::Object>>,
) -> Result<Batch<H::Object>, Error> {
    let o = options::trace(given, spans, &|var| host.env_var(var))?;
    let common = o.common.clone();
    // Every event of the plan has its id and session.
    let plan = trace::plan(o)?;
    let (ids, events) = bodies(host, common.api, plan.events, &plan.session_id)?;
    let properties = plan
        .starts_session
        .map(|name| Json::Object(vec![("session_name", Json::Str(name))]));
    Ok(Batch {
        single: properties.is_some().then_some(true),
        properties,
        ids,
        events,
        common,
    })
}

/// A batch's event ids and the events as its API writes them.
type Bodies<O> = (Vec<String>, Vec<Json<O>>);

/// A batch's events as its API writes them, and their ids (made here where not given); an event
/// without a session goes to `batch_session`.
fn bodies<H: Host>(
    host: &H,
    api: Api,
    events: Vec<options::EventOptions<H::Object>>,
    batch_session: &str,
) -> Result<Bodies<H::Object>, Error> {
    let now = host.now_ms();
    let mut ids = Vec::with_capacity(events.len());
    let mut bodies = Vec::with_capacity(events.len());
    for event in events {
        let session_id = event
            .session_id
            .clone()
            .unwrap_or_else(|| batch_session.to_string());
        let event_id = id_or_new(host, event.event_id.clone())?;
        ids.push(event_id.clone());
        bodies.push(event_body(api, event, session_id, event_id, now));
    }
    Ok((ids, bodies))
}

/// One event of a batch, as the call's API writes it.
fn event_body<O>(
    api: Api,
    event: options::EventOptions<O>,
    session_id: String,
    event_id: String,
    now: f64,
) -> Json<O> {
    match api {
        Api::Reference => request::event(event, session_id, event_id, now),
        Api::V2 => v2::event(event, session_id, event_id, now),
    }
}

/// Sends a batch in chunks (see [`log_batch`]) and tells what came of each event.
async fn send_batch<H: Host>(
    host: &H,
    call: Call,
    given: &Given<H::Object>,
    batch: Result<Batch<H::Object>, Error>,
) -> BatchFinished {
    let Batch {
        common,
        single,
        properties,
        ids,
        events,
    } = match batch {
        Ok(batch) => batch,
        Err(error) => {
            return match fail(host, call, given, error) {
                Some(message) => Err(BatchFailure {
                    message,
                    event_ids: Vec::new(),
                    errors: Vec::new(),
                }),
                None => Ok(None),
            };
        }
    };

    let mut accepted: Vec<Option<String>> = vec![None; ids.len()];
    let mut errors = Vec::new();
    // The short reason of the quiet line: the first failure's, like the other calls' `(HTTP 401)`.
    let mut first_reason: Option<String> = None;
    // Chunks of at most MAX_BATCH_EVENTS, halved while their JSON is over MAX_BATCH_BYTES or
    // cannot be made (so that one bad payload loses only its own event).
    // A stack, the first chunk on top (pushed last: no reversal, whose swaps bring bounds checks).
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut to = ids.len();
    while to > 0 {
        let from = (to - 1) / MAX_BATCH_EVENTS * MAX_BATCH_EVENTS;
        chunks.push((from, to));
        to = from;
    }
    while let Some((from, to)) = chunks.pop() {
        let (Some(chunk), Some(chunk_ids)) = (events.get(from..to), ids.get(from..to)) else {
            continue;
        };
        let request = match common.api {
            Api::Reference => request::batch(chunk, single, properties.clone()),
            Api::V2 => v2::batch(chunk, single, properties.clone()),
        };
        let body = serialize(host, &common, &request);
        if let Err(error @ Error::Redact(_)) = &body {
            // The caller's hook refused: nothing more of this batch is sent (halving would send
            // what it passed and lose what it refused, and run it again on the same events).
            first_reason.get_or_insert_with(|| error.reason());
            errors.push(format!("events {from}..{}: {error}", ids.len()));
            break;
        }
        let too_big = body
            .as_ref()
            .is_ok_and(|body| host.body_bytes(body) > MAX_BATCH_BYTES);
        if (body.is_err() || too_big) && to - from > 1 {
            let middle = from + (to - from) / 2;
            chunks.push((middle, to));
            chunks.push((from, middle));
            continue;
        }
        let body = match body {
            Ok(body) => body,
            Err(error) => {
                first_reason.get_or_insert_with(|| error.reason());
                errors.push(format!("event {from}: {error}"));
                continue;
            }
        };
        // A 500 that lists what it took is final; what it lists is read once, here.
        let listed = Cell::new(None);
        let partial = |answer: &Answer| {
            let found = if answer.status == 500 {
                partial_answer(host, &answer.body)
            } else {
                None
            };
            let is_final = found.is_some();
            listed.set(found);
            is_final
        };
        match send_serialized(host, &common, request.method, &request.path, body, &partial).await {
            Ok(answer) if answer.status == 500 => {
                let (taken, server_errors) = listed.take().unwrap_or_default();
                let mut lost = 0;
                for (slot, id) in accepted.iter_mut().skip(from).zip(chunk_ids) {
                    match taken.contains(id) {
                        true => *slot = Some(id.clone()),
                        false => lost += 1,
                    }
                }
                if server_errors.is_empty() && lost > 0 {
                    first_reason.get_or_insert_with(|| "dropped by the server".into());
                    errors.push(format!("events {from}..{to}: the server did not take {lost} of them and said nothing why"));
                } else if lost > 0 {
                    first_reason.get_or_insert_with(|| "refused by the server".into());
                }
                errors.extend(server_errors);
            }
            // The ids sent: the server knows them, whatever order its answer lists them in.
            Ok(_) => accepted
                .iter_mut()
                .skip(from)
                .zip(chunk_ids)
                .for_each(|(slot, id)| *slot = Some(id.clone())),
            Err(error) => {
                first_reason.get_or_insert_with(|| error.reason());
                errors.push(format!("events {from}..{to}: {error}"));
            }
        }
    }
    let lost = accepted.iter().filter(|id| id.is_none()).count();
    if lost == 0 {
        return Ok(Some(accepted));
    }
    let keys = &common.secrets;
    let total = accepted.len();
    let mut message = format!(
        "HoneyHive: failed to {}: {lost} of {total} events were not logged: ",
        call.action()
    );
    for (i, error) in errors.iter().enumerate() {
        message.push_str(if i > 0 { "; " } else { "" });
        message.push_str(error);
    }
    let message = shorten(&redact(&message, keys), MESSAGE_CHARS);
    if let Some(hook) = &common.on_error {
        host.on_error(hook, &message);
    }
    if common.verbose {
        let errors = errors
            .iter()
            .map(|e| shorten(&redact(e, keys), MESSAGE_CHARS))
            .collect();
        return Err(BatchFailure {
            message,
            event_ids: accepted,
            errors,
        });
    }
    let reason = first_reason.unwrap_or_else(|| "no reason given".into());
    host.print(
        Stream::Error,
        &format!(
            "HoneyHive: Failed to {}. ({lost} of {total} events not logged: {reason})",
            call.action()
        ),
    );
    Ok((lost < accepted.len()).then_some(accepted))
}

/// The `event_ids` and `errors` of a batch answer (their strings), when its body has an
/// `event_ids` array.
fn partial_answer<H: Host>(host: &H, body: &str) -> Option<(Vec<String>, Vec<String>)> {
    let answer = host.parse_answer(body)?;
    let strings = |key| -> Option<Vec<String>> {
        let mut strings = Vec::new();
        for item in answer.items(key).ok()?? {
            if let Value::String(s) = item {
                strings.push(s);
            }
        }
        Some(strings)
    };
    Some((strings("event_ids")?, strings("errors").unwrap_or_default()))
}

/// A new UUIDv4 from the host's random bytes.
pub fn new_uuid<H: Host>(host: &H) -> Result<String, Error> {
    Ok(ids::v4_from_bytes(host.random_bytes()?))
}

/// The caller's id, or a new UUIDv4.
pub fn id_or_new<H: Host>(host: &H, given: Option<String>) -> Result<String, Error> {
    given.map_or_else(|| new_uuid(host), Ok)
}

/// Serialises a request and sends it (see [`send_serialized`]).
async fn send<H: Host>(
    host: &H,
    common: &Common<H::Object>,
    request: Request<H::Object>,
    is_final: &dyn Fn(&Answer) -> bool,
) -> Result<Answer, Error> {
    let body = serialize(host, common, &request)?;
    send_serialized(host, common, request.method, &request.path, body, is_final).await
}

/// A request's body as it is sent: serialised, then (with a `redact` hook) each of its events
/// as the hook returns it, so that what the hook removes is neither sent nor printed.
fn serialize<H: Host>(
    host: &H,
    common: &Common<H::Object>,
    request: &Request<H::Object>,
) -> Result<H::Body, Error> {
    let body = host.serialize(&request.body)?;
    match &common.redact {
        None => Ok(body),
        Some(hook) => host.redact_events(body, hook, request.events),
    }
}

/// Sends a serialised body, retrying as the policy says; the success answer, or an answer
/// `is_final` takes as it is (a batch's partial failure, which a retry would not mend).
async fn send_serialized<H: Host>(
    host: &H,
    common: &Common<H::Object>,
    method: request::Method,
    path: &str,
    body: H::Body,
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
            &host.body_text(&body, PRINTED_BODY_CHARS + longest_key),
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
        body: &body,
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

/// The id a success answer carries (`session_id` or `event_id`); update answers carry none.
fn id_from_answer<H: Host>(host: &H, call: Call, body: String) -> Result<String, Error> {
    let Some(key) = call.id_key() else {
        return Ok(String::new());
    };
    match host.parse_answer(&body).map(|answer| answer.get(key)) {
        Some(Ok(Value::String(id))) if !id.is_empty() => Ok(id),
        _ => Err(Error::MissingId { key, body }),
    }
}

/// Turns a call's result into what the caller sees, reporting a failure as they asked (and to
/// their `onError` hook), with the API key masked.
fn finish<H: Host, T>(
    host: &H,
    call: Call,
    given: &Given<H::Object>,
    result: Result<T, Error>,
) -> Finished<T> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) => fail(host, call, given, error).map_or(Ok(None), Err),
    }
}

/// Reports a failed call as the caller asked (see [`finish`]): the message to reject with in
/// verbose mode, `None` after the quiet line.
fn fail<H: Host>(host: &H, call: Call, given: &Given<H::Object>, error: Error) -> Option<String> {
    let keys = options::secrets(given, &|var| host.env_var(var));
    // Masked, then cut: a cut through the key would leave part of it unmasked.
    let message = shorten(
        &redact(
            &format!("HoneyHive: failed to {}: {error}", call.action()),
            &keys,
        ),
        MESSAGE_CHARS,
    );
    if let Some(hook) = options::on_error(given) {
        host.on_error(&hook, &message);
    }
    if options::is_verbose(given) {
        return Some(message);
    }
    let line = format!(
        "HoneyHive: Failed to {}. ({})",
        call.action(),
        error.reason()
    );
    host.print(Stream::Error, &redact(&line, &keys));
    None
}

/// Keys shorter than this are not masked: they would garble every line (a key `k` is in
/// "network") and no real API key is that short.
const SHORTEST_MASKED_KEY: usize = 4;

/// `text` with every occurrence of each key masked as `***`, in any ASCII case: a runtime may
/// quote the key lower-cased (Node's `getaddrinfo ENOTFOUND` names a host as the URL parser wrote
/// it). Occurrences that overlap (a key inside a longer one, two keys sharing characters) are
/// masked as one, so that no part of any key survives; occurrences side by side stay one `***`
/// each.
pub fn redact(text: &str, keys: &[String]) -> String {
    // Where the longest occurrence of a key that starts at byte `at` ends. A search at each
    // byte, ASCII case folded: no lower-cased copies and none of `str::find`'s searcher code (a
    // key and a message are short); `get` finds none that does not start and end at characters.
    let reach = |at: usize| {
        let mut end = None;
        for key in keys.iter().filter(|key| key.len() >= SHORTEST_MASKED_KEY) {
            if text
                .get(at..at + key.len())
                .is_some_and(|here| here.eq_ignore_ascii_case(key))
            {
                end = end.max(Some(at + key.len()));
            }
        }
        end
    };
    let mut masked = String::with_capacity(text.len());
    let (mut at, mut copied) = (0, 0);
    while at < text.len() {
        let Some(mut end) = reach(at) else {
            at += 1;
            continue;
        };
        // Every occurrence that starts inside the masked part extends it.
        let mut inside = at + 1;
        while inside < end {
            end = end.max(reach(inside).unwrap_or(0));
            inside += 1;
        }
        masked.push_str(text.get(copied..at).unwrap_or_default());
        masked.push_str("***");
        (at, copied) = (end, end);
    }
    masked.push_str(text.get(copied..).unwrap_or_default());
    masked
}

#[cfg(test)]
mod tests;
