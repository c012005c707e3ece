// `make bench-ab REF=<commit>`: this build's CPU per call against another build's, in one Node
// process, interleaved (batches taking turns, in a rotating order), with a fetch that answers at
// once. Prints each call's median time of this build over the other's: below 1 is faster. Then
// start-up: import and a first call in fresh processes, the median of the pairs' differences.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as ours from "honeyhive-logger-wasm";

const OTHER = process.env.AB_OTHER;
if (!OTHER) throw new Error("AB_OTHER (the other build's package directory) is not set: run `make bench-ab`");
const other = await import(pathToFileURL(resolve(OTHER, "node.js")).href);

const KEY = "hh-bench-key-7f3a";
const SESSION = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const ANSWER = JSON.stringify({ session_id: SESSION, event_id: SESSION, success: true });
const answer = { status: 200, ok: true, headers: { get: () => null }, text: async () => ANSWER };
// As every fetch does with its init (and as `make bench`'s stub): a Headers of its headers.
globalThis.fetch = async (url, init) => {
  if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
  return answer;
};

function payload(bytes) {
  const messages = [];
  for (let size = 2, i = 0; size < bytes; i++) {
    const item = { role: i % 2 ? "assistant" : "user", content: `message ${i} `.padEnd(80, "lorem ipsum ") };
    size += JSON.stringify(item).length + 1;
    messages.push(item);
  }
  return { messages };
}

const median = (samples) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];

/** Median µs per call of each build, over `rounds` rounds of one batch each, taking turns. */
async function interleaved(fns, calls, rounds = 60) {
  const samples = fns.map(() => []);
  const batch = Math.max(1, Math.floor(calls / rounds));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < fns.length; k++) {
      const which = (round + k) % fns.length;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) await fns[which]();
      samples[which].push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
  }
  return samples.map(median);
}

const common = { apiKey: KEY, project: "bench", serverUrl: "http://127.0.0.1:9", sessionId: SESSION, eventId: SESSION };
const cases = [
  ["log 1 KB", "log", 1024, 18_000],
  ["log 100 KB", "log", 100 * 1024, 1_800],
  ["log 1 MB", "log", 1024 * 1024, 180],
  ["start", "start", 0, 18_000],
  ["update", "update", 0, 18_000],
];
console.log(`this build over ${OTHER}: median µs per call (this / other), two passes`);
for (const [name, call, bytes, calls] of cases) {
  const half = bytes ? payload(bytes / 2) : undefined;
  const opts = { ...common, eventName: "bench", inputs: half, outputs: half, metadata: call === "update" ? { reviewed: true } : undefined };
  for (const build of [ours, other]) {
    for (let i = 0; i < 300; i++) if ((await build[call](opts)) === null) throw new Error(`${name} failed`);
  }
  const passes = [];
  for (let pass = 0; pass < 2; pass++) {
    const [a, b] = await interleaved([() => ours[call](opts), () => other[call](opts)], calls);
    passes.push(`${a.toFixed(1)} / ${b.toFixed(1)} = ${(a / b).toFixed(2)}`);
  }
  console.log(`  ${name.padEnd(12)} ${passes.join("    ")}`);
}

// Start-up: import and a first `start` (through a stub fetch, which also loads Node's own fetch
// as a first real one does) in fresh processes, the two builds taking turns. The per-pair
// difference is what the builds change; the machine's noise moves both of a pair alike.
const PAIRS = Number(process.env.AB_PAIRS ?? 40);
const firstCall = (entry) => `
  globalThis.fetch = async (url, init) => {
    if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
    return { status: 200, headers: { get: () => null }, text: async () => '{"session_id":"s"}' };
  };
  const t0 = performance.now();
  const { start } = await import(${JSON.stringify(entry)});
  if ((await start({ apiKey: "k-123", project: "p" })) !== "s") throw new Error("the first start failed");
  console.log(performance.now() - t0);`;
const fresh = (entry) => Number(execFileSync(process.execPath, ["--input-type=module", "-e", firstCall(entry)]).toString());
const entries = [import.meta.resolve("honeyhive-logger-wasm"), pathToFileURL(resolve(OTHER, "node.js")).href];
const differences = [];
for (let i = 0; i < PAIRS; i++) {
  let thisMs, otherMs;
  if (i % 2) {
    thisMs = fresh(entries[0]);
    otherMs = fresh(entries[1]);
  } else {
    otherMs = fresh(entries[1]);
    thisMs = fresh(entries[0]);
  }
  differences.push(thisMs - otherMs);
}
const sorted = [...differences].sort((a, b) => a - b);
const at = (q) => sorted[Math.floor(q * (sorted.length - 1))].toFixed(1);
console.log(`start-up, import + first start, ${PAIRS} pairs of fresh processes: this - other, median ${at(0.5)} ms (quartiles ${at(0.25)} to ${at(0.75)})`);
