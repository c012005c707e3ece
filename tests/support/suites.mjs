// `make test`: runs every suite, each as its own `make test-<suite>`, even when one fails. Each
// suite's whole output goes to target/test-logs/<suite>.log; the terminal gets a line per suite,
// the first-time installs (lines starting `==> `), and one summary at the end: passed and failed
// per suite, then each failing test with its first error line and what it printed. Exits
// non-zero if anything failed, or a suite could not run.
//   node tests/support/suites.mjs setup host wasm js conformance
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "../..");
const LOGS = resolve(ROOT, "target/test-logs");
const SUITES = {
  // Not a suite of tests: the first-time installs and the package build, before the suites, with
  // their progress on the terminal. If it fails, the suites still run and say what they lack.
  setup: { target: "test-setup", what: "tools, the package, the test project", read: () => ({ passed: 0, failed: 0, failures: [] }), live: true },
  host: { target: "test-host", what: "cargo test + clippy", read: cargoResults },
  wasm: { target: "test-wasm", what: "wasm-bindgen-test under Node", read: cargoResults },
  js: { target: "test-js", what: "the package on Node, Deno, workerd, edge-runtime, Chromium", read: nodeResults },
  conformance: { target: "test-conformance", what: "against the Python reference", read: nodeResults },
};
/** How many of a failing test's printed lines the summary shows (the log has them all). */
const SHOWN_LINES = 12;

const names = process.argv.slice(2);
const unknown = names.filter((n) => !SUITES[n]);
if (names.length === 0 || unknown.length) {
  console.error(`usage: suites.mjs <${Object.keys(SUITES).join("|")}>...${unknown.length ? ` (unknown: ${unknown})` : ""}`);
  process.exit(2);
}
mkdirSync(LOGS, { recursive: true });

const outcomes = [];
for (const name of names) outcomes.push(await runSuite(name, SUITES[name]));
process.exitCode = printSummary(outcomes) ? 0 : 1;

