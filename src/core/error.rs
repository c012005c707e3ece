//! The one error type of the crate. Its [`Error::message`] is the message a user reads in
//! verbose mode (what went wrong and how to fix it); [`Error::reason`] is the short reason of the
//! one line printed in quiet mode. It becomes a JS `Error` once, at the wasm boundary.

use std::fmt;

/// Everything that can make a call fail.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The call's argument is not an object.
    NotAnObject { found: &'static str },
    /// Reading an option threw (a getter or a Proxy trap).
    Unreadable {
        option: &'static str,
        reason: String,
    },
    /// An option holds a value of the wrong kind.
    InvalidOption {
        option: &'static str,
        expected: &'static str,
        found: String,
    },
    /// No API key in the options, `env`, or the host's environment.
    MissingApiKey,
    /// No project in the options, `env`, or the host's environment.
    MissingProject,
    /// `log` without an event name.
    MissingEventName,
    /// `update` without an event id.
    MissingEventId,
    /// `logBatch` without events (or with more than it takes).
    MissingEvents,
    /// One event of a batch is invalid.
    InEvent { index: usize, error: Box<Error> },
    /// One span of a trace is invalid (its `trace` call's options).
    InSpan { index: usize, error: Box<Error> },
    /// The spans a trace recorded do not make a tree (the package's own JS never makes one).
    BrokenTrace(&'static str),
    /// An event type other than model, tool or chain.
    InvalidEventType(String),
    /// An id option that is not a UUID.
    InvalidUuid { option: &'static str, value: String },
    /// A server URL that is not http(s).
    InvalidServerUrl(String),
    /// An API key that cannot be an HTTP header value (its text is not repeated).
    InvalidApiKey,
    /// A key with a typed prefix (`hh_ingst_`, `hh_fgdp_`) but not the typed shape: truncated
    /// or damaged. `source` names where it came from (never the key).
    MalformedKey { source: String },
    /// `serverUrl` and `dataPlaneUrl` in the same layer (named as the user wrote them).
    TwoServerUrls {
        server_url: String,
        data_plane_url: String,
    },
    /// The caller's `redact` hook threw, or did not return an event.
    Redact(String),
    /// The host could not turn the body into JSON (a cycle, a BigInt, a throwing `toJSON`).
    NotSerializable(String),
    /// The server answered with a status that is not a success. `key` names where the key
    /// sent came from (never the key), for the messages of 401 and 403.
    Http {
        status: u16,
        body: String,
        key: String,
    },
    /// The request never got an answer (refused, reset, DNS, CORS…).
    Network(String),
    /// The runtime refused the request (Deno without the permission `flag`).
    Permission { flag: &'static str, reason: String },
    /// A message an outbox handed to `replay` that it must not send: unreadable, of another
    /// format version, or not a request this logger makes.
    BadMessage(String),
    /// A failed call whose requests could not be queued either (too large for the queue).
    NotQueued { error: Box<Error>, why: String },
    /// A failed call whose outbox refused its requests (`send` threw or rejected).
    OutboxRefused { error: Box<Error>, reason: String },
    /// A failed call whose outbox did not take its requests in time (`ended`: the bound, the
    /// deadline or the signal): they may or may not have been queued.
    QueueUnsettled {
        error: Box<Error>,
        ended: Box<Error>,
    },
    /// The server failed the last calls: its circuit is open for `ms_left` more ms.
    CircuitOpen { ms_left: u32 },
    /// A call made from a hook (`onError`, `redact`, `toJSON`) that is itself `depth` hooks deep.
    Nested { depth: u32 },
    /// A missing option the runtime's environment could have given, had it let the logger read
    /// it (Deno without `--allow-env`).
    NoEnvAccess(Box<Error>),
    /// An attempt took longer than `timeoutMs`.
    Timeout { ms: u32 },
    /// The caller's `signal` aborted the call.
    Aborted,
    /// The call's `deadlineMs` ran out.
    Deadline { ms: u32 },
    /// The server asked to wait longer than this logger ever waits.
    RetryAfterTooLong { ms: u64 },
    /// The host has no working `crypto.getRandomValues`, which a UUIDv4 needs.
    NoRandomness(String),
    /// A success answer that is not JSON or lacks the id.
    MissingId { key: &'static str, body: String },
}

impl Error {
    /// The short reason of the quiet one-liner, e.g. `HTTP 401`.
    pub fn reason(&self) -> String {
        match self {
            Error::NotAnObject { .. } => "options must be an object".into(),
            Error::Unreadable { option, .. } => format!("could not read option {option}"),
            Error::InvalidOption { option, .. } => format!("invalid option {option}"),
            Error::MissingApiKey => "missing API key".into(),
            Error::MissingProject => "missing project".into(),
            Error::MissingEventName => "missing event name".into(),
            Error::MissingEventId => "missing event id".into(),
            Error::MissingEvents => "no events".into(),
            Error::InEvent { index, error } => format!("event {index}: {}", error.reason()),
            Error::InSpan { index, error } => format!("span {index}: {}", error.reason()),
            Error::BrokenTrace(_) => "broken trace".into(),
            Error::InvalidEventType(_) => "invalid event type".into(),
            Error::InvalidUuid { option, .. } => format!("{option} is not a UUID"),
            Error::InvalidServerUrl(_) => "invalid server URL".into(),
            Error::InvalidApiKey => "invalid API key".into(),
            Error::MalformedKey { source } => format!("malformed key in {source}"),
            Error::TwoServerUrls {
                server_url,
                data_plane_url,
            } => format!("both {server_url} and {data_plane_url}"),
            Error::Redact(_) => "the redact hook failed".into(),
            Error::NotSerializable(_) => "a payload is not JSON-serialisable".into(),
            Error::Http { status, .. } => format!("HTTP {status}"),
            Error::Network(_) => "network error".into(),
            Error::Permission { flag, .. } => format!("not permitted: {flag}"),
            Error::BadMessage(_) => "a message it cannot replay".into(),
            Error::NotQueued { error, .. } => format!("{}; not queued", error.reason()),
            Error::OutboxRefused { error, .. } => format!("{}; the outbox refused", error.reason()),
            Error::QueueUnsettled { error, ended } => {
                format!(
                    "{}; the outbox did not answer: {}",
                    error.reason(),
                    ended.reason()
                )
            }
            Error::CircuitOpen { .. } => "circuit open".into(),
            Error::Nested { depth } => format!("called from hooks {depth} deep"),
            Error::NoEnvAccess(error) => format!("{} (no --allow-env)", error.reason()),
            Error::Timeout { .. } => "timeout".into(),
            Error::Aborted => "aborted".into(),
            Error::Deadline { .. } => "deadline exceeded".into(),
            Error::RetryAfterTooLong { .. } => "server asked to retry much later".into(),
            Error::NoRandomness(_) => "no crypto.getRandomValues".into(),
            Error::MissingId { key, .. } => format!("no {key} in the answer"),
        }
    }
}

impl Error {
    /// What went wrong and how to fix it: the message of verbose mode's rejection.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotAnObject { .. }
            | Error::Unreadable { .. }
            | Error::InvalidOption { .. }
            | Error::MissingProject
            | Error::MissingEventName
            | Error::MissingEventId
            | Error::InvalidEventType(_)
            | Error::InvalidUuid { .. } => option_message(self, f),
            Error::MissingApiKey
            | Error::InvalidApiKey
            | Error::MalformedKey { .. }
            | Error::InvalidServerUrl(_)
            | Error::TwoServerUrls { .. } => destination_message(self, f),
            Error::MissingEvents
            | Error::InEvent { .. }
            | Error::InSpan { .. }
            | Error::BrokenTrace(_)
            | Error::Redact(_)
            | Error::NotSerializable(_) => content_message(self, f),
            _ => delivery_message(self, f),
        }
    }
}

/// The message of an error in the call's options: which option, and how to fix it.
fn option_message(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match error {
        Error::NotAnObject { found } => write!(
            f,
            "The options must be an object, like {{ apiKey, project, ... }}; got {found}."
        ),
        Error::Unreadable { option, reason } => write!(
            f,
            "Reading option `{option}` threw: {reason}. Pass plain values, not getters \
                 that throw."
        ),
        Error::InvalidOption {
            option,
            expected,
            found,
        } => {
            write!(f, "Option `{option}` must be {expected}; got {found}.")
        }
        Error::MissingProject => write!(
            f,
            "Project name is required but not provided. Pass it as an option: {{ project: \
                 \"...\" }}, put HH_PROJECT in the `env` option, or set the environment \
                 variable HH_PROJECT. (A typed key, hh_ingst_... or hh_fgdp_..., names its \
                 project: with one, no project is needed.)"
        ),
        Error::MissingEventName => write!(
            f,
            "Event name is required but not provided. Name your event: log({{ eventName: \
                 \"...\", ... }})."
        ),
        Error::MissingEventId => write!(
            f,
            "Event ID is required but not provided. Pass eventId: a session id returned by \
                 start() or an event id returned by log()."
        ),
        Error::InvalidEventType(t) => write!(
            f,
            "Invalid event type: \"{t}\". Valid event types are: model, tool, chain."
        ),
        Error::InvalidUuid { option, value } => write!(
            f,
            "Option `{option}` must be a UUID like 123e4567-e89b-42d3-a456-426614174000: \
                 use an id returned by start() or log(){}. Got \"{value}\".",
            // update() cannot go without its eventId.
            if *option == "eventId" {
                ""
            } else {
                ", or leave it out"
            }
        ),
        other => f.write_str(&other.reason()),
    }
}

/// The message of an error in where the call goes and with which key: the API key and the
/// server's URL, where they came from, and how to fix them.
fn destination_message(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match error {
        Error::MissingApiKey => write!(
            f,
            "API key is required but not provided. Pass it as an option: {{ apiKey: \
                 \"...\" }} (or {{ ingestionApiKey: \"hh_ingst_...\" }}), put HH_API_KEY (or \
                 HH_INGESTION_API_KEY) in the `env` option (e.g. a Worker's env), or set that \
                 environment variable. You can find your API keys in HoneyHive's settings."
        ),
        Error::InvalidApiKey => write!(
            f,
            "The API key must be printable ASCII without spaces or line breaks: check for \
                 a stray space, newline or quote where it was copied."
        ),
        Error::MalformedKey { source } => write!(
            f,
            "The key in {source} starts like a HoneyHive typed key (hh_ingst_ or hh_fgdp_) \
                 but does not have its shape (the prefix, 24 letters or digits, `_`, then 64 \
                 characters of A-Z a-z 0-9 _ -): it looks truncated. Copy the whole key again \
                 from HoneyHive's settings."
        ),
        Error::InvalidServerUrl(url) => write!(
            f,
            "Server URL must start with http:// or https://; got \"{url}\". Pass \
                 dataPlaneUrl (or set HH_DATA_PLANE_URL) for HoneyHive's current API, or \
                 serverUrl (HH_API_URL) for the reference's routes."
        ),
        Error::TwoServerUrls {
            server_url,
            data_plane_url,
        } => write!(
            f,
            "Both {server_url} and {data_plane_url} are set, side by side: keep \
                 {data_plane_url} for HoneyHive's current API (the /v1 routes), or \
                 {server_url} for the reference logger's routes, and remove the other."
        ),
        other => f.write_str(&other.reason()),
    }
}

/// The message of an error in what the call carries (a batch's events, a trace's spans, the
/// body): which one, and how to fix it.
fn content_message(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match error {
        Error::MissingEvents => write!(
            f,
            "logBatch needs events: pass {{ events: [{{ eventName: \"...\", ... }}, ...] \
                 }} with 1 to 10000 events."
        ),
        Error::InEvent { index, error } => write!(f, "Event {index} of the batch: {error}"),
        Error::InSpan { index, error } => write!(
            f,
            "Span {index} of the trace (0 is its root, then in the order they opened): \
                 {error}"
        ),
        Error::BrokenTrace(why) => write!(
            f,
            "The trace's spans do not make a tree: {why}. Open child spans with \
                 span.trace(...) of their parent."
        ),
        Error::Redact(reason) => write!(
            f,
            "The redact hook failed: {reason}. It is given each event (an object) just \
                 before it is sent, and must return the event to send, changed or not, without \
                 throwing."
        ),
        Error::NotSerializable(reason) => write!(
            f,
            "The request body could not be turned into JSON: {reason}. Payloads (inputs, \
                 outputs, config, metadata, ...) must be JSON-serialisable: no cycles, no \
                 BigInt."
        ),
        other => f.write_str(&other.reason()),
    }
}

/// The message of an error in sending the call: what the server, the network, the runtime or
/// the outbox did, and what to check.
fn delivery_message(error: &Error, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match error {
        Error::Http { status, body, key } => http(f, *status, body, key),
        Error::Network(reason) => write!(
            f,
            "Network error: {reason}. Check that the server URL is correct and reachable \
                 from this runtime (and, in a browser, that the server allows CORS)."
        ),
        Error::BadMessage(why) => write!(
            f,
            "The outbox handed over a message this logger does not send: {why}. It was not \
                 sent (no key goes with it)."
        ),
        Error::NotQueued { error, why } => write!(
            f,
            "{error} It could not be queued for later delivery either: {why}."
        ),
        Error::OutboxRefused { error, reason } => {
            write!(f, "{error} Its outbox refused it too: {reason}.")
        }
        Error::QueueUnsettled { error, ended } => write!(
            f,
            "{error} Handing it to the outbox did not finish either: {ended} It may or may \
                 not have been queued."
        ),
        Error::CircuitOpen { ms_left } => write!(
            f,
            "The server failed the last calls with errors a later attempt could mend, so \
                 the logger waits {} s before it tries it again (the circuit is open).",
            ms_left.div_ceil(1000)
        ),
        Error::Nested { depth } => write!(
            f,
            "The call was made from a hook (onError, redact or a toJSON) that runs {depth} \
                 hooks deep; a deeper call is refused, so that hooks calling the logger cannot \
                 loop. Log from a hook without a hook of its own."
        ),
        Error::Permission { flag, reason } => write!(
            f,
            "The runtime did not permit the request: {reason}. Run it with {flag} (Deno: \
                 for example {flag}=api.honeyhive.ai, or the host of your server URL)."
        ),
        Error::NoEnvAccess(error) => write!(
            f,
            "{error} (This runtime did not let the logger read environment variables: Deno \
                 needs --allow-env, for example --allow-env=HH_API_KEY,HH_PROJECT.)"
        ),
        Error::Timeout { ms } => write!(
            f,
            "No answer within {ms} ms. Check the network, or raise timeoutMs."
        ),
        Error::Aborted => write!(f, "The call was aborted by its signal."),
        Error::Deadline { ms } => write!(
            f,
            "The call did not succeed within its deadline of {ms} ms. Check the network \
                 and the server, or raise deadlineMs."
        ),
        Error::RetryAfterTooLong { ms } => write!(
            f,
            "The server asked to retry after {} s, longer than this logger waits. Try \
                 again later.",
            ms / 1000
        ),
        Error::NoRandomness(reason) => write!(
            f,
            "crypto.getRandomValues is not available ({reason}); a new UUIDv4 needs it. \
                 Pass the id yourself, or run on a runtime with Web Crypto."
        ),
        Error::MissingId { key, body } => write!(
            f,
            "Invalid answer from the server: {key} not found. Check the server URL; \
                 contact HoneyHive support if this persists. Its answer: \"{body}\""
        ),
        other => f.write_str(&other.reason()),
    }
}

/// An error of the crate is a standard error. A wrapped error (an event's in a batch, the one a
/// queue could not take) is told within the message, so none is given as its `source`.
impl std::error::Error for Error {}

/// The message of an HTTP status that is not a success: the likely cause, per status.
fn http(f: &mut fmt::Formatter<'_>, status: u16, body: &str, key: &str) -> fmt::Result {
    write!(f, "The server answered HTTP {status}. ")?;
    // A byte-wise look: `str::contains` would link the two-way searcher for this one test.
    let mut ingestion = key.as_bytes().windows(9);
    let kind = match ingestion.any(|name| name.eq_ignore_ascii_case(b"ingestion")) {
        true => "ingestion key",
        false => "API key",
    };
    match status {
        401 | 403 => write!(
            f,
            "It refused the key: the {kind} sent (from {key}) is not valid, was revoked, or \
             has no access to this project. Copy it again from HoneyHive's settings (the key \
             itself is never shown)."
        ),
        404 => write!(
            f,
            "It does not know what the request names: check the ids (sessionId, eventId), the \
             project, and the server URL."
        ),
        413 => write!(
            f,
            "The request is larger than it takes: send smaller payloads (inputs, outputs, \
             ...), or fewer events per logBatch."
        ),
        400 | 422 => write!(
            f,
            "It refused the request as invalid; its answer names what it could not take."
        ),
        408 | 429 | 500..=599 => write!(
            f,
            "It could not take the request now; the logger retried while its retries and \
             deadline allowed."
        ),
        _ => write!(f, "Check the server URL, the key and the project."),
    }?;
    write!(f, " Its answer: {body}")
}
