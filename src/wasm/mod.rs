//! Everything that touches JS: the exports, the host over the runtime's globals, and the
//! conversions between JS values and the core's.

mod heap;
pub mod js;
pub mod task;

/// The wasm build's allocator (Cargo.toml says why this one).
#[global_allocator]
static ALLOCATOR: heap::Heap = heap::Heap::new();
