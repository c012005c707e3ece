//! The caller's hooks: `redact` on every event before it is sent or printed, and `onError`
//! told of every failed call once, with its code and status.

use super::*;
use crate::core::failure::Code;

/// Whether every event of the first batch sent has no `inputs` (and the batch has events).
fn no_event_has_inputs(host: &FakeHost) -> bool {
    let sent = host.sent();
    let events = sent[0].body["events"].as_array().unwrap();
    !events.is_empty() && events.iter().all(|e| e.get("inputs").is_none())
}

#[test]
fn redact_runs_on_every_event_before_it_is_sent_or_printed() {
    let hook = json!({"function": "drop inputs"});
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    run(log(&host, &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "inputs": {"secret": "s3"}, "redact": hook, "verbose": true}))))
        .unwrap();
    assert!(
        host.sent()[0].body["event"].get("inputs").is_none(),
        "the event's inputs are gone"
    );
    assert!(
        host.printed().iter().all(|(_, line)| !line.contains("s3")),
        "nor printed: {:?}",
        host.printed()
    );

    let host = FakeHost::answering([ok_batch()]);
    let mut batch = batch_of(3);
    batch["redact"] = hook.clone();
    batch["events"][1]["inputs"] = json!({"secret": "s3"});
    run(log_batch(&host, &opts(batch))).unwrap();
    assert!(no_event_has_inputs(&host), "each event of a batch");

    let host = FakeHost::answering([ok(&format!("{{\"session_id\":\"{ID}\"}}"))]);
    run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "inputs": {"secret": "s3"}, "redact": hook})),
    ))
    .unwrap();
    assert!(
        host.sent()[0].body["session"].get("inputs").is_none(),
        "a session is an event too"
    );

    let host = FakeHost::answering([ok_batch()]);
    run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "redact": hook})),
        trace_spans(),
    ))
    .unwrap();
    assert!(no_event_has_inputs(&host), "each span of a trace");
}

#[test]
fn a_redact_hook_that_throws_stops_a_batch_without_halving_it() {
    let host = FakeHost::default();
    let mut batch = batch_of(150);
    batch["redact"] = json!({"function": "throw"});
    assert_eq!(run(log_batch(&host, &opts(batch))), Ok(None));
    assert!(host.sent().is_empty(), "nothing sent");
    assert_eq!(host.printed(), [(Stream::Error, "HoneyHive: Failed to log a batch. (150 of 150 events not logged: the redact hook failed)".to_string())]);
}

#[test]
fn a_redact_hook_that_throws_fails_the_call_and_sends_nothing() {
    let host = FakeHost::default();
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "redact": {"function": "throw"}, "verbose": true});
    let message = run(log(&host, &opts(call))).unwrap_err().message;
    assert!(
        message.starts_with("HoneyHive: failed to log event: The redact hook failed: boom."),
        "{message}"
    );
    assert!(host.sent().is_empty());
}

#[test]
fn hooks_must_be_functions() {
    let host = FakeHost::default();
    let call = json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": "log it", "verbose": true});
    assert_eq!(run(log(&host, &opts(call))).unwrap_err().message,
        "HoneyHive: failed to log event: Option `onError` must be a function; got a string of 6 characters.");
}

#[test]
fn on_error_hears_of_every_failed_call_once_in_quiet_mode_too() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(401)]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook})),
    ));
    assert_eq!(out, Ok(None), "quiet mode still resolves");
    assert_eq!(host.printed().len(), 1, "and still prints its line");
    let calls = host.hook_calls.borrow().clone();
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0]
            .1
            .starts_with("HoneyHive: failed to log event: The server answered HTTP 401."),
        "{calls:?}"
    );
    assert!(!calls[0].1.contains(KEY));

    // Before the options could be read, too; and with the hook in a client's defaults.
    let host = FakeHost::default();
    let given = Given {
        call: Value::Object(json!({"apiKey": KEY, "eventName": "n"})),
        defaults: Value::Object(json!({"onError": hook})),
    };
    assert_eq!(run(log(&host, &given)), Ok(None));
    assert_eq!(host.hook_calls.borrow().len(), 1);
    assert!(host.hook_calls.borrow()[0]
        .1
        .contains("Project name is required"));

    // A batch that loses events, and a trace that cannot be sent: once each.
    let host = FakeHost::answering([status(400)]);
    let mut batch = batch_of(2);
    batch["onError"] = hook.clone();
    run(log_batch(&host, &opts(batch))).unwrap();
    let host2 = FakeHost::answering([status(400)]);
    run(trace(
        &host2,
        &opts(json!({"apiKey": KEY, "project": "p", "onError": hook})),
        trace_spans(),
    ))
    .unwrap();
    let (batch_calls, trace_calls) = (
        host.hook_calls.borrow().clone(),
        host2.hook_calls.borrow().clone(),
    );
    assert_eq!((batch_calls.len(), trace_calls.len()), (1, 1));
    assert!(
        batch_calls[0]
            .1
            .starts_with("HoneyHive: failed to log a batch: 2 of 2 events were not logged"),
        "{batch_calls:?}"
    );
    assert!(
        trace_calls[0]
            .1
            .starts_with("HoneyHive: failed to send a trace: 3 of 3 events were not logged"),
        "{trace_calls:?}"
    );

    // Success calls it never.
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook})),
    ))
    .unwrap();
    assert!(host.hook_calls.borrow().is_empty());
}

#[test]
fn on_error_and_the_rejection_carry_the_code_the_status_and_the_call() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(401)]);
    let call =
        json!({"apiKey": KEY, "project": "p", "eventName": "n", "onError": hook, "verbose": true});
    let failure = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!(
        (
            failure.code,
            failure.status,
            failure.retryable,
            failure.call
        ),
        (Code::HttpStatus, Some(401), false, "log")
    );
    assert!(
        failure
            .message
            .contains("It refused the key: the API key sent (from apiKey)"),
        "{}",
        failure.message
    );
    assert!(!failure.message.contains(KEY));
    assert_eq!(host.failures.borrow().as_slice(), [failure]);
}
