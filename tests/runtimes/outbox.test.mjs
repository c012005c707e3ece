// The outbox on the real engines with queues: a Cloudflare Queue in workerd (miniflare), consumed
// by the same Worker, and a Deno.Kv queue. While HoneyHive is down (connections refused), `log`,
// `logBatch`, a trace and an event of 120 KB resolve with their ids. The consumer's key is
// refused at first (401: a key not yet rotated in); its messages are kept, not acked, and once
// the server takes the key it stores every event exactly once, the large one byte-identical. No
// message holds the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../server/server.mjs";
import { refusedUrl } from "../support/ports.mjs";
import * as hosts from "./hosts.mjs";
import { prose } from "./outbox-calls.mjs";

const KEY = "hh-outbox-key-8d1e4c2b";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function liveServer(t) {
  // The consumer's key is refused until the test lets the server take it.
  const server = await startServer({ apiKey: "hh-the-key-before-rotation" });
  t.after(() => server.close());
  return server;
}

/** Lets the server take the consumer's key once it has refused it (or after 10 s). */
async function rotateAfterRefusals(server) {
  const deadline = Date.now() + 10_000;
  while (!server.requests().some((r) => r.status === 401) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  server.setApiKey(KEY);
}

/** Waits until the server holds `n` events (or 60 s), and answers them. */
async function eventsOf(server, n) {
  const deadline = Date.now() + 60_000;
  while (Object.keys(server.state().events).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return server.state().events;
}

function checkDelivered(server, resolved, events) {
  const ids = [...resolved.logs, ...resolved.batch, ...resolved.trace, resolved.large];
  assert.equal(ids.length, 8);
  assert.ok(ids.every((id) => UUID.test(id)), `every call resolved to its ids: ${JSON.stringify(resolved)}`);
  assert.deepEqual(new Set(Object.keys(events)), new Set(ids), "the server stores every id, once");
  const stored = server.requests().filter((r) => r.status === 200);
  const storedIds = stored.flatMap((r) => (r.body.events ?? [r.body.event]).map((e) => e.event_id));
  assert.equal(storedIds.length, new Set(storedIds).size, "no event delivered twice");
  assert.ok(server.requests().some((r) => r.status === 401), "the consumer's key was refused first");
  assert.equal(events[resolved.large].inputs.text, prose(120_000), "the large event, byte-identical");
}

test("workerd: a Cloudflare Queue bound as HH_OUTBOX, replayed by the Worker's queue handler", async (t) => {
  const server = await liveServer(t);
  const output = [];
  const worker = await hosts.startWorkerd(server, KEY, {
    worker: "outbox",
    output,
    miniflare: {
      name: "outbox-worker",
      queueProducers: { HH_OUTBOX: "hh-outbox" },
      queueConsumers: { "hh-outbox": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 10 } },
    },
  });
  t.after(() => worker.dispose());
  const answer = await worker.fetch(`http://worker/produce?server=${encodeURIComponent(await refusedUrl())}`);
  const resolved = await answer.json();
  await rotateAfterRefusals(server);
  assert.ok(resolved.warned.some((line) => /^HoneyHive: queued 1 event for later delivery \(network error\)$/.test(line)), JSON.stringify(resolved.warned));
  const events = await eventsOf(server, 8);
  checkDelivered(server, resolved, events);
  assert.ok(output.every((chunk) => !chunk.includes(KEY)), "nothing printed holds the key");
});

test("Deno: a Deno.Kv as the outbox, replayed by listenQueue", async (t) => {
  const server = await liveServer(t);
  const dir = mkdtempSync(join(tmpdir(), "hh-outbox-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const running = hosts.denoOutbox(server.url, await refusedUrl(), join(dir, "kv.sqlite3"), KEY);
  await rotateAfterRefusals(server);
  const { stdout, stderr } = await running;
  const [first, last] = stdout.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line));
  const events = await eventsOf(server, 8);
  checkDelivered(server, first, events);
  assert.equal(last.done, true);
  assert.ok(last.encodings.includes("gzip"), `the 120 KB event travelled gzipped: ${JSON.stringify(last.encodings)}`);
  assert.ok(!(stdout + stderr).includes(KEY), "nothing printed holds the key");
  // Quiet: one line per failed delivery, no stack of Deno's for a handler that threw.
  assert.ok(!/Exception in queue handler|^\s+at /m.test(stderr), stderr);
  assert.match(stderr, /Failed to replay a queued request \(delivery 1\); the outbox delivers it again in 5 s\. \(HTTP 401, code http_status\)/);
});
