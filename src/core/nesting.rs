//! Calls made from the caller's hooks: an `onError`, a `redact` or a payload's `toJSON` that
//! calls the logger runs inside the call that called the hook, on the same stack. The depth of
//! hooks running is bounded, so that such a loop ends in a refused call, never in a stack that
//! runs out (in wasm: an out-of-bounds access that kills the instance); and a call made inside
//! `onError` never calls `onError`, so that a failing report cannot report itself forever.

use std::cell::Cell;

use crate::core::error::Error;

/// How many hooks may run one inside another; a call made deeper is refused.
pub const MAX_DEPTH: u32 = 8;

thread_local! {
    /// How many hooks are running, one inside another.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// How many of them are `onError`.
    static ON_ERROR: Cell<u32> = const { Cell::new(0) };
}

/// Which hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// `onError`.
    OnError,
    /// `redact`, or a payload's `toJSON` while a body is serialised.
    Other,
}

/// Runs a hook (`run`), counted while it runs.
pub fn hook<T>(which: Hook, run: impl FnOnce() -> T) -> T {
    let _running = Running::enter(which);
    run()
}

/// How deep in hooks a call made now is.
pub fn depth() -> u32 {
    DEPTH.with(Cell::get)
}

/// True when a call made now is made from an `onError` hook.
pub fn inside_on_error() -> bool {
    ON_ERROR.with(Cell::get) > 0
}

/// Refuses a call made now from hooks already [`MAX_DEPTH`] deep.
pub fn admit_call() -> Result<(), Error> {
    match depth() {
        depth if depth >= MAX_DEPTH => Err(Error::Nested { depth }),
        _ => Ok(()),
    }
}

/// The `onError` hook a call made now may call: none when it is made from `onError` itself, so
/// that a failing report cannot report itself forever.
pub fn on_error_of_call<P>(hook: Option<P>) -> Option<P> {
    hook.filter(|_| !inside_on_error())
}

/// Counts a running hook until it is dropped, even if the hook unwinds.
struct Running(Hook);

impl Running {
    fn enter(which: Hook) -> Self {
        DEPTH.with(|d| d.set(d.get().saturating_add(1)));
        if which == Hook::OnError {
            ON_ERROR.with(|d| d.set(d.get().saturating_add(1)));
        }
        Running(which)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        if self.0 == Hook::OnError {
            ON_ERROR.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_are_counted_while_they_run_and_on_error_apart() {
        assert_eq!((depth(), inside_on_error()), (0, false));
        let inside = hook(Hook::Other, || {
            hook(Hook::OnError, || (depth(), inside_on_error()))
        });
        assert_eq!(inside, (2, true));
        assert_eq!((depth(), inside_on_error()), (0, false));
    }
}
