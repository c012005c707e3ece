//! `trace`: a recorded span tree sent as one batch, on the reference and the current platform,
//! and reported once when it cannot be sent.

use super::*;

#[test]
fn a_trace_is_sent_as_one_batch_that_starts_its_session() {
    let host = FakeHost::answering([ok_batch()]);
    let ids = run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "serverUrl": "http://h:1"})),
        trace_spans(),
    ));
    assert_eq!(ids.unwrap().unwrap().len(), 3);
    let sent = host.sent();
    assert_eq!(sent.len(), 1, "one request for the whole trace");
    assert_eq!(
        (sent[0].method, sent[0].url.as_str()),
        (Method::Post, "http://h:1/events/batch")
    );
    let body = &sent[0].body;
    assert_eq!(body["is_single_session"], json!(true));
    assert_eq!(body["session_properties"], json!({"session_name": "s1"}));
    let events = body["events"].as_array().unwrap();
    assert_eq!(
        events[0]["children_ids"],
        json!([
            "00000000-0000-4000-8000-000000000002",
            "00000000-0000-4000-8000-000000000003"
        ])
    );
    assert_eq!(as_floats(&events[0]["outputs"]), json!({"answer": 42.0}));
    assert_eq!(
        events[2]["parent_id"],
        json!("00000000-0000-4000-8000-000000000001")
    );
    assert_eq!(
        (&events[2]["error"], &events[2]["duration"]),
        (&json!("boom"), &json!(8.0))
    );
    assert!(events.iter().all(|e| e["session_id"] == json!(ID)
        && e["event_type"] == json!("chain")
        && e["project"] == json!("p")));
}

#[test]
fn a_trace_in_a_given_session_on_the_current_platform_goes_to_the_v2_batch() {
    let host = FakeHost::answering([ok_batch()]);
    const SESSION: &str = "5e55a000-0000-4000-8000-000000000000";
    let call = json!({"apiKey": KEY, "dataPlaneUrl": "http://h:2", "sessionId": SESSION});
    run(trace(&host, &opts(call), trace_spans())).unwrap();
    let sent = host.sent();
    assert_eq!(sent[0].url, "http://h:2/v1/events/batch");
    assert!(
        sent[0].body.get("single_session").is_none()
            && sent[0].body.get("session_properties").is_none()
    );
    assert!(sent[0].body["events"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["session_id"] == json!(SESSION) && e.get("project").is_none()));
}

#[test]
fn a_trace_that_cannot_be_sent_says_so_once() {
    let host = FakeHost::answering([status(401)]);
    assert_eq!(
        run(trace(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p"})),
            trace_spans()
        )),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to send a trace. (3 of 3 events not logged: HTTP 401)".to_string()
        )]
    );
    let host = FakeHost::default();
    let failure = run(trace(
        &host,
        &opts(json!({"apiKey": KEY, "verbose": true})),
        trace_spans(),
    ))
    .unwrap_err();
    assert!(
        failure
            .error
            .message
            .starts_with("HoneyHive: failed to send a trace: Project name is required"),
        "{}",
        failure.error.message
    );
    assert!(!failure.error.message.contains(KEY));
}
