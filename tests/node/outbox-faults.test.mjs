// The outbox and the hooks under real faults, on Node with a queue of the user's own: a replay
// whose key is refused keeps its message; an update never loses to its event; an outbox that
// never answers cannot hold a call; the circuit breaker; hooks that call the logger; events as
// large as a queue takes, compressed when they must be.
import { test } from "node:test";
import assert from "node:assert/strict";
import { log, update, replay, HoneyHiveError } from "honeyhive-logger-wasm";
import { KEY, UUID, capture, serverFor } from "./helpers.mjs";
import { refusedUrl } from "../support/ports.mjs";
import { fastForward, injectClock, realPause, until } from "../support/clock.mjs";

/** A queue of the user's own; what it carries goes through JSON, as most queues' text does. */
function queue() {
  const sent = [];
  return { sent, send: async (message) => void sent.push(JSON.parse(JSON.stringify(message))) };
}

/** Ordinary text: words from a small vocabulary, in an order that does not repeat. */
function prose(bytes) {
  const words = ["the", "model", "answered", "with", "a", "summary", "of", "customer", "ticket", "about", "billing", "and", "refunds", "in", "three", "sentences"];
  let text = "";
  for (let i = 0; text.length < bytes; i++) text += words[(i * 7 + (i >> 3)) % words.length] + (i % 13 === 12 ? ". " : " ");
  return text.slice(0, bytes);
}

test("a replay whose key is refused keeps its message, and once the key is right it is stored once", async (t) => {
  const server = await serverFor(t, { apiKey: "hh-the-right-key-0000" });
  const outbox = queue();
  const id = await log({ apiKey: KEY, project: "p", eventName: "kept", serverUrl: await refusedUrl(), maxRetries: 0, outbox });
  assert.match(id, UUID);
  const [message] = outbox.sent;
  const opts = { apiKey: KEY, serverUrl: server.url, maxRetries: 0 };
  const { error, lines } = await capture(() => replay(message, opts));
  assert.ok(error instanceof HoneyHiveError && error.code === "http_status" && error.status === 401, String(error));
  assert.equal(lines.length, 1, "one line");
  assert.match(lines[0].text, /\(HTTP 401, code http_status\)$/);
  // No key at all in the replay's options: kept too.
  await assert.rejects(replay(message, { serverUrl: server.url }), (e) => e.code === "missing_option");
  server.setApiKey(KEY);
  await replay(message, opts);
  assert.deepEqual(Object.keys(server.state().events), [id]);
});

test("an update answered 404 is queued, and its replay waits for its event, counting deliveries", async (t) => {
  const server = await serverFor(t);
  const outbox = queue();
  const base = { apiKey: KEY, project: "p", serverUrl: server.url, maxRetries: 0 };
  const eventId = crypto.randomUUID();
  const { result, lines } = await capture(() => update({ ...base, eventId, metadata: { late: true }, outbox }));
  assert.equal(result, undefined);
  assert.deepEqual(lines.map((l) => l.text), ["HoneyHive: queued 1 event for later delivery (HTTP 404)"]);
  const [queued] = outbox.sent;
  assert.equal(queued.method, "PUT");
  // Replayed before its event: handed back to the outbox given, its delivery counted.
  const again = queue();
  await capture(() => replay(queued, { ...base, outbox: again }));
  assert.equal(again.sent.length, 1);
  assert.equal(again.sent[0].attempts, 2);
  await log({ ...base, eventName: "the event", eventId });
  await replay(again.sent[0], { ...base, outbox: again });
  assert.equal(again.sent.length, 1, "delivered: not handed back");
  assert.deepEqual(server.state().events[eventId].metadata, { late: true });
});

test("an outbox whose send never settles ends the call at its deadline or its signal", async () => {
  const hanging = { send: () => new Promise(() => {}) };
  const base = { apiKey: KEY, project: "p", eventName: "n", serverUrl: await refusedUrl(), maxRetries: 0, outbox: hanging, verbose: true };
  let started = Date.now();
  await assert.rejects(log({ ...base, deadlineMs: 500 }), (e) => e.code === "deadline" && /may or may not have been queued/.test(e.message));
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
  started = Date.now();
  await assert.rejects(log({ ...base, signal: AbortSignal.timeout(300) }), (e) => e.code === "aborted");
  assert.ok(Date.now() - started < 2_000);
});

