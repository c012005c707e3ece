//! The outbox over the fake host of the calls' tests: what is queued, how it fits, how long a
//! call waits for it, the circuit breaker, and what a replay keeps.

use serde_json::json;

use super::{replay, Replayed};
use crate::core::api::tests::{
    log, log_batch, noise, ok, opts, queued_log, run, status, update, FakeHost, KEY,
};
use crate::core::failure::Code;
use crate::core::host::Stream;
use crate::core::retry::Outcome;

const EVENT: &str = "123e4567-e89b-42d3-a456-426614174000";

#[test]
fn an_update_answered_404_is_queued_since_its_event_may_still_be_in_the_outbox() {
    let host = FakeHost::answering([status(404)]);
    let call = json!({"apiKey": KEY, "eventId": EVENT, "metadata": {"k": 1}, "maxRetries": 0,
        "outbox": {"queue": "custom"}});
    assert_eq!(run(update(&host, &opts(call))), Ok(Some(())));
    let queued = host.queued.borrow();
    assert_eq!((queued.len(), &queued[0]["method"]), (1, &json!("PUT")));
    let printed = host.printed();
    assert_eq!(
        printed[0].1,
        "HoneyHive: queued 1 event for later delivery (HTTP 404)"
    );
    // A log answered 404 is not: no later attempt changes that answer.
    let host = FakeHost::answering([status(404)]);
    assert_eq!(run(log(&host, &opts(queued_log(json!({}))))), Ok(None));
    assert!(host.queued.borrow().is_empty());
}

#[test]
fn an_outbox_that_never_answers_ends_the_call_within_its_bound_as_a_failure() {
    let hanging = json!({"verbose": true, "outbox": {"queue": "custom", "hang": true}});
    let host = FakeHost::answering([status(503)]);
    let failure = run(log(&host, &opts(queued_log(hanging.clone())))).unwrap_err();
    assert_eq!((failure.code, failure.status), (Code::Timeout, Some(503)));
    assert!(
        failure.message.contains("may or may not have been queued"),
        "{}",
        failure.message
    );
    assert_eq!(
        *host.enqueue_waits.borrow(),
        [10_000],
        "about 10 s without a deadline"
    );
    let mut with_deadline = hanging;
    with_deadline["deadlineMs"] = json!(500);
    with_deadline["serverUrl"] = json!("http://another");
    let host = FakeHost::answering([status(503)]);
    let failure = run(log(&host, &opts(queued_log(with_deadline)))).unwrap_err();
    assert_eq!(failure.code, Code::Deadline);
    assert_eq!(
        *host.enqueue_waits.borrow(),
        [500],
        "what the deadline leaves"
    );
}

#[test]
fn a_message_too_large_is_compressed_and_what_still_does_not_fit_names_both_sizes() {
    // 130 KB that compresses: a Cloudflare message of base64 text, Deno KV's of bytes.
    for (queue, body) in [("cloudflare", "string"), ("deno", "bytes")] {
        let host = FakeHost::answering([status(503)]);
        let call = queued_log(
            json!({"inputs": {"text": "a".repeat(130_000)}, "outbox": {"queue": queue}}),
        );
        assert!(run(log(&host, &opts(call))).unwrap().is_some());
        let message = host.queued.borrow()[0].clone();
        assert_eq!(message["encoding"], json!("gzip"), "{queue}");
        assert_eq!(message["body"].is_string(), body == "string", "{queue}");
        let replayer = FakeHost::answering([ok("{}")]);
        let given = opts(json!({"apiKey": KEY}));
        assert_eq!(
            run(replay(&replayer, &given, &message, 1, false)),
            Replayed::Delivered
        );
        let sent = &replayer.sent()[0].body;
        assert_eq!(
            sent["event"]["inputs"]["text"].as_str().map(str::len),
            Some(130_000)
        );
    }
    let host = FakeHost::answering([status(503)]);
    let call = queued_log(
        json!({"verbose": true, "inputs": {"text": noise(70_000)}, "outbox": {"queue": "deno"}}),
    );
    let failure = run(log(&host, &opts(call))).unwrap_err();
    assert!(
        failure.message.contains("bytes; the queue takes 65536"),
        "{}",
        failure.message
    );
}

