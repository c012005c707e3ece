//! A call's options: both spellings (camelCase wins over snake_case), the fallback order for
//! the API key, project, source and server URL (option → `env` option → host environment →
//! default), every other default, and validation with messages that say how to fix the input.
//! - [`layer`] declares every option once and reads one object of them, member by member;
//! - [`reader`] reads an option through the layers and checks its kind;
//! - [`common`] the options every call has; [`event`] one event's.

mod common;
mod event;
mod layer;
mod reader;
#[cfg(test)]
mod tests;

pub use common::{Common, Outbox, DEFAULT_SOURCE};
pub use event::{EventOptions, EventType, DEFAULT_DURATION_MS};
pub use layer::{Env, Layer, Opt, Spelled, Var};
pub use reader::HostEnv;

use crate::core::record::Record;
use reader::{first_failure, invalid, layer as read_layer, Bounds, Reader, SAMPLE_RATE};

use crate::core::error::Error;
use crate::core::sampling::SampleRate;
use crate::core::value::{Payload, Value};

/// Where `serverUrl` points when neither the option nor HH_API_URL says.
pub use crate::core::routes::DEFAULT_SERVER_URL;
/// The most retries a caller may ask for.
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// The longest per-attempt timeout or call deadline a caller may ask for (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;
/// The most events one `logBatch` call takes (it splits them into requests of at most
/// [`crate::core::request::MAX_BATCH_EVENTS`]).
pub const MAX_EVENTS_PER_CALL: usize = 10_000;

/// A call's options as given: the call's own object, over a client's defaults (`Absent` when
/// the call was made without a client).
#[derive(Clone, Debug, PartialEq)]
pub struct Given<P> {
    pub call: Value<P>,
    pub defaults: Value<P>,
}

impl<P> Given<P> {
    /// A call made without a client.
    pub fn call(call: Value<P>) -> Self {
        Given {
            call,
            defaults: Value::Absent,
        }
    }
}

/// The options of `start()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct StartOptions<P> {
    pub common: Common<P>,
    /// `None` only with a typed key, which names the project itself.
    pub project: Option<String>,
    /// The session's name: the option, else the project; `None` when neither is given.
    pub session_name: Option<String>,
    pub source: String,
    /// The caller's session id; `None`: a new UUIDv4 is made.
    pub session_id: Option<String>,
    pub config: Option<P>,
    pub inputs: Option<P>,
    pub metadata: Option<P>,
    pub user_properties: Option<P>,
}

/// The options of `log()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct LogOptions<P> {
    pub common: Common<P>,
    pub event: EventOptions<P>,
}

/// The options of `logBatch()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchOptions<P> {
    pub common: Common<P>,
    pub events: Vec<EventOptions<P>>,
    /// The session for events that name none; `None`: the call makes one for the whole batch.
    pub session_id: Option<String>,
    pub is_single_session: Option<bool>,
    pub session_properties: Option<P>,
}

/// The options of `update()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateOptions<P> {
    pub common: Common<P>,
    pub event_id: String,
    pub metadata: Option<P>,
    pub feedback: Option<P>,
    pub metrics: Option<P>,
    pub config: Option<P>,
    pub outputs: Option<P>,
    pub user_properties: Option<P>,
    pub duration_ms: Option<f64>,
}

/// The options of a trace, resolved: its call's options (the root span's, over a client's
/// defaults) and its spans in the order they opened.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceOptions<P> {
    pub common: Common<P>,
    /// The session the caller gave; `None`: the trace starts its own.
    pub session_id: Option<String>,
    /// The name of the session a trace starts: the option, else the root span's name.
    pub session_name: Option<String>,
    /// One event per span; the type is `chain` where a span names none.
    pub spans: Vec<EventOptions<P>>,
}

