// `make demo`: starts the local HoneyHive-compatible server, runs tests/demo/example.mjs against
// it with the package installed from its tarball, and tells what each call sent, one line each;
// the requests in full go to target/demo/requests.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, "../..");
const LOG = resolve(ROOT, "target/demo/requests.json");
const EXAMPLE = resolve(here, "example.mjs");

const server = await startServer();
process.env.HH_API_URL = server.url;
// The demo's own keys and URLs only: ones exported in the user's shell would change its routes.
delete process.env.HH_INGESTION_API_KEY;
delete process.env.HH_DATA_PLANE_URL;
process.env.HH_API_KEY = "hh-demo-key";
// A made-up key of the typed shape: hh_ingst_, 24 letters or digits, _, 64 more.
process.env.HH_DEMO_INGESTION_KEY = `hh_ingst_${"D3m0K3yF0rTh3L0calS3rv3r"}_${"d".repeat(64)}`;
process.env.HH_DEMO_DATA_PLANE_URL = server.url;

console.log(`Running ${relative(ROOT, EXAMPLE)} (read it alongside) against a local HoneyHive-compatible`);
console.log(`server on ${server.url}, with the package installed from its npm tarball.\n`);

try {
  const { example } = await import(EXAMPLE);
  const result = await example();

  console.log("\nWhat each call sent (the server's record):");
  for (const r of server.requests()) console.log(`  ${`${r.method} ${r.path}`.padEnd(58)} ${r.status}  ${summary(r)}`);

  console.log("\nWhat the calls resolved to:");
  console.log(`  start -> session ${result.sessionId}; log -> event ${result.modelEventId}`);
  console.log(`  logBatch -> ${JSON.stringify(result.batchIds)}`);
  console.log(`  trace -> what the traced function returned: ${JSON.stringify(result.traced)}`);
  console.log(`  the log with a bad eventType -> ${result.failed} (quiet mode), and onError heard:`);
  for (const line of result.heard) console.log(`    ${line}`);
  const redacted = server.requests().find((r) => r.body?.event?.event_name === "login");
  console.log(`  redact: the login event was sent with inputs ${JSON.stringify(redacted?.body.event.inputs)}`);

  mkdirSync(dirname(LOG), { recursive: true });
  const requests = server.requests().map((r) => ({ ...r, headers: { ...r.headers, authorization: "Bearer ***" } }));
  writeFileSync(LOG, JSON.stringify({ requests, state: server.state() }, null, 2));
  console.log(`\nThe requests in full, and what the server holds: ${relative(process.cwd(), LOG)}`);

  const { sessions, events } = server.state();
  const expected = { requests: 12, sessions: 2, events: 8, heard: 1 };
  const got = { requests: server.requests().length, sessions: Object.keys(sessions).length, events: Object.keys(events).length, heard: result.heard.length };
  if (JSON.stringify(got) !== JSON.stringify(expected) || server.requests().some((r) => r.status !== 200) || redacted?.body.event.inputs.password !== "[redacted]") {
    console.error("\nThe demo did not go as expected:", got, "expected", expected);
    process.exitCode = 1;
  }
} finally {
  await server.close();
}

/** One line of what a request carried. */
function summary({ method, path, body }) {
  const v2 = path.startsWith("/v1/") ? " (v2 API)" : "";
  const event = (e) => `"${e.event_name}" (${e.event_type})`;
  if (path.endsWith("/session/start") || path === "/v1/sessions") {
    const session = body.session ?? body;
    return `session "${session.session_name ?? "(named by the server)"}"${v2}`;
  }
  if (path.endsWith("/events/batch")) return `${body.events.length} events: ${body.events.map(event).join(", ")}${v2}`;
  if (method === "POST") return `event ${event(body.event ?? body)}${v2}`;
  const changed = Object.keys(body).filter((k) => k !== "event_id");
  return `update ${body.event_id ?? path.split("/").at(-1)}: ${changed.join(", ")}${v2}`;
}
