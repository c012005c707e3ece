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
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]
// No function over 80 lines (the threshold is in clippy.toml): one that long does several things.
#![warn(clippy::too_many_lines)]

pub mod core;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
