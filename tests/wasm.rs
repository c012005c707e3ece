//! The JS host under a real JS engine (Node, via wasm-bindgen-test-runner): how a caller's JS
//! values are read (the snapshot of src/npm/host.js, parsed by the core), how bodies are
//! serialised with their payloads, the host's clock, randomness, env, sleep and fetch.
#![cfg(target_arch = "wasm32")]

use honeyhive_logger_wasm::core::error::Error;
use honeyhive_logger_wasm::core::host::{Host, HttpRequest};
use honeyhive_logger_wasm::core::options::Given;
use honeyhive_logger_wasm::core::request::{Json, Method};
use honeyhive_logger_wasm::core::snapshot::Snap;
use honeyhive_logger_wasm::core::value::{Object, Value};
use honeyhive_logger_wasm::wasm::js::JsHost;
use honeyhive_logger_wasm::wasm::task;
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// Evaluates a JS expression.
fn js(expr: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expr});"))
        .call0(&JsValue::NULL)
        .unwrap()
}

/// A call's host and options, from JS expressions for the options and the defaults.
fn call(opts: &str, defaults: &str) -> (JsHost, Given<Snap>) {
    let (host, read) = JsHost::call(&js(opts), &js(defaults), None);
    (host, read.options)
}

/// Runs an exported call with the `done(ok, value)` of a promise made in JS, drives it as
/// src/npm/calls.js does (each promise it waits for settles as `[task, ok, value]`, which
/// `resume` takes), and awaits that promise.
async fn settled(call: impl FnOnce(task::Done) -> JsValue) -> Result<JsValue, JsValue> {
    let deferred = js("(() => { let done; const promise = new Promise((resolve, reject) => { \
        done = (ok, value) => (ok ? resolve(value) : reject(value)); }); return { promise, done }; })()");
    let mut waiting = call(Reflect::get(&deferred, &"done".into()).unwrap().into());
    while !waiting.is_undefined() {
        let next = js_sys::Array::from(
            &JsFuture::from(js_sys::Promise::from(waiting))
                .await
                .unwrap(),
        );
        waiting = task::resume(
            next.get(0).as_f64().unwrap() as u32,
            next.get(1).as_bool().unwrap(),
            next.get(2),
        );
    }
    JsFuture::from(js_sys::Promise::from(
        Reflect::get(&deferred, &"promise".into()).unwrap(),
    ))
    .await
}

/// Runs `future` as the package runs a call (src/wasm/task.rs): what awaits the host works only there.
async fn in_task(
    future: impl core::future::Future<Output = Result<JsValue, JsValue>> + 'static,
) -> Result<JsValue, JsValue> {
    settled(|done| task::spawn(Box::pin(future), done)).await
}

/// The call's options object, as the core sees it.
fn options(opts: &str) -> Snap {
    match call(opts, "undefined").1.call {
        Value::Object(snap) => snap,
        other => panic!("not an object: {other:?}"),
    }
}

/// The kind the core sees for `apiKey: <expr>`.
fn kind(expr: &str) -> Value<Snap> {
    options(&format!("{{ apiKey: {expr} }}"))
        .get("apiKey")
        .unwrap()
}

#[wasm_bindgen_test]
fn every_kind_of_js_value_is_sorted() {
    assert_eq!(kind("undefined"), Value::Absent);
    assert_eq!(kind("null"), Value::Absent);
    assert_eq!(kind("true"), Value::Bool(true));
    assert_eq!(kind("1.5"), Value::Number(1.5));
    assert_eq!(kind("-0"), Value::Number(-0.0));
    assert!(matches!(kind("NaN"), Value::Number(n) if n.is_nan()));
    assert_eq!(kind("Infinity"), Value::Number(f64::INFINITY));
    assert_eq!(kind("'s'"), Value::String("s".into()));
    assert_eq!(
        kind("'é😀\\u0000:s3:'"),
        Value::String("é😀\u{0}:s3:".into())
    );
    assert_eq!(
        kind("'\\ud800'"),
        Value::String("\u{fffd}".into()),
        "a lone surrogate, as TextEncoder makes it"
    );
    assert_eq!(kind("10n"), Value::Other("a BigInt"));
    assert_eq!(kind("Symbol('s')"), Value::Other("a Symbol"));
    assert!(
        matches!(kind("() => 1"), Value::Function(_)),
        "a function is a hook"
    );
    assert_eq!(kind("[1]"), Value::Other("an array"));
    let revoked = "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()";
    assert_eq!(kind(revoked), Value::Other("a revoked Proxy"));
    assert!(matches!(kind("{a: 1}"), Value::Object(_)));
    assert!(matches!(kind("new Map()"), Value::Object(_)));
    assert!(matches!(
        call(revoked, "undefined").1.call,
        Value::Other("a revoked Proxy")
    ));
    assert_eq!(call("undefined", "undefined").1, Given::call(Value::Absent));
}

