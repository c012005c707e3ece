//! Retries: the backoff between attempts, the deadline and per-attempt timeout, what is never
//! retried (a refused key, a permission the runtime denies) and an abort during a wait.

use super::*;
use crate::core::failure::Code;

#[test]
fn retries_503_then_succeeds_with_backoff_delays() {
    let host = FakeHost::answering([status(503), status(500), ok("{\"event_id\":\"e\"}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n"})),
    ));
    assert_eq!(out, Ok(Some("e".into())));
    assert_eq!(host.sent().len(), 3);
    assert_eq!(
        *host.sleeps.borrow(),
        [1050, 2100],
        "1 s then 2 s, plus half of the 10 % jitter"
    );
    assert_eq!(
        host.sent()[0].body,
        host.sent()[2].body,
        "every attempt sends the same body"
    );
}

#[test]
fn a_wait_that_would_pass_the_deadline_fails_the_call_at_once() {
    let host = FakeHost::answering([status(503), status(503), ok("{\"event_id\":\"e\"}")]);
    let message = run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "deadlineMs": 2000, "verbose": true}))))
        .unwrap_err().message;
    assert!(
        message.contains("within its deadline of 2000 ms"),
        "{message}"
    );
    assert_eq!(
        host.sent().len(),
        2,
        "the 1 s wait fitted, the 2 s one did not"
    );
    assert_eq!(*host.sleeps.borrow(), [1050]);
}

#[test]
fn attempts_are_one_plus_max_retries() {
    let host = FakeHost::answering((0..10).map(|_| status(502)));
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 2})),
    ));
    assert_eq!(out, Ok(None));
    assert_eq!(host.sent().len(), 3);
    let host = FakeHost::answering((0..10).map(|_| Outcome::Timeout));
    assert_eq!(
        run(log(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n"}))
        )),
        Ok(None)
    );
    assert_eq!(host.sent().len(), 4);
    assert_eq!(*host.sleeps.borrow(), [1050, 2100, 4200]);
}

#[test]
fn no_retry_on_401() {
    let host = FakeHost::answering([status(401), ok("{}")]);
    let out = run(start(&host, &opts(json!({"apiKey": KEY, "project": "p"}))));
    assert_eq!(out, Ok(None));
    assert_eq!(host.sent().len(), 1);
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to start session. (HTTP 401)".to_string()
        )]
    );
}

#[test]
fn an_abort_during_the_wait_ends_the_call() {
    let mut host = FakeHost::answering([status(503), ok("{}")]);
    host.abort_sleep = true;
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(message.contains("aborted"), "{message}");
    assert_eq!(host.sent().len(), 1);
}

#[test]
fn network_errors_and_timeouts_are_retried_then_reported() {
    let host = FakeHost::answering([Outcome::Network("refused".into()), Outcome::Timeout]);
    let message =
        run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 1, "timeoutMs": 300, "verbose": true}))))
            .unwrap_err().message;
    assert!(message.contains("No answer within 300 ms"), "{message}");
    assert_eq!(host.sent().len(), 2);
    assert_eq!(host.sent()[1].timeout_ms, 300);
}

#[test]
fn a_permission_the_runtime_refuses_is_not_retried_and_names_the_flag() {
    let denied = Outcome::Permission("Requires net access to \"127.0.0.1:1\"".into());
    let host = FakeHost::answering([denied]);
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true});
    let failure = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!((failure.code, failure.retryable), (Code::Permission, false));
    assert!(
        failure.message.contains("Run it with --allow-net"),
        "{}",
        failure.message
    );
    assert_eq!(host.sent().len(), 1, "not retried");
}

#[test]
fn a_success_reads_the_clock_only_for_its_body_and_draws_no_jitter() {
    let host = FakeHost::answering([ok("{\"session_id\":\"s\"}")]);
    let out = run(start(&host, &opts(json!({"apiKey": KEY, "project": "p"}))));
    assert_eq!(out, Ok(Some("s".into())));
    assert_eq!(host.clock_reads.get(), 1, "the session's start_time");
    assert_eq!(host.jitter_draws.get(), 0);
}

#[test]
fn a_deadline_reads_the_clock_for_each_attempt_s_time_left() {
    let host = FakeHost::answering([status(503), ok("{\"session_id\":\"s\"}")]);
    let given = json!({"apiKey": KEY, "project": "p", "deadlineMs": 3000});
    assert_eq!(run(start(&host, &opts(given))), Ok(Some("s".into())));
    let limits: Vec<u32> = host.sent().iter().map(|sent| sent.timeout_ms).collect();
    assert_eq!(
        limits,
        [3000, 1950],
        "the second began after a wait of 1050 ms"
    );
    assert_eq!(host.jitter_draws.get(), 1, "the wait's");
    // The body's start_time; the call's start; each attempt's time left; the failure's
    // `Retry-After` date; whether the wait fits.
    assert_eq!(host.clock_reads.get(), 6);
}
