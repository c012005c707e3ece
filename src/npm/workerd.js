// Cloudflare Workers (workerd): the .wasm is imported as a compiled WebAssembly.Module, the only
// way a Worker may load wasm (it refuses to compile bytes at run time). Wrangler does this for
// `.wasm` imports by default.
import module from "./honeyhive_logger_wasm_bg.wasm";
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(() => initSync({ module }));
export { HoneyHiveError } from "./errors.js";