#[wasm_bindgen_test]
fn reading_a_throwing_getter_is_an_error_not_a_trap() {
    let o = options("{ get apiKey() { throw new Error('boom') }, project: 'p' }");
    assert_eq!(
        o.get("apiKey"),
        Err(Error::Unreadable {
            option: "apiKey",
            reason: "boom".into()
        })
    );
    assert_eq!(
        o.get("project"),
        Ok(Value::String("p".into())),
        "the other members are read"
    );
    let proxy = options("new Proxy({}, { get() { throw new TypeError('trap') } })");
    assert!(matches!(
        proxy.get("project"),
        Err(Error::Unreadable { .. })
    ));
    let thrown_string = options("{ get apiKey() { throw 'plain' } }");
    assert_eq!(
        thrown_string.get("apiKey"),
        Err(Error::Unreadable {
            option: "apiKey",
            reason: "plain".into()
        })
    );
}

#[wasm_bindgen_test]
fn only_the_tables_names_are_read_never_a_payload_s_members() {
    let o = options(
        "{ apiKey: 'k', unknownOption: 'x', get other() { throw new Error('never read') } }",
    );
    assert_eq!(o.get("apiKey"), Ok(Value::String("k".into())));
    let counted = js("(() => { const seen = []; const p = new Proxy({ inputs: { big: 1 } }, { get(t, k) { seen.push(k); return t[k] } }); globalThis.__seen = seen; return p })()");
    let _ = JsHost::call(&counted, &JsValue::UNDEFINED, None);
    let seen = js("globalThis.__seen.join(' ')").as_string().unwrap();
    assert!(seen.contains("apiKey") && seen.contains("inputs"), "{seen}");
    assert!(
        !seen.contains("big"),
        "a payload's members are never read: {seen}"
    );
}

#[wasm_bindgen_test]
fn env_defaults_and_events_are_read_with_their_own_names() {
    let (_, given) = call(
        "{ env: { HH_API_KEY: 'e', HH_PROJECT: 5, apiKey: 'not an env name' }, events: [{ eventName: 'a' }, 'x', null] }",
        "{ project: 'd' }",
    );
    let Value::Object(o) = given.call else {
        panic!()
    };
    let Ok(Value::Object(env)) = o.get("env") else {
        panic!()
    };
    assert_eq!(env.get("HH_API_KEY"), Ok(Value::String("e".into())));
    assert_eq!(env.get("HH_PROJECT"), Ok(Value::Number(5.0)));
    let items = o.items("events").unwrap().unwrap();
    assert_eq!(items.len(), 3);
    let Value::Object(first) = &items[0] else {
        panic!()
    };
    assert_eq!(first.get("eventName"), Ok(Value::String("a".into())));
    assert_eq!(items[1], Value::String("x".into()));
    assert_eq!(items[2], Value::Absent);
    let Value::Object(defaults) = given.defaults else {
        panic!()
    };
    assert_eq!(defaults.get("project"), Ok(Value::String("d".into())));
    let throwing = options("{ get events() { throw new Error('no') } }");
    assert!(matches!(
        throwing.items("events"),
        Err(Error::Unreadable { .. })
    ));
    let long =
        options("{ childrenIds: new Proxy([], { get: (t, k) => (k === 'length' ? 1e9 : t[k]) }) }");
    assert!(
        matches!(long.items("childrenIds"), Err(Error::InvalidOption { .. })),
        "{:?}",
        long.items("childrenIds")
    );
    let text = options("{ events: 's' }");
    assert!(matches!(
        text.items("events"),
        Err(Error::InvalidOption {
            option: "events",
            ..
        })
    ));
}

