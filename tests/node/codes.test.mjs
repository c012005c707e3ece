// Every error code, on Node: a verbose rejection and onError's argument are a HoneyHiveError that
// carries `code`, `status` where the server answered, `retryable`, `call`, and for a network
// failure the runtime's message as `cause`. A bad key, a missing option and a refused connection
// get different codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { log, logBatch, start, update, HoneyHiveError } from "honeyhive-logger-wasm";
import { KEY, capture, serverFor } from "./helpers.mjs";
import { refusedUrl } from "../support/ports.mjs";

const ID = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** The rejection of a verbose call, and what onError heard, which must be alike. */
async function failure(call, opts) {
  const heard = [];
  let rejected;
  // The caller's own members as they are (a getter stays a getter), under verbose and onError.
  const options = Object.defineProperties({ verbose: true, onError: (error) => heard.push(error) }, Object.getOwnPropertyDescriptors(opts));
  try {
    await call(options);
  } catch (error) {
    rejected = error;
  }
  assert.ok(rejected instanceof HoneyHiveError, `rejected with ${rejected}`);
  assert.ok(rejected instanceof Error);
  assert.equal(rejected.name, "HoneyHiveError");
  assert.equal(heard.length, 1, "onError heard of it once");
  assert.ok(heard[0] instanceof HoneyHiveError);
  assert.deepEqual(
    [heard[0].message, heard[0].code, heard[0].status, heard[0].retryable, heard[0].call],
    [rejected.message, rejected.code, rejected.status, rejected.retryable, rejected.call],
  );
  assert.ok(!rejected.message.includes(KEY), "the key is masked");
  return rejected;
}

const fields = (e) => ({ code: e.code, status: e.status, retryable: e.retryable, call: e.call });

test("missing_option and invalid_option: the options' own failures, never retryable", async () => {
  const missing = await failure(log, { project: "p", eventName: "n", serverUrl: "http://127.0.0.1:9" });
  assert.deepEqual(fields(missing), { code: "missing_option", status: undefined, retryable: false, call: "log" });
  const invalid = await failure(start, { apiKey: KEY, project: "p", maxRetries: -1 });
  assert.deepEqual(fields(invalid), { code: "invalid_option", status: undefined, retryable: false, call: "start" });
  const unreadable = await failure(log, { apiKey: KEY, project: "p", get eventName() { throw new Error("getter"); } });
  assert.equal(unreadable.code, "invalid_option");
});

test("http_status: the status, and whether a later try could succeed", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 401 });
  const refused = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url });
  assert.deepEqual(fields(refused), { code: "http_status", status: 401, retryable: false, call: "log" });
  assert.match(refused.message, /HTTP 401\. It refused the key: the API key sent \(from apiKey\)/);
  server.inject({ path: "/events", method: "PUT", status: 503 });
  const down = await failure(update, { apiKey: KEY, eventId: ID, serverUrl: server.url, maxRetries: 0 });
  assert.deepEqual(fields(down), { code: "http_status", status: 503, retryable: true, call: "update" });
  server.inject({ path: "/events", method: "PUT", status: 404 });
  const unknown = await failure(update, { apiKey: KEY, eventId: ID, serverUrl: server.url });
  assert.match(unknown.message, /HTTP 404\. It does not know what the request names: check the ids/);
});

test("network: a refused connection, with the runtime's message as cause", async () => {
  const error = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: await refusedUrl(), maxRetries: 0 });
  assert.deepEqual(fields(error), { code: "network", status: undefined, retryable: true, call: "log" });
  assert.ok(error.cause instanceof Error);
  assert.match(error.cause.message, /ECONNREFUSED/);
});

test("timeout, deadline and aborted: time ran out, or the caller stopped the call", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", hangMs: 2_000 });
  const slow = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url, timeoutMs: 100, maxRetries: 0 });
  assert.deepEqual(fields(slow), { code: "timeout", status: undefined, retryable: true, call: "log" });
  server.inject({ path: "/events", status: 503, count: 5 });
  const late = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url, deadlineMs: 300 });
  assert.equal(late.code, "deadline");
  assert.equal(late.retryable, true);
  const aborted = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url, signal: AbortSignal.abort() });
  assert.deepEqual(fields(aborted), { code: "aborted", status: undefined, retryable: false, call: "log" });
});

test("hook and not_serializable: the caller's hook or payload cannot be sent", async (t) => {
  const server = await serverFor(t);
  const base = { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url };
  const hook = await failure(log, { ...base, redact: () => { throw new Error("no"); } });
  assert.deepEqual(fields(hook), { code: "hook", status: undefined, retryable: false, call: "log" });
  const cycle = {};
  cycle.self = cycle;
  const payload = await failure(log, { ...base, inputs: cycle });
  assert.equal(payload.code, "not_serializable");
  assert.equal(server.requests().length, 0, "nothing was sent");
});

test("invalid_answer: a success answer without the id", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 200, body: "{}" });
  const error = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url });
  assert.deepEqual(fields(error), { code: "invalid_answer", status: undefined, retryable: false, call: "log" });
});