test("without a deadline or a signal, a hand-over that never settles ends after 10 s", async (t) => {
  let handedOver = false;
  const hanging = { send: () => ((handedOver = true), new Promise(() => {})) };
  const base = { apiKey: KEY, project: "p", eventName: "n", serverUrl: await refusedUrl(), maxRetries: 0, outbox: hanging, verbose: true };
  injectClock(t);
  let ended = null;
  log(base).then(
    () => (ended = "resolved"),
    (error) => (ended = error.code),
  );
  // The attempt is refused (real I/O), then the event is handed over: the clock starts there.
  await until(() => handedOver, "the hand-over");
  await realPause(20);
  t.mock.timers.tick(9_990);
  await realPause(20);
  assert.equal(ended, null, "still waiting 10 ms before the bound");
  t.mock.timers.tick(20);
  await until(() => ended !== null, "the end of the call");
  assert.equal(ended, "timeout");
});

test("during an outage, 20 calls send at most 8 requests and every call after the first resolves at once", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 503, count: 1000 });
  const outbox = queue();
  const times = [];
  // The first call's three backoffs (1 + 2 + 4 s) pass on an injected clock, ten times faster.
  injectClock(t);
  await capture(async () => {
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const call = log({ apiKey: KEY, project: "p", eventName: `e${i}`, serverUrl: server.url, outbox });
      assert.match(await fastForward(t, call), UUID);
      times.push(performance.now() - started);
    }
  });
  assert.ok(server.requests().length <= 8, `${server.requests().length} requests`);
  const later = times.slice(1).sort((a, b) => a - b);
  assert.ok(later[9] < 150, `median ${later[9]} ms`);
  assert.equal(outbox.sent.length, 20, "every event queued");
});

test("hooks that call the logger never trap the wasm; nesting is bounded; the next calls work", async (t) => {
  const server = await serverFor(t);
  let heard = 0;
  // onError logs the failure to HoneyHive, with no key set: it fails too, and is not told again.
  const onError = (error) => {
    heard++;
    log({ project: "p", eventName: "report", inputs: { message: error.message }, onError });
  };
  await capture(() => log({ project: "p", eventName: "n", onError }));
  assert.equal(heard, 1);
  // A redact hook and a toJSON that log from inside a call.
  let redacted = 0;
  const redact = (event) => {
    redacted++;
    log({ apiKey: KEY, project: "p", eventName: "inner", serverUrl: server.url, redact });
    return event;
  };
  const { result } = await capture(() => log({ apiKey: KEY, project: "p", eventName: "outer", serverUrl: server.url, redact }));
  assert.match(result, UUID);
  assert.ok(redacted >= 2 && redacted <= 9, `${redacted} nested redacts`);
  let serialised = 0;
  const payload = { toJSON: () => (serialised++, log({ apiKey: KEY, project: "p", eventName: "j", inputs: payload, serverUrl: server.url }), {}) };
  await capture(() => log({ apiKey: KEY, project: "p", eventName: "outer", inputs: payload, serverUrl: server.url }));
  assert.ok(serialised >= 2 && serialised <= 9, `${serialised} nested toJSON`);
  assert.match(await log({ apiKey: KEY, project: "p", eventName: "after", serverUrl: server.url }), UUID);
});

test("events as large as the queue takes: compressed when they must be, and back byte-identical", async (t) => {
  const server = await serverFor(t);
  const outbox = queue();
  const base = { apiKey: KEY, project: "p", serverUrl: await refusedUrl(), maxRetries: 0, outbox };
  const text = prose(200_000);
  const { result: id } = await capture(() => log({ ...base, eventName: "large", inputs: { text } }));
  assert.match(id, UUID);
  const [message] = outbox.sent;
  assert.equal(message.encoding, "gzip");
  assert.ok(JSON.stringify(message).length <= 128_000);
  await replay(message, { apiKey: KEY, serverUrl: server.url });
  assert.equal(server.state().events[id].inputs.text, text);
  // What does not fit even compressed names both sizes.
  let seed = 7;
  const random = () => String.fromCharCode(33 + ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % 89);
  const noise = Array.from({ length: 300_000 }, random).join("");
  const refused = await log({ ...base, eventName: "noise", inputs: { noise }, verbose: true }).catch((e) => e);
  assert.match(refused.message, /too large for the outbox: \d+ bytes; the queue takes 128000/);
});
