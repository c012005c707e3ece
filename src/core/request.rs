//! The requests the calls send: method, path and body, built from resolved options exactly as
//! the reference logger builds them. A body is a typed struct whose members are the values the
//! core made (strings, numbers) and the caller's payloads, untouched: the host turns it into JS
//! and writes it with one `JSON.stringify`, so the members keep the order declared here.

use std::borrow::Cow;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::core::options::{EventOptions, LogOptions, StartOptions, UpdateOptions};

/// The most events one `POST /events/batch` request carries. A batch of more is sent as several
/// requests, one after another: a hundred events keep a request far below the API's and the
/// platforms' body limits for ordinary events, and bound what one failed request must re-send.
pub const MAX_BATCH_EVENTS: usize = 100;

/// The most bytes (UTF-8 of the JSON text) one batch request carries, below the 4.5 MB request
/// limit of the strictest common platform (Vercel); a larger chunk is halved.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;

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
pub struct Request<B> {
    pub method: Method,
    /// The path under the server URL, e.g. `/events` (v2 paths may carry an id).
    pub path: Cow<'static, str>,
    pub body: B,
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

/// A payload the reference sends as `{}` when the caller gave none (its `x or {}`).
#[derive(Clone, Debug, PartialEq)]
pub struct OrEmpty<P>(pub Option<P>);

impl<P: Serialize> Serialize for OrEmpty<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Some(payload) => payload.serialize(serializer),
            None => serializer.serialize_struct("Empty", 0)?.end(),
        }
    }
}

/// A session: the reference's members in its order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Session<P> {
    /// Always given with a key of the reference's kind; only a typed key (or the v2 API) leaves
    /// it, and so the session name, out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,
    pub source: String,
    pub session_id: String,
    pub config: OrEmpty<P>,
    pub inputs: OrEmpty<P>,
    pub metadata: OrEmpty<P>,
    pub user_properties: OrEmpty<P>,
    pub start_time: f64,
}

/// One event: the client-made `event_id` that makes a retried request idempotent, the
/// reference's members in its order, and the members the reference does not know, only when
/// given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event<P> {
    pub event_id: String,
    pub session_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    pub source: String,
    pub event_name: String,
    pub event_type: &'static str,
    pub config: OrEmpty<P>,
    pub inputs: OrEmpty<P>,
    pub outputs: OrEmpty<P>,
    pub metadata: OrEmpty<P>,
    pub start_time: f64,
    pub duration: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_properties: Option<P>,
}

/// An update: the event it changes (the reference's body names it; v2's path does) and only the
/// members the caller gave, in the reference's order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Update<P> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_properties: Option<P>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
}

/// A batch: its events, then the single-session flag under the API's name for it (the
/// reference's `is_single_session`, v2's `single_session`), and the session's properties, each
/// only when given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Batch<'a, P> {
    pub events: &'a [Event<P>],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_single_session: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub single_session: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_properties: Option<SessionProperties<P>>,
}

/// A batch's `session_properties`: the caller's, or the name of the session a trace starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SessionProperties<P> {
    Given(P),
    Named { session_name: String },
}

/// `{"session": {...}}`, the reference's `start` body.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StartBody<P> {
    pub session: Session<P>,
}

/// `{"event": {...}}`, the reference's `log` body.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogBody<P> {
    pub event: Event<P>,
}

/// The body of a single call's request, on either API.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Body<P> {
    Start(StartBody<P>),
    Session(Session<P>),
    Log(LogBody<P>),
    Event(Event<P>),
    Update(Update<P>),
}

/// `POST /session/start` with `{"session": {...}}`.
pub fn start<P>(o: StartOptions<P>, session_id: String, now_ms: f64) -> Request<Body<P>> {
    Request {
        method: Method::Post,
        path: "/session/start".into(),
        body: Body::Start(StartBody {
            session: session(o, session_id, now_ms),
        }),
        events: Events::Member("session"),
    }
}

