//! Every option, declared once: its camelCase name and its snake_case alias side by side. A
//! [`Layer`] is one object of options as given (a call's, a client's defaults, a batch's event, a
//! span's), read from its members: only the declared names are kept, each value kept as the host's
//! ([`Payload`]) and sorted by kind ([`Value`]); unknown members are ignored. Which layer and
//! spelling wins, the defaults and the validation are [`super::reader`]'s.

use crate::core::record::Record;
use crate::core::value::{Payload, Value};

/// One option as a layer gives it, in each spelling. When both are given, camelCase wins.
#[derive(Clone, Debug, PartialEq)]
pub struct Spelled<P> {
    pub camel: Value<P>,
    pub snake: Value<P>,
}

impl<P> Default for Spelled<P> {
    fn default() -> Self {
        Spelled {
            camel: Value::Absent,
            snake: Value::Absent,
        }
    }
}

/// Declares the options: the [`Opt`] enum, and the [`Layer`] struct with a field per option and
/// the slot each spelling is read into.
macro_rules! options {
    ($( $(#[$doc:meta])* $opt:ident $field:ident: $camel:literal $(| $snake:literal)?, )*) => {
        /// An option, by its camelCase name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Opt {
            $( $(#[$doc])* $opt, )*
        }

        /// Every spelling of every option, in the order declared: a layer is read by these
        /// names, and the host tells the members it found by their index here.
        pub const SPELLINGS: &[&str] = &[ $( $camel, $( $snake, )? )* ];

        impl Opt {
            /// Every option, in the order declared.
            pub const ALL: &'static [Opt] = &[ $( Opt::$opt, )* ];

            /// The option's name as messages give it (camelCase).
            pub fn name(self) -> &'static str {
                match self {
                    $( Opt::$opt => $camel, )*
                }
            }

            /// Its names: camelCase, then the snake_case alias where it has one.
            pub fn spellings(self) -> &'static [&'static str] {
                match self {
                    $( Opt::$opt => &[$camel $(, $snake)?], )*
                }
            }
        }

        /// One object of options as given.
        #[derive(Clone, Debug, PartialEq)]
        pub struct Layer<P> {
            $( $(#[$doc])* pub $field: Spelled<P>, )*
        }

        impl<P> Default for Layer<P> {
            fn default() -> Self {
                Layer { $( $field: Spelled::default(), )* }
            }
        }

        impl<P> Layer<P> {
            /// The option, as this layer gives it.
            pub fn get(&self, opt: Opt) -> &Spelled<P> {
                match opt {
                    $( Opt::$opt => &self.$field, )*
                }
            }

            /// Where the member of the `index`-th name of [`SPELLINGS`] goes: the option's
            /// spelling slot.
            fn slot(&mut self, index: usize) -> Option<&mut Value<P>> {
                let mut at = 0;
                $(
                    if index == at {
                        return Some(&mut self.$field.camel);
                    }
                    at += 1;
                    $(
                        let _alias = $snake; // (the alias, which this repeats for)
                        if index == at {
                            return Some(&mut self.$field.snake);
                        }
                        at += 1;
                    )?
                )*
                let _ = at;
                None
            }
        }
    };
}

options! {
    /// The API key (a typed key, or one of the reference's kind).
    ApiKey api_key: "apiKey" | "api_key",
    /// The current platform's ingestion key (`hh_ingst_…`).
    IngestionApiKey ingestion_api_key: "ingestionApiKey" | "ingestion_api_key",
    /// The reference's routes' base URL.
    ServerUrl server_url: "serverUrl" | "server_url",
    /// The current platform's data plane URL (the v2 routes).
    DataPlaneUrl data_plane_url: "dataPlaneUrl" | "data_plane_url",
    Project project: "project",
    Source source: "source",
    Verbose verbose: "verbose",
    MaxRetries max_retries: "maxRetries" | "max_retries",
    TimeoutMs timeout_ms: "timeoutMs" | "timeout_ms",
    DeadlineMs deadline_ms: "deadlineMs" | "deadline_ms",
    Signal signal: "signal",
    /// The reference's TLS options, which the runtime's fetch owns: only noted.
    CaBundlePath ca_bundle_path: "caBundlePath" | "ca_bundle_path",
    Verify verify: "verify",
    SessionName session_name: "sessionName" | "session_name",
    SessionId session_id: "sessionId" | "session_id",
    EventId event_id: "eventId" | "event_id",
    ParentId parent_id: "parentId" | "parent_id",
    ChildrenIds children_ids: "childrenIds" | "children_ids",
    EventName event_name: "eventName" | "event_name",
    EventType event_type: "eventType" | "event_type",
    Error error: "error",
    StartTime start_time: "startTime" | "start_time",
    EndTime end_time: "endTime" | "end_time",
    DurationMs duration_ms: "durationMs" | "duration_ms",
    Config config: "config",
    Inputs inputs: "inputs",
    Outputs outputs: "outputs",
    Metadata metadata: "metadata",
    Feedback feedback: "feedback",
    Metrics metrics: "metrics",
    UserProperties user_properties: "userProperties" | "user_properties",
    /// Environment bindings (a Worker's `env`): see [`Env`].
    Env env: "env",
    /// `logBatch`'s events.
    Events events: "events",
    IsSingleSession is_single_session: "isSingleSession" | "is_single_session",
    SessionProperties session_properties: "sessionProperties" | "session_properties",
    OnError on_error: "onError" | "on_error",
    Redact redact: "redact",
    /// Where the requests go that HoneyHive could not take (a queue), or `false`.
    Outbox outbox: "outbox",
    /// The share of traces sent (see [`crate::core::sampling`]).
    SampleRate sample_rate: "sampleRate" | "sample_rate",
}

impl<P> Layer<P> {
    /// The layer as one event of a batch (or a span) gives it: an event holds no `env`, batch
    /// options or hooks, so that it cannot change the call's.
    pub fn into_event(self) -> Self {
        Layer {
            env: Spelled::default(),
            events: Spelled::default(),
            is_single_session: Spelled::default(),
            session_properties: Spelled::default(),
            on_error: Spelled::default(),
            redact: Spelled::default(),
            outbox: Spelled::default(),
            sample_rate: Spelled::default(),
            ..self
        }
    }
}

impl<P: Payload> Layer<P> {
    /// The layer of an object of options: the members with an option's name, each sorted by
    /// kind; other members are not read. Why it cannot be read, when it cannot.
    pub fn read(object: &P) -> Result<Self, String> {
        let mut layer = Layer::default();
        for (index, value) in object.named_members(SPELLINGS)? {
            if let Some(slot) = layer.slot(index) {
                *slot = value;
            }
        }
        Ok(layer)
    }
}

/// The `env` option's variables: a Worker's `env`, or any object of bindings. The core reads
/// only these (the host copies the object's members first, by reference: see src/npm/plain.js).
#[derive(Clone, Debug, PartialEq)]
pub struct Env<P> {
    api_key: Value<P>,
    ingestion_api_key: Value<P>,
    api_url: Value<P>,
    data_plane_url: Value<P>,
    project: Value<P>,
    source: Value<P>,
    /// A queue binding named `HH_OUTBOX` (a Worker's), the outbox unless `outbox` says otherwise.
    outbox: Value<P>,
}

/// A variable the options fall back to, in the `env` option and the host's environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Var {
    ApiKey,
    IngestionApiKey,
    ApiUrl,
    DataPlaneUrl,
    Project,
    Source,
}

impl Var {
    /// The variable's name, e.g. `HH_API_KEY`.
    pub fn name(self) -> &'static str {
        match self {
            Var::ApiKey => "HH_API_KEY",
            Var::IngestionApiKey => "HH_INGESTION_API_KEY",
            Var::ApiUrl => "HH_API_URL",
            Var::DataPlaneUrl => "HH_DATA_PLANE_URL",
            Var::Project => "HH_PROJECT",
            Var::Source => "HH_SOURCE",
        }
    }
}

impl<P: Payload> Env<P> {
    /// The variables of the `env` object `record`, each sorted by kind once.
    pub fn of(record: &Record<P>) -> Self {
        let var = |var: Var| record.value(var.name());
        Env {
            api_key: var(Var::ApiKey),
            ingestion_api_key: var(Var::IngestionApiKey),
            api_url: var(Var::ApiUrl),
            data_plane_url: var(Var::DataPlaneUrl),
            project: var(Var::Project),
            source: var(Var::Source),
            outbox: record.value("HH_OUTBOX"),
        }
    }

    /// The `HH_OUTBOX` binding, as the `env` option holds it.
    pub fn outbox(&self) -> &Value<P> {
        &self.outbox
    }

    /// The variable as the `env` option holds it.
    pub fn get(&self, var: Var) -> Value<P> {
        let value = match var {
            Var::ApiKey => &self.api_key,
            Var::IngestionApiKey => &self.ingestion_api_key,
            Var::ApiUrl => &self.api_url,
            Var::DataPlaneUrl => &self.data_plane_url,
            Var::Project => &self.project,
            Var::Source => &self.source,
        };
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::Opt;

    /// The list above is the one list of options: the types users read and the fuzz test that
    /// tries every option with hostile values must name each spelling in it, and the JS that
    /// reports a module that cannot load reads none that is not in it.
    #[test]
    fn the_types_and_the_fuzz_test_name_every_option() {
        let types = include_str!("../../npm/index.d.ts");
        let fuzz = include_str!("../../../tests/node/fuzz.test.mjs");
        let listed = fuzz
            .split("const OPTIONS = [")
            .nth(1)
            .and_then(|rest| rest.split("];").next())
            .expect("fuzz.test.mjs has its OPTIONS list");
        for name in Opt::ALL.iter().flat_map(|opt| opt.spellings()) {
            // A member of an interface: on a line of its own, indented (not a word in prose).
            let declared = [format!("\n  {name}?:"), format!("\n  {name}:")];
            assert!(
                declared.iter().any(|d| types.contains(d.as_str())),
                "index.d.ts declares no `{name}`"
            );
            assert!(
                listed.contains(&format!("\"{name}\"")),
                "the fuzz test's OPTIONS lacks \"{name}\""
            );
        }
        let unloaded = include_str!("../../npm/unloaded.js");
        let all: Vec<&str> = Opt::ALL
            .iter()
            .flat_map(|o| o.spellings())
            .copied()
            .collect();
        let reads: Vec<&str> = unloaded
            .split("option(opts, defaults, \"")
            .skip(1)
            .collect();
        assert!(
            reads.len() >= 2,
            "unloaded.js reads its options as option(opts, defaults, ...)"
        );
        for read in reads {
            for name in read.split(')').next().unwrap_or("").split(", ") {
                let name = name.trim_matches('"');
                assert!(all.contains(&name), "unloaded.js reads `{name}`, no option");
            }
        }
    }
}
