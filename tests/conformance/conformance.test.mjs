// Differential conformance: the same scenario through the Python reference logger
// (honeyhive-logger 0.0.11 from PyPI) and through this package, against the local server.
// The recorded requests must be identical apart from generated ids and timestamps.
//
// Differences on purpose, and so left out of the comparison:
// - the User-Agent header: the reference sends "HoneyHive-Python-SDK"; a browser's fetch does not
//   let a script set User-Agent, so this package leaves it to the runtime;
// - the body's bytes: Python's json.dumps writes ", " and ": " separators; the JSON is compared;
// - `event.event_id` in log's body: made by this package and kept across retries, so that a
//   retried request whose answer was lost cannot create a second event. The test checks it is a
//   UUIDv4 and the id log() resolved to, then leaves it out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import * as ours from "honeyhive-logger-wasm";
import { startServer } from "../server/server.mjs";

const python = process.env.REFERENCE_PYTHON;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const scenario = JSON.parse(readFileSync(here("scenario.json"), "utf8"));
const KEY = "hh-conformance-key-8d1f";
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ENV_VARS = ["HH_API_KEY", "HH_PROJECT", "HH_SOURCE", "HH_API_URL"];

/** The scenario through the reference; its recorded requests. */
async function runReference(server) {
  assert.ok(python, "REFERENCE_PYTHON must name a Python with honeyhive-logger==0.0.11 (make test-conformance sets it)");
  const env = { ...process.env };
  ENV_VARS.forEach((name) => delete env[name]);
  await promisify(execFile)(python, [here("reference.py"), server.url, KEY], { env });
  return server.requests();
}

const camel = (key) => key.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The scenario through this package, with snake_case or camelCase options. */
async function runOurs(server, spelling) {
  const saved = {};
  for (const step of scenario.steps) {
    const args = Object.fromEntries(
      Object.entries(step.args).map(([k, v]) => [
        spelling === "camelCase" ? camel(k) : k,
        typeof v === "string" && v.startsWith("$") ? saved[v.slice(1)] : v,
      ]),
    );
    const result = await ours[step.call]({ api_key: KEY, server_url: server.url, ...args });
    if (step.save) saved[step.save] = result;
    if (step.call === "log") {
      const sent = server.requests().at(-1).body.event;
      assert.match(sent.event_id, UUID4, "log sends a client-made UUIDv4 event_id");
      assert.equal(sent.event_id, result, "log resolves to the event_id it sent, as the server confirmed it");
    }
  }
  return server.requests().map((request) => {
    if (request.body?.event?.event_id) delete request.body.event.event_id;
    return request;
  });
}

/** A request as compared: ids the caller did not give and timestamps become placeholders. */
function normalise(request, index, ids) {
  const body = structuredClone(request.body);
  const record = body.session ?? body.event ?? body;
  if (typeof record.start_time === "number") record.start_time = "<time>";
  for (const key of ["session_id", "event_id"]) {
    const id = record[key];
    if (typeof id === "string" && UUID4.test(id)) {
      if (!ids.has(id)) ids.set(id, `<id ${ids.size}>`);
      record[key] = ids.get(id);
    }
  }
  return {
    step: index,
    method: request.method,
    path: request.path,
    authorization: request.headers.authorization,
    contentType: request.headers["content-type"],
    status: request.status,
    body,
  };
}

const normaliseAll = (requests) => {
  const ids = new Map();
  return requests.map((r, i) => normalise(r, i, ids));
};

test("this package sends what the reference logger sends", async (t) => {
  const saved = Object.fromEntries(ENV_VARS.map((name) => [name, process.env[name]]));
  ENV_VARS.forEach((name) => delete process.env[name]);
  t.after(() => Object.entries(saved).forEach(([k, v]) => v !== undefined && (process.env[k] = v)));
  const server = await startServer();
  t.after(() => server.close());

  const reference = normaliseAll(await runReference(server));
  assert.equal(reference.length, scenario.steps.length, "the reference made one request per step");
  assert.ok(reference.every((r) => r.status === 200), "the local server accepted every reference request");
  assert.ok(server.requests().every((r) => r.headers["user-agent"] === "HoneyHive-Python-SDK"));

  for (const spelling of ["snake_case", "camelCase"]) {
    server.reset();
    const mine = normaliseAll(await runOurs(server, spelling));
    assert.deepEqual(mine, reference, `with ${spelling} options`);
  }
});
