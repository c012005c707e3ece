//! # honeyhive-logger-wasm
//!
//! The HoneyHive logger in Rust, compiled to WebAssembly: stateless async calls — `start`,
//! `log`, `update` as the reference logger makes them, and `logBatch` — over HoneyHive's HTTP
//! API, for Cloudflare Workers, Deno, Vercel Edge, Node and browsers.
//!
//! The crate is a pure core and a thin skin:
//! - [`options`] resolves a call's options (spellings, env fallback, defaults, validation);
//! - [`keys`] decides which key a call sends and checks the shape of typed keys;
//! - [`routes`] decides which API a call speaks (the reference's routes or v2) and where;
//! - [`request`] builds the request the reference logger would send; [`v2`] the v2 API's;
//! - [`retry`] decides what follows each attempt and how long to wait;
//! - [`trace`] links the spans a `trace()` recorded into the events of one batch;
//! - [`api`] runs a call over a [`host::Host`], the one seam to the JS host;
//! - [`error`] is the one error type; [`value`] what the core sees of JS values; [`snapshot`]
//!   how a caller's objects (and a server's answers) cross into wasm in one go; [`json`] writes a
//!   body's JSON text;
//! - `js` (wasm32 only) implements the host over JS globals and exports the calls; `task` runs
//!   them (a call's future, resumed when the host promise it waits for settles).

// A panic in wasm kills the instance for every later call: nothing reachable from a caller's
// input or a server's answer may unwrap, expect or index.
// The package's build has no std: a panic traps at once, without the standard library's panic
// and formatting machinery (README, Dependencies). Host tests and the wasm tests use std.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

extern crate alloc;

/// What the standard library's prelude would give every module (the wasm build has no std).
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    pub use alloc::vec;
}

#[macro_use]
pub mod text;

pub mod api;
pub mod error;
pub mod host;
pub mod json;
pub mod keys;
pub mod num;
pub mod options;
pub mod request;
pub mod retry;
pub mod routes;
pub mod snapshot;
pub mod trace;
pub mod ids;
pub mod v2;
pub mod value;

#[cfg(target_arch = "wasm32")]
mod heap;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod task;

/// The wasm build's allocator (Cargo.toml says why this one).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: heap::Heap = heap::Heap::new();

/// A panic is a bug (lib.rs denies the calls that make one): in the package's build it traps.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn trap(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
