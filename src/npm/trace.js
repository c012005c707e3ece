// Traces: `trace(name, fn, opts)` runs the caller's function as a span and notes what happens
// (name, id, parent, times, error, outputs, enrichments). When the root ends, the core links the
// spans and sends them as one batch (src/trace.rs); the span's options go to it as given.
import { newId, traceSession } from "./honeyhive_logger_wasm.js";
import { unloaded as reportUnloaded } from "./unloaded.js";

/** What `span.enrich()` merges into, with the other spelling where there is one. */
const ENRICHED = [["metadata"], ["metrics"], ["feedback"], ["config"], ["inputs"], ["outputs"], ["userProperties", "user_properties"]];
const NO_FUNCTION = "HoneyHive: trace(name, fn, opts?) needs a function to run";
const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
/** A span's outputs from its function's result: an object as it is, else `{ result }`. */
const outputsOf = (value) => (isObject(value) ? value : { result: value });

function messageOf(thrown) {
  try {
    return String(thrown instanceof Error ? thrown.message : thrown);
  } catch {
    return "a value that cannot be shown was thrown";
  }
}

/** One root trace: its options, session, spans, and the promise of its sending. */
class Trace {
  constructor(opts, defaults, core) {
    Object.assign(this, { opts, defaults, core, sessionId: core.traceSession(opts, defaults), spans: [], open: true });
    this.sent = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    // A verbose failure nobody awaits must not end a Node process; send() prints it instead.
    this.sent.catch(() => {});
    if (typeof opts?.waitUntil === "function") opts.waitUntil(this.sent);
  }

  /** Sends the whole trace, or (with `late`) a span that opened after it was sent. */
  send(spans, late) {
    let opts = this.opts;
    if (late) {
      opts = Object.create(isObject(opts) ? opts : null);
      opts.sessionId = this.sessionId;
    }
    this.core.sendTrace(opts, this.defaults, { spans }).then(this.resolve, (error) => {
      console.error(error?.message ?? error);
      this.reject(error);
    });
  }
}

/** The handle a traced function gets. */
export class Span {
  #trace;
  #record;
  #options;

  constructor(trace, record, options) {
    this.#trace = trace;
    this.#record = record;
    this.#options = options;
  }

  get id() {
    return this.#record.eventId;
  }

  get sessionId() {
    return this.#trace.sessionId;
  }

  get sent() {
    return this.#trace.sent;
  }

  trace(name, fn, opts) {
    return run(this.#trace, this.#record.eventId, name, fn, opts);
  }

  /** Merges `fields` into this span's event, over what its options gave. */
  enrich(fields) {
    if (!isObject(fields)) throw new TypeError("HoneyHive: span.enrich() takes an object, like { metadata: { ... } }");
    const options = isObject(this.#options) ? this.#options : {};
    for (const [camel, snake = camel] of ENRICHED) {
      const added = fields[camel] ?? fields[snake];
      if (!isObject(added)) continue;
      const before = this.#record[camel] ?? options[camel] ?? options[snake];
      this.#record[camel] = { ...(isObject(before) ? before : {}), ...added };
    }
  }
}

/** Runs `fn` as a span of `trace` under `parentId` (none: the root). */
async function run(trace, parentId, name, fn, opts) {
  if (typeof fn !== "function") throw new TypeError(NO_FUNCTION);
  const record = { eventName: name, eventId: trace.core.newId(), startTime: Date.now() };
  if (parentId === undefined) record.sessionId = trace.sessionId;
  else record.parentId = parentId;
  // A span that opens after its trace was sent is sent on its own when it ends.
  const late = !trace.open;
  const spans = late ? [] : trace.spans;
  spans.push({ span: record, options: opts });
  try {
    const value = await fn(new Span(trace, record, opts));
    if (opts?.recordOutputs !== false && value !== undefined) {
      record.outputs = record.outputs === undefined ? outputsOf(value) : { ...outputsOf(value), ...record.outputs };
    }
    return value;
  } catch (error) {
    record.error = messageOf(error);
    throw error;
  } finally {
    record.endTime = Date.now();
    if (parentId === undefined) trace.open = false;
    if (parentId === undefined || late) trace.send(spans, late);
  }
}

/** `trace(name, fn, opts?, defaults?)` over a module that `ready()` instantiates; `sendTrace`
 * promises what a sending came to. If the module cannot load, `fn` still runs and the sending
 * fails as any call does. */
export function tracer(ready, sendTrace) {
  return async (name, fn, opts, defaults) => {
    if (typeof fn !== "function") throw new TypeError(NO_FUNCTION);
    let core = { newId, traceSession, sendTrace };
    try {
      await ready();
    } catch (error) {
      const failed = async (opts, defaults) => reportUnloaded("send a trace", error, opts, defaults, null);
      core = { newId: () => "", traceSession: () => "", sendTrace: failed };
    }
    return run(new Trace(opts, defaults, core), undefined, name, fn, opts);
  };
}
