// `make bench`: what the logger costs, measured in one run against a plain-JS baseline that
// builds the same body with JSON.stringify and calls the same fetch (no validation, no retries:
// the limit), and, per call, against a peer: a JS logger that does what the reference JS logger
// does (checks, UUIDv4, a per-attempt AbortController timeout, one fetch, the answer read). Prints one table and writes it to target/bench.json and to docs/performance.md's bench block.
//
// - SDK CPU per call: a stub fetch that answers at once takes the network out.
// - End to end: 10 000 log calls on loopback to the local server (its own process).
// - Cold start: import + instantiate until the first call has run, in fresh Node processes, and
//   on workerd (a first request minus a warm one).
// - Size: the shipped .wasm and JS, raw, gzip and brotli; the .wasm's largest parts (twiggy).
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { log, start, update } from "honeyhive-logger-wasm";
import { serverProcess } from "../server/process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const TESTS = resolve(here, "..");
const PACKAGE = dirname(createRequire(import.meta.url).resolve("honeyhive-logger-wasm/package.json"));
const OUT = resolve(TESTS, "../target/bench.json");
const README = resolve(TESTS, "../docs/performance.md");
const KEY = "hh-bench-key-7f3a";
const SESSION = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

// ---------------------------------------------------------------------------------------------
// The baseline: what a hand-written JS logger does at the very least.
// ---------------------------------------------------------------------------------------------
const baseline = {
  async start(o) {
    const body = JSON.stringify({
      session: {
        project: o.project, session_name: o.project, source: "dev", session_id: crypto.randomUUID(),
        config: {}, inputs: o.inputs ?? {}, metadata: {}, user_properties: {}, start_time: Date.now(),
      },
    });
    return (await post(o, "POST", "/session/start", body)).session_id;
  },
  async log(o) {
    const body = JSON.stringify({
      event: {
        event_id: crypto.randomUUID(), session_id: o.sessionId, project: o.project, source: "dev",
        event_name: o.eventName, event_type: "tool", config: {}, inputs: o.inputs ?? {}, outputs: o.outputs ?? {},
        metadata: {}, start_time: Date.now(), duration: 10,
      },
    });
    return (await post(o, "POST", "/events", body)).event_id;
  },
  async update(o) {
    const body = JSON.stringify({ event_id: o.eventId, metadata: o.metadata });
    await post(o, "PUT", "/events", body);
  },
};

async function post(o, method, path, body) {
  const response = await fetch(o.serverUrl + path, {
    method,
    headers: { Authorization: `Bearer ${o.apiKey}`, "Content-Type": "application/json" },
    body,
  });
  return JSON.parse(await response.text());
}

