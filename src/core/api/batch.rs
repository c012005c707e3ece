//! `logBatch()` and a trace's sending: the events' bodies, split into chunks that fit a
//! request, each serialised when the call is made and sent in turn; what came of each event.

use std::borrow::Cow;
use std::cell::Cell;
use std::future::Future;
use std::ops::Range;

use super::outbox::{hand_over, tell};
use super::report::{fail, redact, Reporting};
use super::send::{send_serialized, serialize};
use super::{answer_members, id_or_new, new_uuid, BatchFailure, BatchFinished, MESSAGE_CHARS};
use crate::core::error::{Call, Error};
use crate::core::failure::{Code, Failure};
use crate::core::host::{Host, Stream};
use crate::core::options::{self, shorten, Common, Given};
use crate::core::request::{
    self, Event, Method, SessionProperties, MAX_BATCH_BYTES, MAX_BATCH_EVENTS,
};
use crate::core::retry::Answer;
use crate::core::routes::Api;
use crate::core::trace;
use crate::core::v2;
use crate::core::value::{Payload, Value};

/// `logBatch()`: logs many events in as few `POST /events/batch` requests as the limits allow,
/// one after another, and returns their ids in order.
pub fn log_batch<'a, H: Host>(
    host: &'a H,
    given: &Given<H::Payload>,
) -> impl Future<Output = BatchFinished> + 'a {
    batch(host, given, None)
}

/// `trace()`'s sending: the spans a trace recorded (see [`trace`]), as one batch (more only
/// when the batch limits say so), in the caller's session or in one the batch starts.
pub fn trace<'a, H: Host>(
    host: &'a H,
    given: &Given<H::Payload>,
    spans: Vec<H::Payload>,
) -> impl Future<Output = BatchFinished> + 'a {
    batch(host, given, Some(spans))
}

/// `logBatch()`, or with a trace's spans its sending: one future for both, so that the module
/// holds one copy of the batch flow. The options are read and every chunk serialised when the
/// call is made (a batch that cannot be sent is reported then); the future sends them.
pub fn batch<'a, H: Host>(
    host: &'a H,
    given: &Given<H::Payload>,
    trace: Option<Vec<H::Payload>>,
) -> impl Future<Output = BatchFinished> + 'a {
    let (call, prepared) = match trace {
        None => (Call::LogBatch, batch_of(host, given)),
        Some(spans) => (Call::Trace, trace_batch(host, given, spans)),
    };
    let planned = match prepared {
        Ok(batch) => {
            let steps = plan(host, &batch, 0..batch.ids.len(), MAX_BATCH_BYTES);
            Ok((batch, steps))
        }
        Err(error) => match fail(host, call, &Reporting::of_given(host, given), error) {
            Some(error) => Err(Err(BatchFailure {
                error,
                event_ids: Vec::new(),
                errors: Vec::new(),
            })),
            None => Err(Ok(None)),
        },
    };
    async move {
        match planned {
            Ok((batch, steps)) => send_batch(host, call, batch, steps).await,
            Err(finished) => finished,
        }
    }
}

/// A batch ready to send: its events' bodies and ids, and the batch's own members.
struct Prepared<P> {
    common: Common<P>,
    single: Option<bool>,
    properties: Option<SessionProperties<P>>,
    ids: Vec<String>,
    events: Vec<Event<P>>,
}

fn batch_of<H: Host>(host: &H, given: &Given<H::Payload>) -> Result<Prepared<H::Payload>, Error> {
    let o = options::batch(given, &|var| host.env_var(var))?;
    let batch_session = match o.session_id.clone() {
        Some(id) => id,
        None if o.events.iter().all(|e| e.session_id.is_some()) => String::new(),
        None => new_uuid(host)?,
    };
    let (ids, events) = bodies(host, o.common.api, o.events, &batch_session)?;
    let properties = o.session_properties.map(SessionProperties::Given);
    Ok(Prepared {
        common: o.common,
        single: o.is_single_session,
        properties,
        ids,
        events,
    })
}

fn trace_batch<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
    spans: Vec<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
    let o = options::trace(given, spans, &|var| host.env_var(var))?;
    let common = o.common.clone();
    // Every event of the plan has its id and session.
    let plan = trace::plan(o)?;
    let (ids, events) = bodies(host, common.api, plan.events, &plan.session_id)?;
    let properties = plan
        .starts_session
        .map(|session_name| SessionProperties::Named { session_name });
    Ok(Prepared {
        single: properties.is_some().then_some(true),
        properties,
        ids,
        events,
        common,
    })
}

/// A batch's event ids and the events as its API writes them.
type Bodies<P> = (Vec<String>, Vec<Event<P>>);