/// The session object.
pub fn session<P>(o: StartOptions<P>, session_id: String, now_ms: f64) -> Session<P> {
    Session {
        project: o.project,
        session_name: o.session_name,
        source: o.source,
        session_id,
        config: OrEmpty(o.config),
        inputs: OrEmpty(o.inputs),
        metadata: OrEmpty(o.metadata),
        user_properties: OrEmpty(o.user_properties),
        start_time: now_ms.floor(),
    }
}

/// `POST /events` with `{"event": {...}}`.
pub fn log<P>(
    o: LogOptions<P>,
    session_id: String,
    event_id: String,
    now_ms: f64,
) -> Request<Body<P>> {
    Request {
        method: Method::Post,
        path: "/events".into(),
        body: Body::Log(LogBody {
            event: event(o.event, session_id, event_id, now_ms),
        }),
        events: Events::Member("event"),
    }
}

/// One event.
pub fn event<P>(e: EventOptions<P>, session_id: String, event_id: String, now_ms: f64) -> Event<P> {
    Event {
        event_id,
        session_id,
        project: e.project,
        source: e.source,
        event_name: e.event_name,
        event_type: e.event_type.as_str(),
        config: OrEmpty(e.config),
        inputs: OrEmpty(e.inputs),
        outputs: OrEmpty(e.outputs),
        metadata: OrEmpty(e.metadata),
        start_time: e.start_time.unwrap_or_else(|| now_ms.floor()),
        duration: e.duration_ms,
        parent_id: e.parent_id,
        children_ids: e.children_ids,
        error: e.error,
        end_time: e.end_time,
        feedback: e.feedback,
        metrics: e.metrics,
        user_properties: e.user_properties,
    }
}

/// `POST /events/batch` with `{"events": [...]}` and the batch's session members when given.
pub fn batch<'a, P>(
    events: &'a [Event<P>],
    is_single_session: Option<bool>,
    session_properties: Option<SessionProperties<P>>,
) -> Request<Batch<'a, P>> {
    Request {
        method: Method::Post,
        path: "/events/batch".into(),
        body: Batch {
            events,
            is_single_session,
            single_session: None,
            session_properties,
        },
        events: Events::Batch,
    }
}

/// `PUT /events` with the event id and only the members the caller gave.
pub fn update<P>(o: UpdateOptions<P>) -> Request<Body<P>> {
    let event_id = o.event_id.clone();
    Request {
        method: Method::Put,
        path: "/events".into(),
        body: Body::Update(Update {
            event_id: Some(event_id),
            ..changes(o)
        }),
        events: Events::Body,
    }
}

/// The members an update changes: only those the caller gave.
pub fn changes<P>(o: UpdateOptions<P>) -> Update<P> {
    Update {
        event_id: None,
        metadata: o.metadata,
        feedback: o.feedback,
        metrics: o.metrics,
        config: o.config,
        outputs: o.outputs,
        user_properties: o.user_properties,
        duration: o.duration_ms,
    }
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
    pub(crate) fn to_json<B: Serialize>(body: &B) -> J {
        serde_json::to_value(body).unwrap()
    }

    /// The options `f` resolves from the call's options `o` (no host environment).
    pub(crate) fn resolve<T>(
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
        let text = serde_json::to_string(&update(o).body).unwrap();
        assert_eq!(
            text,
            format!(
                r#"{{"event_id":"{ID}","metadata":{{"m":1}},"feedback":{{}},"metrics":{{"x":2}},"config":{{"c":3}},"outputs":{{"o":4}},"user_properties":{{"u":5}},"duration":7.0}}"#
            )
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
        let o = resolve(
            options::log,
            json!({"apiKey": "k", "project": "p", "eventName": "e"}),
        );
        let events = vec![event(o.event, ID.into(), "e-id".into(), NOW)];
        let e = to_json(&events[0]);
        let properties = SessionProperties::Given(json!({"session_name": "s"}));
        let r = batch(&events, Some(true), Some(properties));
        assert_eq!((r.method, r.path.as_ref()), (Method::Post, "/events/batch"));
        assert_eq!(
            to_json(&r.body),
            json!({"events": [e], "is_single_session": true, "session_properties": {"session_name": "s"}})
        );
        assert_eq!(
            to_json(&batch::<J>(&events, None, None).body),
            json!({"events": [e]})
        );
    }
}
