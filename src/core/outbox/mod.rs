//! The outbox: where a call hands the requests it could not deliver, when a later attempt could
//! succeed (the network, a timeout, 408/429/5xx, its deadline, an open circuit), so that nothing
//! is lost while HoneyHive is down; and the replay that sends them again.
//! - [`kind`]: what kind of queue an outbox is, and the size of a message as it counts it;
//! - [`message`]: the [`Message`] a queue carries (never a key) and what a replay may send;
//! - [`queue`]: a call's requests handed to the outbox, bounded in time and size;
//! - [`replay`]: a message delivered again, kept (never acked) while a later delivery could mend it.

pub mod base64;
pub mod kind;
pub mod message;
pub mod queue;
pub mod replay;
#[cfg(test)]
mod tests;

pub use kind::Kind;
pub use message::{Encoding, Message, DENO_BACKOFF_MS};
pub use replay::{replay, Replayed};
