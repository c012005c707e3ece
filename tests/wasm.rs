//! The JS host under a real JS engine (Node, via wasm-bindgen-test-runner): how JS values are
//! sorted, read and serialised, the host's clock, randomness, env, sleep and fetch.
#![cfg(target_arch = "wasm32")]

use honeyhive_logger_wasm::error::Error;
use honeyhive_logger_wasm::host::{Host, HttpRequest};
use honeyhive_logger_wasm::js::{classify, JsHost};
use honeyhive_logger_wasm::request::{Json, Method};
use honeyhive_logger_wasm::retry::Outcome;
use honeyhive_logger_wasm::value::{Object, Value};
use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// Evaluates a JS expression.
fn js(expr: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expr});")).call0(&JsValue::NULL).unwrap()
}

#[wasm_bindgen_test]
fn classify_sorts_every_kind_of_js_value() {
    assert_eq!(classify(JsValue::UNDEFINED), Value::Absent);
    assert_eq!(classify(JsValue::NULL), Value::Absent);
    assert_eq!(classify(js("true")), Value::Bool(true));
    assert_eq!(classify(js("1.5")), Value::Number(1.5));
    assert!(matches!(classify(js("NaN")), Value::Number(n) if n.is_nan()));
    assert_eq!(classify(js("'s'")), Value::String("s".into()));
    assert_eq!(classify(js("10n")), Value::Other("a BigInt"));
    assert_eq!(classify(js("Symbol('s')")), Value::Other("a Symbol"));
    assert_eq!(classify(js("() => 1")), Value::Other("a function"));
    assert_eq!(classify(js("[1]")), Value::Other("an array"));
    let revoked = js("(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()");
    assert_eq!(classify(revoked), Value::Other("a revoked Proxy"));
    assert!(matches!(classify(js("{a: 1}")), Value::Object(_)));
    assert!(matches!(classify(js("new Map()")), Value::Object(_)));
}

#[wasm_bindgen_test]
fn reading_a_throwing_getter_is_an_error_not_a_trap() {
    let o = js("{ get apiKey() { throw new Error('boom') } }");
    assert_eq!(o.get("apiKey"), Err(Error::Unreadable { option: "apiKey", reason: "boom".into() }));
    let proxy = js("new Proxy({}, { get() { throw new TypeError('trap') } })");
    assert!(matches!(proxy.get("project"), Err(Error::Unreadable { .. })));
}

#[wasm_bindgen_test]
fn abort_signals_are_recognised() {
    assert!(js("AbortSignal.abort()").is_abort_signal());
    assert!(js("new AbortController().signal").is_abort_signal());
    assert!(!js("{ aborted: false }").is_abort_signal());
    assert!(!js("Object.create(AbortSignal.prototype)").is_abort_signal(), "a fake whose getters throw");
    assert!(!js("new Proxy({}, { getPrototypeOf() { throw new Error('trap') } })").is_abort_signal());
}

#[wasm_bindgen_test]
fn serialize_is_one_json_stringify_with_payloads_untouched() {
    let body = Json::Object(vec![
        ("event", Json::Object(vec![("name", Json::Str("é\"".into())), ("n", Json::Num(10.0))])),
        ("inputs", Json::Payload(js("{ b: [1, 'x', null], nested: { deep: true } }"))),
    ]);
    let serialized = JsHost.serialize(&body).unwrap();
    let text = JsHost.body_text(&serialized, 1000);
    assert_eq!(text, r#"{"event":{"name":"é\"","n":10},"inputs":{"b":[1,"x",null],"nested":{"deep":true}}}"#);
    assert_eq!(JsHost.body_text(&serialized, 5), r#"{"eve"#, "only the head crosses");
    assert_eq!(JsHost.body_bytes(&serialized), text.len(), "UTF-8 bytes: é counts 2");
}

#[wasm_bindgen_test]
fn serialize_reports_cycles_and_bigints() {
    for payload in ["(() => { const o = {}; o.o = o; return o })()", "{ n: 1n }"] {
        let body = Json::Object(vec![("inputs", Json::Payload(js(payload)))]);
        assert!(matches!(JsHost.serialize(&body), Err(Error::NotSerializable(_))), "{payload}");
    }
}

#[wasm_bindgen_test]
fn random_bytes_come_from_crypto() {
    let a = JsHost.random_bytes().unwrap();
    let b = JsHost.random_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0; 16]);
}

#[wasm_bindgen_test]
fn clock_and_jitter_come_from_the_host() {
    let now = JsHost.now_ms();
    assert!(now > 1.7e12, "{now}");
    let j = JsHost.jitter();
    assert!((0.0..1.0).contains(&j));
}

