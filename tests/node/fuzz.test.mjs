// Hostile input: every option of every call gets every value of a list of wrong types, cycles,
// BigInts, Symbols, functions, throwing getters, Proxies, Maps, Dates, typed arrays, 10 000-deep
// nesting, a 10 MB string, lone surrogates, NaN, Infinity and negative numbers; then random
// combinations of them. No call may trap the wasm instance, throw, or leave an unhandled
// rejection; verbose mode rejects with a clear Error, quiet mode resolves; the next valid call
// works; nothing printed holds the API key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start, log, update } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture } from "./helpers.mjs";

const CALLS = { start, log, update };
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPTIONS = [
  "apiKey", "api_key", "project", "source", "serverUrl", "server_url", "verbose", "env", "maxRetries", "max_retries",
  "timeoutMs", "timeout_ms", "deadlineMs", "deadline_ms", "signal", "caBundlePath", "ca_bundle_path", "verify",
  "sessionName", "session_name", "config", "inputs", "metadata", "userProperties", "user_properties", "sessionId",
  "session_id", "eventName", "event_name", "eventType", "event_type", "outputs", "durationMs", "duration_ms",
  "eventId", "event_id", "feedback", "metrics", "ingestionApiKey", "ingestion_api_key", "dataPlaneUrl", "data_plane_url",
  "parentId", "parent_id", "childrenIds", "children_ids", "error", "startTime", "start_time", "endTime", "end_time",
  "events", "isSingleSession", "is_single_session", "sessionProperties", "session_properties", "onError", "on_error",
  "redact", "outbox", "sampleRate", "sample_rate",
];

/** A small seeded PRNG, so that a failure can be replayed. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(depth, make) {
  let value = {};
  for (let i = 0; i < depth; i++) value = make(value);
  return value;
}

const TEN_MB = "x".repeat(10 * 1024 * 1024);

/** Hostile values, each made fresh by a function (some are consumed or mutated by use). */
const HOSTILE = {
  undefined: () => undefined,
  null: () => null,
  true: () => true,
  false: () => false,
  zero: () => 0,
  negativeZero: () => -0,
  negative: () => -1,
  fraction: () => 1.5,
  NaN: () => NaN,
  Infinity: () => Infinity,
  minusInfinity: () => -Infinity,
  huge: () => 2 ** 53 + 1,
  maxValue: () => Number.MAX_VALUE,
  emptyString: () => "",
  string: () => "x",
  uuidUpper: () => "5A3B1C2D-4E5F-4A6B-8C7D-9E0F1A2B3C4D",
  loneHigh: () => "\uD800",
  loneLow: () => "a\uDFFFb",
  nul: () => "a\u0000b",
  newlines: () => "line\r\nInjected: header",
  tenMegabytes: () => TEN_MB,
  bigint: () => 10n,
  symbol: () => Symbol("hostile"),
  arrow: () => () => 1,
  asyncFunction: () => async () => 1,
  klass: () => class {},
  emptyObject: () => ({}),
  emptyArray: () => [],
  array: () => [1, "2", null],
  circular: () => {
    const o = { a: 1 };
    o.self = o;
    return o;
  },
  circularArrayInside: () => {
    const a = [];
    a.push(a);
    return { a };
  },
  map: () => new Map([["k", "v"]]),
  set: () => new Set([1]),
  date: () => new Date(0),
  invalidDate: () => new Date(NaN),
  regexp: () => /x/g,
  uint8: () => new Uint8Array([1, 2, 3]),
  arrayBuffer: () => new ArrayBuffer(8),
  dataView: () => new DataView(new ArrayBuffer(4)),
  error: () => new Error("hostile"),
  promise: () => Promise.resolve(1),
  weakMap: () => new WeakMap(),
  boxedNumber: () => new Number(5),
  boxedString: () => new String("s"),
  nullPrototype: () => Object.assign(Object.create(null), { a: 1 }),
  frozen: () => Object.freeze({ a: 1 }),
  deepObject: () => deep(10_000, (inner) => ({ inner })),
  deepArray: () => deep(10_000, (inner) => [inner]),
  nestedBigInt: () => ({ n: 1n }),
  nestedSymbolKey: () => ({ [Symbol("k")]: 1, ok: true }),
  throwingGetter: () => ({ get boom() { throw new Error("getter threw"); } }),
  throwingToJSON: () => ({ toJSON() { throw new Error("toJSON threw"); } }),
  toJSONBigInt: () => ({ toJSON: () => 1n }),
  toJSONString: () => ({ toJSON: () => "not an object" }),
  proxyGetThrows: () => new Proxy({}, { get() { throw new Error("get trap"); } }),
  proxyOwnKeysThrows: () => new Proxy({ a: 1 }, { ownKeys() { throw new Error("ownKeys trap"); } }),
  proxyProtoThrows: () => new Proxy({}, { getPrototypeOf() { throw new Error("getPrototypeOf trap"); } }),
  proxyArray: () => new Proxy([], {}),
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  fakeSignal: () => Object.create(AbortSignal.prototype),
  abortedSignal: () => AbortSignal.abort(),
  liveSignal: () => new AbortController().signal,
  manyKeys: () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
};
const NAMES = Object.keys(HOSTILE);
const THROWS = () => {
  throw new Error("option getter threw");
};

