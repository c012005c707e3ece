//! The options every call has ([`Common`]): the key and where it came from, the API and its
//! URL, verbose mode, retries and timeouts, the signal, the hooks; and the project and source.

use super::layer::{Opt, Var};
use super::reader::{invalid, Bounds, Reader};
use super::{MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS};
use crate::core::error::Error;
use crate::core::keys::{self, Found, KeyKind};
use crate::core::outbox::Kind;
use crate::core::retry::RetryPolicy;
use crate::core::routes::{self, Platform};
use crate::core::value::{Payload, Value};

/// The `source` when neither the option nor HH_SOURCE says.
pub const DEFAULT_SOURCE: &str = "dev";

/// Options every call has.
#[derive(Clone, Debug, PartialEq)]
pub struct Common<P> {
    /// The key the call sends as `Authorization: Bearer …` (see [`crate::core::keys`]); never
    /// printed.
    pub api_key: String,
    /// Where the key sent came from, as the user names it (`apiKey`, `env.HH_INGESTION_API_KEY`):
    /// what a 401's message names (never the key).
    pub key_source: String,
    /// Every key the caller gave (API and ingestion keys), masked in all the call prints.
    pub secrets: Vec<String>,
    /// True when the key is a typed key of the current platform: `project` is then optional.
    pub typed_key: bool,
    /// The routes the call speaks (see [`crate::core::routes`]).
    pub api: Platform,
    /// The base URL of those routes, without a trailing `/`.
    pub server_url: String,
    /// Reject with a full message and print the requests, instead of one quiet line.
    pub verbose: bool,
    /// Attempts and timeouts.
    pub retry: RetryPolicy,
    /// The caller's AbortSignal, if any.
    pub signal: Option<P>,
    /// The caller's `redact(event) => event`, run on every event just before it is serialised.
    pub redact: Option<P>,
    /// The caller's `onError(error)`, told of the call's failure (a failure before the options
    /// were resolved reads it leniently: see [`super::on_error`]).
    pub on_error: Option<P>,
    /// Where to hand the requests a later attempt could deliver, when this call cannot.
    pub outbox: Option<Outbox<P>>,
    /// Things verbose mode tells the caller about their options.
    pub notes: Vec<&'static str>,
}

/// A call's outbox: the caller's queue, and what kind it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Outbox<P> {
    pub queue: P,
    pub kind: Kind,
}

