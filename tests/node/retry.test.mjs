// Retries against faults the local server injects: which failures are retried, how many
// attempts are made (1 + maxRetries), and how long the waits between them are.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { start, log, update } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture } from "./helpers.mjs";
import { measureLag } from "../support/lag.mjs";
import { refusedUrl } from "../support/ports.mjs";

/** A call's outcome without touching the console (concurrent tests must not swap it). */
async function settle(promise) {
  try {
    return { result: await promise };
  } catch (error) {
    return { error };
  }
}

const opts = (server, extra = {}) => ({ apiKey: KEY, project: "p", eventName: "e", serverUrl: server.url, ...extra });

/** Seconds between consecutive recorded requests. */
function gaps(requests) {
  return requests.slice(1).map((r, i) => (r.receivedAt - requests[i].receivedAt) / 1000);
}

// The event loop's lateness while these tests run: the scheduling slack of the upper bounds.
const lag = measureLag();
after(() => lag.stop());

/** Asserts a gap lies in [min, max] seconds (backoff plus up to 10 % jitter), plus 0.5 s and the
 * lateness this process measured (a loaded machine runs timers late; it never runs them early). */
function assertGap(gap, min, max) {
  const slack = 0.5 + lag.lagMs() / 1000;
  assert.ok(gap >= min - 0.02 && gap <= max + slack, `waited ${gap.toFixed(3)} s, expected ${min}..${max} s (+${slack.toFixed(3)} s slack)`);
}

// Each test has its own server, so they run concurrently: the waits are real. They leave the
// console alone; the tests that check what is printed run one at a time, further down.
describe("retries", { concurrency: true }, () => {
  for (const status of [500, 502, 503, 504, 408]) {
    test(`retries ${status} then succeeds`, async (t) => {
      const server = await serverFor(t);
      server.inject({ path: "/events", status, count: 1 });
      assert.match(await log(opts(server)), UUID);
      const reqs = server.requests();
      assert.deepEqual(reqs.map((r) => r.status), [status, 200]);
      assert.deepEqual(reqs[0].body, reqs[1].body, "the same body on every attempt");
      assertGap(gaps(reqs)[0], 1.0, 1.1);
    });
  }

  test("retries 429 and honours a Retry-After in seconds", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/session/start", status: 429, retryAfter: "2", count: 1 });
    const id = await start({ apiKey: KEY, project: "p", serverUrl: server.url });
    assert.match(id, UUID);
    const reqs = server.requests();
    assert.deepEqual(reqs.map((r) => r.status), [429, 200]);
    assertGap(gaps(reqs)[0], 2.0, 2.0);
  });

  test("honours a Retry-After given as an HTTP date", async (t) => {
    const server = await serverFor(t);
    // At least 3 s from now, on a whole second (HTTP dates have one-second precision).
    const date = Math.ceil((Date.now() + 3000) / 1000) * 1000;
    server.inject({ path: "/events", status: 503, retryAfter: new Date(date).toUTCString(), count: 1 });
    assert.match(await log(opts(server)), UUID);
    // The retry never comes before the date (the server and the client share this clock). It
    // comes at the date, or at the end of the 1..1.1 s backoff if that ends later (on a machine
    // so busy that the first answer came within 1 s of the date).
    const [, retried] = server.requests();
    assert.ok(retried.receivedAt >= date, `retried ${date - retried.receivedAt} ms before the date`);
    assertGap((retried.receivedAt - date) / 1000, 0, 1.1);
  });

  test("a Retry-After beyond 60 s fails instead of retrying sooner", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", status: 503, retryAfter: "3600", count: 1 });
    const { error } = await settle(log(opts(server, { verbose: true })));
    assert.match(error.message, /retry after 3600 s/);
    assert.equal(server.requests().length, 1);
  });

  test("retries a dropped connection (network error) then succeeds", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", drop: true, count: 1 });
    assert.match(await log(opts(server)), UUID);
    assert.deepEqual(server.requests().map((r) => r.status), [null, 200]);
  });

  test("an attempt that hangs past timeoutMs is aborted and retried", async (t) => {
    const server = await serverFor(t);
    // Cut at 0.3 s, then the 1..1.1 s backoff: the call takes at least 1.3 s. The server sees
    // the attempts 1.0..1.4 s apart (the 0.3 s run from the client's fetch, before the first
    // arrived); ignoring timeoutMs would cut at the 5 s default instead: 6 s or more apart.
    server.inject({ path: "/events", hangMs: 30_000, count: 1 });
    const began = Date.now();
    assert.match(await log(opts(server, { timeoutMs: 300 })), UUID);
    assert.ok(Date.now() - began >= 1300, `took ${Date.now() - began} ms`);
    assert.equal(server.requests().length, 2);
    assertGap(gaps(server.requests())[0], 1.0, 1.4);
  });

  test("timeouts that never end fail with a timeout message", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", hangMs: 5000, count: 5 });
    const { error } = await settle(log(opts(server, { timeoutMs: 200, maxRetries: 1, verbose: true })));
    assert.match(error.message, /No answer within 200 ms/);
  });

  test("attempts = 1 + maxRetries, with doubling waits", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", status: 500, count: 10 });
    assert.equal(await log(opts(server, { maxRetries: 2 })), null);
    const reqs = server.requests();
    assert.equal(reqs.length, 3);
    const [g0, g1] = gaps(reqs);
    assertGap(g0, 1.0, 1.1);
    assertGap(g1, 2.0, 2.2);
  });

  test("the default is 3 retries: 4 attempts, then the quiet line", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", method: "PUT", status: 503, count: 10 });
    const { result, error } = await settle(update({ apiKey: KEY, serverUrl: server.url, eventId: "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" }));
    assert.equal(error, undefined);
    assert.equal(result, undefined);
    const reqs = server.requests();
    assert.equal(reqs.length, 4);
    const [g0, g1, g2] = gaps(reqs);
    assertGap(g0, 1.0, 1.1);
    assertGap(g1, 2.0, 2.2);
    assertGap(g2, 4.0, 4.4);
  });

  test("maxRetries 0 makes one attempt", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", status: 503, count: 2 });
    assert.equal(await log(opts(server, { maxRetries: 0 })), null);
    assert.equal(server.requests().length, 1);
  });

  test("an AbortSignal cancels the wait between retries", async (t) => {
    const server = await serverFor(t);
    // Retry-After makes the wait 30 s: ending far sooner shows the abort cut it, however busy the machine.
    server.inject({ path: "/events", status: 503, retryAfter: "30", count: 5 });
    const controller = new AbortController();
    // The abort must land after the first attempt reached the server: on a busy machine that can
    // take longer than the 300 ms, so it waits for the server's record (the wait is 30 s anyway).
    setTimeout(async () => {
      for (let waited = 0; server.requests().length === 0 && waited < 30_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
    }, 300);
    const began = Date.now();
    const { error } = await settle(log(opts(server, { signal: controller.signal, verbose: true })));
    assert.match(error.message, /aborted by its signal/);
    assert.ok(Date.now() - began < 15_000, "did not wait for the 30 s Retry-After");
    assert.equal(server.requests().length, 1);
  });

  test("an already aborted signal sends nothing", async (t) => {
    const server = await serverFor(t);
    assert.equal(await log(opts(server, { signal: AbortSignal.abort() })), null);
    assert.equal(server.requests().length, 0);
  });
});

