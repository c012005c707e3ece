// The local server's v2 routes (tests/server/v2.mjs): bare bodies checked against the data
// plane's published schemas, the event id in the path, batches into one session, and the
// reference's session route taking a typed key without a project.
import { test, describe, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./server.mjs";

const TYPED = `hh_ingst_${"a1B2c3D4e5F6g7H8i9J0k1L2"}_${"x".repeat(62)}-_`;
const SESSION_ID = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const EVENT_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";

let server;
before(async () => {
  server = await startServer();
});
after(() => server.close());
beforeEach(() => server.reset());

async function call(method, path, body, key = TYPED) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const event = (fields = {}) => ({ event_type: "tool", event_name: "step", inputs: { q: 1 }, ...fields });

describe("v2 routes", { timeout: 60_000 }, () => {
  test("POST /v1/sessions takes a bare session and answers the session event", async () => {
    const res = await call("POST", "/v1/sessions", { session_id: SESSION_ID, session_name: "chat", source: "dev", start_time: 1, inputs: {} });
    assert.equal(res.status, 200);
    assert.equal(res.body.session_id, SESSION_ID);
    assert.equal(server.state().sessions[SESSION_ID].session_name, "chat");
  });

  test("the v2 schemas refuse members they do not have, such as project", async () => {
    const session = await call("POST", "/v1/sessions", { session_name: "chat", project: "p" });
    assert.equal(session.status, 400);
    assert.match(session.body.error, /must NOT have additional properties \(project\): StartSessionRequest/);
    const wrapped = await call("POST", "/v1/events", { event: event() });
    assert.equal(wrapped.status, 400, "the reference's wrapper is not the v2 body");
  });

  test("POST /v1/events needs event_type (of the enum) and inputs", async () => {
    assert.match((await call("POST", "/v1/events", { event_name: "x", inputs: {} })).body.error, /must have required property 'event_type'/);
    assert.match((await call("POST", "/v1/events", event({ inputs: undefined }))).body.error, /must have required property 'inputs'/);
    assert.match((await call("POST", "/v1/events", event({ event_type: "agent" }))).body.error, /^event_type must be equal to one of the allowed values/);
    const ok = await call("POST", "/v1/events", event({ event_id: EVENT_ID, session_id: SESSION_ID }));
    assert.deepEqual(ok, { status: 200, body: { event_id: EVENT_ID, success: true } });
  });

  test("PUT /v1/events/{event_id} merges the given members into that event, with no answer body", async () => {
    await call("POST", "/v1/events", event({ event_id: EVENT_ID, metadata: { a: 1 } }));
    const res = await call("PUT", `/v1/events/${EVENT_ID}`, { metadata: { b: 2 }, duration: 5 });
    assert.deepEqual(res, { status: 200, body: undefined });
    const stored = server.state().events[EVENT_ID];
    assert.deepEqual([stored.metadata, stored.duration], [{ a: 1, b: 2 }, 5]);
    assert.equal((await call("PUT", "/v1/events/not-a-uuid", {})).status, 400);
    assert.equal((await call("PUT", `/v1/events/${SESSION_ID}`, {})).status, 404);
    assert.match((await call("PUT", `/v1/events/${EVENT_ID}`, { metadata: 3 })).body.error, /^metadata must be object/);
  });

  test("POST /v1/events/batch takes single_session and refuses the reference's batch members", async () => {
    const res = await call("POST", "/v1/events/batch", { events: [event(), event()], single_session: true, session_properties: { session_name: "s" } });
    assert.equal(res.status, 200);
    assert.equal(res.body.event_ids.length, 2);
    assert.equal(new Set(Object.values(server.state().events).map((e) => e.session_id)).size, 1);
    for (const legacy of [{ is_single_session: true }, { session: {} }]) {
      const refused = await call("POST", "/v1/events/batch", { events: [event()], ...legacy });
      assert.equal(refused.status, 400, JSON.stringify(legacy));
    }
    assert.equal((await call("POST", "/v1/events/batch", { events: [event({ project: "p" })] })).status, 400, "per-event project");
  });

  test("POST /v1/sessions/{session_id}/events/batch puts every event in the path's session", async () => {
    const res = await call("POST", `/v1/sessions/${SESSION_ID}/events/batch`, { events: [event({ session_id: EVENT_ID }), event()] });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.values(server.state().events).map((e) => e.session_id), [SESSION_ID, SESSION_ID]);
  });

  test("v2 requests are recorded like the others", async () => {
    await call("POST", "/v1/events", event());
    const [record] = server.requests();
    assert.deepEqual([record.method, record.path, record.status], ["POST", "/v1/events", 200]);
  });
});

describe("the reference's routes with a typed key", { timeout: 60_000 }, () => {
  test("a typed key names its project: /session/start takes a session without one", async () => {
    const typed = await call("POST", "/session/start", { session: { session_name: "s" } });
    assert.equal(typed.status, 200);
    const untyped = await call("POST", "/session/start", { session: { session_name: "s" } }, "hh-old-kind-key");
    assert.equal(untyped.status, 400);
  });
});
