// Deno: the .wasm is read from beside this file (needs --allow-read for the package's folder).
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

const api = bind(async () =>
  initSync({ module: await Deno.readFile(new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url)) }),
);

// The client leaves under another local name: bundled with calls.js, whose class is
// `HoneyHive`, a top-level `HoneyHive` here would make esbuild rename that class.
const Client = api.HoneyHive;
export const { start, log, update, logBatch, trace, aiSdkIntegration } = api;
export { Client as HoneyHive };
