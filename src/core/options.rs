//! A call's options: both spellings (camelCase wins over snake_case), the fallback order for
//! the API key, project, source and server URL (option → `env` option → host environment →
//! default), every other default, and validation with messages that say how to fix the input.

use crate::core::error::Error;
use crate::core::ids::is_uuid;
use crate::core::keys::{self, Found, KeyKind, Layer};
use crate::core::retry::RetryPolicy;
use crate::core::routes::{self, Api};
use crate::core::snapshot::{Inner, Table, MAX_MEMBERS};
use crate::core::value::{Object, Value};

/// Where `serverUrl` points when neither the option nor HH_API_URL says.
pub use crate::core::routes::DEFAULT_SERVER_URL;
/// The `source` when neither the option nor HH_SOURCE says.
pub const DEFAULT_SOURCE: &str = "dev";
/// The event duration the reference sends when none (or 0) is given.
pub const DEFAULT_DURATION_MS: f64 = 10.0;
/// The most retries a caller may ask for.
pub const MAX_RETRIES_LIMIT: u32 = 10;
/// The longest per-attempt timeout or call deadline a caller may ask for (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;

/// The kinds of event the API takes from this logger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// A call to a model.
    Model,
    /// A tool call; the default.
    Tool,
    /// A chain of steps.
    Chain,
}

impl EventType {
    /// The lower-case name sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Model => "model",
            EventType::Tool => "tool",
            EventType::Chain => "chain",
        }
    }

    /// Parses a name, ignoring case.
    pub fn parse(name: &str) -> Option<EventType> {
        [EventType::Model, EventType::Tool, EventType::Chain]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

/// Options every call has.
#[derive(Clone, Debug, PartialEq)]
pub struct Common<O> {
    /// The key the call sends as `Authorization: Bearer …` (see [`crate::core::keys`]); never printed.
    pub api_key: String,
    /// Every key the caller gave (API and ingestion keys), masked in all the call prints.
    pub secrets: Vec<String>,
    /// True when the key is a typed key of the current platform: `project` is then optional.
    pub typed_key: bool,
    /// The routes the call speaks (see [`crate::core::routes`]).
    pub api: Api,
    /// The base URL of those routes, without a trailing `/`.
    pub server_url: String,
    /// Reject with a full message and print the requests, instead of one quiet line.
    pub verbose: bool,
    /// Attempts and timeouts.
    pub retry: RetryPolicy,
    /// The caller's AbortSignal, if any.
    pub signal: Option<O>,
    /// The caller's `redact(event) => event`, run on every event just before it is serialised.
    pub redact: Option<O>,
    /// The caller's `onError(error)`, told of the call's failure (a failure before the options
    /// were resolved reads it leniently: see [`on_error`]).
    pub on_error: Option<O>,
    /// Things verbose mode tells the caller about their options.
    pub notes: Vec<&'static str>,
}

/// The options of `start()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct StartOptions<O> {
    pub common: Common<O>,
    /// `None` only with a typed key, which names the project itself.
    pub project: Option<String>,
    /// The session's name: the option, else the project; `None` when neither is given.
    pub session_name: Option<String>,
    pub source: String,
    /// The caller's session id; `None`: a new UUIDv4 is made.
    pub session_id: Option<String>,
    pub config: Option<O>,
    pub inputs: Option<O>,
    pub metadata: Option<O>,
    pub user_properties: Option<O>,
}

/// The options of `log()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct LogOptions<O> {
    pub common: Common<O>,
    pub event: EventOptions<O>,
}

/// One event, as `log()` and each member of `logBatch({ events })` describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventOptions<O> {
    /// `None` only with a typed key, which names the project itself.
    pub project: Option<String>,
    pub source: String,
    pub event_name: String,
    pub event_type: EventType,
    /// The session to log under; `None`: the call makes a new UUIDv4, as the reference does.
    pub session_id: Option<String>,
    /// The caller's event id; `None`: the call makes a UUIDv4, kept across retries.
    pub event_id: Option<String>,
    pub parent_id: Option<String>,
    pub children_ids: Option<Vec<String>>,
    pub error: Option<String>,
    /// Unix ms; `None`: now.
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    pub config: Option<O>,
    pub inputs: Option<O>,
    pub outputs: Option<O>,
    pub metadata: Option<O>,
    pub feedback: Option<O>,
    pub metrics: Option<O>,
    pub user_properties: Option<O>,
    pub duration_ms: f64,
}

/// The options of `logBatch()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchOptions<O> {
    pub common: Common<O>,
    pub events: Vec<EventOptions<O>>,
    /// The session for events that name none; `None`: the call makes one for the whole batch.
    pub session_id: Option<String>,
    pub is_single_session: Option<bool>,
    pub session_properties: Option<O>,
}

/// The most events one `logBatch` call takes (it splits them into requests of at most
/// [`crate::core::request::MAX_BATCH_EVENTS`]).
pub const MAX_EVENTS_PER_CALL: usize = 10_000;

/// A call's options as given: the call's own object, over a client's defaults (`Absent` when
/// the call was made without a client).
#[derive(Clone, Debug, PartialEq)]
pub struct Given<O> {
    pub call: Value<O>,
    pub defaults: Value<O>,
}

impl<O> Given<O> {
    /// A call made without a client.
    pub fn call(call: Value<O>) -> Self {
        Given {
            call,
            defaults: Value::Absent,
        }
    }
}

/// The options of `update()`, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdateOptions<O> {
    pub common: Common<O>,
    pub event_id: String,
    pub metadata: Option<O>,
    pub feedback: Option<O>,
    pub metrics: Option<O>,
    pub config: Option<O>,
    pub outputs: Option<O>,
    pub user_properties: Option<O>,
    pub duration_ms: Option<f64>,
}

/// Whether the caller asked for verbose mode, read before anything else so that even a failure
/// to read the other options is reported the way the caller asked. Never fails.
pub fn is_verbose<O: Object>(given: &Given<O>) -> bool {
    let verbose = |layer: &Value<O>| match layer {
        Value::Object(o) => o.get("verbose").ok(),
        _ => None,
    };
    match verbose(&given.call) {
        Some(Value::Absent) | None => matches!(verbose(&given.defaults), Some(Value::Bool(true))),
        Some(value) => matches!(value, Value::Bool(true)),
    }
}

