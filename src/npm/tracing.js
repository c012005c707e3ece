// Traces: `trace(name, fn, opts)` runs the caller's function as a span and notes what happens
// (name, id, parent, times, error, outputs, enrichments). When the root ends, the core links the
// spans and sends them as one batch (src/core/trace.rs); the span's options go to it as given.
import { beginTrace, newId } from "./honeyhive_logger_wasm.js";
import { unloaded as reportUnloaded } from "./unloaded.js";

/** What `span.enrich()` merges into, with the other spelling where there is one. */
const ENRICHED = [["metadata"], ["metrics"], ["feedback"], ["config"], ["inputs"], ["outputs"], ["userProperties", "user_properties"]];
const NO_FUNCTION = "HoneyHive: trace(name, fn, opts?) needs a function to run";
/** A plain object (not null, not an array): what the event members that take objects accept. */
export const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
/** A span's outputs from its function's result: an object as it is, else `{ result }`. */
const outputsOf = (value) => (isObject(value) ? value : { result: value });

function messageOf(thrown) {
  try {
    return String(thrown instanceof Error ? thrown.message : thrown);
  } catch {
    return "a value that cannot be shown was thrown";
  }
}

/** One root trace: its options, session, spans, and the promise of its sending. A trace that
 * sampling leaves out (`sampled: false`, decided here, once) keeps no span and sends nothing. */
class Trace {
  constructor(opts, defaults, core) {
    const [sessionId = "", sampled = true] = core.beginTrace(opts, defaults) ?? [];
    Object.assign(this, { opts, defaults, core, sessionId, sampled, spans: [], open: true });
    this.sent = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    // A verbose failure nobody awaits must not end a Node process; send() prints it instead.
    this.sent.catch(() => {});
    this.keepAlive(this.sent);
  }

  /** Hands a sending to the root's `waitUntil` (a Worker's ctx.waitUntil); its failure is told,
   * never thrown into the traced function. */
  keepAlive(sending) {
    try {
      if (typeof this.opts?.waitUntil === "function") this.opts.waitUntil(sending);
    } catch (error) {
      console.error(`HoneyHive: the trace's waitUntil threw (${messageOf(error)}): the runtime may end before the trace is sent.`);
    }
  }

  /** Sends the whole trace, or (with `late`) a span that opened after it was sent. */
  send(spans, late) {
    let opts = this.opts;
    if (late) {
      opts = Object.create(isObject(opts) ? opts : null);
      opts.sessionId = this.sessionId;
    }
    const sending = this.core.sendTrace(opts, this.defaults, { spans }).then(
      (ids) => (late ? ids : this.resolve(ids)),
      (error) => {
        console.error(error?.message ?? error);
        if (!late) this.reject(error);
      },
    );
    if (late) this.keepAlive(sending);
  }
}

/** The handle a traced function gets. */
export class Span {
  #span;

  constructor(span) {
    this.#span = span;
    OPENED.set(this, span);
  }

  get id() {
    return this.#span.record.eventId;
  }

  get sessionId() {
    return this.#span.trace.sessionId;
  }

  get sent() {
    return this.#span.trace.sent;
  }

  get sampled() {
    return this.#span.trace.sampled;
  }

  trace(name, fn, opts) {
    return run(this.#span.trace, this.id, name, fn, opts);
  }

  /** Merges `fields` into this span's event, over what its options gave. */
  enrich(fields) {
    if (!isObject(fields)) throw new TypeError("HoneyHive: span.enrich() takes an object, like { metadata: { ... } }");
    const { record, options: given, trace, late } = this.#span;
    if (!trace.sampled) return;
    if (!trace.open && !late) {
      console.warn(`HoneyHive: span.enrich() on "${record.eventName}" after its trace was sent: not recorded.`);
      return;
    }
    const options = isObject(given) ? given : {};
    for (const [camel, snake = camel] of ENRICHED) {
      const added = fields[camel] ?? fields[snake];
      if (!isObject(added)) continue;
      const before = record[camel] ?? options[camel] ?? options[snake];
      record[camel] = { ...(isObject(before) ? before : {}), ...added };
    }
  }
}
// The bundles shorten local names (wasm-pack.toml [js]); the handle a user logs keeps its own.
Object.defineProperty(Span, "name", { value: "Span" });

/** The open span behind each handle (for integrations that nest under a caller's span). */
const OPENED = new WeakMap();
export const openedSpan = (span) => OPENED.get(span);

/** Opens a span of `trace` under `parentId` (none: the root). A span that opens after its
 * trace was sent is sent on its own when it closes. */
export function open(trace, parentId, name, options) {
  const record = { eventName: name, eventId: trace.core.newId(), startTime: Date.now() };
  if (parentId === undefined) record.sessionId = trace.sessionId;
  else record.parentId = parentId;
  const late = !trace.open;
  const spans = late ? [] : trace.spans;
  if (trace.sampled) spans.push({ span: record, options });
  return { trace, record, options, late, spans, root: parentId === undefined };
}

/** Closes a span with what its work returned (`outputs`, unless the options say not to record
 * them) or the error it threw; a root sends its trace. */
export function close(span, outcome) {
  const { trace, record, options, late, spans, root } = span;
  if (!trace.sampled) {
    if (root) {
      trace.open = false;
      trace.resolve([]);
    }
    return;
  }
  record.endTime = Date.now();
  try {
    if ("error" in outcome) record.error = messageOf(outcome.error);
    else if (options?.recordOutputs !== false && outcome.value !== undefined) {
      record.outputs = record.outputs === undefined ? outputsOf(outcome.value) : { ...outputsOf(outcome.value), ...record.outputs };
    }
  } catch (error) {
    // A result that cannot be read (a Proxy that throws): the span says so, and is still sent.
    record.error = `its outputs could not be read: ${messageOf(error)}`;
  }
  if (root) trace.open = false;
  if (root || late) trace.send(spans, late);
}

/** Runs `fn` as a span of `trace` under `parentId` (none: the root). */
async function run(trace, parentId, name, fn, opts) {
  if (typeof fn !== "function") throw new TypeError(NO_FUNCTION);
  const span = open(trace, parentId, name, opts);
  try {
    const value = await fn(new Span(span));
    close(span, { value });
    return value;
  } catch (error) {
    close(span, { error });
    throw error;
  }
}

/** Traces over a module that `ready()` instantiates; `sendTrace` promises what a sending came to.
 * `begin(opts, defaults)` starts a trace; `trace(name, fn, opts?, defaults?)` runs `fn` as its
 * root. If the module cannot load, `fn` still runs and the sending fails as any call does. */
export function tracer(ready, sendTrace) {
  const begin = async (opts, defaults) => {
    let core = { newId, beginTrace, sendTrace };
    try {
      await ready();
    } catch (error) {
      const failed = async (opts, defaults) => reportUnloaded("trace", error, opts, defaults, null);
      core = { newId: () => "", beginTrace: () => undefined, sendTrace: failed };
    }
    return new Trace(opts, defaults, core);
  };
  const trace = async (name, fn, opts, defaults) => {
    if (typeof fn !== "function") throw new TypeError(NO_FUNCTION);
    return run(await begin(opts, defaults), undefined, name, fn, opts);
  };
  return { begin, trace };
}
