//! The JS host under a real JS engine (Node, via wasm-bindgen-test-runner): how a caller's JS
//! values are read (member by member, by src/npm/plain.js, into the core's layers), how bodies
//! are serialised with their payloads, the host's clock, randomness, env, sleep and fetch, and
//! the exported calls.
#![cfg(target_arch = "wasm32")]

use honeyhive_logger_wasm::core::error::Error;
use honeyhive_logger_wasm::core::host::{Codec, Host, HttpRequest};
use honeyhive_logger_wasm::core::options::{Layer, Opt};
use honeyhive_logger_wasm::core::record::Record;
use honeyhive_logger_wasm::core::request::Method;
use honeyhive_logger_wasm::core::value::{Payload, Value};
use honeyhive_logger_wasm::wasm::host::JsHost;
use honeyhive_logger_wasm::wasm::payload::JsPayload;
use js_sys::{Function, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

/// Evaluates a JS expression.
fn js(expr: &str) -> JsValue {
    Function::new_no_args(&format!("return ({expr});"))
        .call0(&JsValue::NULL)
        .unwrap()
}

/// The value the core sees for a JS expression.
fn kind(expr: &str) -> Value<JsPayload> {
    JsPayload(js(expr)).value()
}

/// The layer of options the core reads from a JS expression.
fn layer(expr: &str) -> Result<Layer<JsPayload>, String> {
    Layer::read(&JsPayload(js(expr)))
}

/// The camelCase spelling of `opt` as the layer of `expr` gives it.
fn option(expr: &str, opt: Opt) -> Value<JsPayload> {
    layer(expr).unwrap().get(opt).camel.clone()
}

/// Member `name` of the object `expr`, as the core sees it.
fn member(expr: &str, name: &str) -> Value<JsPayload> {
    JsPayload(Reflect::get(&js(expr), &name.into()).unwrap()).value()
}

/// Runs an exported call with the `resolve` and `reject` of a promise made in JS, as
/// src/npm/calls.js does, and awaits that promise.
async fn settled(call: impl FnOnce(Function, Function)) -> Result<JsValue, JsValue> {
    let deferred = js(
        "(() => { const d = {}; d.promise = new Promise((resolve, reject) => { \
        d.resolve = resolve; d.reject = reject; }); return d; })()",
    );
    let get = |name: &str| Reflect::get(&deferred, &name.into()).unwrap();
    call(get("resolve").into(), get("reject").into());
    JsFuture::from(js_sys::Promise::from(get("promise"))).await
}

/// Runs `future` to its end (the host's futures await the runtime's promises anywhere).
async fn in_task(
    future: impl core::future::Future<Output = Result<JsValue, JsValue>> + 'static,
) -> Result<JsValue, JsValue> {
    future.await
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
    assert_eq!(kind("'é😀\\u0000'"), Value::String("é😀\u{0}".into()));
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
    assert!(matches!(kind("[1]"), Value::Array(_)));
    assert!(matches!(kind("new Proxy([], {})"), Value::Array(_)));
    let revoked = "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()";
    // An object whose reading is refused later (`{:?}` of it would throw: never print one).
    assert!(matches!(kind(revoked), Value::Object(_)));
    assert!(layer(revoked).unwrap_err().contains("revoked"));
    assert!(matches!(kind("{a: 1}"), Value::Object(_)));
    assert!(matches!(kind("new Map()"), Value::Object(_)));
}

/// An option's kind is told by src/npm/plain.js as the object is read: it must be the kind
/// `JsPayload::value` tells of the same value.
#[wasm_bindgen_test]
fn an_option_s_kind_is_the_kind_of_its_value() {
    let sorted = |value: &Value<JsPayload>| -> String {
        match value {
            Value::Object(_) => "object".into(),
            Value::Array(_) => "array".into(),
            Value::Function(_) => "function".into(),
            other => format!("{other:?}"),
        }
    };
    for expr in [
        "undefined",
        "null",
        "false",
        "0",
        "-1.5",
        "NaN",
        "''",
        "'text'",
        "10n",
        "Symbol('s')",
        "() => 1",
        "[1, 2]",
        "new Proxy([], {})",
        "{ a: 1 }",
        "new Map()",
        "(() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy })()",
        "new Proxy({}, { getPrototypeOf() { throw new Error('trap') } })",
    ] {
        let as_option = option(&format!("{{ project: {expr} }}"), Opt::Project);
        assert_eq!(sorted(&as_option), sorted(&kind(expr)), "{expr}");
        // A call's options object, asked in another order, is sorted the same.
        let as_options = JsPayload(js(expr)).options();
        assert_eq!(sorted(&as_options), sorted(&kind(expr)), "options: {expr}");
    }
}

#[wasm_bindgen_test]
fn both_spellings_are_read_and_unknown_members_ignored() {
    let o = layer("{ apiKey: 'camel', api_key: 'snake', sessionName: 's', unknown: 1 }").unwrap();
    assert_eq!(o.api_key.camel, Value::String("camel".into()));
    assert_eq!(o.api_key.snake, Value::String("snake".into()));
    assert_eq!(o.session_name.camel, Value::String("s".into()));
    assert_eq!(o.project.camel, Value::Absent);
    let inherited = layer("Object.create({ project: 'from the prototype' })").unwrap();
    assert_eq!(
        inherited.project.camel,
        Value::String("from the prototype".into())
    );
}

#[wasm_bindgen_test]
fn reading_a_throwing_getter_is_an_error_not_a_trap() {
    let getter = "{ get apiKey() { throw new Error('boom') }, project: 'p' }";
    assert_eq!(
        option(getter, Opt::ApiKey),
        Value::Unreadable("boom".into())
    );
    assert_eq!(
        option(getter, Opt::Project),
        Value::String("p".into()),
        "the others are read"
    );
    let thrown_string = "{ get apiKey() { throw 'plain' } }";
    assert_eq!(
        option(thrown_string, Opt::ApiKey),
        Value::Unreadable("plain".into())
    );
    let proxy = "new Proxy({ project: 'p' }, { get() { throw new TypeError('trap') } })";
    assert_eq!(
        option(proxy, Opt::Project),
        Value::Unreadable("trap".into())
    );
    let keys = "new Proxy({}, { ownKeys() { throw new Error('no keys') } })";
    assert_eq!(
        layer(keys),
        Err("no keys".into()),
        "an object that cannot be listed"
    );
}

#[wasm_bindgen_test]
fn a_payload_s_members_are_never_read() {
    let counted = js("(() => { const seen = []; const inputs = new Proxy({ big: 1 }, { get(t, k) { seen.push(k); return t[k] }, ownKeys(t) { seen.push('ownKeys'); return Reflect.ownKeys(t) } }); globalThis.__seen = seen; return { apiKey: 'k', inputs } })()");
    let read = Layer::read(&JsPayload(counted)).unwrap();
    assert!(matches!(read.inputs.camel, Value::Object(_)));
    let seen = js("globalThis.__seen.join(' ')").as_string().unwrap();
    assert_eq!(seen, "", "the payload was touched: {seen}");
}

#[wasm_bindgen_test]
fn arrays_are_read_item_by_item_as_the_host_keeps_them() {
    let Value::Array(events) = member("{ events: [{ eventName: 'a' }, 'x', null] }", "events")
    else {
        panic!()
    };
    let items: Vec<JsPayload> = events.items().unwrap();
    assert_eq!(items.len(), 3);
    assert!(matches!(items[0].value(), Value::Object(_)));
    assert_eq!(items[1].value(), Value::String("x".into()));
    assert_eq!(items[2].value(), Value::Absent);
    let long = JsPayload(js(
        "new Proxy([], { get: (t, k) => (k === 'length' ? 1e9 : t[k]) })",
    ));
    let too_long = long.items().unwrap_err();
    assert!(too_long.contains("1000000000 items"), "{too_long}");
}

#[wasm_bindgen_test]
fn env_and_events_are_read_with_their_own_names() {
    use honeyhive_logger_wasm::core::options::{Env, Var};
    let o = layer(
        "{ env: { HH_API_KEY: 'e', HH_PROJECT: 5, apiKey: 'not an env name' }, events: 's' }",
    )
    .unwrap();
    let Value::Object(env) = o.env.camel.clone() else {
        panic!("env")
    };
    let env = Env::of(&Record::of(&env).unwrap());
    assert_eq!(env.get(Var::ApiKey), Value::String("e".into()));
    assert_eq!(env.get(Var::Project), Value::Number(5.0));
    assert_eq!(env.get(Var::Source), Value::Absent);
    assert_eq!(o.events.camel, Value::String("s".into()));
    let throwing = layer("{ get events() { throw new Error('no') } }").unwrap();
    assert_eq!(throwing.events.camel, Value::Unreadable("no".into()));
    // An object that holds itself is read one level deep: no recursion.
    let linked =
        layer("(() => { const o = { apiKey: 'k' }; o.events = [o, o]; o.env = o; return o })()");
    let Value::Array(events) = linked.unwrap().events.camel else {
        panic!("events")
    };
    let events: Vec<JsPayload> = events.items().unwrap();
    let event = Layer::read(&events[0]).unwrap();
    assert_eq!(event.api_key.camel, Value::String("k".into()));
}

#[wasm_bindgen_test]
fn abort_signals_are_recognised() {
    let is_signal = |expr: &str| JsPayload(js(expr)).is_abort_signal();
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

/// A body of the core's kind: members the core made, and a caller's payload.
#[derive(Serialize)]
struct Body {
    event: Made,
    inputs: JsPayload,
}

#[derive(Serialize)]
struct Made {
    name: &'static str,
    n: f64,
    f: f64,
    big: f64,
}

/// The payload `inputs` of a call made with `opts`, in a body.
fn serialized(opts: &str) -> Result<String, Error> {
    let host = JsHost;
    let Value::Object(inputs) = member(opts, "inputs") else {
        panic!()
    };
    let event = Made {
        name: "é\"\n",
        n: 10.0,
        f: 0.1,
        big: 1e21,
    };
    let serialized = host.serialize(&Body { event, inputs })?;
    Ok(host.body_text(&serialized, 1000))
}

#[wasm_bindgen_test]
fn serialize_writes_the_json_text_with_the_payloads_untouched() {
    let text =
        serialized("{ inputs: { b: [1, 'x', null], nested: { deep: true }, s: '\\0p0\\0' } }")
            .unwrap();
    assert_eq!(
        text,
        r#"{"event":{"name":"é\"\n","n":10,"f":0.1,"big":1e+21},"inputs":{"b":[1,"x",null],"nested":{"deep":true},"s":"\u0000p0\u0000"}}"#
    );
    let host = JsHost;
    let body = host.serialize(&[("a", "é")]).unwrap();
    assert_eq!(host.body_text(&body, 4), r#"[["a"#, "only the head crosses");
    assert_eq!(host.body_bytes(&body), 12, "UTF-8 bytes: é counts 2");
}

/// Members that are payloads, each given or not.
#[derive(Serialize)]
struct Members {
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outputs: Option<JsPayload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inputs: Option<JsPayload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    b: Option<f64>,
}

#[wasm_bindgen_test]
fn a_payload_s_to_json_sees_its_key_and_may_leave_the_member_out() {
    // As JSON.stringify of the whole body does.
    let host = JsHost;
    let opts = "{ inputs: { toJSON: (key) => ({ key }) }, outputs: { toJSON: () => undefined } }";
    let (Value::Object(inputs), Value::Object(outputs)) =
        (member(opts, "inputs"), member(opts, "outputs"))
    else {
        panic!()
    };
    let text = |body: Members| host.body_text(&host.serialize(&body).unwrap(), 1000);
    let last = Members {
        a: Some("x"),
        outputs: Some(outputs.clone()),
        inputs: Some(inputs.clone()),
        b: None,
    };
    assert_eq!(text(last), r#"{"a":"x","inputs":{"key":"inputs"}}"#);
    let first = Members {
        a: None,
        outputs: Some(outputs.clone()),
        inputs: None,
        b: Some(1.0),
    };
    assert_eq!(text(first), r#"{"b":1}"#);
    let alone = Members {
        a: None,
        outputs: Some(outputs),
        inputs: None,
        b: None,
    };
    assert_eq!(text(alone), "{}");
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

/// The host (it holds nothing).
fn host() -> JsHost {
    JsHost
}

#[wasm_bindgen_test]
fn random_bytes_come_from_crypto() {
    let a = host().random_bytes().unwrap();
    let b = host().random_bytes().unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0; 16]);
}

#[wasm_bindgen_test]
fn the_clock_and_random_numbers_come_from_the_host() {
    let now = host().now_ms();
    assert!(now > 1.7e12, "{now}");
    let j = host().random_unit();
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
        let host = JsHost;
        let signal_at = JsPayload(js(
            "(() => { const c = new AbortController(); setTimeout(() => c.abort(), 20); return c.signal })()",
        ));
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
        let body = host.serialize(&()).unwrap();
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

/// A fetch a polyfill or a test provides may return anything: the attempt fails as a network
/// error, and no exception unwinds through wasm.
#[wasm_bindgen_test]
async fn any_fetch_answer_is_read_without_a_trap() {
    let host = host();
    let body = host.serialize(&()).unwrap();
    let request = HttpRequest {
        method: Method::Post,
        url: "http://127.0.0.1:9/events",
        authorization: "Bearer k",
        body: &body,
    };
    let real = js("globalThis.fetch");
    let answers = [
        ("a Response, not a promise", "() => new Response('{}', { status: 200 })", "Answer"),
        ("nothing", "async () => undefined", "Network"),
        ("a throwing getter", "async () => ({ get headers() { throw new Error('h') }, status: 200 })", "Network"),
        ("text that is not a function", "async () => ({ headers: new Headers(), status: 200, text: 'x' })", "Network"),
        ("a revoked Proxy as cause", "async () => { const p = Proxy.revocable({}, {}); p.revoke(); throw Object.assign(new Error('failed'), { cause: p.proxy }); }", "Network"),
    ];
    for (what, fetch, expected) in answers {
        Reflect::set(&js("globalThis"), &"fetch".into(), &js(fetch)).unwrap();
        let outcome = format!("{:?}", host.fetch(&request, 1_000, None).await);
        assert!(outcome.starts_with(expected), "{what}: {outcome}");
    }
    Reflect::set(&js("globalThis"), &"fetch".into(), &real).unwrap();
}

#[wasm_bindgen_test]
async fn exported_calls_never_trap_on_bad_arguments() {
    for bad in ["'text'", "10n", "Symbol('s')", "null", "[1]", "() => 1"] {
        use honeyhive_logger_wasm::wasm::exports::{log, log_batch, send_trace, start, update};
        assert_eq!(
            settled(|resolve, reject| start(js(bad), JsValue::UNDEFINED, resolve, reject)).await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|resolve, reject| log(js(bad), JsValue::UNDEFINED, resolve, reject)).await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|resolve, reject| log_batch(js(bad), JsValue::UNDEFINED, resolve, reject))
                .await,
            Ok(JsValue::NULL),
            "{bad}"
        );
        assert_eq!(
            settled(|resolve, reject| log(js("{}"), js(bad), resolve, reject)).await,
            Ok(JsValue::NULL),
            "defaults {bad}"
        );
        assert_eq!(
            settled(|resolve, reject| update(js(bad), JsValue::UNDEFINED, resolve, reject)).await,
            Ok(JsValue::UNDEFINED),
            "{bad}"
        );
        assert_eq!(
            settled(|resolve, reject| send_trace(
                js(bad),
                JsValue::UNDEFINED,
                js(bad),
                resolve,
                reject
            ))
            .await,
            Ok(JsValue::NULL),
            "trace {bad}"
        );
        assert_eq!(
            settled(|resolve, reject| send_trace(
                js("{}"),
                JsValue::UNDEFINED,
                js(&format!("{{ spans: [{bad}] }}")),
                resolve,
                reject
            ))
            .await,
            Ok(JsValue::NULL),
            "span {bad}"
        );
    }
    let verbose = settled(|resolve, reject| {
        honeyhive_logger_wasm::wasm::exports::log(
            js("{ verbose: true, apiKey: 'key-1234', project: 'p' }"),
            JsValue::UNDEFINED,
            resolve,
            reject,
        )
    })
    .await;
    let message = Reflect::get(&verbose.unwrap_err(), &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("Event name is required"), "{message}");
}

/// The allocator (talc) reuses what it freed: blocks growing to 4 MB, each freed before
/// the next, take about twice the largest, not the sum of them all.
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

/// A server's answer is read by the runtime's JSON.parse, then member by member.
#[wasm_bindgen_test]
fn answers_are_read_with_the_runtime_s_json_parse() {
    let host = JsHost;
    let answer = |text: &str| Record::of(&host.parse_json(text)?).ok();
    let text = r#" {"event_id":"a\"b\u00e9\ud83d\ude00","ok":true,"event_ids":["x",1]} "#;
    let ids = answer(text).unwrap();
    assert_eq!(
        ids.text("event_id"),
        Ok(Some("a\"bé😀".into())),
        "escapes decoded"
    );
    let Value::Array(listed) = ids.value("event_ids") else {
        panic!("event_ids")
    };
    let listed = listed.items().unwrap();
    assert_eq!(listed[0].value(), Value::String("x".into()));
    assert_eq!(listed[1].value(), Value::Number(1.0));
    for not_an_object in [
        "", "{", "{\"a\"}", "[1,]", "<html>", "{} x", "\"text\"", "1",
    ] {
        assert!(answer(not_an_object).is_none(), "{not_an_object:?}");
    }
    // The one member a call reads of an answer.
    let parsed = host.parse_json(text).unwrap();
    assert_eq!(parsed.member("event_id"), Value::String("a\"bé😀".into()));
    assert_eq!(parsed.member("missing"), Value::Absent);
    assert_eq!(
        host.parse_json("\"text\"").unwrap().member("event_id"),
        Value::Absent
    );
    let last = answer(r#"{"event_id":"first","event_id":"last"}"#).unwrap();
    assert_eq!(
        last.text("event_id"),
        Ok(Some("last".into())),
        "the last of a duplicate key, as JSON.parse keeps"
    );
}
