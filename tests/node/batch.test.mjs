// logBatch, the HoneyHive client and full events against the local server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HoneyHive, log, logBatch } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture, withEnv } from "./helpers.mjs";

const events = (n, extra = {}) => Array.from({ length: n }, (_, i) => ({ eventName: `e${i}`, inputs: { i }, ...extra }));

test("logBatch sends the events in requests of 100, in order, and resolves to their ids", async (t) => {
  const server = await serverFor(t);
  const ids = await logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: events(250) });
  assert.equal(ids.length, 250);
  assert.ok(ids.every((id) => UUID.test(id)));
  const requests = server.requests();
  assert.deepEqual(requests.map((r) => [r.method, r.path, r.status, r.body.events.length]), [
    ["POST", "/events/batch", 200, 100],
    ["POST", "/events/batch", 200, 100],
    ["POST", "/events/batch", 200, 50],
  ]);
  const sent = requests.flatMap((r) => r.body.events);
  assert.deepEqual(sent.map((e) => e.event_id), ids, "ids in the order of the events");
  assert.deepEqual(sent.map((e) => e.event_name), events(250).map((e) => e.eventName));
  assert.equal(new Set(sent.map((e) => e.session_id)).size, 1, "one new session for the whole batch");
  assert.equal(Object.keys(server.state().events).length, 250);
  // Each event is built as log builds it.
  const { start_time, event_id, session_id, ...first } = sent[0];
  assert.deepEqual(first, {
    project: "p", source: "dev", event_name: "e0", event_type: "tool", config: {}, inputs: { i: 0 }, outputs: {}, metadata: {}, duration: 10,
  });
});

test("a batch over 4 MiB is halved until each request fits", async (t) => {
  const server = await serverFor(t);
  const big = "x".repeat(1_500_000);
  const ids = await logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: events(4, { inputs: { big } }) });
  assert.equal(ids.filter(Boolean).length, 4);
  assert.deepEqual(server.requests().map((r) => r.body.events.length), [2, 2]);
});

test("a partial failure keeps track of which events were taken, and is not retried", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", rejectEvents: [1, 3] });
  const { result, lines } = await capture(() => logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: events(5) }));
  assert.equal(result.length, 5);
  assert.deepEqual(result.map((id) => id !== null), [true, false, true, false, true]);
  assert.deepEqual(Object.keys(server.state().events).sort(), result.filter(Boolean).sort(), "the ids given are the ones stored");
  assert.equal(server.requests().length, 1, "a partial failure is not retried");
  assert.deepEqual(lines, [{ stream: "error", text: "HoneyHive: Failed to log a batch. (2 of 5 events not logged: refused by the server)" }]);
});

test("in verbose mode a partial failure rejects with the ids and the errors", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", rejectEvents: [0] });
  const { error } = await capture(() => logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: events(2), verbose: true }));
  assert.ok(error instanceof Error);
  assert.match(error.message, /^HoneyHive: failed to log a batch: 1 of 2 events were not logged: event 0: rejected/);
  assert.equal(error.eventIds[0], null);
  assert.match(error.eventIds[1], UUID);
  assert.deepEqual(error.errors, ["event 0: rejected by an injected fault"]);
});

test("one failed request loses only its own events", async (t) => {
  const server = await serverFor(t);
  server.inject({ path: "/events/batch", status: 400, count: 1 });
  const { result } = await capture(() => logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: events(150) }));
  assert.equal(result.slice(0, 100).filter(Boolean).length, 0, "the first request failed");
  assert.equal(result.slice(100).filter(Boolean).length, 50);
});

test("batch-level options are the events' defaults; session members are sent when given", async (t) => {
  const server = await serverFor(t);
  const sessionId = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  await logBatch({
    apiKey: KEY, project: "batch-p", source: "batch-src", serverUrl: server.url, sessionId, eventType: "chain",
    isSingleSession: true, sessionProperties: { session_name: "s", metadata: { m: 1 } },
    events: [{ eventName: "a" }, { event_name: "b", project: "own", event_type: "model" }],
  });
  const { body } = server.requests()[0];
  assert.equal(body.is_single_session, true);
  assert.deepEqual(body.session_properties, { session_name: "s", metadata: { m: 1 } });
  assert.deepEqual(body.events.map((e) => [e.project, e.source, e.event_type, e.session_id]), [
    ["batch-p", "batch-src", "chain", sessionId],
    ["own", "batch-src", "model", sessionId],
  ]);
});

