// The outbox on Node, with an object of the user's own (`send(message)`): what a call cannot
// deliver now goes to it and the call resolves; what no retry can cure is reported as any failure; an
// event too large for a message is reported, never dropped silently; replay sends a message with
// its own key, and refuses one it must not send.
import { test } from "node:test";
import assert from "node:assert/strict";
import { log, logBatch, replay, HoneyHiveError } from "honeyhive-logger-wasm";
import { KEY, UUID, capture, serverFor } from "./helpers.mjs";
import { refusedUrl } from "../support/ports.mjs";

function queue() {
  const sent = [];
  return { sent, send: async (message) => void sent.push(structuredClone(message)) };
}

test("while the server is down, calls resolve to their ids and the outbox keeps their requests", async (t) => {
  const server = await serverFor(t);
  const outbox = queue();
  const down = await refusedUrl();
  const base = { apiKey: KEY, project: "p", serverUrl: down, maxRetries: 0, outbox };
  const { result: ids, lines } = await capture(async () => [
    await log({ ...base, eventName: "one" }),
    ...(await logBatch({ ...base, events: [{ eventName: "two" }, { eventName: "three" }] })),
  ]);
  assert.ok(ids.every((id) => UUID.test(id)), JSON.stringify(ids));
  assert.deepEqual(outbox.sent.map((m) => [m.v, m.api, m.method, m.path, m.events]), [[1, "reference", "POST", "/events", 1], [1, "reference", "POST", "/events/batch", 2]]);
  assert.ok(outbox.sent.every((m) => UUID.test(m.id)), "each message has an id");
  assert.ok(outbox.sent.every((m) => !JSON.stringify(m).includes(KEY)), "no key in any message");
  assert.deepEqual(lines.map((l) => [l.stream, l.text]), [
    ["warn", "HoneyHive: queued 1 event for later delivery (network error)"],
    // The first call found the server down: the next skips it for a cool-down (the breaker).
    ["warn", "HoneyHive: queued 2 events for later delivery (circuit open)"],
  ]);
  for (const message of outbox.sent) await replay(message, { apiKey: KEY, serverUrl: server.url });
  assert.deepEqual(new Set(Object.keys(server.state().events)), new Set(ids), "each event, once");
  assert.ok(server.requests().every((r) => r.headers.authorization === `Bearer ${KEY}`), "sent with the replay's own key");
});

test("a 401 is never queued, and an event too large for a message is reported", async (t) => {
  const server = await serverFor(t, { apiKey: KEY });
  const outbox = queue();
  const heard = [];
  const refused = await log({ apiKey: "hh-wrong-key", project: "p", eventName: "n", serverUrl: server.url, outbox, onError: (e) => heard.push(e) });
  assert.equal(refused, null);
  assert.equal(outbox.sent.length, 0, "nothing queued");
  // Text gzip cannot shrink enough: too large for a message even compressed.
  let seed = 7;
  const noise = () => String.fromCharCode(33 + ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % 89);
  const big = { text: Array.from({ length: 300_000 }, noise).join("") };
  const { result } = await capture(() =>
    log({ apiKey: KEY, project: "p", eventName: "big", inputs: big, serverUrl: "http://127.0.0.1:9", maxRetries: 0, outbox, onError: (e) => heard.push(e) }),
  );
  assert.equal(result, null);
  assert.equal(outbox.sent.length, 0);
  assert.equal(heard.length, 2);
  assert.equal(heard[0].code, "http_status");
  assert.ok(heard[1] instanceof HoneyHiveError);
  assert.match(heard[1].message, /could not be queued for later delivery either: too large for the outbox: \d+ bytes; the queue takes 128000, and \d+ with its body gzipped/);
});

test("replay refuses a message it must not send, and the next replay works", async (t) => {
  const server = await serverFor(t);
  const opts = { apiKey: KEY, serverUrl: server.url };
  const good = { v: 1, api: "reference", method: "POST", path: "/events", events: 1, body: JSON.stringify({ event: { event_id: "x" } }) };
  const { lines } = await capture(async () => {
    await replay({ ...good, v: 2 }, opts);
    await replay({ ...good, path: "/projects" }, opts);
    await replay("not a message", opts);
  });
  assert.equal(server.requests().length, 0, "none was sent");
  assert.equal(lines.length, 3);
  // Verbose mode too says why the queue may forget it: there is no caller to reject to.
  const verbose = await capture(() => replay({ ...good, v: 2 }, { ...opts, verbose: true }));
  assert.ok(verbose.lines.some((l) => l.stream === "error" && /format version 2/.test(l.text)), JSON.stringify(verbose.lines));
  assert.ok(lines.every((l) => l.stream === "error" && /^HoneyHive: Failed to replay a queued request\. \(a message it cannot replay\)$/.test(l.text)), JSON.stringify(lines));
  server.inject({ path: "/events", status: 503, count: 4 });
  await assert.rejects(replay(good, { ...opts, maxRetries: 0 }), (e) => e instanceof HoneyHiveError && e.code === "http_status" && e.retryable);
});
