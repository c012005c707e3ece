// A retry's wait, as a promise made in JS: a Promise executor that calls into wasm crashed Node
// 20's V8 under 10 000 concurrent calls (src/npm/calls.js), and a retry can come at such a load.
// Resolves after `ms`; rejects as soon as `signal` aborts (or cannot be listened to).
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    const timer = setTimeout(() => {
      try {
        signal?.removeEventListener("abort", onAbort);
      } finally {
        resolve();
      }
    }, ms);
    try {
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    } catch {
      onAbort();
    }
  });
}
