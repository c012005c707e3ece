// Failures: quiet mode prints one line and resolves to null; verbose mode rejects with a message
// that says how to fix the problem. Bad arguments of any JS type never trap the module.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start, log, update } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture, withEnv } from "./helpers.mjs";

const NO_ENV = { HH_API_KEY: undefined, HH_INGESTION_API_KEY: undefined, HH_PROJECT: undefined, HH_SOURCE: undefined, HH_API_URL: undefined, HH_DATA_PLANE_URL: undefined };
const ID = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

/** Runs a call in quiet and in verbose mode; returns both outcomes. */
async function both(call, opts) {
  const quiet = await capture(() => withEnv(NO_ENV, () => call(opts)));
  const verbose = await capture(() => withEnv(NO_ENV, () => call({ ...opts, verbose: true })));
  return { quiet, verbose };
}

function assertQuiet(outcome, line, result) {
  assert.equal(outcome.error, undefined, "quiet mode never rejects");
  assert.equal(outcome.result, result);
  assert.deepEqual(outcome.lines, [{ stream: "error", text: line }]);
}

function assertRejects(outcome, pattern) {
  assert.ok(outcome.error instanceof Error, "verbose mode rejects with an Error");
  assert.match(outcome.error.message, pattern);
}

test("missing API key: quiet line, verbose says how to pass it", async (t) => {
  const server = await serverFor(t);
  const { quiet, verbose } = await both(start, { project: "p", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to start session. (missing API key)", null);
  assertRejects(verbose, /API key is required.*apiKey.*HH_API_KEY/s);
  assert.equal(server.requests().length, 0, "nothing sent");
});

test("missing project: verbose names the option and HH_PROJECT", async (t) => {
  const server = await serverFor(t);
  const { quiet, verbose } = await both(log, { apiKey: KEY, eventName: "e", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to log event. (missing project)", null);
  assertRejects(verbose, /Project name is required.*project.*HH_PROJECT/s);
});

test("missing event name", async (t) => {
  const server = await serverFor(t);
  const { quiet, verbose } = await both(log, { apiKey: KEY, project: "p", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to log event. (missing event name)", null);
  assertRejects(verbose, /Event name is required.*eventName/s);
});

test("invalid event type lists the valid ones", async (t) => {
  const server = await serverFor(t);
  const { quiet, verbose } = await both(log, { apiKey: KEY, project: "p", eventName: "e", eventType: "llm", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to log event. (invalid event type)", null);
  assertRejects(verbose, /Invalid event type: "llm".*model, tool, chain/s);
});

test("invalid UUIDs are refused before anything is sent", async (t) => {
  const server = await serverFor(t);
  const u = await both(update, { apiKey: KEY, eventId: "not-a-uuid", serverUrl: server.url });
  assertQuiet(u.quiet, "HoneyHive: Failed to update event. (eventId is not a UUID)", undefined);
  // eventId is required: the advice is to use a real id, not to leave it out.
  assertRejects(u.verbose, /`eventId` must be a UUID like [0-9a-f-]{36}: use an id returned by start\(\) or log\(\)\. Got "not-a-uuid"\.$/);
  const s = await both(start, { apiKey: KEY, project: "p", sessionId: "123", serverUrl: server.url });
  assertRejects(s.verbose, /`sessionId` must be a UUID.*, or leave it out\. Got "123"\.$/);
  const l = await both(log, { apiKey: KEY, project: "p", eventName: "e", session_id: "x", serverUrl: server.url });
  assertRejects(l.verbose, /`sessionId` must be a UUID/);
  assert.equal(server.requests().length, 0);
});

test("missing event id for update", async (t) => {
  const server = await serverFor(t);
  const { quiet, verbose } = await both(update, { apiKey: KEY, serverUrl: server.url, metadata: {} });
  assertQuiet(quiet, "HoneyHive: Failed to update event. (missing event id)", undefined);
  assertRejects(verbose, /Event ID is required.*start\(\).*log\(\)/s);
});

test("HTTP errors carry the status in quiet mode and the body in verbose mode", async (t) => {
  const server = await serverFor(t, { apiKey: KEY });
  const { quiet, verbose } = await both(start, { apiKey: "wrong-key-123456", project: "p", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to start session. (HTTP 401)", null);
  assertRejects(verbose, /HTTP 401\. It refused the key: the API key sent \(from apiKey\).*Its answer: \{"error"/s);
  assert.doesNotMatch(verbose.error.message, /wrong-key-123456/, "the key is masked even if the server echoes it");
});

test("a 200 answer without the id is an error", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events", body: '{"success": true}', count: 2 });
  const { quiet, verbose } = await both(log, { apiKey: KEY, project: "p", eventName: "e", serverUrl: server.url });
  assertQuiet(quiet, "HoneyHive: Failed to log event. (no event_id in the answer)", null);
  assertRejects(verbose, /event_id not found/);
  server.inject({ path: "/session/start", body: "{not json", count: 1 });
  const bad = await capture(() => start({ apiKey: KEY, project: "p", serverUrl: server.url, verbose: true }));
  assertRejects(bad, /session_id not found\..*Its answer: "\{not json"/s);
});

test("bad options arguments of every JS type are reported, and the next call works", async (t) => {
  const server = await serverFor(t);
  const circular = {};
  circular.self = circular;
  const cases = [
    ["a string", "key", /options must be an object/],
    ["a number", 42, /options must be an object/],
    ["undefined", undefined, /options must be an object/],
    ["null", null, /options must be an object/],
    ["a BigInt", 10n, /options must be an object/],
    ["a Symbol", Symbol("s"), /options must be an object/],
    ["a function", () => {}, /options must be an object/],
    ["an array", [1, 2], /options must be an object/],
    ["a BigInt payload", { inputs: 10n }, /invalid option inputs/],
    ["a Symbol payload", { inputs: Symbol("s") }, /invalid option inputs/],
    ["a function payload", { outputs: () => 1 }, /invalid option outputs/],
    ["a string payload", { metadata: "m" }, /invalid option metadata/],
    ["an array payload", { config: [1] }, /invalid option config/],
    ["a circular payload", { inputs: circular }, /not JSON-serialisable/],
    ["a nested BigInt", { inputs: { n: 1n } }, /not JSON-serialisable/],
    ["a throwing getter", { get apiKey() { throw new Error("boom"); } }, /could not read option apiKey/],
    ["a throwing toJSON", { inputs: { toJSON() { throw new Error("nope"); } } }, /not JSON-serialisable/],
    ["a number as apiKey", { apiKey: 5 }, /invalid option apiKey/],
    ["NaN duration", { durationMs: NaN }, /invalid option durationMs/],
    ["negative duration", { durationMs: -1 }, /invalid option durationMs/],
    ["Infinity duration", { durationMs: Infinity }, /invalid option durationMs/],
    ["a string duration", { durationMs: "10" }, /invalid option durationMs/],
    ["an event type of the wrong kind", { eventType: 3 }, /invalid option eventType/],
    ["a non-signal signal", { signal: {} }, /invalid option signal/],
    ["an ftp server URL", { serverUrl: "ftp://x" }, /invalid server URL/],
  ];
  for (const [name, bad, expected] of cases) {
    const opts =
      bad !== null && typeof bad === "object" && !Array.isArray(bad)
        ? Object.defineProperties(
            { apiKey: KEY, project: "p", eventName: "e", serverUrl: server.url },
            Object.getOwnPropertyDescriptors(bad),
          )
        : bad;
    const quiet = await capture(() => log(opts));
    assert.equal(quiet.error, undefined, `${name}: quiet mode never rejects`);
    assert.equal(quiet.result, null, name);
    assert.equal(quiet.lines.length, 1, name);
    assert.match(quiet.lines[0].text, /^HoneyHive: Failed to log event\. \(/, name);
    assert.match(quiet.lines[0].text, expected, name);
  }
  assert.equal(server.requests().length, 0, "no bad call reached the server");
  const id = await log({ apiKey: KEY, project: "p", eventName: "after", serverUrl: server.url });
  assert.match(id, UUID, "the module still works after every bad call");
});

test("verbose rejections for bad arguments are Errors with the fix, not traps", async () => {
  const quiet = await capture(() => log("nope"));
  assert.equal(quiet.result, null, "quiet: a string argument resolves to null");
  assert.deepEqual(quiet.lines, [{ stream: "error", text: "HoneyHive: Failed to log event. (options must be an object)" }]);
  const { error } = await capture(() => log({ verbose: true, apiKey: KEY, project: "p", eventName: "e", inputs: 1n }));
  assert.match(error.message, /Option `inputs` must be an object; got a BigInt\./);
});

test("TLS options are ignored, and verbose mode says how each runtime trusts a CA", async (t) => {
  const server = await serverFor(t);
  const { result, lines } = await capture(() =>
    start({ apiKey: KEY, project: "p", serverUrl: server.url, verbose: true, ca_bundle_path: "/ca.pem", verify: false }),
  );
  assert.match(result, UUID);
  assert.ok(lines.some((l) => /ignored.*NODE_EXTRA_CA_CERTS.*DENO_CERT/.test(l.text)), JSON.stringify(lines));
});

test("verbose mode prints the request it sends, with the key masked", async (t) => {
  const server = await serverFor(t);
  const { lines } = await capture(() =>
    log({ apiKey: KEY, project: "p", eventName: "e", serverUrl: server.url, verbose: true, inputs: { secret: KEY } }),
  );
  const dump = lines.find((l) => l.text.startsWith("HoneyHive: POST"));
  assert.ok(dump, JSON.stringify(lines));
  assert.match(dump.text, new RegExp(`^HoneyHive: POST ${server.url}/events \\(Authorization: Bearer \\*\\*\\*\\) \\{"event":`));
  assert.ok(lines.some((l) => /no sessionId/.test(l.text)), "says the event goes to a new session");
  assert.ok(lines.every((l) => !l.text.includes(KEY)));
  // The key in the payload is masked in the print, but sent as given.
  assert.equal(server.requests()[0].body.event.inputs.secret, KEY);
});
