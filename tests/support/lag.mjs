// How late this process's timers ran, measured while a test runs: the scheduling slack a timing
// assertion must allow on this machine, at this moment. A quiet machine measures a few ms, a
// loaded one hundreds; an upper bound of "expected + measured lag" then holds on both, while the
// lower bounds (the waits the logger must keep) stay exact.
import { monitorEventLoopDelay } from "node:perf_hooks";

/** Starts measuring; `lagMs()` is the longest delay seen so far, in ms. */
export function measureLag() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    lagMs: () => histogram.max / 1e6,
    stop: () => histogram.disable(),
  };
}
