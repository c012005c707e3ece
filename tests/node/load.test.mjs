// Load: 10 000 concurrent log calls against the local server (in a process of its own): exactly
// 10 000 distinct events recorded, none lost or doubled, and the wasm linear memory bounded:
// two more rounds of 10 000 calls do not grow it with the calls made.
import { test } from "node:test";
import assert from "node:assert/strict";
import { log } from "honeyhive-logger-wasm";
import { KEY, capture } from "./helpers.mjs";
import { serverProcess } from "../server/process.mjs";
import { adminGet, adminPost } from "../server/admin.mjs";
import { wasmMemoryBytes } from "./wasm-memory.mjs";

const CALLS = 10_000;
const MEMORY_BOUND = 64 * 1024 * 1024;
const GROWTH_BOUND = 1024 * 1024;

async function round(url, name) {
  const ids = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      log({ apiKey: KEY, project: "load", serverUrl: url, eventName: `${name}-${i}`, inputs: { i }, timeoutMs: 30_000 }),
    ),
  );
  return ids;
}

const state = (url) => adminGet(url, "state");

test("10 000 concurrent logs: 10 000 distinct events, memory bounded", async (t) => {
  const server = await serverProcess();
  t.after(() => server.stop());
  assert.ok(await log({ apiKey: KEY, project: "load", serverUrl: server.url, eventName: "warm-up" }));
  await adminPost(server.url, "reset");
  const before = await wasmMemoryBytes();

  const { result: first, lines, error } = await capture(() => round(server.url, "first"));
  if (error) throw error;
  const afterFirst = await wasmMemoryBytes();
  const recorded = Object.values((await state(server.url)).events);
  assert.equal(first.length, CALLS);
  assert.equal(first.filter((id) => id === null).length, 0, `failed calls; printed: ${lines.slice(0, 3).map((l) => l.text)}`);
  assert.ok(lines.every((l) => !l.text.includes(KEY)), "nothing printed holds the API key");
  assert.equal(new Set(first).size, CALLS, "distinct ids");
  assert.equal(recorded.length, CALLS, "exactly one event per call");
  assert.deepEqual(new Set(recorded.map((e) => e.event_id)), new Set(first), "the ids the calls resolved to are the ids stored");
  assert.equal(new Set(recorded.map((e) => e.event_name)).size, CALLS, "no event lost or doubled");

  const second = await round(server.url, "second");
  const afterSecond = await wasmMemoryBytes();
  assert.equal(new Set(second).size, CALLS);
  assert.equal(Object.keys((await state(server.url)).events).length, 2 * CALLS);
  const third = await round(server.url, "third");
  const afterThird = await wasmMemoryBytes();
  assert.equal(new Set(third).size, CALLS);
  assert.equal(Object.keys((await state(server.url)).events).length, 3 * CALLS);
  assert.ok(afterFirst <= MEMORY_BOUND, `wasm memory ${afterFirst} bytes after ${CALLS} concurrent calls`);
  // The first round sets the peak (about 2 KB per call in flight). Later rounds may take a page
  // or two more while the allocator's free lists settle (seen: +128 KiB once, then flat for three
  // more rounds); what they must not do is grow with the calls made: 20 000 more calls may add
  // at most 1 MiB, about 50 bytes a call, where keeping even one small allocation per call would
  // add more.
  assert.ok(afterThird - afterFirst <= GROWTH_BOUND,
    `wasm memory grew with the calls made: ${afterFirst} bytes after ${CALLS} calls, ${afterSecond} after ${2 * CALLS}, ${afterThird} after ${3 * CALLS}`);
  t.diagnostic(`wasm memory: ${before} bytes before, ${afterFirst} after ${CALLS} concurrent calls, ${afterSecond} after ${2 * CALLS}, ${afterThird} after ${3 * CALLS}`);
});
