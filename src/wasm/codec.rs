//! [`JsHost`]'s body codec: a body written by serde-wasm-bindgen and the runtime's
//! `JSON.stringify` (a JS string), redacted by the caller's hook, measured, gzipped by the
//! runtime's `CompressionStream`, and a server's answer read by `JSON.parse`.

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::host::JsHost;
use super::outbox;
use super::payload::JsPayload;
use super::redact::redact;
use super::thrown::{self, OrReason};
use crate::core::codec::Codec;
use crate::core::error::Error;
use crate::core::outbox::{Kind, Message};
use crate::core::request::Events;

impl Codec for JsHost {
    type Payload = JsPayload;
    type Body = JsValue;

    /// Turned into JS by serde-wasm-bindgen (the payloads as they are) and written by the
    /// runtime's `JSON.stringify`, as the reference's `json.dumps` writes its dict.
    fn serialize<B: Serialize>(&self, body: &B) -> Result<JsValue, Error> {
        let not_serializable = |reason| Error::NotSerializable(reason);
        let value = body
            .serialize(&serde_wasm_bindgen::Serializer::new())
            .map_err(|error| not_serializable(error.to_string()))?;
        js_sys::JSON::stringify(&value)
            .map(JsValue::from)
            .map_err(|thrown| not_serializable(thrown::reason(&thrown)))
    }

    fn redact_events(
        &self,
        body: JsValue,
        hook: &JsPayload,
        events: Events,
    ) -> Result<JsValue, Error> {
        let Some(hook) = hook.0.dyn_ref::<Function>() else {
            return Err(Error::Redact("it is not a function".into()));
        };
        redact(&body, hook, events).map_err(Error::Redact)
    }

    fn body_text(&self, body: &JsValue, max_chars: usize) -> String {
        // Only the head crosses into wasm: the body can be megabytes.
        let Some(body) = body.dyn_ref::<js_sys::JsString>() else {
            return String::new();
        };
        let end = u32::try_from(max_chars).unwrap_or(u32::MAX);
        body.slice(0, end).into()
    }

    fn body_bytes(&self, body: &JsValue) -> usize {
        body.as_string().map_or(0, |text| text.len())
    }

    fn parse_json(&self, body: &str) -> Option<JsPayload> {
        js_sys::JSON::parse(body).ok().map(JsPayload)
    }

    fn body_payload(&self, body: &JsValue) -> JsPayload {
        JsPayload(body.clone())
    }

    fn payload_body(&self, payload: &JsPayload) -> Option<JsValue> {
        payload.0.is_string().then(|| payload.0.clone())
    }

    fn text_payload(&self, text: &str) -> JsPayload {
        JsPayload(JsValue::from_str(text))
    }

    fn bytes_payload(&self, bytes: &[u8]) -> JsPayload {
        JsPayload(js_sys::Uint8Array::from(bytes).into())
    }

    fn payload_bytes(&self, payload: &JsPayload) -> Option<Vec<u8>> {
        Some(payload.0.dyn_ref::<js_sys::Uint8Array>()?.to_vec())
    }

    async fn gzip(&self, body: &JsValue) -> Result<Vec<u8>, String> {
        outbox::gzip(body).await.or_reason()
    }

    async fn gunzip(&self, bytes: &[u8]) -> Result<JsValue, String> {
        outbox::gunzip(bytes).await.or_reason()
    }

    fn message_bytes(&self, kind: Kind, message: &Message<JsPayload>) -> usize {
        outbox::message_bytes(kind, message)
    }
}
