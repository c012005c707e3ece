//! The requests the calls send: method, path and body, built from resolved options exactly
//! as the reference logger builds them. A body is a small tree whose leaves are either values the
//! core made (strings, numbers) or the caller's payloads, untouched, for the host to serialise in
//! one `JSON.stringify`.

use std::borrow::Cow;

use crate::core::options::{EventOptions, LogOptions, StartOptions, UpdateOptions};

/// The most events one `POST /events/batch` request carries. A batch of more is sent as several
/// requests, one after another: a hundred events keep a request far below the API's and the
/// platforms' body limits for ordinary events, and bound what one failed request must re-send.
pub const MAX_BATCH_EVENTS: usize = 100;

/// The most bytes (UTF-16 code units of the JSON text) one batch request carries, below the
/// 4.5 MB request limit of the strictest common platform (Vercel); a larger chunk is halved.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

/// A JSON body under construction.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<O> {
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// An array.
    Array(Vec<Json<O>>),
    /// A caller's object, serialised as it is.
    Payload(O),
    /// An object with these members, in this order.
    Object(Vec<(&'static str, Json<O>)>),
}

impl<O> Json<O> {
    /// A payload, or `{}` when the caller gave none (the reference's `x or {}`).
    pub(crate) fn payload_or_empty(payload: Option<O>) -> Json<O> {
        payload.map_or(Json::Object(Vec::new()), Json::Payload)
    }
}

/// The HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Post,
    Put,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// A request before it meets the host: where it goes and what it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Request<O> {
    pub method: Method,
    /// The path under the server URL, e.g. `/events` (v2 paths may carry an id).
    pub path: Cow<'static, str>,
    pub body: Json<O>,
    /// Where the body holds its events: what a caller's `redact` hook is given.
    pub events: Events,
}

/// Where a body holds its events (a session, and an update's changes, count as events: each is
/// what a caller's `redact` hook sees and may change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Events {
    /// The body is the event.
    Body,
    /// The event is this member of the body.
    Member(&'static str),
    /// A batch: each item of `events` is an event, and so are its `session_properties`.
    Batch,
}

/// `POST /session/start` with `{"session": {...}}`.
pub fn start<O>(o: StartOptions<O>, session_id: String, now_ms: f64) -> Request<O> {
    let session = session(o, session_id, now_ms);
    Request {
        method: Method::Post,
        path: "/session/start".into(),
        body: Json::Object(vec![("session", session)]),
        events: Events::Member("session"),
    }
}

/// The session object: the reference's members in its order.
pub fn session<O>(o: StartOptions<O>, session_id: String, now_ms: f64) -> Json<O> {
    // The project is always given with a key of the reference's kind; only a typed key leaves
    // it (and so the session name) out.
    let mut members = Vec::with_capacity(9);
    members.extend(o.project.map(|p| ("project", Json::Str(p))));
    members.extend(o.session_name.map(|n| ("session_name", Json::Str(n))));
    members.extend([
        ("source", Json::Str(o.source)),
        ("session_id", Json::Str(session_id)),
        ("config", Json::payload_or_empty(o.config)),
        ("inputs", Json::payload_or_empty(o.inputs)),
        ("metadata", Json::payload_or_empty(o.metadata)),
        ("user_properties", Json::payload_or_empty(o.user_properties)),
        ("start_time", Json::Num(now_ms.floor())),
    ]);
    Json::Object(members)
}

/// `POST /events` with `{"event": {...}}`.
pub fn log<O>(o: LogOptions<O>, session_id: String, event_id: String, now_ms: f64) -> Request<O> {
    let event = event(o.event, session_id, event_id, now_ms);
    Request {
        method: Method::Post,
        path: "/events".into(),
        body: Json::Object(vec![("event", event)]),
        events: Events::Member("event"),
    }
}

