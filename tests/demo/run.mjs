// `make demo`: starts the local HoneyHive-compatible server, runs the example against it with
// the package installed from its tarball, and prints what the server received.
import { startServer } from "../server/server.mjs";

const server = await startServer();
process.env.HH_API_URL = server.url;
// The demo's own keys and URLs only: ones exported in the user's shell would change its routes.
delete process.env.HH_INGESTION_API_KEY;
delete process.env.HH_DATA_PLANE_URL;
process.env.HH_API_KEY = "hh-demo-key";
// A made-up key of the typed shape: hh_ingst_, 24 letters or digits, _, 64 more.
process.env.HH_DEMO_INGESTION_KEY = `hh_ingst_${"D3m0K3yF0rTh3L0calS3rv3r"}_${"d".repeat(64)}`;
process.env.HH_DEMO_DATA_PLANE_URL = server.url;
console.log(`Local HoneyHive-compatible server on ${server.url}\n`);

try {
  const { example } = await import("./example.mjs");
  const ids = await example();
  console.log("The example's calls resolved to:", ids, "\n");

  console.log("Requests the server received (Authorization masked):\n");
  for (const r of server.requests()) {
    const auth = r.headers.authorization?.replace(/^Bearer .+$/, "Bearer ***");
    console.log(`#${r.seq} ${r.method} ${r.path} -> ${r.status}   authorization: ${auth}${r.path.startsWith("/v1/") ? "   (v2 API)" : ""}`);
    if (r.path.endsWith("/events/batch")) console.log(`  (a batch of ${r.body.events.length} events)`);
    console.log(indent(JSON.stringify(r.body, null, 2)), "\n");
  }

  const { sessions, events } = server.state();
  console.log("What the server now holds:\n");
  for (const session of Object.values(sessions)) {
    const project = session.project ? `project ${session.project}` : "v2 API: the typed key names the project";
    console.log(`session ${session.session_id} "${session.session_name}" (${project})`);
    console.log(indent(`outputs ${JSON.stringify(session.outputs ?? {})}, metadata ${JSON.stringify(session.metadata)}`));
    for (const e of Object.values(events).filter((e) => e.session_id === session.session_id)) {
      console.log(indent(`${e.event_type} event ${e.event_id} "${e.event_name}" ${e.duration} ms`));
      console.log(indent(`inputs ${JSON.stringify(e.inputs)} -> outputs ${JSON.stringify(e.outputs)}`, 4));
      if (e.feedback) console.log(indent(`feedback ${JSON.stringify(e.feedback)}`, 4));
      if (e.metrics) console.log(indent(`metrics ${JSON.stringify(e.metrics)}`, 4));
      console.log(indent(`metadata ${JSON.stringify(e.metadata)}`, 4));
    }
  }
  const expected = { requests: 10, sessions: 2, events: 5 };
  const got = { requests: server.requests().length, sessions: Object.keys(sessions).length, events: Object.keys(events).length };
  if (JSON.stringify(got) !== JSON.stringify(expected) || server.requests().some((r) => r.status !== 200)) {
    console.error("\nThe demo did not go as expected:", got);
    process.exitCode = 1;
  }
} finally {
  await server.close();
}

function indent(text, n = 2) {
  return text.replace(/^/gm, " ".repeat(n));
}
