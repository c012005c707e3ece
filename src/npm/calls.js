// The three calls, bound to one way of instantiating the .wasm. Each entry of the package
// (node.js, deno.js, workerd.js, edge-light.js, web.js) passes the way its runtime allows; the
// instance is made once per isolate, on the first call, never at import time.
import { start as wasmStart, log as wasmLog, update as wasmUpdate } from "./honeyhive_logger_wasm.js";

export function bind(instantiate) {
  let ready = null;
  const instantiated = () =>
    (ready ??= Promise.resolve()
      .then(instantiate)
      .catch((error) => {
        ready = null; // let the next call try again
        throw error;
      }));
  const call = (fn) => async (opts) => {
    await instantiated();
    return fn(opts);
  };
  return { start: call(wasmStart), log: call(wasmLog), update: call(wasmUpdate) };
}
