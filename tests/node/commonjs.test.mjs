// What the README says of CommonJS: `require("honeyhive-logger-wasm")` works on this Node (an ES
// module loaded by `require`, Node >= 20.19), and the calls it returns reach the server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { KEY, UUID, serverFor } from "./helpers.mjs";

const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");

test("require() from CommonJS gives the calls, and they reach the server", async (t) => {
  const server = await serverFor(t);
  const script = `
    const honeyhive = require("honeyhive-logger-wasm");
    honeyhive.log({ apiKey: process.env.KEY, project: "cjs", serverUrl: process.env.URL, eventName: "from-require" })
      .then((id) => console.log(JSON.stringify({ exports: Object.keys(honeyhive).sort(), id })));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--eval", script], {
    cwd: TESTS,
    env: { PATH: process.env.PATH, KEY, URL: server.url },
    timeout: 60_000,
  });
  const { exports, id } = JSON.parse(stdout.trim().split("\n").at(-1));
  assert.deepEqual(exports, ["HoneyHive", "HoneyHiveError", "aiSdkIntegration", "log", "logBatch", "replay", "start", "trace", "update"]);
  assert.match(id, UUID);
  assert.equal(server.requests()[0].body.event.event_name, "from-require");
});
