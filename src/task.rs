//! The calls' executor: a few lines instead of wasm-bindgen-futures. A call's future is polled
//! at once, in the exported call; where it waits for a host promise (an attempt, a retry's
//! sleep) the export returns a promise to the package's JS (src/npm/calls.js), which gives its
//! outcome back through [`resume`], and the call runs on from there. No JS closures into wasm,
//! no microtask queue, no waker: a task is only ever woken by the one promise it waits for.
//! README, Dependencies, has the measurements.
//!
//! A task's future is out of the table while it runs, so a caller's hook that starts another
//! call (a `log()` inside `onError`) starts a task of its own without touching the running one.

#[allow(unused_imports)]
use crate::prelude::*;

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A JS promise: an attempt, a retry's sleep.
    pub type Promise;
    /// The `done(ok, value)` of a call's promise (src/npm/calls.js).
    pub type Done;
    /// `done(ok, value)`: the package's own function, which does not throw.
    #[wasm_bindgen(method, js_name = call)]
    fn settle(this: &Done, this_arg: &JsValue, ok: bool, value: &JsValue);
}

#[wasm_bindgen(module = "/src/npm/host.js")]
extern "C" {
    /// `promise`, settled as `[task, ok, value]` (it never rejects).
    fn wait(promise: &Promise, task: u32) -> Promise;
}

/// A call's future: what it settles its promise with.
pub type CallFuture = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// A call in flight.
struct Task {
    /// `None` while it runs.
    future: Option<CallFuture>,
    /// The `done(ok, value)` of its promise (src/npm/calls.js).
    done: Done,
    /// What the JS side waits for, from the moment the task waits until [`run`] hands it over.
    waits: Option<Promise>,
    /// The outcome of the promise it waited for, until it runs again.
    settled: Option<Result<JsValue, JsValue>>,
}

/// The calls in flight, by task number, and the numbers free for reuse.
struct Tasks {
    slots: Vec<Option<Task>>,
    free: Vec<u32>,
}

/// A value of the one thread a wasm instance runs on (what `thread_local!` is without std).
pub struct Isolate<T>(pub T);

// SAFETY: the package's wasm has no threads (the target has no `atomics` feature): no other
// thread can reach the value. A build with threads fails here instead.
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for Isolate<T> {}

static TASKS: Isolate<RefCell<Tasks>> = Isolate(RefCell::new(Tasks { slots: Vec::new(), free: Vec::new() }));
/// The task being polled (`u32::MAX`: none).
static RUNNING: Isolate<Cell<u32>> = Isolate(Cell::new(u32::MAX));

/// The table, for one short step: it is never borrowed while a task runs, so this always gets
/// it (and `None` would only skip the step, never trap).
fn tasks<R>(step: impl FnOnce(&mut Tasks) -> Option<R>) -> Option<R> {
    step(&mut *TASKS.0.try_borrow_mut().ok()?)
}

/// Starts a call: runs it until it first waits. Returns what the JS side waits for before
/// [`resume`] (`undefined`: it has settled already, through `done`).
pub fn spawn(future: CallFuture, done: Done) -> JsValue {
    let task = Task { future: None, done, waits: None, settled: None };
    let number = tasks(|tasks| match tasks.free.pop() {
        Some(number) => {
            *tasks.slots.get_mut(number as usize)? = Some(task);
            Some(number)
        }
        None => {
            tasks.slots.push(Some(task));
            u32::try_from(tasks.slots.len() - 1).ok()
        }
    });
    match number {
        Some(number) => run(number, future),
        None => JsValue::UNDEFINED,
    }
}

/// Gives task `task` the outcome of the promise it waited for, and runs it on until it waits
/// again (see [`spawn`]).
#[wasm_bindgen(skip_typescript)]
pub fn resume(task: u32, ok: bool, value: JsValue) -> JsValue {
    let future = tasks(|tasks| {
        let waiting = tasks.slots.get_mut(task as usize)?.as_mut()?;
        waiting.settled = Some(if ok { Ok(value) } else { Err(value) });
        waiting.future.take()
    });
    match future {
        Some(future) => run(task, future),
        None => JsValue::UNDEFINED,
    }
}

/// Polls task `number` once: a finished task settles its promise and frees its number; one that
/// waits goes back to the table, and its promise goes to the JS side.
fn run(number: u32, mut future: CallFuture) -> JsValue {
    let outer = RUNNING.0.replace(number);
    let polled = future.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    RUNNING.0.set(outer);
    let waiting = tasks(|tasks| {
        let slot = tasks.slots.get_mut(number as usize)?;
        match polled {
            Poll::Pending => {
                let task = slot.as_mut()?;
                task.future = Some(future);
                Some(Err(task.waits.take()))
            }
            Poll::Ready(outcome) => {
                let task = slot.take()?;
                tasks.free.push(number);
                Some(Ok((task.done, outcome)))
            }
        }
    });
    match waiting {
        Some(Ok((done, outcome))) => {
            let (ok, value) = match outcome {
                Ok(value) => (true, value),
                Err(error) => (false, error),
            };
            done.settle(&JsValue::UNDEFINED, ok, &value);
            JsValue::UNDEFINED
        }
        Some(Err(Some(promise))) => promise.into(),
        _ => JsValue::UNDEFINED,
    }
}

/// A host promise, awaited by the task that runs (see [`spawn`]).
pub struct Settled(Option<Promise>);

impl Settled {
    pub fn of(promise: Promise) -> Settled {
        Settled(Some(promise))
    }
}

impl Future for Settled {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
        let number = RUNNING.0.get();
        if let Some(promise) = self.0.take() {
            let waits = wait(&promise, number);
            let placed = tasks(|tasks| {
                tasks.slots.get_mut(number as usize)?.as_mut()?.waits = Some(waits);
                Some(())
            });
            return match placed {
                Some(()) => Poll::Pending,
                // Awaited outside a task: nothing would ever resume it.
                None => Poll::Ready(Err(JsValue::from_str("awaited outside the logger's tasks"))),
            };
        }
        match tasks(|tasks| tasks.slots.get_mut(number as usize)?.as_mut()?.settled.take()) {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    }
}