/// What a failed call's report needs of what it was given, read leniently and never failing: a
/// failure before the options were all resolved still masks the keys found, reaches the
/// `onError` hook and is as verbose as asked.
pub struct Lenient<P> {
    /// The keys given (API key, ingestion key), to mask in what is printed.
    pub keys: Vec<String>,
    pub on_error: Option<P>,
    pub verbose: bool,
}

/// Reads [`Lenient`] from `given`, each object once.
pub fn lenient<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Lenient<P> {
    let (r, whole) = match Reader::new(given, host_env) {
        Ok(r) => (r, true),
        // The reader refuses the objects as a whole (an `env` that cannot be read, defaults of
        // the wrong kind): each one that can be read still gives its keys and `verbose`.
        Err(_) => {
            let readable =
                [&given.call, &given.defaults]
                    .into_iter()
                    .filter_map(|layer| match layer {
                        Value::Object(o) => read_layer(o, "options").ok(),
                        _ => None,
                    });
            (Reader::of(readable.collect(), host_env), false)
        }
    };
    let keys = [r.api_key(), r.ingestion_key()].into_iter();
    Lenient {
        keys: keys.filter_map(|found| Some(found.ok()??.value)).collect(),
        on_error: match r.option(Opt::OnError) {
            Ok(Value::Function(hook)) if whole => Some(hook),
            _ => None,
        },
        verbose: matches!(r.option(Opt::Verbose), Ok(Value::Bool(true))),
    }
}

/// What a trace reads of its options before its function runs, leniently: its sending reports
/// what is wrong.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TraceStart {
    /// The `sessionId` it was given, when that is a UUID.
    pub session_id: Option<String>,
    /// Its `sampleRate`; every trace when it has none or one that is not a rate (so that the
    /// trace is sent, and its sending reports the option).
    pub sample_rate: SampleRate,
}

/// Reads [`TraceStart`] from `given`.
pub fn trace_start<P: Payload>(given: &Given<P>) -> TraceStart {
    let Ok(r) = Reader::new(given, &|_| None) else {
        return TraceStart::default();
    };
    TraceStart {
        session_id: r.uuid(Opt::SessionId).ok().flatten(),
        sample_rate: r.sample_rate().unwrap_or_default(),
    }
}

/// Resolves the options of a `replay`: those every call has (its keys, URL and retries).
pub fn replay<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Result<Common<P>, Error> {
    Reader::new(given, host_env)?.common()
}

/// The outbox a replay was given, read leniently: a replay whose other options fail still hands
/// its message back to it.
pub fn outbox<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Option<Outbox<P>> {
    Reader::new(given, host_env).ok()?.outbox().ok()?
}

/// Resolves the options of `start()`.
pub fn start<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Result<StartOptions<P>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let project = r.project(&common)?;
    let mut failed = None;
    let session_name = first_failure(&mut failed, r.text(Opt::SessionName));
    let source = first_failure(&mut failed, r.source());
    let session_id = first_failure(&mut failed, r.uuid(Opt::SessionId));
    let mut payload = |opt| first_failure(&mut failed, r.payload(opt));
    let start = StartOptions {
        config: payload(Opt::Config),
        inputs: payload(Opt::Inputs),
        metadata: payload(Opt::Metadata),
        user_properties: payload(Opt::UserProperties),
        session_name: session_name.or_else(|| project.clone()),
        source,
        session_id,
        project,
        common,
    };
    failed.map_or(Ok(start), Err)
}

/// Resolves the options of `log()`.
pub fn log<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Result<LogOptions<P>, Error> {
    let r = Reader::new(given, host_env)?;
    let mut common = r.common()?;
    let event = r.event(&common)?;
    if event.session_id.is_none() {
        common.notes.push(
            "log() got no sessionId, so this event goes to a new session of its own, as the \
             reference logger does. Pass the id start() returned to group events in one session.",
        );
    }
    Ok(LogOptions { common, event })
}

