//! `logBatch`: chunks of 100 events or 4 MiB, the ids in the order sent, and which events a
//! failed, partial or silent answer loses.

use super::*;

#[test]
fn log_batch_splits_into_requests_of_100_and_returns_ids_in_order() {
    let host = FakeHost::answering([ok_batch(), ok_batch(), ok_batch()]);
    let ids = run(log_batch(&host, &opts(batch_of(250))))
        .unwrap()
        .unwrap();
    assert_eq!(ids.len(), 250);
    let sent = host.sent();
    assert_eq!(sent.len(), 3);
    assert!(sent
        .iter()
        .all(|r| r.url == "https://api.honeyhive.ai/events/batch" && r.method == Method::Post));
    let counts: Vec<usize> = sent
        .iter()
        .map(|r| r.body["events"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(counts, [100, 100, 50]);
    let sent_ids: Vec<String> = sent
        .iter()
        .flat_map(|r| r.body["events"].as_array().cloned().unwrap_or_default())
        .map(|e| e["event_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        ids.iter()
            .map(|id| id.clone().unwrap_or_default())
            .collect::<Vec<_>>(),
        sent_ids,
        "ids in order, as sent"
    );
    assert_eq!(sent[0].body["events"][0]["event_name"], json!("e0"));
    assert_eq!(sent[2].body["events"][49]["event_name"], json!("e249"));
    let session = &sent[0].body["events"][0]["session_id"];
    assert!(
        sent.iter().all(|r| r.body["events"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|e| &e["session_id"] == session)),
        "one new session for the whole batch"
    );
}

#[test]
fn log_batch_halves_a_chunk_over_the_byte_limit() {
    let big = "x".repeat(1_500_000);
    let events: Vec<J> = (0..4)
        .map(|i| json!({"eventName": format!("e{i}"), "inputs": {"big": big}}))
        .collect();
    let host = FakeHost::answering([ok_batch(), ok_batch()]);
    let ids = run(log_batch(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "events": events})),
    ))
    .unwrap()
    .unwrap();
    assert_eq!(ids.iter().flatten().count(), 4);
    let counts: Vec<usize> = host
        .sent()
        .iter()
        .map(|r| r.body["events"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(
        counts,
        [2, 2],
        "6 MB in one request is over the 4 MiB limit: two requests of two"
    );
}

#[test]
fn a_partial_failure_is_not_retried_and_keeps_track_of_what_was_taken() {
    // Ids come out 07070707-… for the batch's session, then 08…, 09… for the events.
    let taken = "08080808-0808-4808-8808-080808080808";
    let partial = Outcome::Answer(Answer {
        status: 500,
        retry_after: None,
        body: format!("{{\"event_ids\":[\"{taken}\"],\"errors\":[\"event 1: missing inputs\"],\"success\":false}}"),
    });
    let host = FakeHost::answering([partial.clone()]);
    let ids = run(log_batch(&host, &opts(batch_of(2)))).unwrap().unwrap();
    assert_eq!(ids, [Some(taken.to_string()), None]);
    assert_eq!(host.sent().len(), 1, "a partial failure is not retried");
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (1 of 2 events not logged: refused by the server)"
                .to_string()
        )]
    );

    let host = FakeHost::answering([partial]);
    let mut verbose = batch_of(2);
    verbose["verbose"] = json!(true);
    let failure = run(log_batch(&host, &opts(verbose))).unwrap_err();
    assert_eq!(failure.event_ids, [Some(taken.to_string()), None]);
    assert_eq!(failure.errors, ["event 1: missing inputs"]);
    assert!(
        failure
            .error
            .message
            .contains("1 of 2 events were not logged: event 1: missing inputs"),
        "{}",
        failure.error.message
    );
}

#[test]
fn a_failed_request_loses_only_its_own_events() {
    let host = FakeHost::answering([ok_batch(), status(400)]);
    let ids = run(log_batch(&host, &opts(batch_of(150))))
        .unwrap()
        .unwrap();
    assert_eq!(ids.iter().filter(|id| id.is_some()).count(), 100);
    assert!(ids.iter().skip(100).all(Option::is_none));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (50 of 150 events not logged: HTTP 400)".to_string()
        )]
    );
}

#[test]
fn a_batch_that_fails_whole_resolves_to_none_in_quiet_mode() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(run(log_batch(&host, &opts(batch_of(3)))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (3 of 3 events not logged: HTTP 401)".to_string()
        )]
    );
    let host = FakeHost::default();
    assert_eq!(
        run(log_batch(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p"}))
        )),
        Ok(None)
    );
    assert_eq!(
        host.printed()[0].1,
        "HoneyHive: Failed to log a batch. (no events)"
    );
}

#[test]
fn a_taken_batch_resolves_to_the_ids_it_sent_whatever_order_the_answer_lists() {
    let host = FakeHost::answering([ok("{\"event_ids\":[\"s2\",\"s1\"],\"success\":true}")]);
    let ids = run(log_batch(&host, &opts(batch_of(2)))).unwrap().unwrap();
    let sent: Vec<Option<String>> = host.sent()[0].body["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["event_id"].as_str().map(String::from))
        .collect();
    assert_eq!(ids, sent);
}

#[test]
fn events_the_server_drops_silently_are_reported() {
    let silent = Outcome::Answer(Answer {
        status: 500,
        retry_after: None,
        body: "{\"event_ids\":[]}".into(),
    });
    let host = FakeHost::answering([silent]);
    assert_eq!(run(log_batch(&host, &opts(batch_of(2)))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log a batch. (2 of 2 events not logged: dropped by the server)"
                .to_string()
        )]
    );
}

#[test]
fn an_event_that_cannot_be_serialised_loses_only_itself() {
    let mut events: Vec<J> = (0..4)
        .map(|i| json!({"eventName": format!("e{i}")}))
        .collect();
    events[2]["inputs"] = json!({"unserialisable": true});
    let host = FakeHost::answering([ok_batch(), ok_batch(), ok_batch()]);
    let ids = run(log_batch(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "events": events})),
    ))
    .unwrap()
    .unwrap();
    assert_eq!(
        ids.iter().map(Option::is_some).collect::<Vec<_>>(),
        [true, true, false, true]
    );
    assert_eq!(host.printed(), [(Stream::Error, "HoneyHive: Failed to log a batch. (1 of 4 events not logged: a payload is not JSON-serialisable)".to_string())]);
}
