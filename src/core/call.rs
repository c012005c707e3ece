//! Which call a user made: it names the call in messages, and says what the call does and which
//! member of a success answer carries its id.

/// Which call failed; it names the call in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `start()`: `POST /session/start`.
    Start,
    /// `log()`: `POST /events`.
    Log,
    /// `update()`: `PUT /events`.
    Update,
    /// `logBatch()`: `POST /events/batch`.
    LogBatch,
    /// `trace()`: a trace's spans, as one batch.
    Trace,
    /// `replay()`: a request an outbox kept, made again.
    Replay,
}

impl Call {
    /// The call's name as a user writes it: `start`, `log`, `update`.
    pub fn name(self) -> &'static str {
        match self {
            Call::Start => "start",
            Call::Log => "log",
            Call::Update => "update",
            Call::LogBatch => "logBatch",
            Call::Trace => "trace",
            Call::Replay => "replay",
        }
    }

    /// What the call does, as in "Failed to start session".
    pub fn action(self) -> &'static str {
        match self {
            Call::Start => "start session",
            Call::Log => "log event",
            Call::Update => "update event",
            Call::LogBatch => "log a batch",
            Call::Trace => "send a trace",
            Call::Replay => "replay a queued request",
        }
    }

    /// The member of a successful answer that carries the id (`None`: no id is expected).
    pub fn id_key(self) -> Option<&'static str> {
        match self {
            Call::Start => Some("session_id"),
            Call::Log => Some("event_id"),
            Call::Update | Call::LogBatch | Call::Trace | Call::Replay => None,
        }
    }
}