#[wasm_bindgen_test]
fn env_vars_come_from_process_env() {
    let env = js("process.env");
    Reflect::set(&env, &"HH_WASM_TEST".into(), &"from-process".into()).unwrap();
    assert_eq!(JsHost.env_var("HH_WASM_TEST"), Some("from-process".into()));
    assert_eq!(JsHost.env_var("HH_WASM_TEST_UNSET_VARIABLE"), None);
}

#[wasm_bindgen_test]
fn arrays_are_read_item_by_item() {
    let o = js("{ events: [{ a: 1 }, 'x', null], none: null, text: 's' }");
    let items = o.items("events").unwrap().unwrap();
    assert_eq!(items.len(), 3);
    assert!(matches!(items[0], Value::Object(_)));
    assert_eq!(items[1], Value::String("x".into()));
    assert_eq!(items[2], Value::Absent);
    assert_eq!(o.items("none"), Ok(None));
    assert!(matches!(o.items("text"), Err(Error::InvalidOption { option: "text", .. })));
    let throwing = js("{ get events() { throw new Error('no') } }");
    assert!(matches!(throwing.items("events"), Err(Error::Unreadable { .. })));
}

#[wasm_bindgen_test]
fn json_answers_are_parsed_by_the_host() {
    let answer = JsHost.parse_json(r#"{"session_id":"s"}"#).unwrap();
    assert_eq!(answer.get("session_id"), Ok(Value::String("s".into())));
    assert!(JsHost.parse_json("{oops").is_none());
    assert!(JsHost.parse_json("5").is_none());
}

#[wasm_bindgen_test]
async fn sleep_waits_and_an_abort_cuts_it_short() {
    let began = JsHost.now_ms();
    assert_eq!(JsHost.sleep(30, None).await, Ok(()));
    assert!(JsHost.now_ms() - began >= 25.0);
    let controller = js("(() => { const c = new AbortController(); setTimeout(() => c.abort(), 20); return c })()");
    let signal = Reflect::get(&controller, &"signal".into()).unwrap();
    let began = JsHost.now_ms();
    // Aborted at 20 ms: ending anywhere near the 60 s sleep would mean the abort was missed.
    assert_eq!(JsHost.sleep(60_000, Some(&signal)).await, Err(Error::Aborted));
    assert!(JsHost.now_ms() - began < 20_000.0);
}

#[wasm_bindgen_test]
async fn fetch_to_a_closed_port_is_a_network_error_that_names_its_cause() {
    // Port 0 refuses every connection (not port 9, which fetch forbids without trying: "bad port").
    let body = JsHost.serialize(&Json::Object(vec![])).unwrap();
    let request = HttpRequest { method: Method::Post, url: "http://127.0.0.1:0/events", authorization: "Bearer k", body: &body };
    let outcome = JsHost.fetch(&request, 30_000, None).await;
    assert!(matches!(&outcome, Outcome::Network(reason) if reason.contains("ECONNREFUSED")), "{outcome:?}");
}

#[wasm_bindgen_test]
async fn exported_calls_never_trap_on_bad_arguments() {
    for bad in ["'text'", "10n", "Symbol('s')", "null", "[1]", "() => 1"] {
        assert_eq!(JsFuture::from(honeyhive_logger_wasm::js::start(js(bad), JsValue::UNDEFINED)).await, Ok(JsValue::NULL), "{bad}");
        assert_eq!(JsFuture::from(honeyhive_logger_wasm::js::log(js(bad), JsValue::UNDEFINED)).await, Ok(JsValue::NULL), "{bad}");
        assert_eq!(JsFuture::from(honeyhive_logger_wasm::js::log_batch(js(bad), JsValue::UNDEFINED)).await, Ok(JsValue::NULL), "{bad}");
        assert_eq!(JsFuture::from(honeyhive_logger_wasm::js::log(js("{}"), js(bad))).await, Ok(JsValue::NULL), "defaults {bad}");
        assert_eq!(JsFuture::from(honeyhive_logger_wasm::js::update(js(bad), JsValue::UNDEFINED)).await, Ok(JsValue::UNDEFINED), "{bad}");
    }
    let verbose = JsFuture::from(honeyhive_logger_wasm::js::log(js("{ verbose: true, apiKey: 'key-1234', project: 'p' }"), JsValue::UNDEFINED)).await;
    let message = Reflect::get(&verbose.unwrap_err(), &"message".into()).unwrap().as_string().unwrap();
    assert!(message.contains("Event name is required"), "{message}");
}
