// Deno with a Deno.Kv as the outbox: calls against a server that is down (Deno.args[1]) resolve
// with their ids, and listenQueue replays each message to the live server (Deno.args[0]). Prints
// what the calls resolved to once the live server holds every event.
import { HoneyHive, replay } from "honeyhive-logger-wasm";
import { produce } from "./outbox-calls.mjs";

const [live, down, kvPath, apiKey] = Deno.args;
const kv = await Deno.openKv(kvPath);
// No retries within a delivery: what HoneyHive does not take yet goes back to Deno's queue.
kv.listenQueue((message) => replay(message, { apiKey, serverUrl: live, maxRetries: 0 }));

const honeyhive = new HoneyHive({ apiKey, serverUrl: down, project: "outbox", outbox: kv, maxRetries: 0, timeoutMs: 2000 });
const { logs, batch, trace } = await produce(honeyhive);
console.log(JSON.stringify({ logs, batch, trace }));

// Until the live server holds every event (the queue redelivers what it could not yet take).
const expected = logs.length + batch.length + trace.length;
const deadline = Date.now() + 60_000;
while (Date.now() < deadline) {
  const { events } = await (await fetch(`${live}/__admin/state`)).json();
  if (Object.keys(events).length >= expected) break;
  await new Promise((r) => setTimeout(r, 200));
}
console.log(JSON.stringify({ done: true }));
kv.close();
