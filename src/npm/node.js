// Node: the .wasm is read from disk, beside this file.
import { readFileSync } from "node:fs";
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(() =>
  initSync({ module: readFileSync(new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url)) }),
);
export { HoneyHiveError } from "./errors.js";
