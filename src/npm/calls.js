// The calls and the client class, bound to one way of instantiating the .wasm. Each entry of
// the package (node.js, deno.js, workerd.js, edge-light.js, web.js) passes the way its runtime
// allows; the instance is made once per isolate, on the first call, never at import time.
import {
  start as wasmStart,
  log as wasmLog,
  update as wasmUpdate,
  logBatch as wasmLogBatch,
} from "./honeyhive_logger_wasm.js";

export function bind(instantiate) {
  let ready = null;
  const instantiated = () =>
    (ready ??= Promise.resolve()
      .then(instantiate)
      .catch((error) => {
        ready = null; // let the next call try again
        throw error;
      }));
  // Each call takes its options over optional defaults (a client's); the core merges them.
  const call = (fn) => async (opts, defaults) => {
    await instantiated();
    return fn(opts, defaults);
  };
  const calls = { start: call(wasmStart), log: call(wasmLog), update: call(wasmUpdate), logBatch: call(wasmLogBatch) };

  /** Shared defaults for every call; a call's own options win. Holds nothing else. */
  class HoneyHive {
    #defaults;
    constructor(defaults = {}) {
      this.#defaults = defaults;
    }
    start(opts = {}) {
      return calls.start(opts, this.#defaults);
    }
    log(opts = {}) {
      return calls.log(opts, this.#defaults);
    }
    update(opts = {}) {
      return calls.update(opts, this.#defaults);
    }
    logBatch(opts = {}) {
      return calls.logBatch(opts, this.#defaults);
    }
  }

  return {
    start: (opts) => calls.start(opts),
    log: (opts) => calls.log(opts),
    update: (opts) => calls.update(opts),
    logBatch: (opts) => calls.logBatch(opts),
    HoneyHive,
  };
}
