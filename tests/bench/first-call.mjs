// `node tests/bench/first-call.mjs [pkg-dir ...] [--n 60]`: what a first call costs, split into
// compiling the module, instantiating it and the call itself (`start`, through a stub fetch), in
// one process: each package's entry is imported `n` times (a new module instance each time) and
// the .wasm's bytes are varied by a custom section so that V8 compiles each anew rather than
// reusing its cache. Without a directory: the installed package. docs/performance.md, "Start-up".
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const at = args.indexOf("--n");
const n = at < 0 ? 60 : Number(args.splice(at, 2)[1]);
const dirs = args.length ? args : [dirname(createRequire(import.meta.url).resolve("honeyhive-logger-wasm/package.json"))];

globalThis.fetch = async (url, init) => {
  if (!(init?.headers instanceof Headers)) new Headers(init?.headers);
  return { status: 200, headers: { get: () => null }, text: async () => '{"session_id":"s"}' };
};
new Headers(); // Node loads its fetch implementation once, before any timing

const Module = WebAssembly.Module;
const Instance = WebAssembly.Instance;
let times;
let copy = 0;
WebAssembly.Module = function (bytes) {
  const name = new TextEncoder().encode(String(copy++).padStart(6, "0"));
  const varied = new Uint8Array(bytes.length + 3 + name.length);
  varied.set(bytes);
  varied.set([0, 1 + name.length, 0], bytes.length); // a custom section with an empty name
  varied.set(name, bytes.length + 3);
  const t0 = performance.now();
  const module = new Module(varied);
  times.compile += performance.now() - t0;
  return module;
};
WebAssembly.Instance = function (module, imports) {
  const t0 = performance.now();
  const instance = new Instance(module, imports);
  times.instantiate += performance.now() - t0;
  return instance;
};

for (const dir of dirs) {
  times = { compile: 0, instantiate: 0, call: 0 };
  for (let i = 0; i < n; i++) {
    const { start } = await import(`${pathToFileURL(resolve(dir, "node.js")).href}?copy=${i}`);
    const t0 = performance.now();
    if ((await start({ apiKey: "k-123", project: "p" })) !== "s") throw new Error(`${dir}: the first start failed`);
    times.call += performance.now() - t0;
  }
  times.call -= times.compile + times.instantiate;
  const ms = (total) => (total / n).toFixed(2).padStart(6);
  console.log(`compile ${ms(times.compile)} ms  instantiate ${ms(times.instantiate)} ms  first call ${ms(times.call)} ms  ${dir}`);
}
