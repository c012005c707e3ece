// The calls and the client class, bound to one way of instantiating the .wasm. Each entry of
// the package (node.js, deno.js, workerd.js, edge-light.js, web.js) passes the way its runtime
// allows; the instance is made once per isolate, on the first call, never at import time.
import {
  start as wasmStart,
  log as wasmLog,
  update as wasmUpdate,
  logBatch as wasmLogBatch,
} from "./honeyhive_logger_wasm.js";

/** `verbose` as the core reads it: the call's own, else the client's; false if unreadable. */
function wantsVerbose(opts, defaults) {
  try {
    const own = opts?.verbose;
    return own === undefined || own === null ? defaults?.verbose === true : own === true;
  } catch {
    return false;
  }
}

export function bind(instantiate) {
  let ready = null;
  const instantiated = () =>
    (ready ??= Promise.resolve()
      .then(instantiate)
      .catch((error) => {
        ready = null; // let the next call try again
        throw error;
      }));
  // Each call takes its options over optional defaults (a client's); the core merges them. A
  // module that cannot be loaded is reported like any failure: quietly unless verbose.
  let loaded = false;
  const load = async (fn, action, quietResult, opts, defaults) => {
    try {
      await instantiated();
      loaded = true;
    } catch (error) {
      const reason = `the WebAssembly module could not be loaded (${error?.message ?? error})`;
      if (wantsVerbose(opts, defaults)) {
        throw new Error(`HoneyHive: failed to ${action}: ${reason}. Deploy the package's .wasm beside its JS, and let this runtime read it (Deno: --allow-read).`);
      }
      console.error(`HoneyHive: Failed to ${action}. (could not load the WebAssembly module)`);
      return quietResult;
    }
    return fn(opts, defaults);
  };
  // Once loaded, a call goes straight to the module (no await of the settled load). The async
  // wrapper stays: returning the module's promise from a plain function crashed Node 20.20's V8
  // (a fatal error in its deoptimizer) under 10 000 concurrent calls (tests/node/load.test.mjs).
  const call = (fn, action, quietResult) => async (opts, defaults) => {
    if (!loaded) return load(fn, action, quietResult, opts, defaults);
    return fn(opts, defaults);
  };
  const calls = {
    start: call(wasmStart, "start session", null),
    log: call(wasmLog, "log event", null),
    update: call(wasmUpdate, "update event", undefined),
    logBatch: call(wasmLogBatch, "log a batch", null),
  };

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
