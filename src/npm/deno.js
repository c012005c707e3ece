// Deno: the .wasm is read from beside this file (needs --allow-read for the package's folder).
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(async () =>
  initSync({ module: await Deno.readFile(new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url)) }),
);
export { HoneyHiveError } from "./errors.js";
