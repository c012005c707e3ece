//! # honeyhive-logger-wasm
//!
//! The HoneyHive logger in Rust, compiled to WebAssembly: stateless async calls — `start`,
//! `log`, `update` as the reference logger makes them, and `logBatch` — over HoneyHive's HTTP
//! API, for Cloudflare Workers, Deno, Vercel Edge, Node and browsers.
//!
//! The crate is a pure core and a thin skin, each a folder:
//! - [`core`]: options, keys, routes, request bodies, the retry policy, trace linking, the call
//!   flow over the `Host` seam, and the one error type; plain Rust, tested on the host;
//! - `wasm` (wasm32 only): the exports, the host over the JS globals, and the conversions.

// A panic in wasm kills the instance for every later call: nothing reachable from a caller's
// input or a server's answer may unwrap, expect or index.
// The package's build has no std: a panic traps at once, without the standard library's panic
// and formatting machinery (README, Dependencies). Host tests and the wasm tests use std.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

extern crate alloc;

/// What the standard library's prelude would give every module (the wasm build has no std).
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// A panic is a bug (lib.rs denies the calls that make one): in the package's build it traps.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn trap(_: &::core::panic::PanicInfo) -> ! {
    ::core::arch::wasm32::unreachable()
}
