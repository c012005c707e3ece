//! The current platform: typed keys, the ingestion key, the data plane's v2 routes, and which
//! key and URL win when several are given.

use super::*;

/// A well-formed typed key with the given prefix.
fn typed_key(prefix: &str) -> String {
    crate::core::keys::tests::typed(prefix)
}

#[test]
fn an_ingestion_key_alone_with_no_project_reaches_the_data_plane_v2_api() {
    let ingestion = typed_key("hh_ingst_");
    let host = FakeHost {
        env: vec![(
            "HH_INGESTION_API_KEY",
            Box::leak(ingestion.clone().into_boxed_str()),
        )],
        ..FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")])
    };
    assert_eq!(
        run(log(&host, &opts(json!({"eventName": "n"})))),
        Ok(Some("e-1".to_string()))
    );
    let sent = &host.sent()[0];
    assert_eq!(
        (sent.method, sent.url.as_str()),
        (Method::Post, "https://api.dp1.us.honeyhive.ai/v1/events")
    );
    assert_eq!(sent.authorization, format!("Bearer {ingestion}"));
    assert_eq!(sent.body["event_name"], json!("n"));
    assert!(
        sent.body.get("event").is_none() && sent.body.get("project").is_none(),
        "a bare event without project: {}",
        sent.body
    );
}

#[test]
fn the_ingestion_key_wins_over_the_api_key_in_the_same_layer() {
    let host = FakeHost::answering([ok("{\"session_id\":\"s-1\"}")]);
    run(start(
        &host,
        &opts(json!({"apiKey": KEY, "ingestionApiKey": "hh-ingest-legacy-kind", "project": "p"})),
    ))
    .unwrap();
    assert_eq!(host.sent()[0].authorization, "Bearer hh-ingest-legacy-kind");
    assert_eq!(
        host.sent()[0].url,
        "https://api.honeyhive.ai/session/start",
        "an untyped key keeps the reference's API"
    );
}

#[test]
fn data_plane_url_sends_the_four_calls_to_the_v2_routes() {
    let dp = json!({"apiKey": KEY, "dataPlaneUrl": "http://dp.local/", "verbose": true});
    let with = |extra: J| {
        let mut o = dp.clone();
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        opts(o)
    };
    let host = FakeHost::answering([ok("{\"session_id\":\"s-1\",\"event_id\":\"s-1\"}")]);
    run(start(&host, &with(json!({"sessionName": "chat"})))).unwrap();
    let host2 = FakeHost::answering([ok("{\"event_id\":\"e-1\",\"success\":true}")]);
    run(log(
        &host2,
        &with(json!({"eventName": "n", "sessionId": ID, "inputs": {"q": 1}})),
    ))
    .unwrap();
    let host3 = FakeHost::answering([ok("")]);
    run(update(
        &host3,
        &with(json!({"eventId": ID, "outputs": {"a": 1}})),
    ))
    .unwrap();
    let host4 = FakeHost::answering([ok("{\"event_ids\":[],\"success\":true}")]);
    run(log_batch(
        &host4,
        &with(json!({"sessionId": ID, "isSingleSession": true, "events": [{"eventName": "a"}]})),
    ))
    .unwrap();
    let seen: Vec<(Method, String)> = [&host, &host2, &host3, &host4]
        .iter()
        .map(|h| (h.sent()[0].method, h.sent()[0].url.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (Method::Post, "http://dp.local/v1/sessions".to_string()),
            (Method::Post, "http://dp.local/v1/events".to_string()),
            (Method::Put, format!("http://dp.local/v1/events/{ID}")),
            (Method::Post, "http://dp.local/v1/events/batch".to_string()),
        ]
    );
    assert_eq!(host.sent()[0].body["session_name"], json!("chat"));
    assert_eq!(
        host3.sent()[0].body,
        as_floats(&json!({"outputs": {"a": 1}}))
    );
    let batch = &host4.sent()[0].body;
    assert_eq!(batch["single_session"], json!(true));
    assert!(
        batch.get("is_single_session").is_none() && batch["events"][0].get("project").is_none(),
        "{batch}"
    );
}

#[test]
fn a_truncated_typed_key_is_refused_naming_its_source_not_the_key() {
    let key = typed_key("hh_ingst_");
    let cut = key.get(..40).unwrap().to_string();
    let host = FakeHost::default();
    let out = run(log(
        &host,
        &opts(json!({"ingestionApiKey": cut, "eventName": "n", "verbose": true})),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.contains("The key in ingestionApiKey starts like a HoneyHive typed key"),
        "{message}"
    );
    assert!(
        !message.contains(&cut) && !message.contains(cut.get(..20).unwrap()),
        "{message}"
    );
    assert!(host.sent().is_empty());
    let host = FakeHost {
        env: vec![("HH_API_KEY", "hh_fgdp_short")],
        ..FakeHost::default()
    };
    assert_eq!(run(log(&host, &opts(json!({"eventName": "n"})))), Ok(None));
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (malformed key in HH_API_KEY)".to_string()
        )]
    );
}