// ---------------------------------------------------------------------------------------------
// The peer: a JS logger that does what the reference JS logger does — checks the same options,
// makes a UUIDv4, gives each attempt an AbortController timeout, one fetch, reads the answer,
// and prints one line instead of throwing. The logger a user would otherwise write or pick.
// ---------------------------------------------------------------------------------------------
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_TYPES = ["model", "tool", "chain"];
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function checked(o, needs) {
  if (!isObject(o)) throw new Error("options must be an object");
  const apiKey = o.apiKey ?? o.api_key ?? process.env.HH_API_KEY;
  if (typeof apiKey !== "string" || apiKey === "") throw new Error("missing API key");
  const serverUrl = String(o.serverUrl ?? o.server_url ?? "https://api.honeyhive.ai").replace(/\/+$/, "");
  if (!/^https?:\/\//.test(serverUrl)) throw new Error("invalid server URL");
  const project = o.project ?? process.env.HH_PROJECT;
  if (needs.project && (typeof project !== "string" || project === "")) throw new Error("missing project");
  for (const name of ["config", "inputs", "outputs", "metadata", "feedback", "metrics"]) {
    if (o[name] != null && !isObject(o[name])) throw new Error(`${name} must be an object`);
  }
  for (const name of ["sessionId", "eventId"]) {
    if (o[name] != null && !UUID_TEXT.test(o[name])) throw new Error(`${name} must be a UUID`);
  }
  return { apiKey, serverUrl, project, source: o.source ?? "dev" };
}

async function peerSend(c, method, path, body, what) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5000);
  try {
    const response = await fetch(c.serverUrl + path, {
      method, headers: { Authorization: `Bearer ${c.apiKey}`, "Content-Type": "application/json" }, body, signal: controller.signal,
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    return JSON.parse(text);
  } catch (error) {
    console.error(`HoneyHive: Failed to ${what}. (${error.message})`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

const peer = {
  async start(o) {
    const c = checked(o, { project: true });
    const body = JSON.stringify({
      session: {
        project: c.project, session_name: o.sessionName ?? c.project, source: c.source, session_id: o.sessionId ?? crypto.randomUUID(),
        config: o.config ?? {}, inputs: o.inputs ?? {}, metadata: o.metadata ?? {}, user_properties: o.userProperties ?? {}, start_time: Date.now(),
      },
    });
    return (await peerSend(c, "POST", "/session/start", body, "start session"))?.session_id ?? null;
  },
  async log(o) {
    const c = checked(o, { project: true });
    if (typeof o.eventName !== "string" || o.eventName === "") throw new Error("missing event name");
    const eventType = String(o.eventType ?? "tool").toLowerCase();
    if (!EVENT_TYPES.includes(eventType)) throw new Error("invalid event type");
    const body = JSON.stringify({
      event: {
        event_id: crypto.randomUUID(), session_id: o.sessionId ?? crypto.randomUUID(), project: c.project, source: c.source,
        event_name: o.eventName, event_type: eventType, config: o.config ?? {}, inputs: o.inputs ?? {}, outputs: o.outputs ?? {},
        metadata: o.metadata ?? {}, start_time: Date.now(), duration: o.durationMs || 10,
      },
    });
    return (await peerSend(c, "POST", "/events", body, "log event"))?.event_id ?? null;
  },
  async update(o) {
    const c = checked(o, { project: false });
    if (o.eventId == null) throw new Error("missing event id");
    const body = { event_id: o.eventId };
    for (const [key, name] of [["metadata", "metadata"], ["feedback", "feedback"], ["metrics", "metrics"], ["config", "config"], ["outputs", "outputs"], ["userProperties", "user_properties"]]) {
      if (o[key] != null) body[name] = o[key];
    }
    if (o.durationMs != null) body.duration = o.durationMs;
    await peerSend(c, "PUT", "/events", JSON.stringify(body), "update event");
  },
};

const ours = { start, log, update };

// ---------------------------------------------------------------------------------------------
// SDK CPU per call, with a fetch that answers at once.
// ---------------------------------------------------------------------------------------------
const STUB_ANSWER = JSON.stringify({ session_id: SESSION, event_id: SESSION, success: true });
const stubResponse = { status: 200, ok: true, headers: { get: () => null }, text: async () => STUB_ANSWER };
// The stub does what every fetch does with its init before it sends (undici, Deno and workerd
// alike): it makes a Headers of the init's headers, whatever they were given as. So a logger
// that builds its Headers itself and one that passes an object literal pay the same.
const stubFetch = async (url, init) => {
  if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
  return stubResponse;
};
// The same, answering with a real `Response` (its headers, body stream and text decoding), as
// every runtime's fetch does: the peer's second measure.
const responseFetch = async (url, init) => {
  if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
  return new Response(STUB_ANSWER, { status: 200, headers: { "content-type": "application/json" } });
};

function payload(bytes) {
  const items = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const item = { role: i % 2 ? "assistant" : "user", content: `message ${i} `.padEnd(80, "lorem ipsum ") };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return { messages: items };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95) };
}

/** Per-call times (µs) of each of `fns`, in batches, taking turns (in a rotating order) so that
 * they share the machine's state. */
async function timeTogether(fns, iterations) {
  const samples = fns.map(() => []);
  const batch = Math.max(1, Math.floor(iterations / 50));
  for (let round = 0; round < 50; round++) {
    for (let k = 0; k < fns.length; k++) {
      const which = (round + k) % fns.length;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await fns[which]();
      samples[which].push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
  }
  return samples.map(stats);
}

async function cpuPerCall() {
  const realFetch = globalThis.fetch;
  globalThis.fetch = stubFetch;
  const common = { apiKey: KEY, project: "bench", serverUrl: "http://127.0.0.1:9" };
  const rows = [];
  try {
    // The small calls first: after the megabyte payloads, the heap they leave makes every
    // small call's time noisier, ours and the peer's alike.
    const cases = [
      ["log 1 KB", "log", 1024, 20_000],
      ["start", "start", 0, 20_000],
      ["update", "update", 0, 20_000],
      ["log 100 KB", "log", 100 * 1024, 2_000],
      ["log 1 MB", "log", 1024 * 1024, 200],
    ];
    for (const [name, call, bytes, iterations] of cases) {
      const half = bytes ? payload(bytes / 2) : undefined;
      const opts = {
        ...common, sessionId: SESSION, eventId: SESSION, eventName: "bench", inputs: half, outputs: half,
        metadata: call === "update" ? { reviewed: true } : undefined,
      };
      // Warm all three up, and check they really call fetch and succeed.
      for (let i = 0; i < 200; i++) {
        if ((await ours[call](opts)) === null) throw new Error(`ours: ${name} failed`);
        await baseline[call](opts);
        if ((await peer[call](opts)) === null) throw new Error(`peer: ${name} failed`);
      }
      globalThis.fetch = stubFetch;
      const [o, b, p] = await timeTogether([() => ours[call](opts), () => baseline[call](opts), () => peer[call](opts)], iterations);
      // Again with real `Response`s: ours and the peer, each reading one.
      globalThis.fetch = responseFetch;
      const [or, pr] = await timeTogether([() => ours[call](opts), () => peer[call](opts)], iterations / 2);
      rows.push({
        name, ours: o, baseline: b, peer: p, ratio: o.median / b.median, peerRatio: o.median / p.median,
        oursResponse: or, peerResponse: pr, peerResponseRatio: or.median / pr.median,
      });
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Where a call's CPU goes: a sampling profile of `log` 1 KB (stub fetch), its self time split by
// where the code lives. The shares are of the profiled time; µs are those shares of the median
// measured above, so the rows add up to it.
// ---------------------------------------------------------------------------------------------
// The package's entry is one file (wasm-bindgen's glue and the package's JS bundled): its parts
// are told apart by the names of their functions, which the shipped JS shortens. The profile runs
// the same bundle with its names kept (NAMED_JS, made by `make bench`).
const PLAIN = ["members", "namedMembers", "kind", "items", "reason"];
const ATTEMPT = ["roundTrip", "createAbortSignal", "getLibuvNow", "toggleTimerRef", "SafeMap", "Headers", "AbortController"];
const CALLS = ["settled", "call", "load", "bind"];
const NAMED_JS = process.env.NAMED_JS;
if (!NAMED_JS) throw new Error("NAMED_JS is not set: run the bench with `make bench`");
const ENTRY = pathToFileURL(resolve(NAMED_JS)).href;
const inEntry = (url) => url === ENTRY;
const PLACES = [
  ["the core (.wasm)", (url, fn) => url.startsWith("wasm://") || fn.startsWith("wasm-function") || fn.startsWith("js-to-wasm") || fn.startsWith("wasm-to-js")],
  ["options read member by member (plain.js)", (url, fn) => inEntry(url) && PLAIN.includes(fn)],
  ["JSON.stringify of the body", (url, fn) => fn === "stringify"],
  ["an attempt: fetch, Headers, timer, AbortController", (url, fn) =>
    ATTEMPT.includes(fn) || /timers|abort_controller|event_target|priority_queue|headers/.test(url)],
  ["the promise made and settled (calls.js)", (url, fn) => inEntry(url) && CALLS.includes(fn)],
  ["wasm-bindgen glue (strings, values)", (url, fn) =>
    inEntry(url) || url === "node:internal/encoding" || ["decodeUTF8", "encodeInto", "get buffer"].includes(fn)],
  ["promises and microtasks", (url, fn) => /task_queues|async_hooks/.test(url) || ["enqueueMicrotask", "queueMicrotask", "runMicrotask"].includes(fn)],
  ["garbage collection", (url, fn) => fn === "(garbage collector)"],
  ["the bench's loop and stub fetch", (url) => url.endsWith("/bench.mjs")],
];

async function whereTimeGoes(median) {
  // The names the places are told apart by must still be the bundle's: a renamed function would
  // silently move its time to the glue.
  const bundle = readFileSync(resolve(NAMED_JS), "utf8");
  for (const name of [...PLAIN, "roundTrip", "settled", "bind"]) {
    if (!new RegExp(`(function ${name}\\(|\\b${name}=)`).test(bundle)) throw new Error(`${NAMED_JS} has no function ${name}: update the bench's places`);
  }
  const { log } = await import(ENTRY);
  const { Session } = await import("node:inspector/promises");
  const realFetch = globalThis.fetch;
  globalThis.fetch = stubFetch;
  const half = payload(512);
  const opts = { apiKey: KEY, project: "bench", serverUrl: "http://127.0.0.1:9", sessionId: SESSION, eventName: "bench", inputs: half, outputs: half };
  const session = new Session();
  session.connect();
  let profile;
  try {
    // A fresh instance: warmed up as the measured runs were, so that the profile sees calls,
    // not compilation.
    for (let i = 0; i < 2_000; i++) if ((await log(opts)) === null) throw new Error("the profiled log failed");
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    await session.post("Profiler.start");
    for (let i = 0; i < 20_000; i++) if ((await log(opts)) === null) throw new Error("the profiled log failed");
    ({ profile } = await session.post("Profiler.stop"));
  } finally {
    session.disconnect();
    globalThis.fetch = realFetch;
  }
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // The first delta is the time from the profiler's start to its first sample.
    const us = i === 0 ? 0 : (profile.timeDeltas[i] ?? 0);
    self.set(id, (self.get(id) ?? 0) + us);
    total += us;
  });
  const shares = new Map([...PLACES.map(([name]) => [name, 0]), ["the runtime's own work (microtasks, idle, other)", 0]]);
  for (const [id, us] of self) {
    const { url, functionName } = nodes.get(id).callFrame;
    const place = PLACES.find(([, test]) => test(url, functionName))?.[0] ?? "the runtime's own work (microtasks, idle, other)";
    shares.set(place, shares.get(place) + us);
  }
  return [...shares].map(([place, us]) => ({ place, share: us / total, us: (us / total) * median }));
}

// ---------------------------------------------------------------------------------------------
// End to end on loopback.
// ---------------------------------------------------------------------------------------------
async function callsPerSecond(impl, url, concurrency, total) {
  await fetch(`${url}/__admin/reset`, { method: "POST" });
  const opts = { apiKey: KEY, project: "bench", serverUrl: url, sessionId: SESSION, eventName: "e2e", inputs: { n: 1 } };
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        if (!(await impl.log(opts))) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  if (failed) throw new Error(`${failed} calls failed`);
  return total / seconds;
}

async function endToEnd() {
  const server = await serverProcess();
  const rows = [];
  try {
    for (const concurrency of [1, 64, 512]) {
      const runs = { ours: [], baseline: [], peer: [] };
      const impls = [["ours", ours], ["baseline", baseline], ["peer", peer]];
      for (let round = 0; round < 3; round++) {
        // Each takes each place in the order once: none always runs on the warmest server.
        for (let k = 0; k < impls.length; k++) {
          const [name, impl] = impls[(round + k) % impls.length];
          runs[name].push(await callsPerSecond(impl, server.url, concurrency, 10_000));
        }
      }
      const [o, b, p] = [runs.ours, runs.baseline, runs.peer].map((r) => Math.max(...r));
      rows.push({ concurrency, ours: o, baseline: b, peer: p, ratio: o / b, peerRatio: o / p });
    }
  } finally {
    server.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Cold start.
// ---------------------------------------------------------------------------------------------
/** Medians over fresh Node processes: the package's import + instantiation ("ready": what the
 * first call does before it runs), the first call done, and the import of an empty module (the
 * runtime's own cost of a dynamic import, measured alongside). */
function coldStartNode() {
  const ready = `
    const t0 = performance.now();
    const entry = await import("honeyhive-logger-wasm");
    // The module is instantiated by the first call: one that fails its checks at once (no key),
    // before anything is sent.
    await entry.update({ verbose: true }).then(
      () => { throw new Error("update without a key succeeded"); },
      (error) => { if (!/API key is required/.test(error.message)) throw error; }, // not, say, a module that failed to load
    );
    console.log(performance.now() - t0);`;
  const firstCall = `
    // As every fetch does with its init (and as the CPU bench's stub): a Headers of its headers,
    // which also makes Node load its fetch implementation, as a first real fetch does.
    globalThis.fetch = async (url, init) => {
      if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
      return { status: 200, headers: { get: () => null }, text: async () => '{"session_id":"s"}' };
    };
    const t0 = performance.now();
    const { start } = await import("honeyhive-logger-wasm");
    await start({ apiKey: "k-123", project: "p" });
    console.log(performance.now() - t0);`;
  const empty = `
    const t0 = performance.now();
    await import("data:text/javascript,export const empty = 1;");
    console.log(performance.now() - t0);`;
  // A package is files: the first file a process imports also starts Node's file loader.
  const emptyFile = `
    const t0 = performance.now();
    await import(new URL("./bench/empty.mjs", "file://${TESTS}/"));
    console.log(performance.now() - t0);`;
  const run = (script) =>
    stats(Array.from({ length: 15 }, () => Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: TESTS }).toString())));
  return { ready: run(ready), firstCall: run(firstCall), emptyImport: run(empty), emptyFileImport: run(emptyFile) };
}

async function coldStartWorkerd() {
  const { startWorkerd } = await import("../runtimes/hosts.mjs");
  const server = { url: "http://127.0.0.1:9" };
  // The first request of a fresh Worker, and of a fresh plain-JS Worker doing the same call
  // (tests/runtimes/workerd/js-peer.mjs), taking turns; less each one's warm request.
  const samples = { ours: [], js: [], firstOver: [] };
  for (let i = 0; i < 5; i++) {
    const first = {};
    for (const [which, worker] of i % 2 ? [["ours", "worker"], ["js", "js-peer"]] : [["js", "js-peer"], ["ours", "worker"]]) {
      const running = await startWorkerd(server, KEY, { worker });
      try {
        first[which] = await running.time("http://worker/cold");
        const warm = [];
        for (let j = 0; j < 5; j++) warm.push(await running.time("http://worker/cold"));
        samples[which].push(first[which] - stats(warm).median);
      } finally {
        await running.dispose();
      }
    }
    samples.firstOver.push(first.ours - first.js);
  }
  return { ours: stats(samples.ours), js: stats(samples.js), firstOver: stats(samples.firstOver) };
}

// ---------------------------------------------------------------------------------------------
// Size.
// ---------------------------------------------------------------------------------------------
function sizes() {
  const files = {
    ".wasm": ["honeyhive_logger_wasm_bg.wasm"],
    // node.js: wasm-bindgen's glue, its host snippet and the package's JS, bundled.
    "JS (node.js, all of it)": ["node.js"],
  };
  return Object.entries(files).map(([name, list]) => {
    const bytes = Buffer.concat(list.map((f) => readFileSync(resolve(PACKAGE, f))));
    return {
      name,
      raw: bytes.length,
      // `gzip -9`, as `make pkg` counts its budget: one number for the same bytes everywhere.
      gzip: execFileSync("gzip", ["-9", "-c"], { input: bytes }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}

/** The .wasm's largest parts, from twiggy on the shipped code with its names kept (NAMED_WASM,
 * made by `make bench`): where the next kilobyte is. */
function largestParts(count = 12) {
  const named = process.env.NAMED_WASM;
  if (!named) throw new Error("NAMED_WASM is not set: run the bench with `make bench`");
  const out = execFileSync("twiggy", ["top", "-n", "200", resolve(TESTS, "..", named)], { encoding: "utf8" });
  const rows = [];
  for (const line of out.split("\n")) {
    const cells = line.split("┊").map((cell) => cell.trim());
    const bytes = Number(cells[0]);
    if (cells.length < 3 || !Number.isFinite(bytes)) continue;
    const item = cells[2]
      .replace(/::h[0-9a-f]{16}\b/g, "")
      .replace(/\[[0-9a-f]{16}\]/g, "");
    // The name section is not shipped; the summary rows are not parts.
    if (item.startsWith('"function names"') || item.startsWith("...") || item.startsWith("Σ")) continue;
    rows.push({ bytes, item: item.length > 88 ? `${item.slice(0, 87)}…` : item });
    if (rows.length === count) break;
  }
  if (rows.length === 0) throw new Error(`twiggy printed no rows:\n${out}`);
  return rows;
}

// ---------------------------------------------------------------------------------------------
const machine = `${os.cpus()[0]?.model ?? "unknown CPU"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
console.log(`honeyhive-logger-wasm bench on ${machine}\n`);
const cpu = await cpuPerCall();
const breakdown = await whereTimeGoes(cpu[0].ours.median);
const e2e = await endToEnd();
const cold = { node: coldStartNode(), workerd: await coldStartWorkerd() };
const size = sizes();
const parts = largestParts();

const f1 = (n) => n.toFixed(1);
const lines = [];
lines.push("SDK CPU per call (µs), stub fetch    ours median / p95     baseline median / p95    ratio    peer median / p95    vs peer");
for (const r of cpu) {
  lines.push(
    `  ${r.name.padEnd(34)} ${f1(r.ours.median).padStart(8)} / ${f1(r.ours.p95).padEnd(8)}  ${f1(r.baseline.median).padStart(8)} / ${f1(r.baseline.p95).padEnd(8)}  ${`${r.ratio.toFixed(2)}×`.padEnd(7)}  ${f1(r.peer.median).padStart(8)} / ${f1(r.peer.p95).padEnd(8)}  ${r.peerRatio.toFixed(2)}×`,
  );
}
lines.push("", "SDK CPU per call (µs), real Response    ours median / p95     peer median / p95    vs peer");
for (const r of cpu) {
  lines.push(
    `  ${r.name.padEnd(36)} ${f1(r.oursResponse.median).padStart(8)} / ${f1(r.oursResponse.p95).padEnd(8)}  ${f1(r.peerResponse.median).padStart(8)} / ${f1(r.peerResponse.p95).padEnd(8)}  ${r.peerResponseRatio.toFixed(2)}×`,
  );
}
lines.push("", `Where the CPU of a log 1 KB goes (sampling profile; µs are shares of ${f1(cpu[0].ours.median)})     µs    share`);
for (const r of breakdown) lines.push(`  ${r.place.padEnd(62)} ${f1(r.us).padStart(6)}  ${`${(r.share * 100).toFixed(0)}%`.padStart(5)}`);
lines.push("", "End to end, 10 000 logs on loopback    ours calls/s    baseline calls/s    ratio    peer calls/s    vs peer");
for (const r of e2e) {
  lines.push(
    `  concurrency ${String(r.concurrency).padEnd(24)} ${r.ours.toFixed(0).padStart(10)}    ${r.baseline.toFixed(0).padStart(14)}    ${`${r.ratio.toFixed(2)}×`.padEnd(7)}  ${r.peer.toFixed(0).padStart(10)}    ${r.peerRatio.toFixed(2)}×`,
  );
}
lines.push("", "Cold start, ms (fresh processes)                       median    p95");
const coldRow = (label, s) => lines.push(`  ${label.padEnd(52)}${f1(s.median).padStart(6)}  ${f1(s.p95).padStart(6)}`);
coldRow("Node: import + instantiate (a call, nothing sent)", cold.node.ready);
coldRow("Node: import of an empty module (runtime's share)", cold.node.emptyImport);
coldRow("Node: import of an empty module file (a package's)", cold.node.emptyFileImport);
coldRow("Node: import + first call done", cold.node.firstCall);
coldRow("workerd: first request − warm request", cold.workerd.ours);
coldRow("workerd, a plain-JS Worker: the same", cold.workerd.js);
coldRow("workerd: first request, ours − the JS Worker's", cold.workerd.firstOver);
lines.push("", "Size, bytes                    raw      gzip    brotli");
for (const s of size) lines.push(`  ${s.name.padEnd(24)} ${String(s.raw).padStart(8)}  ${String(s.gzip).padStart(8)}  ${String(s.brotli).padStart(8)}`);
lines.push("", "Largest parts of the .wasm (twiggy top, raw bytes of the shipped code)");
for (const p of parts) lines.push(`  ${String(p.bytes).padStart(6)}  ${p.item}`);
console.log(lines.join("\n"));

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify({ machine, date: new Date().toISOString(), cpu, breakdown, e2e, cold, size, parts, table: lines }, null, 2));
writeReadmeTable(README, lines);
console.log(`\nwritten to ${OUT} and to the table of ${README}`);

/** The README's bench table is this run's: it lives between two markers and is never typed by hand. */
function writeReadmeTable(readme, table) {
  const text = readFileSync(readme, "utf8");
  const begin = "<!-- bench:begin (written by make bench) -->";
  const end = "<!-- bench:end -->";
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readme} has no ${begin} ... ${end} block for the table`);
  const day = new Date().toISOString().slice(0, 10);
  const block = [begin, `The table from ${day} on ${machine}:`, "", "```", ...table, "```", ""].join("\n");
  writeFileSync(readme, text.slice(0, from) + block + text.slice(to));
}
