// Preloaded into every test process (`node --import`): what a test prints on the console is kept
// with that test instead of going to the terminal. At the end of each test its lines become one
// diagnostic per line, prefixed `out: `, which the spec reporter writes to the suite's log under
// the test, and tests/support/results.mjs keeps so that a failure shows the lines of that test only.
// A line printed while no test runs (a `before` hook, a late timer) goes to the console as before.
// Tests that run concurrently share their lines: each gets what was printed while it ran.
import { afterEach, beforeEach } from "node:test";

export const PREFIX = "out: ";
const running = new Set();
const METHODS = ["log", "info", "warn", "error", "debug"];

for (const method of METHODS) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    if (running.size === 0) return original(...args);
    const text = args.map((a) => (typeof a === "string" ? a : inspectable(a))).join(" ");
    for (const lines of running) lines.push(...text.split("\n"));
  };
}

function inspectable(value) {
  try {
    return value instanceof Error ? value.stack ?? String(value) : typeof value === "object" ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

const linesOf = new WeakMap();
beforeEach((t) => {
  const lines = [];
  linesOf.set(t, lines);
  running.add(lines);
});
afterEach((t) => {
  const lines = linesOf.get(t) ?? [];
  running.delete(lines);
  for (const line of lines) t.diagnostic(PREFIX + line);
});