/// The keys a call was given (API key, ingestion key), read leniently, never failing: a failed
/// call masks them in what it prints even when the failure came before its options were all
/// resolved.
pub fn secrets<O: Object>(
    given: &Given<O>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Vec<String> {
    let Ok(r) = Reader::new(given, host_env) else {
        return Vec::new();
    };
    let mut secrets = Vec::new();
    for found in [r.api_key(), r.ingestion_key()] {
        if let Ok(Some(found)) = found {
            secrets.push(found.value);
        }
    }
    secrets
}

/// The `sessionId` a call was given, when it is a UUID, read leniently (a trace asks before it
/// runs; its sending reports a bad one).
pub fn session_id<O: Object>(given: &Given<O>) -> Option<String> {
    Reader::new(given, &|_| None)
        .ok()?
        .uuid("sessionId", "session_id")
        .ok()?
}

/// The caller's `onError` hook, read leniently, never failing: a failed call reports to it even
/// when the failure came before its options were all resolved.
pub fn on_error<O: Object>(given: &Given<O>) -> Option<O> {
    match Reader::new(given, &|_| None)
        .ok()?
        .option("onError", "on_error")
        .ok()?
    {
        Value::Function(hook) => Some(hook),
        _ => None,
    }
}

/// Resolves the options of `start()`.
pub fn start<O: Object>(
    given: &Given<O>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Result<StartOptions<O>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let project = r.project(&common)?;
    let mut failed = None;
    let start = StartOptions {
        session_name: first_failure(&mut failed, r.text("sessionName", "session_name"))
            .or_else(|| project.clone()),
        source: first_failure(&mut failed, r.source()),
        session_id: first_failure(&mut failed, r.uuid("sessionId", "session_id")),
        config: first_failure(&mut failed, r.payload("config", "config")),
        inputs: first_failure(&mut failed, r.payload("inputs", "inputs")),
        metadata: first_failure(&mut failed, r.payload("metadata", "metadata")),
        user_properties: first_failure(&mut failed, r.payload("userProperties", "user_properties")),
        project,
        common,
    };
    failed.map_or(Ok(start), Err)
}

/// Resolves the options of `log()`.
pub fn log<O: Object>(
    given: &Given<O>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Result<LogOptions<O>, Error> {
    let r = Reader::new(given, host_env)?;
    let mut common = r.common()?;
    let event = r.event(&common)?;
    if event.session_id.is_none() {
        common.notes.push(
            "log() got no sessionId, so this event goes to a new session of its own, as the reference \
             logger does. Pass the id start() returned to group events in one session.",
        );
    }
    Ok(LogOptions { common, event })
}

/// Resolves the options of `logBatch()`: every event is read as `log()` reads its options,
/// falling back to the batch's own options, then to the client's defaults.
pub fn batch<O: Object>(
    given: &Given<O>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Result<BatchOptions<O>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let items = match r.items("events", "events")? {
        Some(items) => items,
        None => return Err(Error::MissingEvents),
    };
    if items.is_empty() || items.len() > MAX_EVENTS_PER_CALL {
        return Err(Error::MissingEvents);
    }
    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let event = match item {
            Value::Object(event) => r.under(event).event(&common),
            other => Err(invalid("events", "objects", &other)),
        };
        events.push(event.map_err(|e| Error::InEvent {
            index,
            error: Box::new(e),
        })?);
    }
    let is_single_session = match r.option("isSingleSession", "is_single_session")? {
        Value::Absent => None,
        Value::Bool(b) => Some(b),
        other => return Err(invalid("isSingleSession", "a boolean", &other)),
    };
    Ok(BatchOptions {
        session_id: r.uuid("sessionId", "session_id")?,
        session_properties: r.payload("sessionProperties", "session_properties")?,
        is_single_session,
        events,
        common,
    })
}

/// The options of a trace, resolved: its call's options (the root span's, over a client's
/// defaults) and its spans in the order they opened.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceOptions<O> {
    pub common: Common<O>,
    /// The session the caller gave; `None`: the trace starts its own.
    pub session_id: Option<String>,
    /// The name of the session a trace starts: the option, else the root span's name.
    pub session_name: Option<String>,
    /// One event per span; the type is `chain` where a span names none.
    pub spans: Vec<EventOptions<O>>,
}

/// Resolves a trace's options: the call's from `given`, each span's from what it recorded over
/// the options of its own `trace` call (read as `log()` reads an event, without the layers of
/// the call: a child does not inherit the root's inputs). Project and source are the call's.
pub fn trace<O: Object>(
    given: &Given<O>,
    spans: Vec<Value<O>>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Result<TraceOptions<O>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let (project, source) = (r.project(&common)?, r.source()?);
    let no_env = |_| None;
    let mut events = Vec::with_capacity(spans.len());
    for (index, item) in spans.into_iter().enumerate() {
        let in_span = |error| Error::InSpan {
            index,
            error: Box::new(error),
        };
        let Value::Object(item) = item else {
            return Err(in_span(Error::MissingEventName));
        };
        let mut layers = Vec::with_capacity(2);
        for member in ["span", "options"] {
            if let Value::Object(layer) = item.get(member).map_err(in_span)? {
                layers.push(layer);
            }
        }
        let own = Reader {
            layers,
            env: None,
            host_env: &no_env,
        };
        events.push(
            own.event_with(project.clone(), source.clone(), EventType::Chain)
                .map_err(in_span)?,
        );
    }
    Ok(TraceOptions {
        session_id: r.uuid("sessionId", "session_id")?,
        session_name: r.text("sessionName", "session_name")?,
        spans: events,
        common,
    })
}