/// A batch's events as its API writes them, and their ids (made here where not given); an event
/// without a session goes to `batch_session`.
fn bodies<H: Host>(
    host: &H,
    api: Api,
    events: Vec<options::EventOptions<H::Payload>>,
    batch_session: &str,
) -> Result<Bodies<H::Payload>, Error> {
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
fn event_body<P>(
    api: Api,
    event: options::EventOptions<P>,
    session_id: String,
    event_id: String,
    now: f64,
) -> Event<P> {
    match api {
        Api::Reference => request::event(event, session_id, event_id, now),
        Api::V2 => v2::event(event, session_id, event_id, now),
    }
}

/// What to do with one part of a batch, in the order of its events.
enum Step<B> {
    /// Send events `from..to` in one request.
    Send {
        from: usize,
        to: usize,
        method: Method,
        path: Cow<'static, str>,
        body: B,
    },
    /// Events that cannot be sent: what to say of them, and why.
    Lost { text: String, error: Error },
}

/// The batch in chunks of at most [`MAX_BATCH_EVENTS`], halved while their JSON is over
/// [`MAX_BATCH_BYTES`] or cannot be made (so that one bad payload loses only its own event),
/// each serialised (and redacted) now.
fn plan<H: Host>(
    host: &H,
    batch: &Prepared<H::Payload>,
    events: Range<usize>,
    max_bytes: usize,
) -> Vec<Step<H::Body>> {
    let mut steps = Vec::new();
    // A stack, the first chunk on top.
    let mut chunks: Vec<(usize, usize)> = Vec::new();
    let mut to = events.end;
    while to > events.start {
        let from = ((to - 1) / MAX_BATCH_EVENTS * MAX_BATCH_EVENTS).max(events.start);
        chunks.push((from, to));
        to = from;
    }
    while let Some((from, to)) = chunks.pop() {
        let Some(chunk) = batch.events.get(from..to) else {
            continue;
        };
        let properties = batch.properties.clone();
        let request = match batch.common.api {
            Api::Reference => request::batch(chunk, batch.single, properties),
            Api::V2 => v2::batch(chunk, batch.single, properties),
        };
        let body = serialize(host, &batch.common, &request);
        if let Err(error @ Error::Redact(_)) = &body {
            // The caller's hook refused: nothing more of this batch is sent (halving would send
            // what it passed and lose what it refused, and run it again on the same events).
            let text = format!("events {from}..{}: {error}", batch.ids.len());
            let error = error.clone();
            steps.push(Step::Lost { text, error });
            break;
        }
        let too_big = body
            .as_ref()
            .is_ok_and(|body| host.body_bytes(body) > max_bytes);
        if (body.is_err() || too_big) && to - from > 1 {
            let middle = from + (to - from) / 2;
            chunks.push((middle, to));
            chunks.push((from, middle));
            continue;
        }
        steps.push(match body {
            Ok(body) => Step::Send {
                from,
                to,
                method: request.method,
                path: request.path,
                body,
            },
            Err(error) => Step::Lost {
                text: format!("event {from}: {error}"),
                error,
            },
        });
    }
    steps
}

/// Sends a batch's chunks in turn and tells what came of each event.
async fn send_batch<H: Host>(
    host: &H,
    call: Call,
    batch: Prepared<H::Payload>,
    steps: Vec<Step<H::Body>>,
) -> BatchFinished {
    let (common, ids) = (&batch.common, &batch.ids);
    let mut accepted: Vec<Option<String>> = vec![None; ids.len()];
    let mut errors = Vec::new();
    // The first failure: the quiet line's reason, like the other calls' `(HTTP 401)`, and the
    // error's code when no event was logged.
    let mut first: Option<First> = None;
    // How many events went to the outbox, and the failure that sent the first there.
    let (mut queued, mut queued_for) = (0, None);
    for step in steps {
        let (from, to, method, path, body) = match step {
            Step::Lost { text, error } => {
                first.get_or_insert_with(|| First::of(&error));
                errors.push(text);
                continue;
            }
            Step::Send {
                from,
                to,
                method,
                path,
                body,
            } => (from, to, method, path, body),
        };
        let Some(chunk_ids) = ids.get(from..to) else {
            continue;
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
        match send_serialized(host, common, method, &path, &body, &partial).await {
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
                    first.get_or_insert_with(|| First::refused("dropped by the server"));
                    errors.push(format!(
                        "events {from}..{to}: the server did not take {lost} of them and said \
                         nothing why"
                    ));
                } else if lost > 0 {
                    first.get_or_insert_with(|| First::refused("refused by the server"));
                }
                errors.extend(server_errors);
            }
            // The ids sent: the server knows them, whatever order its answer lists them in.
            Ok(_) => accepted
                .iter_mut()
                .skip(from)
                .zip(chunk_ids)
                .for_each(|(slot, id)| *slot = Some(id.clone())),
            // What a later attempt could deliver goes to the outbox, in messages it takes.
            Err(error) if error.retryable() && common.outbox.is_some() => {
                let mut queued_now = 0;
                for step in plan_queued(host, &batch, from..to) {
                    let (from, to, failed) = match step {
                        Step::Send {
                            from,
                            to,
                            method,
                            path,
                            body,
                        } => {
                            let sent = (method, &*path, &body);
                            let outbox = common.outbox.as_ref();
                            let handed = match outbox {
                                Some(outbox) => {
                                    hand_over(host, common, outbox, sent, to - from).await
                                }
                                None => continue,
                            };
                            (from, to, handed.err().map(|why| why.failing(error.clone())))
                        }
                        Step::Lost { text, error } => {
                            first.get_or_insert_with(|| First::of(&error));
                            errors.push(text);
                            continue;
                        }
                    };
                    match failed {
                        None => {
                            let taken = accepted
                                .iter_mut()
                                .skip(from)
                                .zip(ids.get(from..to).unwrap_or(&[]));
                            taken.for_each(|(slot, id)| *slot = Some(id.clone()));
                            queued_now += to - from;
                        }
                        Some(failed) => {
                            first.get_or_insert_with(|| First::of(&failed));
                            errors.push(format!("events {from}..{to}: {failed}"));
                        }
                    }
                }
                if queued_now > 0 {
                    queued += queued_now;
                    queued_for.get_or_insert(error);
                }
            }
            Err(error) => {
                first.get_or_insert_with(|| First::of(&error));
                errors.push(format!("events {from}..{to}: {error}"));
            }
        }
    }
    if let (Some(outbox), Some(error)) = (&common.outbox, &queued_for) {
        tell(host, common, outbox.kind, queued, error);
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
    let first = first.unwrap_or_else(|| First::refused("no reason given"));
    // Some events logged: a partial failure; none: the failure of them all, as its error says.
    let some_logged = lost < total;
    let failure = Failure {
        message: shorten(&redact(&message, keys), MESSAGE_CHARS),
        code: if some_logged {
            Code::PartialFailure
        } else {
            first.code
        },
        status: first.status.filter(|_| !some_logged),
        retryable: first.retryable && !some_logged,
        call: call.name(),
        cause: first
            .cause
            .filter(|_| !some_logged)
            .map(|cause| shorten(&redact(&cause, keys), MESSAGE_CHARS)),
    };
    if let Some(hook) = &common.on_error {
        host.on_error(hook, &failure);
    }
    if common.verbose {
        let errors = errors
            .iter()
            .map(|e| shorten(&redact(e, keys), MESSAGE_CHARS))
            .collect();
        return Err(BatchFailure {
            error: failure,
            event_ids: accepted,
            errors,
        });
    }
    let reason = first.reason;
    host.print(
        Stream::Error,
        &format!(
            "HoneyHive: Failed to {}. ({lost} of {total} events not logged: {reason})",
            call.action()
        ),
    );
    Ok((lost < accepted.len()).then_some(accepted))
}

/// The first failure of a batch: the short reason of its quiet line, and its error's data.
struct First {
    reason: String,
    code: Code,
    status: Option<u16>,
    retryable: bool,
    cause: Option<String>,
}

impl First {
    fn of(error: &Error) -> Self {
        First {
            reason: error.reason(),
            code: error.code(),
            status: error.status(),
            retryable: error.retryable(),
            cause: error.cause().map(str::to_string),
        }
    }

    /// Events the server's answer said it did not take: no retry mends that.
    fn refused(reason: &str) -> Self {
        First {
            reason: reason.into(),
            code: Code::PartialFailure,
            status: None,
            retryable: false,
            cause: None,
        }
    }
}

/// Events `range` of a batch as the outbox's messages: as few as its size limit allows.
fn plan_queued<H: Host>(
    host: &H,
    batch: &Prepared<H::Payload>,
    range: Range<usize>,
) -> Vec<Step<H::Body>> {
    let max_bytes = batch
        .common
        .outbox
        .as_ref()
        .map_or(MAX_BATCH_BYTES, |o| o.kind.max_body_bytes());
    plan(host, batch, range, max_bytes)
}

/// The `event_ids` and `errors` of a batch answer (their strings), when its body has an
/// `event_ids` array.
fn partial_answer<H: Host>(host: &H, body: &str) -> Option<(Vec<String>, Vec<String>)> {
    let answer = answer_members(host, body)?;
    // The strings of an array member; `None` when it is not an array.
    let strings = |member: Option<H::Payload>| -> Option<Vec<String>> {
        let Value::Array(array) = member?.value() else {
            return None;
        };
        let items: Vec<H::Payload> = array.read().ok()?;
        let strings = items.iter().filter_map(|item| match item.value() {
            Value::String(s) => Some(s),
            _ => None,
        });
        Some(strings.collect())
    };
    Some((
        strings(answer.event_ids)?,
        strings(answer.errors).unwrap_or_default(),
    ))
}
