//! Options read through several layers: a client's defaults under a call's, a batch's events
//! and full events over the batch and the client.

use super::*;

#[test]
fn a_call_s_options_win_over_the_client_s_defaults_in_either_spelling() {
    let given = with_defaults(
        json!({"api_key": "call-key", "eventName": "e"}),
        json!({"apiKey": "default-key", "project": "dp", "source": "ds", "verbose": true}),
    );
    let o = log(&given, &no_env).unwrap();
    assert_eq!(
        o.common.api_key, "call-key",
        "the call's snake_case beats the default's camelCase"
    );
    assert_eq!(
        (
            o.event.project.as_deref().unwrap_or_default(),
            o.event.source.as_str()
        ),
        ("dp", "ds")
    );
    assert!(o.common.verbose && is_verbose(&given));
    let quiet = with_defaults(json!({"verbose": false}), json!({"verbose": true}));
    assert!(!is_verbose(&quiet), "the call's verbose: false wins");
    let e = log(
        &Given {
            call: Value::Object(json!({})),
            defaults: Value::String("x".into()),
        },
        &no_env,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidOption {
            option: "defaults",
            ..
        }
    ));
}

#[test]
fn the_env_option_may_come_from_the_client() {
    let given = with_defaults(
        json!({"eventName": "e"}),
        json!({"env": {"HH_API_KEY": "env-key", "HH_PROJECT": "env-p"}}),
    );
    let o = log(&given, &no_env).unwrap();
    assert_eq!(
        (
            o.common.api_key.as_str(),
            o.event.project.as_deref().unwrap_or_default()
        ),
        ("env-key", "env-p")
    );
}

#[test]
fn full_events_carry_ids_times_and_extra_payloads() {
    let o = log(
        &opts(json!({"apiKey": "k", "project": "p", "eventName": "e", "eventId": ID, "parentId": ID,
            "childrenIds": [ID], "error": "boom", "startTime": 1000, "endTime": 1250, "feedback": {"f": 1},
            "metrics": {"m": 2}, "userProperties": {"u": 3}})),
        &no_env,
    )
    .unwrap();
    let e = o.event;
    assert_eq!(
        (e.event_id.as_deref(), e.parent_id.as_deref()),
        (Some(ID), Some(ID))
    );
    assert_eq!(e.children_ids, Some(vec![ID.to_string()]));
    assert_eq!(e.error.as_deref(), Some("boom"));
    assert_eq!(
        (e.start_time, e.end_time, e.duration_ms),
        (Some(1000.0), Some(1250.0), 250.0),
        "duration from start and end"
    );
    assert_eq!(
        (e.feedback, e.metrics, e.user_properties),
        (
            Some(json!({"f": 1})),
            Some(json!({"m": 2})),
            Some(json!({"u": 3}))
        )
    );
}

#[test]
fn an_explicit_duration_wins_over_start_and_end() {
    let o = log(
        &opts(
            json!({"apiKey": "k", "project": "p", "eventName": "e", "startTime": 0, "end_time": 50, "durationMs": 7}),
        ),
        &no_env,
    );
    assert_eq!(o.unwrap().event.duration_ms, 7.0);
}

#[test]
fn bad_full_event_options_are_refused() {
    let base = json!({"apiKey": "k", "project": "p", "eventName": "e"});
    for (key, value) in [
        ("endTime", json!(-1)),
        ("parentId", json!("x")),
        ("childrenIds", json!(["x"])),
        ("childrenIds", json!("x")),
        ("error", json!(5)),
        ("eventId", json!("nope")),
    ] {
        let mut o = base.clone();
        o[key] = value.clone();
        assert!(log(&opts(o), &no_env).is_err(), "{key} = {value}");
    }
    let mut o = base;
    o["startTime"] = json!(100);
    o["endTime"] = json!(50);
    assert!(matches!(
        log(&opts(o), &no_env),
        Err(Error::InvalidOption {
            option: "endTime",
            ..
        })
    ));
}

#[test]
fn a_batch_s_events_fall_back_to_the_batch_then_the_client() {
    let given = with_defaults(
        json!({"source": "batch-src", "sessionId": ID, "isSingleSession": true, "sessionProperties": {"session_name": "s"},
            "events": [{"eventName": "a"}, {"event_name": "b", "project": "own", "eventType": "model"}]}),
        json!({"apiKey": "k", "project": "client-p"}),
    );
    let o = batch(&given, &no_env).unwrap();
    assert_eq!(o.events.len(), 2);
    assert_eq!(
        (
            o.events[0].project.as_deref().unwrap_or_default(),
            o.events[0].source.as_str()
        ),
        ("client-p", "batch-src")
    );
    assert_eq!(
        (
            o.events[1].project.as_deref().unwrap_or_default(),
            o.events[1].event_type
        ),
        ("own", EventType::Model)
    );
    assert_eq!(
        o.events[0].session_id.as_deref(),
        Some(ID),
        "the batch's sessionId reads as each event's"
    );
    assert_eq!(
        (o.is_single_session, o.session_properties),
        (Some(true), Some(json!({"session_name": "s"})))
    );
}

#[test]
fn a_bad_event_is_named_by_its_index() {
    let e = batch(
        &opts(
            json!({"apiKey": "k", "project": "p", "events": [{"eventName": "a"}, {"eventType": "x"}]}),
        ),
        &no_env,
    );
    let e = e.unwrap_err();
    assert_eq!(
        e,
        Error::InEvent {
            index: 1,
            error: Box::new(Error::MissingEventName)
        }
    );
    assert!(e
        .message()
        .starts_with("Event 1 of the batch: Event name is required"));
    let e = batch(
        &opts(json!({"apiKey": "k", "project": "p", "events": [1]})),
        &no_env,
    )
    .unwrap_err();
    assert!(matches!(e, Error::InEvent { index: 0, .. }));
}

#[test]
fn a_batch_needs_events() {
    for events in [json!(null), json!([])] {
        let e = batch(
            &opts(json!({"apiKey": "k", "project": "p", "events": events})),
            &no_env,
        );
        assert_eq!(e.unwrap_err(), Error::MissingEvents);
    }
    let e = batch(
        &opts(json!({"apiKey": "k", "project": "p", "events": {"a": 1}})),
        &no_env,
    )
    .unwrap_err();
    assert!(matches!(
        e,
        Error::InvalidOption {
            option: "events",
            ..
        }
    ));
}
