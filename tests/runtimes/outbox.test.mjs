// The outbox on the real engines with queues: a Cloudflare Queue in workerd (miniflare), consumed
// by the same Worker, and a Deno.Kv queue. While HoneyHive is down (connections refused), `log`,
// `logBatch` and a trace resolve with their ids; the replay meets 503s at first, then the server
// recovers, and it stores every event exactly once: the two messages answered 503 (the replays
// make one attempt each) were delivered again by the queue. No message holds the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../server/server.mjs";
import { refusedUrl } from "../support/ports.mjs";
import * as hosts from "./hosts.mjs";

const KEY = "hh-outbox-key-8d1e4c2b";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function liveServer(t) {
  const server = await startServer({ apiKey: KEY });
  t.after(() => server.close());
  // HoneyHive is still down when the replay first tries: two 503s, then it takes everything.
  server.inject({ path: "/events", status: 503, count: 2 });
  return server;
}

/** Waits until the server holds `n` events (or 60 s), and answers them. */
async function eventsOf(server, n) {
  const deadline = Date.now() + 60_000;
  while (Object.keys(server.state().events).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return server.state().events;
}

function checkDelivered(server, resolved, events) {
  const ids = [...resolved.logs, ...resolved.batch, ...resolved.trace];
  assert.equal(ids.length, 7);
  assert.ok(ids.every((id) => UUID.test(id)), `every call resolved to its ids: ${JSON.stringify(resolved)}`);
  assert.deepEqual(new Set(Object.keys(events)), new Set(ids), "the server stores every id, once");
  const stored = server.requests().filter((r) => r.status === 200);
  const storedIds = stored.flatMap((r) => (r.body.events ?? [r.body.event]).map((e) => e.event_id));
  assert.equal(storedIds.length, new Set(storedIds).size, "no event delivered twice");
  // The replays make one attempt each: a message answered 503 was delivered again by the queue.
  assert.equal(server.requests().filter((r) => r.status === 503).length, 2, "the replay met the outage first");
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
  assert.ok(resolved.warned.some((line) => /^HoneyHive: queued 1 event for later delivery \(network error\)$/.test(line)), JSON.stringify(resolved.warned));
  const events = await eventsOf(server, 7);
  checkDelivered(server, resolved, events);
  assert.ok(output.every((chunk) => !chunk.includes(KEY)), "nothing printed holds the key");
});

test("Deno: a Deno.Kv as the outbox, replayed by listenQueue", async (t) => {
  const server = await liveServer(t);
  const dir = mkdtempSync(join(tmpdir(), "hh-outbox-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { stdout, stderr } = await hosts.denoOutbox(server.url, await refusedUrl(), join(dir, "kv.sqlite3"), KEY);
  const resolved = JSON.parse(stdout.trim().split("\n")[0]);
  const events = await eventsOf(server, 7);
  checkDelivered(server, resolved, events);
  assert.ok(!(stdout + stderr).includes(KEY), "nothing printed holds the key");
});