#[wasm_bindgen_test]
fn abort_signals_are_recognised() {
    let is_signal = |expr: &str| matches!(kind(expr), Value::Object(o) if o.is_abort_signal());
    assert!(is_signal("AbortSignal.abort()"));
    assert!(is_signal("new AbortController().signal"));
    assert!(!is_signal("{ aborted: false }"));
    assert!(
        !is_signal("Object.create(AbortSignal.prototype)"),
        "a fake whose getters throw"
    );
    assert!(!is_signal(
        "new Proxy({}, { getPrototypeOf() { throw new Error('trap') } })"
    ));
}

/// The payload `inputs` of a call made with `opts`, in a body.
fn serialized(opts: &str) -> Result<String, Error> {
    let (host, given) = call(opts, "undefined");
    let Value::Object(o) = given.call else {
        panic!()
    };
    let Ok(Value::Object(inputs)) = o.get("inputs") else {
        panic!()
    };
    let body = Json::Object(vec![
        (
            "event",
            Json::Object(vec![
                ("name", Json::Str("é\"\n".into())),
                ("n", Json::Num(10.0)),
                ("f", Json::Num(0.1)),
                ("big", Json::Num(1e21)),
            ]),
        ),
        ("inputs", Json::Payload(inputs)),
    ]);
    let serialized = host.serialize(&body)?;
    Ok(host.body_text(&serialized, 1000))
}

