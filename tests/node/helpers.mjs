// Shared by the Node tests: a local server per test, console capture, and env handling.
// The package under test is the one installed in tests/node_modules from its npm tarball.
import { startServer } from "../server/server.mjs";

export const KEY = "hh-test-key-5f0c2b7e9a";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The URLs of this process's servers so far. */
const urlsGiven = new Set();

/**
 * Starts a local server for one test and stops it when the test ends. Its URL is one no earlier
 * test of this process had: the logger's circuit breaker keeps a server that failed (a test's
 * 503s) by its URL for 30 s, and a later test's server given the same port would be skipped.
 */
export async function serverFor(t, options = {}) {
  let server = await startServer(options);
  for (let tries = 0; urlsGiven.has(server.url) && tries < 20; tries++) {
    const taken = server;
    server = await startServer(options);
    await taken.close();
  }
  urlsGiven.add(server.url);
  t.after(() => server.close());
  return server;
}

/** Everything printed on console.log/info/warn/error while `fn` runs, with its result. */
export async function capture(fn) {
  const lines = [];
  const names = ["log", "info", "warn", "error", "debug"];
  const saved = names.map((name) => console[name]);
  names.forEach((name) => {
    console[name] = (...args) => lines.push({ stream: name, text: args.map(String).join(" ") });
  });
  try {
    let result, error;
    try {
      result = await fn();
    } catch (e) {
      error = e;
    }
    return { result, error, lines };
  } finally {
    names.forEach((name, i) => (console[name] = saved[i]));
  }
}

/** Runs `fn` with these environment variables set (undefined: unset), then restores them. */
export async function withEnv(vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values) =>
    Object.entries(values).forEach(([k, v]) => (v === undefined ? delete process.env[k] : (process.env[k] = v)));
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

/** The API requests the server recorded (admin traffic excluded). */
export function apiRequests(server) {
  return server.requests();
}
