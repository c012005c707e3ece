// `make demo` as a newcomer runs it: the example against the local server, told in a few lines.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

test("make demo: names its example, tells each call in a line, shows a trace and both hooks", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["tests/demo/run.mjs"], { cwd: ROOT, timeout: 60_000 });
  const lines = stdout.trim().split("\n");
  assert.match(lines[0], /^Running tests\/demo\/example\.mjs/);
  assert.ok(lines.length <= 40, `${lines.length} lines`);
  assert.match(stdout, /POST \/events\/batch\s+200\s+2 events: "answer_with_sources" \(chain\), "retrieve" \(tool\)/);
  assert.match(stdout, /redact: the login event was sent with inputs \{"user":"ada","password":"\[redacted\]"\}/);
  assert.match(stdout, /onError heard:\n\s+invalid_option: HoneyHive: failed to log event: Invalid event type/);
  assert.match(stdout, /The requests in full, and what the server holds: target\/demo\/requests\.json/);
});