#[wasm_bindgen_test]
fn serialize_writes_the_core_s_json_with_the_payloads_untouched() {
    let text =
        serialized("{ inputs: { b: [1, 'x', null], nested: { deep: true }, s: '\\0p0\\0' } }")
            .unwrap();
    assert_eq!(
        text,
        r#"{"event":{"name":"é\"\n","n":10,"f":0.1,"big":1e+21},"inputs":{"b":[1,"x",null],"nested":{"deep":true},"s":"\u0000p0\u0000"}}"#
    );
    let (host, _) = call("{}", "undefined");
    let body = host
        .serialize(&Json::Object(vec![("a", Json::Str("é".into()))]))
        .unwrap();
    assert_eq!(host.body_text(&body, 3), r#"{"a"#, "only the head crosses");
    assert_eq!(host.body_bytes(&body), 10, "UTF-8 bytes: é counts 2");
}

#[wasm_bindgen_test]
fn a_payload_s_to_json_sees_its_key_and_may_leave_the_member_out() {
    // As JSON.stringify of the whole body would.
    let (host, given) = call(
        "{ inputs: { toJSON: (key) => ({ key }) }, outputs: { toJSON: () => undefined } }",
        "undefined",
    );
    let Value::Object(o) = given.call else {
        panic!()
    };
    let (Ok(Value::Object(inputs)), Ok(Value::Object(outputs))) =
        (o.get("inputs"), o.get("outputs"))
    else {
        panic!()
    };
    let text = |body: Json<Snap>| host.body_text(&host.serialize(&body).unwrap(), 1000);
    let last = Json::Object(vec![
        ("a", Json::Str("x".into())),
        ("inputs", Json::Payload(inputs.clone())),
        ("outputs", Json::Payload(outputs.clone())),
    ]);
    assert_eq!(text(last), r#"{"a":"x","inputs":{"key":"inputs"}}"#);
    let first = Json::Object(vec![
        ("outputs", Json::Payload(outputs.clone())),
        ("b", Json::Num(1.0)),
    ]);
    assert_eq!(text(first), r#"{"b":1}"#);
    let alone = Json::Object(vec![("outputs", Json::Payload(outputs))]);
    assert_eq!(text(alone), "{}");
}

#[wasm_bindgen_test]
fn events_that_hold_themselves_are_read_once() {
    // An event is read without `events` of its own: no recursion, however the objects link.
    let (_, given) = call(
        "(() => { const o = { apiKey: 'k' }; o.events = [o, o]; o.env = o; return o })()",
        "undefined",
    );
    let Value::Object(o) = given.call else {
        panic!()
    };
    let events = o.items("events").unwrap().unwrap();
    assert_eq!(events.len(), 2);
    let Value::Object(event) = &events[0] else {
        panic!()
    };
    assert_eq!(event.get("apiKey"), Ok(Value::String("k".into())));
    assert_eq!(event.items("events"), Ok(None));
    assert_eq!(event.get("env"), Ok(Value::Absent));
}

#[wasm_bindgen_test]
fn serialize_reports_cycles_and_bigints() {
    for payload in ["(() => { const o = {}; o.o = o; return o })()", "{ n: 1n }"] {
        assert!(
            matches!(
                serialized(&format!("{{ inputs: {payload} }}")),
                Err(Error::NotSerializable(_))
            ),
            "{payload}"
        );
    }
}

/// A host with nothing held.
fn host() -> JsHost {
    call("{}", "undefined").0
}

#[wasm_bindgen_test]
fn random_bytes_come_from_crypto() {
    let a = host().random_bytes().unwrap();
    let b = host().random_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0; 16]);
}

#[wasm_bindgen_test]
fn clock_and_jitter_come_from_the_host() {
    let now = host().now_ms();
    assert!(now > 1.7e12, "{now}");
    let j = host().jitter();
    assert!((0.0..1.0).contains(&j));
}

#[wasm_bindgen_test]
fn env_vars_come_from_process_env() {
    let env = js("process.env");
    Reflect::set(&env, &"HH_WASM_TEST".into(), &"from-process".into()).unwrap();
    assert_eq!(host().env_var("HH_WASM_TEST"), Some("from-process".into()));
    assert_eq!(host().env_var("HH_WASM_TEST_UNSET_VARIABLE"), None);
}

#[wasm_bindgen_test]
async fn sleep_waits_and_an_abort_cuts_it_short() {
    // How long a sleep took, in ms, or -1 when it was aborted.
    let slept = |ms: u64, signal: bool| async move {
        let (host, given) = call("{ signal: (() => { const c = new AbortController(); setTimeout(() => c.abort(), 20); return c.signal })() }", "undefined");
        let Value::Object(o) = given.call else {
            panic!()
        };
        let Ok(Value::Object(signal_at)) = o.get("signal") else {
            panic!()
        };
        let began = host.now_ms();
        let result = host.sleep(ms, signal.then_some(&signal_at)).await;
        Ok(JsValue::from_f64(match result {
            Ok(()) => host.now_ms() - began,
            Err(error) => {
                assert_eq!(error, Error::Aborted);
                -(host.now_ms() - began) - 1.0
            }
        }))
    };
    let waited = in_task(slept(30, false)).await.unwrap().as_f64().unwrap();
    assert!(waited >= 25.0, "{waited}");
    // Aborted at 20 ms: ending anywhere near the 60 s sleep would mean the abort was missed.
    let aborted = in_task(slept(60_000, true))
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(aborted < 0.0 && -aborted - 1.0 < 20_000.0, "{aborted}");
}

#[wasm_bindgen_test]
async fn fetch_to_a_closed_port_is_a_network_error_that_names_its_cause() {
    // Port 0 refuses every connection (not port 9, which fetch forbids without trying: "bad port").
    let outcome = in_task(async {
        let host = host();
        let body = host.serialize(&Json::Object(vec![])).unwrap();
        let request = HttpRequest {
            method: Method::Post,
            url: "http://127.0.0.1:0/events",
            authorization: "Bearer k",
            body: &body,
        };
        Ok(JsValue::from_str(&format!(
            "{:?}",
            host.fetch(&request, 30_000, None).await
        )))
    })
    .await
    .unwrap()
    .as_string()
    .unwrap();
    assert!(
        outcome.starts_with("Network(") && outcome.contains("ECONNREFUSED"),
        "{outcome}"
    );
}

#[wasm_bindgen_test]
async fn awaiting_the_host_outside_a_task_fails_instead_of_hanging() {
    let outside = task::Settled::of(task::Promise::from(js("Promise.resolve(1)"))).await;
    let message = Reflect::get(&outside.unwrap_err(), &"message".into())
        .unwrap()
        .as_string();
    assert_eq!(
        message.as_deref(),
        Some("awaited outside the logger's tasks")
    );
}

#[wasm_bindgen_test]
async fn exported_calls_never_trap_on_bad_arguments() {
    for bad in ["'text'", "10n", "Symbol('s')", "null", "[1]", "() => 1"] {
        use honeyhive_logger_wasm::wasm::js::{log, log_batch, send_trace, start, update};
        assert_eq!(
            settled(|done| start(js(bad), JsValue::UNDEFINED, done)).await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|done| log(js(bad), JsValue::UNDEFINED, done)).await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|done| log_batch(js(bad), JsValue::UNDEFINED, done)).await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|done| log(js("{}"), js(bad), done)).await,
            Ok(JsValue::NULL),
            "defaults {bad}"
        );
        assert_eq!(
            settled(|done| update(js(bad), JsValue::UNDEFINED, done)).await,
            Ok(JsValue::UNDEFINED),
            "{bad}"
        );
        assert_eq!(
            settled(|done| send_trace(js(bad), JsValue::UNDEFINED, js(bad), done)).await,
            Ok(JsValue::NULL),
            "trace {bad}"
        );
        assert_eq!(
            settled(|done| send_trace(
                js("{}"),
                JsValue::UNDEFINED,
                js(&format!("{{ spans: [{bad}] }}")),
                done
            ))
            .await,
            Ok(JsValue::NULL),
            "span {bad}"
        );
    }
    let verbose = settled(|done| {
        honeyhive_logger_wasm::wasm::js::log(
            js("{ verbose: true, apiKey: 'key-1234', project: 'p' }"),
            JsValue::UNDEFINED,
            done,
        )
    })
    .await;
    let message = Reflect::get(&verbose.unwrap_err(), &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("Event name is required"), "{message}");
}