/// One event: the reference's members in its order, the client-made `event_id` that makes a
/// retried request idempotent, and the members the reference does not know, only when given.
pub fn event<O>(e: EventOptions<O>, session_id: String, event_id: String, now_ms: f64) -> Json<O> {
    let mut members = vec![
        ("event_id", Json::Str(event_id)),
        ("session_id", Json::Str(session_id)),
    ];
    members.extend(e.project.map(|p| ("project", Json::Str(p))));
    members.extend([
        ("source", Json::Str(e.source)),
        ("event_name", Json::Str(e.event_name)),
        ("event_type", Json::Str(e.event_type.as_str().to_string())),
        ("config", Json::payload_or_empty(e.config)),
        ("inputs", Json::payload_or_empty(e.inputs)),
        ("outputs", Json::payload_or_empty(e.outputs)),
        ("metadata", Json::payload_or_empty(e.metadata)),
        (
            "start_time",
            Json::Num(e.start_time.unwrap_or_else(|| now_ms.floor())),
        ),
        ("duration", Json::Num(e.duration_ms)),
    ]);
    members.extend(e.parent_id.map(|id| ("parent_id", Json::Str(id))));
    members.extend(e.children_ids.map(|ids| {
        (
            "children_ids",
            Json::Array(ids.into_iter().map(Json::Str).collect()),
        )
    }));
    members.extend(e.error.map(|error| ("error", Json::Str(error))));
    members.extend(e.end_time.map(|ms| ("end_time", Json::Num(ms))));
    members.extend(e.feedback.map(|p| ("feedback", Json::Payload(p))));
    members.extend(e.metrics.map(|p| ("metrics", Json::Payload(p))));
    members.extend(
        e.user_properties
            .map(|p| ("user_properties", Json::Payload(p))),
    );
    Json::Object(members)
}

/// `POST /events/batch` with `{"events": [...]}` and the batch's session members when given.
pub fn batch<O: Clone>(
    events: &[Json<O>],
    is_single_session: Option<bool>,
    session_properties: Option<Json<O>>,
) -> Request<O> {
    let body = batch_body(
        events,
        ("is_single_session", is_single_session),
        session_properties,
    );
    Request {
        method: Method::Post,
        path: "/events/batch".into(),
        body,
        events: Events::Batch,
    }
}

