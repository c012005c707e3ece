// An injected clock for the tests that would otherwise wait out the logger's own long waits (a
// hand-over's 10 s bound): node:test's mock timers stand in for `setTimeout` and `Date`, the
// clock the logger's wasm and its JS read, and the test moves them on itself.
const realSetTimeout = globalThis.setTimeout;

/** A real pause of `ms`, whatever the mock timers are doing. */
export const realPause = (ms) => new Promise((resolve) => realSetTimeout(resolve, ms));

/**
 * Turns `t`'s mock timers on (`setTimeout` and `Date`, starting at the real time) for the rest of
 * the test: nothing scheduled with them runs until the test calls `t.mock.timers.tick(ms)`. The
 * mock is process-wide: a test that uses it must not run beside others.
 */
export function injectClock(t) {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: Date.now() });
}

/** Real pauses until `ready()` holds (I/O the test waits for), failing after `ms` of real time. */
export async function until(ready, what, ms = 10_000) {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > ms) throw new Error(`never happened: ${what}`);
    await realPause(5);
  }
}

/**
 * `promise`'s outcome, with the mock clock run `speed` times faster than real time until it
 * settles: the logger's backoffs pass in a tenth of their time, while its attempts (real sockets,
 * answered in a few real ms) see a clock only a little faster than theirs.
 */
export async function fastForward(t, promise, speed = 10, maxMs = 120_000) {
  let settled = false;
  const done = promise.finally(() => (settled = true));
  done.catch(() => {});
  for (let passed = 0; !settled; passed += speed) {
    // A call that never settles fails the test instead of spinning forever.
    if (passed > maxMs) throw new Error(`the call had not settled after ${maxMs} ms of the injected clock`);
    await realPause(1);
    t.mock.timers.tick(speed);
  }
  return done;
}