/// The allocator (src/wasm/heap.rs) reuses what it freed: blocks growing to 4 MB, each freed before
/// the next, take about twice the largest, not the sum of them all (rlsf's debug checks run
/// here too: this is a debug build).
#[wasm_bindgen_test]
fn growing_blocks_reuse_the_memory_freed() {
    const PAGE: usize = 65_536;
    let before = core::arch::wasm32::memory_size(0) * PAGE;
    let mut size = 128 * 1024;
    while size <= 4 * 1024 * 1024 {
        let block = vec![1u8; size];
        assert_eq!(block.iter().map(|&b| usize::from(b)).sum::<usize>(), size);
        size += 128 * 1024;
    }
    let grown = core::arch::wasm32::memory_size(0) * PAGE - before;
    assert!(
        grown >= 4 * 1024 * 1024 - 2 * PAGE,
        "the blocks were allocated: grew {grown} bytes"
    );
    assert!(
        grown <= 16 * 1024 * 1024,
        "grew {grown} bytes for blocks of at most 4 MB (the sum would be 66 MB)"
    );
}

/// A server's answer is read by the runtime's JSON.parse and crosses as a snapshot of the
/// members the core reads (src/core/api.rs ANSWER_NAMES).
#[wasm_bindgen_test]
fn answers_are_read_with_the_runtime_s_json_parse() {
    let host = host();
    let text = r#" {"event_id":"a\"b\u00e9\ud83d\ude00\ud800x","n":-1.5e+3,"ok":true,"z":null,
        "event_ids":["x",1,"y",{"a":[]}],"errors":"not a list","nested":{"a":[[],{}]}} "#;
    let answer = host.parse_answer(text).unwrap();
    assert_eq!(
        answer.get("event_id"),
        Ok(Value::String("a\"bé😀\u{fffd}x".into())),
        "escapes decoded, a lone surrogate replaced"
    );
    let Ok(Some(ids)) = answer.items("event_ids") else {
        panic!("event_ids")
    };
    assert_eq!(
        ids[..3],
        [
            Value::String("x".into()),
            Value::Number(1.0),
            Value::String("y".into())
        ]
    );
    assert!(matches!(ids[3], Value::Object(_)));
    assert!(
        answer.items("errors").is_err(),
        "a string where an array belongs"
    );
    assert_eq!(answer.get("session_id"), Ok(Value::Absent));
    let last = host
        .parse_answer(r#"{"event_id":1,"event_id":"last"}"#)
        .unwrap();
    assert_eq!(
        last.get("event_id"),
        Ok(Value::String("last".into())),
        "the last of a duplicate key, as JSON.parse keeps"
    );
    let deep = "[".repeat(100) + &"]".repeat(100);
    for not_an_object in [
        "", "{", "{\"a\"}", "[1,]", "<html>", "{} x", "null", "1", "\"text\"", "[1]", &deep,
    ] {
        assert!(
            host.parse_answer(not_an_object).is_none(),
            "{not_an_object:?}"
        );
    }
}
