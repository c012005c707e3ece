import { spawn } from "node:child_process";
import { log } from "honeyhive-logger-wasm";
const child = spawn(process.execPath, ["server/server.mjs"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((ok) => child.stdout.once("data", (c) => ok(String(c).match(/(http:\S+)/)[1])));
const body = (o) => JSON.stringify({ event: { event_id: crypto.randomUUID(), session_id: o.sessionId, project: "p", source: "dev", event_name: "e", event_type: "tool", config: {}, inputs: { n: 1 }, outputs: {}, metadata: {}, start_time: Date.now(), duration: 10 } });
const variants = {
  plain: async (o) => (await (await fetch(url + "/events", { method: "POST", headers: { Authorization: "Bearer k", "Content-Type": "application/json" }, body: body(o) })).json()).event_id,
  withSignal: async (o) => { const c = new AbortController(); const t = setTimeout(() => c.abort(), 5000); try { return (await (await fetch(url + "/events", { method: "POST", signal: c.signal, headers: { Authorization: "Bearer k", "Content-Type": "application/json" }, body: body(o) })).json()).event_id } finally { clearTimeout(t) } },
  ours: (o) => log({ apiKey: "k-123", project: "p", serverUrl: url, sessionId: o.sessionId, eventName: "e", inputs: { n: 1 } }),
};
const o = { sessionId: "5a3b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" };
for (let r = 0; r < 2; r++) for (const [name, fn] of Object.entries(variants).filter(([n]) => n === (process.argv[2] ?? n))) {
  await fetch(url + "/__admin/reset", { method: "POST" });
  let next = 0; const total = 6000; const t0 = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => { while (next++ < total) await fn(o); }));
  console.log(name, Math.round(total / ((performance.now() - t0) / 1000)), "calls/s");
}
child.kill();
