//! Traces: the spans a `trace()` call recorded become the events of one batch. The JS side only
//! wraps the caller's function (it notes each span's name, id, parent, times, error and
//! outputs as they happen); here the spans are checked and linked — every event in the trace's
//! session, each parent listing its children in the order they opened, a span still running when
//! its root ended closed at the root's end and marked — and the session the trace starts is named.

use crate::core::error::Error;
use crate::core::options::{EventOptions, TraceOptions};

/// The error a span carries when its root ended before it did: it is sent as far as it got, not
/// dropped, and says so.
pub const UNFINISHED: &str = "unfinished: the span was still running when its trace was sent";

/// What a trace sends: its events, linked, in the order their spans opened.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan<O> {
    /// The session every event goes to.
    pub session_id: String,
    /// The name of the session the trace starts; `None` when it logs into the caller's session.
    pub starts_session: Option<String>,
    pub events: Vec<EventOptions<O>>,
}

/// Links a trace's spans into the events it sends.
///
/// The first span is the root: the one span whose parent may lie outside the trace (a caller's
/// `parentId`, to nest the trace under an event of their own). Every other span's parent must
/// be a span that opened before it. Every span must have an id and a start time.
pub fn plan<O>(o: TraceOptions<O>) -> Result<Plan<O>, Error> {
    let mut events = o.spans;
    let Some(root) = events.first() else {
        return Err(Error::BrokenTrace("it has no spans"));
    };
    let root_end = root.end_time;
    let root_name = root.event_name.clone();
    let (session_id, starts_session) = match (o.session_id, root.session_id.clone()) {
        (Some(given), _) => (given, None),
        (None, Some(made)) => (made, Some(o.session_name.unwrap_or(root_name))),
        (None, None) => return Err(Error::BrokenTrace("its root span has no session")),
    };
    for index in 0..events.len() {
        let Some((opened_before, rest)) = events.split_at_mut_checked(index) else {
            break;
        };
        let Some(span) = rest.first_mut() else { break };
        let Some(id) = span.event_id.clone() else {
            return Err(Error::BrokenTrace("a span has no id"));
        };
        let Some(start) = span.start_time else {
            return Err(Error::BrokenTrace("a span has no start time"));
        };
        if opened_before
            .iter()
            .any(|earlier| earlier.event_id.as_deref() == Some(id.as_str()))
        {
            return Err(Error::BrokenTrace("two spans have the same id"));
        }
        span.session_id = Some(session_id.clone());
        if span.end_time.is_none() {
            let end = root_end.unwrap_or(start).max(start);
            span.end_time = Some(end);
            span.duration_ms = end - start;
            span.error.get_or_insert_with(|| UNFINISHED.to_string());
        }
        if index == 0 {
            continue;
        }
        let parent_id = span.parent_id.as_deref();
        let Some(parent) = opened_before
            .iter_mut()
            .find(|earlier| earlier.event_id.as_deref() == parent_id)
        else {
            return Err(Error::BrokenTrace(
                "a span's parent is not an earlier span of the trace",
            ));
        };
        parent.children_ids.get_or_insert_with(Vec::new).push(id);
    }
    Ok(Plan {
        session_id,
        starts_session,
        events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::options::{trace as trace_options, Given};
    use crate::core::value::Value;
    use serde_json::{json, Value as J};

    const SESSION: &str = "5e55a000-0000-4000-8000-000000000000";
    const ROOT: &str = "00000000-0000-4000-8000-000000000001";
    const CHILD: &str = "00000000-0000-4000-8000-000000000002";
    const GRANDCHILD: &str = "00000000-0000-4000-8000-000000000003";
    const SIBLING: &str = "00000000-0000-4000-8000-000000000004";

    fn span(id: &str, parent: Option<&str>, start: f64, end: Option<f64>, options: J) -> J {
        let mut span =
            json!({"eventName": format!("span {}", &id[35..]), "eventId": id, "startTime": start});
        if let Some(parent) = parent {
            span["parentId"] = json!(parent);
        }
        if let Some(end) = end {
            span["endTime"] = json!(end);
        }
        json!({"span": span, "options": options})
    }

    fn options(call: J, spans: Vec<J>) -> Result<TraceOptions<J>, Error> {
        let given = Given::call(Value::Object(call));
        trace_options(&given, spans, &|_| None)
    }

    fn tree() -> Vec<J> {
        let mut root = span(
            ROOT,
            None,
            1000.0,
            Some(1100.0),
            json!({"inputs": {"q": 1}}),
        );
        root["span"]["sessionId"] = json!(SESSION);
        vec![
            root,
            span(
                CHILD,
                Some(ROOT),
                1010.0,
                Some(1050.0),
                json!({"eventType": "model"}),
            ),
            span(
                GRANDCHILD,
                Some(CHILD),
                1020.0,
                Some(1030.0),
                json!({"event_type": "tool"}),
            ),
            span(SIBLING, Some(ROOT), 1060.0, Some(1090.0), json!({})),
        ]
    }

    const CALL: fn() -> J = || json!({"apiKey": "k", "project": "p"});

    #[test]
    fn parents_list_their_children_in_the_order_they_opened() {
        let plan = plan(options(CALL(), tree()).unwrap()).unwrap();
        let children: Vec<_> = plan.events.iter().map(|e| e.children_ids.clone()).collect();
        assert_eq!(
            children,
            [
                Some(vec![CHILD.to_string(), SIBLING.to_string()]),
                Some(vec![GRANDCHILD.to_string()]),
                None,
                None
            ]
        );
        let parents: Vec<_> = plan.events.iter().map(|e| e.parent_id.as_deref()).collect();
        assert_eq!(parents, [None, Some(ROOT), Some(CHILD), Some(ROOT)]);
    }

    #[test]
    fn spans_default_to_chain_and_keep_their_own_type() {
        let plan = plan(options(CALL(), tree()).unwrap()).unwrap();
        let types: Vec<_> = plan.events.iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(types, ["chain", "model", "tool", "chain"]);
    }

    #[test]
    fn durations_come_from_the_span_times() {
        let plan = plan(options(CALL(), tree()).unwrap()).unwrap();
        let durations: Vec<_> = plan.events.iter().map(|e| e.duration_ms).collect();
        assert_eq!(durations, [100.0, 40.0, 10.0, 30.0]);
    }

    #[test]
    fn a_child_does_not_inherit_the_roots_inputs_but_shares_project_and_source() {
        let plan = plan(
            options(
                json!({"apiKey": "k", "project": "p", "source": "edge"}),
                tree(),
            )
            .unwrap(),
        )
        .unwrap();
        assert!(plan.events[0].inputs.is_some());
        assert!(plan.events[1..].iter().all(|e| e.inputs.is_none()));
        assert!(plan
            .events
            .iter()
            .all(|e| e.project.as_deref() == Some("p") && e.source == "edge"));
    }

    #[test]
    fn a_trace_without_a_session_starts_one_named_after_its_root() {
        let plan = plan(options(CALL(), tree()).unwrap()).unwrap();
        assert_eq!(plan.session_id, SESSION);
        assert_eq!(plan.starts_session.as_deref(), Some("span 1"));
        assert!(plan
            .events
            .iter()
            .all(|e| e.session_id.as_deref() == Some(SESSION)));
        let named = plan_of(json!({"apiKey": "k", "project": "p", "sessionName": "checkout"}));
        assert_eq!(named.starts_session.as_deref(), Some("checkout"));
    }

    fn plan_of(call: J) -> Plan<J> {
        plan(options(call, tree()).unwrap()).unwrap()
    }

    #[test]
    fn a_trace_in_the_callers_session_starts_none_and_puts_every_span_there() {
        const GIVEN: &str = "5e55a000-0000-4000-8000-0000000000ff";
        let plan = plan_of(json!({"apiKey": "k", "project": "p", "sessionId": GIVEN}));
        assert_eq!(
            (plan.session_id.as_str(), plan.starts_session),
            (GIVEN, None)
        );
        assert!(plan
            .events
            .iter()
            .all(|e| e.session_id.as_deref() == Some(GIVEN)));
    }

    #[test]
    fn a_span_still_running_when_the_root_ended_is_sent_closed_at_the_roots_end_and_marked() {
        let mut spans = tree();
        spans[3] = span(SIBLING, Some(ROOT), 1060.0, None, json!({}));
        let plan = plan(options(CALL(), spans).unwrap()).unwrap();
        let sibling = &plan.events[3];
        assert_eq!(
            (
                sibling.end_time,
                sibling.duration_ms,
                sibling.error.as_deref()
            ),
            (Some(1100.0), 40.0, Some(UNFINISHED))
        );
    }

    #[test]
    fn the_root_may_nest_under_an_event_outside_the_trace() {
        let mut spans = tree();
        spans[0]["options"]["parentId"] = json!(SIBLING.replace('4', "5"));
        let plan = plan(options(CALL(), spans).unwrap()).unwrap();
        assert_eq!(plan.events[0].parent_id, Some(SIBLING.replace('4', "5")));
    }

    #[test]
    fn broken_traces_are_refused_with_a_reason() {
        let broken = |edit: fn(&mut Vec<J>)| {
            let mut spans = tree();
            edit(&mut spans);
            plan(options(CALL(), spans).unwrap()).unwrap_err()
        };
        assert_eq!(
            broken(|s| s[2]["span"]["parentId"] = json!(SIBLING)),
            Error::BrokenTrace("a span's parent is not an earlier span of the trace")
        );
        assert_eq!(
            broken(|s| s[3]["span"]["eventId"] = json!(CHILD)),
            Error::BrokenTrace("two spans have the same id")
        );
        assert_eq!(
            broken(|s| s[0]["span"]["sessionId"] = J::Null),
            Error::BrokenTrace("its root span has no session")
        );
        assert_eq!(
            broken(|s| s[1]["span"]["startTime"] = J::Null),
            Error::BrokenTrace("a span has no start time")
        );
        assert_eq!(
            plan(options(CALL(), vec![]).unwrap()).unwrap_err(),
            Error::BrokenTrace("it has no spans")
        );
    }

    #[test]
    fn a_spans_bad_option_names_the_span() {
        let mut spans = tree();
        spans[2]["options"]["eventType"] = json!("agent");
        let error = options(CALL(), spans).unwrap_err();
        assert_eq!(
            error,
            Error::InSpan {
                index: 2,
                error: Box::new(Error::InvalidEventType("agent".into()))
            }
        );
    }
}
