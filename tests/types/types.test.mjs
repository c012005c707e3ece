// `tsc --strict` over every TypeScript example of the README and over strict.ts, against the
// package's declarations as installed from its tarball.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const README = resolve(here, "../../README.md");
const GENERATED = resolve(here, ".generated");
const TSC = resolve(here, "../node_modules/.bin/tsc");

test("the README's TypeScript examples and the declarations type-check with tsc --strict", async () => {
  const examples = [...readFileSync(README, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(examples.length >= 6, `found ${examples.length} TypeScript examples in the README`);
  rmSync(GENERATED, { recursive: true, force: true });
  mkdirSync(GENERATED, { recursive: true });
  // Each example is a module of its own (top-level await, its own imports).
  examples.forEach((code, i) => writeFileSync(resolve(GENERATED, `readme-${i}.ts`), `${code}\nexport {};\n`));
  try {
    await promisify(execFile)(TSC, ["-p", resolve(here, "tsconfig.json")], { cwd: here });
  } catch (error) {
    assert.fail(`tsc --strict failed:\n${error.stdout}${error.stderr}`);
  }
});

test("tsc really checks: a wrong call fails", async () => {
  mkdirSync(GENERATED, { recursive: true });
  const file = resolve(GENERATED, "wrong.ts");
  writeFileSync(file, 'import { log } from "honeyhive-logger-wasm";\nawait log({ eventName: 5 });\nexport {};\n');
  try {
    const outcome = await promisify(execFile)(TSC, ["-p", resolve(here, "tsconfig.json")], { cwd: here }).then(
      () => "passed",
      (error) => error.stdout,
    );
    assert.match(outcome, /wrong\.ts.*Type 'number' is not assignable to type 'string'/s);
  } finally {
    rmSync(file);
  }
});

/** What tsc says of `code`, as a module of its own ("passed" when it type-checks). */
async function tscOn(name, code) {
  mkdirSync(GENERATED, { recursive: true });
  const file = resolve(GENERATED, `${name}.ts`);
  writeFileSync(file, `import { log, update, HoneyHiveError } from "honeyhive-logger-wasm";\n${code}\nexport {};\n`);
  try {
    return await promisify(execFile)(TSC, ["-p", resolve(here, "tsconfig.json")], { cwd: here }).then(
      () => "passed",
      (error) => error.stdout,
    );
  } finally {
    rmSync(file);
  }
}

test("tsc rejects a call without its required option, in either spelling", async () => {
  // Named as users write them: camelCase.
  assert.match(await tscOn("no-event-name", "await log({ inputs: {} });"), /no-event-name\.ts.*Property 'eventName' is missing/s);
  assert.match(await tscOn("no-event-id", "await update({ metadata: {} });"), /no-event-id\.ts.*Property 'eventId' is missing/s);
  assert.equal(await tscOn("snake-case", 'await log({ event_name: "e" }); await update({ event_id: "x" });'), "passed");
});

test("tsc knows the error's code", async () => {
  const code = 'try { await log({ eventName: "e" }); } catch (e) { if (e instanceof HoneyHiveError) { const c: "network" | "http_status" | string = e.code; const s: number | undefined = e.status; void c; void s; } }';
  assert.equal(await tscOn("error-code", code), "passed");
  assert.match(await tscOn("bad-code", 'const e = new Error() as HoneyHiveError; const n: number = e.code;'), /bad-code\.ts.*not assignable/s);
});