#[test]
fn server_url_and_data_plane_url_in_one_layer_is_an_error_that_says_which_to_keep() {
    let host = FakeHost::default();
    let out = run(log(
        &host,
        &opts(
            json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true,
        "serverUrl": "http://a", "data_plane_url": "http://b"}),
        ),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.contains("Both serverUrl and dataPlaneUrl are set"),
        "{message}"
    );
    assert!(host.sent().is_empty());
}

#[test]
fn a_typed_key_on_the_reference_routes_sends_project_only_when_given() {
    let key = typed_key("hh_ingst_");
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\"}"), ok("{\"event_id\":\"e-2\"}")]);
    run(log(
        &host,
        &opts(json!({"apiKey": key, "serverUrl": "http://ref", "eventName": "n"})),
    ))
    .unwrap();
    run(log(
        &host,
        &opts(json!({"apiKey": key, "serverUrl": "http://ref", "eventName": "n", "project": "p"})),
    ))
    .unwrap();
    let sent = host.sent();
    assert_eq!(sent[0].url, "http://ref/events");
    assert!(sent[0].body["event"].get("project").is_none());
    assert_eq!(sent[1].body["event"]["project"], json!("p"));
}

#[test]
fn every_key_given_is_masked_in_what_is_printed() {
    let host = FakeHost::answering([Outcome::Answer(Answer {
        status: 401,
        retry_after: None,
        body: format!("bad {KEY} and hh-ingest-secret"),
    })]);
    let out = run(log(
        &host,
        &opts(
            json!({"apiKey": KEY, "ingestionApiKey": "hh-ingest-secret", "project": "p", "eventName": "n", "verbose": true}),
        ),
    ));
    let message = out.unwrap_err().message;
    assert!(
        !message.contains(KEY) && !message.contains("hh-ingest-secret"),
        "{message}"
    );
    assert!(host
        .printed()
        .iter()
        .all(|(_, line)| !line.contains(KEY) && !line.contains("hh-ingest-secret")));
}

#[test]
fn a_call_s_api_key_wins_over_a_client_default_ingestion_key_and_errors_name_the_source() {
    let host = FakeHost::answering([ok("{\"event_id\":\"e-1\"}")]);
    let given = Given {
        call: Value::Object(json!({"apiKey": KEY, "project": "p", "eventName": "n"})),
        defaults: Value::Object(json!({"ingestionApiKey": "hh-ingest-default"})),
    };
    run(log(&host, &given)).unwrap();
    assert_eq!(
        host.sent()[0].authorization,
        format!("Bearer {KEY}"),
        "the call is nearer than the client's defaults"
    );

    let cut = typed_key("hh_fgdp_").get(..30).unwrap().to_string();
    let host = FakeHost {
        env: vec![("HH_INGESTION_API_KEY", Box::leak(cut.into_boxed_str()))],
        ..FakeHost::default()
    };
    let message = run(log(&host, &opts(json!({"eventName": "n", "verbose": true, "env": {"HH_INGESTION_API_KEY": typed_key("hh_ingst_").get(..20).unwrap()}})))).unwrap_err().message;
    assert!(
        message.contains("The key in env.HH_INGESTION_API_KEY starts like"),
        "the env option is nearer than the host: {message}"
    );
    let host = FakeHost {
        env: vec![
            ("HH_API_URL", "http://a"),
            ("HH_DATA_PLANE_URL", "http://b"),
        ],
        ..FakeHost::default()
    };
    assert_eq!(
        run(log(&host, &opts(json!({"apiKey": KEY, "eventName": "n"})))),
        Ok(None)
    );
    assert_eq!(
        host.printed(),
        [(
            Stream::Error,
            "HoneyHive: Failed to log event. (both HH_API_URL and HH_DATA_PLANE_URL)".to_string()
        )]
    );
}

#[test]
fn a_key_and_url_given_in_the_call_save_the_lookups_that_could_not_win_over_them() {
    let host = FakeHost {
        env: vec![
            ("HH_INGESTION_API_KEY", "hh-env-ingest"),
            ("HH_DATA_PLANE_URL", "http://dp"),
        ],
        ..FakeHost::answering([ok("{\"event_id\":\"e-1\"}")])
    };
    run(log(
        &host,
        &opts(json!({"apiKey": KEY, "serverUrl": "http://ref", "project": "p", "eventName": "n"})),
    ))
    .unwrap();
    assert_eq!(
        (
            host.sent()[0].authorization.as_str(),
            host.sent()[0].url.as_str()
        ),
        (format!("Bearer {KEY}").as_str(), "http://ref/events")
    );
    let reads = host.env_reads.borrow().clone();
    assert!(
        !reads.contains(&"HH_INGESTION_API_KEY") && !reads.contains(&"HH_DATA_PLANE_URL"),
        "{reads:?}"
    );
}
