// Deno with --allow-read only (no --allow-net, no --allow-env): a call whose fetch Deno refuses
// fails at once with code `permission` naming --allow-net (no retry), and a key left to the
// environment is reported missing with the flag that would have let the logger read it.
import { log, HoneyHiveError } from "honeyhive-logger-wasm";

const report = {};
const began = Date.now();
try {
  await log({ apiKey: "k-1234", project: "p", eventName: "e", serverUrl: Deno.args[0], verbose: true });
  report.net = "did not reject";
} catch (error) {
  report.net = { isClass: error instanceof HoneyHiveError, code: error.code, retryable: error.retryable, message: error.message, elapsed: Date.now() - began };
}
try {
  await log({ project: "p", eventName: "e", serverUrl: Deno.args[0], verbose: true });
  report.env = "did not reject";
} catch (error) {
  report.env = { code: error.code, message: error.message };
}
console.log(JSON.stringify(report));
