// Entry for Node: the .wasm beside this file is read from disk and instantiated once, lazily,
// on the first call, so importing the package costs nothing until it is used.
import { readFileSync } from "node:fs";
import { initSync, start as wasmStart, log as wasmLog, update as wasmUpdate } from "./honeyhive_logger_wasm.js";

let ready = false;

function instantiate() {
  if (!ready) {
    initSync({ module: readFileSync(new URL("./honeyhive_logger_wasm_bg.wasm", import.meta.url)) });
    ready = true;
  }
}

export async function start(opts) {
  instantiate();
  return wasmStart(opts);
}

export async function log(opts) {
  instantiate();
  return wasmLog(opts);
}

export async function update(opts) {
  instantiate();
  return wasmUpdate(opts);
}
