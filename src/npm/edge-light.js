// Vercel Edge (edge-light): the `?module` import gives a precompiled WebAssembly.Module, as
// Next.js and Vercel provide it; the edge runtime forbids compiling wasm from bytes.
import module from "./honeyhive_logger_wasm_bg.wasm?module";
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

const api = bind(() => initSync({ module }));

// The client leaves under another local name: bundled with calls.js, whose class is
// `HoneyHive`, a top-level `HoneyHive` here would make esbuild rename that class.
const Client = api.HoneyHive;
export const { start, log, update, logBatch, trace, aiSdkIntegration } = api;
export { Client as HoneyHive };
