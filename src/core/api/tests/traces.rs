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

#[test]
fn a_trace_begins_sampled_by_its_rate_against_one_draw() {
    // The fake host draws 0.5.
    let sampled = |given: J| begin_trace(&FakeHost::default(), &opts(given)).sampled;
    assert!(sampled(json!({})), "every trace by default");
    assert!(sampled(json!({"sampleRate": 0.51})));
    assert!(!sampled(json!({"sample_rate": 0.5})));
    assert!(!sampled(json!({"sampleRate": 0})));
    // A client's rate, under the call's own.
    let client = |call: J, defaults: J| Given {
        call: Value::Object(call),
        defaults: Value::Object(defaults),
    };
    let host = FakeHost::default();
    assert!(!begin_trace(&host, &client(json!({}), json!({"sampleRate": 0.1}))).sampled);
    assert!(
        begin_trace(
            &host,
            &client(json!({"sampleRate": 1}), json!({"sampleRate": 0}))
        )
        .sampled
    );
    // Not a rate: sent, so that its sending reports it; null is no rate given, as for any option.
    for bad in [json!(1.5), json!(-1), json!("0.5"), json!(null)] {
        assert!(sampled(json!({ "sampleRate": bad })), "{bad}");
    }
}

#[test]
fn a_trace_begins_in_its_given_session_or_a_new_one() {
    let host = FakeHost::default();
    let begun = begin_trace(&host, &opts(json!({"sessionId": ID, "sampleRate": 0})));
    assert_eq!((begun.session_id.as_str(), begun.sampled), (ID, false));
    let begun = begin_trace(&host, &opts(json!({"sessionId": "not-a-uuid"})));
    assert!(ids::is_uuid(&begun.session_id) && begun.session_id != ID);
}

#[test]
fn a_trace_whose_rate_is_not_one_is_reported_as_an_invalid_option_and_sends_nothing() {
    for bad in [json!(2), json!(-0.1), json!("half")] {
        let host = FakeHost::default();
        let call = json!({"apiKey": KEY, "project": "p", "verbose": true, "sampleRate": bad});
        let failure = run(trace(&host, &opts(call), trace_spans())).unwrap_err();
        assert_eq!(failure.error.code.name(), "invalid_option", "{bad}");
        assert!(
            failure.error.message.contains("sampleRate"),
            "{}",
            failure.error.message
        );
        assert!(host.sent().is_empty());
    }
}
