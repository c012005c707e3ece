//! Reporting a call's end the way the caller asked: its result, one quiet line on
//! `console.error`, or a rejection with the whole story; and the caller's `onError` hook. Nothing
//! printed carries the API key.

use crate::core::call::Call;
use crate::core::error::Error;
use crate::core::failure::Failure;
use crate::core::host::{Host, Stream};
use crate::core::nesting::{self, Hook};
use crate::core::options::{self, shorten, Common, Given};
use crate::core::value::Payload;

/// How many characters of a message (an error, one of a batch's errors) the caller gets: a
/// server's error page can be megabytes.
pub const MESSAGE_CHARS: usize = 4_000;

/// A finished call: `Ok(Some(_))` on success, `Ok(None)` after a quiet failure (already
/// reported on `console.error`), `Err(failure)` for a verbose failure, to reject with.
pub type Finished<T> = Result<Option<T>, Failure>;

/// How a call reports a failure: the keys to mask, its `onError` hook, verbose mode. Taken when
/// the call is made, never from the caller's objects afterwards (they may have changed).
pub struct Reporting<P> {
    keys: Vec<String>,
    on_error: Option<P>,
    verbose: bool,
}

impl<P: Payload> Reporting<P> {
    /// Read leniently from what a call was given: a failure before its options were all
    /// resolved still masks the keys found and reaches the hook.
    pub fn of_given<H: Host<Payload = P>>(host: &H, given: &Given<P>) -> Self {
        let lenient = options::lenient(given, &|var| host.env_var(var));
        Reporting {
            keys: lenient.keys,
            on_error: nesting::on_error_of_call(lenient.on_error),
            verbose: lenient.verbose,
        }
    }

    /// The keys to mask.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// From a call's resolved options.
    pub fn of(common: &Common<P>) -> Self {
        Reporting {
            keys: common.secrets.clone(),
            on_error: common.on_error.clone(),
            verbose: common.verbose,
        }
    }
}

/// Turns a call's result into what the caller sees, reporting a failure as they asked (and to
/// their `onError` hook), with the API key masked.
pub fn finish<H: Host, T>(
    host: &H,
    call: Call,
    reporting: &Reporting<H::Payload>,
    result: Result<T, Error>,
) -> Finished<T> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) => fail(host, call, reporting, error).map_or(Ok(None), Err),
    }
}

/// Reports a failed call as the caller asked (see [`finish`]): the failure to reject with in
/// verbose mode, `None` after the quiet line.
pub fn fail<H: Host>(
    host: &H,
    call: Call,
    reporting: &Reporting<H::Payload>,
    error: Error,
) -> Option<Failure> {
    let keys = &reporting.keys;
    let var = match error {
        Error::MissingApiKey => Some("HH_API_KEY"),
        Error::MissingProject => Some("HH_PROJECT"),
        _ => None,
    };
    let error = match var {
        Some(var) if host.env_denied(var) => Error::NoEnvAccess(Box::new(error)),
        _ => error,
    };
    let failure = failure_of(call, &error, keys);
    let line = format!(
        "HoneyHive: Failed to {}. ({})",
        call.action(),
        error.reason()
    );
    deliver(host, reporting, failure, &line)
}

/// The failure of `call` with `error`, as the caller is given it: its message and its cause with
/// every key masked, then cut.
pub fn failure_of(call: Call, error: &Error, keys: &[String]) -> Failure {
    let message = format!("HoneyHive: failed to {}: {error}", call.action());
    let mut failure = Failure::new(call, error, masked(&message, keys));
    failure.cause = error.cause().map(|cause| masked(cause, keys));
    failure
}

/// Hands a failure to the caller the way they asked: to their `onError` hook, then the failure to
/// reject with in verbose mode, else `quiet_line` printed (keys masked) and `None`. The one way a
/// failure leaves a call.
pub fn deliver<H: Host>(
    host: &H,
    reporting: &Reporting<H::Payload>,
    failure: Failure,
    quiet_line: &str,
) -> Option<Failure> {
    if let Some(hook) = &reporting.on_error {
        nesting::hook(Hook::OnError, || host.on_error(hook, &failure));
    }
    if reporting.verbose {
        return Some(failure);
    }
    host.print(Stream::Error, &mask_keys(quiet_line, &reporting.keys));
    None
}

/// `text` as a caller is given it: every key masked, then cut to [`MESSAGE_CHARS`] characters
/// (masked first: a cut through a key would leave part of it unmasked). A text much longer than
/// that (a 10 MB option quoted in its error) is masked only as far as it can show: when no key
/// starts within the part kept, what lies past it is cut unread.
pub fn masked(text: &str, keys: &[String]) -> String {
    masked_to(text, keys, MESSAGE_CHARS)
}

/// `text` masked, then cut to `max_chars` characters (see [`masked`]).
pub fn masked_to(text: &str, keys: &[String], max_chars: usize) -> String {
    let head = text
        .char_indices()
        .nth(reach(keys, max_chars))
        .and_then(|(end, _)| text.get(..end));
    match head {
        // Nothing masked in the head: no key starts before the cut.
        Some(head) if mask_keys(head, keys) == head => shorten(text, max_chars),
        _ => shorten(&mask_keys(text, keys), max_chars),
    }
}

/// How many characters of a text to read so that its first `max_chars` can be masked: a key that
/// starts within them ends within this many.
pub fn reach(keys: &[String], max_chars: usize) -> usize {
    let longest = keys.iter().map(|key| key.chars().count()).max();
    max_chars.saturating_add(longest.unwrap_or(0))
}

/// Keys shorter than this are not masked: they would garble every line (a key `k` is in
/// "network") and no real API key is that short.
const SHORTEST_MASKED_KEY: usize = 4;

/// `text` with every occurrence of each key masked as `***`, in any ASCII case: a runtime may
/// quote the key lower-cased (Node's `getaddrinfo ENOTFOUND` names a host as the URL parser wrote
/// it). Occurrences that overlap (a key inside a longer one, two keys sharing characters) are
/// masked as one, so that no part of any key survives; occurrences side by side stay one `***`
/// each.
pub fn mask_keys(text: &str, keys: &[String]) -> String {
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
