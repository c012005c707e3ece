// The fault matrix in a Node or Deno process: server URLs from HH_FAULT_SERVERS (JSON: { urls, refused }), the
// API key from HH_API_KEY; prints the observations as JSON on its last line.
import * as honeyhive from "honeyhive-logger-wasm";
import { runAll } from "./faults.mjs";

const env = (name) => (globalThis.Deno ? globalThis.Deno.env.get(name) : process.env[name]);
// The outbox of the outbox case: Deno's own queue (in memory), or on Node an object of the user's.
// (The case checks the call resolved to the id it made, which it does only once the queue took it.)
const outbox = globalThis.Deno ? await globalThis.Deno.openKv(":memory:") : { send: async () => {} };
const observations = await runAll(honeyhive, JSON.parse(env("HH_FAULT_SERVERS")), env("HH_API_KEY"), outbox);
console.log(JSON.stringify(observations));
outbox.close?.();
