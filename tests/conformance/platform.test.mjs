// Differential conformance with the current platform's reference: HoneyHive's Python SDK
// `honeyhive` 1.7.0 (PyPI), where its calls overlap ours. Its client sends every write with the
// ingestion key (else the API key) on the reference's routes, to HH_API_URL; ours does the same
// with a typed key and `serverUrl`. The same session, event, update and batch go through both,
// against the local server; the requests must match: method, path, the key sent, Content-Type,
// and the JSON bodies (no `project`: the typed key names it).
//
// Both sides get the same ids and times from the test, so the comparison is of what each makes
// of them: the routes, the key chosen, the wrappers, and which members are sent (the SDK's
// pydantic models could add, drop or rename members; our options could, too).
//
// Differences on purpose, and so left out of the comparison:
// - headers other than Authorization and Content-Type (the SDK's User-Agent, Accept, hh-client-*);
// - the session's start_time, which the SDK takes from its caller and ours from the clock;
// - with a typed key and no URL at all, the SDK posts to the reference's routes on the data
//   plane; this package uses the data plane's v2 routes there (the README says why). That case
//   sends nothing here; the v2 routes are checked against the published schemas instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as ours from "honeyhive-logger-wasm";
import { startServer } from "../server/server.mjs";

const python = process.env.PLATFORM_PYTHON;
const API_KEY = "hh-project-key-0001";
const INGEST = `hh_ingst_${"Q7r2Lm9XkT4vB8nW1cY6pZ3a"}_${"s".repeat(40)}${"-_0AZ9".repeat(4)}`;
const SESSION = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const EVENT = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const BATCH_EVENT = "1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
const T = 1_700_000_000_000;

/** The SDK's inputs: what our calls below make of the same options. */
const empty = { config: {}, inputs: {}, outputs: {}, metadata: {} };
const reference = {
  session: { session_name: "s", source: "dev", session_id: SESSION, config: {}, inputs: { q: 1 }, metadata: {}, user_properties: {}, start_time: T },
  event: { event_id: EVENT, session_id: SESSION, source: "dev", event_name: "e", event_type: "tool", ...empty, start_time: T, duration: 10 },
  update: { event_id: EVENT, metadata: { m: 1 } },
  batch: { events: [{ event_id: BATCH_EVENT, session_id: SESSION, source: "dev", event_name: "b", event_type: "chain", ...empty, start_time: T, duration: 10 }], is_single_session: true },
};

function runReference(server) {
  assert.ok(python, "PLATFORM_PYTHON must name a Python with honeyhive==1.7.0 (make test-conformance sets it)");
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = execFile(python, [fileURLToPath(new URL("platform_reference.py", import.meta.url))], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`the honeyhive SDK failed: ${stderr.slice(-2000)}`)) : resolve(JSON.parse(stdout)),
    );
    child.stdin.end(JSON.stringify({ apiKey: API_KEY, ingestionApiKey: INGEST, serverUrl: server.url, ...reference }));
  });
}

async function runOurs(server) {
  const client = new ours.HoneyHive({ apiKey: API_KEY, ingestionApiKey: INGEST, serverUrl: server.url, verbose: true });
  const sessionId = await client.start({ sessionName: "s", sessionId: SESSION, inputs: { q: 1 } });
  const eventId = await client.log({ sessionId, eventId: EVENT, eventName: "e", eventType: "tool", startTime: T, durationMs: 10 });
  await client.update({ eventId, metadata: { m: 1 } });
  const eventIds = await client.logBatch({
    sessionId, isSingleSession: true, events: [{ eventId: BATCH_EVENT, eventName: "b", eventType: "chain", startTime: T, durationMs: 10 }],
  });
  return { session_id: sessionId, event_id: eventId, event_ids: eventIds };
}

/** What is compared of a recorded request. */
function comparable(request) {
  const body = structuredClone(request.body);
  if (body.session) delete body.session.start_time;
  return { call: `${request.method} ${request.path}`, status: request.status, authorization: request.headers.authorization, contentType: request.headers["content-type"], body };
}

test("the same calls through honeyhive 1.7.0 and through this package send the same requests", async (t) => {
  const theirsServer = await startServer();
  const oursServer = await startServer();
  t.after(() => Promise.all([theirsServer.close(), oursServer.close()]));
  const theirIds = await runReference(theirsServer);
  const ourIds = await runOurs(oursServer);
  assert.deepEqual(ourIds, theirIds, "the same ids back");
  const theirs = theirsServer.requests().map(comparable);
  const mine = oursServer.requests().map(comparable);
  assert.deepEqual(theirs.map((r) => r.call), ["POST /session/start", "POST /events", "PUT /events", "POST /events/batch"], "the SDK's calls");
  assert.ok(theirs.every((r) => r.authorization === `Bearer ${INGEST}` && r.status === 200), "the SDK wrote with the ingestion key");
  assert.deepEqual(mine, theirs);
});