/// Resolves the options of `logBatch()`: every event is read as `log()` reads its options,
/// falling back to the batch's own options, then to the client's defaults.
pub fn batch<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Result<BatchOptions<P>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let items = r.items(Opt::Events)?.ok_or(Error::MissingEvents)?;
    if items.is_empty() || items.len() > MAX_EVENTS_PER_CALL {
        return Err(Error::MissingEvents);
    }
    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let event = match item.value() {
            Value::Object(event) => read_layer(&event, "events")
                .and_then(|layer| r.under(layer.into_event()).event(&common)),
            other => Err(invalid(Opt::Events, "objects", &other)),
        };
        events.push(event.map_err(|e| Error::InEvent {
            index,
            error: Box::new(e),
        })?);
    }
    Ok(BatchOptions {
        is_single_session: r.boolean(Opt::IsSingleSession)?,
        session_id: r.uuid(Opt::SessionId)?,
        session_properties: r.payload(Opt::SessionProperties)?,
        events,
        common,
    })
}

/// Resolves a trace's options: the call's from `given`, each span's from what it recorded over
/// the options of its own `trace` call (read as `log()` reads an event, without the layers of
/// the call: a child does not inherit the root's inputs). Project and source are the call's.
pub fn trace<P: Payload>(
    given: &Given<P>,
    spans: Vec<P>,
    host_env: HostEnv,
) -> Result<TraceOptions<P>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    // The rate was decided when the trace began (`trace_start`); it is read again so that a
    // bad one fails the sending, which reports it.
    r.number(Opt::SampleRate, SAMPLE_RATE)?;
    let (project, source) = (r.project(&common)?, r.source()?);
    let mut events = Vec::with_capacity(spans.len());
    for (index, item) in spans.into_iter().enumerate() {
        let in_span = |error| Error::InSpan {
            index,
            error: Box::new(error),
        };
        // What a trace recorded of the span (src/npm/tracing.js): the span's own members (its
        // name, id, parent, times, error, outputs and enrichments) over the options of its
        // `trace` call.
        let record = match item.value() {
            Value::Object(item) => Record::of(&item).map_err(|reason| {
                in_span(Error::Unreadable {
                    option: "span",
                    reason,
                })
            })?,
            _ => return Err(in_span(Error::MissingEventName)),
        };
        let mut layers = Vec::with_capacity(2);
        for name in ["span", "options"] {
            if let Value::Object(object) = record.value(name) {
                layers.push(read_layer(&object, name).map_err(in_span)?.into_event());
            }
        }
        let own = Reader::of(layers, &|_| None);
        let span = own.event_with(project.clone(), source.clone(), EventType::Chain);
        events.push(span.map_err(in_span)?);
    }
    Ok(TraceOptions {
        session_id: r.uuid(Opt::SessionId)?,
        session_name: r.text(Opt::SessionName)?,
        spans: events,
        common,
    })
}

/// Resolves the options of `update()`.
pub fn update<P: Payload>(given: &Given<P>, host_env: HostEnv) -> Result<UpdateOptions<P>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let event_id = r.uuid(Opt::EventId)?.ok_or(Error::MissingEventId)?;
    let mut failed = None;
    let mut payload = |opt| first_failure(&mut failed, r.payload(opt));
    let (metadata, feedback, metrics) = (
        payload(Opt::Metadata),
        payload(Opt::Feedback),
        payload(Opt::Metrics),
    );
    let (config, outputs, user_properties) = (
        payload(Opt::Config),
        payload(Opt::Outputs),
        payload(Opt::UserProperties),
    );
    let duration = Bounds::non_negative("a number of milliseconds ≥ 0");
    let update = UpdateOptions {
        duration_ms: first_failure(&mut failed, r.number(Opt::DurationMs, duration)),
        metadata,
        feedback,
        metrics,
        config,
        outputs,
        user_properties,
        event_id,
        common,
    };
    failed.map_or(Ok(update), Err)
}

/// At most `max` characters of `text`, marked when cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!(
            "{}… ({} more bytes)",
            text.get(..cut).unwrap_or_default(),
            text.len() - cut
        ),
        None => text.to_string(),
    }
}