/// A batch's body: the events, then the single-session flag under the API's name for it, and the
/// session's properties, each only when given.
pub fn batch_body<O: Clone>(
    events: &[Json<O>],
    single: (&'static str, Option<bool>),
    session_properties: Option<Json<O>>,
) -> Json<O> {
    let mut members = vec![("events", Json::Array(events.to_vec()))];
    members.extend(single.1.map(|b| (single.0, Json::Bool(b))));
    members.extend(session_properties.map(|p| ("session_properties", p)));
    Json::Object(members)
}

/// `PUT /events` with the event id and only the members the caller gave.
pub fn update<O>(o: UpdateOptions<O>) -> Request<O> {
    let mut members = vec![("event_id", Json::Str(o.event_id.clone()))];
    members.extend(changes(o));
    Request {
        method: Method::Put,
        path: "/events".into(),
        body: Json::Object(members),
        events: Events::Body,
    }
}

/// The members an update changes: only those the caller gave, in the reference's order.
pub fn changes<O>(o: UpdateOptions<O>) -> Vec<(&'static str, Json<O>)> {
    let mut members = Vec::with_capacity(7);
    let payloads = [
        ("metadata", o.metadata),
        ("feedback", o.feedback),
        ("metrics", o.metrics),
        ("config", o.config),
        ("outputs", o.outputs),
        ("user_properties", o.user_properties),
    ];
    for (key, payload) in payloads {
        members.extend(payload.map(|p| (key, Json::Payload(p))));
    }
    members.extend(o.duration_ms.map(|ms| ("duration", Json::Num(ms))));
    members
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::core::options::{self, Given};
    use crate::core::value::Value;
    use serde_json::{json, Value as J};

    const ID: &str = "123e4567-e89b-42d3-a456-426614174000";
    const NOW: f64 = 1_700_000_000_123.7;

    /// The body as JSON, the way a host serialises it.
    pub(crate) fn to_json(body: &Json<J>) -> J {
        match body {
            Json::Str(s) => json!(s),
            Json::Num(n) => json!(n),
            Json::Bool(b) => json!(b),
            Json::Array(items) => J::Array(items.iter().map(to_json).collect()),
            Json::Payload(p) => p.clone(),
            Json::Object(members) => J::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), to_json(v)))
                    .collect(),
            ),
        }
    }

    fn resolve<T>(
        f: impl Fn(
            &Given<J>,
            &dyn Fn(&'static str) -> Option<String>,
        ) -> Result<T, crate::core::error::Error>,
        o: J,
    ) -> T {
        f(&Given::call(Value::Object(o)), &|_| None).unwrap()
    }

    #[test]
    fn start_body_matches_the_reference() {
        let o = resolve(
            options::start,
            json!({"apiKey": "k", "project": "p", "inputs": {"q": 1}}),
        );
        let r = start(o, ID.into(), NOW);
        assert_eq!(
            (r.method, r.path.as_ref()),
            (Method::Post, "/session/start")
        );
        assert_eq!(
            to_json(&r.body),
            json!({"session": {"project": "p", "session_name": "p", "source": "dev", "session_id": ID,
                "config": {}, "inputs": {"q": 1}, "metadata": {}, "user_properties": {},
                "start_time": 1_700_000_000_123.0}})
        );
    }

    #[test]
    fn log_body_matches_the_reference() {
        let o = resolve(
            options::log,
            json!({"apiKey": "k", "project": "p", "eventName": "e", "eventType": "Model", "outputs": {"a": [1]}, "durationMs": 42}),
        );
        let r = log(o, ID.into(), "e-id".into(), NOW);
        assert_eq!((r.method, r.path.as_ref()), (Method::Post, "/events"));
        assert_eq!(
            to_json(&r.body),
            json!({"event": {"event_id": "e-id", "session_id": ID, "project": "p", "source": "dev", "event_name": "e", "event_type": "model",
                "config": {}, "inputs": {}, "outputs": {"a": [1]}, "metadata": {},
                "start_time": 1_700_000_000_123.0, "duration": 42.0}})
        );
    }

    #[test]
    fn update_body_leaves_out_absent_members() {
        let o = resolve(
            options::update,
            json!({"apiKey": "k", "eventId": ID, "feedback": {"rating": 5}, "metrics": null}),
        );
        let r = update(o);
        assert_eq!((r.method, r.path.as_ref()), (Method::Put, "/events"));
        assert_eq!(
            to_json(&r.body),
            json!({"event_id": ID, "feedback": {"rating": 5}})
        );
    }

    #[test]
    fn update_body_carries_every_given_member_in_the_reference_order() {
        let o = resolve(
            options::update,
            json!({"apiKey": "k", "eventId": ID, "metadata": {"m": 1}, "feedback": {}, "metrics": {"x": 2},
                "config": {"c": 3}, "outputs": {"o": 4}, "user_properties": {"u": 5}, "durationMs": 7}),
        );
        let Json::Object(members) = update(o).body else {
            panic!("an object")
        };
        let keys: Vec<_> = members.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            [
                "event_id",
                "metadata",
                "feedback",
                "metrics",
                "config",
                "outputs",
                "user_properties",
                "duration"
            ]
        );
    }

    #[test]
    fn full_event_members_are_sent_only_when_given() {
        let o = resolve(
            options::log,
            json!({"apiKey": "k", "project": "p", "eventName": "e", "parentId": ID, "childrenIds": [ID], "error": "x",
                "startTime": 5, "endTime": 9, "metrics": {"m": 1}}),
        );
        let body = to_json(&log(o, ID.into(), "e-id".into(), NOW).body);
        let event = &body["event"];
        assert_eq!(
            (
                event["start_time"].clone(),
                event["end_time"].clone(),
                event["duration"].clone()
            ),
            (json!(5.0), json!(9.0), json!(4.0))
        );
        assert_eq!(
            (event["parent_id"].clone(), event["children_ids"].clone()),
            (json!(ID), json!([ID]))
        );
        assert_eq!(
            (event["error"].clone(), event["metrics"].clone()),
            (json!("x"), json!({"m": 1}))
        );
        assert!(event.get("feedback").is_none() && event.get("user_properties").is_none());
    }

    #[test]
    fn batch_body_has_the_events_and_the_session_members_when_given() {
        let e = to_json(&Json::<J>::Object(vec![("a", Json::Num(1.0))]));
        let events = vec![Json::Object(vec![("a", Json::Num(1.0))])];
        let r = batch(
            &events,
            Some(true),
            Some(Json::Payload(json!({"session_name": "s"}))),
        );
        assert_eq!((r.method, r.path.as_ref()), (Method::Post, "/events/batch"));
        assert_eq!(
            to_json(&r.body),
            json!({"events": [e], "is_single_session": true, "session_properties": {"session_name": "s"}})
        );
        assert_eq!(
            to_json(&batch::<J>(&events, None, None).body),
            json!({"events": [{"a": 1.0}]})
        );
    }
}