/// Resolves the options of `update()`.
pub fn update<O: Object>(
    given: &Given<O>,
    host_env: &dyn Fn(&'static str) -> Option<String>,
) -> Result<UpdateOptions<O>, Error> {
    let r = Reader::new(given, host_env)?;
    let common = r.common()?;
    let event_id = r
        .uuid("eventId", "event_id")?
        .ok_or(Error::MissingEventId)?;
    let mut failed = None;
    let update = UpdateOptions {
        metadata: first_failure(&mut failed, r.payload("metadata", "metadata")),
        feedback: first_failure(&mut failed, r.payload("feedback", "feedback")),
        metrics: first_failure(&mut failed, r.payload("metrics", "metrics")),
        config: first_failure(&mut failed, r.payload("config", "config")),
        outputs: first_failure(&mut failed, r.payload("outputs", "outputs")),
        user_properties: first_failure(&mut failed, r.payload("userProperties", "user_properties")),
        duration_ms: first_failure(&mut failed, r.duration()),
        event_id,
        common,
    };
    failed.map_or(Ok(update), Err)
}

/// Every member the options are read from, in a call's options and a client's defaults (see
/// [`crate::core::snapshot`]): the JS side reads these and no others. A batch's events are read with
/// [`EVENT_NAMES`], the same names but the last [`CALL_ONLY`]: an event holds no `events`, so
/// reading one can never recurse (`o.events = [o]`), and no `env`, batch options or hooks.
pub const NAMES: Table = &[
    ("apiKey", Inner::Value),
    ("api_key", Inner::Value),
    ("ingestionApiKey", Inner::Value),
    ("ingestion_api_key", Inner::Value),
    ("serverUrl", Inner::Value),
    ("server_url", Inner::Value),
    ("dataPlaneUrl", Inner::Value),
    ("data_plane_url", Inner::Value),
    ("project", Inner::Value),
    ("source", Inner::Value),
    ("verbose", Inner::Value),
    ("maxRetries", Inner::Value),
    ("max_retries", Inner::Value),
    ("timeoutMs", Inner::Value),
    ("timeout_ms", Inner::Value),
    ("deadlineMs", Inner::Value),
    ("deadline_ms", Inner::Value),
    ("signal", Inner::Value),
    ("caBundlePath", Inner::Value),
    ("ca_bundle_path", Inner::Value),
    ("verify", Inner::Value),
    ("sessionName", Inner::Value),
    ("session_name", Inner::Value),
    ("sessionId", Inner::Value),
    ("session_id", Inner::Value),
    ("eventId", Inner::Value),
    ("event_id", Inner::Value),
    ("parentId", Inner::Value),
    ("parent_id", Inner::Value),
    ("childrenIds", Inner::Array(None)),
    ("children_ids", Inner::Array(None)),
    ("eventName", Inner::Value),
    ("event_name", Inner::Value),
    ("eventType", Inner::Value),
    ("event_type", Inner::Value),
    ("error", Inner::Value),
    ("startTime", Inner::Value),
    ("start_time", Inner::Value),
    ("endTime", Inner::Value),
    ("end_time", Inner::Value),
    ("durationMs", Inner::Value),
    ("duration_ms", Inner::Value),
    ("config", Inner::Value),
    ("inputs", Inner::Value),
    ("outputs", Inner::Value),
    ("metadata", Inner::Value),
    ("feedback", Inner::Value),
    ("metrics", Inner::Value),
    ("userProperties", Inner::Value),
    ("user_properties", Inner::Value),
    // Read from a call and a client's defaults only (CALL_ONLY of them):
    ("env", Inner::Object(TABLE_ENV)),
    ("events", Inner::Array(Some(TABLE_EVENT))),
    ("isSingleSession", Inner::Value),
    ("is_single_session", Inner::Value),
    ("sessionProperties", Inner::Value),
    ("session_properties", Inner::Value),
    ("onError", Inner::Value),
    ("on_error", Inner::Value),
    ("redact", Inner::Value),
];

/// How many of the last [`NAMES`] an event does not have.
const CALL_ONLY: usize = 9;

/// The members read from each of a batch's events.
pub const EVENT_NAMES: Table = NAMES.split_at(NAMES.len() - CALL_ONLY).0;

/// The variables read from the `env` option (and, one at a time, from the host's environment).
pub const ENV_NAMES: Table = &[
    ("HH_API_KEY", Inner::Value),
    ("HH_INGESTION_API_KEY", Inner::Value),
    ("HH_API_URL", Inner::Value),
    ("HH_DATA_PLANE_URL", Inner::Value),
    ("HH_PROJECT", Inner::Value),
    ("HH_SOURCE", Inner::Value),
];

// A member's tag is one character from `A` (see [`crate::core::snapshot`]).
const _: () = assert!(NAMES.len() <= MAX_MEMBERS && ENV_NAMES.len() <= MAX_MEMBERS);

/// The members read from each span of a trace: what the span recorded (its name, id, parent,
/// times, error, outputs and enrichments, read as an event), over the options its `trace` call
/// was given (read as an event too).
pub const SPAN_NAMES: Table = &[
    ("span", Inner::Object(TABLE_EVENT)),
    ("options", Inner::Object(TABLE_EVENT)),
];

/// What a trace hands over besides its call's options: its spans, in the order they opened.
pub const TRACE_NAMES: Table = &[("spans", Inner::Array(Some(TABLE_SPAN)))];

/// The tables the JS side is given, in the order their numbers name them.
pub const TABLES: [Table; 5] = [NAMES, ENV_NAMES, EVENT_NAMES, SPAN_NAMES, TRACE_NAMES];
pub const TABLE_NAMES: usize = 0;
pub const TABLE_ENV: usize = 1;
pub const TABLE_EVENT: usize = 2;
pub const TABLE_SPAN: usize = 3;
pub const TABLE_TRACE: usize = 4;

/// Where a number option must lie, and how its error says so.
#[derive(Clone, Copy)]
struct Bounds {
    min: f64,
    max: f64,
    /// Whole numbers only.
    whole: bool,
    expected: &'static str,
}

/// Reads a call's options through its layers (the call's object, then a client's defaults; for
/// a batch's event, the event first), the `env` option, and the host's environment.
struct Reader<'h, O> {
    /// The layers, highest priority first.
    layers: Vec<O>,
    env: Option<O>,
    /// Not generic: one copy of the reader in the module, whatever the caller's closure.
    host_env: &'h dyn Fn(&'static str) -> Option<String>,
}

