// The JS side of the wasm core's host (src/wasm/js.rs): what the core asks of the runtime, each in one
// crossing of the boundary. Kept in JS where wiring it through wasm costs more than it is:
// reading a caller's objects (`snapshot`), putting their payloads into a body (`assemble`), one
// attempt of a request with its timer and abort listeners (`attempt`).

// ---------------------------------------------------------------------------------------------
// Snapshots: the members the core reads of a caller's objects, as one text (src/core/snapshot.rs has
// its grammar). The tables of names come from the core, once.
// ---------------------------------------------------------------------------------------------
const VALUE = 0;
const OBJECT = 1;
const ARRAY = 2;
/** The longest array read (src/core/snapshot.rs MAX_ITEMS). */
const MAX_ITEMS = 100000;
let tables = null;

/** Takes the core's tables of names: `name`, `name:o<table>`, `name:a<table or ->` (src/core/snapshot.rs). */
export function setTables(text) {
  tables = text.split("|").map((table) =>
    table.split(" ").map((member, index) => {
      const [name, inner = ""] = member.split(":");
      const kind = inner[0] === "o" ? OBJECT : inner[0] === "a" ? ARRAY : VALUE;
      return { tag: String.fromCharCode(65 + index), name, kind, within: inner.slice(1) };
    }),
  );
  // Each member's inner table, once they all exist.
  for (const table of tables) {
    for (const member of table) member.within = member.within && member.within !== "-" ? tables[Number(member.within)] : undefined;
  }
}

/** The call's options and a client's defaults, as one text; `held` receives every object met.
 * A trace's `{ spans }` follow, read with the core's table 4 (TRACE_NAMES in src/core/options.rs). */
export function snapshot(held, opts, defaults, trace) {
  const call = encode(opts, tables[0], held) + encode(defaults, tables[0], held);
  return trace === undefined ? call : call + encode(trace, tables[4], held);
}

/** A server's answer as JSON.parse reads it, as a snapshot read with the core's table 5 (the
 * members it reads of an answer: ANSWER_NAMES in src/core/api.rs); "u" when it is not JSON. */
export function answer(text, held) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return "u";
  }
  return encode(value, tables[5], held);
}

const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const hex8 = (n) => n.toString(16).padStart(8, "0");

function encode(value, table, held) {
  if (value === undefined || value === null) return "u";
  switch (typeof value) {
    case "string":
      return "s" + value.length + ":" + value;
    case "boolean":
      return value ? "t" : "f";
    case "number":
      BITS[0] = value; // little-endian: the high word second
      return "n" + hex8(WORDS[1]) + hex8(WORDS[0]);
    case "function":
      return "h" + (held.push(value) - 1) + ";"; // a hook: onError, redact
    case "bigint":
      return "x7";
    case "symbol":
      return "x8";
  }
  try {
    if (Array.isArray(value)) return "x5";
  } catch {
    return "x9"; // a revoked Proxy
  }
  if (isAbortSignal(value)) return "a" + (held.push(value) - 1) + ";";
  let out = "o" + (held.push(value) - 1) + "{";
  if (table) {
    for (const member of table) {
      let v;
      try {
        v = value[member.name];
      } catch (error) {
        out += member.tag + "!" + text(reason(error));
        continue;
      }
      if (v === undefined || v === null) continue;
      out += member.tag + (member.kind === ARRAY ? list(v, member.within, held) : encode(v, member.within, held));
    }
  }
  return out + "}";
}

function list(array, table, held) {
  try {
    if (!Array.isArray(array)) return encode(array, undefined, held);
    const length = array.length;
    if (!(length <= MAX_ITEMS)) return "L";
    let out = "[";
    for (let i = 0; i < length; i++) out += encode(array[i], table, held);
    return out + "]";
  } catch (error) {
    return "!" + text(reason(error));
  }
}

const text = (s) => s.length + ":" + s;

