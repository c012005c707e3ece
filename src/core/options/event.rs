//! One event's options, as `log()` and each member of `logBatch({ events })` or a trace's spans
//! describe it: its name and type, ids, times and duration, and payloads.

use super::common::Common;
use super::layer::Opt;
use super::reader::{first_failure, invalid, Bounds, Reader};
use crate::core::error::Error;
use crate::core::ids::is_uuid;
use crate::core::value::{Payload, Value};

/// The event duration the reference sends when none (or 0) is given.
pub const DEFAULT_DURATION_MS: f64 = 10.0;

/// The kinds of event the API takes from this logger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// A call to a model.
    Model,
    /// A tool call; the default.
    Tool,
    /// A chain of steps.
    Chain,
}

impl EventType {
    /// The lower-case name sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Model => "model",
            EventType::Tool => "tool",
            EventType::Chain => "chain",
        }
    }

    /// Parses a name, ignoring case.
    pub fn parse(name: &str) -> Option<EventType> {
        [EventType::Model, EventType::Tool, EventType::Chain]
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

/// One event, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct EventOptions<P> {
    /// `None` only with a typed key, which names the project itself.
    pub project: Option<String>,
    pub source: String,
    pub event_name: String,
    pub event_type: EventType,
    /// The session to log under; `None`: the call makes a new UUIDv4, as the reference does.
    pub session_id: Option<String>,
    /// The caller's event id; `None`: the call makes a UUIDv4, kept across retries.
    pub event_id: Option<String>,
    pub parent_id: Option<String>,
    pub children_ids: Option<Vec<String>>,
    pub error: Option<String>,
    /// Unix ms; `None`: now.
    pub start_time: Option<f64>,
    pub end_time: Option<f64>,
    pub config: Option<P>,
    pub inputs: Option<P>,
    pub outputs: Option<P>,
    pub metadata: Option<P>,
    pub feedback: Option<P>,
    pub metrics: Option<P>,
    pub user_properties: Option<P>,
    pub duration_ms: f64,
}

impl<P: Payload> Reader<'_, P> {
    /// One event's options, as `log()` reads them.
    pub fn event(&self, common: &Common<P>) -> Result<EventOptions<P>, Error> {
        self.event_with(self.project(common)?, self.source()?, EventType::Tool)
    }

    /// One event's own options, with the project and source of its call and the type it has
    /// when it names none.
    pub fn event_with(
        &self,
        project: Option<String>,
        source: String,
        default_type: EventType,
    ) -> Result<EventOptions<P>, Error> {
        let event_name = self.text(Opt::EventName)?.ok_or(Error::MissingEventName)?;
        let event_type = match self.option(Opt::EventType)? {
            Value::Absent => default_type,
            Value::String(name) => EventType::parse(&name).ok_or(Error::InvalidEventType(name))?,
            other => {
                let expected = "one of \"model\", \"tool\", \"chain\"";
                return Err(invalid(Opt::EventType, expected, &other));
            }
        };
        let time = Bounds::non_negative("a time in Unix milliseconds");
        let start_time = self.number(Opt::StartTime, time)?;
        let end_time = self.number(Opt::EndTime, time)?;
        let duration = Bounds::non_negative("a number of milliseconds ≥ 0");
        let duration_ms = match (
            self.number(Opt::DurationMs, duration)?,
            start_time,
            end_time,
        ) {
            (Some(ms), _, _) if ms > 0.0 => ms,
            (_, Some(start), Some(end)) if end >= start => end - start,
            (_, Some(_), Some(end)) => {
                let expected = "a time (Unix ms) not before startTime";
                return Err(invalid(Opt::EndTime, expected, &Value::<P>::Number(end)));
            }
            _ => DEFAULT_DURATION_MS,
        };
        let children_ids = match self.items(Opt::ChildrenIds)? {
            None => None,
            Some(items) => {
                let mut ids = Vec::with_capacity(items.len());
                for item in items {
                    match item.value() {
                        Value::String(id) if is_uuid(&id) => ids.push(id),
                        other => {
                            return Err(invalid(Opt::ChildrenIds, "an array of UUIDs", &other))
                        }
                    }
                }
                Some(ids)
            }
        };
        // The first failure, after every member was read: one way out instead of one per member.
        let mut failed = None;
        let mut ok = |read| first_failure(&mut failed, read);
        let session_id = ok(self.uuid(Opt::SessionId));
        let event_id = ok(self.uuid(Opt::EventId));
        let parent_id = ok(self.uuid(Opt::ParentId));
        let error = ok(self.text(Opt::Error));
        let mut payload = |opt| first_failure(&mut failed, self.payload(opt));
        let event = EventOptions {
            config: payload(Opt::Config),
            inputs: payload(Opt::Inputs),
            outputs: payload(Opt::Outputs),
            metadata: payload(Opt::Metadata),
            feedback: payload(Opt::Feedback),
            metrics: payload(Opt::Metrics),
            user_properties: payload(Opt::UserProperties),
            session_id,
            event_id,
            parent_id,
            error,
            source,
            children_ids,
            start_time,
            end_time,
            project,
            event_name,
            event_type,
            duration_ms,
        };
        failed.map_or(Ok(event), Err)
    }
}
