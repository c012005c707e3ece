//! The caller's `redact` hook, run over each event of a body just before it is sent: on a copy
//! of the body as it will be sent (its JSON read back, `toJSON`s applied), so that the hook may
//! change what it is given without touching the caller's own objects.

use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::reflect::member;
use super::thrown::{self, OrReason};
use crate::core::request::Events;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JS string (js-sys's takes a Rust `&str`: a copy into wasm and back).
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

/// The body (JSON text) with each of its events replaced by what `hook` returns for it; why
/// not, when the hook throws or does not return an event.
pub fn redact(body: &JsValue, hook: &Function, events: Events) -> Result<JsValue, String> {
    let parsed = parse(body).or_reason()?;
    let redacted = match events {
        Events::Body => one(hook, &parsed)?,
        Events::Member(member) => {
            in_member(&parsed, member, hook)?;
            parsed
        }
        Events::Batch => {
            let events = member(&parsed, "events");
            if let Some(events) = events.dyn_ref::<Array>() {
                for (at, event) in events.iter().enumerate() {
                    events.set(at as u32, one(hook, &event)?);
                }
            }
            in_member(&parsed, "session_properties", hook)?;
            parsed
        }
    };
    match JSON::stringify(&redacted) {
        Ok(text) if text.is_string() => Ok(text.into()),
        Ok(_) => Err("it returned a value JSON writes as nothing".into()),
        Err(thrown) => Err(thrown::reason(&thrown)),
    }
}

/// The member `name` of `body`, where present, replaced by what the hook returns for it.
fn in_member(body: &JsValue, name: &'static str, hook: &Function) -> Result<(), String> {
    let event = member(body, name);
    if !event.is_undefined() {
        let redacted = one(hook, &event)?;
        Reflect::set(body, &JsValue::from_str(name), &redacted).or_reason()?;
    }
    Ok(())
}

/// What the hook returns for one event: an object (not an array, not a promise).
fn one(hook: &Function, event: &JsValue) -> Result<JsValue, String> {
    let out = hook.call1(&JsValue::UNDEFINED, event).or_reason()?;
    let kind = match out.js_typeof().as_string().unwrap_or_default() {
        _ if out.is_null() => "null".to_string(),
        _ if out.is_instance_of::<Array>() => "an array".to_string(),
        kind => kind,
    };
    match kind.as_str() {
        "object" if member(&out, "then").is_function() => {
            Err("it returned a promise: it must give the event back at once, not be async".into())
        }
        // An event JSON writes as nothing (its `toJSON` returns nothing) is no event either.
        "object" if !JSON::stringify(&out).is_ok_and(|text| text.is_string()) => {
            Err("it returned a value JSON writes as nothing".into())
        }
        "object" => Ok(out),
        "undefined" => Err("it returned nothing, not the event".into()),
        kind => Err(format!("it returned a {kind}, not the event")),
    }
}
