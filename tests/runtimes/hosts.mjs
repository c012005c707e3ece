// How each runtime of the matrix is started with the shared scenario, the package installed
// in tests/node_modules from its npm tarball. Each `run*` resolves to the scenario's report;
// a runtime that cannot start rejects with a message saying why (never a skip).
import { build } from "esbuild";
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PACKAGE = resolve(TESTS, "node_modules/honeyhive-logger-wasm");
const WASM = resolve(PACKAGE, "honeyhive_logger_wasm_bg.wasm");
const OUT = resolve(TESTS, "../target/runtimes");
const run = promisify(execFile);

/** The typed ingestion key of the scenario's v2 part (a made-up key of the real shape). */
export const V2_KEY = `hh_ingst_${"Q7r2Lm9XkT4vB8nW1cY6pZ3a"}_${"s".repeat(40)}${"-_0AZ9".repeat(4)}`;
/** What each runtime is given for the scenario's v2 part: the typed key and the data plane URL. */
const v2Env = (server) => ({ HH_TEST_V2_KEY: V2_KEY, HH_TEST_V2_URL: server.url });

/** The last line a child printed, parsed as the scenario's JSON report. */
function reportOf(stdout, runtime) {
  const line = stdout.trim().split("\n").at(-1);
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${runtime} printed no report; its output was:\n${stdout}`);
  }
}

async function child(runtime, file, args, env) {
  let output;
  try {
    output = await run(file, args, { cwd: TESTS, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 });
  } catch (error) {
    throw new Error(`${runtime} failed to run the scenario: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
  // The scenario runs verbose calls: whatever they printed must not hold a key.
  const printed = output.stdout + output.stderr;
  for (const key of [env.HH_API_KEY, env.HH_TEST_V2_KEY].filter(Boolean)) {
    if (printed.includes(key)) throw new Error(`${runtime} printed a key; its output was:\n${printed}`);
  }
  if (env.HH_TEST_V2_KEY && !printed.includes("Bearer ***")) throw new Error(`${runtime}: the verbose calls printed no masked request:\n${printed}`);
  return reportOf(output.stdout, runtime);
}

/** Node (ESM), in a process of its own; the key and server come from process.env. */
export async function runNode(server, apiKey) {
  return child("node", process.execPath, ["runtimes/node-host.mjs"], { HH_API_KEY: apiKey, HH_API_URL: server.url, ...v2Env(server) });
}

/** Deno from the `deno` npm package, with the narrowest permissions; env read through Deno. */
export async function runDeno(server, apiKey) {
  const deno = resolve(TESTS, "node_modules/.bin/deno");
  const args = [
    "run",
    "--no-prompt",
    "--allow-net=127.0.0.1",
    "--allow-read=.",
    "--allow-env=HH_API_KEY,HH_INGESTION_API_KEY,HH_PROJECT,HH_SOURCE,HH_API_URL,HH_DATA_PLANE_URL,HH_TEST_V2_KEY,HH_TEST_V2_URL",
    "runtimes/deno-host.mjs",
  ];
  return child("deno", deno, args, { HH_API_KEY: apiKey, HH_API_URL: server.url, DENO_NO_UPDATE_CHECK: "1", ...v2Env(server) });
}

/** The fault matrix in a Node process; resolves to { observations, output }. */
export async function faultsOnNode(serverUrls, apiKey) { // serverUrls: { urls, refused }
  return faultsChild("node", process.execPath, ["runtimes/faults-host.mjs"], serverUrls, apiKey);
}

/** The fault matrix in Deno, with the narrowest permissions. */
export async function faultsOnDeno(serverUrls, apiKey) {
  const args = [
    "run",
    "--no-prompt",
    "--unstable-kv",
    "--allow-net=127.0.0.1",
    "--allow-read=.",
    "--allow-env=HH_API_KEY,HH_PROJECT,HH_SOURCE,HH_API_URL,HH_FAULT_SERVERS",
    "runtimes/faults-host.mjs",
  ];
  return faultsChild("deno", resolve(TESTS, "node_modules/.bin/deno"), args, serverUrls, apiKey);
}

