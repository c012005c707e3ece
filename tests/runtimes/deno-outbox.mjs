// Deno with a Deno.Kv as the outbox: calls against a server that is down (Deno.args[1]) resolve
// with their ids, and listenQueue replays each message to the live server (Deno.args[0]), given
// the Deno.Kv: what a later delivery could mend goes back to it, and what was delivered is marked.
// Once the live server holds every event, a message is delivered again by hand: it is skipped.
import { HoneyHive, replay } from "honeyhive-logger-wasm";
import { produce } from "./outbox-calls.mjs";

const [live, down, kvPath, apiKey] = Deno.args;
const kv = await Deno.openKv(kvPath);
const seen = [];
// No retries within a delivery: what HoneyHive does not take yet goes back to the Deno.Kv.
const opts = { apiKey, serverUrl: live, maxRetries: 0, outbox: kv };
kv.listenQueue((message) => (seen.push(message), replay(message, opts)));

const honeyhive = new HoneyHive({ apiKey, serverUrl: down, project: "outbox", outbox: kv, maxRetries: 0, timeoutMs: 2000 });
const { logs, batch, trace, large } = await produce(honeyhive);
console.log(JSON.stringify({ logs, batch, trace, large }));

// Until the live server holds every event (the queue redelivers what it could not yet take).
const expected = logs.length + batch.length + trace.length + 1;
const deadline = Date.now() + 90_000;
while (Date.now() < deadline) {
  const { events } = await (await fetch(`${live}/__admin/state`)).json();
  if (Object.keys(events).length >= expected) break;
  await new Promise((r) => setTimeout(r, 200));
}
// Delivered once already: a second delivery is skipped.
await replay(seen[0], opts);
console.log(JSON.stringify({ done: true, seen: seen.length, encodings: seen.map((m) => m.encoding ?? null) }));
kv.close();