#[test]
fn once_a_call_fails_on_the_network_the_next_calls_go_straight_to_the_outbox() {
    let host = FakeHost::answering((0..4).map(|_| Outcome::Network("refused".into())));
    let call = || opts(queued_log(json!({"maxRetries": 3})));
    for _ in 0..20 {
        assert!(run(log(&host, &call())).unwrap().is_some());
    }
    assert_eq!(
        host.sent().len(),
        4,
        "the first call's four attempts, then none"
    );
    assert_eq!(host.queued.borrow().len(), 20, "every event queued");
    let circuit = host
        .printed()
        .iter()
        .filter(|(_, l)| l.ends_with("(circuit open)"))
        .count();
    assert_eq!(circuit, 19);
    // A batch to that server too.
    let call = json!({"apiKey": KEY, "project": "p", "outbox": {"queue": "custom"}, "events": [{"eventName": "a"}]});
    assert!(run(log_batch(&host, &opts(call))).unwrap().is_some());
    assert_eq!(host.sent().len(), 4);
}

#[test]
fn calls_without_an_outbox_keep_their_retries_while_the_circuit_is_open() {
    let host = FakeHost::answering((0..8).map(|_| Outcome::Network("refused".into())));
    assert!(run(log(&host, &opts(queued_log(json!({"maxRetries": 3})))))
        .unwrap()
        .is_some());
    let without = opts(queued_log(json!({"maxRetries": 3, "outbox": false})));
    assert_eq!(run(log(&host, &without)), Ok(None));
    assert_eq!(host.sent().len(), 8);
}

#[test]
fn a_replay_that_cannot_authenticate_or_resolve_its_options_keeps_the_message() {
    let message = json!({"v": 1, "api": "reference", "method": "POST", "path": "/events", "events": 1,
        "body": "{\"event\":{\"event_id\":\"x\"}}"});
    let host = FakeHost::default();
    let no_key = opts(json!({"serverUrl": "http://s"}));
    let Replayed::Again { failure, .. } = run(replay(&host, &no_key, &message, 1, false)) else {
        panic!("kept")
    };
    assert_eq!(failure.code, Code::MissingOption);
    assert!(host.sent().is_empty());
}

#[test]
fn a_replay_given_its_outbox_hands_the_message_back_with_its_delivery_counted() {
    let update = json!({"v": 1, "api": "reference", "method": "PUT", "path": "/events", "events": 1,
        "attempts": 3, "body": "{\"event_id\":\"x\"}"});
    let host = FakeHost::answering([status(404)]);
    let given = opts(json!({"apiKey": KEY, "maxRetries": 0, "outbox": {"queue": "deno"}}));
    assert_eq!(
        run(replay(&host, &given, &update, 0, true)),
        Replayed::Requeued
    );
    let queued = host.queued.borrow()[0].clone();
    assert_eq!(queued["attempts"], json!(4));
    assert_eq!(
        *host.delays.borrow(),
        [20],
        "5 s doubling with each delivery"
    );
    let line = &host.printed()[0];
    assert_eq!(line.0, Stream::Warn);
    assert!(
        line.1.contains("(delivery 3)") && line.1.contains("HTTP 404"),
        "{}",
        line.1
    );
    // Past the count it carries, the queue's own limit decides.
    let mut last = update;
    last["attempts"] = json!(20);
    let host = FakeHost::answering([status(404)]);
    assert!(matches!(
        run(replay(&host, &given, &last, 0, true)),
        Replayed::Again { .. }
    ));
    assert!(host.queued.borrow().is_empty());
}
