//! The outbox: what a call queues when HoneyHive cannot take it, what is never queued, and
//! `replay`, which sends a queued message again.

use super::*;
use crate::core::failure::Code;

#[test]
fn a_log_the_server_cannot_take_goes_to_the_outbox_and_resolves_to_its_id() {
    let hook = json!({"function": "report"});
    let host = FakeHost::answering([status(503)]);
    let out = run(log(&host, &opts(queued_log(json!({"onError": hook})))));
    let Ok(Some(id)) = out else {
        panic!("resolved as success would: {out:?}")
    };
    let queued = host.queued.borrow().clone();
    assert_eq!(queued.len(), 1);
    let message = &queued[0];
    assert_eq!(
        (
            message["v"].clone(),
            message["api"].clone(),
            message["method"].clone()
        ),
        (json!(1), json!("reference"), json!("POST"))
    );
    assert_eq!(
        (message["path"].clone(), message["events"].clone()),
        (json!("/events"), json!(1))
    );
    let body: J = serde_json::from_str(message["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body["event"]["event_id"],
        json!(id),
        "the id the call resolved to, kept for the replay"
    );
    assert!(!message.to_string().contains(KEY), "no key in the message");
    assert_eq!(
        host.printed(),
        [(
            Stream::Warn,
            "HoneyHive: queued 1 event for later delivery (HTTP 503)".to_string()
        )]
    );
    assert!(
        host.hook_calls.borrow().is_empty(),
        "onError is not called: nothing is lost"
    );
}

#[test]
fn what_no_retry_can_cure_is_never_queued() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(run(log(&host, &opts(queued_log(json!({}))))), Ok(None));
    assert!(host.queued.borrow().is_empty());
    let host = FakeHost::default();
    let bad = run(log(&host, &opts(queued_log(json!({"eventType": "llm"})))));
    assert_eq!(bad, Ok(None));
    assert!(host.queued.borrow().is_empty());
}

#[test]
fn a_request_too_large_for_the_queue_or_refused_by_it_fails_with_both_causes() {
    let host = FakeHost::answering([status(503)]);
    let big = json!({"verbose": true, "inputs": {"text": noise(130_000)}});
    let failure = run(log(&host, &opts(queued_log(big)))).unwrap_err();
    assert_eq!(
        (failure.code, failure.status),
        (Code::HttpStatus, Some(503))
    );
    assert!(
        failure
            .message
            .contains("could not be queued for later delivery either"),
        "{}",
        failure.message
    );
    let host = FakeHost::answering([status(503)]);
    let refusing = json!({"verbose": true, "serverUrl": "http://another",
        "outbox": {"queue": "custom", "refuse": "queue full"}});
    let failure = run(log(&host, &opts(queued_log(refusing)))).unwrap_err();
    assert!(
        failure.message.contains("HTTP 503")
            && failure
                .message
                .contains("Its outbox refused it too: queue full"),
        "{}",
        failure.message
    );
}

#[test]
fn a_batch_the_server_cannot_take_is_queued_whole_and_resolves_to_its_ids() {
    let host = FakeHost::answering([Outcome::Network("refused".into())]);
    let call = json!({"apiKey": KEY, "project": "p", "maxRetries": 0, "outbox": {"queue": "deno"},
        "events": [{"eventName": "a"}, {"eventName": "b"}]});
    let ids = run(log_batch(&host, &opts(call))).unwrap().unwrap();
    assert!(ids.iter().all(Option::is_some));
    let queued = host.queued.borrow().clone();
    assert_eq!(
        (
            queued.len(),
            queued[0]["events"].clone(),
            queued[0]["path"].clone()
        ),
        (1, json!(2), json!("/events/batch"))
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Warn,
            "HoneyHive: queued 2 events for later delivery (network error)".to_string()
        )]
    );
}

#[test]
fn a_batch_too_large_for_one_message_is_queued_in_several() {
    let host = FakeHost::answering([status(503)]);
    let text = noise(25_000);
    let events: Vec<J> = (0..3)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"text": text}}))
        .collect();
    let call = json!({"apiKey": KEY, "project": "p", "maxRetries": 0, "outbox": {"queue": "deno"}, "events": events});
    let ids = run(log_batch(&host, &opts(call))).unwrap().unwrap();
    assert!(ids.iter().all(Option::is_some));
    let counts: Vec<J> = host
        .queued
        .borrow()
        .iter()
        .map(|m| m["events"].clone())
        .collect();
    assert_eq!(
        counts,
        [json!(1), json!(1), json!(1)],
        "halved until each message fits what Deno KV takes"
    );
}

#[test]
fn replay_delivers_refuses_or_asks_the_queue_again() {
    let message = |v: u32| {
        json!({"v": v, "api": "reference", "method": "POST", "path": "/events", "events": 1,
        "body": "{\"event\":{\"event_id\":\"x\"}}"})
    };
    let given = opts(json!({"apiKey": KEY, "serverUrl": "http://s"}));
    let host = FakeHost::answering([ok("{}")]);
    assert_eq!(
        run(replay(&host, &given, &message(1), 1, false)),
        Replayed::Delivered
    );
    assert_eq!(
        host.sent()[0].body,
        json!({"event": {"event_id": "x"}}),
        "the body as it was queued"
    );
    let host = FakeHost::answering([status(503), status(503), status(503), status(503)]);
    let Replayed::Again {
        delay_seconds,
        failure,
    } = run(replay(&host, &given, &message(1), 2, false))
    else {
        panic!("again: {:?}", host.printed())
    };
    assert_eq!((delay_seconds, failure.code), (10, Code::HttpStatus));
    // A key the server refuses may be a consumer's wrong or rotated key: kept, never forgotten.
    for kept in [401, 403] {
        let host = FakeHost::answering([status(kept)]);
        assert!(matches!(
            run(replay(&host, &given, &message(1), 1, false)),
            Replayed::Again { failure, .. } if failure.status == Some(kept)
        ));
        let line = &host.printed()[0].1;
        assert!(
            line.contains(&format!("(HTTP {kept}, code http_status)")),
            "{line}"
        );
    }
    // What the server refuses on the merits is final.
    for merits in [400, 413, 422] {
        let host = FakeHost::answering([status(merits)]);
        assert!(matches!(
            run(replay(&host, &given, &message(1), 1, false)),
            Replayed::Refused { .. }
        ));
    }
    let host = FakeHost::default();
    assert!(matches!(
        run(replay(&host, &given, &message(2), 1, false)),
        Replayed::Refused { .. }
    ));
    assert!(
        host.sent().is_empty(),
        "a message of another version is never sent"
    );
    assert!(
        host.printed()[0].1.contains("a message it cannot replay"),
        "{:?}",
        host.printed()
    );
}