impl<'h, O: Object> Reader<'h, O> {
    fn new(
        given: &Given<O>,
        host_env: &'h dyn Fn(&'static str) -> Option<String>,
    ) -> Result<Self, Error> {
        let Value::Object(call) = &given.call else {
            return Err(Error::NotAnObject {
                found: kind_name(&given.call),
            });
        };
        let mut layers = vec![call.clone()];
        match &given.defaults {
            Value::Absent => {}
            Value::Object(defaults) => layers.push(defaults.clone()),
            other => {
                return Err(invalid(
                    "defaults",
                    "an object (the client's defaults)",
                    other,
                ))
            }
        }
        let mut reader = Reader {
            layers,
            env: None,
            host_env,
        };
        reader.env = match reader.option("env", "env")? {
            Value::Absent => None,
            Value::Object(env) => Some(env),
            other => {
                return Err(invalid(
                    "env",
                    "an object of environment bindings, like a Worker's env",
                    &other,
                ))
            }
        };
        Ok(reader)
    }

    /// The same reader with `top` as its highest layer (a batch's event).
    fn under(&self, top: O) -> Self {
        let mut layers = Vec::with_capacity(self.layers.len() + 1);
        layers.push(top);
        layers.extend(self.layers.iter().cloned());
        Reader {
            layers,
            env: self.env.clone(),
            host_env: self.host_env,
        }
    }

    /// The first layer's answer that is not `None`.
    fn first<T>(&self, read: impl Fn(&O) -> Result<Option<T>, Error>) -> Result<Option<T>, Error> {
        for layer in &self.layers {
            if let Some(found) = read(layer)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The option from the highest layer that gives it: camelCase first, then snake_case
    /// (given means neither undefined nor null).
    fn option(&self, camel: &'static str, snake: &'static str) -> Result<Value<O>, Error> {
        self.given_option(camel, snake, |value| !matches!(value, Value::Absent))
    }

    /// The option from the highest layer where `given` holds of it, camelCase first.
    fn given_option(
        &self,
        camel: &'static str,
        snake: &'static str,
        given: fn(&Value<O>) -> bool,
    ) -> Result<Value<O>, Error> {
        Ok(self
            .first(|layer| given_in(layer, camel, snake, given))?
            .unwrap_or(Value::Absent))
    }

    /// An array option from the highest layer that gives it, camelCase first.
    fn items(
        &self,
        camel: &'static str,
        snake: &'static str,
    ) -> Result<Option<Vec<Value<O>>>, Error> {
        self.first(|layer| match layer.items(camel)? {
            None if camel != snake => layer.items(snake),
            found => Ok(found),
        })
    }

    /// A text option; empty counts as absent, as in the reference, so that the other spelling
    /// or a client's default is read.
    fn text(&self, camel: &'static str, snake: &'static str) -> Result<Option<String>, Error> {
        self.first(|layer| text_in(layer, camel, snake))
    }

    /// A text option, else `var` from the `env` option, else `var` from the host's environment.
    fn text_or_env(
        &self,
        camel: &'static str,
        snake: &'static str,
        var: &'static str,
    ) -> Result<Option<String>, Error> {
        Ok(self.found(camel, snake, var)?.map(|found| found.value))
    }

    /// As [`Self::text_or_env`], with the layer it came from and how the user names that source.
    fn found(
        &self,
        camel: &'static str,
        snake: &'static str,
        var: &'static str,
    ) -> Result<Option<Found>, Error> {
        self.found_within(camel, snake, var, Layer::HostEnv)
    }

    /// As [`Self::found`], looking no farther than `farthest`: where a rival option was found
    /// already, a farther place cannot win over it, and a host lookup is saved.
    fn found_within(
        &self,
        camel: &'static str,
        snake: &'static str,
        var: &'static str,
        farthest: Layer,
    ) -> Result<Option<Found>, Error> {
        for (index, layer) in self
            .layers
            .iter()
            .enumerate()
            .take_while(|(index, _)| Layer::Options(*index) <= farthest)
        {
            if let Some(value) = text_in(layer, camel, snake)? {
                return Ok(Some(Found {
                    value,
                    layer: Layer::Options(index),
                    name: camel,
                }));
            }
        }
        if let Some(env) = self.env.as_ref().filter(|_| Layer::EnvOption <= farthest) {
            if let Value::String(value) = env.get(var)? {
                if !value.is_empty() {
                    return Ok(Some(Found {
                        value,
                        layer: Layer::EnvOption,
                        name: var,
                    }));
                }
            }
        }
        if farthest < Layer::HostEnv {
            return Ok(None);
        }
        let value = (self.host_env)(var).filter(|s| !s.is_empty());
        Ok(value.map(|value| Found {
            value,
            layer: Layer::HostEnv,
            name: var,
        }))
    }

    /// The API key, with where it was found.
    fn api_key(&self) -> Result<Option<Found>, Error> {
        self.found("apiKey", "api_key", "HH_API_KEY")
    }

    /// The ingestion key, with where it was found.
    fn ingestion_key(&self) -> Result<Option<Found>, Error> {
        self.found(
            "ingestionApiKey",
            "ingestion_api_key",
            "HH_INGESTION_API_KEY",
        )
    }

    /// The ingestion key where it can win over `api_key` (the same place or a nearer one).
    fn ingestion_key_within(&self, api_key: Option<&Found>) -> Result<Option<Found>, Error> {
        let farthest = api_key.map_or(Layer::HostEnv, |found| found.layer);
        self.found_within(
            "ingestionApiKey",
            "ingestion_api_key",
            "HH_INGESTION_API_KEY",
            farthest,
        )
    }

    fn common(&self) -> Result<Common<O>, Error> {
        let api_key = self.api_key()?;
        let ingestion_key = self.ingestion_key_within(api_key.as_ref())?;
        let mut secrets = Vec::new();
        for found in [&api_key, &ingestion_key].into_iter().flatten() {
            secrets.push(found.value.clone());
        }
        let key = keys::choose(api_key, ingestion_key).ok_or(Error::MissingApiKey)?;
        if !key.value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::InvalidApiKey);
        }
        let key_kind = keys::kind(&key.value);
        if key_kind == KeyKind::Malformed {
            return Err(Error::MalformedKey {
                source: key.source(),
            });
        }
        let server_url = self.found("serverUrl", "server_url", "HH_API_URL")?;
        let farthest = server_url
            .as_ref()
            .map_or(Layer::HostEnv, |found| found.layer);
        let target = routes::choose(
            server_url,
            self.found_within(
                "dataPlaneUrl",
                "data_plane_url",
                "HH_DATA_PLANE_URL",
                farthest,
            )?,
            key_kind,
        )?;
        let verbose = match self.option("verbose", "verbose")? {
            Value::Absent => false,
            Value::Bool(b) => b,
            other => return Err(invalid("verbose", "a boolean", &other)),
        };
        let retries = Bounds {
            min: 0.0,
            max: f64::from(MAX_RETRIES_LIMIT),
            whole: true,
            expected: "a whole number from 0 to 10",
        };
        let max_retries = self
            .number("maxRetries", "max_retries", retries)?
            .map_or(RetryPolicy::DEFAULT_MAX_RETRIES, |n| n as u32);
        let limit = Bounds {
            min: 1.0,
            max: f64::from(MAX_TIMEOUT_MS),
            whole: false,
            expected: "a number of milliseconds from 1 to 600000",
        };
        let timeout_ms = self
            .number("timeoutMs", "timeout_ms", limit)?
            .map_or(RetryPolicy::DEFAULT_TIMEOUT_MS, |n| n.ceil() as u32);
        let deadline_ms = self
            .number("deadlineMs", "deadline_ms", limit)?
            .map(|n| n.ceil() as u32);
        let signal = match self.option("signal", "signal")? {
            Value::Absent => None,
            Value::Object(signal) if signal.is_abort_signal() => Some(signal),
            other => return Err(invalid("signal", "an AbortSignal", &other)),
        };
        let redact = self.hook("redact", "redact")?;
        let on_error = self.hook("onError", "on_error")?;
        let mut notes = Vec::new();
        let mut tls_option_given = false;
        for (camel, snake) in [("caBundlePath", "ca_bundle_path"), ("verify", "verify")] {
            tls_option_given |= !matches!(self.option(camel, snake)?, Value::Absent);
        }
        if tls_option_given {
            notes.push(
                "caBundlePath and verify are ignored: TLS belongs to the runtime's fetch. Trust a custom \
                 CA with NODE_EXTRA_CA_CERTS (Node), DENO_CERT (Deno), or the system store (browsers).",
            );
        }
        Ok(Common {
            api_key: key.value,
            secrets,
            typed_key: key_kind == KeyKind::Typed,
            api: target.api,
            server_url: target.base_url,
            verbose,
            retry: RetryPolicy {
                max_retries,
                timeout_ms,
                deadline_ms,
            },
            signal,
            redact,
            on_error,
            notes,
        })
    }

    /// A hook option: a function, kept as the host's value.
    fn hook(&self, camel: &'static str, snake: &'static str) -> Result<Option<O>, Error> {
        match self.option(camel, snake)? {
            Value::Absent => Ok(None),
            Value::Function(hook) => Ok(Some(hook)),
            other => Err(invalid(camel, "a function", &other)),
        }
    }

    /// The project: required by the reference's API with a key of the reference's kind. A typed
    /// key names its project itself (on the reference's routes it is sent only when given), and
    /// the v2 API takes no project at all (its requests leave it out; see [`crate::core::v2`]).
    fn project(&self, common: &Common<O>) -> Result<Option<String>, Error> {
        match self.text_or_env("project", "project", "HH_PROJECT")? {
            None if common.api == Api::Reference && !common.typed_key => Err(Error::MissingProject),
            project => Ok(project),
        }
    }

    fn source(&self) -> Result<String, Error> {
        Ok(self
            .text_or_env("source", "source", "HH_SOURCE")?
            .unwrap_or_else(|| DEFAULT_SOURCE.to_string()))
    }

    /// One event's options, as `log()` reads them.
    fn event(&self, common: &Common<O>) -> Result<EventOptions<O>, Error> {
        self.event_with(self.project(common)?, self.source()?, EventType::Tool)
    }

    /// One event's own options, with the project and source of its call and the type it has
    /// when it names none.
    fn event_with(
        &self,
        project: Option<String>,
        source: String,
        default_type: EventType,
    ) -> Result<EventOptions<O>, Error> {
        let event_name = self
            .text("eventName", "event_name")?
            .ok_or(Error::MissingEventName)?;
        let event_type = match self.option("eventType", "event_type")? {
            Value::Absent => default_type,
            Value::String(name) => EventType::parse(&name).ok_or(Error::InvalidEventType(name))?,
            other => {
                return Err(invalid(
                    "eventType",
                    "one of \"model\", \"tool\", \"chain\"",
                    &other,
                ))
            }
        };
        let start_time = self.time("startTime", "start_time")?;
        let end_time = self.time("endTime", "end_time")?;
        let duration_ms = match (self.duration()?, start_time, end_time) {
            (Some(ms), _, _) if ms > 0.0 => ms,
            (_, Some(start), Some(end)) if end >= start => end - start,
            (_, Some(_), Some(end)) => {
                return Err(invalid(
                    "endTime",
                    "a time (Unix ms) not before startTime",
                    &Value::<O>::Number(end),
                ));
            }
            _ => DEFAULT_DURATION_MS,
        };
        let children_ids = match self.items("childrenIds", "children_ids")? {
            None => None,
            Some(items) => {
                let mut ids = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(id) if is_uuid(&id) => ids.push(id),
                        other => return Err(invalid("childrenIds", "an array of UUIDs", &other)),
                    }
                }
                Some(ids)
            }
        };
        // The first failure, after every member was read: one way out instead of one per member.
        let mut failed = None;
        let event = EventOptions {
            source,
            session_id: first_failure(&mut failed, self.uuid("sessionId", "session_id")),
            event_id: first_failure(&mut failed, self.uuid("eventId", "event_id")),
            parent_id: first_failure(&mut failed, self.uuid("parentId", "parent_id")),
            error: first_failure(&mut failed, self.text("error", "error")),
            config: first_failure(&mut failed, self.payload("config", "config")),
            inputs: first_failure(&mut failed, self.payload("inputs", "inputs")),
            outputs: first_failure(&mut failed, self.payload("outputs", "outputs")),
            metadata: first_failure(&mut failed, self.payload("metadata", "metadata")),
            feedback: first_failure(&mut failed, self.payload("feedback", "feedback")),
            metrics: first_failure(&mut failed, self.payload("metrics", "metrics")),
            user_properties: first_failure(
                &mut failed,
                self.payload("userProperties", "user_properties"),
            ),
            children_ids,
            start_time,
            end_time,
            project,
            event_name,
            event_type,
            duration_ms,
        };
        failed.map_or(Ok(event), Err)
    }

    /// A time in Unix milliseconds: a finite number ≥ 0.
    fn time(&self, camel: &'static str, snake: &'static str) -> Result<Option<f64>, Error> {
        self.number(
            camel,
            snake,
            Bounds {
                min: 0.0,
                max: f64::INFINITY,
                whole: false,
                expected: "a time in Unix milliseconds",
            },
        )
    }

    /// An id option that, when given, must be a UUID.
    fn uuid(&self, camel: &'static str, snake: &'static str) -> Result<Option<String>, Error> {
        match self.text(camel, snake)? {
            // Whole, not cut: the message is redacted, then cut, as one (a cut key would not be masked).
            Some(id) if !is_uuid(&id) => Err(Error::InvalidUuid {
                option: camel,
                value: id,
            }),
            id => Ok(id),
        }
    }

    /// A payload: any object, kept as the host's value.
    fn payload(&self, camel: &'static str, snake: &'static str) -> Result<Option<O>, Error> {
        match self.option(camel, snake)? {
            Value::Absent => Ok(None),
            Value::Object(o) => Ok(Some(o)),
            other => Err(invalid(camel, "an object", &other)),
        }
    }

    /// A finite number within `bounds`.
    fn number(
        &self,
        camel: &'static str,
        snake: &'static str,
        bounds: Bounds,
    ) -> Result<Option<f64>, Error> {
        match self.option(camel, snake)? {
            Value::Absent => Ok(None),
            Value::Number(n)
                if n.is_finite()
                    && (bounds.min..=bounds.max).contains(&n)
                    && (!bounds.whole || n.fract() == 0.0) =>
            {
                Ok(Some(n))
            }
            Value::Number(n) if n.is_finite() => {
                Err(invalid(camel, bounds.expected, &Value::<O>::Number(n)))
            }
            other => Err(invalid(camel, "a finite number", &other)),
        }
    }

    fn duration(&self) -> Result<Option<f64>, Error> {
        self.number(
            "durationMs",
            "duration_ms",
            Bounds {
                min: 0.0,
                max: f64::INFINITY,
                whole: false,
                expected: "a number of milliseconds ≥ 0",
            },
        )
    }
}

