// The three calls against the local server: the exact requests it receives (bodies, headers,
// defaults) and what each call resolves to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { start, log, update } from "honeyhive-logger-wasm";
import { KEY, UUID, serverFor, capture, withEnv } from "./helpers.mjs";

const NO_ENV = { HH_API_KEY: undefined, HH_INGESTION_API_KEY: undefined, HH_PROJECT: undefined, HH_SOURCE: undefined, HH_API_URL: undefined, HH_DATA_PLANE_URL: undefined };

test("start posts the reference body and resolves to the session id", async (t) => {
  const server = await serverFor(t);
  const before = Date.now();
  const { result, lines } = await capture(() => start({ apiKey: KEY, project: "proj", serverUrl: server.url }));
  const after = Date.now();
  assert.match(result, UUID);
  assert.deepEqual(lines, [], "nothing printed on success");
  const [req] = server.requests();
  assert.equal(req.method, "POST");
  assert.equal(req.path, "/session/start");
  assert.equal(req.status, 200);
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  assert.equal(req.headers["content-type"], "application/json");
  const { start_time, ...session } = req.body.session;
  assert.deepEqual(session, {
    project: "proj", session_name: "proj", source: "dev", session_id: result,
    config: {}, inputs: {}, metadata: {}, user_properties: {},
  });
  assert.ok(Number.isInteger(start_time) && start_time >= before && start_time <= after, `start_time ${start_time}`);
  assert.deepEqual(Object.keys(req.body.session), [
    "project", "session_name", "source", "session_id", "config", "inputs", "metadata", "user_properties", "start_time",
  ]);
});

test("start sends the caller's session id, name, source and payloads", async (t) => {
  const server = await serverFor(t);
  const sessionId = "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const id = await start({
    apiKey: KEY, project: "proj", serverUrl: server.url + "/", sessionName: "nightly", source: "prod", sessionId,
    config: { model: "m" }, inputs: { q: "hi" }, metadata: { n: 1 }, userProperties: { user: "u" },
  });
  assert.equal(id, sessionId);
  const { session } = server.requests()[0].body;
  assert.equal(server.requests()[0].path, "/session/start", "trailing / of serverUrl tolerated");
  assert.equal(session.session_name, "nightly");
  assert.equal(session.source, "prod");
  assert.deepEqual([session.config, session.inputs, session.metadata, session.user_properties],
    [{ model: "m" }, { q: "hi" }, { n: 1 }, { user: "u" }]);
});

test("log posts the reference body and resolves to the event id", async (t) => {
  const server = await serverFor(t);
  const sessionId = await start({ apiKey: KEY, project: "proj", serverUrl: server.url });
  const eventId = await log({
    apiKey: KEY, project: "proj", serverUrl: server.url, sessionId, eventName: "llm", eventType: "MODEL",
    inputs: { prompt: "p" }, outputs: { text: "t" }, config: { temperature: 0 }, metadata: { tokens: 3 }, durationMs: 250,
  });
  assert.match(eventId, UUID);
  const req = server.requests()[1];
  assert.equal(req.method, "POST");
  assert.equal(req.path, "/events");
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  const { start_time, ...event } = req.body.event;
  assert.deepEqual(event, {
    event_id: eventId,
    session_id: sessionId, project: "proj", source: "dev", event_name: "llm", event_type: "model",
    config: { temperature: 0 }, inputs: { prompt: "p" }, outputs: { text: "t" }, metadata: { tokens: 3 }, duration: 250,
  });
  assert.ok(Number.isInteger(start_time));
  assert.ok(server.state().events[eventId], "the server stored the event under the id we got");
});

test("log defaults event type to tool, duration to 10 and makes a session id", async (t) => {
  const server = await serverFor(t);
  await log({ apiKey: KEY, project: "proj", serverUrl: server.url, eventName: "e" });
  await log({ apiKey: KEY, project: "proj", serverUrl: server.url, eventName: "e", durationMs: 0 });
  const [a, b] = server.requests().map((r) => r.body.event);
  assert.equal(a.event_type, "tool");
  assert.equal(a.duration, 10);
  assert.equal(b.duration, 10, "0 means 10, as in the reference");
  assert.match(a.session_id, UUID);
  assert.notEqual(a.session_id, b.session_id, "a fresh session id per call");
  assert.deepEqual([a.config, a.inputs, a.outputs, a.metadata], [{}, {}, {}, {}]);
});

