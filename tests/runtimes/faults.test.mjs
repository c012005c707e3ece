// The fault matrix on Node, Deno and workerd: for every case, the number of attempts, the waits
// between them, the result or verbose message, the time the call took, and no duplicated event.
// Every byte the runtimes print is checked for the API key.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../server/server.mjs";
import { CASES, CONTROL } from "./faults.mjs";
import { measureLag } from "../support/lag.mjs";
import { refusedUrl } from "../support/ports.mjs";
import * as hosts from "./hosts.mjs";

const KEY = "hh-fault-key-e39d0c1b77";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The scheduling slack of the upper time bounds, from what this run measured: a fixed 300 ms,
 * plus twice what one plain call took on the runtime (the control case: the client's share of a
 * loaded machine), plus the lateness of this process's event loop, where the servers stamp the
 * requests. The lower bounds, the waits the logger must keep, get no slack.
 */
function slackOf(observations, lagMs) {
  const control = observations.find((o) => o?.name === CONTROL);
  return Math.round(300 + 2 * (control?.elapsed ?? 0) + lagMs);
}

function assertCase(kase, seen, slack) {
  const { expect } = kase;
  assert.equal(seen.name, kase.name);
  let gaps = seen.gaps;
  let expectedGaps = expect.gaps ?? [];
  if (expect.transportResends && gaps.some((gap) => gap < 100)) {
    // The runtime resent at once on its own; the logger's waits are the others, and the
    // resend took the place of one of its retries.
    gaps = gaps.filter((gap) => gap >= 100);
    expectedGaps = expectedGaps.slice(0, gaps.length);
    assert.ok(seen.attempts <= expect.attempts, `attempts (${JSON.stringify(seen)})`);
  } else {
    assert.equal(seen.attempts, expect.attempts, `attempts (${JSON.stringify(seen)})`);
  }
  assert.equal(gaps.length, expectedGaps.length, `waits (${JSON.stringify(seen)})`);
  expectedGaps.forEach(({ min, max }, i) => {
    assert.ok(gaps[i] >= min && gaps[i] <= max + slack, `wait ${i + 1} was ${gaps[i]} ms, expected ${min}..${max} (+${slack} slack)`);
  });
  if (expect.retriedAt) {
    const { min, max } = expect.retriedAt;
    assert.ok(seen.retriedAt >= min && seen.retriedAt <= max + slack, `retried ${seen.retriedAt} ms after the Retry-After date, expected ${min}..${max} (+${slack} slack)`);
  }
  if (expect.result === "id") {
    assert.equal(seen.message, undefined, "succeeded");
    assert.match(seen.result, UUID);
    if (expect.attempts === 0) assert.equal(seen.result, "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "the id the call made, queued");
    assert.ok(seen.eventIds.every((id) => id === seen.result), "one client-made event_id across every attempt, and log resolved to it");
  } else {
    assert.match(seen.message ?? "(resolved, did not reject)", expect.message);
    assert.match(seen.message, /^HoneyHive: failed to /);
    assert.deepEqual(
      { name: seen.failure.name, isClass: seen.failure.isClass },
      { name: "HoneyHiveError", isClass: true },
      "a HoneyHiveError, the package's own class",
    );
    if (expect.code) assert.equal(seen.failure.code, expect.code, "its code");
    if (expect.status) assert.equal(seen.failure.status, expect.status, "its status");
  }
  if (expect.events !== undefined) assert.equal(seen.events, expect.events, "events stored: none lost, none doubled");
  if (expect.elapsed) {
    const { min, max } = expect.elapsed;
    assert.ok(seen.elapsed >= min && seen.elapsed <= max + slack, `the call took ${seen.elapsed} ms, expected ${min}..${max} (+${slack} slack)`);
  }
}

async function servers() {
  return Promise.all(CASES.map(() => startServer()));
}

function matrix(runtime, runAll) {
  describe(`fault matrix on ${runtime}`, () => {
    let started = [];
    let observations = [];
    let output = "";
    let slack = 0;
    before(async () => {
      started = await servers();
      const lag = measureLag();
      try {
        ({ observations, output } = await runAll({ urls: started.map((s) => s.url), refused: await refusedUrl() }));
      } finally {
        lag.stop();
      }
      slack = slackOf(observations, lag.lagMs());
    });
    after(() => Promise.all(started.map((s) => s.close())));

    CASES.forEach((kase, i) => test(kase.name, (t) => {
      if (kase.name === CONTROL) t.diagnostic(`timing slack of this run: ${slack} ms`);
      assertCase(kase, observations[i], slack);
    }));

    test("nothing printed holds the API key", () => {
      assert.ok(output.length > 0, "verbose mode printed the requests");
      assert.ok(!output.includes(KEY), "the API key was printed");
      assert.ok(output.includes("Bearer ***"), "the requests were printed with the key masked");
    });
  });
}

matrix("Node", (urls) => hosts.faultsOnNode(urls, KEY));
matrix("Deno", (urls) => hosts.faultsOnDeno(urls, KEY));
matrix("workerd", async ({ urls, refused }) => {
  const output = [];
  const first = await startServer();
  // A queue bound as HH_OUTBOX, for the outbox case (produced to only: nothing consumes it here).
  const miniflare = { name: "faults-worker", queueProducers: { HH_OUTBOX: "hh-faults-outbox" } };
  const worker = await hosts.startWorkerd(first, KEY, { output, miniflare });
  try {
    const observations = await Promise.all(
      urls.map(async (url, i) => {
        const query = new URLSearchParams({ case: String(i), server: url, refused });
        const answer = await worker.fetch(`http://worker/fault?${query}`);
        const text = await answer.text();
        if (answer.status !== 200) throw new Error(`case ${i} answered ${answer.status}: ${text}`);
        return JSON.parse(text);
      }),
    );
    return { observations, output: output.join("") };
  } finally {
    await worker.dispose();
    await first.close();
  }
});
