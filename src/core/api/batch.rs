//! `logBatch()` and a trace's sending: the chunks [`super::chunks`] made, sent in turn (or
//! handed to the outbox); what came of each event.

use std::cell::Cell;
use std::future::Future;

use super::chunks::{batch_of, plan, trace_batch, Chunk, Prepared, Step};
use super::{BatchFailure, BatchFinished};
use crate::core::call::Call;
use crate::core::error::Error;
use crate::core::failure::{Code, Failure};
use crate::core::host::Host;
use crate::core::nesting;
use crate::core::options::{Common, Given};
use crate::core::outbox::queue::{hand_over, tell, NotQueued};
use crate::core::report::{deliver, fail, masked, Reporting};
use crate::core::request::MAX_BATCH_BYTES;
use crate::core::retry::Answer;
use crate::core::send::send_minding_circuit;
use crate::core::value::{Payload, Value};

/// `logBatch()`, or with a trace's spans its sending: one future for both, so that the module
/// holds one copy of the batch flow. The options are read and every chunk serialised when the
/// call is made (a batch that cannot be sent is reported then); the future sends them.
pub fn batch<'a, H: Host>(
    host: &'a H,
    given: &Given<H::Payload>,
    trace: Option<Vec<H::Payload>>,
) -> impl Future<Output = BatchFinished> + 'a {
    let call = match trace {
        None => Call::LogBatch,
        Some(_) => Call::Trace,
    };
    let prepared = nesting::admit_call().and_then(|()| match trace {
        None => batch_of(host, given),
        Some(spans) => trace_batch(host, given, spans),
    });
    let planned = match prepared {
        Ok(mut batch) => {
            batch.common.on_error = nesting::on_error_of_call(batch.common.on_error.take());
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

/// Sends a batch's chunks in turn and tells what came of each event.
async fn send_batch<H: Host>(
    host: &H,
    call: Call,
    batch: Prepared<H::Payload>,
    steps: Vec<Step<H::Body>>,
) -> BatchFinished {
    let (common, ids) = (&batch.common, &batch.ids);
    let mut tally = Tally::new(ids.len());
    let started_ms = host.now_ms();
    for step in steps {
        let chunk = match step {
            Step::Lost { text, error } => {
                tally.lost(text, &error);
                continue;
            }
            Step::Send(chunk) => chunk,
        };
        let (from, to) = (chunk.from, chunk.to);
        let Some(chunk_ids) = ids.get(from..to) else {
            continue;
        };
        // A 500 that lists what it took is final; what it lists is read once, here.
        let listed = Cell::new(None);
        let partial = |answer: &Answer| {
            let found = (answer.status == 500)
                .then(|| partial_answer(host, &answer.body))
                .flatten();
            let is_final = found.is_some();
            listed.set(found);
            is_final
        };
        let (method, path, body) = (chunk.method, &chunk.path, &chunk.body);
        match send_minding_circuit(host, common, method, path, body, &partial).await {
            Ok(answer) if answer.status == 500 => {
                let (taken, server_errors) = listed.take().unwrap_or_default();
                tally.partly_taken(from, chunk_ids, &taken, server_errors);
            }
            // The ids sent: the server knows them, whatever order its answer lists them in.
            Ok(_) => tally.taken(from, chunk_ids),
            // What a later attempt could deliver goes to the outbox, in messages it takes.
            Err(error) if error.retryable() && common.outbox.is_some() => {
                queue_chunk(host, &batch, chunk, error, started_ms, &mut tally).await;
            }
            Err(error) => tally.lost(format!("events {from}..{to}: {error}"), &error),
        }
    }
    if let (Some(outbox), Some(error)) = (&common.outbox, &tally.queued_for) {
        tell(host, common, outbox.kind, tally.queued, error);
    }
    tally.finish(host, call, common)
}

/// Hands a chunk the server could not take now to the outbox: whole (compressed if it must be),
/// else in halves until each fits or is one event too large.
async fn queue_chunk<H: Host>(
    host: &H,
    batch: &Prepared<H::Payload>,
    chunk: Chunk<H::Body>,
    error: Error,
    started_ms: f64,
    tally: &mut Tally,
) {
    let (common, ids) = (&batch.common, &batch.ids);
    let Some(outbox) = &common.outbox else {
        return;
    };
    let mut pending = vec![Step::Send(chunk)];
    while let Some(step) = pending.pop() {
        let chunk = match step {
            Step::Send(chunk) => chunk,
            Step::Lost { text, error } => {
                tally.lost(text, &error);
                continue;
            }
        };
        let (from, to) = (chunk.from, chunk.to);
        let sent = (chunk.method, &*chunk.path, &chunk.body);
        match hand_over(host, common, outbox, sent, to - from, started_ms).await {
            Ok(()) => {
                tally.taken(from, ids.get(from..to).unwrap_or(&[]));
                tally.queued += to - from;
                tally.queued_for.get_or_insert_with(|| error.clone());
            }
            Err(NotQueued::TooLarge(_)) if to - from > 1 => {
                let half = host.body_bytes(&chunk.body) / 2;
                // A stack: the first half is handed over first.
                pending.extend(plan(host, batch, from..to, half).into_iter().rev());
            }
            Err(why) => {
                let failed = why.failing(error.clone());
                tally.lost(format!("events {from}..{to}: {failed}"), &failed);
            }
        }
    }
}

/// What came of a batch's events, gathered as its chunks are sent or queued.
struct Tally {
    /// Per event, its id once the server (or the outbox) took it.
    accepted: Vec<Option<String>>,
    /// What went wrong, per failed request or event.
    errors: Vec<String>,
    /// The first failure: the quiet line's reason, like the other calls' `(HTTP 401)`, and the
    /// error's code when no event was logged.
    first: Option<First>,
    /// How many events went to the outbox, and the failure that sent the first there.
    queued: usize,
    queued_for: Option<Error>,
}

impl Tally {
    fn new(events: usize) -> Self {
        Tally {
            accepted: vec![None; events],
            errors: Vec::new(),
            first: None,
            queued: 0,
            queued_for: None,
        }
    }

    /// Events that were not sent: `text` says which, and why.
    fn lost(&mut self, text: String, error: &Error) {
        self.first.get_or_insert_with(|| First::of(error));
        self.errors.push(text);
    }

    /// Events taken, from index `from` on.
    fn taken(&mut self, from: usize, ids: &[String]) {
        for (slot, id) in self.accepted.iter_mut().skip(from).zip(ids) {
            *slot = Some(id.clone());
        }
    }

    /// A chunk's answer that lists what the server took (`taken`) and why not the rest.
    fn partly_taken(&mut self, from: usize, ids: &[String], taken: &[String], why: Vec<String>) {
        let mut lost = 0;
        for (slot, id) in self.accepted.iter_mut().skip(from).zip(ids) {
            match taken.contains(id) {
                true => *slot = Some(id.clone()),
                false => lost += 1,
            }
        }
        if why.is_empty() && lost > 0 {
            self.first
                .get_or_insert_with(|| First::refused("dropped by the server"));
            let to = from + ids.len();
            self.errors.push(format!(
                "events {from}..{to}: the server did not take {lost} of them and said nothing why"
            ));
        } else if lost > 0 {
            self.first
                .get_or_insert_with(|| First::refused("refused by the server"));
        }
        self.errors.extend(why);
    }

    /// The batch's result: every id; or, with events lost, the failure reported as the caller
    /// asked (a partial failure when some were logged).
    fn finish<H: Host>(self, host: &H, call: Call, common: &Common<H::Payload>) -> BatchFinished {
        let Tally {
            accepted, errors, ..
        } = self;
        let lost = accepted.iter().filter(|id| id.is_none()).count();
        if lost == 0 {
            return Ok(Some(accepted));
        }
        let total = accepted.len();
        let first = self
            .first
            .unwrap_or_else(|| First::refused("no reason given"));
        let message = format!(
            "HoneyHive: failed to {}: {lost} of {total} events were not logged: {}",
            call.action(),
            errors.join("; ")
        );
        let keys = &common.secrets;
        let failure = first.failure(call, &message, lost < total, keys);
        let line = format!(
            "HoneyHive: Failed to {}. ({lost} of {total} events not logged: {})",
            call.action(),
            first.reason
        );
        match deliver(host, &Reporting::of(common), failure, &line) {
            Some(error) => Err(BatchFailure {
                error,
                event_ids: accepted,
                errors: errors.iter().map(|e| masked(e, keys)).collect(),
            }),
            None => Ok((lost < total).then_some(accepted)),
        }
    }
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

    /// The batch's failure: a partial failure when `some_logged`, else the failure of them all,
    /// as the first error says.
    fn failure(&self, call: Call, message: &str, some_logged: bool, keys: &[String]) -> Failure {
        let all = !some_logged;
        Failure {
            message: masked(message, keys),
            code: if all { self.code } else { Code::PartialFailure },
            status: self.status.filter(|_| all),
            retryable: self.retryable && all,
            call: call.name(),
            cause: self
                .cause
                .as_deref()
                .filter(|_| all)
                .map(|c| masked(c, keys)),
        }
    }
}

/// The `event_ids` and `errors` of a batch answer (their strings), when its body has an
/// `event_ids` array.
fn partial_answer<H: Host>(host: &H, body: &str) -> Option<(Vec<String>, Vec<String>)> {
    let answer = host.parse_json(body)?;
    // The strings of an array member; `None` when it is not an array.
    let strings = |name: &'static str| -> Option<Vec<String>> {
        let Value::Array(array) = answer.member(name) else {
            return None;
        };
        let strings = array
            .items()
            .ok()?
            .into_iter()
            .filter_map(|item| match item.value() {
                Value::String(s) => Some(s),
                _ => None,
            });
        Some(strings.collect())
    };
    Some((strings("event_ids")?, strings("errors").unwrap_or_default()))
}
