//! A batch made ready: its events' bodies and ids (made when the call is made), and the chunks
//! it is sent in: at most [`MAX_BATCH_EVENTS`] events and [`MAX_BATCH_BYTES`] a request, or what
//! an outbox's message takes, each serialised (and redacted) now.

use std::borrow::Cow;
use std::ops::Range;

use super::{id_or_new, new_uuid};
use crate::core::error::Error;
use crate::core::host::Host;
use crate::core::options::{self, Common, Given};
use crate::core::request::{self, Event, Method, SessionProperties, MAX_BATCH_EVENTS};
use crate::core::routes::Platform;
use crate::core::send::serialize;
use crate::core::trace;
use crate::core::v2;

/// A batch ready to send: its events' bodies and ids, and the batch's own members.
pub(super) struct Prepared<P> {
    pub common: Common<P>,
    pub single: Option<bool>,
    pub properties: Option<SessionProperties<P>>,
    pub ids: Vec<String>,
    pub events: Vec<Event<P>>,
}

pub(super) fn batch_of<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
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

pub(super) fn trace_batch<H: Host>(
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
    api: Platform,
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
    api: Platform,
    event: options::EventOptions<P>,
    session_id: String,
    event_id: String,
    now: f64,
) -> Event<P> {
    match api {
        Platform::Reference => request::event(event, session_id, event_id, now),
        Platform::V2 => v2::event(event, session_id, event_id, now),
    }
}

/// What to do with one part of a batch, in the order of its events.
pub(super) enum Step<B> {
    /// Send events `from..to` in one request.
    Send(Chunk<B>),
    /// Events that cannot be sent: what to say of them, and why.
    Lost { text: String, error: Error },
}

/// Events `from..to` of a batch in one request, its body serialised.
pub(super) struct Chunk<B> {
    pub from: usize,
    pub to: usize,
    pub method: Method,
    pub path: Cow<'static, str>,
    pub body: B,
}

/// The batch in chunks of at most [`MAX_BATCH_EVENTS`], halved while their JSON is over
/// [`MAX_BATCH_BYTES`] or cannot be made (so that one bad payload loses only its own event),
/// each serialised (and redacted) now.
pub(super) fn plan<H: Host>(
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
            Platform::Reference => request::batch(chunk, batch.single, properties),
            Platform::V2 => v2::batch(chunk, batch.single, properties),
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
            Ok(body) => Step::Send(Chunk {
                from,
                to,
                method: request.method,
                path: request.path,
                body,
            }),
            Err(error) => Step::Lost {
                text: format!("event {from}: {error}"),
                error,
            },
        });
    }
    steps
}
