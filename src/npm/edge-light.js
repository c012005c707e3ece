// Vercel Edge (edge-light): the `?module` import gives a precompiled WebAssembly.Module, as
// Next.js and Vercel provide it; the edge runtime forbids compiling wasm from bytes.
import module from "./honeyhive_logger_wasm_bg.wasm?module";
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(() => initSync({ module }));
export { HoneyHiveError } from "./errors.js";
