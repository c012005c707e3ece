//! The pure core: plain Rust with no wasm-bindgen, js-sys or web-sys import, tested on the host
//! by `cargo test` in milliseconds.
//! - [`options`] resolves a call's options (spellings, env fallback, defaults, validation);
//! - [`keys`] decides which key a call sends and checks the shape of typed keys;
//! - [`routes`] decides which API a call speaks (the reference's routes or v2) and where;
//! - [`request`] builds the request the reference logger would send; [`v2`] the v2 API's;
//! - [`retry`] decides what follows each attempt and how long to wait;
//! - [`send`] makes a request's attempts; [`report`] reports a failure as the caller asked;
//! - [`outbox`] is what a call queues when HoneyHive is down, and the replay that sends it;
//! - [`breaker`] keeps calls off a server that is down; [`nesting`] bounds hooks that call back;
//! - [`trace`] links the spans a `trace()` recorded into the events of one batch; [`sampling`]
//!   decides whether a trace is sent;
//! - [`api`] runs a call over a [`host::Host`], the one seam to the JS host, and its
//!   [`codec::Codec`], how bodies are written and read;
//! - [`error`] is the one error type, [`failure`] what a caller gets of it (a code, a status),
//!   [`call`] which call it was;
//! - [`value`] is what the core sees of a caller's values; [`ids`] makes and checks UUIDs.

pub mod api;
pub mod breaker;
pub mod call;
pub mod codec;
pub mod error;
pub mod failure;
pub mod host;
pub mod ids;
pub mod keys;
pub mod nesting;
pub mod options;
pub mod outbox;
pub mod record;
pub mod report;
pub mod request;
pub mod retry;
pub mod routes;
pub mod sampling;
pub mod send;
pub mod trace;
pub mod v2;
pub mod value;