test("a bad event is named by its index, and nothing is sent", async (t) => {
  const server = await serverFor(t);
  const { error } = await capture(() =>
    logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, verbose: true, events: [{ eventName: "ok" }, { eventType: "x", eventName: "e" }] }),
  );
  assert.match(error.message, /Event 1 of the batch: Invalid event type: "x"/);
  const quiet = await capture(() => logBatch({ apiKey: KEY, project: "p", serverUrl: server.url, events: [] }));
  assert.equal(quiet.result, null);
  assert.deepEqual(quiet.lines, [{ stream: "error", text: "HoneyHive: Failed to log a batch. (no events)" }]);
  assert.equal(server.requests().length, 0);
});

test("a client holds defaults; a call's own options win, in either spelling", async (t) => {
  const server = await serverFor(t);
  const other = await serverFor(t);
  const client = new HoneyHive({ apiKey: KEY, project: "client-p", source: "client-src", serverUrl: server.url });
  const sessionId = await client.start({ sessionName: "s" });
  const eventId = await client.log({ sessionId, eventName: "e", project: "own-p" });
  await client.update({ eventId, metrics: { m: 1 } });
  const ids = await client.logBatch({ sessionId, events: events(2) });
  await client.log({ eventName: "elsewhere", server_url: other.url, api_key: "call-key-1234" });
  assert.match(sessionId, UUID);
  assert.equal(ids.length, 2);
  const [s, l, u, b] = server.requests();
  assert.deepEqual([s.body.session.project, s.body.session.source, s.body.session.session_name], ["client-p", "client-src", "s"]);
  assert.deepEqual([l.body.event.project, l.body.event.source], ["own-p", "client-src"]);
  assert.deepEqual(u.body, { event_id: eventId, metrics: { m: 1 } });
  assert.ok(b.body.events.every((e) => e.project === "client-p" && e.session_id === sessionId));
  assert.ok([s, l, u, b].every((r) => r.headers.authorization === `Bearer ${KEY}`));
  const [elsewhere] = other.requests();
  assert.equal(elsewhere.headers.authorization, "Bearer call-key-1234", "the call's api_key beats the client's apiKey");
  assert.equal(elsewhere.body.event.project, "client-p");
});

test("a client built from a Worker-style env in one line", async (t) => {
  const server = await serverFor(t);
  const env = { HH_API_KEY: KEY, HH_PROJECT: "env-p", HH_API_URL: server.url };
  const client = new HoneyHive({ env });
  const id = await withEnv({ HH_API_KEY: undefined, HH_PROJECT: undefined, HH_API_URL: undefined }, () => client.log({ eventName: "e" }));
  assert.match(id, UUID);
  assert.equal(server.requests()[0].body.event.project, "env-p");
});

test("a client with verbose defaults rejects; the call can turn it off", async (t) => {
  const server = await serverFor(t);
  const client = new HoneyHive({ apiKey: KEY, project: "p", serverUrl: server.url, verbose: true });
  const loud = await capture(() => client.log({}));
  assert.match(loud.error.message, /Event name is required/);
  const quiet = await capture(() => client.log({ verbose: false }));
  assert.equal(quiet.error, undefined);
  assert.equal(quiet.result, null);
});

test("full events: ids, parent, children, error, times and extra payloads reach the server", async (t) => {
  const server = await serverFor(t);
  const [parent, child, mine] = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"];
  const id = await log({
    apiKey: KEY, project: "p", serverUrl: server.url, eventName: "full", eventId: mine, parentId: parent, childrenIds: [child],
    error: "it failed", startTime: 1_700_000_000_000, endTime: 1_700_000_000_420, feedback: { ok: false },
    metrics: { score: 0.5 }, userProperties: { user: "u" },
  });
  assert.equal(id, mine);
  const { event } = server.requests()[0].body;
  assert.deepEqual(
    [event.event_id, event.parent_id, event.children_ids, event.error, event.start_time, event.end_time, event.duration],
    [mine, parent, [child], "it failed", 1_700_000_000_000, 1_700_000_000_420, 420],
  );
  assert.deepEqual([event.feedback, event.metrics, event.user_properties], [{ ok: false }, { score: 0.5 }, { user: "u" }]);
  assert.equal(server.state().events[mine].parent_id, parent);
});

test("without the new members, log's request is the reference's (plus its event_id)", async (t) => {
  const server = await serverFor(t);
  await log({ apiKey: KEY, project: "p", serverUrl: server.url, eventName: "plain" });
  assert.deepEqual(Object.keys(server.requests()[0].body.event).sort(), [
    "config", "duration", "event_id", "event_name", "event_type", "inputs", "metadata", "outputs", "project", "session_id", "source", "start_time",
  ]);
});
