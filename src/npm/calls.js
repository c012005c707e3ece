// The calls and the client class, bound to one way of instantiating the .wasm. Each entry of
// the package (node.js, deno.js, workerd.js, edge-light.js, web.js) passes the way its runtime
// allows; the instance is made once per isolate, on the first call, never at import time.
import {
  start as wasmStart,
  log as wasmLog,
  update as wasmUpdate,
  logBatch as wasmLogBatch,
  sendTrace as wasmSendTrace,
  replay as wasmReplay,
  useErrors,
} from "./honeyhive_logger_wasm.js";
import { HoneyHiveError } from "./errors.js";
import { tracer } from "./tracing.js";
import { aiSdkIntegration } from "./ai-sdk.js";
import { unloaded } from "./unloaded.js";

/**
 * The promise of a wasm call, made here in plain JS and settled by the call's future, which
 * runs in wasm (src/wasm/exports.rs) and calls `resolve` or `reject`. The executor returns
 * before the call is made: a Promise constructor whose executor calls into wasm (wasm-bindgen's
 * `future_to_promise`) crashed Node 20's V8 in its deoptimizer under 10 000 concurrent calls
 * (tests/node/load.test.mjs).
 */
function settled(call, ...args) {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // An instance that cannot run: the caller sees a rejection, not a throw.
  try {
    call(...args, resolve, reject);
  } catch (error) {
    reject(error);
  }
  return promise;
}

export function bind(instantiate, kept) {
  let ready = null;
  const instantiated = () =>
    (ready ??= Promise.resolve()
      .then(instantiate)
      .then(() => useErrors((failure) => new HoneyHiveError(failure)))
      .catch((error) => {
        ready = null; // let the next call try again
        throw error;
      }));
  // Each call takes its options over optional defaults (a client's); the core merges them. A
  // module that cannot be loaded is reported like any failure: quietly unless verbose.
  let loaded = false;
  const load = async (fn, call, quietResult, opts, defaults) => {
    try {
      await instantiated();
      loaded = true;
    } catch (error) {
      return unloaded(call, error, opts, defaults, quietResult);
    }
    return settled(fn, opts, defaults);
  };
  // Once loaded, a call goes straight to the module (no await of the settled load). The async
  // wrapper stays: returning the module's promise from a plain function crashed Node 20.20's V8
  // (a fatal error in its deoptimizer) under 10 000 concurrent calls (tests/node/load.test.mjs).
  const call = (fn, name, quietResult) => async (opts, defaults) => {
    if (!loaded) return load(fn, name, quietResult, opts, defaults);
    return settled(fn, opts, defaults);
  };
  const calls = {
    start: call(wasmStart, "start", null),
    log: call(wasmLog, "log", null),
    update: call(wasmUpdate, "update", undefined),
    logBatch: call(wasmLogBatch, "logBatch", null),
    ...tracer(instantiated, (opts, defaults, trace) => settled(wasmSendTrace, opts, defaults, trace)),
  };

  const replay = replayer(instantiated, kept);
  const HoneyHive = client(calls, replay);

  return {
    start: (opts) => calls.start(opts),
    log: (opts) => calls.log(opts),
    update: (opts) => calls.update(opts),
    logBatch: (opts) => calls.logBatch(opts),
    trace: (name, fn, opts = {}) => calls.trace(name, fn, opts),
    aiSdkIntegration: (opts = {}) => aiSdkIntegration(calls.begin, opts),
    replay: (incoming, opts = {}) => replay(incoming, opts),
    HoneyHive,
  };
}

/**
 * Delivers what an outbox kept: a Cloudflare Queues `MessageBatch` (each message acked once
 * delivered, or when no retry can cure it, which is reported; retried with a delay when a later
 * delivery could, counted by the queue), or one message (Deno KV's `listenQueue`, a custom
 * queue): handed back to the outbox in `opts` with its delivery counted when a later delivery
 * could mend it, else rejected so that the queue delivers it again. `kept` (deno.js) wraps the
 * delivery of one message.
 */
function replayer(instantiated, kept) {
  return async (incoming, opts, defaults) => {
    opts ??= {};
    await instantiated();
    const once = (message, attempts, requeue) => settled(wasmReplay, message, attempts, requeue, opts, defaults);
    if (Array.isArray(incoming?.messages)) {
      // Once one message finds HoneyHive still down (or the key refused), the rest wait too,
      // unsent: one report a batch, and no attempts that would fail alike.
      let waiting;
      for (const message of incoming.messages) {
        const outcome = waiting ? waiting : await once(message.body, message.attempts ?? 1, false);
        if (outcome.again) message.retry({ delaySeconds: (waiting = outcome).delaySeconds });
        else message.ack();
      }
      return;
    }
    const outcome = await (kept ? kept(once, incoming, opts?.outbox ?? defaults?.outbox) : once(incoming, 0, true));
    if (outcome.again) throw outcome.error;
  };
}

/** The client class over `calls`: shared defaults for every call; a call's own options win. Holds
 * nothing else. */
function client(calls, replay) {
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
    trace(name, fn, opts = {}) {
      return calls.trace(name, fn, opts, this.#defaults);
    }
    aiSdkIntegration(opts = {}) {
      return aiSdkIntegration(calls.begin, opts, this.#defaults);
    }
    replay(incoming, opts = {}) {
      return replay(incoming, opts, this.#defaults);
    }
  }
  // The bundles shorten local names (wasm-pack.toml [js]); the client a user logs keeps its own.
  Object.defineProperty(HoneyHive, "name", { value: "HoneyHive" });
  return HoneyHive;
}
