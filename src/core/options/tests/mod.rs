use super::*;
use crate::core::retry::RetryPolicy;
use serde_json::{json, Value as J};

mod layers;

const ID: &str = "123e4567-e89b-42d3-a456-426614174000";

fn no_env(_: &'static str) -> Option<String> {
    None
}

/// Whether a failed call with `given` reports in verbose mode (read leniently).
fn is_verbose(given: &Given<J>) -> bool {
    lenient(given, &no_env).verbose
}

/// A call's options over a client's defaults.
fn with_defaults(call: J, defaults: J) -> Given<J> {
    Given {
        call: Value::Object(call),
        defaults: Value::Object(defaults),
    }
}

fn opts(v: J) -> Given<J> {
    Given::call(Value::Object(v))
}

#[test]
fn start_defaults_session_name_source_and_server_url() {
    let o = start(&opts(json!({"apiKey": "k", "project": "p"})), &no_env).unwrap();
    assert_eq!(o.session_name.as_deref(), Some("p"));
    assert_eq!(o.source, "dev");
    assert_eq!(o.common.server_url, "https://api.honeyhive.ai");
    assert_eq!(o.session_id, None);
    assert_eq!(
        o.common.retry,
        RetryPolicy {
            max_retries: 3,
            timeout_ms: 5000,
            deadline_ms: None
        }
    );
    assert!(!o.common.verbose);
    assert_eq!(
        (o.config, o.inputs, o.metadata, o.user_properties),
        (None, None, None, None)
    );
}

#[test]
fn camel_case_wins_over_snake_case() {
    let o = start(
        &opts(json!({"apiKey": "camel", "api_key": "snake", "project": "p", "sessionName": "c", "session_name": "s",
            "server_url": "http://snake", "userProperties": {"a": 1}, "user_properties": {"b": 2}})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.common.api_key, "camel");
    assert_eq!(o.session_name.as_deref(), Some("c"));
    assert_eq!(o.common.server_url, "http://snake");
    assert_eq!(o.user_properties, Some(json!({"a": 1})));
}

#[test]
fn snake_case_is_read_when_camel_case_is_null() {
    let o = start(
        &opts(json!({"apiKey": null, "api_key": "k", "project": "p"})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.common.api_key, "k");
}

#[test]
fn env_fallback_order_is_option_then_env_object_then_host() {
    let host = |var: &'static str| match var {
        "HH_API_URL" => Some("https://host".into()),
        "HH_API_KEY" | "HH_PROJECT" | "HH_SOURCE" => Some(format!("host-{var}")),
        _ => None,
    };
    let o = start(&opts(json!({})), &host).unwrap();
    assert_eq!(o.common.api_key, "host-HH_API_KEY");
    assert_eq!(o.project.as_deref(), Some("host-HH_PROJECT"));
    assert_eq!(o.source, "host-HH_SOURCE");
    assert_eq!(o.common.server_url, "https://host");
    let o = start(
        &opts(
            json!({"env": {"HH_API_KEY": "env-k", "HH_PROJECT": "env-p", "HH_API_URL": "https://e/"}}),
        ),
        &host,
    );
    let o = o.unwrap();
    assert_eq!(
        (
            o.common.api_key.as_str(),
            o.project.as_deref().unwrap_or_default()
        ),
        ("env-k", "env-p")
    );
    assert_eq!(o.common.server_url, "https://e");
    let o = start(
        &opts(json!({"apiKey": "opt", "env": {"HH_API_KEY": "env-k"}, "project": "p"})),
        &host,
    )
    .unwrap();
    assert_eq!(o.common.api_key, "opt");
}

#[test]
fn non_string_env_bindings_and_empty_strings_fall_through() {
    let o = start(
        &opts(json!({"apiKey": "", "env": {"HH_API_KEY": {"binding": true}}, "project": "p"})),
        &|var| (var == "HH_API_KEY").then(|| "h".into()),
    );
    assert_eq!(o.unwrap().common.api_key, "h");
}

#[test]
fn missing_api_key_and_project_say_how_to_fix() {
    let e = start(&opts(json!({"project": "p"})), &no_env).unwrap_err();
    assert_eq!(e, Error::MissingApiKey);
    assert!(e.message().contains("HH_API_KEY"));
    let e = start(&opts(json!({"apiKey": "k"})), &no_env).unwrap_err();
    assert_eq!(e, Error::MissingProject);
    assert!(e.message().contains("HH_PROJECT"));
}

#[test]
fn update_does_not_need_a_project() {
    let o = update(&opts(json!({"apiKey": "k", "eventId": ID})), &no_env).unwrap();
    assert_eq!(o.event_id, ID);
    assert_eq!(o.duration_ms, None);
}

#[test]
fn update_requires_a_uuid_event_id() {
    assert_eq!(
        update(&opts(json!({"apiKey": "k"})), &no_env).unwrap_err(),
        Error::MissingEventId
    );
    let e = update(&opts(json!({"apiKey": "k", "event_id": "nope"})), &no_env).unwrap_err();
    assert_eq!(
        e,
        Error::InvalidUuid {
            option: "eventId",
            value: "nope".into()
        }
    );
}

#[test]
fn start_session_id_must_be_a_uuid_when_given() {
    let base = json!({"apiKey": "k", "project": "p"});
    let mut given = base.clone();
    given["sessionId"] = json!(ID);
    assert_eq!(
        start(&opts(given), &no_env).unwrap().session_id.as_deref(),
        Some(ID)
    );
    let mut bad = base;
    bad["session_id"] = json!("abc");
    assert!(matches!(
        start(&opts(bad), &no_env),
        Err(Error::InvalidUuid {
            option: "sessionId",
            ..
        })
    ));
}

#[test]
fn log_defaults_event_type_to_tool_and_duration_to_10() {
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e"})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.event.event_type, EventType::Tool);
    assert_eq!(o.event.duration_ms, 10.0);
    assert_eq!(o.event.source, "dev");
    assert_eq!(o.event.session_id, None);
    assert_eq!(
        o.common.notes.len(),
        1,
        "verbose mode says a new session is used"
    );
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "durationMs": 0})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.event.duration_ms, 10.0);
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "event_name": "e", "duration_ms": 12.5})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.event.duration_ms, 12.5);
}