// What is printed, one test at a time.
describe("retries, as printed", () => {
  test("retries a connection refused, then reports a network error", async () => {
    const serverUrl = await refusedUrl();
    const { error, lines } = await capture(() =>
      log({ apiKey: KEY, project: "p", eventName: "e", serverUrl, maxRetries: 1, verbose: true }),
    );
    // Node's "fetch failed" alone says nothing: the message carries the cause the runtime gives.
    const address = new URL(serverUrl).host.replace(/[.]/g, "\\.");
    assert.match(error.message, new RegExp(`^HoneyHive: failed to log event: Network error: fetch failed \\(connect ECONNREFUSED ${address}\\)\\. Check that the server URL is correct and reachable`));
    assert.ok(lines.some((l) => /attempt 1 failed \(network error\); retrying in 1\d{3} ms/.test(l.text)), JSON.stringify(lines));
  });

  for (const status of [400, 401, 403, 404]) {
    test(`no retry on ${status}`, async (t) => {
      const server = await serverFor(t);
      server.inject({ path: "/events", status, count: 5 });
      const { result, lines } = await capture(() => log(opts(server)));
      assert.equal(result, null);
      assert.deepEqual(lines, [{ stream: "error", text: `HoneyHive: Failed to log event. (HTTP ${status})` }]);
      assert.equal(server.requests().length, 1);
    });
  }

  test("an AbortSignal cancels an attempt in flight", async (t) => {
    const server = await serverFor(t);
    server.inject({ path: "/events", hangMs: 60_000, count: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const began = Date.now();
    const { result, lines } = await capture(() => log(opts(server, { signal: controller.signal, timeoutMs: 60_000 })));
    assert.equal(result, null);
    assert.deepEqual(lines, [{ stream: "error", text: "HoneyHive: Failed to log event. (aborted)" }]);
    assert.ok(Date.now() - began < 15_000, "the abort ended the attempt long before its 60 s hang");
  });

});
