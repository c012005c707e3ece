// The JS side of the wasm core's host (src/js.rs). One attempt of a request: fetch with a time limit
// and the caller's AbortSignal, read to the end. Kept in JS because wiring timers and abort
// listeners through wasm closures costs more per call than the whole attempt here.
// Resolves to [status, retryAfter, text]; rejects with "timeout", "aborted" or a message.
export function attempt(url, method, authorization, body, timeoutMs, signal) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort);
  const init = {
    method,
    headers: { Authorization: authorization, "Content-Type": "application/json" },
    body,
    signal: controller.signal,
  };
  return Promise.resolve()
    .then(() => fetch(url, init))
    .then(async (response) => [response.status, response.headers.get("retry-after"), await response.text()])
    .catch((error) => {
      throw signal?.aborted ? "aborted" : timedOut ? "timeout" : String(error?.message ?? error);
    })
    .finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
}

/** The UTF-8 size of a string, in bytes (a batch request's size). */
export function utf8Length(text) {
  return new TextEncoder().encode(text).byteLength;
}

/**
 * An environment variable: `Deno.env` where the runtime is Deno and has granted access to it
 * (asked without prompting), else `process.env`; `undefined` when absent or not allowed.
 */
export function envVar(name) {
  try {
    const deno = globalThis.Deno;
    if (deno?.env) {
      const granted = deno.permissions?.querySync?.({ name: "env", variable: name }).state === "granted";
      return granted ? deno.env.get(name) : undefined;
    }
    return globalThis.process?.env?.[name];
  } catch {
    return undefined;
  }
}
