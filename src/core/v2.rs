//! The requests of HoneyHive's v2 API (the data plane's `/v1/...` routes, OpenAPI 1.9.0), built
//! from the same resolved options as the reference's requests in [`crate::core::request`]. The bodies
//! are bare objects (no `{"session": …}` / `{"event": …}` wrapper) and never carry `project`:
//! the v2 schemas have no such member (the key names the project). An update names its event in
//! the path and carries only the members to change; a batch says `single_session`, never the
//! reference's `is_single_session`.

use crate::core::options::{EventOptions, LogOptions, StartOptions, UpdateOptions};
use crate::core::request::{self, Batch, Body, Event, Events, Method, Request, SessionProperties};

/// `POST /v1/sessions` with the session object itself (idempotent on `session_id`).
pub fn start<P>(mut o: StartOptions<P>, session_id: String, now_ms: f64) -> Request<Body<P>> {
    o.project = None;
    Request {
        method: Method::Post,
        path: "/v1/sessions".into(),
        body: Body::Session(request::session(o, session_id, now_ms)),
        events: Events::Body,
    }
}

/// `POST /v1/events` with the event object itself.
pub fn log<P>(
    o: LogOptions<P>,
    session_id: String,
    event_id: String,
    now_ms: f64,
) -> Request<Body<P>> {
    Request {
        method: Method::Post,
        path: "/v1/events".into(),
        body: Body::Event(event(o.event, session_id, event_id, now_ms)),
        events: Events::Body,
    }
}

/// One event as the v2 API takes it: the reference's event without `project`.
pub fn event<P>(
    mut e: EventOptions<P>,
    session_id: String,
    event_id: String,
    now_ms: f64,
) -> Event<P> {
    e.project = None;
    request::event(e, session_id, event_id, now_ms)
}

/// `POST /v1/events/batch` with `{"events": [...]}` and the batch's session members when given.
pub fn batch<'a, P>(
    events: &'a [Event<P>],
    single_session: Option<bool>,
    session_properties: Option<SessionProperties<P>>,
) -> Request<Batch<'a, P>> {
    Request {
        method: Method::Post,
        path: "/v1/events/batch".into(),
        body: Batch {
            events,
            is_single_session: None,
            single_session,
            session_properties,
        },
        events: Events::Batch,
    }
}

/// `PUT /v1/events/{event_id}` with only the members the caller gave.
pub fn update<P>(o: UpdateOptions<P>) -> Request<Body<P>> {
    let path = format!("/v1/events/{}", o.event_id);
    Request {
        method: Method::Put,
        path: path.into(),
        body: Body::Update(request::changes(o)),
        events: Events::Body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keys::tests::typed;
    use crate::core::options;
    use crate::core::request::tests::{resolve, to_json};
    use serde_json::json;

    const ID: &str = "123e4567-e89b-42d3-a456-426614174000";
    const NOW: f64 = 1_700_000_000_123.7;

    #[test]
    fn start_sends_the_bare_session_without_project() {
        let o = resolve(
            options::start,
            json!({"apiKey": "k", "project": "p", "dataPlaneUrl": "http://dp", "inputs": {"q": 1}}),
        );
        let r = start(o, ID.into(), NOW);
        assert_eq!((r.method, r.path.as_ref()), (Method::Post, "/v1/sessions"));
        assert_eq!(
            to_json(&r.body),
            json!({"session_name": "p", "source": "dev", "session_id": ID, "config": {}, "inputs": {"q": 1},
                "metadata": {}, "user_properties": {}, "start_time": 1_700_000_000_123.0})
        );
    }

    #[test]
    fn with_no_project_the_session_name_is_left_to_the_server() {
        let o = resolve(options::start, json!({"apiKey": typed("hh_ingst_")}));
        let body = to_json(&start(o, ID.into(), NOW).body);
        assert!(
            body.get("project").is_none() && body.get("session_name").is_none(),
            "{body}"
        );
        let o = resolve(
            options::start,
            json!({"apiKey": typed("hh_ingst_"), "sessionName": "chat"}),
        );
        assert_eq!(
            to_json(&start(o, ID.into(), NOW).body)["session_name"],
            json!("chat")
        );
    }

    #[test]
    fn log_sends_the_bare_event() {
        let o = resolve(
            options::log,
            json!({"apiKey": typed("hh_ingst_"), "eventName": "e", "eventType": "chain", "inputs": {"a": 1}}),
        );
        let r = log(o, ID.into(), "e-id".into(), NOW);
        assert_eq!((r.method, r.path.as_ref()), (Method::Post, "/v1/events"));
        assert_eq!(
            to_json(&r.body),
            json!({"event_id": "e-id", "session_id": ID, "source": "dev", "event_name": "e", "event_type": "chain",
                "config": {}, "inputs": {"a": 1}, "outputs": {}, "metadata": {}, "start_time": 1_700_000_000_123.0, "duration": 10.0})
        );
    }

    #[test]
    fn update_names_the_event_in_the_path_and_sends_only_the_changes() {
        let o = resolve(
            options::update,
            json!({"apiKey": "k", "eventId": ID, "metrics": {"m": 1}, "durationMs": 5}),
        );
        let r = update(o);
        assert_eq!(
            (r.method, r.path.as_ref()),
            (Method::Put, format!("/v1/events/{ID}").as_str())
        );
        assert_eq!(
            to_json(&r.body),
            json!({"metrics": {"m": 1}, "duration": 5.0})
        );
    }

    #[test]
    fn a_batch_says_single_session_and_its_events_carry_no_project() {
        let o = resolve(
            options::log,
            json!({"apiKey": "k", "project": "p", "eventName": "e"}),
        );
        let event = event(o.event, ID.into(), "e-id".into(), NOW);
        assert!(to_json(&event).get("project").is_none());
        let events = [event];
        let r = batch(
            &events,
            Some(true),
            Some(SessionProperties::Given(json!({"session_name": "s"}))),
        );
        assert_eq!(
            (r.method, r.path.as_ref()),
            (Method::Post, "/v1/events/batch")
        );
        let body = to_json(&r.body);
        assert_eq!(
            (
                body["single_session"].clone(),
                body["session_properties"].clone()
            ),
            (json!(true), json!({"session_name": "s"}))
        );
        assert!(body.get("is_single_session").is_none());
    }
}
