// The README's set-up commands, run as printed: installing from a checkout's tarball (the path
// in the README is the checkout's), and the "From a checkout" section's `make demo`; its
// `make test` is the command CI runs on a clean clone (.ci/run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { KEY, serverFor } from "./helpers.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const README = readFileSync(resolve(ROOT, "README.md"), "utf8");
const run = promisify(execFile);

/** The commands of the `sh` block under the heading `heading`, without their comments. */
function commands(heading) {
  const section = README.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const block = blocks.find((b) => /^make /m.test(b));
  assert.ok(block, `the README's "${heading}" section has a block of make commands`);
  return block.trim().split("\n").map((line) => ({ command: line.replace(/\s+#.*$/, "").trim(), comment: line.split("# ")[1] ?? "" }));
}

/** This environment as a reader's shell has it: without the variables of the `make test` that
 * runs these tests (a nested make would print its directory, and share its jobs). */
const shellEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MAKE|MFLAGS)/.test(name)));

/** Runs one printed command with bash, as a reader would paste it. */
const sh = (command, cwd, env = {}) => run("bash", ["-c", command], { cwd, env: { ...shellEnv, ...env }, timeout: 300_000 });

/**
 * The commands below must find the package built and installed (`make test` did that first):
 * rebuilt here, it would be rebuilt under the tests running beside this one.
 */
async function assertBuilt() {
  // What make would do (-n: print, not run): any change upstream ends in installing the package.
  const { stdout } = await run("make", ["-n", "tests/node_modules/.honeyhive-installed"], { cwd: ROOT, env: shellEnv });
  const stale = /npm install --no-save/.test(stdout);
  assert.ok(!stale, "the package is not built and installed as its sources are: run `make install-pkg` (make test does), then this test");
}

test("the README's install from a checkout runs as printed: make tarball, then npm install of its path", async (t) => {
  const [tarball, install] = commands("Install");
  assert.equal(tarball.command, "make tarball");
  const printed = tarball.comment.match(/prints (\S+)/)?.[1];
  await assertBuilt();
  const { stdout } = await sh(tarball.command, ROOT);
  assert.equal(stdout.trim(), printed, "make tarball prints the path the README names");
  assert.match(install.command, /^npm install \/path\/to\/honeyhive-logger-wasm\/target\/\S+\.tgz$/);
  assert.ok(install.command.endsWith(printed), "the install line names that tarball");
  // A new app of the reader's, the checkout where the README's placeholder says.
  const app = mkdtempSync(join(tmpdir(), "honeyhive-app-"));
  t.after(() => rmSync(app, { recursive: true, force: true }));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "my-app", private: true, type: "module" }));
  await sh(install.command.replace("/path/to/honeyhive-logger-wasm", ROOT), app, { npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" });
  const server = await serverFor(t);
  const main = `import { log } from "honeyhive-logger-wasm"; console.log(await log({ eventName: "installed", project: "app", verbose: true }));`;
  writeFileSync(join(app, "main.mjs"), main);
  const logged = await run(process.execPath, ["main.mjs"], { cwd: app, env: { ...process.env, HH_API_KEY: KEY, HH_API_URL: server.url } });
  assert.match(logged.stdout.trim().split("\n").at(-1), /^[0-9a-f-]{36}$/);
  assert.deepEqual(server.requests().map((r) => [r.path, r.body.event?.event_name]), [["/events", "installed"]]);
});

test("the README ends with its two commands: make demo runs as printed, make test is what CI runs", async () => {
  assert.match(README.trimEnd(), /\n## From a checkout\n[\s\S]*CONTRIBUTING\.md\]\(CONTRIBUTING\.md\)\.$/, "the last section, pointing to CONTRIBUTING.md");
  const [demo, all, ...more] = commands("From a checkout");
  assert.deepEqual([demo.command, all.command, more.length], ["make demo", "make test", 0]);
  // `make test` is running now; CI runs it, exactly this line, on a clean clone.
  assert.match(readFileSync(resolve(ROOT, ".ci/run"), "utf8"), /\nmake test\n$/);
  await assertBuilt();
  const { stdout } = await sh(demo.command, ROOT);
  assert.match(stdout, /Running tests\/demo\/example\.mjs/);
  assert.match(stdout, /POST \/events\/batch\s+200\s+2 events: "answer_with_sources" \(chain\), "retrieve" \(tool\)/);
});