test("partial_failure: a batch of which some events were not logged, with their ids", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", rejectEvents: [1] });
  const events = [{ eventName: "a" }, { eventName: "b" }];
  const error = await failure(logBatch, { apiKey: KEY, project: "p", serverUrl: server.url, events });
  assert.deepEqual(fields(error), { code: "partial_failure", status: undefined, retryable: false, call: "logBatch" });
  assert.equal(error.eventIds.length, 2);
  assert.equal(error.eventIds[1], null);
  assert.equal(error.errors.length, 1);
});

test("permission: a fetch the runtime refuses (Deno's NotCapable) is not retried", async () => {
  const realFetch = globalThis.fetch;
  let attempts = 0;
  globalThis.fetch = async () => {
    attempts++;
    throw Object.assign(new Error('Requires net access to "127.0.0.1:9", run again with the --allow-net flag'), { name: "NotCapable" });
  };
  try {
    const error = await failure(log, { apiKey: KEY, project: "p", eventName: "n", serverUrl: "http://127.0.0.1:9" });
    assert.deepEqual(fields(error), { code: "permission", status: undefined, retryable: false, call: "log" });
    assert.match(error.message, /--allow-net/);
    assert.equal(attempts, 1, "not retried");
  } finally {
    globalThis.fetch = realFetch;
  }
});

test("no_randomness: no crypto.getRandomValues to make an id with", async () => {
  const real = crypto.getRandomValues;
  crypto.getRandomValues = () => {
    throw new Error("no entropy");
  };
  try {
    // The ids already drawn from the runtime are used first: at most 64 of them.
    let error;
    for (let i = 0; i < 70 && !error; i++) {
      try {
        await log({ verbose: true, apiKey: KEY, project: "p", eventName: "n", serverUrl: "http://127.0.0.1:9", maxRetries: 0, timeoutMs: 50 });
      } catch (e) {
        if (e.code === "no_randomness") error = e;
      }
    }
    assert.ok(error instanceof HoneyHiveError, "a call failed for want of randomness");
    assert.equal(error.retryable, false);
  } finally {
    crypto.getRandomValues = real;
  }
});

test("a failing call reports from its options as they were when it was made", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", status: 401, body: JSON.stringify({ error: `bad key ${KEY}` }) });
  const heard = [];
  const opts = { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url, onError: (e) => heard.push(e) };
  const { result, lines } = await capture(async () => {
    const pending = log(opts);
    // The caller goes on with its objects: none of this changes how the call reports.
    delete opts.apiKey;
    opts.verbose = true;
    opts.onError = () => heard.push("the new hook");
    return pending;
  });
  assert.equal(result, null, "quiet, as it was made: it resolves, and does not reject");
  assert.equal(heard.length, 1);
  assert.ok(heard[0] instanceof HoneyHiveError);
  assert.ok(!heard[0].message.includes(KEY), "the key sent is masked, though the options no longer hold it");
  assert.ok(lines.every((l) => !l.text.includes(KEY)));
});

test("hooks that return odd values never break the call", async (t) => {
  const server = await serverFor(t);
  const base = { apiKey: KEY, project: "p", eventName: "n", serverUrl: server.url, verbose: true };
  // A redact hook whose event JSON writes as nothing: the request is not sent, the call fails.
  const nothing = await failure(log, { ...base, redact: () => ({ toJSON() {} }) });
  assert.equal(nothing.code, "hook");
  assert.match(nothing.message, /JSON writes as nothing/);
  // An onError whose returned thenable throws from its own `then`.
  server.inject({ path: "/events", status: 401 });
  let rejected;
  try {
    await log({ ...base, onError: () => ({ then() { throw new Error("then threw"); } }) });
  } catch (error) {
    rejected = error;
  }
  assert.equal(rejected?.code, "http_status");
  assert.match(await log({ ...base, verbose: false, eventName: "after" }), /^[0-9a-f-]{36}$/, "the next call works");
});

test("module_load: an entry whose .wasm is not beside it reports the failure, coded", async () => {
  const { copyFileSync, mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { createRequire } = await import("node:module");
  const entry = createRequire(import.meta.url).resolve("honeyhive-logger-wasm");
  const dir = mkdtempSync(join(tmpdir(), "hh-no-wasm-"));
  try {
    copyFileSync(entry, join(dir, "node.mjs")); // the bundled entry alone, without its .wasm
    const { log: unloadedLog, HoneyHiveError: ErrorClass } = await import(join(dir, "node.mjs"));
    let rejected;
    try {
      await unloadedLog({ apiKey: KEY, project: "p", eventName: "n", verbose: true });
    } catch (error) {
      rejected = error;
    }
    assert.ok(rejected instanceof ErrorClass);
    assert.deepEqual([rejected.code, rejected.retryable, rejected.call], ["module_load", false, "log"]);
    assert.match(rejected.message, /the WebAssembly module could not be loaded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
