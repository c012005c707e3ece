//! The [`Message`] an outbox keeps: one request to make again, never with a key (a replay
//! takes its own, from its options and `env`), and which requests a replay may send.

use serde::Serialize;

use crate::core::error::Error;
use crate::core::ids::is_uuid;
use crate::core::record::Record;
use crate::core::request::Method;
use crate::core::routes::Platform;
use crate::core::value::Payload;

/// The format version of a message; a replay refuses any other. Its members `id`, `attempts`
/// and `encoding` are optional: a message without them replays as one with none.
pub const VERSION: u32 = 1;

/// How a message's body is written, when not as the JSON text that was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// gzip: as bytes for a `Deno.Kv`, as base64 text for the queues that carry JSON.
    Gzip,
}

/// One request to make again: the API it speaks, its method and route, and its body (the JSON
/// text as it was sent: ids made, `redact` run), under a format version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message<B> {
    pub v: u32,
    /// A UUID of the message, which a replay given its `Deno.Kv` marks as delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `reference` or `v2`.
    pub api: String,
    /// `POST` or `PUT`.
    pub method: String,
    pub path: String,
    /// How many events it carries (a session and an update count as one).
    pub events: usize,
    /// Which delivery this is, for queues that do not count them (Deno KV, a custom queue): a
    /// replay that hands the message back to its outbox counts one more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<u32>,
    /// How the body is written, when compressed to fit the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    pub body: B,
}

impl<B> Message<B> {
    /// The message of a request this call could not deliver.
    pub fn new(api: Platform, method: Method, path: &str, events: usize, body: B) -> Self {
        Message {
            v: VERSION,
            id: None,
            attempts: None,
            encoding: None,
            api: match api {
                Platform::Reference => "reference",
                Platform::V2 => "v2",
            }
            .into(),
            method: method.as_str().into(),
            path: path.to_string(),
            events,
            body,
        }
    }

    /// The API and method of a message a replay may send: only the requests the calls make,
    /// each on its own API's routes. Anything else is refused, never sent with the key.
    pub fn checked(&self) -> Result<(Platform, Method), Error> {
        let refuse = |why: String| Err(Error::BadMessage(why));
        if self.v != VERSION {
            return refuse(format!(
                "format version {}, where this logger reads {VERSION}",
                self.v
            ));
        }
        let api = match self.api.as_str() {
            "reference" => Platform::Reference,
            "v2" => Platform::V2,
            other => return refuse(format!("an API named \"{}\"", shown(other))),
        };
        let method = match self.method.as_str() {
            "POST" => Method::Post,
            "PUT" => Method::Put,
            other => return refuse(format!("a method named \"{}\"", shown(other))),
        };
        let path = self.path.as_str();
        let known = match (api, method) {
            (Platform::Reference, Method::Post) => {
                matches!(path, "/session/start" | "/events" | "/events/batch")
            }
            (Platform::Reference, Method::Put) => path == "/events",
            (Platform::V2, Method::Post) => {
                matches!(path, "/v1/sessions" | "/v1/events" | "/v1/events/batch")
            }
            (Platform::V2, Method::Put) => path.strip_prefix("/v1/events/").is_some_and(is_uuid),
        };
        if !known {
            let method = method.as_str();
            return refuse(format!(
                "{method} {} is not a request this logger makes",
                shown(path)
            ));
        }
        Ok((api, method))
    }
}

/// A name or path a message gave, as an error quotes it: at most 40 characters, control
/// characters (a line break that would start a fake log line) as `?`.
fn shown(name: &str) -> String {
    let printable = |c: char| if c.is_control() { '?' } else { c };
    name.chars().take(40).map(printable).collect()
}

impl<P: Payload> Message<P> {
    /// A message as an outbox handed it over (its body kept as the host's value); why it cannot
    /// be read.
    pub fn read(message: &P) -> Result<Self, String> {
        let record = Record::of(message)?;
        let encoding = match record.text("encoding")?.as_deref() {
            None => None,
            Some("gzip") => Some(Encoding::Gzip),
            Some(other) => return Err(format!("its encoding is \"{}\", not gzip", shown(other))),
        };
        let count = |name: &str| {
            record
                .count(name)?
                .ok_or_else(|| format!("it has no {name}"))
        };
        Ok(Message {
            v: count("v")?,
            id: record.text("id")?,
            api: record.required_text("api")?,
            method: record.required_text("method")?,
            path: record.required_text("path")?,
            events: count("events")? as usize,
            attempts: record.count("attempts")?,
            encoding,
            body: record.get("body").cloned().ok_or("it has no body")?,
        })
    }
}

