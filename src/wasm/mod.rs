//! Everything that touches JS: the exports, the host over the runtime's globals, and the
//! conversions between JS values and the core's.
//! - [`exports`]: the calls src/npm/calls.js makes, each run as a future;
//! - [`host`]: the core's `Host` over js-sys and web-sys; [`codec`]: its body codec;
//!   [`payload`]: a caller's values, read member by member; [`errors`]: a failure as a JS error;
//! - [`fetch`]: one attempt of a request; [`global`]: `setTimeout` and `clearTimeout`, bound from
//!   the global scope; [`env`]: the host's environment variables;
//! - [`outbox`]: a message handed to a queue, its size as the queue counts it, gzip;
//! - [`random`]: the pool of random bytes; [`redact`]: the `redact` hook; [`reflect`]: a member
//!   of any value; [`thrown`]: what a thrown value says.

pub mod codec;
pub mod env;
pub mod errors;
pub mod exports;
pub mod fetch;
pub mod global;
pub mod host;
pub mod outbox;
pub mod payload;
pub mod random;
pub mod redact;
pub mod reflect;
pub mod thrown;

/// talc's allocator for wasm, growing the one memory where it ends: 2.8 KB gzip less code than
/// std's dlmalloc (docs/dependencies.md).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
