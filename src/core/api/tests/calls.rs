//! The single calls `start`, `log` and `update`: the request each sends, the id it resolves
//! to, the options it reads from the call, the client's defaults and the environment, and
//! how a call whose options or answer will not do fails.

use super::*;

#[test]
fn start_sends_the_reference_request_and_returns_the_session_id() {
    let host = FakeHost::answering([ok(&format!("{{\"session_id\":\"{ID}\"}}"))]);
    let out = run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "serverUrl": "http://h:1/"})),
    ));
    assert_eq!(out, Ok(Some(ID.to_string())));
    let sent = host.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, "http://h:1/session/start");
    assert_eq!(sent[0].authorization, format!("Bearer {KEY}"));
    assert_eq!(sent[0].timeout_ms, 5000);
    assert_eq!(
        sent[0].body,
        json!({"session": {"project": "p", "session_name": "p", "source": "dev",
            "session_id": "07070707-0707-4707-8707-070707070707", "config": {}, "inputs": {}, "metadata": {},
            "user_properties": {}, "start_time": NOW}})
    );
    assert!(host.printed().is_empty(), "nothing printed on success");
}

#[test]
fn log_returns_the_event_id_and_uses_the_given_session() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "sessionId": ID})),
    ));
    assert_eq!(out, Ok(Some("e-1".to_string())));
    assert_eq!(host.sent()[0].url, "https://api.honeyhive.ai/events");
    assert_eq!(host.sent()[0].body["event"]["session_id"], json!(ID));
    assert_eq!(
        host.sent()[0].body["event"]["event_id"],
        json!("07070707-0707-4707-8707-070707070707")
    );
}

#[test]
fn log_sends_the_caller_s_event_id() {
    let host = FakeHost::answering([ok(&format!("{{\"event_id\":\"{ID}\"}}"))]);
    assert_eq!(
        run(log(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "eventId": ID}))
        )),
        Ok(Some(ID.into()))
    );
    assert_eq!(host.sent()[0].body["event"]["event_id"], json!(ID));
}

#[test]
fn log_without_session_says_so_in_verbose_mode() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    let out = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ));
    assert_eq!(out, Ok(Some("e".into())));
    assert!(
        host.printed()[0].1.contains("no sessionId"),
        "{:?}",
        host.printed()
    );
}

#[test]
fn update_puts_and_resolves_to_unit() {
    let host = FakeHost::answering([ok("{\"success\":true}")]);
    let out = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": ID, "metadata": {"m": 1}})),
    ));
    assert_eq!(out, Ok(Some(())));
    assert_eq!(host.sent()[0].method, Method::Put);
    assert_eq!(
        host.sent()[0].body,
        as_floats(&json!({"event_id": ID, "metadata": {"m": 1}}))
    );
}

#[test]
fn env_of_the_host_fills_in_missing_options() {
    let mut host = FakeHost::answering([ok("{\"session_id\":\"s\"}")]);
    host.env = vec![
        ("HH_API_KEY", KEY),
        ("HH_PROJECT", "envp"),
        ("HH_API_URL", "http://env:2"),
    ];
    assert_eq!(run(start(&host, &opts(json!({})))), Ok(Some("s".into())));
    assert_eq!(host.sent()[0].url, "http://env:2/session/start");
    assert_eq!(host.sent()[0].body["session"]["project"], json!("envp"));
}

#[test]
fn client_defaults_apply_under_the_call() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e\"}")]);
    let given = Given {
        call: Value::Object(json!({"eventName": "n"})),
        defaults: Value::Object(json!({"apiKey": KEY, "project": "dp", "serverUrl": "http://d:1"})),
    };
    assert_eq!(run(log(&host, &given)), Ok(Some("e".into())));
    assert_eq!(host.sent()[0].url, "http://d:1/events");
    assert_eq!(host.sent()[0].body["event"]["project"], json!("dp"));
}

#[test]
fn quiet_failures_print_one_line_and_resolve_to_none() {
    let host = FakeHost::default();
    assert_eq!(
        run(log(&host, &opts(json!({"apiKey": KEY, "project": "p"})))),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (missing event name)".to_string()
        )]
    );
    assert!(host.sent().is_empty(), "nothing sent for invalid options");
}

#[test]
fn a_bad_options_argument_is_reported_not_panicked() {
    let host = FakeHost::default();
    assert_eq!(
        run(start(&host, &Given::call(Value::Other("a BigInt")))),
        Ok(None)
    );
    assert_eq!(
        host.printed()[0].1,
        "HoneyHive: Failed to start session. (options must be an object)"
    );
}

#[test]
fn a_200_without_the_id_is_a_failure() {
    for body in [
        "{}",
        "not json",
        "{\"session_id\": 5}",
        "{\"session_id\": \"\"}",
    ] {
        let host = FakeHost::answering([ok(body)]);
        let message = run(start(
            &host,
            &opts(json!({"apiKey": KEY, "project": "p", "verbose": true})),
        ))
        .unwrap_err()
        .message;
        assert!(message.contains("session_id not found"), "{message}");
        assert_eq!(host.sent().len(), 1, "not retried");
    }
}