#[test]
fn log_event_type_is_case_insensitive() {
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": "MoDeL"})),
        &no_env,
    );
    assert_eq!(o.unwrap().event.event_type, EventType::Model);
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "event_type": "CHAIN"})),
        &no_env,
    );
    assert_eq!(o.unwrap().event.event_type, EventType::Chain);
}

#[test]
fn log_rejects_bad_event_type_listing_the_valid_ones() {
    let e = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": "llm"})),
        &no_env,
    )
    .unwrap_err();
    assert_eq!(e, Error::InvalidEventType("llm".into()));
    assert!(e.message().contains("model, tool, chain"));
    let e = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": ""})),
        &no_env,
    )
    .unwrap_err();
    assert_eq!(e, Error::InvalidEventType(String::new()));
}

#[test]
fn log_requires_an_event_name() {
    let e = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": ""})),
        &no_env,
    )
    .unwrap_err();
    assert_eq!(e, Error::MissingEventName);
}

#[test]
fn negative_or_non_finite_durations_are_rejected() {
    for d in [json!(-1), json!("10")] {
        let e = log(
            &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "durationMs": d})),
            &no_env,
        );
        assert!(matches!(
            e,
            Err(Error::InvalidOption {
                option: "durationMs",
                ..
            })
        ));
    }
    let e = update(
        &opts(json!({"apiKey": "k", "eventId": ID, "durationMs": -5})),
        &no_env,
    );
    assert!(matches!(
        e,
        Err(Error::InvalidOption {
            option: "durationMs",
            ..
        })
    ));
}

#[test]
fn of_several_bad_members_the_first_read_is_reported() {
    let bad = json!({"apiKey": "k", "project": "p", "eventName": "e", "sessionId": "nope", "inputs": 5, "metrics": "x"});
    assert_eq!(
        log(&opts(bad.clone()), &no_env).unwrap_err(),
        Error::InvalidUuid {
            option: "sessionId",
            value: "nope".into()
        }
    );
    assert_eq!(
        start(&opts(bad), &no_env).unwrap_err(),
        Error::InvalidUuid {
            option: "sessionId",
            value: "nope".into()
        }
    );
    let e = update(
        &opts(
            json!({"apiKey": "k", "eventId": ID, "feedback": [1], "metrics": "x", "durationMs": -1}),
        ),
        &no_env,
    );
    assert_eq!(
        e.unwrap_err(),
        Error::InvalidOption {
            option: "feedback",
            expected: "an object",
            found: "an array".into()
        }
    );
}

#[test]
fn payloads_must_be_objects() {
    let e = start(
        &opts(json!({"apiKey": "k", "project": "p", "inputs": [1, 2]})),
        &no_env,
    )
    .unwrap_err();
    assert_eq!(
        e,
        Error::InvalidOption {
            option: "inputs",
            expected: "an object",
            found: "an array".into()
        }
    );
    let e = start(
        &opts(json!({"apiKey": "k", "project": "p", "config": "x"})),
        &no_env,
    )
    .unwrap_err();
    assert!(e.message().contains("`config` must be an object"));
}

#[test]
fn options_must_be_an_object() {
    let e = start::<J>(&Given::call(Value::String("k".into())), &no_env).unwrap_err();
    assert_eq!(e, Error::NotAnObject { found: "a string" });
    let e = log::<J>(&Given::call(Value::Absent), &no_env).unwrap_err();
    assert_eq!(
        e,
        Error::NotAnObject {
            found: "undefined or null"
        }
    );
}

#[test]
fn server_url_must_be_http_and_loses_trailing_slashes() {
    let o = start(
        &opts(json!({"apiKey": "k", "project": "p", "serverUrl": "http://127.0.0.1:8080//"})),
        &no_env,
    );
    assert_eq!(o.unwrap().common.server_url, "http://127.0.0.1:8080");
    let e = start(
        &opts(json!({"apiKey": "k", "project": "p", "serverUrl": "ftp://x"})),
        &no_env,
    )
    .unwrap_err();
    assert_eq!(e, Error::InvalidServerUrl("ftp://x".into()));
}

