//! How a failure is reported: the verbose rejection and its printed lines, the failure codes,
//! the cut of a long server answer, and the API key masked in everything printed.

use super::*;
use crate::core::failure::Code;

#[test]
fn verbose_rejects_with_the_status_and_body() {
    let host = FakeHost::answering([status(404)]);
    let out = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": ID, "verbose": true})),
    ));
    let message = out.unwrap_err().message;
    assert!(
        message.starts_with("HoneyHive: failed to update event: The server answered HTTP 404. It does not know what the request names"),
        "{message}"
    );
    assert!(message.contains("status 404"), "{message}");
}

#[test]
fn verbose_prints_the_request_with_the_key_masked() {
    let host = FakeHost::answering([status(503), ok("{\"session_id\":\"s\"}")]);
    let out = run(start(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "verbose": true, "metadata": {"leak": KEY}})),
    ));
    assert_eq!(out, Ok(Some("s".into())));
    let printed = host.printed();
    assert!(
        printed[0]
            .1
            .starts_with("HoneyHive: POST https://api.honeyhive.ai/session/start"),
        "{printed:?}"
    );
    assert!(printed[0].1.contains("\"leak\":\"***\""), "{printed:?}");
    assert!(
        printed[1]
            .1
            .contains("attempt 1 failed (HTTP 503); retrying in 1050 ms"),
        "{printed:?}"
    );
    assert!(printed
        .iter()
        .all(|(stream, line)| *stream == Stream::Log && !line.contains(KEY)));
}

#[test]
fn the_key_is_masked_in_errors_that_echo_it() {
    let echo = Outcome::Answer(Answer {
        status: 400,
        retry_after: None,
        body: format!("bad key {KEY}"),
    });
    let host = FakeHost::answering([echo.clone()]);
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        message.contains("bad key ***") && !message.contains(KEY),
        "{message}"
    );
}

#[test]
fn the_key_is_masked_in_validation_errors_that_quote_it() {
    let host = FakeHost::default();
    let message = run(update(
        &host,
        &opts(json!({"apiKey": KEY, "eventId": KEY, "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        message.contains("\"***\"") && !message.contains(KEY),
        "{message}"
    );
}

#[test]
fn a_long_server_answer_is_cut_after_the_key_is_masked() {
    // The key straddles the 4 000th character of the message.
    let prefix = "HoneyHive: failed to log event: ".len()
        + Error::Http {
            status: 400,
            body: String::new(),
            key: "apiKey".into(),
        }
        .message()
        .len();
    let body = format!("{}{KEY}{}", "x".repeat(3_990 - prefix), "y".repeat(10_000));
    let host = FakeHost::answering([Outcome::Answer(Answer {
        status: 400,
        retry_after: None,
        body,
    })]);
    let message = run(log(
        &host,
        &opts(json!({"apiKey": KEY, "project": "p", "eventName": "n", "verbose": true})),
    ))
    .unwrap_err()
    .message;
    assert!(
        !message.contains(&KEY[..8]),
        "no part of the key survives the cut"
    );
    assert!(message.chars().count() < 4_100, "{}", message.len());
    assert!(
        message.contains("It refused the request as invalid; its answer names what"),
        "the fix comes before the server's answer"
    );
}

#[test]
fn a_missing_key_and_a_refused_connection_have_codes_of_their_own() {
    let host = FakeHost::default();
    let missing = run(log(
        &host,
        &opts(json!({"project": "p", "eventName": "n", "verbose": true})),
    ));
    assert_eq!(missing.unwrap_err().code, Code::MissingOption);
    let host = FakeHost::answering([Outcome::Network(format!(
        "connect ECONNREFUSED (key {KEY})"
    ))]);
    let call =
        json!({"apiKey": KEY, "project": "p", "eventName": "n", "maxRetries": 0, "verbose": true});
    let refused = run(log(&host, &opts(call))).unwrap_err();
    assert_eq!(
        (refused.code, refused.status, refused.retryable),
        (Code::Network, None, true)
    );
    assert_eq!(
        refused.cause.as_deref(),
        Some("connect ECONNREFUSED (key ***)"),
        "the cause, masked"
    );
}

#[test]
fn redact_masks_every_occurrence() {
    let redact_key = |text: &str, key: Option<&str>| {
        mask_keys(
            text,
            &key.map(str::to_string).into_iter().collect::<Vec<_>>(),
        )
    };
    assert_eq!(redact_key("a key1 b key1", Some("key1")), "a *** b ***");
    assert_eq!(redact_key("key1key1é key1", Some("key1")), "******é ***");
    assert_eq!(redact_key("ékey1", Some("key1")), "é***");
    assert_eq!(
        redact_key("getaddrinfo ENOTFOUND hh-abcd.invalid", Some("HH-AbCd")),
        "getaddrinfo ENOTFOUND ***.invalid",
        "any case"
    );
    assert_eq!(redact_key("É KEY1 é", Some("key1")), "É *** é");
    assert_eq!(
        redact_key("network error", Some("k")),
        "network error",
        "too short to be a key"
    );
    assert_eq!(redact_key("text", Some("")), "text");
    assert_eq!(redact_key("text", None), "text");
    assert_eq!(
        mask_keys("a key1 b key2", &["key1".into(), "key2".into()]),
        "a *** b ***",
        "every key"
    );
    assert_eq!(
        mask_keys("a key1-more", &["key1".into(), "key1-more".into()]),
        "a ***",
        "the longer key first"
    );
    assert_eq!(
        mask_keys("x abcdWXYZefgh y", &["abcdWXYZ".into(), "WXYZefgh".into()]),
        "x *** y",
        "overlapping keys leave nothing of either"
    );
    assert_eq!(
        mask_keys(
            "x WXYZefgh abcdWXYZ",
            &["abcdWXYZ".into(), "WXYZefgh".into()]
        ),
        "x *** ***"
    );
    assert_eq!(
        mask_keys(
            "abcdWXYZefghIJKL!",
            &["abcdWXYZ".into(), "WXYZefgh".into(), "efghIJKL".into()]
        ),
        "***!",
        "a chain of overlaps"
    );
}

#[test]
fn a_long_text_is_masked_as_far_as_it_shows() {
    use crate::core::report::{masked, MESSAGE_CHARS};
    let key = "hh-key-0123456789abcdefghij".to_string();
    let keys = [key.clone()];
    // A key that straddles the cut is masked whole: no part of it shows.
    for start in [0, MESSAGE_CHARS - 20, MESSAGE_CHARS - 1, MESSAGE_CHARS] {
        let text = format!("{}{key}{}", "a".repeat(start), "b".repeat(9_000));
        let shown = masked(&text, &keys);
        assert!(!shown.contains("hh-key"), "a key at {start} shows: {shown}");
        assert!(shown.chars().count() < MESSAGE_CHARS + 40, "cut");
    }
    // Keys past what shows change nothing of it, however many.
    let far = format!("{}{}", "c".repeat(10_000), key.repeat(1_000));
    assert!(masked(&far, &keys).starts_with(&"c".repeat(MESSAGE_CHARS)));
    assert!(!masked(&far, &keys).contains("hh-key"));
    // Masks that shorten the head bring later text into view: that text is masked too.
    let many = format!("{}{}", key.repeat(200), "d".repeat(10_000));
    assert!(!masked(&many, &keys).contains("hh-key"));
}
