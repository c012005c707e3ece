//! Everything that touches JS: the exports, the host over the runtime's globals, and the
//! conversions between JS values and the core's.

pub mod js;
pub mod task;