#[test]
fn retry_options_are_validated() {
    let o = start(
        &opts(
            json!({"apiKey": "k", "project": "p", "maxRetries": 0, "timeout_ms": 250.5, "deadlineMs": 900}),
        ),
        &no_env,
    );
    assert_eq!(
        o.unwrap().common.retry,
        RetryPolicy {
            max_retries: 0,
            timeout_ms: 251,
            deadline_ms: Some(900)
        }
    );
    let bad_values = [
        json!({"maxRetries": -1}),
        json!({"maxRetries": 1.5}),
        json!({"maxRetries": 11}),
        json!({"timeoutMs": 0}),
        json!({"deadline_ms": 0}),
        json!({"deadlineMs": 600_001}),
    ];
    for bad in bad_values {
        let mut o = bad.clone();
        o["apiKey"] = json!("k");
        o["project"] = json!("p");
        assert!(
            matches!(start(&opts(o), &no_env), Err(Error::InvalidOption { .. })),
            "{bad}"
        );
    }
}

#[test]
fn verbose_is_read_leniently_first_and_strictly_later() {
    assert!(is_verbose(&opts(json!({"verbose": true}))));
    assert!(!is_verbose(&opts(json!({"verbose": "yes"}))));
    assert!(!is_verbose(&Given::call(Value::Number(1.0))));
    let e = start(
        &opts(json!({"apiKey": "k", "project": "p", "verbose": "yes"})),
        &no_env,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidOption {
            option: "verbose",
            ..
        }
    ));
}

#[test]
fn tls_options_leave_a_note_for_verbose_mode() {
    let o = start(
        &opts(json!({"apiKey": "k", "project": "p", "ca_bundle_path": "/x.pem"})),
        &no_env,
    )
    .unwrap();
    assert!(o
        .common
        .notes
        .iter()
        .any(|n| n.contains("NODE_EXTRA_CA_CERTS")));
    let o = start(&opts(json!({"apiKey": "k", "project": "p"})), &no_env).unwrap();
    assert!(o.common.notes.is_empty());
}

#[test]
fn api_key_hook_and_verbose_are_read_even_when_other_options_are_bad() {
    let secrets = |given: &Given<J>| lenient(given, &no_env).keys;
    let bad = opts(json!({
        "apiKey": "the-key", "eventId": "not-a-uuid", "inputs": 5, "verbose": true,
        "onError": {"function": "hears"}
    }));
    assert_eq!(secrets(&bad), ["the-key"]);
    let read = lenient(&bad, &no_env);
    assert!(read.verbose && read.on_error.is_some());
    assert_eq!(
        secrets(&opts(
            json!({"env": {"HH_API_KEY": "env-key"}, "ingestionApiKey": "ing-key"})
        )),
        ["env-key", "ing-key"]
    );
    assert!(secrets(&Given::call(Value::Number(1.0))).is_empty());
    // An `env` the reader refuses: the call's own key is still masked, and verbose as asked.
    let refused = opts(json!({"apiKey": "the-key", "env": 5, "verbose": true}));
    let read = lenient(&refused, &no_env);
    assert!(read.verbose);
    assert_eq!(read.keys, ["the-key"]);
    let unreadable = opts(json!({"apiKey": "the-key", "env": {"throws": "bad the-key"}}));
    assert_eq!(secrets(&unreadable), ["the-key"]);
}

#[test]
fn an_empty_string_lets_the_other_spelling_and_the_defaults_through() {
    let o = start(
        &opts(json!({"apiKey": "", "api_key": "snake-key", "project": "p"})),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.common.api_key, "snake-key");
    let o = start(
        &with_defaults(
            json!({"project": ""}),
            json!({"apiKey": "k-123", "project": "dp"}),
        ),
        &no_env,
    )
    .unwrap();
    assert_eq!(o.project.as_deref(), Some("dp"));
}

#[test]
fn an_api_key_that_cannot_be_a_header_is_refused_without_repeating_it() {
    for key in ["has space", "tab\tkey", "line\nbreak", "é-key"] {
        let e = start(&opts(json!({"apiKey": key, "project": "p"})), &no_env).unwrap_err();
        assert_eq!(e, Error::InvalidApiKey);
        assert!(!e.message().contains(key));
    }
}

#[test]
fn signal_must_be_an_abort_signal() {
    let o = start(
        &opts(json!({"apiKey": "k", "project": "p", "signal": {"aborted": false}})),
        &no_env,
    )
    .unwrap();
    assert!(o.common.signal.is_some());
    let e = start(
        &opts(json!({"apiKey": "k", "project": "p", "signal": {}})),
        &no_env,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidOption {
            option: "signal",
            ..
        }
    ));
}

#[test]
fn shorten_cuts_on_characters() {
    assert_eq!(shorten("héllo", 10), "héllo");
    assert_eq!(shorten("héllo", 2), "hé… (3 more bytes)");
}
