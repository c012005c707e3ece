//! A failed call as its caller meets it: the message, and what a program can act on: a stable
//! [`Code`] per kind of failure, the HTTP status where the server answered, whether a later try
//! could succeed, the call, and the runtime's own message for a network failure. It becomes the
//! JS `HoneyHiveError` at the wasm boundary (src/npm/errors.js).

use serde::Serialize;

use crate::core::call::Call;
use crate::core::error::Error;

/// The kind of a failure, stable across versions (the error's `code` in JS).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A required option is missing: the key, the project, `eventName`, `eventId`, `events`.
    MissingOption,
    /// An option is of the wrong kind or shape, or could not be read.
    InvalidOption,
    /// The server answered with a status that is not a success (`status` says which).
    HttpStatus,
    /// The request got no answer: refused, reset, DNS, CORS (`cause` says what the runtime said).
    Network,
    /// The runtime refused the logger something it needs (Deno without `--allow-net`).
    Permission,
    /// An attempt got no answer within `timeoutMs`.
    Timeout,
    /// The caller's `signal` aborted the call.
    Aborted,
    /// The call could not succeed within `deadlineMs`, or within what the logger waits for a
    /// server that asks to retry later.
    Deadline,
    /// The caller's `redact` hook threw, or did not give an event back.
    Hook,
    /// A payload cannot be written as JSON (a cycle, a BigInt, a throwing `toJSON`).
    NotSerializable,
    /// The server's success answer is not what the API answers (no id in it).
    InvalidAnswer,
    /// The runtime has no `crypto.getRandomValues` to make an id with.
    NoRandomness,
    /// Some events of a batch or a trace were not logged (`eventIds` and `errors` say which).
    PartialFailure,
    /// A message handed to `replay` that it must not send (unreadable, another format version,
    /// a request this logger does not make).
    BadMessage,
    /// A call made from a hook that is itself too deep in hooks calling the logger.
    NestedCall,
}

impl Code {
    /// The code as JS reads it (`http_status`), for a printed line.
    pub fn name(self) -> &'static str {
        match self {
            Code::MissingOption => "missing_option",
            Code::InvalidOption => "invalid_option",
            Code::HttpStatus => "http_status",
            Code::Network => "network",
            Code::Permission => "permission",
            Code::Timeout => "timeout",
            Code::Aborted => "aborted",
            Code::Deadline => "deadline",
            Code::Hook => "hook",
            Code::NotSerializable => "not_serializable",
            Code::InvalidAnswer => "invalid_answer",
            Code::NoRandomness => "no_randomness",
            Code::PartialFailure => "partial_failure",
            Code::BadMessage => "bad_message",
            Code::NestedCall => "nested_call",
        }
    }
}

/// A failed call, as its promise rejects with it (verbose mode) and `onError` hears of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// What went wrong and how to fix it, with every key masked.
    pub message: String,
    pub code: Code,
    /// The HTTP status, where the server answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Whether the same call could succeed later, unchanged.
    pub retryable: bool,
    /// The call: `start`, `log`, `update`, `logBatch`, `trace`.
    pub call: &'static str,
    /// The runtime's own message, for a network failure (keys masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Failure {
    /// The failure of `call` with `error`, its message already written (and masked).
    pub fn new(call: Call, error: &Error, message: String) -> Self {
        Failure {
            message,
            code: error.code(),
            status: error.status(),
            retryable: error.retryable(),
            call: call.name(),
            cause: None,
        }
    }
}

impl Error {
    /// The kind of failure.
    pub fn code(&self) -> Code {
        match self {
            Error::MissingApiKey
            | Error::MissingProject
            | Error::MissingEventName
            | Error::MissingEventId
            | Error::MissingEvents => Code::MissingOption,
            Error::NotAnObject { .. }
            | Error::Unreadable { .. }
            | Error::InvalidOption { .. }
            | Error::BrokenTrace(_)
            | Error::InvalidEventType(_)
            | Error::InvalidUuid { .. }
            | Error::InvalidServerUrl(_)
            | Error::InvalidApiKey
            | Error::MalformedKey { .. }
            | Error::TwoServerUrls { .. } => Code::InvalidOption,
            Error::InEvent { error, .. }
            | Error::InSpan { error, .. }
            | Error::NoEnvAccess(error)
            | Error::NotQueued { error, .. }
            | Error::OutboxRefused { error, .. } => error.code(),
            Error::QueueUnsettled { ended, .. } => ended.code(),
            Error::CircuitOpen { .. } => Code::Network,
            Error::Nested { .. } => Code::NestedCall,
            Error::BadMessage(_) => Code::BadMessage,
            Error::Redact(_) => Code::Hook,
            Error::NotSerializable(_) => Code::NotSerializable,
            Error::Http { .. } => Code::HttpStatus,
            Error::Network(_) => Code::Network,
            Error::Permission { .. } => Code::Permission,
            Error::Timeout { .. } => Code::Timeout,
            Error::Aborted => Code::Aborted,
            Error::Deadline { .. } | Error::RetryAfterTooLong { .. } => Code::Deadline,
            Error::NoRandomness(_) => Code::NoRandomness,
            Error::MissingId { .. } => Code::InvalidAnswer,
        }
    }

    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            Error::NotQueued { error, .. }
            | Error::OutboxRefused { error, .. }
            | Error::QueueUnsettled { error, .. } => error.status(),
            _ => None,
        }
    }

    /// Whether the same call could succeed later: the statuses the logger itself retries, and
    /// the failures of the network and of time.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Http { status, .. } => matches!(status, 408 | 429 | 500..=599),
            Error::Network(_)
            | Error::Timeout { .. }
            | Error::Deadline { .. }
            | Error::RetryAfterTooLong { .. }
            | Error::CircuitOpen { .. } => true,
            Error::NotQueued { error, .. }
            | Error::OutboxRefused { error, .. }
            | Error::QueueUnsettled { error, .. } => error.retryable(),
            _ => false,
        }
    }

    /// The runtime's own message, for a network failure.
    pub fn cause(&self) -> Option<&str> {
        match self {
            Error::Network(reason) => Some(reason),
            Error::NotQueued { error, .. }
            | Error::OutboxRefused { error, .. }
            | Error::QueueUnsettled { error, .. } => error.cause(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_key_a_missing_option_and_a_refused_connection_have_different_codes() {
        let http = Error::Http {
            status: 401,
            body: String::new(),
            key: "apiKey".into(),
        };
        let codes = [
            http.code(),
            Error::MissingProject.code(),
            Error::Network("refused".into()).code(),
        ];
        assert_eq!(
            codes,
            [Code::HttpStatus, Code::MissingOption, Code::Network]
        );
        assert_eq!(http.status(), Some(401));
        assert!(!http.retryable());
        assert!(Error::Network("refused".into()).retryable());
    }

    #[test]
    fn a_batch_s_event_has_the_code_of_its_error() {
        let inner = Error::InEvent {
            index: 3,
            error: Box::new(Error::MissingEventName),
        };
        assert_eq!(inner.code(), Code::MissingOption);
    }

    #[test]
    fn a_code_s_name_is_its_json() {
        for code in [
            Code::MissingOption,
            Code::HttpStatus,
            Code::NestedCall,
            Code::BadMessage,
        ] {
            assert_eq!(serde_json::to_value(code).unwrap(), code.name());
        }
    }

    #[test]
    fn codes_are_written_in_snake_case() {
        let failure = Failure::new(Call::LogBatch, &Error::Aborted, "m".into());
        let json = serde_json::to_value(&failure).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"message": "m", "code": "aborted", "retryable": false, "call": "logBatch"})
        );
    }
}