/** Runs one suite's make target with its output to its log; what it came to. */
async function runSuite(name, suite) {
  const log = resolve(LOGS, `${name}.log`);
  const results = resolve(LOGS, `${name}.results.json`);
  rmSync(results, { force: true });
  rmSync(`${results}.node`, { force: true });
  process.stdout.write(`${name.padEnd(12)} ${suite.what} ... (log: ${relative(log)})\n`);
  const began = Date.now();
  const out = createWriteStream(log);
  const child = spawn("make", ["--no-print-directory", suite.target], {
    cwd: ROOT,
    env: { ...process.env, TEST_RESULTS: results },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = "";
  const tee = (chunk) => {
    out.write(chunk);
    // The setup shows everything (installs and their progress); the suites show the lines that
    // announce an install (`==> `) or a missing tool (`make: `).
    const text = partial + chunk;
    const lines = text.split("\n");
    partial = lines.pop();
    for (const line of lines) {
      if (suite.live || line.startsWith("==> ") || /^make: (?!\*\*\*)/.test(line)) process.stdout.write(`             ${line}\n`);
    }
  };
  child.stdout.on("data", tee);
  child.stderr.on("data", tee);
  const code = await new Promise((done) => {
    child.on("error", (error) => {
      out.write(`could not start make: ${error.message}\n`);
      done(127);
    });
    child.on("close", (status) => done(status ?? 1));
  });
  await new Promise((done) => out.end(done));
  const seconds = Math.round((Date.now() - began) / 1000);
  const text = readFileSync(log, "utf8");
  const counted = suite.read(text, results);
  const outcome = { name, seconds, code, log, ...counted };
  if (code !== 0 && outcome.failures.length === 0) {
    // The target failed without a failing test: a build, an install, clippy, or a crash.
    outcome.broken = firstErrorLine(text) ?? `make ${suite.target} exited with ${code}`;
  }
  if (code === 0 && outcome.failures.length > 0) outcome.code = 1;
  const verdict = outcome.broken ? "FAILED to run" : outcome.failures.length ? "FAILED" : "ok";
  process.stdout.write(`${"".padEnd(12)} ${verdict}: ${outcome.passed} passed, ${outcome.failed} failed, ${seconds} s\n`);
  return outcome;
}

/** cargo test / wasm-bindgen-test-runner output: counts from `test result:` lines, failures with their panic message. */
function cargoResults(text) {
  let passed = 0;
  let failed = 0;
  for (const m of text.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed/gm)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  // cargo's harness says `FAILED` and `---- name stdout ----`; wasm-bindgen-test-runner `FAIL`
  // and `---- name output ----`.
  const failures = [...text.matchAll(/^test (\S+) \.\.\. FAIL(?:ED)?$/gm)].map(([, name]) => {
    const section = text.split(new RegExp(`^---- ${escape(name)} (?:stdout|output) ----$`, "m"))[1] ?? "";
    const lines = section.split("\n").slice(1, 40);
    const panic = lines.findIndex((l) => / panicked at /.test(l));
    const error = panic >= 0 ? `${lines[panic + 1] ?? ""}`.trim() || lines[panic].trim() : "failed";
    return { name, file: "", error, lines: [] };
  });
  return { passed, failed, failures };
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** node:test suites: what tests/support/results.mjs wrote, for each run of `node --test` a
 * suite makes (test-js runs the Node files apart, into `<results>.node`), added up. */
function nodeResults(text, results) {
  const total = { passed: 0, failed: 0, failures: [] };
  for (const file of [results, `${results}.node`]) {
    if (!existsSync(file)) continue;
    try {
      const one = JSON.parse(readFileSync(file, "utf8"));
      total.passed += one.passed;
      total.failed += one.failed;
      total.failures.push(...one.failures);
    } catch (error) {
      total.broken = `unreadable results ${file}: ${error.message}`;
    }
  }
  return total;
}

/** The first line of a log that looks like the reason a target stopped. */
function firstErrorLine(text) {
  const lines = text.split("\n");
  const patterns = [/^make: .* is missing|^make: /, /^error(\[\w+\])?: /, /\berror\b|\bERR!|Error:/];
  for (const pattern of patterns) {
    const line = lines.find((l) => pattern.test(l) && !/^make(\[\d+\])?: \*\*\*/.test(l));
    if (line) return line.trim();
  }
  return lines.filter((l) => l.trim()).at(-1)?.trim();
}

/** Prints the summary; true if everything passed. */
function printSummary(outcomes) {
  const width = Math.max(...outcomes.map((o) => o.name.length), 5) + 2;
  const out = [];
  out.push("", `${"suite".padEnd(width)}${"passed".padStart(8)}${"failed".padStart(8)}${"time".padStart(8)}`);
  for (const o of outcomes) {
    if (SUITES[o.name].live && !o.broken) continue;
    const failed = o.broken ? "—" : String(o.failed);
    out.push(`${o.name.padEnd(width)}${String(o.passed).padStart(8)}${failed.padStart(8)}${`${o.seconds} s`.padStart(8)}`);
  }
  const bad = outcomes.filter((o) => o.code !== 0 || o.broken || o.failures.length);
  for (const o of bad) {
    out.push("", `${o.name}: FAILED (log: ${relative(o.log)})`);
    if (o.broken) out.push(`  did not finish: ${o.broken}`);
    for (const f of o.failures) {
      out.push(`  ✖ ${f.file ? `${f.file} › ` : ""}${f.name}`, `      ${f.error}`);
      if (f.lines?.length) {
        out.push(`      printed during the test (${f.lines.length} lines):`);
        for (const line of f.lines.slice(0, SHOWN_LINES)) out.push(`        ${line}`);
        if (f.lines.length > SHOWN_LINES) out.push(`        … ${f.lines.length - SHOWN_LINES} more in the log`);
      }
    }
  }
  out.push("", bad.length ? `make test: FAILED (${bad.map((o) => o.name).join(", ")})` : "make test: all suites passed");
  process.stdout.write(out.join("\n") + "\n");
  return bad.length === 0;
}

function relative(path) {
  return path.startsWith(ROOT + "/") ? path.slice(ROOT.length + 1) : path;
}
