// HoneyHive's current platform from Node, against the local server: typed keys (an ingestion
// key alone, no project), the v2 routes with `dataPlaneUrl`, the nearer layer winning, and the
// errors that name a truncated key's source or two URLs side by side, never the key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { HoneyHive, log, logBatch, start, update } from "honeyhive-logger-wasm";
import { capture, serverFor, withEnv, UUID } from "./helpers.mjs";

const INGEST = `hh_ingst_${"Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2"}_${"k".repeat(60)}-_9A`;
const NO_ENV = { HH_API_KEY: undefined, HH_INGESTION_API_KEY: undefined, HH_PROJECT: undefined, HH_API_URL: undefined, HH_DATA_PLANE_URL: undefined };

test("HH_INGESTION_API_KEY alone, no project: log reaches the server and resolves to the event id", async (t) => {
  const server = await serverFor(t);
  const id = await withEnv({ ...NO_ENV, HH_INGESTION_API_KEY: INGEST, HH_DATA_PLANE_URL: server.url }, () =>
    log({ eventName: "first", inputs: { q: 1 } }),
  );
  assert.match(id, UUID);
  const [request] = server.requests();
  assert.deepEqual([request.method, request.path, request.status], ["POST", "/v1/events", 200]);
  assert.equal(request.headers.authorization, `Bearer ${INGEST}`);
  assert.equal(request.body.event_id, id);
  assert.equal(server.state().events[id].event_name, "first");
});

test("a typed key on the reference's routes (serverUrl) needs no project either", async (t) => {
  const server = await serverFor(t);
  const sessionId = await withEnv({ ...NO_ENV, HH_INGESTION_API_KEY: INGEST, HH_API_URL: server.url }, () => start({ sessionName: "s" }));
  assert.match(sessionId, UUID);
  const [request] = server.requests();
  assert.deepEqual([request.path, request.body.session.project], ["/session/start", undefined]);
});

test("dataPlaneUrl: the four calls on the v2 routes and bodies, accepted by the server's schema checks", async (t) => {
  const server = await serverFor(t);
  const hh = new HoneyHive({ ingestionApiKey: INGEST, dataPlaneUrl: `${server.url}/`, verbose: true });
  const sessionId = await hh.start({ sessionName: "chat", metadata: { m: 1 } });
  const eventId = await hh.log({ sessionId, eventName: "answer", eventType: "model", inputs: { q: "?" }, outputs: { a: "!" } });
  await hh.update({ eventId, feedback: { rating: 5 } });
  const ids = await hh.logBatch({ sessionId, events: [{ eventName: "b1" }, { eventName: "b2", eventType: "chain" }] });
  assert.deepEqual(
    server.requests().map((r) => `${r.method} ${r.path} ${r.status}`),
    ["POST /v1/sessions 200", "POST /v1/events 200", `PUT /v1/events/${eventId} 200`, "POST /v1/events/batch 200"],
  );
  assert.equal(ids.length, 2);
  const { sessions, events } = server.state();
  assert.deepEqual(sessions[sessionId].metadata, { m: 1 });
  assert.deepEqual(events[eventId].feedback, { rating: 5 });
  assert.ok(ids.every((id) => events[id].session_id === sessionId));
});

test("the nearer layer wins: a call's dataPlaneUrl over the environment's HH_API_URL", async (t) => {
  const server = await serverFor(t);
  await withEnv({ ...NO_ENV, HH_API_KEY: "hh-env-key-123", HH_API_URL: "http://127.0.0.1:0" }, () =>
    log({ dataPlaneUrl: server.url, eventName: "near" }),
  );
  assert.deepEqual(server.requests().map((r) => [r.path, r.headers.authorization]), [["/v1/events", "Bearer hh-env-key-123"]]);
});

test("serverUrl and dataPlaneUrl side by side: an error that says which to keep; nothing is sent", async (t) => {
  const server = await serverFor(t);
  const { error } = await capture(() =>
    log({ apiKey: INGEST, eventName: "e", serverUrl: server.url, data_plane_url: server.url, verbose: true }),
  );
  assert.match(error.message, /Both serverUrl and dataPlaneUrl are set, side by side: keep dataPlaneUrl for HoneyHive's current API/);
  assert.ok(!error.message.includes(INGEST));
  assert.equal(server.requests().length, 0);
  const quiet = await capture(() => withEnv({ ...NO_ENV, HH_API_URL: server.url, HH_DATA_PLANE_URL: server.url }, () => update({ apiKey: INGEST, eventId: "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" })));
  assert.deepEqual(quiet.lines, [{ stream: "error", text: "HoneyHive: Failed to update event. (both HH_API_URL and HH_DATA_PLANE_URL)" }]);
});

test("a truncated typed key is refused with where it came from, never the key", async (t) => {
  const server = await serverFor(t);
  const cut = INGEST.slice(0, 50);
  const { error } = await capture(() =>
    withEnv({ ...NO_ENV, HH_INGESTION_API_KEY: cut }, () => logBatch({ dataPlaneUrl: server.url, events: [{ eventName: "e" }], verbose: true })),
  );
  assert.match(error.message, /The key in HH_INGESTION_API_KEY starts like a HoneyHive typed key .* it looks truncated/);
  assert.ok(!error.message.includes(cut.slice(9)), "the key's text is not repeated");
  assert.equal(server.requests().length, 0);
});
