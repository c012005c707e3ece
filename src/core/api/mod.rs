//! The calls over any [`Host`]: resolve the options, build the request, send it with retries,
//! read the ids from the answer, and report a failure the way the caller asked (one quiet line,
//! or a rejection with the whole story). Nothing printed carries the API key.
//!
//! A call does everything it can at once, when it is made: it reads its options, builds its
//! requests and serialises their bodies (so that a caller may change its objects as soon as the
//! call returns). The future it returns sends them.
//! One entry for each kind of call:
//! - [`single`]: `start`, `log`, `update`;
//! - [`batch()`]: `logBatch` and a trace's sending, in the chunks `chunks` makes;
//! - [`replay`]: what an outbox kept ([`crate::core::outbox`]).
//!
//! [`crate::core::send`] makes a request's attempts; [`crate::core::report`] reports a failure.

mod batch;
mod chunks;
#[cfg(test)]
pub(crate) mod tests;

use std::future::Future;

pub use crate::core::outbox::{replay, Replayed};
pub use crate::core::report::{mask_keys, Finished};
pub use batch::batch;

use crate::core::nesting;
use crate::core::outbox::queue::{self, Queued};
use crate::core::report::{fail, finish, Reporting};
use crate::core::send::{send_minding_circuit, serialize};

use crate::core::call::Call;
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::host::Host;
use crate::core::ids;
use crate::core::options::{self, Common, Given};
use crate::core::request::{self, Body, Request};
use crate::core::routes::Platform;
use crate::core::v2;
use crate::core::value::{Payload, Value};

/// What `logBatch` came to when some events were not logged.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchFailure {
    /// The failure to reject with: its code is `partial_failure` when some events were logged.
    pub error: Failure,
    /// Per event, in order: its id when the server accepted it, else `None`.
    pub event_ids: Vec<Option<String>>,
    /// What went wrong, per failed request or event.
    pub errors: Vec<String>,
}

/// A finished `logBatch`: the ids in order; `Ok(None)` after a quiet failure of every event;
/// after a partial failure, quiet mode resolves to the ids with `None` for the events lost,
/// verbose mode rejects with a [`BatchFailure`].
pub type BatchFinished = Result<Option<Vec<Option<String>>>, BatchFailure>;

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
pub fn single<'a, H: Host>(
    host: &'a H,
    single: Single,
    given: &Given<H::Payload>,
) -> impl Future<Output = Finished<String>> + 'a {
    let call = single.call();
    let prepared = nesting::admit_call().and_then(|()| {
        let (common, request, id) = prepare(host, single, given)?;
        let body = serialize(host, &common, &request)?;
        Ok((common, request, body, id))
    });
    // A call that cannot be sent is reported now, from what it was given.
    let prepared = prepared.map_err(|error| {
        let reporting = Reporting::of_given(host, given);
        finish(host, call, &reporting, Err(error))
    });
    async move {
        let (common, request, body, id) = match prepared {
            Ok(prepared) => prepared,
            Err(finished) => return finished,
        };
        // Where a failure goes, and when the call began (queueing is bounded by the time it has
        // taken): only a call with an outbox reads the clock for it.
        let queue_to = common.outbox.as_ref().map(|outbox| (outbox, host.now_ms()));
        let (method, path) = (request.method, &request.path);
        let sent = send_minding_circuit(host, &common, method, path, &body, &|_| false).await;
        let result = match sent {
            Ok(answer) => id_from_answer(host, call, answer.body),
            // What a later attempt could deliver goes to the outbox, if there is one; the call
            // then resolves as success would, to the id it made.
            Err(error) => match queue_to {
                Some((outbox, started_ms)) if queue::worth_queueing(method, &error) => {
                    let queued = Queued {
                        error,
                        events: 1,
                        started_ms,
                    };
                    let sent = (method, &path[..], &body);
                    queue::queue(host, &common, outbox, sent, queued)
                        .await
                        .map(|()| id)
                }
                _ => Err(error),
            },
        };
        // The reporting is made only for a failure: a success copies nothing.
        result.map(Some).or_else(|error| {
            let reporting = Reporting::of(&common);
            fail(host, call, &reporting, error).map_or(Ok(None), Err)
        })
    }
}

