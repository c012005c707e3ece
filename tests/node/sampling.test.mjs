// sampleRate: decided once per trace at its root, every span following. A trace left out runs
// its function and returns its value, builds no body (its redact hook never runs) and makes no
// request; a trace kept is sent whole. Single calls ignore the rate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HoneyHive, trace } from "honeyhive-logger-wasm";
import { KEY, serverFor, capture } from "./helpers.mjs";

/** A trace of three spans (a root and two children), its function's value, and its `sent`. */
async function threeSpans(opts, tag = "t") {
  let sent, sampled;
  const value = await trace(tag, async (root) => {
    sent = root.sent;
    sampled = root.sampled;
    await root.trace("child one", () => 1);
    await root.trace("child two", async (span) => {
      span.enrich({ metadata: { tag } });
      return 2;
    });
    return `value of ${tag}`;
  }, opts);
  return { value, sampled, sent: await sent };
}

/** Counts the fetches made while `fn` runs (a spy on the global fetch, which it calls through). */
async function countingFetches(fn) {
  const real = globalThis.fetch;
  let fetches = 0;
  globalThis.fetch = (...args) => {
    fetches += 1;
    return real(...args);
  };
  try {
    return { result: await fn(), fetches };
  } finally {
    globalThis.fetch = real;
  }
}

test("sampleRate 0: the function runs and returns its value; no body is built, no fetch made", async (t) => {
  const server = await serverFor(t);
  let redacted = 0;
  const opts = { apiKey: KEY, project: "p", serverUrl: server.url, sampleRate: 0, redact: (e) => (redacted++, e) };
  const { result, fetches } = await countingFetches(async () => {
    const runs = [];
    for (let i = 0; i < 20; i++) runs.push(await threeSpans(opts, `t${i}`));
    return runs;
  });
  assert.deepEqual(result.map((r) => r.value), Array.from({ length: 20 }, (_, i) => `value of t${i}`));
  assert.ok(result.every((r) => Array.isArray(r.sent) && r.sent.length === 0), "span.sent resolves to []");
  assert.ok(result.every((r) => r.sampled === false), "span.sampled says so");
  assert.deepEqual([fetches, redacted, server.requests().length], [0, 0, 0]);
});

test("sampleRate 0.5: about half of 300 traces are sent, each whole and linked", async (t) => {
  const server = await serverFor(t);
  const runs = [];
  for (let i = 0; i < 300; i++) runs.push(await threeSpans({ apiKey: KEY, project: "p", serverUrl: server.url, sample_rate: 0.5 }, `t${i}`));
  const requests = server.requests();
  const sent = runs.filter((r) => r.sent.length > 0);
  // Binomial(300, 0.5): 150 ± 8.7; 100..200 is more than five deviations either way.
  assert.ok(requests.length >= 100 && requests.length <= 200, `${requests.length} of 300 sent`);
  assert.equal(sent.length, requests.length, "span.sent says which were sent");
  assert.ok(runs.every((r) => r.sampled === r.sent.length > 0), "span.sampled says it before");
  assert.ok(runs.every((r) => r.sent.length === 0 || r.sent.length === 3));
  for (const { body } of requests) {
    const [root, one, two, ...more] = body.events;
    assert.equal(more.length, 0, "a trace is sent whole, in one request");
    assert.deepEqual(root.children_ids, [one.event_id, two.event_id]);
    assert.ok(one.parent_id === root.event_id && two.parent_id === root.event_id);
    assert.deepEqual(two.metadata, { tag: root.event_name });
  }
});

test("sampleRate 1 (and no rate) sends every trace", async (t) => {
  const server = await serverFor(t);
  const { fetches } = await countingFetches(async () => {
    for (const rate of [1, undefined]) {
      for (let i = 0; i < 25; i++) await threeSpans({ apiKey: KEY, project: "p", serverUrl: server.url, sampleRate: rate });
    }
  });
  assert.equal(server.requests().length, 50);
  // The spy that counts no fetch at rate 0 counts these: one a trace.
  assert.equal(fetches, 50);
});

test("a client's sampleRate applies to its traces, a trace's own rate wins, and single calls ignore it", async (t) => {
  const server = await serverFor(t);
  const client = new HoneyHive({ apiKey: KEY, project: "p", serverUrl: server.url, sampleRate: 0 });
  let sent;
  assert.equal(await client.trace("left out", (span) => ((sent = span.sent), "ran")), "ran");
  assert.deepEqual(await sent, []);
  assert.equal(server.requests().length, 0);
  await client.trace("kept", (span) => void (sent = span.sent), { sampleRate: 1 });
  assert.equal((await sent).length, 1);
  assert.ok(await client.log({ eventName: "always sent" }));
  assert.ok(await client.start({}));
  assert.deepEqual(server.requests().map((r) => r.path), ["/events/batch", "/events", "/session/start"]);
});

test("a child span opened after a left-out trace ended is not sent either", async (t) => {
  const server = await serverFor(t);
  let root;
  await trace("root", (span) => void (root = span), { apiKey: KEY, project: "p", serverUrl: server.url, sampleRate: 0 });
  const { lines } = await capture(() => root.trace("late", () => root.enrich({ metadata: { a: 1 } })));
  assert.deepEqual(lines, [], "nothing to warn about: the trace records nothing");
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(server.requests().length, 0);
});

for (const bad of [1.5, -0.1, "0.5", Number.NaN]) {
  test(`sampleRate ${String(bad)} is reported as invalid_option while the function still runs`, async (t) => {
    const server = await serverFor(t);
    const hooked = [];
    const opts = { apiKey: KEY, project: "p", serverUrl: server.url, sampleRate: bad, onError: (e) => hooked.push(e.code) };
    // Quiet: one line, and the function's value.
    let sent;
    const { result, lines } = await capture(() => trace("root", (span) => ((sent = span.sent), "ran"), opts));
    assert.equal(result, "ran");
    assert.equal(await sent, null);
    assert.deepEqual(lines.map((l) => l.stream), ["error"]);
    assert.match(lines[0].text, /^HoneyHive: Failed to send a trace\..*sampleRate/);
    // Verbose: span.sent rejects with the code.
    const verbose = await capture(() => trace("root", (span) => ((sent = span.sent), "ran"), { ...opts, verbose: true }));
    assert.equal(verbose.result, "ran");
    await assert.rejects(sent, (error) => error.code === "invalid_option" && /Option `sampleRate` must be (a number from 0 to 1|a finite number)/.test(error.message));
    assert.deepEqual(hooked, ["invalid_option", "invalid_option"]);
    assert.equal(server.requests().length, 0);
  });
}
