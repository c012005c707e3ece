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
      throw signal?.aborted ? "aborted" : timedOut ? "timeout" : failure(error);
    })
    .finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    });
}

/**
 * What a failed fetch says, with its cause where the runtime gives one: Node's "fetch failed"
 * carries the real reason in `error.cause` (ECONNREFUSED, ENOTFOUND, a certificate error; an
 * AggregateError of them when several addresses were tried). The core masks the key in it.
 */
function failure(error) {
  const message = String(error?.message ?? error);
  let cause = error?.cause;
  if (cause?.errors?.length && !cause.message) cause = cause.errors[0];
  if (!cause) return message;
  const code = typeof cause.code === "string" ? cause.code : "";
  const detail = String(cause.message ?? cause);
  return `${message} (${code && !detail.includes(code) ? `${code}: ` : ""}${detail})`;
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

/**
 * The kind of a caller's value, for the core's `classify` (src/js.rs): 0 undefined or null,
 * 1 boolean, 2 number, 3 string, 4 object, 5 array, 6 function, 7 BigInt, 8 Symbol,
 * 9 revoked Proxy (Array.isArray throws on it).
 */
export function kindOf(value) {
  if (value === undefined || value === null) return 0;
  switch (typeof value) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    case "function":
      return 6;
    case "bigint":
      return 7;
    case "symbol":
      return 8;
  }
  try {
    return Array.isArray(value) ? 5 : 4;
  } catch {
    return 9;
  }
}

/** Sets a member of a body object the core builds (a plain object it made itself). */
export function setMember(object, key, value) {
  object[key] = value;
}

/** Resolves after `ms`; rejects with "aborted" as soon as `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject("aborted");
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A real AbortSignal: an instance whose `aborted` reads as a boolean (a look-alike made from
 * the prototype throws there; a Proxy may throw anywhere). */
export function isAbortSignal(value) {
  try {
    return value instanceof AbortSignal && typeof value.aborted === "boolean";
  } catch {
    return false;
  }
}
