// Browsers and anything else: the .wasm is fetched from beside this file. Bundlers (Vite,
// webpack, esbuild) recognise `new URL(..., import.meta.url)` and ship the file.
import init from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(() =>
  init({ module_or_path: new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url) }),
);
export { HoneyHiveError } from "./errors.js";