/// The waits (ms) between Deno KV's deliveries of one message: 5 s, 1 min, 5 min, 15 min, 1 h,
/// about 1 h 21 min in all. Deno takes at most five, each at most an hour; what is still
/// undelivered after them is kept under a `keysIfUndelivered` key, not dropped.
pub const DENO_BACKOFF_MS: [u32; 5] = [5_000, 60_000, 300_000, 900_000, 3_600_000];

// Deno's limits, held when the crate compiles: five waits at most (the type), each at most an
// hour, each longer than the one before (Deno's `enqueue` throws on a schedule past them).
const _: () = {
    let mut previous = 0;
    let mut rest: &[u32] = &DENO_BACKOFF_MS;
    while let [ms, tail @ ..] = rest {
        assert!(*ms <= 3_600_000, "Deno refuses a wait over an hour");
        assert!(*ms > previous, "the waits grow");
        previous = *ms;
        rest = tail;
    }
};

/// How many deliveries a replay counts for a message it hands back to its outbox (Deno KV, a
/// custom queue) before it leaves the message to the queue's own limit: with the delays below,
/// over an hour, as long as Deno's own schedule.
pub const MAX_CARRIED_ATTEMPTS: u32 = 20;

/// How long a queue should wait before it delivers a message again: the server's
/// `Retry-After` where it gave one, else 5 s doubling with each delivery, at most 5 minutes.
pub fn redelivery_delay_seconds(attempts: u32, retry_after_ms: Option<u64>) -> u32 {
    let backoff = 5u32
        .saturating_mul(1 << attempts.saturating_sub(1).min(6))
        .min(300);
    let asked = retry_after_ms.map_or(0, |ms| u32::try_from(ms.div_ceil(1000)).unwrap_or(u32::MAX));
    backoff.max(asked).min(43_200)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "123e4567-e89b-42d3-a456-426614174000";

    #[test]
    fn a_name_is_quoted_short_and_on_one_line() {
        let refused = message("v2\nHoneyHive: all good", "POST", "/v1/events").checked();
        assert_eq!(
            refused,
            Err(Error::BadMessage(
                "an API named \"v2?HoneyHive: all good\"".into()
            ))
        );
        assert_eq!(shown(&"x".repeat(100)).len(), 40);
        let path = message("v2", "POST", "/v1/x\nHoneyHive: fine").checked();
        assert!(matches!(path, Err(Error::BadMessage(why)) if !why.contains('\n')));
    }

    fn message(api: &str, method: &str, path: &str) -> Message<()> {
        Message {
            v: VERSION,
            api: api.into(),
            method: method.into(),
            path: path.into(),
            events: 1,
            id: None,
            attempts: None,
            encoding: None,
            body: (),
        }
    }

    #[test]
    fn a_message_holds_the_route_and_body_and_no_key() {
        let m = Message::new(
            Platform::V2,
            Method::Put,
            &format!("/v1/events/{ID}"),
            1,
            "{}",
        );
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"v": 1, "api": "v2", "method": "PUT", "path": format!("/v1/events/{ID}"), "events": 1, "body": "{}"})
        );
        assert_eq!(m.checked(), Ok((Platform::V2, Method::Put)));
    }

    #[test]
    fn only_the_requests_the_calls_make_are_replayed() {
        for (api, method, path) in [
            ("reference", "POST", "/session/start"),
            ("reference", "POST", "/events/batch"),
            ("reference", "PUT", "/events"),
            ("v2", "POST", "/v1/events"),
        ] {
            assert!(message(api, method, path).checked().is_ok(), "{path}");
        }
        for (api, method, path) in [
            ("reference", "POST", "/v1/events"),
            ("v2", "POST", "/events"),
            ("v2", "PUT", "/v1/events/not-an-id"),
            ("reference", "POST", "/projects"),
            ("reference", "POST", "//evil.example/events"),
            ("v3", "POST", "/events"),
            ("reference", "DELETE", "/events"),
        ] {
            assert!(
                matches!(
                    message(api, method, path).checked(),
                    Err(Error::BadMessage(_))
                ),
                "{path}"
            );
        }
        let mut future = message("reference", "POST", "/events");
        future.v = 2;
        assert!(
            matches!(future.checked(), Err(Error::BadMessage(why)) if why.contains("version 2"))
        );
    }

    #[test]
    fn redelivery_waits_longer_each_time_and_honours_retry_after() {
        assert_eq!(
            [1, 2, 3, 9].map(|attempts| redelivery_delay_seconds(attempts, None)),
            [5, 10, 20, 300]
        );
        assert_eq!(redelivery_delay_seconds(1, Some(90_500)), 91);
    }
}