/// An option of one layer where `given` holds of it, camelCase first (read once when both
/// spellings are the same).
fn given_in<O: Object>(
    layer: &O,
    camel: &'static str,
    snake: &'static str,
    given: fn(&Value<O>) -> bool,
) -> Result<Option<Value<O>>, Error> {
    let value = match layer.get(camel)? {
        value if given(&value) => value,
        _ if snake != camel => layer.get(snake)?,
        value => value,
    };
    Ok(given(&value).then_some(value))
}

/// A text option of one layer, camelCase first; an empty string counts as absent.
fn text_in<O: Object>(
    layer: &O,
    camel: &'static str,
    snake: &'static str,
) -> Result<Option<String>, Error> {
    let given = |value: &Value<O>| {
        !matches!(value, Value::Absent) && !matches!(value, Value::String(s) if s.is_empty())
    };
    match given_in(layer, camel, snake, given)? {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(camel, "a string", &other)),
    }
}

fn invalid<O>(option: &'static str, expected: &'static str, found: &Value<O>) -> Error {
    Error::InvalidOption {
        option,
        expected,
        found: found.kind(),
    }
}

/// `result`'s value, or (keeping the first failure in `failed`) the type's default.
fn first_failure<T: Default>(failed: &mut Option<Error>, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|error| {
        failed.get_or_insert(error);
        T::default()
    })
}