impl<P: Payload> Reader<'_, P> {
    /// The API key, with where it was found.
    pub fn api_key(&self) -> Result<Option<Found>, Error> {
        self.found(Opt::ApiKey, Var::ApiKey)
    }

    /// The ingestion key, with where it was found.
    pub fn ingestion_key(&self) -> Result<Option<Found>, Error> {
        self.found(Opt::IngestionApiKey, Var::IngestionApiKey)
    }

    /// The ingestion key where it can win over `api_key` (the same place or a nearer one).
    fn ingestion_key_within(&self, api_key: Option<&Found>) -> Result<Option<Found>, Error> {
        let farthest = api_key.map_or(keys::Origin::HostEnv, |found| found.origin);
        self.found_within(Opt::IngestionApiKey, Var::IngestionApiKey, farthest)
    }

    pub fn common(&self) -> Result<Common<P>, Error> {
        let api_key = self.api_key()?;
        let ingestion_key = self.ingestion_key_within(api_key.as_ref())?;
        let mut secrets = Vec::new();
        for found in [&api_key, &ingestion_key].into_iter().flatten() {
            secrets.push(found.value.clone());
        }
        let key = keys::choose(api_key, ingestion_key).ok_or(Error::MissingApiKey)?;
        if !key.value.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::InvalidApiKey);
        }
        let key_kind = keys::kind(&key.value);
        if key_kind == KeyKind::Malformed {
            return Err(Error::MalformedKey {
                source: key.source(),
            });
        }
        let server_url = self.found(Opt::ServerUrl, Var::ApiUrl)?;
        let farthest = server_url
            .as_ref()
            .map_or(keys::Origin::HostEnv, |found| found.origin);
        let data_plane_url = self.found_within(Opt::DataPlaneUrl, Var::DataPlaneUrl, farthest)?;
        let target = routes::choose(server_url, data_plane_url, key_kind)?;
        let verbose = self.boolean(Opt::Verbose)?.unwrap_or(false);
        let retry = self.retry_policy()?;
        let signal = match self.option(Opt::Signal)? {
            Value::Absent => None,
            Value::Object(signal) if signal.is_abort_signal() => Some(signal),
            other => return Err(invalid(Opt::Signal, "an AbortSignal", &other)),
        };
        let redact = self.hook(Opt::Redact)?;
        let outbox = self.outbox()?;
        let on_error = self.hook(Opt::OnError)?;
        let notes = self.tls_notes()?;
        Ok(Common {
            key_source: key.source(),
            api_key: key.value,
            secrets,
            typed_key: key_kind == KeyKind::Typed,
            api: target.api,
            server_url: target.base_url,
            verbose,
            retry,
            signal,
            redact,
            on_error,
            outbox,
            notes,
        })
    }

    /// The retries, the attempts' time limit and the call's deadline.
    fn retry_policy(&self) -> Result<RetryPolicy, Error> {
        let retries = Bounds {
            min: 0.0,
            max: f64::from(MAX_RETRIES_LIMIT),
            whole: true,
            expected: "a whole number from 0 to 10",
        };
        let limit = Bounds {
            min: 1.0,
            max: f64::from(MAX_TIMEOUT_MS),
            whole: false,
            expected: "a number of milliseconds from 1 to 600000",
        };
        Ok(RetryPolicy {
            max_retries: self
                .number(Opt::MaxRetries, retries)?
                .map_or(RetryPolicy::DEFAULT_MAX_RETRIES, |n| n as u32),
            timeout_ms: self
                .number(Opt::TimeoutMs, limit)?
                .map_or(RetryPolicy::DEFAULT_TIMEOUT_MS, |n| n.ceil() as u32),
            deadline_ms: self
                .number(Opt::DeadlineMs, limit)?
                .map(|n| n.ceil() as u32),
        })
    }

    /// What verbose mode says of the reference's TLS options: the runtime's fetch owns TLS.
    fn tls_notes(&self) -> Result<Vec<&'static str>, Error> {
        let mut given = false;
        for opt in [Opt::CaBundlePath, Opt::Verify] {
            given |= !matches!(self.option(opt)?, Value::Absent);
        }
        Ok(if given {
            vec![
                "caBundlePath and verify are ignored: TLS belongs to the runtime's fetch. Trust a \
                 custom CA with NODE_EXTRA_CA_CERTS (Node), DENO_CERT (Deno), or the system store \
                 (browsers).",
            ]
        } else {
            Vec::new()
        })
    }

    /// The outbox: the option (`false` turns it off), else the `env` option's `HH_OUTBOX`.
    pub fn outbox(&self) -> Result<Option<Outbox<P>>, Error> {
        let expected =
            "a Cloudflare Queue binding, a Deno.Kv, an object with send(message), or false";
        let queue = match self.option(Opt::Outbox)? {
            Value::Bool(false) => return Ok(None),
            Value::Object(queue) => queue,
            // From `env`, only an object is a queue: a variable of text is not one.
            Value::Absent => match self.env_outbox() {
                Value::Object(queue) => queue,
                _ => return Ok(None),
            },
            other => return Err(invalid(Opt::Outbox, expected, &other)),
        };
        match Kind::of(&queue) {
            Some(kind) => Ok(Some(Outbox { queue, kind })),
            None => Err(invalid(Opt::Outbox, expected, &Value::<P>::Object(queue))),
        }
    }

    /// The project: required by the reference's API with a key of the reference's kind. A
    /// typed key names its project itself (on the reference's routes it is sent only when
    /// given), and the v2 API takes no project at all (its requests leave it out; see
    /// [`crate::core::v2`]).
    pub fn project(&self, common: &Common<P>) -> Result<Option<String>, Error> {
        match self.text_or_env(Opt::Project, Var::Project)? {
            None if common.api == Platform::Reference && !common.typed_key => {
                Err(Error::MissingProject)
            }
            project => Ok(project),
        }
    }

    pub fn source(&self) -> Result<String, Error> {
        Ok(self
            .text_or_env(Opt::Source, Var::Source)?
            .unwrap_or_else(|| DEFAULT_SOURCE.to_string()))
    }
}