async function faultsChild(runtime, file, args, serverUrls, apiKey) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1" };
  Object.assign(env, { HH_API_KEY: apiKey, HH_FAULT_SERVERS: JSON.stringify(serverUrls) });
  try {
    const { stdout, stderr } = await run(file, args, { cwd: TESTS, env, timeout: 60_000, maxBuffer: 64 << 20 });
    return { observations: reportOf(stdout, runtime), output: stdout + stderr };
  } catch (error) {
    throw new Error(`${runtime} failed to run the fault matrix: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  }
}

/** Deno with no --allow-read at all: resolves to the script's { stdout, stderr }. */
export async function denoWithoutRead() {
  const deno = resolve(TESTS, "node_modules/.bin/deno");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1" };
  return run(deno, ["run", "--no-prompt", "runtimes/deno-no-read.mjs"], { cwd: TESTS, env, timeout: 60_000 });
}

/** Deno with --allow-read only (no net, no env), calling `serverUrl`: the script's { stdout, stderr }. */
export async function denoWithoutNetOrEnv(serverUrl) {
  const deno = resolve(TESTS, "node_modules/.bin/deno");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1", HH_API_KEY: "from-the-env" };
  const args = ["run", "--no-prompt", "--allow-read=.", "runtimes/deno-permissions.mjs", serverUrl];
  return run(deno, args, { cwd: TESTS, env, timeout: 60_000 });
}

/** Deno with a Deno.Kv (at `kvPath`) as the outbox: runtimes/deno-outbox.mjs's { stdout, stderr }. */
export async function denoOutbox(live, down, kvPath, apiKey) {
  const deno = resolve(TESTS, "node_modules/.bin/deno");
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1" };
  const args = ["run", "--no-prompt", "--unstable-kv", "--allow-net=127.0.0.1", "--allow-read=.," + kvPath, "--allow-write=" + kvPath,
    "runtimes/deno-outbox.mjs", live, down, kvPath, apiKey];
  return run(deno, args, { cwd: TESTS, env, timeout: 120_000 });
}

/** The Deno version, for the record. */
export async function denoVersion() {
  const { stdout } = await run(resolve(TESTS, "node_modules/.bin/deno"), ["--version"]);
  return stdout.split("\n")[0];
}

/**
 * Cloudflare workerd through Miniflare: the Worker is bundled as wrangler bundles it (esbuild
 * with the `workerd` condition, `.wasm` imports left as modules), and served with `.wasm` as
 * CompiledWasm modules. HH_API_KEY and HH_API_URL are the Worker's env bindings.
 * Resolves to { fetch(url), time(url), dispose() }; `output`, if given, collects all it prints;
 * `worker` names the Worker of tests/runtimes/workerd/ (default worker.mjs).
 */
export async function startWorkerd(server, apiKey, { output, worker = "worker", miniflare = {} } = {}) {
  const { Miniflare } = await import("miniflare");
  const outdir = resolve(OUT, worker === "worker" ? "workerd" : `workerd-${worker}`);
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [resolve(TESTS, `runtimes/workerd/${worker}.mjs`)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["*.wasm"],
    outfile: resolve(outdir, "worker.js"),
    logLevel: "error",
  });
  copyFileSync(WASM, resolve(outdir, "honeyhive_logger_wasm_bg.wasm"));
  const mf = new Miniflare({
    modules: true,
    scriptPath: resolve(outdir, "worker.js"),
    modulesRoot: outdir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    bindings: { HH_API_KEY: apiKey, HH_API_URL: server.url, ...v2Env(server) },
    ...miniflare,
    // Everything the Worker prints, kept for the secrets check (when asked for).
    ...(output && {
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (chunk) => output.push(String(chunk)));
        stderr.on("data", (chunk) => output.push(String(chunk)));
      },
    }),
  });
  try {
    await mf.ready;
  } catch (error) {
    await mf.dispose();
    throw new Error(`workerd could not start: ${error.message}`);
  }
  return {
    fetch: (url) => mf.dispatchFetch(url),
    /** Milliseconds from sending a request to the end of its answer. */
    async time(url) {
      const t0 = performance.now();
      await (await mf.dispatchFetch(url)).text();
      return performance.now() - t0;
    },
    dispose: () => mf.dispose(),
  };
}

/** The workerd version Miniflare runs. */
export function workerdVersion() {
  return JSON.parse(readFileSync(resolve(TESTS, "node_modules/workerd/package.json"), "utf8")).version;
}

/**
 * Vercel's edge runtime (the `edge-runtime` package) with wasm compilation forbidden, as on
 * Vercel. The route is bundled as Next.js bundles an edge route (esbuild with the `edge-light`
 * condition); the `.wasm?module` import becomes a binding holding a compiled module, which is
 * how Vercel provides it. Vercel's bindings belong to the isolate's own realm; edge-runtime runs
 * in a Node vm context, so the harness compiles the module outside (inside is forbidden) and
 * gives it the context's WebAssembly.Module prototype, which is what a same-realm binding is.
 */
export async function runEdge(server, apiKey) {
  const { EdgeRuntime } = await import("edge-runtime");
  const bundle = await build({
    entryPoints: [resolve(TESTS, "runtimes/edge-host.mjs")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    conditions: ["edge-light", "worker", "browser"],
    mainFields: ["module", "main"],
    logLevel: "error",
    plugins: [wasmModuleBinding("__honeyhive_wasm")],
  });
  const runtime = new EdgeRuntime({
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => Object.assign(context, { process: { env: { HH_API_KEY: apiKey, HH_API_URL: server.url, ...v2Env(server) } } }),
  });
  const module = new WebAssembly.Module(readFileSync(WASM));
  runtime.context.__honeyhive_wasm = Object.setPrototypeOf(module, runtime.evaluate("WebAssembly.Module.prototype"));
  runtime.evaluate(bundle.outputFiles[0].text);
  const answer = await runtime.dispatchFetch("http://edge/route");
  const text = await answer.text();
  if (answer.status !== 200) throw new Error(`edge-runtime answered ${answer.status}: ${text}`);
  return JSON.parse(text);
}

/** Turns `import x from "….wasm?module"` into a read of the binding `name`, as Next.js does. */
function wasmModuleBinding(name) {
  return {
    name: "wasm-module-binding",
    setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({ path: args.path, namespace: "wasm-binding" }));
      b.onLoad({ filter: /.*/, namespace: "wasm-binding" }, () => ({
        contents: `export default globalThis[${JSON.stringify(name)}];`,
        loader: "js",
      }));
    },
  };
}

/** The edge-runtime version. */
export function edgeRuntimeVersion() {
  return JSON.parse(readFileSync(resolve(TESTS, "node_modules/edge-runtime/package.json"), "utf8")).version;
}

/** Debian's Chromium, or the one CHROMIUM names (`make test CHROMIUM=/path/to/chrome`). */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium (Debian's) driven by playwright-core. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  try {
    return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(`Chromium could not start from ${CHROMIUM} (make test installs Debian's chromium; CHROMIUM=/path picks another): ${error.message}`);
  }
}

/** The scenario in a page that loads the package with an import map, served from another origin. */
export async function runChromium(browser, staticUrl, server, apiKey) {
  const page = await browser.newPage();
  try {
    const query = new URLSearchParams({ key: apiKey, server: server.url, v2key: V2_KEY });
    await page.goto(`${staticUrl}/runtimes/browser.html?${query}`);
    const handle = await page.waitForFunction(() => window.__report, null, { timeout: 30_000 });
    return await handle.jsonValue();
  } finally {
    await page.close();
  }
}
