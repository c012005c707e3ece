// The README's Deno outbox example, run exactly as printed: its file and its command line (with
// HH_API_URL in the environment pointing at the local server, which takes the README's key). While
// HoneyHive hangs and answers 503, a request to the example is answered at once; the event goes to
// the Deno.Kv, and listenQueue's replay delivers it once the server recovers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";

const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const README = readFileSync(resolve(TESTS, "../README.md"), "utf8");

/** The README's code block that begins with `first`, and the shell block right after it. */
function example(first) {
  const blocks = [...README.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
  const at = blocks.findIndex((b) => b.body.startsWith(first));
  assert.ok(at >= 0 && blocks[at + 1]?.lang === "sh", `the README has ${first} and its command`);
  return { file: blocks[at].body, command: blocks[at + 1].body.trim() };
}

test("the README's Deno outbox example runs as printed: answered at once, the event queued, then delivered", async (t) => {
  const { file, command } = example("// outbox.js\n");
  const server = await startServer({ apiKey: "your-key" });
  t.after(() => server.close());
  server.inject({ path: "/events", status: 503, hangMs: 1_000, count: 4 });
  const files = ["outbox.js", "honeyhive-outbox.sqlite3", "honeyhive-outbox.sqlite3-shm", "honeyhive-outbox.sqlite3-wal"];
  const cleanUp = () => files.forEach((f) => rmSync(resolve(TESTS, f), { force: true }));
  cleanUp();
  writeFileSync(resolve(TESTS, "outbox.js"), file);
  const env = { PATH: `${resolve(TESTS, "node_modules/.bin")}:${process.env.PATH}`, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1", HH_API_URL: server.url };
  const deno = spawn("bash", ["-c", command], { cwd: TESTS, env, detached: true });
  let output = "";
  deno.stdout.on("data", (d) => (output += d));
  deno.stderr.on("data", (d) => (output += d));
  t.after(() => {
    try {
      process.kill(-deno.pid, "SIGTERM");
    } catch {}
    cleanUp();
  });
  let answer, took;
  for (const deadline = Date.now() + 30_000; !answer && Date.now() < deadline; ) {
    const started = Date.now();
    answer = await fetch("http://127.0.0.1:8000/").then((r) => r.text(), () => undefined);
    took = Date.now() - started;
    if (!answer) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(answer, "ok", output);
  assert.ok(took < 1_000, `the response did not wait on HoneyHive: ${took} ms`);
  for (const deadline = Date.now() + 60_000; Object.keys(server.state().events).length === 0 && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const events = Object.values(server.state().events);
  assert.equal(events.length, 1, output);
  assert.equal(events[0].event_name, "request");
  assert.match(output, /HoneyHive: queued 1 event for later delivery \(HTTP 503\)/);
  assert.ok(!/Exception in queue handler|your-key/.test(output), output);
});