/** Valid options for a call, with `poison` set on top (a getter when `asGetter`). */
function optionsFor(call, serverUrl, poison) {
  const opts = {
    apiKey: KEY, project: "fuzz", eventName: "fuzz", eventId: "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    serverUrl, maxRetries: 0, timeoutMs: 2000,
  };
  for (const [key, make, asGetter] of poison) {
    const property = asGetter ? { get: make } : { value: make(), writable: true };
    Object.defineProperty(opts, key, { ...property, enumerable: true, configurable: true });
  }
  return opts;
}

/** Settles a call and checks the contract for its mode. */
async function check(callName, opts, verbose, label) {
  let result;
  let error;
  let threw = false;
  try {
    result = await CALLS[callName](opts);
  } catch (e) {
    threw = true;
    error = e;
  }
  if (verbose) {
    if (threw) {
      assert.ok(error instanceof Error, `${label}: rejected with a non-Error ${String(error)}`);
      assert.match(error.message, /^HoneyHive: failed to (start session|log event|update event): \S/, label);
      return "rejected";
    }
  } else {
    assert.ok(!threw, `${label}: quiet mode rejected: ${error?.message}`);
  }
  if (callName === "update") assert.equal(result, undefined, label);
  else assert.ok(result === null || ANY_UUID.test(result), `${label}: resolved to ${String(result).slice(0, 80)}`);
  return result === null ? "null" : "resolved";
}

test("10 000+ hostile values at every option of every call: no trap, clear errors, the next call works", async (t) => {
  const server = await serverFor(t);
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  t.after(() => process.off("unhandledRejection", onUnhandled));
  const random = prng(20261125);
  const counts = { trials: 0, values: 0, rejected: 0, null: 0, resolved: 0 };

  const { lines, error } = await capture(async () => {
    const trial = async (callName, poison, label) => {
      const opts = optionsFor(callName, server.url, poison);
      const verbose = poison.some(([key, make, asGetter]) => key === "verbose" && !asGetter && make() === true);
      counts[await check(callName, opts, verbose, label)]++;
      counts.trials++;
      counts.values += poison.length;
      // Again in verbose mode, unless the poison is verbose itself.
      if (!poison.some(([key]) => key === "verbose")) {
        const verboseOpts = optionsFor(callName, server.url, [["verbose", () => true, false], ...poison]);
        counts[await check(callName, verboseOpts, true, `${label} (verbose)`)]++;
        counts.trials++;
      }
    };
    // Every option of every call, every value.
    for (const callName of Object.keys(CALLS)) {
      for (const key of OPTIONS) {
        for (const name of NAMES) {
          await trial(callName, [[key, HOSTILE[name], false]], `${callName} ${key}=${name}`);
        }
        await trial(callName, [[key, THROWS, true]], `${callName} ${key} getter throws`);
      }
    }
    // Random combinations, some as getters, and whole hostile arguments.
    for (let i = 0; i < 2000; i++) {
      const callName = Object.keys(CALLS)[Math.floor(random() * 3)];
      const poison = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const name = NAMES[Math.floor(random() * NAMES.length)];
        return [OPTIONS[Math.floor(random() * OPTIONS.length)], HOSTILE[name], random() < 0.2];
      });
      await trial(callName, poison, `combination ${i}`);
    }
    for (const name of NAMES) {
      for (const callName of Object.keys(CALLS)) {
        counts[await check(callName, HOSTILE[name](), false, `${callName}(${name})`)]++;
        counts.trials++;
        counts.values++;
      }
    }
    // Still alive: a valid call succeeds.
    assert.match(await log({ apiKey: KEY, project: "fuzz", eventName: "after", serverUrl: server.url }), UUID);
  });

  if (error) throw error;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(unhandled, [], "no unhandled rejection");
  assert.ok(counts.values >= 10_000, `only ${counts.values} hostile values tried`);
  assert.ok(counts.rejected > 1000 && counts.null > 1000 && counts.resolved > 100, JSON.stringify(counts));
  assert.ok(lines.every((l) => !l.text.includes(KEY)), "nothing printed holds the API key");
  assert.ok(lines.some((l) => l.stream === "error" && l.text.startsWith("HoneyHive: Failed to")));
  t.diagnostic(`fuzz: ${JSON.stringify(counts)}, ${lines.length} lines printed, ${server.requests().length} requests reached the server`);
});
