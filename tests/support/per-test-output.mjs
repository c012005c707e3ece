// Preloaded into every test process (`node --import`): what a test prints on the console is kept
// with that test instead of going to the terminal. When the test's function has finished, its
// lines become diagnostics of that test, one per line, prefixed `out: `: the spec reporter writes
// them to the suite's log under the test, and tests/support/results.mjs keeps them, so that a
// failure shows the lines of that test only, even among tests that run concurrently.
//
// How a line finds its test: node:test runs each test's function through the test's
// AsyncResource#runInAsyncScope; wrapping that function in an AsyncLocalStorage scope gives the
// test's lines a home that follows its awaits, timers and callbacks. A line printed outside any
// test (a `before` hook, a timer that outlives its test), or on a Node whose runner works
// otherwise, goes to the console as before: it is never lost, only less tidy. The package's
// calls run as futures on wasm-bindgen-futures' microtask queue (src/wasm/exports.rs), scheduled
// from the call itself and woken from the `.then` of the promises they wait for, so what they
// print follows the async context of the test that made them.
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";

export const PREFIX = "out: ";
const current = new AsyncLocalStorage();

for (const method of ["log", "info", "warn", "error", "debug"]) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    const lines = current.getStore();
    if (!lines || lines.closed) return original(...args);
    lines.push(...args.map(printable).join(" ").split("\n"));
  };
}

const runInAsyncScope = AsyncResource.prototype.runInAsyncScope;
AsyncResource.prototype.runInAsyncScope = function (fn, thisArg, ...args) {
  // A test (not a suite, not a hook) runs fn with its TestContext as `this`.
  if (this?.constructor?.name !== "Test" || typeof thisArg?.diagnostic !== "function" || typeof fn !== "function") {
    return runInAsyncScope.call(this, fn, thisArg, ...args);
  }
  const lines = [];
  const flush = () => {
    if (lines.closed) return;
    lines.closed = true;
    for (const line of lines) thisArg.diagnostic(PREFIX + line);
  };
  // A test that times out never settles: its lines go out when the runner gives up on it.
  thisArg.signal?.addEventListener?.("abort", flush, { once: true });
  const inScope = function (...a) {
    return current.run(lines, () => fn.apply(this, a));
  };
  let result;
  try {
    result = runInAsyncScope.call(this, inScope, thisArg, ...args);
  } catch (error) {
    flush();
    throw error;
  }
  if (typeof result?.then !== "function") {
    flush();
    return result;
  }
  return result.then(
    (value) => (flush(), value),
    (error) => {
      flush();
      throw error;
    },
  );
};

function printable(value) {
  if (typeof value === "string") return value;
  try {
    return value instanceof Error ? value.stack ?? String(value) : typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}
