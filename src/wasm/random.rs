//! Random bytes for UUIDv4s from the host's CSPRNG (`crypto.getRandomValues`, through getrandom),
//! drawn from a pool: one call fills 64 ids' worth, since each call costs microseconds on Node
//! (it runs a random-fill job). Each byte is used once, in order, as `crypto.randomUUID`'s own
//! pool does.

use std::cell::RefCell;

use crate::core::error::Error;

const POOL_BYTES: usize = 1024;

thread_local! {
    /// The pool, and how many of its bytes are spent.
    static POOL: RefCell<([u8; POOL_BYTES], usize)> = const { RefCell::new(([0; POOL_BYTES], POOL_BYTES)) };
}

/// 16 bytes no one else got.
pub fn bytes16() -> Result<[u8; 16], Error> {
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        let (bytes, used) = &mut *pool;
        if *used + 16 > POOL_BYTES {
            getrandom::fill(bytes).map_err(|error| Error::NoRandomness(error.to_string()))?;
            *used = 0;
        }
        let mut id = [0u8; 16];
        if let Some(fresh) = bytes.get_mut(*used..*used + 16) {
            id.copy_from_slice(fresh);
            fresh.fill(0);
        }
        *used += 16;
        Ok(id)
    })
}
