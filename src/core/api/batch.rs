//! `logBatch()` and a trace's sending: the chunks [`super::chunks`] made, sent in turn (or
//! handed to the outbox); what came of each event.

use std::cell::Cell;
use std::future::Future;

use super::chunks::{batch_of, plan, trace_batch, Chunk, Prepared, Step};
use super::{BatchFailure, BatchFinished};
use crate::core::error::{Call, Error};
use crate::core::failure::{Code, Failure};
use crate::core::host::{Host, Stream};
use crate::core::nesting::{self, Hook};
use crate::core::options::Given;
use crate::core::outbox::queue::{hand_over, tell, NotQueued};
use crate::core::report::{fail, masked, Reporting};
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
    let mut accepted: Vec<Option<String>> = vec![None; ids.len()];
    let mut errors = Vec::new();
    // The first failure: the quiet line's reason, like the other calls' `(HTTP 401)`, and the
    // error's code when no event was logged.
    let mut first: Option<First> = None;
    // How many events went to the outbox, and the failure that sent the first there.
    let (mut queued, mut queued_for) = (0, None);
    let started_ms = host.now_ms();
    for step in steps {
        let chunk = match step {
            Step::Lost { text, error } => {
                first.get_or_insert_with(|| First::of(&error));
                errors.push(text);
                continue;
            }
            Step::Send(chunk) => chunk,
        };
        let Chunk {
            from,
            to,
            method,
            ref path,
            ref body,
        } = chunk;
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
        match send_minding_circuit(host, common, method, path, body, &partial).await {
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
                let tally = Tally {
                    accepted: &mut accepted,
                    errors: &mut errors,
                    first: &mut first,
                };
                let queued_now = queue_chunk(host, &batch, chunk, &error, started_ms, tally).await;
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
        message: masked(&message, keys),
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
            .map(|cause| masked(&cause, keys)),
    };
    if let Some(hook) = &common.on_error {
        nesting::hook(Hook::OnError, || host.on_error(hook, &failure));
    }
    if common.verbose {
        let errors = errors.iter().map(|e| masked(e, keys)).collect();
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

/// Where a batch keeps what came of its events.
struct Tally<'a> {
    accepted: &'a mut Vec<Option<String>>,
    errors: &'a mut Vec<String>,
    first: &'a mut Option<First>,
}

/// Hands a chunk the server could not take now to the outbox: whole (compressed if it must be),
/// else in halves until each fits or is one event too large. How many events it queued.
async fn queue_chunk<H: Host>(
    host: &H,
    batch: &Prepared<H::Payload>,
    chunk: Chunk<H::Body>,
    error: &Error,
    started_ms: f64,
    tally: Tally<'_>,
) -> usize {
    let (common, ids) = (&batch.common, &batch.ids);
    let Some(outbox) = &common.outbox else {
        return 0;
    };
    let mut queued = 0;
    let mut pending = vec![Step::Send(chunk)];
    while let Some(step) = pending.pop() {
        let Chunk {
            from,
            to,
            method,
            path,
            body,
        } = match step {
            Step::Send(chunk) => chunk,
            Step::Lost { text, error } => {
                tally.first.get_or_insert_with(|| First::of(&error));
                tally.errors.push(text);
                continue;
            }
        };
        let sent = (method, &*path, &body);
        match hand_over(host, common, outbox, sent, to - from, started_ms).await {
            Ok(()) => {
                let taken = tally.accepted.iter_mut().skip(from);
                for (slot, id) in taken.zip(ids.get(from..to).unwrap_or(&[])) {
                    *slot = Some(id.clone());
                }
                queued += to - from;
            }
            Err(NotQueued::TooLarge(_)) if to - from > 1 => {
                let half = host.body_bytes(&body) / 2;
                // A stack: the first half is handed over first.
                pending.extend(plan(host, batch, from..to, half).into_iter().rev());
            }
            Err(why) => {
                let failed = why.failing(error.clone());
                tally.first.get_or_insert_with(|| First::of(&failed));
                tally.errors.push(format!("events {from}..{to}: {failed}"));
            }
        }
    }
    queued
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

/// The `event_ids` and `errors` of a batch answer (their strings), when its body has an
/// `event_ids` array.
fn partial_answer<H: Host>(host: &H, body: &str) -> Option<(Vec<String>, Vec<String>)> {
    let answer = host.parse_json(body)?;
    // The strings of an array member; `None` when it is not an array.
    let strings = |name: &str| -> Option<Vec<String>> {
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
