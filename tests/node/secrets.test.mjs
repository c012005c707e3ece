// The API key never appears in anything printed or thrown, in quiet or verbose mode, across
// successes, validation failures, HTTP errors (even when the server echoes the key), retries,
// network errors and timeouts.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start, log, update } from "honeyhive-logger-wasm";
import { serverFor, capture } from "./helpers.mjs";
import { refusedUrl } from "../support/ports.mjs";
import { fastForward, injectClock } from "../support/clock.mjs";

// Mixed case: a runtime may quote it lower-cased (a host name in an ENOTFOUND), which must be masked too.
const KEY = "hh-Very-Secret-Key-31337-AbCdEf";
const holdsKey = (text) => String(text).toLowerCase().includes(KEY.toLowerCase());

test("the API key is never printed nor put in an error message", async (t) => {
  const server = await serverFor(t);
  const base = { apiKey: KEY, project: "p", serverUrl: server.url, maxRetries: 1, timeoutMs: 300 };
  const refused = await refusedUrl();
  // Each scenario takes the verbose flag and runs one call.
  const ID = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const scenarios = [
    ["success", (verbose) => start({ ...base, verbose })],
    ["success with the key in a payload", (verbose) => log({ ...base, verbose, eventName: "e", inputs: { leaked: KEY } })],
    ["missing event name", (verbose) => log({ ...base, verbose })],
    ["bad UUID holding the key", (verbose) => update({ ...base, verbose, eventId: KEY })],
    ["bad event type holding the key", (verbose) => log({ ...base, verbose, eventName: "e", eventType: KEY })],
    ["bad server URL holding the key", (verbose) => start({ ...base, verbose, serverUrl: `ftp://${KEY}` })],
    ["401 echoing the key", (verbose) => {
      server.inject({ path: "/events", status: 401, body: JSON.stringify({ error: `invalid key ${KEY}` }) });
      return log({ ...base, verbose, eventName: "e" });
    }],
    ["503 then 200, retried", (verbose) => {
      server.inject({ path: "/session/start", status: 503, body: `overloaded for ${KEY}` });
      return start({ ...base, verbose });
    }],
    ["200 without id echoing the key", (verbose) => {
      server.inject({ path: "/session/start", body: JSON.stringify({ echo: KEY }) });
      return start({ ...base, verbose });
    }],
    ["timeout", (verbose) => {
      server.inject({ path: "/events", method: "PUT", hangMs: 2000, count: 2 });
      return update({ ...base, verbose, eventId: ID });
    }],
    ["network error, with its cause", (verbose) => start({ ...base, verbose, serverUrl: refused })],
    ["network error whose cause names a host holding the key", (verbose) => start({ ...base, verbose, serverUrl: `http://${KEY}.invalid` })],
  ];
  let printed = 0;
  // The retries' backoffs and the timeouts pass on an injected clock, ten times faster.
  injectClock(t);
  for (const [name, run] of scenarios) {
    for (const verbose of [false, true]) {
      const { error, lines } = await capture(() => fastForward(t, run(verbose)));
      printed += lines.length;
      for (const line of lines) assert.ok(!holdsKey(line.text), `${name} (verbose ${verbose}) printed the key: ${line.text}`);
      if (error) {
        assert.ok(!holdsKey(error.message), `${name}: the error message holds the key`);
        assert.ok(!holdsKey(error.stack), `${name}: the stack holds the key`);
      }
    }
  }
  assert.ok(printed >= 20, `the scenarios printed ${printed} lines to check`);
});