fn kind_name<O>(value: &Value<O>) -> &'static str {
    match value {
        Value::Absent => "undefined or null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Object(_) => "an object",
        Value::Function(_) => "a function",
        Value::Other(kind) => kind,
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as J};

    const ID: &str = "123e4567-e89b-42d3-a456-426614174000";

    fn no_env(_: &'static str) -> Option<String> {
        None
    }

    fn opts(v: J) -> Given<J> {
        Given::call(Value::Object(v))
    }

    #[test]
    fn start_defaults_session_name_source_and_server_url() {
        let o = start(&opts(json!({"apiKey": "k", "project": "p"})), &no_env).unwrap();
        assert_eq!(o.session_name.as_deref(), Some("p"));
        assert_eq!(o.source, "dev");
        assert_eq!(o.common.server_url, "https://api.honeyhive.ai");
        assert_eq!(o.session_id, None);
        assert_eq!(
            o.common.retry,
            RetryPolicy {
                max_retries: 3,
                timeout_ms: 5000,
                deadline_ms: None
            }
        );
        assert!(!o.common.verbose);
        assert_eq!(
            (o.config, o.inputs, o.metadata, o.user_properties),
            (None, None, None, None)
        );
    }

    #[test]
    fn camel_case_wins_over_snake_case() {
        let o = start(
            &opts(json!({"apiKey": "camel", "api_key": "snake", "project": "p", "sessionName": "c", "session_name": "s",
                "server_url": "http://snake", "userProperties": {"a": 1}, "user_properties": {"b": 2}})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.common.api_key, "camel");
        assert_eq!(o.session_name.as_deref(), Some("c"));
        assert_eq!(o.common.server_url, "http://snake");
        assert_eq!(o.user_properties, Some(json!({"a": 1})));
    }

    #[test]
    fn snake_case_is_read_when_camel_case_is_null() {
        let o = start(
            &opts(json!({"apiKey": null, "api_key": "k", "project": "p"})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.common.api_key, "k");
    }

    #[test]
    fn env_fallback_order_is_option_then_env_object_then_host() {
        let host = |var: &'static str| match var {
            "HH_API_URL" => Some("https://host".into()),
            "HH_API_KEY" | "HH_PROJECT" | "HH_SOURCE" => Some(format!("host-{var}")),
            _ => None,
        };
        let o = start(&opts(json!({})), &host).unwrap();
        assert_eq!(o.common.api_key, "host-HH_API_KEY");
        assert_eq!(o.project.as_deref(), Some("host-HH_PROJECT"));
        assert_eq!(o.source, "host-HH_SOURCE");
        assert_eq!(o.common.server_url, "https://host");
        let o = start(
            &opts(
                json!({"env": {"HH_API_KEY": "env-k", "HH_PROJECT": "env-p", "HH_API_URL": "https://e/"}}),
            ),
            &host,
        );
        let o = o.unwrap();
        assert_eq!(
            (
                o.common.api_key.as_str(),
                o.project.as_deref().unwrap_or_default()
            ),
            ("env-k", "env-p")
        );
        assert_eq!(o.common.server_url, "https://e");
        let o = start(
            &opts(json!({"apiKey": "opt", "env": {"HH_API_KEY": "env-k"}, "project": "p"})),
            &host,
        )
        .unwrap();
        assert_eq!(o.common.api_key, "opt");
    }

    #[test]
    fn non_string_env_bindings_and_empty_strings_fall_through() {
        let o = start(
            &opts(json!({"apiKey": "", "env": {"HH_API_KEY": {"binding": true}}, "project": "p"})),
            &|var| (var == "HH_API_KEY").then(|| "h".into()),
        );
        assert_eq!(o.unwrap().common.api_key, "h");
    }

    #[test]
    fn missing_api_key_and_project_say_how_to_fix() {
        let e = start(&opts(json!({"project": "p"})), &no_env).unwrap_err();
        assert_eq!(e, Error::MissingApiKey);
        assert!(e.message().contains("HH_API_KEY"));
        let e = start(&opts(json!({"apiKey": "k"})), &no_env).unwrap_err();
        assert_eq!(e, Error::MissingProject);
        assert!(e.message().contains("HH_PROJECT"));
    }

    #[test]
    fn update_does_not_need_a_project() {
        let o = update(&opts(json!({"apiKey": "k", "eventId": ID})), &no_env).unwrap();
        assert_eq!(o.event_id, ID);
        assert_eq!(o.duration_ms, None);
    }

    #[test]
    fn update_requires_a_uuid_event_id() {
        assert_eq!(
            update(&opts(json!({"apiKey": "k"})), &no_env).unwrap_err(),
            Error::MissingEventId
        );
        let e = update(&opts(json!({"apiKey": "k", "event_id": "nope"})), &no_env).unwrap_err();
        assert_eq!(
            e,
            Error::InvalidUuid {
                option: "eventId",
                value: "nope".into()
            }
        );
    }

    #[test]
    fn start_session_id_must_be_a_uuid_when_given() {
        let base = json!({"apiKey": "k", "project": "p"});
        let mut given = base.clone();
        given["sessionId"] = json!(ID);
        assert_eq!(
            start(&opts(given), &no_env).unwrap().session_id.as_deref(),
            Some(ID)
        );
        let mut bad = base;
        bad["session_id"] = json!("abc");
        assert!(matches!(
            start(&opts(bad), &no_env),
            Err(Error::InvalidUuid {
                option: "sessionId",
                ..
            })
        ));
    }

    #[test]
    fn log_defaults_event_type_to_tool_and_duration_to_10() {
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e"})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.event.event_type, EventType::Tool);
        assert_eq!(o.event.duration_ms, 10.0);
        assert_eq!(o.event.source, "dev");
        assert_eq!(o.event.session_id, None);
        assert_eq!(
            o.common.notes.len(),
            1,
            "verbose mode says a new session is used"
        );
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "durationMs": 0})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.event.duration_ms, 10.0);
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "event_name": "e", "duration_ms": 12.5})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.event.duration_ms, 12.5);
    }

    #[test]
    fn log_event_type_is_case_insensitive() {
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": "MoDeL"})),
            &no_env,
        );
        assert_eq!(o.unwrap().event.event_type, EventType::Model);
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "event_type": "CHAIN"})),
            &no_env,
        );
        assert_eq!(o.unwrap().event.event_type, EventType::Chain);
    }

    #[test]
    fn log_rejects_bad_event_type_listing_the_valid_ones() {
        let e = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": "llm"})),
            &no_env,
        )
        .unwrap_err();
        assert_eq!(e, Error::InvalidEventType("llm".into()));
        assert!(e.message().contains("model, tool, chain"));
        let e = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": ""})),
            &no_env,
        )
        .unwrap_err();
        assert_eq!(e, Error::InvalidEventType(String::new()));
    }

    #[test]
    fn log_requires_an_event_name() {
        let e = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": ""})),
            &no_env,
        )
        .unwrap_err();
        assert_eq!(e, Error::MissingEventName);
    }

    #[test]
    fn negative_or_non_finite_durations_are_rejected() {
        for d in [json!(-1), json!("10")] {
            let e = log(
                &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "durationMs": d})),
                &no_env,
            );
            assert!(matches!(
                e,
                Err(Error::InvalidOption {
                    option: "durationMs",
                    ..
                })
            ));
        }
        let e = update(
            &opts(json!({"apiKey": "k", "eventId": ID, "durationMs": -5})),
            &no_env,
        );
        assert!(matches!(
            e,
            Err(Error::InvalidOption {
                option: "durationMs",
                ..
            })
        ));
    }

    #[test]
    fn of_several_bad_members_the_first_read_is_reported() {
        let bad = json!({"apiKey": "k", "project": "p", "eventName": "e", "sessionId": "nope", "inputs": 5, "metrics": "x"});
        assert_eq!(
            log(&opts(bad.clone()), &no_env).unwrap_err(),
            Error::InvalidUuid {
                option: "sessionId",
                value: "nope".into()
            }
        );
        assert_eq!(
            start(&opts(bad), &no_env).unwrap_err(),
            Error::InvalidUuid {
                option: "sessionId",
                value: "nope".into()
            }
        );
        let e = update(
            &opts(
                json!({"apiKey": "k", "eventId": ID, "feedback": [1], "metrics": "x", "durationMs": -1}),
            ),
            &no_env,
        );
        assert_eq!(
            e.unwrap_err(),
            Error::InvalidOption {
                option: "feedback",
                expected: "an object",
                found: "an array".into()
            }
        );
    }

    #[test]
    fn payloads_must_be_objects() {
        let e = start(
            &opts(json!({"apiKey": "k", "project": "p", "inputs": [1, 2]})),
            &no_env,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Error::InvalidOption {
                option: "inputs",
                expected: "an object",
                found: "an array".into()
            }
        );
        let e = start(
            &opts(json!({"apiKey": "k", "project": "p", "config": "x"})),
            &no_env,
        )
        .unwrap_err();
        assert!(e.message().contains("`config` must be an object"));
    }

    #[test]
    fn options_must_be_an_object() {
        let e = start::<J>(&Given::call(Value::String("k".into())), &no_env).unwrap_err();
        assert_eq!(e, Error::NotAnObject { found: "a string" });
        let e = log::<J>(&Given::call(Value::Absent), &no_env).unwrap_err();
        assert_eq!(
            e,
            Error::NotAnObject {
                found: "undefined or null"
            }
        );
    }

    #[test]
    fn server_url_must_be_http_and_loses_trailing_slashes() {
        let o = start(
            &opts(json!({"apiKey": "k", "project": "p", "serverUrl": "http://127.0.0.1:8080//"})),
            &no_env,
        );
        assert_eq!(o.unwrap().common.server_url, "http://127.0.0.1:8080");
        let e = start(
            &opts(json!({"apiKey": "k", "project": "p", "serverUrl": "ftp://x"})),
            &no_env,
        )
        .unwrap_err();
        assert_eq!(e, Error::InvalidServerUrl("ftp://x".into()));
    }

    #[test]
    fn retry_options_are_validated() {
        let o = start(
            &opts(
                json!({"apiKey": "k", "project": "p", "maxRetries": 0, "timeout_ms": 250.5, "deadlineMs": 900}),
            ),
            &no_env,
        );
        assert_eq!(
            o.unwrap().common.retry,
            RetryPolicy {
                max_retries: 0,
                timeout_ms: 251,
                deadline_ms: Some(900)
            }
        );
        let bad_values = [
            json!({"maxRetries": -1}),
            json!({"maxRetries": 1.5}),
            json!({"maxRetries": 11}),
            json!({"timeoutMs": 0}),
            json!({"deadline_ms": 0}),
            json!({"deadlineMs": 600_001}),
        ];
        for bad in bad_values {
            let mut o = bad.clone();
            o["apiKey"] = json!("k");
            o["project"] = json!("p");
            assert!(
                matches!(start(&opts(o), &no_env), Err(Error::InvalidOption { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn verbose_is_read_leniently_first_and_strictly_later() {
        assert!(is_verbose(&opts(json!({"verbose": true}))));
        assert!(!is_verbose(&opts(json!({"verbose": "yes"}))));
        assert!(!is_verbose::<J>(&Given::call(Value::Number(1.0))));
        let e = start(
            &opts(json!({"apiKey": "k", "project": "p", "verbose": "yes"})),
            &no_env,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidOption {
                option: "verbose",
                ..
            }
        ));
    }

    #[test]
    fn tls_options_leave_a_note_for_verbose_mode() {
        let o = start(
            &opts(json!({"apiKey": "k", "project": "p", "ca_bundle_path": "/x.pem"})),
            &no_env,
        )
        .unwrap();
        assert!(o
            .common
            .notes
            .iter()
            .any(|n| n.contains("NODE_EXTRA_CA_CERTS")));
        let o = start(&opts(json!({"apiKey": "k", "project": "p"})), &no_env).unwrap();
        assert!(o.common.notes.is_empty());
    }

    #[test]
    fn api_key_is_read_even_when_other_options_are_bad() {
        let bad = opts(json!({"apiKey": "the-key", "eventId": "not-a-uuid", "inputs": 5}));
        assert_eq!(secrets(&bad, &no_env), ["the-key"]);
        assert_eq!(
            secrets(
                &opts(json!({"env": {"HH_API_KEY": "env-key"}, "ingestionApiKey": "ing-key"})),
                &no_env
            ),
            ["env-key", "ing-key"]
        );
        assert!(secrets::<J>(&Given::call(Value::Number(1.0)), &no_env).is_empty());
    }

    #[test]
    fn an_empty_string_lets_the_other_spelling_and_the_defaults_through() {
        let o = start(
            &opts(json!({"apiKey": "", "api_key": "snake-key", "project": "p"})),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.common.api_key, "snake-key");
        let o = start(
            &with_defaults(
                json!({"project": ""}),
                json!({"apiKey": "k-123", "project": "dp"}),
            ),
            &no_env,
        )
        .unwrap();
        assert_eq!(o.project.as_deref(), Some("dp"));
    }

    #[test]
    fn an_api_key_that_cannot_be_a_header_is_refused_without_repeating_it() {
        for key in ["has space", "tab\tkey", "line\nbreak", "é-key"] {
            let e = start(&opts(json!({"apiKey": key, "project": "p"})), &no_env).unwrap_err();
            assert_eq!(e, Error::InvalidApiKey);
            assert!(!e.message().contains(key));
        }
    }

    #[test]
    fn signal_must_be_an_abort_signal() {
        let o = start(
            &opts(json!({"apiKey": "k", "project": "p", "signal": {"aborted": false}})),
            &no_env,
        )
        .unwrap();
        assert!(o.common.signal.is_some());
        let e = start(
            &opts(json!({"apiKey": "k", "project": "p", "signal": {}})),
            &no_env,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidOption {
                option: "signal",
                ..
            }
        ));
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("héllo", 10), "héllo");
        assert_eq!(shorten("héllo", 2), "hé… (3 more bytes)");
    }

    fn with_defaults(call: J, defaults: J) -> Given<J> {
        Given {
            call: Value::Object(call),
            defaults: Value::Object(defaults),
        }
    }

    #[test]
    fn a_call_s_options_win_over_the_client_s_defaults_in_either_spelling() {
        let given = with_defaults(
            json!({"api_key": "call-key", "eventName": "e"}),
            json!({"apiKey": "default-key", "project": "dp", "source": "ds", "verbose": true}),
        );
        let o = log(&given, &no_env).unwrap();
        assert_eq!(
            o.common.api_key, "call-key",
            "the call's snake_case beats the default's camelCase"
        );
        assert_eq!(
            (
                o.event.project.as_deref().unwrap_or_default(),
                o.event.source.as_str()
            ),
            ("dp", "ds")
        );
        assert!(o.common.verbose && is_verbose(&given));
        let quiet = with_defaults(json!({"verbose": false}), json!({"verbose": true}));
        assert!(!is_verbose(&quiet), "the call's verbose: false wins");
        let e = log(
            &Given {
                call: Value::Object(json!({})),
                defaults: Value::String("x".into()),
            },
            &no_env,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidOption {
                option: "defaults",
                ..
            }
        ));
    }

    #[test]
    fn the_env_option_may_come_from_the_client() {
        let given = with_defaults(
            json!({"eventName": "e"}),
            json!({"env": {"HH_API_KEY": "env-key", "HH_PROJECT": "env-p"}}),
        );
        let o = log(&given, &no_env).unwrap();
        assert_eq!(
            (
                o.common.api_key.as_str(),
                o.event.project.as_deref().unwrap_or_default()
            ),
            ("env-key", "env-p")
        );
    }

    #[test]
    fn full_events_carry_ids_times_and_extra_payloads() {
        let o = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventId": ID, "parentId": ID,
                "childrenIds": [ID], "error": "boom", "startTime": 1000, "endTime": 1250, "feedback": {"f": 1},
                "metrics": {"m": 2}, "userProperties": {"u": 3}})),
            &no_env,
        )
        .unwrap();
        let e = o.event;
        assert_eq!(
            (e.event_id.as_deref(), e.parent_id.as_deref()),
            (Some(ID), Some(ID))
        );
        assert_eq!(e.children_ids, Some(vec![ID.to_string()]));
        assert_eq!(e.error.as_deref(), Some("boom"));
        assert_eq!(
            (e.start_time, e.end_time, e.duration_ms),
            (Some(1000.0), Some(1250.0), 250.0),
            "duration from start and end"
        );
        assert_eq!(
            (e.feedback, e.metrics, e.user_properties),
            (
                Some(json!({"f": 1})),
                Some(json!({"m": 2})),
                Some(json!({"u": 3}))
            )
        );
    }

    #[test]
    fn an_explicit_duration_wins_over_start_and_end() {
        let o = log(
            &opts(
                json!({"apiKey": "k", "project": "p", "eventName": "e", "startTime": 0, "end_time": 50, "durationMs": 7}),
            ),
            &no_env,
        );
        assert_eq!(o.unwrap().event.duration_ms, 7.0);
    }

    #[test]
    fn bad_full_event_options_are_refused() {
        let base = json!({"apiKey": "k", "project": "p", "eventName": "e"});
        for (key, value) in [
            ("endTime", json!(-1)),
            ("parentId", json!("x")),
            ("childrenIds", json!(["x"])),
            ("childrenIds", json!("x")),
            ("error", json!(5)),
            ("eventId", json!("nope")),
        ] {
            let mut o = base.clone();
            o[key] = value.clone();
            assert!(log(&opts(o), &no_env).is_err(), "{key} = {value}");
        }
        let mut o = base;
        o["startTime"] = json!(100);
        o["endTime"] = json!(50);
        assert!(matches!(
            log(&opts(o), &no_env),
            Err(Error::InvalidOption {
                option: "endTime",
                ..
            })
        ));
    }

    #[test]
    fn a_batch_s_events_fall_back_to_the_batch_then_the_client() {
        let given = with_defaults(
            json!({"source": "batch-src", "sessionId": ID, "isSingleSession": true, "sessionProperties": {"session_name": "s"},
                "events": [{"eventName": "a"}, {"event_name": "b", "project": "own", "eventType": "model"}]}),
            json!({"apiKey": "k", "project": "client-p"}),
        );
        let o = batch(&given, &no_env).unwrap();
        assert_eq!(o.events.len(), 2);
        assert_eq!(
            (
                o.events[0].project.as_deref().unwrap_or_default(),
                o.events[0].source.as_str()
            ),
            ("client-p", "batch-src")
        );
        assert_eq!(
            (
                o.events[1].project.as_deref().unwrap_or_default(),
                o.events[1].event_type
            ),
            ("own", EventType::Model)
        );
        assert_eq!(
            o.events[0].session_id.as_deref(),
            Some(ID),
            "the batch's sessionId reads as each event's"
        );
        assert_eq!(
            (o.is_single_session, o.session_properties),
            (Some(true), Some(json!({"session_name": "s"})))
        );
    }

    #[test]
    fn a_bad_event_is_named_by_its_index() {
        let e = batch(
            &opts(
                json!({"apiKey": "k", "project": "p", "events": [{"eventName": "a"}, {"eventType": "x"}]}),
            ),
            &no_env,
        );
        let e = e.unwrap_err();
        assert_eq!(
            e,
            Error::InEvent {
                index: 1,
                error: Box::new(Error::MissingEventName)
            }
        );
        assert!(e
            .message()
            .starts_with("Event 1 of the batch: Event name is required"));
        let e = batch(
            &opts(json!({"apiKey": "k", "project": "p", "events": [1]})),
            &no_env,
        )
        .unwrap_err();
        assert!(matches!(e, Error::InEvent { index: 0, .. }));
    }

    #[test]
    fn a_batch_needs_events() {
        for events in [json!(null), json!([])] {
            let e = batch(
                &opts(json!({"apiKey": "k", "project": "p", "events": events})),
                &no_env,
            );
            assert_eq!(e.unwrap_err(), Error::MissingEvents);
        }
        let e = batch(
            &opts(json!({"apiKey": "k", "project": "p", "events": {"a": 1}})),
            &no_env,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            Error::InvalidOption {
                option: "events",
                ..
            }
        ));
    }
}
