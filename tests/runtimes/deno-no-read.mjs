// Deno without --allow-read: the module cannot be read, and the calls say so as any failure.
import { log } from "honeyhive-logger-wasm";

const quiet = await log({ apiKey: "k-1234", project: "p", eventName: "e" });
let verbose = "did not reject";
let code;
try {
  await log({ apiKey: "k-1234", project: "p", eventName: "e", verbose: true });
} catch (error) {
  verbose = error.message;
  code = error.code;
}
console.log(JSON.stringify({ quiet, verbose, code }));