/// A single call's options, resolved, the request they make, and the id the call resolves to
/// (empty for `update`).
type Prepared<P> = (Common<P>, Request<Body<P>>, String);

fn prepare<H: Host>(
    host: &H,
    single: Single,
    given: &Given<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
    let (mut common, request, id) = match single {
        Single::Start => prepare_start(host, given)?,
        Single::Log => prepare_log(host, given)?,
        Single::Update => prepare_update(host, given)?,
    };
    common.on_error = nesting::on_error_of_call(common.on_error.take());
    Ok((common, request, id))
}

// Each call's preparation is a function of its own, out of line: V8 compiles a wasm function
// whole when it first runs, so a first `start` compiles the reading of `start`'s options, not
// `log`'s and `update`'s as well (docs/performance.md, "Start-up"). `#[inline(never)]` keeps
// LLVM from inlining them; wasm-pack.toml's `--one-caller-inline-max-function-size` keeps
// wasm-opt from it (each has one caller): both are needed.

#[inline(never)]
fn prepare_start<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
    let o = options::start(given, &|var| host.env_var(var))?;
    let session_id = id_or_new(host, o.session_id.clone())?;
    let common = o.common.clone();
    let id = session_id.clone();
    let request = match common.api {
        Platform::Reference => request::start(o, session_id, host.now_ms()),
        Platform::V2 => v2::start(o, session_id, host.now_ms()),
    };
    Ok((common, request, id))
}

#[inline(never)]
fn prepare_log<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
    let o = options::log(given, &|var| host.env_var(var))?;
    let session_id = id_or_new(host, o.event.session_id.clone())?;
    // Made here (unless the caller gave one) and kept across retries: an attempt whose answer
    // was lost cannot create a second event, since the server knows this id already.
    let event_id = id_or_new(host, o.event.event_id.clone())?;
    let common = o.common.clone();
    let id = event_id.clone();
    let request = match common.api {
        Platform::Reference => request::log(o, session_id, event_id, host.now_ms()),
        Platform::V2 => v2::log(o, session_id, event_id, host.now_ms()),
    };
    Ok((common, request, id))
}

#[inline(never)]
fn prepare_update<H: Host>(
    host: &H,
    given: &Given<H::Payload>,
) -> Result<Prepared<H::Payload>, Error> {
    let o = options::update(given, &|var| host.env_var(var))?;
    let common = o.common.clone();
    let request = match common.api {
        Platform::Reference => request::update(o),
        Platform::V2 => v2::update(o),
    };
    Ok((common, request, String::new()))
}

/// How a trace begins, before its function runs.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceBegun {
    /// The session its spans go to: the caller's `sessionId`, else a new UUIDv4 (empty without
    /// a random source: its sending then says why).
    pub session_id: String,
    /// Whether it is sent: its `sampleRate`, against one draw of the host's random numbers.
    pub sampled: bool,
}

/// Begins a trace: its session, and whether sampling sends it (decided here, once, for every
/// span it will have).
pub fn begin_trace<H: Host>(host: &H, given: &Given<H::Payload>) -> TraceBegun {
    let start = options::trace_start(given);
    TraceBegun {
        sampled: start.sample_rate.keeps(|| host.random_unit()),
        session_id: id_or_new(host, start.session_id).unwrap_or_default(),
    }
}

/// A new UUIDv4 from the host's random bytes.
pub fn new_uuid<H: Host>(host: &H) -> Result<String, Error> {
    Ok(ids::v4_from_bytes(host.random_bytes()?))
}

/// The caller's id, or a new UUIDv4.
pub fn id_or_new<H: Host>(host: &H, given: Option<String>) -> Result<String, Error> {
    given.map_or_else(|| new_uuid(host), Ok)
}

/// The id a success answer carries (`session_id` or `event_id`); update answers carry none.
fn id_from_answer<H: Host>(host: &H, call: Call, body: String) -> Result<String, Error> {
    let Some(key) = call.id_key() else {
        return Ok(String::new());
    };
    // One member read of the parsed answer, not all of them.
    let member = host.parse_json(&body).map(|answer| answer.member(key));
    match member {
        Some(Value::String(id)) if !id.is_empty() => Ok(id),
        _ => Err(Error::MissingId { key, body }),
    }
}
