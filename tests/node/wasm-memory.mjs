// The linear memory of the package's one wasm instance, for the tests that bound it. The package
// instantiates its .wasm on its first call, in one file of its own: importing this module before
// that call lets the instance it makes be seen here as it is made. Nothing else is changed.
import assert from "node:assert/strict";
import { log } from "honeyhive-logger-wasm";

const instances = [];
const Instance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(Instance, {
  construct(target, args) {
    const instance = Reflect.construct(target, args);
    instances.push(instance);
    return instance;
  },
});

/** The instance's linear memory, in bytes. */
export async function wasmMemoryBytes() {
  if (instances.length === 0) await log({ verbose: true }).catch(() => {}); // instantiates; fails its checks, sends nothing
  assert.equal(instances.length, 1, "the package makes one instance");
  return instances[0].exports.memory.buffer.byteLength;
}
