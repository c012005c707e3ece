// The README's Vercel Edge example outside Next.js, run as printed: its build.mjs (esbuild with
// the few lines that load `….wasm?module`), route.js and serve.mjs (the `edge-runtime` package),
// and its command line, with HH_API_URL pointing at the local server, which takes the README's key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../server/server.mjs";

const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const README = readFileSync(resolve(TESTS, "../README.md"), "utf8");
/** The example's folder: inside tests/, so that its imports find tests/node_modules. */
const APP = resolve(TESTS, ".readme-edge");

const blocks = [...README.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, body]) => ({ lang, body }));
const file = (first) => {
  const block = blocks.find((b) => b.lang === "js" && b.body.startsWith(first));
  assert.ok(block, `the README has a block that begins ${first}`);
  return block.body;
};

test("the README's edge-runtime example runs as printed: bundled with its wasm loader, served, the event logged", async (t) => {
  const files = { "build.mjs": file("// build.mjs"), "route.js": file("// route.js\n"), "serve.mjs": file("// serve.mjs") };
  const at = blocks.findIndex((b) => b.body.startsWith("// serve.mjs"));
  assert.equal(blocks[at + 1]?.lang, "sh", "the command comes right after serve.mjs");
  const [install, command, ...more] = blocks[at + 1].body.trim().split("\n");
  assert.equal(more.length, 0);
  // What the install line adds is in the test project already (tests/package.json).
  assert.equal(install, "npm install esbuild edge-runtime");
  const tools = JSON.parse(readFileSync(resolve(TESTS, "package.json"), "utf8")).devDependencies;
  assert.ok(tools.esbuild && tools["edge-runtime"]);

  rmSync(APP, { recursive: true, force: true });
  mkdirSync(APP);
  t.after(() => rmSync(APP, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(resolve(APP, name), text);
  const server = await startServer({ apiKey: "your-key" });
  t.after(() => server.close());
  // PORT=0: any free port (serve.mjs's default, 3000, may be taken on a developer's machine).
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, HH_API_URL: server.url, PORT: "0" };
  const child = spawn("bash", ["-c", command], { cwd: APP, env, detached: true });
  t.after(() => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  });
  let output = "";
  let timer;
  const listening = new Promise((resolve, reject) => {
    const seen = (d) => {
      output += d;
      const url = output.match(/listening on (http:\/\/\S+)/)?.[1];
      if (url) resolve(url);
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", (code) => reject(new Error(`the command ended (${code}) before listening:\n${output.slice(-2_000)}`)));
    timer = setTimeout(() => reject(new Error(`not listening after 60 s:\n${output.slice(-2_000)}`)), 60_000);
  });
  const url = await listening.finally(() => clearTimeout(timer));
  const hello = new URL("/hello", url).href;
  assert.equal(await (await fetch(hello)).text(), "ok");
  for (const deadline = Date.now() + 30_000; server.requests().length === 0 && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const requests = server.requests();
  assert.deepEqual(requests.map((r) => [r.method, r.path, r.status]), [["POST", "/events", 200]], output);
  const { event } = requests[0].body;
  assert.deepEqual([event.event_name, event.project, new URL(event.inputs.url).pathname], ["request", "my-project", "/hello"]);
  assert.ok(!output.includes("your-key"), output);
});
