//! The calls' executor: a few lines instead of wasm-bindgen-futures. A call's future is polled
//! at once, in the exported call; where it waits for a host promise (an attempt, a retry's
//! sleep) the export returns a promise to the package's JS (src/npm/calls.js), which gives its
//! outcome back through [`resume`], and the call runs on from there. No JS closures into wasm
//! and no microtask queue: a task is only resumed by the one promise it waits for, and its
//! waker wakes nothing (it carries the task's number).
//! README, Dependencies, has the measurements.
//!
//! A task's future is out of the table while it runs, so a caller's hook that starts another
//! call (a `log()` inside `onError`) starts a task of its own without touching the running one;
//! a task knows its number from the waker it is polled with, never from shared state that an
//! exception through wasm could leave behind. Since a call runs at once, it reads its options
//! when it is made, not a microtask later.

use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

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
    #[wasm_bindgen(js_name = Error)]
    type JsError;
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;
}

/// A JS `Error` of `message`.
pub fn error(message: &str) -> JsValue {
    JsError::new(message).into()
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

static TASKS: Isolate<RefCell<Tasks>> = Isolate(RefCell::new(Tasks {
    slots: Vec::new(),
    free: Vec::new(),
}));

/// A task's waker: it wakes nothing (a task runs on when [`resume`] brings its promise's
/// outcome) and carries the task's number, which [`Settled`] reads.
static WAKER: RawWakerVTable = RawWakerVTable::new(
    |number| RawWaker::new(number, &WAKER),
    |_| {},
    |_| {},
    |_| {},
);

/// The number of the task whose waker this is (see [`WAKER`]); `None` outside the tasks.
fn task_of(waker: &Waker) -> Option<u32> {
    core::ptr::eq(waker.vtable(), &WAKER).then(|| waker.data() as usize as u32)
}

/// The table, for one short step: it is never borrowed while a task runs, so this always gets
/// it (and `None` would only skip the step, never trap).
fn tasks<R>(step: impl FnOnce(&mut Tasks) -> Option<R>) -> Option<R> {
    step(&mut *TASKS.0.try_borrow_mut().ok()?)
}

/// Starts a call: runs it until it first waits. Returns what the JS side waits for before
/// [`resume`] (`undefined`: it has settled already, through `done`).
pub fn spawn(future: CallFuture, done: Done) -> JsValue {
    // The table is never held while JS runs, so it is free here and the slot exists; if not,
    // the call fails rather than hangs.
    let Ok(mut tasks) = TASKS.0.try_borrow_mut() else {
        done.settle(
            &JsValue::UNDEFINED,
            false,
            &error("the logger could not start the call"),
        );
        return JsValue::UNDEFINED;
    };
    let number = match tasks.free.pop() {
        Some(number) => number,
        None => {
            tasks.slots.push(None);
            // Fewer than 2^32 calls are ever in flight at once (each holds a JS promise).
            (tasks.slots.len() - 1) as u32
        }
    };
    match tasks.slots.get_mut(number as usize) {
        Some(slot) => {
            *slot = Some(Task {
                future: None,
                done,
                waits: None,
                settled: None,
            })
        }
        None => {
            drop(tasks);
            done.settle(
                &JsValue::UNDEFINED,
                false,
                &error("the logger could not start the call"),
            );
            return JsValue::UNDEFINED;
        }
    }
    drop(tasks);
    run(number, future)
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
    // SAFETY: the vtable's functions hold no resources: the data is a number, not a pointer.
    let waker = unsafe { Waker::from_raw(RawWaker::new(number as usize as *const (), &WAKER)) };
    let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
    let next = tasks(|tasks| {
        let slot = tasks.slots.get_mut(number as usize)?;
        let waits = match (&polled, slot.as_mut()) {
            (Poll::Pending, Some(task)) => task.waits.take(),
            _ => None,
        };
        if let (Some(waits), Some(task)) = (waits, slot.as_mut()) {
            task.future = Some(future);
            return Some(Err(waits));
        }
        // Finished, or (which no future of the crate does) waiting for nothing that would resume
        // it: settled either way, never left hanging.
        let task = slot.take()?;
        tasks.free.push(number);
        Some(Ok((task.done, polled)))
    });
    match next {
        Some(Err(waits)) => waits.into(),
        Some(Ok((done, polled))) => {
            let (ok, value) = match polled {
                Poll::Ready(Ok(value)) => (true, value),
                Poll::Ready(Err(error)) => (false, error),
                Poll::Pending => (
                    false,
                    error("the logger's call stopped without waiting for anything"),
                ),
            };
            done.settle(&JsValue::UNDEFINED, ok, &value);
            JsValue::UNDEFINED
        }
        // The task's slot is gone or the table held: neither can happen (only `run` frees a
        // slot, and the table is never held while JS runs), and nothing is left to settle with.
        None => JsValue::UNDEFINED,
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

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let Some(number) = task_of(context.waker()) else {
            // Awaited outside a task: nothing would ever resume it.
            return Poll::Ready(Err(error("awaited outside the logger's tasks")));
        };
        if let Some(promise) = self.0.take() {
            let waits = wait(&promise, number);
            let placed = tasks(|tasks| {
                tasks.slots.get_mut(number as usize)?.as_mut()?.waits = Some(waits);
                Some(())
            });
            return match placed {
                Some(()) => Poll::Pending,
                None => Poll::Ready(Err(error("awaited outside the logger's tasks"))),
            };
        }
        match tasks(|tasks| {
            tasks
                .slots
                .get_mut(number as usize)?
                .as_mut()?
                .settled
                .take()
        }) {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    }
}
