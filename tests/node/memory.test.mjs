// Memory: answers that grow, one after another, from 128 KB to 4 MB, in a fresh instance (this
// file's process). Each is read into wasm whole (for its id), so each asks the allocator for a
// block larger than any it had: freed blocks must be reused and merged with the memory grown
// after them. An allocator that makes a separate pool per memory.grow keeps nearly the sum of the
// sizes instead (rlsf's SmallGlobalTlsf: 273 MiB over answers growing in 64 KB steps); the
// package's allocator (talc, src/wasm/mod.rs) must not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { log } from "honeyhive-logger-wasm";
import { KEY } from "./helpers.mjs";
import { serverProcess } from "../server/process.mjs";
import { adminPost } from "../server/admin.mjs";
import { wasmMemoryBytes } from "./wasm-memory.mjs";

const ANSWER_STEP = 128 * 1024;
const LARGEST_ANSWER = 4 * 1024 * 1024;
const GROWTH_BOUND = 32 * 1024 * 1024;

test("answers growing to 4 MB: the memory freed is reused, not kept beside new memory", async (t) => {
  const server = await serverProcess();
  t.after(() => server.stop());
  const before = await wasmMemoryBytes();
  const eventId = "6f1f2c3a-9b8e-4d7c-8a6b-5e4d3c2b1a09";
  for (let size = ANSWER_STEP; size <= LARGEST_ANSWER; size += ANSWER_STEP) {
    const body = JSON.stringify({ event_id: eventId, success: true, pad: "x".repeat(size) });
    await adminPost(server.url, "faults", { path: "/events", method: "POST", status: 200, body });
    const id = await log({ apiKey: KEY, project: "memory", serverUrl: server.url, eventName: `answer-${size}`, eventId, timeoutMs: 30_000 });
    assert.equal(id, eventId, `the answer of ${size} bytes was read`);
  }
  const after = await wasmMemoryBytes();
  assert.ok(after - before >= LARGEST_ANSWER, `the answers reached wasm whole: it grew by ${after - before} bytes`);
  assert.ok(after - before <= GROWTH_BOUND,
    `wasm memory grew by ${after - before} bytes over answers growing to ${LARGEST_ANSWER} bytes (bound ${GROWTH_BOUND})`);
  t.diagnostic(`wasm memory: ${before} bytes before the growing answers, ${after} after`);
});