/** A thrown value as text: its message, or itself if it is a string. */
export function reason(thrown) {
  try {
    if (typeof thrown === "string") return thrown;
    const message = thrown?.message;
    return typeof message === "string" ? message : "a non-Error value was thrown";
  } catch {
    return "a non-Error value was thrown";
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies: the core writes the JSON text with holes (src/wasm/js.rs), NUL-delimited: `m<n>,<key>` for
// the member `key` whose value is the payload `held[n]`, `p<n>` for a payload elsewhere,
// `n<16 hex digits>` for a number the core does not format. The core's own text never holds a
// raw NUL (its JSON escapes it).
// ---------------------------------------------------------------------------------------------
export function assemble(text, held) {
  if (!text.includes("\0")) return text;
  const parts = text.split("\0");
  // Concatenated, not joined: V8 links long strings without copying them (a 1 MB payload
  // costs what one JSON.stringify of the whole body costs; join copied it once more).
  let body = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const hole = parts[i];
    let next = parts[i + 1];
    if (hole[0] === "m") {
      // As JSON.stringify of the whole body: toJSON gets the member's key, and a member whose
      // value gives nothing is left out, with its comma.
      const comma = hole.indexOf(",");
      const key = hole.slice(comma + 1);
      const value = held[Number(hole.slice(1, comma))];
      // A value without toJSON is written as it is (the common case: no wrapper, and no
      // `slice` of a megabyte text); the key is one of the core's names, with nothing to escape.
      const member =
        typeof value.toJSON === "function"
          ? JSON.stringify({ [key]: value }).slice(1, -1)
          : `"${key}":${JSON.stringify(value)}`;
      if (member === "") {
        if (next[0] === ",") next = next.slice(1);
        else if (body.endsWith(",")) body = body.slice(0, -1);
      }
      body += member + next;
    } else if (hole[0] === "p") {
      body += (JSON.stringify(held[Number(hole.slice(1))]) ?? "null") + next;
    } else {
      WORDS[1] = parseInt(hole.slice(1, 9), 16);
      WORDS[0] = parseInt(hole.slice(9, 17), 16);
      body += JSON.stringify(BITS[0]) + next;
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// The caller's hooks.
// ---------------------------------------------------------------------------------------------
/**
 * The body (JSON text) with each event at `place` ("" the body itself, "<member>" that member
 * where present, "[<member>" each item of it; several joined by "|") replaced by what the
 * caller's `redact` hook, `held[hookAt]`, returns for it. What the hook throws goes to the core,
 * which fails the call with it.
 */
export function redactEvents(body, held, hookAt, place) {
  const hook = held[hookAt];
  const redactOne = (event) => {
    const out = hook(event);
    const kind = out === null ? "null" : Array.isArray(out) ? "an array" : typeof out;
    if (kind !== "object") throw `it returned ${kind === "undefined" ? "nothing" : kind}, not the event`;
    if (typeof out.then === "function") throw "it returned a promise: it must give the event back at once, not be async";
    return out;
  };
  const parsed = JSON.parse(body);
  if (place === "") return JSON.stringify(redactOne(parsed));
  for (const at of place.split("|")) {
    if (at[0] === "[") {
      const member = at.slice(1);
      parsed[member] = parsed[member].map(redactOne);
    } else if (parsed[at] !== undefined) {
      parsed[at] = redactOne(parsed[at]);
    }
  }
  return JSON.stringify(parsed);
}

/** Calls the caller's `onError` hook, `held[hookAt]`, with an Error of `message`; what it throws
 * or rejects with never reaches the caller of the logger. */
export function callOnError(held, hookAt, message) {
  try {
    const result = held[hookAt](new Error(message));
    if (typeof result?.then === "function") result.then(undefined, () => {});
  } catch {
    // The hook's own failure: the call's failure was already reported as asked.
  }
}

// ---------------------------------------------------------------------------------------------
// One attempt of a request: fetch with a time limit and the caller's AbortSignal, read to the end.
// ---------------------------------------------------------------------------------------------
/**
 * `signal` is `held[signalAt]` (none when -1). Resolves to
 * "<status>\n<=retry-after, or nothing>\n<text>"; rejects with "timeout", "aborted" or a message.
 */
export async function attempt(method, url, authorization, body, timeoutMs, held, signalAt) {
  const signal = signalAt < 0 ? undefined : held[signalAt];
  if (signal?.aborted) throw "aborted";
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort);
  try {
    const response = await fetch(url, {
      method,
      headers: { Authorization: authorization, "Content-Type": "application/json" },
      body,
      signal: controller.signal,
    });
    const retryAfter = response.headers.get("retry-after");
    return response.status + "\n" + (retryAfter === null ? "" : "=" + retryAfter) + "\n" + (await response.text());
  } catch (error) {
    throw signal?.aborted ? "aborted" : timedOut ? "timeout" : failure(error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
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

/** An Error of `message` with a batch's `eventIds` and `errors`. */
export const batchError = (message, eventIds, errors) => Object.assign(new Error(message), { eventIds, errors });

/** `promise`, settled as `[task, ok, value]` and never rejected: src/npm/calls.js gives it to the
 * core's `resume`, and the core's task `task` (src/wasm/task.rs) runs on with it. */
export const wait = (promise, task) => promise.then((value) => [task, true, value], (error) => [task, false, error]);

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

/** Resolves after `ms`; rejects with "aborted" as soon as `held[signalAt]` aborts. */
export function sleep(ms, held, signalAt) {
  const signal = signalAt < 0 ? undefined : held[signalAt];
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
function isAbortSignal(value) {
  try {
    return value instanceof AbortSignal && typeof value.aborted === "boolean";
  } catch {
    return false;
  }
}