test("update puts only the given members and resolves to undefined", async (t) => {
  const server = await serverFor(t);
  const sessionId = await start({ apiKey: KEY, project: "proj", serverUrl: server.url });
  const eventId = await log({ apiKey: KEY, project: "proj", serverUrl: server.url, sessionId, eventName: "e" });
  const a = await update({ apiKey: KEY, serverUrl: server.url, eventId, feedback: { rating: 5 }, metrics: undefined, config: null });
  const b = await update({
    apiKey: KEY, serverUrl: server.url, eventId: sessionId, metadata: { m: 1 }, feedback: { f: 2 }, metrics: { x: 3 },
    config: { c: 4 }, outputs: { o: 5 }, userProperties: { u: 6 }, durationMs: 77,
  });
  assert.equal(a, undefined);
  assert.equal(b, undefined);
  const [, , ra, rb] = server.requests();
  assert.equal(ra.method, "PUT");
  assert.equal(ra.path, "/events");
  assert.equal(ra.status, 200);
  assert.deepEqual(ra.body, { event_id: eventId, feedback: { rating: 5 } });
  assert.deepEqual(rb.body, {
    event_id: sessionId, metadata: { m: 1 }, feedback: { f: 2 }, metrics: { x: 3 }, config: { c: 4 },
    outputs: { o: 5 }, user_properties: { u: 6 }, duration: 77,
  });
  assert.deepEqual(server.state().events[eventId].feedback, { rating: 5 }, "the server applied the update");
});

test("snake_case options work and camelCase wins when both are given", async (t) => {
  const server = await serverFor(t);
  await start({
    api_key: KEY, project: "proj", server_url: server.url, session_name: "snake", user_properties: { a: 1 },
    sessionName: "camel",
  });
  await log({ api_key: KEY, project: "proj", server_url: server.url, event_name: "snake", event_type: "chain", duration_ms: 5 });
  const [s, e] = server.requests();
  assert.equal(s.headers.authorization, `Bearer ${KEY}`);
  assert.equal(s.body.session.session_name, "camel");
  assert.deepEqual(s.body.session.user_properties, { a: 1 });
  assert.equal(e.body.event.event_name, "snake");
  assert.equal(e.body.event.event_type, "chain");
  assert.equal(e.body.event.duration, 5);
});

test("unknown options are ignored", async (t) => {
  const server = await serverFor(t);
  const id = await start({ apiKey: KEY, project: "proj", serverUrl: server.url, colour: "blue", session: { x: 1 } });
  assert.match(id, UUID);
  assert.equal(server.requests()[0].body.session.colour, undefined);
});

test("process.env fills in HH_API_KEY, HH_PROJECT, HH_SOURCE and HH_API_URL", async (t) => {
  const server = await serverFor(t);
  const id = await withEnv(
    { HH_API_KEY: KEY, HH_PROJECT: "env-proj", HH_SOURCE: "env-src", HH_API_URL: server.url },
    () => start({}),
  );
  assert.match(id, UUID);
  const [req] = server.requests();
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  assert.equal(req.body.session.project, "env-proj");
  assert.equal(req.body.session.source, "env-src");
});

test("the env option comes before process.env, and options before both", async (t) => {
  const server = await serverFor(t);
  const other = await serverFor(t);
  await withEnv({ HH_API_KEY: "process-key-0000", HH_PROJECT: "process-proj", HH_API_URL: other.url }, async () => {
    await start({ env: { HH_API_KEY: KEY, HH_PROJECT: "env-proj", HH_SOURCE: "env-src", HH_API_URL: server.url } });
    await start({ project: "opt-proj", source: "opt-src", env: { HH_PROJECT: "env-proj", HH_SOURCE: "env-src" } });
  });
  const [fromEnvObject] = server.requests();
  assert.equal(fromEnvObject.headers.authorization, `Bearer ${KEY}`);
  assert.equal(fromEnvObject.body.session.project, "env-proj");
  assert.equal(fromEnvObject.body.session.source, "env-src");
  const [fromOptions] = other.requests();
  assert.equal(fromOptions.headers.authorization, "Bearer process-key-0000");
  assert.equal(fromOptions.body.session.project, "opt-proj");
  assert.equal(fromOptions.body.session.source, "opt-src");
});

test("source defaults to dev and serverUrl to the HoneyHive API when no env says otherwise", async () => {
  // There is no network here: the call fails, and its verbose account shows where it went.
  const { error, lines } = await capture(() =>
    withEnv(NO_ENV, () => start({ apiKey: KEY, project: "p", verbose: true, maxRetries: 0, timeoutMs: 1000 })),
  );
  assert.ok(error instanceof Error);
  assert.match(lines[0].text, /^HoneyHive: POST https:\/\/api\.honeyhive\.ai\/session\/start /);
  assert.match(lines[0].text, /"source":"dev"/);
});

test("calls are stateless and independent: many at once all land", async (t) => {
  const server = await serverFor(t);
  const sessionId = await start({ apiKey: KEY, project: "p", serverUrl: server.url });
  const ids = await Promise.all(
    Array.from({ length: 50 }, (_, i) => log({ apiKey: KEY, project: "p", serverUrl: server.url, sessionId, eventName: `e${i}` })),
  );
  assert.equal(new Set(ids).size, 50);
  assert.equal(Object.keys(server.state().events).length, 50);
});
