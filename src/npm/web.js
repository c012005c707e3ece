// Browsers and anything else: the .wasm is fetched from beside this file. Bundlers (Vite,
// webpack, esbuild) recognise `new URL(..., import.meta.url)` and ship the file. Compiled here
// rather than by the glue's async `init`: its fallback for a server that does not serve
// `application/wasm` is kept in two lines, and the bundle is smaller by the rest.
import { initSync } from "./honeyhive_logger_wasm.js";
import { bind } from "./calls.js";

const url = new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url);
const compile = async () => {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
};

export const { start, log, update, logBatch, trace, aiSdkIntegration, replay, HoneyHive } = bind(async () =>
  initSync({ module: await compile() }),
);
export { HoneyHiveError } from "./errors.js";
