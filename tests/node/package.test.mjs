// The package as a user installs it: each entry of `exports` is one whole module (the glue and
// all the package's JS bundled in), importing nothing but the .wasm and Node's builtins, and the
// client class keeps its name through the bundling (every runtime checks it too: tests/runtimes).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { HoneyHive } from "honeyhive-logger-wasm";

const PACKAGE = dirname(createRequire(import.meta.url).resolve("honeyhive-logger-wasm/package.json"));
const manifest = JSON.parse(readFileSync(resolve(PACKAGE, "package.json"), "utf8"));
const entries = [...new Set(Object.values(manifest.exports["."]).filter((file) => file.endsWith(".js")))];

test("every entry is one module that imports only the .wasm and Node's builtins", () => {
  assert.deepEqual(entries.sort(), ["./deno.js", "./edge-light.js", "./node.js", "./web.js", "./workerd.js"]);
  for (const entry of entries) {
    const text = readFileSync(resolve(PACKAGE, entry), "utf8");
    const imported = [...text.matchAll(/\bimport\s*(?:[\w{}\s,*]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]);
    for (const specifier of imported) {
      assert.match(specifier, /^(node:|\.\/honeyhive_logger_wasm_bg\.wasm(\?module)?$)/, `${entry} imports ${specifier}`);
    }
  }
});

test("the client class is called HoneyHive", () => {
  assert.equal(HoneyHive.name, "HoneyHive");
  assert.equal(new HoneyHive({}).constructor.name, "HoneyHive");
});
